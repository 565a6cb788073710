//! The planner's report: `report.md` with the measures per policy and their intervals,
//! `summary.json`, `trials.csv` (one row per trial and policy) and SVG plots — response
//! time distributions, intake warning by source on a map of the zone, team utilisation.
//! In the person's language (`planner.ftl`): English is the text it always was; Chinese
//! names places, teams and sources by `name_zh` and the policies as a planner does
//! (属地调度, 统一调度). `summary.json` and `trials.csv` are data, the same in both.

use super::charts::{self, MapMarker, MarkerShape};
use crate::commands::evaluate::{EvaluationSpec, TrialsFile};
use crate::i18n::{self, Lang, scenario_name};
use anyhow::Context as _;
use fluent_bundle::FluentValue;
use plotters::style::RGBColor;
use std::fmt::Write as _;
use std::path::Path;
use tripoint_sim::planner::stats::Estimate;
use tripoint_sim::planner::{self, PolicySummary, TrialRow};
use tripoint_sim::scenario::Scenario;

const COUNTY: RGBColor = RGBColor(214, 120, 40);
const UNIFIED: RGBColor = RGBColor(40, 110, 190);
const POOLED_DUE: RGBColor = RGBColor(60, 160, 90);
const COUNTY_PLUME: RGBColor = RGBColor(150, 80, 160);

/// One colour per cell of pooling × ranking, the same in every chart.
pub(crate) fn colour_of(policy: &str) -> RGBColor {
    match policy {
        "county" => COUNTY,
        "pooled_due" => POOLED_DUE,
        "county_plume" => COUNTY_PLUME,
        _ => UNIFIED,
    }
}

