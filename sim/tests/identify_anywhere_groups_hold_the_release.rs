//! With the prior anywhere the weighed places are grouped into stretches of a reach
//! (`identify::Group`): a release between two candidate places lies in the most probable
//! group, and with the refinement that group's intervals — of the mixture of its places'
//! posteriors — hold its start and mass; with the inventory there are no groups.

use tripoint_sim::identify::published::PublishedSetup;
use tripoint_sim::identify::{self, IdentifyRequest, Prior};
use tripoint_sim::scenario::{Location, Scenario};

/// The Fen River setup with the model's own noise-free results, its true source halfway
/// between two candidate places (500 m apart), identified with `refine_places_max` and the
/// scenario and the truth's place.
fn fen_river_halfway(refine_places_max: usize) -> (PublishedSetup, Scenario, Location, identify::Identification) {
    let base = PublishedSetup::fen_river_2017();
    let setup = PublishedSetup {
        truth_off_grid_m: base.spacing_m / 2.0,
        ..base.models_own_results()
    };
    let scenario = setup.scenario().unwrap();
    let observations = setup.observations(&scenario).unwrap();
    let request = IdentifyRequest {
        refine_places_max,
        ..setup.request(&scenario, observations)
    };
    assert!(matches!(request.prior, Prior::Anywhere { .. }));
    let identification = identify::identify(&scenario, &request).unwrap();
    let truth = Location::Reach {
        reach: 0,
        chainage_m: setup.site_chainage_m() - setup.distance_m,
    };
    (setup, scenario, truth, identification)
}

#[test]
fn a_release_between_candidate_places_lies_in_the_most_probable_group() {
    for refine_places_max in [0, identify::REFINE_PLACES_MAX] {
        let (setup, scenario, truth, id) = fen_river_halfway(refine_places_max);
        let group = id.groups.first().expect("groups with the prior anywhere");
        eprintln!(
            "refine {refine_places_max}: {:#?}",
            &id.groups[..id.groups.len().min(3)]
        );
        // The truth lies inside the group's stretch, not only within a spacing of it.
        assert!(
            group.holds(&scenario, truth, 0.0),
            "truth at {truth:?}, group {group:?}"
        );
        assert!(group.probability > 0.5, "{}", group.probability);
        // The group holds at least what its most probable place does, and is listed first.
        assert!(group.probability >= group.top_place_probability - 1e-12);
        assert!(id.groups.windows(2).all(|w| w[0].probability >= w[1].probability));
        // The groups hold no more than the whole posterior.
        let total: f64 = id.groups.iter().map(|g| g.probability).sum();
        assert!(total <= 1.0 + 1e-9, "{total}");
        // The coarse places alone explain the results with one place half a spacing off,
        // its start and mass shifted to make up (docs/identify.md, "Refinement"): only the
        // refined posterior's intervals are held to the truth.
        if refine_places_max == 0 {
            continue;
        }
        assert!(group.n_places > 1, "{group:?}");
        let t = setup.start.seconds();
        assert!(
            group.start_s[0] <= t && t <= group.start_s[2],
            "start {t} s, {:?}",
            group.start_s
        );
        assert!(
            group.mass_kg[0] <= setup.mass_kg && setup.mass_kg <= group.mass_kg[2],
            "mass {} kg, {:?}",
            setup.mass_kg,
            group.mass_kg
        );
    }
}
