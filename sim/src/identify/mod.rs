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
//! it; anywhere else, 0.1 kg to 100 t). With the prior anywhere a place stands for the
//! stretch around it; the most probable stretches and their neighbours are weighed again
//! divided (`Stretch`, [`IdentifyRequest::refine_places_max`]), each part with an equal
//! share of its stretch's prior.
//!
//! Two simultaneous releases are weighed against one in `two.rs` (`--sources 2`).
//!
//! What this does not do yet: three or more releases, flow changes during the incident
//! (the regime is held steady, as for the planner's unit responses).

use crate::forecast;
use crate::forecast::ensemble::{Quantiles, nearest_rank};
use crate::plan;
use crate::scenario::{Location, NodeKind, PointKind, Scenario};
use crate::time::{SimDuration, SimTime};
use crate::transport::plugin::PointSeries;
use crate::transport::unit::{self, CacheUse, RunSeries, UnitRun, UnitSeries, UnitStore};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;
use std::sync::OnceLock;

pub mod cases;
mod groups;
pub mod published;
mod two;

pub use groups::{GROUP_FLOOR, GROUPS_LISTED_MAX, Group, Water, nearest_point};

pub use two::{FIRST_PLACES, PairCandidate, PairQuadratures, TwoSources, WeighedPair};

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

/// How far a result may be from what a hypothesis predicts there: the measurement's
/// error, `relative × concentration` and an absolute part, and the model's, `model ×
/// concentration`, combined in quadrature, the concentration being the hypothesis's.
///
/// The absolute part is by default a third of each result's detection limit: HJ 168-2020
/// sets a method's detection limit at about three standard deviations of low-level
/// replicates (`MDL = t(n−1, 0.99) × S`, t = 3.143 for seven), so a reading of a few times
/// the limit stands out from clean water as far as the method allows. A result that gives
/// no detection limit (zero) takes the pollutant's in the scenario. `absolute_mg_l`
/// overrides this with one figure for every result.
///
/// The model's error in time, `timing_s`, adds `(timing_s × dc/dt)²`, `dc/dt` being how
/// fast the hypothesis's concentration changes at the result: where the model's plume
/// passes a little early or late (its velocity or dispersion not the river's), a result
/// on a steep edge differs from the prediction by far more than a relative error of the
/// predicted concentration allows, and one at the peak's plateau hardly at all.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct ErrorModel {
    /// Measurement error, relative to the concentration.
    pub relative: f64,
    /// Absolute measurement error [mg/L] of every result; `None`: a third of each result's
    /// detection limit.
    pub absolute_mg_l: Option<f64>,
    /// Model error, relative to the concentration.
    pub model: f64,
    /// Model error in the time the plume passes a result's place [s] (a standard
    /// deviation); zero: none.
    pub timing_s: f64,
}

impl Default for ErrorModel {
    fn default() -> Self {
        ErrorModel {
            relative: 0.10,
            absolute_mg_l: None,
            model: 0.10,
            timing_s: 0.0,
        }
    }
}

impl ErrorModel {
    /// The absolute part [mg/L] for a result whose detection limit is
    /// `detection_limit_mg_l` (zero: none given), `pollutant_detection_limit_mg_l` being the
    /// pollutant's in the scenario.
    pub fn absolute_for(&self, detection_limit_mg_l: f64, pollutant_detection_limit_mg_l: f64) -> f64 {
        match self.absolute_mg_l {
            Some(absolute) => absolute,
            None if detection_limit_mg_l > 0.0 => detection_limit_mg_l / 3.0,
            None => pollutant_detection_limit_mg_l / 3.0,
        }
    }
}

/// Where releases may have happened.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Prior {
    /// At the risk sources of the inventory, with the pollutants they hold.
    Inventory,
    /// Anywhere on the network: every reach every `spacing_m` (at the middle of each
    /// stretch) and every lake cell (a lake of one cell as its node), with any measured
    /// pollutant; junctions, inflows and outlets are not candidates.
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
    /// How many simultaneous releases to weigh: 1, or 2 (then one and two are compared).
    pub sources: usize,
    /// With the prior anywhere and one release: how many of the most probable places have
    /// their stretch and its neighbours weighed again every `spacing / 8`
    /// ([`REFINE_DIVISIONS`], [`refined_part_m`]); 0: none.
    pub refine_places_max: usize,
    /// The transport's dispersion taken as unknown, shared by every result
    /// ([`ModelSpread`]); the default: the scenario's dispersion only.
    pub spread: ModelSpread,
}

impl IdentifyRequest {
    /// A request for `observations` with the settings `tripoint identify` uses when none is
    /// given: the inventory as prior, starts every 10 minutes from the scenario's start,
    /// releases at once or over 1 or 3 hours, the scenario's default flow, the default error
    /// model, a 24-hour outlook from 400 draws, seed 0.
    pub fn new(scenario: &Scenario, observations: Vec<Observation>) -> Self {
        IdentifyRequest {
            observations,
            prior: Prior::Inventory,
            since: SimTime::ZERO,
            start_step: SimDuration::from_minutes(10),
            durations: vec![
                SimDuration::ZERO,
                SimDuration::from_hours(1),
                SimDuration::from_hours(3),
            ],
            regime: scenario.settings.default_regime,
            error: ErrorModel::default(),
            outlook: SimDuration::from_hours(24),
            draws: 400,
            seed: 0,
            sources: 1,
            refine_places_max: REFINE_PLACES_MAX,
            spread: ModelSpread::default(),
        }
    }
}

/// The transport model's dispersion and the river's discharge as unknowns of the
/// identification: a factor on the coefficient the scenario's formula gives (as
/// `dispersion_factor` and the forecast's `--spread` apply it) and a factor on every
/// reach's discharge in every regime (as the forecast's `--spread` applies it,
/// [`forecast::ensemble::scale_discharge`]), each the same for every result of the
/// incident, log-normal about 1, independent of each other.
///
/// A per-result error cannot stand for them: a dispersion off by half makes every peak of
/// a case lower and wider together, and a discharge a fifth too high brings the plume to
/// every point earlier by a share of its travel time there, errors of one sign at every
/// result, which the likelihood would otherwise take as 140 independent errors. The
/// factors are weighed on a lattice of nodes (dispersion `k`, discharge `j`), steps of
/// [`FACTOR_STEP_LN`] and [`DISCHARGE_STEP_LN`] in their logs (each node its own unit
/// responses, one transport run per place), within [`FACTOR_NODES_SD`] standard
/// deviations either way, the nodes' evidence summed with their prior weights.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct ModelSpread {
    /// Standard deviation of the natural log of the dispersion factor; 0: the scenario's
    /// dispersion only (one node, no other transport run).
    pub dispersion_log_sd: f64,
    /// Standard deviation of the natural log of the discharge factor; 0: the scenario's
    /// discharge only (not written to JSON then, as before it was weighed).
    #[serde(skip_serializing_if = "is_zero_f64")]
    pub discharge_log_sd: f64,
}

fn is_zero_f64(x: &f64) -> bool {
    *x == 0.0
}

/// Largest `dispersion_log_sd`: the published formulas spread twentyfold (DOMAIN.md,
/// docs/domain-sources.md "Dispersion"), ln 20 ≈ 3, ±1 sd at 1.5.
pub const DISPERSION_LOG_SD_MAX: f64 = 1.5;
/// Largest `discharge_log_sd`: ±1 sd a factor of 1.65 on the discharge, as far as a
/// regime's flow is from the next one's in the scenario; with [`DISCHARGE_STEP_LN`] it
/// fills [`FACTOR_NODES_SIDE_MAX`].
pub const DISCHARGE_LOG_SD_MAX: f64 = 0.5;
/// Step of the dispersion factor's lattice in its natural log (factors ×1.35, ×1.82, …
/// and ×0.74, ×0.55, …). A peak falls about as the square root of the dispersion, so a
/// truth half a step from the nearest node has its peaks within e^0.075 ≈ 8 % of that
/// node's: less than the error model's `model` part (10 %) allows at each result.
pub const FACTOR_STEP_LN: f64 = 0.3;
/// Step of the discharge factor's lattice in its natural log (factors ×1.105, ×1.22, …
/// and ×0.90, ×0.82, …). The discharge moves the plume's time at a point by its share of
/// the travel time, and a travel time of `T` has a passage lasting about `T / √(Pe / 2)`
/// (Pe the Péclet number `u L / D`, some 100 in the zone's reaches): a truth half a step
/// (5 %) from the nearest node passes within about a third of its passage of that node's.
pub const DISCHARGE_STEP_LN: f64 = 0.1;
/// The lattice reaches this many standard deviations either way.
pub const FACTOR_NODES_SD: f64 = 2.0;
/// Nodes are weighed outwards from the scenario's dispersion; a side stops once a node's
/// prior weight times evidence is this far (in ln) below the best node's and below its
/// inner neighbour's: the evidence over the factor is taken to have one mode. The
/// discharge's rows of nodes stop alike, a row counting by its best node.
pub const FACTOR_STOP_LN: f64 = 10.0;
/// Most nodes either side of the scenario's dispersion or discharge
/// (`DISPERSION_LOG_SD_MAX × FACTOR_NODES_SD / FACTOR_STEP_LN`, and the discharge's alike).
pub const FACTOR_NODES_SIDE_MAX: usize = 10;

/// A node whose prior weight is below this share of the centre's is not run: within
/// [`FACTOR_NODES_SD`] standard deviations no node is, but with a small log-sd the first
/// step may already be far out (log-sd 0.05: the dispersion's first node is 6 sd out, its
/// weight e⁻¹⁸ of the centre's).
pub const FACTOR_PRIOR_NEGLIGIBLE: f64 = 1e-4;

/// The most unit runs the lattice may hold at once: candidate places times the lattice's
/// nodes (each node keeps a transport run per place for the session).
pub const FACTOR_PLACE_RUNS_MAX: usize = 10_000;

/// A node of the lattice: `k` steps of [`FACTOR_STEP_LN`] from the scenario's dispersion,
/// `j` steps of [`DISCHARGE_STEP_LN`] from its discharge.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Node {
    pub k: i32,
    pub j: i32,
}

impl Node {
    /// The scenario's own dispersion and discharge.
    pub const CENTRE: Node = Node { k: 0, j: 0 };

    /// Multiplier on the scenario's dispersion [-] (exactly 1 at `k` = 0).
    pub fn dispersion_factor(self) -> f64 {
        factor_of_node(self.k)
    }

    /// Multiplier on every reach's discharge [-] (exactly 1 at `j` = 0).
    pub fn discharge_factor(self) -> f64 {
        if self.j == 0 {
            1.0
        } else {
            (self.j as f64 * DISCHARGE_STEP_LN).exp()
        }
    }
}

impl ModelSpread {
    /// The scenario's dispersion and discharge only.
    pub const OFF: ModelSpread = ModelSpread {
        dispersion_log_sd: 0.0,
        discharge_log_sd: 0.0,
    };

    /// The dispersion alone unknown, with log-sd `dispersion_log_sd`.
    pub fn dispersion(dispersion_log_sd: f64) -> Self {
        ModelSpread {
            dispersion_log_sd,
            discharge_log_sd: 0.0,
        }
    }

    /// Whether the dispersion and the discharge are the scenario's only.
    pub fn is_off(&self) -> bool {
        self.dispersion_side() == 0 && self.discharge_side() == 0
    }

    /// The lattice's nodes either side of the scenario's dispersion.
    pub fn dispersion_side(&self) -> usize {
        nodes_side(self.dispersion_log_sd, FACTOR_STEP_LN)
    }

    /// The lattice's nodes either side of the scenario's discharge.
    pub fn discharge_side(&self) -> usize {
        nodes_side(self.discharge_log_sd, DISCHARGE_STEP_LN)
    }

    /// How many nodes the whole lattice has.
    pub fn lattice_nodes(&self) -> usize {
        (2 * self.dispersion_side() + 1) * (2 * self.discharge_side() + 1)
    }

    /// ln of node `node`'s prior weight: the product of the two log-normals' densities on
    /// the lattice, each normalised over its own nodes.
    pub fn ln_weight(&self, node: Node) -> f64 {
        ln_lattice_weight(node.k, self.dispersion_side(), self.dispersion_log_sd, FACTOR_STEP_LN)
            + ln_lattice_weight(node.j, self.discharge_side(), self.discharge_log_sd, DISCHARGE_STEP_LN)
    }

    /// Whether `node`'s prior weight is below [`FACTOR_PRIOR_NEGLIGIBLE`] of the centre's
    /// (then it is not run).
    pub fn negligible(&self, node: Node) -> bool {
        self.ln_weight(node) - self.ln_weight(Node::CENTRE) < FACTOR_PRIOR_NEGLIGIBLE.ln()
    }

    /// Checks the spread.
    pub fn check(&self) -> Result<(), String> {
        let within = |sd: f64, max: f64| sd.is_finite() && (0.0..=max).contains(&sd);
        let (sd, sq) = (self.dispersion_log_sd, self.discharge_log_sd);
        if !within(sd, DISPERSION_LOG_SD_MAX) {
            return Err(format!(
                "dispersion spread {sd}: give a log-standard deviation from 0 to {DISPERSION_LOG_SD_MAX}"
            ));
        }
        if !within(sq, DISCHARGE_LOG_SD_MAX) {
            return Err(format!(
                "discharge spread {sq}: give a log-standard deviation from 0 to {DISCHARGE_LOG_SD_MAX}"
            ));
        }
        Ok(())
    }
}

/// Nodes either side of a factor's centre for a log-sd `log_sd` and a lattice step
/// `step_ln`: out to [`FACTOR_NODES_SD`] standard deviations, at most
/// [`FACTOR_NODES_SIDE_MAX`].
fn nodes_side(log_sd: f64, step_ln: f64) -> usize {
    if log_sd <= 0.0 {
        return 0;
    }
    ((log_sd * FACTOR_NODES_SD / step_ln).ceil() as usize).min(FACTOR_NODES_SIDE_MAX)
}

/// ln of a log-normal's density at node `i` of a lattice of `side` nodes either side,
/// normalised over them (0 without a side).
fn ln_lattice_weight(i: i32, side: usize, log_sd: f64, step_ln: f64) -> f64 {
    let side = side as i32;
    if side == 0 {
        return 0.0;
    }
    let ln_density = |i: i32| -0.5 * (i as f64 * step_ln / log_sd).powi(2);
    ln_density(i) - log_sum_exp((-side..=side).map(ln_density))
}

/// The dispersion factor of lattice node `k` [-] (exactly 1 at node 0).
pub fn factor_of_node(k: i32) -> f64 {
    if k == 0 { 1.0 } else { (k as f64 * FACTOR_STEP_LN).exp() }
}

/// `scenario` with its formula's dispersion and its discharge multiplied by `node`'s
/// factors (itself at the centre, unchanged bit for bit; either factor left alone at its
/// own centre).
fn scaled(scenario: &Scenario, node: Node) -> Scenario {
    let mut out = scenario.clone();
    if node.k != 0 {
        out.settings.dispersion_factor *= node.dispersion_factor();
    }
    if node.j != 0 {
        forecast::ensemble::scale_discharge(&mut out, node.discharge_factor());
    }
    out
}

/// One node of the lattice, as an identification weighed it.
#[derive(Clone, Debug, Serialize)]
pub struct FactorNode {
    /// Multiplier on the scenario's dispersion [-].
    pub factor: f64,
    /// Multiplier on every reach's discharge [-]; `None` (not in JSON) when the discharge
    /// is not weighed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discharge_factor: Option<f64>,
    /// Prior probability of the node.
    pub prior: f64,
    /// Posterior probability (one release).
    pub probability: f64,
}

