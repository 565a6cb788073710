//! Source identification: which source, since when, how much.
//!
//! The inverse of the forecast. Given results at points of the network (samples and
//! station readings, detections and non-detects), it weighs every candidate release —
//! a place, a pollutant, a start time, a duration and a mass — by how well the transport
//! explains the results, and gives the posterior probability of each place, intervals
//! for the start and the mass, and what the candidates that explain the results foretell
//! at the intakes and border sections.
//!
//! Transport is linear in the released mass and, with the flow regime held steady,
//! invariant under a shift in time. So one transport run per candidate place (1 kg of
//! each pollutant, released at once at time zero) gives the concentration per kilogram
//! at every result's place for every start time; a release lasting `D` is the average of
//! instantaneous releases over `D`, the difference of the unit series' running integral.
//! The mass is then a one-dimensional integral per (place, pollutant, duration, start),
//! done on a grid: the result's error is relative plus absolute, and a non-detect is a
//! censored value (the probability the reading fell below the detection limit), which
//! closed forms for a Gaussian in the mass cannot hold.
//!
//! Priors: each place equally likely (the inventory's annual probabilities are not used:
//! a rare source that explains the results must win); within a place, its pollutants,
//! durations and start times on their grids equally likely; the mass log-uniform over the
//! place's range (for a risk source, a thousandth of its largest credible release up to
//! it; anywhere else, 0.1 kg to 100 t).
//!
//! What this does not do yet: two simultaneous releases, the next sample that would most
//! reduce the uncertainty, flow changes during the incident (the regime is held steady,
//! as for the planner's unit responses).

use crate::forecast::{self, ForecastRequest};
use crate::plan;
use crate::scenario::{Location, NodeKind, PointKind, Release, Scenario};
use crate::time::{SimDuration, SimTime};
use crate::transport::plugin::PointSeries;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;

/// One result: a sample's analysis or a station's reading.
#[derive(Clone, Debug)]
pub struct Observation {
    pub location: Location,
    /// The place as the user gave it (a point's id, `reach@chainage`).
    pub label: String,
    pub pollutant: usize,
    pub taken_at: SimTime,
    /// Measured concentration [mg/L]; `None` when below the detection limit.
    pub value_mg_l: Option<f64>,
    /// Detection limit of the method [mg/L].
    pub detection_limit_mg_l: f64,
}

/// Measurement error: standard deviation `relative × value` and `absolute` combined in
/// quadrature. The absolute part is at least half the result's detection limit.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct ErrorModel {
    pub relative: f64,
    pub absolute_mg_l: f64,
}

impl Default for ErrorModel {
    fn default() -> Self {
        ErrorModel {
            relative: 0.10,
            absolute_mg_l: 0.001,
        }
    }
}

/// Where releases may have happened.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Prior {
    /// At the risk sources of the inventory, with the pollutants they hold.
    Inventory,
    /// Anywhere on the network: every reach every `spacing_m` (at the middle of each
    /// stretch), every lake cell and every other node, with any measured pollutant.
    Anywhere { spacing_m: f64 },
}

/// Mass range of a place that is not a risk source [kg].
pub const ANYWHERE_MASS_KG: (f64, f64) = (0.1, 100_000.0);
/// A risk source's smallest mass, as a share of its largest credible release.
pub const SOURCE_MASS_LOW_SHARE: f64 = 1e-3;
/// Points of the mass grid (log-spaced).
pub const MASS_GRID: usize = 64;

#[derive(Clone, Debug)]
pub struct IdentifyRequest {
    pub observations: Vec<Observation>,
    pub prior: Prior,
    /// Earliest start considered; the latest is the last result's time.
    pub since: SimTime,
    /// Step of the start-time grid.
    pub start_step: SimDuration,
    /// Release durations considered (zero: at once).
    pub durations: Vec<SimDuration>,
    pub regime: usize,
    pub error: ErrorModel,
    /// How far past the last result the outlook at the intakes and border sections runs.
    pub outlook: SimDuration,
    /// Releases drawn from the posterior for the outlook.
    pub draws: usize,
    pub seed: u64,
}

/// A place a release may have happened at.
#[derive(Clone, Debug, Serialize)]
pub struct Place {
    /// The risk source's id, or the location's label.
    pub label: String,
    /// Index of the risk source in the inventory.
    #[serde(skip)]
    pub source: Option<usize>,
    #[serde(skip)]
    pub location: Location,
    pub location_label: String,
    /// Pollutants it may have released (of those measured).
    #[serde(skip)]
    pub pollutants: Vec<usize>,
    pub mass_range_kg: (f64, f64),
}

/// What the results say about one place.
#[derive(Clone, Debug, Serialize)]
pub struct Candidate {
    pub place: Place,
    pub probability: f64,
    /// Most probable pollutant and its probability given the place.
    pub pollutant: String,
    pub pollutant_probability: f64,
    /// Start time: 5 %, 50 %, 95 % quantiles given the place [s].
    pub start_s: [i64; 3],
    /// Mass: 5 %, 50 %, 95 % quantiles given the place [kg].
    pub mass_kg: [f64; 3],
    /// Probability of each duration considered, given the place.
    pub durations: Vec<(i64, f64)>,
}

