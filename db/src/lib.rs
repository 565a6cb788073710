//! Tripoint's emergency monitoring database: one schema, kept in versioned migrations
//! (`db/migrations/`), on two engines — SQLite, embedded, for one laptop or one site, and
//! PostgreSQL for the deployment the three jurisdictions share.
//!
//! The SQL is written once, in the subset both engines read the same way (`TEXT`,
//! `DOUBLE PRECISION`, `BIGINT`, `CHECK`, foreign keys, `ON CONFLICT … DO UPDATE`,
//! parameters `$1, $2, …` in order of first use). [`Database`] hides only what differs:
//! connecting, binding and reading values.
//!
//! A database is upgraded when it is opened, every migration in one transaction; a
//! database written by a newer version of the program is refused, never misread.

mod csv_rows;
pub mod export;
pub mod geojson;
pub mod queries;
pub mod readings;
pub mod records;
pub mod reference;
pub mod register;
pub mod results;

use std::fmt;

/// A value bound to a statement or read from a row.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

impl Value {
    pub fn text(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }

    pub fn real(&self) -> Option<f64> {
        match self {
            Value::Real(x) => Some(*x),
            Value::Int(i) => Some(*i as f64),
            _ => None,
        }
    }

    pub fn int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Text(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Text(s)
    }
}

impl From<f64> for Value {
    fn from(x: f64) -> Self {
        Value::Real(x)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Int(i)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

#[derive(Debug)]
pub enum DbError {
    /// Where the database is cannot be opened or reached.
    Open { location: String, message: String },
    /// The database was written by a newer version of the program.
    TooNew { location: String, found: i64, known: i64 },
    /// A statement failed (a constraint, a lost connection…); the transaction it was in
    /// was rolled back.
    Sql { statement: String, message: String },
}

/// A location as it may be printed: a PostgreSQL connection string without its password.
pub fn shown(location: &str) -> String {
    if let Some((scheme, rest)) = location.split_once("://")
        && let Some((credentials, host)) = rest.rsplit_once('@')
    {
        let user = credentials.split(':').next().unwrap_or("");
        return format!("{scheme}://{user}@{host}");
    }
    location
        .split_whitespace()
        .map(|w| if w.starts_with("password=") { "password=…" } else { w })
        .collect::<Vec<_>>()
        .join(" ")
}

/// An error with its causes, as `outer: inner: innermost`.
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DbError::Open { location, message } => {
                write!(f, "{}: cannot open the database: {message}", shown(location))
            }
            DbError::TooNew { location, found, known } => write!(
                f,
                "{}: the database is at schema version {found}, newer than this program's {known}: \
                 it was written by a newer tripoint; use that version (nothing was read or changed)",
                shown(location)
            ),
            DbError::Sql { statement, message } => {
                let first = statement.trim().lines().next().unwrap_or("");
                write!(f, "the database refused `{first}`: {message}")
            }
        }
    }
}

impl std::error::Error for DbError {}

fn sql_error(statement: &str, e: impl std::error::Error) -> DbError {
    DbError::Sql {
        statement: statement.to_string(),
        message: chain(&e),
    }
}

fn sql_message(statement: &str, message: String) -> DbError {
    DbError::Sql {
        statement: statement.to_string(),
        message,
    }
}

/// The migrations, in order; each applied once, in one transaction with its record.
pub const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "register", include_str!("../migrations/0001_register.sql")),
    (2, "records", include_str!("../migrations/0002_records.sql")),
    (3, "sessions", include_str!("../migrations/0003_sessions.sql")),
    (4, "order", include_str!("../migrations/0004_chemical_order.sql")),
    (5, "updates", include_str!("../migrations/0005_run_updates.sql")),
    (6, "readings", include_str!("../migrations/0006_readings_custody.sql")),
];

/// The schema version this program reads and writes.
pub fn schema_version() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.0)
}

enum Conn {
    Sqlite(rusqlite::Connection),
    Postgres(Box<postgres::Client>),
}

/// An open database, upgraded to this program's schema.
pub struct Database {
    conn: Conn,
    location: String,
    /// Migrations applied when it was opened (versions), for the caller to report.
    pub upgraded: Vec<i64>,
}

