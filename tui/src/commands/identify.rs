//! `tripoint identify`: which source, since when, how much — from the results taken so
//! far — and what that means at the intakes and border sections.

use crate::i18n::{self, Align, Lang, TextTable, pad_right, said_here};
use crate::input::{CacheArgs, CliError, CliResult, cache_line, load_scenario, read_text_file};
use anyhow::Context as _;
use fluent_bundle::FluentValue;
use std::fmt::Write as _;
use std::path::PathBuf;
use tripoint_sim::identify::{
    self, Candidate, DISCHARGE_LOG_SD_MAX, DISPERSION_LOG_SD_MAX, ErrorModel, FactorNode, Identification,
    IdentifyError, IdentifyRequest, ModelSpread, Observation, Prior, TwoSources, UnknownFactors,
};
use tripoint_sim::result_value::ResultValue;
use tripoint_sim::scenario::Scenario;
use tripoint_sim::time::{SimDuration, SimTime};
use tripoint_sim::transport::unit::UnitStore;

#[derive(clap::Args, Debug)]
pub struct IdentifyArgs {
    /// Scenario file (default: the built-in demonstration zone).
    pub scenario: Option<PathBuf>,
    /// The results so far (CSV; columns in docs/identify.md): point, pollutant, taken_at,
    /// value_mg_l (a number, or `<DL`, `<0.03`, `nd` below the detection limit),
    /// detection_limit_mg_l (empty: the pollutant's).
    #[arg(long, value_name = "FILE.csv")]
    pub results: PathBuf,
    /// Where a release may have happened: the risk sources of the inventory, or anywhere
    /// on the network (every reach every --spacing-m, every lake cell).
    #[arg(long, value_enum, default_value_t = PriorName::Inventory)]
    pub prior: PriorName,
    /// With --prior anywhere: distance between candidate places along a reach [m].
    #[arg(long, value_name = "M", default_value_t = 2000.0, allow_negative_numbers = true)]
    pub spacing_m: f64,
    /// With --prior anywhere and one release: how many of the most probable places have
    /// their stretch and the stretches next to it weighed again every spacing / 8, or every
    /// transport cell where that is longer (0: none).
    #[arg(long, value_name = "N", default_value_t = identify::REFINE_PLACES_MAX)]
    pub refine_places: usize,
    /// Earliest start considered (HH:MM on day 1, or `D2 08:00`; default: 48 h before the
    /// first detection, not before the scenario's start).
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Step of the coarse start-time grid [min] (refined to the output step where the
    /// results are sharp).
    #[arg(long, value_name = "MIN", default_value_t = 10)]
    pub start_step_min: i64,
    /// Release durations considered [min], comma-separated; 0 is instantaneous.
    #[arg(long, value_name = "MIN,…", value_delimiter = ',', default_values_t = [0, 60, 180])]
    pub durations_min: Vec<i64>,
    /// Flow regime held during the incident (default: the scenario's).
    #[arg(long, value_name = "REGIME")]
    pub flow: Option<String>,
    /// Measurement error, relative to the concentration.
    #[arg(long, value_name = "SHARE", default_value_t = 0.10, allow_negative_numbers = true)]
    pub error_relative: f64,
    /// Model error, relative to the concentration.
    #[arg(long, value_name = "SHARE", default_value_t = 0.10, allow_negative_numbers = true)]
    pub error_model: f64,
    /// Absolute measurement error [mg/L] of every result. Default: a third of each result's
    /// detection limit (HJ 168-2020 sets a limit at about three standard deviations of
    /// low-level replicates), the pollutant's in the scenario for a result that gives none.
    #[arg(long, value_name = "MG_L", allow_negative_numbers = true)]
    pub error_absolute: Option<f64>,
    /// Model error in the time the plume passes a result's place [min] (a standard
    /// deviation): a result on a plume's steep edge then weighs less, one at its peak
    /// hardly less. 0: none. Default: the identification's (docs/identify.md).
    #[arg(long, value_name = "MIN", allow_negative_numbers = true)]
    pub error_timing_min: Option<f64>,
    /// The transport's dispersion taken as unknown, shared by every result: the standard
    /// deviation of the log of a factor on the scenario's dispersion (from 0 to 1.5; 0: the
    /// scenario's dispersion only). Each factor weighed costs a transport run per place.
    /// Default: the identification's (docs/identify.md).
    #[arg(long, value_name = "LOG_SD", allow_negative_numbers = true)]
    pub error_dispersion_log_sd: Option<f64>,
    /// The river's discharge taken as unknown, shared by every result: the standard
    /// deviation of the log of a factor on every reach's discharge in every regime (from 0
    /// to 0.5; 0: the scenario's discharge only), weighed beside the dispersion's. Each
    /// factor weighed costs a transport run per place. Default: the identification's
    /// (docs/identify.md).
    #[arg(long, value_name = "LOG_SD", allow_negative_numbers = true)]
    pub error_discharge_log_sd: Option<f64>,
    /// How far past the last result the outlook runs [h].
    #[arg(long, value_name = "H", default_value_t = 24)]
    pub outlook_hours: i64,
    /// Releases drawn from the posterior for the outlook.
    #[arg(long, value_name = "N", default_value_t = 400)]
    pub draws: usize,
    /// Seed of the draws.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Simultaneous releases weighed: 1, or 2 (two releases, each its own place, start,
    /// duration, mass and pollutant, weighed against one).
    #[arg(long, value_name = "1|2", default_value_t = 1)]
    pub sources: usize,
    /// Also write a report into this folder: report.md with SVG plots (posterior over
    /// places, fit at the sampled points, forecast ensemble at the intakes) and
    /// identification.json.
    #[arg(long, value_name = "DIR")]
    pub report: Option<PathBuf>,
    /// Print one JSON document instead of tables.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub cache: CacheArgs,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq)]
pub enum PriorName {
    Inventory,
    Anywhere,
}

/// Largest results file read [bytes].
const RESULTS_BYTES_MAX: u64 = 16 << 20;
/// Most results weighed.
const RESULTS_MAX: usize = 20_000;
/// Limits of the numeric flags.
const DRAWS_MAX: usize = 100_000;
/// Most places whose stretches `--refine-places` weighs again (each costs up to three
/// stretches of eight transport runs, more at a junction).
const REFINE_PLACES_MAX: usize = 10;
const OUTLOOK_HOURS_MAX: i64 = 24 * 30;
const DURATION_MIN_MAX: i64 = 7 * 24 * 60;
/// Largest timing error [min]: a day, beyond which no result's time would tell anything.
const TIMING_MIN_MAX: f64 = 24.0 * 60.0;

pub fn run(args: &IdentifyArgs) -> CliResult {
    let scenario = load_scenario(args.scenario.as_deref())?;
    let shown = args.results.display().to_string();
    let text = read_text_file(&args.results, RESULTS_BYTES_MAX, "a results file")?;
    let observations = parse_results(&scenario, &text).map_err(|e| CliError::Input(format!("{shown}: {e}")))?;
    let request = build_request(&scenario, args, observations).map_err(CliError::Input)?;
    let names = Names {
        lang: i18n::current(),
        scenario: &scenario,
    };
    if let Some(dir) = &args.report {
        crate::input::check_output_dir(dir, "--report")?;
    }
    let cache = args.cache.cache();
    let identification = identify::identify_cached(&scenario, &request, cache.as_ref().map(|c| c as &dyn UnitStore))
        .map_err(|e| CliError::Input(refusal_here(&scenario, &e)))?;
    eprintln!(
        "{}",
        crate::i18n::current().t_args(
            "progress-unit-responses",
            &[
                ("runs", identification.n_transport_runs.to_string().into()),
                ("cache", cache_line(cache.as_ref(), identification.cache).into()),
            ],
        )
    );
    if let Some(dir) = &args.report {
        crate::report::identify::write(dir, &names, &identification)?;
        eprintln!(
            "{}",
            said_here("out-identify-report", &[("file", &dir.join("report.md").display())])
        );
    }
    if args.json {
        let document = serde_json::to_string_pretty(&identification).context("serialising the identification")?;
        println!("{document}");
    } else {
        print!("{}", report(&names, &request, &identification));
    }
    Ok(())
}

/// Factors of the model with their posterior probabilities, as a person reads them:
/// `×0.82 0.200, ×0.90 0.231` in English, `×0.82：0.200、×0.90：0.231` in Chinese.
pub fn factor_list(lang: Lang, factors: impl IntoIterator<Item = (f64, f64)>) -> String {
    let (between, apart) = match lang {
        Lang::En => (" ", ", "),
        Lang::ZhCn => ("：", "、"),
    };
    factors
        .into_iter()
        .map(|(f, p)| format!("×{f:.2}{between}{p:.3}"))
        .collect::<Vec<_>>()
        .join(apart)
}

/// Why nothing was identified, in the session's language where the reason is data (the
/// lattice too large, no candidate place; both found before any run).
fn refusal_here(scenario: &Scenario, error: &IdentifyError) -> String {
    match error {
        IdentifyError::LatticeTooLarge(too_large) => said_here(
            "id-lattice-too-large",
            &[
                (
                    "unknown",
                    &match too_large.unknown() {
                        UnknownFactors::Dispersion => "dispersion",
                        UnknownFactors::Discharge => "discharge",
                        UnknownFactors::Both => "both",
                    },
                ),
                ("sd", &too_large.dispersion_log_sd),
                ("sq", &too_large.discharge_log_sd),
                ("factors", &too_large.factors),
                ("places", &too_large.n_places),
                ("runs", &too_large.runs),
                ("max", &identify::FACTOR_PLACE_RUNS_MAX),
            ],
        ),
        IdentifyError::NoCandidate { pollutants } => {
            let lang = i18n::current();
            let names: Vec<String> = pollutants
                .iter()
                .map(|p| i18n::scenario_name(lang, scenario, p))
                .collect();
            let apart = if lang == Lang::ZhCn { "、" } else { ", " };
            said_here("id-no-candidate", &[("pollutants", &names.join(apart))])
        }
        IdentifyError::Refused(reason) => reason.clone(),
    }
}

fn build_request(
    scenario: &Scenario,
    args: &IdentifyArgs,
    observations: Vec<Observation>,
) -> Result<IdentifyRequest, String> {
    let finite_in = |value: f64, low: f64, high: f64, flag: &str| {
        if value.is_finite() && (low..=high).contains(&value) {
            Ok(value)
        } else {
            Err(said_here(
                "arg-number-from-to",
                &[("flag", &flag), ("value", &value), ("low", &low), ("high", &high)],
            ))
        }
    };
    let relative = finite_in(args.error_relative, 0.0, 10.0, "--error-relative")?;
    let model = finite_in(args.error_model, 0.0, 10.0, "--error-model")?;
    // The absolute part is always positive (a detection limit, or this), so a result can
    // always differ from a prediction.
    let absolute = match args.error_absolute {
        Some(a) if a.is_finite() && a > 0.0 && a <= 1e6 => Some(a),
        Some(a) => return Err(said_here("id-arg-error-absolute", &[("value", &a)])),
        None => None,
    };
    let timing_s = match args.error_timing_min {
        None => ErrorModel::default().timing_s,
        Some(t) if t.is_finite() && (0.0..=TIMING_MIN_MAX).contains(&t) => t * 60.0,
        Some(t) => {
            return Err(said_here(
                "id-arg-error-timing",
                &[("value", &t), ("max", &TIMING_MIN_MAX)],
            ));
        }
    };
    // A log-sd from 0 to `high`, or the identification's default when not given.
    let log_sd = |given: Option<f64>, high: f64, default: f64, flag: &str| match given {
        None => Ok(default),
        Some(sd) if sd.is_finite() && (0.0..=high).contains(&sd) => Ok(sd),
        Some(sd) => Err(said_here(
            "arg-number-from-to",
            &[("flag", &flag), ("value", &sd), ("low", &0), ("high", &high)],
        )),
    };
    let default = ModelSpread::default();
    let dispersion_log_sd = log_sd(
        args.error_dispersion_log_sd,
        DISPERSION_LOG_SD_MAX,
        default.dispersion_log_sd,
        "--error-dispersion-log-sd",
    )?;
    let discharge_log_sd = log_sd(
        args.error_discharge_log_sd,
        DISCHARGE_LOG_SD_MAX,
        default.discharge_log_sd,
        "--error-discharge-log-sd",
    )?;
    let spread = ModelSpread {
        dispersion_log_sd,
        discharge_log_sd,
    };
    let prior = match args.prior {
        PriorName::Inventory => Prior::Inventory,
        PriorName::Anywhere => Prior::Anywhere {
            spacing_m: finite_in(args.spacing_m, 100.0, 100_000.0, "--spacing-m")?,
        },
    };
    if !(1..=24 * 60).contains(&args.start_step_min) {
        return Err(said_here("id-arg-start-step", &[("value", &args.start_step_min)]));
    }
    if args.durations_min.is_empty() || args.durations_min.iter().any(|d| !(0..=DURATION_MIN_MAX).contains(d)) {
        return Err(said_here("id-arg-durations", &[("max", &DURATION_MIN_MAX)]));
    }
    if !(1..=OUTLOOK_HOURS_MAX).contains(&args.outlook_hours) {
        return Err(give_from_to(
            "--outlook-hours",
            args.outlook_hours,
            1,
            OUTLOOK_HOURS_MAX,
        ));
    }
    if !(1..=2).contains(&args.sources) {
        return Err(said_here("id-arg-sources", &[("value", &args.sources)]));
    }
    if args.refine_places > REFINE_PLACES_MAX {
        return Err(give_from_to(
            "--refine-places",
            args.refine_places,
            0,
            REFINE_PLACES_MAX,
        ));
    }
    if !(1..=DRAWS_MAX).contains(&args.draws) {
        return Err(give_from_to("--draws", args.draws, 1, DRAWS_MAX));
    }
    let regime = match &args.flow {
        None => scenario.settings.default_regime,
        Some(id) => scenario.regimes.iter().position(|r| r.id == *id).ok_or_else(|| {
            let known = i18n::regime_choices(i18n::current(), scenario);
            said_here("id-arg-flow-unknown", &[("regime", id), ("known", &known)])
        })?,
    };
    let first_detection = observations
        .iter()
        .filter(|o| o.value_mg_l.is_some())
        .map(|o| o.taken_at)
        .min()
        .ok_or_else(|| said_here("id-arg-nothing-detected", &[]))?;
    let since = match &args.since {
        Some(text) => SimTime::parse_clock(text).ok_or_else(|| said_here("id-arg-since-form", &[("text", text)]))?,
        None => SimTime((first_detection.seconds() - 48 * 3600).max(0)),
    };
    if since > first_detection {
        return Err(said_here(
            "id-arg-since-late",
            &[
                ("since", &since.clock_label()),
                ("first", &first_detection.clock_label()),
            ],
        ));
    }
    Ok(IdentifyRequest {
        observations,
        prior,
        since,
        start_step: SimDuration::from_minutes(args.start_step_min),
        durations: args
            .durations_min
            .iter()
            .map(|m| SimDuration::from_minutes(*m))
            .collect(),
        regime,
        error: ErrorModel {
            relative,
            absolute_mg_l: absolute,
            model,
            timing_s,
        },
        outlook: SimDuration::from_hours(args.outlook_hours),
        draws: args.draws,
        seed: args.seed,
        sources: args.sources,
        refine_places_max: args.refine_places,
        spread,
    })
}

/// `FLAG VALUE: give LOW to HIGH`, in the session's language.
fn give_from_to<T: std::fmt::Display>(flag: &str, value: T, low: T, high: T) -> String {
    said_here(
        "arg-give-from-to",
        &[("flag", &flag), ("value", &value), ("low", &low), ("high", &high)],
    )
}

const COLUMNS: [&str; 5] = ["point", "pollutant", "taken_at", "value_mg_l", "detection_limit_mg_l"];

/// Reads a results file; every bad row is named with its line (the first 20).
pub fn parse_results(scenario: &Scenario, text: &str) -> Result<Vec<Observation>, String> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    let Some((_, header)) = lines.next() else {
        return Err(said_here("id-results-empty", &[]));
    };
    let header: Vec<String> = header
        .split(',')
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_lowercase())
        .collect();
    if header != COLUMNS {
        return Err(said_here(
            "id-results-columns",
            &[("found", &header.join(",")), ("expected", &COLUMNS.join(","))],
        ));
    }
    let mut observations = Vec::new();
    let mut problems = Vec::new();
    for (idx, line) in lines {
        let n = idx + 1;
        match parse_row(scenario, line) {
            Ok(o) => observations.push(o),
            Err(e) => problems.push(said_here("id-results-line", &[("line", &n), ("problem", &e)])),
        }
        if observations.len() > RESULTS_MAX {
            return Err(said_here("id-results-too-many", &[("max", &RESULTS_MAX)]));
        }
    }
    if !problems.is_empty() {
        let total = problems.len();
        problems.truncate(20);
        let more = if total > 20 {
            format!("\n{}", said_here("id-results-more", &[("n", &(total - 20))]))
        } else {
            String::new()
        };
        return Err(format!(
            "{}\n{}{more}",
            said_here("id-results-bad-rows", &[("total", &total)]),
            problems.join("\n")
        ));
    }
    if observations.is_empty() {
        return Err(said_here("id-results-none", &[]));
    }
    Ok(observations)
}

