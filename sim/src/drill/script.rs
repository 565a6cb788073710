//! Drill scripts in rhai: the script calls the drill API (`docs/drill-api.md`) to build a
//! [`Drill`]. The engine is sandboxed: no modules and so no file access, no clock, a limit
//! on operations, call depth, expression depth and string, array and map sizes. Every
//! problem — syntax, a runaway loop, a wrong argument, an unknown id — stops the script
//! with its line and column.

use super::{
    Contact, CriticalTask, Disruption, DisruptionKind, Drill, Expectation, Inject, InjectKind, Means, Measure,
    Objective, OutOfService, Procedures, Reference, Seat, Target,
};
use crate::scenario::{Discovery, Incident, PointKind, ResponseLevel, Scenario};
use crate::time::{SimDuration, SimTime};
use rhai::{Array, Dynamic, Engine, EvalAltResult, ImmutableString, Map, NativeCallContext};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

/// Largest script accepted [bytes].
pub const SCRIPT_BYTES_MAX: usize = 1024 * 1024;
/// Operations a script may run before it is stopped (a drill needs a few thousand).
pub const SCRIPT_OPERATIONS_MAX: u64 = 2_000_000;
/// Nested function calls.
pub const SCRIPT_CALL_LEVELS_MAX: usize = 32;
/// Longest string a script may build [bytes].
pub const SCRIPT_STRING_BYTES_MAX: usize = 64 * 1024;
pub const SCRIPT_ARRAY_ITEMS_MAX: usize = 10_000;
pub const SCRIPT_MAP_ITEMS_MAX: usize = 1_000;
/// Injects, disruptions, objectives or targets of one kind in a drill.
pub const DRILL_ITEMS_MAX: usize = 1_000;
/// Posterior probability a `source_identified` task asks for when it names none.
pub const SOURCE_PROBABILITY_DEFAULT: f64 = 0.8;
/// Longest exercise.
pub const DRILL_HOURS_MAX: i64 = 14 * 24;
/// An exercise starts within the scenario's first week: the simulation runs from D1 00:00
/// (releases, stations, transport) up to the start, so a later start is work without an
/// exercise in it.
pub const DRILL_START_DAY_MAX: i64 = 7;

/// The drills shipped with Tripoint: (file name, text).
pub const BUILTIN_DRILLS: [(&str, &str); 4] = [
    (
        "two-incidents.rhai",
        include_str!("../../../scripts/drills/two-incidents.rhai"),
    ),
    (
        "night-antimony-station-failure.rhai",
        include_str!("../../../scripts/drills/night-antimony-station-failure.rhai"),
    ),
    (
        "dianshan-lake.rhai",
        include_str!("../../../scripts/drills/dianshan-lake.rhai"),
    ),
    (
        "alarm-unknown-source.rhai",
        include_str!("../../../scripts/drills/alarm-unknown-source.rhai"),
    ),
];

/// A shipped drill by file name, with or without `.rhai`.
pub fn builtin_script(name: &str) -> Option<(&'static str, &'static str)> {
    let name = name.strip_prefix("scripts/drills/").unwrap_or(name);
    BUILTIN_DRILLS
        .iter()
        .find(|(file, _)| *file == name || file.strip_suffix(".rhai") == Some(name))
        .copied()
}

/// Longest scenario name a script may give [bytes].
pub const SCENARIO_NAME_BYTES_MAX: usize = 255;

/// Checks the name a script gives `scenario(NAME)`: a plain file name ending in `.toml`,
/// which the binary looks for beside the script, then among the built-in scenarios. No
/// folder, no path: a script reads no file but a scenario next to it.
pub fn check_scenario_name(name: &str) -> Result<(), String> {
    let plain = !name.is_empty()
        && name.len() <= SCENARIO_NAME_BYTES_MAX
        && !name.starts_with('.')
        && !name.chars().any(|c| matches!(c, '/' | '\\' | ':') || c.is_control());
    if !plain {
        return Err(format!(
            "a scenario is named by a plain file name (beside the script or built in), without a folder, \
             of at most {SCENARIO_NAME_BYTES_MAX} bytes"
        ));
    }
    if !name.ends_with(".toml") {
        return Err("a scenario file name ends in .toml".to_string());
    }
    Ok(())
}

/// A script problem with its place in the script.
#[derive(Debug, Clone, PartialEq)]
pub struct ScriptError {
    pub source_name: String,
    /// 1-based; 0 when the problem has no place (e.g. the script is too large).
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// The script line, for the excerpt.
    pub excerpt: String,
}

impl std::fmt::Display for ScriptError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            return write!(f, "{}: {}", self.source_name, self.message);
        }
        writeln!(
            f,
            "{}:{}:{}: {}",
            self.source_name, self.line, self.column, self.message
        )?;
        let gutter = self.line.to_string().len();
        writeln!(f, "{:gutter$} |", "")?;
        writeln!(f, "{} | {}", self.line, self.excerpt)?;
        write!(f, "{:gutter$} | {:>col$}", "", "^", col = self.column.max(1))
    }
}

impl std::error::Error for ScriptError {}

/// Finds a scenario the script names: built-in or beside the script. The binary supplies
/// it (the library does no I/O).
pub type ScenarioLoader = Rc<dyn Fn(&str) -> Result<Scenario, String>>;

/// Runs a drill script and checks what it builds.
pub fn load(source_name: &str, text: &str, loader: ScenarioLoader) -> Result<Drill, ScriptError> {
    let fail = |line: usize, column: usize, message: String| ScriptError {
        source_name: source_name.to_string(),
        line,
        column,
        message,
        excerpt: text.lines().nth(line.saturating_sub(1)).unwrap_or("").to_string(),
    };
    if text.len() > SCRIPT_BYTES_MAX {
        return Err(fail(
            0,
            0,
            format!(
                "the script is {} bytes; at most {SCRIPT_BYTES_MAX} are accepted",
                text.len()
            ),
        ));
    }
    let builder = Rc::new(RefCell::new(Builder::default()));
    let result = sandboxed_engine(&builder, loader).run(text);
    if let Err(error) = result {
        let position = error.position();
        return Err(fail(
            position.line().unwrap_or(0),
            position.position().unwrap_or(1),
            describe(&error),
        ));
    }
    let builder = Rc::try_unwrap(builder)
        .map_err(|_| ())
        .expect("the engine is dropped")
        .into_inner();
    builder
        .finish()
        .map_err(|(line, message)| fail(line, usize::from(line > 0), message))
}

/// The script error's message without rhai's own position suffix.
fn describe(error: &EvalAltResult) -> String {
    match error {
        EvalAltResult::ErrorRuntime(message, _) => message.to_string(),
        EvalAltResult::ErrorFunctionNotFound(signature, _) => {
            format!("no drill function {signature} (wrong name or argument types; see docs/drill-api.md)")
        }
        EvalAltResult::ErrorTooManyOperations(_) => {
            format!("the script ran more than {SCRIPT_OPERATIONS_MAX} operations and was stopped (an endless loop?)")
        }
        EvalAltResult::ErrorStackOverflow(_) => {
            format!("calls nested deeper than {SCRIPT_CALL_LEVELS_MAX} levels (endless recursion?)")
        }
        EvalAltResult::ErrorDataTooLarge(what, _) => format!("{what} is larger than a drill script may build"),
        EvalAltResult::ErrorInFunctionCall(name, _, inner, _) => format!("in {name}: {}", describe(inner)),
        other => {
            let text = other.to_string();
            // rhai appends " (line L, position C)"; the place is given separately.
            match text.rfind(" (line ") {
                Some(at) => text[..at].to_string(),
                None => text,
            }
        }
    }
}

