//! `tripoint check`: validate a scenario file and summarise what it holds.

use crate::input::{CliResult, load_scenario};
use std::path::PathBuf;
use tripoint_sim::scenario::NodeKind;
use tripoint_sim::time::SimDuration;
use tripoint_sim::transport::{Network, NetworkError};

/// Three significant figures, in plain or scientific notation as fits.
fn significant(v: f64) -> String {
    if v != 0.0 && !(0.01..1e6).contains(&v.abs()) {
        format!("{v:.2e}")
    } else if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Scenario file (default: the built-in demonstration zone).
    pub scenario: Option<PathBuf>,
}

pub fn run(args: &CheckArgs) -> CliResult {
    let scenario = load_scenario(args.scenario.as_deref())?;
    let input_error = |e: NetworkError| crate::input::CliError::Input(format!("{}: {e}", scenario.source_name));
    let network = Network::build(&scenario).map_err(input_error)?;
    // A forecast over the scenario's horizon must be able to finish in every regime.
    let all_regimes: Vec<usize> = (0..scenario.regimes.len()).collect();
    let horizon = SimDuration((scenario.settings.forecast_hours * 3600.0).round() as i64);
    network.check_work(&all_regimes, horizon).map_err(input_error)?;
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
        let reach = &scenario.reaches[network.dt_limiting_reach[regime_idx]];
        println!(
            "    {}: stable step {} s (set by reach {})",
            regime.id,
            significant(network.dt_max_s[regime_idx]),
            reach.id
        );
    }
    let settings = &scenario.settings;
    println!(
        "  dispersion: {:?} × {} (plausible range × {} to × {})",
        settings.dispersion_method,
        settings.dispersion_factor,
        settings.dispersion_range[0],
        settings.dispersion_range[1]
    );
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
