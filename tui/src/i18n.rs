//! The program's languages: English and Simplified Chinese (zh-CN). Every text a person
//! reads is a Fluent message in `tui/locales/LANG/*.ftl`, embedded in the binary; a
//! lookup never panics (a missing message shows its key, and the tests catch it).
//!
//! The language is chosen once, at start: `--lang`, else the environment (LC_ALL, then
//! LC_MESSAGES, then LANG: `zh*` is Chinese, anything else English). Front ends that
//! draw for a person hold a `Lang` of their own (the console's `App::lang`); commands
//! read the process's choice with `current()`.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU8, Ordering};
use tripoint_sim::scenario::{Incident, Scenario};
use tripoint_sim::standards::Gb3838;
use unicode_width::UnicodeWidthStr as _;

/// A language the program speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    ZhCn,
}

/// The message files of each language, by name (one file per area of the program).
pub const EN_FILES: [(&str, &str); 9] = [
    ("console.ftl", include_str!("../locales/en/console.ftl")),
    ("cli.ftl", include_str!("../locales/en/cli.ftl")),
    ("report.ftl", include_str!("../locales/en/report.ftl")),
    ("plan.ftl", include_str!("../locales/en/plan.ftl")),
    ("identify.ftl", include_str!("../locales/en/identify.ftl")),
    ("planner.ftl", include_str!("../locales/en/planner.ftl")),
    ("check.ftl", include_str!("../locales/en/check.ftl")),
    ("optimise.ftl", include_str!("../locales/en/optimise.ftl")),
    ("help.ftl", include_str!("../locales/en/help.ftl")),
];
pub const ZH_CN_FILES: [(&str, &str); 9] = [
    ("console.ftl", include_str!("../locales/zh-CN/console.ftl")),
    ("cli.ftl", include_str!("../locales/zh-CN/cli.ftl")),
    ("report.ftl", include_str!("../locales/zh-CN/report.ftl")),
    ("plan.ftl", include_str!("../locales/zh-CN/plan.ftl")),
    ("identify.ftl", include_str!("../locales/zh-CN/identify.ftl")),
    ("planner.ftl", include_str!("../locales/zh-CN/planner.ftl")),
    ("check.ftl", include_str!("../locales/zh-CN/check.ftl")),
    ("optimise.ftl", include_str!("../locales/zh-CN/optimise.ftl")),
    ("help.ftl", include_str!("../locales/zh-CN/help.ftl")),
];

type Bundle = FluentBundle<FluentResource>;

static BUNDLES: LazyLock<[Bundle; 2]> = LazyLock::new(|| [bundle(Lang::En), bundle(Lang::ZhCn)]);

/// The language chosen for this process (`set_current`), English until then.
static CURRENT: AtomicU8 = AtomicU8::new(0);

