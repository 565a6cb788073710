//! Fuzzing what reaches `tripoint` besides scenarios and scripts (those are in
//! `sim/tests/fuzz_inputs.rs`): shard files for `plan merge`, the first line of run and
//! console journals for `replay`, and command lines. The property is the contract of
//! docs/reliability.md: the program answers with a result (exit 0), a refusal (exit 2) or,
//! for a replay, a difference (exit 1) — never a panic, an "internal error" or a hang.
//!
//! Shard files are merged in this process (cheap); journals and flags run the binary, so
//! their CI runs are short (16 and 32 cases). A longer run:
//! `PROPTEST_CASES=500 cargo test --release --test fuzz_files_and_flags`
//! (docs/reliability.md has the figures).

use proptest::prelude::*;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use tripoint_tui::commands::evaluate::{TrialsFile, merge, summaries};

#[path = "common/mutate.rs"]
mod mutate;
use mutate::{EXTREMES, apply, cases, mutation};

const SHARD: &str = include_str!("fixtures/shards/three-trials.json");

/// A case that runs longer than this is a hang (the longest valid command line below, a
/// factorial run of 2 seeds over a day, takes a few seconds).
const DEADLINE: Duration = Duration::from_secs(120);

/// Runs the binary in `dir`; returns the exit code and standard error.
fn tripoint(dir: &std::path::Path, args: &[String]) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tripoint"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut stderr = String::new();
            std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
            return (status.code(), stderr);
        }
        if started.elapsed() > DEADLINE {
            child.kill().ok();
            panic!("tripoint {args:?} ran past {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn assert_answered(args: &[String], code: Option<i32>, stderr: &str, allowed: &[i32]) {
    assert!(
        code.is_some_and(|c| allowed.contains(&c)),
        "tripoint {args:?} exited {code:?}: {stderr}"
    );
    for word in ["panicked", "internal error", "RUST_BACKTRACE"] {
        assert!(!stderr.contains(word), "tripoint {args:?}: {stderr}");
    }
}

/// A folder of the test's own, with the built-in scenarios and the OR-Library file pmed1.
fn workdir() -> &'static std::path::Path {
    static DIR: OnceLock<std::path::PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("tripoint-fuzz-flags-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for file in [
            "scenarios/demo-zone.toml",
            "scenarios/two-incidents.toml",
            "resources/orlib/pmed1.txt",
        ] {
            let from = root.join(file);
            std::fs::copy(&from, dir.join(from.file_name().unwrap())).unwrap();
        }
        dir
    })
}

/// The journal of a 1-hour run, written once.
fn run_journal() -> &'static Vec<String> {
    static LINES: OnceLock<Vec<String>> = OnceLock::new();
    LINES.get_or_init(|| {
        let dir = workdir();
        let args: Vec<String> = ["run", "--hours", "1", "--journal", "base.jsonl"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let (code, stderr) = tripoint(dir, &args);
        assert_eq!(code, Some(0), "{stderr}");
        std::fs::read_to_string(dir.join("base.jsonl"))
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect()
    })
}

/// A command with its slots: each slot is a flag and the values the fuzzer tries (one of
/// them valid and cheap), besides the extremes every slot gets.
struct Template {
    command: &'static [&'static str],
    slots: &'static [(&'static str, &'static [&'static str])],
}

