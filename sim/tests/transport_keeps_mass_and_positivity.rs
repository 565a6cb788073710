//! Invariants of transport on the built-in zone under random releases and flow changes:
//! released = stored + out + decayed to 1e-9, and no negative concentration. A failing
//! case prints its seed.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tripoint_sim::scenario::{Location, Release, Scenario};
use tripoint_sim::time::{SimDuration, SimTime};
use tripoint_sim::transport::{Network, Transport};

fn random_release(scenario: &Scenario, rng: &mut ChaCha8Rng, start: SimTime) -> Release {
    let location = if rng.random_bool(0.7) {
        let reach = rng.random_range(0..scenario.reaches.len());
        Location::Reach {
            reach,
            chainage_m: rng.random_range(0.0..=scenario.reaches[reach].length_m),
        }
    } else {
        Location::Node(rng.random_range(0..scenario.nodes.len()))
    };
    Release {
        pollutant: rng.random_range(0..scenario.pollutants.len()),
        mass_kg: rng.random_range(1.0..2000.0),
        location,
        start,
        duration: SimDuration(if rng.random_bool(0.5) {
            0
        } else {
            rng.random_range(60..6 * 3600)
        }),
        note: String::new(),
    }
}

#[test]
fn random_releases_balance_mass_and_stay_non_negative() {
    let scenario = Scenario::builtin();
    for seed in 0..12u64 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut transport = Transport::new(&scenario, Network::build(&scenario).unwrap());
        let mut now = SimTime::ZERO;
        for _ in 0..6 {
            now = now + SimDuration(rng.random_range(600..4 * 3600));
            transport.advance_to(now);
            if rng.random_bool(0.3) {
                transport.set_regime(rng.random_range(0..scenario.regimes.len()));
            }
            let release = random_release(&scenario, &mut rng, now);
            transport.start_release(&release);
        }
        transport.advance_to(now + SimDuration::from_hours(12));
        for species in 0..transport.n_species() {
            let ledger = transport.ledger(species);
            assert!(
                ledger.relative_imbalance().abs() < 1e-9,
                "seed {seed}, pollutant {species}: imbalance {:e} ({ledger:?})",
                ledger.relative_imbalance()
            );
            for reach in 0..scenario.reaches.len() {
                let min = transport
                    .reach_profile(species, reach)
                    .iter()
                    .copied()
                    .fold(f64::INFINITY, f64::min);
                // Rounding may leave −1e−20-sized values; anything visible is a defect.
                assert!(
                    min > -1e-15,
                    "seed {seed}: negative concentration {min} in reach {}",
                    scenario.reaches[reach].id
                );
            }
        }
    }
}

#[test]
fn a_release_into_a_lake_leaves_through_its_outlets() {
    let scenario = Scenario::builtin();
    let lake = scenario
        .nodes
        .iter()
        .position(|n| matches!(n.kind, tripoint_sim::scenario::NodeKind::Lake { .. }))
        .expect("the zone has lakes");
    let mut transport = Transport::new(&scenario, Network::build(&scenario).unwrap());
    let release = Release {
        pollutant: 0,
        mass_kg: 100.0,
        location: Location::Node(lake),
        start: SimTime::ZERO,
        duration: SimDuration(0),
        note: String::new(),
    };
    transport.start_release(&release);
    transport.advance_to(SimTime::from_hours(24));
    let ledger = transport.ledger(0);
    assert!(
        ledger.stored_g > 0.0 && ledger.relative_imbalance().abs() < 1e-12,
        "{ledger:?}"
    );
    let downstream: f64 = scenario
        .reaches
        .iter()
        .enumerate()
        .filter(|(_, r)| r.from == lake)
        .map(|(idx, _)| transport.reach_profile(0, idx).iter().sum::<f64>())
        .sum();
    assert!(downstream > 0.0, "nothing left the lake in 24 h");
}
