//! Facility location: where to put p sites (depots, stations, boats) so that clients are
//! served well. Reads OR-Library p-median files, turns an edge list into all-pairs shortest
//! paths, and solves p-median, p-center and maximal covering on a client × candidate
//! distance matrix, each with a proven bound so that a result says how far from the optimum
//! it can be. Pure and deterministic: text and matrices in, sites and figures out.
//!
//! # Methods
//! - **p-median** (minimise the weighted sum of distances to the nearest open site): greedy
//!   addition, then swap local search with Whitaker's fast interchange (each candidate to
//!   insert is priced against every site to remove in one pass over the clients, from the
//!   nearest and second-nearest open site of each client), from the greedy start and from
//!   seeded random starts. A Lagrangian relaxation of the assignment constraints, maximised
//!   by subgradient steps (Beasley 1993), gives the lower bound, rounded up when the costs
//!   are whole numbers; its solutions are further starts. If a gap remains, a depth-first
//!   Lagrangian branch and bound with reduced-cost fixing closes it, within the limits.
//! - **maximal covering** (Church and ReVelle 1974: maximise the weight of clients within a
//!   radius of an open site): the same engine on the cost "weight if not covered", so the
//!   bound on the uncovered weight is an upper bound on the covered weight.
//! - **p-center** (minimise the largest distance from a client to its nearest open site):
//!   binary search over the sorted distinct distances; each radius is decided exactly by a
//!   set-cover branch and bound (dominance reductions, a disjoint-clients lower bound,
//!   branching on the client with the fewest candidates). A radius the search cannot decide
//!   within its limit goes to the covering engine; if that cannot decide it either, the
//!   radius does not count towards the lower bound.
//!
//! Every loop is bounded by [`SolveLimits`] (work, not time): when a limit stops a search
//! the result keeps a gap between value and bound instead of claiming optimality.
//!
//! # Determinism
//! Ties break by index, random starts use ChaCha8 with fixed seeds, and nothing iterates a
//! hash map: the same problem gives the same sites, value and bound.

use fixedbitset::FixedBitSet;
use petgraph::algo::dijkstra;
use petgraph::graph::{NodeIndex, UnGraph};
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;
use std::fmt;

/// Largest OR-Library text read [bytes].
pub const ORLIB_TEXT_BYTES_MAX: usize = 64 * 1024 * 1024;
/// Most nodes in an OR-Library file: the all-pairs matrix of 5 000 nodes is 200 MB.
pub const NODES_MAX: usize = 5_000;
/// Most edge lines in an OR-Library file.
pub const EDGES_MAX: usize = 2_000_000;
/// Largest edge cost, so that every sum of path lengths over every client stays an exact
/// integer in an `f64` (5 000 nodes × 5 000-edge paths × 10⁶ < 2⁵³).
pub const EDGE_COST_MAX: i64 = 1_000_000;
/// Most entries (clients × candidates) in a location problem.
pub const MATRIX_ENTRIES_MAX: usize = 25_000_000;

/// Something wrong with an OR-Library file or a location request.
#[derive(Debug, Clone, PartialEq)]
pub enum LocateError {
    /// A problem in an OR-Library file, at a 1-based line.
    Orlib { line: usize, message: String },
    /// A request or matrix the solvers cannot take (p out of range, a bad weight, clients
    /// that no site reaches).
    Problem(String),
}

impl fmt::Display for LocateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LocateError::Orlib { line, message } => write!(f, "line {line}: {message}"),
            LocateError::Problem(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for LocateError {}

fn orlib_error(line: usize, message: impl Into<String>) -> LocateError {
    LocateError::Orlib {
        line,
        message: message.into(),
    }
}

// ---------------------------------------------------------------------------------------
// OR-Library p-median files

/// An OR-Library p-median instance (Beasley 1985): an undirected graph and the number of
/// sites its published optimum opens.
#[derive(Clone, Debug, PartialEq)]
pub struct OrlibInstance {
    pub n_nodes: usize,
    /// Edge lines the header declares (repeated pairs included).
    pub n_edge_lines: usize,
    /// Sites to open, from the header.
    pub p: usize,
    /// One edge per node pair `(lower, higher, cost)`, 0-based, sorted by pair; where the file
    /// repeats a pair, the cost of its last line (the OR-Library's own rule, not the minimum).
    pub edges: Vec<(usize, usize, u64)>,
}

/// Parses an OR-Library p-median file: a header `n m p`, then `m` lines `i j cost` with
/// 1-based nodes. Blank lines are skipped; every other problem is an error at its line.
/// A self-loop `i i cost` is accepted and ignored (a node is at distance 0 from itself).
pub fn parse_orlib(text: &str) -> Result<OrlibInstance, LocateError> {
    if text.len() > ORLIB_TEXT_BYTES_MAX {
        return Err(LocateError::Problem(format!(
            "{} bytes is more than an OR-Library file may be ({ORLIB_TEXT_BYTES_MAX})",
            text.len()
        )));
    }
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(idx, line)| (idx + 1, line))
        .filter(|(_, line)| !line.trim().is_empty());
    let Some((header_line, header)) = lines.next() else {
        return Err(orlib_error(1, "empty file: expected a header `n m p`"));
    };
    let [n_nodes, n_edge_lines, p] = three_numbers(header, header_line, "a header `n m p`")?;
    let n_nodes = checked_count(n_nodes, 1, NODES_MAX as i64, "the number of nodes n", header_line)?;
    let n_edge_lines = checked_count(n_edge_lines, 0, EDGES_MAX as i64, "the number of edges m", header_line)?;
    let p = checked_count(p, 1, n_nodes as i64, "p", header_line)?;

    let mut costs: BTreeMap<(usize, usize), u64> = BTreeMap::new();
    let mut n_read = 0;
    let mut last_line = header_line;
    for (line_no, line) in lines {
        if n_read == n_edge_lines {
            return Err(orlib_error(
                line_no,
                format!("more lines than the {n_edge_lines} edges the header declares"),
            ));
        }
        let [from, to, cost] = three_numbers(line, line_no, "an edge `i j cost`")?;
        let from = node_of(from, n_nodes, line_no)?;
        let to = node_of(to, n_nodes, line_no)?;
        if cost < 0 {
            return Err(orlib_error(line_no, format!("negative cost {cost}")));
        }
        if cost > EDGE_COST_MAX {
            return Err(orlib_error(
                line_no,
                format!("cost {cost} is more than the largest allowed ({EDGE_COST_MAX})"),
            ));
        }
        if from != to {
            // Insert overwrites: the last line for a pair wins.
            costs.insert((from.min(to), from.max(to)), cost as u64);
        }
        n_read += 1;
        last_line = line_no;
    }
    if n_read < n_edge_lines {
        return Err(orlib_error(
            last_line + 1,
            format!("the header declares {n_edge_lines} edges but the file ends after {n_read}"),
        ));
    }
    Ok(OrlibInstance {
        n_nodes,
        n_edge_lines,
        p,
        edges: costs.into_iter().map(|((a, b), cost)| (a, b, cost)).collect(),
    })
}

/// The three whitespace-separated whole numbers of a line.
fn three_numbers(line: &str, line_no: usize, expected: &str) -> Result<[i64; 3], LocateError> {
    let fields: Vec<&str> = line.split_whitespace().collect();
    if fields.len() != 3 {
        return Err(orlib_error(
            line_no,
            format!("expected {expected} (3 numbers), found {} fields", fields.len()),
        ));
    }
    let mut numbers = [0_i64; 3];
    for (number, field) in numbers.iter_mut().zip(&fields) {
        *number = field
            .parse::<i64>()
            .map_err(|_| orlib_error(line_no, format!("`{field}` is not a whole number")))?;
    }
    Ok(numbers)
}

fn checked_count(value: i64, min: i64, max: i64, what: &str, line_no: usize) -> Result<usize, LocateError> {
    if value < min || value > max {
        return Err(orlib_error(
            line_no,
            format!("{what} must be between {min} and {max}, got {value}"),
        ));
    }
    Ok(value as usize)
}

/// A 1-based node number as a 0-based index.
fn node_of(value: i64, n_nodes: usize, line_no: usize) -> Result<usize, LocateError> {
    if value < 1 || value > n_nodes as i64 {
        return Err(orlib_error(
            line_no,
            format!("node {value} is out of range 1..={n_nodes}"),
        ));
    }
    Ok(value as usize - 1)
}

/// Shortest path lengths between every pair of nodes of an undirected graph.
#[derive(Clone, Debug, PartialEq)]
pub struct ShortestPaths {
    n_nodes: usize,
    /// Row-major `n_nodes × n_nodes`; infinite where no path joins the pair.
    length: Vec<f64>,
}

impl ShortestPaths {
    /// Dijkstra from every node (non-negative costs). Edges are `(from, to, cost)`, 0-based;
    /// the caller has already decided which cost a repeated pair keeps.
    pub fn from_edges(n_nodes: usize, edges: &[(usize, usize, u64)]) -> Result<ShortestPaths, LocateError> {
        if n_nodes == 0 || n_nodes > NODES_MAX {
            return Err(LocateError::Problem(format!(
                "the number of nodes must be between 1 and {NODES_MAX}, got {n_nodes}"
            )));
        }
        if let Some(&(from, to, _)) = edges.iter().find(|(from, to, _)| *from >= n_nodes || *to >= n_nodes) {
            return Err(LocateError::Problem(format!(
                "edge {from}–{to} names a node beyond the {n_nodes} of the graph"
            )));
        }
        let mut graph = UnGraph::<(), u64>::with_capacity(n_nodes, edges.len());
        let ids: Vec<NodeIndex> = (0..n_nodes).map(|_| graph.add_node(())).collect();
        for &(from, to, cost) in edges {
            graph.add_edge(ids[from], ids[to], cost);
        }
        let mut length = vec![f64::INFINITY; n_nodes * n_nodes];
        for (from, &start) in ids.iter().enumerate() {
            // dijkstra returns a HashMap: read it by index only, never iterate it.
            let reached = dijkstra(&graph, start, None, |e| *e.weight());
            for (to, node) in ids.iter().enumerate() {
                if let Some(&cost) = reached.get(node) {
                    length[from * n_nodes + to] = cost as f64;
                }
            }
        }
        Ok(ShortestPaths { n_nodes, length })
    }

