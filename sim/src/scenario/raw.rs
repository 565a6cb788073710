//! The scenario file as written: serde structs that mirror the TOML, nothing checked yet.
//! Every table denies unknown fields; values that a check may point at are `Spanned`.

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// `[scenario]`: name and numerical settings.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawSettings {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Flow regime in force at the start.
    pub default_regime: Spanned<String>,
    /// Target reach cell length [m].
    #[serde(default = "default_cell_length_m")]
    pub cell_length_m: Spanned<f64>,
    /// Interval at which named points are sampled and the journal records transport [s].
    #[serde(default = "default_output_step_s")]
    pub output_step_s: Spanned<i64>,
    /// `kashefipour_falconer` (default) or `fischer`.
    #[serde(default)]
    pub dispersion_method: DispersionMethodName,
    /// Multiplier on the formula's dispersion coefficients [-].
    #[serde(default = "default_dispersion_factor")]
    pub dispersion_factor: Spanned<f64>,
    /// Plausible range of that multiplier, [low, high] [-].
    #[serde(default = "default_dispersion_range")]
    pub dispersion_range: Spanned<Vec<f64>>,
    /// Water-quality class whose GB 3838 limit applies by default.
    #[serde(default = "default_target_class")]
    pub target_class: Spanned<String>,
    /// Default forecast horizon after the first release [h].
    #[serde(default = "default_forecast_hours")]
    pub forecast_hours: Spanned<f64>,
    /// Relative tolerance on flow balance at junctions and lakes [-].
    #[serde(default = "default_flow_balance_tolerance")]
    pub flow_balance_tolerance: Spanned<f64>,
}

fn default_cell_length_m() -> Spanned<f64> {
    Spanned::new(0..0, 100.0)
}
fn default_dispersion_factor() -> Spanned<f64> {
    Spanned::new(0..0, 1.0)
}
/// From the spread of published formulas and Jobson's (1996) peak attenuation on a wide
/// canal, relative to Kashefipour–Falconer: see docs/domain-sources.md, "Dispersion".
fn default_dispersion_range() -> Spanned<Vec<f64>> {
    Spanned::new(0..0, vec![0.05, 1.0])
}
fn default_output_step_s() -> Spanned<i64> {
    Spanned::new(0..0, 60)
}
fn default_target_class() -> Spanned<String> {
    Spanned::new(0..0, "III".to_string())
}
fn default_forecast_hours() -> Spanned<f64> {
    Spanned::new(0..0, 72.0)
}
fn default_flow_balance_tolerance() -> Spanned<f64> {
    Spanned::new(0..0, 0.01)
}

