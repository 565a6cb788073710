//! The exercise clock: maps wall-clock instants (given by the caller; the library reads no
//! clock) to exercise time, with pause, resume and speed changes. Exercise time stands
//! still while paused, so nothing falls due during a pause and resuming never releases a
//! burst of pending injects: they come at their exercise times, at the chosen speed.

use crate::time::SimTime;
use serde::{Deserialize, Serialize};

/// How fast exercise time runs against the wall clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Speed {
    RealTime,
    X10,
    X60,
    X600,
    /// As fast as the simulation can go: the caller steps in bounded batches.
    Fastest,
}

impl Speed {
    /// Exercise seconds per wall second; `None` for [`Speed::Fastest`].
    pub fn factor(self) -> Option<i64> {
        match self {
            Speed::RealTime => Some(1),
            Speed::X10 => Some(10),
            Speed::X60 => Some(60),
            Speed::X600 => Some(600),
            Speed::Fastest => None,
        }
    }

    pub const ALL: [Speed; 5] = [Speed::RealTime, Speed::X10, Speed::X60, Speed::X600, Speed::Fastest];

    pub fn label(self) -> &'static str {
        match self {
            Speed::RealTime => "real time",
            Speed::X10 => "×10",
            Speed::X60 => "×60",
            Speed::X600 => "×600",
            Speed::Fastest => "fastest",
        }
    }
}

/// Exercise time as a function of wall time [ms], piecewise linear.
#[derive(Clone, Debug)]
pub struct ExerciseClock {
    speed: Speed,
    paused: bool,
    /// Wall time [ms] and exercise time at the last pause, resume or speed change.
    anchor_wall_ms: u64,
    anchor: SimTime,
}

impl ExerciseClock {
    /// A paused clock at `start`.
    pub fn new(start: SimTime, wall_ms: u64) -> ExerciseClock {
        ExerciseClock {
            speed: Speed::X60,
            paused: true,
            anchor_wall_ms: wall_ms,
            anchor: start,
        }
    }

    pub fn paused(&self) -> bool {
        self.paused
    }

    pub fn speed(&self) -> Speed {
        self.speed
    }

    /// Exercise time at a wall instant. At [`Speed::Fastest`] the clock does not bound the
    /// simulation: this returns the anchor and the caller advances by steps.
    pub fn now(&self, wall_ms: u64) -> SimTime {
        match (self.paused, self.speed.factor()) {
            (false, Some(factor)) => {
                let elapsed_ms = wall_ms.saturating_sub(self.anchor_wall_ms) as i64;
                SimTime(self.anchor.seconds() + elapsed_ms * factor / 1000)
            }
            _ => self.anchor,
        }
    }

    pub fn pause(&mut self, wall_ms: u64) {
        self.reanchor(wall_ms);
        self.paused = true;
    }

    pub fn resume(&mut self, wall_ms: u64) {
        self.reanchor(wall_ms);
        self.paused = false;
    }

    pub fn set_speed(&mut self, speed: Speed, wall_ms: u64) {
        self.reanchor(wall_ms);
        self.speed = speed;
    }

    /// The simulation got ahead of the anchor (stepping, fastest speed): the clock
    /// continues from there.
    pub fn catch_up(&mut self, to: SimTime, wall_ms: u64) {
        self.reanchor(wall_ms);
        self.anchor = self.anchor.max(to);
    }

    /// Pauses with exercise time at `at`: a pause point the simulation has just reached
    /// (the wall clock may have run a little past it; the exercise does not).
    pub fn pause_exactly_at(&mut self, at: SimTime, wall_ms: u64) {
        self.paused = true;
        self.anchor = at;
        self.anchor_wall_ms = wall_ms;
    }

    fn reanchor(&mut self, wall_ms: u64) {
        self.anchor = self.now(wall_ms);
        self.anchor_wall_ms = wall_ms;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exercise_time_stands_still_while_paused() {
        let mut clock = ExerciseClock::new(SimTime(3600), 1_000);
        clock.set_speed(Speed::X60, 1_000);
        clock.resume(1_000);
        assert_eq!(clock.now(2_000), SimTime(3660));
        clock.pause(2_000);
        assert_eq!(clock.now(3_602_000), SimTime(3660), "an hour of pause moves nothing");
        clock.resume(3_602_000);
        assert_eq!(
            clock.now(3_603_000),
            SimTime(3720),
            "one wall second at ×60 after resuming"
        );
    }

    #[test]
    fn speed_changes_keep_the_time_reached() {
        let mut clock = ExerciseClock::new(SimTime(0), 0);
        clock.set_speed(Speed::RealTime, 0);
        clock.resume(0);
        clock.set_speed(Speed::X600, 10_000);
        assert_eq!(clock.now(10_000), SimTime(10));
        assert_eq!(clock.now(11_000), SimTime(610));
    }
}
