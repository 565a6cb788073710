//! Screens of the console in a fixed state (the two-incident drill at D1 06:00, seed 0):
//! every panel and the whole screen at 80×24 and 160×48, and a key sequence that pauses,
//! selects, asks for a sample and acknowledges an inject, checked on the state, the
//! session and the screen.

use super::action::{Action, BINDINGS};
use super::app::{App, Command, FormKind, Panel};
use super::render;
use crate::commands::drill::load_drill;
use crate::i18n::Lang;
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
    app.scenario = Some(session.drill().scenario.clone());
    app.drill = Some(session.drill_shared());
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
        // A wide character (Chinese: two columns) fills its cell and hides the next one.
        let mut hidden = 0;
        for x in 0..area.width {
            if hidden > 0 {
                hidden -= 1;
                continue;
            }
            let symbol = buffer[(x, y)].symbol();
            hidden = crate::i18n::width(symbol).saturating_sub(1);
            line.push_str(symbol);
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
    // Two columns at this height; each help text whole.
    let text = screen(&app, 160, 40);
    for binding in BINDINGS
        .iter()
        .filter(|b| b.key != crossterm::event::KeyCode::Char('j') && b.key != crossterm::event::KeyCode::Char('k'))
    {
        let help = binding.help(Lang::En);
        assert!(text.contains(&help), "help lacks {help:?}");
    }
    // At 80×24 too, in two columns of 31 columns of text: none cut, and none running
    // into the next column's key (a space after each text in the left column).
    let text = screen(&app, 80, 24);
    for binding in BINDINGS {
        let help = binding.help(Lang::En);
        assert!(text.contains(&help), "help lacks {help:?} at 80×24:\n{text}");
        let glued = text
            .match_indices(help.as_str())
            .any(|(at, _)| text[at + help.len()..].starts_with(|c: char| c != ' ' && c != '│' && c != '\n'));
        assert!(!glued, "{help:?} runs into the next column at 80×24:\n{text}");
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
    // Contingency C1 (no sample at the Jinze border section by 05:00) is still open: the
    // teams' rounds at the HJ 589 points (three verticals across the Taipu) keep them busy.
    assert!(text.contains("Inbox — 1 to acknowledge"), "{text}");
    assert!(text.contains("● D1 05:00 #C1"), "{text}");
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
        live_start_s: None,
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
                incident: Some(0),
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
    let recorded = read_back(&lines, seat);
    assert_eq!(recorded.len(), 3, "the person's three actions are read back");
    let last = SimTime(6 * 3600);
    let result = super::check_replay(
        "s.jsonl",
        &lines,
        session,
        recorded.clone(),
        last,
        &crate::journal::Ending::Closed,
    );
    assert!(result.is_ok(), "{result:?}");
    // A recording that does not match is caught, with its line.
    let tampered = text.replacen("\"point\":8", "\"point\":9", 1);
    let tampered_lines: Vec<&str> = tampered.lines().collect();
    let (session, _) = super::prepare(&spec).unwrap();
    match super::check_replay(
        "s.jsonl",
        &tampered_lines,
        session,
        recorded,
        last,
        &crate::journal::Ending::Closed,
    ) {
        Err(crate::input::CliError::Diverged(message)) => assert!(message.contains("s.jsonl:"), "{message}"),
        _ => panic!("a tampered journal must diverge"),
    }
}

#[test]
fn a_console_journal_cut_short_is_never_identical() {
    // A saved console journal ends with its closing record; with its tail deleted, even
    // down to the header, the replay checks what is there and says where it stops.
    let (spec, text) = recorded_session();
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    let dir = std::env::temp_dir().join(format!("tripoint-console-cut-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("s.jsonl");
    crate::journal::write(&path, &lines).unwrap();
    let saved = std::fs::read_to_string(&path).unwrap();
    let all: Vec<&str> = saved.lines().collect();
    let last = SimTime(6 * 3600);
    let replay = |kept: &[&str]| {
        let (body, ending) = crate::journal::body(kept);
        let (session, seat) = super::prepare(&spec).unwrap();
        let recorded = read_back(body, seat);
        super::check_replay("s.jsonl", body, session, recorded, last, &ending)
    };
    assert!(replay(&all).is_ok(), "the whole journal replays");
    let n = all.len();
    for keep in [n - 1, n / 2, 2, 1] {
        match replay(&all[..keep]) {
            Err(crate::input::CliError::Input(message)) => {
                assert!(
                    message.contains(&format!("stops after line {keep}")),
                    "{keep}: {message}"
                );
            }
            other => panic!("{keep} of {n} lines: {other:?}"),
        }
    }
    std::fs::remove_dir_all(&dir).ok();
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

/// The person's actions in a saved journal, as `tripoint replay` reads them.
fn read_back(lines: &[&str], seat: Seat) -> std::collections::VecDeque<super::runner::Recorded> {
    let mut recorded = std::collections::VecDeque::new();
    for line in &lines[1..] {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        let event = &value["event"]["action"];
        if value["kind"] == "action" && event["seat"] == "command" {
            recorded.push_back(super::runner::Recorded {
                request: None,
                at: SimTime(value["t_s"].as_i64().unwrap()),
                after_events: event["after_events"].as_u64(),
                seat,
                action: serde_json::from_value(event["action"].clone()).unwrap(),
            });
        }
    }
    recorded
}

/// The journal a console saves: its header line, then the session's events.
fn saved(spec: &super::ConsoleSpec, session: &Session) -> String {
    let mut text = serde_json::json!({ "console": spec }).to_string();
    for line in session.journal() {
        text.push('\n');
        text.push_str(line);
    }
    text
}

/// Runs `session` to `last`, saves its journal as the console does, and replays it as
/// `tripoint replay` would, asserting the replay agrees line for line; returns the saved
/// text and how many of the command's actions it recorded.
fn replays_line_for_line(spec: &super::ConsoleSpec, session: &mut Session, last: SimTime) -> (String, usize) {
    session.advance_to(last).unwrap();
    let text = saved(spec, session);
    let lines: Vec<&str> = text.lines().collect();
    let (again, seat) = super::prepare(spec).unwrap();
    let recorded = read_back(&lines, seat);
    let n_recorded = recorded.len();
    let result = super::check_replay(
        "live.jsonl",
        &lines,
        again,
        recorded,
        last,
        &crate::journal::Ending::Closed,
    );
    assert!(result.is_ok(), "{result:?}");
    (text, n_recorded)
}

fn key(code: crossterm::event::KeyCode) -> crossterm::event::KeyEvent {
    crossterm::event::KeyEvent::new(code, crossterm::event::KeyModifiers::NONE)
}

/// Types text into the open form's field, replacing what was there.
fn type_in(app: &mut App, text: &str) {
    use crossterm::event::KeyCode;
    assert!(app.form.is_some(), "a form is open");
    let ctrl_u = crossterm::event::KeyEvent::new(KeyCode::Char('u'), crossterm::event::KeyModifiers::CONTROL);
    app.form_key(ctrl_u);
    let form = app.form.as_ref().unwrap();
    assert_eq!(form.fields[form.focus].value, "", "ctrl-u clears the field");
    for c in text.chars() {
        assert!(app.form_key(key(KeyCode::Char(c))).is_empty());
    }
}

fn refresh(app: &mut App, session: &Session) {
    app.set_snapshot(Arc::new(view::snapshot(session, app.chart_point.as_deref(), false)));
}

fn select_plan_point(app: &mut App, id: &str) {
    app.update(Action::Panel(2));
    let row = app.plan().unwrap().points.iter().position(|p| p.id == id).unwrap();
    while app.selected_row(Panel::Plan) > row {
        app.update(Action::Up);
    }
    while app.selected_row(Panel::Plan) < row {
        app.update(Action::Down);
    }
}

#[test]
fn plan_keys_approve_remove_add_and_change_an_interval() {
    use crossterm::event::KeyCode;
    use tripoint_sim::response::TaskStatus;
    let mut session = session_at(3, 10);
    let mut app = app_for(&session, None);
    app.update(Action::Panel(1));
    app.update(Action::Select);
    let plan = app.plan().unwrap().clone();
    assert!(plan.approved.is_none());
    assert!(screen(&app, 160, 48).contains(&format!("wujiang_antimony r{} PROPOSED", plan.revision)));
    // A: approve the revision shown.
    let commands = app.update(Action::ApprovePlan);
    assert_eq!(
        app.status,
        format!("plan r{} of wujiang_antimony approved", plan.revision)
    );
    apply(&mut session, commands);
    refresh(&mut app, &session);
    let approved = app.plan().unwrap().approved.clone().expect("approved");
    assert_eq!(approved, (session.now(), "command".to_string()));
    app.update(Action::ApprovePlan);
    assert!(app.status.contains("already approved"), "{}", app.status);
    // x: remove the Lili section; its waiting tasks are cancelled.
    select_plan_point(&mut app, "lili_section");
    let commands = app.update(Action::RemovePoint);
    apply(&mut session, commands);
    refresh(&mut app, &session);
    let state = session.world().resource::<ResponseState>();
    assert!(
        state
            .tasks
            .iter()
            .filter(|t| t.point_id == "lili_section" && t.incident == 0)
            .all(|t| !matches!(t.status, TaskStatus::Planned | TaskStatus::Open))
    );
    assert!(!app.plan().unwrap().points.iter().any(|p| p.id == "lili_section"));
    assert!(app.plan().unwrap().addable.contains(&"lili_section".to_string()));
    // i: add it back, chosen with ←/→ in the form.
    assert!(app.update(Action::AddPoint).is_empty());
    let form = app.form.as_ref().expect("the add form is open");
    let choices = form.fields[0].choices.clone();
    let steps = choices.iter().position(|c| c == "lili_section").unwrap();
    for _ in 0..steps {
        app.form_key(key(KeyCode::Right));
    }
    insta::assert_snapshot!("add_point_form_80x24", screen(&app, 80, 24));
    let commands = app.form_key(key(KeyCode::Enter));
    assert!(app.form.is_none());
    assert_eq!(
        commands,
        vec![Command::Act(
            Seat::Command,
            tripoint_sim::drill::Action::AddPlanPoint {
                incident: 0,
                point: "lili_section".into()
            }
        )]
    );
    apply(&mut session, commands);
    refresh(&mut app, &session);
    assert!(app.plan().unwrap().points.iter().any(|p| p.id == "lili_section"));
    // f: every 30 min at the Jinze intake; a bad value is refused in the form.
    select_plan_point(&mut app, "jinze_intake");
    app.update(Action::SetInterval);
    type_in(&mut app, "2");
    assert!(app.form_key(key(KeyCode::Enter)).is_empty());
    assert_eq!(
        app.form.as_ref().unwrap().error.as_deref(),
        Some("every (min): expected 5 to 1440")
    );
    type_in(&mut app, "thirty");
    app.form_key(key(KeyCode::Enter));
    assert!(screen(&app, 80, 24).contains("is not a whole number of minutes"));
    type_in(&mut app, "30");
    let commands = app.form_key(key(KeyCode::Enter));
    apply(&mut session, commands);
    refresh(&mut app, &session);
    let jinze = app
        .plan()
        .unwrap()
        .points
        .iter()
        .find(|p| p.id == "jinze_intake")
        .unwrap();
    assert_eq!(jinze.dense_min, 30);
    // Esc cancels a form without acting.
    app.update(Action::SetInterval);
    assert!(app.form_key(key(KeyCode::Esc)).is_empty());
    assert!(app.form.is_none());
    assert_eq!(app.status, "cancelled");
    insta::assert_snapshot!("edited_plan_160x48", screen(&app, 160, 48));
}

#[test]
fn h_asks_for_mutual_aid_at_the_selected_point() {
    let mut session = session_at(3, 10);
    let mut app = app_for(&session, None);
    apply(&mut session, app.update(Action::SwitchPolicy));
    refresh(&mut app, &session);
    app.update(Action::Panel(1));
    app.update(Action::Select);
    select_plan_point(&mut app, "jinze_intake");
    let commands = app.update(Action::MutualAid);
    assert_eq!(app.status, "help asked for at jinze_intake");
    apply(&mut session, commands);
    refresh(&mut app, &session);
    let state = session.world().resource::<ResponseState>();
    assert!(
        state
            .tasks
            .iter()
            .filter(|t| t.point_id == "jinze_intake" && t.due >= session.now())
            .all(|t| t.mutual_aid_requested)
    );
    let jinze = app
        .plan()
        .unwrap()
        .points
        .iter()
        .find(|p| p.id == "jinze_intake")
        .unwrap();
    assert!(jinze.mutual_aid);
    assert!(screen(&app, 160, 48).contains("jinze_intake ⇄"));
    // Elsewhere than the plan, h says what to select.
    app.update(Action::Panel(3));
    assert!(app.update(Action::MutualAid).is_empty());
    assert_eq!(app.status, "select a point in the plan (2) first");
}

fn live_spec() -> super::ConsoleSpec {
    super::ConsoleSpec {
        target: None,
        policy: "unified".into(),
        seed: 2,
        seat: "command".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        live_start_s: Some(6 * 3600),
    }
}

#[test]
fn a_live_session_declares_an_incident_enters_results_and_replays() {
    use crossterm::event::KeyCode;
    let spec = live_spec();
    let (mut session, _) = super::prepare(&spec).unwrap();
    assert_eq!(session.now(), SimTime(6 * 3600));
    let mut app = app_for(&session, None);
    assert!(app.live);
    let footer = screen(&app, 80, 24);
    assert!(footer.contains(" I  declare  E  revise  e  enter"), "{footer}");
    assert!(footer.contains(" ?  help  q  quit"), "{footer}");
    // I: the declaration form; a bad place is refused in the form.
    assert!(app.update(Action::DeclareIncident).is_empty());
    type_in(&mut app, "atlantis");
    app.form_key(key(KeyCode::Tab));
    type_in(&mut app, "antimony");
    app.form_key(key(KeyCode::Tab));
    type_in(&mut app, "150");
    app.form_key(key(KeyCode::Tab));
    type_in(&mut app, "05:10");
    assert!(app.form_key(key(KeyCode::Enter)).is_empty());
    let error = app.form.as_ref().unwrap().error.clone().unwrap();
    assert_eq!(error, "place: no node, reach or point named \"atlantis\"");
    insta::assert_snapshot!("declare_form_with_error_80x24", screen(&app, 80, 24));
    insta::assert_snapshot!("declare_form_with_error_160x48", screen(&app, 160, 48));
    app.form_key(key(KeyCode::BackTab));
    app.form_key(key(KeyCode::BackTab));
    app.form_key(key(KeyCode::BackTab));
    type_in(&mut app, "wj_lili_dyeing_2");
    let commands = app.form_key(key(KeyCode::Enter));
    assert!(app.form.is_none(), "accepted");
    assert_eq!(app.status, "150 kg of antimony at wj_lili_dyeing_2 declared");
    for command in commands {
        if let Command::Act(seat, action) = command {
            super::runner::apply_action(&mut session, seat, action).unwrap();
        }
    }
    assert_eq!(session.drill().scenario.incidents.len(), 1);
    session.advance_to(SimTime(7 * 3600 + 13 * 60)).unwrap();
    refresh(&mut app, &session);
    app.update(Action::Panel(1));
    app.update(Action::Select);
    assert_eq!(app.plan().unwrap().estimated_mass_kg, 150.0);
    // e: a result at the Jinze intake, far over the forecast.
    select_plan_point(&mut app, "jinze_intake");
    app.update(Action::EnterResult);
    assert_eq!(app.form.as_ref().unwrap().fields[0].value, "jinze_intake");
    app.form_key(key(KeyCode::Tab));
    type_in(&mut app, "D1 09:00");
    app.form_key(key(KeyCode::Tab));
    type_in(&mut app, "0.02");
    assert!(app.form_key(key(KeyCode::Enter)).is_empty());
    assert!(
        app.form
            .as_ref()
            .unwrap()
            .error
            .as_deref()
            .unwrap()
            .starts_with("taken at: D1 09:00 is later than now")
    );
    app.form_key(key(KeyCode::BackTab));
    type_in(&mut app, "07:10");
    let commands = app.form_key(key(KeyCode::Enter));
    for command in commands {
        if let Command::Act(seat, action) = command {
            super::runner::apply_action(&mut session, seat, action).unwrap();
        }
    }
    let state = session.world().resource::<ResponseState>();
    let entered = state.samples.iter().find(|s| s.result_known).expect("the result is in");
    assert_eq!(
        (entered.point_id.as_str(), entered.reported_mg_l, entered.taken_at),
        ("jinze_intake", 0.02, SimTime(7 * 3600 + 600))
    );
    // E: a new estimate of the mass; the plan follows it.
    session.advance_to(SimTime(7 * 3600 + 30 * 60)).unwrap();
    refresh(&mut app, &session);
    app.update(Action::Panel(1));
    app.update(Action::ReviseIncident);
    let form = app.form.as_ref().unwrap();
    assert_eq!(form.fields[0].value, "wj_lili_dyeing_2");
    assert_eq!(form.fields[3].value, "D1 05:10");
    app.form_key(key(KeyCode::Tab));
    app.form_key(key(KeyCode::Tab));
    type_in(&mut app, "400");
    for command in app.form_key(key(KeyCode::Enter)) {
        if let Command::Act(seat, action) = command {
            super::runner::apply_action(&mut session, seat, action).unwrap();
        }
    }
    let plan = session.world().resource::<ResponseState>().plans[0].clone().unwrap();
    assert_eq!(plan.estimated_mass_kg, 400.0);
    refresh(&mut app, &session);
    insta::assert_snapshot!("live_session_80x24", screen(&app, 80, 24));
    // The saved journal replays line for line.
    let (_, n_recorded) = replays_line_for_line(&spec, &mut session, SimTime(9 * 3600));
    assert_eq!(n_recorded, 3, "declare, result, revision");
}

#[test]
fn declaring_an_incident_is_for_live_sessions_only() {
    let session = session_at(6, 0);
    let mut app = app_for(&session, None);
    assert!(app.update(Action::DeclareIncident).is_empty());
    assert!(app.form.is_none());
    assert_eq!(app.status, "live sessions only: tripoint console SCENARIO.toml --live");
}

#[test]
fn an_action_between_two_events_of_one_second_replays_in_place() {
    let spec = super::ConsoleSpec {
        target: None,
        policy: "unified".into(),
        seed: 1,
        seat: "command".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        live_start_s: None,
    };
    let (mut session, seat) = super::prepare(&spec).unwrap();
    let jinze = session.drill().scenario.point_idx("jinze_intake").unwrap();
    session.advance_to(SimTime(2 * 3600 + 40 * 60)).unwrap();
    // Step with `.` until another event waits at the same second, then act there.
    let mut n_between = 0;
    for _ in 0..20_000 {
        session.step().unwrap();
        if session.next_time() == Some(session.now()) {
            let action = tripoint_sim::drill::Action::RequestSample { point: jinze };
            super::runner::apply_action(&mut session, seat, action).unwrap();
            n_between += 1;
            if n_between == 3 {
                break;
            }
        }
    }
    assert_eq!(n_between, 3, "three actions between events of one second");
    let last = session.now() + tripoint_sim::time::SimDuration::from_hours(1);
    session.advance_to(last).unwrap();
    let text = saved(&spec, &session);
    let lines: Vec<&str> = text.lines().collect();
    let (again, seat) = super::prepare(&spec).unwrap();
    let recorded = read_back(&lines, seat);
    assert!(recorded.iter().all(|r| r.after_events.is_some()));
    let result = super::check_replay(
        "stepped.jsonl",
        &lines,
        again,
        recorded.clone(),
        last,
        &crate::journal::Ending::Closed,
    );
    assert!(result.is_ok(), "{result:?}");
    // Without the event counts (an older journal), the actions land after their second.
    let (again, _) = super::prepare(&spec).unwrap();
    let old: std::collections::VecDeque<_> = recorded
        .into_iter()
        .map(|r| super::runner::Recorded {
            request: None,
            after_events: None,
            ..r
        })
        .collect();
    assert!(
        super::check_replay(
            "stepped.jsonl",
            &lines,
            again,
            old,
            last,
            &crate::journal::Ending::Closed
        )
        .is_err()
    );
}

#[test]
fn the_map_zooms_on_the_selected_point_pans_and_resets() {
    use crate::console::action::Action;
    let session = session_at(4, 0);
    let mut app = app_for(&session, Some("jinze_intake"));
    let whole = screen(&app, 160, 48);
    let zone = app.geometry.bounds;
    app.update(Action::ZoomIn);
    assert_eq!(app.map.zoom, 1);
    let jinze = app
        .geometry
        .points
        .iter()
        .find(|p| p.id == "jinze_intake")
        .unwrap()
        .clone();
    assert_eq!(
        app.map.centre,
        Some((jinze.lon, jinze.lat)),
        "zoomed on the charted point"
    );
    let zoomed = screen(&app, 160, 48);
    assert!(zoomed.contains("Map ×2"), "{zoomed}");
    assert_ne!(whole, zoomed);
    let (w, _, e, _) = app.map.bounds(zone);
    assert!(((e - w) - (zone.2 - zone.0) / 2.0).abs() < 1e-9, "half the width");
    app.update(Action::Pan { east: 1, north: 0 });
    assert!((app.map.centre.unwrap().0 - (jinze.lon + (e - w) / 4.0).min(zone.2)).abs() < 1e-9);
    for _ in 0..10 {
        app.update(Action::Pan { east: 1, north: 1 });
    }
    let (x, y) = app.map.centre.unwrap();
    assert!(x <= zone.2 && y <= zone.3, "the centre stays inside the zone");
    for _ in 0..10 {
        app.update(Action::ZoomIn);
    }
    assert_eq!(app.map.zoom, crate::console::app::MAP_ZOOM_MAX);
    app.update(Action::ResetMap);
    assert_eq!(app.map, crate::console::app::MapView::default());
    // The same screen as before zooming, but for the status line.
    let without_status = |s: &str| s.lines().take(47).collect::<Vec<_>>().join("\n");
    assert_eq!(without_status(&screen(&app, 160, 48)), without_status(&whole));
    // A replay may look around too.
    app.read_only = true;
    app.update(Action::ZoomIn);
    assert_eq!(app.map.zoom, 1);
}

#[test]
fn a_controller_s_session_replays_without_applying_the_script_s_releases_twice() {
    // The drill releases an ad-hoc inject itself, as the controller, at the time its
    // script gives; the replay schedules that release again, so it is not the person's.
    let dir = std::env::temp_dir().join(format!("tripoint-console-adhoc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = include_str!("../../../scripts/drills/two-incidents.rhai").replacen(
        "adhoc(#{ number: \"A1\", from",
        "adhoc(#{ number: \"A1\", at: \"0:30\", from",
        1,
    );
    assert!(
        script.contains("at: \"0:30\", from"),
        "the ad-hoc inject of the shipped drill"
    );
    let path = dir.join("adhoc.rhai");
    std::fs::write(&path, script).unwrap();
    let spec = super::ConsoleSpec {
        target: Some(path.to_str().unwrap().to_string()),
        policy: "unified".into(),
        seed: 0,
        seat: "controller".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        live_start_s: None,
    };
    let (mut session, seat) = super::prepare(&spec).unwrap();
    let start = session.drill().start;
    session
        .advance_to(start + tripoint_sim::time::SimDuration::from_hours(1))
        .unwrap();
    super::runner::apply_action(&mut session, seat, tripoint_sim::drill::Action::MediaStatement).unwrap();
    session
        .advance_to(start + tripoint_sim::time::SimDuration::from_hours(2))
        .unwrap();
    let text = saved(&spec, &session);
    assert!(
        text.contains("\"release_inject\""),
        "the script's release is in the journal"
    );
    let lines: Vec<&str> = text.lines().collect();
    let (replayed, _) = super::prepare(&spec).unwrap();
    let (recorded, last) = super::read_recorded("c.jsonl", &lines, &replayed, |r| {
        super::person_s_action(replayed.drill(), seat, r)
    })
    .unwrap();
    assert_eq!(
        recorded.len(),
        1,
        "the person's statement, not the script's release: {recorded:?}"
    );
    let result = super::check_replay(
        "c.jsonl",
        &lines,
        replayed,
        recorded,
        last,
        &crate::journal::Ending::Closed,
    );
    assert!(result.is_ok(), "{result:?}");
    std::fs::remove_dir_all(&dir).ok();
}

/// The console in Chinese: the same state as the English screens.
fn chinese_app(session: &Session, chart_point: Option<&str>) -> App {
    let mut app = app_for(session, chart_point).with_lang(Lang::ZhCn);
    app.focus = Panel::Plan;
    app
}

#[test]
fn the_whole_screen_in_chinese_at_80_by_24() {
    let session = session_at(6, 0);
    let app = chinese_app(&session, Some("jinze_intake"));
    let text = screen(&app, 80, 24);
    for whole in [
        "应急监测方案",
        "监测点位",
        "应采",
        "状态",
        "已暂停",
        "席位：联合指挥部",
        "暂停",
        "帮助",
    ] {
        assert!(text.contains(whole), "{whole:?} missing or cut:\n{text}");
    }
    insta::assert_snapshot!("chinese_screen_80x24", text);
}

#[test]
fn the_whole_screen_in_chinese_at_160_by_48() {
    let session = session_at(6, 0);
    let app = chinese_app(&session, Some("jinze_intake"));
    let text = screen(&app, 160, 48);
    for whole in [
        "金泽水库取水口 — 锑 [mg/L]，标准限值 0.0050",
        "方案 — 黎里印染二厂锑泄漏 第2版 待批准 · 300 kg",
        "长白荡水源地取水口          ",
        "04:45 逾期",
        "收件箱 — 待确认",
        "事件日志（最新在前）",
        "统一调度",
    ] {
        assert!(text.contains(whole), "{whole:?} missing or cut:\n{text}");
    }
    insta::assert_snapshot!("chinese_screen_160x48", text);
}

#[test]
fn every_panel_in_chinese_names_its_places_and_teams() {
    let session = session_at(6, 0);
    let mut app = chinese_app(&session, None);
    app.update(Action::Panel(3));
    let teams = screen(&app, 160, 48);
    assert!(
        teams.contains("吴江区值班采样组") && teams.contains("采样中"),
        "{teams}"
    );
    app.update(Action::Panel(1));
    // At 100×30 the incidents' jurisdictions and pollutants are left out (each named in
    // its incident's name); at 160×48 they show.
    let incidents = screen(&app, 100, 30);
    assert!(
        incidents.contains("获知时间") && incidents.contains("黎里印染二厂锑泄漏"),
        "{incidents}"
    );
    let incidents = screen(&app, 160, 48);
    assert!(
        incidents.contains("吴江区") && incidents.contains("嘉善县") && incidents.contains("苯胺"),
        "{incidents}"
    );
}

#[test]
fn the_help_overlay_in_chinese_lists_every_binding_whole_at_both_sizes() {
    let session = session_at(6, 0);
    let mut app = app_for(&session, None).with_lang(Lang::ZhCn);
    app.update(Action::ToggleHelp);
    let text = screen(&app, 160, 40);
    assert!(text.contains("按键 — ? 或 Esc 关闭"), "{text}");
    for binding in BINDINGS
        .iter()
        .filter(|b| b.key != crossterm::event::KeyCode::Char('j') && b.key != crossterm::event::KeyCode::Char('k'))
    {
        let help = binding.help(Lang::ZhCn);
        assert!(text.contains(&help), "help lacks {help:?}:\n{text}");
    }
    // At 80×24 too, in two columns, no Chinese help text is cut.
    let text = screen(&app, 80, 24);
    for binding in BINDINGS {
        let help = binding.help(Lang::ZhCn);
        assert!(text.contains(&help), "help lacks {help:?} at 80×24:\n{text}");
    }
}

#[test]
fn a_chinese_form_aligns_its_labels_by_display_width() {
    let spec = live_spec();
    let (session, _) = super::prepare(&spec).unwrap();
    let mut app = app_for(&session, None).with_lang(Lang::ZhCn);
    app.update(Action::DeclareIncident);
    type_in(&mut app, "wj_lili_dyeing_2");
    app.form_key(key(crossterm::event::KeyCode::Tab));
    app.form_key(key(crossterm::event::KeyCode::Tab));
    type_in(&mut app, "abc");
    assert!(app.form_key(key(crossterm::event::KeyCode::Enter)).is_empty());
    assert_eq!(
        app.form.as_ref().unwrap().error.as_deref(),
        Some("质量（kg）：\"abc\" 不是数字")
    );
    let text = screen(&app, 80, 24);
    // Every label ends in the same column: 13 columns and a space before the value.
    let columns: Vec<usize> = ["地点 wj_lili", "污染物 锑（antimony）", "质量（kg） abc", "排放时间 D1"]
        .iter()
        .map(|label| {
            let line = text
                .lines()
                .find(|l| l.contains(label))
                .unwrap_or_else(|| panic!("{label}:\n{text}"));
            let (before, _) = line.split_once(label).unwrap();
            crate::i18n::width(before) + crate::i18n::width(label.split(' ').next().unwrap())
        })
        .collect();
    assert!(columns.windows(2).all(|w| w[0] == w[1]), "{columns:?}:\n{text}");
    insta::assert_snapshot!("chinese_declare_form_80x24", text);
}

/// The declaration of 150 kg of antimony at the Lili dyeing works at 05:10, as the form
/// makes it.
fn declare(app: &mut App) -> Vec<Command> {
    use crossterm::event::KeyCode;
    assert!(app.update(Action::DeclareIncident).is_empty());
    type_in(app, "wj_lili_dyeing_2");
    app.form_key(key(KeyCode::Tab));
    type_in(app, "antimony");
    app.form_key(key(KeyCode::Tab));
    type_in(app, "150");
    app.form_key(key(KeyCode::Tab));
    type_in(app, "05:10");
    let commands = app.form_key(key(KeyCode::Enter));
    assert!(
        app.form.is_none(),
        "accepted: {:?}",
        app.form.as_ref().and_then(|f| f.error.clone())
    );
    commands
}

fn recorder_for(location: &str, session: &Session) -> crate::commands::db_record::SessionRecorder {
    let db = tripoint_db::Database::open(location).unwrap();
    crate::commands::db_record::SessionRecorder::begin(db, session, "live", "unified", 2, None, false).unwrap()
}

fn one(db: &mut tripoint_db::Database, sql: &str) -> Vec<tripoint_db::Value> {
    db.query(sql, &[]).unwrap().remove(0)
}

#[test]
fn a_live_session_writes_its_incident_results_and_plans_to_the_database_as_they_happen() {
    use crossterm::event::KeyCode;
    let dir = std::env::temp_dir().join(format!("tripoint-console-live-db-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let location = dir.join("live.sqlite").display().to_string();
    let (mut session, _) = super::prepare(&live_spec()).unwrap();
    let mut recorder = recorder_for(&location, &session);
    let mut db = tripoint_db::Database::open(&location).unwrap();
    // The run is begun when the session opens, empty, in progress.
    assert_eq!(
        one(
            &mut db,
            "SELECT id, kind, in_progress, (SELECT COUNT(*) FROM incidents) FROM runs"
        ),
        vec![
            tripoint_db::Value::Int(1),
            tripoint_db::Value::Text("live".into()),
            tripoint_db::Value::Int(1),
            tripoint_db::Value::Int(0)
        ]
    );
    let mut app = app_for(&session, None);
    for command in declare(&mut app) {
        if let Command::Act(seat, action) = command {
            super::runner::apply_action(&mut session, seat, action).unwrap();
        }
    }
    // Written as declared: nothing waits for the end of the session.
    assert!(recorder.needs_write(&session));
    assert_eq!(recorder.checkpoint(&mut session), None, "written without a word");
    assert!(!recorder.needs_write(&session), "nothing new since");
    let row = one(&mut db, "SELECT COUNT(*), MIN(pollutant) FROM incidents");
    assert_eq!(row[0], tripoint_db::Value::Int(1));
    assert_eq!(row[1], tripoint_db::Value::Text("antimony".into()));
    // Its plan, when issued.
    session.advance_to(SimTime(7 * 3600 + 13 * 60)).unwrap();
    recorder.checkpoint(&mut session);
    let plans = one(&mut db, "SELECT COUNT(*) FROM plan_revisions")[0].int().unwrap();
    assert!(plans >= 1, "the plan");

    // A result typed in: written when entered, with its sample.
    refresh(&mut app, &session);
    app.update(Action::Panel(1));
    app.update(Action::Select);
    select_plan_point(&mut app, "jinze_intake");
    app.update(Action::EnterResult);
    app.form_key(key(KeyCode::Tab));
    type_in(&mut app, "07:10");
    app.form_key(key(KeyCode::Tab));
    type_in(&mut app, "0.02");
    for command in app.form_key(key(KeyCode::Enter)) {
        if let Command::Act(seat, action) = command {
            super::runner::apply_action(&mut session, seat, action).unwrap();
        }
    }
    recorder.checkpoint(&mut session);
    let row = one(
        &mut db,
        "SELECT s.id, s.point_id, s.taken_s, r.value_mg_l, r.source FROM results r \
         JOIN samples s ON s.id = r.sample_id",
    );
    assert_eq!(
        row,
        vec![
            tripoint_db::Value::Text("R1-S1".into()),
            tripoint_db::Value::Text("jinze_intake".into()),
            tripoint_db::Value::Int(7 * 3600 + 600),
            tripoint_db::Value::Real(0.02),
            tripoint_db::Value::Text("live".into()),
        ]
    );
    let warnings = one(&mut db, "SELECT COUNT(*) FROM warnings")[0].int().unwrap();
    assert!(warnings > 0, "the intakes on the plan");
    // The end: the whole record, once, no longer in progress, nothing twice.
    session.advance_to(SimTime(9 * 3600)).unwrap();
    let said = recorder.finish(&mut session, None).unwrap();
    assert!(said.starts_with("recorded as run 1"), "{said}");
    let row = one(
        &mut db,
        "SELECT in_progress, end_s, (SELECT COUNT(*) FROM results), (SELECT COUNT(*) FROM incidents), \
         (SELECT COUNT(*) FROM runs) FROM runs",
    );
    assert_eq!(
        row,
        vec![
            tripoint_db::Value::Int(0),
            tripoint_db::Value::Int(9 * 3600),
            tripoint_db::Value::Int(1),
            tripoint_db::Value::Int(1),
            tripoint_db::Value::Int(1),
        ]
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_console_s_simulation_thread_writes_the_session_and_its_whole_record_on_quitting() {
    let dir = std::env::temp_dir().join(format!("tripoint-console-runner-db-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let location = dir.join("live.sqlite").display().to_string();
    let spec = live_spec();
    let (session, _) = super::prepare(&spec).unwrap();
    let recorder = recorder_for(&location, &session);
    let mut app = app_for(&session, None);
    let declared = declare(&mut app);
    let (commands, command_rx) = std::sync::mpsc::channel();
    let (updates, mut update_rx) = tokio::sync::watch::channel(super::runner::Update {
        snapshot: Arc::new(view::snapshot(&session, None, false)),
        message: None,
        finished: false,
        clock: None,
    });
    let runner = super::runner::Runner {
        session,
        commands: command_rx,
        updates,
        journal_path: dir.join("live.jsonl"),
        journal_header: String::new(),
        recorded: Default::default(),
        recorder: Some(recorder),
        lang: crate::i18n::Lang::En,
    };
    let thread = std::thread::spawn(move || runner.run());
    for command in declared {
        commands.send(command).unwrap();
    }
    // The declaration is in the database while the session runs.
    let started = std::time::Instant::now();
    let mut db = tripoint_db::Database::open(&location).unwrap();
    while one(&mut db, "SELECT COUNT(*) FROM incidents")[0].int() != Some(1) {
        assert!(started.elapsed().as_secs() < 30, "the declaration was never written");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(one(&mut db, "SELECT in_progress FROM runs")[0].int(), Some(1));
    let _ = update_rx.borrow_and_update();
    commands.send(Command::Quit).unwrap();
    thread.join().unwrap();
    assert_eq!(one(&mut db, "SELECT in_progress FROM runs")[0].int(), Some(0));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn an_evaluator_records_an_observation_with_its_subject_and_others_are_told_they_cannot() {
    use crossterm::event::KeyCode;
    let mut session = session_at(3, 10);
    let mut app = app_for(&session, None);
    app.update(Action::Panel(1));
    app.update(Action::Select);
    select_plan_point(&mut app, "jinze_intake");
    // The joint command's seat does not evaluate.
    assert!(app.update(Action::Observe).is_empty());
    assert!(app.form.is_none());
    assert_eq!(app.status, "only an evaluator's seat records observations");
    // A connected evaluator's console, as `console --connect` makes it: read-only but for
    // observations.
    app.seat = Seat::Evaluator;
    app.read_only = true;
    app.read_only_note = "status-evaluator-read-only";
    assert!(app.update(Action::RequestSample).is_empty());
    assert_eq!(
        app.status,
        "an evaluator's console does not act in the exercise: O records an observation"
    );
    assert!(app.update(Action::Observe).is_empty());
    let form = app.form.as_ref().expect("the observation form");
    assert_eq!(form.kind, FormKind::Observe);
    assert_eq!(form.fields[0].value, "jinze_intake", "about the selected point");
    assert!(form.fields[0].choices.iter().any(|c| c == "qingpu"));
    assert!(form.fields[0].choices.iter().any(|c| c == "command"));
    // Nothing written: refused, the form stays open.
    assert!(app.form_key(key(KeyCode::Enter)).is_empty());
    assert_eq!(
        app.form.as_ref().unwrap().error.as_deref(),
        Some("observation: write what you saw")
    );
    app.form_key(key(KeyCode::Tab));
    let text = "the Jinze sample was taken 40 minutes after the task opened; the duty officer \
                did not log the call from Wujiang until asked, and the chain-of-custody form \
                was filled in at the lab";
    type_in(&mut app, text);
    assert!(text.chars().count() > 64, "longer than the other fields take");
    // The field shows the end of what is typed, where the cursor is, cut with an ellipsis.
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("…"), "{shown}");
    assert!(shown.contains("filled in at the lab▏"), "{shown}");
    let commands = app.form_key(key(KeyCode::Enter));
    assert!(app.form.is_none());
    assert_eq!(app.status, "observation about jinze_intake recorded");
    assert_eq!(
        commands,
        vec![Command::Act(
            Seat::Evaluator,
            tripoint_sim::drill::Action::Observe {
                text: text.to_string(),
                target: Some("jinze_intake".to_string()),
            }
        )]
    );
    apply(&mut session, commands);
    let truth = view::snapshot(&session, None, true);
    let recorded = truth.observations.last().expect("the observation is in the exercise");
    assert_eq!(recorded.text, text);
    assert_eq!(recorded.target.as_deref(), Some("jinze_intake"));
    assert_eq!(recorded.at_s, session.now().seconds());
}

/// The two-incident drill at `hours` with the source panel's estimates as the simulation
/// thread's worker makes them.
fn session_with_estimates(hours: i64) -> (Session, Vec<tripoint_sim::drill::source::SourceEstimate>) {
    let session = session_at(hours, 0);
    let mut estimator = crate::estimator::Estimator::start();
    assert!(estimator.observe(&session), "the first results are handed over");
    assert!(!estimator.observe(&session), "the same results are not weighed twice");
    let pending = estimator.estimates();
    assert!(pending.iter().all(|e| e.updating), "{pending:?}");
    estimator.wait();
    let estimates = estimator.estimates();
    assert!(estimates.iter().all(|e| !e.updating));
    (session, estimates)
}

#[test]
fn the_source_panel_shows_what_the_known_results_say() {
    use tripoint_sim::drill::source::EstimateOutcome;
    let (session, estimates) = session_with_estimates(10);
    // The worker's estimates are the library's, made from the same known results.
    let mut cache = tripoint_sim::drill::source::EstimateCache::default();
    let direct: Vec<_> = tripoint_sim::drill::source::estimate_inputs(&session)
        .iter()
        .map(|input| tripoint_sim::drill::source::estimate(&session.drill().scenario, input, &mut cache))
        .collect();
    assert_eq!(estimates, direct);
    let estimated = estimates
        .iter()
        .find(|e| matches!(e.outcome, EstimateOutcome::Estimated { .. }))
        .unwrap_or_else(|| panic!("an incident with detections by D1 10:00: {estimates:?}"));
    let EstimateOutcome::Estimated { candidates, .. } = &estimated.outcome else {
        unreachable!()
    };
    let mut app = app_for(&session, None);
    Arc::make_mut(&mut app.snapshot).sources = estimates.clone();
    app.update(Action::Panel(7));
    assert_eq!(app.focus, Panel::Source);
    while app.estimate().map(|e| e.incident) != Some(estimated.incident) {
        app.update(Action::Down);
    }
    let small = screen(&app, 80, 24);
    assert!(small.contains(&candidates[0].place), "{small}");
    // The candidates' ids give up their middle before the mass or P90 is left out.
    for header in ["source-col-mass-short", "source-col-p90"] {
        assert!(small.contains(&app.lang.t(header)), "{header} left out:\n{small}");
    }
    insta::assert_snapshot!("source_panel_80x24", small);
    insta::assert_snapshot!("source_panel_160x48", screen(&app, 160, 48));
    // As a Chinese session starts: its opening status line in Chinese too.
    let app = app.with_lang(Lang::ZhCn);
    insta::assert_snapshot!("chinese_source_panel_80x24", screen(&app, 80, 24));
    insta::assert_snapshot!("chinese_source_panel_160x48", screen(&app, 160, 48));
}

/// The concentrations a true release makes at every named point (the transport, on the
/// live zone's water), read at the given times to three significant figures; below the
/// detection limit reads 0.
fn true_results(
    scenario: &tripoint_sim::scenario::Scenario,
    release: tripoint_sim::scenario::Release,
    times: &[SimTime],
) -> Vec<(String, SimTime, f64)> {
    use tripoint_sim::forecast::{self, ForecastRequest};
    let mut water = scenario.clone();
    water.flow_changes.clear();
    water.releases.clear();
    water.incidents.clear();
    let pollutant = release.pollutant;
    let truth = forecast::run(
        &water,
        &ForecastRequest {
            releases: vec![release],
            regime: scenario.settings.default_regime,
            horizon: tripoint_sim::time::SimDuration::from_hours(24),
            seed: 0,
            journal: false,
            until_passed: None,
        },
    )
    .unwrap();
    let detection = scenario.pollutants[pollutant].detection_limit_mg_l;
    let mut out = Vec::new();
    for &t in times {
        for (p, point) in scenario.points.iter().enumerate() {
            let series = &truth.series[p];
            let k = series
                .times
                .iter()
                .position(|x| *x == t)
                .expect("a time on the output grid");
            let c = series.conc_at(pollutant, k);
            // Three significant figures, as a laboratory reports them and a person types them.
            let reported: f64 = format!("{c:.2e}").parse().unwrap();
            out.push((point.id.clone(), t, if c >= detection { reported } else { 0.0 }));
        }
    }
    out
}

/// Whether `at` is at or below `from` on the river network.
fn downstream_of(
    scenario: &tripoint_sim::scenario::Scenario,
    from: tripoint_sim::scenario::Location,
    at: tripoint_sim::scenario::Location,
) -> bool {
    use tripoint_sim::scenario::Location;
    let (start, same_reach) = match from {
        Location::Node(n) | Location::LakeCell { node: n, .. } => (n, None),
        Location::Reach { reach, chainage_m } => (scenario.reaches[reach].to, Some((reach, chainage_m))),
    };
    if let (
        Some((reach, c0)),
        Location::Reach {
            reach: r,
            chainage_m: c,
        },
    ) = (same_reach, at)
        && r == reach
    {
        return c >= c0;
    }
    let mut below = vec![false; scenario.nodes.len()];
    let mut stack = vec![start];
    while let Some(node) = stack.pop() {
        if std::mem::replace(&mut below[node], true) {
            continue;
        }
        stack.extend(scenario.reaches.iter().filter(|r| r.from == node).map(|r| r.to));
    }
    match at {
        Location::Node(n) | Location::LakeCell { node: n, .. } => below[n],
        Location::Reach { reach, .. } => below[scenario.reaches[reach].from],
    }
}

/// A live session whose incident was declared at the wrong place and time, with the
/// results a true release elsewhere makes typed in: the estimate offers the true place,
/// enter opens the revision form filled in with it, enter confirms it, the plan's points
/// move below the true source, the offer is gone, and the journal replays identically.
/// Declared at the right place and time, the same results offer nothing.
#[test]
fn the_source_estimate_offers_a_revision_to_the_place_the_results_point_to() {
    use crossterm::event::KeyCode;
    use tripoint_sim::drill::source::{self, EstimateCache};
    use tripoint_sim::plan::Role;
    use tripoint_sim::scenario::Release;
    let spec = live_spec();
    let (mut session, _) = super::prepare(&spec).unwrap();
    let scenario = session.drill().scenario.clone();
    let truth_idx = scenario
        .risk_sources
        .iter()
        .position(|s| s.id == "js_fenyu_bridge")
        .unwrap();
    let truth_location = scenario.risk_sources[truth_idx].location;
    let aniline = scenario.pollutant_idx("aniline").unwrap();
    let truth_start = SimTime(2 * 3600);
    let results = true_results(
        &scenario,
        Release {
            pollutant: aniline,
            mass_kg: 2000.0,
            location: truth_location,
            start: truth_start,
            duration: tripoint_sim::time::SimDuration::from_hours(1),
            note: String::new(),
        },
        &[SimTime(6 * 3600 + 30 * 60), SimTime(7 * 3600 + 30 * 60)],
    );
    assert!(results.iter().any(|r| r.2 > 0.0), "the release is seen");
    let mut app = app_for(&session, None);
    // Declared: 150 kg of aniline at the Lili dyeing works (Wujiang, upstream) at 05:10.
    assert!(app.update(Action::DeclareIncident).is_empty());
    type_in(&mut app, "wj_lili_dyeing_2");
    app.form_key(key(KeyCode::Tab));
    type_in(&mut app, "aniline");
    app.form_key(key(KeyCode::Tab));
    type_in(&mut app, "150");
    app.form_key(key(KeyCode::Tab));
    type_in(&mut app, "05:10");
    for command in app.form_key(key(KeyCode::Enter)) {
        if let Command::Act(seat, action) = command {
            super::runner::apply_action(&mut session, seat, action).unwrap();
        }
    }
    session.advance_to(SimTime(8 * 3600)).unwrap();
    let declared_plan = session.world().resource::<ResponseState>().plans[0]
        .clone()
        .expect("the declared incident's plan");
    for (point, taken_at, mg_l) in &results {
        let action = tripoint_sim::drill::Action::EnterResult {
            incident: 0,
            point: point.clone(),
            taken_at: *taken_at,
            mg_l: *mg_l,
            non_detect: None,
        };
        super::runner::apply_action(&mut session, Seat::Command, action).unwrap();
    }
    // The estimate, as the simulation thread's worker makes it from the known results.
    let mut cache = EstimateCache::default();
    let estimate_now = |session: &Session, cache: &mut EstimateCache| {
        let estimates: Vec<_> = source::estimate_inputs(session)
            .iter()
            .map(|input| source::estimate(&session.drill().scenario, input, cache))
            .collect();
        let mut snapshot = view::snapshot(session, None, false);
        snapshot.sources = estimates;
        Arc::new(snapshot)
    };
    let snapshot = estimate_now(&session, &mut cache);
    let estimate = snapshot.sources[0].clone();
    app.set_snapshot(snapshot);
    let (offer, may) = app
        .offer(&estimate)
        .unwrap_or_else(|| panic!("an offer from {estimate:#?}"));
    assert_eq!(may, Ok(()), "the joint command revises any incident");
    assert_eq!(offer.place, "js_fenyu_bridge");
    assert!(offer.probability >= tripoint_sim::drill::offer::OFFER_PLACE_PROBABILITY_MIN);
    assert_eq!(offer.pollutant, "aniline");
    assert!(
        offer.start_interval[0] <= truth_start
            && truth_start <= offer.start_interval[1] + tripoint_sim::time::SimDuration::from_hours(1),
        "{offer:?}"
    );
    assert!(
        app.status.starts_with("L1: results point to js_fenyu_bridge (p = ")
            && app.status.ends_with("): 7, enter to revise"),
        "the status line says it: {}",
        app.status
    );
    // The source panel says it, with its key.
    app.update(Action::Panel(7));
    let small = screen(&app, 80, 24);
    assert!(small.contains("Results point to js_fenyu_bridge"), "{small}");
    insta::assert_snapshot!("source_offer_80x24", small);
    let large = screen(&app, 160, 48);
    assert!(large.contains("Enter: revise to js_fenyu_bridge"), "{large}");
    insta::assert_snapshot!("source_offer_160x48", large);
    app.lang = Lang::ZhCn;
    let chinese = screen(&app, 160, 48);
    assert!(
        chinese.contains("结果指向 汾玉太浦河大桥") && chinese.contains("回车：修订为 汾玉太浦河大桥"),
        "{chinese}"
    );
    app.lang = Lang::En;
    // Enter opens the revision form filled in with the estimate; esc cancels, nothing sent.
    assert!(app.update(Action::Select).is_empty());
    let form = app.form.clone().expect("the revision form");
    assert_eq!(form.kind, FormKind::Revise { incident: 0 });
    assert_eq!(form.title, "Revise L1 from the results");
    let values: Vec<&str> = form.fields.iter().map(|f| f.value.as_str()).collect();
    let mass = offer.mass_kg.to_string();
    let start = offer.start.clock_label();
    assert_eq!(values, ["js_fenyu_bridge", "aniline", mass.as_str(), start.as_str()]);
    assert!(app.form_key(key(KeyCode::Esc)).is_empty());
    assert!(app.form.is_none());
    let before = session.world().resource::<ResponseState>().plans[0].clone().unwrap();
    // Enter, enter: the same revision `E` sends.
    app.update(Action::Select);
    let commands = app.form_key(key(KeyCode::Enter));
    assert!(app.form.is_none(), "accepted: {:?}", app.form);
    let [
        Command::Act(
            Seat::Command,
            tripoint_sim::drill::Action::ReviseIncident {
                incident: 0,
                declaration,
            },
        ),
    ] = commands.as_slice()
    else {
        panic!("one revision: {commands:?}")
    };
    assert_eq!(declaration.place, "js_fenyu_bridge");
    assert_eq!(declaration.released_at, offer.start);
    assert_eq!(declaration.mass_kg, offer.mass_kg);
    for command in commands {
        if let Command::Act(seat, action) = command {
            super::runner::apply_action(&mut session, seat, action).unwrap();
        }
    }
    let revised = session.world().resource::<ResponseState>().plans[0].clone().unwrap();
    assert!(revised.revision > before.revision);
    assert_eq!(session.drill().scenario.incidents[0].location, truth_location);
    assert_eq!(revised.estimated_mass_kg, offer.mass_kg);
    // Every point but the upstream control is now at or below the true source; the
    // declared plan had points above it.
    let below = |p: &tripoint_sim::plan::PlanPoint| downstream_of(&scenario, truth_location, p.location);
    assert!(
        revised
            .points
            .iter()
            .filter(|p| p.role != Role::UpstreamControl)
            .all(below),
        "{:?}",
        revised.points.iter().map(|p| (&p.id, p.role)).collect::<Vec<_>>()
    );
    assert!(
        revised
            .points
            .iter()
            .any(|p| p.role == Role::ReleaseSite && p.location == truth_location)
    );
    assert!(
        declared_plan
            .points
            .iter()
            .filter(|p| p.role != Role::UpstreamControl)
            .any(|p| !below(p)),
        "the declared plan sampled above the true source"
    );
    // The same results, the same estimate: nothing more to offer.
    let snapshot = estimate_now(&session, &mut cache);
    assert_eq!(
        snapshot.sources[0].outcome, estimate.outcome,
        "the estimate weighs the results only"
    );
    app.set_snapshot(snapshot);
    assert_eq!(app.offer(&app.snapshot.sources[0].clone()), None);
    assert!(app.update(Action::Select).is_empty());
    assert!(app.form.is_none());
    assert_eq!(
        app.status,
        "no revision offered: the results agree with the declaration, or do not settle it yet"
    );
    // The saved journal replays line for line: declaration, results, revision.
    let (_, n_recorded) = replays_line_for_line(&spec, &mut session, SimTime(9 * 3600));
    assert_eq!(n_recorded, 1 + results.len() + 1, "declaration, results, revision");

    // Declared at the true place and time, the same results offer nothing.
    let (mut right, _) = super::prepare(&spec).unwrap();
    let declaration = tripoint_sim::response::edit::Declaration {
        place: "js_fenyu_bridge".into(),
        pollutant: "aniline".into(),
        mass_kg: 2000.0,
        released_at: truth_start,
    };
    super::runner::apply_action(
        &mut right,
        Seat::Command,
        tripoint_sim::drill::Action::DeclareIncident { declaration },
    )
    .unwrap();
    right.advance_to(SimTime(8 * 3600)).unwrap();
    for (point, taken_at, mg_l) in &results {
        let action = tripoint_sim::drill::Action::EnterResult {
            incident: 0,
            point: point.clone(),
            taken_at: *taken_at,
            mg_l: *mg_l,
            non_detect: None,
        };
        super::runner::apply_action(&mut right, Seat::Command, action).unwrap();
    }
    let mut app = app_for(&right, None);
    app.set_snapshot(estimate_now(&right, &mut cache));
    let estimate = app.snapshot.sources[0].clone();
    assert!(
        matches!(estimate.outcome, source::EstimateOutcome::Estimated { .. }),
        "{estimate:?}"
    );
    assert_eq!(app.offer(&estimate), None, "{estimate:#?}");
    assert!(!app.status.contains("results point to"), "{}", app.status);
    app.update(Action::Panel(7));
    assert!(!screen(&app, 160, 48).contains("Enter: revise"));
}

/// A seat the server would refuse the revision to is told so in the panel, not offered the
/// key: the source lies in Jiashan's water, the incident was declared in Wujiang's.
#[test]
fn a_seat_that_may_not_revise_is_told_why_instead_of_offered_the_form() {
    use tripoint_sim::drill::source::{CandidateEstimate, EstimateOutcome, SourceEstimate};
    let spec = live_spec();
    let (mut session, _) = super::prepare(&spec).unwrap();
    let declaration = tripoint_sim::response::edit::Declaration {
        place: "wj_lili_dyeing_2".into(),
        pollutant: "aniline".into(),
        mass_kg: 150.0,
        released_at: SimTime(5 * 3600),
    };
    super::runner::apply_action(
        &mut session,
        Seat::Command,
        tripoint_sim::drill::Action::DeclareIncident { declaration },
    )
    .unwrap();
    let scenario = session.drill().scenario.clone();
    let mut snapshot = view::snapshot(&session, None, false);
    snapshot.sources = vec![SourceEstimate {
        incident: 0,
        incident_id: "L1".into(),
        pollutant: "aniline".into(),
        detected: 5,
        results: 9,
        as_of: Some(SimTime(6 * 3600)),
        outcome: EstimateOutcome::Estimated {
            candidates: vec![CandidateEstimate {
                place: "js_fenyu_bridge".into(),
                probability: 0.93,
                start: [SimTime(3600), SimTime(2 * 3600), SimTime(3 * 3600)],
                mass_kg: [1500.0, 2000.0, 2600.0],
            }],
            intakes: Vec::new(),
            next_sample: None,
        },
        updating: false,
    }];
    let snapshot = Arc::new(snapshot);
    let j = |id: &str| scenario.jurisdictions.iter().position(|x| x.id == id).unwrap();
    for (seat, reason) in [
        (
            Seat::Jurisdiction(j("wujiang")),
            "js_fenyu_bridge is in jiashan: wujiang declares incidents in its own water, the joint command anywhere",
        ),
        (
            Seat::Jurisdiction(j("jiashan")),
            "L1 is an incident of wujiang: jiashan revises its own incidents, the joint command any",
        ),
    ] {
        let mut app = app_for(&session, None);
        app.seat = seat;
        app.set_snapshot(snapshot.clone());
        assert_eq!(
            app.status, "L1: results point to js_fenyu_bridge (p = 0.93)",
            "no key: {seat:?}"
        );
        app.update(Action::Panel(7));
        assert!(app.update(Action::Select).is_empty());
        assert!(app.form.is_none(), "{seat:?}");
        assert_eq!(app.status, reason);
        assert!(screen(&app, 160, 48).contains(reason), "{seat:?}");
    }
    // A replayed (read-only) console says it is read-only.
    let mut app = app_for(&session, None);
    app.read_only = true;
    app.set_snapshot(snapshot.clone());
    app.update(Action::Panel(7));
    app.update(Action::Select);
    assert!(app.form.is_none());
    assert_eq!(app.status, "replay: read-only");
    // In a drill nothing is offered: revisions are for live incidents.
    let mut app = app_for(&session, None);
    app.live = false;
    app.set_snapshot(snapshot);
    assert_eq!(app.offer(&app.snapshot.sources[0].clone()), None);
}

/// Types a result into the form at `point` (07:10) and submits it: the commands.
fn enter_result(app: &mut App, point: &str, value: &str) -> Vec<Command> {
    use crossterm::event::KeyCode;
    select_plan_point(app, point);
    app.update(Action::EnterResult);
    app.form_key(key(KeyCode::Tab));
    type_in(app, "07:10");
    app.form_key(key(KeyCode::Tab));
    type_in(app, value);
    app.form_key(key(KeyCode::Enter))
}

#[test]
fn a_non_detect_typed_in_is_one_from_the_form_to_the_panel_the_database_and_the_replay() {
    use tripoint_sim::response::edit::NonDetect;
    let dir = std::env::temp_dir().join(format!("tripoint-console-non-detect-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let location = dir.join("live.sqlite").display().to_string();
    let spec = live_spec();
    let (mut session, _) = super::prepare(&spec).unwrap();
    let mut recorder = recorder_for(&location, &session);
    let mut app = app_for(&session, None);
    apply(&mut session, declare(&mut app));
    session.advance_to(SimTime(7 * 3600 + 13 * 60)).unwrap();
    refresh(&mut app, &session);
    app.update(Action::Panel(1));
    app.update(Action::Select);
    // Not a result: said in the form, nothing sent.
    assert!(enter_result(&mut app, "jinze_intake", "high").is_empty());
    let error = app.form.as_ref().unwrap().error.clone().unwrap();
    assert!(error.contains("neither a concentration nor a non-detect"), "{error}");
    app.form = None;
    // Below a limit typed with it, and 未检出 at the method's.
    let mut actions = Vec::new();
    let other = app
        .plan()
        .unwrap()
        .points
        .iter()
        .map(|p| p.id.clone())
        .find(|id| id != "jinze_intake")
        .unwrap();
    for (point, value) in [("jinze_intake", "<0.0004"), (other.as_str(), "未检出")] {
        let commands = enter_result(&mut app, point, value);
        assert!(
            app.form.is_none(),
            "{value}: {:?}",
            app.form.as_ref().and_then(|f| f.error.clone())
        );
        for command in &commands {
            if let Command::Act(_, action) = command {
                actions.push(action.clone());
            }
        }
        apply(&mut session, commands);
        refresh(&mut app, &session);
    }
    let non_detects: Vec<_> = actions
        .iter()
        .map(|a| match a {
            tripoint_sim::drill::Action::EnterResult { mg_l, non_detect, .. } => (*mg_l, *non_detect),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        non_detects,
        vec![
            (
                0.0,
                Some(NonDetect {
                    detection_limit_mg_l: Some(0.0004)
                })
            ),
            (
                0.0,
                Some(NonDetect {
                    detection_limit_mg_l: None
                })
            ),
        ]
    );
    // The results panel shows each below its limit, not as a number.
    app.update(Action::Panel(4));
    let shown = screen(&app, 160, 48);
    assert!(shown.contains("<0.0004"), "{shown}");
    // The database: no value, non_detect 1, the limit.
    recorder.checkpoint(&mut session);
    let mut db = tripoint_db::Database::open(&location).unwrap();
    let row = one(
        &mut db,
        "SELECT r.value_mg_l, r.non_detect, r.detection_limit_mg_l FROM results r \
         JOIN samples s ON s.id = r.sample_id WHERE s.point_id = 'jinze_intake'",
    );
    assert_eq!(
        row,
        vec![
            tripoint_db::Value::Null,
            tripoint_db::Value::Int(1),
            tripoint_db::Value::Real(0.0004)
        ]
    );
    let row = one(
        &mut db,
        &format!(
            "SELECT r.non_detect, r.detection_limit_mg_l > 0 FROM results r \
             JOIN samples s ON s.id = r.sample_id WHERE s.point_id = '{other}'"
        ),
    );
    assert_eq!(row, vec![tripoint_db::Value::Int(1), tripoint_db::Value::Int(1)]);
    // The saved journal replays line for line.
    let (text, n_recorded) = replays_line_for_line(&spec, &mut session, SimTime(8 * 3600));
    assert!(
        text.contains("\"non_detect\":{\"detection_limit_mg_l\":0.0004}"),
        "{text}"
    );
    assert_eq!(n_recorded, 3, "declare and two results");
    std::fs::remove_dir_all(&dir).ok();
}

/// Every line of the event log and every inbox item of the whole two-incident drill (its
/// end, controller view, so the disruptions are in it too): in English the simulation's
/// own text, byte for byte; in Chinese no English phrase, and the script's Chinese texts.
#[test]
fn the_event_log_and_inbox_in_chinese_hold_no_english_and_english_is_unchanged() {
    let session = session_at(37, 0);
    let snapshot = Arc::new(view::snapshot(&session, None, true));
    assert!(snapshot.log.len() > 20, "{} log entries", snapshot.log.len());
    assert!(snapshot.log.iter().any(|e| e.who == "controller"), "no disruption");
    let mut english = app_for(&session, None).with_lang(Lang::En);
    english.set_snapshot(snapshot.clone());
    let mut chinese = app_for(&session, None).with_lang(Lang::ZhCn);
    chinese.set_snapshot(snapshot.clone());
    for entry in &snapshot.log {
        assert_eq!(english.log_line(entry), (entry.who.clone(), entry.what.clone()));
        let (who, what) = chinese.log_line(entry);
        let line = format!("{who}: {what}");
        assert!(
            crate::i18n::english_phrases(&line).is_empty(),
            "{}: {} → {line}",
            entry.who,
            entry.what
        );
    }
    assert!(!snapshot.inbox.is_empty());
    for item in &snapshot.inbox {
        let shown = english.inject_texts(item);
        assert_eq!(shown, [item.from.clone(), item.channel.clone(), item.message.clone()]);
        let [from, channel, message] = chinese.inject_texts(item);
        let seat = chinese.seat_name(&item.seat_label);
        let line = format!("{from} → {seat} ({channel}) {message}");
        assert!(crate::i18n::english_phrases(&line).is_empty(), "{line}");
    }
    // The incidents by their Chinese names, the drill by its Chinese title.
    assert_eq!(chinese.name("wujiang_antimony"), "黎里印染二厂锑泄漏");
    assert_eq!(english.name("wujiang_antimony"), "wujiang_antimony");
    assert_eq!(chinese.drill_title(), "跨界两起县级突发水污染事件同时发生");
    assert_eq!(english.drill_title(), snapshot.drill);
}

/// The console in Chinese at D1 08:00 with the event log in view: at 80×24 the log is the
/// focused panel, at 160×48 the inbox and the log sit at the bottom right.
#[test]
fn the_event_log_in_chinese_at_both_sizes() {
    let session = session_at(8, 0);
    let mut app = chinese_app(&session, Some("jinze_intake"));
    app.update(Action::Panel(6));
    let small = screen(&app, 80, 24);
    for whole in ["事件日志（最新在前）", "确认收到注入", "跨界两起县级"] {
        assert!(small.contains(whole), "{whole:?} missing or cut:\n{small}");
    }
    assert!(crate::i18n::english_phrases(&small).is_empty(), "{small}");
    // Who and what joined as Chinese joins them: "：", never an ASCII ": ".
    for entry in app.snapshot.log.iter().rev().take(3) {
        let (who, _) = app.log_line(entry);
        let start = format!("{} {who}：", SimTime(entry.at_s).clock_label());
        assert!(small.contains(&start), "{start:?} missing:\n{small}");
    }
    assert!(!small.contains(": "), "an ASCII colon:\n{small}");
    insta::assert_snapshot!("chinese_event_log_80x24", small);
    app.update(Action::Panel(2));
    let large = screen(&app, 160, 48);
    for whole in [
        "跨界两起县级突发水污染事件同时发生",
        "方案 — 黎里印染二厂锑泄漏 第",
        "示范区执委会值班室",
        "确认收到注入",
    ] {
        assert!(large.contains(whole), "{whole:?} missing or cut:\n{large}");
    }
    assert!(crate::i18n::english_phrases(&large).is_empty(), "{large}");
    insta::assert_snapshot!("chinese_event_log_160x48", large);
}

/// At 80×24 the incidents table leaves out its least needed columns and keeps the rest
/// whole, in both languages: each incident's name and its plan, not every column cut.
#[test]
fn the_incidents_table_at_80_by_24_keeps_whole_columns_in_both_languages() {
    let session = session_at(10, 0);
    for (lang, plans, name) in [
        (Lang::En, ["plan r2 (300 kg)", "plan r2 (5000 kg)"], "incidents_80x24"),
        (
            Lang::ZhCn,
            ["方案第2版（300 kg）", "方案第2版（5000 kg）"],
            "chinese_incidents_80x24",
        ),
    ] {
        let mut app = app_for(&session, None).with_lang(lang);
        app.update(Action::Panel(1));
        let text = screen(&app, 80, 24);
        for incident in &app.snapshot.incidents {
            let named = app.name(&incident.id);
            let line = text
                .lines()
                .find(|line| line.contains(&named))
                .unwrap_or_else(|| panic!("{named} missing or cut:\n{text}"));
            assert!(line.contains(&incident.level), "{line}");
        }
        for plan in plans {
            assert!(text.contains(plan), "{plan} missing or cut:\n{text}");
        }
        insta::assert_snapshot!(name, text);
    }
}

/// The teams panel names each team's jurisdiction (属地) and where it is: a team waiting
/// at a road node away from its depot shows that place's name, not its id; a team whose
/// sample will come late is marked so.
#[test]
fn the_teams_panel_names_jurisdictions_and_places_and_marks_late_samples() {
    let drill = Arc::new(load_drill("two-incidents").unwrap());
    let config = DrillConfig {
        policy: PolicyKind::Unified,
        seed: 0,
        journal: true,
        human_seats: vec![Seat::Command],
    };
    let mut session = Session::new(drill, &config).unwrap();
    let scenario = session.drill().scenario.clone();
    // The first quarter hour at which a team waits at a road node (not its depot) while
    // another's sample will be late.
    let at_road_node = |s: &view::Snapshot| {
        s.teams
            .iter()
            .find(|t| t.activity == "idle" && scenario.road_nodes.iter().any(|n| n.id == t.place))
            .map(|t| t.place.clone())
    };
    let mut found = None;
    for quarter in 16..200 {
        session.advance_to(SimTime(quarter * 900)).unwrap();
        let s = view::snapshot(&session, None, false);
        if let Some(node) = at_road_node(&s)
            && s.teams.iter().any(|t| t.late)
        {
            found = Some(node);
            break;
        }
    }
    let node = found.expect("a team waiting at a road node while a sample comes late");
    let node = scenario.road_nodes.iter().find(|n| n.id == node).unwrap();
    let mut app = app_for(&session, None).with_lang(Lang::ZhCn);
    app.update(Action::Panel(3));
    let text = screen(&app, 160, 48);
    assert!(text.contains("属地") && text.contains("位置"), "{text}");
    assert!(text.contains(&node.name_zh), "{} missing:\n{text}", node.name_zh);
    assert!(text.contains("逾期"), "no late mark:\n{text}");
    for j in &scenario.jurisdictions {
        assert!(
            !text.contains(&format!(" {} ", j.id)),
            "{} shown as an id:\n{text}",
            j.id
        );
    }
    for n in &scenario.road_nodes {
        assert!(!text.contains(&n.id), "road node {} shown as an id:\n{text}", n.id);
    }
    let mut english = app_for(&session, None);
    english.update(Action::Panel(3));
    let text = screen(&english, 80, 24);
    assert!(text.contains("LATE"), "no late mark at 80×24:\n{text}");
}

/// The teams panel keeps every team's time at both sizes in both languages: a long place's
/// or team's name gives up its middle ("…") rather than the time being left out (at
/// 80×24 in English, `jiashan_aniline_tanker-down-5km` beside `shanghai_mobile_lab`).
#[test]
fn the_teams_panel_keeps_each_team_s_time_by_shortening_names() {
    let session = session_at(6, 0);
    for lang in [Lang::En, Lang::ZhCn] {
        let mut app = app_for(&session, None).with_lang(lang);
        app.update(Action::Panel(3));
        for (width, height) in [(80, 24), (160, 48)] {
            let text = screen(&app, width, height);
            let (doing, until) = (lang.t("col-doing"), lang.t("col-until"));
            let header = text
                .lines()
                .position(|line| line.contains(&doing) && line.contains(&until))
                .unwrap_or_else(|| panic!("no time column at {width}×{height}:\n{text}"));
            let rows: Vec<&str> = text.lines().skip(header + 1).take(app.snapshot.teams.len()).collect();
            for (team, row) in app.snapshot.teams.iter().zip(&rows) {
                let time = team.until.map_or("—".to_string(), |t| t.clock_label());
                assert!(row.contains(&time), "{} without its time {time}:\n{text}", team.id);
            }
            if (lang, width) == (Lang::En, 80) {
                assert!(rows.iter().any(|row| row.contains('…')), "no name shortened:\n{text}");
            }
            let name = format!("teams_{}_{width}x{height}", lang.tag());
            insta::assert_snapshot!(name, text);
        }
    }
}

/// The results panel lists results by the time their samples were taken, newest first,
/// though the view holds them in the order they were recorded (a laboratory's
/// confirmation after field samples taken later); the row under the cursor is the point
/// the chart and the keys act on.
#[test]
fn the_results_panel_lists_the_newest_taken_first() {
    let session = session_at(10, 0);
    let mut app = app_for(&session, None);
    let recorded: Vec<SimTime> = app.snapshot.results.iter().map(|r| r.taken_at).collect();
    assert!(
        recorded.windows(2).any(|w| w[0] > w[1]),
        "the view's results are already in the order taken: nothing to show"
    );
    app.update(Action::Panel(4));
    let listed: Vec<(SimTime, String)> = app.results().iter().map(|r| (r.taken_at, r.point.clone())).collect();
    assert_eq!(listed.len(), recorded.len());
    assert!(listed.windows(2).all(|w| w[0].0 >= w[1].0), "{listed:?}");
    let text = screen(&app, 160, 48);
    let header = text
        .lines()
        .position(|line| line.contains(&app.lang.t("col-taken")) && line.contains(&app.lang.t("col-point")))
        .unwrap_or_else(|| panic!("no results table:\n{text}"));
    for ((taken, _), row) in listed.iter().zip(text.lines().skip(header + 1)).take(8) {
        assert!(
            row.contains(&taken.clock_label()),
            "{row:?} is not taken at {taken:?}:\n{text}"
        );
    }
    for (row, (_, point)) in listed.iter().enumerate().take(5) {
        assert_eq!(app.selected_point().as_deref(), Some(point.as_str()), "row {row}");
        app.update(Action::Down);
    }
}

/// The results panel marks each result with one character kept at every width — F or 现
/// for a field (or on-board) result, L or 实 for a laboratory one — so that at 80×24,
/// where the method column goes, a field result and its laboratory confirmation are told
/// apart; at 160×48 the method says the same. The help overlay explains the marks.
#[test]
fn a_field_result_and_its_laboratory_confirmation_are_told_apart_at_both_sizes() {
    let session = session_at(12, 0);
    for (lang, field, lab) in [(Lang::En, "F", "L"), (Lang::ZhCn, "现", "实")] {
        let mut app = app_for(&session, None).with_lang(lang);
        let results = app.results();
        let confirmation = results
            .iter()
            .find(|r| r.confirms.is_some())
            .expect("a laboratory confirmation by D1 12:00");
        let n_lab = results
            .iter()
            .filter(|r| r.confirms.is_some() || !r.analysed_at.starts_with("on "))
            .count();
        let n_field = results.len() - n_lab;
        let taken = confirmation.taken_at.clock_label();
        app.update(Action::Panel(4));
        for (width, height) in [(80, 24), (160, 48)] {
            let text = screen(&app, width, height);
            // Each row starts at the panel's border with its mark, then the time taken.
            let marked = |mark: &str| text.lines().filter(|l| l.contains(&format!("│{mark} D"))).count();
            assert!(marked(lab) >= 1, "{lang:?} {width}×{height}: no {lab} row:\n{text}");
            assert!(marked(field) >= 1, "{lang:?} {width}×{height}: no {field} row:\n{text}");
            assert!(
                text.contains(&format!("│{lab} {taken}")),
                "{lang:?} {width}×{height}: the confirmation of {taken} not marked {lab}:\n{text}"
            );
            assert!(n_field >= 1 && n_lab >= 1);
            let name = match lang {
                Lang::En => format!("results_{width}x{height}"),
                Lang::ZhCn => format!("chinese_results_{width}x{height}"),
            };
            insta::assert_snapshot!(name, text);
        }
        app.update(Action::ToggleHelp);
        let help = screen(&app, 80, 24);
        assert!(help.contains(&lang.t("key-panel-4")), "{help}");
        // Esc closes the help overlay.
        assert!(app.help);
        let esc = crate::console::action::action_for(key(crossterm::event::KeyCode::Esc)).expect("esc is bound");
        assert!(app.update(esc).is_empty(), "closing the help sends nothing");
        assert!(!app.help);
        assert!(!screen(&app, 80, 24).contains(&lang.t("help-title")));
        // And does nothing more when the help is closed.
        app.update(Action::CloseHelp);
        assert!(!app.help);
    }
}
