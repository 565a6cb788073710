//! One explicit finite-volume step of 1D advection–dispersion in a reach: ULTIMATE-QUICKEST
//! advective face values (Leonard 1991, third order with a universal limiter that keeps
//! fronts sharp and concentrations non-negative) and central dispersive fluxes.
//!
//! Boundaries: the upstream face carries only the advective inflow `q · c_in` (no
//! dispersive flux back across a junction, so mass is exchanged only one way and balances
//! exactly); the downstream face carries only advective outflow (zero-gradient).
//!
//! Only the cells of a reach's [`CellWindow`] (where the pollutant is) and one cell either
//! side are computed: a face between cells that are exactly zero carries exactly zero, so
//! the cells outside stay exactly zero and the result is the same, bit for bit, as
//! stepping every cell.

/// The constants of the ULTIMATE-QUICKEST face value at one Courant number u·dt/dx in
/// (0, 1], computed once per reach and step length.
#[derive(Clone, Copy, Debug)]
pub struct Quickest {
    /// Half the Courant number.
    half_courant: f64,
    /// (1 − Courant²) / 6, the weight of the curvature.
    curvature_weight: f64,
    /// 1 / Courant.
    inv_courant: f64,
}

impl Quickest {
    pub fn new(courant: f64) -> Quickest {
        Quickest {
            half_courant: 0.5 * courant,
            curvature_weight: (1.0 - courant * courant) / 6.0,
            inv_courant: 1.0 / courant,
        }
    }
}

/// The smaller of two numbers, as one compare-and-select (no NaN handling: the
/// concentrations here are finite), so that loops of it vectorise.
#[inline(always)]
fn min_of(a: f64, b: f64) -> f64 {
    if a < b { a } else { b }
}

/// The larger of two numbers; see [`min_of`].
#[inline(always)]
fn max_of(a: f64, b: f64) -> f64 {
    if a > b { a } else { b }
}

/// Face value of ULTIMATE-QUICKEST for flow from `c_c` towards `c_d`, with `c_u` the next
/// cell upstream. Written without branches or divisions (selects only), so that the loop
/// over a reach's faces is straight-line code the compiler can vectorise.
#[inline(always)]
pub fn ultimate_quickest_face(c_u: f64, c_c: f64, c_d: f64, q: &Quickest) -> f64 {
    let upstream_step = c_c - c_u;
    let downstream_step = c_d - c_c;
    // Monotonic where both steps have the same sign. Elsewhere (an extremum, or flat)
    // first-order upwind is the only bounded choice.
    let monotonic = upstream_step * downstream_step > 0.0;
    let curvature = c_d - 2.0 * c_c + c_u;
    let quickest = 0.5 * (c_c + c_d) - q.half_courant * downstream_step - q.curvature_weight * curvature;
    // The ULTIMATE limiter keeps the face value between the upwind value and the bound
    // that stops the upwind cell from emptying past its upstream neighbour, and never
    // beyond the downstream value.
    let emptying_bound = c_u + upstream_step * q.inv_courant;
    let rising = downstream_step > 0.0;
    let limit = if rising {
        min_of(emptying_bound, c_d)
    } else {
        max_of(emptying_bound, c_d)
    };
    let low = if rising { c_c } else { limit };
    let high = if rising { limit } else { c_c };
    let limited = min_of(max_of(quickest, low), high);
    if monotonic { limited } else { c_c }
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
    /// Step length [s].
    pub dt_s: f64,
}

/// What a step of one reach needs, computed once for a reach, a flow regime and a step
/// length, not once per step.
#[derive(Clone, Copy, Debug)]
pub struct ReachCoefficients {
    /// Cell volume [m³].
    volume_m3: f64,
    /// Water through a face in one step [m³].
    q_dt_m3: f64,
    /// Dispersive exchange between neighbours in one step, D·A/dx·dt [m³].
    dispersive_m3: f64,
    /// Mass of a cell at the concentration floor [g].
    floor_g: f64,
    quickest: Quickest,
}

