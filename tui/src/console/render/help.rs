//! The help overlay: every key binding, from the same table the keys are read from; in
//! two columns when one does not fit the terminal's height.

use crate::console::action::BINDINGS;
use crate::i18n::{self, Lang};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Block, Borders, Clear, Row, Table};

/// Display columns for a key (`space`, `enter`, `↓/j`: at most five, and one to spare).
const KEY_WIDTH: u16 = 6;

pub fn draw(frame: &mut Frame, area: Rect, lang: Lang) {
    // One line a message: keys that say the same (`↓/j` and `j`, `?` and `esc` for the
    // help) are listed once, by the first.
    let mut seen = Vec::new();
    let mut rows: Vec<Row> = BINDINGS
        .iter()
        .filter(|b| {
            let first = !seen.contains(&b.message);
            seen.push(b.message);
            first
        })
        .map(|b| Row::new(vec![b.label.to_string(), b.help(lang)]))
        .collect();
    // The map's legend, which a narrow map's title leaves out, where the help has a line
    // for it in one column (not at 80×24, whose two columns are full).
    let legend = lang.t("map-legend");
    if rows.len() as u16 + 3 <= area.height && i18n::width(&legend) + 10 <= usize::from(area.width) {
        rows.push(Row::new(vec![lang.t("help-map"), legend]));
    }
    let widest = BINDINGS.iter().map(|b| i18n::width(&b.help(lang))).max().unwrap_or(0);
    let fits = rows.len() as u16 + 2 <= area.height;
    let columns: u16 = if fits { 1 } else { 2 };
    let per_column = rows.len().div_ceil(columns as usize);
    let height = (per_column as u16 + 2).min(area.height);
    // A column holds the key and the widest help text; Chinese text is two columns a
    // character, so the column is measured, not counted.
    let column_width = (widest as u16 + KEY_WIDTH + 4).max(72);
    let width = (column_width * columns).min(area.width);
    let popup = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    );
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", lang.t("help-title")));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    // A space between the two columns, so that a help text as wide as its column does not
    // run into the next column's key.
    let parts = Layout::horizontal(vec![Constraint::Ratio(1, u32::from(columns)); columns as usize])
        .spacing(1)
        .split(inner);
    let mut rows = rows.into_iter();
    for part in parts.iter() {
        let chunk: Vec<Row> = rows.by_ref().take(per_column).collect();
        frame.render_widget(
            Table::new(chunk, [Constraint::Length(KEY_WIDTH), Constraint::Min(20)]),
            *part,
        );
    }
}
