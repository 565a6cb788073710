//! Synthetic networks K times the demonstration zone, for measuring how the cost of a
//! forecast or a planner run grows with the size of the network (issue 19).
//!
//! [`zone_copies`] writes a scenario text: K copies of the built-in zone's rivers, lakes,
//! named points, risk sources, roads, depots and teams, each copy with its own
//! jurisdictions, chained into one network. Copy `c`'s Huangpu end, an outlet in the
//! zone, becomes a junction that sends the Taipu Gate's discharge on to copy `c + 1`'s
//! Taipu Gate (no longer an inflow) through a link reach, and the rest to a spill outlet of
//! its own: every junction balances exactly in every regime, and every copy carries the
//! zone's own flows. One road joins copy `c`'s Shanghai centre to copy `c + 1`'s Suzhou
//! centre, so that every team can drive everywhere. Copy 1 keeps the zone's ids and holds
//! the zone's release; copy `c ≥ 2` appends `_c{c}` to every id it owns (regimes and
//! pollutants are shared). Each copy after the first has its reaches lengthened or
//! shortened by a factor drawn from the seeded generator (chainages on them scaled alike),
//! so that the copies are not all the same river. Same settings, same text, byte for byte.
//!
//! The text is written here rather than by a TOML serialiser: the scenario format uses
//! strings, numbers, booleans, arrays, inline tables and one nested list of tables
//! (`[[risk_sources.chemicals]]`), and keys are written in sorted order, so the output does
//! not depend on a map's iteration order.

use crate::scenario::{SCENARIO_BYTES_MAX, builtin_text, toml_string};
use rand::{Rng as _, SeedableRng as _};
use rand_chacha::ChaCha8Rng;
use std::fmt::Write as _;
use toml::{Table, Value};

/// Most copies of the zone in one synthetic scenario; 200 copies are about 12 MB of text,
/// near the 16 MiB a scenario file may have.
pub const COPIES_MAX: usize = 200;
/// Largest relative change of a reach's length in the copies after the first.
pub const LENGTH_JITTER_MAX: f64 = 0.5;
/// Length of the link reach from one copy's Huangpu end to the next copy's gate [m].
pub const LINK_LENGTH_M: f64 = 2_000.0;
/// Length of the spill reach that takes the rest of a copy's outflow away [m].
pub const SPILL_LENGTH_M: f64 = 1_000.0;
/// Length of the road between one copy's Shanghai centre and the next copy's Suzhou [km].
pub const LINK_ROAD_KM: f64 = 100.0;
/// Speed on that road [km/h].
pub const LINK_ROAD_SPEED_KMH: f64 = 90.0;

/// The zone's outlet that feeds the next copy.
const OUTLET_NODE: &str = "huangpu";
/// The zone's inflow that the previous copy feeds.
const INFLOW_NODE: &str = "taipu_gate";
/// The road nodes the link road joins: this copy's end, the next copy's start.
const ROAD_FROM: &str = "shanghai";
const ROAD_TO: &str = "suzhou";
/// Degrees between copies in the drawing: the zone spans about 0.95° by 0.55°.
const COPY_STEP_LON_DEG: f64 = 1.0;
const COPY_STEP_LAT_DEG: f64 = 0.6;

/// Sections written in this order; the zone's other sections are refused.
const SECTIONS: &[&str] = &[
    "jurisdictions",
    "regimes",
    "pollutants",
    "nodes",
    "reaches",
    "points",
    "releases",
    "flow_changes",
    "risk_sources",
    "road_nodes",
    "roads",
    "depots",
    "candidate_sites",
    "teams",
    "incidents",
];
/// Sections written once, as they are in the zone (shared, or belonging to copy 1).
const SECTIONS_ONCE: &[&str] = &["regimes", "pollutants", "releases", "flow_changes", "incidents"];
/// Keys whose string values (or lists of strings) name something a copy owns: its own
/// id, a node, reach, jurisdiction, road node or depot of the same copy.
const OWNED_REFERENCE_KEYS: &[&str] = &[
    "id",
    "jurisdiction",
    "backs",
    "borders",
    "from",
    "to",
    "node",
    "reach",
    "road_node",
    "depot",
];

/// What to build.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SyntheticZone {
    /// Number of copies of the zone, 1 to [`COPIES_MAX`]; 1 is the zone itself.
    pub copies: usize,
    /// Seed of the reach lengths of copies 2 and later.
    pub seed: u64,
    /// Reach lengths of copies 2 and later are multiplied by a factor drawn uniformly in
    /// `1 ± length_jitter`; 0 to [`LENGTH_JITTER_MAX`]. 0 makes every copy the zone.
    pub length_jitter: f64,
}

