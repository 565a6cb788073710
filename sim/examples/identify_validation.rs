//! The validation series of docs/validation.md ("Source identification"):
//! `cargo run --release -p tripoint-sim --example identify_validation -- [CASES] [DISPERSION]
//! [NOISE_ABSOLUTE_MIN_MG_L] [TIMING_MIN] [SPREAD] [MODEL_DISPERSION] [FLOW]
//! [DISCHARGE_SPREAD]` identifies the
//! first CASES detectable synthetic cases (200) with the truth's dispersion DISPERSION times
//! the model's (1) and its discharge FLOW times the model's (1), the noise's absolute part a
//! third of the detection limit and at least NOISE_ABSOLUTE_MIN_MG_L (0;
//! 0.001 draws the cases as before 2026-12-03), weighed with a timing error of TIMING_MIN
//! minutes (default the command's), the dispersion taken as unknown with a log-sd of SPREAD
//! (default the command's; 0: off) and unit responses made with the scenario's dispersion
//! times MODEL_DISPERSION (1), the discharge taken as unknown with a log-sd of
//! DISCHARGE_SPREAD (default the command's; 0: off), and prints what it measured
//! (`… -- 200 1 0 0 SPREAD`);
//! `… -- two [CASES] [SEEDS]` identifies CASES (100) cases of two simultaneous releases with
//! `--sources 2` (only those of the seeds SEEDS, a comma-separated list, when given), with
//! the releases of the listed true pairs scored as reported, seen (start and mass in their
//! 90 % intervals) or not seen (mass at or below its 90 % upper bound), and by the
//! intervals over the releases seen only (as reported before 2026-12-04), and
//! `… -- one-vs-two [CASES]` CASES (100) cases of one release with
//! `--sources 2` (does one against two pick one?); `… -- anywhere [CASES] [SPACING_M]
//! [REFINE_PLACES]` identifies the one-release series' first CASES (50) cases with `--prior
//! anywhere --spacing-m SPACING_M` (2000) `--refine-places REFINE_PLACES` (2; 0: the coarse
//! places only): a hit is a first place on the true source's reach within one spacing of it
//! (or its lake cell), the intervals those of the most probable such place; and, beside
//! it, judged by the most probable group of places (`identify::Group`): a hit is that group
//! within one spacing of the true source, the intervals the mixture of its places';
//! `… -- anywhere-truths [CASES] [SPACING_M] [REFINE_PLACES]` does the same (CASES 30) on
//! truths drawn from the prior anywhere itself (`cases::draw_anywhere`: a place of the
//! network, a mass of that prior's axis) rather than at the inventory's risk sources, with
//! a line per case on where the group's intervals lie against the truth (`VERBOSE=1`);
//! `… -- trace [SPACING_M] [SEED]` identifies case SEED of the anywhere series and prints
//! every listed place and group beside the truth, `… -- trace-truths [SPACING_M] [SEED]`
//! case SEED of the anywhere-truths series;
//! `… -- compare [CASES] [SEEDS]` identifies the two-release series' cases (as `two`) with
//! the pairs' quadratures made anew and reused (`identify::PairQuadratures`), the two in
//! turn on each case (which goes first alternates), and prints their wall and CPU times
//! and how far their answers differ (docs/benchmarks.md, "Two releases").

