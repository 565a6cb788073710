//! Drawing the console: the layout for small and large terminals and one module per
//! panel. Drawing reads the `App` and never changes it.

mod chart;
mod fit;
mod footer;
mod form;
mod help;
mod inbox;
mod incidents;
mod log;
mod map;
mod plan;
mod results;
mod source;
mod teams;

use super::app::{App, Panel, policy_label, speed_label};
use crate::i18n;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Tabs};

/// Smallest terminal the console draws in.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// A panel's frame, highlighted when it has the focus.
fn block(title: &str, focused: bool) -> Block<'static> {
    let style = if focused {
        Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD)
    } else {
        Style::default().fg(Color::Gray)
    };
    Block::default()
        .borders(Borders::ALL)
        .border_style(style)
        .title(Span::styled(format!(" {title} "), style))
}

/// `text` as lines of at most `width` columns, broken between Chinese characters as well
/// as at spaces (`i18n::wrap`): ratatui's word wrapping breaks only at spaces, and moves a
/// Chinese clause after a space whole to the next line.
fn wrapped(text: &str, width: u16) -> Vec<Line<'static>> {
    i18n::wrap(text, usize::from(width))
        .into_iter()
        .map(Line::raw)
        .collect()
}

/// Row highlight of the focused list.
fn highlight() -> Style {
    Style::default().bg(Color::DarkGray).add_modifier(Modifier::BOLD)
}

pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = app.lang.t_args(
            "too-small",
            &[
                ("width", area.width.to_string().into()),
                ("height", area.height.to_string().into()),
                ("min_width", MIN_WIDTH.to_string().into()),
                ("min_height", MIN_HEIGHT.to_string().into()),
            ],
        );
        frame.render_widget(Paragraph::new(wrapped(&text, area.width)), area);
        return;
    }
    let [header, body, footer_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(8), Constraint::Length(2)]).areas(area);
    draw_header(frame, app, header);
    if area.width >= 140 && area.height >= 40 {
        draw_large(frame, app, body);
    } else {
        draw_small(frame, app, body);
    }
    footer::draw(frame, app, footer_area);
    if let Some(form) = &app.form {
        form::draw(frame, app, form, body);
    }
    if app.help {
        help::draw(frame, area, app.lang);
    }
}

fn draw_header(frame: &mut Frame, app: &App, area: Rect) {
    let s = &app.snapshot;
    let l = app.lang;
    let elapsed = (s.now - s.start).seconds().max(0);
    // A journal replayed; a connected read-only seat (evaluator, observer) sees the
    // exercise's own clock state.
    let (state, colour) = if app.read_only && app.read_only_note == "status-read-only" {
        (l.t("state-replay"), Color::Cyan)
    } else if app.paused {
        (l.t("state-paused"), Color::Yellow)
    } else {
        (l.t("state-running"), Color::Green)
    };
    let state = Span::styled(format!(" {state} "), Style::default().fg(Color::Black).bg(colour));
    let controller_view = if app.truth {
        format!("  {}", l.t("header-controller-view"))
    } else {
        String::new()
    };
    let before_title = format!(
        " {}  +{}h{:02}  {}  {}  {}{controller_view}  │ ",
        s.now.clock_label(),
        elapsed / 3600,
        elapsed % 3600 / 60,
        speed_label(l, app.speed),
        l.t_args("header-dispatch", &[("policy", policy_label(l, &s.policy).into())]),
        l.t_args("header-seat", &[("seat", seat_label(app).into())]),
    );
    let mut title = app.drill_title();
    // A title too wide for the line ends in "…" rather than a cut word or character.
    let room = (area.width as usize).saturating_sub(i18n::width(&state.content) + i18n::width(&before_title));
    if i18n::width(&title) > room {
        title = format!("{}…", i18n::truncate(&title, room.saturating_sub(1)));
    }
    let line = Line::from(vec![state, Span::raw(format!("{before_title}{title}"))]);
    frame.render_widget(Paragraph::new(line), area);
}

