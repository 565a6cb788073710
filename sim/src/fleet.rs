//! A fleet of response teams on the road graph, on the discrete-event kernel: incidents
//! arrive as a Poisson process at road nodes (a weight per node), each is served by the
//! first available team in the node's preference order (by default: nearest base by driving
//! time, ties to the lowest team index), calls wait in one FIFO line while every team is
//! out, a team drives out at the matrix time, stays on scene for a random service time
//! (lognormal or exponential), and drives back to its base at the matrix time.
//!
//! It is the planner's dispatch model in its simplest defensible form and the workload of
//! the side-by-side baseline against SimPy (`benches/simpy_fleet.py`, `docs/benchmarks.md`):
//! both read the same JSON input ([`FleetInput`]). It is validated against the hypercube
//! queueing model (Larson 1974), solved exactly by [`hypercube_workloads`], and against
//! Erlang C when every team is alike (`docs/validation.md`).
//!
//! # Dispatch
//! A team is *available* only at its base: it is never sent on from a scene or while
//! driving back. The response time of a call is its wait in the line plus the driving
//! time from the chosen team's base to the call's node. When a team gets back and calls
//! are waiting, it takes the oldest one whatever its node (FIFO, as in Larson's
//! infinite-line model), so a waiting call may be served by a team that is not its
//! nearest.
//!
//! # Time and draws
//! [`SimTime`] is integer seconds: driving times are whole seconds in the input, and every
//! random duration is rounded to the nearest second (see `queueing.rs` for the size of the
//! rounding bias: negligible for means of minutes or more). Draws come from the kernel's
//! one ChaCha8 stream in a fixed order: at each incident the gap to the next one, then the
//! node; at each dispatch the service time. A run is a function of the input alone.
//!
//! The variates are drawn as `rand_distr` 0.5 draws them: exponential gaps and standard
//! normals by the ziggurat method (`Exp1`, `StandardNormal`), the node by Walker's alias
//! table (`WeightedAliasIndex`). Each is a table look-up and a comparison nearly every time,
//! where inversion and Box–Muller cost a logarithm, a square root and a cosine; the draws
//! differ from those of the versions before, the distributions do not (tested against the
//! exact hypercube model and Erlang C, and side by side with SimPy).

use crate::kernel::{Context, Kernel, KernelConfig, KernelError, Schedule, SimEvent, SimRng};
use crate::roads::TravelTimes;
use crate::scenario::Scenario;
use crate::time::{SimDuration, SimTime};
use bevy_ecs::prelude::*;
use rand_chacha::ChaCha8Rng;
use rand_distr::weighted::WeightedAliasIndex;
use rand_distr::{Distribution, Exp1, StandardNormal};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::fmt;

/// The `format` value of a fleet input file; a different value is refused.
pub const FORMAT: &str = "tripoint-fleet/1";
/// Largest number of road nodes of one input.
pub const N_NODES_MAX: usize = 5_000;
/// Largest number of teams of one input.
pub const N_TEAMS_MAX: usize = 1_000;
/// Largest expected number of incidents of one run (λ × horizon): response times are kept.
pub const N_CUSTOMERS_EXPECTED_MAX: f64 = 20_000_000.0;
/// Largest horizon [s] (about 3,000 years: long enough for any steady-state estimate).
pub const HORIZON_S_MAX: i64 = 100_000_000_000;
/// Largest number of calls waiting at once; reaching it stops the run with an error.
pub const QUEUE_LEN_MAX: usize = 1_000_000;
/// Number of equal time batches of the horizon, for batch-means confidence intervals.
pub const BATCHES: usize = 20;
/// Largest number of servers [`hypercube_workloads`] solves (2^n states, dense elimination).
pub const HYPERCUBE_SERVERS_MAX: usize = 10;

/// On-scene service time of one call.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "distribution", rename_all = "snake_case", deny_unknown_fields)]
pub enum ServiceTime {
    /// exp(ln median + σ Z) with Z standard normal.
    Lognormal {
        /// Median on-scene time [s].
        median_s: f64,
        /// Standard deviation of the logarithm [-].
        sigma: f64,
    },
    /// Exponential, for the closed-form checks.
    Exponential {
        /// Mean on-scene time [s].
        mean_s: f64,
    },
}

impl ServiceTime {
    /// Mean of the (unrounded) distribution [s].
    pub fn mean_s(&self) -> f64 {
        match *self {
            ServiceTime::Lognormal { median_s, sigma } => median_s * (0.5 * sigma * sigma).exp(),
            ServiceTime::Exponential { mean_s } => mean_s,
        }
    }

    fn problems(&self, out: &mut Vec<String>) {
        match *self {
            ServiceTime::Lognormal { median_s, sigma } => {
                if !(median_s.is_finite() && median_s > 0.0) {
                    out.push(format!("service.median_s: must be positive and finite, got {median_s}"));
                }
                if !(sigma.is_finite() && (0.0..=5.0).contains(&sigma)) {
                    out.push(format!("service.sigma: must be in 0..=5, got {sigma}"));
                }
            }
            ServiceTime::Exponential { mean_s } => {
                if !(mean_s.is_finite() && mean_s > 0.0) {
                    out.push(format!("service.mean_s: must be positive and finite, got {mean_s}"));
                }
            }
        }
    }

