//! `tripoint forecast`: where the plume goes, when it reaches each point downstream, how
//! high it peaks and how long it stays over the limit.

use crate::input::{CliError, CliResult, load_scenario};
use anyhow::Context as _;
use std::fmt::Write as _;
use std::path::PathBuf;
use tripoint_sim::forecast::{self, Forecast, ForecastRequest};
use tripoint_sim::scenario::{FlowChange, Release, Scenario};
use tripoint_sim::time::{SimDuration, SimTime};

#[derive(clap::Args, Debug, Default)]
pub struct ForecastArgs {
    /// Scenario file (default: the built-in demonstration zone).
    pub scenario: Option<PathBuf>,
    /// Where the release is: a node id, or REACH@CHAINAGE_M (metres from the reach's upstream end).
    /// Replaces the scenario's own releases.
    #[arg(long, value_name = "NODE|REACH@CHAINAGE_M")]
    pub release: Option<String>,
    /// Pollutant id of the release (see `tripoint check`).
    #[arg(long, value_name = "ID")]
    pub pollutant: Option<String>,
    /// Released mass [kg].
    #[arg(long = "mass-kg", value_name = "KG", allow_negative_numbers = true)]
    pub mass_kg: Option<f64>,
    /// Release duration [min]; 0 (default) is instantaneous.
    #[arg(long = "duration-min", value_name = "MIN", allow_negative_numbers = true)]
    pub duration_min: Option<f64>,
    /// Release start as HH:MM on day 1, or `D2 08:00` (default 00:00).
    #[arg(long, value_name = "HH:MM")]
    pub at: Option<String>,
    /// Flow regime in force at the start (default: the scenario's).
    #[arg(long, value_name = "REGIME")]
    pub flow: Option<String>,
    /// Change the flow regime during the forecast, e.g. `--flow-change 08:00=flood` when the
    /// Taipu Gate is opened (repeatable; added to the scenario's own flow changes).
    #[arg(long = "flow-change", value_name = "HH:MM=REGIME")]
    pub flow_change: Vec<String>,
    /// Forecast horizon after the first release [h] (default: the scenario's, 72 for the built-in).
    #[arg(long, value_name = "H", allow_negative_numbers = true)]
    pub hours: Option<f64>,
    /// Print one JSON document (fields in docs/forecast-json.md) instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Write the journal of handled events (JSON lines) to this file.
    #[arg(long, value_name = "FILE")]
    pub journal: Option<PathBuf>,
    /// Seed of the simulation's generator.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
}

/// Largest forecast horizon accepted [h] (one year).
const HORIZON_HOURS_MAX: f64 = 24.0 * 366.0;

pub fn run(args: &ForecastArgs) -> CliResult {
    let mut scenario = load_scenario(args.scenario.as_deref())?;
    for text in &args.flow_change {
        let change = parse_flow_change(&scenario, text).map_err(CliError::Input)?;
        scenario.flow_changes.push(change);
    }
    scenario.flow_changes.sort_by_key(|c| c.at);
    let request = build_request(&scenario, args).map_err(CliError::Input)?;
    let forecast = forecast::run(&scenario, &request).map_err(|e| CliError::Input(e.to_string()))?;
    if let Some(path) = &args.journal {
        let mut text = forecast.journal.join("\n");
        text.push('\n');
        std::fs::write(path, text).with_context(|| format!("writing the journal to {}", path.display()))?;
    }
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&forecast).context("serialising the forecast")?
        );
    } else {
        print!("{}", render_table(&scenario, &forecast));
    }
    Ok(())
}

fn build_request(scenario: &Scenario, args: &ForecastArgs) -> Result<ForecastRequest, String> {
    let mut request = ForecastRequest::from_scenario(scenario);
    request.seed = args.seed;
    request.journal = args.journal.is_some();
    if let Some(regime) = &args.flow {
        request.regime = scenario.regime_idx(regime).ok_or_else(|| {
            let known: Vec<&str> = scenario.regimes.iter().map(|r| r.id.as_str()).collect();
            format!("--flow: unknown regime {regime:?} (known: {})", known.join(", "))
        })?;
    }
    if let Some(hours) = args.hours {
        if !(hours.is_finite() && hours > 0.0 && hours <= HORIZON_HOURS_MAX) {
            return Err(format!(
                "--hours must be positive and at most {HORIZON_HOURS_MAX}, got {hours}"
            ));
        }
        request.horizon = SimDuration((hours * 3600.0).round() as i64);
    }
    match &args.release {
        Some(place) => request.releases = vec![release_from_args(scenario, place, args)?],
        None => {
            let stray = [
                ("--pollutant", args.pollutant.is_some()),
                ("--mass-kg", args.mass_kg.is_some()),
                ("--duration-min", args.duration_min.is_some()),
                ("--at", args.at.is_some()),
            ];
            if let Some((flag, _)) = stray.iter().find(|(_, given)| *given) {
                return Err(format!("{flag} describes a release: give --release too"));
            }
        }
    }
    Ok(request)
}

