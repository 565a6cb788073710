//! A run's or a drill's records in the database's terms (`tripoint_db::records`): the
//! simulation's incidents, plan revisions, tasks, samples with their chain of custody,
//! results, station alarms and intake warnings, and a drill's ratings and report.

use serde::Serialize;
use tripoint_db::records::{self as rec, RunRecord};
use tripoint_sim::drill::DrillReport;
use tripoint_sim::plan::MonitoringPlan;
use tripoint_sim::plan::export::PlanDocument;
use tripoint_sim::response::ResponseRecord;
use tripoint_sim::response::report::RunReport;
use tripoint_sim::scenario::Scenario;

/// What names a run: its kind (`run`, `drill`), name, scenario fingerprint, policy, seed.
pub struct RunIdentity<'a> {
    pub kind: &'a str,
    pub name: &'a str,
    pub scenario_hash: &'a str,
    pub policy: &'a str,
    pub seed: u64,
}

/// A value's serde name (`border_section`, `IV`, `done`).
fn serde_name<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// The record of a run: `report` and `record` as the run ended, `plans` every revision.
pub fn run_record(
    identity: &RunIdentity<'_>,
    scenario: &Scenario,
    report: &RunReport,
    plans: &[MonitoringPlan],
    record: &ResponseRecord,
) -> RunRecord {
    let incident_id = |idx: usize| {
        report
            .incidents
            .get(idx)
            .map(|i| i.id.clone())
            .or_else(|| scenario.incidents.get(idx).map(|i| i.id.clone()))
            .unwrap_or_else(|| format!("incident-{}", idx + 1))
    };
    let team_id = |t: usize| scenario.teams.get(t).map(|t| t.id.clone());
    let pollutant_id = |p: usize| scenario.pollutants.get(p).map_or(String::new(), |p| p.id.clone());
    let point_place = |id: &str| {
        scenario.point_idx(id).map_or((None, None), |i| {
            (Some(scenario.points[i].lon), Some(scenario.points[i].lat))
        })
    };
    let stations = stations(scenario);
    let mut readings: Vec<rec::Reading> = record
        .readings
        .iter()
        .map(|r| rec::Reading {
            station_id: scenario.points[r.point].id.clone(),
            at_s: r.at.seconds(),
            pollutant: pollutant_id(r.pollutant),
            value_mg_l: r.mg_l,
            alarm: r.alarm,
            // The simulated station reads the water as the model holds it: no fault to flag.
            qa_flag: String::new(),
        })
        .collect();
    // One reading per station, time and pollutant (the table's key).
    readings.dedup_by(|a, b| a.station_id == b.station_id && a.at_s == b.at_s && a.pollutant == b.pollutant);
    let incidents = report
        .incidents
        .iter()
        .enumerate()
        .map(|(idx, i)| rec::Incident {
            id: i.id.clone(),
            name: scenario.incidents.get(idx).map_or(String::new(), |s| s.name.clone()),
            jurisdiction: i.jurisdiction.clone(),
            pollutant: i.pollutant.clone(),
            start_s: i.start_s,
            discovered_s: i.discovered_s,
            discovered_by: i.discovered_by.clone(),
            plan_s: i.plan_s,
            declared_level: i.declared_level.clone(),
            level: i.level.clone(),
            true_mass_kg: Some(i.true_mass_kg),
            estimated_mass_kg: i.estimated_mass_kg,
        })
        .collect();
    let plans = plans
        .iter()
        .map(|plan| rec::PlanRevision {
            incident_id: plan.incident_id.clone(),
            revision: i64::from(plan.revision),
            issued_s: plan.issued_at.seconds(),
            level: serde_name(&plan.response_level),
            method: plan.method.clone(),
            estimated_mass_kg: plan.estimated_mass_kg,
            approved_by: plan.approved.as_ref().map(|a| a.by.clone()),
            approved_s: plan.approved.as_ref().map(|a| a.at.seconds()),
            document: serde_json::to_string(&PlanDocument::new(scenario, plan)).unwrap_or_default(),
            points: plan
                .points
                .iter()
                .map(|p| rec::PlanPoint {
                    point_id: p.id.clone(),
                    name: p.name.clone(),
                    role: serde_name(&p.role),
                    jurisdiction: scenario.jurisdictions[p.jurisdiction].id.clone(),
                    team: p.team.and_then(team_id),
                    lon: p.point.map(|i| scenario.points[i].lon),
                    lat: p.point.map(|i| scenario.points[i].lat),
                    forecast_arrival_s: p.forecast_arrival.map(|t| t.seconds()),
                    limit_mg_l: p.limit_mg_l,
                    dense_interval_s: p.dense_interval.0,
                    sparse_interval_s: p.sparse_interval.0,
                })
                .collect(),
        })
        .collect();
    let tasks = record
        .tasks
        .iter()
        .map(|t| rec::Task {
            incident_id: incident_id(t.incident),
            point_id: t.point_id.clone(),
            role: serde_name(&t.role),
            jurisdiction: scenario.jurisdictions[t.jurisdiction].id.clone(),
            team: t.team.and_then(team_id),
            status: serde_name(&t.status),
            due_s: t.due.seconds(),
            opened_s: t.opened_at.map(|t| t.seconds()),
            assigned_s: t.assigned_at.map(|t| t.seconds()),
            arrived_s: t.arrived_at.map(|t| t.seconds()),
            requested_by: t.requested_by.clone(),
            sample: t.sample,
        })
        .collect();
    let samples = record
        .samples
        .iter()
        .map(|s| {
            let (lon, lat) = point_place(&s.point_id);
            rec::Sample {
                incident_id: incident_id(s.incident),
                point_id: s.point_id.clone(),
                lon,
                lat,
                pollutant: pollutant_id(s.pollutant),
                team: s.team.and_then(team_id),
                taken_s: s.taken_at.seconds(),
                duplicate: s.duplicate,
                sediment: s.sediment,
                confirms: s.confirms,
                method: s.method.clone(),
                custody: custody(scenario, &s.point_id, &s.custody),
                result: s.result_known.then(|| rec::SampleResult {
                    analysed_at: s.result_at.clock_label(),
                    analysed_s: s.result_at.seconds(),
                    lab: s.analysed_at.clone(),
                    value_mg_l: (s.reported_mg_l > 0.0).then_some(s.reported_mg_l),
                    detection_limit_mg_l: s.detection_limit_mg_l,
                    method: s.method.clone(),
                    instrument: s.method.clone(),
                    qa_flag: if s.conclusive {
                        String::new()
                    } else {
                        "inconclusive: detection limit above the limit".to_string()
                    },
                }),
            }
        })
        .collect();
    let warnings = report
        .incidents
        .iter()
        .flat_map(|i| {
            i.intakes.iter().map(|w| rec::Warning {
                incident_id: i.id.clone(),
                intake: w.intake.clone(),
                threatened: w.threatened,
                forecast_warning_s: w.forecast_warning_s,
                confirmed_warning_s: w.confirmed_warning_s,
                plume_over_limit_s: w.plume_over_limit_s,
                warned_before_arrival: w.warned_before_arrival,
                margin_s: w.margin_s,
            })
        })
        .collect();
    RunRecord {
        kind: identity.kind.to_string(),
        name: identity.name.to_string(),
        scenario: scenario.name.clone(),
        scenario_hash: identity.scenario_hash.to_string(),
        policy: identity.policy.to_string(),
        seed: identity.seed,
        end_s: report.end_s,
        stations,
        readings,
        incidents,
        plans,
        tasks,
        samples,
        warnings,
        drill: None,
    }
}

