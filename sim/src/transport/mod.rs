//! River-network pollutant transport: reaches as 1D advection–dispersion–decay grids,
//! lakes as completely mixed cells in series, junctions mixed by flow weight in topological
//! order. One state holds every pollutant; flows change piecewise-constantly by regime.
//!
//! Mass is accounted exactly: released = stored + out + decayed (to rounding).

pub mod lake;
pub mod plugin;
pub mod scheme;
pub mod unit;

use crate::hydraulics::ReachHydraulics;
use crate::scenario::{Location, NodeKind, Release, Scenario};
use crate::time::{SimDuration, SimTime};
use bevy_ecs::prelude::Resource;
use petgraph::algo::toposort;
use petgraph::graph::DiGraph;
use serde::Serialize;

/// Largest number of cells in the whole network; beyond it the grid is a mistake.
pub const CELLS_MAX: usize = 4_000_000;
/// Courant-plus-diffusion-number bound of the explicit step (see [`scheme::stable_dt_s`]).
pub const STABILITY_SAFETY: f64 = 0.9;
/// Largest number of substeps in one advance; guards against a degenerate time step.
pub const SUBSTEPS_PER_ADVANCE_MAX: u64 = 10_000_000;
/// Most substeps a run may need, in any regime: the stable step times this must cover the
/// run. A run that would need more has a stable step far below anything meant: usually a
/// dispersion coefficient in the wrong unit or cells of a few metres. What it bounds is
/// what grows with a bad step; the grid's size is bounded by [`CELLS_MAX`]. A year of
/// flood flow on the built-in zone (stable step 5.87 s) needs 5.4 × 10⁶, whatever the
/// size of the network.
pub const SUBSTEPS_MAX: f64 = 1e7;
/// Most work a run may do past its horizon, per pollutant, counted as it is done
/// ([`Transport::n_work_units`]): cells computed, plus reaches stepped, nodes looked at and
/// points probed in every substep. About two minutes of a run at the measured rates; it
/// stops a forecast that would go on for a plume that never passes.
pub const WORK_UNITS_MAX: f64 = 1e10;

/// A reach discretised into equal cells.
#[derive(Clone, Debug)]
pub struct ReachGrid {
    pub n_cells: usize,
    /// Cell length [m].
    pub dx_m: f64,
    /// Cross-section [m²].
    pub area_m2: f64,
    pub from: usize,
    pub to: usize,
}

/// The cells a release at `chainage_m` goes into, with their shares of the mass: split
/// between the two cells whose centres straddle the chainage, in the proportions that put
/// the released mass's centre exactly where it was released. Within half a cell of either
/// end the end cell takes it all.
pub fn release_cells(grid: &ReachGrid, chainage_m: f64) -> [(usize, f64); 2] {
    let x = chainage_m / grid.dx_m - 0.5;
    let last = grid.n_cells - 1;
    if x <= 0.0 {
        return [(0, 1.0), (0, 0.0)];
    }
    let i = (x.floor() as usize).min(last);
    if i >= last {
        return [(last, 1.0), (last, 0.0)];
    }
    let f = x - i as f64;
    [(i, 1.0 - f), (i + 1, f)]
}

/// The static computational network built from a scenario.
#[derive(Clone, Debug)]
pub struct Network {
    pub reaches: Vec<ReachGrid>,
    pub node_kinds: Vec<NodeKind>,
    /// Nodes from upstream to downstream.
    pub topo_order: Vec<usize>,
    pub reaches_in: Vec<Vec<usize>>,
    pub reaches_out: Vec<Vec<usize>>,
    /// Hydraulics per regime, then per reach.
    pub hydraulics: Vec<Vec<ReachHydraulics>>,
    /// Longest stable step per regime [s].
    pub dt_max_s: Vec<f64>,
    /// The reach that sets the stable step, per regime.
    pub dt_limiting_reach: Vec<usize>,
    pub reach_ids: Vec<String>,
    pub regime_ids: Vec<String>,
    /// Cells of every reach together.
    pub n_cells_total: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub enum NetworkError {
    TooManyCells {
        n_cells: usize,
    },
    Cycle,
    /// The stable step is so short that the run would need more than [`SUBSTEPS_MAX`]
    /// substeps, whatever the network's size: the reach that sets it is named.
    TooMuchWork {
        regime: String,
        reach: String,
        dt_s: f64,
        velocity_m_s: f64,
        dispersion_m2_s: f64,
        dx_m: f64,
        hours: f64,
        substeps: f64,
    },
}

impl std::fmt::Display for NetworkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NetworkError::TooManyCells { n_cells } => {
                write!(
                    f,
                    "the grid would have {n_cells} cells (limit {CELLS_MAX}); raise cell_length_m"
                )
            }
            NetworkError::Cycle => write!(f, "flow directions form a cycle"),
            NetworkError::TooMuchWork {
                regime,
                reach,
                dt_s,
                velocity_m_s,
                dispersion_m2_s,
                dx_m,
                hours,
                substeps,
            } => write!(
                f,
                "regime `{regime}`: reach `{reach}` allows a stable step of only {dt_s:.3e} s \
                 (velocity {velocity_m_s:.3} m/s, dispersion {dispersion_m2_s:.4} m²/s, cells of {dx_m:.1} m), \
                 so {hours:.0} h would need {substeps:.2e} time steps (limit {SUBSTEPS_MAX:.0e}); \
                 check the reach's dispersion_m2_s (m²/s) or raise cell_length_m"
            ),
        }
    }
}

