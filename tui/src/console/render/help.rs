//! The help overlay: every key binding, from the same table the keys are read from; in
//! two columns when one does not fit the terminal's height.

use crate::console::action::BINDINGS;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Block, Borders, Clear, Row, Table};

pub fn draw(frame: &mut Frame, area: Rect) {
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
    let fits = rows.len() as u16 + 2 <= area.height;
    let columns: u16 = if fits { 1 } else { 2 };
    let per_column = rows.len().div_ceil(columns as usize);
    let height = (per_column as u16 + 2).min(area.height);
    let width = (72 * columns).min(area.width);
    let popup = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    );
    frame.render_widget(Clear, popup);
    let block = Block::default().borders(Borders::ALL).title(" Keys — ? closes ");
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let parts = Layout::horizontal(vec![Constraint::Ratio(1, u32::from(columns)); columns as usize]).split(inner);
    let mut rows = rows.into_iter();
    for part in parts.iter() {
        let chunk: Vec<Row> = rows.by_ref().take(per_column).collect();
        frame.render_widget(Table::new(chunk, [Constraint::Length(7), Constraint::Min(20)]), *part);
    }
}
