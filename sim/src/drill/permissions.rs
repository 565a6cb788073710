//! What each seat may do, for actions that come from the exercise server: the one rule
//! book the server answers its clients from and the engine applies when it handles their
//! actions (so a refusal is journaled where it happened and a replay refuses it again).
//!
//! - controller: releases injects, acknowledges its own; runs the clock (the server's
//!   business, not an action) and sees the hidden truth (the server's views).
//! - joint command: everything a player does, with any team and any plan: approves and
//!   edits plans, dispatches any team, asks for mutual aid, sets the dispatch policy,
//!   declares incidents and enters results in a live session.
//! - a jurisdiction: its own teams, samples and intakes, its own plan points (mutual aid,
//!   results), acknowledges its injects, notifies the other jurisdictions, speaks to the
//!   media; in a live session, declares and revises the incidents in its own water.
//! - evaluator and observer: read-only.
//!
//! Every index an action carries is checked first: an action from the network names any
//! number, and a handler must never index past the end of a list.
//!
//! A refusal is a [`Said`]: the English the journal, the event log and the exercise
//! server have always shown, and the same sentence as data (the `perm-` messages of
//! `report.ftl`), so that the server answers a seat and a console shows it in the seat's
//! language. Names are scenario ids (`Arg::Name`), shown by their Chinese names there.

use super::engine::DrillSetup;
use super::text::{Arg, Text};
use super::{Action, Seat};
use crate::response::ResponseState;
use crate::response::edit::Said;
use crate::scenario::Scenario;
use bevy_ecs::world::World;
use serde::{Deserialize, Serialize};

/// Who sent an action to the exercise server, and the id their client gave it (unique per
/// seat); journaled with the action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// The seat's name in the seats file.
    pub by: String,
    /// The client's id of the action.
    pub id: u64,
}

/// Whether `seat` may take `action` now: `Err` holds the reason it may not.
pub fn check(world: &World, seat: Seat, action: &Action) -> Result<(), Said> {
    let setup = world.resource::<DrillSetup>();
    let scenario = &setup.drill.scenario;
    check_indices(action, scenario, setup.drill.injects.len())?;
    if let Seat::Jurisdiction(j) = seat
        && j >= scenario.jurisdictions.len()
    {
        return Err(no_jurisdiction(j));
    }
    match seat {
        Seat::Evaluator => match action {
            Action::Observe { .. } => Ok(()),
            _ => Err(said(
                "the evaluator's seat is read-only: it records observations (observe)",
                "perm-evaluator-read-only",
            )),
        },
        Seat::Observer => Err(said("the observer's seat is read-only", "perm-observer-read-only")),
        _ if matches!(action, Action::Observe { .. }) => Err(only_evaluator()),
        Seat::Controller => match action {
            Action::ReleaseInject { .. } | Action::Acknowledge { .. } => Ok(()),
            _ => Err(said(
                "a controller releases injects and runs the clock; the players act",
                "perm-controller",
            )),
        },
        Seat::Command => match action {
            Action::ReleaseInject { .. } => Err(only_controller()),
            _ => Ok(()),
        },
        Seat::Jurisdiction(j) => jurisdiction_may(world, scenario, j, action),
    }
}

/// A refusal without arguments: its English and its message.
fn said(english: &str, id: &'static str) -> Said {
    Said::new(english, id, vec![])
}

fn no_jurisdiction(j: usize) -> Said {
    Said::new(
        format!("no jurisdiction {j}"),
        "perm-no-jurisdiction",
        vec![("index", Arg::plain(j.to_string()))],
    )
}

fn only_evaluator() -> Said {
    said("only an evaluator records observations", "tl-refused-observe")
}

fn only_controller() -> Said {
    said("only a controller releases injects", "tl-refused-release")
}

fn only_command_and_owner() -> Said {
    said(
        "only the joint command and the jurisdiction where it happens declare incidents",
        "perm-declare-who",
    )
}

/// `point` (a scenario point's or a plan point's id) belongs to jurisdiction `owner`.
fn point_of(scenario: &Scenario, point: &str, owner: usize, own: &str) -> Said {
    let owner = &scenario.jurisdictions[owner].id;
    Said::new(
        format!("{point} is a point of {owner}: {own} acts on its own points"),
        "perm-point-of",
        vec![
            ("point", Arg::name(point)),
            ("owner", Arg::name(owner)),
            ("own", Arg::name(own)),
        ],
    )
}

