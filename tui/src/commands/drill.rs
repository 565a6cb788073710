//! `tripoint drill SCRIPT`: runs a drill script headless, simulated players in every seat,
//! and writes the after-action report (Markdown, JSON, SVG charts).

use crate::input::{CliError, CliResult, load_scenario, read_text_file};
use crate::report;
use anyhow::Context as _;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;
use tripoint_sim::drill::script::{self, ScenarioLoader};
use tripoint_sim::drill::{self, Drill, DrillConfig, DrillReport};
use tripoint_sim::response::dispatch::PolicyKind;
use tripoint_sim::response::edit_file::TimedEdit;
use tripoint_sim::scenario::{self as scenario_mod, Scenario};

#[derive(clap::Args, Debug)]
pub struct DrillArgs {
    /// Drill script (rhai), or the name of a shipped drill: two-incidents,
    /// night-antimony-station-failure, dianshan-lake, alarm-unknown-source.
    pub script: String,
    /// Seed of the simulation's generator.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Dispatch policy of the simulated players: `county`, `unified`, `pooled_due`,
    /// `county_plume`, or `factorial`: the four side by side (score and every rating).
    #[arg(
        long,
        default_value = "unified",
        value_name = "county|unified|pooled_due|county_plume|factorial"
    )]
    pub policy: String,
    /// Write report.md, report.json and the SVG charts into this folder.
    #[arg(long, value_name = "DIR")]
    pub report: Option<PathBuf>,
    /// Write the journal of handled events (JSON lines) to this file.
    #[arg(long, value_name = "FILE")]
    pub journal: Option<PathBuf>,
    /// Write every revision of each incident's monitoring plan into this folder:
    /// `plan-INCIDENT-rN.md`, `.json` and the field teams' sampling schedule `.csv`.
    #[arg(long, value_name = "DIR")]
    pub plans: Option<PathBuf>,
    /// Make the timed plan edits of this file (TOML, docs/plan-edits.md) as the seats'
    /// actions at their times, journaled like a person's.
    #[arg(long, value_name = "FILE")]
    pub plan_edits: Option<PathBuf>,
    /// Record the drill in this database (a SQLite file or a PostgreSQL connection string;
    /// default: $TRIPOINT_DB if set, else none): its incidents, plans, tasks, samples,
    /// results and warnings, its ratings and its after-action report (docs/database.md).
    #[arg(long, value_name = "LOCATION")]
    pub db: Option<String>,
}

/// Largest script file read [bytes].
const SCRIPT_FILE_BYTES_MAX: u64 = script::SCRIPT_BYTES_MAX as u64;

/// Reads and checks a drill: a file, else a shipped drill of that name.
pub fn load_drill(name: &str) -> Result<Drill, CliError> {
    let path = Path::new(name);
    let (shown, text, dir) = if path.is_file() {
        let text = read_text_file(path, SCRIPT_FILE_BYTES_MAX, "a drill script")?;
        (name.to_string(), text, path.parent().map(Path::to_path_buf))
    } else if let Some((file, text)) = script::builtin_script(name) {
        (format!("<built-in>/{file}"), text.to_string(), None)
    } else {
        let shipped: Vec<&str> = script::BUILTIN_DRILLS
            .iter()
            .map(|(f, _)| f.trim_end_matches(".rhai"))
            .collect();
        return Err(CliError::Input(format!(
            "{name}: no such file, and no shipped drill of that name (shipped: {})",
            shipped.join(", ")
        )));
    };
    let loader: ScenarioLoader = Rc::new(move |scenario_name: &str| scenario_for(dir.as_deref(), scenario_name));
    script::load(&shown, &text, loader).map_err(|e| CliError::Input(e.to_string()))
}

/// A scenario a script names: a file beside the script, else a built-in one.
fn scenario_for(dir: Option<&Path>, name: &str) -> Result<Scenario, String> {
    if let Some(dir) = dir {
        let beside = dir.join(name);
        if beside.is_file() {
            return load_scenario(Some(&beside)).map_err(|e| match e {
                CliError::Input(message) | CliError::Diverged(message) => message,
                CliError::Internal(error) => error.to_string(),
            });
        }
    }
    match scenario_mod::builtin_source(name) {
        Some(source) => {
            Scenario::parse(&source).map_err(|e| crate::messages::scenario_error(crate::i18n::current(), &e))
        }
        None => Err("neither beside the script nor built in".to_string()),
    }
}