impl std::error::Error for NetworkError {}

impl Network {
    pub fn build(scenario: &Scenario) -> Result<Network, NetworkError> {
        let cell_length_m = scenario.settings.cell_length_m;
        let mut n_cells_total = 0usize;
        let reaches: Vec<ReachGrid> = scenario
            .reaches
            .iter()
            .map(|r| {
                // At least three cells so the third-order stencil has room.
                let n_cells = ((r.length_m / cell_length_m).round() as usize).max(3);
                n_cells_total = n_cells_total.saturating_add(n_cells);
                ReachGrid {
                    n_cells,
                    dx_m: r.length_m / n_cells as f64,
                    area_m2: r.area_m2(),
                    from: r.from,
                    to: r.to,
                }
            })
            .collect();
        if n_cells_total > CELLS_MAX {
            return Err(NetworkError::TooManyCells { n_cells: n_cells_total });
        }
        let mut graph = DiGraph::<usize, usize>::new();
        let ids: Vec<_> = (0..scenario.nodes.len()).map(|i| graph.add_node(i)).collect();
        for (idx, r) in reaches.iter().enumerate() {
            graph.add_edge(ids[r.from], ids[r.to], idx);
        }
        let topo_order = toposort(&graph, None)
            .map_err(|_| NetworkError::Cycle)?
            .into_iter()
            .map(|n| graph[n])
            .collect();
        let mut reaches_in = vec![Vec::new(); scenario.nodes.len()];
        let mut reaches_out = vec![Vec::new(); scenario.nodes.len()];
        for (idx, r) in reaches.iter().enumerate() {
            reaches_out[r.from].push(idx);
            reaches_in[r.to].push(idx);
        }
        let method = scenario.settings.dispersion_method;
        let hydraulics: Vec<Vec<ReachHydraulics>> = (0..scenario.regimes.len())
            .map(|regime| {
                scenario
                    .reaches
                    .iter()
                    .map(|r| {
                        ReachHydraulics::of(r, r.discharge_m3_s[regime], method, scenario.settings.dispersion_factor)
                    })
                    .collect()
            })
            .collect();
        let (dt_max_s, dt_limiting_reach) = hydraulics
            .iter()
            .map(|hs| {
                hs.iter()
                    .zip(&reaches)
                    .map(|(h, g)| scheme::stable_dt_s(g.dx_m, h.velocity_m_s, h.dispersion_m2_s, STABILITY_SAFETY))
                    .enumerate()
                    .fold(
                        (f64::INFINITY, 0),
                        |best, (idx, dt)| if dt < best.0 { (dt, idx) } else { best },
                    )
            })
            .unzip();
        Ok(Network {
            reaches,
            node_kinds: scenario.nodes.iter().map(|n| n.kind).collect(),
            topo_order,
            reaches_in,
            reaches_out,
            hydraulics,
            dt_max_s,
            dt_limiting_reach,
            reach_ids: scenario.reaches.iter().map(|r| r.id.clone()).collect(),
            regime_ids: scenario.regimes.iter().map(|r| r.id.clone()).collect(),
            n_cells_total,
        })
    }

