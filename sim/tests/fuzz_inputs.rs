//! Fuzzing the inputs people hand to Tripoint: the built-in scenario, the shipped drill
//! scripts, an OR-Library file and a plan-edit file, mutated (lines deleted or repeated, numbers replaced by
//! extremes, bytes changed, text cut short) and read again. Whatever comes in, the reader
//! answers with a value or an error: it never panics. proptest shrinks a failing case and
//! keeps it in `sim/tests/fuzz_inputs.proptest-regressions` (replayed first on every run),
//! which is part of the repository.
//!
//! The CI run is short (`PROPTEST_CASES`, default 64 cases per property); a longer run:
//! `PROPTEST_CASES=5000 cargo test --release -p tripoint-sim --test fuzz_inputs`
//! (docs/reliability.md).

use proptest::prelude::*;
use std::rc::Rc;
use tripoint_sim::drill::script::{self, ScenarioLoader};
use tripoint_sim::scenario::{Scenario, SourceText, builtin_text};
use tripoint_sim::time::SimDuration;

#[path = "../../tests/common/mutate.rs"]
mod mutate;
use mutate::{apply, cases, mutation};

fn loader() -> ScenarioLoader {
    Rc::new(|name: &str| Scenario::builtin_named(name).ok_or_else(|| "not built in".to_string()))
}

proptest! {
    #![proptest_config(cases(64))]

    #[test]
    fn a_mutated_scenario_is_read_or_refused(mutations in proptest::collection::vec(mutation(), 1..6)) {
        let text = apply(builtin_text("demo-zone.toml").unwrap(), &mutations);
        // Read, validated, and (when valid) checked for the work a forecast would need.
        if let Ok(scenario) = Scenario::parse(&SourceText::new("fuzz.toml", text)) {
            let regimes: Vec<usize> = (0..scenario.regimes.len()).collect();
            let _ = tripoint_sim::transport::Network::build(&scenario)
                .map(|network| network.check_work(&regimes, SimDuration::from_hours(6)));
        }
    }

    #[test]
    fn a_mutated_drill_script_is_loaded_or_refused(
        drill in 0usize..3,
        mutations in proptest::collection::vec(mutation(), 1..6),
    ) {
        let name = ["two-incidents", "night-antimony-station-failure", "dianshan-lake"][drill];
        let original = std::fs::read_to_string(format!(
            "{}/../scripts/drills/{name}.rhai",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let text = apply(&original, &mutations);
        let _ = script::load("fuzz.rhai", &text, loader());
    }

    #[test]
    fn a_mutated_orlib_file_is_read_or_refused(mutations in proptest::collection::vec(mutation(), 1..6)) {
        let original = std::fs::read_to_string(format!(
            "{}/../resources/orlib/pmed1.txt",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let _ = tripoint_sim::locate::parse_orlib(&apply(&original, &mutations));
    }

    #[test]
    fn a_mutated_plan_edit_file_is_read_or_refused(mutations in proptest::collection::vec(mutation(), 1..6)) {
        let original = std::fs::read_to_string(format!(
            "{}/../tests/fixtures/plan-edits/two-incidents.toml",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let scenario = Scenario::builtin_named("two-incidents.toml").unwrap();
        let source = SourceText::new("fuzz-edits.toml", apply(&original, &mutations));
        let window = (tripoint_sim::time::SimTime::ZERO, tripoint_sim::time::SimTime(72 * 3600));
        let _ = tripoint_sim::response::edit_file::parse(&source, &scenario, window);
    }
}
