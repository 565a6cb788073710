//! The closed set of simulation events. Each kind has exactly one handler, registered by
//! the module that owns it (see `Kernel::on`).

use crate::kernel::SimEvent;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// Advance transport to now and sample the named points (transport module).
    TransportStep,
    /// A release begins (transport module). Carries its description for the journal.
    ReleaseStart {
        release: usize,
        pollutant: String,
        mass_kg: f64,
        location: String,
        duration_s: i64,
    },
    /// The flow regime changes, e.g. the Taipu Gate raises its discharge (transport module).
    FlowChange { regime: usize, regime_id: String },
    /// An automatic station or buoy takes its reading (response module).
    StationReading { point: usize },
    /// An incident becomes known to the authorities (response module).
    Discovery { incident: usize, by: String },
    /// The unified monitoring plan of an incident is issued (response module).
    PlanIssued { incident: usize },
    /// A sampling task opens for dispatch (response module).
    TaskOpen { task: usize },
    /// County policy: mutual aid for a task is granted (response module).
    MutualAid { task: usize },
    /// Open tasks are matched with idle teams, all at once in the policy's order, after every
    /// other event of the same moment (response module).
    DispatchRound,
    /// A team reaches the water at a task's point, at the end of its `trip`-th trip; an
    /// aborted trip's arrival is ignored (response module).
    TeamArrives { team: usize, task: usize, trip: u32 },
    /// A sample is taken (response module).
    SampleTaken { team: usize, task: usize },
    /// The result of a sample is known (response module).
    ResultReady { sample: usize },
    /// The response tells the drill engine what just happened (drill module).
    Notice(crate::response::Notice),
    /// A timeline inject of the drill's MSEL is delivered (drill module).
    Inject { inject: usize },
    /// A contingency inject's deadline: it fires if its expected action has not happened
    /// (drill module).
    ContingencyCheck { contingency: usize },
    /// A seat acts: a person at the console or a simulated player, the same way (drill
    /// module).
    Action {
        seat: crate::drill::Seat,
        action: crate::drill::Action,
        /// A person's action: how many events the session had handled when it was
        /// submitted, so a replay applies it at exactly the same place between events.
        #[serde(skip_serializing_if = "Option::is_none", default)]
        after_events: Option<u64>,
        /// An action sent to the exercise server: who sent it and the id their client gave
        /// it. Such an action is checked against the seat's permissions when it is handled
        /// (a refusal is journaled with its reason); a console's or a simulated player's
        /// action has none.
        #[serde(skip_serializing_if = "Option::is_none", default)]
        request: Option<crate::drill::permissions::Request>,
    },
    /// A scripted disruption begins or ends: breakdown, closure, failure (drill module).
    Disruption { disruption: usize, begins: bool },
    /// The `number`-th express report (快报) of an incident's monitoring is issued
    /// (response module).
    ExpressReport { incident: usize, number: u32 },
    /// A plan edit of a plan-edit file falls due in a plain run (response module; in a
    /// drill the same edit is a seat's [`Event::Action`]).
    PlanEdit {
        by: crate::response::edit::Editor,
        incident: usize,
        edit: crate::response::edit::EditRequest,
    },
}

impl SimEvent for Event {
    const KINDS: &'static [&'static str] = &[
        "transport_step",
        "release_start",
        "flow_change",
        "station_reading",
        "discovery",
        "plan_issued",
        "task_open",
        "mutual_aid",
        "dispatch_round",
        "team_arrives",
        "sample_taken",
        "result_ready",
        "notice",
        "inject",
        "contingency_check",
        "action",
        "disruption",
        "express_report",
        "plan_edit",
    ];

    fn kind_index(&self) -> usize {
        match self {
            Event::TransportStep => 0,
            Event::ReleaseStart { .. } => 1,
            Event::FlowChange { .. } => 2,
            Event::StationReading { .. } => 3,
            Event::Discovery { .. } => 4,
            Event::PlanIssued { .. } => 5,
            Event::TaskOpen { .. } => 6,
            Event::MutualAid { .. } => 7,
            Event::DispatchRound => 8,
            Event::TeamArrives { .. } => 9,
            Event::SampleTaken { .. } => 10,
            Event::ResultReady { .. } => 11,
            Event::Notice(_) => 12,
            Event::Inject { .. } => 13,
            Event::ContingencyCheck { .. } => 14,
            Event::Action { .. } => 15,
            Event::Disruption { .. } => 16,
            Event::ExpressReport { .. } => 17,
            Event::PlanEdit { .. } => 18,
        }
    }
}