use tripoint_sim::identify::cases::{self, CaseSettings, Truths, TwoSeries, median, series, series_two_of};
use tripoint_sim::identify::{self, ErrorModel, ModelSpread, PairQuadratures, Prior};
use tripoint_sim::scenario::Scenario;

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    let began = std::time::Instant::now();
    let clock = || began.elapsed().as_secs_f64();
    if args.peek().map(String::as_str) == Some("compare") {
        args.next();
        let n_cases: usize = args.next().map_or(100, |v| v.parse().expect("CASES: a whole number"));
        let only: Option<Vec<u64>> = args.next().map(|v| {
            v.split(',')
                .map(|s| s.trim().parse().expect("SEEDS: whole numbers separated by commas"))
                .collect()
        });
        compare(n_cases, only.as_deref());
        return;
    }
    let trace_truths = match args.peek().map(String::as_str) {
        Some("trace") => Some(Truths::Inventory),
        Some("trace-truths") => Some(Truths::Anywhere),
        _ => None,
    };
    if let Some(truths) = trace_truths {
        args.next();
        let spacing_m: f64 = args.next().map_or(2000.0, |v| v.parse().expect("SPACING_M: a number"));
        let seed: u64 = args.next().map_or(1, |v| v.parse().expect("SEED: a whole number"));
        trace(spacing_m, seed, truths);
        return;
    }
    let truth_sources = match args.peek().map(String::as_str) {
        Some("two") => Some(2),
        Some("one-vs-two") => Some(1),
        _ => None,
    };
    if let Some(truth_sources) = truth_sources {
        args.next();
        let n_cases: usize = args.next().map_or(100, |v| v.parse().expect("CASES: a whole number"));
        let only: Option<Vec<u64>> = args.next().map(|v| {
            v.split(',')
                .map(|s| s.trim().parse().expect("SEEDS: whole numbers separated by commas"))
                .collect()
        });
        let verbose = std::env::var_os("VERBOSE").is_some();
        let s = series_two_of(
            &Scenario::builtin(),
            n_cases,
            truth_sources,
            only.as_deref(),
            &clock,
            &mut |line| {
                if verbose {
                    eprintln!("{line}");
                }
            },
        );
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
            let (seen, unseen) = (&s.seen, &s.unseen);
            println!(
                "  as reported: seen {} releases, start in 90 % interval {:.1} %, mass {:.1} %; not seen {} releases, \
                 mass at or below its 90 % upper bound {:.1} % (start not judged); all {} releases, mass held \
                 {:.1} %, start {:.1} % of the {} seen",
                seen.releases,
                pct(seen.start_in, seen.releases),
                pct(seen.mass_in, seen.releases),
                unseen.releases,
                pct(unseen.mass_in, unseen.releases),
                seen.releases + unseen.releases,
                pct(seen.mass_in + unseen.mass_in, seen.releases + unseen.releases),
                pct(seen.start_in, seen.releases),
                seen.releases
            );
            let (seen, unseen) = (&s.seen_before, &s.unseen_before);
            println!(
                "  intervals over the releases seen only (as before): reported seen {} releases, start {:.1} %, mass \
                 {:.1} %; reported not seen {} releases, start {:.1} %, mass {:.1} %",
                seen.releases,
                pct(seen.start_in, seen.releases),
                pct(seen.mass_in, seen.releases),
                unseen.releases,
                pct(unseen.start_in, unseen.releases),
                pct(unseen.mass_in, unseen.releases)
            );
            let t = &s.truth_by_reported;
            println!(
                "  read above a limit at some result (noise-free) and reported seen {}, reported not seen {}; read at \
                 none and reported seen {}, reported not seen {}; load average {}",
                t[1][1],
                t[1][0],
                t[0][1],
                t[0][0],
                load()
            );
            for (label, class) in TwoSeries::SEEN_CLASSES.iter().zip(&s.by_seen) {
                println!(
                    "  less seen release above a limit at {label} results: {} cases, true pair first {}, two judged {}",
                    class.cases, class.pair_first, class.two_judged
                );
            }
        }
        return;
    }
    let truths = match args.peek().map(String::as_str) {
        Some("anywhere-truths") => Truths::Anywhere,
        _ => Truths::Inventory,
    };
    let anywhere = truths == Truths::Anywhere || args.peek().map(String::as_str) == Some("anywhere");
    if anywhere {
        args.next();
    }
    let scenario = Scenario::builtin();
    let base = CaseSettings {
        truths,
        ..CaseSettings::for_scenario(&scenario)
    };
    let default_cases = match (anywhere, truths) {
        (_, Truths::Anywhere) => 30,
        (true, Truths::Inventory) => 50,
        (false, Truths::Inventory) => 200,
    };
    let n_cases: usize = args
        .next()
        .map_or(default_cases, |v| v.parse().expect("CASES: a whole number"));
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
        let timing_s = args.next().map_or(base.weighed_with.timing_s, |v| {
            v.parse::<f64>().expect("TIMING_MIN: a number of minutes") * 60.0
        });
        let dispersion_log_sd = args.next().map_or(base.spread.dispersion_log_sd, |v| {
            v.parse().expect("SPREAD: a log-standard deviation")
        });
        let model_dispersion_factor: f64 = args
            .next()
            .map_or(1.0, |v| v.parse().expect("MODEL_DISPERSION: a number"));
        // FLOW, or FLOW~SD: each case's truth drawn log-normal about FLOW with log-sd SD.
        let (flow_factor, flow_log_sd): (f64, f64) = args.next().map_or((1.0, 0.0), |v| match v.split_once('~') {
            Some((f, sd)) => (
                f.parse().expect("FLOW: a number"),
                sd.parse().expect("FLOW~SD: a log-standard deviation"),
            ),
            None => (v.parse().expect("FLOW: a number"), 0.0),
        });
        let discharge_log_sd = args.next().map_or(base.spread.discharge_log_sd, |v| {
            v.parse().expect("DISCHARGE_SPREAD: a log-standard deviation")
        });
        CaseSettings {
            flow_factor,
            flow_log_sd,
            dispersion_factor: dispersion,
            model_dispersion_factor,
            spread: ModelSpread {
                dispersion_log_sd,
                discharge_log_sd,
            },
            noise_absolute_min_mg_l,
            weighed_with: ErrorModel {
                timing_s,
                ..base.weighed_with
            },
            ..base
        }
    };
    let (dispersion, noise_absolute_min_mg_l) = (settings.dispersion_factor, settings.noise_absolute_min_mg_l);
    let timing_min = settings.weighed_with.timing_s / 60.0;
    let (spread, model_dispersion) = (settings.spread.dispersion_log_sd, settings.model_dispersion_factor);
    let flow = if settings.flow_log_sd > 0.0 {
        format!(
            "{} (drawn per case, log-sd {})",
            settings.flow_factor, settings.flow_log_sd
        )
    } else {
        settings.flow_factor.to_string()
    };
    let discharge_spread = settings.spread.discharge_log_sd;
    let verbose = std::env::var_os("VERBOSE").is_some();
    let s = series(&scenario, &settings, n_cases, &clock, &mut |line| {
        if verbose {
            eprintln!("{line}");
        }
    });
    let pct = |k: usize| 100.0 * k as f64 / s.cases as f64;
    let mut times = s.identification_s.clone();
    times.sort_by(f64::total_cmp);
    if truths == Truths::Anywhere {
        println!(
            "truths drawn from the prior anywhere: every place equally, uniform along its stretch, any pollutant \
             the inventory holds, {}–{} kg log-uniform (a hit: the most probable group within a spacing of the \
             truth)",
            identify::ANYWHERE_MASS_KG.0,
            identify::ANYWHERE_MASS_KG.1
        );
    }
    println!(
        "cases {} (seeds 1..={}, {} undetected), prior {:?}, dispersion ×{dispersion}, noise absolute ≥ \
         {noise_absolute_min_mg_l} mg/L, timing error {timing_min} min, dispersion spread {spread}, model's \
         dispersion ×{model_dispersion}, truth's discharge ×{flow}, discharge spread {discharge_spread}: source first {:.1} %, place first {:.1} % \
         (within a spacing / 8: {:.1} %), start in 90 % interval {:.1} %, mass in 90 % interval {:.1} % (over the \
         places within a spacing of the first: {:.1} %, {:.1} %), median |start error| {:.0} min, \
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
    if let Prior::Anywhere { spacing_m } = settings.prior {
        let hits = s.group_first.max(1) as f64;
        let mut lengths = s.group_length_m.clone();
        lengths.sort_by(f64::total_cmp);
        println!(
            "judged by the most probable group (places on a reach whose stretches touch, each above {} of the \
             posterior; intervals of the mixture of its places): group within {spacing_m} m of the truth {:.1} %, \
             start in its 90 % interval {:.1} %, mass {:.1} % (where the group is near the truth: {:.1} %, {:.1} %), \
             group probability median {:.3}, length median {:.0} m ({:.0}–{:.0} m); load average {}",
            identify::GROUP_FLOOR,
            pct(s.group_first),
            pct(s.group_start_in),
            pct(s.group_mass_in),
            100.0 * s.group_first_start_in as f64 / hits,
            100.0 * s.group_first_mass_in as f64 / hits,
            median(&s.group_probability),
            median(&lengths),
            lengths.first().copied().unwrap_or(f64::NAN),
            lengths.last().copied().unwrap_or(f64::NAN),
            load()
        );
    }
}

