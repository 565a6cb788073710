//! The planner: Monte Carlo evaluation of where teams are stationed, on the same response
//! simulation as `tripoint run`.
//!
//! A trial draws one incident or a simultaneous pair from the risk-source inventory
//! ([`draw`]), builds the trial's scenario and runs the response on it under a dispatch
//! policy. River transport comes from unit responses ([`unit`]) computed once per source
//! and regime, so a trial costs the dispatch simulation alone; [`Planner::run_trial`] can
//! also run the full transport, to check the fast path.
//!
//! Trials are independent: each has its own random stream, they run on the rayon pool and
//! are collected in trial order, and every summary is computed sequentially from the rows
//! — so results are the same for any number of threads and for any split into shards.

pub mod draw;
pub mod optimise;
pub mod stats;
pub mod unit;

use crate::event::Event;
use crate::kernel::{Kernel, KernelConfig};
use crate::response::dispatch::PolicyKind;
use crate::response::report::RunReport;
use crate::response::{self, ResponseSetup};
use crate::roads::{RiverDistances, TravelTimes};
use crate::scenario::Scenario;
use crate::time::{SimDuration, SimTime};
use crate::transport::unit::UnitStore;
use draw::{DrawModel, TrialDraw};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use stats::Estimate;
use std::sync::Arc;
use unit::{UnitKey, UnitLibrary, UnitRelease, UnitWater};

/// Where a trial's river concentrations come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Water {
    /// Scaled, shifted unit responses (the fast path).
    Unit,
    /// The transport model run for the trial.
    Transport,
}

/// Everything trials share: the zone, its networks, the unit responses.
pub struct Planner {
    pub base: Arc<Scenario>,
    pub model: DrawModel,
    /// Length of a trial after its first incident starts.
    pub hours: SimDuration,
    pub(crate) travel: TravelTimes,
    river: RiverDistances,
    pub library: Arc<UnitLibrary>,
}

impl Planner {
    /// Prepares the zone: checks the draw model, computes driving times and river
    /// distances, and the unit responses of every source in every regime that can be drawn.
    pub fn new(base: Scenario, model: DrawModel, hours: SimDuration) -> Result<Planner, String> {
        Planner::new_cached(base, model, hours, None)
    }