impl Database {
    /// Opens (creating it if needed) the database at `location`: a PostgreSQL connection
    /// string (`postgresql://…`, `postgres://…` or `host=… dbname=…`), or a SQLite file
    /// (`sqlite:PATH` or a plain path; its folder is created). Then upgrades it.
    pub fn open(location: &str) -> Result<Database, DbError> {
        let open_error = |message: String| DbError::Open {
            location: location.to_string(),
            message,
        };
        let conn = if is_postgres(location) {
            let client = postgres::Client::connect(location, postgres::NoTls).map_err(|e| open_error(chain(&e)))?;
            Conn::Postgres(Box::new(client))
        } else {
            let path = std::path::Path::new(location.strip_prefix("sqlite:").unwrap_or(location));
            if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(folder)
                    .map_err(|e| open_error(format!("creating {}: {e}", folder.display())))?;
            }
            let conn = rusqlite::Connection::open(path).map_err(|e| open_error(e.to_string()))?;
            // Foreign keys are off by default in SQLite; the write-ahead log keeps a crash
            // mid-write from leaving a half-written transaction behind.
            conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000;")
                .map_err(|e| open_error(e.to_string()))?;
            Conn::Sqlite(conn)
        };
        let mut db = Database {
            conn,
            location: location.to_string(),
            upgraded: Vec::new(),
        };
        db.upgraded = db.migrate()?;
        Ok(db)
    }

    pub fn location(&self) -> &str {
        &self.location
    }

    pub fn engine(&self) -> &'static str {
        match self.conn {
            Conn::Sqlite(_) => "SQLite",
            Conn::Postgres(_) => "PostgreSQL",
        }
    }

    /// The schema version recorded in the database (0: empty).
    pub fn version(&mut self) -> Result<i64, DbError> {
        let rows = self.query("SELECT MAX(version) FROM schema_migrations", &[])?;
        Ok(rows.first().and_then(|r| r[0].int()).unwrap_or(0))
    }

    fn migrate(&mut self) -> Result<Vec<i64>, DbError> {
        self.batch(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                 version BIGINT PRIMARY KEY,
                 name TEXT NOT NULL,
                 applied_by TEXT NOT NULL
             )",
        )?;
        let found = self.version()?;
        if found > schema_version() {
            return Err(DbError::TooNew {
                location: self.location.clone(),
                found,
                known: schema_version(),
            });
        }
        let mut applied = Vec::new();
        for &(version, name, sql) in MIGRATIONS.iter().filter(|m| m.0 > found) {
            self.transaction(|db| {
                db.batch(sql)?;
                db.execute(
                    "INSERT INTO schema_migrations (version, name, applied_by) VALUES ($1, $2, $3)",
                    &[
                        Value::Int(version),
                        name.into(),
                        format!("tripoint {}", env!("CARGO_PKG_VERSION")).into(),
                    ],
                )?;
                Ok(())
            })?;
            applied.push(version);
        }
        Ok(applied)
    }

    /// Runs statements without parameters (schema, pragmas).
    pub fn batch(&mut self, sql: &str) -> Result<(), DbError> {
        match &mut self.conn {
            Conn::Sqlite(c) => c.execute_batch(sql).map_err(|e| sql_error(sql, e)),
            Conn::Postgres(c) => c.batch_execute(sql).map_err(|e| sql_error(sql, e)),
        }
    }

    /// Runs one statement; returns the rows it changed.
    pub fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, DbError> {
        match &mut self.conn {
            Conn::Sqlite(c) => {
                let mut statement = sqlite_bound(c, sql, params)?;
                statement.raw_execute().map(|n| n as u64).map_err(|e| sql_error(sql, e))
            }
            Conn::Postgres(c) => {
                let (statement, bound) = postgres_prepared(c, sql, params)?;
                let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = bound.iter().map(|b| b.as_ref()).collect();
                c.execute(&statement, &refs).map_err(|e| sql_error(sql, e))
            }
        }
    }

    /// Runs a query; every row as values in column order.
    pub fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Vec<Value>>, DbError> {
        match &mut self.conn {
            Conn::Sqlite(c) => {
                let mut statement = sqlite_bound(c, sql, params)?;
                let n = statement.column_count();
                let mut rows = statement.raw_query();
                let mut out = Vec::new();
                while let Some(row) = rows.next().map_err(|e| sql_error(sql, e))? {
                    let mut values = Vec::with_capacity(n);
                    for i in 0..n {
                        let v: rusqlite::types::Value = row.get(i).map_err(|e| sql_error(sql, e))?;
                        values.push(match v {
                            rusqlite::types::Value::Null => Value::Null,
                            rusqlite::types::Value::Integer(i) => Value::Int(i),
                            rusqlite::types::Value::Real(x) => Value::Real(x),
                            rusqlite::types::Value::Text(s) => Value::Text(s),
                            rusqlite::types::Value::Blob(_) => Value::Null,
                        });
                    }
                    out.push(values);
                }
                Ok(out)
            }
            Conn::Postgres(c) => {
                let (statement, bound) = postgres_prepared(c, sql, params)?;
                let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = bound.iter().map(|b| b.as_ref()).collect();
                let rows = c.query(&statement, &refs).map_err(|e| sql_error(sql, e))?;
                rows.iter()
                    .map(|row| {
                        (0..row.len())
                            .map(|i| postgres_value(sql, row, i))
                            .collect::<Result<Vec<Value>, DbError>>()
                    })
                    .collect()
            }
        }
    }

    /// Runs `work` in one transaction: all of it is written, or (on any error) none.
    /// On SQLite the transaction takes the write lock when it begins (`BEGIN IMMEDIATE`):
    /// a second writer waits for it (the busy timeout) instead of failing half-way when it
    /// first writes.
    pub fn transaction<T, E: From<DbError>>(
        &mut self,
        work: impl FnOnce(&mut Database) -> Result<T, E>,
    ) -> Result<T, E> {
        self.batch(match self.conn {
            Conn::Sqlite(_) => "BEGIN IMMEDIATE",
            Conn::Postgres(_) => "BEGIN",
        })?;
        match work(self) {
            Ok(value) => {
                self.batch("COMMIT")?;
                Ok(value)
            }
            Err(e) => {
                // The error is what the caller needs; a failed rollback leaves the
                // transaction to be discarded with the connection.
                let _ = self.batch("ROLLBACK");
                Err(e)
            }
        }
    }
}

