//! The planner's report: `report.md` with the measures per policy and their intervals,
//! `summary.json`, `trials.csv` (one row per trial and policy) and SVG plots — response
//! time distributions, intake warning by source on a map of the zone, team utilisation.

use super::charts::{self, MapMarker, MarkerShape};
use crate::commands::evaluate::{EvaluationSpec, TrialsFile};
use anyhow::Context as _;
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

/// The measures as a plain-text table for the terminal.
pub fn summary_table(spec: &EvaluationSpec, summaries: &[PolicySummary]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: {} trials (seed {}, {} h each, {:.0} % simultaneous pairs); 95 % intervals in brackets",
        spec.scenario_name,
        spec.trials,
        spec.seed,
        spec.hours,
        spec.model.pair_share * 100.0
    );
    let rows = measure_rows(summaries);
    let width = rows.iter().map(|(name, _)| name.chars().count()).max().unwrap_or(0);
    let _ = write!(out, "{:width$}", "");
    for s in summaries {
        let _ = write!(out, "  {:<28}", s.policy);
    }
    out.push('\n');
    for (name, values) in rows {
        let _ = write!(out, "{name:width$}");
        for v in values {
            let _ = write!(out, "  {v:<28}");
        }
        out.push('\n');
    }
    out
}

/// (measure, one cell per policy).
pub(crate) fn measure_rows(summaries: &[PolicySummary]) -> Vec<(String, Vec<String>)> {
    type Cell = fn(&PolicySummary) -> String;
    let rows: [(&str, Cell); 13] = [
        ("site sample P50 [min]", |s| est(&s.response_p50_min, 0, 1.0)),
        ("site sample P90 [min]", |s| est(&s.response_p90_min, 0, 1.0)),
        ("site sample P95 [min]", |s| est(&s.response_p95_min, 0, 1.0)),
        ("site sampled [%]", |s| est(&s.site_sampled, 1, 100.0)),
        ("intake warned in time [%]", |s| est(&s.intake_warned, 1, 100.0)),
        ("warning margin P50 [min]", |s| est(&s.margin_p50_min, 0, 1.0)),
        ("warning margin P10 [min]", |s| est(&s.margin_p10_min, 0, 1.0)),
        ("border sections covered [%]", |s| est(&s.border_covered, 1, 100.0)),
        ("pairs fully served [%]", |s| est(&s.pairs_fully_served, 1, 100.0)),
        ("singles fully served [%]", |s| est(&s.singles_fully_served, 1, 100.0)),
        ("samples on time [%]", |s| est(&s.samples_on_time, 1, 100.0)),
        ("mean team utilisation [%]", |s| est(&s.mean_utilisation, 1, 100.0)),
        ("trials", |s| s.trials.to_string()),
    ];
    rows.iter()
        .map(|(name, cell)| (name.to_string(), summaries.iter().map(cell).collect()))
        .collect()
}

/// Writes the report files into `dir`.
pub fn write(dir: &Path, file: &TrialsFile, summaries: &[PolicySummary], scenario: &Scenario) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let put = |name: &str, text: &str| -> anyhow::Result<()> {
        let path = dir.join(name);
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))
    };
    let mut plots = Vec::new();
    put("response_cdf.svg", &response_cdf(file, summaries)?)?;
    plots.push((
        "response_cdf.svg",
        "Discovery to first sample at the release site, per policy",
    ));
    let mut maps = Vec::new();
    for s in summaries {
        let name = format!("warning_map_{}.svg", s.policy);
        put(&name, &warning_map(file, &s.policy, scenario)?)?;
        maps.push(name);
    }
    put("utilisation.svg", &utilisation(summaries, scenario)?)?;
    plots.push(("utilisation.svg", "Mean utilisation of each team"));
    put("trials.csv", &trials_csv(file, scenario))?;
    let mut json = serde_json::to_string_pretty(&serde_json::json!({ "spec": file.spec, "summaries": summaries }))?;
    json.push('\n');
    put("summary.json", &json)?;
    put("report.md", &markdown(file, summaries, scenario, &plots, &maps))?;
    Ok(())
}

