//! One explicit finite-volume step of 1D advection–dispersion in a reach: ULTIMATE-QUICKEST
//! advective face values (Leonard 1991, third order with a universal limiter that keeps
//! fronts sharp and concentrations non-negative) and central dispersive fluxes.
//!
//! Boundaries: the upstream face carries only the advective inflow `q · c_in` (no
//! dispersive flux back across a junction, so mass is exchanged only one way and balances
//! exactly); the downstream face carries only advective outflow (zero-gradient).

/// Face value of ULTIMATE-QUICKEST for flow from `c_c` towards `c_d`, with `c_u` the next
/// cell upstream and `courant` = u·dt/dx in (0, 1].
pub fn ultimate_quickest_face(c_u: f64, c_c: f64, c_d: f64, courant: f64) -> f64 {
    let delta = c_d - c_u;
    let curvature = c_d - 2.0 * c_c + c_u;
    // Locally non-monotonic (or flat): first-order upwind is the only bounded choice.
    if curvature.abs() >= delta.abs() {
        return c_c;
    }
    let quickest = 0.5 * (c_c + c_d) - 0.5 * courant * (c_d - c_c) - (1.0 - courant * courant) / 6.0 * curvature;
    // Normalised variables: the ULTIMATE limiter keeps the face value between the upwind
    // value and the bound that stops the upwind cell from emptying below its neighbour.
    let c_c_norm = (c_c - c_u) / delta;
    // Rounding can put a nearly flat profile outside (0, 1); upwind is safe there.
    if !(c_c_norm > 0.0 && c_c_norm < 1.0) {
        return c_c;
    }
    let face_norm = (quickest - c_u) / delta;
    let upper = (c_c_norm / courant).min(1.0);
    c_u + face_norm.max(c_c_norm).min(upper) * delta
}

/// Geometry and coefficients of one reach for a step.
#[derive(Clone, Copy, Debug)]
pub struct ReachStep {
    /// Cell length [m].
    pub dx_m: f64,
    /// Cross-section [m²].
    pub area_m2: f64,
    /// Discharge [m³/s].
    pub discharge_m3_s: f64,
    /// Dispersion coefficient [m²/s].
    pub dispersion_m2_s: f64,
    /// Decay rate [1/s].
    pub decay_per_s: f64,
    /// Step length [s].
    pub dt_s: f64,
}

/// Concentrations below this are set to zero at the end of a step, their mass booked as
/// "below the floor" [mg/L]. Fourteen orders of magnitude under the lowest detection limit
/// in use, so no reading changes; it stops a decaying tail from filling the grid with
/// subnormal numbers, whose arithmetic is a hundred times slower.
pub const CONCENTRATION_FLOOR_MG_L: f64 = 1e-20;

/// Mass moved by one step [g].
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct StepMasses {
    pub out_g: f64,
    pub decayed_g: f64,
    /// Mass of cells that fell below [`CONCENTRATION_FLOOR_MG_L`] and were emptied [g].
    pub floored_g: f64,
}

/// Advances the cell concentrations `conc` [g/m³] by one step, with `inflow_g` entering
/// across the upstream face during the step. `faces` is scratch space of `conc.len() + 1`.
pub fn step_reach(conc: &mut [f64], faces: &mut [f64], inflow_g: f64, p: &ReachStep) -> StepMasses {
    let n = conc.len();
    debug_assert_eq!(faces.len(), n + 1);
    let volume_m3 = p.area_m2 * p.dx_m;
    let velocity = p.discharge_m3_s / p.area_m2;
    let courant = velocity * p.dt_s / p.dx_m;
    let q_dt = p.discharge_m3_s * p.dt_s;
    let c_in = inflow_g / q_dt;
    let at = |i: isize| -> f64 { if i < 0 { c_in } else { conc[(i as usize).min(n - 1)] } };
    // faces[f] = mass [g] crossing face f (between cells f-1 and f) downstream in the step.
    faces[0] = inflow_g;
    let dispersive = p.dispersion_m2_s * p.area_m2 / p.dx_m * p.dt_s;
    for f in 1..=n {
        let i = f as isize;
        let face_value = ultimate_quickest_face(at(i - 2), at(i - 1), at(i), courant);
        let mut flux = q_dt * face_value;
        if f < n {
            flux -= dispersive * (conc[f] - conc[f - 1]);
        }
        faces[f] = flux;
    }
    let decay_factor = (-p.decay_per_s * p.dt_s).exp();
    let floor_g = CONCENTRATION_FLOOR_MG_L * volume_m3;
    let mut decayed_g = 0.0;
    let mut floored_g = 0.0;
    for (i, c) in conc.iter_mut().enumerate() {
        let mass = *c * volume_m3 + faces[i] - faces[i + 1];
        debug_assert!(
            mass > -1e-9 * (faces[i].abs() + faces[i + 1].abs() + 1.0),
            "negative mass {mass} in cell {i}"
        );
        let kept = mass * decay_factor;
        decayed_g += mass - kept;
        // Written as selects, not a branch, so the loop stays straight-line code.
        let below = kept < floor_g;
        floored_g += if below { kept } else { 0.0 };
        *c = if below { 0.0 } else { kept / volume_m3 };
    }
    StepMasses {
        out_g: faces[n],
        decayed_g,
        floored_g,
    }
}

