//! Parse-then-validate: raw TOML structs become a checked [`Scenario`], and every problem
//! found on the way is collected with its place in the file.

use super::raw::*;
use super::raw_ops::*;
use super::validate_ops;
use super::*;
use crate::drill::text::{Arg, Text};
use crate::standards::{Gb3838, WaterClass};
use petgraph::algo::toposort;
use petgraph::graph::DiGraph;
use serde::de::DeserializeOwned;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

/// Largest number of entries in any one list of a scenario.
const ENTRIES_MAX: usize = 100_000;
/// Longest reach accepted [m]; beyond it a unit mistake is more likely than a river.
const REACH_LENGTH_MAX_M: f64 = 1_000_000.0;

const SECTIONS: &[&str] = &[
    "extends",
    "scenario",
    "operations",
    "jurisdictions",
    "regimes",
    "pollutants",
    "nodes",
    "reaches",
    "points",
    "releases",
    "flow_changes",
    "risk_sources",
    "road_nodes",
    "roads",
    "depots",
    "candidate_sites",
    "teams",
    "incidents",
];

/// `[extends]`: this file adds to a base scenario (the loader joins the two texts).
#[derive(serde::Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub(super) struct RawExtends {
    pub base: String,
    pub name: Option<String>,
    pub description: Option<String>,
}

#[derive(Default)]
pub(super) struct RawScenario {
    pub(super) extends: Option<RawExtends>,
    pub(super) operations: Option<RawOperations>,
    pub(super) risk_sources: Vec<RawRiskSource>,
    pub(super) road_nodes: Vec<RawRoadNode>,
    pub(super) roads: Vec<RawRoad>,
    pub(super) depots: Vec<RawDepot>,
    pub(super) candidate_sites: Vec<RawCandidateSite>,
    pub(super) teams: Vec<RawTeam>,
    pub(super) incidents: Vec<RawIncident>,
    settings: Option<RawSettings>,
    jurisdictions: Vec<RawJurisdiction>,
    regimes: Vec<RawRegime>,
    pollutants: Vec<RawPollutant>,
    nodes: Vec<RawNode>,
    reaches: Vec<RawReach>,
    pub(super) points: Vec<RawPoint>,
    releases: Vec<RawRelease>,
    flow_changes: Vec<RawFlowChange>,
    /// Ids of entries that failed to parse: references to them are not reported again.
    pub(super) broken_ids: BTreeSet<String>,
    /// The `[scenario]` table was present (even if it failed to parse).
    settings_present: bool,
    /// The text is not valid TOML: nothing else can be checked.
    syntax_failed: bool,
    /// Sections with an entry that failed to parse.
    pub(super) failed_sections: BTreeSet<String>,
}

pub(super) struct Checker<'a> {
    source: &'a SourceText,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    pub(super) fn err(&mut self, span: Range<usize>, message: impl Into<String>) {
        let span = if span.is_empty() && span.start == 0 {
            None
        } else {
            Some(span)
        };
        self.problems.push(self.source.problem(span, message));
    }

    /// A problem with its English and the same as data (`Problem::text`).
    pub(super) fn err_text(&mut self, span: Range<usize>, message: impl Into<String>, text: Text) {
        self.err(span, message);
        if let Some(last) = self.problems.pop() {
            self.problems.push(last.with_text(text));
        }
    }

    pub(super) fn positive(&mut self, value: &Spanned<f64>, what: &str, owner: &str) -> f64 {
        let v = *value.get_ref();
        if !(v.is_finite() && v > 0.0) {
            self.err_text(
                value.span(),
                format!("{owner}: {what} must be positive, got {}", super::ranges::number(v)),
                field_text("sc-positive", owner, what, v),
            );
        }
        v
    }

    /// A value within its plausible range (`super::ranges`).
    pub(super) fn within(&mut self, value: &Spanned<f64>, range: super::ranges::Range, what: &str, owner: &str) -> f64 {
        let v = *value.get_ref();
        if !range.contains(v) {
            let mut text = field_text("sc-within", owner, what, v);
            text.args.extend([
                ("low", Arg::plain(super::ranges::number(range.lo))),
                ("high", Arg::plain(super::ranges::number(range.hi))),
                // The unit with its space, as `Range::describe` writes it; none for a bare number.
                (
                    "unit",
                    Arg::plain(if range.unit.is_empty() {
                        String::new()
                    } else {
                        format!(" {}", range.unit)
                    }),
                ),
            ]);
            self.err_text(
                value.span(),
                format!(
                    "{owner}: {what} must be {}, got {}",
                    range.describe(),
                    super::ranges::number(v)
                ),
                text,
            );
        }
        v
    }

    pub(super) fn non_negative(&mut self, value: &Spanned<f64>, what: &str, owner: &str) -> f64 {
        let v = *value.get_ref();
        if !(v.is_finite() && v >= 0.0) {
            self.err_text(
                value.span(),
                format!(
                    "{owner}: {what} must be zero or positive, got {}",
                    super::ranges::number(v)
                ),
                field_text("sc-non-negative", owner, what, v),
            );
        }
        v
    }

    /// A span of time in minutes: zero to one year, the longest a scenario runs.
    pub(super) fn minutes_in_year(&mut self, value: &Spanned<f64>, what: &str, owner: &str) -> f64 {
        let v = self.non_negative(value, what, owner);
        if v.is_finite() && v > SCENARIO_MINUTES_MAX {
            self.err_text(
                value.span(),
                format!("{owner}: {what} {} is beyond one year", super::ranges::number(v)),
                field_text("sc-beyond-year", owner, what, v),
            );
        }
        v
    }
}

/// The owner of a field as data: the owners this module and `validate_ops` write are
/// `KIND `ID`` (`reach `r1``), `road FROM – TO`, a section (`[scenario]`) or a bare kind
/// (`release`, `flow change`); each becomes an `sc-owner` message with the kind's id.
pub(super) fn owner_arg(owner: &str) -> Arg {
    if owner.starts_with('[') {
        return Arg::plain(owner);
    }
    if let Some((kind, rest)) = owner.split_once(" `")
        && let Some(id) = rest.strip_suffix('`')
    {
        return Arg::text(Text::new(
            "sc-owner",
            vec![("kind", kind_arg(kind)), ("id", Arg::plain(id))],
        ));
    }
    if let Some(ends) = owner.strip_prefix("road ")
        && let Some((from, to)) = ends.split_once(" – ")
    {
        return Arg::text(Text::new(
            "sc-owner-road",
            vec![("from", Arg::plain(from)), ("to", Arg::plain(to))],
        ));
    }
    kind_arg(owner)
}