fn sandboxed_engine(builder: &Rc<RefCell<Builder>>, loader: ScenarioLoader) -> Engine {
    let mut engine = Engine::new();
    engine.set_max_operations(SCRIPT_OPERATIONS_MAX);
    engine.set_max_call_levels(SCRIPT_CALL_LEVELS_MAX);
    engine.set_max_expr_depths(64, 32);
    engine.set_max_string_size(SCRIPT_STRING_BYTES_MAX);
    engine.set_max_array_size(SCRIPT_ARRAY_ITEMS_MAX);
    engine.set_max_map_size(SCRIPT_MAP_ITEMS_MAX);
    engine.disable_symbol("eval");
    check_maps_on_read(&mut engine);
    // rhai's core package blocks the thread in `sleep`; a drill has no clock but the
    // scenario's, so the name is taken by functions that refuse (functions registered
    // on the engine come before the packages').
    engine.register_fn("sleep", |ctx: NativeCallContext, _seconds: rhai::INT| -> Out {
        err(&ctx, NO_SLEEP)
    });
    engine.register_fn("sleep", |ctx: NativeCallContext, _seconds: rhai::FLOAT| -> Out {
        err(&ctx, NO_SLEEP)
    });
    // print and debug go nowhere: the library writes nothing.
    engine.on_print(|_| {});
    engine.on_debug(|_, _, _| {});
    register(&mut engine, builder, loader);
    engine
}

type Out = Result<(), Box<EvalAltResult>>;

/// rhai checks a map's size where a literal or a function builds it, not where `m[k] = v`
/// adds a key to a map in a variable; so every read of a variable checks the map it holds,
/// and a map grown key by key is stopped at the next read of its variable (the loop that
/// grows it reads it on every pass).
#[allow(deprecated)] // `on_var` is marked volatile, not deprecated (rhai's own words).
fn check_maps_on_read(engine: &mut Engine) {
    engine.on_var(|name, _, context| {
        let Some(value) = context.scope().get(name) else {
            return Ok(None);
        };
        if let Ok(map) = value.as_map_ref()
            && map.len() > SCRIPT_MAP_ITEMS_MAX
        {
            return Err(Box::new(EvalAltResult::ErrorDataTooLarge(
                format!("map {name} ({} keys, at most {SCRIPT_MAP_ITEMS_MAX})", map.len()),
                // rhai fills in the place of the variable.
                rhai::Position::NONE,
            )));
        }
        Ok(None)
    });
}

const NO_SLEEP: &str = "sleep: a drill script has no clock; events are timed on the scenario clock (start_at, `at:`)";

fn err<T>(ctx: &NativeCallContext, message: impl Into<String>) -> Result<T, Box<EvalAltResult>> {
    Err(Box::new(EvalAltResult::ErrorRuntime(
        Dynamic::from(message.into()),
        ctx.call_position(),
    )))
}

fn line_of(ctx: &NativeCallContext) -> usize {
    ctx.call_position().line().unwrap_or(0)
}

#[allow(clippy::too_many_lines)]
fn register(engine: &mut Engine, builder: &Rc<RefCell<Builder>>, loader: ScenarioLoader) {
    macro_rules! with {
        ($name:literal, |$b:ident, $ctx:ident $(, $arg:ident : $ty:ty)*| $body:block) => {{
            let cell = builder.clone();
            engine.register_fn($name, move |$ctx: NativeCallContext $(, $arg: $ty)*| -> Out {
                let mut guard = cell.borrow_mut();
                let $b: &mut Builder = &mut guard;
                $body
            });
        }};
    }
    with!("drill", |b, ctx, name: ImmutableString| {
        b.name = name.to_string();
        let _ = ctx;
        Ok(())
    });
    with!("description", |b, ctx, text: ImmutableString| {
        b.description = text.to_string();
        let _ = ctx;
        Ok(())
    });
    // The Chinese of the drill's name, description and sponsor (shown in a Chinese report).
    with!("drill_zh", |b, ctx, text: ImmutableString| {
        b.name_zh = text.trim().to_string();
        let _ = ctx;
        Ok(())
    });
    with!("description_zh", |b, ctx, text: ImmutableString| {
        b.description_zh = text.trim().to_string();
        let _ = ctx;
        Ok(())
    });
    with!("sponsor_zh", |b, ctx, text: ImmutableString| {
        b.sponsor_zh = text.trim().to_string();
        let _ = ctx;
        Ok(())
    });
    with!("exercise_type", |b, ctx, text: ImmutableString| {
        match text.as_str() {
            "tabletop" | "drill" | "functional" | "full-scale" => {
                b.exercise_type = text.to_string();
                Ok(())
            }
            other => err(
                &ctx,
                format!("exercise type {other:?}: expected tabletop, drill, functional or full-scale"),
            ),
        }
    });
    with!("date", |b, ctx, text: ImmutableString| {
        if parse_date(&text).is_none() {
            return err(
                &ctx,
                format!(
                    "date {text:?}: expected YYYY-MM-DD, a year from {} to {}",
                    DRILL_YEARS.start(),
                    DRILL_YEARS.end()
                ),
            );
        }
        b.date = text.to_string();
        Ok(())
    });
    let load_scenario = loader.clone();
    with!("scenario", |b, ctx, name: ImmutableString| {
        if b.scenario.is_some() {
            return err(&ctx, "the scenario is already chosen");
        }
        if let Err(message) = check_scenario_name(&name) {
            return err(&ctx, format!("scenario {name:?}: {message}"));
        }
        match load_scenario(&name) {
            Ok(scenario) => {
                b.scenario_name = name.to_string();
                b.regime = scenario.settings.default_regime;
                b.scenario = Some(scenario);
                Ok(())
            }
            Err(message) => err(&ctx, format!("scenario {name:?}: {}", first_line(&message))),
        }
    });
    with!("flow", |b, ctx, regime: ImmutableString| {
        let scenario = b.scenario(&ctx)?;
        match scenario.regime_idx(&regime) {
            Some(idx) => {
                b.regime = idx;
                Ok(())
            }
            None => err(
                &ctx,
                format!(
                    "no flow regime {regime:?}; the scenario has {}",
                    ids(scenario.regimes.iter().map(|r| &r.id))
                ),
            ),
        }
    });
    with!("start_at", |b, ctx, clock: ImmutableString| {
        if !(b.incidents.is_empty() && b.injects.is_empty() && b.disruptions.is_empty()) {
            return err(
                &ctx,
                "start_at must come before the incidents, injects and disruptions: their times count from it",
            );
        }
        match parse_clock(&clock) {
            Some(t) if t.seconds() >= DRILL_START_DAY_MAX * 86_400 => err(
                &ctx,
                format!(
                    "start {clock:?}: an exercise starts within the first {DRILL_START_DAY_MAX} days (D1 to D{DRILL_START_DAY_MAX})"
                ),
            ),
            Some(t) => {
                b.start = t;
                Ok(())
            }
            None => err(&ctx, format!("start {clock:?}: expected \"HH:MM\" or \"D2 HH:MM\"")),
        }
    });
    with!("duration_hours", |b, ctx, hours: i64| {
        if !(1..=DRILL_HOURS_MAX).contains(&hours) {
            return err(&ctx, format!("duration {hours} h: expected 1 to {DRILL_HOURS_MAX} h"));
        }
        b.duration = SimDuration::from_hours(hours);
        Ok(())
    });
    with!("procedure", |b, ctx, name: ImmutableString, minutes: i64| {
        if !(0..=24 * 60).contains(&minutes) {
            return err(&ctx, format!("procedure time {minutes} min: expected 0 to 1440"));
        }
        let value = SimDuration::from_minutes(minutes);
        let p = &mut b.procedures;
        let slot = match name.as_str() {
            "acknowledge" => &mut p.acknowledge,
            "notify_unified" => &mut p.notify_unified,
            "notify_county" => &mut p.notify_county,
            "request_sample" => &mut p.request_sample,
            "media_statement" => &mut p.media_statement,
            "intake_advice" => &mut p.intake_advice,
            "approve_plan" => &mut p.approve_plan,
            other => {
                return err(
                    &ctx,
                    format!(
                        "no procedure {other:?}: expected acknowledge, notify_unified, notify_county, request_sample, media_statement, intake_advice or approve_plan"
                    ),
                );
            }
        };
        *slot = value;
        Ok(())
    });
    with!("sponsor", |b, ctx, text: ImmutableString| {
        if text.trim().is_empty() {
            return err(&ctx, "the sponsor must be named: sponsor(\"AGENCY\")");
        }
        b.sponsor = text.trim().to_string();
        Ok(())
    });
    with!("contact", |b, ctx, map: Map| { b.contact(&ctx, &map) });
    with!("agency", |b, ctx, map: Map| { b.agency(&ctx, &map) });
    with!("incident", |b, ctx, map: Map| { b.incident(&ctx, &map) });
    with!("inject", |b, ctx, map: Map| { b.inject(&ctx, &map, Kind::Timeline) });
    with!("contingency", |b, ctx, map: Map| {
        b.inject(&ctx, &map, Kind::Contingency)
    });
    with!("adhoc", |b, ctx, map: Map| { b.inject(&ctx, &map, Kind::Adhoc) });
    with!("breakdown", |b, ctx, map: Map| {
        b.disruption(&ctx, &map, "breakdown")
    });
    with!("short_staffed", |b, ctx, map: Map| {
        b.disruption(&ctx, &map, "short_staffed")
    });
    with!("close_road", |b, ctx, map: Map| {
        b.disruption(&ctx, &map, "close_road")
    });
    with!("station_failure", |b, ctx, map: Map| {
        b.disruption(&ctx, &map, "station_failure")
    });
    with!("kit_failure", |b, ctx, map: Map| {
        b.disruption(&ctx, &map, "kit_failure")
    });
    with!("gate_change", |b, ctx, map: Map| {
        b.disruption(&ctx, &map, "gate_change")
    });
    with!("objective", |b, ctx, map: Map| { b.objective(&ctx, &map) });
    with!("target", |b, ctx, map: Map| { b.target(&ctx, &map) });
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Timeline,
    Contingency,
    Adhoc,
}

