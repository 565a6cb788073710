//! How a plan point is sampled (HJ/T 91-2002, as HJ 589-2021 refers to it): the verticals
//! across the section and the layers in depth, whether the flow is measured, sediment
//! samples, duplicates; and the QA/QC rules of the whole plan.
//!
//! The transport model is one-dimensional (each cross-section well mixed): every bottle of
//! a round reads the section's mean. The layout still decides the work on site (more
//! bottles take longer) and what the field teams are told to do.

use super::{PlanPoint, Role};
use crate::scenario::{Location, NodeKind, Scenario};
use crate::time::{SimDuration, SimTime};
use serde::Serialize;

/// A sampling vertical across a river section.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Vertical {
    Left,
    Centre,
    Right,
}

/// A sampling depth on a vertical.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Layer {
    /// 0.5 m below the surface.
    Surface,
    /// Half the depth.
    Middle,
    /// 0.5 m above the bed.
    Bottom,
}

/// Widths at which HJ/T 91-2002 adds verticals: one (mid-stream) up to 50 m, two (left
/// and right, where the water flows near each bank) up to 100 m, three above [m].
pub const VERTICAL_WIDTHS_M: [f64; 2] = [50.0, 100.0];
/// Depths at which HJ/T 91-2002 adds layers: surface only up to 5 m, surface and bottom
/// up to 10 m, surface, middle and bottom above [m].
pub const LAYER_DEPTHS_M: [f64; 2] = [5.0, 10.0];

/// Verticals of a section of this width; `None` (a lake or an unknown width): one.
pub fn verticals_for(width_m: Option<f64>) -> Vec<Vertical> {
    match width_m {
        Some(w) if w > VERTICAL_WIDTHS_M[1] => vec![Vertical::Left, Vertical::Centre, Vertical::Right],
        Some(w) if w > VERTICAL_WIDTHS_M[0] => vec![Vertical::Left, Vertical::Right],
        _ => vec![Vertical::Centre],
    }
}

/// The width that decides a point's verticals: an intake is sampled at its mouth (one
/// vertical), every other point across the river's section.
pub fn lateral_width(role: Role, width_m: Option<f64>) -> Option<f64> {
    if role == Role::Intake { None } else { width_m }
}

/// Layers of water this deep.
pub fn layers_for(depth_m: f64) -> Vec<Layer> {
    if depth_m > LAYER_DEPTHS_M[1] {
        vec![Layer::Surface, Layer::Middle, Layer::Bottom]
    } else if depth_m > LAYER_DEPTHS_M[0] {
        vec![Layer::Surface, Layer::Bottom]
    } else {
        vec![Layer::Surface]
    }
}

/// Width (None on a lake) and depth of the water at a place [m]: the reach's section, the
/// lake's mean depth, or at a junction the largest reach leaving it.
pub fn section_at(scenario: &Scenario, location: Location) -> (Option<f64>, f64) {
    let reach_section = |r: usize| (Some(scenario.reaches[r].width_m), scenario.reaches[r].depth_m);
    match location {
        Location::Reach { reach, .. } => reach_section(reach),
        Location::Node(node) | Location::LakeCell { node, .. } => match scenario.nodes[node].kind {
            NodeKind::Lake { mean_depth_m, .. } => (None, mean_depth_m),
            _ => {
                let regime = scenario.settings.default_regime;
                let widest = (0..scenario.reaches.len())
                    .filter(|&r| scenario.reaches[r].from == node || scenario.reaches[r].to == node)
                    .max_by(|&a, &b| {
                        let out = |r: usize| {
                            (
                                scenario.reaches[r].from == node,
                                scenario.reaches[r].discharge_m3_s[regime],
                            )
                        };
                        let (oa, qa) = out(a);
                        let (ob, qb) = out(b);
                        oa.cmp(&ob).then(qa.total_cmp(&qb))
                    });
                widest.map_or((None, 1.0), reach_section)
            }
        },
    }
}

/// Roles whose sections measure the flow (HJ 589: flow at the control and border sections,
/// so that the load crossing each border can be computed).
pub fn measures_flow(role: Role) -> bool {
    matches!(role, Role::UpstreamControl | Role::BorderSection)
}

/// Roles that take sediment samples when the pollutant binds to sediment: where the
/// pollutant settles (the site, below it, the lake) and the background upstream.
pub fn takes_sediment(role: Role) -> bool {
    matches!(
        role,
        Role::UpstreamControl | Role::ReleaseSite | Role::Downstream | Role::LakeFan | Role::Outlet
    )
}

/// Lays out how a point is sampled: verticals, layers, flow, duplicates and sediment.
/// Needs the point's schedule.
pub fn lay_out(scenario: &Scenario, point: &mut PlanPoint, sediment: bool, end: SimTime) {
    let (width, depth) = section_at(scenario, point.location);
    point.verticals = verticals_for(lateral_width(point.role, width));
    point.layers = layers_for(depth);
    point.measure_flow = measures_flow(point.role);
    point.duplicates = duplicates(&point.schedule, scenario.operations.duplicate_every);
    point.sediment.clear();
    if sediment && takes_sediment(point.role) {
        // Once at the first visit (what lay there before), once after the plume has
        // passed (what it left behind); the background point once.
        if let Some(first) = point.schedule.first() {
            point.sediment.push(*first);
        }
        if point.role != Role::UpstreamControl
            && let Some(after) = point
                .forecast_passed
                .and_then(|passed| point.schedule.iter().copied().find(|t| *t >= passed))
                .filter(|t| *t <= end && Some(t) != point.sediment.first())
        {
            point.sediment.push(after);
        }
    }
}

/// The due times of a schedule taken in duplicate: one in `every`, the first included.
pub fn duplicates(schedule: &[SimTime], every: u32) -> Vec<SimTime> {
    schedule.iter().copied().step_by(every.max(1) as usize).collect()
}

/// Bottles of one round at a point: every vertical at every layer.
pub fn bottles(point: &PlanPoint) -> u32 {
    (point.verticals.len().max(1) * point.layers.len().max(1)) as u32
}

/// Time on site for one round at a point: the method's sampling time, each bottle beyond
/// the first, and the flow measurement where there is one.
pub fn on_site(scenario: &Scenario, sample: SimDuration, bottles: u32, measure_flow: bool) -> SimDuration {
    let ops = &scenario.operations;
    let mut seconds = sample.seconds() + i64::from(bottles.saturating_sub(1)) * ops.extra_bottle.seconds();
    if measure_flow {
        seconds += ops.flow_measurement.seconds();
    }
    SimDuration(seconds)
}

/// The QA/QC of a plan (HJ 589-2021 quality assurance; HJ 91.2 parallel samples).
#[derive(Clone, Debug, Serialize)]
pub struct QaQc {
    /// One sample in this many at each point, the first included, in duplicate.
    pub duplicate_every: u32,
    /// One field blank per team and day of sampling, carried through the whole procedure.
    pub field_blank_per_team_day: u32,
    /// Every sample travels with a chain-of-custody record: who took it, when, where, in
    /// which container, and to whom it was handed.
    pub chain_of_custody: bool,
    /// Where the plan's method is a field method: the laboratory method that confirms its
    /// results (over the limit, not conclusive, the first at each point, one in
    /// `confirm_every`); `None` for a laboratory method.
    pub confirmation_method: Option<String>,
    pub confirm_every: u32,
}
