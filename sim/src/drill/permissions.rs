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

use super::engine::DrillSetup;
use super::{Action, Seat};
use crate::response::ResponseState;
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
pub fn check(world: &World, seat: Seat, action: &Action) -> Result<(), String> {
    let setup = world.resource::<DrillSetup>();
    let scenario = &setup.drill.scenario;
    check_indices(action, scenario, setup.drill.injects.len())?;
    if let Seat::Jurisdiction(j) = seat
        && j >= scenario.jurisdictions.len()
    {
        return Err(format!("no jurisdiction {j}"));
    }
    match seat {
        Seat::Evaluator => match action {
            Action::Observe { .. } => Ok(()),
            _ => Err("the evaluator's seat is read-only: it records observations (observe)".to_string()),
        },
        Seat::Observer => Err("the observer's seat is read-only".to_string()),
        _ if matches!(action, Action::Observe { .. }) => Err("only an evaluator records observations".to_string()),
        Seat::Controller => match action {
            Action::ReleaseInject { .. } | Action::Acknowledge { .. } => Ok(()),
            _ => Err("a controller releases injects and runs the clock; the players act".to_string()),
        },
        Seat::Command => match action {
            Action::ReleaseInject { .. } => Err("only a controller releases injects".to_string()),
            _ => Ok(()),
        },
        Seat::Jurisdiction(j) => jurisdiction_may(world, scenario, j, action),
    }
}

