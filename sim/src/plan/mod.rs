//! The unified emergency-monitoring plan of an incident (HJ 589-2021): an upstream control
//! section, the release site, downstream sections at set distances, every border section,
//! intake and other named point the forecast plume reaches, with the characteristic
//! pollutant, one unified method, a sampling schedule that is dense while the plume passes
//! and sparse otherwise, a termination rule, and an owner (jurisdiction and team) per point.
//!
//! The plan is a value: it can be printed (Markdown), exported (serde JSON), edited
//! (`add_point`, `remove_point`, `set_interval`) and revised (a new revision number).

pub mod checklist;
pub mod export;
pub mod layout;

use crate::equipment::{Catalogue, Instrument, Method};
use crate::forecast::{self, Forecast, ForecastRequest, PointForecast};
use crate::scenario::{Incident, Location, Point, PointKind, Release, Scenario};
use crate::time::{SimDuration, SimTime};
use serde::Serialize;
use std::fmt::Write as _;

/// Why a point is in the plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Drinking-water intake on the plume's path (mandatory, HJ 589).
    Intake,
    /// Where the river crosses a jurisdiction border.
    BorderSection,
    /// The release site itself.
    ReleaseSite,
    /// Background: upstream of the release (HJ 589 control section).
    UpstreamControl,
    /// A section at a set distance below the release.
    Downstream,
    /// A lake release: a point in another cell of the lake, around the release along the
    /// flow (HJ 589).
    LakeFan,
    /// A lake release: where water leaves the lake (HJ 589: the lake's outlets).
    Outlet,
    /// Another named point the plume reaches (monitoring section, station, buoy).
    Section,
}

#[derive(Clone, Debug, Serialize)]
pub struct PlanPoint {
    /// Point id (named points) or a generated id such as `inc1-down-5km`.
    pub id: String,
    pub name: String,
    pub role: Role,
    /// Index of the named point, if it is one.
    pub point: Option<usize>,
    pub location: Location,
    /// Road node teams drive to; `None` if no road reaches it.
    pub road_node: Option<usize>,
    pub access: SimDuration,
    /// Jurisdiction responsible for sampling it.
    pub jurisdiction: usize,
    /// Team the plan names for it (the nearest of the responsible jurisdiction).
    pub team: Option<usize>,
    /// Forecast first time above the detection limit.
    pub forecast_arrival: Option<SimTime>,
    /// Forecast end of the plume's passage (last time above the limit, or the peak plus
    /// its rise time when it never exceeds it).
    pub forecast_passed: Option<SimTime>,
    pub forecast_peak_mg_l: f64,
    /// The plan forecast at this point, (time [s], concentration [mg/L]) at every output
    /// step: what results are compared with to revise the estimated mass.
    #[serde(skip)]
    pub forecast_series: Vec<(i64, f64)>,
    pub limit_mg_l: f64,
    /// Interval between samples while the plume approaches and passes.
    pub dense_interval: SimDuration,
    /// Interval before and after.
    pub sparse_interval: SimDuration,
    /// Due times of the samples.
    pub schedule: Vec<SimTime>,
    /// Verticals across the section and layers in depth: each round takes a bottle at
    /// every layer of every vertical (HJ/T 91-2002).
    pub verticals: Vec<layout::Vertical>,
    pub layers: Vec<layout::Layer>,
    /// The flow is measured at each round (control and border sections).
    pub measure_flow: bool,
    /// Due times whose sample is taken in duplicate (QC).
    pub duplicates: Vec<SimTime>,
    /// Due times at which a sediment sample is taken too (pollutants that bind to it).
    pub sediment: Vec<SimTime>,
}

#[derive(Clone, Debug, Serialize)]
pub struct MonitoringPlan {
    pub incident: usize,
    pub incident_id: String,
    pub revision: u32,
    /// Released mass the plan's forecast assumes [kg]: the report's estimate, revised by
    /// results.
    pub estimated_mass_kg: f64,
    pub issued_at: SimTime,
    /// The incident's response level when this revision was issued, or raised since.
    pub response_level: crate::scenario::ResponseLevel,
    /// Characteristic pollutant index.
    pub pollutant: usize,
    /// The one unified method for it: an equipment-catalogue instrument id.
    pub method: String,
    pub method_is_field: bool,
    /// Routine parameters sampled alongside (recorded in the plan; not simulated).
    pub routine_parameters: Vec<String>,
    /// Monitoring at a point ends after this many consecutive compliant rounds after its
    /// plume has passed.
    pub termination_rounds: u32,
    /// Quality assurance and control: duplicates, blanks, chain of custody, laboratory
    /// confirmation of field results.
    pub qa: layout::QaQc,
    /// An express report (快报) of the results is issued this often, the first one interval
    /// after the plan.
    pub express_report_every: SimDuration,
    pub end: SimTime,
    pub points: Vec<PlanPoint>,
    /// The scenario's named points the plan does not sample (off the forecast path, or
    /// removed by an edit), with their forecasts: what an edit may add.
    #[serde(skip)]
    pub others: Vec<PlanPoint>,
    /// The command's approval of this revision; `None` while the plan is only proposed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approved: Option<Approval>,
}

