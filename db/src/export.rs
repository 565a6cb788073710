//! Every table out: as CSV, as GeoJSON where its rows have a place, and all of them
//! as one portable dump that `restore` reads back into an empty database of either
//! engine.

use crate::{Database, DbError, Value};

/// A table of the schema: its columns, the order its rows are written in, and whether
/// it has coordinates (`lon`, `lat`).
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [&'static str],
    pub order_by: &'static str,
    pub has_place: bool,
}

/// Every table, parents before children (the order a restore writes them in).
pub const TABLES: &[Table] = &[
    Table {
        name: "risk_sources",
        columns: &crate::register::SOURCE_COLUMNS,
        order_by: "id",
        has_place: true,
    },
    Table {
        name: "risk_source_chemicals",
        columns: &crate::register::CHEMICAL_TABLE_COLUMNS,
        order_by: "source_id, seq, pollutant",
        has_place: false,
    },
    Table {
        name: "methods",
        columns: &crate::reference::METHOD_COLUMNS,
        order_by: "id, pollutant",
        has_place: false,
    },
    Table {
        name: "experts",
        columns: &[
            "id",
            "name",
            "name_zh",
            "expertise",
            "jurisdiction",
            "organisation",
            "contact",
            "availability",
            "note",
        ],
        order_by: "id",
        has_place: false,
    },
    Table {
        name: "expert_pollutants",
        columns: &["expert_id", "pollutant"],
        order_by: "expert_id, pollutant",
        has_place: false,
    },
    Table {
        name: "stations",
        columns: &["id", "name", "kind", "jurisdiction", "lon", "lat", "pollutants"],
        order_by: "id",
        has_place: true,
    },
    Table {
        name: "runs",
        columns: &[
            "id",
            "kind",
            "name",
            "scenario",
            "scenario_hash",
            "policy",
            "seed",
            "end_s",
            "program",
            "session",
            "in_progress",
            "updated_utc",
        ],
        order_by: "id",
        has_place: false,
    },
    Table {
        name: "readings",
        columns: &[
            "run_id",
            "station_id",
            "at_s",
            "pollutant",
            "value_mg_l",
            "alarm",
            "qa_flag",
        ],
        order_by: "run_id, station_id, at_s, pollutant",
        has_place: false,
    },
    Table {
        name: "station_readings",
        columns: &crate::readings::STATION_READING_COLUMNS,
        order_by: "station_id, pollutant, measured_at",
        has_place: false,
    },
    Table {
        name: "incidents",
        columns: &[
            "run_id",
            "id",
            "name",
            "jurisdiction",
            "pollutant",
            "start_s",
            "discovered_s",
            "discovered_by",
            "plan_s",
            "declared_level",
            "level",
            "true_mass_kg",
            "estimated_mass_kg",
        ],
        order_by: "run_id, id",
        has_place: false,
    },
    Table {
        name: "plan_revisions",
        columns: &[
            "run_id",
            "incident_id",
            "revision",
            "issued_s",
            "level",
            "method",
            "estimated_mass_kg",
            "approved_by",
            "approved_s",
            "document",
        ],
        order_by: "run_id, incident_id, revision",
        has_place: false,
    },
    Table {
        name: "plan_points",
        columns: &[
            "run_id",
            "incident_id",
            "revision",
            "point_id",
            "name",
            "role",
            "jurisdiction",
            "team",
            "lon",
            "lat",
            "forecast_arrival_s",
            "limit_mg_l",
            "dense_interval_s",
            "sparse_interval_s",
        ],
        order_by: "run_id, incident_id, revision, point_id",
        has_place: true,
    },
    Table {
        name: "samples",
        columns: &[
            "id",
            "run_id",
            "incident_id",
            "point_id",
            "lon",
            "lat",
            "pollutant",
            "team",
            "taken_s",
            "duplicate",
            "sediment",
            "confirms",
        ],
        order_by: "run_id, taken_s, id",
        has_place: true,
    },
    Table {
        name: "tasks",
        columns: &[
            "run_id",
            "seq",
            "incident_id",
            "point_id",
            "role",
            "jurisdiction",
            "team",
            "status",
            "due_s",
            "opened_s",
            "assigned_s",
            "arrived_s",
            "requested_by",
            "sample_id",
        ],
        order_by: "run_id, seq",
        has_place: false,
    },
    Table {
        name: "custody_events",
        columns: &[
            "sample_id",
            "seq",
            "at_s",
            "held_by",
            "event",
            "place",
            "handed_to",
            "container",
            "preservation",
        ],
        order_by: "sample_id, seq",
        has_place: false,
    },
    Table {
        name: "results",
        columns: &[
            "sample_id",
            "pollutant",
            "analysed_at",
            "analysed_s",
            "value_mg_l",
            "non_detect",
            "detection_limit_mg_l",
            "method",
            "instrument",
            "lab",
            "qa_flag",
            "source",
        ],
        order_by: "sample_id, pollutant, analysed_at",
        has_place: false,
    },
    Table {
        name: "warnings",
        columns: &[
            "run_id",
            "incident_id",
            "intake",
            "threatened",
            "forecast_warning_s",
            "confirmed_warning_s",
            "plume_over_limit_s",
            "warned_before_arrival",
            "margin_s",
        ],
        order_by: "run_id, incident_id, intake",
        has_place: false,
    },
    Table {
        name: "drills",
        columns: &["run_id", "drill", "exercise", "score", "grade", "report_path", "report"],
        order_by: "run_id",
        has_place: false,
    },
    Table {
        name: "drill_ratings",
        columns: &["run_id", "objective", "target", "title", "owner", "rating"],
        order_by: "run_id, objective, target",
        has_place: false,
    },
];

