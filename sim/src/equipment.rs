//! The emergency-monitoring equipment catalogue: vehicles that carry teams and samples, and
//! instruments that measure samples in the field or in a laboratory.
//!
//! The built-in catalogue lives in `resources/equipment.toml`, embedded at compile time, so
//! this module does no I/O. [`Catalogue::builtin`] parses and validates it once;
//! [`Catalogue::parse`] reads a catalogue that a scenario brings. Instrument parameters are
//! GB 3838 item ids ([`crate::standards`]).
//!
//! Parsing collects every problem with its place in the file: each entry is deserialised on
//! its own, unknown fields are reported and set aside so that the rest of their entry is
//! still checked. A value of the wrong type or a missing field stops only its own entry.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::sync::OnceLock;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use crate::scenario::{Problem, SourceText};
use crate::standards::Gb3838;

/// The catalogue, embedded so that the simulation never reads files at run time.
const EQUIPMENT_TOML: &str = include_str!("../../resources/equipment.toml");
/// The file name given in problems of the built-in catalogue.
const BUILTIN_FILE_NAME: &str = "resources/equipment.toml";
/// The file name given in problems of a catalogue read with [`Catalogue::parse`].
const PARSED_FILE_NAME: &str = "equipment.toml";

/// Largest catalogue text accepted [bytes].
const TEXT_BYTES_MAX: usize = 1 << 20;
/// Largest number of vehicles, and of instruments, in one catalogue.
const ENTRIES_MAX: usize = 1_000;
/// Largest number of parameters of one instrument (GB 3838 has 109 items).
const PARAMETERS_MAX: usize = 109;
/// Largest road speed factor [-]: no vehicle drives three times a road's typical speed.
const SPEED_FACTOR_MAX: f64 = 3.0;
/// Largest river or air speed [km/h]; beyond it a unit mistake is more likely.
const SPEED_KMH_MAX: f64 = 300.0;
/// Largest air range [km].
const RANGE_KM_MAX: f64 = 500.0;
/// Longest sampling or analysis time [min]: one week.
const DURATION_MIN_MAX: f64 = 7.0 * 24.0 * 60.0;
/// Largest detection limit [mg/L]: 1 g/L.
const DETECTION_LIMIT_MG_L_MAX: f64 = 1_000.0;
/// Largest crew of one vehicle [people].
const CREW_MAX: i64 = 50;

const VEHICLE_FIELDS: &[&str] = &[
    "id",
    "name",
    "name_zh",
    "mode",
    "speed_factor",
    "speed_kmh",
    "range_km",
    "laboratory",
    "crew_min",
    "note",
];
const INSTRUMENT_FIELDS: &[&str] = &[
    "id",
    "name",
    "name_zh",
    "method",
    "parameters",
    "sample_min",
    "analysis_min",
    "detection_limit_mg_l",
    "standard",
    "note",
];

/// Where a vehicle travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VehicleMode {
    /// On roads, at a multiple of each road's typical speed.
    Road,
    /// On the river network (boats).
    River,
    /// In the air (drones), within a range of its launch point.
    Air,
}

impl VehicleMode {
    /// The mode as written in `equipment.toml`.
    pub fn as_str(self) -> &'static str {
        match self {
            VehicleMode::Road => "road",
            VehicleMode::River => "river",
            VehicleMode::Air => "air",
        }
    }
}

impl fmt::Display for VehicleMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A vehicle of the catalogue. Vehicles are checked when parsed: the speed fields agree
/// with the mode, as their docs say.
#[derive(Debug, Clone, PartialEq)]
pub struct Vehicle {
    /// Stable snake_case identifier, e.g. `"sampling_van"`.
    pub id: String,
    /// English name.
    pub name: String,
    /// Chinese name.
    pub name_zh: String,
    pub mode: VehicleMode,
    /// Road vehicles: multiplier on the typical speed of the road driven on [-], in (0, 3].
    /// `0.0` for river and air vehicles, which never use roads.
    pub speed_factor: f64,
    /// River and air vehicles: travel speed [km/h]; `None` exactly for road vehicles.
    pub speed_kmh: Option<f64>,
    /// Air vehicles: how far from its launch point (a bridge or a bank) it can take a
    /// sample [km]; `None` for other vehicles, and for air vehicles without a limit.
    pub range_km: Option<f64>,
    /// A mobile laboratory: analyses laboratory-method samples where it stands.
    pub laboratory: bool,
    /// People needed to operate it.
    pub crew_min: u32,
    /// Free text: sources and assumptions.
    pub note: String,
}

/// Where an instrument's result is obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// On site: the result is read where the sample is taken.
    Field,
    /// In a laboratory, fixed or mobile: the sample must travel there.
    Laboratory,
}