/// One result beside what the most probable release predicts there.
#[derive(Clone, Debug, Serialize)]
pub struct Fit {
    pub label: String,
    pub pollutant: String,
    pub taken_at_s: i64,
    /// `None`: below the detection limit.
    pub value_mg_l: Option<f64>,
    pub detection_limit_mg_l: f64,
    pub predicted_mg_l: f64,
}

/// Quantiles over the releases drawn from the posterior.
#[derive(Clone, Debug, Serialize)]
pub struct Outlook {
    pub point: String,
    pub name: String,
    pub kind: PointKind,
    pub pollutant: String,
    pub limit_mg_l: f64,
    /// Share of the draws that are of this pollutant.
    pub share: f64,
    /// Share of those in which the plume reaches the point (above the detection limit)
    /// before the outlook ends.
    pub p_reach: f64,
    /// Share in which it goes over the limit.
    pub p_over_limit: f64,
    /// Arrival (leading edge) P10, P50, P90 [s]; `None` where that quantile does not
    /// arrive before the outlook ends.
    pub arrival_s: [Option<i64>; 3],
    /// Peak concentration P10, P50, P90 [mg/L] (zero where it does not arrive).
    pub peak_mg_l: [f64; 3],
    /// Time over the limit P10, P50, P90 [s].
    pub over_limit_s: [i64; 3],
}

#[derive(Clone, Debug, Serialize)]
pub struct Identification {
    /// Places by posterior probability, highest first (those above 0.1 %, at least five).
    pub candidates: Vec<Candidate>,
    pub outlook: Vec<Outlook>,
    /// The most probable single release and the results beside its predictions.
    pub best: BestRelease,
    pub fits: Vec<Fit>,
    pub n_places: usize,
    /// Inventory sources left out because they hold none of the measured pollutants.
    pub sources_without_measured_pollutants: usize,
    pub n_hypotheses: u64,
    pub n_transport_runs: usize,
    pub since_s: i64,
    pub last_result_s: i64,
    pub outlook_end_s: i64,
    pub draws: usize,
    pub error: ErrorModel,
}

#[derive(Clone, Debug, Serialize)]
pub struct BestRelease {
    pub place: String,
    pub pollutant: String,
    pub start_s: i64,
    pub duration_s: i64,
    pub mass_kg: f64,
}

/// A unit series at one place: concentration per kilogram released at time zero, on the
/// output step, zero outside `first..first + values.len()`, linear between steps; with its
/// running integral for releases that last.
#[derive(Clone, Debug, Default)]
struct Unit {
    first: usize,
    values: Vec<f64>,
    /// `cumulative[j]`: integral of the linear interpolant from step `first` to step
    /// `first + j`, in step units.
    cumulative: Vec<f64>,
}

impl Unit {
    fn of(series: &[f64]) -> Unit {
        let Some(first) = series.iter().position(|c| *c > 0.0) else {
            return Unit::default();
        };
        let last = series.iter().rposition(|c| *c > 0.0).unwrap_or(first);
        // One zero before and after, so the interpolant ramps from and to zero as the
        // sampled series does.
        let first = first.saturating_sub(1);
        let values: Vec<f64> = series[first..(last + 2).min(series.len())].to_vec();
        let mut cumulative = Vec::with_capacity(values.len());
        let mut sum = 0.0;
        cumulative.push(0.0);
        for pair in values.windows(2) {
            sum += 0.5 * (pair[0] + pair[1]);
            cumulative.push(sum);
        }
        Unit {
            first,
            values,
            cumulative,
        }
    }

    fn value(&self, i: usize) -> f64 {
        i.checked_sub(self.first)
            .and_then(|j| self.values.get(j))
            .copied()
            .unwrap_or(0.0)
    }

    /// Concentration at a fractional step, linear between steps.
    fn at(&self, step: f64) -> f64 {
        if step < self.first as f64 || self.values.is_empty() {
            return 0.0;
        }
        let k = step.floor() as usize;
        let frac = step - k as f64;
        self.value(k) * (1.0 - frac) + self.value(k + 1) * frac
    }

    /// Integral from step 0 to a fractional step, in step units.
    fn integral(&self, step: f64) -> f64 {
        if step <= self.first as f64 || self.values.is_empty() {
            return 0.0;
        }
        let offset = step - self.first as f64;
        let j = offset.floor() as usize;
        if j + 1 >= self.values.len() {
            return *self.cumulative.last().unwrap_or(&0.0);
        }
        let frac = offset - j as f64;
        let (a, b) = (self.values[j], self.values[j + 1]);
        // The trapezoid from step j to j + frac under the line from a to b.
        self.cumulative[j] + frac * (a + 0.5 * (b - a) * frac)
    }