    /// One draw, rounded to the second.
    fn draw(&self, rng: &mut ChaCha8Rng) -> SimDuration {
        let seconds = match *self {
            ServiceTime::Lognormal { median_s, sigma } => {
                let z: f64 = StandardNormal.sample(rng);
                median_s * (sigma * z).exp()
            }
            ServiceTime::Exponential { mean_s } => {
                let e: f64 = Exp1.sample(rng);
                mean_s * e
            }
        };
        SimDuration::from_secs_rounded(seconds)
    }
}

/// One team of the input: where its base is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamInput {
    pub id: String,
    /// Index of the base's road node in [`FleetInput::nodes`].
    pub depot_node: usize,
}

/// The input file shared by the Rust model and the SimPy baseline (JSON; the fields are
/// described in `docs/benchmarks.md`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FleetInput {
    /// Must be [`FORMAT`].
    pub format: String,
    /// Free text: where the input came from.
    #[serde(default)]
    pub description: String,
    /// Road node ids, for reports; their number is the size of the matrix.
    pub nodes: Vec<String>,
    /// Driving time from the row's node to the column's node [s], whole seconds.
    pub travel_time_s: Vec<Vec<i64>>,
    /// Relative incident rate of each node [-]; need not sum to one.
    pub node_weights: Vec<f64>,
    pub teams: Vec<TeamInput>,
    /// Per node, team indices in dispatch order, each team once. Absent: by driving time
    /// from each team's base to the node, ties to the lower team index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preference: Option<Vec<Vec<usize>>>,
    /// Incidents of the whole network [1/h].
    pub arrival_rate_per_h: f64,
    pub service: ServiceTime,
    /// Incidents arrive in (0, horizon]; the run then continues until every one is served [s].
    pub horizon_s: i64,
    pub seed: u64,
}

/// How node weights are made from a scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeWeights {
    /// Every road node alike.
    Uniform,
    /// The annual release probabilities of the risk sources, summed on their road nodes.
    RiskSources,
}

/// The load and seed of an input made from a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportOptions {
    pub weights: NodeWeights,
    pub arrival_rate_per_h: f64,
    pub service: ServiceTime,
    pub horizon_s: i64,
    pub seed: u64,
}

impl FleetInput {
    /// Parses a JSON input; the message of a syntax or type error carries line and column.
    pub fn from_json_str(text: &str) -> Result<FleetInput, FleetError> {
        serde_json::from_str(text).map_err(|e| FleetError::Parse {
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })
    }

    /// The scenario's road nodes, driving-time matrix (rounded to whole seconds) and teams
    /// at their depots' road nodes.
    pub fn from_scenario(scenario: &Scenario, options: &ExportOptions) -> Result<FleetInput, FleetError> {
        let times = TravelTimes::build(scenario);
        let n_nodes = scenario.road_nodes.len();
        let mut problems = Vec::new();
        let mut travel_time_s = vec![vec![0; n_nodes]; n_nodes];
        for (from, row) in travel_time_s.iter_mut().enumerate() {
            for (to, cell) in row.iter_mut().enumerate() {
                match times.between(from, to) {
                    Some(t) => *cell = t.round() as i64,
                    None => problems.push(format!(
                        "no road from {} to {}",
                        scenario.road_nodes[from].id, scenario.road_nodes[to].id
                    )),
                }
            }
        }
        let node_weights = match options.weights {
            NodeWeights::Uniform => vec![1.0; n_nodes],
            NodeWeights::RiskSources => {
                let mut weights = vec![0.0; n_nodes];
                for source in &scenario.risk_sources {
                    weights[source.road_node] += source.annual_probability;
                }
                weights
            }
        };
        if !problems.is_empty() {
            problems.truncate(10);
            return Err(FleetError::Invalid { problems });
        }
        let teams = scenario
            .teams
            .iter()
            .map(|team| TeamInput {
                id: team.id.clone(),
                depot_node: scenario.depots[team.depot].road_node,
            })
            .collect();
        Ok(FleetInput {
            format: FORMAT.to_string(),
            description: format!(
                "road graph, depots and teams of scenario {:?}; node weights {}",
                scenario.name,
                match options.weights {
                    NodeWeights::Uniform => "uniform",
                    NodeWeights::RiskSources => "from the risk sources' annual probabilities",
                }
            ),
            nodes: scenario.road_nodes.iter().map(|n| n.id.clone()).collect(),
            travel_time_s,
            node_weights,
            teams,
            preference: None,
            arrival_rate_per_h: options.arrival_rate_per_h,
            service: options.service.clone(),
            horizon_s: options.horizon_s,
            seed: options.seed,
        })
    }