fn parse_row(scenario: &Scenario, line: &str) -> Result<Observation, String> {
    let fields: Vec<&str> = line.split(',').map(str::trim).collect();
    if fields.len() != COLUMNS.len() {
        return Err(said_here(
            "id-results-fields",
            &[("found", &fields.len()), ("expected", &COLUMNS.len())],
        ));
    }
    let location = scenario.parse_location(fields[0]).map_err(|e| {
        let problem = crate::messages::text(i18n::current(), &e.text());
        said_here("id-results-point", &[("point", &fields[0]), ("problem", &problem)])
    })?;
    let pollutant = scenario
        .pollutants
        .iter()
        .position(|p| p.id == fields[1])
        .ok_or_else(|| said_here("id-results-pollutant", &[("pollutant", &fields[1])]))?;
    let taken_at =
        SimTime::parse_clock(fields[2]).ok_or_else(|| said_here("id-results-taken-at", &[("text", &fields[2])]))?;
    let in_range = |v: f64| v.is_finite() && (0.0..1e6).contains(&v);
    let number = |text: &str, what: &str| -> Result<f64, String> {
        text.parse::<f64>()
            .ok()
            .filter(|v| in_range(*v))
            .ok_or_else(|| said_here("id-results-not-concentration", &[("column", &what), ("text", &text)]))
    };
    let mut detection = match fields[4] {
        "" => scenario.pollutants[pollutant].detection_limit_mg_l,
        text => number(text, "detection_limit_mg_l")?,
    };
    let value = fields[3];
    let value_mg_l = match ResultValue::parse(value) {
        Some(ResultValue::NonDetect { detection_limit: None }) => None,
        Some(ResultValue::NonDetect {
            detection_limit: Some(limit),
        }) if in_range(limit) => {
            detection = limit;
            None
        }
        // A value under the detection limit is a non-detect, whatever was written.
        Some(ResultValue::Value(v)) if in_range(v) => (v >= detection).then_some(v),
        Some(_) => {
            return Err(said_here(
                "id-results-not-concentration",
                &[("column", &"value_mg_l"), ("text", &value)],
            ));
        }
        None => {
            return Err(said_here("id-results-not-value", &[("text", &value)]));
        }
    };
    Ok(Observation {
        location,
        label: fields[0].to_string(),
        pollutant,
        taken_at,
        value_mg_l,
        detection_limit_mg_l: detection,
    })
}

