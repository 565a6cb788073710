//! `tripoint db`: the emergency monitoring database (docs/database.md). The database is
//! `--db LOCATION`, else `$TRIPOINT_DB`, else `tripoint-data/tripoint.sqlite` under the
//! current folder (created on first use); a PostgreSQL connection string selects the
//! shared server.

use crate::input::{CliError, CliResult};
use std::path::{Path, PathBuf};
use tripoint_db::register::{self, Vocabulary};
use tripoint_db::{Database, shown};
use tripoint_sim::scenario::{Location, RiskSourceKind, Scenario};

/// Where the database is when neither `--db` nor `TRIPOINT_DB` says.
pub const DEFAULT_DB: &str = "tripoint-data/tripoint.sqlite";

#[derive(clap::Args, Debug)]
pub struct DbArgs {
    /// The database: a SQLite file (created on first use), or a PostgreSQL connection
    /// string (`postgresql://user@host/db`). Default: $TRIPOINT_DB, else
    /// tripoint-data/tripoint.sqlite.
    #[arg(long, global = true)]
    pub db: Option<String>,
    #[command(subcommand)]
    pub command: DbCommand,
}

#[derive(clap::Subcommand, Debug)]
pub enum DbCommand {
    /// Create or upgrade the database and say what it holds.
    Status,
    /// Import the risk-source register from CSV (all rows or none).
    ImportSources(ImportSourcesArgs),
    /// Write the scenario's risk-source inventory into the register.
    ImportScenario(ImportScenarioArgs),
    /// Export the risk-source register as CSV (two files) or GeoJSON.
    ExportSources(ExportSourcesArgs),
    /// Write the scenario's risk-source inventory (`[[risk_sources]]` TOML) from the register.
    ExportInventory(ExportInventoryArgs),
    /// Import monitoring methods (standard operating procedures) from CSV, or the
    /// built-in equipment catalogue's when no file is given.
    ImportMethods(ImportMethodsArgs),
    /// Import the expert roster from CSV (all rows or none).
    ImportExperts(ImportExpertsArgs),
    /// Import a laboratory's results file (CSV): every bad row named, nothing written on error.
    ImportResults(ImportResultsArgs),
    /// Import automatic stations' readings (CSV): every bad row named, nothing written on error.
    ImportReadings(ImportReadingsArgs),
    /// Export any table as CSV, or as GeoJSON where its rows have coordinates.
    Export(ExportArgs),
    /// Ask one of the named questions (docs/database.md).
    Query(QueryArgs),
    /// List the runs and drills recorded; a session still writing its run (a served
    /// exercise, a live console) is marked in progress, with its last write.
    Runs,
    /// Back the database up: SQLite with its online backup API, PostgreSQL as a dump.
    Backup(BackupArgs),
    /// Restore a backup or a dump into an empty database (either engine).
    Restore(RestoreArgs),
}

