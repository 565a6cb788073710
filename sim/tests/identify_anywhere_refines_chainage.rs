//! With the prior anywhere the candidate places are a spacing apart; the stretches of the
//! most probable places and the stretches next to them are weighed again every spacing / 8
//! or every transport cell, whichever is longer (`IdentifyRequest::refine_places_max`,
//! `identify::refined_part_m`). A release between two candidate places is then placed
//! within half a part, and a release just below a junction, above the
//! section that raised the alarm, is put above that section with its mass, where the
//! nearest coarse place (below the section) explains the section's readings by the
//! plume's dispersion upstream and needs several times the mass.

use tripoint_sim::identify::cases::{self, CaseSettings};
use tripoint_sim::identify::published::PublishedSetup;
use tripoint_sim::identify::{self, Candidate, IdentifyRequest, Prior, Responses};
use tripoint_sim::scenario::{Location, Scenario};
use tripoint_sim::time::{SimDuration, SimTime};

/// The Fen River setup with the model's own noise-free results, its true source halfway
/// between two candidate places 500 m apart, identified with `refine_places_max`.
fn fen_river_halfway(refine_places_max: usize) -> (PublishedSetup, identify::Identification) {
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
    let identification = identify::identify(&scenario, &request).unwrap();
    (setup, identification)
}

#[test]
fn a_release_between_candidate_places_is_placed_within_half_a_refined_part() {
    let base = PublishedSetup::fen_river_2017();
    // 500 m stretches in 100 m cells: five parts of 100 m.
    let part_m = identify::refined_part_m(base.spacing_m, base.cell_length_m);
    let (setup, coarse) = fen_river_halfway(0);
    let coarse = setup.recovery(&coarse);
    eprintln!("coarse: {coarse:#?}");
    // Without the refinement the nearest candidates are half a spacing away.
    assert!(
        (coarse.top_place_distance_m - setup.distance_m).abs() >= 2.0 * part_m,
        "{coarse:?}"
    );
    let (setup, refined) = fen_river_halfway(identify::REFINE_PLACES_MAX);
    assert!(refined.n_refined_stretches >= 2, "{}", refined.n_refined_stretches);
    let top = &refined.candidates[0];
    let r = setup.recovery(&refined);
    eprintln!(
        "refined: {r:#?}\ntop {} start {:?} mass {:?}",
        top.place.label, top.start_s, top.mass_kg
    );
    assert!(
        (r.top_place_distance_m - setup.distance_m).abs() <= part_m / 2.0 + 1.0,
        "{} m above the site, the truth {} m",
        r.top_place_distance_m,
        setup.distance_m
    );
    // The most probable place's own intervals hold the true start and mass.
    let t = setup.start.seconds();
    assert!(
        top.start_s[0] <= t && t <= top.start_s[2],
        "start {t} s, {:?}",
        top.start_s
    );
    assert!(
        top.mass_kg[0] <= setup.mass_kg && setup.mass_kg <= top.mass_kg[2],
        "mass {} kg, {:?}",
        setup.mass_kg,
        top.mass_kg
    );
}

/// The chainage of a place on `reach`, `None` elsewhere.
fn chainage_on(c: &Candidate, reach: usize) -> Option<f64> {
    match c.place.location {
        Location::Reach { reach: r, chainage_m } if r == reach => Some(chainage_m),
        _ => None,
    }
}

#[test]
fn a_release_just_below_a_junction_is_put_above_the_section_with_its_mass() {
    let scenario = Scenario::builtin();
    let spacing_m = 2000.0;
    let settings = CaseSettings {
        prior: Prior::Anywhere { spacing_m },
        ..CaseSettings::for_scenario(&scenario)
    };
    // Case 2 of the validation series: aniline released at once at `wj_pingwang_bridge`,
    // 400 m below the Pingwang junction and 100 m above the Pingwang Bridge section.
    let case = cases::draw(&scenario, &settings, 2).unwrap().unwrap();
    let source = &scenario.risk_sources[case.truth.source];
    assert_eq!(source.id, "wj_pingwang_bridge");
    let Location::Reach {
        reach,
        chainage_m: truth_m,
    } = source.location
    else {
        panic!("the source is on a reach");
    };
    let section = scenario.points.iter().find(|p| p.id == "pingwang_bridge").unwrap();
    let Location::Reach {
        chainage_m: section_m, ..
    } = section.location
    else {
        panic!("the section is on a reach");
    };
    let locations: Vec<Location> = scenario.points.iter().map(|p| p.location).collect();
    let outlook = SimDuration::from_hours(12);
    let horizon = (settings.last_result_by() + outlook) - SimTime::ZERO;
    let responses = Responses::build(
        &scenario,
        settings.prior,
        &[case.truth.pollutant],
        &locations,
        settings.regime,
        horizon,
    )
    .unwrap();
    let identify = |refine_places_max: usize| {
        let request = IdentifyRequest {
            durations: settings.durations.clone(),
            outlook,
            draws: 100,
            prior: settings.prior,
            refine_places_max,
            ..IdentifyRequest::new(&scenario, case.observations.clone())
        };
        identify::identify_with(&scenario, &responses, &request).unwrap()
    };
    let truth_kg = case.truth.mass_kg;

    // The coarse places: the one of the source's stretch is at its middle, below the
    // section, and reads the section's peak only from the plume's upstream tail.
    let coarse = identify(0);
    let top = &coarse.candidates[0];
    eprintln!(
        "coarse top {} mass {:?}, truth {truth_kg} kg",
        top.place.label, top.mass_kg
    );
    assert!(
        chainage_on(top, reach).is_some_and(|m| m > section_m),
        "{}",
        top.place.label
    );
    assert!(
        top.mass_kg[0] > 2.0 * truth_kg,
        "{:?} against {truth_kg} kg",
        top.mass_kg
    );

    let refined = identify(identify::REFINE_PLACES_MAX);
    let top = &refined.candidates[0];
    eprintln!(
        "refined top {} p={:.3} start {:?} mass {:?}; truth start {} s, {truth_kg} kg; {} stretches, {} runs",
        top.place.label,
        top.probability,
        top.start_s,
        top.mass_kg,
        case.truth.start.seconds(),
        refined.n_refined_stretches,
        refined.n_transport_runs
    );
    let at = chainage_on(top, reach).expect("the top place on the source's reach");
    assert!(at < section_m, "{} is below the section", top.place.label);
    let part_m = identify::refined_part_m(spacing_m, scenario.settings.cell_length_m);
    assert!(
        (at - truth_m).abs() <= part_m / 2.0 + 1.0,
        "{at} m, the truth at {truth_m} m"
    );
    assert!(
        top.mass_kg[0] <= truth_kg && truth_kg <= top.mass_kg[2],
        "{:?}",
        top.mass_kg
    );
    let t = case.truth.start.seconds();
    assert!(top.start_s[0] <= t && t <= top.start_s[2], "{t} s, {:?}", top.start_s);
}