    /// Concentration `age_s` after the start of a release of 1 kg lasting `duration_s`
    /// spread evenly: the average of the instantaneous series over the release.
    fn response(&self, age_s: f64, duration_s: f64, step_s: f64) -> f64 {
        if age_s <= 0.0 {
            return 0.0;
        }
        if duration_s <= 0.0 {
            return self.at(age_s / step_s);
        }
        let upper = self.integral(age_s / step_s);
        let lower = self.integral((age_s - duration_s).max(0.0) / step_s);
        (upper - lower) * step_s / duration_s
    }
}

/// Unit series of one place: `[pollutant position][kept location]`.
struct PlaceUnits {
    series: Vec<Vec<Unit>>,
}

/// `ln Φ(z)`, the log of the standard normal distribution function, accurate in the far
/// tails (from the complementary error function in the form of Press et al., Numerical
/// Recipes §6.2, relative error under 1.2e-7 everywhere).
pub fn ln_normal_cdf(z: f64) -> f64 {
    // Φ(z) = erfc(−z/√2) / 2.
    let x = -z / std::f64::consts::SQRT_2;
    ln_erfc(x) - std::f64::consts::LN_2
}

fn ln_erfc(x: f64) -> f64 {
    let ax = x.abs();
    let t = 1.0 / (1.0 + 0.5 * ax);
    let poly = -ax * ax - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98 + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let ln_positive = t.ln() + poly;
    if x >= 0.0 {
        ln_positive
    } else {
        // erfc(x) = 2 − erfc(−x), between 1 and 2.
        (2.0 - ln_positive.exp()).ln()
    }
}

fn log_sum_exp(values: impl Iterator<Item = f64>) -> f64 {
    let values: Vec<f64> = values.collect();
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !max.is_finite() {
        return max;
    }
    max + values.iter().map(|v| (v - max).exp()).sum::<f64>().ln()
}

/// The candidate places of a prior, and how many inventory sources were left out.
pub fn places(scenario: &Scenario, prior: Prior, measured: &[usize]) -> (Vec<Place>, usize) {
    let mut out = Vec::new();
    let mut left_out = 0;
    match prior {
        Prior::Inventory => {
            for (idx, source) in scenario.risk_sources.iter().enumerate() {
                let held: Vec<&crate::scenario::Chemical> = source
                    .chemicals
                    .iter()
                    .filter(|c| measured.contains(&c.pollutant))
                    .collect();
                if held.is_empty() {
                    left_out += 1;
                    continue;
                }
                let max = held.iter().map(|c| c.max_release_kg).fold(0.0, f64::max);
                out.push(Place {
                    label: source.id.clone(),
                    source: Some(idx),
                    location: source.location,
                    location_label: scenario.location_label(source.location),
                    pollutants: held.iter().map(|c| c.pollutant).collect(),
                    mass_range_kg: (max * SOURCE_MASS_LOW_SHARE, max),
                });
            }
        }
        Prior::Anywhere { spacing_m } => {
            let mut add = |location: Location| {
                out.push(Place {
                    label: scenario.location_label(location),
                    source: None,
                    location,
                    location_label: scenario.location_label(location),
                    pollutants: measured.to_vec(),
                    mass_range_kg: ANYWHERE_MASS_KG,
                });
            };
            for (reach, r) in scenario.reaches.iter().enumerate() {
                let n = (r.length_m / spacing_m).ceil().max(1.0) as usize;
                let stretch = r.length_m / n as f64;
                for k in 0..n {
                    add(Location::Reach {
                        reach,
                        chainage_m: (stretch * (k as f64 + 0.5)).round(),
                    });
                }
            }
            for (node, n) in scenario.nodes.iter().enumerate() {
                match n.kind {
                    NodeKind::Lake { n_cells, .. } if n_cells > 1 => {
                        for cell in 0..n_cells {
                            add(Location::LakeCell { node, cell });
                        }
                    }
                    NodeKind::Lake { .. } => add(Location::Node(node)),
                    _ => {}
                }
            }
        }
    }
    (out, left_out)
}

/// Unit responses of every candidate place at a set of places, built once and used for
/// any results taken there (as results come in during an incident, or for many cases).
pub struct Responses {
    pub places: Vec<Place>,
    /// Inventory sources left out because they hold none of the pollutants.
    pub sources_left_out: usize,
    /// The intakes and border sections (indices into the scenario's points).
    outlook_points: Vec<usize>,
    /// Places series are kept for: the outlook points first, then the others asked for.
    kept: Vec<Location>,
    units: Vec<PlaceUnits>,
    regime: usize,
    /// How long after a release the series run.
    pub horizon: SimDuration,
    step_s: i64,
}

