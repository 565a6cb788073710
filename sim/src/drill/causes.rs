//! Why a critical task fell short, from the evidence of the run, and the corrective
//! action that answers it (HSEEP improvement plan). The cause is read from the response
//! and the drill log: the task that served the measured point, whether every team that
//! could take it was busy, the drive, the kit the team carried, the laboratory's
//! turnaround, the notification route. Each cause names the capability element its
//! corrective action improves: planning, organisation, equipment, training or exercise.

use super::evaluate::{Facts, TaskRating, confirmed_warning, counts_as_sample};
use super::text::{Arg, Text};
use super::{CriticalTask, DisruptionKind, Means, Measure, Reference, Seat};
use crate::response::dispatch::Pooling;
use crate::response::{Sample, Task};
use crate::time::SimTime;
use serde::Serialize;

/// HSEEP capability element a corrective action improves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Element {
    Planning,
    Organisation,
    Equipment,
    Training,
    Exercise,
}

impl Element {
    pub fn label(self) -> &'static str {
        match self {
            Element::Planning => "planning",
            Element::Organisation => "organisation",
            Element::Equipment => "equipment",
            Element::Training => "training",
            Element::Exercise => "exercise",
        }
    }
}

/// What held a task back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CauseKind {
    /// No sampling task at the point was planned or asked for.
    NotTasked,
    /// The task existed, but its due time was after the target's.
    ScheduledLate,
    /// Every team that could take the task was busy or out of service when it opened.
    NoTeamFree,
    /// The drive to the point took longer than the time left.
    TravelTime,
    /// The team did not carry (or could not use) the method's kit: the sample was
    /// inconclusive or went to a laboratory.
    WrongKit,
    /// Samples were taken, but not by the means the task asks for.
    WrongMeans,
    /// Only the point's own jurisdiction sampled it; no team came across the border.
    NoMutualAid,
    /// The sample waited for a laboratory result.
    LaboratoryTurnaround,
    /// A notification came late or never.
    LateNotification,
    /// The incident became known late, or never.
    LateDiscovery,
    /// A player acted late on what it knew (acknowledging, a statement, a plan).
    SlowProcedure,
    /// The exercise never delivered the inject the task is measured from.
    NotDelivered,
}

impl CauseKind {
    pub fn label(self) -> &'static str {
        match self {
            CauseKind::NotTasked => "not tasked",
            CauseKind::ScheduledLate => "scheduled late",
            CauseKind::NoTeamFree => "no team free",
            CauseKind::TravelTime => "travel time",
            CauseKind::WrongKit => "wrong kit",
            CauseKind::WrongMeans => "wrong means",
            CauseKind::NoMutualAid => "no mutual aid",
            CauseKind::LaboratoryTurnaround => "laboratory turnaround",
            CauseKind::LateNotification => "late notification",
            CauseKind::LateDiscovery => "late discovery",
            CauseKind::SlowProcedure => "slow procedure",
            CauseKind::NotDelivered => "inject not delivered",
        }
    }
}

/// Why a task fell short, and what answers it.
#[derive(Clone, Debug, Serialize)]
pub struct Cause {
    pub kind: CauseKind,
    /// The evidence of the run the cause rests on.
    pub evidence: Text,
    pub element: Element,
    /// The corrective action derived from the cause.
    pub corrective: Text,
}

fn found(kind: CauseKind, element: Element, evidence: Text, corrective: Text) -> Cause {
    Cause {
        kind,
        evidence,
        element,
        corrective,
    }
}

fn at(t: SimTime) -> Arg {
    Arg::at(t)
}

fn t(id: &'static str, args: Vec<(&'static str, Arg)>) -> Text {
    Text::new(id, args)
}

/// `at D1 06:30`, or `never`.
fn at_or_never(moment: Option<SimTime>) -> Arg {
    Arg::text(match moment {
        Some(m) => t("cause-at", vec![("at", at(m))]),
        None => t("cause-never", vec![]),
    })
}