/// The message `key` (`planner.ftl`) in `lang`, its arguments already formatted.
pub(crate) fn say(lang: Lang, key: &str, args: &[(&str, String)]) -> String {
    let args: Vec<(&str, FluentValue<'_>)> = args
        .iter()
        .map(|(name, value)| (*name, FluentValue::from(value.as_str())))
        .collect();
    lang.t_args(key, &args)
}

/// A dispatch policy as the language names it: its id in English, the planner's words in
/// Chinese (属地调度, 统一调度 …); an unknown id as itself.
pub(crate) fn policy_name(lang: Lang, policy: &str) -> String {
    let key = format!("planner-policy-{policy}");
    if lang.has(&key) {
        lang.t(&key)
    } else {
        policy.to_string()
    }
}

/// The scenario as the report names it: its name in English; in Chinese, as a scenario
/// file has no Chinese name of its own, its jurisdictions by their Chinese names.
pub(crate) fn zone_name(lang: Lang, name: &str, scenario: &Scenario) -> String {
    match lang {
        Lang::En => name.to_string(),
        Lang::ZhCn => scenario
            .jurisdictions
            .iter()
            .map(|j| scenario_name(lang, scenario, &j.id))
            .collect::<Vec<_>>()
            .join("、"),
    }
}

/// A jurisdiction's name: the English name in English (as the report always showed it),
/// the Chinese name in Chinese.
fn jurisdiction_name(lang: Lang, scenario: &Scenario, index: usize) -> &str {
    let j = &scenario.jurisdictions[index];
    lang.name(&j.name, &j.name_zh)
}

/// A field kit (an instrument of the equipment catalogue): its id in English, as the
/// report always showed it, its Chinese name in Chinese.
pub(crate) fn kit_name(lang: Lang, kit: &str) -> String {
    let instrument = tripoint_sim::equipment::Catalogue::builtin().instrument(kit);
    match instrument {
        Some(i) if lang == Lang::ZhCn && !i.name_zh.is_empty() => i.name_zh.clone(),
        _ => kit.to_string(),
    }
}

/// `value (low–high)` with the given decimals; `—` when not estimable.
pub(crate) fn est(e: &Estimate, decimals: usize, scale: f64) -> String {
    let show = |v: Option<f64>| v.map_or("—".to_string(), |v| fixed(v * scale, decimals));
    match e.value {
        None => "—".into(),
        Some(_) => format!("{} ({}–{})", show(e.value), show(e.low), show(e.high)),
    }
}

/// `v` with `decimals` decimals, without the sign of a value that rounds to zero: a
/// bound of -0.0004 % is printed `0.0`, not `-0.0`.
pub(crate) fn fixed(v: f64, decimals: usize) -> String {
    let text = format!("{v:.decimals$}");
    match text.strip_prefix('-') {
        Some(unsigned) if unsigned.chars().all(|c| c == '0' || c == '.') => unsigned.to_string(),
        _ => text,
    }
}

/// The measures as a plain-text table for the terminal, in `lang` (columns by display
/// width: a Chinese character takes two).
pub fn summary_table(lang: Lang, spec: &EvaluationSpec, summaries: &[PolicySummary], scenario: &Scenario) -> String {
    let mut out = String::new();
    let line = say(
        lang,
        "planner-summary-line",
        &[
            ("scenario", zone_name(lang, &spec.scenario_name, scenario)),
            ("trials", spec.trials.to_string()),
            ("seed", spec.seed.to_string()),
            ("hours", spec.hours.to_string()),
            ("pairs", format!("{:.0}", spec.model.pair_share * 100.0)),
        ],
    );
    let _ = writeln!(out, "{line}");
    let rows = measure_rows(lang, summaries);
    let width = rows.iter().map(|(name, _)| i18n::width(name)).max().unwrap_or(0);
    out.push_str(&" ".repeat(width));
    for s in summaries {
        let _ = write!(out, "  {}", i18n::pad_right(&policy_name(lang, &s.policy), 28));
    }
    out.push('\n');
    for (name, values) in rows {
        out.push_str(&i18n::pad_right(&name, width));
        for v in values {
            let _ = write!(out, "  {v:<28}");
        }
        out.push('\n');
    }
    out
}

/// (measure in `lang`, one cell per policy).
pub(crate) fn measure_rows(lang: Lang, summaries: &[PolicySummary]) -> Vec<(String, Vec<String>)> {
    type Cell = fn(&PolicySummary) -> String;
    let rows: [(&str, Cell); 13] = [
        ("planner-measure-site-p50", |s| est(&s.response_p50_min, 0, 1.0)),
        ("planner-measure-site-p90", |s| est(&s.response_p90_min, 0, 1.0)),
        ("planner-measure-site-p95", |s| est(&s.response_p95_min, 0, 1.0)),
        ("planner-measure-site-sampled", |s| est(&s.site_sampled, 1, 100.0)),
        ("planner-measure-intake-warned", |s| est(&s.intake_warned, 1, 100.0)),
        ("planner-measure-margin-p50", |s| est(&s.margin_p50_min, 0, 1.0)),
        ("planner-measure-margin-p10", |s| est(&s.margin_p10_min, 0, 1.0)),
        ("planner-measure-border-covered", |s| est(&s.border_covered, 1, 100.0)),
        ("planner-measure-pairs-served", |s| est(&s.pairs_fully_served, 1, 100.0)),
        ("planner-measure-singles-served", |s| {
            est(&s.singles_fully_served, 1, 100.0)
        }),
        ("planner-measure-samples-on-time", |s| est(&s.samples_on_time, 1, 100.0)),
        ("planner-measure-utilisation", |s| est(&s.mean_utilisation, 1, 100.0)),
        ("planner-measure-trials", |s| s.trials.to_string()),
    ];
    rows.iter()
        .map(|(key, cell)| (lang.t(key), summaries.iter().map(cell).collect()))
        .collect()
}

/// Writes the report files into `dir`, in `lang`.
pub fn write(
    dir: &Path,
    lang: Lang,
    file: &TrialsFile,
    summaries: &[PolicySummary],
    scenario: &Scenario,
) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let put = |name: &str, text: &str| -> anyhow::Result<()> {
        let path = dir.join(name);
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))
    };
    let mut plots = Vec::new();
    put("response_cdf.svg", &response_cdf(lang, file, summaries)?)?;
    plots.push(("response_cdf.svg", lang.t("planner-plot-response")));
    let mut maps = Vec::new();
    for s in summaries {
        let name = format!("warning_map_{}.svg", s.policy);
        put(&name, &warning_map(lang, file, &s.policy, scenario)?)?;
        maps.push(name);
    }
    put("utilisation.svg", &utilisation(lang, summaries, scenario)?)?;
    plots.push(("utilisation.svg", lang.t("planner-plot-utilisation")));
    put("trials.csv", &trials_csv(file, scenario))?;
    let mut json = serde_json::to_string_pretty(&serde_json::json!({ "spec": file.spec, "summaries": summaries }))?;
    json.push('\n');
    put("summary.json", &json)?;
    put("report.md", &markdown(lang, file, summaries, scenario, &plots, &maps))?;
    Ok(())
}