/// Who approved a plan revision, and when.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Approval {
    pub at: SimTime,
    /// The seat that approved it (`command`).
    pub by: String,
}

/// Routine parameters of HJ 589 follow-up monitoring listed in every plan.
const ROUTINE_PARAMETERS: [&str; 4] = ["ph", "dissolved_oxygen", "ammonia_nitrogen", "chemical_oxygen_demand"];

/// Largest number of samples scheduled at one point.
const SAMPLES_PER_POINT_MAX: usize = 1000;

/// What a plan is generated from.
pub struct PlanInput<'a> {
    pub scenario: &'a Scenario,
    pub incident_idx: usize,
    /// Mass the command believes was released [kg] (the report's estimate).
    pub estimated_mass_kg: f64,
    pub issued_at: SimTime,
    /// How long the plan runs after the incident starts.
    pub horizon: SimDuration,
    /// Let the plan's forecast go on past `horizon` until the plume has passed every point
    /// downstream, at most this long after the release; `None`: the horizon only.
    pub forecast_until_passed: Option<SimDuration>,
    /// 1 for the first plan; each revision adds one.
    pub revision: u32,
    /// Travel-time lookup for choosing the named team: (team, road node) → seconds.
    pub team_travel_s: &'a dyn Fn(usize, usize) -> Option<f64>,
    /// The incident's points made earlier from this same scenario (a run issues and
    /// revises a plan many times); `None`: made here.
    pub points: Option<&'a PlanPoints>,
}

/// The points a plan of an incident considers: the scenario's named points followed by
/// the ones the plan generates (control section, release site, points around a lake
/// release), held as a copy of the scenario with those appended, which the plan's
/// forecast runs over. They depend on the scenario and the incident only, so a run makes
/// them once per incident rather than at every revision.
#[derive(Debug)]
pub struct PlanPoints {
    /// The scenario with the generated points after its named ones.
    pub extended: Scenario,
    /// The generated points and their roles, in the order appended.
    pub generated: Vec<(Point, Role)>,
    /// How many named points come first.
    pub n_named: usize,
}

impl PlanPoints {
    /// The points of a plan of incident `incident_idx` of `scenario`.
    pub fn of(scenario: &Scenario, incident_idx: usize) -> PlanPoints {
        let generated = generated_points(scenario, &scenario.incidents[incident_idx]);
        let mut extended = scenario.clone();
        let n_named = extended.points.len();
        extended.points.extend(generated.iter().map(|(point, _)| point.clone()));
        PlanPoints {
            extended,
            generated,
            n_named,
        }
    }
}

#[derive(Debug)]
pub struct PlanError(pub String);

impl std::fmt::Display for PlanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PlanError {}

/// Forecasts one release over a scenario whose points include the plan's generated ones;
/// the series must be indexed like that scenario's points.
pub type Forecaster<'a> = &'a dyn Fn(&Scenario, &ForecastRequest) -> Result<Forecast, PlanError>;

/// Generates the plan of an incident from a forecast of its release by the transport model.
pub fn generate(input: &PlanInput<'_>) -> Result<MonitoringPlan, PlanError> {
    generate_with(input, &|scenario, request| {
        forecast::run(scenario, request).map_err(|e| PlanError(format!("forecast for the plan: {e}")))
    })
}