/// A kind of entry (`node`, `road node`, `flow change`) as the `sc-kind` message.
pub(super) fn kind_arg(kind: &str) -> Arg {
    Arg::text(Text::new("sc-kind", vec![("kind", Arg::plain(kind.replace(' ', "_")))]))
}

/// A message about one field's value: `owner`, `what` (the field) and `value`.
pub(super) fn field_text(id: &'static str, owner: &str, what: &str, value: f64) -> Text {
    field_text_shown(id, owner, what, super::ranges::number(value))
}

/// The same, the value shown as the message writes it (`{value}`, not shortened).
pub(super) fn field_text_shown(id: &'static str, owner: &str, what: &str, value: String) -> Text {
    Text::new(
        id,
        vec![
            ("owner", owner_arg(owner)),
            ("what", Arg::plain(what)),
            ("value", Arg::Plain(value)),
        ],
    )
}

/// A message with the owner only.
fn owner_text(id: &'static str, owner: &str) -> Text {
    Text::new(id, vec![("owner", owner_arg(owner))])
}

/// A message with the owner and one value, shown as it is.
fn owner_value_text(id: &'static str, owner: &str, value: String) -> Text {
    Text::new(id, vec![("owner", owner_arg(owner)), ("value", Arg::Plain(value))])
}

/// The text of a problem serde or the TOML parser reports (missing field, unknown field,
/// a value of the wrong type), recognised by the form of serde's messages.
fn serde_text(message: &str) -> Text {
    let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    if let Some(rest) = message.strip_prefix("missing field `")
        && let Some(field) = rest.strip_suffix('`')
    {
        return Text::new("sc-missing-field", vec![("field", Arg::plain(field))]);
    }
    let unknown = if message.starts_with("unknown field `") {
        Some("sc-unknown-field")
    } else if message.starts_with("unknown variant `") {
        Some("sc-unknown-variant")
    } else {
        None
    };
    if let Some(id) = unknown
        && let Some((field, expected)) = quoted.split_first()
    {
        let count = match expected.len() {
            0 => "none",
            1 => "one",
            2 => "two",
            _ => "many",
        };
        let names: Vec<String> = expected.iter().map(|n| format!("`{n}`")).collect();
        return Text::new(
            id,
            vec![
                ("field", Arg::plain(*field)),
                ("count", Arg::plain(count)),
                ("first", Arg::plain(names.first().cloned().unwrap_or_default())),
                ("second", Arg::plain(names.get(1).cloned().unwrap_or_default())),
                ("names", Arg::plain(names.join(", "))),
            ],
        );
    }
    if let Some(detail) = message.strip_prefix("invalid type: ") {
        return Text::new("sc-invalid-type", vec![("detail", Arg::plain(detail))]);
    }
    Text::new("sc-other", vec![("detail", Arg::plain(message))])
}

pub(super) fn parse(source: &SourceText) -> Result<Scenario, ScenarioError> {
    let mut checker = Checker {
        source,
        problems: Vec::new(),
    };
    if source.text.len() > SCENARIO_BYTES_MAX {
        checker.err_text(
            0..1,
            format!("file is {} bytes; the limit is {SCENARIO_BYTES_MAX}", source.text.len()),
            Text::new(
                "sc-file-too-big",
                vec![
                    ("bytes", Arg::plain(source.text.len().to_string())),
                    ("max", Arg::plain(SCENARIO_BYTES_MAX.to_string())),
                ],
            ),
        );
        return Err(ScenarioError {
            problems: checker.problems,
        });
    }
    let raw = read_sections(&mut checker);
    let scenario = if raw.syntax_failed {
        None
    } else {
        build(&mut checker, raw)
    };
    // Problems in file order; those without a place last.
    checker.problems.sort_by_key(|p| p.offset);
    match scenario {
        Some(scenario) if checker.problems.is_empty() => Ok(scenario),
        _ => Err(ScenarioError {
            problems: checker.problems,
        }),
    }
}

/// Splits the document into sections and deserialises each entry on its own, so that one
/// bad entry does not hide the problems of the others.
fn read_sections(checker: &mut Checker<'_>) -> RawScenario {
    let mut raw = RawScenario::default();
    let (root, syntax_errors) = DeTable::parse_recoverable(&checker.source.text);
    if !syntax_errors.is_empty() {
        for e in syntax_errors {
            let detail = crate::scenario::ranges::shorten_numbers(e.message().trim());
            checker.err_text(
                e.span().unwrap_or(0..0),
                format!("syntax: {detail}"),
                Text::new("sc-syntax", vec![("detail", Arg::plain(detail))]),
            );
        }
        raw.syntax_failed = true;
        return raw;
    }
    for (key, value) in root.into_inner() {
        let span = key.span();
        match key.get_ref().as_ref() {
            "scenario" => {
                raw.settings_present = true;
                raw.settings = entry(checker, value, &mut raw.broken_ids);
            }
            "jurisdictions" => raw.jurisdictions = entries(checker, key, value, &mut raw),
            "regimes" => raw.regimes = entries(checker, key, value, &mut raw),
            "pollutants" => raw.pollutants = entries(checker, key, value, &mut raw),
            "nodes" => raw.nodes = entries(checker, key, value, &mut raw),
            "reaches" => raw.reaches = entries(checker, key, value, &mut raw),
            "points" => raw.points = entries(checker, key, value, &mut raw),
            "releases" => raw.releases = entries(checker, key, value, &mut raw),
            "flow_changes" => raw.flow_changes = entries(checker, key, value, &mut raw),
            "extends" => raw.extends = entry(checker, value, &mut raw.broken_ids),
            "operations" => raw.operations = entry(checker, value, &mut raw.broken_ids),
            "risk_sources" => raw.risk_sources = entries(checker, key, value, &mut raw),
            "road_nodes" => raw.road_nodes = entries(checker, key, value, &mut raw),
            "roads" => raw.roads = entries(checker, key, value, &mut raw),
            "depots" => raw.depots = entries(checker, key, value, &mut raw),
            "candidate_sites" => raw.candidate_sites = entries(checker, key, value, &mut raw),
            "teams" => raw.teams = entries(checker, key, value, &mut raw),
            "incidents" => raw.incidents = entries(checker, key, value, &mut raw),
            other => checker.err_text(
                span,
                format!("unknown section `{other}`, expected one of: {}", SECTIONS.join(", ")),
                Text::new(
                    "sc-unknown-section",
                    vec![("name", Arg::plain(other)), ("known", Arg::plain(SECTIONS.join(", ")))],
                ),
            ),
        }
    }
    raw
}

