//! The unified monitoring plan of the selected incident: points, role, owner, team,
//! frequency, next due sample, status and the latest result.

use super::{block, clock, highlight};
use crate::console::app::{App, Panel};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Style};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};
use tripoint_sim::drill::view::PointStatus;
use tripoint_sim::plan::Role;

fn role_label(role: Role) -> &'static str {
    match role {
        Role::Intake => "intake",
        Role::BorderSection => "border",
        Role::ReleaseSite => "site",
        Role::UpstreamControl => "upstream",
        Role::Downstream => "downstream",
        Role::Section => "section",
        Role::LakeFan => "lake",
        Role::Outlet => "outlet",
    }
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect, focused: bool) {
    let Some(plan) = app.plan() else {
        let text = if app.live {
            "No plan yet: declare an incident (I); its plan follows after the preparation time."
        } else {
            "No plan yet: a plan is issued once an incident is known."
        };
        frame.render_widget(Paragraph::new(text).block(block("Monitoring plan", focused)), area);
        return;
    };
    let incident = app
        .snapshot
        .incidents
        .iter()
        .find(|i| i.idx == plan.incident)
        .map_or("?", |i| i.id.as_str());
    // Narrow terminals get the columns a duty officer needs most.
    let compact = area.width < 100;
    let rows: Vec<Row> = plan
        .points
        .iter()
        .map(|p| {
            let (status, colour) = match p.status {
                PointStatus::Planned => ("planned", Color::Gray),
                PointStatus::Due => ("DUE", Color::Yellow),
                PointStatus::Assigned => ("team on it", Color::Cyan),
                PointStatus::Late => ("LATE", Color::Red),
                PointStatus::Done => ("done", Color::Green),
            };
            let result = match (p.last_result, p.awaiting_results) {
                (Some((v, over)), _) => format!("{v:.4}{}", if over { " OVER" } else { "" }),
                (None, 0) => String::new(),
                (None, n) => format!("{n} awaited"),
            };
            // A point where help was asked for is marked beside its id.
            let id = if p.mutual_aid {
                format!("{} ⇄", p.id)
            } else {
                p.id.clone()
            };
            let status = Cell::from(status).style(Style::default().fg(colour));
            if compact {
                let due = p.next_due.map_or("—".to_string(), |t| t.clock_label()[3..].to_string());
                let value = p.last_result.map_or(String::new(), |(v, over)| {
                    format!("{v:.4}{}", if over { "!" } else { "" })
                });
                return Row::new(vec![Cell::from(id), Cell::from(due), status, Cell::from(value)]);
            }
            Row::new(vec![
                Cell::from(id),
                Cell::from(role_label(p.role)),
                Cell::from(p.jurisdiction.clone()),
                Cell::from(p.team.clone().unwrap_or_default()),
                Cell::from(format!("{} min", p.dense_min)),
                Cell::from(clock(p.next_due)),
                status,
                Cell::from(result),
            ])
        })
        .collect();
    let approval = match &plan.approved {
        Some((at, _)) => format!("approved {}", &at.clock_label()[3..]),
        None if compact => "PROPOSED".to_string(),
        None => "PROPOSED (A approves)".to_string(),
    };
    let title = if compact {
        format!(
            "Plan — {incident} r{} {approval} · {:.0} kg",
            plan.revision, plan.estimated_mass_kg
        )
    } else {
        format!(
            "Monitoring plan — {incident} r{} {approval} · {:.0} kg assumed · {}",
            plan.revision, plan.estimated_mass_kg, plan.method
        )
    };
    let table = if compact {
        Table::new(
            rows,
            [
                Constraint::Min(17),
                Constraint::Length(5),
                Constraint::Length(10),
                Constraint::Length(7),
            ],
        )
        .header(Row::new(vec!["point", "due", "status", "mg/L"]))
    } else {
        Table::new(
            rows,
            [
                Constraint::Min(20),
                Constraint::Length(10),
                Constraint::Length(7),
                Constraint::Length(14),
                Constraint::Length(6),
                Constraint::Length(8),
                Constraint::Length(10),
                Constraint::Length(12),
            ],
        )
        .header(Row::new(vec![
            "point",
            "role",
            "owner",
            "team",
            "every",
            "next due",
            "status",
            "last mg/L",
        ]))
    }
    .block(block(&title, focused))
    .row_highlight_style(highlight());
    let mut state = TableState::default();
    if focused {
        state.select(Some(app.selected_row(Panel::Plan)));
    }
    frame.render_stateful_widget(table, area, &mut state);
}
