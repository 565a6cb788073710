//! Tables fitted to their width: each column is as wide as its widest cell, and when
//! they do not all fit, a name or place column gives up its middle letters ("…") to keep
//! an essential column (a team's time, an incident's plan, a source's mass); what still
//! does not fit goes, least needed first. The other columns are shown whole or not at
//! all. Widths are display columns (a Chinese character takes two), and no character is
//! ever cut in half.

use crate::i18n;
use ratatui::style::Style;
use ratatui::widgets::{Cell, Row, Table};

/// One column: its header, one cell per row (text and style), its need (columns are left
/// out from the highest `need` down; 0 is kept longest), whether it is a name that may be
/// shortened, and whether it is essential: worth the names' letters.
pub struct Column {
    pub header: String,
    pub cells: Vec<(String, Style)>,
    pub need: u8,
    pub shrinks: bool,
    pub essential: bool,
}

/// The narrowest a shortened name gets [display columns]: enough for a few letters at
/// each end (`wujia…n-1km`, `长白荡…取水口`).
const NAME_MIN_W: usize = 10;

impl Column {
    /// A column shown whole or not at all: a time, a value, a status.
    pub fn new(header: String, need: u8) -> Column {
        Column {
            header,
            cells: Vec::new(),
            need,
            shrinks: false,
            essential: false,
        }
    }

    /// A name or place column, shortened in the middle (down to [`NAME_MIN_W`] or its
    /// header) to keep an essential column; it takes what room is left, down to that.
    pub fn name(header: String, need: u8) -> Column {
        Column {
            shrinks: true,
            ..Column::new(header, need)
        }
    }

