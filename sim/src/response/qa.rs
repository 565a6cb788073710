//! Quality assurance of the response's samples (HJ 589-2021): the work of a round on site,
//! the chain of custody, laboratory confirmation of field results, and the express report
//! (快报) issued after each sampling round.

use super::{ResponseSetup, ResponseState, Sample, TaskStatus, level};
use crate::equipment::{Catalogue, Method};
use crate::event::Event;
use crate::kernel::{Context, KernelError};
use crate::plan::{PlanPoint, Role, layout};
use crate::scenario::{ResponseLevel, Scenario};
use crate::time::{SimDuration, SimTime};
use bevy_ecs::prelude::*;
use serde::Serialize;
use serde_json::json;
use std::fmt::Write as _;

/// What one round at a point takes, from the plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct SiteWork {
    /// Bottles: every vertical at every layer.
    pub bottles: u32,
    pub measure_flow: bool,
    pub duplicate: bool,
    pub sediment: bool,
}

impl SiteWork {
    /// One bottle, nothing else: a sample asked for outside the plan.
    pub const SINGLE: SiteWork = SiteWork {
        bottles: 1,
        measure_flow: false,
        duplicate: false,
        sediment: false,
    };

    /// The work of the round due at `due` at a plan point.
    pub fn at(point: &PlanPoint, due: SimTime) -> SiteWork {
        SiteWork {
            bottles: layout::bottles(point),
            measure_flow: point.measure_flow,
            duplicate: point.duplicates.contains(&due),
            sediment: point.sediment.contains(&due),
        }
    }

    /// Time on site: the method's sampling time, each further bottle (a duplicate and a
    /// sediment grab count as bottles), the flow measurement.
    pub fn on_site(&self, scenario: &Scenario, sample: SimDuration) -> SimDuration {
        let bottles = self.bottles + u32::from(self.duplicate) + u32::from(self.sediment);
        layout::on_site(scenario, sample, bottles, self.measure_flow)
    }
}

/// One hand-over in a sample's chain of custody.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Custody {
    pub at: SimTime,
    /// Who held it: a team id, `courier`, or a laboratory depot id.
    pub by: String,
    /// What happened: taken, analysed, handed over, received.
    pub what: String,
}

/// A reading of a method: the reported value (0 below the detection limit), whether it is
/// over the limit, whether it is conclusive, and its GB 3838 evaluation.
pub struct Reading {
    pub reported_mg_l: f64,
    pub over_limit: bool,
    pub conclusive: bool,
    pub evaluation: Option<crate::standards::Evaluation>,
}

/// Reads a concentration with a method of this detection limit against a limit.
pub fn read(scenario: &Scenario, pollutant: usize, true_mg_l: f64, detection_mg_l: f64, limit_mg_l: f64) -> Reading {
    let reported_mg_l = if true_mg_l >= detection_mg_l { true_mg_l } else { 0.0 };
    let conclusive = reported_mg_l > 0.0 || detection_mg_l < limit_mg_l;
    let evaluation = conclusive
        .then(|| {
            crate::standards::Gb3838::builtin()
                .get(&scenario.pollutants[pollutant].standard_item)
                .and_then(|item| item.evaluate(reported_mg_l).ok())
        })
        .flatten();
    Reading {
        reported_mg_l,
        over_limit: reported_mg_l > limit_mg_l,
        conclusive,
        evaluation,
    }
}

/// Does a field result known now go to a laboratory for confirmation? When the plan
/// confirms field results: every result over the limit or not conclusive, the first at
/// its point, and one in `confirm_every`.
fn needs_confirmation(state: &ResponseState, sample: usize) -> Option<String> {
    let s = &state.samples[sample];
    if s.confirms.is_some() || s.team.is_none() {
        return None;
    }
    let plan = state.plans[s.incident].as_ref()?;
    let lab = plan.qa.confirmation_method.clone()?;
    let field = Catalogue::builtin()
        .instrument(&s.method)
        .is_some_and(|i| i.method == Method::Field);
    if !field {
        return None;
    }
    let earlier = state.samples[..sample]
        .iter()
        .filter(|o| o.incident == s.incident && o.point_id == s.point_id && o.confirms.is_none())
        .count();
    let due = s.over_limit || !s.conclusive || earlier == 0 || earlier % plan.qa.confirm_every.max(1) as usize == 0;
    due.then_some(lab)
}

