//! `tripoint run`: an incident response run headless — discovery, the unified plan,
//! teams dispatched under a policy, samples and results — and its key measures.

use crate::i18n::{Lang, pad_right, scenario_name};
use crate::input::{CliError, CliResult, load_scenario_hashed, read_text_file};
use crate::report::plan as plan_report;
use anyhow::Context as _;
use fluent_bundle::FluentValue;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;
use tripoint_sim::plan::MonitoringPlan;
use tripoint_sim::plan::export::PlanDocument;
use tripoint_sim::response::dispatch::PolicyKind;
use tripoint_sim::response::edit_file::{self, TimedEdit};
use tripoint_sim::response::qa::ExpressReport;
use tripoint_sim::response::report::RunReport;
use tripoint_sim::response::{self, RunConfig};
use tripoint_sim::scenario::{Scenario, SourceText};
use tripoint_sim::time::{SimDuration, SimTime};

#[derive(clap::Args, Debug)]
pub struct RunArgs {
    /// Scenario with [[incidents]] (default: the built-in two-incident exercise).
    pub scenario: Option<PathBuf>,
    /// Seed of the simulation's generator.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Dispatch policy: `county` (own teams in own borders, mutual aid on request),
    /// `unified` (the Executive Committee pools every team and follows the plume), the
    /// other two cells of pooling × ranking, `pooled_due` and `county_plume`, or
    /// `factorial`: all four side by side (docs/response.md).
    #[arg(
        long,
        default_value = "unified",
        value_name = "county|unified|pooled_due|county_plume|factorial"
    )]
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
    /// Make the timed plan edits of this file (TOML, docs/plan-edits.md) at their times:
    /// points added and removed, intervals changed, mutual aid asked for, revisions approved.
    #[arg(long, value_name = "FILE")]
    pub plan_edits: Option<PathBuf>,
    /// Write each incident's monitoring plan (Markdown, JSON, and the field teams' sampling
    /// schedule as CSV) into this folder.
    #[arg(long, value_name = "DIR")]
    pub plans: Option<PathBuf>,
    /// Print one JSON document (fields in docs/run-json.md) instead of a table.
    #[arg(long)]
    pub json: bool,
    /// With `--policy factorial`: run this many seeds from `--seed` on and report the mean
    /// of each measure and, seed by seed, where each cell does better or worse than county.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub seeds: u64,
    /// Change the scenario's mutual-aid delay (county dispatch: from a request to the other
    /// county's team leaving) [min], to see how the comparison moves with it.
    #[arg(long = "mutual-aid-delay-min", value_name = "MIN")]
    pub mutual_aid_delay_min: Option<f64>,
    /// Treat the city monitoring centres as foreign to every county (ignore the scenario's
    /// `backs`): under county dispatch their teams then come only as mutual aid.
    #[arg(long)]
    pub no_backing: bool,
    /// Record the run in this database (a SQLite file or a PostgreSQL connection string;
    /// default: $TRIPOINT_DB if set, else none): incidents, plan revisions, tasks, samples
    /// with their chain of custody, results, warnings (docs/database.md).
    #[arg(long, value_name = "LOCATION")]
    pub db: Option<String>,
}

/// Most seeds one factorial run may take.
const SEEDS_MAX: u64 = 1_000;

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
    /// Plan-edit file as given, and the FNV-1a fingerprint of its text (none: no edits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_edits: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_edits_hash: Option<String>,
    /// Assumptions changed on the command line (none: the scenario's own).
    #[serde(default, skip_serializing_if = "Assumptions::is_scenario_own")]
    pub assumptions: Assumptions,
    /// Version of the program that wrote the journal.
    pub version: String,
}

/// The assumptions about county behaviour a user may move from the command line.
#[derive(Serialize, Deserialize, Debug, Clone, Default, PartialEq)]
pub struct Assumptions {
    /// Mutual-aid delay [min] in place of the scenario's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mutual_aid_delay_min: Option<f64>,
    /// Ignore the scenario's `backs`: the city centres are foreign to every county.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_backing: bool,
}

impl Assumptions {
    fn is_scenario_own(&self) -> bool {
        *self == Assumptions::default()
    }

