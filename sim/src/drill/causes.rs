//! Why a critical task fell short, from the evidence of the run, and the corrective
//! action that answers it (HSEEP improvement plan). The cause is read from the response
//! and the drill log: the task that served the measured point, whether every team that
//! could take it was busy, the drive, the kit the team carried, the laboratory's
//! turnaround, the notification route. Each cause names the capability element its
//! corrective action improves: planning, organisation, equipment, training or exercise.

use super::evaluate::{Facts, TaskRating, confirmed_warning, counts_as_sample, fmt_span};
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
    pub evidence: String,
    pub element: Element,
    /// The corrective action derived from the cause.
    pub corrective: String,
}

fn found(kind: CauseKind, element: Element, evidence: String, corrective: String) -> Cause {
    Cause {
        kind,
        evidence,
        element,
        corrective,
    }
}

fn at(t: SimTime) -> String {
    t.clock_label()
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
        Measure::FirstSample { cross_border: true, .. } | Measure::PlanIssued { .. } | Measure::MediaStatement => None,
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
        } => sample_cause(
            facts,
            point,
            incident,
            Wanted::Sample { cross_border, by },
            target_time,
        ),
        Measure::FirstResult { point, incident } => sample_cause(facts, point, incident, Wanted::Result, target_time),
        Measure::Confirmed { point, incident } => confirmed_cause(facts, point, incident, target_time),
        Measure::Notification { from, to } => notification_cause(facts, from, to, rated),
        Measure::IntakeAdvice { point, incident } => advice_cause(facts, point, incident, target_time),
        Measure::PlanIssued { incident } => {
            let state = &facts.state.incidents[incident];
            let id = &facts.scenario.incidents[incident].id;
            match state.discovered_at {
                Some(known) if known > target_time => late_discovery(facts, incident, target_time),
                None => late_discovery(facts, incident, target_time),
                Some(known) => found(
                    CauseKind::SlowProcedure,
                    Element::Planning,
                    format!(
                        "{id} was known at {}; the plan came {}",
                        at(known),
                        state
                            .plan_at
                            .map_or("never".to_string(), |p| format!("at {}", at(p)))
                    ),
                    format!(
                        "Keep a plan template for sources like {id}'s so the plan can be issued within the target after the report."
                    ),
                ),
            }
        }
        Measure::Acknowledge { inject } => found(
            CauseKind::SlowProcedure,
            Element::Training,
            rated.evidence.clone(),
            format!(
                "Train the duty officers who receive injects like {} to acknowledge them on the joint platform at once.",
                facts.drill.injects[inject].number
            ),
        ),
        Measure::MediaStatement => found(
            CauseKind::SlowProcedure,
            Element::Training,
            rated.evidence.clone(),
            "Train the press officers on a holding statement for water incidents, issued within the target of an enquiry."
                .to_string(),
        ),
    }
}

