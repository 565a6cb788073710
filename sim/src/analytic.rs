//! Closed-form solutions of river transport that validate the numerical model.
//!
//! Units are SI throughout: distance `x` [m], time `t` [s], velocity `u` [m/s],
//! dispersion `D` [m²/s], first-order decay rate `k` [1/s], cross-section area `A` [m²],
//! volume `V` [m³], flow `Q` [m³/s], mass `M` [g] and concentrations in g/m³ (= mg/L).
//!
//! Every function is pure and depends on `std` only. The error function is written here
//! rather than taken from a crate because this module must stay dependency-free and
//! `f64::erfc` is still unstable (`float_erf`). Calling a function with a physically
//! meaningless parameter (a non-positive dispersion, a negative decay rate, …) is a
//! programmer error and panics with a message naming the parameter.

use std::f64::consts::{FRAC_2_SQRT_PI, PI};

/// 1/√π. Halving is exact in binary, so this is the correctly rounded constant.
const FRAC_1_SQRT_PI: f64 = 0.5 * FRAC_2_SQRT_PI;

/// Below this |x| erf is evaluated directly by a rational function of x² (Cody's first interval).
const ERF_SERIES_ABS_MAX: f64 = 0.46875;
/// Below this |x| erfcx is a rational function of x (Cody's second interval); above it, of 1/x².
const ERFCX_MID_ABS_MAX: f64 = 4.0;
/// Above this x, erfc(x) < 2⁻¹⁰⁷⁴ (the smallest subnormal) and rounds to zero.
const ERFC_UNDERFLOW_X: f64 = 27.3;
/// Above this x, erfcx(x) = 1/(x√π) to double precision: the next term is −1/(2x²) ≈ −1.1e-16.
const ERFCX_ASYMPTOTIC_X: f64 = 6.71e7;
/// Below this x, erfcx(x) ≈ 2·exp(x²) exceeds f64::MAX.
const ERFCX_OVERFLOW_X: f64 = -26.628;

// Coefficients of W. J. Cody, "Rational Chebyshev approximations for the error function",
// Math. Comp. 23 (1969) 631–637, as used in his SPECFUN routine CALERF. They are kept with
// the digits of the published table so that they can be checked against it.
#[allow(
    clippy::excessive_precision,
    reason = "coefficients copied verbatim from Cody's table"
)]
mod cody {
    /// erf(x) = x·P(x²)/Q(x²) for |x| ≤ 0.46875: numerator, highest degree last.
    pub const ERF_NUM: [f64; 5] = [
        3.16112374387056560e00,
        1.13864154151050156e02,
        3.77485237685302021e02,
        3.20937758913846947e03,
        1.85777706184603153e-1,
    ];
    pub const ERF_DEN: [f64; 4] = [
        2.36012909523441209e01,
        2.44024637934444173e02,
        1.28261652607737228e03,
        2.84423683343917062e03,
    ];
    /// erfcx(x) = P(x)/Q(x) for 0.46875 < x ≤ 4.
    pub const MID_NUM: [f64; 9] = [
        5.64188496988670089e-1,
        8.88314979438837594e00,
        6.61191906371416295e01,
        2.98635138197400131e02,
        8.81952221241769090e02,
        1.71204761263407058e03,
        2.05107837782607147e03,
        1.23033935479799725e03,
        2.15311535474403846e-8,
    ];
    pub const MID_DEN: [f64; 8] = [
        1.57449261107098347e01,
        1.17693950891312499e02,
        5.37181101862009858e02,
        1.62138957456669019e03,
        3.29079923573345963e03,
        4.36261909014324716e03,
        3.43936767414372164e03,
        1.23033935480374942e03,
    ];
    /// erfcx(x) = (1/√π − z·P(z)/Q(z))/x with z = 1/x², for x > 4.
    pub const TAIL_NUM: [f64; 6] = [
        3.05326634961232344e-1,
        3.60344899949804439e-1,
        1.25781726111229246e-1,
        1.60837851487422766e-2,
        6.58749161529837803e-4,
        1.63153871373020978e-2,
    ];
    pub const TAIL_DEN: [f64; 5] = [
        2.56852019228982242e00,
        1.87295284992346047e00,
        5.27905102951428412e-1,
        6.05183413124413191e-2,
        2.33520497626869185e-3,
    ];
}

/// erf(x) for |x| ≤ 0.46875 (Cody's first interval).
fn erf_small(x: f64) -> f64 {
    let x2 = x * x;
    let mut numerator = cody::ERF_NUM[4] * x2;
    let mut denominator = x2;
    for (a, b) in cody::ERF_NUM[..3].iter().zip(&cody::ERF_DEN[..3]) {
        numerator = (numerator + a) * x2;
        denominator = (denominator + b) * x2;
    }
    x * (numerator + cody::ERF_NUM[3]) / (denominator + cody::ERF_DEN[3])
}

/// erfcx(y) for 0.46875 < y ≤ 4 (Cody's second interval).
fn erfcx_mid(y: f64) -> f64 {
    let mut numerator = cody::MID_NUM[8] * y;
    let mut denominator = y;
    for (a, b) in cody::MID_NUM[..7].iter().zip(&cody::MID_DEN[..7]) {
        numerator = (numerator + a) * y;
        denominator = (denominator + b) * y;
    }
    (numerator + cody::MID_NUM[7]) / (denominator + cody::MID_DEN[7])
}

/// erfcx(y) for 4 < y < 6.71e7 (Cody's third interval).
fn erfcx_tail(y: f64) -> f64 {
    let z = 1.0 / (y * y);
    let mut numerator = cody::TAIL_NUM[5] * z;
    let mut denominator = z;
    for (a, b) in cody::TAIL_NUM[..4].iter().zip(&cody::TAIL_DEN[..4]) {
        numerator = (numerator + a) * z;
        denominator = (denominator + b) * z;
    }
    let correction = z * (numerator + cody::TAIL_NUM[4]) / (denominator + cody::TAIL_DEN[4]);
    (FRAC_1_SQRT_PI - correction) / y
}

/// exp(−y²) for 0 ≤ y < 27.3 without the rounding error of forming y² (which exp would
/// amplify by y²): y = h + r with h a multiple of 1/16, so h² is exact and
/// y² = h² + (y − h)(y + h).
fn exp_neg_square(y: f64) -> f64 {
    let head = (y * 16.0).trunc() / 16.0;
    let rest = (y - head) * (y + head);
    (-head * head).exp() * (-rest).exp()
}