impl Default for SyntheticZone {
    fn default() -> Self {
        SyntheticZone {
            copies: 1,
            seed: 0,
            length_jitter: 0.1,
        }
    }
}

/// Why no scenario was written.
#[derive(Clone, Debug, PartialEq)]
pub enum SyntheticError {
    Copies(usize),
    Jitter(f64),
    /// The built-in zone is not what the generator expects (a build defect).
    Zone(String),
    TooLarge {
        bytes: usize,
    },
}

impl std::fmt::Display for SyntheticError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SyntheticError::Copies(n) => write!(f, "copies must be between 1 and {COPIES_MAX}, got {n}"),
            SyntheticError::Jitter(j) => {
                write!(f, "length jitter must be between 0 and {LENGTH_JITTER_MAX}, got {j}")
            }
            SyntheticError::Zone(what) => write!(f, "the built-in zone cannot be copied: {what}"),
            SyntheticError::TooLarge { bytes } => write!(
                f,
                "the scenario would be {bytes} bytes; a scenario file may have {SCENARIO_BYTES_MAX}"
            ),
        }
    }
}

impl std::error::Error for SyntheticError {}

/// The id copy `copy` (1-based) gives to the zone's `id`.
pub fn copy_id(id: &str, copy: usize) -> String {
    if copy <= 1 {
        id.to_string()
    } else {
        format!("{id}_c{copy}")
    }
}

/// The scenario text of `config.copies` chained copies of the built-in zone.
pub fn zone_copies(config: &SyntheticZone) -> Result<String, SyntheticError> {
    if !(1..=COPIES_MAX).contains(&config.copies) {
        return Err(SyntheticError::Copies(config.copies));
    }
    if !(0.0..=LENGTH_JITTER_MAX).contains(&config.length_jitter) {
        return Err(SyntheticError::Jitter(config.length_jitter));
    }
    let zone_text = builtin_text("demo-zone.toml").expect("the zone is among the built-in scenarios");
    let zone: Table = toml::from_str(zone_text).map_err(|e| SyntheticError::Zone(e.to_string()))?;
    let chain = Chain::of(&zone)?;
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let mut sections: Vec<(&str, Vec<Table>)> = SECTIONS.iter().map(|s| (*s, Vec::new())).collect();
    for key in zone.keys() {
        if key != "scenario" && key != "operations" && !SECTIONS.contains(&key.as_str()) {
            return Err(SyntheticError::Zone(format!("unexpected section `{key}`")));
        }
    }
    for copy in 1..=config.copies {
        let lengths = length_factors(&zone, copy, config.length_jitter, &mut rng)?;
        for (name, out) in sections.iter_mut() {
            if copy > 1 && SECTIONS_ONCE.contains(name) {
                continue;
            }
            for entry in entries(&zone, name)? {
                out.push(copy_entry(name, entry, copy, config.copies, &lengths)?);
            }
        }
    }
    // After every copy is there: a join changes a node of the next copy too.
    for copy in 1..config.copies {
        chain.join(copy, &mut sections);
    }
    let mut text = String::new();
    let _ = writeln!(
        text,
        "# Synthetic scenario: {} chained copies of the built-in demonstration zone (seed {}, \
         length jitter {}), written by tripoint_sim::synthetic. Not a real place.",
        config.copies, config.seed, config.length_jitter
    );
    let mut settings = zone
        .get("scenario")
        .and_then(Value::as_table)
        .cloned()
        .ok_or_else(|| SyntheticError::Zone("no [scenario]".into()))?;
    settings.insert(
        "name".into(),
        Value::String(format!("Synthetic network: the demonstration zone × {}", config.copies)),
    );
    settings.insert(
        "description".into(),
        Value::String(format!(
            "{} copies of the demonstration zone, each copy's Huangpu end feeding the next copy's Taipu Gate; \
             reach lengths of copies 2 and later drawn within ±{} (seed {}). For measuring cost against size.",
            config.copies, config.length_jitter, config.seed
        )),
    );
    write_table_section(&mut text, "scenario", &settings)?;
    if let Some(operations) = zone.get("operations").and_then(Value::as_table) {
        write_table_section(&mut text, "operations", operations)?;
    }
    for (name, list) in &sections {
        for entry in list {
            write_list_entry(&mut text, name, entry)?;
        }
    }
    if text.len() > SCENARIO_BYTES_MAX {
        return Err(SyntheticError::TooLarge { bytes: text.len() });
    }
    Ok(text)
}

