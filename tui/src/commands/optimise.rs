//! `tripoint plan optimise`: where to station the zone's teams and field kits, searched
//! with the response simulation on a fixed set of trials, checked on other trials against
//! today's allocation and the classical location models, under the four dispatch cells
//! (pooling × ranking) side by side.

use crate::input::{CliError, CliResult, load_scenario_hashed};
use serde::Serialize;
use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Instant;
use tripoint_sim::planner::draw::DrawModel;
use tripoint_sim::planner::optimise::{self, Allocation, Classical, DrivingModel, Goal, Optimised, SearchSpec};
use tripoint_sim::planner::{self, PolicySummary, TrialRow};
use tripoint_sim::response::dispatch::PolicyKind;
use tripoint_sim::time::SimDuration;

#[derive(clap::Args, Debug)]
pub struct OptimiseArgs {
    /// Scenario whose teams, depots, candidate sites and risk sources are used (default:
    /// the built-in zone).
    pub scenario: Option<PathBuf>,
    /// Teams to field, at most the scenario's (default: all of them).
    #[arg(long)]
    pub teams: Option<usize>,
    /// Field kits to distribute among the fielded teams, e.g. `sb_voltammetry=10,aniline_kit=4`
    /// (kits not listed: as many as the fielded teams carry today).
    #[arg(long, value_name = "KIT=N,…", value_delimiter = ',')]
    pub instruments: Vec<String>,
    /// What the search maximises.
    #[arg(long, value_enum, default_value_t = GoalArg::IntakeWarning)]
    pub objective: GoalArg,
    /// Dispatch policy the allocation is optimised for (the check compares all four).
    #[arg(long, value_enum, default_value_t = OptPolicyArg::Unified)]
    pub policy: OptPolicyArg,
    /// Teams may be stationed at sites of other jurisdictions (they still belong to their own).
    #[arg(long)]
    pub across_borders: bool,
    /// Trials scoring every allocation during the search (the same for all).
    #[arg(long, default_value_t = 200)]
    pub search_trials: u64,
    /// Other trials on which the proposal is compared with today's and the classical models.
    #[arg(long, default_value_t = 1000)]
    pub verify_trials: u64,
    /// Most allocations the local search simulates.
    #[arg(long, default_value_t = 400)]
    pub max_evaluations: usize,
    /// Driving time within which the maximal covering model counts a source as covered [min].
    #[arg(long, default_value_t = 30.0, allow_negative_numbers = true)]
    pub radius: f64,
    #[command(flatten)]
    pub draw: super::evaluate::TrialArgs,
    /// Write report.md, trials.csv, optimise.json and the SVG plots into this folder.
    #[arg(long, value_name = "DIR")]
    pub report: PathBuf,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq)]
pub enum GoalArg {
    IntakeWarning,
    P90Response,
    Coverage,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq)]
pub enum OptPolicyArg {
    County,
    Unified,
    PooledDue,
    CountyPlume,
}

/// The dispatch policies every allocation is checked under: the four cells of pooling ×
/// ranking, whichever one the search used.
pub const CHECK_POLICIES: [PolicyKind; 4] = PolicyKind::FACTORIAL;

/// Most trials of either set.
const TRIALS_MAX: u64 = 1_000_000;

/// The set-up of a run, as written in the report.
#[derive(Clone, Debug, Serialize)]
pub struct OptimiseSetup {
    pub scenario: Option<PathBuf>,
    pub scenario_name: String,
    pub scenario_hash: String,
    pub search: SearchSpec,
    pub verify_trials: u64,
    pub hours: f64,
    pub radius_min: f64,
    pub model: DrawModel,
    pub version: String,
}

/// An allocation compared on the verification trials.
#[derive(Clone, Debug, Serialize)]
pub struct Compared {
    pub label: String,
    pub allocation: Allocation,
    /// (weighted mean, largest, share within the radius) of source-to-site driving [min].
    pub driving: (f64, f64, f64),
    pub summaries: Vec<PolicySummary>,
    #[serde(skip)]
    pub rows: Vec<TrialRow>,
}

/// Everything the report shows.
pub struct Outcome {
    pub setup: OptimiseSetup,
    pub optimised: Optimised,
    pub classical: Vec<Classical>,
    pub compared: Vec<Compared>,
    /// Intake warning at each size of the trade-off curve on the checking trials:
    /// (teams, one estimate per cell of [`CHECK_POLICIES`], in that order).
    pub curve_checked: Vec<(usize, Vec<tripoint_sim::planner::stats::Estimate>)>,
}