/// Case `seed` of the anywhere series identified as the series does it, every listed
/// candidate and group printed beside the truth: where the posterior lies along the reach,
/// and what start and mass each place needs.
fn trace(spacing_m: f64, seed: u64, truths: Truths) {
    let scenario = Scenario::builtin();
    let settings = CaseSettings {
        prior: Prior::Anywhere { spacing_m },
        truths,
        ..CaseSettings::for_scenario(&scenario)
    };
    let case = match truths {
        Truths::Inventory => cases::draw(&scenario, &settings, seed),
        Truths::Anywhere => cases::draw_anywhere(&scenario, &settings, seed),
    }
    .expect("the case is drawn")
    .expect("a detectable case");
    let request = identify::IdentifyRequest {
        durations: settings.durations.clone(),
        regime: settings.regime,
        outlook: tripoint_sim::time::SimDuration::from_hours(12),
        draws: 100,
        seed,
        prior: settings.prior,
        error: settings.weighed_with,
        refine_places_max: settings.refine_places_max,
        ..identify::IdentifyRequest::new(&scenario, case.observations.clone())
    };
    let id = identify::identify(&scenario, &request).expect("the case is identified");
    println!(
        "case {seed}: truth {} ({}) {} {:.1} kg at {} s for {} min; {} places, {} refined stretches",
        case.truth.label(&scenario),
        scenario.location_label(case.truth.location_in(&scenario)),
        scenario.pollutants[case.truth.pollutant].id,
        case.truth.mass_kg,
        case.truth.start.seconds(),
        case.truth.duration.seconds() / 60,
        id.n_places,
        id.n_refined_stretches
    );
    for c in &id.candidates {
        println!(
            "  place {:<28} p={:.4} {} start {:?} mass {:.1?} durations {:?}",
            c.place.label,
            c.probability,
            c.pollutant,
            c.start_s,
            c.mass_kg,
            c.durations
                .iter()
                .map(|(d, p)| format!("{}:{p:.2}", d / 60))
                .collect::<Vec<_>>()
        );
    }
    for g in &id.groups {
        println!(
            "  group {} {:?}–{:?} m p={:.4} ({} places, top {}) start {:?} mass {:.1?}",
            g.water, g.from_m, g.to_m, g.probability, g.n_places, g.top_place, g.start_s, g.mass_kg
        );
    }
}

