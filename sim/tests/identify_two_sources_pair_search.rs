//! The pair search of two simultaneous releases (`--sources 2`) finds a true pair neither
//! of whose places explains the results well on its own.
//!
//! Case 1 000 041 of the two-release validation series (docs/validation.md, "Two
//! simultaneous releases"; `identify::cases::draw_two`): both true sources ranked below
//! the five best single places, and their plumes read together at a shared result. The
//! first search weighed only pairs with a member among those five, so the true pair was
//! never weighed and a wrong pair came first. The second pass (`identify::two`) pairs the
//! best partners found given each first place's release with the whole inventory.

use tripoint_sim::identify;
use tripoint_sim::identify::cases::{self, CaseSettings};
use tripoint_sim::scenario::Scenario;

/// The case of the series whose true pair the first search lost.
const CASE_SEED: u64 = 1_000_041;

#[test]
fn a_true_pair_of_places_weak_alone_is_weighed_and_ranks_first() {
    let scenario = Scenario::builtin();
    let settings = CaseSettings::for_scenario(&scenario);
    let case = cases::draw_two(&scenario, &settings, CASE_SEED)
        .expect("the case is drawn")
        .expect("the case is detected");
    let ids: Vec<&str> = case
        .truths
        .iter()
        .map(|t| scenario.risk_sources[t.source].id.as_str())
        .collect();
    // As the series weighs its cases.
    let request = cases::two_release_request(&scenario, &settings, case.observations.clone(), CASE_SEED);
    let id = identify::identify(&scenario, &request).expect("the case is identified");
    let two = id.two.as_ref().expect("--sources 2 answers about two releases");
    let single_rank = |label: &str| id.candidates.iter().position(|c| c.place.label == label);
    eprintln!(
        "truth {} (single rank {:?}) + {} (single rank {:?}); {} pairs weighed of {}; top {} + {} p={:.3}; p(two) {:.3}",
        ids[0],
        single_rank(ids[0]),
        ids[1],
        single_rank(ids[1]),
        two.n_pairs_weighed,
        two.n_pairs,
        two.pairs[0].releases[0].place.label,
        two.pairs[0].releases[1].place.label,
        two.pairs[0].probability,
        two.p_two,
    );
    // What makes the case hard for the first search: neither true place is among the five
    // best single places.
    for label in &ids {
        assert!(
            single_rank(label).is_none_or(|r| r >= identify::FIRST_PLACES),
            "{label} ranks among the first {} single places: the case no longer tests the second pass",
            identify::FIRST_PLACES
        );
    }
    let is_truth = |pair: &identify::PairCandidate| {
        let labels = [
            pair.releases[0].place.label.as_str(),
            pair.releases[1].place.label.as_str(),
        ];
        labels.contains(&ids[0]) && labels.contains(&ids[1])
    };
    assert!(
        two.weighed
            .iter()
            .any(|w| w.places.iter().any(|p| p == ids[0]) && w.places.iter().any(|p| p == ids[1])),
        "the true pair was not weighed ({} pairs weighed)",
        two.n_pairs_weighed
    );
    assert!(
        is_truth(&two.pairs[0]),
        "the true pair {} + {} does not rank first: {} + {} does",
        ids[0],
        ids[1],
        two.pairs[0].releases[0].place.label,
        two.pairs[0].releases[1].place.label,
    );
    assert!(
        two.p_two > 0.5,
        "one release judged more probable: p(two) {:.3}",
        two.p_two
    );
}
