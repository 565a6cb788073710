//! Tables fitted to their width: each column is as wide as its widest cell, and when
//! they do not all fit the least needed columns are left out, so the columns shown are
//! whole rather than every column cut. Widths are display columns (a Chinese character
//! takes two).

use crate::i18n;
use ratatui::style::Style;
use ratatui::widgets::{Cell, Row, Table};

/// One column: its header, one cell per row (text and style), and its need: columns
/// are left out from the highest `need` down (0 is kept longest).
pub struct Column {
    pub header: String,
    pub cells: Vec<(String, Style)>,
    pub need: u8,
}

impl Column {
    pub fn new(header: String, need: u8) -> Column {
        Column {
            header,
            cells: Vec::new(),
            need,
        }
    }

    /// Appends one row's cell in the default style.
    pub fn push(&mut self, text: String) {
        self.cells.push((text, Style::default()));
    }

    /// Appends one row's cell in `style`.
    pub fn push_styled(&mut self, text: String, style: Style) {
        self.cells.push((text, style));
    }

    fn width(&self) -> usize {
        self.cells
            .iter()
            .map(|(text, _)| i18n::width(text))
            .chain([i18n::width(&self.header)])
            .max()
            .unwrap_or(0)
    }
}

/// Space between two columns (ratatui's `Table` default).
const COLUMN_SPACING: usize = 1;

/// Which columns to show in `width` columns, in their given order, and each one's
/// width: taken from the most needed down, each kept if it fits whole beside those kept
/// before it. The most needed column is always shown, cut to `width` when it alone is
/// wider.
pub fn choose(columns: &[Column], width: usize) -> Vec<(usize, usize)> {
    let widths: Vec<usize> = columns.iter().map(Column::width).collect();
    let mut by_need: Vec<usize> = (0..columns.len()).collect();
    by_need.sort_by_key(|&i| columns[i].need);
    let mut chosen: Vec<(usize, usize)> = Vec::new();
    let mut used = 0;
    for i in by_need {
        let spacing = if chosen.is_empty() { 0 } else { COLUMN_SPACING };
        if chosen.is_empty() {
            let w = widths[i].min(width);
            chosen.push((i, w));
            used = w;
        } else if used + spacing + widths[i] <= width {
            // A column too wide for what is left is left out, and a less needed, narrower
            // one may still fit after it: a team's time when its place's name is too long.
            chosen.push((i, widths[i]));
            used += spacing + widths[i];
        }
    }
    chosen.sort_by_key(|&(i, _)| i);
    chosen
}

/// A table of `columns` fitted to `width` display columns (the inside of its block).
pub fn table(columns: Vec<Column>, width: u16) -> Table<'static> {
    table_with_header(columns, width, Style::default())
}

/// [`table`] with its header row in `header_style`.
pub fn table_with_header(columns: Vec<Column>, width: u16, header_style: Style) -> Table<'static> {
    let chosen = choose(&columns, usize::from(width));
    let rows_n = columns.iter().map(|c| c.cells.len()).max().unwrap_or(0);
    let cut = |text: &str, w: usize| -> String {
        if i18n::width(text) <= w {
            text.to_string()
        } else {
            format!("{}…", i18n::truncate(text, w.saturating_sub(1)))
        }
    };
    let header = Row::new(
        chosen
            .iter()
            .map(|&(i, w)| Cell::from(cut(&columns[i].header, w)))
            .collect::<Vec<_>>(),
    )
    .style(header_style);
    let rows: Vec<Row> = (0..rows_n)
        .map(|r| {
            Row::new(
                chosen
                    .iter()
                    .map(|&(i, w)| match columns[i].cells.get(r) {
                        Some((text, style)) => Cell::from(cut(text, w)).style(*style),
                        None => Cell::from(""),
                    })
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    let widths: Vec<u16> = chosen
        .iter()
        .map(|&(_, w)| u16::try_from(w).unwrap_or(u16::MAX))
        .collect();
    Table::new(rows, widths).header(header)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(header: &str, cells: &[&str], need: u8) -> Column {
        let mut c = Column::new(header.to_string(), need);
        for cell in cells {
            c.push(cell.to_string());
        }
        c
    }

    #[test]
    fn the_least_needed_columns_go_first_and_the_rest_stay_whole() {
        let columns = vec![
            column("事件", &["黎里印染二厂锑泄漏"], 0),
            column("属地", &["吴江区"], 3),
            column("级", &["II"], 1),
            column("方案", &["方案第2版（300 kg）"], 2),
        ];
        // 18 + 1 + 2 + 1 + 19 = 41 columns for the three most needed; the fourth would
        // take 7 more.
        assert_eq!(choose(&columns, 47), vec![(0, 18), (2, 2), (3, 19)]);
        assert_eq!(choose(&columns, 48), vec![(0, 18), (1, 6), (2, 2), (3, 19)]);
        // The plan does not fit whole; the narrower jurisdiction after it does.
        assert_eq!(choose(&columns, 30), vec![(0, 18), (1, 6), (2, 2)]);
        assert_eq!(choose(&columns, 26), vec![(0, 18), (2, 2)]);
    }

    #[test]
    fn the_most_needed_column_alone_is_cut_with_an_ellipsis() {
        let columns = vec![column("事件", &["黎里印染二厂锑泄漏"], 0), column("级", &["II"], 1)];
        assert_eq!(choose(&columns, 9), vec![(0, 9)]);
        let area = ratatui::layout::Rect::new(0, 0, 9, 2);
        let mut buffer = ratatui::buffer::Buffer::empty(area);
        ratatui::widgets::Widget::render(table(columns, 9), area, &mut buffer);
        // A wide character hides the cell after it, which holds a space or nothing.
        let second: String = (0..9)
            .map(|x| buffer[(x, 1)].symbol().to_string())
            .collect::<String>()
            .replace(' ', "");
        assert_eq!(second, "黎里印染…");
    }
}
