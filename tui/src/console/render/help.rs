//! The help overlay: every key binding, from the same table the keys are read from.

use crate::console::action::BINDINGS;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Block, Borders, Clear, Row, Table};

pub fn draw(frame: &mut Frame, area: Rect) {
    let height = (BINDINGS.len() as u16 + 4).min(area.height);
    let width = 72.min(area.width);
    let popup = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    );
    let mut seen = Vec::new();
    let rows: Vec<Row> = BINDINGS
        .iter()
        .filter(|b| {
            let first = !seen.contains(&b.action);
            seen.push(b.action);
            first
        })
        .map(|b| Row::new(vec![b.label.to_string(), b.help.to_string()]))
        .collect();
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Table::new(rows, [Constraint::Length(7), Constraint::Min(20)])
            .block(Block::default().borders(Borders::ALL).title(" Keys — ? closes ")),
        popup,
    );
}
