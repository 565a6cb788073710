//! The inject inbox of the person's seat: delivered injects, newest first, and whether
//! each was acknowledged.

use super::{block, highlight};
use crate::console::app::{App, Panel};
use crate::i18n;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState};

pub fn draw(frame: &mut Frame, app: &App, area: Rect, focused: bool) {
    let inbox = app.inbox();
    // Every inject whole, wrapped to the panel: a message cut at the edge cannot be
    // acted on.
    let width = area.width.saturating_sub(2);
    let open = inbox.iter().filter(|i| i.acknowledged_at.is_none()).count();
    let items: Vec<ListItem> = inbox
        .iter()
        .map(|i| {
            let [from, channel, message] = app.inject_texts(i);
            let mark = if i.acknowledged_at.is_some() {
                Span::styled("✓ ", Style::default().fg(Color::Green))
            } else {
                Span::styled("● ", Style::default().fg(Color::Yellow))
            };
            let heading = app.lang.t_args(
                "inbox-item",
                &[
                    ("at", i.delivered_at.clock_label().into()),
                    ("number", i.number.clone().into()),
                    ("from", app.name(&from).into()),
                    ("to", app.seat_name(&i.seat_label).into()),
                    ("channel", channel.into()),
                ],
            );
            let mut lines = Vec::new();
            for (n, line) in i18n::wrap(&heading, usize::from(width.saturating_sub(2)))
                .into_iter()
                .enumerate()
            {
                let lead = if n == 0 { mark.clone() } else { Span::raw("  ") };
                lines.push(Line::from(vec![lead, Span::raw(line)]));
            }
            for line in i18n::wrap(&message, usize::from(width.saturating_sub(2))) {
                lines.push(Line::from(format!("  {line}")));
            }
            ListItem::new(lines)
        })
        .collect();
    let title = app.lang.t_args("inbox-title", &[("open", open.to_string().into())]);
    let list = List::new(items)
        .block(block(&title, focused))
        .highlight_style(highlight());
    let mut state = ListState::default();
    if focused && !inbox.is_empty() {
        state.select(Some(app.selected_row(Panel::Inbox)));
    }
    frame.render_stateful_widget(list, area, &mut state);
}
