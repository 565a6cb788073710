//! The emergency-monitoring response: station readings and alarms, discovery of incidents,
//! the unified plan, sampling tasks, teams (as entities) travelling on the road network,
//! samples, analysis and results, under a pluggable dispatch policy.
//!
//! Invariants asserted as the run goes: a team holds at most one task and is in one place;
//! a sample is taken only after its team has arrived; a result comes only after its
//! analysis time.

pub mod dispatch;
pub mod edit;
pub mod edit_file;
pub mod level;
pub mod qa;
pub mod report;

use crate::equipment::{Catalogue, Method, VehicleMode};
use crate::event::Event;
use crate::forecast;
use crate::kernel::{Context, Kernel, KernelError, SimRng};
use crate::plan::{self, MonitoringPlan, PlanInput, Role};
use crate::planner::unit::UnitWater;
use crate::roads::TravelTimes;
use crate::scenario::{Discovery, Location, Release, ResponseLevel, Scenario, Shift};
use crate::time::{SimDuration, SimTime};
use crate::transport::Transport;
use bevy_ecs::prelude::*;
use dispatch::DispatchPolicy;
use serde::Serialize;
use serde_json::json;
use std::sync::Arc;

/// A day-shift team called out off duty needs this long before it can leave (assumption).
pub const CALLOUT_DELAY: SimDuration = SimDuration(60 * 60);
/// Day shift: on duty from 08:00 to 18:00 (seconds of the day).
pub const DAY_SHIFT_S: (i64, i64) = (8 * 3600, 18 * 3600);
/// A task opens for dispatch this long before it is due, so teams can be there on time.
pub const DISPATCH_LOOKAHEAD: SimDuration = SimDuration(60 * 60);
/// A sample taken later than this after its due time counts as late.
pub const LATE_TOLERANCE: SimDuration = SimDuration(30 * 60);
/// Speed factor for teams whose vehicle does not drive itself (boats trailered, drones
/// carried): road time is divided by it (assumption).
const CARRIED_VEHICLE_SPEED_FACTOR: f64 = 0.8;

/// The scenario, travel times and policy, shared by every response handler.
#[derive(Resource)]
pub struct ResponseSetup {
    pub scenario: Arc<Scenario>,
    pub travel: TravelTimes,
    pub policy: Box<dyn DispatchPolicy>,
    pub end: SimTime,
    /// Named points downstream of each incident's release.
    pub incident_downstream: Vec<Vec<usize>>,
    /// Distances by water, for boats.
    pub river: crate::roads::RiverDistances,
    /// Roads closed now (drill disruptions); `travel` is built without them.
    pub closed_roads: std::collections::BTreeSet<usize>,
    /// How far a plan's forecast may go past the run's end to see the plume pass every
    /// point downstream (HJ 589: every intake in the affected reach is a plan point, even
    /// one the plume reaches after the run's end). `None` in the planner's trials, whose
    /// unit responses end with the trial.
    pub plan_forecast_max: Option<SimDuration>,
    /// Each incident's plan points, made at its first plan from the scenario held with
    /// them (`scenario` is replaced, never changed in place, when an incident is declared).
    plan_points: std::sync::Mutex<Vec<Option<PointsMade>>>,
}

/// An incident's plan points and the scenario they were made from.
type PointsMade = (Arc<Scenario>, Arc<plan::PlanPoints>);

/// Plans made for the same trial under another dispatch policy. A plan depends on the
/// scenario, the networks, the incident, the mass estimate, the revision and the time
/// (never on the policy), so the planner's runs of one trial under both policies share
/// the plans both issue with the same of those: the first plan of every incident, and any
/// revision the two runs happen to make alike. Only runs of the same trial (same scenario
/// and networks) may share one.
#[derive(Resource, Clone, Default)]
pub struct PlanMemo(Arc<std::sync::Mutex<Vec<PlanMade>>>);

/// A plan made, by what it was made from.
type PlanMade = (PlanMemoKey, Arc<MonitoringPlan>);

/// What a plan of a trial depends on besides the trial: incident, mass estimate (its
/// bits), revision, time of issue.
type PlanMemoKey = (usize, u64, u32, SimTime);

impl PlanMemo {
    fn get(&self, key: PlanMemoKey) -> Option<Arc<MonitoringPlan>> {
        let plans = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        plans.iter().find(|(k, _)| *k == key).map(|(_, plan)| plan.clone())
    }

    fn put(&self, key: PlanMemoKey, plan: Arc<MonitoringPlan>) {
        let mut plans = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if !plans.iter().any(|(k, _)| *k == key) {
            plans.push((key, plan));
        }
    }
}

/// A plan's forecast runs until the plume has passed every point downstream, at most this
/// long after the release.
pub const PLAN_FORECAST_MAX: SimDuration = SimDuration(7 * 24 * 3600);

impl ResponseSetup {
    pub fn new(scenario: Arc<Scenario>, policy: Box<dyn DispatchPolicy>, end: SimTime) -> ResponseSetup {
        let travel = TravelTimes::build(&scenario);
        let river = crate::roads::RiverDistances::build(&scenario);
        ResponseSetup {
            plan_forecast_max: Some(PLAN_FORECAST_MAX),
            ..ResponseSetup::with_networks(scenario, policy, end, travel, river)
        }
    }

