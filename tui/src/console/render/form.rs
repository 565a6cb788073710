//! The form over the panels: its fields with the one being edited marked, each field's
//! hint, and the last submission's problem in red. Drawn from `App::form`.

use crate::console::app::{App, Field, Form, field_label};
use crate::i18n::{self, Lang};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

/// Width of the label column [cells].
const LABEL_WIDTH: usize = 13;

/// Columns a field's value may take in a form `width` wide: inside the borders, after
/// the label column and its space, before the cursor and the choice arrows.
fn room(width: u16, choices: bool) -> usize {
    usize::from(width).saturating_sub(2 + LABEL_WIDTH + 1 + 1 + if choices { 5 } else { 0 })
}

/// The end of `value` that fits in `columns` display columns, after `…` when cut.
fn tail(value: &str, columns: usize) -> String {
    if i18n::width(value) <= columns {
        return value.to_string();
    }
    let mut kept: Vec<char> = Vec::new();
    let mut used = 1; // the `…`
    for c in value.chars().rev() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > columns {
            break;
        }
        used += w;
        kept.push(c);
    }
    std::iter::once('…').chain(kept.into_iter().rev()).collect()
}

/// A field's value as the form shows it: in Chinese one of its choices by its name with
/// the id that is typed after it (`锑（antimony）`, `联合指挥部（command）`); a typed value,
/// an id without another name, and English (whose names are the ids) as it is.
fn shown_value(app: &App, field: &Field) -> String {
    if app.lang == Lang::En || field.value.is_empty() || !field.choices.contains(&field.value) {
        return field.value.clone();
    }
    let name = if field.value == "command" {
        app.lang.t("seat-command")
    } else {
        app.name(&field.value)
    };
    if name == field.value {
        name
    } else {
        app.lang.t_args(
            "form-choice-named",
            &[("name", name.into()), ("id", field.value.clone().into())],
        )
    }
}

pub fn draw(frame: &mut Frame, app: &App, form: &Form, area: Rect) {
    let lang = app.lang;
    // The title whole: the form widens for it up to the terminal, and where even that is
    // too narrow the title leaves out its keys, which the status line below repeats.
    let with_keys = format!(
        " {} ",
        lang.t_args("form-title", &[("title", form.title.as_str().into())])
    );
    let title_w = u16::try_from(i18n::width(&with_keys) + 2).unwrap_or(u16::MAX);
    let width = title_w.clamp(72, area.width.max(72)).min(area.width);
    let title = if title_w <= width {
        with_keys
    } else {
        format!(" {} ", form.title)
    };
    let error_lines = u16::from(form.error.is_some());
    let height = (form.fields.len() as u16 * 2 + 2 + error_lines).min(area.height);
    let popup = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    );
    let mut lines = Vec::new();
    for (i, field) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let label_style = if focused {
            Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD)
        } else {
            Style::default()
        };
        let value_style = if focused {
            Style::default().bg(Color::DarkGray).add_modifier(Modifier::BOLD)
        } else {
            Style::default()
        };
        let mut spans = vec![
            // Right-aligned by display width: a Chinese label's characters take two columns.
            Span::styled(
                format!("{} ", i18n::pad_left(&field_label(lang, field.label), LABEL_WIDTH)),
                label_style,
            ),
            // A value wider than the room left shows its end, where the typing is.
            Span::styled(
                tail(&shown_value(app, field), room(width, !field.choices.is_empty())),
                value_style,
            ),
        ];
        if focused {
            spans.push(Span::styled("▏", Style::default().fg(Color::Yellow)));
        }
        if !field.choices.is_empty() {
            spans.push(Span::styled("  ◀ ▶", Style::default().fg(Color::Gray)));
        }
        lines.push(Line::from(spans));
        lines.push(Line::from(Span::styled(
            format!("{:LABEL_WIDTH$} {}", "", field.hint),
            Style::default().fg(Color::DarkGray),
        )));
    }
    if let Some(error) = &form.error {
        lines.push(Line::from(Span::styled(
            format!("✗ {error}"),
            Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
        )));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(Style::default().fg(Color::Yellow))
        .title(title);
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), popup);
}
