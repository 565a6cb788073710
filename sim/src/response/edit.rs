//! The command's hand on the response: approving a plan revision, adding and removing plan
//! points, changing a point's sampling interval, asking other jurisdictions for help at a
//! point; and, in a live incident, declaring an incident, revising its estimate and
//! entering sample results, from which the released mass is estimated again.
//!
//! Each function returns `Ok(Ok(what it did))` or `Ok(Err(why not))` for the drill
//! engine's journal, each a [`Said`]: the English the journal, the event log and the
//! exercise server show, and the same sentence as data (the `tl-edit-` and `tl-live-`
//! messages of `report.ftl`) for a report or a console in another language; bad input is
//! a reason, never a panic. Tasks follow every edit: a
//! removed point's waiting tasks are cancelled and a team driving there is released; an
//! added point gets its tasks; a new interval replaces the point's future tasks.

use super::{
    PLAN_REVISIONS_MAX, REVISION_FACTOR, ResponseSetup, ResponseState, Sample, TaskStatus, abort_trip,
    apply_termination_rule, create_tasks, install_plan, notice, regenerate, request_dispatch,
};
use crate::drill::text::{Arg, Text};
use crate::equipment::Catalogue;
use crate::event::Event;
use crate::kernel::{Context, KernelError};
use crate::plan::{MonitoringPlan, Role};
use crate::scenario::{Discovery, Incident, Location, ResponseLevel, Scenario};
use crate::time::{SimDuration, SimTime};
use bevy_ecs::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::sync::Arc;

/// A sentence of an outcome: its English, as the journal, the event log and the exercise
/// server have always shown it, and the same sentence as data (a message id and its
/// arguments), so that a report or a console can say it in its language.
#[derive(Clone, Debug, PartialEq)]
pub struct Said {
    pub english: String,
    pub text: Text,
}

impl Said {
    pub fn new(english: impl Into<String>, id: &'static str, args: Vec<(&'static str, Arg)>) -> Said {
        Said {
            english: english.into(),
            text: Text::new(id, args),
        }
    }
}

fn plain(value: impl std::fmt::Display) -> Arg {
    Arg::Plain(value.to_string())
}

/// What the command may do to a plan; kept per incident and applied again to every
/// revision, so a revision from results keeps the command's choices.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanEdit {
    /// Sample this point too (one of the plan's other points).
    Add(String),
    Remove(String),
    /// Interval while the plume approaches and passes.
    Interval(String, SimDuration),
}

impl PlanEdit {
    /// Applies the edit to a plan from `now` on; an edit that no longer fits (the point is
    /// already there, or gone) changes nothing.
    pub fn apply(&self, plan: &mut MonitoringPlan, now: SimTime, lead_time: SimDuration) {
        match self {
            PlanEdit::Add(id) => {
                plan.add_other_point(id, now, lead_time);
            }
            PlanEdit::Remove(id) => {
                plan.remove_point(id);
            }
            PlanEdit::Interval(id, every) => {
                plan.set_interval(id, *every, now, lead_time);
            }
        }
    }
}

/// Who makes a plan edit: the joint command, or a jurisdiction's seat.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Editor {
    Command,
    Jurisdiction(usize),
}

impl Editor {
    /// As the journal, the console and plan-edit files write it: `command` or a
    /// jurisdiction id.
    pub fn label(self, scenario: &Scenario) -> String {
        match self {
            Editor::Command => "command".to_string(),
            Editor::Jurisdiction(j) => scenario.jurisdictions[j].id.clone(),
        }
    }
}

/// An edit asked of an incident's plan, whoever asks it: a person at the console, a
/// simulated player, or a plan-edit file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "action")]
pub enum EditRequest {
    /// Sample this point too.
    Add {
        point: String,
    },
    Remove {
        point: String,
    },
    /// Sample this point every `every_min` minutes while the plume approaches and passes.
    Interval {
        point: String,
        every_min: u32,
    },
    /// Ask the other jurisdictions for help with the samples at this point.
    MutualAid {
        point: String,
    },
    /// Approve revision `revision` of the plan; `None`: the revision current then.
    Approve {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        revision: Option<u32>,
    },
}

impl EditRequest {
    /// Who may ask for it: the joint command edits and approves the unified plan; the
    /// command or a jurisdiction asks for mutual aid.
    pub fn allowed(&self, by: Editor) -> Result<(), Said> {
        match (self, by) {
            (_, Editor::Command) | (EditRequest::MutualAid { .. }, Editor::Jurisdiction(_)) => Ok(()),
            (EditRequest::Approve { .. }, _) => Err(Said::new(
                "only the joint command approves the unified plan",
                "tl-edit-only-command-approves",
                vec![],
            )),
            _ => Err(Said::new(
                "only the joint command edits the unified plan",
                "tl-edit-only-command-edits",
                vec![],
            )),
        }
    }

    /// The plan point it is about, if any.
    pub fn point(&self) -> Option<&str> {
        match self {
            EditRequest::Add { point }
            | EditRequest::Remove { point }
            | EditRequest::Interval { point, .. }
            | EditRequest::MutualAid { point } => Some(point),
            EditRequest::Approve { .. } => None,
        }
    }

    /// The same description as data (the `tl-request-` messages), for a table in another
    /// language: the point by its scenario id, numbers as they are.
    pub fn text(&self) -> Text {
        let point = |point: &str| ("point", Arg::Name(point.to_string()));
        match self {
            EditRequest::Add { point: p } => Text::new("tl-request-add", vec![point(p)]),
            EditRequest::Remove { point: p } => Text::new("tl-request-remove", vec![point(p)]),
            EditRequest::Interval { point: p, every_min } => {
                Text::new("tl-request-interval", vec![point(p), ("every", plain(every_min))])
            }
            EditRequest::MutualAid { point: p } => Text::new("tl-request-mutual-aid", vec![point(p)]),
            EditRequest::Approve { revision: Some(r) } => Text::new("tl-request-approve", vec![("revision", plain(r))]),
            EditRequest::Approve { revision: None } => Text::new("tl-request-approve-current", vec![]),
        }
    }

