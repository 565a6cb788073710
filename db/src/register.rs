//! The risk-source register: enterprises and other sites that could release a pollutant,
//! graded as HJ 941-2018 grades them, with the chemicals each holds. Imported from the
//! spreadsheets the agencies keep (CSV, every bad row named with its line), exported to
//! CSV and GeoJSON, and written from and back to a scenario's inventory.

use crate::csv_rows::{Layout, all_or_problems, read_rows};
use crate::{Database, DbError, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// One site of the register.
#[derive(Clone, Debug, PartialEq)]
pub struct RiskSource {
    pub id: String,
    pub name: String,
    pub name_zh: String,
    /// What kind of site: the scenario's kinds (`enterprise`, `wastewater_plant`, …).
    pub kind: String,
    pub sector: String,
    pub jurisdiction: String,
    /// WGS84 longitude and latitude, when surveyed.
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    /// HJ 941-2018: `general` (一般), `larger` (较大), `major` (重大); unknown when not graded.
    pub risk_grade: Option<String>,
    /// Where it discharges: a reach of the river network and the metres along it, or a
    /// node (a junction, a lake).
    pub reach: Option<String>,
    pub chainage_m: Option<f64>,
    pub node: Option<String>,
    /// The road node its site is reached from.
    pub road_node: String,
    pub outfall: String,
    pub receiving_water: String,
    pub contact: String,
    /// Date of the last inspection, `YYYY-MM-DD`.
    pub last_inspection: Option<String>,
    /// Probability of a credible release in a year.
    pub annual_probability: f64,
    pub note: String,
}

/// A chemical a site holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Chemical {
    pub source_id: String,
    pub pollutant: String,
    /// The most held on site [kg], when declared.
    pub max_on_site_kg: Option<f64>,
    /// The largest credible release [kg].
    pub max_release_kg: f64,
}

/// The ids an import is checked against (the scenario's): a register row must name a
/// jurisdiction, reach, road node, kind and pollutant the model knows.
#[derive(Clone, Debug, Default)]
pub struct Vocabulary {
    pub jurisdictions: BTreeSet<String>,
    pub reaches: BTreeSet<String>,
    pub nodes: BTreeSet<String>,
    pub road_nodes: BTreeSet<String>,
    pub kinds: BTreeSet<String>,
    pub pollutants: BTreeSet<String>,
}

/// The columns of a register file, in order; the header must name them (any order,
/// unknown columns refused).
pub const SOURCE_COLUMNS: [&str; 19] = [
    "id",
    "name",
    "name_zh",
    "kind",
    "sector",
    "jurisdiction",
    "lon",
    "lat",
    "risk_grade",
    "reach",
    "chainage_m",
    "node",
    "road_node",
    "outfall",
    "receiving_water",
    "contact",
    "last_inspection",
    "annual_probability",
    "note",
];

pub const CHEMICAL_COLUMNS: [&str; 4] = ["source_id", "pollutant", "max_on_site_kg", "max_release_kg"];

/// The columns of the chemicals table: a chemicals file's, and `seq`, the chemical's
/// place among its source's (the order of the file's rows or the scenario's list).
pub const CHEMICAL_TABLE_COLUMNS: [&str; 5] = ["source_id", "pollutant", "max_on_site_kg", "max_release_kg", "seq"];

pub const RISK_GRADES: [&str; 3] = ["general", "larger", "major"];

/// Largest register file read [bytes].
pub const CSV_BYTES_MAX: usize = 16 * 1024 * 1024;

/// A bad row or cell of an imported file.
#[derive(Clone, Debug, PartialEq)]
pub struct RowProblem {
    pub file: String,
    pub line: u64,
    /// The column, when one is at fault.
    pub column: Option<String>,
    pub message: String,
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(column) => write!(f, "{}:{}: {column}: {}", self.file, self.line, self.message),
            None => write!(f, "{}:{}: {}", self.file, self.line, self.message),
        }
    }
}

/// Why an import wrote nothing.
#[derive(Debug)]
pub enum ImportError {
    /// Every bad row of the files, in order (at most [`PROBLEMS_SHOWN`] are kept).
    Rows(Vec<RowProblem>),
    Db(DbError),
}

/// Problems kept for the message; the count says how many there were.
pub const PROBLEMS_SHOWN: usize = 50;

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Rows(problems) => {
                writeln!(f, "nothing was imported: {} problem(s)", problems.len())?;
                for p in problems.iter().take(PROBLEMS_SHOWN) {
                    writeln!(f, "  {p}")?;
                }
                if problems.len() > PROBLEMS_SHOWN {
                    writeln!(f, "  … and {} more", problems.len() - PROBLEMS_SHOWN)?;
                }
                Ok(())
            }
            ImportError::Db(e) => write!(f, "nothing was imported: {e}"),
        }
    }
}

