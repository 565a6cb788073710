//! The Fen River spill of 2017 as Wang et al. (2023) set it up for Bayesian MCMC
//! (`identify::published`), weighed by the identification with every place along the
//! reach a candidate: the source is recovered within 5 % in distance, start and mass,
//! with the truth inside the 90 % intervals; from the model's own noise-free results
//! weighed with a 1 % error, to the candidate place and within 1 %; and a model whose river runs 10 % fast misses
//! the source by far more than those tolerances (so they can fail).

use tripoint_sim::identify;
use tripoint_sim::identify::published::{PublishedSetup, Recovery};

fn recover(setup: &PublishedSetup) -> Recovery {
    let scenario = setup.scenario().unwrap();
    let observations = setup.observations(&scenario).unwrap();
    let identification = identify::identify(&scenario, &setup.request(&scenario, observations)).unwrap();
    setup.recovery(&identification)
}

/// Every relative error within `tolerance`, and the truth inside the 90 % intervals of
/// distance, start and mass.
fn within(setup: &PublishedSetup, r: &Recovery, tolerance: f64) -> bool {
    let errors = r.relative_errors(setup);
    let inside = |q: [f64; 3], truth: f64| q[0] <= truth && truth <= q[2];
    errors.iter().all(|e| e.abs() <= tolerance)
        && inside(r.distance_m, setup.distance_m)
        && inside(r.start_min, setup.start.as_secs_f64() / 60.0)
        && inside(r.mass_kg, setup.mass_kg)
}

#[test]
fn the_fen_river_spill_is_recovered_from_noisy_results_at_site_b() {
    let setup = PublishedSetup::fen_river_2017();
    let r = recover(&setup);
    eprintln!("{r:#?}\nrelative errors {:?}", r.relative_errors(&setup));
    assert!(r.n_detected >= 8 && r.n_detected < r.n_results, "{r:?}");
    assert!(within(&setup, &r, 0.05), "{r:?}");
    assert!(r.truth_place_probability >= 0.2, "{r:?}");
}

#[test]
fn the_fen_river_spill_is_recovered_when_it_lies_between_candidate_places() {
    let base = PublishedSetup::fen_river_2017();
    let setup = PublishedSetup {
        truth_off_grid_m: base.spacing_m / 2.0,
        ..base
    };
    let r = recover(&setup);
    eprintln!("{r:#?}\nrelative errors {:?}", r.relative_errors(&setup));
    assert!(within(&setup, &r, 0.05), "{r:?}");
    // The two places either side of the truth hold most of the posterior.
    assert!(r.truth_place_probability >= 0.5, "{r:?}");
}

#[test]
fn the_models_own_noise_free_results_give_the_source_to_the_grid() {
    let setup = PublishedSetup::fen_river_2017().models_own_results();
    let r = recover(&setup);
    eprintln!("{r:#?}\nrelative errors {:?}", r.relative_errors(&setup));
    assert_eq!(r.top_place_distance_m, setup.distance_m, "{r:?}");
    assert!(r.truth_place_probability >= 0.9, "{r:?}");
    assert!(within(&setup, &r, 0.01), "{r:?}");
}

#[test]
fn a_model_whose_river_runs_ten_percent_fast_misses_the_source() {
    let setup = PublishedSetup {
        model_velocity_factor: 1.1,
        ..PublishedSetup::fen_river_2017()
    };
    let r = recover(&setup);
    eprintln!("{r:#?}\nrelative errors {:?}", r.relative_errors(&setup));
    assert!(!within(&setup, &r, 0.05), "{r:?}");
    assert!(r.relative_errors(&setup)[0] > 0.1, "{r:?}");
}