    /// A short description, e.g. `remove I1-down-5km`.
    pub fn describe(&self) -> String {
        match self {
            EditRequest::Add { point } => format!("add {point}"),
            EditRequest::Remove { point } => format!("remove {point}"),
            EditRequest::Interval { point, every_min } => format!("interval {point} every {every_min} min"),
            EditRequest::MutualAid { point } => format!("mutual aid at {point}"),
            EditRequest::Approve { revision: Some(r) } => format!("approve r{r}"),
            EditRequest::Approve { revision: None } => "approve the current revision".to_string(),
        }
    }
}

/// An edit asked for and what came of it, kept in [`ResponseState::edit_log`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EditRecord {
    pub at: SimTime,
    pub by: Editor,
    pub incident: usize,
    pub request: EditRequest,
    /// Applied, or refused (the outcome then says why).
    pub applied: bool,
    pub outcome: String,
    /// `outcome` as data, for another language; not serialised (the English is).
    #[serde(skip)]
    pub outcome_text: Text,
}

/// Applies an edit asked of an incident's plan, whoever asks it, and keeps it with what
/// came of it in the response's edit log. The console, the drill engine and plan-edit
/// files all come here.
pub fn apply_request(
    world: &mut World,
    ctx: &mut Context<'_, Event>,
    by: Editor,
    incident: usize,
    request: &EditRequest,
) -> Outcome {
    let now = ctx.now();
    let outcome = match request.allowed(by) {
        Err(reason) => Err(reason),
        Ok(()) => {
            let by_label = by.label(&world.resource::<ResponseSetup>().scenario);
            match request {
                EditRequest::Add { point } => add_point(world, ctx, incident, point, &by_label)?,
                EditRequest::Remove { point } => remove_point(world, ctx, incident, point, &by_label)?,
                EditRequest::Interval { point, every_min } => {
                    let every = SimDuration::from_minutes(i64::from(*every_min));
                    set_interval(world, ctx, incident, point, every, &by_label)?
                }
                EditRequest::MutualAid { point } => {
                    let jurisdiction = match by {
                        Editor::Command => None,
                        Editor::Jurisdiction(j) => Some(j),
                    };
                    request_mutual_aid(world, ctx, incident, point, jurisdiction)?
                }
                EditRequest::Approve { revision } => {
                    let current = {
                        let scenario = world.resource::<ResponseSetup>().scenario.clone();
                        plan_of(world.resource::<ResponseState>(), &scenario, incident).map(|p| p.revision)
                    };
                    match current {
                        Ok(current) => approve_plan(world, incident, revision.unwrap_or(current), &by_label, now),
                        Err(reason) => Err(reason),
                    }
                }
            }
        }
    };
    let (applied, said) = match &outcome {
        Ok(said) => (true, said),
        Err(reason) => (false, reason),
    };
    let (text, outcome_text) = (said.english.clone(), said.text.clone());
    world.resource_mut::<ResponseState>().edit_log.push(EditRecord {
        at: now,
        by,
        incident,
        request: request.clone(),
        applied,
        outcome: text,
        outcome_text,
    });
    Ok(outcome)
}

/// Handles a plan edit a plain run scheduled from a plan-edit file: applied as the
/// drill engine applies a seat's, and noted in the journal with what came of it.
pub(super) fn on_plan_edit(world: &mut World, event: &Event, ctx: &mut Context<'_, Event>) -> Result<(), KernelError> {
    let Event::PlanEdit { by, incident, edit } = event else {
        unreachable!("dispatched by kind")
    };
    match apply_request(world, ctx, *by, *incident, edit)? {
        Ok(done) => ctx.note(json!({ "outcome": done.english })),
        Err(reason) => ctx.note(json!({ "refused": reason.english })),
    }
    Ok(())
}

/// Shortest and longest sampling interval an edit may set.
pub const INTERVAL_MIN: SimDuration = SimDuration(5 * 60);
pub const INTERVAL_MAX: SimDuration = SimDuration(24 * 3600);
/// Largest mass a declaration may give [kg]: the scenario's own limit on a release.
pub const DECLARED_MASS_MAX_KG: f64 = crate::scenario::ranges::MASS_KG.hi;
/// Most incidents one live session may declare.
pub const LIVE_INCIDENTS_MAX: usize = 20;
/// Largest concentration a typed-in result may give [mg/L].
pub const ENTERED_MG_L_MAX: f64 = 1.0e5;

/// What the result of an edit is: what it did, or why it could not.
pub type Outcome = Result<Result<Said, Said>, KernelError>;

fn no_incident(incident: usize) -> Said {
    Said::new(
        format!("no incident {incident}"),
        "tl-edit-no-incident",
        vec![("incident", plain(incident))],
    )
}

fn not_in_plan(point_id: &str) -> Said {
    Said::new(
        format!("{point_id} is not in the plan"),
        "tl-edit-not-in-plan",
        vec![("point", Arg::name(point_id))],
    )
}

fn plan_of<'a>(state: &'a ResponseState, scenario: &Scenario, incident: usize) -> Result<&'a MonitoringPlan, Said> {
    let Some(incident_state) = state.incidents.get(incident) else {
        return Err(no_incident(incident));
    };
    let id = &scenario.incidents[incident].id;
    let args = vec![("incident", Arg::Incident(id.clone()))];
    match state.plans[incident].as_ref() {
        Some(plan) => Ok(plan),
        None if incident_state.discovered_at.is_none() => {
            Err(Said::new(format!("{id} is not known yet"), "tl-edit-not-known", args))
        }
        None => Err(Said::new(
            format!("{id} has no plan yet: it is being prepared"),
            "tl-edit-no-plan-yet",
            args,
        )),
    }
}