    /// Refuses a run of `span` in any of `regimes` whose stable step would need more than
    /// [`SUBSTEPS_MAX`] substeps (or whose step is not a positive number at all). The
    /// number of cells does not enter: it is bounded by [`CELLS_MAX`] when the network is
    /// built, and a large network with the zone's own step is not a mistake.
    pub fn check_work(&self, regimes: &[usize], span: SimDuration) -> Result<(), NetworkError> {
        // A network without reaches has nothing to step (found by the input fuzzing).
        if self.reaches.is_empty() {
            return Ok(());
        }
        for &regime in regimes {
            let dt_s = self.dt_max_s[regime];
            let substeps = span.as_secs_f64() / dt_s;
            if !(dt_s.is_finite() && dt_s > 0.0 && substeps <= SUBSTEPS_MAX) {
                let reach = self.dt_limiting_reach[regime];
                let h = &self.hydraulics[regime][reach];
                return Err(NetworkError::TooMuchWork {
                    regime: self.regime_ids[regime].clone(),
                    reach: self.reach_ids[reach].clone(),
                    dt_s,
                    velocity_m_s: h.velocity_m_s,
                    dispersion_m2_s: h.dispersion_m2_s,
                    dx_m: self.reaches[reach].dx_m,
                    hours: span.as_secs_f64() / 3600.0,
                    substeps,
                });
            }
        }
        Ok(())
    }

    pub fn n_cells(&self) -> usize {
        self.n_cells_total
    }
}

/// Where the mass of one pollutant is [g].
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct MassLedger {
    pub released_g: f64,
    pub stored_g: f64,
    pub out_g: f64,
    pub decayed_g: f64,
    /// Emptied from cells whose concentration fell below [`scheme::CONCENTRATION_FLOOR_MG_L`].
    pub below_floor_g: f64,
}

impl MassLedger {
    /// (released − stored − out − decayed − below floor) / released; zero when nothing
    /// was released.
    pub fn relative_imbalance(&self) -> f64 {
        if self.released_g == 0.0 {
            return 0.0;
        }
        (self.released_g - self.stored_g - self.out_g - self.decayed_g - self.below_floor_g) / self.released_g
    }

    /// Whether every figure is a finite number (a run that produced NaN or ∞ is broken).
    pub fn is_finite(&self) -> bool {
        [
            self.released_g,
            self.stored_g,
            self.out_g,
            self.decayed_g,
            self.below_floor_g,
        ]
        .iter()
        .all(|v| v.is_finite())
    }
}

#[derive(Clone, Debug)]
struct ActiveRelease {
    species: usize,
    location: Location,
    start_s: f64,
    duration_s: f64,
    mass_g: f64,
    injected_g: f64,
}

/// Concentrations of one pollutant everywhere in the network [g/m³ = mg/L].
#[derive(Clone, Debug)]
struct SpeciesState {
    decay_per_s: f64,
    active: bool,
    /// Per reach, per cell.
    reaches: Vec<Vec<f64>>,
    /// Per reach, the cells that may be non-zero (every other cell is exactly zero).
    windows: Vec<scheme::CellWindow>,
    /// Per lake node, per cell (empty for other nodes).
    lakes: Vec<Vec<f64>>,
    /// Mixed concentration at each node over the last step.
    nodes: Vec<f64>,
    released_g: f64,
    out_g: f64,
    decayed_g: f64,
    below_floor_g: f64,
    /// Per reach: whether the pollutant has been in it (its window was ever non-empty).
    /// Until then every cell of the reach is exactly zero.
    reach_reached: Vec<bool>,
    /// Per node: whether mass has arrived there or its water has read above zero. Until
    /// then the node's water (and a lake's cells) are exactly zero.
    node_reached: Vec<bool>,
    /// Per probe: whether a place its reading looks at has been reached. Until then the
    /// probe reads exactly zero, so it is not read.
    probe_reached: Vec<bool>,
    /// The probes reached, in the order they were: the only ones watched.
    probes_watched: Vec<usize>,
}

impl SpeciesState {
    /// Marks a probe reached: it is watched from now on.
    fn watch(&mut self, probe: usize) {
        if !std::mem::replace(&mut self.probe_reached[probe], true) {
            self.probes_watched.push(probe);
        }
    }

    /// Marks a reach reached, and the probes on it.
    fn reach_is_reached(&mut self, reach: usize, probes_of_reach: &[Vec<usize>]) {
        if !std::mem::replace(&mut self.reach_reached[reach], true) {
            for &probe in &probes_of_reach[reach] {
                self.watch(probe);
            }
        }
    }

    /// Marks a node reached, and the probes that look at its water.
    fn node_is_reached(&mut self, node: usize, probes_of_node: &[Vec<usize>]) {
        if !std::mem::replace(&mut self.node_reached[node], true) {
            for &probe in &probes_of_node[node] {
                self.watch(probe);
            }
        }
    }
}