    /// As [`ResponseSetup::new`], with driving times and river distances computed before
    /// (the planner's trials share one road and river network).
    pub fn with_networks(
        scenario: Arc<Scenario>,
        policy: Box<dyn DispatchPolicy>,
        end: SimTime,
        travel: TravelTimes,
        river: crate::roads::RiverDistances,
    ) -> ResponseSetup {
        let releases = incident_releases(&scenario);
        let incident_downstream = (0..releases.len())
            .map(|i| forecast::downstream_points(&scenario, &releases[i..=i]))
            .collect();
        ResponseSetup {
            scenario,
            travel,
            policy,
            end,
            incident_downstream,
            river,
            closed_roads: std::collections::BTreeSet::new(),
            plan_forecast_max: None,
            plan_points: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// The points of a plan of `incident` in the current scenario, made once per scenario.
    fn plan_points(&self, incident: usize) -> Arc<plan::PlanPoints> {
        let mut cache = self
            .plan_points
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if cache.len() <= incident {
            cache.resize(incident + 1, None);
        }
        match &cache[incident] {
            Some((made_from, points)) if Arc::ptr_eq(made_from, &self.scenario) => points.clone(),
            _ => {
                let points = Arc::new(plan::PlanPoints::of(&self.scenario, incident));
                cache[incident] = Some((self.scenario.clone(), points.clone()));
                points
            }
        }
    }

    /// Closes or reopens a road and rebuilds the driving times. Teams already on the road
    /// keep their trip: the closure applies to trips that start after it.
    pub fn set_road_closed(&mut self, road: usize, closed: bool) {
        let changed = if closed {
            self.closed_roads.insert(road)
        } else {
            self.closed_roads.remove(&road)
        };
        if changed {
            self.travel = TravelTimes::build_without(&self.scenario, &self.closed_roads);
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// Scheduled; not yet open for dispatch.
    Planned,
    Open,
    Assigned,
    Done,
    /// A later task at the same point opened before this one was served.
    Superseded,
    /// Ended by the termination rule, or its point removed from the plan by the command.
    Cancelled,
    /// No road reaches the point.
    Unreachable,
    /// A revision of the plan replaced it before it was served.
    Replaced,
}

/// One sample due at one plan point.
#[derive(Clone, Debug, Serialize)]
pub struct Task {
    pub incident: usize,
    pub point_id: String,
    pub role: Role,
    pub location: Location,
    pub road_node: Option<usize>,
    pub access: SimDuration,
    pub jurisdiction: usize,
    /// Forecast first arrival of the plume at the task's point.
    pub forecast_arrival: Option<SimTime>,
    pub due: SimTime,
    pub opened_at: Option<SimTime>,
    pub status: TaskStatus,
    pub team: Option<usize>,
    pub mutual_aid_requested: bool,
    pub mutual_aid_granted: bool,
    pub sample: Option<usize>,
    /// When a team was given the task.
    pub assigned_at: Option<SimTime>,
    /// When the team reached the water.
    pub arrived_at: Option<SimTime>,
    /// When the team at the water will have taken the sample (scheduled as it arrives:
    /// its due time if it came early, its arrival if late, and the work on site).
    pub sampling_ends: Option<SimTime>,
    /// The seat that asked for this sample outside the plan (a drill action), if any.
    pub requested_by: Option<String>,
    /// What the round at the point takes (from the plan): bottles (verticals × layers),
    /// a flow measurement, a duplicate, a sediment sample.
    pub work: qa::SiteWork,
}

impl Sample {
    /// The id of the team that took it, or `entered` for a result typed in on its own.
    pub fn team_label(&self, scenario: &Scenario) -> String {
        self.team
            .map_or_else(|| "entered".to_string(), |t| scenario.teams[t].id.clone())
    }
}

impl Task {
    /// Missed by `end`: overtaken, unreachable, or still waiting past its tolerance.
    pub fn missed_by(&self, end: SimTime) -> bool {
        match self.status {
            TaskStatus::Superseded | TaskStatus::Unreachable => true,
            TaskStatus::Open | TaskStatus::Assigned => self.due + LATE_TOLERANCE <= end,
            _ => false,
        }
    }

    /// Sampled more than the tolerance after its due time.
    pub fn sampled_late(&self, samples: &[Sample]) -> bool {
        self.sample
            .is_some_and(|s| samples[s].taken_at > self.due + LATE_TOLERANCE)
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Sample {
    /// The task it served; `None` for a result typed in with no task behind it (live).
    pub task: Option<usize>,
    /// The team that took it; `None` for a result typed in with no task behind it.
    pub team: Option<usize>,
    pub incident: usize,
    pub point_id: String,
    pub pollutant: usize,
    pub taken_at: SimTime,
    pub result_at: SimTime,
    /// True concentration in the water when taken [mg/L].
    pub true_mg_l: f64,
    /// Reported value: the true value, or 0 below the method's detection limit [mg/L].
    pub reported_mg_l: f64,
    pub limit_mg_l: f64,
    /// Detection limit of the method that analysed it [mg/L].
    pub detection_limit_mg_l: f64,
    pub over_limit: bool,
    /// Whether the result can say "compliant": it was detected, or its method's detection
    /// limit is below the limit. A non-detect by a method that cannot see the limit
    /// (e.g. a field screening meter) is not conclusive: it neither ends monitoring nor
    /// counts as compliant.
    pub conclusive: bool,
    /// GB 3838 single-factor evaluation of the reported value (class, or compliance with
    /// a Table 2/3 limit).
    pub evaluation: Option<crate::standards::Evaluation>,
    pub method: String,
    pub result_known: bool,
    /// Where it was analysed: `on site`, `on board TEAM` or the laboratory depot's id.
    pub analysed_at: String,
    /// A duplicate was taken with it (QC); a sediment sample was taken with it.
    pub duplicate: bool,
    pub sediment: bool,
    /// The field sample this one confirms in a laboratory (the split of that sample).
    pub confirms: Option<usize>,
    /// Chain of custody: every hand the sample passed through.
    pub custody: Vec<qa::Custody>,
}

#[derive(Clone, Debug, Serialize)]
pub struct IncidentState {
    /// The response level now: the declared one, raised by forecasts and results (see
    /// [`level`]).
    pub level: ResponseLevel,
    /// Every change of the level, in order.
    pub level_changes: Vec<level::LevelChange>,
    pub discovered_at: Option<SimTime>,
    pub discovered_by: Option<String>,
    pub plan_at: Option<SimTime>,
    /// The command's edits of the plan, in order: applied again to every revision, so a
    /// revision from results keeps them.
    pub edits: Vec<edit::PlanEdit>,
    /// Revisions of the estimated mass from results so far (at most
    /// [`PLAN_REVISIONS_MAX`]).
    pub mass_revisions: u32,
}

impl IncidentState {
    pub fn new(level: ResponseLevel) -> IncidentState {
        IncidentState {
            level,
            level_changes: Vec::new(),
            discovered_at: None,
            discovered_by: None,
            plan_at: None,
            edits: Vec::new(),
            mass_revisions: 0,
        }
    }
}

/// Everything the response has done; a resource of the world.
#[derive(Resource, Default)]
pub struct ResponseState {
    pub incidents: Vec<IncidentState>,
    pub plans: Vec<Option<MonitoringPlan>>,
    pub tasks: Vec<Task>,
    pub samples: Vec<Sample>,
    /// Stations switched to their emergency cycle.
    pub emergency_stations: Vec<bool>,
    /// (station point, time, pollutant, mg/L) of every alarm.
    pub alarms: Vec<(usize, SimTime, usize, f64)>,
    /// Every reading of every working station, in the order taken (alarms among them);
    /// none in a live incident, whose water is not simulated.
    pub readings: Vec<StationReading>,
    /// A dispatch round is already scheduled for the current moment.
    pub dispatch_pending: bool,
    /// Stations out of order until the given time (drill disruptions), by point.
    pub station_failed_until: Vec<Option<SimTime>>,
    /// (team, instrument) kits that failed (drill disruptions): their samples go to a lab.
    pub failed_kits: Vec<(usize, String)>,
    /// Schedule [`Event::Notice`] for the drill engine when discoveries, plans and results
    /// happen. Off in plain runs, so their journals carry no notices.
    pub notices: bool,
    /// A live incident: nothing is simulated in the water; results are typed in, and a
    /// sample a team takes waits for its result to be entered.
    pub live: bool,
    /// Mutual aid asked for by hand at plan points: (incident, point id, granted at).
    pub aid_requests: Vec<(usize, String, SimTime)>,
    /// Express reports (快报) issued, in order.
    pub express_reports: Vec<qa::ExpressReport>,
    /// Every plan revision of every incident as issued (with its approval and level as
    /// they were last), in order: the record of how the plan changed.
    pub plan_history: Vec<MonitoringPlan>,
    /// Every plan edit asked for (console, drill seat, plan-edit file) with what came of
    /// it, in order.
    pub edit_log: Vec<edit::EditRecord>,
}

impl ResponseState {
    /// Keeps the incident's current plan revision in the history: a new revision is added,
    /// the same revision (approved or re-levelled since) replaces its copy.
    pub fn keep_revision(&mut self, incident: usize) {
        let Some(plan) = self.plans[incident].clone() else {
            return;
        };
        match self
            .plan_history
            .iter_mut()
            .rev()
            .find(|p| p.incident == incident && p.revision == plan.revision)
        {
            Some(kept) => *kept = plan,
            None => self.plan_history.push(plan),
        }
    }
}

/// What the response tells an observer (the drill engine) as it happens.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Notice {
    Discovered { incident: usize },
    PlanIssued { incident: usize, revision: u32 },
    ResultKnown { sample: usize },
    LevelRaised { incident: usize, level: ResponseLevel },
}

fn notice(state: &ResponseState, ctx: &mut Context<'_, Event>, notice: Notice) -> Result<(), KernelError> {
    if state.notices {
        ctx.schedule(ctx.now(), Event::Notice(notice))?;
    }
    Ok(())
}

/// A monitoring team in the world.
#[derive(Component, Clone, Debug, Serialize)]
pub struct TeamUnit {
    pub team: usize,
    /// Road node where the team is, or will be when it arrives.
    pub road_node: usize,
    /// Boats: where on the water the boat is, or will be when it arrives.
    pub water: Option<Location>,
    pub task: Option<usize>,
    /// Day-shift staff already called out.
    pub on_duty: bool,
    pub busy_s: i64,
    pub busy_since: Option<SimTime>,
    pub n_samples: u32,
    /// Out of service (breakdown, no staff) until then.
    pub out_of_service_until: Option<SimTime>,
    /// Trips started; a breakdown aborts the current one, whose arrival is then ignored.
    pub trip: u32,
    /// Where the current trip started (a team whose trip is aborted stays there).
    pub origin_node: usize,
    pub origin_water: Option<Location>,
    /// When the current trip started and when the team will be at the water.
    pub trip_window: Option<(SimTime, SimTime)>,
}

/// Each team's entity, by team index: a handler finds a team's unit directly, not by a
/// query over every unit (building a query's state cost more than the search).
#[derive(Resource)]
struct TeamEntities(Vec<Entity>);

/// The unit of team `team`.
fn team_unit(world: &World, team: usize) -> &TeamUnit {
    let entity = world.resource::<TeamEntities>().0[team];
    world.get::<TeamUnit>(entity).expect("every team has an entity")
}

/// The unit of team `team`, to change.
fn team_unit_mut(world: &mut World, team: usize) -> Mut<'_, TeamUnit> {
    let entity = world.resource::<TeamEntities>().0[team];
    world.get_mut::<TeamUnit>(entity).expect("every team has an entity")
}

impl TeamUnit {
    fn new(team: usize, road_node: usize, water: Option<Location>, on_duty: bool) -> TeamUnit {
        TeamUnit {
            team,
            road_node,
            water,
            task: None,
            on_duty,
            busy_s: 0,
            busy_since: None,
            n_samples: 0,
            out_of_service_until: None,
            trip: 0,
            origin_node: road_node,
            origin_water: water,
            trip_window: None,
        }
    }

    fn in_service(&self, now: SimTime) -> bool {
        self.out_of_service_until.is_none_or(|until| until <= now)
    }
}

/// Installs the response into a kernel that already has transport installed with the
/// incidents' releases (see [`incident_releases`]).
pub fn install(kernel: &mut Kernel<Event>, setup: ResponseSetup) -> Result<(), KernelError> {
    let scenario = setup.scenario.clone();
    let end = setup.end;
    let world = kernel.world_mut();
    let state = ResponseState {
        incidents: scenario
            .incidents
            .iter()
            .map(|i| IncidentState::new(i.response_level))
            .collect(),
        plans: vec![None; scenario.incidents.len()],
        emergency_stations: vec![false; scenario.points.len()],
        station_failed_until: vec![None; scenario.points.len()],
        ..ResponseState::default()
    };
    world.insert_resource(state);
    let mut entities = Vec::with_capacity(scenario.teams.len());
    for (team_idx, team) in scenario.teams.iter().enumerate() {
        let depot_node = scenario.depots[team.depot].road_node;
        let is_boat = Catalogue::builtin()
            .vehicle(&team.vehicle)
            .is_some_and(|v| v.mode == VehicleMode::River);
        let unit = world.spawn(TeamUnit::new(
            team_idx,
            depot_node,
            is_boat.then(|| Location::Node(nearest_river_node(&scenario, depot_node))),
            team.shift == Shift::RoundTheClock,
        ));
        entities.push(unit.id());
    }
    world.insert_resource(TeamEntities(entities));
    world.insert_resource(setup);
    kernel.on("station_reading", on_station_reading);
    kernel.on("discovery", on_discovery);
    kernel.on("plan_issued", on_plan_issued);
    kernel.on("task_open", on_task_open);
    kernel.on("mutual_aid", on_mutual_aid);
    kernel.on("dispatch_round", on_dispatch_round);
    kernel.on("team_arrives", on_team_arrives);
    kernel.on("sample_taken", on_sample_taken);
    kernel.on("result_ready", on_result_ready);
    kernel.on("express_report", qa::on_express_report);
    kernel.on("plan_edit", edit::on_plan_edit);
    for (incident_idx, incident) in scenario.incidents.iter().enumerate() {
        if incident.discovery != Discovery::StationAlarm {
            let by = match incident.discovery {
                Discovery::EnterpriseReport => "enterprise report",
                _ => "public report",
            };
            let at = incident.start + incident.discovery_delay;
            if at <= end {
                kernel.schedule(
                    at,
                    Event::Discovery {
                        incident: incident_idx,
                        by: by.to_string(),
                    },
                )?;
            }
        }
    }
    for (point_idx, point) in scenario.points.iter().enumerate() {
        if point.station.as_ref().is_some_and(|s| !s.parameters.is_empty()) {
            kernel.schedule(SimTime::ZERO, Event::StationReading { point: point_idx })?;
        }
    }
    Ok(())
}

/// Transport of the scenario's incidents from the start of the scenario to `end`, in its
/// default flow regime: the water a run or a drill responds to.
pub fn install_incident_transport(
    kernel: &mut Kernel<Event>,
    scenario: &Scenario,
    end: SimTime,
) -> Result<(), crate::transport::plugin::InstallError> {
    crate::transport::plugin::install(
        kernel,
        scenario,
        &incident_releases(scenario),
        scenario.settings.default_regime,
        SimTime::ZERO,
        end,
    )
}

/// The releases of a scenario's incidents, for the transport module.
pub fn incident_releases(scenario: &Scenario) -> Vec<Release> {
    scenario
        .incidents
        .iter()
        .map(|i| Release {
            pollutant: i.pollutant,
            mass_kg: i.mass_kg,
            location: i.location,
            start: i.start,
            duration: i.duration,
            note: format!("incident {}", i.id),
        })
        .collect()
}

fn setup(world: &World) -> (Arc<Scenario>, SimTime) {
    let s = world.resource::<ResponseSetup>();
    (s.scenario.clone(), s.end)
}

fn concentration_now(world: &mut World, now: SimTime, pollutant: usize, location: Location) -> f64 {
    if let Some(water) = world.get_resource::<UnitWater>() {
        return water.concentration(pollutant, location, now);
    }
    let mut transport = world.resource_mut::<Transport>();
    transport.advance_to(now);
    transport.concentration_at(pollutant, location)
}

fn on_station_reading(world: &mut World, event: &Event, ctx: &mut Context<'_, Event>) -> Result<(), KernelError> {
    let Event::StationReading { point } = *event else {
        unreachable!("dispatched by kind")
    };
    let (scenario, end) = setup(world);
    let now = ctx.now();
    let station = scenario.points[point]
        .station
        .as_ref()
        .expect("scheduled for stations only");
    let failed = world.resource::<ResponseState>().station_failed_until[point].is_some_and(|until| now < until);
    let mut alarmed = Vec::new();
    let mut read = Vec::new();
    for &pollutant in station.parameters.iter().filter(|_| !failed) {
        let c = concentration_now(world, now, pollutant, scenario.points[point].location);
        read.push((pollutant, c));
        let limit = scenario.limit_mg_l(pollutant, scenario.points[point].target_class);
        if c > limit {
            alarmed.push((pollutant, c));
        }
    }
    let below: Vec<bool> = world
        .resource::<ResponseSetup>()
        .incident_downstream
        .iter()
        .map(|points| points.contains(&point))
        .collect();
    let mut state = world.resource_mut::<ResponseState>();
    // A live incident's water is not simulated: its stations' readings are not real ones.
    let kept = if state.live { &read[..0] } else { &read[..] };
    for &(pollutant, mg_l) in kept {
        state.readings.push(StationReading {
            point,
            at: now,
            pollutant,
            mg_l,
            alarm: alarmed.iter().any(|&(p, _)| p == pollutant),
        });
    }
    for &(pollutant, c) in &alarmed {
        state.alarms.push((point, now, pollutant, c));
        state.emergency_stations[point] = true;
        // The alarm reveals every undiscovered incident of that pollutant upstream.
        for (incident_idx, incident) in scenario.incidents.iter().enumerate() {
            if incident.pollutant == pollutant
                && incident.start <= now
                && state.incidents[incident_idx].discovered_at.is_none()
                && below[incident_idx]
            {
                ctx.schedule(
                    now,
                    Event::Discovery {
                        incident: incident_idx,
                        by: format!("{ALARM_DISCOVERY_PREFIX}{}", scenario.points[point].id),
                    },
                )?;
            }
        }
    }
    let cycle = if state.emergency_stations[point] {
        station.emergency_cycle
    } else {
        station.cycle
    };
    if failed {
        ctx.note(json!({ "station_failed": true }));
    }
    if !alarmed.is_empty() {
        ctx.note(json!({ "alarm": alarmed.iter().map(|(p, c)| json!({"pollutant": scenario.pollutants[*p].id, "mg_l": c})).collect::<Vec<_>>() }));
    }
    if now + cycle <= end {
        ctx.schedule(now + cycle, Event::StationReading { point })?;
    }
    Ok(())
}

/// How a discovery by a station's alarm names its discoverer: this, then the point's id.
pub const ALARM_DISCOVERY_PREFIX: &str = "alarm at ";

fn on_discovery(world: &mut World, event: &Event, ctx: &mut Context<'_, Event>) -> Result<(), KernelError> {
    let Event::Discovery { incident, by } = event else {
        unreachable!("dispatched by kind")
    };
    let (scenario, end) = setup(world);
    let now = ctx.now();
    let mut state = world.resource_mut::<ResponseState>();
    if state.incidents[*incident].discovered_at.is_some() {
        ctx.note(json!({ "already_known": true }));
        return Ok(());
    }
    state.incidents[*incident].discovered_at = Some(now);
    state.incidents[*incident].discovered_by = Some(by.clone());
    // Every station downstream switches to its emergency cycle at its next reading.
    let downstream = world.resource::<ResponseSetup>().incident_downstream[*incident].clone();
    let mut state = world.resource_mut::<ResponseState>();
    for point in downstream {
        if scenario.points[point].station.is_some() {
            state.emergency_stations[point] = true;
        }
    }
    let at = now + scenario.operations.plan_preparation;
    if at <= end {
        ctx.schedule(at, Event::PlanIssued { incident: *incident })?;
    }
    notice(&state, ctx, Notice::Discovered { incident: *incident })
}

fn on_plan_issued(world: &mut World, event: &Event, ctx: &mut Context<'_, Event>) -> Result<(), KernelError> {
    let Event::PlanIssued { incident } = *event else {
        unreachable!("dispatched by kind")
    };
    let (scenario, _) = setup(world);
    let plan = regenerate(
        world,
        incident,
        scenario.incidents[incident].reported_mass_kg,
        1,
        ctx.now(),
    )?;
    world.resource_mut::<ResponseState>().incidents[incident].plan_at = Some(ctx.now());
    let (every, end) = (plan.express_report_every, world.resource::<ResponseSetup>().end);
    install_plan(world, plan, ctx)?;
    qa::schedule_first_report(ctx, incident, every, end)
}

/// Generates an incident's plan from a forecast of the estimated mass.
fn make_plan(
    world: &World,
    incident: usize,
    estimated_mass_kg: f64,
    revision: u32,
    now: SimTime,
) -> Result<MonitoringPlan, KernelError> {
    let memo = world.get_resource::<PlanMemo>();
    let key = (incident, estimated_mass_kg.to_bits(), revision, now);
    if let Some(plan) = memo.and_then(|m| m.get(key)) {
        return Ok(MonitoringPlan::clone(&plan));
    }
    let setup = world.resource::<ResponseSetup>();
    let scenario = &setup.scenario;
    let depots: Vec<usize> = scenario
        .teams
        .iter()
        .map(|t| scenario.depots[t.depot].road_node)
        .collect();
    let team_travel = |team: usize, node: usize| setup.travel.between(depots[team], node);
    let points = setup.plan_points(incident);
    let input = PlanInput {
        scenario,
        incident_idx: incident,
        estimated_mass_kg,
        issued_at: now,
        horizon: setup.end - scenario.incidents[incident].start,
        forecast_until_passed: setup.plan_forecast_max,
        revision,
        team_travel_s: &team_travel,
        points: Some(&points),
    };
    let plan = match world.get_resource::<UnitWater>() {
        Some(water) => plan::generate_with(&input, &|s, r| water.forecast(s, r)),
        None => plan::generate(&input),
    };
    let plan = plan.map_err(|e| KernelError::Handler {
        kind: "plan_issued",
        time: now,
        message: e.to_string(),
    })?;
    if let Some(memo) = memo {
        memo.put(key, Arc::new(plan.clone()));
    }
    Ok(plan)
}

/// Generates a plan from a forecast of the estimated mass and applies the command's edits
/// of the incident's earlier revisions to it.
fn regenerate(
    world: &World,
    incident: usize,
    estimated_mass_kg: f64,
    revision: u32,
    now: SimTime,
) -> Result<MonitoringPlan, KernelError> {
    let mut plan = make_plan(world, incident, estimated_mass_kg, revision, now)?;
    let lead_time = world.resource::<ResponseSetup>().scenario.operations.lead_time;
    for plan_edit in &world.resource::<ResponseState>().incidents[incident].edits {
        plan_edit.apply(&mut plan, now, lead_time);
    }
    // Re-applied edits are part of the new revision, not revisions of their own.
    plan.revision = revision;
    Ok(plan)
}

/// Creates the sampling tasks of a plan point due at `dues`; each opens for dispatch an
/// hour before it is due. Returns how many.
fn create_tasks(
    state: &mut ResponseState,
    ctx: &mut Context<'_, Event>,
    incident: usize,
    point: &plan::PlanPoint,
    dues: &[SimTime],
) -> Result<usize, KernelError> {
    let now = ctx.now();
    // Mutual aid asked for at the point covers its later tasks too.
    let aid = state
        .aid_requests
        .iter()
        .find(|(i, p, _)| *i == incident && *p == point.id)
        .map(|(_, _, granted_at)| *granted_at);
    for &due in dues {
        let task_idx = state.tasks.len();
        let status = if point.road_node.is_some() {
            TaskStatus::Planned
        } else {
            TaskStatus::Unreachable
        };
        state.tasks.push(Task {
            incident,
            point_id: point.id.clone(),
            role: point.role,
            location: point.location,
            road_node: point.road_node,
            access: point.access,
            jurisdiction: point.jurisdiction,
            forecast_arrival: point.forecast_arrival,
            due,
            opened_at: None,
            status,
            team: None,
            mutual_aid_requested: aid.is_some(),
            mutual_aid_granted: aid.is_some_and(|t| t <= now),
            sample: None,
            assigned_at: None,
            arrived_at: None,
            sampling_ends: None,
            requested_by: None,
            work: qa::SiteWork::at(point, due),
        });
        if let Some(granted_at) = aid.filter(|t| *t > now) {
            ctx.schedule(granted_at, Event::MutualAid { task: task_idx })?;
        }
        if status == TaskStatus::Planned {
            let open_at = SimTime((due.seconds() - DISPATCH_LOOKAHEAD.seconds()).max(now.seconds()));
            ctx.schedule(open_at, Event::TaskOpen { task: task_idx })?;
        }
    }
    Ok(dues.len())
}

/// Makes a plan the incident's current one: its sampling tasks are created and opened an
/// hour before they are due. Tasks of a previous revision not yet served are replaced.
fn install_plan(world: &mut World, plan: MonitoringPlan, ctx: &mut Context<'_, Event>) -> Result<(), KernelError> {
    let incident = plan.incident;
    let mut plan = plan;
    let mut state = world.resource_mut::<ResponseState>();
    plan.response_level = state.incidents[incident].level;
    for task in state.tasks.iter_mut() {
        if task.incident == incident && matches!(task.status, TaskStatus::Planned | TaskStatus::Open) {
            task.status = TaskStatus::Replaced;
        }
    }
    let mut n_tasks = 0;
    for point in &plan.points {
        n_tasks += create_tasks(&mut state, ctx, incident, point, &point.schedule)?;
    }
    ctx.note_with(|| {
        json!({
            "revision": plan.revision,
            "estimated_mass_kg": plan.estimated_mass_kg,
            "points": plan.points.len(),
            "tasks": n_tasks,
            "method": plan.method
        })
    });
    let revision = plan.revision;
    let raise = level::level_from_plan(&world.resource::<ResponseSetup>().scenario, &plan);
    let mut state = world.resource_mut::<ResponseState>();
    state.plans[incident] = Some(plan);
    state.keep_revision(incident);
    notice(&state, ctx, Notice::PlanIssued { incident, revision })?;
    if let Some((to, reason)) = raise {
        raise_level(&mut state, ctx, incident, to, reason)?;
    }
    Ok(())
}

/// Raises an incident's response level when `to` is higher than its level now; the change
/// is journaled and noticed. Levels never go down here.
fn raise_level(
    state: &mut ResponseState,
    ctx: &mut Context<'_, Event>,
    incident: usize,
    to: ResponseLevel,
    reason: String,
) -> Result<(), KernelError> {
    let from = state.incidents[incident].level;
    if to >= from {
        return Ok(());
    }
    ctx.note(json!({
        "incident": incident,
        "level": level::label(to),
        "from_level": level::label(from),
        "reason": reason
    }));
    state.incidents[incident].level = to;
    if let Some(plan) = state.plans[incident].as_mut() {
        plan.response_level = to;
    }
    state.keep_revision(incident);
    state.incidents[incident].level_changes.push(level::LevelChange {
        at: ctx.now(),
        from,
        to,
        reason,
    });
    notice(state, ctx, Notice::LevelRaised { incident, level: to })
}

/// A plan is revised at most this many times per incident.
pub const PLAN_REVISIONS_MAX: u32 = 3;
/// A result revises the estimated mass when it differs from the plan forecast by more
/// than this factor either way (transport is linear in mass, so the ratio rescales it).
pub const REVISION_FACTOR: f64 = 1.5;

/// Compares a result with the plan forecast at its point and time; when they differ by
/// more than [`REVISION_FACTOR`], the estimated mass is rescaled and the plan revised.
fn revise_from_result(world: &mut World, sample: usize, ctx: &mut Context<'_, Event>) -> Result<(), KernelError> {
    let state = world.resource::<ResponseState>();
    let s = &state.samples[sample];
    let Some(plan) = state.plans[s.incident].as_ref() else {
        return Ok(());
    };
    if state.incidents[s.incident].mass_revisions >= PLAN_REVISIONS_MAX || s.reported_mg_l <= 0.0 {
        return Ok(());
    }
    let Some(point) = plan
        .points
        .iter()
        .find(|p| p.id == s.point_id && p.role != Role::UpstreamControl)
    else {
        return Ok(());
    };
    // Only where the forecast plume is well established: its edges are too uncertain.
    let Some(forecast) = point
        .forecast_at(s.taken_at)
        .filter(|f| *f > 0.1 * point.forecast_peak_mg_l && *f > 0.0)
    else {
        return Ok(());
    };
    let ratio = s.reported_mg_l / forecast;
    if (1.0 / REVISION_FACTOR..=REVISION_FACTOR).contains(&ratio) {
        return Ok(());
    }
    let (incident, mass_kg, revision) = (s.incident, plan.estimated_mass_kg * ratio, plan.revision + 1);
    let plan = regenerate(world, incident, mass_kg, revision, ctx.now())?;
    world.resource_mut::<ResponseState>().incidents[incident].mass_revisions += 1;
    ctx.note(json!({ "revised_by_ratio": ratio }));
    install_plan(world, plan, ctx)
}

fn on_task_open(world: &mut World, event: &Event, ctx: &mut Context<'_, Event>) -> Result<(), KernelError> {
    let Event::TaskOpen { task } = *event else {
        unreachable!("dispatched by kind")
    };
    let now = ctx.now();
    let mut state = world.resource_mut::<ResponseState>();
    if state.tasks[task].status != TaskStatus::Planned {
        return Ok(());
    }
    // An earlier sample at the same point still waiting is overtaken by this one.
    let (incident, point_id) = (state.tasks[task].incident, state.tasks[task].point_id.clone());
    for other in state.tasks.iter_mut() {
        if other.status == TaskStatus::Open && other.incident == incident && other.point_id == point_id {
            other.status = TaskStatus::Superseded;
        }
    }
    state.tasks[task].status = TaskStatus::Open;
    state.tasks[task].opened_at = Some(now);
    request_dispatch(&mut state, ctx)
}

fn on_mutual_aid(world: &mut World, event: &Event, ctx: &mut Context<'_, Event>) -> Result<(), KernelError> {
    let Event::MutualAid { task } = *event else {
        unreachable!("dispatched by kind")
    };
    let mut state = world.resource_mut::<ResponseState>();
    state.tasks[task].mutual_aid_granted = true;
    request_dispatch(&mut state, ctx)
}

/// Schedules one dispatch round at the current time, after the events already queued for
/// it, so that every task opening at this moment competes in the policy's order.
fn request_dispatch(state: &mut ResponseState, ctx: &mut Context<'_, Event>) -> Result<(), KernelError> {
    if !state.dispatch_pending {
        state.dispatch_pending = true;
        ctx.schedule(ctx.now(), Event::DispatchRound)?;
    }
    Ok(())
}

fn on_dispatch_round(world: &mut World, _: &Event, ctx: &mut Context<'_, Event>) -> Result<(), KernelError> {
    world.resource_mut::<ResponseState>().dispatch_pending = false;
    dispatch_open_tasks(world, ctx)
}

/// How long a team needs to reach the water at a task: call-out, expected drive, access [s].
#[derive(Clone, Copy, Debug)]
struct Approach {
    callout_s: i64,
    drive_s: f64,
    access_s: i64,
}

impl Approach {
    fn expected_s(&self) -> i64 {
        self.callout_s + self.drive_s.round() as i64 + self.access_s
    }
}

/// The method for an incident's samples: its plan's unified method, or before any plan
/// the method the plan would choose.
/// The work at the water for `task`: the bottles of its round by the incident's method.
pub fn on_site_time(world: &World, task: usize) -> Result<SimDuration, KernelError> {
    let state = world.resource::<ResponseState>();
    let method = task_method(world, state.tasks[task].incident)?;
    let sample_min = Catalogue::builtin()
        .instrument(&method)
        .expect("methods come from the catalogue")
        .sample_min;
    let scenario = &world.resource::<ResponseSetup>().scenario;
    Ok(state.tasks[task]
        .work
        .on_site(scenario, SimDuration((sample_min * 60.0).round() as i64)))
}

fn task_method(world: &World, incident: usize) -> Result<String, KernelError> {
    let state = world.resource::<ResponseState>();
    if let Some(plan) = state.plans[incident].as_ref() {
        return Ok(plan.method.clone());
    }
    let scenario = &world.resource::<ResponseSetup>().scenario;
    plan::unified_method(scenario, scenario.incidents[incident].pollutant)
        .map(|(method, _)| method)
        .map_err(|e| KernelError::Handler {
            kind: "sample_taken",
            time: SimTime::ZERO,
            message: e.to_string(),
        })
}

/// The approach of a team to a task, or `None` if no road leads there.
fn approach(setup: &ResponseSetup, unit: &TeamUnit, task: &Task, now: SimTime) -> Option<Approach> {
    let scenario = &setup.scenario;
    let team = &scenario.teams[unit.team];
    let vehicle = Catalogue::builtin().vehicle(&team.vehicle).expect("validated vehicle");
    let seconds_of_day = now.seconds().rem_euclid(86_400);
    let off_duty = !unit.on_duty && !(DAY_SHIFT_S.0..DAY_SHIFT_S.1).contains(&seconds_of_day);
    let callout_s = if off_duty { CALLOUT_DELAY.seconds() } else { 0 };
    match (vehicle.mode, unit.water, vehicle.speed_kmh) {
        // A boat goes by water and samples from the boat: no access from a road.
        (VehicleMode::River, Some(water), Some(speed_kmh)) => {
            let distance_m = setup.river.between(water, task.location)?;
            Some(Approach {
                callout_s,
                drive_s: distance_m / (speed_kmh / 3.6),
                access_s: 0,
            })
        }
        // A drone is carried by road to the point's bank or bridge and flies out from
        // there, no further than its range.
        (VehicleMode::Air, _, Some(speed_kmh)) => {
            let launch = task.road_node?;
            let flight_km = launch_distance_km(scenario, launch, task.location);
            if vehicle.range_km.is_some_and(|range_km| flight_km > range_km) {
                return None;
            }
            let drive_s = setup.travel.between(unit.road_node, launch)?;
            Some(Approach {
                callout_s,
                drive_s: drive_s / CARRIED_VEHICLE_SPEED_FACTOR,
                access_s: (flight_km / speed_kmh * 3600.0).round() as i64,
            })
        }
        (mode, _, _) => {
            let drive_s = setup.travel.between(unit.road_node, task.road_node?)?;
            let factor = if mode == VehicleMode::Road {
                vehicle.speed_factor
            } else {
                CARRIED_VEHICLE_SPEED_FACTOR
            };
            Some(Approach {
                callout_s,
                drive_s: drive_s / factor,
                access_s: task.access.seconds(),
            })
        }
    }
}

/// Straight-line distance from a road node (where a drone is launched) to a place on the
/// water [km] (equirectangular: the zone is small).
fn launch_distance_km(scenario: &Scenario, road_node: usize, location: crate::scenario::Location) -> f64 {
    const EARTH_RADIUS_KM: f64 = 6371.0;
    let (lon0, lat0) = (scenario.road_nodes[road_node].lon, scenario.road_nodes[road_node].lat);
    let [lon1, lat1] = plan::lon_lat(scenario, location);
    let x = (lon1 - lon0).to_radians() * ((lat0 + lat1) / 2.0).to_radians().cos();
    let y = (lat1 - lat0).to_radians();
    EARTH_RADIUS_KM * x.hypot(y)
}

/// The river node nearest a road node, where a boat kept at a depot is launched.
fn nearest_river_node(scenario: &Scenario, road_node: usize) -> usize {
    let (lon, lat) = (scenario.road_nodes[road_node].lon, scenario.road_nodes[road_node].lat);
    plan::nearest_position(scenario.nodes.iter().map(|n| [n.lon, n.lat]), lon, lat).expect("a scenario has river nodes")
}

/// Spread of actual driving times around the expected ones: lognormal with this σ of
/// ln(actual / expected) and mean 1 (assumption: traffic, weather, finding the spot).
pub const DRIVE_TIME_SIGMA: f64 = 0.2;

/// A lognormal factor with mean 1 from the simulation's generator (Box–Muller).
fn lognormal_factor(rng: &mut SimRng, sigma: f64) -> f64 {
    let z = crate::kernel::standard_normal(&mut rng.0);
    (sigma * z - 0.5 * sigma * sigma).exp()
}

/// Assigns open tasks to idle teams in the policy's order: each task takes the eligible
/// idle team whose result would be known soonest.
fn dispatch_open_tasks(world: &mut World, ctx: &mut Context<'_, Event>) -> Result<(), KernelError> {
    let now = ctx.now();
    // In team order.
    let units: Vec<(Entity, TeamUnit)> = world
        .resource::<TeamEntities>()
        .0
        .iter()
        .map(|&e| (e, world.get::<TeamUnit>(e).expect("every team has an entity").clone()))
        .collect();
    let mut assignments = Vec::new();
    let mut aid_requests = Vec::new();
    {
        let setup = world.resource::<ResponseSetup>();
        let state = world.resource::<ResponseState>();
        let scenario = &setup.scenario;
        let levels: Vec<ResponseLevel> = state.incidents.iter().map(|i| i.level).collect();
        let order = dispatch::serving_order(setup.policy.as_ref(), &levels, &state.tasks, now);
        let mut taken = vec![false; units.len()];
        for task_idx in order {
            let task = &state.tasks[task_idx];
            let analysis = Analysis::of(setup, state, task);
            // The team whose result would be known first: at the water soonest, plus its
            // time there, plus how its sample gets analysed (its own field kit, its
            // mobile laboratory, or a courier to a laboratory).
            let best = units
                .iter()
                .enumerate()
                .filter(|(i, (_, u))| !taken[*i] && u.task.is_none() && u.in_service(now))
                .filter(|(_, (_, u))| setup.policy.eligible(scenario, &scenario.teams[u.team], task))
                .filter_map(|(i, (_, u))| approach(setup, u, task, now).map(|a| (i, a)))
                .min_by_key(|&(i, a)| (a.expected_s() + analysis.after_arrival_s(state, units[i].1.team), i));
            match best {
                Some((i, approach)) => {
                    taken[i] = true;
                    assignments.push((task_idx, i, approach));
                }
                None if setup.policy.requests_mutual_aid() && !task.mutual_aid_requested => {
                    aid_requests.push(task_idx);
                }
                None => {}
            }
        }
    }
    let (scenario, _) = setup(world);
    let mut notes = Vec::new();
    for (task_idx, unit_idx, approach) in assignments {
        let (team, arrive) = send_team(world, ctx, units[unit_idx].0, task_idx, approach)?;
        if ctx.journaling() {
            notes.push(json!({ "task": task_idx, "team": scenario.teams[team].id, "arrive_s": arrive.seconds() }));
        }
    }
    let delay = scenario.operations.mutual_aid_delay;
    let mut state = world.resource_mut::<ResponseState>();
    for task_idx in aid_requests {
        state.tasks[task_idx].mutual_aid_requested = true;
        ctx.schedule(now + delay, Event::MutualAid { task: task_idx })?;
        notes.push(json!({ "task": task_idx, "mutual_aid_requested": true }));
    }
    if !notes.is_empty() {
        ctx.note(json!({ "dispatch": notes }));
    }
    Ok(())
}

/// How a task's sample would be analysed, team by team: what dispatch weighs to send the
/// team whose result comes first.
struct Analysis<'a> {
    scenario: &'a Scenario,
    method: String,
    pollutant: usize,
    limit_mg_l: f64,
    /// Time on site for the round [s].
    on_site_s: i64,
    /// By courier to the nearest laboratory and analysed there [s]; `None`: no laboratory
    /// can be reached.
    courier_s: Option<i64>,
}

impl<'a> Analysis<'a> {
    fn of(setup: &'a ResponseSetup, state: &ResponseState, task: &Task) -> Analysis<'a> {
        let scenario = &setup.scenario;
        let pollutant = scenario.incidents[task.incident].pollutant;
        let plan = state.plans[task.incident].as_ref();
        let method = plan.map_or_else(
            || plan::unified_method(scenario, pollutant).map_or_else(|_| String::new(), |m| m.0),
            |p| p.method.clone(),
        );
        let limit_mg_l = plan
            .and_then(|p| p.points.iter().find(|p| p.id == task.point_id))
            .map_or_else(|| plan::strictest_limit_mg_l(scenario, pollutant), |p| p.limit_mg_l);
        let sample_min = Catalogue::builtin().instrument(&method).map_or(0.0, |i| i.sample_min);
        let on_site_s = task
            .work
            .on_site(scenario, SimDuration((sample_min * 60.0).round() as i64))
            .seconds();
        let courier_s = task.road_node.and_then(|node| {
            let lab = plan::laboratory_method(scenario, pollutant, &method, limit_mg_l)?;
            let c = courier(scenario, setup, node)?;
            Some(c.drive_s.round() as i64 + (lab.analysis_min * 60.0).round() as i64)
        });
        Analysis {
            scenario,
            method,
            pollutant,
            limit_mg_l,
            on_site_s,
            courier_s,
        }
    }

    /// From a team's arrival at the water to its result [s].
    fn after_arrival_s(&self, state: &ResponseState, team: usize) -> i64 {
        let analysis_s = match own_analysis(
            self.scenario,
            state,
            team,
            &self.method,
            self.pollutant,
            self.limit_mg_l,
        ) {
            Some(OwnAnalysis::OnSite(i) | OwnAnalysis::OnBoard(i)) => (i.analysis_min * 60.0).round() as i64,
            // No laboratory reachable: never sooner than any team that has one.
            None => self.courier_s.unwrap_or(i64::MAX / 4),
        };
        self.on_site_s + analysis_s
    }
}

/// How a team analyses a sample itself: with the plan's field kit it carries (not failed),
/// or on board its mobile laboratory.
enum OwnAnalysis<'c> {
    OnSite(&'c crate::equipment::Instrument),
    OnBoard(&'c crate::equipment::Instrument),
}

/// The team's own analysis of a sample by `method`, or `None`: the sample goes by courier.
/// Dispatch weighs it and the sample follows it, so both use this one rule.
fn own_analysis<'c>(
    scenario: &Scenario,
    state: &ResponseState,
    team: usize,
    method: &str,
    pollutant: usize,
    limit_mg_l: f64,
) -> Option<OwnAnalysis<'c>> {
    let kit = Catalogue::builtin()
        .instrument(method)
        .filter(|i| i.method == Method::Field)
        .filter(|_| scenario.teams[team].instruments.iter().any(|i| i == method))
        .filter(|_| !state.failed_kits.iter().any(|(t, i)| *t == team && i == method));
    match kit {
        Some(kit) => Some(OwnAnalysis::OnSite(kit)),
        None => on_board_instrument(scenario, team, method, pollutant, limit_mg_l).map(OwnAnalysis::OnBoard),
    }
}

/// Sends a team on its way to a task: drive time drawn around the expected approach, the
/// team busy and bound for the task's place, its arrival scheduled.
fn send_team(
    world: &mut World,
    ctx: &mut Context<'_, Event>,
    entity: Entity,
    task_idx: usize,
    approach: Approach,
) -> Result<(usize, SimTime), KernelError> {
    let now = ctx.now();
    let factor = lognormal_factor(&mut world.resource_mut::<SimRng>(), DRIVE_TIME_SIGMA);
    let arrive = now + SimDuration(approach.callout_s + (approach.drive_s * factor).round() as i64 + approach.access_s);
    let mut unit = world.get_mut::<TeamUnit>(entity).expect("team entity");
    assert!(unit.task.is_none(), "team {} given a second task", unit.team);
    let seconds_of_day = now.seconds().rem_euclid(86_400);
    if !(DAY_SHIFT_S.0..DAY_SHIFT_S.1).contains(&seconds_of_day) {
        unit.on_duty = true;
    }
    unit.task = Some(task_idx);
    unit.busy_since = Some(now);
    unit.trip += 1;
    unit.origin_node = unit.road_node;
    unit.origin_water = unit.water;
    unit.trip_window = Some((now, arrive));
    let (team, trip) = (unit.team, unit.trip);
    let mut state = world.resource_mut::<ResponseState>();
    state.tasks[task_idx].status = TaskStatus::Assigned;
    state.tasks[task_idx].team = Some(team);
    state.tasks[task_idx].assigned_at = Some(now);
    // The team is on its way: it will be at the task's road node.
    let road_node = state.tasks[task_idx].road_node.expect("assigned tasks have roads");
    let location = state.tasks[task_idx].location;
    let mut unit = world.get_mut::<TeamUnit>(entity).expect("team entity");
    unit.road_node = road_node;
    if unit.water.is_some() {
        unit.water = Some(location);
    }
    ctx.schedule(
        arrive,
        Event::TeamArrives {
            team,
            task: task_idx,
            trip,
        },
    )?;
    Ok((team, arrive))
}

/// The command sends a named team to the next sample due at a named point, whatever the
/// policy would choose (it may cross a border); a team on the road is redirected and its
/// task opens again. `Ok(Err(reason))` when it cannot: the team is at the water or out of
/// service, nothing is due there, or no road leads there (the reason as English and as
/// data, the `tl-refused-` messages).
pub fn dispatch_by_hand(
    world: &mut World,
    ctx: &mut Context<'_, Event>,
    team: usize,
    point_id: &str,
) -> Result<Result<SimTime, edit::Said>, KernelError> {
    use crate::drill::text::Arg;
    let now = ctx.now();
    let found = world
        .resource::<TeamEntities>()
        .0
        .get(team)
        .map(|&e| (e, team_unit(world, team).clone()));
    let Some((entity, unit)) = found else {
        unreachable!("every team has an entity")
    };
    if !unit.in_service(now) {
        return Ok(Err(edit::Said::new(
            "the team is out of service",
            "tl-refused-out-of-service",
            vec![],
        )));
    }
    // A team on the road is redirected; one at the water finishes its sample first.
    if unit.task.is_some() && !abort_trip(world, ctx, team)? {
        return Ok(Err(edit::Said::new(
            "the team is at the water; send it when its sample is taken",
            "tl-refused-at-water",
            vec![],
        )));
    }
    let unit = team_unit(world, team).clone();
    let state = world.resource::<ResponseState>();
    let task = state
        .tasks
        .iter()
        .enumerate()
        .filter(|(_, t)| t.point_id == point_id && matches!(t.status, TaskStatus::Planned | TaskStatus::Open))
        .min_by_key(|(i, t)| (t.due, *i))
        .map(|(i, _)| i);
    let Some(task_idx) = task else {
        return Ok(Err(edit::Said::new(
            format!("no sample is due at {point_id}"),
            "tl-refused-nothing-due",
            vec![("point", Arg::name(point_id))],
        )));
    };
    let Some(approach) = approach(world.resource::<ResponseSetup>(), &unit, &state.tasks[task_idx], now) else {
        return Ok(Err(edit::Said::new(
            format!("no road leads to {point_id}"),
            "tl-refused-no-road",
            vec![("point", Arg::name(point_id))],
        )));
    };
    let mut state = world.resource_mut::<ResponseState>();
    if state.tasks[task_idx].opened_at.is_none() {
        state.tasks[task_idx].opened_at = Some(now);
    }
    let (_, arrive) = send_team(world, ctx, entity, task_idx, approach)?;
    Ok(Ok(arrive))
}

/// Changes the dispatch policy from now on.
pub fn set_policy(world: &mut World, kind: dispatch::PolicyKind) {
    world.resource_mut::<ResponseSetup>().policy = kind.policy();
}

fn on_team_arrives(world: &mut World, event: &Event, ctx: &mut Context<'_, Event>) -> Result<(), KernelError> {
    let Event::TeamArrives { team, task, trip } = *event else {
        unreachable!("dispatched by kind")
    };
    let now = ctx.now();
    if team_unit(world, team).trip != trip {
        ctx.note(json!({ "trip_aborted": true }));
        return Ok(());
    }
    world.resource_mut::<ResponseState>().tasks[task].arrived_at = Some(now);
    let due = world.resource::<ResponseState>().tasks[task].due;
    let on_site = on_site_time(world, task)?;
    // Samples are taken at the due time if the team is early.
    let ends = now.max(due) + on_site;
    world.resource_mut::<ResponseState>().tasks[task].sampling_ends = Some(ends);
    ctx.schedule(ends, Event::SampleTaken { team, task })?;
    Ok(())
}

fn on_sample_taken(world: &mut World, event: &Event, ctx: &mut Context<'_, Event>) -> Result<(), KernelError> {
    let Event::SampleTaken { team, task } = *event else {
        unreachable!("dispatched by kind")
    };
    let now = ctx.now();
    let (scenario, end) = setup(world);
    let (incident, location, point_id, road_node) = {
        let t = &world.resource::<ResponseState>().tasks[task];
        assert_eq!(t.team, Some(team), "a sample is taken by the team assigned to it");
        (
            t.incident,
            t.location,
            t.point_id.clone(),
            t.road_node.expect("sampled tasks have roads"),
        )
    };
    let pollutant = scenario.incidents[incident].pollutant;
    let true_mg_l = concentration_now(world, now, pollutant, location);
    let state = world.resource::<ResponseState>();
    // The plan's limit at its points; at a named point outside any plan, the GB 3838
    // limit of the point's target class.
    let plan_limit = state.plans[incident]
        .as_ref()
        .and_then(|plan| plan.points.iter().find(|p| p.id == point_id))
        .map(|p| p.limit_mg_l);
    let limit_mg_l = plan_limit.unwrap_or_else(|| {
        scenario.point_idx(&point_id).map_or(f64::INFINITY, |p| {
            scenario.limit_mg_l(pollutant, scenario.points[p].target_class)
        })
    });
    let method = task_method(world, incident)?;
    let catalogue = Catalogue::builtin();
    let own = own_analysis(
        &scenario,
        world.resource::<ResponseState>(),
        team,
        &method,
        pollutant,
        limit_mg_l,
    );
    let team_id = scenario.teams[team].id.clone();
    let work = world.resource::<ResponseState>().tasks[task].work;
    let mut custody = vec![qa::Custody {
        at: now,
        by: team_id.clone(),
        what: format!(
            "taken at {point_id}: {} bottle(s){}{}",
            work.bottles,
            if work.duplicate { " and a duplicate" } else { "" },
            if work.sediment { ", a sediment grab" } else { "" }
        ),
    }];
    let (analysis, reported_method, analysed_at) = if let Some(OwnAnalysis::OnSite(kit)) = own {
        custody.push(qa::Custody {
            at: now,
            by: team_id.clone(),
            what: format!("analysed on site with {method}; a split kept"),
        });
        (
            SimDuration((kit.analysis_min * 60.0).round() as i64),
            method.clone(),
            "on site".to_string(),
        )
    } else if let Some(OwnAnalysis::OnBoard(lab)) = own {
        // A mobile laboratory analyses where it stands, with what it carries.
        custody.push(qa::Custody {
            at: now,
            by: team_id.clone(),
            what: format!("analysed on board with {}", lab.id),
        });
        (
            SimDuration((lab.analysis_min * 60.0).round() as i64),
            lab.id.clone(),
            format!("on board {team_id}"),
        )
    } else {
        let setup = world.resource::<ResponseSetup>();
        let lab_method = plan::laboratory_method(&scenario, pollutant, &method, limit_mg_l);
        match (lab_method, courier(&scenario, setup, road_node)) {
            (Some(m), Some(c)) => {
                let depot = scenario.depots[c.depot].id.clone();
                custody.push(qa::Custody {
                    at: now,
                    by: team_id.clone(),
                    what: "handed to the courier".to_string(),
                });
                custody.push(qa::Custody {
                    at: now + SimDuration(c.drive_s.round() as i64),
                    by: depot.clone(),
                    what: format!("received for analysis by {}", m.id),
                });
                (
                    SimDuration(c.drive_s.round() as i64 + (m.analysis_min * 60.0).round() as i64),
                    m.id.clone(),
                    depot,
                )
            }
            // No laboratory can be reached: the result never comes within the run.
            _ => (
                SimDuration(setup.end.seconds() + 1),
                "none".to_string(),
                "none".to_string(),
            ),
        }
    };
    let detection = catalogue
        .instrument(&reported_method)
        .map_or(0.0, |i| i.detection_limit_mg_l);
    let reading = qa::read(&scenario, pollutant, true_mg_l, detection, limit_mg_l);
    let result_at = now + analysis;
    assert!(result_at >= now, "a result comes after its sample");
    let mut state = world.resource_mut::<ResponseState>();
    let sample_idx = state.samples.len();
    // Live: nothing is simulated in the water; the sample waits for its result to be typed in.
    let live = state.live;
    state.samples.push(Sample {
        task: Some(task),
        team: Some(team),
        incident,
        point_id,
        pollutant,
        taken_at: now,
        result_at,
        true_mg_l,
        reported_mg_l: reading.reported_mg_l,
        limit_mg_l,
        detection_limit_mg_l: detection,
        over_limit: reading.over_limit,
        conclusive: reading.conclusive,
        evaluation: reading.evaluation,
        method: reported_method.clone(),
        result_known: false,
        analysed_at,
        duplicate: work.duplicate,
        sediment: work.sediment,
        confirms: None,
        custody,
    });
    state.tasks[task].status = TaskStatus::Done;
    state.tasks[task].sample = Some(sample_idx);
    if result_at <= end && !live {
        ctx.schedule(result_at, Event::ResultReady { sample: sample_idx })?;
    }
    ctx.note_with(|| {
        json!({
            "sample": sample_idx,
            "team": scenario.teams[team].id,
            "method": reported_method,
            "analysed_at": world.resource::<ResponseState>().samples[sample_idx].analysed_at,
            "true_mg_l": true_mg_l,
            "result_s": result_at.seconds()
        })
    });
    let mut unit = team_unit_mut(world, team);
    assert_eq!(unit.task, Some(task), "team {team} finishes the task it holds");
    unit.task = None;
    unit.n_samples += 1;
    let since = unit.busy_since.take().expect("a busy team has a start");
    unit.busy_s += (now - since).seconds();
    request_dispatch(&mut world.resource_mut::<ResponseState>(), ctx)
}

/// The sample goes by courier to the nearest depot with a laboratory that has an
/// instrument for the pollutant; result after the drive plus the instrument's run time.
/// The laboratory instrument a team's mobile laboratory carries for this pollutant, if it
/// is one: the plan's method if it carries it, else the fastest whose detection limit is
/// below the limit.
fn on_board_instrument<'c>(
    scenario: &Scenario,
    team: usize,
    plan_method: &str,
    pollutant: usize,
    limit_mg_l: f64,
) -> Option<&'c crate::equipment::Instrument> {
    let catalogue = Catalogue::builtin();
    let team = &scenario.teams[team];
    if !catalogue.vehicle(&team.vehicle).is_some_and(|v| v.laboratory) {
        return None;
    }
    let item = &scenario.pollutants[pollutant].standard_item;
    let carried: Vec<_> = team
        .instruments
        .iter()
        .filter_map(|id| catalogue.instrument(id))
        .filter(|i| i.method == Method::Laboratory && i.measures(item))
        .collect();
    carried.iter().find(|i| i.id == plan_method).copied().or_else(|| {
        carried
            .into_iter()
            .filter(|i| i.detection_limit_mg_l < limit_mg_l)
            .min_by(|a, b| a.analysis_min.total_cmp(&b.analysis_min).then(a.id.cmp(&b.id)))
    })
}

/// A courier's run from a road node to the nearest depot with a laboratory.
pub(crate) struct Courier {
    pub depot: usize,
    pub drive_s: f64,
}

/// The courier's run from `from_node` to the nearest laboratory, or `None` if no road
/// leads to one.
pub(crate) fn courier(scenario: &Scenario, setup: &ResponseSetup, from_node: usize) -> Option<Courier> {
    scenario
        .depots
        .iter()
        .enumerate()
        .filter(|(_, d)| d.laboratory)
        .filter_map(|(i, d)| setup.travel.between(from_node, d.road_node).map(|s| (i, s)))
        .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
        .map(|(depot, drive_s)| Courier { depot, drive_s })
}

fn on_result_ready(world: &mut World, event: &Event, ctx: &mut Context<'_, Event>) -> Result<(), KernelError> {
    let Event::ResultReady { sample } = *event else {
        unreachable!("dispatched by kind")
    };
    let now = ctx.now();
    let scenario = world.resource::<ResponseSetup>().scenario.clone();
    let mut state = world.resource_mut::<ResponseState>();
    assert!(
        now >= state.samples[sample].result_at,
        "a result only after its analysis"
    );
    state.samples[sample].result_known = true;
    let (incident, point_id, over) = (
        state.samples[sample].incident,
        state.samples[sample].point_id.clone(),
        state.samples[sample].over_limit,
    );
    ctx.note_with(|| {
        json!({
            "sample": sample,
            "point": point_id,
            "over_limit": over,
            "conclusive": state.samples[sample].conclusive,
            "mg_l": state.samples[sample].reported_mg_l,
            "limit_mg_l": state.samples[sample].limit_mg_l
        })
    });
    apply_termination_rule(&mut state, incident, &point_id, now);
    notice(&state, ctx, Notice::ResultKnown { sample })?;
    let s = &state.samples[sample];
    if s.over_limit && s.conclusive {
        let role = state.plans[incident]
            .as_ref()
            .and_then(|plan| plan.points.iter().find(|p| p.id == point_id))
            .map_or(Role::Section, |p| p.role);
        let raise = level::level_from_result(&scenario, &point_id, role, s.reported_mg_l, s.limit_mg_l);
        if let Some((to, reason)) = raise {
            raise_level(&mut state, ctx, incident, to, reason)?;
        }
    }
    // A sample taken before the incident was known (a check at a failed station) may be
    // what reveals it.
    if over && state.incidents[incident].discovered_at.is_none() {
        ctx.schedule(
            now,
            Event::Discovery {
                incident,
                by: format!("sample at {point_id}"),
            },
        )?;
    }
    if state.samples[sample].confirms.is_some() {
        // A laboratory confirmation: the field result already revised the plan.
        return Ok(());
    }
    qa::confirm_if_due(world, ctx, sample)?;
    revise_from_result(world, sample, ctx)
}

/// After a point's plume has passed, N consecutive compliant results end its monitoring.
fn apply_termination_rule(state: &mut ResponseState, incident: usize, point_id: &str, now: SimTime) {
    let Some(plan) = state.plans[incident].as_ref() else {
        return;
    };
    let Some(point) = plan.points.iter().find(|p| p.id == point_id) else {
        return;
    };
    let passed = point.forecast_passed.is_none_or(|t| t <= now);
    let rounds = plan.termination_rounds as usize;
    // Rounds: field samples (their laboratory confirmations are part of the same round).
    let mut results: Vec<usize> = (0..state.samples.len())
        .filter(|&i| {
            let s = &state.samples[i];
            s.incident == incident && s.point_id == point_id && s.result_known && s.confirms.is_none()
        })
        .collect();
    results.sort_by_key(|&i| (state.samples[i].taken_at, i));
    // Only conclusive results count: a non-detect by a method that cannot see the limit
    // says nothing about compliance.
    let compliant_tail = results
        .iter()
        .rev()
        .take_while(|&&i| !qa::round_over(&state.samples, i) && state.samples[i].conclusive)
        .count();
    if passed && compliant_tail >= rounds {
        for task in state.tasks.iter_mut() {
            if task.incident == incident
                && task.point_id == point_id
                && matches!(task.status, TaskStatus::Planned | TaskStatus::Open)
            {
                task.status = TaskStatus::Cancelled;
            }
        }
    }
}

/// Asks for a sample at a named point as soon as a team can get there (a drill action or
/// a command decision outside the plan). Returns the new task, or `None` when no road
/// reaches the point.
pub fn request_sample(
    world: &mut World,
    ctx: &mut Context<'_, Event>,
    incident: usize,
    point_idx: usize,
    requested_by: &str,
) -> Result<Option<usize>, KernelError> {
    let now = ctx.now();
    let scenario = world.resource::<ResponseSetup>().scenario.clone();
    let point = &scenario.points[point_idx];
    let mut state = world.resource_mut::<ResponseState>();
    let plan_point = state.plans[incident]
        .as_ref()
        .and_then(|plan| plan.points.iter().find(|p| p.point == Some(point_idx)));
    let (role, forecast_arrival) = plan_point.map_or((Role::Section, None), |p| (p.role, p.forecast_arrival));
    let Some(road_node) = point.road_node else {
        return Ok(None);
    };
    let task_idx = state.tasks.len();
    state.tasks.push(Task {
        incident,
        point_id: point.id.clone(),
        role,
        location: point.location,
        road_node: Some(road_node),
        access: point.access,
        jurisdiction: point.jurisdiction,
        forecast_arrival,
        due: now,
        opened_at: None,
        status: TaskStatus::Planned,
        team: None,
        mutual_aid_requested: false,
        mutual_aid_granted: false,
        sample: None,
        assigned_at: None,
        arrived_at: None,
        sampling_ends: None,
        requested_by: Some(requested_by.to_string()),
        work: qa::SiteWork::SINGLE,
    });
    ctx.schedule(now, Event::TaskOpen { task: task_idx })?;
    Ok(Some(task_idx))
}

/// Takes a team out of service until `until` (breakdown, no staff). A team on its way
/// to a task stops where it started and the task opens again for another team; a team
/// already at the water finishes its sample first.
pub fn take_out_of_service(
    world: &mut World,
    ctx: &mut Context<'_, Event>,
    team: usize,
    until: SimTime,
) -> Result<(), KernelError> {
    team_unit_mut(world, team).out_of_service_until = Some(until);
    abort_trip(world, ctx, team).map(|_| ())
}

/// Stops a team on its way to a task: it stays where its trip began and the task opens
/// again for another team. Returns false (and changes nothing) if the team has no task
/// or is already at the water.
fn abort_trip(world: &mut World, ctx: &mut Context<'_, Event>, team: usize) -> Result<bool, KernelError> {
    let Some(task) = team_unit(world, team).task else {
        return Ok(false);
    };
    let arrived = world.resource::<ResponseState>().tasks[task].arrived_at.is_some();
    if arrived {
        return Ok(false);
    }
    let now = ctx.now();
    let mut unit = team_unit_mut(world, team);
    unit.task = None;
    unit.trip += 1;
    unit.trip_window = None;
    unit.road_node = unit.origin_node;
    unit.water = unit.origin_water;
    let since = unit.busy_since.take().expect("a busy team has a start");
    unit.busy_s += (now - since).seconds();
    let mut state = world.resource_mut::<ResponseState>();
    let task = &mut state.tasks[task];
    task.status = TaskStatus::Open;
    task.team = None;
    task.assigned_at = None;
    ctx.note(json!({ "trip_aborted": task.point_id }));
    request_dispatch(&mut state, ctx)?;
    Ok(true)
}

/// A team out of service is back: open tasks may take it again.
pub fn return_to_service(world: &mut World, ctx: &mut Context<'_, Event>, team: usize) -> Result<(), KernelError> {
    team_unit_mut(world, team).out_of_service_until = None;
    request_dispatch(&mut world.resource_mut::<ResponseState>(), ctx)
}

/// How to run a response.
#[derive(Clone, Debug)]
pub struct RunConfig {
    pub policy: dispatch::PolicyKind,
    pub seed: u64,
    /// Length of the run after the first incident starts.
    pub hours: SimDuration,
    pub journal: bool,
    /// Plan edits of a plan-edit file, made at their times in file order.
    pub plan_edits: Vec<edit_file::TimedEdit>,
}

/// A finished run: the measures, the plans, the journal.
pub struct RunOutcome {
    pub report: report::RunReport,
    pub plans: Vec<Option<MonitoringPlan>>,
    /// Every revision of every plan, in the order they were issued or edited.
    pub plan_history: Vec<MonitoringPlan>,
    /// Express reports (快报), in order.
    pub express_reports: Vec<qa::ExpressReport>,
    pub journal: Vec<String>,
    /// What the response did, task by task and sample by sample (for the database).
    pub record: ResponseRecord,
}

/// What a response did: every incident's state, task, sample (with its chain of
/// custody), station reading and alarm, as the run ended.
#[derive(Clone, Debug, Default)]
pub struct ResponseRecord {
    pub incidents: Vec<IncidentState>,
    pub tasks: Vec<Task>,
    pub samples: Vec<Sample>,
    /// (station point, time, pollutant, mg/L) of every alarm.
    pub alarms: Vec<(usize, SimTime, usize, f64)>,
    /// Every reading of every working station, in the order taken.
    pub readings: Vec<StationReading>,
}

/// One reading of an automatic station: the concentration the transport held at its
/// place when its cycle came round. A station out of order (a drill's disruption) takes
/// none.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StationReading {
    /// The station's point (index in `Scenario::points`).
    pub point: usize,
    pub at: SimTime,
    pub pollutant: usize,
    /// Concentration read [mg/L].
    pub mg_l: f64,
    /// Over the point's limit: the reading raised an alarm.
    pub alarm: bool,
}

