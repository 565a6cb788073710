//! The event log: reports, plans, injects and every seat's actions, newest first.

use super::{block, highlight};
use crate::console::app::{App, Panel};
use crate::i18n;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{List, ListItem, ListState};
use tripoint_sim::time::SimTime;

pub fn draw(frame: &mut Frame, app: &App, area: Rect, focused: bool) {
    let log = &app.snapshot.log;
    // Each entry whole, wrapped to the panel, its later lines indented under the clock.
    let width = usize::from(area.width.saturating_sub(2));
    let items: Vec<ListItem> = log
        .iter()
        .rev()
        .map(|e| {
            let (who, what) = app.log_line(e);
            let text = app.lang.t_args(
                "log-line",
                &[
                    ("at", SimTime(e.at_s).clock_label().into()),
                    ("who", who.into()),
                    ("what", what.into()),
                ],
            );
            let first = i18n::wrap(&text, width).swap_remove(0);
            let rest = text[first.len()..].trim_start();
            let mut lines = vec![Line::raw(first.clone())];
            if !rest.is_empty() {
                lines.extend(
                    i18n::wrap(rest, width.saturating_sub(2))
                        .into_iter()
                        .map(|line| Line::raw(format!("  {line}"))),
                );
            }
            ListItem::new(lines)
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
