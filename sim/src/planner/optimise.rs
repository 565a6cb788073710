//! Where to station teams and their field kits: a local search scored by the response
//! simulation, and the classical location models on driving times for comparison.
//!
//! An [`Allocation`] says, for each team of the scenario, at which site it is stationed
//! (or that it is not fielded) and which field kits it carries. Sites are the depots and
//! the scenario's `[[candidate_sites]]`. A team keeps its own jurisdiction wherever it is
//! stationed (under county dispatch it still serves only its county) and, unless the
//! search may cross borders, is stationed only at sites of its own jurisdiction or at its
//! depot of today.
//!
//! Every allocation is scored on the same trials (common random numbers: trial i has the
//! same incidents for every allocation), so a comparison between two allocations is not
//! blurred by different draws. The search:
//!
//! 1. the start: today's allocation, reduced to the budget of teams by dropping, one at a
//!    time, the team whose absence costs least, and the field-kit counts brought to the
//!    budget by adding (removing) one kit at a time where it helps most (hurts least);
//! 2. a greedy construction: the start's teams placed one after another, each at the site
//!    that scores best with the teams placed before it;
//! 3. first-improvement local search from the better of the two over four kinds of move:
//!    relocate a team, swap the sites of two teams, exchange a fielded team for one left
//!    out, move a field kit from one team to another; it stops at a local optimum (a full
//!    cycle of moves without improvement) or at the evaluation budget;
//! 4. the trade-off curve: from the proposed allocation, drop the team whose absence
//!    costs least, down to one team, scoring each size.
//!
//! Scores are computed on the search trials only; the caller checks the proposal on
//! other trials ([`Planner::evaluate_allocation`] with a later trial range).

use super::{Planner, TrialRow};
use crate::equipment::{Catalogue, Method};
use crate::locate::{self, LocationProblem};
use crate::response::dispatch::PolicyKind;
use crate::scenario::{Depot, Scenario};
use serde::Serialize;
use std::collections::HashMap;

/// A place where teams can be stationed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Site {
    pub id: String,
    pub name: String,
    /// The Chinese name (empty: none); not in `optimise.json`, which keeps ids and the
    /// English name as it always has.
    #[serde(skip)]
    pub name_zh: String,
    pub road_node: usize,
    pub jurisdiction: usize,
    /// Index of the depot, or `None` for a candidate site.
    pub depot: Option<usize>,
}

/// The depots, then the candidate sites, in scenario order.
pub fn sites(scenario: &Scenario) -> Vec<Site> {
    let depots = scenario.depots.iter().enumerate().map(|(i, d)| Site {
        id: d.id.clone(),
        name: d.name.clone(),
        name_zh: d.name_zh.clone(),
        road_node: d.road_node,
        jurisdiction: d.jurisdiction,
        depot: Some(i),
    });
    let candidates = scenario.candidate_sites.iter().map(|c| Site {
        id: c.id.clone(),
        name: c.name.clone(),
        name_zh: c.name_zh.clone(),
        road_node: c.road_node,
        jurisdiction: c.jurisdiction,
        depot: None,
    });
    depots.chain(candidates).collect()
}

/// What the search maximises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Goal {
    /// Share of threatened intakes with a confirmed result before the plume.
    IntakeWarning,
    /// 90th percentile of discovery to first sample at the site (smaller is better).
    P90Response,
    /// Share of border sections on a plume's path sampled before the plume.
    Coverage,
}

impl Goal {
    pub fn label(self) -> &'static str {
        match self {
            Goal::IntakeWarning => "intake-warning",
            Goal::P90Response => "p90-response",
            Goal::Coverage => "coverage",
        }
    }
}

/// A score: the goal's measure, then the mean time to the first site sample as the tie
/// breaker; both oriented so that larger is better.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Score {
    /// Intake warning or coverage share, or minus the P90 response [min].
    pub primary: f64,
    /// Minus the mean discovery-to-site-sample time [min] (never sampled: the trial length).
    pub secondary: f64,
}

/// Differences smaller than this are ties (shares and minutes).
const SCORE_TIE: f64 = 1e-9;

impl Score {
    pub fn better_than(&self, other: &Score) -> bool {
        if (self.primary - other.primary).abs() > SCORE_TIE {
            self.primary > other.primary
        } else {
            self.secondary > other.secondary + SCORE_TIE
        }
    }