/// What a jurisdiction's seat may do: act on what is its own.
fn jurisdiction_may(world: &World, scenario: &Scenario, j: usize, action: &Action) -> Result<(), Said> {
    let own = &scenario.jurisdictions[j].id;
    match action {
        Action::Acknowledge { .. } | Action::MediaStatement => Ok(()),
        Action::Observe { .. } => Err(only_evaluator()),
        Action::Notify { to, .. } if *to == j => Err(Said::new(
            format!("{own} cannot notify itself"),
            "perm-notify-itself",
            vec![("own", Arg::name(own))],
        )),
        Action::Notify { .. } => Ok(()),
        Action::Dispatch { team, .. } => {
            let team = &scenario.teams[*team];
            if team.jurisdiction == j {
                Ok(())
            } else {
                let owner = &scenario.jurisdictions[team.jurisdiction].id;
                Err(Said::new(
                    format!(
                        "{} is a team of {owner}: {own} dispatches its own teams, the joint command any",
                        team.id
                    ),
                    "perm-team-of",
                    vec![
                        ("team", Arg::name(&team.id)),
                        ("owner", Arg::name(owner)),
                        ("own", Arg::name(own)),
                    ],
                ))
            }
        }
        Action::RequestSample { point } | Action::IntakeAdvice { point, .. } => {
            let p = &scenario.points[*point];
            if p.jurisdiction == j {
                Ok(())
            } else {
                Err(point_of(scenario, &p.id, p.jurisdiction, own))
            }
        }
        Action::RequestMutualAid { incident, point } | Action::EnterResult { incident, point, .. } => {
            match plan_point_jurisdiction(world, scenario, *incident, point) {
                Some(owner) if owner == j => Ok(()),
                Some(owner) => Err(point_of(scenario, point, owner, own)),
                None => Err(Said::new(
                    format!("{point} is not a point of incident {incident}'s plan"),
                    "perm-not-plan-point",
                    vec![
                        ("point", Arg::name(point)),
                        ("incident", Arg::plain(incident.to_string())),
                    ],
                )),
            }
        }
        Action::ReleaseInject { .. } => Err(only_controller()),
        Action::SetPolicy { .. } => Err(said(
            "only the joint command changes the dispatch policy",
            "perm-policy",
        )),
        Action::ApprovePlan { .. } => Err(said("only the joint command approves the unified plan", "perm-approve")),
        Action::AddPlanPoint { .. } | Action::RemovePlanPoint { .. } | Action::SetPlanInterval { .. } => {
            Err(said("only the joint command edits the unified plan", "perm-edit"))
        }
        Action::DeclareIncident { .. } | Action::ReviseIncident { .. } => {
            declaration_may(scenario, Seat::Jurisdiction(j), action)
        }
    }
}

/// Who may declare or revise a live incident: the joint command anywhere; a jurisdiction
/// where the incident is. The county in whose water it happens is the first to know (its
/// enterprise calls it, its station alarms, its team is on site) and is bound to report it
/// at once, before any joint command exists; it corrects its own report as it learns
/// more. It does not declare an incident in a neighbour's water, nor move its own there:
/// that is the neighbour's report or the joint command's call. A place that names
/// nothing passes here; the declaration's own check refuses it, naming the field.
pub fn declaration_may(scenario: &Scenario, seat: Seat, action: &Action) -> Result<(), Said> {
    let j = match seat {
        Seat::Command => return Ok(()),
        Seat::Jurisdiction(j) => j,
        _ => return Err(only_command_and_owner()),
    };
    if j >= scenario.jurisdictions.len() {
        return Err(no_jurisdiction(j));
    }
    let declaration = match action {
        Action::DeclareIncident { declaration } => declaration,
        Action::ReviseIncident { incident, declaration } => {
            let incident = &scenario.incidents[*incident];
            return revision_may(scenario, seat, &incident.id, incident.jurisdiction, &declaration.place);
        }
        _ => return Ok(()),
    };
    place_may(scenario, j, &declaration.place)
}

/// Who may revise an incident (`incident_id`, in the water of jurisdiction `owner`) to
/// `place`: the rule of [`declaration_may`] for a revision, from what a front end's view
/// holds (the console asks it before it offers a revision from the source estimate).
pub fn revision_may(scenario: &Scenario, seat: Seat, incident_id: &str, owner: usize, place: &str) -> Result<(), Said> {
    let j = match seat {
        Seat::Command => return Ok(()),
        Seat::Jurisdiction(j) => j,
        _ => return Err(only_command_and_owner()),
    };
    let Some(own) = scenario.jurisdictions.get(j).map(|x| &x.id) else {
        return Err(no_jurisdiction(j));
    };
    if owner != j {
        let (owner_english, owner_arg) = match scenario.jurisdictions.get(owner) {
            Some(x) => (x.id.as_str(), Arg::name(&x.id)),
            None => (
                "another jurisdiction",
                Arg::text(Text::new("perm-another-jurisdiction", vec![])),
            ),
        };
        return Err(Said::new(
            format!(
                "{incident_id} is an incident of {owner_english}: {own} revises its own incidents, the joint command any"
            ),
            "perm-incident-of",
            vec![
                ("incident", Arg::Incident(incident_id.to_string())),
                ("owner", owner_arg),
                ("own", Arg::name(own)),
            ],
        ));
    }
    place_may(scenario, j, place)
}

