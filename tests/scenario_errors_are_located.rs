//! Malformed scenarios: every problem reported at once, with file, line, column and an
//! excerpt, and exit code 2. The fixtures are in tests/fixtures/scenarios/.

use std::process::Command;

fn check(fixture: &str) -> String {
    let path = format!("tests/fixtures/scenarios/{fixture}");
    let out = Command::new(env!("CARGO_BIN_EXE_tripoint"))
        .args(["check", &path])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs");
    assert_eq!(out.status.code(), Some(2), "{fixture} should be rejected");
    assert!(out.stdout.is_empty(), "nothing on stdout for a rejected scenario");
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn many_problems_are_reported_together() {
    let stderr = check("many_problems.toml");
    for expected in [
        "unknown field `colour`",
        "unknown jurisdiction `zhejiang`",
        "length_m must be positive, got -500",
        "width_m must be positive, got 0",
        "discharge_m3_s.normal must be positive",
        "flows do not balance at node `a`",
        "form a cycle",
        "unknown pollutant `arsenic_trioxide`",
        "unknown node `nowhere`",
    ] {
        assert!(stderr.contains(expected), "missing {expected:?} in\n{stderr}");
    }
    insta::assert_snapshot!(stderr);
}

#[test]
fn a_syntax_error_points_at_the_broken_line() {
    insta::assert_snapshot!(check("syntax_error.toml"));
}

#[test]
fn wrong_types_and_unknown_sections_are_located() {
    insta::assert_snapshot!(check("wrong_types.toml"));
}

#[test]
fn the_built_in_scenario_checks_clean() {
    let out = Command::new(env!("CARGO_BIN_EXE_tripoint"))
        .arg("check")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("ok"));
}

#[test]
fn a_binary_file_is_rejected_without_panic() {
    let dir = std::env::temp_dir().join(format!("tripoint-binary-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("garbage.toml");
    std::fs::write(&path, [0xff, 0xfe, 0x00, 0x9f, 0x92, 0x96]).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tripoint"))
        .args(["check", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not UTF-8"));
    std::fs::remove_dir_all(&dir).ok();
}
