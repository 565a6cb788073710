//! `tripoint plan evaluate` and `tripoint plan merge`: Monte Carlo evaluation of the
//! zone's allocation of teams under the county and unified dispatch policies, whole or in
//! shards, and the planner's report.

use crate::input::{CacheArgs, CliError, CliResult, cache_line, load_scenario_hashed};
use serde::{Deserialize, Serialize};
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::time::Instant;
use tripoint_sim::planner::draw::DrawModel;
use tripoint_sim::planner::{self, Planner, PolicySummary, TrialRow, Water};
use tripoint_sim::response::dispatch::PolicyKind;
use tripoint_sim::time::SimDuration;
use tripoint_sim::transport::unit::UnitStore;

#[derive(clap::Args, Debug)]
pub struct EvaluateArgs {
    /// Scenario whose teams, depots and risk sources are evaluated (default: the built-in zone).
    pub scenario: Option<PathBuf>,
    /// Number of trials (each one incident or a simultaneous pair).
    #[arg(long, default_value_t = 1000)]
    pub trials: u64,
    /// Dispatch policy to evaluate; `both` runs every trial under each (same incidents).
    #[arg(long, value_enum, default_value_t = PolicyArg::Both)]
    pub policy: PolicyArg,
    #[command(flatten)]
    pub draw: TrialArgs,
    /// Compute only shard I of N (0-based, e.g. `3/8`): a contiguous slice of the trials;
    /// N at most 10,000 and at most --trials.
    /// Write it with --out and combine the shards with `tripoint plan merge`.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    /// Write the trials and their set-up as JSON (a shard file for `plan merge`).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Write report.md, summary.json, trials.csv and the SVG plots into this folder.
    #[arg(long, value_name = "DIR")]
    pub report: Option<PathBuf>,
    /// Also run the first K trials with the full transport model and print how far the
    /// fast path (unit responses) is from it.
    #[arg(long, value_name = "K")]
    pub compare_transport: Option<u64>,
}

/// The planner of a command, its unit responses read from the cache where they are there;
/// says on the standard error how many runs it made and how long they took.
pub(crate) fn prepare_planner(
    scenario: tripoint_sim::scenario::Scenario,
    model: DrawModel,
    hours: SimDuration,
    cache: &CacheArgs,
) -> Result<Planner, CliError> {
    let started = Instant::now();
    let cache = cache.cache();
    let planner = Planner::new_cached(scenario, model, hours, cache.as_ref().map(|c| c as &dyn UnitStore))
        .map_err(CliError::Input)?;
    eprintln!(
        "{}",
        crate::i18n::current().t_args(
            "progress-unit-responses-timed",
            &[
                ("runs", planner.library.n_runs.to_string().into()),
                ("cache", cache_line(cache.as_ref(), planner.library.cache).into()),
                ("seconds", format!("{:.1}", started.elapsed().as_secs_f64()).into()),
            ],
        )
    );
    Ok(planner)
}

/// How trials are drawn and run: shared by `plan evaluate` and `plan optimise`.
#[derive(clap::Args, Debug)]
pub struct TrialArgs {
    /// Seed of the draws; trial i always gets the same incidents for a seed.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Length of a trial after its first incident starts [h].
    #[arg(long, default_value_t = 24.0, allow_negative_numbers = true)]
    pub hours: f64,
    /// Share of trials with two simultaneous county-level incidents in two jurisdictions.
    #[arg(long, default_value_t = 0.3, allow_negative_numbers = true)]
    pub pairs: f64,
    /// Worker threads, 1 to 256 (default: all cores). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    #[command(flatten)]
    pub cache: CacheArgs,
}

#[derive(clap::Args, Debug)]
pub struct MergeArgs {
    /// Shard files written by `plan evaluate --shard I/N --out FILE`, in any order.
    #[arg(required = true)]
    pub shards: Vec<PathBuf>,
    /// Write the merged trials as one JSON file (as `plan evaluate --out`).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Write the report of the merged trials into this folder.
    #[arg(long, value_name = "DIR")]
    pub report: Option<PathBuf>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq)]
pub enum PolicyArg {
    County,
    Unified,
    /// Pooled teams, tasks by due time (pooling alone).
    PooledDue,
    /// County teams, tasks in the plume's order (ranking alone).
    CountyPlume,
    /// County and unified.
    Both,
    /// The four cells of pooling × ranking.
    Factorial,
}