/// Generates the plan of an incident from the forecast `forecaster` makes of its release
/// (the transport model, or the planner's precomputed unit responses).
pub fn generate_with(input: &PlanInput<'_>, forecaster: Forecaster<'_>) -> Result<MonitoringPlan, PlanError> {
    let scenario = input.scenario;
    let incident = &scenario.incidents[input.incident_idx];
    let made;
    let plan_points = match input.points {
        Some(points) => points,
        None => {
            made = PlanPoints::of(scenario, input.incident_idx);
            &made
        }
    };
    let (extended, generated, n_named) = (&plan_points.extended, &plan_points.generated, plan_points.n_named);
    let release = Release {
        pollutant: incident.pollutant,
        mass_kg: input.estimated_mass_kg,
        location: incident.location,
        start: incident.start,
        duration: incident.duration,
        note: format!("incident {}", incident.id),
    };
    let request = ForecastRequest {
        releases: vec![release],
        regime: scenario.settings.default_regime,
        horizon: input.horizon,
        seed: 0,
        journal: false,
        until_passed: input.forecast_until_passed,
    };
    let forecast = forecaster(extended, &request)?;
    let method = unified_method(scenario, incident.pollutant)?;
    let end = incident.start + input.horizon;
    let ops = &scenario.operations;
    let sediment = scenario.pollutants[incident.pollutant].sediment;
    let mut points = Vec::new();
    let mut others = Vec::new();
    for (point_idx, point) in extended.points.iter().enumerate() {
        let role = if point_idx < n_named {
            named_role(scenario, incident, point)
        } else {
            generated[point_idx - n_named].1
        };
        let pf = forecast.points.iter().find(|p| p.point == point.id);
        // Control, site and the points around a lake release are sampled whatever the
        // forecast (a lake spill spreads with the wind too: HJ 589 fans points around it);
        // others only on the path.
        let on_path = pf.is_some_and(|p| p.reached);
        let sampled = on_path || matches!(role, Role::UpstreamControl | Role::ReleaseSite | Role::LakeFan);
        // Named points off the path are kept aside: the command may add them.
        if !sampled && point_idx >= n_named {
            continue;
        }
        let (arrival, passed) = pf.map_or((None, None), passage);
        let limit_mg_l = scenario.limit_mg_l(incident.pollutant, point.target_class);
        let mut plan_point = PlanPoint {
            id: point.id.clone(),
            name: point.name.clone(),
            role,
            point: (point_idx < n_named).then_some(point_idx),
            location: point.location,
            road_node: point.road_node,
            access: point.access,
            jurisdiction: point.jurisdiction,
            team: None,
            forecast_arrival: arrival,
            forecast_passed: passed,
            forecast_peak_mg_l: pf.map_or(0.0, |p| p.peak_mg_l),
            forecast_series: forecast.series[point_idx]
                .samples(incident.pollutant)
                .map(|(t, c)| (t.seconds(), c))
                .collect(),
            limit_mg_l,
            dense_interval: ops.dense_interval,
            sparse_interval: ops.sparse_interval,
            schedule: Vec::new(),
            verticals: Vec::new(),
            layers: Vec::new(),
            measure_flow: false,
            duplicates: Vec::new(),
            sediment: Vec::new(),
        };
        plan_point.team = owner_team(
            scenario,
            &[plan_point.jurisdiction, incident.jurisdiction],
            plan_point.road_node,
            input.team_travel_s,
        );
        if !sampled {
            layout::lay_out(scenario, &mut plan_point, false, end);
            others.push(plan_point);
            continue;
        }
        plan_point.schedule = schedule(&plan_point, input.issued_at, end, ops.lead_time);
        layout::lay_out(scenario, &mut plan_point, sediment, end);
        points.push(plan_point);
    }
    points.sort_by_key(|p| (p.role, p.forecast_arrival.unwrap_or(SimTime(i64::MAX)), p.id.clone()));
    others.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(MonitoringPlan {
        incident: input.incident_idx,
        incident_id: incident.id.clone(),
        revision: input.revision,
        estimated_mass_kg: input.estimated_mass_kg,
        issued_at: input.issued_at,
        response_level: incident.response_level,
        pollutant: incident.pollutant,
        method: method.0,
        method_is_field: method.1,
        routine_parameters: ROUTINE_PARAMETERS.iter().map(|s| s.to_string()).collect(),
        termination_rounds: ops.termination_rounds,
        qa: layout::QaQc {
            duplicate_every: ops.duplicate_every,
            field_blank_per_team_day: 1,
            chain_of_custody: true,
            confirmation_method: if method.1 {
                Some(confirmation_method(scenario, incident.pollutant)?)
            } else {
                None
            },
            confirm_every: ops.confirm_every,
        },
        express_report_every: ops.express_report_interval,
        end,
        points,
        others,
        approved: None,
    })
}

/// A named point within this distance of where a reach leaves a lake is that outlet's
/// point in the plan of a release in the lake [m].
pub const OUTLET_NEAR_M: f64 = 1_000.0;

fn named_role(scenario: &Scenario, incident: &Incident, point: &Point) -> Role {
    match point.kind {
        PointKind::Intake => Role::Intake,
        PointKind::BorderSection => Role::BorderSection,
        PointKind::Section | PointKind::Station | PointKind::Buoy | PointKind::MicroStation => {
            let lake = lake_of(scenario, incident.location);
            let at_outlet = lake.is_some_and(|lake| {
                matches!(point.location, Location::Reach { reach, chainage_m }
                    if scenario.reaches[reach].from == lake && chainage_m <= OUTLET_NEAR_M)
            });
            // A named point in the lake of a lake release (a buoy) is one of the points
            // around the release.
            let in_lake = lake.is_some() && lake_of(scenario, point.location) == lake;
            if at_outlet {
                Role::Outlet
            } else if in_lake {
                Role::LakeFan
            } else {
                Role::Section
            }
        }
    }
}

/// The lake node a place is in, if it is in a lake.
pub fn lake_of(scenario: &Scenario, location: Location) -> Option<usize> {
    match location {
        Location::Node(node) | Location::LakeCell { node, .. }
            if matches!(scenario.nodes[node].kind, crate::scenario::NodeKind::Lake { .. }) =>
        {
            Some(node)
        }
        _ => None,
    }
}

/// First arrival and end of passage from a point forecast.
fn passage(p: &PointForecast) -> (Option<SimTime>, Option<SimTime>) {
    let arrival = p.leading_edge_s.map(SimTime);
    let passed = match (p.over_limit_until_s, p.peak_s, p.leading_edge_s) {
        (Some(until), _, _) => Some(SimTime(until)),
        (None, Some(peak), Some(edge)) => Some(SimTime(peak + (peak - edge))),
        _ => None,
    };
    (arrival, passed)
}