fn response_cdf(file: &TrialsFile, summaries: &[PolicySummary]) -> anyhow::Result<String> {
    let mut series = Vec::new();
    let mut x_max: f64 = 60.0;
    for s in summaries {
        let (points, p99) = response_cdf_points(file.rows.iter().filter(|r| r.policy == s.policy));
        if let Some(p99) = p99 {
            x_max = x_max.max(p99 * 1.05);
        }
        series.push((s.policy.as_str(), colour_of(&s.policy), points));
    }
    for (_, _, points) in series.iter_mut() {
        points.retain(|(m, _)| *m <= x_max);
    }
    charts::lines(&charts::Lines {
        title: "Discovery to first sample at the site (distribution over incidents)",
        x_label: "minutes after discovery",
        y_label: "share of incidents sampled",
        series: &series,
        x_range: (0.0, x_max),
        y_range: (0.0, 1.0),
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

fn warning_map(file: &TrialsFile, policy: &str, scenario: &Scenario) -> anyhow::Result<String> {
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
    markers.extend(intake_markers(scenario));
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
            label: format!("{teams} team{}", if teams == 1 { "" } else { "s" }),
        });
    }
    let legend = vec![
        ("intake warned in time: 0 %".to_string(), probability_colour(0.0)),
        ("50 %".to_string(), probability_colour(0.5)),
        ("100 %".to_string(), probability_colour(1.0)),
        (
            "source drawn, no intake threatened".to_string(),
            RGBColor(170, 170, 170),
        ),
        ("depot (teams), ▲ intake".to_string(), RGBColor(60, 60, 60)),
    ];
    charts::map(&charts::MapChart {
        title: &format!("Threatened intakes warned before the plume, by source ({policy} dispatch)"),
        reaches: &reaches,
        markers: &markers,
        legend: &legend,
    })
}