fn bundle(lang: Lang) -> Bundle {
    let tag: unic_langid::LanguageIdentifier = lang.tag().parse().expect("a valid language tag");
    let mut bundle = Bundle::new_concurrent(vec![tag]);
    // Unicode isolation marks around arguments would count as characters in a terminal's
    // columns and in files; the texts here mix no right-to-left scripts.
    bundle.set_use_isolating(false);
    for (name, text) in lang.files() {
        // The files are part of the program and checked by the tests; a syntax error keeps
        // the messages that parsed (Fluent's recovery) rather than stopping the program.
        let resource = FluentResource::try_new(text.to_string()).unwrap_or_else(|(partial, _)| partial);
        if bundle.add_resource(resource).is_err() {
            debug_assert!(false, "{name}: a message defined twice");
        }
    }
    bundle
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::ZhCn];

    /// The BCP 47 tag: `en` or `zh-CN`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }

    /// The language a `--lang` value names: `en` or `zh-CN` (`zh`, `zh_CN` too).
    pub fn parse(text: &str) -> Option<Lang> {
        match text.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "en" | "en-us" | "en-gb" => Some(Lang::En),
            "zh" | "zh-cn" | "zh-hans" | "zh-hans-cn" => Some(Lang::ZhCn),
            _ => None,
        }
    }

    /// The language of a locale setting such as `zh_CN.UTF-8`: Chinese for `zh*`.
    pub fn of_locale(locale: &str) -> Lang {
        if locale.to_ascii_lowercase().starts_with("zh") {
            Lang::ZhCn
        } else {
            Lang::En
        }
    }

    /// The language the environment asks for: the first of LC_ALL, LC_MESSAGES and LANG
    /// that is set and not empty (POSIX's order), English when none is.
    pub fn from_env_values(lc_all: Option<&str>, lc_messages: Option<&str>, lang: Option<&str>) -> Lang {
        [lc_all, lc_messages, lang]
            .into_iter()
            .flatten()
            .find(|v| !v.is_empty())
            .map_or(Lang::En, Lang::of_locale)
    }

    /// The language of this process's environment.
    pub fn from_env() -> Lang {
        let var = |name| std::env::var(name).ok();
        Lang::from_env_values(
            var("LC_ALL").as_deref(),
            var("LC_MESSAGES").as_deref(),
            var("LANG").as_deref(),
        )
    }

    /// The embedded message files of the language.
    pub fn files(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Lang::En => &EN_FILES,
            Lang::ZhCn => &ZH_CN_FILES,
        }
    }

    fn bundle(self) -> &'static Bundle {
        &BUNDLES[self as usize]
    }

    /// The message `key`; the key itself if the language has no such message.
    pub fn t(self, key: &str) -> String {
        self.t_args(key, &[])
    }

    /// The message `key` with its arguments (`{ $name }` in the file).
    pub fn t_args(self, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let bundle = self.bundle();
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            return key.to_string();
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        // A missing argument is written as `{$name}` by Fluent: visible, never a panic.
        let mut errors = Vec::new();
        bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors)
            .into_owned()
    }

    /// The attribute `attribute` of the message `key` (`.long = …` in the file), `None`
    /// if the language has no such message or attribute.
    pub fn attribute(self, key: &str, attribute: &str) -> Option<String> {
        let bundle = self.bundle();
        let pattern = bundle.get_message(key)?.get_attribute(attribute)?.value();
        let mut errors = Vec::new();
        Some(bundle.format_pattern(pattern, None, &mut errors).into_owned())
    }

    /// Whether the language has the message `key`.
    pub fn has(self, key: &str) -> bool {
        self.bundle().has_message(key)
    }

    /// A place's, team's or station's name as this language shows it: the Chinese name in
    /// Chinese where there is one, else the English one.
    pub fn name<'a>(self, name: &'a str, name_zh: &'a str) -> &'a str {
        match self {
            Lang::ZhCn if !name_zh.is_empty() => name_zh,
            _ => name,
        }
    }
}

/// A `--lang` value that names no language the program speaks (`Lang::parse`): its
/// English as `Display`; the usage error says it in the session's language.
#[derive(Debug)]
pub struct UnknownLanguage(pub String);

impl std::fmt::Display for UnknownLanguage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}: expected zh-CN or en", self.0)
    }
}

impl std::error::Error for UnknownLanguage {}

/// A flow regime as a person reads it: in Chinese the scenario's `name_zh` (枯水期,
/// 平水期, 丰水期) where it has one, else the id (`normal`), as English always shows.
pub fn regime_name(lang: Lang, scenario: &Scenario, id: &str) -> String {
    let zh = scenario
        .regimes
        .iter()
        .find(|r| r.id == id)
        .map_or("", |r| r.name_zh.as_str());
    lang.name(id, zh).to_string()
}

/// Every message id and argument name of the English message files, as the embedded
/// files hold them: a message read from the network (`net::Message`) names its message
/// and arguments by these, so that a sentence built from it holds the program's own
/// `&'static str`s and nothing a peer made up.
static IDENTIFIERS: LazyLock<std::collections::BTreeSet<&'static str>> = LazyLock::new(|| {
    let is_identifier = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let mut found = std::collections::BTreeSet::new();
    for (_, text) in EN_FILES {
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            if !line.starts_with(' ')
                && let Some((id, _)) = line.split_once(" =")
                && !id.is_empty()
                && id.chars().all(is_identifier)
            {
                found.insert(id);
            }
            let mut rest = line;
            while let Some(at) = rest.find('$') {
                rest = &rest[at + 1..];
                let end = rest.find(|c: char| !is_identifier(c)).unwrap_or(rest.len());
                if end > 0 {
                    found.insert(&rest[..end]);
                }
            }
        }
    }
    found
});