fn response_cdf(lang: Lang, file: &TrialsFile, summaries: &[PolicySummary]) -> anyhow::Result<String> {
    let names: Vec<String> = summaries.iter().map(|s| policy_name(lang, &s.policy)).collect();
    let mut series = Vec::new();
    let mut x_max: f64 = 60.0;
    for (s, name) in summaries.iter().zip(&names) {
        let (points, p99) = response_cdf_points(file.rows.iter().filter(|r| r.policy == s.policy));
        if let Some(p99) = p99 {
            x_max = x_max.max(p99 * 1.05);
        }
        series.push((name.as_str(), colour_of(&s.policy), points));
    }
    for (_, _, points) in series.iter_mut() {
        points.retain(|(m, _)| *m <= x_max);
    }
    charts::lines(&charts::Lines {
        title: &lang.t("planner-chart-response-title"),
        x_label: &lang.t("planner-chart-response-x"),
        y_label: &lang.t("planner-chart-response-y"),
        series: &series,
        x_range: (0.0, x_max),
        y_range: (0.0, 1.0),
        font: charts::font_family(lang),
    })
}

/// The distribution of discovery → first site sample over the rows' incidents, as
/// (minutes, share sampled by then), never-sampled incidents counting in the share's
/// denominator; and the 99th percentile of the sampled ones, where a plot's axis may end
/// (a few very late samples would squash the rest).
pub(crate) fn response_cdf_points<'a>(rows: impl Iterator<Item = &'a TrialRow>) -> (Vec<(f64, f64)>, Option<f64>) {
    let mut minutes: Vec<f64> = rows
        .flat_map(|r| &r.incidents)
        .map(|i| i.response_s().map_or(f64::INFINITY, |v| v as f64 / 60.0))
        .collect();
    minutes.sort_by(f64::total_cmp);
    let n = minutes.len().max(1) as f64;
    let finite: Vec<f64> = minutes.iter().copied().filter(|m| m.is_finite()).collect();
    let p99 = finite
        .get(((finite.len() as f64 * 0.99) as usize).min(finite.len().saturating_sub(1)))
        .copied();
    let points = finite
        .iter()
        .enumerate()
        .map(|(i, m)| (*m, (i + 1) as f64 / n))
        .collect();
    (points, p99)
}

/// Red (0 %) through amber to green (100 %).
pub(crate) fn probability_colour(p: f64) -> RGBColor {
    let p = p.clamp(0.0, 1.0);
    if p < 0.5 {
        RGBColor(200, (60.0 + 280.0 * p) as u8, 40)
    } else {
        RGBColor((200.0 - 320.0 * (p - 0.5)) as u8, (200.0 - 40.0 * (p - 0.5)) as u8, 40)
    }
}

fn warning_map(lang: Lang, file: &TrialsFile, policy: &str, scenario: &Scenario) -> anyhow::Result<String> {
    let rows: Vec<&TrialRow> = file.rows.iter().filter(|r| r.policy == policy).collect();
    let by_source = planner::warning_by_source(&rows);
    let reaches = zone_reaches(scenario);
    let mut markers = Vec::new();
    for source in &scenario.risk_sources {
        let [lon, lat] = tripoint_sim::plan::lon_lat(scenario, source.location);
        let (colour, label) = match by_source.iter().find(|(id, _, _)| *id == source.id) {
            Some((_, threatened, warned)) if *threatened > 0 => {
                let p = *warned as f64 / *threatened as f64;
                (probability_colour(p), format!("{:.0}%", p * 100.0))
            }
            Some(_) => (RGBColor(170, 170, 170), String::new()),
            None => (RGBColor(230, 230, 230), String::new()),
        };
        markers.push(MapMarker {
            lon,
            lat,
            colour,
            shape: MarkerShape::Circle,
            size: 6,
            label,
        });
    }
    markers.extend(intake_markers(lang, scenario));
    for depot in &scenario.depots {
        let node = &scenario.road_nodes[depot.road_node];
        let teams = scenario
            .teams
            .iter()
            .filter(|t| scenario.depots[t.depot].id == depot.id)
            .count();
        markers.push(MapMarker {
            lon: node.lon,
            lat: node.lat,
            colour: RGBColor(60, 60, 60),
            shape: MarkerShape::Square,
            size: 5,
            label: say(
                lang,
                if teams == 1 {
                    "planner-chart-map-team"
                } else {
                    "planner-chart-map-teams"
                },
                &[("teams", teams.to_string())],
            ),
        });
    }
    let legend = vec![
        (lang.t("planner-chart-map-legend-0"), probability_colour(0.0)),
        ("50 %".to_string(), probability_colour(0.5)),
        ("100 %".to_string(), probability_colour(1.0)),
        (lang.t("planner-chart-map-legend-no-threat"), RGBColor(170, 170, 170)),
        (lang.t("planner-chart-map-legend-depot"), RGBColor(60, 60, 60)),
    ];
    charts::map(&charts::MapChart {
        title: &say(
            lang,
            "planner-chart-map-title",
            &[("policy", policy_name(lang, policy))],
        ),
        reaches: &reaches,
        markers: &markers,
        legend: &legend,
        x_label: &lang.t("planner-chart-longitude"),
        y_label: &lang.t("planner-chart-latitude"),
        font: charts::font_family(lang),
    })
}