/// The command approves revision `revision` of an incident's plan.
pub fn approve_plan(world: &mut World, incident: usize, revision: u32, by: &str, now: SimTime) -> Result<Said, Said> {
    let scenario = world.resource::<ResponseSetup>().scenario.clone();
    let mut state = world.resource_mut::<ResponseState>();
    let plan = plan_of(&state, &scenario, incident)?;
    if plan.revision != revision {
        return Err(Said::new(
            format!(
                "revision r{revision} is no longer current: the plan of {} is at r{}",
                plan.incident_id, plan.revision
            ),
            "tl-edit-not-current",
            vec![
                ("revision", plain(revision)),
                ("incident", Arg::Incident(plan.incident_id.clone())),
                ("current", plain(plan.revision)),
            ],
        ));
    }
    if let Some(approval) = &plan.approved {
        return Err(Said::new(
            format!(
                "r{revision} of {} is already approved ({} at {})",
                plan.incident_id,
                approval.by,
                approval.at.clock_label()
            ),
            "tl-edit-already-approved",
            vec![
                ("revision", plain(revision)),
                ("incident", Arg::Incident(plan.incident_id.clone())),
                ("by", Arg::Seat(approval.by.clone())),
                ("at", Arg::at(approval.at)),
            ],
        ));
    }
    let plan = state.plans[incident].as_mut().expect("checked above");
    plan.approved = Some(crate::plan::Approval {
        at: now,
        by: by.to_string(),
    });
    let said = Said::new(
        format!("plan r{revision} of {} approved", plan.incident_id),
        "tl-outcome-approved",
        vec![
            ("revision", plain(revision)),
            ("incident", Arg::Incident(plan.incident_id.clone())),
        ],
    );
    state.keep_revision(incident);
    Ok(said)
}

/// Records an edit the command made: it is part of the plan from now on, and the new
/// revision is approved by the command that made it.
fn record_edit(state: &mut ResponseState, incident: usize, plan_edit: PlanEdit, by: &str, now: SimTime) {
    state.incidents[incident].edits.push(plan_edit);
    let plan = state.plans[incident].as_mut().expect("edits need a plan");
    plan.approved = Some(crate::plan::Approval {
        at: now,
        by: by.to_string(),
    });
    state.keep_revision(incident);
}

/// Adds one of the plan's other points (a named point the plan does not sample, or one
/// removed earlier); its samples are due from now on.
pub fn add_point(
    world: &mut World,
    ctx: &mut Context<'_, Event>,
    incident: usize,
    point_id: &str,
    by: &str,
) -> Outcome {
    let now = ctx.now();
    let scenario = world.resource::<ResponseSetup>().scenario.clone();
    let lead_time = scenario.operations.lead_time;
    let mut state = world.resource_mut::<ResponseState>();
    let plan = match plan_of(&state, &scenario, incident) {
        Ok(plan) => plan,
        Err(reason) => return Ok(Err(reason)),
    };
    if plan.points.iter().any(|p| p.id == point_id) {
        return Ok(Err(Said::new(
            format!("{point_id} is already in the plan"),
            "tl-edit-already-in-plan",
            vec![("point", Arg::name(point_id))],
        )));
    }
    if !plan.others.iter().any(|p| p.id == point_id) {
        return Ok(Err(Said::new(
            format!("{point_id} is not a point the plan can add"),
            "tl-edit-cannot-add",
            vec![("point", Arg::name(point_id))],
        )));
    }
    let plan = state.plans[incident].as_mut().expect("checked above");
    plan.add_other_point(point_id, now, lead_time);
    let point = plan.points.last().expect("just added").clone();
    let revision = plan.revision;
    let n = create_tasks(&mut state, ctx, incident, &point, &point.schedule)?;
    record_edit(&mut state, incident, PlanEdit::Add(point_id.to_string()), by, now);
    ctx.note(json!({ "plan_edit": "add", "point": point_id, "tasks": n, "revision": revision }));
    Ok(Ok(Said::new(
        format!("{point_id} added to the plan (r{revision}): {n} samples due"),
        "tl-edit-added",
        vec![
            ("point", Arg::name(point_id)),
            ("revision", plain(revision)),
            ("samples", plain(n)),
        ],
    )))
}

/// Removes a point from the plan: its waiting tasks are cancelled and a team driving to
/// it is released (a team already at the water finishes its sample).
pub fn remove_point(
    world: &mut World,
    ctx: &mut Context<'_, Event>,
    incident: usize,
    point_id: &str,
    by: &str,
) -> Outcome {
    let now = ctx.now();
    let scenario = world.resource::<ResponseSetup>().scenario.clone();
    let state = world.resource::<ResponseState>();
    let plan = match plan_of(state, &scenario, incident) {
        Ok(plan) => plan,
        Err(reason) => return Ok(Err(reason)),
    };
    if !plan.points.iter().any(|p| p.id == point_id) {
        return Ok(Err(not_in_plan(point_id)));
    }
    let on_the_road: Vec<usize> = state
        .tasks
        .iter()
        .filter(|t| t.incident == incident && t.point_id == point_id)
        .filter(|t| t.status == TaskStatus::Assigned && t.arrived_at.is_none())
        .filter_map(|t| t.team)
        .collect();
    for &team in &on_the_road {
        abort_trip(world, ctx, team)?;
    }
    let mut state = world.resource_mut::<ResponseState>();
    let mut n_cancelled = 0;
    for task in state.tasks.iter_mut() {
        if task.incident == incident
            && task.point_id == point_id
            && matches!(task.status, TaskStatus::Planned | TaskStatus::Open)
        {
            task.status = TaskStatus::Cancelled;
            n_cancelled += 1;
        }
    }
    let plan = state.plans[incident].as_mut().expect("checked above");
    plan.remove_point(point_id);
    let revision = plan.revision;
    record_edit(&mut state, incident, PlanEdit::Remove(point_id.to_string()), by, now);
    ctx.note(
        json!({ "plan_edit": "remove", "point": point_id, "cancelled": n_cancelled, "released": on_the_road.len() }),
    );
    let released: Vec<String> = on_the_road.iter().map(|&t| scenario.teams[t].id.clone()).collect();
    let (released_english, released_text) = if released.is_empty() {
        (String::new(), None)
    } else {
        (
            format!(", {} released", released.join(", ")),
            Some(Text::new("tl-edit-released", vec![("teams", Arg::Names(released))])),
        )
    };
    Ok(Ok(Said::new(
        format!("{point_id} removed from the plan (r{revision}): {n_cancelled} samples cancelled{released_english}"),
        "tl-edit-removed",
        vec![
            ("point", Arg::name(point_id)),
            ("revision", plain(revision)),
            ("samples", plain(n_cancelled)),
            ("released", Arg::optional(released_text)),
        ],
    )))
}

