//! Two simultaneous releases (`--sources 2`): synthetic cases of two risk sources in
//! different jurisdictions, carried together by the transport and sampled after the alarm
//! with 10 % noise (`identify::cases::draw_two`), are identified as two releases at the
//! true pair of places; cases of one release are identified as one. The 100-case series
//! is in docs/validation.md ("Two simultaneous releases"); this test runs the first cases
//! of the same series.

use tripoint_sim::identify::cases;
use tripoint_sim::scenario::Scenario;

const TWO_CASES: usize = 5;
const ONE_CASES: usize = 4;

#[test]
fn two_releases_are_found_as_the_true_pair_and_one_release_as_one() {
    let scenario = Scenario::builtin();
    let began = std::time::Instant::now();
    let clock = || began.elapsed().as_secs_f64();
    let two = cases::series_two(&scenario, TWO_CASES, 2, &clock, &mut |line| eprintln!("{line}"));
    eprintln!(
        "two releases: pair first {}/{TWO_CASES}, two picked {}/{TWO_CASES}, start in 90 % {}/{}, mass in 90 % {}/{}",
        two.pair_first, two.model_right, two.start_in, two.releases_assessed, two.mass_in, two.releases_assessed
    );
    let one = cases::series_two(&scenario, ONE_CASES, 1, &clock, &mut |line| eprintln!("{line}"));
    eprintln!("one release: one picked {}/{ONE_CASES}", one.model_right);
    // Bounds that catch a broken inversion, not a small miscalibration: the series in
    // docs/validation.md measures the rates (the first of these cases include two where
    // the second release shows at few results and one release is judged enough).
    assert!(
        two.pair_first * 5 >= TWO_CASES * 2,
        "the true pair ranked first in {} of {TWO_CASES} cases",
        two.pair_first
    );
    assert!(
        two.model_right * 5 >= TWO_CASES * 2,
        "two releases were more probable than one in {} of {TWO_CASES} cases",
        two.model_right
    );
    assert!(
        two.start_in * 2 >= two.releases_assessed && two.mass_in * 2 >= two.releases_assessed,
        "start intervals held {} and mass intervals {} of {} releases",
        two.start_in,
        two.mass_in,
        two.releases_assessed
    );
    assert!(
        one.model_right * 4 >= ONE_CASES * 3,
        "one release was more probable than two in {} of {ONE_CASES} cases",
        one.model_right
    );
}