/// The drinking-water intakes as triangles labelled with their names in `lang`, for maps.
pub(crate) fn intake_markers(lang: Lang, scenario: &Scenario) -> impl Iterator<Item = MapMarker> + '_ {
    scenario
        .points
        .iter()
        .filter(|p| p.kind == tripoint_sim::scenario::PointKind::Intake)
        .map(move |point| MapMarker {
            lon: point.lon,
            lat: point.lat,
            colour: RGBColor(30, 30, 140),
            shape: MarkerShape::Triangle,
            size: 9,
            label: lang.name(&point.name, &point.name_zh).to_string(),
        })
}

/// The river reaches as (lon, lat) paths, for maps.
pub(crate) fn zone_reaches(scenario: &Scenario) -> Vec<Vec<(f64, f64)>> {
    scenario
        .reaches
        .iter()
        .map(|r| r.path.iter().map(|p| (p[0], p[1])).collect())
        .collect()
}

fn utilisation(lang: Lang, summaries: &[PolicySummary], scenario: &Scenario) -> anyhow::Result<String> {
    let groups: Vec<String> = scenario
        .teams
        .iter()
        .map(|t| scenario_name(lang, scenario, &t.id))
        .collect();
    let names: Vec<String> = summaries.iter().map(|s| policy_name(lang, &s.policy)).collect();
    let series: Vec<(&str, RGBColor, Vec<Option<f64>>)> = summaries
        .iter()
        .zip(&names)
        .map(|(s, name)| {
            (
                name.as_str(),
                colour_of(&s.policy),
                s.team_utilisation.iter().map(|e| e.value.map(|v| v * 100.0)).collect(),
            )
        })
        .collect();
    charts::grouped_bars(&charts::GroupedBars {
        title: &lang.t("planner-chart-utilisation-title"),
        y_label: &lang.t("planner-chart-utilisation-y"),
        groups: &groups,
        series: &series,
        font: charts::font_family(lang),
    })
}

/// One row per trial and policy; incident `a` is the first, `b` the second of a pair.
pub fn trials_csv(file: &TrialsFile, scenario: &Scenario) -> String {
    let mut out = trial_header();
    for team in &scenario.teams {
        let _ = write!(out, ",busy_h_{}", team.id);
    }
    out.push('\n');
    for r in &file.rows {
        out.push_str(&trial_fields(r));
        for busy in &r.team_busy_s {
            let _ = write!(out, ",{:.3}", *busy as f64 / 3600.0);
        }
        out.push('\n');
    }
    out
}

/// The columns of a trial row up to the teams (`trial,policy,…,samples`).
pub(crate) fn trial_header() -> String {
    let mut out = String::from("trial,policy,regime,pair");
    for tag in ["a", "b"] {
        for field in [
            "source",
            "jurisdiction",
            "pollutant",
            "mass_kg",
            "start_s",
            "discovered_s",
            "first_site_sample_s",
            "response_min",
            "intakes_threatened",
            "intakes_warned",
            "worst_margin_min",
        ] {
            let _ = write!(out, ",{tag}_{field}");
        }
    }
    out.push_str(",border_sections,border_covered,tasks,tasks_done,tasks_late,tasks_missed,samples");
    out
}