    /// The goal's measure as it is read: a share in [0, 1] or minutes.
    pub fn measure(&self, goal: Goal) -> f64 {
        match goal {
            Goal::P90Response => -self.primary,
            _ => self.primary,
        }
    }
}

/// Scores rows of one allocation and policy; `trial_min` stands for "never sampled".
pub fn score(goal: Goal, rows: &[TrialRow], trial_min: f64) -> Score {
    let incidents: Vec<_> = rows.iter().flat_map(|r| &r.incidents).collect();
    let response: Vec<f64> = incidents
        .iter()
        .map(|i| i.response_s().map_or(trial_min, |s| s as f64 / 60.0))
        .collect();
    let mean = response.iter().sum::<f64>() / response.len().max(1) as f64;
    let share = |k: usize, n: usize| if n == 0 { 1.0 } else { k as f64 / n as f64 };
    let primary = match goal {
        Goal::IntakeWarning => share(
            incidents.iter().map(|i| i.intakes_warned).sum(),
            incidents.iter().map(|i| i.intakes_threatened).sum(),
        ),
        Goal::Coverage => share(
            rows.iter().map(|r| r.border_covered).sum(),
            rows.iter().map(|r| r.border_sections).sum(),
        ),
        Goal::P90Response => {
            let mut sorted = response.clone();
            sorted.sort_by(f64::total_cmp);
            // The nearest-rank 90th percentile.
            let rank = ((0.9 * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len().max(1));
            -sorted.get(rank - 1).copied().unwrap_or(0.0)
        }
    };
    Score {
        primary,
        secondary: -mean,
    }
}

/// Where each team is and what it carries.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Allocation {
    /// Site of each team of the scenario (scenario order); `None`: not fielded.
    pub station: Vec<Option<usize>>,
    /// Field kits of each team (catalogue ids, sorted); other instruments stay as they are.
    pub kits: Vec<Vec<String>>,
}

/// Whether an instrument is a field kit (one the planner may move between teams).
pub fn is_field_kit(instrument: &str) -> bool {
    Catalogue::builtin()
        .instrument(instrument)
        .is_some_and(|i| i.method == Method::Field)
}

impl Allocation {
    /// The scenario's teams at their depots with their kits.
    pub fn today(scenario: &Scenario) -> Allocation {
        Allocation {
            station: scenario.teams.iter().map(|t| Some(t.depot)).collect(),
            kits: scenario
                .teams
                .iter()
                .map(|t| {
                    let mut k: Vec<String> = t.instruments.iter().filter(|i| is_field_kit(i)).cloned().collect();
                    k.sort();
                    k
                })
                .collect(),
        }
    }

    pub fn fielded(&self) -> usize {
        self.station.iter().flatten().count()
    }

