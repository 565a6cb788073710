//! Simulation time: integer seconds since the scenario start, never an accumulated float.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::{Add, Sub};

/// A point in simulation time [s since the scenario start, which is 00:00 on day 1].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SimTime(pub i64);

/// A span of simulation time [s].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SimDuration(pub i64);

impl SimTime {
    pub const ZERO: SimTime = SimTime(0);

    pub fn from_hours(hours: i64) -> SimTime {
        SimTime(hours * 3600)
    }

    pub fn seconds(self) -> i64 {
        self.0
    }

    /// Seconds as a float, for physics that needs it; never accumulated back.
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64
    }

    /// Reads `HH:MM` (day 1) or `D2 HH:MM` on the scenario clock, as [`SimTime::clock_label`]
    /// writes it.
    pub fn parse_clock(text: &str) -> Option<SimTime> {
        let text = text.trim();
        let (day, clock) = match text.split_once(' ') {
            Some((day, clock)) => (day.strip_prefix('D')?.parse::<i64>().ok()?, clock.trim()),
            None => (1, text),
        };
        let (h, m) = clock.split_once(':')?;
        let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
        let valid = (1..=10_000).contains(&day) && (0..24).contains(&h) && (0..60).contains(&m);
        valid.then(|| SimTime((day - 1) * 86_400 + h * 3600 + m * 60))
    }

    /// Clock label such as `D1 14:30` (day 1 is the scenario's first day).
    pub fn clock_label(self) -> String {
        let total_min = self.0.div_euclid(60);
        let day = total_min.div_euclid(24 * 60) + 1;
        let minute_of_day = total_min.rem_euclid(24 * 60);
        format!("D{} {:02}:{:02}", day, minute_of_day / 60, minute_of_day % 60)
    }
}

impl SimDuration {
    pub const ZERO: SimDuration = SimDuration(0);

    pub fn from_minutes(minutes: i64) -> SimDuration {
        SimDuration(minutes * 60)
    }

    pub fn from_hours(hours: i64) -> SimDuration {
        SimDuration(hours * 3600)
    }

    /// `seconds` to the nearest whole second, halves away from zero, saturating: the value
    /// `SimDuration(seconds.round() as i64)` gives, without `f64::round`, which is a call
    /// into libm on x86-64 CPUs without SSE4.1 (the release build's baseline); the
    /// truncation and the comparisons here are a few instructions. Exact: `seconds` less
    /// its truncation is computed without rounding error.
    pub fn from_secs_rounded(seconds: f64) -> SimDuration {
        // `as` truncates toward zero, saturates, and maps NaN to 0.
        let whole = seconds as i64;
        let fraction = seconds - whole as f64;
        let up = i64::from(fraction >= 0.5);
        let down = i64::from(fraction <= -0.5);
        SimDuration(whole.saturating_add(up).saturating_sub(down))
    }

    pub fn seconds(self) -> i64 {
        self.0
    }

    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64
    }

    pub fn as_hours_f64(self) -> f64 {
        self.0 as f64 / 3600.0
    }
}

impl Add<SimDuration> for SimTime {
    type Output = SimTime;
    fn add(self, rhs: SimDuration) -> SimTime {
        SimTime(self.0 + rhs.0)
    }
}

impl Sub<SimTime> for SimTime {
    type Output = SimDuration;
    fn sub(self, rhs: SimTime) -> SimDuration {
        SimDuration(self.0 - rhs.0)
    }
}

impl Add for SimDuration {
    type Output = SimDuration;
    fn add(self, rhs: SimDuration) -> SimDuration {
        SimDuration(self.0 + rhs.0)
    }
}

impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.clock_label())
    }
}

impl fmt::Display for SimDuration {
    /// Renders as `+3h05m` (sign, hours, minutes), the way a duty officer reads elapsed time.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "+" };
        let total_min = self.0.abs() / 60;
        write!(f, "{}{}h{:02}m", sign, total_min / 60, total_min % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_to_the_second_is_f64_round() {
        let mut values = vec![
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.5,
            2.5,
            -2.5,
            0.49999999999999994,
            -0.49999999999999994,
            4_503_599_627_370_495.5,
            4_503_599_627_370_497.0,
            1e300,
            -1e300,
            9.223_372_036_854_776e18,
            f64::MAX,
            f64::MIN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            f64::MIN_POSITIVE,
        ];
        // A deterministic spread of magnitudes and fractions.
        let mut x = 0.123_456_789_f64;
        for _ in 0..20_000 {
            x = (x * 7.389_056_098_930_65).fract();
            values.push((x - 0.5) * 10f64.powi((x * 24.0) as i32));
        }
        for v in values {
            assert_eq!(
                SimDuration::from_secs_rounded(v),
                SimDuration(v.round() as i64),
                "{v:e}"
            );
        }
    }

    #[test]
    fn clock_label_rolls_over_days() {
        assert_eq!(SimTime(0).clock_label(), "D1 00:00");
        assert_eq!(SimTime(14 * 3600 + 30 * 60).clock_label(), "D1 14:30");
        assert_eq!(SimTime(25 * 3600 + 59).clock_label(), "D2 01:00");
        assert_eq!(SimTime(49 * 3600).clock_label(), "D3 01:00");
    }

    #[test]
    fn a_clock_label_reads_back() {
        for t in [0, 14 * 3600 + 30 * 60, 49 * 3600 + 5 * 60] {
            assert_eq!(SimTime::parse_clock(&SimTime(t).clock_label()), Some(SimTime(t)));
        }
        assert_eq!(SimTime::parse_clock("05:07"), Some(SimTime(5 * 3600 + 7 * 60)));
        for bad in ["", "5", "24:00", "D0 01:00", "D1 1:60", "Dx 01:00", "a:b"] {
            assert_eq!(SimTime::parse_clock(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn duration_display_is_signed_hours_and_minutes() {
        assert_eq!(SimDuration(3 * 3600 + 5 * 60 + 59).to_string(), "+3h05m");
        assert_eq!(SimDuration(-90 * 60).to_string(), "-1h30m");
    }
}