/// The scenario's automatic stations, buoys and micro-stations, with what each measures.
pub fn stations(scenario: &Scenario) -> Vec<rec::Station> {
    let pollutant_id = |p: usize| scenario.pollutants.get(p).map_or(String::new(), |p| p.id.clone());
    scenario
        .points
        .iter()
        .filter_map(|p| {
            let spec = p.station.as_ref()?;
            Some(rec::Station {
                id: p.id.clone(),
                name: p.name.clone(),
                kind: serde_name(&p.kind),
                jurisdiction: scenario.jurisdictions[p.jurisdiction].id.clone(),
                lon: Some(p.lon),
                lat: Some(p.lat),
                pollutants: spec
                    .parameters
                    .iter()
                    .map(|&i| pollutant_id(i))
                    .collect::<Vec<_>>()
                    .join(","),
            })
        })
        .collect()
}

/// A sample's chain of custody in the database's terms. The simulation records who held
/// it, when and what happened; the place is the sampling point while a team holds it and
/// the laboratory once received; the next holder is the courier after a hand-over and
/// otherwise whoever holds it next. It records no container or preservation: they are
/// left empty for the database to take from the sample's method (`methods`).
fn custody(scenario: &Scenario, point_id: &str, chain: &[tripoint_sim::response::qa::Custody]) -> Vec<rec::Custody> {
    let is_lab = |who: &str| scenario.depots.iter().any(|d| d.id == who);
    chain
        .iter()
        .enumerate()
        .map(|(idx, c)| {
            let handed_to = if c.what.contains("handed to the courier") {
                Some("courier".to_string())
            } else {
                chain
                    .get(idx + 1)
                    .filter(|next| next.by != c.by)
                    .map(|next| next.by.clone())
            };
            rec::Custody {
                at_s: c.at.seconds(),
                held_by: c.by.clone(),
                event: c.what.clone(),
                place: if is_lab(&c.by) {
                    c.by.clone()
                } else {
                    point_id.to_string()
                },
                handed_to,
                container: String::new(),
                preservation: String::new(),
            }
        })
        .collect()
}