    pub fn n_nodes(&self) -> usize {
        self.n_nodes
    }

    /// Length of the shortest path; infinite if none.
    pub fn between(&self, from: usize, to: usize) -> f64 {
        self.length[from * self.n_nodes + to]
    }
}

impl OrlibInstance {
    /// All-pairs shortest paths of the instance's graph.
    pub fn shortest_paths(&self) -> ShortestPaths {
        ShortestPaths::from_edges(self.n_nodes, &self.edges).expect("a parsed instance is within the limits")
    }
}

// ---------------------------------------------------------------------------------------
// Problems and solutions

/// Clients with weights, candidate sites, and the distance from each client to each
/// candidate (infinite where unreachable).
#[derive(Clone, Debug, PartialEq)]
pub struct LocationProblem {
    n_clients: usize,
    n_candidates: usize,
    /// Client-major `n_clients × n_candidates`.
    distance: Vec<f64>,
    /// Demand of each client (≥ 0); a client of weight 0 does not count.
    weight: Vec<f64>,
}

impl LocationProblem {
    /// `distance` is client-major (`distance[client * n_candidates + candidate]`), each entry
    /// non-negative or `+∞`; weights are finite and non-negative, at least one positive.
    pub fn new(
        n_clients: usize,
        n_candidates: usize,
        distance: Vec<f64>,
        weight: Vec<f64>,
    ) -> Result<LocationProblem, LocateError> {
        let problem = |message: String| Err(LocateError::Problem(message));
        if n_clients == 0 || n_candidates == 0 {
            return problem(format!(
                "a location problem needs clients and candidates, got {n_clients} and {n_candidates}"
            ));
        }
        if n_clients.saturating_mul(n_candidates) > MATRIX_ENTRIES_MAX {
            return problem(format!(
                "{n_clients} clients × {n_candidates} candidates is more than {MATRIX_ENTRIES_MAX} distances"
            ));
        }
        if distance.len() != n_clients * n_candidates || weight.len() != n_clients {
            return problem(format!(
                "expected {} distances and {n_clients} weights, got {} and {}",
                n_clients * n_candidates,
                distance.len(),
                weight.len()
            ));
        }
        if let Some(idx) = distance.iter().position(|d| d.is_nan() || *d < 0.0) {
            return problem(format!(
                "distance from client {} to candidate {} is {}: distances must be non-negative",
                idx / n_candidates,
                idx % n_candidates,
                distance[idx]
            ));
        }
        if let Some(client) = weight.iter().position(|w| !w.is_finite() || *w < 0.0) {
            return problem(format!(
                "weight of client {client} is {}: weights must be finite and non-negative",
                weight[client]
            ));
        }
        if !weight.iter().any(|w| *w > 0.0) {
            return problem("every client has weight 0: nothing to serve".to_string());
        }
        Ok(LocationProblem {
            n_clients,
            n_candidates,
            distance,
            weight,
        })
    }

    /// Every node a client of weight 1 and a candidate, as in the OR-Library instances.
    pub fn on_all_nodes(paths: &ShortestPaths) -> LocationProblem {
        let n_nodes = paths.n_nodes;
        LocationProblem::new(n_nodes, n_nodes, paths.length.clone(), vec![1.0; n_nodes])
            .expect("shortest paths are non-negative and within the size limits")
    }

    pub fn n_clients(&self) -> usize {
        self.n_clients
    }

    pub fn n_candidates(&self) -> usize {
        self.n_candidates
    }

    pub fn distance(&self, client: usize, candidate: usize) -> f64 {
        self.distance[client * self.n_candidates + candidate]
    }

    pub fn weight(&self, client: usize) -> f64 {
        self.weight[client]
    }

    /// Distance from a client to its nearest site in `sites` (infinite if none reaches it).
    fn nearest_distance(&self, client: usize, sites: &[usize]) -> f64 {
        sites
            .iter()
            .map(|&site| self.distance(client, site))
            .fold(f64::INFINITY, f64::min)
    }

    /// Weighted sum of distances to the nearest site (infinite if a client of positive
    /// weight is reached by none).
    pub fn median_value(&self, sites: &[usize]) -> f64 {
        (0..self.n_clients)
            .filter(|&client| self.weight[client] > 0.0)
            .map(|client| self.weight[client] * self.nearest_distance(client, sites))
            .sum()
    }

    /// Largest distance from a client of positive weight to its nearest site.
    pub fn center_value(&self, sites: &[usize]) -> f64 {
        (0..self.n_clients)
            .filter(|&client| self.weight[client] > 0.0)
            .map(|client| self.nearest_distance(client, sites))
            .fold(0.0, f64::max)
    }

    /// Weight of the clients within `radius` of a site.
    pub fn covered_weight(&self, sites: &[usize], radius: f64) -> f64 {
        (0..self.n_clients)
            .filter(|&client| self.nearest_distance(client, sites) <= radius)
            .map(|client| self.weight[client])
            .sum()
    }
}

/// What to optimise.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Objective {
    /// Minimise the weighted sum of distances from clients to their nearest site.
    Median,
    /// Minimise the largest distance from a client (of positive weight) to its nearest site;
    /// weights only say which clients count.
    Center,
    /// Maximise the weight of clients within `radius` of a site.
    Covering { radius: f64 },
}

impl Objective {
    pub fn name(&self) -> &'static str {
        match self {
            Objective::Median => "median",
            Objective::Center => "center",
            Objective::Covering { .. } => "covering",
        }
    }

    /// Whether the objective is maximised (its bound is then an upper bound).
    pub fn maximises(&self) -> bool {
        matches!(self, Objective::Covering { .. })
    }
}

/// How much work a solve may do.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SolveLimits {
    /// Seeded random starts of the local search, besides the greedy and Lagrangian ones.
    pub random_starts: usize,
    /// Improving swaps per local search.
    pub swaps_per_search_max: usize,
    /// Client × candidate entries the greedy start and all local searches of one solve may
    /// read together (pricing one candidate reads its column once). When it runs out the
    /// greedy start is completed in the order its last prices gave, and the searches stop
    /// where they are: the sites are still feasible and the bound still holds.
    pub search_entries_max: u64,
    /// Client × candidate entries the Lagrangian bounds of one solve may read, root and
    /// branch and bound together (a subgradient iteration reads each entry once).
    pub bound_entries_max: u64,
    /// Nodes of one Lagrangian branch and bound (p-median and covering).
    pub branch_nodes_max: usize,
    /// Bit-set words the p-center search of one solve may read, all radii together (a node
    /// reads about one row of candidate bits per client still to cover).
    pub center_search_words_max: u64,
}

impl Default for SolveLimits {
    fn default() -> Self {
        SolveLimits {
            random_starts: 8,
            swaps_per_search_max: 10_000,
            search_entries_max: 2_000_000_000,
            // Each of the three work limits is a few seconds on one core.
            bound_entries_max: 2_000_000_000,
            branch_nodes_max: 5_000,
            center_search_words_max: 2_000_000_000,
        }
    }
}

/// What is left of a solve's limits on work.
struct Budget {
    bound_entries: u64,
    center_words: u64,
    search_entries: u64,
}

impl Budget {
    /// Takes `entries` from the search budget if it has them.
    fn take_search(&mut self, entries: u64) -> bool {
        match self.search_entries.checked_sub(entries) {
            Some(left) => {
                self.search_entries = left;
                true
            }
            None => {
                self.search_entries = 0;
                false
            }
        }
    }
}

impl Budget {
    fn of(limits: &SolveLimits) -> Budget {
        Budget {
            bound_entries: limits.bound_entries_max,
            center_words: limits.center_search_words_max,
            search_entries: limits.search_entries_max,
        }
    }
}

/// Work done by a solve.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SolveWork {
    pub local_searches: usize,
    pub swaps: usize,
    pub subgradient_iterations: usize,
    pub branch_nodes: usize,
    /// p-center: radii decided, radii left undecided by the limits, and set-cover nodes.
    pub center_radii_decided: usize,
    pub center_radii_undecided: usize,
    pub center_nodes: usize,
    /// The greedy start or a local search was cut short by `search_entries_max`.
    pub search_cut: bool,
}

/// The sites chosen and how good they are.
#[derive(Clone, Debug, PartialEq)]
pub struct Solution {
    pub objective: Objective,
    /// Chosen candidates (0-based), ascending; exactly p of them.
    pub sites: Vec<usize>,
    /// The objective at `sites`: weighted sum of distances (median), largest distance
    /// (center) or weight covered (covering).
    pub value: f64,
    /// Proven bound on the optimum: a lower bound for median and center, an upper bound for
    /// covering. Equal to `value` when `sites` is proven optimal.
    pub bound: f64,
    pub work: SolveWork,
}

impl Solution {
    /// Relative distance between value and bound (0 when proven optimal).
    pub fn gap(&self) -> f64 {
        let (best, worst) = if self.objective.maximises() {
            (self.bound, self.value)
        } else {
            (self.value, self.bound)
        };
        if best == 0.0 {
            0.0
        } else {
            ((best - worst) / best).max(0.0)
        }
    }

    pub fn proven_optimal(&self) -> bool {
        self.value == self.bound
    }
}

/// Chooses `p` of the problem's candidates for the objective.
pub fn solve(
    problem: &LocationProblem,
    objective: Objective,
    p: usize,
    limits: &SolveLimits,
) -> Result<Solution, LocateError> {
    if p == 0 || p > problem.n_candidates {
        return Err(LocateError::Problem(format!(
            "p must be between 1 and the {} candidates, got {p}",
            problem.n_candidates
        )));
    }
    let budget = &mut Budget::of(limits);
    match objective {
        Objective::Median => solve_median(problem, p, limits, budget),
        Objective::Center => solve_center(problem, p, limits, budget),
        Objective::Covering { radius } => {
            if radius.is_nan() || radius < 0.0 {
                return Err(LocateError::Problem(format!(
                    "the covering radius must be a non-negative number, got {radius}"
                )));
            }
            solve_covering(problem, radius, p, limits, budget)
        }
    }
}