/// The drinking-water intakes as labelled triangles, for maps.
pub(crate) fn intake_markers(scenario: &Scenario) -> impl Iterator<Item = MapMarker> + '_ {
    scenario
        .points
        .iter()
        .filter(|p| p.kind == tripoint_sim::scenario::PointKind::Intake)
        .map(|point| MapMarker {
            lon: point.lon,
            lat: point.lat,
            colour: RGBColor(30, 30, 140),
            shape: MarkerShape::Triangle,
            size: 9,
            label: point.name.clone(),
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

fn utilisation(summaries: &[PolicySummary], scenario: &Scenario) -> anyhow::Result<String> {
    let groups: Vec<String> = scenario.teams.iter().map(|t| t.id.clone()).collect();
    let series: Vec<(&str, RGBColor, Vec<Option<f64>>)> = summaries
        .iter()
        .map(|s| {
            (
                s.policy.as_str(),
                colour_of(&s.policy),
                s.team_utilisation.iter().map(|e| e.value.map(|v| v * 100.0)).collect(),
            )
        })
        .collect();
    charts::grouped_bars(&charts::GroupedBars {
        title: "Mean team utilisation over the trials",
        y_label: "busy time [% of the trial]",
        groups: &groups,
        series: &series,
        font: charts::FONT_LATIN,
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
    file: &TrialsFile,
    summaries: &[PolicySummary],
    scenario: &Scenario,
    plots: &[(&str, &str)],
    maps: &[String],
) -> String {
    let spec = &file.spec;
    let m = &spec.model;
    let mut out = String::new();
    let _ = writeln!(out, "# Allocation evaluation: {}\n", spec.scenario_name);
    let _ = writeln!(
        out,
        "{} trials, seed {}, {} h per trial from the first incident; Tripoint {}; scenario fingerprint `{}`. \
         Each trial was run under {} dispatch with the same incidents (common random numbers), so the \
         policies differ by their dispatch alone.\n",
        spec.trials,
        spec.seed,
        spec.hours,
        spec.version,
        spec.scenario_hash,
        spec.policies.join(" and ")
    );
    let _ = writeln!(out, "## The allocation evaluated\n");
    let _ = writeln!(out, "| depot | jurisdiction | teams |\n|---|---|---|");
    for depot in &scenario.depots {
        let teams: Vec<&str> = scenario
            .teams
            .iter()
            .filter(|t| scenario.depots[t.depot].id == depot.id)
            .map(|t| t.id.as_str())
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            depot.id,
            scenario.jurisdictions[depot.jurisdiction].name,
            if teams.is_empty() {
                "—".to_string()
            } else {
                teams.join(", ")
            }
        );
    }
    let _ = writeln!(out, "\n## Measures (95 % confidence intervals)\n");
    let _ = write!(out, "| measure |");
    for s in summaries {
        let _ = write!(out, " {} |", s.policy);
    }
    let _ = write!(out, "\n|---|");
    for _ in summaries {
        out.push_str("---|");
    }
    out.push('\n');
    for (name, cells) in measure_rows(summaries) {
        let _ = writeln!(out, "| {name} | {} |", cells.join(" | "));
    }
    let _ = writeln!(
        out,
        "\n- **Site sample**: from discovery to the first sample at the release site, over every incident \
         (both of a pair). An incident whose site was never sampled within the trial counts as slower than \
         any; an interval bound shown as — lies among them. Quantile intervals are distribution-free \
         (order statistics).\n\
         - **Intake warned in time**: over every intake the plan's forecast put over its limit, a known \
         over-limit result on the plume's path before the true plume passed the limit there (Wilson interval). \
         **Margin**: plume arrival minus that result, worst intake of each incident.\n\
         - **Border sections covered**: border sections of the plans sampled before the plume passed the \
         limit there. Sections of one trial are not independent, so this interval is too narrow.\n\
         - **Fully served**: every incident of the trial had its release site sampled, every border section \
         on its plume's path sampled before the plume and every threatened intake warned in time.\n\
         - **Samples on time**: the plans' samples taken within 30 min of their due time, over all samples due \
         (Wilson interval; samples of one trial are not independent, so it is too narrow).\n\
         - **Utilisation**: a team's busy time (travel, access, sampling) over the trial's length (normal \
         interval, clipped to 0–100 %: a utilisation cannot be negative).\n"
    );
    if summaries.iter().any(|s| !s.kit_utilisation.is_empty()) {
        let _ = writeln!(out, "## Field kits\n");
        let _ = writeln!(
            out,
            "Time each kit was in use (sampling and on-site analysis of the samples it analysed) over \
             the trial's length and the kits carried, mean over trials (95 % interval).\n"
        );
        let _ = write!(out, "| kit | teams carrying |");
        for s in summaries {
            let _ = write!(out, " {} [%] |", s.policy);
        }
        let _ = write!(out, "\n|---|---|");
        for _ in summaries {
            out.push_str("---|");
        }
        out.push('\n');
        let first = &file.rows.first().map_or(vec![], |r| r.kit_busy_s.clone());
        for (kit, teams, _) in first {
            let _ = write!(out, "| {kit} | {teams} |");
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
    let _ = writeln!(out, "## Plots\n");
    for (name, caption) in plots {
        let _ = writeln!(out, "![{caption}]({name})\n");
    }
    for name in maps {
        let _ = writeln!(
            out,
            "![Share of threatened intakes warned in time, by source]({name})\n"
        );
    }
    let _ = writeln!(out, "## Intake warning by source\n");
    let _ = write!(out, "| source | jurisdiction |");
    for s in summaries {
        let _ = write!(out, " {} warned / threatened |", s.policy);
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
        for (source, threatened, _) in first.iter().filter(|(_, t, _)| *t > 0) {
            let jurisdiction = scenario
                .risk_sources
                .iter()
                .find(|s| s.id == *source)
                .map_or("", |s| scenario.jurisdictions[s.jurisdiction].name.as_str());
            let _ = write!(out, "| {source} | {jurisdiction} |");
            for table in &tables {
                let (t, w) = table
                    .iter()
                    .find(|(s, _, _)| s == source)
                    .map_or((0, 0), |(_, t, w)| (*t, *w));
                let _ = write!(out, " {w} / {t} ({:.0} %) |", 100.0 * w as f64 / t.max(1) as f64);
            }
            out.push('\n');
            let _ = threatened;
        }
    }
    let _ = writeln!(out, "\n## How trials are drawn\n");
    let _ = writeln!(
        out,
        "- Source by its annual probability in the risk-source inventory; pollutant one of its chemicals; \
         mass log-uniform between {:.0} % and 100 % of the largest credible release; first report's mass the \
         true mass times a lognormal factor (σ = {}).\n\
         - Start uniform over the day; release lasting 20 min (bridge), 30 min (shipping lane), 60 min (plant, \
         store) or 120 min (treatment works); reported by the enterprise or a passer-by after a lognormal delay \
         (median {} min, σ = {}); stations may raise the alarm first.\n\
         - Flow regime steady through a trial, weights {}.\n\
         - {:.0} % of trials are two county-level incidents in two jurisdictions, the second starting within {} h \
         of the first.\n\
         - River transport from unit responses (1 kg per source and regime, scaled and shifted; see \
         docs/validation.md for their agreement with the transport model).\n",
        m.mass_fraction_min * 100.0,
        m.reported_sigma,
        m.report_median_s / 60,
        m.report_sigma,
        scenario
            .regimes
            .iter()
            .zip(&m.regime_weights)
            .map(|(r, w)| format!("{} {w}", r.id))
            .collect::<Vec<_>>()
            .join(", "),
        m.pair_share * 100.0,
        m.pair_gap_max_s / 3600
    );
    let _ = writeln!(
        out,
        "`trials.csv` has one row per trial and policy (incident a, and b for a pair). These are \
         assumptions for planning, not a forecast of any year: compare allocations and policies with them, \
         do not read the percentages as promises."
    );
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
