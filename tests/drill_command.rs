//! `tripoint drill`, run as a user would: the shipped drills write a readable report, the
//! same seed writes the same bytes, and a broken or hostile script exits 2 with its place.

mod support;

use support::{read, tripoint};

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("tripoint-drill-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn every_shipped_drill_writes_the_after_action_report() {
    let root = env!("CARGO_MANIFEST_DIR");
    for name in ["two-incidents", "night-antimony-station-failure", "dianshan-lake"] {
        let dir = scratch(name);
        let script = format!("{root}/scripts/drills/{name}.rhai");
        let out = tripoint(&["drill", &script, "--report", dir.to_str().unwrap()]);
        assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        let summary = String::from_utf8(out.stdout).unwrap();
        assert!(summary.contains("Score "), "{summary}");
        let md = read(&dir, "report.md");
        // The report opens with the outcome that matters: the intakes, right after the
        // drill's name.
        let first_section = md.lines().filter(|l| l.starts_with("## ")).nth(1).unwrap();
        assert_eq!(first_section, "## Outcome at the drinking-water intakes", "{name}");
        for heading in [
            "### Points of contact",
            "### Participating agencies",
            "| Sponsor |",
            "## 1. Exercise overview",
            "## 2. Objectives and ratings",
            "## 3. Analysis of capabilities",
            "Strengths:",
            "Areas for improvement:",
            "## 5. Teams",
            "## 6. Injects as delivered (MSEL)",
            "## 7. Timeline",
            "## Appendix A: Improvement plan",
        ] {
            assert!(md.contains(heading), "{name}: report.md lacks {heading:?}");
        }
        let json: serde_json::Value = serde_json::from_str(&read(&dir, "report.json")).expect("JSON");
        for key in [
            "score",
            "objectives",
            "improvement_plan",
            "injects",
            "charts",
            "team_timelines",
            "response_times",
        ] {
            assert!(!json[key].is_null(), "{name}: report.json lacks {key}");
        }
        // Every chart the report links exists and is an SVG with its limit line.
        for line in md.lines().filter(|l| l.starts_with("![")) {
            let file = &line[line.find("](").unwrap() + 2..line.len() - 1];
            let svg = read(&dir, file);
            assert!(svg.starts_with("<svg"), "{file}");
            if file.starts_with("concentration-") {
                assert!(svg.contains("limit"), "{file} has no limit line");
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn the_same_script_and_seed_write_byte_identical_reports() {
    let (a, b) = (scratch("same-a"), scratch("same-b"));
    for dir in [&a, &b] {
        let out = tripoint(&[
            "drill",
            "two-incidents",
            "--seed",
            "11",
            "--policy",
            "county",
            "--report",
            dir.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let mut files: Vec<_> = std::fs::read_dir(&a).unwrap().map(|e| e.unwrap().file_name()).collect();
    files.sort();
    assert!(files.len() >= 5);
    for file in files {
        let name = file.to_str().unwrap();
        assert_eq!(read(&a, name), read(&b, name), "{name} differs");
    }
    let _ = std::fs::remove_dir_all(&a);
    let _ = std::fs::remove_dir_all(&b);
}

fn script_file(name: &str, text: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("tripoint-{name}-{}.rhai", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_syntax_error_exits_2_naming_the_line() {
    let path = script_file("syntax", "drill(\"broken\");\ndate(\"2026-12-01\")\nlet = 5;\n");
    let out = tripoint(&["drill", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains(&format!("{}:3:", path.display())), "{err}");
    assert!(err.contains("let = 5;"), "the excerpt shows the line: {err}");
}

#[test]
fn an_endless_script_is_stopped_with_exit_2() {
    let path = script_file("endless", "drill(\"spin\");\nlet i = 0;\nwhile true { i += 1; }\n");
    let out = tripoint(&["drill", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains(":3:") && err.contains("operations"), "{err}");
}

#[test]
fn an_unknown_drill_or_policy_exits_2() {
    let out = tripoint(&["drill", "no-such-drill"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("two-incidents"),
        "lists the shipped drills"
    );
    let out = tripoint(&["drill", "two-incidents", "--policy", "anarchy"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_drill_writes_every_plan_revision_with_its_schedule() {
    let dir = scratch("plans");
    let out = tripoint(&["drill", "two-incidents", "--plans", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for incident in ["wujiang_antimony", "jiashan_aniline_tanker"] {
        let md = read(&dir, &format!("plan-{incident}-r1.md"));
        assert!(md.contains(incident), "{md}");
        let json: serde_json::Value = serde_json::from_str(&read(&dir, &format!("plan-{incident}-r1.json"))).unwrap();
        assert_eq!(json["revision"], 1);
        let csv = read(&dir, &format!("plan-{incident}-r1.csv"));
        assert!(csv.lines().count() > 1, "a header and samples: {csv}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn check_lists_every_id_a_drill_script_may_use_with_names() {
    let out = tripoint(&["check", "--list"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    for expected in [
        "jurisdictions",
        "qingpu",
        "Qingpu District",
        "pollutants",
        "antimony",
        "named points",
        "jinze_intake",
        "fenhu_bridge_station",
        "risk sources",
        "js_fenyu_bridge",
        "depots",
        "teams",
        "qingpu_boat",
        "by boat",
        "road nodes",
        "fenyu",
        "flow regimes",
        "normal",
    ] {
        assert!(text.contains(expected), "check --list lacks {expected:?}");
    }
}

#[test]
fn the_alarm_drill_reports_when_the_source_was_identified() {
    // Run from its file, as a drill director would: no report, only the station's alarm.
    let root = env!("CARGO_MANIFEST_DIR");
    let dir = scratch("alarm-unknown-source");
    let script = format!("{root}/scripts/drills/alarm-unknown-source.rhai");
    let out = tripoint(&["drill", &script, "--report", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_str(&read(&dir, "report.json")).expect("JSON");
    let incident = &json["incidents"][0];
    assert!(
        incident["discovered_by"]
            .as_str()
            .unwrap_or("")
            .starts_with("alarm at "),
        "{incident}"
    );
    let task = json["objectives"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|o| o["targets"].as_array().unwrap())
        .find(|t| t["id"] == "T1.1")
        .map(|t| &t["tasks"][0])
        .expect("T1.1");
    let evidence = &task["evidence"];
    assert_eq!(
        evidence["args"]["evidence"]["value"]["id"], "ev-source-identified",
        "{evidence}"
    );
    assert!(task["performed_s"].as_i64().is_some(), "{task}");
    // The evidence is in the after-action report a person reads.
    let md = read(&dir, "report.md");
    assert!(md.contains("source identified at"), "report.md lacks the evidence");
    assert!(
        md.contains("Lili dyeing plant No. 2 identified"),
        "report.md lacks the task"
    );
}