fn unreachable_error(problem: &LocationProblem, sites: &[usize], p: usize) -> LocateError {
    let n_unreached = (0..problem.n_clients)
        .filter(|&client| problem.weight[client] > 0.0 && problem.nearest_distance(client, sites).is_infinite())
        .count();
    LocateError::Problem(format!(
        "no set of {p} sites found that reaches every client: {n_unreached} clients are reached by none of the \
         best sites (the network may have more separate parts than sites)"
    ))
}

fn solve_median(
    problem: &LocationProblem,
    p: usize,
    limits: &SolveLimits,
    budget: &mut Budget,
) -> Result<Solution, LocateError> {
    let costs = Costs::median(problem);
    let found = minimise(&costs, p, limits, budget);
    let value = problem.median_value(&found.sites);
    if value.is_infinite() {
        return Err(unreachable_error(problem, &found.sites, p));
    }
    Ok(Solution {
        objective: Objective::Median,
        bound: found.lower_bound.min(value),
        sites: found.sites,
        value,
        work: found.work,
    })
}

fn solve_covering(
    problem: &LocationProblem,
    radius: f64,
    p: usize,
    limits: &SolveLimits,
    budget: &mut Budget,
) -> Result<Solution, LocateError> {
    let costs = Costs::uncovered(problem, radius, |client| problem.weight[client]);
    let found = minimise(&costs, p, limits, budget);
    let total: f64 = problem.weight.iter().sum();
    let value = problem.covered_weight(&found.sites, radius);
    Ok(Solution {
        objective: Objective::Covering { radius },
        bound: (total - found.lower_bound).max(value),
        sites: found.sites,
        value,
        work: found.work,
    })
}

// ---------------------------------------------------------------------------------------
// The median engine: minimise the sum over clients of the cost to the cheapest open site

/// Non-negative finite costs, candidate-major (`cost[candidate * n_clients + client]`) so
/// that pricing a candidate reads one contiguous column.
struct Costs {
    n_clients: usize,
    n_candidates: usize,
    cost: Vec<f64>,
    /// Every cost is a whole number and any total is exact: a lower bound may be rounded up.
    integral: bool,
}

/// Largest total of whole-number costs that an `f64` holds exactly.
const EXACT_INTEGER_MAX: f64 = 9_007_199_254_740_992.0;

impl Costs {
    fn from_fn(n_clients: usize, n_candidates: usize, cost_of: impl Fn(usize, usize) -> f64) -> Costs {
        let mut cost = Vec::with_capacity(n_clients * n_candidates);
        for candidate in 0..n_candidates {
            cost.extend((0..n_clients).map(|client| cost_of(client, candidate)));
        }
        let integral = cost.iter().all(|c| c.fract() == 0.0) && {
            let worst_total: f64 = (0..n_clients)
                .map(|client| {
                    (0..n_candidates)
                        .map(|candidate| cost[candidate * n_clients + client])
                        .fold(0.0, f64::max)
                })
                .sum();
            worst_total < EXACT_INTEGER_MAX
        };
        Costs {
            n_clients,
            n_candidates,
            cost,
            integral,
        }
    }

    /// Weighted distance; a pair no path joins costs more than any solution that serves
    /// everyone, so that the search first serves every client it can.
    fn median(problem: &LocationProblem) -> Costs {
        let finite_worst: f64 = (0..problem.n_clients)
            .map(|client| {
                let row = &problem.distance[client * problem.n_candidates..(client + 1) * problem.n_candidates];
                problem.weight[client] * row.iter().filter(|d| d.is_finite()).fold(0.0_f64, |a, &d| a.max(d))
            })
            .sum();
        let weight_min = problem
            .weight
            .iter()
            .filter(|w| **w > 0.0)
            .fold(f64::INFINITY, |a, &w| a.min(w));
        let unreachable = (finite_worst / weight_min + 1.0).ceil();
        Costs::from_fn(problem.n_clients, problem.n_candidates, |client, candidate| {
            let d = problem.distance(client, candidate);
            problem.weight[client] * if d.is_finite() { d } else { unreachable }
        })
    }

    /// `penalty(client)` where the candidate is farther than the radius, 0 within it.
    fn uncovered(problem: &LocationProblem, radius: f64, penalty: impl Fn(usize) -> f64) -> Costs {
        Costs::from_fn(problem.n_clients, problem.n_candidates, |client, candidate| {
            if problem.distance(client, candidate) <= radius {
                0.0
            } else {
                penalty(client)
            }
        })
    }

    /// Subgradient iterations the budget still allows, at most `cap`.
    fn iterations_allowed(&self, budget: &Budget, cap: usize) -> usize {
        let entries = (self.n_clients * self.n_candidates) as u64;
        (budget.bound_entries / entries).min(cap as u64) as usize
    }

    fn charge(&self, budget: &mut Budget, iterations: usize) {
        let entries = (self.n_clients * self.n_candidates) as u64;
        budget.bound_entries = budget.bound_entries.saturating_sub(iterations as u64 * entries);
    }

    fn column(&self, candidate: usize) -> &[f64] {
        &self.cost[candidate * self.n_clients..(candidate + 1) * self.n_clients]
    }

    fn total(&self, sites: &[usize]) -> f64 {
        Assignment::of(self, sites).total
    }

    /// Whether a lower bound shows that no solution costs less than `total` (for fractional
    /// costs, less by more than a relative 1e-9).
    fn cannot_beat(&self, bound: f64, total: f64) -> bool {
        let slack = if self.integral {
            0.0
        } else {
            1e-9 * total.abs().max(1.0)
        };
        self.rounded_bound(bound) >= total - slack
    }

    /// A lower bound rounded up where the costs allow it; the subtraction absorbs rounding
    /// in the multipliers' sums.
    fn rounded_bound(&self, bound: f64) -> f64 {
        if self.integral {
            (bound - 1e-6 * bound.abs().max(1.0)).ceil()
        } else {
            bound
        }
    }
}

/// Each client's nearest and second-nearest open site.
struct Assignment {
    nearest: Vec<usize>,
    first: Vec<f64>,
    second: Vec<f64>,
    total: f64,
}

impl Assignment {
    fn of(costs: &Costs, sites: &[usize]) -> Assignment {
        let n = costs.n_clients;
        let mut nearest = vec![usize::MAX; n];
        let mut first = vec![f64::INFINITY; n];
        let mut second = vec![f64::INFINITY; n];
        for &site in sites {
            for (client, &c) in costs.column(site).iter().enumerate() {
                if c < first[client] {
                    second[client] = first[client];
                    first[client] = c;
                    nearest[client] = site;
                } else if c < second[client] {
                    second[client] = c;
                }
            }
        }
        let total = first.iter().sum();
        Assignment {
            nearest,
            first,
            second,
            total,
        }
    }
}

struct EngineResult {
    sites: Vec<usize>,
    lower_bound: f64,
    work: SolveWork,
}

/// Best of the local searches from every start; then the Lagrangian bound at the root and,
/// if that leaves a gap, a Lagrangian branch and bound that closes it within the limits.
fn minimise(costs: &Costs, p: usize, limits: &SolveLimits, budget: &mut Budget) -> EngineResult {
    let mut work = SolveWork::default();
    let start = greedy(costs, p, budget, &mut work);
    let mut incumbent = search_from(costs, start, limits, budget, &mut work);
    for seed in 0..limits.random_starts as u64 {
        if budget.search_entries == 0 {
            break;
        }
        let start = random_sites(costs.n_candidates, p, seed);
        keep_better(&mut incumbent, search_from(costs, start, limits, budget, &mut work));
    }
    let iterations = costs.iterations_allowed(budget, ROOT_ITERATIONS_MAX);
    if iterations == 0 {
        let (mut sites, _) = incumbent;
        sites.sort_unstable();
        // Costs are non-negative: 0 is a bound without any relaxation.
        return EngineResult {
            sites,
            lower_bound: 0.0,
            work,
        };
    }
    let free = Fixing::free(costs.n_candidates);
    let multipliers = initial_multipliers(costs);
    let root = relax(costs, p, &free, &multipliers, &mut incumbent, iterations, &ROOT_STEPS);
    costs.charge(budget, root.iterations);
    work.subgradient_iterations += root.iterations;
    // The relaxation's sites, and any better sites it met, are starts too.
    for start in [root.open.clone(), incumbent.0.clone()] {
        if start.len() == p {
            keep_better(&mut incumbent, search_from(costs, start, limits, budget, &mut work));
        }
    }
    let mut lower_bound = costs.rounded_bound(root.bound);
    if !costs.cannot_beat(root.bound, incumbent.1)
        && branch_and_bound(
            costs,
            p,
            root,
            &mut incumbent,
            limits.branch_nodes_max,
            budget,
            &mut work,
        )
    {
        lower_bound = incumbent.1;
    }
    let (mut sites, total) = incumbent;
    sites.sort_unstable();
    EngineResult {
        sites,
        lower_bound: lower_bound.clamp(0.0, total),
        work,
    }
}

/// Local search from a start; returns the sites and their total.
fn search_from(
    costs: &Costs,
    start: Vec<usize>,
    limits: &SolveLimits,
    budget: &mut Budget,
    work: &mut SolveWork,
) -> (Vec<usize>, f64) {
    let (sites, total, swaps, cut) = improve(costs, start, limits.swaps_per_search_max, budget);
    work.local_searches += 1;
    work.swaps += swaps;
    work.search_cut |= cut;
    (sites, total)
}

/// Keeps the strictly better of two solutions (ties keep the earlier one).
fn keep_better(best: &mut (Vec<usize>, f64), candidate: (Vec<usize>, f64)) {
    if candidate.1 < best.1 {
        *best = candidate;
    }
}