/// The jurisdiction a failing task falls to, when the task names one: the owner of the
/// sampled point or intake, the notifier, a seat that did not acknowledge. `None`: the
/// target's owner.
pub(super) fn owner(facts: &Facts<'_>, task: &CriticalTask) -> Option<usize> {
    let scenario = facts.scenario;
    match task.measure {
        Measure::FirstSample {
            point,
            cross_border: false,
            ..
        }
        | Measure::FirstResult { point, .. }
        | Measure::IntakeAdvice { point, .. }
        | Measure::Confirmed { point, .. } => Some(scenario.points[point].jurisdiction),
        Measure::Notification { from, .. } => from,
        Measure::Acknowledge { inject } => facts
            .log
            .inbox
            .iter()
            .filter(|i| i.inject == inject)
            .filter(|i| i.acknowledged_at.is_none_or(|a| a > i.delivered_at + task.within))
            .find_map(|i| match i.seat {
                Seat::Jurisdiction(j) => Some(j),
                _ => None,
            }),
        Measure::FirstSample { cross_border: true, .. }
        | Measure::PlanIssued { .. }
        | Measure::MediaStatement
        | Measure::SourceIdentified { .. } => None,
    }
}

/// The cause of a task rated below P.
pub(super) fn cause(facts: &Facts<'_>, task: &CriticalTask, rated: &TaskRating) -> Cause {
    let Some(reference_s) = rated.reference_s else {
        return reference_missing(facts, &task.reference);
    };
    let target_time = SimTime(reference_s + rated.threshold_s);
    match task.measure {
        Measure::FirstSample {
            point,
            cross_border,
            incident,
            by,
        } => sample_cause(facts, point, incident, Wanted::Sample { cross_border, by }, target_time),
        Measure::FirstResult { point, incident } => sample_cause(facts, point, incident, Wanted::Result, target_time),
        Measure::Confirmed { point, incident } => confirmed_cause(facts, point, incident, target_time),
        Measure::Notification { from, to } => notification_cause(facts, from, to, rated),
        Measure::IntakeAdvice { point, incident } => advice_cause(facts, point, incident, target_time),
        Measure::PlanIssued { incident } => {
            let state = &facts.state.incidents[incident];
            let id = Arg::Incident(facts.scenario.incidents[incident].id.clone());
            match state.discovered_at {
                Some(known) if known > target_time => late_discovery(facts, incident, target_time),
                None => late_discovery(facts, incident, target_time),
                Some(known) => found(
                    CauseKind::SlowProcedure,
                    Element::Planning,
                    t(
                        "cause-plan-slow",
                        vec![
                            ("incident", id.clone()),
                            ("known", at(known)),
                            ("plan", at_or_never(state.plan_at)),
                        ],
                    ),
                    t("fix-plan-template", vec![("incident", id)]),
                ),
            }
        }
        Measure::SourceIdentified { incident, .. } => match facts.state.incidents[incident].discovered_at {
            Some(known) if known <= target_time => found(
                CauseKind::SlowProcedure,
                Element::Planning,
                rated.evidence.clone(),
                t(
                    "fix-source-identified",
                    vec![("incident", Arg::Incident(facts.scenario.incidents[incident].id.clone()))],
                ),
            ),
            _ => late_discovery(facts, incident, target_time),
        },
        Measure::Acknowledge { inject } => found(
            CauseKind::SlowProcedure,
            Element::Training,
            rated.evidence.clone(),
            t(
                "fix-acknowledge",
                vec![("number", Arg::plain(facts.drill.injects[inject].number.clone()))],
            ),
        ),
        Measure::MediaStatement => found(
            CauseKind::SlowProcedure,
            Element::Training,
            rated.evidence.clone(),
            t("fix-media", vec![]),
        ),
    }
}

fn reference_missing(facts: &Facts<'_>, reference: &Reference) -> Cause {
    match *reference {
        Reference::Inject { inject } => {
            let number = || Arg::plain(facts.drill.injects[inject].number.clone());
            found(
                CauseKind::NotDelivered,
                Element::Exercise,
                t("cause-inject-not-delivered", vec![("number", number())]),
                t("fix-schedule-inject", vec![("number", number())]),
            )
        }
        Reference::Report { incident } => late_discovery(facts, incident, facts.drill.end()),
        _ => found(
            CauseKind::LateDiscovery,
            Element::Equipment,
            t("cause-nothing-known", vec![]),
            t("fix-stations-below-sources", vec![]),
        ),
    }
}

