//! The drill engine: delivers the MSEL's injects on the exercise clock, checks contingency
//! injects at their deadlines, applies disruptions, and carries out seats' actions. Seats
//! not taken by a person are played by simulated players who follow standard procedures:
//! they act on the injects they receive and on what the response reports (discovery,
//! plans), after the delays of [`Procedures`](super::Procedures) and the dispatch policy.
//! A person's action and a simulated player's action are the same [`Event::Action`].

use super::permissions::{self, Request};
use super::text::{Arg, Text};
use super::{Action, DisruptionKind, Drill, Expectation, InjectKind, Seat, evaluate};
use crate::event::Event;
use crate::kernel::{Context, Kernel, KernelConfig, KernelError};
use crate::plan::Role;
use crate::response::dispatch::{PolicyKind, Pooling};
use crate::response::edit::{Editor, Said};
use crate::response::edit_file::TimedEdit;
use crate::response::{self, Notice, ResponseSetup, ResponseState};
use crate::time::{SimDuration, SimTime};
use bevy_ecs::prelude::*;
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeSet;
use std::sync::Arc;

/// How to run a drill.
#[derive(Clone, Debug)]
pub struct DrillConfig {
    pub policy: PolicyKind,
    pub seed: u64,
    pub journal: bool,
    /// Seats taken by people: simulated players do not act for them.
    pub human_seats: Vec<Seat>,
}

/// The drill, the policy and who plays which seat.
#[derive(Resource)]
pub struct DrillSetup {
    pub drill: Arc<Drill>,
    pub policy: PolicyKind,
    pub human_seats: Vec<Seat>,
}

impl DrillSetup {
    fn simulated(&self, seat: Seat) -> bool {
        matches!(seat, Seat::Command | Seat::Jurisdiction(_)) && !self.human_seats.contains(&seat)
    }

    /// How long a notification between jurisdictions takes: through the joint duty
    /// platform where the Executive Committee pools the teams, through the county, city
    /// and provincial duty offices where each county works alone.
    fn notify_delay(&self) -> SimDuration {
        match self.policy.pooling() {
            Pooling::Pooled => self.drill.procedures.notify_unified,
            Pooling::County => self.drill.procedures.notify_county,
        }
    }
}

/// An action as it happened.
#[derive(Clone, Debug, Serialize)]
pub struct ActionRecord {
    pub at: SimTime,
    pub seat: Seat,
    pub action: Action,
    /// What the action did, e.g. the task it created; empty if nothing.
    pub outcome: String,
    /// `outcome` as data (`report.ftl`, the `tl-outcome-` messages) where the engine
    /// knows its parts; `None`: the outcome shows as its English. Not serialised.
    #[serde(skip)]
    pub outcome_event: Option<Text>,
}

/// An inject in a seat's inbox.
#[derive(Clone, Debug, Serialize)]
pub struct InboxItem {
    pub inject: usize,
    pub seat: Seat,
    pub delivered_at: SimTime,
    pub acknowledged_at: Option<SimTime>,
}

/// Everything the drill engine saw and did; the evaluation reads it.
#[derive(Resource, Default, Debug)]
pub struct DrillLog {
    /// Delivery time of each inject, by index.
    pub delivered: Vec<Option<SimTime>>,
    /// Contingency injects: `Some(true)` fired, `Some(false)` not needed, by index.
    pub contingency_fired: Vec<Option<bool>>,
    pub inbox: Vec<InboxItem>,
    pub actions: Vec<ActionRecord>,
    /// (time, disruption, begins).
    pub disruptions: Vec<(SimTime, usize, bool)>,
    /// Simulated players' actions already planned, so none is planned twice.
    planned: BTreeSet<String>,
    /// What became of every action sent to the exercise server, in order.
    pub requests: Vec<RequestOutcome>,
    /// The evaluators' observations, in order.
    pub observations: Vec<evaluate::Observation>,
}

/// An action sent to the exercise server, as it was handled.
#[derive(Clone, Debug)]
pub struct RequestOutcome {
    pub at: SimTime,
    pub seat: Seat,
    pub request: Request,
    /// Applied, with what it did (empty if nothing to say); or refused, with the reason.
    pub result: Result<String, String>,
    /// `result`'s sentence as data (`report.ftl`: the `perm-` and `tl-` messages), for a
    /// seat in another language; `None`: it shows as its English. Not journaled: a replay
    /// rebuilds it.
    pub message: Option<Text>,
}

