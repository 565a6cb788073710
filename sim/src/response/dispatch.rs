//! Dispatch policies behind one interface: which team may take a task, in what order
//! tasks are served, and whether a task needs mutual aid. A policy is two independent
//! switches, so that what each is worth can be measured apart:
//! - **pooling** — `County`: each jurisdiction's teams stay inside its borders, backed by
//!   the city centres that back it (`backs` in the scenario), other help only as mutual
//!   aid on request after `mutual_aid_delay`; `Pooled`: the Executive Committee sends any
//!   team anywhere (统筹调度);
//! - **ranking** — `DueTime`: open tasks are served by due time; `Plume`: by response
//!   level, then the point the plume reaches first, intakes before border sections.
//!
//! `county` is County + DueTime and `unified` is Pooled + Plume, the two ways of working
//! the action plan compares; `pooled_due` and `county_plume` are the other two cells of the
//! 2 × 2 design.

use super::{Task, TaskStatus};
use crate::plan::Role;
use crate::scenario::{ResponseLevel, Scenario, Team};
use crate::time::SimTime;
use serde::{Deserialize, Serialize};

/// Who may be sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pooling {
    County,
    Pooled,
}

/// How open tasks are ranked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ranking {
    DueTime,
    Plume,
}

/// The four cells of pooling × ranking.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyKind {
    /// County pooling, due-time ranking: county by county.
    County,
    /// Pooled teams, plume ranking: unified dispatch by the Executive Committee.
    Unified,
    /// Pooled teams, due-time ranking: pooling alone.
    PooledDue,
    /// County pooling, plume ranking: ranking alone.
    CountyPlume,
}

impl PolicyKind {
    /// The 2 × 2 design in the order reports show it.
    pub const FACTORIAL: [PolicyKind; 4] = [
        PolicyKind::County,
        PolicyKind::CountyPlume,
        PolicyKind::PooledDue,
        PolicyKind::Unified,
    ];

    /// Names a user types: `county`, `unified`, `pooled_due` (or `pooled-due`),
    /// `county_plume` (or `county-plume`).
    pub fn parse(text: &str) -> Option<PolicyKind> {
        match text.replace('-', "_").as_str() {
            "county" => Some(PolicyKind::County),
            "unified" => Some(PolicyKind::Unified),
            "pooled_due" => Some(PolicyKind::PooledDue),
            "county_plume" => Some(PolicyKind::CountyPlume),
            _ => None,
        }
    }

    /// The name `parse` reads and reports print.
    pub fn name(self) -> &'static str {
        match self {
            PolicyKind::County => "county",
            PolicyKind::Unified => "unified",
            PolicyKind::PooledDue => "pooled_due",
            PolicyKind::CountyPlume => "county_plume",
        }
    }

    pub fn pooling(self) -> Pooling {
        match self {
            PolicyKind::County | PolicyKind::CountyPlume => Pooling::County,
            PolicyKind::Unified | PolicyKind::PooledDue => Pooling::Pooled,
        }
    }

    pub fn ranking(self) -> Ranking {
        match self {
            PolicyKind::County | PolicyKind::PooledDue => Ranking::DueTime,
            PolicyKind::Unified | PolicyKind::CountyPlume => Ranking::Plume,
        }
    }

    pub fn policy(self) -> Box<dyn DispatchPolicy> {
        Box::new(Switches(self))
    }
}

/// A dispatch policy. Implementations must be pure and deterministic.
pub trait DispatchPolicy: Send + Sync {
    fn kind(&self) -> PolicyKind;
    /// May this team take this task now?
    fn eligible(&self, scenario: &Scenario, team: &Team, task: &Task) -> bool;
    /// Order in which open tasks are served (smaller first); ties by task index.
    /// `levels` holds each incident's response level now.
    fn priority(&self, levels: &[ResponseLevel], task: &Task) -> (u32, i64, u32);
    /// Should a task that no eligible team can take ask another jurisdiction for help?
    fn requests_mutual_aid(&self) -> bool;
}

/// The policy of one cell, from its two switches.
struct Switches(PolicyKind);

impl DispatchPolicy for Switches {
    fn kind(&self) -> PolicyKind {
        self.0
    }

    fn eligible(&self, scenario: &Scenario, team: &Team, task: &Task) -> bool {
        match self.0.pooling() {
            Pooling::Pooled => true,
            Pooling::County => {
                team.jurisdiction == task.jurisdiction
                    || scenario.jurisdictions[team.jurisdiction]
                        .backs
                        .contains(&task.jurisdiction)
                    || task.mutual_aid_granted
            }
        }
    }

    fn priority(&self, levels: &[ResponseLevel], task: &Task) -> (u32, i64, u32) {
        match self.0.ranking() {
            Ranking::DueTime => (0, task.due.seconds(), 0),
            Ranking::Plume => {
                // Higher response levels (I is the highest) first; within a level,
                // follow the plume: the point it reaches soonest first (that sample
                // confirms the plume on its way to the intakes), then by role (intakes
                // before border sections…). Points the plume does not reach (the
                // control section) wait for the rest.
                let level = levels[task.incident] as u32;
                let arrival = task
                    .forecast_arrival
                    .map_or(i64::MAX, |t| t.seconds().max(task.due.seconds()));
                (level, arrival, role_rank(task.role))
            }
        }
    }

    fn requests_mutual_aid(&self) -> bool {
        self.0.pooling() == Pooling::County
    }
}

/// Intakes first, then border sections, then the release site, a lake's outlets, then the
/// rest (tie-break).
fn role_rank(role: Role) -> u32 {
    match role {
        Role::Intake => 0,
        Role::BorderSection => 1,
        Role::ReleaseSite => 2,
        Role::Outlet => 3,
        Role::Downstream | Role::LakeFan => 4,
        Role::UpstreamControl => 5,
        Role::Section => 6,
    }
}

/// Open tasks in the order the policy serves them.
pub fn serving_order(
    policy: &dyn DispatchPolicy,
    levels: &[ResponseLevel],
    tasks: &[Task],
    now: SimTime,
) -> Vec<usize> {
    let mut open: Vec<usize> = (0..tasks.len())
        .filter(|&i| tasks[i].status == TaskStatus::Open && tasks[i].opened_at.is_some_and(|t| t <= now))
        .collect();
    open.sort_by_key(|&i| (policy.priority(levels, &tasks[i]), i));
    open
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_four_cells_are_the_four_pairs_of_switches_and_their_names_parse_back() {
        let pairs: Vec<(Pooling, Ranking)> = PolicyKind::FACTORIAL
            .iter()
            .map(|k| (k.pooling(), k.ranking()))
            .collect();
        for pooling in [Pooling::County, Pooling::Pooled] {
            for ranking in [Ranking::DueTime, Ranking::Plume] {
                assert_eq!(pairs.iter().filter(|p| **p == (pooling, ranking)).count(), 1);
            }
        }
        for kind in PolicyKind::FACTORIAL {
            assert_eq!(PolicyKind::parse(kind.name()), Some(kind));
            assert_eq!(PolicyKind::parse(&kind.name().replace('_', "-")), Some(kind));
        }
        assert_eq!(PolicyKind::parse("factorial"), None);
        assert_eq!(PolicyKind::Unified.policy().kind(), PolicyKind::Unified);
        assert!(PolicyKind::County.policy().requests_mutual_aid());
        assert!(!PolicyKind::PooledDue.policy().requests_mutual_aid());
    }
}