#[derive(Default)]
struct Builder {
    name: String,
    description: String,
    exercise_type: String,
    date: String,
    scenario_name: String,
    scenario: Option<Scenario>,
    regime: usize,
    start: SimTime,
    duration: SimDuration,
    incidents: Vec<Incident>,
    /// Script line of each incident, for errors found once the whole script is read.
    incident_lines: Vec<usize>,
    injects: Vec<Inject>,
    disruptions: Vec<Disruption>,
    objectives: Vec<Objective>,
    targets: Vec<Target>,
    procedures: Procedures,
    sponsor: String,
    contacts: Vec<Contact>,
    agencies: Vec<(usize, String, String)>,
    name_zh: String,
    description_zh: String,
    sponsor_zh: String,
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

fn ids<'a>(items: impl Iterator<Item = &'a String>) -> String {
    items.map(String::as_str).collect::<Vec<_>>().join(", ")
}

/// The years a drill may be dated in: a calendar date beyond them is a typing error, and
/// the report's dates (the date plus the exercise's days) must not overflow.
pub const DRILL_YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// `YYYY-MM-DD` → (year, month, day), the year within [`DRILL_YEARS`].
pub fn parse_date(text: &str) -> Option<(i32, u32, u32)> {
    let mut parts = text.split('-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    if parts.next().is_some()
        || !DRILL_YEARS.contains(&year)
        || !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
    {
        return None;
    }
    Some((year, month, day))
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `HH:MM` (day 1) or `D2 HH:MM` on the scenario clock.
fn parse_clock(text: &str) -> Option<SimTime> {
    let text = text.trim();
    let (day, clock) = match text.split_once(' ') {
        Some((day, clock)) => (day.strip_prefix('D')?.parse::<i64>().ok()?, clock),
        None => (1, text),
    };
    let offset = parse_hh_mm(clock)?;
    if day < 1 || !(0..24 * 3600).contains(&offset) {
        return None;
    }
    // Checked: `D106751991167301 00:00` is past what a clock holds.
    (day - 1).checked_mul(86_400)?.checked_add(offset).map(SimTime)
}

/// `H:MM` or `-H:MM` → seconds.
fn parse_hh_mm(text: &str) -> Option<i64> {
    let (sign, text) = match text.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, text),
    };
    let (h, m) = text.split_once(':')?;
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    // Hours beyond a year are no time of any drill (and would overflow when multiplied):
    // checked before any arithmetic.
    if !((0..=366 * 24).contains(&h) && (0..60).contains(&m) && m.to_string().len() <= 2) {
        return None;
    }
    Some(sign * (h * 3600 + m * 60))
}

impl Builder {
    fn scenario(&self, ctx: &NativeCallContext) -> Result<&Scenario, Box<EvalAltResult>> {
        match &self.scenario {
            Some(s) => Ok(s),
            None => err(ctx, "choose the scenario first: scenario(\"two-incidents.toml\")"),
        }
    }

    /// Every time the script gives, against the exercise's length (known only once the
    /// whole script has run): nothing starts before the exercise or after its end.
    fn check_times(&self) -> Result<(), (usize, String)> {
        let end = self.duration;
        let outside = |at: SimDuration| at.seconds() < 0 || at > end;
        let length = format!("the exercise lasts {} h", end.seconds() / 3600);
        for (incident, &line) in self.incidents.iter().zip(&self.incident_lines) {
            let at = incident.start - self.start;
            if outside(at) {
                return Err((
                    line,
                    format!("incident {} at {at} is outside the exercise: {length}", incident.id),
                ));
            }
        }
        for inject in &self.injects {
            for (what, at) in [("at", Some(inject.at)), ("released at", inject.release_at)] {
                if let Some(at) = at
                    && outside(at)
                {
                    return Err((
                        inject.line,
                        format!("inject {} {what} {at} is outside the exercise: {length}", inject.number),
                    ));
                }
            }
        }
        for disruption in &self.disruptions {
            if outside(disruption.at) {
                return Err((
                    disruption.line,
                    format!("a disruption at {} is outside the exercise: {length}", disruption.at),
                ));
            }
        }
        Ok(())
    }

