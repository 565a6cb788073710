//! The report of `tripoint plan optimise`: `report.md` (proposal, comparison on other
//! trials under the four dispatch cells side by side, classical models, search log,
//! trade-off curve),
//! `trials.csv` (one row per allocation, trial and policy), `optimise.json` and SVG plots
//! (today's vs proposed sites on the map, the trade-off curve, response distributions).

use super::charts::{self, MapMarker, MarkerShape};
use super::planner::{
    colour_of, est, intake_markers, measure_rows, response_cdf_points, trial_fields, trial_header, zone_reaches,
};
use crate::commands::optimise::{CHECK_POLICIES, Compared, Outcome};
use crate::i18n::Lang;
use anyhow::Context as _;
use plotters::style::RGBColor;
use std::fmt::Write as _;
use std::path::Path;
use tripoint_sim::planner::optimise::{Allocation, Goal, Score, Site};
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

/// The terminal summary.
pub fn summary_text(o: &Outcome, scenario: &Scenario) -> String {
    let goal = o.setup.search.goal;
    let opt = &o.optimised;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: optimised for {} under {} dispatch on {} search trials (in-sample): today {} → proposed {} ({} allocations simulated{})",
        o.setup.scenario_name,
        goal.label(),
        tripoint_sim::planner::policy_label(o.setup.search.policy),
        o.setup.search.search_trials,
        measure(goal, &opt.today_score),
        measure(goal, &opt.proposed_score),
        opt.evaluations,
        if opt.local_optimum {
            ", local optimum"
        } else {
            ", stopped at the budget"
        }
    );
    let _ = writeln!(out, "proposed:");
    for line in opt.proposed.describe(scenario, &opt.sites) {
        let _ = writeln!(out, "  {line}");
    }
    let _ = writeln!(
        out,
        "checked on {} other trials under the four dispatch cells (95 % intervals):",
        o.setup.verify_trials
    );
    type Cell = fn(&PolicySummary) -> String;
    let measures: [(&str, Cell); 3] = [
        ("intake warned [%]", |s| est(&s.intake_warned, 1, 100.0)),
        ("site sample P90 [min]", |s| est(&s.response_p90_min, 0, 1.0)),
        ("border covered [%]", |s| est(&s.border_covered, 1, 100.0)),
    ];
    for (name, cell) in measures {
        let mut line = format!("  {name:<26}");
        for policy in CHECK_POLICIES {
            let _ = write!(line, " {:<20}", policy.name());
        }
        let _ = writeln!(out, "{}", line.trim_end());
        for c in &o.compared {
            let mut line = format!("  {:<26}", c.label);
            for policy in CHECK_POLICIES {
                let shown = summary_of(c, policy).map_or("—".to_string(), cell);
                let _ = write!(line, " {shown:<20}");
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

pub fn write(dir: &Path, o: &Outcome, scenario: &Scenario) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let put = |name: &str, text: &str| -> anyhow::Result<()> {
        let path = dir.join(name);
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))
    };
    put("sites_map.svg", &sites_map(o, scenario)?)?;
    put("tradeoff.svg", &tradeoff(o)?)?;
    put("response_cdf.svg", &response_cdf(o)?)?;
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
    put("report.md", &markdown(o, scenario))?;
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

fn sites_map(o: &Outcome, scenario: &Scenario) -> anyhow::Result<String> {
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
    markers.extend(intake_markers(Lang::En, scenario));
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
            format!("{}: {now} → {then}", short(site))
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
        ("proposed site (teams today → proposed)".to_string(), PROPOSED),
        ("site used today only".to_string(), TODAY),
        ("candidate site not used".to_string(), RGBColor(190, 190, 190)),
        ("risk source".to_string(), RGBColor(200, 120, 120)),
        ("▲ drinking-water intake".to_string(), RGBColor(30, 30, 140)),
    ];
    charts::map(&charts::MapChart {
        title: "Today's and proposed stations of the monitoring teams",
        reaches: &reaches,
        markers: &markers,
        legend: &legend,
        x_label: "longitude [°E]",
        y_label: "latitude [°N]",
        font: charts::FONT_LATIN,
    })
}