impl PolicyArg {
    fn kinds(self) -> Vec<PolicyKind> {
        match self {
            PolicyArg::County => vec![PolicyKind::County],
            PolicyArg::Unified => vec![PolicyKind::Unified],
            PolicyArg::PooledDue => vec![PolicyKind::PooledDue],
            PolicyArg::CountyPlume => vec![PolicyKind::CountyPlume],
            PolicyArg::Both => vec![PolicyKind::County, PolicyKind::Unified],
            PolicyArg::Factorial => PolicyKind::FACTORIAL.to_vec(),
        }
    }
}

/// Most trials of one run.
const TRIALS_MAX: u64 = 10_000_000;
/// Longest trial [h].
const HOURS_MAX: f64 = 24.0 * 14.0;
/// Largest shard file read [bytes].
const SHARD_FILE_BYTES_MAX: u64 = 1024 * 1024 * 1024;
/// Most worker threads (`--threads`): more than any machine the planner runs on has
/// cores; each thread costs a stack whatever it does.
pub const THREADS_MAX: usize = 256;
/// Most shards of one run (`--shard I/N`, and the N of the shard files `plan merge` reads).
pub const SHARDS_MAX: u64 = 10_000;

/// What an evaluation is: equal in every shard of one run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvaluationSpec {
    /// Scenario path as given, or `None` for the built-in zone.
    pub scenario: Option<PathBuf>,
    pub scenario_name: String,
    /// FNV-1a fingerprint of the scenario text (base included), hexadecimal.
    pub scenario_hash: String,
    pub trials: u64,
    pub seed: u64,
    pub hours: f64,
    pub policies: Vec<String>,
    pub model: DrawModel,
    pub version: String,
}

/// The output of `plan evaluate --out`: the spec, which slice, the rows.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TrialsFile {
    pub spec: EvaluationSpec,
    /// (index, count) of the shard; (0, 1) for a whole run.
    pub shard: (u64, u64),
    pub rows: Vec<TrialRow>,
}

pub fn run_evaluate(args: &EvaluateArgs) -> CliResult {
    if args.trials == 0 || args.trials > TRIALS_MAX {
        return Err(CliError::Input(format!(
            "--trials must be between 1 and {TRIALS_MAX}, got {}",
            args.trials
        )));
    }
    check_trial_args(&args.draw)?;
    let shard = match &args.shard {
        Some(text) => parse_shard(text, args.trials)?,
        None => (0, 1),
    };
    if shard.1 > 1 && args.out.is_none() {
        return Err(CliError::Input(
            "--shard needs --out FILE: the shard's trials are combined later by `tripoint plan merge`".into(),
        ));
    }
    let (scenario, hash) = load_scenario_hashed(args.scenario.as_deref(), "demo-zone.toml")?;
    check_outputs(args.out.as_deref(), args.report.as_deref())?;
    let mut model = DrawModel::default_for(&scenario);
    model.pair_share = args.draw.pairs;
    let policies = args.policy.kinds();
    let spec = EvaluationSpec {
        scenario: args.scenario.clone(),
        scenario_name: scenario.name.clone(),
        scenario_hash: format!("{hash:016x}"),
        trials: args.trials,
        seed: args.draw.seed,
        hours: args.draw.hours,
        policies: policies.iter().map(|p| planner::policy_label(*p).to_string()).collect(),
        model: model.clone(),
        version: env!("CARGO_PKG_VERSION").to_string(),
    };
    let hours = SimDuration(trial_length_s(args.draw.hours));
    let planner = prepare_planner(scenario, model, hours, &args.draw.cache)?;
    let prepared = Instant::now();
    let range = planner::shard_range(args.trials, shard.0, shard.1);
    let n = range.end - range.start;
    let progress = Progress::new(n);
    let rows = planner
        .evaluate(args.draw.seed, range, &policies, &|done| progress.tick(done))
        .map_err(|e| CliError::Internal(anyhow::anyhow!(e)))?;
    progress.finish();
    let elapsed = prepared.elapsed().as_secs_f64();
    eprintln!(
        "{}",
        crate::i18n::current().t_args(
            "progress-trials-rate",
            &[
                ("trials", n.to_string().into()),
                ("policies", policies.len().into()),
                ("seconds", format!("{elapsed:.1}").into()),
                ("rate", format!("{:.0}", n as f64 / elapsed.max(1e-9)).into()),
                ("threads", rayon::current_num_threads().to_string().into()),
            ],
        )
    );
    if let Some(k) = args.compare_transport {
        compare_transport(&planner, args.draw.seed, k.min(args.trials), &policies)?;
    }
    let file = TrialsFile { spec, shard, rows };
    if let Some(out) = &args.out {
        write_json(out, &file)?;
    }
    if shard.1 == 1 {
        finish(&file, args.report.as_deref(), &planner.base)?;
    } else {
        let file = args.out.as_ref().expect("checked above").display();
        eprintln!(
            "{}",
            crate::i18n::said_here(
                "out-evaluate-shard",
                &[("shard", &shard.0), ("shards", &shard.1), ("file", &file)],
            )
        );
    }
    Ok(())
}

