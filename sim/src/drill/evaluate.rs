//! Evaluation of a drill and the data of its after-action report (HSEEP AAR/IP): each
//! critical task is timed from what happened and rated P / S / M / U against its
//! threshold, with the evidence; a target takes its worst task's rating, an objective its
//! worst target's. The overall score weighs targets in the manner of GB/T 46792-2025
//! (points per rating, a weighted mean and a grade; the point values are this tool's
//! assumption). Also the series the charts draw: concentration at every intake and border
//! section with the samples, each team's activity, response times per jurisdiction.

use super::causes::{self, Cause, Element};
use super::engine::{DrillConfig, DrillLog};
use super::text::{Arg, Text};
use super::{Action, Contact, CriticalTask, DisruptionKind, Drill, InjectKind, Means, Measure, Reference, Seat};
use crate::plan::Role;
use crate::response::report::{self, RunReport};
use crate::response::{ResponseState, TeamUnit};
use crate::scenario::{PointKind, Scenario};
use crate::time::SimTime;
use crate::transport::plugin::{NamedPoint, PointSeries};
use bevy_ecs::prelude::*;
use serde::Serialize;

/// HSEEP performance rating.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Rating {
    /// Performed without challenges.
    P,
    /// Performed with some challenges.
    S,
    /// Performed with major challenges.
    M,
    /// Unable to be performed.
    U,
}

impl Rating {
    /// Points in the overall score (assumption: GB/T 46792-2025 asks for scores or
    /// ratings without fixing these values).
    pub fn points(self) -> f64 {
        match self {
            Rating::P => 100.0,
            Rating::S => 75.0,
            Rating::M => 50.0,
            Rating::U => 0.0,
        }
    }