/// The posterior of one factor of the lattice (`factor` reads it from a node): each of its
/// values, ascending, with the sum of its nodes' probabilities.
pub fn factor_marginal(nodes: &[FactorNode], factor: fn(&FactorNode) -> f64) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::new();
    for n in nodes {
        let f = factor(n);
        match out.iter_mut().find(|(g, _)| *g == f) {
            Some((_, p)) => *p += n.probability,
            None => out.push((f, n.probability)),
        }
    }
    out.sort_by(|a, b| a.0.total_cmp(&b.0));
    out
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

impl Place {
    /// A place of the prior anywhere at `location`: no risk source, every measured
    /// pollutant, the anywhere mass range.
    fn anywhere(scenario: &Scenario, location: Location, measured: &[usize]) -> Place {
        Place {
            label: scenario.location_label(location),
            source: None,
            location,
            location_label: scenario.location_label(location),
            pollutants: measured.to_vec(),
            mass_range_kg: ANYWHERE_MASS_KG,
        }
    }
}

/// What the results say about one place.
#[derive(Clone, Debug, Serialize)]
pub struct Candidate {
    pub place: Place,
    pub probability: f64,
    /// Most probable pollutant and its probability given the place.
    pub pollutant: String,
    pub pollutant_probability: f64,
    /// Start time: 5 %, 50 %, 95 % quantiles given the place, the outer two widened by the
    /// output step (the resolution of the unit series) [s].
    pub start_s: [i64; 3],
    /// Mass: 5 %, 50 %, 95 % quantiles given the place [kg].
    pub mass_kg: [f64; 3],
    /// Probability of each duration considered, given the place.
    pub durations: Vec<(i64, f64)>,
    /// With two releases only (a release of a pair): whether the results see it, and the
    /// upper bound of its mass (absent for one release).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub sighting: Option<Sighting>,
}

/// Whether the results see a release of a pair (`tripoint identify --sources 2`): the
/// posterior probability, over all its releases (seen or not) given the other release,
/// that it reads above a detection limit at some result. A release not seen is reported
/// by the upper bound of its mass only: below it, or the results would have read it; its
/// start is not told by the results (docs/identify.md, "A release the results do not
/// see").
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Sighting {
    /// Whether the release counts as seen: `p_seen` at least [`SEEN_PROBABILITY_MIN`].
    pub seen: bool,
    /// Posterior probability that the release reads above a detection limit at some
    /// result.
    pub p_seen: f64,
    /// One-sided 90 % upper bound of the mass (the posterior's 90 % quantile) [kg].
    pub mass_upper_kg: f64,
}

/// A release of a pair counts as seen when, weighing all its releases, it more probably
/// than not reads above a detection limit at some result ([`Sighting::p_seen`]).
pub const SEEN_PROBABILITY_MIN: f64 = 0.5;

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

/// Where and when one more sample would most narrow the arrival at the most threatened
/// intake (or border section, where no intake is reached).
#[derive(Clone, Debug, Serialize)]
pub struct NextSampleAdvice {
    /// The point whose arrival the sample is chosen to pin down, and the pollutant.
    pub target_point: String,
    pub target_name: String,
    pub pollutant: String,
    /// Spread (standard deviation over the posterior draws) of the arrival there now [s];
    /// a draw that does not arrive counts as arriving one output step after the outlook.
    pub arrival_sd_s: f64,
    /// The best candidates, best first.
    pub samples: Vec<NextSample>,
}

#[derive(Clone, Debug, Serialize)]
pub struct NextSample {
    pub point: String,
    pub name: String,
    pub taken_at_s: i64,
    /// Share of the draws that would read above the detection limit there and then.
    pub p_detect: f64,
    /// Concentration the draws predict there, P10, P50, P90 [mg/L].
    pub predicted_mg_l: [f64; 3],
    /// Expected spread of the arrival at the target once the sample's result is in [s].
    pub arrival_sd_after_s: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Identification {
    /// Places by posterior probability, highest first (those above 0.1 %, at least five).
    pub candidates: Vec<Candidate>,
    /// With the prior anywhere: the places grouped into stretches of a reach (or lakes),
    /// most probable first, each with its probability and the intervals of the mixture of
    /// its places' posteriors (`groups.rs`); empty with the inventory.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<Group>,
    pub outlook: Vec<Outlook>,
    /// The next sample to take; `None` when no draw reaches an intake or border section.
    pub next_sample: Option<NextSampleAdvice>,
    /// The most probable single release and the results beside its predictions.
    pub best: BestRelease,
    pub fits: Vec<Fit>,
    pub n_places: usize,
    /// With the prior anywhere: stretches weighed again divided into up to
    /// [`REFINE_DIVISIONS`] places (their places are among `n_places`, the stretches'
    /// own middles not).
    #[serde(skip_serializing_if = "is_zero")]
    pub n_refined_stretches: usize,
    /// Inventory sources left out because they hold none of the measured pollutants.
    pub sources_without_measured_pollutants: usize,
    /// Quadrature nodes weighed (pollutant, duration, start bin, mass bin).
    pub n_nodes: u64,
    /// Unit responses: the scenario's own (every place's, made when the responses were
    /// built, counted by every identification that uses them), and those this
    /// identification made at the lattice's other nodes and for divided stretches (a
    /// node's made by an earlier identification on the same responses are not counted
    /// again).
    pub n_transport_runs: usize,
    /// How many of those were read from a cache (not part of the result: a cached run
    /// gives the same numbers).
    #[serde(skip)]
    pub cache: CacheUse,
    pub since_s: i64,
    pub last_result_s: i64,
    pub outlook_end_s: i64,
    pub draws: usize,
    pub error: ErrorModel,
    /// The dispersion taken as unknown ([`ModelSpread`]).
    #[serde(skip_serializing_if = "ModelSpread::is_off")]
    pub spread: ModelSpread,
    /// The dispersion factor's nodes weighed, with their prior and posterior (empty
    /// without a spread).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dispersion_nodes: Vec<FactorNode>,
    /// With `--sources 2`: two simultaneous releases weighed against one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub two: Option<TwoSources>,
    /// The forecast ensemble over time at every intake and border section.
    pub bands: Vec<Band>,
}

/// P10, P50 and P90 of the concentration over the drawn releases, at times from the first
/// result to the end of the outlook.
#[derive(Clone, Debug, Serialize)]
pub struct Band {
    pub point: String,
    pub name: String,
    pub pollutant: String,
    pub limit_mg_l: f64,
    pub times_s: Vec<i64>,
    /// `[P10, P50, P90]` at each time [mg/L].
    pub conc_mg_l: Vec<[f64; 3]>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct BestRelease {
    pub place: String,
    pub pollutant: String,
    pub start_s: i64,
    pub duration_s: i64,
    pub mass_kg: f64,
    /// With the dispersion unknown: the factor on the scenario's dispersion of the node it
    /// is at (the first candidate's place's most probable node); `None` otherwise, and for
    /// a pair's releases (weighed at the node one release finds most probable).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dispersion_factor: Option<f64>,
    /// With the discharge unknown: the factor on every reach's discharge of that node.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discharge_factor: Option<f64>,
}

/// A place's unit series as a hypothesis reads them: `[pollutant][kept location]`.
type Series<'a> = [&'a [UnitSeries]];

fn is_zero(n: &usize) -> bool {
    *n == 0
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
            let mut add = |location: Location| out.push(Place::anywhere(scenario, location, measured));
            for reach in 0..scenario.reaches.len() {
                let (n, stretch) = stretches(scenario, reach, spacing_m);
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

/// How the prior anywhere divides reach `reach`: into this many stretches of this length
/// [m], a candidate place at the middle of each.
fn stretches(scenario: &Scenario, reach: usize, spacing_m: f64) -> (usize, f64) {
    let length_m = scenario.reaches[reach].length_m;
    let n = (length_m / spacing_m).ceil().max(1.0) as usize;
    (n, length_m / n as f64)
}

/// With the prior anywhere, a stretch weighed again is divided into this many parts, each
/// a candidate place at its middle, or fewer where parts would be shorter than the
/// transport's cells (which resolve a release's place only to about a cell).
pub const REFINE_DIVISIONS: usize = 8;
/// The stretches weighed again are those of the most probable places until they hold this
/// share of the posterior (at most [`IdentifyRequest::refine_places_max`] of them), and
/// the stretches next to them.
pub const REFINE_SHARE: f64 = 0.95;
/// About how long the parts of a divided stretch are [m] (a stretch is at most a spacing
/// long): an eighth of the spacing, or a transport cell where that is longer.
pub fn refined_part_m(spacing_m: f64, cell_length_m: f64) -> f64 {
    (spacing_m / REFINE_DIVISIONS as f64).max(cell_length_m)
}

/// Places whose stretches are weighed again by default.
pub const REFINE_PLACES_MAX: usize = 2;

/// A stretch of a reach: the `k`th of those the prior anywhere divides it into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Stretch {
    reach: usize,
    k: usize,
}

impl Stretch {
    /// The stretch a place of the prior anywhere stands for; `None` for a lake.
    fn at(scenario: &Scenario, spacing_m: f64, location: Location) -> Option<Stretch> {
        let Location::Reach { reach, chainage_m } = location else {
            return None;
        };
        let (n, length_m) = stretches(scenario, reach, spacing_m);
        let k = ((chainage_m / length_m).floor().max(0.0) as usize).min(n - 1);
        Some(Stretch { reach, k })
    }

    /// The stretches next to this one: on its reach, and across a junction at either end
    /// the end stretches of the other reaches there. A release just below a confluence lies
    /// between the places of three reaches, none of which need rank first.
    fn neighbours(self, scenario: &Scenario, spacing_m: f64) -> Vec<Stretch> {
        let (n, _) = stretches(scenario, self.reach, spacing_m);
        let mut out = Vec::new();
        if self.k > 0 {
            out.push(Stretch { k: self.k - 1, ..self });
        }
        if self.k + 1 < n {
            out.push(Stretch { k: self.k + 1, ..self });
        }
        let r = &scenario.reaches[self.reach];
        let ends = [(self.k == 0).then_some(r.from), (self.k + 1 == n).then_some(r.to)];
        for node in ends.into_iter().flatten() {
            if !matches!(scenario.nodes[node].kind, NodeKind::Junction) {
                continue;
            }
            for (other, o) in scenario.reaches.iter().enumerate().filter(|(i, _)| *i != self.reach) {
                if o.from == node {
                    out.push(Stretch { reach: other, k: 0 });
                }
                if o.to == node {
                    out.push(Stretch {
                        reach: other,
                        k: stretches(scenario, other, spacing_m).0 - 1,
                    });
                }
            }
        }
        out
    }

    /// Into how many parts the stretch is divided: [`REFINE_DIVISIONS`], or as many as
    /// whole transport cells fit in it (at least one).
    fn parts(self, scenario: &Scenario, spacing_m: f64) -> usize {
        let (_, length_m) = stretches(scenario, self.reach, spacing_m);
        let cells = (length_m / scenario.settings.cell_length_m.max(1.0)).floor() as usize;
        cells.clamp(1, REFINE_DIVISIONS)
    }

    /// The places of the stretch divided into [`Stretch::parts`], each at the middle of its
    /// part, with the pollutants `measured`.
    fn divided(self, scenario: &Scenario, spacing_m: f64, measured: &[usize]) -> Vec<Place> {
        let (_, length_m) = stretches(scenario, self.reach, spacing_m);
        let parts = self.parts(scenario, spacing_m);
        let part_m = length_m / parts as f64;
        (0..parts)
            .map(|j| {
                let location = Location::Reach {
                    reach: self.reach,
                    chainage_m: (length_m * self.k as f64 + part_m * (j as f64 + 0.5)).round(),
                };
                Place::anywhere(scenario, location, measured)
            })
            .collect()
    }
}

/// The stretches to weigh again, divided: those of the most probable `places` (by
/// `probability`) until they hold [`REFINE_SHARE`] or `places_max` of them are taken, and
/// their neighbours, in order. A lake cell counts towards the share but is not divided.
fn stretches_to_refine(
    scenario: &Scenario,
    spacing_m: f64,
    places: &[Place],
    probability: &[f64],
    places_max: usize,
) -> Vec<Stretch> {
    let mut order: Vec<usize> = (0..places.len()).collect();
    order.sort_by(|&a, &b| probability[b].total_cmp(&probability[a]).then(a.cmp(&b)));
    let mut chosen = std::collections::BTreeSet::new();
    let mut held = 0.0;
    for &p in order.iter().take(places_max) {
        if held >= REFINE_SHARE {
            break;
        }
        held += probability[p];
        if let Some(stretch) = Stretch::at(scenario, spacing_m, places[p].location) {
            chosen.insert(stretch);
            chosen.extend(stretch.neighbours(scenario, spacing_m));
        }
    }
    chosen.into_iter().collect()
}

/// Unit responses of every candidate place at a set of places, built once and used for
/// any results taken there (as results come in during an incident, or for many cases).
pub struct Responses {
    pub places: Vec<Place>,
    /// Inventory sources left out because they hold none of the pollutants.
    pub sources_left_out: usize,
    /// The intakes and border sections (indices into the scenario's points).
    outlook_points: Vec<usize>,
    /// Places series are kept for: the outlook points first, then the scenario's other
    /// named points, then the results' other places.
    kept: Vec<Location>,
    /// `[place][pollutant position][kept location]`.
    units: Vec<RunSeries>,
    /// How many of the unit responses were read from a cache and how many were run.
    pub cache: CacheUse,
    regime: usize,
    /// How long after a release the series run.
    pub horizon: SimDuration,
    step_s: i64,
    /// The scenario with the kept places as its points: what a place's unit run needs,
    /// here for the places a refinement adds.
    extended: Scenario,
    /// Each place's unit run, as made for `units`.
    runs: Vec<UnitRun>,
    /// The unit responses at the other nodes of the lattice ([`ModelSpread`]), made the
    /// first time an identification weighs the node: slot [`node_slot`] for a node (the
    /// centre's unused, `units` are its), each `[place][pollutant position][kept
    /// location]` with its cache use.
    factor_units: Vec<OnceLock<NodeUnits>>,
}

/// One node's unit responses (`[place][pollutant position][kept location]`) and the cache
/// use of making them, or why they could not be made.
type NodeUnits = Result<(Vec<RunSeries>, CacheUse), String>;

/// Slots for the lattice's nodes in [`Responses`]: every (dispersion, discharge) pair
/// within [`FACTOR_NODES_SIDE_MAX`] either way.
const LATTICE_SLOTS: usize = (2 * FACTOR_NODES_SIDE_MAX + 1) * (2 * FACTOR_NODES_SIDE_MAX + 1);

/// The slot of `node` among [`LATTICE_SLOTS`]; `None` beyond the lattice.
fn node_slot(node: Node) -> Option<usize> {
    let side = FACTOR_NODES_SIDE_MAX as i32;
    let within = |i: i32| (-side..=side).contains(&i).then_some((i + side) as usize);
    Some(within(node.k)? * (2 * FACTOR_NODES_SIDE_MAX + 1) + within(node.j)?)
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
        Responses::build_cached(scenario, prior, pollutants, locations, regime, horizon, None)
    }

    /// As [`Responses::build`], reading the runs it can from `cache` and writing there the
    /// runs it makes; the series are the same bit for bit.
    pub fn build_cached(
        scenario: &Scenario,
        prior: Prior,
        pollutants: &[usize],
        locations: &[Location],
        regime: usize,
        horizon: SimDuration,
        cache: Option<&dyn UnitStore>,
    ) -> Result<Responses, String> {
        let (places, sources_left_out) = places(scenario, prior, pollutants);
        if places.is_empty() {
            return Err(NO_CANDIDATE.into());
        }
        let outlook_points: Vec<usize> = scenario
            .points
            .iter()
            .enumerate()
            .filter(|(_, p)| matches!(p.kind, PointKind::Intake | PointKind::BorderSection))
            .map(|(i, _)| i)
            .collect();
        let mut extended = scenario.clone();
        extended.points = outlook_points.iter().map(|&i| scenario.points[i].clone()).collect();
        // Then every other named point: where the next sample could be taken.
        extended.points.extend(
            (0..scenario.points.len())
                .filter(|i| !outlook_points.contains(i))
                .map(|i| scenario.points[i].clone()),
        );
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
        let runs: Vec<UnitRun> = places
            .iter()
            .map(|place| UnitRun {
                location: place.location,
                duration: SimDuration::ZERO,
                regime,
                pollutants: place.pollutants.clone(),
            })
            .collect();
        let (units, used) = unit::run_all(&extended, &runs, horizon, cache)?;
        Ok(Responses {
            places,
            sources_left_out,
            outlook_points,
            kept,
            units,
            cache: used,
            regime,
            horizon,
            step_s: scenario.settings.output_step.seconds().max(1),
            extended,
            runs,
            factor_units: (0..LATTICE_SLOTS).map(|_| OnceLock::new()).collect(),
        })
    }

    /// The unit responses at `node` of the lattice (`[place][pollutant position][kept
    /// location]`), run on the first call (reading and writing `cache`; both factors are
    /// part of the scenario a cache key covers: its `Debug` text holds the dispersion
    /// factor and every reach's discharges), the cache use of making them and whether this
    /// call made them (a later call, for another case or newer results, reuses them and
    /// counts neither their runs nor their cache use again). The centre's are `units`,
    /// made when the responses were built, with their cache use.
    fn at_node(&self, node: Node, cache: Option<&dyn UnitStore>) -> Result<(&[RunSeries], CacheUse, bool), String> {
        if node == Node::CENTRE {
            return Ok((&self.units, self.cache, false));
        }
        let slot = node_slot(node)
            .and_then(|i| self.factor_units.get(i))
            .ok_or_else(|| format!("lattice node {node:?} is beyond the lattice"))?;
        let mut made_here = false;
        let made = slot.get_or_init(|| {
            made_here = true;
            unit::run_all(&scaled(&self.extended, node), &self.runs, self.horizon, cache)
        });
        match made {
            Ok((units, used)) if made_here => Ok((units, *used, true)),
            Ok((units, _)) => Ok((units, CacheUse::default(), false)),
            Err(e) => Err(e.clone()),
        }
    }

    /// The unit series of place `place` at node 0 (the scenario's dispersion), for the
    /// validation's own reckoning of what a true release reads.
    pub(crate) fn place_units(&self, place: usize) -> &RunSeries {
        &self.units[place]
    }

    /// Index of `location` among the places series are kept for.
    pub(crate) fn kept_index(&self, location: Location) -> Option<usize> {
        self.kept.iter().position(|l| *l == location)
    }

    pub(crate) fn output_step_s(&self) -> i64 {
        self.step_s
    }

    /// Whether these responses answer results at `locations` up to `horizon` after the
    /// earliest start: every place kept and the series long enough (so a session weighing
    /// new results at places it already has reuses them).
    pub fn covers(&self, locations: &[Location], regime: usize, horizon: SimDuration) -> bool {
        self.regime == regime && horizon <= self.horizon && locations.iter().all(|l| self.kept.contains(l))
    }

    /// Unit responses (one transport run each, made here or read from a cache).
    pub fn n_runs(&self) -> usize {
        self.units.len()
    }
}

/// Identifies the release behind the results: builds the unit responses the request needs
/// and weighs every hypothesis ([`identify_with`]).
pub fn identify(scenario: &Scenario, request: &IdentifyRequest) -> Result<Identification, String> {
    identify_cached(scenario, request, None).map_err(|e| e.to_string())
}

/// As [`identify`], with the unit responses read from and written to `cache`.
pub fn identify_cached(
    scenario: &Scenario,
    request: &IdentifyRequest,
    cache: Option<&dyn UnitStore>,
) -> Result<Identification, IdentifyError> {
    let last = check(request)?;
    let mut measured: Vec<usize> = request.observations.iter().map(|o| o.pollutant).collect();
    measured.sort_unstable();
    measured.dedup();
    let locations: Vec<Location> = request.observations.iter().map(|o| o.location).collect();
    let horizon = SimDuration((last + request.outlook).seconds() - request.since.seconds());
    let n_places = places(scenario, request.prior, &measured).0.len();
    if n_places == 0 {
        return Err(IdentifyError::NoCandidate {
            pollutants: measured.iter().map(|&p| scenario.pollutants[p].id.clone()).collect(),
        });
    }
    lattice_within_bounds(request.spread, n_places).map_err(IdentifyError::LatticeTooLarge)?;
    let responses = Responses::build_cached(
        scenario,
        request.prior,
        &measured,
        &locations,
        request.regime,
        horizon,
        cache,
    )?;
    Ok(identify_with_cached(scenario, &responses, request, cache)?)
}

/// A lattice of factors over more than [`FACTOR_PLACE_RUNS_MAX`] unit runs: what
/// [`identify_cached`] refuses before any run ([`IdentifyError::LatticeTooLarge`]), as
/// data, so that a front end can say it in its person's language; `Display` is the
/// English.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LatticeTooLarge {
    /// The standard deviation of the log of the dispersion factor [-] (0: not weighed).
    pub dispersion_log_sd: f64,
    /// The standard deviation of the log of the discharge factor [-] (0: not weighed).
    pub discharge_log_sd: f64,
    /// Lattice nodes (pairs of factors) weighed for each place.
    pub factors: usize,
    pub n_places: usize,
    /// Transport runs that would be needed: `factors × n_places`.
    pub runs: usize,
}