fn late_discovery(facts: &Facts<'_>, incident: usize, target_time: SimTime) -> Cause {
    let truth = &facts.scenario.incidents[incident];
    let known = facts.state.incidents[incident].discovered_at;
    found(
        CauseKind::LateDiscovery,
        Element::Equipment,
        match known {
            Some(k) => t(
                "cause-known-late",
                vec![
                    ("incident", Arg::Incident(truth.id.clone())),
                    ("released", at(truth.start)),
                    ("known", at(k)),
                    (
                        "by",
                        Arg::KnownBy(
                            facts.state.incidents[incident]
                                .discovered_by
                                .clone()
                                .unwrap_or_default(),
                        ),
                    ),
                    ("due", at(target_time)),
                ],
            ),
            None => t(
                "cause-never-known",
                vec![
                    ("incident", Arg::Incident(truth.id.clone())),
                    ("released", at(truth.start)),
                ],
            ),
        },
        t(
            "fix-find-sooner",
            vec![
                ("name", Arg::IncidentName(truth.id.clone())),
                ("pollutant", Arg::name(&facts.scenario.pollutants[truth.pollutant].id)),
            ],
        ),
    )
}

/// What a sample measure wants of a sample.
#[derive(Clone, Copy)]
enum Wanted {
    Sample { cross_border: bool, by: Option<Means> },
    Result,
    OverLimitResult,
}

impl Wanted {
    fn counts(self, facts: &Facts<'_>, point_owner: usize, s: &Sample) -> bool {
        let scenario = facts.scenario;
        match self {
            Wanted::Sample { cross_border, by } => {
                counts_as_sample(scenario, s, by)
                    && (!cross_border || s.team.is_some_and(|t| scenario.teams[t].jurisdiction != point_owner))
            }
            Wanted::Result => s.result_known,
            Wanted::OverLimitResult => s.result_known && s.conclusive && s.over_limit,
        }
    }

    fn wants_result(self) -> bool {
        !matches!(self, Wanted::Sample { .. })
    }
}

