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
        "width_m must be between 0.5 and 20000 m, got 0",
        "discharge_m3_s.normal must be between 1e-4 and 1e6 m³/s",
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

#[test]
fn numbers_outside_their_plausible_range_are_refused_where_they_are() {
    // Values that once gave infinities and NaN balances with exit 0: every numeric field
    // has a plausible range (sim/src/scenario/ranges.rs, docs/scenario-format.md).
    let zone = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/demo-zone.toml")).unwrap();
    let edits = [
        (
            "depth_m = 5.0",
            "depth_m = 1e308",
            "depth_m must be between 0.05 and 200 m, got 1e308",
        ),
        (
            "width_m = 160.0",
            "width_m = 5e-324",
            "width_m must be between 0.5 and 20000 m, got 5e-324",
        ),
        (
            "manning_n = 0.025",
            "manning_n = 1e-300",
            "manning_n must be between 0.005 and 0.3",
        ),
        (
            "mean_depth_m = 2.65",
            "mean_depth_m = 1e308",
            "mean_depth_m must be between 0.1 and 2000 m",
        ),
        (
            "decay_per_day = 0.1",
            "decay_per_day = 1e308",
            "decay_per_day must be between 0 and 1000 1/day",
        ),
        // Road lengths and times that passed `check` and failed later, unlocated.
        (
            "length_km = 20.5",
            "length_km = 1e308",
            "length_km must be between 0.01 and 5000 km, got 1e308",
        ),
        (
            "access_min = 10.0",
            "access_min = 1e308",
            "access_min 1e308 is beyond one year",
        ),
        // A number where a name belongs: quoted as written, not as 309 digits.
        (
            "name = \"Suzhou–Jiaxing–Hangzhou expressway\"",
            "name = 1e308",
            "invalid type: floating point `1e308`, expected a string",
        ),
    ];
    let dir = std::env::temp_dir().join(format!("tripoint-ranges-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (from, to, says) in edits {
        assert!(zone.contains(from), "{from}");
        let path = dir.join("zone.toml");
        std::fs::write(&path, zone.replacen(from, to, 1)).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_tripoint"))
            .args(["check", path.to_str().unwrap()])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{to}: {stderr}");
        assert!(stderr.contains(says), "{to}: expected {says:?} in {stderr}");
        let line = zone[..zone.find(from).unwrap()].lines().count() + 1;
        assert!(
            stderr.contains(&format!("zone.toml:{line}:")),
            "{to}: not located at line {line}: {stderr}"
        );
    }
    // An incident discovered a lifetime after its release: refused where it is written,
    // not by the event kernel at run time.
    let incidents =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/two-incidents.toml")).unwrap();
    std::fs::write(dir.join("demo-zone.toml"), &zone).unwrap();
    let path = dir.join("late.toml");
    std::fs::write(
        &path,
        incidents.replacen("discovery_delay_min = 30.0", "discovery_delay_min = 1e308", 1),
    )
    .unwrap();
    let line = incidents[..incidents.find("discovery_delay_min = 30.0").unwrap()]
        .lines()
        .count()
        + 1;
    for command in ["check", "run"] {
        let out = Command::new(env!("CARGO_BIN_EXE_tripoint"))
            .args([command, path.to_str().unwrap()])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{command}: {stderr}");
        assert!(
            stderr.contains(&format!("late.toml:{line}:"))
                && stderr.contains("discovery_delay_min 1e308 is beyond one year"),
            "{command}: {stderr}"
        );
    }
    // The command line takes a released mass in the same range as a scenario.
    let out = Command::new(env!("CARGO_BIN_EXE_tripoint"))
        .args([
            "forecast",
            "--release",
            "fenhu",
            "--pollutant",
            "aniline",
            "--mass-kg",
            "1e308",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--mass-kg must be between 0.001 and 1e9 kg"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_scenario_cut_before_its_network_is_refused() {
    // Found by the input fuzzing (sim/tests/fuzz_inputs.rs): a file cut before its
    // `[[nodes]]` passed the loader and made `check` panic on the empty network.
    let zone = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/demo-zone.toml")).unwrap();
    let cut = &zone[..zone.find("[[nodes]]").unwrap()];
    let dir = std::env::temp_dir().join(format!("tripoint-cut-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("cut.toml");
    std::fs::write(&path, cut).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tripoint"))
        .args(["check", path.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("no river network"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}