fn entry<T: DeserializeOwned>(
    checker: &mut Checker<'_>,
    value: Spanned<DeValue<'_>>,
    broken_ids: &mut BTreeSet<String>,
) -> Option<T> {
    let span = value.span();
    if let Some(id) = value.get_ref().get("id").and_then(|v| v.get_ref().as_str()) {
        // Remembered in case deserialisation fails below.
        broken_ids.insert(id.to_string());
    }
    match T::deserialize(ValueDeserializer::from(value)) {
        Ok(parsed) => Some(parsed),
        Err(e) => {
            let message = crate::scenario::ranges::shorten_numbers(e.message().trim());
            let text = serde_text(&message);
            checker.err_text(e.span().unwrap_or(span), message, text);
            None
        }
    }
}

fn entries<T: DeserializeOwned>(
    checker: &mut Checker<'_>,
    key: Spanned<std::borrow::Cow<'_, str>>,
    value: Spanned<DeValue<'_>>,
    raw: &mut RawScenario,
) -> Vec<T> {
    let name = key.get_ref().to_string();
    let span = value.span();
    let DeValue::Array(items) = value.into_inner() else {
        checker.err_text(
            span,
            format!("`{name}` must be a list of tables, written [[{name}]]"),
            Text::new("sc-not-a-list", vec![("name", Arg::plain(&name))]),
        );
        return Vec::new();
    };
    if items.len() > ENTRIES_MAX {
        checker.err_text(
            span,
            format!("`{name}` has {} entries; the limit is {ENTRIES_MAX}", items.len()),
            Text::new(
                "sc-too-many-entries",
                vec![
                    ("name", Arg::plain(&name)),
                    ("count", Arg::plain(items.len().to_string())),
                    ("max", Arg::plain(ENTRIES_MAX.to_string())),
                ],
            ),
        );
        return Vec::new();
    }
    let mut out = Vec::new();
    for item in items {
        let id = item
            .get_ref()
            .get("id")
            .and_then(|v| v.get_ref().as_str())
            .map(str::to_string);
        match entry::<T>(checker, item, &mut raw.broken_ids) {
            Some(parsed) => {
                if let Some(id) = id {
                    raw.broken_ids.remove(&id);
                }
                out.push(parsed)
            }
            None => {
                raw.failed_sections.insert(name.clone());
            }
        }
    }
    out
}

/// Index of ids of one kind, reporting duplicates.
pub(super) struct Ids {
    what: &'static str,
    by_id: BTreeMap<String, usize>,
}

impl Ids {
    pub(super) fn new<'r, I>(checker: &mut Checker<'_>, what: &'static str, ids: I) -> Ids
    where
        I: IntoIterator<Item = &'r Spanned<String>>,
    {
        let mut by_id = BTreeMap::new();
        for (idx, id) in ids.into_iter().enumerate() {
            let name = id.get_ref();
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
                checker.err_text(
                    id.span(),
                    format!("{what} id {name:?} must be non-empty ASCII letters, digits, `_` or `-`"),
                    Text::new(
                        "sc-bad-id",
                        vec![("kind", kind_arg(what)), ("id", Arg::plain(format!("{name:?}")))],
                    ),
                );
            }
            if by_id.insert(name.clone(), idx).is_some() {
                checker.err_text(
                    id.span(),
                    format!("duplicate {what} id `{name}`"),
                    Text::new(
                        "sc-duplicate-id",
                        vec![("kind", kind_arg(what)), ("id", Arg::plain(name))],
                    ),
                );
            }
        }
        Ids { what, by_id }
    }

    pub(super) fn contains(&self, id: &str) -> bool {
        self.by_id.contains_key(id)
    }

    /// Resolves a reference; reports it unless it names an entry that failed to parse.
    pub(super) fn resolve(
        &self,
        checker: &mut Checker<'_>,
        reference: &Spanned<String>,
        owner: &str,
        broken: &BTreeSet<String>,
    ) -> Option<usize> {
        let name = reference.get_ref();
        let found = self.by_id.get(name).copied();
        if found.is_none() && !broken.contains(name) {
            let mut known: Vec<&str> = self.by_id.keys().map(String::as_str).take(12).collect();
            if self.by_id.len() > known.len() {
                known.push("…");
            }
            let known_text = if known.is_empty() {
                Text::new("sc-known-none", vec![])
            } else {
                Text::new("sc-known", vec![("ids", Arg::plain(known.join(", ")))])
            };
            let known = if known.is_empty() {
                "no valid entries".to_string()
            } else {
                format!("known: {}", known.join(", "))
            };
            checker.err_text(
                reference.span(),
                format!("{owner}: unknown {} `{name}` ({known})", self.what),
                Text::new(
                    "sc-unknown-ref",
                    vec![
                        ("owner", owner_arg(owner)),
                        ("kind", kind_arg(self.what)),
                        ("id", Arg::plain(name)),
                        ("known", Arg::text(known_text)),
                    ],
                ),
            );
        }
        found
    }
}

fn parse_class(checker: &mut Checker<'_>, text: &Spanned<String>) -> Option<WaterClass> {
    let class = match text.get_ref().trim() {
        "I" | "1" => WaterClass::I,
        "II" | "2" => WaterClass::II,
        "III" | "3" => WaterClass::III,
        "IV" | "4" => WaterClass::IV,
        "V" | "5" => WaterClass::V,
        other => {
            checker.err_text(
                text.span(),
                format!("unknown water class {other:?}, expected I, II, III, IV or V"),
                Text::new("sc-water-class", vec![("value", Arg::plain(format!("{other:?}")))]),
            );
            return None;
        }
    };
    Some(class)
}

pub(super) fn minutes_to_time(minutes: f64) -> SimTime {
    SimTime((minutes * 60.0).round() as i64)
}

/// Largest start time or flow-change time accepted [min] (one year).
pub(super) const SCENARIO_MINUTES_MAX: f64 = 366.0 * 24.0 * 60.0;

