//! `tripoint console [DRILL|SCENARIO]`: the command console. The simulation runs on its
//! own thread (`runner`); this thread draws snapshots and turns keys into commands, on a
//! tokio event loop over crossterm's event stream, a redraw tick and snapshot updates.
//! The terminal is restored on exit, on error and on panic (ratatui's hook).

pub mod action;
pub mod app;
pub mod remote;
pub mod render;
pub mod runner;
#[cfg(test)]
mod tests;

use crate::commands::drill::load_drill;
use crate::input::{CliError, CliResult, load_scenario};
use app::{App, Command};
use crossterm::event::{Event as TermEvent, EventStream, KeyEvent, KeyEventKind};
use futures_util::StreamExt as _;
use runner::{Recorded, Runner, Update};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tripoint_sim::drill::permissions::Request;
use tripoint_sim::drill::view::{self, MapGeometry};
use tripoint_sim::drill::{Drill, DrillConfig, Seat, Session};
use tripoint_sim::response::dispatch::PolicyKind;
use tripoint_sim::time::{SimDuration, SimTime};

#[derive(clap::Args, Debug, Default)]
pub struct ConsoleArgs {
    /// A drill script or shipped drill name, or a scenario file (.toml) to run its
    /// incidents (default: the two-incident drill).
    pub target: Option<String>,
    /// Seed of the simulation's generator.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Dispatch policy of the simulated players: `county` or `unified`.
    #[arg(long, default_value = "unified", value_name = "county|unified")]
    pub policy: String,
    /// The seat you take: `command` (the joint command), `controller`, or a jurisdiction id;
    /// with `--connect`, your seat's name in the server's seats file.
    #[arg(long, default_value = "command")]
    pub seat: String,
    /// Join an exercise server (`tripoint serve`) at ADDR as `--seat NAME`, instead of
    /// running a session here. TARGET, if given, is the server's drill or scenario (for
    /// the map); the token comes from `--token-file` or TRIPOINT_TOKEN.
    #[arg(long, value_name = "ADDR", conflicts_with_all = ["live", "clock"])]
    pub connect: Option<String>,
    /// With `--connect`: the file holding the seat's token (else TRIPOINT_TOKEN).
    #[arg(long, value_name = "FILE", requires = "connect")]
    pub token_file: Option<PathBuf>,
    /// With `--connect`: TLS to the server (`--tls --ca FILE.pem [--server-name NAME]`).
    #[command(flatten)]
    pub tls: crate::net::tls::TlsArgs,
    /// Where `w` saves the journal.
    #[arg(long, value_name = "FILE", default_value = "tripoint-console.jsonl")]
    pub journal: PathBuf,
    /// A live incident, not a drill: the scenario file's network, points and teams with
    /// none of its incidents; you declare incidents (I) and type in results (e). The
    /// clock runs in real time.
    #[arg(long)]
    pub live: bool,
    /// Live: the time the clock starts at, HH:MM on day 1 (default: now in China Standard
    /// Time, UTC+8, the zone's time).
    #[arg(long, value_name = "HH:MM", requires = "live")]
    pub clock: Option<String>,
    /// The database the session is written into as it goes (docs/database.md): a SQLite
    /// file or a PostgreSQL connection string. Default for a live incident: $TRIPOINT_DB,
    /// else tripoint-data/tripoint.sqlite; for a drill: $TRIPOINT_DB, else none.
    #[arg(long, value_name = "LOCATION", conflicts_with_all = ["connect", "no_db"])]
    pub db: Option<String>,
    /// Write no database (a live incident writes one by default).
    #[arg(long)]
    pub no_db: bool,
}

/// How long a live session runs [h].
pub const LIVE_HOURS: i64 = 72;

/// Events of the console loop: a key, a resize, a redraw tick, a new snapshot.
enum Event {
    Key(KeyEvent),
    Resize,
    Tick,
    Update(Update),
    /// The terminal's event stream or the simulation thread ended.
    Closed,
}

