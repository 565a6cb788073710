//! `tripoint identify`: which source, since when, how much — from the results taken so
//! far — and what that means at the intakes and border sections.

use crate::input::{CacheArgs, CliError, CliResult, cache_line, load_scenario, read_text_file};
use anyhow::Context as _;
use std::fmt::Write as _;
use std::path::PathBuf;
use tripoint_sim::identify::{self, ErrorModel, Identification, IdentifyRequest, Observation, Prior};
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
    #[arg(
        long = "spacing-m",
        value_name = "M",
        default_value_t = 2000.0,
        allow_negative_numbers = true
    )]
    pub spacing_m: f64,
    /// Earliest start considered (HH:MM on day 1, or `D2 08:00`; default: 48 h before the
    /// first detection, not before the scenario's start).
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Step of the coarse start-time grid [min] (refined to the output step where the
    /// results are sharp).
    #[arg(long = "start-step-min", value_name = "MIN", default_value_t = 10)]
    pub start_step_min: i64,
    /// Release durations considered [min], comma-separated; 0 is instantaneous.
    #[arg(long = "durations-min", value_name = "MIN,…", value_delimiter = ',', default_values_t = [0, 60, 180])]
    pub durations_min: Vec<i64>,
    /// Flow regime held during the incident (default: the scenario's).
    #[arg(long, value_name = "REGIME")]
    pub flow: Option<String>,
    /// Measurement error, relative to the concentration.
    #[arg(
        long = "error-relative",
        value_name = "SHARE",
        default_value_t = 0.10,
        allow_negative_numbers = true
    )]
    pub error_relative: f64,
    /// Model error, relative to the concentration.
    #[arg(
        long = "error-model",
        value_name = "SHARE",
        default_value_t = 0.10,
        allow_negative_numbers = true
    )]
    pub error_model: f64,
    /// Smallest absolute error [mg/L] (at least a third of each result's detection limit).
    #[arg(
        long = "error-absolute",
        value_name = "MG_L",
        default_value_t = 0.001,
        allow_negative_numbers = true
    )]
    pub error_absolute: f64,
    /// How far past the last result the outlook runs [h].
    #[arg(long = "outlook-hours", value_name = "H", default_value_t = 24)]
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
const OUTLOOK_HOURS_MAX: i64 = 24 * 30;
const DURATION_MIN_MAX: i64 = 7 * 24 * 60;

pub fn run(args: &IdentifyArgs) -> CliResult {
    let scenario = load_scenario(args.scenario.as_deref())?;
    let shown = args.results.display().to_string();
    let text = read_text_file(&args.results, RESULTS_BYTES_MAX, "results file")?;
    let observations = parse_results(&scenario, &text).map_err(|e| CliError::Input(format!("{shown}: {e}")))?;
    let request = build_request(&scenario, args, observations).map_err(CliError::Input)?;
    if let Some(dir) = &args.report {
        crate::input::check_output_dir(dir, "--report")?;
    }
    let cache = args.cache.cache();
    let identification = identify::identify_cached(&scenario, &request, cache.as_ref().map(|c| c as &dyn UnitStore))
        .map_err(CliError::Input)?;
    eprintln!(
        "unit responses: {} transport runs, {}",
        identification.n_transport_runs,
        cache_line(cache.as_ref(), identification.cache)
    );
    if let Some(dir) = &args.report {
        crate::report::identify::write(dir, &identification)?;
        eprintln!("report written to {}", dir.join("report.md").display());
    }
    if args.json {
        let document = serde_json::to_string_pretty(&identification).context("serialising the identification")?;
        println!("{document}");
    } else {
        print!("{}", report(&request, &identification));
    }
    Ok(())
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
            Err(format!("{flag} {value}: give a number from {low} to {high}"))
        }
    };
    let relative = finite_in(args.error_relative, 0.0, 10.0, "--error-relative")?;
    let model = finite_in(args.error_model, 0.0, 10.0, "--error-model")?;
    let absolute = finite_in(args.error_absolute, 0.0, 1e6, "--error-absolute")?;
    if relative + model + absolute == 0.0 {
        return Err("--error-relative, --error-model and --error-absolute are all zero: no result could differ from a prediction".into());
    }
    let prior = match args.prior {
        PriorName::Inventory => Prior::Inventory,
        PriorName::Anywhere => Prior::Anywhere {
            spacing_m: finite_in(args.spacing_m, 100.0, 100_000.0, "--spacing-m")?,
        },
    };
    if !(1..=24 * 60).contains(&args.start_step_min) {
        return Err(format!(
            "--start-step-min {}: give 1 to 1440 minutes",
            args.start_step_min
        ));
    }
    if args.durations_min.is_empty() || args.durations_min.iter().any(|d| !(0..=DURATION_MIN_MAX).contains(d)) {
        return Err(format!(
            "--durations-min: give minutes from 0 to {DURATION_MIN_MAX}, comma-separated"
        ));
    }
    if !(1..=OUTLOOK_HOURS_MAX).contains(&args.outlook_hours) {
        return Err(format!(
            "--outlook-hours {}: give 1 to {OUTLOOK_HOURS_MAX}",
            args.outlook_hours
        ));
    }
    if !(1..=2).contains(&args.sources) {
        return Err(format!("--sources {}: give 1 or 2", args.sources));
    }
    if !(1..=DRAWS_MAX).contains(&args.draws) {
        return Err(format!("--draws {}: give 1 to {DRAWS_MAX}", args.draws));
    }
    let regime = match &args.flow {
        None => scenario.settings.default_regime,
        Some(id) => scenario.regimes.iter().position(|r| r.id == *id).ok_or_else(|| {
            format!(
                "--flow {id:?}: no such regime (the scenario has {})",
                regime_list(scenario)
            )
        })?,
    };
    let first_detection = observations
        .iter()
        .filter(|o| o.value_mg_l.is_some())
        .map(|o| o.taken_at)
        .min()
        .ok_or("every result is below its detection limit: nothing was detected to trace back")?;
    let since = match &args.since {
        Some(text) => {
            SimTime::parse_clock(text).ok_or_else(|| format!("--since {text:?}: give HH:MM or `D2 08:00`"))?
        }
        None => SimTime((first_detection.seconds() - 48 * 3600).max(0)),
    };
    if since > first_detection {
        return Err(format!(
            "--since {}: after the first detection ({}); a release must start before it is seen",
            since.clock_label(),
            first_detection.clock_label()
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
        },
        outlook: SimDuration::from_hours(args.outlook_hours),
        draws: args.draws,
        seed: args.seed,
        sources: args.sources,
    })
}

