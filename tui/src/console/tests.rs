//! Screens of the console in a fixed state (the two-incident drill at D1 06:00, seed 0):
//! every panel and the whole screen at 80×24 and 160×48, and a key sequence that pauses,
//! selects, asks for a sample and acknowledges an inject, checked on the state, the
//! session and the screen.

use super::action::{Action, BINDINGS};
use super::app::{App, Command, Panel};
use super::render;
use crate::commands::drill::load_drill;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use std::sync::Arc;
use tripoint_sim::drill::view::{self, MapGeometry};
use tripoint_sim::drill::{DrillConfig, Seat, Session};
use tripoint_sim::response::ResponseState;
use tripoint_sim::response::dispatch::PolicyKind;
use tripoint_sim::time::SimTime;

fn session_at(hours: i64, minutes: i64) -> Session {
    let drill = Arc::new(load_drill("two-incidents").unwrap_or_else(|_| panic!("shipped drill")));
    let config = DrillConfig {
        policy: PolicyKind::Unified,
        seed: 0,
        journal: true,
        human_seats: vec![Seat::Command],
    };
    let mut session = Session::new(drill, &config).unwrap();
    session.advance_to(SimTime(hours * 3600 + minutes * 60)).unwrap();
    session
}

fn app_for(session: &Session, chart_point: Option<&str>) -> App {
    let geometry = Arc::new(MapGeometry::of(&session.drill().scenario));
    let snapshot = Arc::new(view::snapshot(session, chart_point, false));
    let mut app = App::new(geometry, snapshot, Seat::Command);
    app.chart_point = chart_point.map(str::to_string);
    app
}

fn screen(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| render::draw(frame, app)).unwrap();
    text_of(terminal.backend().buffer())
}

