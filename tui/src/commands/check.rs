//! `tripoint check`: validate a scenario file and summarise what it holds.

use crate::input::{CliResult, load_scenario};
use std::path::PathBuf;
use tripoint_sim::scenario::NodeKind;
use tripoint_sim::transport::Network;

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Scenario file (default: the built-in demonstration zone).
    pub scenario: Option<PathBuf>,
}

pub fn run(args: &CheckArgs) -> CliResult {
    let scenario = load_scenario(args.scenario.as_deref())?;
    let network = Network::build(&scenario).map_err(|e| crate::input::CliError::Input(e.to_string()))?;
    println!("{}: ok — {}", scenario.source_name, scenario.name);
    let lakes = scenario
        .nodes
        .iter()
        .filter(|n| matches!(n.kind, NodeKind::Lake { .. }))
        .count();
    let length_km: f64 = scenario.reaches.iter().map(|r| r.length_m).sum::<f64>() / 1000.0;
    println!(
        "  {} jurisdictions, {} nodes ({} lakes), {} reaches ({:.1} km, {} cells), {} named points",
        scenario.jurisdictions.len(),
        scenario.nodes.len(),
        lakes,
        scenario.reaches.len(),
        length_km,
        network.n_cells(),
        scenario.points.len()
    );
    let ids = |v: Vec<&str>| v.join(", ");
    println!(
        "  regimes: {}",
        ids(scenario.regimes.iter().map(|r| r.id.as_str()).collect())
    );
    for (regime_idx, regime) in scenario.regimes.iter().enumerate() {
        println!("    {}: stable step {:.1} s", regime.id, network.dt_max_s[regime_idx]);
    }
    println!(
        "  pollutants: {}",
        ids(scenario.pollutants.iter().map(|p| p.id.as_str()).collect())
    );
    println!(
        "  releases: {}, flow changes: {}",
        scenario.releases.len(),
        scenario.flow_changes.len()
    );
    let bridges = scenario.roads.iter().filter(|r| r.bridge).count();
    println!(
        "  operations: {} risk sources, {} road nodes, {} roads ({} bridges), {} depots, {} candidate sites, {} teams, {} incidents",
        scenario.risk_sources.len(),
        scenario.road_nodes.len(),
        scenario.roads.len(),
        bridges,
        scenario.depots.len(),
        scenario.candidate_sites.len(),
        scenario.teams.len(),
        scenario.incidents.len()
    );
    Ok(())
}