    /// Checks every field and returns the model, or every problem at once, each named by
    /// its place in the file (`travel_time_s[3][4]: …`).
    pub fn validate(&self) -> Result<FleetModel, FleetError> {
        let mut problems = Vec::new();
        if self.format != FORMAT {
            problems.push(format!("format: expected {FORMAT:?}, got {:?}", self.format));
        }
        let n_nodes = self.nodes.len();
        if !(1..=N_NODES_MAX).contains(&n_nodes) {
            problems.push(format!("nodes: need 1..={N_NODES_MAX} nodes, got {n_nodes}"));
        }
        self.matrix_problems(&mut problems);
        self.weight_problems(&mut problems);
        let n_teams = self.teams.len();
        if !(1..=N_TEAMS_MAX).contains(&n_teams) {
            problems.push(format!("teams: need 1..={N_TEAMS_MAX} teams, got {n_teams}"));
        }
        for (idx, team) in self.teams.iter().enumerate() {
            if team.depot_node >= n_nodes {
                problems.push(format!(
                    "teams[{idx}].depot_node: {} is not a node index (there are {n_nodes} nodes)",
                    team.depot_node
                ));
            }
        }
        if let Some(preference) = &self.preference {
            preference_problems(preference, n_nodes, n_teams, &mut problems);
        }
        let rate = self.arrival_rate_per_h;
        if !(rate.is_finite() && rate > 0.0) {
            problems.push(format!("arrival_rate_per_h: must be positive and finite, got {rate}"));
        }
        self.service.problems(&mut problems);
        if !(1..=HORIZON_S_MAX).contains(&self.horizon_s) {
            problems.push(format!(
                "horizon_s: must be in 1..={HORIZON_S_MAX}, got {}",
                self.horizon_s
            ));
        }
        let n_expected = rate * self.horizon_s as f64 / 3600.0;
        if problems.is_empty() && n_expected > N_CUSTOMERS_EXPECTED_MAX {
            problems.push(format!(
                "arrival_rate_per_h × horizon_s: {n_expected:.0} incidents expected, at most \
                 {N_CUSTOMERS_EXPECTED_MAX:.0} allowed"
            ));
        }
        if !problems.is_empty() {
            return Err(FleetError::Invalid { problems });
        }
        Ok(self.model())
    }

    fn matrix_problems(&self, problems: &mut Vec<String>) {
        let n_nodes = self.nodes.len();
        if self.travel_time_s.len() != n_nodes {
            problems.push(format!(
                "travel_time_s: {} rows for {n_nodes} nodes",
                self.travel_time_s.len()
            ));
        }
        let mut n_bad = 0;
        for (from, row) in self.travel_time_s.iter().enumerate() {
            if row.len() != n_nodes {
                problems.push(format!(
                    "travel_time_s[{from}]: {} columns for {n_nodes} nodes",
                    row.len()
                ));
            }
            for (to, &t) in row.iter().enumerate() {
                // A week of driving is no road network; it also keeps sums far from overflow.
                if !(0..=7 * 86_400).contains(&t) {
                    n_bad += 1;
                    if n_bad <= 10 {
                        problems.push(format!("travel_time_s[{from}][{to}]: must be in 0..=604800 s, got {t}"));
                    }
                }
            }
        }
        if n_bad > 10 {
            problems.push(format!("travel_time_s: {} more entries out of range", n_bad - 10));
        }
    }

    fn weight_problems(&self, problems: &mut Vec<String>) {
        let n_nodes = self.nodes.len();
        if self.node_weights.len() != n_nodes {
            problems.push(format!(
                "node_weights: {} weights for {n_nodes} nodes",
                self.node_weights.len()
            ));
        }
        for (idx, &w) in self.node_weights.iter().enumerate() {
            if !(w.is_finite() && w >= 0.0) {
                problems.push(format!("node_weights[{idx}]: must be finite and not negative, got {w}"));
            }
        }
        let total: f64 = self.node_weights.iter().sum();
        if self.node_weights.iter().all(|w| w.is_finite()) && total <= 0.0 {
            problems.push("node_weights: at least one weight must be positive".to_string());
        } else if self.node_weights.iter().all(|w| w.is_finite() && *w >= 0.0)
            && let Err(e) = WeightedAliasIndex::new(self.node_weights.clone())
        {
            // Weights so large that n times one of them, or their sum, is not finite.
            problems.push(format!("node_weights: too large to draw from ({e}); scale them down"));
        }
    }

    /// The checked model; call only after every check passed.
    fn model(&self) -> FleetModel {
        let n_nodes = self.nodes.len();
        let travel_time_s: Vec<i64> = self.travel_time_s.iter().flatten().copied().collect();
        let team_depot: Vec<usize> = self.teams.iter().map(|t| t.depot_node).collect();
        let preference = match &self.preference {
            Some(p) => p.clone(),
            None => (0..n_nodes)
                .map(|node| {
                    let mut order: Vec<usize> = (0..team_depot.len()).collect();
                    // Stable sort: equal driving times keep the lower team index first.
                    order.sort_by_key(|&team| travel_time_s[team_depot[team] * n_nodes + node]);
                    order
                })
                .collect(),
        };
        FleetModel {
            n_nodes,
            travel_time_s,
            node_weight: self.node_weights.clone(),
            team_depot,
            preference,
            arrival_rate_per_s: self.arrival_rate_per_h / 3600.0,
            service: self.service.clone(),
            horizon: SimTime(self.horizon_s),
            seed: self.seed,
            queue_len_max: QUEUE_LEN_MAX,
        }
    }
}

fn preference_problems(preference: &[Vec<usize>], n_nodes: usize, n_teams: usize, problems: &mut Vec<String>) {
    if preference.len() != n_nodes {
        problems.push(format!("preference: {} lists for {n_nodes} nodes", preference.len()));
    }
    for (node, order) in preference.iter().enumerate() {
        let mut seen = vec![false; n_teams];
        let complete = order.len() == n_teams
            && order
                .iter()
                .all(|&team| team < n_teams && !std::mem::replace(&mut seen[team], true));
        if !complete {
            problems.push(format!(
                "preference[{node}]: must list every team index 0..{n_teams} once, got {order:?}"
            ));
        }
    }
}