/// Adds, one at a time, the candidate that lowers the total most (ties: lowest index).
///
/// Lazily (Minoux's accelerated greedy): what a candidate saves can only shrink as sites
/// open (the saving of a site is submodular), so a saving priced in an earlier round is an
/// upper bound, and a candidate whose fresh price still tops every bound is the choice
/// without pricing the rest. The first round prices every candidate. Pricing reads a
/// column, charged to the search budget; when that runs out the remaining sites are taken
/// in the order of their last prices.
fn greedy(costs: &Costs, p: usize, budget: &mut Budget, work: &mut SolveWork) -> Vec<usize> {
    use std::cmp::Ordering;
    use std::collections::BinaryHeap;

    /// A candidate's saving as last priced, and the round it was priced in.
    struct Priced {
        saving: f64,
        candidate: usize,
        round: usize,
    }
    impl PartialEq for Priced {
        fn eq(&self, other: &Self) -> bool {
            self.cmp(other) == Ordering::Equal
        }
    }
    impl Eq for Priced {}
    impl PartialOrd for Priced {
        fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
            Some(self.cmp(other))
        }
    }
    impl Ord for Priced {
        // Largest saving first; among equal savings the lowest index.
        fn cmp(&self, other: &Self) -> Ordering {
            self.saving
                .total_cmp(&other.saving)
                .then_with(|| other.candidate.cmp(&self.candidate))
        }
    }

    let n_clients = costs.n_clients as u64;
    let mut sites = Vec::with_capacity(p);
    // Round 0: the single best site, by its total (nothing is served yet).
    let mut first_site: Option<(usize, f64)> = None;
    let mut totals = Vec::with_capacity(costs.n_candidates);
    for candidate in 0..costs.n_candidates {
        budget.take_search(n_clients);
        let total: f64 = costs.column(candidate).iter().sum();
        totals.push(total);
        if first_site.is_none_or(|(_, best)| total < best) {
            first_site = Some((candidate, total));
        }
    }
    let (chosen, _) = first_site.expect("p ≤ the number of candidates");
    sites.push(chosen);
    let mut first: Vec<f64> = costs.column(chosen).to_vec();
    // No candidate saves more than the chosen site's total: the bound every candidate
    // starts from, so the next round prices them all.
    let mut heap: BinaryHeap<Priced> = (0..costs.n_candidates)
        .filter(|&c| c != chosen)
        .map(|candidate| Priced {
            saving: totals[chosen],
            candidate,
            round: 0,
        })
        .collect();
    for round in 1..p {
        let chosen = loop {
            let top = heap.pop().expect("p ≤ the number of candidates");
            if top.round == round {
                break top.candidate;
            }
            if !budget.take_search(n_clients) {
                // Out of budget: the best bound left is the choice.
                work.search_cut = true;
                break top.candidate;
            }
            let saving: f64 = costs
                .column(top.candidate)
                .iter()
                .zip(&first)
                .map(|(&c, &f)| (f - c).max(0.0))
                .sum();
            heap.push(Priced {
                saving,
                candidate: top.candidate,
                round,
            });
        };
        sites.push(chosen);
        for (f, &c) in first.iter_mut().zip(costs.column(chosen)) {
            *f = f.min(c);
        }
    }
    sites
}

/// `p` distinct candidates drawn with a ChaCha8 generator seeded by `seed` (partial
/// Fisher–Yates; the modulo bias is irrelevant for a start).
fn random_sites(n_candidates: usize, p: usize, seed: u64) -> Vec<usize> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut order: Vec<usize> = (0..n_candidates).collect();
    for idx in 0..p {
        let pick = idx + (rng.next_u64() % (n_candidates - idx) as u64) as usize;
        order.swap(idx, pick);
    }
    order.truncate(p);
    order
}

/// Swap local search with Whitaker's fast interchange, best improvement per pass, until no
/// swap lowers the total, `swaps_max` swaps are made or the search budget runs out.
/// Returns the sites, their total, the number of swaps and whether the budget cut it.
fn improve(
    costs: &Costs,
    mut sites: Vec<usize>,
    swaps_max: usize,
    budget: &mut Budget,
) -> (Vec<usize>, f64, usize, bool) {
    let mut is_open = vec![false; costs.n_candidates];
    for &site in &sites {
        is_open[site] = true;
    }
    let mut assignment = Assignment::of(costs, &sites);
    // Loss of closing each open site, for the candidate being priced; indexed by candidate.
    let mut loss = vec![0.0; costs.n_candidates];
    let mut n_swaps = 0;
    // A pass prices every closed candidate; a swap then reassigns from the open sites.
    let pass_entries = costs.n_candidates as u64 * costs.n_clients as u64;
    let mut cut = false;
    while n_swaps < swaps_max {
        if !budget.take_search(pass_entries) {
            cut = true;
            break;
        }
        let tolerance = 1e-12 * assignment.total.abs().max(1.0);
        let mut best: Option<(f64, usize, usize)> = None;
        for candidate in (0..costs.n_candidates).filter(|&c| !is_open[c]) {
            for &site in &sites {
                loss[site] = 0.0;
            }
            let mut gain = 0.0;
            for (client, &c) in costs.column(candidate).iter().enumerate() {
                let first = assignment.first[client];
                if c < first {
                    // The client moves to the new site whichever site closes.
                    gain += first - c;
                } else {
                    loss[assignment.nearest[client]] += c.min(assignment.second[client]) - first;
                }
            }
            for &site in &sites {
                let delta = loss[site] - gain;
                if delta < -tolerance && best.is_none_or(|(best_delta, _, _)| delta < best_delta) {
                    best = Some((delta, candidate, site));
                }
            }
        }
        let Some((_, incoming, outgoing)) = best else { break };
        is_open[outgoing] = false;
        is_open[incoming] = true;
        let slot = sites
            .iter()
            .position(|&s| s == outgoing)
            .expect("the outgoing site is open");
        sites[slot] = incoming;
        assignment = Assignment::of(costs, &sites);
        n_swaps += 1;
    }
    (sites, assignment.total, n_swaps, cut)
}

/// Whether branching has forced a candidate open or closed.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Fix {
    Free,
    Open,
    Closed,
}

/// The candidates a branch-and-bound node has fixed.
#[derive(Clone, Debug)]
struct Fixing {
    state: Vec<Fix>,
    n_open: usize,
    n_free: usize,
}

impl Fixing {
    fn free(n_candidates: usize) -> Fixing {
        Fixing {
            state: vec![Fix::Free; n_candidates],
            n_open: 0,
            n_free: n_candidates,
        }
    }

    fn with(&self, candidate: usize, fix: Fix) -> Fixing {
        let mut fixing = self.clone();
        fixing.set(candidate, fix);
        fixing
    }

    fn set(&mut self, candidate: usize, fix: Fix) {
        debug_assert_eq!(self.state[candidate], Fix::Free, "only a free candidate is fixed");
        self.state[candidate] = fix;
        self.n_free -= 1;
        if fix == Fix::Open {
            self.n_open += 1;
        }
    }
}

/// How the subgradient moves: the first step factor, and how many iterations without a
/// better bound before it halves.
struct Steps {
    factor_start: f64,
    patience: usize,
}

const ROOT_STEPS: Steps = Steps {
    factor_start: 2.0,
    patience: 20,
};
/// A node starts from its parent's multipliers, so it starts with smaller steps.
const NODE_STEPS: Steps = Steps {
    factor_start: 0.5,
    patience: 10,
};
/// Subgradient iterations at the root and at each node of the branch and bound.
const ROOT_ITERATIONS_MAX: usize = 5_000;
const NODE_ITERATIONS_MAX: usize = 300;
/// The subgradient stops when its step factor falls below this.
const SUBGRADIENT_FACTOR_MIN: f64 = 1e-3;
/// A bound that rises by less than this (relative) is not an improvement.
const SUBGRADIENT_RISE_MIN: f64 = 1e-9;

/// Each client's second-cheapest cost (Beasley's starting multipliers).
fn initial_multipliers(costs: &Costs) -> Vec<f64> {
    let (n_clients, n_candidates) = (costs.n_clients, costs.n_candidates);
    (0..n_clients)
        .map(|client| {
            let (mut low, mut second) = (f64::INFINITY, f64::INFINITY);
            for candidate in 0..n_candidates {
                let c = costs.cost[candidate * n_clients + client];
                if c < low {
                    second = low;
                    low = c;
                } else if c < second {
                    second = c;
                }
            }
            if second.is_finite() { second } else { low }
        })
        .collect()
}

/// The best point the subgradient reached at one node.
struct Relaxation {
    /// Best Lagrangian value (unrounded); infinite if the fixing admits no solution.
    bound: f64,
    /// Multipliers, `ρ` and open sites at that value.
    lambda: Vec<f64>,
    rho: Vec<f64>,
    open: Vec<usize>,
    iterations: usize,
}