impl Method {
    /// The method as written in `equipment.toml`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Field => "field",
            Method::Laboratory => "laboratory",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An instrument (or method) of the catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct Instrument {
    /// Stable snake_case identifier, e.g. `"icp_ms"`.
    pub id: String,
    /// English name.
    pub name: String,
    /// Chinese name.
    pub name_zh: String,
    pub method: Method,
    /// GB 3838 item ids it measures, in file order, each once.
    pub parameters: Vec<String>,
    /// Time on site per sample: taking, preserving and labelling it [min].
    pub sample_min: f64,
    /// Field: time from sample to result on site; laboratory: instrument time per sample in
    /// the laboratory, preparation and quality control included, queueing excluded [min].
    pub analysis_min: f64,
    /// The method's detection limit [mg/L]; for several parameters, the largest of theirs.
    pub detection_limit_mg_l: f64,
    /// The method standard, e.g. `"HJ 700-2014 ICP-MS"`, or the field technique.
    pub standard: String,
    /// Free text: sources and assumptions.
    pub note: String,
}

impl Instrument {
    /// Whether it measures this GB 3838 item.
    pub fn measures(&self, parameter: &str) -> bool {
        self.parameters.iter().any(|measured| measured == parameter)
    }
}

/// The vehicles and instruments available to monitoring teams, each list sorted by id.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalogue {
    vehicles: Vec<Vehicle>,
    instruments: Vec<Instrument>,
}

impl Catalogue {
    /// The catalogue embedded from `resources/equipment.toml`, parsed on first use.
    ///
    /// # Panics
    ///
    /// If the embedded file is invalid: a build defect that the tests catch.
    pub fn builtin() -> &'static Catalogue {
        static BUILTIN: OnceLock<Catalogue> = OnceLock::new();
        BUILTIN.get_or_init(
            || match Catalogue::parse_source(&SourceText::new(BUILTIN_FILE_NAME, EQUIPMENT_TOML)) {
                Ok(catalogue) => catalogue,
                Err(error) => panic!("the embedded {BUILTIN_FILE_NAME} is invalid: {error}"),
            },
        )
    }

    /// Parses and validates a catalogue in the format of `resources/equipment.toml`,
    /// collecting every problem; problems name the file `equipment.toml`.
    pub fn parse(text: &str) -> Result<Catalogue, CatalogueError> {
        Catalogue::parse_source(&SourceText::new(PARSED_FILE_NAME, text))
    }

    /// As [`Catalogue::parse`], with problems naming the source's file.
    pub fn parse_source(source: &SourceText) -> Result<Catalogue, CatalogueError> {
        let mut checker = Checker {
            source,
            problems: Vec::new(),
        };
        let catalogue = read_catalogue(&mut checker);
        // Problems in file order; those without a place last.
        let mut problems = checker.problems;
        problems.sort_by_key(|problem| (problem.line == 0, problem.line, problem.column));
        match catalogue {
            Some(catalogue) if problems.is_empty() => Ok(catalogue),
            _ => Err(CatalogueError { problems }),
        }
    }

    /// The vehicle with this id.
    pub fn vehicle(&self, id: &str) -> Option<&Vehicle> {
        let vehicle_idx = self
            .vehicles
            .binary_search_by(|vehicle| vehicle.id.as_str().cmp(id))
            .ok()?;
        Some(&self.vehicles[vehicle_idx])
    }

    /// The instrument with this id.
    pub fn instrument(&self, id: &str) -> Option<&Instrument> {
        let instrument_idx = self
            .instruments
            .binary_search_by(|instrument| instrument.id.as_str().cmp(id))
            .ok()?;
        Some(&self.instruments[instrument_idx])
    }

    /// Every vehicle, sorted by id.
    pub fn vehicles(&self) -> &[Vehicle] {
        &self.vehicles
    }

    /// Every instrument, sorted by id.
    pub fn instruments(&self) -> &[Instrument] {
        &self.instruments
    }

    /// The instruments that measure this GB 3838 item, sorted by id.
    pub fn instruments_for(&self, parameter: &str) -> impl Iterator<Item = &Instrument> {
        self.instruments
            .iter()
            .filter(move |instrument| instrument.measures(parameter))
    }
}

/// Every problem found in a catalogue, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogueError {
    pub problems: Vec<Problem>,
}

impl fmt::Display for CatalogueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n_problems = self.problems.len();
        let plural = if n_problems == 1 { "" } else { "s" };
        write!(f, "equipment catalogue has {n_problems} problem{plural}")?;
        for problem in &self.problems {
            write!(f, "\n\nerror: {problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for CatalogueError {}

/// Collects the problems of one source.
struct Checker<'a> {
    source: &'a SourceText,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    /// A problem at a span of the source; an empty span at 0 means "no single place".
    fn report(&mut self, span: Range<usize>, message: impl Into<String>) {
        let span = (span != (0..0)).then_some(span);
        self.problems.push(self.source.problem(span, message));
    }

    /// 1-based line of a byte offset of the source.
    fn line_of(&self, offset: usize) -> usize {
        let text = self.source.text.as_bytes();
        1 + text[..offset.min(text.len())]
            .iter()
            .filter(|&&byte| byte == b'\n')
            .count()
    }

    /// Checks that a value lies in (0, max] and returns it.
    fn positive_at_most(&mut self, value: &Spanned<f64>, max: f64, field: &str, owner: &str) -> f64 {
        let number = *value.get_ref();
        if number.is_nan() || number <= 0.0 {
            self.report(value.span(), format!("{owner}: {field} must be positive, got {number}"));
        } else if number > max {
            self.report(
                value.span(),
                format!("{owner}: {field} must be at most {max}, got {number}"),
            );
        }
        number
    }

    fn snake_case_id(&mut self, id: &Spanned<String>, owner: &str) {
        let text = id.get_ref();
        let is_snake_case = text.starts_with(|c: char| c.is_ascii_lowercase())
            && text
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !is_snake_case {
            self.report(id.span(), format!("{owner}: id must be snake_case"));
        }
    }

    fn not_empty(&mut self, text: &Spanned<String>, field: &str, owner: &str) {
        if text.get_ref().trim().is_empty() {
            self.report(text.span(), format!("{owner}: {field} must not be empty"));
        }
    }

    /// Reports each id seen before, pointing at the later one.
    fn unique_ids<'r>(&mut self, what: &str, ids: impl IntoIterator<Item = &'r Spanned<String>>) {
        let mut first_lines: BTreeMap<&str, usize> = BTreeMap::new();
        for id in ids {
            let line = self.line_of(id.span().start);
            if let Some(first_line) = first_lines.get(id.get_ref().as_str()) {
                self.report(
                    id.span(),
                    format!(
                        "duplicate {what} id `{}`, first defined on line {first_line}",
                        id.get_ref()
                    ),
                );
            } else {
                first_lines.insert(id.get_ref().as_str(), line);
            }
        }
    }
}

