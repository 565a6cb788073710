//! `tripoint plan locate` on the OR-Library p-median files beside the project
//! (`resources/orlib/`, copied from `../shared/data/orlib/`): the published optima are reached, and bad files or requests
//! exit with 2 and say where the problem is.

mod support;

use std::path::PathBuf;
use support::tripoint;

fn orlib(file: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("resources/orlib")
        .join(file);
    assert!(path.is_file(), "{} is missing", path.display());
    path.display().to_string()
}

/// The `key=value` lines of a successful run.
fn run_ok(args: &[&str]) -> Vec<(String, String)> {
    let out = tripoint(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "args {args:?}: {stderr}");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let (key, value) = line.split_once('=').unwrap_or_else(|| panic!("not key=value: {line}"));
            (key.to_string(), value.to_string())
        })
        .collect()
}

fn value<'a>(lines: &'a [(String, String)], key: &str) -> &'a str {
    lines
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no {key}= line in {lines:?}"))
}

fn sites(lines: &[(String, String)]) -> Vec<usize> {
    value(lines, "sites").split(',').map(|s| s.parse().unwrap()).collect()
}

#[test]
fn pmed1_median_reaches_5819_with_five_sorted_one_based_sites() {
    let lines = run_ok(&[
        "plan",
        "locate",
        "--orlib",
        &orlib("pmed1.txt"),
        "--p",
        "5",
        "--objective",
        "median",
    ]);
    assert_eq!(
        lines[0],
        ("objective".to_string(), "5819".to_string()),
        "objective first"
    );
    let sites = sites(&lines);
    assert_eq!(sites.len(), 5);
    assert!(sites.windows(2).all(|w| w[0] < w[1]), "sorted: {sites:?}");
    assert!(sites.iter().all(|&s| (1..=100).contains(&s)), "1-based: {sites:?}");
    assert_eq!(value(&lines, "lower_bound"), "5819", "proven optimal");
    assert_eq!(value(&lines, "gap_percent"), "0.000");
}

#[test]
fn pmed5_median_reaches_1355_with_the_file_p_of_33() {
    let lines = run_ok(&[
        "plan",
        "locate",
        "--orlib",
        &orlib("pmed5.txt"),
        "--objective",
        "median",
    ]);
    assert_eq!(value(&lines, "objective"), "1355");
    assert_eq!(sites(&lines).len(), 33);
    assert_eq!(value(&lines, "lower_bound"), "1355", "proven optimal");
}

#[test]
fn pmed1_and_pmed5_centers_reach_127_and_48() {
    for (file, optimum) in [("pmed1.txt", "127"), ("pmed5.txt", "48")] {
        let lines = run_ok(&["plan", "locate", "--orlib", &orlib(file), "--objective", "center"]);
        assert_eq!(value(&lines, "objective"), optimum, "{file}");
        assert_eq!(value(&lines, "lower_bound"), optimum, "{file}: proven");
    }
}

#[test]
fn covering_counts_the_nodes_within_the_radius_and_bounds_them_from_above() {
    let lines = run_ok(&[
        "plan",
        "locate",
        "--orlib",
        &orlib("pmed1.txt"),
        "--p",
        "5",
        "--objective",
        "covering",
        "--radius",
        "100",
    ]);
    let covered: f64 = value(&lines, "objective").parse().unwrap();
    let bound: f64 = value(&lines, "upper_bound").parse().unwrap();
    // The p-center optimum is 127, so 100 cannot cover all 100 nodes with 5 sites.
    assert!(covered > 50.0 && covered < 100.0, "covered {covered}");
    assert!(bound >= covered && bound < 100.0, "bound {bound}");
}

fn assert_bad_input(args: &[&str], expected: &str) {
    let out = tripoint(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "args {args:?}: {stderr}");
    assert!(
        stderr.contains(expected),
        "args {args:?}: expected {expected:?} in {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.stdout.is_empty(), "nothing on stdout for bad input");
}

#[test]
fn a_malformed_file_exits_2_naming_the_file_and_line() {
    let dir = std::env::temp_dir().join(format!("tripoint-plan-locate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cases = [
        ("node.txt", "3 2 1\n1 2 5\n2 7 5\n", ":3: node 7 is out of range 1..=3"),
        (
            "short.txt",
            "3 3 1\n1 2 5\n2 3 5\n",
            ":4: the header declares 3 edges but the file ends after 2",
        ),
        (
            "cost.txt",
            "3 2 1\n1 2 five\n2 3 5\n",
            ":2: `five` is not a whole number",
        ),
        (
            "header.txt",
            "3 2\n1 2 5\n",
            ":1: expected a header `n m p` (3 numbers), found 2 fields",
        ),
    ];
    for (name, text, expected) in cases {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let shown = path.display().to_string();
        assert_bad_input(
            &["plan", "locate", "--orlib", &shown],
            &format!("error: {shown}{expected}"),
        );
    }
    std::fs::remove_dir_all(&dir).ok();
    assert_bad_input(&["plan", "locate", "--orlib", "no/such/file.txt"], "no/such/file.txt");
}

#[test]
fn p_of_zero_or_above_the_node_count_and_misplaced_radius_exit_2() {
    let pmed1 = orlib("pmed1.txt");
    assert_bad_input(
        &["plan", "locate", "--orlib", &pmed1, "--p", "0"],
        "--p must be at least 1",
    );
    assert_bad_input(
        &["plan", "locate", "--orlib", &pmed1, "--p", "101"],
        "--p 101 is more than the 100 nodes of",
    );
    assert_bad_input(
        &["plan", "locate", "--orlib", &pmed1, "--objective", "covering"],
        "--objective covering needs --radius",
    );
    assert_bad_input(
        &[
            "plan",
            "locate",
            "--orlib",
            &pmed1,
            "--objective",
            "median",
            "--radius",
            "5",
        ],
        "--radius applies only to --objective covering",
    );
}