#[derive(Deserialize, Debug, Clone, Copy, Default, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DispersionMethodName {
    #[default]
    KashefipourFalconer,
    Fischer,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawJurisdiction {
    pub id: Spanned<String>,
    pub name: String,
    #[serde(default)]
    pub name_zh: String,
    #[serde(default)]
    pub province: String,
    /// Jurisdictions whose teams this one's back under county dispatch (a city
    /// monitoring centre behind its districts).
    #[serde(default)]
    pub backs: Vec<Spanned<String>>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawRegime {
    pub id: Spanned<String>,
    #[serde(default)]
    pub description: String,
    /// The regime's Chinese name (枯水期, 平水期, 丰水期); empty: none, the id shows.
    #[serde(default)]
    pub name_zh: String,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawPollutant {
    pub id: Spanned<String>,
    pub name: String,
    /// GB 3838 item whose limit applies.
    pub standard_item: Spanned<String>,
    /// First-order decay rate [1/day].
    #[serde(default = "zero")]
    pub decay_per_day: Spanned<f64>,
    /// Lowest concentration the field or lab method detects [mg/L].
    pub detection_limit_mg_l: Spanned<f64>,
    /// Overrides the GB 3838 limit [mg/L].
    pub limit_mg_l: Option<Spanned<f64>>,
    /// Binds to sediment (heavy metals, oil): the plan adds sediment samples (HJ 589).
    #[serde(default)]
    pub sediment: bool,
}

#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum NodeKindName {
    Inflow,
    Junction,
    Lake,
    Outlet,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawNode {
    pub id: Spanned<String>,
    pub name: String,
    #[serde(default)]
    pub name_zh: String,
    pub kind: NodeKindName,
    pub jurisdiction: Spanned<String>,
    pub lon: Spanned<f64>,
    pub lat: Spanned<f64>,
    /// Lakes: surface area [km²].
    pub area_km2: Option<Spanned<f64>>,
    /// Lakes: mean depth [m].
    pub mean_depth_m: Option<Spanned<f64>>,
    /// Lakes: number of completely mixed cells in series (default 1).
    pub cells: Option<Spanned<i64>>,
    #[serde(default)]
    pub note: String,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawReach {
    pub id: Spanned<String>,
    pub name: String,
    #[serde(default)]
    pub name_zh: String,
    pub from: Spanned<String>,
    pub to: Spanned<String>,
    pub jurisdiction: Spanned<String>,
    /// Length along the channel [m].
    pub length_m: Spanned<f64>,
    /// Surface width [m].
    pub width_m: Spanned<f64>,
    /// Mean depth [m].
    pub depth_m: Spanned<f64>,
    /// Manning roughness [s/m^(1/3)].
    #[serde(default = "default_manning_n")]
    pub manning_n: Spanned<f64>,
    /// Longitudinal dispersion override [m²/s].
    pub dispersion_m2_s: Option<Spanned<f64>>,
    /// Discharge per flow regime [m³/s].
    pub discharge_m3_s: Spanned<BTreeMap<String, Spanned<f64>>>,
    /// Intermediate drawing vertices between the end nodes, as `[lon, lat]` pairs.
    #[serde(default)]
    pub path: Vec<[f64; 2]>,
}

fn zero() -> Spanned<f64> {
    Spanned::new(0..0, 0.0)
}

fn default_manning_n() -> Spanned<f64> {
    Spanned::new(0..0, 0.025)
}

#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum PointKindName {
    Intake,
    Section,
    BorderSection,
    Station,
    Buoy,
    MicroStation,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawPoint {
    pub id: Spanned<String>,
    pub name: String,
    #[serde(default)]
    pub name_zh: String,
    pub kind: PointKindName,
    pub jurisdiction: Spanned<String>,
    /// Border sections: the jurisdictions upstream and downstream of the border.
    #[serde(default)]
    pub borders: Option<Spanned<Vec<String>>>,
    pub node: Option<Spanned<String>>,
    /// A point in a lake of several cells: which cell, 1 at the inflow end.
    pub lake_cell: Option<Spanned<i64>>,
    pub reach: Option<Spanned<String>>,
    /// Distance from the reach's upstream end [m].
    pub chainage_m: Option<Spanned<f64>>,
    /// Water-quality class this point must meet (overrides the scenario's).
    pub target_class: Option<Spanned<String>>,
    /// Road node from which a team reaches the point.
    pub road_node: Option<Spanned<String>>,
    /// From the road to taking water at the point [min].
    pub access_min: Option<Spanned<f64>>,
    /// Stations and buoys: pollutant ids they measure automatically.
    #[serde(default)]
    pub parameters: Vec<Spanned<String>>,
    /// Stations and buoys: routine reading interval [min].
    pub cycle_min: Option<Spanned<f64>>,
    /// Stations and buoys: reading interval once switched to emergency mode [min].
    pub emergency_cycle_min: Option<Spanned<f64>>,
    #[serde(default)]
    pub note: String,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawRelease {
    pub pollutant: Spanned<String>,
    pub mass_kg: Spanned<f64>,
    pub node: Option<Spanned<String>>,
    pub reach: Option<Spanned<String>>,
    pub chainage_m: Option<Spanned<f64>>,
    /// Start after the scenario start [min].
    #[serde(default = "zero")]
    pub start_min: Spanned<f64>,
    /// Release duration; 0 is instantaneous [min].
    #[serde(default = "zero")]
    pub duration_min: Spanned<f64>,
    #[serde(default)]
    pub note: String,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawFlowChange {
    /// Time after the scenario start [min].
    pub at_min: Spanned<f64>,
    pub regime: Spanned<String>,
    #[serde(default)]
    pub note: String,
}
