//! Writes a synthetic scenario K times the demonstration zone (`tripoint_sim::synthetic`),
//! for running the command line on a large network: `tripoint check`, `tripoint forecast`,
//! `tripoint plan evaluate` (docs/benchmarks.md, "Network size").
//!
//! ```sh
//! cargo run --release -p tripoint-sim --example synthetic_zone -- --copies 10 --out zone10.toml
//! tripoint check zone10.toml && tripoint forecast zone10.toml --flow flood
//! ```
//!
//! The text is checked with the scenario loader before it is written, and a one-line
//! summary (copies, nodes, reaches, cells) goes to the standard error. Bad arguments exit
//! 2; a file that cannot be written, or a scenario the loader refuses (a defect of the
//! generator), exits 1.

use clap::Parser;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use tripoint_sim::scenario::{Scenario, SourceText};
use tripoint_sim::synthetic::{self, SyntheticError, SyntheticZone};
use tripoint_sim::transport::Network;

#[derive(Parser, Debug)]
#[command(name = "synthetic_zone", about = "Write a scenario K times the demonstration zone")]
struct Cli {
    /// Number of chained copies of the zone (1 is the zone itself).
    #[arg(long, default_value_t = 10)]
    copies: usize,
    /// Seed of the reach lengths of copies 2 and later.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Reach lengths of copies 2 and later vary within 1 ± this.
    #[arg(long, default_value_t = 0.1, allow_negative_numbers = true)]
    length_jitter: f64,
    /// Write the scenario here instead of the standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let config = SyntheticZone {
        copies: cli.copies,
        seed: cli.seed,
        length_jitter: cli.length_jitter,
    };
    let text = match synthetic::zone_copies(&config) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("error: {e}");
            let bad_input = matches!(
                e,
                SyntheticError::Copies(_) | SyntheticError::Jitter(_) | SyntheticError::TooLarge { .. }
            );
            return ExitCode::from(if bad_input { 2 } else { 1 });
        }
    };
    let scenario = match Scenario::parse(&SourceText::new("<synthetic>", text.as_str())) {
        Ok(scenario) => scenario,
        Err(e) => {
            eprintln!("error: the synthetic scenario is invalid (a defect of the generator):\n{e}");
            return ExitCode::from(1);
        }
    };
    let n_cells = Network::build(&scenario).map(|n| n.n_cells()).unwrap_or(0);
    eprintln!(
        "{} copies: {} nodes, {} reaches, {} cells, {} named points, {} risk sources, {} teams, {} bytes",
        config.copies,
        scenario.nodes.len(),
        scenario.reaches.len(),
        n_cells,
        scenario.points.len(),
        scenario.risk_sources.len(),
        scenario.teams.len(),
        text.len()
    );
    let written = match &cli.out {
        Some(path) => std::fs::write(path, &text).map_err(|e| format!("{}: {e}", path.display())),
        None => std::io::stdout()
            .lock()
            .write_all(text.as_bytes())
            .map_err(|e| format!("standard output: {e}")),
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
