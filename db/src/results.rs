//! A laboratory's results file: one row per analysis of a sample the database knows,
//! checked row by row (unknown sample, unknown unit, a value below the detection limit,
//! a file not in UTF-8) and written all or nothing.

use crate::csv_rows::{Layout, all_or_problems, read_rows};
use crate::register::{ImportError, RowProblem};
use crate::{Database, DbError, Value};
use std::collections::{BTreeSet, HashSet};

pub const RESULT_COLUMNS: [&str; 9] = [
    "sample_id",
    "pollutant",
    "value",
    "unit",
    "method",
    "detection_limit",
    "analysed_at",
    "lab",
    "qa_flag",
];

/// Largest results file read [bytes]: a year of a busy laboratory's results with room
/// to spare (a million rows are about 90 MB).
pub const RESULTS_BYTES_MAX: usize = 512 * 1024 * 1024;

/// One result as stored: concentrations in mg/L.
#[derive(Clone, Debug, PartialEq)]
pub struct LabResult {
    pub sample_id: String,
    pub pollutant: String,
    /// [mg/L]; `None`: not detected (below the detection limit, "<DL").
    pub value_mg_l: Option<f64>,
    pub detection_limit_mg_l: Option<f64>,
    pub method: String,
    pub analysed_at: String,
    pub lab: String,
    pub qa_flag: String,
}

/// The factor to mg/L of a unit a laboratory may write; `None`: not a concentration unit
/// this database converts.
pub fn to_mg_l(unit: &str) -> Option<f64> {
    match unit.trim() {
        "mg/L" | "mg/l" => Some(1.0),
        // The micro sign (U+00B5), the Greek mu (U+03BC) and the ASCII spelling.
        "µg/L" | "µg/l" | "μg/L" | "μg/l" | "ug/L" | "ug/l" => Some(1e-3),
        _ => None,
    }
}

/// The text of a file's bytes, or where it stops being UTF-8 (a GBK file exported by a
/// Chinese spreadsheet, typically). A UTF-8 byte-order mark is dropped.
pub fn utf8_text<'a>(file: &str, bytes: &'a [u8]) -> Result<&'a str, RowProblem> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
        RowProblem {
            file: file.to_string(),
            line,
            column: None,
            message: format!(
                "not UTF-8 at byte {offset}: the file is in another encoding (GBK from a Chinese \
                 spreadsheet?); save it as UTF-8 (CSV UTF-8) and import it again"
            ),
        }
    })
}

/// `YYYY-MM-DD HH:MM[:SS]` or with a `T`, optionally with a zone (`Z`, `+08:00`).
pub(crate) fn is_timestamp(text: &str) -> bool {
    let Some((date, time)) = text.split_once(['T', ' ']) else {
        return false;
    };
    let time = time.trim_end_matches('Z');
    let time = match time.rfind(['+', '-']) {
        Some(at) if at >= 5 => &time[..at],
        _ => time,
    };
    let parts: Vec<&str> = time.split(':').collect();
    let clock_ok = (2..=3).contains(&parts.len())
        && parts
            .iter()
            .zip([23.0, 59.0, 60.999])
            .all(|(p, max)| p.len() >= 2 && p.parse::<f64>().is_ok_and(|v| (0.0..=max).contains(&v)));
    crate::register::is_date(date) && clock_ok
}

