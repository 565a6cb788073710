//! The pollutant forecast: run transport for the releases and report, for every named point
//! downstream, the leading edge, the peak, the time over the limit, and the mass balance.

use crate::event::Event;
use crate::kernel::{Kernel, KernelConfig, KernelError};
use crate::scenario::{Location, PointKind, Release, Scenario};
use crate::standards::WaterClass;
use crate::time::{SimDuration, SimTime};
use crate::transport::plugin::{self, InstallError, NamedPoint, PointEntities, PointSeries, TransportSchedule};
use crate::transport::{MassLedger, Transport};
use bevy_ecs::prelude::World;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeSet;

pub mod ensemble;

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
    /// Go on past the horizon, in steps of [`SETTLE_STEP`], until no point downstream can
    /// read higher than it already did nor rise above its limit (the plume has passed),
    /// but no further than this after the first release. `None`: stop at the horizon.
    /// The horizon then only says what "after the horizon" means.
    pub until_passed: Option<SimDuration>,
}

/// How far past the horizon `tripoint forecast` goes until the plume has passed.
pub const SETTLE_EXTRA_MAX: SimDuration = SimDuration(30 * 24 * 3600);
/// How often, past the horizon, the forecast looks whether the plume has passed.
pub const SETTLE_STEP: SimDuration = SimDuration(6 * 3600);

impl ForecastRequest {
    /// The scenario's own releases, default regime and horizon.
    pub fn from_scenario(scenario: &Scenario) -> ForecastRequest {
        ForecastRequest {
            releases: scenario.releases.clone(),
            regime: scenario.settings.default_regime,
            horizon: SimDuration((scenario.settings.forecast_hours * 3600.0).round() as i64),
            seed: 0,
            journal: true,
            until_passed: None,
        }
    }
}

#[derive(Debug)]
pub enum ForecastError {
    NoRelease,
    Install(InstallError),
    Run(KernelError),
    /// The transport produced a number that is not finite: the inputs are beyond what
    /// the model can represent.
    NotFinite {
        pollutant: String,
    },
    /// One member of an ensemble failed ([`ensemble::run`]).
    Member {
        member: usize,
        inputs: ensemble::MemberInputs,
        cause: Box<ForecastError>,
    },
}

impl std::fmt::Display for ForecastError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ForecastError::NoRelease => write!(f, "nothing to forecast: the scenario has no release; give --release"),
            ForecastError::Install(e) => write!(f, "setting up transport: {e}"),
            ForecastError::Run(e) => write!(f, "running: {e}"),
            ForecastError::NotFinite { pollutant } => write!(
                f,
                "the transport of {pollutant} produced a number that is not finite (NaN or ∞): \
                 the release or the network is outside the range the model can represent"
            ),
            ForecastError::Member { member, inputs, cause } => write!(
                f,
                "ensemble member {member} (dispersion ×{:.3}, flow ×{:.3}, mass ×{:.3}): {cause}",
                inputs.dispersion_factor, inputs.flow_factor, inputs.mass_factor
            ),
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
    /// Highest concentration [mg/L]: the largest value the model held at the point in any
    /// time step, never a value fitted between samples.
    pub peak_mg_l: f64,
    /// Still rising when the forecast ends: the peak is the last value, not the crest.
    pub rising_at_end: bool,
    /// First time above the limit [s].
    pub over_limit_from_s: Option<i64>,
    /// Last time above the limit [s] (the end of the forecast if still above).
    pub over_limit_until_s: Option<i64>,
    /// Total time above the limit [s].
    pub over_limit_duration_s: i64,
    /// Still above the limit when the forecast ends.
    pub over_limit_at_end: bool,
}

/// Mass balance of one pollutant at the end [kg].
#[derive(Clone, Debug, Serialize)]
pub struct MassBalance {
    pub pollutant: String,
    pub released_kg: f64,
    pub stored_kg: f64,
    pub out_kg: f64,
    pub decayed_kg: f64,
    /// Emptied from cells whose concentration fell below the floor of 1e-20 mg/L.
    pub below_floor_kg: f64,
    /// (released − stored − out − decayed − below floor) / released.
    pub relative_imbalance: f64,
}