impl LatticeTooLarge {
    /// Which factors are unknown: the dispersion, the discharge or both.
    pub fn unknown(&self) -> UnknownFactors {
        match (self.dispersion_log_sd > 0.0, self.discharge_log_sd > 0.0) {
            (true, false) => UnknownFactors::Dispersion,
            (false, _) => UnknownFactors::Discharge,
            (true, true) => UnknownFactors::Both,
        }
    }
}

/// The model's factors a lattice weighs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnknownFactors {
    Dispersion,
    Discharge,
    Both,
}

impl std::fmt::Display for LatticeTooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (what, lower) = match self.unknown() {
            UnknownFactors::Dispersion => (
                format!("the dispersion taken as unknown (log-sd {})", self.dispersion_log_sd),
                "--error-dispersion-log-sd",
            ),
            UnknownFactors::Discharge => (
                format!("the discharge taken as unknown (log-sd {})", self.discharge_log_sd),
                "--error-discharge-log-sd",
            ),
            UnknownFactors::Both => (
                format!(
                    "the dispersion and the discharge taken as unknown (log-sd {} and {})",
                    self.dispersion_log_sd, self.discharge_log_sd
                ),
                "--error-dispersion-log-sd or --error-discharge-log-sd",
            ),
        };
        write!(
            f,
            "{what} weighs up to {} factors for each of {} candidate places, {} transport runs, \
             more than the {FACTOR_PLACE_RUNS_MAX} allowed: lower {lower} or take a coarser --spacing-m",
            self.factors, self.n_places, self.runs
        )
    }
}

const NO_CANDIDATE: &str = "no candidate place holds any of the measured pollutants";

/// Why [`identify_cached`] gave no identification.
#[derive(Clone, Debug, PartialEq)]
pub enum IdentifyError {
    /// The lattice of factors is too large for the candidate places, found before any run.
    LatticeTooLarge(LatticeTooLarge),
    /// No candidate place of the prior holds any of these measured pollutants (ids): the
    /// inventory lists no source of them.
    NoCandidate { pollutants: Vec<String> },
    /// The request or the scenario cannot be weighed, said in English.
    Refused(String),
}

impl std::fmt::Display for IdentifyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IdentifyError::LatticeTooLarge(too_large) => too_large.fmt(f),
            IdentifyError::NoCandidate { pollutants } => write!(f, "{NO_CANDIDATE} ({})", pollutants.join(", ")),
            IdentifyError::Refused(reason) => f.write_str(reason),
        }
    }
}

impl std::error::Error for IdentifyError {}

impl From<String> for IdentifyError {
    fn from(reason: String) -> Self {
        IdentifyError::Refused(reason)
    }
}

fn lattice_excess(spread: ModelSpread, n_places: usize) -> Option<LatticeTooLarge> {
    let factors = spread.lattice_nodes();
    (factors > 1 && n_places * factors > FACTOR_PLACE_RUNS_MAX).then_some(LatticeTooLarge {
        dispersion_log_sd: spread.dispersion_log_sd,
        discharge_log_sd: spread.discharge_log_sd,
        factors,
        n_places,
        runs: n_places * factors,
    })
}

/// Refuses a lattice that would hold more than [`FACTOR_PLACE_RUNS_MAX`] unit runs for
/// `n_places` candidate places, before any is run.
fn lattice_within_bounds(spread: ModelSpread, n_places: usize) -> Result<(), LatticeTooLarge> {
    match lattice_excess(spread, n_places) {
        Some(too_large) => Err(too_large),
        None => Ok(()),
    }
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
    if !(1..=2).contains(&request.sources) {
        return Err(format!("{} simultaneous releases: give 1 or 2", request.sources));
    }
    if let Some(absolute) = request.error.absolute_mg_l
        && !(absolute.is_finite() && absolute > 0.0)
    {
        return Err(format!("absolute error {absolute} mg/L: give a positive number"));
    }
    let timing_s = request.error.timing_s;
    if !(timing_s.is_finite() && timing_s >= 0.0) {
        return Err(format!("timing error {timing_s} s: give zero or a positive number"));
    }
    request.spread.check()?;
    Ok(last)
}

/// Weighs every hypothesis against the results with unit responses already built.
pub fn identify_with(
    scenario: &Scenario,
    responses: &Responses,
    request: &IdentifyRequest,
) -> Result<Identification, String> {
    identify_inner(scenario, responses, request, PairQuadratures::Reuse, None)
}

/// As [`identify_with`], the two-release pairs' quadratures made as `quadratures` says
/// (for the validation and the tests: [`PairQuadratures::Recompute`] is the reference the
/// shortcuts are held to; the answers are the same up to rounding).
pub fn identify_with_quadratures(
    scenario: &Scenario,
    responses: &Responses,
    request: &IdentifyRequest,
    quadratures: PairQuadratures,
) -> Result<Identification, String> {
    identify_inner(scenario, responses, request, quadratures, None)
}

/// As [`identify_with`], the unit responses of the places a refinement adds read from and
/// written to `cache`.
pub fn identify_with_cached(
    scenario: &Scenario,
    responses: &Responses,
    request: &IdentifyRequest,
    cache: Option<&dyn UnitStore>,
) -> Result<Identification, String> {
    identify_inner(scenario, responses, request, PairQuadratures::Reuse, cache)
}