    fn finish(self) -> Result<Drill, (usize, String)> {
        let unplaced = |message: &str| (0, message.to_string());
        if self.duration.seconds() > 0 {
            self.check_times()?;
        }
        let mut scenario = self
            .scenario
            .ok_or_else(|| unplaced("the script never chose a scenario: scenario(\"NAME\")"))?;
        if self.name.is_empty() {
            return Err(unplaced("the script never named the drill: drill(\"NAME\")"));
        }
        if self.duration.seconds() <= 0 {
            return Err(unplaced("the script never set the exercise length: duration_hours(H)"));
        }
        if self.date.is_empty() {
            return Err(unplaced("the script never set the exercise date: date(\"YYYY-MM-DD\")"));
        }
        if self.objectives.is_empty() || self.targets.is_empty() {
            return Err(unplaced(
                "a drill needs at least one objective(…) and one target(…) to evaluate",
            ));
        }
        if !self.incidents.is_empty() {
            scenario.incidents = self.incidents;
        }
        if scenario.incidents.is_empty() {
            return Err(unplaced(
                "nothing happens: neither the script nor its scenario has an incident",
            ));
        }
        scenario.settings.default_regime = self.regime;
        Ok(Drill {
            name: self.name,
            description: self.description,
            exercise_type: if self.exercise_type.is_empty() {
                "functional".to_string()
            } else {
                self.exercise_type
            },
            date: self.date,
            scenario_name: self.scenario_name,
            scenario: Arc::new(scenario),
            start: self.start,
            duration: self.duration,
            injects: self.injects,
            disruptions: self.disruptions,
            objectives: self.objectives,
            targets: self.targets,
            procedures: self.procedures,
            sponsor: self.sponsor,
            contacts: self.contacts,
            agencies: self.agencies,
            name_zh: self.name_zh,
            description_zh: self.description_zh,
            sponsor_zh: self.sponsor_zh,
            live: false,
        })
    }

    fn incident(&mut self, ctx: &NativeCallContext, map: &Map) -> Out {
        let f = Fields::new(ctx, map, "incident")?;
        f.allow(&[
            "id",
            "name",
            "name_zh",
            "source",
            "location",
            "jurisdiction",
            "pollutant",
            "mass_kg",
            "reported_mass_kg",
            "at",
            "duration_min",
            "level",
            "discovery",
            "discovery_delay_min",
            "note",
        ])?;
        let scenario = self.scenario(ctx)?;
        let id = f.string("id")?;
        if self.incidents.iter().any(|i| i.id == id) {
            return err(ctx, format!("incident {id:?} is defined twice"));
        }
        let (source, location, jurisdiction) = match f.opt_string("source")? {
            Some(source_id) => {
                let Some(idx) = scenario.risk_sources.iter().position(|s| s.id == source_id) else {
                    return err(ctx, format!("no risk source {source_id:?} in the scenario"));
                };
                let s = &scenario.risk_sources[idx];
                (Some(idx), s.location, s.jurisdiction)
            }
            None => {
                let location = scenario
                    .parse_location(&f.string("location")?)
                    .or_else(|e| err(ctx, format!("incident location: {e}")))?;
                let jurisdiction = f.jurisdiction(scenario, "jurisdiction")?;
                (None, location, jurisdiction)
            }
        };
        let pollutant_id = f.string("pollutant")?;
        let Some(pollutant) = scenario.pollutant_idx(&pollutant_id) else {
            return err(
                ctx,
                format!(
                    "no pollutant {pollutant_id:?}; the scenario has {}",
                    ids(scenario.pollutants.iter().map(|p| &p.id))
                ),
            );
        };
        let mass_kg = f.positive("mass_kg")?;
        let reported_mass_kg = f.opt_positive("reported_mass_kg")?.unwrap_or(mass_kg);
        let at = f.time("at", self.start)?;
        if at.seconds() < 0 {
            return err(ctx, "an incident cannot start before the exercise");
        }
        let duration = SimDuration::from_minutes(f.opt_int("duration_min", 0, 7 * 24 * 60)?.unwrap_or(0));
        let level = match f.opt_string("level")?.as_deref() {
            None | Some("IV") => ResponseLevel::IV,
            Some("III") => ResponseLevel::III,
            Some("II") => ResponseLevel::II,
            Some("I") => ResponseLevel::I,
            Some(other) => return err(ctx, format!("response level {other:?}: expected I, II, III or IV")),
        };
        let discovery = match f.opt_string("discovery")?.as_deref() {
            None | Some("enterprise_report") => Discovery::EnterpriseReport,
            Some("public_report") => Discovery::PublicReport,
            Some("station_alarm") => Discovery::StationAlarm,
            Some(other) => {
                return err(
                    ctx,
                    format!("discovery {other:?}: expected enterprise_report, public_report or station_alarm"),
                );
            }
        };
        let discovery_delay =
            SimDuration::from_minutes(f.opt_int("discovery_delay_min", 0, 7 * 24 * 60)?.unwrap_or(30));
        let incident = Incident {
            name: f.opt_string("name")?.unwrap_or_else(|| id.clone()),
            name_zh: f.opt_string("name_zh")?.unwrap_or_default(),
            id: id.clone(),
            source,
            location,
            jurisdiction,
            pollutant,
            mass_kg,
            reported_mass_kg,
            start: self.start + at,
            duration,
            response_level: level,
            discovery,
            discovery_delay,
            note: f.opt_string("note")?.unwrap_or_default(),
        };
        self.incidents.push(incident);
        self.incident_lines.push(line_of(ctx));
        Ok(())
    }

