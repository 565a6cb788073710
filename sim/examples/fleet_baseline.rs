//! The Rust side of the SimPy baseline (`benches/fleet_baseline.sh`): writes the shared JSON
//! input of the fleet model from the built-in zone, and runs `tripoint_sim::fleet` on an
//! input, printing customers per second and the response-time summary.
//!
//! ```sh
//! cargo run --release -p tripoint-sim --example fleet_baseline -- export --customers 1000000 --out fleet.json
//! cargo run --release -p tripoint-sim --example fleet_baseline -- run fleet.json --responses rust.txt
//! cargo run --release -p tripoint-sim --example fleet_baseline -- run fleet.json --engine bare
//! ```
//!
//! Bad input (a missing or malformed file, a field out of range) exits 2 with the file and
//! the place; a failure of the run itself exits 1.

use clap::{Parser, Subcommand, ValueEnum};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;
use tripoint_sim::fleet::{self, ExportOptions, FleetError, FleetInput, NodeWeights, ServiceTime};
use tripoint_sim::scenario::Scenario;

#[derive(Parser, Debug)]
#[command(
    name = "fleet_baseline",
    about = "Fleet dispatch model: shared input and the Rust run"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Write the input made from the built-in zone: road graph, depots, teams, a load.
    Export(ExportArgs),
    /// Run the model on an input file.
    Run(RunArgs),
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum Weights {
    /// The risk sources' annual release probabilities, summed on their road nodes.
    Risk,
    /// Every road node alike.
    Uniform,
}

#[derive(clap::Args, Debug)]
struct ExportArgs {
    #[arg(long, value_enum, default_value_t = Weights::Risk)]
    weights: Weights,
    /// Incidents in the whole zone per hour (a stress load, not an observed rate).
    #[arg(long, default_value_t = 1.5)]
    arrival_rate_per_h: f64,
    /// Median time on scene [s].
    #[arg(long, default_value_t = 10_800.0)]
    median_s: f64,
    /// Standard deviation of the logarithm of the time on scene.
    #[arg(long, default_value_t = 0.6)]
    sigma: f64,
    /// Expected number of incidents; sets the horizon to customers / rate.
    #[arg(long, default_value_t = 1_000_000)]
    customers: u64,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Where to write the JSON input.
    #[arg(long)]
    out: PathBuf,
}

#[derive(clap::Args, Debug)]
struct RunArgs {
    /// The JSON input.
    input: PathBuf,
    /// Write every response time [s], one per line, in arrival order.
    #[arg(long)]
    responses: Option<PathBuf>,
    /// Print the summary as one JSON object instead of text.
    #[arg(long)]
    json: bool,
    /// The event loop: the kernel (what the planner uses) or the bare binary-heap loop,
    /// its benchmark baseline (the same model code and draws, the same results).
    #[arg(long, value_enum, default_value_t = Engine::Kernel)]
    engine: Engine,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq)]
enum Engine {
    Kernel,
    Bare,
}

/// An error and its exit code: 2 for bad input, 1 for everything else.
struct Failure {
    code: u8,
    message: String,
}

fn bad_input(message: String) -> Failure {
    Failure { code: 2, message }
}

fn internal(message: String) -> Failure {
    Failure { code: 1, message }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Export(args) => export(args),
        Command::Run(args) => run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

fn export(args: &ExportArgs) -> Result<(), Failure> {
    if !(args.arrival_rate_per_h.is_finite() && args.arrival_rate_per_h > 0.0) || args.customers == 0 {
        return Err(bad_input(format!(
            "--arrival-rate-per-h must be positive (got {}) and --customers at least 1 (got {})",
            args.arrival_rate_per_h, args.customers
        )));
    }
    let horizon_s = (args.customers as f64 / args.arrival_rate_per_h * 3600.0).round() as i64;
    let options = ExportOptions {
        weights: match args.weights {
            Weights::Risk => NodeWeights::RiskSources,
            Weights::Uniform => NodeWeights::Uniform,
        },
        arrival_rate_per_h: args.arrival_rate_per_h,
        service: ServiceTime::Lognormal {
            median_s: args.median_s,
            sigma: args.sigma,
        },
        horizon_s,
        seed: args.seed,
    };
    let input = FleetInput::from_scenario(&Scenario::builtin(), &options)
        .map_err(|e| internal(format!("the built-in zone: {e}")))?;
    // Check before writing, so that a bad option is reported here and not by the reader.
    input
        .validate()
        .map_err(|e| bad_input(format!("the options give {e}")))?;
    let text = serde_json::to_string(&input).map_err(|e| internal(format!("serialising: {e}")))?;
    std::fs::write(&args.out, text + "\n").map_err(|e| internal(format!("{}: {e}", args.out.display())))?;
    eprintln!(
        "wrote {}: {} nodes, {} teams, λ = {}/h, horizon {} s",
        args.out.display(),
        input.nodes.len(),
        input.teams.len(),
        input.arrival_rate_per_h,
        input.horizon_s
    );
    Ok(())
}

fn read_input(path: &Path) -> Result<FleetInput, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| bad_input(format!("{}: {e}", path.display())))?;
    FleetInput::from_json_str(&text).map_err(|e| match e {
        // serde_json's message already ends with "at line L column C"; lead with the place.
        FleetError::Parse { line, column, message } => {
            let message = message
                .rsplit_once(" at line ")
                .map_or(message.as_str(), |(head, _)| head)
                .to_string();
            bad_input(format!("{}:{line}:{column}: {message}", path.display()))
        }
        other => bad_input(format!("{}: {other}", path.display())),
    })
}