/// The process's CPU time over all its threads [s] (clock_gettime, as fleet_baseline reads it).
fn cpu_s() -> f64 {
    let mut now = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes one timespec through a valid pointer.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut now) };
    assert_eq!(status, 0, "clock_gettime failed");
    now.tv_sec as f64 + now.tv_nsec as f64 * 1e-9
}

/// The 1-minute load average.
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

/// What one identification said, for comparing the two ways, and how the series scores it.
struct Answer {
    wall_s: f64,
    cpu_s: f64,
    pairs: Vec<([String; 2], f64)>,
    p_two: f64,
    intervals: Vec<([i64; 3], [f64; 3])>,
    pair_first: bool,
    /// Releases of the true pair (where listed) with start and mass in their 90 % intervals.
    assessed: usize,
    start_in: usize,
    mass_in: usize,
    reused: usize,
    quadratures: usize,
}

fn compare(n_cases: usize, only: Option<&[u64]>) {
    let scenario = Scenario::builtin();
    let settings = CaseSettings::for_scenario(&scenario);
    let responses = cases::two_release_responses(&scenario, &settings).expect("the unit responses are built");
    let last_seed = only.map(|s| s.iter().copied().max().unwrap_or(0));
    let mut answers: Vec<[Answer; 2]> = Vec::new();
    let mut draws = 0u64;
    let mut loads = vec![load()];
    while answers.len() < n_cases {
        draws += 1;
        let seed = 1_000_000 + draws;
        if let (Some(seeds), Some(last)) = (only, last_seed) {
            if seed > last {
                break;
            }
            if !seeds.contains(&seed) {
                continue;
            }
        }
        let Some(case) = cases::draw_two(&scenario, &settings, seed).expect("the case is drawn") else {
            continue;
        };
        let ids: Vec<&str> = case
            .truths
            .iter()
            .map(|t| scenario.risk_sources[t.source].id.as_str())
            .collect();
        let request = cases::two_release_request(&scenario, &settings, case.observations.clone(), seed);
        let run = |quadratures| -> Option<Answer> {
            let (wall, cpu) = (std::time::Instant::now(), cpu_s());
            let id = identify::identify_with_quadratures(&scenario, &responses, &request, quadratures).ok()?;
            let (wall_s, cpu_s) = (wall.elapsed().as_secs_f64(), cpu_s() - cpu);
            let two = id.two.expect("--sources 2 answers about two releases");
            let labels =
                |p: &identify::PairCandidate| [p.releases[0].place.label.clone(), p.releases[1].place.label.clone()];
            let is_truth = |p: &identify::PairCandidate| {
                let l = labels(p);
                l.iter().any(|x| x == ids[0]) && l.iter().any(|x| x == ids[1])
            };
            let (mut assessed, mut start_in, mut mass_in) = (0, 0, 0);
            if let Some(pair) = two.pairs.iter().find(|p| is_truth(p)) {
                for truth in &case.truths {
                    let id = &scenario.risk_sources[truth.source].id;
                    if let Some(mine) = pair.releases.iter().find(|r| r.place.label == *id) {
                        assessed += 1;
                        let t = truth.start.seconds();
                        start_in += usize::from(mine.start_s[0] <= t && t <= mine.start_s[2]);
                        mass_in += usize::from(mine.mass_kg[0] <= truth.mass_kg && truth.mass_kg <= mine.mass_kg[2]);
                    }
                }
            }
            Some(Answer {
                wall_s,
                cpu_s,
                pairs: two.pairs.iter().map(|p| (labels(p), p.probability)).collect(),
                p_two: two.p_two,
                intervals: two
                    .pairs
                    .iter()
                    .flat_map(|p| p.releases.iter().map(|r| (r.start_s, r.mass_kg)))
                    .collect(),
                pair_first: is_truth(&two.pairs[0]),
                assessed,
                start_in,
                mass_in,
                reused: two.n_quadratures_reused,
                quadratures: two.n_quadratures,
            })
        };
        // Alternate which goes first, so neither always meets a warmer cache or a quieter
        // machine.
        let (old, new) = if answers.len().is_multiple_of(2) {
            let old = run(PairQuadratures::Recompute);
            (old, run(PairQuadratures::Reuse))
        } else {
            let new = run(PairQuadratures::Reuse);
            (run(PairQuadratures::Recompute), new)
        };
        let (old, new) = match (old, new) {
            (Some(old), Some(new)) => (old, new),
            (None, None) => continue,
            _ => panic!("case {seed}: only one way identified it"),
        };
        loads.push(load());
        let same_pairs =
            old.pairs.len() == new.pairs.len() && old.pairs.iter().zip(&new.pairs).all(|(a, b)| a.0 == b.0);
        let dp = old
            .pairs
            .iter()
            .zip(&new.pairs)
            .map(|(a, b)| (a.1 - b.1).abs())
            .fold(0.0, f64::max);
        let same_intervals = same_intervals(&old, &new);
        eprintln!(
            "case {seed}: recompute {:.2} s (CPU {:.2} s), reuse {:.2} s (CPU {:.2} s), {} of {} quadratures reused; \
             same pairs in order {same_pairs}, max |Δp| {dp:.2e}, |Δp(two)| {:.2e}, intervals equal {same_intervals}; \
             recompute/reuse: true pair first {}/{}, two judged {}/{}, starts in {}/{} and masses in {}/{} of {}/{}; load {}",
            old.wall_s,
            old.cpu_s,
            new.wall_s,
            new.cpu_s,
            new.reused,
            new.quadratures,
            (old.p_two - new.p_two).abs(),
            old.pair_first,
            new.pair_first,
            old.p_two >= 0.5,
            new.p_two >= 0.5,
            old.start_in,
            new.start_in,
            old.mass_in,
            new.mass_in,
            old.assessed,
            new.assessed,
            loads.last().map_or("?", |l| l.as_str()),
        );
        answers.push([old, new]);
    }
    let n = answers.len();
    for (way, name) in ["recompute", "reuse"].iter().enumerate() {
        let wall: Vec<f64> = answers.iter().map(|a| a[way].wall_s).collect();
        let cpu: Vec<f64> = answers.iter().map(|a| a[way].cpu_s).collect();
        let max = |v: &[f64]| v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let min = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
        let assessed: usize = answers.iter().map(|a| a[way].assessed).sum();
        println!(
            "{name}: {n} cases, wall median {:.2} s ({:.2}–{:.2} s, total {:.0} s, {} over 30 s), CPU median {:.2} s \
             (max {:.2} s, total {:.0} s); true pair first {}, two judged {}, releases assessed {assessed}: start in \
             90 % interval {}, mass {}",
            median(&wall),
            min(&wall),
            max(&wall),
            wall.iter().sum::<f64>(),
            wall.iter().filter(|w| **w > 30.0).count(),
            median(&cpu),
            max(&cpu),
            cpu.iter().sum::<f64>(),
            answers.iter().filter(|a| a[way].pair_first).count(),
            answers.iter().filter(|a| a[way].p_two >= 0.5).count(),
            answers.iter().map(|a| a[way].start_in).sum::<usize>(),
            answers.iter().map(|a| a[way].mass_in).sum::<usize>(),
        );
    }
    let reused: usize = answers.iter().map(|a| a[1].reused).sum();
    let quadratures: usize = answers.iter().map(|a| a[1].quadratures).sum();
    let dp = answers
        .iter()
        .flat_map(|a| a[0].pairs.iter().zip(&a[1].pairs).map(|(x, y)| (x.1 - y.1).abs()))
        .fold(0.0, f64::max);
    let dp_two = answers
        .iter()
        .map(|a| (a[0].p_two - a[1].p_two).abs())
        .fold(0.0, f64::max);
    println!(
        "answers: pairs listed the same and in the same order in {} of {n} cases, intervals equal in {}, max |Δp| of a \
         pair {dp:.2e}, max |Δp(two)| {dp_two:.2e}; quadratures given the other release reused {reused} of \
         {quadratures}; load (1 min) {}",
        answers
            .iter()
            .filter(
                |a| a[0].pairs.len() == a[1].pairs.len() && a[0].pairs.iter().zip(&a[1].pairs).all(|(x, y)| x.0 == y.0)
            )
            .count(),
        answers.iter().filter(|a| same_intervals(&a[0], &a[1])).count(),
        loads.join(" "),
    );
}

/// Whether the pairs listed have the same start intervals and mass intervals within 1e-9
/// (rounding: the shortcut adds a constant where the reference sums it in).
fn same_intervals(old: &Answer, new: &Answer) -> bool {
    old.intervals.len() == new.intervals.len()
        && old
            .intervals
            .iter()
            .zip(&new.intervals)
            .all(|(a, b)| a.0 == b.0 && a.1.iter().zip(&b.1).all(|(x, y)| (x / y - 1.0).abs() < 1e-9))
}