    fn inject(&mut self, ctx: &NativeCallContext, map: &Map, kind: Kind) -> Out {
        let f = Fields::new(ctx, map, "inject")?;
        let mut allowed = vec![
            "number",
            "from",
            "to",
            "channel",
            "message",
            "from_zh",
            "channel_zh",
            "message_zh",
            "expect",
            "objective",
            "notes",
        ];
        match kind {
            Kind::Timeline | Kind::Adhoc => allowed.push("at"),
            Kind::Contingency => allowed.extend(["unless", "by"]),
        }
        f.allow(&allowed)?;
        if self.injects.len() >= DRILL_ITEMS_MAX {
            return err(ctx, format!("more than {DRILL_ITEMS_MAX} injects"));
        }
        let scenario = self.scenario(ctx)?;
        let number = f.string("number")?;
        if self.injects.iter().any(|i| i.number == number) {
            return err(ctx, format!("inject number {number:?} is used twice"));
        }
        let to = f.seats(scenario, "to")?;
        let expected = f
            .strings_or_one("expect")?
            .iter()
            .map(|text| parse_expectation(scenario, text).or_else(|e| err(ctx, e)))
            .collect::<Result<Vec<_>, _>>()?;
        let objective = f.opt_string("objective")?;
        if let Some(id) = &objective
            && !self.objectives.iter().any(|o| &o.id == id)
        {
            return err(
                ctx,
                format!("no objective {id:?} (define objectives before the injects that serve them)"),
            );
        }
        let start = self.start;
        let (inject_kind, at) = match kind {
            Kind::Timeline => (InjectKind::Timeline, f.time("at", start)?),
            Kind::Contingency => {
                let unless = parse_expectation(scenario, &f.string("unless")?).or_else(|e| err(ctx, e))?;
                if unless == Expectation::Acknowledge {
                    return err(
                        ctx,
                        "a contingency cannot wait for its own acknowledgement: name an action",
                    );
                }
                let by = f.time("by", start)?;
                (InjectKind::Contingency { unless, by }, by)
            }
            Kind::Adhoc => (InjectKind::Adhoc, SimDuration(0)),
        };
        // An ad-hoc inject with `at` is released by the controller at that time, so it
        // fires in a headless run too.
        let release_at = match kind {
            Kind::Adhoc if f.get("at").is_some() => Some(f.time("at", start)?),
            _ => None,
        };
        if let Some(release) = release_at
            && (release.seconds() < 0 || release > self.duration && self.duration.seconds() > 0)
        {
            return err(
                ctx,
                format!("inject {number} released at {release} is outside the exercise"),
            );
        }
        if at.seconds() < 0 || at > self.duration && self.duration.seconds() > 0 {
            return err(ctx, format!("inject {number} at {at} is outside the exercise"));
        }
        self.injects.push(Inject {
            number,
            kind: inject_kind,
            at,
            from: f.string("from")?,
            to,
            channel: f.string("channel")?,
            message: f.string("message")?,
            from_zh: f.opt_string("from_zh")?.unwrap_or_default(),
            channel_zh: f.opt_string("channel_zh")?.unwrap_or_default(),
            message_zh: f.opt_string("message_zh")?.unwrap_or_default(),
            expected,
            objective,
            notes: f.opt_string("notes")?.unwrap_or_default(),
            release_at,
            line: line_of(ctx),
        });
        Ok(())
    }

    fn contact(&mut self, ctx: &NativeCallContext, map: &Map) -> Out {
        let f = Fields::new(ctx, map, "contact")?;
        f.allow(&[
            "role",
            "name",
            "agency",
            "reach",
            "role_zh",
            "name_zh",
            "agency_zh",
            "reach_zh",
        ])?;
        if self.contacts.len() >= DRILL_ITEMS_MAX {
            return err(ctx, format!("more than {DRILL_ITEMS_MAX} contacts"));
        }
        let contact = Contact {
            role: f.non_empty("role")?,
            name: f.non_empty("name")?,
            agency: f.non_empty("agency")?,
            reach: f.opt_string("reach")?.unwrap_or_default(),
            role_zh: f.opt_string("role_zh")?.unwrap_or_default(),
            name_zh: f.opt_string("name_zh")?.unwrap_or_default(),
            agency_zh: f.opt_string("agency_zh")?.unwrap_or_default(),
            reach_zh: f.opt_string("reach_zh")?.unwrap_or_default(),
        };
        self.contacts.push(contact);
        Ok(())
    }

    fn agency(&mut self, ctx: &NativeCallContext, map: &Map) -> Out {
        let f = Fields::new(ctx, map, "agency")?;
        f.allow(&["jurisdiction", "name", "name_zh"])?;
        let scenario = self.scenario(ctx)?;
        let jurisdiction = f.jurisdiction(scenario, "jurisdiction")?;
        let name = f.non_empty("name")?;
        if self.agencies.iter().any(|(j, _, _)| *j == jurisdiction) {
            return err(
                ctx,
                format!(
                    "the agency of {:?} is already named",
                    scenario.jurisdictions[jurisdiction].id
                ),
            );
        }
        let name_zh = f.opt_string("name_zh")?.unwrap_or_default();
        self.agencies.push((jurisdiction, name, name_zh));
        Ok(())
    }

    fn disruption(&mut self, ctx: &NativeCallContext, map: &Map, what: &'static str) -> Out {
        let f = Fields::new(ctx, map, what)?;
        let mut allowed = vec!["at", "for_min", "note"];
        allowed.extend(match what {
            "breakdown" => &["team"][..],
            "short_staffed" => &["teams"][..],
            "close_road" => &["from", "to"][..],
            "station_failure" => &["point"][..],
            "kit_failure" => &["team", "instrument"][..],
            _ => &["regime"][..],
        });
        f.allow(&allowed)?;
        if self.disruptions.len() >= DRILL_ITEMS_MAX {
            return err(ctx, format!("more than {DRILL_ITEMS_MAX} disruptions"));
        }
        let scenario = self.scenario(ctx)?;
        let at = f.time("at", self.start)?;
        let duration = f
            .opt_int("for_min", 1, DRILL_HOURS_MAX * 60)?
            .map(SimDuration::from_minutes);
        let note = f.opt_string("note")?.unwrap_or_default();
        let team_of = |id: &str| {
            scenario
                .teams
                .iter()
                .position(|t| t.id == id)
                .map_or_else(|| err(ctx, format!("no team {id:?} in the scenario")), Ok)
        };
        let kinds = match what {
            "breakdown" => vec![DisruptionKind::TeamOutOfService {
                team: team_of(&f.string("team")?)?,
                reason: OutOfService::Breakdown,
            }],
            "short_staffed" => f
                .strings_or_one("teams")?
                .iter()
                .map(|id| {
                    Ok(DisruptionKind::TeamOutOfService {
                        team: team_of(id)?,
                        reason: OutOfService::NoStaff,
                    })
                })
                .collect::<Result<Vec<_>, Box<EvalAltResult>>>()?,
            "close_road" => {
                let (from, to) = (f.string("from")?, f.string("to")?);
                let node = |id: &str| scenario.road_nodes.iter().position(|n| n.id == id);
                let (Some(a), Some(b)) = (node(&from), node(&to)) else {
                    return err(
                        ctx,
                        format!("no road node {:?}", if node(&from).is_none() { &from } else { &to }),
                    );
                };
                let Some(road) = scenario
                    .roads
                    .iter()
                    .position(|r| (r.from == a && r.to == b) || (r.from == b && r.to == a))
                else {
                    return err(ctx, format!("no road joins {from:?} and {to:?}"));
                };
                vec![DisruptionKind::RoadClosed { road }]
            }
            "station_failure" => {
                let id = f.string("point")?;
                match scenario.point_idx(&id) {
                    Some(p) if scenario.points[p].station.is_some() => {
                        vec![DisruptionKind::StationFailure { point: p }]
                    }
                    Some(_) => return err(ctx, format!("point {id:?} is not an automatic station or buoy")),
                    None => return err(ctx, format!("no point {id:?} in the scenario")),
                }
            }
            "kit_failure" => {
                let team = team_of(&f.string("team")?)?;
                let instrument = f.string("instrument")?;
                if !scenario.teams[team].instruments.contains(&instrument) {
                    return err(
                        ctx,
                        format!("team {:?} carries no {instrument:?}", scenario.teams[team].id),
                    );
                }
                vec![DisruptionKind::KitFailure { team, instrument }]
            }
            _ => {
                let id = f.string("regime")?;
                match scenario.regime_idx(&id) {
                    Some(regime) => vec![DisruptionKind::FlowChange { regime }],
                    None => return err(ctx, format!("no flow regime {id:?}")),
                }
            }
        };
        for kind in kinds {
            self.disruptions.push(Disruption {
                kind,
                at,
                duration,
                note: note.clone(),
                line: line_of(ctx),
            });
        }
        Ok(())
    }