impl ReachStep {
    pub fn coefficients(&self) -> ReachCoefficients {
        let volume_m3 = self.area_m2 * self.dx_m;
        let velocity = self.discharge_m3_s / self.area_m2;
        let courant = velocity * self.dt_s / self.dx_m;
        let q_dt_m3 = self.discharge_m3_s * self.dt_s;
        ReachCoefficients {
            volume_m3,
            q_dt_m3,
            dispersive_m3: self.dispersion_m2_s * self.area_m2 / self.dx_m * self.dt_s,
            floor_g: CONCENTRATION_FLOOR_MG_L * volume_m3,
            quickest: Quickest::new(courant),
        }
    }
}

/// Concentrations below this are set to zero at the end of a step, their mass booked as
/// "below the floor" [mg/L]. Fourteen orders of magnitude under the lowest detection limit
/// in use, so no reading changes; it stops a decaying tail from filling the grid with
/// subnormal numbers, whose arithmetic is a hundred times slower, and it bounds the
/// [`CellWindow`] of a plume.
pub const CONCENTRATION_FLOOR_MG_L: f64 = 1e-20;

/// Mass moved by one step [g].
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct StepMasses {
    pub out_g: f64,
    pub decayed_g: f64,
    /// Mass of cells that fell below [`CONCENTRATION_FLOOR_MG_L`] and were emptied [g].
    pub floored_g: f64,
    /// Number of cells computed (the window and its edges) [cells].
    pub n_cells_computed: usize,
}

/// The cells of a reach that may hold the pollutant: every cell outside `[start, end)` is
/// exactly zero. Empty when `start == end`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CellWindow {
    pub start: usize,
    pub end: usize,
}

impl CellWindow {
    pub fn is_empty(&self) -> bool {
        self.start >= self.end
    }

    /// The window widened to hold cell `cell` too.
    pub fn including(self, cell: usize) -> CellWindow {
        if self.is_empty() {
            CellWindow {
                start: cell,
                end: cell + 1,
            }
        } else {
            CellWindow {
                start: self.start.min(cell),
                end: self.end.max(cell + 1),
            }
        }
    }

    /// The whole of a reach of `n_cells`.
    pub fn all(n_cells: usize) -> CellWindow {
        CellWindow { start: 0, end: n_cells }
    }

    /// The smallest window holding the non-zero cells of `conc[self.start..self.end]`.
    fn trimmed(self, conc: &[f64]) -> CellWindow {
        let cells = &conc[self.start..self.end];
        match cells.iter().position(|&c| c != 0.0) {
            None => CellWindow::default(),
            Some(first) => {
                let last = cells.iter().rposition(|&c| c != 0.0).unwrap_or(first);
                CellWindow {
                    start: self.start + first,
                    end: self.start + last + 1,
                }
            }
        }
    }
}

