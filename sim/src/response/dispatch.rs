//! Dispatch policies behind one interface: which team may take a task, in what order
//! tasks are served, and whether a task needs mutual aid. `County` keeps each
//! jurisdiction's teams inside its borders (aid on request, after a delay); `Unified` is the
//! Executive Committee pooling every team (统筹调度).

use super::{Task, TaskStatus};
use crate::plan::Role;
use crate::scenario::{Scenario, Team};
use crate::time::SimTime;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyKind {
    County,
    Unified,
}

impl PolicyKind {
    pub fn parse(text: &str) -> Option<PolicyKind> {
        match text {
            "county" => Some(PolicyKind::County),
            "unified" => Some(PolicyKind::Unified),
            _ => None,
        }
    }

    pub fn policy(self) -> Box<dyn DispatchPolicy> {
        match self {
            PolicyKind::County => Box::new(County),
            PolicyKind::Unified => Box::new(Unified),
        }
    }
}

/// A dispatch policy. Implementations must be pure and deterministic.
pub trait DispatchPolicy: Send + Sync {
    fn kind(&self) -> PolicyKind;
    /// May this team take this task now?
    fn eligible(&self, team: &Team, task: &Task) -> bool;
    /// Order in which open tasks are served (smaller first); ties by task index.
    fn priority(&self, scenario: &Scenario, task: &Task) -> (u32, i64, u32);
    /// Should a task that no eligible team can take ask another jurisdiction for help?
    fn requests_mutual_aid(&self) -> bool;
}

pub struct County;

impl DispatchPolicy for County {
    fn kind(&self) -> PolicyKind {
        PolicyKind::County
    }

    fn eligible(&self, team: &Team, task: &Task) -> bool {
        team.jurisdiction == task.jurisdiction || task.mutual_aid_granted
    }

    fn priority(&self, _: &Scenario, task: &Task) -> (u32, i64, u32) {
        (0, task.due.seconds(), 0)
    }

    fn requests_mutual_aid(&self) -> bool {
        true
    }
}

pub struct Unified;

/// Intakes first, then border sections, then the release site, then the rest (tie-break).
fn role_rank(role: Role) -> u32 {
    match role {
        Role::Intake => 0,
        Role::BorderSection => 1,
        Role::ReleaseSite => 2,
        Role::Downstream => 3,
        Role::UpstreamControl => 4,
        Role::Section => 5,
    }
}

impl DispatchPolicy for Unified {
    fn kind(&self) -> PolicyKind {
        PolicyKind::Unified
    }

    fn eligible(&self, _: &Team, _: &Task) -> bool {
        true
    }

    fn priority(&self, scenario: &Scenario, task: &Task) -> (u32, i64, u32) {
        // Higher response levels (I is the highest) first; within a level, follow the
        // plume: the point it reaches soonest first (that sample confirms the plume on its
        // way to the intakes), then by role (intakes before border sections…). Points the
        // plume does not reach (the control section) wait for the rest.
        let level = scenario.incidents[task.incident].response_level as u32;
        let arrival = task
            .forecast_arrival
            .map_or(i64::MAX, |t| t.seconds().max(task.due.seconds()));
        (level, arrival, role_rank(task.role))
    }

    fn requests_mutual_aid(&self) -> bool {
        false
    }
}

/// Open tasks in the order the policy serves them.
pub fn serving_order(policy: &dyn DispatchPolicy, scenario: &Scenario, tasks: &[Task], now: SimTime) -> Vec<usize> {
    let mut open: Vec<usize> = (0..tasks.len())
        .filter(|&i| tasks[i].status == TaskStatus::Open && tasks[i].opened_at.is_some_and(|t| t <= now))
        .collect();
    open.sort_by_key(|&i| (policy.priority(scenario, &tasks[i]), i));
    open
}