#[derive(Debug)]
pub enum DrillError {
    Setup(String),
    Run(KernelError),
}

impl std::fmt::Display for DrillError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DrillError::Setup(e) => write!(f, "setting up the drill: {e}"),
            DrillError::Run(e) => write!(f, "running the drill: {e}"),
        }
    }
}

impl std::error::Error for DrillError {}

/// A finished drill: the after-action report and the journal.
pub struct DrillOutcome {
    pub report: evaluate::DrillReport,
    pub journal: Vec<String>,
    /// Every revision of every incident's monitoring plan as issued (approval and level
    /// as they were last), in order.
    pub plans: Vec<crate::plan::MonitoringPlan>,
    /// The express reports (快报) issued, in order.
    pub express_reports: Vec<crate::response::qa::ExpressReport>,
    /// What the response did, task by task and sample by sample (for the database).
    pub record: crate::response::ResponseRecord,
}

/// A drill in progress. The console advances it on the exercise clock and submits seats'
/// actions between events; a headless run advances it to the end at once. The drill
/// itself lives in the world ([`DrillSetup`]): a live session adds incidents to it.
pub struct Session {
    kernel: Kernel<Event>,
    config: DrillConfig,
}

impl Session {
    pub fn new(drill: Arc<Drill>, config: &DrillConfig) -> Result<Session, DrillError> {
        let scenario = drill.scenario.clone();
        if scenario.teams.is_empty() {
            return Err(DrillError::Setup(
                "the scenario has no [[teams]] to respond with".into(),
            ));
        }
        let end = drill.end();
        let mut kernel = Kernel::<Event>::new(KernelConfig {
            seed: config.seed,
            journal: config.journal,
            ..KernelConfig::default()
        });
        response::install_incident_transport(&mut kernel, &scenario, end)
            .map_err(|e| DrillError::Setup(e.to_string()))?;
        response::install(
            &mut kernel,
            ResponseSetup::new(scenario.clone(), config.policy.policy(), end),
        )
        .map_err(DrillError::Run)?;
        let world = kernel.world_mut();
        world.resource_mut::<ResponseState>().notices = true;
        world.resource_mut::<ResponseState>().live = drill.live;
        world.insert_resource(DrillSetup {
            drill: drill.clone(),
            policy: config.policy,
            human_seats: config.human_seats.clone(),
        });
        world.insert_resource(DrillLog {
            delivered: vec![None; drill.injects.len()],
            contingency_fired: vec![None; drill.injects.len()],
            ..DrillLog::default()
        });
        kernel.on("notice", on_notice);
        kernel.on("inject", on_inject);
        kernel.on("contingency_check", on_contingency_check);
        kernel.on("action", on_action);
        kernel.on("disruption", on_disruption);
        for (idx, inject) in drill.injects.iter().enumerate() {
            let at = drill.start + inject.at;
            let event = match inject.kind {
                InjectKind::Timeline => Event::Inject { inject: idx },
                InjectKind::Contingency { .. } => Event::ContingencyCheck { contingency: idx },
                // A scripted release: the controller releases it as a person would.
                InjectKind::Adhoc => match inject.release_at {
                    Some(release) => {
                        let at = drill.start + release;
                        if at <= end {
                            let action = Event::Action {
                                seat: Seat::Controller,
                                action: Action::ReleaseInject { inject: idx },
                                after_events: None,
                                request: None,
                            };
                            kernel.schedule(at, action).map_err(DrillError::Run)?;
                        }
                        continue;
                    }
                    None => continue,
                },
            };
            if at <= end {
                kernel.schedule(at, event).map_err(DrillError::Run)?;
            }
        }
        for (idx, disruption) in drill.disruptions.iter().enumerate() {
            let begins = drill.start + disruption.at;
            if begins <= end {
                kernel
                    .schedule(
                        begins,
                        Event::Disruption {
                            disruption: idx,
                            begins: true,
                        },
                    )
                    .map_err(DrillError::Run)?;
            }
            if let Some(duration) = disruption.duration
                && begins + duration <= end
            {
                kernel
                    .schedule(
                        begins + duration,
                        Event::Disruption {
                            disruption: idx,
                            begins: false,
                        },
                    )
                    .map_err(DrillError::Run)?;
            }
        }
        Ok(Session {
            kernel,
            config: config.clone(),
        })
    }