/// The answer to "one release or two?" for the posterior probability of two.
/// The figures of "one release or two" as a sentence's arguments: the posterior of two
/// and of one, the ln Bayes factor, the pairs weighed and the verdict.
pub(crate) fn one_or_two_args(lang: Lang, two: &identify::TwoSources) -> [(&'static str, String); 6] {
    let verdict = if two.p_two >= 0.5 {
        "id-verdict-two"
    } else {
        "id-verdict-one"
    };
    [
        ("p_two", format!("{:.3}", two.p_two)),
        ("p_one", format!("{:.3}", 1.0 - two.p_two)),
        ("ln_bf", format!("{:.2}", two.ln_bayes_factor)),
        ("weighed", two.n_pairs_weighed.to_string()),
        ("pairs", two.n_pairs.to_string()),
        ("verdict", lang.t(verdict)),
    ]
}

pub(crate) fn clock(s: i64) -> String {
    SimTime(s).clock_label()
}

fn short_clock(s: i64) -> String {
    let label = clock(s);
    label.split_once(' ').map_or(label.clone(), |(_, hm)| hm.to_string())
}

/// The words of a message's arguments, every one already formatted.
fn args<'a>(pairs: &[(&'a str, String)]) -> Vec<(&'a str, FluentValue<'static>)> {
    pairs.iter().map(|(k, v)| (*k, FluentValue::from(v.clone()))).collect()
}