fn build(checker: &mut Checker<'_>, raw: RawScenario) -> Option<Scenario> {
    let broken = &raw.broken_ids;
    let jurisdiction_ids = Ids::new(checker, "jurisdiction", raw.jurisdictions.iter().map(|j| &j.id));
    let backs: Vec<Vec<usize>> = raw
        .jurisdictions
        .iter()
        .map(|j| {
            let owner = format!("jurisdiction `{}`", j.id.get_ref());
            j.backs
                .iter()
                .filter_map(|b| {
                    let backed = jurisdiction_ids.resolve(checker, b, &owner, broken)?;
                    if b.get_ref() == j.id.get_ref() {
                        checker.err_text(
                            b.span(),
                            format!("{owner}: a jurisdiction cannot back itself"),
                            owner_text("sc-backs-itself", &owner),
                        );
                        return None;
                    }
                    Some(backed)
                })
                .collect()
        })
        .collect();
    let regime_ids = Ids::new(checker, "regime", raw.regimes.iter().map(|r| &r.id));
    let pollutant_ids = Ids::new(checker, "pollutant", raw.pollutants.iter().map(|p| &p.id));
    let node_ids = Ids::new(checker, "node", raw.nodes.iter().map(|n| &n.id));
    let reach_ids = Ids::new(checker, "reach", raw.reaches.iter().map(|r| &r.id));
    // Everything Tripoint does happens on the river network (found by the input fuzzing:
    // a file cut before its `[[nodes]]` once passed and made `check` panic).
    if raw.nodes.is_empty() || raw.reaches.is_empty() {
        checker.err_text(
            0..0,
            "the scenario has no river network: it needs [[nodes]] and [[reaches]]",
            Text::new("sc-no-network", vec![]),
        );
    }
    let point_ids = Ids::new(checker, "point", raw.points.iter().map(|p| &p.id));
    let _ = point_ids;
    let ids = validate_ops::ScenarioIds {
        jurisdictions: &jurisdiction_ids,
        pollutants: &pollutant_ids,
    };
    if raw.regimes.is_empty() {
        checker.err_text(
            0..0,
            "no [[regimes]]: at least one flow regime is needed",
            Text::new("sc-no-regimes", vec![]),
        );
    }

    let settings = match &raw.settings {
        Some(s) => build_settings(checker, s, &regime_ids, broken),
        None => {
            if !raw.settings_present {
                checker.err_text(
                    0..0,
                    "missing [scenario] section (name, default_regime, …)",
                    Text::new("sc-no-settings", vec![]),
                );
            }
            None
        }
    };
    let pollutants = raw
        .pollutants
        .iter()
        .map(|p| build_pollutant(checker, p, settings.as_ref()))
        .collect();
    let nodes: Vec<Node> = raw
        .nodes
        .iter()
        .map(|n| build_node(checker, n, &jurisdiction_ids, broken))
        .collect();
    let reaches: Vec<Option<Reach>> = raw
        .reaches
        .iter()
        .map(|r| build_reach(checker, r, &raw, &jurisdiction_ids, &node_ids, &regime_ids))
        .collect();
    let all_reaches: Option<Vec<Reach>> = reaches.iter().cloned().collect();
    // Topology needs every reach: a missing one would show as false imbalances.
    let network_parsed = !raw.failed_sections.contains("nodes") && !raw.failed_sections.contains("reaches");
    if let (Some(settings), Some(all_reaches)) = (&settings, &all_reaches)
        && network_parsed
    {
        check_topology(checker, &raw, &nodes, all_reaches, settings);
    }
    let pollutants: Option<Vec<Pollutant>> = pollutants;
    let ctx = RefContext {
        node_ids: &node_ids,
        reach_ids: &reach_ids,
        broken,
        reaches: &reaches,
    };
    let target_class = settings.as_ref().map_or(WaterClass::III, |s| s.target_class);
    let points: Vec<Option<Point>> = raw
        .points
        .iter()
        .map(|p| build_point(checker, p, &ctx, &jurisdiction_ids, &nodes, target_class))
        .collect();
    let releases: Vec<Option<Release>> = raw
        .releases
        .iter()
        .map(|r| build_release(checker, r, &ctx, &pollutant_ids))
        .collect();
    let flow_changes: Vec<Option<FlowChange>> = raw
        .flow_changes
        .iter()
        .map(|f| {
            let at_min = checker.non_negative(&f.at_min, "at_min", "flow change");
            if at_min > SCENARIO_MINUTES_MAX {
                checker.err_text(
                    f.at_min.span(),
                    format!("flow change: at_min {at_min} is beyond one year"),
                    field_text_shown("sc-beyond-year", "flow change", "at_min", at_min.to_string()),
                );
            }
            let regime = regime_ids.resolve(checker, &f.regime, "flow change", broken)?;
            Some(FlowChange {
                at: minutes_to_time(at_min),
                regime,
                note: f.note.clone(),
            })
        })
        .collect();
    let mut flow_changes: Vec<FlowChange> = flow_changes.into_iter().collect::<Option<_>>()?;
    flow_changes.sort_by_key(|f| f.at);

    let mut points: Vec<Point> = points.into_iter().collect::<Option<_>>()?;
    let ops = validate_ops::build(checker, &raw, &ids, &ctx, &mut points);
    let settings_raw = raw.settings.as_ref()?;
    let (settings, reaches, ops) = (settings?, all_reaches?, ops?);
    let extends = raw.extends.as_ref();
    Some(Scenario {
        source_name: checker.source.name.clone(),
        extends: extends.map(|e| e.base.clone()),
        name: extends
            .and_then(|e| e.name.clone())
            .unwrap_or_else(|| settings_raw.name.clone()),
        description: extends
            .and_then(|e| e.description.clone())
            .unwrap_or_else(|| settings_raw.description.clone()),
        settings,
        jurisdictions: raw
            .jurisdictions
            .iter()
            .zip(backs)
            .map(|(j, backs)| Jurisdiction {
                id: j.id.get_ref().clone(),
                name: j.name.clone(),
                name_zh: j.name_zh.clone(),
                province: j.province.clone(),
                backs,
            })
            .collect(),
        regimes: raw
            .regimes
            .iter()
            .map(|r| Regime {
                id: r.id.get_ref().clone(),
                description: r.description.clone(),
                name_zh: r.name_zh.clone(),
            })
            .collect(),
        pollutants: pollutants?,
        nodes,
        reaches,
        points,
        releases: releases.into_iter().collect::<Option<_>>()?,
        flow_changes,
        operations: ops.operations,
        risk_sources: ops.risk_sources,
        road_nodes: ops.road_nodes,
        roads: ops.roads,
        depots: ops.depots,
        candidate_sites: ops.candidate_sites,
        teams: ops.teams,
        incidents: ops.incidents,
    })
}