    /// As [`Planner::new`], with the unit responses read from and written to `cache`
    /// (the same series bit for bit; see [`crate::transport::unit`]).
    pub fn new_cached(
        base: Scenario,
        model: DrawModel,
        hours: SimDuration,
        cache: Option<&dyn UnitStore>,
    ) -> Result<Planner, String> {
        model.validate(&base)?;
        if base.teams.is_empty() {
            return Err("the scenario has no [[teams]] to respond with".into());
        }
        if hours.seconds() <= 0 {
            return Err("a trial must last some time (--hours > 0)".into());
        }
        let mut requests: Vec<unit::UnitRequest> = Vec::new();
        for regime in (0..base.regimes.len()).filter(|&r| model.regime_weights[r] > 0.0) {
            for source in draw::usable_sources(&base) {
                let s = &base.risk_sources[source];
                let key = UnitKey {
                    location: s.location,
                    duration: draw::release_duration(s.kind),
                    regime,
                };
                let pollutants = s.chemicals.iter().map(|c| c.pollutant);
                match requests.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, ps)) => {
                        for p in pollutants {
                            if !ps.contains(&p) {
                                ps.push(p);
                            }
                        }
                    }
                    None => requests.push((key, pollutants.collect())),
                }
            }
        }
        // A second incident of a pair may start up to the gap after the first.
        let horizon = hours + SimDuration(model.pair_gap_max_s);
        let (library, _) = UnitLibrary::build_cached(&base, &requests, horizon, cache)?;
        Ok(Planner {
            travel: TravelTimes::build(&base),
            river: RiverDistances::build(&base),
            base: Arc::new(base),
            model,
            hours,
            library: Arc::new(library),
        })
    }

    /// The same zone with other teams or depots (an allocation to evaluate), sharing the
    /// networks and unit responses (neither depends on the teams).
    pub fn with_scenario(&self, scenario: Scenario) -> Planner {
        Planner {
            base: Arc::new(scenario),
            model: self.model.clone(),
            hours: self.hours,
            travel: self.travel.clone(),
            river: self.river.clone(),
            library: self.library.clone(),
        }
    }

    /// Runs trials `range` with the teams where `allocation` puts them.
    pub fn evaluate_allocation(
        &self,
        allocation: &optimise::Allocation,
        sites: &[optimise::Site],
        seed: u64,
        range: std::ops::Range<u64>,
        policies: &[PolicyKind],
    ) -> Result<Vec<TrialRow>, String> {
        self.with_scenario(allocation.apply(&self.base, sites))
            .evaluate(seed, range, policies, &|_| {})
    }

    /// Draws trial `trial` of a run seeded `seed`.
    pub fn draw(&self, seed: u64, trial: u64) -> TrialDraw {
        draw::draw(&self.base, &self.model, seed, trial)
    }

    /// Runs one drawn trial under a policy and returns the response's measures.
    pub fn run_trial(&self, draw: &TrialDraw, policy: PolicyKind, water: Water) -> Result<RunReport, String> {
        self.run_trial_in(&self.trial(draw), policy, water)
    }

    /// What the runs of one drawn trial under several policies share: its scenario, and
    /// the plans they issue alike ([`response::PlanMemo`]).
    pub fn trial(&self, draw: &TrialDraw) -> Trial {
        Trial {
            draw: draw.clone(),
            scenario: Arc::new(draw::trial_scenario(&self.base, draw)),
            plans: response::PlanMemo::default(),
        }
    }

    /// Runs a trial under a policy; runs of the same [`Trial`] share its plans.
    pub fn run_trial_in(&self, trial: &Trial, policy: PolicyKind, water: Water) -> Result<RunReport, String> {
        let draw = &trial.draw;
        let scenario = trial.scenario.clone();
        let first = scenario
            .incidents
            .iter()
            .map(|i| i.start)
            .min()
            .expect("a trial has an incident");
        let end = first + self.hours;
        let mut kernel = Kernel::<Event>::new(KernelConfig {
            seed: draw.seed,
            journal: false,
            ..KernelConfig::default()
        });
        let fail = |e: String| format!("trial {}: {e}", draw.trial);
        match water {
            Water::Unit => {
                let releases = scenario
                    .incidents
                    .iter()
                    .map(|i| {
                        let key = UnitKey {
                            location: i.location,
                            duration: i.duration,
                            regime: draw.regime,
                        };
                        let entry = self
                            .library
                            .entry(&key)
                            .ok_or_else(|| fail(format!("no unit response for {}", i.id)))?;
                        Ok(UnitRelease {
                            entry,
                            pollutant: i.pollutant,
                            mass_kg: i.mass_kg,
                            start: i.start,
                        })
                    })
                    .collect::<Result<Vec<_>, String>>()?;
                kernel.world_mut().insert_resource(UnitWater {
                    library: self.library.clone(),
                    releases,
                });
            }
            Water::Transport => {
                let releases = response::incident_releases(&scenario);
                crate::transport::plugin::install(&mut kernel, &scenario, &releases, draw.regime, SimTime::ZERO, end)
                    .map_err(|e| fail(e.to_string()))?;
            }
        }
        let setup = ResponseSetup::with_networks(
            scenario.clone(),
            policy.policy(),
            end,
            self.travel.clone(),
            self.river.clone(),
        );
        response::install(&mut kernel, setup).map_err(|e| fail(e.to_string()))?;
        kernel.world_mut().insert_resource(trial.plans.clone());
        kernel.run_until(end).map_err(|e| fail(e.to_string()))?;
        Ok(response::report::build(kernel.world_mut(), draw.seed))
    }

    /// Runs trials `range` of a run under each policy, in parallel, in trial order.
    /// `progress` is called with the number of trials finished so far (from any thread).
    pub fn evaluate(
        &self,
        seed: u64,
        range: std::ops::Range<u64>,
        policies: &[PolicyKind],
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<Vec<TrialRow>, String> {
        let done = std::sync::atomic::AtomicU64::new(0);
        let rows: Vec<Result<Vec<TrialRow>, String>> = range
            .into_par_iter()
            .map(|trial| {
                let draw = self.draw(seed, trial);
                let shared = self.trial(&draw);
                let rows = policies
                    .iter()
                    .map(|&policy| {
                        let report = self.run_trial_in(&shared, policy, Water::Unit)?;
                        Ok(TrialRow::of(&self.base, &draw, policy, &report))
                    })
                    .collect();
                progress(done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1);
                rows
            })
            .collect();
        let mut out = Vec::new();
        for r in rows {
            out.extend(r?);
        }
        Ok(out)
    }
}

/// One drawn trial, made ready to run under each policy ([`Planner::trial`]).
pub struct Trial {
    draw: TrialDraw,
    scenario: Arc<Scenario>,
    plans: response::PlanMemo,
}