/// A message with its arguments, every one already formatted.
pub(crate) fn say(lang: Lang, key: &str, pairs: &[(&str, String)]) -> String {
    lang.t_args(key, &args(pairs))
}

/// A release as a sentence's arguments: mass, pollutant, place, start, minutes.
/// The mass's 90 % upper bound of a release of a pair the results do not see
/// (`identify::Sighting`), `None` for one they see.
pub(crate) fn not_seen_bound(release: &Candidate) -> Option<f64> {
    release.sighting.filter(|s| !s.seen).map(|s| s.mass_upper_kg)
}

/// Whether some release of a pair listed is one the results do not see.
pub(crate) fn any_not_seen(two: &TwoSources) -> bool {
    two.pairs
        .iter()
        .flat_map(|p| p.releases.iter())
        .any(|r| not_seen_bound(r).is_some())
}

/// The most probable pair's releases, each as its most likely release, or, for one the
/// results do not see, as the upper bound of its mass (the first pair listed is the most
/// probable).
pub(crate) fn best_pair_lines(names: &Names<'_>, two: &TwoSources) -> Vec<String> {
    let lang = names.lang;
    two.best
        .iter()
        .enumerate()
        .map(
            |(i, r)| match two.pairs.first().and_then(|p| not_seen_bound(&p.releases[i])) {
                Some(upper_kg) => say(
                    lang,
                    "id-release-unseen-line",
                    &[
                        ("mass", mass(upper_kg)),
                        ("pollutant", names.id(&r.pollutant)),
                        ("place", names.location(&r.place)),
                    ],
                ),
                None => say(
                    lang,
                    "id-release-line",
                    &release_args(names, r.mass_kg, &r.pollutant, &r.place, r.start_s, r.duration_s),
                ),
            },
        )
        .collect()
}

