//! The scenario: pollutants, the river network, named points and releases, loaded by
//! parse-then-validate from a human-editable TOML file (see `docs/scenario-format.md`).

mod diagnostics;
mod ops;
pub mod ranges;
mod raw;
mod raw_ops;
mod validate;
mod validate_ops;

pub use ops::*;

pub use diagnostics::{Problem, ScenarioError, SourceText};
pub use raw::DispersionMethodName as DispersionMethod;

use crate::standards::{Gb3838, WaterClass};
use crate::time::{SimDuration, SimTime};
use serde::Serialize;

/// The built-in scenario of the demonstration zone, embedded in the binary.
const BUILTIN_TEXT: &str = include_str!("../../../scenarios/demo-zone.toml");

/// Every scenario embedded in the binary, by file name.
pub const BUILTIN_SCENARIOS: &[(&str, &str)] = &[
    ("demo-zone.toml", BUILTIN_TEXT),
    (
        "two-incidents.toml",
        include_str!("../../../scenarios/two-incidents.toml"),
    ),
];

/// The text of an embedded scenario.
pub fn builtin_text(file_name: &str) -> Option<&'static str> {
    BUILTIN_SCENARIOS
        .iter()
        .find(|(name, _)| *name == file_name)
        .map(|(_, text)| *text)
}

/// An embedded scenario joined with the base it extends, ready to parse.
pub fn builtin_source(file_name: &str) -> Option<SourceText> {
    let text = builtin_text(file_name)?;
    let name = format!("<built-in>/{file_name}");
    Some(
        match extends_base(text).and_then(|base| builtin_text(&base).map(|t| (base, t))) {
            Some((base, base_text)) => SourceText::concat(&[
                (format!("<built-in>/{base}"), base_text.to_string()),
                (name, text.to_string()),
            ]),
            None => SourceText::new(name, text),
        },
    )
}

/// The base a scenario text extends (`[extends] base = "…"`), if it says so. A text that
/// is not valid TOML has no base here; the full parse reports its problems.
pub fn extends_base(text: &str) -> Option<String> {
    let root = toml::de::DeTable::parse(text).ok()?.into_inner();
    let extends = root.iter().find(|(k, _)| k.get_ref() == "extends")?.1;
    let base = extends.get_ref().get("base")?;
    base.get_ref().as_str().map(str::to_string)
}

/// Largest scenario file accepted [bytes].
pub const SCENARIO_BYTES_MAX: usize = 16 * 1024 * 1024;

/// A checked scenario: every reference resolved to an index, every number in range.
#[derive(Clone, Debug)]
pub struct Scenario {
    pub source_name: String,
    /// The base scenario this one extends, as named in `[extends] base`.
    pub extends: Option<String>,
    pub name: String,
    pub description: String,
    pub settings: Settings,
    pub jurisdictions: Vec<Jurisdiction>,
    pub regimes: Vec<Regime>,
    pub pollutants: Vec<Pollutant>,
    pub nodes: Vec<Node>,
    pub reaches: Vec<Reach>,
    pub points: Vec<Point>,
    pub releases: Vec<Release>,
    pub flow_changes: Vec<FlowChange>,
    pub operations: Operations,
    pub risk_sources: Vec<RiskSource>,
    pub road_nodes: Vec<RoadNode>,
    pub roads: Vec<Road>,
    pub depots: Vec<Depot>,
    /// Where the planner may station teams besides the depots.
    pub candidate_sites: Vec<CandidateSite>,
    pub teams: Vec<Team>,
    pub incidents: Vec<Incident>,
}

