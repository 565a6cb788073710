//! Synthetic identification cases, for the recovery tests and the validation in
//! docs/validation.md: a release drawn from the identification's own prior (a risk source
//! of the inventory, one of its chemicals, a start, a duration and a log-uniform mass),
//! carried by the transport itself to the zone's named points, and sampled as the zone's
//! monitoring would sample it after an alarm, with measurement noise.
//!
//! The alarm is the first output step at which any named point holds the pollutant above
//! its detection limit. From then on every named point is sampled at a fixed interval for
//! a fixed time. Each result is the true concentration plus Gaussian noise, floored at
//! zero: a relative part (10 %) and an absolute part of a third of the pollutant's
//! detection limit, in quadrature (HJ 168-2020 sets a method's detection limit at about
//! three standard deviations of low-level replicates). A result below the detection limit
//! is reported as a non-detect.
//!
//! Before 2026-12-03 the absolute part was at least 0.001 mg/L (the identification's
//! default `--error-absolute`) whatever the pollutant: five times nitrobenzene's detection
//! limit (0.0002 mg/L) and twice antimony's (0.0005 mg/L), so that four in ten results
//! of clean water read as detections of nitrobenzene. `noise_absolute_min_mg_l` = 0.001
//! draws those cases again.
//!
//! The truth may be run with a different dispersion or discharge from the model's
//! (`dispersion_factor`, `flow_factor`), and the results then carry model error as well
//! as noise.
//!
//! [`draw_anywhere`] draws the release from the prior anywhere instead (a place of the
//! network, any pollutant the inventory holds, a mass on that prior's axis), to judge the
//! prior anywhere's intervals on truths drawn from the prior they are computed with.

use super::{ErrorModel, IdentifyRequest, ModelSpread, Observation, Prior, Responses, SOURCE_MASS_LOW_SHARE, Stretch};
use crate::forecast::{self, ForecastRequest};
use crate::scenario::{Location, Release, Scenario};
use crate::time::{SimDuration, SimTime};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

#[derive(Clone, Debug)]
pub struct CaseSettings {
    /// Releases start uniformly within this long after time zero.
    pub start_window: SimDuration,
    /// Release durations, drawn uniformly.
    pub durations: Vec<SimDuration>,
    /// Every named point is sampled this often after the alarm…
    pub sampling_every: SimDuration,
    /// …for this long (the first round at the alarm).
    pub sampling_for: SimDuration,
    /// A case whose release no named point detects within this long is not drawn.
    pub alarm_within: SimDuration,
    /// The noise's error model: its `relative` part (and no other) draws the noise.
    pub error: ErrorModel,
    /// The error model the one-release series weighs the results with (the command's
    /// default).
    pub weighed_with: ErrorModel,
    /// The absolute part of the noise is a third of the pollutant's detection limit, and
    /// at least this [mg/L] (0: the third of the limit only).
    pub noise_absolute_min_mg_l: f64,
    pub regime: usize,
    /// The truth's dispersion factor relative to the scenario's.
    pub dispersion_factor: f64,
    /// The truth's discharge factor relative to the scenario's, on every reach in every
    /// regime (velocity follows it, and the formula's dispersion the velocity), as the
    /// forecast's `--spread` draws it.
    pub flow_factor: f64,
    /// The truth's discharge factor drawn for each case, log-normal about `flow_factor`
    /// with this standard deviation of its log (0: `flow_factor` itself in every case).
    /// Drawn as `--error-discharge-log-sd` weighs it, it tests the identification on truths
    /// from its own prior, where its intervals are owed their rate.
    pub flow_log_sd: f64,
    /// The dispersion factor, relative to the scenario's, of the unit responses the
    /// one-release series weighs with (1: the scenario's; the truth's, to see what knowing
    /// it would give).
    pub model_dispersion_factor: f64,
    /// The dispersion taken as unknown by the one-release series' identifications.
    pub spread: ModelSpread,
    /// The identification's prior: the inventory, or anywhere on the network (the truth
    /// is still a risk source's release, found if a place near it ranks first).
    pub prior: Prior,
    /// With the prior anywhere: how many of the most probable places are weighed again
    /// divided ([`IdentifyRequest::refine_places_max`]).
    pub refine_places_max: usize,
    /// Where the series' truths are drawn: at the inventory's risk sources, or from the
    /// prior anywhere (which `prior` must then be).
    pub truths: Truths,
}

/// Where a series' true releases are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Truths {
    /// At the inventory's risk sources, with their chemicals and masses ([`draw`]).
    Inventory,
    /// From the prior anywhere at the settings' spacing ([`draw_anywhere`]).
    Anywhere,
}

impl CaseSettings {
    /// The settings of the validation series, in the scenario's default flow regime.
    pub fn for_scenario(scenario: &Scenario) -> Self {
        CaseSettings {
            start_window: SimDuration::from_hours(12),
            durations: vec![
                SimDuration::ZERO,
                SimDuration::from_hours(1),
                SimDuration::from_hours(3),
            ],
            sampling_every: SimDuration::from_hours(2),
            sampling_for: SimDuration::from_hours(12),
            alarm_within: SimDuration::from_hours(24),
            error: ErrorModel {
                model: 0.0,
                ..ErrorModel::default()
            },
            weighed_with: ErrorModel::default(),
            noise_absolute_min_mg_l: 0.0,
            regime: scenario.settings.default_regime,
            dispersion_factor: 1.0,
            flow_factor: 1.0,
            flow_log_sd: 0.0,
            model_dispersion_factor: 1.0,
            spread: ModelSpread::default(),
            prior: Prior::Inventory,
            refine_places_max: super::REFINE_PLACES_MAX,
            truths: Truths::Inventory,
        }
    }
}