/// Changes a point's sampling interval while the plume approaches and passes. The next
/// sample stays when it was due; the ones after it follow the new interval.
pub fn set_interval(
    world: &mut World,
    ctx: &mut Context<'_, Event>,
    incident: usize,
    point_id: &str,
    every: SimDuration,
    by: &str,
) -> Outcome {
    let now = ctx.now();
    if !(INTERVAL_MIN..=INTERVAL_MAX).contains(&every) {
        let (every, min, max) = (
            every.seconds() / 60,
            INTERVAL_MIN.seconds() / 60,
            INTERVAL_MAX.seconds() / 60,
        );
        return Ok(Err(Said::new(
            format!("an interval of {every} min: expected {min} to {max} min"),
            "tl-edit-interval-range",
            vec![("every", plain(every)), ("min", plain(min)), ("max", plain(max))],
        )));
    }
    let scenario = world.resource::<ResponseSetup>().scenario.clone();
    let lead_time = scenario.operations.lead_time;
    let mut state = world.resource_mut::<ResponseState>();
    let plan = match plan_of(&state, &scenario, incident) {
        Ok(plan) => plan,
        Err(reason) => return Ok(Err(reason)),
    };
    let Some(point) = plan.points.iter().find(|p| p.id == point_id) else {
        return Ok(Err(not_in_plan(point_id)));
    };
    let from = point.schedule.iter().copied().find(|t| *t >= now).unwrap_or(now);
    for task in state.tasks.iter_mut() {
        if task.incident == incident
            && task.point_id == point_id
            && task.due >= from
            && matches!(task.status, TaskStatus::Planned | TaskStatus::Open)
        {
            task.status = TaskStatus::Replaced;
        }
    }
    let plan = state.plans[incident].as_mut().expect("checked above");
    plan.set_interval(point_id, every, from, lead_time);
    let point = plan
        .points
        .iter()
        .find(|p| p.id == point_id)
        .expect("checked above")
        .clone();
    let revision = plan.revision;
    let dues: Vec<SimTime> = point.schedule.iter().copied().filter(|t| *t >= from).collect();
    let n = create_tasks(&mut state, ctx, incident, &point, &dues)?;
    record_edit(
        &mut state,
        incident,
        PlanEdit::Interval(point_id.to_string(), every),
        by,
        now,
    );
    ctx.note(json!({ "plan_edit": "interval", "point": point_id, "every_min": every.seconds() / 60, "tasks": n }));
    Ok(Ok(Said::new(
        format!(
            "{point_id} sampled every {} min while the plume passes (r{revision}): {n} samples due from {}",
            every.seconds() / 60,
            from.clock_label()
        ),
        "tl-edit-interval",
        vec![
            ("point", Arg::name(point_id)),
            ("every", plain(every.seconds() / 60)),
            ("revision", plain(revision)),
            ("samples", plain(n)),
            ("from", Arg::at(from)),
        ],
    )))
}

/// Asks the other jurisdictions for help with the samples at a plan point: under county
/// dispatch their teams may take them after the scenario's mutual-aid delay (the
/// mechanism dispatch uses when no team of the point's own jurisdiction can go). Later
/// tasks at the point are covered too. `seat_jurisdiction`: the asking jurisdiction, or
/// `None` for the joint command.
pub fn request_mutual_aid(
    world: &mut World,
    ctx: &mut Context<'_, Event>,
    incident: usize,
    point_id: &str,
    seat_jurisdiction: Option<usize>,
) -> Outcome {
    let now = ctx.now();
    let setup = world.resource::<ResponseSetup>();
    let scenario = setup.scenario.clone();
    let pooled = !setup.policy.requests_mutual_aid();
    let state = world.resource::<ResponseState>();
    let plan = match plan_of(state, &scenario, incident) {
        Ok(plan) => plan,
        Err(reason) => return Ok(Err(reason)),
    };
    let Some(owner) = plan.points.iter().find(|p| p.id == point_id).map(|p| p.jurisdiction) else {
        return Ok(Err(not_in_plan(point_id)));
    };
    if let Some(j) = seat_jurisdiction.filter(|j| *j != owner) {
        let (owner, seat) = (&scenario.jurisdictions[owner].id, &scenario.jurisdictions[j].id);
        return Ok(Err(Said::new(
            format!("{point_id} is {owner}'s to sample: {owner} or the joint command asks for help there, not {seat}"),
            "tl-edit-aid-not-yours",
            vec![
                ("point", Arg::name(point_id)),
                ("owner", Arg::name(owner)),
                ("seat", Arg::name(seat)),
            ],
        )));
    }
    if state
        .aid_requests
        .iter()
        .any(|(i, p, _)| *i == incident && p == point_id)
    {
        return Ok(Err(Said::new(
            format!("help at {point_id} was already asked for"),
            "tl-edit-aid-already",
            vec![("point", Arg::name(point_id))],
        )));
    }
    let granted_at = now + scenario.operations.mutual_aid_delay;
    let mut state = world.resource_mut::<ResponseState>();
    state.aid_requests.push((incident, point_id.to_string(), granted_at));
    let mut n = 0;
    for task_idx in 0..state.tasks.len() {
        let task = &mut state.tasks[task_idx];
        if task.incident == incident
            && task.point_id == point_id
            && matches!(task.status, TaskStatus::Planned | TaskStatus::Open)
            && !task.mutual_aid_requested
        {
            task.mutual_aid_requested = true;
            ctx.schedule(granted_at, Event::MutualAid { task: task_idx })?;
            n += 1;
        }
    }
    ctx.note(json!({ "mutual_aid_point": point_id, "tasks": n, "granted_s": granted_at.seconds() }));
    let owner = &scenario.jurisdictions[owner].id;
    Ok(Ok(if pooled {
        Said::new(
            format!("help asked for at {point_id}: unified dispatch already pools every team"),
            "tl-edit-aid-pooled",
            vec![("point", Arg::name(point_id))],
        )
    } else {
        Said::new(
            format!(
                "help asked for at {point_id}: teams from outside {owner} may take its samples from {}",
                granted_at.clock_label()
            ),
            "tl-edit-aid",
            vec![
                ("point", Arg::name(point_id)),
                ("owner", Arg::name(owner)),
                ("at", Arg::at(granted_at)),
            ],
        )
    }))
}