const TEMPLATES: &[Template] = &[
    Template {
        command: &["forecast", "--json"],
        slots: &[
            ("--hours", &["6"]),
            ("--mass-kg", &["100"]),
            ("--duration-min", &["30"]),
            ("--at", &["02:00", "D2 08:00", "25:61", "D400 03:00"]),
            ("--release", &["fenhu", "taipu_wujiang_2@8000", "nowhere@1"]),
            ("--pollutant", &["aniline", "arsenic"]),
            ("--flow", &["flood", "drought"]),
            ("--flow-change", &["08:00=flood", "99:00=flood", "=", "08:00="]),
        ],
    },
    Template {
        command: &["run"],
        slots: &[
            ("--policy", &["county", "unified", "factorial", "x"]),
            ("--hours", &["1", "24"]),
            ("--seed", &["7"]),
            ("--seeds", &["2"]),
            ("--mutual-aid-delay-min", &["30"]),
            ("--flow", &["flood"]),
        ],
    },
    Template {
        command: &["drill", "two-incidents"],
        slots: &[("--policy", &["county", "unified", "x"]), ("--seed", &["3"])],
    },
    Template {
        command: &["plan", "locate", "--orlib", "pmed1.txt"],
        slots: &[
            ("--p", &["5", "100", "101"]),
            ("--objective", &["median", "center", "covering", "x"]),
            ("--radius", &["100"]),
        ],
    },
    Template {
        command: &["plan", "evaluate"],
        slots: &[
            ("--trials", &["2"]),
            ("--threads", &["1", "2"]),
            ("--shard", &["0/2", "1/1", "2/1", "0/0", "1/18446744073709551615"]),
            ("--hours", &["6"]),
            ("--pairs", &["0.5"]),
        ],
    },
    Template {
        command: &["check"],
        slots: &[("", &["demo-zone.toml", "/dev/zero", ".", "missing.toml", "pmed1.txt"])],
    },
    Template {
        command: &["replay"],
        slots: &[("", &["/dev/zero", ".", "missing.jsonl", "pmed1.txt", "demo-zone.toml"])],
    },
];

/// Values besides the extremes: empty, words, a lone dash, a flag where a value belongs.
const JUNK: [&str; 4] = ["", "x", "-", "--json"];

proptest! {
    #![proptest_config(cases(64))]

    #[test]
    fn a_mutated_shard_file_is_merged_or_refused(mutations in proptest::collection::vec(mutation(), 1..6)) {
        let text = apply(SHARD, &mutations);
        if let Ok(file) = serde_json::from_str::<TrialsFile>(&text) {
            // The scenario the fixture was evaluated on has 13 teams.
            if let Ok(merged) = merge(vec![("fuzz.json".to_string(), file)], 13) {
                let scenario = tripoint_sim::scenario::Scenario::builtin();
                for lang in tripoint_tui::i18n::Lang::ALL {
                    let _ = tripoint_tui::report::planner::summary_table(lang, &merged.spec, &summaries(&merged), &scenario);
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(cases(16))]

    #[test]
    fn a_journal_with_a_mutated_first_line_is_replayed_or_refused(
        console in any::<bool>(),
        mutations in proptest::collection::vec(mutation(), 1..4),
    ) {
        let dir = workdir();
        let lines: Vec<String> = if console {
            let header = serde_json::json!({ "console": {
                "target": "two-incidents", "policy": "unified", "seed": 0, "seat": "command",
                "version": env!("CARGO_PKG_VERSION"), "live_start_s": 7200,
            }});
            vec![header.to_string()]
        } else {
            run_journal().clone()
        };
        let mut mutated = lines.clone();
        mutated[0] = apply(&lines[0], &mutations).replace('\n', " ");
        std::fs::write(dir.join("fuzz.jsonl"), mutated.join("\n") + "\n").unwrap();
        let args = vec!["replay".to_string(), "fuzz.jsonl".to_string()];
        let (code, stderr) = tripoint(dir, &args);
        assert_answered(&args, code, &stderr, &[0, 1, 2]);
    }
}

proptest! {
    #![proptest_config(cases(32))]

    #[test]
    fn a_command_line_is_answered_or_refused(
        template in 0..TEMPLATES.len(),
        chosen in proptest::collection::vec((any::<bool>(), any::<usize>()), 8),
    ) {
        let template = &TEMPLATES[template];
        let mut args: Vec<String> = template.command.iter().map(|s| s.to_string()).collect();
        for ((flag, valid), (present, pick)) in template.slots.iter().zip(&chosen) {
            let values: Vec<&str> = valid.iter().chain(EXTREMES.iter()).chain(JUNK.iter()).copied().collect();
            // A file argument is always given; flags only when chosen.
            if flag.is_empty() {
                args.push(values[pick % values.len()].to_string());
            } else if *present {
                args.push(flag.to_string());
                args.push(values[pick % values.len()].to_string());
            }
        }
        let (code, stderr) = tripoint(workdir(), &args);
        assert_answered(&args, code, &stderr, &[0, 2]);
    }
}