fn short(site: &Site) -> &str {
    site.id.strip_suffix("_post").unwrap_or(&site.id)
}

fn tradeoff(o: &Outcome) -> anyhow::Result<String> {
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
            format!("intake warned, {policy} (checking trials)"),
            colour_of(policy),
            points,
        ));
    }
    let searched: Vec<(f64, f64)> = curve
        .iter()
        .map(|c| (c.teams as f64, c.intake_warned * 100.0))
        .collect();
    series.push((
        format!(
            "intake warned, {} (search trials)",
            tripoint_sim::planner::policy_label(o.setup.search.policy)
        ),
        RGBColor(170, 170, 170),
        searched,
    ));
    if goal == Goal::Coverage {
        let cov: Vec<(f64, f64)> = curve
            .iter()
            .map(|c| (c.teams as f64, c.score.measure(goal) * 100.0))
            .collect();
        series.push(("border sections covered (search trials)".to_string(), PROPOSED, cov));
    }
    let named: Vec<charts::Line<'_>> = series.iter().map(|(n, c, p)| (n.as_str(), *c, p.clone())).collect();
    let x_max = curve.iter().map(|c| c.teams).max().unwrap_or(1) as f64 + 0.5;
    charts::lines(&charts::Lines {
        title: "Teams fielded (leaving out the least useful first) vs intake warned in time",
        x_label: "teams fielded",
        y_label: "per cent",
        series: &named,
        x_range: (0.5, x_max),
        y_range: (0.0, 100.0),
        font: charts::FONT_LATIN,
    })
}

fn response_cdf(o: &Outcome) -> anyhow::Result<String> {
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
            series.push((format!("{} {policy}", c.label), colour, points));
        }
    }
    for (_, _, points) in series.iter_mut() {
        points.retain(|(m, _)| *m <= x_max);
    }
    let named: Vec<charts::Line<'_>> = series.iter().map(|(n, c, p)| (n.as_str(), *c, p.clone())).collect();
    charts::lines(&charts::Lines {
        title: "Discovery to first site sample: today (pale) and proposed, checking trials",
        x_label: "minutes after discovery",
        y_label: "share of incidents sampled",
        series: &named,
        x_range: (0.0, x_max),
        y_range: (0.0, 1.0),
        font: charts::FONT_LATIN,
    })
}