/// Why the first wanted sample (or result) at a point came after `target_time` or never.
fn sample_cause(
    facts: &Facts<'_>,
    point: usize,
    incident: Option<usize>,
    wanted: Wanted,
    target_time: SimTime,
) -> Cause {
    let scenario = facts.scenario;
    let state = facts.state;
    let p = &scenario.points[point];
    let id = &p.id;
    let samples: Vec<(usize, &Sample)> = state
        .samples
        .iter()
        .enumerate()
        .filter(|(_, s)| &s.point_id == id && incident.is_none_or(|i| s.incident == i))
        .collect();
    let counted = samples
        .iter()
        .filter(|(_, s)| wanted.counts(facts, p.jurisdiction, s))
        .min_by_key(|(i, s)| (s.taken_at, *i))
        .copied();
    // Samples before the target time that did not count say why.
    let early: Vec<&(usize, &Sample)> = samples
        .iter()
        .filter(|(_, s)| s.taken_at <= target_time && !wanted.counts(facts, p.jurisdiction, s))
        .collect();
    if let Some((k, s)) = early.iter().find(|(_, s)| !s.conclusive) {
        let team = team_of(scenario, s);
        return found(
            CauseKind::WrongKit,
            Element::Equipment,
            t(
                "cause-inconclusive",
                vec![
                    ("sample", Arg::plain(k.to_string())),
                    ("point", Arg::name(id)),
                    ("team", team.clone()),
                    ("at", at(s.taken_at)),
                    ("method", Arg::plain(s.method.clone())),
                    ("detection", Arg::mg_l(s.detection_limit_mg_l)),
                    ("limit", Arg::mg_l(s.limit_mg_l)),
                ],
            ),
            t(
                "fix-method-below-limit",
                vec![
                    ("point", Arg::name(id)),
                    ("team", team),
                    ("pollutant", Arg::name(&scenario.pollutants[s.pollutant].id)),
                    ("limit", Arg::mg_l(s.limit_mg_l)),
                ],
            ),
        );
    }
    if let Wanted::Sample { cross_border, by } = wanted
        && let Some((_, s)) = early.first()
    {
        if let Some(means) = by {
            let used = match s.team.and_then(|team| Means::of_team(scenario, team)) {
                Some(m) => Arg::Means(m.as_str()),
                None => Arg::text(t("cause-no-team", vec![])),
            };
            let wanted = Arg::Means(means.as_str());
            return found(
                CauseKind::WrongMeans,
                Element::Organisation,
                t(
                    "cause-wrong-means",
                    vec![
                        ("point", Arg::name(id)),
                        ("team", team_of(scenario, s)),
                        ("used", used),
                        ("at", at(s.taken_at)),
                        (
                            "then",
                            Arg::text(match counted {
                                None => t("cause-no-sample-by-means", vec![("means", wanted.clone())]),
                                Some((_, c)) => t(
                                    "cause-first-by-means",
                                    vec![("means", wanted.clone()), ("at", at(c.taken_at))],
                                ),
                            }),
                        ),
                    ],
                ),
                t("fix-send-means", vec![("means", wanted), ("point", Arg::name(id))]),
            );
        }
        if cross_border {
            return found(
                CauseKind::NoMutualAid,
                Element::Organisation,
                t(
                    "cause-own-teams-only",
                    vec![
                        ("owner", Arg::name(&scenario.jurisdictions[p.jurisdiction].id)),
                        ("point", Arg::name(id)),
                        ("due", at(target_time)),
                    ],
                ),
                t("fix-mutual-aid", vec![("point", Arg::name(id))]),
            );
        }
    }
    // The result came, or will come, from a sample in time: the wait was the analysis.
    if wanted.wants_result()
        && let Some((k, s)) = samples
            .iter()
            .filter(|(_, s)| s.taken_at <= target_time && (!matches!(wanted, Wanted::OverLimitResult) || s.over_limit))
            .min_by_key(|(i, s)| (s.taken_at, *i))
    {
        return turnaround_cause(facts, *k, s, target_time);
    }
    let relevant = counted
        .and_then(|(_, s)| s.task)
        .or_else(|| first_task(facts, id, incident));
    let Some(task_idx) = relevant else {
        return found(
            CauseKind::NotTasked,
            Element::Planning,
            t("cause-not-tasked", vec![("point", Arg::name(id))]),
            t("fix-put-in-plan", vec![("point", Arg::name(id))]),
        );
    };
    task_cause(facts, point, task_idx, counted.map(|(_, s)| s), target_time)
}

/// The first task at a point (of an incident), by opening.
fn first_task(facts: &Facts<'_>, id: &str, incident: Option<usize>) -> Option<usize> {
    facts
        .state
        .tasks
        .iter()
        .enumerate()
        .filter(|(_, t)| t.point_id == id && incident.is_none_or(|i| t.incident == i))
        .min_by_key(|(k, t)| (t.opened_at.unwrap_or(t.due), *k))
        .map(|(k, _)| k)
}