fn release_from_args(scenario: &Scenario, place: &str, args: &ForecastArgs) -> Result<Release, String> {
    let location = scenario.parse_location(place).map_err(|e| format!("--release: {e}"))?;
    let pollutant_id = args.pollutant.as_deref().ok_or("--release needs --pollutant")?;
    let pollutant = scenario.pollutant_idx(pollutant_id).ok_or_else(|| {
        let known: Vec<&str> = scenario.pollutants.iter().map(|p| p.id.as_str()).collect();
        format!(
            "--pollutant: unknown pollutant {pollutant_id:?} (known: {})",
            known.join(", ")
        )
    })?;
    let mass_kg = args.mass_kg.ok_or("--release needs --mass-kg")?;
    if !(mass_kg.is_finite() && mass_kg > 0.0 && mass_kg <= 1e9) {
        return Err(format!("--mass-kg must be positive (and at most 1e9), got {mass_kg}"));
    }
    let duration_min = args.duration_min.unwrap_or(0.0);
    if !(duration_min.is_finite() && (0.0..=HORIZON_HOURS_MAX * 60.0).contains(&duration_min)) {
        return Err(format!("--duration-min must be zero or positive, got {duration_min}"));
    }
    let start = match &args.at {
        Some(text) => parse_clock(text)?,
        None => SimTime::ZERO,
    };
    Ok(Release {
        pollutant,
        mass_kg,
        location,
        start,
        duration: SimDuration((duration_min * 60.0).round() as i64),
        note: "given on the command line".to_string(),
    })
}

/// Parses `HH:MM=REGIME` (or `D2 08:00=REGIME`).
fn parse_flow_change(scenario: &Scenario, text: &str) -> Result<FlowChange, String> {
    let (at, regime_id) = text
        .split_once('=')
        .ok_or_else(|| format!("--flow-change: expected HH:MM=REGIME, got {text:?}"))?;
    let regime = scenario.regime_idx(regime_id.trim()).ok_or_else(|| {
        let known: Vec<&str> = scenario.regimes.iter().map(|r| r.id.as_str()).collect();
        format!(
            "--flow-change: unknown regime {:?} (known: {})",
            regime_id.trim(),
            known.join(", ")
        )
    })?;
    let at = parse_clock(at).map_err(|e| e.replace("--at", "--flow-change"))?;
    Ok(FlowChange {
        at,
        regime,
        note: "given on the command line".to_string(),
    })
}

/// Parses `HH:MM` (day 1) or `D<n> HH:MM`.
pub fn parse_clock(text: &str) -> Result<SimTime, String> {
    let bad = || format!("--at: expected HH:MM or `D2 08:00`, got {text:?}");
    let text = text.trim();
    let (day, clock) = match text.strip_prefix(['D', 'd']) {
        Some(rest) => {
            let (day, clock) = rest.split_once([' ', '-']).ok_or_else(bad)?;
            (day.trim().parse::<i64>().map_err(|_| bad())?, clock.trim())
        }
        None => (1, text),
    };
    let (hours, minutes) = clock.split_once(':').ok_or_else(bad)?;
    let hours: i64 = hours.parse().map_err(|_| bad())?;
    let minutes: i64 = minutes.parse().map_err(|_| bad())?;
    if !(1..=366).contains(&day) || !(0..24).contains(&hours) || !(0..60).contains(&minutes) {
        return Err(bad());
    }
    Ok(SimTime(((day - 1) * 24 * 60 + hours * 60 + minutes) * 60))
}

fn when(t: Option<i64>, start_s: i64) -> String {
    match t {
        Some(t) => format!("{} ({})", SimTime(t).clock_label(), SimDuration(t - start_s)),
        None => "—".to_string(),
    }
}