impl std::error::Error for ImportError {}

impl From<DbError> for ImportError {
    fn from(e: DbError) -> Self {
        ImportError::Db(e)
    }
}

/// `YYYY-MM-DD` with a real month and day.
pub(crate) fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let [y, m, d] = parts[..] else { return false };
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return false,
    };
    (1900..=2200).contains(&y) && (1..=days).contains(&d)
}

/// Reads and checks a register file and its chemicals file; every bad row is named.
pub fn parse(
    sources_file: (&str, &str),
    chemicals_file: Option<(&str, &str)>,
    vocabulary: &Vocabulary,
) -> Result<(Vec<RiskSource>, Vec<Chemical>), Vec<RowProblem>> {
    let mut problems = Vec::new();
    let (file, text) = sources_file;
    let layout = Layout {
        columns: &SOURCE_COLUMNS,
        required: &["id", "name", "kind", "jurisdiction", "road_node", "annual_probability"],
        bytes_max: CSV_BYTES_MAX,
    };
    let mut ids = BTreeSet::new();
    let sources = read_rows(&layout, file, text, &mut problems, |row| {
        let id = row.required("id");
        if !id.is_empty() && !ids.insert(id.clone()) {
            row.bad("id", format!("{id:?} appears twice in the file"));
        }
        let lon = row.number("lon", -180.0, 180.0, true);
        let lat = row.number("lat", -90.0, 90.0, true);
        if lon.is_some() != lat.is_some() {
            row.bad("lon", "lon and lat go together: give both or neither".to_string());
        }
        let grade = row.cell("risk_grade").to_string();
        if !grade.is_empty() && !RISK_GRADES.contains(&grade.as_str()) {
            row.bad(
                "risk_grade",
                format!("{grade:?}: expected general (一般), larger (较大) or major (重大)"),
            );
        }
        let inspection = row.cell("last_inspection").to_string();
        if !inspection.is_empty() && !is_date(&inspection) {
            row.bad("last_inspection", format!("{inspection:?}: expected YYYY-MM-DD"));
        }
        let reach = row.opt_known("reach", &vocabulary.reaches, "reach");
        let chainage_m = row.number("chainage_m", 0.0, 1e7, true);
        let node = row.opt_known("node", &vocabulary.nodes, "node");
        let on_reach = reach.is_some() || chainage_m.is_some();
        if on_reach && (reach.is_none() || chainage_m.is_none()) {
            row.bad("reach", "reach and chainage_m go together".to_string());
        }
        if on_reach == node.is_some() {
            row.bad(
                "node",
                "where it discharges: a reach with its chainage_m, or a node, one of the two".to_string(),
            );
        }
        RiskSource {
            name: row.required("name"),
            name_zh: row.cell("name_zh").to_string(),
            kind: row.known("kind", &vocabulary.kinds, "kind"),
            sector: row.cell("sector").to_string(),
            jurisdiction: row.known("jurisdiction", &vocabulary.jurisdictions, "jurisdiction"),
            lon,
            lat,
            risk_grade: (!grade.is_empty()).then_some(grade),
            reach,
            chainage_m,
            node,
            road_node: row.known("road_node", &vocabulary.road_nodes, "road node"),
            outfall: row.cell("outfall").to_string(),
            receiving_water: row.cell("receiving_water").to_string(),
            contact: row.cell("contact").to_string(),
            last_inspection: (!inspection.is_empty()).then_some(inspection),
            annual_probability: row.number("annual_probability", 0.0, 1.0, false).unwrap_or(0.0),
            note: row.cell("note").to_string(),
            id,
        }
    });
    let mut chemicals = Vec::new();
    if let Some((file, text)) = chemicals_file {
        let layout = Layout {
            columns: &CHEMICAL_COLUMNS,
            required: &["source_id", "pollutant", "max_release_kg"],
            bytes_max: CSV_BYTES_MAX,
        };
        let mut pairs = BTreeSet::new();
        chemicals = read_rows(&layout, file, text, &mut problems, |row| {
            let source_id = row.required("source_id");
            if !source_id.is_empty() && !ids.contains(&source_id) {
                row.bad(
                    "source_id",
                    format!("{source_id:?} is not a source of the register file"),
                );
            }
            let pollutant = row.known("pollutant", &vocabulary.pollutants, "pollutant");
            if !pairs.insert((source_id.clone(), pollutant.clone())) {
                row.bad("pollutant", format!("{pollutant:?} listed twice for {source_id:?}"));
            }
            let max_on_site_kg = row.number("max_on_site_kg", 1e-3, 1e9, true);
            let max_release_kg = row.number("max_release_kg", 1e-3, 1e9, false).unwrap_or(0.0);
            if let Some(on_site) = max_on_site_kg
                && max_release_kg > on_site
            {
                row.bad(
                    "max_release_kg",
                    format!("{max_release_kg} kg is more than the {on_site} kg held on site"),
                );
            }
            Chemical {
                source_id,
                pollutant,
                max_on_site_kg,
                max_release_kg,
            }
        });
    }
    let sources = all_or_problems(sources, problems)?;
    Ok((sources, chemicals))
}

