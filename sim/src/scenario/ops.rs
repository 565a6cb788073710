//! The operations part of a checked scenario: risk sources, roads, depots, teams and
//! incidents, and how the agencies work (`[operations]`).

use super::Location;
use crate::time::{SimDuration, SimTime};
use serde::Serialize;

/// How the agencies work. HJ 589-2021 sets the method but not these numbers: each is a
/// documented default that a scenario may change.
#[derive(Clone, Debug, Serialize)]
pub struct Operations {
    /// From discovery to an issued monitoring plan.
    pub plan_preparation: SimDuration,
    /// County policy: from a request for mutual aid to the other county's team leaving.
    pub mutual_aid_delay: SimDuration,
    /// Consecutive compliant rounds at every point before monitoring ends.
    pub termination_rounds: u32,
    /// Sampling interval while the plume approaches and passes a point.
    pub dense_interval: SimDuration,
    /// Sampling interval before and after the plume.
    pub sparse_interval: SimDuration,
    /// How long before the forecast leading edge dense sampling starts.
    pub lead_time: SimDuration,
    /// Distances of the downstream sections below a river release [m].
    pub downstream_sections_m: Vec<f64>,
    /// From the road to the water where a point gives no access time.
    pub default_access: SimDuration,
    /// On site, each bottle beyond the first (more verticals across a wide river, more
    /// layers in deep water) adds this to the sampling time.
    pub extra_bottle: SimDuration,
    /// On site, measuring the flow at a section adds this to the sampling time.
    pub flow_measurement: SimDuration,
    /// An express report (快报) of the results known is issued this often while
    /// monitoring runs: one per sampling round.
    pub express_report_interval: SimDuration,
    /// One sample in this many at a point is taken in duplicate (QC, HJ 589 / HJ 91.2).
    pub duplicate_every: u32,
    /// A field result is confirmed in a laboratory when it is over the limit or not
    /// conclusive, for the first sample at each point, and for one sample in this many.
    pub confirm_every: u32,
}

impl Default for Operations {
    fn default() -> Self {
        Operations {
            plan_preparation: SimDuration::from_minutes(30),
            mutual_aid_delay: SimDuration::from_minutes(60),
            termination_rounds: 3,
            dense_interval: SimDuration::from_minutes(60),
            sparse_interval: SimDuration::from_minutes(240),
            lead_time: SimDuration::from_minutes(120),
            downstream_sections_m: vec![1_000.0, 5_000.0, 10_000.0],
            default_access: SimDuration::from_minutes(10),
            extra_bottle: SimDuration::from_minutes(5),
            flow_measurement: SimDuration::from_minutes(15),
            express_report_interval: SimDuration::from_minutes(60),
            duplicate_every: 10,
            confirm_every: 10,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskSourceKind {
    Enterprise,
    ChemicalStorage,
    WastewaterPlant,
    Bridge,
    ShippingLane,
}

impl RiskSourceKind {
    pub const ALL: [RiskSourceKind; 5] = [
        RiskSourceKind::Enterprise,
        RiskSourceKind::ChemicalStorage,
        RiskSourceKind::WastewaterPlant,
        RiskSourceKind::Bridge,
        RiskSourceKind::ShippingLane,
    ];

    /// The kind as a scenario file writes it (`chemical_storage`).
    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Chemical {
    pub pollutant: usize,
    /// Largest credible release [kg].
    pub max_release_kg: f64,
}

/// An entry of the risk-source inventory (风险源清单).
#[derive(Clone, Debug, Serialize)]
pub struct RiskSource {
    pub id: String,
    pub name: String,
    pub name_zh: String,
    pub kind: RiskSourceKind,
    pub sector: String,
    pub jurisdiction: usize,
    pub location: Location,
    pub road_node: usize,
    /// Probability of a credible release in a year [1/yr].
    pub annual_probability: f64,
    pub chemicals: Vec<Chemical>,
    /// Free text: sources, assumptions.
    pub note: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct RoadNode {
    pub id: String,
    pub name: String,
    /// The Chinese name; empty: none (the id shows).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name_zh: String,
    pub jurisdiction: usize,
    pub lon: f64,
    pub lat: f64,
}

/// An undirected road link.
#[derive(Clone, Debug, Serialize)]
pub struct Road {
    pub from: usize,
    pub to: usize,
    pub name: String,
    /// The Chinese name; empty: none (the name shows).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name_zh: String,
    pub length_km: f64,
    /// Typical emergency-vehicle speed [km/h].
    pub speed_kmh: f64,
    /// Crosses a river: the only way over the water.
    pub bridge: bool,
}

impl Road {
    /// Driving time at the typical speed [s].
    pub fn travel_time_s(&self) -> f64 {
        self.length_km / self.speed_kmh * 3600.0
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Depot {
    pub id: String,
    pub name: String,
    pub name_zh: String,
    pub jurisdiction: usize,
    pub road_node: usize,
    pub laboratory: bool,
}

/// A place where the planner may station teams besides today's depots (`[[candidate_sites]]`):
/// a forward post without a laboratory, in the jurisdiction of its road node.
#[derive(Clone, Debug, Serialize)]
pub struct CandidateSite {
    pub id: String,
    pub name: String,
    pub name_zh: String,
    pub road_node: usize,
    pub jurisdiction: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Shift {
    /// On duty 08:00–18:00; called out from home otherwise.
    Day,
    RoundTheClock,
}

#[derive(Clone, Debug, Serialize)]
pub struct Team {
    pub id: String,
    pub name: String,
    /// The Chinese name; empty when the scenario gives none.
    pub name_zh: String,
    pub depot: usize,
    /// The depot's jurisdiction.
    pub jurisdiction: usize,
    pub size: u32,
    pub shift: Shift,
    /// Equipment-catalogue vehicle id.
    pub vehicle: String,
    /// Equipment-catalogue instrument ids.
    pub instruments: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Discovery {
    EnterpriseReport,
    StationAlarm,
    PublicReport,
}

/// National response level (国家突发环境事件应急预案, 2014); IV is the county's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum ResponseLevel {
    I,
    II,
    III,
    IV,
}

#[derive(Clone, Debug, Serialize)]
pub struct Incident {
    pub id: String,
    pub name: String,
    /// The incident's Chinese name, shown wherever a person reads it in Chinese (the
    /// console, reports); empty: the id shows. Not serialised: data keeps the id.
    #[serde(skip)]
    pub name_zh: String,
    pub source: Option<usize>,
    pub location: Location,
    pub jurisdiction: usize,
    pub pollutant: usize,
    /// True released mass [kg].
    pub mass_kg: f64,
    /// Mass given in the first report [kg]; the first plan's forecast uses it.
    pub reported_mass_kg: f64,
    pub start: SimTime,
    pub duration: SimDuration,
    pub response_level: ResponseLevel,
    pub discovery: Discovery,
    /// Reports: from the start of the release to the report.
    pub discovery_delay: SimDuration,
    /// Free text: what happened.
    pub note: String,
}

/// What an automatic station or buoy measures and how often.
#[derive(Clone, Debug, Serialize)]
pub struct StationSpec {
    /// Pollutant indices measured.
    pub parameters: Vec<usize>,
    pub cycle: SimDuration,
    pub emergency_cycle: SimDuration,
}
