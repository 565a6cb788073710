//! The plume at a moment (`forecast::profiles_at`): the mass in the reaches' cells is the
//! mass released, less what decayed, while the plume is still in one reach; and it sits
//! downstream of the release, nowhere upstream.

use tripoint_sim::forecast::{self, ForecastRequest};
use tripoint_sim::scenario::{Location, Scenario};
use tripoint_sim::time::{SimDuration, SimTime};

#[test]
fn two_hours_after_the_release_the_reach_holds_the_mass() {
    let scenario = Scenario::builtin();
    let request = ForecastRequest::from_scenario(&scenario);
    let release = &request.releases[0];
    let Location::Reach { reach, chainage_m } = release.location else {
        panic!("the built-in release is on a reach");
    };
    let at = release.start + SimDuration::from_minutes(120);
    let profiles = forecast::profiles_at(&scenario, &request, at).expect("the plume at two hours");
    assert_eq!(
        profiles.len(),
        scenario.reaches.len(),
        "one profile per reach for one pollutant"
    );
    let mass_g = |r: usize| {
        let profile = &profiles[r];
        let dx_m = scenario.reaches[r].length_m / profile.cells_mg_l.len() as f64;
        profile.cells_mg_l.iter().sum::<f64>() * dx_m * scenario.reaches[r].area_m2()
    };
    let total_g: f64 = (0..scenario.reaches.len()).map(mass_g).sum();
    let decay_per_s = scenario.pollutants[release.pollutant].decay_per_s;
    let expected_g = release.mass_kg * 1000.0 * (-decay_per_s * 7200.0).exp();
    assert!(
        (total_g - expected_g).abs() < 1e-6 * expected_g,
        "mass in the cells {total_g} g, expected {expected_g} g"
    );
    assert!(
        (mass_g(reach) - total_g).abs() < 1e-6 * total_g,
        "all of it in the release's reach"
    );
    let cells = &profiles[reach].cells_mg_l;
    let dx_m = scenario.reaches[reach].length_m / cells.len() as f64;
    let centre_m: f64 = cells
        .iter()
        .enumerate()
        .map(|(i, c)| c * (i as f64 + 0.5) * dx_m)
        .sum::<f64>()
        / cells.iter().sum::<f64>();
    assert!(
        centre_m > chainage_m,
        "the plume's centre {centre_m} m lies below the release at {chainage_m} m"
    );
}

#[test]
fn before_the_release_the_water_is_clean() {
    let scenario = Scenario::builtin();
    let request = ForecastRequest::from_scenario(&scenario);
    let profiles = forecast::profiles_at(&scenario, &request, SimTime::ZERO).expect("the plume at the start");
    assert!(profiles.iter().all(|p| p.cells_mg_l.iter().all(|&c| c == 0.0)));
}

/// Positions only place the drawing and the GIS layers: moving every node, drawing vertex
/// and point leaves the forecast as it was, to the bit.
#[test]
fn moving_every_position_changes_no_forecast() {
    let scenario = Scenario::builtin();
    let mut moved = scenario.clone();
    let shift = |xy: &mut [f64; 2]| {
        xy[0] += 0.013;
        xy[1] -= 0.007;
    };
    for node in &mut moved.nodes {
        node.lon += 0.013;
        node.lat -= 0.007;
    }
    for reach in &mut moved.reaches {
        reach.path.iter_mut().for_each(shift);
    }
    for point in &mut moved.points {
        point.lon += 0.013;
        point.lat -= 0.007;
    }
    let request = ForecastRequest::from_scenario(&scenario);
    let before = forecast::run(&scenario, &request).expect("forecast");
    let after = forecast::run(&moved, &request).expect("forecast of the moved zone");
    assert_eq!(
        serde_json::to_string(&before).unwrap(),
        serde_json::to_string(&after).unwrap()
    );
}