/// The strictest limit of a pollutant at any named point of the scenario, or at the
/// scenario's default class where it has no point [mg/L].
pub fn strictest_limit_mg_l(scenario: &Scenario, pollutant: usize) -> f64 {
    scenario
        .points
        .iter()
        .map(|p| scenario.limit_mg_l(pollutant, p.target_class))
        .fold(scenario.limit_mg_l(pollutant, scenario.settings.target_class), f64::min)
}

/// The method of the characteristic pollutant. HJ 589 asks for a method whose detection
/// limit is below the limit the results are judged against: among those, a field method
/// if the catalogue has one (results on site, the point of emergency monitoring), else a
/// laboratory method. Only when no method reaches below the strictest limit is one that
/// does not chosen (the lowest detection limit): its non-detects are then not conclusive.
pub fn unified_method(scenario: &Scenario, pollutant: usize) -> Result<(String, bool), PlanError> {
    let item = &scenario.pollutants[pollutant].standard_item;
    let catalogue = Catalogue::builtin();
    let strictest = strictest_limit_mg_l(scenario, pollutant);
    let mut candidates: Vec<_> = catalogue.instruments_for(item).collect();
    candidates.sort_by(|a, b| {
        let key = |i: &Instrument| (i.detection_limit_mg_l >= strictest, i.method != Method::Field);
        key(a)
            .cmp(&key(b))
            .then(a.detection_limit_mg_l.total_cmp(&b.detection_limit_mg_l))
            .then(a.id.cmp(&b.id))
    });
    let chosen = candidates
        .first()
        .ok_or_else(|| PlanError(format!("no instrument in the catalogue measures `{item}`")))?;
    Ok((chosen.id.clone(), chosen.method == Method::Field))
}

/// The laboratory method that confirms a field method's results: among the laboratory
/// methods whose detection limit is below the strictest limit, the fastest; else the one
/// with the lowest detection limit.
pub fn confirmation_method(scenario: &Scenario, pollutant: usize) -> Result<String, PlanError> {
    laboratory_method(scenario, pollutant, "", strictest_limit_mg_l(scenario, pollutant))
        .map(|i| i.id.clone())
        .ok_or_else(|| {
            let item = &scenario.pollutants[pollutant].standard_item;
            PlanError(format!("no laboratory method in the catalogue confirms `{item}`"))
        })
}

/// The laboratory method for a sample analysed in a fixed laboratory: `preferred` (the
/// plan's method) where it is a laboratory method, else the fastest laboratory method
/// that sees below `limit_mg_l` (the lowest detection limit if none does).
pub fn laboratory_method<'c>(
    scenario: &Scenario,
    pollutant: usize,
    preferred: &str,
    limit_mg_l: f64,
) -> Option<&'c Instrument> {
    let item = &scenario.pollutants[pollutant].standard_item;
    let labs: Vec<&Instrument> = Catalogue::builtin()
        .instruments_for(item)
        .filter(|i| i.method == Method::Laboratory)
        .collect();
    labs.iter().find(|i| i.id == preferred).copied().or_else(|| {
        labs.iter().copied().min_by(|a, b| {
            (a.detection_limit_mg_l >= limit_mg_l)
                .cmp(&(b.detection_limit_mg_l >= limit_mg_l))
                .then(a.analysis_min.total_cmp(&b.analysis_min))
                .then(a.detection_limit_mg_l.total_cmp(&b.detection_limit_mg_l))
                .then(a.id.cmp(&b.id))
        })
    })
}

/// The team that owns a point: the nearest team, by driving time from its depot, of the
/// first of `jurisdictions` that has one reaching the point (the point's own, else the
/// incident's), else the nearest team of any jurisdiction: every point has an owner.
fn owner_team(
    scenario: &Scenario,
    jurisdictions: &[usize],
    road_node: Option<usize>,
    travel_s: &dyn Fn(usize, usize) -> Option<f64>,
) -> Option<usize> {
    let road_node = road_node?;
    let nearest = |keep: &dyn Fn(usize) -> bool| {
        scenario
            .teams
            .iter()
            .enumerate()
            .filter(|(_, t)| keep(t.jurisdiction))
            .filter_map(|(idx, _)| travel_s(idx, road_node).map(|s| (idx, s)))
            .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
            .map(|(idx, _)| idx)
    };
    jurisdictions
        .iter()
        .find_map(|&j| nearest(&|t| t == j))
        .or_else(|| nearest(&|_| true))
}