/// A drill's ratings and after-action report, beside its run record.
pub fn drill_record(report: &DrillReport, report_path: Option<&std::path::Path>) -> rec::DrillRecord {
    rec::DrillRecord {
        drill: report.drill.clone(),
        exercise: report.exercise_type.clone(),
        score: report.score.points,
        grade: report.score.grade.clone(),
        report_path: report_path.map(|p| p.display().to_string()),
        report: serde_json::to_string(report).unwrap_or_default(),
        ratings: report
            .objectives
            .iter()
            .flat_map(|o| {
                o.targets.iter().map(|t| rec::Rating {
                    objective: o.id.clone(),
                    target: t.id.clone(),
                    title: t.title.clone(),
                    owner: t.owner.clone(),
                    rating: t.rating.map(|r| format!("{r:?}")),
                })
            })
            .collect(),
    }
}

/// How far a session has come, as far as the database is concerned: a change of any of
/// these (an incident declared, a result known, a plan revision issued or approved, an
/// incident discovered) is written at once.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Progress {
    incidents: usize,
    results: usize,
    revisions: usize,
    approvals: usize,
    discovered: usize,
}

impl Progress {
    fn of(session: &tripoint_sim::drill::Session) -> Progress {
        let state = session.world().resource::<tripoint_sim::response::ResponseState>();
        Progress {
            incidents: state.incidents.len(),
            results: state.samples.iter().filter(|s| s.result_known).count(),
            revisions: state.plan_history.len(),
            approvals: state.plan_history.iter().filter(|p| p.approved.is_some()).count(),
            discovered: state.incidents.iter().filter(|i| i.discovered_at.is_some()).count(),
        }
    }
}

/// A session (a served exercise, a live incident) written into the database as it goes:
/// the run is begun when the session starts; each result, plan revision, approval and
/// discovery is written as it happens, in its own transaction, together with everything
/// else the session has recorded by then (incidents, plans, tasks, samples with their
/// custody, results, warnings), every row by its key so that writing again adds no
/// duplicate; the end writes the whole record with the after-action report and ratings.
/// A write that fails is said on standard error and tried again at the next change: the
/// session never stops for the database.
pub struct SessionRecorder {
    db: tripoint_db::Database,
    run_id: i64,
    kind: &'static str,
    policy: String,
    seed: u64,
    written: Option<Progress>,
    /// How far the session had come when its whole record was last written.
    finished: Option<Progress>,
    /// Whether the last write failed (said once until one succeeds).
    failing: bool,
    last_error: Option<String>,
    /// The rows written so far (rows unchanged since are not sent again).
    rows: tripoint_db::records::Written,
}

impl SessionRecorder {
    /// Begins the session's run (`resume`: finds the run of `session` again). `kind`:
    /// `drill` or `live`.
    pub fn begin(
        mut db: tripoint_db::Database,
        session: &tripoint_sim::drill::Session,
        kind: &'static str,
        policy: &str,
        seed: u64,
        key: Option<&str>,
        resume: bool,
    ) -> Result<SessionRecorder, tripoint_db::DbError> {
        let drill = session.drill();
        let head = RunRecord {
            kind: kind.to_string(),
            name: drill.name.clone(),
            scenario: drill.scenario.name.clone(),
            policy: policy.to_string(),
            seed,
            end_s: session.now().seconds(),
            ..RunRecord::default()
        };
        let (run_id, _) = tripoint_db::records::begin(&mut db, &head, key, resume)?;
        Ok(SessionRecorder {
            db,
            run_id,
            kind,
            policy: policy.to_string(),
            seed,
            written: None,
            finished: None,
            failing: false,
            last_error: None,
            rows: tripoint_db::records::Written::default(),
        })
    }

