//! `tripoint forecast`, and the no-argument main job without a terminal, run as a user
//! would.

mod support;

use std::process::Command;
use support::tripoint;

#[test]
fn no_arguments_without_a_terminal_says_how_to_run_headless() {
    // Under the test harness stdout is a pipe: the console cannot open.
    let out = tripoint(&[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("needs a terminal"), "{err}");
    assert!(err.contains("tripoint drill two-incidents"), "{err}");
}

#[test]
fn forecast_prints_the_built_in_release() {
    let out = tripoint(&["forecast"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("jinze_intake"), "{text}");
    assert!(text.contains("Mass balance"), "{text}");
}

#[test]
fn json_lists_the_intake_and_border_sections_with_arrival_peak_and_exceedance() {
    let out = tripoint(&["forecast", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    let points = doc["points"].as_array().expect("points");
    let jinze = points
        .iter()
        .find(|p| p["point"] == "jinze_intake")
        .expect("Jinze intake listed");
    for field in [
        "leading_edge_s",
        "peak_s",
        "peak_mg_l",
        "over_limit_from_s",
        "over_limit_duration_s",
    ] {
        assert!(jinze[field].is_number(), "{field} missing: {jinze}");
    }
    let borders: Vec<_> = points.iter().filter(|p| p["kind"] == "border_section").collect();
    assert!(borders.len() >= 2, "border sections: {borders:?}");
    assert!(borders.iter().all(|b| b["reached"].is_boolean()));
    let balance = &doc["mass_balance"][0];
    assert!(balance["relative_imbalance"].as_f64().unwrap().abs() < 1e-9);
}

#[test]
fn a_release_given_on_the_command_line_replaces_the_scenario_release() {
    let out = tripoint(&[
        "forecast",
        "--release",
        "taipu_qingpu@1000",
        "--pollutant",
        "aniline",
        "--mass-kg",
        "50",
        "--duration-min",
        "30",
        "--at",
        "06:00",
        "--flow",
        "flood",
        "--hours",
        "12",
        "--json",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["regime"], "flood");
    assert_eq!(doc["releases"].as_array().unwrap().len(), 1);
    assert_eq!(doc["releases"][0]["pollutant"], "aniline");
    assert_eq!(doc["start_s"], 6 * 3600);
    assert_eq!(doc["end_s"], 18 * 3600);
    // Only points below the release in Qingpu are listed.
    let points = doc["points"].as_array().unwrap();
    assert!(points.iter().all(|p| p["jurisdiction"] == "qingpu"), "{points:?}");
}

#[test]
fn the_journal_is_written_and_identical_across_runs() {
    let dir = std::env::temp_dir().join(format!("tripoint-journal-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (a, b) = (dir.join("a.jsonl"), dir.join("b.jsonl"));
    for path in [&a, &b] {
        let out = tripoint(&["forecast", "--hours", "6", "--journal", path.to_str().unwrap()]);
        assert!(out.status.success());
    }
    let (a, b) = (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    assert!(a.len() > 10_000);
    assert_eq!(a, b);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn opening_the_gate_during_the_forecast_brings_the_plume_to_jinze_sooner() {
    let leading_edge = |args: &[&str]| -> i64 {
        let out = tripoint(args);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let points = doc["points"].as_array().unwrap();
        points.iter().find(|p| p["point"] == "jinze_intake").unwrap()["leading_edge_s"]
            .as_i64()
            .unwrap()
    };
    let normal = leading_edge(&["forecast", "--json"]);
    let opened = leading_edge(&["forecast", "--json", "--flow-change", "08:00=flood"]);
    assert!(opened < normal, "opened {opened} s, normal {normal} s");
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
}

#[test]
fn bad_arguments_exit_2_with_a_message() {
    assert_bad_input(
        &[
            "forecast",
            "--release",
            "nowhere",
            "--pollutant",
            "antimony",
            "--mass-kg",
            "1",
        ],
        "no node, reach or point named \"nowhere\"",
    );
    assert_bad_input(
        &[
            "forecast",
            "--release",
            "taipu_qingpu@99999",
            "--pollutant",
            "antimony",
            "--mass-kg",
            "1",
        ],
        "outside reach",
    );
    assert_bad_input(
        &[
            "forecast",
            "--release",
            "taipu_qingpu",
            "--pollutant",
            "antimony",
            "--mass-kg",
            "1",
        ],
        "give a chainage",
    );
    assert_bad_input(
        &[
            "forecast",
            "--release",
            "taipu_qingpu@10",
            "--pollutant",
            "antimony",
            "--mass-kg",
            "-5",
        ],
        "--mass-kg must be between 0.001 and 1e9 kg, got -5",
    );
    assert_bad_input(
        &[
            "forecast",
            "--release",
            "taipu_qingpu@10",
            "--pollutant",
            "plutonium",
            "--mass-kg",
            "5",
        ],
        "unknown pollutant \"plutonium\"",
    );
    assert_bad_input(
        &["forecast", "--release", "taipu_qingpu@10", "--mass-kg", "5"],
        "needs --pollutant",
    );
    assert_bad_input(&["forecast", "--pollutant", "antimony"], "give --release too");
    assert_bad_input(&["forecast", "--flow", "monsoon"], "unknown regime \"monsoon\"");
    assert_bad_input(&["forecast", "--hours", "-3"], "--hours must be positive");
    assert_bad_input(
        &[
            "forecast",
            "--release",
            "maohe",
            "--pollutant",
            "antimony",
            "--mass-kg",
            "5",
            "--at",
            "25:61",
        ],
        "--at",
    );
    assert_bad_input(
        &["forecast", "--flow-change", "08:00=tsunami"],
        "unknown regime \"tsunami\"",
    );
    assert_bad_input(&["forecast", "--flow-change", "flood"], "expected HH:MM=REGIME");
    assert_bad_input(&["forecast", "/no/such/scenario.toml"], "/no/such/scenario.toml");
    assert_bad_input(&["forecast", "--bogus"], "--bogus");
}

#[test]
fn bad_numbers_get_short_messages() {
    let base = ["forecast", "--release", "fenhu", "--pollutant", "antimony"];
    let run = |extra: &[&str]| {
        let args: Vec<&str> = base.iter().chain(extra).copied().collect();
        let out = tripoint(&args);
        assert_eq!(out.status.code(), Some(2));
        String::from_utf8(out.stderr).unwrap()
    };
    let err = run(&["--mass-kg", "1e300"]);
    assert!(err.contains("between 0.001 and 1e9 kg, got 1e300"), "{err}");
    assert!(err.len() < 120, "{err}");
    let err = run(&["--mass-kg", "5", "--duration-min", "1e9"]);
    assert!(
        err.contains("from 0 (instantaneous) to 527040 (one year), got 1e9"),
        "{err}"
    );
}

#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_tripoint"))
        .args(["forecast", "--json", "--series"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read one byte of a document of megabytes, then hang up, as `| head -c 1` does.
    let mut stdout = child.stdout.take().unwrap();
    let mut byte = [0u8; 1];
    stdout.read_exact(&mut byte).unwrap();
    drop(stdout);
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    child.wait().unwrap();
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn the_forecast_shows_the_dispersion_spread_and_takes_warnings_from_the_worse_end() {
    let out = tripoint(&["forecast", "--flow", "drought", "--json", "--series"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let spread = &doc["dispersion_spread"];
    assert_eq!(spread["low_factor"], 0.05);
    let jinze = spread["points"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["point"] == "jinze_intake")
        .expect("the intake in the spread");
    let peak = |end: &str| jinze[end]["peak_mg_l"].as_f64().unwrap();
    // Less dispersion, less spreading: a higher peak, and the warning takes it.
    assert!(peak("low") > 2.0 * peak("central"), "{jinze}");
    assert_eq!(peak("warning"), peak("low").max(peak("high")).max(peak("central")));
    // The run went on past the horizon until the plume had passed.
    assert!(doc["end_s"].as_i64() > doc["horizon_end_s"].as_i64());
    assert_eq!(doc["passed"], true);
    // Series on request, peaks included: the reported peak is the largest value in it.
    let series = doc["series"].as_array().unwrap();
    let row = series.iter().find(|r| r["point"] == "jinze_intake").unwrap();
    let largest = row["conc_mg_l"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_f64())
        .fold(0.0, f64::max);
    let reported = doc["points"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["point"] == "jinze_intake")
        .unwrap()["peak_mg_l"]
        .as_f64()
        .unwrap();
    assert_eq!(largest, reported);
    assert_eq!(
        row["times_s"].as_array().unwrap().len(),
        row["conc_mg_l"].as_array().unwrap().len()
    );
}

#[test]
fn the_table_marks_what_comes_after_the_horizon_and_draws_the_intakes() {
    let out = tripoint(&["forecast", "--flow", "drought"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Run on past the horizon"), "{text}");
    assert!(text.contains('›'), "{text}");
    assert!(text.contains("WARNING: over limit"), "{text}");
    assert!(text.contains("At the intakes"), "{text}");
}

#[test]
fn check_refuses_a_step_that_cannot_finish() {
    let dir = std::env::temp_dir().join(format!("tripoint-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("unit-mistake.toml");
    let text = tripoint_sim::scenario::builtin_text("demo-zone.toml")
        .unwrap()
        .replacen("cell_length_m = 100.0", "cell_length_m = 1.0", 1)
        .replacen("[[reaches]]\n", "[[reaches]]\ndispersion_m2_s = 90000.0\n", 1);
    std::fs::write(&path, text).unwrap();
    let out = tripoint(&["check", path.to_str().unwrap()]);
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("allows a stable step of only"), "{err}");
    // What the limit bounds is the number of steps, which is what the reach's step makes grow.
    assert!(err.contains("time steps (limit 1e7)"), "{err}");
    let out = tripoint(&["forecast", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_release_late_in_the_year_costs_no_more_than_one_on_day_one() {
    // A release at minute 527,000 (day 366) once made a 6-hour forecast record almost a
    // year of clean water: 9 s and 1.9 GB. The series now start at the release, so the
    // late forecast handles the same events and gives the same answer, a year later.
    let dir = std::env::temp_dir().join(format!("tripoint-late-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = tripoint_sim::scenario::builtin_text("demo-zone.toml").unwrap();
    assert!(text.contains("start_min = 120.0"));
    let early = dir.join("early.toml");
    let late = dir.join("late.toml");
    std::fs::write(&early, text).unwrap();
    std::fs::write(&late, text.replacen("start_min = 120.0", "start_min = 527040.0", 1)).unwrap();
    let forecast = |path: &std::path::Path| -> serde_json::Value {
        let out = tripoint(&["forecast", path.to_str().unwrap(), "--hours", "6", "--json"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let (early, late) = (forecast(&early), forecast(&late));
    let shift = (527_040 - 120) * 60;
    assert_eq!(
        late["start_s"].as_i64().unwrap() - early["start_s"].as_i64().unwrap(),
        shift
    );
    assert_eq!(late["n_events"], early["n_events"], "events handled");
    let (a, b) = (early["points"].as_array().unwrap(), late["points"].as_array().unwrap());
    assert_eq!(a.len(), b.len());
    for (a, b) in a.iter().zip(b) {
        assert_eq!(a["point"], b["point"]);
        assert_eq!(a["peak_mg_l"], b["peak_mg_l"], "{}", a["point"]);
        assert_eq!(
            b["leading_edge_s"].as_i64().map(|t| t - shift),
            a["leading_edge_s"].as_i64(),
            "{}",
            a["point"]
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn spread_gives_p10_p50_p90_at_the_intakes_and_the_same_seed_the_same_output() {
    let args = ["forecast", "--json", "--spread", "--members", "8", "--seed", "3"];
    let out = tripoint(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ensemble = &doc["ensemble"];
    assert_eq!(ensemble["members"], 8);
    assert_eq!(ensemble["spread"]["dispersion_log_sd"], 0.8);
    assert_eq!(ensemble["inputs"].as_array().unwrap().len(), 8);
    let jinze = ensemble["points"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["point"] == "jinze_intake")
        .expect("the intake in the ensemble");
    let peaks: Vec<f64> = jinze["peak_mg_l"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert!(peaks[0] < peaks[1] && peaks[1] < peaks[2], "{jinze}");
    for field in ["p_reach", "p_over_limit"] {
        assert!((0.0..=1.0).contains(&jinze[field].as_f64().unwrap()), "{jinze}");
    }
    assert_eq!(jinze["arrival_s"].as_array().unwrap().len(), 3);
    assert_eq!(jinze["over_limit_s"].as_array().unwrap().len(), 3);
    // Seeded: the same command gives the same document.
    assert_eq!(tripoint(&args).stdout, out.stdout);
    // Without --spread there is no ensemble.
    let plain: serde_json::Value = serde_json::from_slice(&tripoint(&["forecast", "--json"]).stdout).unwrap();
    assert!(plain["ensemble"].is_null());
    // The table has the ensemble's section.
    let table = tripoint(&["forecast", "--spread", "--members", "4"]);
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(text.contains("Ensemble of 4 members"), "{text}");
}

#[test]
fn bad_spread_arguments_exit_2_with_a_message() {
    assert_bad_input(
        &["forecast", "--spread", "--spread-flow", "-0.2"],
        "--spread-flow: the flow spread (a log-standard deviation) must be from 0 to 3, got -0.2",
    );
    assert_bad_input(&["forecast", "--spread", "--spread-mass", "NaN"], "--spread-mass");
    assert_bad_input(
        &["forecast", "--spread", "--members", "0"],
        "--members: the ensemble needs from 1 to 1000 members, got 0",
    );
    assert_bad_input(
        &["forecast", "--spread", "--members", "100000000"],
        "from 1 to 1000 members, got 100000000",
    );
    assert_bad_input(&["forecast", "--members", "10"], "--spread");
}