fn regime_list(scenario: &Scenario) -> String {
    scenario
        .regimes
        .iter()
        .map(|r| r.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

const COLUMNS: [&str; 5] = ["point", "pollutant", "taken_at", "value_mg_l", "detection_limit_mg_l"];

/// Reads a results file; every bad row is named with its line (the first 20).
pub fn parse_results(scenario: &Scenario, text: &str) -> Result<Vec<Observation>, String> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    let Some((_, header)) = lines.next() else {
        return Err(
            "empty: expected a header line with the columns point,pollutant,taken_at,value_mg_l,detection_limit_mg_l"
                .into(),
        );
    };
    let header: Vec<String> = header
        .split(',')
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_lowercase())
        .collect();
    if header != COLUMNS {
        return Err(format!(
            "line 1: the columns are {:?}; expected {}",
            header.join(","),
            COLUMNS.join(",")
        ));
    }
    let mut observations = Vec::new();
    let mut problems = Vec::new();
    for (idx, line) in lines {
        let n = idx + 1;
        match parse_row(scenario, line) {
            Ok(o) => observations.push(o),
            Err(e) => problems.push(format!("line {n}: {e}")),
        }
        if observations.len() > RESULTS_MAX {
            return Err(format!("more than {RESULTS_MAX} results"));
        }
    }
    if !problems.is_empty() {
        let total = problems.len();
        problems.truncate(20);
        let more = if total > 20 {
            format!("\n… and {} more", total - 20)
        } else {
            String::new()
        };
        return Err(format!(
            "{total} bad rows, nothing used:\n{}{more}",
            problems.join("\n")
        ));
    }
    if observations.is_empty() {
        return Err("no results under the header".into());
    }
    Ok(observations)
}

