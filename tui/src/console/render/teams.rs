//! Teams and equipment: where each team is, what it is doing, until when.

use super::{block, clock, highlight};
use crate::console::app::{App, Panel};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Style};
use ratatui::widgets::{Cell, Row, Table, TableState};

pub fn draw(frame: &mut Frame, app: &App, area: Rect, focused: bool) {
    let compact = area.width < 100;
    let rows: Vec<Row> = app
        .snapshot
        .teams
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let name = if app.chosen_team == Some(i) {
                format!("▶ {}", t.id)
            } else {
                t.id.clone()
            };
            let colour = match t.activity.as_str() {
                "idle" => Color::Gray,
                "driving" => Color::Cyan,
                "sampling" => Color::Green,
                _ => Color::Red,
            };
            if compact {
                return Row::new(vec![
                    Cell::from(name),
                    Cell::from(t.activity.clone()).style(Style::default().fg(colour)),
                    Cell::from(t.place.clone()),
                    Cell::from(clock(t.until)),
                ]);
            }
            Row::new(vec![
                Cell::from(name),
                Cell::from(t.jurisdiction.clone()),
                Cell::from(t.vehicle.clone()),
                Cell::from(t.activity.clone()).style(Style::default().fg(colour)),
                Cell::from(t.place.clone()),
                Cell::from(clock(t.until)),
            ])
        })
        .collect();
    let table = if compact {
        Table::new(
            rows,
            [
                Constraint::Min(16),
                Constraint::Length(14),
                Constraint::Min(12),
                Constraint::Length(8),
            ],
        )
        .header(Row::new(vec!["team", "doing", "where", "until"]))
    } else {
        Table::new(
            rows,
            [
                Constraint::Min(18),
                Constraint::Length(8),
                Constraint::Length(12),
                Constraint::Length(14),
                Constraint::Min(14),
                Constraint::Length(9),
            ],
        )
        .header(Row::new(vec!["team", "from", "vehicle", "doing", "where", "until"]))
    }
    .block(block("Teams", focused))
    .row_highlight_style(highlight());
    let mut state = TableState::default();
    if focused {
        state.select(Some(app.selected_row(Panel::Teams)));
    }
    frame.render_stateful_widget(table, area, &mut state);
}
