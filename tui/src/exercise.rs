//! One drill session driven by the exercise clock, as the front ends run it: actions
//! applied between events, recorded actions (a replay) applied where they were taken,
//! and time advanced as the clock says (real time to ×600, or as fast as it goes in
//! bounded steps). The console's simulation thread and the exercise server both drive
//! their session through [`Exercise`]; replays use [`advance_with`] alone.

use crate::i18n::Lang;
use std::collections::VecDeque;
use std::time::Instant;
use tripoint_sim::drill::clock::{ExerciseClock, Speed};
use tripoint_sim::drill::permissions::Request;
use tripoint_sim::drill::{self, Seat, Session};
use tripoint_sim::time::{SimDuration, SimTime};

/// Exercise time the fastest speed advances per call of [`Exercise::advance`].
pub const FASTEST_STEP: SimDuration = SimDuration(20 * 60);

/// A person's action read back from a journal.
#[derive(Clone, Debug, PartialEq)]
pub struct Recorded {
    pub at: SimTime,
    /// How many events the session had handled when the person acted; `None` in journals
    /// written before it was recorded (the action then follows every event of its second).
    pub after_events: Option<u64>,
    pub seat: Seat,
    pub action: drill::Action,
    /// The server's record of who sent it (server journals only).
    pub request: Option<Request>,
}

/// Applies a person's action now, then every event it causes at this moment, exactly as
/// the console does live (so a replay reproduces the journal).
pub fn apply_action(session: &mut Session, seat: Seat, action: drill::Action) -> Result<(), drill::DrillError> {
    apply_request(session, seat, action, None)
}

/// [`apply_action`] for an action sent to the server, with its request.
pub fn apply_request(
    session: &mut Session,
    seat: Seat,
    action: drill::Action,
    request: Option<Request>,
) -> Result<(), drill::DrillError> {
    session.submit_action(seat, action, request)?;
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
        apply_request(session, r.seat, r.action, r.request)?;
    }
    session.advance_to(target)
}

/// One event, or the next recorded action if it comes first.
pub fn step(session: &mut Session, recorded: &mut VecDeque<Recorded>) -> Result<Option<SimTime>, drill::DrillError> {
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

/// What the session made of a person's last action (its outcome in the drill log), if
/// it said anything, in `lang`: the engine's English in English (as it always was), the
/// outcome's sentence (`report.ftl`'s `tl-` messages) in another language where the
/// engine gave it as data.
pub fn outcome_of(session: &Session, seat: Seat, action: &drill::Action, lang: Lang) -> Option<String> {
    let log = session.world().resource::<drill::engine::DrillLog>();
    log.actions
        .iter()
        .rev()
        .find(|a| a.seat == seat && a.action == *action && a.at == session.now())
        .filter(|a| !a.outcome.is_empty())
        .map(|a| match &a.outcome_event {
            Some(event) if lang != Lang::En => crate::report::drill::text(lang, session.drill(), event),
            _ => a.outcome.clone(),
        })
}

/// What one call of [`Exercise::advance`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Advanced {
    /// Exercise time moved.
    pub moved: bool,
    /// The exercise reached its end now (the clock was paused there).
    pub ended: bool,
}

/// A session with its exercise clock. The clock starts paused at the session's time.
pub struct Exercise {
    pub session: Session,
    /// A replay: the person's recorded actions, applied when the clock reaches them.
    pub recorded: VecDeque<Recorded>,
    clock: ExerciseClock,
    epoch: Instant,
    /// Where the clock pauses by itself (a controller's `pause_at`), if anywhere.
    pause_at: Option<SimTime>,
}

impl Exercise {
    pub fn new(session: Session, recorded: VecDeque<Recorded>) -> Exercise {
        let clock = ExerciseClock::new(session.now(), 0);
        Exercise {
            session,
            recorded,
            clock,
            epoch: Instant::now(),
            pause_at: None,
        }
    }

    /// Wall time since the exercise was opened [ms]: the clock's time base.
    fn wall_ms(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }

    pub fn paused(&self) -> bool {
        self.clock.paused()
    }

    pub fn speed(&self) -> Speed {
        self.clock.speed()
    }

    pub fn pause(&mut self) {
        let wall_ms = self.wall_ms();
        self.clock.pause(wall_ms);
    }

    pub fn resume(&mut self) {
        let wall_ms = self.wall_ms();
        self.clock.resume(wall_ms);
    }

    pub fn set_speed(&mut self, speed: Speed) {
        let wall_ms = self.wall_ms();
        self.clock.set_speed(speed, wall_ms);
    }

    /// Where the clock will pause by itself, if anywhere.
    pub fn pause_at(&self) -> Option<SimTime> {
        self.pause_at
    }

    /// Makes the clock pause by itself when exercise time reaches `at` (`None`: no such
    /// point). The simulation stops exactly there, whatever the speed, so a controller can
    /// run an exercise to a given time and act there.
    pub fn set_pause_at(&mut self, at: Option<SimTime>) {
        self.pause_at = at;
    }

    /// The exercise has reached its end.
    pub fn finished(&self) -> bool {
        self.session.now() >= self.session.end()
    }

    /// Pauses and handles one event (or the next recorded action); the time it reached.
    pub fn step(&mut self) -> Result<Option<SimTime>, drill::DrillError> {
        self.pause();
        let stepped = step(&mut self.session, &mut self.recorded);
        let wall_ms = self.wall_ms();
        self.clock.catch_up(self.session.now(), wall_ms);
        stepped
    }

    /// Applies a seat's action now (between events).
    pub fn act(
        &mut self,
        seat: Seat,
        action: drill::Action,
        request: Option<Request>,
    ) -> Result<(), drill::DrillError> {
        apply_request(&mut self.session, seat, action, request)
    }

    /// Advances the session to where the clock is (at the fastest speed, by one bounded
    /// step), applying recorded actions on the way. An error pauses the clock. Reaching
    /// the end pauses it too.
    pub fn advance(&mut self) -> Result<Advanced, drill::DrillError> {
        let now = self.session.now();
        let mut target = if self.clock.paused() {
            now
        } else if self.clock.speed() == Speed::Fastest {
            now + FASTEST_STEP
        } else {
            self.clock.now(self.wall_ms())
        };
        if let Some(at) = self.pause_at {
            target = target.min(at.max(now));
        }
        let mut advanced = Advanced::default();
        if target > now {
            if let Err(e) = advance_with(&mut self.session, &mut self.recorded, target) {
                self.pause();
                return Err(e);
            }
            if self.clock.speed() == Speed::Fastest {
                let wall_ms = self.wall_ms();
                self.clock.catch_up(self.session.now(), wall_ms);
            }
            advanced.moved = true;
        }
        if let Some(at) = self.pause_at
            && self.session.now() >= at
            && !self.clock.paused()
        {
            let wall_ms = self.wall_ms();
            self.clock.pause_exactly_at(self.session.now(), wall_ms);
            self.pause_at = None;
            advanced.moved = true;
        }
        if self.finished() && !self.clock.paused() {
            self.pause();
            advanced.ended = true;
        }
        Ok(advanced)
    }
}
