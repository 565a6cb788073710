//! GB 3838-2002 surface-water standard: built-in reference data and single-factor evaluation.
//!
//! The limits live in `resources/gb3838.toml`, embedded at compile time, so this module
//! does no I/O. [`Gb3838::builtin`] parses and validates that file once.
//!
//! Single-factor evaluation (单因子评价法): a Table 1 factor gets the best class whose
//! limit it meets (a value exactly at a limit meets it); a sample's class is its worst
//! Table 1 factor's; beyond class V is "worse than V" (劣Ⅴ类). Dissolved oxygen is a
//! floor, so its comparison is inverted; pH outside 6–9 is worse than V. Tables 2 and 3
//! (drinking-water sources) have one limit per item, so their factors are either
//! compliant or exceed it; they do not set the sample's class.

use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// The reference data, embedded so that the simulation never reads files at run time.
const GB3838_TOML: &str = include_str!("../../resources/gb3838.toml");

/// Number of classes with limits (I to V).
const N_CLASSES: usize = 5;

/// A surface-water quality class of GB 3838-2002, best first: the derived order makes
/// `max` the worst class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum WaterClass {
    #[serde(rename = "I")]
    I,
    #[serde(rename = "II")]
    II,
    #[serde(rename = "III")]
    III,
    #[serde(rename = "IV")]
    IV,
    #[serde(rename = "V")]
    V,
    /// Beyond class V (劣Ⅴ类).
    #[serde(rename = "worse_than_v")]
    WorseThanV,
}

impl WaterClass {
    /// The five classes that have limits, best first, in the order of `class_limits`.
    pub const LIMITED: [WaterClass; N_CLASSES] = [
        WaterClass::I,
        WaterClass::II,
        WaterClass::III,
        WaterClass::IV,
        WaterClass::V,
    ];

    /// The Chinese label, as printed in monitoring reports ("Ⅲ类", "劣Ⅴ类").
    pub fn label_zh(self) -> &'static str {
        match self {
            WaterClass::I => "Ⅰ类",
            WaterClass::II => "Ⅱ类",
            WaterClass::III => "Ⅲ类",
            WaterClass::IV => "Ⅳ类",
            WaterClass::V => "Ⅴ类",
            WaterClass::WorseThanV => "劣Ⅴ类",
        }
    }

    /// The stable name, as in JSON and the protocol's views: `I` … `V`, `worse_than_v`.
    pub fn id(self) -> &'static str {
        match self {
            WaterClass::I => "I",
            WaterClass::II => "II",
            WaterClass::III => "III",
            WaterClass::IV => "IV",
            WaterClass::V => "V",
            WaterClass::WorseThanV => "worse_than_v",
        }
    }

    /// The class of a stable name ([`WaterClass::id`]).
    pub fn from_id(id: &str) -> Option<WaterClass> {
        [WaterClass::WorseThanV]
            .into_iter()
            .chain(WaterClass::LIMITED)
            .find(|class| class.id() == id)
    }

    /// Index into `class_limits`; `None` for worse than V, which has no limit.
    fn limit_idx(self) -> Option<usize> {
        WaterClass::LIMITED.iter().position(|&class| class == self)
    }
}

impl fmt::Display for WaterClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self {
            WaterClass::I => "I",
            WaterClass::II => "II",
            WaterClass::III => "III",
            WaterClass::IV => "IV",
            WaterClass::V => "V",
            WaterClass::WorseThanV => "worse than V",
        };
        f.write_str(label)
    }
}

/// How an item's limit binds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitKind {
    /// The value must be at most the limit (most items).
    Max,
    /// The value must be at least the limit (dissolved oxygen).
    Min,
    /// The value must lie within a range, the same in every class (pH 6–9).
    Range,
    /// Documented but not evaluable (water temperature).
    None,
}

/// The unit of an item's values and limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Unit {
    /// Milligrams per litre.
    #[serde(rename = "mg/L")]
    MgPerL,
    /// No unit (pH).
    #[serde(rename = "dimensionless")]
    Dimensionless,
    /// Organisms counted per litre (fecal coliform, 个/L).
    #[serde(rename = "count/L")]
    CountPerL,
    /// Degrees Celsius (water temperature).
    #[serde(rename = "°C")]
    DegreeCelsius,
}

impl Unit {
    /// The unit as written in `gb3838.toml` and in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::MgPerL => "mg/L",
            Unit::Dimensionless => "dimensionless",
            Unit::CountPerL => "count/L",
            Unit::DegreeCelsius => "°C",
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The limits of one item, checked against its table and kind when the file is parsed.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Limits {
    /// Table 1, kinds max and min: limits of classes I to V [item unit].
    Classes([f64; N_CLASSES]),
    /// Tables 2 and 3: one upper limit, whatever the class [item unit].
    Single(f64),
    /// pH: the range every class requires [dimensionless].
    Range { low: f64, high: f64 },
    /// Water temperature: nothing to compare against.
    NotEvaluable,
}

/// One item (monitoring factor) of GB 3838-2002.
///
/// Items are built only by validating `gb3838.toml`, so `kind` and the limits always agree.
#[derive(Debug, PartialEq)]
pub struct Item {
    /// Stable snake_case identifier, e.g. `"ammonia_nitrogen"`.
    pub id: String,
    /// English name.
    pub name: String,
    /// Chinese name, as in the standard.
    pub name_zh: String,
    /// The standard's table: 1 (basic items), 2 (supplementary) or 3 (specific items).
    pub table: u8,
    /// Unit of values and limits: mg/L for concentrations, count/L for fecal coliform.
    pub unit: Unit,
    /// How the limit binds.
    pub kind: LimitKind,
    limits: Limits,
}

impl Item {
    /// Limits of classes I to V [item unit]: Table 1 items of kind max or min.
    pub fn class_limits(&self) -> Option<[f64; N_CLASSES]> {
        match self.limits {
            Limits::Classes(limits) => Some(limits),
            _ => None,
        }
    }

