//! Teams and equipment: where each team is, what it is doing, until when.

use super::{block, clock, highlight};
use crate::console::app::{App, Panel};
use crate::i18n::Lang;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Style};
use ratatui::widgets::{Cell, Row, Table, TableState};
use tripoint_sim::equipment::Catalogue;

pub fn draw(frame: &mut Frame, app: &App, area: Rect, focused: bool) {
    let compact = area.width < 100;
    let l = app.lang;
    let rows: Vec<Row> = app
        .snapshot
        .teams
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let name = if app.chosen_team == Some(i) {
                format!("▶ {}", app.name(&t.id))
            } else {
                app.name(&t.id)
            };
            let activity = activity_label(l, &t.activity);
            let colour = match t.activity.as_str() {
                "idle" => Color::Gray,
                "driving" => Color::Cyan,
                "sampling" => Color::Green,
                _ => Color::Red,
            };
            if compact {
                return Row::new(vec![
                    Cell::from(name),
                    Cell::from(activity).style(Style::default().fg(colour)),
                    Cell::from(app.name(&t.place)),
                    Cell::from(clock(t.until)),
                ]);
            }
            Row::new(vec![
                Cell::from(name),
                Cell::from(app.name(&t.jurisdiction)),
                Cell::from(vehicle_label(l, &t.vehicle)),
                Cell::from(activity).style(Style::default().fg(colour)),
                Cell::from(app.name(&t.place)),
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
        .header(Row::new(vec![
            l.t("col-team"),
            l.t("col-doing"),
            l.t("col-where"),
            l.t("col-until"),
        ]))
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
        .header(Row::new(vec![
            l.t("col-team"),
            l.t("col-from"),
            l.t("col-vehicle"),
            l.t("col-doing"),
            l.t("col-where"),
            l.t("col-until"),
        ]))
    }
    .block(block(&l.t("panel-teams"), focused))
    .row_highlight_style(highlight());
    let mut state = TableState::default();
    if focused {
        state.select(Some(app.selected_row(Panel::Teams)));
    }
    frame.render_stateful_widget(table, area, &mut state);
}

/// A team's activity as the snapshot names it (`idle`, `driving`, …), in `lang`.
fn activity_label(lang: Lang, activity: &str) -> String {
    match activity {
        "idle" => lang.t("activity-idle"),
        "driving" => lang.t("activity-driving"),
        "sampling" => lang.t("activity-sampling"),
        "out of service" => lang.t("activity-out-of-service"),
        other => other.to_string(),
    }
}

/// A vehicle id: the id in English, the catalogue's Chinese name in Chinese.
fn vehicle_label(lang: Lang, vehicle: &str) -> String {
    match lang {
        Lang::En => vehicle.to_string(),
        Lang::ZhCn => Catalogue::builtin()
            .vehicle(vehicle)
            .map_or_else(|| vehicle.to_string(), |v| v.name_zh.clone()),
    }
}