/// A live incident as the person declares it; every field may be revised later.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Declaration {
    /// A risk source id, a named point id, a node id or `REACH@CHAINAGE_M`.
    pub place: String,
    /// A pollutant id of the scenario.
    pub pollutant: String,
    /// Estimated released mass [kg].
    pub mass_kg: f64,
    /// Estimated time of the release (instantaneous).
    pub released_at: SimTime,
}

/// A declaration resolved against the scenario.
#[derive(Clone, Debug)]
pub struct Resolved {
    pub source: Option<usize>,
    pub location: Location,
    pub jurisdiction: usize,
    pub pollutant: usize,
}

/// Checks a declaration: the place, the pollutant, the mass and a release time no later
/// than `now`. The message names the field.
pub fn resolve(scenario: &Scenario, declaration: &Declaration, now: SimTime) -> Result<Resolved, Said> {
    let (source, location, jurisdiction) = place_of(scenario, &declaration.place)?;
    let pollutant = scenario.pollutant_idx(declaration.pollutant.trim()).ok_or_else(|| {
        let known: Vec<&str> = scenario.pollutants.iter().map(|p| p.id.as_str()).collect();
        let asked = format!("{:?}", declaration.pollutant.trim());
        Said::new(
            format!("pollutant: no pollutant {asked} (one of {})", known.join(", ")),
            "tl-live-no-pollutant",
            vec![
                ("pollutant", Arg::Plain(asked)),
                ("known", Arg::Names(known.iter().map(|k| k.to_string()).collect())),
            ],
        )
    })?;
    let mass_kg = declaration.mass_kg;
    if !(mass_kg.is_finite() && mass_kg > 0.0 && mass_kg <= DECLARED_MASS_MAX_KG) {
        return Err(Said::new(
            format!("mass: {mass_kg} kg: expected more than 0 and at most {DECLARED_MASS_MAX_KG} kg"),
            "tl-live-mass-range",
            vec![("mass", plain(mass_kg)), ("max", plain(DECLARED_MASS_MAX_KG))],
        ));
    }
    if declaration.released_at > now {
        return Err(Said::new(
            format!(
                "released at: {} is later than now ({})",
                declaration.released_at.clock_label(),
                now.clock_label()
            ),
            "tl-live-released-later",
            vec![("at", Arg::at(declaration.released_at)), ("now", Arg::at(now))],
        ));
    }
    if declaration.released_at < SimTime::ZERO {
        return Err(Said::new(
            "released at: before the scenario clock starts (D1 00:00)",
            "tl-live-released-before",
            vec![],
        ));
    }
    Ok(Resolved {
        source,
        location,
        jurisdiction,
        pollutant,
    })
}

/// Where a declared place is: the risk source it names (if it names one), its location,
/// and the jurisdiction it lies in. The message names the field.
pub fn place_of(scenario: &Scenario, place: &str) -> Result<(Option<usize>, Location, usize), Said> {
    let place = place.trim();
    if place.is_empty() {
        return Err(Said::new(
            "place: give a risk source, a point, a node or REACH@CHAINAGE_M",
            "tl-live-place-empty",
            vec![],
        ));
    }
    let (source, location) = match scenario.risk_sources.iter().position(|r| r.id == place) {
        Some(s) => (Some(s), scenario.risk_sources[s].location),
        None => {
            let location = scenario.parse_location(place).map_err(|e| {
                Said::new(
                    format!("place: {e}"),
                    "tl-live-place",
                    vec![("problem", Arg::Text(Box::new(e.text())))],
                )
            })?;
            (None, location)
        }
    };
    let jurisdiction = match (source, location) {
        (Some(s), _) => scenario.risk_sources[s].jurisdiction,
        (None, Location::Reach { reach, .. }) => scenario.reaches[reach].jurisdiction,
        (None, Location::Node(node) | Location::LakeCell { node, .. }) => scenario.nodes[node].jurisdiction,
    };
    Ok((source, location, jurisdiction))
}

/// Replaces the response's scenario with an edited copy (live incidents are added to it).
/// The drill engine picks the new one up after the action.
fn edit_scenario(world: &mut World, edit: impl FnOnce(&mut Scenario)) -> Arc<Scenario> {
    let mut scenario = (*world.resource::<ResponseSetup>().scenario).clone();
    edit(&mut scenario);
    let scenario = Arc::new(scenario);
    world.resource_mut::<ResponseSetup>().scenario = scenario.clone();
    scenario
}

fn downstream_of(scenario: &Scenario, incident: usize) -> Vec<usize> {
    let releases = super::incident_releases(scenario);
    crate::forecast::downstream_points(scenario, &releases[incident..=incident])
}

fn incident_name(scenario: &Scenario, declaration: &Declaration, resolved: &Resolved) -> String {
    format!(
        "{} at {}",
        scenario.pollutants[resolved.pollutant].name,
        declaration.place.trim()
    )
}