/// Due times: one at issue (the initial assessment), sparse until the dense window opens
/// (lead time before the forecast arrival), dense through the passage, sparse after.
pub fn schedule(point: &PlanPoint, issued_at: SimTime, end: SimTime, lead_time: SimDuration) -> Vec<SimTime> {
    let window = match (point.forecast_arrival, point.forecast_passed) {
        (Some(arrival), Some(passed)) => Some((SimTime(arrival.seconds() - lead_time.seconds()), passed)),
        (Some(arrival), None) => Some((SimTime(arrival.seconds() - lead_time.seconds()), end)),
        _ => None,
    };
    let mut times = vec![issued_at];
    let mut t = issued_at;
    while times.len() < SAMPLES_PER_POINT_MAX {
        let dense = window.is_some_and(|(open, close)| t >= open && t < close);
        let mut next = t + if dense {
            point.dense_interval
        } else {
            point.sparse_interval
        };
        // Do not step over the opening of the dense window.
        if let Some((open, _)) = window
            && t < open
            && next > open
        {
            next = open;
        }
        if next > end {
            break;
        }
        times.push(next);
        t = next;
    }
    times
}

/// A sampling section at `location` that is not one of the scenario's named points (a
/// plan's generated section, a place a result was taken at): the reach's or node's
/// jurisdiction, the scenario's target class, the nearest road node.
pub fn section_point(scenario: &Scenario, id: String, name: String, location: Location, note: &str) -> Point {
    let [lon, lat] = lon_lat(scenario, location);
    let jurisdiction = match location {
        Location::Reach { reach, .. } => scenario.reaches[reach].jurisdiction,
        Location::Node(node) | Location::LakeCell { node, .. } => scenario.nodes[node].jurisdiction,
    };
    Point {
        id,
        name,
        name_zh: String::new(),
        kind: PointKind::Section,
        jurisdiction,
        borders: None,
        location,
        target_class: scenario.settings.target_class,
        lon,
        lat,
        road_node: nearest_road_node(scenario, lon, lat),
        access: scenario.operations.default_access,
        station: None,
        note: note.to_string(),
    }
}

/// Points the plan adds to the named ones: upstream control, release site, downstream
/// sections. Each is placed on the reach network and given the nearest road node.
pub fn generated_points(scenario: &Scenario, incident: &Incident) -> Vec<(Point, Role)> {
    let mut out = Vec::new();
    let note = format!("generated by the plan of incident {}", incident.id);
    let template = |id: String, name: String, location: Location| section_point(scenario, id, name, location, &note);
    if let Some(up) = upstream_of(scenario, incident.location, 1_000.0) {
        out.push((
            template(
                format!("{}-control", incident.id),
                "Upstream control section".into(),
                up,
            ),
            Role::UpstreamControl,
        ));
    }
    out.push((
        template(
            format!("{}-site", incident.id),
            "Release site".into(),
            incident.location,
        ),
        Role::ReleaseSite,
    ));
    if let Some(lake) = lake_of(scenario, incident.location) {
        // Around the release along the flow: every other cell of the lake.
        if let crate::scenario::NodeKind::Lake { n_cells, .. } = scenario.nodes[lake].kind {
            let release_cell = match incident.location {
                Location::LakeCell { cell, .. } => Some(cell),
                _ => None,
            };
            // A named point in a cell (a buoy) samples that cell already.
            let named = |cell: usize| {
                scenario
                    .points
                    .iter()
                    .any(|p| p.location == Location::LakeCell { node: lake, cell })
            };
            for cell in (0..n_cells).filter(|c| n_cells > 1 && Some(*c) != release_cell && !named(*c)) {
                out.push((
                    template(
                        format!("{}-lake-cell-{}", incident.id, cell + 1),
                        format!("Lake cell {} of {}", cell + 1, scenario.nodes[lake].name),
                        Location::LakeCell { node: lake, cell },
                    ),
                    Role::LakeFan,
                ));
            }
        }
        // Every outlet without a named point near it gets one, just below the lake.
        for (r, reach) in scenario.reaches.iter().enumerate().filter(|(_, r)| r.from == lake) {
            let named = scenario.points.iter().any(|p| {
                matches!(p.location, Location::Reach { reach, chainage_m } if reach == r && chainage_m <= OUTLET_NEAR_M)
            });
            if !named {
                out.push((
                    template(
                        format!("{}-outlet-{}", incident.id, reach.id),
                        format!("Outlet of {} into {}", scenario.nodes[lake].name, reach.name),
                        Location::Reach {
                            reach: r,
                            chainage_m: (reach.length_m / 2.0).min(200.0),
                        },
                    ),
                    Role::Outlet,
                ));
            }
        }
    }
    for &distance_m in &scenario.operations.downstream_sections_m {
        if let Some(down) = downstream_of(scenario, incident.location, distance_m) {
            let km = distance_m / 1000.0;
            out.push((
                template(
                    format!("{}-down-{km}km", incident.id),
                    format!("Section {km} km downstream"),
                    down,
                ),
                Role::Downstream,
            ));
        }
    }
    out
}

/// Longitude and latitude of a place on the network.
pub fn lon_lat(scenario: &Scenario, location: Location) -> [f64; 2] {
    match location {
        Location::Reach { reach, chainage_m } => scenario.reaches[reach].lon_lat_at(chainage_m),
        Location::Node(node) | Location::LakeCell { node, .. } => [scenario.nodes[node].lon, scenario.nodes[node].lat],
    }
}

