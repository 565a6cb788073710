//! Joint drills. A drill script (rhai, see [`script`]) gives the scenario, the hidden
//! releases, the master scenario events list (MSEL) of injects, contingency and ad-hoc
//! injects, disruptions, and the exercise evaluation guide (objectives → capability
//! targets → critical tasks). The engine ([`engine`]) runs it in the simulation world;
//! people at the console and simulated players act the same way, as [`Action`] events.
//! [`evaluate`] rates every target P / S / M / U from what happened, with the evidence.

pub mod causes;
pub mod clock;
pub mod engine;
pub mod evaluate;
pub mod offer;
pub mod permissions;
pub mod script;
pub mod source;
pub mod text;
pub mod view;

use crate::response::edit::{EditRequest, Editor};
use crate::scenario::Scenario;
use crate::time::{SimDuration, SimTime};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

pub use engine::{DrillConfig, DrillError, DrillOutcome, Session, run};
pub use evaluate::{DrillReport, Rating};

/// Who acts or receives an inject: a jurisdiction's seat, the joint command of the
/// Executive Committee, or the exercise controllers; and the two seats that only watch,
/// the evaluators and the observers (the exercise server's seats: every action they send
/// is refused, see [`permissions`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Seat {
    Jurisdiction(usize),
    Command,
    Controller,
    Evaluator,
    Observer,
}

impl Seat {
    /// The seat's id as scripts and the console write it: a jurisdiction id, `command` or
    /// `controller`.
    pub fn label(self, scenario: &Scenario) -> String {
        match self {
            Seat::Jurisdiction(j) => scenario.jurisdictions[j].id.clone(),
            Seat::Command => "command".to_string(),
            Seat::Controller => "controller".to_string(),
            Seat::Evaluator => "evaluator".to_string(),
            Seat::Observer => "observer".to_string(),
        }
    }

    /// A seat that acts or receives injects, as scripts and the console write it: the
    /// watching seats (evaluator, observer) are not among them.
    pub fn parse(text: &str, scenario: &Scenario) -> Option<Seat> {
        match text {
            "command" => Some(Seat::Command),
            "controller" => Some(Seat::Controller),
            _ => scenario
                .jurisdictions
                .iter()
                .position(|j| j.id == text)
                .map(Seat::Jurisdiction),
        }
    }
}

/// Longest evaluator's observation [characters].
pub const OBSERVATION_CHARS_MAX: usize = 2000;
/// Longest target of an observation [characters].
pub const OBSERVATION_TARGET_CHARS_MAX: usize = 100;

/// What a seat does. A person at the console and a simulated player produce the same
/// actions; both go into the journal as [`crate::event::Event::Action`], from which a
/// replay reads a person's actions back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// The seat confirms it has received an inject (index into [`Drill::injects`]).
    Acknowledge { inject: usize },
    /// The seat notifies a jurisdiction of an incident.
    Notify { to: usize, incident: Option<usize> },
    /// The seat asks for a sample at a named point as soon as possible.
    RequestSample { point: usize },
    /// The seat issues a statement to the media.
    MediaStatement,
    /// The seat recommends closing (or reopening) a drinking-water intake because of an
    /// incident (`None`: no incident named, e.g. a journal written before advice named one).
    IntakeAdvice {
        point: usize,
        close: bool,
        #[serde(default)]
        incident: Option<usize>,
    },
    /// A controller releases an ad-hoc inject (index into [`Drill::injects`]).
    ReleaseInject { inject: usize },
    /// The command sends a team to the next sample due at a named point, overriding the
    /// dispatch policy.
    Dispatch { team: usize, point: usize },
    /// The command changes the dispatch policy from now on.
    SetPolicy {
        policy: crate::response::dispatch::PolicyKind,
    },
    /// The command approves a revision of an incident's plan (a plan is proposed until
    /// then; its sampling does not wait for the approval). `None`: the revision current
    /// when the action applies (a plan-edit file's `approve`).
    ApprovePlan {
        incident: usize,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        revision: Option<u32>,
    },
    /// The command adds a point to an incident's plan: a named point it does not sample, or
    /// one removed earlier (by id).
    AddPlanPoint { incident: usize, point: String },
    /// The command removes a point from an incident's plan (by id).
    RemovePlanPoint { incident: usize, point: String },
    /// The command changes a plan point's sampling interval while the plume passes [min].
    SetPlanInterval {
        incident: usize,
        point: String,
        every_min: u32,
    },
    /// The command or the point's jurisdiction asks the other jurisdictions for help with
    /// the samples at a plan point.
    RequestMutualAid { incident: usize, point: String },
    /// Live incident: the command declares an incident.
    DeclareIncident {
        declaration: crate::response::edit::Declaration,
    },
    /// Live incident: the command revises an incident's declaration.
    ReviseIncident {
        incident: usize,
        declaration: crate::response::edit::Declaration,
    },
    /// An evaluator's observation for the after-action report: what they saw, and whom
    /// or what it is about (a seat, a team, a point; free text). Changes nothing in the
    /// exercise.
    Observe {
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        target: Option<String>,
    },
    /// Live incident: a sample result typed in; a non-detect has `mg_l` 0 and says so
    /// (absent from journals written before non-detects were typed in as such).
    EnterResult {
        incident: usize,
        point: String,
        taken_at: SimTime,
        mg_l: f64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        non_detect: Option<crate::response::edit::NonDetect>,
    },
}

