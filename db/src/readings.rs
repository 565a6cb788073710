//! Readings of real automatic stations, imported from their own records: one row per
//! station, pollutant and time, checked row by row (unknown station, a pollutant the
//! station does not measure, unknown unit, a bad time, a file not in UTF-8) and written
//! all or nothing, with the stations they name (so an export can place them).

use crate::csv_rows::{Layout, all_or_problems, read_rows};
use crate::records::Station;
use crate::register::{ImportError, RowProblem};
use crate::results::{is_timestamp, utf8_text};
use crate::{Database, DbError, Value};
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// The columns of a readings file.
pub const READING_FILE_COLUMNS: [&str; 6] = ["station_id", "pollutant", "value", "unit", "measured_at", "qa_flag"];

/// The columns of `station_readings` (one list for writing and exporting).
pub const STATION_READING_COLUMNS: [&str; 6] = [
    "station_id",
    "pollutant",
    "measured_at",
    "value_mg_l",
    "qa_flag",
    "source",
];

/// Largest readings file read [bytes]: ten stations' hourly readings of five pollutants
/// for ten years are about 250 MB.
pub const READINGS_BYTES_MAX: usize = 512 * 1024 * 1024;

/// Rows written per statement.
const ROWS_PER_STATEMENT: usize = 500;

/// One imported reading as stored: the concentration in mg/L.
#[derive(Clone, Debug, PartialEq)]
pub struct StationReading {
    pub station_id: String,
    pub pollutant: String,
    /// The station's own timestamp, as written (`YYYY-MM-DD HH:MM[:SS]`, optionally with
    /// a zone).
    pub measured_at: String,
    /// [mg/L].
    pub value_mg_l: f64,
    pub qa_flag: String,
}

/// Reads and checks a readings file against the stations a reading may name and what
/// each measures (`stations`: id → pollutant ids; empty: any station, any pollutant).
/// Every bad row is named.
pub fn parse(
    file: &str,
    text: &str,
    stations: &BTreeMap<String, BTreeSet<String>>,
) -> Result<Vec<StationReading>, Vec<RowProblem>> {
    let mut problems = Vec::new();
    let layout = Layout {
        columns: &READING_FILE_COLUMNS,
        required: &["station_id", "pollutant", "value", "unit", "measured_at"],
        bytes_max: READINGS_BYTES_MAX,
    };
    let station_ids: BTreeSet<String> = stations.keys().cloned().collect();
    let mut keys: HashSet<(String, String, String)> = HashSet::new();
    let readings = read_rows(&layout, file, text, &mut problems, |row| {
        let station_id = row.known("station_id", &station_ids, "station");
        let pollutant = row.required("pollutant");
        if let Some(measured) = stations.get(&station_id)
            && !pollutant.is_empty()
            && !measured.contains(&pollutant)
        {
            let listed: Vec<&str> = measured.iter().map(String::as_str).collect();
            row.bad(
                "pollutant",
                format!(
                    "station {station_id:?} does not measure {pollutant:?}; it measures {}",
                    if listed.is_empty() {
                        "nothing".to_string()
                    } else {
                        listed.join(", ")
                    }
                ),
            );
        }
        let factor = row.unit_to_mg_l("unit");
        let value = row.number("value", 0.0, 1e9, false);
        let measured_at = row.required("measured_at");
        if !measured_at.is_empty() && !is_timestamp(&measured_at) {
            row.bad(
                "measured_at",
                format!("{measured_at:?}: expected YYYY-MM-DD HH:MM[:SS] (or with T, and a zone)"),
            );
        }
        if !keys.insert((station_id.clone(), pollutant.clone(), measured_at.clone())) {
            row.bad(
                "measured_at",
                format!("{station_id:?} {pollutant:?} at {measured_at:?} appears twice in the file"),
            );
        }
        StationReading {
            station_id,
            pollutant,
            measured_at,
            value_mg_l: value.unwrap_or(0.0) * factor.unwrap_or(1.0),
            qa_flag: row.cell("qa_flag").to_string(),
        }
    });
    all_or_problems(readings, problems)
}

/// What a reading already recorded for the same station, pollutant and time becomes:
/// the imported one (a corrected file imported again).
const REPLACE_ON_CONFLICT: &str = " ON CONFLICT (station_id, pollutant, measured_at) DO UPDATE SET \
     value_mg_l = excluded.value_mg_l, qa_flag = excluded.qa_flag, source = excluded.source";

/// Writes readings and the stations they name in one transaction, 500 rows to a
/// statement; a reading already recorded for the same station, pollutant and time is
/// replaced.
pub fn store(
    db: &mut Database,
    readings: &[StationReading],
    stations: &[Station],
    source: &str,
) -> Result<usize, DbError> {
    let named: BTreeSet<&str> = readings.iter().map(|r| r.station_id.as_str()).collect();
    db.transaction(|db| {
        for s in stations.iter().filter(|s| named.contains(s.id.as_str())) {
            db.execute(
                "INSERT INTO stations (id, name, kind, jurisdiction, lon, lat, pollutants) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO UPDATE SET name = excluded.name, \
                 kind = excluded.kind, jurisdiction = excluded.jurisdiction, lon = excluded.lon, \
                 lat = excluded.lat, pollutants = excluded.pollutants",
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
        let width = STATION_READING_COLUMNS.len();
        for chunk in readings.chunks(ROWS_PER_STATEMENT) {
            let mut sql = format!(
                "INSERT INTO station_readings ({}) VALUES ",
                STATION_READING_COLUMNS.join(", ")
            );
            let mut params = Vec::with_capacity(chunk.len() * width);
            for (i, r) in chunk.iter().enumerate() {
                if i > 0 {
                    sql.push_str(", ");
                }
                let first = i * width + 1;
                let placeholders: Vec<String> = (first..first + width).map(|n| format!("${n}")).collect();
                sql.push_str(&format!("({})", placeholders.join(", ")));
                params.extend([
                    Value::from(r.station_id.clone()),
                    r.pollutant.clone().into(),
                    r.measured_at.clone().into(),
                    r.value_mg_l.into(),
                    r.qa_flag.clone().into(),
                    source.into(),
                ]);
            }
            sql.push_str(REPLACE_ON_CONFLICT);
            db.execute(&sql, &params)?;
        }
        Ok(readings.len())
    })
}

/// Reads, checks and writes a readings file: all rows or none. `stations`: the stations
/// a reading may name (the caller's scenario), each with what it measures (its
/// `pollutants`, comma-separated).
pub fn import(db: &mut Database, file: &str, bytes: &[u8], stations: &[Station]) -> Result<usize, ImportError> {
    let text = utf8_text(file, bytes).map_err(|p| ImportError::Rows(vec![p]))?;
    let vocabulary: BTreeMap<String, BTreeSet<String>> = stations
        .iter()
        .map(|s| {
            let measured = s
                .pollutants
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect();
            (s.id.clone(), measured)
        })
        .collect();
    let readings = parse(file, text, &vocabulary).map_err(ImportError::Rows)?;
    let source = format!(
        "import {}",
        std::path::Path::new(file)
            .file_name()
            .map_or(file.into(), |n| n.to_string_lossy())
    );
    Ok(store(db, &readings, stations, &source)?)
}