    fn objective(&mut self, ctx: &NativeCallContext, map: &Map) -> Out {
        let f = Fields::new(ctx, map, "objective")?;
        f.allow(&["id", "title", "capability", "title_zh", "capability_zh"])?;
        let id = f.string("id")?;
        if self.objectives.iter().any(|o| o.id == id) {
            return err(ctx, format!("objective {id:?} is defined twice"));
        }
        if self.objectives.len() >= DRILL_ITEMS_MAX {
            return err(ctx, format!("more than {DRILL_ITEMS_MAX} objectives"));
        }
        self.objectives.push(Objective {
            id,
            title: f.string("title")?,
            capability: f.string("capability")?,
            title_zh: f.opt_string("title_zh")?.unwrap_or_default(),
            capability_zh: f.opt_string("capability_zh")?.unwrap_or_default(),
        });
        Ok(())
    }

    fn target(&mut self, ctx: &NativeCallContext, map: &Map) -> Out {
        let f = Fields::new(ctx, map, "target")?;
        f.allow(&[
            "id",
            "objective",
            "title",
            "title_zh",
            "owner",
            "corrective",
            "corrective_zh",
            "start_days",
            "due_days",
            "weight",
            "tasks",
        ])?;
        if self.targets.len() >= DRILL_ITEMS_MAX {
            return err(ctx, format!("more than {DRILL_ITEMS_MAX} targets"));
        }
        let scenario = self.scenario(ctx)?;
        let id = f.string("id")?;
        if self.targets.iter().any(|t| t.id == id) {
            return err(ctx, format!("target {id:?} is defined twice"));
        }
        let objective_id = f.string("objective")?;
        let Some(objective) = self.objectives.iter().position(|o| o.id == objective_id) else {
            return err(
                ctx,
                format!("no objective {objective_id:?} (define it before its targets)"),
            );
        };
        let owner = match f.opt_string("owner")? {
            None => None,
            Some(text) if text == "command" => None,
            Some(text) => match scenario.jurisdictions.iter().position(|j| j.id == text) {
                Some(j) => Some(j),
                None => return err(ctx, format!("owner {text:?}: expected a jurisdiction id or command")),
            },
        };
        let Some(tasks) = map.get("tasks") else {
            return err(ctx, "target: missing field \"tasks\" (an array of critical tasks)");
        };
        let Some(tasks) = tasks.clone().try_cast::<Array>() else {
            return err(ctx, "target: \"tasks\" must be an array of maps");
        };
        if tasks.is_empty() {
            return err(ctx, format!("target {id:?} has no critical tasks"));
        }
        let mut critical = Vec::new();
        for task in tasks {
            let Some(task) = task.try_cast::<Map>() else {
                return err(ctx, "target: every critical task must be a map #{…}");
            };
            critical.push(self.critical_task(ctx, &task)?);
        }
        let due_days = f.opt_int("due_days", 1, 3650)?.unwrap_or(90) as u32;
        let start_days = f.opt_int("start_days", 0, 3650)?.unwrap_or(14.min(i64::from(due_days))) as u32;
        if start_days > due_days {
            return err(
                ctx,
                format!(
                    "start_days {start_days} is after due_days {due_days}: a corrective action starts before it is due"
                ),
            );
        }
        let weight = f.opt_number("weight")?.unwrap_or(1.0);
        if !(weight > 0.0 && weight <= 100.0) {
            return err(ctx, format!("weight {weight}: expected more than 0 and at most 100"));
        }
        self.targets.push(Target {
            id,
            objective,
            title: f.string("title")?,
            owner,
            corrective: f.string("corrective")?,
            title_zh: f.opt_string("title_zh")?.unwrap_or_default(),
            corrective_zh: f.opt_string("corrective_zh")?.unwrap_or_default(),
            start_days,
            due_days,
            weight,
            tasks: critical,
            line: line_of(ctx),
        });
        Ok(())
    }

    fn critical_task(&self, ctx: &NativeCallContext, map: &Map) -> Result<CriticalTask, Box<EvalAltResult>> {
        let f = Fields::new(ctx, map, "critical task")?;
        f.allow(&[
            "title",
            "title_zh",
            "measure",
            "incident",
            "by",
            "after",
            "within",
            "bands_min",
            "probability",
        ])?;
        let scenario = self.scenario(ctx)?;
        let mut measure = self
            .parse_measure(scenario, &f.string("measure")?)
            .or_else(|e| err(ctx, e))?;
        let mut reference = self
            .parse_reference(scenario, &f.string("after")?)
            .or_else(|e| err(ctx, e))?;
        if let Some(id) = f.opt_string("incident")? {
            let idx = self.incident_idx(scenario, &id).or_else(|e| err(ctx, e))?;
            let mut applied = false;
            if let Measure::FirstSample { incident, .. }
            | Measure::FirstResult { incident, .. }
            | Measure::IntakeAdvice { incident, .. }
            | Measure::Confirmed { incident, .. } = &mut measure
            {
                *incident = Some(idx);
                applied = true;
            }
            if let Reference::Plume { incident, .. } = &mut reference {
                *incident = Some(idx);
                applied = true;
            }
            if !applied {
                return err(
                    ctx,
                    "\"incident\" applies to sample, cross_border_sample, result, intake_advice and confirmed measures and to plume:POINT only",
                );
            }
        }
        if let Some(text) = f.opt_string("by")? {
            let Some(means) = Means::parse(&text) else {
                return err(
                    ctx,
                    format!("by {text:?}: expected boat, drone, road or mobile_laboratory"),
                );
            };
            let Measure::FirstSample { by, .. } = &mut measure else {
                return err(ctx, "\"by\" applies to sample and cross_border_sample measures only");
            };
            *by = Some(means);
        }
        if let Some(p) = f.opt_number("probability")? {
            let Measure::SourceIdentified { probability, .. } = &mut measure else {
                return err(ctx, "\"probability\" applies to the source_identified measure only");
            };
            if !(p > 0.0 && p <= 1.0) {
                return err(ctx, format!("probability {p}: expected more than 0 and at most 1"));
            }
            *probability = p;
        }
        let within = f.duration("within")?;
        let default_bands = [
            SimDuration((within.seconds().abs() / 2).max(15 * 60)),
            SimDuration(within.seconds().abs().max(30 * 60)),
        ];
        let bands = match map.get("bands_min") {
            None => default_bands,
            Some(value) => {
                let items = value.clone().try_cast::<Array>().unwrap_or_default();
                let minutes: Vec<i64> = items.iter().filter_map(|v| v.as_int().ok()).collect();
                if minutes.len() != 2
                    || items.len() != 2
                    || minutes[0] < 0
                    || minutes[1] < minutes[0]
                    || minutes[1] > DRILL_HOURS_MAX * 60
                {
                    return err(
                        ctx,
                        format!(
                            "bands_min must be [S, M]: two whole minutes with 0 ≤ S ≤ M ≤ {}",
                            DRILL_HOURS_MAX * 60
                        ),
                    );
                }
                [
                    SimDuration::from_minutes(minutes[0]),
                    SimDuration::from_minutes(minutes[1]),
                ]
            }
        };
        Ok(CriticalTask {
            title: f.string("title")?,
            title_zh: f.opt_string("title_zh")?.unwrap_or_default(),
            measure,
            reference,
            within,
            bands,
            line: line_of(ctx),
        })
    }