fn identify_inner(
    scenario: &Scenario,
    responses: &Responses,
    request: &IdentifyRequest,
    quadratures: PairQuadratures,
    cache: Option<&dyn UnitStore>,
) -> Result<Identification, String> {
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
    // Each place with the pollutants of its that were measured; a hypothesis releasing
    // something nobody measured is not weighed (it would only dilute its place's prior).
    let mut measured: Vec<usize> = observations.iter().map(|o| o.pollutant).collect();
    measured.sort_unstable();
    measured.dedup();
    let mut left_out = responses.sources_left_out;
    let mut places = Vec::new();
    // Each place kept: its index among the responses' places and the positions of its
    // measured pollutants in its run.
    let mut kept_runs: Vec<(usize, Vec<usize>)> = Vec::new();
    for (r, place) in responses.places.iter().enumerate() {
        let ks: Vec<usize> = (0..place.pollutants.len())
            .filter(|&k| measured.contains(&place.pollutants[k]))
            .collect();
        if ks.is_empty() {
            left_out += usize::from(place.source.is_some());
            continue;
        }
        let pollutants: Vec<usize> = ks.iter().map(|&k| place.pollutants[k]).collect();
        // A source's masses run up to its largest release of a measured chemical.
        let mass_range_kg = match place.source {
            Some(i) => {
                let max = scenario.risk_sources[i]
                    .chemicals
                    .iter()
                    .filter(|c| pollutants.contains(&c.pollutant))
                    .map(|c| c.max_release_kg)
                    .fold(0.0, f64::max);
                (max * SOURCE_MASS_LOW_SHARE, max)
            }
            None => place.mass_range_kg,
        };
        places.push(Place {
            pollutants,
            mass_range_kg,
            ..place.clone()
        });
        kept_runs.push((r, ks));
    }
    if places.is_empty() {
        return Err(NO_CANDIDATE.into());
    }
    let outlook_points = &responses.outlook_points;
    let step_s = responses.step_s;
    let grid = Grid::new(request, last, step_s);
    let no_background = vec![0.0; observations.len()];
    let absolute_mg_l: Vec<f64> = observations
        .iter()
        .map(|o| {
            request.error.absolute_for(
                o.detection_limit_mg_l,
                scenario.pollutants[o.pollutant].detection_limit_mg_l,
            )
        })
        .collect();
    let context = Context {
        observations,
        observation_at: &observation_at,
        error: request.error,
        absolute_mg_l: &absolute_mg_l,
        step_s: step_s as f64,
        background: &no_background,
        background_slope: &no_background,
    };
    // With two releases, each place's evidence over its releases seen too (the pairs'
    // quadratures with no result shared reuse it), from the same quadrature.
    let reuse = request.sources == 2 && quadratures == PairQuadratures::Reuse;
    // Each place's evidence at one node of the dispersion's lattice (and over its releases
    // seen, for two releases), for the places `which`.
    let weigh = |which: &[usize], units: &[Vec<&[UnitSeries]>]| -> Vec<(PlaceEvidence, Option<PlaceEvidence>)> {
        which
            .par_iter()
            .map(|&p| {
                if reuse {
                    let (all, seen) = context.evidence_and_seen(&places[p], &units[p], &grid);
                    (all, Some(seen))
                } else {
                    (context.evidence(&places[p], &units[p], &grid), None)
                }
            })
            .collect()
    };
    lattice_within_bounds(request.spread, places.len()).map_err(|e| e.to_string())?;
    let (nodes, dropped) = weigh_factor_nodes(request.spread, places.len(), |node, which| {
        let (runs, cache_use, made_here) = responses.at_node(node, cache)?;
        let units = units_of(runs, &kept_runs);
        let weighed = weigh(which, &units);
        Ok((units, weighed, cache_use, if made_here { runs.len() } else { 0 }))
    })?;

    // The posterior of each place over the dispersion's nodes.
    let ln_grand = log_sum_exp(nodes.iter().map(|n| n.ln_total));
    let coarse_probability: Vec<f64> = (0..places.len())
        .map(|p| {
            nodes
                .iter()
                .map(|n| (n.ln_weight + n.evidence[p].ln_evidence - ln_grand).exp())
                .sum()
        })
        .collect();

    // With the prior anywhere, the stretches of the most probable places and their
    // neighbours are weighed again divided: a place half a spacing from the truth explains
    // the results only with its start and mass shifted, and its intervals would be of
    // that shift.
    let refined = match request.prior {
        Prior::Anywhere { spacing_m } if request.sources == 1 && request.refine_places_max > 0 => {
            let stretches = stretches_to_refine(
                scenario,
                spacing_m,
                &places,
                &coarse_probability,
                request.refine_places_max,
            );
            let fine: Vec<Place> = stretches
                .iter()
                .flat_map(|s| s.divided(scenario, spacing_m, &measured))
                .collect();
            // Each part with its share of its stretch's prior.
            let ln_share: Vec<f64> = stretches
                .iter()
                .flat_map(|s| {
                    let parts = s.parts(scenario, spacing_m);
                    std::iter::repeat_n(-(parts as f64).ln(), parts)
                })
                .collect();
            Some((spacing_m, stretches, fine, ln_share))
        }
        _ => None,
    };
    // The divided stretches' places run at every node weighed.
    let mut fine_cache = CacheUse::default();
    let mut fine_runs_made = 0;
    let fine_series: Vec<Vec<RunSeries>> = match &refined {
        Some((_, _, fine, _)) if !fine.is_empty() => {
            let runs: Vec<UnitRun> = fine
                .iter()
                .map(|place| UnitRun {
                    location: place.location,
                    duration: SimDuration::ZERO,
                    regime: request.regime,
                    pollutants: place.pollutants.clone(),
                })
                .collect();
            let mut out = Vec::with_capacity(nodes.len());
            for n in &nodes {
                let (series, used) =
                    unit::run_all(&scaled(&responses.extended, n.node), &runs, responses.horizon, cache)?;
                fine_cache.hits += used.hits;
                fine_cache.runs += used.runs;
                fine_cache.rejected += used.rejected;
                fine_runs_made += series.len();
                out.push(series);
            }
            out
        }
        _ => Vec::new(),
    };
    let (spacing_m, divided_stretches, fine, ln_share) = refined.unwrap_or_default();
    let n_refined_stretches = divided_stretches.len();
    let divided: Vec<bool> = places
        .iter()
        .map(|place| {
            !divided_stretches.is_empty()
                && Stretch::at(scenario, spacing_m, place.location).is_some_and(|s| divided_stretches.contains(&s))
        })
        .collect();
    let node_runs: usize = dropped.runs + nodes.iter().map(|n| n.runs).sum::<usize>();
    let node_cache = nodes.iter().fold(dropped.cache, |acc, n| add_cache(acc, n.cache));

    // Every (node, place) as a place of its own with the log of its prior weight: the
    // node's, and a divided stretch's parts each a share of their place's, which leaves the
    // other places' prior weights, and their odds against each other, as they were. Each
    // node's block holds the same places in the same order (`block` of them).
    let mut all_places: Vec<Place> = Vec::new();
    let mut all_units: Vec<Vec<&[UnitSeries]>> = Vec::new();
    let mut evidence: Vec<PlaceEvidence> = Vec::new();
    let mut seen_alone: Vec<Option<PlaceEvidence>> = Vec::new();
    let mut ln_prior: Vec<f64> = Vec::new();
    let mut node_ln_total = Vec::with_capacity(nodes.len());
    let mut node_keys = Vec::with_capacity(nodes.len());
    for (i, n) in nodes.into_iter().enumerate() {
        node_ln_total.push(n.ln_total);
        node_keys.push((n.node, n.ln_weight));
        for (p, ((units, e), seen)) in n.units.into_iter().zip(n.evidence).zip(n.seen).enumerate() {
            if divided[p] {
                continue;
            }
            all_places.push(places[p].clone());
            all_units.push(units);
            evidence.push(e);
            seen_alone.push(seen);
            ln_prior.push(n.ln_weight);
        }
        if let Some(series) = fine_series.get(i) {
            let fine_units: Vec<Vec<&[UnitSeries]>> = series
                .iter()
                .map(|run| run.iter().map(|series| &series[..]).collect())
                .collect();
            let fine_evidence: Vec<PlaceEvidence> = fine
                .par_iter()
                .zip(&fine_units)
                .map(|(place, units)| context.evidence(place, units, &grid))
                .collect();
            all_places.extend(fine.iter().cloned());
            all_units.extend(fine_units);
            evidence.extend(fine_evidence);
            seen_alone.extend(fine.iter().map(|_| None));
            ln_prior.extend(ln_share.iter().map(|s| n.ln_weight + s));
        }
    }
    let n_nodes_weighed = node_keys.len();
    let block = all_places.len() / n_nodes_weighed;
    let places = &all_places[..];
    let units = &all_units[..];

    // Posterior over places: proportional to each place's prior weight (equal, or a share
    // of a divided stretch's, times its node's) times its evidence.
    let total = log_sum_exp(evidence.iter().zip(&ln_prior).map(|(e, w)| e.ln_evidence + w));
    let probability: Vec<f64> = evidence
        .iter()
        .zip(&ln_prior)
        .map(|(e, w)| (e.ln_evidence + w - total).exp())
        .collect();
    let mut order: Vec<usize> = (0..places.len()).collect();
    order.sort_by(|&a, &b| probability[b].total_cmp(&probability[a]).then(a.cmp(&b)));
    let candidates: Vec<Candidate> = if n_nodes_weighed == 1 {
        order
            .iter()
            .enumerate()
            .take_while(|(rank, p)| *rank < 5 || probability[**p] >= 1e-3)
            .map(|(_, &p)| candidate(scenario, &places[p], &evidence[p], &grid, probability[p]))
            .collect()
    } else {
        // A place over the nodes: the sum of its probabilities, its marginals mixed by them.
        let of_place: Vec<f64> = (0..block)
            .map(|p| (0..n_nodes_weighed).map(|i| probability[i * block + p]).sum())
            .collect();
        let mut place_order: Vec<usize> = (0..block).collect();
        place_order.sort_by(|&a, &b| of_place[b].total_cmp(&of_place[a]).then(a.cmp(&b)));
        place_order
            .iter()
            .enumerate()
            .take_while(|(rank, p)| *rank < 5 || of_place[**p] >= 1e-3)
            .map(|(_, &p)| {
                let at: Vec<usize> = (0..n_nodes_weighed).map(|i| i * block + p).collect();
                let mixed = mixed_evidence(&at, &evidence, &probability);
                candidate(scenario, &places[p], &mixed, &grid, of_place[p])
            })
            .collect()
    };
    let dispersion_nodes: Vec<FactorNode> = if request.spread.is_off() {
        Vec::new()
    } else {
        let discharge_weighed = request.spread.discharge_side() > 0;
        node_keys
            .iter()
            .enumerate()
            .map(|(i, &(node, ln_weight))| FactorNode {
                factor: node.dispersion_factor(),
                discharge_factor: discharge_weighed.then(|| node.discharge_factor()),
                prior: ln_weight.exp(),
                probability: probability[i * block..(i + 1) * block].iter().sum(),
            })
            .collect()
    };
    let groups = match request.prior {
        Prior::Anywhere { spacing_m } if n_nodes_weighed == 1 => groups::groups(
            scenario,
            spacing_m,
            &divided_stretches,
            places,
            &evidence,
            &probability,
            &grid,
        ),
        Prior::Anywhere { spacing_m } => {
            // Each place once, over the dispersion's nodes: its probabilities summed, its
            // marginals mixed by them (the group's mixture is then over nodes and places).
            let at = |p: usize| -> Vec<usize> { (0..n_nodes_weighed).map(|i| i * block + p).collect() };
            let of_place: Vec<f64> = (0..block)
                .map(|p| at(p).iter().map(|&i| probability[i]).sum())
                .collect();
            let mixed: Vec<PlaceEvidence> = (0..block)
                .map(|p| mixed_evidence(&at(p), &evidence, &probability))
                .collect();
            groups::groups(
                scenario,
                spacing_m,
                &divided_stretches,
                &places[..block],
                &mixed,
                &of_place,
                &grid,
            )
        }
        Prior::Inventory => Vec::new(),
    };

    // The most probable single release, and the results beside it: at the first
    // candidate's place (over the dispersion's nodes), at its most probable node.
    let best_place = if n_nodes_weighed == 1 {
        order[0]
    } else {
        let of_place = |p: usize| -> f64 { (0..n_nodes_weighed).map(|i| probability[i * block + p]).sum() };
        let top = (0..block)
            .max_by(|&a, &b| of_place(a).total_cmp(&of_place(b)).then(b.cmp(&a)))
            .unwrap_or(0);
        (0..n_nodes_weighed)
            .map(|i| i * block + top)
            .max_by(|&a, &b| probability[a].total_cmp(&probability[b]).then(b.cmp(&a)))
            .unwrap_or(top)
    };
    let b = evidence[best_place].best;
    let best_pollutant = places[best_place].pollutants[b.pollutant];
    let best = BestRelease {
        place: places[best_place].label.clone(),
        pollutant: scenario.pollutants[best_pollutant].id.clone(),
        start_s: b.start_s.round() as i64,
        duration_s: grid.durations[b.duration].seconds(),
        mass_kg: b.mass_kg,
        dispersion_factor: (request.spread.dispersion_side() > 0)
            .then(|| node_keys[best_place / block].0.dispersion_factor()),
        discharge_factor: (request.spread.discharge_side() > 0)
            .then(|| node_keys[best_place / block].0.discharge_factor()),
    };
    let fits = observations
        .iter()
        .zip(&observation_at)
        .map(|(o, &l)| {
            let predicted = if o.pollutant == best_pollutant {
                b.mass_kg
                    * units[best_place][b.pollutant][l].response(
                        o.taken_at.seconds() as f64 - b.start_s,
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
    // Two releases share one dispersion: the pairs are weighed at the node one release
    // finds most probable (its places are a block of their own).
    let two_block = if request.sources == 2 {
        let i = (0..n_nodes_weighed)
            .max_by(|&a, &b| node_ln_total[a].total_cmp(&node_ln_total[b]).then(b.cmp(&a)))
            .unwrap_or(0);
        i * block..(i + 1) * block
    } else {
        0..places.len()
    };
    let (draw_places, draw_units) = (&places[two_block.clone()], &units[two_block.clone()]);
    let (hypotheses, two) = if request.sources == 2 {
        let evidence = &evidence[two_block.clone()];
        let seen_alone: Vec<PlaceEvidence> = seen_alone[two_block.clone()].iter().flatten().cloned().collect();
        // The node's own posterior over its places (as one node's, bit for bit).
        let total = log_sum_exp(evidence.iter().map(|e| e.ln_evidence));
        let probability: Vec<f64> = evidence.iter().map(|e| (e.ln_evidence - total).exp()).collect();
        let mut order: Vec<usize> = (0..draw_places.len()).collect();
        order.sort_by(|&a, &b| probability[b].total_cmp(&probability[a]).then(a.cmp(&b)));
        let weighed = two::weigh(
            scenario,
            &context,
            &two::Alone::of(&context, draw_places, draw_units, &grid, evidence, &seen_alone),
            &order,
            quadratures,
        )?;
        let hypotheses = weighed.draw(
            &context,
            draw_places,
            draw_units,
            &grid,
            &probability,
            request.draws,
            &mut rng,
        );
        (hypotheses, Some(weighed.two))
    } else {
        let mut by_place = vec![0usize; places.len()];
        for _ in 0..request.draws {
            by_place[pick(&probability, rng.random::<f64>())] += 1;
        }
        let mut draws = Vec::with_capacity(request.draws);
        for (p, n) in by_place.iter().enumerate().filter(|(_, n)| **n > 0) {
            context.draw_releases(p, &places[p], &units[p], &grid, *n, &mut rng, &mut draws, false);
        }
        (draws.into_iter().map(|d| vec![d]).collect::<Vec<_>>(), None)
    };
    let outlook = outlook(
        scenario,
        outlook_points,
        draw_places,
        draw_units,
        &hypotheses,
        step_s,
        outlook_end,
    );
    let first = observations.iter().map(|o| o.taken_at).min().unwrap_or(last);
    let bands = bands(
        scenario,
        outlook_points,
        draw_places,
        draw_units,
        &hypotheses,
        step_s,
        (first, outlook_end),
    );
    let next_sample = next_sample(
        scenario,
        &NextSampleInputs {
            responses,
            places: draw_places,
            units: draw_units,
            hypotheses: &hypotheses,
            outlook: &outlook,
            observations,
            error: request.error,
            last,
            end: outlook_end,
        },
    );

    Ok(Identification {
        candidates,
        groups,
        outlook,
        next_sample,
        best,
        fits,
        n_places: block,
        sources_without_measured_pollutants: left_out,
        n_nodes: evidence.iter().map(|e| e.n_nodes as u64).sum(),
        n_transport_runs: responses.n_runs() + node_runs + fine_runs_made,
        cache: CacheUse {
            hits: node_cache.hits + fine_cache.hits,
            runs: node_cache.runs + fine_cache.runs,
            rejected: node_cache.rejected + fine_cache.rejected,
        },
        n_refined_stretches,
        since_s: request.since.seconds(),
        last_result_s: last.seconds(),
        outlook_end_s: outlook_end.seconds(),
        draws: hypotheses.len(),
        error: request.error,
        spread: request.spread,
        dispersion_nodes,
        two,
        bands,
    })
}

/// One node of the lattice weighed: every place's evidence with the unit responses at its
/// factors.
struct FactorWeighed<'r> {
    node: Node,
    ln_weight: f64,
    /// ln of the node's prior weight times the sum of its places' evidence.
    ln_total: f64,
    units: Vec<Vec<&'r [UnitSeries]>>,
    evidence: Vec<PlaceEvidence>,
    seen: Vec<Option<PlaceEvidence>>,
    cache: CacheUse,
    /// Transport runs the node needed beyond the scenario's own factors'.
    runs: usize,
}

/// What weighing some places at one node gives: the node's unit series of every place,
/// the evidence of the places asked for (in their order), the cache use and the transport
/// runs made beyond the scenario's own factors'.
type NodeWeighing<'r> = (
    Vec<Vec<&'r [UnitSeries]>>,
    Vec<(PlaceEvidence, Option<PlaceEvidence>)>,
    CacheUse,
    usize,
);

/// The places holding all but [`FACTOR_PROBE_REST`] of the posterior at the scenario's
/// dispersion probe the other nodes.
pub const FACTOR_PROBE_REST: f64 = 1e-3;
/// Nodes whose posterior, as the probing places give it, is below this are not weighed
/// for every place.
pub const FACTOR_KEEP: f64 = 1e-3;

/// A node probed: its ln total over the probing places, and what weighing them there gave
/// (`None` for the centre, weighed for every place already).
type Probed<'r> = (Node, f64, Option<NodeWeighing<'r>>);

/// Weighs the lattice, with `weigh_at(node, places)` weighing the places `places` (of
/// `n_places`) at `node`, in two passes. First the places that hold all but
/// [`FACTOR_PROBE_REST`] of the posterior at the scenario's own factors (the centre,
/// weighed for every place) probe the lattice outwards: the discharge's rows from the
/// scenario's discharge out, and along each row the dispersion's nodes from the scenario's
/// dispersion out. A side of a row stops at its end, or past a node whose weighted evidence
/// is [`FACTOR_STOP_LN`] below the best so far and below its inner neighbour's; a side of
/// rows alike, a row counting by its best node; a node whose transport cannot be run (a
/// step limit refused it), or whose prior weight is below [`FACTOR_PRIOR_NEGLIGIBLE`] of
/// the centre's, ends its side. Then every place is weighed at the nodes holding
/// at least [`FACTOR_KEEP`] of the posterior the probing places give, and only those nodes
/// are kept, in order of their dispersion, then discharge. (A place left out of the probe
/// could weigh for other factors; it would have to be more than a thousand times less
/// probable at the scenario's and then explain the results far better than the probing
/// places at others.)
fn weigh_factor_nodes<'r>(
    spread: ModelSpread,
    n_places: usize,
    weigh_at: impl Fn(Node, &[usize]) -> Result<NodeWeighing<'r>, String>,
) -> Result<(Vec<FactorWeighed<'r>>, Dropped), String> {
    let all: Vec<usize> = (0..n_places).collect();
    let complete = |node: Node, units, weighed: Vec<(PlaceEvidence, Option<PlaceEvidence>)>, cache, runs| {
        let (evidence, seen): (Vec<PlaceEvidence>, Vec<Option<PlaceEvidence>>) = weighed.into_iter().unzip();
        let ln_weight = spread.ln_weight(node);
        FactorWeighed {
            node,
            ln_weight,
            ln_total: ln_weight + log_sum_exp(evidence.iter().map(|e| e.ln_evidence)),
            units,
            evidence,
            seen,
            cache,
            runs,
        }
    };
    let (units, weighed, cache, runs) = weigh_at(Node::CENTRE, &all)?;
    let centre = complete(Node::CENTRE, units, weighed, cache, runs);
    if spread.is_off() {
        return Ok((vec![centre], Dropped::default()));
    }
    // The probing places, most probable first.
    let mut order = all.clone();
    let ln_evidence: Vec<f64> = centre.evidence.iter().map(|e| e.ln_evidence).collect();
    order.sort_by(|&a, &b| ln_evidence[b].total_cmp(&ln_evidence[a]).then(a.cmp(&b)));
    let total = log_sum_exp(ln_evidence.iter().copied());
    let mut probe = Vec::new();
    let mut held = 0.0;
    for &p in &order {
        if held >= 1.0 - FACTOR_PROBE_REST {
            break;
        }
        held += (ln_evidence[p] - total).exp();
        probe.push(p);
    }
    let centre_total =
        spread.ln_weight(Node::CENTRE) + log_sum_exp(probe.iter().map(|&p| centre.evidence[p].ln_evidence));
    let mut probed: Vec<Probed<'r>> = vec![(Node::CENTRE, centre_total, None)];
    let probe_row = |j: i32, probed: &mut Vec<Probed<'r>>| -> Option<f64> {
        probe_dispersion_row(spread, j, &probe, &weigh_at, probed)
    };
    // The scenario's discharge's row (its centre probed already, so never `None`).
    let centre_row_best = probe_row(0, &mut probed).unwrap_or(centre_total);
    for direction in [-1, 1] {
        let mut inner = centre_row_best;
        for step in 1..=spread.discharge_side() as i32 {
            // The prior weight falls outwards: past a negligible row's centre all are.
            if spread.negligible(Node {
                k: 0,
                j: direction * step,
            }) {
                break;
            }
            let Some(row_best) = probe_row(direction * step, &mut probed) else {
                break;
            };
            let best = probed.iter().map(|n| n.1).fold(row_best, f64::max);
            let stop = row_best < best - FACTOR_STOP_LN && row_best < inner;
            inner = row_best;
            if stop {
                break;
            }
        }
    }
    let grand = log_sum_exp(probed.iter().map(|n| n.1));
    let mut nodes = Vec::new();
    let mut dropped = Dropped::default();
    let mut centre = Some(centre);
    for (node, ln_total, weighing) in probed {
        if (ln_total - grand).exp() < FACTOR_KEEP {
            // Its runs were made (or read) all the same.
            let (cache, runs) = match &weighing {
                Some((_, _, cache, runs)) => (*cache, *runs),
                None => (centre.as_ref().map_or(CacheUse::default(), |c| c.cache), 0),
            };
            dropped.runs += runs;
            dropped.cache = add_cache(dropped.cache, cache);
            continue;
        }
        match weighing {
            None => nodes.extend(centre.take()),
            Some((units, weighed, cache, runs)) => {
                // The other places at this node, then every place in order.
                let rest: Vec<usize> = all.iter().copied().filter(|p| !probe.contains(p)).collect();
                let (_, rest_weighed, _, _) = weigh_at(node, &rest)?;
                let mut by_place: Vec<Option<(PlaceEvidence, Option<PlaceEvidence>)>> = vec![None; n_places];
                for (p, w) in probe.iter().zip(weighed).chain(rest.iter().zip(rest_weighed)) {
                    by_place[*p] = Some(w);
                }
                let weighed: Vec<(PlaceEvidence, Option<PlaceEvidence>)> = by_place.into_iter().flatten().collect();
                nodes.push(complete(node, units, weighed, cache, runs));
            }
        }
    }
    nodes.sort_by_key(|n| n.node);
    Ok((nodes, dropped))
}

