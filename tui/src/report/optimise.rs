//! The report of `tripoint plan optimise`: `report.md` (proposal, comparison on other
//! trials under the four dispatch cells side by side, classical models, search log,
//! trade-off curve),
//! `trials.csv` (one row per allocation, trial and policy), `optimise.json` and SVG plots
//! (today's vs proposed sites on the map, the trade-off curve, response distributions).
//! In the person's language (`optimise.ftl`, with `planner.ftl`'s policies and measures):
//! English is the text it always was; Chinese names teams, sites, jurisdictions and field
//! kits by their Chinese names. `trials.csv` and `optimise.json` are data, the same in both.

use super::charts::{self, MapMarker, MarkerShape};
use super::planner::{
    colour_of, est, intake_markers, kit_name, measure_rows, policy_name, response_cdf_points, say, trial_fields,
    trial_header, zone_name, zone_reaches,
};
use crate::commands::optimise::{CHECK_POLICIES, Compared, Outcome};
use crate::i18n::{self, Lang, scenario_name};
use anyhow::Context as _;
use plotters::style::RGBColor;
use std::fmt::Write as _;
use std::path::Path;
use tripoint_sim::planner::optimise::{Allocation, Change, Goal, Score, Site};
use tripoint_sim::planner::{PolicySummary, TrialRow};
use tripoint_sim::response::dispatch::PolicyKind;
use tripoint_sim::scenario::Scenario;

const TODAY: RGBColor = RGBColor(90, 90, 90);
const PROPOSED: RGBColor = RGBColor(30, 150, 60);

/// The goal's measure as text: a percentage or minutes.
fn measure(goal: Goal, s: &Score) -> String {
    match goal {
        Goal::P90Response => format!("{:.0} min", s.measure(goal)),
        _ => format!("{:.1} %", s.measure(goal) * 100.0),
    }
}

/// The goal as the language names it (`intake-warning` in English).
fn goal_name(lang: Lang, goal: Goal) -> String {
    lang.t(&format!("optimise-goal-{}", goal.label()))
}

/// A search phase as the language names it (`local search` in English).
fn phase_name(lang: Lang, phase: &str) -> String {
    let key = format!("optimise-phase-{}", phase.replace(' ', "-"));
    if lang.has(&key) {
        lang.t(&key)
    } else {
        phase.to_string()
    }
}

/// A site: its id in English, as the report always showed it; its Chinese name in Chinese.
fn site_name(lang: Lang, site: &Site) -> String {
    lang.name(&site.id, &site.name_zh).to_string()
}

/// A team: its id in English, its Chinese name in Chinese.
fn team_name(lang: Lang, scenario: &Scenario, team: usize) -> String {
    scenario_name(lang, scenario, &scenario.teams[team].id)
}

/// A list in the language: `a, b` in English, `a、b` in Chinese.
fn list(lang: Lang, items: &[String]) -> String {
    items.join(&lang.t("optimise-list-separator"))
}

/// A team's field kits, by the catalogue's Chinese names in Chinese.
fn kits_text(lang: Lang, kits: &[String]) -> String {
    let names: Vec<String> = kits.iter().map(|k| kit_name(lang, k)).collect();
    list(lang, &names)
}

/// A step of the search in the language; in English the step's `what`.
pub(crate) fn change_text(lang: Lang, scenario: &Scenario, sites: &[Site], change: &Change) -> String {
    let team = |t: usize| team_name(lang, scenario, t);
    let site = |s: usize| site_name(lang, &sites[s]);
    match change {
        Change::LeaveOut { team: t } => say(lang, "optimise-change-leave-out", &[("team", team(*t))]),
        Change::Place { team: t, site: s } => {
            say(lang, "optimise-change-place", &[("team", team(*t)), ("site", site(*s))])
        }
        Change::Relocate { team: t, site: s } => say(
            lang,
            "optimise-change-relocate",
            &[("team", team(*t)), ("site", site(*s))],
        ),
        Change::Swap { a, b } => say(lang, "optimise-change-swap", &[("a", team(*a)), ("b", team(*b))]),
        Change::Exchange { into, out } => say(
            lang,
            "optimise-change-exchange",
            &[("into", team(*into)), ("out", team(*out))],
        ),
        Change::Kit { kit, from, to } => say(
            lang,
            "optimise-change-kit",
            &[("kit", kit_name(lang, kit)), ("from", team(*from)), ("to", team(*to))],
        ),
    }
}

