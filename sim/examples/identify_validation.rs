//! The validation series of docs/validation.md ("Source identification"):
//! `cargo run --release -p tripoint-sim --example identify_validation -- [CASES] [DISPERSION]
//! [NOISE_ABSOLUTE_MIN_MG_L]` identifies the first CASES detectable synthetic cases (200)
//! with the truth's dispersion DISPERSION times the model's (1), the noise's absolute part
//! a third of the detection limit and at least NOISE_ABSOLUTE_MIN_MG_L (0; 0.001 draws the
//! cases as before 2026-12-03), and prints what it measured;
//! `… -- two [CASES]` identifies CASES (100) cases of two simultaneous releases with
//! `--sources 2`, and `… -- one-vs-two [CASES]` CASES (100) cases of one release with
//! `--sources 2` (does one against two pick one?); `… -- anywhere [CASES] [SPACING_M]
//! [REFINE_PLACES]` identifies the one-release series' first CASES (50) cases with `--prior
//! anywhere --spacing-m SPACING_M` (2000) `--refine-places REFINE_PLACES` (2; 0: the coarse
//! places only): a hit is a first place on the true source's reach within one spacing of it
//! (or its lake cell), the intervals those of the most probable such place.

use tripoint_sim::identify::Prior;
use tripoint_sim::identify::cases::{CaseSettings, TwoSeries, median, series, series_two};
use tripoint_sim::scenario::Scenario;

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    let began = std::time::Instant::now();
    let clock = || began.elapsed().as_secs_f64();
    let truth_sources = match args.peek().map(String::as_str) {
        Some("two") => Some(2),
        Some("one-vs-two") => Some(1),
        _ => None,
    };
    if let Some(truth_sources) = truth_sources {
        args.next();
        let n_cases: usize = args.next().map_or(100, |v| v.parse().expect("CASES: a whole number"));
        let verbose = std::env::var_os("VERBOSE").is_some();
        let s = series_two(&Scenario::builtin(), n_cases, truth_sources, &clock, &mut |line| {
            if verbose {
                eprintln!("{line}");
            }
        });
        let pct = |k: usize, n: usize| 100.0 * k as f64 / n.max(1) as f64;
        let mut p_two = s.p_two.clone();
        p_two.sort_by(f64::total_cmp);
        let mut times = s.identification_s.clone();
        times.sort_by(f64::total_cmp);
        println!(
            "{}-release cases {} (seeds drawn {}, {} undetected) with --sources 2: true pair first {:.1} %, \
             true source first {:.1} %, one-vs-two right {:.1} %, p(two) median {:.3} (10 % {:.3}, 90 % {:.3}); \
             releases assessed {}: start in 90 % interval {:.1} %, mass in 90 % interval {:.1} %, \
             median |start error| {:.0} min, median mass factor {:.2}; unit responses {:.1} s, \
             identification median {:.2} s, max {:.2} s",
            truth_sources,
            s.cases,
            s.draws,
            s.undetected,
            pct(s.pair_first, s.cases),
            pct(s.source_first, s.cases),
            pct(s.model_right, s.cases),
            median(&p_two),
            p_two.get(p_two.len() / 10).copied().unwrap_or(f64::NAN),
            p_two.get(p_two.len() * 9 / 10).copied().unwrap_or(f64::NAN),
            s.releases_assessed,
            pct(s.start_in, s.releases_assessed),
            pct(s.mass_in, s.releases_assessed),
            median(&s.start_errors_min),
            median(&s.mass_factors_ln).exp(),
            s.unit_responses_s,
            median(&times),
            times.last().copied().unwrap_or(f64::NAN)
        );
        if truth_sources == 2 {
            for (label, class) in TwoSeries::SEEN_CLASSES.iter().zip(&s.by_seen) {
                println!(
                    "  less seen release above a limit at {label} results: {} cases, true pair first {}, two judged {}",
                    class.cases, class.pair_first, class.two_judged
                );
            }
        }
        return;
    }
    let anywhere = args.peek().map(String::as_str) == Some("anywhere");
    if anywhere {
        args.next();
    }
    let scenario = Scenario::builtin();
    let base = CaseSettings::for_scenario(&scenario);
    let n_cases: usize = args.next().map_or(if anywhere { 50 } else { 200 }, |v| {
        v.parse().expect("CASES: a whole number")
    });
    let settings = if anywhere {
        let spacing_m: f64 = args.next().map_or(2000.0, |v| v.parse().expect("SPACING_M: a number"));
        let refine_places_max = args.next().map_or(base.refine_places_max, |v| {
            v.parse().expect("REFINE_PLACES: a whole number")
        });
        CaseSettings {
            prior: Prior::Anywhere { spacing_m },
            refine_places_max,
            ..base
        }
    } else {
        let dispersion: f64 = args.next().map_or(1.0, |v| v.parse().expect("DISPERSION: a number"));
        let noise_absolute_min_mg_l: f64 = args
            .next()
            .map_or(0.0, |v| v.parse().expect("NOISE_ABSOLUTE_MIN_MG_L: a number"));
        CaseSettings {
            dispersion_factor: dispersion,
            noise_absolute_min_mg_l,
            ..base
        }
    };
    let (dispersion, noise_absolute_min_mg_l) = (settings.dispersion_factor, settings.noise_absolute_min_mg_l);
    let verbose = std::env::var_os("VERBOSE").is_some();
    let s = series(&scenario, &settings, n_cases, &clock, &mut |line| {
        if verbose {
            eprintln!("{line}");
        }
    });
    let pct = |k: usize| 100.0 * k as f64 / s.cases as f64;
    let mut times = s.identification_s.clone();
    times.sort_by(f64::total_cmp);
    println!(
        "cases {} (seeds 1..={}, {} undetected), prior {:?}, dispersion ×{dispersion}, noise absolute ≥ \
         {noise_absolute_min_mg_l} mg/L: source first {:.1} %, place first {:.1} % (within a spacing / 8: {:.1} %), \
         start in 90 % interval {:.1} %, mass in 90 % interval {:.1} % (over the places within a spacing of the first: \
         {:.1} %, {:.1} %), median |start error| {:.0} min, \
         median mass factor {:.2}, unit responses {:.1} s, identification median {:.2} s ({:.2}–{:.2} s)",
        s.cases,
        s.draws,
        s.undetected,
        settings.prior,
        pct(s.source_first),
        pct(s.place_first),
        pct(s.place_first_fine),
        pct(s.start_in),
        pct(s.mass_in),
        pct(s.start_in_mixed),
        pct(s.mass_in_mixed),
        median(&s.start_errors_min),
        median(&s.mass_factors_ln).exp(),
        s.unit_responses_s,
        median(&times),
        times.first().copied().unwrap_or(f64::NAN),
        times.last().copied().unwrap_or(f64::NAN)
    );
}