    pub fn drill(&self) -> &Drill {
        &self.kernel.world().resource::<DrillSetup>().drill
    }

    /// The drill as shared, for a front end that keeps it (its texts in another language).
    pub fn drill_shared(&self) -> Arc<Drill> {
        self.kernel.world().resource::<DrillSetup>().drill.clone()
    }

    pub fn now(&self) -> SimTime {
        self.kernel.now()
    }

    pub fn end(&self) -> SimTime {
        self.drill().end()
    }

    /// How many events the session has handled.
    pub fn n_handled(&self) -> u64 {
        self.kernel.n_handled()
    }

    pub fn world(&self) -> &World {
        self.kernel.world()
    }

    pub fn journal(&self) -> &[String] {
        self.kernel.journal()
    }

    /// Handles every event up to `until` (at most the end of the exercise).
    pub fn advance_to(&mut self, until: SimTime) -> Result<(), DrillError> {
        self.kernel.run_until(until.min(self.end())).map_err(DrillError::Run)
    }

    /// Time of the next event, if any before the end.
    pub fn next_time(&self) -> Option<SimTime> {
        self.kernel.next_time().filter(|t| *t <= self.end())
    }

    /// Handles the next event, if any before the end; returns its time.
    pub fn step(&mut self) -> Result<Option<SimTime>, DrillError> {
        match self.kernel.next_time() {
            Some(t) if t <= self.end() => self.kernel.step().map_err(DrillError::Run),
            _ => Ok(None),
        }
    }

    /// A seat acts now: the action is applied after the events already due at this moment.
    /// The journal records how many events had been handled, for a replay.
    pub fn submit(&mut self, seat: Seat, action: Action) -> Result<(), DrillError> {
        self.submit_action(seat, action, None)
    }

    /// [`Session::submit`] for an action sent to the exercise server: the request goes
    /// into the journal with it, and the action is checked against the seat's permissions
    /// when it is handled (see [`Session::permits`]).
    pub fn submit_action(&mut self, seat: Seat, action: Action, request: Option<Request>) -> Result<(), DrillError> {
        let now = self.kernel.now();
        let after_events = Some(self.kernel.n_handled());
        self.kernel
            .schedule(
                now,
                Event::Action {
                    seat,
                    action,
                    after_events,
                    request,
                },
            )
            .map_err(DrillError::Run)
    }

    /// Whether a seat may take an action now ([`permissions::check`]): what the server
    /// answers a client, and what the engine applies to the action when it is handled.
    pub fn permits(&self, seat: Seat, action: &Action) -> Result<(), Said> {
        permissions::check(self.kernel.world(), seat, action)
    }

    /// Schedules the edits of a plan-edit file as the seats' actions at their times, in
    /// file order: they are applied, journaled and recorded as a person's actions are.
    /// Edits outside the exercise are refused here (the file's check keeps them inside).
    pub fn schedule_plan_edits(&mut self, edits: &[TimedEdit]) -> Result<(), DrillError> {
        let (start, end) = (self.drill().start, self.end());
        for edit in edits {
            if edit.at < start.max(self.now()) || edit.at > end {
                return Err(DrillError::Setup(format!(
                    "the plan edit of line {} at {} is outside the exercise ({} to {})",
                    edit.line,
                    edit.at.clock_label(),
                    start.clock_label(),
                    end.clock_label()
                )));
            }
            let (seat, action) = Action::of_plan_edit(edit.by, edit.incident, &edit.request);
            let event = Event::Action {
                seat,
                action,
                after_events: None,
                request: None,
            };
            self.kernel.schedule(edit.at, event).map_err(DrillError::Run)?;
        }
        Ok(())
    }

    /// Evaluates the exercise as far as it has gone (a served exercise stopped before or at
    /// its end): the after-action report of what happened so far.
    pub fn report_now(&mut self) -> evaluate::DrillReport {
        let drill = self.kernel.world().resource::<DrillSetup>().drill.clone();
        evaluate::build(self.kernel.world_mut(), &drill, &self.config)
    }

    /// Runs to the end of the exercise and evaluates it.
    pub fn finish(mut self) -> Result<DrillOutcome, DrillError> {
        self.advance_to(self.end())?;
        let drill = self.kernel.world().resource::<DrillSetup>().drill.clone();
        let report = evaluate::build(self.kernel.world_mut(), &drill, &self.config);
        Ok(DrillOutcome {
            report,
            journal: self.kernel.journal().to_vec(),
            plans: self.kernel.world().resource::<ResponseState>().plan_history.clone(),
            express_reports: self.kernel.world().resource::<ResponseState>().express_reports.clone(),
            record: self.kernel.world().resource::<ResponseState>().record(),
        })
    }
}