/// An allocation's label (`today`, `proposed`, `today (11 teams)`, a classical model) as
/// the language names it; the label itself stays the data's (`trials.csv`, `optimise.json`).
fn allocation_name(lang: Lang, o: &Outcome, label: &str) -> String {
    let teams = o.setup.search.teams;
    if label == format!("today ({teams} teams)") {
        return say(
            lang,
            "optimise-allocation-today-within",
            &[("teams", teams.to_string())],
        );
    }
    let key = format!("optimise-allocation-{}", label.replace(' ', "-"));
    if lang.has(&key) {
        lang.t(&key)
    } else {
        label.to_string()
    }
}

/// A trial's value for the goal, for the paired comparison (larger is better).
fn trial_value(goal: Goal, r: &TrialRow, trial_min: f64) -> f64 {
    match goal {
        Goal::IntakeWarning => r.incidents.iter().map(|i| i.intakes_warned as f64).sum(),
        Goal::Coverage => r.border_covered as f64,
        Goal::P90Response => -r
            .incidents
            .iter()
            .map(|i| i.response_s().map_or(trial_min, |s| s as f64 / 60.0))
            .sum::<f64>(),
    }
}

/// (better, worse, same, two-sided sign-test p) of `b` against `a`, trial by trial.
fn paired(goal: Goal, a: &[&TrialRow], b: &[&TrialRow], trial_min: f64) -> (usize, usize, usize, f64) {
    let (mut better, mut worse, mut same) = (0, 0, 0);
    for (x, y) in a.iter().zip(b) {
        assert_eq!(x.trial, y.trial, "paired rows are of the same trial");
        let (vx, vy) = (trial_value(goal, x, trial_min), trial_value(goal, y, trial_min));
        if vy > vx + 1e-9 {
            better += 1;
        } else if vy < vx - 1e-9 {
            worse += 1;
        } else {
            same += 1;
        }
    }
    (better, worse, same, sign_test(better, worse))
}

/// Two-sided exact sign test: P(a split at least this uneven | no difference).
pub(crate) fn sign_test(k: usize, l: usize) -> f64 {
    let n = k + l;
    if n == 0 {
        return 1.0;
    }
    let m = k.min(l);
    // Sum of binomial(n, i) / 2^n for i ≤ m, in logs to stay finite for large n.
    let ln_half_n = n as f64 * 0.5f64.ln();
    let mut ln_c = 0.0; // ln C(n, 0)
    let mut tail = 0.0;
    for i in 0..=m {
        if i > 0 {
            ln_c += ((n - i + 1) as f64).ln() - (i as f64).ln();
        }
        tail += (ln_c + ln_half_n).exp();
    }
    (2.0 * tail).min(1.0)
}