/// The road node closest to a position (equirectangular distance; the zone is small).
pub fn nearest_road_node(scenario: &Scenario, lon: f64, lat: f64) -> Option<usize> {
    nearest_position(scenario.road_nodes.iter().map(|n| [n.lon, n.lat]), lon, lat)
}

/// Index of the `[lon, lat]` position closest to (lon, lat) (equirectangular; ties go to
/// the lower index).
pub fn nearest_position(positions: impl Iterator<Item = [f64; 2]>, lon: f64, lat: f64) -> Option<usize> {
    let scale = lat.to_radians().cos();
    positions
        .enumerate()
        .map(|(idx, [x, y])| (idx, ((x - lon) * scale).powi(2) + (y - lat).powi(2)))
        .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
        .map(|(idx, _)| idx)
}

/// A place `distance_m` upstream, on the same reach or the largest reach flowing in.
fn upstream_of(scenario: &Scenario, location: Location, distance_m: f64) -> Option<Location> {
    let (mut reach, mut chainage) = match location {
        Location::Reach { reach, chainage_m } => (reach, chainage_m),
        Location::Node(node) | Location::LakeCell { node, .. } => (largest_in(scenario, node)?, f64::INFINITY),
    };
    chainage = chainage.min(scenario.reaches[reach].length_m);
    let mut remaining = distance_m;
    for _ in 0..scenario.reaches.len() {
        if chainage >= remaining {
            return Some(Location::Reach {
                reach,
                chainage_m: chainage - remaining,
            });
        }
        remaining -= chainage;
        let Some(previous) = largest_in(scenario, scenario.reaches[reach].from) else {
            return Some(Location::Reach { reach, chainage_m: 0.0 });
        };
        reach = previous;
        chainage = scenario.reaches[reach].length_m;
    }
    None
}

/// A place `distance_m` downstream along the main stem (largest outflow at each node).
fn downstream_of(scenario: &Scenario, location: Location, distance_m: f64) -> Option<Location> {
    let (mut reach, mut chainage) = match location {
        Location::Reach { reach, chainage_m } => (reach, chainage_m),
        Location::Node(node) | Location::LakeCell { node, .. } => (largest_out(scenario, node)?, 0.0),
    };
    let mut remaining = distance_m;
    for _ in 0..scenario.reaches.len() {
        let left = scenario.reaches[reach].length_m - chainage;
        if left >= remaining {
            return Some(Location::Reach {
                reach,
                chainage_m: chainage + remaining,
            });
        }
        remaining -= left;
        reach = largest_out(scenario, scenario.reaches[reach].to)?;
        chainage = 0.0;
    }
    None
}

fn largest_in(scenario: &Scenario, node: usize) -> Option<usize> {
    let regime = scenario.settings.default_regime;
    (0..scenario.reaches.len())
        .filter(|&r| scenario.reaches[r].to == node)
        .max_by(|&a, &b| {
            scenario.reaches[a].discharge_m3_s[regime].total_cmp(&scenario.reaches[b].discharge_m3_s[regime])
        })
}

fn largest_out(scenario: &Scenario, node: usize) -> Option<usize> {
    let regime = scenario.settings.default_regime;
    (0..scenario.reaches.len())
        .filter(|&r| scenario.reaches[r].from == node)
        .max_by(|&a, &b| {
            scenario.reaches[a].discharge_m3_s[regime].total_cmp(&scenario.reaches[b].discharge_m3_s[regime])
        })
}

impl PlanPoint {
    /// The plan forecast at a time [mg/L]: the last output step at or before it.
    pub fn forecast_at(&self, t: SimTime) -> Option<f64> {
        let idx = self.forecast_series.partition_point(|(ts, _)| *ts <= t.seconds());
        idx.checked_sub(1).map(|i| self.forecast_series[i].1)
    }
}

impl MonitoringPlan {
    /// Adds a point (a user's edit); its schedule follows the plan's rules.
    pub fn add_point(&mut self, point: PlanPoint, lead_time: SimDuration) {
        let mut point = point;
        point.schedule = schedule(&point, self.issued_at, self.end, lead_time);
        point.duplicates = layout::duplicates(&point.schedule, self.qa.duplicate_every);
        self.points.push(point);
        self.revision += 1;
    }

    /// Adds back a point the plan does not sample (one of [`MonitoringPlan::others`]),
    /// with its forecast; its samples are due from `from` on. Returns whether it was there.
    pub fn add_other_point(&mut self, id: &str, from: SimTime, lead_time: SimDuration) -> bool {
        let Some(idx) = self.others.iter().position(|p| p.id == id) else {
            return false;
        };
        let mut point = self.others.remove(idx);
        point.schedule = schedule(&point, from, self.end, lead_time);
        point.duplicates = layout::duplicates(&point.schedule, self.qa.duplicate_every);
        self.points.push(point);
        self.revision += 1;
        true
    }

