//! The work limits: before a run, the number of substeps (what a bad stable step makes
//! grow) is bounded and a refusal names the reach that sets the step; the size of the
//! network alone is never a reason, its cells being bounded by `CELLS_MAX` when it is
//! built. During a forecast, the guard counts the work done, which follows the plume.

use tripoint_sim::forecast::{self, ForecastRequest};
use tripoint_sim::scenario::{Scenario, SourceText};
use tripoint_sim::synthetic::{self, SyntheticZone};
use tripoint_sim::time::SimDuration;
use tripoint_sim::time::SimTime;
use tripoint_sim::transport::{Network, NetworkError, SUBSTEPS_MAX, Transport};

fn synthetic(copies: usize) -> Scenario {
    let text = synthetic::zone_copies(&SyntheticZone {
        copies,
        seed: 1,
        length_jitter: 0.1,
    })
    .unwrap();
    Scenario::parse(&SourceText::new(format!("synthetic-{copies}.toml"), text.as_str())).unwrap()
}

#[test]
fn a_dispersion_in_the_wrong_unit_is_refused_naming_its_reach() {
    // 10⁵ m²/s, the most the loader accepts (a value in cm²/s taken for m²/s), on cells
    // of 20 m: a step of milliseconds.
    let mut s = Scenario::builtin();
    let reach = 3;
    s.settings.cell_length_m = 20.0;
    s.reaches[reach].dispersion_m2_s = Some(1e5);
    let network = Network::build(&s).unwrap();
    for regime in 0..s.regimes.len() {
        let err = network.check_work(&[regime], SimDuration::from_hours(72)).unwrap_err();
        let NetworkError::TooMuchWork {
            reach: named,
            dispersion_m2_s,
            substeps,
            ..
        } = &err
        else {
            panic!("{err}")
        };
        assert_eq!(named, &s.reaches[reach].id);
        assert!(*dispersion_m2_s >= 1e5, "{err}");
        assert!(*substeps > SUBSTEPS_MAX, "{err}");
        let message = err.to_string();
        assert!(
            message.contains(&format!("reach `{}`", s.reaches[reach].id)),
            "{message}"
        );
        assert!(message.contains("dispersion_m2_s"), "{message}");
    }
    // The same scenario with its own dispersion runs 72 h in every regime.
    let zone = Scenario::builtin();
    let all: Vec<usize> = (0..zone.regimes.len()).collect();
    Network::build(&zone)
        .unwrap()
        .check_work(&all, SimDuration::from_hours(72))
        .unwrap();
}

#[test]
fn a_large_network_with_the_zones_own_step_is_not_refused_for_its_size() {
    // Ten copies for 60 days of flood flow: cells × substeps is beyond the 10¹⁰ cell
    // updates that the limit once counted (and refused with a message blaming the zone's
    // own reach), while the substeps are those of the zone alone.
    let ten = synthetic(10);
    let zone = Scenario::builtin();
    let flood = ten.regime_idx("flood").unwrap();
    let span = SimDuration::from_hours(60 * 24);
    let network = Network::build(&ten).unwrap();
    let zone_network = Network::build(&zone).unwrap();
    let cell_updates = network.n_cells() as f64 * span.as_secs_f64() / network.dt_max_s[flood];
    assert!(
        cell_updates > 1e10,
        "{cell_updates:e}: the network is too small to show the point"
    );
    network.check_work(&[flood], span).unwrap();
    // The step is the zone's: the limit does not depend on the copies.
    let zone_flood = zone.regime_idx("flood").unwrap();
    assert!(network.dt_max_s[flood] <= zone_network.dt_max_s[zone_flood]);
    assert!(network.dt_max_s[flood] > 0.8 * zone_network.dt_max_s[zone_flood]);
}

#[test]
fn the_forecasts_guard_counts_the_work_done_not_the_network_times_the_steps() {
    let ten = synthetic(10);
    let mut request = ForecastRequest::from_scenario(&ten);
    request.regime = ten.regime_idx("flood").unwrap();
    request.journal = false;
    request.until_passed = Some(forecast::SETTLE_EXTRA_MAX);
    let f = forecast::run(&ten, &request).unwrap();
    assert!(f.passed, "the plume passes every point");
    // The forecast reports the explicit scheme's cell updates (every cell of the network in
    // every substep); the guard counts the cells of the plume and the visits, a part of
    // that on ten copies, where much of the network is clean water much of the time
    // (3.9·10⁸ against 1.35·10⁹ when written).
    assert!(f.n_work_units > 0);
    assert!(
        f.n_work_units * 3 < f.n_cell_updates,
        "work done {} against {} cell updates",
        f.n_work_units,
        f.n_cell_updates
    );
    // Before any release nothing is in the water, and time passes at no cost.
    let mut transport = Transport::new(&ten, Network::build(&ten).unwrap());
    transport.advance_to(SimTime(3600));
    assert_eq!(transport.n_work_units(), 0, "nothing in the water costs nothing");
}