fn build_settings(
    checker: &mut Checker<'_>,
    s: &RawSettings,
    regimes: &Ids,
    broken: &BTreeSet<String>,
) -> Option<Settings> {
    let owner = "[scenario]";
    let cell_length_m = checker.positive(&s.cell_length_m, "cell_length_m", owner);
    if cell_length_m.is_finite() && !(1.0..=10_000.0).contains(&cell_length_m) {
        checker.err(
            s.cell_length_m.span(),
            format!("{owner}: cell_length_m must be between 1 and 10000 m, got {cell_length_m}"),
        );
    }
    let output_step_s = *s.output_step_s.get_ref();
    if !(1..=3600).contains(&output_step_s) {
        checker.err(
            s.output_step_s.span(),
            format!("{owner}: output_step_s must be between 1 and 3600, got {output_step_s}"),
        );
    }
    let forecast_hours = checker.positive(&s.forecast_hours, "forecast_hours", owner);
    if forecast_hours > 24.0 * 366.0 {
        checker.err(
            s.forecast_hours.span(),
            format!("{owner}: forecast_hours must be at most one year, got {forecast_hours}"),
        );
    }
    let tolerance = checker.non_negative(&s.flow_balance_tolerance, "flow_balance_tolerance", owner);
    if tolerance > 0.5 {
        checker.err(
            s.flow_balance_tolerance.span(),
            format!("{owner}: flow_balance_tolerance is relative; {tolerance} would hide real errors (at most 0.5)"),
        );
    }
    let dispersion_factor = checker.positive(&s.dispersion_factor, "dispersion_factor", owner);
    if dispersion_factor.is_finite() && !(0.01..=10.0).contains(&dispersion_factor) {
        checker.err(
            s.dispersion_factor.span(),
            format!("{owner}: dispersion_factor must be between 0.01 and 10, got {dispersion_factor}"),
        );
    }
    let range = s.dispersion_range.get_ref();
    let dispersion_range = match range[..] {
        [low, high] if low.is_finite() && high.is_finite() && 0.01 <= low && low <= high && high <= 10.0 => [low, high],
        _ => {
            checker.err(
                s.dispersion_range.span(),
                format!(
                    "{owner}: dispersion_range is [low, high] multipliers with 0.01 ≤ low ≤ high ≤ 10, got {range:?}"
                ),
            );
            [1.0, 1.0]
        }
    };
    let target_class = parse_class(checker, &s.target_class);
    let default_regime = regimes.resolve(checker, &s.default_regime, owner, broken);
    Some(Settings {
        default_regime: default_regime?,
        cell_length_m,
        output_step: SimDuration(output_step_s),
        dispersion_method: s.dispersion_method,
        dispersion_factor,
        dispersion_range,
        target_class: target_class?,
        forecast_hours,
        flow_balance_tolerance: tolerance,
    })
}

fn build_pollutant(checker: &mut Checker<'_>, p: &RawPollutant, settings: Option<&Settings>) -> Option<Pollutant> {
    let owner = format!("pollutant `{}`", p.id.get_ref());
    let decay_per_day = checker.within(&p.decay_per_day, ranges::DECAY_PER_DAY, "decay_per_day", &owner);
    let detection = checker.within(
        &p.detection_limit_mg_l,
        ranges::CONCENTRATION_MG_L,
        "detection_limit_mg_l",
        &owner,
    );
    let limit_override = p
        .limit_mg_l
        .as_ref()
        .map(|l| checker.within(l, ranges::CONCENTRATION_MG_L, "limit_mg_l", &owner));
    let item_id = p.standard_item.get_ref();
    match Gb3838::builtin().get(item_id) {
        None => {
            let known: Vec<&str> = Gb3838::builtin().items().iter().map(|i| i.id.as_str()).collect();
            checker.err_text(
                p.standard_item.span(),
                format!(
                    "{owner}: unknown GB 3838 item `{item_id}` (known: {})",
                    known.join(", ")
                ),
                Text::new(
                    "sc-unknown-item",
                    vec![
                        ("owner", owner_arg(&owner)),
                        ("item", Arg::plain(item_id)),
                        ("known", Arg::plain(known.join(", "))),
                    ],
                ),
            );
        }
        Some(item) => {
            let class = settings.map_or(WaterClass::III, |s| s.target_class);
            if limit_override.is_none() && item.limit_mg_l(class).is_none() {
                checker.err_text(
                    p.standard_item.span(),
                    format!("{owner}: GB 3838 item `{item_id}` has no numeric limit; give limit_mg_l"),
                    Text::new(
                        "sc-no-limit",
                        vec![("owner", owner_arg(&owner)), ("item", Arg::plain(item_id))],
                    ),
                );
            }
        }
    }
    if let Some(limit) = limit_override
        && detection > limit
    {
        checker.err_text(
            p.detection_limit_mg_l.span(),
            format!("{owner}: detection limit {detection} mg/L is above the limit {limit} mg/L"),
            Text::new(
                "sc-detection-above-limit",
                vec![
                    ("owner", owner_arg(&owner)),
                    ("detection", Arg::plain(detection.to_string())),
                    ("limit", Arg::plain(limit.to_string())),
                ],
            ),
        );
    }
    Some(Pollutant {
        id: p.id.get_ref().clone(),
        name: p.name.clone(),
        standard_item: item_id.clone(),
        decay_per_s: decay_per_day / 86_400.0,
        detection_limit_mg_l: detection,
        limit_override_mg_l: limit_override,
        sediment: p.sediment,
    })
}

pub(super) fn check_lon_lat(checker: &mut Checker<'_>, lon: &Spanned<f64>, lat: &Spanned<f64>, owner: &str) {
    if !(-180.0..=180.0).contains(lon.get_ref()) {
        checker.err_text(
            lon.span(),
            format!("{owner}: lon must be within -180..180, got {}", lon.get_ref()),
            owner_value_text("sc-lon", owner, lon.get_ref().to_string()),
        );
    }
    if !(-90.0..=90.0).contains(lat.get_ref()) {
        checker.err_text(
            lat.span(),
            format!("{owner}: lat must be within -90..90, got {}", lat.get_ref()),
            owner_value_text("sc-lat", owner, lat.get_ref().to_string()),
        );
    }
}

