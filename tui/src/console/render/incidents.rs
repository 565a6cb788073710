//! Incidents: place, pollutant, response level, elapsed time, plan status.

use super::{block, clock, highlight};
use crate::console::app::{App, Panel};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Row, Table, TableState};

pub fn draw(frame: &mut Frame, app: &App, area: Rect, focused: bool) {
    let s = &app.snapshot;
    let l = app.lang;
    let rows: Vec<Row> = s
        .incidents
        .iter()
        .map(|i| {
            let elapsed = (s.now - i.known_at).seconds().max(0);
            let plan = match (i.plan_revision, i.estimated_mass_kg) {
                (Some(rev), Some(kg)) => l.t_args(
                    "incidents-plan",
                    &[
                        ("revision", rev.to_string().into()),
                        ("mass_kg", format!("{kg:.0}").into()),
                    ],
                ),
                _ => l.t("incidents-plan-pending"),
            };
            Row::new(vec![
                app.name(&i.id),
                app.name(&i.jurisdiction),
                app.name(&i.pollutant),
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
        l.t("col-incident"),
        l.t("col-where"),
        l.t("col-pollutant"),
        l.t("col-level"),
        l.t("col-known-since"),
        l.t("col-plan"),
    ]))
    .block(block(
        &if empty {
            l.t("incidents-none")
        } else {
            l.t("panel-incidents")
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
