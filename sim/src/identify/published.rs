//! Published Bayesian river-spill identifications set up again for this identification,
//! so that what is compared with the papers is the product's own code path: a straight
//! reach with the published cross-section and velocity, the published monitoring site as
//! a named point, every place along the reach a candidate (`Prior::Anywhere`), and
//! results at the site weighed by [`super::identify`].
//!
//! The setup is the Fen River crude-benzene spill of 18 January 2017 as Wang, Ji, Li, Wu
//! and Gisen (2023) set it up (docs/domain-sources.md, "Source identification"): 4,320 kg
//! released at once 16,000 m above monitoring site B at 120 min, a 25 m² cross-section,
//! a mean velocity of 2,880 m/h, uniform priors M ∈ [2000, 10000] kg, x0 ∈ [1000, 25000] m,
//! t0 ∈ [50, 720] min. What the readable text does not give — the dispersion coefficient,
//! the sampling times, the measurement noise and the observed series itself — is
//! assumed here, each assumption named in a field's doc and in docs/validation.md. The
//! results are synthetic: the closed-form slug solution (not this crate's transport, so
//! the identification meets the discretisation's error as it would meet a real river's),
//! or this crate's transport (as the papers draw theirs from their own forward model), at
//! the site, from the published true source, with seeded Gaussian noise.

use super::{Candidate, ErrorModel, Identification, IdentifyRequest, Observation, Prior};
use crate::analytic;
use crate::forecast::{self, ForecastRequest};
use crate::hydraulics;
use crate::scenario::{Location, Release, Scenario, SourceText};
use crate::time::{SimDuration, SimTime};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// One published single-release setup on a straight reach with one monitoring site.
#[derive(Clone, Debug)]
pub struct PublishedSetup {
    pub name: &'static str,
    /// Mean velocity [m/s] (published).
    pub velocity_m_s: f64,
    /// Cross-section area [m²] (published); split as `width_m × depth_m`.
    pub area_m2: f64,
    /// Width [m] (assumed: only the area is published; with the dispersion given, the
    /// split matters only through the dispersion formula).
    pub width_m: f64,
    /// Manning's n (assumed), for the dispersion formula.
    pub manning_n: f64,
    /// The true release (published): distance above the monitoring site [m], start,
    /// mass [kg].
    pub distance_m: f64,
    pub start: SimTime,
    pub mass_kg: f64,
    /// Prior of the distance [m] (published); the reach runs this far above the site.
    pub prior_distance_m: (f64, f64),
    /// Prior of the start (published); its lower end is the earliest start weighed.
    pub prior_start: (SimTime, SimTime),
    /// Prior of the mass [kg] (published; the identification's own prior for a place
    /// anywhere is log-uniform over 0.1 kg to 100 t, wider, see docs/validation.md).
    pub prior_mass_kg: (f64, f64),
    /// Samples at the site every `sampling_every` from `sampling_from` to `sampling_to`
    /// (assumed: the published series is a figure only).
    pub sampling_from: SimTime,
    pub sampling_to: SimTime,
    pub sampling_every: SimDuration,
    /// What the results are drawn from.
    pub truth: Truth,
    /// Relative Gaussian noise of each result (assumed).
    pub noise_relative: f64,
    /// The error model the identification weighs the results with (default: the
    /// command's, 10 % measurement and 10 % model error).
    pub error: ErrorModel,
    /// The method's detection limit [mg/L] (assumed).
    pub detection_limit_mg_l: f64,
    /// Candidate places every `spacing_m` along the reach.
    pub spacing_m: f64,
    /// Where the true source lies from the nearest candidate place [m]: 0 puts a candidate
    /// on it, `spacing_m / 2` halfway between two.
    pub truth_off_grid_m: f64,
    /// Transport cells [m].
    pub cell_length_m: f64,
    /// The identification's river moves at this multiple of the true velocity (1: the
    /// right river; otherwise a deliberately wrong model, to see the recovery fail).
    pub model_velocity_factor: f64,
    pub seed: u64,
}

/// Where the synthetic results come from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Truth {
    /// The closed-form slug solution: the identification meets its own discretisation's
    /// error, as a real river would meet it with the model's.
    ClosedForm,
    /// This crate's transport on the identification's own river: the model is exact (as
    /// when a paper draws its synthetic observations from its own forward model).
    Transport,
}

/// Length of reach below the monitoring site [m], so the outlet is far from it.
const TAIL_M: f64 = 5_000.0;

impl PublishedSetup {
    /// This setup with results from the transport itself, without noise, weighed with
    /// 1 % measurement error, no model error and 0.001 mg/L: does the identification
    /// recover its own model's source?
    pub fn models_own_results(self) -> PublishedSetup {
        PublishedSetup {
            truth: Truth::Transport,
            noise_relative: 0.0,
            error: ErrorModel {
                relative: 0.01,
                absolute_mg_l: Some(0.001),
                model: 0.0,
                timing_s: 0.0,
            },
            ..self
        }
    }