/// The fields of [`trial_header`] for one row.
pub(crate) fn trial_fields(r: &TrialRow) -> String {
    let mut out = String::new();
    let opt = |v: Option<i64>| v.map_or(String::new(), |v| v.to_string());
    let minutes = |v: Option<i64>| v.map_or(String::new(), |v| format!("{:.1}", v as f64 / 60.0));
    let _ = write!(out, "{},{},{},{}", r.trial, r.policy, r.regime, r.is_pair());
    for k in 0..2 {
        match r.incidents.get(k) {
            Some(i) => {
                let _ = write!(
                    out,
                    ",{},{},{},{:.3},{},{},{},{},{},{},{}",
                    i.source,
                    i.jurisdiction,
                    i.pollutant,
                    i.mass_kg,
                    i.start_s,
                    opt(i.discovered_s),
                    opt(i.first_site_sample_s),
                    minutes(i.response_s()),
                    i.intakes_threatened,
                    i.intakes_warned,
                    minutes(i.worst_margin_s)
                );
            }
            None => out.push_str(",,,,,,,,,,,"),
        }
    }
    let _ = write!(
        out,
        ",{},{},{},{},{},{},{}",
        r.border_sections, r.border_covered, r.tasks, r.tasks_done, r.tasks_late, r.tasks_missed, r.samples
    );
    out
}