fn parse_row(scenario: &Scenario, line: &str) -> Result<Observation, String> {
    let fields: Vec<&str> = line.split(',').map(str::trim).collect();
    if fields.len() != COLUMNS.len() {
        return Err(format!("{} fields; expected {}", fields.len(), COLUMNS.len()));
    }
    let location = scenario
        .parse_location(fields[0])
        .map_err(|e| format!("point {:?}: {e}", fields[0]))?;
    let pollutant = scenario
        .pollutants
        .iter()
        .position(|p| p.id == fields[1])
        .ok_or_else(|| format!("no pollutant {:?} in the scenario", fields[1]))?;
    let taken_at = SimTime::parse_clock(fields[2])
        .ok_or_else(|| format!("taken_at {:?}: give HH:MM on day 1 or `D2 08:00`", fields[2]))?;
    let number = |text: &str, what: &str| -> Result<f64, String> {
        text.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && *v >= 0.0 && *v < 1e6)
            .ok_or_else(|| format!("{what} {text:?} is not a concentration in mg/L (0 to 1e6)"))
    };
    let mut detection = match fields[4] {
        "" => scenario.pollutants[pollutant].detection_limit_mg_l,
        text => number(text, "detection_limit_mg_l")?,
    };
    let value = fields[3];
    let value_mg_l = if value.eq_ignore_ascii_case("nd") || value.eq_ignore_ascii_case("<dl") {
        None
    } else if let Some(limit) = value.strip_prefix('<') {
        detection = number(limit.trim(), "value_mg_l below")?;
        None
    } else {
        let v = number(value, "value_mg_l")?;
        // A value under the detection limit is a non-detect, whatever was written.
        (v >= detection).then_some(v)
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
pub(crate) fn one_or_two_verdict(p_two: f64) -> &'static str {
    if p_two >= 0.5 {
        "Two releases explain the results better than one."
    } else {
        "One release explains the results: the second is not needed."
    }
}

pub(crate) fn clock(s: i64) -> String {
    SimTime(s).clock_label()
}

fn short_clock(s: i64) -> String {
    let label = clock(s);
    label.split_once(' ').map_or(label.clone(), |(_, hm)| hm.to_string())
}