/// The terminal summary, in `lang` (columns by display width: a Chinese character takes
/// two; at least as wide as they have always been).
pub fn summary_text(lang: Lang, o: &Outcome, scenario: &Scenario) -> String {
    let goal = o.setup.search.goal;
    let opt = &o.optimised;
    let mut out = String::new();
    let ending = if opt.local_optimum {
        "optimise-summary-local-optimum"
    } else {
        "optimise-summary-budget"
    };
    let line = say(
        lang,
        "optimise-summary-line",
        &[
            ("scenario", zone_name(lang, &o.setup.scenario_name, scenario)),
            ("goal", goal_name(lang, goal)),
            (
                "policy",
                policy_name(lang, tripoint_sim::planner::policy_label(o.setup.search.policy)),
            ),
            ("trials", o.setup.search.search_trials.to_string()),
            ("today", measure(goal, &opt.today_score)),
            ("proposed", measure(goal, &opt.proposed_score)),
            ("evaluations", opt.evaluations.to_string()),
            ("ending", lang.t(ending)),
        ],
    );
    let _ = writeln!(out, "{line}");
    let _ = writeln!(out, "{}", lang.t("optimise-summary-proposed"));
    for (t, s) in opt.proposed.station.iter().enumerate() {
        let Some(s) = s else { continue };
        let line = say(
            lang,
            "optimise-summary-team",
            &[
                ("team", team_name(lang, scenario, t)),
                ("site", site_name(lang, &opt.sites[*s])),
                ("kits", kits_text(lang, &opt.proposed.kits[t])),
            ],
        );
        let _ = writeln!(out, "  {line}");
    }
    let _ = writeln!(
        out,
        "{}",
        say(
            lang,
            "optimise-summary-checked",
            &[("trials", o.setup.verify_trials.to_string())]
        )
    );
    type Cell = fn(&PolicySummary) -> String;
    let measures: [(&str, Cell); 3] = [
        ("optimise-summary-intake-warned", |s| est(&s.intake_warned, 1, 100.0)),
        ("optimise-summary-site-p90", |s| est(&s.response_p90_min, 0, 1.0)),
        ("optimise-summary-border-covered", |s| est(&s.border_covered, 1, 100.0)),
    ];
    let labels: Vec<String> = o.compared.iter().map(|c| allocation_name(lang, o, &c.label)).collect();
    let policies: Vec<String> = CHECK_POLICIES.iter().map(|p| policy_name(lang, p.name())).collect();
    let names: Vec<String> = measures.iter().map(|(key, _)| lang.t(key)).collect();
    let first = names
        .iter()
        .chain(&labels)
        .map(|t| i18n::width(t))
        .max()
        .unwrap_or(0)
        .max(26);
    for ((_, cell), name) in measures.iter().zip(&names) {
        let cells: Vec<Vec<String>> = o
            .compared
            .iter()
            .map(|c| {
                CHECK_POLICIES
                    .iter()
                    .map(|&policy| summary_of(c, policy).map_or("—".to_string(), cell))
                    .collect()
            })
            .collect();
        let column = policies
            .iter()
            .chain(cells.iter().flatten())
            .map(|t| i18n::width(t))
            .max()
            .unwrap_or(0)
            .max(20);
        let mut line = format!("  {}", i18n::pad_right(name, first));
        for policy in &policies {
            let _ = write!(line, " {}", i18n::pad_right(policy, column));
        }
        let _ = writeln!(out, "{}", line.trim_end());
        for (label, row) in labels.iter().zip(&cells) {
            let mut line = format!("  {}", i18n::pad_right(label, first));
            for shown in row {
                let _ = write!(line, " {}", i18n::pad_right(shown, column));
            }
            let _ = writeln!(out, "{}", line.trim_end());
        }
    }
    out
}

/// An allocation's summary under one dispatch cell.
fn summary_of(c: &Compared, policy: PolicyKind) -> Option<&PolicySummary> {
    c.summaries.iter().find(|s| s.policy == policy.name())
}

/// The trade-off curve as checked: per size, the intake warning under each cell.
fn curve_checked_json(o: &Outcome) -> serde_json::Value {
    let sizes: Vec<serde_json::Value> = o
        .curve_checked
        .iter()
        .map(|(teams, estimates)| {
            let cells: serde_json::Map<String, serde_json::Value> = CHECK_POLICIES
                .iter()
                .zip(estimates)
                .map(|(p, e)| (p.name().to_string(), serde_json::json!(e)))
                .collect();
            serde_json::json!({ "teams": teams, "intake_warned": cells })
        })
        .collect();
    serde_json::Value::Array(sizes)
}

/// Writes the report files into `dir`, in `lang`.
pub fn write(dir: &Path, lang: Lang, o: &Outcome, scenario: &Scenario) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let put = |name: &str, text: &str| -> anyhow::Result<()> {
        let path = dir.join(name);
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))
    };
    put("sites_map.svg", &sites_map(lang, o, scenario)?)?;
    put("tradeoff.svg", &tradeoff(lang, o)?)?;
    put("response_cdf.svg", &response_cdf(lang, o)?)?;
    put("trials.csv", &trials_csv(o))?;
    let mut json = serde_json::to_string_pretty(&serde_json::json!({
        "setup": o.setup,
        "search": o.optimised,
        "classical": o.classical,
        "check_policies": CHECK_POLICIES.iter().map(|p| p.name()).collect::<Vec<_>>(),
        "compared": o.compared,
        "curve_checked": curve_checked_json(o),
    }))?;
    json.push('\n');
    put("optimise.json", &json)?;
    put("report.md", &markdown(lang, o, scenario))?;
    Ok(())
}