/// Live: the person declares an incident; it is known now and its plan follows after the
/// plan preparation time, from a forecast of the declared estimate.
pub fn declare_incident(world: &mut World, ctx: &mut Context<'_, Event>, declaration: &Declaration) -> Outcome {
    let now = ctx.now();
    if !world.resource::<ResponseState>().live {
        return Ok(Err(Said::new(
            "incidents are declared by hand only in a live session (--live)",
            "tl-live-declare-not-live",
            vec![],
        )));
    }
    let scenario = world.resource::<ResponseSetup>().scenario.clone();
    let resolved = match resolve(&scenario, declaration, now) {
        Ok(resolved) => resolved,
        Err(reason) => return Ok(Err(reason)),
    };
    let idx = scenario.incidents.len();
    if idx >= LIVE_INCIDENTS_MAX {
        return Ok(Err(Said::new(
            format!("at most {LIVE_INCIDENTS_MAX} incidents in one live session"),
            "tl-live-too-many",
            vec![("max", plain(LIVE_INCIDENTS_MAX))],
        )));
    }
    let id = format!("L{}", idx + 1);
    let name = incident_name(&scenario, declaration, &resolved);
    let scenario = edit_scenario(world, |s| {
        s.incidents.push(Incident {
            id: id.clone(),
            name,
            name_zh: String::new(),
            source: resolved.source,
            location: resolved.location,
            jurisdiction: resolved.jurisdiction,
            pollutant: resolved.pollutant,
            mass_kg: declaration.mass_kg,
            reported_mass_kg: declaration.mass_kg,
            start: declaration.released_at,
            duration: SimDuration::ZERO,
            response_level: ResponseLevel::IV,
            discovery: Discovery::EnterpriseReport,
            discovery_delay: now - declaration.released_at,
            note: "declared by hand in a live session".to_string(),
        });
    });
    let downstream = downstream_of(&scenario, idx);
    world
        .resource_mut::<ResponseSetup>()
        .incident_downstream
        .push(downstream);
    let mut state = world.resource_mut::<ResponseState>();
    state.incidents.push(super::IncidentState::new(ResponseLevel::IV));
    state.plans.push(None);
    ctx.schedule(
        now,
        Event::Discovery {
            incident: idx,
            by: "declared by the command".to_string(),
        },
    )?;
    let pollutant = &scenario.pollutants[resolved.pollutant].id;
    Ok(Ok(Said::new(
        format!(
            "{id} declared: {} kg of {pollutant} at {}, released {}",
            declaration.mass_kg,
            declaration.place.trim(),
            declaration.released_at.clock_label()
        ),
        "tl-live-declared",
        vec![
            ("incident", Arg::Incident(id.clone())),
            ("mass", plain(declaration.mass_kg)),
            ("pollutant", Arg::name(pollutant)),
            ("place", Arg::name(declaration.place.trim())),
            ("at", Arg::at(declaration.released_at)),
        ],
    )))
}

/// Live: the person revises an incident's declaration (place, pollutant, mass, time); the
/// plan is generated again from the new estimate, keeping the command's edits.
pub fn revise_incident(
    world: &mut World,
    ctx: &mut Context<'_, Event>,
    incident: usize,
    declaration: &Declaration,
) -> Outcome {
    let now = ctx.now();
    if !world.resource::<ResponseState>().live {
        return Ok(Err(Said::new(
            "incidents are revised by hand only in a live session (--live)",
            "tl-live-revise-not-live",
            vec![],
        )));
    }
    let scenario = world.resource::<ResponseSetup>().scenario.clone();
    if incident >= scenario.incidents.len() {
        return Ok(Err(no_incident(incident)));
    }
    let resolved = match resolve(&scenario, declaration, now) {
        Ok(resolved) => resolved,
        Err(reason) => return Ok(Err(reason)),
    };
    let name = incident_name(&scenario, declaration, &resolved);
    let scenario = edit_scenario(world, |s| {
        let i = &mut s.incidents[incident];
        i.name = name;
        i.source = resolved.source;
        i.location = resolved.location;
        i.jurisdiction = resolved.jurisdiction;
        i.pollutant = resolved.pollutant;
        i.mass_kg = declaration.mass_kg;
        i.reported_mass_kg = declaration.mass_kg;
        i.start = declaration.released_at;
    });
    let downstream = downstream_of(&scenario, incident);
    world.resource_mut::<ResponseSetup>().incident_downstream[incident] = downstream;
    let id = scenario.incidents[incident].id.clone();
    let Some(revision) = world.resource::<ResponseState>().plans[incident]
        .as_ref()
        .map(|p| p.revision + 1)
    else {
        return Ok(Ok(Said::new(
            format!("{id} revised: its plan, still being prepared, will use it"),
            "tl-live-revised-before-plan",
            vec![("incident", Arg::Incident(id))],
        )));
    };
    let plan = regenerate(world, incident, declaration.mass_kg, revision, now)?;
    world.resource_mut::<ResponseState>().incidents[incident].mass_revisions = 0;
    install_plan(world, plan, ctx)?;
    Ok(Ok(Said::new(
        format!(
            "{id} revised: plan r{revision} from {} kg released {}",
            declaration.mass_kg,
            declaration.released_at.clock_label()
        ),
        "tl-live-revised",
        vec![
            ("incident", Arg::Incident(id)),
            ("revision", plain(revision)),
            ("mass", plain(declaration.mass_kg)),
            ("at", Arg::at(declaration.released_at)),
        ],
    )))
}

/// A typed-in result below the detection limit (`ND`, `<DL`, 未检出, `<0.005`): kept as a
/// non-detect at that limit, as a laboratory reports it, never as a number.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NonDetect {
    /// The limit typed with it (`<0.005`) [mg/L]; `None`: the plan method's, else the
    /// pollutant's in the scenario.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detection_limit_mg_l: Option<f64>,
}