    pub fn meaning(self) -> &'static str {
        match self {
            Rating::P => "performed without challenges",
            Rating::S => "performed with some challenges",
            Rating::M => "performed with major challenges",
            Rating::U => "unable to be performed",
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct TaskRating {
    pub title: String,
    /// `None`: not applicable (the plume it is measured from never came).
    pub rating: Option<Rating>,
    pub performed_s: Option<i64>,
    pub reference_s: Option<i64>,
    /// Performed minus reference [s].
    pub elapsed_s: Option<i64>,
    pub threshold_s: i64,
    pub evidence: Text,
}

/// A strength or an area for improvement: a critical task and what was observed.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    /// The target's id.
    pub target: String,
    /// The critical task's title.
    pub task: String,
    pub rating: Rating,
    pub evidence: Text,
}

#[derive(Clone, Debug, Serialize)]
pub struct TargetReport {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub weight: f64,
    pub rating: Option<Rating>,
    pub tasks: Vec<TaskRating>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ObjectiveReport {
    pub id: String,
    pub title: String,
    pub capability: String,
    pub rating: Option<Rating>,
    pub strengths: Vec<Finding>,
    pub areas_for_improvement: Vec<Finding>,
    pub targets: Vec<TargetReport>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Score {
    /// Weighted mean of the rated targets' points [0–100].
    pub points: f64,
    /// Excellent ≥ 90, good ≥ 75, pass ≥ 60, else fail.
    pub grade: String,
    pub targets_rated: usize,
    pub targets_not_applicable: usize,
    pub counts: RatingCounts,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct RatingCounts {
    pub p: usize,
    pub s: usize,
    pub m: usize,
    pub u: usize,
}

/// One corrective action of the improvement plan: a critical task not rated P, why it
/// fell short and what to do about it.
#[derive(Clone, Debug, Serialize)]
pub struct ImprovementItem {
    pub target: String,
    /// The critical task that fell short.
    pub task: String,
    pub capability: String,
    pub rating: Rating,
    /// What the evaluation observed.
    pub issue: Text,
    /// Why, from the evidence of the run.
    pub cause: Cause,
    /// The corrective action that answers the cause.
    pub corrective_action: Text,
    /// The script author's corrective action for the target.
    pub suggested: String,
    /// HSEEP capability element the action improves.
    pub element: Element,
    /// Who owns the action: the jurisdiction the failing task falls to, or the Executive
    /// Committee.
    pub owner: String,
    /// Start and completion dates, YYYY-MM-DD.
    pub start: String,
    pub due: String,
}

/// What happened at a drinking-water intake the true plume reached over the limit: the
/// outcome the report opens with.
#[derive(Clone, Debug, Serialize)]
pub struct IntakeOutcome {
    pub intake: String,
    pub name: String,
    pub jurisdiction: String,
    pub incident: String,
    pub pollutant: String,
    /// The true plume first over the limit there [s].
    pub over_limit_s: i64,
    /// Highest true concentration in the exercise [mg/L] and when [s].
    pub peak_mg_l: f64,
    pub peak_s: i64,
    pub limit_mg_l: f64,
    /// Peak over limit [-].
    pub peak_times_limit: f64,
    /// When advice to close it reached the owner [s].
    pub advised_s: Option<i64>,
    /// The advice reached the owner no later than the plume over the limit.
    pub warned_before: bool,
    /// Over-limit time minus advice [s]; negative: the advice came that long after.
    pub lead_s: Option<i64>,
    /// First conclusive over-limit result confirming the warning [s].
    pub confirmed_s: Option<i64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct InjectRecord {
    pub number: String,
    pub kind: String,
    /// Scheduled delivery after the exercise start (timeline), deadline (contingency) [s].
    pub scheduled_s: Option<i64>,
    pub delivered_s: Option<i64>,
    pub from: String,
    pub to: Vec<String>,
    pub channel: String,
    pub message: String,
    pub expected: Vec<String>,
    pub acknowledged_s: Vec<Option<i64>>,
    pub notes: String,
}

/// An evaluator's observation, with the exercise time it was made at.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct Observation {
    pub at_s: i64,
    /// The evaluator's seat name (the server's seats file).
    pub by: String,
    /// Whom or what it is about, if the evaluator said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    pub text: String,
}

#[derive(Clone, Debug, Serialize, serde::Deserialize)]
pub struct TimelineEntry {
    pub at_s: i64,
    pub who: String,
    /// What happened, in English: the console's event log, the views and `report.json`
    /// show it.
    pub what: String,
    /// `what` as data, for a report in another language (`report.ftl`, the `tl-`
    /// messages). Not serialised: the views and `report.json` keep `what`.
    #[serde(skip)]
    pub event: Option<Text>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ChartSample {
    pub taken_s: i64,
    pub mg_l: f64,
    pub team: String,
    pub over_limit: bool,
}

/// Concentration against time at a named point, with its limit and the samples taken.
#[derive(Clone, Debug, Serialize)]
pub struct PointChart {
    pub point: String,
    pub name: String,
    pub kind: String,
    pub jurisdiction: String,
    pub pollutant: String,
    pub limit_mg_l: f64,
    pub times_s: Vec<i64>,
    pub mg_l: Vec<f64>,
    pub samples: Vec<ChartSample>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Segment {
    /// travel, sampling, out_of_service.
    pub kind: String,
    pub from_s: i64,
    pub to_s: i64,
    pub label: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct TeamTimeline {
    pub team: String,
    pub jurisdiction: String,
    pub segments: Vec<Segment>,
}

/// Tasks at points of a jurisdiction: from the task opening to the team at the water.
#[derive(Clone, Debug, Serialize)]
pub struct JurisdictionTimes {
    pub jurisdiction: String,
    pub tasks_served: usize,
    pub tasks_missed: usize,
    pub response_mean_s: Option<i64>,
    pub response_p50_s: Option<i64>,
    pub response_p90_s: Option<i64>,
    pub response_max_s: Option<i64>,
    /// Samples taken more than the late tolerance after their due time.
    pub late: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct IncidentTruth {
    pub id: String,
    pub name: String,
    pub jurisdiction: String,
    pub pollutant: String,
    pub mass_kg: f64,
    pub reported_mass_kg: f64,
    pub start_s: i64,
    pub discovered_s: Option<i64>,
    pub discovered_by: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Participant {
    pub jurisdiction: String,
    pub name: String,
    /// The participating agency as the script names it, else the jurisdiction's name.
    pub agency: String,
    pub teams: Vec<String>,
}

/// Everything the after-action report shows; `report.json` is this, serialised.
#[derive(Clone, Debug, Serialize)]
pub struct DrillReport {
    pub drill: String,
    pub description: String,
    pub exercise_type: String,
    pub date: String,
    pub scenario: String,
    pub policy: String,
    pub seed: u64,
    pub start_s: i64,
    pub end_s: i64,
    pub sponsor: String,
    pub contacts: Vec<Contact>,
    pub participants: Vec<Participant>,
    /// Intakes the true plume reached over the limit: the outcome that matters.
    pub intake_outcomes: Vec<IntakeOutcome>,
    pub incidents: Vec<IncidentTruth>,
    pub score: Score,
    pub objectives: Vec<ObjectiveReport>,
    pub improvement_plan: Vec<ImprovementItem>,
    pub injects: Vec<InjectRecord>,
    pub timeline: Vec<TimelineEntry>,
    pub charts: Vec<PointChart>,
    pub team_timelines: Vec<TeamTimeline>,
    pub response_times: Vec<JurisdictionTimes>,
    pub response: RunReport,
    /// The evaluators' observations, in time order (none: left out of the JSON, which
    /// stays as it was for drills without evaluators).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub observations: Vec<Observation>,
}

/// What the evaluation reads: the drill, the response, the drill log and the true
/// concentration series.
pub(super) struct Facts<'a> {
    pub drill: &'a Drill,
    pub scenario: &'a Scenario,
    pub state: &'a ResponseState,
    pub log: &'a DrillLog,
    pub series: &'a [(usize, PointSeries)],
    pub config: &'a DrillConfig,
}

pub fn build(world: &mut World, drill: &Drill, config: &DrillConfig) -> DrillReport {
    let response = report::build(world, config.seed);
    let mut series: Vec<(usize, PointSeries)> = world
        .query::<(&NamedPoint, &PointSeries)>()
        .iter(world)
        .map(|(p, s)| (p.point_idx, s.clone()))
        .collect();
    series.sort_by_key(|(idx, _)| *idx);
    let mut units: Vec<TeamUnit> = world.query::<&TeamUnit>().iter(world).cloned().collect();
    units.sort_by_key(|u| u.team);
    let facts = Facts {
        drill,
        scenario: &drill.scenario,
        state: world.resource::<ResponseState>(),
        log: world.resource::<DrillLog>(),
        series: &series,
        config,
    };
    let objectives = rate_objectives(&facts);
    let score = score(&objectives);
    let improvement_plan = improvement_plan(&facts, &objectives);
    DrillReport {
        drill: drill.name.clone(),
        description: drill.description.clone(),
        exercise_type: drill.exercise_type.clone(),
        date: drill.date.clone(),
        scenario: drill.scenario_name.clone(),
        policy: config.policy.name().to_string(),
        seed: config.seed,
        start_s: drill.start.seconds(),
        end_s: drill.end().seconds(),
        sponsor: drill.sponsor.clone(),
        contacts: drill.contacts.clone(),
        participants: participants(drill),
        intake_outcomes: intake_outcomes(&facts),
        incidents: incidents(&facts),
        score,
        objectives,
        improvement_plan,
        injects: injects(&facts),
        timeline: timeline(&facts),
        charts: charts(&facts),
        team_timelines: team_timelines(&facts, &units),
        response_times: response_times(&facts),
        observations: facts.log.observations.clone(),
        response,
    }
}

fn participants(drill: &Drill) -> Vec<Participant> {
    let scenario = &drill.scenario;
    scenario
        .jurisdictions
        .iter()
        .enumerate()
        .map(|(j, jurisdiction)| Participant {
            jurisdiction: jurisdiction.id.clone(),
            name: format!("{} ({})", jurisdiction.name, jurisdiction.province),
            agency: drill
                .agencies
                .iter()
                .find(|(a, _, _)| *a == j)
                .map_or_else(|| jurisdiction.name.clone(), |(_, name, _)| name.clone()),
            teams: scenario
                .teams
                .iter()
                .filter(|t| t.jurisdiction == j)
                .map(|t| t.id.clone())
                .collect(),
        })
        .collect()
}

fn incidents(facts: &Facts<'_>) -> Vec<IncidentTruth> {
    let scenario = facts.scenario;
    scenario
        .incidents
        .iter()
        .enumerate()
        .map(|(i, incident)| IncidentTruth {
            id: incident.id.clone(),
            name: incident.name.clone(),
            jurisdiction: scenario.jurisdictions[incident.jurisdiction].id.clone(),
            pollutant: scenario.pollutants[incident.pollutant].id.clone(),
            mass_kg: incident.mass_kg,
            reported_mass_kg: incident.reported_mass_kg,
            start_s: incident.start.seconds(),
            discovered_s: facts.state.incidents[i].discovered_at.map(SimTime::seconds),
            discovered_by: facts.state.incidents[i].discovered_by.clone(),
        })
        .collect()
}

/// Every intake the true plume of an incident's pollutant reached over the limit, by the
/// time it got there.
fn intake_outcomes(facts: &Facts<'_>) -> Vec<IntakeOutcome> {
    let scenario = facts.scenario;
    let mut outcomes = Vec::new();
    for (point_idx, point) in scenario.points.iter().enumerate() {
        if point.kind != PointKind::Intake {
            continue;
        }
        let Some((_, s)) = facts.series.iter().find(|(idx, _)| *idx == point_idx) else {
            continue;
        };
        for (i, incident) in scenario.incidents.iter().enumerate() {
            let Some(over) = plume_arrival(scenario, facts.series, point_idx, Some(i)) else {
                continue;
            };
            let p = incident.pollutant;
            let limit = scenario.limit_mg_l(p, point.target_class);
            let (peak_s, peak_mg_l) = s
                .times
                .iter()
                .zip(&s.conc[p])
                .fold((over.seconds(), 0.0), |best, (t, c)| {
                    if *c > best.1 { (t.seconds(), *c) } else { best }
                });
            let advised = intake_advice(facts, point_idx, Some(i)).0;
            let confirmed = confirmed_warning(facts, point_idx, Some(i)).map(|(t, _)| t);
            outcomes.push(IntakeOutcome {
                intake: point.id.clone(),
                name: point.name.clone(),
                jurisdiction: scenario.jurisdictions[point.jurisdiction].id.clone(),
                incident: incident.id.clone(),
                pollutant: scenario.pollutants[p].id.clone(),
                over_limit_s: over.seconds(),
                peak_mg_l,
                peak_s,
                limit_mg_l: limit,
                peak_times_limit: peak_mg_l / limit,
                advised_s: advised.map(SimTime::seconds),
                warned_before: advised.is_some_and(|a| a <= over),
                lead_s: advised.map(|a| (over - a).seconds()),
                confirmed_s: confirmed.map(SimTime::seconds),
            });
        }
    }
    outcomes.sort_by(|a, b| (a.over_limit_s, &a.intake).cmp(&(b.over_limit_s, &b.intake)));
    outcomes
}

pub(super) fn jurisdiction_label(scenario: &Scenario, j: Option<usize>) -> String {
    j.map_or_else(
        || "Executive Committee (joint command)".to_string(),
        |j| scenario.jurisdictions[j].name.clone(),
    )
}

fn rate_objectives(facts: &Facts<'_>) -> Vec<ObjectiveReport> {
    let drill = facts.drill;
    drill
        .objectives
        .iter()
        .enumerate()
        .map(|(o, objective)| {
            let targets: Vec<TargetReport> = drill
                .targets
                .iter()
                .filter(|t| t.objective == o)
                .map(|target| {
                    let tasks: Vec<TaskRating> = target.tasks.iter().map(|task| rate_task(facts, task)).collect();
                    TargetReport {
                        id: target.id.clone(),
                        title: target.title.clone(),
                        owner: jurisdiction_label(facts.scenario, target.owner),
                        weight: target.weight,
                        rating: tasks.iter().filter_map(|t| t.rating).max(),
                        tasks,
                    }
                })
                .collect();
            let mut strengths = Vec::new();
            let mut areas = Vec::new();
            for target in &targets {
                for task in &target.tasks {
                    let Some(rating) = task.rating else { continue };
                    let finding = Finding {
                        target: target.id.clone(),
                        task: task.title.clone(),
                        rating,
                        evidence: task.evidence.clone(),
                    };
                    if rating == Rating::P {
                        strengths.push(finding);
                    } else {
                        areas.push(finding);
                    }
                }
            }
            ObjectiveReport {
                id: objective.id.clone(),
                title: objective.title.clone(),
                capability: objective.capability.clone(),
                rating: targets.iter().filter_map(|t| t.rating).max(),
                strengths,
                areas_for_improvement: areas,
                targets,
            }
        })
        .collect()
}

fn score(objectives: &[ObjectiveReport]) -> Score {
    let targets: Vec<&TargetReport> = objectives.iter().flat_map(|o| &o.targets).collect();
    let rated: Vec<(&TargetReport, Rating)> = targets.iter().filter_map(|t| t.rating.map(|r| (*t, r))).collect();
    let weight: f64 = rated.iter().map(|(t, _)| t.weight).sum();
    let points = if weight > 0.0 {
        rated.iter().map(|(t, r)| t.weight * r.points()).sum::<f64>() / weight
    } else {
        0.0
    };
    let mut counts = RatingCounts::default();
    for (_, rating) in &rated {
        match rating {
            Rating::P => counts.p += 1,
            Rating::S => counts.s += 1,
            Rating::M => counts.m += 1,
            Rating::U => counts.u += 1,
        }
    }
    let grade = match points {
        p if p >= 90.0 => "excellent",
        p if p >= 75.0 => "good",
        p if p >= 60.0 => "pass",
        _ => "fail",
    };
    Score {
        points: (points * 10.0).round() / 10.0,
        grade: grade.to_string(),
        targets_rated: rated.len(),
        targets_not_applicable: targets.len() - rated.len(),
        counts,
    }
}

fn improvement_plan(facts: &Facts<'_>, objectives: &[ObjectiveReport]) -> Vec<ImprovementItem> {
    let drill = facts.drill;
    let mut items = Vec::new();
    for objective in objectives {
        for target_report in &objective.targets {
            let target = drill
                .targets
                .iter()
                .find(|t| t.id == target_report.id)
                .expect("reports follow targets");
            // One corrective action per critical task that fell short, owned by whoever
            // the task falls to.
            for (task, rated) in target.tasks.iter().zip(&target_report.tasks) {
                let Some(rating) = rated.rating.filter(|r| *r != Rating::P) else {
                    continue;
                };
                let cause = causes::cause(facts, task, rated);
                let owner = causes::owner(facts, task).or(target.owner);
                items.push(ImprovementItem {
                    target: target.id.clone(),
                    task: task.title.clone(),
                    capability: objective.capability.clone(),
                    rating,
                    issue: rated.evidence.clone(),
                    corrective_action: cause.corrective.clone(),
                    element: cause.element,
                    cause,
                    suggested: target.corrective.clone(),
                    owner: jurisdiction_label(facts.scenario, owner),
                    start: add_days(&drill.date, target.start_days),
                    due: add_days(&drill.date, target.due_days),
                });
            }
        }
    }
    items
}

/// `YYYY-MM-DD` plus days (proleptic Gregorian calendar).
pub fn add_days(date: &str, days: u32) -> String {
    let Some((mut year, mut month, mut day)) = super::script::parse_date(date) else {
        return date.to_string();
    };
    for _ in 0..days {
        day += 1;
        if day > super::script::days_in_month(year, month) {
            day = 1;
            month += 1;
            if month > 12 {
                month = 1;
                year += 1;
            }
        }
    }
    format!("{year:04}-{month:02}-{day:02}")
}

/// When the measured thing was done, and the evidence that says so.
fn performed(facts: &Facts<'_>, measure: &Measure) -> (Option<SimTime>, Text) {
    let scenario = facts.scenario;
    let state = facts.state;
    let log = facts.log;
    match *measure {
        Measure::FirstSample {
            point,
            cross_border,
            incident,
            by,
        } => {
            let id = &scenario.points[point].id;
            let owner = scenario.points[point].jurisdiction;
            let at_point: Vec<(usize, &crate::response::Sample)> = state
                .samples
                .iter()
                .enumerate()
                .filter(|(_, s)| &s.point_id == id && incident.is_none_or(|i| s.incident == i))
                .filter(|(_, s)| !cross_border || s.team.is_some_and(|t| scenario.teams[t].jurisdiction != owner))
                .collect();
            let first = at_point
                .iter()
                .filter(|(_, s)| counts_as_sample(scenario, s, by))
                .min_by_key(|(i, s)| (s.taken_at, *i));
            let means = Arg::optional(by.map(|m| Text::new("ev-by-means", vec![("means", Arg::Means(m.as_str()))])));
            let inconclusive = at_point.iter().filter(|(_, s)| !s.conclusive).count();
            let other_means = at_point
                .iter()
                .filter(|(_, s)| s.conclusive && !counts_as_sample(scenario, s, by))
                .count();
            let not_counted = Arg::optional(match (inconclusive, other_means) {
                (0, 0) => None,
                (n, 0) => Some(Text::new(
                    "ev-not-counted-inconclusive",
                    vec![("n", Arg::plain(n.to_string()))],
                )),
                (0, m) => Some(Text::new(
                    "ev-not-counted-other-means",
                    vec![("m", Arg::plain(m.to_string()))],
                )),
                (n, m) => Some(Text::new(
                    "ev-not-counted-both",
                    vec![("n", Arg::plain(n.to_string())), ("m", Arg::plain(m.to_string()))],
                )),
            });
            match first {
                Some((i, s)) => (
                    Some(s.taken_at),
                    Text::new(
                        "ev-first-sample",
                        vec![
                            ("sample", Arg::plain(i.to_string())),
                            ("point", Arg::name(id)),
                            ("team", Arg::Team(s.team.map(|t| scenario.teams[t].id.clone()))),
                            ("means", means),
                            ("at", Arg::at(s.taken_at)),
                            ("pollutant", Arg::name(&scenario.pollutants[s.pollutant].id)),
                            ("mg_l", Arg::mg_l(s.reported_mg_l)),
                            ("not_counted", not_counted),
                        ],
                    ),
                ),
                None => (
                    None,
                    Text::new(
                        "ev-no-sample",
                        vec![
                            ("point", Arg::name(id)),
                            ("means", means),
                            (
                                "other_team",
                                Arg::optional(cross_border.then(|| Text::new("ev-by-other-team", vec![]))),
                            ),
                            ("not_counted", not_counted),
                        ],
                    ),
                ),
            }
        }
        Measure::FirstResult { point, incident } => {
            let id = &scenario.points[point].id;
            let first = state
                .samples
                .iter()
                .enumerate()
                .filter(|(_, s)| &s.point_id == id && s.result_known && incident.is_none_or(|i| s.incident == i))
                .min_by_key(|(i, s)| (s.result_at, *i));
            match first {
                Some((i, s)) => (
                    Some(s.result_at),
                    Text::new(
                        "ev-first-result",
                        vec![
                            ("sample", Arg::plain(i.to_string())),
                            ("point", Arg::name(id)),
                            ("team", Arg::Team(s.team.map(|t| scenario.teams[t].id.clone()))),
                            ("method", Arg::plain(s.method.clone())),
                            ("at", Arg::at(s.result_at)),
                            ("mg_l", Arg::mg_l(s.reported_mg_l)),
                        ],
                    ),
                ),
                None => (None, Text::new("ev-no-result", vec![("point", Arg::name(id))])),
            }
        }
        Measure::Notification { from, to } => {
            let first = log.actions.iter().find(|a| {
                matches!(a.action, Action::Notify { to: t, .. } if t == to)
                    && from.is_none_or(|f| a.seat == Seat::Jurisdiction(f))
            });
            let to_name = Arg::name(&scenario.jurisdictions[to].id);
            match first {
                Some(a) => (
                    Some(a.at),
                    Text::new(
                        "ev-notified",
                        vec![
                            ("seat", Arg::Seat(a.seat.label(scenario))),
                            ("to", to_name),
                            ("at", Arg::at(a.at)),
                        ],
                    ),
                ),
                None => (None, Text::new("ev-never-notified", vec![("to", to_name)])),
            }
        }
        Measure::PlanIssued { incident } => {
            let id = Arg::Incident(scenario.incidents[incident].id.clone());
            match state.incidents[incident].plan_at {
                Some(t) => (
                    Some(t),
                    Text::new("ev-plan-issued", vec![("incident", id), ("at", Arg::at(t))]),
                ),
                None => (None, Text::new("ev-no-plan", vec![("incident", id)])),
            }
        }
        Measure::IntakeAdvice { point, incident } => intake_advice(facts, point, incident),
        Measure::Confirmed { point, incident } => match confirmed_warning(facts, point, incident) {
            Some((t, evidence)) => (Some(t), evidence),
            None => (
                None,
                Text::new(
                    "ev-not-confirmed",
                    vec![
                        ("of_incident", of_incident(scenario, incident)),
                        ("point", Arg::name(&scenario.points[point].id)),
                    ],
                ),
            ),
        },
        Measure::Acknowledge { inject } => {
            let number = Arg::plain(facts.drill.injects[inject].number.clone());
            let first = log
                .inbox
                .iter()
                .filter(|i| i.inject == inject)
                .filter_map(|i| i.acknowledged_at.map(|t| (t, i.seat)))
                .min();
            match first {
                Some((t, seat)) => (
                    Some(t),
                    Text::new(
                        "ev-acknowledged",
                        vec![
                            ("number", number),
                            ("seat", Arg::Seat(seat.label(scenario))),
                            ("at", Arg::at(t)),
                        ],
                    ),
                ),
                None if log.delivered[inject].is_none() => {
                    (None, Text::new("ev-inject-not-delivered", vec![("number", number)]))
                }
                None => (None, Text::new("ev-inject-not-acknowledged", vec![("number", number)])),
            }
        }
        Measure::MediaStatement => match log.actions.iter().find(|a| a.action == Action::MediaStatement) {
            Some(a) => (
                Some(a.at),
                Text::new(
                    "ev-media",
                    vec![("seat", Arg::Seat(a.seat.label(scenario))), ("at", Arg::at(a.at))],
                ),
            ),
            None => (None, Text::new("ev-no-media", vec![])),
        },
        Measure::SourceIdentified { incident, probability } => source_identified(facts, incident, probability),
    }
}

/// ` of INCIDENT` where a measure names one.
fn of_incident(scenario: &Scenario, incident: Option<usize>) -> Arg {
    Arg::optional(incident.map(|i| {
        Text::new(
            "ev-of-incident",
            vec![("incident", Arg::Incident(scenario.incidents[i].id.clone()))],
        )
    }))
}

/// When the incident's true source first ranked first at or above `probability`, from the
/// results the command knew at each moment one became known ([`super::source`]).
fn source_identified(facts: &Facts<'_>, incident: usize, probability: f64) -> (Option<SimTime>, Text) {
    let scenario = facts.scenario;
    let truth = &scenario.incidents[incident];
    let Some(source) = truth.source else {
        return (
            None,
            Text::new(
                "ev-source-not-in-inventory",
                vec![("incident", Arg::Incident(truth.id.clone()))],
            ),
        );
    };
    let source_id = &scenario.risk_sources[source].id;
    let found = super::source::first_identified(scenario, facts.state.into(), incident, source, probability);
    let (detected, all) = found.results;
    let leader = Arg::optional(found.leader.as_ref().map(|(place, p)| {
        Text::new(
            "ev-source-leader",
            vec![("place", Arg::name(place)), ("p", Arg::plain(format!("{p:.2}")))],
        )
    }));
    let standing = Arg::text(match found.rank {
        Some(rank) => Text::new(
            "ev-source-rank",
            vec![
                ("source", Arg::name(source_id)),
                ("rank", Arg::plain(rank.to_string())),
                ("p", Arg::plain(format!("{:.2}", found.probability))),
            ],
        ),
        None => Text::new("ev-source-not-shown", vec![("source", Arg::name(source_id))]),
    });
    let cut = Arg::optional(found.truncated.then(|| {
        Text::new(
            "ev-source-cut",
            vec![("moments", Arg::plain(super::source::IDENTIFICATIONS_MAX.to_string()))],
        )
    }));
    let counts = |text: &mut Vec<(&'static str, Arg)>| {
        text.push(("all", Arg::plain(all.to_string())));
        text.push(("detected", Arg::plain(detected.to_string())));
    };
    match (found.identified_at, &found.error) {
        (Some(t), _) => {
            let mut args = vec![("at", Arg::at(t)), ("standing", standing)];
            counts(&mut args);
            args.push(("moment", Arg::plain(found.moments.to_string())));
            (Some(t), Text::new("ev-source-identified", args))
        }
        (None, _) if detected == 0 => {
            let mut args = vec![
                ("source", Arg::name(source_id)),
                ("pollutant", Arg::name(&scenario.pollutants[truth.pollutant].id)),
            ];
            counts(&mut args);
            (None, Text::new("ev-source-never-detected", args))
        }
        (None, Some(e)) => (
            None,
            Text::new(
                "ev-source-failed",
                vec![("source", Arg::name(source_id)), ("error", Arg::plain(e.clone()))],
            ),
        ),
        (None, None) => {
            let mut args = vec![
                ("source", Arg::name(source_id)),
                ("probability", Arg::plain(format!("{probability:.2}"))),
                ("moments", Arg::plain(found.moments.to_string())),
                ("standing", standing),
                ("leader", leader),
                ("cut", cut),
            ];
            counts(&mut args);
            (None, Text::new("ev-source-never-first", args))
        }
    }
}

/// Does a sample count for a sample measure: conclusive, and taken by the means asked for?
pub(super) fn counts_as_sample(scenario: &Scenario, sample: &crate::response::Sample, by: Option<Means>) -> bool {
    sample.conclusive && by.is_none_or(|means| sample.team.and_then(|t| Means::of_team(scenario, t)) == Some(means))
}

/// Does an action about `about` (an incident, or none named) concern `incident` (one, or
/// any)? Advice or a notification naming no incident concerns every incident.
fn concerns(about: Option<usize>, incident: Option<usize>) -> bool {
    match (about, incident) {
        (Some(a), Some(i)) => a == i,
        _ => true,
    }
}

/// The intake's owner is advised when the advice comes from itself or the joint command,
/// or — county by county — when it has also been notified of the incident. With an
/// incident, only advice and notifications about it (or naming none) count.
pub(super) fn intake_advice(facts: &Facts<'_>, point: usize, incident: Option<usize>) -> (Option<SimTime>, Text) {
    let scenario = facts.scenario;
    let owner = scenario.points[point].jurisdiction;
    let id = &scenario.points[point].id;
    let notified = facts
        .log
        .actions
        .iter()
        .find(
            |a| matches!(a.action, Action::Notify { to, incident: about } if to == owner && concerns(about, incident)),
        )
        .map(|a| a.at);
    let best = facts
        .log
        .actions
        .iter()
        .filter(|a| {
            matches!(a.action, Action::IntakeAdvice { point: p, close: true, incident: about }
                if p == point && concerns(about, incident))
        })
        .filter_map(|a| {
            let direct = a.seat == Seat::Command || a.seat == Seat::Jurisdiction(owner);
            let reaches = if direct {
                Some(a.at)
            } else {
                notified.map(|n| n.max(a.at))
            };
            reaches.map(|t| (t, a))
        })
        .min_by_key(|(t, _)| *t);
    let because = || {
        Arg::optional(incident.map(|i| {
            Text::new(
                "ev-because-of",
                vec![("incident", Arg::Incident(scenario.incidents[i].id.clone()))],
            )
        }))
    };
    let owner_id = Arg::name(&scenario.jurisdictions[owner].id);
    match best {
        Some((t, a)) => (
            Some(t),
            Text::new(
                "ev-advised",
                vec![
                    ("owner", owner_id),
                    ("point", Arg::name(id)),
                    ("because", because()),
                    ("seat", Arg::Seat(a.seat.label(scenario))),
                    ("at", Arg::at(a.at)),
                    (
                        "effective",
                        Arg::optional(
                            (t > a.at).then(|| Text::new("ev-effective-when-notified", vec![("at", Arg::at(t))])),
                        ),
                    ),
                ],
            ),
        ),
        None => (
            None,
            Text::new(
                "ev-never-advised",
                vec![("owner", owner_id), ("point", Arg::name(id)), ("because", because())],
            ),
        ),
    }
}

/// The first result that confirms an intake's warning: known, conclusive and over the
/// limit, of the incident (or any incident), at the intake or at a point of the
/// incident's plan that the forecast plume reaches no later than the intake (below the
/// release site and its upstream control).
pub(super) fn confirmed_warning(facts: &Facts<'_>, point: usize, incident: Option<usize>) -> Option<(SimTime, Text)> {
    let scenario = facts.scenario;
    let intake_id = &scenario.points[point].id;
    let on_path = |s: &crate::response::Sample| {
        if &s.point_id == intake_id {
            return true;
        }
        let Some(plan) = facts.state.plans[s.incident].as_ref() else {
            return false;
        };
        let intake_arrival = plan
            .points
            .iter()
            .find(|p| &p.id == intake_id)
            .and_then(|p| p.forecast_arrival);
        plan.points.iter().find(|p| p.id == s.point_id).is_some_and(|p| {
            !matches!(p.role, Role::ReleaseSite | Role::UpstreamControl)
                && p.forecast_arrival.zip(intake_arrival).is_some_and(|(a, b)| a <= b)
        })
    };
    let (i, s) = facts
        .state
        .samples
        .iter()
        .enumerate()
        .filter(|(_, s)| incident.is_none_or(|i| s.incident == i))
        .filter(|(_, s)| s.result_known && s.conclusive && s.over_limit && on_path(s))
        .min_by_key(|(i, s)| (s.result_at, *i))?;
    Some((
        s.result_at,
        Text::new(
            "ev-confirmed",
            vec![
                ("sample", Arg::plain(i.to_string())),
                ("point", Arg::name(&s.point_id)),
                ("team", Arg::Team(s.team.map(|t| scenario.teams[t].id.clone()))),
                ("method", Arg::plain(s.method.clone())),
                ("mg_l", Arg::mg_l(s.reported_mg_l)),
                ("limit", Arg::mg_l(s.limit_mg_l)),
                ("at", Arg::at(s.result_at)),
            ],
        ),
    ))
}

/// The true plume first over the limit at a point: of one incident's pollutant, or over
/// every incident's pollutant.
pub fn plume_arrival(
    scenario: &Scenario,
    series: &[(usize, PointSeries)],
    point: usize,
    incident: Option<usize>,
) -> Option<SimTime> {
    let (_, s) = series.iter().find(|(idx, _)| *idx == point)?;
    let class = scenario.points[point].target_class;
    let mut pollutants: Vec<usize> = match incident {
        Some(i) => vec![scenario.incidents[i].pollutant],
        None => scenario.incidents.iter().map(|i| i.pollutant).collect(),
    };
    pollutants.sort_unstable();
    pollutants.dedup();
    pollutants
        .into_iter()
        .filter_map(|p| report::first_over(s, p, scenario.limit_mg_l(p, class), SimTime::ZERO))
        .min()
        .map(SimTime)
}

pub(super) fn reference(facts: &Facts<'_>, reference: &Reference) -> (Option<SimTime>, Text) {
    let scenario = facts.scenario;
    let state = facts.state;
    let incident_id = |i: usize| Arg::Incident(scenario.incidents[i].id.clone());
    match *reference {
        Reference::ExerciseStart => (Some(facts.drill.start), Text::new("ref-exercise-start", vec![])),
        Reference::Release { incident } => (
            Some(scenario.incidents[incident].start),
            Text::new("ref-release", vec![("incident", incident_id(incident))]),
        ),
        Reference::Report { incident } => (
            state.incidents[incident].discovered_at,
            Text::new("ref-report", vec![("incident", incident_id(incident))]),
        ),
        Reference::FirstReport => (
            state.incidents.iter().filter_map(|i| i.discovered_at).min(),
            Text::new("ref-first-report", vec![]),
        ),
        Reference::Inject { inject } => (
            facts.log.delivered[inject],
            Text::new(
                "ref-inject",
                vec![("number", Arg::plain(facts.drill.injects[inject].number.clone()))],
            ),
        ),
        Reference::Plume { point, incident } => (
            plume_arrival(scenario, facts.series, point, incident),
            match incident {
                Some(i) => Text::new(
                    "ref-plume-of",
                    vec![
                        (
                            "pollutant",
                            Arg::name(&scenario.pollutants[scenario.incidents[i].pollutant].id),
                        ),
                        ("point", Arg::name(&scenario.points[point].id)),
                    ],
                ),
                None => Text::new("ref-plume", vec![("point", Arg::name(&scenario.points[point].id))]),
            },
        ),
    }
}

fn rate_task(facts: &Facts<'_>, task: &CriticalTask) -> TaskRating {
    let (done, evidence) = performed(facts, &task.measure);
    let (reference_at, reference_text) = reference(facts, &task.reference);
    let threshold = task.within.seconds();
    let relation = if threshold < 0 {
        Text::new(
            "rel-at-least-before",
            vec![
                ("span", Arg::Span(-threshold)),
                ("reference", Arg::text(reference_text.clone())),
            ],
        )
    } else if threshold == 0 {
        Text::new(
            "rel-no-later-than",
            vec![("reference", Arg::text(reference_text.clone()))],
        )
    } else {
        Text::new(
            "rel-within",
            vec![
                ("span", Arg::Span(threshold)),
                ("reference", Arg::text(reference_text.clone())),
            ],
        )
    };
    let rating_of = |rating: Option<Rating>, why: Text| TaskRating {
        title: task.title.clone(),
        rating,
        performed_s: done.map(SimTime::seconds),
        reference_s: reference_at.map(SimTime::seconds),
        elapsed_s: done.zip(reference_at).map(|(d, r)| (d - r).seconds()),
        threshold_s: threshold,
        evidence: why,
    };
    let Some(reference_at) = reference_at else {
        let args = vec![
            ("reference", Arg::text(reference_text)),
            ("evidence", Arg::text(evidence)),
        ];
        if matches!(task.reference, Reference::Plume { .. }) {
            return rating_of(None, Text::new("task-not-applicable", args));
        }
        return rating_of(Some(Rating::U), Text::new("task-reference-never", args));
    };
    let Some(done) = done else {
        return rating_of(
            Some(Rating::U),
            Text::new(
                "task-not-done",
                vec![("evidence", Arg::text(evidence)), ("relation", Arg::text(relation))],
            ),
        );
    };
    let elapsed = (done - reference_at).seconds();
    let over = elapsed - threshold;
    let rating = if over <= 0 {
        Rating::P
    } else if over <= task.bands[0].seconds() {
        Rating::S
    } else if over <= task.bands[1].seconds() {
        Rating::M
    } else {
        Rating::U
    };
    let timing = Text::new(
        if elapsed >= 0 { "timing-after" } else { "timing-before" },
        vec![
            ("span", Arg::Span(elapsed.abs())),
            ("reference", Arg::text(reference_text)),
            ("at", Arg::at(reference_at)),
        ],
    );
    let verdict = if over <= 0 {
        Text::new("verdict-met", vec![("relation", Arg::text(relation))])
    } else {
        Text::new(
            "verdict-missed",
            vec![("relation", Arg::text(relation)), ("span", Arg::Span(over))],
        )
    };
    rating_of(
        Some(rating),
        Text::new(
            "task-rated",
            vec![
                ("evidence", Arg::text(evidence)),
                ("timing", Arg::text(timing)),
                ("verdict", Arg::text(verdict)),
            ],
        ),
    )
}

/// `2 h 05 min`, `25 min`.
pub fn fmt_span(seconds: i64) -> String {
    let minutes = seconds.abs() / 60;
    let sign = if seconds < 0 { "-" } else { "" };
    if minutes >= 60 {
        format!("{sign}{} h {:02} min", minutes / 60, minutes % 60)
    } else {
        format!("{sign}{minutes} min")
    }
}

fn injects(facts: &Facts<'_>) -> Vec<InjectRecord> {
    let scenario = facts.scenario;
    facts
        .drill
        .injects
        .iter()
        .enumerate()
        .map(|(idx, inject)| {
            let (kind, scheduled) = match &inject.kind {
                InjectKind::Timeline => ("timeline".to_string(), Some(facts.drill.start + inject.at)),
                InjectKind::Contingency { by, .. } => (
                    match facts.log.contingency_fired[idx] {
                        Some(true) => "contingency (fired)".to_string(),
                        Some(false) => "contingency (not needed)".to_string(),
                        None => "contingency (after the end)".to_string(),
                    },
                    Some(facts.drill.start + *by),
                ),
                InjectKind::Adhoc => ("ad hoc".to_string(), None),
            };
            InjectRecord {
                number: inject.number.clone(),
                kind,
                scheduled_s: scheduled.map(SimTime::seconds),
                delivered_s: facts.log.delivered[idx].map(SimTime::seconds),
                from: inject.from.clone(),
                to: inject.to.iter().map(|s| s.label(scenario)).collect(),
                channel: inject.channel.clone(),
                message: inject.message.clone(),
                expected: inject.expected.iter().map(|e| expectation_text(scenario, e)).collect(),
                acknowledged_s: facts
                    .log
                    .inbox
                    .iter()
                    .filter(|i| i.inject == idx)
                    .map(|i| i.acknowledged_at.map(SimTime::seconds))
                    .collect(),
                notes: inject.notes.clone(),
            }
        })
        .collect()
}

pub fn expectation_text(scenario: &Scenario, expectation: &super::Expectation) -> String {
    use super::Expectation as E;
    match *expectation {
        E::Acknowledge => "acknowledge".to_string(),
        E::Notify { to } => format!("notify {}", scenario.jurisdictions[to].id),
        E::Sample { point } => format!("sample at {}", scenario.points[point].id),
        E::MediaStatement => "media statement".to_string(),
        E::IntakeAdvice { point } => format!("advise closing {}", scenario.points[point].id),
    }
}

pub fn action_text(scenario: &Scenario, drill: &Drill, action: &Action) -> String {
    match *action {
        Action::Acknowledge { inject } => format!("acknowledges inject {}", drill.injects[inject].number),
        Action::Notify { to, incident } => format!(
            "notifies {}{}",
            scenario.jurisdictions[to].id,
            incident.map_or(String::new(), |i| format!(" of {}", scenario.incidents[i].id))
        ),
        Action::RequestSample { point } => format!("asks for a sample at {}", scenario.points[point].id),
        Action::MediaStatement => "issues a media statement".to_string(),
        Action::IntakeAdvice { point, close, incident } => format!(
            "advises {} {}{}",
            if close { "closing" } else { "reopening" },
            scenario.points[point].id,
            incident.map_or(String::new(), |i| format!(" ({})", incident_id(scenario, i)))
        ),
        Action::ReleaseInject { inject } => format!("releases inject {}", drill.injects[inject].number),
        Action::Dispatch { team, point } => {
            format!("sends {} to {}", scenario.teams[team].id, scenario.points[point].id)
        }
        Action::SetPolicy { policy } => format!("switches dispatch to {policy:?}").to_lowercase(),
        Action::ApprovePlan {
            incident,
            revision: Some(revision),
        } => {
            format!("approves plan r{revision} of {}", incident_id(scenario, incident))
        }
        Action::ApprovePlan {
            incident,
            revision: None,
        } => {
            format!("approves the current plan of {}", incident_id(scenario, incident))
        }
        Action::AddPlanPoint { incident, ref point } => {
            format!("adds {point} to the plan of {}", incident_id(scenario, incident))
        }
        Action::RemovePlanPoint { incident, ref point } => {
            format!("removes {point} from the plan of {}", incident_id(scenario, incident))
        }
        Action::SetPlanInterval {
            incident,
            ref point,
            every_min,
        } => format!(
            "samples {point} every {every_min} min ({})",
            incident_id(scenario, incident)
        ),
        Action::RequestMutualAid { incident, ref point } => {
            format!("asks for mutual aid at {point} ({})", incident_id(scenario, incident))
        }
        Action::DeclareIncident { ref declaration } => format!(
            "declares {} kg of {} at {}, released {}",
            declaration.mass_kg,
            declaration.pollutant,
            declaration.place,
            declaration.released_at.clock_label()
        ),
        Action::ReviseIncident {
            incident,
            ref declaration,
        } => format!(
            "revises {}: {} kg of {} at {}, released {}",
            incident_id(scenario, incident),
            declaration.mass_kg,
            declaration.pollutant,
            declaration.place,
            declaration.released_at.clock_label()
        ),
        Action::EnterResult {
            ref point,
            taken_at,
            non_detect: None,
            mg_l,
            ..
        } => format!("enters {mg_l} mg/L at {point}, taken {}", taken_at.clock_label()),
        Action::EnterResult {
            ref point,
            taken_at,
            non_detect: Some(ref n),
            ..
        } => match n.detection_limit_mg_l {
            Some(limit) => format!(
                "enters not detected (below {limit} mg/L) at {point}, taken {}",
                taken_at.clock_label()
            ),
            None => format!("enters not detected at {point}, taken {}", taken_at.clock_label()),
        },
        Action::Observe { ref text, ref target } => match target {
            Some(target) => format!("observes about {target}: {text}"),
            None => format!("observes: {text}"),
        },
    }
}

/// [`action_text`] as data: the `tl-act-` messages of `report.ftl`, whose English is the
/// same text.
pub fn action_event(scenario: &Scenario, drill: &Drill, action: &Action) -> Text {
    let incident = |i: usize| Arg::Incident(incident_id(scenario, i));
    let inject = |i: usize| Arg::plain(drill.injects[i].number.to_string());
    let (id, args) = match *action {
        Action::Acknowledge { inject: i } => ("tl-act-acknowledge", vec![("inject", inject(i))]),
        Action::Notify { to, incident: about } => (
            "tl-act-notify",
            vec![
                ("to", Arg::name(&scenario.jurisdictions[to].id)),
                (
                    "of",
                    Arg::optional(about.map(|i| {
                        Text::new(
                            "tl-act-notify-of",
                            vec![("incident", Arg::Incident(scenario.incidents[i].id.clone()))],
                        )
                    })),
                ),
            ],
        ),
        Action::RequestSample { point } => ("tl-act-sample", vec![("point", Arg::name(&scenario.points[point].id))]),
        Action::MediaStatement => ("tl-act-media", vec![]),
        Action::IntakeAdvice {
            point,
            close,
            incident: about,
        } => (
            if close {
                "tl-act-intake-close"
            } else {
                "tl-act-intake-reopen"
            },
            vec![
                ("point", Arg::name(&scenario.points[point].id)),
                (
                    "incident",
                    Arg::optional(about.map(|i| Text::new("tl-act-about", vec![("incident", incident(i))]))),
                ),
            ],
        ),
        Action::ReleaseInject { inject: i } => ("tl-act-release", vec![("inject", inject(i))]),
        Action::Dispatch { team, point } => (
            "tl-act-dispatch",
            vec![
                ("team", Arg::name(&scenario.teams[team].id)),
                ("point", Arg::name(&scenario.points[point].id)),
            ],
        ),
        Action::SetPolicy { policy } => (
            "tl-act-policy",
            vec![("policy", Arg::Policy(policy.name().to_string()))],
        ),
        Action::ApprovePlan {
            incident: i,
            revision: Some(revision),
        } => (
            "tl-act-approve",
            vec![
                ("revision", Arg::plain(revision.to_string())),
                ("incident", incident(i)),
            ],
        ),
        Action::ApprovePlan {
            incident: i,
            revision: None,
        } => ("tl-act-approve-current", vec![("incident", incident(i))]),
        Action::AddPlanPoint { incident: i, ref point } => (
            "tl-act-add-point",
            vec![("point", Arg::name(point)), ("incident", incident(i))],
        ),
        Action::RemovePlanPoint { incident: i, ref point } => (
            "tl-act-remove-point",
            vec![("point", Arg::name(point)), ("incident", incident(i))],
        ),
        Action::SetPlanInterval {
            incident: i,
            ref point,
            every_min,
        } => (
            "tl-act-interval",
            vec![
                ("point", Arg::name(point)),
                ("every_min", Arg::plain(every_min.to_string())),
                ("incident", incident(i)),
            ],
        ),
        Action::RequestMutualAid { incident: i, ref point } => (
            "tl-act-mutual-aid",
            vec![("point", Arg::name(point)), ("incident", incident(i))],
        ),
        Action::DeclareIncident { ref declaration } => ("tl-act-declare", declaration_args(declaration)),
        Action::ReviseIncident {
            incident: i,
            ref declaration,
        } => {
            let mut args = vec![("incident", incident(i))];
            args.extend(declaration_args(declaration));
            ("tl-act-revise", args)
        }
        Action::EnterResult {
            ref point,
            taken_at,
            mg_l,
            ..
        } => (
            "tl-act-enter-result",
            vec![
                ("mg_l", Arg::plain(mg_l.to_string())),
                ("point", Arg::name(point)),
                ("taken", Arg::at(taken_at)),
            ],
        ),
        Action::Observe { ref text, ref target } => match target {
            Some(target) => (
                "tl-act-observe-about",
                vec![
                    ("target", Arg::plain(target.clone())),
                    ("text", Arg::plain(text.clone())),
                ],
            ),
            None => ("tl-act-observe", vec![("text", Arg::plain(text.clone()))]),
        },
    };
    Text::new(id, args)
}

/// A declaration's mass, pollutant, place and release time, as arguments.
fn declaration_args(declaration: &crate::response::edit::Declaration) -> Vec<(&'static str, Arg)> {
    vec![
        ("mass_kg", Arg::plain(declaration.mass_kg.to_string())),
        ("pollutant", Arg::name(&declaration.pollutant)),
        ("place", Arg::name(&declaration.place)),
        ("released", Arg::at(declaration.released_at)),
    ]
}

/// An incident's id, or its index if the action names one that does not exist.
fn incident_id(scenario: &Scenario, incident: usize) -> String {
    scenario
        .incidents
        .get(incident)
        .map_or_else(|| format!("incident {incident}"), |i| i.id.clone())
}

fn timeline(facts: &Facts<'_>) -> Vec<TimelineEntry> {
    timeline_of(facts.drill, facts.state, facts.log)
}

/// What a timeline entry comes from, for a view that shows some entries only.
#[derive(Clone, Copy, Debug)]
pub enum TimelineSource<'a> {
    /// An incident became known, or its plan was issued (index).
    Incident(usize),
    /// An inject was delivered (index into the drill's injects).
    Inject(usize),
    /// A seat acted.
    Action(&'a super::engine::ActionRecord),
    /// A controller's disruption began or ended.
    Disruption,
}

/// Every inject, action, disruption, report and plan so far, in time order.
pub fn timeline_of(drill: &Drill, response: &ResponseState, log: &DrillLog) -> Vec<TimelineEntry> {
    timeline_where(drill, response, log, &|_| true)
}

/// The entries of [`timeline_of`] whose source `keep` accepts.
pub fn timeline_where(
    drill: &Drill,
    response: &ResponseState,
    log: &DrillLog,
    keep: &dyn Fn(TimelineSource<'_>) -> bool,
) -> Vec<TimelineEntry> {
    let scenario = &drill.scenario;
    let mut entries = Vec::new();
    for (i, incident) in scenario.incidents.iter().enumerate() {
        let state = &response.incidents[i];
        if !keep(TimelineSource::Incident(i)) {
            continue;
        }
        if let Some(t) = state.discovered_at {
            let by = state.discovered_by.clone().unwrap_or_default();
            entries.push(TimelineEntry {
                at_s: t.seconds(),
                who: scenario.jurisdictions[incident.jurisdiction].id.clone(),
                what: format!("{} known ({by})", incident.id),
                event: Some(Text::new(
                    "tl-known",
                    vec![
                        ("incident", Arg::Incident(incident.id.clone())),
                        ("by", Arg::KnownBy(by)),
                    ],
                )),
            });
        }
        if let Some(t) = state.plan_at {
            entries.push(TimelineEntry {
                at_s: t.seconds(),
                who: "command".to_string(),
                what: format!("monitoring plan for {} issued", incident.id),
                event: Some(Text::new(
                    "tl-plan-issued",
                    vec![("incident", Arg::Incident(incident.id.clone()))],
                )),
            });
        }
    }
    for (idx, delivered) in log.delivered.iter().enumerate() {
        if let Some(t) = delivered
            && keep(TimelineSource::Inject(idx))
        {
            let inject = &drill.injects[idx];
            let seats: Vec<String> = inject.to.iter().map(|s| s.label(scenario)).collect();
            let authored = |text: &str, zh: &str| Arg::Authored {
                text: text.to_string(),
                zh: zh.to_string(),
            };
            let event = Text::new(
                "tl-inject",
                vec![
                    ("from", authored(&inject.from, &inject.from_zh)),
                    ("to", Arg::Seats(seats)),
                    ("channel", authored(&inject.channel, &inject.channel_zh)),
                    ("message", authored(&inject.message, &inject.message_zh)),
                ],
            );
            entries.push(TimelineEntry {
                at_s: t.seconds(),
                who: format!("inject {}", inject.number),
                what: format!(
                    "{} → {} ({}): {}",
                    inject.from,
                    inject
                        .to
                        .iter()
                        .map(|s| s.label(scenario))
                        .collect::<Vec<_>>()
                        .join(", "),
                    inject.channel,
                    inject.message
                ),
                event: Some(event),
            });
        }
    }
    // Observations are the evaluators' record of the exercise, not part of it: they have
    // their own section of the report.
    for action in log
        .actions
        .iter()
        .filter(|a| !matches!(a.action, Action::Observe { .. }) && keep(TimelineSource::Action(a)))
    {
        let mut what = action_text(scenario, drill, &action.action);
        let mut outcome = None;
        if !action.outcome.is_empty() {
            what.push_str(&format!(" ({})", action.outcome));
            // The outcome as data where the engine gave it; else its English.
            let said = action
                .outcome_event
                .clone()
                .map_or_else(|| Arg::plain(action.outcome.clone()), Arg::text);
            outcome = Some(Text::new("tl-outcome", vec![("outcome", said)]));
        }
        let event = Text::new(
            "tl-action",
            vec![
                ("action", Arg::text(action_event(scenario, drill, &action.action))),
                ("outcome", Arg::optional(outcome)),
            ],
        );
        entries.push(TimelineEntry {
            at_s: action.at.seconds(),
            who: action.seat.label(scenario),
            what,
            event: Some(event),
        });
    }
    for &(t, idx, begins) in log.disruptions.iter().filter(|_| keep(TimelineSource::Disruption)) {
        entries.push(TimelineEntry {
            at_s: t.seconds(),
            who: "controller".to_string(),
            what: format!(
                "{} {}",
                disruption_text(scenario, &drill.disruptions[idx].kind),
                if begins { "begins" } else { "ends" }
            ),
            event: Some(Text::new(
                if begins {
                    "tl-disruption-begins"
                } else {
                    "tl-disruption-ends"
                },
                vec![(
                    "disruption",
                    Arg::text(disruption_event(scenario, &drill.disruptions[idx].kind)),
                )],
            )),
        });
    }
    entries.sort_by_key(|a| a.at_s);
    entries
}

pub fn disruption_text(scenario: &Scenario, kind: &DisruptionKind) -> String {
    match kind {
        DisruptionKind::TeamOutOfService { team, reason } => {
            format!("{} out of service ({})", scenario.teams[*team].id, reason.english())
        }
        DisruptionKind::RoadClosed { road } => {
            let r = &scenario.roads[*road];
            format!(
                "road closed: {} ({}–{})",
                r.name, scenario.road_nodes[r.from].id, scenario.road_nodes[r.to].id
            )
        }
        DisruptionKind::StationFailure { point } => format!("station {} out of order", scenario.points[*point].id),
        DisruptionKind::KitFailure { team, instrument } => {
            format!("{instrument} of {} fails", scenario.teams[*team].id)
        }
        DisruptionKind::FlowChange { regime } => format!("flow changes to {}", scenario.regimes[*regime].id),
    }
}

/// [`disruption_text`] as data: the `tl-disruption-` messages of `report.ftl`.
pub fn disruption_event(scenario: &Scenario, kind: &DisruptionKind) -> Text {
    match kind {
        DisruptionKind::TeamOutOfService { team, reason } => Text::new(
            "tl-disruption-team",
            vec![
                ("team", Arg::name(&scenario.teams[*team].id)),
                ("reason", Arg::text(Text::new(reason.message(), vec![]))),
            ],
        ),
        DisruptionKind::RoadClosed { road } => {
            let r = &scenario.roads[*road];
            Text::new(
                "tl-disruption-road",
                vec![
                    (
                        "road",
                        Arg::Authored {
                            text: r.name.clone(),
                            zh: r.name_zh.clone(),
                        },
                    ),
                    ("from", Arg::plain(scenario.road_nodes[r.from].id.clone())),
                    ("to", Arg::plain(scenario.road_nodes[r.to].id.clone())),
                ],
            )
        }
        DisruptionKind::StationFailure { point } => Text::new(
            "tl-disruption-station",
            vec![("point", Arg::name(&scenario.points[*point].id))],
        ),
        DisruptionKind::KitFailure { team, instrument } => Text::new(
            "tl-disruption-kit",
            vec![
                ("instrument", Arg::plain(instrument.clone())),
                ("team", Arg::name(&scenario.teams[*team].id)),
            ],
        ),
        DisruptionKind::FlowChange { regime } => Text::new(
            "tl-disruption-flow",
            vec![("regime", Arg::plain(scenario.regimes[*regime].id.clone()))],
        ),
    }
}

/// Named points a critical task measures at or from.
fn target_points(drill: &Drill) -> Vec<usize> {
    let mut points = Vec::new();
    for task in drill.targets.iter().flat_map(|t| &t.tasks) {
        match task.measure {
            Measure::FirstSample { point, .. }
            | Measure::FirstResult { point, .. }
            | Measure::IntakeAdvice { point, .. }
            | Measure::Confirmed { point, .. } => {
                points.push(point);
            }
            _ => {}
        }
        if let Reference::Plume { point, .. } = task.reference {
            points.push(point);
        }
    }
    points
}

/// Intakes, border sections and the points the targets name, where the plume comes or
/// samples were taken.
fn charts(facts: &Facts<'_>) -> Vec<PointChart> {
    let scenario = facts.scenario;
    let named = target_points(facts.drill);
    let mut pollutants: Vec<usize> = scenario.incidents.iter().map(|i| i.pollutant).collect();
    pollutants.sort_unstable();
    pollutants.dedup();
    let mut charts = Vec::new();
    for (idx, s) in facts.series {
        let point = &scenario.points[*idx];
        if !matches!(point.kind, PointKind::Intake | PointKind::BorderSection) && !named.contains(idx) {
            continue;
        }
        for &p in &pollutants {
            let limit = scenario.limit_mg_l(p, point.target_class);
            let peak = s.conc[p].iter().copied().fold(0.0, f64::max);
            let samples: Vec<ChartSample> = facts
                .state
                .samples
                .iter()
                .filter(|x| x.point_id == point.id && x.pollutant == p)
                .map(|x| ChartSample {
                    taken_s: x.taken_at.seconds(),
                    mg_l: x.reported_mg_l,
                    team: x.team_label(scenario),
                    over_limit: x.over_limit,
                })
                .collect();
            if peak < 0.01 * limit && samples.is_empty() {
                continue;
            }
            charts.push(PointChart {
                point: point.id.clone(),
                name: point.name.clone(),
                kind: match point.kind {
                    PointKind::Intake => "intake",
                    PointKind::BorderSection => "border_section",
                    PointKind::Section => "section",
                    PointKind::Station => "station",
                    PointKind::Buoy => "buoy",
                    PointKind::MicroStation => "micro_station",
                }
                .to_string(),
                jurisdiction: scenario.jurisdictions[point.jurisdiction].id.clone(),
                pollutant: scenario.pollutants[p].id.clone(),
                limit_mg_l: limit,
                times_s: s.times.iter().map(|t| t.seconds()).collect(),
                // A pollutant never released has no series: zeros at every time.
                mg_l: if s.conc[p].is_empty() {
                    vec![0.0; s.times.len()]
                } else {
                    s.conc[p].clone()
                },
                samples,
            });
        }
    }
    charts
}

fn team_timelines(facts: &Facts<'_>, units: &[TeamUnit]) -> Vec<TeamTimeline> {
    let scenario = facts.scenario;
    let end = facts.drill.end();
    units
        .iter()
        .map(|unit| {
            let mut segments = Vec::new();
            for task in facts.state.tasks.iter().filter(|t| t.team == Some(unit.team)) {
                let Some(assigned) = task.assigned_at else { continue };
                let arrived = task.arrived_at;
                let taken = task.sample.map(|s| facts.state.samples[s].taken_at);
                segments.push(Segment {
                    kind: "travel".into(),
                    from_s: assigned.seconds(),
                    to_s: arrived.unwrap_or(end).seconds(),
                    label: task.point_id.clone(),
                });
                if let Some(arrived) = arrived {
                    segments.push(Segment {
                        kind: "sampling".into(),
                        from_s: arrived.seconds(),
                        to_s: taken.unwrap_or(end).seconds(),
                        label: task.point_id.clone(),
                    });
                }
            }
            for &(t, idx, begins) in &facts.log.disruptions {
                let d = &facts.drill.disruptions[idx];
                if begins
                    && let DisruptionKind::TeamOutOfService { team, reason } = &d.kind
                    && *team == unit.team
                {
                    let until = d.duration.map_or(end, |length| t + length).min(end);
                    segments.push(Segment {
                        kind: "out_of_service".into(),
                        from_s: t.seconds(),
                        to_s: until.seconds(),
                        label: reason.english().to_string(),
                    });
                }
            }
            segments.sort_by_key(|s| (s.from_s, s.to_s));
            TeamTimeline {
                team: scenario.teams[unit.team].id.clone(),
                jurisdiction: scenario.jurisdictions[scenario.teams[unit.team].jurisdiction]
                    .id
                    .clone(),
                segments,
            }
        })
        .collect()
}

fn response_times(facts: &Facts<'_>) -> Vec<JurisdictionTimes> {
    let scenario = facts.scenario;
    let end = facts.drill.end();
    (0..scenario.jurisdictions.len())
        .map(|j| {
            let tasks: Vec<_> = facts.state.tasks.iter().filter(|t| t.jurisdiction == j).collect();
            let mut response: Vec<i64> = tasks
                .iter()
                .filter_map(|t| t.opened_at.zip(t.arrived_at))
                .map(|(o, a)| (a - o).seconds())
                .collect();
            response.sort_unstable();
            let quantile = |q: f64| -> Option<i64> {
                (!response.is_empty()).then(|| response[((response.len() - 1) as f64 * q).round() as usize])
            };
            let late = tasks.iter().filter(|t| t.sampled_late(&facts.state.samples)).count();
            let missed = tasks.iter().filter(|t| t.missed_by(end)).count();
            JurisdictionTimes {
                jurisdiction: scenario.jurisdictions[j].id.clone(),
                tasks_served: response.len(),
                tasks_missed: missed,
                response_mean_s: (!response.is_empty()).then(|| response.iter().sum::<i64>() / response.len() as i64),
                response_p50_s: quantile(0.5),
                response_p90_s: quantile(0.9),
                response_max_s: response.last().copied(),
                late,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_dates_roll_over_months_and_leap_years() {
        assert_eq!(add_days("2026-11-29", 90), "2027-02-27");
        assert_eq!(add_days("2028-02-28", 1), "2028-02-29");
        assert_eq!(add_days("2027-12-31", 1), "2028-01-01");
    }

    #[test]
    fn spans_read_as_hours_and_minutes() {
        assert_eq!(fmt_span(25 * 60), "25 min");
        assert_eq!(fmt_span(2 * 3600 + 5 * 60), "2 h 05 min");
    }
}
