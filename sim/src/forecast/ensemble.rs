//! The forecast ensemble (`tripoint forecast --spread`): the forecast run for members that
//! each draw a dispersion, a flow and a released mass around the scenario's, and every
//! intake and border section's arrival, peak and time over the limit as P10/P50/P90.
//! The quantiles are the same as those of source identification's outlook ([`Quantiles`]).

use super::{Forecast, ForecastError, ForecastRequest, PointForecast, Reading};
use crate::kernel::standard_normal;
use crate::scenario::{PointKind, Scenario};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;

/// Most members of an ensemble: each is a whole forecast run.
pub const MEMBERS_MAX: usize = 1000;
/// Largest log-standard deviation of an input [-]: e³ ≈ 20, so ±2 sd is already a factor
/// of 400 either way, beyond any input the model is meant for.
pub const LOG_SD_MAX: f64 = 3.0;

/// How widely each uncertain input is drawn: the standard deviation of its natural
/// logarithm. Every factor is log-normal with median 1 (the scenario's value); zero
/// keeps the scenario's value in every member.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct InputSpread {
    /// Multiplier on the dispersion coefficient the formula gives [-].
    pub dispersion_log_sd: f64,
    /// Multiplier on every reach's discharge in every regime [-].
    pub flow_log_sd: f64,
    /// Multiplier on every release's mass [-].
    pub mass_log_sd: f64,
}

impl Default for InputSpread {
    /// The defaults of docs/forecast-json.md ("ensemble"), where their reasons are given.
    fn default() -> Self {
        InputSpread {
            dispersion_log_sd: 0.8,
            flow_log_sd: 0.2,
            mass_log_sd: 0.3,
        }
    }
}

/// What ensemble to run.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct EnsembleRequest {
    /// Number of members, 1 to [`MEMBERS_MAX`].
    pub members: usize,
    /// Seed of the members' draws: member `i` draws from stream `i` of a ChaCha8
    /// generator seeded with it, so a member's inputs do not depend on threads.
    pub seed: u64,
    pub spread: InputSpread,
}

/// Why an ensemble request was refused.
#[derive(Clone, Debug, PartialEq)]
pub enum EnsembleInputError {
    Members(usize),
    LogSd { input: &'static str, value: f64 },
}

impl std::fmt::Display for EnsembleInputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EnsembleInputError::Members(n) => {
                write!(f, "the ensemble needs from 1 to {MEMBERS_MAX} members, got {n}")
            }
            EnsembleInputError::LogSd { input, value } => write!(
                f,
                "the {input} spread (a log-standard deviation) must be from 0 to {LOG_SD_MAX}, got {value}"
            ),
        }
    }
}

impl std::error::Error for EnsembleInputError {}

impl EnsembleRequest {
    /// Checks the member count and every spread.
    pub fn check(&self) -> Result<(), EnsembleInputError> {
        if !(1..=MEMBERS_MAX).contains(&self.members) {
            return Err(EnsembleInputError::Members(self.members));
        }
        let spreads = [
            ("dispersion", self.spread.dispersion_log_sd),
            ("flow", self.spread.flow_log_sd),
            ("mass", self.spread.mass_log_sd),
        ];
        for (input, value) in spreads {
            if !(value.is_finite() && (0.0..=LOG_SD_MAX).contains(&value)) {
                return Err(EnsembleInputError::LogSd { input, value });
            }
        }
        Ok(())
    }

    /// The inputs of member `member`: three standard normals drawn in a fixed order from
    /// the member's own stream, whatever the spreads, so that widening one spread
    /// stretches the same draws and leaves the other inputs as they were.
    pub fn member(&self, member: usize) -> MemberInputs {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        rng.set_stream(member as u64);
        let z = [(); 3].map(|_| standard_normal(&mut rng));
        MemberInputs {
            dispersion_factor: (self.spread.dispersion_log_sd * z[0]).exp(),
            flow_factor: (self.spread.flow_log_sd * z[1]).exp(),
            mass_factor: (self.spread.mass_log_sd * z[2]).exp(),
        }
    }
}

/// The multipliers one member applies to the scenario's inputs [-].
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct MemberInputs {
    pub dispersion_factor: f64,
    pub flow_factor: f64,
    pub mass_factor: f64,
}

impl MemberInputs {
    /// The scenario and request of this member. Flow scales every reach's discharge in
    /// every regime alike ([`scale_discharge`]).
    pub fn apply(&self, scenario: &Scenario, request: &ForecastRequest) -> (Scenario, ForecastRequest) {
        let mut scenario = scenario.clone();
        scenario.settings.dispersion_factor *= self.dispersion_factor;
        scale_discharge(&mut scenario, self.flow_factor);
        let mut request = request.clone();
        request.journal = false;
        for release in &mut request.releases {
            release.mass_kg *= self.mass_factor;
        }
        (scenario, request)
    }
}