/// The label of a policy in rows and reports.
pub fn policy_label(policy: PolicyKind) -> &'static str {
    policy.name()
}

/// One incident of a trial and how it was served.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrialIncident {
    pub source: String,
    pub jurisdiction: String,
    pub pollutant: String,
    pub mass_kg: f64,
    pub start_s: i64,
    pub discovered_s: Option<i64>,
    pub first_site_sample_s: Option<i64>,
    /// Threatened intakes (forecast over the limit) of this incident.
    pub intakes_threatened: usize,
    /// Of those, confirmed by a result before the plume arrived.
    pub intakes_warned: usize,
    /// Smallest warning margin over its threatened intakes [s] (negative: late).
    pub worst_margin_s: Option<i64>,
}

/// Largest count a row may hold (intakes, sections, tasks, samples, teams): far more than
/// any trial makes, small enough that the summaries' sums over every row cannot overflow.
pub const ROW_COUNT_MAX: usize = 1_000_000_000;

/// Largest time a row may hold, either way of zero [s] (about 100 years): the summaries'
/// differences of times cannot overflow.
pub const ROW_TIME_MAX_S: i64 = 100 * 366 * 86_400;

impl TrialIncident {
    /// Checks what the summaries rely on: a finite positive mass, counts and times in
    /// range, warned intakes among the threatened ones, discovery after the start and the
    /// first sample after discovery.
    pub fn check(&self) -> Result<(), String> {
        if !(self.mass_kg.is_finite() && self.mass_kg > 0.0) {
            return Err(format!("mass_kg = {} is not a positive mass", self.mass_kg));
        }
        if self.intakes_threatened > ROW_COUNT_MAX {
            return Err(format!(
                "intakes_threatened = {} is more than {ROW_COUNT_MAX}",
                self.intakes_threatened
            ));
        }
        let times = [
            ("start_s", Some(self.start_s)),
            ("discovered_s", self.discovered_s),
            ("first_site_sample_s", self.first_site_sample_s),
            ("worst_margin_s", self.worst_margin_s),
        ];
        for (name, t) in times {
            if let Some(t) = t
                && !(-ROW_TIME_MAX_S..=ROW_TIME_MAX_S).contains(&t)
            {
                return Err(format!("{name} = {t} is outside ±{ROW_TIME_MAX_S} s"));
            }
        }
        if self.intakes_warned > self.intakes_threatened {
            return Err(format!(
                "intakes_warned = {} is more than intakes_threatened = {}",
                self.intakes_warned, self.intakes_threatened
            ));
        }
        if let Some(discovered_s) = self.discovered_s
            && discovered_s < self.start_s
        {
            return Err(format!(
                "discovered_s = {discovered_s} is before start_s = {}",
                self.start_s
            ));
        }
        match (self.discovered_s, self.first_site_sample_s) {
            (Some(discovered_s), Some(sample_s)) if sample_s < discovered_s => Err(format!(
                "first_site_sample_s = {sample_s} is before discovered_s = {discovered_s}"
            )),
            _ => Ok(()),
        }
    }

    /// Discovery to first sample at the site [s]; `None` if never sampled in the trial.
    pub fn response_s(&self) -> Option<i64> {
        self.first_site_sample_s.zip(self.discovered_s).map(|(s, d)| s - d)
    }
}

/// One trial under one policy: the row of `trials.csv`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrialRow {
    pub trial: u64,
    pub policy: String,
    pub regime: String,
    pub incidents: Vec<TrialIncident>,
    pub border_sections: usize,
    pub border_covered: usize,
    pub tasks: usize,
    pub tasks_done: usize,
    pub tasks_late: usize,
    pub tasks_missed: usize,
    pub samples: usize,
    /// Busy time of each team over the trial [s], in scenario order.
    pub team_busy_s: Vec<i64>,
    /// Field kits carried: (kit id, teams carrying one, time in use [s]), catalogue order.
    #[serde(default)]
    pub kit_busy_s: Vec<(String, usize, i64)>,
    /// Length of the trial from the first incident [s].
    pub run_s: i64,
}

