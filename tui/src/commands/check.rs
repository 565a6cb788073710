//! `tripoint check`: validate a scenario file and summarise what it holds; with `--list`,
//! every id a drill script may use, with its name.

use crate::i18n::{Lang, scenario_name};
use crate::input::{CliResult, load_scenario};
use fluent_bundle::FluentValue;
use std::fmt::Write as _;
use std::path::PathBuf;
use tripoint_sim::drill::Means;
use tripoint_sim::scenario::{NodeKind, PointKind, Scenario};
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
    /// Also list every id a drill script may use (jurisdictions, pollutants, flow regimes,
    /// named points and stations, risk sources, depots, teams, road nodes and roads), with
    /// names.
    #[arg(long)]
    pub list: bool,
}

pub fn run(args: &CheckArgs) -> CliResult {
    let lang = crate::i18n::current();
    let scenario = load_scenario(args.scenario.as_deref())?;
    let input_error = |e: NetworkError| {
        let message = crate::messages::network_error(lang, &e);
        crate::input::CliError::Input(format!("{}: {message}", scenario.source_name))
    };
    let network = Network::build(&scenario).map_err(input_error)?;
    // A forecast over the scenario's horizon must be able to finish in every regime.
    let all_regimes: Vec<usize> = (0..scenario.regimes.len()).collect();
    let horizon = SimDuration((scenario.settings.forecast_hours * 3600.0).round() as i64);
    network.check_work(&all_regimes, horizon).map_err(input_error)?;
    print!("{}", summary(lang, &scenario, &network));
    if args.list {
        print!("{}", id_list(&scenario));
    }
    Ok(())
}

