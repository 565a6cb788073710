//! Drill scripts run in a sandbox: syntax errors, runaway loops, deep recursion, huge
//! strings, wrong argument types and unknown ids all stop the script with an error that
//! gives the line and column. None hangs or panics.

use std::rc::Rc;
use tripoint_sim::drill::script::{self, ScenarioLoader, ScriptError};
use tripoint_sim::scenario::Scenario;

fn loader() -> ScenarioLoader {
    Rc::new(|name: &str| Scenario::builtin_named(name).ok_or_else(|| "not built in".to_string()))
}

fn load(text: &str) -> Result<tripoint_sim::drill::Drill, ScriptError> {
    script::load("test.rhai", text, loader())
}

/// A minimal valid drill, to which a test adds one line.
const VALID: &str = r#"drill("t");
date("2026-12-01");
scenario("two-incidents.toml");
duration_hours(12);
objective(#{ id: "O1", title: "o", capability: "c" });
target(#{ id: "T1", objective: "O1", title: "t", corrective: "c",
    tasks: [ #{ title: "plan", measure: "plan:wujiang_antimony", after: "report:wujiang_antimony", within: 45 } ] });
"#;

fn fails_at(text: &str, line: usize, needle: &str) -> ScriptError {
    let error = load(text).expect_err("the script must be refused");
    assert_eq!(error.line, line, "wrong line for {needle:?}: {error}");
    assert!(
        error.message.contains(needle),
        "message {:?} should mention {needle:?}",
        error.message
    );
    assert!(error.to_string().starts_with(&format!("test.rhai:{line}:")), "{error}");
    error
}

#[test]
fn a_valid_minimal_drill_loads() {
    let drill = load(VALID).expect("valid");
    assert_eq!(drill.targets.len(), 1);
    assert_eq!(drill.scenario.incidents.len(), 2, "the scenario's incidents are kept");
}

#[test]
fn a_syntax_error_names_its_line_and_column() {
    let error = fails_at("drill(\"t\");\nlet x = ;\n", 2, "");
    assert!(error.column > 0);
}

#[test]
fn an_endless_loop_is_stopped() {
    fails_at(&format!("{VALID}\nloop {{ }}\n"), 9, "operations");
}

#[test]
fn endless_recursion_is_stopped() {
    // Reported where the recursion was entered.
    fails_at(&format!("{VALID}\nfn f(x) {{ f(x + 1) }}\nf(0);\n"), 10, "nested");
}

#[test]
fn a_huge_string_is_refused() {
    let error = load(&format!("{VALID}\nlet s = \"xxxxxxxxxxxxxxxx\";\nloop {{ s += s; }}\n")).expect_err("refused");
    assert!(error.line >= 9, "{error}");
    assert!(error.message.contains("larger"), "{error}");
}

#[test]
fn a_huge_array_is_refused() {
    let error = load(&format!("{VALID}\nlet a = [];\nloop {{ a.push(1); }}\n")).expect_err("refused");
    assert!(error.message.contains("larger"), "{error}");
}

#[test]
fn wrong_argument_types_are_named() {
    fails_at(&format!("{VALID}inject(42);\n"), 8, "no drill function");
    fails_at(
        &format!(
            "{VALID}inject(#{{ number: 5, at: \"0:10\", from: \"x\", to: \"all\", channel: \"phone\", message: \"m\" }});\n"
        ),
        8,
        "\"number\" must be a string",
    );
    fails_at(&format!("{VALID}duration_hours(\"long\");\n"), 8, "no drill function");
}

#[test]
fn unknown_fields_and_ids_are_named() {
    fails_at(
        &format!(
            "{VALID}inject(#{{ number: \"1\", at: \"0:10\", from: \"x\", to: \"all\", chanel: \"phone\", message: \"m\" }});\n"
        ),
        8,
        "unknown field \"chanel\"",
    );
    fails_at(
        &format!(
            "{VALID}inject(#{{ number: \"1\", at: \"0:10\", from: \"x\", to: \"atlantis\", channel: \"phone\", message: \"m\" }});\n"
        ),
        8,
        "no seat \"atlantis\"",
    );
    fails_at(
        &format!("{VALID}breakdown(#{{ team: \"nobody\", at: 30 }});\n"),
        8,
        "no team \"nobody\"",
    );
    fails_at(
        &format!("{VALID}close_road(#{{ from: \"fenyu\", to: \"shanghai\", at: 30 }});\n"),
        8,
        "no road joins",
    );
    fails_at(
        "drill(\"t\");\nscenario(\"nowhere.toml\");\n",
        2,
        "scenario \"nowhere.toml\"",
    );
    fails_at("flow(\"normal\");\n", 1, "choose the scenario first");
}

#[test]
fn no_file_access_and_no_eval() {
    assert!(load(&format!("import \"secrets\" as s;\n{VALID}")).is_err());
    assert!(load(&format!("{VALID}eval(\"drill(1)\");\n")).is_err());
    assert!(
        load(&format!("{VALID}print(\"hello\"); debug(1);\n")).is_ok(),
        "print goes nowhere, harmlessly"
    );
}

#[test]
fn a_drill_must_name_what_it_evaluates() {
    let error = load("drill(\"t\");\ndate(\"2026-12-01\");\nscenario(\"two-incidents.toml\");\nduration_hours(6);\n")
        .expect_err("no targets");
    assert!(error.message.contains("objective"), "{error}");
    let error = load("drill(\"t\");\ndate(\"2026-02-30\");\n").expect_err("no such date");
    assert_eq!(error.line, 2);
}

#[test]
fn a_script_too_large_is_refused_before_it_runs() {
    let text = "// padding\n".repeat(script::SCRIPT_BYTES_MAX / 11 + 1);
    let error = load(&text).expect_err("too large");
    assert!(error.message.contains("bytes"), "{error}");
}

#[test]
fn every_shipped_drill_loads() {
    for (name, text) in script::BUILTIN_DRILLS {
        let drill = script::load(name, text, loader()).unwrap_or_else(|e| panic!("{e}"));
        assert!(!drill.injects.is_empty(), "{name}");
        assert!(!drill.targets.is_empty(), "{name}");
    }
}

#[test]
fn sleep_is_refused_at_once() {
    // Short sleeps, so that without the refusal the test fails rather than hangs.
    for call in ["sleep(1);", "sleep(0.5);"] {
        let started = std::time::Instant::now();
        fails_at(&format!("{VALID}{call}\n"), 8, "no clock");
        assert!(
            started.elapsed() < std::time::Duration::from_millis(400),
            "{call} blocked"
        );
    }
}

#[test]
fn a_scenario_is_a_plain_file_name() {
    // The loader would find anything; the name is refused before it is asked.
    let anything: ScenarioLoader = Rc::new(|name: &str| {
        assert!(!name.contains('/'), "the loader was asked for {name:?}");
        Scenario::builtin_named("two-incidents.toml").ok_or_else(|| "not built in".to_string())
    });
    for name in [
        "/etc/hostname",
        "../../x.toml",
        "sub/x.toml",
        "..",
        ".hidden.toml",
        "c:x.toml",
        "x\\y.toml",
        "x.txt",
        "",
    ] {
        let text = format!("drill(\"t\");\nscenario({name:?});\n");
        let error = script::load("test.rhai", &text, anything.clone()).expect_err(name);
        assert_eq!(error.line, 2, "{name}: {error}");
        assert!(
            error.message.starts_with(&format!("scenario {name:?}: ")),
            "{name}: {error}"
        );
    }
    assert!(script::check_scenario_name("two-incidents.toml").is_ok());
    assert!(script::check_scenario_name("my zone 2.toml").is_ok());
}

#[test]
fn a_map_grown_key_by_key_is_stopped_at_its_limit() {
    let error = load(&format!(
        "{VALID}let m = #{{}};\nfor i in 0..100000 {{\n    m[`k${{i}}`] = i;\n}}\n"
    ))
    .expect_err("refused");
    assert_eq!(error.line, 10, "{error}");
    assert!(error.message.contains("map m (1001 keys, at most 1000)"), "{error}");
    // 1,000 keys are allowed.
    load(&format!(
        "{VALID}let m = #{{}};\nfor i in 0..1000 {{\n    m[`k${{i}}`] = i;\n}}\n"
    ))
    .expect("1,000 keys");
}

#[test]
fn an_exercise_starts_within_the_first_week() {
    // The simulation runs from D1 00:00 up to the start: D400 once grew without bound.
    let text = |start: &str| {
        format!(
            "drill(\"late\");\ndate(\"2026-12-01\");\nscenario(\"two-incidents.toml\");\nstart_at(\"{start}\");\nduration_hours(6);\n"
        )
    };
    for late in ["D8 00:00", "D400 03:00"] {
        let error = load(&text(late)).expect_err(late).to_string();
        assert!(error.contains("within the first 7 days"), "{late}: {error}");
        assert!(error.contains(":4:"), "{late}: not located at line 4: {error}");
    }
    if let Err(e) = load(&text("D7 23:00")) {
        assert!(!e.to_string().contains("first 7 days"), "D7 23:00 refused: {e}");
    }
}