pub(crate) fn release_args(
    names: &Names<'_>,
    mass_kg: f64,
    pollutant: &str,
    place: &str,
    start_s: i64,
    duration_s: i64,
) -> [(&'static str, String); 5] {
    [
        ("mass", mass(mass_kg)),
        ("pollutant", names.id(pollutant)),
        ("place", names.location(place)),
        ("start", clock(start_s)),
        ("minutes", (duration_s / 60).to_string()),
    ]
}

/// How ids read in the person's language: the ids themselves in English, the scenario's
/// Chinese names in Chinese (`i18n::scenario_name`, `i18n::location_name`).
pub struct Names<'a> {
    pub lang: Lang,
    pub scenario: &'a Scenario,
}

impl Names<'_> {
    pub fn id(&self, id: &str) -> String {
        i18n::scenario_name(self.lang, self.scenario, id)
    }

    pub fn location(&self, label: &str) -> String {
        i18n::location_name(self.lang, self.scenario, label)
    }
}

/// With the prior anywhere: the places grouped into stretches, with the intervals of the
/// mixture of each group's places.
fn groups_table(names: &Names<'_>, id: &Identification, out: &mut String) {
    let lang = names.lang;
    let col = |key: &str| (lang.t(key), Align::Left);
    let floor = format!("{}", identify::GROUP_FLOOR * 100.0);
    let _ = writeln!(out, "\n{}", say(lang, "id-groups-heading", &[("floor", floor)]));
    let mut table = TextTable::new(
        2,
        vec![
            col("id-col-rank"),
            col("id-col-water"),
            col("id-col-extent"),
            (lang.t("id-col-p"), Align::Right),
            col("id-col-near"),
            col("id-col-start"),
            col("id-col-mass"),
        ],
    );
    for (rank, g) in id.groups.iter().enumerate() {
        let start = format!(
            "{} ({}–{})",
            clock(g.start_s[1]),
            short_clock(g.start_s[0]),
            short_clock(g.start_s[2])
        );
        let kg = format!("{} ({}–{})", mass(g.mass_kg[1]), mass(g.mass_kg[0]), mass(g.mass_kg[2]));
        table.row(vec![
            (rank + 1).to_string(),
            names.id(&g.water),
            group_extent(lang, g),
            format!("{:.3}", g.probability),
            group_near(names, g),
            start,
            kg,
        ]);
    }
    out.push_str(&table.render());
}