/// Runs a drill headless: simulated players in every seat not listed as human.
pub fn run(drill: Arc<Drill>, config: &DrillConfig) -> Result<DrillOutcome, DrillError> {
    Session::new(drill, config)?.finish()
}

fn drill_of(world: &World) -> Arc<Drill> {
    world.resource::<DrillSetup>().drill.clone()
}

/// Plans a simulated player's action unless the same one is already planned.
fn plan_action(
    world: &mut World,
    ctx: &mut Context<'_, Event>,
    key: String,
    at: SimTime,
    seat: Seat,
    action: Action,
) -> Result<(), KernelError> {
    let mut log = world.resource_mut::<DrillLog>();
    if log.planned.insert(key) {
        ctx.schedule(
            at,
            Event::Action {
                seat,
                action,
                after_events: None,
                request: None,
            },
        )?;
    }
    Ok(())
}

/// Puts an inject in its seats' inboxes; simulated players act on what it expects.
fn deliver(world: &mut World, ctx: &mut Context<'_, Event>, inject_idx: usize) -> Result<(), KernelError> {
    let now = ctx.now();
    let drill = drill_of(world);
    let inject = &drill.injects[inject_idx];
    let mut log = world.resource_mut::<DrillLog>();
    if log.delivered[inject_idx].is_some() {
        ctx.note(json!({ "already_delivered": inject.number }));
        return Ok(());
    }
    log.delivered[inject_idx] = Some(now);
    for &seat in &inject.to {
        log.inbox.push(InboxItem {
            inject: inject_idx,
            seat,
            delivered_at: now,
            acknowledged_at: None,
        });
    }
    ctx.note(json!({ "number": inject.number, "to": inject.to.iter().map(|s| s.label(&drill.scenario)).collect::<Vec<_>>() }));
    let setup = world.resource::<DrillSetup>();
    let procedures = &drill.procedures;
    let notify_delay = setup.notify_delay();
    let players: Vec<Seat> = inject.to.iter().copied().filter(|&s| setup.simulated(s)).collect();
    let Some(&first) = players.first() else {
        return Ok(());
    };
    for expectation in &inject.expected {
        match *expectation {
            Expectation::Acknowledge => {
                for &seat in &players {
                    let key = format!("ack {inject_idx} {seat:?}");
                    let action = Action::Acknowledge { inject: inject_idx };
                    plan_action(world, ctx, key, now + procedures.acknowledge, seat, action)?;
                }
            }
            Expectation::Notify { to } => {
                // The receiving jurisdiction notifies; the command may notify anyone.
                let Some(&seat) = players.iter().find(|&&s| s != Seat::Jurisdiction(to)) else {
                    continue;
                };
                let key = format!("notify {seat:?} {to}");
                let action = Action::Notify { to, incident: None };
                plan_action(world, ctx, key, now + notify_delay, seat, action)?;
            }
            Expectation::Sample { point } => {
                let key = format!("sample {point} inject {inject_idx}");
                let action = Action::RequestSample { point };
                plan_action(world, ctx, key, now + procedures.request_sample, first, action)?;
            }
            Expectation::MediaStatement => {
                let key = format!("media inject {inject_idx}");
                plan_action(
                    world,
                    ctx,
                    key,
                    now + procedures.media_statement,
                    first,
                    Action::MediaStatement,
                )?;
            }
            Expectation::IntakeAdvice { point } => {
                // The advice is about the latest known incident whose plume reaches the
                // intake; none known: about none in particular.
                let incident = known_incident_for_point(world, point);
                let key = format!("intake {point} incident {incident:?}");
                let action = Action::IntakeAdvice {
                    point,
                    close: true,
                    incident,
                };
                plan_action(world, ctx, key, now + procedures.intake_advice, first, action)?;
            }
        }
    }
    Ok(())
}

fn on_inject(world: &mut World, event: &Event, ctx: &mut Context<'_, Event>) -> Result<(), KernelError> {
    let Event::Inject { inject } = *event else {
        unreachable!("dispatched by kind")
    };
    deliver(world, ctx, inject)
}