fn trials_csv(o: &Outcome) -> String {
    let mut out = format!("allocation,{},mean_busy_h\n", trial_header());
    for c in &o.compared {
        for r in &c.rows {
            let busy = r.team_busy_s.iter().sum::<i64>() as f64 / r.team_busy_s.len().max(1) as f64 / 3600.0;
            let _ = writeln!(out, "{},{},{busy:.3}", c.label, trial_fields(r));
        }
    }
    out
}

fn teams_at(a: &Allocation, site: usize) -> usize {
    a.station.iter().filter(|s| **s == Some(site)).count()
}

fn sites_map(lang: Lang, o: &Outcome, scenario: &Scenario) -> anyhow::Result<String> {
    let opt = &o.optimised;
    let reaches = zone_reaches(scenario);
    let mut markers = Vec::new();
    for source in &scenario.risk_sources {
        let [lon, lat] = tripoint_sim::plan::lon_lat(scenario, source.location);
        markers.push(MapMarker {
            lon,
            lat,
            colour: RGBColor(200, 120, 120),
            shape: MarkerShape::Circle,
            size: 3,
            label: String::new(),
        });
    }
    markers.extend(intake_markers(lang, scenario));
    for (i, site) in opt.sites.iter().enumerate() {
        let node = &scenario.road_nodes[site.road_node];
        let (now, then) = (teams_at(&opt.today, i), teams_at(&opt.proposed, i));
        let (colour, size) = match (now > 0, then > 0) {
            (_, true) => (PROPOSED, 7),
            (true, false) => (TODAY, 7),
            (false, false) => (RGBColor(190, 190, 190), 4),
        };
        let label = if now == 0 && then == 0 {
            String::new()
        } else {
            say(
                lang,
                "optimise-chart-map-site",
                &[
                    ("site", short(lang, site)),
                    ("today", now.to_string()),
                    ("proposed", then.to_string()),
                ],
            )
        };
        markers.push(MapMarker {
            lon: node.lon,
            lat: node.lat,
            colour,
            shape: MarkerShape::Square,
            size,
            label,
        });
    }
    let legend = vec![
        (lang.t("optimise-chart-map-proposed"), PROPOSED),
        (lang.t("optimise-chart-map-today"), TODAY),
        (lang.t("optimise-chart-map-unused"), RGBColor(190, 190, 190)),
        (lang.t("optimise-chart-map-source"), RGBColor(200, 120, 120)),
        (lang.t("optimise-chart-map-intake"), RGBColor(30, 30, 140)),
    ];
    charts::map(&charts::MapChart {
        title: &lang.t("optimise-chart-map-title"),
        reaches: &reaches,
        markers: &markers,
        legend: &legend,
        x_label: &lang.t("optimise-chart-longitude"),
        y_label: &lang.t("optimise-chart-latitude"),
        font: charts::font_family(lang),
    })
}

/// A site's label on the map: its id without `_post` in English, its Chinese name in Chinese.
fn short(lang: Lang, site: &Site) -> String {
    match lang {
        Lang::ZhCn if !site.name_zh.is_empty() => site.name_zh.clone(),
        _ => site.id.strip_suffix("_post").unwrap_or(&site.id).to_string(),
    }
}

