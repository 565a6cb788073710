//! The footer: the frequent keys (from the bindings table) and the status line.

use crate::console::action::BINDINGS;
use crate::console::app::App;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let mut keys = Vec::new();
    for b in BINDINGS.iter().filter(|b| b.footer) {
        keys.push(Span::styled(
            format!(" {} ", b.label),
            Style::default().fg(Color::Black).bg(Color::Gray),
        ));
        let word = b.help.split([' ', ':', ',']).next().unwrap_or("");
        keys.push(Span::raw(format!(" {word} ")));
    }
    let status = Line::from(Span::styled(app.status.clone(), Style::default().fg(Color::Yellow)));
    frame.render_widget(Paragraph::new(vec![Line::from(keys), status]), area);
}