impl Responses {
    /// One transport run per candidate place of `prior` that may have released one of
    /// `pollutants` (1 kg of each at time zero, `regime` held steady), keeping the series
    /// at the intakes, the border sections and `locations` for `horizon`. The runs are
    /// spread over the rayon pool and collected in order.
    pub fn build(
        scenario: &Scenario,
        prior: Prior,
        pollutants: &[usize],
        locations: &[Location],
        regime: usize,
        horizon: SimDuration,
    ) -> Result<Responses, String> {
        let (places, sources_left_out) = places(scenario, prior, pollutants);
        if places.is_empty() {
            return Err("no candidate place holds any of the measured pollutants".into());
        }
        let outlook_points: Vec<usize> = scenario
            .points
            .iter()
            .enumerate()
            .filter(|(_, p)| matches!(p.kind, PointKind::Intake | PointKind::BorderSection))
            .map(|(i, _)| i)
            .collect();
        let mut extended = scenario.clone();
        extended.flow_changes.clear();
        extended.releases.clear();
        extended.incidents.clear();
        extended.points = outlook_points.iter().map(|&i| scenario.points[i].clone()).collect();
        let mut kept: Vec<Location> = extended.points.iter().map(|p| p.location).collect();
        for &location in locations {
            if !kept.contains(&location) {
                kept.push(location);
                extended.points.push(plan::section_point(
                    scenario,
                    format!("result-{}", kept.len()),
                    scenario.location_label(location),
                    location,
                    "a result's place",
                ));
            }
        }
        let units: Vec<PlaceUnits> = places
            .par_iter()
            .map(|place| -> Result<PlaceUnits, String> {
                let forecast = forecast::run(
                    &extended,
                    &ForecastRequest {
                        releases: place
                            .pollutants
                            .iter()
                            .map(|&pollutant| Release {
                                pollutant,
                                mass_kg: 1.0,
                                location: place.location,
                                start: SimTime::ZERO,
                                duration: SimDuration::ZERO,
                                note: "unit response".into(),
                            })
                            .collect(),
                        regime,
                        horizon,
                        seed: 0,
                        journal: false,
                        until_passed: None,
                    },
                )
                .map_err(|e| format!("unit response at {}: {e}", place.label))?;
                Ok(PlaceUnits {
                    series: place
                        .pollutants
                        .iter()
                        .map(|&p| forecast.series.iter().map(|s| Unit::of(&s.conc[p])).collect())
                        .collect(),
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Responses {
            places,
            sources_left_out,
            outlook_points,
            kept,
            units,
            regime,
            horizon,
            step_s: scenario.settings.output_step.seconds().max(1),
        })
    }

    /// Transport runs made.
    pub fn n_runs(&self) -> usize {
        self.units.len()
    }
}

/// Identifies the release behind the results: builds the unit responses the request needs
/// and weighs every hypothesis ([`identify_with`]).
pub fn identify(scenario: &Scenario, request: &IdentifyRequest) -> Result<Identification, String> {
    let last = check(request)?;
    let mut measured: Vec<usize> = request.observations.iter().map(|o| o.pollutant).collect();
    measured.sort_unstable();
    measured.dedup();
    let locations: Vec<Location> = request.observations.iter().map(|o| o.location).collect();
    let horizon = SimDuration((last + request.outlook).seconds() - request.since.seconds());
    let responses = Responses::build(scenario, request.prior, &measured, &locations, request.regime, horizon)?;
    identify_with(scenario, &responses, request)
}

/// The last result's time, once the request is found consistent.
fn check(request: &IdentifyRequest) -> Result<SimTime, String> {
    let observations = &request.observations;
    if observations.is_empty() {
        return Err("no results to identify a source from".into());
    }
    if !observations.iter().any(|o| o.value_mg_l.is_some()) {
        return Err("every result is below its detection limit: nothing was detected to trace back".into());
    }
    let last = observations.iter().map(|o| o.taken_at).max().unwrap_or(SimTime::ZERO);
    if request.since >= last {
        return Err(format!(
            "the earliest start ({}) is not before the last result ({})",
            request.since.clock_label(),
            last.clock_label()
        ));
    }
    if request.start_step.seconds() <= 0 {
        return Err("the start-time step must be positive".into());
    }
    Ok(last)
}

/// Weighs every hypothesis against the results with unit responses already built.
pub fn identify_with(scenario: &Scenario, responses: &Responses, request: &IdentifyRequest) -> Result<Identification, String> {
    let last = check(request)?;
    let observations = &request.observations;
    if responses.regime != request.regime {
        return Err("the unit responses were built for another flow regime".into());
    }
    let outlook_end = last + request.outlook;
    if (outlook_end - request.since).seconds() > responses.horizon.seconds() {
        return Err(format!(
            "the unit responses run {} h, the request needs {} h",
            responses.horizon.as_hours_f64(),
            (outlook_end - request.since).as_secs_f64() / 3600.0
        ));
    }
    let observation_at: Vec<usize> = observations
        .iter()
        .map(|o| {
            responses
                .kept
                .iter()
                .position(|l| *l == o.location)
                .ok_or_else(|| format!("no unit responses at {}", o.label))
        })
        .collect::<Result<_, _>>()?;
    let places = &responses.places;
    let units = &responses.units;
    let outlook_points = &responses.outlook_points;
    let left_out = responses.sources_left_out;
    let step_s = responses.step_s;
    let grid = Grid::new(request, last);
    let masses: Vec<Vec<f64>> = places.iter().map(|p| mass_grid(p.mass_range_kg)).collect();
    let context = Context {
        observations,
        observation_at: &observation_at,
        error: request.error,
        step_s: step_s as f64,
    };
    let evidence: Vec<PlaceEvidence> = places
        .par_iter()
        .zip(units)
        .zip(&masses)
        .map(|((place, units), masses)| context.evidence(place, units, masses, &grid))
        .collect();

    // Posterior over places: equal priors, so proportional to each place's evidence.
    let total = log_sum_exp(evidence.iter().map(|e| e.ln_evidence));
    let probability: Vec<f64> = evidence.iter().map(|e| (e.ln_evidence - total).exp()).collect();
    let mut order: Vec<usize> = (0..places.len()).collect();
    order.sort_by(|&a, &b| probability[b].total_cmp(&probability[a]).then(a.cmp(&b)));
    let candidates: Vec<Candidate> = order
        .iter()
        .enumerate()
        .take_while(|(rank, p)| *rank < 5 || probability[**p] >= 1e-3)
        .map(|(_, &p)| {
            let e = &evidence[p];
            let (pol, pol_p) = e
                .pollutant
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(b.1))
                .map_or((0, 0.0), |(k, w)| (places[p].pollutants[k], *w));
            let start_values: Vec<f64> = grid.starts.iter().map(|t| t.seconds() as f64).collect();
            let ln_masses: Vec<f64> = masses[p].iter().map(|m| m.ln()).collect();
            Candidate {
                place: places[p].clone(),
                probability: probability[p],
                pollutant: scenario.pollutants[pol].id.clone(),
                pollutant_probability: pol_p,
                start_s: [0.05, 0.5, 0.95].map(|q| quantile(&start_values, &e.start, q).round() as i64),
                mass_kg: [0.05, 0.5, 0.95].map(|q| quantile(&ln_masses, &e.mass, q).exp()),
                durations: grid
                    .durations
                    .iter()
                    .zip(&e.duration)
                    .map(|(d, w)| (d.seconds(), *w))
                    .collect(),
            }
        })
        .collect();

    // The most probable single release, and the results beside it.
    let best_place = order[0];
    let b = evidence[best_place].best;
    let best_pollutant = places[best_place].pollutants[b.pollutant];
    let best = BestRelease {
        place: places[best_place].label.clone(),
        pollutant: scenario.pollutants[best_pollutant].id.clone(),
        start_s: grid.starts[b.start].seconds(),
        duration_s: grid.durations[b.duration].seconds(),
        mass_kg: masses[best_place][b.mass],
    };
    let fits = observations
        .iter()
        .zip(&observation_at)
        .map(|(o, &l)| {
            let predicted = if o.pollutant == best_pollutant {
                best.mass_kg
                    * units[best_place].series[b.pollutant][l].response(
                        (o.taken_at.seconds() - best.start_s) as f64,
                        best.duration_s as f64,
                        step_s as f64,
                    )
            } else {
                0.0
            };
            Fit {
                label: o.label.clone(),
                pollutant: scenario.pollutants[o.pollutant].id.clone(),
                taken_at_s: o.taken_at.seconds(),
                value_mg_l: o.value_mg_l,
                detection_limit_mg_l: o.detection_limit_mg_l,
                predicted_mg_l: predicted,
            }
        })
        .collect();

    // The outlook: releases drawn from the posterior, carried to the intakes and border
    // sections.
    let mut rng = ChaCha8Rng::seed_from_u64(request.seed);
    let draws: Vec<Draw> = {
        let mut by_place = vec![0usize; places.len()];
        for _ in 0..request.draws {
            by_place[pick(&probability, rng.random::<f64>())] += 1;
        }
        let mut draws = Vec::with_capacity(request.draws);
        for (p, n) in by_place.iter().enumerate().filter(|(_, n)| **n > 0) {
            let weights = context.cell_weights(&places[p], &units[p], &masses[p], &grid);
            for _ in 0..*n {
                let (cell, mass) = weights.draw(&mut rng);
                draws.push(Draw {
                    place: p,
                    pollutant: cell.pollutant,
                    duration: cell.duration,
                    start: cell.start,
                    mass_kg: masses[p][mass],
                });
            }
        }
        draws
    };
    let outlook = outlook(
        scenario,
        outlook_points,
        places,
        units,
        &grid,
        &draws,
        step_s,
        outlook_end,
    );

    Ok(Identification {
        candidates,
        outlook,
        best,
        fits,
        n_places: places.len(),
        sources_without_measured_pollutants: left_out,
        n_hypotheses: places
            .iter()
            .map(|p| (p.pollutants.len() * grid.durations.len() * grid.starts.len() * MASS_GRID) as u64)
            .sum(),
        n_transport_runs: places.len(),
        since_s: request.since.seconds(),
        last_result_s: last.seconds(),
        outlook_end_s: outlook_end.seconds(),
        draws: draws.len(),
        error: request.error,
    })
}

/// Start times and durations considered.
struct Grid {
    starts: Vec<SimTime>,
    durations: Vec<SimDuration>,
}

impl Grid {
    fn new(request: &IdentifyRequest, last: SimTime) -> Grid {
        let step = request.start_step.seconds();
        let mut starts = Vec::new();
        let mut t = request.since.seconds();
        while t < last.seconds() {
            starts.push(SimTime(t));
            t += step;
        }
        let mut durations = request.durations.clone();
        durations.sort_unstable();
        durations.dedup();
        if durations.is_empty() {
            durations.push(SimDuration::ZERO);
        }
        Grid { starts, durations }
    }
}

fn mass_grid((low, high): (f64, f64)) -> Vec<f64> {
    let (a, b) = (low.max(1e-9).ln(), high.max(low * 1.000_001).ln());
    (0..MASS_GRID)
        .map(|j| (a + (b - a) * j as f64 / (MASS_GRID - 1) as f64).exp())
        .collect()
}

#[derive(Clone, Copy, Debug, Default)]
struct Cell {
    pollutant: usize,
    duration: usize,
    start: usize,
}

#[derive(Clone, Copy, Debug, Default)]
struct BestCell {
    pollutant: usize,
    duration: usize,
    start: usize,
    mass: usize,
}

struct PlaceEvidence {
    /// Log of the mean likelihood over the place's hypotheses (its evidence).
    ln_evidence: f64,
    /// Posterior marginals given the place.
    pollutant: Vec<f64>,
    duration: Vec<f64>,
    start: Vec<f64>,
    mass: Vec<f64>,
    best: BestCell,
}

/// Every hypothesis of a place with its weight, to draw from.
struct CellWeights {
    cells: Vec<Cell>,
    /// Row-major `[cell][mass]`, cumulative and normalised.
    cumulative: Vec<f64>,
}

impl CellWeights {
    fn draw(&self, rng: &mut ChaCha8Rng) -> (Cell, usize) {
        let u: f64 = rng.random();
        let k = self.cumulative.partition_point(|c| *c < u).min(self.cumulative.len() - 1);
        (self.cells[k / MASS_GRID], k % MASS_GRID)
    }
}

struct Draw {
    place: usize,
    pollutant: usize,
    duration: usize,
    start: usize,
    mass_kg: f64,
}

struct Context<'a> {
    observations: &'a [Observation],
    observation_at: &'a [usize],
    error: ErrorModel,
    step_s: f64,
}

impl Context<'_> {
    /// Log-likelihood of every mass of `masses` for the unit responses `u` (one per
    /// result), up to a constant shared by all hypotheses.
    fn ln_likelihood(&self, u: &[f64], masses: &[f64], out: &mut [f64]) {
        out.fill(0.0);
        for (o, &u) in self.observations.iter().zip(u) {
            let dl = o.detection_limit_mg_l.max(0.0);
            let absolute = self.error.absolute_mg_l.max(0.5 * dl);
            match o.value_mg_l {
                Some(y) => {
                    let sigma = ((self.error.relative * y).powi(2) + absolute * absolute).sqrt();
                    for (l, m) in out.iter_mut().zip(masses) {
                        let r = (y - m * u) / sigma;
                        *l -= 0.5 * r * r;
                    }
                }
                None => {
                    let sigma = ((self.error.relative * dl).powi(2) + absolute * absolute).sqrt();
                    for (l, m) in out.iter_mut().zip(masses) {
                        *l += ln_normal_cdf((dl - m * u) / sigma);
                    }
                }
            }
        }
    }

