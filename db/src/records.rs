//! The record of a run, a drill or a live session: what happened, as plain data the
//! caller fills (the `tripoint` binary converts the simulation's records; a server can
//! do the same), written in one transaction under a new run id.

use crate::{Database, DbError, Value};
use std::collections::BTreeMap;

/// Which program wrote a record.
pub fn program() -> String {
    format!("tripoint {}", env!("CARGO_PKG_VERSION"))
}

/// The writer's clock as a run's `updated_utc`: UTC, `YYYY-MM-DD HH:MM:SS`. (The
/// database records when it was written; the simulation never reads a clock.)
pub fn now_utc() -> String {
    let unix_s = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    utc_text(unix_s)
}

/// Seconds since 1970-01-01 00:00 UTC as `YYYY-MM-DD HH:MM:SS` (the proleptic Gregorian
/// calendar; days to a civil date as in Howard Hinnant's `civil_from_days`).
pub fn utc_text(unix_s: i64) -> String {
    let (days, second_of_day) = (unix_s.div_euclid(86_400), unix_s.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        second_of_day / 3600,
        second_of_day % 3600 / 60,
        second_of_day % 60
    )
}

/// One run, drill or live session and everything it recorded.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunRecord {
    /// `run`, `drill` or `live`.
    pub kind: String,
    /// The drill's name, or the scenario's for a run.
    pub name: String,
    pub scenario: String,
    pub scenario_hash: String,
    pub policy: String,
    pub seed: u64,
    /// When the run ended [s from the scenario's clock start].
    pub end_s: i64,
    pub stations: Vec<Station>,
    pub readings: Vec<Reading>,
    pub incidents: Vec<Incident>,
    pub plans: Vec<PlanRevision>,
    pub tasks: Vec<Task>,
    pub samples: Vec<Sample>,
    pub warnings: Vec<Warning>,
    pub drill: Option<DrillRecord>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Station {
    pub id: String,
    pub name: String,
    /// `station`, `buoy` or `micro_station`.
    pub kind: String,
    pub jurisdiction: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    /// What it measures, comma-separated pollutant ids.
    pub pollutants: String,
}

