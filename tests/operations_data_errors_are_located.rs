//! Bad operations data (teams, road access, risk sources, incidents, `[operations]`) is a
//! located validation error with exit code 2, never a panic. Each fixture in
//! tests/fixtures/scenarios/ extends the built-in zone and adds only its bad entries, so
//! every problem must point into the fixture, not into the base.

use std::process::Command;

/// Runs `tripoint check` on a fixture that must be rejected; returns its stderr.
fn check(fixture: &str) -> String {
    let path = fixture_path(fixture);
    let out = Command::new(env!("CARGO_BIN_EXE_tripoint"))
        .args(["check", &path])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{fixture} should be rejected:\n{stderr}");
    assert!(out.stdout.is_empty(), "nothing on stdout for a rejected scenario");
    assert!(!stderr.contains("panicked"), "bad input must not panic:\n{stderr}");
    stderr
}

fn fixture_path(fixture: &str) -> String {
    format!("tests/fixtures/scenarios/{fixture}")
}

/// Asserts that each `(line, phrase)` is reported on its own `error:` line, located at
/// that line of the fixture itself.
fn assert_located(stderr: &str, fixture: &str, expected: &[(usize, &str)]) {
    let path = fixture_path(fixture);
    for (line, phrase) in expected {
        let located = format!("error: {path}:{line}:");
        assert!(
            stderr.lines().any(|l| l.starts_with(&located) && l.contains(phrase)),
            "missing {phrase:?} at {path}:{line} in\n{stderr}"
        );
    }
}

#[test]
fn teams_with_unknown_depot_vehicle_instrument_or_no_people_are_located() {
    let fixture = "ops_bad_teams.toml";
    let stderr = check(fixture);
    assert_located(
        &stderr,
        fixture,
        &[
            (9, "team `ghost_depot_team`: unknown depot `minhang_station`"),
            (20, "team `hovercraft_team`: unknown vehicle `hovercraft`"),
            (29, "team `tricorder_team`: unknown instrument `tricorder`"),
            (35, "team `empty_team`: size must be between 1 and 50, got 0"),
        ],
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn a_road_node_no_road_joins_to_a_depot_is_located_where_it_is_used() {
    let fixture = "ops_unreachable_road_node.toml";
    let stderr = check(fixture);
    assert_located(
        &stderr,
        fixture,
        &[
            (
                21,
                "point `island_section`: road node `island_jetty` cannot be reached by road from any depot",
            ),
            (
                30,
                "risk source `island_boatyard`: road node `island_jetty` cannot be reached by road from any depot",
            ),
        ],
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn bad_risk_sources_and_incidents_are_reported_together() {
    let fixture = "ops_bad_risk_sources_and_incidents.toml";
    let stderr = check(fixture);
    assert_located(
        &stderr,
        fixture,
        &[
            (
                15,
                "risk source `sure_thing`: annual_probability must be in (0, 1], got 1.5",
            ),
            (22, "risk source `empty_store`: list the chemicals it holds"),
            (33, "risk source `unlisted_store`: list the chemicals it holds"),
            (
                47,
                "risk source `past_the_end`: chainage_m 5000 is beyond the end of reach `taipu_jiashan`",
            ),
            (
                58,
                "incident `wrong_chemical`: risk source `wj_shengze_dyeing_1` does not hold `aniline`",
            ),
            (64, "incident `nowhere`: give either `source` or a place"),
            (71, "incident `unreported_delay`: a report needs discovery_delay_min"),
            (84, "incident `level_five`: unknown response level \"V\""),
        ],
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn an_unknown_base_scenario_is_named() {
    let fixture = "ops_unknown_base.toml";
    let stderr = check(fixture);
    assert!(
        stderr.contains(&fixture_path(fixture)),
        "the file is named in\n{stderr}"
    );
    assert!(
        stderr.contains("\"no-such-zone.toml\""),
        "the base is named in\n{stderr}"
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn operations_settings_that_stop_monitoring_or_never_pause_are_located() {
    let fixture = "ops_bad_operations_settings.toml";
    let stderr = check(fixture);
    assert_located(
        &stderr,
        fixture,
        &[
            (8, "[operations]: termination_rounds must be between 1 and 100, got 0"),
            (9, "[operations]: dense_interval_min must be at least 1 min, got 0"),
        ],
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn candidate_sites_with_taken_ids_or_unknown_road_nodes_are_located() {
    let fixture = "ops_bad_candidate_sites.toml";
    let stderr = check(fixture);
    assert_located(
        &stderr,
        fixture,
        &[
            (6, "candidate site `wujiang_station` has the id of a depot"),
            (13, "candidate site `new_post`: unknown road node `atlantis`"),
            (16, "duplicate candidate site id `lili_post`"),
        ],
    );
}