/// The largest concentration a watched place held since it was last read, and when.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct HeldMax {
    /// Time [s] (the end of the substep that held it).
    pub at_s: f64,
    /// Concentration [mg/L].
    pub conc_mg_l: f64,
}

/// The transport state of the whole network; a resource of the simulation world.
#[derive(Resource, Clone, Debug)]
pub struct Transport {
    pub network: Network,
    regime: usize,
    now: SimTime,
    species: Vec<SpeciesState>,
    releases: Vec<ActiveRelease>,
    /// Mass that left each reach in the current step, waiting at its downstream node [g].
    pending_out_g: Vec<f64>,
    faces_scratch: Vec<f64>,
    /// Mass released at each node in the current substep [g] (scratch).
    node_release_scratch: Vec<f64>,
    /// Places watched at every substep (the named points), so that a reading between
    /// output steps is not lost.
    probes: Vec<Location>,
    /// `[probe * n_species + species]`: largest value since the last read.
    probe_max: Vec<HeldMax>,
    /// Per reach, the probes on it.
    probes_of_reach: Vec<Vec<usize>>,
    /// Per node, the probes whose reading looks at its water: at the node, in its lake,
    /// or on a reach that begins or ends there (within half a cell of the end).
    probes_of_node: Vec<Vec<usize>>,
    /// Coefficients of the current regime and step length.
    step_coefficients: StepCoefficients,
    /// Number of reach-cell updates so far: cells of every reach, times substeps, the
    /// work of the explicit scheme stepping every cell (for throughput figures).
    pub n_cell_updates: u64,
    /// Number of those cells actually computed: the plume's windows and their edges.
    pub n_cells_computed: u64,
    /// Number of reach steps made (reaches with a plume or an inflow, per substep).
    pub n_reach_steps: u64,
    /// Number of nodes looked at (every node, per substep).
    pub n_node_visits: u64,
    /// Number of probe readings (reached probes, per substep).
    pub n_probe_reads: u64,
}

/// What a substep needs that depends only on the regime and the step length, computed
/// when either changes (the step length changes only when an event splits an interval).
#[derive(Clone, Debug, Default)]
struct StepCoefficients {
    regime: usize,
    /// Bits of the step length [s]; `None` before the first substep.
    dt_bits: Option<u64>,
    /// Per reach.
    reaches: Vec<scheme::ReachCoefficients>,
    /// exp(−k·dt) per pollutant.
    decay_factors: Vec<f64>,
}

impl Transport {
    pub fn new(scenario: &Scenario, network: Network) -> Transport {
        let species = scenario
            .pollutants
            .iter()
            .map(|p| SpeciesState {
                decay_per_s: p.decay_per_s,
                active: false,
                reaches: network.reaches.iter().map(|r| vec![0.0; r.n_cells]).collect(),
                windows: vec![scheme::CellWindow::default(); network.reaches.len()],
                lakes: network
                    .node_kinds
                    .iter()
                    .map(|k| match k {
                        NodeKind::Lake { n_cells, .. } => vec![0.0; *n_cells],
                        _ => Vec::new(),
                    })
                    .collect(),
                nodes: vec![0.0; network.node_kinds.len()],
                released_g: 0.0,
                out_g: 0.0,
                decayed_g: 0.0,
                below_floor_g: 0.0,
                reach_reached: vec![false; network.reaches.len()],
                node_reached: vec![false; network.node_kinds.len()],
                probe_reached: Vec::new(),
                probes_watched: Vec::new(),
            })
            .collect();
        let max_cells = network.reaches.iter().map(|r| r.n_cells).max().unwrap_or(0);
        Transport {
            regime: scenario.settings.default_regime,
            now: SimTime::ZERO,
            species,
            releases: Vec::new(),
            pending_out_g: vec![0.0; network.reaches.len()],
            faces_scratch: vec![0.0; max_cells + 1],
            node_release_scratch: vec![0.0; network.node_kinds.len()],
            probes: Vec::new(),
            probe_max: Vec::new(),
            probes_of_reach: vec![Vec::new(); network.reaches.len()],
            probes_of_node: vec![Vec::new(); network.node_kinds.len()],
            step_coefficients: StepCoefficients::default(),
            n_cell_updates: 0,
            n_cells_computed: 0,
            n_reach_steps: 0,
            n_node_visits: 0,
            n_probe_reads: 0,
            network,
        }
    }

    pub fn now(&self) -> SimTime {
        self.now
    }

    pub fn regime(&self) -> usize {
        self.regime
    }

    /// Switches the flow regime from now on (call [`Transport::advance_to`] first).
    pub fn set_regime(&mut self, regime: usize) {
        assert!(regime < self.network.hydraulics.len(), "regime index out of range");
        self.regime = regime;
    }

