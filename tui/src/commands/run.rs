//! `tripoint run`: an incident response run headless — discovery, the unified plan,
//! teams dispatched under a policy, samples and results — and its key measures.

use crate::input::{CliError, CliResult, load_scenario_hashed};
use anyhow::Context as _;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;
use tripoint_sim::response::dispatch::PolicyKind;
use tripoint_sim::response::report::RunReport;
use tripoint_sim::response::{self, RunConfig};
use tripoint_sim::time::{SimDuration, SimTime};

#[derive(clap::Args, Debug)]
pub struct RunArgs {
    /// Scenario with [[incidents]] (default: the built-in two-incident exercise).
    pub scenario: Option<PathBuf>,
    /// Seed of the simulation's generator.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Dispatch policy: `county` (own teams in own borders, mutual aid on request) or
    /// `unified` (the Executive Committee pools every team).
    #[arg(long, default_value = "unified", value_name = "county|unified")]
    pub policy: String,
    /// Flow regime of the run (default: the scenario's), e.g. `flood` when the Taipu Gate is open.
    #[arg(long, value_name = "REGIME")]
    pub flow: Option<String>,
    /// Length of the run after the first incident starts [h].
    #[arg(long, default_value_t = 48.0, allow_negative_numbers = true)]
    pub hours: f64,
    /// Write the journal of handled events (JSON lines) to this file.
    #[arg(long, value_name = "FILE")]
    pub journal: Option<PathBuf>,
    /// Write each incident's monitoring plan (Markdown and JSON) into this folder.
    #[arg(long, value_name = "DIR")]
    pub plans: Option<PathBuf>,
    /// Print one JSON document (fields in docs/run-json.md) instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Longest run accepted [h].
const RUN_HOURS_MAX: f64 = 24.0 * 30.0;

/// What a run was: enough to run it again. The first line of a run's journal.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct RunSpec {
    /// Scenario path as given, or `None` for the built-in exercise.
    pub scenario: Option<PathBuf>,
    /// FNV-1a fingerprint of the scenario text (base included), hexadecimal.
    pub scenario_hash: String,
    pub policy: String,
    pub seed: u64,
    pub hours: f64,
    pub flow: Option<String>,
    /// Version of the program that wrote the journal.
    pub version: String,
}

/// The scenario file of `tripoint run` when none is given.
pub const DEFAULT_SCENARIO: &str = "two-incidents.toml";

/// Loads the scenario of a run and runs it; returns the spec (with the scenario's hash),
/// the scenario and the outcome.
pub fn execute(
    scenario_path: Option<&std::path::Path>,
    policy: &str,
    seed: u64,
    hours: f64,
    flow: Option<&str>,
    journal: bool,
) -> Result<(RunSpec, Arc<tripoint_sim::scenario::Scenario>, response::RunOutcome), CliError> {
    let policy_kind = PolicyKind::parse(policy)
        .ok_or_else(|| CliError::Input(format!("--policy: expected county or unified, got {policy:?}")))?;
    if !(hours.is_finite() && hours > 0.0 && hours <= RUN_HOURS_MAX) {
        return Err(CliError::Input(format!(
            "--hours must be positive and at most {RUN_HOURS_MAX}, got {hours}"
        )));
    }
    let (mut scenario, hash) = load_scenario_hashed(scenario_path, DEFAULT_SCENARIO)?;
    if let Some(regime) = flow {
        scenario.settings.default_regime = scenario.regime_idx(regime).ok_or_else(|| {
            let known: Vec<&str> = scenario.regimes.iter().map(|r| r.id.as_str()).collect();
            CliError::Input(format!(
                "--flow: unknown regime {regime:?} (known: {})",
                known.join(", ")
            ))
        })?;
    }
    let scenario = Arc::new(scenario);
    let config = RunConfig {
        policy: policy_kind,
        seed,
        hours: SimDuration((hours * 3600.0).round() as i64),
        journal,
    };
    let outcome = response::run(scenario.clone(), &config).map_err(|e| CliError::Input(e.to_string()))?;
    let spec = RunSpec {
        scenario: scenario_path.map(std::path::Path::to_path_buf),
        scenario_hash: format!("{hash:016x}"),
        policy: policy.to_string(),
        seed,
        hours,
        flow: flow.map(str::to_string),
        version: env!("CARGO_PKG_VERSION").to_string(),
    };
    Ok((spec, scenario, outcome))
}

/// The journal file of a run: the spec, every handled event, the final report.
pub fn journal_lines(spec: &RunSpec, outcome: &response::RunOutcome) -> anyhow::Result<Vec<String>> {
    let mut lines = Vec::with_capacity(outcome.journal.len() + 2);
    lines.push(serde_json::to_string(&serde_json::json!({ "run": spec }))?);
    lines.extend(outcome.journal.iter().cloned());
    lines.push(serde_json::to_string(&serde_json::json!({ "report": outcome.report }))?);
    Ok(lines)
}

