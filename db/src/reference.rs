//! Reference tables the agencies keep: the monitoring methods (standard operating
//! procedures) and the expert roster, imported from CSV (every bad row named, all rows
//! or none).

use crate::csv_rows::{Layout, all_or_problems, read_rows};
use crate::register::{ImportError, RowProblem};
use crate::{Database, DbError, Value};
use std::collections::BTreeSet;

/// One method for one pollutant.
#[derive(Clone, Debug, PartialEq)]
pub struct Method {
    /// The method's id (an instrument of the equipment catalogue, or the agency's own).
    pub id: String,
    pub pollutant: String,
    /// The method standard (`HJ 700-2014 ICP-MS`, …) or the field technique.
    pub standard: String,
    /// `field` or `laboratory`.
    pub setting: String,
    pub instrument: String,
    /// [mg/L]
    pub detection_limit_mg_l: Option<f64>,
    /// Longest time from sampling to analysis [h].
    pub holding_time_h: Option<f64>,
    pub container: String,
    pub preservation: String,
    pub qa_qc: String,
    pub note: String,
}

pub const METHOD_COLUMNS: [&str; 11] = [
    "id",
    "pollutant",
    "standard",
    "setting",
    "instrument",
    "detection_limit_mg_l",
    "holding_time_h",
    "container",
    "preservation",
    "qa_qc",
    "note",
];

/// One expert of the roster.
#[derive(Clone, Debug, PartialEq)]
pub struct Expert {
    pub id: String,
    pub name: String,
    pub name_zh: String,
    /// Field of expertise (`analytical chemistry`, `hydrology`, `toxicology`…).
    pub expertise: String,
    pub jurisdiction: String,
    pub organisation: String,
    pub contact: String,
    /// When and how they can be reached (`24h`, `office hours`, …).
    pub availability: String,
    /// Pollutants they know (ids of the scenario's pollutants).
    pub pollutants: Vec<String>,
    pub note: String,
}

pub const EXPERT_COLUMNS: [&str; 10] = [
    "id",
    "name",
    "name_zh",
    "expertise",
    "jurisdiction",
    "organisation",
    "contact",
    "availability",
    "pollutants",
    "note",
];

/// Reads a methods file; `pollutants`: the ids a row may name (empty: any).
pub fn parse_methods(file: &str, text: &str, pollutants: &BTreeSet<String>) -> Result<Vec<Method>, Vec<RowProblem>> {
    let layout = Layout {
        columns: &METHOD_COLUMNS,
        required: &["id", "pollutant", "setting"],
        bytes_max: crate::register::CSV_BYTES_MAX,
    };
    let mut problems = Vec::new();
    let mut keys = BTreeSet::new();
    let methods = read_rows(&layout, file, text, &mut problems, |row| {
        let id = row.required("id");
        let pollutant = row.known("pollutant", pollutants, "pollutant");
        if !keys.insert((id.clone(), pollutant.clone())) {
            row.bad("id", format!("{id:?} for {pollutant:?} appears twice in the file"));
        }
        let setting = row.required("setting");
        if !setting.is_empty() && setting != "field" && setting != "laboratory" {
            row.bad("setting", format!("{setting:?}: expected field or laboratory"));
        }
        Method {
            standard: row.cell("standard").to_string(),
            instrument: row.cell("instrument").to_string(),
            detection_limit_mg_l: row.number("detection_limit_mg_l", 1e-9, 1e6, true),
            holding_time_h: row.number("holding_time_h", 1e-3, 1e5, true),
            container: row.cell("container").to_string(),
            preservation: row.cell("preservation").to_string(),
            qa_qc: row.cell("qa_qc").to_string(),
            note: row.cell("note").to_string(),
            id,
            pollutant,
            setting,
        }
    });
    all_or_problems(methods, problems)
}

/// Writes methods in one transaction; a method already there (id and pollutant) is replaced.
pub fn store_methods(db: &mut Database, methods: &[Method]) -> Result<usize, DbError> {
    db.transaction(|db| {
        for m in methods {
            db.execute(
                "INSERT INTO methods (id, pollutant, standard, setting, instrument, detection_limit_mg_l, \
                 holding_time_h, container, preservation, qa_qc, note) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
                 ON CONFLICT (id, pollutant) DO UPDATE SET standard = excluded.standard, \
                 setting = excluded.setting, instrument = excluded.instrument, \
                 detection_limit_mg_l = excluded.detection_limit_mg_l, holding_time_h = excluded.holding_time_h, \
                 container = excluded.container, preservation = excluded.preservation, qa_qc = excluded.qa_qc, \
                 note = excluded.note",
                &[
                    m.id.clone().into(),
                    m.pollutant.clone().into(),
                    m.standard.clone().into(),
                    m.setting.clone().into(),
                    m.instrument.clone().into(),
                    m.detection_limit_mg_l.into(),
                    m.holding_time_h.into(),
                    m.container.clone().into(),
                    m.preservation.clone().into(),
                    m.qa_qc.clone().into(),
                    m.note.clone().into(),
                ],
            )?;
        }
        Ok(methods.len())
    })
}