/// Checks `--out FILE` and `--report DIR` before the work, so a run is not lost to a
/// path it cannot write.
fn check_outputs(out: Option<&Path>, report: Option<&Path>) -> CliResult {
    if let Some(out) = out {
        crate::input::check_output_file(out, "--out")?;
    }
    if let Some(report) = report {
        crate::input::check_output_dir(report, "--report")?;
    }
    Ok(())
}

/// Length of a trial of `hours` hours [s], as the planner runs it.
fn trial_length_s(hours: f64) -> i64 {
    (hours * 3600.0).round() as i64
}

/// Checks the trial options `plan evaluate` and `plan optimise` share and sizes the
/// thread pool.
pub(crate) fn check_trial_args(draw: &TrialArgs) -> CliResult {
    let (hours, pairs, threads) = (draw.hours, draw.pairs, draw.threads);
    if !(hours.is_finite() && hours > 0.0 && hours <= HOURS_MAX) {
        return Err(CliError::Input(format!(
            "--hours must be positive and at most {HOURS_MAX}, got {}",
            tripoint_sim::scenario::ranges::number(hours)
        )));
    }
    if !(0.0..=1.0).contains(&pairs) {
        return Err(CliError::Input(format!(
            "--pairs must be between 0 and 1, got {}",
            tripoint_sim::scenario::ranges::number(pairs)
        )));
    }
    if let Some(threads) = threads {
        if threads == 0 || threads > THREADS_MAX {
            return Err(CliError::Input(format!(
                "--threads must be between 1 and {THREADS_MAX}, got {threads}"
            )));
        }
        // The global pool can be set once per process; a second call only fails in tests.
        let _ = rayon::ThreadPoolBuilder::new().num_threads(threads).build_global();
    }
    Ok(())
}

pub fn run_merge(args: &MergeArgs) -> CliResult {
    check_outputs(args.out.as_deref(), args.report.as_deref())?;
    let mut files = Vec::new();
    for path in &args.shards {
        files.push((path.display().to_string(), read_shard(path)?));
    }
    // The report draws the zone: the scenario must still be the one evaluated, and the
    // rows are checked against its teams.
    let spec = &files
        .first()
        .ok_or_else(|| CliError::Input("no shard files".into()))?
        .1
        .spec;
    let (scenario, hash) = load_scenario_hashed(spec.scenario.as_deref(), "demo-zone.toml")?;
    let merged = merge(files, scenario.teams.len())?;
    if format!("{hash:016x}") != merged.spec.scenario_hash {
        return Err(CliError::Input(format!(
            "{}: the scenario changed since the shards were evaluated (fingerprint {hash:016x}, shards {})",
            merged
                .spec
                .scenario
                .as_ref()
                .map_or("the built-in zone".to_string(), |p| p.display().to_string()),
            merged.spec.scenario_hash
        )));
    }
    if let Some(out) = &args.out {
        write_json(out, &merged)?;
    }
    finish(&merged, args.report.as_deref(), &scenario)
}

/// Reads a shard file through the bounded reader, parsing as it reads (a file that is not
/// JSON is refused at its first byte, not after the limit).
fn read_shard(path: &Path) -> Result<TrialsFile, CliError> {
    let shown = path.display().to_string();
    let reader = crate::input::BoundedReader::open(path, SHARD_FILE_BYTES_MAX, "a shard file")?;
    serde_json::from_reader(std::io::BufReader::new(reader)).map_err(|e| {
        if e.is_io() {
            CliError::Input(format!("{shown}: {e}"))
        } else {
            CliError::Input(format!(
                "{shown}:{}:{}: not a shard file of `plan evaluate --out`: {e}",
                e.line(),
                e.column()
            ))
        }
    })
}