/// `text` as the program's own message id or argument name, if the message files have it.
pub fn known_identifier(text: &str) -> Option<&'static str> {
    IDENTIFIERS.get(text).copied()
}

/// The name a person reads for a scenario id (jurisdiction, named point, node, reach, depot,
/// risk source, team, pollutant): in Chinese the scenario's `name_zh` (a pollutant's GB 3838
/// item's), in English the id itself, as the English screens show ids; an unknown id or a
/// missing Chinese name stays the id.
pub fn scenario_name(lang: Lang, scenario: &Scenario, id: &str) -> String {
    if lang == Lang::En {
        return id.to_string();
    }
    let s = scenario;
    let found = s
        .jurisdictions
        .iter()
        .find(|x| x.id == id)
        .map(|x| x.name_zh.as_str())
        .or_else(|| s.points.iter().find(|x| x.id == id).map(|x| x.name_zh.as_str()))
        .or_else(|| s.nodes.iter().find(|x| x.id == id).map(|x| x.name_zh.as_str()))
        .or_else(|| s.reaches.iter().find(|x| x.id == id).map(|x| x.name_zh.as_str()))
        .or_else(|| s.depots.iter().find(|x| x.id == id).map(|x| x.name_zh.as_str()))
        .or_else(|| s.road_nodes.iter().find(|x| x.id == id).map(|x| x.name_zh.as_str()))
        .or_else(|| s.risk_sources.iter().find(|x| x.id == id).map(|x| x.name_zh.as_str()))
        .or_else(|| s.teams.iter().find(|x| x.id == id).map(|x| x.name_zh.as_str()))
        .or_else(|| s.incidents.iter().find(|x| x.id == id).map(|x| x.name_zh.as_str()))
        .or_else(|| {
            let pollutant = s.pollutants.iter().find(|x| x.id == id)?;
            Gb3838::builtin()
                .get(&pollutant.standard_item)
                .map(|item| item.name_zh.as_str())
        });
    match found {
        Some(name) if !name.is_empty() => name.to_string(),
        _ => generated_point_name(lang, scenario, id).unwrap_or_else(|| id.to_string()),
    }
}

/// The name of a point a monitoring plan generated (`INCIDENT-site`, `-control`,
/// `-down-5km`, `-outlet-REACH`; `tripoint_sim::plan`), from its role, as the plan
/// document names it (`plandoc-name-*`), and with its incident's name before it when the
/// scenario has more than one; `None` for any other id.
fn generated_point_name(lang: Lang, scenario: &Scenario, id: &str) -> Option<String> {
    let (incident, role) = generated_split(scenario, id)?;
    let point = generated_point_role(lang, scenario, role)?;
    // With two incidents at once both plans have a site and sections below it: the name
    // says whose, as the id does.
    match incident {
        Some(x) if scenario.incidents.len() > 1 => Some(lang.t_args(
            "plandoc-name-of-incident",
            &[
                ("incident", lang.name(&x.name, &x.name_zh).to_string().into()),
                ("point", point.into()),
            ],
        )),
        _ => Some(point),
    }
}

/// The name of a plan's point where the incident is already said (a plan's own list of
/// points under the incident's name): a generated point by its role alone, any other as
/// [`scenario_name`].
pub fn plan_point_name(lang: Lang, scenario: &Scenario, id: &str) -> String {
    if lang != Lang::En
        && let Some((Some(_), role)) = generated_split(scenario, id)
        && let Some(name) = generated_point_role(lang, scenario, role)
    {
        return name;
    }
    scenario_name(lang, scenario, id)
}

