//! `tripoint forecast`: where the plume goes, when it reaches each point downstream, how
//! high it peaks and how long it stays over the limit.

use crate::i18n::{self, Align, Lang, TextTable, location_name, pad_right, said_here, scenario_name};
use crate::input::{CliError, CliResult, load_scenario};
use anyhow::Context as _;
use fluent_bundle::FluentValue;
use std::fmt::Write as _;
use std::path::PathBuf;
use tripoint_sim::forecast::ensemble::{self, Ensemble, EnsembleInputError, EnsembleRequest, InputSpread};
use tripoint_sim::forecast::{self, DispersionSpread, Forecast, ForecastRequest};
use tripoint_sim::scenario::{FlowChange, Release, Scenario};
use tripoint_sim::time::{SimDuration, SimTime};

#[derive(clap::Args, Debug, Default)]
pub struct ForecastArgs {
    /// Scenario file (default: the built-in demonstration zone).
    pub scenario: Option<PathBuf>,
    /// Where the release is: a node id, or REACH@CHAINAGE_M (metres from the reach's upstream end).
    /// Replaces the scenario's own releases.
    #[arg(long, value_name = "NODE|REACH@CHAINAGE_M")]
    pub release: Option<String>,
    /// Pollutant id of the release (see `tripoint check`).
    #[arg(long, value_name = "ID")]
    pub pollutant: Option<String>,
    /// Released mass [kg].
    #[arg(long = "mass-kg", value_name = "KG", allow_negative_numbers = true)]
    pub mass_kg: Option<f64>,
    /// Release duration [min]; 0 (default) is instantaneous.
    #[arg(long = "duration-min", value_name = "MIN", allow_negative_numbers = true)]
    pub duration_min: Option<f64>,
    /// Release start as HH:MM on day 1, or `D2 08:00` (default 00:00).
    #[arg(long, value_name = "HH:MM")]
    pub at: Option<String>,
    /// Flow regime in force at the start (default: the scenario's).
    #[arg(long, value_name = "REGIME")]
    pub flow: Option<String>,
    /// Change the flow regime during the forecast, e.g. `--flow-change 08:00=flood` when the
    /// Taipu Gate is opened (repeatable; added to the scenario's own flow changes).
    #[arg(long = "flow-change", value_name = "HH:MM=REGIME")]
    pub flow_change: Vec<String>,
    /// Forecast horizon after the first release [h] (default: the scenario's, 72 for the built-in).
    #[arg(long, value_name = "H", allow_negative_numbers = true)]
    pub hours: Option<f64>,
    /// Print one JSON document (fields in docs/forecast-json.md) instead of a table.
    #[arg(long)]
    pub json: bool,
    /// With --json: add every downstream point's concentration series (held peaks included).
    #[arg(long, requires = "json")]
    pub series: bool,
    /// Write the journal of handled events (JSON lines) to this file.
    #[arg(long, value_name = "FILE")]
    pub journal: Option<PathBuf>,
    /// Seed of the simulation's generator, and of the ensemble's draws with --spread.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Also run an ensemble drawing dispersion, flow and released mass (log-normal about
    /// the scenario's values) and give arrival, peak and time over the limit at every intake
    /// and border section as P10/P50/P90 (docs/forecast-json.md, "ensemble").
    #[arg(long)]
    pub spread: bool,
    /// With --spread: number of members (1 to 1000).
    #[arg(long, value_name = "N", requires = "spread", default_value_t = 50)]
    pub members: usize,
    /// With --spread: log-standard deviation of the dispersion multiplier (default 0.8).
    #[arg(
        long = "spread-dispersion",
        value_name = "LOG_SD",
        requires = "spread",
        allow_negative_numbers = true
    )]
    pub spread_dispersion: Option<f64>,
    /// With --spread: log-standard deviation of the discharge multiplier (default 0.2).
    #[arg(
        long = "spread-flow",
        value_name = "LOG_SD",
        requires = "spread",
        allow_negative_numbers = true
    )]
    pub spread_flow: Option<f64>,
    /// With --spread: log-standard deviation of the released-mass multiplier (default 0.3).
    #[arg(
        long = "spread-mass",
        value_name = "LOG_SD",
        requires = "spread",
        allow_negative_numbers = true
    )]
    pub spread_mass: Option<f64>,
}