impl Table {
    /// Whether its rows have a place: coordinates of their own, or a station's (a
    /// reading is where its station is).
    pub fn placed(&self) -> bool {
        self.has_place || self.columns.contains(&"station_id")
    }
}

pub fn table(name: &str) -> Option<&'static Table> {
    TABLES.iter().find(|t| t.name == name)
}

/// Every row of a table, in its order.
pub fn rows(db: &mut Database, table: &Table) -> Result<Vec<Vec<Value>>, DbError> {
    db.query(
        &format!(
            "SELECT {} FROM {} ORDER BY {}",
            table.columns.join(", "),
            table.name,
            table.order_by
        ),
        &[],
    )
}

/// A value as a CSV cell: empty for NULL, numbers as Rust prints them (shortest
/// round-tripping form).
pub fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::Int(i) => i.to_string(),
        Value::Real(x) => x.to_string(),
        Value::Text(s) => s.clone(),
    }
}

/// A table as CSV with a header of its columns.
pub fn to_csv(db: &mut Database, table: &Table) -> Result<String, DbError> {
    let rows = rows(db, table)?;
    Ok(crate::register::csv_text(
        table.columns,
        rows.iter().map(|r| r.iter().map(cell).collect()),
    ))
}

fn json(value: &Value) -> serde_json::Value {
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Int(i) => (*i).into(),
        Value::Real(x) => serde_json::Number::from_f64(*x).map_or(serde_json::Value::Null, Into::into),
        Value::Text(s) => s.clone().into(),
    }
}

/// The rows of a table that have coordinates, as a GeoJSON FeatureCollection of WGS84
/// points with every other column as a property; and how many rows had none.
/// A table whose rows name a station (the readings) takes the station's coordinates
/// (`stations`).
pub fn to_geojson(db: &mut Database, table: &Table) -> Result<(serde_json::Value, usize), DbError> {
    let mut columns = table.columns.to_vec();
    let rows = if table.has_place {
        rows(db, table)?
    } else {
        columns.extend(["lon", "lat"]);
        let prefixed = |list: &[&str]| list.iter().map(|c| format!("t.{}", c.trim())).collect::<Vec<_>>();
        let order: Vec<&str> = table.order_by.split(',').collect();
        db.query(
            &format!(
                "SELECT {}, st.lon, st.lat FROM {} t LEFT JOIN stations st ON st.id = t.station_id ORDER BY {}",
                prefixed(table.columns).join(", "),
                table.name,
                prefixed(&order).join(", ")
            ),
            &[],
        )?
    };
    let lon = columns.iter().position(|c| *c == "lon");
    let lat = columns.iter().position(|c| *c == "lat");
    let (Some(lon), Some(lat)) = (lon, lat) else {
        return Ok((crate::geojson::collection(Vec::new()), rows.len()));
    };
    let mut without = 0;
    let mut features = Vec::new();
    for row in &rows {
        let (Some(x), Some(y)) = (row[lon].real(), row[lat].real()) else {
            without += 1;
            continue;
        };
        let properties: serde_json::Map<String, serde_json::Value> = columns
            .iter()
            .zip(row)
            .filter(|(c, _)| **c != "lon" && **c != "lat")
            .map(|(c, v)| (c.to_string(), json(v)))
            .collect();
        features.push(crate::geojson::feature(crate::geojson::point(x, y), properties.into()));
    }
    Ok((crate::geojson::collection(features), without))
}

/// The first line of a dump: what it is and the schema it holds.
pub const DUMP_FORMAT: &str = "tripoint-dump";

/// The whole database as lines of JSON: a header (format, schema version, program),
/// then each table's name and columns followed by its rows as arrays. Integers stay
/// integers and reals reals (`1.0`), so a restore writes back the same values.
pub fn dump(db: &mut Database, mut line: impl FnMut(String) -> std::io::Result<()>) -> Result<(), DumpError> {
    let version = db.version()?;
    let io = DumpError::Io;
    line(
        serde_json::json!({ "format": DUMP_FORMAT, "schema_version": version, "program": crate::records::program() })
            .to_string(),
    )
    .map_err(io)?;
    for table in TABLES {
        line(serde_json::json!({ "table": table.name, "columns": table.columns }).to_string()).map_err(io)?;
        for row in rows(db, table)? {
            let values: Vec<serde_json::Value> = row.iter().map(json).collect();
            line(serde_json::Value::Array(values).to_string()).map_err(io)?;
        }
    }
    Ok(())
}