    /// The one limit of a Table 2 or 3 item [item unit].
    pub fn single_limit(&self) -> Option<f64> {
        match self.limits {
            Limits::Single(limit) => Some(limit),
            _ => None,
        }
    }

    /// The `(low, high)` range of a range item (pH) [item unit].
    pub fn range(&self) -> Option<(f64, f64)> {
        match self.limits {
            Limits::Range { low, high } => Some((low, high)),
            _ => None,
        }
    }

    /// The limit that applies at the target class, in the item's unit (mg/L except for
    /// fecal coliform, in count/L): that class's limit for Table 1, the single limit for
    /// Tables 2 and 3. `None` for worse than V and for range and unlimited items.
    pub fn limit_mg_l(&self, target: WaterClass) -> Option<f64> {
        let class_idx = target.limit_idx()?;
        match self.limits {
            Limits::Classes(limits) => Some(limits[class_idx]),
            Limits::Single(limit) => Some(limit),
            Limits::Range { .. } | Limits::NotEvaluable => None,
        }
    }

    /// Single-factor evaluation of one measured value [item unit].
    ///
    /// Table 1 items give their class; Tables 2 and 3 items are compliant or exceed their
    /// limit; water temperature is not evaluable. The value must be finite and, except for
    /// water temperature, non-negative.
    pub fn evaluate(&self, value: f64) -> Result<Evaluation, EvaluationError> {
        self.check_value(value)?;
        let evaluation = match self.limits {
            Limits::Classes(limits) => Evaluation::Class(self.class_of(&limits, value)),
            Limits::Single(limit) if value <= limit => Evaluation::Compliant,
            Limits::Single(limit) => Evaluation::Exceeds { ratio: value / limit },
            Limits::Range { low, high } if (low..=high).contains(&value) => Evaluation::Class(WaterClass::I),
            Limits::Range { .. } => Evaluation::Class(WaterClass::WorseThanV),
            Limits::NotEvaluable => Evaluation::NotEvaluable,
        };
        Ok(evaluation)
    }

    /// How many times the value is its limit at the target class: value / limit, or
    /// limit / value for dissolved oxygen (a floor), so that above 1 means not met.
    ///
    /// This is the ratio, not the "times over" of Chinese reports (超标倍数 = ratio − 1).
    /// Dissolved oxygen at 0 mg/L gives an infinite ratio. `None` when no limit applies
    /// (see [`Item::limit_mg_l`]) or the value is invalid.
    pub fn exceedance_ratio(&self, value: f64, target: WaterClass) -> Option<f64> {
        self.check_value(value).ok()?;
        let limit = self.limit_mg_l(target)?;
        match self.kind {
            LimitKind::Min => Some(limit / value),
            _ => Some(value / limit),
        }
    }

    /// The best class whose limit the value meets.
    fn class_of(&self, limits: &[f64; N_CLASSES], value: f64) -> WaterClass {
        let meets = |limit: f64| match self.kind {
            LimitKind::Min => value >= limit,
            _ => value <= limit,
        };
        WaterClass::LIMITED
            .into_iter()
            .zip(limits.iter())
            .find(|&(_, &limit)| meets(limit))
            .map_or(WaterClass::WorseThanV, |(class, _)| class)
    }

    fn check_value(&self, value: f64) -> Result<(), EvaluationError> {
        let may_be_negative = self.kind == LimitKind::None;
        if value.is_finite() && (may_be_negative || value >= 0.0) {
            Ok(())
        } else {
            Err(EvaluationError::InvalidValue {
                id: self.id.clone(),
                value,
            })
        }
    }
}

/// The single-factor result for one measured value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Evaluation {
    /// Table 1: the best class whose limit the value meets.
    Class(WaterClass),
    /// Tables 2 and 3: at or below the limit.
    Compliant,
    /// Tables 2 and 3: above the limit, `ratio` = value / limit (> 1).
    Exceeds { ratio: f64 },
    /// Water temperature: no numeric limit.
    NotEvaluable,
}

impl Evaluation {
    /// The class, for Table 1 results.
    pub fn class(self) -> Option<WaterClass> {
        match self {
            Evaluation::Class(class) => Some(class),
            _ => None,
        }
    }
}

/// One factor of a sample with its result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactorEvaluation {
    /// Item id.
    pub id: String,
    /// Measured value [item unit].
    pub value: f64,
    pub evaluation: Evaluation,
}

/// A Table 2 or 3 factor above its limit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Exceedance {
    /// Item id.
    pub id: String,
    /// Measured value [item unit].
    pub value: f64,
    /// The item's limit [item unit].
    pub limit: f64,
    /// value / limit (> 1).
    pub ratio: f64,
}

/// The single-factor evaluation of a sample. Every list is sorted by item id.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SampleEvaluation {
    /// The worst class among the Table 1 factors; `None` when the sample has no
    /// evaluable Table 1 factor.
    pub class: Option<WaterClass>,
    /// Ids of the Table 1 factors whose class is the sample's class.
    pub determining_factors: Vec<String>,
    /// Table 2 and 3 factors above their limit.
    pub exceedances: Vec<Exceedance>,
    /// Every factor of the sample with its result.
    pub factors: Vec<FactorEvaluation>,
}

/// Why a value or a sample could not be evaluated.
#[derive(Debug, Clone, PartialEq)]
pub enum EvaluationError {
    /// The id names no item of the standard.
    UnknownItem { id: String },
    /// The value is not finite, or negative where that is impossible.
    InvalidValue { id: String, value: f64 },
    /// The sample gives the item twice.
    DuplicateItem { id: String },
}