impl TrialRow {
    pub fn of(scenario: &Scenario, draw: &TrialDraw, policy: PolicyKind, report: &RunReport) -> TrialRow {
        let incidents = draw
            .incidents
            .iter()
            .zip(&report.incidents)
            .map(|(d, r)| {
                let source = &scenario.risk_sources[d.source];
                let threatened: Vec<_> = r.intakes.iter().filter(|w| w.threatened).collect();
                TrialIncident {
                    source: source.id.clone(),
                    jurisdiction: scenario.jurisdictions[source.jurisdiction].id.clone(),
                    pollutant: scenario.pollutants[d.pollutant].id.clone(),
                    mass_kg: d.mass_kg,
                    start_s: d.start_s,
                    discovered_s: r.discovered_s,
                    first_site_sample_s: r.first_sample_at_site_s,
                    intakes_threatened: threatened.len(),
                    intakes_warned: threatened.iter().filter(|w| w.warned_before_arrival).count(),
                    worst_margin_s: threatened.iter().filter_map(|w| w.margin_s).min(),
                }
            })
            .collect();
        let first = draw.incidents.iter().map(|i| i.start_s).min().unwrap_or(0);
        TrialRow {
            trial: draw.trial,
            policy: policy_label(policy).into(),
            regime: scenario.regimes[draw.regime].id.clone(),
            incidents,
            border_sections: report.border_sections_total,
            border_covered: report.border_sections_covered,
            tasks: report.tasks,
            tasks_done: report.tasks_done,
            tasks_late: report.tasks_late,
            tasks_missed: report.tasks_missed,
            samples: report.samples_taken,
            team_busy_s: report.teams.iter().map(|t| t.busy_s).collect(),
            kit_busy_s: report
                .field_kits
                .iter()
                .map(|k| (k.kit.clone(), k.teams, k.busy_s))
                .collect(),
            run_s: report.end_s - first,
        }
    }

    /// Checks that the row is one a trial of `run_s` seconds with `n_teams` teams can
    /// produce: one incident or a pair, counts that do not exceed their totals, busy
    /// times within the trial, times in order.
    pub fn check(&self, n_teams: usize, run_s: i64) -> Result<(), String> {
        if !(1..=2).contains(&self.incidents.len()) {
            return Err(format!(
                "{} incidents; a trial is one incident or a simultaneous pair",
                self.incidents.len()
            ));
        }
        if self.run_s != run_s {
            return Err(format!(
                "run_s = {} where the evaluation's trials last {run_s} s",
                self.run_s
            ));
        }
        let counts = [
            (
                "border_covered",
                self.border_covered,
                "border_sections",
                self.border_sections,
            ),
            ("tasks_done", self.tasks_done, "tasks", self.tasks),
            ("tasks_late", self.tasks_late, "tasks_done", self.tasks_done),
            ("tasks_missed", self.tasks_missed, "tasks", self.tasks),
        ];
        let totals = [
            ("border_sections", self.border_sections),
            ("tasks", self.tasks),
            ("samples", self.samples),
        ];
        for (name, n) in totals {
            if n > ROW_COUNT_MAX {
                return Err(format!("{name} = {n} is more than {ROW_COUNT_MAX}"));
            }
        }
        for (part, k, whole, n) in counts {
            if k > n {
                return Err(format!("{part} = {k} is more than {whole} = {n}"));
            }
        }
        if self.team_busy_s.len() != n_teams {
            return Err(format!(
                "team_busy_s has {} teams where the scenario has {n_teams}",
                self.team_busy_s.len()
            ));
        }
        if let Some((team_idx, busy_s)) = self
            .team_busy_s
            .iter()
            .enumerate()
            .find(|(_, b)| !(0..=run_s).contains(*b))
        {
            return Err(format!(
                "team_busy_s[{team_idx}] = {busy_s} is outside the trial's 0..={run_s} s"
            ));
        }
        for (kit, teams, busy_s) in &self.kit_busy_s {
            if *teams > ROW_COUNT_MAX {
                return Err(format!("kit {kit:?}: {teams} teams is more than {ROW_COUNT_MAX}"));
            }
            let busy_max_s = run_s.saturating_mul(i64::try_from(*teams).unwrap_or(i64::MAX));
            if !(0..=busy_max_s).contains(busy_s) {
                return Err(format!(
                    "kit {kit:?}: {busy_s} s in use is outside 0..={busy_max_s} s ({teams} teams over {run_s} s)"
                ));
            }
        }
        for (incident_idx, incident) in self.incidents.iter().enumerate() {
            incident
                .check()
                .map_err(|message| format!("incident {}: {message}", incident_idx + 1))?;
        }
        Ok(())
    }

    pub fn is_pair(&self) -> bool {
        self.incidents.len() == 2
    }