    fn parse_measure(&self, scenario: &Scenario, text: &str) -> Result<Measure, String> {
        let (kind, arg) = text.split_once(':').map_or((text, ""), |(k, a)| (k, a));
        let point = |id: &str| {
            scenario
                .point_idx(id)
                .ok_or_else(|| format!("no point {id:?} in the scenario"))
        };
        let jurisdiction = |id: &str| {
            scenario
                .jurisdictions
                .iter()
                .position(|j| j.id == id)
                .ok_or_else(|| format!("no jurisdiction {id:?}"))
        };
        let intake = |id: &str| {
            let idx = point(id)?;
            if scenario.points[idx].kind == PointKind::Intake {
                Ok(idx)
            } else {
                Err(format!("{id:?} is not a drinking-water intake"))
            }
        };
        Ok(match kind {
            "sample" => Measure::FirstSample {
                point: point(arg)?,
                cross_border: false,
                incident: None,
                by: None,
            },
            "cross_border_sample" => Measure::FirstSample {
                point: point(arg)?,
                cross_border: true,
                incident: None,
                by: None,
            },
            "result" => Measure::FirstResult {
                point: point(arg)?,
                incident: None,
            },
            "notify" => match arg.split_once('>') {
                Some((from, to)) => Measure::Notification {
                    from: Some(jurisdiction(from)?),
                    to: jurisdiction(to)?,
                },
                None => Measure::Notification {
                    from: None,
                    to: jurisdiction(arg)?,
                },
            },
            "plan" => Measure::PlanIssued {
                incident: self.incident_idx(scenario, arg)?,
            },
            "intake_advice" => Measure::IntakeAdvice {
                point: intake(arg)?,
                incident: None,
            },
            "confirmed" => Measure::Confirmed {
                point: intake(arg)?,
                incident: None,
            },
            "acknowledge" => Measure::Acknowledge {
                inject: self.inject_idx(arg)?,
            },
            "media" => Measure::MediaStatement,
            "source_identified" => {
                let incident = self.incident_idx(scenario, arg)?;
                let source = match self.incidents.get(incident) {
                    Some(i) => i.source,
                    None => scenario.incidents[incident].source,
                };
                if source.is_none() {
                    return Err(format!(
                        "measure {text:?}: incident {arg:?} is not at a risk source of the inventory, so no candidate can be its source"
                    ));
                }
                Measure::SourceIdentified {
                    incident,
                    probability: SOURCE_PROBABILITY_DEFAULT,
                }
            }
            _ => {
                return Err(format!(
                    "measure {text:?}: expected sample:POINT, cross_border_sample:POINT, result:POINT, notify:TO, notify:FROM>TO, plan:INCIDENT, intake_advice:INTAKE, confirmed:INTAKE, acknowledge:INJECT, media or source_identified:INCIDENT"
                ));
            }
        })
    }

    fn parse_reference(&self, scenario: &Scenario, text: &str) -> Result<Reference, String> {
        let (kind, arg) = text.split_once(':').map_or((text, ""), |(k, a)| (k, a));
        Ok(match kind {
            "exercise_start" => Reference::ExerciseStart,
            "first_report" => Reference::FirstReport,
            "release" => Reference::Release {
                incident: self.incident_idx(scenario, arg)?,
            },
            "report" => Reference::Report {
                incident: self.incident_idx(scenario, arg)?,
            },
            "inject" => Reference::Inject {
                inject: self.inject_idx(arg)?,
            },
            "plume" => Reference::Plume {
                point: scenario
                    .point_idx(arg)
                    .ok_or_else(|| format!("no point {arg:?} in the scenario"))?,
                incident: None,
            },
            _ => {
                return Err(format!(
                    "after {text:?}: expected exercise_start, first_report, release:INCIDENT, report:INCIDENT, inject:NUMBER or plume:POINT"
                ));
            }
        })
    }

    /// Incidents of the script, or of the scenario when the script defines none.
    fn incident_idx(&self, scenario: &Scenario, id: &str) -> Result<usize, String> {
        let found = if self.incidents.is_empty() {
            scenario.incidents.iter().position(|i| i.id == id)
        } else {
            self.incidents.iter().position(|i| i.id == id)
        };
        found.ok_or_else(|| format!("no incident {id:?} (define incidents before the targets that use them)"))
    }

    fn inject_idx(&self, number: &str) -> Result<usize, String> {
        self.injects
            .iter()
            .position(|i| i.number == number)
            .ok_or_else(|| format!("no inject {number:?} (define injects before the targets that use them)"))
    }
}

fn parse_expectation(scenario: &Scenario, text: &str) -> Result<Expectation, String> {
    let (kind, arg) = text.split_once(':').map_or((text, ""), |(k, a)| (k, a));
    let point = |id: &str| {
        scenario
            .point_idx(id)
            .ok_or_else(|| format!("no point {id:?} in the scenario"))
    };
    Ok(match kind {
        "acknowledge" => Expectation::Acknowledge,
        "notify" => Expectation::Notify {
            to: scenario
                .jurisdictions
                .iter()
                .position(|j| j.id == arg)
                .ok_or_else(|| format!("no jurisdiction {arg:?}"))?,
        },
        "sample" => Expectation::Sample { point: point(arg)? },
        "media" => Expectation::MediaStatement,
        "intake_advice" => Expectation::IntakeAdvice { point: point(arg)? },
        _ => {
            return Err(format!(
                "expected action {text:?}: expected acknowledge, notify:JURISDICTION, sample:POINT, media or intake_advice:POINT"
            ));
        }
    })
}

/// Typed access to a map argument, with errors placed at the call.
struct Fields<'c, 'm> {
    ctx: &'c NativeCallContext<'c>,
    map: &'m Map,
    what: &'static str,
}

impl<'c, 'm> Fields<'c, 'm> {
    fn new(ctx: &'c NativeCallContext<'c>, map: &'m Map, what: &'static str) -> Result<Self, Box<EvalAltResult>> {
        Ok(Fields { ctx, map, what })
    }

    fn allow(&self, allowed: &[&str]) -> Out {
        for key in self.map.keys() {
            if !allowed.contains(&key.as_str()) {
                return err(
                    self.ctx,
                    format!(
                        "{}: unknown field {:?}; expected one of {}",
                        self.what,
                        key.as_str(),
                        allowed.join(", ")
                    ),
                );
            }
        }
        Ok(())
    }

    fn get(&self, key: &str) -> Option<&Dynamic> {
        self.map.get(key)
    }

    fn string(&self, key: &str) -> Result<String, Box<EvalAltResult>> {
        match self.opt_string(key)? {
            Some(s) => Ok(s),
            None => err(self.ctx, format!("{}: missing field {key:?}", self.what)),
        }
    }