impl fmt::Display for EvaluationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EvaluationError::UnknownItem { id } => {
                write!(f, "unknown item `{id}` (not in GB 3838-2002 tables)")
            }
            EvaluationError::InvalidValue { id, value } => {
                write!(
                    f,
                    "invalid value {value} for item `{id}`: must be finite and non-negative"
                )
            }
            EvaluationError::DuplicateItem { id } => {
                write!(f, "item `{id}` given more than once in one sample")
            }
        }
    }
}

impl std::error::Error for EvaluationError {}

/// The GB 3838-2002 items, sorted by id.
#[derive(Debug)]
pub struct Gb3838 {
    items: Vec<Item>,
}

impl Gb3838 {
    /// The standard as embedded from `resources/gb3838.toml`, parsed on first use.
    ///
    /// # Panics
    ///
    /// If the embedded file is invalid: a programmer error that the tests catch.
    pub fn builtin() -> &'static Gb3838 {
        static BUILTIN: OnceLock<Gb3838> = OnceLock::new();
        BUILTIN.get_or_init(|| match Gb3838::parse(GB3838_TOML) {
            Ok(gb) => gb,
            Err(problems) => panic!(
                "the embedded resources/gb3838.toml is invalid:\n{}",
                problems.join("\n")
            ),
        })
    }

    /// The item with this id.
    pub fn get(&self, id: &str) -> Option<&Item> {
        let item_idx = self.items.binary_search_by(|item| item.id.as_str().cmp(id)).ok()?;
        Some(&self.items[item_idx])
    }

    /// Every item, sorted by id.
    pub fn items(&self) -> &[Item] {
        &self.items
    }

    /// Parses and validates the reference file, collecting every problem, each located
    /// by line.
    fn parse(text: &str) -> Result<Gb3838, Vec<String>> {
        let raw: RawFile = toml::from_str(text).map_err(|error| vec![error.to_string()])?;
        let mut problems = Vec::new();
        let mut items = Vec::with_capacity(raw.item.len());
        for spanned in raw.item {
            let line = 1 + text[..spanned.span().start].matches('\n').count();
            let raw_item = spanned.into_inner();
            match raw_item.validate() {
                Ok(item) => items.push(item),
                Err(item_problems) => problems.extend(
                    item_problems
                        .into_iter()
                        .map(|problem| format!("line {line}: item `{}`: {problem}", raw_item.id)),
                ),
            }
        }
        items.sort_by(|a, b| a.id.cmp(&b.id));
        for pair in items.windows(2) {
            if pair[0].id == pair[1].id {
                problems.push(format!("item `{}` is defined more than once", pair[0].id));
            }
        }
        if problems.is_empty() {
            Ok(Gb3838 { items })
        } else {
            Err(problems)
        }
    }
}

/// Single-factor evaluation of a sample given as `(item id, value)` pairs.
///
/// The sample's class is its worst Table 1 factor's; the determining factors are the
/// Table 1 factors at that class. Table 2 and 3 factors above their limit are listed as
/// exceedances. Errors come in input order: an unknown id or invalid value first, then
/// an item given twice.
pub fn sample_class(gb: &Gb3838, results: &[(&str, f64)]) -> Result<SampleEvaluation, EvaluationError> {
    let mut evaluated: Vec<(&Item, f64, Evaluation)> = Vec::with_capacity(results.len());
    for &(id, value) in results {
        let item = gb
            .get(id)
            .ok_or_else(|| EvaluationError::UnknownItem { id: id.to_owned() })?;
        evaluated.push((item, value, item.evaluate(value)?));
    }
    evaluated.sort_by(|a, b| a.0.id.cmp(&b.0.id));
    if let Some(pair) = evaluated.windows(2).find(|pair| pair[0].0.id == pair[1].0.id) {
        return Err(EvaluationError::DuplicateItem {
            id: pair[0].0.id.clone(),
        });
    }

    let class = evaluated
        .iter()
        .filter_map(|(_, _, evaluation)| evaluation.class())
        .max();
    let determining_factors = evaluated
        .iter()
        .filter(|(_, _, evaluation)| class.is_some() && evaluation.class() == class)
        .map(|(item, _, _)| item.id.clone())
        .collect();
    let exceedances = evaluated
        .iter()
        .filter_map(|&(item, value, evaluation)| match evaluation {
            Evaluation::Exceeds { ratio } => Some(Exceedance {
                id: item.id.clone(),
                value,
                limit: item.single_limit()?,
                ratio,
            }),
            _ => None,
        })
        .collect();
    let factors = evaluated
        .iter()
        .map(|&(item, value, evaluation)| FactorEvaluation {
            id: item.id.clone(),
            value,
            evaluation,
        })
        .collect();
    Ok(SampleEvaluation {
        class,
        determining_factors,
        exceedances,
        factors,
    })
}

/// `gb3838.toml` as written, before validation.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    item: Vec<toml::Spanned<RawItem>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    id: String,
    name: String,
    name_zh: String,
    table: u8,
    unit: Unit,
    kind: LimitKind,
    class_limits: Option<Vec<f64>>,
    limit: Option<f64>,
    range: Option<Vec<f64>>,
}

impl RawItem {
    /// Checks the item and builds it, collecting every problem.
    fn validate(&self) -> Result<Item, Vec<String>> {
        let mut problems = Vec::new();
        let id_is_snake_case = self.id.starts_with(|c: char| c.is_ascii_lowercase())
            && self
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !id_is_snake_case {
            problems.push("id must be snake_case".to_owned());
        }
        if self.name.trim().is_empty() || self.name_zh.trim().is_empty() {
            problems.push("name and name_zh must not be empty".to_owned());
        }
        let limits = match self.table {
            1 => self.table_1_limits(&mut problems),
            2 | 3 => self.single_limit(&mut problems),
            table => {
                problems.push(format!("table must be 1, 2 or 3, not {table}"));
                None
            }
        };
        match limits {
            Some(limits) if problems.is_empty() => Ok(Item {
                id: self.id.clone(),
                name: self.name.clone(),
                name_zh: self.name_zh.clone(),
                table: self.table,
                unit: self.unit,
                kind: self.kind,
                limits,
            }),
            _ => Err(problems),
        }
    }