/// The entries of a list section of the zone (none if the zone has no such section).
fn entries<'a>(zone: &'a Table, section: &str) -> Result<Vec<&'a Table>, SyntheticError> {
    let Some(value) = zone.get(section) else {
        return Ok(Vec::new());
    };
    let list = value
        .as_array()
        .ok_or_else(|| SyntheticError::Zone(format!("`{section}` is not a list")))?;
    list.iter()
        .map(|v| {
            v.as_table()
                .ok_or_else(|| SyntheticError::Zone(format!("`{section}` holds a non-table")))
        })
        .collect()
}

/// Each reach's length factor in copy `copy`, by reach id (1 in copy 1), drawn in the
/// zone's reach order.
fn length_factors(
    zone: &Table,
    copy: usize,
    jitter: f64,
    rng: &mut ChaCha8Rng,
) -> Result<Vec<(String, f64)>, SyntheticError> {
    entries(zone, "reaches")?
        .into_iter()
        .map(|reach| {
            let id = reach
                .get("id")
                .and_then(Value::as_str)
                .ok_or_else(|| SyntheticError::Zone("a reach without an id".into()))?;
            let factor = if copy == 1 || jitter == 0.0 {
                1.0
            } else {
                1.0 + jitter * (2.0 * rng.random::<f64>() - 1.0)
            };
            Ok((id.to_string(), factor))
        })
        .collect()
}

/// One entry of `section` as copy `copy` has it.
fn copy_entry(
    section: &str,
    entry: &Table,
    copy: usize,
    copies: usize,
    lengths: &[(String, f64)],
) -> Result<Table, SyntheticError> {
    let mut out = Table::new();
    for (key, value) in entry {
        let value = if copy > 1 && OWNED_REFERENCE_KEYS.contains(&key.as_str()) {
            rename(value, copy)?
        } else if copy > 1 && (key == "name" || key == "name_zh") && value.as_str().is_some_and(|s| !s.is_empty()) {
            let name = value.as_str().unwrap_or_default();
            Value::String(if key == "name" {
                format!("{name} (copy {copy})")
            } else {
                format!("{name}（副本{copy}）")
            })
        } else if key == "lon" || key == "lat" {
            Value::Float(shift(value, key == "lon", copy, copies)?)
        } else if key == "path" {
            shift_path(value, copy, copies)?
        } else {
            value.clone()
        };
        out.insert(key.clone(), value);
    }
    scale_lengths(section, entry, &mut out, lengths);
    Ok(out)
}

/// Scales a reach's length, or the chainage of a place on a reach, by the reach's factor,
/// to whole metres; a chainage stays within its reach.
fn scale_lengths(section: &str, entry: &Table, out: &mut Table, lengths: &[(String, f64)]) {
    let factor_of = |reach: &str| lengths.iter().find(|(id, _)| id == reach).map(|(_, f)| *f);
    let scaled = |value: &Value, factor: f64| number(value).map(|v| (v * factor).round());
    // The place a length or chainage belongs to: the reach itself, or the reach named.
    let (reach, key, least) = if section == "reaches" {
        (entry.get("id"), "length_m", 1.0)
    } else {
        (entry.get("reach"), "chainage_m", 0.0)
    };
    let factor = reach.and_then(Value::as_str).and_then(factor_of).filter(|f| *f != 1.0);
    if let (Some(factor), Some(value)) = (factor, entry.get(key))
        && let Some(v) = scaled(value, factor)
    {
        out.insert(key.into(), Value::Float(v.max(least)));
    }
}

/// A float or integer value as a float.
fn number(value: &Value) -> Option<f64> {
    value.as_float().or_else(|| value.as_integer().map(|i| i as f64))
}

/// A reference (or list of them) as copy `copy` names it.
fn rename(value: &Value, copy: usize) -> Result<Value, SyntheticError> {
    match value {
        Value::String(s) => Ok(Value::String(copy_id(s, copy))),
        Value::Array(items) => items
            .iter()
            .map(|v| rename(v, copy))
            .collect::<Result<_, _>>()
            .map(Value::Array),
        other => Err(SyntheticError::Zone(format!(
            "a reference that is not a string: {other:?}"
        ))),
    }
}

