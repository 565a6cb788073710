//! The scenario's risk-source inventory (`[[risk_sources]]`, docs/scenario-format.md)
//! written from the register: `tripoint db export-inventory`. The register holds more than
//! the scenario format does (coordinates, grade, outfall, receiving water, contact, last
//! inspection, amounts held); those stay in the register. Sources in id order, each
//! one's chemicals in the register's order (as imported: the scenario's), so the same
//! register always gives the same text.

use std::fmt::Write as _;
use tripoint_db::register::{Chemical, RiskSource};
use tripoint_sim::scenario::toml_string;

/// Smallest and largest credible release a scenario accepts [kg].
const RELEASE_KG_RANGE: (f64, f64) = (0.001, 1e9);

/// A float as TOML reads back to the same value (`4000.0`, `0.02`, `1e-5`).
fn float(x: f64) -> String {
    format!("{x:?}")
}

/// The inventory of `sources` (with their `chemicals`) as the scenario file writes it, or
/// every source the scenario format cannot take, each with the reason: a source with no
/// chemical, no place on the river network, a probability of 0, or a release out of range.
pub fn inventory_toml(sources: &[RiskSource], chemicals: &[Chemical]) -> Result<String, Vec<String>> {
    let mut sources: Vec<&RiskSource> = sources.iter().collect();
    sources.sort_by(|a, b| a.id.cmp(&b.id));
    let mut problems = Vec::new();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# The risk-source inventory (风险源清单): {} sources from the register (tripoint db export-inventory).",
        sources.len()
    );
    for s in sources {
        // In the order `chemicals` has them: the register's (`register::load`).
        let held: Vec<&Chemical> = chemicals.iter().filter(|c| c.source_id == s.id).collect();
        if held.is_empty() {
            problems.push(format!(
                "risk source {:?}: no chemical: a scenario's source holds at least one",
                s.id
            ));
        }
        if !(s.annual_probability > 0.0 && s.annual_probability <= 1.0) {
            problems.push(format!(
                "risk source {:?}: annual_probability {}: a scenario's is in (0, 1]",
                s.id, s.annual_probability
            ));
        }
        for c in &held {
            if !(RELEASE_KG_RANGE.0..=RELEASE_KG_RANGE.1).contains(&c.max_release_kg) {
                problems.push(format!(
                    "risk source {:?}, {}: max_release_kg {}: a scenario's is 0.001 to 1e9",
                    s.id, c.pollutant, c.max_release_kg
                ));
            }
        }
        out.push_str("\n[[risk_sources]]\n");
        let _ = writeln!(out, "id = {}", toml_string(&s.id));
        let _ = writeln!(out, "name = {}", toml_string(&s.name));
        if !s.name_zh.is_empty() {
            let _ = writeln!(out, "name_zh = {}", toml_string(&s.name_zh));
        }
        let _ = writeln!(out, "kind = {}", toml_string(&s.kind));
        if !s.sector.is_empty() {
            let _ = writeln!(out, "sector = {}", toml_string(&s.sector));
        }
        let _ = writeln!(out, "jurisdiction = {}", toml_string(&s.jurisdiction));
        match (&s.reach, s.chainage_m, &s.node) {
            (Some(reach), Some(chainage_m), None) => {
                let _ = writeln!(out, "reach = {}", toml_string(reach));
                let _ = writeln!(out, "chainage_m = {}", float(chainage_m));
            }
            (None, None, Some(node)) => {
                let _ = writeln!(out, "node = {}", toml_string(node));
            }
            _ => problems.push(format!(
                "risk source {:?}: no place on the river network (a reach and chainage, or a node)",
                s.id
            )),
        }
        let _ = writeln!(out, "road_node = {}", toml_string(&s.road_node));
        let _ = writeln!(out, "annual_probability = {}", float(s.annual_probability));
        if !s.note.is_empty() {
            let _ = writeln!(out, "note = {}", toml_string(&s.note));
        }
        for c in held {
            out.push_str("\n[[risk_sources.chemicals]]\n");
            let _ = writeln!(out, "pollutant = {}", toml_string(&c.pollutant));
            let _ = writeln!(out, "max_release_kg = {}", float(c.max_release_kg));
        }
    }
    if problems.is_empty() { Ok(out) } else { Err(problems) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_quoted_as_toml_reads_them_back() {
        let text = "a \"quoted\" \\ back\tslash\n盛泽\u{1}";
        let document = format!("x = {}\n", toml_string(text));
        let parsed: toml::Table = toml::from_str(&document).unwrap();
        assert_eq!(parsed["x"].as_str(), Some(text));
        for x in [4000.0, 0.02, 1e-5, 1e9, 0.001, 123.456_789] {
            let parsed: toml::Table = toml::from_str(&format!("x = {}\n", float(x))).unwrap();
            assert_eq!(parsed["x"].as_float(), Some(x));
        }
    }
}