fn on_contingency_check(world: &mut World, event: &Event, ctx: &mut Context<'_, Event>) -> Result<(), KernelError> {
    let Event::ContingencyCheck { contingency } = *event else {
        unreachable!("dispatched by kind")
    };
    let drill = drill_of(world);
    let InjectKind::Contingency { unless, .. } = &drill.injects[contingency].kind else {
        unreachable!("scheduled for contingency injects only")
    };
    let done = happened(world, unless, ctx.now());
    world.resource_mut::<DrillLog>().contingency_fired[contingency] = Some(!done);
    if done {
        ctx.note(json!({ "not_needed": drill.injects[contingency].number }));
        return Ok(());
    }
    deliver(world, ctx, contingency)
}

/// Has the expected action happened by `now`?
pub fn happened(world: &World, expectation: &Expectation, now: SimTime) -> bool {
    let log = world.resource::<DrillLog>();
    let state = world.resource::<ResponseState>();
    let scenario = &world.resource::<DrillSetup>().drill.scenario;
    match *expectation {
        Expectation::Acknowledge => false,
        Expectation::Notify { to } => log
            .actions
            .iter()
            .any(|a| a.at <= now && matches!(a.action, Action::Notify { to: t, .. } if t == to)),
        Expectation::Sample { point } => state
            .samples
            .iter()
            .any(|s| s.taken_at <= now && s.point_id == scenario.points[point].id),
        Expectation::MediaStatement => log
            .actions
            .iter()
            .any(|a| a.at <= now && a.action == Action::MediaStatement),
        Expectation::IntakeAdvice { point } => log.actions.iter().any(|a| {
            a.at <= now && matches!(a.action, Action::IntakeAdvice { point: p, close: true, .. } if p == point)
        }),
    }
}

fn on_action(world: &mut World, event: &Event, ctx: &mut Context<'_, Event>) -> Result<(), KernelError> {
    let Event::Action {
        seat, action, request, ..
    } = event
    else {
        unreachable!("dispatched by kind")
    };
    let drill = drill_of(world);
    // An action from the server is checked against the seat's permissions; any other
    // (the console's, a simulated player's, a journal's) at least names what exists, so
    // that no handler indexes past a list.
    let allowed = match request {
        Some(_) => permissions::check(world, *seat, action),
        None => permissions::check_indices(action, &drill.scenario, drill.injects.len()),
    };
    let (result, message) = match allowed {
        Ok(()) => {
            carry_out(world, ctx, *seat, action)?;
            let log = world.resource::<DrillLog>();
            let last = log.actions.last();
            (
                Ok(last.map(|a| a.outcome.clone()).unwrap_or_default()),
                last.and_then(|a| a.outcome_event.clone()),
            )
        }
        Err(reason) => {
            // Refused: journaled with its English reason, as always, and nothing else
            // happens (the drill log keeps what was done, so the evaluation never counts
            // a refused action).
            ctx.note(json!({ "refused": reason.english }));
            (Err(reason.english), Some(reason.text))
        }
    };
    if let Some(request) = request {
        let mut log = world.resource_mut::<DrillLog>();
        // An observation is signed with the evaluator's seat name.
        if matches!(action, Action::Observe { .. })
            && result.is_ok()
            && let Some(observation) = log.observations.last_mut()
            && observation.by.is_empty()
        {
            observation.by = request.by.clone();
        }
        log.requests.push(RequestOutcome {
            at: ctx.now(),
            seat: *seat,
            request: request.clone(),
            result,
            message,
        });
    }
    Ok(())
}