/// Largest forecast horizon accepted [h] (one year).
const HORIZON_HOURS_MAX: f64 = 24.0 * 366.0;

pub fn run(args: &ForecastArgs) -> CliResult {
    let mut scenario = load_scenario(args.scenario.as_deref())?;
    // A journal path that cannot be written is bad input, found before the work.
    if let Some(path) = &args.journal {
        crate::input::check_output_file(path, "--journal")?;
    }
    for text in &args.flow_change {
        let change = parse_flow_change(&scenario, text).map_err(CliError::Input)?;
        scenario.flow_changes.push(change);
    }
    scenario.flow_changes.sort_by_key(|c| c.at);
    let request = build_request(&scenario, args).map_err(CliError::Input)?;
    let ensemble_request = ensemble_request(args).map_err(CliError::Input)?;
    let mut forecast =
        forecast::run_with_spread(&scenario, &request).map_err(|e| CliError::Input(forecast_error(&scenario, &e)))?;
    if let Some(ensemble_request) = &ensemble_request {
        let ensemble = ensemble::run(&scenario, &request, &forecast, ensemble_request)
            .map_err(|e| CliError::Input(forecast_error(&scenario, &e)))?;
        forecast.ensemble = Some(ensemble);
    }
    if let Some(path) = &args.journal {
        crate::journal::write(path, &forecast.journal)
            .with_context(|| format!("writing the journal to {}", path.display()))?;
    }
    if args.json {
        let mut document = serde_json::to_value(&forecast).context("serialising the forecast")?;
        if args.series {
            document["series"] = series_json(&scenario, &forecast);
        }
        println!(
            "{}",
            serde_json::to_string_pretty(&document).context("serialising the forecast")?
        );
    } else {
        print!("{}", render_table(crate::i18n::current(), &scenario, &forecast));
    }
    Ok(())
}

/// The ensemble asked for with --spread, checked; `None` without it.
fn ensemble_request(args: &ForecastArgs) -> Result<Option<EnsembleRequest>, String> {
    if !args.spread {
        return Ok(None);
    }
    let defaults = InputSpread::default();
    let request = EnsembleRequest {
        members: args.members,
        seed: args.seed,
        spread: InputSpread {
            dispersion_log_sd: args.spread_dispersion.unwrap_or(defaults.dispersion_log_sd),
            flow_log_sd: args.spread_flow.unwrap_or(defaults.flow_log_sd),
            mass_log_sd: args.spread_mass.unwrap_or(defaults.mass_log_sd),
        },
    };
    request.check().map_err(|e| match e {
        EnsembleInputError::Members(n) => {
            said_here("fc-arg-members", &[("max", &ensemble::MEMBERS_MAX), ("value", &n)])
        }
        EnsembleInputError::LogSd { input, value } => said_here(
            "fc-arg-spread",
            &[("input", &input), ("max", &ensemble::LOG_SD_MAX), ("value", &value)],
        ),
    })?;
    Ok(Some(request))
}

/// Why a forecast could not be made, in the session's language where the problem is the
/// request's (no release, a number beyond the model); the transport's own failures,
/// which are this program's, in English.
fn forecast_error(scenario: &Scenario, e: &forecast::ForecastError) -> String {
    match e {
        forecast::ForecastError::NoRelease => said_here("fc-error-no-release", &[]),
        forecast::ForecastError::NotFinite { pollutant } => {
            let name = scenario_name(i18n::current(), scenario, pollutant);
            said_here("fc-error-not-finite", &[("pollutant", &name)])
        }
        other => other.to_string(),
    }
}