/// A jurisdiction declares in its own water only.
fn place_may(scenario: &Scenario, j: usize, place: &str) -> Result<(), Said> {
    let own = &scenario.jurisdictions[j].id;
    match crate::response::edit::place_of(scenario, place) {
        Ok((_, _, owner)) if owner != j => {
            let owner = &scenario.jurisdictions[owner].id;
            Err(Said::new(
                format!(
                    "{} is in {owner}: {own} declares incidents in its own water, the joint command anywhere",
                    place.trim()
                ),
                "perm-place-in",
                vec![
                    ("place", Arg::plain(place.trim())),
                    ("owner", Arg::name(owner)),
                    ("own", Arg::name(own)),
                ],
            ))
        }
        _ => Ok(()),
    }
}

/// The jurisdiction that samples a point of an incident's plan (a named point's own
/// jurisdiction when the plan does not list it).
fn plan_point_jurisdiction(world: &World, scenario: &Scenario, incident: usize, point: &str) -> Option<usize> {
    let state = world.resource::<ResponseState>();
    state
        .plans
        .get(incident)
        .and_then(Option::as_ref)
        .and_then(|plan| plan.points.iter().find(|p| p.id == point))
        .map(|p| p.jurisdiction)
        .or_else(|| scenario.point_idx(point).map(|p| scenario.points[p].jurisdiction))
}

/// What a list holds, for a refusal of an index past its end: the English word and the
/// message that names it.
#[derive(Clone, Copy)]
enum Listed {
    Incident,
    Inject,
    Jurisdiction,
    Point,
    Team,
}

impl Listed {
    fn word(self) -> (&'static str, &'static str) {
        match self {
            Listed::Incident => ("incident", "perm-list-incident"),
            Listed::Inject => ("inject", "perm-list-inject"),
            Listed::Jurisdiction => ("jurisdiction", "perm-list-jurisdiction"),
            Listed::Point => ("point", "perm-list-point"),
            Listed::Team => ("team", "perm-list-team"),
        }
    }
}

/// Every index the action carries is within its list.
pub fn check_indices(action: &Action, scenario: &Scenario, n_injects: usize) -> Result<(), Said> {
    let within = |what: Listed, idx: usize, len: usize| {
        if idx < len {
            Ok(())
        } else {
            let (word, id) = what.word();
            Err(Said::new(
                format!("no {word} {idx} (there are {len})"),
                "perm-no-index",
                vec![
                    ("what", Arg::text(Text::new(id, vec![]))),
                    ("index", Arg::plain(idx.to_string())),
                    ("count", Arg::plain(len.to_string())),
                ],
            ))
        }
    };
    let (n_points, n_incidents) = (scenario.points.len(), scenario.incidents.len());
    let incident_opt = |incident: &Option<usize>| incident.map_or(Ok(()), |i| within(Listed::Incident, i, n_incidents));
    match action {
        Action::Acknowledge { inject } | Action::ReleaseInject { inject } => within(Listed::Inject, *inject, n_injects),
        Action::Notify { to, incident } => {
            within(Listed::Jurisdiction, *to, scenario.jurisdictions.len())?;
            incident_opt(incident)
        }
        Action::RequestSample { point } => within(Listed::Point, *point, n_points),
        Action::IntakeAdvice { point, incident, .. } => {
            within(Listed::Point, *point, n_points)?;
            incident_opt(incident)
        }
        Action::Dispatch { team, point } => {
            within(Listed::Team, *team, scenario.teams.len())?;
            within(Listed::Point, *point, n_points)
        }
        Action::ApprovePlan { incident, .. }
        | Action::AddPlanPoint { incident, .. }
        | Action::RemovePlanPoint { incident, .. }
        | Action::SetPlanInterval { incident, .. }
        | Action::RequestMutualAid { incident, .. }
        | Action::ReviseIncident { incident, .. }
        | Action::EnterResult { incident, .. } => within(Listed::Incident, *incident, n_incidents),
        Action::MediaStatement | Action::SetPolicy { .. } | Action::DeclareIncident { .. } => Ok(()),
        Action::Observe { text, target } => observation_fits(text, target.as_deref()),
    }
}

/// An observation says something, within the limits of its text and target.
fn observation_fits(text: &str, target: Option<&str>) -> Result<(), Said> {
    let n_chars = text.chars().count();
    let (text_max, target_max) = (super::OBSERVATION_CHARS_MAX, super::OBSERVATION_TARGET_CHARS_MAX);
    if text.trim().is_empty() {
        Err(said(
            "an observation says something: its text is empty",
            "perm-observation-empty",
        ))
    } else if n_chars > text_max {
        Err(Said::new(
            format!("an observation is at most {text_max} characters, this one {n_chars}"),
            "perm-observation-long",
            vec![
                ("max", Arg::plain(text_max.to_string())),
                ("count", Arg::plain(n_chars.to_string())),
            ],
        ))
    } else if target.is_some_and(|t| t.chars().count() > target_max) {
        Err(Said::new(
            format!("an observation's target is at most {target_max} characters"),
            "perm-observation-target-long",
            vec![("max", Arg::plain(target_max.to_string()))],
        ))
    } else {
        Ok(())
    }
}