    /// The unit responses of a hypothesis at every result.
    fn responses(&self, units: &PlaceUnits, pollutant: usize, measured: usize, duration_s: f64, start: SimTime, u: &mut [f64]) {
        for ((o, &l), u) in self.observations.iter().zip(self.observation_at).zip(u.iter_mut()) {
            *u = if o.pollutant == measured {
                units.series[pollutant][l].response((o.taken_at - start).seconds() as f64, duration_s, self.step_s)
            } else {
                0.0
            };
        }
    }

    fn for_each_cell(&self, place: &Place, units: &PlaceUnits, masses: &[f64], grid: &Grid, mut f: impl FnMut(Cell, &[f64])) {
        let mut u = vec![0.0; self.observations.len()];
        let mut ln_l = vec![0.0; masses.len()];
        for (k, &pollutant) in place.pollutants.iter().enumerate() {
            for (d, duration) in grid.durations.iter().enumerate() {
                for (s, &start) in grid.starts.iter().enumerate() {
                    self.responses(units, k, pollutant, duration.as_secs_f64(), start, &mut u);
                    self.ln_likelihood(&u, masses, &mut ln_l);
                    f(
                        Cell {
                            pollutant: k,
                            duration: d,
                            start: s,
                        },
                        &ln_l,
                    );
                }
            }
        }
    }