    /// Starts a release now (call [`Transport::advance_to`] up to its start first).
    pub fn start_release(&mut self, release: &Release) {
        assert_eq!(self.now, release.start, "a release starts at the transport clock");
        self.species[release.pollutant].active = true;
        self.releases.push(ActiveRelease {
            species: release.pollutant,
            location: release.location,
            start_s: release.start.as_secs_f64(),
            duration_s: release.duration.as_secs_f64(),
            mass_g: release.mass_kg * 1000.0,
            injected_g: 0.0,
        });
    }

    /// Advances every pollutant from the current time to `until` in stable substeps.
    pub fn advance_to(&mut self, until: SimTime) {
        assert!(until >= self.now, "transport cannot go back in time");
        let interval_s = (until - self.now).as_secs_f64();
        if interval_s == 0.0 {
            return;
        }
        // Nothing in the water and nothing to inject: the time passes at no cost.
        if self.releases.is_empty() && !self.species.iter().any(|s| s.active) {
            self.now = until;
            return;
        }
        let dt_max_s = self.network.dt_max_s[self.regime];
        let n_sub = ((interval_s / dt_max_s).ceil() as u64).clamp(1, SUBSTEPS_PER_ADVANCE_MAX);
        let dt_s = interval_s / n_sub as f64;
        let start_s = self.now.as_secs_f64();
        for j in 0..n_sub {
            let t0_s = start_s + j as f64 * dt_s;
            for species_idx in 0..self.species.len() {
                if self.species[species_idx].active {
                    self.substep(species_idx, t0_s, dt_s);
                    self.watch_probes(species_idx, t0_s + dt_s);
                }
            }
        }
        self.releases
            .retain(|r| r.injected_g < r.mass_g && (r.duration_s > 0.0 || r.injected_g == 0.0));
        self.now = until;
    }

    /// Mass injected by the release during [t0, t0 + dt) [g].
    fn take_release_mass(release: &mut ActiveRelease, t0_s: f64, dt_s: f64) -> f64 {
        let mass = if release.duration_s <= 0.0 {
            if release.injected_g == 0.0 && release.start_s < t0_s + dt_s {
                release.mass_g
            } else {
                0.0
            }
        } else {
            let end_s = release.start_s + release.duration_s;
            let overlap = ((t0_s + dt_s).min(end_s) - t0_s.max(release.start_s)).max(0.0);
            // The last portion takes what rounding left, so the total is exact.
            if t0_s + dt_s >= end_s {
                release.mass_g - release.injected_g
            } else {
                release.mass_g * overlap / release.duration_s
            }
        };
        release.injected_g += mass;
        mass
    }

    /// Recomputes the coefficients of every reach and the decay factors when the regime
    /// or the step length is not the one they were made for.
    fn prepare_coefficients(&mut self, dt_s: f64) {
        let current = &self.step_coefficients;
        if current.regime == self.regime && current.dt_bits == Some(dt_s.to_bits()) {
            return;
        }
        let hydraulics = &self.network.hydraulics[self.regime];
        self.step_coefficients = StepCoefficients {
            regime: self.regime,
            dt_bits: Some(dt_s.to_bits()),
            reaches: self
                .network
                .reaches
                .iter()
                .zip(hydraulics)
                .map(|(grid, h)| {
                    scheme::ReachStep {
                        dx_m: grid.dx_m,
                        area_m2: grid.area_m2,
                        discharge_m3_s: h.discharge_m3_s,
                        dispersion_m2_s: h.dispersion_m2_s,
                        dt_s,
                    }
                    .coefficients()
                })
                .collect(),
            decay_factors: self.species.iter().map(|s| (-s.decay_per_s * dt_s).exp()).collect(),
        };
    }

