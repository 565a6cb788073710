//! The validation series of docs/validation.md ("Source identification"):
//! `cargo run --release -p tripoint-sim --example identify_validation -- [CASES] [DISPERSION]`
//! identifies the first CASES detectable synthetic cases (200) with the truth's dispersion
//! DISPERSION times the model's (1) and prints what it measured.

use tripoint_sim::identify::cases::{median, series};
use tripoint_sim::scenario::Scenario;

fn main() {
    let mut args = std::env::args().skip(1);
    let n_cases: usize = args.next().map_or(200, |v| v.parse().expect("CASES: a whole number"));
    let dispersion: f64 = args.next().map_or(1.0, |v| v.parse().expect("DISPERSION: a number"));
    let began = std::time::Instant::now();
    let clock = || began.elapsed().as_secs_f64();
    let s = series(&Scenario::builtin(), n_cases, dispersion, &clock, &mut |_| {});
    let pct = |k: usize| 100.0 * k as f64 / s.cases as f64;
    println!(
        "cases {} (seeds 1..={}, {} undetected), dispersion ×{dispersion}: source first {:.1} %, place first {:.1} %, \
         start in 90 % interval {:.1} %, mass in 90 % interval {:.1} %, median |start error| {:.0} min, \
         median mass factor {:.2}, unit responses {:.1} s, identification median {:.2} s",
        s.cases,
        s.draws,
        s.undetected,
        pct(s.source_first),
        pct(s.place_first),
        pct(s.start_in),
        pct(s.mass_in),
        median(&s.start_errors_min),
        median(&s.mass_factors_ln).exp(),
        s.unit_responses_s,
        median(&s.identification_s)
    );
}