/// exp(y²) for 0 ≤ y < 26.7, split as in [`exp_neg_square`].
fn exp_square(y: f64) -> f64 {
    let head = (y * 16.0).trunc() / 16.0;
    let rest = (y - head) * (y + head);
    (head * head).exp() * rest.exp()
}

/// Complementary error function, erfc(x) = (2/√π) ∫ₓ^∞ exp(−s²) ds (dimensionless).
///
/// W. J. Cody's rational Chebyshev approximations: erf directly for |x| ≤ 0.46875,
/// erfc(x) = exp(−x²)·erfcx(x) above, and erfc(−x) = 2 − erfc(x). Relative error is a few
/// units in the last place wherever the result is a normal number; erfc(x) is 0 for
/// x ≥ 27.3 and 2 for x → −∞; NaN gives NaN.
pub fn erfc(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    let y = x.abs();
    if y <= ERF_SERIES_ABS_MAX {
        return 1.0 - erf_small(x);
    }
    let erfc_abs = if y >= ERFC_UNDERFLOW_X {
        0.0
    } else if y <= ERFCX_MID_ABS_MAX {
        exp_neg_square(y) * erfcx_mid(y)
    } else {
        exp_neg_square(y) * erfcx_tail(y)
    };
    if x < 0.0 { 2.0 - erfc_abs } else { erfc_abs }
}

/// Scaled complementary error function, erfcx(x) = exp(x²)·erfc(x) (dimensionless).
///
/// Lets erfc of a large argument be multiplied by a huge exponential in log space:
/// exp(a)·erfc(z) = exp(a − z²)·erfcx(z). For x → +∞, erfcx(x) = 1/(x√π)·(1 − 1/(2x²) + …),
/// which is returned as 1/(x√π) beyond x = 6.71e7, so there is no overflow up to f64::MAX
/// (and erfcx(+∞) = 0). For x < 0, erfcx(x) = 2·exp(x²) − erfcx(−x), which overflows to +∞
/// below x = −26.628. Same accuracy as [`erfc`].
pub fn erfcx(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    let y = x.abs();
    if y <= ERF_SERIES_ABS_MAX {
        return (x * x).exp() * (1.0 - erf_small(x));
    }
    if x < ERFCX_OVERFLOW_X {
        return f64::INFINITY;
    }
    let erfcx_abs = if y <= ERFCX_MID_ABS_MAX {
        erfcx_mid(y)
    } else if y < ERFCX_ASYMPTOTIC_X {
        erfcx_tail(y)
    } else {
        FRAC_1_SQRT_PI / y
    };
    if x < 0.0 {
        2.0 * exp_square(y) - erfcx_abs
    } else {
        erfcx_abs
    }
}

/// Concentration [g/m³] of an instantaneous release of `mass_g` [g] at x = 0, t = 0 in an
/// infinite 1D channel of cross-section `area_m2` [m²]:
///
/// C(x, t) = M / (A·√(4πDt)) · exp(−(x − ut)² / (4Dt)) · exp(−kt)
///
/// with u = `velocity_m_s` [m/s], D = `dispersion_m2_s` [m²/s] (> 0), k = `decay_per_s`
/// [1/s] (≥ 0), station `x_m` [m] and time `t_s` [s]. Returns 0 for t ≤ 0 (before the
/// release). The mass in the channel, A·∫C dx, is M·exp(−kt).
pub fn slug_concentration(
    mass_g: f64,
    area_m2: f64,
    velocity_m_s: f64,
    dispersion_m2_s: f64,
    decay_per_s: f64,
    x_m: f64,
    t_s: f64,
) -> f64 {
    assert_slug_parameters(area_m2, dispersion_m2_s, decay_per_s);
    if t_s <= 0.0 {
        return 0.0;
    }
    let spread_m2 = 4.0 * dispersion_m2_s * t_s;
    let offset_m = x_m - velocity_m_s * t_s;
    let exponent = -offset_m * offset_m / spread_m2 - decay_per_s * t_s;
    mass_g / (area_m2 * (PI * spread_m2).sqrt()) * exponent.exp()
}

/// Time [s] and value [g/m³] of the concentration maximum of [`slug_concentration`] seen
/// at a fixed station `x_m` [m] (the temporal peak of the breakthrough curve).
///
/// Setting d(ln C)/dt = −1/(2t) + (x² − u²t²)/(4Dt²) − k to zero gives
/// w²t² + 2Dt − x² = 0 with w² = u² + 4kD, whose one positive root is
///
/// t_peak = (√(D² + w²x²) − D) / w² = x² / (D + √(D² + w²x²)),
///
/// evaluated in the second form, which has no cancellation and also holds for w = 0.
/// ln C is unimodal in t > 0, so this is the only maximum. For u > 0, t_peak < |x|/u:
/// dispersion brings the peak early, and decay (k > 0) earlier still. At the release point
/// (x = 0) the concentration is unbounded as t → 0⁺ and `(0.0, f64::INFINITY)` is returned.
pub fn slug_peak_at(
    mass_g: f64,
    area_m2: f64,
    velocity_m_s: f64,
    dispersion_m2_s: f64,
    decay_per_s: f64,
    x_m: f64,
) -> (f64, f64) {
    assert_slug_parameters(area_m2, dispersion_m2_s, decay_per_s);
    if x_m == 0.0 {
        return (0.0, f64::INFINITY);
    }
    let w_m_s = (velocity_m_s * velocity_m_s + 4.0 * decay_per_s * dispersion_m2_s).sqrt();
    let root_m2_s = dispersion_m2_s.hypot(w_m_s * x_m);
    let t_peak_s = x_m * x_m / (dispersion_m2_s + root_m2_s);
    let c_peak = slug_concentration(
        mass_g,
        area_m2,
        velocity_m_s,
        dispersion_m2_s,
        decay_per_s,
        x_m,
        t_peak_s,
    );
    (t_peak_s, c_peak)
}