    /// Removes a point by id (it goes to [`MonitoringPlan::others`], so an edit may add it
    /// back); returns whether it was there.
    pub fn remove_point(&mut self, id: &str) -> bool {
        let Some(idx) = self.points.iter().position(|p| p.id == id) else {
            return false;
        };
        let mut point = self.points.remove(idx);
        point.schedule.clear();
        point.duplicates.clear();
        point.sediment.clear();
        let at = self.others.partition_point(|p| p.id < point.id);
        self.others.insert(at, point);
        self.revision += 1;
        true
    }

    /// Changes the dense sampling interval of a point from `from` on (a user's edit or a
    /// revision after results); due times before `from` stay.
    pub fn set_interval(&mut self, id: &str, dense: SimDuration, from: SimTime, lead_time: SimDuration) -> bool {
        let Some(point) = self.points.iter_mut().find(|p| p.id == id) else {
            return false;
        };
        if dense.seconds() <= 0 {
            return false;
        }
        point.dense_interval = dense;
        let kept: Vec<SimTime> = point.schedule.iter().copied().filter(|t| *t < from).collect();
        let rest = schedule(point, from, self.end, lead_time);
        point.schedule = kept.into_iter().chain(rest).collect();
        point.duplicates = layout::duplicates(&point.schedule, self.qa.duplicate_every);
        self.revision += 1;
        true
    }

    /// The plan as Markdown, for printing and for the record.
    pub fn to_markdown(&self, scenario: &Scenario) -> String {
        let incident = &scenario.incidents[self.incident];
        let pollutant = &scenario.pollutants[self.pollutant];
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# Unified emergency-monitoring plan — {} (revision {})\n",
            incident.name, self.revision
        );
        let _ = writeln!(out, "- Issued: {} · runs until {}", self.issued_at, self.end);
        let _ = writeln!(
            out,
            "- Incident: {} in {}, response level {:?}, started {}",
            pollutant.name, scenario.jurisdictions[incident.jurisdiction].name, self.response_level, incident.start
        );
        let kind = if self.method_is_field { "field" } else { "laboratory" };
        let _ = writeln!(
            out,
            "- Characteristic pollutant: {} — unified method `{}` ({kind})",
            pollutant.id, self.method
        );
        let _ = writeln!(out, "- Routine parameters: {}", self.routine_parameters.join(", "));
        let _ = writeln!(
            out,
            "- Termination: every point compliant for {} consecutive rounds after its plume has passed\n",
            self.termination_rounds
        );
        let _ = writeln!(
            out,
            "| point | role | responsible | team | forecast arrival | passed | peak / limit mg/L | every (dense/sparse) | samples | verticals × layers | flow | duplicates | sediment |"
        );
        let _ = writeln!(out, "|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for p in &self.points {
            let team = p.team.map_or("—".to_string(), |t| scenario.teams[t].id.clone());
            let time = |t: Option<SimTime>| t.map_or("—".to_string(), |t| t.to_string());
            let names = |items: Vec<String>| items.join("/");
            let _ = writeln!(
                out,
                "| {} ({}) | {:?} | {} | {} | {} | {} | {:.4} / {} | {} / {} min | {} | {} × {} | {} | {} | {} |",
                p.name,
                p.id,
                p.role,
                scenario.jurisdictions[p.jurisdiction].id,
                team,
                time(p.forecast_arrival),
                time(p.forecast_passed),
                p.forecast_peak_mg_l,
                p.limit_mg_l,
                p.dense_interval.seconds() / 60,
                p.sparse_interval.seconds() / 60,
                p.schedule.len(),
                names(p.verticals.iter().map(|v| format!("{v:?}").to_lowercase()).collect()),
                names(p.layers.iter().map(|l| format!("{l:?}").to_lowercase()).collect()),
                if p.measure_flow { "yes" } else { "—" },
                p.duplicates.len(),
                p.sediment.len()
            );
        }
        let _ = writeln!(out, "\n## Quality assurance and reporting\n");
        let _ = writeln!(
            out,
            "- Duplicates: one sample in {} at each point, the first included; one field blank per team and day; every sample travels with a chain-of-custody record (taken by, when, where, container, handed to whom).",
            self.qa.duplicate_every
        );
        match &self.qa.confirmation_method {
            Some(lab) => {
                let _ = writeln!(
                    out,
                    "- Laboratory confirmation of field results by `{lab}`: every result over the limit or not conclusive, the first at each point, and one in {}.",
                    self.qa.confirm_every
                );
            }
            None => {
                let _ = writeln!(out, "- Laboratory method: results need no confirmation.");
            }
        }
        let _ = writeln!(
            out,
            "- Express report (快报) every {} min from {}: the results known, the points over the limit and by how much, the trend at the intakes.",
            self.express_report_every.seconds() / 60,
            self.issued_at + self.express_report_every
        );
        if scenario.pollutants[self.pollutant].sediment {
            let _ = writeln!(
                out,
                "- Sediment: {} binds to sediment; sediment samples at the first visit and after the plume has passed (control: once).",
                scenario.pollutants[self.pollutant].id
            );
        }
        let _ = writeln!(out, "\n## HJ 589 checklist\n");
        out.push_str(&checklist::to_markdown(&checklist::check(scenario, self)));
        out
    }

    /// The field teams' sampling schedule as data: one row per water sample, sediment
    /// sample and field blank (one per team and day, with the team's first water sample
    /// that day), by due time, then point id, then kind. What `to_schedule_csv` writes, and
    /// what the front ends render in other languages.
    pub fn schedule_rows(&self) -> Vec<ScheduleRow<'_>> {
        let mut rows: Vec<ScheduleRow<'_>> = Vec::new();
        for p in &self.points {
            rows.extend(
                p.schedule
                    .iter()
                    .map(|due| ScheduleRow::new(*due, p, SampleKind::Water)),
            );
            rows.extend(
                p.sediment
                    .iter()
                    .map(|due| ScheduleRow::new(*due, p, SampleKind::Sediment)),
            );
        }
        let order = |a: &ScheduleRow<'_>, b: &ScheduleRow<'_>| {
            a.due
                .cmp(&b.due)
                .then(a.point.id.cmp(&b.point.id))
                .then(a.kind.cmp(&b.kind))
        };
        rows.sort_by(order);
        let mut blanks: Vec<ScheduleRow<'_>> = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for row in &rows {
            if row.kind == SampleKind::Water
                && let Some(team) = row.point.team
                && seen.insert((team, row.due.seconds().div_euclid(86_400)))
            {
                blanks.push(ScheduleRow::new(row.due, row.point, SampleKind::FieldBlank));
            }
        }
        rows.extend(blanks);
        rows.sort_by(order);
        rows
    }

    /// The field teams' sampling schedule: one row per water sample, sediment sample and
    /// field blank, by due time, with the place's coordinates, the road node teams drive
    /// to, the bottles of the round and the QC (CSV, RFC 4180 quoting).
    pub fn to_schedule_csv(&self, scenario: &Scenario) -> String {
        let pollutant = &scenario.pollutants[self.pollutant].id;
        let mut out = String::from(
            "due_s,due,kind,point,name,name_zh,role,jurisdiction,team,road_node,lon,lat,pollutant,method,limit_mg_l,forecast_arrival_s,verticals,layers,bottles,flow,duplicate\n",
        );
        for row in self.schedule_rows() {
            let (due, p) = (row.due, row.point);
            let [lon, lat] = lon_lat(scenario, p.location);
            let name_zh = p.point.map_or("", |i| scenario.points[i].name_zh.as_str());
            let names = |items: Vec<String>| items.join(" ");
            let fields = [
                due.seconds().to_string(),
                due.to_string(),
                serde_name(&row.kind),
                p.id.clone(),
                p.name.clone(),
                name_zh.to_string(),
                serde_name(&p.role),
                scenario.jurisdictions[p.jurisdiction].id.clone(),
                p.team.map_or(String::new(), |t| scenario.teams[t].id.clone()),
                p.road_node.map_or(String::new(), |n| scenario.road_nodes[n].id.clone()),
                format!("{lon:.5}"),
                format!("{lat:.5}"),
                pollutant.clone(),
                self.method.clone(),
                p.limit_mg_l.to_string(),
                p.forecast_arrival.map_or(String::new(), |t| t.seconds().to_string()),
                names(p.verticals.iter().map(serde_name).collect()),
                names(p.layers.iter().map(serde_name).collect()),
                row.bottles.to_string(),
                row.measure_flow.to_string(),
                row.duplicate.to_string(),
            ];
            let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
            out.push_str(&line.join(","));
            out.push('\n');
        }
        out
    }
}