/// Reads, deserialises and validates the whole text; `None` when nothing usable came out
/// (the problems say why).
fn read_catalogue(checker: &mut Checker<'_>) -> Option<Catalogue> {
    let text = checker.source.text.as_str();
    if text.len() > TEXT_BYTES_MAX {
        checker.report(
            0..0,
            format!("file is {} bytes; the limit is {TEXT_BYTES_MAX}", text.len()),
        );
        return None;
    }
    let (root, syntax_errors) = DeTable::parse_recoverable(text);
    if !syntax_errors.is_empty() {
        for error in syntax_errors {
            checker.report(
                error.span().unwrap_or(0..0),
                format!(
                    "syntax: {}",
                    crate::scenario::ranges::shorten_numbers(error.message().trim())
                ),
            );
        }
        return None;
    }
    let mut raw_vehicles: Vec<RawVehicle> = Vec::new();
    let mut raw_instruments: Vec<RawInstrument> = Vec::new();
    for (key, value) in root.into_inner() {
        match key.get_ref().as_ref() {
            "vehicles" => raw_vehicles = read_entries(checker, "vehicles", "vehicle", VEHICLE_FIELDS, value),
            "instruments" => {
                raw_instruments = read_entries(checker, "instruments", "instrument", INSTRUMENT_FIELDS, value);
            }
            other => checker.report(
                key.span(),
                format!("unknown section `{other}`, expected vehicles or instruments"),
            ),
        }
    }
    checker.unique_ids("vehicle", raw_vehicles.iter().map(|raw| &raw.id));
    checker.unique_ids("instrument", raw_instruments.iter().map(|raw| &raw.id));
    let gb3838 = Gb3838::builtin();
    let mut vehicles: Vec<Vehicle> = raw_vehicles.iter().filter_map(|raw| raw.validate(checker)).collect();
    let mut instruments: Vec<Instrument> = raw_instruments
        .iter()
        .filter_map(|raw| raw.validate(checker, gb3838))
        .collect();
    vehicles.sort_by(|a, b| a.id.cmp(&b.id));
    instruments.sort_by(|a, b| a.id.cmp(&b.id));
    Some(Catalogue { vehicles, instruments })
}

/// Deserialises each entry of a `[[section]]` list on its own, so that one bad entry does
/// not hide the problems of the others.
fn read_entries<T: DeserializeOwned>(
    checker: &mut Checker<'_>,
    section: &str,
    what: &str,
    fields: &[&str],
    value: Spanned<DeValue<'_>>,
) -> Vec<T> {
    let span = value.span();
    let DeValue::Array(entries) = value.into_inner() else {
        checker.report(
            span,
            format!("`{section}` must be a list of tables, written [[{section}]]"),
        );
        return Vec::new();
    };
    if entries.len() > ENTRIES_MAX {
        checker.report(
            span,
            format!("`{section}` has {} entries; the limit is {ENTRIES_MAX}", entries.len()),
        );
        return Vec::new();
    }
    entries
        .into_iter()
        .filter_map(|entry| read_entry(checker, what, fields, entry))
        .collect()
}

/// Deserialises one entry after reporting and removing its unknown fields.
fn read_entry<T: DeserializeOwned>(
    checker: &mut Checker<'_>,
    what: &str,
    fields: &[&str],
    entry: Spanned<DeValue<'_>>,
) -> Option<T> {
    let span = entry.span();
    let owner = match entry.get_ref().get("id").and_then(|id| id.get_ref().as_str()) {
        Some(id) => format!("{what} `{id}`"),
        None => what.to_owned(),
    };
    let DeValue::Table(table) = entry.into_inner() else {
        checker.report(span, format!("each {what} must be a table"));
        return None;
    };
    let mut known = DeTable::new();
    for (key, value) in table {
        if fields.contains(&key.get_ref().as_ref()) {
            known.insert(key, value);
        } else {
            checker.report(
                key.span(),
                format!(
                    "{owner}: unknown field `{}`, expected one of: {}",
                    key.get_ref(),
                    fields.join(", ")
                ),
            );
        }
    }
    match T::deserialize(ValueDeserializer::from(Spanned::new(
        span.clone(),
        DeValue::Table(known),
    ))) {
        Ok(raw) => Some(raw),
        Err(error) => {
            checker.report(
                error.span().unwrap_or(span),
                format!(
                    "{owner}: {}",
                    crate::scenario::ranges::shorten_numbers(error.message().trim())
                ),
            );
            None
        }
    }
}