/// Probes the row of discharge node `j` with the places `probe`: its dispersion centre
/// (unless probed already), then outwards either way as [`weigh_factor_nodes`] says,
/// pushing each node onto `probed`. The row's best ln total, or `None` when its centre's
/// transport cannot be run (which ends that side of the discharge).
fn probe_dispersion_row<'r>(
    spread: ModelSpread,
    j: i32,
    probe: &[usize],
    weigh_at: &impl Fn(Node, &[usize]) -> Result<NodeWeighing<'r>, String>,
    probed: &mut Vec<Probed<'r>>,
) -> Option<f64> {
    let probe_total = |node: Node, weighing: &NodeWeighing<'r>| {
        spread.ln_weight(node) + log_sum_exp(weighing.1.iter().map(|(e, _)| e.ln_evidence))
    };
    let row_centre = Node { k: 0, j };
    let centre_total = match probed.iter().find(|n| n.0 == row_centre) {
        Some(n) => n.1,
        None => {
            let weighing = weigh_at(row_centre, probe).ok()?;
            let ln_total = probe_total(row_centre, &weighing);
            probed.push((row_centre, ln_total, Some(weighing)));
            ln_total
        }
    };
    let mut row_best = centre_total;
    for direction in [-1, 1] {
        let mut inner = centre_total;
        for step in 1..=spread.dispersion_side() as i32 {
            let node = Node { k: direction * step, j };
            // A factor whose transport cannot be run, or whose prior weight is negligible,
            // ends this side of the row; the nodes within it are weighed as ever.
            if spread.negligible(node) {
                break;
            }
            let Ok(weighing) = weigh_at(node, probe) else {
                break;
            };
            let ln_total = probe_total(node, &weighing);
            let best = probed.iter().map(|n| n.1).fold(ln_total, f64::max);
            let stop = ln_total < best - FACTOR_STOP_LN && ln_total < inner;
            inner = ln_total;
            row_best = row_best.max(ln_total);
            probed.push((node, ln_total, Some(weighing)));
            if stop {
                break;
            }
        }
    }
    Some(row_best)
}

/// The transport runs and cache use of the nodes probed but not kept.
#[derive(Clone, Copy, Default)]
struct Dropped {
    runs: usize,
    cache: CacheUse,
}

fn add_cache(a: CacheUse, b: CacheUse) -> CacheUse {
    CacheUse {
        hits: a.hits + b.hits,
        runs: a.runs + b.runs,
        rejected: a.rejected + b.rejected,
    }
}

/// The unit series of the places kept (`kept`: each one's index among `runs` and its
/// measured pollutants' positions there): `[place][pollutant][kept location]`.
fn units_of<'r>(runs: &'r [RunSeries], kept: &[(usize, Vec<usize>)]) -> Vec<Vec<&'r [UnitSeries]>> {
    kept.iter()
        .map(|(r, ks)| ks.iter().map(|&k| &runs[*r][k][..]).collect())
        .collect()
}

/// One place's evidence over the dispersion's nodes (`at`: its index in each node's
/// block): the marginals mixed by the nodes' `probability`; the rest the most probable
/// node's.
fn mixed_evidence(at: &[usize], evidence: &[PlaceEvidence], probability: &[f64]) -> PlaceEvidence {
    let top = at
        .iter()
        .copied()
        .max_by(|&a, &b| probability[a].total_cmp(&probability[b]).then(b.cmp(&a)))
        .unwrap_or(at[0]);
    let mut out = evidence[top].clone();
    let total: f64 = at.iter().map(|&i| probability[i]).sum();
    if total <= 0.0 {
        return out;
    }
    let mix = |field: fn(&PlaceEvidence) -> &Vec<f64>| -> Vec<f64> {
        let mut v = vec![0.0; field(&evidence[top]).len()];
        for &i in at {
            let w = probability[i] / total;
            for (v, x) in v.iter_mut().zip(field(&evidence[i])) {
                *v += w * x;
            }
        }
        v
    };
    out.pollutant = mix(|e| &e.pollutant);
    out.duration = mix(|e| &e.duration);
    out.start = mix(|e| &e.start);
    out.mass = mix(|e| &e.mass);
    out
}

/// What the results say about `place`, from its quadrature `e`.
fn candidate(scenario: &Scenario, place: &Place, e: &PlaceEvidence, grid: &Grid, probability: f64) -> Candidate {
    let (pol, pol_p) = e
        .pollutant
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map_or((0, 0.0), |(k, w)| (place.pollutants[k], *w));
    let mass_axis = MassAxis::of(place.mass_range_kg);
    Candidate {
        place: place.clone(),
        probability,
        pollutant: scenario.pollutants[pol].id.clone(),
        pollutant_probability: pol_p,
        start_s: start_interval(grid, &e.start),
        mass_kg: mass_interval(&mass_axis, &e.mass),
        durations: grid
            .durations
            .iter()
            .zip(&e.duration)
            .map(|(d, w)| (d.seconds(), *w))
            .collect(),
        sighting: None,
    }
}

/// The one-sided 90 % upper bound of the mass [kg] from weights of the axis's fine bins.
fn mass_upper(axis: &MassAxis, mass: &[f64]) -> f64 {
    quantile(axis.lo, axis.fine(), mass, 0.9).exp()
}

/// The 5 %, 50 % and 95 % quantiles of the start [s] from weights of the grid's fine start
/// bins. The unit series resolve a start to the output step: where the results are sharper
/// than that, the truth can lie a step beyond the bins that hold the weight, so the
/// interval reaches one step further each way.
fn start_interval(grid: &Grid, start: &[f64]) -> [i64; 3] {
    let [low, mid, high] = [0.05, 0.5, 0.95].map(|q| quantile(grid.first_edge(), grid.fine_s, start, q));
    [(low - grid.fine_s).max(grid.since_s), mid, high + grid.fine_s].map(|t| t.round() as i64)
}

/// The 5 %, 50 % and 95 % quantiles of the mass [kg] from weights of the axis's fine bins.
fn mass_interval(axis: &MassAxis, mass: &[f64]) -> [f64; 3] {
    [0.05, 0.5, 0.95].map(|q| quantile(axis.lo, axis.fine(), mass, q).exp())
}

/// Start times and durations considered. Starts run on a coarse grid from `since` to
/// the last result; where the results single out a start, its coarse bin is divided into
/// bins of the transport's output step.
struct Grid {
    since_s: f64,
    /// Fine bins per coarse bin, and their width [s].
    refine: usize,
    fine_s: f64,
    n_coarse: usize,
    durations: Vec<SimDuration>,
}

impl Grid {
    /// Fine bin `b` holds the starts within half a bin of `since + b × fine`: its node is
    /// on the transport's output grid (where `since` is), where unit series need no
    /// interpolation.
    fn fine_node(&self, bin: u32) -> f64 {
        self.since_s + bin as f64 * self.fine_s
    }

    /// The node of coarse bin `s`: the middle of its fine bins (rounded down to one).
    fn coarse_node(&self, s: usize) -> f64 {
        self.fine_node((s * self.refine + self.refine / 2) as u32)
    }

    /// Where the first fine bin begins [s].
    fn first_edge(&self) -> f64 {
        self.since_s - 0.5 * self.fine_s
    }

    fn new(request: &IdentifyRequest, last: SimTime, output_step_s: i64) -> Grid {
        let coarse = request.start_step.seconds().max(1);
        let refine = (coarse / output_step_s.max(1)).max(1) as usize;
        let span = (last - request.since).seconds();
        let mut durations = request.durations.clone();
        durations.sort_unstable();
        durations.dedup();
        if durations.is_empty() {
            durations.push(SimDuration::ZERO);
        }
        Grid {
            since_s: request.since.seconds() as f64,
            refine,
            fine_s: coarse as f64 / refine as f64,
            n_coarse: ((span + coarse - 1) / coarse).max(1) as usize,
            durations,
        }
    }
}

/// Coarse mass bins log-spaced over a place's range, each divisible into fine bins.
struct MassAxis {
    /// ln of the smallest mass [ln kg].
    lo: f64,
    /// Width of a coarse bin [ln kg].
    coarse: f64,
}

/// Fine mass bins per coarse bin.
const MASS_REFINE: usize = 16;
/// How far below the best a bin's log-likelihood may be and still be divided.
const REFINE_WITHIN: f64 = 20.0;
/// A bin is divided (with its neighbours) where its log-likelihood differs from a
/// neighbour's by more than this: there coarse nodes would miss the shape.
const STEEP: f64 = 1.0;

impl MassAxis {
    fn of((low, high): (f64, f64)) -> MassAxis {
        let (lo, hi) = (low.max(1e-9).ln(), high.max(low * 1.000_001).ln());
        MassAxis {
            lo,
            coarse: (hi - lo) / MASS_GRID as f64,
        }
    }

    fn fine(&self) -> f64 {
        self.coarse / MASS_REFINE as f64
    }

    /// Masses at the middle of the coarse bins [kg].
    fn coarse_masses(&self) -> Vec<f64> {
        (0..MASS_GRID)
            .map(|j| (self.lo + (j as f64 + 0.5) * self.coarse).exp())
            .collect()
    }

    /// Masses at the middle of the fine bins of coarse bin `j` [kg].
    fn fine_masses(&self, j: usize, out: &mut Vec<f64>) {
        let fine = self.fine();
        out.extend((0..MASS_REFINE).map(|r| (self.lo + ((j * MASS_REFINE + r) as f64 + 0.5) * fine).exp()));
    }
}

/// One node of the quadrature over a place's hypotheses: a pollutant, a duration, a bin
/// of start times and a bin of masses, with the log-likelihood at the bin's middle.
#[derive(Clone, Copy, Debug)]
struct Entry {
    ln_l: f64,
    k: u16,
    d: u16,
    /// First fine start bin, and how many it spans.
    start_bin: u32,
    start_bins: u32,
    /// First fine mass bin, and how many it spans.
    mass_bin: u32,
    mass_bins: u32,
    /// ln of the largest unit response over detection limit at any result [ln 1/kg]: the
    /// release is seen (above a detection limit somewhere) when its ln mass is above minus
    /// this.
    ln_seen: f64,
}

impl Entry {
    /// Whether the node's release reads above the detection limit at some result.
    fn seen(&self, axis: &MassAxis) -> bool {
        axis.lo + (self.mass_bin as f64 + 0.5 * self.mass_bins as f64) * axis.fine() + self.ln_seen >= 0.0
    }

    /// Log-likelihood times the node's share of the prior (in fine bins).
    fn ln_weight(&self) -> f64 {
        self.ln_l + ((self.start_bins * self.mass_bins) as f64).ln()
    }
}

/// The most likely hypothesis of a place.
#[derive(Clone, Copy, Debug, Default)]
struct Best {
    pollutant: usize,
    duration: usize,
    start_s: f64,
    mass_kg: f64,
}

#[derive(Clone)]
struct PlaceEvidence {
    /// Log of the mean likelihood over the place's hypotheses (its evidence).
    ln_evidence: f64,
    /// ln of the share of the place's prior whose release is seen at some result.
    ln_seen_share: f64,
    /// Posterior probability that the release reads above a detection limit at some
    /// result (1 over the releases seen only).
    p_seen: f64,
    /// Posterior marginals given the place: pollutant, duration, fine start bins, fine
    /// mass bins.
    pollutant: Vec<f64>,
    duration: Vec<f64>,
    start: Vec<f64>,
    mass: Vec<f64>,
    best: Best,
    n_nodes: usize,
}

#[derive(Clone)]
struct Draw {
    place: usize,
    pollutant: usize,
    duration_s: f64,
    start_s: f64,
    mass_kg: f64,
}

/// Log-likelihood of reading `value` (`None`: below `detection_limit`) where a hypothesis
/// predicts `c` changing at `slope` [mg/L per s], up to a constant, `absolute` [mg/L]
/// being the result's absolute error ([`ErrorModel::absolute_for`]).
fn ln_likelihood(
    error: &ErrorModel,
    absolute: f64,
    value: Option<f64>,
    detection_limit: f64,
    c: f64,
    slope: f64,
) -> f64 {
    // Both relative parts scale with the true concentration, which the hypothesis
    // predicts; scaling the measurement's with the value read instead would weigh
    // results that happened to read low more, and pull the mass down.
    let variance =
        (error.relative.powi(2) + error.model.powi(2)) * c * c + absolute * absolute + (error.timing_s * slope).powi(2);
    ln_density(value, detection_limit, c, variance)
}