/// Where copy `copy` is drawn: copies in rows of `ceil(√copies)`.
fn offset_deg(copy: usize, copies: usize) -> (f64, f64) {
    let columns = (copies as f64).sqrt().ceil().max(1.0) as usize;
    let index = copy - 1;
    (
        (index % columns) as f64 * COPY_STEP_LON_DEG,
        (index / columns) as f64 * COPY_STEP_LAT_DEG,
    )
}

fn shift(value: &Value, is_lon: bool, copy: usize, copies: usize) -> Result<f64, SyntheticError> {
    let degrees = number(value).ok_or_else(|| SyntheticError::Zone("a coordinate that is not a number".into()))?;
    let (lon, lat) = offset_deg(copy, copies);
    // Rounded to 1e-6° (about 0.1 m) so that the text does not carry the sum's rounding.
    Ok(((degrees + if is_lon { lon } else { lat }) * 1e6).round() / 1e6)
}

fn shift_path(value: &Value, copy: usize, copies: usize) -> Result<Value, SyntheticError> {
    let vertices = value
        .as_array()
        .ok_or_else(|| SyntheticError::Zone("a path that is not a list".into()))?;
    vertices
        .iter()
        .map(|vertex| match vertex.as_array().map(Vec::as_slice) {
            Some([lon, lat]) => Ok(Value::Array(vec![
                Value::Float(shift(lon, true, copy, copies)?),
                Value::Float(shift(lat, false, copy, copies)?),
            ])),
            _ => Err(SyntheticError::Zone("a path vertex that is not [lon, lat]".into())),
        })
        .collect::<Result<_, _>>()
        .map(Value::Array)
}

/// What joins one copy to the next, read from the zone.
struct Chain {
    /// The outlet node and the inflow node as the zone has them.
    outlet: Table,
    inflow: Table,
    /// Discharge per regime leaving the inflow node (the link carries it).
    link_q: Table,
    /// Discharge per regime arriving at the outlet node less the link's (the spill's).
    spill_q: Table,
    /// The reach out of the inflow (the link's cross-section) and into the outlet (the
    /// spill's).
    inflow_reach: Table,
    outlet_reach: Table,
}

impl Chain {
    fn of(zone: &Table) -> Result<Chain, SyntheticError> {
        let node = |id: &str| -> Result<Table, SyntheticError> {
            entries(zone, "nodes")?
                .into_iter()
                .find(|n| n.get("id").and_then(Value::as_str) == Some(id))
                .cloned()
                .ok_or_else(|| SyntheticError::Zone(format!("no node `{id}`")))
        };
        let reaches = entries(zone, "reaches")?;
        let touching = |key: &str, id: &str| -> Vec<&Table> {
            reaches
                .iter()
                .copied()
                .filter(|r| r.get(key).and_then(Value::as_str) == Some(id))
                .collect()
        };
        let (out_of_inflow, into_outlet) = (touching("from", INFLOW_NODE), touching("to", OUTLET_NODE));
        let (Some(inflow_reach), Some(outlet_reach)) = (out_of_inflow.first(), into_outlet.first()) else {
            return Err(SyntheticError::Zone(format!(
                "`{INFLOW_NODE}` needs a reach out and `{OUTLET_NODE}` a reach in"
            )));
        };
        let link_q = sum_discharges(&out_of_inflow)?;
        let arriving_q = sum_discharges(&into_outlet)?;
        let mut spill_q = Table::new();
        for (regime, q_in) in &arriving_q {
            let q_link = link_q.get(regime).and_then(Value::as_float).unwrap_or(0.0);
            let q_spill = q_in.as_float().unwrap_or(0.0) - q_link;
            if q_spill <= 0.0 {
                return Err(SyntheticError::Zone(format!(
                    "regime `{regime}`: `{OUTLET_NODE}` receives no more than `{INFLOW_NODE}` releases"
                )));
            }
            spill_q.insert(regime.clone(), Value::Float(q_spill));
        }
        Ok(Chain {
            outlet: node(OUTLET_NODE)?,
            inflow: node(INFLOW_NODE)?,
            link_q,
            spill_q,
            inflow_reach: (*inflow_reach).clone(),
            outlet_reach: (*outlet_reach).clone(),
        })
    }