/// A field result is known: if the plan asks for it, the split the team kept goes by
/// courier to the nearest laboratory, whose result is a sample of its own that confirms
/// the field one.
pub(super) fn confirm_if_due(
    world: &mut World,
    ctx: &mut Context<'_, Event>,
    sample: usize,
) -> Result<(), KernelError> {
    let Some(lab_method) = needs_confirmation(world.resource::<ResponseState>(), sample) else {
        return Ok(());
    };
    let now = ctx.now();
    let setup = world.resource::<ResponseSetup>();
    let scenario = setup.scenario.clone();
    let end = setup.end;
    let state = world.resource::<ResponseState>();
    let field = &state.samples[sample];
    let Some(from) = field.task.and_then(|t| state.tasks[t].road_node) else {
        return Ok(());
    };
    let Some(courier) = super::courier(&scenario, setup, from) else {
        return Ok(());
    };
    let Some(instrument) = Catalogue::builtin().instrument(&lab_method) else {
        return Ok(());
    };
    let result_at = now + SimDuration(courier.drive_s.round() as i64 + (instrument.analysis_min * 60.0).round() as i64);
    let reading = read(
        &scenario,
        field.pollutant,
        field.true_mg_l,
        instrument.detection_limit_mg_l,
        field.limit_mg_l,
    );
    let team = field.team_label(&scenario);
    let lab = scenario.depots[courier.depot].id.clone();
    let mut custody = field.custody.clone();
    custody.push(Custody {
        at: now,
        by: team,
        what: format!("split of sample {sample} handed to the courier for confirmation"),
    });
    custody.push(Custody {
        at: now + SimDuration(courier.drive_s.round() as i64),
        by: lab.clone(),
        what: format!("received for analysis by {lab_method}"),
    });
    let confirmation = Sample {
        result_at,
        reported_mg_l: reading.reported_mg_l,
        detection_limit_mg_l: instrument.detection_limit_mg_l,
        over_limit: reading.over_limit,
        conclusive: reading.conclusive,
        evaluation: reading.evaluation,
        method: lab_method.clone(),
        result_known: false,
        analysed_at: lab,
        duplicate: false,
        sediment: false,
        confirms: Some(sample),
        custody,
        ..field.clone()
    };
    let mut state = world.resource_mut::<ResponseState>();
    let idx = state.samples.len();
    state.samples.push(confirmation);
    ctx.note_with(|| {
        json!({
            "confirmation": idx,
            "confirms": sample,
            "lab_method": lab_method,
            "confirmation_result_s": result_at.seconds()
        })
    });
    if result_at <= end && !state.live {
        ctx.schedule(result_at, Event::ResultReady { sample: idx })?;
    }
    Ok(())
}

/// Is a point's round over the limit? A round is its field sample and any laboratory
/// confirmation of it: over if either is.
pub fn round_over(samples: &[Sample], sample: usize) -> bool {
    samples[sample].over_limit
        || samples
            .iter()
            .any(|s| s.confirms == Some(sample) && s.result_known && s.over_limit)
}

/// An express report (快报): what the results known since the previous one say.
#[derive(Clone, Debug, Serialize)]
pub struct ExpressReport {
    pub incident: usize,
    /// 1 for the first report of the incident.
    pub number: u32,
    pub at: SimTime,
    pub level: ResponseLevel,
    /// Results known since the previous report (laboratory confirmations included).
    pub new_results: usize,
    /// Samples taken whose results are not known yet.
    pub pending: usize,
    /// Points over the limit in the new results: (point, highest mg/L, times the limit).
    pub over_limit: Vec<(String, f64, f64)>,
    /// Non-detects that cannot say "compliant", in the new results.
    pub inconclusive: usize,
    /// Every intake of the plan: (point, latest result mg/L, its time), if any.
    pub intakes: Vec<(String, Option<(f64, SimTime)>)>,
}

/// Schedules an incident's first express report, one interval after its first plan.
pub(super) fn schedule_first_report(
    ctx: &mut Context<'_, Event>,
    incident: usize,
    every: SimDuration,
    end: SimTime,
) -> Result<(), KernelError> {
    let at = ctx.now() + every;
    if at <= end {
        ctx.schedule(at, Event::ExpressReport { incident, number: 1 })?;
    }
    Ok(())
}