impl Action {
    /// The plan edit this action asks for, if it is one: (incident, request).
    pub fn plan_edit(&self) -> Option<(usize, EditRequest)> {
        let (incident, request) = match self {
            Action::ApprovePlan { incident, revision } => (*incident, EditRequest::Approve { revision: *revision }),
            Action::AddPlanPoint { incident, point } => (*incident, EditRequest::Add { point: point.clone() }),
            Action::RemovePlanPoint { incident, point } => (*incident, EditRequest::Remove { point: point.clone() }),
            Action::SetPlanInterval {
                incident,
                point,
                every_min,
            } => (
                *incident,
                EditRequest::Interval {
                    point: point.clone(),
                    every_min: *every_min,
                },
            ),
            Action::RequestMutualAid { incident, point } => {
                (*incident, EditRequest::MutualAid { point: point.clone() })
            }
            _ => return None,
        };
        Some((incident, request))
    }

    /// The seat and action of a plan edit (the inverse of [`Action::plan_edit`]).
    pub fn of_plan_edit(by: Editor, incident: usize, request: &EditRequest) -> (Seat, Action) {
        let seat = match by {
            Editor::Command => Seat::Command,
            Editor::Jurisdiction(j) => Seat::Jurisdiction(j),
        };
        let action = match request.clone() {
            EditRequest::Approve { revision } => Action::ApprovePlan { incident, revision },
            EditRequest::Add { point } => Action::AddPlanPoint { incident, point },
            EditRequest::Remove { point } => Action::RemovePlanPoint { incident, point },
            EditRequest::Interval { point, every_min } => Action::SetPlanInterval {
                incident,
                point,
                every_min,
            },
            EditRequest::MutualAid { point } => Action::RequestMutualAid { incident, point },
        };
        (seat, action)
    }
}

/// An expected player action: what an inject asks for, and what a contingency inject
/// checks before it fires.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Expectation {
    /// The receiving seat acknowledges the inject.
    Acknowledge,
    /// A notification reaches this jurisdiction.
    Notify { to: usize },
    /// A sample is taken at this named point.
    Sample { point: usize },
    /// A statement to the media.
    MediaStatement,
    /// The intake's owner is advised to close it.
    IntakeAdvice { point: usize },
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InjectKind {
    /// On the MSEL timeline at its time.
    Timeline,
    /// Fires at `by` after the exercise start unless `unless` has happened.
    Contingency { unless: Expectation, by: SimDuration },
    /// Held outside the timeline; a controller releases it by hand.
    Adhoc,
}

/// An entry of the master scenario events list.
#[derive(Clone, Debug, Serialize)]
pub struct Inject {
    /// The MSEL number, e.g. `1`, `C1`, `A1`.
    pub number: String,
    pub kind: InjectKind,
    /// Timeline injects: delivery after the exercise start.
    pub at: SimDuration,
    /// Who the message is from, as the players see it (e.g. "12369 hotline").
    pub from: String,
    pub to: Vec<Seat>,
    /// Delivery channel: phone, fax, platform, radio, media…
    pub channel: String,
    pub message: String,
    /// The Chinese of `from`, `channel` and `message` (`from_zh`… in the script); empty:
    /// the English is shown in Chinese too.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub from_zh: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub channel_zh: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub message_zh: String,
    pub expected: Vec<Expectation>,
    /// Objective id the inject serves.
    pub objective: Option<String>,
    /// Controller notes: never shown to players.
    pub notes: String,
    /// Ad-hoc injects: when the controller releases it in a headless run (after the
    /// exercise start); `None`: only by hand.
    pub release_at: Option<SimDuration>,
    /// Line of the script that defines it.
    pub line: usize,
}

