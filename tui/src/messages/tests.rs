//! The English messages of `check.ftl` are the library's English, byte for byte: every
//! kind of scenario problem is made (the built-in zone with one edit each, and a few
//! files of their own), rendered through the English messages and compared with what
//! `ScenarioError`'s `Display` writes; and every `sc-` message is reached.

use super::*;
use std::collections::BTreeSet;
use tripoint_sim::scenario::{Scenario, SourceText, builtin_text};

/// One edit of the built-in zone per kind of problem: (text to find, its replacement).
const EDITS: &[(&str, &str)] = &[
    ("length_m = 13000.0", "length_m = -5.0"),
    ("length_m = 13000.0", "length_m = 2000000.0"),
    ("width_m = 160.0", "width_m = 1e308"),
    ("start_min = 120.0", "start_min = -1.0"),
    ("start_min = 120.0", "start_min = 1e9"),
    ("id = \"taipu_gate\"", "id = \"taipu gate\""),
    ("id = \"pingwang\"", "id = \"taipu_gate\""),
    ("from = \"taipu_gate\"", "from = \"nowhere\""),
    ("from = \"taipu_gate\"", "from = \"luxu\""),
    ("target_class = \"III\"", "target_class = \"VI\""),
    ("backs = [\"wujiang\"]", "backs = [\"suzhou\"]"),
    ("standard_item = \"antimony\"", "standard_item = \"unobtainium\""),
    ("standard_item = \"antimony\"", "standard_item = \"water_temperature\""),
    (
        "detection_limit_mg_l = 0.0005",
        "detection_limit_mg_l = 0.5\nlimit_mg_l = 0.005",
    ),
    ("lon = 120.490", "lon = 200.0"),
    ("lat = 31.125", "lat = 95.0"),
    ("area_km2 = 5.61", ""),
    ("cells = 3", "cells = 0"),
    ("cells = 3", "cells = -1"),
    ("kind = \"inflow\"", "kind = \"inflow\"\ncells = 2"),
    ("kind = \"inflow\"", "kind = \"river\""),
    (
        "discharge_m3_s = { drought = 60.0, normal = 150.0, flood = 603.0 }",
        "discharge_m3_s = { drought = 60.0, normal = 150.0, flood = 603.0, monsoon = 1.0 }",
    ),
    (
        "discharge_m3_s = { drought = 60.0, normal = 150.0, flood = 603.0 }",
        "discharge_m3_s = { drought = 60.0, normal = 150.0 }",
    ),
    (
        "discharge_m3_s = { drought = 60.0, normal = 150.0, flood = 603.0 }",
        "discharge_m3_s = { drought = 60.0, normal = 9999.0, flood = 603.0 }",
    ),
    ("to = \"pingwang\"", "to = \"taipu_gate\""),
    ("chainage_m = 8000.0", "chainage_m = 99999999.0"),
    ("chainage_m = 8000.0", ""),
    ("reach = \"taipu_wujiang_2\"\nchainage_m = 8000.0", ""),
    ("mass_kg = 300.0", ""),
    (
        "from = \"suzhou\"\nto = \"songling\"",
        "from = \"suzhou\"\nto = \"nowhere\"",
    ),
    ("mass_kg = 300.0", "mass_kg = 300.0\ncolour = \"red\""),
    ("mass_kg = 300.0", "mass_kg = \"lots\""),
    ("kind = \"outlet\"", "kind = \"inflow\""),
    ("kind = \"junction\"", "kind = \"outlet\""),
    ("kind = \"inflow\"", "kind = \"outlet\""),
    ("kind = \"inflow\"", "kind = \"junction\""),
    (
        "kind = \"outlet\"",
        "kind = \"lake\"\narea_km2 = 1.0\nmean_depth_m = 1.0",
    ),
];