    fn table_1_limits(&self, problems: &mut Vec<String>) -> Option<Limits> {
        self.forbid(problems, "limit", self.limit.is_some());
        match self.kind {
            LimitKind::Max | LimitKind::Min => {
                self.forbid(problems, "range", self.range.is_some());
                self.class_limits(problems)
            }
            LimitKind::Range => {
                self.forbid(problems, "class_limits", self.class_limits.is_some());
                self.range(problems)
            }
            LimitKind::None => {
                self.forbid(problems, "class_limits", self.class_limits.is_some());
                self.forbid(problems, "range", self.range.is_some());
                Some(Limits::NotEvaluable)
            }
        }
    }

    fn class_limits(&self, problems: &mut Vec<String>) -> Option<Limits> {
        let Some(values) = &self.class_limits else {
            problems.push("class_limits is required for a table 1 max or min item".to_owned());
            return None;
        };
        let Ok(limits) = <[f64; N_CLASSES]>::try_from(values.as_slice()) else {
            problems.push(format!(
                "class_limits must have {N_CLASSES} values (I to V), not {}",
                values.len()
            ));
            return None;
        };
        if !limits.iter().all(|&limit| limit.is_finite() && limit > 0.0) {
            problems.push("class_limits must be finite and positive".to_owned());
        }
        // A worse class never has a stricter limit: ceilings rise, floors fall.
        let monotone = limits.windows(2).all(|pair| match self.kind {
            LimitKind::Min => pair[0] >= pair[1],
            _ => pair[0] <= pair[1],
        });
        if !monotone {
            problems.push(
                match self.kind {
                    LimitKind::Min => "class_limits of a min item must not increase from I to V",
                    _ => "class_limits of a max item must not decrease from I to V",
                }
                .to_owned(),
            );
        }
        Some(Limits::Classes(limits))
    }

    fn range(&self, problems: &mut Vec<String>) -> Option<Limits> {
        match self.range.as_deref() {
            Some(&[low, high]) if low.is_finite() && high.is_finite() && low < high => {
                Some(Limits::Range { low, high })
            }
            _ => {
                problems.push("range must be [low, high] with finite low < high".to_owned());
                None
            }
        }
    }

    fn single_limit(&self, problems: &mut Vec<String>) -> Option<Limits> {
        self.forbid(problems, "class_limits", self.class_limits.is_some());
        self.forbid(problems, "range", self.range.is_some());
        if self.kind != LimitKind::Max {
            problems.push("table 2 and 3 items must be of kind \"max\"".to_owned());
        }
        match self.limit {
            Some(limit) if limit.is_finite() && limit > 0.0 => Some(Limits::Single(limit)),
            Some(_) => {
                problems.push("limit must be finite and positive".to_owned());
                None
            }
            None => {
                problems.push("limit is required for a table 2 or 3 item".to_owned());
                None
            }
        }
    }

