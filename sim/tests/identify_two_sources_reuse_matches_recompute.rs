//! The two-release search's shortcut (`identify::PairQuadratures::Reuse`: a quadrature
//! given the other release taken from the place's own where no result is reached by both)
//! gives the answer of the reference that makes every quadrature anew
//! (`PairQuadratures::Recompute`): the same pairs weighed with the same evidence, the same
//! pairs listed in the same order with the same probabilities and intervals, the same
//! probability of two releases. A shortcut taken where the two releases share a result
//! would move that pair's evidence and fail here.

use tripoint_sim::identify::cases::{self, CaseSettings};
use tripoint_sim::identify::{self, Identification, IdentifyRequest, PairQuadratures};
use tripoint_sim::scenario::Scenario;

/// Cases of the two-release validation series (docs/validation.md) that identify in a few
/// seconds; in 1 000 127 and 1 000 129 the shortcut serves most pairs, in 1 000 130 the
/// two releases share results.
const SEEDS: [u64; 3] = [1_000_127, 1_000_129, 1_000_130];

/// Agreement asked of the two ways: they differ by rounding only (the shortcut adds one
/// constant to every node's log-likelihood where the reference sums it into each). On the
/// series' first 34 cases the largest differences were 1.4e-9 in a pair's probability and
/// one interval end moved by rounding (docs/validation.md); a shortcut taken at a shared
/// result moved a pair's ln evidence by 3e-4 in the one case tried, and can move it far more.
const LN_EVIDENCE_TOLERANCE: f64 = 1e-6;
const PROBABILITY_TOLERANCE: f64 = 1e-8;
/// A start interval's ends are whole seconds, rounded: one may round the other way.
const START_TOLERANCE_S: i64 = 1;
const MASS_RELATIVE_TOLERANCE: f64 = 1e-6;

#[test]
fn reusing_a_places_own_quadrature_gives_the_pairs_the_reference_gives() {
    let scenario = Scenario::builtin();
    let settings = CaseSettings::for_scenario(&scenario);
    let responses = cases::two_release_responses(&scenario, &settings).expect("the unit responses are built");
    // Without a timing error, and with one, under which a fixed release's slope counts too.
    for timing_s in [0.0, 600.0] {
        same_with_and_without_the_shortcut(&scenario, &settings, &responses, timing_s);
    }
}

fn same_with_and_without_the_shortcut(
    scenario: &Scenario,
    settings: &CaseSettings,
    responses: &identify::Responses,
    timing_s: f64,
) {
    let (mut reused, mut made) = (0, 0);
    for seed in SEEDS {
        let case = cases::draw_two(scenario, settings, seed)
            .expect("the case is drawn")
            .expect("the case is detected");
        let request = IdentifyRequest {
            error: identify::ErrorModel {
                timing_s,
                ..identify::ErrorModel::default()
            },
            ..cases::two_release_request(scenario, settings, case.observations.clone(), seed)
        };
        let run = |quadratures| {
            identify::identify_with_quadratures(scenario, responses, &request, quadratures)
                .expect("the case is identified")
        };
        let reference = run(PairQuadratures::Recompute);
        let fast = run(PairQuadratures::Reuse);
        let two = fast.two.as_ref().expect("two releases weighed");
        eprintln!(
            "case {seed}, timing error {timing_s} s: {} of {} quadratures reused, {} pairs weighed",
            two.n_quadratures_reused, two.n_quadratures, two.n_pairs_weighed
        );
        reused += two.n_quadratures_reused;
        made += two.n_quadratures - two.n_quadratures_reused;
        assert_same(seed, &reference, &fast);
    }
    // Both ways of the shortcut are exercised: taken, and refused where results are shared.
    assert!(
        reused > 0,
        "timing error {timing_s} s: no quadrature was reused: the test checks nothing of the shortcut"
    );
    assert!(
        made > 0,
        "timing error {timing_s} s: every quadrature was reused: none of the cases has shared results"
    );
}

fn assert_same(seed: u64, reference: &Identification, fast: &Identification) {
    let (r, f) = (reference.two.as_ref().unwrap(), fast.two.as_ref().unwrap());
    assert_eq!(r.n_pairs_weighed, f.n_pairs_weighed, "case {seed}: pairs weighed");
    assert_eq!(
        r.n_quadratures_reused, 0,
        "case {seed}: the reference reused a quadrature"
    );
    for (x, y) in r.weighed.iter().zip(&f.weighed) {
        assert_eq!(x.places, y.places, "case {seed}: pairs weighed in another order");
        let same = x.ln_evidence == y.ln_evidence || (x.ln_evidence - y.ln_evidence).abs() < LN_EVIDENCE_TOLERANCE;
        assert!(
            same,
            "case {seed}: {:?}: ln evidence {} by the reference, {} with the shortcut",
            x.places, x.ln_evidence, y.ln_evidence
        );
    }
    assert!(
        (r.p_two - f.p_two).abs() < PROBABILITY_TOLERANCE,
        "case {seed}: p(two) {} against {}",
        r.p_two,
        f.p_two
    );
    assert_eq!(r.pairs.len(), f.pairs.len(), "case {seed}: pairs listed");
    for (x, y) in r.pairs.iter().zip(&f.pairs) {
        let labels = |p: &identify::PairCandidate| p.releases.each_ref().map(|c| c.place.label.clone());
        assert_eq!(labels(x), labels(y), "case {seed}: pairs listed in another order");
        assert!(
            (x.probability - y.probability).abs() < PROBABILITY_TOLERANCE,
            "case {seed}: {:?} p = {} against {}",
            labels(x),
            x.probability,
            y.probability
        );
        for (a, b) in x.releases.iter().zip(&y.releases) {
            for (s, t) in a.start_s.iter().zip(&b.start_s) {
                assert!(
                    (s - t).abs() <= START_TOLERANCE_S,
                    "case {seed}: {} start interval {:?} against {:?}",
                    a.place.label,
                    a.start_s,
                    b.start_s
                );
            }
            for (m, n) in a.mass_kg.iter().zip(&b.mass_kg) {
                assert!(
                    (m / n - 1.0).abs() < MASS_RELATIVE_TOLERANCE,
                    "case {seed}: {} mass {m} against {n}",
                    a.place.label
                );
            }
        }
    }
    assert_eq!(
        reference.best.place, fast.best.place,
        "case {seed}: most probable single release"
    );
}