/// Lagrangian relaxation of the assignment constraints (Beasley 1993): with a multiplier
/// `λ_i` per client, `L(λ) = Σ λ_i + Σ_{open} ρ_j` with `ρ_j = Σ_i min(0, c_ij − λ_i)`, the
/// open sites being those forced open and the cheapest free ones up to p, is a lower bound
/// on every solution that respects the fixing; subgradient steps
/// `t = f (upper − L) / |g|²` raise it. Each relaxed solution is also priced as a real one
/// and kept in `incumbent` if better.
fn relax(
    costs: &Costs,
    p: usize,
    fixing: &Fixing,
    lambda_start: &[f64],
    incumbent: &mut (Vec<usize>, f64),
    iterations_max: usize,
    steps: &Steps,
) -> Relaxation {
    let n_clients = costs.n_clients;
    let mut best = Relaxation {
        bound: f64::NEG_INFINITY,
        lambda: lambda_start.to_vec(),
        rho: Vec::new(),
        open: Vec::new(),
        iterations: 0,
    };
    if fixing.n_open > p || fixing.n_open + fixing.n_free < p {
        best.bound = f64::INFINITY;
        return best;
    }
    let mut lambda = lambda_start.to_vec();
    let mut rho = vec![0.0; costs.n_candidates];
    let forced: Vec<usize> = (0..costs.n_candidates)
        .filter(|&j| fixing.state[j] == Fix::Open)
        .collect();
    let mut free: Vec<usize> = (0..costs.n_candidates)
        .filter(|&j| fixing.state[j] == Fix::Free)
        .collect();
    let mut open = Vec::with_capacity(p);
    let mut subgradient = vec![0.0; n_clients];
    let mut factor = steps.factor_start;
    let mut since_improvement = 0;
    for iteration in 0..iterations_max {
        best.iterations = iteration + 1;
        for &candidate in forced.iter().chain(&free) {
            rho[candidate] = costs
                .column(candidate)
                .iter()
                .zip(&lambda)
                .map(|(&c, &l)| (c - l).min(0.0))
                .sum();
        }
        free.sort_by(|&a, &b| rho[a].total_cmp(&rho[b]).then(a.cmp(&b)));
        open.clear();
        open.extend_from_slice(&forced);
        open.extend_from_slice(&free[..p - forced.len()]);
        let value = lambda.iter().sum::<f64>() + open.iter().map(|&j| rho[j]).sum::<f64>();
        let primal = costs.total(&open);
        if primal < incumbent.1 {
            *incumbent = (open.clone(), primal);
        }
        if value > best.bound {
            if value > best.bound + SUBGRADIENT_RISE_MIN * best.bound.abs().max(1.0) {
                since_improvement = 0;
            }
            best.bound = value;
            best.lambda.clone_from(&lambda);
            best.rho.clone_from(&rho);
            best.open.clone_from(&open);
        }
        since_improvement += 1;
        if since_improvement > steps.patience {
            factor /= 2.0;
            since_improvement = 0;
        }
        if costs.cannot_beat(best.bound, incumbent.1) || factor < SUBGRADIENT_FACTOR_MIN {
            break;
        }
        subgradient.fill(1.0);
        for &site in &open {
            for ((g, &c), &l) in subgradient.iter_mut().zip(costs.column(site)).zip(&lambda) {
                if c < l {
                    *g -= 1.0;
                }
            }
        }
        let norm: f64 = subgradient.iter().map(|g| g * g).sum();
        if norm == 0.0 {
            // Every client is assigned exactly once: the relaxed solution is feasible and
            // its cost is the bound, so no multiplier does better at this node.
            break;
        }
        let step = factor * (incumbent.1 - value).max(0.0) / norm;
        if step == 0.0 {
            break;
        }
        for (l, g) in lambda.iter_mut().zip(&subgradient) {
            *l += step * g;
        }
    }
    best
}

/// Depth-first Lagrangian branch and bound on which candidates are open. At each node:
/// prune if the bound cannot beat the incumbent; fix candidates by their reduced costs
/// (opening a closed one, or closing an open one, would lift the bound past the incumbent);
/// price a node whose fixing leaves one solution; otherwise branch on the free open
/// candidate with the largest `ρ` (the least sure of being open), its open side first.
/// Returns whether the tree was searched to the end (the incumbent is then optimal).
fn branch_and_bound(
    costs: &Costs,
    p: usize,
    root: Relaxation,
    incumbent: &mut (Vec<usize>, f64),
    nodes_max: usize,
    budget: &mut Budget,
    work: &mut SolveWork,
) -> bool {
    let mut stack: Vec<(Fixing, Vec<f64>)> = Vec::new();
    let mut n_nodes = 0;
    branch(costs, p, Fixing::free(costs.n_candidates), root, incumbent, &mut stack);
    while let Some((fixing, lambda)) = stack.pop() {
        let iterations = costs.iterations_allowed(budget, NODE_ITERATIONS_MAX);
        if n_nodes == nodes_max || iterations == 0 {
            return false;
        }
        n_nodes += 1;
        work.branch_nodes += 1;
        let relaxation = relax(costs, p, &fixing, &lambda, incumbent, iterations, &NODE_STEPS);
        costs.charge(budget, relaxation.iterations);
        work.subgradient_iterations += relaxation.iterations;
        branch(costs, p, fixing, relaxation, incumbent, &mut stack);
    }
    true
}

/// The children of a node, pushed on the stack (none if the node is pruned or priced).
fn branch(
    costs: &Costs,
    p: usize,
    mut fixing: Fixing,
    relaxation: Relaxation,
    incumbent: &mut (Vec<usize>, f64),
    stack: &mut Vec<(Fixing, Vec<f64>)>,
) {
    if relaxation.bound == f64::INFINITY || costs.cannot_beat(relaxation.bound, incumbent.1) {
        return;
    }
    assert!(!relaxation.open.is_empty(), "a relaxation that ran has open sites");
    let rho = &relaxation.rho;
    let free_open: Vec<usize> = relaxation
        .open
        .iter()
        .copied()
        .filter(|&j| fixing.state[j] == Fix::Free)
        .collect();
    let mut free_closed: Vec<usize> = (0..costs.n_candidates)
        .filter(|&j| fixing.state[j] == Fix::Free && !free_open.contains(&j))
        .collect();
    free_closed.sort_by(|&a, &b| rho[a].total_cmp(&rho[b]).then(a.cmp(&b)));
    // The dearest free site the relaxation opens, and the cheapest it leaves closed.
    let last_open = free_open.iter().map(|&j| rho[j]).fold(f64::NEG_INFINITY, f64::max);
    let first_closed = free_closed.first().map(|&j| rho[j]);
    for &j in &free_closed {
        if costs.cannot_beat(relaxation.bound - last_open + rho[j], incumbent.1) {
            fixing.set(j, Fix::Closed);
        }
    }
    for &j in &free_open {
        let closing_bound = first_closed.map_or(f64::INFINITY, |next| relaxation.bound - rho[j] + next);
        if costs.cannot_beat(closing_bound, incumbent.1) {
            fixing.set(j, Fix::Open);
        }
    }
    if fixing.n_open > p || fixing.n_open + fixing.n_free < p {
        return;
    }
    if fixing.n_open == p || fixing.n_open + fixing.n_free == p {
        // One solution is left: the forced sites, and every free one if they are needed.
        let sites: Vec<usize> = (0..costs.n_candidates)
            .filter(|&j| fixing.state[j] == Fix::Open || (fixing.n_open < p && fixing.state[j] == Fix::Free))
            .collect();
        let total = costs.total(&sites);
        if total < incumbent.1 {
            *incumbent = (sites, total);
        }
        return;
    }
    let pivot = free_open
        .iter()
        .copied()
        .filter(|&j| fixing.state[j] == Fix::Free)
        .max_by(|&a, &b| rho[a].total_cmp(&rho[b]).then(b.cmp(&a)))
        .or_else(|| free_closed.iter().copied().find(|&j| fixing.state[j] == Fix::Free))
        .expect("a node with a choice left has a free candidate");
    stack.push((fixing.with(pivot, Fix::Closed), relaxation.lambda.clone()));
    stack.push((fixing.with(pivot, Fix::Open), relaxation.lambda));
}

// ---------------------------------------------------------------------------------------
// p-center: binary search over radii, each decided by a set-cover branch and bound

/// What a radius decision found.
enum Decision {
    /// Sites (fewer than or exactly p) within the radius of every counted client.
    Feasible(Vec<usize>),
    /// No p sites cover every counted client within the radius.
    Infeasible,
    /// The limits were reached before either.
    Undecided,
}

fn solve_center(
    problem: &LocationProblem,
    p: usize,
    limits: &SolveLimits,
    budget: &mut Budget,
) -> Result<Solution, LocateError> {
    let clients: Vec<usize> = (0..problem.n_clients)
        .filter(|&client| problem.weight[client] > 0.0)
        .collect();
    let mut work = SolveWork::default();
    // Every client needs its nearest candidate: no radius below the largest of these works.
    let mut nearest_max = 0.0_f64;
    for &client in &clients {
        let row = &problem.distance[client * problem.n_candidates..(client + 1) * problem.n_candidates];
        let nearest = row.iter().fold(f64::INFINITY, |a, &d| a.min(d));
        if nearest.is_infinite() {
            return Err(LocateError::Problem(format!(
                "client {client} is reached by no candidate site"
            )));
        }
        nearest_max = nearest_max.max(nearest);
    }
    let mut radii: Vec<f64> = clients
        .iter()
        .flat_map(|&client| (0..problem.n_candidates).map(move |candidate| problem.distance(client, candidate)))
        .filter(|d| d.is_finite() && *d >= nearest_max)
        .collect();
    radii.sort_by(f64::total_cmp);
    radii.dedup();
    let index_of = |radius: f64| radii.partition_point(|&r| r < radius);

    // An upper bound to start from: greedy sites for the largest distance, else the largest
    // radius decided exactly.
    let greedy_sites = greedy_center(problem, &clients, p);
    let greedy_radius = problem.center_value(&greedy_sites);
    let (mut high, mut best_sites) = if greedy_radius.is_finite() {
        (index_of(greedy_radius), greedy_sites)
    } else {
        let last = radii.len() - 1;
        match decide_radius(problem, &clients, radii[last], p, limits, budget, &mut work) {
            Decision::Feasible(sites) => (last, sites),
            Decision::Infeasible => return Err(unreachable_error(problem, &greedy_sites, p)),
            Decision::Undecided => {
                return Err(LocateError::Problem(format!(
                    "no set of {p} sites found that reaches every client within the solver's limits"
                )));
            }
        }
    };
    // Radii below `low` are infeasible (proven below `proven_low`, assumed above it where a
    // decision ran out of nodes).
    let (mut low, mut proven_low) = (0, 0);
    while low < high {
        let mid = low + (high - low) / 2;
        match decide_radius(problem, &clients, radii[mid], p, limits, budget, &mut work) {
            Decision::Feasible(sites) => {
                high = index_of(problem.center_value(&sites)).min(mid);
                best_sites = sites;
            }
            Decision::Infeasible => {
                low = mid + 1;
                proven_low = low;
            }
            Decision::Undecided => low = mid + 1,
        }
    }
    let sites = pad_sites(problem, &clients, best_sites, p);
    Ok(Solution {
        objective: Objective::Center,
        value: problem.center_value(&sites),
        bound: radii[proven_low],
        sites,
        work,
    })
}