/// Carries out an action that is allowed, and records it in the drill log.
fn carry_out(world: &mut World, ctx: &mut Context<'_, Event>, seat: Seat, action: &Action) -> Result<(), KernelError> {
    let seat = &seat;
    let now = ctx.now();
    let drill = drill_of(world);
    // Who may declare or revise a live incident: the same rule for the server's seats
    // (checked before, in the permissions) and the console's person.
    let may_declare = match action {
        Action::DeclareIncident { .. } | Action::ReviseIncident { .. } => {
            permissions::declaration_may(&drill.scenario, *seat, action)
        }
        _ => Ok(()),
    };
    // The outcome as data, for the outcomes whose parts are at hand here.
    let mut event: Option<Text> = None;
    if let Err(reason) = may_declare {
        let outcome = either(Err(reason), &mut event);
        return record(world, ctx, *seat, action, outcome, event);
    }
    let outcome = match *action {
        Action::Acknowledge { inject } => {
            let mut log = world.resource_mut::<DrillLog>();
            let item = log
                .inbox
                .iter_mut()
                .find(|i| i.inject == inject && i.seat == *seat && i.acknowledged_at.is_none());
            match item {
                Some(item) => {
                    item.acknowledged_at = Some(now);
                    String::new()
                }
                None => refused(
                    &mut event,
                    "nothing to acknowledge: the inject is not in this seat's inbox",
                    "tl-refused-not-in-inbox",
                ),
            }
        }
        Action::RequestSample { point } => {
            let incident = incident_for_point(world, point);
            let by = seat.label(&drill.scenario);
            match response::request_sample(world, ctx, incident, point, &by)? {
                Some(task) => {
                    event = Some(Text::new(
                        "tl-outcome-task",
                        vec![("task", Arg::plain(task.to_string()))],
                    ));
                    format!("task {task}")
                }
                None => {
                    event = Some(Text::new("tl-outcome-no-road", vec![]));
                    "no road reaches the point".to_string()
                }
            }
        }
        Action::ReleaseInject { inject } => {
            if *seat != Seat::Controller {
                refused(&mut event, "only a controller releases injects", "tl-refused-release")
            } else if drill.injects[inject].kind != InjectKind::Adhoc {
                refused(&mut event, "not an ad-hoc inject", "tl-refused-not-adhoc")
            } else {
                deliver(world, ctx, inject)?;
                String::new()
            }
        }
        Action::Dispatch { team, point } => {
            let point_id = drill.scenario.points[point].id.clone();
            match response::dispatch_by_hand(world, ctx, team, &point_id)? {
                Ok(arrive) => {
                    let team_id = &drill.scenario.teams[team].id;
                    event = Some(Text::new(
                        "tl-outcome-on-its-way",
                        vec![("team", Arg::name(team_id)), ("at", Arg::at(arrive))],
                    ));
                    format!("{team_id} on its way, at the water by {}", arrive.clock_label())
                }
                Err(reason) => either(Err(reason), &mut event),
            }
        }
        Action::SetPolicy { policy } => {
            if matches!(seat, Seat::Command | Seat::Controller) {
                response::set_policy(world, policy);
                world.resource_mut::<DrillSetup>().policy = policy;
                event = Some(Text::new(
                    "tl-outcome-policy",
                    vec![("policy", Arg::Policy(policy.name().to_string()))],
                ));
                format!("dispatch policy now {policy:?}").to_lowercase()
            } else {
                refused(
                    &mut event,
                    "only the joint command or a controller changes the dispatch policy",
                    "tl-refused-policy",
                )
            }
        }
        Action::Notify { .. } | Action::MediaStatement | Action::IntakeAdvice { .. } => String::new(),
        Action::Observe { .. } if *seat != Seat::Evaluator => refused(
            &mut event,
            "only an evaluator records observations",
            "tl-refused-observe",
        ),
        Action::Observe { ref text, ref target } => {
            world
                .resource_mut::<DrillLog>()
                .observations
                .push(evaluate::Observation {
                    at_s: now.seconds(),
                    by: String::new(),
                    target: target.clone(),
                    text: text.clone(),
                });
            String::new()
        }
        Action::ApprovePlan { .. }
        | Action::AddPlanPoint { .. }
        | Action::RemovePlanPoint { .. }
        | Action::SetPlanInterval { .. }
        | Action::RequestMutualAid { .. } => {
            let (incident, request) = action.plan_edit().expect("a plan edit");
            let by = match *seat {
                Seat::Command => Editor::Command,
                Seat::Jurisdiction(j) => Editor::Jurisdiction(j),
                Seat::Controller | Seat::Evaluator | Seat::Observer => {
                    let mut event = None;
                    let reason = refused(
                        &mut event,
                        "a controller does not edit plans or ask for help",
                        "tl-refused-edit",
                    );
                    return record(world, ctx, *seat, action, reason, event);
                }
            };
            let result = response::edit::apply_request(world, ctx, by, incident, &request)?;
            either(result, &mut event)
        }
        // A jurisdiction types in the results of its own samples (checked for the
        // server's seats by the permissions).
        Action::EnterResult { .. } if !matches!(seat, Seat::Command | Seat::Jurisdiction(_)) => refused(
            &mut event,
            "only the joint command and the jurisdictions enter results",
            "tl-refused-enter-result",
        ),
        Action::DeclareIncident { ref declaration } => {
            let outcome = either(response::edit::declare_incident(world, ctx, declaration)?, &mut event);
            sync_scenario(world);
            outcome
        }
        Action::ReviseIncident {
            incident,
            ref declaration,
        } => {
            let outcome = either(
                response::edit::revise_incident(world, ctx, incident, declaration)?,
                &mut event,
            );
            sync_scenario(world);
            outcome
        }
        Action::EnterResult {
            incident,
            ref point,
            taken_at,
            mg_l,
            non_detect,
        } => either(
            response::edit::enter_result(world, ctx, incident, point, taken_at, mg_l, non_detect)?,
            &mut event,
        ),
    };
    record(world, ctx, *seat, action, outcome, event)
}