/// Log-likelihood of reading `value` (`None`: below `detection_limit`) around `c` with
/// `variance`, up to a constant: a Gaussian density for a value, the probability of
/// reading below the limit for a non-detect.
fn ln_density(value: Option<f64>, detection_limit: f64, c: f64, variance: f64) -> f64 {
    match value {
        Some(y) => -0.5 * ((y - c).powi(2) / variance + variance.ln()),
        None => ln_normal_cdf((detection_limit.max(0.0) - c) / variance.sqrt()),
    }
}

struct Context<'a> {
    observations: &'a [Observation],
    observation_at: &'a [usize],
    error: ErrorModel,
    /// Each result's absolute error [mg/L] ([`ErrorModel::absolute_for`]).
    absolute_mg_l: &'a [f64],
    step_s: f64,
    /// What another release, held fixed, predicts at each result [mg/L] (zero with one
    /// release): concentrations add, the transport being linear.
    background: &'a [f64],
    /// How fast that prediction changes at each result [mg/L per s]; slopes add too.
    background_slope: &'a [f64],
}

/// What a release predicts at every result: the concentration [mg/L] and how fast it
/// changes there [mg/L per s] (for the model's timing error).
pub(super) struct Predicted {
    pub mg_l: Vec<f64>,
    pub slope: Vec<f64>,
}

impl Context<'_> {
    /// Log-likelihood of one result if the hypothesis predicts `c` there, changing at
    /// `slope` [mg/L per s], up to a constant: a Gaussian density for a value, the
    /// probability of reading below the detection limit for a non-detect.
    fn term(&self, i: usize, c: f64, slope: f64) -> f64 {
        let o = &self.observations[i];
        ln_likelihood(
            &self.error,
            self.absolute_mg_l[i],
            o.value_mg_l,
            o.detection_limit_mg_l,
            c,
            slope,
        )
    }

    /// Log-likelihood of every mass of `masses` for the unit responses `u` and their
    /// slopes `du` (one per result), up to a constant shared by all hypotheses. Results
    /// the release does not reach (`u` zero) add their share of `base`, `zero` holding
    /// each result's.
    fn ln_likelihood(&self, u: &[f64], du: &[f64], masses: &[f64], zero: &[f64], base: f64, out: &mut Vec<f64>) {
        out.clear();
        out.resize(masses.len(), base);
        // The variance's parts that do not change with the mass are taken out of the
        // mass loop, which the quadrature runs for every node and result.
        let relative2 = self.error.relative.powi(2) + self.error.model.powi(2);
        let timing2 = self.error.timing_s.powi(2);
        for (i, (&u, &du)) in u.iter().zip(du).enumerate() {
            // Just before the plume arrives the response is zero but rising: with a
            // timing error the result still weighs the mass there.
            if u == 0.0 && du == 0.0 {
                continue;
            }
            let o = &self.observations[i];
            let (other, other_slope, z) = (self.background[i], self.background_slope[i], zero[i]);
            let absolute2 = self.absolute_mg_l[i].powi(2);
            for (l, m) in out.iter_mut().zip(masses) {
                let c = m * u + other;
                let slope = m * du + other_slope;
                let variance = relative2 * c * c + absolute2 + timing2 * slope * slope;
                *l += ln_density(o.value_mg_l, o.detection_limit_mg_l, c, variance) - z;
            }
        }
    }

    /// The mass that best fits the detected values for unit responses `u`, by weighted
    /// least squares with the measurement's error (`Σ y u / σ² ÷ Σ u² / σ²`), within the
    /// axis. It points the quadrature at the optimum when the likelihood is too sharp for
    /// coarse mass nodes to find.
    /// The timing error's part is taken at the mass that explains the value alone, whose
    /// slope there is `(y − other) × du / u` (plus the other release's).
    fn fitted_mass(&self, u: &[f64], du: &[f64], axis: &MassAxis) -> Option<f64> {
        let (mut yu, mut uu) = (0.0, 0.0);
        for (i, (o, (&u, &du))) in self.observations.iter().zip(u.iter().zip(du)).enumerate() {
            if let (Some(y), true) = (o.value_mg_l, u > 0.0) {
                let (other, absolute) = (self.background[i], self.absolute_mg_l[i]);
                // What the other release leaves to explain.
                let rest = y - other;
                let slope = rest.max(0.0) * du / u + self.background_slope[i];
                let variance =
                    (self.error.relative * y).powi(2) + absolute * absolute + (self.error.timing_s * slope).powi(2);
                yu += rest * u / variance;
                uu += u * u / variance;
            }
        }
        (uu > 0.0).then(|| (yu / uu).clamp(axis.lo.exp(), (axis.lo + MASS_GRID as f64 * axis.coarse).exp()))
    }

    /// The unit responses of a hypothesis at every result, and their slopes (left at zero
    /// without a timing error, which is all they are for).
    #[allow(clippy::too_many_arguments)]
    fn responses(
        &self,
        units: &Series<'_>,
        k: usize,
        measured: usize,
        duration_s: f64,
        start_s: f64,
        u: &mut [f64],
        du: &mut [f64],
    ) {
        let timing = self.error.timing_s > 0.0;
        for (((o, &l), u), du) in self
            .observations
            .iter()
            .zip(self.observation_at)
            .zip(u.iter_mut())
            .zip(du.iter_mut())
        {
            let age_s = o.taken_at.seconds() as f64 - start_s;
            (*u, *du) = if o.pollutant != measured {
                (0.0, 0.0)
            } else if timing {
                let series = &units[k][l];
                (
                    series.response(age_s, duration_s, self.step_s),
                    series.slope(age_s, duration_s, self.step_s),
                )
            } else {
                (units[k][l].response(age_s, duration_s, self.step_s), 0.0)
            };
        }
    }

    /// The quadrature nodes of a place. Every pollutant, duration and coarse start is
    /// weighed at the coarse masses; the coarse starts within [`REFINE_WITHIN`] of the
    /// place's best, and their neighbours, are divided into fine starts, and at each fine
    /// start the coarse masses within it of that start's best, and their neighbours, into
    /// fine masses. Elsewhere the likelihood is below e⁻²⁰ of the best and coarse nodes
    /// hold it well enough.
    fn entries(&self, place: &Place, units: &Series<'_>, grid: &Grid, axis: &MassAxis) -> Vec<Entry> {
        let zero: Vec<f64> = self
            .background
            .iter()
            .zip(self.background_slope)
            .enumerate()
            .map(|(i, (&other, &slope))| self.term(i, other, slope))
            .collect();
        let base: f64 = zero.iter().sum();
        let coarse_masses = axis.coarse_masses();
        let n_d = grid.durations.len();
        let n_s = grid.n_coarse;
        let mut u = vec![0.0; self.observations.len()];
        let mut du = vec![0.0; self.observations.len()];
        let mut row = Vec::new();
        // Pass 1: every coarse node.
        let mut rows = Vec::with_capacity(place.pollutants.len() * n_d * n_s * MASS_GRID);
        // The best log-likelihood of each row: at the coarse masses or the fitted mass.
        let mut row_max = Vec::with_capacity(place.pollutants.len() * n_d * n_s);
        let mut at_fit = Vec::new();
        let mut row_seen = Vec::with_capacity(place.pollutants.len() * n_d * n_s);
        for (k, &pollutant) in place.pollutants.iter().enumerate() {
            for duration in &grid.durations {
                for s in 0..n_s {
                    let t = grid.coarse_node(s);
                    self.responses(units, k, pollutant, duration.as_secs_f64(), t, &mut u, &mut du);
                    row_seen.push(self.ln_seen(&u));
                    self.ln_likelihood(&u, &du, &coarse_masses, &zero, base, &mut row);
                    let mut top = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    if let Some(m) = self.fitted_mass(&u, &du, axis) {
                        self.ln_likelihood(&u, &du, &[m], &zero, base, &mut at_fit);
                        top = top.max(at_fit[0]);
                    }
                    row_max.push(top);
                    rows.extend_from_slice(&row);
                }
            }
        }
        // Each pollutant and duration on its own: its three best coarse starts, and those
        // within [`REFINE_WITHIN`] of its best where the likelihood is steep, with their
        // neighbours. (Against one threshold for the place, a lasting release whose coarse
        // starts all miss a sharp optimum could lose to a worse instantaneous one.)
        let mut hot = vec![false; row_max.len()];
        for (kd, maxima) in row_max.chunks(n_s).enumerate() {
            let mut ranked: Vec<usize> = (0..n_s).collect();
            ranked.sort_by(|a, b| maxima[*b].total_cmp(&maxima[*a]));
            let best = maxima[ranked[0]];
            for s in 0..n_s {
                let around = s.saturating_sub(1)..=(s + 1).min(n_s - 1);
                let steep =
                    maxima[s] >= best - REFINE_WITHIN && around.clone().any(|j| (maxima[j] - maxima[s]).abs() > STEEP);
                if steep || ranked[..3.min(n_s)].contains(&s) {
                    for j in around {
                        hot[kd * n_s + j] = true;
                    }
                }
            }
        }
        // Pass 2: the nodes, fine where the likelihood is high.
        let refine = grid.refine as u32;
        let mut out = Vec::with_capacity(rows.len());
        let mut fine_masses = Vec::new();
        let mut fine_row = Vec::new();
        for (i, coarse_row) in rows.chunks(MASS_GRID).enumerate() {
            let (k, d, s) = (i / (n_d * n_s), (i / n_s) % n_d, i % n_s);
            let node =
                |ln_l: f64, start_bin: u32, start_bins: u32, mass_bin: u32, mass_bins: u32, ln_seen: f64| Entry {
                    ln_l,
                    k: k as u16,
                    d: d as u16,
                    start_bin,
                    start_bins,
                    mass_bin,
                    mass_bins,
                    ln_seen,
                };
            if !hot[i] {
                for (j, l) in coarse_row.iter().enumerate() {
                    out.push(node(
                        *l,
                        s as u32 * refine,
                        refine,
                        (j * MASS_REFINE) as u32,
                        MASS_REFINE as u32,
                        row_seen[i],
                    ));
                }
                continue;
            }
            let duration_s = grid.durations[d].as_secs_f64();
            for r in 0..refine {
                let bin = s as u32 * refine + r;
                let t = grid.fine_node(bin);
                self.responses(units, k, place.pollutants[k], duration_s, t, &mut u, &mut du);
                let ln_seen = self.ln_seen(&u);
                self.ln_likelihood(&u, &du, &coarse_masses, &zero, base, &mut row);
                let top = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let steep: Vec<bool> = (0..MASS_GRID)
                    .map(|j| {
                        row[j] >= top - REFINE_WITHIN
                            && (j.saturating_sub(1)..=(j + 1).min(MASS_GRID - 1))
                                .any(|n| (row[n] - row[j]).abs() > STEEP)
                    })
                    .collect();
                let fitted = self
                    .fitted_mass(&u, &du, axis)
                    .map(|m| (((m.ln() - axis.lo) / axis.coarse) as usize).min(MASS_GRID - 1));
                let divide: Vec<bool> = (0..MASS_GRID)
                    .map(|j| (j.saturating_sub(1)..=(j + 1).min(MASS_GRID - 1)).any(|n| steep[n] || Some(n) == fitted))
                    .collect();
                fine_masses.clear();
                for j in (0..MASS_GRID).filter(|j| divide[*j]) {
                    axis.fine_masses(j, &mut fine_masses);
                }
                self.ln_likelihood(&u, &du, &fine_masses, &zero, base, &mut fine_row);
                let mut fine = fine_row.iter();
                for j in 0..MASS_GRID {
                    if divide[j] {
                        for q in 0..MASS_REFINE {
                            let l = *fine.next().unwrap_or(&f64::NEG_INFINITY);
                            out.push(node(l, bin, 1, (j * MASS_REFINE + q) as u32, 1, ln_seen));
                        }
                    } else {
                        out.push(node(
                            row[j],
                            bin,
                            1,
                            (j * MASS_REFINE) as u32,
                            MASS_REFINE as u32,
                            ln_seen,
                        ));
                    }
                }
            }
        }
        out
    }

    /// Draws `n` releases at place `p` from its quadrature (a node by its weight, then a
    /// start and a mass uniformly within the node's bins), appended to `out`.
    #[allow(clippy::too_many_arguments)]
    fn draw_releases(
        &self,
        p: usize,
        place: &Place,
        units: &Series<'_>,
        grid: &Grid,
        n: usize,
        rng: &mut ChaCha8Rng,
        out: &mut Vec<Draw>,
        seen_only: bool,
    ) {
        let mass_axis = MassAxis::of(place.mass_range_kg);
        let mut entries = self.entries(place, units, grid, &mass_axis);
        if seen_only {
            entries.retain(|e| e.seen(&mass_axis));
            if entries.is_empty() {
                return;
            }
        }
        let max = entries.iter().map(Entry::ln_weight).fold(f64::NEG_INFINITY, f64::max);
        let mut sum = 0.0;
        let cumulative: Vec<f64> = entries
            .iter()
            .map(|e| {
                sum += (e.ln_weight() - max).exp();
                sum
            })
            .collect();
        for _ in 0..n {
            let u = rng.random::<f64>() * sum;
            let e = &entries[cumulative.partition_point(|c| *c < u).min(entries.len() - 1)];
            let start_s =
                grid.first_edge() + (e.start_bin as f64 + rng.random::<f64>() * e.start_bins as f64) * grid.fine_s;
            let ln_mass =
                mass_axis.lo + (e.mass_bin as f64 + rng.random::<f64>() * e.mass_bins as f64) * mass_axis.fine();
            out.push(Draw {
                place: p,
                pollutant: e.k as usize,
                duration_s: grid.durations[e.d as usize].as_secs_f64(),
                start_s,
                mass_kg: ln_mass.exp(),
            });
        }
    }

    /// What the release `best` of `place` predicts at every result, and how fast that
    /// changes there.
    fn predictions(&self, place: &Place, units: &Series<'_>, grid: &Grid, best: &Best) -> Predicted {
        let pollutant = place.pollutants[best.pollutant];
        let duration_s = grid.durations[best.duration].as_secs_f64();
        let n = self.observations.len();
        let (mut u, mut du) = (vec![0.0; n], vec![0.0; n]);
        self.responses(
            units,
            best.pollutant,
            pollutant,
            duration_s,
            best.start_s,
            &mut u,
            &mut du,
        );
        Predicted {
            mg_l: u.iter().map(|u| best.mass_kg * u).collect(),
            slope: du.iter().map(|du| best.mass_kg * du).collect(),
        }
    }

    /// ln of the largest unit response over its result's detection limit (`+∞` where a
    /// limit is zero, `−∞` where no result is reached).
    fn ln_seen(&self, u: &[f64]) -> f64 {
        self.observations
            .iter()
            .zip(u)
            .filter(|(_, u)| **u > 0.0)
            .map(|(o, u)| (u / o.detection_limit_mg_l).ln())
            .fold(f64::NEG_INFINITY, f64::max)
    }

    fn evidence(&self, place: &Place, units: &Series<'_>, grid: &Grid) -> PlaceEvidence {
        self.evidence_of(place, units, grid, false)
    }

    /// The place's evidence and marginals; with `seen_only`, over the releases that read
    /// above a detection limit at some result only (the prior restricted to them).
    fn evidence_of(&self, place: &Place, units: &Series<'_>, grid: &Grid, seen_only: bool) -> PlaceEvidence {
        let axis = MassAxis::of(place.mass_range_kg);
        let entries = self.entries(place, units, grid, &axis);
        evidence_from(place, grid, &axis, &entries, seen_only)
    }

    /// The place's evidence over all its releases and over those seen only
    /// ([`Context::evidence_of`] with `seen_only` false and true), from one quadrature.
    fn evidence_and_seen(&self, place: &Place, units: &Series<'_>, grid: &Grid) -> (PlaceEvidence, PlaceEvidence) {
        let axis = MassAxis::of(place.mass_range_kg);
        let entries = self.entries(place, units, grid, &axis);
        (
            evidence_from(place, grid, &axis, &entries, false),
            evidence_from(place, grid, &axis, &entries, true),
        )
    }
}