/// Builds a node even when a reference fails (the problem is recorded, and the scenario
/// will be rejected), so that checks further on still run.
fn build_node(checker: &mut Checker<'_>, n: &RawNode, jurisdictions: &Ids, broken: &BTreeSet<String>) -> Node {
    let owner = format!("node `{}`", n.id.get_ref());
    check_lon_lat(checker, &n.lon, &n.lat, &owner);
    let lake_fields = [n.area_km2.is_some(), n.mean_depth_m.is_some(), n.cells.is_some()];
    let kind = match n.kind {
        NodeKindName::Lake => {
            if n.area_km2.is_none() || n.mean_depth_m.is_none() {
                checker.err_text(
                    n.id.span(),
                    format!("{owner}: a lake needs area_km2 and mean_depth_m"),
                    owner_text("sc-lake-needs-size", &owner),
                );
            }
            let area_km2 = n
                .area_km2
                .as_ref()
                .map_or(1.0, |a| checker.within(a, ranges::LAKE_AREA_KM2, "area_km2", &owner));
            let depth_m = n
                .mean_depth_m
                .as_ref()
                .map_or(1.0, |d| checker.within(d, ranges::LAKE_DEPTH_M, "mean_depth_m", &owner));
            let n_cells = n.cells.as_ref().map_or(1, |c| *c.get_ref());
            if !(1..=100).contains(&n_cells) {
                let span = n.cells.as_ref().map_or(n.id.span(), Spanned::span);
                checker.err_text(
                    span,
                    format!("{owner}: cells must be between 1 and 100, got {n_cells}"),
                    owner_value_text("sc-lake-cells", &owner, n_cells.to_string()),
                );
            }
            NodeKind::Lake {
                volume_m3: area_km2 * 1e6 * depth_m,
                n_cells: n_cells.clamp(1, 100) as usize,
                mean_depth_m: depth_m,
            }
        }
        other => {
            if lake_fields.iter().any(|f| *f) {
                checker.err_text(
                    n.id.span(),
                    format!("{owner}: area_km2, mean_depth_m and cells apply to lakes only"),
                    owner_text("sc-lake-fields", &owner),
                );
            }
            match other {
                NodeKindName::Inflow => NodeKind::Inflow,
                NodeKindName::Junction => NodeKind::Junction,
                _ => NodeKind::Outlet,
            }
        }
    };
    let jurisdiction = jurisdictions
        .resolve(checker, &n.jurisdiction, &owner, broken)
        .unwrap_or(0);
    Node {
        id: n.id.get_ref().clone(),
        name: n.name.clone(),
        name_zh: n.name_zh.clone(),
        kind,
        jurisdiction,
        lon: *n.lon.get_ref(),
        lat: *n.lat.get_ref(),
        note: n.note.clone(),
    }
}

fn build_reach(
    checker: &mut Checker<'_>,
    r: &RawReach,
    raw: &RawScenario,
    jurisdictions: &Ids,
    nodes: &Ids,
    regimes: &Ids,
) -> Option<Reach> {
    let broken = &raw.broken_ids;
    let owner = format!("reach `{}`", r.id.get_ref());
    let length_m = checker.positive(&r.length_m, "length_m", &owner);
    if length_m > REACH_LENGTH_MAX_M {
        let mut text = owner_value_text("sc-length-exceeds", &owner, length_m.to_string());
        text.args.push(("max", Arg::plain(REACH_LENGTH_MAX_M.to_string())));
        checker.err_text(
            r.length_m.span(),
            format!("{owner}: length_m {length_m} exceeds {REACH_LENGTH_MAX_M} m"),
            text,
        );
    }
    let width_m = checker.within(&r.width_m, ranges::WIDTH_M, "width_m", &owner);
    let depth_m = checker.within(&r.depth_m, ranges::DEPTH_M, "depth_m", &owner);
    let manning_n = checker.within(&r.manning_n, ranges::MANNING_N, "manning_n", &owner);
    let dispersion = r
        .dispersion_m2_s
        .as_ref()
        .map(|d| checker.within(d, ranges::DISPERSION_M2_S, "dispersion_m2_s", &owner));
    let mut discharge = vec![f64::NAN; regimes.by_id.len()];
    for (regime, q) in r.discharge_m3_s.get_ref() {
        let value = checker.within(q, ranges::DISCHARGE_M3_S, &format!("discharge_m3_s.{regime}"), &owner);
        match regimes.by_id.get(regime) {
            Some(&idx) => discharge[idx] = value,
            None if broken.contains(regime) => {}
            None => checker.err_text(
                q.span(),
                format!("{owner}: discharge given for unknown regime `{regime}`"),
                owner_value_text("sc-discharge-unknown-regime", &owner, regime.clone()),
            ),
        }
    }
    for (regime, &idx) in &regimes.by_id {
        if discharge[idx].is_nan() && !r.discharge_m3_s.get_ref().contains_key(regime) {
            checker.err_text(
                r.discharge_m3_s.span(),
                format!("{owner}: discharge_m3_s has no value for regime `{regime}`"),
                owner_value_text("sc-discharge-missing", &owner, regime.clone()),
            );
        }
    }
    for (i, p) in r.path.iter().enumerate() {
        if !(-180.0..=180.0).contains(&p[0]) || !(-90.0..=90.0).contains(&p[1]) {
            checker.err(
                r.id.span(),
                format!("{owner}: path vertex {i} [{}, {}] is not a [lon, lat] pair", p[0], p[1]),
            );
        }
    }
    let from = nodes.resolve(checker, &r.from, &owner, broken);
    let to = nodes.resolve(checker, &r.to, &owner, broken);
    if from.is_some() && from == to {
        checker.err_text(
            r.to.span(),
            format!("{owner}: a reach cannot start and end at the same node"),
            owner_text("sc-same-node", &owner),
        );
    }
    let jurisdiction = jurisdictions
        .resolve(checker, &r.jurisdiction, &owner, broken)
        .unwrap_or(0);
    let (from, to) = (from?, to?);
    let node_lon_lat = |idx: usize| [*raw.nodes[idx].lon.get_ref(), *raw.nodes[idx].lat.get_ref()];
    let mut path = vec![node_lon_lat(from)];
    path.extend(r.path.iter().copied());
    path.push(node_lon_lat(to));
    Some(Reach {
        id: r.id.get_ref().clone(),
        name: r.name.clone(),
        name_zh: r.name_zh.clone(),
        from,
        to,
        jurisdiction,
        length_m,
        width_m,
        depth_m,
        manning_n,
        dispersion_m2_s: dispersion,
        discharge_m3_s: discharge,
        path,
    })
}