impl Database {
    /// Within a transaction: keeps other writers from taking a new id of `table` (its
    /// highest id plus one) until this one commits. SQLite's immediate transaction already
    /// holds the database's one write lock.
    pub fn lock_ids(&mut self, table: &str) -> Result<(), DbError> {
        match self.conn {
            Conn::Sqlite(_) => Ok(()),
            Conn::Postgres(_) => self.batch(&format!("LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")),
        }
    }

    /// SQLite: a consistent copy of the database in a new file at `path`, taken with
    /// SQLite's online backup API while other connections may go on writing. `None` on
    /// PostgreSQL (its backup is a dump: [`export::dump`]).
    pub fn backup_sqlite(&self, path: &std::path::Path) -> Option<Result<(), DbError>> {
        match &self.conn {
            Conn::Sqlite(c) => Some(
                c.backup(rusqlite::MAIN_DB, path, None::<fn(rusqlite::backup::Progress)>)
                    .map_err(|e| sql_error("backup", e)),
            ),
            Conn::Postgres(_) => None,
        }
    }

    /// PostgreSQL: writes `rows` (values in the order of `columns`) into `table` with one
    /// `COPY … FROM STDIN` in PostgreSQL's binary format, each value typed as the table's
    /// column; returns the rows written. Inside a [`Database::transaction`] it is part of
    /// that transaction: a row refused, or a connection lost mid-copy, leaves nothing of
    /// the copy once the transaction rolls back. `None` on SQLite, whose prepared
    /// statements run in the process and need no bulk path.
    pub fn copy_in(
        &mut self,
        table: &str,
        columns: &[&str],
        rows: impl IntoIterator<Item = Vec<Value>>,
    ) -> Option<Result<u64, DbError>> {
        match &mut self.conn {
            Conn::Sqlite(_) => None,
            Conn::Postgres(c) => Some(postgres_copy_in(c, table, columns, rows)),
        }
    }

    /// Whether this is the embedded engine (backups differ).
    pub fn is_sqlite(&self) -> bool {
        matches!(self.conn, Conn::Sqlite(_))
    }
}

/// Whether a location names a PostgreSQL server rather than a SQLite file.
pub fn is_postgres(location: &str) -> bool {
    location.starts_with("postgresql://")
        || location.starts_with("postgres://")
        || location
            .split_whitespace()
            .any(|w| w.starts_with("host=") || w.starts_with("dbname="))
}

/// A cached SQLite statement with its parameters bound by position.
fn sqlite_bound<'c>(
    c: &'c rusqlite::Connection,
    sql: &str,
    params: &[Value],
) -> Result<rusqlite::CachedStatement<'c>, DbError> {
    let mut statement = c.prepare_cached(sql).map_err(|e| sql_error(sql, e))?;
    for (idx, value) in params.iter().enumerate() {
        statement
            .raw_bind_parameter(idx + 1, sqlite_value(value))
            .map_err(|e| sql_error(sql, e))?;
    }
    Ok(statement)
}