/// Reads and checks a results file against the samples the database holds
/// (`samples`) and the pollutants a result may name (`pollutants`; empty: any). Every bad
/// row is named.
pub fn parse(
    file: &str,
    text: &str,
    samples: &HashSet<String>,
    pollutants: &BTreeSet<String>,
) -> Result<Vec<LabResult>, Vec<RowProblem>> {
    let mut problems = Vec::new();
    if text.len() > RESULTS_BYTES_MAX {
        problems.push(RowProblem {
            file: file.to_string(),
            line: 0,
            column: None,
            message: format!("more than {RESULTS_BYTES_MAX} bytes: split the file"),
        });
        return Err(problems);
    }
    let layout = Layout {
        columns: &RESULT_COLUMNS,
        required: &[
            "sample_id",
            "pollutant",
            "value",
            "unit",
            "method",
            "analysed_at",
            "lab",
        ],
        bytes_max: RESULTS_BYTES_MAX,
    };
    let mut keys: HashSet<(String, String, String)> = HashSet::new();
    let results = read_rows(&layout, file, text, &mut problems, |row| {
        let sample_id = row.required("sample_id");
        if !sample_id.is_empty() && !samples.contains(&sample_id) {
            row.bad(
                "sample_id",
                format!("unknown sample {sample_id:?}: no sample of that id in the database"),
            );
        }
        let pollutant = row.known("pollutant", pollutants, "pollutant");
        let factor = row.unit_to_mg_l("unit");
        let detection = row.number("detection_limit", 0.0, 1e9, true);
        let value_text = row.cell("value").to_string();
        let non_detect_text = matches!(value_text.as_str(), "ND" | "nd" | "<DL" | "<dl" | "未检出");
        let value = if non_detect_text {
            if detection.is_none() {
                row.bad("detection_limit", format!("required with a value of {value_text:?}"));
            }
            None
        } else {
            row.number("value", 0.0, 1e9, false)
        };
        let analysed_at = row.required("analysed_at");
        if !analysed_at.is_empty() && !is_timestamp(&analysed_at) {
            row.bad(
                "analysed_at",
                format!("{analysed_at:?}: expected YYYY-MM-DD HH:MM[:SS] (or with T, and a zone)"),
            );
        }
        let method = row.required("method");
        let lab = row.required("lab");
        if !keys.insert((sample_id.clone(), pollutant.clone(), analysed_at.clone())) {
            row.bad(
                "analysed_at",
                format!("{sample_id:?} {pollutant:?} analysed at {analysed_at:?} appears twice in the file"),
            );
        }
        let factor = factor.unwrap_or(1.0);
        let detection_limit_mg_l = detection.map(|d| d * factor);
        // Below the detection limit: recorded as a non-detect ("<DL"), not as a number.
        let value_mg_l = match (value, detection) {
            (Some(v), Some(d)) if v < d => None,
            (Some(v), _) => Some(v * factor),
            (None, _) => None,
        };
        LabResult {
            sample_id,
            pollutant,
            value_mg_l,
            detection_limit_mg_l,
            method,
            analysed_at,
            lab,
            qa_flag: row.cell("qa_flag").to_string(),
        }
    });
    all_or_problems(results, problems)
}

/// Every sample id the database holds.
pub fn sample_ids(db: &mut Database) -> Result<HashSet<String>, DbError> {
    Ok(db
        .query("SELECT id FROM samples", &[])?
        .into_iter()
        .filter_map(|r| r[0].text().map(str::to_string))
        .collect())
}

/// Rows written per statement (SQLite, and [`store_by_statements`]).
const ROWS_PER_STATEMENT: usize = 500;

/// The columns an imported result fills, in the order [`result_values`] gives them:
/// the table's (`export::TABLES`, one list for writing and exporting) but the time in
/// seconds and the instrument, which a laboratory's file does not give.
fn import_columns() -> Vec<&'static str> {
    let table = crate::export::table("results").expect("the results table is listed");
    table
        .columns
        .iter()
        .copied()
        .filter(|c| !matches!(*c, "analysed_s" | "instrument"))
        .collect()
}

/// What a result already recorded for the same sample, pollutant and time of analysis
/// becomes: the imported one.
const REPLACE_ON_CONFLICT: &str = " ON CONFLICT (sample_id, pollutant, analysed_at) DO UPDATE SET \
     value_mg_l = excluded.value_mg_l, non_detect = excluded.non_detect, \
     detection_limit_mg_l = excluded.detection_limit_mg_l, method = excluded.method, lab = excluded.lab, \
     qa_flag = excluded.qa_flag, source = excluded.source";