fn seat_label(app: &App) -> String {
    let l = app.lang;
    match app.seat {
        tripoint_sim::drill::Seat::Command => l.t("seat-command"),
        tripoint_sim::drill::Seat::Controller => l.t("seat-controller"),
        tripoint_sim::drill::Seat::Jurisdiction(j) => {
            // The jurisdiction by its name in Chinese, by its id in English; by its index
            // only where the scenario is not known.
            let name = match &app.scenario {
                Some(scenario) => scenario
                    .jurisdictions
                    .get(j)
                    .map_or_else(|| j.to_string(), |x| l.name(&x.id, &x.name_zh).to_string()),
                None => j.to_string(),
            };
            l.t_args("seat-jurisdiction", &[("jurisdiction", name.into())])
        }
        tripoint_sim::drill::Seat::Evaluator => l.t("seat-evaluator"),
        tripoint_sim::drill::Seat::Observer => l.t("seat-observer"),
    }
}

/// 80×24 and the like: a tab bar, the focused panel beside the map.
fn draw_small(frame: &mut Frame, app: &App, area: Rect) {
    let [tabs_area, main] = Layout::vertical([Constraint::Length(1), Constraint::Min(4)]).areas(area);
    let selected = Panel::ALL.iter().position(|p| *p == app.focus).unwrap_or(0);
    let mut titles: Vec<String> = Panel::ALL
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{} {}", i + 1, app.lang.t(p.message())))
        .collect();
    // Seven titles are wider than 80 columns with a space either side: the spaces go
    // first, then (narrower still) every title but the focused one's name.
    let text_width: usize = titles.iter().map(|t| crate::i18n::width(t)).sum::<usize>() + titles.len() - 1;
    let width = usize::from(tabs_area.width);
    let padding = if text_width + 2 * titles.len() <= width {
        " "
    } else {
        ""
    };
    if text_width > width {
        for (i, title) in titles.iter_mut().enumerate() {
            if i != selected {
                *title = (i + 1).to_string();
            }
        }
    }
    frame.render_widget(
        Tabs::new(titles)
            .select(selected)
            .highlight_style(Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD))
            .padding(padding, padding)
            .divider("│"),
        tabs_area,
    );
    let [left, right] = Layout::horizontal([Constraint::Percentage(33), Constraint::Percentage(67)]).areas(main);
    if app.chart_point.is_some() && matches!(app.focus, Panel::Plan | Panel::Results) {
        chart::draw(frame, app, left);
    } else {
        map::draw(frame, app, left);
    }
    draw_panel(frame, app, app.focus, right, true);
}

/// 160×48 and larger: map and chart on the left; incidents, the focused list and the
/// event log on the right.
fn draw_large(frame: &mut Frame, app: &App, area: Rect) {
    let [left, right] = Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(area);
    let [map_area, chart_area] = Layout::vertical([Constraint::Percentage(62), Constraint::Percentage(38)]).areas(left);
    map::draw(frame, app, map_area);
    chart::draw(frame, app, chart_area);
    let [top, middle, bottom] = Layout::vertical([
        Constraint::Length(6),
        Constraint::Percentage(60),
        Constraint::Percentage(40),
    ])
    .areas(right);
    incidents::draw(frame, app, top, app.focus == Panel::Incidents);
    let listed = if matches!(app.focus, Panel::Incidents | Panel::Log) {
        Panel::Plan
    } else {
        app.focus
    };
    draw_panel(frame, app, listed, middle, listed == app.focus);
    let [inbox_area, log_area] =
        Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(bottom);
    if listed == Panel::Inbox {
        teams::draw(frame, app, inbox_area, false);
    } else {
        inbox::draw(frame, app, inbox_area, false);
    }
    log::draw(frame, app, log_area, app.focus == Panel::Log);
}

fn draw_panel(frame: &mut Frame, app: &App, panel: Panel, area: Rect, focused: bool) {
    match panel {
        Panel::Incidents => incidents::draw(frame, app, area, focused),
        Panel::Plan => plan::draw(frame, app, area, focused),
        Panel::Teams => teams::draw(frame, app, area, focused),
        Panel::Results => results::draw(frame, app, area, focused),
        Panel::Inbox => inbox::draw(frame, app, area, focused),
        Panel::Log => log::draw(frame, app, area, focused),
        Panel::Source => source::draw(frame, app, area, focused),
    }
}

/// `D1 06:30` or a dash.
fn clock(t: Option<tripoint_sim::time::SimTime>) -> String {
    t.map_or("—".to_string(), |t| t.clock_label())
}
