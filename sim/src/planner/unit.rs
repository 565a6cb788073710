//! Unit responses: the planner's fast path for river transport.
//!
//! With a flow regime held steady, transport with first-order decay is linear in the
//! released mass and invariant under a shift in time. So one transport run per release
//! place, release duration and regime, with 1 kg of each pollutant released at time zero,
//! gives the concentration per kilogram at every place a plan can sample: the named
//! points and the points plans generate around every release place (upstream control,
//! site, downstream sections). A trial's truth is then a sum of scaled, shifted unit
//! series, and a plan's forecast one scaled, shifted series; no transport runs per trial.
//!
//! Series keep the transport's output step and are interpolated linearly between steps.
//! How far this is from running the transport itself is measured in
//! `docs/validation.md` (section "Unit responses").

use crate::forecast::{self, Forecast, ForecastRequest};
use crate::plan::{self, PlanError};
use crate::scenario::{Discovery, Incident, Location, ResponseLevel, Scenario};
use crate::time::{SimDuration, SimTime};
use crate::transport::plugin::PointSeries;
use crate::transport::{
    self,
    unit::{CacheUse, RunSeries, UnitRun, UnitStore},
};
use bevy_ecs::prelude::*;
use std::sync::Arc;

/// A release place, duration and regime the library holds unit responses for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct UnitKey {
    pub location: Location,
    pub duration: SimDuration,
    pub regime: usize,
}

struct UnitEntry {
    key: UnitKey,
    /// Pollutants released in the unit run.
    pollutants: Vec<usize>,
    /// `[pollutant position][location]`.
    series: RunSeries,
}

/// Unit responses for a set of release places, durations and regimes.
pub struct UnitLibrary {
    step_s: i64,
    /// How long after a release the series run.
    pub horizon: SimDuration,
    /// Every place the series are kept for: the named points of the scenario, then the
    /// generated plan points of every release place.
    locations: Vec<Location>,
    entries: Vec<UnitEntry>,
    /// Unit responses in the library (one transport run each, made or read from a cache).
    pub n_runs: usize,
    /// How many were read from a cache and how many were run.
    pub cache: CacheUse,
}

/// What to build: for each key, the pollutants to release.
pub type UnitRequest = (UnitKey, Vec<usize>);

impl UnitLibrary {
    /// Runs the transport once per request (1 kg of each pollutant from time zero, the
    /// regime steady, no flow changes) and keeps the series. The runs are spread over the
    /// rayon thread pool and collected in request order, so the library does not depend
    /// on the number of threads.
    pub fn build(scenario: &Scenario, requests: &[UnitRequest], horizon: SimDuration) -> Result<UnitLibrary, String> {
        UnitLibrary::build_cached(scenario, requests, horizon, None).map(|(library, _)| library)
    }

    /// As [`UnitLibrary::build`], reading the runs it can from `cache` and writing there
    /// the runs it makes; the series are the same bit for bit.
    pub fn build_cached(
        scenario: &Scenario,
        requests: &[UnitRequest],
        horizon: SimDuration,
        cache: Option<&dyn UnitStore>,
    ) -> Result<(UnitLibrary, CacheUse), String> {
        let mut extended = scenario.clone();
        let mut locations: Vec<Location> = scenario.points.iter().map(|p| p.location).collect();
        for (key, _) in requests {
            for (point, _) in plan::generated_points(scenario, &probe_incident(key.location)) {
                if !locations.contains(&point.location) {
                    locations.push(point.location);
                    extended.points.push(point);
                }
            }
        }
        let runs: Vec<UnitRun> = requests
            .iter()
            .map(|(key, pollutants)| UnitRun {
                location: key.location,
                duration: key.duration,
                regime: key.regime,
                pollutants: pollutants.clone(),
            })
            .collect();
        // Point i of the extended scenario is location i (named points first).
        let (series, used) = transport::unit::run_all(&extended, &runs, horizon, cache)?;
        let entries = requests
            .iter()
            .zip(series)
            .map(|((key, pollutants), series)| UnitEntry {
                key: *key,
                pollutants: pollutants.clone(),
                series,
            })
            .collect();
        let library = UnitLibrary {
            step_s: scenario.settings.output_step.seconds(),
            horizon,
            locations,
            entries,
            n_runs: requests.len(),
            cache: used,
        };
        Ok((library, used))
    }

    /// The entry for a key, if the library has it.
    pub fn entry(&self, key: &UnitKey) -> Option<usize> {
        self.entries.iter().position(|e| e.key == *key)
    }

    fn location_idx(&self, location: Location) -> Option<usize> {
        self.locations.iter().position(|l| *l == location)
    }

