//! The key measures of a response run: how fast each incident was discovered, planned
//! and sampled, whether every threatened intake was warned before the plume arrived and
//! by how much, border-section coverage, samples, team utilisation, tasks missed or late.

use super::{ResponseSetup, ResponseState, TaskStatus, TeamUnit};
use crate::equipment::{Catalogue, Method};
use crate::plan::Role;
use crate::planner::unit::UnitWater;
use crate::scenario::Scenario;
use crate::time::SimTime;
use crate::transport::plugin::{NamedPoint, PointSeries};
use bevy_ecs::prelude::*;
use serde::Serialize;

/// First sample at a plan point.
#[derive(Clone, Debug, Serialize)]
pub struct PointTiming {
    pub point: String,
    pub jurisdiction: String,
    /// First time the plume passes the limit there in the simulated truth [s].
    pub plume_over_limit_s: Option<i64>,
    /// When the first sample there was taken [s].
    pub first_sample_s: Option<i64>,
    /// The first sample was taken before the plume passed the limit (or the plume never did).
    pub sampled_before_plume: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct IntakeWarning {
    pub intake: String,
    /// The plan's forecast says the intake will exceed its limit.
    pub threatened: bool,
    /// When the forecast-based closure recommendation was issued (the plan) [s].
    pub forecast_warning_s: Option<i64>,
    /// First confirmed over-limit result upstream of or at the intake [s].
    pub confirmed_warning_s: Option<i64>,
    /// First time the true concentration at the intake exceeds the limit [s].
    pub plume_over_limit_s: Option<i64>,
    /// Confirmed before the plume arrived over the limit.
    pub warned_before_arrival: bool,
    /// Plume arrival minus confirmed warning [s]; negative if the warning was late.
    pub margin_s: Option<i64>,
    pub first_sample_s: Option<i64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct IncidentReport {
    pub id: String,
    pub jurisdiction: String,
    pub pollutant: String,
    pub start_s: i64,
    pub discovered_s: Option<i64>,
    pub discovered_by: Option<String>,
    pub plan_s: Option<i64>,
    /// Response level at the start (declared) and at the end, and every raise between.
    pub declared_level: String,
    pub level: String,
    pub level_changes: Vec<LevelChangeReport>,
    pub plan_points: usize,
    /// Revision of the plan at the end (1: never revised).
    pub plan_revision: u32,
    /// Released mass the last plan assumed [kg], against the true mass.
    pub estimated_mass_kg: Option<f64>,
    pub true_mass_kg: f64,
    pub first_sample_at_site_s: Option<i64>,
    /// Express reports (快报) issued for the incident.
    pub express_reports: usize,
    pub border_sections: Vec<PointTiming>,
    pub intakes: Vec<IntakeWarning>,
}

#[derive(Clone, Debug, Serialize)]
pub struct LevelChangeReport {
    pub at_s: i64,
    pub from: String,
    pub to: String,
    pub reason: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct TeamReport {
    pub team: String,
    pub jurisdiction: String,
    pub samples: u32,
    pub busy_s: i64,
    /// Busy time over the run [-].
    pub utilisation: f64,
}

/// A field kit: how many teams carry it and how much it was used.
#[derive(Clone, Debug, Serialize)]
pub struct KitReport {
    /// Catalogue instrument id.
    pub kit: String,
    /// Teams carrying one.
    pub teams: usize,
    /// Samples analysed on site with it.
    pub samples: usize,
    /// Time the kits were in use: sampling and analysis time of those samples [s].
    pub busy_s: i64,
    /// Busy time over the run and the kits carried [-].
    pub utilisation: f64,
}

/// A plan edit asked for during the run (a plan-edit file's, in a plain run) and what
/// came of it.
#[derive(Clone, Debug, Serialize)]
pub struct PlanEditReport {
    pub at_s: i64,
    /// `command` or a jurisdiction id.
    pub by: String,
    pub incident: String,
    /// What was asked, e.g. `remove I1-down-5km`.
    pub edit: String,
    /// Applied; when false, `outcome` says why it was refused.
    pub applied: bool,
    pub outcome: String,
    /// `edit` as data (`EditRequest::text`), for another language; not serialised.
    #[serde(skip)]
    pub edit_text: crate::drill::text::Text,
    /// `outcome` as data, for another language; not serialised.
    #[serde(skip)]
    pub outcome_text: crate::drill::text::Text,
}

impl PlanEditReport {
    pub fn of(scenario: &Scenario, record: &super::edit::EditRecord) -> PlanEditReport {
        PlanEditReport {
            at_s: record.at.seconds(),
            by: record.by.label(scenario),
            incident: scenario
                .incidents
                .get(record.incident)
                .map_or_else(|| format!("#{}", record.incident), |i| i.id.clone()),
            edit: record.request.describe(),
            applied: record.applied,
            outcome: record.outcome.clone(),
            edit_text: record.request.text(),
            outcome_text: record.outcome_text.clone(),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct RunReport {
    pub scenario: String,
    pub policy: String,
    pub seed: u64,
    pub end_s: i64,
    pub incidents: Vec<IncidentReport>,
    pub samples_taken: usize,
    pub results_known: usize,
    /// Field results sent to a laboratory for confirmation (HJ 589), and how many of
    /// those confirmations were known by the end.
    pub lab_confirmations: usize,
    pub lab_confirmations_known: usize,
    pub tasks: usize,
    pub tasks_done: usize,
    pub tasks_late: usize,
    pub tasks_missed: usize,
    pub station_alarms: usize,
    pub teams: Vec<TeamReport>,
    /// Field kits carried by some team, in catalogue order.
    pub field_kits: Vec<KitReport>,
    /// Border sections (over all incidents) sampled before their plume.
    pub border_sections_covered: usize,
    pub border_sections_total: usize,
    /// Threatened intakes warned (confirmed) before the plume arrived.
    pub intakes_warned: usize,
    pub intakes_threatened: usize,
    /// Plan edits asked for, in order, applied or refused.
    pub plan_edits: Vec<PlanEditReport>,
}

/// First time a series exceeds `limit` at or after `from`.
pub(crate) fn first_over(series: &PointSeries, pollutant: usize, limit: f64, from: SimTime) -> Option<i64> {
    series
        .times
        .iter()
        .zip(&series.conc[pollutant])
        .find(|(t, c)| **t >= from && **c > limit)
        .map(|(t, _)| t.seconds())
}

pub fn build(world: &mut World, seed: u64) -> RunReport {
    let series: Vec<(usize, PointSeries)> = world
        .query::<(&NamedPoint, &PointSeries)>()
        .iter(world)
        .map(|(p, s)| (p.point_idx, s.clone()))
        .collect();
    let mut teams: Vec<TeamUnit> = world.query::<&TeamUnit>().iter(world).cloned().collect();
    teams.sort_by_key(|u| u.team);
    let setup = world.resource::<ResponseSetup>();
    let state = world.resource::<ResponseState>();
    let scenario: &Scenario = &setup.scenario;
    let end = setup.end;
    let water = world.get_resource::<UnitWater>();
    // First time the true concentration passes `limit` at a named point, on the output grid.
    let plume_over = |point_id: &str, pollutant: usize, limit: f64, from: SimTime| -> Option<i64> {
        let idx = scenario.point_idx(point_id)?;
        match water {
            Some(water) => water.first_over(pollutant, scenario.points[idx].location, limit, from, end),
            None => series
                .iter()
                .find(|(i, _)| *i == idx)
                .and_then(|(_, s)| first_over(s, pollutant, limit, from)),
        }
    };
    let first_sample = |incident: usize, point_id: &str| -> Option<i64> {
        state
            .samples
            .iter()
            .filter(|s| s.incident == incident && s.point_id == point_id)
            .map(|s| s.taken_at.seconds())
            .min()
    };
    let mut incidents = Vec::new();
    for (idx, incident) in scenario.incidents.iter().enumerate() {
        let plan = state.plans[idx].as_ref();
        let pollutant = incident.pollutant;
        let plan_points = plan.map_or(&[][..], |p| &p.points[..]);
        let border_sections = plan_points
            .iter()
            .filter(|p| p.role == Role::BorderSection)
            .map(|p| {
                let plume = plume_over(&p.id, pollutant, p.limit_mg_l, incident.start);
                let first = first_sample(idx, &p.id);
                PointTiming {
                    point: p.id.clone(),
                    jurisdiction: scenario.jurisdictions[p.jurisdiction].id.clone(),
                    plume_over_limit_s: plume,
                    first_sample_s: first,
                    sampled_before_plume: first.is_some_and(|f| plume.is_none_or(|a| f <= a)),
                }
            })
            .collect();
        let intakes = plan_points
            .iter()
            .filter(|p| p.role == Role::Intake)
            .map(|p| {
                let threatened = p.forecast_peak_mg_l > p.limit_mg_l;
                let plume = plume_over(&p.id, pollutant, p.limit_mg_l, incident.start);
                let confirmed = confirmed_warning(state, idx, &p.id);
                let warned = threatened && confirmed.is_some_and(|c| plume.is_none_or(|a| c <= a));
                IntakeWarning {
                    intake: p.id.clone(),
                    threatened,
                    forecast_warning_s: threatened
                        .then(|| state.incidents[idx].plan_at.map(|t| t.seconds()))
                        .flatten(),
                    confirmed_warning_s: confirmed,
                    plume_over_limit_s: plume,
                    warned_before_arrival: warned,
                    margin_s: confirmed.zip(plume).map(|(c, a)| a - c),
                    first_sample_s: first_sample(idx, &p.id),
                }
            })
            .collect();
        let site = plan_points
            .iter()
            .find(|p| p.role == Role::ReleaseSite)
            .map(|p| p.id.clone());
        incidents.push(IncidentReport {
            id: incident.id.clone(),
            jurisdiction: scenario.jurisdictions[incident.jurisdiction].id.clone(),
            pollutant: scenario.pollutants[pollutant].id.clone(),
            start_s: incident.start.seconds(),
            discovered_s: state.incidents[idx].discovered_at.map(|t| t.seconds()),
            discovered_by: state.incidents[idx].discovered_by.clone(),
            plan_s: state.incidents[idx].plan_at.map(|t| t.seconds()),
            declared_level: super::level::label(incident.response_level).to_string(),
            level: super::level::label(state.incidents[idx].level).to_string(),
            level_changes: state.incidents[idx]
                .level_changes
                .iter()
                .map(|c| LevelChangeReport {
                    at_s: c.at.seconds(),
                    from: super::level::label(c.from).to_string(),
                    to: super::level::label(c.to).to_string(),
                    reason: c.reason.clone(),
                })
                .collect(),
            plan_points: plan_points.len(),
            plan_revision: plan.map_or(0, |p| p.revision),
            estimated_mass_kg: plan.map(|p| p.estimated_mass_kg),
            true_mass_kg: incident.mass_kg,
            first_sample_at_site_s: site.and_then(|s| first_sample(idx, &s)),
            express_reports: state.express_reports.iter().filter(|r| r.incident == idx).count(),
            border_sections,
            intakes,
        });
    }
    let tasks_done = state.tasks.iter().filter(|t| t.status == TaskStatus::Done).count();
    let tasks_late = state
        .tasks
        .iter()
        .filter(|t| t.status == TaskStatus::Done && t.sampled_late(&state.samples))
        .count();
    let tasks_missed = state.tasks.iter().filter(|t| t.missed_by(end)).count();
    // Utilisation is over the run: from the first incident to the end.
    let first_start = scenario
        .incidents
        .iter()
        .map(|i| i.start)
        .min()
        .unwrap_or(SimTime::ZERO);
    let run_s = (end - first_start).seconds().max(1) as f64;
    let team_reports = teams
        .iter()
        .map(|u| {
            let busy_s = u.busy_s + u.busy_since.map_or(0, |since| (end - since).seconds());
            TeamReport {
                team: scenario.teams[u.team].id.clone(),
                jurisdiction: scenario.jurisdictions[scenario.teams[u.team].jurisdiction].id.clone(),
                samples: u.n_samples,
                busy_s,
                utilisation: busy_s as f64 / run_s,
            }
        })
        .collect();
    let field_kits = Catalogue::builtin()
        .instruments()
        .iter()
        .filter(|i| i.method == Method::Field)
        .filter_map(|kit| {
            let teams = scenario
                .teams
                .iter()
                .filter(|t| t.instruments.contains(&kit.id))
                .count();
            (teams > 0).then(|| {
                let used: Vec<_> = state.samples.iter().filter(|s| s.method == kit.id).collect();
                let sampling_s = (kit.sample_min * 60.0).round() as i64;
                let busy_s: i64 = used
                    .iter()
                    .map(|s| sampling_s + (s.result_at.min(end) - s.taken_at).seconds().max(0))
                    .sum();
                KitReport {
                    kit: kit.id.clone(),
                    teams,
                    samples: used.len(),
                    busy_s,
                    utilisation: busy_s as f64 / (run_s * teams as f64),
                }
            })
        })
        .collect();
    let border_total: usize = incidents.iter().map(|i: &IncidentReport| i.border_sections.len()).sum();
    let border_covered: usize = incidents
        .iter()
        .map(|i| i.border_sections.iter().filter(|b| b.sampled_before_plume).count())
        .sum();
    let threatened: usize = incidents
        .iter()
        .map(|i| i.intakes.iter().filter(|w| w.threatened).count())
        .sum();
    let warned: usize = incidents
        .iter()
        .map(|i| i.intakes.iter().filter(|w| w.warned_before_arrival).count())
        .sum();
    RunReport {
        scenario: scenario.name.clone(),
        policy: setup.policy.kind().name().to_string(),
        seed,
        end_s: end.seconds(),
        incidents,
        samples_taken: state.samples.iter().filter(|s| s.confirms.is_none()).count(),
        results_known: state
            .samples
            .iter()
            .filter(|s| s.result_known && s.confirms.is_none())
            .count(),
        lab_confirmations: state.samples.iter().filter(|s| s.confirms.is_some()).count(),
        lab_confirmations_known: state
            .samples
            .iter()
            .filter(|s| s.result_known && s.confirms.is_some())
            .count(),
        tasks: state.tasks.len(),
        tasks_done,
        tasks_late,
        tasks_missed,
        station_alarms: state.alarms.len(),
        teams: team_reports,
        field_kits,
        border_sections_covered: border_covered,
        border_sections_total: border_total,
        intakes_warned: warned,
        intakes_threatened: threatened,
        plan_edits: state.edit_log.iter().map(|r| PlanEditReport::of(scenario, r)).collect(),
    }
}

/// First known over-limit result of the incident at a point from which the plume flows
/// to the intake (or at the intake itself).
fn confirmed_warning(state: &ResponseState, incident: usize, intake_id: &str) -> Option<i64> {
    let plan = state.plans[incident].as_ref()?;
    let intake_arrival = plan.points.iter().find(|p| p.id == intake_id)?.forecast_arrival;
    state
        .samples
        .iter()
        .filter(|s| s.incident == incident && s.over_limit && s.result_known)
        .filter(|s| {
            // Below the release and above the intake on the plume's path (reached by the
            // forecast plume no later than the intake): the plume is confirmed on its way,
            // not only at its source.
            plan.points.iter().find(|p| p.id == s.point_id).is_some_and(|p| {
                !matches!(p.role, Role::ReleaseSite | Role::UpstreamControl)
                    && (p.id == intake_id || p.forecast_arrival.zip(intake_arrival).is_some_and(|(a, b)| a <= b))
            })
        })
        .map(|s| s.result_at.seconds())
        .min()
}