fn report(request: &IdentifyRequest, id: &Identification) -> String {
    let mut out = String::new();
    let n = request.observations.len();
    let detections = request.observations.iter().filter(|o| o.value_mg_l.is_some()).count();
    let mut places: Vec<&str> = request.observations.iter().map(|o| o.label.as_str()).collect();
    places.sort_unstable();
    places.dedup();
    let _ = writeln!(
        out,
        "Source identification: {n} results ({detections} detected) at {} places, {} to {}",
        places.len(),
        clock(
            request
                .observations
                .iter()
                .map(|o| o.taken_at.seconds())
                .min()
                .unwrap_or(0)
        ),
        clock(id.last_result_s)
    );
    let prior = match request.prior {
        Prior::Inventory => format!(
            "the {} risk sources holding a measured pollutant ({} hold none)",
            id.n_places, id.sources_without_measured_pollutants
        ),
        Prior::Anywhere { spacing_m } => format!(
            "{} places on the network (every {spacing_m:.0} m and every lake cell)",
            id.n_places
        ),
    };
    let _ = writeln!(
        out,
        "Weighed: {prior}; starts from {} on; durations {} min; errors {:.0} % measurement, {:.0} % model, {} mg/L absolute.",
        clock(id.since_s),
        request
            .durations
            .iter()
            .map(|d| (d.seconds() / 60).to_string())
            .collect::<Vec<_>>()
            .join("/"),
        request.error.relative * 100.0,
        request.error.model * 100.0,
        request.error.absolute_mg_l
    );
    let _ = writeln!(out, "\nCandidates (posterior probability; intervals hold 90 %):");
    let _ = writeln!(
        out,
        "  {:<4} {:<26} {:<28} {:>7}  {:<12} {:<27} mass kg (5–95 %)",
        "rank", "source / place", "location", "p", "pollutant", "start (5–95 %)"
    );
    for (rank, c) in id.candidates.iter().enumerate() {
        let start = format!(
            "{} ({}–{})",
            clock(c.start_s[1]),
            short_clock(c.start_s[0]),
            short_clock(c.start_s[2])
        );
        let kg = format!("{} ({}–{})", mass(c.mass_kg[1]), mass(c.mass_kg[0]), mass(c.mass_kg[2]));
        let _ = writeln!(
            out,
            "  {:<4} {:<26} {:<28} {:>7.3}  {:<12} {start:<27} {kg}",
            rank + 1,
            c.place.label,
            c.place.location_label,
            c.probability,
            c.pollutant,
        );
    }
    let b = &id.best;
    let _ = writeln!(
        out,
        "\nMost probable release: {} of {} at {}, {}, lasting {} min.",
        mass(b.mass_kg) + " kg",
        b.pollutant,
        b.place,
        clock(b.start_s),
        b.duration_s / 60
    );
    let _ = writeln!(out, "Detected results beside it (mg/L):");
    let _ = writeln!(
        out,
        "  {:<22} {:<10} {:>10} {:>10}",
        "point", "taken", "measured", "predicted"
    );
    for f in id.fits.iter().filter(|f| f.value_mg_l.is_some()) {
        let _ = writeln!(
            out,
            "  {:<22} {:<10} {:>10.4} {:>10.4}",
            f.label,
            clock(f.taken_at_s),
            f.value_mg_l.unwrap_or(0.0),
            f.predicted_mg_l
        );
    }
    if let Some(two) = &id.two {
        let _ = writeln!(
            out,
            "\nOne release or two: P(two) = {:.3}, P(one) = {:.3} (ln Bayes factor two against one {:.2}; {} of {} pairs weighed). {}",
            two.p_two,
            1.0 - two.p_two,
            two.ln_bayes_factor,
            two.n_pairs_weighed,
            two.n_pairs,
            one_or_two_verdict(two.p_two)
        );
        let _ = writeln!(
            out,
            "\nPairs (posterior probability given two releases; intervals hold 90 %):"
        );
        let _ = writeln!(
            out,
            "  {:<4} {:>7}  {:<26} {:<12} {:<27} mass kg (5–95 %)",
            "rank", "p", "source / place", "pollutant", "start (5–95 %)"
        );
        for (rank, pair) in two.pairs.iter().enumerate() {
            for (i, r) in pair.releases.iter().enumerate() {
                let start = format!(
                    "{} ({}–{})",
                    clock(r.start_s[1]),
                    short_clock(r.start_s[0]),
                    short_clock(r.start_s[2])
                );
                let kg = format!("{} ({}–{})", mass(r.mass_kg[1]), mass(r.mass_kg[0]), mass(r.mass_kg[2]));
                let (rank, p) = if i == 0 {
                    ((rank + 1).to_string(), format!("{:.3}", pair.probability))
                } else {
                    (String::new(), String::new())
                };
                let _ = writeln!(
                    out,
                    "  {rank:<4} {p:>7}  {:<26} {:<12} {start:<27} {kg}",
                    r.place.label, r.pollutant
                );
            }
        }
        let _ = writeln!(out, "Most probable pair:");
        for r in &two.best {
            let _ = writeln!(
                out,
                "  {} kg of {} at {}, {}, lasting {} min",
                mass(r.mass_kg),
                r.pollutant,
                r.place,
                clock(r.start_s),
                r.duration_s / 60
            );
        }
    }
    let _ = writeln!(
        out,
        "\nOutlook at the intakes and border sections to {} ({} releases drawn from the posterior; P10 / P50 / P90):",
        clock(id.outlook_end_s),
        id.draws
    );
    let _ = writeln!(
        out,
        "  {:<22} {:<12} {:>7} {:>7}  {:<26} {:<24} over limit h",
        "point", "pollutant", "p reach", "p over", "arrival", "peak mg/L"
    );
    for o in &id.outlook {
        let arrival = o.arrival_s.map(|a| a.map_or("—".to_string(), clock));
        let _ = writeln!(
            out,
            "  {:<22} {:<12} {:>7.2} {:>7.2}  {:<26} {:<24} {}",
            o.point,
            o.pollutant,
            o.p_reach,
            o.p_over_limit,
            arrival.join(" / "),
            o.peak_mg_l.map(|p| format!("{p:.3}")).join(" / "),
            o.over_limit_s.map(|s| format!("{:.1}", s as f64 / 3600.0)).join(" / ")
        );
    }
    match &id.next_sample {
        Some(next) => {
            let _ = writeln!(
                out,
                "\nNext sample: where one more result would most narrow the arrival of {} at {} ({}; spread now ± {:.1} h):",
                next.pollutant,
                next.target_name,
                next.target_point,
                next.arrival_sd_s / 3600.0
            );
            if next.samples.is_empty() {
                let _ = writeln!(
                    out,
                    "  none: at every named point in the next hours the draws read below the detection limit"
                );
            }
            for s in &next.samples {
                let _ = writeln!(
                    out,
                    "  {:<22} at {:<9} detected in {:>3.0} % of draws, predicted {} mg/L; spread after ± {:.1} h",
                    s.point,
                    clock(s.taken_at_s),
                    100.0 * s.p_detect,
                    s.predicted_mg_l.map(|c| format!("{c:.3}")).join(" / "),
                    s.arrival_sd_after_s / 3600.0
                );
            }
        }
        None if id.two.as_ref().is_some_and(|t| t.p_two >= 0.5) => {
            let _ = writeln!(
                out,
                "\nNext sample: not advised with two releases (the advice weighs one release)."
            );
        }
        None => {
            let _ = writeln!(
                out,
                "\nNext sample: none needed for the outlook: no draw reaches an intake or border section."
            );
        }
    }
    let _ = writeln!(
        out,
        "\n{} transport runs, {} quadrature nodes. The flow regime is held steady; {}",
        id.n_transport_runs,
        id.n_nodes,
        if id.two.is_some() {
            "one and two simultaneous releases are weighed."
        } else {
            "one release is assumed."
        }
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
