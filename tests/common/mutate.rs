//! Mutations for the fuzzing tests (`sim/tests/fuzz_inputs.rs`,
//! `tests/fuzz_files_and_flags.rs`): a line deleted or repeated, a number replaced by an
//! extreme, a byte changed, the text cut short. Included by path in both test crates.

#![allow(dead_code)]

use proptest::prelude::*;

/// Numbers that have broken readers before: zero, negatives, extremes, not-a-number.
pub const EXTREMES: [&str; 12] = [
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
pub enum Mutation {
    DeleteLine(usize),
    RepeatLine(usize),
    /// Replace the n-th number of the text by one of [`EXTREMES`].
    Number(usize, usize),
    /// Set a byte (kept valid UTF-8 by working on ASCII positions only).
    Byte(usize, u8),
    Truncate(usize),
}

pub fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::DeleteLine),
        any::<usize>().prop_map(Mutation::RepeatLine),
        (any::<usize>(), 0..EXTREMES.len()).prop_map(|(n, e)| Mutation::Number(n, e)),
        (any::<usize>(), 0x20u8..0x7f).prop_map(|(p, b)| Mutation::Byte(p, b)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

pub fn apply(text: &str, mutations: &[Mutation]) -> String {
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
pub fn number_spans(text: &str) -> Vec<(usize, usize)> {
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

/// Cases per property: `PROPTEST_CASES`, or `default` (the short CI run).
pub fn cases(default: u32) -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(default),
        ..ProptestConfig::default()
    }
}
