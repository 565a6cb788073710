//! The unified monitoring plan of the selected incident: points, role, owner, team,
//! frequency, next due sample, status and the latest result.

use super::{block, clock, highlight};
use crate::console::app::{App, Panel};
use crate::i18n::Lang;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Style};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};
use tripoint_sim::drill::view::PointStatus;
use tripoint_sim::plan::Role;

fn role_label(lang: Lang, role: Role) -> String {
    lang.t(match role {
        Role::Intake => "role-intake",
        Role::BorderSection => "role-border",
        Role::ReleaseSite => "role-site",
        Role::UpstreamControl => "role-upstream",
        Role::Downstream => "role-downstream",
        Role::Section => "role-section",
        Role::LakeFan => "role-lake",
        Role::Outlet => "role-outlet",
    })
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect, focused: bool) {
    let l = app.lang;
    let Some(plan) = app.plan() else {
        let text = if app.live {
            l.t("plan-none-live")
        } else {
            l.t("plan-none")
        };
        let outer = block(&l.t("panel-plan"), focused);
        let width = outer.inner(area).width;
        frame.render_widget(Paragraph::new(super::wrapped(&text, width)).block(outer), area);
        return;
    };
    let incident = app
        .snapshot
        .incidents
        .iter()
        .find(|i| i.idx == plan.incident)
        .map_or_else(|| "?".to_string(), |i| app.name(&i.id));
    // Narrow terminals get the columns a duty officer needs most.
    let compact = area.width < 100;
    let rows: Vec<Row> = plan
        .points
        .iter()
        .map(|p| {
            let (status, colour) = match p.status {
                PointStatus::Planned => ("status-planned", Color::Gray),
                PointStatus::Due => ("status-due", Color::Yellow),
                PointStatus::Assigned => ("status-assigned", Color::Cyan),
                PointStatus::Late => ("status-late", Color::Red),
                PointStatus::Done => ("status-done", Color::Green),
            };
            let status = l.t(status);
            let result = match (p.last_result, p.awaiting_results) {
                (Some((v, over)), _) if over => format!("{v:.4} {}", l.t("result-over")),
                (Some((v, _)), _) => format!("{v:.4}"),
                (None, 0) => String::new(),
                (None, n) => l.t_args("result-awaited", &[("count", n.to_string().into())]),
            };
            // A point where help was asked for is marked beside its id.
            let id = if p.mutual_aid {
                format!("{} ⇄", app.plan_point_name(&p.id))
            } else {
                app.plan_point_name(&p.id)
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
                Cell::from(role_label(l, p.role)),
                Cell::from(app.name(&p.jurisdiction)),
                Cell::from(p.team.as_deref().map(|t| app.name(t)).unwrap_or_default()),
                Cell::from(l.t_args("every-min", &[("minutes", p.dense_min.to_string().into())])),
                Cell::from(clock(p.next_due)),
                status,
                Cell::from(result),
            ])
        })
        .collect();
    let approval = match &plan.approved {
        Some((at, _)) => l.t_args("plan-approved", &[("at", at.clock_label()[3..].into())]),
        None if compact => l.t("plan-proposed"),
        None => l.t("plan-proposed-hint"),
    };
    let args = [
        ("incident", incident.into()),
        ("revision", plan.revision.to_string().into()),
        ("approval", approval.into()),
        ("mass_kg", format!("{:.0}", plan.estimated_mass_kg).into()),
        ("method", plan.method.as_str().into()),
    ];
    let title = if compact {
        l.t_args("plan-title-compact", &args)
    } else {
        l.t_args("plan-title", &args)
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
        .header(Row::new(vec![
            l.t("col-point"),
            l.t("col-due"),
            l.t("col-status"),
            "mg/L".to_string(),
        ]))
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
            l.t("col-point"),
            l.t("col-role"),
            l.t("col-owner"),
            l.t("col-team"),
            l.t("col-every"),
            l.t("col-next-due"),
            l.t("col-status"),
            l.t("col-last-mg-l"),
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
