//! The response level of an incident (国家突发环境事件应急预案, 2014) and its escalation.
//!
//! An incident starts at the level it was declared at (a county's level IV unless the
//! scenario or script says otherwise). The level follows the incident: a forecast or a
//! result that shows a drinking-water intake over its limit, or the plume over the limit
//! where the river crosses into another province, raises it to II ("a county-level-city
//! intake shut, or cross-province impact"); over the limit where the river crosses into
//! another jurisdiction of the same province raises it to III. Levels only go up during a
//! run: standing a response down is a decision of the command, not of the model.

use crate::plan::{MonitoringPlan, Role};
use crate::scenario::{PointKind, ResponseLevel, Scenario};
use crate::time::SimTime;
use serde::Serialize;

/// A change of an incident's response level, with what caused it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LevelChange {
    pub at: SimTime,
    pub from: ResponseLevel,
    pub to: ResponseLevel,
    pub reason: String,
}

/// What the level of an incident must be at least, from what is known at a point: the
/// level and the reason, or `None` when a point over its limit asks for no escalation.
pub fn level_for_point(scenario: &Scenario, point_id: &str, role: Role) -> Option<(ResponseLevel, &'static str)> {
    if role == Role::Intake {
        return Some((ResponseLevel::II, "a drinking-water intake"));
    }
    let idx = scenario.point_idx(point_id)?;
    let point = &scenario.points[idx];
    if point.kind == PointKind::Intake {
        return Some((ResponseLevel::II, "a drinking-water intake"));
    }
    let (a, b) = point.borders?;
    if scenario.jurisdictions[a].province != scenario.jurisdictions[b].province {
        Some((ResponseLevel::II, "a provincial border"))
    } else {
        Some((ResponseLevel::III, "a border between jurisdictions"))
    }
}

/// The level a plan's forecast calls for: the highest asked by any plan point whose
/// forecast peak exceeds its limit, with the reason.
pub fn level_from_plan(scenario: &Scenario, plan: &MonitoringPlan) -> Option<(ResponseLevel, String)> {
    plan.points
        .iter()
        .filter(|p| p.forecast_peak_mg_l > p.limit_mg_l)
        .filter_map(|p| {
            level_for_point(scenario, &p.id, p.role).map(|(level, what)| {
                (
                    level,
                    format!(
                        "plan revision {} forecasts {:.4} mg/L at {} ({what}; limit {} mg/L)",
                        plan.revision, p.forecast_peak_mg_l, p.id, p.limit_mg_l
                    ),
                )
            })
        })
        .min_by(|a, b| a.0.cmp(&b.0))
}

/// The level a conclusive over-limit result at a point calls for, with the reason.
pub fn level_from_result(
    scenario: &Scenario,
    point_id: &str,
    role: Role,
    mg_l: f64,
    limit_mg_l: f64,
) -> Option<(ResponseLevel, String)> {
    level_for_point(scenario, point_id, role).map(|(level, what)| {
        (
            level,
            format!(
                "a result of {mg_l:.4} mg/L at {point_id} ({what}; {:.1} × the limit of {limit_mg_l} mg/L)",
                mg_l / limit_mg_l
            ),
        )
    })
}

/// Short label of a level for tables and the console ("IV", "III"…).
pub fn label(level: ResponseLevel) -> &'static str {
    match level {
        ResponseLevel::I => "I",
        ResponseLevel::II => "II",
        ResponseLevel::III => "III",
        ResponseLevel::IV => "IV",
    }
}