    /// Fielded teams carrying each kit, by kit id.
    pub fn kit_counts(&self) -> Vec<(String, usize)> {
        let mut counts: Vec<(String, usize)> = Vec::new();
        for (station, kits) in self.station.iter().zip(&self.kits) {
            if station.is_none() {
                continue;
            }
            for k in kits {
                match counts.iter_mut().find(|(id, _)| id == k) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((k.clone(), 1)),
                }
            }
        }
        counts.sort();
        counts
    }

    /// Fields team `into` (not fielded) at the site of team `out` (fielded), which is left
    /// out. The kits stay with the post: the incoming team takes the outgoing one's, so
    /// the fielded teams carry as many of each kit as before.
    pub fn exchange(&self, out: usize, into: usize) -> Allocation {
        assert!(
            self.station[out].is_some() && self.station[into].is_none(),
            "exchange a fielded team for one left out"
        );
        let mut b = self.clone();
        b.station[into] = self.station[out];
        b.station[out] = None;
        b.kits.swap(out, into);
        b
    }

    /// Sites with at least one fielded team, ascending.
    pub fn occupied_sites(&self) -> Vec<usize> {
        let mut s: Vec<usize> = self.station.iter().flatten().copied().collect();
        s.sort_unstable();
        s.dedup();
        s
    }

    /// The scenario with this allocation: fielded teams only, at their sites (candidate
    /// sites become depots without a laboratory), with their kits.
    pub fn apply(&self, base: &Scenario, sites: &[Site]) -> Scenario {
        let mut scenario = base.clone();
        let mut depot_of_site: Vec<Option<usize>> = sites.iter().map(|s| s.depot).collect();
        let mut teams = Vec::new();
        for (t, team) in base.teams.iter().enumerate() {
            let Some(site) = self.station[t] else { continue };
            let depot = match depot_of_site[site] {
                Some(d) => d,
                None => {
                    let s = &sites[site];
                    let c = base.candidate_sites.iter().find(|c| c.id == s.id);
                    scenario.depots.push(Depot {
                        id: s.id.clone(),
                        name: s.name.clone(),
                        name_zh: c.map_or(String::new(), |c| c.name_zh.clone()),
                        jurisdiction: s.jurisdiction,
                        road_node: s.road_node,
                        laboratory: false,
                    });
                    depot_of_site[site] = Some(scenario.depots.len() - 1);
                    scenario.depots.len() - 1
                }
            };
            let mut team = team.clone();
            team.depot = depot;
            team.instruments.retain(|i| !is_field_kit(i));
            team.instruments.extend(self.kits[t].iter().cloned());
            teams.push(team);
        }
        scenario.teams = teams;
        scenario
    }

    /// One line per fielded team: `team @ site [kits]`.
    pub fn describe(&self, scenario: &Scenario, sites: &[Site]) -> Vec<String> {
        self.station
            .iter()
            .enumerate()
            .filter_map(|(t, s)| s.map(|s| (t, s)))
            .map(|(t, s)| {
                format!(
                    "{} @ {} [{}]",
                    scenario.teams[t].id,
                    sites[s].id,
                    self.kits[t].join(", ")
                )
            })
            .collect()
    }
}

/// What to search for and with how much work.
#[derive(Clone, Debug, Serialize)]
pub struct SearchSpec {
    pub goal: Goal,
    /// Policy the allocation is optimised for.
    #[serde(serialize_with = "serialize_policy")]
    pub policy: PolicyKind,
    /// Teams to field (at most the scenario's).
    pub teams: usize,
    /// Field kits to distribute, by kit id (kits not listed: as many as the fielded teams
    /// carry; a team left out takes its kits with it).
    pub kits: Vec<(String, usize)>,
    /// Teams may be stationed in another jurisdiction.
    pub across_borders: bool,
    pub seed: u64,
    /// Trials 0..search_trials score every allocation.
    pub search_trials: u64,
    /// Most allocations simulated by the local search (the start, greedy construction and
    /// curve are not limited).
    pub max_evaluations: usize,
}

fn serialize_policy<S: serde::Serializer>(p: &PolicyKind, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(super::policy_label(*p))
}

/// What one step of the search changed, by index into the scenario's teams and the
/// sites, so that a report can name them in its language; [`Change::english`] is the
/// step's `what`.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// The start: a team left out to meet the budget.
    LeaveOut { team: usize },
    /// The greedy construction: a team placed at a site.
    Place { team: usize, site: usize },
    /// Local search: a team moved to another site.
    Relocate { team: usize, site: usize },
    /// Local search: two teams' sites swapped.
    Swap { a: usize, b: usize },
    /// Local search: a team fielded in place of another.
    Exchange { into: usize, out: usize },
    /// Local search: a field kit moved from one team to another.
    Kit { kit: String, from: usize, to: usize },
}

impl Change {
    /// The change in English, with the teams' and sites' ids: `move wujiang_1 to …`.
    pub fn english(&self, scenario: &Scenario, sites: &[Site]) -> String {
        let team = |t: usize| scenario.teams[t].id.as_str();
        match self {
            Change::LeaveOut { team: t } => format!("leave out {}", team(*t)),
            Change::Place { team: t, site } => format!("place {} at {}", team(*t), sites[*site].id),
            Change::Relocate { team: t, site } => format!("move {} to {}", team(*t), sites[*site].id),
            Change::Swap { a, b } => format!("swap the sites of {} and {}", team(*a), team(*b)),
            Change::Exchange { into, out } => format!("field {} instead of {}", team(*into), team(*out)),
            Change::Kit { kit, from, to } => format!("move a {kit} kit from {} to {}", team(*from), team(*to)),
        }
    }
}