const UPSERT_SOURCE: &str = "INSERT INTO risk_sources (id, name, name_zh, kind, sector, jurisdiction, lon, lat, \
    risk_grade, reach, chainage_m, node, road_node, outfall, receiving_water, contact, last_inspection, \
    annual_probability, note) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) \
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_zh = excluded.name_zh, kind = excluded.kind, \
    sector = excluded.sector, jurisdiction = excluded.jurisdiction, lon = excluded.lon, lat = excluded.lat, \
    risk_grade = excluded.risk_grade, reach = excluded.reach, chainage_m = excluded.chainage_m, node = excluded.node, \
    road_node = excluded.road_node, outfall = excluded.outfall, receiving_water = excluded.receiving_water, \
    contact = excluded.contact, last_inspection = excluded.last_inspection, \
    annual_probability = excluded.annual_probability, note = excluded.note";

/// Writes sources and chemicals in one transaction: a source already in the register is
/// replaced, with its chemicals. Each source's chemicals keep the order they have in
/// `chemicals` (`seq`), which [`load`] gives back. Returns (sources, chemicals) written.
pub fn store(db: &mut Database, sources: &[RiskSource], chemicals: &[Chemical]) -> Result<(usize, usize), DbError> {
    db.transaction(|db| {
        for s in sources {
            db.execute(
                UPSERT_SOURCE,
                &[
                    s.id.clone().into(),
                    s.name.clone().into(),
                    s.name_zh.clone().into(),
                    s.kind.clone().into(),
                    s.sector.clone().into(),
                    s.jurisdiction.clone().into(),
                    s.lon.into(),
                    s.lat.into(),
                    s.risk_grade.clone().into(),
                    s.reach.clone().into(),
                    s.chainage_m.into(),
                    s.node.clone().into(),
                    s.road_node.clone().into(),
                    s.outfall.clone().into(),
                    s.receiving_water.clone().into(),
                    s.contact.clone().into(),
                    s.last_inspection.clone().into(),
                    s.annual_probability.into(),
                    s.note.clone().into(),
                ],
            )?;
            db.execute(
                "DELETE FROM risk_source_chemicals WHERE source_id = $1",
                &[s.id.clone().into()],
            )?;
        }
        let mut next_seq: BTreeMap<&str, i64> = BTreeMap::new();
        for c in chemicals {
            let seq = next_seq.entry(c.source_id.as_str()).or_insert(0);
            db.execute(
                "INSERT INTO risk_source_chemicals (source_id, pollutant, max_on_site_kg, max_release_kg, seq) \
                 VALUES ($1, $2, $3, $4, $5)",
                &[
                    c.source_id.clone().into(),
                    c.pollutant.clone().into(),
                    c.max_on_site_kg.into(),
                    c.max_release_kg.into(),
                    Value::Int(*seq),
                ],
            )?;
            *seq += 1;
        }
        Ok((sources.len(), chemicals.len()))
    })
}

/// Reads and checks the files, then writes them in one transaction; nothing is written
/// if any row is bad or the database refuses any statement.
pub fn import(
    db: &mut Database,
    sources_file: (&str, &str),
    chemicals_file: Option<(&str, &str)>,
    vocabulary: &Vocabulary,
) -> Result<(usize, usize), ImportError> {
    let (sources, chemicals) = parse(sources_file, chemicals_file, vocabulary).map_err(ImportError::Rows)?;
    Ok(store(db, &sources, &chemicals)?)
}