pub fn run(args: &DrillArgs) -> CliResult {
    if args.policy == "factorial" {
        return run_factorial(args);
    }
    // Where the results go is checked before the work (docs/reliability.md).
    if let Some(path) = &args.journal {
        crate::input::check_output_file(path, "--journal")?;
    }
    for (dir, flag) in [(&args.report, "--report"), (&args.plans, "--plans")] {
        if let Some(dir) = dir {
            crate::input::check_output_dir(dir, flag)?;
        }
    }
    let policy = crate::commands::run::parse_policy(&args.policy)?;
    let drill = Arc::new(load_drill(&args.script)?);
    // The database is opened (created, upgraded, or refused) before the drill.
    let mut db = crate::commands::db::recording_location(args.db.as_deref())
        .map(|location| crate::commands::db::open_location(&location))
        .transpose()?;
    let config = DrillConfig {
        policy,
        seed: args.seed,
        journal: args.journal.is_some(),
        human_seats: Vec::new(),
    };
    let mut session = drill::Session::new(drill.clone(), &config).map_err(|e| CliError::Input(e.to_string()))?;
    let edits = match &args.plan_edits {
        Some(path) => {
            let window = (drill.start, drill.end());
            let (edits, _) = crate::commands::run::load_plan_edits(path, &drill.scenario, window)?;
            session
                .schedule_plan_edits(&edits)
                .map_err(|e| CliError::Input(e.to_string()))?;
            edits
        }
        None => Vec::new(),
    };
    let outcome = session
        .finish()
        .map_err(|e| CliError::Internal(anyhow::anyhow!("{e}")))?;
    if let Some(path) = &args.journal {
        crate::journal::write(path, &outcome.journal)
            .with_context(|| format!("writing the journal {}", path.display()))?;
    }
    if let Some(dir) = &args.report {
        let files = report::drill::write(dir, crate::i18n::current(), &drill, &outcome.report)?;
        for file in files {
            eprintln!("{}", crate::i18n::said_here("out-wrote", &[("file", &file.display())]));
        }
    }
    if let Some(dir) = &args.plans {
        if outcome.plans.is_empty() {
            let said = crate::i18n::said_here("out-drill-no-plan", &[("folder", &dir.display())]);
            eprintln!("{said}");
        }
        let files = crate::commands::run::write_plans(dir, &drill.scenario, &outcome.plans, &outcome.express_reports)?;
        for file in files {
            eprintln!("{}", crate::i18n::said_here("out-wrote", &[("file", &file.display())]));
        }
    }
    if let Some(db) = &mut db {
        // A drill's scenario is the script's (built in or beside it); the run keeps its
        // name, not a fingerprint.
        let identity = crate::commands::db_record::RunIdentity {
            kind: "drill",
            name: &outcome.report.drill,
            scenario_hash: "",
            policy: &args.policy,
            seed: args.seed,
        };
        let mut record = crate::commands::db_record::run_record(
            &identity,
            &drill.scenario,
            &outcome.report.response,
            &outcome.plans,
            &outcome.record,
        );
        let report_path = args.report.as_ref().map(|dir| dir.join("report.md"));
        record.drill = Some(crate::commands::db_record::drill_record(
            &outcome.report,
            report_path.as_deref(),
        ));
        let run_id = tripoint_db::records::write(db, &record).map_err(|e| CliError::Input(e.to_string()))?;
        eprintln!(
            "{}",
            crate::i18n::said_here(
                "db-recorded-drill",
                &[
                    ("run", &run_id),
                    ("db", &tripoint_db::shown(db.location())),
                    ("samples", &record.samples.len()),
                    ("ratings", &record.drill.as_ref().map_or(0, |d| d.ratings.len())),
                ]
            )
        );
    }
    print!("{}", summary(&drill, &outcome.report));
    if let Some(path) = &args.plan_edits {
        print!("{}", file_edits_summary(path, &drill, &edits, &outcome.report));
    }
    Ok(())
}