fn text_of(buffer: &ratatui::buffer::Buffer) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut line = String::new();
        for x in 0..area.width {
            line.push_str(buffer[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Applies the console's commands to a session the way the simulation thread does.
fn apply(session: &mut Session, commands: Vec<Command>) {
    for command in commands {
        if let Command::Act(seat, action) = command {
            session.submit(seat, action).unwrap();
            session.advance_to(session.now()).unwrap();
        }
    }
}

#[test]
fn the_whole_screen_at_80_by_24() {
    let session = session_at(6, 0);
    let mut app = app_for(&session, Some("jinze_intake"));
    app.focus = Panel::Plan;
    insta::assert_snapshot!(screen(&app, 80, 24));
}

#[test]
fn the_whole_screen_at_160_by_48() {
    let session = session_at(6, 0);
    let mut app = app_for(&session, Some("jinze_intake"));
    app.focus = Panel::Plan;
    insta::assert_snapshot!(screen(&app, 160, 48));
}

#[test]
fn every_panel_in_the_small_layout() {
    let session = session_at(6, 0);
    let mut app = app_for(&session, None);
    for (i, panel) in Panel::ALL.iter().enumerate() {
        app.update(Action::Panel(i + 1));
        assert_eq!(app.focus, *panel);
        insta::assert_snapshot!(
            format!("panel_{}", panel.title().to_lowercase().replace(' ', "_")),
            screen(&app, 100, 30)
        );
    }
}

#[test]
fn the_help_overlay_lists_every_binding() {
    let session = session_at(6, 0);
    let mut app = app_for(&session, None);
    app.update(Action::ToggleHelp);
    let text = screen(&app, 100, 40);
    for binding in BINDINGS
        .iter()
        .filter(|b| b.key != crossterm::event::KeyCode::Char('j') && b.key != crossterm::event::KeyCode::Char('k'))
    {
        assert!(text.contains(binding.help), "help lacks {:?}", binding.help);
    }
}

#[test]
fn a_terminal_too_small_says_so() {
    let session = session_at(6, 0);
    let app = app_for(&session, None);
    let text = screen(&app, 40, 10);
    assert!(text.contains("60×16") && text.contains("40×10"), "{text}");
}

#[test]
fn a_key_sequence_pauses_selects_samples_and_acknowledges() {
    let mut session = session_at(5, 10);
    let mut app = app_for(&session, None);
    assert!(app.paused);
    assert_eq!(app.update(Action::TogglePause), vec![Command::Resume]);
    assert_eq!(app.update(Action::TogglePause), vec![Command::Pause]);
    // Select the antimony incident, then the Jinze intake in its plan.
    app.update(Action::Panel(1));
    assert!(app.update(Action::Select).is_empty());
    assert_eq!(app.focus, Panel::Plan);
    let plan = app.plan().unwrap();
    let row = plan.points.iter().position(|p| p.id == "jinze_intake").unwrap();
    for _ in 0..row {
        app.update(Action::Down);
    }
    let commands = app.update(Action::Select);
    assert_eq!(
        commands,
        vec![Command::View {
            chart_point: Some("jinze_intake".into()),
            truth: false
        }]
    );
    // Ask for a sample there now: a task requested by the command seat.
    let commands = app.update(Action::RequestSample);
    assert_eq!(app.status, "sample asked for at jinze_intake");
    apply(&mut session, commands);
    let requested = session
        .world()
        .resource::<ResponseState>()
        .tasks
        .iter()
        .any(|t| t.point_id == "jinze_intake" && t.requested_by.as_deref() == Some("command"));
    assert!(requested, "the request reached the session");
    // Acknowledge the joint command's inject 4 (delivered at 05:00).
    app.set_snapshot(Arc::new(view::snapshot(&session, Some("jinze_intake"), false)));
    app.update(Action::Panel(5));
    let commands = app.update(Action::AcknowledgeInject);
    assert_eq!(app.status, "inject 4 acknowledged");
    apply(&mut session, commands);
    app.set_snapshot(Arc::new(view::snapshot(&session, Some("jinze_intake"), false)));
    let text = screen(&app, 160, 48);
    assert!(text.contains("Inbox — 0 to acknowledge"), "{text}");
    assert!(
        text.contains("inject 4 acknowledged"),
        "the status line says what happened"
    );
    app.update(Action::Panel(6));
    let text = screen(&app, 100, 30);
    assert!(text.contains("command: asks for a sample at jinze_intake"), "{text}");
    assert!(text.contains("command: acknowledges inject 4"), "{text}");
}

#[test]
fn a_replay_is_read_only() {
    let session = session_at(6, 0);
    let mut app = app_for(&session, None);
    app.read_only = true;
    app.update(Action::Panel(5));
    assert!(app.update(Action::AcknowledgeInject).is_empty());
    assert_eq!(app.status, "replay: read-only");
    assert_eq!(
        app.update(Action::TogglePause),
        vec![Command::Resume],
        "time controls still work"
    );
}

#[test]
fn drawing_leaves_the_state_as_it_was() {
    let session = session_at(6, 0);
    let app = app_for(&session, Some("jinze_intake"));
    let before = (app.focus, app.rows, app.status.clone(), app.chart_point.clone());
    let _ = screen(&app, 160, 48);
    let _ = screen(&app, 80, 24);
    assert_eq!(
        before,
        (app.focus, app.rows, app.status.clone(), app.chart_point.clone())
    );
    let _ = Rect::default();
}

/// A console session as the person would leave it: actions at three moments, the journal
/// saved with its header line.
fn recorded_session() -> (super::ConsoleSpec, String) {
    let spec = super::ConsoleSpec {
        target: None,
        policy: "county".into(),
        seed: 5,
        seat: "command".into(),
        version: env!("CARGO_PKG_VERSION").into(),
    };
    let (mut session, seat) = super::prepare(&spec).unwrap();
    let jinze = session.drill().scenario.point_idx("jinze_intake").unwrap();
    // The clock advances in uneven chunks, as it does live.
    for (minutes, action) in [
        (
            2 * 60 + 47,
            Some(tripoint_sim::drill::Action::RequestSample { point: jinze }),
        ),
        (3 * 60 + 3, None),
        (
            4 * 60 + 20,
            Some(tripoint_sim::drill::Action::IntakeAdvice {
                point: jinze,
                close: true,
            }),
        ),
        (5 * 60 + 5, Some(tripoint_sim::drill::Action::Acknowledge { inject: 3 })),
        (6 * 60, None),
    ] {
        session.advance_to(SimTime(minutes * 60)).unwrap();
        if let Some(action) = action {
            super::runner::apply_action(&mut session, seat, action).unwrap();
        }
    }
    let mut text = serde_json::json!({ "console": spec }).to_string();
    for line in session.journal() {
        text.push('\n');
        text.push_str(line);
    }
    (spec, text)
}

#[test]
fn a_saved_console_session_replays_identically() {
    let (spec, text) = recorded_session();
    let lines: Vec<&str> = text.lines().collect();
    assert!(text.contains("\"kind\":\"action\""));
    let (session, seat) = super::prepare(&spec).unwrap();
    let mut recorded = std::collections::VecDeque::new();
    for line in &lines[1..] {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        if value["kind"] == "action" && value["event"]["action"]["seat"] == "command" {
            let action = serde_json::from_value(value["event"]["action"]["action"].clone()).unwrap();
            recorded.push_back((SimTime(value["t_s"].as_i64().unwrap()), seat, action));
        }
    }
    assert_eq!(recorded.len(), 3, "the person's three actions are read back");
    let last = SimTime(6 * 3600);
    let result = super::check_replay("s.jsonl", &lines, session, recorded.clone(), last);
    assert!(result.is_ok(), "{result:?}");
    // A recording that does not match is caught, with its line.
    let tampered = text.replacen("\"point\":8", "\"point\":9", 1);
    let tampered_lines: Vec<&str> = tampered.lines().collect();
    let (session, _) = super::prepare(&spec).unwrap();
    match super::check_replay("s.jsonl", &tampered_lines, session, recorded, last) {
        Err(crate::input::CliError::Diverged(message)) => assert!(message.contains("s.jsonl:"), "{message}"),
        _ => panic!("a tampered journal must diverge"),
    }
}

#[test]
fn a_team_sent_by_hand_crosses_the_border_under_county_policy() {
    let mut session = session_at(3, 10);
    let mut app = app_for(&session, None);
    // Switch to county dispatch, then redirect a team of another county that is on the
    // road to the Jinze intake (Qingpu): every team is busy in this drill.
    let commands = app.update(Action::SwitchPolicy);
    apply(&mut session, commands);
    app.set_snapshot(Arc::new(view::snapshot(&session, None, false)));
    assert_eq!(app.snapshot.policy, "county");
    app.update(Action::Panel(3));
    let row = app
        .snapshot
        .teams
        .iter()
        .position(|t| t.activity == "driving" && t.jurisdiction != "qingpu")
        .expect("a team on the road");
    let team_id = app.snapshot.teams[row].id.clone();
    for _ in 0..row {
        app.update(Action::Down);
    }
    app.update(Action::Select);
    assert_eq!(app.chosen_team, Some(row));
    app.update(Action::Panel(2));
    let plan = app.plan().unwrap();
    let point_row = plan.points.iter().position(|p| p.id == "jinze_intake").unwrap();
    for _ in 0..point_row {
        app.update(Action::Down);
    }
    let commands = app.update(Action::Dispatch);
    assert_eq!(app.status, format!("{team_id} sent to jinze_intake"));
    apply(&mut session, commands);
    let state = session.world().resource::<ResponseState>();
    let team = session
        .drill()
        .scenario
        .teams
        .iter()
        .position(|t| t.id == team_id)
        .unwrap();
    let task = state
        .tasks
        .iter()
        .find(|t| t.team == Some(team) && t.assigned_at == Some(session.now()));
    let task = task.unwrap_or_else(|| panic!("{team_id} was not sent"));
    assert_eq!(task.point_id, "jinze_intake");
}