#[derive(clap::Args, Debug)]
pub struct ImportMethodsArgs {
    /// Methods file: id, pollutant, standard, setting, instrument, detection_limit_mg_l,
    /// holding_time_h, container, preservation, qa_qc, note. Without it: the built-in
    /// equipment catalogue's instruments, one method per instrument and pollutant.
    pub file: Option<PathBuf>,
    /// The scenario whose pollutants the rows must name (default: the built-in zone).
    #[arg(long)]
    pub scenario: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct ImportExpertsArgs {
    /// Roster file: id, name, name_zh, expertise, jurisdiction, organisation, contact,
    /// availability, pollutants (separated by `;`), note.
    pub file: PathBuf,
    /// The scenario whose jurisdictions and pollutants the rows must name (default: the
    /// built-in zone).
    #[arg(long)]
    pub scenario: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct ImportResultsArgs {
    /// Results file: sample_id, pollutant, value, unit, method, detection_limit,
    /// analysed_at, lab, qa_flag.
    pub file: PathBuf,
    /// The scenario whose pollutants the rows must name (default: the built-in zone).
    #[arg(long)]
    pub scenario: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct ImportReadingsArgs {
    /// Readings file: station_id, pollutant, value, unit, measured_at, qa_flag.
    pub file: PathBuf,
    /// The scenario whose stations (and what each measures) the rows must name (default:
    /// the built-in zone).
    #[arg(long)]
    pub scenario: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// The table (`tripoint db export --list` names them).
    #[arg(required_unless_present = "list")]
    pub table: Option<String>,
    /// GeoJSON points of the rows with coordinates, instead of CSV.
    #[arg(long)]
    pub geojson: bool,
    /// Write to this file (default: standard output).
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// List the tables and which have coordinates.
    #[arg(long)]
    pub list: bool,
}

#[derive(clap::Args, Debug)]
pub struct QueryArgs {
    #[command(subcommand)]
    pub query: Query,
    /// One JSON document instead of a table.
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(clap::Subcommand, Debug)]
pub enum Query {
    /// Results at a point for a pollutant over time.
    PointSeries {
        /// Point id (a named point or a plan's point, as the results record it).
        point: String,
        /// Pollutant id.
        pollutant: String,
        /// Only this run.
        #[arg(long)]
        run: Option<i64>,
    },
    /// A station's readings of a pollutant over time: every run's, then its imported ones.
    StationReadings {
        /// Station id.
        station: String,
        /// Pollutant id.
        pollutant: String,
        /// Only this run (imported readings left out).
        #[arg(long)]
        run: Option<i64>,
    },
    /// Incidents that touched an intake: threatened it, or were sampled there.
    IncidentsAtIntake {
        /// Intake id.
        intake: String,
    },
    /// Risk sources of the register upstream of an intake on the scenario's river
    /// network, with their chemicals.
    UpstreamSources {
        /// Intake id.
        intake: String,
        /// Scenario whose river network is used (default: the built-in zone).
        #[arg(long)]
        scenario: Option<PathBuf>,
    },
    /// Experts who know a pollutant.
    Experts {
        /// Pollutant id.
        pollutant: String,
    },
    /// What each team did in an incident of a run.
    TeamActions {
        /// Run number (`tripoint db runs` lists them).
        run: i64,
        /// Incident id.
        incident: String,
    },
}

#[derive(clap::Args, Debug)]
pub struct BackupArgs {
    /// The backup file to write (must not exist).
    pub file: PathBuf,
}

#[derive(clap::Args, Debug)]
pub struct RestoreArgs {
    /// A SQLite backup or a dump written by `tripoint db backup`.
    pub file: PathBuf,
}

#[derive(clap::Args, Debug)]
pub struct ImportSourcesArgs {
    /// The register: one row per site (columns in docs/database.md).
    pub sources: PathBuf,
    /// The chemicals each site holds: source_id, pollutant, max_on_site_kg, max_release_kg.
    #[arg(long)]
    pub chemicals: Option<PathBuf>,
    /// The scenario whose jurisdictions, reaches, road nodes, kinds and pollutants the
    /// rows must name (default: the built-in zone).
    #[arg(long)]
    pub scenario: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct ExportInventoryArgs {
    /// Only the sources of this jurisdiction (repeat for several).
    #[arg(long, value_name = "ID")]
    pub jurisdiction: Vec<String>,
    /// Write to this file (default: standard output).
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct ImportScenarioArgs {
    /// Scenario file (default: the built-in zone).
    pub scenario: Option<PathBuf>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// `risk_sources.csv` and `risk_source_chemicals.csv`, as `import-sources` reads them.
    Csv,
    /// `risk_sources.geojson`: the sources with coordinates, as WGS84 points.
    Geojson,
}

#[derive(clap::Args, Debug)]
pub struct ExportSourcesArgs {
    /// Folder to write into (created if missing).
    #[arg(long)]
    pub out: PathBuf,
    /// Format of the files written.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: ExportFormat,
}

/// Largest CSV file read [bytes].
const CSV_FILE_BYTES_MAX: u64 = register::CSV_BYTES_MAX as u64;

fn location(args: &DbArgs) -> String {
    args.db
        .clone()
        .or_else(|| std::env::var("TRIPOINT_DB").ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| DEFAULT_DB.to_string())
}

/// The database `run` and `drill` record into: `--db`, else `$TRIPOINT_DB`; none when
/// neither is given (a run writes no database unless asked to).
pub fn recording_location(flag: Option<&str>) -> Option<String> {
    flag.map(str::to_string)
        .or_else(|| std::env::var("TRIPOINT_DB").ok().filter(|s| !s.is_empty()))
}

/// The database a server or a live session writes into: `--db`, else `$TRIPOINT_DB`,
/// else the default file (on unless `--no-db`).
pub fn serving_location(flag: Option<&str>) -> String {
    recording_location(flag).unwrap_or_else(|| DEFAULT_DB.to_string())
}

fn open(args: &DbArgs) -> Result<Database, CliError> {
    open_location(&location(args))
}

/// Opens (creating or upgrading) the database at `location`, saying so when upgraded.
pub fn open_location(location: &str) -> Result<Database, CliError> {
    let location = location.to_string();
    let db = Database::open(&location).map_err(|e| CliError::Input(e.to_string()))?;
    if !db.upgraded.is_empty() {
        eprintln!(
            "{}",
            crate::i18n::said_here(
                "db-upgraded",
                &[
                    ("db", &shown(&location)),
                    ("version", &tripoint_db::schema_version()),
                    ("engine", &db.engine()),
                ]
            )
        );
    }
    Ok(db)
}

fn db_error(e: tripoint_db::DbError) -> CliError {
    CliError::Input(e.to_string())
}

pub fn run(args: &DbArgs) -> CliResult {
    match &args.command {
        DbCommand::Status => status(args),
        DbCommand::ImportSources(a) => import_sources(args, a),
        DbCommand::ImportScenario(a) => import_scenario(args, a),
        DbCommand::ExportSources(a) => export_sources(args, a),
        DbCommand::ExportInventory(a) => export_inventory(args, a),
        DbCommand::ImportMethods(a) => import_methods(args, a),
        DbCommand::ImportExperts(a) => import_experts(args, a),
        DbCommand::ImportResults(a) => import_results(args, a),
        DbCommand::ImportReadings(a) => import_readings(args, a),
        DbCommand::Export(a) => export(args, a),
        DbCommand::Query(a) => query(args, a),
        DbCommand::Runs => runs(args),
        DbCommand::Backup(a) => backup(args, a),
        DbCommand::Restore(a) => restore(args, a),
    }
}

fn status(args: &DbArgs) -> CliResult {
    let mut db = open(args)?;
    let version = db.version().map_err(db_error)?;
    let count = |db: &mut Database, table: &str| -> Result<i64, CliError> {
        let rows = db
            .query(&format!("SELECT COUNT(*) FROM {table}"), &[])
            .map_err(db_error)?;
        Ok(rows.first().and_then(|r| r[0].int()).unwrap_or(0))
    };
    println!(
        "{} ({} database), schema version {version}",
        shown(db.location()),
        db.engine()
    );
    println!("  risk sources          {}", count(&mut db, "risk_sources")?);
    println!("  chemicals held        {}", count(&mut db, "risk_source_chemicals")?);
    for (label, table) in [
        ("methods", "methods"),
        ("experts", "experts"),
        ("stations", "stations"),
        ("runs and drills", "runs"),
        ("incidents", "incidents"),
        ("plan revisions", "plan_revisions"),
        ("tasks", "tasks"),
        ("samples", "samples"),
        ("custody events", "custody_events"),
        ("results", "results"),
        ("readings", "readings"),
        ("imported readings", "station_readings"),
        ("warnings", "warnings"),
        ("drills", "drills"),
    ] {
        println!("  {label:<22}{}", count(&mut db, table)?);
    }
    Ok(())
}

/// The ids a register row may name: the scenario's.
pub fn vocabulary(scenario: &Scenario) -> Vocabulary {
    Vocabulary {
        jurisdictions: scenario.jurisdictions.iter().map(|j| j.id.clone()).collect(),
        reaches: scenario.reaches.iter().map(|r| r.id.clone()).collect(),
        nodes: scenario.nodes.iter().map(|n| n.id.clone()).collect(),
        road_nodes: scenario.road_nodes.iter().map(|n| n.id.clone()).collect(),
        kinds: RiskSourceKind::ALL.iter().map(|k| k.name()).collect(),
        pollutants: scenario.pollutants.iter().map(|p| p.id.clone()).collect(),
    }
}

fn read_csv(path: &Path) -> Result<(String, String), CliError> {
    let text = crate::input::read_text_file(path, CSV_FILE_BYTES_MAX, "a CSV file")?;
    Ok((path.display().to_string(), text))
}

fn import_sources(args: &DbArgs, a: &ImportSourcesArgs) -> CliResult {
    let scenario = crate::input::load_scenario(a.scenario.as_deref())?;
    let sources = read_csv(&a.sources)?;
    let chemicals = a.chemicals.as_deref().map(read_csv).transpose()?;
    let mut db = open(args)?;
    let written = register::import(
        &mut db,
        (&sources.0, &sources.1),
        chemicals.as_ref().map(|(n, t)| (n.as_str(), t.as_str())),
        &vocabulary(&scenario),
    )
    .map_err(|e| CliError::Input(e.to_string()))?;
    println!(
        "{}: {} risk sources and {} chemicals written",
        shown(db.location()),
        written.0,
        written.1
    );
    Ok(())
}

/// The scenario's inventory as register rows. Coordinates are left empty: the scenario
/// places a source on its reach, not on the map.
pub fn from_scenario(scenario: &Scenario) -> (Vec<register::RiskSource>, Vec<register::Chemical>) {
    let mut sources = Vec::new();
    let mut chemicals = Vec::new();
    for s in &scenario.risk_sources {
        let (reach, chainage_m, node, note) = match s.location {
            Location::Reach { reach, chainage_m } => (
                Some(scenario.reaches[reach].id.clone()),
                Some(chainage_m),
                None,
                s.note.clone(),
            ),
            Location::Node(node) => (None, None, Some(scenario.nodes[node].id.clone()), s.note.clone()),
            Location::LakeCell { node, cell } => (
                None,
                None,
                Some(scenario.nodes[node].id.clone()),
                format!("{} (the scenario places it in cell {} of the lake)", s.note, cell + 1)
                    .trim()
                    .to_string(),
            ),
        };
        sources.push(register::RiskSource {
            id: s.id.clone(),
            name: s.name.clone(),
            name_zh: s.name_zh.clone(),
            kind: s.kind.name(),
            sector: s.sector.clone(),
            jurisdiction: scenario.jurisdictions[s.jurisdiction].id.clone(),
            lon: None,
            lat: None,
            risk_grade: None,
            reach,
            chainage_m,
            node,
            road_node: scenario.road_nodes[s.road_node].id.clone(),
            outfall: String::new(),
            receiving_water: String::new(),
            contact: String::new(),
            last_inspection: None,
            annual_probability: s.annual_probability,
            note,
        });
        for c in &s.chemicals {
            chemicals.push(register::Chemical {
                source_id: s.id.clone(),
                pollutant: scenario.pollutants[c.pollutant].id.clone(),
                max_on_site_kg: None,
                max_release_kg: c.max_release_kg,
            });
        }
    }
    (sources, chemicals)
}

fn export_inventory(args: &DbArgs, a: &ExportInventoryArgs) -> CliResult {
    if let Some(path) = &a.out {
        crate::input::check_output_file(path, "--out")?;
    }
    let mut db = open(args)?;
    let (mut sources, chemicals) = register::load(&mut db).map_err(db_error)?;
    if !a.jurisdiction.is_empty() {
        let known: std::collections::BTreeSet<&str> = sources.iter().map(|s| s.jurisdiction.as_str()).collect();
        if let Some(unknown) = a.jurisdiction.iter().find(|j| !known.contains(j.as_str())) {
            return Err(CliError::Input(format!(
                "--jurisdiction {unknown:?}: no source of the register is in it; the register's: {}",
                known.into_iter().collect::<Vec<_>>().join(", ")
            )));
        }
        sources.retain(|s| a.jurisdiction.contains(&s.jurisdiction));
    }
    let text = crate::commands::db_inventory::inventory_toml(&sources, &chemicals).map_err(|problems| {
        CliError::Input(format!(
            "{}: the register cannot be written as a scenario's inventory: {} problem(s)\n  {}",
            shown(db.location()),
            problems.len(),
            problems.join("\n  ")
        ))
    })?;
    match &a.out {
        Some(path) => {
            crate::journal::write_atomically(path, text.as_bytes())
                .map_err(|e| CliError::Internal(anyhow::anyhow!("writing {}: {e}", path.display())))?;
            let said = crate::i18n::said_here(
                "out-db-risk-sources",
                &[("n", &sources.len()), ("file", &path.display())],
            );
            eprintln!("{said}");
        }
        None => print!("{text}"),
    }
    Ok(())
}

fn import_scenario(args: &DbArgs, a: &ImportScenarioArgs) -> CliResult {
    let scenario = crate::input::load_scenario(a.scenario.as_deref())?;
    let (sources, chemicals) = from_scenario(&scenario);
    let mut db = open(args)?;
    let written = register::store(&mut db, &sources, &chemicals).map_err(db_error)?;
    println!(
        "{}: {} risk sources and {} chemicals of {:?} written",
        shown(db.location()),
        written.0,
        written.1,
        scenario.name
    );
    Ok(())
}

fn export_sources(args: &DbArgs, a: &ExportSourcesArgs) -> CliResult {
    crate::input::check_output_dir(&a.out, "--out")?;
    let mut db = open(args)?;
    let (sources, chemicals) = register::load(&mut db).map_err(db_error)?;
    let write = |name: &str, text: &str| -> CliResult {
        let path = a.out.join(name);
        crate::journal::write_atomically(&path, text.as_bytes())
            .map_err(|e| CliError::Internal(anyhow::anyhow!("writing {}: {e}", path.display())))?;
        println!("{}", path.display());
        Ok(())
    };
    match a.format {
        ExportFormat::Csv => {
            let (sources_csv, chemicals_csv) = register::to_csv(&sources, &chemicals);
            write("risk_sources.csv", &sources_csv)?;
            write("risk_source_chemicals.csv", &chemicals_csv)?;
        }
        ExportFormat::Geojson => {
            let geojson = register::to_geojson(&sources, &chemicals);
            let without = sources.iter().filter(|s| s.lon.is_none()).count();
            if without > 0 {
                eprintln!(
                    "{without} of {} sources have no coordinates and are not in the GeoJSON",
                    sources.len()
                );
            }
            write("risk_sources.geojson", &(geojson.to_string() + "\n"))?;
        }
    }
    Ok(())
}

/// Pollutant ids a row may name: the scenario's.
fn pollutant_ids(scenario: &Scenario) -> std::collections::BTreeSet<String> {
    scenario.pollutants.iter().map(|p| p.id.clone()).collect()
}

/// The built-in equipment catalogue's instruments as methods: one per instrument and
/// scenario pollutant it measures, with the catalogue's standard, detection limit and
/// notes (which say where a limit is from memory, not checked). Holding times,
/// containers and preservation are not in the catalogue: left empty.
pub fn catalogue_methods(scenario: &Scenario) -> Vec<tripoint_db::reference::Method> {
    use tripoint_sim::equipment::{Catalogue, Method};
    let mut out = Vec::new();
    for instrument in Catalogue::builtin().instruments() {
        for pollutant in &scenario.pollutants {
            if !instrument.measures(&pollutant.standard_item) {
                continue;
            }
            out.push(tripoint_db::reference::Method {
                id: instrument.id.clone(),
                pollutant: pollutant.id.clone(),
                standard: instrument.standard.clone(),
                setting: match instrument.method {
                    Method::Field => "field",
                    Method::Laboratory => "laboratory",
                }
                .to_string(),
                instrument: format!("{} ({})", instrument.name, instrument.name_zh),
                detection_limit_mg_l: Some(instrument.detection_limit_mg_l),
                holding_time_h: None,
                container: String::new(),
                preservation: String::new(),
                qa_qc: String::new(),
                note: instrument.note.clone(),
            });
        }
    }
    out
}

fn import_methods(args: &DbArgs, a: &ImportMethodsArgs) -> CliResult {
    let scenario = crate::input::load_scenario(a.scenario.as_deref())?;
    let mut db;
    let written = match &a.file {
        Some(path) => {
            let (name, text) = read_csv(path)?;
            db = open(args)?;
            tripoint_db::reference::import_methods(&mut db, &name, &text, &pollutant_ids(&scenario))
                .map_err(|e| CliError::Input(e.to_string()))?
        }
        None => {
            db = open(args)?;
            tripoint_db::reference::store_methods(&mut db, &catalogue_methods(&scenario)).map_err(db_error)?
        }
    };
    println!("{}: {written} methods written", shown(db.location()));
    Ok(())
}

fn import_experts(args: &DbArgs, a: &ImportExpertsArgs) -> CliResult {
    let scenario = crate::input::load_scenario(a.scenario.as_deref())?;
    let (name, text) = read_csv(&a.file)?;
    let jurisdictions = scenario.jurisdictions.iter().map(|j| j.id.clone()).collect();
    let mut db = open(args)?;
    let written =
        tripoint_db::reference::import_experts(&mut db, &name, &text, &jurisdictions, &pollutant_ids(&scenario))
            .map_err(|e| CliError::Input(e.to_string()))?;
    println!("{}: {written} experts written", shown(db.location()));
    Ok(())
}

fn import_results(args: &DbArgs, a: &ImportResultsArgs) -> CliResult {
    let scenario = crate::input::load_scenario(a.scenario.as_deref())?;
    let bytes = crate::input::read_bytes_bounded(
        &a.file,
        tripoint_db::results::RESULTS_BYTES_MAX as u64,
        "a results file",
    )?;
    let mut db = open(args)?;
    let name = a.file.display().to_string();
    let written = tripoint_db::results::import(&mut db, &name, &bytes, &pollutant_ids(&scenario))
        .map_err(|e| CliError::Input(e.to_string()))?;
    println!("{}: {written} results written", shown(db.location()));
    Ok(())
}

fn import_readings(args: &DbArgs, a: &ImportReadingsArgs) -> CliResult {
    let scenario = crate::input::load_scenario(a.scenario.as_deref())?;
    let bytes = crate::input::read_bytes_bounded(
        &a.file,
        tripoint_db::readings::READINGS_BYTES_MAX as u64,
        "a readings file",
    )?;
    let mut db = open(args)?;
    let name = a.file.display().to_string();
    let stations = super::db_record::stations(&scenario);
    let written =
        tripoint_db::readings::import(&mut db, &name, &bytes, &stations).map_err(|e| CliError::Input(e.to_string()))?;
    println!("{}: {written} readings written", shown(db.location()));
    Ok(())
}

fn export(args: &DbArgs, a: &ExportArgs) -> CliResult {
    use tripoint_db::export::{self as ex, TABLES};
    if a.list {
        for t in TABLES {
            println!("{}{}", t.name, if t.placed() { " (GeoJSON)" } else { "" });
        }
        return Ok(());
    }
    let name = a.table.as_deref().unwrap_or_default();
    let table = ex::table(name).ok_or_else(|| {
        let names: Vec<&str> = TABLES.iter().map(|t| t.name).collect();
        CliError::Input(format!("unknown table {name:?}; the tables are {}", names.join(", ")))
    })?;
    if a.geojson && !table.placed() {
        let placed: Vec<&str> = TABLES.iter().filter(|t| t.placed()).map(|t| t.name).collect();
        return Err(CliError::Input(format!(
            "--geojson: {name} has no coordinates; the tables with them are {}",
            placed.join(", ")
        )));
    }
    if let Some(path) = &a.out {
        crate::input::check_output_file(path, "--out")?;
    }
    let mut db = open(args)?;
    let text = if a.geojson {
        let (geojson, without) = ex::to_geojson(&mut db, table).map_err(db_error)?;
        if without > 0 {
            eprintln!("{without} row(s) of {name} have no coordinates and are not in the GeoJSON");
        }
        geojson.to_string() + "\n"
    } else {
        ex::to_csv(&mut db, table).map_err(db_error)?
    };
    match &a.out {
        Some(path) => crate::journal::write_atomically(path, text.as_bytes())
            .map_err(|e| CliError::Internal(anyhow::anyhow!("writing {}: {e}", path.display())))?,
        None => print!("{text}"),
    }
    Ok(())
}

fn runs(args: &DbArgs) -> CliResult {
    let mut db = open(args)?;
    let rows = db
        .query(
            "SELECT r.id, r.kind, r.name, r.policy, r.seed, r.program, \
             (SELECT COUNT(*) FROM incidents i WHERE i.run_id = r.id), \
             (SELECT COUNT(*) FROM samples s WHERE s.run_id = r.id), \
             CASE WHEN r.in_progress = 1 THEN 'in progress' ELSE 'ended' END, r.updated_utc \
             FROM runs r ORDER BY r.id",
            &[],
        )
        .map_err(db_error)?;
    let answer = tripoint_db::queries::Answer {
        columns: vec![
            "run",
            "kind",
            "name",
            "policy",
            "seed",
            "program",
            "incidents",
            "samples",
            "state",
            "last written (UTC)",
        ],
        rows,
    };
    print!("{}", text_table(&answer));
    Ok(())
}

/// An answer as an aligned text table.
pub fn text_table(answer: &tripoint_db::queries::Answer) -> String {
    use std::fmt::Write as _;
    let cells: Vec<Vec<String>> = answer
        .rows
        .iter()
        .map(|r| r.iter().map(tripoint_db::export::cell).collect())
        .collect();
    let widths: Vec<usize> = answer
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            cells
                .iter()
                .map(|r| r[i].chars().count())
                .max()
                .unwrap_or(0)
                .max(c.len())
        })
        .collect();
    let mut out = String::new();
    let line = |out: &mut String, row: &[String]| {
        let text: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c}{}", " ".repeat(w - c.chars().count())))
            .collect();
        let _ = writeln!(out, "{}", text.join("  ").trim_end());
    };
    let header: Vec<String> = answer.columns.iter().map(|c| c.to_string()).collect();
    line(&mut out, &header);
    for row in &cells {
        line(&mut out, row);
    }
    let _ = writeln!(out, "({} row{})", cells.len(), if cells.len() == 1 { "" } else { "s" });
    out
}

/// An answer as JSON: an array of objects keyed by column.
pub fn json_answer(answer: &tripoint_db::queries::Answer) -> serde_json::Value {
    let rows: Vec<serde_json::Value> = answer
        .rows
        .iter()
        .map(|r| {
            let object: serde_json::Map<String, serde_json::Value> = answer
                .columns
                .iter()
                .zip(r)
                .map(|(c, v)| {
                    let value = match v {
                        tripoint_db::Value::Null => serde_json::Value::Null,
                        tripoint_db::Value::Int(i) => (*i).into(),
                        tripoint_db::Value::Real(x) => {
                            serde_json::Number::from_f64(*x).map_or(serde_json::Value::Null, Into::into)
                        }
                        tripoint_db::Value::Text(s) => s.clone().into(),
                    };
                    (c.to_string(), value)
                })
                .collect();
            serde_json::Value::Object(object)
        })
        .collect();
    serde_json::Value::Array(rows)
}

fn query(args: &DbArgs, a: &QueryArgs) -> CliResult {
    use tripoint_db::queries;
    let answer = match &a.query {
        Query::UpstreamSources { intake, scenario } => {
            let scenario = crate::input::load_scenario(scenario.as_deref())?;
            let mut db = open(args)?;
            upstream_sources(&mut db, &scenario, intake)?
        }
        other => {
            let mut db = open(args)?;
            match other {
                Query::PointSeries { point, pollutant, run } => queries::point_series(&mut db, point, pollutant, *run),
                Query::StationReadings {
                    station,
                    pollutant,
                    run,
                } => queries::station_readings(&mut db, station, pollutant, *run),
                Query::IncidentsAtIntake { intake } => queries::incidents_at_intake(&mut db, intake),
                Query::Experts { pollutant } => queries::experts_for(&mut db, pollutant),
                Query::TeamActions { run, incident } => queries::team_actions(&mut db, *run, incident),
                Query::UpstreamSources { .. } => unreachable!("answered above"),
            }
            .map_err(db_error)?
        }
    };
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json_answer(&answer)).map_err(anyhow::Error::from)?
        );
    } else {
        print!("{}", text_table(&answer));
    }
    Ok(())
}

