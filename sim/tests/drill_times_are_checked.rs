//! Times in drill scripts: every value that once overflowed or was accepted outside the
//! exercise (issue 14) is refused at its line, in debug and release builds alike — no
//! wrap-around, no "internal error" at run time.

use std::rc::Rc;
use tripoint_sim::drill::script::{self, ScenarioLoader, ScriptError};
use tripoint_sim::scenario::Scenario;

fn loader() -> ScenarioLoader {
    Rc::new(|name: &str| Scenario::builtin_named(name).ok_or_else(|| "not built in".to_string()))
}

/// A valid 12-hour drill starting at D1 02:00; line 9 onwards is the test's.
const VALID: &str = r#"drill("t");
date("2026-12-01");
scenario("two-incidents.toml");
start_at("D1 02:00");
duration_hours(12);
objective(#{ id: "O1", title: "o", capability: "c" });
target(#{ id: "T1", objective: "O1", title: "t", corrective: "c",
    tasks: [ #{ title: "plan", measure: "plan:wujiang_antimony", after: "report:wujiang_antimony", within: 45 } ] });
"#;

fn refused(line: &str, needle: &str) -> ScriptError {
    let text = format!("{VALID}{line}\n");
    let error = script::load("t.rhai", &text, loader()).expect_err(line);
    assert_eq!(error.line, 9, "{line}: {error}");
    assert!(error.message.contains(needle), "{line}: {error}");
    error
}

fn inject_at(at: &str) -> String {
    format!(
        r#"inject(#{{ number: "1", at: {at}, from: "x", to: "wujiang", channel: "phone", message: "m", expect: "acknowledge" }});"#
    )
}

#[test]
fn times_that_overflowed_are_refused_at_their_line() {
    refused(&inject_at("-9223372036854775808"), "longer than any drill");
    refused(&inject_at("9223372036854775807"), "longer than any drill");
    refused(&inject_at("\"5124095576030433:00\""), "expected \"H:MM\"");
    refused(&inject_at("\"-5124095576030433:00\""), "expected \"H:MM\"");
    refused(&inject_at("\"D9223372036854775807 00:00\""), "scenario clock");
    refused("date(\"2147483647-12-31\");", "a year from 1900 to 2200");
    refused("start_at(\"D106751991167301 00:00\");", "");
    let task = |bands: &str| {
        format!(
            r#"target(#{{ id: "T2", objective: "O1", title: "t", corrective: "c",
    tasks: [ #{{ title: "s", measure: "sample:border_jinze", after: "first_report", within: 0, bands_min: {bands} }} ] }});"#
        )
    };
    refused(&task("[9223372036854775807, 9223372036854775807]"), "bands_min");
    refused(&task("[0, 9223372036854775807]"), "bands_min");
    // Within the limits all is well.
    let text = format!("{VALID}{}\n", task("[60, 180]"));
    script::load("t.rhai", &text, loader()).expect("valid bands");
}

#[test]
fn nothing_happens_before_the_exercise_or_after_its_end() {
    refused(
        r#"close_road(#{ from: "fenyu", to: "jinze_reservoir", at: "-1:30" });"#,
        "outside the exercise: the exercise lasts 12 h",
    );
    refused(
        r#"close_road(#{ from: "fenyu", to: "jinze_reservoir", at: "12:01" });"#,
        "outside the exercise",
    );
    refused(&inject_at("\"12:30\""), "outside the exercise");
    refused(
        r#"incident(#{ id: "late", source: "js_fenyu_bridge", pollutant: "aniline", mass_kg: 10.0, at: "13:00" });"#,
        "incident late at +13h00m is outside the exercise",
    );
    // The length may be set after the items: they are checked against it at the end.
    let text = VALID.replace("duration_hours(12);\n", "")
        + "inject(#{ number: \"1\", at: \"20:00\", from: \"x\", to: \"wujiang\", channel: \"phone\", message: \"m\", expect: \"acknowledge\" });\nduration_hours(12);\n";
    let error = script::load("t.rhai", &text, loader()).expect_err("after the end");
    assert_eq!(error.line, 8, "{error}");
    assert!(error.message.contains("outside the exercise"), "{error}");
    // At the very end is inside.
    let text = format!(
        "{VALID}{}\n",
        r#"close_road(#{ from: "fenyu", to: "jinze_reservoir", at: "12:00" });"#
    );
    script::load("t.rhai", &text, loader()).expect("at the end");
}