/// Node roles, flow direction (no cycles) and flow balance at junctions and lakes.
fn check_topology(
    checker: &mut Checker<'_>,
    raw: &RawScenario,
    nodes: &[Node],
    reaches: &[Reach],
    settings: &Settings,
) {
    let mut graph = DiGraph::<usize, usize>::new();
    let indices: Vec<_> = (0..nodes.len()).map(|i| graph.add_node(i)).collect();
    for (reach_idx, reach) in reaches.iter().enumerate() {
        graph.add_edge(indices[reach.from], indices[reach.to], reach_idx);
    }
    if let Err(cycle) = toposort(&graph, None) {
        let node = graph[cycle.node_id()];
        checker.err_text(
            raw.nodes[node].id.span(),
            format!("flow directions form a cycle through node `{}`", nodes[node].id),
            Text::new("sc-cycle", vec![("node", Arg::plain(&nodes[node].id))]),
        );
    }
    for (node_idx, node) in nodes.iter().enumerate() {
        let n_in = reaches.iter().filter(|r| r.to == node_idx).count();
        let n_out = reaches.iter().filter(|r| r.from == node_idx).count();
        let span = raw.nodes[node_idx].id.span();
        // The English, and the `sc-node-role` message's `problem`.
        let role_problem = match node.kind {
            NodeKind::Inflow if n_in > 0 => Some(("an inflow node cannot have reaches flowing into it", "inflow_in")),
            NodeKind::Inflow if n_out == 0 => Some(("an inflow node needs a reach flowing out of it", "inflow_out")),
            NodeKind::Outlet if n_out > 0 => {
                Some(("an outlet node cannot have reaches flowing out of it", "outlet_out"))
            }
            NodeKind::Outlet if n_in == 0 => Some(("an outlet node needs a reach flowing into it", "outlet_in")),
            NodeKind::Junction if n_in == 0 || n_out == 0 => {
                Some(("a junction needs reaches both into and out of it", "junction"))
            }
            NodeKind::Lake { .. } if n_out == 0 => Some(("a lake needs an outflowing reach (its outlet)", "lake_out")),
            _ => None,
        };
        if let Some((message, problem)) = role_problem {
            checker.err_text(
                span.clone(),
                format!("node `{}`: {message}", node.id),
                Text::new(
                    "sc-node-role",
                    vec![("node", Arg::plain(&node.id)), ("problem", Arg::plain(problem))],
                ),
            );
            continue;
        }
        if matches!(node.kind, NodeKind::Junction | NodeKind::Lake { .. }) {
            check_balance(checker, span, node_idx, node, reaches, raw, settings);
        }
    }
}

fn check_balance(
    checker: &mut Checker<'_>,
    span: Range<usize>,
    node_idx: usize,
    node: &Node,
    reaches: &[Reach],
    raw: &RawScenario,
    settings: &Settings,
) {
    for (regime_idx, regime) in raw.regimes.iter().enumerate() {
        let q_in: f64 = reaches
            .iter()
            .filter(|r| r.to == node_idx)
            .map(|r| r.discharge_m3_s[regime_idx])
            .sum();
        let q_out: f64 = reaches
            .iter()
            .filter(|r| r.from == node_idx)
            .map(|r| r.discharge_m3_s[regime_idx])
            .sum();
        if !(q_in.is_finite() && q_out.is_finite()) {
            continue;
        }
        // A lake with no inflowing reach is fed by rain and seepage; it is not balanced.
        if q_in == 0.0 && matches!(node.kind, NodeKind::Lake { .. }) {
            continue;
        }
        let tolerance = settings.flow_balance_tolerance * q_in.max(q_out);
        if (q_in - q_out).abs() > tolerance {
            let tolerance_percent = format!("{:.1}", settings.flow_balance_tolerance * 100.0);
            checker.err_text(
                span.clone(),
                format!(
                    "flows do not balance at node `{}` in regime `{}`: in {q_in:.3} m³/s, out {q_out:.3} m³/s (tolerance {tolerance_percent} %)",
                    node.id,
                    regime.id.get_ref(),
                ),
                Text::new(
                    "sc-flow-balance",
                    vec![
                        ("node", Arg::plain(&node.id)),
                        ("regime", Arg::plain(regime.id.get_ref())),
                        ("q_in", Arg::plain(format!("{q_in:.3}"))),
                        ("q_out", Arg::plain(format!("{q_out:.3}"))),
                        ("tolerance", Arg::plain(tolerance_percent)),
                    ],
                ),
            );
        }
    }
}

pub(super) struct RefContext<'a> {
    pub(super) node_ids: &'a Ids,
    pub(super) reach_ids: &'a Ids,
    pub(super) broken: &'a BTreeSet<String>,
    pub(super) reaches: &'a [Option<Reach>],
}

pub(super) fn build_location(
    checker: &mut Checker<'_>,
    ctx: &RefContext<'_>,
    node: &Option<Spanned<String>>,
    reach: &Option<Spanned<String>>,
    chainage: &Option<Spanned<f64>>,
    owner: &str,
    owner_span: Range<usize>,
) -> Option<Location> {
    match (node, reach, chainage) {
        (Some(node), None, None) => Some(Location::Node(ctx.node_ids.resolve(checker, node, owner, ctx.broken)?)),
        (None, Some(reach), Some(chainage)) => {
            let reach_idx = ctx.reach_ids.resolve(checker, reach, owner, ctx.broken)?;
            let chainage_m = checker.non_negative(chainage, "chainage_m", owner);
            let length_m = ctx.reaches[reach_idx].as_ref()?.length_m;
            if chainage_m > length_m {
                checker.err_text(
                    chainage.span(),
                    format!(
                        "{owner}: chainage_m {chainage_m} is beyond the end of reach `{}` ({length_m} m)",
                        reach.get_ref()
                    ),
                    Text::new(
                        "sc-chainage-beyond",
                        vec![
                            ("owner", owner_arg(owner)),
                            ("chainage", Arg::plain(chainage_m.to_string())),
                            ("reach", Arg::plain(reach.get_ref())),
                            ("length", Arg::plain(length_m.to_string())),
                        ],
                    ),
                );
                return None;
            }
            Some(Location::Reach {
                reach: reach_idx,
                chainage_m,
            })
        }
        (None, Some(reach), None) => {
            checker.err_text(
                reach.span(),
                format!("{owner}: a place on a reach needs chainage_m"),
                owner_text("sc-needs-chainage", owner),
            );
            None
        }
        _ => {
            checker.err_text(
                owner_span,
                format!("{owner}: give either `node` or `reach` with `chainage_m`"),
                owner_text("sc-node-or-reach", owner),
            );
            None
        }
    }
}

