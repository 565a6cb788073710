//! Results: every known sample with value, GB 3838 class and whether over the limit.

use super::{block, highlight};
use crate::console::app::{App, Panel};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Style};
use ratatui::widgets::{Cell, Row, Table, TableState};

pub fn draw(frame: &mut Frame, app: &App, area: Rect, focused: bool) {
    let compact = area.width < 100;
    let rows: Vec<Row> = app
        .snapshot
        .results
        .iter()
        .rev()
        .map(|r| {
            let verdict = if r.over_limit {
                Cell::from(format!("OVER ×{:.1}", r.mg_l / r.limit_mg_l)).style(Style::default().fg(Color::Red))
            } else if !r.conclusive {
                // A non-detect by a method that cannot see the limit says nothing.
                Cell::from("not conclusive").style(Style::default().fg(Color::Yellow))
            } else {
                Cell::from("within").style(Style::default().fg(Color::Green))
            };
            if compact {
                return Row::new(vec![
                    Cell::from(r.taken_at.clock_label()),
                    Cell::from(r.point.clone()),
                    Cell::from(format!("{:.4}", r.mg_l)),
                    verdict,
                ]);
            }
            // Which instrument, and where: on site, on board, or a laboratory (a
            // confirmation of a field result says which).
            let method = match r.confirms {
                Some(field) => format!("{} @ {} (confirms #{field})", r.method, r.analysed_at),
                None => format!("{} @ {}", r.method, r.analysed_at),
            };
            Row::new(vec![
                Cell::from(r.taken_at.clock_label()),
                Cell::from(r.point.clone()),
                Cell::from(r.team.clone()),
                Cell::from(r.pollutant.clone()),
                Cell::from(format!("{:.4}", r.mg_l)),
                Cell::from(r.class.clone()),
                verdict,
                Cell::from(method),
            ])
        })
        .collect();
    let title = format!("Results — {} known (newest first)", app.snapshot.results.len());
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
        .header(Row::new(vec!["taken", "point", "mg/L", "limit"]))
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
            "taken",
            "point",
            "team",
            "pollutant",
            "mg/L",
            "class",
            "limit",
            "method @ where",
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
