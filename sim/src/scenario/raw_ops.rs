//! The operations sections of a scenario file as written: risk sources, roads, depots,
//! teams, incidents and the operations settings. Like `raw.rs`, nothing is checked here.

use serde::Deserialize;
use toml::Spanned;

/// `[operations]`: how the agencies work; every field has a documented default.
#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct RawOperations {
    /// From discovery to an issued monitoring plan [min].
    pub plan_preparation_min: Option<Spanned<f64>>,
    /// County policy: from a request for mutual aid to the other county's team leaving [min].
    pub mutual_aid_delay_min: Option<Spanned<f64>>,
    /// Consecutive compliant rounds at every point before monitoring ends.
    pub termination_rounds: Option<Spanned<i64>>,
    /// Sampling interval while the plume approaches and passes a point [min].
    pub dense_interval_min: Option<Spanned<f64>>,
    /// Sampling interval before and after the plume [min].
    pub sparse_interval_min: Option<Spanned<f64>>,
    /// How long before the forecast leading edge dense sampling starts [min].
    pub lead_time_min: Option<Spanned<f64>>,
    /// Distances of the downstream sections below a river release [km].
    pub downstream_sections_km: Option<Spanned<Vec<f64>>>,
    /// Walking/launching time from the road to the water where a point gives none [min].
    pub default_access_min: Option<Spanned<f64>>,
    /// Sampling time added by each bottle beyond the first at a point [min].
    pub extra_bottle_min: Option<Spanned<f64>>,
    /// Sampling time added by measuring the flow at a section [min].
    pub flow_measurement_min: Option<Spanned<f64>>,
    /// Interval between express reports (快报) [min].
    pub express_report_interval_min: Option<Spanned<f64>>,
    /// One sample in this many at a point is taken in duplicate.
    pub duplicate_every: Option<Spanned<i64>>,
    /// One field result in this many is confirmed in a laboratory (besides every
    /// over-limit or inconclusive one and the first at each point).
    pub confirm_every: Option<Spanned<i64>>,
}

#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RiskSourceKindName {
    Enterprise,
    ChemicalStorage,
    WastewaterPlant,
    Bridge,
    ShippingLane,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawChemical {
    pub pollutant: Spanned<String>,
    /// Largest credible release [kg].
    pub max_release_kg: Spanned<f64>,
}

/// An entry of the risk-source inventory (风险源清单).
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawRiskSource {
    pub id: Spanned<String>,
    pub name: String,
    #[serde(default)]
    pub name_zh: String,
    pub kind: RiskSourceKindName,
    /// Free text: dyeing, electroplating, chemical, …
    #[serde(default)]
    pub sector: String,
    pub jurisdiction: Spanned<String>,
    pub node: Option<Spanned<String>>,
    pub reach: Option<Spanned<String>>,
    pub chainage_m: Option<Spanned<f64>>,
    /// Road node from which the outfall is reached.
    pub road_node: Spanned<String>,
    /// Probability of a credible release in a year [1/yr].
    pub annual_probability: Spanned<f64>,
    #[serde(default)]
    pub chemicals: Vec<RawChemical>,
    #[serde(default)]
    pub note: String,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawRoadNode {
    pub id: Spanned<String>,
    pub name: String,
    /// The Chinese name (optional).
    #[serde(default)]
    pub name_zh: String,
    pub jurisdiction: Spanned<String>,
    pub lon: Spanned<f64>,
    pub lat: Spanned<f64>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawRoad {
    pub from: Spanned<String>,
    pub to: Spanned<String>,
    #[serde(default)]
    pub name: String,
    /// The Chinese name (optional).
    #[serde(default)]
    pub name_zh: String,
    pub length_km: Spanned<f64>,
    /// Typical speed of an emergency vehicle on this road [km/h].
    pub speed_kmh: Spanned<f64>,
    /// The road crosses a river here: bridges are the only crossings.
    #[serde(default)]
    pub bridge: bool,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawDepot {
    pub id: Spanned<String>,
    pub name: String,
    #[serde(default)]
    pub name_zh: String,
    pub jurisdiction: Spanned<String>,
    pub road_node: Spanned<String>,
    /// The depot has a laboratory that analyses samples.
    #[serde(default)]
    pub laboratory: bool,
}

/// A place where teams could be stationed (a planner's option, not a depot today).
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawCandidateSite {
    pub id: Spanned<String>,
    pub name: String,
    #[serde(default)]
    pub name_zh: String,
    pub road_node: Spanned<String>,
}

#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ShiftName {
    /// On duty 08:00–18:00; called out from home otherwise.
    Day,
    /// On duty at every hour.
    RoundTheClock,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawTeam {
    pub id: Spanned<String>,
    pub name: String,
    /// The Chinese name (empty: none given; Chinese screens show the id).
    #[serde(default)]
    pub name_zh: String,
    pub depot: Spanned<String>,
    /// People in the team.
    pub size: Spanned<i64>,
    pub shift: ShiftName,
    /// Vehicle id from the equipment catalogue.
    pub vehicle: Spanned<String>,
    /// Instrument ids from the equipment catalogue.
    #[serde(default)]
    pub instruments: Vec<Spanned<String>>,
}

#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DiscoveryName {
    /// The enterprise reports its own accident.
    EnterpriseReport,
    /// An automatic station's reading passes its alarm threshold.
    StationAlarm,
    /// A member of the public reports dead fish, colour or smell.
    PublicReport,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawIncident {
    pub id: Spanned<String>,
    #[serde(default)]
    pub name: String,
    /// The incident's Chinese name (`吴江区黎里印染企业含锑污泥泄漏`); empty: the id shows.
    #[serde(default)]
    pub name_zh: String,
    /// Risk source it comes from; gives the place and the jurisdiction.
    pub source: Option<Spanned<String>>,
    /// Place and jurisdiction when there is no source (e.g. a tanker on a bridge).
    pub node: Option<Spanned<String>>,
    pub reach: Option<Spanned<String>>,
    pub chainage_m: Option<Spanned<f64>>,
    pub jurisdiction: Option<Spanned<String>>,
    pub pollutant: Spanned<String>,
    /// True released mass [kg] (hidden from the players in a drill).
    pub mass_kg: Spanned<f64>,
    /// Mass given in the first report [kg]; the plan starts from it (default: the true mass).
    pub reported_mass_kg: Option<Spanned<f64>>,
    /// Start after the scenario start [min].
    pub start_min: Spanned<f64>,
    #[serde(default)]
    pub duration_min: Option<Spanned<f64>>,
    /// National response level: "I", "II", "III" or "IV" (county).
    #[serde(default)]
    pub response_level: Option<Spanned<String>>,
    pub discovery: DiscoveryName,
    /// Reports: delay from the start of the release to the report [min]. Station alarms
    /// come from the simulated readings and take no delay.
    #[serde(default)]
    pub discovery_delay_min: Option<Spanned<f64>>,
    #[serde(default)]
    pub note: String,
}