    /// Joins copy `copy` to copy `copy + 1`: the two nodes become junctions, and a link
    /// reach, a spill reach and outlet, and a link road are added.
    fn join(&self, copy: usize, sections: &mut [(&str, Vec<Table>)]) {
        let next = copy + 1;
        let outlet_id = copy_id(OUTLET_NODE, copy);
        let inflow_id = copy_id(INFLOW_NODE, next);
        let spill_id = copy_id(&format!("{OUTLET_NODE}_spill"), copy);
        let list = |sections: &mut [(&str, Vec<Table>)], name: &str| -> usize {
            sections.iter().position(|(s, _)| *s == name).expect("a known section")
        };
        let nodes = list(sections, "nodes");
        let mut spill_node = Table::new();
        for (id, node) in sections[nodes]
            .1
            .iter_mut()
            .map(|n| (n.get("id").and_then(Value::as_str).map(str::to_string), n))
        {
            if id.as_deref() == Some(outlet_id.as_str()) {
                spill_node = node.clone();
                node.insert("kind".into(), Value::String("junction".into()));
            }
            if id.as_deref() == Some(inflow_id.as_str()) {
                node.insert("kind".into(), Value::String("junction".into()));
            }
        }
        spill_node.insert("id".into(), Value::String(spill_id.clone()));
        spill_node.insert(
            "name".into(),
            Value::String(format!("Spill outlet below the Huangpu end of copy {copy}")),
        );
        spill_node.remove("name_zh");
        spill_node.insert("kind".into(), Value::String("outlet".into()));
        if let Some(lat) = spill_node.get("lat").and_then(Value::as_float) {
            spill_node.insert("lat".into(), Value::Float(((lat - 0.01) * 1e6).round() / 1e6));
        }
        spill_node.insert(
            "note".into(),
            Value::String("synthetic: takes what the next copy does not".into()),
        );
        sections[nodes].1.push(spill_node);

        let reaches = list(sections, "reaches");
        let link = reach_like(
            &self.inflow_reach,
            &format!("chain_{copy}_{next}"),
            &format!("Link from copy {copy} to copy {next}"),
            &outlet_id,
            &inflow_id,
            &copy_id(
                self.inflow
                    .get("jurisdiction")
                    .and_then(Value::as_str)
                    .unwrap_or_default(),
                next,
            ),
            LINK_LENGTH_M,
            &self.link_q,
        );
        let spill = reach_like(
            &self.outlet_reach,
            &copy_id("spill", copy),
            &format!("Spill of copy {copy}"),
            &outlet_id,
            &spill_id,
            &copy_id(
                self.outlet
                    .get("jurisdiction")
                    .and_then(Value::as_str)
                    .unwrap_or_default(),
                copy,
            ),
            SPILL_LENGTH_M,
            &self.spill_q,
        );
        sections[reaches].1.push(link);
        sections[reaches].1.push(spill);

        let roads = list(sections, "roads");
        let mut road = Table::new();
        road.insert("from".into(), Value::String(copy_id(ROAD_FROM, copy)));
        road.insert("to".into(), Value::String(copy_id(ROAD_TO, next)));
        road.insert(
            "name".into(),
            Value::String(format!("Link road from copy {copy} to copy {next}")),
        );
        road.insert("length_km".into(), Value::Float(LINK_ROAD_KM));
        road.insert("speed_kmh".into(), Value::Float(LINK_ROAD_SPEED_KMH));
        sections[roads].1.push(road);
    }
}

/// Discharge per regime summed over reaches.
fn sum_discharges(reaches: &[&Table]) -> Result<Table, SyntheticError> {
    let mut sum = Table::new();
    for reach in reaches {
        let q = reach
            .get("discharge_m3_s")
            .and_then(Value::as_table)
            .ok_or_else(|| SyntheticError::Zone("a reach without discharge_m3_s".into()))?;
        for (regime, value) in q {
            let v = number(value).ok_or_else(|| SyntheticError::Zone("a discharge that is not a number".into()))?;
            let before = sum.get(regime).and_then(Value::as_float).unwrap_or(0.0);
            sum.insert(regime.clone(), Value::Float(before + v));
        }
    }
    Ok(sum)
}

/// A new reach with the cross-section and roughness of `template`.
#[allow(clippy::too_many_arguments)]
fn reach_like(
    template: &Table,
    id: &str,
    name: &str,
    from: &str,
    to: &str,
    jurisdiction: &str,
    length_m: f64,
    discharge: &Table,
) -> Table {
    let mut reach = Table::new();
    for key in ["width_m", "depth_m", "manning_n"] {
        if let Some(v) = template.get(key) {
            reach.insert(key.into(), v.clone());
        }
    }
    reach.insert("id".into(), Value::String(id.into()));
    reach.insert("name".into(), Value::String(name.into()));
    reach.insert("from".into(), Value::String(from.into()));
    reach.insert("to".into(), Value::String(to.into()));
    reach.insert("jurisdiction".into(), Value::String(jurisdiction.into()));
    reach.insert("length_m".into(), Value::Float(length_m));
    reach.insert("discharge_m3_s".into(), Value::Table(discharge.clone()));
    reach
}