/// The whole forecast.
#[derive(Clone, Debug, Serialize)]
pub struct Forecast {
    pub scenario: String,
    pub regime: String,
    pub start_s: i64,
    /// The horizon asked for [s]; times after it are reported but marked as such.
    pub horizon_end_s: i64,
    /// Where the run ended [s]: the horizon, or later for a forecast run until the plume
    /// had passed.
    pub end_s: i64,
    /// Whether the plume had passed every downstream point when the run ended: no point
    /// could read higher than it already did or rise over its limit. False when the run
    /// ended (at the horizon, or at the bound of `until_passed`) with the plume still
    /// above some point.
    pub passed: bool,
    pub output_step_s: i64,
    pub releases: Vec<ReleaseSummary>,
    /// Points downstream of a release, per pollutant, ordered by leading edge.
    pub points: Vec<PointForecast>,
    pub mass_balance: Vec<MassBalance>,
    /// The same forecast at the low and high ends of plausible dispersion, at the intakes
    /// and border sections; present when asked for ([`run_with_spread`]).
    pub dispersion_spread: Option<DispersionSpread>,
    /// P10/P50/P90 at the intakes and border sections over an ensemble of dispersions,
    /// flows and masses; present when asked for ([`ensemble::run`]).
    pub ensemble: Option<ensemble::Ensemble>,
    pub n_cells: usize,
    pub n_cell_updates: u64,
    /// The work the central run did as its guard counts it: cells computed, reaches
    /// stepped, nodes looked at, points probed ([`Transport::n_work_units`]).
    #[serde(skip)]
    pub n_work_units: u64,
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

/// The start of the request's first release.
fn first_release(request: &ForecastRequest) -> Result<SimTime, ForecastError> {
    request
        .releases
        .iter()
        .map(|r| r.start)
        .min()
        .ok_or(ForecastError::NoRelease)
}

/// A kernel with the request's transport installed up to `end`, nothing run yet: the
/// one set-up of [`run`] and [`profiles_at`]. The series start at the output step at or
/// before the first release (`first_start`): before it the water is clean, and a release
/// a year into the scenario costs no year of output.
fn transport_kernel(
    scenario: &Scenario,
    request: &ForecastRequest,
    journal: bool,
    first_start: SimTime,
    end: SimTime,
) -> Result<Kernel<Event>, ForecastError> {
    let mut kernel = Kernel::<Event>::new(KernelConfig {
        seed: request.seed,
        journal,
        ..KernelConfig::default()
    });
    let step_s = scenario.settings.output_step.seconds().max(1);
    let series_start = SimTime(first_start.seconds().div_euclid(step_s) * step_s);
    plugin::install(
        &mut kernel,
        scenario,
        &request.releases,
        request.regime,
        series_start,
        end,
    )
    .map_err(ForecastError::Install)?;
    Ok(kernel)
}

/// Runs the forecast.
pub fn run(scenario: &Scenario, request: &ForecastRequest) -> Result<Forecast, ForecastError> {
    let first_start = first_release(request)?;
    let horizon_end = first_start + request.horizon;
    let mut kernel = transport_kernel(scenario, request, request.journal, first_start, horizon_end)?;
    kernel.run_until(horizon_end).map_err(ForecastError::Run)?;
    let released: BTreeSet<usize> = request.releases.iter().map(|r| r.pollutant).collect();
    let downstream = downstream_points(scenario, &request.releases);
    let mut end = horizon_end;
    let mut passed = has_passed(scenario, kernel.world_mut(), &downstream, &released);
    if let Some(limit) = request.until_passed {
        let step = scenario.settings.output_step;
        let last_end = (first_start + limit).max(horizon_end);
        while !passed && end < last_end && !out_of_work(kernel.world_mut(), released.len()) {
            let next_end = (end + SETTLE_STEP).min(last_end);
            kernel.world_mut().resource_mut::<TransportSchedule>().end = next_end;
            // The output steps stopped at the old end; they go on from the next one.
            kernel
                .schedule(end + step, Event::TransportStep)
                .map_err(ForecastError::Run)?;
            kernel.run_until(next_end).map_err(ForecastError::Run)?;
            end = next_end;
            passed = has_passed(scenario, kernel.world_mut(), &downstream, &released);
        }
    }

    let world = kernel.world_mut();
    // The run is over: the series move out of the world rather than being copied.
    let entities = world.resource::<PointEntities>().0.clone();
    let series: Vec<PointSeries> = entities
        .into_iter()
        .map(|entity| {
            std::mem::take(
                &mut *world
                    .get_mut::<PointSeries>(entity)
                    .expect("a named point's entity has its series"),
            )
        })
        .collect();
    let transport = world.resource::<Transport>();
    for &s in &released {
        if !transport.ledger(s).is_finite() {
            return Err(ForecastError::NotFinite {
                pollutant: scenario.pollutants[s].id.clone(),
            });
        }
    }

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
                below_floor_kg: ledger.below_floor_g / 1000.0,
                relative_imbalance: ledger.relative_imbalance(),
            }
        })
        .collect();
    Ok(Forecast {
        scenario: scenario.name.clone(),
        regime: scenario.regimes[request.regime].id.clone(),
        start_s: first_start.seconds(),
        horizon_end_s: horizon_end.seconds(),
        end_s: end.seconds(),
        passed,
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
        dispersion_spread: None,
        ensemble: None,
        n_cells: transport.network.n_cells(),
        n_cell_updates: transport.n_cell_updates,
        n_work_units: transport.n_work_units(),
        n_events: kernel.n_handled(),
        journal: kernel.journal().to_vec(),
        series,
    })
}