/// A checked fleet model, ready to run.
#[derive(Clone, Debug, PartialEq)]
pub struct FleetModel {
    pub n_nodes: usize,
    /// Row-major `n_nodes × n_nodes` driving times [s].
    pub travel_time_s: Vec<i64>,
    /// Weight of each node (relative rate of incidents there; at least one positive).
    pub node_weight: Vec<f64>,
    /// Base road node of each team.
    pub team_depot: Vec<usize>,
    /// Per node, every team in dispatch order.
    pub preference: Vec<Vec<usize>>,
    /// λ [1/s].
    pub arrival_rate_per_s: f64,
    pub service: ServiceTime,
    pub horizon: SimTime,
    pub seed: u64,
    pub queue_len_max: usize,
}

impl FleetModel {
    pub fn n_teams(&self) -> usize {
        self.team_depot.len()
    }

    fn travel(&self, from: usize, to: usize) -> SimDuration {
        SimDuration(self.travel_time_s[from * self.n_nodes + to])
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum FleetError {
    /// The JSON text is malformed or has a field of the wrong type.
    Parse {
        line: usize,
        column: usize,
        message: String,
    },
    /// Fields out of range, one message each, named by their place in the file.
    Invalid { problems: Vec<String> },
    /// The kernel stopped, e.g. the waiting line reached its limit.
    Run(KernelError),
}

impl fmt::Display for FleetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FleetError::Parse { line, column, message } => write!(f, "{line}:{column}: {message}"),
            FleetError::Invalid { problems } => write!(f, "invalid fleet input: {}", problems.join("; ")),
            FleetError::Run(e) => write!(f, "running: {e}"),
        }
    }
}

impl std::error::Error for FleetError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            FleetError::Run(e) => Some(e),
            _ => None,
        }
    }
}

/// The events of the fleet model.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FleetEvent {
    /// An incident is reported; the handler also schedules the next one.
    Incident,
    /// A team is back at its base and available.
    Return { team: usize },
}

impl SimEvent for FleetEvent {
    const KINDS: &'static [&'static str] = &["incident", "return"];

    fn kind_index(&self) -> usize {
        match self {
            FleetEvent::Incident => 0,
            FleetEvent::Return { .. } => 1,
        }
    }
}

/// A call waiting for a team.
#[derive(Clone, Copy, Debug)]
struct Waiting {
    arrived: SimTime,
    node: usize,
}

/// The state of a run: teams, the line and the running totals (integer seconds).
#[derive(Clone, Debug)]
struct FleetState {
    team_at_base: Vec<bool>,
    line: VecDeque<Waiting>,
    line_len_peak: usize,
    /// Response time of every call in arrival order (dispatch order is arrival order: a
    /// call waits only while every team is out, and the line is FIFO) [s].
    response_s: Vec<i64>,
    n_waited: u64,
    wait_total_s: i64,
    /// Calls that waited, per time batch of the arrival time.
    waited_batch_n: [u64; BATCHES],
    n_dispatched: Vec<u64>,
    /// Busy time of each team, inside (0, horizon] and per time batch.
    busy: Vec<BusyBook>,
    /// Responses per time batch of the arrival time: sum [s] and count.
    response_batch_total_s: [i64; BATCHES],
    response_batch_n: [u64; BATCHES],
    /// [`batch_start`] of every batch and of the end, computed once [s].
    batch_start_s: [i64; BATCHES + 1],
}

impl FleetState {
    fn new(model: &FleetModel) -> FleetState {
        let n_teams = model.n_teams();
        let n_expected = model.arrival_rate_per_s * model.horizon.seconds() as f64;
        FleetState {
            team_at_base: vec![true; n_teams],
            line: VecDeque::new(),
            line_len_peak: 0,
            response_s: Vec::with_capacity((n_expected * 1.01 + 16.0).min(N_CUSTOMERS_EXPECTED_MAX) as usize),
            n_waited: 0,
            wait_total_s: 0,
            waited_batch_n: [0; BATCHES],
            n_dispatched: vec![0; n_teams],
            busy: vec![BusyBook::new(); n_teams],
            response_batch_total_s: [0; BATCHES],
            response_batch_n: [0; BATCHES],
            batch_start_s: std::array::from_fn(|idx| batch_start(idx, model.horizon)),
        }
    }
}

/// Which of the [`BATCHES`] equal parts of (0, horizon] a time falls in: ⌊BATCHES · t /
/// horizon⌋, at most the last. In 64 bits: a 128-bit division costs more than the rest of
/// a dispatch's booking, and a product too large for 64 bits is far past the horizon, so
/// in the last batch.
fn batch_of(time: SimTime, horizon: SimTime) -> usize {
    match time.seconds().checked_mul(BATCHES as i64) {
        Some(scaled) => ((scaled / horizon.seconds()) as usize).min(BATCHES - 1),
        None => BATCHES - 1,
    }
}