fn result_values(r: &LabResult, source: &str) -> [Value; 10] {
    [
        r.sample_id.clone().into(),
        r.pollutant.clone().into(),
        r.analysed_at.clone().into(),
        r.value_mg_l.into(),
        Value::Int(i64::from(r.value_mg_l.is_none())),
        r.detection_limit_mg_l.into(),
        r.method.clone().into(),
        r.lab.clone().into(),
        r.qa_flag.clone().into(),
        source.into(),
    ]
}

/// Writes results in one transaction; a result already recorded for the same sample,
/// pollutant and time of analysis is replaced (a corrected file imported again).
/// PostgreSQL: the rows go in with one `COPY` into a table of the transaction, then
/// into `results` with one statement (`COPY` cannot replace a row); SQLite: 500 rows to
/// a prepared statement ([`store_by_statements`]).
pub fn store(db: &mut Database, results: &[LabResult], source: &str) -> Result<usize, DbError> {
    if db.is_sqlite() {
        return store_by_statements(db, results, source);
    }
    let import_columns = import_columns();
    let columns = import_columns.join(", ");
    db.transaction(|db| {
        // Dropped with the transaction, committed or not.
        db.batch(
            "CREATE TEMPORARY TABLE results_import (sample_id TEXT, pollutant TEXT, analysed_at TEXT, \
             value_mg_l DOUBLE PRECISION, non_detect BIGINT, detection_limit_mg_l DOUBLE PRECISION, \
             method TEXT, lab TEXT, qa_flag TEXT, source TEXT) ON COMMIT DROP",
        )?;
        let rows = results.iter().map(|r| result_values(r, source).to_vec());
        if let Some(copied) = db.copy_in("results_import", &import_columns, rows) {
            copied?;
        }
        db.execute(
            &format!("INSERT INTO results ({columns}) SELECT {columns} FROM results_import{REPLACE_ON_CONFLICT}"),
            &[],
        )?;
        Ok(results.len())
    })
}

/// [`store`] with `INSERT` statements of 500 rows each, on either engine: SQLite's way,
/// and on PostgreSQL the way `COPY` replaced (kept to measure one against the other,
/// docs/benchmarks.md).
pub fn store_by_statements(db: &mut Database, results: &[LabResult], source: &str) -> Result<usize, DbError> {
    let columns = import_columns();
    db.transaction(|db| {
        for chunk in results.chunks(ROWS_PER_STATEMENT) {
            let mut sql = format!("INSERT INTO results ({}) VALUES ", columns.join(", "));
            let mut params = Vec::with_capacity(chunk.len() * columns.len());
            for (i, r) in chunk.iter().enumerate() {
                if i > 0 {
                    sql.push_str(", ");
                }
                let first = i * columns.len() + 1;
                let placeholders: Vec<String> = (first..first + columns.len()).map(|n| format!("${n}")).collect();
                sql.push_str(&format!("({})", placeholders.join(", ")));
                params.extend(result_values(r, source));
            }
            sql.push_str(REPLACE_ON_CONFLICT);
            db.execute(&sql, &params)?;
        }
        Ok(results.len())
    })
}

/// Reads, checks and writes a results file: all rows or none.
pub fn import(
    db: &mut Database,
    file: &str,
    bytes: &[u8],
    pollutants: &BTreeSet<String>,
) -> Result<usize, ImportError> {
    let text = utf8_text(file, bytes).map_err(|p| ImportError::Rows(vec![p]))?;
    let samples = sample_ids(db)?;
    let results = parse(file, text, &samples, pollutants).map_err(ImportError::Rows)?;
    let large = results.len() >= ANALYZE_AFTER_ROWS;
    let source = format!(
        "import {}",
        std::path::Path::new(file)
            .file_name()
            .map_or(file.into(), |n| n.to_string_lossy())
    );
    let written = store(db, &results, &source)?;
    if large {
        // The planner's statistics after a large import: without them PostgreSQL reads a
        // point's series by scanning every result.
        db.batch("ANALYZE samples; ANALYZE results")?;
    }
    Ok(written)
}

/// Rows of an import after which the planner's statistics are refreshed.
pub const ANALYZE_AFTER_ROWS: usize = 10_000;
