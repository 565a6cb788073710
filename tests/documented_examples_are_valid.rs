//! The examples in the documentation are real: the minimal scenario in
//! docs/scenario-format.md loads and forecasts.

use std::process::Command;

#[test]
fn the_minimal_scenario_in_the_format_doc_is_valid() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/scenario-format.md")).unwrap();
    let start = doc.find("```toml\n").expect("a toml example in the doc") + "```toml\n".len();
    let end = start + doc[start..].find("```").expect("the example ends");
    let dir = std::env::temp_dir().join(format!("tripoint-doc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("minimal.toml");
    std::fs::write(&path, &doc[start..end]).unwrap();
    for args in [vec!["check"], vec!["forecast", "--hours", "12"]] {
        let out = Command::new(env!("CARGO_BIN_EXE_tripoint"))
            .args(&args)
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// The functions a drill script can call (sim/src/drill/script.rs registers them).
const DRILL_FUNCTIONS: [&str; 27] = [
    "drill",
    "description",
    "drill_zh",
    "description_zh",
    "sponsor_zh",
    "exercise_type",
    "date",
    "scenario",
    "flow",
    "start_at",
    "duration_hours",
    "procedure",
    "sponsor",
    "contact",
    "agency",
    "incident",
    "inject",
    "contingency",
    "adhoc",
    "breakdown",
    "short_staffed",
    "close_road",
    "station_failure",
    "kit_failure",
    "gate_change",
    "objective",
    "target",
];

#[test]
fn every_drill_function_is_documented_with_an_example() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/drill-api.md")).unwrap();
    for name in DRILL_FUNCTIONS {
        let heading = format!("\n### {name}\n");
        let at = doc
            .find(&heading)
            .unwrap_or_else(|| panic!("docs/drill-api.md has no section {name}"));
        let section = &doc[at + heading.len()..];
        let section = &section[..section.find("\n### ").unwrap_or(section.len())];
        assert!(
            section.contains("```rhai") && section.contains(&format!("{name}(")),
            "the section on {name} has no example calling it"
        );
    }
    // Every function the shipped drills call is documented.
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/drills")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
            if let Some(call) = line
                .split('(')
                .next()
                .filter(|c| !c.contains(' ') && !c.is_empty() && line.contains('('))
            {
                assert!(
                    DRILL_FUNCTIONS.contains(&call.trim()),
                    "undocumented call {call:?} in a shipped drill"
                );
            }
        }
    }
}

#[test]
fn the_complete_drill_in_the_api_doc_runs() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/drill-api.md")).unwrap();
    let section = &doc[doc.find("## A complete drill").expect("the complete example")..];
    let start = section.find("```rhai\n").unwrap() + "```rhai\n".len();
    let end = start + section[start..].find("```").unwrap();
    let path = std::env::temp_dir().join(format!("tripoint-doc-drill-{}.rhai", std::process::id()));
    std::fs::write(&path, &section[start..end]).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tripoint"))
        .arg("drill")
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let summary = String::from_utf8(out.stdout).unwrap();
    assert!(summary.contains("T1"), "{summary}");
    std::fs::remove_file(&path).ok();
}

#[test]
fn the_plan_edit_example_in_its_doc_applies_to_the_built_in_run() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/plan-edits.md")).unwrap();
    let start = doc.find("```toml\n").expect("a toml example in the doc") + "```toml\n".len();
    let end = start + doc[start..].find("```").expect("the example ends");
    let dir = std::env::temp_dir().join(format!("tripoint-doc-edits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("edits.toml");
    std::fs::write(&path, &doc[start..end]).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tripoint"))
        .args(["run", "--hours", "24", "--json", "--plan-edits"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let edits = report["plan_edits"].as_array().unwrap();
    assert_eq!(edits.len(), 5);
    assert!(
        edits.iter().all(|e| e["applied"] == true),
        "every edit of the doc's example applies: {edits:#?}"
    );
    std::fs::remove_dir_all(&dir).ok();
}