/// A station's reading: every one its cycle took, those that raised an alarm marked.
#[derive(Clone, Debug, PartialEq)]
pub struct Reading {
    pub station_id: String,
    pub at_s: i64,
    pub pollutant: String,
    /// Concentration [mg/L].
    pub value_mg_l: f64,
    pub alarm: bool,
    /// The reading's QA flag (empty: valid).
    pub qa_flag: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Incident {
    pub id: String,
    pub name: String,
    pub jurisdiction: String,
    pub pollutant: String,
    pub start_s: i64,
    pub discovered_s: Option<i64>,
    pub discovered_by: Option<String>,
    pub plan_s: Option<i64>,
    pub declared_level: String,
    pub level: String,
    /// Released mass [kg], when known (a simulation knows it; a real incident does not).
    pub true_mass_kg: Option<f64>,
    /// The plan's last estimate of the released mass [kg].
    pub estimated_mass_kg: Option<f64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PlanRevision {
    pub incident_id: String,
    pub revision: i64,
    pub issued_s: i64,
    pub level: String,
    /// The plan's method (an instrument id of the equipment catalogue).
    pub method: String,
    pub estimated_mass_kg: f64,
    pub approved_by: Option<String>,
    pub approved_s: Option<i64>,
    /// The whole plan document (JSON).
    pub document: String,
    pub points: Vec<PlanPoint>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PlanPoint {
    pub point_id: String,
    pub name: String,
    pub role: String,
    pub jurisdiction: String,
    pub team: Option<String>,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub forecast_arrival_s: Option<i64>,
    pub limit_mg_l: f64,
    pub dense_interval_s: i64,
    pub sparse_interval_s: i64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Task {
    pub incident_id: String,
    pub point_id: String,
    pub role: String,
    pub jurisdiction: String,
    pub team: Option<String>,
    pub status: String,
    pub due_s: i64,
    pub opened_s: Option<i64>,
    pub assigned_s: Option<i64>,
    pub arrived_s: Option<i64>,
    pub requested_by: Option<String>,
    /// Index in [`RunRecord::samples`] of the sample that served it.
    pub sample: Option<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    pub incident_id: String,
    pub point_id: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub pollutant: String,
    pub team: Option<String>,
    pub taken_s: i64,
    pub duplicate: bool,
    pub sediment: bool,
    /// Index in [`RunRecord::samples`] of the field sample this one confirms.
    pub confirms: Option<usize>,
    /// The method it is taken for (an id of `methods`, with the pollutant): a custody
    /// event with no container or preservation of its own takes the method's.
    pub method: String,
    pub custody: Vec<Custody>,
    pub result: Option<SampleResult>,
}

/// One hand-over of a sample.
#[derive(Clone, Debug, PartialEq)]
pub struct Custody {
    pub at_s: i64,
    pub held_by: String,
    /// `taken`, `handed over`, `received`, `analysed`…
    pub event: String,
    pub place: String,
    pub handed_to: Option<String>,
    /// The bottle it is in (empty: the method's, when `methods` names one).
    pub container: String,
    /// How it is preserved (empty: the method's, when `methods` names it).
    pub preservation: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SampleResult {
    /// When it was analysed, as the clock shows it (with `analysed_s`, part of the key).
    pub analysed_at: String,
    pub analysed_s: i64,
    /// Where it was analysed (`on site`, `on board TEAM`, a laboratory).
    pub lab: String,
    /// [mg/L]; `None`: below the detection limit.
    pub value_mg_l: Option<f64>,
    pub detection_limit_mg_l: f64,
    pub method: String,
    pub instrument: String,
    pub qa_flag: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Warning {
    pub incident_id: String,
    pub intake: String,
    pub threatened: bool,
    pub forecast_warning_s: Option<i64>,
    pub confirmed_warning_s: Option<i64>,
    pub plume_over_limit_s: Option<i64>,
    pub warned_before_arrival: bool,
    pub margin_s: Option<i64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DrillRecord {
    pub drill: String,
    pub exercise: String,
    pub score: f64,
    pub grade: String,
    /// Where the after-action report was written, if it was.
    pub report_path: Option<String>,
    /// The after-action report (JSON).
    pub report: String,
    pub ratings: Vec<Rating>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Rating {
    pub objective: String,
    pub target: String,
    pub title: String,
    pub owner: String,
    /// `P`, `S`, `M`, `U`, or `None`: not applicable.
    pub rating: Option<String>,
}

/// A sample's id in the database: `R<run>-S<n>` (n from 1), unique across runs.
pub fn sample_id(run_id: i64, idx: usize) -> String {
    format!("R{run_id}-S{}", idx + 1)
}

fn flag(b: bool) -> Value {
    Value::Int(i64::from(b))
}

/// Writes a run's record in one transaction; returns its new run id. A run recorded
/// twice (the same seed) is two runs.
pub fn write(db: &mut Database, record: &RunRecord) -> Result<i64, DbError> {
    db.transaction(|db| {
        let run_id = insert_run(db, record, None, false)?;
        let mut seen = Seen {
            done: None,
            pending: Vec::new(),
        };
        write_body(db, &mut seen, run_id, record)?;
        Ok(run_id)
    })
}

/// Takes a new run id (under the lock other writers wait for) and writes the run's row.
fn insert_run(db: &mut Database, record: &RunRecord, session: Option<&str>, in_progress: bool) -> Result<i64, DbError> {
    db.lock_ids("runs")?;
    let rows = db.query("SELECT COALESCE(MAX(id), 0) + 1 FROM runs", &[])?;
    let run_id = rows.first().and_then(|r| r[0].int()).unwrap_or(1);
    db.execute(
        "INSERT INTO runs (id, kind, name, scenario, scenario_hash, policy, seed, end_s, program, session, \
         in_progress, updated_utc) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        &[
            Value::Int(run_id),
            record.kind.clone().into(),
            record.name.clone().into(),
            record.scenario.clone().into(),
            record.scenario_hash.clone().into(),
            record.policy.clone().into(),
            Value::Int(record.seed as i64),
            Value::Int(record.end_s),
            program().into(),
            session.map(str::to_string).into(),
            flag(in_progress),
            now_utc().into(),
        ],
    )?;
    Ok(run_id)
}

/// Starts (or, resuming, finds again) the run a session writes as it goes: a served
/// exercise or a live incident. `session` names it: a session resumed under the same
/// name goes on with the same run; a new session takes the name from any earlier run
/// (which can no longer be resumed) and starts a new one. Returns the run id and whether
/// it was found again.
pub fn begin(
    db: &mut Database,
    record: &RunRecord,
    session: Option<&str>,
    resume: bool,
) -> Result<(i64, bool), DbError> {
    db.transaction(|db| {
        if let Some(key) = session {
            if resume {
                let rows = db.query("SELECT id FROM runs WHERE session = $1", &[key.into()])?;
                if let Some(run_id) = rows.first().and_then(|r| r[0].int()) {
                    db.execute(
                        "UPDATE runs SET in_progress = 1, program = $1, updated_utc = $2 WHERE id = $3",
                        &[program().into(), now_utc().into(), Value::Int(run_id)],
                    )?;
                    return Ok((run_id, true));
                }
            } else {
                db.execute("UPDATE runs SET session = NULL WHERE session = $1", &[key.into()])?;
            }
        }
        Ok((insert_run(db, record, session, true)?, false))
    })
}

/// Writes what a session has recorded so far into its run, in one transaction: every
/// row is added or brought up to date by its key (the same sample is the same row: a
/// session that writes again, or resumes and writes again, adds no duplicate), with the
/// run's end. `finished`: the session has ended (the run is no longer in progress).
/// Results imported from a laboratory against the run's samples are kept.
/// `written`: the rows this session wrote before (kept up to date here): rows unchanged
/// since are not sent again.
pub fn update(
    db: &mut Database,
    run_id: i64,
    record: &RunRecord,
    finished: bool,
    written: &mut Written,
) -> Result<(), DbError> {
    let mut seen = Seen {
        done: Some(written),
        pending: Vec::new(),
    };
    db.transaction(|db| {
        let changed = db.execute(
            "UPDATE runs SET name = $1, end_s = $2, in_progress = $3, updated_utc = $4 WHERE id = $5",
            &[
                record.name.clone().into(),
                Value::Int(record.end_s),
                flag(!finished),
                now_utc().into(),
                Value::Int(run_id),
            ],
        )?;
        if changed == 0 {
            return Err(crate::sql_message(
                "UPDATE runs",
                format!("run {run_id} is no longer in the database"),
            ));
        }
        write_body(db, &mut seen, run_id, record)
    })?;
    let pending = seen.pending;
    written.rows.extend(pending);
    Ok(())
}

/// `INSERT INTO table (columns) VALUES (…)`, or, for a row whose key is there already,
/// the other columns brought up to date. The columns, in the order of `values`, are the
/// table's as `export::TABLES` lists them (one list for writing and for exporting).
fn upsert(db: &mut Database, seen: &mut Seen, table: &str, key: &[&str], values: &[Value]) -> Result<(), DbError> {
    let columns = crate::export::table(table)
        .ok_or_else(|| DbError::Sql {
            statement: format!("INSERT INTO {table}"),
            message: "no such table in the schema's list".to_string(),
        })?
        .columns;
    debug_assert_eq!(columns.len(), values.len(), "{table}: one value per column");
    let key_values: Vec<&Value> = columns
        .iter()
        .zip(values)
        .filter(|(c, _)| key.contains(c))
        .map(|(_, v)| v)
        .collect();
    if !seen.is_new(format!("{table}|{key_values:?}"), values) {
        return Ok(());
    }
    let placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("${i}")).collect();
    let updates: Vec<String> = columns
        .iter()
        .filter(|c| !key.contains(c))
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    let conflict = if updates.is_empty() {
        "DO NOTHING".to_string()
    } else {
        format!("DO UPDATE SET {}", updates.join(", "))
    };
    let sql = format!(
        "INSERT INTO {table} ({}) VALUES ({}) ON CONFLICT ({}) {conflict}",
        columns.join(", "),
        placeholders.join(", "),
        key.join(", ")
    );
    db.execute(&sql, values)?;
    Ok(())
}

/// The rows a session has written, by table and key, with a digest of their values: a
/// row written again unchanged is not sent again (a session writes its whole record at
/// every change; most of it has not changed since).
#[derive(Clone, Debug, Default)]
pub struct Written {
    rows: std::collections::HashMap<String, u64>,
}

/// The rows of one transaction: those already written ([`Written`], when the caller
/// keeps it) and those this transaction writes, kept once it commits.
struct Seen<'a> {
    done: Option<&'a Written>,
    pending: Vec<(String, u64)>,
}

impl Seen<'_> {
    /// Whether the row `key` with `values` is to be written (not written so before).
    fn is_new(&mut self, key: String, values: &(impl std::fmt::Debug + ?Sized)) -> bool {
        use std::hash::{Hash, Hasher};
        let Some(done) = self.done else {
            return true;
        };
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        format!("{values:?}").hash(&mut hasher);
        let digest = hasher.finish();
        if done.rows.get(&key) == Some(&digest) {
            return false;
        }
        self.pending.push((key, digest));
        true
    }
}

fn write_body(db: &mut Database, seen: &mut Seen, run_id: i64, record: &RunRecord) -> Result<(), DbError> {
    let run = Value::Int(run_id);
    for s in &record.stations {
        upsert(
            db,
            seen,
            "stations",
            &["id"],
            &[
                s.id.clone().into(),
                s.name.clone().into(),
                s.kind.clone().into(),
                s.jurisdiction.clone().into(),
                s.lon.into(),
                s.lat.into(),
                s.pollutants.clone().into(),
            ],
        )?;
    }
    for r in &record.readings {
        upsert(
            db,
            seen,
            "readings",
            &["run_id", "station_id", "at_s", "pollutant"],
            &[
                run.clone(),
                r.station_id.clone().into(),
                Value::Int(r.at_s),
                r.pollutant.clone().into(),
                r.value_mg_l.into(),
                flag(r.alarm),
                r.qa_flag.clone().into(),
            ],
        )?;
    }
    for i in &record.incidents {
        upsert(
            db,
            seen,
            "incidents",
            &["run_id", "id"],
            &[
                run.clone(),
                i.id.clone().into(),
                i.name.clone().into(),
                i.jurisdiction.clone().into(),
                i.pollutant.clone().into(),
                Value::Int(i.start_s),
                i.discovered_s.into(),
                i.discovered_by.clone().into(),
                i.plan_s.into(),
                i.declared_level.clone().into(),
                i.level.clone().into(),
                i.true_mass_kg.into(),
                i.estimated_mass_kg.into(),
            ],
        )?;
    }
    for p in &record.plans {
        upsert(
            db,
            seen,
            "plan_revisions",
            &["run_id", "incident_id", "revision"],
            &[
                run.clone(),
                p.incident_id.clone().into(),
                Value::Int(p.revision),
                Value::Int(p.issued_s),
                p.level.clone().into(),
                p.method.clone().into(),
                p.estimated_mass_kg.into(),
                p.approved_by.clone().into(),
                p.approved_s.into(),
                p.document.clone().into(),
            ],
        )?;
        // A revision's points as the revision holds them now.
        if !seen.is_new(
            format!("plan_points|{run_id}|{}|{}", p.incident_id, p.revision),
            &p.points,
        ) {
            continue;
        }
        db.execute(
            "DELETE FROM plan_points WHERE run_id = $1 AND incident_id = $2 AND revision = $3",
            &[run.clone(), p.incident_id.clone().into(), Value::Int(p.revision)],
        )?;
        for q in &p.points {
            db.execute(
                "INSERT INTO plan_points (run_id, incident_id, revision, point_id, name, role, jurisdiction, \
                 team, lon, lat, forecast_arrival_s, limit_mg_l, dense_interval_s, sparse_interval_s) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
                &[
                    run.clone(),
                    p.incident_id.clone().into(),
                    Value::Int(p.revision),
                    q.point_id.clone().into(),
                    q.name.clone().into(),
                    q.role.clone().into(),
                    q.jurisdiction.clone().into(),
                    q.team.clone().into(),
                    q.lon.into(),
                    q.lat.into(),
                    q.forecast_arrival_s.into(),
                    q.limit_mg_l.into(),
                    Value::Int(q.dense_interval_s),
                    Value::Int(q.sparse_interval_s),
                ],
            )?;
        }
    }
    let procedures = if record.samples.iter().any(|s| !s.custody.is_empty()) {
        containers(db)?
    } else {
        BTreeMap::new()
    };
    for (idx, s) in record.samples.iter().enumerate() {
        let id = sample_id(run_id, idx);
        let procedure = procedures.get(&(s.method.clone(), s.pollutant.clone()));
        upsert(
            db,
            seen,
            "samples",
            &["id"],
            &[
                id.clone().into(),
                run.clone(),
                s.incident_id.clone().into(),
                s.point_id.clone().into(),
                s.lon.into(),
                s.lat.into(),
                s.pollutant.clone().into(),
                s.team.clone().into(),
                Value::Int(s.taken_s),
                flag(s.duplicate),
                flag(s.sediment),
                s.confirms.map(|c| sample_id(run_id, c)).into(),
            ],
        )?;
        for (seq, c) in s.custody.iter().enumerate() {
            upsert(
                db,
                seen,
                "custody_events",
                &["sample_id", "seq"],
                &[
                    id.clone().into(),
                    Value::Int(seq as i64 + 1),
                    Value::Int(c.at_s),
                    c.held_by.clone().into(),
                    c.event.clone().into(),
                    c.place.clone().into(),
                    c.handed_to.clone().into(),
                    or_procedure(&c.container, procedure.map(|p| &p.0)).into(),
                    or_procedure(&c.preservation, procedure.map(|p| &p.1)).into(),
                ],
            )?;
        }
        if let Some(r) = &s.result {
            upsert(
                db,
                seen,
                "results",
                &["sample_id", "pollutant", "analysed_at"],
                &[
                    id.into(),
                    s.pollutant.clone().into(),
                    r.analysed_at.clone().into(),
                    Value::Int(r.analysed_s),
                    r.value_mg_l.into(),
                    flag(r.value_mg_l.is_none()),
                    r.detection_limit_mg_l.into(),
                    r.method.clone().into(),
                    r.instrument.clone().into(),
                    r.lab.clone().into(),
                    r.qa_flag.clone().into(),
                    record.kind.clone().into(),
                ],
            )?;
        }
    }
    for (seq, t) in record.tasks.iter().enumerate() {
        upsert(
            db,
            seen,
            "tasks",
            &["run_id", "seq"],
            &[
                run.clone(),
                Value::Int(seq as i64 + 1),
                t.incident_id.clone().into(),
                t.point_id.clone().into(),
                t.role.clone().into(),
                t.jurisdiction.clone().into(),
                t.team.clone().into(),
                t.status.clone().into(),
                Value::Int(t.due_s),
                t.opened_s.into(),
                t.assigned_s.into(),
                t.arrived_s.into(),
                t.requested_by.clone().into(),
                t.sample.map(|s| sample_id(run_id, s)).into(),
            ],
        )?;
    }
    for w in &record.warnings {
        upsert(
            db,
            seen,
            "warnings",
            &["run_id", "incident_id", "intake"],
            &[
                run.clone(),
                w.incident_id.clone().into(),
                w.intake.clone().into(),
                flag(w.threatened),
                w.forecast_warning_s.into(),
                w.confirmed_warning_s.into(),
                w.plume_over_limit_s.into(),
                flag(w.warned_before_arrival),
                w.margin_s.into(),
            ],
        )?;
    }
    if let Some(d) = &record.drill {
        upsert(
            db,
            seen,
            "drills",
            &["run_id"],
            &[
                run.clone(),
                d.drill.clone().into(),
                d.exercise.clone().into(),
                d.score.into(),
                d.grade.clone().into(),
                d.report_path.clone().into(),
                d.report.clone().into(),
            ],
        )?;
        for r in &d.ratings {
            upsert(
                db,
                seen,
                "drill_ratings",
                &["run_id", "objective", "target"],
                &[
                    run.clone(),
                    r.objective.clone().into(),
                    r.target.clone().into(),
                    r.title.clone().into(),
                    r.owner.clone().into(),
                    r.rating.clone().into(),
                ],
            )?;
        }
    }
    Ok(())
}

/// (method, pollutant) → (container, preservation).
type Procedures = BTreeMap<(String, String), (String, String)>;

/// The container and preservation of each method and pollutant (`methods`), by (method,
/// pollutant): what a sample taken for that method goes into and how it is kept.
fn containers(db: &mut Database) -> Result<Procedures, DbError> {
    let rows = db.query("SELECT id, pollutant, container, preservation FROM methods", &[])?;
    Ok(rows
        .iter()
        .map(|r| {
            let text = |i: usize| r[i].text().unwrap_or_default().to_string();
            ((text(0), text(1)), (text(2), text(3)))
        })
        .collect())
}

/// A custody event's own value, or else its method's procedure's (or empty).
fn or_procedure(own: &str, procedure: Option<&String>) -> String {
    if own.is_empty() {
        procedure.cloned().unwrap_or_default()
    } else {
        own.to_string()
    }
}

/// How many rows each table holds for one run, in the order of [`RUN_TABLES`].
pub fn counts(db: &mut Database, run_id: i64) -> Result<Vec<(&'static str, i64)>, DbError> {
    let mut out = Vec::new();
    for (table, filter) in RUN_TABLES {
        let rows = db.query(
            &format!("SELECT COUNT(*) FROM {table} WHERE {filter}"),
            &[Value::Int(run_id)],
        )?;
        out.push((table, rows.first().and_then(|r| r[0].int()).unwrap_or(0)));
    }
    Ok(out)
}

/// The tables of a run's record and how their rows name the run.
pub const RUN_TABLES: [(&str, &str); 11] = [
    ("incidents", "run_id = $1"),
    ("plan_revisions", "run_id = $1"),
    ("plan_points", "run_id = $1"),
    ("tasks", "run_id = $1"),
    ("samples", "run_id = $1"),
    (
        "custody_events",
        "sample_id IN (SELECT id FROM samples WHERE run_id = $1)",
    ),
    ("results", "sample_id IN (SELECT id FROM samples WHERE run_id = $1)"),
    ("readings", "run_id = $1"),
    ("warnings", "run_id = $1"),
    ("drills", "run_id = $1"),
    ("drill_ratings", "run_id = $1"),
];

#[cfg(test)]
mod tests {
    use super::utc_text;

    #[test]
    fn utc_text_is_the_civil_date_and_time() {
        assert_eq!(utc_text(0), "1970-01-01 00:00:00");
        // A leap day of a century year divisible by 400, and a date of the calendar tables.
        assert_eq!(utc_text(951_782_400), "2000-02-29 00:00:00");
        assert_eq!(utc_text(1_700_000_000), "2023-11-14 22:13:20");
        assert_eq!(utc_text(4_107_542_399), "2100-02-28 23:59:59");
        assert_eq!(utc_text(4_107_542_400), "2100-03-01 00:00:00");
    }
}
