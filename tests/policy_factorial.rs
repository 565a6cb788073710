//! `--policy factorial`: the four cells of pooling × ranking side by side, and the
//! assumptions about county behaviour moved from the command line.

use serde_json::Value;
use std::process::Command;

fn tripoint_json(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_tripoint"))
        .args(args)
        .output()
        .expect("the binary runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("one JSON document")
}

fn city_centre_samples(report: &Value) -> i64 {
    report["teams"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| ["suzhou", "jiaxing", "shanghai_city"].contains(&t["jurisdiction"].as_str().unwrap()))
        .map(|t| t["samples"].as_i64().unwrap())
        .sum()
}

#[test]
fn run_factorial_gives_the_four_cells_with_their_switches() {
    let doc = tripoint_json(&["run", "--policy", "factorial", "--hours", "8", "--seeds", "2", "--json"]);
    let cells = doc["factorial"].as_array().expect("cells");
    let names: Vec<&str> = cells.iter().map(|c| c["policy"].as_str().unwrap()).collect();
    assert_eq!(names, ["county", "county_plume", "pooled_due", "unified"]);
    let switches: Vec<(&str, &str)> = cells
        .iter()
        .map(|c| (c["pooling"].as_str().unwrap(), c["ranking"].as_str().unwrap()))
        .collect();
    assert_eq!(
        switches,
        [
            ("county", "due_time"),
            ("county", "plume"),
            ("pooled", "due_time"),
            ("pooled", "plume")
        ]
    );
    for cell in cells {
        let reports = cell["reports"].as_array().unwrap();
        assert_eq!(reports.len(), 2);
        assert_eq!(reports[0]["policy"], cell["policy"]);
        let seeds: Vec<i64> = reports.iter().map(|r| r["seed"].as_i64().unwrap()).collect();
        assert_eq!(seeds, [0, 1]);
        let mean = cell["mean"]["samples_taken"].as_f64().unwrap();
        let by_hand = reports
            .iter()
            .map(|r| r["samples_taken"].as_f64().unwrap())
            .sum::<f64>()
            / 2.0;
        assert_eq!(mean, by_hand);
    }
}

#[test]
fn city_centres_backing_their_districts_work_under_county_dispatch_and_not_without() {
    let backed = tripoint_json(&["run", "--policy", "county", "--hours", "12", "--json"]);
    let foreign = tripoint_json(&["run", "--policy", "county", "--hours", "12", "--json", "--no-backing"]);
    assert!(
        city_centre_samples(&backed) > city_centre_samples(&foreign),
        "backed {} samples, foreign {}",
        city_centre_samples(&backed),
        city_centre_samples(&foreign)
    );
    // Pooled dispatch ignores borders, so backing changes nothing there.
    let pooled = tripoint_json(&["run", "--policy", "pooled_due", "--hours", "12", "--json"]);
    let pooled_foreign = tripoint_json(&[
        "run",
        "--policy",
        "pooled-due",
        "--hours",
        "12",
        "--json",
        "--no-backing",
    ]);
    assert_eq!(pooled["samples_taken"], pooled_foreign["samples_taken"]);
}

#[test]
fn a_drill_shows_its_ratings_under_the_four_cells() {
    let out = Command::new(env!("CARGO_BIN_EXE_tripoint"))
        .args(["drill", "dianshan-lake", "--policy", "factorial"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    for name in ["county", "county_plume", "pooled_due", "unified", "score"] {
        assert!(text.contains(name), "{name} missing: {text}");
    }
}

#[test]
fn factorial_refuses_what_takes_one_policy() {
    for args in [
        &["run", "--policy", "factorial", "--journal", "x.jsonl"][..],
        &["run", "--policy", "factorial", "--seeds", "0"][..],
        &["run", "--policy", "factorial", "--mutual-aid-delay-min", "-5"][..],
        &["drill", "two-incidents", "--policy", "factorial", "--report", "out"][..],
        &["run", "--policy", "federal"][..],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_tripoint"))
            .args(args)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn plans_come_with_a_sampling_schedule_for_the_field_teams() {
    let dir = std::env::temp_dir().join(format!("tripoint-plans-{}", std::process::id()));
    let out = Command::new(env!("CARGO_BIN_EXE_tripoint"))
        .args(["run", "--hours", "12", "--plans", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let plan: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("plan-wujiang_antimony.json")).unwrap()).unwrap();
    let csv = std::fs::read_to_string(dir.join("plan-wujiang_antimony.csv")).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(header[..4], ["due_s", "due", "kind", "point"]);
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    // One water row per scheduled sample of the plan and one sediment row per sediment
    // sample, in due order, each with coordinates; field blanks besides.
    let count = |key: &str| -> usize {
        plan["points"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p[key].as_array().unwrap().len())
            .sum()
    };
    let of_kind = |kind: &str| rows.iter().filter(|r| r[2] == kind).count();
    assert_eq!(of_kind("water"), count("schedule"));
    assert_eq!(of_kind("sediment"), count("sediment"));
    assert!(of_kind("field_blank") >= 1);
    assert_eq!(
        rows.len(),
        of_kind("water") + of_kind("sediment") + of_kind("field_blank")
    );
    // The plan names its points, teams and method by id, with coordinates, not indices.
    assert_eq!(plan["format"], "tripoint-plan/1");
    assert!(plan["points"][0]["team"]["id"].is_string());
    assert!(plan["points"][0]["lon"].is_f64());
    let dues: Vec<i64> = rows.iter().map(|r| r[0].parse().unwrap()).collect();
    assert!(dues.windows(2).all(|w| w[0] <= w[1]));
    let lon = header.iter().position(|h| *h == "lon").unwrap();
    assert!(
        rows.iter()
            .all(|r| r.len() == header.len() && r[lon].parse::<f64>().is_ok())
    );
    // The Jinze intake is in a 12-hour run's plan (the plume reaches it after the run).
    assert!(rows.iter().any(|r| r[3] == "jinze_intake"));
    std::fs::remove_dir_all(&dir).ok();
}
