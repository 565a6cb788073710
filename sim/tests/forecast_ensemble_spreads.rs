//! The forecast ensemble (`forecast --spread`) on the built-in zone: no spread gives the
//! central forecast exactly, a wider input gives a wider outcome, a mass-only spread
//! scales the peaks exactly, and the result does not depend on threads.

use tripoint_sim::forecast::ensemble::{self, Ensemble, EnsembleRequest, InputSpread, nearest_rank};
use tripoint_sim::forecast::{self, Forecast, ForecastRequest};
use tripoint_sim::scenario::Scenario;

const MEMBERS: usize = 10;

fn central(scenario: &Scenario) -> (ForecastRequest, Forecast) {
    let mut request = ForecastRequest::from_scenario(scenario);
    request.journal = false;
    let forecast = forecast::run(scenario, &request).unwrap();
    (request, forecast)
}

fn spread(dispersion: f64, flow: f64, mass: f64) -> EnsembleRequest {
    EnsembleRequest {
        members: MEMBERS,
        seed: 11,
        spread: InputSpread {
            dispersion_log_sd: dispersion,
            flow_log_sd: flow,
            mass_log_sd: mass,
        },
    }
}

fn ensemble_of(scenario: &Scenario, request: &EnsembleRequest) -> Ensemble {
    let (forecast_request, forecast) = central(scenario);
    ensemble::run(scenario, &forecast_request, &forecast, request).unwrap()
}

/// The Jinze intake's entry: the receptor every spread is read at.
fn jinze(e: &Ensemble) -> &ensemble::EnsemblePoint {
    e.points
        .iter()
        .find(|p| p.point == "jinze_intake")
        .expect("Jinze is downstream")
}

#[test]
fn with_no_spread_every_quantile_is_the_central_forecast() {
    let scenario = Scenario::builtin();
    let e = ensemble_of(&scenario, &spread(0.0, 0.0, 0.0));
    assert!(e.points.len() >= 3, "intakes and border sections: {}", e.points.len());
    for p in &e.points {
        let q = &p.quantiles;
        let c = &p.central;
        assert_eq!(q.arrival_s, [c.leading_edge_s; 3], "{}", p.point);
        assert_eq!(q.peak_mg_l, [c.peak_mg_l; 3], "{}", p.point);
        assert_eq!(q.over_limit_s, [c.over_limit_duration_s; 3], "{}", p.point);
        assert_eq!(q.p_reach, if c.leading_edge_s.is_some() { 1.0 } else { 0.0 });
        assert_eq!(q.p_over_limit, if c.over_limit_from_s.is_some() { 1.0 } else { 0.0 });
    }
    assert!(
        jinze(&e).central.over_limit_duration_s > 0,
        "the built-in release exceeds at Jinze"
    );
}

/// P90 − P10 of the arrival and P90 / P10 of the peak at Jinze.
fn widths(e: &Ensemble) -> (i64, f64) {
    let q = &jinze(e).quantiles;
    let arrival = q.arrival_s[2].expect("P90 arrives") - q.arrival_s[0].expect("P10 arrives");
    (arrival, q.peak_mg_l[2] / q.peak_mg_l[0])
}

#[test]
fn widening_an_input_widens_the_outcome() {
    let scenario = Scenario::builtin();
    let sds = [0.1, 0.3, 0.6];
    // Dispersion: the peak above all (the arrival moves little at the leading edge).
    let peak_widths: Vec<f64> = sds
        .iter()
        .map(|&sd| widths(&ensemble_of(&scenario, &spread(sd, 0.0, 0.0))).1)
        .collect();
    assert!(
        peak_widths.windows(2).all(|w| w[1] > w[0]) && peak_widths[0] > 1.0,
        "dispersion → peak P90/P10 {peak_widths:?}"
    );
    // Flow: the travel time.
    let arrival_widths: Vec<i64> = sds
        .iter()
        .map(|&sd| widths(&ensemble_of(&scenario, &spread(0.0, sd, 0.0))).0)
        .collect();
    assert!(
        arrival_widths.windows(2).all(|w| w[1] > w[0]) && arrival_widths[0] > 0,
        "flow → arrival P90 − P10 {arrival_widths:?} s"
    );
    // Mass: the peak.
    let peak_widths: Vec<f64> = sds
        .iter()
        .map(|&sd| widths(&ensemble_of(&scenario, &spread(0.0, 0.0, sd))).1)
        .collect();
    assert!(
        peak_widths.windows(2).all(|w| w[1] > w[0]) && peak_widths[0] > 1.0,
        "mass → peak P90/P10 {peak_widths:?}"
    );
}

#[test]
fn a_mass_spread_scales_the_peaks_exactly_and_moves_no_peak_time() {
    let scenario = Scenario::builtin();
    let request = spread(0.0, 0.0, 0.5);
    let (forecast_request, central_forecast) = central(&scenario);
    let e = ensemble::run(&scenario, &forecast_request, &central_forecast, &request).unwrap();
    let mut factors: Vec<f64> = e.inputs.iter().map(|m| m.mass_factor).collect();
    assert!(
        e.inputs
            .iter()
            .all(|m| m.dispersion_factor == 1.0 && m.flow_factor == 1.0)
    );
    factors.sort_by(f64::total_cmp);
    let mass_q = [0.1, 0.5, 0.9].map(|q| factors[nearest_rank(MEMBERS, q)]);
    assert!(mass_q[2] / mass_q[0] > 1.5, "the draws spread the mass: {mass_q:?}");
    for p in &e.points {
        for k in 0..3 {
            let expected = p.central.peak_mg_l * mass_q[k];
            let got = p.quantiles.peak_mg_l[k];
            assert!(
                (got - expected).abs() <= 1e-9 * expected,
                "{} P{}: peak {got} ≠ {expected}",
                p.point,
                [10, 50, 90][k]
            );
        }
    }
    // Member by member: the same peak time, and an earlier leading edge with more mass
    // (the edge is where the curve passes the detection limit, which a larger plume
    // passes sooner).
    for m in [0, MEMBERS / 2, MEMBERS - 1] {
        let inputs = e.inputs[m];
        let (member_scenario, member_request) = inputs.apply(&scenario, &forecast_request);
        let member = forecast::run(&member_scenario, &member_request).unwrap();
        for c in central_forecast.points.iter().filter(|p| p.reached) {
            let p = member.points.iter().find(|p| p.point == c.point).unwrap();
            assert_eq!(p.peak_s, c.peak_s, "{} member {m}", c.point);
            let (edge, central_edge) = (p.leading_edge_s.unwrap(), c.leading_edge_s.unwrap());
            if inputs.mass_factor > 1.0 {
                assert!(edge <= central_edge, "{} member {m}", c.point);
            } else {
                assert!(edge >= central_edge, "{} member {m}", c.point);
            }
        }
    }
}

#[test]
fn the_ensemble_is_the_same_on_one_thread_and_on_many() {
    let scenario = Scenario::builtin();
    let request = EnsembleRequest {
        members: 6,
        ..spread(0.8, 0.2, 0.3)
    };
    let pool = |n| rayon::ThreadPoolBuilder::new().num_threads(n).build().unwrap();
    let one = pool(1).install(|| ensemble_of(&scenario, &request));
    let many = pool(3).install(|| ensemble_of(&scenario, &request));
    let json = |e: &Ensemble| serde_json::to_string(e).unwrap();
    assert_eq!(json(&one), json(&many));
    // And another seed draws other members.
    let other = ensemble_of(&scenario, &EnsembleRequest { seed: 12, ..request });
    assert_ne!(json(&one), json(&other));
}