/// A place's evidence and marginals from its quadrature nodes `entries`; with `seen_only`,
/// over the releases that read above a detection limit at some result only.
fn evidence_from(place: &Place, grid: &Grid, axis: &MassAxis, entries: &[Entry], seen_only: bool) -> PlaceEvidence {
    let reference = entries
        .iter()
        .filter(|e| !seen_only || e.seen(axis))
        .map(Entry::ln_weight)
        .fold(f64::NEG_INFINITY, f64::max);
    let mut pollutant = vec![0.0; place.pollutants.len()];
    let mut duration = vec![0.0; grid.durations.len()];
    let mut start = vec![0.0; grid.n_coarse * grid.refine];
    let mut mass = vec![0.0; MASS_GRID * MASS_REFINE];
    let mut sum = 0.0;
    let mut best = (f64::NEG_INFINITY, None);
    let mut seen_units = 0.0;
    let mut seen_sum = 0.0;
    for e in entries {
        let seen = e.seen(axis);
        if seen {
            seen_units += (e.start_bins * e.mass_bins) as f64;
        } else if seen_only {
            continue;
        }
        if e.ln_l > best.0 {
            best = (e.ln_l, Some(*e));
        }
        let w = (e.ln_weight() - reference).exp();
        if w == 0.0 {
            continue;
        }
        sum += w;
        if seen {
            seen_sum += w;
        }
        pollutant[e.k as usize] += w;
        duration[e.d as usize] += w;
        let per_start = w / e.start_bins as f64;
        for b in e.start_bin..e.start_bin + e.start_bins {
            start[b as usize] += per_start;
        }
        let per_mass = w / e.mass_bins as f64;
        for b in e.mass_bin..e.mass_bin + e.mass_bins {
            mass[b as usize] += per_mass;
        }
    }
    let units_total = (place.pollutants.len() * grid.durations.len() * start.len() * mass.len()) as f64;
    for v in [&mut pollutant, &mut duration, &mut start, &mut mass] {
        v.iter_mut().for_each(|w| *w /= sum);
    }
    let best = best.1.map_or(Best::default(), |e| Best {
        pollutant: e.k as usize,
        duration: e.d as usize,
        start_s: if e.start_bins == 1 {
            grid.fine_node(e.start_bin)
        } else {
            grid.coarse_node((e.start_bin / grid.refine as u32) as usize)
        },
        mass_kg: (axis.lo + (e.mass_bin as f64 + 0.5 * e.mass_bins as f64) * axis.fine()).exp(),
    });
    // Entries tile the prior: their bins add up to `units_total`.
    PlaceEvidence {
        ln_evidence: if seen_only && !(sum > 0.0 && seen_units > 0.0) {
            // No release of the place is seen: none explains anything.
            f64::NEG_INFINITY
        } else {
            reference + (sum / if seen_only { seen_units } else { units_total }).ln()
        },
        // A place none of whose releases is seen gets no correction: its evidence is
        // that of releases explaining nothing.
        ln_seen_share: if seen_units > 0.0 {
            (seen_units / units_total).ln()
        } else {
            0.0
        },
        p_seen: if sum > 0.0 { seen_sum / sum } else { 0.0 },
        pollutant,
        duration,
        start,
        mass,
        best,
        n_nodes: entries.len(),
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

/// The `q` quantile of a distribution given as weights of equal bins from `lo`, each
/// weight spread evenly over its bin.
fn quantile(lo: f64, width: f64, weights: &[f64], q: f64) -> f64 {
    let total: f64 = weights.iter().sum();
    let mut acc = 0.0;
    for (i, w) in weights.iter().enumerate() {
        let next = acc + w / total;
        if next >= q && *w > 0.0 {
            let frac = ((q - acc) / (next - acc)).clamp(0.0, 1.0);
            return lo + (i as f64 + frac) * width;
        }
        acc = next;
    }
    lo + weights.len() as f64 * width
}

/// What one posterior draw gives at one point: its forecast summary. `releases` are the
/// draw's releases of `pollutant` with their unit series at the point; their
/// concentrations add.
fn draw_forecast(
    scenario: &Scenario,
    point: usize,
    pollutant: usize,
    releases: &[(&UnitSeries, &Draw)],
    step_s: i64,
    end: SimTime,
) -> forecast::PointForecast {
    let first_start = releases.iter().map(|(_, d)| d.start_s).fold(f64::INFINITY, f64::min);
    let start = SimTime(first_start.floor() as i64);
    let first = start.seconds().div_euclid(step_s) * step_s;
    let times: Vec<SimTime> = (0..)
        .map(|k| SimTime(first + k * step_s))
        .take_while(|t| *t <= end)
        .collect();
    let mut conc = vec![Vec::new(); scenario.pollutants.len()];
    conc[pollutant] = times
        .iter()
        .map(|t| concentration(releases, t.seconds(), step_s))
        .collect();
    let series = PointSeries {
        times,
        conc,
        held: Vec::new(),
    };
    forecast::point_forecast(scenario, point, pollutant, &series, start, end)
}

/// The concentration the releases give together at time `t_s` [mg/L].
fn concentration(releases: &[(&UnitSeries, &Draw)], t_s: i64, step_s: i64) -> f64 {
    let mut c = releases[0].1.mass_kg
        * releases[0].0.response(
            t_s as f64 - releases[0].1.start_s,
            releases[0].1.duration_s,
            step_s as f64,
        );
    for (unit, d) in &releases[1..] {
        c += d.mass_kg * unit.response(t_s as f64 - d.start_s, d.duration_s, step_s as f64);
    }
    c
}

/// Most posterior draws the next-sample search weighs against each other (the work grows
/// with their square).
const NEXT_SAMPLE_DRAWS_MAX: usize = 200;
/// Candidate times: every hour from one hour after the last result, for this many hours.
const NEXT_SAMPLE_HOURS: i64 = 12;
/// Least share of all the draws reaching a point for it to be the target: below it the
/// arrival's spread is that of a handful of draws.
const NEXT_SAMPLE_TARGET_P_REACH: f64 = 0.1;
/// Candidates reported.
const NEXT_SAMPLES_SHOWN: usize = 3;

struct NextSampleInputs<'a> {
    responses: &'a Responses,
    places: &'a [Place],
    units: &'a [Vec<&'a [UnitSeries]>],
    /// The posterior's draws, each one release or (with `--sources 2`) two.
    hypotheses: &'a [Vec<Draw>],
    outlook: &'a [Outlook],
    observations: &'a [Observation],
    error: ErrorModel,
    last: SimTime,
    end: SimTime,
}

/// The sample (named point, hour) whose result would, in expectation, leave the least
/// spread in the arrival at the most threatened intake. Preposterior analysis on the
/// posterior draws, each one release or two (whose concentrations add, at the target as
/// at the sample): each draw in turn is taken as the truth, the sample is imagined to
/// read what it predicts (a non-detect below the detection limit), the draws are
/// re-weighted by that reading's likelihood, and the weighted variance of the arrival is
/// averaged over the draws taken as truth.
fn next_sample(scenario: &Scenario, inputs: &NextSampleInputs) -> Option<NextSampleAdvice> {
    let NextSampleInputs {
        responses,
        places,
        units,
        hypotheses,
        outlook,
        observations,
        error,
        last,
        end,
    } = inputs;
    // The target: the intake most likely over its limit, else most likely reached, among
    // those a tenth of the draws reach; a border section where no intake is.
    let rank = |o: &&Outlook| (o.p_over_limit, o.p_reach);
    let reached = |kind: PointKind| {
        outlook
            .iter()
            .filter(move |o| o.kind == kind && o.p_reach * o.share >= NEXT_SAMPLE_TARGET_P_REACH)
            .max_by(|a, b| rank(a).partial_cmp(&rank(b)).unwrap_or(std::cmp::Ordering::Equal))
    };
    let target = reached(PointKind::Intake).or_else(|| reached(PointKind::BorderSection))?;
    let target_l = responses
        .outlook_points
        .iter()
        .position(|&i| scenario.points[i].id == target.point)?;
    let target_point = responses.outlook_points[target_l];
    let target_pollutant = scenario.pollutants.iter().position(|p| p.id == target.pollutant)?;
    let step_s = responses.step_s;
    // An even thinning of the draws (they are grouped by place, or pair, in proportion to
    // its posterior, so every k-th keeps the proportions).
    let every = hypotheses.len().div_ceil(NEXT_SAMPLE_DRAWS_MAX).max(1);
    let draws: Vec<&[Draw]> = hypotheses.iter().step_by(every).map(Vec::as_slice).collect();
    let n = draws.len();
    if n < 2 {
        return None;
    }
    let never = (end.seconds() + step_s) as f64;
    let arrival: Vec<f64> = draws
        .iter()
        .map(|h| {
            let releases = releases_of(h, places, units, target_pollutant, target_l);
            if releases.is_empty() {
                return never;
            }
            let f = draw_forecast(scenario, target_point, target_pollutant, &releases, step_s, *end);
            f.leading_edge_s.map_or(never, |a| a as f64)
        })
        .collect();
    let variance = |w: &[f64]| {
        let total: f64 = w.iter().sum();
        let mean = w.iter().zip(&arrival).map(|(w, a)| w * a).sum::<f64>() / total;
        w.iter().zip(&arrival).map(|(w, a)| w * (a - mean).powi(2)).sum::<f64>() / total
    };
    let spread_now = variance(&vec![1.0; n]).sqrt();
    // The pollutants the draws released, each with the smallest detection limit the
    // results used for it (the laboratory's method).
    let pollutant_of = |d: &Draw| places[d.place].pollutants[d.pollutant];
    let mut pollutants: Vec<usize> = draws.iter().flat_map(|h| h.iter()).map(pollutant_of).collect();
    pollutants.sort_unstable();
    pollutants.dedup();
    let detection: Vec<f64> = pollutants
        .iter()
        .map(|&q| {
            observations
                .iter()
                .filter(|o| o.pollutant == q)
                .map(|o| o.detection_limit_mg_l)
                .fold(f64::INFINITY, f64::min)
        })
        .map(|dl| if dl.is_finite() { dl } else { 0.0 })
        .collect();
    let absolute: Vec<f64> = pollutants
        .iter()
        .zip(&detection)
        .map(|(&q, &dl)| error.absolute_for(dl, scenario.pollutants[q].detection_limit_mg_l))
        .collect();
    let first_hour = last.seconds().div_euclid(3600) + 1;
    let candidates: Vec<(usize, usize, i64)> = (0..scenario.points.len())
        .filter_map(|point| {
            let l = responses
                .kept
                .iter()
                .position(|l| *l == scenario.points[point].location)?;
            Some((point, l))
        })
        .flat_map(|(point, l)| (0..NEXT_SAMPLE_HOURS).map(move |h| (point, l, (first_hour + h) * 3600)))
        .filter(|(_, _, t)| *t <= end.seconds())
        .collect();
    let mut scored: Vec<NextSample> = candidates
        .par_iter()
        .filter_map(|&(point, l, t)| {
            // What each draw predicts there and then, of each pollutant, and how fast it
            // changes: the sums over its releases of that pollutant.
            let (predicted, slope): (Vec<Vec<f64>>, Vec<Vec<f64>>) = draws
                .iter()
                .map(|h| {
                    let mut c = vec![0.0; pollutants.len()];
                    let mut dc = vec![0.0; pollutants.len()];
                    for d in h.iter() {
                        let q = pollutants.iter().position(|p| *p == pollutant_of(d)).unwrap_or(0);
                        let series = &units[d.place][d.pollutant][l];
                        let age_s = t as f64 - d.start_s;
                        c[q] += d.mass_kg * series.response(age_s, d.duration_s, step_s as f64);
                        if error.timing_s > 0.0 {
                            dc[q] += d.mass_kg * series.slope(age_s, d.duration_s, step_s as f64);
                        }
                    }
                    (c, dc)
                })
                .unzip();
            let detected: Vec<Vec<bool>> = predicted
                .iter()
                .map(|c| c.iter().zip(&detection).map(|(c, dl)| *c > 0.0 && c >= dl).collect())
                .collect();
            let n_detected = detected.iter().filter(|d| d.contains(&true)).count();
            if n_detected == 0 {
                // Every draw reads below the limit there: the sample would tell nothing.
                return None;
            }
            // ln L[j][i]: draw i's likelihood of the reading draw j predicts, over every
            // pollutant the sample is analysed for.
            let mut expected = 0.0;
            let mut ln_l = vec![0.0; n];
            for j in 0..n {
                for i in 0..n {
                    ln_l[i] = (0..pollutants.len())
                        .map(|q| {
                            let read = detected[j][q].then_some(predicted[j][q]);
                            ln_likelihood(error, absolute[q], read, detection[q], predicted[i][q], slope[i][q])
                        })
                        .sum();
                }
                let max = ln_l.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let w: Vec<f64> = ln_l.iter().map(|v| (v - max).exp()).collect();
                expected += variance(&w);
            }
            // Each draw's prediction of the pollutant it predicts most of.
            let predicted: Vec<f64> = predicted
                .iter()
                .map(|c| c.iter().copied().fold(0.0, f64::max))
                .collect();
            let mut sorted = predicted.clone();
            sorted.sort_by(f64::total_cmp);
            let q = [0.1, 0.5, 0.9].map(|q| sorted[nearest_rank(n, q)]);
            let p = &scenario.points[point];
            Some(NextSample {
                point: p.id.clone(),
                name: p.name.clone(),
                taken_at_s: t,
                p_detect: n_detected as f64 / n as f64,
                predicted_mg_l: q,
                arrival_sd_after_s: (expected / n as f64).sqrt(),
            })
        })
        .collect();
    scored.sort_by(|a, b| {
        a.arrival_sd_after_s
            .total_cmp(&b.arrival_sd_after_s)
            .then(a.taken_at_s.cmp(&b.taken_at_s))
            .then(a.point.cmp(&b.point))
    });
    // One time per point: the best hour of each.
    let mut shown: Vec<NextSample> = Vec::new();
    for s in scored {
        if shown.len() == NEXT_SAMPLES_SHOWN {
            break;
        }
        if !shown.iter().any(|k| k.point == s.point) {
            shown.push(s);
        }
    }
    Some(NextSampleAdvice {
        target_point: target.point.clone(),
        target_name: target.name.clone(),
        pollutant: target.pollutant.clone(),
        arrival_sd_s: spread_now,
        samples: shown,
    })
}

/// The releases of hypothesis `h` of `pollutant`, with their unit series at kept place `l`.
fn releases_of<'a>(
    h: &'a [Draw],
    places: &[Place],
    units: &'a [Vec<&'a [UnitSeries]>],
    pollutant: usize,
    l: usize,
) -> Vec<(&'a UnitSeries, &'a Draw)> {
    h.iter()
        .filter(|d| places[d.place].pollutants[d.pollutant] == pollutant)
        .map(|d| (&units[d.place][d.pollutant][l], d))
        .collect()
}

/// The pollutants the hypotheses release, in order.
fn pollutants_of(hypotheses: &[Vec<Draw>], places: &[Place]) -> Vec<usize> {
    let mut pollutants: Vec<usize> = hypotheses
        .iter()
        .flatten()
        .map(|d| places[d.place].pollutants[d.pollutant])
        .collect();
    pollutants.sort_unstable();
    pollutants.dedup();
    pollutants
}