/// Live: a result typed in (point, time taken, value, or a non-detect with `mg_l` 0). It
/// completes the oldest sample a team took there that still waits for its result, or
/// stands on its own; then the termination rule runs and the estimated mass is fitted
/// again to every result.
pub fn enter_result(
    world: &mut World,
    ctx: &mut Context<'_, Event>,
    incident: usize,
    point_id: &str,
    taken_at: SimTime,
    mg_l: f64,
    non_detect: Option<NonDetect>,
) -> Outcome {
    let now = ctx.now();
    let scenario = world.resource::<ResponseSetup>().scenario.clone();
    let state = world.resource::<ResponseState>();
    if !state.live {
        return Ok(Err(Said::new(
            "results are typed in only in a live session (--live)",
            "tl-live-result-not-live",
            vec![],
        )));
    }
    let Some(incident_def) = scenario.incidents.get(incident) else {
        return Ok(Err(no_incident(incident)));
    };
    if !(mg_l.is_finite() && (0.0..=ENTERED_MG_L_MAX).contains(&mg_l)) {
        return Ok(Err(Said::new(
            format!("value: {mg_l} mg/L: expected 0 to {ENTERED_MG_L_MAX} mg/L"),
            "tl-live-value-range",
            vec![("value", plain(mg_l)), ("max", plain(ENTERED_MG_L_MAX))],
        )));
    }
    if non_detect.is_some() && mg_l != 0.0 {
        return Ok(Err(Said::new(
            format!("value: {mg_l} mg/L given with a non-detect, which has no value"),
            "tl-live-value-with-non-detect",
            vec![("value", plain(mg_l))],
        )));
    }
    if let Some(limit) = non_detect.and_then(|n| n.detection_limit_mg_l)
        && !(limit.is_finite() && limit > 0.0 && limit <= ENTERED_MG_L_MAX)
    {
        return Ok(Err(Said::new(
            format!("detection limit: {limit} mg/L: expected above 0 and up to {ENTERED_MG_L_MAX} mg/L"),
            "tl-live-detection-limit-range",
            vec![("limit", plain(limit)), ("max", plain(ENTERED_MG_L_MAX))],
        )));
    }
    if taken_at > now || taken_at < SimTime::ZERO {
        return Ok(Err(Said::new(
            format!(
                "taken at: {} is not between D1 00:00 and now ({})",
                taken_at.clock_label(),
                now.clock_label()
            ),
            "tl-live-taken-range",
            vec![("at", Arg::at(taken_at)), ("now", Arg::at(now))],
        )));
    }
    let pollutant = incident_def.pollutant;
    let plan = state.plans[incident].as_ref();
    let plan_point = plan.and_then(|p| p.points.iter().find(|x| x.id == point_id));
    let named = scenario.point_idx(point_id);
    let limit_mg_l = match (plan_point, named) {
        (Some(p), _) => p.limit_mg_l,
        (None, Some(p)) => scenario.limit_mg_l(pollutant, scenario.points[p].target_class),
        (None, None) => {
            return Ok(Err(Said::new(
                format!("point: {point_id:?} is neither in the plan nor a named point"),
                "tl-live-unknown-point",
                vec![("point", Arg::Plain(format!("{point_id:?}")))],
            )));
        }
    };
    let method = plan.map_or_else(|| "entered".to_string(), |p| p.method.clone());
    let waiting = state
        .samples
        .iter()
        .enumerate()
        .filter(|(_, s)| s.incident == incident && s.point_id == point_id && !s.result_known)
        .min_by_key(|(i, s)| (s.taken_at, *i))
        .map(|(i, _)| i);
    // A typed-in zero is a non-detect of the plan's method: conclusive only if that
    // method sees below the limit. A non-detect typed as one is at the limit typed with
    // it, else the method's, else (no instrument) the pollutant's in the scenario.
    let method_limit_mg_l = crate::equipment::Catalogue::builtin()
        .instrument(&method)
        .map(|i| i.detection_limit_mg_l);
    let detection_limit_mg_l = match non_detect {
        None => method_limit_mg_l.unwrap_or(0.0),
        Some(n) => n
            .detection_limit_mg_l
            .or(method_limit_mg_l)
            .unwrap_or(scenario.pollutants[pollutant].detection_limit_mg_l),
    };
    let conclusive = mg_l > 0.0 || detection_limit_mg_l < limit_mg_l;
    let evaluation = conclusive
        .then(|| {
            crate::standards::Gb3838::builtin()
                .get(&scenario.pollutants[pollutant].standard_item)
                .and_then(|item| item.evaluate(mg_l).ok())
        })
        .flatten();
    let mut state = world.resource_mut::<ResponseState>();
    let sample = Sample {
        task: None,
        team: None,
        incident,
        point_id: point_id.to_string(),
        pollutant,
        taken_at,
        result_at: now,
        true_mg_l: mg_l,
        reported_mg_l: mg_l,
        limit_mg_l,
        detection_limit_mg_l,
        over_limit: mg_l > limit_mg_l,
        conclusive,
        evaluation,
        method,
        result_known: true,
        analysed_at: "entered".to_string(),
        duplicate: false,
        sediment: false,
        confirms: None,
        custody: vec![super::qa::Custody {
            at: now,
            by: "command".to_string(),
            what: match non_detect {
                None => format!("result {mg_l} mg/L entered"),
                Some(_) => format!("result not detected (below {detection_limit_mg_l} mg/L) entered"),
            },
        }],
    };
    let sample_idx = match waiting {
        Some(i) => {
            let s = &mut state.samples[i];
            let (task, team, duplicate, sediment) = (s.task, s.team, s.duplicate, s.sediment);
            let mut custody = std::mem::take(&mut s.custody);
            custody.extend(sample.custody.iter().cloned());
            *s = Sample {
                task,
                team,
                duplicate,
                sediment,
                custody,
                ..sample
            };
            i
        }
        None => {
            state.samples.push(sample);
            state.samples.len() - 1
        }
    };
    match non_detect {
        None => ctx.note(json!({ "entered_sample": sample_idx, "point": point_id, "mg_l": mg_l })),
        Some(_) => ctx.note(json!({
            "entered_sample": sample_idx,
            "point": point_id,
            "non_detect_below_mg_l": detection_limit_mg_l
        })),
    }
    apply_termination_rule(&mut state, incident, point_id, now);
    notice(&state, ctx, super::Notice::ResultKnown { sample: sample_idx })?;
    let over = if mg_l > limit_mg_l { " (over the limit)" } else { "" };
    let fit = refit_mass(world, ctx, incident)?;
    let (value, value_text) = match non_detect {
        None => (
            format!("{mg_l} mg/L"),
            Text::new("tl-live-value", vec![("value", plain(mg_l))]),
        ),
        Some(_) => (
            format!("not detected (below {detection_limit_mg_l} mg/L)"),
            Text::new("tl-live-not-detected", vec![("limit", plain(detection_limit_mg_l))]),
        ),
    };
    Ok(Ok(Said::new(
        format!(
            "{value} at {point_id} taken {}{over}; {}",
            taken_at.clock_label(),
            fit.english
        ),
        "tl-live-result",
        vec![
            ("value", Arg::text(value_text)),
            ("point", Arg::name(point_id)),
            ("at", Arg::at(taken_at)),
            (
                "over",
                Arg::optional((mg_l > limit_mg_l).then(|| Text::new("tl-live-over-limit", vec![]))),
            ),
            ("fit", Arg::text(fit.text)),
        ],
    )))
}