/// Multiplies every reach's discharge in every regime by `factor`, so junctions and lakes
/// stay balanced; velocity follows as discharge over the fixed cross-section, and the
/// formula's dispersion follows the velocity. A factor of exactly 1 changes nothing
/// (x · 1 = x in floating point). The one place a discharge factor is applied: the
/// ensemble's members, the identification's discharge lattice and its validation's truth.
pub fn scale_discharge(scenario: &mut Scenario, factor: f64) {
    for reach in &mut scenario.reaches {
        for q in &mut reach.discharge_m3_s {
            *q *= factor;
        }
    }
}

/// P10, P50 and P90 over members (an ensemble's, or the releases identification draws
/// from its posterior), and the shares that arrive and go over the limit.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Quantiles {
    /// Share of the members in which the plume reaches the point (above the detection
    /// limit) before the run ends.
    pub p_reach: f64,
    /// Share in which it goes over the limit.
    pub p_over_limit: f64,
    /// Arrival (leading edge) P10, P50, P90 [s]; `None` where that quantile does not
    /// arrive before the run ends.
    pub arrival_s: [Option<i64>; 3],
    /// Peak concentration P10, P50, P90 [mg/L] (zero where it does not arrive).
    pub peak_mg_l: [f64; 3],
    /// Time over the limit P10, P50, P90 [s].
    pub over_limit_s: [i64; 3],
}

impl Quantiles {
    /// The quantiles of the readings by nearest rank (each quantile is one member's
    /// figure, never interpolated); `None` for no readings. A member that never arrives
    /// ranks after every arrival.
    pub fn of(readings: &[Reading]) -> Option<Quantiles> {
        let n = readings.len();
        if n == 0 {
            return None;
        }
        let mut arrivals: Vec<i64> = readings.iter().map(|r| r.leading_edge_s.unwrap_or(i64::MAX)).collect();
        let mut peaks: Vec<f64> = readings.iter().map(|r| r.peak_mg_l).collect();
        let mut over: Vec<i64> = readings.iter().map(|r| r.over_limit_duration_s).collect();
        arrivals.sort_unstable();
        peaks.sort_by(f64::total_cmp);
        over.sort_unstable();
        let q = [0.1, 0.5, 0.9].map(|q| nearest_rank(n, q));
        let n_over = readings.iter().filter(|r| r.over_limit_from_s.is_some()).count();
        Some(Quantiles {
            p_reach: arrivals.iter().filter(|a| **a != i64::MAX).count() as f64 / n as f64,
            p_over_limit: n_over as f64 / n as f64,
            arrival_s: q.map(|i| (arrivals[i] != i64::MAX).then_some(arrivals[i])),
            peak_mg_l: q.map(|i| peaks[i]),
            over_limit_s: q.map(|i| over[i]),
        })
    }
}

/// Index of the `q` quantile of `n` sorted values (nearest rank).
pub fn nearest_rank(n: usize, q: f64) -> usize {
    ((q * n as f64).ceil() as usize).clamp(1, n) - 1
}

/// One intake or border section over the ensemble.
#[derive(Clone, Debug, Serialize)]
pub struct EnsemblePoint {
    pub point: String,
    pub name: String,
    pub kind: PointKind,
    pub pollutant: String,
    pub limit_mg_l: f64,
    /// With the scenario's inputs (the main forecast).
    pub central: Reading,
    #[serde(flatten)]
    pub quantiles: Quantiles,
}

/// The ensemble's result.
#[derive(Clone, Debug, Serialize)]
pub struct Ensemble {
    pub members: usize,
    pub seed: u64,
    pub spread: InputSpread,
    /// Each member's multipliers, in member order.
    pub inputs: Vec<MemberInputs>,
    /// One entry per intake and border section of the main forecast, in its order.
    pub points: Vec<EnsemblePoint>,
}