/// Start of batch `idx` [s] (`horizon` ≤ [`HORIZON_S_MAX`], so the product fits in 64 bits).
fn batch_start(idx: usize, horizon: SimTime) -> i64 {
    horizon.seconds() * idx as i64 / BATCHES as i64
}

/// Where the model's handlers put the events they schedule: the kernel's [`Context`], or the
/// queue of the bare event loop ([`bare`]) that the kernel is measured against.
/// Everything a run reads and changes — the model, the generator and the state — as one
/// value, the kernel's state for the run ([`Kernel::step_with`]): the model has no
/// entities, so its handler reaches the value directly, with no resource look-up in the
/// world per event (bevy_ecs 0.19 keeps a resource as a component of its own entity: a
/// type-id hash, then the entity's table and column, on every look-up). The generator is
/// the kernel's [`SimRng`] stream, moved in for the run (see [`simulate`]) and given back
/// at the end.
struct FleetRun {
    model: FleetModel,
    rng: ChaCha8Rng,
    state: FleetState,
    /// Walker's alias table of the node weights: the node of a call in O(1).
    node_draw: WeightedAliasIndex<f64>,
}

impl FleetRun {
    /// A run of `model` at its start, drawing from `rng`.
    fn new(model: &FleetModel, rng: ChaCha8Rng) -> FleetRun {
        FleetRun {
            model: model.clone(),
            rng,
            state: FleetState::new(model),
            node_draw: WeightedAliasIndex::new(model.node_weight.clone())
                .expect("validated: weights can be drawn from"),
        }
    }

    /// An incident at `now`: draws the gap to the next one and then the node, schedules the
    /// next incident inside the horizon, and sends the node's first team at base or puts the
    /// call in the line.
    fn incident(&mut self, now: SimTime, queue: &mut impl Schedule<FleetEvent>) -> Result<(), KernelError> {
        let model = &self.model;
        let gap: f64 = Exp1.sample(&mut self.rng);
        let gap = SimDuration::from_secs_rounded(gap / model.arrival_rate_per_s);
        // A zero-weight node is never drawn: its odds are 0 and it is no node's alias.
        let node = self.node_draw.sample(&mut self.rng);
        if now + gap <= model.horizon {
            queue.schedule(now + gap, FleetEvent::Incident)?;
        }
        let state = &self.state;
        let free = model.preference[node]
            .iter()
            .copied()
            .find(|&team| state.team_at_base[team]);
        if let Some(team) = free {
            return self.dispatch(now, team, Waiting { arrived: now, node }, queue);
        }
        let state = &mut self.state;
        if state.line.len() >= model.queue_len_max {
            return Err(KernelError::Handler {
                kind: "incident",
                time: now,
                message: format!("waiting line full ({} calls)", model.queue_len_max),
            });
        }
        state.line.push_back(Waiting { arrived: now, node });
        state.line_len_peak = state.line_len_peak.max(state.line.len());
        Ok(())
    }

    /// `team` is back at its base at `now`: it takes the oldest waiting call, if any.
    fn team_back(
        &mut self,
        now: SimTime,
        team: usize,
        queue: &mut impl Schedule<FleetEvent>,
    ) -> Result<(), KernelError> {
        assert!(!self.state.team_at_base[team], "team {team} came back twice");
        self.state.team_at_base[team] = true;
        match self.state.line.pop_front() {
            Some(call) => self.dispatch(now, team, call, queue),
            None => Ok(()),
        }
    }

    /// Sends the available `team` to `call` at `now`: draws the time on scene, records the
    /// response and the busy time and schedules the team's return to base.
    fn dispatch(
        &mut self,
        now: SimTime,
        team: usize,
        call: Waiting,
        queue: &mut impl Schedule<FleetEvent>,
    ) -> Result<(), KernelError> {
        let model = &self.model;
        let service = model.service.draw(&mut self.rng);
        let depot = model.team_depot[team];
        let out = model.travel(depot, call.node);
        let back = model.travel(call.node, depot);
        let wait = now - call.arrived;
        let returns = now + out + service + back;
        let state = &mut self.state;
        assert!(state.team_at_base[team], "team {team} sent while away");
        state.team_at_base[team] = false;
        let response_s = (wait + out).seconds();
        state.response_s.push(response_s);
        if wait > SimDuration::ZERO {
            state.n_waited += 1;
            state.wait_total_s += wait.seconds();
        }
        state.n_dispatched[team] += 1;
        let batch = batch_of(call.arrived, model.horizon);
        if wait > SimDuration::ZERO {
            state.waited_batch_n[batch] += 1;
        }
        state.response_batch_total_s[batch] += response_s;
        state.response_batch_n[batch] += 1;
        state.busy[team].book(now.seconds(), returns.seconds(), &state.batch_start_s);
        queue.schedule(returns, FleetEvent::Return { team })
    }
}

/// The kernel's handler of both events: the run is the kernel's state ([`Kernel::step_with`]).
fn handle(run: &mut FleetRun, event: &FleetEvent, ctx: &mut Context<'_, FleetEvent>) -> Result<(), KernelError> {
    let now = ctx.now();
    match *event {
        FleetEvent::Incident => run.incident(now, ctx),
        FleetEvent::Return { team } => run.team_back(now, team, ctx),
    }
}