/// Reads a roster file: `pollutants` separated by `;`, each one of `pollutants` (empty:
/// any); `jurisdiction` one of `jurisdictions` (empty: any).
pub fn parse_experts(
    file: &str,
    text: &str,
    jurisdictions: &BTreeSet<String>,
    pollutants: &BTreeSet<String>,
) -> Result<Vec<Expert>, Vec<RowProblem>> {
    let layout = Layout {
        columns: &EXPERT_COLUMNS,
        required: &["id", "name", "expertise", "jurisdiction"],
        bytes_max: crate::register::CSV_BYTES_MAX,
    };
    let mut problems = Vec::new();
    let mut ids = BTreeSet::new();
    let experts = read_rows(&layout, file, text, &mut problems, |row| {
        let id = row.required("id");
        if !id.is_empty() && !ids.insert(id.clone()) {
            row.bad("id", format!("{id:?} appears twice in the file"));
        }
        let listed: Vec<String> = row
            .cell("pollutants")
            .split(';')
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect();
        for p in &listed {
            if !pollutants.is_empty() && !pollutants.contains(p) {
                row.bad("pollutants", format!("unknown pollutant {p:?}"));
            }
        }
        let mut unique = listed.clone();
        unique.sort();
        unique.dedup();
        Expert {
            name: row.required("name"),
            name_zh: row.cell("name_zh").to_string(),
            expertise: row.required("expertise"),
            jurisdiction: row.known("jurisdiction", jurisdictions, "jurisdiction"),
            organisation: row.cell("organisation").to_string(),
            contact: row.cell("contact").to_string(),
            availability: row.cell("availability").to_string(),
            note: row.cell("note").to_string(),
            pollutants: unique,
            id,
        }
    });
    all_or_problems(experts, problems)
}

/// Writes experts in one transaction; an expert already there is replaced with their
/// pollutants.
pub fn store_experts(db: &mut Database, experts: &[Expert]) -> Result<usize, DbError> {
    db.transaction(|db| {
        for e in experts {
            db.execute(
                "INSERT INTO experts (id, name, name_zh, expertise, jurisdiction, organisation, contact, \
                 availability, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_zh = excluded.name_zh, \
                 expertise = excluded.expertise, jurisdiction = excluded.jurisdiction, \
                 organisation = excluded.organisation, contact = excluded.contact, \
                 availability = excluded.availability, note = excluded.note",
                &[
                    e.id.clone().into(),
                    e.name.clone().into(),
                    e.name_zh.clone().into(),
                    e.expertise.clone().into(),
                    e.jurisdiction.clone().into(),
                    e.organisation.clone().into(),
                    e.contact.clone().into(),
                    e.availability.clone().into(),
                    e.note.clone().into(),
                ],
            )?;
            db.execute(
                "DELETE FROM expert_pollutants WHERE expert_id = $1",
                &[e.id.clone().into()],
            )?;
            for p in &e.pollutants {
                db.execute(
                    "INSERT INTO expert_pollutants (expert_id, pollutant) VALUES ($1, $2)",
                    &[e.id.clone().into(), Value::Text(p.clone())],
                )?;
            }
        }
        Ok(experts.len())
    })
}

/// Reads and writes a methods file: all rows or none.
pub fn import_methods(
    db: &mut Database,
    file: &str,
    text: &str,
    pollutants: &BTreeSet<String>,
) -> Result<usize, ImportError> {
    let methods = parse_methods(file, text, pollutants).map_err(ImportError::Rows)?;
    Ok(store_methods(db, &methods)?)
}

/// Reads and writes a roster file: all rows or none.
pub fn import_experts(
    db: &mut Database,
    file: &str,
    text: &str,
    jurisdictions: &BTreeSet<String>,
    pollutants: &BTreeSet<String>,
) -> Result<usize, ImportError> {
    let experts = parse_experts(file, text, jurisdictions, pollutants).map_err(ImportError::Rows)?;
    Ok(store_experts(db, &experts)?)
}