/// What the candidates table's first column says of a place: a risk source by its name;
/// a place of the anywhere prior (a reach's chainage, a lake cell: its own location) by
/// the named point nearest it and how far, as the groups table does.
pub fn candidate_place(names: &Names<'_>, place: &identify::Place) -> String {
    if place.source.is_some() {
        return names.location(&place.label);
    }
    match identify::nearest_point(names.scenario, place.location) {
        Some((point, metres)) => say(
            names.lang,
            "id-group-near",
            &[
                ("point", names.id(&names.scenario.points[point].id)),
                ("metres", format!("{metres:.0}")),
            ],
        ),
        None => names.location(&place.label),
    }
}

/// A group's stretch, `from–to` metres, or the whole lake.
pub fn group_extent(lang: Lang, g: &identify::Group) -> String {
    match (g.from_m, g.to_m) {
        (Some(from), Some(to)) => format!("{from:.0}–{to:.0}"),
        _ => lang.t("id-group-whole-lake"),
    }
}

/// The named point nearest a group's most probable place, and how far ("—" in a scenario
/// with no named points).
pub fn group_near(names: &Names<'_>, g: &identify::Group) -> String {
    match (&g.near_point, g.near_point_m) {
        (Some(point), Some(metres)) => say(
            names.lang,
            "id-group-near",
            &[("point", names.id(point)), ("metres", format!("{metres:.0}"))],
        ),
        _ => "—".to_string(),
    }
}

