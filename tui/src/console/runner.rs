//! The simulation thread: owns the drill session and the exercise clock (an
//! [`Exercise`], shared with the server), applies the console's commands between events,
//! advances with the clock and publishes snapshots with the source panel's estimates
//! (made on the worker of [`crate::estimator`]). The console never waits for it: it reads
//! the latest snapshot when it draws.

use super::app::Command;
use crate::exercise::{Exercise, outcome_of};
pub use crate::exercise::{Recorded, advance_with, apply_action};
use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::{Duration, Instant};
use tokio::sync::watch;
use tripoint_sim::drill::Session;
use tripoint_sim::drill::view::{self, Snapshot};

/// What the simulation thread publishes.
#[derive(Clone)]
pub struct Update {
    pub snapshot: Arc<Snapshot>,
    /// What the last command did, for the status line.
    pub message: Option<String>,
    /// The exercise has reached its end.
    pub finished: bool,
    /// The clock as someone else runs it (paused, speed): a server's, for a connected
    /// console; `None` when this console runs its own.
    pub clock: Option<(bool, tripoint_sim::drill::clock::Speed)>,
}

/// Wall time between snapshots.
const SNAPSHOT_EVERY: Duration = Duration::from_millis(100);
/// Wall time the thread sleeps when there is nothing to do.
const IDLE_SLEEP: Duration = Duration::from_millis(20);

pub struct Runner {
    pub session: Session,
    pub commands: Receiver<Command>,
    pub updates: watch::Sender<Update>,
    pub journal_path: PathBuf,
    /// The first line of a saved journal: what is needed to replay it.
    pub journal_header: String,
    /// A replay: the person's recorded actions, applied when the clock reaches them.
    pub recorded: VecDeque<Recorded>,
    /// The database the session is written into as it goes (`--db`; by default for a
    /// live incident): each declaration, result, plan revision and approval when it
    /// happens, the whole record when the console quits.
    pub recorder: Option<crate::commands::db_record::SessionRecorder>,
    /// The language the status line shows an action's outcome in (the console's).
    pub lang: crate::i18n::Lang,
}

impl Runner {
    pub fn run(self) {
        let mut recorder = self.recorder;
        let mut exercise = Exercise::new(self.session, self.recorded);
        // The source panel's identifications run on their own thread.
        let mut estimator = crate::estimator::Estimator::start();
        let (mut chart_point, mut truth) = (None::<String>, false);
        let mut last_snapshot = Instant::now() - SNAPSHOT_EVERY;
        let mut message = None;
        let mut dirty = true;
        loop {
            loop {
                let command = match self.commands.try_recv() {
                    Ok(command) => command,
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => {
                        finish_record(&mut recorder, &mut exercise);
                        return;
                    }
                };
                dirty = true;
                match command {
                    Command::Quit => {
                        finish_record(&mut recorder, &mut exercise);
                        return;
                    }
                    Command::Pause => exercise.pause(),
                    Command::Resume => exercise.resume(),
                    Command::Speed(speed) => exercise.set_speed(speed),
                    Command::Step => {
                        message = Some(match exercise.step() {
                            Ok(Some(t)) => format!("stepped to {}", t.clock_label()),
                            Ok(None) => "nothing left before the end".to_string(),
                            Err(e) => format!("error: {e}"),
                        });
                    }
                    Command::Act(seat, action) => {
                        // Applied now: actions take effect between events.
                        match exercise.act(seat, action.clone(), None) {
                            Ok(()) => message = outcome_of(&exercise.session, seat, &action, self.lang).or(message),
                            Err(e) => message = Some(format!("error: {e}")),
                        }
                    }
                    Command::View {
                        chart_point: p,
                        truth: t,
                    } => {
                        chart_point = p;
                        truth = t;
                    }
                    Command::SaveJournal => {
                        let lines: Vec<String> = std::iter::once(self.journal_header.clone())
                            .chain(exercise.session.journal().iter().cloned())
                            .collect();
                        let path = self.journal_path.display().to_string();
                        message = Some(match crate::journal::write(&self.journal_path, &lines) {
                            Ok(()) => self.lang.t_args("status-journal-saved", &[("path", path.into())]),
                            Err(e) => self.lang.t_args(
                                "status-journal-unsaved",
                                &[("path", path.into()), ("problem", e.to_string().into())],
                            ),
                        });
                    }
                }
            }
            match exercise.advance() {
                Ok(advanced) => {
                    dirty |= advanced.moved;
                    if advanced.ended {
                        message = Some(self.lang.t("status-ended"));
                    }
                }
                Err(e) => {
                    message = Some(format!("error: {e}"));
                    dirty = true;
                }
            }
            if let Some(recorder) = &mut recorder
                && let Some(text) = recorder.checkpoint(&mut exercise.session)
            {
                message = Some(text);
                dirty = true;
            }
            dirty |= estimator.poll();
            let finished = exercise.finished();
            if dirty && last_snapshot.elapsed() >= SNAPSHOT_EVERY {
                estimator.observe(&exercise.session);
                let mut snapshot = view::snapshot(&exercise.session, chart_point.as_deref(), truth);
                snapshot.sources = estimator.estimates();
                let _ = self.updates.send(Update {
                    snapshot: Arc::new(snapshot),
                    message: message.take(),
                    finished,
                    clock: None,
                });
                last_snapshot = Instant::now();
                dirty = false;
            }
            std::thread::sleep(IDLE_SLEEP);
        }
    }
}

/// The session's whole record when the console quits (the terminal is restored by then:
/// the message goes to standard error).
fn finish_record(recorder: &mut Option<crate::commands::db_record::SessionRecorder>, exercise: &mut Exercise) {
    if let Some(recorder) = recorder
        && let Some(message) = recorder.finish(&mut exercise.session, None)
    {
        eprintln!("{message}");
    }
}
