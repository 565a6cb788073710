//! Prints the published Fen River setup (Wang et al. 2023) as `tripoint identify` weighs
//! it, beside the truth, with the time of the transport runs and of the quadrature.
//! `cargo run --release -p tripoint-sim --example identify_published [-- TIMING_MIN]`
//! (the timing error of the last variants, default the command's).

use std::time::Instant;
use tripoint_sim::identify::published::{PublishedSetup, Truth};
use tripoint_sim::identify::{self, ErrorModel, Responses};

fn main() {
    let base = PublishedSetup::fen_river_2017();
    // `-- TIMING_MIN`: the timing error of the last variants (default: the command's).
    let timing_s = std::env::args().nth(1).map_or(ErrorModel::default().timing_s, |v| {
        v.parse::<f64>().expect("TIMING_MIN: a number of minutes") * 60.0
    });
    let by_the_limit = ErrorModel {
        absolute_mg_l: None,
        ..base.error
    };
    let variants = [
        (
            "results from the model itself, noise-free, weighed with 1 % error",
            base.clone().models_own_results(),
        ),
        (
            "results from the model itself, noise-free, a candidate on the truth",
            PublishedSetup {
                truth: Truth::Transport,
                noise_relative: 0.0,
                ..base.clone()
            },
        ),
        (
            "noise-free, a candidate on the truth",
            PublishedSetup {
                noise_relative: 0.0,
                ..base.clone()
            },
        ),
        ("10 % noise, a candidate on the truth", base.clone()),
        (
            "10 % noise, truth halfway between candidates",
            PublishedSetup {
                truth_off_grid_m: base.spacing_m / 2.0,
                ..base.clone()
            },
        ),
        (
            "10 % noise, candidates every 100 m",
            PublishedSetup {
                spacing_m: 100.0,
                ..base.clone()
            },
        ),
        (
            "10 % noise, model velocity 10 % high",
            PublishedSetup {
                model_velocity_factor: 1.1,
                ..base.clone()
            },
        ),
        (
            "10 % noise, a candidate on the truth; absolute error a third of the limit, no timing error",
            PublishedSetup {
                error: ErrorModel {
                    timing_s: 0.0,
                    ..by_the_limit
                },
                ..base.clone()
            },
        ),
        (
            "10 % noise, a candidate on the truth; absolute error a third of the limit, timing error TIMING_MIN",
            PublishedSetup {
                error: ErrorModel {
                    timing_s,
                    ..by_the_limit
                },
                ..base.clone()
            },
        ),
        (
            "10 % noise, a candidate on the truth; absolute error 0.001 mg/L, timing error TIMING_MIN",
            PublishedSetup {
                error: ErrorModel { timing_s, ..base.error },
                ..base.clone()
            },
        ),
    ];
    println!("{}: D = {:.1} m²/s", base.name, base.dispersion_m2_s());
    for (label, setup) in &variants {
        let scenario = setup.scenario().expect("the setup's scenario");
        let observations = setup.observations(&scenario).expect("the results");
        let request = setup.request(&scenario, observations.clone());
        let last = observations.iter().map(|o| o.taken_at).max().unwrap();
        let horizon = (last + request.outlook) - request.since;
        let locations: Vec<_> = observations.iter().map(|o| o.location).collect();
        let started = Instant::now();
        let responses = Responses::build(&scenario, request.prior, &[0], &locations, request.regime, horizon).unwrap();
        let transport_s = started.elapsed().as_secs_f64();
        let started = Instant::now();
        let identification = identify::identify_with(&scenario, &responses, &request).unwrap();
        let quadrature_s = started.elapsed().as_secs_f64();
        let r = setup.recovery(&identification);
        let e = r.relative_errors(setup);
        println!("\n{}", label.replace("TIMING_MIN", &format!("{} min", timing_s / 60.0)));
        println!(
            "  results {} ({} detected), places {}, transport runs {}, nodes {}",
            r.n_results, r.n_detected, r.n_places, r.n_transport_runs, r.n_nodes
        );
        println!(
            "  x0 [m]    true {:>8.0}  est {:>8.0}  5–95 % {:>8.0}–{:<8.0} rel err {:+.3} %",
            setup.distance_m,
            r.distance_m[1],
            r.distance_m[0],
            r.distance_m[2],
            e[0] * 100.0
        );
        println!(
            "  t0 [min]  true {:>8.1}  est {:>8.1}  5–95 % {:>8.1}–{:<8.1} rel err {:+.3} %",
            setup.start.as_secs_f64() / 60.0,
            r.start_min[1],
            r.start_min[0],
            r.start_min[2],
            e[1] * 100.0
        );
        println!(
            "  M [kg]    true {:>8.0}  est {:>8.0}  5–95 % {:>8.0}–{:<8.0} rel err {:+.3} %",
            setup.mass_kg,
            r.mass_kg[1],
            r.mass_kg[0],
            r.mass_kg[2],
            e[2] * 100.0
        );
        println!(
            "  top place {:.0} m above the site, p = {:.3}; p(place at the truth) = {:.3}",
            r.top_place_distance_m, r.top_place_probability, r.truth_place_probability
        );
        println!("  time: transport runs {transport_s:.2} s, quadrature {quadrature_s:.2} s");
    }
}