/// Longest stable step [s] for a reach: Courant number plus twice the diffusion number
/// at most `safety`, which keeps the explicit scheme positive and bounded.
pub fn stable_dt_s(dx_m: f64, velocity_m_s: f64, dispersion_m2_s: f64, safety: f64) -> f64 {
    safety / (velocity_m_s / dx_m + 2.0 * dispersion_m2_s / (dx_m * dx_m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn face_value_is_upwind_at_an_extremum() {
        assert_eq!(ultimate_quickest_face(0.0, 1.0, 0.0, 0.5), 1.0);
        assert_eq!(ultimate_quickest_face(1.0, 1.0, 1.0, 0.5), 1.0);
    }

    #[test]
    fn face_value_is_exact_on_a_linear_profile() {
        // QUICKEST is exact for linear data: the face value at Courant c is the average
        // over the upstream distance u·dt, i.e. the value at x_face − c·dx/2.
        let v = ultimate_quickest_face(0.0, 1.0, 2.0, 0.5);
        assert!((v - 1.25).abs() < 1e-12, "{v}");
    }

    #[test]
    fn face_value_stays_within_the_limiter_bounds_on_a_step() {
        // A sharp front: the unlimited QUICKEST value overshoots; ULTIMATE clamps it.
        let v = ultimate_quickest_face(0.0, 0.0, 1.0, 0.3);
        assert_eq!(v, 0.0);
        let v = ultimate_quickest_face(0.0, 0.9, 1.0, 0.3);
        assert!((0.9..=1.0).contains(&v), "{v}");
    }

    #[test]
    fn pure_advection_at_courant_one_shifts_exactly() {
        let mut conc = vec![0.0, 0.0, 1.0, 0.0, 0.0];
        let mut faces = vec![0.0; 6];
        let p = ReachStep {
            dx_m: 10.0,
            area_m2: 1.0,
            discharge_m3_s: 1.0,
            dispersion_m2_s: 0.0,
            decay_per_s: 0.0,
            dt_s: 10.0,
        };
        step_reach(&mut conc, &mut faces, 0.0, &p);
        assert_eq!(conc, vec![0.0, 0.0, 0.0, 1.0, 0.0]);
    }

    #[test]
    fn a_step_conserves_mass_and_stays_non_negative() {
        let mut conc: Vec<f64> = (0..50).map(|i| if (10..14).contains(&i) { 5.0 } else { 0.0 }).collect();
        let mut faces = vec![0.0; 51];
        let p = ReachStep {
            dx_m: 50.0,
            area_m2: 100.0,
            discharge_m3_s: 40.0,
            dispersion_m2_s: 20.0,
            decay_per_s: 1e-5,
            dt_s: 0.0,
        };
        let dt = stable_dt_s(p.dx_m, 0.4, 20.0, 0.9);
        let p = ReachStep { dt_s: dt, ..p };
        let volume = p.area_m2 * p.dx_m;
        let before: f64 = conc.iter().sum::<f64>() * volume;
        let mut out = 0.0;
        let mut decayed = 0.0;
        let inflow = 3.0;
        for _ in 0..200 {
            let m = step_reach(&mut conc, &mut faces, inflow, &p);
            out += m.out_g;
            decayed += m.decayed_g;
            assert!(conc.iter().all(|c| *c >= 0.0));
        }
        let after: f64 = conc.iter().sum::<f64>() * volume;
        let balance = before + 200.0 * inflow - after - out - decayed;
        assert!(balance.abs() < 1e-9 * before, "{balance}");
    }

    #[test]
    fn a_tail_below_the_floor_is_emptied_and_booked() {
        // A pulse decaying fast: within a few steps every cell is below the floor.
        let mut conc = vec![0.0, 1e-18, 3e-21, 0.0];
        let mut faces = vec![0.0; 5];
        let p = ReachStep {
            dx_m: 10.0,
            area_m2: 2.0,
            discharge_m3_s: 0.01,
            dispersion_m2_s: 0.0,
            decay_per_s: 1.0,
            dt_s: 10.0,
        };
        let before: f64 = conc.iter().sum::<f64>() * 20.0;
        let m = step_reach(&mut conc, &mut faces, 0.0, &p);
        assert_eq!(conc, vec![0.0; 4]);
        let balance = before - m.out_g - m.decayed_g - m.floored_g;
        assert!(balance.abs() < 1e-9 * before, "{balance}");
    }
}