#[derive(Clone, Debug)]
pub struct TrueRelease {
    /// Index of the risk source in the inventory; [`NO_SOURCE`] for a release drawn from
    /// the prior anywhere (`location` set), so that reading the inventory with it fails
    /// loudly.
    pub source: usize,
    /// Where the release was when it is not at a risk source (drawn from the prior
    /// anywhere); `None`: at risk source `source`.
    pub location: Option<Location>,
    pub pollutant: usize,
    pub mass_kg: f64,
    pub start: SimTime,
    pub duration: SimDuration,
}

/// [`TrueRelease::source`] of a release that is at no risk source.
pub const NO_SOURCE: usize = usize::MAX;

impl TrueRelease {
    /// Where the release was: its own location, or its risk source's.
    pub fn location_in(&self, scenario: &Scenario) -> Location {
        self.location
            .unwrap_or_else(|| scenario.risk_sources[self.source].location)
    }

    /// What the series' lines call it: its risk source's id, or its location's label.
    pub fn label(&self, scenario: &Scenario) -> String {
        match self.location {
            Some(location) => scenario.location_label(location),
            None => scenario.risk_sources[self.source].id.clone(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Case {
    pub truth: TrueRelease,
    pub alarm: SimTime,
    pub observations: Vec<Observation>,
    /// How many of `observations` the release reads above their detection limit without
    /// the noise (the transport's concentration).
    pub n_seen: usize,
}

impl CaseSettings {
    /// Time after the start window by which every case's last result is taken.
    pub fn last_result_by(&self) -> SimTime {
        SimTime::ZERO + self.start_window + self.alarm_within + self.sampling_for
    }
}

/// Draws case `seed`; `None` when no named point detects the release within
/// `alarm_within` (a release too small or too far from every point).
pub fn draw(scenario: &Scenario, settings: &CaseSettings, seed: u64) -> Result<Option<Case>, String> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    if scenario.risk_sources.is_empty() {
        return Err("the scenario has no risk sources".into());
    }
    let source = rng.random_range(0..scenario.risk_sources.len());
    let s = &scenario.risk_sources[source];
    if s.chemicals.is_empty() {
        return Ok(None);
    }
    let chemical = &s.chemicals[rng.random_range(0..s.chemicals.len())];
    // The identification weighs a source's mass up to its largest release of any measured
    // chemical; with one chemical measured, that chemical's.
    let max = chemical.max_release_kg;
    let (low, high) = ((max * SOURCE_MASS_LOW_SHARE).ln(), max.ln());
    let mass_kg = (low + (high - low) * rng.random::<f64>()).exp();
    let start = SimTime(rng.random_range(0..settings.start_window.seconds().max(1)));
    let duration = settings.durations[rng.random_range(0..settings.durations.len().max(1))];
    let truth = TrueRelease {
        source,
        location: None,
        pollutant: chemical.pollutant,
        mass_kg,
        start,
        duration,
    };

    case_of(scenario, settings, seed, truth, &mut rng)
}

/// Draws case `seed` with its release drawn from the prior anywhere of
/// `settings.prior` (an error with the inventory as prior): a place as that prior weighs
/// them, equally (every stretch of a reach, every lake cell), and within a reach's stretch
/// a chainage uniform along it, rounded to the metre, since the stretch's place stands for
/// the whole stretch (a refined stretch's parts share its weight equally); a pollutant
/// among those the inventory holds (the ones the series' unit responses carry), equally; a
/// mass log-uniform over the anywhere places' mass range, as their mass axis weighs it;
/// a start and a duration as [`draw`] draws them. `None` when no named point detects it
/// within `alarm_within`.
pub fn draw_anywhere(scenario: &Scenario, settings: &CaseSettings, seed: u64) -> Result<Option<Case>, String> {
    let Prior::Anywhere { spacing_m } = settings.prior else {
        return Err("a truth of the prior anywhere needs the prior anywhere".into());
    };
    let pollutants = inventory_pollutants(scenario);
    if pollutants.is_empty() {
        return Err("the scenario's risk sources hold no chemicals".into());
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let pollutant = pollutants[rng.random_range(0..pollutants.len())];
    let (places, _) = super::places(scenario, settings.prior, &[pollutant]);
    if places.is_empty() {
        return Err("the network has no place of the prior anywhere".into());
    }
    let place = &places[rng.random_range(0..places.len())];
    let location = match place.location {
        Location::Reach { reach, .. } => {
            let stretch = Stretch::at(scenario, spacing_m, place.location).expect("a place on a reach has a stretch");
            let (_, stretch_m) = super::stretches(scenario, reach, spacing_m);
            let chainage_m = (stretch_m * (stretch.k as f64 + rng.random::<f64>())).round();
            Location::Reach {
                reach,
                chainage_m: chainage_m.min(scenario.reaches[reach].length_m),
            }
        }
        lake => lake,
    };
    let (low, high) = (place.mass_range_kg.0.ln(), place.mass_range_kg.1.ln());
    let mass_kg = (low + (high - low) * rng.random::<f64>()).exp();
    let start = SimTime(rng.random_range(0..settings.start_window.seconds().max(1)));
    let duration = settings.durations[rng.random_range(0..settings.durations.len().max(1))];
    let truth = TrueRelease {
        source: NO_SOURCE,
        location: Some(location),
        pollutant,
        mass_kg,
        start,
        duration,
    };
    case_of(scenario, settings, seed, truth, &mut rng)
}

/// The case of one drawn release: its results sampled as the series samples them, or
/// `None` when no named point detects it in time.
fn case_of(
    scenario: &Scenario,
    settings: &CaseSettings,
    seed: u64,
    truth: TrueRelease,
    rng: &mut ChaCha8Rng,
) -> Result<Option<Case>, String> {
    let Some((alarm, observations, n_seen)) = sample(scenario, settings, seed, std::slice::from_ref(&truth), rng)?
    else {
        return Ok(None);
    };
    Ok(Some(Case {
        truth,
        alarm,
        observations,
        n_seen,
    }))
}

/// The pollutants the inventory's risk sources hold, in index order.
fn inventory_pollutants(scenario: &Scenario) -> Vec<usize> {
    let mut pollutants: Vec<usize> = scenario
        .risk_sources
        .iter()
        .flat_map(|s| s.chemicals.iter().map(|c| c.pollutant))
        .collect();
    pollutants.sort_unstable();
    pollutants.dedup();
    pollutants
}

/// Carries `truths` together with the transport and samples them: the alarm at the first
/// output step any named point holds one of their pollutants above its detection limit,
/// then every named point every `sampling_every` for `sampling_for`, analysed for each
/// released pollutant, with noise, and how many of the results read above their detection
/// limit noise-free. `None` when no point detects them within `alarm_within` of the first
/// start.
fn sample(
    scenario: &Scenario,
    settings: &CaseSettings,
    seed: u64,
    truths: &[TrueRelease],
    rng: &mut ChaCha8Rng,
) -> Result<Option<(SimTime, Vec<Observation>, usize)>, String> {
    let mut water = scenario.clone();
    water.flow_changes.clear();
    water.releases.clear();
    water.incidents.clear();
    water.settings.dispersion_factor *= settings.dispersion_factor;
    // Drawn only when asked, so that every other series draws as before.
    let flow_factor = if settings.flow_log_sd > 0.0 {
        settings.flow_factor * (settings.flow_log_sd * standard_normal(rng)).exp()
    } else {
        settings.flow_factor
    };
    forecast::ensemble::scale_discharge(&mut water, flow_factor);
    let horizon = settings.alarm_within
        + settings.sampling_for
        + (truths.iter().map(|t| t.start).max().unwrap_or(SimTime::ZERO)
            - truths.iter().map(|t| t.start).min().unwrap_or(SimTime::ZERO));
    let forecast = forecast::run(
        &water,
        &ForecastRequest {
            releases: truths
                .iter()
                .map(|t| Release {
                    pollutant: t.pollutant,
                    mass_kg: t.mass_kg,
                    location: t.location_in(scenario),
                    start: t.start,
                    duration: t.duration,
                    note: "synthetic case".into(),
                })
                .collect(),
            regime: settings.regime,
            horizon,
            seed,
            journal: false,
            until_passed: None,
        },
    )
    .map_err(|e| format!("case {seed}: {e}"))?;
    let mut pollutants: Vec<usize> = truths.iter().map(|t| t.pollutant).collect();
    pollutants.sort_unstable();
    pollutants.dedup();
    let at = |point: usize, pollutant: usize, t: SimTime| -> f64 {
        let series = &forecast.series[point];
        let Some(first) = series.times.first() else {
            return 0.0;
        };
        let step = forecast.output_step_s.max(1);
        let k = (t - *first).seconds().div_euclid(step);
        usize::try_from(k)
            .ok()
            .and_then(|k| series.conc[pollutant].get(k))
            .copied()
            .unwrap_or(0.0)
    };
    let first_start = truths.iter().map(|t| t.start).min().unwrap_or(SimTime::ZERO);
    let Some(alarm) = forecast.series[0]
        .times
        .iter()
        .copied()
        .filter(|t| *t <= first_start + settings.alarm_within)
        .find(|&t| {
            (0..scenario.points.len()).any(|p| {
                pollutants
                    .iter()
                    .any(|&q| at(p, q, t) > scenario.pollutants[q].detection_limit_mg_l)
            })
        })
    else {
        return Ok(None);
    };
    let mut observations = Vec::new();
    let mut n_seen = 0;
    let rounds = settings.sampling_for.seconds() / settings.sampling_every.seconds().max(1);
    for round in 0..=rounds {
        let t = alarm + SimDuration(round * settings.sampling_every.seconds());
        for (p, point) in scenario.points.iter().enumerate() {
            for &pollutant in &pollutants {
                let detection = scenario.pollutants[pollutant].detection_limit_mg_l;
                let c = at(p, pollutant, t);
                n_seen += usize::from(c >= detection);
                let absolute = settings.noise_absolute_min_mg_l.max(detection / 3.0);
                let sigma = ((settings.error.relative * c).powi(2) + absolute * absolute).sqrt();
                let measured = (c + sigma * standard_normal(rng)).max(0.0);
                observations.push(Observation {
                    location: point.location,
                    label: point.id.clone(),
                    pollutant,
                    taken_at: t,
                    value_mg_l: (measured >= detection).then_some(measured),
                    detection_limit_mg_l: detection,
                });
            }
        }
    }
    Ok(Some((alarm, observations, n_seen)))
}

/// Two simultaneous releases: two risk sources of different jurisdictions, as in the
/// built-in two-incident exercise, each with one of its chemicals, a start, a duration
/// and a mass drawn as for one release.
#[derive(Clone, Debug)]
pub struct TwoCase {
    pub truths: [TrueRelease; 2],
    pub alarm: SimTime,
    pub observations: Vec<Observation>,
}

/// One release drawn from the prior at `source`.
fn draw_release(
    scenario: &Scenario,
    settings: &CaseSettings,
    source: usize,
    rng: &mut ChaCha8Rng,
) -> Option<TrueRelease> {
    let s = &scenario.risk_sources[source];
    if s.chemicals.is_empty() {
        return None;
    }
    let chemical = &s.chemicals[rng.random_range(0..s.chemicals.len())];
    let max = chemical.max_release_kg;
    let (low, high) = ((max * SOURCE_MASS_LOW_SHARE).ln(), max.ln());
    let mass_kg = (low + (high - low) * rng.random::<f64>()).exp();
    let start = SimTime(rng.random_range(0..settings.start_window.seconds().max(1)));
    let duration = settings.durations[rng.random_range(0..settings.durations.len().max(1))];
    Some(TrueRelease {
        source,
        location: None,
        pollutant: chemical.pollutant,
        mass_kg,
        start,
        duration,
    })
}

/// Draws two-release case `seed`; `None` when the zone has no such pair of sources or no
/// named point detects either release.
pub fn draw_two(scenario: &Scenario, settings: &CaseSettings, seed: u64) -> Result<Option<TwoCase>, String> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let n = scenario.risk_sources.len();
    if n < 2 {
        return Err("the scenario has fewer than two risk sources".into());
    }
    let first = rng.random_range(0..n);
    let others: Vec<usize> = (0..n)
        .filter(|&j| scenario.risk_sources[j].jurisdiction != scenario.risk_sources[first].jurisdiction)
        .collect();
    if others.is_empty() {
        return Ok(None);
    }
    let second = others[rng.random_range(0..others.len())];
    let (Some(a), Some(b)) = (
        draw_release(scenario, settings, first, &mut rng),
        draw_release(scenario, settings, second, &mut rng),
    ) else {
        return Ok(None);
    };
    let truths = [a, b];
    let Some((alarm, observations, _)) = sample(scenario, settings, seed, &truths, &mut rng)? else {
        return Ok(None);
    };
    Ok(Some(TwoCase {
        truths,
        alarm,
        observations,
    }))
}

/// A standard normal deviate (Box–Muller).
fn standard_normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = 1.0 - rng.random::<f64>();
    let u2: f64 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

/// What a series of cases measured.
pub struct Series {
    pub cases: usize,
    pub draws: u64,
    pub undetected: usize,
    pub source_first: usize,
    /// The first place at the true source's place (with the prior anywhere: on its reach
    /// within one spacing of it, or in its lake cell).
    pub place_first: usize,
    /// With the prior anywhere: the first place within one refined part
    /// ([`super::refined_part_m`]: `spacing / 8` or a transport cell) of the true source, on
    /// its reach (or its lake cell).
    pub place_first_fine: usize,
    pub start_in: usize,
    pub mass_in: usize,
    /// With the prior anywhere: the start and mass intervals of the posterior over the
    /// listed places within one spacing of the first (on its reach, or its lake cell)
    /// holding the truth (a mixture of those places' distributions, as
    /// `published::mixture` takes it), where a place near the truth ranks first.
    pub start_in_mixed: usize,
    pub mass_in_mixed: usize,
    /// With the prior anywhere: the most probable group ([`super::Group`]) lies within one
    /// spacing of the true source on its reach (or is its lake).
    pub group_first: usize,
    /// With the prior anywhere: the most probable group's start and mass intervals (of the
    /// mixture of its places' posteriors) holding the truth, in every case, and in the
    /// cases where that group is near the truth.
    pub group_start_in: usize,
    pub group_mass_in: usize,
    pub group_first_start_in: usize,
    pub group_first_mass_in: usize,
    /// With the prior anywhere: the most probable group's probability and length [m] (zero
    /// in a lake), per case.
    pub group_probability: Vec<f64>,
    pub group_length_m: Vec<f64>,
    pub start_errors_min: Vec<f64>,
    pub mass_factors_ln: Vec<f64>,
    pub unit_responses_s: f64,
    pub identification_s: Vec<f64>,
}

/// The first `n_cases` detectable cases (seeds 1, 2, …) of the series drawn with
/// `settings` (the truth's dispersion, the noise), each identified with the defaults.
///
/// The simulation reads no wall clock and writes nothing: `clock` gives the caller's time
/// in seconds (for the timings in [`Series`]) and `log` takes a line per case.
pub fn series(
    scenario: &Scenario,
    settings: &CaseSettings,
    n_cases: usize,
    clock: &dyn Fn() -> f64,
    log: &mut dyn FnMut(String),
) -> Series {
    let outlook = SimDuration::from_hours(12);
    let pollutants = inventory_pollutants(scenario);
    let locations: Vec<Location> = scenario.points.iter().map(|p| p.location).collect();
    let horizon = (settings.last_result_by() + outlook) - SimTime::ZERO;
    let began = clock();
    let mut model = scenario.clone();
    model.settings.dispersion_factor *= settings.model_dispersion_factor;
    let responses = Responses::build(
        &model,
        settings.prior,
        &pollutants,
        &locations,
        settings.regime,
        horizon,
    )
    .unwrap();
    let near_m = match settings.prior {
        Prior::Inventory => 0.0,
        Prior::Anywhere { spacing_m } => spacing_m,
    };
    let mut out = Series {
        cases: 0,
        draws: 0,
        undetected: 0,
        source_first: 0,
        place_first: 0,
        place_first_fine: 0,
        start_in: 0,
        mass_in: 0,
        start_in_mixed: 0,
        mass_in_mixed: 0,
        group_first: 0,
        group_start_in: 0,
        group_mass_in: 0,
        group_first_start_in: 0,
        group_first_mass_in: 0,
        group_probability: Vec::new(),
        group_length_m: Vec::new(),
        start_errors_min: Vec::new(),
        mass_factors_ln: Vec::new(),
        unit_responses_s: clock() - began,
        identification_s: Vec::new(),
    };
    while out.cases < n_cases {
        out.draws += 1;
        assert!(out.draws < 20 * n_cases as u64 + 100, "too few detectable cases");
        let drawn = match settings.truths {
            Truths::Inventory => draw(scenario, settings, out.draws),
            Truths::Anywhere => draw_anywhere(scenario, settings, out.draws),
        };
        let Some(case) = drawn.unwrap() else {
            out.undetected += 1;
            continue;
        };
        let request = IdentifyRequest {
            durations: settings.durations.clone(),
            regime: settings.regime,
            outlook,
            draws: 100,
            seed: out.draws,
            prior: settings.prior,
            error: settings.weighed_with,
            refine_places_max: settings.refine_places_max,
            spread: settings.spread,
            ..IdentifyRequest::new(scenario, case.observations.clone())
        };
        let began = clock();
        let Ok(id) = super::identify_with(scenario, &responses, &request) else {
            // The alarm saw the plume, the noisy samples all read below the limit.
            out.undetected += 1;
            continue;
        };
        out.identification_s.push(clock() - began);
        out.cases += 1;
        // A truth of the prior anywhere is at no risk source: its label is its location's.
        let (truth_location, truth_label) = (case.truth.location_in(scenario), case.truth.label(scenario));
        let top = &id.candidates[0];
        out.source_first += usize::from(case.truth.location.is_none() && top.place.label == truth_label);
        // Two sources at one place cannot be told apart by the water.
        let near = |location: Location| within_m(location, truth_location).is_some_and(|d| d <= near_m);
        out.place_first += usize::from(near(top.place.location));
        out.place_first_fine += usize::from(
            within_m(top.place.location, truth_location)
                .is_some_and(|d| d <= super::refined_part_m(near_m, scenario.settings.cell_length_m)),
        );
        // The true source's own candidate, or with the prior anywhere the most probable
        // place near it (the candidates are listed most probable first).
        let mine = match settings.prior {
            Prior::Inventory => id.candidates.iter().find(|c| c.place.label == truth_label),
            Prior::Anywhere { .. } => id.candidates.iter().find(|c| near(c.place.location)),
        };
        let t = case.truth.start.seconds();
        if let Some(group) = id.groups.first() {
            judge_group(&mut out, scenario, group, &case.truth, truth_location, near_m);
            log(format!(
                "case {}: top group {} {}–{} m ({} places, p={:.3}, top {} p={:.3}) near {} ({:.0} m), start {:?}, \
                 mass {:.1?}; truth {} {} {:.1} kg at {t}: {}",
                out.draws,
                group.water,
                group.from_m.unwrap_or(0.0),
                group.to_m.unwrap_or(0.0),
                group.n_places,
                group.probability,
                group.top_place,
                group.top_place_probability,
                group.near_point.as_deref().unwrap_or("—"),
                group.near_point_m.unwrap_or(f64::NAN),
                group.start_s,
                group.mass_kg,
                scenario.location_label(truth_location),
                scenario.pollutants[case.truth.pollutant].id,
                case.truth.mass_kg,
                if group.holds(scenario, truth_location, near_m) {
                    "near"
                } else {
                    "not near"
                }
            ));
            if settings.truths == Truths::Anywhere {
                log(format!(
                    "case {}: truth {} min, seen noise-free at {} of {} results; the group's start interval {}, \
                     mass interval {}",
                    out.draws,
                    case.truth.duration.seconds() / 60,
                    case.n_seen,
                    case.observations.len(),
                    side(t as f64, group.start_s.map(|s| s as f64)),
                    side(case.truth.mass_kg, group.mass_kg),
                ));
            }
        }
        if matches!(settings.prior, Prior::Anywhere { .. }) && near(top.place.location) {
            let around: Vec<super::Candidate> = id
                .candidates
                .iter()
                .filter(|c| within_m(c.place.location, top.place.location).is_some_and(|d| d <= near_m))
                .cloned()
                .collect();
            let start = super::published::mixture(&around, &|c| c.start_s.map(|s| s as f64));
            let mass = super::published::mixture(&around, &|c| c.mass_kg);
            out.start_in_mixed += usize::from(start[0] <= t as f64 && t as f64 <= start[2]);
            out.mass_in_mixed += usize::from(mass[0] <= case.truth.mass_kg && case.truth.mass_kg <= mass[2]);
            log(format!(
                "case {}: over {} places within a spacing of the first: start {start:.0?}, mass {mass:.1?}",
                out.draws,
                around.len()
            ));
        }
        let Some(mine) = mine else {
            continue;
        };
        out.start_in += usize::from(mine.start_s[0] <= t && t <= mine.start_s[2]);
        out.mass_in += usize::from(mine.mass_kg[0] <= case.truth.mass_kg && case.truth.mass_kg <= mine.mass_kg[2]);
        out.start_errors_min.push((mine.start_s[1] - t).abs() as f64 / 60.0);
        out.mass_factors_ln
            .push((mine.mass_kg[1] / case.truth.mass_kg).ln().abs());
        let nodes: String = id
            .dispersion_nodes
            .iter()
            .map(|n| match n.discharge_factor {
                None => format!(" ×{:.2}:{:.3}", n.factor, n.probability),
                Some(q) => format!(" ×{:.2}/×{q:.3}:{:.3}", n.factor, n.probability),
            })
            .collect();
        log(format!(
            "case {}: truth {} {} {:.1} kg at {} ({} min); top {} p={:.3}, start {:?}, mass {:.1?}{}; in {:.2} s",
            out.draws,
            truth_label,
            scenario.pollutants[case.truth.pollutant].id,
            case.truth.mass_kg,
            t,
            case.truth.duration.seconds() / 60,
            top.place.label,
            top.probability,
            mine.start_s,
            mine.mass_kg,
            if nodes.is_empty() {
                String::new()
            } else {
                format!("; dispersion{nodes}")
            },
            out.identification_s.last().copied().unwrap_or(f64::NAN)
        ));
    }
    out
}

/// Scores the most probable group against the truth at `location`: near it within
/// `near_m`, and its intervals.
fn judge_group(
    out: &mut Series,
    scenario: &Scenario,
    group: &super::Group,
    truth: &TrueRelease,
    location: Location,
    near_m: f64,
) {
    let t = truth.start.seconds();
    let start_in = group.start_s[0] <= t && t <= group.start_s[2];
    let mass_in = group.mass_kg[0] <= truth.mass_kg && truth.mass_kg <= group.mass_kg[2];
    let near = group.holds(scenario, location, near_m);
    out.group_first += usize::from(near);
    out.group_start_in += usize::from(start_in);
    out.group_mass_in += usize::from(mass_in);
    out.group_first_start_in += usize::from(near && start_in);
    out.group_first_mass_in += usize::from(near && mass_in);
    out.group_probability.push(group.probability);
    out.group_length_m.push(group.length_m());
}

/// Where `truth` lies against the interval `[low, median, high]`: in it, or the interval
/// above or below it.
fn side(truth: f64, interval: [f64; 3]) -> &'static str {
    if truth < interval[0] {
        "above the truth"
    } else if truth > interval[2] {
        "below the truth"
    } else {
        "holds the truth"
    }
}

/// How far apart two places are [m] where that is plain: along one reach, or zero at one
/// node or lake cell; `None` otherwise.
fn within_m(a: Location, b: Location) -> Option<f64> {
    match (a, b) {
        (
            Location::Reach { reach, chainage_m },
            Location::Reach {
                reach: other,
                chainage_m: at,
            },
        ) if reach == other => Some((chainage_m - at).abs()),
        _ => (a == b).then_some(0.0),
    }
}

/// Which of `observations` the release `truth` alone reads above the detection limit at
/// (noise-free, from the unit responses).
fn seen_at(responses: &Responses, truth: &TrueRelease, observations: &[Observation]) -> Vec<bool> {
    let Some(p) = responses.places.iter().position(|p| p.source == Some(truth.source)) else {
        return vec![false; observations.len()];
    };
    let Some(k) = responses.places[p]
        .pollutants
        .iter()
        .position(|q| *q == truth.pollutant)
    else {
        return vec![false; observations.len()];
    };
    observations
        .iter()
        .map(|o| {
            let Some(l) = responses.kept_index(o.location) else {
                return false;
            };
            o.pollutant == truth.pollutant
                && truth.mass_kg
                    * responses.place_units(p)[k][l].response(
                        (o.taken_at - truth.start).as_secs_f64(),
                        truth.duration.as_secs_f64(),
                        responses.output_step_s() as f64,
                    )
                    >= o.detection_limit_mg_l
        })
        .collect()
}

/// The median of `values` (NaN when empty).
pub fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// What a series of cases identified with `--sources 2` measured.
pub struct TwoSeries {
    /// How many releases each case's truth has (1 or 2).
    pub truth_sources: usize,
    pub cases: usize,
    pub draws: u64,
    pub undetected: usize,
    /// Two releases: the true pair of sources ranks first among the pairs.
    pub pair_first: usize,
    /// One release: the true source ranks first among the single places.
    pub source_first: usize,
    /// One against two decided right (the posterior of two releases above one half when
    /// there were two, below when there was one).
    pub model_right: usize,
    /// The posterior probability of two releases, per case.
    pub p_two: Vec<f64>,
    /// Releases whose pair was listed, and how many of them had their start and mass
    /// in the 90 % intervals (two-sided, over all the release's releases, whether or not
    /// the results see it).
    pub releases_assessed: usize,
    pub start_in: usize,
    pub mass_in: usize,
    /// The releases assessed that the identification reports as seen
    /// ([`super::Sighting::seen`]): start and mass in their 90 % intervals.
    pub seen: Coverage,
    /// Those it reports as not seen: `mass_in` counts the mass at or below the 90 % upper
    /// bound; the start is not judged (`start_in` stays 0).
    pub unseen: Coverage,
    /// The same releases (split as `seen` and `unseen`) judged by the intervals over the
    /// releases seen only, as reported before 2026-12-04.
    pub seen_before: Coverage,
    pub unseen_before: Coverage,
    /// The releases assessed by `[read above a limit at some result, noise-free][reported
    /// seen]` (0: no, 1: yes).
    pub truth_by_reported: [[usize; 2]; 2],
    pub start_errors_min: Vec<f64>,
    pub mass_factors_ln: Vec<f64>,
    pub unit_responses_s: f64,
    pub identification_s: Vec<f64>,
    /// Two releases, by how many results the less seen of the two reads above a detection
    /// limit at (noise-free; 0, 1–2, 3 or more): cases, true pair first, two judged more
    /// probable.
    pub by_seen: [SeenClass; 3],
}

/// Releases judged, and how many held the truth in their start and mass intervals.
#[derive(Clone, Copy, Debug, Default)]
pub struct Coverage {
    pub releases: usize,
    pub start_in: usize,
    pub mass_in: usize,
}

/// The two-release cases whose less seen release reads above a detection limit at a
/// number of results in one range.
#[derive(Clone, Copy, Debug, Default)]
pub struct SeenClass {
    pub cases: usize,
    pub pair_first: usize,
    pub two_judged: usize,
}

impl TwoSeries {
    /// The ranges of [`TwoSeries::by_seen`], as labels.
    pub const SEEN_CLASSES: [&'static str; 3] = ["0", "1-2", ">=3"];
}

/// The first `n_cases` detectable cases with `truth_sources` releases (1: the series of
/// [`series`], seeds 1, 2, …; 2: [`draw_two`], seeds from 1 000 001), each identified
/// with the defaults and `--sources 2`. `clock` and `log` as for [`series`].
pub fn series_two(
    scenario: &Scenario,
    n_cases: usize,
    truth_sources: usize,
    clock: &dyn Fn() -> f64,
    log: &mut dyn FnMut(String),
) -> TwoSeries {
    series_two_of(scenario, n_cases, truth_sources, None, clock, log)
}

/// The request the two-release series weighs a case with: the series' durations and
/// regime, the 12 h outlook, 100 draws seeded by the case, two releases.
pub fn two_release_request(
    scenario: &Scenario,
    settings: &CaseSettings,
    observations: Vec<Observation>,
    seed: u64,
) -> IdentifyRequest {
    IdentifyRequest {
        durations: settings.durations.clone(),
        regime: settings.regime,
        outlook: SimDuration::from_hours(TWO_RELEASE_OUTLOOK_H),
        draws: 100,
        seed,
        sources: 2,
        ..IdentifyRequest::new(scenario, observations)
    }
}

/// The outlook of the two-release series' identifications [h].
pub const TWO_RELEASE_OUTLOOK_H: i64 = 12;

/// The unit responses the two-release series weighs with: every risk source's release of
/// each of its chemicals, read at the scenario's named points, over the results' span, a
/// start window for the later release and the outlook's 12 h.
pub fn two_release_responses(scenario: &Scenario, settings: &CaseSettings) -> Result<Responses, String> {
    let outlook = SimDuration::from_hours(TWO_RELEASE_OUTLOOK_H);
    let mut pollutants: Vec<usize> = scenario
        .risk_sources
        .iter()
        .flat_map(|s| s.chemicals.iter().map(|c| c.pollutant))
        .collect();
    pollutants.sort_unstable();
    pollutants.dedup();
    let locations: Vec<Location> = scenario.points.iter().map(|p| p.location).collect();
    // Two releases: the later may start a start window after the first.
    let horizon = (settings.last_result_by() + settings.start_window + outlook) - SimTime::ZERO;
    Responses::build(
        scenario,
        Prior::Inventory,
        &pollutants,
        &locations,
        settings.regime,
        horizon,
    )
}

/// As [`series_two`], identifying only the cases whose seed is in `only` (when given): the
/// same cases as the full series draws, for timing or profiling the slow ones on their own.
/// The series ends once every seed of `only` is past.
pub fn series_two_of(
    scenario: &Scenario,
    n_cases: usize,
    truth_sources: usize,
    only: Option<&[u64]>,
    clock: &dyn Fn() -> f64,
    log: &mut dyn FnMut(String),
) -> TwoSeries {
    let settings = CaseSettings::for_scenario(scenario);
    let began = clock();
    let responses = two_release_responses(scenario, &settings).unwrap();
    let mut out = TwoSeries {
        truth_sources,
        cases: 0,
        draws: 0,
        undetected: 0,
        pair_first: 0,
        source_first: 0,
        model_right: 0,
        p_two: Vec::new(),
        releases_assessed: 0,
        start_in: 0,
        mass_in: 0,
        seen: Coverage::default(),
        unseen: Coverage::default(),
        seen_before: Coverage::default(),
        unseen_before: Coverage::default(),
        truth_by_reported: [[0; 2]; 2],
        start_errors_min: Vec::new(),
        mass_factors_ln: Vec::new(),
        unit_responses_s: clock() - began,
        identification_s: Vec::new(),
        by_seen: [SeenClass::default(); 3],
    };
    let seed_base = if truth_sources == 2 { 1_000_000 } else { 0 };
    let last_seed = only.map(|seeds| seeds.iter().copied().max().unwrap_or(0));
    while out.cases < n_cases {
        out.draws += 1;
        assert!(out.draws < 20 * n_cases as u64 + 100, "too few detectable cases");
        let seed = seed_base + out.draws;
        if let (Some(seeds), Some(last)) = (only, last_seed) {
            if seed > last {
                break;
            }
            if !seeds.contains(&seed) {
                continue;
            }
        }
        let (truths, observations) = if truth_sources == 2 {
            match draw_two(scenario, &settings, seed).unwrap() {
                Some(c) => (c.truths.to_vec(), c.observations),
                None => {
                    out.undetected += 1;
                    continue;
                }
            }
        } else {
            match draw(scenario, &settings, seed).unwrap() {
                Some(c) => (vec![c.truth], c.observations),
                None => {
                    out.undetected += 1;
                    continue;
                }
            }
        };
        let request = two_release_request(scenario, &settings, observations, seed);
        let began = clock();
        let Ok(id) = super::identify_with(scenario, &responses, &request) else {
            out.undetected += 1;
            continue;
        };
        out.identification_s.push(clock() - began);
        log(format!(
            "case {seed}: identified in {:.2} s, {} pairs weighed",
            clock() - began,
            id.two.as_ref().map_or(0, |t| t.n_pairs_weighed)
        ));
        out.cases += 1;
        let Some(two) = &id.two else {
            panic!("--sources 2 gave no two-release answer");
        };
        out.p_two.push(two.p_two);
        let ids: Vec<&str> = truths
            .iter()
            .map(|t| scenario.risk_sources[t.source].id.as_str())
            .collect();
        if truth_sources == 1 {
            out.source_first += usize::from(id.candidates[0].place.label == ids[0]);
            out.model_right += usize::from(two.p_two < 0.5);
            log(format!(
                "case {seed}: truth {}; top {} p={:.3}; p(two) {:.3}",
                ids[0], id.candidates[0].place.label, id.candidates[0].probability, two.p_two
            ));
            continue;
        }
        out.model_right += usize::from(two.p_two >= 0.5);
        let is_truth = |pair: &super::PairCandidate| {
            let labels = [
                pair.releases[0].place.label.as_str(),
                pair.releases[1].place.label.as_str(),
            ];
            labels.contains(&ids[0]) && labels.contains(&ids[1])
        };
        out.pair_first += usize::from(is_truth(&two.pairs[0]));
        let top = &two.pairs[0];
        let seen: Vec<Vec<bool>> = truths
            .iter()
            .map(|t| seen_at(&responses, t, &request.observations))
            .collect();
        let shared = seen[0].iter().zip(&seen[1]).filter(|(a, b)| **a && **b).count();
        let fewer_seen = seen.iter().map(|s| s.iter().filter(|s| **s).count()).min().unwrap_or(0);
        let class = &mut out.by_seen[match fewer_seen {
            0 => 0,
            1 | 2 => 1,
            _ => 2,
        }];
        class.cases += 1;
        class.pair_first += usize::from(is_truth(&two.pairs[0]));
        class.two_judged += usize::from(two.p_two >= 0.5);
        let rank = |label: &str| {
            id.candidates
                .iter()
                .position(|c| c.place.label == label)
                .map_or(format!(">{}", id.candidates.len()), |r| (r + 1).to_string())
        };
        let ln_z_true = two
            .weighed
            .iter()
            .find(|w| w.places.contains(&ids[0].to_string()) && w.places.contains(&ids[1].to_string()))
            .map(|w| w.ln_evidence);
        let ln_z_top = two
            .weighed
            .iter()
            .map(|w| w.ln_evidence)
            .fold(f64::NEG_INFINITY, f64::max);
        log(format!(
            "case {seed}: truth {} ({}, {:.1} kg, {} min, seen at {}, single rank {}) + {} ({}, {:.1} kg, {} min, \
             seen at {}, single rank {}), both seen at {shared}; top {} + {} p={:.3}; p(two) {:.3}; \
             ln Z true pair {}, top pair {:.1}, ln Z1 {:.1}, ln Z2 {:.1} (ln n_pairs {:.1}, ln n_places {:.1})",
            ids[0],
            scenario.pollutants[truths[0].pollutant].id,
            truths[0].mass_kg,
            truths[0].duration.seconds() / 60,
            seen[0].iter().filter(|s| **s).count(),
            rank(ids[0]),
            ids[1],
            scenario.pollutants[truths[1].pollutant].id,
            truths[1].mass_kg,
            truths[1].duration.seconds() / 60,
            seen[1].iter().filter(|s| **s).count(),
            rank(ids[1]),
            top.releases[0].place.label,
            top.releases[1].place.label,
            top.probability,
            two.p_two,
            ln_z_true.map_or("not weighed".to_string(), |z| format!("{z:.1}")),
            ln_z_top,
            two.ln_evidence_one,
            two.ln_evidence_one + two.ln_bayes_factor,
            (two.n_pairs as f64).ln(),
            (id.n_places as f64).ln(),
        ));
        let Some(pair) = two.pairs.iter().find(|p| is_truth(p)) else {
            continue;
        };
        for (truth, truth_seen) in truths.iter().zip(&seen) {
            let id = &scenario.risk_sources[truth.source].id;
            let Some(r) = pair.releases.iter().position(|r| r.place.label == *id) else {
                continue;
            };
            let mine = &pair.releases[r];
            let Some(sighting) = mine.sighting else {
                panic!("a release of a pair without its sighting");
            };
            out.releases_assessed += 1;
            let t = truth.start.seconds();
            let holds = |start: &[i64; 3], mass: &[f64; 3]| {
                (
                    start[0] <= t && t <= start[2],
                    mass[0] <= truth.mass_kg && truth.mass_kg <= mass[2],
                )
            };
            let (start_in, mass_in) = holds(&mine.start_s, &mine.mass_kg);
            let (start_before, mass_before) = holds(&pair.seen_only_intervals[r].0, &pair.seen_only_intervals[r].1);
            out.start_in += usize::from(start_in);
            out.mass_in += usize::from(mass_in);
            let (now, before) = if sighting.seen {
                (&mut out.seen, &mut out.seen_before)
            } else {
                (&mut out.unseen, &mut out.unseen_before)
            };
            now.releases += 1;
            before.releases += 1;
            before.start_in += usize::from(start_before);
            before.mass_in += usize::from(mass_before);
            if sighting.seen {
                now.start_in += usize::from(start_in);
                now.mass_in += usize::from(mass_in);
            } else {
                now.mass_in += usize::from(truth.mass_kg <= sighting.mass_upper_kg);
            }
            out.truth_by_reported[usize::from(truth_seen.contains(&true))][usize::from(sighting.seen)] += 1;
            out.start_errors_min.push((mine.start_s[1] - t).abs() as f64 / 60.0);
            out.mass_factors_ln.push((mine.mass_kg[1] / truth.mass_kg).ln().abs());
            log(format!(
                "case {seed}: {id} start {t} in {:?} (seen only {:?}), mass {:.1} kg in {:.1?} (seen only {:.1?}); \
                 reported {}, p(seen) {:.3}, mass 90 % upper bound {:.1} kg",
                mine.start_s,
                pair.seen_only_intervals[r].0,
                truth.mass_kg,
                mine.mass_kg,
                pair.seen_only_intervals[r].1,
                if sighting.seen { "seen" } else { "not seen" },
                sighting.p_seen,
                sighting.mass_upper_kg
            ));
        }
    }
    out
}