/// The register's sources whose discharge reaches the intake along the scenario's river
/// network (the reaches downstream of where each discharges, as the forecast follows
/// them), with their chemicals.
pub fn upstream_sources(
    db: &mut Database,
    scenario: &Scenario,
    intake: &str,
) -> Result<tripoint_db::queries::Answer, CliError> {
    use tripoint_sim::scenario::{PointKind, Release};
    use tripoint_sim::time::{SimDuration, SimTime};
    let point = scenario.point_idx(intake).ok_or_else(|| {
        let intakes: Vec<&str> = scenario
            .points
            .iter()
            .filter(|p| p.kind == PointKind::Intake)
            .map(|p| p.id.as_str())
            .collect();
        CliError::Input(format!(
            "unknown point {intake:?} in {}; its intakes: {}",
            scenario.name,
            intakes.join(", ")
        ))
    })?;
    let (sources, chemicals) = register::load(db).map_err(db_error)?;
    let mut rows = Vec::new();
    let mut elsewhere = 0;
    for s in &sources {
        let location = match (&s.reach, s.chainage_m, &s.node) {
            (Some(reach), Some(chainage_m), _) => scenario
                .reach_idx(reach)
                .map(|reach| Location::Reach { reach, chainage_m }),
            (_, _, Some(node)) => scenario.nodes.iter().position(|n| &n.id == node).map(Location::Node),
            _ => None,
        };
        let Some(location) = location else {
            elsewhere += 1;
            continue;
        };
        let release = Release {
            pollutant: 0,
            mass_kg: 1.0,
            location,
            start: SimTime::ZERO,
            duration: SimDuration(0),
            note: String::new(),
        };
        if !tripoint_sim::forecast::downstream_points(scenario, &[release]).contains(&point) {
            continue;
        }
        let held: Vec<String> = chemicals
            .iter()
            .filter(|c| c.source_id == s.id)
            .map(|c| format!("{} ({} kg)", c.pollutant, c.max_release_kg))
            .collect();
        rows.push(vec![
            s.id.clone().into(),
            s.name.clone().into(),
            s.jurisdiction.clone().into(),
            s.reach.clone().or(s.node.clone()).into(),
            s.chainage_m.into(),
            s.risk_grade.clone().into(),
            held.join("; ").into(),
        ]);
    }
    if elsewhere > 0 {
        eprintln!(
            "{elsewhere} source(s) of the register discharge on no reach or node of {}: not considered",
            scenario.name
        );
    }
    Ok(tripoint_db::queries::Answer {
        columns: vec![
            "id",
            "name",
            "jurisdiction",
            "reach_or_node",
            "chainage_m",
            "risk_grade",
            "chemicals",
        ],
        rows,
    })
}