fn tradeoff(lang: Lang, o: &Outcome) -> anyhow::Result<String> {
    let goal = o.setup.search.goal;
    let curve = &o.optimised.curve;
    let mut series = Vec::new();
    for (k, policy) in CHECK_POLICIES.iter().map(|p| p.name()).enumerate() {
        let points: Vec<(f64, f64)> = o
            .curve_checked
            .iter()
            .filter_map(|(teams, e)| e[k].value.map(|v| (*teams as f64, v * 100.0)))
            .collect();
        series.push((
            say(
                lang,
                "optimise-chart-tradeoff-checked",
                &[("policy", policy_name(lang, policy))],
            ),
            colour_of(policy),
            points,
        ));
    }
    let searched: Vec<(f64, f64)> = curve
        .iter()
        .map(|c| (c.teams as f64, c.intake_warned * 100.0))
        .collect();
    series.push((
        say(
            lang,
            "optimise-chart-tradeoff-searched",
            &[(
                "policy",
                policy_name(lang, tripoint_sim::planner::policy_label(o.setup.search.policy)),
            )],
        ),
        RGBColor(170, 170, 170),
        searched,
    ));
    if goal == Goal::Coverage {
        let cov: Vec<(f64, f64)> = curve
            .iter()
            .map(|c| (c.teams as f64, c.score.measure(goal) * 100.0))
            .collect();
        series.push((lang.t("optimise-chart-tradeoff-coverage"), PROPOSED, cov));
    }
    let named: Vec<charts::Line<'_>> = series.iter().map(|(n, c, p)| (n.as_str(), *c, p.clone())).collect();
    let x_max = curve.iter().map(|c| c.teams).max().unwrap_or(1) as f64 + 0.5;
    charts::lines(&charts::Lines {
        title: &lang.t("optimise-chart-tradeoff-title"),
        x_label: &lang.t("optimise-chart-tradeoff-x"),
        y_label: &lang.t("optimise-chart-tradeoff-y"),
        series: &named,
        x_range: (0.5, x_max),
        y_range: (0.0, 100.0),
        font: charts::font_family(lang),
    })
}

fn response_cdf(lang: Lang, o: &Outcome) -> anyhow::Result<String> {
    let mut series = Vec::new();
    let mut x_max: f64 = 60.0;
    let pick: Vec<&Compared> = o
        .compared
        .iter()
        .filter(|c| c.label == "today" || c.label == "proposed")
        .collect();
    for c in pick {
        for policy in CHECK_POLICIES.map(PolicyKind::name) {
            let (points, p99) = response_cdf_points(c.rows.iter().filter(|r| r.policy == policy));
            if let Some(p99) = p99 {
                x_max = x_max.max(p99 * 1.05);
            }
            let base = colour_of(policy);
            let colour = if c.label == "today" {
                RGBColor(base.0 / 2 + 100, base.1 / 2 + 100, base.2 / 2 + 100)
            } else {
                base
            };
            let name = say(
                lang,
                "optimise-chart-response-series",
                &[
                    ("allocation", allocation_name(lang, o, &c.label)),
                    ("policy", policy_name(lang, policy)),
                ],
            );
            series.push((name, colour, points));
        }
    }
    for (_, _, points) in series.iter_mut() {
        points.retain(|(m, _)| *m <= x_max);
    }
    let named: Vec<charts::Line<'_>> = series.iter().map(|(n, c, p)| (n.as_str(), *c, p.clone())).collect();
    charts::lines(&charts::Lines {
        title: &lang.t("optimise-chart-response-title"),
        x_label: &lang.t("optimise-chart-response-x"),
        y_label: &lang.t("optimise-chart-response-y"),
        series: &named,
        x_range: (0.0, x_max),
        y_range: (0.0, 1.0),
        font: charts::font_family(lang),
    })
}