/// What a row of the sampling schedule asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SampleKind {
    // In the order rows of one point and time are listed (alphabetical, as the CSV has
    // always been).
    /// A field blank, carried through the whole procedure (one per team and day).
    FieldBlank,
    /// A sediment sample.
    Sediment,
    /// A water sample: every layer of every vertical.
    Water,
}

/// One row of the field teams' sampling schedule.
#[derive(Clone, Copy, Debug)]
pub struct ScheduleRow<'p> {
    pub due: SimTime,
    pub point: &'p PlanPoint,
    pub kind: SampleKind,
    /// Bottles to fill: a water sample's round (every layer of every vertical), else one.
    pub bottles: u32,
    /// The flow is measured with this water sample.
    pub measure_flow: bool,
    /// This water sample is taken in duplicate.
    pub duplicate: bool,
}

impl<'p> ScheduleRow<'p> {
    fn new(due: SimTime, point: &'p PlanPoint, kind: SampleKind) -> ScheduleRow<'p> {
        let water = kind == SampleKind::Water;
        ScheduleRow {
            due,
            point,
            kind,
            bottles: if water { layout::bottles(point) } else { 1 },
            measure_flow: water && point.measure_flow,
            duplicate: water && point.duplicates.contains(&due),
        }
    }
}

/// The name serde gives a unit variant (`border_section`, `left`…).
fn serde_name<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// One CSV field: quoted, with quotes doubled, where it holds a comma, a quote or a line
/// break (RFC 4180).
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}