/// What a point reads under one dispersion: the figures a warning is made of.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Reading {
    pub leading_edge_s: Option<i64>,
    pub peak_s: Option<i64>,
    pub peak_mg_l: f64,
    pub over_limit_from_s: Option<i64>,
    pub over_limit_duration_s: i64,
}

impl Reading {
    /// The figures of a point's forecast.
    pub fn of(p: &PointForecast) -> Reading {
        Reading {
            leading_edge_s: p.leading_edge_s,
            peak_s: p.peak_s,
            peak_mg_l: p.peak_mg_l,
            over_limit_from_s: p.over_limit_from_s,
            over_limit_duration_s: p.over_limit_duration_s,
        }
    }

    /// The more dangerous of two readings, figure by figure: the earlier arrival and
    /// exceedance, the higher peak (at its own time), the longer time over the limit.
    fn worse(&self, other: &Reading) -> Reading {
        let earlier = |a: Option<i64>, b: Option<i64>| match (a, b) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let (peak_s, peak_mg_l) = if other.peak_mg_l > self.peak_mg_l {
            (other.peak_s, other.peak_mg_l)
        } else {
            (self.peak_s, self.peak_mg_l)
        };
        Reading {
            leading_edge_s: earlier(self.leading_edge_s, other.leading_edge_s),
            peak_s,
            peak_mg_l,
            over_limit_from_s: earlier(self.over_limit_from_s, other.over_limit_from_s),
            over_limit_duration_s: self.over_limit_duration_s.max(other.over_limit_duration_s),
        }
    }
}

/// One intake or border section across the plausible range of dispersion.
#[derive(Clone, Debug, Serialize)]
pub struct SpreadPoint {
    pub point: String,
    pub kind: PointKind,
    pub pollutant: String,
    pub limit_mg_l: f64,
    /// With the scenario's dispersion (the main forecast).
    pub central: Reading,
    /// At the low end of the range (less spreading: later front, higher peak).
    pub low: Reading,
    /// At the high end (more spreading: earlier front, lower peak, often longer over the limit).
    pub high: Reading,
    /// The most dangerous of the three, figure by figure: what warnings are taken from.
    pub warning: Reading,
}