/// Adds, one at a time, the candidate that lowers the largest distance most (ties: the
/// smaller sum of distances, then the lowest index).
fn greedy_center(problem: &LocationProblem, clients: &[usize], p: usize) -> Vec<usize> {
    let mut nearest = vec![f64::INFINITY; clients.len()];
    let mut sites: Vec<usize> = Vec::with_capacity(p);
    for _ in 0..p {
        let mut choice: Option<(usize, f64, f64)> = None;
        for candidate in (0..problem.n_candidates).filter(|c| !sites.contains(c)) {
            let (mut worst, mut sum) = (0.0_f64, 0.0);
            for (&client, &d) in clients.iter().zip(&nearest) {
                let d = d.min(problem.distance(client, candidate));
                worst = worst.max(d);
                sum += d;
            }
            if choice.is_none_or(|(_, w, s)| (worst, sum) < (w, s)) {
                choice = Some((candidate, worst, sum));
            }
        }
        let (candidate, _, _) = choice.expect("p ≤ the number of candidates");
        sites.push(candidate);
        for (&client, d) in clients.iter().zip(nearest.iter_mut()) {
            *d = d.min(problem.distance(client, candidate));
        }
    }
    sites.sort_unstable();
    sites
}

/// Fills a cover of fewer than p sites up to p, adding the candidate that most lowers the
/// sum of distances (adding a site never raises the largest distance).
fn pad_sites(problem: &LocationProblem, clients: &[usize], mut sites: Vec<usize>, p: usize) -> Vec<usize> {
    let mut nearest: Vec<f64> = clients
        .iter()
        .map(|&client| problem.nearest_distance(client, &sites))
        .collect();
    while sites.len() < p {
        let mut choice: Option<(usize, f64)> = None;
        for candidate in (0..problem.n_candidates).filter(|c| !sites.contains(c)) {
            let sum: f64 = clients
                .iter()
                .zip(&nearest)
                .map(|(&client, &d)| d.min(problem.distance(client, candidate)))
                .sum();
            if choice.is_none_or(|(_, best)| sum < best) {
                choice = Some((candidate, sum));
            }
        }
        let (candidate, _) = choice.expect("p ≤ the number of candidates");
        sites.push(candidate);
        for (&client, d) in clients.iter().zip(nearest.iter_mut()) {
            *d = d.min(problem.distance(client, candidate));
        }
    }
    sites.sort_unstable();
    sites
}

/// Whether p sites can cover every counted client within `radius`: the set-cover branch
/// and bound, and if it runs out of nodes, the covering engine (local search, Lagrangian
/// bound and its own branch and bound) on "clients left uncovered".
fn decide_radius(
    problem: &LocationProblem,
    clients: &[usize],
    radius: f64,
    p: usize,
    limits: &SolveLimits,
    budget: &mut Budget,
    work: &mut SolveWork,
) -> Decision {
    let cover = SetCover::at_radius(problem, clients, radius);
    let words_per_node = cover.words_per_node();
    let nodes_max = (budget.center_words / words_per_node) as usize;
    let (decision, nodes) = cover.search(p, nodes_max);
    budget.center_words = budget.center_words.saturating_sub(nodes as u64 * words_per_node);
    work.center_nodes += nodes;
    let decision = match decision {
        Decision::Undecided => {
            let mut counted = vec![false; problem.n_clients];
            for &client in clients {
                counted[client] = true;
            }
            let costs = Costs::uncovered(problem, radius, |client| if counted[client] { 1.0 } else { 0.0 });
            let found = minimise(&costs, p, limits, budget);
            work.local_searches += found.work.local_searches;
            work.swaps += found.work.swaps;
            work.subgradient_iterations += found.work.subgradient_iterations;
            work.branch_nodes += found.work.branch_nodes;
            if costs.total(&found.sites) == 0.0 {
                Decision::Feasible(found.sites)
            } else if found.lower_bound > 0.0 {
                Decision::Infeasible
            } else {
                Decision::Undecided
            }
        }
        decided => decided,
    };
    if matches!(decision, Decision::Undecided) {
        work.center_radii_undecided += 1;
    } else {
        work.center_radii_decided += 1;
    }
    decision
}

/// A set-cover instance reduced by dominance: rows are the clients still to cover, columns
/// the candidate sites still useful (in the problem's indices through `candidate_of`).
struct SetCover {
    candidate_of: Vec<usize>,
    /// Per kept client, the kept candidates within the radius.
    reach: Vec<FixedBitSet>,
    /// Per kept candidate, the kept clients within the radius.
    covers: Vec<FixedBitSet>,
    /// Clients ordered by how few candidates reach them (for the lower bound).
    by_scarcity: Vec<usize>,
    /// Some client is reached by no candidate at all.
    hopeless: bool,
}

/// Rounds of dominance reduction (each removes clients, then candidates).
const REDUCTION_ROUNDS_MAX: usize = 8;

impl SetCover {
    fn at_radius(problem: &LocationProblem, clients: &[usize], radius: f64) -> SetCover {
        let n_candidates = problem.n_candidates;
        let mut reach: Vec<FixedBitSet> = clients
            .iter()
            .map(|&client| {
                let mut set = FixedBitSet::with_capacity(n_candidates);
                for candidate in 0..n_candidates {
                    if problem.distance(client, candidate) <= radius {
                        set.insert(candidate);
                    }
                }
                set
            })
            .collect();
        if reach.iter().any(|set| set.is_clear()) {
            return SetCover {
                candidate_of: Vec::new(),
                reach: Vec::new(),
                covers: Vec::new(),
                by_scarcity: Vec::new(),
                hopeless: true,
            };
        }
        let mut kept_clients: Vec<usize> = (0..clients.len()).collect();
        let mut kept_candidates = FixedBitSet::with_capacity(n_candidates);
        kept_candidates.insert_range(..);
        for _ in 0..REDUCTION_ROUNDS_MAX {
            let n_before = (kept_clients.len(), kept_candidates.count_ones(..));
            // A client whose candidates include all of another's is covered whenever that
            // one is: drop it.
            kept_clients = undominated(&kept_clients, |idx| &reach[idx]);
            // A candidate that covers a subset of what another covers is never needed.
            let covers: Vec<FixedBitSet> = (0..n_candidates)
                .map(|candidate| {
                    let mut set = FixedBitSet::with_capacity(clients.len());
                    for &idx in &kept_clients {
                        if reach[idx].contains(candidate) {
                            set.insert(idx);
                        }
                    }
                    set
                })
                .collect();
            let alive: Vec<usize> = kept_candidates.ones().filter(|&c| !covers[c].is_clear()).collect();
            let mut by_size = alive.clone();
            by_size.sort_by_key(|&c| std::cmp::Reverse(covers[c].count_ones(..)));
            let kept = undominated_rev(&by_size, |c| &covers[c]);
            kept_candidates.clear();
            for c in kept {
                kept_candidates.insert(c);
            }
            for set in reach.iter_mut() {
                set.intersect_with(&kept_candidates);
            }
            if (kept_clients.len(), kept_candidates.count_ones(..)) == n_before {
                break;
            }
        }
        // Re-index to the kept clients and candidates.
        let candidate_of: Vec<usize> = kept_candidates.ones().collect();
        let reach: Vec<FixedBitSet> = kept_clients
            .iter()
            .map(|&idx| {
                let mut set = FixedBitSet::with_capacity(candidate_of.len());
                for (new, &candidate) in candidate_of.iter().enumerate() {
                    if reach[idx].contains(candidate) {
                        set.insert(new);
                    }
                }
                set
            })
            .collect();
        let covers: Vec<FixedBitSet> = (0..candidate_of.len())
            .map(|new| {
                let mut set = FixedBitSet::with_capacity(reach.len());
                for (row, r) in reach.iter().enumerate() {
                    if r.contains(new) {
                        set.insert(row);
                    }
                }
                set
            })
            .collect();
        let mut by_scarcity: Vec<usize> = (0..reach.len()).collect();
        by_scarcity.sort_by_key(|&row| (reach[row].count_ones(..), row));
        SetCover {
            candidate_of,
            reach,
            covers,
            by_scarcity,
            hopeless: false,
        }
    }

    /// Depth-first branch and bound: at each node, branch on the uncovered client with the
    /// fewest usable candidates, trying the candidates that cover most first; a candidate
    /// whose branch is exhausted is excluded from its later siblings. Prunes when the
    /// clients that pairwise share no usable candidate outnumber the sites left.
    /// Bit-set words a node reads, about: a row of candidate bits per client.
    fn words_per_node(&self) -> u64 {
        (self.reach.len() as u64 * (self.candidate_of.len() as u64 / 64 + 1)).max(1)
    }

    fn search(&self, p: usize, nodes_max: usize) -> (Decision, usize) {
        if self.hopeless {
            return (Decision::Infeasible, 0);
        }
        if nodes_max == 0 {
            return (Decision::Undecided, 0);
        }
        let n_rows = self.reach.len();
        let n_columns = self.candidate_of.len();
        let mut uncovered = FixedBitSet::with_capacity(n_rows);
        uncovered.insert_range(..);
        let mut nodes = 1;
        let root = match self.expand(uncovered, FixedBitSet::with_capacity(n_columns), 0, p) {
            Expansion::Covered => return (Decision::Feasible(Vec::new()), nodes),
            Expansion::Pruned => return (Decision::Infeasible, nodes),
            Expansion::Node(frame) => frame,
        };
        let mut stack = vec![root];
        let mut chosen: Vec<usize> = Vec::new();
        while let Some(top) = stack.last_mut() {
            if top.next == top.branches.len() {
                let was_root = stack.len() == 1;
                stack.pop();
                if !was_root {
                    chosen.pop();
                }
                continue;
            }
            if top.next > 0 {
                // The previous sibling's subtree is exhausted: no later sibling needs it.
                let previous = top.branches[top.next - 1];
                top.excluded.insert(previous);
            }
            let column = top.branches[top.next];
            top.next += 1;
            let mut uncovered = top.uncovered.clone();
            uncovered.difference_with(&self.covers[column]);
            let mut excluded = top.excluded.clone();
            excluded.insert(column);
            chosen.push(column);
            if nodes == nodes_max {
                return (Decision::Undecided, nodes);
            }
            nodes += 1;
            match self.expand(uncovered, excluded, chosen.len(), p) {
                Expansion::Covered => {
                    let sites = chosen.iter().map(|&column| self.candidate_of[column]).collect();
                    return (Decision::Feasible(sites), nodes);
                }
                Expansion::Pruned => {
                    chosen.pop();
                }
                Expansion::Node(frame) => stack.push(frame),
            }
        }
        (Decision::Infeasible, nodes)
    }