/// Runs the ensemble's members side by side on the thread pool and summarises them at
/// every intake and border section of `central` (the forecast with the scenario's inputs).
/// Each member is a whole forecast of its own scenario; only its readings at those points
/// are kept. The result does not depend on the number of threads: every member's inputs
/// come from its own stream and the members are collected in order.
pub fn run(
    scenario: &Scenario,
    request: &ForecastRequest,
    central: &Forecast,
    ensemble: &EnsembleRequest,
) -> Result<Ensemble, ForecastError> {
    let targets: Vec<&PointForecast> = central
        .points
        .iter()
        .filter(|p| matches!(p.kind, PointKind::Intake | PointKind::BorderSection))
        .collect();
    let inputs: Vec<MemberInputs> = (0..ensemble.members).map(|m| ensemble.member(m)).collect();
    let readings: Vec<Vec<Reading>> = inputs
        .par_iter()
        .enumerate()
        .map(|(member, inputs)| {
            let (scenario, request) = inputs.apply(scenario, request);
            let forecast = super::run(&scenario, &request).map_err(|e| ForecastError::Member {
                member,
                inputs: *inputs,
                cause: Box::new(e),
            })?;
            Ok(targets
                .iter()
                .map(|t| {
                    forecast
                        .points
                        .iter()
                        .find(|p| p.point == t.point && p.pollutant == t.pollutant)
                        .map(Reading::of)
                        .expect("every member forecasts the same points downstream")
                })
                .collect())
        })
        .collect::<Result<_, ForecastError>>()?;
    let points = targets
        .iter()
        .enumerate()
        .map(|(k, t)| {
            let at_point: Vec<Reading> = readings.iter().map(|member| member[k].clone()).collect();
            EnsemblePoint {
                point: t.point.clone(),
                name: t.name.clone(),
                kind: t.kind,
                pollutant: t.pollutant.clone(),
                limit_mg_l: t.limit_mg_l,
                central: Reading::of(t),
                quantiles: Quantiles::of(&at_point).expect("an ensemble has at least one member"),
            }
        })
        .collect();
    Ok(Ensemble {
        members: ensemble.members,
        seed: ensemble.seed,
        spread: ensemble.spread,
        inputs,
        points,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading(arrival: Option<i64>, peak: f64, over_s: i64) -> Reading {
        Reading {
            leading_edge_s: arrival,
            peak_s: arrival,
            peak_mg_l: peak,
            over_limit_from_s: (over_s > 0).then_some(0),
            over_limit_duration_s: over_s,
        }
    }

    #[test]
    fn quantiles_are_members_by_nearest_rank_and_misses_rank_last() {
        // Ten members; the last two never arrive.
        let readings: Vec<Reading> = (0..10)
            .map(|i| reading((i < 8).then_some(100 * i), i as f64, if i >= 5 { 60 } else { 0 }))
            .collect();
        let q = Quantiles::of(&readings).unwrap();
        assert_eq!(q.p_reach, 0.8);
        assert_eq!(q.p_over_limit, 0.5);
        // Ranks 1, 5 and 9 of 10 (indices 0, 4, 8).
        assert_eq!(q.arrival_s, [Some(0), Some(400), None]);
        assert_eq!(q.peak_mg_l, [0.0, 4.0, 8.0]);
        assert_eq!(q.over_limit_s, [0, 0, 60]);
        assert!(Quantiles::of(&[]).is_none());
    }

    #[test]
    fn members_draw_the_same_normals_whatever_the_spread() {
        let request = |spread| EnsembleRequest {
            members: 4,
            seed: 7,
            spread,
        };
        let narrow = request(InputSpread {
            dispersion_log_sd: 0.1,
            flow_log_sd: 0.0,
            mass_log_sd: 0.3,
        });
        let wide = request(InputSpread {
            dispersion_log_sd: 0.4,
            ..narrow.spread
        });
        for m in 0..4 {
            let (a, b) = (narrow.member(m), wide.member(m));
            assert!((b.dispersion_factor.ln() - 4.0 * a.dispersion_factor.ln()).abs() < 1e-12);
            assert_eq!(a.flow_factor, 1.0);
            assert_eq!(a.mass_factor, b.mass_factor);
        }
        assert_ne!(narrow.member(0), narrow.member(1));
    }

    #[test]
    fn bad_requests_are_refused_with_what_is_wrong() {
        let ok = EnsembleRequest {
            members: 50,
            seed: 0,
            spread: InputSpread::default(),
        };
        assert_eq!(ok.check(), Ok(()));
        let zero = EnsembleRequest { members: 0, ..ok };
        assert!(
            zero.check()
                .unwrap_err()
                .to_string()
                .contains("from 1 to 1000 members, got 0")
        );
        let huge = EnsembleRequest {
            members: 1_000_000,
            ..ok
        };
        assert!(huge.check().is_err());
        let negative = EnsembleRequest {
            spread: InputSpread {
                flow_log_sd: -0.1,
                ..ok.spread
            },
            ..ok
        };
        assert!(negative.check().unwrap_err().to_string().contains("flow spread"));
        let nan = EnsembleRequest {
            spread: InputSpread {
                mass_log_sd: f64::NAN,
                ..ok.spread
            },
            ..ok
        };
        assert!(nan.check().is_err());
    }
}