/// Advances the cell concentrations `conc` [g/m³] by one step, with `inflow_g` entering
/// across the upstream face during the step and `decay_factor` = exp(−k·dt) of the
/// pollutant. `faces` is scratch space of `conc.len() + 1`. `window` holds the cells that
/// may be non-zero, and is updated to the cells that are after the step.
///
/// Why skipping the rest is exact: the face value of a face between two zero cells is the
/// upwind value zero whatever lies further upstream (no monotonic profile has a flat step),
/// and so is its dispersive flux; such a face carries exactly zero, and a zero cell
/// between two such faces stays zero and adds exactly zero to every sum. The computed
/// cells are the window and one cell either side (the first cell too when mass flows in),
/// with every face around them, computed exactly as over the whole reach.
pub fn step_reach(
    conc: &mut [f64],
    faces: &mut [f64],
    window: &mut CellWindow,
    inflow_g: f64,
    k: &ReachCoefficients,
    decay_factor: f64,
) -> StepMasses {
    let n = conc.len();
    debug_assert!(n >= 3, "a reach has at least three cells");
    debug_assert_eq!(faces.len(), n + 1);
    debug_assert!(window.end <= n);
    let mut computed = if inflow_g != 0.0 { window.including(0) } else { *window };
    if computed.is_empty() {
        return StepMasses::default();
    }
    computed.start = computed.start.saturating_sub(1);
    computed.end = (computed.end + 1).min(n);
    let (first, last) = (computed.start, computed.end);
    let q = &k.quickest;
    // faces[f] = mass [g] crossing face f (between cells f-1 and f) downstream in the step;
    // faces first..=last are needed.
    if first == 0 {
        faces[0] = inflow_g;
    }
    if first <= 1 {
        let c_in = inflow_g / k.q_dt_m3;
        faces[1] =
            k.q_dt_m3 * ultimate_quickest_face(c_in, conc[0], conc[1], q) - k.dispersive_m3 * (conc[1] - conc[0]);
    }
    // Interior faces 2..=n-1: three neighbours and a dispersive flux, no special case.
    let interior_first = first.max(2);
    let interior_last = last.min(n - 1);
    if interior_first <= interior_last {
        let count = interior_last + 1 - interior_first;
        let upstream = &conc[interior_first - 2..interior_first - 2 + count];
        let central = &conc[interior_first - 1..interior_first - 1 + count];
        let downstream = &conc[interior_first..interior_first + count];
        let out = &mut faces[interior_first..interior_first + count];
        for (((face, &c_u), &c_c), &c_d) in out.iter_mut().zip(upstream).zip(central).zip(downstream) {
            *face = k.q_dt_m3 * ultimate_quickest_face(c_u, c_c, c_d, q) - k.dispersive_m3 * (c_d - c_c);
        }
    }
    // The outflow face: zero gradient beyond the last cell, so upwind and no dispersion.
    if last == n {
        faces[n] = k.q_dt_m3 * conc[n - 1];
    }
    let mut decayed_g = 0.0;
    let mut floored_g = 0.0;
    let cells = &mut conc[first..last];
    let inflows = &faces[first..last];
    let outflows = &faces[first + 1..=last];
    for ((c, &face_in), &face_out) in cells.iter_mut().zip(inflows).zip(outflows) {
        let mass = *c * k.volume_m3 + face_in - face_out;
        debug_assert!(
            mass > -1e-9 * (face_in.abs() + face_out.abs() + 1.0),
            "negative mass {mass}"
        );
        let kept = mass * decay_factor;
        decayed_g += mass - kept;
        // Written as selects, not a branch, so the loop stays straight-line code.
        let below = kept < k.floor_g;
        floored_g += if below { kept } else { 0.0 };
        // A division, not a product with 1/volume: the rounding of 1/volume would be the
        // same relative error in every cell at every step, a bias that adds up to ~1e-12 of
        // the mass over a forecast, where a correctly rounded quotient stays unbiased.
        *c = if below { 0.0 } else { kept / k.volume_m3 };
    }
    *window = computed.trimmed(conc);
    StepMasses {
        out_g: if last == n { faces[n] } else { 0.0 },
        decayed_g,
        floored_g,
        n_cells_computed: last - first,
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

    fn face(c_u: f64, c_c: f64, c_d: f64, courant: f64) -> f64 {
        ultimate_quickest_face(c_u, c_c, c_d, &Quickest::new(courant))
    }

    /// The limiter as Leonard writes it, in normalised variables with divisions: the
    /// reference the branch-free form is checked against.
    fn face_normalised(c_u: f64, c_c: f64, c_d: f64, courant: f64) -> f64 {
        let delta = c_d - c_u;
        let curvature = c_d - 2.0 * c_c + c_u;
        if curvature.abs() >= delta.abs() {
            return c_c;
        }
        let quickest = 0.5 * (c_c + c_d) - 0.5 * courant * (c_d - c_c) - (1.0 - courant * courant) / 6.0 * curvature;
        let c_c_norm = (c_c - c_u) / delta;
        if !(c_c_norm > 0.0 && c_c_norm < 1.0) {
            return c_c;
        }
        let face_norm = (quickest - c_u) / delta;
        let upper = (c_c_norm / courant).min(1.0);
        c_u + face_norm.max(c_c_norm).min(upper) * delta
    }

    #[test]
    fn face_value_is_upwind_at_an_extremum() {
        assert_eq!(face(0.0, 1.0, 0.0, 0.5), 1.0);
        assert_eq!(face(1.0, 1.0, 1.0, 0.5), 1.0);
        assert_eq!(face(1.0, 0.0, 1.0, 0.5), 0.0);
    }

    #[test]
    fn face_value_is_exact_on_a_linear_profile() {
        // QUICKEST is exact for linear data: the face value at Courant c is the average
        // over the upstream distance u·dt, i.e. the value at x_face − c·dx/2.
        let v = face(0.0, 1.0, 2.0, 0.5);
        assert!((v - 1.25).abs() < 1e-12, "{v}");
        let v = face(2.0, 1.0, 0.0, 0.5);
        assert!((v - 0.75).abs() < 1e-12, "{v}");
    }

    #[test]
    fn face_value_stays_within_the_limiter_bounds_on_a_step() {
        // A sharp front: the unlimited QUICKEST value overshoots; ULTIMATE clamps it.
        assert_eq!(face(0.0, 0.0, 1.0, 0.3), 0.0);
        let v = face(0.0, 0.9, 1.0, 0.3);
        assert!((0.9..=1.0).contains(&v), "{v}");
        let v = face(1.0, 0.1, 0.0, 0.3);
        assert!((0.0..=0.1).contains(&v), "{v}");
    }

    #[test]
    fn branch_free_face_value_agrees_with_the_normalised_limiter() {
        // Profiles of every shape (rising, falling, extrema, near-flat) over sixteen orders
        // of magnitude, from a fixed sequence: the two forms differ only by rounding.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut n_limited = 0;
        for _ in 0..200_000 {
            let scale = 10f64.powi((next() * 16.0) as i32 - 12);
            let c_u = next() * scale;
            let c_c = next() * scale;
            let c_d = if next() < 0.1 {
                c_c * (1.0 + 1e-15 * next())
            } else {
                next() * scale
            };
            let courant = 0.05 + 0.95 * next();
            let fast = face(c_u, c_c, c_d, courant);
            let reference = face_normalised(c_u, c_c, c_d, courant);
            let tolerance = 1e-13 * c_u.abs().max(c_c.abs()).max(c_d.abs());
            assert!(
                (fast - reference).abs() <= tolerance,
                "c_u {c_u:e} c_c {c_c:e} c_d {c_d:e} courant {courant}: {fast:e} against {reference:e}"
            );
            n_limited += usize::from(fast != c_c);
        }
        // The comparison covers the limited branch, not only upwind values.
        assert!(n_limited > 50_000, "{n_limited}");
    }

    fn coefficients(
        dx_m: f64,
        area_m2: f64,
        discharge_m3_s: f64,
        dispersion_m2_s: f64,
        dt_s: f64,
    ) -> ReachCoefficients {
        ReachStep {
            dx_m,
            area_m2,
            discharge_m3_s,
            dispersion_m2_s,
            dt_s,
        }
        .coefficients()
    }

    #[test]
    fn pure_advection_at_courant_one_shifts_exactly() {
        let mut conc = vec![0.0, 0.0, 1.0, 0.0, 0.0];
        let mut faces = vec![0.0; 6];
        let mut window = CellWindow::all(5);
        let k = coefficients(10.0, 1.0, 1.0, 0.0, 10.0);
        step_reach(&mut conc, &mut faces, &mut window, 0.0, &k, 1.0);
        assert_eq!(conc, vec![0.0, 0.0, 0.0, 1.0, 0.0]);
        assert_eq!(window, CellWindow { start: 3, end: 4 });
    }

    #[test]
    fn a_step_conserves_mass_and_stays_non_negative() {
        let mut conc: Vec<f64> = (0..50).map(|i| if (10..14).contains(&i) { 5.0 } else { 0.0 }).collect();
        let mut faces = vec![0.0; 51];
        let mut window = CellWindow::all(50);
        let dt = stable_dt_s(50.0, 0.4, 20.0, 0.9);
        let k = coefficients(50.0, 100.0, 40.0, 20.0, dt);
        let decay_factor = (-1e-5 * dt).exp();
        let volume = 50.0 * 100.0;
        let before: f64 = conc.iter().sum::<f64>() * volume;
        let mut out = 0.0;
        let mut decayed = 0.0;
        let inflow = 3.0;
        for _ in 0..200 {
            let m = step_reach(&mut conc, &mut faces, &mut window, inflow, &k, decay_factor);
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
        let mut window = CellWindow { start: 1, end: 3 };
        let dt = 10.0;
        let k = coefficients(10.0, 2.0, 0.01, 0.0, dt);
        let before: f64 = conc.iter().sum::<f64>() * 20.0;
        let decay_per_s = 1.0;
        let m = step_reach(&mut conc, &mut faces, &mut window, 0.0, &k, (-decay_per_s * dt).exp());
        assert_eq!(conc, vec![0.0; 4]);
        assert!(window.is_empty());
        let balance = before - m.out_g - m.decayed_g - m.floored_g;
        assert!(balance.abs() < 1e-9 * before, "{balance}");
    }

    #[test]
    fn stepping_the_window_gives_the_same_bits_as_stepping_every_cell() {
        // A lasting inflow, then a pulse in the middle, dispersion, decay and the floor:
        // the window grows from the inflow and the pulse, joins, and the plume leaves the
        // reach. Stepping only the window must give exactly what stepping all cells gives.
        let n = 120;
        let dt = stable_dt_s(80.0, 0.5, 15.0, 0.9);
        let k = coefficients(80.0, 60.0, 30.0, 15.0, dt);
        let decay_factor = (-2e-5 * dt).exp();
        let mut windowed = vec![0.0; n];
        let mut full = vec![0.0; n];
        let mut faces = vec![0.0; n + 1];
        let mut window = CellWindow::default();
        let (mut windowed_sum, mut full_sum) = (StepMasses::default(), StepMasses::default());
        let mut widest = 0;
        for step in 0..3000 {
            if step == 40 {
                windowed[70] += 3.0;
                full[70] += 3.0;
                window = window.including(70);
            }
            let inflow_g = if (10..30).contains(&step) { 50.0 } else { 0.0 };
            let a = step_reach(&mut windowed, &mut faces, &mut window, inflow_g, &k, decay_factor);
            let mut all = CellWindow::all(n);
            let b = step_reach(&mut full, &mut faces, &mut all, inflow_g, &k, decay_factor);
            assert_eq!(
                (a.out_g, a.decayed_g, a.floored_g),
                (b.out_g, b.decayed_g, b.floored_g),
                "step {step}"
            );
            assert_eq!(windowed, full, "step {step}");
            for m in [(&mut windowed_sum, a), (&mut full_sum, b)] {
                m.0.out_g += m.1.out_g;
                m.0.decayed_g += m.1.decayed_g;
                m.0.floored_g += m.1.floored_g;
            }
            assert!(
                windowed[..window.start]
                    .iter()
                    .chain(&windowed[window.end..])
                    .all(|&c| c == 0.0)
            );
            widest = widest.max(window.end - window.start);
        }
        assert_eq!(
            (windowed_sum.out_g, windowed_sum.decayed_g, windowed_sum.floored_g),
            (full_sum.out_g, full_sum.decayed_g, full_sum.floored_g)
        );
        // The plume filled most of the reach at some point and then left it.
        assert!(widest > n / 2, "{widest}");
        assert!(window.is_empty() && full_sum.out_g > 0.0, "{window:?}");
    }
}