    fn forbid(&self, problems: &mut Vec<String>, field: &str, present: bool) {
        if present {
            problems.push(format!(
                "{field} does not apply to a table {} item of kind {:?}",
                self.table, self.kind
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str) -> &'static Item {
        Gb3838::builtin().get(id).unwrap_or_else(|| panic!("no item `{id}`"))
    }

    fn class_of(id: &str, value: f64) -> WaterClass {
        let evaluation = item(id).evaluate(value).unwrap();
        evaluation
            .class()
            .unwrap_or_else(|| panic!("`{id}` at {value} gave {evaluation:?}"))
    }

    fn table_ids(table: u8) -> Vec<&'static str> {
        Gb3838::builtin()
            .items()
            .iter()
            .filter(|item| item.table == table)
            .map(|item| item.id.as_str())
            .collect()
    }

    /// A minimal valid file with one extra item appended, to test validation.
    fn parse_with(extra_item: &str) -> Result<Gb3838, Vec<String>> {
        Gb3838::parse(&format!(
            "[[item]]\nid = \"ph\"\nname = \"pH\"\nname_zh = \"pH值\"\ntable = 1\n\
             unit = \"dimensionless\"\nkind = \"range\"\nrange = [6.0, 9.0]\n\n{extra_item}"
        ))
    }

    #[test]
    fn builtin_parses_with_sorted_unique_ids() {
        let problems = Gb3838::parse(GB3838_TOML).err();
        assert_eq!(problems, None);
        let ids: Vec<&str> = Gb3838::builtin().items().iter().map(|item| item.id.as_str()).collect();
        assert!(ids.windows(2).all(|pair| pair[0] < pair[1]), "{ids:?}");
    }

    #[test]
    fn table_1_has_24_items_as_25_entries_with_total_phosphorus_twice() {
        let mut expected = vec![
            "water_temperature",
            "ph",
            "dissolved_oxygen",
            "permanganate_index",
            "chemical_oxygen_demand",
            "biochemical_oxygen_demand",
            "ammonia_nitrogen",
            "total_phosphorus_river",
            "total_phosphorus_lake",
            "total_nitrogen_lake",
            "copper",
            "zinc",
            "fluoride",
            "selenium",
            "arsenic",
            "mercury",
            "cadmium",
            "chromium_hexavalent",
            "lead",
            "cyanide",
            "volatile_phenol",
            "petroleum",
            "anionic_surfactant",
            "sulfide",
            "fecal_coliform",
        ];
        expected.sort_unstable();
        assert_eq!(table_ids(1), expected);
        assert_eq!(table_ids(1).len(), 25);
        let n_phosphorus = table_ids(1)
            .iter()
            .filter(|id| id.starts_with("total_phosphorus_"))
            .count();
        assert_eq!(n_phosphorus, 2);
    }

    #[test]
    fn tables_2_and_3_hold_the_drinking_source_items() {
        let mut table_2 = vec!["sulfate", "chloride", "nitrate_nitrogen", "iron", "manganese"];
        table_2.sort_unstable();
        assert_eq!(table_ids(2), table_2);
        let mut table_3 = vec![
            "antimony",
            "nickel",
            "thallium",
            "molybdenum",
            "cobalt",
            "beryllium",
            "boron",
            "barium",
            "vanadium",
            "titanium",
            "benzene",
            "toluene",
            "nitrobenzene",
            "aniline",
            "chloroform",
        ];
        table_3.sort_unstable();
        assert_eq!(table_ids(3), table_3);
        assert_eq!(Gb3838::builtin().items().len(), 25 + 5 + 15);
    }

    #[test]
    fn table_1_limits_match_the_domain_reference() {
        // Transcribed from GB 3838-2002 by hand, independently of gb3838.toml.
        let expected: [(&str, LimitKind, [f64; 5]); 23] = [
            ("dissolved_oxygen", LimitKind::Min, [7.5, 6.0, 5.0, 3.0, 2.0]),
            ("permanganate_index", LimitKind::Max, [2.0, 4.0, 6.0, 10.0, 15.0]),
            ("chemical_oxygen_demand", LimitKind::Max, [15.0, 15.0, 20.0, 30.0, 40.0]),
            ("biochemical_oxygen_demand", LimitKind::Max, [3.0, 3.0, 4.0, 6.0, 10.0]),
            ("ammonia_nitrogen", LimitKind::Max, [0.15, 0.5, 1.0, 1.5, 2.0]),
            ("total_phosphorus_river", LimitKind::Max, [0.02, 0.1, 0.2, 0.3, 0.4]),
            ("total_phosphorus_lake", LimitKind::Max, [0.01, 0.025, 0.05, 0.1, 0.2]),
            ("total_nitrogen_lake", LimitKind::Max, [0.2, 0.5, 1.0, 1.5, 2.0]),
            ("copper", LimitKind::Max, [0.01, 1.0, 1.0, 1.0, 1.0]),
            ("zinc", LimitKind::Max, [0.05, 1.0, 1.0, 2.0, 2.0]),
            ("fluoride", LimitKind::Max, [1.0, 1.0, 1.0, 1.5, 1.5]),
            ("selenium", LimitKind::Max, [0.01, 0.01, 0.01, 0.02, 0.02]),
            ("arsenic", LimitKind::Max, [0.05, 0.05, 0.05, 0.1, 0.1]),
            ("mercury", LimitKind::Max, [0.00005, 0.00005, 0.0001, 0.001, 0.001]),
            ("cadmium", LimitKind::Max, [0.001, 0.005, 0.005, 0.005, 0.01]),
            ("chromium_hexavalent", LimitKind::Max, [0.01, 0.05, 0.05, 0.05, 0.1]),
            ("lead", LimitKind::Max, [0.01, 0.01, 0.05, 0.05, 0.1]),
            ("cyanide", LimitKind::Max, [0.005, 0.05, 0.2, 0.2, 0.2]),
            ("volatile_phenol", LimitKind::Max, [0.002, 0.002, 0.005, 0.01, 0.1]),
            ("petroleum", LimitKind::Max, [0.05, 0.05, 0.05, 0.5, 1.0]),
            ("anionic_surfactant", LimitKind::Max, [0.2, 0.2, 0.2, 0.3, 0.3]),
            ("sulfide", LimitKind::Max, [0.05, 0.1, 0.2, 0.5, 1.0]),
            (
                "fecal_coliform",
                LimitKind::Max,
                [200.0, 2000.0, 10000.0, 20000.0, 40000.0],
            ),
        ];
        for (id, kind, limits) in expected {
            assert_eq!(item(id).kind, kind, "{id}");
            assert_eq!(item(id).class_limits(), Some(limits), "{id}");
        }
        // With pH and water temperature, that is every Table 1 entry.
        assert_eq!(expected.len() + 2, table_ids(1).len());
    }

    #[test]
    fn tables_2_and_3_limits_match_the_domain_reference() {
        let expected = [
            ("sulfate", 250.0),
            ("chloride", 250.0),
            ("nitrate_nitrogen", 10.0),
            ("iron", 0.3),
            ("manganese", 0.1),
            ("antimony", 0.005),
            ("nickel", 0.02),
            ("thallium", 0.0001),
            ("molybdenum", 0.07),
            ("cobalt", 1.0),
            ("beryllium", 0.002),
            ("boron", 0.5),
            ("barium", 0.7),
            ("vanadium", 0.05),
            ("titanium", 0.1),
            ("benzene", 0.01),
            ("toluene", 0.7),
            ("nitrobenzene", 0.017),
            ("aniline", 0.1),
            ("chloroform", 0.06),
        ];
        for (id, limit) in expected {
            assert_eq!(item(id).kind, LimitKind::Max, "{id}");
            assert_eq!(item(id).single_limit(), Some(limit), "{id}");
            assert_eq!(item(id).unit, Unit::MgPerL, "{id}");
        }
    }

    #[test]
    fn units_and_kinds_of_the_special_items() {
        assert_eq!(item("ph").unit, Unit::Dimensionless);
        assert_eq!(item("ph").kind, LimitKind::Range);
        assert_eq!(item("ph").range(), Some((6.0, 9.0)));
        assert_eq!(item("water_temperature").unit, Unit::DegreeCelsius);
        assert_eq!(item("water_temperature").kind, LimitKind::None);
        assert_eq!(item("fecal_coliform").unit, Unit::CountPerL);
        assert_eq!(item("dissolved_oxygen").kind, LimitKind::Min);
        assert_eq!(item("antimony").name_zh, "锑");
    }

    #[test]
    fn table_1_ceilings_never_decrease_and_floors_never_increase() {
        for item in Gb3838::builtin().items() {
            let Some(limits) = item.class_limits() else {
                continue;
            };
            let monotone = match item.kind {
                LimitKind::Max => limits.windows(2).all(|pair| pair[0] <= pair[1]),
                LimitKind::Min => limits.windows(2).all(|pair| pair[0] >= pair[1]),
                kind => panic!("`{}` of kind {kind:?} has class limits", item.id),
            };
            assert!(monotone, "`{}`: {limits:?}", item.id);
        }
    }

    #[test]
    fn ammonia_nitrogen_class_boundaries() {
        let cases = [
            (0.0, WaterClass::I),
            (0.15, WaterClass::I),
            (0.16, WaterClass::II),
            (0.5, WaterClass::II),
            (0.51, WaterClass::III),
            (1.0, WaterClass::III),
            (1.01, WaterClass::IV),
            (1.5, WaterClass::IV),
            (1.51, WaterClass::V),
            (2.0, WaterClass::V),
            (2.01, WaterClass::WorseThanV),
            (50.0, WaterClass::WorseThanV),
        ];
        for (value, class) in cases {
            assert_eq!(class_of("ammonia_nitrogen", value), class, "at {value}");
        }
    }

    #[test]
    fn every_table_1_boundary_is_met_at_the_limit_and_missed_just_beyond() {
        for item in Gb3838::builtin().items() {
            let Some(limits) = item.class_limits() else {
                continue;
            };
            for (class_idx, &limit) in limits.iter().enumerate() {
                // Equal limits (COD I and II) give the best class sharing the limit.
                let best_idx = limits.iter().position(|&other| other == limit).unwrap();
                assert_eq!(
                    item.evaluate(limit),
                    Ok(Evaluation::Class(WaterClass::LIMITED[best_idx])),
                    "`{}` at the class {} limit",
                    item.id,
                    WaterClass::LIMITED[class_idx]
                );
                let (beyond, next_idx) = match item.kind {
                    LimitKind::Min => (limit.next_down(), limits.iter().position(|&l| l < limit)),
                    _ => (limit.next_up(), limits.iter().position(|&l| l > limit)),
                };
                let expected = next_idx.map_or(WaterClass::WorseThanV, |idx| WaterClass::LIMITED[idx]);
                assert_eq!(
                    item.evaluate(beyond),
                    Ok(Evaluation::Class(expected)),
                    "`{}` just beyond {limit}",
                    item.id
                );
            }
        }
    }

    #[test]
    fn cod_classes_i_and_ii_share_15() {
        assert_eq!(class_of("chemical_oxygen_demand", 15.0), WaterClass::I);
        assert_eq!(class_of("chemical_oxygen_demand", 15.5), WaterClass::III);
        assert_eq!(class_of("chemical_oxygen_demand", 40.0), WaterClass::V);
        assert_eq!(class_of("chemical_oxygen_demand", 41.0), WaterClass::WorseThanV);
    }

    #[test]
    fn dissolved_oxygen_is_a_floor() {
        let cases = [
            (9.0, WaterClass::I),
            (7.5, WaterClass::I),
            (7.4, WaterClass::II),
            (6.0, WaterClass::II),
            (5.0, WaterClass::III),
            (3.0, WaterClass::IV),
            (2.0, WaterClass::V),
            (1.9, WaterClass::WorseThanV),
            (0.0, WaterClass::WorseThanV),
        ];
        for (value, class) in cases {
            assert_eq!(class_of("dissolved_oxygen", value), class, "at {value}");
        }
    }

    #[test]
    fn ph_within_6_to_9_is_class_i_and_outside_is_worse_than_v() {
        for value in [6.0, 7.2, 9.0] {
            assert_eq!(class_of("ph", value), WaterClass::I, "at {value}");
        }
        for value in [0.0, 5.9, 9.1, 14.0] {
            assert_eq!(class_of("ph", value), WaterClass::WorseThanV, "at {value}");
        }
    }

    #[test]
    fn mercury_tiny_limits() {
        assert_eq!(class_of("mercury", 0.00003), WaterClass::I);
        assert_eq!(class_of("mercury", 0.00005), WaterClass::I);
        assert_eq!(class_of("mercury", 0.00006), WaterClass::III);
        assert_eq!(class_of("mercury", 0.0001), WaterClass::III);
        assert_eq!(class_of("mercury", 0.0002), WaterClass::IV);
        assert_eq!(class_of("mercury", 0.001), WaterClass::IV);
        assert_eq!(class_of("mercury", 0.0011), WaterClass::WorseThanV);
    }

    #[test]
    fn fecal_coliform_counts_per_litre() {
        assert_eq!(class_of("fecal_coliform", 200.0), WaterClass::I);
        assert_eq!(class_of("fecal_coliform", 201.0), WaterClass::II);
        assert_eq!(class_of("fecal_coliform", 10000.0), WaterClass::III);
        assert_eq!(class_of("fecal_coliform", 40000.0), WaterClass::V);
        assert_eq!(class_of("fecal_coliform", 40001.0), WaterClass::WorseThanV);
    }

    #[test]
    fn antimony_is_compliant_at_its_limit_and_exceeds_above() {
        let antimony = item("antimony");
        assert_eq!(antimony.evaluate(0.005), Ok(Evaluation::Compliant));
        assert_eq!(antimony.evaluate(0.0), Ok(Evaluation::Compliant));
        let Ok(Evaluation::Exceeds { ratio }) = antimony.evaluate(0.0051) else {
            panic!("0.0051 mg/L of antimony should exceed 0.005");
        };
        assert!((ratio - 1.02).abs() < 1e-12, "{ratio}");
        // The July 2014 measurement at a drinking source.
        assert!(matches!(antimony.evaluate(0.00502), Ok(Evaluation::Exceeds { .. })));
    }

    #[test]
    fn water_temperature_is_not_evaluable() {
        let temperature = item("water_temperature");
        assert_eq!(temperature.evaluate(25.0), Ok(Evaluation::NotEvaluable));
        assert_eq!(temperature.evaluate(-0.5), Ok(Evaluation::NotEvaluable));
        assert_eq!(temperature.limit_mg_l(WaterClass::III), None);
        assert_eq!(temperature.exceedance_ratio(25.0, WaterClass::III), None);
    }

    #[test]
    fn invalid_values_are_errors() {
        for value in [-0.1, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let Err(EvaluationError::InvalidValue { id, .. }) = item("ammonia_nitrogen").evaluate(value) else {
                panic!("{value} should be invalid");
            };
            assert_eq!(id, "ammonia_nitrogen");
        }
        assert!(item("water_temperature").evaluate(f64::NAN).is_err());
        assert_eq!(item("antimony").exceedance_ratio(-1.0, WaterClass::III), None);
    }

    #[test]
    fn limit_at_a_target_class() {
        let ammonia = item("ammonia_nitrogen");
        assert_eq!(ammonia.limit_mg_l(WaterClass::I), Some(0.15));
        assert_eq!(ammonia.limit_mg_l(WaterClass::III), Some(1.0));
        assert_eq!(ammonia.limit_mg_l(WaterClass::V), Some(2.0));
        assert_eq!(ammonia.limit_mg_l(WaterClass::WorseThanV), None);
        for class in WaterClass::LIMITED {
            assert_eq!(item("antimony").limit_mg_l(class), Some(0.005));
        }
        assert_eq!(item("antimony").limit_mg_l(WaterClass::WorseThanV), None);
        assert_eq!(item("ph").limit_mg_l(WaterClass::I), None);
        assert_eq!(item("dissolved_oxygen").limit_mg_l(WaterClass::III), Some(5.0));
    }

    #[test]
    fn exceedance_ratio_inverts_for_dissolved_oxygen() {
        let ammonia = item("ammonia_nitrogen");
        assert_eq!(ammonia.exceedance_ratio(3.0, WaterClass::III), Some(3.0));
        assert_eq!(ammonia.exceedance_ratio(0.5, WaterClass::III), Some(0.5));
        let oxygen = item("dissolved_oxygen");
        assert_eq!(oxygen.exceedance_ratio(2.5, WaterClass::III), Some(2.0));
        assert_eq!(oxygen.exceedance_ratio(10.0, WaterClass::III), Some(0.5));
        assert_eq!(oxygen.exceedance_ratio(0.0, WaterClass::III), Some(f64::INFINITY));
        assert_eq!(item("antimony").exceedance_ratio(0.01, WaterClass::II), Some(2.0));
        assert_eq!(item("ph").exceedance_ratio(10.0, WaterClass::III), None);
        assert_eq!(ammonia.exceedance_ratio(3.0, WaterClass::WorseThanV), None);
    }

    #[test]
    fn the_worst_factor_decides_the_sample_class() {
        let sample = [
            ("dissolved_oxygen", 6.5),
            ("ph", 7.4),
            ("ammonia_nitrogen", 1.2),
            ("chemical_oxygen_demand", 18.0),
            ("total_phosphorus_river", 0.12),
            ("water_temperature", 24.0),
        ];
        let evaluation = sample_class(Gb3838::builtin(), &sample).unwrap();
        assert_eq!(evaluation.class, Some(WaterClass::IV));
        assert_eq!(evaluation.determining_factors, ["ammonia_nitrogen"]);
        assert!(evaluation.exceedances.is_empty());
        let factor_ids: Vec<&str> = evaluation.factors.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(
            factor_ids,
            [
                "ammonia_nitrogen",
                "chemical_oxygen_demand",
                "dissolved_oxygen",
                "ph",
                "total_phosphorus_river",
                "water_temperature"
            ]
        );
        assert_eq!(evaluation.factors[5].evaluation, Evaluation::NotEvaluable);
    }

    #[test]
    fn sample_lists_every_determining_factor_and_drinking_source_exceedances() {
        let sample = [
            ("antimony", 0.0102),
            ("dissolved_oxygen", 1.5),
            ("ph", 9.5),
            ("permanganate_index", 5.0),
            ("iron", 0.2),
        ];
        let evaluation = sample_class(Gb3838::builtin(), &sample).unwrap();
        assert_eq!(evaluation.class, Some(WaterClass::WorseThanV));
        assert_eq!(evaluation.determining_factors, ["dissolved_oxygen", "ph"]);
        assert_eq!(evaluation.exceedances.len(), 1);
        let exceedance = &evaluation.exceedances[0];
        assert_eq!((exceedance.id.as_str(), exceedance.value), ("antimony", 0.0102));
        assert_eq!(exceedance.limit, 0.005);
        assert!((exceedance.ratio - 2.04).abs() < 1e-12);
    }

    #[test]
    fn sample_of_drinking_source_items_only_has_no_class() {
        let evaluation = sample_class(Gb3838::builtin(), &[("antimony", 0.001)]).unwrap();
        assert_eq!(evaluation.class, None);
        assert!(evaluation.determining_factors.is_empty());
        assert!(evaluation.exceedances.is_empty());
        let empty = sample_class(Gb3838::builtin(), &[]).unwrap();
        assert_eq!(empty.class, None);
        assert!(empty.factors.is_empty());
    }

    #[test]
    fn sample_errors_on_unknown_item_invalid_value_and_duplicate() {
        let gb = Gb3838::builtin();
        let unknown = sample_class(gb, &[("ph", 7.0), ("unobtainium", 1.0)]).unwrap_err();
        assert_eq!(
            unknown,
            EvaluationError::UnknownItem {
                id: "unobtainium".to_owned()
            }
        );
        assert_eq!(
            unknown.to_string(),
            "unknown item `unobtainium` (not in GB 3838-2002 tables)"
        );
        let negative = sample_class(gb, &[("lead", -0.01)]).unwrap_err();
        assert_eq!(
            negative.to_string(),
            "invalid value -0.01 for item `lead`: must be finite and non-negative"
        );
        assert!(matches!(
            sample_class(gb, &[("lead", f64::NAN)]),
            Err(EvaluationError::InvalidValue { .. })
        ));
        let duplicate = sample_class(gb, &[("lead", 0.01), ("ph", 7.0), ("lead", 0.02)]).unwrap_err();
        assert_eq!(duplicate.to_string(), "item `lead` given more than once in one sample");
    }

    #[test]
    fn water_class_order_labels_and_serde_names() {
        assert!(WaterClass::I < WaterClass::II);
        assert!(WaterClass::V < WaterClass::WorseThanV);
        let all = [
            (WaterClass::I, "I", "Ⅰ类", "\"I\""),
            (WaterClass::II, "II", "Ⅱ类", "\"II\""),
            (WaterClass::III, "III", "Ⅲ类", "\"III\""),
            (WaterClass::IV, "IV", "Ⅳ类", "\"IV\""),
            (WaterClass::V, "V", "Ⅴ类", "\"V\""),
            (WaterClass::WorseThanV, "worse than V", "劣Ⅴ类", "\"worse_than_v\""),
        ];
        for (class, display, label_zh, json) in all {
            assert_eq!(class.to_string(), display);
            assert_eq!(class.label_zh(), label_zh);
            assert_eq!(serde_json::to_string(&class).unwrap(), json);
            assert_eq!(serde_json::from_str::<WaterClass>(json).unwrap(), class);
            assert_eq!(format!("\"{}\"", class.id()), json);
            assert_eq!(WaterClass::from_id(class.id()), Some(class));
        }
        assert_eq!(WaterClass::from_id("WorseThanV"), None);
        assert_eq!(WaterClass::from_id("worse than V"), None);
    }

    #[test]
    fn validation_accepts_the_minimal_file() {
        let gb = parse_with("").unwrap();
        assert_eq!(gb.items().len(), 1);
    }

    #[test]
    fn validation_rejects_decreasing_ceilings_with_the_line() {
        let problems = parse_with(
            "[[item]]\nid = \"lead\"\nname = \"Lead\"\nname_zh = \"铅\"\ntable = 1\n\
             unit = \"mg/L\"\nkind = \"max\"\nclass_limits = [0.05, 0.01, 0.05, 0.05, 0.1]\n",
        )
        .unwrap_err();
        assert_eq!(
            problems,
            ["line 10: item `lead`: class_limits of a max item must not decrease from I to V"]
        );
    }

    #[test]
    fn validation_collects_every_problem_of_an_item() {
        let problems = parse_with(
            "[[item]]\nid = \"Bad-Id\"\nname = \"\"\nname_zh = \"x\"\ntable = 2\n\
             unit = \"mg/L\"\nkind = \"min\"\nclass_limits = [1.0, 2.0, 3.0, 4.0, 5.0]\n",
        )
        .unwrap_err();
        assert_eq!(problems.len(), 5, "{problems:#?}");
        assert!(problems.iter().all(|p| p.starts_with("line 10: item `Bad-Id`: ")));
    }

    #[test]
    fn validation_rejects_wrong_limit_shapes_and_duplicates() {
        let four_limits = parse_with(
            "[[item]]\nid = \"zinc\"\nname = \"Zinc\"\nname_zh = \"锌\"\ntable = 1\n\
             unit = \"mg/L\"\nkind = \"max\"\nclass_limits = [0.05, 1.0, 1.0, 2.0]\n",
        )
        .unwrap_err();
        assert_eq!(
            four_limits,
            ["line 10: item `zinc`: class_limits must have 5 values (I to V), not 4"]
        );
        let duplicate = parse_with(
            "[[item]]\nid = \"ph\"\nname = \"pH\"\nname_zh = \"pH值\"\ntable = 1\n\
             unit = \"dimensionless\"\nkind = \"range\"\nrange = [6.0, 9.0]\n",
        )
        .unwrap_err();
        assert_eq!(duplicate, ["item `ph` is defined more than once"]);
        let missing_limit = parse_with(
            "[[item]]\nid = \"iron\"\nname = \"Iron\"\nname_zh = \"铁\"\ntable = 2\n\
             unit = \"mg/L\"\nkind = \"max\"\n",
        )
        .unwrap_err();
        assert_eq!(
            missing_limit,
            ["line 10: item `iron`: limit is required for a table 2 or 3 item"]
        );
    }

    #[test]
    fn validation_rejects_unknown_fields() {
        let problems = parse_with(
            "[[item]]\nid = \"iron\"\nname = \"Iron\"\nname_zh = \"铁\"\ntable = 2\n\
             unit = \"mg/L\"\nkind = \"max\"\nlimit = 0.3\nlimt = 0.3\n",
        )
        .unwrap_err();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("unknown field `limt`"), "{}", problems[0]);
    }
}
