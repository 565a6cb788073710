//! `tripoint console [DRILL|SCENARIO]`: the command console. The simulation runs on its
//! own thread (`runner`); this thread draws snapshots and turns keys into commands, on a
//! tokio event loop over crossterm's event stream, a redraw tick and snapshot updates.
//! The terminal is restored on exit, on error and on panic (ratatui's hook).

pub mod action;
pub mod app;
pub mod render;
mod runner;
#[cfg(test)]
mod tests;

use crate::commands::drill::load_drill;
use crate::input::{CliError, CliResult, load_scenario};
use app::{App, Command};
use crossterm::event::{Event as TermEvent, EventStream, KeyEvent, KeyEventKind};
use futures_util::StreamExt as _;
use runner::{Runner, Update};
use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tripoint_sim::drill::view::{self, MapGeometry};
use tripoint_sim::drill::{Drill, DrillConfig, Seat, Session};
use tripoint_sim::response::dispatch::PolicyKind;
use tripoint_sim::time::SimDuration;

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
    /// The seat you take: `command` (the joint command), `controller`, or a jurisdiction id.
    #[arg(long, default_value = "command")]
    pub seat: String,
    /// Where `w` saves the journal.
    #[arg(long, value_name = "FILE", default_value = "tripoint-console.jsonl")]
    pub journal: PathBuf,
}

/// What `tripoint` says when there is no terminal to draw on.
pub const NO_TERMINAL: &str = "the console needs a terminal (stdin and stdout are not one). Headless commands:
  tripoint drill two-incidents --report out/   run a drill and write its after-action report
  tripoint run [SCENARIO] [--policy county]    run a scenario's incidents and print the measures
  tripoint forecast [SCENARIO]                 forecast a release
  tripoint replay JOURNAL                      re-run a journal and check it
  tripoint --help                              everything else";

/// Events of the console loop: a key, a resize, a redraw tick, a new snapshot.
enum Event {
    Key(KeyEvent),
    Resize,
    Tick,
    Update(Update),
    /// The terminal's event stream or the simulation thread ended.
    Closed,
}

pub fn run(args: &ConsoleArgs) -> CliResult {
    if !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal()) {
        return Err(CliError::Input(NO_TERMINAL.to_string()));
    }
    let policy = PolicyKind::parse(&args.policy)
        .ok_or_else(|| CliError::Input(format!("--policy {:?}: expected county or unified", args.policy)))?;
    let drill = Arc::new(load_target(args.target.as_deref())?);
    let seat = Seat::parse(&args.seat, &drill.scenario).ok_or_else(|| {
        CliError::Input(format!(
            "--seat {:?}: expected command, controller or a jurisdiction id",
            args.seat
        ))
    })?;
    let config = DrillConfig {
        policy,
        seed: args.seed,
        journal: true,
        human_seats: vec![seat],
    };
    let mut session = Session::new(drill.clone(), &config).map_err(|e| CliError::Input(e.to_string()))?;
    // The world runs unobserved up to the exercise start (stations, releases before it).
    session
        .advance_to(drill.start)
        .map_err(|e| CliError::Internal(anyhow::anyhow!("{e}")))?;
    let geometry = Arc::new(MapGeometry::of(&drill.scenario));
    let first = Arc::new(view::snapshot(&session, None, false));
    let (commands, command_rx) = std::sync::mpsc::channel();
    let (update_tx, updates) = watch::channel(Update {
        snapshot: first.clone(),
        message: None,
        finished: false,
    });
    let runner = Runner {
        session,
        commands: command_rx,
        updates: update_tx,
        journal_path: args.journal.clone(),
    };
    let simulation = std::thread::spawn(move || runner.run());
    let mut app = App::new(geometry, first, seat);
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
                if let Some(message) = update.message {
                    app.status = message;
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