    /// The scenario with these assumptions in place.
    fn apply(&self, scenario: &mut Scenario) -> Result<(), CliError> {
        if let Some(minutes) = self.mutual_aid_delay_min {
            if !(minutes.is_finite() && (0.0..=24.0 * 60.0).contains(&minutes)) {
                return Err(CliError::Input(format!(
                    "--mutual-aid-delay-min must be from 0 to 1440, got {}",
                    tripoint_sim::scenario::ranges::number(minutes)
                )));
            }
            scenario.operations.mutual_aid_delay = SimDuration((minutes * 60.0).round() as i64);
        }
        if self.no_backing {
            for j in &mut scenario.jurisdictions {
                j.backs.clear();
            }
        }
        Ok(())
    }
}

/// The scenario file of `tripoint run` when none is given.
pub const DEFAULT_SCENARIO: &str = "two-incidents.toml";

/// What to run, as given on the command line or read back from a journal's first line.
pub struct RunRequest<'a> {
    pub scenario: Option<&'a std::path::Path>,
    pub policy: &'a str,
    pub seed: u64,
    pub hours: f64,
    pub flow: Option<&'a str>,
    pub assumptions: &'a Assumptions,
    pub plan_edits: Option<&'a std::path::Path>,
}

/// Loads the scenario (and the plan-edit file) of a run and runs it; returns the spec
/// (with the files' fingerprints), the scenario and the outcome.
pub fn execute(
    request: &RunRequest<'_>,
    journal: bool,
) -> Result<(RunSpec, Arc<tripoint_sim::scenario::Scenario>, response::RunOutcome), CliError> {
    let RunRequest {
        scenario: scenario_path,
        policy,
        seed,
        hours,
        flow,
        assumptions,
        plan_edits: plan_edits_path,
    } = *request;
    let policy_kind = parse_policy(policy)?;
    check_hours(hours)?;
    let (scenario, hash) = run_scenario(scenario_path, flow, assumptions)?;
    let hours_run = SimDuration((hours * 3600.0).round() as i64);
    let (plan_edits, plan_edits_hash) = match plan_edits_path {
        Some(path) => {
            let window = response::run_window(&scenario, hours_run).map_err(|e| CliError::Input(e.to_string()))?;
            let (edits, hash) = load_plan_edits(path, &scenario, window)?;
            (edits, Some(format!("{hash:016x}")))
        }
        None => (Vec::new(), None),
    };
    let config = RunConfig {
        policy: policy_kind,
        seed,
        hours: hours_run,
        journal,
        plan_edits,
    };
    let outcome = response::run(scenario.clone(), &config).map_err(|e| CliError::Input(e.to_string()))?;
    let spec = RunSpec {
        scenario: scenario_path.map(std::path::Path::to_path_buf),
        scenario_hash: format!("{hash:016x}"),
        policy: policy.to_string(),
        seed,
        hours,
        flow: flow.map(str::to_string),
        plan_edits: plan_edits_path.map(std::path::Path::to_path_buf),
        plan_edits_hash,
        assumptions: assumptions.clone(),
        version: env!("CARGO_PKG_VERSION").to_string(),
    };
    Ok((spec, scenario, outcome))
}

/// Largest plan-edit file read [bytes].
const PLAN_EDITS_FILE_BYTES_MAX: u64 = 1024 * 1024;

/// Reads and checks a plan-edit file against the scenario of a run or a drill; returns
/// the edits and the fingerprint of the text. `window`: when edits may be made.
pub fn load_plan_edits(
    path: &std::path::Path,
    scenario: &Scenario,
    window: (SimTime, SimTime),
) -> Result<(Vec<TimedEdit>, u64), CliError> {
    let text = read_text_file(path, PLAN_EDITS_FILE_BYTES_MAX, "a plan-edit file")?;
    let hash = tripoint_sim::kernel::journal_hash(std::slice::from_ref(&text));
    let source = SourceText::new(path.display().to_string(), text);
    let edits = edit_file::parse(&source, scenario, window).map_err(|e| CliError::Input(e.to_string()))?;
    Ok((edits, hash))
}

fn check_hours(hours: f64) -> Result<(), CliError> {
    if hours.is_finite() && hours > 0.0 && hours <= RUN_HOURS_MAX {
        Ok(())
    } else {
        Err(CliError::Input(format!(
            "--hours must be positive and at most {RUN_HOURS_MAX}, got {}",
            tripoint_sim::scenario::ranges::number(hours)
        )))
    }
}