/// Results used to fit the mass: (plan forecast, result) [mg/L] where the result is above
/// the method's detection limit and the plan forecast there and then is established (over
/// a tenth of the point's forecast peak, as for the drill's revision rule).
pub fn fit_pairs(state: &ResponseState, incident: usize) -> Vec<(f64, f64)> {
    let Some(plan) = state.plans[incident].as_ref() else {
        return Vec::new();
    };
    let detection = Catalogue::builtin()
        .instrument(&plan.method)
        .map_or(0.0, |i| i.detection_limit_mg_l);
    state
        .samples
        .iter()
        .filter(|s| s.incident == incident && s.result_known && s.reported_mg_l > 0.0 && s.reported_mg_l >= detection)
        .filter_map(|s| {
            let point = plan
                .points
                .iter()
                .find(|p| p.id == s.point_id && p.role != Role::UpstreamControl)?;
            let forecast = point
                .forecast_at(s.taken_at)
                .filter(|f| *f > 0.0 && *f > 0.1 * point.forecast_peak_mg_l)?;
            Some((forecast, s.reported_mg_l))
        })
        .collect()
}

/// The least-squares scale `k` of the forecast to the results, minimising
/// Σ (y − k f)²: k = Σ f y / Σ f². Concentration is linear in the released mass, so k
/// times the assumed mass is the mass that fits the results best.
pub fn least_squares_scale(pairs: &[(f64, f64)]) -> Option<f64> {
    let ff: f64 = pairs.iter().map(|(f, _)| f * f).sum();
    let fy: f64 = pairs.iter().map(|(f, y)| f * y).sum();
    (ff > 0.0 && fy.is_finite()).then(|| fy / ff)
}

/// Fits the estimated mass to every result of a live incident; when the fit differs from
/// the plan's estimate by more than [`REVISION_FACTOR`] either way, the plan is revised
/// with the fitted mass (at most [`PLAN_REVISIONS_MAX`] times). Returns what it did.
fn refit_mass(world: &mut World, ctx: &mut Context<'_, Event>, incident: usize) -> Result<Said, KernelError> {
    let now = ctx.now();
    let state = world.resource::<ResponseState>();
    let Some(plan) = state.plans[incident].as_ref() else {
        return Ok(Said::new(
            "no plan yet to compare it with",
            "tl-live-fit-no-plan",
            vec![],
        ));
    };
    let pairs = fit_pairs(state, incident);
    let Some(scale) = least_squares_scale(&pairs) else {
        return Ok(Said::new(
            "no result yet where the forecast plume is established: the estimate stays",
            "tl-live-fit-none",
            vec![],
        ));
    };
    let n = pairs.len();
    let scale_text = format!("{scale:.2}");
    if (1.0 / REVISION_FACTOR..=REVISION_FACTOR).contains(&scale) {
        return Ok(Said::new(
            format!("the results fit the estimate (scale {scale_text} over {n})"),
            "tl-live-fit-kept",
            vec![("scale", plain(&scale_text)), ("results", plain(n))],
        ));
    }
    if state.incidents[incident].mass_revisions >= PLAN_REVISIONS_MAX {
        return Ok(Said::new(
            format!(
                "the results suggest ×{scale_text} but the estimate was already revised {PLAN_REVISIONS_MAX} times: revise it by hand"
            ),
            "tl-live-fit-revised-enough",
            vec![("scale", plain(&scale_text)), ("max", plain(PLAN_REVISIONS_MAX))],
        ));
    }
    let (before_kg, revision) = (plan.estimated_mass_kg, plan.revision + 1);
    let mass_kg = before_kg * scale;
    let plan = regenerate(world, incident, mass_kg, revision, now)?;
    world.resource_mut::<ResponseState>().incidents[incident].mass_revisions += 1;
    ctx.note(json!({ "mass_fit_scale": scale, "results": n, "mass_kg": mass_kg }));
    install_plan(world, plan, ctx)?;
    let mut state = world.resource_mut::<ResponseState>();
    request_dispatch(&mut state, ctx)?;
    Ok(Said::new(
        format!(
            "estimated mass revised {before_kg:.0} → {mass_kg:.0} kg (least-squares ×{scale_text} over {n} results), plan r{revision}"
        ),
        "tl-live-fit-revised",
        vec![
            ("before", plain(format!("{before_kg:.0}"))),
            ("after", plain(format!("{mass_kg:.0}"))),
            ("scale", plain(&scale_text)),
            ("results", plain(n)),
            ("revision", plain(revision)),
        ],
    ))
}