fn parse_kits(items: &[String]) -> Result<Vec<(String, usize)>, CliError> {
    let mut kits: Vec<(String, usize)> = Vec::new();
    for item in items.iter().filter(|i| !i.trim().is_empty()) {
        let (kit, n) = item
            .split_once('=')
            .ok_or_else(|| CliError::Input(format!("--instruments: `{item}` is not KIT=N (e.g. sb_voltammetry=10)")))?;
        let kit = kit.trim();
        let n: usize = n
            .trim()
            .parse()
            .map_err(|_| CliError::Input(format!("--instruments: `{item}`: the count must be a whole number ≥ 0")))?;
        if kits.iter().any(|(k, _)| k == kit) {
            return Err(CliError::Input(format!("--instruments: `{kit}` is given twice")));
        }
        kits.push((kit.to_string(), n));
    }
    Ok(kits)
}

pub fn run_optimise(args: &OptimiseArgs) -> CliResult {
    for (name, n) in [
        ("--search-trials", args.search_trials),
        ("--verify-trials", args.verify_trials),
    ] {
        if n == 0 || n > TRIALS_MAX {
            return Err(CliError::Input(format!(
                "{name} must be between 1 and {TRIALS_MAX}, got {n}"
            )));
        }
    }
    if !(args.radius.is_finite() && args.radius >= 0.0) {
        return Err(CliError::Input(format!(
            "--radius must be a non-negative number of minutes, got {}",
            tripoint_sim::scenario::ranges::number(args.radius)
        )));
    }
    let kits = parse_kits(&args.instruments)?;
    super::evaluate::check_trial_args(&args.draw)?;
    let (scenario, hash) = load_scenario_hashed(args.scenario.as_deref(), "demo-zone.toml")?;
    let n_teams = scenario.teams.len();
    let teams = args.teams.unwrap_or(n_teams);
    if teams == 0 || teams > n_teams {
        return Err(CliError::Input(format!(
            "--teams must be between 1 and the scenario's {n_teams} teams, got {teams}"
        )));
    }
    for (kit, _) in &kits {
        if !optimise::is_field_kit(kit) {
            let known: Vec<&str> = tripoint_sim::equipment::Catalogue::builtin()
                .instruments()
                .iter()
                .filter(|i| i.method == tripoint_sim::equipment::Method::Field)
                .map(|i| i.id.as_str())
                .collect();
            return Err(CliError::Input(format!(
                "--instruments: `{kit}` is not a field kit of the catalogue; field kits: {}",
                known.join(", ")
            )));
        }
    }
    if let Some((kit, n)) = kits.iter().find(|(_, n)| *n > teams) {
        return Err(CliError::Input(format!(
            "--instruments: {n} `{kit}` kits cannot be carried by {teams} teams (one kit of a kind per team)"
        )));
    }
    let mut model = DrawModel::default_for(&scenario);
    model.pair_share = args.draw.pairs;
    let search = SearchSpec {
        goal: match args.objective {
            GoalArg::IntakeWarning => Goal::IntakeWarning,
            GoalArg::P90Response => Goal::P90Response,
            GoalArg::Coverage => Goal::Coverage,
        },
        policy: match args.policy {
            OptPolicyArg::County => PolicyKind::County,
            OptPolicyArg::Unified => PolicyKind::Unified,
            OptPolicyArg::PooledDue => PolicyKind::PooledDue,
            OptPolicyArg::CountyPlume => PolicyKind::CountyPlume,
        },
        teams,
        kits,
        across_borders: args.across_borders,
        seed: args.draw.seed,
        search_trials: args.search_trials,
        max_evaluations: args.max_evaluations,
    };
    // Where the report goes is checked once the request is, before the search
    // (docs/reliability.md).
    crate::input::check_output_dir(&args.report, "--report")?;
    let setup = OptimiseSetup {
        scenario: args.scenario.clone(),
        scenario_name: scenario.name.clone(),
        scenario_hash: format!("{hash:016x}"),
        search: search.clone(),
        verify_trials: args.verify_trials,
        hours: args.draw.hours,
        radius_min: args.radius,
        model: model.clone(),
        version: env!("CARGO_PKG_VERSION").to_string(),
    };
    let hours = SimDuration((args.draw.hours * 3600.0).round() as i64);
    let planner = super::evaluate::prepare_planner(scenario, model, hours, &args.draw.cache)?;
    // The driving-time model first: a zone it cannot be built for fails before the search.
    let sites = optimise::sites(&planner.base);
    let driving = DrivingModel::new(&planner, &sites).map_err(CliError::Input)?;
    let searching = Instant::now();
    let progress = SearchProgress::new();
    let optimised =
        optimise::optimise(&planner, &search, &|phase, n| progress.tick(phase, n)).map_err(CliError::Input)?;
    progress.finish();
    let search_s = searching.elapsed().as_secs_f64();
    eprintln!(
        "search: {} allocations simulated × {} trials in {search_s:.1} s{}",
        optimised.evaluations,
        args.search_trials,
        if optimised.local_optimum {
            " (local optimum)"
        } else {
            " (stopped at --max-evaluations)"
        }
    );

    // The comparison, on trials the search did not see.
    let sites = &optimised.sites;
    let p = optimised.proposed.occupied_sites().len();
    let classical = optimise::classical(
        &planner,
        &driving,
        sites,
        p,
        args.radius,
        &optimised.proposed,
        args.across_borders,
    )
    .map_err(CliError::Input)?;
    let mut candidates: Vec<(String, Allocation)> = vec![
        ("today".into(), optimised.today.clone()),
        ("proposed".into(), optimised.proposed.clone()),
    ];
    if teams < n_teams {
        candidates.insert(1, (format!("today ({teams} teams)"), optimised.start.clone()));
    }
    for c in &classical {
        candidates.push((c.model.to_string(), c.allocation.clone()));
    }
    let verifying = Instant::now();
    let policies = CHECK_POLICIES;
    let range = args.search_trials..args.search_trials + args.verify_trials;
    let mut compared = Vec::new();
    let total = candidates.len();
    for (i, (label, allocation)) in candidates.into_iter().enumerate() {
        eprintln!(
            "checking {label} ({}/{total}) on trials {}–{}",
            i + 1,
            range.start,
            range.end - 1
        );
        let rows = planner
            .evaluate_allocation(&allocation, sites, args.draw.seed, range.clone(), &policies)
            .map_err(|e| CliError::Internal(anyhow::anyhow!(e)))?;
        let summaries = policies
            .iter()
            .map(|&p| {
                let label = planner::policy_label(p);
                let of: Vec<&TrialRow> = rows.iter().filter(|r| r.policy == label).collect();
                planner::summarise(label, &of)
            })
            .collect();
        compared.push(Compared {
            label,
            driving: driving.measures(&allocation.occupied_sites(), args.radius),
            allocation,
            summaries,
            rows,
        });
    }
    // The trade-off curve on the checking trials, under the four cells.
    let mut curve_checked = Vec::new();
    for point in &optimised.curve {
        eprintln!("checking the curve at {} teams", point.teams);
        let rows = planner
            .evaluate_allocation(&point.allocation, sites, args.draw.seed, range.clone(), &policies)
            .map_err(|e| CliError::Internal(anyhow::anyhow!(e)))?;
        let warned = policies
            .iter()
            .map(|&p| {
                let label = planner::policy_label(p);
                let of: Vec<&TrialRow> = rows.iter().filter(|r| r.policy == label).collect();
                planner::summarise(label, &of).intake_warned
            })
            .collect();
        curve_checked.push((point.teams, warned));
    }
    eprintln!(
        "check: {} allocations and {} curve sizes × {} trials × {} policies in {:.1} s",
        compared.len(),
        curve_checked.len(),
        args.verify_trials,
        policies.len(),
        verifying.elapsed().as_secs_f64()
    );
    let outcome = Outcome {
        setup,
        optimised,
        classical,
        compared,
        curve_checked,
    };
    let lang = crate::i18n::current();
    print!(
        "{}",
        crate::report::optimise::summary_text(lang, &outcome, &planner.base)
    );
    crate::report::optimise::write(&args.report, lang, &outcome, &planner.base).map_err(CliError::Internal)?;
    let written = args.report.join("report.md").display().to_string();
    eprintln!(
        "{}",
        crate::report::planner::say(lang, "planner-report-written", &[("file", written)])
    );
    Ok(())
}

/// A spinner with the phase and count on a terminal; a line per phase and every 25
/// allocations otherwise.
struct SearchProgress {
    bar: Option<indicatif::ProgressBar>,
    phase: Mutex<String>,
    started: Instant,
}

impl SearchProgress {
    fn new() -> SearchProgress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_style(
                indicatif::ProgressStyle::with_template("{spinner} {elapsed} {msg}").expect("a valid template"),
            );
            bar.enable_steady_tick(std::time::Duration::from_millis(200));
            bar
        });
        SearchProgress {
            bar,
            phase: Mutex::new(String::new()),
            started: Instant::now(),
        }
    }

    fn tick(&self, phase: &str, evaluations: usize) {
        let mut current = self.phase.lock().expect("progress is not poisoned");
        let new_phase = !phase.is_empty() && *current != phase;
        if new_phase {
            *current = phase.to_string();
        }
        match &self.bar {
            Some(bar) => bar.set_message(format!("{}: {evaluations} allocations simulated", current)),
            None if new_phase || (evaluations > 0 && evaluations.is_multiple_of(25)) => eprintln!(
                "{}: {evaluations} allocations simulated ({:.1} s)",
                current,
                self.started.elapsed().as_secs_f64()
            ),
            None => {}
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