/// The forecast's sensitivity to the dispersion coefficient, the least certain input.
#[derive(Clone, Debug, Serialize)]
pub struct DispersionSpread {
    /// Multipliers on the formula's dispersion: the scenario's, then the low and high ends.
    pub central_factor: f64,
    pub low_factor: f64,
    pub high_factor: f64,
    pub points: Vec<SpreadPoint>,
}

/// Runs the forecast with the scenario's dispersion and at both ends of its plausible
/// range (`settings.dispersion_range`), side by side on the thread pool, and adds the
/// spread at every intake and border section downstream. The main forecast (journal,
/// series, table) is the central one.
pub fn run_with_spread(scenario: &Scenario, request: &ForecastRequest) -> Result<Forecast, ForecastError> {
    let settings = &scenario.settings;
    let factors = [
        settings.dispersion_factor,
        settings.dispersion_range[0],
        settings.dispersion_range[1],
    ];
    let runs: Vec<Result<Forecast, ForecastError>> = factors
        .par_iter()
        .enumerate()
        .map(|(i, &factor)| {
            let mut at_factor = scenario.clone();
            at_factor.settings.dispersion_factor = factor;
            let mut request = request.clone();
            request.journal &= i == 0;
            run(&at_factor, &request)
        })
        .collect();
    let [central, low, high]: [Result<Forecast, ForecastError>; 3] = runs
        .try_into()
        .unwrap_or_else(|_| unreachable!("three factors, three runs"));
    let (mut forecast, low, high) = (central?, low?, high?);
    let reading = |f: &Forecast, p: &PointForecast| {
        f.points
            .iter()
            .find(|q| q.point == p.point && q.pollutant == p.pollutant)
            .map(Reading::of)
            .expect("the three runs forecast the same points")
    };
    let points = forecast
        .points
        .iter()
        .filter(|p| matches!(p.kind, PointKind::Intake | PointKind::BorderSection))
        .map(|p| {
            let central = Reading::of(p);
            let (low, high) = (reading(&low, p), reading(&high, p));
            SpreadPoint {
                point: p.point.clone(),
                kind: p.kind,
                pollutant: p.pollutant.clone(),
                limit_mg_l: p.limit_mg_l,
                warning: central.worse(&low).worse(&high),
                central,
                low,
                high,
            }
        })
        .collect();
    forecast.dispersion_spread = Some(DispersionSpread {
        central_factor: factors[0],
        low_factor: factors[1],
        high_factor: factors[2],
        points,
    });
    Ok(forecast)
}

/// Whether the plume has passed every downstream point: no release still running, and at
/// each point, for each released pollutant, nothing upstream (the point included) is
/// above the detection limit, or nothing upstream is above the point's own peak so far
/// nor above its limit. Mixing, dispersion and decay only average and shrink what is in
/// the water ([`Transport::max_upstream`]), so then no later reading can change the
/// point's peak or put it over its limit.
fn has_passed(scenario: &Scenario, world: &mut World, downstream: &[usize], released: &BTreeSet<usize>) -> bool {
    if world.resource::<Transport>().is_releasing() {
        return false;
    }
    let mut peaks = vec![Vec::new(); scenario.points.len()];
    for (point, series) in world.query::<(&NamedPoint, &PointSeries)>().iter(world) {
        peaks[point.point_idx] = series
            .held
            .iter()
            .map(|held| held.iter().map(|h| h.1).fold(0.0, f64::max))
            .collect();
    }
    let transport = world.resource::<Transport>();
    downstream.iter().all(|&p| {
        let point = &scenario.points[p];
        released.iter().all(|&s| {
            let upstream = transport.max_upstream(s, point.location);
            let limit = scenario.limit_mg_l(s, point.target_class);
            upstream < scenario.pollutants[s].detection_limit_mg_l || (upstream <= peaks[p][s] && upstream <= limit)
        })
    })
}

/// Whether the run has done the most work a run may do ([`crate::transport::WORK_UNITS_MAX`]
/// per released pollutant), counted as the work done: cells computed, reaches stepped,
/// nodes looked at and points probed, not the size of the network times the substeps.
fn out_of_work(world: &mut World, n_released: usize) -> bool {
    let work = world.resource::<Transport>().n_work_units() as f64;
    work >= crate::transport::WORK_UNITS_MAX * n_released as f64
}