/// What the scenario holds, in `lang`: the first line says it passed, the others count
/// its network, regimes (with the stable step each allows), pollutants and operations.
pub fn summary(lang: Lang, scenario: &Scenario, network: &Network) -> String {
    let mut out = String::new();
    // A scenario has no Chinese name: Chinese names the zone by its jurisdictions.
    let name = match lang {
        Lang::En => scenario.name.clone(),
        _ => scenario
            .jurisdictions
            .iter()
            .map(|j| scenario_name(lang, scenario, &j.id))
            .collect::<Vec<_>>()
            .join("、"),
    };
    let line = |out: &mut String, indent: &str, key: &str, args: &[(&str, FluentValue<'_>)]| {
        let _ = writeln!(out, "{indent}{}", lang.t_args(key, args));
    };
    line(
        &mut out,
        "",
        "check-ok",
        &[("file", scenario.source_name.clone().into()), ("name", name.into())],
    );
    let lakes = scenario
        .nodes
        .iter()
        .filter(|n| matches!(n.kind, NodeKind::Lake { .. }))
        .count();
    let length_km: f64 = scenario.reaches.iter().map(|r| r.length_m).sum::<f64>() / 1000.0;
    let count = |n: usize| FluentValue::from(n.to_string());
    line(
        &mut out,
        "  ",
        "check-network",
        &[
            ("jurisdictions", count(scenario.jurisdictions.len())),
            ("nodes", count(scenario.nodes.len())),
            ("lakes", count(lakes)),
            ("reaches", count(scenario.reaches.len())),
            ("km", format!("{length_km:.1}").into()),
            ("cells", count(network.n_cells())),
            ("points", count(scenario.points.len())),
        ],
    );
    let ids = |v: Vec<String>| v.join(", ");
    line(
        &mut out,
        "  ",
        "check-regimes",
        &[(
            "regimes",
            scenario
                .regimes
                .iter()
                .map(|r| crate::i18n::regime_name(lang, scenario, &r.id))
                .collect::<Vec<_>>()
                .join(if lang == Lang::En { ", " } else { "、" })
                .into(),
        )],
    );
    for (regime_idx, regime) in scenario.regimes.iter().enumerate() {
        let reach = &scenario.reaches[network.dt_limiting_reach[regime_idx]];
        line(
            &mut out,
            "    ",
            "check-regime-step",
            &[
                ("regime", crate::i18n::regime_name(lang, scenario, &regime.id).into()),
                ("step", significant(network.dt_max_s[regime_idx]).into()),
                ("reach", scenario_name(lang, scenario, &reach.id).into()),
            ],
        );
    }
    let settings = &scenario.settings;
    line(
        &mut out,
        "  ",
        "check-dispersion",
        &[
            ("method", format!("{:?}", settings.dispersion_method).into()),
            ("factor", settings.dispersion_factor.to_string().into()),
            ("low", settings.dispersion_range[0].to_string().into()),
            ("high", settings.dispersion_range[1].to_string().into()),
        ],
    );
    let pollutants = scenario
        .pollutants
        .iter()
        .map(|p| scenario_name(lang, scenario, &p.id))
        .collect();
    line(
        &mut out,
        "  ",
        "check-pollutants",
        &[("pollutants", ids(pollutants).into())],
    );
    line(
        &mut out,
        "  ",
        "check-releases",
        &[
            ("releases", count(scenario.releases.len())),
            ("changes", count(scenario.flow_changes.len())),
        ],
    );
    line(
        &mut out,
        "  ",
        "check-operations",
        &[
            ("sources", count(scenario.risk_sources.len())),
            ("road_nodes", count(scenario.road_nodes.len())),
            ("roads", count(scenario.roads.len())),
            ("bridges", count(scenario.roads.iter().filter(|r| r.bridge).count())),
            ("depots", count(scenario.depots.len())),
            ("sites", count(scenario.candidate_sites.len())),
            ("teams", count(scenario.teams.len())),
            ("incidents", count(scenario.incidents.len())),
        ],
    );
    out
}

/// Every id a drill script may name, by kind, with names and what a script uses it for.
pub fn id_list(scenario: &Scenario) -> String {
    let mut out = String::new();
    let jurisdiction = |j: usize| scenario.jurisdictions[j].id.as_str();
    let _ = writeln!(
        out,
        "\njurisdictions (seats, owner, notify:, agency(…)); also `command`, `controller`, `all`:"
    );
    for j in &scenario.jurisdictions {
        let _ = writeln!(out, "  {:<28} {} / {} ({})", j.id, j.name, j.name_zh, j.province);
    }
    let _ = writeln!(out, "\npollutants (incident pollutant):");
    for p in &scenario.pollutants {
        let _ = writeln!(out, "  {:<28} {} (GB 3838 {})", p.id, p.name, p.standard_item);
    }
    let _ = writeln!(out, "\nflow regimes (flow, gate_change):");
    for r in &scenario.regimes {
        let _ = writeln!(out, "  {:<28} {}", r.id, r.description);
    }
    let _ = writeln!(
        out,
        "\nnamed points (sample:, result:, plume:; intakes also intake_advice:, confirmed:; stations and buoys station_failure):"
    );
    for p in &scenario.points {
        let kind = match p.kind {
            PointKind::Intake => "intake",
            PointKind::BorderSection => "border section",
            PointKind::Section => "section",
            PointKind::Station => "station",
            PointKind::Buoy => "buoy",
            PointKind::MicroStation => "micro station",
        };
        let _ = writeln!(
            out,
            "  {:<28} {} / {} ({kind}, {})",
            p.id,
            p.name,
            p.name_zh,
            jurisdiction(p.jurisdiction)
        );
    }
    let _ = writeln!(out, "\nrisk sources (incident source):");
    for r in &scenario.risk_sources {
        let _ = writeln!(
            out,
            "  {:<28} {} / {} ({}, {})",
            r.id,
            r.name,
            r.name_zh,
            r.sector,
            jurisdiction(r.jurisdiction)
        );
    }
    let _ = writeln!(out, "\ndepots:");
    for d in &scenario.depots {
        let _ = writeln!(
            out,
            "  {:<28} {} / {} ({}{})",
            d.id,
            d.name,
            d.name_zh,
            jurisdiction(d.jurisdiction),
            if d.laboratory { ", laboratory" } else { "" }
        );
    }
    let _ = writeln!(
        out,
        "\nteams (breakdown, short_staffed, kit_failure; by: the means of its vehicle):"
    );
    for (team_idx, t) in scenario.teams.iter().enumerate() {
        let means = Means::of_team(scenario, team_idx).map_or("unknown", Means::as_str);
        let _ = writeln!(
            out,
            "  {:<28} {} ({}, depot {}, {} by {means}; instruments {})",
            t.id,
            t.name,
            jurisdiction(t.jurisdiction),
            scenario.depots[t.depot].id,
            t.vehicle,
            t.instruments.join(", ")
        );
    }
    let _ = writeln!(out, "\nroad nodes (close_road from/to):");
    for n in &scenario.road_nodes {
        let _ = writeln!(out, "  {:<28} {} ({})", n.id, n.name, jurisdiction(n.jurisdiction));
    }
    let _ = writeln!(out, "\nroads (close_road from, to):");
    for r in &scenario.roads {
        let _ = writeln!(
            out,
            "  {} – {}: {} ({:.1} km{})",
            scenario.road_nodes[r.from].id,
            scenario.road_nodes[r.to].id,
            r.name,
            r.length_km,
            if r.bridge { ", bridge" } else { "" }
        );
    }
    out
}