fn report(names: &Names<'_>, request: &IdentifyRequest, id: &Identification) -> String {
    let lang = names.lang;
    let mut out = String::new();
    let n = request.observations.len();
    let detections = request.observations.iter().filter(|o| o.value_mg_l.is_some()).count();
    let mut places: Vec<&str> = request.observations.iter().map(|o| o.label.as_str()).collect();
    places.sort_unstable();
    places.dedup();
    let first = request
        .observations
        .iter()
        .map(|o| o.taken_at.seconds())
        .min()
        .unwrap_or(0);
    let _ = writeln!(
        out,
        "{}",
        say(
            lang,
            "id-summary",
            &[
                ("n", n.to_string()),
                ("detected", detections.to_string()),
                ("places", places.len().to_string()),
                ("from", clock(first)),
                ("to", clock(id.last_result_s)),
            ]
        )
    );
    let prior = match request.prior {
        Prior::Inventory => say(
            lang,
            "id-prior-inventory",
            &[
                ("n", id.n_places.to_string()),
                ("without", id.sources_without_measured_pollutants.to_string()),
            ],
        ),
        Prior::Anywhere { spacing_m } => say(
            lang,
            if id.n_refined_stretches > 0 {
                "id-prior-anywhere-refined"
            } else {
                "id-prior-anywhere"
            },
            &[
                ("n", id.n_places.to_string()),
                ("spacing", format!("{spacing_m:.0}")),
                ("refined", id.n_refined_stretches.to_string()),
                ("parts", identify::REFINE_DIVISIONS.to_string()),
                ("cell", format!("{:.0}", names.scenario.settings.cell_length_m)),
            ],
        ),
    };
    let durations = request
        .durations
        .iter()
        .map(|d| (d.seconds() / 60).to_string())
        .collect::<Vec<_>>()
        .join("/");
    let _ = writeln!(
        out,
        "{}",
        say(
            lang,
            "id-weighed",
            &[
                ("prior", prior),
                ("since", clock(id.since_s)),
                ("durations", durations),
                ("relative", format!("{:.0}", request.error.relative * 100.0)),
                ("model", format!("{:.0}", request.error.model * 100.0)),
                (
                    "absolute",
                    match request.error.absolute_mg_l {
                        Some(a) => say(lang, "id-absolute-given", &[("absolute", a.to_string())]),
                        None => lang.t("id-absolute-detection"),
                    }
                ),
                ("timing", format!("{}", request.error.timing_s / 60.0)),
            ]
        )
    );
    if request.spread.discharge_side() > 0 {
        let marginal =
            |factor: fn(&FactorNode) -> f64| factor_list(lang, identify::factor_marginal(&id.dispersion_nodes, factor));
        let _ = writeln!(
            out,
            "{}",
            say(
                lang,
                "id-factor-nodes",
                &[
                    ("sd", format!("{}", request.spread.dispersion_log_sd)),
                    ("sq", format!("{}", request.spread.discharge_log_sd)),
                    ("dispersion", marginal(|n| n.factor)),
                    ("discharge", marginal(|n| n.discharge_factor.unwrap_or(1.0))),
                    ("nodes", id.dispersion_nodes.len().to_string()),
                ]
            )
        );
    } else if !id.dispersion_nodes.is_empty() {
        let nodes = factor_list(lang, id.dispersion_nodes.iter().map(|n| (n.factor, n.probability)));
        let _ = writeln!(
            out,
            "{}",
            say(
                lang,
                "id-dispersion-nodes",
                &[
                    ("sd", format!("{}", request.spread.dispersion_log_sd)),
                    ("nodes", nodes)
                ]
            )
        );
    }
    let col = |key: &str| (lang.t(key), Align::Left);
    let _ = writeln!(out, "\n{}", lang.t("id-candidates-heading"));
    // A place of the anywhere prior is its location: the first column says the named
    // point nearest it instead of the location a second time.
    let anywhere = matches!(request.prior, Prior::Anywhere { .. });
    let mut table = TextTable::new(
        2,
        vec![
            col("id-col-rank"),
            col(if anywhere { "id-col-near" } else { "id-col-place" }),
            col("id-col-location"),
            (lang.t("id-col-p"), Align::Right),
            col("id-col-pollutant"),
            col("id-col-start"),
            col("id-col-mass"),
        ],
    );
    for (rank, c) in id.candidates.iter().enumerate() {
        let start = format!(
            "{} ({}–{})",
            clock(c.start_s[1]),
            short_clock(c.start_s[0]),
            short_clock(c.start_s[2])
        );
        let kg = format!("{} ({}–{})", mass(c.mass_kg[1]), mass(c.mass_kg[0]), mass(c.mass_kg[2]));
        table.row(vec![
            (rank + 1).to_string(),
            candidate_place(names, &c.place),
            names.location(&c.place.location_label),
            format!("{:.3}", c.probability),
            names.id(&c.pollutant),
            start,
            kg,
        ]);
    }
    out.push_str(&table.render());
    if !id.groups.is_empty() {
        groups_table(names, id, &mut out);
    }
    let b = &id.best;
    let _ = writeln!(
        out,
        "\n{}",
        say(
            lang,
            "id-best",
            &release_args(names, b.mass_kg, &b.pollutant, &b.place, b.start_s, b.duration_s)
        )
    );
    let _ = writeln!(out, "{}", lang.t("id-detected-heading"));
    let mut table = TextTable::new(
        2,
        vec![
            col("id-col-point"),
            col("id-col-taken"),
            (lang.t("id-col-measured"), Align::Right),
            (lang.t("id-col-predicted"), Align::Right),
        ],
    );
    for f in id.fits.iter().filter(|f| f.value_mg_l.is_some()) {
        table.row(vec![
            names.location(&f.label),
            clock(f.taken_at_s),
            format!("{:.4}", f.value_mg_l.unwrap_or(0.0)),
            format!("{:.4}", f.predicted_mg_l),
        ]);
    }
    out.push_str(&table.render());
    if let Some(two) = &id.two {
        let _ = writeln!(out, "\n{}", say(lang, "id-two-line", &one_or_two_args(lang, two)));
        let _ = writeln!(out, "\n{}", lang.t("id-pairs-heading"));
        let mut table = TextTable::new(
            2,
            vec![
                col("id-col-rank"),
                (lang.t("id-col-p"), Align::Right),
                col("id-col-place"),
                col("id-col-pollutant"),
                col("id-col-start"),
                col("id-col-mass"),
            ],
        );
        for (rank, pair) in two.pairs.iter().enumerate() {
            for (i, r) in pair.releases.iter().enumerate() {
                let (start, kg) = match not_seen_bound(r) {
                    Some(upper_kg) => (
                        lang.t("id-unseen-start"),
                        say(lang, "id-unseen-mass", &[("mass", mass(upper_kg))]),
                    ),
                    None => (
                        format!(
                            "{} ({}–{})",
                            clock(r.start_s[1]),
                            short_clock(r.start_s[0]),
                            short_clock(r.start_s[2])
                        ),
                        format!("{} ({}–{})", mass(r.mass_kg[1]), mass(r.mass_kg[0]), mass(r.mass_kg[2])),
                    ),
                };
                let (rank, p) = if i == 0 {
                    ((rank + 1).to_string(), format!("{:.3}", pair.probability))
                } else {
                    (String::new(), String::new())
                };
                table.row(vec![
                    rank,
                    p,
                    names.location(&r.place.label),
                    names.id(&r.pollutant),
                    start,
                    kg,
                ]);
            }
        }
        out.push_str(&table.render());
        if any_not_seen(two) {
            let _ = writeln!(out, "  {}", lang.t("id-unseen-note"));
        }
        let _ = writeln!(out, "{}", lang.t("id-best-pair"));
        for line in best_pair_lines(names, two) {
            let _ = writeln!(out, "  {line}");
        }
    }
    let _ = writeln!(
        out,
        "\n{}",
        say(
            lang,
            "id-outlook-heading",
            &[("end", clock(id.outlook_end_s)), ("draws", id.draws.to_string())]
        )
    );
    let mut table = TextTable::new(
        2,
        vec![
            col("id-col-point"),
            col("id-col-pollutant"),
            (lang.t("id-col-p-reach"), Align::Right),
            (lang.t("id-col-p-over"), Align::Right),
            col("id-col-arrival"),
            col("id-col-peak"),
            col("id-col-over-limit"),
        ],
    );
    for o in &id.outlook {
        let arrival = o.arrival_s.map(|a| a.map_or("—".to_string(), clock));
        table.row(vec![
            names.id(&o.point),
            names.id(&o.pollutant),
            format!("{:.2}", o.p_reach),
            format!("{:.2}", o.p_over_limit),
            arrival.join(" / "),
            o.peak_mg_l.map(|p| format!("{p:.3}")).join(" / "),
            o.over_limit_s.map(|s| format!("{:.1}", s as f64 / 3600.0)).join(" / "),
        ]);
    }
    out.push_str(&table.render());
    match &id.next_sample {
        Some(next) => {
            // In English the target's name and id, as always; in Chinese its Chinese name.
            let target_name = match lang {
                Lang::En => next.target_name.clone(),
                Lang::ZhCn => names.id(&next.target_point),
            };
            let _ = writeln!(
                out,
                "\n{}",
                say(
                    lang,
                    "id-next-heading",
                    &[
                        ("pollutant", names.id(&next.pollutant)),
                        ("target_name", target_name),
                        ("target", next.target_point.clone()),
                        ("sd", format!("{:.1}", next.arrival_sd_s / 3600.0)),
                    ]
                )
            );
            if let Some(two) = &id.two {
                let _ = writeln!(
                    out,
                    "  {}",
                    say(lang, "id-next-two", &[("p_two", format!("{:.3}", two.p_two))])
                );
            }
            if next.samples.is_empty() {
                let _ = writeln!(out, "  {}", lang.t("id-next-none-detect"));
            }
            for s in &next.samples {
                let _ = writeln!(
                    out,
                    "  {}",
                    say(
                        lang,
                        "id-next-row",
                        &[
                            ("point", pad_right(&names.id(&s.point), 22)),
                            ("at", format!("{:<9}", clock(s.taken_at_s))),
                            ("percent", format!("{:>3.0}", 100.0 * s.p_detect)),
                            ("predicted", s.predicted_mg_l.map(|c| format!("{c:.3}")).join(" / ")),
                            ("sd", format!("{:.1}", s.arrival_sd_after_s / 3600.0)),
                        ]
                    )
                );
            }
        }
        None => {
            let _ = writeln!(out, "\n{}", lang.t("id-next-unneeded"));
        }
    }
    let assumed = if id.two.is_some() {
        lang.t("id-footer-two")
    } else {
        lang.t("id-footer-one")
    };
    let _ = writeln!(
        out,
        "\n{}",
        say(
            lang,
            "id-footer",
            &[
                ("runs", id.n_transport_runs.to_string()),
                ("nodes", id.n_nodes.to_string()),
                ("assumed", assumed),
            ]
        )
    );
    out
}

