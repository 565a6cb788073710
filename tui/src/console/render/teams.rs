//! Teams and equipment: where each team is, what it is doing, until when.

use super::fit::{self, Column};
use super::{block, clock, highlight};
use crate::console::app::{App, Panel};
use crate::i18n::Lang;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::widgets::TableState;
use tripoint_sim::equipment::Catalogue;

pub fn draw(frame: &mut Frame, app: &App, area: Rect, focused: bool) {
    let l = app.lang;
    // Needs: who, doing what, where and until when; its jurisdiction and vehicle go
    // first when the panel is narrow, and a long place's name gives up its middle before
    // the time goes.
    let mut team = Column::name(l.t("col-team"), 0);
    let mut jurisdiction = Column::new(l.t("col-team-jurisdiction"), 4);
    let mut vehicle = Column::new(l.t("col-vehicle"), 5);
    let mut doing = Column::new(l.t("col-doing"), 1);
    let mut place = Column::name(l.t("col-place"), 2);
    let mut until = Column::new(l.t("col-until"), 3).essential();
    for (i, t) in app.snapshot.teams.iter().enumerate() {
        team.push(if app.chosen_team == Some(i) {
            format!("▶ {}", app.name(&t.id))
        } else {
            app.name(&t.id)
        });
        jurisdiction.push(app.name(&t.jurisdiction));
        vehicle.push(vehicle_label(l, &t.vehicle));
        let colour = match t.activity.as_str() {
            "idle" => Color::Gray,
            "driving" => Color::Cyan,
            "sampling" => Color::Green,
            _ => Color::Red,
        };
        doing.push_styled(activity_label(l, &t.activity), Style::default().fg(colour));
        place.push(app.name(&t.place));
        // A sample that will come later than the plan's tolerance is marked as the plan
        // marks a late point.
        if t.late {
            until.push_styled(
                format!("{} {}", clock(t.until), l.t("status-late")),
                Style::default().fg(Color::Red),
            );
        } else {
            until.push(clock(t.until));
        }
    }
    let outer = block(&l.t("panel-teams"), focused);
    let inner = outer.inner(area);
    let table = fit::table(vec![team, jurisdiction, vehicle, doing, place, until], inner.width)
        .block(outer)
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
