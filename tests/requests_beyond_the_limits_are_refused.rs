//! Requests for unbounded work are checked against their documented limits before any
//! work starts: `--threads` above 256, a split into more shards than trials or than
//! 10,000 — a clear message naming the limit, exit code 2, at once.

use std::process::Command;
use std::time::{Duration, Instant};

/// Runs the binary and expects exit 2 with `says`, within `within`: before the unit
/// responses or any trial.
fn refused_at_once(args: &[&str], says: &str) {
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_tripoint"))
        .args(args)
        .output()
        .expect("the binary runs");
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "args {args:?}: {stderr}");
    assert!(stderr.contains(says), "args {args:?}: expected {says:?} in {stderr}");
    assert!(
        !stderr.contains("unit responses"),
        "args {args:?}: the work started before the request was checked: {stderr}"
    );
    assert!(elapsed < Duration::from_secs(10), "args {args:?}: took {elapsed:?}");
}

#[test]
fn too_many_threads_are_refused() {
    let says = "--threads must be between 1 and 256, got 100000";
    refused_at_once(&["plan", "evaluate", "--threads", "100000"], says);
    refused_at_once(
        &["plan", "optimise", "--threads", "100000", "--report", "never-report"],
        says,
    );
    refused_at_once(&["plan", "evaluate", "--threads", "257"], "got 257");
}

#[test]
fn impossible_splits_are_refused() {
    refused_at_once(
        &[
            "plan",
            "evaluate",
            "--shard",
            "0/18446744073709551615",
            "--out",
            "never.json",
        ],
        "at most 10000 are allowed",
    );
    refused_at_once(
        &[
            "plan",
            "evaluate",
            "--trials",
            "24",
            "--shard",
            "0/25",
            "--out",
            "never.json",
        ],
        "25 shards of 24 trials",
    );
    assert!(!std::path::Path::new("never.json").exists());
}

#[test]
fn output_paths_are_checked_before_the_work() {
    let dir = std::env::temp_dir().join(format!("tripoint-outputs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("a-file");
    std::fs::write(&file, "").unwrap();
    let (dir_s, file_s) = (dir.to_str().unwrap(), file.to_str().unwrap());
    let missing = dir.join("no-such-folder").join("x.json");
    let evaluate = |flag: &str, path: &str| {
        vec!["plan", "evaluate", "--trials", "4", "--hours", "6", flag, path]
            .into_iter()
            .map(String::from)
            .collect::<Vec<String>>()
    };
    let cases = [
        (evaluate("--out", dir_s), "a folder, not a file"),
        (
            evaluate("--out", missing.to_str().unwrap()),
            "no-such-folder does not exist",
        ),
        (evaluate("--report", file_s), "a file, not a folder"),
    ];
    for (args, says) in &cases {
        refused_at_once(&args.iter().map(String::as_str).collect::<Vec<_>>(), says);
    }
    refused_at_once(
        &["plan", "merge", "never-read.json", "--report", file_s],
        "a file, not a folder",
    );
    // A run, a drill and the site search check theirs before simulating anything.
    let journal = missing.to_str().unwrap();
    refused_at_once(&["run", "--journal", journal], "no-such-folder does not exist");
    refused_at_once(&["run", "--plans", file_s], "--plans");
    refused_at_once(&["drill", "two-incidents", "--journal", dir_s], "a folder, not a file");
    refused_at_once(&["drill", "two-incidents", "--report", file_s], "a file, not a folder");
    refused_at_once(&["drill", "two-incidents", "--plans", file_s], "--plans");
    refused_at_once(&["plan", "optimise", "--report", file_s], "a file, not a folder");
    assert!(!missing.exists());
    let _ = std::fs::remove_dir_all(&dir);
}