/// A generated point's id split into its incident (the scenario's incident whose id and a
/// hyphen begin it, if any: an incident's id may hold hyphens itself) and its role.
fn generated_split<'a>(scenario: &'a Scenario, id: &'a str) -> Option<(Option<&'a Incident>, &'a str)> {
    scenario
        .incidents
        .iter()
        .find_map(|x| {
            id.strip_prefix(x.id.as_str())?
                .strip_prefix('-')
                .map(|role| (Some(x), role))
        })
        .or_else(|| id.split_once('-').map(|(_, role)| (None, role)))
}

/// A generated point's name from its role alone (`plandoc-name-*`).
fn generated_point_role(lang: Lang, scenario: &Scenario, role: &str) -> Option<String> {
    Some(match role {
        "site" => lang.t("plandoc-name-site"),
        "control" => lang.t("plandoc-name-control"),
        _ => {
            if let Some(km) = role.strip_prefix("down-").and_then(|r| r.strip_suffix("km")) {
                km.parse::<f64>().ok()?;
                lang.t_args("plandoc-name-down", &[("km", km.to_string().into())])
            } else {
                let reach = scenario
                    .reaches
                    .iter()
                    .find(|r| Some(r.id.as_str()) == role.strip_prefix("outlet-"))?;
                let lake = &scenario.nodes[reach.from];
                lang.t_args(
                    "plandoc-name-outlet",
                    &[
                        ("lake", lang.name(&lake.name, &lake.name_zh).to_string().into()),
                        ("reach", lang.name(&reach.name, &reach.name_zh).to_string().into()),
                    ],
                )
            }
        }
    })
}

/// The name a person reads for a location's label as the commands write it: a named point,
/// node or risk source's id, `REACH @ CHAINAGE m` (or `REACH@CHAINAGE` as typed) or
/// `LAKE#CELL`. In English the label itself; in Chinese the reach's or lake's Chinese
/// name with the chainage or cell (`id-location-*`), ids by `scenario_name`.
pub fn location_name(lang: Lang, scenario: &Scenario, label: &str) -> String {
    if lang == Lang::En {
        return label.to_string();
    }
    if let Some((reach, chainage)) = label.split_once('@') {
        let metres = chainage.trim().trim_end_matches('m').trim();
        return lang.t_args(
            "id-location-chainage",
            &[
                ("reach", scenario_name(lang, scenario, reach.trim()).into()),
                ("metres", metres.to_string().into()),
            ],
        );
    }
    if let Some((lake, cell)) = label.split_once('#') {
        return lang.t_args(
            "id-location-lake-cell",
            &[
                ("lake", scenario_name(lang, scenario, lake.trim()).into()),
                ("cell", cell.trim().to_string().into()),
            ],
        );
    }
    scenario_name(lang, scenario, label)
}

/// The message `key` in the process's language ([`current`]), each argument written
/// as its `Display` text: for the lines a command or the server writes on standard
/// error for the person running it.
pub fn said_here(key: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    let args: Vec<(&str, FluentValue<'_>)> = args.iter().map(|(name, v)| (*name, v.to_string().into())).collect();
    current().t_args(key, &args)
}

/// The ids a person may type, as a problem lists them: `dry, normal, flood` in English,
/// and in Chinese each id with its Chinese name where it has one, `dry（枯水期）、normal（平水期）`
/// (the id is what must be typed, the name says what it is).
pub fn choices<'a, N: AsRef<str>>(lang: Lang, items: impl IntoIterator<Item = (&'a str, N)>) -> String {
    items
        .into_iter()
        .map(|(id, name_zh)| match lang {
            Lang::ZhCn if !name_zh.as_ref().is_empty() && name_zh.as_ref() != id => lang.t_args(
                "arg-choice-named",
                &[("id", id.into()), ("name", name_zh.as_ref().to_string().into())],
            ),
            _ => id.to_string(),
        })
        .collect::<Vec<_>>()
        .join(&lang.t("arg-list-separator"))
}