/// Checks the set-up a shard file states before anything is sized by it: the numbers of
/// trials and shards within their limits, known policies each once, a trial length
/// `plan evaluate` accepts.
fn check_spec(name: &str, spec: &EvaluationSpec, count: u64) -> CliResult {
    let fail = |message: String| Err(CliError::Input(format!("{name}: {message}")));
    if spec.trials == 0 || spec.trials > TRIALS_MAX {
        return fail(format!(
            "trials = {}; between 1 and {TRIALS_MAX} are allowed",
            spec.trials
        ));
    }
    if let Err(message) = check_shard_count(count, spec.trials) {
        return fail(message);
    }
    if !(spec.hours.is_finite() && spec.hours > 0.0 && spec.hours <= HOURS_MAX) {
        return fail(format!(
            "hours = {}; positive and at most {HOURS_MAX} are allowed",
            spec.hours
        ));
    }
    if spec.policies.is_empty() {
        return fail("no policies".to_string());
    }
    for (idx, policy) in spec.policies.iter().enumerate() {
        if PolicyKind::parse(policy).map(PolicyKind::name) != Some(policy.as_str()) {
            return fail(format!("unknown policy {policy:?}"));
        }
        if spec.policies[..idx].contains(policy) {
            return fail(format!("policy {policy:?} listed twice"));
        }
    }
    Ok(())
}

/// Combines shard files into the file one run would have written: same spec, every
/// shard once, rows in trial order, every row checked ([`planner::check_rows`]) for a
/// scenario of `n_teams` teams.
pub fn merge(mut files: Vec<(String, TrialsFile)>, n_teams: usize) -> Result<TrialsFile, CliError> {
    let (first_name, first) = files.first().ok_or_else(|| CliError::Input("no shard files".into()))?;
    let (spec, count) = (first.spec.clone(), first.shard.1);
    let first_name = first_name.clone();
    check_spec(&first_name, &spec, count)?;
    if files.len() as u64 > count {
        return Err(CliError::Input(format!(
            "{} shard files for a split into {count}",
            files.len()
        )));
    }
    let run_s = trial_length_s(spec.hours);
    for (name, file) in &files {
        if file.spec != spec {
            return Err(CliError::Input(format!(
                "{name}: evaluated with another set-up than {first_name} (scenario, seed, trials, hours, policies, model or version differ)"
            )));
        }
        if file.shard.1 != count || file.shard.0 >= count {
            return Err(CliError::Input(format!(
                "{name}: shard {}/{} does not belong to a split into {count}",
                file.shard.0, file.shard.1
            )));
        }
        let expected = planner::shard_range(spec.trials, file.shard.0, count);
        planner::check_rows(&file.rows, expected.clone(), &spec.policies, n_teams, run_s).map_err(|problem| {
            CliError::Input(format!(
                "{name}: shard {}/{count} (trials {}..{}), row {} of {}: {}",
                file.shard.0,
                expected.start,
                expected.end,
                problem.row_idx + 1,
                file.rows.len(),
                problem.message
            ))
        })?;
    }
    files.sort_by_key(|(_, f)| f.shard.0);
    for pair in files.windows(2) {
        if pair[0].1.shard.0 == pair[1].1.shard.0 {
            return Err(CliError::Input(format!(
                "{} and {}: both are shard {}/{count}",
                pair[0].0, pair[1].0, pair[0].1.shard.0
            )));
        }
    }
    if files.len() as u64 != count {
        let have: Vec<u64> = files.iter().map(|(_, f)| f.shard.0).collect();
        let missing: Vec<String> = (0..count)
            .filter(|i| !have.contains(i))
            .map(|i| format!("{i}/{count}"))
            .collect();
        return Err(CliError::Input(format!("missing shards: {}", missing.join(", "))));
    }
    let rows = files.into_iter().flat_map(|(_, f)| f.rows).collect();
    Ok(TrialsFile {
        spec,
        shard: (0, 1),
        rows,
    })
}

/// Prints the summary and writes the report of a whole run.
fn finish(file: &TrialsFile, report: Option<&Path>, scenario: &tripoint_sim::scenario::Scenario) -> CliResult {
    use crate::report::planner as planner_report;
    let lang = crate::i18n::current();
    let summaries = summaries(file);
    print!(
        "{}",
        planner_report::summary_table(lang, &file.spec, &summaries, scenario)
    );
    if let Some(dir) = report {
        planner_report::write(dir, lang, file, &summaries, scenario)?;
        let written = dir.join("report.md").display().to_string();
        eprintln!(
            "{}",
            planner_report::say(lang, "planner-report-written", &[("file", written)])
        );
    }
    Ok(())
}

/// One summary per policy, from the rows in trial order.
pub fn summaries(file: &TrialsFile) -> Vec<PolicySummary> {
    file.spec
        .policies
        .iter()
        .map(|policy| {
            let rows: Vec<&TrialRow> = file.rows.iter().filter(|r| &r.policy == policy).collect();
            planner::summarise(policy, &rows)
        })
        .collect()
}

