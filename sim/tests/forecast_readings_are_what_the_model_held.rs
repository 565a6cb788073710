//! The readings a commander takes off a forecast: a peak the model never held, a release
//! placed away from its typed chainage, a point at the release node, a lake point reading
//! the outlet, the horizon reported as a peak, a step that cannot finish, a tail of
//! subnormal numbers. One test per reading that was once wrong.

use tripoint_sim::forecast::{self, Forecast, ForecastRequest, PointForecast};
use tripoint_sim::scenario::{Location, NodeKind, Release, Scenario, SourceText};
use tripoint_sim::time::{SimDuration, SimTime};
use tripoint_sim::transport::{Network, NetworkError};

fn release(scenario: &Scenario, place: &str, mass_kg: f64, duration_min: i64) -> Release {
    Release {
        pollutant: scenario.pollutant_idx("antimony").unwrap(),
        mass_kg,
        location: scenario.parse_location(place).unwrap(),
        start: SimTime::ZERO,
        duration: SimDuration(duration_min * 60),
        note: String::new(),
    }
}

fn forecast_of(scenario: &Scenario, releases: Vec<Release>, hours: i64, until_passed: bool) -> Forecast {
    let mut request = ForecastRequest::from_scenario(scenario);
    request.releases = releases;
    request.horizon = SimDuration::from_hours(hours);
    request.journal = false;
    request.until_passed = until_passed.then(|| request.horizon + forecast::SETTLE_EXTRA_MAX);
    forecast::run(scenario, &request).unwrap()
}

fn at<'a>(f: &'a Forecast, point: &str) -> &'a PointForecast {
    f.points
        .iter()
        .find(|p| p.point == point)
        .unwrap_or_else(|| panic!("{point} not forecast"))
}

fn lake_volume_m3(scenario: &Scenario, node: &str) -> f64 {
    match scenario.nodes[scenario.node_idx(node).unwrap()].kind {
        NodeKind::Lake { volume_m3, .. } => volume_m3,
        _ => panic!("{node} is not a lake"),
    }
}

#[test]
fn the_peak_after_a_release_into_a_lake_is_at_most_mass_over_volume() {
    let s = Scenario::builtin();
    let f = forecast_of(&s, vec![release(&s, "fenhu", 300.0, 0)], 24, false);
    let bound = 300_000.0 / lake_volume_m3(&s, "fenhu");
    let peak = at(&f, "fenhu_lake_section").peak_mg_l;
    // The old parabola reported 0.0227 against M/V = 0.0202.
    assert!(peak <= bound * (1.0 + 1e-12), "peak {peak} above M/V {bound}");
    assert!(peak > 0.999 * bound, "peak {peak} far below M/V {bound}");
}

#[test]
fn the_peak_does_not_depend_on_how_often_the_points_are_sampled() {
    // The peak is the largest value the transport held in any substep, so a coarse
    // output step neither misses it nor invents one.
    let fine = Scenario::builtin();
    let mut coarse = fine.clone();
    coarse.settings.output_step = SimDuration(1800);
    let releases = |s: &Scenario| vec![release(s, "taipu_wujiang_2@8000", 300.0, 0)];
    let (f_fine, f_coarse) = (
        forecast_of(&fine, releases(&fine), 72, false),
        forecast_of(&coarse, releases(&coarse), 72, false),
    );
    for point in ["border_taozhuang", "jinze_intake"] {
        let (a, b) = (at(&f_fine, point).peak_mg_l, at(&f_coarse, point).peak_mg_l);
        assert!((a - b).abs() < 0.005 * a, "{point}: {a} every minute, {b} every 30 min");
    }
}

#[test]
fn a_timed_release_at_a_node_never_reads_above_its_fully_mixed_plateau() {
    // A parabola gave 0.302 at Taozhuang for 300 kg over 120 min, above W/Q.
    let s = Scenario::builtin();
    let node = s.node_idx("border_wujiang_jiashan").unwrap();
    let regime = s.settings.default_regime;
    let q_out: f64 = s
        .reaches
        .iter()
        .filter(|r| r.from == node)
        .map(|r| r.discharge_m3_s[regime])
        .sum();
    let plateau = 300_000.0 / (120.0 * 60.0) / q_out;
    let f = forecast_of(&s, vec![release(&s, "border_wujiang_jiashan", 300.0, 120)], 24, false);
    for p in f.points.iter() {
        assert!(
            p.peak_mg_l <= plateau * (1.0 + 1e-9),
            "{}: {} above W/Q = {plateau}",
            p.point,
            p.peak_mg_l
        );
    }
}

#[test]
fn a_point_at_the_release_node_is_reached_at_once() {
    let s = Scenario::builtin();
    let f = forecast_of(&s, vec![release(&s, "border_wujiang_jiashan", 300.0, 0)], 24, false);
    let p = at(&f, "border_taozhuang");
    assert!(p.reached, "the section at the release node was never reached");
    assert_eq!(p.leading_edge_s, Some(0));
    assert!(
        p.peak_mg_l > p.limit_mg_l,
        "300 kg at the section itself: {}",
        p.peak_mg_l
    );
}

