//! The drill's after-action report and improvement plan (HSEEP AAR/IP) as files:
//! `report.md`, `report.json` and the SVG charts it links. Byte-identical for the same
//! script, seed and version: nothing here reads the clock.

use super::charts::{self, Bar, GroupedBars, Marker, SeriesChart, Timeline};
use anyhow::Context as _;
use plotters::style::RGBColor;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use tripoint_sim::drill::DrillReport;
use tripoint_sim::drill::evaluate::fmt_span;
use tripoint_sim::time::SimTime;

fn clock(seconds: i64) -> String {
    SimTime(seconds).clock_label()
}

fn opt_clock(seconds: Option<i64>) -> String {
    seconds.map_or("—".to_string(), clock)
}

fn rating(r: Option<tripoint_sim::drill::Rating>) -> String {
    r.map_or("n/a".to_string(), |r| format!("**{r:?}**"))
}

/// Table cells: no pipes or line breaks.
fn cell(text: &str) -> String {
    text.replace('|', "/").replace('\n', " ")
}

/// Writes the report into `dir` (created if needed); returns the files written.
pub fn write(dir: &Path, report: &DrillReport) -> anyhow::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut files = Vec::new();
    let mut put = |name: &str, text: &str| -> anyhow::Result<()> {
        let path = dir.join(name);
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        files.push(path);
        Ok(())
    };
    let charts = chart_files(report)?;
    for (name, svg) in &charts {
        put(name, svg)?;
    }
    let names: Vec<&str> = charts.iter().map(|(n, _)| n.as_str()).collect();
    put("report.md", &markdown(report, &names))?;
    let mut json = serde_json::to_string_pretty(report).context("serialising the report")?;
    json.push('\n');
    put("report.json", &json)?;
    Ok(files)
}

/// The report's charts: (file name, SVG text).
pub fn chart_files(report: &DrillReport) -> anyhow::Result<Vec<(String, String)>> {
    let hours = (report.start_s as f64 / 3600.0, report.end_s as f64 / 3600.0);
    let mut files = Vec::new();
    for chart in &report.charts {
        let series: Vec<(f64, f64)> = chart
            .times_s
            .iter()
            .zip(&chart.mg_l)
            .filter(|(t, _)| **t >= report.start_s)
            .map(|(t, c)| (*t as f64 / 3600.0, *c))
            .collect();
        let markers: Vec<Marker> = chart
            .samples
            .iter()
            .map(|s| Marker {
                hours: s.taken_s as f64 / 3600.0,
                value: s.mg_l,
                over_limit: s.over_limit,
            })
            .collect();
        let title = format!(
            "{} ({}, {}): {}",
            chart.name,
            chart.kind.replace('_', " "),
            chart.jurisdiction,
            chart.pollutant
        );
        let svg = charts::series_chart(&SeriesChart {
            title: &title,
            y_label: &format!("{} [mg/L]", chart.pollutant),
            series: &series,
            series_label: "simulated truth",
            limit: chart.limit_mg_l,
            markers: &markers,
            hours,
        })?;
        files.push((format!("concentration-{}-{}.svg", chart.point, chart.pollutant), svg));
    }
    let rows: Vec<String> = report
        .team_timelines
        .iter()
        .map(|t| format!("{} ({})", t.team, t.jurisdiction))
        .collect();
    let kinds: [(&str, RGBColor); 3] = [
        ("travel", RGBColor(70, 130, 180)),
        ("at the water / sampling", RGBColor(60, 170, 90)),
        ("out of service", RGBColor(200, 60, 60)),
    ];
    let bars: Vec<Bar> = report
        .team_timelines
        .iter()
        .enumerate()
        .flat_map(|(row, t)| {
            t.segments.iter().map(move |s| Bar {
                row,
                from_hours: s.from_s as f64 / 3600.0,
                to_hours: s.to_s.max(s.from_s + 60) as f64 / 3600.0,
                kind: match s.kind.as_str() {
                    "travel" => 0,
                    "sampling" => 1,
                    _ => 2,
                },
            })
        })
        .collect();
    files.push((
        "team-timeline.svg".to_string(),
        charts::timeline_chart(&Timeline {
            title: "What every team did",
            rows: &rows,
            bars: &bars,
            kinds: &kinds,
            hours,
        })?,
    ));
    let served: Vec<_> = report
        .response_times
        .iter()
        .filter(|r| r.tasks_served + r.tasks_missed > 0)
        .collect();
    let groups: Vec<String> = served.iter().map(|r| r.jurisdiction.clone()).collect();
    let minutes = |f: fn(&tripoint_sim::drill::evaluate::JurisdictionTimes) -> Option<i64>| -> Vec<Option<f64>> {
        served.iter().map(|r| f(r).map(|s| s as f64 / 60.0)).collect()
    };
    files.push((
        "response-times.svg".to_string(),
        charts::grouped_bars(&GroupedBars {
            title: "Response time per jurisdiction: task open to team at the water",
            y_label: "minutes",
            groups: &groups,
            series: &[
                ("median", RGBColor(70, 130, 180), minutes(|r| r.response_p50_s)),
                ("90th percentile", RGBColor(240, 160, 40), minutes(|r| r.response_p90_s)),
                ("longest", RGBColor(200, 60, 60), minutes(|r| r.response_max_s)),
            ],
        })?,
    ));
    Ok(files)
}

