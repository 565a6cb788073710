//! The simulation thread: owns the drill session and the exercise clock, applies the
//! console's commands between events, advances with the clock and publishes snapshots.
//! The console never waits for it: it reads the latest snapshot when it draws.

use super::app::Command;
use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::{Duration, Instant};
use tokio::sync::watch;
use tripoint_sim::drill::clock::{ExerciseClock, Speed};
use tripoint_sim::drill::view::{self, Snapshot};
use tripoint_sim::drill::{self, Seat, Session};
use tripoint_sim::time::{SimDuration, SimTime};

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
    /// The first line of a saved journal: what is needed to replay it.
    pub journal_header: String,
    /// A replay: the person's recorded actions, applied when the clock reaches them.
    pub recorded: VecDeque<Recorded>,
}

/// A person's action read back from a journal.
#[derive(Clone, Debug, PartialEq)]
pub struct Recorded {
    pub at: SimTime,
    /// How many events the session had handled when the person acted; `None` in journals
    /// written before it was recorded (the action then follows every event of its second).
    pub after_events: Option<u64>,
    pub seat: Seat,
    pub action: drill::Action,
}

/// Applies a person's action now, then every event it causes at this moment, exactly as
/// the console does live (so a replay reproduces the journal).
pub fn apply_action(session: &mut Session, seat: Seat, action: drill::Action) -> Result<(), drill::DrillError> {
    session.submit(seat, action)?;
    session.advance_to(session.now())
}

/// Advances to `target`, applying the recorded actions due on the way where they were
/// taken: after the same number of events (so an action taken between two events of one
/// second, after stepping, comes back between them), at their time.
pub fn advance_with(
    session: &mut Session,
    recorded: &mut VecDeque<Recorded>,
    target: SimTime,
) -> Result<(), drill::DrillError> {
    while recorded.front().is_some_and(|r| r.at <= target) {
        let r = recorded.pop_front().expect("checked");
        if let Some(after_events) = r.after_events {
            while session.n_handled() < after_events && session.next_time().is_some_and(|t| t <= r.at) {
                session.step()?;
            }
        }
        // Nothing left at or before its time (or an old journal): the clock moves on to it.
        if session.next_time().is_none_or(|t| t > r.at) || r.after_events.is_none() {
            session.advance_to(r.at)?;
        }
        apply_action(session, r.seat, r.action)?;
    }
    session.advance_to(target)
}

/// What the session made of the person's last action (its outcome in the drill log), if
/// it said anything.
fn outcome_of(session: &Session, seat: Seat, action: &drill::Action) -> Option<String> {
    let log = session.world().resource::<drill::engine::DrillLog>();
    log.actions
        .iter()
        .rev()
        .find(|a| a.seat == seat && a.action == *action && a.at == session.now())
        .map(|a| a.outcome.clone())
        .filter(|o| !o.is_empty())
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
                        message = Some(match step(&mut self.session, &mut self.recorded) {
                            Ok(Some(t)) => format!("stepped to {}", t.clock_label()),
                            Ok(None) => "nothing left before the end".to_string(),
                            Err(e) => format!("error: {e}"),
                        });
                        clock.catch_up(self.session.now(), wall_ms());
                    }
                    Command::Act(seat, action) => {
                        // Applied now: actions take effect between events.
                        match apply_action(&mut self.session, seat, action.clone()) {
                            Ok(()) => message = outcome_of(&self.session, seat, &action).or(message),
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
                            .chain(self.session.journal().iter().cloned())
                            .collect();
                        message = Some(match crate::journal::write(&self.journal_path, &lines) {
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
                if let Err(e) = advance_with(&mut self.session, &mut self.recorded, target) {
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

/// One event, or the next recorded action if it comes first.
fn step(session: &mut Session, recorded: &mut VecDeque<Recorded>) -> Result<Option<SimTime>, drill::DrillError> {
    let next_event = session.next_time();
    let action_first = |r: &Recorded| match r.after_events {
        Some(after_events) => session.n_handled() >= after_events,
        None => next_event.is_none_or(|e| r.at < e),
    };
    match recorded.front() {
        Some(r) if action_first(r) => {
            let t = r.at;
            advance_with(session, recorded, t)?;
            Ok(Some(t))
        }
        _ => session.step(),
    }
}