/// Why a sample's result took long: the kit, or the laboratory.
fn turnaround_cause(facts: &Facts<'_>, k: usize, s: &Sample, target_time: SimTime) -> Cause {
    let scenario = facts.scenario;
    let id = &s.point_id;
    let team = team_of(scenario, s);
    let pollutant = Arg::name(&scenario.pollutants[s.pollutant].id);
    let turnaround = (s.result_at - s.taken_at).seconds();
    let result = Arg::text(if s.result_known {
        t("cause-result-known", vec![("at", at(s.result_at))])
    } else {
        t("cause-result-not-back", vec![])
    });
    let plan = facts.state.plans[s.incident].as_ref();
    let field_method = plan.filter(|p| p.method_is_field).map(|p| p.method.clone());
    if let Some(method) = field_method
        && method != s.method
        && let Some(sampler) = s.team
    {
        let failed = facts.log.disruptions.iter().any(|&(when, idx, begins)| {
            begins
                && when <= s.taken_at
                && matches!(&facts.drill.disruptions[idx].kind,
                    DisruptionKind::KitFailure { team, instrument } if *team == sampler && *instrument == method)
        });
        let kit = vec![("team", team.clone()), ("method", Arg::plain(method.clone()))];
        let why = t(
            if failed {
                "cause-kit-failed"
            } else {
                "cause-kit-not-carried"
            },
            kit.clone(),
        );
        return found(
            CauseKind::WrongKit,
            Element::Equipment,
            t(
                "cause-wrong-kit",
                vec![
                    ("sample", Arg::plain(k.to_string())),
                    ("point", Arg::name(id)),
                    ("at", at(s.taken_at)),
                    ("why", Arg::text(why)),
                    ("method", Arg::plain(s.method.clone())),
                    ("result", result),
                    ("turnaround", Arg::Span(turnaround)),
                    ("due", at(target_time)),
                ],
            ),
            if failed {
                t("fix-spare-kit", kit)
            } else {
                t("fix-equip-field-method", [kit, vec![("pollutant", pollutant)]].concat())
            },
        );
    }
    found(
        CauseKind::LaboratoryTurnaround,
        Element::Equipment,
        t(
            "cause-laboratory",
            vec![
                ("sample", Arg::plain(k.to_string())),
                ("point", Arg::name(id)),
                ("team", team),
                ("at", at(s.taken_at)),
                ("method", Arg::plain(s.method.clone())),
                ("result", result),
                ("turnaround", Arg::Span(turnaround)),
                ("due", at(target_time)),
            ],
        ),
        t(
            "fix-analyse-near",
            vec![
                ("pollutant", pollutant),
                ("point", Arg::name(id)),
                ("turnaround", Arg::Span(turnaround)),
            ],
        ),
    )
}

/// Why a sampling task was served late or never: its schedule, the teams, the drive.
fn task_cause(
    facts: &Facts<'_>,
    point: usize,
    task_idx: usize,
    sample: Option<&Sample>,
    target_time: SimTime,
) -> Cause {
    let scenario = facts.scenario;
    let task: &Task = &facts.state.tasks[task_idx];
    let id = &task.point_id;
    let asked = Arg::text(match &task.requested_by {
        Some(seat) => t("cause-asked-by", vec![("seat", Arg::Seat(seat.clone()))]),
        None => t("cause-asked-by-plan", vec![]),
    });
    let opened = task.opened_at.unwrap_or(task.due);
    if task.due > target_time || opened > target_time {
        return found(
            CauseKind::ScheduledLate,
            Element::Planning,
            t(
                "cause-scheduled-late",
                vec![
                    ("point", Arg::name(id)),
                    ("asked", asked),
                    ("opened", at(opened)),
                    ("due", at(task.due)),
                    ("target", at(target_time)),
                ],
            ),
            t(
                "fix-schedule-first",
                vec![("point", Arg::name(id)), ("target", at(target_time))],
            ),
        );
    }
    let assigned = task.assigned_at;
    let waited = (assigned.unwrap_or(facts.drill.end()) - opened).seconds();
    if waited > 5 * 60 {
        let (busy, eligible, scope) = teams_busy(facts, point, opened);
        if eligible > 0 && busy == eligible {
            return found(
                CauseKind::NoTeamFree,
                Element::Organisation,
                t(
                    "cause-no-team-free",
                    vec![
                        ("scope", Arg::text(scope.clone())),
                        ("eligible", Arg::plain(eligible.to_string())),
                        ("point", Arg::name(id)),
                        ("opened", at(opened)),
                        (
                            "then",
                            Arg::text(match (assigned, task.team) {
                                (Some(a), Some(team)) => t(
                                    "cause-team-took-it",
                                    vec![("team", Arg::name(&scenario.teams[team].id)), ("at", at(a))],
                                ),
                                _ => t("cause-no-team-took-it", vec![]),
                            }),
                        ),
                    ],
                ),
                t(
                    "fix-standby-team",
                    vec![("point", Arg::name(id)), ("scope", Arg::text(scope))],
                ),
            );
        }
    }
    if let (Some(a), Some(team)) = (assigned, task.team) {
        let arrived = task.arrived_at;
        let drive = (arrived.unwrap_or(facts.drill.end()) - a).seconds();
        let left = (task.due.max(a) - a).seconds().max((target_time - a).seconds());
        if arrived.is_none_or(|r| r > target_time) && drive > left {
            return found(
                CauseKind::TravelTime,
                Element::Planning,
                t(
                    if arrived.is_some() {
                        "cause-travel-arrived"
                    } else {
                        "cause-travel-not-arrived"
                    },
                    vec![
                        ("team", Arg::name(&scenario.teams[team].id)),
                        ("point", Arg::name(id)),
                        ("at", at(a)),
                        ("drive", Arg::Span(drive)),
                        ("left", Arg::Span(left.max(0))),
                        ("target", at(target_time)),
                    ],
                ),
                t(
                    "fix-pre-position",
                    vec![("span", Arg::Span(left.max(15 * 60))), ("point", Arg::name(id))],
                ),
            );
        }
    }
    found(
        CauseKind::ScheduledLate,
        Element::Planning,
        match sample {
            Some(s) => t(
                "cause-task-sampled",
                vec![
                    ("point", Arg::name(id)),
                    ("asked", asked),
                    ("opened", at(opened)),
                    ("due", at(task.due)),
                    ("taken", at(s.taken_at)),
                ],
            ),
            None => t(
                "cause-task-not-served",
                vec![
                    ("point", Arg::name(id)),
                    ("asked", asked),
                    ("opened", at(opened)),
                    ("due", at(task.due)),
                ],
            ),
        },
        t(
            "fix-schedule-earlier",
            vec![("point", Arg::name(id)), ("target", at(target_time))],
        ),
    )
}

