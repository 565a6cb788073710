//! `tripoint plan`: planning tools built on the simulator's models: `plan evaluate` and
//! `plan merge` (Monte Carlo evaluation of the zone's teams, see [`super::evaluate`]) and
//! `plan locate` (facility location on an OR-Library p-median file).

use crate::input::{CliError, CliResult};
use std::path::{Path, PathBuf};
use std::time::Instant;
use tripoint_sim::locate::{self, LocateError, LocationProblem, Objective, SolveLimits};

#[derive(clap::Args, Debug)]
pub struct PlanArgs {
    #[command(subcommand)]
    pub command: PlanCommand,
}

#[derive(clap::Subcommand, Debug)]
pub enum PlanCommand {
    /// Choose p sites on a network (p-median, p-center or maximal covering) and prove how
    /// far from the optimum they can be.
    Locate(LocateArgs),
    /// Evaluate where the zone's teams are stationed: Monte Carlo trials of incidents and
    /// simultaneous pairs drawn from the risk-source inventory, under both dispatch policies.
    Evaluate(super::evaluate::EvaluateArgs),
    /// Choose where to station the teams and their field kits with the simulation (greedy
    /// construction and local search on fixed trials), and compare the proposal with
    /// today's and with the classical location models on other trials, under the four dispatch
    /// cells (county, county_plume, pooled_due, unified) side by side.
    Optimise(super::optimise::OptimiseArgs),
    /// Combine the shard files of `plan evaluate --shard I/N --out FILE` into one result.
    Merge(super::evaluate::MergeArgs),
}

#[derive(clap::Args, Debug)]
pub struct LocateArgs {
    /// OR-Library p-median file: a line `n m p`, then m lines `i j cost` (undirected, 1-based).
    #[arg(long, value_name = "FILE")]
    pub orlib: PathBuf,
    /// Number of sites to open (default: the p of the file's header).
    #[arg(long, value_name = "P")]
    pub p: Option<usize>,
    /// What to optimise.
    #[arg(long, value_enum, default_value_t = ObjectiveArg::Median)]
    pub objective: ObjectiveArg,
    /// Covering radius, in the file's cost units (with `--objective covering` only).
    #[arg(long, value_name = "R")]
    pub radius: Option<f64>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq)]
pub enum ObjectiveArg {
    /// Minimise the sum of distances from every node to its nearest site.
    Median,
    /// Minimise the largest distance from a node to its nearest site.
    Center,
    /// Maximise the number of nodes within the radius of a site.
    Covering,
}

/// Largest OR-Library file read [bytes].
const ORLIB_FILE_BYTES_MAX: u64 = locate::ORLIB_TEXT_BYTES_MAX as u64;

pub fn run(args: &PlanArgs) -> CliResult {
    match &args.command {
        PlanCommand::Locate(args) => run_locate(args),
        PlanCommand::Evaluate(args) => super::evaluate::run_evaluate(args),
        PlanCommand::Merge(args) => super::evaluate::run_merge(args),
        PlanCommand::Optimise(args) => super::optimise::run_optimise(args),
    }
}

fn run_locate(args: &LocateArgs) -> CliResult {
    let objective = objective_of(args)?;
    let shown = args.orlib.display().to_string();
    let text = read_orlib(&args.orlib)?;
    let started = Instant::now();
    let instance = locate::parse_orlib(&text).map_err(|error| located(&shown, error))?;
    let p = args.p.unwrap_or(instance.p);
    if p == 0 {
        return Err(CliError::Input("--p must be at least 1".to_string()));
    }
    if p > instance.n_nodes {
        return Err(CliError::Input(format!(
            "--p {p} is more than the {} nodes of {shown}",
            instance.n_nodes
        )));
    }
    let problem = LocationProblem::on_all_nodes(&instance.shortest_paths());
    let paths_done = Instant::now();
    let solution =
        locate::solve(&problem, objective, p, &SolveLimits::default()).map_err(|error| located(&shown, error))?;
    let solved = Instant::now();

    let sites: Vec<String> = solution.sites.iter().map(|site| (site + 1).to_string()).collect();
    let bound_name = if objective.maximises() {
        "upper_bound"
    } else {
        "lower_bound"
    };
    println!("objective={}", unsigned_zero(solution.value));
    println!("sites={}", sites.join(","));
    println!("{bound_name}={}", unsigned_zero(solution.bound));
    println!("gap_percent={:.3}", solution.gap() * 100.0);
    let work = solution.work;
    eprintln!(
        "{shown}: {} nodes, {} edge lines ({} distinct pairs), p = {p}, {}{}: {}",
        instance.n_nodes,
        instance.n_edge_lines,
        instance.edges.len(),
        objective.name(),
        match objective {
            Objective::Covering { radius } => format!(" within {radius}"),
            _ => String::new(),
        },
        if solution.proven_optimal() {
            "proven optimal"
        } else {
            "not proven optimal"
        },
    );
    eprintln!(
        "time: {:.1} ms reading and shortest paths, {:.1} ms solving",
        (paths_done - started).as_secs_f64() * 1000.0,
        (solved - paths_done).as_secs_f64() * 1000.0
    );
    if objective == Objective::Center {
        eprintln!(
            "work: {} radii decided ({} left undecided by the node limit), {} set-cover search nodes",
            work.center_radii_decided, work.center_radii_undecided, work.center_nodes
        );
    } else {
        eprintln!(
            "work: {} local searches ({} swaps), {} subgradient iterations, {} branch-and-bound nodes{}",
            work.local_searches,
            work.swaps,
            work.subgradient_iterations,
            work.branch_nodes,
            if work.search_cut {
                " (the search stopped at its work limit: the bound above still holds)"
            } else {
                ""
            }
        );
    }
    Ok(())
}

/// `v`, with -0.0 (a bound of nothing, after a subtraction) as 0.0 so it prints `0`.
fn unsigned_zero(v: f64) -> f64 {
    if v == 0.0 { 0.0 } else { v }
}

fn objective_of(args: &LocateArgs) -> Result<Objective, CliError> {
    match (args.objective, args.radius) {
        (ObjectiveArg::Covering, None) => Err(CliError::Input("--objective covering needs --radius R".to_string())),
        (ObjectiveArg::Covering, Some(radius)) if !(radius >= 0.0 && radius.is_finite()) => {
            Err(CliError::Input(format!(
                "--radius must be a non-negative number, got {}",
                tripoint_sim::scenario::ranges::number(radius)
            )))
        }
        (ObjectiveArg::Covering, Some(radius)) => Ok(Objective::Covering { radius }),
        (_, Some(_)) => Err(CliError::Input(
            "--radius applies only to --objective covering".to_string(),
        )),
        (ObjectiveArg::Median, None) => Ok(Objective::Median),
        (ObjectiveArg::Center, None) => Ok(Objective::Center),
    }
}

/// `FILE:LINE: message` for a problem in the file, `FILE: message` otherwise.
fn located(shown: &str, error: LocateError) -> CliError {
    match error {
        LocateError::Orlib { line, message } => CliError::Input(format!("{shown}:{line}: {message}")),
        LocateError::Problem(message) => CliError::Input(format!("{shown}: {message}")),
    }
}

fn read_orlib(path: &Path) -> Result<String, CliError> {
    crate::input::read_text_file(path, ORLIB_FILE_BYTES_MAX, "an OR-Library file")
}