/// One accepted step of the search.
#[derive(Clone, Debug, Serialize)]
pub struct Step {
    pub phase: &'static str,
    /// The change in English ([`Change::english`]), as `optimise.json` has always shown it.
    pub what: String,
    /// The same change as data, for a report in another language.
    #[serde(skip)]
    pub change: Change,
    pub score: Score,
    /// Allocations simulated so far.
    pub evaluations: usize,
}

/// One point of the trade-off curve.
#[derive(Clone, Debug, Serialize)]
pub struct CurvePoint {
    pub teams: usize,
    pub score: Score,
    /// Share of threatened intakes warned in time (whatever the goal).
    pub intake_warned: f64,
    /// The team dropped to get from the previous (larger) size to this one.
    pub dropped: Option<String>,
    /// The teams fielded at this size.
    pub allocation: Allocation,
}

/// The outcome of [`optimise`].
#[derive(Clone, Debug, Serialize)]
pub struct Optimised {
    pub sites: Vec<Site>,
    pub today: Allocation,
    pub today_score: Score,
    pub start: Allocation,
    pub start_score: Score,
    pub greedy: Allocation,
    pub greedy_score: Score,
    pub proposed: Allocation,
    pub proposed_score: Score,
    pub steps: Vec<Step>,
    /// Allocations simulated in all.
    pub evaluations: usize,
    /// The local search ended at a local optimum (not at the evaluation budget).
    pub local_optimum: bool,
    pub curve: Vec<CurvePoint>,
}

/// A move of the local search.
#[derive(Clone, Debug)]
enum Move {
    Relocate { team: usize, site: usize },
    Swap { a: usize, b: usize },
    Exchange { out: usize, into: usize },
    Kit { kit: String, from: usize, to: usize },
}

struct Search<'a> {
    planner: &'a Planner,
    spec: &'a SearchSpec,
    sites: &'a [Site],
    cache: HashMap<Allocation, (Score, f64)>,
    evaluations: usize,
    progress: &'a (dyn Fn(&str, usize) + Sync),
}