    /// The column is essential: the names kept before it give up their middle letters
    /// rather than it being left out. A column that only adds detail is not.
    pub fn essential(self) -> Column {
        Column {
            essential: true,
            ..self
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

    /// The narrowest it may be: its whole width unless it is a name.
    fn min_width(&self) -> usize {
        let whole = self.width();
        if self.shrinks {
            whole.min(NAME_MIN_W.max(i18n::width(&self.header)))
        } else {
            whole
        }
    }

    /// `text` fitted to `w` columns: whole when it fits; a name without its middle, a
    /// most needed column alone without its end.
    fn fitted(&self, text: &str, w: usize) -> String {
        if i18n::width(text) <= w {
            text.to_string()
        } else if self.shrinks {
            without_middle(text, w)
        } else {
            format!("{}…", i18n::truncate(text, w.saturating_sub(1)))
        }
    }
}

/// `text` in at most `w` columns with its middle replaced by "…": ids and names of the
/// zone differ at their ends (`wj_shengze_dyeing_1` and `_3`, `…-down-1km` and
/// `…-down-5km`, `吴江…一组` and `…二组`), so both ends are kept, the start taking the
/// odd column.
fn without_middle(text: &str, w: usize) -> String {
    let room = w.saturating_sub(1);
    let mut tail_at = text.len();
    let mut tail_w = 0;
    for (at, c) in text.char_indices().rev() {
        let c_w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if tail_w + c_w > room / 2 {
            break;
        }
        tail_w += c_w;
        tail_at = at;
    }
    // A space beside the "…" is a column of nothing.
    let tail = text[tail_at..].trim_start();
    let head = i18n::truncate(&text[..tail_at], room - i18n::width(tail)).trim_end();
    format!("{head}…{tail}")
}

/// Space between two columns (ratatui's `Table` default).
const COLUMN_SPACING: usize = 1;

/// Which columns to show in `width` columns, in their given order, and each one's
/// width. Columns are taken from the most needed down. Each is kept whole if it fits
/// beside those kept before it; else a name takes what is left down to its minimum; and
/// for an essential column the names kept before it are shortened to make room, a column
/// at a time from the widest (of two as wide, the less needed), none below its minimum:
/// a short name stays whole while a long one gives up its middle. A column not kept so is left out, and a
/// less needed, narrower one may still fit after it. The most needed column is always
/// shown, cut to `width` when it alone is wider.
pub fn choose(columns: &[Column], width: usize) -> Vec<(usize, usize)> {
    let widths: Vec<usize> = columns.iter().map(Column::width).collect();
    let minimums: Vec<usize> = columns.iter().map(Column::min_width).collect();
    let mut by_need: Vec<usize> = (0..columns.len()).collect();
    by_need.sort_by_key(|&i| columns[i].need);
    // Kept columns in order of need, each with its width.
    let mut chosen: Vec<(usize, usize)> = Vec::new();
    for i in by_need {
        if chosen.is_empty() {
            chosen.push((i, widths[i].min(width)));
            continue;
        }
        // The kept columns and the space before this one.
        let used: usize = chosen.iter().map(|&(_, w)| w + COLUMN_SPACING).sum();
        // What the names kept so far could give up for an essential column.
        let slack: usize = if columns[i].essential {
            chosen.iter().map(|&(j, w)| w - minimums[j].min(w)).sum()
        } else {
            0
        };
        if used + minimums[i] > width + slack {
            continue;
        }
        let own = widths[i].min(width.saturating_sub(used).max(minimums[i]));
        let mut short = (used + own).saturating_sub(width);
        while short > 0 {
            let widest = chosen
                .iter_mut()
                .filter(|(j, w)| *w > minimums[*j])
                .max_by_key(|(j, w)| (*w, columns[*j].need));
            let Some((_, w)) = widest else {
                unreachable!("the slack covers what is short")
            };
            *w -= 1;
            short -= 1;
        }
        chosen.push((i, own));
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
    let header = Row::new(
        chosen
            .iter()
            .map(|&(i, w)| Cell::from(columns[i].fitted(&columns[i].header, w)))
            .collect::<Vec<_>>(),
    )
    .style(header_style);
    let rows: Vec<Row> = (0..rows_n)
        .map(|r| {
            Row::new(
                chosen
                    .iter()
                    .map(|&(i, w)| match columns[i].cells.get(r) {
                        Some((text, style)) => Cell::from(columns[i].fitted(text, w)).style(*style),
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

    fn name(header: &str, cells: &[&str], need: u8) -> Column {
        Column {
            shrinks: true,
            ..column(header, cells, need)
        }
    }

    /// The rows of a table drawn `width` columns wide, wide characters' hidden cells left
    /// out.
    fn drawn(columns: Vec<Column>, width: u16) -> Vec<String> {
        let rows = columns.iter().map(|c| c.cells.len()).max().unwrap_or(0) as u16 + 1;
        let area = ratatui::layout::Rect::new(0, 0, width, rows);
        let mut buffer = ratatui::buffer::Buffer::empty(area);
        ratatui::widgets::Widget::render(table(columns, width), area, &mut buffer);
        (0..rows)
            .map(|y| {
                let mut line = String::new();
                let mut x = 0;
                while x < width {
                    let symbol = buffer[(x, y)].symbol();
                    line.push_str(symbol);
                    x += i18n::width(symbol).max(1) as u16;
                }
                line.trim_end().to_string()
            })
            .collect()
    }

    fn teams() -> Vec<Column> {
        vec![
            name("team", &["shanghai_mobile_lab", "wujiang_day_1"], 0),
            column("doing", &["sampling", "driving"], 1),
            name("where", &["jiashan_aniline_tanker-down-5km", "border_jinze"], 2),
            column("until", &["D1 05:45 LATE", "D1 04:30"], 3).essential(),
            column("vehicle", &["mobile lab"], 4),
        ]
    }

    #[test]
    fn a_place_gives_up_its_middle_before_the_time_is_left_out() {
        // Whole: 19 + 1 + 8 + 1 + 31 + 1 + 13 = 74 columns.
        assert_eq!(choose(&teams(), 74), vec![(0, 19), (1, 8), (2, 31), (3, 13)]);
        // A column that is not essential takes what is left, never a name's letters.
        assert_eq!(choose(&teams(), 85), vec![(0, 19), (1, 8), (2, 31), (3, 13), (4, 10)]);
        assert_eq!(choose(&teams(), 84), vec![(0, 19), (1, 8), (2, 31), (3, 13)]);
        // 21 columns fewer: the place gives up its middle down to the team's width, then
        // the two names a column each in turn; the time stays whole.
        assert_eq!(choose(&teams(), 53), vec![(0, 15), (1, 8), (2, 14), (3, 13)]);
        assert_eq!(
            drawn(teams(), 53),
            [
                "team            doing    where          until",
                "shangha…ile_lab sampling jiashan…wn-5km D1 05:45 LATE",
                "wujiang_day_1   driving  border_jinze   D1 04:30",
            ]
        );
    }

    #[test]
    fn the_widest_name_gives_up_columns_first_and_none_goes_below_its_minimum() {
        // 52 columns (the teams panel at 80×24): both names at 14.
        assert_eq!(choose(&teams(), 52), vec![(0, 14), (1, 8), (2, 14), (3, 13)]);
        assert_eq!(
            drawn(teams(), 52)[1],
            "shangha…le_lab sampling jiashan…wn-5km D1 05:45 LATE"
        );
        // Both names at their minimums: 10 + 1 + 8 + 1 + 10 + 1 + 13 = 44. One column
        // fewer and the time is left out, the names whole again as far as they fit.
        assert_eq!(choose(&teams(), 44), vec![(0, 10), (1, 8), (2, 10), (3, 13)]);
        assert_eq!(choose(&teams(), 43), vec![(0, 19), (1, 8), (2, 14)]);
    }

    #[test]
    fn a_column_that_is_not_a_name_is_never_shortened_and_names_shrink_only_for_essentials() {
        let columns = || {
            vec![
                name("事件", &["黎里印染二厂锑泄漏"], 0),
                column("方案", &["方案第2版（300 kg）"], 1).essential(),
            ]
        };
        // 18 + 1 + 19 = 38: at 37 the name gives up a column for the plan whole.
        assert_eq!(choose(&columns(), 37), vec![(0, 17), (1, 19)]);
        assert_eq!(drawn(columns(), 37)[1], "黎里印染…厂锑泄漏 方案第2版（300 kg）");
        // The name's minimum is 10: the plan fits in 30, and at 29 it is left out.
        assert_eq!(choose(&columns(), 30), vec![(0, 10), (1, 19)]);
        assert_eq!(choose(&columns(), 29), vec![(0, 18)]);
        // The same plan, not essential: left out rather than the name shortened.
        let mut columns = columns();
        columns[1].essential = false;
        assert_eq!(choose(&columns, 37), vec![(0, 18)]);
    }

    #[test]
    fn a_name_without_its_middle_keeps_whole_characters_at_both_ends() {
        assert_eq!(without_middle("wujiang_antimony-down-1km", 12), "wujian…n-1km");
        assert_eq!(without_middle("长白荡水源地取水口", 13), "长白荡…取水口");
        // 11 columns after the "…" cannot be split 6 + 5 in whole Chinese characters.
        assert_eq!(without_middle("长白荡水源地取水口", 12), "长白荡…水口");
        // No space beside the "…".
        assert_eq!(without_middle("事发点下游 5 km 断面", 12), "事发点…断面");
        for text in [
            "太浦河苏浙交界断面(陶庄)",
            "wj_shengze_dyeing_1",
            "qingpu 青浦 day_1 一组",
        ] {
            for w in 1..=i18n::width(text) {
                let short = without_middle(text, w);
                assert!(i18n::width(&short) <= w, "{short:?} wider than {w}");
                let (head, tail) = short.split_once('…').expect("an ellipsis");
                assert!(text.starts_with(head) && text.ends_with(tail), "{short:?} of {text:?}");
                // Short of `w` by at most a wide character's column and a space each side.
                assert!(i18n::width(&short) + 3 >= w.min(i18n::width(text)), "{short:?} in {w}");
            }
        }
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