    /// The Fen River spill as Wang et al. (2023) set it up, with the assumptions above:
    /// a 50 m × 0.5 m channel with n = 0.035 (the dispersion then from the
    /// Kashefipour–Falconer formula, 34.5 m²/s), samples every 20 min from 4 h to 12 h,
    /// 10 % noise, a detection limit of 0.001 mg/L, candidates every 500 m with one on
    /// the truth.
    pub fn fen_river_2017() -> PublishedSetup {
        PublishedSetup {
            name: "Fen River 2017 (Wang et al. 2023)",
            velocity_m_s: 2_880.0 / 3_600.0,
            area_m2: 25.0,
            width_m: 50.0,
            manning_n: 0.035,
            distance_m: 16_000.0,
            start: SimTime(120 * 60),
            mass_kg: 4_320.0,
            prior_distance_m: (1_000.0, 25_000.0),
            prior_start: (SimTime(50 * 60), SimTime(720 * 60)),
            prior_mass_kg: (2_000.0, 10_000.0),
            sampling_from: SimTime::from_hours(4),
            sampling_to: SimTime::from_hours(12),
            sampling_every: SimDuration::from_minutes(20),
            truth: Truth::ClosedForm,
            noise_relative: 0.10,
            // The absolute error the comparison in docs/validation.md was made with, the
            // assumed detection limit. The product's default since 2026-12-03, a third of
            // it, misses this setup's closed-form truth by 1 km and 25 min: its results
            // near the limit at the plume's edges then weigh more than the 100 m cells'
            // discretisation error there allows (docs/validation.md, "Source
            // identification"). A timing error of 10 min puts the source back at its
            // place under that default, but 10 % light, outside these tests' 5 %.
            error: ErrorModel {
                absolute_mg_l: Some(0.001),
                ..ErrorModel::default()
            },
            detection_limit_mg_l: 0.001,
            spacing_m: 500.0,
            truth_off_grid_m: 0.0,
            cell_length_m: 100.0,
            model_velocity_factor: 1.0,
            seed: 2017,
        }
    }

    pub fn depth_m(&self) -> f64 {
        self.area_m2 / self.width_m
    }

    /// Longitudinal dispersion of the channel [m²/s] (the scenario's default formula on
    /// the assumed channel at the true velocity; held at this value in the model, whatever
    /// its velocity).
    pub fn dispersion_m2_s(&self) -> f64 {
        hydraulics::kashefipour_falconer_m2_s(self.velocity_m_s, self.width_m, self.depth_m(), self.manning_n)
    }

    /// Chainage of the monitoring site [m]: the reach starts the prior's largest distance
    /// above it, shifted so that the truth lies `truth_off_grid_m` from a candidate place
    /// (the places are the middles of `spacing_m` stretches).
    pub fn site_chainage_m(&self) -> f64 {
        let truth_chainage = self.prior_distance_m.1 - self.distance_m;
        let on_grid = ((truth_chainage / self.spacing_m).floor() + 0.5) * self.spacing_m;
        self.prior_distance_m.1 + (on_grid + self.truth_off_grid_m - truth_chainage)
    }

    fn reach_length_m(&self) -> f64 {
        ((self.site_chainage_m() + TAIL_M) / self.spacing_m).ceil() * self.spacing_m
    }

    /// The identification's river: one reach, the monitoring site as a named section.
    pub fn scenario(&self) -> Result<Scenario, String> {
        let discharge = self.velocity_m_s * self.model_velocity_factor * self.area_m2;
        let text = format!(
            r#"
[scenario]
name = "{name}"
default_regime = "steady"
cell_length_m = {cell}
output_step_s = 60

[[jurisdictions]]
id = "river"
name = "River"

[[regimes]]
id = "steady"

[[nodes]]
id = "upstream"
name = "Upstream"
kind = "inflow"
jurisdiction = "river"
lon = 111.0
lat = 35.6

[[nodes]]
id = "downstream"
name = "Downstream"
kind = "outlet"
jurisdiction = "river"
lon = 111.3
lat = 35.6

[[reaches]]
id = "river"
name = "River"
from = "upstream"
to = "downstream"
jurisdiction = "river"
length_m = {length}
width_m = {width}
depth_m = {depth}
manning_n = {manning}
dispersion_m2_s = {dispersion}
discharge_m3_s = {{ steady = {discharge} }}

[[pollutants]]
id = "benzene"
name = "Benzene"
standard_item = "benzene"
detection_limit_mg_l = {detection}

[[points]]
id = "site_b"
name = "Monitoring site B"
kind = "section"
jurisdiction = "river"
reach = "river"
chainage_m = {site}
"#,
            name = self.name,
            cell = self.cell_length_m,
            length = self.reach_length_m(),
            width = self.width_m,
            depth = self.depth_m(),
            manning = self.manning_n,
            dispersion = self.dispersion_m2_s(),
            discharge = discharge,
            detection = self.detection_limit_mg_l,
            site = self.site_chainage_m(),
        );
        Scenario::parse(&SourceText::new("<published>/fen_river.toml", text))
            .map_err(|e| format!("the published setup's scenario is invalid: {e}"))
    }