#[test]
fn a_lake_point_reads_the_cell_it_stands_in() {
    let s = Scenario::builtin();
    let buoy = &s.points[s.point_idx("dianshan_buoy").unwrap()];
    let dianshan = s.node_idx("dianshan").unwrap();
    assert_eq!(
        buoy.location,
        Location::LakeCell {
            node: dianshan,
            cell: 1
        }
    );
    // Released into the lake's inflow cell: the middle cell, where the buoy is, peaks
    // above the outlet cell, which the buoy read before.
    let f = forecast_of(&s, vec![release(&s, "dianshan#1", 300.0, 0)], 240, false);
    let buoy_peak = at(&f, "dianshan_buoy").peak_mg_l;
    let outlet_peak = at(&f, "lanlu_gang_section").peak_mg_l;
    assert!(buoy_peak > 1.2 * outlet_peak, "buoy {buoy_peak}, outlet {outlet_peak}");
    let cell_volume_m3 = lake_volume_m3(&s, "dianshan") / 3.0;
    assert!(buoy_peak < 300_000.0 / cell_volume_m3);
}

#[test]
fn a_point_in_a_lake_of_several_cells_must_say_which() {
    let text = tripoint_sim::scenario::builtin_text("demo-zone.toml")
        .unwrap()
        .replace("lake_cell = 2\n", "");
    let err = Scenario::parse(&SourceText::new("zone.toml", text))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("point `dianshan_buoy`: lake `dianshan` has 3 cells"),
        "{err}"
    );
    let text = tripoint_sim::scenario::builtin_text("demo-zone.toml")
        .unwrap()
        .replace("lake_cell = 2\n", "lake_cell = 4\n");
    let err = Scenario::parse(&SourceText::new("zone.toml", text))
        .unwrap_err()
        .to_string();
    assert!(err.contains("lake_cell must be from 1 to 3, got 4"), "{err}");
}

#[test]
fn a_curve_still_rising_at_the_horizon_says_so_and_a_run_until_passed_finds_the_crest() {
    let mut s = Scenario::builtin();
    let drought = s.regime_idx("drought").unwrap();
    s.settings.default_regime = drought;
    let releases = s.releases.clone();
    let first = releases[0].start;
    let short = forecast_of(&s, releases.clone(), 72, false);
    let jinze = at(&short, "jinze_intake");
    assert!(jinze.rising_at_end, "still rising at +72 h in drought: {jinze:?}");
    assert!(!short.passed);
    let long = forecast_of(&s, releases, 72, true);
    let jinze = at(&long, "jinze_intake");
    assert!(long.passed, "the plume passes within the extra time");
    assert!(!jinze.rising_at_end);
    let peak_h = (jinze.peak_s.unwrap() - first.seconds()) as f64 / 3600.0;
    assert!(peak_h > 72.0, "the crest comes after the horizon, at {peak_h:.1} h");
    assert!(jinze.peak_mg_l > at(&short, "jinze_intake").peak_mg_l);
    // Liantang goes over its limit after the horizon: a run until passed must say so.
    assert!(at(&long, "liantang_section").over_limit_duration_s > 0);
    assert_eq!(long.horizon_end_s, first.seconds() + 72 * 3600);
    assert!(long.end_s > long.horizon_end_s);
}

#[test]
fn a_step_that_cannot_finish_is_refused_with_the_reach_that_sets_it() {
    // A dispersion coefficient typed in the wrong unit, on metre-long cells.
    let mut s = Scenario::builtin();
    s.settings.cell_length_m = 1.0;
    s.reaches[0].dispersion_m2_s = Some(180_000.0);
    let network = Network::build(&s).unwrap();
    let err = network
        .check_work(&[s.settings.default_regime], SimDuration::from_hours(72))
        .unwrap_err();
    assert!(matches!(err, NetworkError::TooMuchWork { .. }));
    let message = err.to_string();
    assert!(message.contains(&format!("reach `{}`", s.reaches[0].id)), "{message}");
    let mut request = ForecastRequest::from_scenario(&s);
    request.journal = false;
    assert!(forecast::run(&s, &request).is_err());
}

#[test]
fn a_vanishing_release_ends_below_the_floor_and_the_books_still_balance() {
    let s = Scenario::builtin();
    let f = forecast_of(&s, vec![release(&s, "taipu_wujiang_2@8000", 1e-290, 0)], 48, false);
    let balance = &f.mass_balance[0];
    assert!(balance.relative_imbalance.abs() < 1e-9, "{balance:?}");
    assert!(balance.below_floor_kg > 0.99 * balance.released_kg, "{balance:?}");
    assert!(f.points.iter().all(|p| !p.reached));
}

#[test]
fn a_jurisdiction_backs_only_known_others() {
    let base = tripoint_sim::scenario::builtin_text("demo-zone.toml").unwrap();
    let text = base.replacen("backs = [\"wujiang\"]", "backs = [\"suzhou\", \"atlantis\"]", 1);
    let err = Scenario::parse(&SourceText::new("zone.toml", text))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("jurisdiction `suzhou`: a jurisdiction cannot back itself"),
        "{err}"
    );
    assert!(err.contains("atlantis"), "{err}");
}
