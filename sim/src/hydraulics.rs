//! Reach hydraulics from the scenario geometry: velocity, shear velocity and longitudinal
//! dispersion by Kashefipour–Falconer (2002) or Fischer (1975), unless a reach overrides it.

use crate::scenario::{DispersionMethod, Reach};

/// Gravitational acceleration [m/s²].
pub const GRAVITY_M_S2: f64 = 9.81;

/// Shear velocity from Manning's equation, u* = √g · U · n / H^(1/6) [m/s].
pub fn shear_velocity_m_s(velocity_m_s: f64, depth_m: f64, manning_n: f64) -> f64 {
    GRAVITY_M_S2.sqrt() * velocity_m_s * manning_n / depth_m.powf(1.0 / 6.0)
}

/// Kashefipour & Falconer (2002), Water Research 36(6) [m²/s]:
/// B/H ≥ 50 → D = 10.612 H U (U/u*); otherwise
/// D = [7.428 + 1.775 (B/H)^0.620 (u*/U)^0.572] H U (U/u*).
pub fn kashefipour_falconer_m2_s(velocity_m_s: f64, width_m: f64, depth_m: f64, manning_n: f64) -> f64 {
    let u_star = shear_velocity_m_s(velocity_m_s, depth_m, manning_n);
    let base = depth_m * velocity_m_s * (velocity_m_s / u_star);
    let aspect = width_m / depth_m;
    if aspect >= 50.0 {
        10.612 * base
    } else {
        (7.428 + 1.775 * aspect.powf(0.620) * (u_star / velocity_m_s).powf(0.572)) * base
    }
}

/// Fischer (1975): D = 0.011 U² B² / (H u*) [m²/s].
pub fn fischer_m2_s(velocity_m_s: f64, width_m: f64, depth_m: f64, manning_n: f64) -> f64 {
    let u_star = shear_velocity_m_s(velocity_m_s, depth_m, manning_n);
    0.011 * velocity_m_s.powi(2) * width_m.powi(2) / (depth_m * u_star)
}

/// Hydraulics of one reach at one discharge.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ReachHydraulics {
    /// Discharge [m³/s].
    pub discharge_m3_s: f64,
    /// Mean velocity [m/s].
    pub velocity_m_s: f64,
    /// Longitudinal dispersion coefficient [m²/s].
    pub dispersion_m2_s: f64,
}

impl ReachHydraulics {
    /// `factor` multiplies the formula's coefficient, not a reach's own.
    pub fn of(reach: &Reach, discharge_m3_s: f64, method: DispersionMethod, factor: f64) -> ReachHydraulics {
        let velocity_m_s = discharge_m3_s / reach.area_m2();
        let dispersion_m2_s = reach.dispersion_m2_s.unwrap_or_else(|| {
            factor
                * match method {
                    DispersionMethod::KashefipourFalconer => {
                        kashefipour_falconer_m2_s(velocity_m_s, reach.width_m, reach.depth_m, reach.manning_n)
                    }
                    DispersionMethod::Fischer => {
                        fischer_m2_s(velocity_m_s, reach.width_m, reach.depth_m, reach.manning_n)
                    }
                }
        });
        ReachHydraulics {
            discharge_m3_s,
            velocity_m_s,
            dispersion_m2_s,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs()
    }

    #[test]
    fn shear_velocity_matches_hand_calculation() {
        // √9.81 · 0.2 · 0.025 / 5^(1/6) = 3.1321 · 0.005 / 1.30766 = 0.0119760
        assert!(close(shear_velocity_m_s(0.2, 5.0, 0.025), 0.011_976_0, 1e-4));
    }

    #[test]
    fn kashefipour_falconer_narrow_channel_binds_exponent_to_aspect_ratio() {
        // U = 0.2, B = 160, H = 5, n = 0.025: u* = 0.011976, U/u* = 16.700, B/H = 32,
        // 32^0.62 = 8.5875, (u*/U)^0.572 = 0.19982 → bracket 7.428 + 1.775·8.5875·0.19982
        // = 10.4739; D = 10.4739 · 5 · 0.2 · 16.700 = 174.91 m²/s.
        let d = kashefipour_falconer_m2_s(0.2, 160.0, 5.0, 0.025);
        assert!(close(d, 174.91, 2e-3), "{d}");
        // The precedence bug (1.775·B/H)^0.620 would give a different number.
        let wrong = (7.428 + (1.775 * 32.0_f64).powf(0.620) * (0.011976_f64 / 0.2).powf(0.572)) * 5.0 * 0.2 * 16.700;
        assert!(!close(d, wrong, 0.05));
    }

    #[test]
    fn kashefipour_falconer_wide_channel_uses_the_simple_form() {
        let d = kashefipour_falconer_m2_s(0.2, 300.0, 5.0, 0.025);
        let u_star = shear_velocity_m_s(0.2, 5.0, 0.025);
        assert!(close(d, 10.612 * 5.0 * 0.2 * 0.2 / u_star, 1e-12));
    }

    #[test]
    fn fischer_matches_hand_calculation() {
        // 0.011 · 0.04 · 25600 / (5 · 0.011976) = 188.08 m²/s
        assert!(close(fischer_m2_s(0.2, 160.0, 5.0, 0.025), 188.08, 2e-3));
    }
}