    /// The results at the site: the truth's concentration (closed form or this crate's
    /// transport), with relative Gaussian noise (floored at zero), below the detection
    /// limit a non-detect.
    pub fn observations(&self, scenario: &Scenario) -> Result<Vec<Observation>, String> {
        let site = scenario.point_idx("site_b").ok_or("the setup's scenario has no site")?;
        let mut times = Vec::new();
        let mut t = self.sampling_from;
        while t <= self.sampling_to {
            times.push(t);
            t = t + self.sampling_every;
        }
        let exact: Vec<f64> = match self.truth {
            Truth::ClosedForm => times
                .iter()
                .map(|t| {
                    analytic::slug_concentration(
                        self.mass_kg * 1000.0,
                        self.area_m2,
                        self.velocity_m_s,
                        self.dispersion_m2_s(),
                        0.0,
                        self.distance_m,
                        (*t - self.start).as_secs_f64(),
                    )
                })
                .collect(),
            Truth::Transport => {
                let release = Release {
                    pollutant: 0,
                    mass_kg: self.mass_kg,
                    location: Location::Reach {
                        reach: 0,
                        chainage_m: self.site_chainage_m() - self.distance_m,
                    },
                    start: self.start,
                    duration: SimDuration::ZERO,
                    note: String::new(),
                };
                let mut request = ForecastRequest::from_scenario(scenario);
                request.releases = vec![release];
                request.horizon = self.sampling_to - SimTime::ZERO + SimDuration::from_hours(1);
                request.journal = false;
                request.until_passed = None;
                let run = forecast::run(scenario, &request).map_err(|e| e.to_string())?;
                let series = &run.series[site];
                times
                    .iter()
                    .map(|t| {
                        let k = series
                            .times
                            .iter()
                            .position(|x| x == t)
                            .ok_or("a sample off the output grid")?;
                        Ok(if series.conc.is_empty() {
                            0.0
                        } else {
                            series.conc_at(0, k)
                        })
                    })
                    .collect::<Result<_, String>>()?
            }
        };
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        Ok(times
            .iter()
            .zip(exact)
            .map(|(t, c)| {
                let noisy = (c * (1.0 + self.noise_relative * standard_normal(&mut rng))).max(0.0);
                Observation {
                    location: scenario.points[site].location,
                    label: scenario.points[site].id.clone(),
                    pollutant: 0,
                    taken_at: *t,
                    value_mg_l: (noisy >= self.detection_limit_mg_l).then_some(noisy),
                    detection_limit_mg_l: self.detection_limit_mg_l,
                }
            })
            .collect())
    }

    /// The request `tripoint identify --prior anywhere --spacing-m SPACING
    /// --durations-min 0 --since START` makes (with the setup's error model), the rest at
    /// its defaults but a one-hour outlook (the reach has no intake or border section to look out for).
    pub fn request(&self, scenario: &Scenario, observations: Vec<Observation>) -> IdentifyRequest {
        let mut request = IdentifyRequest::new(scenario, observations);
        request.prior = Prior::Anywhere {
            spacing_m: self.spacing_m,
        };
        request.since = self.prior_start.0;
        request.durations = vec![SimDuration::ZERO];
        request.outlook = SimDuration::from_hours(1);
        request.error = self.error;
        request
    }

