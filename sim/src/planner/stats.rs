//! Estimates with 95 % confidence intervals for the planner's measures.
//!
//! - proportions: the Wilson score interval;
//! - quantiles: the distribution-free interval from order statistics (binomial ranks,
//!   normal approximation), which holds for censored values placed at infinity;
//! - means: the normal interval, mean ± 1.96 standard errors; for a quantity that cannot
//!   leave a range (a utilisation, between 0 and 1) the interval is clipped to it.

use serde::{Deserialize, Serialize};

const Z95: f64 = 1.959_963_984_540_054;

/// An estimate with its 95 % interval. `None` bounds: not estimable (no data, or the
/// interval reaches values never observed, such as never sampled).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub value: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// Observations behind it.
    pub n: usize,
}

impl Estimate {
    pub fn none(n: usize) -> Estimate {
        Estimate {
            value: None,
            low: None,
            high: None,
            n,
        }
    }
}

/// Share `k / n` with the Wilson score interval.
pub fn proportion(k: usize, n: usize) -> Estimate {
    if n == 0 {
        return Estimate::none(0);
    }
    let (k, nf) = (k as f64, n as f64);
    let p = k / nf;
    let z2 = Z95 * Z95;
    let centre = (p + z2 / (2.0 * nf)) / (1.0 + z2 / nf);
    let half = Z95 / (1.0 + z2 / nf) * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt();
    Estimate {
        value: Some(p),
        // At k = 0 and k = n the bounds are exactly 0 and 1; rounding would miss them.
        low: Some(if k == 0.0 { 0.0 } else { (centre - half).max(0.0) }),
        high: Some(if k == nf { 1.0 } else { (centre + half).min(1.0) }),
        n,
    }
}

/// The `p` quantile of `values` (`None` = never happened, larger than any value) with its
/// order-statistic interval. Uses the lower empirical quantile (rank ⌈n p⌉).
pub fn quantile(values: &[Option<f64>], p: f64) -> Estimate {
    let n = values.len();
    if n == 0 {
        return Estimate::none(0);
    }
    let mut sorted: Vec<f64> = values.iter().map(|v| v.unwrap_or(f64::INFINITY)).collect();
    sorted.sort_by(f64::total_cmp);
    let nf = n as f64;
    let at = |rank: f64| -> Option<f64> {
        let i = (rank.max(1.0).min(nf) as usize) - 1;
        Some(sorted[i]).filter(|v| v.is_finite())
    };
    let half = Z95 * (nf * p * (1.0 - p)).sqrt();
    Estimate {
        value: at((nf * p).ceil()),
        low: at((nf * p - half).floor()),
        high: if (nf * p + half).ceil() > nf {
            None
        } else {
            at((nf * p + half).ceil())
        },
        n,
    }
}

/// Mean with the normal interval.
pub fn mean(values: &[f64]) -> Estimate {
    let n = values.len();
    if n == 0 {
        return Estimate::none(0);
    }
    let nf = n as f64;
    let m = values.iter().sum::<f64>() / nf;
    let var = if n > 1 {
        values.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (nf - 1.0)
    } else {
        0.0
    };
    let half = Z95 * (var / nf).sqrt();
    Estimate {
        value: Some(m),
        low: Some(m - half),
        high: Some(m + half),
        n,
    }
}

/// Mean of values that cannot leave `[floor, ceiling]` (a share, a utilisation), with the
/// normal interval clipped to that range: near 0 the normal interval reaches below what
/// the quantity can be, and a negative lower end says nothing.
pub fn mean_within(values: &[f64], floor: f64, ceiling: f64) -> Estimate {
    let e = mean(values);
    Estimate {
        low: e.low.map(|v| v.clamp(floor, ceiling)),
        high: e.high.map(|v| v.clamp(floor, ceiling)),
        ..e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_a_textbook_case() {
        // 81 of 263 (Wilson 1927 style example; interval checked by hand: 0.2553–0.3662).
        let e = proportion(81, 263);
        assert!((e.value.unwrap() - 0.30798).abs() < 1e-4);
        assert!((e.low.unwrap() - 0.2553).abs() < 1e-3, "{e:?}");
        assert!((e.high.unwrap() - 0.3662).abs() < 1e-3, "{e:?}");
        let all = proportion(10, 10);
        assert_eq!(all.high, Some(1.0));
        assert!(all.low.unwrap() > 0.69 && all.low.unwrap() < 0.73);
    }

    #[test]
    fn quantiles_of_a_known_sample() {
        let values: Vec<Option<f64>> = (1..=100).map(|i| Some(i as f64)).collect();
        let median = quantile(&values, 0.5);
        assert_eq!(median.value, Some(50.0));
        // ranks 50 ∓ 1.96·5 → 40 and 60.
        assert_eq!(median.low, Some(40.0));
        assert_eq!(median.high, Some(60.0));
        let mut censored = values.clone();
        for v in censored.iter_mut().skip(95) {
            *v = None;
        }
        assert_eq!(quantile(&censored, 0.95).value, Some(95.0));
        assert_eq!(quantile(&censored, 0.97).value, None);
    }

    #[test]
    fn mean_interval_shrinks_with_n() {
        let small = mean(&[1.0, 2.0, 3.0, 4.0]);
        assert_eq!(small.value, Some(2.5));
        let wide = small.high.unwrap() - small.low.unwrap();
        let big: Vec<f64> = (0..400).map(|i| (i % 4 + 1) as f64).collect();
        let b = mean(&big);
        assert!(b.high.unwrap() - b.low.unwrap() < wide / 5.0);
    }

    #[test]
    fn a_utilisation_interval_never_reaches_below_zero() {
        // Mostly idle: the normal interval's lower end is negative, the clipped one is 0.
        let mut values = vec![0.0; 19];
        values.push(0.5);
        assert!(mean(&values).low.unwrap() < 0.0);
        let e = mean_within(&values, 0.0, 1.0);
        assert_eq!(e.low, Some(0.0));
        assert_eq!(e.value, mean(&values).value);
        assert!(e.high.unwrap() > 0.025 && e.high.unwrap() <= 1.0);
    }
}