/// The whole register: sources by id, chemicals by source and, within a source, in the
/// order they were written (chemicals written before schema version 4: by pollutant).
pub fn load(db: &mut Database) -> Result<(Vec<RiskSource>, Vec<Chemical>), DbError> {
    let rows = db.query(
        &format!("SELECT {} FROM risk_sources ORDER BY id", SOURCE_COLUMNS.join(", ")),
        &[],
    )?;
    let text = |v: &Value| v.text().unwrap_or("").to_string();
    let sources = rows
        .iter()
        .map(|r| RiskSource {
            id: text(&r[0]),
            name: text(&r[1]),
            name_zh: text(&r[2]),
            kind: text(&r[3]),
            sector: text(&r[4]),
            jurisdiction: text(&r[5]),
            lon: r[6].real(),
            lat: r[7].real(),
            risk_grade: r[8].text().map(str::to_string),
            reach: r[9].text().map(str::to_string),
            chainage_m: r[10].real(),
            node: r[11].text().map(str::to_string),
            road_node: text(&r[12]),
            outfall: text(&r[13]),
            receiving_water: text(&r[14]),
            contact: text(&r[15]),
            last_inspection: r[16].text().map(str::to_string),
            annual_probability: r[17].real().unwrap_or(0.0),
            note: text(&r[18]),
        })
        .collect();
    let rows = db.query(
        "SELECT source_id, pollutant, max_on_site_kg, max_release_kg FROM risk_source_chemicals \
         ORDER BY source_id, seq, pollutant",
        &[],
    )?;
    let chemicals = rows
        .iter()
        .map(|r| Chemical {
            source_id: text(&r[0]),
            pollutant: text(&r[1]),
            max_on_site_kg: r[2].real(),
            max_release_kg: r[3].real().unwrap_or(0.0),
        })
        .collect();
    Ok((sources, chemicals))
}

pub(crate) fn csv_text(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(header).expect("writing to memory");
    for row in rows {
        writer.write_record(&row).expect("writing to memory");
    }
    String::from_utf8(writer.into_inner().expect("writing to memory")).expect("CSV of UTF-8 strings")
}

pub(crate) fn opt_number(v: Option<f64>) -> String {
    v.map_or(String::new(), |x| x.to_string())
}

/// The register as the two CSV files `import` reads (sources, chemicals).
pub fn to_csv(sources: &[RiskSource], chemicals: &[Chemical]) -> (String, String) {
    let sources_csv = csv_text(
        &SOURCE_COLUMNS,
        sources.iter().map(|s| {
            vec![
                s.id.clone(),
                s.name.clone(),
                s.name_zh.clone(),
                s.kind.clone(),
                s.sector.clone(),
                s.jurisdiction.clone(),
                opt_number(s.lon),
                opt_number(s.lat),
                s.risk_grade.clone().unwrap_or_default(),
                s.reach.clone().unwrap_or_default(),
                opt_number(s.chainage_m),
                s.node.clone().unwrap_or_default(),
                s.road_node.clone(),
                s.outfall.clone(),
                s.receiving_water.clone(),
                s.contact.clone(),
                s.last_inspection.clone().unwrap_or_default(),
                s.annual_probability.to_string(),
                s.note.clone(),
            ]
        }),
    );
    let chemicals_csv = csv_text(
        &CHEMICAL_COLUMNS,
        chemicals.iter().map(|c| {
            vec![
                c.source_id.clone(),
                c.pollutant.clone(),
                opt_number(c.max_on_site_kg),
                c.max_release_kg.to_string(),
            ]
        }),
    );
    (sources_csv, chemicals_csv)
}

/// The sources that have coordinates, as a GeoJSON FeatureCollection of points (WGS84),
/// each with its fields and its chemicals as properties.
pub fn to_geojson(sources: &[RiskSource], chemicals: &[Chemical]) -> serde_json::Value {
    let features: Vec<serde_json::Value> = sources
        .iter()
        .filter_map(|s| {
            let (lon, lat) = (s.lon?, s.lat?);
            let held: Vec<serde_json::Value> = chemicals
                .iter()
                .filter(|c| c.source_id == s.id)
                .map(|c| {
                    serde_json::json!({
                        "pollutant": c.pollutant,
                        "max_on_site_kg": c.max_on_site_kg,
                        "max_release_kg": c.max_release_kg,
                    })
                })
                .collect();
            let properties = serde_json::json!({
                    "id": s.id, "name": s.name, "name_zh": s.name_zh, "kind": s.kind,
                    "sector": s.sector, "jurisdiction": s.jurisdiction, "risk_grade": s.risk_grade,
                    "reach": s.reach, "chainage_m": s.chainage_m, "node": s.node, "road_node": s.road_node,
                    "outfall": s.outfall, "receiving_water": s.receiving_water, "contact": s.contact,
                    "last_inspection": s.last_inspection, "annual_probability": s.annual_probability,
                    "note": s.note, "chemicals": held,
            });
            Some(crate::geojson::feature(crate::geojson::point(lon, lat), properties))
        })
        .collect();
    crate::geojson::collection(features)
}