    fn substep(&mut self, species_idx: usize, t0_s: f64, dt_s: f64) {
        self.prepare_coefficients(dt_s);
        let hydraulics = &self.network.hydraulics[self.regime];
        let decay_factor = self.step_coefficients.decay_factors[species_idx];
        // Scratch kept between substeps: this runs for every substep of every pollutant.
        let mut node_release_g = std::mem::take(&mut self.node_release_scratch);
        node_release_g.fill(0.0);
        let species = &mut self.species[species_idx];
        for release in self.releases.iter_mut().filter(|r| r.species == species_idx) {
            let mass = Self::take_release_mass(release, t0_s, dt_s);
            if mass == 0.0 {
                continue;
            }
            match release.location {
                Location::Node(node) => node_release_g[node] += mass,
                Location::Reach { reach, chainage_m } => {
                    let grid = &self.network.reaches[reach];
                    let volume_m3 = grid.area_m2 * grid.dx_m;
                    for (cell, share) in release_cells(grid, chainage_m) {
                        species.reaches[reach][cell] += mass * share / volume_m3;
                        species.windows[reach] = species.windows[reach].including(cell);
                    }
                    species.reach_is_reached(reach, &self.probes_of_reach);
                }
                Location::LakeCell { node, cell } => {
                    let NodeKind::Lake { volume_m3, n_cells, .. } = self.network.node_kinds[node] else {
                        unreachable!("a lake cell is validated to be in a lake")
                    };
                    species.lakes[node][cell] += mass / (volume_m3 / n_cells as f64);
                    species.node_is_reached(node, &self.probes_of_node);
                }
            }
            species.released_g += mass;
        }
        // Every reach counts as stepped here, as the explicit scheme stepping every cell
        // would (the figure stays what it was before idle reaches were skipped).
        self.n_cell_updates += self.network.n_cells_total as u64;
        self.n_node_visits += self.network.topo_order.len() as u64;
        for &node in &self.network.topo_order {
            let arriving_g: f64 = self.network.reaches_in[node]
                .iter()
                .map(|&r| self.pending_out_g[r])
                .sum::<f64>();
            let inflow_g = arriving_g + node_release_g[node];
            // Nothing arrives, the node's water is zero and so is everything in its lake and
            // in the reaches below: stepping them would compute exact zeros and add exact
            // zeros, so they are left as they are and only their outflow is cleared.
            let idle = inflow_g == 0.0
                && species.nodes[node] == 0.0
                && self.network.reaches_out[node]
                    .iter()
                    .all(|&r| species.windows[r].is_empty())
                && species.lakes[node].iter().all(|&c| c == 0.0);
            if idle {
                for &reach in &self.network.reaches_out[node] {
                    self.pending_out_g[reach] = 0.0;
                }
                continue;
            }
            if inflow_g != 0.0 {
                species.node_is_reached(node, &self.probes_of_node);
            }
            let q_out: f64 = self.network.reaches_out[node]
                .iter()
                .map(|&r| hydraulics[r].discharge_m3_s)
                .sum();
            let out_of_node_g = match self.network.node_kinds[node] {
                NodeKind::Outlet => {
                    let q_in: f64 = self.network.reaches_in[node]
                        .iter()
                        .map(|&r| hydraulics[r].discharge_m3_s)
                        .sum();
                    species.nodes[node] = inflow_g / (q_in * dt_s);
                    species.out_g += inflow_g;
                    if species.nodes[node] != 0.0 {
                        species.node_is_reached(node, &self.probes_of_node);
                    }
                    continue;
                }
                NodeKind::Inflow | NodeKind::Junction => inflow_g,
                NodeKind::Lake { volume_m3, n_cells, .. } => {
                    let cell_volume_m3 = volume_m3 / n_cells as f64;
                    let mut carried_g = inflow_g;
                    for c in species.lakes[node].iter_mut() {
                        let m = lake::step_cell(c, cell_volume_m3, q_out, species.decay_per_s, carried_g, dt_s);
                        species.decayed_g += m.decayed_g;
                        species.below_floor_g += m.floored_g;
                        carried_g = m.out_g;
                    }
                    species.nodes[node] = *species.lakes[node].last().expect("a lake has cells");
                    carried_g
                }
            };
            let mut below_g_m3 = 0.0;
            for &reach in &self.network.reaches_out[node] {
                let h = &hydraulics[reach];
                let grid = &self.network.reaches[reach];
                let share_g = out_of_node_g * h.discharge_m3_s / q_out;
                let faces = &mut self.faces_scratch[..=grid.n_cells];
                let cells = &mut species.reaches[reach];
                let window = &mut species.windows[reach];
                let m = scheme::step_reach(
                    cells,
                    faces,
                    window,
                    share_g,
                    &self.step_coefficients.reaches[reach],
                    decay_factor,
                );
                below_g_m3 += h.discharge_m3_s * cells[0];
                let window_is_empty = window.is_empty();
                self.n_reach_steps += 1;
                self.n_cells_computed += m.n_cells_computed as u64;
                species.decayed_g += m.decayed_g;
                species.below_floor_g += m.floored_g;
                self.pending_out_g[reach] = m.out_g;
                if !window_is_empty {
                    species.reach_is_reached(reach, &self.probes_of_reach);
                }
            }
            if !matches!(self.network.node_kinds[node], NodeKind::Lake { .. }) {
                // The water at a junction: what arrives from upstream, or what stands in
                // the first cells below it, whichever is higher. The first holds a plume
                // passing through without the half-cell lag of the cells below; the
                // second holds a release made at the node itself, which enters those
                // cells at once and would otherwise never be seen here.
                let arriving = arriving_g / (q_out * dt_s);
                species.nodes[node] = arriving.max(below_g_m3 / q_out);
            }
            if species.nodes[node] != 0.0 {
                species.node_is_reached(node, &self.probes_of_node);
            }
        }
        self.node_release_scratch = node_release_g;
    }