/// What a console session was: enough to replay it. The first line of its journal.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct ConsoleSpec {
    /// The drill or scenario as given; `None` for the shipped two-incident drill.
    pub target: Option<String>,
    pub policy: String,
    pub seed: u64,
    /// The person's seat.
    pub seat: String,
    pub version: String,
    /// A live session: where its clock started [s on the scenario clock].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live_start_s: Option<i64>,
}

fn has_terminal() -> bool {
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

pub fn run(args: &ConsoleArgs) -> CliResult {
    if !has_terminal() {
        return Err(CliError::Input(crate::i18n::current().t("no-terminal")));
    }
    if args.tls.tls && args.connect.is_none() {
        return Err(CliError::Input("--tls: only with --connect ADDR".to_string()));
    }
    if let Some(addr) = &args.connect {
        return connect(args, addr);
    }
    let live_start_s = if args.live {
        Some(live_start_s(args.clock.as_deref())?)
    } else {
        None
    };
    let spec = ConsoleSpec {
        target: args.target.clone(),
        policy: args.policy.clone(),
        seed: args.seed,
        seat: args.seat.clone(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        live_start_s,
    };
    let (session, seat) = prepare(&spec)?;
    let recorder = recorder(args, &spec, &session)?;
    open(session, seat, &spec, &args.journal, VecDeque::new(), false, recorder)
}

/// The database the session writes into, opened (created, upgraded, or refused with the
/// reason, exit 2) before the terminal is taken: `--db`, else for a live incident
/// `$TRIPOINT_DB` or the default file, for a drill `$TRIPOINT_DB` or none; none with
/// `--no-db`.
pub(crate) fn recorder(
    args: &ConsoleArgs,
    spec: &ConsoleSpec,
    session: &Session,
) -> Result<Option<crate::commands::db_record::SessionRecorder>, CliError> {
    if args.no_db {
        return Ok(None);
    }
    let location = if args.live {
        Some(crate::commands::db::serving_location(args.db.as_deref()))
    } else {
        crate::commands::db::recording_location(args.db.as_deref())
    };
    let Some(location) = location else {
        return Ok(None);
    };
    let db = crate::commands::db::open_location(&location)?;
    let kind = if args.live { "live" } else { "drill" };
    let recorder =
        crate::commands::db_record::SessionRecorder::begin(db, session, kind, &spec.policy, spec.seed, None, false)
            .map_err(|e| CliError::Input(e.to_string()))?;
    Ok(Some(recorder))
}

/// Where a live session's clock starts on day 1 [s]: `--clock HH:MM`, else now in China
/// Standard Time.
pub(crate) fn live_start_s(clock: Option<&str>) -> Result<i64, CliError> {
    match clock {
        Some(text) => Ok(SimTime::parse_clock(text)
            .filter(|t| t.seconds() < 86_400)
            .ok_or_else(|| CliError::Input(format!("--clock {text:?}: expected HH:MM")))?
            .seconds()),
        None => Ok(china_time_of_day_s()),
    }
}

/// The time of day now in China Standard Time (UTC+8, no daylight saving), to the minute
/// [s]: where a live session's clock starts. The binary reads the wall clock; `sim` never.
fn china_time_of_day_s() -> i64 {
    let utc_s = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    (utc_s + 8 * 3600).rem_euclid(86_400) / 60 * 60
}

/// The session a spec describes, at the exercise start, and the person's seat.
fn prepare(spec: &ConsoleSpec) -> Result<(Session, Seat), CliError> {
    let drill = load_spec_drill(spec.target.as_deref(), spec.live_start_s)?;
    let seat = Seat::parse(&spec.seat, &drill.scenario).ok_or_else(|| {
        CliError::Input(format!(
            "--seat {:?}: expected command, controller or a jurisdiction id",
            spec.seat
        ))
    })?;
    let session = open_session(drill, &spec.policy, spec.seed, vec![seat])?;
    Ok((session, seat))
}

/// The drill or live session a journal's or a command's target names (the two-incident
/// drill when none); `live_start_s`: a live session, whose clock starts there.
pub(crate) fn load_spec_drill(target: Option<&str>, live_start_s: Option<i64>) -> Result<Arc<Drill>, CliError> {
    Ok(Arc::new(match live_start_s {
        // A live session starts on day 1 at the time of day it was opened (a journal's
        // header may say otherwise: it is checked like `--clock`).
        Some(start_s) if !(0..86_400).contains(&start_s) => {
            return Err(CliError::Input(format!(
                "live_start_s {start_s}: a live session starts on day 1, at 0 to 86399 s"
            )));
        }
        Some(start_s) => load_live(target, SimTime(start_s))?,
        None => load_target(target)?,
    }))
}

/// A session on a drill at the exercise start, with `human_seats` taken by people
/// (simulated players act for the others).
pub(crate) fn open_session(
    drill: Arc<Drill>,
    policy: &str,
    seed: u64,
    human_seats: Vec<Seat>,
) -> Result<Session, CliError> {
    let policy = PolicyKind::parse(policy)
        .ok_or_else(|| CliError::Input(format!("--policy {policy:?}: expected county or unified")))?;
    let config = DrillConfig {
        policy,
        seed,
        journal: true,
        human_seats,
    };
    let mut session = Session::new(drill.clone(), &config).map_err(|e| CliError::Input(e.to_string()))?;
    // The world runs unobserved up to the exercise start (stations, releases before it).
    session
        .advance_to(drill.start)
        .map_err(|e| CliError::Internal(anyhow::anyhow!("{e}")))?;
    Ok(session)
}

/// Opens the console on a session; `recorded` actions (a replay) are applied as the clock
/// reaches them and the person's own actions are refused.
fn open(
    session: Session,
    seat: Seat,
    spec: &ConsoleSpec,
    journal_path: &std::path::Path,
    recorded: VecDeque<Recorded>,
    read_only: bool,
    recorder: Option<crate::commands::db_record::SessionRecorder>,
) -> CliResult {
    let scenario = session.drill().scenario.clone();
    let drill = session.drill_shared();
    let geometry = Arc::new(MapGeometry::of(&session.drill().scenario));
    let first = Arc::new(view::snapshot(&session, None, false));
    let (commands, command_rx) = std::sync::mpsc::channel();
    let (update_tx, updates) = watch::channel(Update {
        snapshot: first.clone(),
        message: None,
        finished: false,
        clock: None,
    });
    let journal_header = serde_json::json!({ "console": spec }).to_string();
    let runner = Runner {
        session,
        commands: command_rx,
        updates: update_tx,
        journal_path: journal_path.to_path_buf(),
        journal_header,
        recorded,
        recorder,
        lang: crate::i18n::current(),
    };
    let simulation = std::thread::spawn(move || runner.run());
    let mut app = App::new(geometry, first, seat);
    app.scenario = Some(scenario);
    app.drill = Some(drill);
    app.read_only = read_only;
    if read_only {
        app.status = app.lang.t("status-replay-start");
    } else if app.live {
        // A real incident: the clock runs in real time from the start.
        for command in app.update(action::Action::TogglePause) {
            let _ = commands.send(command);
        }
        app.speed = tripoint_sim::drill::clock::Speed::RealTime;
        let _ = commands.send(Command::Speed(app.speed));
        app.status = app.lang.t("status-live-start");
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .map_err(|e| CliError::Internal(e.into()))?;
    let mut terminal = ratatui::init();
    let result = runtime.block_on(event_loop(&mut terminal, &mut app, &commands, updates));
    ratatui::restore();
    let _ = commands.send(Command::Quit);
    let _ = simulation.join();
    result.map_err(|e| CliError::Internal(e.into()))
}

/// The console as a seat of an exercise server: the first connection is made before the
/// terminal is taken (a refusal is an error, exit 2); then the remote thread
/// (`remote.rs`) stands in for the simulation thread.
fn connect(args: &ConsoleArgs, addr: &str) -> CliResult {
    let token = crate::net::client::read_token(args.token_file.as_deref()).map_err(CliError::Input)?;
    let transport = args.tls.transport(addr).map_err(CliError::Input)?;
    let connection = remote::Connection {
        addr: addr.to_string(),
        transport,
        seat: args.seat.clone(),
        token,
        lang: crate::i18n::current(),
    };
    let (commands, command_rx) = std::sync::mpsc::channel();
    let (welcomed_tx, welcomed_rx) = std::sync::mpsc::channel();
    let (start_tx, start_rx) = std::sync::mpsc::channel::<(watch::Sender<Update>, Arc<Drill>)>();
    let thread_connection = connection.clone();
    // The connection lives on its own thread and runtime, as the simulation does.
    let remote_thread = std::thread::spawn(move || {
        let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
            Ok(runtime) => runtime,
            Err(e) => {
                let _ = welcomed_tx.send(Err(format!("cannot start: {e}")));
                return;
            }
        };
        runtime.block_on(async move {
            let client = match remote::connect(&thread_connection).await {
                Ok((client, welcomed)) => {
                    let _ = welcomed_tx.send(Ok(welcomed));
                    client
                }
                Err(e) => {
                    let _ = welcomed_tx.send(Err(e.to_string()));
                    return;
                }
            };
            // The console takes the terminal, then hands over where the views go.
            let Ok((update_tx, drill)) = start_rx.recv() else {
                return;
            };
            let remote = remote::Remote {
                connection: thread_connection,
                commands: command_rx,
                updates: update_tx,
                drill,
            };
            remote.run(client).await;
        });
    });
    let welcomed = welcomed_rx
        .recv()
        .map_err(|_| CliError::Internal(anyhow::anyhow!("the connection thread ended")))?
        .map_err(|e| CliError::Input(format!("--connect {addr}: {e}")))?;
    // A live server's zone is its scenario with no incident, from the time its clock
    // started; a drill's is the drill.
    let live_start_s = welcomed.snapshot.live.then(|| welcomed.snapshot.start.seconds());
    let drill = match load_spec_drill(args.target.as_deref(), live_start_s) {
        Ok(drill) => drill,
        Err(e) => {
            drop(start_tx);
            let _ = remote_thread.join();
            return Err(e);
        }
    };
    if welcomed.snapshot.drill != drill.name {
        drop(start_tx);
        let _ = remote_thread.join();
        return Err(CliError::Input(format!(
            "--connect {addr}: the server runs {:?}, not {:?}: give its drill or scenario (tripoint console \
             --connect {addr} DRILL)",
            welcomed.snapshot.drill, drill.name
        )));
    }
    let Some(seat) = remote::seat_of_role(&welcomed.role, &drill.scenario) else {
        drop(start_tx);
        let _ = remote_thread.join();
        return Err(CliError::Input(format!(
            "--connect {addr}: the server gives this seat the role {:?}, which the drill here does not have",
            welcomed.role
        )));
    };
    let geometry = Arc::new(MapGeometry::of(&drill.scenario));
    let first = Arc::new(welcomed.snapshot);
    let (update_tx, updates) = watch::channel(Update {
        snapshot: first.clone(),
        message: None,
        finished: false,
        clock: Some(welcomed.clock),
    });
    let _ = start_tx.send((update_tx, drill.clone()));
    let mut app = App::new(geometry, first, seat);
    (app.paused, app.speed) = welcomed.clock;
    app.scenario = Some(drill.scenario.clone());
    app.drill = Some(drill.clone());
    app.read_only = matches!(seat, Seat::Evaluator | Seat::Observer);
    app.read_only_note = if seat == Seat::Evaluator {
        "status-evaluator-read-only"
    } else {
        "status-seat-read-only"
    };
    let lang = app.lang;
    let seat_arg = || fluent_bundle::FluentValue::from(args.seat.as_str());
    app.status = if app.read_only {
        lang.t_args(
            if seat == Seat::Evaluator {
                "status-remote-evaluator"
            } else {
                "status-remote-read-only"
            },
            &[
                ("seat", seat_arg()),
                ("addr", addr.into()),
                ("role", welcomed.role.as_str().into()),
            ],
        )
    } else if seat == Seat::Controller {
        lang.t_args(
            "status-remote-controller",
            &[("seat", seat_arg()), ("addr", addr.into())],
        )
    } else {
        lang.t_args(
            "status-remote-seat",
            &[
                ("seat", seat_arg()),
                ("addr", addr.into()),
                ("role", welcomed.role.as_str().into()),
            ],
        )
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .map_err(|e| CliError::Internal(e.into()))?;
    let mut terminal = ratatui::init();
    let result = runtime.block_on(event_loop(&mut terminal, &mut app, &commands, updates));
    ratatui::restore();
    let _ = commands.send(Command::Quit);
    let _ = remote_thread.join();
    result.map_err(|e| CliError::Internal(e.into()))
}

/// `tripoint replay` of a console journal: with a terminal, the session opens read-only
/// with the same time controls and the person's recorded actions; without one, the
/// session is re-run to the journal's last event and every line is compared.
pub fn replay(shown: &str, lines: &[&str], spec: ConsoleSpec, ending: &crate::journal::Ending) -> CliResult {
    if let Some(target) = &spec.target {
        check_journal_target(target)
            .map_err(|message| CliError::Input(format!("{shown}:1: target {target:?}: {message}")))?;
    }
    let (session, seat) = prepare(&spec)?;
    let (recorded, last) = read_recorded(shown, lines, &session, |r| person_s_action(session.drill(), seat, r))?;
    if has_terminal() {
        match ending {
            crate::journal::Ending::Closed => {}
            crate::journal::Ending::Unclosed { complete, .. } => eprintln!(
                "note: {shown}: the journal stops after line {complete} without its closing record; \
                 the console shows what it holds"
            ),
            crate::journal::Ending::Damaged { message } => eprintln!("note: {shown}: {message}"),
        }
        let path = std::path::PathBuf::from(format!("{shown}.replayed.jsonl"));
        return open(session, seat, &spec, &path, recorded, true, None);
    }
    let n_actions = recorded.len();
    check_replay(shown, lines, session, recorded, last, ending)?;
    println!(
        "replayed {} events of the console session ({} of the person's actions): identical",
        lines.len() - 1,
        n_actions
    );
    Ok(())
}

/// Whether a console journal's action is the person's: one of their seat's, and not one
/// the drill schedules itself for that seat — a controller's release of an ad-hoc inject
/// at the time the script gives it (no `after_events`), which the replayed session
/// schedules again.
fn person_s_action(drill: &Drill, seat: Seat, r: &Recorded) -> bool {
    let scripted = match r.action {
        tripoint_sim::drill::Action::ReleaseInject { inject } if r.after_events.is_none() => drill
            .injects
            .get(inject)
            .and_then(|i| i.release_at)
            .is_some_and(|release| drill.start + release == r.at),
        _ => false,
    };
    r.seat == seat && !scripted
}

/// The actions of a journal that `take` selects (by seat and the server's request), in
/// order, and the time of its last line. Each is checked against the drill first: a
/// journal comes from someone else, and an action that names a team, point or inject the
/// drill does not have is refused at its line.
pub(crate) fn read_recorded(
    shown: &str,
    lines: &[&str],
    session: &Session,
    take: impl Fn(&Recorded) -> bool,
) -> Result<(VecDeque<Recorded>, SimTime), CliError> {
    let drill = session.drill();
    let mut recorded: VecDeque<Recorded> = VecDeque::new();
    let mut last_s = session.now().seconds();
    for (n, line) in lines.iter().enumerate().skip(1) {
        let value: serde_json::Value = serde_json::from_str(line)
            .map_err(|e| CliError::Input(format!("{shown}:{}: not a journal line: {e}", n + 1)))?;
        last_s = last_s.max(value["t_s"].as_i64().unwrap_or(0));
        if value["kind"] != "action" {
            continue;
        }
        let event = &value["event"]["action"];
        let parsed = serde_json::from_value::<Seat>(event["seat"].clone())
            .ok()
            .zip(serde_json::from_value::<tripoint_sim::drill::Action>(event["action"].clone()).ok());
        let request = match event.get("request") {
            None => None,
            Some(r) => Some(serde_json::from_value::<Request>(r.clone()).map_err(|e| {
                CliError::Input(format!(
                    "{shown}:{}: an action's request the program cannot read: {e}",
                    n + 1
                ))
            })?),
        };
        let Some((by, action)) = parsed else {
            return Err(CliError::Input(format!(
                "{shown}:{}: an action the program cannot read",
                n + 1
            )));
        };
        let r = Recorded {
            at: SimTime(value["t_s"].as_i64().unwrap_or(0)),
            after_events: event["after_events"].as_u64(),
            seat: by,
            action,
            request,
        };
        if !take(&r) {
            continue;
        }
        // A live session's incidents are declared as it goes: only a drill's are fixed.
        // An action sent to the server names what its client chose, and the engine
        // refuses it when it is handled (the refusal is in the journal): only the others
        // must name what exists.
        if !drill.live && r.request.is_none() {
            tripoint_sim::drill::permissions::check_indices(&r.action, &drill.scenario, drill.injects.len()).map_err(
                |reason| {
                    CliError::Input(format!(
                        "{shown}:{}: an action the drill cannot take: {}",
                        n + 1,
                        reason.english
                    ))
                },
            )?;
        }
        recorded.push_back(r);
    }
    Ok((recorded, SimTime(last_s)))
}

/// Checks the drill or scenario a journal names before anything is read: a shipped drill
/// by name, or a drill script (`.rhai`) or scenario (`.toml`) under the current folder,
/// by a relative path without `..`. A journal comes from someone else; it must not make
/// the program read any file it names (a file that is not a script would be quoted back
/// in the error).
pub fn check_journal_target(target: &str) -> Result<(), String> {
    if tripoint_sim::drill::script::builtin_script(target).is_some() {
        return Ok(());
    }
    let path = std::path::Path::new(target);
    let inside = !target.is_empty()
        && !target.chars().any(char::is_control)
        && path
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_) | std::path::Component::CurDir));
    if !inside {
        return Err(
            "a journal names a shipped drill, or a drill script or scenario by a relative path without `..`"
                .to_string(),
        );
    }
    if !(target.ends_with(".rhai") || target.ends_with(".toml")) {
        return Err("a journal names a drill script (.rhai) or a scenario (.toml)".to_string());
    }
    Ok(())
}