/// The busy time of one team per time batch, booked without a loop or a division per call:
/// the team's busy intervals come one after another (it leaves only from its base), so the
/// busy time before a batch boundary B — the overlap of every interval with [0, B) — is
/// known once an interval reaches B, and a batch's busy time is the difference between its
/// two boundaries, taken at the end of the run. A call costs one comparison with the next
/// boundary and one addition; the booking per batch happens about [`BATCHES`] times a run.
#[derive(Clone, Debug)]
struct BusyBook {
    /// Length of every interval booked so far, not clipped [s].
    total_s: i64,
    /// Index in `batch_start_s` of the first boundary not reached by an interval yet.
    boundary_next: usize,
    /// Busy time before each boundary (the batch starts and the horizon) [s]; final once
    /// the boundary is reached or the book is closed.
    before_boundary_s: [i64; BATCHES + 1],
}

impl BusyBook {
    fn new() -> BusyBook {
        BusyBook {
            total_s: 0,
            // Nothing is busy before time 0.
            boundary_next: 1,
            before_boundary_s: [0; BATCHES + 1],
        }
    }

    /// Books the busy interval [start, end), which starts at or after every earlier one's end.
    fn book(&mut self, start: i64, end: i64, boundaries: &[i64; BATCHES + 1]) {
        while self.boundary_next <= BATCHES && boundaries[self.boundary_next] <= end {
            let boundary = boundaries[self.boundary_next];
            self.before_boundary_s[self.boundary_next] = self.total_s + (boundary - start).clamp(0, end - start);
            self.boundary_next += 1;
        }
        self.total_s += end - start;
    }

    /// At the end of the run: every interval ended before the boundaries not reached.
    fn close(&mut self) {
        for before_s in &mut self.before_boundary_s[self.boundary_next.min(BATCHES + 1)..] {
            *before_s = self.total_s;
        }
        self.boundary_next = BATCHES + 1;
    }

    /// Busy time inside (0, horizon] [s] (after [`BusyBook::close`]).
    fn inside_horizon_s(&self) -> i64 {
        self.before_boundary_s[BATCHES]
    }

    /// Busy time inside `batch` [s] (after [`BusyBook::close`]).
    fn batch_s(&self, batch: usize) -> i64 {
        self.before_boundary_s[batch + 1] - self.before_boundary_s[batch]
    }
}

/// Mean and standard error of a set of batch means (independent batches assumed).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Estimate {
    pub mean: f64,
    pub standard_error: f64,
}

impl Estimate {
    fn from_batches(values: &[f64]) -> Estimate {
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
        Estimate {
            mean,
            standard_error: (variance / n).sqrt(),
        }
    }
}

/// The outcome of a run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FleetResult {
    /// Incidents that arrived in (0, horizon]; every one was served.
    pub n_customers: u64,
    /// Events handled (two per customer).
    pub n_events: u64,
    pub mean_response_s: f64,
    /// Nearest-rank quantiles of the response time [s].
    pub p50_response_s: i64,
    pub p90_response_s: i64,
    pub p95_response_s: i64,
    /// Share of calls that waited for a team [-].
    pub wait_probability: f64,
    /// Mean wait over all calls [s].
    pub mean_wait_s: f64,
    /// Busy share of each team inside (0, horizon] (out, on scene, back) [-].
    pub utilisation: Vec<f64>,
    /// Calls each team took.
    pub n_dispatched: Vec<u64>,
    /// Mean response from the time-batch means, with its standard error [s].
    pub mean_response_batches_s: Estimate,
    /// Share of calls that waited from the time-batch shares, with its standard error [-].
    pub wait_probability_batches: Estimate,
    /// Utilisation of each team from the time-batch means, with standard errors [-].
    pub utilisation_batches: Vec<Estimate>,
    pub queue_len_peak: usize,
    /// Time of the last return to base [s].
    pub end_s: i64,
    /// Every response time in arrival order [s].
    #[serde(skip)]
    pub response_s: Vec<i64>,
}

/// Nearest-rank quantiles: for each share `q` of `shares` (in increasing order), the
/// smallest value with at least a share `q` of the values at or below it.
/// `benches/simpy_fleet.py` uses the same rule. The values are reordered, not sorted: each
/// quantile is a selection (linear time) inside the part left of the one above it, which
/// for millions of responses is several times cheaper than a sort.
pub fn quantiles_nearest_rank(values: &mut [i64], shares: &[f64]) -> Vec<i64> {
    assert!(!values.is_empty(), "quantiles of no values");
    assert!(shares.is_sorted(), "shares in increasing order");
    let mut out = vec![0; shares.len()];
    let mut end = values.len();
    for (slot, &q) in out.iter_mut().zip(shares).rev() {
        let rank = ((q * values.len() as f64).ceil() as usize).clamp(1, values.len());
        // The rank-th smallest of all is the rank-th smallest of the part left of the
        // quantile above, which holds every value not above that one.
        let (_, nth, _) = values[..end].select_nth_unstable(rank - 1);
        *slot = *nth;
        end = rank;
    }
    out
}

/// Simulates the model until every incident of the horizon has been served.
pub fn simulate(model: &FleetModel) -> Result<FleetResult, FleetError> {
    Ok(run(model)?.summarise())
}

