//! The pollutant forecast: run transport for the releases and report, for every named point
//! downstream, the leading edge, the peak, the time over the limit, and the mass balance.

use crate::event::Event;
use crate::kernel::{Kernel, KernelConfig, KernelError};
use crate::scenario::{Location, PointKind, Release, Scenario};
use crate::standards::WaterClass;
use crate::time::{SimDuration, SimTime};
use crate::transport::plugin::{self, InstallError, NamedPoint, PointSeries};
use crate::transport::{MassLedger, Transport};
use serde::Serialize;
use std::collections::BTreeSet;

/// What to forecast.
#[derive(Clone, Debug)]
pub struct ForecastRequest {
    /// The releases (the scenario's, or ones given on the command line). At least one.
    pub releases: Vec<Release>,
    /// Regime in force at the start (the scenario's flow changes still apply).
    pub regime: usize,
    /// How long to run after the first release starts.
    pub horizon: SimDuration,
    pub seed: u64,
    /// Keep the journal of handled events.
    pub journal: bool,
}

impl ForecastRequest {
    /// The scenario's own releases, default regime and horizon.
    pub fn from_scenario(scenario: &Scenario) -> ForecastRequest {
        ForecastRequest {
            releases: scenario.releases.clone(),
            regime: scenario.settings.default_regime,
            horizon: SimDuration((scenario.settings.forecast_hours * 3600.0).round() as i64),
            seed: 0,
            journal: true,
        }
    }
}

#[derive(Debug)]
pub enum ForecastError {
    NoRelease,
    Install(InstallError),
    Run(KernelError),
}

impl std::fmt::Display for ForecastError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ForecastError::NoRelease => write!(f, "nothing to forecast: the scenario has no release; give --release"),
            ForecastError::Install(e) => write!(f, "setting up transport: {e}"),
            ForecastError::Run(e) => write!(f, "running: {e}"),
        }
    }
}

impl std::error::Error for ForecastError {}

/// How one pollutant arrives at one named point.
#[derive(Clone, Debug, Serialize)]
pub struct PointForecast {
    pub point: String,
    pub name: String,
    pub kind: PointKind,
    pub jurisdiction: String,
    pub pollutant: String,
    /// Limit at this point's target class [mg/L].
    pub limit_mg_l: f64,
    pub target_class: WaterClass,
    /// Detection limit of the pollutant's method [mg/L].
    pub detection_limit_mg_l: f64,
    /// Whether the concentration passes the detection limit within the horizon.
    pub reached: bool,
    /// First time above the detection limit [s].
    pub leading_edge_s: Option<i64>,
    /// Time of the highest concentration [s].
    pub peak_s: Option<i64>,
    /// Highest concentration [mg/L].
    pub peak_mg_l: f64,
    /// First time above the limit [s].
    pub over_limit_from_s: Option<i64>,
    /// Last time above the limit [s] (the horizon if still above).
    pub over_limit_until_s: Option<i64>,
    /// Total time above the limit [s].
    pub over_limit_duration_s: i64,
    /// Still above the limit when the forecast ends.
    pub over_limit_at_horizon: bool,
}

/// Mass balance of one pollutant at the end [kg].
#[derive(Clone, Debug, Serialize)]
pub struct MassBalance {
    pub pollutant: String,
    pub released_kg: f64,
    pub stored_kg: f64,
    pub out_kg: f64,
    pub decayed_kg: f64,
    /// (released − stored − out − decayed) / released.
    pub relative_imbalance: f64,
}