/// What an edit or a live session's action did, or why not: its English, with the same
/// sentence as data in `event`.
fn either(outcome: Result<Said, Said>, event: &mut Option<Text>) -> String {
    let said = outcome.unwrap_or_else(|reason| reason);
    *event = Some(said.text);
    said.english
}

/// A refusal the engine words itself: its English, with its message (no arguments) in
/// `event`.
fn refused(event: &mut Option<Text>, english: &str, id: &'static str) -> String {
    *event = Some(Text::new(id, vec![]));
    english.to_string()
}

/// A live session changed the response's scenario (a declared or revised incident): the
/// drill shows the same one.
fn sync_scenario(world: &mut World) {
    let scenario = world.resource::<ResponseSetup>().scenario.clone();
    let mut setup = world.resource_mut::<DrillSetup>();
    if !Arc::ptr_eq(&setup.drill.scenario, &scenario) {
        let mut drill = (*setup.drill).clone();
        drill.scenario = scenario;
        setup.drill = Arc::new(drill);
    }
}

/// Notes what an action did and records it in the drill log.
fn record(
    world: &mut World,
    ctx: &mut Context<'_, Event>,
    seat: Seat,
    action: &Action,
    outcome: String,
    outcome_event: Option<Text>,
) -> Result<(), KernelError> {
    let now = ctx.now();
    if !outcome.is_empty() {
        ctx.note(json!({ "outcome": outcome }));
    }
    world.resource_mut::<DrillLog>().actions.push(ActionRecord {
        at: now,
        seat,
        action: action.clone(),
        outcome,
        outcome_event,
    });
    Ok(())
}

/// The latest known incident whose plume reaches the point, if any.
fn known_incident_for_point(world: &World, point: usize) -> Option<usize> {
    let state = world.resource::<ResponseState>();
    let setup = world.resource::<ResponseSetup>();
    (0..state.incidents.len())
        .filter(|&i| state.incidents[i].discovered_at.is_some() && setup.incident_downstream[i].contains(&point))
        .max_by_key(|&i| (state.incidents[i].discovered_at, i))
}

/// Which incident's pollutant a requested sample measures: the latest known incident whose
/// plume reaches the point; else any known incident. Before anything is known (a check at
/// a failed station) the sample measures the water as it is: it is booked against an
/// incident whose plume passes the point, released or not yet, so a clean result is clean
/// and an over-limit one reveals the incident.
fn incident_for_point(world: &World, point: usize) -> usize {
    let state = world.resource::<ResponseState>();
    let setup = world.resource::<ResponseSetup>();
    let reaches = |i: usize| setup.incident_downstream[i].contains(&point);
    let known: Vec<usize> = (0..state.incidents.len())
        .filter(|&i| state.incidents[i].discovered_at.is_some())
        .collect();
    // The latest known incident first: a request usually follows the newest report.
    known
        .iter()
        .copied()
        .filter(|&i| reaches(i))
        .max_by_key(|&i| (state.incidents[i].discovered_at, i))
        .or_else(|| known.first().copied())
        .or_else(|| (0..state.incidents.len()).find(|&i| reaches(i)))
        .unwrap_or(0)
}

