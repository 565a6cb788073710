//! An incident's express reports (应急监测快报) as Markdown, in the person's language:
//! what `run --plans` and `drill --plans` write as `express-INCIDENT.md`.

use crate::i18n::{Lang, scenario_name};
use std::fmt::Write as _;
use tripoint_sim::response::level;
use tripoint_sim::response::qa::ExpressReport;
use tripoint_sim::scenario::Scenario;

/// The express reports of `incident`, newest last. English is the text the simulation
/// library writes (`qa::express_reports_markdown`, checked by a test); Chinese names the
/// intakes and the pollutant by their Chinese names.
pub fn express_markdown(lang: Lang, scenario: &Scenario, reports: &[ExpressReport], incident: usize) -> String {
    let inc = &scenario.incidents[incident];
    let name = |id: &str| scenario_name(lang, scenario, id);
    let pollutant_id = &scenario.pollutants[inc.pollutant].id;
    let title = match lang {
        Lang::En => inc.name.clone(),
        Lang::ZhCn => inc.id.clone(),
    };
    let mut out = lang.t_args("express-title", &[("incident", title.into())]);
    out.push('\n');
    for r in reports.iter().filter(|r| r.incident == incident) {
        let heading = lang.t_args(
            "express-heading",
            &[
                ("number", r.number.to_string().into()),
                ("at", r.at.to_string().into()),
                ("level", level::label(r.level).into()),
            ],
        );
        let _ = writeln!(out, "\n{heading}\n");
        let counts = lang.t_args(
            "express-counts",
            &[
                ("new", r.new_results.to_string().into()),
                ("pollutant", name(pollutant_id).into()),
                ("pending", r.pending.to_string().into()),
                ("inconclusive", r.inconclusive.to_string().into()),
            ],
        );
        let _ = writeln!(out, "{counts}");
        if r.over_limit.is_empty() {
            let _ = writeln!(out, "{}", lang.t("express-none-over"));
        }
        for (point, mg_l, times) in &r.over_limit {
            let line = lang.t_args(
                "express-over",
                &[
                    ("point", name(point).into()),
                    ("mg_l", format!("{mg_l:.4}").into()),
                    ("times", format!("{times:.1}").into()),
                    ("exceedance", format!("{:.1}", (times - 1.0).max(0.0)).into()),
                ],
            );
            let _ = writeln!(out, "{line}");
        }
        for (point, latest) in &r.intakes {
            let line = match latest {
                Some((mg_l, at)) => lang.t_args(
                    "express-intake",
                    &[
                        ("point", name(point).into()),
                        ("mg_l", format!("{mg_l:.4}").into()),
                        ("at", at.to_string().into()),
                    ],
                ),
                None => lang.t_args("express-intake-none", &[("point", name(point).into())]),
            };
            let _ = writeln!(out, "{line}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use tripoint_sim::response::qa::express_reports_markdown;

    /// The two-incident exercise run to its end, unified dispatch, seed 0.
    fn exercise() -> (std::sync::Arc<Scenario>, Vec<ExpressReport>) {
        let drill = std::sync::Arc::new(crate::commands::drill::load_drill("two-incidents").expect("shipped drill"));
        let config = tripoint_sim::drill::DrillConfig {
            policy: tripoint_sim::response::dispatch::PolicyKind::Unified,
            seed: 0,
            journal: false,
            human_seats: Vec::new(),
        };
        let mut session = tripoint_sim::drill::Session::new(drill.clone(), &config).expect("session");
        session.advance_to(drill.start + drill.duration).expect("runs");
        let state = session.world().resource::<tripoint_sim::response::ResponseState>();
        (drill.scenario.clone(), state.express_reports.clone())
    }

    #[test]
    fn english_express_reports_are_the_simulation_library_s_text() {
        let (scenario, reports) = exercise();
        assert!(reports.len() >= 4, "{} reports", reports.len());
        for incident in 0..scenario.incidents.len() {
            assert_eq!(
                express_markdown(Lang::En, &scenario, &reports, incident),
                express_reports_markdown(&scenario, &reports, incident)
            );
        }
    }

    #[test]
    fn a_chinese_express_report_has_no_english_sentence() {
        let (scenario, reports) = exercise();
        for incident in 0..scenario.incidents.len() {
            let text = express_markdown(Lang::ZhCn, &scenario, &reports, incident);
            assert!(
                text.contains("应急监测快报") && text.contains("（饮用水水源地）"),
                "{text}"
            );
            let english = crate::i18n::english_phrases(&text);
            assert!(english.is_empty(), "untranslated: {english:?}\n{text}");
        }
        let text = express_markdown(Lang::ZhCn, &scenario, &reports, 0);
        assert!(text.contains("金泽水库取水口") && text.contains("锑"), "{text}");
    }
}