/// The whole forecast.
#[derive(Clone, Debug, Serialize)]
pub struct Forecast {
    pub scenario: String,
    pub regime: String,
    pub start_s: i64,
    pub end_s: i64,
    pub output_step_s: i64,
    pub releases: Vec<ReleaseSummary>,
    /// Points downstream of a release, per pollutant, ordered by leading edge.
    pub points: Vec<PointForecast>,
    pub mass_balance: Vec<MassBalance>,
    pub n_cells: usize,
    pub n_cell_updates: u64,
    pub n_events: u64,
    #[serde(skip)]
    pub journal: Vec<String>,
    /// Sampled series per point per pollutant, indexed like `Scenario::points`.
    #[serde(skip)]
    pub series: Vec<PointSeries>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ReleaseSummary {
    pub pollutant: String,
    pub mass_kg: f64,
    pub location: String,
    pub start_s: i64,
    pub duration_s: i64,
}

/// Runs the forecast.
pub fn run(scenario: &Scenario, request: &ForecastRequest) -> Result<Forecast, ForecastError> {
    let first_start = request
        .releases
        .iter()
        .map(|r| r.start)
        .min()
        .ok_or(ForecastError::NoRelease)?;
    let end = first_start + request.horizon;
    let mut kernel = Kernel::<Event>::new(KernelConfig {
        seed: request.seed,
        journal: request.journal,
        ..KernelConfig::default()
    });
    plugin::install(&mut kernel, scenario, &request.releases, request.regime, end).map_err(ForecastError::Install)?;
    kernel.run_until(end).map_err(ForecastError::Run)?;

    let world = kernel.world_mut();
    let mut series: Vec<(usize, PointSeries)> = world
        .query::<(&NamedPoint, &PointSeries)>()
        .iter(world)
        .map(|(p, s)| (p.point_idx, s.clone()))
        .collect();
    series.sort_by_key(|(idx, _)| *idx);
    let series: Vec<PointSeries> = series.into_iter().map(|(_, s)| s).collect();
    let transport = world.resource::<Transport>();
    let released: BTreeSet<usize> = request.releases.iter().map(|r| r.pollutant).collect();
    let downstream = downstream_points(scenario, &request.releases);

    let mut points = Vec::new();
    for &point_idx in &downstream {
        for &pollutant in &released {
            points.push(point_forecast(
                scenario,
                point_idx,
                pollutant,
                &series[point_idx],
                first_start,
                end,
            ));
        }
    }
    points.sort_by_key(|p| (p.leading_edge_s.is_none(), p.leading_edge_s, p.pollutant.clone()));
    let mass_balance = released
        .iter()
        .map(|&s| {
            let ledger: MassLedger = transport.ledger(s);
            MassBalance {
                pollutant: scenario.pollutants[s].id.clone(),
                released_kg: ledger.released_g / 1000.0,
                stored_kg: ledger.stored_g / 1000.0,
                out_kg: ledger.out_g / 1000.0,
                decayed_kg: ledger.decayed_g / 1000.0,
                relative_imbalance: ledger.relative_imbalance(),
            }
        })
        .collect();
    Ok(Forecast {
        scenario: scenario.name.clone(),
        regime: scenario.regimes[request.regime].id.clone(),
        start_s: first_start.seconds(),
        end_s: end.seconds(),
        output_step_s: scenario.settings.output_step.seconds(),
        releases: request
            .releases
            .iter()
            .map(|r| ReleaseSummary {
                pollutant: scenario.pollutants[r.pollutant].id.clone(),
                mass_kg: r.mass_kg,
                location: scenario.location_label(r.location),
                start_s: r.start.seconds(),
                duration_s: r.duration.seconds(),
            })
            .collect(),
        points,
        mass_balance,
        n_cells: transport.network.n_cells(),
        n_cell_updates: transport.n_cell_updates,
        n_events: kernel.n_handled(),
        journal: kernel.journal().to_vec(),
        series,
    })
}

/// Points at or downstream of any release, in scenario order.
pub fn downstream_points(scenario: &Scenario, releases: &[Release]) -> Vec<usize> {
    let mut nodes_below = vec![false; scenario.nodes.len()];
    let mut reaches_below = vec![false; scenario.reaches.len()];
    let mut stack = Vec::new();
    for release in releases {
        match release.location {
            Location::Node(node) => stack.push(node),
            Location::Reach { reach, .. } => stack.push(scenario.reaches[reach].to),
        }
    }
    while let Some(node) = stack.pop() {
        if std::mem::replace(&mut nodes_below[node], true) {
            continue;
        }
        for (idx, reach) in scenario.reaches.iter().enumerate() {
            if reach.from == node {
                reaches_below[idx] = true;
                stack.push(reach.to);
            }
        }
    }
    let below_a_release_on_reach = |reach: usize, chainage_m: f64| {
        releases.iter().any(
            |r| matches!(r.location, Location::Reach { reach: rr, chainage_m: c } if rr == reach && c <= chainage_m),
        )
    };
    (0..scenario.points.len())
        .filter(|&idx| match scenario.points[idx].location {
            Location::Node(node) => nodes_below[node],
            Location::Reach { reach, chainage_m } => {
                reaches_below[reach] || below_a_release_on_reach(reach, chainage_m)
            }
        })
        .collect()
}

pub fn point_forecast(
    scenario: &Scenario,
    point_idx: usize,
    pollutant_idx: usize,
    series: &PointSeries,
    start: SimTime,
    end: SimTime,
) -> PointForecast {
    let point = &scenario.points[point_idx];
    let pollutant = &scenario.pollutants[pollutant_idx];
    let limit = scenario.limit_mg_l(pollutant_idx, point.target_class);
    let detection = pollutant.detection_limit_mg_l;
    let times: Vec<i64> = series.times.iter().map(|t| t.seconds()).collect();
    let conc = &series.conc[pollutant_idx];
    let window: Vec<usize> = (0..times.len()).filter(|&i| times[i] >= start.seconds()).collect();
    let (times, conc): (Vec<i64>, Vec<f64>) = window.iter().map(|&i| (times[i], conc[i])).unzip();
    let leading_edge = first_crossing(&times, &conc, detection);
    let peak = peak(&times, &conc);
    let over = over_threshold(&times, &conc, limit);
    PointForecast {
        point: point.id.clone(),
        name: point.name.clone(),
        kind: point.kind,
        jurisdiction: scenario.jurisdictions[point.jurisdiction].id.clone(),
        pollutant: pollutant.id.clone(),
        limit_mg_l: limit,
        target_class: point.target_class,
        detection_limit_mg_l: detection,
        reached: leading_edge.is_some(),
        leading_edge_s: leading_edge,
        peak_s: peak.filter(|_| leading_edge.is_some()).map(|p| p.0),
        peak_mg_l: peak.map_or(0.0, |p| p.1),
        over_limit_from_s: over.first_s,
        over_limit_until_s: over.last_s,
        over_limit_duration_s: over.duration_s,
        over_limit_at_horizon: conc.last().is_some_and(|c| *c > limit) && times.last() == Some(&end.seconds()),
    }
}

/// First time the series rises above `threshold`, interpolated linearly between samples [s].
pub fn first_crossing(times: &[i64], conc: &[f64], threshold: f64) -> Option<i64> {
    let i = conc.iter().position(|c| *c > threshold)?;
    if i == 0 {
        return Some(times[0]);
    }
    let (t0, t1, c0, c1) = (times[i - 1] as f64, times[i] as f64, conc[i - 1], conc[i]);
    Some((t0 + (threshold - c0) / (c1 - c0) * (t1 - t0)).round() as i64)
}

/// Time and value of the maximum, refined by a parabola through the three samples around it.
pub fn peak(times: &[i64], conc: &[f64]) -> Option<(i64, f64)> {
    let (i, &c_max) = conc
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(&a.0)))?;
    if c_max <= 0.0 {
        return None;
    }
    if i == 0 || i + 1 == conc.len() {
        return Some((times[i], c_max));
    }
    let (c0, c1, c2) = (conc[i - 1], conc[i], conc[i + 1]);
    let step = (times[i + 1] - times[i - 1]) as f64 / 2.0;
    let denominator = c0 - 2.0 * c1 + c2;
    if denominator >= 0.0 {
        return Some((times[i], c_max));
    }
    let offset = 0.5 * (c0 - c2) / denominator;
    let value = c1 - 0.25 * (c0 - c2) * offset;
    Some(((times[i] as f64 + offset * step).round() as i64, value.max(c_max)))
}