    fn expand(&self, uncovered: FixedBitSet, excluded: FixedBitSet, n_chosen: usize, p: usize) -> Expansion {
        if uncovered.is_clear() {
            return Expansion::Covered;
        }
        if n_chosen == p {
            return Expansion::Pruned;
        }
        // Branch on the uncovered client with the fewest usable candidates.
        let mut branch_row = None;
        let mut fewest = usize::MAX;
        for row in uncovered.ones() {
            let usable = self.reach[row].difference_count(&excluded);
            if usable < fewest {
                fewest = usable;
                branch_row = Some(row);
            }
        }
        if fewest == 0 {
            return Expansion::Pruned;
        }
        // Clients that pairwise share no usable candidate each need a site of their own.
        let sites_left = p - n_chosen;
        let mut blocked = FixedBitSet::with_capacity(self.candidate_of.len());
        let mut n_disjoint = 0;
        for &row in &self.by_scarcity {
            // `blocked` holds no excluded candidate, so meeting it is meeting the usable ones.
            if uncovered.contains(row) && self.reach[row].is_disjoint(&blocked) {
                n_disjoint += 1;
                if n_disjoint > sites_left {
                    return Expansion::Pruned;
                }
                blocked.union_with(&self.reach[row]);
                blocked.difference_with(&excluded);
            }
        }
        let row = branch_row.expect("some client is uncovered");
        let mut branches: Vec<usize> = self.reach[row].ones().filter(|c| !excluded.contains(*c)).collect();
        branches.sort_by_key(|&column| {
            (
                std::cmp::Reverse(self.covers[column].intersection_count(&uncovered)),
                column,
            )
        });
        Expansion::Node(Frame {
            uncovered,
            excluded,
            branches,
            next: 0,
        })
    }
}

enum Expansion {
    Covered,
    Pruned,
    Node(Frame),
}

struct Frame {
    uncovered: FixedBitSet,
    excluded: FixedBitSet,
    branches: Vec<usize>,
    next: usize,
}

/// The items (in the given order) whose set contains no earlier kept item's set — the
/// items not dominated by one kept before them; sorted by set size ascending first.
fn undominated<'a>(items: &[usize], set_of: impl Fn(usize) -> &'a FixedBitSet) -> Vec<usize> {
    let mut order = items.to_vec();
    order.sort_by_key(|&item| (set_of(item).count_ones(..), item));
    let mut kept: Vec<usize> = Vec::with_capacity(order.len());
    for item in order {
        if !kept.iter().any(|&other| set_of(other).is_subset(set_of(item))) {
            kept.push(item);
        }
    }
    kept.sort_unstable();
    kept
}