/// Re-runs a session with the recorded actions to `last` and compares every journal line
/// with the recording.
pub(crate) fn check_replay(
    shown: &str,
    lines: &[&str],
    mut session: Session,
    mut recorded: VecDeque<Recorded>,
    last: SimTime,
    ending: &crate::journal::Ending,
) -> CliResult {
    runner::advance_with(&mut session, &mut recorded, last).map_err(|e| CliError::Internal(anyhow::anyhow!("{e}")))?;
    if let Some(difference) = first_difference(shown, lines, session.journal()) {
        return Err(CliError::Diverged(difference));
    }
    crate::commands::replay::conclude(shown, lines.len(), ending)
}

/// Where a journal's lines (its header first) and a replayed session's journal first
/// differ, said with the line's number; `None`: every line of the journal was replayed
/// identically (the replay may go on beyond them).
pub(crate) fn first_difference(shown: &str, lines: &[&str], replayed: &[String]) -> Option<String> {
    for (n, line) in lines.iter().enumerate().skip(1) {
        match replayed.get(n - 1) {
            Some(again) if again == line => {}
            Some(again) => {
                return Some(format!(
                    "{shown}:{}: the replay differs\n  recorded: {line}\n  replayed: {again}",
                    n + 1
                ));
            }
            None => return Some(format!("{shown}:{}: the replay ended before this line", n + 1)),
        }
    }
    None
}