impl Search<'_> {
    /// Score and intake-warning share of an allocation on the search trials.
    fn eval(&mut self, a: &Allocation) -> Result<(Score, f64), String> {
        if let Some(hit) = self.cache.get(a) {
            return Ok(*hit);
        }
        let rows = self.planner.evaluate_allocation(
            a,
            self.sites,
            self.spec.seed,
            0..self.spec.search_trials,
            &[self.spec.policy],
        )?;
        let trial_min = self.planner.hours.seconds() as f64 / 60.0;
        let s = score(self.spec.goal, &rows, trial_min);
        let warned = score(Goal::IntakeWarning, &rows, trial_min).primary;
        self.evaluations += 1;
        (self.progress)("", self.evaluations);
        self.cache.insert(a.clone(), (s, warned));
        Ok((s, warned))
    }

    fn allowed(&self, team: usize, site: usize) -> bool {
        let t = &self.planner.base.teams[team];
        self.spec.across_borders
            || self.sites[site].jurisdiction == t.jurisdiction
            || self.sites[site].depot == Some(t.depot)
    }

    /// Drops the fielded team whose absence costs least; returns the new allocation.
    fn drop_one(&mut self, a: &Allocation) -> Result<Option<(Allocation, Score, f64, usize)>, String> {
        let mut best: Option<(Allocation, Score, f64, usize)> = None;
        for t in (0..a.station.len()).filter(|&t| a.station[t].is_some()) {
            if a.fielded() <= 1 {
                break;
            }
            let mut b = a.clone();
            b.station[t] = None;
            let (s, w) = self.eval(&b)?;
            if best.as_ref().is_none_or(|(_, bs, _, _)| s.better_than(bs)) {
                best = Some((b, s, w, t));
            }
        }
        Ok(best)
    }

    /// Brings the fielded teams' count of each budgeted kit to its budget.
    fn fit_kits(&mut self, mut a: Allocation) -> Result<Allocation, String> {
        for (kit, target) in &self.spec.kits {
            loop {
                let have = a.kit_counts().iter().find(|(k, _)| k == kit).map_or(0, |(_, n)| *n);
                if have == *target {
                    break;
                }
                let adding = have < *target;
                let mut best: Option<(Allocation, Score)> = None;
                for t in (0..a.station.len()).filter(|&t| a.station[t].is_some()) {
                    if a.kits[t].contains(kit) == adding {
                        continue;
                    }
                    let mut b = a.clone();
                    if adding {
                        b.kits[t].push(kit.clone());
                        b.kits[t].sort();
                    } else {
                        b.kits[t].retain(|k| k != kit);
                    }
                    let (s, _) = self.eval(&b)?;
                    if best.as_ref().is_none_or(|(_, bs)| s.better_than(bs)) {
                        best = Some((b, s));
                    }
                }
                match best {
                    Some((b, _)) => a = b,
                    // Every fielded team already carries one (or none does): as close as it gets.
                    None => break,
                }
            }
        }
        Ok(a)
    }

    fn moves(&self, a: &Allocation) -> Vec<Move> {
        let n = a.station.len();
        let mut moves = Vec::new();
        for team in 0..n {
            if let Some(at) = a.station[team] {
                for site in (0..self.sites.len()).filter(|&s| s != at && self.allowed(team, s)) {
                    moves.push(Move::Relocate { team, site });
                }
            }
        }
        for x in 0..n {
            for y in x + 1..n {
                if let (Some(sx), Some(sy)) = (a.station[x], a.station[y])
                    && sx != sy
                    && self.allowed(x, sy)
                    && self.allowed(y, sx)
                {
                    moves.push(Move::Swap { a: x, b: y });
                }
            }
        }
        for out in (0..n).filter(|&t| a.station[t].is_some()) {
            for into in (0..n).filter(|&t| a.station[t].is_none()) {
                if self.allowed(into, a.station[out].expect("fielded")) {
                    moves.push(Move::Exchange { out, into });
                }
            }
        }
        let counts = a.kit_counts();
        for (kit, _) in &counts {
            for from in (0..n).filter(|&t| a.station[t].is_some() && a.kits[t].contains(kit)) {
                for to in (0..n).filter(|&t| a.station[t].is_some() && !a.kits[t].contains(kit)) {
                    moves.push(Move::Kit {
                        kit: kit.clone(),
                        from,
                        to,
                    });
                }
            }
        }
        moves
    }

    fn apply(&self, a: &Allocation, m: &Move) -> (Allocation, Change) {
        let mut b = a.clone();
        let change = match m {
            Move::Relocate { team, site } => {
                b.station[*team] = Some(*site);
                Change::Relocate {
                    team: *team,
                    site: *site,
                }
            }
            Move::Swap { a: x, b: y } => {
                b.station.swap(*x, *y);
                Change::Swap { a: *x, b: *y }
            }
            Move::Exchange { out, into } => {
                b = a.exchange(*out, *into);
                Change::Exchange { into: *into, out: *out }
            }
            Move::Kit { kit, from, to } => {
                b.kits[*from].retain(|k| k != kit);
                b.kits[*to].push(kit.clone());
                b.kits[*to].sort();
                Change::Kit {
                    kit: kit.clone(),
                    from: *from,
                    to: *to,
                }
            }
        };
        (b, change)
    }
}