fn build_request(scenario: &Scenario, args: &ForecastArgs) -> Result<ForecastRequest, String> {
    let mut request = ForecastRequest::from_scenario(scenario);
    request.seed = args.seed;
    request.journal = args.journal.is_some();
    request.until_passed = Some(request.horizon + forecast::SETTLE_EXTRA_MAX);
    if let Some(regime) = &args.flow {
        request.regime = scenario.regime_idx(regime).ok_or_else(|| {
            let known = i18n::regime_choices(i18n::current(), scenario);
            said_here("fc-arg-flow-unknown", &[("regime", regime), ("known", &known)])
        })?;
    }
    if let Some(hours) = args.hours {
        if !(hours.is_finite() && hours > 0.0 && hours <= HORIZON_HOURS_MAX) {
            let value = tripoint_sim::scenario::ranges::number(hours);
            return Err(said_here(
                "fc-arg-hours",
                &[("max", &HORIZON_HOURS_MAX), ("value", &value)],
            ));
        }
        request.horizon = SimDuration((hours * 3600.0).round() as i64);
    }
    match &args.release {
        Some(place) => request.releases = vec![release_from_args(scenario, place, args)?],
        None => {
            let stray = [
                ("--pollutant", args.pollutant.is_some()),
                ("--mass-kg", args.mass_kg.is_some()),
                ("--duration-min", args.duration_min.is_some()),
                ("--at", args.at.is_some()),
            ];
            if let Some((flag, _)) = stray.iter().find(|(_, given)| *given) {
                return Err(said_here("fc-arg-needs-release", &[("flag", flag)]));
            }
        }
    }
    Ok(request)
}

fn release_from_args(scenario: &Scenario, place: &str, args: &ForecastArgs) -> Result<Release, String> {
    let location = scenario.parse_location(place).map_err(|e| {
        let problem = crate::messages::text(i18n::current(), &e.text());
        said_here("fc-arg-release", &[("problem", &problem)])
    })?;
    let needs = |flag: &str| said_here("fc-arg-release-needs", &[("flag", &flag)]);
    let pollutant_id = args.pollutant.as_deref().ok_or_else(|| needs("--pollutant"))?;
    let pollutant = scenario.pollutant_idx(pollutant_id).ok_or_else(|| {
        let known = i18n::pollutant_choices(i18n::current(), scenario);
        said_here(
            "fc-arg-pollutant-unknown",
            &[("pollutant", &pollutant_id), ("known", &known)],
        )
    })?;
    let mass_kg = args.mass_kg.ok_or_else(|| needs("--mass-kg"))?;
    // The same range a scenario's release must be in.
    let range = tripoint_sim::scenario::ranges::MASS_KG;
    if !range.contains(mass_kg) {
        let number = tripoint_sim::scenario::ranges::number;
        return Err(said_here(
            "fc-arg-mass",
            &[
                ("low", &number(range.lo)),
                ("high", &number(range.hi)),
                ("value", &number(mass_kg)),
            ],
        ));
    }
    let duration_min = args.duration_min.unwrap_or(0.0);
    let duration_max_min = HORIZON_HOURS_MAX * 60.0;
    if !(duration_min.is_finite() && (0.0..=duration_max_min).contains(&duration_min)) {
        let value = tripoint_sim::scenario::ranges::number(duration_min);
        return Err(said_here(
            "fc-arg-duration",
            &[("max", &duration_max_min), ("value", &value)],
        ));
    }
    let start = match &args.at {
        Some(text) => parse_clock(text)?,
        None => SimTime::ZERO,
    };
    Ok(Release {
        pollutant,
        mass_kg,
        location,
        start,
        duration: SimDuration((duration_min * 60.0).round() as i64),
        note: "given on the command line".to_string(),
    })
}

/// Parses `HH:MM=REGIME` (or `D2 08:00=REGIME`).
fn parse_flow_change(scenario: &Scenario, text: &str) -> Result<FlowChange, String> {
    let (at, regime_id) = text
        .split_once('=')
        .ok_or_else(|| said_here("fc-arg-flow-change-form", &[("text", &text)]))?;
    let regime = scenario.regime_idx(regime_id.trim()).ok_or_else(|| {
        let known = i18n::regime_choices(i18n::current(), scenario);
        said_here(
            "fc-arg-flow-change-unknown",
            &[("regime", &regime_id.trim()), ("known", &known)],
        )
    })?;
    let at = parse_clock_of("--flow-change", at)?;
    Ok(FlowChange {
        at,
        regime,
        note: "given on the command line".to_string(),
    })
}

/// Parses `HH:MM` (day 1) or `D<n> HH:MM` given to `--at`.
pub fn parse_clock(text: &str) -> Result<SimTime, String> {
    parse_clock_of("--at", text)
}