fn parse_shard(text: &str, trials: u64) -> Result<(u64, u64), CliError> {
    let bad = || {
        CliError::Input(format!(
            "--shard: expected I/N with 0 <= I < N (e.g. 0/4), got {text:?}"
        ))
    };
    let (i, n) = text.split_once('/').ok_or_else(bad)?;
    let (i, n): (u64, u64) = (
        i.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if n == 0 || i >= n {
        return Err(bad());
    }
    check_shard_count(n, trials).map_err(|message| CliError::Input(format!("--shard {text}: {message}")))?;
    Ok((i, n))
}

/// A split into `count` shards of `trials` trials: at most [`SHARDS_MAX`] shards, and no
/// more shards than trials (an empty shard is a mistake, not a plan).
fn check_shard_count(count: u64, trials: u64) -> Result<(), String> {
    if count > SHARDS_MAX {
        return Err(format!("{count} shards; at most {SHARDS_MAX} are allowed"));
    }
    if count > trials {
        return Err(format!("{count} shards of {trials} trials; each shard needs a trial"));
    }
    Ok(())
}

fn write_json(path: &Path, file: &TrialsFile) -> CliResult {
    let text = serde_json::to_string(file).map_err(|e| CliError::Internal(e.into()))?;
    crate::journal::write_atomically(path, (text + "\n").as_bytes())
        .map_err(|e| CliError::Input(format!("{}: {e}", path.display())))
}

/// Runs the first `k` trials again with the transport model and prints the differences.
fn compare_transport(planner: &Planner, seed: u64, k: u64, policies: &[PolicyKind]) -> CliResult {
    let started = Instant::now();
    let (mut arrivals, mut worst_s, mut same_samples, mut same_warned, mut runs) = (0, 0i64, 0, 0, 0);
    for trial in 0..k {
        let draw = planner.draw(seed, trial);
        for &policy in policies {
            let fast = planner.run_trial(&draw, policy, Water::Unit).map_err(CliError::Input)?;
            let full = planner
                .run_trial(&draw, policy, Water::Transport)
                .map_err(CliError::Input)?;
            runs += 1;
            same_samples += usize::from(fast.samples_taken == full.samples_taken && fast.tasks == full.tasks);
            same_warned += usize::from(
                fast.intakes_warned == full.intakes_warned && fast.intakes_threatened == full.intakes_threatened,
            );
            for (f, t) in fast.incidents.iter().zip(&full.incidents) {
                let pairs = f
                    .intakes
                    .iter()
                    .map(|w| w.plume_over_limit_s)
                    .zip(t.intakes.iter().map(|w| w.plume_over_limit_s))
                    .chain(
                        f.border_sections
                            .iter()
                            .map(|b| b.plume_over_limit_s)
                            .zip(t.border_sections.iter().map(|b| b.plume_over_limit_s)),
                    );
                for (a, b) in pairs {
                    match (a, b) {
                        (Some(a), Some(b)) => {
                            arrivals += 1;
                            worst_s = worst_s.max((a - b).abs());
                        }
                        (None, None) => {}
                        _ => {
                            arrivals += 1;
                            worst_s = i64::MAX;
                        }
                    }
                }
            }
        }
    }
    println!(
        "fast path vs transport over {runs} runs ({k} trials, {:.1} s): same samples and tasks in {same_samples}, same intake warnings in {same_warned}; {arrivals} plume arrivals over a limit compared, largest difference {}",
        started.elapsed().as_secs_f64(),
        if worst_s == i64::MAX {
            "one side never arrives".to_string()
        } else {
            format!("{worst_s} s")
        }
    );
    Ok(())
}

/// Progress on standard error: a bar on a terminal, a plain line every tenth otherwise.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    total: u64,
    started: Instant,
}

impl Progress {
    fn new(total: u64) -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = indicatif::ProgressBar::new(total);
            bar.set_style(
                indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} trials  {per_sec}  eta {eta}")
                    .expect("a valid template"),
            );
            bar
        });
        Progress {
            bar,
            total,
            started: Instant::now(),
        }
    }

    fn tick(&self, done: u64) {
        match &self.bar {
            Some(bar) => bar.set_position(done),
            None => {
                let step = (self.total / 10).max(1);
                if done.is_multiple_of(step) || done == self.total {
                    eprintln!(
                        "{}",
                        crate::i18n::current().t_args(
                            "progress-trials",
                            &[
                                ("done", done.to_string().into()),
                                ("total", self.total.to_string().into()),
                                ("seconds", format!("{:.1}", self.started.elapsed().as_secs_f64()).into()),
                            ],
                        )
                    );
                }
            }
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