/// The outcome that matters, first: which intakes the true plume reached over the limit,
/// when, whether their owners were advised to close them before, and by how much.
pub fn outcome(r: &DrillReport) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "## Outcome at the drinking-water intakes\n");
    if r.intake_outcomes.is_empty() {
        let _ = writeln!(
            md,
            "No plume reached a drinking-water intake over the limit during the exercise.\n"
        );
        return md;
    }
    let warned = r.intake_outcomes.iter().filter(|o| o.warned_before).count();
    let _ = writeln!(
        md,
        "The plume reached {} intake{} over the limit; {} advised to close before it arrived.\n",
        r.intake_outcomes.len(),
        if r.intake_outcomes.len() == 1 { "" } else { "s" },
        match warned {
            0 => "none was".to_string(),
            n if n == r.intake_outcomes.len() => "every one was".to_string(),
            n => format!("{n} were"),
        }
    );
    let _ = writeln!(
        md,
        "| Intake | Incident | Over the limit from | Peak | Peak / limit | Advised to close | Warning | Confirmed by a result |\n|---|---|---|---|---|---|---|---|"
    );
    for o in &r.intake_outcomes {
        let warning = match o.lead_s {
            Some(lead) if lead >= 0 => format!("**{} before**", fmt_span(lead)),
            Some(lead) => format!("**{} late**", fmt_span(-lead)),
            None => "**never warned**".to_string(),
        };
        let _ = writeln!(
            md,
            "| {} ({}, {}) | {} ({}) | {} | {:.4} mg/L at {} | {:.1} × {:.4} mg/L | {} | {} | {} |",
            cell(&o.name),
            o.intake,
            o.jurisdiction,
            o.incident,
            o.pollutant,
            clock(o.over_limit_s),
            o.peak_mg_l,
            clock(o.peak_s),
            o.peak_times_limit,
            o.limit_mg_l,
            opt_clock(o.advised_s),
            warning,
            opt_clock(o.confirmed_s)
        );
    }
    let _ = writeln!(md);
    md
}