/// A run that has served every incident of its horizon, before its summary: what
/// [`simulate`] summarises. Apart so that a benchmark can time the run by itself, as the
/// SimPy baseline times its run without its quantiles (`docs/benchmarks.md`).
pub struct FleetRunEnd {
    state: FleetState,
    model: FleetModel,
    n_events: u64,
    end: SimTime,
}

impl FleetRunEnd {
    /// The end of a run that has handled `n_events`, the last at `end`: closes the teams'
    /// busy books (part of the run, so timed with it).
    fn new(mut state: FleetState, model: FleetModel, n_events: u64, end: SimTime) -> FleetRunEnd {
        for book in &mut state.busy {
            book.close();
        }
        FleetRunEnd {
            state,
            model,
            n_events,
            end,
        }
    }

    /// The run's result: its measures, quantiles and batch estimates.
    pub fn summarise(self) -> FleetResult {
        summarise(self.state, &self.model, self.n_events, self.end)
    }
}

/// Runs the model on the kernel until every incident of the horizon has been served.
pub fn run(model: &FleetModel) -> Result<FleetRunEnd, FleetError> {
    let mut kernel = Kernel::<FleetEvent>::new(KernelConfig {
        seed: model.seed,
        events_pending_max: events_pending_max(model),
        journal: false,
        ..KernelConfig::default()
    });
    // The kernel's one generator moves into the run and comes back at the end: every draw
    // of the run is from the kernel's stream, in the order the module docs give.
    let SimRng(mut rng) = kernel
        .world_mut()
        .remove_resource::<SimRng>()
        .expect("a new kernel has its generator");
    let first = first_incident(model, &mut rng);
    let mut run = FleetRun::new(model, rng);
    if let Some(first) = first {
        kernel.schedule(first, FleetEvent::Incident).map_err(FleetError::Run)?;
    }
    while kernel.step_with(&mut run, handle).map_err(FleetError::Run)?.is_some() {}
    let n_events = kernel.n_handled();
    let end = kernel.now();
    let FleetRun { state, rng, model, .. } = run;
    kernel.world_mut().insert_resource(SimRng(rng));
    Ok(FleetRunEnd::new(state, model, n_events, end))
}

/// At most one pending incident and one return per team.
fn events_pending_max(model: &FleetModel) -> usize {
    model.n_teams() + 1
}

/// The time of the first incident (the first draw of a run), if it falls inside the horizon.
fn first_incident(model: &FleetModel, rng: &mut ChaCha8Rng) -> Option<SimTime> {
    let first: f64 = Exp1.sample(rng);
    let first = SimTime(
        SimDuration::from_secs_rounded(first / model.arrival_rate_per_s)
            .seconds()
            .max(0),
    );
    (first <= model.horizon).then_some(first)
}

/// The result of a finished run: `n_events` handled, the last at `end`.
fn summarise(state: FleetState, model: &FleetModel, n_events: u64, end: SimTime) -> FleetResult {
    assert!(state.line.is_empty(), "calls left waiting at the end");
    assert!(state.team_at_base.iter().all(|&b| b), "a team still out at the end");
    let n = state.response_s.len();
    let (p50, p90, p95) = if n == 0 {
        (0, 0, 0)
    } else {
        let mut values = state.response_s.clone();
        match quantiles_nearest_rank(&mut values, &[0.50, 0.90, 0.95])[..] {
            [p50, p90, p95] => (p50, p90, p95),
            _ => unreachable!("three shares, three quantiles"),
        }
    };
    let n_f = (n as f64).max(1.0);
    let horizon_s = model.horizon.seconds() as f64;
    let batch_len_s: Vec<f64> = (0..BATCHES)
        .map(|b| (batch_start(b + 1, model.horizon) - batch_start(b, model.horizon)) as f64)
        .collect();
    let filled: Vec<usize> = (0..BATCHES).filter(|&b| state.response_batch_n[b] > 0).collect();
    let response_means: Vec<f64> = filled
        .iter()
        .map(|&b| state.response_batch_total_s[b] as f64 / state.response_batch_n[b] as f64)
        .collect();
    let waited_shares: Vec<f64> = filled
        .iter()
        .map(|&b| state.waited_batch_n[b] as f64 / state.response_batch_n[b] as f64)
        .collect();
    FleetResult {
        n_customers: n as u64,
        n_events,
        mean_response_s: state.response_s.iter().sum::<i64>() as f64 / n_f,
        p50_response_s: p50,
        p90_response_s: p90,
        p95_response_s: p95,
        wait_probability: state.n_waited as f64 / n_f,
        mean_wait_s: state.wait_total_s as f64 / n_f,
        utilisation: state
            .busy
            .iter()
            .map(|book| book.inside_horizon_s() as f64 / horizon_s)
            .collect(),
        n_dispatched: state.n_dispatched.clone(),
        mean_response_batches_s: Estimate::from_batches(&response_means),
        wait_probability_batches: Estimate::from_batches(&waited_shares),
        utilisation_batches: state
            .busy
            .iter()
            .map(|book| {
                let shares: Vec<f64> = (0..BATCHES)
                    .zip(&batch_len_s)
                    .filter(|(_, len)| **len > 0.0)
                    .map(|(batch, len)| book.batch_s(batch) as f64 / len)
                    .collect();
                Estimate::from_batches(&shares)
            })
            .collect(),
        queue_len_peak: state.line_len_peak,
        end_s: end.seconds(),
        response_s: state.response_s,
    }
}