    fn opt_string(&self, key: &str) -> Result<Option<String>, Box<EvalAltResult>> {
        match self.get(key) {
            None => Ok(None),
            Some(v) if v.is_string() => Ok(Some(v.clone().into_string().expect("checked string"))),
            Some(v) => err(
                self.ctx,
                format!("{}: {key:?} must be a string, not {}", self.what, v.type_name()),
            ),
        }
    }

    /// A string that is not blank.
    fn non_empty(&self, key: &str) -> Result<String, Box<EvalAltResult>> {
        let text = self.string(key)?;
        if text.trim().is_empty() {
            return err(self.ctx, format!("{}: {key:?} must not be empty", self.what));
        }
        Ok(text.trim().to_string())
    }

    /// A time of the exercise, as the time after its start: `"H:MM"` or whole minutes
    /// after the start, or `"D1 HH:MM"` on the scenario clock.
    fn time(&self, key: &str, start: SimTime) -> Result<SimDuration, Box<EvalAltResult>> {
        if let Some(v) = self.get(key)
            && v.is_string()
        {
            let text = v.clone().into_string().expect("checked string");
            if text.trim().starts_with('D') {
                let Some(t) = parse_clock(&text) else {
                    return err(
                        self.ctx,
                        format!(
                            "{}: {key:?} = {text:?}: expected \"D1 HH:MM\" on the scenario clock",
                            self.what
                        ),
                    );
                };
                if t < start {
                    return err(
                        self.ctx,
                        format!(
                            "{}: {key:?} = {text:?} is before the exercise start ({})",
                            self.what,
                            start.clock_label()
                        ),
                    );
                }
                if (t - start).seconds() > DRILL_HOURS_MAX * 3600 {
                    return err(
                        self.ctx,
                        format!("{}: {key:?} = {text:?} is later than any drill", self.what),
                    );
                }
                return Ok(t - start);
            }
        }
        self.duration(key)
    }

    fn strings_or_one(&self, key: &str) -> Result<Vec<String>, Box<EvalAltResult>> {
        match self.get(key) {
            None => Ok(Vec::new()),
            Some(v) if v.is_string() => Ok(vec![v.clone().into_string().expect("checked string")]),
            Some(v) if v.is_array() => v
                .clone()
                .into_array()
                .expect("checked array")
                .into_iter()
                .map(|item| {
                    item.into_string()
                        .or_else(|t| err(self.ctx, format!("{}: {key:?} must hold strings, not {t}", self.what)))
                })
                .collect(),
            Some(v) => err(
                self.ctx,
                format!(
                    "{}: {key:?} must be a string or an array of strings, not {}",
                    self.what,
                    v.type_name()
                ),
            ),
        }
    }

    fn opt_number(&self, key: &str) -> Result<Option<f64>, Box<EvalAltResult>> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => match (v.as_float(), v.as_int()) {
                (Ok(x), _) if x.is_finite() => Ok(Some(x)),
                (_, Ok(i)) => Ok(Some(i as f64)),
                _ => err(
                    self.ctx,
                    format!("{}: {key:?} must be a number, not {}", self.what, v.type_name()),
                ),
            },
        }
    }

    fn opt_positive(&self, key: &str) -> Result<Option<f64>, Box<EvalAltResult>> {
        match self.opt_number(key)? {
            Some(x) if x <= 0.0 || x > 1e9 => err(
                self.ctx,
                format!("{}: {key:?} = {x} must be above 0 and at most 1e9", self.what),
            ),
            other => Ok(other),
        }
    }

    fn positive(&self, key: &str) -> Result<f64, Box<EvalAltResult>> {
        match self.opt_positive(key)? {
            Some(x) => Ok(x),
            None => err(self.ctx, format!("{}: missing field {key:?}", self.what)),
        }
    }

    fn opt_int(&self, key: &str, min: i64, max: i64) -> Result<Option<i64>, Box<EvalAltResult>> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => match v.as_int() {
                Ok(i) if (min..=max).contains(&i) => Ok(Some(i)),
                Ok(i) => err(
                    self.ctx,
                    format!("{}: {key:?} = {i} must be from {min} to {max}", self.what),
                ),
                Err(t) => err(
                    self.ctx,
                    format!("{}: {key:?} must be a whole number, not {t}", self.what),
                ),
            },
        }
    }

    /// A time after the exercise start: `"H:MM"` (may be negative for thresholds) or
    /// whole minutes.
    fn duration(&self, key: &str) -> Result<SimDuration, Box<EvalAltResult>> {
        let Some(v) = self.get(key) else {
            return err(self.ctx, format!("{}: missing field {key:?}", self.what));
        };
        if let Ok(minutes) = v.as_int() {
            // `unsigned_abs`: the absolute value of i64::MIN does not fit an i64.
            if minutes.unsigned_abs() > (DRILL_HOURS_MAX * 60) as u64 {
                return err(
                    self.ctx,
                    format!("{}: {key:?} = {minutes} min is longer than any drill", self.what),
                );
            }
            return Ok(SimDuration::from_minutes(minutes));
        }
        if v.is_string() {
            let text = v.clone().into_string().expect("checked string");
            if let Some(seconds) =
                parse_hh_mm(text.trim()).filter(|s| s.unsigned_abs() <= (DRILL_HOURS_MAX * 3600) as u64)
            {
                return Ok(SimDuration(seconds));
            }
            return err(
                self.ctx,
                format!("{}: {key:?} = {text:?}: expected \"H:MM\" or whole minutes", self.what),
            );
        }
        err(
            self.ctx,
            format!(
                "{}: {key:?} must be \"H:MM\" or whole minutes, not {}",
                self.what,
                v.type_name()
            ),
        )
    }

    fn jurisdiction(&self, scenario: &Scenario, key: &str) -> Result<usize, Box<EvalAltResult>> {
        let id = self.string(key)?;
        scenario
            .jurisdictions
            .iter()
            .position(|j| j.id == id)
            .map_or_else(|| err(self.ctx, format!("no jurisdiction {id:?}")), Ok)
    }

    /// `"all"`, a seat, or an array of seats.
    fn seats(&self, scenario: &Scenario, key: &str) -> Result<Vec<Seat>, Box<EvalAltResult>> {
        let names = self.strings_or_one(key)?;
        if names.is_empty() {
            return err(self.ctx, format!("{}: missing field {key:?}", self.what));
        }
        let mut seats = Vec::new();
        for name in names {
            if name == "all" {
                // Every jurisdiction with risk sources of its own (the zone's counties), and
                // the joint command.
                seats.extend(
                    (0..scenario.jurisdictions.len())
                        .filter(|&j| scenario.risk_sources.iter().any(|s| s.jurisdiction == j))
                        .map(Seat::Jurisdiction),
                );
                seats.push(Seat::Command);
                continue;
            }
            match Seat::parse(&name, scenario) {
                Some(seat) => seats.push(seat),
                None => {
                    return err(
                        self.ctx,
                        format!(
                            "{}: no seat {name:?}: expected all, command, controller or a jurisdiction id",
                            self.what
                        ),
                    );
                }
            }
        }
        seats.sort();
        seats.dedup();
        Ok(seats)
    }
}