/// The items (ordered by set size descending) whose set is not contained in an earlier
/// kept item's set.
fn undominated_rev<'a>(items: &[usize], set_of: impl Fn(usize) -> &'a FixedBitSet) -> Vec<usize> {
    let mut kept: Vec<usize> = Vec::with_capacity(items.len());
    for &item in items {
        if !kept.iter().any(|&other| set_of(item).is_subset(set_of(other))) {
            kept.push(item);
        }
    }
    kept.sort_unstable();
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRIANGLE: &str = "4 4 2\n1 2 5\n2 3 7\n3 1 20\n2 3 4\n";

    fn orlib_problem(text: &str) -> (OrlibInstance, LocationProblem) {
        let instance = parse_orlib(text).expect("valid instance");
        let problem = LocationProblem::on_all_nodes(&instance.shortest_paths());
        (instance, problem)
    }

    fn error_line(text: &str) -> (usize, String) {
        match parse_orlib(text) {
            Err(LocateError::Orlib { line, message }) => (line, message),
            other => panic!("expected a located error, got {other:?}"),
        }
    }

    #[test]
    fn locate_reads_an_orlib_file_and_the_last_repeated_edge_wins() {
        let (instance, problem) = orlib_problem(TRIANGLE);
        assert_eq!(instance.n_nodes, 4);
        assert_eq!(instance.n_edge_lines, 4);
        assert_eq!(instance.p, 2);
        // 2–3 appears as 7 then 4: the last wins (here it is also the minimum).
        assert_eq!(instance.edges, vec![(0, 1, 5), (0, 2, 20), (1, 2, 4)]);
        assert_eq!(problem.distance(0, 2), 9.0);
        assert!(problem.distance(0, 3).is_infinite(), "node 4 has no edge");
        // The last occurrence wins even when an earlier one is cheaper.
        let (_, problem) = orlib_problem("2 2 1\n1 2 3\n2 1 8\n");
        assert_eq!(problem.distance(0, 1), 8.0);
        assert_eq!(problem.distance(1, 0), 8.0);
    }

    #[test]
    fn locate_orlib_errors_name_their_line() {
        let cases: [(&str, usize, &str); 11] = [
            ("", 1, "empty file"),
            ("\n\n4 2\n", 3, "expected a header `n m p` (3 numbers), found 2 fields"),
            (
                "0 1 1\n1 1 1\n",
                1,
                "the number of nodes n must be between 1 and 5000, got 0",
            ),
            (
                "5001 1 1\n1 2 3\n",
                1,
                "the number of nodes n must be between 1 and 5000",
            ),
            ("3 1 4\n1 2 3\n", 1, "p must be between 1 and 3, got 4"),
            ("3 2 1\n1 2 3\n2 x 3\n", 3, "`x` is not a whole number"),
            ("3 2 1\n1 2 3\n2 4 3\n", 3, "node 4 is out of range 1..=3"),
            ("3 2 1\n1 2 3\n0 2 3\n", 3, "node 0 is out of range 1..=3"),
            ("3 2 1\n1 2 -3\n2 3 3\n", 2, "negative cost -3"),
            (
                "3 3 1\n1 2 3\n\n2 3 3\n",
                5,
                "the header declares 3 edges but the file ends after 2",
            ),
            (
                "3 1 1\n1 2 3\n2 3 3\n",
                3,
                "more lines than the 1 edges the header declares",
            ),
        ];
        for (text, line, phrase) in cases {
            let (found_line, message) = error_line(text);
            assert_eq!(found_line, line, "{text:?}: {message}");
            assert!(message.contains(phrase), "{text:?}: {message:?} lacks {phrase:?}");
        }
        let (line, message) = error_line("2 1 1\n1 2 2.5\n");
        assert_eq!((line, message.as_str()), (2, "`2.5` is not a whole number"));
        let (line, message) = error_line("2 1 1\n1 2 1000001\n");
        assert_eq!(line, 2);
        assert!(message.contains("more than the largest allowed"), "{message}");
    }

    #[test]
    fn locate_refuses_p_outside_the_candidates_and_bad_matrices() {
        let (_, problem) = orlib_problem(TRIANGLE);
        for objective in [
            Objective::Median,
            Objective::Center,
            Objective::Covering { radius: 5.0 },
        ] {
            for p in [0, 5] {
                let error = solve(&problem, objective, p, &SolveLimits::default()).unwrap_err();
                assert!(
                    error.to_string().contains("p must be between 1 and the 4 candidates"),
                    "{error}"
                );
            }
        }
        let error = solve(
            &problem,
            Objective::Covering { radius: -1.0 },
            1,
            &SolveLimits::default(),
        )
        .unwrap_err();
        assert!(error.to_string().contains("non-negative"), "{error}");
        assert!(LocationProblem::new(2, 1, vec![1.0, f64::NAN], vec![1.0, 1.0]).is_err());
        assert!(LocationProblem::new(2, 1, vec![1.0, -2.0], vec![1.0, 1.0]).is_err());
        assert!(LocationProblem::new(2, 1, vec![1.0, 2.0], vec![0.0, 0.0]).is_err());
        assert!(LocationProblem::new(2, 1, vec![1.0], vec![1.0, 1.0]).is_err());
    }

    #[test]
    fn locate_serves_separate_parts_when_there_are_sites_enough_and_says_so_otherwise() {
        // Two parts: {1, 2, 3} and {4, 5}.
        let text = "5 3 2\n1 2 4\n2 3 4\n4 5 6\n";
        let (_, problem) = orlib_problem(text);
        let median = solve(&problem, Objective::Median, 2, &SolveLimits::default()).unwrap();
        assert_eq!(median.sites, vec![1, 3]);
        assert_eq!(median.value, 14.0);
        let center = solve(&problem, Objective::Center, 2, &SolveLimits::default()).unwrap();
        assert_eq!(center.value, 6.0);
        assert_eq!(center.bound, 6.0);
        for objective in [Objective::Median, Objective::Center] {
            let error = solve(&problem, objective, 1, &SolveLimits::default()).unwrap_err();
            assert!(error.to_string().contains("reach"), "{error}");
        }
        let covering = solve(
            &problem,
            Objective::Covering { radius: 4.0 },
            1,
            &SolveLimits::default(),
        )
        .unwrap();
        assert_eq!(
            (covering.sites.clone(), covering.value, covering.bound),
            (vec![1], 3.0, 3.0)
        );
    }

    /// Every subset of `p` of `n` indices, in lexicographic order.
    fn subsets(n: usize, p: usize) -> Vec<Vec<usize>> {
        let mut all = Vec::new();
        let mut current: Vec<usize> = (0..p).collect();
        loop {
            all.push(current.clone());
            let Some(idx) = (0..p).rev().find(|&idx| current[idx] < n - p + idx) else {
                return all;
            };
            current[idx] += 1;
            for next in idx + 1..p {
                current[next] = current[next - 1] + 1;
            }
        }
    }

    /// A random problem: integer distances 0–30 (some unreachable), integer weights 0–4;
    /// 3–10 clients and 2–8 candidates, or 3 times as many when `larger`.
    fn random_problem(rng: &mut ChaCha8Rng, larger: bool) -> LocationProblem {
        let scale = if larger { 3 } else { 1 };
        let n_clients = scale * (3 + (rng.next_u64() % 8) as usize);
        let n_candidates = scale * (2 + (rng.next_u64() % 7) as usize);
        let distance: Vec<f64> = (0..n_clients * n_candidates)
            .map(|_| match rng.next_u64() % 40 {
                0 => f64::INFINITY,
                d => (d % 31) as f64,
            })
            .collect();
        let mut weight: Vec<f64> = (0..n_clients).map(|_| (rng.next_u64() % 5) as f64).collect();
        weight[0] += 1.0;
        LocationProblem::new(n_clients, n_candidates, distance, weight).unwrap()
    }

    #[test]
    fn locate_matches_brute_force_on_small_problems() {
        let mut rng = ChaCha8Rng::seed_from_u64(6);
        let limits = SolveLimits::default();
        let mut n_checked = [0; 3];
        for instance_idx in 0..300 {
            let problem = random_problem(&mut rng, false);
            let p = 1 + instance_idx % problem.n_candidates().min(4);
            let all = subsets(problem.n_candidates(), p);
            let radius = (rng.next_u64() % 25) as f64;
            let best_median = all
                .iter()
                .map(|s| problem.median_value(s))
                .fold(f64::INFINITY, f64::min);
            let best_center = all
                .iter()
                .map(|s| problem.center_value(s))
                .fold(f64::INFINITY, f64::min);
            let best_covering = all
                .iter()
                .map(|s| problem.covered_weight(s, radius))
                .fold(0.0, f64::max);
            let context = format!("instance {instance_idx}, p = {p}: {problem:?}");
            match solve(&problem, Objective::Median, p, &limits) {
                Ok(found) => {
                    assert_eq!(found.value, best_median, "median, {context}");
                    assert_eq!(found.sites.len(), p);
                    assert!(
                        found.bound <= best_median,
                        "median bound {} above optimum, {context}",
                        found.bound
                    );
                    n_checked[0] += 1;
                }
                Err(_) => assert!(
                    best_median.is_infinite(),
                    "median refused a servable problem, {context}"
                ),
            }
            match solve(&problem, Objective::Center, p, &limits) {
                Ok(found) => {
                    assert_eq!(found.value, best_center, "center, {context}");
                    assert_eq!(found.bound, best_center, "center bound, {context}");
                    assert_eq!(found.sites.len(), p);
                    n_checked[1] += 1;
                }
                Err(_) => assert!(
                    best_center.is_infinite(),
                    "center refused a servable problem, {context}"
                ),
            }
            let found = solve(&problem, Objective::Covering { radius }, p, &limits).unwrap();
            assert_eq!(found.value, best_covering, "covering r = {radius}, {context}");
            assert!(found.bound >= best_covering, "covering bound below optimum, {context}");
            assert_eq!(found.sites.len(), p);
            n_checked[2] += 1;
        }
        assert!(
            n_checked.iter().all(|&n| n >= 200),
            "too few servable problems: {n_checked:?}"
        );
    }

    #[test]
    fn locate_branch_and_bound_alone_proves_the_optimum_on_small_problems() {
        // Without local search (greedy start only) the Lagrangian branch and bound must
        // find the optimum itself; with no set-cover search the p-center falls back to the
        // covering engine for every radius.
        let limits = SolveLimits {
            random_starts: 0,
            swaps_per_search_max: 0,
            center_search_words_max: 0,
            ..SolveLimits::default()
        };
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut n_branched = 0;
        for instance_idx in 0..300 {
            let problem = random_problem(&mut rng, true);
            let p = 1 + instance_idx % problem.n_candidates().min(4);
            let all = subsets(problem.n_candidates(), p);
            let radius = (rng.next_u64() % 25) as f64;
            let context = format!("instance {instance_idx}, p = {p}: {problem:?}");
            let best_median = all
                .iter()
                .map(|s| problem.median_value(s))
                .fold(f64::INFINITY, f64::min);
            if best_median.is_finite() {
                let found = solve(&problem, Objective::Median, p, &limits).unwrap();
                assert_eq!(
                    (found.value, found.bound),
                    (best_median, best_median),
                    "median, {context}"
                );
                n_branched += usize::from(found.work.branch_nodes > 0);
                let best_center = all
                    .iter()
                    .map(|s| problem.center_value(s))
                    .fold(f64::INFINITY, f64::min);
                let found = solve(&problem, Objective::Center, p, &limits).unwrap();
                assert_eq!(found.value, best_center, "center, {context}");
                assert!(found.bound <= best_center, "center bound, {context}");
            }
            let best_covering = all
                .iter()
                .map(|s| problem.covered_weight(s, radius))
                .fold(0.0, f64::max);
            let found = solve(&problem, Objective::Covering { radius }, p, &limits).unwrap();
            assert_eq!(
                (found.value, found.bound),
                (best_covering, best_covering),
                "covering, {context}"
            );
            n_branched += usize::from(found.work.branch_nodes > 0);
        }
        assert!(
            n_branched >= 50,
            "the branch and bound explored nodes in only {n_branched} solves"
        );
    }

    #[test]
    fn locate_center_proves_its_radius_on_a_path() {
        // A path 1–2–…–9 with unit edges: 3 centres cover it within 1, 2 within 2.
        let text = "9 8 3\n1 2 1\n2 3 1\n3 4 1\n4 5 1\n5 6 1\n6 7 1\n7 8 1\n8 9 1\n";
        let (_, problem) = orlib_problem(text);
        let three = solve(&problem, Objective::Center, 3, &SolveLimits::default()).unwrap();
        assert_eq!(
            (three.sites.clone(), three.value, three.bound),
            (vec![1, 4, 7], 1.0, 1.0)
        );
        let two = solve(&problem, Objective::Center, 2, &SolveLimits::default()).unwrap();
        assert_eq!((two.value, two.bound), (2.0, 2.0));
    }

    #[test]
    fn locate_is_deterministic() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let n = 40;
        let distance: Vec<f64> = (0..n * n).map(|_| (rng.next_u64() % 1000) as f64).collect();
        let problem = LocationProblem::new(n, n, distance, vec![1.0; n]).unwrap();
        for objective in [
            Objective::Median,
            Objective::Center,
            Objective::Covering { radius: 100.0 },
        ] {
            let first = solve(&problem, objective, 6, &SolveLimits::default()).unwrap();
            let second = solve(&problem, objective, 6, &SolveLimits::default()).unwrap();
            assert_eq!(first, second);
        }
    }

    /// The greedy start as first written: every closed candidate priced in every round.
    fn eager_greedy(costs: &Costs, p: usize) -> Vec<usize> {
        let mut first = vec![f64::INFINITY; costs.n_clients];
        let mut sites: Vec<usize> = Vec::new();
        for _ in 0..p {
            let mut choice: Option<(usize, f64)> = None;
            for candidate in (0..costs.n_candidates).filter(|c| !sites.contains(c)) {
                let total: f64 = costs
                    .column(candidate)
                    .iter()
                    .zip(&first)
                    .map(|(&c, &f)| c.min(f))
                    .sum();
                if choice.is_none_or(|(_, best)| total < best) {
                    choice = Some((candidate, total));
                }
            }
            let (candidate, _) = choice.unwrap();
            sites.push(candidate);
            for (f, &c) in first.iter_mut().zip(costs.column(candidate)) {
                *f = f.min(c);
            }
        }
        sites
    }

    #[test]
    fn lazy_greedy_chooses_what_pricing_everything_chooses() {
        let mut rng = ChaCha8Rng::seed_from_u64(21);
        for case in 0..300 {
            let problem = random_problem(&mut rng, case % 2 == 1);
            let costs = Costs::median(&problem);
            for p in 1..=problem.n_candidates {
                let mut budget = Budget::of(&SolveLimits::default());
                let mut work = SolveWork::default();
                assert_eq!(
                    greedy(&costs, p, &mut budget, &mut work),
                    eager_greedy(&costs, p),
                    "case {case}, p = {p}"
                );
                assert!(!work.search_cut);
            }
        }
    }

    #[test]
    fn greedy_prices_each_candidate_about_twice_when_sites_do_not_interact() {
        // `n 0 n` in OR-Library form: no roads, every node its own site. Pricing every
        // candidate in every round read n³/2 entries (over a minute at n = 5000); the lazy
        // greedy prices the first two rounds in full and then about one candidate a round.
        let n = 400;
        let distance: Vec<f64> = (0..n * n)
            .map(|i| if i / n == i % n { 0.0 } else { f64::INFINITY })
            .collect();
        let problem = LocationProblem::new(n, n, distance, vec![1.0; n]).unwrap();
        let costs = Costs::median(&problem);
        let limits = SolveLimits::default();
        let mut budget = Budget::of(&limits);
        let mut work = SolveWork::default();
        let sites = greedy(&costs, n, &mut budget, &mut work);
        assert_eq!(sites.len(), n);
        let read = limits.search_entries_max - budget.search_entries;
        assert!(read <= 3 * (n * n) as u64, "{read} entries read for n = {n}");
        let solution = solve(&problem, Objective::Median, n, &limits).unwrap();
        assert!(solution.proven_optimal() && solution.value == 0.0);
    }

    #[test]
    fn a_search_cut_by_its_work_limit_still_gives_feasible_sites_and_a_true_bound() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        for case in 0..50 {
            let problem = random_problem(&mut rng, true);
            let p = 1 + case % problem.n_candidates;
            let cut = SolveLimits {
                search_entries_max: (problem.n_clients * problem.n_candidates) as u64,
                ..SolveLimits::default()
            };
            let full = solve(&problem, Objective::Median, p, &SolveLimits::default()).unwrap();
            let short = solve(&problem, Objective::Median, p, &cut).unwrap();
            assert!(short.work.search_cut || p == 1, "case {case}");
            assert_eq!(short.sites.len(), p);
            assert!(short.sites.windows(2).all(|w| w[0] < w[1]));
            assert_eq!(short.value, problem.median_value(&short.sites));
            // The bound is a bound on the true optimum whatever the search found.
            assert!(short.bound <= full.value + 1e-9, "case {case}");
            assert!(short.value >= full.bound - 1e-9, "case {case}");
        }
    }
}