fn write_table_section(text: &mut String, name: &str, table: &Table) -> Result<(), SyntheticError> {
    let _ = writeln!(text, "\n[{name}]");
    write_keys(text, name, table)
}

fn write_list_entry(text: &mut String, name: &str, table: &Table) -> Result<(), SyntheticError> {
    let _ = writeln!(text, "\n[[{name}]]");
    write_keys(text, name, table)
}

/// The keys of a table in sorted order: plain values first, then its lists of tables
/// as `[[parent.key]]` entries.
fn write_keys(text: &mut String, parent: &str, table: &Table) -> Result<(), SyntheticError> {
    let mut keys: Vec<&String> = table.keys().collect();
    keys.sort();
    let is_table_list = |v: &Value| {
        v.as_array()
            .is_some_and(|items| !items.is_empty() && items.iter().all(Value::is_table))
    };
    for key in &keys {
        let value = &table[key.as_str()];
        if !is_table_list(value) {
            let _ = writeln!(text, "{} = {}", toml_key(key), toml_value(value)?);
        }
    }
    for key in &keys {
        if let Some(items) = table[key.as_str()]
            .as_array()
            .filter(|_| is_table_list(&table[key.as_str()]))
        {
            for item in items {
                let path = format!("{parent}.{}", toml_key(key));
                write_list_entry(text, &path, item.as_table().expect("checked to be a table"))?;
            }
        }
    }
    Ok(())
}

fn toml_key(key: &str) -> String {
    let bare = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare { key.to_string() } else { toml_string(key) }
}

fn toml_value(value: &Value) -> Result<String, SyntheticError> {
    Ok(match value {
        Value::String(s) => toml_string(s),
        Value::Integer(i) => i.to_string(),
        Value::Float(f) if f.is_finite() => {
            // `{:?}` writes the shortest text that reads back as the same number, always
            // with a `.` or an exponent, both of which TOML reads as a float.
            format!("{f:?}")
        }
        Value::Float(f) => return Err(SyntheticError::Zone(format!("a number that is not finite: {f}"))),
        Value::Boolean(b) => b.to_string(),
        Value::Array(items) => {
            let items: Result<Vec<String>, _> = items.iter().map(toml_value).collect();
            format!("[{}]", items?.join(", "))
        }
        Value::Table(table) => {
            let mut keys: Vec<&String> = table.keys().collect();
            keys.sort();
            let items: Result<Vec<String>, SyntheticError> = keys
                .into_iter()
                .map(|k| Ok(format!("{} = {}", toml_key(k), toml_value(&table[k.as_str()])?)))
                .collect();
            format!("{{ {} }}", items?.join(", "))
        }
        Value::Datetime(_) => return Err(SyntheticError::Zone("a date-time value".into())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_for_toml() {
        assert_eq!(toml_string("a\"b\\c\u{7f}\n"), "\"a\\\"b\\\\c\\u007F\\n\"");
        assert_eq!(toml_key("normal"), "normal");
        assert_eq!(toml_key("a b"), "\"a b\"");
    }

    #[test]
    fn floats_read_back_as_the_same_number() {
        for f in [150.0, 0.0005, 1e-7, 1.5e20, 120.49, -0.25] {
            let text = format!("x = {}", toml_value(&Value::Float(f)).unwrap());
            let table: Table = toml::from_str(&text).unwrap();
            assert_eq!(table["x"].as_float(), Some(f), "{text}");
        }
    }

    #[test]
    fn bad_settings_are_refused() {
        let config = |copies, length_jitter| SyntheticZone {
            copies,
            seed: 0,
            length_jitter,
        };
        assert_eq!(zone_copies(&config(0, 0.1)), Err(SyntheticError::Copies(0)));
        assert_eq!(
            zone_copies(&config(COPIES_MAX + 1, 0.1)),
            Err(SyntheticError::Copies(COPIES_MAX + 1))
        );
        assert_eq!(zone_copies(&config(2, 0.6)), Err(SyntheticError::Jitter(0.6)));
        assert!(matches!(
            zone_copies(&config(2, f64::NAN)),
            Err(SyntheticError::Jitter(_))
        ));
    }
}