    /// The estimates beside the truth.
    pub fn recovery(&self, identification: &Identification) -> Recovery {
        let site = self.site_chainage_m();
        let distance_of = |c: &Candidate| match c.place.location {
            Location::Reach { chainage_m, .. } => site - chainage_m,
            _ => f64::NAN,
        };
        let candidates = &identification.candidates;
        let listed: f64 = candidates.iter().map(|c| c.probability).sum();
        let mean =
            |f: &dyn Fn(&Candidate) -> f64| candidates.iter().map(|c| c.probability * f(c)).sum::<f64>() / listed;
        let mut by_distance: Vec<(f64, f64)> = candidates.iter().map(|c| (distance_of(c), c.probability)).collect();
        by_distance.sort_by(|a, b| a.0.total_cmp(&b.0));
        let quantile = |q: f64| {
            let mut cumulative = 0.0;
            for (d, p) in &by_distance {
                cumulative += p / listed;
                if cumulative >= q {
                    return *d;
                }
            }
            by_distance.last().map_or(f64::NAN, |x| x.0)
        };
        let top = &candidates[0];
        let minutes = |s: i64| s as f64 / 60.0;
        let truth_place_probability: f64 = candidates
            .iter()
            .filter(|c| {
                (distance_of(c) - self.distance_m).abs() <= self.spacing_m / 2.0 + self.truth_off_grid_m.abs() + 1e-6
            })
            .map(|c| c.probability)
            .sum::<f64>()
            .max(0.0);
        Recovery {
            n_results: identification.fits.len(),
            n_detected: identification.fits.iter().filter(|f| f.value_mg_l.is_some()).count(),
            distance_m: [quantile(0.05), mean(&distance_of), quantile(0.95)],
            top_place_distance_m: distance_of(top),
            top_place_probability: top.probability,
            truth_place_probability,
            start_min: mixture(candidates, &|c: &Candidate| c.start_s.map(minutes)),
            mass_kg: mixture(candidates, &|c: &Candidate| c.mass_kg),
            dispersion_m2_s: self.dispersion_m2_s(),
            n_places: identification.n_places,
            n_nodes: identification.n_nodes,
            n_transport_runs: identification.n_transport_runs,
        }
    }
}

/// What the identification made of a published setup.
#[derive(Clone, Debug)]
pub struct Recovery {
    pub n_results: usize,
    pub n_detected: usize,
    /// Distance of the source above the site [m]: posterior 5 %, mean, 95 % over the places.
    pub distance_m: [f64; 3],
    pub top_place_distance_m: f64,
    pub top_place_probability: f64,
    /// Posterior probability of the stretches of the candidate places nearest the true
    /// source (the one it lies in, or the two either side of it when it lies halfway): of
    /// their places, or with a refinement of the places they were divided into.
    pub truth_place_probability: f64,
    /// Start [min]: 5 %, mean, 95 % over the places (see [`mixture`]).
    pub start_min: [f64; 3],
    /// Mass [kg], the same way.
    pub mass_kg: [f64; 3],
    pub dispersion_m2_s: f64,
    pub n_places: usize,
    pub n_nodes: u64,
    pub n_transport_runs: usize,
}

impl Recovery {
    /// Relative errors of the point estimates against the truth: distance, start, mass.
    pub fn relative_errors(&self, setup: &PublishedSetup) -> [f64; 3] {
        [
            (self.distance_m[1] - setup.distance_m) / setup.distance_m,
            (self.start_min[1] * 60.0 - setup.start.as_secs_f64()) / setup.start.as_secs_f64(),
            (self.mass_kg[1] - setup.mass_kg) / setup.mass_kg,
        ]
    }
}

/// 5 %, mean and 95 % of a quantity over the listed places: each place's distribution
/// is taken as linear between its 5 %, 50 % and 95 % quantiles (and on to 0 and 1 with
/// the slope of the nearer half), the places weighed by their probability; the mean is
/// the probability-weighted mean of the places' medians. An approximation: the
/// identification reports three quantiles per place, not the whole distribution.
pub(super) fn mixture(candidates: &[Candidate], quantiles: &dyn Fn(&Candidate) -> [f64; 3]) -> [f64; 3] {
    let listed: f64 = candidates.iter().map(|c| c.probability).sum();
    let cdf_one = |q: [f64; 3], x: f64| -> f64 {
        let lower_slope = 0.45 / (q[1] - q[0]).max(1e-12);
        let upper_slope = 0.45 / (q[2] - q[1]).max(1e-12);
        let f = if x < q[0] {
            0.05 - (q[0] - x) * lower_slope
        } else if x < q[1] {
            0.05 + (x - q[0]) * lower_slope
        } else if x < q[2] {
            0.5 + (x - q[1]) * upper_slope
        } else {
            0.95 + (x - q[2]) * upper_slope
        };
        f.clamp(0.0, 1.0)
    };
    let cdf = |x: f64| -> f64 {
        candidates
            .iter()
            .map(|c| c.probability * cdf_one(quantiles(c), x))
            .sum::<f64>()
            / listed
    };
    let lo = candidates.iter().map(|c| quantiles(c)[0]).fold(f64::INFINITY, f64::min);
    let hi = candidates
        .iter()
        .map(|c| quantiles(c)[2])
        .fold(f64::NEG_INFINITY, f64::max);
    let span = (hi - lo).max(1e-9);
    let solve = |target: f64| {
        let (mut a, mut b) = (lo - span, hi + span);
        for _ in 0..100 {
            let m = 0.5 * (a + b);
            if cdf(m) < target { a = m } else { b = m }
        }
        0.5 * (a + b)
    };
    let mean = candidates.iter().map(|c| c.probability * quantiles(c)[1]).sum::<f64>() / listed;
    [solve(0.05), mean, solve(0.95)]
}

fn standard_normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = 1.0 - rng.random::<f64>();
    let u2: f64 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}