fn markdown(
    lang: Lang,
    file: &TrialsFile,
    summaries: &[PolicySummary],
    scenario: &Scenario,
    plots: &[(&str, String)],
    maps: &[String],
) -> String {
    let spec = &file.spec;
    let m = &spec.model;
    let t = |key: &str| lang.t(key);
    let policies: Vec<String> = summaries.iter().map(|s| policy_name(lang, &s.policy)).collect();
    let mut out = String::new();
    let zone = zone_name(lang, &spec.scenario_name, scenario);
    let _ = writeln!(out, "{}\n", say(lang, "planner-title", &[("scenario", zone)]));
    let evaluated: Vec<String> = spec.policies.iter().map(|p| policy_name(lang, p)).collect();
    let intro = say(
        lang,
        "planner-intro",
        &[
            ("trials", spec.trials.to_string()),
            ("seed", spec.seed.to_string()),
            ("hours", spec.hours.to_string()),
            ("version", spec.version.to_string()),
            ("hash", spec.scenario_hash.to_string()),
            ("policies", evaluated.join(&t("planner-list-and"))),
        ],
    );
    let _ = writeln!(out, "{intro}\n");
    let _ = writeln!(out, "{}\n", t("planner-allocation"));
    let _ = writeln!(out, "{}\n|---|---|---|", t("planner-allocation-header"));
    for depot in &scenario.depots {
        let teams: Vec<String> = scenario
            .teams
            .iter()
            .filter(|team| scenario.depots[team.depot].id == depot.id)
            .map(|team| scenario_name(lang, scenario, &team.id))
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            scenario_name(lang, scenario, &depot.id),
            jurisdiction_name(lang, scenario, depot.jurisdiction),
            if teams.is_empty() {
                "—".to_string()
            } else {
                teams.join(&t("planner-list-separator"))
            }
        );
    }
    let _ = writeln!(out, "\n{}\n", t("planner-measures"));
    let _ = write!(out, "| {} |", t("planner-measures-header"));
    for name in &policies {
        let _ = write!(out, " {name} |");
    }
    let _ = write!(out, "\n|---|");
    for _ in summaries {
        out.push_str("---|");
    }
    out.push('\n');
    for (name, cells) in measure_rows(lang, summaries) {
        let _ = writeln!(out, "| {name} | {} |", cells.join(" | "));
    }
    out.push('\n');
    for key in [
        "planner-note-site",
        "planner-note-intake",
        "planner-note-border",
        "planner-note-served",
        "planner-note-on-time",
        "planner-note-utilisation",
    ] {
        let _ = writeln!(out, "{}", t(key));
    }
    out.push('\n');
    if summaries.iter().any(|s| !s.kit_utilisation.is_empty()) {
        let _ = writeln!(out, "{}\n", t("planner-kits"));
        let _ = writeln!(out, "{}\n", t("planner-kits-intro"));
        let _ = write!(out, "| {} | {} |", t("planner-kits-kit"), t("planner-kits-teams"));
        for name in &policies {
            let _ = write!(
                out,
                " {} |",
                say(lang, "planner-kits-policy", &[("policy", name.clone())])
            );
        }
        let _ = write!(out, "\n|---|---|");
        for _ in summaries {
            out.push_str("---|");
        }
        out.push('\n');
        let first = &file.rows.first().map_or(vec![], |r| r.kit_busy_s.clone());
        for (kit, teams, _) in first {
            let _ = write!(out, "| {} | {teams} |", kit_name(lang, kit));
            for s in summaries {
                let cell = s
                    .kit_utilisation
                    .iter()
                    .find(|(k, _)| k == kit)
                    .map_or("—".to_string(), |(_, e)| est(e, 1, 100.0));
                let _ = write!(out, " {cell} |");
            }
            out.push('\n');
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{}\n", t("planner-plots"));
    for (name, caption) in plots {
        let _ = writeln!(out, "![{caption}]({name})\n");
    }
    for name in maps {
        let _ = writeln!(out, "![{}]({name})\n", t("planner-plot-map"));
    }
    let _ = writeln!(out, "{}\n", t("planner-by-source"));
    let _ = write!(
        out,
        "| {} | {} |",
        t("planner-by-source-source"),
        t("planner-by-source-jurisdiction")
    );
    for name in &policies {
        let _ = write!(
            out,
            " {} |",
            say(lang, "planner-by-source-policy", &[("policy", name.clone())])
        );
    }
    let _ = write!(out, "\n|---|---|");
    for _ in summaries {
        out.push_str("---|");
    }
    out.push('\n');
    let tables: Vec<Vec<(String, usize, usize)>> = summaries
        .iter()
        .map(|s| {
            let rows: Vec<&TrialRow> = file.rows.iter().filter(|r| r.policy == s.policy).collect();
            planner::warning_by_source(&rows)
        })
        .collect();
    if let Some(first) = tables.first() {
        for (source, _, _) in first.iter().filter(|(_, t, _)| *t > 0) {
            let jurisdiction = scenario
                .risk_sources
                .iter()
                .find(|s| s.id == *source)
                .map_or("", |s| jurisdiction_name(lang, scenario, s.jurisdiction));
            let _ = write!(out, "| {} | {jurisdiction} |", scenario_name(lang, scenario, source));
            for table in &tables {
                let (t, w) = table
                    .iter()
                    .find(|(s, _, _)| s == source)
                    .map_or((0, 0), |(_, t, w)| (*t, *w));
                let _ = write!(out, " {w} / {t} ({:.0} %) |", 100.0 * w as f64 / t.max(1) as f64);
            }
            out.push('\n');
        }
    }
    let _ = writeln!(out, "\n{}\n", t("planner-draws"));
    let weights = scenario
        .regimes
        .iter()
        .zip(&m.regime_weights)
        .map(|(r, w)| format!("{} {w}", crate::i18n::regime_name(lang, scenario, &r.id)))
        .collect::<Vec<_>>()
        .join(&t("planner-list-separator"));
    let draws = [
        say(
            lang,
            "planner-draws-source",
            &[
                ("mass_min", format!("{:.0}", m.mass_fraction_min * 100.0)),
                ("reported_sigma", m.reported_sigma.to_string()),
            ],
        ),
        say(
            lang,
            "planner-draws-start",
            &[
                ("median_min", (m.report_median_s / 60).to_string()),
                ("report_sigma", m.report_sigma.to_string()),
            ],
        ),
        say(lang, "planner-draws-regime", &[("weights", weights)]),
        say(
            lang,
            "planner-draws-pairs",
            &[
                ("pairs", format!("{:.0}", m.pair_share * 100.0)),
                ("gap_h", (m.pair_gap_max_s / 3600).to_string()),
            ],
        ),
        t("planner-draws-transport"),
    ];
    for line in draws {
        let _ = writeln!(out, "{line}");
    }
    out.push('\n');
    let _ = writeln!(out, "{}", t("planner-closing"));
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_value_that_rounds_to_zero_is_printed_without_a_sign() {
        assert_eq!(super::fixed(-0.0, 1), "0.0");
        assert_eq!(super::fixed(-0.0004, 1), "0.0");
        assert_eq!(super::fixed(-0.04, 0), "0");
        assert_eq!(super::fixed(-0.06, 1), "-0.1");
        assert_eq!(super::fixed(-12.0, 0), "-12");
    }
}