fn build_point(
    checker: &mut Checker<'_>,
    p: &RawPoint,
    ctx: &RefContext<'_>,
    jurisdictions: &Ids,
    nodes: &[Node],
    default_class: WaterClass,
) -> Option<Point> {
    let owner = format!("point `{}`", p.id.get_ref());
    let location = build_location(checker, ctx, &p.node, &p.reach, &p.chainage_m, &owner, p.id.span());
    let jurisdiction = jurisdictions.resolve(checker, &p.jurisdiction, &owner, ctx.broken);
    let target_class = match &p.target_class {
        Some(text) => parse_class(checker, text),
        None => Some(default_class),
    };
    let borders = match (&p.borders, p.kind) {
        (Some(b), PointKindName::BorderSection) => {
            let ids = b.get_ref();
            if ids.len() != 2 {
                checker.err(
                    b.span(),
                    format!(
                        "{owner}: borders lists the upstream and the downstream jurisdiction, got {} names",
                        ids.len()
                    ),
                );
                None
            } else {
                let up = jurisdictions.resolve(checker, &Spanned::new(b.span(), ids[0].clone()), &owner, ctx.broken);
                let down = jurisdictions.resolve(checker, &Spanned::new(b.span(), ids[1].clone()), &owner, ctx.broken);
                up.zip(down)
            }
        }
        (None, PointKindName::BorderSection) => {
            checker.err(
                p.id.span(),
                format!("{owner}: a border section needs borders = [upstream, downstream]"),
            );
            None
        }
        (Some(b), _) => {
            checker.err(b.span(), format!("{owner}: borders applies to border sections only"));
            None
        }
        (None, _) => None,
    };
    let location = lake_cell_of(checker, p, location?, nodes, &owner)?;
    let [lon, lat] = match location {
        Location::Node(node) | Location::LakeCell { node, .. } => [nodes[node].lon, nodes[node].lat],
        Location::Reach { reach, chainage_m } => ctx.reaches[reach].as_ref()?.lon_lat_at(chainage_m),
    };
    let kind = match p.kind {
        PointKindName::Intake => PointKind::Intake,
        PointKindName::Section => PointKind::Section,
        PointKindName::BorderSection => PointKind::BorderSection,
        PointKindName::Station => PointKind::Station,
        PointKindName::Buoy => PointKind::Buoy,
        PointKindName::MicroStation => PointKind::MicroStation,
    };
    let borders = if kind == PointKind::BorderSection {
        Some(borders?)
    } else {
        None
    };
    Some(Point {
        id: p.id.get_ref().clone(),
        name: p.name.clone(),
        name_zh: p.name_zh.clone(),
        kind,
        jurisdiction: jurisdiction?,
        borders,
        location,
        target_class: target_class?,
        lon,
        lat,
        road_node: None,
        access: SimDuration::ZERO,
        station: None,
        note: p.note.clone(),
    })
}

/// A point at a lake of several cells reads the cell it stands in: `lake_cell` is required
/// there (a lake's outlet cell can read several times lower than the cell a buoy is in)
/// and refused anywhere else.
fn lake_cell_of(
    checker: &mut Checker<'_>,
    p: &RawPoint,
    location: Location,
    nodes: &[Node],
    owner: &str,
) -> Option<Location> {
    let lake = location.node().and_then(|node| match nodes[node].kind {
        NodeKind::Lake { n_cells, .. } => Some((node, n_cells)),
        _ => None,
    });
    match (&p.lake_cell, lake) {
        (None, None) => Some(location),
        (None, Some((_, 1))) => Some(location),
        (None, Some((node, n_cells))) => {
            checker.err(
                p.node.as_ref().map_or(p.id.span(), |n| n.span()),
                format!(
                    "{owner}: lake `{}` has {n_cells} cells in series: give lake_cell, the one the point stands in (1 at the inflow end to {n_cells} at the outlet)",
                    nodes[node].id
                ),
            );
            None
        }
        (Some(cell), Some((node, n_cells))) => {
            let value = *cell.get_ref();
            if !(1..=n_cells as i64).contains(&value) {
                checker.err(
                    cell.span(),
                    format!("{owner}: lake_cell must be from 1 to {n_cells}, got {value}"),
                );
                return None;
            }
            Some(Location::LakeCell {
                node,
                cell: value as usize - 1,
            })
        }
        (Some(cell), None) => {
            checker.err(
                cell.span(),
                format!("{owner}: lake_cell applies to points at a lake node only"),
            );
            None
        }
    }
}

fn build_release(checker: &mut Checker<'_>, r: &RawRelease, ctx: &RefContext<'_>, pollutants: &Ids) -> Option<Release> {
    let owner = "release";
    let span = r.pollutant.span();
    let location = build_location(checker, ctx, &r.node, &r.reach, &r.chainage_m, owner, span);
    let mass_kg = checker.within(&r.mass_kg, ranges::MASS_KG, "mass_kg", owner);
    let start_min = checker.non_negative(&r.start_min, "start_min", owner);
    let duration_min = checker.non_negative(&r.duration_min, "duration_min", owner);
    if start_min > SCENARIO_MINUTES_MAX {
        checker.err_text(
            r.start_min.span(),
            format!("{owner}: start_min {start_min} is beyond one year"),
            field_text_shown("sc-beyond-year", owner, "start_min", start_min.to_string()),
        );
    }
    if duration_min > SCENARIO_MINUTES_MAX {
        checker.err_text(
            r.duration_min.span(),
            format!("{owner}: duration_min {duration_min} is beyond one year"),
            field_text_shown("sc-beyond-year", owner, "duration_min", duration_min.to_string()),
        );
    }
    let pollutant = pollutants.resolve(checker, &r.pollutant, owner, ctx.broken);
    Some(Release {
        pollutant: pollutant?,
        mass_kg,
        location: location?,
        start: minutes_to_time(start_min),
        duration: SimDuration((duration_min * 60.0).round() as i64),
        note: r.note.clone(),
    })
}