/// The flow regimes a scenario has, as [`choices`] lists them.
pub fn regime_choices(lang: Lang, scenario: &Scenario) -> String {
    choices(
        lang,
        scenario.regimes.iter().map(|r| (r.id.as_str(), r.name_zh.as_str())),
    )
}

/// The pollutants a scenario has, as [`choices`] lists them.
pub fn pollutant_choices(lang: Lang, scenario: &Scenario) -> String {
    let named = |id: &'_ str| scenario_name(Lang::ZhCn, scenario, id);
    choices(lang, scenario.pollutants.iter().map(|p| (p.id.as_str(), named(&p.id))))
}

/// An operating system's error on a file as the person reads it: in Chinese the common
/// kinds said in Chinese (文件或文件夹不存在, 没有权限, 已存在), in English and for every
/// other kind the system's own words, as they come.
pub fn io_error(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    let key = match e.kind() {
        ErrorKind::NotFound => "io-not-found",
        ErrorKind::PermissionDenied => "io-permission-denied",
        ErrorKind::AlreadyExists => "io-already-exists",
        _ => return e.to_string(),
    };
    match current() {
        Lang::En => e.to_string(),
        lang => lang.t(key),
    }
}

/// Chooses the process's language (once, at start).
pub fn set_current(lang: Lang) {
    CURRENT.store(lang as u8, Ordering::Relaxed);
}

/// The process's language.
pub fn current() -> Lang {
    match CURRENT.load(Ordering::Relaxed) {
        1 => Lang::ZhCn,
        _ => Lang::En,
    }
}

/// Text's width in terminal columns (a Chinese character takes two).
pub fn width(text: &str) -> usize {
    text.width()
}

/// `text` broken into lines of at most `columns` display columns: between words at
/// spaces, and between any two Chinese characters (Chinese has no spaces to break at),
/// but never before closing punctuation (`，。）` and the like, which stays on the line
/// it closes) nor after opening punctuation (`（《`, which stays with what it opens). A
/// word wider than a line is cut where the line ends; a newline in `text`
/// always breaks.
pub fn wrap(text: &str, columns: usize) -> Vec<String> {
    text.split('\n')
        .flat_map(|line| wrap_line(line, columns.max(1)))
        .collect()
}

fn wrap_line(text: &str, columns: usize) -> Vec<String> {
    // Pieces that are never broken: a run of narrow characters without spaces (a word),
    // or one wide character, either with the closing punctuation that follows it; and
    // the spaces between them.
    let mut pieces: Vec<(String, bool)> = Vec::new();
    for c in text.chars() {
        let space = c == ' ';
        let wide = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) > 1;
        let closing = "，。、；：！？）》」』】%,.;:!?)".contains(c);
        match pieces.last_mut() {
            Some((piece, was_space))
                if !space && !*was_space && (closing || !wide && !ends_wide(piece) || ends_opening(piece)) =>
            {
                piece.push(c);
            }
            Some((piece, true)) if space => piece.push(c),
            _ => pieces.push((c.to_string(), space)),
        }
    }
    let mut lines = Vec::new();
    let mut line = String::new();
    for (piece, space) in pieces {
        if width(&line) + width(&piece) <= columns {
            line.push_str(&piece);
        } else if space {
            // A line never ends or starts with the spaces it broke at.
            if !line.trim().is_empty() {
                lines.push(std::mem::take(&mut line).trim_end().to_string());
            }
            line.clear();
        } else {
            if !line.trim().is_empty() {
                lines.push(std::mem::take(&mut line).trim_end().to_string());
            }
            line.clear();
            let mut rest = piece.as_str();
            while width(rest) > columns {
                let head = truncate(rest, columns);
                let head = if head.is_empty() {
                    &rest[..rest.chars().next().map_or(0, char::len_utf8)]
                } else {
                    head
                };
                lines.push(head.to_string());
                rest = &rest[head.len()..];
            }
            line.push_str(rest);
        }
    }
    if !line.trim().is_empty() || lines.is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines
}

fn ends_opening(piece: &str) -> bool {
    piece.chars().last().is_some_and(|c| "（《「『【(".contains(c))
}