/// What a jurisdiction's seat may do: act on what is its own.
fn jurisdiction_may(world: &World, scenario: &Scenario, j: usize, action: &Action) -> Result<(), String> {
    let own = &scenario.jurisdictions[j].id;
    match action {
        Action::Acknowledge { .. } | Action::MediaStatement => Ok(()),
        Action::Observe { .. } => Err("only an evaluator records observations".to_string()),
        Action::Notify { to, .. } if *to == j => Err(format!("{own} cannot notify itself")),
        Action::Notify { .. } => Ok(()),
        Action::Dispatch { team, .. } => {
            let team = &scenario.teams[*team];
            if team.jurisdiction == j {
                Ok(())
            } else {
                Err(format!(
                    "{} is a team of {}: {own} dispatches its own teams, the joint command any",
                    team.id, scenario.jurisdictions[team.jurisdiction].id
                ))
            }
        }
        Action::RequestSample { point } | Action::IntakeAdvice { point, .. } => {
            let p = &scenario.points[*point];
            if p.jurisdiction == j {
                Ok(())
            } else {
                Err(format!(
                    "{} is a point of {}: {own} acts on its own points",
                    p.id, scenario.jurisdictions[p.jurisdiction].id
                ))
            }
        }
        Action::RequestMutualAid { incident, point } | Action::EnterResult { incident, point, .. } => {
            match plan_point_jurisdiction(world, scenario, *incident, point) {
                Some(owner) if owner == j => Ok(()),
                Some(owner) => Err(format!(
                    "{point} is a point of {}: {own} acts on its own points",
                    scenario.jurisdictions[owner].id
                )),
                None => Err(format!("{point} is not a point of incident {incident}'s plan")),
            }
        }
        Action::ReleaseInject { .. } => Err("only a controller releases injects".to_string()),
        Action::SetPolicy { .. } => Err("only the joint command changes the dispatch policy".to_string()),
        Action::ApprovePlan { .. } => Err("only the joint command approves the unified plan".to_string()),
        Action::AddPlanPoint { .. } | Action::RemovePlanPoint { .. } | Action::SetPlanInterval { .. } => {
            Err("only the joint command edits the unified plan".to_string())
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
pub fn declaration_may(scenario: &Scenario, seat: Seat, action: &Action) -> Result<(), String> {
    let j = match seat {
        Seat::Command => return Ok(()),
        Seat::Jurisdiction(j) => j,
        _ => return Err("only the joint command and the jurisdiction where it happens declare incidents".to_string()),
    };
    if j >= scenario.jurisdictions.len() {
        return Err(format!("no jurisdiction {j}"));
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
pub fn revision_may(
    scenario: &Scenario,
    seat: Seat,
    incident_id: &str,
    owner: usize,
    place: &str,
) -> Result<(), String> {
    let j = match seat {
        Seat::Command => return Ok(()),
        Seat::Jurisdiction(j) => j,
        _ => return Err("only the joint command and the jurisdiction where it happens declare incidents".to_string()),
    };
    let Some(own) = scenario.jurisdictions.get(j).map(|x| &x.id) else {
        return Err(format!("no jurisdiction {j}"));
    };
    if owner != j {
        let owner = scenario
            .jurisdictions
            .get(owner)
            .map_or("another jurisdiction", |x| x.id.as_str());
        return Err(format!(
            "{incident_id} is an incident of {owner}: {own} revises its own incidents, the joint command any"
        ));
    }
    place_may(scenario, j, place)
}

/// A jurisdiction declares in its own water only.
fn place_may(scenario: &Scenario, j: usize, place: &str) -> Result<(), String> {
    let own = &scenario.jurisdictions[j].id;
    match crate::response::edit::place_of(scenario, place) {
        Ok((_, _, owner)) if owner != j => Err(format!(
            "{} is in {}: {own} declares incidents in its own water, the joint command anywhere",
            place.trim(),
            scenario.jurisdictions[owner].id
        )),
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

/// Every index the action carries is within its list.
pub fn check_indices(action: &Action, scenario: &Scenario, n_injects: usize) -> Result<(), String> {
    let within = |what: &str, idx: usize, len: usize| {
        if idx < len {
            Ok(())
        } else {
            Err(format!("no {what} {idx} (there are {len})"))
        }
    };
    let (n_points, n_incidents) = (scenario.points.len(), scenario.incidents.len());
    let incident_opt = |incident: &Option<usize>| incident.map_or(Ok(()), |i| within("incident", i, n_incidents));
    match action {
        Action::Acknowledge { inject } | Action::ReleaseInject { inject } => within("inject", *inject, n_injects),
        Action::Notify { to, incident } => {
            within("jurisdiction", *to, scenario.jurisdictions.len())?;
            incident_opt(incident)
        }
        Action::RequestSample { point } => within("point", *point, n_points),
        Action::IntakeAdvice { point, incident, .. } => {
            within("point", *point, n_points)?;
            incident_opt(incident)
        }
        Action::Dispatch { team, point } => {
            within("team", *team, scenario.teams.len())?;
            within("point", *point, n_points)
        }
        Action::ApprovePlan { incident, .. }
        | Action::AddPlanPoint { incident, .. }
        | Action::RemovePlanPoint { incident, .. }
        | Action::SetPlanInterval { incident, .. }
        | Action::RequestMutualAid { incident, .. }
        | Action::ReviseIncident { incident, .. }
        | Action::EnterResult { incident, .. } => within("incident", *incident, n_incidents),
        Action::MediaStatement | Action::SetPolicy { .. } | Action::DeclareIncident { .. } => Ok(()),
        Action::Observe { text, target } => {
            let n_chars = text.chars().count();
            if text.trim().is_empty() {
                Err("an observation says something: its text is empty".to_string())
            } else if n_chars > super::OBSERVATION_CHARS_MAX {
                Err(format!(
                    "an observation is at most {} characters, this one {n_chars}",
                    super::OBSERVATION_CHARS_MAX
                ))
            } else if target
                .as_ref()
                .is_some_and(|t| t.chars().count() > super::OBSERVATION_TARGET_CHARS_MAX)
            {
                Err(format!(
                    "an observation's target is at most {} characters",
                    super::OBSERVATION_TARGET_CHARS_MAX
                ))
            } else {
                Ok(())
            }
        }
    }
}
