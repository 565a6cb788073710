//! Incidents: place, pollutant, response level, elapsed time, plan status.

use super::{block, clock, highlight};
use crate::console::app::{App, Panel};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Row, Table, TableState};

pub fn draw(frame: &mut Frame, app: &App, area: Rect, focused: bool) {
    let s = &app.snapshot;
    let rows: Vec<Row> = s
        .incidents
        .iter()
        .map(|i| {
            let elapsed = (s.now - i.known_at).seconds().max(0);
            let plan = match (i.plan_revision, i.estimated_mass_kg) {
                (Some(rev), Some(kg)) => format!("plan r{rev} ({kg:.0} kg)"),
                _ => "plan pending".to_string(),
            };
            Row::new(vec![
                i.id.clone(),
                i.jurisdiction.clone(),
                i.pollutant.clone(),
                i.level.clone(),
                format!(
                    "{} (+{}h{:02})",
                    clock(Some(i.known_at)),
                    elapsed / 3600,
                    elapsed % 3600 / 60
                ),
                plan,
            ])
        })
        .collect();
    let empty = rows.is_empty();
    let table = Table::new(
        rows,
        [
            Constraint::Min(14),
            Constraint::Length(8),
            Constraint::Length(9),
            Constraint::Length(3),
            Constraint::Length(18),
            Constraint::Min(12),
        ],
    )
    .header(Row::new(vec![
        "incident",
        "where",
        "pollutant",
        "lvl",
        "known since",
        "plan",
    ]))
    .block(block(
        if empty {
            "Incidents — none known yet"
        } else {
            "Incidents"
        },
        focused,
    ))
    .row_highlight_style(highlight());
    let mut state = TableState::default();
    if focused && !empty {
        state.select(Some(app.selected_row(Panel::Incidents)));
    }
    frame.render_stateful_widget(table, area, &mut state);
}