/// (busy, eligible, which) teams at `t` that could take a task at the point: every team
/// where the Executive Committee pools them, else the point's jurisdiction's and those
/// backing it.
fn teams_busy(facts: &Facts<'_>, point: usize, t: SimTime) -> (usize, usize, Text) {
    let scenario = facts.scenario;
    let owner = scenario.points[point].jurisdiction;
    let pooled = facts.config.policy.pooling() == Pooling::Pooled;
    let eligible: Vec<usize> = (0..scenario.teams.len())
        .filter(|&k| {
            let j = scenario.teams[k].jurisdiction;
            pooled || j == owner || scenario.jurisdictions[j].backs.contains(&owner)
        })
        .collect();
    let busy = eligible.iter().filter(|&&k| team_busy(facts, k, t)).count();
    let scope = if pooled {
        Text::new("cause-scope-zone", vec![])
    } else {
        Text::new(
            "cause-scope-serving",
            vec![("owner", Arg::name(&scenario.jurisdictions[owner].id))],
        )
    };
    (busy, eligible.len(), scope)
}

fn team_busy(facts: &Facts<'_>, team: usize, t: SimTime) -> bool {
    let end = facts.drill.end();
    let on_task = facts.state.tasks.iter().any(|task| {
        task.team == Some(team)
            && task.assigned_at.is_some_and(|a| a <= t)
            && task.sample.map_or(end, |s| facts.state.samples[s].taken_at) > t
    });
    let out_of_service = facts.log.disruptions.iter().any(|&(when, idx, begins)| {
        let d = &facts.drill.disruptions[idx];
        begins
            && when <= t
            && d.duration.is_none_or(|length| when + length > t)
            && matches!(d.kind, DisruptionKind::TeamOutOfService { team: k, .. } if k == team)
    });
    on_task || out_of_service
}

fn confirmed_cause(facts: &Facts<'_>, point: usize, incident: Option<usize>, target_time: SimTime) -> Cause {
    if let Some((t, evidence)) = confirmed_warning(facts, point, incident)
        && t > target_time
    {
        // A confirming result came, late: find its sample and ask why.
        let confirming = facts
            .state
            .samples
            .iter()
            .enumerate()
            .find(|(_, s)| s.result_at == t && s.over_limit && s.conclusive && evidence.names(&s.point_id));
        if let Some((k, s)) = confirming
            && s.taken_at <= target_time
        {
            return turnaround_cause(facts, k, s, target_time);
        }
    }
    sample_cause(facts, point, incident, Wanted::OverLimitResult, target_time)
}