/// Parses `HH:MM` (day 1) or `D<n> HH:MM` given to `flag`.
fn parse_clock_of(flag: &str, text: &str) -> Result<SimTime, String> {
    let bad = || said_here("fc-arg-clock", &[("flag", &flag), ("text", &text)]);
    let text = text.trim();
    let (day, clock) = match text.strip_prefix(['D', 'd']) {
        Some(rest) => {
            let (day, clock) = rest.split_once([' ', '-']).ok_or_else(bad)?;
            (day.trim().parse::<i64>().map_err(|_| bad())?, clock.trim())
        }
        None => (1, text),
    };
    let (hours, minutes) = clock.split_once(':').ok_or_else(bad)?;
    let hours: i64 = hours.parse().map_err(|_| bad())?;
    let minutes: i64 = minutes.parse().map_err(|_| bad())?;
    if !(1..=366).contains(&day) || !(0..24).contains(&hours) || !(0..60).contains(&minutes) {
        return Err(bad());
    }
    Ok(SimTime(((day - 1) * 24 * 60 + hours * 60 + minutes) * 60))
}

/// A time as clock and elapsed since `start_s`, marked `›` when after the horizon.
fn when(t: Option<i64>, f: &Forecast) -> String {
    match t {
        Some(t) => {
            let mark = if t > f.horizon_end_s { "›" } else { "" };
            format!("{mark}{} ({})", SimTime(t).clock_label(), SimDuration(t - f.start_s))
        }
        None => "—".to_string(),
    }
}

/// The regime in force at `t`, as `lang` names it: the last flow change at or before it,
/// else the start's.
fn regime_at(lang: Lang, scenario: &Scenario, f: &Forecast, t: i64) -> String {
    let id = scenario
        .flow_changes
        .iter()
        .rfind(|c| c.at.seconds() <= t)
        .map_or_else(|| f.regime.clone(), |c| scenario.regimes[c.regime].id.clone());
    crate::i18n::regime_name(lang, scenario, &id)
}