impl ResponseState {
    pub fn record(&self) -> ResponseRecord {
        ResponseRecord {
            incidents: self.incidents.clone(),
            tasks: self.tasks.clone(),
            samples: self.samples.clone(),
            alarms: self.alarms.clone(),
            readings: self.readings.clone(),
        }
    }
}

#[derive(Debug)]
pub enum RunError {
    NoIncident,
    Setup(String),
    Run(KernelError),
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::NoIncident => write!(f, "nothing to respond to: the scenario has no [[incidents]]"),
            RunError::Setup(e) => write!(f, "setting up the run: {e}"),
            RunError::Run(e) => write!(f, "running: {e}"),
        }
    }
}

impl std::error::Error for RunError {}

/// The span of a run of `hours`: from the scenario clock's start to `hours` after the
/// first incident starts.
pub fn run_window(scenario: &Scenario, hours: SimDuration) -> Result<(SimTime, SimTime), RunError> {
    let first = scenario
        .incidents
        .iter()
        .map(|i| i.start)
        .min()
        .ok_or(RunError::NoIncident)?;
    Ok((SimTime::ZERO, first + hours))
}

/// Runs the incidents of a scenario with transport and the response under one policy;
/// the plan edits of `config` are made at their times.
pub fn run(scenario: Arc<Scenario>, config: &RunConfig) -> Result<RunOutcome, RunError> {
    let (_, end) = run_window(&scenario, config.hours)?;
    if scenario.teams.is_empty() {
        return Err(RunError::Setup("the scenario has no [[teams]] to respond with".into()));
    }
    let mut kernel = Kernel::<Event>::new(crate::kernel::KernelConfig {
        seed: config.seed,
        journal: config.journal,
        ..crate::kernel::KernelConfig::default()
    });
    install_incident_transport(&mut kernel, &scenario, end).map_err(|e| RunError::Setup(e.to_string()))?;
    install(
        &mut kernel,
        ResponseSetup::new(scenario.clone(), config.policy.policy(), end),
    )
    .map_err(RunError::Run)?;
    for edit in &config.plan_edits {
        let event = Event::PlanEdit {
            by: edit.by,
            incident: edit.incident,
            edit: edit.request.clone(),
        };
        kernel.schedule(edit.at, event).map_err(RunError::Run)?;
    }
    kernel.run_until(end).map_err(RunError::Run)?;
    let report = report::build(kernel.world_mut(), config.seed);
    let state = kernel.world().resource::<ResponseState>();
    let (plans, plan_history, express_reports, record) = (
        state.plans.clone(),
        state.plan_history.clone(),
        state.express_reports.clone(),
        state.record(),
    );
    Ok(RunOutcome {
        report,
        plans,
        plan_history,
        express_reports,
        record,
        journal: kernel.journal().to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task_at(location: Location, road_node: usize) -> Task {
        Task {
            incident: 0,
            point_id: "p".into(),
            role: Role::Downstream,
            location,
            road_node: Some(road_node),
            access: SimDuration::from_minutes(10),
            jurisdiction: 0,
            forecast_arrival: None,
            due: SimTime::ZERO,
            opened_at: None,
            status: TaskStatus::Open,
            team: None,
            mutual_aid_requested: false,
            mutual_aid_granted: false,
            sample: None,
            assigned_at: None,
            arrived_at: None,
            sampling_ends: None,
            requested_by: None,
            work: qa::SiteWork::SINGLE,
        }
    }

    fn unit(team: usize, road_node: usize, water: Option<Location>) -> TeamUnit {
        TeamUnit::new(team, road_node, water, true)
    }

    #[test]
    fn a_boat_travels_by_water_and_a_van_by_road() {
        let scenario = Arc::new(Scenario::builtin_named("two-incidents.toml").unwrap());
        let setup = ResponseSetup::new(
            scenario.clone(),
            dispatch::PolicyKind::Unified.policy(),
            SimTime::from_hours(48),
        );
        let team_with = |vehicle: &str| scenario.teams.iter().position(|t| t.vehicle == vehicle).unwrap();
        let reach = scenario.reach_idx("taipu_qingpu").unwrap();
        let here = Location::Reach {
            reach,
            chainage_m: 1_000.0,
        };
        let there = Location::Reach {
            reach,
            chainage_m: 6_000.0,
        };
        let task = task_at(there, 0);
        let boat = approach(
            &setup,
            &unit(team_with("boat"), 0, Some(here)),
            &task,
            SimTime::from_hours(12),
        )
        .unwrap();
        let speed_m_s = Catalogue::builtin().vehicle("boat").unwrap().speed_kmh.unwrap() / 3.6;
        assert!((boat.drive_s - 5_000.0 / speed_m_s).abs() < 1e-9);
        assert_eq!(boat.access_s, 0, "a boat samples from the water");
        let van_team = team_with("sampling_van");
        let from = scenario.depots[scenario.teams[van_team].depot].road_node;
        let van = approach(&setup, &unit(van_team, from, None), &task, SimTime::from_hours(12)).unwrap();
        assert_eq!(van.drive_s, setup.travel.between(from, 0).unwrap());
        assert_eq!(van.access_s, 600);
    }

    #[test]
    fn dispatch_weighs_how_soon_each_team_has_a_result() {
        // An antimony sample at the Jinze intake (the plan's method: the field antimony
        // analyser). A team carrying it has its result minutes after sampling; a mobile
        // laboratory after its on-board run; a team without either hands the sample to a
        // courier: the drive to the laboratory and the laboratory's run come on top.
        let scenario = Arc::new(Scenario::builtin_named("two-incidents.toml").unwrap());
        let setup = ResponseSetup::new(
            scenario.clone(),
            dispatch::PolicyKind::Unified.policy(),
            SimTime::from_hours(48),
        );
        let mut state = ResponseState {
            incidents: vec![IncidentState::new(ResponseLevel::IV); 2],
            plans: vec![None; 2],
            ..ResponseState::default()
        };
        let jinze = scenario.point_idx("jinze_intake").unwrap();
        let mut task = task_at(
            scenario.points[jinze].location,
            scenario.points[jinze].road_node.unwrap(),
        );
        task.point_id = "jinze_intake".into();
        let team = |id: &str| scenario.teams.iter().position(|t| t.id == id).unwrap();
        let catalogue = Catalogue::builtin();
        let analysis = Analysis::of(&setup, &state, &task);
        assert_eq!(analysis.method, "sb_voltammetry");
        let kit = analysis.after_arrival_s(&state, team("qingpu_duty"));
        let field = catalogue.instrument("sb_voltammetry").unwrap();
        assert_eq!(kit - analysis.on_site_s, (field.analysis_min * 60.0).round() as i64);
        let lab = analysis.after_arrival_s(&state, team("shanghai_mobile_lab"));
        let on_board = on_board_instrument(&scenario, team("shanghai_mobile_lab"), "sb_voltammetry", 0, 0.005).unwrap();
        assert_eq!(lab - analysis.on_site_s, (on_board.analysis_min * 60.0).round() as i64);
        let none = analysis.after_arrival_s(&state, team("qingpu_day_1"));
        assert_eq!(none - analysis.on_site_s, analysis.courier_s.unwrap());
        assert!(
            none > kit + 1800,
            "the courier costs more than half an hour: {none} vs {kit}"
        );
        // A failed kit is as good as none.
        state.failed_kits.push((team("qingpu_duty"), "sb_voltammetry".into()));
        assert_eq!(analysis.after_arrival_s(&state, team("qingpu_duty")), none);
    }
}