fn reference_missing(facts: &Facts<'_>, reference: &Reference) -> Cause {
    match *reference {
        Reference::Inject { inject } => {
            let number = &facts.drill.injects[inject].number;
            found(
                CauseKind::NotDelivered,
                Element::Exercise,
                format!("inject {number} was never delivered, so the task could not be observed"),
                format!("Schedule inject {number} in the MSEL so it is delivered within the exercise."),
            )
        }
        Reference::Report { incident } => late_discovery(facts, incident, facts.drill.end()),
        _ => found(
            CauseKind::LateDiscovery,
            Element::Equipment,
            "no incident became known during the exercise".to_string(),
            "Put automatic stations or buoys below the zone's risk sources so a release raises an alarm.".to_string(),
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
            Some(k) => format!(
                "{} was released at {} and known only at {} ({}), after the task was due at {}",
                truth.id,
                at(truth.start),
                at(k),
                facts.state.incidents[incident]
                    .discovered_by
                    .clone()
                    .unwrap_or_default(),
                at(target_time)
            ),
            None => format!(
                "{} was released at {} and never became known",
                truth.id,
                at(truth.start)
            ),
        },
        format!(
            "Find releases like \"{}\" sooner: an automatic station or buoy for {} below the site, and a duty to report on its operator.",
            truth.name, facts.scenario.pollutants[truth.pollutant].id
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
        let team = s.team_label(scenario);
        return found(
            CauseKind::WrongKit,
            Element::Equipment,
            format!(
                "sample {k} at {id} by {team} at {} was inconclusive: {} sees {:.4} mg/L at best, the limit is {:.4}",
                at(s.taken_at),
                s.method,
                s.detection_limit_mg_l,
                s.limit_mg_l
            ),
            format!(
                "Equip the teams that sample {id} (first {team}) with a method for {} whose detection limit is below {:.4} mg/L.",
                scenario.pollutants[s.pollutant].id, s.limit_mg_l
            ),
        );
    }
    if let Wanted::Sample { cross_border, by } = wanted
        && let Some((_, s)) = early.first()
    {
        if let Some(means) = by {
            let used = s
                .team
                .and_then(|t| Means::of_team(scenario, t))
                .map_or("no team", |m| m.as_str());
            return found(
                CauseKind::WrongMeans,
                Element::Organisation,
                format!(
                    "{id} was first sampled by {} ({}) at {}; {}",
                    s.team_label(scenario),
                    used.replace('_', " "),
                    at(s.taken_at),
                    counted.map_or_else(
                        || format!("no {} sample by the end", means.as_str().replace('_', " ")),
                        |(_, c)| format!(
                            "the first by {} came at {}",
                            means.as_str().replace('_', " "),
                            at(c.taken_at)
                        ),
                    )
                ),
                format!(
                    "Send a {} team to {id} first and keep one on call for it: other means do not sample where it is needed.",
                    means.as_str().replace('_', " ")
                ),
            );
        }
        if cross_border {
            return found(
                CauseKind::NoMutualAid,
                Element::Organisation,
                format!(
                    "only {}'s own teams sampled {id} before {}",
                    scenario.jurisdictions[p.jurisdiction].id,
                    at(target_time)
                ),
                format!(
                    "Write a mutual-aid call-out for {id} into the joint plan: the nearest team of any jurisdiction goes without a request."
                ),
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
            format!("no sampling task at {id} was planned or asked for before the end"),
            format!("Put {id} in the monitoring plan for such releases from its first revision."),
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
    let team = s.team_label(scenario);
    let pollutant = &scenario.pollutants[s.pollutant].id;
    let turnaround = (s.result_at - s.taken_at).seconds();
    let result = if s.result_known {
        format!("known at {}", at(s.result_at))
    } else {
        "not back by the end".to_string()
    };
    let plan = facts.state.plans[s.incident].as_ref();
    let field_method = plan.filter(|p| p.method_is_field).map(|p| p.method.clone());
    if let Some(method) = field_method
        && method != s.method
        && let Some(t) = s.team
    {
        let failed = facts.log.disruptions.iter().any(|&(when, idx, begins)| {
            begins
                && when <= s.taken_at
                && matches!(&facts.drill.disruptions[idx].kind,
                    DisruptionKind::KitFailure { team, instrument } if *team == t && *instrument == method)
        });
        let why = if failed {
            format!("{team}'s {method} had failed")
        } else {
            format!("{team} does not carry {method}")
        };
        return found(
            CauseKind::WrongKit,
            Element::Equipment,
            format!(
                "sample {k} at {id} was taken at {}, but {why}: it went to {} and the result was {result}, {} after the sample (due {})",
                at(s.taken_at),
                s.method,
                fmt_span(turnaround),
                at(target_time)
            ),
            if failed {
                format!("Carry a spare {method} on {team}'s vehicle and check it before each shift.")
            } else {
                format!("Equip {team} with the field method {method} for {pollutant}.")
            },
        );
    }
    found(
        CauseKind::LaboratoryTurnaround,
        Element::Equipment,
        format!(
            "sample {k} at {id} by {team} was taken at {}; its {} result was {result}, {} later (due {})",
            at(s.taken_at),
            s.method,
            fmt_span(turnaround),
            at(target_time)
        ),
        format!(
            "Analyse {pollutant} near {id}: a field method or a mobile laboratory on call, instead of waiting {} for the laboratory.",
            fmt_span(turnaround)
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
    let asked = task
        .requested_by
        .as_ref()
        .map_or("the plan".to_string(), |seat| format!("{seat}'s request"));
    let opened = task.opened_at.unwrap_or(task.due);
    if task.due > target_time || opened > target_time {
        return found(
            CauseKind::ScheduledLate,
            Element::Planning,
            format!(
                "the first sampling task at {id} ({asked}) opened at {} and was due at {}, after the target time {}",
                at(opened),
                at(task.due),
                at(target_time)
            ),
            format!(
                "Schedule the first sample at {id} by {} in the plan, or ask for it as soon as the incident is known.",
                at(target_time)
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
                format!(
                    "every {scope} ({eligible}) was busy or out of service when the task at {id} opened at {}; {}",
                    at(opened),
                    match (assigned, task.team) {
                        (Some(a), Some(t)) => format!("{} took it at {}", scenario.teams[t].id, at(a)),
                        _ => "no team took it".to_string(),
                    }
                ),
                format!("Keep a standby team for {id} or call out mutual aid as soon as every {scope} is busy."),
            );
        }
    }
    if let (Some(a), Some(t)) = (assigned, task.team) {
        let arrived = task.arrived_at;
        let drive = (arrived.unwrap_or(facts.drill.end()) - a).seconds();
        let left = (task.due.max(a) - a).seconds().max((target_time - a).seconds());
        if arrived.is_none_or(|r| r > target_time) && drive > left {
            return found(
                CauseKind::TravelTime,
                Element::Planning,
                format!(
                    "{} was given the task at {id} at {} and {} {}; {} were left before {}",
                    scenario.teams[t].id,
                    at(a),
                    if arrived.is_some() {
                        "reached the water after"
                    } else {
                        "had not arrived after"
                    },
                    fmt_span(drive),
                    fmt_span(left.max(0)),
                    at(target_time)
                ),
                format!(
                    "Pre-position a team within {} of {id} while the incident lasts.",
                    fmt_span(left.max(15 * 60))
                ),
            );
        }
    }
    found(
        CauseKind::ScheduledLate,
        Element::Planning,
        match sample {
            Some(s) => format!(
                "the task at {id} ({asked}) opened at {}, due {}; the sample was taken at {}",
                at(opened),
                at(task.due),
                at(s.taken_at)
            ),
            None => format!(
                "the task at {id} ({asked}) opened at {}, due {}, and was not served by the end",
                at(opened),
                at(task.due)
            ),
        },
        format!(
            "Schedule the sample at {id} earlier in the plan so it is taken by {}.",
            at(target_time)
        ),
    )
}

/// (busy, eligible, which) teams at `t` that could take a task at the point: every team
/// where the Executive Committee pools them, else the point's jurisdiction's and those
/// backing it.
fn teams_busy(facts: &Facts<'_>, point: usize, t: SimTime) -> (usize, usize, String) {
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
        "team of the zone".to_string()
    } else {
        format!("team serving {}", scenario.jurisdictions[owner].id)
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
            .find(|(_, s)| s.result_at == t && s.over_limit && s.conclusive && evidence.contains(&s.point_id));
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
    let to_id = &scenario.jurisdictions[to].id;
    let from_id = from.map_or("the incident's jurisdiction".to_string(), |f| {
        scenario.jurisdictions[f].id.clone()
    });
    let procedures = &facts.drill.procedures;
    let (route, minutes) = match facts.config.policy.pooling() {
        Pooling::Pooled => ("the joint duty platform", procedures.notify_unified.seconds()),
        Pooling::County => (
            "the county, city and provincial duty offices",
            procedures.notify_county.seconds(),
        ),
    };
    match rated.performed_s {
        Some(done) => found(
            CauseKind::LateNotification,
            Element::Planning,
            format!(
                "{from_id} notified {to_id} at {} through {route}, a route of {}",
                at(SimTime(done)),
                fmt_span(minutes)
            ),
            format!(
                "{from_id} notifies {to_id} directly on the joint duty platform ({} there) instead of through the duty offices.",
                fmt_span(procedures.notify_unified.seconds())
            ),
        ),
        None => found(
            CauseKind::LateNotification,
            Element::Planning,
            format!("{from_id} never notified {to_id}"),
            format!(
                "Make notifying {to_id} part of {from_id}'s standard procedure for every incident whose plume reaches it."
            ),
        ),
    }
}

fn advice_cause(facts: &Facts<'_>, point: usize, incident: Option<usize>, target_time: SimTime) -> Cause {
    let scenario = facts.scenario;
    let p = &scenario.points[point];
    let owner = &scenario.jurisdictions[p.jurisdiction].id;
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
            format!(
                "{} advised closing {} at {}, but {owner} was notified only at {}",
                seat.label(scenario),
                p.id,
                at(g),
                at(e)
            ),
            format!(
                "Send intake advice for {} to {owner} and its water plant directly, not only to the incident's county.",
                p.id
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
        Some((t, i)) if t > target_time => late_discovery(facts, i, target_time),
        Some((t, i)) => {
            let plan = facts.state.incidents[i].plan_at;
            found(
                CauseKind::SlowProcedure,
                Element::Planning,
                format!(
                    "{} was known at {} and its plan issued {}; the advice to close {} {}",
                    scenario.incidents[i].id,
                    at(t),
                    plan.map_or("never".to_string(), |p| format!("at {}", at(p))),
                    p.id,
                    given.map_or("never came".to_string(), |(g, _)| format!("came at {}", at(g)))
                ),
                format!(
                    "Agree a closure trigger for {} with its water plant: advise on the first report's travel-time estimate, before the plan.",
                    p.id
                ),
            )
        }
    }
}