fn notification_cause(facts: &Facts<'_>, from: Option<usize>, to: usize, rated: &TaskRating) -> Cause {
    let scenario = facts.scenario;
    let to_id = Arg::name(&scenario.jurisdictions[to].id);
    let from_id = match from {
        Some(f) => Arg::name(&scenario.jurisdictions[f].id),
        None => Arg::text(t("cause-incident-jurisdiction", vec![])),
    };
    let procedures = &facts.drill.procedures;
    let (route, minutes) = match facts.config.policy.pooling() {
        Pooling::Pooled => ("cause-route-joint", procedures.notify_unified.seconds()),
        Pooling::County => ("cause-route-county", procedures.notify_county.seconds()),
    };
    match rated.performed_s {
        Some(done) => found(
            CauseKind::LateNotification,
            Element::Planning,
            t(
                "cause-notified-through",
                vec![
                    ("from", from_id.clone()),
                    ("to", to_id.clone()),
                    ("at", at(SimTime(done))),
                    ("route", Arg::text(t(route, vec![]))),
                    ("span", Arg::Span(minutes)),
                ],
            ),
            t(
                "fix-notify-directly",
                vec![
                    ("from", from_id),
                    ("to", to_id),
                    ("span", Arg::Span(procedures.notify_unified.seconds())),
                ],
            ),
        ),
        None => found(
            CauseKind::LateNotification,
            Element::Planning,
            t(
                "cause-never-notified",
                vec![("from", from_id.clone()), ("to", to_id.clone())],
            ),
            t("fix-notify-procedure", vec![("to", to_id), ("from", from_id)]),
        ),
    }
}

fn advice_cause(facts: &Facts<'_>, point: usize, incident: Option<usize>, target_time: SimTime) -> Cause {
    let scenario = facts.scenario;
    let p = &scenario.points[point];
    let owner = Arg::name(&scenario.jurisdictions[p.jurisdiction].id);
    let given = facts
        .log
        .actions
        .iter()
        .filter(|a| {
            matches!(a.action, super::Action::IntakeAdvice { point: q, close: true, incident: about }
                if q == point && (incident.is_none() || about.is_none() || about == incident))
        })
        .map(|a| (a.at, a.seat))
        .min();
    let (effective, _) = super::evaluate::intake_advice(facts, point, incident);
    if let (Some((g, seat)), Some(e)) = (given, effective)
        && e > g
        && g <= target_time
    {
        return found(
            CauseKind::LateNotification,
            Element::Planning,
            t(
                "cause-advice-not-passed",
                vec![
                    ("seat", Arg::Seat(seat.label(scenario))),
                    ("point", Arg::name(&p.id)),
                    ("at", at(g)),
                    ("owner", owner.clone()),
                    ("notified", at(e)),
                ],
            ),
            t(
                "fix-advice-directly",
                vec![("point", Arg::name(&p.id)), ("owner", owner)],
            ),
        );
    }
    let incidents: Vec<usize> = match incident {
        Some(i) => vec![i],
        None => (0..scenario.incidents.len()).collect(),
    };
    let known = incidents
        .iter()
        .filter_map(|&i| facts.state.incidents[i].discovered_at.map(|t| (t, i)))
        .min();
    match known {
        None => late_discovery(facts, incidents[0], target_time),
        Some((known_at, i)) if known_at > target_time => late_discovery(facts, i, target_time),
        Some((known_at, i)) => {
            let plan = facts.state.incidents[i].plan_at;
            found(
                CauseKind::SlowProcedure,
                Element::Planning,
                t(
                    "cause-advice-slow",
                    vec![
                        ("incident", Arg::Incident(scenario.incidents[i].id.clone())),
                        ("known", at(known_at)),
                        ("plan", at_or_never(plan)),
                        ("point", Arg::name(&p.id)),
                        (
                            "advice",
                            Arg::text(match given {
                                Some((g, _)) => t("cause-advice-came", vec![("at", at(g))]),
                                None => t("cause-advice-never-came", vec![]),
                            }),
                        ),
                    ],
                ),
                t("fix-closure-trigger", vec![("point", Arg::name(&p.id))]),
            )
        }
    }
}

/// The team that took a sample, or none (a result typed in).
fn team_of(scenario: &crate::scenario::Scenario, s: &Sample) -> Arg {
    Arg::Team(s.team.map(|k| scenario.teams[k].id.clone()))
}