/// Why a team is out of service. Written in `report.json` as the English words it has
/// always had (`vehicle breakdown`); a report names it in its language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum OutOfService {
    /// `breakdown`: the team's vehicle broke down.
    #[serde(rename = "vehicle breakdown")]
    Breakdown,
    /// `short_staffed`: no staff on shift.
    #[serde(rename = "no staff on shift")]
    NoStaff,
}

impl OutOfService {
    /// The reason in English, as the event log and `report.json` show it.
    pub fn english(self) -> &'static str {
        match self {
            OutOfService::Breakdown => "vehicle breakdown",
            OutOfService::NoStaff => "no staff on shift",
        }
    }

    /// The reason's message (`report.ftl`): `tl-reason-breakdown`, `tl-reason-no-staff`.
    pub fn message(self) -> &'static str {
        match self {
            OutOfService::Breakdown => "tl-reason-breakdown",
            OutOfService::NoStaff => "tl-reason-no-staff",
        }
    }
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DisruptionKind {
    /// A vehicle breakdown or a team without staff.
    TeamOutOfService {
        team: usize,
        reason: OutOfService,
    },
    RoadClosed {
        road: usize,
    },
    /// An automatic station or buoy stops reporting.
    StationFailure {
        point: usize,
    },
    /// A team's field kit fails: its samples go to a laboratory.
    KitFailure {
        team: usize,
        instrument: String,
    },
    /// The gate discharge changes the flow regime (no end).
    FlowChange {
        regime: usize,
    },
}

/// A simulated event that makes the exercise harder.
#[derive(Clone, Debug, Serialize)]
pub struct Disruption {
    pub kind: DisruptionKind,
    /// After the exercise start.
    pub at: SimDuration,
    /// How long it lasts; `None`: to the end.
    pub duration: Option<SimDuration>,
    pub note: String,
    pub line: usize,
}

/// How a sample was taken: the means of the team's vehicle in the equipment catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Means {
    /// A river vehicle (boat).
    Boat,
    /// An air vehicle (drone).
    Drone,
    /// A road vehicle that is not a mobile laboratory (sampling van).
    Road,
    /// A road vehicle that is a mobile laboratory.
    MobileLaboratory,
}

impl Means {
    pub const ALL: [Means; 4] = [Means::Boat, Means::Drone, Means::Road, Means::MobileLaboratory];

    /// As scripts write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Means::Boat => "boat",
            Means::Drone => "drone",
            Means::Road => "road",
            Means::MobileLaboratory => "mobile_laboratory",
        }
    }

    pub fn parse(text: &str) -> Option<Means> {
        Means::ALL.into_iter().find(|m| m.as_str() == text)
    }

    /// The means of a catalogue vehicle.
    pub fn of_vehicle(vehicle: &crate::equipment::Vehicle) -> Means {
        use crate::equipment::VehicleMode;
        match vehicle.mode {
            VehicleMode::River => Means::Boat,
            VehicleMode::Air => Means::Drone,
            VehicleMode::Road if vehicle.laboratory => Means::MobileLaboratory,
            VehicleMode::Road => Means::Road,
        }
    }

    /// The means of a scenario team (`None` if its vehicle is not in the built-in
    /// catalogue, which scenario validation rules out).
    pub fn of_team(scenario: &Scenario, team: usize) -> Option<Means> {
        crate::equipment::Catalogue::builtin()
            .vehicle(&scenario.teams[team].vehicle)
            .map(Means::of_vehicle)
    }
}