struct OverThreshold {
    first_s: Option<i64>,
    last_s: Option<i64>,
    duration_s: i64,
}

/// When and for how long the series is above `threshold`, crossings interpolated.
fn over_threshold(times: &[i64], conc: &[f64], threshold: f64) -> OverThreshold {
    let mut result = OverThreshold {
        first_s: None,
        last_s: None,
        duration_s: 0,
    };
    let crossing = |i: usize| {
        let (t0, t1, c0, c1) = (times[i - 1] as f64, times[i] as f64, conc[i - 1], conc[i]);
        (t0 + (threshold - c0) / (c1 - c0) * (t1 - t0)).round() as i64
    };
    let mut rose_at: Option<i64> = None;
    for i in 0..conc.len() {
        let above = conc[i] > threshold;
        let was_above = i > 0 && conc[i - 1] > threshold;
        if above && !was_above {
            let t = if i == 0 { times[0] } else { crossing(i) };
            rose_at = Some(t);
            result.first_s.get_or_insert(t);
        }
        if !above && was_above {
            let t = crossing(i);
            result.duration_s += t - rose_at.take().expect("a fall follows a rise");
            result.last_s = Some(t);
        }
    }
    if let (Some(rose), Some(&t_end)) = (rose_at, times.last()) {
        result.duration_s += t_end - rose;
        result.last_s = Some(t_end);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crossing_is_interpolated_between_samples() {
        assert_eq!(first_crossing(&[0, 60, 120], &[0.0, 1.0, 3.0], 2.0), Some(90));
        assert_eq!(first_crossing(&[0, 60], &[0.0, 0.5], 2.0), None);
    }

    #[test]
    fn peak_is_refined_by_a_parabola() {
        // Samples of 10 − (t − 70)² / 100 at 0, 60, 120: the vertex is at t = 70, value 10.
        let f = |t: f64| 10.0 - (t - 70.0).powi(2) / 100.0;
        let (t, c) = peak(&[0, 60, 120], &[f(0.0), f(60.0), f(120.0)]).unwrap();
        assert_eq!(t, 70);
        assert!((c - 10.0).abs() < 1e-12);
    }

    #[test]
    fn time_over_threshold_sums_every_excursion() {
        let times = [0, 60, 120, 180, 240, 300];
        let conc = [0.0, 2.0, 0.0, 0.0, 2.0, 2.0];
        let over = over_threshold(&times, &conc, 1.0);
        assert_eq!(over.first_s, Some(30));
        // First excursion 30..90 (60 s), second 210..300 (90 s, still above at the end).
        assert_eq!(over.duration_s, 150);
        assert_eq!(over.last_s, Some(300));
    }
}