/// A `[[vehicles]]` entry as written, before validation.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVehicle {
    id: Spanned<String>,
    name: Spanned<String>,
    name_zh: Spanned<String>,
    mode: Spanned<VehicleMode>,
    speed_factor: Option<Spanned<f64>>,
    speed_kmh: Option<Spanned<f64>>,
    range_km: Option<Spanned<f64>>,
    #[serde(default)]
    laboratory: bool,
    crew_min: Spanned<i64>,
    #[serde(default)]
    note: String,
}

impl RawVehicle {
    /// Checks the vehicle and builds it, reporting every problem.
    fn validate(&self, checker: &mut Checker<'_>) -> Option<Vehicle> {
        let n_problems_before = checker.problems.len();
        let owner = format!("vehicle `{}`", self.id.get_ref());
        checker.snake_case_id(&self.id, &owner);
        checker.not_empty(&self.name, "name", &owner);
        checker.not_empty(&self.name_zh, "name_zh", &owner);
        let mode = *self.mode.get_ref();
        let (speed_factor, speed_kmh) = match mode {
            VehicleMode::Road => {
                self.forbid(checker, &self.speed_kmh, "speed_kmh", &owner);
                (
                    self.require(checker, &self.speed_factor, "speed_factor", SPEED_FACTOR_MAX, &owner),
                    None,
                )
            }
            VehicleMode::River | VehicleMode::Air => {
                self.forbid(checker, &self.speed_factor, "speed_factor", &owner);
                let speed_kmh = self.require(checker, &self.speed_kmh, "speed_kmh", SPEED_KMH_MAX, &owner);
                (0.0, Some(speed_kmh))
            }
        };
        let range_km = match (&self.range_km, mode) {
            (Some(range_km), VehicleMode::Air) => {
                Some(checker.positive_at_most(range_km, RANGE_KM_MAX, "range_km", &owner))
            }
            (range_km, _) => {
                self.forbid(checker, range_km, "range_km", &owner);
                None
            }
        };
        let crew_min = *self.crew_min.get_ref();
        if !(1..=CREW_MAX).contains(&crew_min) {
            checker.report(
                self.crew_min.span(),
                format!("{owner}: crew_min must be from 1 to {CREW_MAX}, got {crew_min}"),
            );
        }
        if checker.problems.len() > n_problems_before {
            return None;
        }
        Some(Vehicle {
            id: self.id.get_ref().clone(),
            name: self.name.get_ref().clone(),
            name_zh: self.name_zh.get_ref().clone(),
            mode,
            speed_factor,
            speed_kmh,
            range_km,
            laboratory: self.laboratory,
            crew_min: u32::try_from(crew_min).expect("crew_min was checked to be from 1 to CREW_MAX"),
            note: self.note.clone(),
        })
    }

    /// A speed field the mode needs, checked to lie in (0, max]; 0 when missing.
    fn require(
        &self,
        checker: &mut Checker<'_>,
        value: &Option<Spanned<f64>>,
        field: &str,
        max: f64,
        owner: &str,
    ) -> f64 {
        match value {
            Some(value) => checker.positive_at_most(value, max, field, owner),
            None => {
                checker.report(
                    self.mode.span(),
                    format!("{owner}: {} vehicles need {field}", self.mode.get_ref()),
                );
                0.0
            }
        }
    }

    fn forbid(&self, checker: &mut Checker<'_>, value: &Option<Spanned<f64>>, field: &str, owner: &str) {
        if let Some(value) = value {
            checker.report(
                value.span(),
                format!("{owner}: {field} does not apply to a {} vehicle", self.mode.get_ref()),
            );
        }
    }
}

/// An `[[instruments]]` entry as written, before validation.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInstrument {
    id: Spanned<String>,
    name: Spanned<String>,
    name_zh: Spanned<String>,
    method: Spanned<Method>,
    parameters: Spanned<Vec<Spanned<String>>>,
    sample_min: Spanned<f64>,
    analysis_min: Spanned<f64>,
    detection_limit_mg_l: Spanned<f64>,
    standard: Spanned<String>,
    #[serde(default)]
    note: String,
}

impl RawInstrument {
    /// Checks the instrument and builds it, reporting every problem.
    fn validate(&self, checker: &mut Checker<'_>, gb3838: &Gb3838) -> Option<Instrument> {
        let n_problems_before = checker.problems.len();
        let owner = format!("instrument `{}`", self.id.get_ref());
        checker.snake_case_id(&self.id, &owner);
        checker.not_empty(&self.name, "name", &owner);
        checker.not_empty(&self.name_zh, "name_zh", &owner);
        checker.not_empty(&self.standard, "standard", &owner);
        let parameters = self.parameters(checker, gb3838, &owner);
        let sample_min = checker.positive_at_most(&self.sample_min, DURATION_MIN_MAX, "sample_min", &owner);
        let analysis_min = checker.positive_at_most(&self.analysis_min, DURATION_MIN_MAX, "analysis_min", &owner);
        let detection_limit_mg_l = checker.positive_at_most(
            &self.detection_limit_mg_l,
            DETECTION_LIMIT_MG_L_MAX,
            "detection_limit_mg_l",
            &owner,
        );
        if checker.problems.len() > n_problems_before {
            return None;
        }
        Some(Instrument {
            id: self.id.get_ref().clone(),
            name: self.name.get_ref().clone(),
            name_zh: self.name_zh.get_ref().clone(),
            method: *self.method.get_ref(),
            parameters,
            sample_min,
            analysis_min,
            detection_limit_mg_l,
            standard: self.standard.get_ref().clone(),
            note: self.note.clone(),
        })
    }