/// What came of each edit of a plan-edit file, in file order: applied, or refused and why,
/// in the session's language (English as it always was).
fn file_edits_summary(path: &Path, drill: &Drill, edits: &[TimedEdit], report: &DrillReport) -> String {
    let lang = crate::i18n::current();
    let scenario = &drill.scenario;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        lang.t_args(
            "drill-plan-edits-heading",
            &[("file", path.display().to_string().into())]
        )
    );
    let mut taken = vec![false; report.response.plan_edits.len()];
    // Chinese rows: (line, time, seat, incident, edit, verdict), laid out once all are known.
    let mut rows: Vec<[String; 6]> = Vec::new();
    for edit in edits {
        let by = edit.by.label(scenario);
        let (incident, what) = (&scenario.incidents[edit.incident].id, edit.request.describe());
        let record = report.response.plan_edits.iter().enumerate().find(|(i, r)| {
            !taken[*i] && r.at_s == edit.at.seconds() && r.by == by && &r.incident == incident && r.edit == what
        });
        if let Some((i, _)) = record {
            taken[i] = true;
        }
        let record = record.map(|(_, r)| r);
        if lang == crate::i18n::Lang::En {
            let verdict = match record {
                Some(r) => format!("{}: {}", if r.applied { "applied" } else { "REFUSED" }, r.outcome),
                None => "REFUSED: the seat could not make it".to_string(),
            };
            let _ = writeln!(
                out,
                "  line {:<4} {} {:<10} {:<4} {:<40} {verdict}",
                edit.line,
                edit.at.clock_label(),
                by,
                incident,
                what
            );
        } else {
            let verdict = match record {
                Some(r) => lang.t_args(
                    if r.applied {
                        "drill-plan-edit-applied"
                    } else {
                        "drill-plan-edit-refused"
                    },
                    &[("outcome", report::drill::text(lang, drill, &r.outcome_text).into())],
                ),
                None => lang.t("drill-plan-edit-not-made"),
            };
            rows.push([
                lang.t_args("drill-plan-edit-line", &[("line", edit.line.to_string().into())]),
                edit.at.clock_label(),
                report::drill::who(lang, drill, &by),
                crate::i18n::scenario_name(lang, scenario, incident),
                report::drill::text(lang, drill, &edit.request.text()),
                verdict,
            ]);
        }
    }
    let widths: Vec<usize> = (0..5)
        .map(|column| {
            rows.iter()
                .map(|row| crate::i18n::width(&row[column]))
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in &rows {
        let _ = write!(out, " ");
        for (cell, width) in row.iter().zip(&widths) {
            let _ = write!(out, " {}", crate::i18n::pad_right(cell, *width));
        }
        let _ = writeln!(out, " {}", row[5]);
    }
    out
}

/// The drill under the four cells of pooling × ranking, side by side: the score and each
/// target's rating. Reports and journals take one policy.
fn run_factorial(args: &DrillArgs) -> CliResult {
    if args.report.is_some()
        || args.journal.is_some()
        || args.plans.is_some()
        || args.plan_edits.is_some()
        || args.db.is_some()
    {
        return Err(CliError::Input(
            "--policy factorial runs four cells: --report, --journal, --plans, --plan-edits and --db take one policy"
                .into(),
        ));
    }
    let drill = Arc::new(load_drill(&args.script)?);
    let mut reports = Vec::new();
    for policy in PolicyKind::FACTORIAL {
        let config = DrillConfig {
            policy,
            seed: args.seed,
            journal: false,
            human_seats: Vec::new(),
        };
        let outcome = drill::run(drill.clone(), &config).map_err(|e| CliError::Internal(anyhow::anyhow!("{e}")))?;
        reports.push(outcome.report);
    }
    let policies = PolicyKind::FACTORIAL.map(PolicyKind::name);
    print!(
        "{}",
        report::drill::factorial(crate::i18n::current(), &drill, &policies, &reports)
    );
    Ok(())
}

/// The console summary: the score and every target's rating.
pub fn summary(drill: &Drill, report: &DrillReport) -> String {
    report::drill::summary(crate::i18n::current(), drill, report)
}