fn on_notice(world: &mut World, event: &Event, ctx: &mut Context<'_, Event>) -> Result<(), KernelError> {
    let Event::Notice(notice) = event else {
        unreachable!("dispatched by kind")
    };
    let now = ctx.now();
    let drill = drill_of(world);
    let scenario = drill.scenario.clone();
    match *notice {
        Notice::Discovered { incident } => {
            // Standard procedure: the jurisdiction where it happened tells every
            // jurisdiction downstream (one that owns a point the plume reaches).
            let home = scenario.incidents[incident].jurisdiction;
            let setup = world.resource::<DrillSetup>();
            let (seat, delay) = (Seat::Jurisdiction(home), setup.notify_delay());
            if !setup.simulated(seat) {
                return Ok(());
            }
            let mut downstream: Vec<usize> = world.resource::<ResponseSetup>().incident_downstream[incident]
                .iter()
                .map(|&p| scenario.points[p].jurisdiction)
                .filter(|&j| j != home)
                .collect();
            downstream.sort_unstable();
            downstream.dedup();
            for to in downstream {
                let key = format!("notify {seat:?} {to} incident {incident}");
                let action = Action::Notify {
                    to,
                    incident: Some(incident),
                };
                plan_action(world, ctx, key, now + delay, seat, action)?;
            }
        }
        Notice::PlanIssued { incident, revision } => {
            // Simulated joint command: it approves each revision after reading it.
            if world.resource::<DrillSetup>().simulated(Seat::Command) {
                let key = format!("approve {incident} r{revision}");
                let action = Action::ApprovePlan {
                    incident,
                    revision: Some(revision),
                };
                let at = now + drill.procedures.approve_plan;
                plan_action(world, ctx, key, at, Seat::Command, action)?;
            }
            // Standard procedure: an intake the plan's forecast puts over the limit is
            // advised to close, by the joint command or, county by county, by the
            // jurisdiction where the incident is.
            let setup = world.resource::<DrillSetup>();
            let seat = match setup.policy.pooling() {
                Pooling::Pooled => Seat::Command,
                Pooling::County => Seat::Jurisdiction(scenario.incidents[incident].jurisdiction),
            };
            if !setup.simulated(seat) {
                return Ok(());
            }
            let delay = drill.procedures.intake_advice;
            let threatened: Vec<usize> = world.resource::<ResponseState>().plans[incident]
                .as_ref()
                .map(|plan| {
                    plan.points
                        .iter()
                        .filter(|p| p.role == Role::Intake && p.forecast_peak_mg_l > p.limit_mg_l)
                        .filter_map(|p| p.point)
                        .collect()
                })
                .unwrap_or_default();
            for point in threatened {
                let action = Action::IntakeAdvice {
                    point,
                    close: true,
                    incident: Some(incident),
                };
                let key = format!("intake {point} incident {:?}", Some(incident));
                plan_action(world, ctx, key, now + delay, seat, action)?;
            }
        }
        Notice::ResultKnown { .. } | Notice::LevelRaised { .. } => {}
    }
    Ok(())
}

fn on_disruption(world: &mut World, event: &Event, ctx: &mut Context<'_, Event>) -> Result<(), KernelError> {
    let Event::Disruption { disruption, begins } = *event else {
        unreachable!("dispatched by kind")
    };
    let now = ctx.now();
    let drill = drill_of(world);
    let d = &drill.disruptions[disruption];
    let until = d
        .duration
        .map_or(SimTime(drill.end().seconds() + 1), |length| drill.start + d.at + length);
    world
        .resource_mut::<DrillLog>()
        .disruptions
        .push((now, disruption, begins));
    match &d.kind {
        DisruptionKind::TeamOutOfService { team, .. } => {
            if begins {
                response::take_out_of_service(world, ctx, *team, until)?;
            } else {
                response::return_to_service(world, ctx, *team)?;
            }
        }
        DisruptionKind::RoadClosed { road } => {
            world.resource_mut::<ResponseSetup>().set_road_closed(*road, begins);
        }
        DisruptionKind::StationFailure { point } => {
            world.resource_mut::<ResponseState>().station_failed_until[*point] = begins.then_some(until);
        }
        DisruptionKind::KitFailure { team, instrument } => {
            let mut state = world.resource_mut::<ResponseState>();
            if begins {
                state.failed_kits.push((*team, instrument.clone()));
            } else {
                state.failed_kits.retain(|(t, i)| !(t == team && i == instrument));
            }
        }
        DisruptionKind::FlowChange { regime } => {
            if begins {
                ctx.schedule(
                    now,
                    Event::FlowChange {
                        regime: *regime,
                        regime_id: drill.scenario.regimes[*regime].id.clone(),
                    },
                )?;
            }
        }
    }
    Ok(())
}