/// A mass [kg] with the decimals its size deserves.
pub(crate) fn mass(kg: f64) -> String {
    if kg >= 100.0 {
        format!("{kg:.0}")
    } else if kg >= 10.0 {
        format!("{kg:.1}")
    } else {
        format!("{kg:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A group in a scenario with no named points has no nearest one: "—" in the text and
    /// the report (which share this cell), not "NaN m".
    /// The model's factors and their probabilities: English as before, Chinese with a
    /// full-width colon and the enumeration comma.
    #[test]
    fn factor_lists_are_punctuated_in_each_language() {
        let factors = [(0.8187, 0.2), (1.0, 0.23149)];
        assert_eq!(factor_list(Lang::En, factors), "×0.82 0.200, ×1.00 0.231");
        assert_eq!(factor_list(Lang::ZhCn, factors), "×0.82：0.200、×1.00：0.231");
        assert_eq!(factor_list(Lang::ZhCn, []), "");
    }

    #[test]
    fn a_group_with_no_named_point_near_shows_a_dash() {
        let scenario = Scenario::builtin();
        let point = scenario.points[0].id.clone();
        let mut group = identify::Group {
            water: scenario.reaches[0].id.clone(),
            at: identify::Water::Reach(0),
            from_m: Some(0.0),
            to_m: Some(2000.0),
            near_point: Some(point.clone()),
            near_point_m: Some(120.0),
            probability: 1.0,
            n_places: 1,
            top_place: String::new(),
            top_place_probability: 1.0,
            start_s: [0, 0, 0],
            mass_kg: [1.0, 1.0, 1.0],
        };
        for lang in [Lang::En, Lang::ZhCn] {
            let names = Names {
                lang,
                scenario: &scenario,
            };
            let near = group_near(&names, &group);
            assert!(near.contains("120") && near.contains(&names.id(&point)), "{near}");
        }
        group.near_point = None;
        group.near_point_m = None;
        let names = Names {
            lang: Lang::En,
            scenario: &scenario,
        };
        assert_eq!(group_near(&names, &group), "—");
    }
}