    /// Concentration per kilogram of `pollutant` at `location`, `after` seconds after
    /// the release started [mg/L/kg]; zero where the library has no series.
    fn unit_at(&self, entry: usize, pollutant: usize, location: usize, after_s: f64) -> f64 {
        let entry = &self.entries[entry];
        let Some(k) = entry.pollutants.iter().position(|p| *p == pollutant) else {
            return 0.0;
        };
        entry.series[k][location].at(after_s / self.step_s as f64)
    }
}

/// An incident standing in for a release place, to ask which points a plan generates.
fn probe_incident(location: Location) -> Incident {
    Incident {
        id: "unit".into(),
        name: String::new(),
        name_zh: String::new(),
        source: None,
        location,
        jurisdiction: 0,
        pollutant: 0,
        mass_kg: 0.0,
        reported_mass_kg: 0.0,
        start: SimTime::ZERO,
        duration: SimDuration(0),
        response_level: ResponseLevel::IV,
        discovery: Discovery::EnterpriseReport,
        discovery_delay: SimDuration(0),
        note: String::new(),
    }
}

/// One release of a trial, seen through the library.
#[derive(Clone, Copy, Debug)]
pub struct UnitRelease {
    pub entry: usize,
    pub pollutant: usize,
    pub mass_kg: f64,
    pub start: SimTime,
}

/// The water of a trial: its releases as scaled, shifted unit responses. Inserted into a
/// response world in place of the transport, it answers the response's questions (the
/// concentration a station or a sample sees, the plan's forecast, when the plume passes
/// a limit) from the library.
#[derive(Resource, Clone)]
pub struct UnitWater {
    pub library: Arc<UnitLibrary>,
    pub releases: Vec<UnitRelease>,
}

impl UnitWater {
    /// True concentration of `pollutant` at `location` at `t` [mg/L].
    pub fn concentration(&self, pollutant: usize, location: Location, t: SimTime) -> f64 {
        let Some(l) = self.library.location_idx(location) else {
            return 0.0;
        };
        self.releases
            .iter()
            .filter(|r| r.pollutant == pollutant && r.start <= t)
            .map(|r| {
                r.mass_kg
                    * self
                        .library
                        .unit_at(r.entry, pollutant, l, (t - r.start).seconds() as f64)
            })
            .sum()
    }

    /// First output step at or after `from` (up to `end`) when the true concentration
    /// exceeds `limit` — what the transport's sampled series would show [s].
    pub fn first_over(
        &self,
        pollutant: usize,
        location: Location,
        limit: f64,
        from: SimTime,
        end: SimTime,
    ) -> Option<i64> {
        let l = self.library.location_idx(location)?;
        let step = self.library.step_s;
        // Nothing arrives before the earliest first non-zero step of any release.
        let earliest = self
            .releases
            .iter()
            .filter(|r| r.pollutant == pollutant)
            .filter_map(|r| {
                let entry = &self.library.entries[r.entry];
                let k = entry.pollutants.iter().position(|p| *p == pollutant)?;
                let unit = &entry.series[k][l];
                // The series starts one step before its first non-zero value.
                (!unit.is_empty()).then(|| r.start.seconds() + unit.first as i64 * step)
            })
            .min()?;
        let from = from.seconds().max(earliest);
        let first = from.div_euclid(step) + i64::from(from.rem_euclid(step) != 0);
        (first..=end.seconds().div_euclid(step)).map(|k| k * step).find(|&t| {
            let c: f64 = self
                .releases
                .iter()
                .filter(|r| r.pollutant == pollutant && r.start.seconds() <= t)
                .map(|r| {
                    r.mass_kg
                        * self
                            .library
                            .unit_at(r.entry, pollutant, l, (t - r.start.seconds()) as f64)
                })
                .sum();
            c > limit
        })
    }