/// What a critical task measures: when something was done.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// First conclusive sample taken at a named point (by a team of another jurisdiction
    /// than the point's, if `cross_border`; for one incident's pollutant, if `incident` is
    /// set; by a team of that means, if `by` is set).
    FirstSample {
        point: usize,
        cross_border: bool,
        incident: Option<usize>,
        by: Option<Means>,
    },
    /// First result known at a named point (for one incident, if set).
    FirstResult {
        point: usize,
        incident: Option<usize>,
    },
    /// First notification reaching a jurisdiction (from a given one, if set).
    Notification {
        from: Option<usize>,
        to: usize,
    },
    /// The first monitoring plan of an incident.
    PlanIssued {
        incident: usize,
    },
    /// The owner of an intake advised to close it (because of one incident, if set).
    IntakeAdvice {
        point: usize,
        incident: Option<usize>,
    },
    /// The intake's warning confirmed: the first conclusive over-limit result (of one
    /// incident, if set) at the intake or on the plume's path above it.
    Confirmed {
        point: usize,
        incident: Option<usize>,
    },
    /// An inject acknowledged by a seat it went to.
    Acknowledge {
        inject: usize,
    },
    MediaStatement,
    /// The true source of an incident (a risk source of the inventory) first ranked first
    /// by source identification, at or above `probability`, on the results the command
    /// knew ([`source`]).
    SourceIdentified {
        incident: usize,
        probability: f64,
    },
}

/// What a critical task's time is measured from.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reference {
    ExerciseStart,
    /// The true start of an incident's release.
    Release {
        incident: usize,
    },
    /// The incident becoming known (first report or alarm).
    Report {
        incident: usize,
    },
    /// The first of all incidents becoming known.
    FirstReport,
    /// Delivery of an inject.
    Inject {
        inject: usize,
    },
    /// The true plume first over the limit at a named point (simulated truth; a target
    /// measured from it is not applicable when the plume never gets there): of one
    /// incident's pollutant when the task names the incident, else of any incident's.
    Plume {
        point: usize,
        incident: Option<usize>,
    },
}