    /// Every incident got what its plan is for: its release site sampled, every border
    /// section on the plume's path sampled before the plume, every threatened intake
    /// warned before the plume.
    pub fn fully_served(&self) -> bool {
        self.incidents
            .iter()
            .all(|i| i.first_site_sample_s.is_some() && i.intakes_warned == i.intakes_threatened)
            && self.border_covered == self.border_sections
    }
}

/// A row that cannot have come from [`Planner::evaluate`], e.g. in a tampered shard file:
/// its index among the rows (0-based) and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowProblem {
    pub row_idx: usize,
    pub message: String,
}

/// Checks rows as [`Planner::evaluate`] writes them for trials `range` under `policies`:
/// every trial once under each policy, trial-major and in policy order, and each row
/// consistent in itself ([`TrialRow::check`]) with `n_teams` teams and a trial of
/// `run_s` seconds. The summaries index and divide by these fields, so a row that fails
/// here would make them panic or print nonsense.
pub fn check_rows(
    rows: &[TrialRow],
    range: std::ops::Range<u64>,
    policies: &[String],
    n_teams: usize,
    run_s: i64,
) -> Result<(), RowProblem> {
    let n_trials = range.end.saturating_sub(range.start);
    let expected_rows = n_trials.saturating_mul(policies.len() as u64);
    if rows.len() as u64 != expected_rows {
        return Err(RowProblem {
            row_idx: rows.len().min(usize::try_from(expected_rows).unwrap_or(usize::MAX)),
            message: format!(
                "{} rows where trials {}..{} under {} {} make {expected_rows}",
                rows.len(),
                range.start,
                range.end,
                policies.len(),
                if policies.len() == 1 { "policy" } else { "policies" }
            ),
        });
    }
    for (row_idx, row) in rows.iter().enumerate() {
        let trial = range.start + (row_idx / policies.len()) as u64;
        let policy = &policies[row_idx % policies.len()];
        let problem = if row.trial != trial || &row.policy != policy {
            Some(format!(
                "trial {} under {:?} where trial {trial} under {policy:?} belongs (each trial once under each policy, in order)",
                row.trial, row.policy
            ))
        } else {
            row.check(n_teams, run_s).err()
        };
        if let Some(message) = problem {
            return Err(RowProblem { row_idx, message });
        }
    }
    Ok(())
}

/// The measures of one policy over a set of trials, each with its 95 % interval.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PolicySummary {
    pub policy: String,
    pub trials: usize,
    /// Discovery to first sample at the site [min] (over all incidents; never sampled
    /// counts as longer than any).
    pub response_p50_min: Estimate,
    pub response_p90_min: Estimate,
    pub response_p95_min: Estimate,
    /// Share of incidents whose site was sampled within the trial.
    pub site_sampled: Estimate,
    /// Probability that a threatened intake gets a confirmed over-limit result before
    /// the plume passes its limit there.
    pub intake_warned: Estimate,
    /// Warning margin [min] over threatened intakes with a confirmed result: median and
    /// 10th percentile.
    pub margin_p50_min: Estimate,
    pub margin_p10_min: Estimate,
    /// Share of border sections on a plume's path sampled before the plume.
    pub border_covered: Estimate,
    /// Share of simultaneous pairs fully served ([`TrialRow::fully_served`]).
    pub pairs_fully_served: Estimate,
    /// Share of single incidents fully served.
    pub singles_fully_served: Estimate,
    /// Share of the plans' samples taken within their tolerance.
    pub samples_on_time: Estimate,
    /// Mean utilisation of each team (busy time over trial time), scenario order; the
    /// intervals of the utilisations are clipped to 0–1, where a utilisation lies.
    pub team_utilisation: Vec<Estimate>,
    /// Mean utilisation over all teams.
    pub mean_utilisation: Estimate,
    /// Mean utilisation of each field kit (time in use over trial time and kits carried).
    #[serde(default)]
    pub kit_utilisation: Vec<(String, Estimate)>,
}