    /// The parameters, checked to be GB 3838 item ids, each listed once.
    fn parameters(&self, checker: &mut Checker<'_>, gb3838: &Gb3838, owner: &str) -> Vec<String> {
        let listed = self.parameters.get_ref();
        if listed.is_empty() || listed.len() > PARAMETERS_MAX {
            checker.report(
                self.parameters.span(),
                format!(
                    "{owner}: parameters must list 1 to {PARAMETERS_MAX} GB 3838 item ids, not {}",
                    listed.len()
                ),
            );
            return Vec::new();
        }
        let mut parameters: Vec<String> = Vec::with_capacity(listed.len());
        for parameter in listed {
            let id = parameter.get_ref();
            if gb3838.get(id).is_none() {
                checker.report(
                    parameter.span(),
                    format!("{owner}: parameter `{id}` is not a GB 3838 item id"),
                );
            } else if parameters.contains(id) {
                checker.report(parameter.span(), format!("{owner}: parameter `{id}` is listed twice"));
            } else {
                parameters.push(id.clone());
            }
        }
        parameters
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::standards::WaterClass;

    /// The `(line, message)` of every problem of a text that must fail to parse.
    fn problems(text: &str) -> Vec<(usize, String)> {
        let error = Catalogue::parse(text).expect_err("the text should be rejected");
        error
            .problems
            .iter()
            .map(|problem| (problem.line, problem.message.clone()))
            .collect()
    }

    fn expected(problems: &[(usize, &str)]) -> Vec<(usize, String)> {
        problems
            .iter()
            .map(|&(line, message)| (line, message.to_owned()))
            .collect()
    }

    fn builtin_vehicle(id: &str) -> &'static Vehicle {
        Catalogue::builtin()
            .vehicle(id)
            .unwrap_or_else(|| panic!("no vehicle `{id}`"))
    }

    fn ids_for(parameter: &str, method: Method) -> Vec<&'static str> {
        Catalogue::builtin()
            .instruments_for(parameter)
            .filter(|instrument| instrument.method == method)
            .map(|instrument| instrument.id.as_str())
            .collect()
    }

    /// A valid instrument, to which a test appends its own lines (from line 10 on).
    const PROBE: &str = "[[instruments]]