/// Points at or downstream of any release, in scenario order.
pub fn downstream_points(scenario: &Scenario, releases: &[Release]) -> Vec<usize> {
    let mut nodes_below = vec![false; scenario.nodes.len()];
    let mut reaches_below = vec![false; scenario.reaches.len()];
    let mut stack = Vec::new();
    for release in releases {
        match release.location {
            Location::Node(node) | Location::LakeCell { node, .. } => stack.push(node),
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
            Location::Node(node) | Location::LakeCell { node, .. } => nodes_below[node],
            Location::Reach { reach, chainage_m } => {
                reaches_below[reach] || below_a_release_on_reach(reach, chainage_m)
            }
        })
        .collect()
}

/// What one pollutant does at one point, from its series between `start` and `end`.
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
    let (times, conc) = held_series(series, pollutant_idx, start);
    let leading_edge = first_crossing(&times, &conc, detection);
    let peak = peak(&times, &conc);
    let over = over_threshold(&times, &conc, limit);
    let n = conc.len();
    let at_end = times.last() == Some(&end.seconds());
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
        rising_at_end: at_end && n >= 2 && conc[n - 1] > conc[n - 2] && conc[n - 1] > 0.0,
        over_limit_from_s: over.first_s,
        over_limit_until_s: over.last_s,
        over_limit_duration_s: over.duration_s,
        over_limit_at_end: at_end && conc.last().is_some_and(|c| *c > limit),
    }
}