    fn evidence(&self, place: &Place, units: &PlaceUnits, masses: &[f64], grid: &Grid) -> PlaceEvidence {
        // First pass: the largest log-likelihood, to scale the sums.
        let mut max = f64::NEG_INFINITY;
        let mut best = BestCell::default();
        self.for_each_cell(place, units, masses, grid, |cell, ln_l| {
            for (j, l) in ln_l.iter().enumerate() {
                if *l > max {
                    max = *l;
                    best = BestCell {
                        pollutant: cell.pollutant,
                        duration: cell.duration,
                        start: cell.start,
                        mass: j,
                    };
                }
            }
        });
        let mut pollutant = vec![0.0; place.pollutants.len()];
        let mut duration = vec![0.0; grid.durations.len()];
        let mut start = vec![0.0; grid.starts.len()];
        let mut mass = vec![0.0; masses.len()];
        let mut sum = 0.0;
        self.for_each_cell(place, units, masses, grid, |cell, ln_l| {
            let mut cell_sum = 0.0;
            for (j, l) in ln_l.iter().enumerate() {
                let w = (l - max).exp();
                mass[j] += w;
                cell_sum += w;
            }
            pollutant[cell.pollutant] += cell_sum;
            duration[cell.duration] += cell_sum;
            start[cell.start] += cell_sum;
            sum += cell_sum;
        });
        let n = (place.pollutants.len() * grid.durations.len() * grid.starts.len() * masses.len()) as f64;
        for v in [&mut pollutant, &mut duration, &mut start, &mut mass] {
            v.iter_mut().for_each(|w| *w /= sum);
        }
        PlaceEvidence {
            ln_evidence: max + (sum / n).ln(),
            pollutant,
            duration,
            start,
            mass,
            best,
        }
    }