fn markdown(lang: Lang, o: &Outcome, scenario: &Scenario) -> String {
    let s = &o.setup;
    let goal = s.search.goal;
    let goal_text = goal_name(lang, goal);
    let opt = &o.optimised;
    let policy = policy_name(lang, tripoint_sim::planner::policy_label(s.search.policy));
    let trial_min = s.hours * 60.0;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}\n",
        say(
            lang,
            "optimise-title",
            &[("scenario", zone_name(lang, &s.scenario_name, scenario))]
        )
    );
    let intro = say(
        lang,
        "optimise-intro",
        &[
            ("goal", goal_text.clone()),
            ("policy", policy.clone()),
            ("teams", s.search.teams.to_string()),
            ("all", opt.today.station.len().to_string()),
            (
                "may",
                lang.t(if s.search.across_borders {
                    "optimise-intro-may"
                } else {
                    "optimise-intro-may-not"
                }),
            ),
            ("search_last", (s.search.search_trials - 1).to_string()),
            ("seed", s.search.seed.to_string()),
            ("check_first", s.search.search_trials.to_string()),
            ("check_last", (s.search.search_trials + s.verify_trials - 1).to_string()),
            ("hours", s.hours.to_string()),
            ("version", s.version.clone()),
            ("hash", s.scenario_hash.clone()),
            ("evaluations", opt.evaluations.to_string()),
            (
                "ending",
                lang.t(if opt.local_optimum {
                    "optimise-intro-local-optimum"
                } else {
                    "optimise-intro-budget"
                }),
            ),
        ],
    );
    let _ = writeln!(out, "{intro}\n");
    if !s.search.kits.is_empty() {
        let have = opt.proposed.kit_counts();
        let kits: Vec<String> = s
            .search
            .kits
            .iter()
            .map(|(k, n)| {
                let carried = have.iter().find(|(id, _)| id == k).map_or(0, |(_, c)| *c);
                say(
                    lang,
                    "optimise-kit-budget-item",
                    &[
                        ("kit", kit_name(lang, k)),
                        ("n", n.to_string()),
                        ("carried", carried.to_string()),
                    ],
                )
            })
            .collect();
        let budget = say(lang, "optimise-kit-budget", &[("kits", list(lang, &kits))]);
        let _ = writeln!(out, "{budget}\n");
    }

    let _ = writeln!(out, "{}\n", lang.t("optimise-proposal"));
    let _ = writeln!(out, "{}", lang.t("optimise-proposal-header"));
    let _ = writeln!(out, "|---|---|---|---|---|---|");
    for (t, team) in scenario.teams.iter().enumerate() {
        let site =
            |a: &Allocation| a.station[t].map_or(lang.t("optimise-not-fielded"), |i| site_name(lang, &opt.sites[i]));
        let kits = |a: &Allocation| {
            if a.station[t].is_none() || a.kits[t].is_empty() {
                "—".to_string()
            } else {
                kits_text(lang, &a.kits[t])
            }
        };
        let changed = |x: String, y: String| if x == y { x } else { format!("**{y}**") };
        let jurisdiction = &scenario.jurisdictions[team.jurisdiction];
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            team_name(lang, scenario, t),
            lang.name(&jurisdiction.name, &jurisdiction.name_zh),
            site(&opt.today),
            changed(site(&opt.today), site(&opt.proposed)),
            kits(&opt.today),
            changed(kits(&opt.today), kits(&opt.proposed)),
        );
    }
    let _ = writeln!(out, "\n![{}](sites_map.svg)\n", lang.t("optimise-sites-map-alt"));

    let _ = writeln!(out, "{}\n", lang.t("optimise-checked"));
    let intro = say(
        lang,
        "optimise-checked-intro",
        &[
            ("trials", s.verify_trials.to_string()),
            ("sites", opt.proposed.occupied_sites().len().to_string()),
        ],
    );
    let _ = writeln!(out, "{intro}\n");
    let mut header = format!("| {} |", lang.t("optimise-measure"));
    let mut rule = String::from("|---|");
    for p in CHECK_POLICIES {
        let _ = write!(header, " {} |", policy_name(lang, p.name()));
        rule.push_str("---|");
    }
    for c in &o.compared {
        let _ = writeln!(out, "**{}**\n\n{header}\n{rule}", allocation_name(lang, o, &c.label));
        let cells: Vec<PolicySummary> = CHECK_POLICIES
            .iter()
            .filter_map(|&p| summary_of(c, p).cloned())
            .collect();
        for (name, cells) in measure_rows(lang, &cells) {
            let _ = writeln!(out, "| {name} | {} |", cells.join(" | "));
        }
        let _ = writeln!(out);
    }
    // Against today's allocation within the same budget when the budget is smaller.
    let within = format!("today ({} teams)", s.search.teams);
    let today = o
        .compared
        .iter()
        .find(|c| c.label == within)
        .or_else(|| o.compared.iter().find(|c| c.label == "today"));
    let proposed = o.compared.iter().find(|c| c.label == "proposed");
    if let (Some(a), Some(b)) = (today, proposed) {
        let paired_line = say(
            lang,
            "optimise-paired",
            &[
                ("against", allocation_name(lang, o, &a.label)),
                ("objective", lang.t(&format!("optimise-paired-{}", goal.label()))),
            ],
        );
        let _ = writeln!(out, "\n{paired_line}\n");
        let _ = writeln!(out, "{}\n|---|---|---|---|---|", lang.t("optimise-paired-header"));
        for p in CHECK_POLICIES.map(PolicyKind::name) {
            let ra: Vec<&TrialRow> = a.rows.iter().filter(|r| r.policy == p).collect();
            let rb: Vec<&TrialRow> = b.rows.iter().filter(|r| r.policy == p).collect();
            let (better, worse, same, pv) = paired(goal, &ra, &rb, trial_min);
            let _ = writeln!(
                out,
                "| {} | {better} | {worse} | {same} | {pv:.3} |",
                policy_name(lang, p)
            );
        }
        let _ = writeln!(out, "\n{}\n", lang.t("optimise-paired-note"));
    }
    let _ = writeln!(out, "![{}](response_cdf.svg)\n", lang.t("optimise-response-alt"));

    let _ = writeln!(out, "{}\n", lang.t("optimise-classical"));
    let radius = format!("{:.0}", s.radius_min);
    let intro = say(
        lang,
        "optimise-classical-intro",
        &[
            (
                "sources",
                tripoint_sim::planner::draw::usable_sources(scenario).len().to_string(),
            ),
            ("sites", opt.sites.len().to_string()),
            ("radius", radius.clone()),
        ],
    );
    let _ = writeln!(out, "{intro}\n");
    let _ = writeln!(
        out,
        "{}\n|---|---|---|---|---|---|---|",
        say(lang, "optimise-classical-header", &[("radius", radius)])
    );
    for c in &o.compared {
        let sites: Vec<String> = c
            .allocation
            .occupied_sites()
            .iter()
            .map(|&i| site_name(lang, &opt.sites[i]))
            .collect();
        let model = o.classical.iter().find(|k| k.model == c.label);
        let proven = model.map_or(String::new(), |k| {
            lang.t(if k.proven_optimal {
                "optimise-yes"
            } else {
                "optimise-no"
            })
        });
        let chosen: Vec<String> = model.map_or(vec![], |k| {
            k.sites.iter().map(|&i| site_name(lang, &opt.sites[i])).collect()
        });
        let _ = writeln!(
            out,
            "| {} | {} | {} | {:.1} | {:.1} | {:.1} | {proven} |",
            allocation_name(lang, o, &c.label),
            if chosen.is_empty() {
                "—".to_string()
            } else {
                list(lang, &chosen)
            },
            list(lang, &sites),
            c.driving.0,
            c.driving.1,
            c.driving.2 * 100.0
        );
    }

    let _ = writeln!(out, "\n{}\n", lang.t("optimise-search"));
    let intro = say(
        lang,
        "optimise-search-intro",
        &[
            ("trials", s.search.search_trials.to_string()),
            ("policy", policy.clone()),
            ("goal", goal_text.clone()),
        ],
    );
    let _ = writeln!(out, "{intro}\n");
    let _ = writeln!(
        out,
        "{}\n|---|---|---|",
        say(lang, "optimise-search-header", &[("goal", goal_text.clone())])
    );
    for (key, sc) in [
        ("optimise-search-today", &opt.today_score),
        ("optimise-search-start", &opt.start_score),
        ("optimise-search-greedy", &opt.greedy_score),
        ("optimise-search-proposed", &opt.proposed_score),
    ] {
        let _ = writeln!(
            out,
            "| {} | {} | {:.1} |",
            lang.t(key),
            measure(goal, sc),
            -sc.secondary
        );
    }
    let _ = writeln!(
        out,
        "\n{}\n|---|---|---|---|",
        say(lang, "optimise-steps-header", &[("goal", goal_text.clone())])
    );
    for step in &opt.steps {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            phase_name(lang, step.phase),
            change_text(lang, scenario, &opt.sites, &step.change),
            measure(goal, &step.score),
            step.evaluations
        );
    }
    let _ = writeln!(out, "\n{}\n", lang.t("optimise-search-note"));

    let _ = writeln!(out, "{}\n", lang.t("optimise-tradeoff"));
    let intro = say(lang, "optimise-tradeoff-intro", &[("policy", policy.clone())]);
    let _ = writeln!(out, "{intro}\n");
    let mut header = format!("| {} |", lang.t("optimise-tradeoff-teams"));
    for p in CHECK_POLICIES {
        let cell = say(
            lang,
            "optimise-tradeoff-checked",
            &[("policy", policy_name(lang, p.name()))],
        );
        let _ = write!(header, " {cell} |");
    }
    let _ = writeln!(
        out,
        "{header} {} | {} |\n|---|{}---|---|",
        say(lang, "optimise-tradeoff-searched", &[("goal", goal_text.clone())]),
        lang.t("optimise-tradeoff-left-out"),
        "---|".repeat(CHECK_POLICIES.len())
    );
    for c in &opt.curve {
        let checked = o.curve_checked.iter().find(|(t, _)| *t == c.teams);
        let cells: Vec<String> = (0..CHECK_POLICIES.len())
            .map(|k| checked.map_or("—".to_string(), |(_, e)| est(&e[k], 1, 100.0)))
            .collect();
        let dropped = c
            .dropped
            .as_deref()
            .map_or(String::new(), |id| scenario_name(lang, scenario, id));
        let _ = writeln!(
            out,
            "| {} | {} | {} | {dropped} |",
            c.teams,
            cells.join(" | "),
            measure(goal, &c.score),
        );
    }
    let _ = writeln!(out, "\n![{}](tradeoff.svg)\n", lang.t("optimise-tradeoff-alt"));
    let _ = writeln!(
        out,
        "{}\n\n{}\n{}\n",
        lang.t("optimise-files"),
        lang.t("optimise-files-trials"),
        lang.t("optimise-files-json")
    );
    out
}