    /// Concentration of a pollutant at a place [mg/L]: linear between cell centres on a
    /// reach, the water at a junction (see [`Transport::substep`]), the outlet cell of a
    /// lake given as a node, the cell itself given as a lake cell.
    pub fn concentration_at(&self, species_idx: usize, location: Location) -> f64 {
        let species = &self.species[species_idx];
        match location {
            Location::Node(node) => species.nodes[node],
            Location::LakeCell { node, cell } => species.lakes[node][cell],
            Location::Reach { reach, chainage_m } => {
                let grid = &self.network.reaches[reach];
                let cells = &species.reaches[reach];
                let x = chainage_m / grid.dx_m - 0.5;
                let last = cells.len() - 1;
                // Within half a cell of either end, towards the water at the end node
                // where that is the water entering or leaving this reach (not a lake's
                // outlet at the reach's lower end).
                if x <= 0.0 {
                    let at_node = species.nodes[grid.from];
                    let f = -x * 2.0;
                    return cells[0] * (1.0 - f) + at_node * f;
                }
                if x >= last as f64 {
                    if matches!(self.network.node_kinds[grid.to], NodeKind::Lake { .. }) {
                        return cells[last];
                    }
                    let f = (x - last as f64) * 2.0;
                    return cells[last] * (1.0 - f) + species.nodes[grid.to] * f;
                }
                let i = x.floor() as usize;
                let f = x - i as f64;
                cells[i] * (1.0 - f) + cells[i + 1] * f
            }
        }
    }

    /// Watches these places at every substep from now on, replacing earlier ones. A place
    /// is read only once the pollutant can have reached it ([`Transport::is_probe_reached`]);
    /// before that it reads exactly zero.
    pub fn set_probes(&mut self, probes: Vec<Location>) {
        self.probe_max = vec![HeldMax::default(); probes.len() * self.species.len()];
        self.probes_of_reach = vec![Vec::new(); self.network.reaches.len()];
        self.probes_of_node = vec![Vec::new(); self.network.node_kinds.len()];
        for (probe, location) in probes.iter().enumerate() {
            match *location {
                Location::Node(node) | Location::LakeCell { node, .. } => self.probes_of_node[node].push(probe),
                Location::Reach { reach, .. } => {
                    let grid = &self.network.reaches[reach];
                    self.probes_of_reach[reach].push(probe);
                    self.probes_of_node[grid.from].push(probe);
                    self.probes_of_node[grid.to].push(probe);
                }
            }
        }
        for species in &mut self.species {
            species.probe_reached = vec![false; probes.len()];
            species.probes_watched.clear();
            for reach in 0..self.probes_of_reach.len() {
                if species.reach_reached[reach] {
                    for &probe in &self.probes_of_reach[reach] {
                        species.watch(probe);
                    }
                }
            }
            for node in 0..self.probes_of_node.len() {
                if species.node_reached[node] {
                    for &probe in &self.probes_of_node[node] {
                        species.watch(probe);
                    }
                }
            }
        }
        self.probes = probes;
    }

    /// Whether pollutant `species_idx` can have reached probe `probe`: some place its
    /// reading looks at (the reach's cells, the water at the node or at the reach's ends,
    /// the lake) has held it. Until then the probe reads exactly zero.
    pub fn is_probe_reached(&self, probe: usize, species_idx: usize) -> bool {
        self.species[species_idx].probe_reached[probe]
    }

    /// The largest concentration probe `probe` held since the last call, and resets it.
    pub fn take_probe_max(&mut self, probe: usize, species_idx: usize) -> HeldMax {
        std::mem::take(&mut self.probe_max[probe * self.species.len() + species_idx])
    }