/// Problems the edits above cannot make: whole files of their own.
fn own_files() -> Vec<String> {
    let zone = builtin_text("demo-zone.toml").expect("the built-in zone");
    vec![
        String::new(),
        include_str!("../../../tests/fixtures/scenarios/many_problems.toml").to_string(),
        "regimes = 5\n".to_string(),
        "[[nodes]\n".to_string(),
        format!("{zone}\n[[bridges]]\nid = \"x\"\n"),
        format!(
            "{zone}\n[[nodes]]\nid = \"lonely\"\nname = \"x\"\nkind = \"inflow\"\njurisdiction = \"wujiang\"\nlon = 120.0\nlat = 31.0\n"
        ),
        "#".repeat(tripoint_sim::scenario::SCENARIO_BYTES_MAX + 1),
        "[[regimes]]\nid = \"r\"\n".repeat(100_001),
    ]
}

fn problems_of(text: &str) -> ScenarioError {
    match Scenario::parse(&SourceText::new("zone.toml", text)) {
        Ok(_) => panic!("the file should have been refused:\n{}", &text[..text.len().min(200)]),
        Err(e) => e,
    }
}

#[test]
fn english_messages_are_the_library_text_for_every_scenario_problem() {
    let zone = builtin_text("demo-zone.toml").expect("the built-in zone");
    let mut files: Vec<String> = EDITS
        .iter()
        .map(|(from, to)| {
            assert!(zone.contains(from), "the zone has no {from:?}");
            zone.replacen(from, to, 1)
        })
        .collect();
    files.extend(own_files());
    let mut reached = BTreeSet::new();
    for text in &files {
        let error = problems_of(text);
        for problem in &error.problems {
            // A problem without data (an operations section's, a lake cell's) shows its
            // English in every language (docs/i18n.md lists them).
            let Some(text) = problem.text.as_ref() else {
                continue;
            };
            assert_eq!(self::text(Lang::En, text), problem.message, "{text:?}");
            reached.extend(text.ids());
        }
        assert_eq!(scenario_error_in(Lang::En, &error), error.to_string());
    }
    let all: BTreeSet<&str> = crate::i18n::EN_FILES
        .iter()
        .filter(|(name, _)| *name == "check.ftl")
        .flat_map(|(_, text)| text.lines())
        .filter_map(|line| line.split_once(" = ").map(|(key, _)| key))
        .filter(|key| key.starts_with("sc-") && !["sc-header", "sc-problem"].contains(key))
        .collect();
    // `sc-other` is for a message serde may write that none of the forms above is.
    let unreached: Vec<&&str> = all
        .iter()
        .filter(|key| !reached.contains(**key) && **key != "sc-other")
        .collect();
    assert!(unreached.is_empty(), "no case reaches {unreached:?}");
}

#[test]
fn chinese_problems_keep_their_place_and_excerpt() {
    let zone = builtin_text("demo-zone.toml").expect("the built-in zone");
    let error = problems_of(&zone.replacen("length_m = 13000.0", "length_m = -5.0", 1));
    let shown = scenario_error(Lang::ZhCn, &error);
    assert!(shown.starts_with("情景文件有 "), "{shown}");
    assert!(shown.contains("处问题\n\n错误：zone.toml:444:12: "), "{shown}");
    assert!(
        shown.contains("河段 `taipu_wujiang_1`：length_m 必须为正数，实际为 -5"),
        "{shown}"
    );
    assert!(shown.contains("| length_m = -5.0"), "{shown}");
    assert!(crate::i18n::english_phrases(&shown).is_empty(), "{shown}");
}

#[test]
fn english_network_messages_are_the_library_text() {
    let errors = [
        NetworkError::TooManyCells { n_cells: 5_000_000 },
        NetworkError::Cycle,
        NetworkError::TooMuchWork {
            regime: "normal".into(),
            reach: "r1".into(),
            dt_s: 0.0012345,
            velocity_m_s: 0.5,
            dispersion_m2_s: 12345.678,
            dx_m: 100.0,
            hours: 72.0,
            substeps: 3.4e12,
        },
    ];
    for error in &errors {
        assert_eq!(network_error_in(Lang::En, error), error.to_string());
        let chinese = network_error(Lang::ZhCn, error);
        assert!(crate::i18n::english_phrases(&chinese).is_empty(), "{chinese}");
    }
}
