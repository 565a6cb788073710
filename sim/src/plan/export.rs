//! A plan revision as a document for other people and tools: every point, pollutant, team
//! and method named by its id and name (no internal indices), places with their
//! coordinates, times as scenario-clock labels and seconds, and the HJ 589 checklist.

use super::checklist::{self, Check};
use super::layout::{self, Layer, QaQc, Vertical};
use super::{MonitoringPlan, Role, lon_lat};
use crate::equipment::{Catalogue, Method};
use crate::scenario::Scenario;
use crate::time::SimTime;
use serde::Serialize;

/// Version of the plan document's layout; a reader checks it.
pub const PLAN_DOCUMENT_FORMAT: &str = "tripoint-plan/1";

#[derive(Clone, Debug, Serialize)]
pub struct Named {
    pub id: String,
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name_zh: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct When {
    /// Seconds since the scenario start (D1 00:00).
    pub s: i64,
    /// Scenario clock, e.g. `D1 04:35`.
    pub at: String,
}

fn when(t: SimTime) -> When {
    When {
        s: t.seconds(),
        at: t.to_string(),
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct MethodDoc {
    pub id: String,
    pub name: String,
    /// `field` or `laboratory`.
    pub kind: &'static str,
    pub standard: String,
    pub detection_limit_mg_l: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct PointDoc {
    pub id: String,
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name_zh: String,
    pub role: Role,
    /// `REACH @ CHAINAGE m`, `NODE` or `LAKE#CELL`, as a command line takes it.
    pub place: String,
    pub lon: f64,
    pub lat: f64,
    pub jurisdiction: Named,
    pub team: Option<Named>,
    /// Road node the team drives to; `None` where no road reaches it.
    pub road_node: Option<String>,
    pub access_min: i64,
    pub forecast_arrival: Option<When>,
    pub forecast_passed: Option<When>,
    pub forecast_peak_mg_l: f64,
    pub limit_mg_l: f64,
    pub dense_interval_min: i64,
    pub sparse_interval_min: i64,
    pub verticals: Vec<Vertical>,
    pub layers: Vec<Layer>,
    pub bottles_per_round: u32,
    pub measure_flow: bool,
    pub schedule: Vec<When>,
    pub duplicates: Vec<When>,
    pub sediment: Vec<When>,
}

/// One plan revision, ready to be written as JSON.
#[derive(Clone, Debug, Serialize)]
pub struct PlanDocument {
    pub format: &'static str,
    pub incident: Named,
    pub revision: u32,
    pub issued: When,
    pub ends: When,
    pub response_level: String,
    pub estimated_mass_kg: f64,
    pub pollutant: Named,
    pub method: MethodDoc,
    pub routine_parameters: Vec<String>,
    pub termination_rounds: u32,
    pub qa: QaQc,
    pub express_report_every_min: i64,
    pub approved: Option<(When, String)>,
    pub points: Vec<PointDoc>,
    pub checklist: Vec<Check>,
}

impl PlanDocument {
    pub fn new(scenario: &Scenario, plan: &MonitoringPlan) -> PlanDocument {
        let incident = &scenario.incidents[plan.incident];
        let pollutant = &scenario.pollutants[plan.pollutant];
        let catalogue = Catalogue::builtin();
        let method = catalogue.instrument(&plan.method);
        let jurisdiction = |j: usize| Named {
            id: scenario.jurisdictions[j].id.clone(),
            name: scenario.jurisdictions[j].name.clone(),
            name_zh: scenario.jurisdictions[j].name_zh.clone(),
        };
        let points = plan
            .points
            .iter()
            .map(|p| {
                let [lon, lat] = lon_lat(scenario, p.location);
                PointDoc {
                    id: p.id.clone(),
                    name: p.name.clone(),
                    name_zh: p.point.map_or(String::new(), |i| scenario.points[i].name_zh.clone()),
                    role: p.role,
                    place: scenario.location_label(p.location),
                    lon,
                    lat,
                    jurisdiction: jurisdiction(p.jurisdiction),
                    team: p.team.map(|t| Named {
                        id: scenario.teams[t].id.clone(),
                        name: scenario.teams[t].name.clone(),
                        name_zh: String::new(),
                    }),
                    road_node: p.road_node.map(|n| scenario.road_nodes[n].id.clone()),
                    access_min: p.access.seconds() / 60,
                    forecast_arrival: p.forecast_arrival.map(when),
                    forecast_passed: p.forecast_passed.map(when),
                    forecast_peak_mg_l: p.forecast_peak_mg_l,
                    limit_mg_l: p.limit_mg_l,
                    dense_interval_min: p.dense_interval.seconds() / 60,
                    sparse_interval_min: p.sparse_interval.seconds() / 60,
                    verticals: p.verticals.clone(),
                    layers: p.layers.clone(),
                    bottles_per_round: layout::bottles(p),
                    measure_flow: p.measure_flow,
                    schedule: p.schedule.iter().copied().map(when).collect(),
                    duplicates: p.duplicates.iter().copied().map(when).collect(),
                    sediment: p.sediment.iter().copied().map(when).collect(),
                }
            })
            .collect();
        PlanDocument {
            format: PLAN_DOCUMENT_FORMAT,
            incident: Named {
                id: incident.id.clone(),
                name: incident.name.clone(),
                name_zh: String::new(),
            },
            revision: plan.revision,
            issued: when(plan.issued_at),
            ends: when(plan.end),
            response_level: crate::response::level::label(plan.response_level).to_string(),
            estimated_mass_kg: plan.estimated_mass_kg,
            pollutant: Named {
                id: pollutant.id.clone(),
                name: pollutant.name.clone(),
                name_zh: String::new(),
            },
            method: MethodDoc {
                id: plan.method.clone(),
                name: method.map_or(String::new(), |m| m.name.clone()),
                kind: if method.is_some_and(|m| m.method == Method::Field) {
                    "field"
                } else {
                    "laboratory"
                },
                standard: method.map_or(String::new(), |m| m.standard.clone()),
                detection_limit_mg_l: method.map_or(f64::NAN, |m| m.detection_limit_mg_l),
            },
            routine_parameters: plan.routine_parameters.clone(),
            termination_rounds: plan.termination_rounds,
            qa: plan.qa.clone(),
            express_report_every_min: plan.express_report_every.seconds() / 60,
            approved: plan.approved.as_ref().map(|a| (when(a.at), a.by.clone())),
            points,
            checklist: checklist::check(scenario, plan),
        }
    }
}
