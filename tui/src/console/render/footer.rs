//! The footer: the frequent keys (from the bindings table) and the status line.

use crate::console::action::{Action, BINDINGS, Shown};
use crate::console::app::App;
use crate::i18n;
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
    // Whole keys only: a key whose hint would be cut by the terminal's edge is left out
    // (the help overlay lists it), measured in columns since a Chinese word takes two a
    // character.
    let mut used = 0;
    for b in live_first.chain(others).filter(|b| shown(b.shown, b.action)) {
        let label = format!(" {} ", b.label);
        let word = format!(" {} ", b.short(app.lang));
        used += i18n::width(&label) + i18n::width(&word);
        if used > usize::from(area.width) {
            break;
        }
        keys.push(Span::styled(label, Style::default().fg(Color::Black).bg(Color::Gray)));
        keys.push(Span::raw(word));
    }
    let status = if app.form.is_some() {
        app.lang.t("form-status")
    } else {
        app.status.clone()
    };
    let status = Line::from(Span::styled(status, Style::default().fg(Color::Yellow)));
    frame.render_widget(Paragraph::new(vec![Line::from(keys), status]), area);
}
