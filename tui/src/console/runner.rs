//! The simulation thread: owns the drill session and the exercise clock, applies the
//! console's commands between events, advances with the clock and publishes snapshots.
//! The console never waits for it: it reads the latest snapshot when it draws.

use super::app::Command;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::{Duration, Instant};
use tokio::sync::watch;
use tripoint_sim::drill::Session;
use tripoint_sim::drill::clock::{ExerciseClock, Speed};
use tripoint_sim::drill::view::{self, Snapshot};
use tripoint_sim::time::SimDuration;

/// What the simulation thread publishes.
#[derive(Clone)]
pub struct Update {
    pub snapshot: Arc<Snapshot>,
    /// What the last command did, for the status line.
    pub message: Option<String>,
    /// The exercise has reached its end.
    pub finished: bool,
}

/// Exercise time the fastest speed advances per wall tick.
const FASTEST_STEP: SimDuration = SimDuration(20 * 60);
/// Wall time between snapshots.
const SNAPSHOT_EVERY: Duration = Duration::from_millis(100);
/// Wall time the thread sleeps when there is nothing to do.
const IDLE_SLEEP: Duration = Duration::from_millis(20);

pub struct Runner {
    pub session: Session,
    pub commands: Receiver<Command>,
    pub updates: watch::Sender<Update>,
    pub journal_path: PathBuf,
}

impl Runner {
    pub fn run(mut self) {
        let epoch = Instant::now();
        let wall_ms = || epoch.elapsed().as_millis() as u64;
        let mut clock = ExerciseClock::new(self.session.now(), wall_ms());
        let (mut chart_point, mut truth) = (None::<String>, false);
        let mut last_snapshot = Instant::now() - SNAPSHOT_EVERY;
        let mut message = None;
        let mut dirty = true;
        loop {
            loop {
                let command = match self.commands.try_recv() {
                    Ok(command) => command,
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => return,
                };
                dirty = true;
                match command {
                    Command::Quit => return,
                    Command::Pause => clock.pause(wall_ms()),
                    Command::Resume => clock.resume(wall_ms()),
                    Command::Speed(speed) => clock.set_speed(speed, wall_ms()),
                    Command::Step => {
                        clock.pause(wall_ms());
                        message = Some(match self.session.step() {
                            Ok(Some(t)) => format!("stepped to {}", t.clock_label()),
                            Ok(None) => "nothing left before the end".to_string(),
                            Err(e) => format!("error: {e}"),
                        });
                        clock.catch_up(self.session.now(), wall_ms());
                    }
                    Command::Act(seat, action) => {
                        if let Err(e) = self.session.submit(seat, action) {
                            message = Some(format!("error: {e}"));
                        }
                        // Apply it now: actions take effect between events.
                        let _ = self.session.advance_to(self.session.now());
                    }
                    Command::View {
                        chart_point: p,
                        truth: t,
                    } => {
                        chart_point = p;
                        truth = t;
                    }
                    Command::SaveJournal => {
                        let mut text = self.session.journal().join("\n");
                        text.push('\n');
                        message = Some(match std::fs::write(&self.journal_path, text) {
                            Ok(()) => format!("journal saved to {}", self.journal_path.display()),
                            Err(e) => format!("cannot save the journal to {}: {e}", self.journal_path.display()),
                        });
                    }
                }
            }
            let target = if clock.paused() {
                self.session.now()
            } else if clock.speed() == Speed::Fastest {
                self.session.now() + FASTEST_STEP
            } else {
                clock.now(wall_ms())
            };
            if target > self.session.now() {
                if let Err(e) = self.session.advance_to(target) {
                    message = Some(format!("error: {e}"));
                    clock.pause(wall_ms());
                }
                if clock.speed() == Speed::Fastest {
                    clock.catch_up(self.session.now(), wall_ms());
                }
                dirty = true;
            }
            let finished = self.session.now() >= self.session.end();
            if finished && !clock.paused() {
                clock.pause(wall_ms());
                message = Some("the exercise has ended".to_string());
            }
            if dirty && last_snapshot.elapsed() >= SNAPSHOT_EVERY {
                let snapshot = view::snapshot(&self.session, chart_point.as_deref(), truth);
                let _ = self.updates.send(Update {
                    snapshot: Arc::new(snapshot),
                    message: message.take(),
                    finished,
                });
                last_snapshot = Instant::now();
                dirty = false;
            }
            std::thread::sleep(IDLE_SLEEP);
        }
    }
}
