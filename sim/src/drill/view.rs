//! What a front end shows of a drill session, as plain data: the map's geometry (once),
//! and a snapshot at the current time — incidents, plans with each point's next due
//! sample, teams with where they are and what they do, results, inboxes, the event log,
//! the plume along every reach and the chart of a selected point. Built from the world
//! without changing it; knows nothing of any terminal.

use super::engine::{DrillLog, DrillSetup};
use super::evaluate::{TimelineEntry, TimelineSource, timeline_of, timeline_where};
use super::{InjectKind, Seat, Session};
use crate::equipment::Catalogue;
use crate::plan::Role;
use crate::response::{LATE_TOLERANCE, ResponseSetup, ResponseState, TaskStatus, TeamUnit};
use crate::scenario::{NodeKind, PointKind, Scenario};
use crate::time::{SimDuration, SimTime};
use crate::transport::Transport;
use crate::transport::plugin::{NamedPoint, PointSeries};
use serde::{Deserialize, Serialize};

/// The zone as drawn on the map [degrees].
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MapGeometry {
    /// (west, south, east, north).
    pub bounds: (f64, f64, f64, f64),
    /// Each reach as a polyline of (lon, lat).
    pub reaches: Vec<Vec<(f64, f64)>>,
    /// Lakes: (id, lon, lat).
    pub lakes: Vec<(String, f64, f64)>,
    pub points: Vec<MapPoint>,
    /// Road links as segments.
    pub roads: Vec<((f64, f64), (f64, f64))>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MapPoint {
    pub id: String,
    pub kind: PointKind,
    pub lon: f64,
    pub lat: f64,
}

impl MapGeometry {
    pub fn of(scenario: &Scenario) -> MapGeometry {
        let reaches: Vec<Vec<(f64, f64)>> = scenario
            .reaches
            .iter()
            .map(|r| r.path.iter().map(|p| (p[0], p[1])).collect())
            .collect();
        let mut bounds = (f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY);
        let mut grow = |lon: f64, lat: f64| {
            bounds.0 = bounds.0.min(lon);
            bounds.1 = bounds.1.min(lat);
            bounds.2 = bounds.2.max(lon);
            bounds.3 = bounds.3.max(lat);
        };
        for &(lon, lat) in reaches.iter().flatten() {
            grow(lon, lat);
        }
        for p in &scenario.points {
            grow(p.lon, p.lat);
        }
        let road_at = |n: usize| (scenario.road_nodes[n].lon, scenario.road_nodes[n].lat);
        MapGeometry {
            bounds,
            reaches,
            lakes: scenario
                .nodes
                .iter()
                .filter(|n| matches!(n.kind, NodeKind::Lake { .. }))
                .map(|n| (n.id.clone(), n.lon, n.lat))
                .collect(),
            points: scenario
                .points
                .iter()
                .map(|p| MapPoint {
                    id: p.id.clone(),
                    kind: p.kind,
                    lon: p.lon,
                    lat: p.lat,
                })
                .collect(),
            roads: scenario
                .roads
                .iter()
                .map(|r| (road_at(r.from), road_at(r.to)))
                .collect(),
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct IncidentView {
    pub idx: usize,
    pub id: String,
    pub name: String,
    pub jurisdiction: String,
    pub pollutant: String,
    pub place: String,
    pub lon: f64,
    pub lat: f64,
    pub level: String,
    pub known_at: SimTime,
    pub known_by: String,
    pub plan_revision: Option<u32>,
    pub estimated_mass_kg: Option<f64>,
    /// When the release began: the declared estimate of a live incident (or the truth in
    /// the controller view); `None` when the players do not know it.
    pub released_at: Option<SimTime>,
    /// The mass the incident was declared or reported with [kg].
    pub declared_mass_kg: Option<f64>,
    /// Jurisdictions downstream (index, id): those to notify.
    pub downstream: Vec<(usize, String)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PointStatus {
    /// The next sample is more than the dispatch look-ahead away.
    Planned,
    /// A sample is due and no team has it yet.
    Due,
    /// A team is on its way or at the water.
    Assigned,
    /// A due sample is later than the tolerance.
    Late,
    /// Monitoring there is over.
    Done,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PlanPointView {
    pub id: String,
    pub role: Role,
    pub jurisdiction: String,
    pub team: Option<String>,
    /// Sampling interval while the plume passes [min].
    pub dense_min: i64,
    pub next_due: Option<SimTime>,
    pub status: PointStatus,
    pub samples_taken: usize,
    /// Latest known result [mg/L] and whether it is over the limit.
    pub last_result: Option<(f64, bool)>,
    /// Mutual aid was asked for here by hand.
    pub mutual_aid: bool,
    /// Samples taken by a team whose result has not been typed in yet (live).
    pub awaiting_results: usize,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PlanView {
    pub incident: usize,
    pub revision: u32,
    pub method: String,
    pub estimated_mass_kg: f64,
    pub points: Vec<PlanPointView>,
    /// The command's approval of this revision (when, by whom); `None`: proposed.
    pub approved: Option<(SimTime, String)>,
    /// Points the command may add: named points the plan does not sample, or removed ones.
    pub addable: Vec<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TeamView {
    pub id: String,
    pub jurisdiction: String,
    pub vehicle: String,
    pub lon: f64,
    pub lat: f64,
    /// What it does: idle, driving, sampling, out of service.
    pub activity: String,
    /// Where: its depot, the point of its task, or the road node where it waits.
    pub place: String,
    /// When what it does ends: its time out of service, its arrival (driving), the time
    /// its sample will have been taken (sampling; fixed as it reaches the water, so it
    /// does not move with the clock); none when idle.
    pub until: Option<SimTime>,
    /// Its sample will be taken more than the late tolerance after the sample's due
    /// time (the plan's "late"): it reached the water too late, or (driving) it will.
    #[serde(default)]
    pub late: bool,
    /// The incident of its task (index), when it has one.
    #[serde(default)]
    pub incident: Option<usize>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ResultView {
    pub sample: usize,
    pub taken_at: SimTime,
    pub known_at: SimTime,
    pub point: String,
    pub team: String,
    pub pollutant: String,
    pub mg_l: f64,
    pub limit_mg_l: f64,
    /// The method's detection limit [mg/L] (0: not known); a result of 0 is a non-detect
    /// below it.
    #[serde(default)]
    pub detection_limit_mg_l: f64,
    /// The GB 3838 evaluation by its stable name ([`evaluation_label`]), or `—` for a
    /// result that shows nothing (a non-detect above the limit).
    pub class: String,
    pub over_limit: bool,
    /// False for a non-detect by a method whose detection limit is not below the limit:
    /// it shows neither compliance nor exceedance.
    pub conclusive: bool,
    /// The instrument (catalogue id), its standard method, and where the sample was
    /// analysed (`on site`, `on board TEAM`, a laboratory depot).
    pub method: String,
    pub standard: String,
    pub analysed_at: String,
    /// The field sample this laboratory result confirms.
    pub confirms: Option<usize>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct InboxView {
    pub inject: usize,
    pub number: String,
    pub seat: Seat,
    pub seat_label: String,
    pub delivered_at: SimTime,
    pub from: String,
    pub channel: String,
    pub message: String,
    pub acknowledged_at: Option<SimTime>,
}

/// How far a drinking-water intake's warning has gone, as the players know it; each
/// state includes the ones before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntakeWarning {
    /// No known incident's water comes down to it.
    Clear,
    /// A known incident's water comes down to it.
    Threatened,
    /// Its latest known result is over the limit.
    OverLimit,
    /// Its owner was advised to close it (and not to reopen it since).
    CloseAdvised,
}

/// A drinking-water intake and its warning state.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct IntakeView {
    pub id: String,
    pub jurisdiction: String,
    pub warning: IntakeWarning,
    /// Known incidents whose water comes down to it (ids).
    pub threatened_by: Vec<String>,
    /// The latest advice about it: (when, close rather than reopen, by which seat).
    pub advice: Option<(SimTime, bool, String)>,
    /// Its latest known result [mg/L] and whether it is over the limit.
    pub last_result: Option<(f64, bool)>,
}

/// A point's chart: the plan forecast, the limit and the results.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ChartView {
    pub point: String,
    pub pollutant: String,
    pub limit_mg_l: f64,
    /// Plan forecast (time [s], mg/L).
    pub forecast: Vec<(i64, f64)>,
    /// Simulated truth (controller view only).
    pub truth: Vec<(i64, f64)>,
    /// Known results (taken [s], mg/L).
    pub results: Vec<(i64, f64)>,
}

/// The state of a session at one moment.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Snapshot {
    pub drill: String,
    pub policy: String,
    pub now: SimTime,
    pub start: SimTime,
    pub end: SimTime,
    pub incidents: Vec<IncidentView>,
    pub plans: Vec<PlanView>,
    pub teams: Vec<TeamView>,
    pub results: Vec<ResultView>,
    pub inbox: Vec<InboxView>,
    /// Ad-hoc injects: (index, number, message, released).
    pub adhoc: Vec<(usize, String, String, bool)>,
    pub log: Vec<TimelineEntry>,
    /// Along every reach: (lon, lat, concentration over the limit) of each cell where the
    /// simulated plume is above a hundredth of the limit (controller view).
    pub plume: Vec<(f64, f64, f64)>,
    pub chart: Option<ChartView>,
    /// Named points with an automatic station that is out of order now.
    pub failed_stations: Vec<String>,
    /// A live incident session (the person declares incidents and types in results).
    pub live: bool,
    /// The evaluators' observations (the exercise server shows them to controllers and
    /// evaluators only).
    #[serde(default)]
    pub observations: Vec<crate::drill::evaluate::Observation>,
    /// Every drinking-water intake of the zone, in the scenario's order, with its warning.
    #[serde(default)]
    pub intakes: Vec<IntakeView>,
    /// What the known results say about each known incident's source (the source panel).
    /// Identification takes seconds, so [`snapshot`] leaves this empty and the front end
    /// that runs the estimates off its simulation thread fills it in.
    #[serde(default)]
    pub sources: Vec<super::source::SourceEstimate>,
}

/// Builds the snapshot. `chart_point`: the named point whose chart to include; `truth`:
/// include the simulated truth (controllers), else only what the players know.
pub fn snapshot(session: &Session, chart_point: Option<&str>, truth: bool) -> Snapshot {
    let world = session.world();
    let drill = session.drill();
    let scenario = &drill.scenario;
    let setup = world.resource::<DrillSetup>();
    let state = world.resource::<ResponseState>();
    let log = world.resource::<DrillLog>();
    let now = session.now();
    let incidents = incidents(scenario, state, world.resource::<ResponseSetup>(), truth || state.live);
    let plans = state
        .plans
        .iter()
        .flatten()
        .map(|plan| PlanView {
            incident: plan.incident,
            revision: plan.revision,
            method: plan.method.clone(),
            estimated_mass_kg: plan.estimated_mass_kg,
            points: plan
                .points
                .iter()
                .map(|p| plan_point(scenario, state, plan.incident, p, now))
                .collect(),
            approved: plan.approved.as_ref().map(|a| (a.at, a.by.clone())),
            addable: plan.others.iter().map(|p| p.id.clone()).collect(),
        })
        .collect();
    let results = state
        .samples
        .iter()
        .enumerate()
        .filter(|(_, s)| s.result_known || truth)
        .map(|(i, s)| ResultView {
            sample: i,
            taken_at: s.taken_at,
            known_at: s.result_at,
            point: s.point_id.clone(),
            team: s.team_label(scenario),
            pollutant: scenario.pollutants[s.pollutant].id.clone(),
            mg_l: s.reported_mg_l,
            limit_mg_l: s.limit_mg_l,
            detection_limit_mg_l: s.detection_limit_mg_l,
            class: s.evaluation.map_or("—".to_string(), evaluation_label),
            over_limit: s.over_limit,
            conclusive: s.conclusive,
            method: s.method.clone(),
            standard: crate::equipment::Catalogue::builtin()
                .instrument(&s.method)
                .map_or(String::new(), |i| i.standard.clone()),
            analysed_at: s.analysed_at.clone(),
            confirms: s.confirms,
        })
        .collect();
    let inbox = log
        .inbox
        .iter()
        .map(|item| {
            let inject = &drill.injects[item.inject];
            InboxView {
                inject: item.inject,
                number: inject.number.clone(),
                seat: item.seat,
                seat_label: item.seat.label(scenario),
                delivered_at: item.delivered_at,
                from: inject.from.clone(),
                channel: inject.channel.clone(),
                message: inject.message.clone(),
                acknowledged_at: item.acknowledged_at,
            }
        })
        .collect();
    let adhoc = drill
        .injects
        .iter()
        .enumerate()
        .filter(|(_, i)| i.kind == InjectKind::Adhoc)
        .map(|(idx, i)| (idx, i.number.clone(), i.message.clone(), log.delivered[idx].is_some()))
        .collect();
    let mut log_entries = timeline_of(drill, state, log);
    if !truth {
        // Players do not see the controllers' disruptions as such.
        log_entries.retain(|e| e.who != "controller");
    }
    let failed_stations = scenario
        .points
        .iter()
        .zip(&state.station_failed_until)
        .filter(|(_, until)| until.is_some_and(|u| now < u))
        .map(|(p, _)| p.id.clone())
        .collect();
    let intakes = intakes(scenario, state, world.resource::<ResponseSetup>(), log, &incidents);
    Snapshot {
        drill: drill.name.clone(),
        policy: setup.policy.name().to_string(),
        now,
        start: drill.start,
        end: drill.end(),
        incidents,
        plans,
        teams: teams(session),
        results,
        inbox,
        adhoc,
        log: log_entries,
        plume: if truth { plume(world, scenario) } else { Vec::new() },
        chart: chart_point.and_then(|p| chart(session, p, truth)),
        failed_stations,
        live: state.live,
        observations: world.resource::<DrillLog>().observations.clone(),
        intakes,
        sources: Vec::new(),
    }
}

/// The incidents a jurisdiction knows of, by index: those discovered in it (the incident
/// is in the jurisdiction, or a station of the jurisdiction raised the alarm) and those
/// it was notified of by another seat (a notification that names no incident tells of
/// every incident known when it was made). An incident nobody has discovered is known to
/// no jurisdiction.
pub fn known_to_jurisdiction(session: &Session, jurisdiction: usize) -> Vec<bool> {
    let world = session.world();
    let scenario = &session.drill().scenario;
    let state = world.resource::<ResponseState>();
    let log = world.resource::<DrillLog>();
    scenario
        .incidents
        .iter()
        .zip(&state.incidents)
        .enumerate()
        .map(|(i, (incident, known))| {
            let Some(discovered_at) = known.discovered_at else {
                return false;
            };
            let alarm_here = known
                .discovered_by
                .as_deref()
                .and_then(|by| by.strip_prefix(crate::response::ALARM_DISCOVERY_PREFIX))
                .and_then(|point| scenario.point_idx(point))
                .is_some_and(|p| scenario.points[p].jurisdiction == jurisdiction);
            let notified = log.actions.iter().any(|a| match a.action {
                super::Action::Notify { to, incident: about } => {
                    to == jurisdiction && about.map_or(discovered_at <= a.at, |about| about == i)
                }
                _ => false,
            });
            incident.jurisdiction == jurisdiction || alarm_here || notified
        })
        .collect()
}

/// Narrows a players' snapshot (`snapshot(session, _, false)`) to what a jurisdiction's
/// seat knows: the incidents of [`known_to_jurisdiction`] and their plans; results of
/// those incidents, of its own teams and at its own points; the source estimates of those
/// incidents; intakes threatened by those incidents only; its own inbox; the log of those incidents, of the injects it was sent,
/// of its own actions, of the actions addressed to it or about those incidents and of the
/// actions with its teams. Another jurisdiction's team busy with an incident it does not
/// know is shown at its depot, `busy`, without the task's point.
pub fn restrict_to_jurisdiction(snapshot: &mut Snapshot, session: &Session, jurisdiction: usize) {
    let world = session.world();
    let drill = session.drill();
    let scenario = &drill.scenario;
    let state = world.resource::<ResponseState>();
    let log = world.resource::<DrillLog>();
    let known = known_to_jurisdiction(session, jurisdiction);
    let seat = Seat::Jurisdiction(jurisdiction);
    let own_id = &scenario.jurisdictions[jurisdiction].id;
    let point_is_own = |point: &str| {
        scenario
            .point_idx(point)
            .is_some_and(|p| scenario.points[p].jurisdiction == jurisdiction)
    };
    let team_is_own = |team: usize| scenario.teams.get(team).is_some_and(|t| t.jurisdiction == jurisdiction);
    snapshot.incidents.retain(|i| known[i.idx]);
    snapshot.plans.retain(|p| known[p.incident]);
    // An estimate weighs every result of its incident: a jurisdiction sees it when it sees
    // those results, that is when it knows the incident.
    snapshot.sources.retain(|e| known[e.incident]);
    snapshot.results.retain(|r| {
        let sample = &state.samples[r.sample];
        known[sample.incident] || sample.team.is_some_and(team_is_own) || point_is_own(&sample.point_id)
    });
    let known_ids: Vec<&str> = snapshot.incidents.iter().map(|i| i.id.as_str()).collect();
    for intake in &mut snapshot.intakes {
        intake.threatened_by.retain(|id| known_ids.contains(&id.as_str()));
        if intake.warning == IntakeWarning::Threatened && intake.threatened_by.is_empty() {
            intake.warning = IntakeWarning::Clear;
        }
    }
    snapshot.inbox.retain(|item| item.seat == seat);
    for team in &mut snapshot.teams {
        if &team.jurisdiction != own_id && team.incident.is_some_and(|i| !known[i]) {
            if let Some(t) = scenario.teams.iter().find(|t| t.id == team.id) {
                let depot = &scenario.depots[t.depot];
                let node = &scenario.road_nodes[depot.road_node];
                (team.lon, team.lat) = (node.lon, node.lat);
            }
            team.activity = "busy".to_string();
            team.place = String::new();
            team.until = None;
            team.late = false;
            team.incident = None;
        }
    }
    if let Some(chart) = &snapshot.chart
        && !point_is_own(&chart.point)
        && !snapshot
            .plans
            .iter()
            .any(|p| p.points.iter().any(|pp| pp.id == chart.point))
    {
        snapshot.chart = None;
    }
    let keep = |source: TimelineSource<'_>| match source {
        TimelineSource::Incident(i) => known[i],
        TimelineSource::Inject(idx) => drill.injects[idx].to.contains(&seat),
        TimelineSource::Action(a) => {
            a.seat == seat
                || matches!(a.action, super::Action::Notify { to, .. } if to == jurisdiction)
                || action_incident(&a.action).is_some_and(|i| known.get(i).copied().unwrap_or(false))
                || matches!(a.action, super::Action::Dispatch { team, .. } if team_is_own(team))
        }
        TimelineSource::Disruption => false,
    };
    snapshot.log = timeline_where(drill, state, log, &keep);
}

/// The incident an action is about, when it names one.
fn action_incident(action: &super::Action) -> Option<usize> {
    use super::Action as A;
    match action {
        A::Notify { incident, .. } | A::IntakeAdvice { incident, .. } => *incident,
        A::ApprovePlan { incident, .. }
        | A::AddPlanPoint { incident, .. }
        | A::RemovePlanPoint { incident, .. }
        | A::SetPlanInterval { incident, .. }
        | A::RequestMutualAid { incident, .. }
        | A::ReviseIncident { incident, .. }
        | A::EnterResult { incident, .. } => Some(*incident),
        A::Acknowledge { .. }
        | A::RequestSample { .. }
        | A::MediaStatement
        | A::ReleaseInject { .. }
        | A::Dispatch { .. }
        | A::SetPolicy { .. }
        | A::DeclareIncident { .. }
        | A::Observe { .. } => None,
    }
}

/// Every intake with what the players know of it: the incidents shown (`known`) whose
/// water comes down to it, the latest advice about it, its latest known result.
fn intakes(
    scenario: &Scenario,
    state: &ResponseState,
    setup: &ResponseSetup,
    log: &DrillLog,
    known: &[IncidentView],
) -> Vec<IntakeView> {
    scenario
        .points
        .iter()
        .enumerate()
        .filter(|(_, p)| p.kind == PointKind::Intake)
        .map(|(idx, point)| {
            let threatened_by: Vec<String> = known
                .iter()
                .filter(|i| setup.incident_downstream[i.idx].contains(&idx))
                .map(|i| i.id.clone())
                .collect();
            let advice = log.actions.iter().rev().find_map(|a| match a.action {
                super::Action::IntakeAdvice { point, close, .. } if point == idx => {
                    Some((a.at, close, a.seat.label(scenario)))
                }
                _ => None,
            });
            let last_result = state
                .samples
                .iter()
                .filter(|s| s.point_id == point.id && s.result_known)
                .max_by_key(|s| s.taken_at)
                .map(|s| (s.reported_mg_l, s.over_limit));
            let warning = if advice.as_ref().is_some_and(|a| a.1) {
                IntakeWarning::CloseAdvised
            } else if last_result.is_some_and(|r| r.1) {
                IntakeWarning::OverLimit
            } else if !threatened_by.is_empty() {
                IntakeWarning::Threatened
            } else {
                IntakeWarning::Clear
            };
            IntakeView {
                id: point.id.clone(),
                jurisdiction: scenario.jurisdictions[point.jurisdiction].id.clone(),
                warning,
                threatened_by,
                advice,
                last_result,
            }
        })
        .collect()
}

/// A result's GB 3838 evaluation by its stable name (docs/protocol.md), which front ends
/// translate: `I` … `V` or `worse_than_v` (a Table 1 item's class,
/// [`WaterClass::id`](crate::standards::WaterClass::id)), `compliant` (a Table 2 or 3
/// limit met), `×4.2` (a Table 2 or 3 limit exceeded: value / limit, one decimal), `—`
/// (no numeric limit).
pub fn evaluation_label(evaluation: crate::standards::Evaluation) -> String {
    use crate::standards::Evaluation as E;
    match evaluation {
        E::Class(class) => class.id().to_string(),
        E::Compliant => "compliant".to_string(),
        E::Exceeds { ratio } => format!("×{ratio:.1}"),
        E::NotEvaluable => "—".to_string(),
    }
}

/// `declared`: the release time and mass are known to the players (a live incident, or
/// the controller view).
fn incidents(scenario: &Scenario, state: &ResponseState, setup: &ResponseSetup, declared: bool) -> Vec<IncidentView> {
    scenario
        .incidents
        .iter()
        .enumerate()
        .filter_map(|(i, incident)| {
            let known = &state.incidents[i];
            let truth = declared && !state.live;
            let known_at = known.discovered_at.or(truth.then_some(incident.start))?;
            let [lon, lat] = crate::plan::lon_lat(scenario, incident.location);
            let plan = state.plans[i].as_ref();
            let mut downstream: Vec<usize> = setup.incident_downstream[i]
                .iter()
                .map(|&p| scenario.points[p].jurisdiction)
                .filter(|&j| j != incident.jurisdiction)
                .collect();
            downstream.sort_unstable();
            downstream.dedup();
            Some(IncidentView {
                idx: i,
                id: incident.id.clone(),
                name: incident.name.clone(),
                jurisdiction: scenario.jurisdictions[incident.jurisdiction].id.clone(),
                pollutant: scenario.pollutants[incident.pollutant].id.clone(),
                place: incident.source.map_or_else(
                    || scenario.location_label(incident.location),
                    |s| scenario.risk_sources[s].id.clone(),
                ),
                lon,
                lat,
                level: super::super::response::level::label(known.level).to_string(),
                known_at,
                known_by: known.discovered_by.clone().unwrap_or_else(|| "not yet known".into()),
                plan_revision: plan.map(|p| p.revision),
                estimated_mass_kg: plan.map(|p| p.estimated_mass_kg),
                released_at: declared.then_some(incident.start),
                declared_mass_kg: declared.then_some(incident.reported_mass_kg),
                downstream: downstream
                    .into_iter()
                    .map(|j| (j, scenario.jurisdictions[j].id.clone()))
                    .collect(),
            })
        })
        .collect()
}

fn plan_point(
    scenario: &Scenario,
    state: &ResponseState,
    incident: usize,
    p: &crate::plan::PlanPoint,
    now: SimTime,
) -> PlanPointView {
    let tasks: Vec<_> = state
        .tasks
        .iter()
        .filter(|t| t.incident == incident && t.point_id == p.id)
        .collect();
    let next = tasks
        .iter()
        .filter(|t| matches!(t.status, TaskStatus::Planned | TaskStatus::Open | TaskStatus::Assigned))
        .min_by_key(|t| t.due);
    let status = match next {
        None => PointStatus::Done,
        Some(t) if t.status == TaskStatus::Assigned => PointStatus::Assigned,
        Some(t) if t.due + LATE_TOLERANCE < now => PointStatus::Late,
        Some(t) if t.status == TaskStatus::Open => PointStatus::Due,
        Some(_) => PointStatus::Planned,
    };
    let last_result = state
        .samples
        .iter()
        .filter(|s| s.incident == incident && s.point_id == p.id && s.result_known)
        .max_by_key(|s| s.taken_at)
        .map(|s| (s.reported_mg_l, s.over_limit));
    PlanPointView {
        id: p.id.clone(),
        role: p.role,
        jurisdiction: scenario.jurisdictions[p.jurisdiction].id.clone(),
        team: p.team.map(|t| scenario.teams[t].id.clone()),
        dense_min: p.dense_interval.seconds() / 60,
        next_due: next.map(|t| t.due),
        status,
        samples_taken: tasks.iter().filter(|t| t.status == TaskStatus::Done).count(),
        last_result,
        mutual_aid: state
            .aid_requests
            .iter()
            .any(|(i, id, _)| *i == incident && *id == p.id),
        awaiting_results: state
            .samples
            .iter()
            .filter(|s| s.incident == incident && s.point_id == p.id && !s.result_known)
            .count(),
    }
}

fn teams(session: &Session) -> Vec<TeamView> {
    let world = session.world();
    let scenario = &session.drill().scenario;
    let state = world.resource::<ResponseState>();
    let now = session.now();
    let mut units: Vec<&TeamUnit> = world.iter_entities().filter_map(|e| e.get::<TeamUnit>()).collect();
    units.sort_by_key(|u| u.team);
    let at = |n: usize| (scenario.road_nodes[n].lon, scenario.road_nodes[n].lat);
    units
        .into_iter()
        .map(|u| {
            let team = &scenario.teams[u.team];
            let depot = &scenario.depots[team.depot];
            let (mut lon, mut lat) = at(u.road_node);
            let incident = u.task.map(|task| state.tasks[task].incident);
            let (activity, place, until, late) = match (u.task, u.out_of_service_until) {
                (_, Some(until)) if now < until => ("out of service".to_string(), depot.id.clone(), Some(until), false),
                (Some(task), _) => {
                    let t = &state.tasks[task];
                    let late_after = t.due + LATE_TOLERANCE;
                    match (t.arrived_at, u.trip_window) {
                        (None, Some((from, eta))) => {
                            // On the road: between where the trip began and the task.
                            let span = (eta - from).seconds().max(1) as f64;
                            let f = ((now - from).seconds() as f64 / span).clamp(0.0, 1.0);
                            let (x0, y0) = at(u.origin_node);
                            lon = x0 + (lon - x0) * f;
                            lat = y0 + (lat - y0) * f;
                            // The sample will be taken at the due time or on arrival,
                            // after the work at the water, as the engine schedules it.
                            let on_site = crate::response::on_site_time(world, task).unwrap_or(SimDuration::ZERO);
                            let ends = eta.max(t.due) + on_site;
                            ("driving".to_string(), t.point_id.clone(), Some(eta), ends > late_after)
                        }
                        _ => {
                            // At the water: the sample's time was scheduled on arrival.
                            let ends = t.sampling_ends.unwrap_or(t.due);
                            (
                                "sampling".to_string(),
                                t.point_id.clone(),
                                Some(ends),
                                ends > late_after,
                            )
                        }
                    }
                }
                _ => {
                    let place = if u.road_node == depot.road_node {
                        depot.id.clone()
                    } else {
                        scenario.road_nodes[u.road_node].id.clone()
                    };
                    ("idle".to_string(), place, None, false)
                }
            };
            TeamView {
                id: team.id.clone(),
                jurisdiction: scenario.jurisdictions[team.jurisdiction].id.clone(),
                vehicle: Catalogue::builtin()
                    .vehicle(&team.vehicle)
                    .map_or(team.vehicle.clone(), |v| v.id.clone()),
                lon,
                lat,
                activity,
                place,
                until,
                late,
                incident,
            }
        })
        .collect()
}

/// The simulated plume along every reach, relative to the strictest limit of the
/// incidents' pollutants at the reach's class.
fn plume(world: &bevy_ecs::world::World, scenario: &Scenario) -> Vec<(f64, f64, f64)> {
    let transport = world.resource::<Transport>();
    let mut pollutants: Vec<usize> = scenario.incidents.iter().map(|i| i.pollutant).collect();
    pollutants.sort_unstable();
    pollutants.dedup();
    let class = scenario.settings.target_class;
    let mut cells = Vec::new();
    for (r, reach) in scenario.reaches.iter().enumerate() {
        let mut ratios: Vec<f64> = Vec::new();
        for &p in &pollutants {
            let limit = scenario.limit_mg_l(p, class);
            let profile = transport.reach_profile(p, r);
            if ratios.is_empty() {
                ratios = vec![0.0; profile.len()];
            }
            for (ratio, c) in ratios.iter_mut().zip(profile) {
                *ratio = ratio.max(c / limit);
            }
        }
        let n = ratios.len().max(1) as f64;
        for (i, ratio) in ratios.iter().enumerate() {
            if *ratio >= 0.01 {
                let [lon, lat] = reach.lon_lat_at((i as f64 + 0.5) / n * reach.length_m);
                cells.push((lon, lat, *ratio));
            }
        }
    }
    cells
}

fn chart(session: &Session, point_id: &str, truth: bool) -> Option<ChartView> {
    let world = session.world();
    let scenario = &session.drill().scenario;
    let state = world.resource::<ResponseState>();
    let point_idx = scenario.point_idx(point_id);
    // The incident whose plan has the point, else the first known incident downstream.
    let setup = world.resource::<ResponseSetup>();
    let incident = state
        .plans
        .iter()
        .flatten()
        .find(|plan| plan.points.iter().any(|p| p.id == point_id))
        .map(|plan| plan.incident)
        .or_else(|| {
            let point = point_idx?;
            (0..state.incidents.len()).find(|&i| {
                (truth || state.incidents[i].discovered_at.is_some()) && setup.incident_downstream[i].contains(&point)
            })
        })?;
    let pollutant = scenario.incidents[incident].pollutant;
    let plan_point = state.plans[incident]
        .as_ref()
        .and_then(|plan| plan.points.iter().find(|p| p.id == point_id));
    let limit_mg_l = plan_point
        .map(|p| p.limit_mg_l)
        .or_else(|| point_idx.map(|p| scenario.limit_mg_l(pollutant, scenario.points[p].target_class)))?;
    let truth_series = if truth {
        point_idx
            .and_then(|idx| {
                world
                    .iter_entities()
                    .filter_map(|e| Some((e.get::<NamedPoint>()?, e.get::<PointSeries>()?)))
                    .find(|(p, _)| p.point_idx == idx)
                    .map(|(_, s)| s.samples(pollutant).map(|(t, c)| (t.seconds(), c)).collect())
            })
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    Some(ChartView {
        point: point_id.to_string(),
        pollutant: scenario.pollutants[pollutant].id.clone(),
        limit_mg_l,
        forecast: plan_point.map(|p| p.forecast_series.clone()).unwrap_or_default(),
        truth: truth_series,
        results: state
            .samples
            .iter()
            .filter(|s| s.point_id == point_id && s.pollutant == pollutant && (s.result_known || truth))
            .map(|s| (s.taken_at.seconds(), s.reported_mg_l))
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::evaluation_label;
    use crate::standards::{Evaluation, WaterClass};

    #[test]
    fn evaluations_have_stable_names_that_read_back_as_classes() {
        assert_eq!(evaluation_label(Evaluation::Class(WaterClass::III)), "III");
        assert_eq!(
            evaluation_label(Evaluation::Class(WaterClass::WorseThanV)),
            "worse_than_v"
        );
        assert_eq!(evaluation_label(Evaluation::Compliant), "compliant");
        assert_eq!(evaluation_label(Evaluation::Exceeds { ratio: 4.249 }), "×4.2");
        assert_eq!(evaluation_label(Evaluation::NotEvaluable), "—");
        for class in WaterClass::LIMITED.into_iter().chain([WaterClass::WorseThanV]) {
            let label = evaluation_label(Evaluation::Class(class));
            assert_eq!(WaterClass::from_id(&label), Some(class));
        }
    }
}