pub fn run(args: &RunArgs) -> CliResult {
    let (spec, scenario, outcome) = execute(
        args.scenario.as_deref(),
        &args.policy,
        args.seed,
        args.hours,
        args.flow.as_deref(),
        args.journal.is_some(),
    )?;
    if let Some(path) = &args.journal {
        let mut text = journal_lines(&spec, &outcome)?.join("\n");
        text.push('\n');
        std::fs::write(path, text).with_context(|| format!("writing the journal to {}", path.display()))?;
    }
    if let Some(dir) = &args.plans {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        for plan in outcome.plans.iter().flatten() {
            let stem = dir.join(format!("plan-{}", plan.incident_id));
            std::fs::write(stem.with_extension("md"), plan.to_markdown(&scenario)).context("writing a plan")?;
            let json = serde_json::to_string_pretty(plan).context("serialising a plan")?;
            std::fs::write(stem.with_extension("json"), json).context("writing a plan")?;
        }
    }
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&outcome.report).context("serialising the report")?
        );
    } else {
        print!("{}", render(&outcome.report));
    }
    Ok(())
}

fn at(t: Option<i64>, start_s: i64) -> String {
    match t {
        Some(t) => format!("{} ({})", SimTime(t), SimDuration(t - start_s)),
        None => "—".to_string(),
    }
}

fn render(r: &RunReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Tripoint run — {} · policy {} · seed {} · until {}",
        r.scenario,
        r.policy,
        r.seed,
        SimTime(r.end_s)
    );
    for i in &r.incidents {
        let _ = writeln!(
            out,
            "\nIncident {} — {} in {}, started {}",
            i.id,
            i.pollutant,
            i.jurisdiction,
            SimTime(i.start_s)
        );
        let _ = writeln!(
            out,
            "  discovered      {} by {}",
            at(i.discovered_s, i.start_s),
            i.discovered_by.as_deref().unwrap_or("—")
        );
        let _ = writeln!(
            out,
            "  plan issued     {} ({} points)",
            at(i.plan_s, i.start_s),
            i.plan_points
        );
        if let Some(estimate) = i.estimated_mass_kg {
            let _ = writeln!(
                out,
                "  plan revision   {} · released mass assumed {:.0} kg (true {:.0} kg)",
                i.plan_revision, estimate, i.true_mass_kg
            );
        }
        let _ = writeln!(
            out,
            "  first sample at the release site  {}",
            at(i.first_sample_at_site_s, i.start_s)
        );
        for b in &i.border_sections {
            let _ = writeln!(
                out,
                "  border {:<24} first sample {:<22} plume over limit {:<22} {}",
                b.point,
                at(b.first_sample_s, i.start_s),
                at(b.plume_over_limit_s, i.start_s),
                if b.sampled_before_plume {
                    "covered"
                } else {
                    "NOT covered before the plume"
                }
            );
        }
        for w in &i.intakes {
            let verdict = match (w.threatened, w.warned_before_arrival, w.margin_s) {
                (false, _, _) => "not threatened".to_string(),
                (true, true, Some(m)) => format!("WARNED {} before the plume", SimDuration(m)),
                (true, true, None) => "warned; the plume never passed the limit".to_string(),
                (true, false, _) => "NOT warned before the plume".to_string(),
            };
            let _ = writeln!(
                out,
                "  intake {:<24} confirmed {:<22} plume over limit {:<22} {verdict}",
                w.intake,
                at(w.confirmed_warning_s, i.start_s),
                at(w.plume_over_limit_s, i.start_s)
            );
        }
    }
    let _ = writeln!(
        out,
        "\nBorder sections sampled before their plume: {}/{} · threatened intakes warned before the plume: {}/{}",
        r.border_sections_covered, r.border_sections_total, r.intakes_warned, r.intakes_threatened
    );
    let _ = writeln!(
        out,
        "Samples taken {} (results known {}) · tasks {}: done {}, late {}, missed {} · station alarms {}",
        r.samples_taken, r.results_known, r.tasks, r.tasks_done, r.tasks_late, r.tasks_missed, r.station_alarms
    );
    let _ = writeln!(out, "\nTeams:");
    for t in &r.teams {
        let _ = writeln!(
            out,
            "  {:<28} {:<10} samples {:>3}  busy {:>5.1} h  utilisation {:>5.1} %",
            t.team,
            t.jurisdiction,
            t.samples,
            t.busy_s as f64 / 3600.0,
            t.utilisation * 100.0
        );
    }
    out
}