id = \"probe\"
name = \"Probe\"
name_zh = \"探头\"
method = \"field\"
parameters = [\"ph\"]
sample_min = 10.0
analysis_min = 5.0
detection_limit_mg_l = 0.1
standard = \"electrodes\"
";

    #[test]
    fn builtin_parses_with_sorted_unique_ids() {
        let parsed = Catalogue::parse_source(&SourceText::new(BUILTIN_FILE_NAME, EQUIPMENT_TOML));
        if let Err(error) = &parsed {
            panic!("{error}");
        }
        let catalogue = Catalogue::builtin();
        let vehicle_ids: Vec<&str> = catalogue.vehicles().iter().map(|v| v.id.as_str()).collect();
        assert!(vehicle_ids.windows(2).all(|pair| pair[0] < pair[1]), "{vehicle_ids:?}");
        let instrument_ids: Vec<&str> = catalogue.instruments().iter().map(|i| i.id.as_str()).collect();
        assert!(
            instrument_ids.windows(2).all(|pair| pair[0] < pair[1]),
            "{instrument_ids:?}"
        );
        assert_eq!(vehicle_ids, ["boat", "drone", "mobile_laboratory", "sampling_van"]);
        assert_eq!(instrument_ids.len(), 13);
    }

    #[test]
    fn builtin_vehicles_have_the_documented_speeds() {
        let van = builtin_vehicle("sampling_van");
        assert_eq!(
            (van.mode, van.speed_factor, van.speed_kmh),
            (VehicleMode::Road, 1.0, None)
        );
        assert!(!van.laboratory);
        let laboratory = builtin_vehicle("mobile_laboratory");
        assert_eq!((laboratory.mode, laboratory.speed_factor), (VehicleMode::Road, 0.8));
        assert!(laboratory.laboratory);
        let boat = builtin_vehicle("boat");
        assert_eq!(
            (boat.mode, boat.speed_kmh, boat.range_km),
            (VehicleMode::River, Some(20.0), None)
        );
        assert_eq!(boat.speed_factor, 0.0);
        let drone = builtin_vehicle("drone");
        assert_eq!((drone.mode, drone.speed_kmh), (VehicleMode::Air, Some(40.0)));
        assert!(drone.range_km.is_some_and(|range_km| range_km > 0.0));
        for vehicle in Catalogue::builtin().vehicles() {
            assert!(vehicle.crew_min >= 1, "`{}`", vehicle.id);
        }
    }

    #[test]
    fn every_instrument_parameter_is_a_gb3838_item() {
        let gb3838 = Gb3838::builtin();
        for instrument in Catalogue::builtin().instruments() {
            assert!(!instrument.parameters.is_empty(), "`{}`", instrument.id);
            for parameter in &instrument.parameters {
                assert!(gb3838.get(parameter).is_some(), "`{}`: `{parameter}`", instrument.id);
            }
        }
    }

    #[test]
    fn antimony_has_field_and_laboratory_instruments() {
        assert_eq!(ids_for("antimony", Method::Field), ["sb_voltammetry"]);
        assert_eq!(ids_for("antimony", Method::Laboratory), ["afs", "icp_ms"]);
        let icp_ms = Catalogue::builtin().instrument("icp_ms").unwrap();
        assert_eq!(icp_ms.standard, "HJ 700-2014 ICP-MS");
    }

    #[test]
    fn each_zone_pollutant_has_field_and_laboratory_instruments() {
        // The pollutants of the built-in scenario.
        let pollutants = [
            "antimony",
            "aniline",
            "petroleum",
            "ammonia_nitrogen",
            "nitrobenzene",
            "chromium_hexavalent",
            "chemical_oxygen_demand",
        ];
        for parameter in pollutants {
            assert!(
                !ids_for(parameter, Method::Field).is_empty(),
                "{parameter}: no field instrument"
            );
            assert!(
                !ids_for(parameter, Method::Laboratory).is_empty(),
                "{parameter}: no laboratory instrument"
            );
        }
        for parameter in ["ph", "dissolved_oxygen"] {
            assert_eq!(ids_for(parameter, Method::Field), ["multiparameter_probe"]);
        }
    }

    #[test]
    fn laboratory_detection_limits_are_below_the_class_iii_limits() {
        let gb3838 = Gb3838::builtin();
        let laboratory = Catalogue::builtin()
            .instruments()
            .iter()
            .filter(|instrument| instrument.method == Method::Laboratory);
        for instrument in laboratory {
            for parameter in &instrument.parameters {
                let limit_mg_l = gb3838.get(parameter).unwrap().limit_mg_l(WaterClass::III).unwrap();
                assert!(
                    instrument.detection_limit_mg_l < limit_mg_l,
                    "`{}` detects {parameter} from {} mg/L, its limit is {limit_mg_l}",
                    instrument.id,
                    instrument.detection_limit_mg_l
                );
            }
        }
    }

    #[test]
    fn field_results_come_sooner_than_laboratory_runs() {
        let instruments = Catalogue::builtin().instruments();
        let slowest_field_min = instruments
            .iter()
            .filter(|instrument| instrument.method == Method::Field)
            .map(|instrument| instrument.analysis_min)
            .fold(0.0, f64::max);
        let fastest_laboratory_min = instruments
            .iter()
            .filter(|instrument| instrument.method == Method::Laboratory)
            .map(|instrument| instrument.analysis_min)
            .fold(f64::INFINITY, f64::min);
        assert!(slowest_field_min <= 40.0, "{slowest_field_min}");
        assert!(fastest_laboratory_min >= 60.0, "{fastest_laboratory_min}");
    }

    #[test]
    fn lookups_by_id_and_parameter() {
        let catalogue = Catalogue::builtin();
        assert_eq!(catalogue.vehicle("boat").map(|v| v.name_zh.as_str()), Some("采样船"));
        assert_eq!(catalogue.vehicle("submarine"), None);
        assert_eq!(catalogue.vehicle(""), None);
        let afs = catalogue.instrument("afs").unwrap();
        assert_eq!(afs.method, Method::Laboratory);
        assert_eq!(afs.parameters, ["antimony", "arsenic", "selenium"]);
        assert!(afs.measures("arsenic"));
        assert!(!afs.measures("mercury"));
        assert_eq!(catalogue.instrument("sampling_van"), None);
        let aniline: Vec<&str> = catalogue.instruments_for("aniline").map(|i| i.id.as_str()).collect();
        assert_eq!(aniline, ["aniline_kit", "gc_ms", "spectrophotometer"]);
        assert_eq!(catalogue.instruments_for("unobtainium").count(), 0);
        assert_eq!(catalogue.instruments_for("thallium").count(), 0);
    }

    #[test]
    fn a_small_catalogue_parses() {
        let text = format!(
            "{PROBE}
[[vehicles]]
id = \"van\"
name = \"Van\"
name_zh = \"采样车\"
mode = \"road\"
speed_factor = 1
crew_min = 2
"
        );
        let catalogue = Catalogue::parse(&text).unwrap();
        let van = catalogue.vehicle("van").unwrap();
        assert_eq!((van.speed_factor, van.laboratory, van.crew_min), (1.0, false, 2));
        assert_eq!(van.note, "");
        assert_eq!(catalogue.instrument("probe").unwrap().parameters, ["ph"]);
        let empty = Catalogue::parse("").unwrap();
        assert!(empty.vehicles().is_empty() && empty.instruments().is_empty());
    }

    #[test]
    fn unknown_fields_are_reported_with_the_rest_of_their_entry() {
        let text = "[[vehicles]]
id = \"boat\"
name = \"Boat\"
name_zh = \"船\"
mode = \"river\"
sped_kmh = 20.0
crew_min = 0
colour = \"red\"
";
        let fields = VEHICLE_FIELDS.join(", ");
        assert_eq!(
            problems(text),
            vec![
                (5, "vehicle `boat`: river vehicles need speed_kmh".to_owned()),
                (
                    6,
                    format!("vehicle `boat`: unknown field `sped_kmh`, expected one of: {fields}")
                ),
                (7, "vehicle `boat`: crew_min must be from 1 to 50, got 0".to_owned()),
                (
                    8,
                    format!("vehicle `boat`: unknown field `colour`, expected one of: {fields}")
                ),
            ]
        );
    }

    #[test]
    fn duplicate_ids_point_at_the_later_entry() {
        let text = format!(
            "{PROBE}
{PROBE}
[[vehicles]]
id = \"probe\"
name = \"A vehicle may share an instrument's id\"
name_zh = \"车\"
mode = \"road\"
speed_factor = 1.0
crew_min = 1
"
        );
        assert_eq!(
            problems(&text),
            expected(&[(13, "duplicate instrument id `probe`, first defined on line 2")])
        );
    }

    #[test]
    fn parameters_must_be_gb3838_items_listed_once() {
        let text = "[[instruments]]
id = \"kit\"
name = \"Kit\"
name_zh = \"试剂盒\"
method = \"field\"
parameters = [
  \"antimony\",
  \"unobtainium\",
  \"antimony\",
  \"Antimony\",
]
sample_min = 5.0
analysis_min = 20.0
detection_limit_mg_l = 0.001
standard = \"a kit\"

[[instruments]]
id = \"empty\"
name = \"Empty\"
name_zh = \"空\"
method = \"laboratory\"
parameters = []
sample_min = 5.0
analysis_min = 60.0
detection_limit_mg_l = 0.001
standard = \"none\"
";
        assert_eq!(
            problems(text),
            expected(&[
                (8, "instrument `kit`: parameter `unobtainium` is not a GB 3838 item id"),
                (9, "instrument `kit`: parameter `antimony` is listed twice"),
                (10, "instrument `kit`: parameter `Antimony` is not a GB 3838 item id"),
                (
                    22,
                    "instrument `empty`: parameters must list 1 to 109 GB 3838 item ids, not 0"
                ),
            ])
        );
    }

    #[test]
    fn times_and_detection_limits_must_be_positive() {
        let text = "[[instruments]]
id = \"slow\"
name = \"Slow\"
name_zh = \"慢\"
method = \"laboratory\"
parameters = [\"lead\"]
sample_min = 0.0
analysis_min = -5
detection_limit_mg_l = nan
standard = \"\"

[[instruments]]
id = \"slower\"
name = \"Slower\"
name_zh = \"更慢\"
method = \"laboratory\"
parameters = [\"lead\"]
sample_min = inf
analysis_min = 20000.0
detection_limit_mg_l = 0.0
standard = \"GB\"
";
        assert_eq!(
            problems(text),
            expected(&[
                (7, "instrument `slow`: sample_min must be positive, got 0"),
                (8, "instrument `slow`: analysis_min must be positive, got -5"),
                (9, "instrument `slow`: detection_limit_mg_l must be positive, got NaN"),
                (10, "instrument `slow`: standard must not be empty"),
                (18, "instrument `slower`: sample_min must be at most 10080, got inf"),
                (19, "instrument `slower`: analysis_min must be at most 10080, got 20000"),
                (20, "instrument `slower`: detection_limit_mg_l must be positive, got 0"),
            ])
        );
    }

    #[test]
    fn speeds_must_agree_with_the_mode() {
        let text = "[[vehicles]]
id = \"fast_van\"
name = \"Fast van\"
name_zh = \"快车\"
mode = \"road\"
speed_factor = 3.5
speed_kmh = 90.0
crew_min = 1

[[vehicles]]
id = \"slow_van\"
name = \"Slow van\"
name_zh = \"慢车\"
mode = \"road\"
crew_min = 1

[[vehicles]]
id = \"boat\"
name = \"Boat\"
name_zh = \"船\"
mode = \"river\"
speed_factor = 1.0
speed_kmh = 0.0
range_km = 2.0
crew_min = 2

[[vehicles]]
id = \"drone\"
name = \"Drone\"
name_zh = \"无人机\"
mode = \"air\"
range_km = -1.0
crew_min = 2
";
        assert_eq!(
            problems(text),
            expected(&[
                (6, "vehicle `fast_van`: speed_factor must be at most 3, got 3.5"),
                (7, "vehicle `fast_van`: speed_kmh does not apply to a road vehicle"),
                (14, "vehicle `slow_van`: road vehicles need speed_factor"),
                (22, "vehicle `boat`: speed_factor does not apply to a river vehicle"),
                (23, "vehicle `boat`: speed_kmh must be positive, got 0"),
                (24, "vehicle `boat`: range_km does not apply to a river vehicle"),
                (31, "vehicle `drone`: air vehicles need speed_kmh"),
                (32, "vehicle `drone`: range_km must be positive, got -1"),
            ])
        );
    }

    #[test]
    fn every_kind_of_problem_is_reported_at_once_in_file_order() {
        let text = format!(
            "{PROBE}unit = \"mg/L\"

[[vehicles]]
id = \"Van\"
name = \"Van\"
name_zh = \"\"
mode = \"road\"
speed_factor = \"fast\"
crew_min = 2

[[vehicles]]
id = \"truck\"
name = \"Truck\"
mode = \"rail\"
crew_min = 2

[[instruments]]
id = \"kit\"
name = \"Kit\"
name_zh = \"试剂盒\"
method = \"field\"
parameters = [\"cod\"]
sample_min = 5.0
analysis_min = 20.0
detection_limit_mg_l = 1.0
standard = \"a kit\"

[depots]
"
        );
        let found = problems(&text);
        let lines: Vec<usize> = found.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, [11, 18, 24, 32, 38], "{found:#?}");
        assert!(found[0].1.starts_with("instrument `probe`: unknown field `unit`"));
        assert!(
            found[1].1.starts_with("vehicle `Van`: invalid type: string \"fast\""),
            "{}",
            found[1].1
        );
        assert!(
            found[2].1.starts_with("vehicle `truck`: unknown variant `rail`"),
            "{}",
            found[2].1
        );
        assert_eq!(found[3].1, "instrument `kit`: parameter `cod` is not a GB 3838 item id");
        assert_eq!(found[4].1, "unknown section `depots`, expected vehicles or instruments");
    }

    #[test]
    fn a_missing_field_is_reported_at_its_entry() {
        let found = problems(
            "[[vehicles]]
id = \"van\"
mode = \"road\"
speed_factor = 1.0
crew_min = 2
",
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, 1);
        assert!(
            found[0].1.starts_with("vehicle `van`: missing field `name`"),
            "{}",
            found[0].1
        );
    }

    #[test]
    fn invalid_ids_and_names_are_reported() {
        let found = problems(
            "[[vehicles]]
id = \"Boat-1\"
name = \" \"
name_zh = \"船\"
mode = \"river\"
speed_kmh = 400
crew_min = 2
",
        );
        assert_eq!(
            found,
            expected(&[
                (2, "vehicle `Boat-1`: id must be snake_case"),
                (3, "vehicle `Boat-1`: name must not be empty"),
                (6, "vehicle `Boat-1`: speed_kmh must be at most 300, got 400"),
            ])
        );
    }

    #[test]
    fn malformed_sections_and_syntax_are_reported() {
        assert_eq!(
            problems("vehicles = 3\n"),
            expected(&[(1, "`vehicles` must be a list of tables, written [[vehicles]]")])
        );
        assert_eq!(
            problems("instruments = [1]\n"),
            expected(&[(1, "each instrument must be a table")])
        );
        let syntax = problems("[[vehicles]]\nid = \"van\"\nname = \n");
        assert!(!syntax.is_empty());
        assert!(
            syntax
                .iter()
                .all(|(line, message)| *line == 3 && message.starts_with("syntax: ")),
            "{syntax:?}"
        );
    }

    #[test]
    fn oversized_inputs_are_rejected_before_they_are_read() {
        let many_entries = format!("vehicles = [{}]\n", vec!["0"; ENTRIES_MAX + 1].join(", "));
        assert_eq!(
            problems(&many_entries),
            vec![(
                1,
                format!("`vehicles` has {} entries; the limit is {ENTRIES_MAX}", ENTRIES_MAX + 1)
            )]
        );
        let long_text = " ".repeat(TEXT_BYTES_MAX + 1);
        assert_eq!(
            problems(&long_text),
            vec![(
                0,
                format!("file is {} bytes; the limit is {TEXT_BYTES_MAX}", TEXT_BYTES_MAX + 1)
            )]
        );
    }

    #[test]
    fn the_field_lists_match_the_raw_structs() {
        // Every listed field is accepted (deny_unknown_fields would otherwise report it), so
        // only the validation problems of a road vehicle with air fields remain.
        let found = problems(
            "[[vehicles]]
id = \"van\"
name = \"Van\"
name_zh = \"车\"
mode = \"road\"
speed_factor = 1.0
speed_kmh = 60.0
range_km = 5.0
laboratory = true
crew_min = 2
note = \"all fields\"
",
        );
        assert_eq!(
            found,
            expected(&[
                (7, "vehicle `van`: speed_kmh does not apply to a road vehicle"),
                (8, "vehicle `van`: range_km does not apply to a road vehicle"),
            ])
        );
        let instrument = format!("{PROBE}note = \"all fields\"\n");
        let catalogue = Catalogue::parse(&instrument).unwrap();
        assert_eq!(catalogue.instrument("probe").unwrap().note, "all fields");
    }

    #[test]
    fn error_display_lists_every_problem_lowercase_without_a_trailing_period() {
        let error = Catalogue::parse(
            "[[vehicles]]\nid = \"van\"\nname = \"Van\"\nname_zh = \"车\"\nmode = \"road\"\ncrew_min = 0\n",
        )
        .unwrap_err();
        let expected = concat!(
            "equipment catalogue has 2 problems\n",
            "\n",
            "error: equipment.toml:5:8: vehicle `van`: road vehicles need speed_factor\n",
            "  |\n",
            "5 | mode = \"road\"\n",
            "  |        ^^^^^^\n",
            "\n",
            "error: equipment.toml:6:12: vehicle `van`: crew_min must be from 1 to 50, got 0\n",
            "  |\n",
            "6 | crew_min = 0\n",
            "  |            ^",
        );
        assert_eq!(error.to_string(), expected);
        let single = Catalogue::parse("[extra]\n").unwrap_err().to_string();
        assert!(single.starts_with("equipment catalogue has 1 problem\n"), "{single}");
    }
}