/// Concentration [g/m³] of a release of `mass_g` spread evenly over `duration_s` from
/// t = 0, in the same infinite channel as [`slug_concentration`]: the superposition
/// ∫₀^min(T,t) (M/T) · G(x, t − τ) dτ of slugs, by composite Simpson quadrature with 4,000
/// intervals (the kernel's width in τ at 5 km is thousands of seconds, the interval a few).
#[allow(clippy::too_many_arguments)]
pub fn timed_release_concentration(
    mass_g: f64,
    duration_s: f64,
    area_m2: f64,
    velocity_m_s: f64,
    dispersion_m2_s: f64,
    decay_per_s: f64,
    x_m: f64,
    t_s: f64,
) -> f64 {
    const INTERVALS: usize = 4_000;
    let upper_s = duration_s.min(t_s);
    if upper_s <= 0.0 {
        return 0.0;
    }
    let h = upper_s / INTERVALS as f64;
    let kernel = |tau: f64| {
        slug_concentration(
            mass_g / duration_s,
            area_m2,
            velocity_m_s,
            dispersion_m2_s,
            decay_per_s,
            x_m,
            t_s - tau,
        )
    };
    let inner: f64 = (1..INTERVALS)
        .map(|i| kernel(i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 })
        .sum();
    (kernel(0.0) + inner + kernel(upper_s)) * h / 3.0
}

/// Time [s] and value [g/m³] of the maximum of [`timed_release_concentration`] at `x_m`:
/// a scan at 60 s steps around the advective arrival, refined by golden-section search
/// to a second (the curve is unimodal at a fixed station).
#[allow(clippy::too_many_arguments)]
pub fn timed_release_peak_at(
    mass_g: f64,
    duration_s: f64,
    area_m2: f64,
    velocity_m_s: f64,
    dispersion_m2_s: f64,
    decay_per_s: f64,
    x_m: f64,
) -> (f64, f64) {
    let c = |t: f64| {
        timed_release_concentration(
            mass_g,
            duration_s,
            area_m2,
            velocity_m_s,
            dispersion_m2_s,
            decay_per_s,
            x_m,
            t,
        )
    };
    let travel_s = x_m / velocity_m_s;
    let (from_s, to_s) = ((0.5 * travel_s).max(1.0), 1.5 * travel_s + duration_s);
    let n = ((to_s - from_s) / 60.0).ceil() as usize;
    let best = (0..=n)
        .map(|i| from_s + i as f64 * 60.0)
        .max_by(|a, b| c(*a).total_cmp(&c(*b)))
        .unwrap_or(from_s);
    let (mut lo, mut hi) = (best - 60.0, best + 60.0);
    let ratio = (5f64.sqrt() - 1.0) / 2.0;
    while hi - lo > 0.5 {
        let (m1, m2) = (hi - ratio * (hi - lo), lo + ratio * (hi - lo));
        if c(m1) < c(m2) {
            lo = m1;
        } else {
            hi = m2;
        }
    }
    let t = 0.5 * (lo + hi);
    (t, c(t))
}

fn assert_slug_parameters(area_m2: f64, dispersion_m2_s: f64, decay_per_s: f64) {
    assert!(area_m2 > 0.0, "area must be positive, got {area_m2} m²");
    assert!(
        dispersion_m2_s > 0.0,
        "dispersion must be positive, got {dispersion_m2_s} m²/s"
    );
    assert!(
        decay_per_s >= 0.0,
        "decay rate must be non-negative, got {decay_per_s} 1/s"
    );
}

/// Concentration [g/m³] in a semi-infinite channel x ≥ 0, initially clean, whose inlet is
/// held at C(0, t) = `c0_g_m3` from t = 0 (Ogata & Banks 1961):
///
/// C(x, t) = C0/2 · [erfc(z₁) + exp(ux/D)·erfc(z₂)], z₁,₂ = (x ∓ ut) / (2√(Dt)),
///
/// with u = `velocity_m_s` [m/s] (≥ 0), D = `dispersion_m2_s` [m²/s] (> 0), station `x_m`
/// [m] (≥ 0) and time `t_s` [s]. Returns 0 for t ≤ 0.
///
/// In rivers the Péclet number ux/D is huge (1e4 and more) and exp(ux/D) overflows, so the
/// second term is evaluated in log space: exp(ux/D)·erfc(z₂) = exp(ux/D − z₂²)·erfcx(z₂), and
/// since z₂² − z₁² = ux/D exactly, the exponent is −z₁², which is never positive.
pub fn ogata_banks(c0_g_m3: f64, velocity_m_s: f64, dispersion_m2_s: f64, x_m: f64, t_s: f64) -> f64 {
    assert_ogata_banks_parameters(c0_g_m3, velocity_m_s, dispersion_m2_s, 0.0, x_m);
    if t_s <= 0.0 {
        return 0.0;
    }
    let spread_m = 2.0 * (dispersion_m2_s * t_s).sqrt();
    let z_front = (x_m - velocity_m_s * t_s) / spread_m;
    let z_image = (x_m + velocity_m_s * t_s) / spread_m;
    let image = (-z_front * z_front).exp() * erfcx(z_image);
    0.5 * c0_g_m3 * (erfc(z_front) + image)
}

/// Concentration [g/m³] for the boundary problem of [`ogata_banks`] with first-order decay
/// k = `decay_per_s` [1/s] (≥ 0) in the channel (van Genuchten & Alves 1982, solution A
/// with decay):
///
/// C(x, t) = C0/2 · [exp((u − w)x/(2D))·erfc(z₁) + exp((u + w)x/(2D))·erfc(z₂)],
/// w = √(u² + 4kD), z₁,₂ = (x ∓ wt) / (2√(Dt)).
///
/// Units and preconditions as in [`ogata_banks`]; returns 0 for t ≤ 0. For t → ∞ it tends
/// to the steady profile C0·exp((u − w)x/(2D)). The exponent (u − w)x/(2D) is evaluated as
/// −2kx/(u + w), free of cancellation when kD ≪ u². The second term is evaluated in log
/// space: since z₂² − z₁² = wx/D, exp((u + w)x/(2D))·erfc(z₂) =
/// exp((u − w)x/(2D) − z₁²)·erfcx(z₂), whose exponent is never positive. With k = 0 this is
/// exactly [`ogata_banks`].
pub fn ogata_banks_with_decay(
    c0_g_m3: f64,
    velocity_m_s: f64,
    dispersion_m2_s: f64,
    decay_per_s: f64,
    x_m: f64,
    t_s: f64,
) -> f64 {
    assert_ogata_banks_parameters(c0_g_m3, velocity_m_s, dispersion_m2_s, decay_per_s, x_m);
    if t_s <= 0.0 {
        return 0.0;
    }
    let w_m_s = (velocity_m_s * velocity_m_s + 4.0 * decay_per_s * dispersion_m2_s).sqrt();
    // (u − w)x/(2D) = −2kx/(u + w); u + w = 0 only when k = 0, where the exponent is 0.
    let steady_exponent = if decay_per_s == 0.0 {
        0.0
    } else {
        -2.0 * decay_per_s * x_m / (velocity_m_s + w_m_s)
    };
    let spread_m = 2.0 * (dispersion_m2_s * t_s).sqrt();
    let z_front = (x_m - w_m_s * t_s) / spread_m;
    let z_image = (x_m + w_m_s * t_s) / spread_m;
    let front = steady_exponent.exp() * erfc(z_front);
    let image = (steady_exponent - z_front * z_front).exp() * erfcx(z_image);
    0.5 * c0_g_m3 * (front + image)
}