#[derive(Clone, Debug)]
pub struct Settings {
    /// Index into `regimes` of the regime in force at the start.
    pub default_regime: usize,
    /// Target reach cell length [m].
    pub cell_length_m: f64,
    /// Interval between samples of the named points [s].
    pub output_step: SimDuration,
    pub dispersion_method: DispersionMethod,
    /// Multiplier on every dispersion coefficient the formula gives (not on a reach's
    /// own `dispersion_m2_s`) [-]; 1 unless calibrated, e.g. to a tracer test.
    pub dispersion_factor: f64,
    /// The plausible range of that multiplier, low and high [-]. A forecast also runs at
    /// both ends and takes its warnings from the more dangerous one.
    pub dispersion_range: [f64; 2],
    /// Class whose GB 3838 limit applies where a point names none.
    pub target_class: WaterClass,
    /// Default forecast horizon after the first release [h].
    pub forecast_hours: f64,
    /// Relative tolerance on flow balance at junctions and lakes [-].
    pub flow_balance_tolerance: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Jurisdiction {
    pub id: String,
    pub name: String,
    pub name_zh: String,
    pub province: String,
    /// Jurisdictions whose tasks this one's teams take as their own under county
    /// dispatch: a city monitoring centre behind its districts and counties.
    pub backs: Vec<usize>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Regime {
    pub id: String,
    pub description: String,
    /// The Chinese name a person reads (枯水期); empty: the id shows in Chinese too.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name_zh: String,
}

#[derive(Clone, Debug)]
pub struct Pollutant {
    pub id: String,
    pub name: String,
    /// GB 3838 item id.
    pub standard_item: String,
    /// First-order decay rate [1/s].
    pub decay_per_s: f64,
    /// Detection limit of the method [mg/L].
    pub detection_limit_mg_l: f64,
    /// Limit set in the scenario, overriding GB 3838 [mg/L].
    pub limit_override_mg_l: Option<f64>,
    /// Binds to sediment (heavy metals, oil): plans add sediment samples (HJ 589).
    pub sediment: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum NodeKind {
    /// A boundary inflow (gate, tributary); clean water enters here.
    Inflow,
    /// A confluence or bifurcation; inflows are mixed by flow weight.
    Junction,
    /// A lake as completely mixed cells in series.
    Lake {
        /// Water volume [m³].
        volume_m3: f64,
        /// Number of completely mixed cells in series.
        n_cells: usize,
        /// Mean depth [m]: the plan's sampling layers follow it.
        mean_depth_m: f64,
    },
    /// A boundary outflow; water and pollutant leave the model here.
    Outlet,
}

#[derive(Clone, Debug)]
pub struct Node {
    pub id: String,
    pub name: String,
    pub name_zh: String,
    pub kind: NodeKind,
    pub jurisdiction: usize,
    /// WGS84 longitude [°].
    pub lon: f64,
    /// WGS84 latitude [°].
    pub lat: f64,
    /// Free text: sources, assumptions.
    pub note: String,
}

#[derive(Clone, Debug)]
pub struct Reach {
    pub id: String,
    pub name: String,
    pub name_zh: String,
    /// Upstream node index.
    pub from: usize,
    /// Downstream node index.
    pub to: usize,
    pub jurisdiction: usize,
    /// Length along the channel [m].
    pub length_m: f64,
    /// Surface width [m].
    pub width_m: f64,
    /// Mean depth [m].
    pub depth_m: f64,
    /// Manning roughness [s/m^(1/3)].
    pub manning_n: f64,
    /// Longitudinal dispersion override [m²/s].
    pub dispersion_m2_s: Option<f64>,
    /// Discharge per regime, indexed like `Scenario::regimes` [m³/s].
    pub discharge_m3_s: Vec<f64>,
    /// Drawing polyline from the upstream to the downstream node, as `[lon, lat]`.
    pub path: Vec<[f64; 2]>,
}

impl Reach {
    /// Flow cross-section [m²].
    pub fn area_m2(&self) -> f64 {
        self.width_m * self.depth_m
    }

    /// Longitude and latitude at a chainage, interpolated along the drawing polyline by
    /// the fraction of the length (the polyline is not to scale with the channel).
    pub fn lon_lat_at(&self, chainage_m: f64) -> [f64; 2] {
        let fraction = (chainage_m / self.length_m).clamp(0.0, 1.0);
        let segment_len = |a: [f64; 2], b: [f64; 2]| ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt();
        let total: f64 = self.path.windows(2).map(|w| segment_len(w[0], w[1])).sum();
        if total == 0.0 {
            return self.path[0];
        }
        let mut remaining = fraction * total;
        for w in self.path.windows(2) {
            let len = segment_len(w[0], w[1]);
            if remaining <= len && len > 0.0 {
                let f = remaining / len;
                return [w[0][0] + f * (w[1][0] - w[0][0]), w[0][1] + f * (w[1][1] - w[0][1])];
            }
            remaining -= len;
        }
        *self.path.last().expect("a path has its two end nodes")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PointKind {
    /// A drinking-water intake.
    Intake,
    /// A national or provincial monitoring section.
    Section,
    /// A section where the river crosses a jurisdiction border.
    BorderSection,
    /// An automatic water-quality station.
    Station,
    /// A buoy station on a lake.
    Buoy,
    /// A small automatic station on a small (often border) river.
    MicroStation,
}

/// Where on the network something is.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Location {
    /// At a node (junction, lake, inflow or outlet).
    Node(usize),
    /// On a reach, at a distance from its upstream end [m].
    Reach { reach: usize, chainage_m: f64 },
    /// In one completely mixed cell of a lake of several cells; cells are counted from 0
    /// at the lake's inflow end to its outlet (the scenario file counts from 1).
    LakeCell { node: usize, cell: usize },
}

impl Location {
    /// The node a place is at (a node, or a cell of a lake node); `None` on a reach.
    pub fn node(self) -> Option<usize> {
        match self {
            Location::Node(node) | Location::LakeCell { node, .. } => Some(node),
            Location::Reach { .. } => None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Point {
    pub id: String,
    pub name: String,
    pub name_zh: String,
    pub kind: PointKind,
    pub jurisdiction: usize,
    /// Border sections: (upstream jurisdiction, downstream jurisdiction).
    pub borders: Option<(usize, usize)>,
    pub location: Location,
    pub target_class: WaterClass,
    pub lon: f64,
    pub lat: f64,
    /// Road node from which teams reach the point; none if it cannot be sampled by road.
    pub road_node: Option<usize>,
    /// From the road to taking water at the point.
    pub access: SimDuration,
    /// Stations and buoys: what they measure automatically and how often.
    pub station: Option<StationSpec>,
    /// Free text: sources, assumptions.
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Release {
    pub pollutant: usize,
    /// Released mass [kg].
    pub mass_kg: f64,
    pub location: Location,
    pub start: SimTime,
    /// Zero for an instantaneous release.
    pub duration: SimDuration,
    /// Free text: what released it.
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FlowChange {
    pub at: SimTime,
    pub regime: usize,
    pub note: String,
}

impl Scenario {
    /// Parses and validates a scenario text, reporting every problem at once.
    pub fn parse(source: &SourceText) -> Result<Scenario, ScenarioError> {
        validate::parse(source)
    }

    /// An embedded scenario by file name; `None` if there is none of that name.
    pub fn builtin_named(file_name: &str) -> Option<Scenario> {
        let source = builtin_source(file_name)?;
        // Embedded scenarios are checked by the test suite; failing here is a build defect.
        Some(Scenario::parse(&source).unwrap_or_else(|e| panic!("built-in scenario {file_name} is invalid: {e}")))
    }

    /// The embedded scenario of the demonstration zone.
    pub fn builtin() -> Scenario {
        Scenario::builtin_named("demo-zone.toml").expect("the zone is among the built-in scenarios")
    }

    pub fn node_idx(&self, id: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.id == id)
    }

    pub fn reach_idx(&self, id: &str) -> Option<usize> {
        self.reaches.iter().position(|r| r.id == id)
    }

    pub fn pollutant_idx(&self, id: &str) -> Option<usize> {
        self.pollutants.iter().position(|p| p.id == id)
    }

    pub fn regime_idx(&self, id: &str) -> Option<usize> {
        self.regimes.iter().position(|r| r.id == id)
    }

    pub fn point_idx(&self, id: &str) -> Option<usize> {
        self.points.iter().position(|p| p.id == id)
    }

    /// The concentration limit of a pollutant at a point [mg/L]: the scenario's override,
    /// else the GB 3838 limit at the point's target class. Validation guarantees one exists.
    pub fn limit_mg_l(&self, pollutant_idx: usize, target_class: WaterClass) -> f64 {
        let pollutant = &self.pollutants[pollutant_idx];
        pollutant.limit_override_mg_l.unwrap_or_else(|| {
            Gb3838::builtin()
                .get(&pollutant.standard_item)
                .and_then(|item| item.limit_mg_l(target_class))
                .expect("validated pollutant has a limit")
        })
    }

    /// Human label of a location, e.g. `taipu_2 @ 5000 m` or `fenhu`.
    pub fn location_label(&self, location: Location) -> String {
        match location {
            Location::Node(node) => self.nodes[node].id.clone(),
            Location::Reach { reach, chainage_m } => format!("{} @ {:.0} m", self.reaches[reach].id, chainage_m),
            Location::LakeCell { node, cell } => format!("{}#{}", self.nodes[node].id, cell + 1),
        }
    }

    /// Resolves `NODE`, `REACH@CHAINAGE_M`, `LAKE#CELL` or a named point's id as typed on
    /// a command line or in a form.
    pub fn parse_location(&self, text: &str) -> Result<Location, LocationError> {
        let text = text.trim();
        if let Some((node_id, cell)) = text.split_once('#') {
            let node_id = node_id.trim().to_string();
            let node = self
                .node_idx(&node_id)
                .ok_or_else(|| LocationError::NoNode { node: node_id.clone() })?;
            let NodeKind::Lake { n_cells, .. } = self.nodes[node].kind else {
                return Err(LocationError::NotALake { node: node_id });
            };
            let cell_number: usize = cell
                .trim()
                .parse()
                .ok()
                .filter(|c| (1..=n_cells).contains(c))
                .ok_or_else(|| LocationError::NoSuchCell {
                    cell: cell.trim().to_string(),
                    lake: node_id,
                    n_cells,
                })?;
            return Ok(Location::LakeCell {
                node,
                cell: cell_number - 1,
            });
        }
        if let Some((reach_id, chainage)) = text.split_once('@') {
            let reach_id = reach_id.trim().to_string();
            let reach = self.reach_idx(&reach_id).ok_or_else(|| LocationError::NoReach {
                reach: reach_id.clone(),
            })?;
            let chainage_m: f64 = chainage.trim().trim_end_matches('m').trim().parse().map_err(|_| {
                LocationError::ChainageNotANumber {
                    chainage: chainage.trim().to_string(),
                }
            })?;
            let length_m = self.reaches[reach].length_m;
            if !(0.0..=length_m).contains(&chainage_m) {
                return Err(LocationError::ChainageOutside {
                    reach: reach_id,
                    chainage_m,
                    length_m,
                });
            }
            return Ok(Location::Reach { reach, chainage_m });
        }
        if let Some(node) = self.node_idx(text) {
            return Ok(Location::Node(node));
        }
        if self.reach_idx(text).is_some() {
            return Err(LocationError::ReachWithoutChainage {
                reach: text.to_string(),
            });
        }
        if let Some(point) = self.point_idx(text) {
            return Ok(self.points[point].location);
        }
        Err(LocationError::Unknown { text: text.to_string() })
    }
}

/// A TOML basic string: quotation mark, backslash and control characters escaped. For the
/// scenario text the program writes (`synthetic`, `tripoint db export-inventory`).
pub fn toml_string(text: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Why a place typed on a command line or in a form is none of the scenario's
/// ([`Scenario::parse_location`]): its English as `Display`, and the same as data
/// ([`LocationError::text`], the `tl-place-` messages) for another language. Each holds
/// the names as they were typed.
#[derive(Clone, Debug, PartialEq)]
pub enum LocationError {
    NoNode {
        node: String,
    },
    NotALake {
        node: String,
    },
    NoSuchCell {
        cell: String,
        lake: String,
        n_cells: usize,
    },
    NoReach {
        reach: String,
    },
    ChainageNotANumber {
        chainage: String,
    },
    /// The chainage [m] is not within the reach, 0 to `length_m` [m].
    ChainageOutside {
        reach: String,
        chainage_m: f64,
        length_m: f64,
    },
    ReachWithoutChainage {
        reach: String,
    },
    Unknown {
        text: String,
    },
}

impl std::fmt::Display for LocationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LocationError::NoNode { node } => write!(f, "no node named {node:?}"),
            LocationError::NotALake { node } => write!(f, "{node:?} is not a lake: only lakes have cells"),
            LocationError::NoSuchCell { cell, lake, n_cells } => write!(
                f,
                "lake cell {cell:?} of {lake:?}: give a number from 1 (inflow end) to {n_cells} (outlet)"
            ),
            LocationError::NoReach { reach } => write!(f, "no reach named {reach:?}"),
            LocationError::ChainageNotANumber { chainage } => {
                write!(f, "chainage {chainage:?} is not a number of metres")
            }
            LocationError::ChainageOutside {
                reach,
                chainage_m,
                length_m,
            } => write!(
                f,
                "chainage {chainage_m} m is outside reach {reach:?} (0 to {length_m} m)"
            ),
            LocationError::ReachWithoutChainage { reach } => {
                write!(f, "{reach:?} is a reach: give a chainage, e.g. {reach}@1000")
            }
            LocationError::Unknown { text } => write!(f, "no node, reach or point named {text:?}"),
        }
    }
}

impl std::error::Error for LocationError {}

impl LocationError {
    /// The sentence as data: a message id and its arguments, names as typed.
    pub fn text(&self) -> crate::drill::text::Text {
        use crate::drill::text::{Arg, Text};
        let plain = |value: &dyn std::fmt::Display| Arg::Plain(value.to_string());
        match self {
            LocationError::NoNode { node } => Text::new("tl-place-no-node", vec![("node", plain(node))]),
            LocationError::NotALake { node } => Text::new("tl-place-not-a-lake", vec![("node", plain(node))]),
            LocationError::NoSuchCell { cell, lake, n_cells } => Text::new(
                "tl-place-no-such-cell",
                vec![("cell", plain(cell)), ("lake", plain(lake)), ("cells", plain(n_cells))],
            ),
            LocationError::NoReach { reach } => Text::new("tl-place-no-reach", vec![("reach", plain(reach))]),
            LocationError::ChainageNotANumber { chainage } => {
                Text::new("tl-place-chainage-not-a-number", vec![("chainage", plain(chainage))])
            }
            LocationError::ChainageOutside {
                reach,
                chainage_m,
                length_m,
            } => Text::new(
                "tl-place-chainage-outside",
                vec![
                    ("chainage", plain(chainage_m)),
                    ("reach", plain(reach)),
                    ("length", plain(length_m)),
                ],
            ),
            LocationError::ReachWithoutChainage { reach } => {
                Text::new("tl-place-reach-without-chainage", vec![("reach", plain(reach))])
            }
            LocationError::Unknown { text } => Text::new("tl-place-unknown", vec![("place", plain(text))]),
        }
    }
}