fn run(args: &RunArgs) -> Result<(), Failure> {
    let input = read_input(&args.input)?;
    let model = input
        .validate()
        .map_err(|e| bad_input(format!("{}: {e}", args.input.display())))?;
    // The run and its summary are timed apart: SimPy's figure (benches/simpy_fleet.py)
    // times its run alone, its sort and quantiles after it; `run_*` is the like-for-like
    // figure, `wall_s`/`cpu_s` the whole (run and summary).
    let started = Instant::now();
    let cpu_started_s = process_cpu_s();
    let end = match args.engine {
        Engine::Kernel => fleet::run(&model),
        Engine::Bare => fleet::bare::run_bare(&model),
    }
    .map_err(|e| internal(format!("{}: {e}", args.input.display())))?;
    let run_wall_s = started.elapsed().as_secs_f64();
    let run_cpu_s = process_cpu_s();
    let result = end.summarise();
    let engine = match args.engine {
        Engine::Kernel => "tripoint-sim",
        Engine::Bare => "tripoint-sim-bare-heap",
    };
    let wall_s = started.elapsed().as_secs_f64();
    let cpu_s = process_cpu_s().zip(cpu_started_s).map(|(end, start)| end - start);
    let run_cpu_s = run_cpu_s.zip(cpu_started_s).map(|(end, start)| end - start);
    if let Some(path) = &args.responses {
        write_responses(path, &result.response_s)?;
    }
    let customers_per_s = result.n_customers as f64 / wall_s;
    if args.json {
        let mut summary = serde_json::to_value(&result).map_err(|e| internal(e.to_string()))?;
        summary["engine"] = engine.into();
        summary["wall_s"] = wall_s.into();
        summary["customers_per_s"] = customers_per_s.into();
        summary["cpu_s"] = cpu_s.into();
        summary["run_wall_s"] = run_wall_s.into();
        summary["run_cpu_s"] = run_cpu_s.into();
        println!("{summary}");
        return Ok(());
    }
    let mut out = String::new();
    let _ = writeln!(out, "engine={engine}");
    let _ = writeln!(out, "customers={}", result.n_customers);
    let _ = writeln!(out, "events={}", result.n_events);
    let _ = writeln!(out, "wall_s={wall_s:.3}");
    let _ = writeln!(out, "customers_per_s={customers_per_s:.0}");
    if let Some(cpu_s) = cpu_s {
        let _ = writeln!(out, "cpu_s={cpu_s:.3}");
        let _ = writeln!(out, "customers_per_cpu_s={:.0}", result.n_customers as f64 / cpu_s);
    }
    let _ = writeln!(out, "run_wall_s={run_wall_s:.3}");
    let _ = writeln!(out, "run_customers_per_s={:.0}", result.n_customers as f64 / run_wall_s);
    if let Some(run_cpu_s) = run_cpu_s {
        let _ = writeln!(out, "run_cpu_s={run_cpu_s:.3}");
        let _ = writeln!(
            out,
            "run_customers_per_cpu_s={:.0}",
            result.n_customers as f64 / run_cpu_s
        );
    }
    let _ = writeln!(
        out,
        "mean_response_s={:.1} (batch-means standard error {:.1})",
        result.mean_response_s, result.mean_response_batches_s.standard_error
    );
    let _ = writeln!(
        out,
        "p50_response_s={} p90_response_s={} p95_response_s={}",
        result.p50_response_s, result.p90_response_s, result.p95_response_s
    );
    let _ = writeln!(
        out,
        "wait_probability={:.4} mean_wait_s={:.1} queue_len_peak={}",
        result.wait_probability, result.mean_wait_s, result.queue_len_peak
    );
    for (team, utilisation) in input.teams.iter().zip(&result.utilisation) {
        let _ = writeln!(out, "utilisation {}={utilisation:.4}", team.id);
    }
    print!("{out}");
    Ok(())
}

/// CPU time of this process so far [s] (user + system: `CLOCK_PROCESS_CPUTIME_ID`, to the
/// nanosecond, the clock Python's `time.process_time()` reads), or `None` where the clock
/// cannot be read. The machine is shared, so CPU time is the fairer measure beside wall time.
fn process_cpu_s() -> Option<f64> {
    let mut now = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `now` is a valid, writable timespec for the call's duration.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut now) };
    (status == 0).then_some(now.tv_sec as f64 + now.tv_nsec as f64 * 1e-9)
}

fn write_responses(path: &Path, response_s: &[i64]) -> Result<(), Failure> {
    let file = std::fs::File::create(path).map_err(|e| internal(format!("{}: {e}", path.display())))?;
    let mut writer = std::io::BufWriter::new(file);
    for r in response_s {
        writeln!(writer, "{r}").map_err(|e| internal(format!("{}: {e}", path.display())))?;
    }
    writer.flush().map_err(|e| internal(format!("{}: {e}", path.display())))
}