    pub fn run_id(&self) -> i64 {
        self.run_id
    }

    /// Where it writes, as it may be printed.
    pub fn shown(&self) -> String {
        tripoint_db::shown(self.db.location())
    }

    /// The session's record as it stands; `report_path`: with the drill's after-action
    /// report and ratings (the end of a session).
    fn record(
        &self,
        session: &mut tripoint_sim::drill::Session,
        drill_report: Option<Option<&std::path::Path>>,
    ) -> RunRecord {
        let report = session.report_now();
        let drill = session.drill();
        let state = session.world().resource::<tripoint_sim::response::ResponseState>();
        let identity = RunIdentity {
            kind: self.kind,
            name: &drill.name,
            scenario_hash: "",
            policy: &self.policy,
            seed: self.seed,
        };
        let mut record = run_record(
            &identity,
            &drill.scenario,
            &report.response,
            &state.plan_history,
            &state.record(),
        );
        // A session in progress ends where it is now.
        record.end_s = session.now().seconds();
        if let Some(path) = drill_report {
            record.drill = Some(drill_record(&report, path));
        }
        record
    }

    /// Whether the session has come further than the database holds.
    pub fn needs_write(&self, session: &tripoint_sim::drill::Session) -> bool {
        self.written != Some(Progress::of(session))
    }

    /// Writes the session's record if it has come further since the last write. What to
    /// tell the person: a write that failed (once, until one succeeds again).
    pub fn checkpoint(&mut self, session: &mut tripoint_sim::drill::Session) -> Option<String> {
        let progress = Progress::of(session);
        if self.written == Some(progress) {
            return None;
        }
        let record = self.record(session, None);
        let message = self.write(&record, false);
        if !self.failing {
            self.written = Some(progress);
        }
        message
    }

    /// Writes the whole record at the end of the session, with the after-action report
    /// (and where it was written). A final write that finds the database busy (another
    /// writer's long transaction) is tried again for up to [`FINAL_WRITE_WAIT`]. What to
    /// tell the person: the run written, or why not.
    pub fn finish(
        &mut self,
        session: &mut tripoint_sim::drill::Session,
        report_path: Option<&std::path::Path>,
    ) -> Option<String> {
        let progress = Progress::of(session);
        if self.finished == Some(progress) {
            return None;
        }
        let record = self.record(session, Some(report_path));
        let started = std::time::Instant::now();
        loop {
            let message = self.write(&record, true);
            if !self.failing {
                self.written = Some(progress);
                self.finished = Some(progress);
                return Some(crate::i18n::said_here(
                    "db-recorded",
                    &[
                        ("run", &self.run_id),
                        ("db", &self.shown()),
                        ("samples", &record.samples.len()),
                        ("results", &record.samples.iter().filter(|s| s.result.is_some()).count()),
                        ("warnings", &record.warnings.len()),
                    ],
                ));
            }
            if started.elapsed() >= FINAL_WRITE_WAIT {
                return message.or_else(|| self.last_error.clone());
            }
            std::thread::sleep(std::time::Duration::from_millis(500));
        }
    }

    /// Writes the record; a message when the write failed for the first time, or
    /// succeeded after failing.
    fn write(&mut self, record: &RunRecord, finished: bool) -> Option<String> {
        match tripoint_db::records::update(&mut self.db, self.run_id, record, finished, &mut self.rows) {
            Ok(()) => {
                let was_failing = std::mem::replace(&mut self.failing, false);
                was_failing.then(|| crate::i18n::said_here("db-written-again", &[("db", &self.shown())]))
            }
            Err(e) => {
                let message = crate::i18n::said_here(
                    "db-write-failed",
                    &[("run", &self.run_id), ("db", &self.shown()), ("problem", &e)],
                );
                self.last_error = Some(message.clone());
                let first = !std::mem::replace(&mut self.failing, true);
                first.then_some(message)
            }
        }
    }
}

/// How long the last write of a session waits for a busy database.
pub const FINAL_WRITE_WAIT: std::time::Duration = std::time::Duration::from_secs(60);