/// Runs the search on the planner's zone. `progress(phase, evaluations)` is called as it goes.
pub fn optimise(
    planner: &Planner,
    spec: &SearchSpec,
    progress: &(dyn Fn(&str, usize) + Sync),
) -> Result<Optimised, String> {
    let base = &planner.base;
    if spec.teams == 0 || spec.teams > base.teams.len() {
        return Err(format!(
            "--teams must be between 1 and the scenario's {} teams, got {}",
            base.teams.len(),
            spec.teams
        ));
    }
    for (kit, _) in &spec.kits {
        if !is_field_kit(kit) {
            let known: Vec<&str> = Catalogue::builtin()
                .instruments()
                .iter()
                .filter(|i| i.method == Method::Field)
                .map(|i| i.id.as_str())
                .collect();
            return Err(format!(
                "`{kit}` is not a field kit of the catalogue; field kits: {}",
                known.join(", ")
            ));
        }
    }
    if spec.search_trials == 0 {
        return Err("the search needs at least one trial".into());
    }
    let sites = sites(base);
    let mut search = Search {
        planner,
        spec,
        sites: &sites,
        cache: HashMap::new(),
        evaluations: 0,
        progress,
    };
    let mut steps = Vec::new();
    let today = Allocation::today(base);
    progress("today's allocation", 0);
    let (today_score, _) = search.eval(&today)?;

    // 1. The start: today's, to the budget.
    progress("start: today's allocation to the budget", search.evaluations);
    let mut start = today.clone();
    while start.fielded() > spec.teams {
        let (a, s, _, t) = search.drop_one(&start)?.expect("more than one team is fielded");
        let change = Change::LeaveOut { team: t };
        steps.push(Step {
            phase: "start",
            what: change.english(base, &sites),
            change,
            score: s,
            evaluations: search.evaluations,
        });
        start = a;
    }
    start = search.fit_kits(start)?;
    let (start_score, _) = search.eval(&start)?;

    // 2. Greedy construction: the start's teams placed one after another.
    progress("greedy construction", search.evaluations);
    let mut greedy = Allocation {
        station: vec![None; base.teams.len()],
        kits: start.kits.clone(),
    };
    for team in (0..base.teams.len()).filter(|&t| start.station[t].is_some()) {
        let mut best: Option<(usize, Score)> = None;
        let allowed: Vec<usize> = (0..sites.len()).filter(|&s| search.allowed(team, s)).collect();
        for site in allowed {
            let mut b = greedy.clone();
            b.station[team] = Some(site);
            let (s, _) = search.eval(&b)?;
            if best.as_ref().is_none_or(|(_, bs)| s.better_than(bs)) {
                best = Some((site, s));
            }
        }
        let (site, s) = best.expect("a team's own depot is always allowed");
        greedy.station[team] = Some(site);
        let change = Change::Place { team, site };
        steps.push(Step {
            phase: "greedy",
            what: change.english(base, &sites),
            change,
            score: s,
            evaluations: search.evaluations,
        });
    }
    let (greedy_score, _) = search.eval(&greedy)?;

    // 3. Local search from the better of the two.
    progress("local search", search.evaluations);
    let (mut current, mut current_score) = if greedy_score.better_than(&start_score) {
        (greedy.clone(), greedy_score)
    } else {
        (start.clone(), start_score)
    };
    let budget_end = search.evaluations + spec.max_evaluations;
    let mut local_optimum = false;
    let mut cursor = 0usize;
    'search: loop {
        let moves = search.moves(&current);
        if moves.is_empty() {
            local_optimum = true;
            break;
        }
        // One cycle over the current neighbourhood, starting at the position after the last
        // accepted move (the list is regenerated after each acceptance, so this only
        // rotates where the scan begins).
        for k in 0..moves.len() {
            let m = &moves[(cursor + k) % moves.len()];
            let (candidate, change) = search.apply(&current, m);
            debug_assert_eq!(
                candidate.kit_counts(),
                current.kit_counts(),
                "{change:?} keeps the kits"
            );
            if !search.cache.contains_key(&candidate) && search.evaluations >= budget_end {
                break 'search;
            }
            let (s, _) = search.eval(&candidate)?;
            if s.better_than(&current_score) {
                current = candidate;
                current_score = s;
                cursor = (cursor + k + 1) % moves.len();
                steps.push(Step {
                    phase: "local search",
                    what: change.english(base, &sites),
                    change,
                    score: s,
                    evaluations: search.evaluations,
                });
                continue 'search;
            }
        }
        local_optimum = true;
        break;
    }
    let proposed = current;
    let proposed_score = current_score;

    // 4. The trade-off curve: drop teams from the proposal one at a time.
    progress("trade-off curve", search.evaluations);
    let (_, warned) = search.eval(&proposed)?;
    let mut curve = vec![CurvePoint {
        teams: proposed.fielded(),
        score: proposed_score,
        intake_warned: warned,
        dropped: None,
        allocation: proposed.clone(),
    }];
    let mut smaller = proposed.clone();
    while smaller.fielded() > 1 {
        let (a, s, w, t) = search.drop_one(&smaller)?.expect("more than one team is fielded");
        curve.push(CurvePoint {
            teams: a.fielded(),
            score: s,
            intake_warned: w,
            dropped: Some(base.teams[t].id.clone()),
            allocation: a.clone(),
        });
        smaller = a;
    }
    curve.reverse();
    let evaluations = search.evaluations;
    Ok(Optimised {
        sites: sites.clone(),
        today,
        today_score,
        start,
        start_score,
        greedy,
        greedy_score,
        proposed,
        proposed_score,
        steps,
        evaluations,
        local_optimum,
        curve,
    })
}