pub(super) fn on_express_report(
    world: &mut World,
    event: &Event,
    ctx: &mut Context<'_, Event>,
) -> Result<(), KernelError> {
    let Event::ExpressReport { incident, number } = *event else {
        unreachable!("dispatched by kind")
    };
    let now = ctx.now();
    let end = world.resource::<ResponseSetup>().end;
    let state = world.resource::<ResponseState>();
    let Some(plan) = state.plans[incident].as_ref() else {
        return Ok(());
    };
    let every = plan.express_report_every;
    let since = state
        .express_reports
        .iter()
        .rev()
        .find(|r| r.incident == incident)
        .map(|r| r.at);
    let ours = || state.samples.iter().filter(|s| s.incident == incident);
    let new: Vec<&Sample> = ours()
        .filter(|s| s.result_known && s.result_at <= now && since.is_none_or(|t| s.result_at > t))
        .collect();
    let mut over_limit: Vec<(String, f64, f64)> = Vec::new();
    for s in new.iter().filter(|s| s.over_limit) {
        match over_limit.iter_mut().find(|(p, _, _)| *p == s.point_id) {
            Some(entry) if entry.1 >= s.reported_mg_l => {}
            Some(entry) => *entry = (s.point_id.clone(), s.reported_mg_l, s.reported_mg_l / s.limit_mg_l),
            None => over_limit.push((s.point_id.clone(), s.reported_mg_l, s.reported_mg_l / s.limit_mg_l)),
        }
    }
    let intakes = plan
        .points
        .iter()
        .filter(|p| p.role == Role::Intake)
        .map(|p| {
            let latest = ours()
                .filter(|s| s.point_id == p.id && s.result_known && s.result_at <= now && s.conclusive)
                .max_by_key(|s| (s.taken_at, s.result_at))
                .map(|s| (s.reported_mg_l, s.taken_at));
            (p.id.clone(), latest)
        })
        .collect();
    let report = ExpressReport {
        incident,
        number,
        at: now,
        level: state.incidents[incident].level,
        new_results: new.len(),
        pending: ours().filter(|s| !s.result_known).count(),
        inconclusive: new.iter().filter(|s| !s.conclusive).count(),
        over_limit,
        intakes,
    };
    // Monitoring goes on while any of the incident's samples is still to come.
    let running = report.pending > 0
        || state.tasks.iter().any(|t| {
            t.incident == incident && matches!(t.status, TaskStatus::Planned | TaskStatus::Open | TaskStatus::Assigned)
        });
    ctx.note_with(|| {
        json!({
            "express_report": number,
            "incident": incident,
            "new_results": report.new_results,
            "pending": report.pending,
            "over_limit_points": report.over_limit.len(),
            "level": level::label(report.level)
        })
    });
    world.resource_mut::<ResponseState>().express_reports.push(report);
    let next = now + every;
    if running && next <= end {
        ctx.schedule(
            next,
            Event::ExpressReport {
                incident,
                number: number + 1,
            },
        )?;
    }
    Ok(())
}

/// An incident's express reports as Markdown (应急监测快报), newest last.
pub fn express_reports_markdown(scenario: &Scenario, reports: &[ExpressReport], incident: usize) -> String {
    let inc = &scenario.incidents[incident];
    let pollutant = &scenario.pollutants[inc.pollutant].id;
    let mut out = format!("# Express reports (应急监测快报) — {}\n", inc.name);
    for r in reports.iter().filter(|r| r.incident == incident) {
        let _ = writeln!(
            out,
            "\n## No. {} — {} (response level {})\n",
            r.number,
            r.at,
            level::label(r.level)
        );
        let _ = writeln!(
            out,
            "- {} new result(s) of {pollutant}; {} sample(s) awaiting analysis; {} not conclusive.",
            r.new_results, r.pending, r.inconclusive
        );
        if r.over_limit.is_empty() {
            let _ = writeln!(out, "- No new result over the limit.");
        } else {
            for (point, mg_l, times) in &r.over_limit {
                let _ = writeln!(
                    out,
                    "- **{point}**: {mg_l:.4} mg/L, {times:.1} × the limit (超标 {:.1} 倍).",
                    (times - 1.0).max(0.0)
                );
            }
        }
        for (point, latest) in &r.intakes {
            match latest {
                Some((mg_l, at)) => {
                    let _ = writeln!(
                        out,
                        "- Intake {point}: latest conclusive result {mg_l:.4} mg/L, sampled {at}."
                    );
                }
                None => {
                    let _ = writeln!(out, "- Intake {point}: no conclusive result yet.");
                }
            }
        }
    }
    out
}