    fn cell_weights(&self, place: &Place, units: &PlaceUnits, masses: &[f64], grid: &Grid) -> CellWeights {
        let mut cells = Vec::new();
        let mut ln_w = Vec::new();
        self.for_each_cell(place, units, masses, grid, |cell, ln_l| {
            cells.push(cell);
            ln_w.extend_from_slice(ln_l);
        });
        let max = ln_w.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let mut sum = 0.0;
        let mut cumulative: Vec<f64> = ln_w
            .iter()
            .map(|l| {
                sum += (l - max).exp();
                sum
            })
            .collect();
        cumulative.iter_mut().for_each(|c| *c /= sum);
        CellWeights { cells, cumulative }
    }
}

/// Index drawn from probabilities summing to one, for a uniform `u`.
fn pick(probability: &[f64], u: f64) -> usize {
    let mut acc = 0.0;
    for (i, p) in probability.iter().enumerate() {
        acc += p;
        if u < acc {
            return i;
        }
    }
    probability.iter().rposition(|p| *p > 0.0).unwrap_or(0)
}

/// The `q` quantile of a distribution given as weights on increasing grid values, each
/// weight spread evenly over its value's bin (halfway to its neighbours), and clamped to
/// the grid's ends.
fn quantile(values: &[f64], weights: &[f64], q: f64) -> f64 {
    let n = values.len();
    if n < 2 {
        return values.first().copied().unwrap_or(0.0);
    }
    let edge = |i: usize| -> f64 {
        match i {
            0 => values[0] - 0.5 * (values[1] - values[0]),
            i if i == n => values[n - 1] + 0.5 * (values[n - 1] - values[n - 2]),
            i => 0.5 * (values[i - 1] + values[i]),
        }
    };
    let total: f64 = weights.iter().sum();
    let mut acc = 0.0;
    for (i, w) in weights.iter().enumerate() {
        let next = acc + w / total;
        if next >= q && *w > 0.0 {
            let frac = ((q - acc) / (next - acc)).clamp(0.0, 1.0);
            return (edge(i) + (edge(i + 1) - edge(i)) * frac).clamp(values[0], values[n - 1]);
        }
        acc = next;
    }
    values[n - 1]
}

/// Index of the `q` quantile of sorted values (nearest rank).
fn nearest_rank(n: usize, q: f64) -> usize {
    ((q * n as f64).ceil() as usize).clamp(1, n) - 1
}