/// Summarises the rows of one policy (rows in trial order).
pub fn summarise(policy: &str, rows: &[&TrialRow]) -> PolicySummary {
    let incidents: Vec<&TrialIncident> = rows.iter().flat_map(|r| &r.incidents).collect();
    let response_min: Vec<Option<f64>> = incidents
        .iter()
        .map(|i| i.response_s().map(|s| s as f64 / 60.0))
        .collect();
    let threatened: usize = incidents.iter().map(|i| i.intakes_threatened).sum();
    let warned: usize = incidents.iter().map(|i| i.intakes_warned).sum();
    let margins: Vec<Option<f64>> = incidents
        .iter()
        .filter_map(|i| i.worst_margin_s)
        .map(|m| Some(m as f64 / 60.0))
        .collect();
    let pairs: Vec<&&TrialRow> = rows.iter().filter(|r| r.is_pair()).collect();
    let singles: Vec<&&TrialRow> = rows.iter().filter(|r| !r.is_pair()).collect();
    let n_teams = rows.first().map_or(0, |r| r.team_busy_s.len());
    let team_utilisation: Vec<Estimate> = (0..n_teams)
        .map(|t| {
            let values: Vec<f64> = rows
                .iter()
                .map(|r| r.team_busy_s[t] as f64 / r.run_s.max(1) as f64)
                .collect();
            stats::mean_within(&values, 0.0, 1.0)
        })
        .collect();
    let mean_utilisation: Vec<f64> = rows
        .iter()
        .map(|r| r.team_busy_s.iter().sum::<i64>() as f64 / (r.run_s.max(1) as f64 * n_teams.max(1) as f64))
        .collect();
    let kits: Vec<&(String, usize, i64)> = rows.first().map_or(vec![], |r| r.kit_busy_s.iter().collect());
    let kit_utilisation = kits
        .iter()
        .map(|(kit, _, _)| {
            let values: Vec<f64> = rows
                .iter()
                .map(|r| {
                    r.kit_busy_s
                        .iter()
                        .find(|(k, _, _)| k == kit)
                        .map_or(0.0, |(_, teams, busy)| {
                            *busy as f64 / (r.run_s.max(1) as f64 * (*teams).max(1) as f64)
                        })
                })
                .collect();
            (kit.clone(), stats::mean_within(&values, 0.0, 1.0))
        })
        .collect();
    PolicySummary {
        policy: policy.into(),
        trials: rows.len(),
        response_p50_min: stats::quantile(&response_min, 0.5),
        response_p90_min: stats::quantile(&response_min, 0.9),
        response_p95_min: stats::quantile(&response_min, 0.95),
        site_sampled: stats::proportion(response_min.iter().filter(|r| r.is_some()).count(), response_min.len()),
        intake_warned: stats::proportion(warned, threatened),
        margin_p50_min: stats::quantile(&margins, 0.5),
        margin_p10_min: stats::quantile(&margins, 0.1),
        border_covered: stats::proportion(
            rows.iter().map(|r| r.border_covered).sum(),
            rows.iter().map(|r| r.border_sections).sum(),
        ),
        pairs_fully_served: stats::proportion(pairs.iter().filter(|r| r.fully_served()).count(), pairs.len()),
        singles_fully_served: stats::proportion(singles.iter().filter(|r| r.fully_served()).count(), singles.len()),
        samples_on_time: stats::proportion(
            rows.iter().map(|r| r.tasks_done - r.tasks_late).sum(),
            rows.iter().map(|r| r.tasks).sum(),
        ),
        team_utilisation,
        mean_utilisation: stats::mean_within(&mean_utilisation, 0.0, 1.0),
        kit_utilisation,
    }
}

/// Intake warning by source, for the map: (source id, threatened intakes, warned).
pub fn warning_by_source(rows: &[&TrialRow]) -> Vec<(String, usize, usize)> {
    let mut out: Vec<(String, usize, usize)> = Vec::new();
    for i in rows.iter().flat_map(|r| &r.incidents) {
        match out.iter_mut().find(|(s, _, _)| *s == i.source) {
            Some(entry) => {
                entry.1 += i.intakes_threatened;
                entry.2 += i.intakes_warned;
            }
            None => out.push((i.source.clone(), i.intakes_threatened, i.intakes_warned)),
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The trials `[start, end)` of shard `index` (0-based) of `count` over `trials`:
/// contiguous, in order, sizes differing by at most one.
pub fn shard_range(trials: u64, index: u64, count: u64) -> std::ops::Range<u64> {
    let base = trials / count;
    let extra = trials % count;
    let start = index * base + index.min(extra);
    let len = base + u64::from(index < extra);
    start..start + len
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_the_trials_once_in_order() {
        for trials in [0, 1, 7, 100, 101] {
            for count in 1..=5 {
                let ranges: Vec<_> = (0..count).map(|i| shard_range(trials, i, count)).collect();
                let all: Vec<u64> = ranges.iter().flat_map(|r| r.clone()).collect();
                assert_eq!(all, (0..trials).collect::<Vec<_>>(), "{trials} in {count}");
            }
        }
    }
}
