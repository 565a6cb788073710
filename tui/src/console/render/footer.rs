//! The footer: the frequent keys (from the bindings table) and the status line.

use crate::console::action::{Action, BINDINGS, Shown};
use crate::console::app::App;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let mut keys = Vec::new();
    // A live session has no injects to acknowledge: its footer makes room for declaring
    // incidents and entering results, and keeps pause, select, help and quit.
    let shown = |shown: Shown, action: Action| match shown {
        Shown::Footer if app.live => matches!(
            action,
            Action::TogglePause | Action::Select | Action::ToggleHelp | Action::Quit
        ),
        Shown::Footer => true,
        Shown::LiveFooter => app.live,
        Shown::Help => false,
    };
    let live_first = BINDINGS.iter().filter(|b| b.shown == Shown::LiveFooter);
    let others = BINDINGS.iter().filter(|b| b.shown != Shown::LiveFooter);
    for b in live_first.chain(others).filter(|b| shown(b.shown, b.action)) {
        keys.push(Span::styled(
            format!(" {} ", b.label),
            Style::default().fg(Color::Black).bg(Color::Gray),
        ));
        let help = b.help.strip_prefix("live: ").unwrap_or(b.help);
        let word = help.split([' ', ':', ',']).next().unwrap_or("");
        keys.push(Span::raw(format!(" {word} ")));
    }
    let status = if app.form.is_some() {
        "form: type (ctrl-u clears), tab moves, ←/→ choose, enter submits, esc cancels".to_string()
    } else {
        app.status.clone()
    };
    let status = Line::from(Span::styled(status, Style::default().fg(Color::Yellow)));
    frame.render_widget(Paragraph::new(vec![Line::from(keys), status]), area);
}
