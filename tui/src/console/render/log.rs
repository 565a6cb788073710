//! The event log: reports, plans, injects and every seat's actions, newest first.

use super::{block, highlight};
use crate::console::app::{App, Panel};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{List, ListItem, ListState};
use tripoint_sim::time::SimTime;

pub fn draw(frame: &mut Frame, app: &App, area: Rect, focused: bool) {
    let log = &app.snapshot.log;
    let items: Vec<ListItem> = log
        .iter()
        .rev()
        .map(|e| {
            let (who, what) = app.log_line(e);
            ListItem::new(format!("{} {who}: {what}", SimTime(e.at_s).clock_label()))
        })
        .collect();
    let list = List::new(items)
        .block(block(&app.lang.t("log-title"), focused))
        .highlight_style(highlight());
    let mut state = ListState::default();
    if focused && !log.is_empty() {
        state.select(Some(app.selected_row(Panel::Log)));
    }
    frame.render_stateful_widget(list, area, &mut state);
}