/// The scenario of a run (and its fingerprint), with the flow regime and the assumptions
/// given on the command line in place.
fn run_scenario(
    scenario_path: Option<&std::path::Path>,
    flow: Option<&str>,
    assumptions: &Assumptions,
) -> Result<(Arc<Scenario>, u64), CliError> {
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
    assumptions.apply(&mut scenario)?;
    Ok((Arc::new(scenario), hash))
}

/// One cell of the policy design, as typed.
pub fn parse_policy(policy: &str) -> Result<PolicyKind, CliError> {
    PolicyKind::parse(policy).ok_or_else(|| {
        CliError::Input(format!(
            "--policy: expected county, unified, pooled_due, county_plume or factorial, got {policy:?}"
        ))
    })
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
    if args.policy == "factorial" {
        return run_factorial(args);
    }
    // Where the results go is checked before the work (docs/reliability.md).
    if let Some(path) = &args.journal {
        crate::input::check_output_file(path, "--journal")?;
    }
    if let Some(dir) = &args.plans {
        crate::input::check_output_dir(dir, "--plans")?;
    }
    // The database is opened (created, upgraded, or refused) before the run.
    let mut db = crate::commands::db::recording_location(args.db.as_deref())
        .map(|location| crate::commands::db::open_location(&location))
        .transpose()?;
    let request = RunRequest {
        scenario: args.scenario.as_deref(),
        policy: &args.policy,
        seed: args.seed,
        hours: args.hours,
        flow: args.flow.as_deref(),
        assumptions: &assumptions_of(args),
        plan_edits: args.plan_edits.as_deref(),
    };
    let (spec, scenario, outcome) = execute(&request, args.journal.is_some())?;
    if let Some(path) = &args.journal {
        crate::journal::write(path, &journal_lines(&spec, &outcome)?)
            .with_context(|| format!("writing the journal to {}", path.display()))?;
    }
    if let Some(dir) = &args.plans {
        write_plans(dir, &scenario, &outcome.plan_history, &outcome.express_reports)?;
    }
    if let Some(db) = &mut db {
        let identity = crate::commands::db_record::RunIdentity {
            kind: "run",
            name: &scenario.name,
            scenario_hash: &spec.scenario_hash,
            policy: &spec.policy,
            seed: spec.seed,
        };
        let record = crate::commands::db_record::run_record(
            &identity,
            &scenario,
            &outcome.report,
            &outcome.plan_history,
            &outcome.record,
        );
        let run_id = tripoint_db::records::write(db, &record).map_err(|e| CliError::Input(e.to_string()))?;
        eprintln!(
            "{}",
            crate::i18n::said_here(
                "db-recorded-run",
                &[
                    ("run", &run_id),
                    ("db", &tripoint_db::shown(db.location())),
                    ("samples", &record.samples.len()),
                    ("tasks", &record.tasks.len()),
                ]
            )
        );
    }
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&outcome.report).context("serialising the report")?
        );
    } else {
        print!("{}", render(crate::i18n::current(), &scenario, &outcome.report));
    }
    Ok(())
}

/// Writes every plan revision (`plan-INCIDENT-rN.md/.json/.csv`), the last revision of
/// each incident again as `plan-INCIDENT.*`, and each incident's express reports
/// (`express-INCIDENT.md`) into `dir`, the documents and the schedule in the process's
/// language (the JSON is data, the same in every language).
pub fn write_plans(
    dir: &std::path::Path,
    scenario: &Scenario,
    history: &[MonitoringPlan],
    express: &[ExpressReport],
) -> anyhow::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut written = Vec::new();
    let mut write = |path: PathBuf, text: String| -> anyhow::Result<()> {
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        written.push(path);
        Ok(())
    };
    let lang = crate::i18n::current();
    let mut write_plan = |stem: &std::path::Path, plan: &MonitoringPlan| -> anyhow::Result<()> {
        let document = PlanDocument::new(scenario, plan);
        let json = serde_json::to_string_pretty(&document).context("serialising a plan")?;
        write(
            stem.with_extension("md"),
            plan_report::plan_markdown(lang, scenario, plan),
        )?;
        write(stem.with_extension("json"), json)?;
        write(
            stem.with_extension("csv"),
            plan_report::schedule_csv(lang, scenario, plan),
        )
    };
    for plan in history {
        write_plan(&dir.join(format!("plan-{}-r{}", plan.incident_id, plan.revision)), plan)?;
    }
    for (idx, incident) in scenario.incidents.iter().enumerate() {
        if let Some(last) = history.iter().rev().find(|p| p.incident == idx) {
            write_plan(&dir.join(format!("plan-{}", incident.id)), last)?;
        }
    }
    for (idx, incident) in scenario.incidents.iter().enumerate() {
        if express.iter().any(|r| r.incident == idx) {
            let path = dir.join(format!("express-{}.md", incident.id));
            let text = crate::report::express::express_markdown(lang, scenario, express, idx);
            write(path, text)?;
        }
    }
    Ok(written)
}