/// The classical models on driving times: sources (weighted by annual probability) to the
/// nearest occupied site.
pub struct DrivingModel {
    pub problem: LocationProblem,
    /// Source index of each client.
    pub sources: Vec<usize>,
}

impl DrivingModel {
    pub fn new(planner: &Planner, sites: &[Site]) -> Result<DrivingModel, String> {
        let base = &planner.base;
        let sources = super::draw::usable_sources(base);
        let mut distance = Vec::with_capacity(sources.len() * sites.len());
        for &s in &sources {
            for site in sites {
                let d = planner
                    .travel
                    .between(site.road_node, base.risk_sources[s].road_node)
                    .unwrap_or(f64::INFINITY);
                distance.push(d / 60.0);
            }
        }
        let weight = sources
            .iter()
            .map(|&s| base.risk_sources[s].annual_probability)
            .collect();
        let problem = LocationProblem::new(sources.len(), sites.len(), distance, weight).map_err(|e| e.to_string())?;
        Ok(DrivingModel { problem, sources })
    }

    /// (probability-weighted mean, largest, share of probability within `radius_min`) of
    /// the driving time [min] from a source to the nearest of `occupied`.
    pub fn measures(&self, occupied: &[usize], radius_min: f64) -> (f64, f64, f64) {
        let total: f64 = (0..self.problem.n_clients()).map(|c| self.problem.weight(c)).sum();
        (
            self.problem.median_value(occupied) / total,
            self.problem.center_value(occupied),
            self.problem.covered_weight(occupied, radius_min) / total,
        )
    }
}

/// A classical solution and the allocation that follows it.
#[derive(Clone, Debug, Serialize)]
pub struct Classical {
    pub model: &'static str,
    /// Sites chosen (indices into the sites).
    pub sites: Vec<usize>,
    pub proven_optimal: bool,
    pub allocation: Allocation,
}

/// p-median, p-center and maximal covering (within `radius_min`) with `p` sites, and the
/// teams fielded in `fielded` (with their kits there) stationed at the chosen sites
/// ([`teams_to_chosen_sites`]).
pub fn classical(
    planner: &Planner,
    model: &DrivingModel,
    sites: &[Site],
    p: usize,
    radius_min: f64,
    fielded: &Allocation,
    across_borders: bool,
) -> Result<Vec<Classical>, String> {
    let limits = locate::SolveLimits::default();
    let objectives = [
        ("p-median", locate::Objective::Median),
        ("p-center", locate::Objective::Center),
        ("maximal covering", locate::Objective::Covering { radius: radius_min }),
    ];
    let mut out = Vec::new();
    for (name, objective) in objectives {
        let solution =
            locate::solve(&model.problem, objective, p.min(sites.len()), &limits).map_err(|e| e.to_string())?;
        let allocation = teams_to_chosen_sites(planner, sites, &solution.sites, fielded, across_borders);
        out.push(Classical {
            model: name,
            proven_optimal: solution.proven_optimal(),
            sites: solution.sites,
            allocation,
        });
    }
    Ok(out)
}

