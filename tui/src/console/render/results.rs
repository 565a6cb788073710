//! Results: every known sample, newest taken first, with value, GB 3838 class and
//! whether over the limit.

use super::fit::{self, Column};
use super::{block, highlight};
use crate::console::app::{App, Panel};
use crate::i18n::Lang;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::widgets::TableState;
use tripoint_sim::standards::WaterClass;

pub fn draw(frame: &mut Frame, app: &App, area: Rect, focused: bool) {
    let l = app.lang;
    // Needs: when, where, how much and whether over the limit (the point's name gives up
    // its middle letters for the value and the verdict); then the class, the team, the
    // pollutant and the method as the panel widens.
    let mut taken = Column::new(l.t("col-taken"), 0);
    // Field or laboratory, one character kept at every width: at 80×24 the method column
    // goes, and a field result and its laboratory confirmation would read the same.
    let mut kind = Column::new(String::new(), 1).essential();
    let mut point = Column::name(l.t("col-point"), 1);
    let mut team = Column::new(l.t("col-team"), 5);
    let mut pollutant = Column::new(l.t("col-pollutant"), 6);
    let mut value = Column::new("mg/L".to_string(), 2).essential();
    let mut class = Column::new(l.t("col-class"), 4);
    let mut verdict = Column::new(l.t("col-limit"), 3).essential();
    let mut method = Column::new(l.t("col-method"), 7);
    for r in app.results() {
        let (said, colour) = if r.over_limit {
            let ratio = format!("{:.1}", r.mg_l / r.limit_mg_l);
            (l.t_args("results-over", &[("ratio", ratio.into())]), Color::Red)
        } else if !r.conclusive {
            // A non-detect by a method that cannot see the limit says nothing.
            (l.t("results-not-conclusive"), Color::Yellow)
        } else {
            (l.t("results-within"), Color::Green)
        };
        verdict.push_styled(said, Style::default().fg(colour));
        // The class in the verdict's colour: where the verdict does not fit (80×24), the
        // class (or the ratio to a Table 3 limit) says it.
        class.push_styled(class_label(l, &r.class), Style::default().fg(colour));
        // A non-detect reads as below its detection limit, as a laboratory reports it.
        value.push(if r.mg_l == 0.0 && r.detection_limit_mg_l > 0.0 {
            format!("<{}", r.detection_limit_mg_l)
        } else {
            format!("{:.4}", r.mg_l)
        });
        // Which instrument, and where: on site, on board, or a laboratory (a
        // confirmation of a field result says which).
        method.push(match r.confirms {
            Some(field) => l.t_args(
                "results-confirms",
                &[
                    ("method", r.method.as_str().into()),
                    ("where", app.name(&r.analysed_at).into()),
                    ("field", field.to_string().into()),
                ],
            ),
            None => l.t_args(
                "results-method",
                &[
                    ("method", r.method.as_str().into()),
                    ("where", app.name(&r.analysed_at).into()),
                ],
            ),
        });
        let in_field = r.confirms.is_none() && (r.analysed_at == "on site" || r.analysed_at.starts_with("on board"));
        kind.push(l.t(if in_field {
            "results-mark-field"
        } else {
            "results-mark-lab"
        }));
        taken.push(r.taken_at.clock_label());
        point.push(app.name(&r.point));
        team.push(app.name(&r.team));
        pollutant.push(app.name(&r.pollutant));
    }
    let title = l.t_args(
        "results-title",
        &[("count", app.snapshot.results.len().to_string().into())],
    );
    let outer = block(&title, focused);
    let inner = outer.inner(area);
    let table = fit::table(
        vec![kind, taken, point, team, pollutant, value, class, verdict, method],
        inner.width,
    )
    .block(outer)
    .row_highlight_style(highlight());
    let mut state = TableState::default();
    if focused {
        state.select(Some(app.selected_row(Panel::Results)));
    }
    frame.render_stateful_widget(table, area, &mut state);
}

/// A result's class by the view's stable name (`III`, `worse_than_v`, `compliant`, `×4.2`,
/// `—`) in `lang`: a class as GB 3838 writes it (`III`, `worse than V`; `Ⅲ类`, `劣Ⅴ类`),
/// a limit met as the verdict says it.
fn class_label(lang: Lang, class: &str) -> String {
    // A server before 2026-12-03 sent `ok` and the classes' debug names (`WorseThanV`).
    if class == "compliant" || class == "ok" {
        return lang.t("results-within");
    }
    let class = if class == "WorseThanV" { "worse_than_v" } else { class };
    match (WaterClass::from_id(class), lang) {
        (Some(class), Lang::En) => class.to_string(),
        (Some(class), Lang::ZhCn) => class.label_zh().to_string(),
        (None, _) => class.to_string(),
    }
}