/// A prepared PostgreSQL statement and the parameters typed as it expects them.
fn postgres_prepared(
    c: &mut postgres::Client,
    sql: &str,
    params: &[Value],
) -> Result<(postgres::Statement, Vec<PgParam>), DbError> {
    let statement = c.prepare(sql).map_err(|e| sql_error(sql, e))?;
    let bound = postgres_params(sql, statement.params(), params)?;
    Ok((statement, bound))
}

/// `COPY table (columns) FROM STDIN` in the binary format, every row typed by
/// [`postgres_params`] as the table's columns are.
fn postgres_copy_in(
    c: &mut postgres::Client,
    table: &str,
    columns: &[&str],
    rows: impl IntoIterator<Item = Vec<Value>>,
) -> Result<u64, DbError> {
    let list = columns.join(", ");
    let probe = format!("SELECT {list} FROM {table} LIMIT 0");
    let types: Vec<postgres::types::Type> = c
        .prepare(&probe)
        .map_err(|e| sql_error(&probe, e))?
        .columns()
        .iter()
        .map(|column| column.type_().clone())
        .collect();
    let sql = format!("COPY {table} ({list}) FROM STDIN (FORMAT binary)");
    let writer = c.copy_in(&sql).map_err(|e| sql_error(&sql, e))?;
    let mut writer = postgres::binary_copy::BinaryCopyInWriter::new(writer, &types);
    for row in rows {
        // A row of the wrong length would make the writer panic: an error instead.
        let bound = postgres_params(&sql, &types, &row)?;
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = bound.iter().map(|b| b.as_ref()).collect();
        writer.write(&refs).map_err(|e| sql_error(&sql, e))?;
    }
    writer.finish().map_err(|e| sql_error(&sql, e))
}

fn sqlite_value(value: &Value) -> rusqlite::types::Value {
    match value {
        Value::Null => rusqlite::types::Value::Null,
        Value::Int(i) => rusqlite::types::Value::Integer(*i),
        Value::Real(x) => rusqlite::types::Value::Real(*x),
        Value::Text(s) => rusqlite::types::Value::Text(s.clone()),
    }
}

type PgParam = Box<dyn postgres::types::ToSql + Sync>;

/// Values typed as the statement's parameters: PostgreSQL checks types even for NULL.
fn postgres_params(sql: &str, types: &[postgres::types::Type], params: &[Value]) -> Result<Vec<PgParam>, DbError> {
    use postgres::types::Type;
    if types.len() != params.len() {
        return Err(sql_message(
            sql,
            format!("{} parameters given, {} expected", params.len(), types.len()),
        ));
    }
    types
        .iter()
        .zip(params)
        .map(|(ty, value)| {
            let mismatch = || sql_message(sql, format!("{value:?} cannot be bound as {ty}"));
            Ok(match *ty {
                Type::FLOAT8 => Box::new(match value {
                    Value::Null => None,
                    v => Some(v.real().ok_or_else(mismatch)?),
                }) as PgParam,
                Type::INT8 => Box::new(match value {
                    Value::Null => None,
                    v => Some(v.int().ok_or_else(mismatch)?),
                }),
                Type::INT4 => Box::new(match value {
                    Value::Null => None,
                    v => Some(i32::try_from(v.int().ok_or_else(mismatch)?).map_err(|_| mismatch())?),
                }),
                Type::TEXT | Type::VARCHAR => Box::new(match value {
                    Value::Null => None,
                    v => Some(v.text().ok_or_else(mismatch)?.to_string()),
                }),
                _ => return Err(sql_message(sql, format!("parameters of type {ty} are not supported"))),
            })
        })
        .collect()
}

fn postgres_value(sql: &str, row: &postgres::Row, i: usize) -> Result<Value, DbError> {
    use postgres::types::Type;
    let get_error = |e: postgres::Error| sql_error(sql, e);
    Ok(match *row.columns()[i].type_() {
        Type::FLOAT8 => row.try_get::<_, Option<f64>>(i).map_err(get_error)?.into(),
        Type::FLOAT4 => row
            .try_get::<_, Option<f32>>(i)
            .map_err(get_error)?
            .map(f64::from)
            .into(),
        Type::INT8 => row.try_get::<_, Option<i64>>(i).map_err(get_error)?.into(),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(i)
            .map_err(get_error)?
            .map(i64::from)
            .into(),
        Type::INT2 => row
            .try_get::<_, Option<i16>>(i)
            .map_err(get_error)?
            .map(i64::from)
            .into(),
        Type::TEXT | Type::VARCHAR | Type::NAME | Type::BPCHAR => {
            row.try_get::<_, Option<String>>(i).map_err(get_error)?.into()
        }
        ref other => return Err(sql_message(sql, format!("columns of type {other} are not supported"))),
    })
}
