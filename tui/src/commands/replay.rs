//! `tripoint replay JOURNAL`: run a recorded response run again from its journal and
//! check that every event and the final report come out the same; a console session's
//! journal opens in the console read-only (or, without a terminal, is checked the same way).

use super::run::{RunRequest, RunSpec, execute, journal_lines};
use crate::input::{CliError, CliResult};
use crate::journal::{self, Ending};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct ReplayArgs {
    /// A journal written by `tripoint run --journal FILE`, saved in the console (`w`), or
    /// written by `tripoint serve --journal FILE`.
    pub journal: PathBuf,
}

/// Largest journal read [bytes]: the built-in zone run for the longest `--hours` (720 h)
/// writes about 7 MB, and every journal is read whole before it is replayed.
pub const JOURNAL_BYTES_MAX: u64 = 64 * 1024 * 1024;

pub fn run(args: &ReplayArgs) -> CliResult {
    let shown = args.journal.display().to_string();
    let text = journal::read_text(&args.journal, JOURNAL_BYTES_MAX)?;
    let all: Vec<&str> = text.lines().collect();
    let (recorded, ending) = journal::body(&all);
    // A first line that is not whole JSON (a journal cut inside it, or no journal at all)
    // is refused below as not a journal.
    let header = all
        .first()
        .ok_or_else(|| CliError::Input(format!("{shown}: empty journal")))?;
    let console_spec = serde_json::from_str::<serde_json::Value>(header)
        .ok()
        .and_then(|v| serde_json::from_value::<crate::console::ConsoleSpec>(v.get("console")?.clone()).ok());
    if let Some(spec) = console_spec {
        return crate::console::replay(&shown, recorded, spec, &ending);
    }
    let serve_spec = serde_json::from_str::<serde_json::Value>(header)
        .ok()
        .and_then(|v| serde_json::from_value::<crate::serve::ServeSpec>(v.get("serve")?.clone()).ok());
    if let Some(spec) = serve_spec {
        return crate::serve::replay(&shown, recorded, spec, &ending);
    }
    let spec: RunSpec = serde_json::from_str::<serde_json::Value>(header)
        .ok()
        .and_then(|v| serde_json::from_value(v.get("run")?.clone()).ok())
        .ok_or_else(|| {
            CliError::Input(format!(
                "{shown}:1: not a run, console or server journal (the first line must hold the run, the console session or the served exercise)"
            ))
        })?;
    if spec.version != env!("CARGO_PKG_VERSION") {
        eprintln!(
            "note: the journal was written by version {}, this is {}",
            spec.version,
            env!("CARGO_PKG_VERSION")
        );
    }
    let request = RunRequest {
        scenario: spec.scenario.as_deref(),
        policy: &spec.policy,
        seed: spec.seed,
        hours: spec.hours,
        flow: spec.flow.as_deref(),
        assumptions: &spec.assumptions,
        plan_edits: spec.plan_edits.as_deref(),
    };
    let (replayed_spec, _, outcome) = execute(&request, true)?;
    if replayed_spec.scenario_hash != spec.scenario_hash {
        return Err(CliError::Input(format!(
            "{shown}: the scenario has changed since the journal was written (fingerprint {} then, {} now)",
            spec.scenario_hash, replayed_spec.scenario_hash
        )));
    }
    if replayed_spec.plan_edits_hash != spec.plan_edits_hash {
        return Err(CliError::Input(format!(
            "{shown}: the plan-edit file has changed since the journal was written (fingerprint {} then, {} now)",
            spec.plan_edits_hash.as_deref().unwrap_or("none"),
            replayed_spec.plan_edits_hash.as_deref().unwrap_or("none")
        )));
    }
    let replayed = journal_lines(&replayed_spec, &outcome)?;
    for (idx, (a, b)) in recorded.iter().zip(&replayed).enumerate() {
        if *a != b.as_str() {
            return Err(CliError::Diverged(format!(
                "{shown}:{}: the replay differs\n  recorded: {}\n  replayed: {}",
                idx + 1,
                excerpt(a),
                excerpt(b)
            )));
        }
    }
    if recorded.len() > replayed.len() || ending == Ending::Closed && recorded.len() != replayed.len() {
        return Err(CliError::Diverged(format!(
            "{shown}: the journal has {} lines, the replay {}",
            recorded.len(),
            replayed.len()
        )));
    }
    conclude(&shown, recorded.len(), &ending)?;
    println!(
        "{shown}: replayed {} events; every event and the final report are identical",
        replayed.len() - 2
    );
    Ok(())
}

/// After the lines a journal holds were found identical to the replay: whether they are
/// the whole journal. A journal cut short, or whose closing record does not match, is
/// refused (exit 2) with where it stops; what it holds was checked.
pub fn conclude(shown: &str, n_lines: usize, ending: &Ending) -> CliResult {
    match ending {
        Ending::Closed => Ok(()),
        Ending::Unclosed { complete, cut_line } => Err(CliError::Input(format!(
            "{shown}: the journal stops after line {complete}{}: it has no closing record, so the \
             program that wrote it did not finish or the file was cut short. The {complete} lines \
             it holds are identical to the replay; nothing after them can be checked",
            if *cut_line {
                format!(" (line {} is cut in the middle)", complete + 1)
            } else {
                String::new()
            }
        ))),
        Ending::Damaged { message } => Err(CliError::Input(format!(
            "{shown}:{}: {message}; the {n_lines} lines before it are identical to the replay",
            n_lines + 1
        ))),
    }
}

fn excerpt(line: &str) -> String {
    if line.chars().count() <= 200 {
        line.to_string()
    } else {
        line.chars().take(200).chain("…".chars()).collect()
    }
}