fn at(t: Option<i64>, start_s: i64) -> String {
    match t {
        Some(t) => format!("{} ({})", SimTime(t), SimDuration(t - start_s)),
        None => "—".to_string(),
    }
}

/// A dispatch policy as the drill report names it (`统一`); English, its id.
fn policy_name(lang: Lang, policy: &str) -> String {
    let key = format!("aar-policy-{policy}");
    match lang {
        Lang::En => policy.to_string(),
        _ if lang.has(&key) => lang.t(&key),
        _ => policy.to_string(),
    }
}

/// How an incident became known, as the drill report says it (`企业报告`); English, the
/// response's own words.
fn known_by(lang: Lang, scenario: &Scenario, by: &str) -> String {
    match (lang, by) {
        (Lang::En, _) => by.to_string(),
        (_, "enterprise report") => lang.t("aar-known-enterprise"),
        (_, "public report") => lang.t("aar-known-public"),
        _ => match by.strip_prefix(tripoint_sim::response::ALARM_DISCOVERY_PREFIX) {
            Some(point) => lang.t_args(
                "aar-known-alarm",
                &[("point", scenario_name(lang, scenario, point).into())],
            ),
            None => by.to_string(),
        },
    }
}

fn render(lang: Lang, scenario: &Scenario, r: &RunReport) -> String {
    let mut out = String::new();
    let t = |key: &str| lang.t(key);
    let ta = |key: &str, args: &[(&str, FluentValue<'_>)]| lang.t_args(key, args);
    let name = |id: &str| scenario_name(lang, scenario, id);
    // A scenario has no Chinese name: Chinese names the zone by its jurisdictions.
    let zone = match lang {
        Lang::En => r.scenario.clone(),
        _ => scenario
            .jurisdictions
            .iter()
            .map(|j| name(&j.id))
            .collect::<Vec<_>>()
            .join("、"),
    };
    let _ = writeln!(
        out,
        "{}",
        ta(
            "run-title",
            &[
                ("scenario", zone.into()),
                ("policy", policy_name(lang, &r.policy).into()),
                ("seed", r.seed.to_string().into()),
                ("end", SimTime(r.end_s).to_string().into()),
            ],
        )
    );
    for i in &r.incidents {
        // An incident has no Chinese name: its id in every language.
        let incident = i.id.clone();
        let _ = writeln!(
            out,
            "\n{}",
            ta(
                "run-incident",
                &[
                    ("incident", incident.into()),
                    ("pollutant", name(&i.pollutant).into()),
                    ("jurisdiction", name(&i.jurisdiction).into()),
                    ("start", SimTime(i.start_s).to_string().into()),
                ],
            )
        );
        let label = |key: &str, columns: usize| pad_right(&t(key), columns);
        let by = i
            .discovered_by
            .as_deref()
            .map_or_else(|| "—".to_string(), |by| known_by(lang, scenario, by));
        let _ = writeln!(
            out,
            "  {} {}",
            label("run-discovered", 15),
            ta(
                "run-discovered-by",
                &[("at", at(i.discovered_s, i.start_s).into()), ("by", by.into())]
            )
        );
        let _ = writeln!(
            out,
            "  {} {}",
            label("run-plan-issued", 15),
            ta(
                "run-plan-points",
                &[
                    ("at", at(i.plan_s, i.start_s).into()),
                    ("points", i.plan_points.to_string().into()),
                ],
            )
        );
        if let Some(estimate) = i.estimated_mass_kg {
            let _ = writeln!(
                out,
                "  {} {}",
                label("run-plan-revision", 15),
                ta(
                    "run-revision-mass",
                    &[
                        ("revision", i.plan_revision.to_string().into()),
                        ("assumed", format!("{estimate:.0}").into()),
                        ("true", format!("{:.0}", i.true_mass_kg).into()),
                    ],
                )
            );
        }
        let _ = writeln!(
            out,
            "  {}  {}",
            t("run-first-sample-at-site"),
            at(i.first_sample_at_site_s, i.start_s)
        );
        // The border's and the intake's labels as wide as each other (Chinese: 省界断面, 取水口).
        let kind_width = crate::i18n::width(&t("run-border")).max(crate::i18n::width(&t("run-intake")));
        for b in &i.border_sections {
            let _ = writeln!(
                out,
                "  {} {} {} {} {} {} {}",
                pad_right(&t("run-border"), kind_width),
                pad_right(&name(&b.point), 24),
                t("run-first-sample"),
                pad_right(&at(b.first_sample_s, i.start_s), 22),
                t("run-plume-over-limit"),
                pad_right(&at(b.plume_over_limit_s, i.start_s), 22),
                if b.sampled_before_plume {
                    t("run-covered")
                } else {
                    t("run-not-covered")
                }
            );
        }
        for w in &i.intakes {
            let verdict = match (w.threatened, w.warned_before_arrival, w.margin_s) {
                (false, _, _) => t("run-not-threatened"),
                (true, true, Some(m)) => ta("run-warned-by", &[("margin", SimDuration(m).to_string().into())]),
                (true, true, None) => t("run-warned-never-over"),
                (true, false, _) => t("run-not-warned"),
            };
            let _ = writeln!(
                out,
                "  {} {} {} {} {} {} {verdict}",
                pad_right(&t("run-intake"), kind_width),
                pad_right(&name(&w.intake), 24),
                t("run-confirmed"),
                pad_right(&at(w.confirmed_warning_s, i.start_s), 22),
                t("run-plume-over-limit"),
                pad_right(&at(w.plume_over_limit_s, i.start_s), 22)
            );
        }
    }
    let count = |n: usize| FluentValue::from(n.to_string());
    let _ = writeln!(
        out,
        "\n{}",
        ta(
            "run-coverage",
            &[
                ("covered", count(r.border_sections_covered)),
                ("sections", count(r.border_sections_total)),
                ("warned", count(r.intakes_warned)),
                ("threatened", count(r.intakes_threatened)),
            ],
        )
    );
    let _ = writeln!(
        out,
        "{}",
        ta(
            "run-work",
            &[
                ("samples", count(r.samples_taken)),
                ("results", count(r.results_known)),
                ("tasks", count(r.tasks)),
                ("done", count(r.tasks_done)),
                ("late", count(r.tasks_late)),
                ("missed", count(r.tasks_missed)),
                ("alarms", count(r.station_alarms)),
            ],
        )
    );
    if !r.plan_edits.is_empty() {
        let _ = writeln!(out, "\n{}", t("run-plan-edits"));
        for e in &r.plan_edits {
            let verdict = if e.applied {
                t("run-edit-applied")
            } else {
                t("run-edit-refused")
            };
            let _ = writeln!(
                out,
                "  {} {:<10} {:<4} {:<40} {verdict}: {}",
                SimTime(e.at_s),
                e.by,
                e.incident,
                e.edit,
                e.outcome
            );
        }
    }
    let _ = writeln!(out, "\n{}", t("run-teams"));
    for team in &r.teams {
        let _ = writeln!(
            out,
            "  {} {} {}",
            pad_right(&name(&team.team), 28),
            pad_right(&name(&team.jurisdiction), 10),
            ta(
                "run-team-row",
                &[
                    ("samples", format!("{:>3}", team.samples).into()),
                    ("busy", format!("{:>5.1}", team.busy_s as f64 / 3600.0).into()),
                    ("utilisation", format!("{:>5.1}", team.utilisation * 100.0).into()),
                ],
            )
        );
    }
    out
}

fn assumptions_of(args: &RunArgs) -> Assumptions {
    Assumptions {
        mutual_aid_delay_min: args.mutual_aid_delay_min,
        no_backing: args.no_backing,
    }
}

/// The four cells of pooling × ranking on the same scenario and seeds, side by side.
fn run_factorial(args: &RunArgs) -> CliResult {
    if args.journal.is_some() || args.plans.is_some() || args.plan_edits.is_some() || args.db.is_some() {
        return Err(CliError::Input(
            "--policy factorial runs four cells: --journal, --plans, --plan-edits and --db take one policy".into(),
        ));
    }
    if !(1..=SEEDS_MAX).contains(&args.seeds) {
        return Err(CliError::Input(format!(
            "--seeds must be from 1 to {SEEDS_MAX}, got {}",
            args.seeds
        )));
    }
    check_hours(args.hours)?;
    let (scenario, _) = run_scenario(args.scenario.as_deref(), args.flow.as_deref(), &assumptions_of(args))?;
    let jobs: Vec<(PolicyKind, u64)> = PolicyKind::FACTORIAL
        .iter()
        .flat_map(|&kind| (0..args.seeds).map(move |k| (kind, args.seed + k)))
        .collect();
    let hours = SimDuration((args.hours * 3600.0).round() as i64);
    // Each run is independent and deterministic; rayon collects them in job order.
    let reports: Vec<RunReport> = jobs
        .par_iter()
        .map(|&(policy, seed)| {
            let config = RunConfig {
                policy,
                seed,
                hours,
                journal: false,
                plan_edits: Vec::new(),
            };
            response::run(scenario.clone(), &config).map(|o| o.report)
        })
        .collect::<Result<_, _>>()
        .map_err(|e| CliError::Input(e.to_string()))?;
    let cells: Vec<&[RunReport]> = reports.chunks(args.seeds as usize).collect();
    if args.json {
        let cells: Vec<serde_json::Value> = PolicyKind::FACTORIAL
            .iter()
            .zip(&cells)
            .map(|(kind, reports)| {
                serde_json::json!({
                    "policy": kind.name(),
                    "pooling": kind.pooling(),
                    "ranking": kind.ranking(),
                    "mean": Measures::mean(reports),
                    "reports": reports,
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({ "factorial": cells }))
                .context("serialising the reports")?
        );
    } else {
        print!("{}", render_factorial(&cells));
    }
    Ok(())
}

/// The measures that decide, as numbers (per run, or means over seeds).
#[derive(Serialize, Clone, Copy, Debug, Default)]
pub struct Measures {
    pub intakes_warned: f64,
    pub intakes_threatened: f64,
    pub border_sections_covered: f64,
    pub border_sections_total: f64,
    pub samples_taken: f64,
    pub tasks_late: f64,
    pub tasks_missed: f64,
    /// Hours from each incident's start to the first sample at its site, averaged over
    /// incidents (an incident without one counts as the end of the run).
    pub first_site_sample_h: f64,
    /// Hours between the confirmed warning and the plume at the intakes warned in time,
    /// averaged over them (0 where none was).
    pub warning_margin_h: f64,
}

impl Measures {
    fn of(r: &RunReport) -> Measures {
        let site: Vec<f64> = r
            .incidents
            .iter()
            .map(|i| (i.first_sample_at_site_s.unwrap_or(r.end_s) - i.start_s) as f64 / 3600.0)
            .collect();
        let margins: Vec<f64> = r
            .incidents
            .iter()
            .flat_map(|i| &i.intakes)
            .filter(|w| w.warned_before_arrival)
            .filter_map(|w| w.margin_s)
            .map(|m| m as f64 / 3600.0)
            .collect();
        Measures {
            warning_margin_h: margins.iter().sum::<f64>() / margins.len().max(1) as f64,
            intakes_warned: r.intakes_warned as f64,
            intakes_threatened: r.intakes_threatened as f64,
            border_sections_covered: r.border_sections_covered as f64,
            border_sections_total: r.border_sections_total as f64,
            samples_taken: r.samples_taken as f64,
            tasks_late: r.tasks_late as f64,
            tasks_missed: r.tasks_missed as f64,
            first_site_sample_h: site.iter().sum::<f64>() / site.len().max(1) as f64,
        }
    }

    pub fn mean(reports: &[RunReport]) -> Measures {
        let n = reports.len().max(1) as f64;
        let all: Vec<Measures> = reports.iter().map(Measures::of).collect();
        let avg = |f: fn(&Measures) -> f64| all.iter().map(f).sum::<f64>() / n;
        Measures {
            intakes_warned: avg(|m| m.intakes_warned),
            intakes_threatened: avg(|m| m.intakes_threatened),
            border_sections_covered: avg(|m| m.border_sections_covered),
            border_sections_total: avg(|m| m.border_sections_total),
            samples_taken: avg(|m| m.samples_taken),
            tasks_late: avg(|m| m.tasks_late),
            tasks_missed: avg(|m| m.tasks_missed),
            first_site_sample_h: avg(|m| m.first_site_sample_h),
            warning_margin_h: avg(|m| m.warning_margin_h),
        }
    }
}

/// One row of the factorial table: its label, its value, and whether more is better.
type Row = (&'static str, fn(&Measures) -> f64, bool);

const ROWS: [Row; 7] = [
    ("intakes warned", |m| m.intakes_warned, true),
    ("warning margin [h]", |m| m.warning_margin_h, true),
    ("border sections covered", |m| m.border_sections_covered, true),
    ("samples taken", |m| m.samples_taken, true),
    ("tasks late", |m| m.tasks_late, false),
    ("tasks missed", |m| m.tasks_missed, false),
    ("first sample at site [h]", |m| m.first_site_sample_h, false),
];

/// The key measures of the four cells (means over seeds), and seed by seed how each cell
/// compares with county: better / worse / the same.
pub fn render_factorial(cells: &[&[RunReport]]) -> String {
    let mut out = String::new();
    let first = &cells[0][0];
    let n_seeds = cells[0].len();
    let _ = writeln!(
        out,
        "Tripoint run — {} · {} seed{} from {} · until {} · pooling × ranking\n",
        first.scenario,
        n_seeds,
        if n_seeds == 1 { "" } else { "s" },
        first.seed,
        SimTime(first.end_s)
    );
    let means: Vec<Measures> = cells.iter().map(|c| Measures::mean(c)).collect();
    let _ = write!(out, "{:<28}", if n_seeds == 1 { "" } else { "mean over seeds" });
    for kind in PolicyKind::FACTORIAL {
        let _ = write!(out, " {:>14}", kind.name());
    }
    let _ = writeln!(out);
    let _ = write!(out, "{:<28}", "  pooling / ranking");
    for kind in PolicyKind::FACTORIAL {
        let pooled = kind.pooling() == tripoint_sim::response::dispatch::Pooling::Pooled;
        let plume = kind.ranking() == tripoint_sim::response::dispatch::Ranking::Plume;
        let label = format!(
            "{} / {}",
            if pooled { "pooled" } else { "county" },
            if plume { "plume" } else { "due" }
        );
        let _ = write!(out, " {label:>14}");
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{:<28} {:>14}",
        "intakes threatened",
        format!("{:.1}", means[0].intakes_threatened)
    );
    for (label, value, _) in ROWS {
        let _ = write!(out, "{label:<28}");
        for m in &means {
            let _ = write!(out, " {:>14}", format!("{:.2}", value(m)));
        }
        let _ = writeln!(out);
    }
    if n_seeds > 1 {
        let _ = writeln!(out, "\nSeed by seed against county (better / worse / same):");
        let county: Vec<Measures> = cells[0].iter().map(Measures::of).collect();
        for (label, value, more_is_better) in ROWS {
            let _ = write!(out, "{label:<28} {:>14}", "");
            for cell in &cells[1..] {
                let (mut better, mut worse, mut same) = (0, 0, 0);
                for (r, c) in cell.iter().map(Measures::of).zip(&county) {
                    let (a, b) = (value(&r), value(c));
                    match (a - b).partial_cmp(&0.0) {
                        Some(std::cmp::Ordering::Greater) if more_is_better => better += 1,
                        Some(std::cmp::Ordering::Less) if !more_is_better => better += 1,
                        Some(std::cmp::Ordering::Equal) => same += 1,
                        _ => worse += 1,
                    }
                }
                let _ = write!(out, " {:>14}", format!("{better}/{worse}/{same}"));
            }
            let _ = writeln!(out);
        }
    }
    let _ = writeln!(
        out,
        "\nPooling is county → pooled (columns 1 → 3, 2 → 4); ranking is due time → plume (1 → 2, 3 → 4).\n\
         A seed is one draw of driving and on-scene times; compare over seeds (--seeds)."
    );
    out
}