fn markdown(o: &Outcome, scenario: &Scenario) -> String {
    let s = &o.setup;
    let goal = s.search.goal;
    let opt = &o.optimised;
    let policy = tripoint_sim::planner::policy_label(s.search.policy);
    let trial_min = s.hours * 60.0;
    let mut out = String::new();
    let _ = writeln!(out, "# Where to station the teams: {}\n", s.scenario_name);
    let _ = writeln!(
        out,
        "Objective **{}** under **{policy}** dispatch; {} of {} teams fielded; teams {} be stationed in \
         another jurisdiction. Search on trials 0–{} (seed {}), checked on trials {}–{}; {} h per trial; \
         Tripoint {}; scenario fingerprint `{}`. The search simulated {} allocations ({}).\n",
        goal.label(),
        s.search.teams,
        opt.today.station.len(),
        if s.search.across_borders { "may" } else { "may not" },
        s.search.search_trials - 1,
        s.search.seed,
        s.search.search_trials,
        s.search.search_trials + s.verify_trials - 1,
        s.hours,
        s.version,
        s.scenario_hash,
        opt.evaluations,
        if opt.local_optimum {
            "it ended at a local optimum: no single move improves the proposal"
        } else {
            "it stopped at the evaluation budget, before a local optimum"
        },
    );
    if !s.search.kits.is_empty() {
        let have = opt.proposed.kit_counts();
        let kits: Vec<String> = s
            .search
            .kits
            .iter()
            .map(|(k, n)| {
                let carried = have.iter().find(|(id, _)| id == k).map_or(0, |(_, c)| *c);
                format!("{k} = {n} (carried in the proposal: {carried})")
            })
            .collect();
        let _ = writeln!(out, "Field-kit budget: {}.\n", kits.join(", "));
    }

    let _ = writeln!(out, "## The proposal\n");
    let _ = writeln!(
        out,
        "| team | jurisdiction | today | proposed | field kits today | field kits proposed |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|");
    for (t, team) in scenario.teams.iter().enumerate() {
        let site = |a: &Allocation| a.station[t].map_or("not fielded".to_string(), |i| opt.sites[i].id.clone());
        let kits = |a: &Allocation| {
            if a.station[t].is_none() || a.kits[t].is_empty() {
                "—".to_string()
            } else {
                a.kits[t].join(", ")
            }
        };
        let changed = |x: String, y: String| if x == y { x } else { format!("**{y}**") };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            team.id,
            scenario.jurisdictions[team.jurisdiction].name,
            site(&opt.today),
            changed(site(&opt.today), site(&opt.proposed)),
            kits(&opt.today),
            changed(kits(&opt.today), kits(&opt.proposed)),
        );
    }
    let _ = writeln!(out, "\n![Today's and proposed stations](sites_map.svg)\n");

    let _ = writeln!(out, "## Checked on other trials, under the four dispatch cells\n");
    let _ = writeln!(
        out,
        "Every allocation below was run on the same {} trials, which the search never saw, under each of \
         the four cells of pooling × ranking side by side: county (own teams in own borders, by due \
         time), county_plume (own teams, the plume's front first), pooled_due (every team pooled, by due \
         time) and unified (pooled, plume first); 95 % intervals. The classical models place the \
         proposal's number of sites ({}) by driving time alone; each team then moves to the nearest chosen \
         site it may use (from its depot of today), or stays at that depot if it may use none of them; the \
         teams fielded and their kits are the proposal's.\n",
        s.verify_trials,
        opt.proposed.occupied_sites().len()
    );
    let mut header = String::from("| measure |");
    let mut rule = String::from("|---|");
    for policy in CHECK_POLICIES {
        let _ = write!(header, " {} |", policy.name());
        rule.push_str("---|");
    }
    for c in &o.compared {
        let _ = writeln!(out, "**{}**\n\n{header}\n{rule}", c.label);
        let cells: Vec<PolicySummary> = CHECK_POLICIES
            .iter()
            .filter_map(|&p| summary_of(c, p).cloned())
            .collect();
        for (name, cells) in measure_rows(Lang::En, &cells) {
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
        let _ = writeln!(
            out,
            "\n**Paired, trial by trial** (proposed against {}, on the objective: {}):\n",
            a.label,
            match goal {
                Goal::IntakeWarning => "intakes warned in time",
                Goal::Coverage => "border sections covered",
                Goal::P90Response => "summed time to the site samples",
            }
        );
        let _ = writeln!(
            out,
            "| policy | better | worse | same | sign test p |\n|---|---|---|---|---|"
        );
        for p in CHECK_POLICIES.map(PolicyKind::name) {
            let ra: Vec<&TrialRow> = a.rows.iter().filter(|r| r.policy == p).collect();
            let rb: Vec<&TrialRow> = b.rows.iter().filter(|r| r.policy == p).collect();
            let (better, worse, same, pv) = paired(goal, &ra, &rb, trial_min);
            let _ = writeln!(out, "| {p} | {better} | {worse} | {same} | {pv:.3} |");
        }
        let _ = writeln!(
            out,
            "\nA p-value above 0.05 means the checking trials give no evidence that the proposal differs \
             from that allocation on the objective, whatever the search's own (in-sample) gain below.\n"
        );
    }
    let _ = writeln!(out, "![Response distributions](response_cdf.svg)\n");

    let _ = writeln!(out, "## The classical location models (driving times)\n");
    let _ = writeln!(
        out,
        "Clients: the {} risk sources that can be drawn, weighted by their annual probability; candidates: \
         the {} sites (depots and candidate sites); distance: driving time from the site to the source's road \
         node. Measures of each allocation's occupied sites: probability-weighted mean and largest driving time \
         to the nearest, and the probability share within {:.0} min.\n",
        tripoint_sim::planner::draw::usable_sources(scenario).len(),
        opt.sites.len(),
        s.radius_min
    );
    let _ = writeln!(
        out,
        "| allocation | sites chosen by the model | sites occupied | mean drive [min] | largest [min] | within {:.0} min [%] | proven optimal |\n|---|---|---|---|---|---|---|",
        s.radius_min
    );
    for c in &o.compared {
        let sites: Vec<&str> = c
            .allocation
            .occupied_sites()
            .iter()
            .map(|&i| opt.sites[i].id.as_str())
            .collect();
        let model = o.classical.iter().find(|k| k.model == c.label);
        let proven = model.map_or("", |k| if k.proven_optimal { "yes" } else { "no" });
        let chosen: Vec<&str> = model.map_or(vec![], |k| k.sites.iter().map(|&i| opt.sites[i].id.as_str()).collect());
        let _ = writeln!(
            out,
            "| {} | {} | {} | {:.1} | {:.1} | {:.1} | {proven} |",
            c.label,
            if chosen.is_empty() {
                "—".to_string()
            } else {
                chosen.join(", ")
            },
            sites.join(", "),
            c.driving.0,
            c.driving.1,
            c.driving.2 * 100.0
        );
    }

    let _ = writeln!(out, "\n## The search\n");
    let _ = writeln!(
        out,
        "Scores on the {} search trials ({} dispatch; {}; ties broken by the mean time to the site sample):\n",
        s.search.search_trials,
        policy,
        goal.label()
    );
    let _ = writeln!(
        out,
        "| allocation | {} | mean site sample [min] |\n|---|---|---|",
        goal.label()
    );
    for (name, sc) in [
        ("today", &opt.today_score),
        ("start (today within the budget)", &opt.start_score),
        ("greedy construction", &opt.greedy_score),
        ("proposed (after local search)", &opt.proposed_score),
    ] {
        let _ = writeln!(out, "| {name} | {} | {:.1} |", measure(goal, sc), -sc.secondary);
    }
    let _ = writeln!(
        out,
        "\n| phase | step | {} | allocations simulated |\n|---|---|---|---|",
        goal.label()
    );
    for step in &opt.steps {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            step.phase,
            step.what,
            measure(goal, &step.score),
            step.evaluations
        );
    }
    let _ = writeln!(
        out,
        "\nThe search trials are fixed, so the search fits them: its gain over today's is an in-sample \
         figure, and the check above on other trials is the one to rely on.\n"
    );

    let _ = writeln!(out, "## Trade-off: teams fielded against intake warning\n");
    let _ = writeln!(
        out,
        "From the proposal, the team whose absence costs least on the objective is left out, one at a time \
         (chosen on the search trials under {policy} dispatch); each size is then checked on the checking \
         trials under each of the four dispatch cells (95 % intervals).\n"
    );
    let mut header = String::from("| teams |");
    for policy in CHECK_POLICIES {
        let _ = write!(header, " intake warned, {} (checking) [%] |", policy.name());
    }
    let _ = writeln!(
        out,
        "{header} {} (search) | left out going from one more team to this |\n|---|{}---|---|",
        goal.label(),
        "---|".repeat(CHECK_POLICIES.len())
    );
    for c in &opt.curve {
        let checked = o.curve_checked.iter().find(|(t, _)| *t == c.teams);
        let cells: Vec<String> = (0..CHECK_POLICIES.len())
            .map(|k| checked.map_or("—".to_string(), |(_, e)| est(&e[k], 1, 100.0)))
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            c.teams,
            cells.join(" | "),
            measure(goal, &c.score),
            c.dropped.as_deref().unwrap_or("")
        );
    }
    let _ = writeln!(out, "\n![Trade-off curve](tradeoff.svg)\n");
    let _ = writeln!(
        out,
        "## Files\n\n- `trials.csv`: one row per allocation, checking trial and policy.\n\
         - `optimise.json`: the set-up, every allocation with its summary under each dispatch cell, the \
         search steps, the curve and the curve as checked under each cell.\n"
    );
    out
}

#[cfg(test)]
mod tests {
    use super::sign_test;

    #[test]
    fn sign_test_matches_the_binomial() {
        // 8 of 10 in one direction: 2 × (1 + 10 + 45) / 1024.
        assert!((sign_test(8, 2) - 112.0 / 1024.0).abs() < 1e-12);
        assert_eq!(sign_test(0, 0), 1.0);
        assert_eq!(sign_test(5, 5), 1.0);
        assert!(sign_test(400, 300) < 0.001);
    }
}