/// The after-action report in Markdown.
pub fn markdown(r: &DrillReport, chart_names: &[&str]) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# After-action report and improvement plan\n\n## {}\n", r.drill);
    let _ = writeln!(md, "{}\n", r.description);
    md.push_str(&outcome(r));
    let _ = writeln!(md, "## 1. Exercise overview\n");
    let _ = writeln!(md, "| | |\n|---|---|");
    let _ = writeln!(md, "| Exercise type | {} |", r.exercise_type);
    let _ = writeln!(md, "| Date | {} |", r.date);
    if !r.sponsor.is_empty() {
        let _ = writeln!(md, "| Sponsor | {} |", cell(&r.sponsor));
    }
    let _ = writeln!(
        md,
        "| Exercise time | {} to {} (scenario clock) |",
        clock(r.start_s),
        clock(r.end_s)
    );
    let _ = writeln!(md, "| Scenario | {} |", r.scenario);
    let _ = writeln!(md, "| Players | simulated, {} dispatch |", r.policy);
    let _ = writeln!(md, "| Seed | {} |", r.seed);
    let _ = writeln!(
        md,
        "| Overall score | **{:.1} / 100 ({})**: {} P, {} S, {} M, {} U; {} not applicable |\n",
        r.score.points,
        r.score.grade,
        r.score.counts.p,
        r.score.counts.s,
        r.score.counts.m,
        r.score.counts.u,
        r.score.targets_not_applicable
    );
    if !r.contacts.is_empty() {
        let _ = writeln!(
            md,
            "### Points of contact\n\n| Role | Name | Agency | Reach |\n|---|---|---|---|"
        );
        for c in &r.contacts {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} |",
                cell(&c.role),
                cell(&c.name),
                cell(&c.agency),
                cell(&c.reach)
            );
        }
        let _ = writeln!(md);
    }
    let _ = writeln!(
        md,
        "### Participating agencies\n\n| Agency | Jurisdiction | Teams |\n|---|---|---|"
    );
    for p in r.participants.iter().filter(|p| !p.teams.is_empty()) {
        let _ = writeln!(md, "| {} | {} | {} |", cell(&p.agency), p.name, p.teams.join(", "));
    }
    let _ = writeln!(
        md,
        "\n### What really happened (hidden from the players during the exercise)\n"
    );
    let _ = writeln!(
        md,
        "| Incident | Jurisdiction | Pollutant | True mass | First report said | Release | Known at | Known by |\n|---|---|---|---|---|---|---|---|"
    );
    for i in &r.incidents {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {:.0} kg | {:.0} kg | {} | {} | {} |",
            cell(&i.name),
            i.jurisdiction,
            i.pollutant,
            i.mass_kg,
            i.reported_mass_kg,
            clock(i.start_s),
            opt_clock(i.discovered_s),
            i.discovered_by.as_deref().unwrap_or("never")
        );
    }
    let _ = writeln!(md, "\n## 2. Objectives and ratings\n");
    let _ = writeln!(
        md,
        "Ratings (HSEEP): **P** performed without challenges, **S** with some challenges, **M** with major challenges, **U** unable to be performed. A target takes its worst critical task's rating. Score: P 100, S 75, M 50, U 0 points, weighted mean over rated targets; excellent ≥ 90, good ≥ 75, pass ≥ 60 (in the manner of GB/T 46792-2025; the point values are this tool's).\n"
    );
    let _ = writeln!(
        md,
        "| Objective | Capability | Target | Weight | Rating |\n|---|---|---|---|---|"
    );
    for o in &r.objectives {
        for t in &o.targets {
            let _ = writeln!(
                md,
                "| {} {} | {} | {} {} | {} | {} |",
                o.id,
                cell(&o.title),
                cell(&o.capability),
                t.id,
                cell(&t.title),
                t.weight,
                rating(t.rating)
            );
        }
    }
    let _ = writeln!(md, "\n## 3. Analysis of capabilities\n");
    for o in &r.objectives {
        let _ = writeln!(
            md,
            "### {} {} — {} ({})\n",
            o.id,
            o.title,
            o.capability,
            rating(o.rating)
        );
        for t in &o.targets {
            let _ = writeln!(
                md,
                "**{} {}** — {} (owner: {})\n",
                t.id,
                t.title,
                rating(t.rating),
                t.owner
            );
            let _ = writeln!(md, "| Critical task | Rating | Evidence |\n|---|---|---|");
            for task in &t.tasks {
                let _ = writeln!(
                    md,
                    "| {} | {} | {} |",
                    cell(&task.title),
                    rating(task.rating),
                    cell(&task.evidence)
                );
            }
            let _ = writeln!(md);
        }
        let _ = writeln!(md, "Strengths:\n");
        if o.strengths.is_empty() {
            let _ = writeln!(md, "- none observed");
        }
        for s in &o.strengths {
            let _ = writeln!(md, "- {s}");
        }
        let _ = writeln!(md, "\nAreas for improvement:\n");
        if o.areas_for_improvement.is_empty() {
            let _ = writeln!(md, "- none observed");
        }
        for a in &o.areas_for_improvement {
            let _ = writeln!(md, "- {a}");
        }
        let _ = writeln!(md);
    }
    let _ = writeln!(
        md,
        "## 4. Concentrations at the intakes, border sections and evaluated points\n"
    );
    let _ = writeln!(
        md,
        "Blue: the simulated truth; red dashed: the limit; markers: the samples the teams took (value as reported).\n"
    );
    for name in chart_names.iter().filter(|n| n.starts_with("concentration-")) {
        let _ = writeln!(md, "![{name}]({name})\n");
    }
    let _ = writeln!(md, "## 5. Teams\n\n![team timeline](team-timeline.svg)\n");
    let _ = writeln!(
        md,
        "| Team | Jurisdiction | Samples | Busy | Utilisation |\n|---|---|---|---|---|"
    );
    for t in &r.response.teams {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {:.0} % |",
            t.team,
            t.jurisdiction,
            t.samples,
            fmt_span(t.busy_s),
            t.utilisation * 100.0
        );
    }
    let _ = writeln!(
        md,
        "\n### Response times per jurisdiction\n\n![response times](response-times.svg)\n"
    );
    let _ = writeln!(
        md,
        "| Jurisdiction | Tasks served | Missed | Late | Median | 90th percentile | Longest |\n|---|---|---|---|---|---|---|"
    );
    let span = |s: Option<i64>| s.map_or("—".to_string(), fmt_span);
    for j in r.response_times.iter().filter(|j| j.tasks_served + j.tasks_missed > 0) {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} |",
            j.jurisdiction,
            j.tasks_served,
            j.tasks_missed,
            j.late,
            span(j.response_p50_s),
            span(j.response_p90_s),
            span(j.response_max_s)
        );
    }
    let _ = writeln!(md, "\n## 6. Injects as delivered (MSEL)\n");
    let _ = writeln!(
        md,
        "| No. | Kind | Scheduled | Delivered | From | To | Channel | Message | Expected action | Acknowledged |\n|---|---|---|---|---|---|---|---|---|---|"
    );
    for i in &r.injects {
        let acks: Vec<String> = i.acknowledged_s.iter().map(|a| opt_clock(*a)).collect();
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            i.number,
            i.kind,
            opt_clock(i.scheduled_s),
            opt_clock(i.delivered_s),
            cell(&i.from),
            i.to.join(", "),
            cell(&i.channel),
            cell(&i.message),
            i.expected.join(", "),
            acks.join(", ")
        );
    }
    let _ = writeln!(md, "\n## 7. Timeline\n\n| Time | Who | What |\n|---|---|---|");
    for e in &r.timeline {
        let _ = writeln!(md, "| {} | {} | {} |", clock(e.at_s), cell(&e.who), cell(&e.what));
    }
    if !r.observations.is_empty() {
        let _ = writeln!(
            md,
            "\n## 8. Evaluators' observations\n\n| Time | Evaluator | About | Observation |\n|---|---|---|---|"
        );
        for o in &r.observations {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} |",
                clock(o.at_s),
                cell(&o.by),
                cell(o.target.as_deref().unwrap_or("—")),
                cell(&o.text)
            );
        }
    }
    let _ = writeln!(md, "\n## Appendix A: Improvement plan\n");
    if r.improvement_plan.is_empty() {
        let _ = writeln!(
            md,
            "Every target was performed without challenges: no corrective action."
        );
    } else {
        let _ = writeln!(
            md,
            "Each critical task not rated P gives one corrective action: its cause is read from the run (the task that served the point, the teams free at the time, the kit carried, the drive, the laboratory, the notification route) and the action answers it; the script author's suggestion for the target follows it. The owner is the jurisdiction the task falls to.\n"
        );
        let _ = writeln!(
            md,
            "| Capability | Target / task | Rating | Observation | Cause | Corrective action | Element | Author's suggestion | Owner | Start | Completion |\n|---|---|---|---|---|---|---|---|---|---|---|"
        );
        for item in &r.improvement_plan {
            let _ = writeln!(
                md,
                "| {} | {} {} | {:?} | {} | **{}**: {} | {} | {} | {} | {} | {} | {} |",
                cell(&item.capability),
                item.target,
                cell(&item.task),
                item.rating,
                cell(&item.issue),
                item.cause.kind.label(),
                cell(&item.cause.evidence),
                cell(&item.corrective_action),
                item.element.label(),
                cell(&item.suggested),
                cell(&item.owner),
                item.start,
                item.due
            );
        }
    }
    md
}
