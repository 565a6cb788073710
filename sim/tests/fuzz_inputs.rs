//! Fuzzing the inputs people hand to Tripoint: the built-in scenario, the shipped drill
//! scripts and an OR-Library file, mutated (lines deleted or repeated, numbers replaced by
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

/// Numbers that have broken readers before: zero, negatives, extremes, not-a-number.
const EXTREMES: [&str; 12] = [
    "0",
    "-1",
    "1e308",
    "-1e308",
    "5e-324",
    "nan",
    "inf",
    "18446744073709551615",
    "-0.0",
    "1e-300",
    "9999999999",
    "0.5",
];

#[derive(Clone, Debug)]
enum Mutation {
    DeleteLine(usize),
    RepeatLine(usize),
    /// Replace the n-th number of the text by one of [`EXTREMES`].
    Number(usize, usize),
    /// Set a byte (kept valid UTF-8 by working on ASCII positions only).
    Byte(usize, u8),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::DeleteLine),
        any::<usize>().prop_map(Mutation::RepeatLine),
        (any::<usize>(), 0..EXTREMES.len()).prop_map(|(n, e)| Mutation::Number(n, e)),
        (any::<usize>(), 0x20u8..0x7f).prop_map(|(p, b)| Mutation::Byte(p, b)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn apply(text: &str, mutations: &[Mutation]) -> String {
    let mut text = text.to_string();
    for m in mutations {
        let mut lines: Vec<&str> = text.lines().collect();
        match *m {
            Mutation::DeleteLine(i) if !lines.is_empty() => {
                lines.remove(i % lines.len());
                text = lines.join("\n");
            }
            Mutation::RepeatLine(i) if !lines.is_empty() => {
                let i = i % lines.len();
                lines.insert(i, lines[i]);
                text = lines.join("\n");
            }
            Mutation::Number(n, e) => {
                let numbers: Vec<(usize, usize)> = number_spans(&text);
                if !numbers.is_empty() {
                    let (start, end) = numbers[n % numbers.len()];
                    text.replace_range(start..end, EXTREMES[e]);
                }
            }
            Mutation::Byte(p, b) => {
                let ascii: Vec<usize> = text
                    .char_indices()
                    .filter(|(_, c)| c.is_ascii())
                    .map(|(i, _)| i)
                    .collect();
                if !ascii.is_empty() {
                    let at = ascii[p % ascii.len()];
                    text.replace_range(at..at + 1, &(b as char).to_string());
                }
            }
            Mutation::Truncate(p) => {
                let cut = text
                    .char_indices()
                    .map(|(i, _)| i)
                    .nth(p % text.chars().count().max(1))
                    .unwrap_or(0);
                text.truncate(cut);
            }
            _ => {}
        }
    }
    text
}

/// Byte spans of the numbers in a text (digits with an optional sign, point and exponent).
fn number_spans(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_')) {
            let start = if i > 0 && bytes[i - 1] == b'-' { i - 1 } else { i };
            let mut end = i;
            while end < bytes.len() && (bytes[end].is_ascii_digit() || matches!(bytes[end], b'.' | b'e' | b'E')) {
                end += 1;
            }
            out.push((start, end));
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

fn loader() -> ScenarioLoader {
    Rc::new(|name: &str| Scenario::builtin_named(name).ok_or_else(|| "not built in".to_string()))
}

fn cases() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(64),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(cases())]

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
}