    /// The forecast of one release (a plan's estimate) from the library: the series of
    /// every point of `scenario` on the output grid, and the point summaries of the
    /// points downstream, as [`forecast::run`] would give them.
    pub fn forecast(&self, scenario: &Scenario, request: &ForecastRequest) -> Result<Forecast, PlanError> {
        let [release] = &request.releases[..] else {
            return Err(PlanError("unit responses forecast one release at a time".into()));
        };
        let key = UnitKey {
            location: release.location,
            duration: release.duration,
            regime: request.regime,
        };
        let entry = self.library.entry(&key).ok_or_else(|| {
            PlanError(format!(
                "no unit response for a release at {} lasting {} min in regime {}",
                scenario.location_label(release.location),
                release.duration.seconds() / 60,
                scenario.regimes[request.regime].id
            ))
        })?;
        let step = self.library.step_s;
        let end = release.start + request.horizon;
        // The grid of the transport's output steps, from the step before the release.
        let first_step = (release.start.seconds().div_euclid(step) - 1).max(0);
        let last_step = end.seconds().div_euclid(step);
        let n_species = scenario.pollutants.len();
        let k = self.library.entries[entry]
            .pollutants
            .iter()
            .position(|p| *p == release.pollutant)
            .ok_or_else(|| {
                PlanError(format!(
                    "no unit response of {}",
                    scenario.pollutants[release.pollutant].id
                ))
            })?;
        let releases = std::slice::from_ref(release);
        let downstream = forecast::downstream_points(scenario, releases);
        let series: Vec<PointSeries> = scenario
            .points
            .iter()
            .enumerate()
            .map(|(idx, point)| {
                let unit = self
                    .library
                    .location_idx(point.location)
                    .map(|l| &self.library.entries[entry].series[k][l])
                    .filter(|unit| !unit.is_empty());
                // Points off the plume's path and without a series need none: the plan
                // reads only the series of points on the path, the control and the site.
                if unit.is_none() && !downstream.contains(&idx) {
                    return PointSeries {
                        times: Vec::new(),
                        conc: vec![Vec::new(); n_species],
                        held: Vec::new(),
                    };
                }
                let (window, values) = match unit {
                    Some(unit) => {
                        // The unit series is zero outside its steps `first .. first + len`
                        // after the release: only the grid steps in between (and one on
                        // either side) need it.
                        let from_s = release.start.seconds() + unit.first as i64 * step;
                        let to_s = release.start.seconds() + (unit.first + unit.values.len()) as i64 * step;
                        let lo = (from_s.div_euclid(step) - 1).max(first_step);
                        let hi = (to_s.div_euclid(step) + 1).min(last_step);
                        let lo = lo.min(hi);
                        let values = (lo..=hi)
                            .map(|k_t| {
                                let after = k_t * step - release.start.seconds();
                                if after < 0 {
                                    0.0
                                } else {
                                    release.mass_kg * unit.at(after as f64 / step as f64)
                                }
                            })
                            .collect();
                        ((lo, hi), values)
                    }
                    None => ((first_step, first_step), vec![0.0]),
                };
                sparse_series(
                    first_step,
                    last_step,
                    step,
                    window,
                    values,
                    release.pollutant,
                    n_species,
                )
            })
            .collect();
        let mut points: Vec<_> = downstream
            .into_iter()
            .map(|p| forecast::point_forecast(scenario, p, release.pollutant, &series[p], release.start, end))
            .collect();
        points.sort_by_key(|p| (p.leading_edge_s.is_none(), p.leading_edge_s, p.pollutant.clone()));
        Ok(Forecast {
            scenario: scenario.name.clone(),
            regime: scenario.regimes[request.regime].id.clone(),
            start_s: release.start.seconds(),
            horizon_end_s: end.seconds(),
            end_s: end.seconds(),
            passed: false,
            output_step_s: step,
            releases: Vec::new(),
            points,
            mass_balance: Vec::new(),
            dispersion_spread: None,
            ensemble: None,
            n_cells: 0,
            n_cell_updates: 0,
            n_work_units: 0,
            n_events: 0,
            journal: Vec::new(),
            series,
        })
    }
}

/// A point's series on the output grid `first_step ..= last_step` (in steps of `step` s)
/// that is zero outside the steps `window` (inclusive), whose `values` are given: the
/// window's samples and the grid's first and last sample, the zeros in between left out.
/// Everything a forecast reads from it — the first crossing, the peak, the time over a
/// limit (linear between samples, so a run of zeros is one straight segment), the last
/// two samples, the value at or before a time — is what the whole grid gives, for a
/// fraction of the memory: most of a trial's plan forecast was writing zeros.
fn sparse_series(
    first_step: i64,
    last_step: i64,
    step: i64,
    window: (i64, i64),
    values: Vec<f64>,
    pollutant: usize,
    n_species: usize,
) -> PointSeries {
    let (lo, hi) = window;
    debug_assert_eq!(values.len() as i64, hi - lo + 1);
    let mut times = Vec::with_capacity(values.len() + 2);
    let mut conc_p = Vec::with_capacity(values.len() + 2);
    if lo > first_step {
        times.push(SimTime(first_step * step));
        conc_p.push(0.0);
    }
    times.extend((lo..=hi).map(|k| SimTime(k * step)));
    conc_p.extend(values);
    if hi < last_step {
        times.push(SimTime(last_step * step));
        conc_p.push(0.0);
    }
    let mut conc = vec![Vec::new(); n_species];
    conc[pollutant] = conc_p;
    PointSeries {
        times,
        conc,
        held: Vec::new(),
    }
}