#[allow(clippy::too_many_arguments)]
fn outlook(
    scenario: &Scenario,
    points: &[usize],
    places: &[Place],
    units: &[Vec<&[UnitSeries]>],
    hypotheses: &[Vec<Draw>],
    step_s: i64,
    end: SimTime,
) -> Vec<Outlook> {
    let mut out = Vec::new();
    let pollutants = pollutants_of(hypotheses, places);
    for (l, &point) in points.iter().enumerate() {
        for &pollutant in &pollutants {
            let readings: Vec<forecast::Reading> = hypotheses
                .iter()
                .map(|h| releases_of(h, places, units, pollutant, l))
                .filter(|releases| !releases.is_empty())
                .map(|releases| {
                    forecast::Reading::of(&draw_forecast(scenario, point, pollutant, &releases, step_s, end))
                })
                .collect();
            let Some(q) = Quantiles::of(&readings) else {
                continue;
            };
            let p = &scenario.points[point];
            out.push(Outlook {
                point: p.id.clone(),
                name: p.name.clone(),
                kind: p.kind,
                pollutant: scenario.pollutants[pollutant].id.clone(),
                limit_mg_l: scenario.limit_mg_l(pollutant, p.target_class),
                share: readings.len() as f64 / hypotheses.len() as f64,
                p_reach: q.p_reach,
                p_over_limit: q.p_over_limit,
                arrival_s: q.arrival_s,
                peak_mg_l: q.peak_mg_l,
                over_limit_s: q.over_limit_s,
            });
        }
    }
    out
}

/// Most times of a band.
const BAND_TIMES_MAX: i64 = 200;

/// The concentration's P10, P50 and P90 over the hypotheses releasing each pollutant, at
/// every outlook point, from `from` to `end` on the output grid (every few steps when
/// that would be more than [`BAND_TIMES_MAX`] times).
fn bands(
    scenario: &Scenario,
    points: &[usize],
    places: &[Place],
    units: &[Vec<&[UnitSeries]>],
    hypotheses: &[Vec<Draw>],
    step_s: i64,
    (from, end): (SimTime, SimTime),
) -> Vec<Band> {
    let pollutants = pollutants_of(hypotheses, places);
    let first = from.seconds().div_euclid(step_s) * step_s;
    let steps = (end.seconds() - first) / step_s + 1;
    let every = (steps + BAND_TIMES_MAX - 1) / BAND_TIMES_MAX;
    let times_s: Vec<i64> = (0..steps)
        .step_by(every.max(1) as usize)
        .map(|k| first + k * step_s)
        .collect();
    let mut out = Vec::new();
    for (l, &point) in points.iter().enumerate() {
        for &pollutant in &pollutants {
            let of: Vec<Vec<(&UnitSeries, &Draw)>> = hypotheses
                .iter()
                .map(|h| releases_of(h, places, units, pollutant, l))
                .filter(|r| !r.is_empty())
                .collect();
            if of.is_empty() {
                continue;
            }
            let n = of.len();
            let q = [0.1, 0.5, 0.9].map(|q| nearest_rank(n, q));
            let mut values = vec![0.0; n];
            let conc_mg_l = times_s
                .iter()
                .map(|&t| {
                    for (v, releases) in values.iter_mut().zip(&of) {
                        *v = concentration(releases, t, step_s);
                    }
                    values.sort_by(f64::total_cmp);
                    q.map(|i| values[i])
                })
                .collect();
            let p = &scenario.points[point];
            out.push(Band {
                point: p.id.clone(),
                name: p.name.clone(),
                pollutant: scenario.pollutants[pollutant].id.clone(),
                limit_mg_l: scenario.limit_mg_l(pollutant, p.target_class),
                times_s: times_s.clone(),
                conc_mg_l,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::ForecastRequest;
    use crate::scenario::{Release, Scenario};

    #[test]
    fn the_absolute_error_is_a_third_of_each_results_detection_limit_unless_given() {
        let default = ErrorModel::default();
        // Nitrobenzene's laboratory limit, 0.0002 mg/L; the pollutant's in the scenario
        // (here 0.0005) only for a result that gives none.
        assert!((default.absolute_for(0.0002, 0.0005) - 0.0002 / 3.0).abs() < 1e-15);
        assert!((default.absolute_for(0.0, 0.0005) - 0.0005 / 3.0).abs() < 1e-15);
        let given = ErrorModel {
            absolute_mg_l: Some(0.001),
            ..default
        };
        assert_eq!(given.absolute_for(0.0002, 0.0005), 0.001);
        assert_eq!(given.absolute_for(0.03, 0.0005), 0.001);
    }

    #[test]
    fn a_reading_a_few_times_a_low_detection_limit_tells_a_release_from_clean_water() {
        // Nitrobenzene read at five times its limit (0.0002 mg/L): a release predicting
        // that reading against clean water (nothing predicted).
        let (dl, y) = (0.0002, 0.001);
        let error = ErrorModel::default();
        let weigh = |absolute: f64| {
            ln_likelihood(&error, absolute, Some(y), dl, y, 0.0)
                - ln_likelihood(&error, absolute, Some(y), dl, 0.0, 0.0)
        };
        let by_the_limit = weigh(error.absolute_for(dl, dl));
        let at_0_001 = weigh(0.001);
        // With σ = DL/3 the clean-water hypothesis is (5 × 3)² / 2 ≈ 110 units of ln L
        // behind, less ln σ's difference; with σ = 0.001 mg/L barely half a unit.
        assert!(by_the_limit > 100.0, "{by_the_limit}");
        assert!(at_0_001 < 1.0, "{at_0_001}");
        // Every term is finite where the hypothesis predicts nothing, the result giving
        // no detection limit of its own.
        let absolute = error.absolute_for(0.0, dl);
        assert!(ln_likelihood(&error, absolute, Some(y), 0.0, 0.0, 0.0).is_finite());
        assert!(ln_likelihood(&error, absolute, None, 0.0, 0.0, 0.0).is_finite());
    }

    #[test]
    fn the_timing_error_widens_a_steep_edge_and_leaves_a_plateau() {
        // A plume rising over three steps, flat for three, falling over three.
        let unit = UnitSeries::of(&[0.0, 0.0, 1.0, 2.0, 3.0, 3.0, 3.0, 3.0, 2.0, 1.0, 0.0, 0.0]);
        let step = 300.0;
        let (mass, dl) = (0.01, 0.001);
        let with = ErrorModel {
            timing_s: 600.0,
            ..ErrorModel::default()
        };
        let without = ErrorModel { timing_s: 0.0, ..with };
        // What a release of `mass` predicts at `age` against a reading half as large again
        // (on the rising edge, what the plume gives one step later), with and without the
        // timing error.
        let weigh = |age: f64| {
            let c = mass * unit.response(age, 0.0, step);
            let slope = mass * unit.slope(age, 0.0, step);
            let y = Some(1.5 * c);
            let absolute = with.absolute_for(dl, dl);
            (
                slope,
                ln_likelihood(&with, absolute, y, dl, c, slope),
                ln_likelihood(&without, absolute, y, dl, c, slope),
            )
        };
        // On the rising edge, one step per unit: the timing error of 10 min (two steps)
        // is worth two units of the series, so the reading is far likelier.
        let (slope, timed, untimed) = weigh(3.0 * step);
        assert!((slope - mass / step).abs() < 1e-15, "{slope}");
        assert!(timed > untimed + 1.0, "{timed} against {untimed}");
        // At the plateau the slope is zero and the term adds nothing.
        let (slope, timed, untimed) = weigh(5.5 * step);
        assert_eq!(slope, 0.0);
        assert_eq!(timed, untimed);
    }

    #[test]
    fn a_fixed_releases_slope_adds_to_the_weighed_ones_in_the_timing_error() {
        // One result, read on the rising edge of a second release's plume; another release
        // held fixed predicts 0.004 mg/L there, rising at 2e-6 mg/L per s.
        let observations = [Observation {
            location: Location::Node(0),
            label: "site".into(),
            pollutant: 0,
            taken_at: SimTime(3600),
            value_mg_l: Some(0.02),
            detection_limit_mg_l: 0.001,
        }];
        let error = ErrorModel {
            timing_s: 600.0,
            ..ErrorModel::default()
        };
        let (background, background_slope) = ([0.004], [2e-6]);
        let context = Context {
            observations: &observations,
            observation_at: &[0],
            error,
            absolute_mg_l: &[0.001 / 3.0],
            step_s: 60.0,
            background: &background,
            background_slope: &background_slope,
        };
        let (u, du, mass) = (0.001, 1e-7, 10.0);
        let zero = [context.term(0, 0.004, 2e-6)];
        let mut out = Vec::new();
        context.ln_likelihood(&[u], &[du], &[mass], &zero, 0.0, &mut out);
        // The concentrations add and so do the slopes.
        let together = context.term(0, mass * u + 0.004, mass * du + 2e-6) - zero[0];
        assert!((out[0] - together).abs() < 1e-12, "{} against {together}", out[0]);
        // Leaving the fixed release's slope out would weigh the result otherwise.
        let without = context.term(0, mass * u + 0.004, mass * du) - zero[0];
        assert!((out[0] - without).abs() > 1e-3, "{} against {without}", out[0]);
    }

    #[test]
    fn the_slope_of_a_lasting_release_is_the_rate_of_change_of_its_response() {
        let unit = UnitSeries::of(&[0.0, 0.0, 1.0, 4.0, 2.0, 5.0, 3.0, 1.0, 0.0, 0.0]);
        let step = 60.0;
        let duration = 150.0;
        // Away from the interpolant's kinks (every step, for the age and for the age less
        // the duration), the response is smooth and a small centred difference is its
        // slope.
        for age in [130.0, 200.0, 250.0, 320.0, 400.0, 470.0] {
            let h = 1.0;
            let numeric = (unit.response(age + h, duration, step) - unit.response(age - h, duration, step)) / (2.0 * h);
            let slope = unit.slope(age, duration, step);
            assert!((slope - numeric).abs() < 1e-9, "at {age}: {slope} against {numeric}");
        }
        // At once, at a node: the mean of the slopes of the steps either side.
        let at_node = unit.slope(4.0 * step, 0.0, step);
        assert!((at_node - (5.0 - 4.0) / 2.0 / step).abs() < 1e-12, "{at_node}");
        assert_eq!(unit.slope(0.0, duration, step), 0.0);
    }

    #[test]
    fn a_stretch_below_a_junction_has_the_end_stretches_of_every_reach_there_as_neighbours() {
        let scenario = Scenario::builtin();
        let reach = |id: &str| scenario.reaches.iter().position(|r| r.id == id).unwrap();
        let spacing_m = 2000.0;
        let last = |id: &str| stretches(&scenario, reach(id), spacing_m).0 - 1;
        // The first stretch of the Taipu below Pingwang, where the Grand Canal crosses.
        let first = Stretch::at(
            &scenario,
            spacing_m,
            Location::Reach {
                reach: reach("taipu_wujiang_2"),
                chainage_m: 1000.0,
            },
        )
        .unwrap();
        assert_eq!(first.k, 0);
        let mut got = first.neighbours(&scenario, spacing_m);
        got.sort();
        let mut expected = vec![
            Stretch {
                reach: reach("taipu_wujiang_2"),
                k: 1,
            },
            Stretch {
                reach: reach("taipu_wujiang_1"),
                k: last("taipu_wujiang_1"),
            },
            Stretch {
                reach: reach("grand_canal_north"),
                k: last("grand_canal_north"),
            },
            Stretch {
                reach: reach("grand_canal_south"),
                k: 0,
            },
        ];
        expected.sort();
        assert_eq!(got, expected);
        // Divided, its parts' middles every 250 m from 125 m, in the stretch.
        let parts = first.divided(&scenario, spacing_m, &[0]);
        let chainages: Vec<f64> = parts
            .iter()
            .map(|p| match p.location {
                Location::Reach { chainage_m, .. } => chainage_m,
                _ => f64::NAN,
            })
            .collect();
        assert_eq!(chainages, [125.0, 375.0, 625.0, 875.0, 1125.0, 1375.0, 1625.0, 1875.0]);
        // Each part is the stretch it divides.
        assert!(
            parts
                .iter()
                .all(|p| Stretch::at(&scenario, spacing_m, p.location) == Some(first))
        );
    }

    #[test]
    fn ln_normal_cdf_matches_known_values_and_holds_in_the_tails() {
        // Φ(0) = 0.5, Φ(1.96) = 0.9750021, Φ(−1.96) = 0.0249979, Φ(−10) = 7.6198530e-24.
        for (z, phi) in [
            (0.0, 0.5),
            (1.96, 0.975_002_1),
            (-1.96, 0.024_997_9),
            (-10.0, 7.619_853e-24),
        ] {
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
        let unit = UnitSeries::of(&[0.0, 0.0, 0.0, 0.0, 1.0, 2.0, 1.0, 0.0, 0.0, 0.0]);
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
        let weights = [0.25, 0.25, 0.25, 0.25];
        assert!((quantile(0.0, 1.0, &weights, 0.25) - 1.0).abs() < 1e-12);
        assert!((quantile(0.0, 1.0, &weights, 0.5) - 2.0).abs() < 1e-12);
        assert!((quantile(0.0, 1.0, &weights, 0.625) - 2.5).abs() < 1e-12);
        // All the weight in one bin: spread over it.
        assert!((quantile(10.0, 2.0, &[0.0, 0.0, 1.0, 0.0], 0.05) - 14.1).abs() < 1e-12);
        assert!((quantile(10.0, 2.0, &[0.0, 0.0, 1.0, 0.0], 0.95) - 15.9).abs() < 1e-12);
    }

    /// The running integral of the transport's unit series gives a lasting release as
    /// the transport itself runs it.
    #[test]
    fn lasting_releases_from_the_unit_series_match_the_transport() {
        let scenario = Scenario::builtin();
        let source = scenario
            .risk_sources
            .iter()
            .find(|s| s.id == "wj_fenhu_chemical_store")
            .unwrap();
        let pollutant = source.chemicals[0].pollutant;
        let mut water = scenario.clone();
        water.flow_changes.clear();
        water.releases.clear();
        water.incidents.clear();
        let run = |duration: SimDuration| {
            forecast::run(
                &water,
                &ForecastRequest {
                    releases: vec![Release {
                        pollutant,
                        mass_kg: 1.0,
                        location: source.location,
                        start: SimTime::ZERO,
                        duration,
                        note: String::new(),
                    }],
                    regime: 0,
                    horizon: SimDuration::from_hours(30),
                    seed: 0,
                    journal: false,
                    until_passed: None,
                },
            )
            .unwrap()
        };
        let instantaneous = run(SimDuration::ZERO);
        let duration = SimDuration::from_hours(3);
        let lasting = run(duration);
        let step = scenario.settings.output_step.as_secs_f64();
        let mut worst: f64 = 0.0;
        let mut worst_relative: f64 = 0.0;
        for (p, point) in scenario.points.iter().enumerate() {
            let unit = UnitSeries::of(&instantaneous.series[p].conc[pollutant]);
            let truth = &lasting.series[p].conc[pollutant];
            let peak = truth.iter().copied().fold(0.0, f64::max);
            if peak == 0.0 {
                continue;
            }
            for (k, t) in lasting.series[p].times.iter().enumerate() {
                let got = unit.response(t.as_secs_f64(), duration.as_secs_f64(), step);
                let error = (got - truth[k]).abs() / peak;
                if truth[k] > 0.01 * peak {
                    let relative = (got / truth[k] - 1.0).abs();
                    if relative > worst_relative {
                        eprintln!("{} at {}: {got} vs {} (peak {peak})", point.id, t.seconds(), truth[k]);
                    }
                    worst_relative = worst_relative.max(relative);
                }
                worst = worst.max(error);
            }
        }
        eprintln!("largest difference {worst} of the peak, {worst_relative} of the value above 1 % of the peak");
        assert!(worst < 0.01, "largest difference {worst} of the peak");
    }
}