/// Stations the teams fielded in `fielded` at `chosen` sites, by driving time from each
/// team's depot of today (not from the proposal's site: a classical allocation owes nothing
/// to the simulation's search). First each chosen site, in order, gets the nearest team
/// still free that may be stationed there, so that no chosen site stays empty while a team
/// could fill it (greedy, not a minimum-cost assignment); then every other team goes to the
/// nearest chosen site it may use, or stays at its depot if it may use none.
fn teams_to_chosen_sites(
    planner: &Planner,
    sites: &[Site],
    chosen: &[usize],
    fielded: &Allocation,
    across_borders: bool,
) -> Allocation {
    let teams = &planner.base.teams;
    let may = |t: usize, s: usize| {
        across_borders || sites[s].jurisdiction == teams[t].jurisdiction || sites[s].depot == Some(teams[t].depot)
    };
    let drive = |t: usize, s: usize| {
        let home = planner.base.depots[teams[t].depot].road_node;
        planner
            .travel
            .between(home, sites[s].road_node)
            .unwrap_or(f64::INFINITY)
    };
    let mut allocation = fielded.clone();
    let mut placed = vec![false; teams.len()];
    for &s in chosen {
        let nearest = (0..teams.len())
            .filter(|&t| fielded.station[t].is_some() && !placed[t] && may(t, s))
            .min_by(|&x, &y| drive(x, s).total_cmp(&drive(y, s)).then(x.cmp(&y)));
        if let Some(t) = nearest {
            allocation.station[t] = Some(s);
            placed[t] = true;
        }
    }
    for t in (0..teams.len()).filter(|&t| fielded.station[t].is_some() && !placed[t]) {
        let nearest = chosen
            .iter()
            .copied()
            .filter(|&s| may(t, s))
            .min_by(|&x, &y| drive(t, x).total_cmp(&drive(t, y)).then(x.cmp(&y)));
        // Sites begin with the depots, in order: the site of a team's depot is its index.
        allocation.station[t] = Some(nearest.unwrap_or(teams[t].depot));
    }
    allocation
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone() -> Scenario {
        Scenario::builtin()
    }

    #[test]
    fn today_applies_to_the_same_teams_and_depots() {
        let s = zone();
        let sites = sites(&s);
        assert_eq!(sites.len(), s.depots.len() + s.candidate_sites.len());
        let a = Allocation::today(&s);
        let applied = a.apply(&s, &sites);
        assert_eq!(applied.depots.len(), s.depots.len());
        for (x, y) in applied.teams.iter().zip(&s.teams) {
            assert_eq!((x.depot, &x.id), (y.depot, &y.id));
            let mut xi = x.instruments.clone();
            let mut yi = y.instruments.clone();
            xi.sort();
            yi.sort();
            assert_eq!(xi, yi);
        }
    }

    #[test]
    fn a_candidate_site_becomes_a_depot_without_laboratory() {
        let s = zone();
        let sites = sites(&s);
        let mut a = Allocation::today(&s);
        let post = s.depots.len();
        a.station[0] = Some(post);
        a.station[1] = None;
        a.kits[0] = vec!["aniline_kit".into()];
        let applied = a.apply(&s, &sites);
        assert_eq!(applied.teams.len(), s.teams.len() - 1);
        let d = &applied.depots[applied.teams[0].depot];
        assert_eq!((d.id.as_str(), d.laboratory), (sites[post].id.as_str(), false));
        assert_eq!(d.road_node, s.candidate_sites[0].road_node);
        assert_eq!(
            applied.teams[0].jurisdiction, s.teams[0].jurisdiction,
            "a team keeps its jurisdiction"
        );
        let kits: Vec<&String> = applied.teams[0]
            .instruments
            .iter()
            .filter(|i| is_field_kit(i))
            .collect();
        assert_eq!(kits, ["aniline_kit"]);
        assert!(
            applied.teams[0].instruments.iter().any(|i| !is_field_kit(i))
                || s.teams[0].instruments.iter().all(|i| is_field_kit(i))
        );
    }

    #[test]
    fn an_exchange_keeps_the_site_and_the_kits_of_the_post() {
        let s = zone();
        let mut a = Allocation::today(&s);
        let drone = s.teams.iter().position(|t| t.id == "shanghai_drone").unwrap();
        let lab = s.teams.iter().position(|t| t.id == "suzhou_mobile_lab").unwrap();
        a.station[drone] = None;
        let before = a.kit_counts();
        let b = a.exchange(lab, drone);
        assert_eq!(b.station[drone], a.station[lab]);
        assert_eq!(b.station[lab], None);
        assert_eq!(b.kits[drone], a.kits[lab], "the incoming team takes the post's kits");
        assert_eq!(b.kit_counts(), before);
        assert_eq!(b.fielded(), a.fielded());
    }

    #[test]
    fn score_orders_by_goal_then_mean_response() {
        let better = Score {
            primary: 0.5,
            secondary: -100.0,
        };
        let worse = Score {
            primary: 0.4,
            secondary: -10.0,
        };
        assert!(better.better_than(&worse) && !worse.better_than(&better));
        let tie_faster = Score {
            primary: 0.5,
            secondary: -90.0,
        };
        assert!(tie_faster.better_than(&better));
        assert!(!better.better_than(&better));
        assert_eq!(
            Score {
                primary: -95.0,
                secondary: 0.0
            }
            .measure(Goal::P90Response),
            95.0
        );
    }
}