fn assert_ogata_banks_parameters(c0_g_m3: f64, velocity_m_s: f64, dispersion_m2_s: f64, decay_per_s: f64, x_m: f64) {
    assert!(
        c0_g_m3.is_finite(),
        "boundary concentration must be finite, got {c0_g_m3} g/m³"
    );
    assert!(
        velocity_m_s >= 0.0,
        "velocity must be non-negative, got {velocity_m_s} m/s"
    );
    assert!(
        dispersion_m2_s > 0.0,
        "dispersion must be positive, got {dispersion_m2_s} m²/s"
    );
    assert!(
        decay_per_s >= 0.0,
        "decay rate must be non-negative, got {decay_per_s} 1/s"
    );
    assert!(x_m >= 0.0, "station must lie in the channel x >= 0, got {x_m} m");
}

/// Concentration [g/m³] in a completely mixed reactor (CSTR: a lake) of `volume_m3` [m³]
/// (> 0), outflow `outflow_m3_s` [m³/s] (≥ 0) and decay `decay_per_s` [1/s] (≥ 0), after a
/// slug of `mass_g` [g] mixed instantly at t = 0 into clean water:
///
/// C(t) = (M/V) · exp(−(Q/V + k)·t)
///
/// Returns 0 for t < 0 (before the slug) and M/V at t = 0.
pub fn cstr_washout(mass_g: f64, volume_m3: f64, outflow_m3_s: f64, decay_per_s: f64, t_s: f64) -> f64 {
    assert_cstr_parameters(volume_m3, outflow_m3_s, decay_per_s);
    if t_s < 0.0 {
        return 0.0;
    }
    let loss_rate_per_s = outflow_m3_s / volume_m3 + decay_per_s;
    mass_g / volume_m3 * (-loss_rate_per_s * t_s).exp()
}

/// Concentration [g/m³] in a clean completely mixed reactor of `volume_m3` [m³] (> 0),
/// through-flow `flow_m3_s` [m³/s] (≥ 0) and decay `decay_per_s` [1/s] (≥ 0), fed from
/// t = 0 with a constant inflow concentration `c_in_g_m3` [g/m³]:
///
/// C(t) = c_in · (Q/V)/(Q/V + k) · (1 − exp(−(Q/V + k)·t))
///
/// It solves dC/dt = (Q/V)(c_in − C) − kC with C(0) = 0 and tends to c_in·Q/(Q + kV).
/// Returns 0 for t ≤ 0, and 0 when Q = 0 (nothing flows in). Uses `exp_m1` so that small
/// times keep full precision (C ≈ c_in·(Q/V)·t).
pub fn cstr_step_response(c_in_g_m3: f64, volume_m3: f64, flow_m3_s: f64, decay_per_s: f64, t_s: f64) -> f64 {
    assert_cstr_parameters(volume_m3, flow_m3_s, decay_per_s);
    let flush_rate_per_s = flow_m3_s / volume_m3;
    if t_s <= 0.0 || flush_rate_per_s == 0.0 {
        return 0.0;
    }
    let loss_rate_per_s = flush_rate_per_s + decay_per_s;
    let filled_fraction = -(-loss_rate_per_s * t_s).exp_m1();
    c_in_g_m3 * flush_rate_per_s / loss_rate_per_s * filled_fraction
}