    /// Reads the reached probes: the others read exactly zero, which a held maximum
    /// starting at zero already holds.
    fn watch_probes(&mut self, species_idx: usize, t_s: f64) {
        let n_species = self.species.len();
        let watched = std::mem::take(&mut self.species[species_idx].probes_watched);
        for &probe in &watched {
            let c = self.concentration_at(species_idx, self.probes[probe]);
            let held = &mut self.probe_max[probe * n_species + species_idx];
            if c > held.conc_mg_l {
                *held = HeldMax {
                    at_s: t_s,
                    conc_mg_l: c,
                };
            }
        }
        self.n_probe_reads += watched.len() as u64;
        self.species[species_idx].probes_watched = watched;
    }

    /// The work done so far, as the run-time guard counts it ([`WORK_UNITS_MAX`]): cells
    /// computed, plus reach steps, node visits and probe readings.
    pub fn n_work_units(&self) -> u64 {
        self.n_cells_computed + self.n_reach_steps + self.n_node_visits + self.n_probe_reads
    }

    /// Whether a release is still putting mass into the water.
    pub fn is_releasing(&self) -> bool {
        !self.releases.is_empty()
    }

    /// The highest concentration of a pollutant anywhere the water at `location` comes
    /// from, the place itself included [mg/L]. Without new releases, mixing, dispersion
    /// and decay only average and shrink what is there, so no later reading at `location`
    /// can exceed this.
    pub fn max_upstream(&self, species_idx: usize, location: Location) -> f64 {
        let species = &self.species[species_idx];
        let net = &self.network;
        let max_of = |v: &[f64]| v.iter().copied().fold(0.0, f64::max);
        // Outside its window a reach is exactly zero, which adds nothing to a maximum.
        let reach_max = |reach: usize, end: usize| {
            let window = species.windows[reach];
            let end = window.end.min(end);
            if window.start < end {
                max_of(&species.reaches[reach][window.start..end])
            } else {
                0.0
            }
        };
        let mut best = 0.0f64;
        let mut stack = Vec::new();
        match location {
            Location::Reach { reach, chainage_m } => {
                let grid = &net.reaches[reach];
                let last = ((chainage_m / grid.dx_m).ceil() as usize + 1).min(grid.n_cells);
                best = reach_max(reach, last);
                stack.push(grid.from);
            }
            Location::LakeCell { node, cell } => {
                best = max_of(&species.lakes[node][..=cell]);
                best = best.max(species.nodes[node]);
                stack.extend(net.reaches_in[node].iter().map(|&r| net.reaches[r].from));
                for &r in &net.reaches_in[node] {
                    best = best.max(reach_max(r, usize::MAX));
                }
            }
            Location::Node(node) => {
                // A junction's reading looks at the first cells below it too.
                for &r in &net.reaches_out[node] {
                    best = best.max(species.reaches[r][0]);
                }
                stack.push(node);
            }
        }
        let mut seen = vec![false; net.node_kinds.len()];
        while let Some(node) = stack.pop() {
            if std::mem::replace(&mut seen[node], true) {
                continue;
            }
            best = best.max(species.nodes[node]).max(max_of(&species.lakes[node]));
            for &r in &net.reaches_in[node] {
                best = best.max(reach_max(r, usize::MAX));
                stack.push(net.reaches[r].from);
            }
        }
        best
    }

    /// Cell concentrations of a pollutant along a reach [mg/L].
    pub fn reach_profile(&self, species_idx: usize, reach: usize) -> &[f64] {
        &self.species[species_idx].reaches[reach]
    }

    /// Where the mass of a pollutant is now.
    pub fn ledger(&self, species_idx: usize) -> MassLedger {
        let species = &self.species[species_idx];
        let in_reaches: f64 = species
            .reaches
            .iter()
            .zip(&self.network.reaches)
            .map(|(cells, grid)| cells.iter().sum::<f64>() * grid.area_m2 * grid.dx_m)
            .sum();
        let in_lakes: f64 = species
            .lakes
            .iter()
            .zip(&self.network.node_kinds)
            .map(|(cells, kind)| match kind {
                NodeKind::Lake { volume_m3, n_cells, .. } => cells.iter().sum::<f64>() * volume_m3 / *n_cells as f64,
                _ => 0.0,
            })
            .sum();
        MassLedger {
            released_g: species.released_g,
            stored_g: in_reaches + in_lakes,
            out_g: species.out_g,
            decayed_g: species.decayed_g,
            below_floor_g: species.below_floor_g,
        }
    }

    /// Number of pollutants tracked (active or not).
    pub fn n_species(&self) -> usize {
        self.species.len()
    }

    pub fn is_active(&self, species_idx: usize) -> bool {
        self.species[species_idx].active
    }
}