#[cfg(test)]
mod tests {
    use super::{change_text, sign_test};
    use crate::i18n::{Lang, english_phrases};
    use tripoint_sim::planner::optimise::{self, Change};

    /// Every kind of search step renders in English as the step's `what` (the English the
    /// simulation library writes into `optimise.json`), and in Chinese without English.
    #[test]
    fn every_change_renders_as_its_english_and_in_chinese() {
        let scenario = crate::input::load_scenario(None).expect("the built-in zone");
        let sites = optimise::sites(&scenario);
        let candidate = sites.iter().position(|s| s.depot.is_none()).expect("a candidate site");
        let changes = [
            Change::LeaveOut { team: 0 },
            Change::Place { team: 1, site: 0 },
            Change::Relocate {
                team: 2,
                site: candidate,
            },
            Change::Swap { a: 0, b: 3 },
            Change::Exchange { into: 4, out: 5 },
            Change::Kit {
                kit: "aniline_kit".into(),
                from: 1,
                to: 2,
            },
        ];
        for change in &changes {
            assert_eq!(
                change_text(Lang::En, &scenario, &sites, change),
                change.english(&scenario, &sites),
                "{change:?}"
            );
            let zh = change_text(Lang::ZhCn, &scenario, &sites, change);
            assert!(english_phrases(&zh).is_empty(), "{change:?}: {zh}");
            assert!(
                !zh.contains(&scenario.teams[0].id) || !matches!(change, Change::LeaveOut { .. }),
                "{zh}"
            );
        }
        let relocate = change_text(Lang::ZhCn, &scenario, &sites, &changes[2]);
        assert!(relocate.contains(&sites[candidate].name_zh), "{relocate}");
    }

    #[test]
    fn sign_test_matches_the_binomial() {
        // 8 of 10 in one direction: 2 × (1 + 10 + 45) / 1024.
        assert!((sign_test(8, 2) - 112.0 / 1024.0).abs() < 1e-12);
        assert_eq!(sign_test(0, 0), 1.0);
        assert_eq!(sign_test(5, 5), 1.0);
        assert!(sign_test(400, 300) < 0.001);
    }
}