fn assert_cstr_parameters(volume_m3: f64, flow_m3_s: f64, decay_per_s: f64) {
    assert!(volume_m3 > 0.0, "volume must be positive, got {volume_m3} m³");
    assert!(flow_m3_s >= 0.0, "flow must be non-negative, got {flow_m3_s} m³/s");
    assert!(
        decay_per_s >= 0.0,
        "decay rate must be non-negative, got {decay_per_s} 1/s"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    // Reference values were computed independently with mpmath at 50 significant digits
    // and rounded to the nearest f64.

    fn assert_close(actual: f64, expected: f64, rel_tol: f64, what: &str) {
        let scale = expected.abs().max(f64::MIN_POSITIVE);
        let rel_err = (actual - expected).abs() / scale;
        assert!(
            rel_err <= rel_tol,
            "{what}: got {actual:e}, expected {expected:e}, relative error {rel_err:e} > {rel_tol:e}"
        );
    }

    #[test]
    fn a_timed_release_tends_to_a_slug_when_short_and_to_w_over_q_when_long() {
        let (mass_g, area, u, d, x) = (1.0e6, 500.0, 0.5, 30.0, 10_000.0);
        let (t_slug, c_slug) = slug_peak_at(mass_g, area, u, d, 0.0, x);
        let short = timed_release_concentration(mass_g, 1.0, area, u, d, 0.0, x, t_slug);
        assert_close(short, c_slug, 1e-4, "a one-second release against the slug");
        // A release lasting days reaches the fully mixed plateau W/Q between its ends.
        let duration_s = 5.0 * 86_400.0;
        let plateau = mass_g / duration_s / (u * area);
        let long = timed_release_concentration(mass_g, duration_s, area, u, d, 0.0, x, 2.0 * 86_400.0);
        assert_close(long, plateau, 1e-6, "a five-day release in its middle against W/Q");
    }

    #[test]
    fn erfc_matches_reference_values() {
        let cases = [
            (0.0, 1.0),
            (0.1, 0.8875370839817152),
            (0.3, 0.6713732405408726),
            (0.46875, 0.507386526782062),
            (0.5, 0.4795001221869535),
            (1.0, 0.15729920705028513),
            (2.0, 0.004677734981047266),
            (3.5, 7.430983723414128e-7),
            (4.0, 1.541725790028002e-8),
            (4.5, 1.9661604415428876e-10),
            (5.0, 1.537459794428035e-12),
            (10.0, 2.088487583762545e-45),
            (20.0, 5.395865611607901e-176),
            (26.5, 2.2109076642637343e-307),
            (-0.3, 1.3286267594591274),
            (-1.0, 1.8427007929497148),
            (-3.0, 1.9999779095030015),
        ];
        for (x, expected) in cases {
            assert_close(erfc(x), expected, 1e-14, &format!("erfc({x})"));
        }
    }

    #[test]
    fn erfc_handles_the_ends_of_the_real_line() {
        // erfc(27) = 5.23705e-319 is subnormal: only absolute accuracy is possible there.
        assert!((erfc(27.0) - 5.23705e-319).abs() < 1e-322);
        assert_eq!(erfc(ERFC_UNDERFLOW_X), 0.0);
        assert_eq!(erfc(1e300), 0.0);
        assert_eq!(erfc(f64::INFINITY), 0.0);
        assert_eq!(erfc(-10.0), 2.0);
        assert_eq!(erfc(f64::NEG_INFINITY), 2.0);
        assert!(erfc(f64::NAN).is_nan());
    }

    /// Compares `f` one step below and one step above `switch_x`, allowing for the true
    /// change of the function over those two units in the last place (which is itself
    /// about 1e-14 relative where |d ln f/dx| ≈ 8).
    fn assert_continuous(f: impl Fn(f64) -> f64, f_slope: f64, switch_x: f64, what: &str) {
        let below_x = switch_x.next_down();
        let above_x = switch_x.next_up();
        let predicted = f(below_x) + f_slope * (above_x - below_x);
        assert_close(f(above_x), predicted, 1e-14, &format!("{what} around {switch_x}"));
    }

    #[test]
    fn erfc_is_continuous_across_switch_points() {
        for switch_x in [
            ERF_SERIES_ABS_MAX,
            -ERF_SERIES_ABS_MAX,
            ERFCX_MID_ABS_MAX,
            -ERFCX_MID_ABS_MAX,
        ] {
            // d erfc/dx = −(2/√π)·exp(−x²).
            let slope = -FRAC_2_SQRT_PI * (-switch_x * switch_x).exp();
            assert_continuous(erfc, slope, switch_x, "erfc");
        }
        // At the underflow cut-off the true value is already below the smallest subnormal.
        assert!(erfc(ERFC_UNDERFLOW_X.next_down()) < 5e-324);
    }

    #[test]
    fn erfc_decreases_monotonically() {
        let mut previous = erfc(-8.0);
        for i in 1..=3600 {
            let x = -8.0 + f64::from(i) * 0.01;
            let value = erfc(x);
            assert!(value <= previous, "erfc rises at x = {x}");
            previous = value;
        }
    }

    #[test]
    fn erfcx_matches_reference_values() {
        let cases = [
            (-5.0, 144009798674.66104),
            (-1.0, 5.008980080762283),
            (0.0, 1.0),
            (0.3, 0.7345993345676551),
            (1.0, 0.427583576155807),
            (4.0, 0.13699945762506138),
            (4.5, 0.12248480427384142),
            (10.0, 0.05614099274382259),
            (30.0, 0.01879588886141675),
            (100.0, 0.005641613782989433),
            (1e5, 5.6418958351954685e-6),
            (6.71e7, 8.408190514869691e-9),
            (1e8, 5.641895835477562e-9),
            (1e150, 5.641895835477563e-151),
            (1e300, 5.641895835477563e-301),
        ];
        for (x, expected) in cases {
            assert_close(erfcx(x), expected, 1e-14, &format!("erfcx({x})"));
        }
    }

    #[test]
    fn erfcx_follows_its_asymptote_without_overflow() {
        // erfcx(x)·x·√π = 1 − 1/(2x²) + 3/(4x⁴) − 15/(8x⁶) + … for large x; from x = 1e3
        // on the omitted terms are below 2e-18.
        for x in [1e3, 1e5, 1e8, 1e150, 1e300, f64::MAX] {
            let scaled = erfcx(x) * x * PI.sqrt();
            let inv_x2 = 1.0 / (x * x);
            let series = 1.0 - 0.5 * inv_x2 + 0.75 * inv_x2 * inv_x2;
            assert!(scaled.is_finite(), "erfcx({x}) is not finite");
            assert_close(scaled, series, 1e-14, &format!("x·√π·erfcx({x})"));
        }
        assert_eq!(erfcx(f64::INFINITY), 0.0);
    }

    #[test]
    fn erfcx_is_continuous_across_switch_points() {
        for switch_x in [
            ERF_SERIES_ABS_MAX,
            -ERF_SERIES_ABS_MAX,
            ERFCX_MID_ABS_MAX,
            -ERFCX_MID_ABS_MAX,
            ERFCX_ASYMPTOTIC_X,
        ] {
            // d erfcx/dx = 2x·erfcx(x) − 2/√π.
            let slope = 2.0 * switch_x * erfcx(switch_x) - FRAC_2_SQRT_PI;
            assert_continuous(erfcx, slope, switch_x, "erfcx");
        }
    }

    #[test]
    fn erfcx_overflows_only_where_the_value_exceeds_f64_range() {
        assert!(erfcx(ERFCX_OVERFLOW_X).is_finite());
        assert!(erfcx(ERFCX_OVERFLOW_X) > 1e307);
        assert_eq!(erfcx(-27.0), f64::INFINITY);
        assert_eq!(erfcx(f64::NEG_INFINITY), f64::INFINITY);
        assert!(erfcx(f64::NAN).is_nan());
    }

    #[test]
    fn slug_concentration_matches_reference_values() {
        let at_centre = slug_concentration(1000.0, 10.0, 0.5, 2.0, 0.0, 100.0, 200.0);
        assert_close(at_centre, 1.4104739588693906, 1e-13, "slug at the centre");
        let decayed = slug_concentration(1000.0, 10.0, 0.5, 2.0, 1e-4, 90.0, 200.0);
        assert_close(decayed, 1.298780554126103, 1e-13, "decayed slug off-centre");
    }

    #[test]
    fn slug_concentration_is_zero_until_the_release() {
        assert_eq!(slug_concentration(1000.0, 10.0, 0.5, 2.0, 0.0, 0.0, 0.0), 0.0);
        assert_eq!(slug_concentration(1000.0, 10.0, 0.5, 2.0, 0.0, 0.0, -5.0), 0.0);
    }

    /// A·∫C dx by the trapezoid rule over ±12 standard deviations around the centre ut.
    fn slug_mass_g(area_m2: f64, u: f64, d: f64, k: f64, t_s: f64) -> f64 {
        let sigma_m = (2.0 * d * t_s).sqrt();
        let n_intervals = 24_000;
        let x_start_m = u * t_s - 12.0 * sigma_m;
        let dx_m = 24.0 * sigma_m / f64::from(n_intervals);
        let concentration = |i: i32| {
            let x_m = x_start_m + f64::from(i) * dx_m;
            slug_concentration(1000.0, area_m2, u, d, k, x_m, t_s)
        };
        let interior: f64 = (1..n_intervals).map(concentration).sum();
        let ends = 0.5 * (concentration(0) + concentration(n_intervals));
        area_m2 * dx_m * (interior + ends)
    }

    #[test]
    fn slug_mass_integrates_to_decayed_release() {
        for (u, d, k, t_s) in [
            (0.5, 2.0, 0.0_f64, 200.0),
            (0.5, 2.0, 1e-4, 3600.0),
            (1.2, 40.0, 5e-5, 86_400.0),
            (0.0, 0.3, 2e-3, 10.0),
        ] {
            let expected = 1000.0 * (-k * t_s).exp();
            let mass = slug_mass_g(25.0, u, d, k, t_s);
            assert_close(mass, expected, 1e-6, &format!("mass at u={u} D={d} k={k} t={t_s}"));
        }
    }

    /// Residual of ∂C/∂t + u ∂C/∂x − D ∂²C/∂x² + kC by central differences, relative to
    /// the largest term so that a wrong formula cannot hide behind a small value.
    fn transport_residual(c: impl Fn(f64, f64) -> f64, u: f64, d: f64, k: f64, x: f64, t: f64) -> f64 {
        let dt = 1e-4 * t;
        let dx = 1e-3 * (d * t).sqrt();
        let c_t = (c(x, t + dt) - c(x, t - dt)) / (2.0 * dt);
        let c_x = (c(x + dx, t) - c(x - dx, t)) / (2.0 * dx);
        let c_xx = (c(x + dx, t) - 2.0 * c(x, t) + c(x - dx, t)) / (dx * dx);
        let terms = [c_t, u * c_x, d * c_xx, k * c(x, t)];
        let largest = terms.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
        (c_t + u * c_x - d * c_xx + k * c(x, t)).abs() / largest
    }

    #[test]
    fn slug_concentration_satisfies_the_transport_equation() {
        let (u, d, k) = (0.5, 2.0, 1e-4);
        let slug = |x, t| slug_concentration(1000.0, 10.0, u, d, k, x, t);
        for (x, t) in [(90.0, 200.0), (100.0, 200.0), (120.0, 200.0), (-5.0, 30.0)] {
            let residual = transport_residual(slug, u, d, k, x, t);
            assert!(residual < 1e-5, "residual {residual:e} at x={x} t={t}");
        }
    }

    #[test]
    fn slug_peak_matches_reference_values() {
        let cases = [
            (
                (1000.0, 10.0, 0.5, 2.0, 0.0, 100.0),
                (192.15993605114886, 1.4246475592036758),
            ),
            (
                (1000.0, 10.0, 0.5, 2.0, 1e-4, 100.0),
                (191.86545591932486, 1.3975534862148604),
            ),
            (
                (5000.0, 40.0, 0.8, 30.0, 2e-5, 2e4),
                (24906.600249066003, 0.02474229539012586),
            ),
        ];
        for ((m, a, u, d, k, x), (t_expected, c_expected)) in cases {
            let (t_peak, c_peak) = slug_peak_at(m, a, u, d, k, x);
            assert_close(t_peak, t_expected, 1e-12, &format!("peak time at x={x} k={k}"));
            assert_close(c_peak, c_expected, 1e-12, &format!("peak value at x={x} k={k}"));
        }
    }

    #[test]
    fn slug_peak_is_a_stationary_maximum_in_time() {
        for (u, d, k, x) in [(0.5, 2.0, 0.0, 100.0), (0.5, 2.0, 1e-3, 100.0), (0.3, 5.0, 0.0, -20.0)] {
            let (t_peak, c_peak) = slug_peak_at(1000.0, 10.0, u, d, k, x);
            let c = |t| slug_concentration(1000.0, 10.0, u, d, k, x, t);
            let dt = 1e-5 * t_peak;
            let slope = (c(t_peak + dt) - c(t_peak - dt)) / (2.0 * dt);
            // The scale of dC/dt away from the peak is C/t.
            assert!(slope.abs() < 1e-8 * c_peak / t_peak, "dC/dt = {slope:e} at the peak");
            assert!(c(0.99 * t_peak) < c_peak && c(1.01 * t_peak) < c_peak);
        }
    }

    /// Golden-section search for the maximum of ln C over t in [lo, hi].
    fn golden_section_peak_s(ln_c: impl Fn(f64) -> f64, mut lo: f64, mut hi: f64) -> f64 {
        let inv_phi = (5.0_f64.sqrt() - 1.0) / 2.0;
        for _ in 0..200 {
            if hi - lo <= 1e-12 * hi {
                break;
            }
            let left = hi - inv_phi * (hi - lo);
            let right = lo + inv_phi * (hi - lo);
            if ln_c(left) < ln_c(right) {
                lo = left;
            } else {
                hi = right;
            }
        }
        0.5 * (lo + hi)
    }

    #[test]
    fn slug_peak_agrees_with_a_direct_search() {
        for (u, d, k, x) in [(0.5, 2.0, 0.0, 100.0), (0.5, 20.0, 1e-3, 100.0), (1.0, 50.0, 1e-5, 5e4)] {
            let (t_peak, _) = slug_peak_at(1000.0, 10.0, u, d, k, x);
            let ln_c = |t| slug_concentration(1000.0, 10.0, u, d, k, x, t).ln();
            let plug_s = x / u;
            let searched = golden_section_peak_s(ln_c, 0.05 * plug_s, 3.0 * plug_s);
            // ln C is flat at its maximum, so the search is only good to about √ε.
            assert_close(t_peak, searched, 1e-7, &format!("peak time at D={d} k={k}"));
        }
    }

    #[test]
    fn slug_peak_comes_before_plug_flow_arrival() {
        let plug_s = 100.0 / 0.5;
        let (t_no_decay, _) = slug_peak_at(1000.0, 10.0, 0.5, 2.0, 0.0, 100.0);
        let (t_decay, _) = slug_peak_at(1000.0, 10.0, 0.5, 2.0, 1e-3, 100.0);
        assert!(t_no_decay < plug_s);
        assert!(t_decay < t_no_decay);
    }

    #[test]
    fn slug_peak_at_the_release_point_is_unbounded() {
        assert_eq!(slug_peak_at(1000.0, 10.0, 0.5, 2.0, 0.0, 0.0), (0.0, f64::INFINITY));
    }

    #[test]
    #[should_panic(expected = "dispersion must be positive")]
    fn slug_concentration_rejects_zero_dispersion() {
        slug_concentration(1000.0, 10.0, 0.5, 0.0, 0.0, 1.0, 1.0);
    }

    #[test]
    fn ogata_banks_matches_reference_values() {
        let cases = [
            ((3.0, 0.5, 2.0, 50.0, 80.0), 1.0604625214137189),
            ((3.0, 0.5, 2.0, 30.0, 80.0), 2.3828753300625682),
            ((1.0, 0.01, 5.0, 10.0, 1000.0), 0.9292398082334737),
            // ux/D = 1e4: 100 km downstream of the inlet.
            ((1.0, 1.0, 10.0, 1e5, 9e4), 4.785975370975369e-14),
            ((1.0, 1.0, 10.0, 1e5, 9.9e4), 0.2408359484921683),
            ((1.0, 1.0, 10.0, 1e5, 1e5), 0.5028208068914947),
            ((1.0, 1.0, 10.0, 1e5, 1.01e5), 0.7613605434226847),
            ((1.0, 1.0, 10.0, 1e5, 1.1e5), 0.9999999999925687),
        ];
        for ((c0, u, d, x, t), expected) in cases {
            let value = ogata_banks(c0, u, d, x, t);
            assert_close(value, expected, 1e-12, &format!("Ogata–Banks at x={x} t={t}"));
        }
    }

    #[test]
    fn ogata_banks_holds_the_inlet_at_the_boundary_concentration() {
        for (u, d, t) in [(0.5, 2.0, 1.0), (0.5, 2.0, 1e4), (2.0, 0.01, 3600.0), (0.0, 1.0, 10.0)] {
            assert_close(ogata_banks(3.0, u, d, 0.0, t), 3.0, 1e-14, &format!("inlet at u={u}"));
        }
    }

    #[test]
    fn ogata_banks_is_clean_before_the_start_and_ahead_of_the_front() {
        assert_eq!(ogata_banks(3.0, 0.5, 2.0, 0.0, 0.0), 0.0);
        assert_eq!(ogata_banks(3.0, 0.5, 2.0, 10.0, -1.0), 0.0);
        // 1 km ahead of a front at 40 m with a spread of 2√(Dt) = 25 m.
        let ahead = ogata_banks(3.0, 0.5, 2.0, 1040.0, 80.0);
        assert!((0.0..1e-300).contains(&ahead), "got {ahead:e}");
    }

    #[test]
    fn ogata_banks_stays_bounded_at_river_peclet_numbers() {
        // ux/D reaches 1e4 at x = 1e5 m and 1e6 at x = 1e7 m.
        let (c0, u, d) = (2.0, 1.0, 10.0);
        for t in [1.0, 1e3, 5e4, 1e5, 2e5, 1e7] {
            let mut previous = c0;
            for i in 0..=200 {
                let x = f64::from(i) * 5e4;
                let value = ogata_banks(c0, u, d, x, t);
                assert!(value.is_finite(), "not finite at x={x} t={t}");
                assert!((0.0..=c0 * (1.0 + 1e-14)).contains(&value), "{value} at x={x} t={t}");
                assert!(value <= previous * (1.0 + 1e-14), "rises at x={x} t={t}");
                previous = value;
            }
        }
    }

    #[test]
    fn ogata_banks_satisfies_the_transport_equation() {
        let (u, d) = (0.5, 2.0);
        let concentration = |x, t| ogata_banks(3.0, u, d, x, t);
        for (x, t) in [(10.0, 80.0), (40.0, 80.0), (55.0, 80.0), (5.0, 10.0)] {
            let residual = transport_residual(concentration, u, d, 0.0, x, t);
            assert!(residual < 1e-5, "residual {residual:e} at x={x} t={t}");
        }
    }

    #[test]
    fn ogata_banks_with_decay_matches_reference_values() {
        let cases = [
            ((3.0, 0.5, 2.0, 1e-3, 50.0, 80.0), 0.9957903028182462),
            ((3.0, 0.5, 2.0, 1e-3, 30.0, 80.0), 2.2724966099237855),
            ((1.0, 1.0, 10.0, 1e-6, 1e5, 9.9e4), 0.2183143385109656),
            ((1.0, 1.0, 10.0, 1e-6, 1e5, 1e5), 0.4554820026131778),
            ((1.0, 1.0, 10.0, 1e-6, 1e5, 1.01e5), 0.6893065304233189),
        ];
        for ((c0, u, d, k, x, t), expected) in cases {
            let value = ogata_banks_with_decay(c0, u, d, k, x, t);
            assert_close(value, expected, 1e-12, &format!("decaying Ogata–Banks at x={x} t={t}"));
        }
    }

    #[test]
    fn ogata_banks_with_decay_reduces_to_ogata_banks_without_decay() {
        for (u, d) in [(0.5, 2.0), (1.0, 10.0), (0.0, 1.0)] {
            for x in [0.0, 1.0, 30.0, 1e3, 1e5] {
                for t in [1.0, 80.0, 1e4, 1e5] {
                    let plain = ogata_banks(3.0, u, d, x, t);
                    let with_decay = ogata_banks_with_decay(3.0, u, d, 0.0, x, t);
                    let scale = plain.abs().max(1e-300);
                    assert!((with_decay - plain).abs() <= 1e-14 * scale, "x={x} t={t}");
                }
            }
        }
    }

    #[test]
    fn ogata_banks_with_decay_never_exceeds_the_conservative_solution() {
        for k in [1e-6, 1e-4, 1e-2] {
            for x in [0.0, 1.0, 30.0, 1e3, 1e5] {
                for t in [1.0, 80.0, 1e4, 1e5, 1e6] {
                    let plain = ogata_banks(3.0, 1.0, 10.0, x, t);
                    let with_decay = ogata_banks_with_decay(3.0, 1.0, 10.0, k, x, t);
                    assert!(with_decay.is_finite() && with_decay >= 0.0, "x={x} t={t} k={k}");
                    assert!(with_decay <= plain * (1.0 + 1e-14), "x={x} t={t} k={k}");
                }
            }
        }
    }

    #[test]
    fn ogata_banks_with_decay_approaches_the_steady_profile() {
        // Steady state of u C' = D C'' − kC with C(0) = C0 and C bounded downstream.
        let (c0, u, d, k) = (3.0, 0.5_f64, 2.0, 1e-3);
        for x in [0.0_f64, 10.0, 100.0, 400.0] {
            let root = (u - (u * u + 4.0 * k * d).sqrt()) / (2.0 * d);
            let steady = c0 * (root * x).exp();
            let late = ogata_banks_with_decay(c0, u, d, k, x, 1e6);
            assert_close(late, steady, 1e-10, &format!("steady profile at x={x}"));
        }
    }

    #[test]
    fn ogata_banks_with_decay_satisfies_the_transport_equation() {
        let (u, d, k) = (0.5, 2.0, 5e-3);
        let concentration = |x, t| ogata_banks_with_decay(3.0, u, d, k, x, t);
        for (x, t) in [(10.0, 80.0), (40.0, 80.0), (55.0, 80.0), (5.0, 10.0)] {
            let residual = transport_residual(concentration, u, d, k, x, t);
            assert!(residual < 1e-5, "residual {residual:e} at x={x} t={t}");
        }
    }

    #[test]
    #[should_panic(expected = "station must lie in the channel")]
    fn ogata_banks_rejects_stations_upstream_of_the_inlet() {
        ogata_banks(3.0, 0.5, 2.0, -1.0, 10.0);
    }

    /// Classical fourth-order Runge–Kutta for dC/dt = f(C) from C(0) = c_start.
    fn integrate_ode(f: impl Fn(f64) -> f64, c_start: f64, t_end_s: f64) -> f64 {
        let n_steps = 10_000;
        let h = t_end_s / f64::from(n_steps);
        let mut c = c_start;
        for _ in 0..n_steps {
            let k1 = f(c);
            let k2 = f(c + 0.5 * h * k1);
            let k3 = f(c + 0.5 * h * k2);
            let k4 = f(c + h * k3);
            c += h / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4);
        }
        c
    }

    #[test]
    fn cstr_washout_matches_reference_values() {
        // M/V = 10 g/m³, Q/V + k = 0.02 1/s, t = 50 s: 10·e⁻¹.
        assert_close(
            cstr_washout(1000.0, 100.0, 1.0, 0.01, 50.0),
            3.6787944117144233,
            1e-14,
            "washout",
        );
        assert_eq!(cstr_washout(1000.0, 100.0, 1.0, 0.01, 0.0), 10.0);
        assert_eq!(cstr_washout(1000.0, 100.0, 1.0, 0.01, -1.0), 0.0);
        // Half the mass is gone after ln 2 / (Q/V + k).
        let half_life_s = 2.0_f64.ln() / 0.02;
        assert_close(
            cstr_washout(1000.0, 100.0, 1.0, 0.01, half_life_s),
            5.0,
            1e-14,
            "half-life",
        );
    }

    #[test]
    fn cstr_washout_solves_the_mixing_equation() {
        let (v, q, k) = (5e5, 40.0, 2e-6);
        let expected = integrate_ode(|c| -(q / v) * c - k * c, 2e3 / v, 36_000.0);
        assert_close(cstr_washout(2e3, v, q, k, 36_000.0), expected, 1e-10, "washout vs ODE");
    }

    #[test]
    fn cstr_step_response_matches_reference_values() {
        let (c_in, v, q, k) = (4.0, 500.0, 2.0, 1e-3);
        assert_close(
            cstr_step_response(c_in, v, q, k, 300.0),
            2.4859834875250244,
            1e-14,
            "step",
        );
        // Steady state: inflow Q·c_in balances outflow Q·C plus decay k·V·C.
        let steady = c_in * q / (q + k * v);
        assert_close(cstr_step_response(c_in, v, q, k, 1e6), steady, 1e-14, "steady state");
        assert_close(steady, 3.2, 1e-14, "steady state value");
        // Early on the reactor fills at the inflow rate: C ≈ c_in·(Q/V)·t.
        assert_close(
            cstr_step_response(c_in, v, q, k, 1e-9),
            c_in * q / v * 1e-9,
            1e-8,
            "early",
        );
    }

    #[test]
    fn cstr_step_response_solves_the_mixing_equation() {
        let (c_in, v, q, k) = (4.0, 500.0, 2.0, 1e-3);
        let expected = integrate_ode(|c| q / v * (c_in - c) - k * c, 0.0, 700.0);
        assert_close(cstr_step_response(c_in, v, q, k, 700.0), expected, 1e-10, "step vs ODE");
    }

    #[test]
    fn cstr_step_response_is_clean_without_inflow_or_time() {
        assert_eq!(cstr_step_response(4.0, 500.0, 2.0, 1e-3, 0.0), 0.0);
        assert_eq!(cstr_step_response(4.0, 500.0, 2.0, 1e-3, -10.0), 0.0);
        assert_eq!(cstr_step_response(4.0, 500.0, 0.0, 0.0, 100.0), 0.0);
        assert_eq!(cstr_step_response(4.0, 500.0, 0.0, 1e-3, 100.0), 0.0);
    }
}