/// The series from `start` on, with the largest value held between two samples inserted
/// at its time where it is higher than both: the curve a reader should see, peaks
/// included, and nothing in it that the model did not hold.
///
/// An empty series (the pollutant never reached the point) is zero at every sample.
pub fn held_series(series: &PointSeries, pollutant_idx: usize, start: SimTime) -> (Vec<i64>, Vec<f64>) {
    let conc = &series.conc[pollutant_idx];
    let held = series.held.get(pollutant_idx).filter(|h| h.len() == conc.len());
    let mut times = Vec::with_capacity(series.times.len());
    let mut values = Vec::with_capacity(series.times.len());
    for (i, (t, c)) in series.samples(pollutant_idx).enumerate() {
        if t < start {
            continue;
        }
        if let Some(&(held_t, held_c)) = held.and_then(|h| h.get(i)) {
            let previous_t = times.last().copied().unwrap_or(i64::MIN);
            if held_c > c && held_t.seconds() > previous_t && held_t < t && held_t >= start {
                times.push(held_t.seconds());
                values.push(held_c);
            }
        }
        times.push(t.seconds());
        values.push(c);
    }
    (times, values)
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

/// Value of the largest sample (the first of equal ones), never a value fitted between
/// samples: a parabola through the samples around a sudden rise to a plateau (a lake, a
/// long release) overshoots the plateau by up to an eighth. Its time is refined to the
/// vertex of the parabola through it and its neighbours where the curve is smooth there
/// (both neighbours at least half the peak, concave), which places a Gaussian crest
/// between samples to a few seconds; otherwise it is the sample's time.
pub fn peak(times: &[i64], conc: &[f64]) -> Option<(i64, f64)> {
    let (i, &c_max) = conc
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(&a.0)))?;
    if c_max <= 0.0 {
        return None;
    }
    if i == 0 || i + 1 == conc.len() || conc[i - 1].min(conc[i + 1]) < 0.5 * c_max {
        return Some((times[i], c_max));
    }
    // Times relative to the largest sample's.
    let (t0, t2) = ((times[i - 1] - times[i]) as f64, (times[i + 1] - times[i]) as f64);
    let [c0, c1, c2] = [conc[i - 1], conc[i], conc[i + 1]];
    // Vertex of the parabola through three points at any spacing, the middle one at 0.
    let numerator = (c0 - c1) * t2 * t2 - (c2 - c1) * t0 * t0;
    let denominator = (c0 - c1) * t2 - (c2 - c1) * t0;
    let vertex = 0.5 * numerator / denominator;
    if !(denominator != 0.0 && vertex.is_finite() && t0 < vertex && vertex < t2) {
        return Some((times[i], c_max));
    }
    Some((times[i] + vertex.round() as i64, c_max))
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
    fn peak_time_is_the_crest_of_a_smooth_curve_and_the_value_the_largest_sample() {
        // Samples of 10 − (t − 70)² / 1000 at 0, 60, 120: the vertex is at t = 70.
        let f = |t: f64| 10.0 - (t - 70.0).powi(2) / 1000.0;
        let (t, c) = peak(&[0, 60, 120], &[f(0.0), f(60.0), f(120.0)]).unwrap();
        assert_eq!(t, 70);
        assert_eq!(c, f(60.0));
        // Uneven spacing (a held value between two samples).
        let (t, c) = peak(&[0, 45, 100], &[f(0.0), f(45.0), f(100.0)]).unwrap();
        assert_eq!((t, c), (70, f(45.0)));
    }

    #[test]
    fn peak_after_a_sudden_rise_is_the_plateau_not_an_overshoot() {
        // A lake filled at once: zero, then a plateau that slowly washes out.
        let (t, c) = peak(&[0, 60, 120, 180], &[0.0, 1.0, 0.999, 0.998]).unwrap();
        assert_eq!((t, c), (60, 1.0));
    }

    #[test]
    fn held_values_between_samples_enter_the_series_at_their_time() {
        let series = PointSeries {
            times: vec![SimTime(0), SimTime(60), SimTime(120)],
            conc: vec![vec![0.0, 1.0, 0.5]],
            held: vec![vec![(SimTime(0), 0.0), (SimTime(45), 1.4), (SimTime(60), 1.0)]],
        };
        let (times, conc) = held_series(&series, 0, SimTime::ZERO);
        assert_eq!(times, vec![0, 45, 60, 120]);
        assert_eq!(conc, vec![0.0, 1.4, 1.0, 0.5]);
        assert_eq!(peak(&times, &conc), Some((45, 1.4)));
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

/// The concentration of one pollutant in every cell of one reach at one moment.
#[derive(Clone, Debug, Serialize)]
pub struct ReachProfile {
    /// Index into `Scenario::reaches`.
    pub reach: usize,
    /// Index into `Scenario::pollutants`.
    pub pollutant: usize,
    /// Cell concentrations from the upstream end, cells of equal length [mg/L].
    pub cells_mg_l: Vec<f64>,
}

/// The plume at `at`: the transport of the request's releases run to that moment (the
/// same kernel and handlers as [`run`]), and the concentration of every released
/// pollutant in every cell of every reach. `at` before the first release is an error of
/// the caller's input.
pub fn profiles_at(
    scenario: &Scenario,
    request: &ForecastRequest,
    at: SimTime,
) -> Result<Vec<ReachProfile>, ForecastError> {
    let first_start = first_release(request)?;
    let end = at.max(first_start);
    let mut kernel = transport_kernel(scenario, request, false, first_start, end)?;
    kernel.run_until(end).map_err(ForecastError::Run)?;
    let world = kernel.world_mut();
    let mut transport = world.resource_mut::<Transport>();
    // The last event may lie before `at`: the state is advanced to the moment itself.
    transport.advance_to(end);
    let released: BTreeSet<usize> = request.releases.iter().map(|r| r.pollutant).collect();
    let mut profiles = Vec::new();
    for &pollutant in &released {
        if !transport.ledger(pollutant).is_finite() {
            return Err(ForecastError::NotFinite {
                pollutant: scenario.pollutants[pollutant].id.clone(),
            });
        }
        for reach in 0..scenario.reaches.len() {
            profiles.push(ReachProfile {
                reach,
                pollutant,
                cells_mg_l: transport.reach_profile(pollutant, reach).to_vec(),
            });
        }
    }
    Ok(profiles)
}
