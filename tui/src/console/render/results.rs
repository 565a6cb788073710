//! Results: every known sample with value, GB 3838 class and whether over the limit.

use super::{block, highlight};
use crate::console::app::{App, Panel};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Style};
use ratatui::widgets::{Cell, Row, Table, TableState};

pub fn draw(frame: &mut Frame, app: &App, area: Rect, focused: bool) {
    let compact = area.width < 100;
    let l = app.lang;
    let rows: Vec<Row> = app
        .snapshot
        .results
        .iter()
        .rev()
        .map(|r| {
            let verdict = if r.over_limit {
                Cell::from(l.t_args(
                    "results-over",
                    &[("ratio", format!("{:.1}", r.mg_l / r.limit_mg_l).into())],
                ))
                .style(Style::default().fg(Color::Red))
            } else if !r.conclusive {
                // A non-detect by a method that cannot see the limit says nothing.
                Cell::from(l.t("results-not-conclusive")).style(Style::default().fg(Color::Yellow))
            } else {
                Cell::from(l.t("results-within")).style(Style::default().fg(Color::Green))
            };
            // A non-detect reads as below its detection limit, as a laboratory reports it.
            let value = if r.mg_l == 0.0 && r.detection_limit_mg_l > 0.0 {
                format!("<{}", r.detection_limit_mg_l)
            } else {
                format!("{:.4}", r.mg_l)
            };
            if compact {
                return Row::new(vec![
                    Cell::from(r.taken_at.clock_label()),
                    Cell::from(app.name(&r.point)),
                    Cell::from(value),
                    verdict,
                ]);
            }
            // Which instrument, and where: on site, on board, or a laboratory (a
            // confirmation of a field result says which).
            let method = match r.confirms {
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
            };
            Row::new(vec![
                Cell::from(r.taken_at.clock_label()),
                Cell::from(app.name(&r.point)),
                Cell::from(app.name(&r.team)),
                Cell::from(app.name(&r.pollutant)),
                Cell::from(value),
                Cell::from(r.class.clone()),
                verdict,
                Cell::from(method),
            ])
        })
        .collect();
    let title = l.t_args(
        "results-title",
        &[("count", app.snapshot.results.len().to_string().into())],
    );
    let table = if compact {
        Table::new(
            rows,
            [
                Constraint::Length(8),
                Constraint::Min(16),
                Constraint::Length(8),
                Constraint::Length(10),
            ],
        )
        .header(Row::new(vec![
            l.t("col-taken"),
            l.t("col-point"),
            "mg/L".to_string(),
            l.t("col-limit"),
        ]))
    } else {
        Table::new(
            rows,
            [
                Constraint::Length(8),
                Constraint::Min(16),
                Constraint::Length(16),
                Constraint::Length(9),
                Constraint::Length(8),
                Constraint::Length(5),
                Constraint::Length(10),
                Constraint::Min(20),
            ],
        )
        .header(Row::new(vec![
            l.t("col-taken"),
            l.t("col-point"),
            l.t("col-team"),
            l.t("col-pollutant"),
            "mg/L".to_string(),
            l.t("col-class"),
            l.t("col-limit"),
            l.t("col-method"),
        ]))
    }
    .block(block(&title, focused))
    .row_highlight_style(highlight());
    let mut state = TableState::default();
    if focused {
        state.select(Some(app.selected_row(Panel::Results)));
    }
    frame.render_stateful_widget(table, area, &mut state);
}
