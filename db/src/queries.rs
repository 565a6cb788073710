//! The named questions joint assessment asks of the record. Each is one SQL statement
//! that reads alike on both engines (NULLs ordered explicitly: the engines differ).
//! "Risk sources upstream of an intake" needs the river network and lives with the
//! scenario (`tripoint db query upstream-sources`).

use crate::{Database, DbError, Value};

/// A query's answer: column names and rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<Value>>,
}

/// Results at a point for a pollutant over time, every run (or one), oldest first.
pub fn point_series(db: &mut Database, point: &str, pollutant: &str, run: Option<i64>) -> Result<Answer, DbError> {
    let rows = db.query(
        "SELECT s.run_id, s.id, s.taken_s, r.analysed_at, r.value_mg_l, r.non_detect, r.detection_limit_mg_l, \
         r.method, r.lab, r.qa_flag \
         FROM results r JOIN samples s ON s.id = r.sample_id \
         WHERE s.point_id = $1 AND r.pollutant = $2 AND ($3 < 0 OR s.run_id = $3) \
         ORDER BY s.run_id, s.taken_s, s.id, r.analysed_at",
        &[point.into(), pollutant.into(), Value::Int(run.unwrap_or(-1))],
    )?;
    Ok(Answer {
        columns: vec![
            "run",
            "sample",
            "taken_s",
            "analysed_at",
            "value_mg_l",
            "non_detect",
            "detection_limit_mg_l",
            "method",
            "lab",
            "qa_flag",
        ],
        rows,
    })
}

/// Readings at a station for a pollutant over time: every run's (or one run's), run by
/// run in the order taken, then the station's own imported readings by their time (not
/// with `run`). A run's reading has its seconds from the scenario's clock start; an
/// imported one its station's timestamp.
pub fn station_readings(
    db: &mut Database,
    station: &str,
    pollutant: &str,
    run: Option<i64>,
) -> Result<Answer, DbError> {
    let rows = db.query(
        "SELECT run, at_s, measured_at, value_mg_l, alarm, qa_flag, source FROM (            SELECT r.run_id AS run, r.at_s AS at_s, '' AS measured_at, r.value_mg_l AS value_mg_l,                   r.alarm AS alarm, r.qa_flag AS qa_flag, u.kind AS source, 0 AS imported            FROM readings r JOIN runs u ON u.id = r.run_id            WHERE r.station_id = $1 AND r.pollutant = $2 AND ($3 < 0 OR r.run_id = $3)            UNION ALL            SELECT CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), i.measured_at, i.value_mg_l,                   CAST(NULL AS BIGINT), i.qa_flag, i.source, 1            FROM station_readings i            WHERE i.station_id = $1 AND i.pollutant = $2 AND $3 < 0          ) a ORDER BY imported, COALESCE(run, 0), COALESCE(at_s, 0), measured_at",
        &[station.into(), pollutant.into(), Value::Int(run.unwrap_or(-1))],
    )?;
    Ok(Answer {
        columns: vec!["run", "at_s", "measured_at", "value_mg_l", "alarm", "qa_flag", "source"],
        rows,
    })
}

/// Incidents that touched an intake: the forecast or the plume threatened it, or a
/// sample was taken there.
pub fn incidents_at_intake(db: &mut Database, intake: &str) -> Result<Answer, DbError> {
    let rows = db.query(
        "SELECT i.run_id, i.id, i.name, i.pollutant, i.jurisdiction, i.start_s, w.threatened, \
         w.confirmed_warning_s, w.plume_over_limit_s, w.warned_before_arrival, \
         (SELECT COUNT(*) FROM samples s WHERE s.run_id = i.run_id AND s.incident_id = i.id AND s.point_id = $1) \
         FROM incidents i LEFT JOIN warnings w ON w.run_id = i.run_id AND w.incident_id = i.id AND w.intake = $1 \
         WHERE w.threatened = 1 OR EXISTS (SELECT 1 FROM samples s WHERE s.run_id = i.run_id \
               AND s.incident_id = i.id AND s.point_id = $1) \
         ORDER BY i.run_id, i.start_s, i.id",
        &[intake.into()],
    )?;
    Ok(Answer {
        columns: vec![
            "run",
            "incident",
            "name",
            "pollutant",
            "jurisdiction",
            "start_s",
            "threatened",
            "confirmed_warning_s",
            "plume_over_limit_s",
            "warned_before_arrival",
            "samples_there",
        ],
        rows,
    })
}

/// Experts who know a pollutant, by jurisdiction.
pub fn experts_for(db: &mut Database, pollutant: &str) -> Result<Answer, DbError> {
    let rows = db.query(
        "SELECT e.id, e.name, e.name_zh, e.expertise, e.jurisdiction, e.organisation, e.contact, e.availability \
         FROM experts e JOIN expert_pollutants p ON p.expert_id = e.id \
         WHERE p.pollutant = $1 ORDER BY e.jurisdiction, e.id",
        &[pollutant.into()],
    )?;
    Ok(Answer {
        columns: vec![
            "id",
            "name",
            "name_zh",
            "expertise",
            "jurisdiction",
            "organisation",
            "contact",
            "availability",
        ],
        rows,
    })
}

/// What each team did in an incident of a run: its tasks in order, with the sample
/// that served each, its container and preservation (the chain of custody's first
/// hand), and when the result was known.
pub fn team_actions(db: &mut Database, run: i64, incident: &str) -> Result<Answer, DbError> {
    let rows = db.query(
        "SELECT COALESCE(t.team, ''), t.seq, t.point_id, t.role, t.status, t.due_s, t.assigned_s, t.arrived_s, \
         s.id, s.taken_s, c.container, c.preservation, r.analysed_s, r.lab \
         FROM tasks t LEFT JOIN samples s ON s.id = t.sample_id \
         LEFT JOIN custody_events c ON c.sample_id = s.id AND c.seq = 1 \
         LEFT JOIN results r ON r.sample_id = s.id AND r.pollutant = s.pollutant AND r.source NOT LIKE 'import%' \
         WHERE t.run_id = $1 AND t.incident_id = $2 \
         ORDER BY COALESCE(t.team, ''), COALESCE(t.assigned_s, t.due_s), t.seq",
        &[Value::Int(run), incident.into()],
    )?;
    Ok(Answer {
        columns: vec![
            "team",
            "task",
            "point",
            "role",
            "status",
            "due_s",
            "assigned_s",
            "arrived_s",
            "sample",
            "taken_s",
            "container",
            "preservation",
            "result_s",
            "lab",
        ],
        rows,
    })
}