#[derive(Debug)]
pub enum DumpError {
    Db(DbError),
    Io(std::io::Error),
    /// The dump is not one this program reads: the line and what is wrong.
    Format {
        line: u64,
        message: String,
    },
    /// The target holds data already.
    NotEmpty {
        table: String,
        rows: i64,
    },
}

impl std::fmt::Display for DumpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DumpError::Db(e) => write!(f, "{e}"),
            DumpError::Io(e) => write!(f, "{e}"),
            DumpError::Format { line, message } => write!(f, "line {line}: {message}"),
            DumpError::NotEmpty { table, rows } => write!(
                f,
                "the database is not empty ({table} holds {rows} rows): restore into a new, empty database"
            ),
        }
    }
}

impl std::error::Error for DumpError {}

impl From<DbError> for DumpError {
    fn from(e: DbError) -> Self {
        DumpError::Db(e)
    }
}

/// Fails unless every table of the database is empty.
pub fn check_empty(db: &mut Database) -> Result<(), DumpError> {
    for table in TABLES {
        let rows = db.query(&format!("SELECT COUNT(*) FROM {}", table.name), &[])?;
        let n = rows.first().and_then(|r| r[0].int()).unwrap_or(0);
        if n > 0 {
            return Err(DumpError::NotEmpty {
                table: table.name.to_string(),
                rows: n,
            });
        }
    }
    Ok(())
}

/// Reads a dump (its lines, in order) into an empty database in one transaction:
/// every row or none. Returns the rows written.
pub fn restore<'a>(db: &mut Database, lines: impl Iterator<Item = &'a str>) -> Result<u64, DumpError> {
    check_empty(db)?;
    let known = db.version()?;
    db.transaction(|db| restore_lines(db, lines, known))
}

fn restore_lines<'a>(db: &mut Database, lines: impl Iterator<Item = &'a str>, known: i64) -> Result<u64, DumpError> {
    let bad = |line: u64, message: String| DumpError::Format { line, message };
    let mut current: Option<(&Table, String)> = None;
    let mut written = 0;
    let mut seen_header = false;
    for (idx, text) in lines.enumerate() {
        let line = idx as u64 + 1;
        if text.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| bad(line, format!("not a line of a dump: {e}")))?;
        if !seen_header {
            if value["format"] != DUMP_FORMAT {
                return Err(bad(line, format!("not a {DUMP_FORMAT} file")));
            }
            let version = value["schema_version"].as_i64().unwrap_or(0);
            if version != known {
                return Err(bad(
                    line,
                    format!(
                        "the dump is of schema version {version}, this program's is {known}: restore it with the \
                         program that wrote it, then upgrade"
                    ),
                ));
            }
            seen_header = true;
            continue;
        }
        match value {
            serde_json::Value::Object(header) => {
                let name = header.get("table").and_then(|t| t.as_str()).unwrap_or("");
                let table = table(name).ok_or_else(|| bad(line, format!("unknown table {name:?}")))?;
                let columns: Vec<&str> = header
                    .get("columns")
                    .and_then(|c| c.as_array())
                    .map(|c| c.iter().filter_map(|v| v.as_str()).collect())
                    .unwrap_or_default();
                if columns != table.columns {
                    return Err(bad(line, format!("the columns of {name} are not this program's")));
                }
                let sql = format!(
                    "INSERT INTO {} ({}) VALUES ({})",
                    table.name,
                    table.columns.join(", "),
                    (1..=table.columns.len())
                        .map(|i| format!("${i}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                current = Some((table, sql));
            }
            serde_json::Value::Array(cells) => {
                let Some((table, sql)) = &current else {
                    return Err(bad(line, "a row before any table".to_string()));
                };
                if cells.len() != table.columns.len() {
                    return Err(bad(
                        line,
                        format!(
                            "{} values for the {} columns of {}",
                            cells.len(),
                            table.columns.len(),
                            table.name
                        ),
                    ));
                }
                let values: Vec<Value> = cells
                    .iter()
                    .map(|c| match c {
                        serde_json::Value::Null => Ok(Value::Null),
                        serde_json::Value::String(s) => Ok(Value::Text(s.clone())),
                        serde_json::Value::Number(n) => Ok(match n.as_i64() {
                            Some(i) => Value::Int(i),
                            None => Value::Real(n.as_f64().unwrap_or(f64::NAN)),
                        }),
                        other => Err(bad(line, format!("{other} is not a value of a column"))),
                    })
                    .collect::<Result<_, _>>()?;
                db.execute(sql, &values)?;
                written += 1;
            }
            other => return Err(bad(line, format!("{other} is neither a table nor a row"))),
        }
    }
    if !seen_header {
        return Err(bad(1, "an empty file".to_string()));
    }
    Ok(written)
}