fn render_table(scenario: &Scenario, f: &Forecast) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Tripoint forecast — {}", f.scenario);
    let _ = writeln!(
        out,
        "Flow regime: {} · horizon {} → {} · output every {} s",
        f.regime,
        SimTime(f.start_s),
        SimTime(f.end_s),
        f.output_step_s
    );
    for r in &f.releases {
        let how = if r.duration_s == 0 {
            "instantaneous".to_string()
        } else {
            format!("over {} min", r.duration_s / 60)
        };
        let _ = writeln!(
            out,
            "Release: {} {} kg at {}, {} ({how})",
            r.pollutant,
            fmt_num(r.mass_kg),
            r.location,
            SimTime(r.start_s)
        );
    }
    let _ = writeln!(
        out,
        "Times are clock (day, hh:mm) and elapsed since the first release.\n"
    );
    let _ = writeln!(
        out,
        "{:<26} {:<14} {:<8} {:<10} {:<21} {:<21} {:>10} {:>9} {:>10} {:<21}",
        "point",
        "kind",
        "juris.",
        "pollutant",
        "leading edge",
        "peak",
        "peak mg/L",
        "limit",
        "over limit",
        "over limit until"
    );
    for p in &f.points {
        let over = if p.over_limit_duration_s > 0 {
            format!("{}", SimDuration(p.over_limit_duration_s))
                .trim_start_matches('+')
                .to_string()
        } else {
            "no".to_string()
        };
        let until = match (p.over_limit_until_s, p.over_limit_at_horizon) {
            (Some(_), true) => "beyond horizon".to_string(),
            (t, _) => when(t, f.start_s),
        };
        let leading = if p.reached {
            when(p.leading_edge_s, f.start_s)
        } else {
            "not within horizon".to_string()
        };
        let kind = serde_json::to_value(p.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{:<26} {:<14} {:<8} {:<10} {:<21} {:<21} {:>10} {:>9} {:>10} {:<21}",
            truncate(&p.point, 26),
            kind,
            p.jurisdiction,
            p.pollutant,
            leading,
            if p.reached {
                when(p.peak_s, f.start_s)
            } else {
                "—".to_string()
            },
            fmt_conc(p.peak_mg_l),
            fmt_conc(p.limit_mg_l),
            over,
            until
        );
    }
    let n_not_downstream = scenario.points.len()
        - f.points
            .iter()
            .map(|p| &p.point)
            .collect::<std::collections::BTreeSet<_>>()
            .len();
    let _ = writeln!(
        out,
        "\n{n_not_downstream} other named points are not downstream of the release."
    );
    let _ = writeln!(out, "\nMass balance at the horizon (kg):");
    for m in &f.mass_balance {
        let _ = writeln!(
            out,
            "  {:<10} released {}  in the water {}  left the network {}  decayed {}  imbalance {:.1e}",
            m.pollutant,
            fmt_num(m.released_kg),
            fmt_num(m.stored_kg),
            fmt_num(m.out_kg),
            fmt_num(m.decayed_kg),
            m.relative_imbalance
        );
    }
    let _ = writeln!(
        out,
        "\n{} cells, {} cell updates, {} events.",
        f.n_cells, f.n_cell_updates, f.n_events
    );
    out
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        text.chars().take(width - 1).chain(['…']).collect()
    }
}

fn fmt_num(v: f64) -> String {
    if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.4}")
    }
}

/// Concentrations with three significant figures, whatever their size.
fn fmt_conc(v: f64) -> String {
    if v == 0.0 {
        return "0".to_string();
    }
    let digits = (2 - v.abs().log10().floor() as i32).clamp(0, 8) as usize;
    format!("{v:.digits$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_arguments_parse_to_seconds() {
        assert_eq!(parse_clock("02:30"), Ok(SimTime(9000)));
        assert_eq!(parse_clock("D2 08:00"), Ok(SimTime(32 * 3600)));
        assert!(parse_clock("25:00").is_err());
        assert!(parse_clock("noon").is_err());
    }

    #[test]
    fn concentrations_keep_three_significant_figures() {
        assert_eq!(fmt_conc(0.0123456), "0.0123");
        assert_eq!(fmt_conc(5.0), "5.00");
        assert_eq!(fmt_conc(0.005), "0.00500");
    }
}