/// The exact steady state of Larson's (1974) hypercube queueing model with an infinite FIFO
/// line: `n` servers with exponential service of rate μ each, Poisson calls in each atom,
/// each call to the first free server of its atom's preference list, calls wait when every
/// server is busy and the next free server takes the oldest.
#[derive(Clone, Debug, PartialEq)]
pub struct HypercubeSolution {
    /// Share of time each server is busy [-].
    pub workloads: Vec<f64>,
    /// Probability that every server is busy (Erlang C's waiting probability when servers
    /// are alike) [-].
    pub all_busy_probability: f64,
}

/// Solves the hypercube model exactly: one balance equation per set of busy servers (a
/// 2^n-state Markov chain), the states with every server busy and k calls waiting lumped
/// into one. Within that lump the line behaves as M/M/1 with rate nμ, so P(all busy, line
/// empty) = (1 − ρ) P(all busy) with ρ = λ/(nμ), and the lump leaves to "all busy but
/// server i" at rate (1 − ρ)μ. Rates in any one unit.
pub fn hypercube_workloads(
    preference: &[Vec<usize>],
    atom_rate: &[f64],
    service_rate: f64,
) -> Result<HypercubeSolution, String> {
    let n_servers = preference.first().map_or(0, Vec::len);
    if !(1..=HYPERCUBE_SERVERS_MAX).contains(&n_servers) {
        return Err(format!("need 1..={HYPERCUBE_SERVERS_MAX} servers, got {n_servers}"));
    }
    if preference.len() != atom_rate.len() {
        return Err(format!(
            "{} preference lists for {} atoms",
            preference.len(),
            atom_rate.len()
        ));
    }
    let mut problems = Vec::new();
    preference_problems(preference, atom_rate.len(), n_servers, &mut problems);
    if !problems.is_empty() {
        return Err(problems.join("; "));
    }
    let rates_ok = atom_rate.iter().all(|r| r.is_finite() && *r >= 0.0);
    if !(rates_ok && service_rate.is_finite() && service_rate > 0.0) {
        return Err("rates must be finite, not negative, and the service rate positive".to_string());
    }
    let total_rate: f64 = atom_rate.iter().sum();
    let load = total_rate / (n_servers as f64 * service_rate);
    if load >= 1.0 {
        return Err(format!("unstable: λ/(nμ) = {load} ≥ 1"));
    }
    let n_states = 1usize << n_servers;
    let full = n_states - 1;
    // Generator: rate[from][to]; the balance system is Σ_from π_from q(from, to) = 0.
    let mut generator = vec![0.0; n_states * n_states];
    for state in 0..n_states {
        if state == full {
            for server in 0..n_servers {
                generator[state * n_states + (state & !(1 << server))] += (1.0 - load) * service_rate;
            }
            continue;
        }
        for (atom, order) in preference.iter().enumerate() {
            let server = *order
                .iter()
                .find(|&&s| state & (1 << s) == 0)
                .expect("a state that is not full has a free server");
            generator[state * n_states + (state | (1 << server))] += atom_rate[atom];
        }
        for server in 0..n_servers {
            if state & (1 << server) != 0 {
                generator[state * n_states + (state & !(1 << server))] += service_rate;
            }
        }
    }
    // Rows of the linear system are the balance equations of each state `to`:
    // Σ_from π_from q(from, to) − π_to Σ_k q(to, k) = 0; the last is replaced by Σ π = 1.
    let mut system = vec![0.0; n_states * (n_states + 1)];
    let width = n_states + 1;
    for to in 0..n_states {
        for from in 0..n_states {
            system[to * width + from] += generator[from * n_states + to];
        }
        let out: f64 = (0..n_states).map(|k| generator[to * n_states + k]).sum();
        system[to * width + to] -= out;
    }
    for col in 0..n_states {
        system[(n_states - 1) * width + col] = 1.0;
    }
    system[(n_states - 1) * width + n_states] = 1.0;
    let probability = solve_dense(&mut system, n_states);
    let workloads = (0..n_servers)
        .map(|server| {
            (0..n_states)
                .filter(|state| state & (1 << server) != 0)
                .map(|state| probability[state])
                .sum()
        })
        .collect();
    Ok(HypercubeSolution {
        workloads,
        all_busy_probability: probability[full],
    })
}

/// Gaussian elimination with partial pivoting on an `n × (n + 1)` augmented matrix.
fn solve_dense(system: &mut [f64], n: usize) -> Vec<f64> {
    let width = n + 1;
    for col in 0..n {
        let pivot = (col..n)
            .max_by(|&a, &b| system[a * width + col].abs().total_cmp(&system[b * width + col].abs()))
            .expect("a pivot row");
        assert!(system[pivot * width + col].abs() > 1e-300, "singular balance system");
        for k in 0..width {
            system.swap(col * width + k, pivot * width + k);
        }
        for row in 0..n {
            if row != col {
                let factor = system[row * width + col] / system[col * width + col];
                if factor != 0.0 {
                    for k in col..width {
                        system[row * width + k] -= factor * system[col * width + k];
                    }
                }
            }
        }
    }
    (0..n).map(|i| system[i * width + n] / system[i * width + i]).collect()
}

pub mod bare;

#[cfg(test)]
mod tests;