fn backup(args: &DbArgs, a: &BackupArgs) -> CliResult {
    if a.file.exists() {
        return Err(CliError::Input(format!(
            "{}: exists; a backup is written to a new file",
            a.file.display()
        )));
    }
    crate::input::check_output_file(&a.file, "backup FILE")?;
    let mut db = open(args)?;
    if let Some(done) = db.backup_sqlite(&a.file) {
        done.map_err(db_error)?;
        println!("{}: SQLite backup of {}", a.file.display(), shown(db.location()));
        return Ok(());
    }
    // PostgreSQL: a dump, written to a temporary file and renamed when whole.
    let partial = a.file.with_extension("partial");
    let file = std::fs::File::create(&partial).map_err(|e| CliError::Input(format!("{}: {e}", partial.display())))?;
    let mut out = std::io::BufWriter::new(file);
    let written = tripoint_db::export::dump(&mut db, |line| {
        use std::io::Write as _;
        out.write_all(line.as_bytes())?;
        out.write_all(b"\n")
    });
    let finished = written.map_err(|e| CliError::Input(e.to_string())).and_then(|()| {
        use std::io::Write as _;
        out.flush()
            .and_then(|()| out.get_ref().sync_all())
            .and_then(|()| std::fs::rename(&partial, &a.file))
            .map_err(|e| CliError::Input(format!("{}: {e}", a.file.display())))
    });
    if finished.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    finished?;
    println!("{}: dump of {}", a.file.display(), shown(db.location()));
    Ok(())
}