fn render_table(lang: Lang, scenario: &Scenario, f: &Forecast) -> String {
    let mut out = String::new();
    let t = |key: &str| lang.t(key);
    let ta = |key: &str, args: &[(&str, FluentValue<'_>)]| lang.t_args(key, args);
    let name = |id: &str| scenario_name(lang, scenario, id);
    let _ = writeln!(
        out,
        "{}",
        ta(
            "fc-title",
            &[("scenario", zone_name(lang, scenario, &f.scenario).into())]
        )
    );
    let changes: Vec<String> = scenario
        .flow_changes
        .iter()
        .filter(|c| c.at.seconds() > f.start_s && c.at.seconds() < f.end_s)
        .map(|c| {
            ta(
                "fc-change",
                &[
                    (
                        "regime",
                        crate::i18n::regime_name(lang, scenario, &scenario.regimes[c.regime].id).into(),
                    ),
                    ("at", c.at.to_string().into()),
                ],
            )
        })
        .collect();
    let then = if changes.is_empty() {
        String::new()
    } else {
        ta("fc-then", &[("changes", changes.join(&t("fc-list-separator")).into())])
    };
    let _ = writeln!(
        out,
        "{}",
        ta(
            "fc-regime",
            &[
                ("regime", regime_at(lang, scenario, f, f.start_s).into()),
                ("then", then.into()),
                ("from", SimTime(f.start_s).to_string().into()),
                ("to", SimTime(f.horizon_end_s).to_string().into()),
                ("step", f.output_step_s.to_string().into()),
            ],
        )
    );
    if f.end_s > f.horizon_end_s {
        let why = if f.passed {
            t("fc-why-passed")
        } else {
            t("fc-why-longest")
        };
        let _ = writeln!(
            out,
            "{}",
            ta(
                "fc-run-on",
                &[("end", SimTime(f.end_s).to_string().into()), ("why", why.into())]
            )
        );
    }
    for r in &f.releases {
        let how = if r.duration_s == 0 {
            t("fc-instantaneous")
        } else {
            ta(
                "fc-over-minutes",
                &[("minutes", (r.duration_s / 60).to_string().into())],
            )
        };
        let _ = writeln!(
            out,
            "{}",
            ta(
                "fc-release",
                &[
                    ("pollutant", name(&r.pollutant).into()),
                    ("mass", fmt_num(r.mass_kg).into()),
                    ("location", location_name(lang, scenario, &r.location).into()),
                    ("at", SimTime(r.start_s).to_string().into()),
                    ("how", how.into()),
                ],
            )
        );
    }
    let _ = writeln!(out, "{}\n", t("fc-legend"));
    let left = |key: &str| (t(key), Align::Left);
    let right = |key: &str| (t(key), Align::Right);
    let mut table = TextTable::new(
        0,
        vec![
            left("fc-col-point"),
            left("fc-col-kind"),
            left("fc-col-jurisdiction"),
            left("fc-col-pollutant"),
            left("fc-col-leading-edge"),
            left("fc-col-peak"),
            right("fc-col-peak-mg-l"),
            right("fc-col-limit"),
            right("fc-col-over-limit"),
            left("fc-col-over-limit-until"),
        ],
    );
    for p in &f.points {
        let over = if p.over_limit_duration_s > 0 {
            format!("{}", SimDuration(p.over_limit_duration_s))
                .trim_start_matches('+')
                .to_string()
        } else {
            t("fc-no")
        };
        let until = match (p.over_limit_until_s, p.over_limit_at_end) {
            (Some(_), true) => t("fc-still-over"),
            (t, _) => when(t, f),
        };
        let leading = match (p.reached, f.passed) {
            (true, _) => when(p.leading_edge_s, f),
            (false, true) => t("fc-not-reached"),
            (false, false) => ta("fc-not-by", &[("end", SimTime(f.end_s).to_string().into())]),
        };
        let peak = match (p.reached, p.rising_at_end) {
            (false, _) => "—".to_string(),
            (true, true) => ta("fc-rising-at", &[("end", SimTime(f.end_s).to_string().into())]),
            (true, false) => when(p.peak_s, f),
        };
        let kind = serde_json::to_value(p.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        table.row(vec![
            name(&p.point),
            ta("fc-kind", &[("kind", kind.into())]),
            name(&p.jurisdiction),
            name(&p.pollutant),
            leading,
            peak,
            fmt_conc(p.peak_mg_l),
            fmt_conc(p.limit_mg_l),
            over,
            until,
        ]);
    }
    out.push_str(&table.render());
    let n_not_downstream = scenario.points.len()
        - f.points
            .iter()
            .map(|p| &p.point)
            .collect::<std::collections::BTreeSet<_>>()
            .len();
    let _ = writeln!(
        out,
        "\n{}",
        ta("fc-not-downstream", &[("count", n_not_downstream.to_string().into())])
    );
    if let Some(spread) = &f.dispersion_spread {
        render_spread(lang, &mut out, scenario, f, spread);
    }
    if let Some(ensemble) = &f.ensemble {
        render_ensemble(lang, &mut out, scenario, f, ensemble);
    }
    render_curves(lang, &mut out, scenario, f);
    let _ = writeln!(out, "\n{}", t("fc-mass-balance"));
    for m in &f.mass_balance {
        let _ = writeln!(
            out,
            "  {} {}",
            pad_right(&name(&m.pollutant), 10),
            ta(
                "fc-mass-row",
                &[
                    ("released", fmt_num(m.released_kg).into()),
                    ("stored", fmt_num(m.stored_kg).into()),
                    ("out", fmt_num(m.out_kg).into()),
                    ("decayed", fmt_num(m.decayed_kg).into()),
                    ("floor", fmt_num(m.below_floor_kg).into()),
                    ("imbalance", format!("{:.1e}", m.relative_imbalance).into()),
                ],
            )
        );
    }
    let _ = writeln!(
        out,
        "\n{}",
        ta(
            "fc-work",
            &[
                ("cells", f.n_cells.to_string().into()),
                ("updates", f.n_cell_updates.to_string().into()),
                ("events", f.n_events.to_string().into()),
            ],
        )
    );
    out
}

/// The forecast's title: the scenario's name in English; in Chinese, which has no name for
/// a scenario, its jurisdictions by their Chinese names.
fn zone_name(lang: Lang, scenario: &Scenario, english: &str) -> String {
    match lang {
        Lang::En => english.to_string(),
        _ => scenario
            .jurisdictions
            .iter()
            .map(|j| scenario_name(lang, scenario, &j.id))
            .collect::<Vec<_>>()
            .join("、"),
    }
}

/// The intakes and border sections under the low and high ends of plausible dispersion,
/// and the warning taken from the more dangerous end.
fn render_spread(lang: Lang, out: &mut String, scenario: &Scenario, f: &Forecast, spread: &DispersionSpread) {
    let factor = |label: &str, v: f64| {
        let same = if v == spread.central_factor {
            lang.t("fc-spread-same")
        } else {
            String::new()
        };
        lang.t_args(
            "fc-spread-factor",
            &[
                ("value", v.to_string().into()),
                ("label", lang.t(label).into()),
                ("same", same.into()),
            ],
        )
    };
    let _ = writeln!(
        out,
        "\n{}\n",
        lang.t_args(
            "fc-spread-intro",
            &[
                ("low", factor("fc-spread-low", spread.low_factor).into()),
                ("central", factor("fc-spread-central", spread.central_factor).into()),
                ("high", factor("fc-spread-high", spread.high_factor).into()),
            ],
        )
    );
    let mut table = TextTable::new(
        0,
        vec![
            (lang.t("fc-col-point"), Align::Left),
            (lang.t("fc-col-pollutant"), Align::Left),
            (lang.t("fc-col-arrival-low-high"), Align::Right),
            (lang.t("fc-col-peak-low-central-high"), Align::Right),
            (lang.t("fc-col-warning"), Align::Left),
            (lang.t("fc-col-for"), Align::Right),
        ],
    );
    let elapsed = |t: Option<i64>| t.map_or("—".to_string(), |t| format!("{}", SimDuration(t - f.start_s)));
    for p in &spread.points {
        let w = &p.warning;
        let over = match w.over_limit_from_s {
            Some(_) => when(w.over_limit_from_s, f),
            None => lang.t("fc-no"),
        };
        table.row(vec![
            scenario_name(lang, scenario, &p.point),
            scenario_name(lang, scenario, &p.pollutant),
            format!("{} / {}", elapsed(p.low.leading_edge_s), elapsed(p.high.leading_edge_s)),
            format!(
                "{} / {} / {}",
                fmt_conc(p.low.peak_mg_l),
                fmt_conc(p.central.peak_mg_l),
                fmt_conc(p.high.peak_mg_l)
            ),
            over,
            if w.over_limit_duration_s > 0 {
                format!("{}", SimDuration(w.over_limit_duration_s))
                    .trim_start_matches('+')
                    .to_string()
            } else {
                String::new()
            },
        ]);
    }
    out.push_str(&table.render());
}

/// The intakes and border sections over the ensemble: how many members arrive and go over
/// the limit, and arrival, peak and time over the limit as P10 / P50 / P90.
fn render_ensemble(lang: Lang, out: &mut String, scenario: &Scenario, f: &Forecast, e: &Ensemble) {
    let _ = writeln!(
        out,
        "\n{}\n",
        lang.t_args(
            "fc-ensemble-intro",
            &[
                ("members", e.members.to_string().into()),
                ("seed", e.seed.to_string().into()),
                ("dispersion", e.spread.dispersion_log_sd.to_string().into()),
                ("flow", e.spread.flow_log_sd.to_string().into()),
                ("mass", e.spread.mass_log_sd.to_string().into()),
            ],
        )
    );
    let mut table = TextTable::new(
        0,
        vec![
            (lang.t("fc-col-point"), Align::Left),
            (lang.t("fc-col-pollutant"), Align::Left),
            (lang.t("fc-col-arrive"), Align::Right),
            (lang.t("fc-col-over"), Align::Right),
            (lang.t("fc-col-arrival-quantiles"), Align::Right),
            (lang.t("fc-col-peak-quantiles"), Align::Right),
            (lang.t("fc-col-over-limit-quantiles"), Align::Right),
        ],
    );
    let elapsed = |t: Option<i64>| t.map_or("—".to_string(), |t| format!("{}", SimDuration(t - f.start_s)));
    let duration = |s: i64| {
        if s > 0 {
            format!("{}", SimDuration(s)).trim_start_matches('+').to_string()
        } else {
            "0".to_string()
        }
    };
    for p in &e.points {
        let q = &p.quantiles;
        table.row(vec![
            scenario_name(lang, scenario, &p.point),
            scenario_name(lang, scenario, &p.pollutant),
            format!("{:.0}%", 100.0 * q.p_reach),
            format!("{:.0}%", 100.0 * q.p_over_limit),
            q.arrival_s.map(elapsed).join(" / "),
            q.peak_mg_l.map(fmt_conc).join(" / "),
            q.over_limit_s.map(duration).join(" / "),
        ]);
    }
    out.push_str(&table.render());
}

/// A small curve per intake reached: the concentration over the run in eight levels,
/// scaled to its peak, with the limit's level marked.
fn render_curves(lang: Lang, out: &mut String, scenario: &Scenario, f: &Forecast) {
    const WIDTH: usize = 48;
    let intakes: Vec<_> = f
        .points
        .iter()
        .filter(|p| p.reached && p.kind == tripoint_sim::scenario::PointKind::Intake)
        .collect();
    if intakes.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n{}",
        lang.t_args(
            "fc-curves",
            &[
                ("from", SimTime(f.start_s).to_string().into()),
                ("to", SimTime(f.end_s).to_string().into()),
                (
                    "step",
                    SimDuration((f.end_s - f.start_s) / WIDTH as i64).to_string().into()
                ),
            ],
        )
    );
    for p in intakes {
        let (Some(point_idx), Some(pollutant)) = (scenario.point_idx(&p.point), scenario.pollutant_idx(&p.pollutant))
        else {
            continue;
        };
        let (times, conc) = forecast::held_series(&f.series[point_idx], pollutant, SimTime(f.start_s));
        let _ = writeln!(
            out,
            "  {} {} {}",
            pad_right(&truncate(&scenario_name(lang, scenario, &p.point), 24), 24),
            sparkline(&times, &conc, f.start_s, f.end_s, WIDTH),
            lang.t_args(
                "fc-curve-peak",
                &[
                    ("peak", fmt_conc(p.peak_mg_l).into()),
                    ("limit", fmt_conc(p.limit_mg_l).into()),
                ],
            )
        );
    }
}

/// Eight-level bar chart of the largest value in each of `width` equal time bins.
pub fn sparkline(times: &[i64], conc: &[f64], start_s: i64, end_s: i64, width: usize) -> String {
    const LEVELS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let mut bins = vec![0.0f64; width];
    let span = (end_s - start_s).max(1) as f64;
    for (t, c) in times.iter().zip(conc) {
        let bin = (((t - start_s) as f64 / span * width as f64) as usize).min(width - 1);
        bins[bin] = bins[bin].max(*c);
    }
    let top = bins.iter().copied().fold(0.0, f64::max);
    bins.iter()
        .map(|&c| {
            if top <= 0.0 || c <= 0.0 {
                ' '
            } else {
                LEVELS[((c / top * 8.0).ceil() as usize).clamp(1, 8) - 1]
            }
        })
        .collect()
}

/// Every downstream point's series for each released pollutant, held peaks included.
fn series_json(scenario: &Scenario, f: &Forecast) -> serde_json::Value {
    let rows: Vec<serde_json::Value> = f
        .points
        .iter()
        .filter_map(|p| {
            let point_idx = scenario.point_idx(&p.point)?;
            let pollutant = scenario.pollutant_idx(&p.pollutant)?;
            let (times, conc) = forecast::held_series(&f.series[point_idx], pollutant, SimTime(f.start_s));
            Some(serde_json::json!({
                "point": p.point,
                "pollutant": p.pollutant,
                "times_s": times,
                "conc_mg_l": conc,
            }))
        })
        .collect();
    serde_json::Value::Array(rows)
}

/// `text` cut to `width` display columns, its last one `…` when cut.
fn truncate(text: &str, width: usize) -> String {
    if crate::i18n::width(text) <= width {
        text.to_string()
    } else {
        format!("{}…", crate::i18n::truncate(text, width - 1))
    }
}

fn fmt_num(v: f64) -> String {
    if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.4}")
    }
}

/// Concentrations with three significant figures, whatever their size.
fn fmt_conc(v: f64) -> String {
    if v == 0.0 {
        return "0".to_string();
    }
    let digits = (2 - v.abs().log10().floor() as i32).clamp(0, 8) as usize;
    format!("{v:.digits$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_arguments_parse_to_seconds() {
        assert_eq!(parse_clock("02:30"), Ok(SimTime(9000)));
        assert_eq!(parse_clock("D2 08:00"), Ok(SimTime(32 * 3600)));
        assert!(parse_clock("25:00").is_err());
        assert!(parse_clock("noon").is_err());
    }

    #[test]
    fn concentrations_keep_three_significant_figures() {
        assert_eq!(fmt_conc(0.0123456), "0.0123");
        assert_eq!(fmt_conc(5.0), "5.00");
        assert_eq!(fmt_conc(0.005), "0.00500");
    }
}