/// A measurable element of a capability target.
#[derive(Clone, Debug, Serialize)]
pub struct CriticalTask {
    pub title: String,
    /// The title in Chinese; empty: the English is shown.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub title_zh: String,
    pub measure: Measure,
    pub reference: Reference,
    /// Performed no later than this after the reference: P. Negative: before it.
    pub within: SimDuration,
    /// Later by at most `bands[0]`: S; by at most `bands[1]`: M; later or never: U.
    pub bands: [SimDuration; 2],
    pub line: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct Objective {
    pub id: String,
    pub title: String,
    /// The capability it exercises, e.g. "Environmental response / monitoring".
    pub capability: String,
    /// The title and capability in Chinese; empty: the English is shown.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub title_zh: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub capability_zh: String,
}

/// A capability target with its critical tasks; rated by its worst task.
#[derive(Clone, Debug, Serialize)]
pub struct Target {
    pub id: String,
    pub objective: usize,
    pub title: String,
    /// Jurisdiction that owns the corrective action; `None`: the Executive Committee.
    pub owner: Option<usize>,
    /// Corrective action proposed when the target is not rated P.
    pub corrective: String,
    /// The title and corrective action in Chinese; empty: the English is shown.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub title_zh: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub corrective_zh: String,
    /// Days from the exercise to the corrective action's start.
    pub start_days: u32,
    /// Days from the exercise to the corrective action's due date (its completion).
    pub due_days: u32,
    /// Weight in the overall score.
    pub weight: f64,
    pub tasks: Vec<CriticalTask>,
    pub line: usize,
}

/// How fast simulated players act on injects and standard procedures. Each value is an
/// assumption of the simulation (no standard gives them); a script may change any.
#[derive(Clone, Debug, Serialize)]
pub struct Procedures {
    /// From receiving an inject to acknowledging it.
    pub acknowledge: SimDuration,
    /// Unified command: from discovery to the other jurisdictions being notified through
    /// the joint duty platform.
    pub notify_unified: SimDuration,
    /// County by county: from discovery to a neighbouring jurisdiction being notified
    /// through the county, city and provincial duty offices.
    pub notify_county: SimDuration,
    /// From an inject asking for a sample to the request for it.
    pub request_sample: SimDuration,
    /// From an inject asking for it to a media statement.
    pub media_statement: SimDuration,
    /// From a plan forecasting an intake over the limit to the advice to close it.
    pub intake_advice: SimDuration,
    /// From a plan revision to the joint command's approval of it.
    pub approve_plan: SimDuration,
}

impl Default for Procedures {
    fn default() -> Self {
        Procedures {
            acknowledge: SimDuration::from_minutes(5),
            notify_unified: SimDuration::from_minutes(15),
            notify_county: SimDuration::from_minutes(120),
            request_sample: SimDuration::from_minutes(10),
            media_statement: SimDuration::from_minutes(60),
            intake_advice: SimDuration::from_minutes(10),
            approve_plan: SimDuration::from_minutes(15),
        }
    }
}

/// A point of contact of the exercise (HSEEP improvement plan).
#[derive(Clone, Debug, Serialize)]
pub struct Contact {
    /// Role in the exercise, e.g. "Exercise director".
    pub role: String,
    pub name: String,
    pub agency: String,
    /// Telephone or e-mail; may be empty.
    pub reach: String,
    /// The role, name, agency and reach in Chinese; empty: the English is shown.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub role_zh: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name_zh: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub agency_zh: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub reach_zh: String,
}

/// A checked drill: every id resolved against its scenario.
#[derive(Clone, Debug)]
pub struct Drill {
    pub name: String,
    pub description: String,
    /// HSEEP exercise type: tabletop, drill, functional, full-scale.
    pub exercise_type: String,
    /// Calendar date of the exercise as the script gives it (the report uses it for due
    /// dates; nothing reads the wall clock).
    pub date: String,
    /// The scenario as named by the script.
    pub scenario_name: String,
    /// The scenario with the drill's releases as its incidents and its flow regime.
    pub scenario: Arc<Scenario>,
    /// Exercise start on the scenario clock.
    pub start: SimTime,
    pub duration: SimDuration,
    pub injects: Vec<Inject>,
    pub disruptions: Vec<Disruption>,
    pub objectives: Vec<Objective>,
    pub targets: Vec<Target>,
    pub procedures: Procedures,
    /// The exercise sponsor (HSEEP); empty when the script names none.
    pub sponsor: String,
    pub contacts: Vec<Contact>,
    /// Participating agencies by jurisdiction (index into the scenario's), as named by the
    /// script, in English and Chinese (empty: the English is shown); a jurisdiction
    /// without one is shown by its name.
    pub agencies: Vec<(usize, String, String)>,
    /// The drill's name, description and sponsor in Chinese; empty: the English is shown.
    pub name_zh: String,
    pub description_zh: String,
    pub sponsor_zh: String,
    /// A live incident rather than an exercise: nothing is simulated in the water, the
    /// person declares incidents and types in results.
    pub live: bool,
}

impl Drill {
    /// An exercise with no script: the scenario's incidents, no injects and nothing to
    /// evaluate, from half an hour before the first incident for `duration`. For running
    /// a scenario in the console.
    pub fn from_scenario(scenario: Scenario, name: &str, duration: SimDuration) -> Drill {
        let first = scenario
            .incidents
            .iter()
            .map(|i| i.start)
            .min()
            .unwrap_or(SimTime::ZERO);
        let start = SimTime((first.seconds() - 1800).max(0));
        Drill {
            name: scenario.name.clone(),
            description: scenario.description.clone(),
            exercise_type: "functional".to_string(),
            date: String::new(),
            scenario_name: name.to_string(),
            scenario: Arc::new(scenario),
            start,
            duration,
            injects: Vec::new(),
            disruptions: Vec::new(),
            objectives: Vec::new(),
            targets: Vec::new(),
            procedures: Procedures::default(),
            sponsor: String::new(),
            contacts: Vec::new(),
            agencies: Vec::new(),
            name_zh: String::new(),
            description_zh: String::new(),
            sponsor_zh: String::new(),
            live: false,
        }
    }

    /// A live incident on a scenario: none of its scripted incidents, no injects, from
    /// `start` on the scenario clock for `duration`. The person declares what happens.
    pub fn live(scenario: Scenario, name: &str, start: SimTime, duration: SimDuration) -> Drill {
        let mut scenario = scenario;
        scenario.incidents.clear();
        let mut drill = Drill::from_scenario(scenario, name, duration);
        drill.name = format!("LIVE — {}", drill.name);
        drill.start = start;
        drill.exercise_type = "live incident".to_string();
        drill.live = true;
        drill
    }

    pub fn end(&self) -> SimTime {
        self.start + self.duration
    }

    pub fn inject_idx(&self, number: &str) -> Option<usize> {
        self.injects.iter().position(|i| i.number == number)
    }
}