fn ends_wide(piece: &str) -> bool {
    piece
        .chars()
        .last()
        .is_some_and(|c| unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) > 1)
}

/// `text` padded with spaces on the left to `columns` display columns.
pub fn pad_left(text: &str, columns: usize) -> String {
    format!("{}{text}", " ".repeat(columns.saturating_sub(width(text))))
}

/// `text` padded with spaces on the right to `columns` display columns.
pub fn pad_right(text: &str, columns: usize) -> String {
    format!("{text}{}", " ".repeat(columns.saturating_sub(width(text))))
}

/// How a [`TextTable`]'s column lines up its cells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A table of plain text for a terminal or a log: each column as wide, in display columns
/// (a Chinese character two, [`width`]), as its widest cell or heading, so that neither a
/// long Chinese name nor a wide heading (后验概率) pushes the columns after it out of line.
/// Columns are parted by two spaces; the last column is not padded.
pub struct TextTable {
    indent: usize,
    heading: Vec<(String, Align)>,
    rows: Vec<Vec<String>>,
}

impl TextTable {
    /// A table indented by `indent` spaces with these headings.
    pub fn new(indent: usize, heading: Vec<(String, Align)>) -> Self {
        TextTable {
            indent,
            heading,
            rows: Vec::new(),
        }
    }

    /// A row; missing cells are blank, cells beyond the headings are dropped.
    pub fn row(&mut self, mut cells: Vec<String>) {
        cells.resize(self.heading.len(), String::new());
        self.rows.push(cells);
    }

    /// The heading and the rows, each line ending in a newline, trailing spaces cut.
    pub fn render(&self) -> String {
        let widths: Vec<usize> = (0..self.heading.len())
            .map(|c| {
                self.rows
                    .iter()
                    .map(|r| width(&r[c]))
                    .chain([width(&self.heading[c].0)])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = String::new();
        let headings: Vec<String> = self.heading.iter().map(|(h, _)| h.clone()).collect();
        for cells in std::iter::once(&headings).chain(&self.rows) {
            let mut line = " ".repeat(self.indent);
            for (c, cell) in cells.iter().enumerate() {
                if c > 0 {
                    line.push_str("  ");
                }
                line.push_str(&match self.heading[c].1 {
                    Align::Left => pad_right(cell, widths[c]),
                    Align::Right => pad_left(cell, widths[c]),
                });
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

/// `text` cut to at most `columns` display columns, never inside a character.
pub fn truncate(text: &str, columns: usize) -> &str {
    let mut used = 0;
    for (at, c) in text.char_indices() {
        used += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used > columns {
            return &text[..at];
        }
    }
    text
}

/// Words that stay English in any language: units, standards' and clock prefixes.
const KEPT_WORDS: [&str; 8] = ["mg", "kg", "km", "min", "HJ", "GB", "ID", "CSV"];

/// Runs of two or more English words in `text` (an untranslated sentence, or part of
/// one): what a Chinese document must not contain. Ids (`jinze_intake`, `wujiang-down`),
/// numbers, units (`mg/L`, `km`) and standard numbers (`HJ 589`) are not words here.
pub fn english_phrases(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        let mut run: Vec<&str> = Vec::new();
        // Tokens are split at spaces and at any character that is not ASCII, a letter,
        // a digit, `_`, `-`, `/` or `.` (so Chinese text and its punctuation end a run).
        let tokens = line.split(|c: char| c.is_whitespace() || !(c.is_ascii_alphanumeric() || "_-/.'".contains(c)));
        for token in tokens.chain(std::iter::once("")) {
            let word = token.trim_matches(|c: char| ".'-/".contains(c));
            let is_word = word.len() >= 2
                && word.chars().all(|c| c.is_ascii_alphabetic())
                && !KEPT_WORDS.contains(&word)
                && !word.chars().all(|c| c.is_ascii_uppercase());
            if is_word {
                run.push(word);
            } else {
                if run.len() >= 2 {
                    found.push(run.join(" "));
                }
                run.clear();
            }
        }
    }
    found
}

#[cfg(test)]
mod tests;
