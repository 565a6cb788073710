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

fn open(args: &DbArgs) -> Result<Database, CliError> {
    let location = location(args);
    let db = Database::open(&location).map_err(|e| CliError::Input(e.to_string()))?;
    if !db.upgraded.is_empty() {
        eprintln!(
            "{}: schema upgraded to version {} ({} database)",
            shown(&location),
            tripoint_db::schema_version(),
            db.engine()
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