/// Whether a file starts as a SQLite database does.
fn is_sqlite_file(path: &Path) -> bool {
    use std::io::Read as _;
    let mut magic = [0u8; 16];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok_and(|()| &magic == b"SQLite format 3\0")
}

fn restore(args: &DbArgs, a: &RestoreArgs) -> CliResult {
    let shown_file = a.file.display().to_string();
    if !a.file.is_file() {
        return Err(CliError::Input(format!("{shown_file}: no such file")));
    }
    let mut target = open(args)?;
    tripoint_db::export::check_empty(&mut target).map_err(|e| CliError::Input(e.to_string()))?;
    // A SQLite backup is read through a copy (opening a database may upgrade it) and
    // dumped; the dump is what is restored, into either engine.
    let text = if is_sqlite_file(&a.file) {
        let copy = std::env::temp_dir().join(format!("tripoint-restore-{}.sqlite", std::process::id()));
        std::fs::copy(&a.file, &copy).map_err(|e| CliError::Input(format!("{shown_file}: {e}")))?;
        let dumped = (|| {
            let mut source = Database::open(&copy.display().to_string()).map_err(db_error)?;
            let mut text = String::new();
            tripoint_db::export::dump(&mut source, |line| {
                text.push_str(&line);
                text.push('\n');
                Ok(())
            })
            .map_err(|e| CliError::Input(format!("{shown_file}: {e}")))?;
            Ok::<String, CliError>(text)
        })();
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", copy.display()));
        }
        dumped?
    } else {
        crate::input::read_text_file(&a.file, 4 * 1024 * 1024 * 1024, "a dump")?
    };
    let rows = tripoint_db::export::restore(&mut target, text.lines())
        .map_err(|e| CliError::Input(format!("{shown_file}: {e}")))?;
    println!("{}: {rows} rows restored from {shown_file}", shown(target.location()));
    Ok(())
}
