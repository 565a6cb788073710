//! `tripoint plan optimise` as a planner runs it: the same proposal, report and trials for
//! one and two threads; every plot the report names exists; the search never ends worse
//! than where it started; the check reports the four dispatch cells side by side in the
//! text, the JSON and the report; bad requests exit with 2 and say what is wrong.

mod support;

use support::{read, tripoint};

const SMALL: [&str; 14] = [
    "--search-trials",
    "12",
    "--verify-trials",
    "16",
    "--max-evaluations",
    "25",
    "--hours",
    "8",
    "--seed",
    "3",
    "--teams",
    "11",
    "--instruments",
    "sb_voltammetry=9,aniline_kit=3",
];

#[test]
fn optimise_is_thread_independent_and_writes_its_report() {
    let tmp = std::env::temp_dir().join(format!("tripoint-plan-optimise-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let run = |threads: &str, dir: &str| -> String {
        let report = tmp.join(dir).display().to_string();
        let mut args = vec!["plan", "optimise", "--threads", threads, "--report", &report];
        args.extend(SMALL);
        let out = tripoint(&args);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let one = run("1", "one");
    let two = run("2", "two");
    assert_eq!(one, two, "the printed summary depends on the thread count");
    for name in [
        "report.md",
        "trials.csv",
        "optimise.json",
        "sites_map.svg",
        "tradeoff.svg",
    ] {
        assert_eq!(
            read(&tmp.join("one"), name),
            read(&tmp.join("two"), name),
            "{name}: 1 vs 2 threads"
        );
    }
    let dir = tmp.join("one");
    let report = read(&dir, "report.md");
    for line in report.lines().filter(|l| l.starts_with("![")) {
        let name = line.rsplit_once('(').unwrap().1.trim_end_matches(')');
        assert!(read(&dir, name).starts_with("<svg"), "{name}");
    }
    for heading in [
        "## The proposal",
        "## Checked on other trials, under the four dispatch cells",
        "## The classical location models",
        "## Trade-off: teams fielded against intake warning",
    ] {
        assert!(report.contains(heading), "{heading} missing");
    }
    // Budget kept: 11 teams fielded, 9 antimony and 3 aniline kits among them.
    let json: serde_json::Value = serde_json::from_str(&read(&dir, "optimise.json")).unwrap();
    let proposed = &json["search"]["proposed"];
    let fielded: Vec<usize> = (0..13).filter(|&t| !proposed["station"][t].is_null()).collect();
    assert_eq!(fielded.len(), 11);
    let carrying = |kit: &str| {
        fielded
            .iter()
            .filter(|&&t| proposed["kits"][t].as_array().unwrap().iter().any(|k| k == kit))
            .count()
    };
    assert_eq!((carrying("sb_voltammetry"), carrying("aniline_kit")), (9, 3));
    // The search only accepts improvements: proposed ≥ greedy or start, lexicographically.
    let score = |key: &str| {
        let s = &json["search"][key];
        (s["primary"].as_f64().unwrap(), s["secondary"].as_f64().unwrap())
    };
    let (p, start, greedy) = (score("proposed_score"), score("start_score"), score("greedy_score"));
    for other in [start, greedy] {
        assert!(
            p.0 > other.0 || (p.0 == other.0 && p.1 >= other.1),
            "{p:?} worse than {other:?}"
        );
    }
    // The curve goes from one team to the budget.
    let curve: Vec<u64> = json["search"]["curve"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["teams"].as_u64().unwrap())
        .collect();
    assert_eq!(curve, (1..=11).collect::<Vec<u64>>());
    // trials.csv: one row per allocation (today, today within the budget, proposed, three
    // classical), checking trial and dispatch cell.
    let csv = read(&dir, "trials.csv");
    assert_eq!(csv.lines().count(), 1 + 6 * 16 * 4);
    assert!(csv.lines().nth(1).unwrap().starts_with("today,12,county,"), "{csv}");
    for cell in CELLS {
        let rows = csv.lines().filter(|l| l.split(',').nth(2) == Some(cell)).count();
        assert_eq!(rows, 6 * 16, "{cell} rows in trials.csv");
    }
    // optimise.json: every allocation summarised under the four cells, in the same order,
    // and the curve as checked under each.
    let names = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names(&json["check_policies"]), CELLS);
    for compared in json["compared"].as_array().unwrap() {
        let policies: Vec<&str> = compared["summaries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["policy"].as_str().unwrap())
            .collect();
        assert_eq!(policies, CELLS, "{}", compared["label"]);
    }
    let checked = json["curve_checked"].as_array().unwrap();
    assert_eq!(checked.len(), 11);
    for size in checked {
        let cells: Vec<&String> = size["intake_warned"].as_object().unwrap().keys().collect();
        assert_eq!(cells.len(), 4, "{size}");
    }
    // report.md: the comparison and the trade-off table have a column per cell.
    let table_header = format!("| measure | {} |", CELLS.join(" | "));
    assert_eq!(report.matches(&table_header).count(), 6, "one table per allocation");
    let curve_header = report
        .lines()
        .find(|l| l.starts_with("| teams |"))
        .expect("the trade-off table");
    for cell in CELLS {
        assert!(
            curve_header.contains(&format!("intake warned, {cell} (checking)")),
            "{curve_header}"
        );
    }
    // The printed summary: the four cells as columns of each measure's block.
    let header = one
        .lines()
        .find(|l| l.trim_start().starts_with("intake warned [%]"))
        .expect("the intake-warning block");
    let columns: Vec<&str> = header.split_whitespace().skip(3).collect();
    assert_eq!(columns, CELLS, "{one}");
}

const CELLS: [&str; 4] = ["county", "county_plume", "pooled_due", "unified"];

#[test]
fn bad_requests_exit_2_and_say_what() {
    let refused = |extra: &[&str], says: &str| {
        // Refused before the report folder is even looked at: nothing is created.
        let report = std::env::temp_dir().join(format!("tripoint-never-written-{}", std::process::id()));
        let report = report.to_str().unwrap().to_string();
        let mut args = vec!["plan", "optimise", "--report", report.as_str()];
        args.extend(extra);
        let out = tripoint(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "args {extra:?}: {stderr}");
        assert!(stderr.contains(says), "args {extra:?}: expected {says:?} in {stderr}");
    };
    refused(
        &["--teams", "0"],
        "--teams must be between 1 and the scenario's 13 teams",
    );
    refused(&["--teams", "14"], "got 14");
    refused(&["--instruments", "icp_ms=2"], "`icp_ms` is not a field kit");
    refused(&["--instruments", "sb_voltammetry=many"], "whole number");
    refused(&["--instruments", "sb_voltammetry"], "is not KIT=N");
    refused(&["--instruments", "aniline_kit=1,aniline_kit=2"], "given twice");
    refused(
        &["--teams", "2", "--instruments", "sb_voltammetry=3"],
        "cannot be carried by 2 teams",
    );
    refused(&["--search-trials", "0"], "--search-trials must be between 1");
    refused(&["--radius", "-5"], "--radius");
    refused(&["no-such-scenario.toml"], "no-such-scenario.toml");
    let never = std::env::temp_dir().join(format!("tripoint-never-written-{}", std::process::id()));
    assert!(!never.exists(), "a refused request created its report folder");
    // A report that cannot be written is refused before the search.
    let out = tripoint(&["plan", "optimise", "--report", "/proc/no-such/report"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--report /proc/no-such/report"));
}
