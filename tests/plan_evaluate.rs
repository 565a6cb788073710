//! `tripoint plan evaluate` and `tripoint plan merge` as a planner runs them: the same
//! trials and summary for one thread, two threads and two merged shards; a report with
//! its plots and `trials.csv`; bad requests exit with 2 and say what is wrong.

mod support;

use support::{read, tripoint};

fn ok(args: &[&str]) -> String {
    let out = tripoint(args);
    assert!(
        out.status.success(),
        "args {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn refused(args: &[&str], says: &str) {
    let out = tripoint(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "args {args:?}: {stderr}");
    assert!(stderr.contains(says), "args {args:?}: expected {says:?} in {stderr}");
}

const SMALL: [&str; 8] = ["--trials", "24", "--hours", "6", "--seed", "5", "--pairs", "0.5"];

#[test]
fn threads_and_shards_give_the_same_trials_and_report() {
    let tmp = std::env::temp_dir().join(format!("tripoint-plan-evaluate-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).unwrap();
    let dir = |name: &str| tmp.join(name).display().to_string();
    let with = |extra: &[&str]| -> Vec<String> {
        let mut args: Vec<String> = ["plan", "evaluate"].iter().map(|s| s.to_string()).collect();
        args.extend(SMALL.iter().map(|s| s.to_string()));
        args.extend(extra.iter().map(|s| s.to_string()));
        args
    };
    let run = |extra: &[&str]| {
        let args = with(extra);
        ok(&args.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let one = run(&["--threads", "1", "--report", &dir("one")]);
    let two = run(&["--threads", "2", "--report", &dir("two")]);
    run(&["--shard", "1/2", "--out", &dir("s1.json")]);
    run(&["--shard", "0/2", "--out", &dir("s0.json")]);
    let merged = ok(&[
        "plan",
        "merge",
        &dir("s1.json"),
        &dir("s0.json"),
        "--report",
        &dir("merged"),
    ]);
    assert_eq!(one, two, "the printed summary depends on the thread count");
    assert_eq!(one, merged, "merged shards differ from one run");
    for name in ["trials.csv", "summary.json", "report.md"] {
        let a = read(&tmp.join("one"), name);
        assert_eq!(a, read(&tmp.join("two"), name), "{name}: 1 vs 2 threads");
        assert_eq!(a, read(&tmp.join("merged"), name), "{name}: one run vs merged shards");
    }
    // The report: both policies, every plot referenced exists and is an SVG.
    let report = read(&tmp.join("one"), "report.md");
    assert!(report.contains("| measure | county | unified |"), "{report}");
    for line in report.lines().filter(|l| l.starts_with("![")) {
        let name = line.rsplit_once('(').unwrap().1.trim_end_matches(')');
        assert!(read(&tmp.join("one"), name).starts_with("<svg"), "{name}");
    }
    // trials.csv: a header and one row per trial and policy.
    let csv = read(&tmp.join("one"), "trials.csv");
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(&header[..4], ["trial", "policy", "regime", "pair"]);
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 48);
    assert!(rows.iter().all(|r| r.len() == header.len()));
    assert!(rows.iter().any(|r| r[3] == "true") && rows.iter().any(|r| r[3] == "false"));
    // A summary line a planner reads.
    assert!(one.contains("site sample P90 [min]"), "{one}");

    // Merging needs every shard once, from the same set-up.
    refused(&["plan", "merge", &dir("s0.json")], "missing shards: 1/2");
    refused(
        &["plan", "merge", &dir("s0.json"), &dir("s0.json")],
        "both are shard 0/2",
    );
    let other = dir("other.json");
    ok(&[
        "plan", "evaluate", "--trials", "24", "--hours", "7", "--seed", "5", "--pairs", "0.5", "--shard", "1/2",
        "--out", &other,
    ]);
    refused(
        &["plan", "merge", &dir("s0.json"), &dir("other.json")],
        "another set-up",
    );
    std::fs::write(tmp.join("broken.json"), "{\"spec\": 3}").unwrap();
    refused(&["plan", "merge", &dir("broken.json")], "broken.json:1:");
    let _ = std::fs::remove_dir_all(&tmp);
}

#[test]
fn impossible_requests_are_refused() {
    refused(&["plan", "evaluate", "--trials", "0"], "--trials");
    refused(&["plan", "evaluate", "--hours", "-1"], "--hours");
    refused(&["plan", "evaluate", "--pairs", "1.5"], "--pairs");
    refused(&["plan", "evaluate", "--shard", "2/2", "--out", "x.json"], "--shard");
    refused(&["plan", "evaluate", "--shard", "0/2"], "--shard needs --out");
    refused(&["plan", "evaluate", "--threads", "0"], "--threads");
    refused(&["plan", "evaluate", "no-such-zone.toml"], "no-such-zone.toml");
}