/// A live session on a scenario file (default: the built-in zone).
fn load_live(target: Option<&str>, start: SimTime) -> Result<Drill, CliError> {
    let scenario = match target {
        Some(path) if path.ends_with(".toml") => load_scenario(Some(std::path::Path::new(path)))?,
        Some(other) => {
            return Err(CliError::Input(format!(
                "--live takes a scenario file (.toml), not the drill {other:?}"
            )));
        }
        None => load_scenario(None)?,
    };
    let name = target.unwrap_or("demo-zone.toml");
    Ok(Drill::live(scenario, name, start, SimDuration::from_hours(LIVE_HOURS)))
}

/// A drill script or name, or a scenario file run without a script.
fn load_target(target: Option<&str>) -> Result<Drill, CliError> {
    match target {
        Some(path) if path.ends_with(".toml") => {
            let scenario = load_scenario(Some(std::path::Path::new(path)))?;
            if scenario.incidents.is_empty() {
                return Err(CliError::Input(format!(
                    "{path}: the scenario has no [[incidents]] to run"
                )));
            }
            Ok(Drill::from_scenario(scenario, path, SimDuration::from_hours(48)))
        }
        Some(name) => load_drill(name),
        None => load_drill("two-incidents"),
    }
}

async fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    commands: &std::sync::mpsc::Sender<Command>,
    mut updates: watch::Receiver<Update>,
) -> std::io::Result<()> {
    let mut terminal_events = EventStream::new();
    let mut tick = tokio::time::interval(Duration::from_millis(250));
    let mut last_message: Option<String> = None;
    while app.running {
        terminal.draw(|frame| render::draw(frame, app))?;
        let event = tokio::select! {
            event = terminal_events.next() => match event {
                Some(Ok(TermEvent::Key(key))) if key.kind == KeyEventKind::Press => Event::Key(key),
                Some(Ok(TermEvent::Resize(..))) => Event::Resize,
                Some(Ok(_)) => Event::Tick,
                Some(Err(e)) => return Err(e),
                None => Event::Closed,
            },
            changed = updates.changed() => match changed {
                Ok(()) => Event::Update(updates.borrow_and_update().clone()),
                Err(_) => Event::Closed,
            },
            _ = tick.tick() => Event::Tick,
        };
        match event {
            Event::Key(key) if app.form.is_some() && !is_ctrl_c(key) => {
                for command in app.form_key(key) {
                    if commands.send(command).is_err() {
                        app.running = false;
                    }
                }
            }
            Event::Key(key) => {
                if let Some(action) = action::action_for(key) {
                    for command in app.update(action) {
                        if commands.send(command).is_err() {
                            app.running = false;
                        }
                    }
                }
            }
            Event::Update(update) => {
                app.set_snapshot(update.snapshot);
                // A message is shown once: a server's connection keeps its last one in
                // every update, so that no view that follows at once can hide it.
                if let Some(message) = update.message
                    && last_message.as_ref() != Some(&message)
                {
                    app.status = message.clone();
                    last_message = Some(message);
                }
                if let Some((paused, speed)) = update.clock {
                    app.paused = paused;
                    app.speed = speed;
                }
                if update.finished {
                    app.paused = true;
                }
            }
            Event::Resize | Event::Tick => {}
            Event::Closed => app.running = false,
        }
    }
    Ok(())
}

fn is_ctrl_c(key: KeyEvent) -> bool {
    key.modifiers.contains(crossterm::event::KeyModifiers::CONTROL) && key.code == crossterm::event::KeyCode::Char('c')
}