#[allow(clippy::too_many_arguments)]
fn outlook(
    scenario: &Scenario,
    points: &[usize],
    places: &[Place],
    units: &[PlaceUnits],
    grid: &Grid,
    draws: &[Draw],
    step_s: i64,
    end: SimTime,
) -> Vec<Outlook> {
    let mut out = Vec::new();
    let n_species = scenario.pollutants.len();
    let mut pollutants: Vec<usize> = draws.iter().map(|d| places[d.place].pollutants[d.pollutant]).collect();
    pollutants.sort_unstable();
    pollutants.dedup();
    for (l, &point) in points.iter().enumerate() {
        for &pollutant in &pollutants {
            let of_pollutant: Vec<&Draw> = draws
                .iter()
                .filter(|d| places[d.place].pollutants[d.pollutant] == pollutant)
                .collect();
            let mut arrivals = Vec::new();
            let mut peaks = Vec::new();
            let mut over = Vec::new();
            let mut over_limit = 0usize;
            for d in &of_pollutant {
                let start = grid.starts[d.start];
                let duration_s = grid.durations[d.duration].as_secs_f64();
                let unit = &units[d.place].series[d.pollutant][l];
                let first = start.seconds().div_euclid(step_s) * step_s;
                let times: Vec<SimTime> = (0..)
                    .map(|k| SimTime(first + k * step_s))
                    .take_while(|t| *t <= end)
                    .collect();
                let mut conc = vec![Vec::new(); n_species];
                conc[pollutant] = times
                    .iter()
                    .map(|t| d.mass_kg * unit.response((*t - start).seconds() as f64, duration_s, step_s as f64))
                    .collect();
                let series = PointSeries {
                    times,
                    conc,
                    held: Vec::new(),
                };
                let f = forecast::point_forecast(scenario, point, pollutant, &series, start, end);
                arrivals.push(f.leading_edge_s.unwrap_or(i64::MAX));
                peaks.push(f.peak_mg_l);
                over.push(f.over_limit_duration_s);
                over_limit += usize::from(f.over_limit_from_s.is_some());
            }
            let n = of_pollutant.len();
            if n == 0 {
                continue;
            }
            arrivals.sort_unstable();
            peaks.sort_by(f64::total_cmp);
            over.sort_unstable();
            let q = [0.1, 0.5, 0.9].map(|q| nearest_rank(n, q));
            let p = &scenario.points[point];
            out.push(Outlook {
                point: p.id.clone(),
                name: p.name.clone(),
                kind: p.kind,
                pollutant: scenario.pollutants[pollutant].id.clone(),
                limit_mg_l: scenario.limit_mg_l(pollutant, p.target_class),
                share: n as f64 / draws.len() as f64,
                p_reach: arrivals.iter().filter(|a| **a != i64::MAX).count() as f64 / n as f64,
                p_over_limit: over_limit as f64 / n as f64,
                arrival_s: q.map(|i| (arrivals[i] != i64::MAX).then_some(arrivals[i])),
                peak_mg_l: q.map(|i| peaks[i]),
                over_limit_s: q.map(|i| over[i]),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ln_normal_cdf_matches_known_values_and_holds_in_the_tails() {
        // Φ(0) = 0.5, Φ(1.96) = 0.9750021, Φ(−1.96) = 0.0249979, Φ(−10) = 7.6198530e-24.
        for (z, phi) in [(0.0, 0.5), (1.96, 0.975_002_1), (-1.96, 0.024_997_9), (-10.0, 7.619_853e-24)] {
            let got = ln_normal_cdf(z).exp();
            assert!((got - phi).abs() / phi < 1e-6, "Φ({z}) = {got}, expected {phi}");
        }
        // Far in the lower tail: ln Φ(z) ≈ −z²/2 − ln(−z √(2π)).
        let z: f64 = -40.0;
        let asymptotic = -z * z / 2.0 - (-z * (2.0 * std::f64::consts::PI).sqrt()).ln();
        assert!((ln_normal_cdf(z) - asymptotic).abs() < 1e-3);
        assert!(ln_normal_cdf(40.0).abs() < 1e-12);
    }

    #[test]
    fn a_lasting_release_is_the_average_of_instantaneous_ones() {
        // A triangle of unit area per step: 0, 1, 2, 1, 0 at steps 3..=7.
        let unit = Unit::of(&[0.0, 0.0, 0.0, 0.0, 1.0, 2.0, 1.0, 0.0, 0.0, 0.0]);
        let step = 60.0;
        assert_eq!(unit.response(5.0 * step, 0.0, step), 2.0);
        assert_eq!(unit.response(4.5 * step, 0.0, step), 1.5);
        // Lasting two steps: the average of the instantaneous series over the two steps
        // before, (∫ from 3 to 5) / 2 = (0.5 + 1.5) / 2.
        assert!((unit.response(5.0 * step, 2.0 * step, step) - 1.0).abs() < 1e-12);
        // Long after, a lasting release has carried its whole area.
        let area = unit.integral(100.0);
        assert!((area - 4.0).abs() < 1e-12);
        assert!((unit.response(7.0 * step, 10.0 * step, step) - 0.4).abs() < 1e-12);
    }

    #[test]
    fn quantiles_spread_each_weight_over_its_bin() {
        let values = [0.0, 1.0, 2.0, 3.0];
        let weights = [0.25, 0.25, 0.25, 0.25];
        assert!((quantile(&values, &weights, 0.25) - 0.5).abs() < 1e-12);
        assert!((quantile(&values, &weights, 0.5) - 1.5).abs() < 1e-12);
        assert!((quantile(&values, &weights, 0.625) - 2.0).abs() < 1e-12);
        // All the weight on one value: its bin, halfway to the neighbours.
        assert!((quantile(&values, &[0.0, 0.0, 1.0, 0.0], 0.05) - 1.55).abs() < 1e-12);
        assert!((quantile(&values, &[0.0, 0.0, 1.0, 0.0], 0.95) - 2.45).abs() < 1e-12);
        // Clamped to the grid.
        assert_eq!(quantile(&values, &[1.0, 0.0, 0.0, 0.0], 0.05), 0.0);
    }
}
