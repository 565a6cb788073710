//! `tripoint import geojson`: a small OpenStreetMap-like network (a river in two ways and
//! a creek joining it, an intake and a section) becomes a scenario skeleton that
//! `tripoint check` accepts and `tripoint forecast` runs; bad GeoJSON is refused with the
//! place of the problem and exit 2.

mod support;

use std::path::{Path, PathBuf};
use support::tripoint;
use tripoint_sim::scenario::{Location, NodeKind, PointKind, Scenario, SourceText};

const FIXTURE: &str = "tests/fixtures/gis/small_network.geojson";

fn temp(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tripoint-import-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Great-circle length of a polyline [m], computed here independently of the program.
fn haversine_m(positions: &[[f64; 2]]) -> f64 {
    positions
        .windows(2)
        .map(|w| {
            let (p1, p2) = (w[0][1].to_radians(), w[1][1].to_radians());
            let dl = (w[1][0] - w[0][0]).to_radians();
            let a = ((p2 - p1) / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
            2.0 * 6_371_008.8 * a.sqrt().asin()
        })
        .sum()
}

fn import(dir: &Path, fixture: &str) -> (std::process::Output, PathBuf) {
    let out_file = dir.join("skeleton.toml");
    let out = tripoint(&["import", "geojson", fixture, "--out", out_file.to_str().unwrap()]);
    (out, out_file)
}

#[test]
fn an_osm_like_network_becomes_a_scenario_that_checks_and_forecasts() {
    let dir = temp("ok");
    let (out, skeleton) = import(&dir, FIXTURE);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&skeleton).unwrap();
    assert!(text.contains("FILL IN"), "placeholders are marked");

    let scenario = Scenario::parse(&SourceText::new("skeleton.toml", text)).expect("the skeleton parses");
    assert_eq!(scenario.reaches.len(), 3);
    assert_eq!(
        scenario.nodes.len(),
        4,
        "the creek and both river ways share the junction"
    );
    let kinds: Vec<&NodeKind> = scenario.nodes.iter().map(|n| &n.kind).collect();
    assert_eq!(kinds.iter().filter(|k| matches!(k, NodeKind::Inflow)).count(), 2);
    assert_eq!(kinds.iter().filter(|k| matches!(k, NodeKind::Junction)).count(), 1);
    assert_eq!(kinds.iter().filter(|k| matches!(k, NodeKind::Outlet)).count(), 1);
    let upper = &scenario.reaches[scenario.reach_idx("way_101").expect("ids from the OSM ids")];
    let expected = haversine_m(&[[120.00, 30.50], [120.02, 30.505], [120.04, 30.50]]);
    assert!(
        (upper.length_m - expected).abs() < 0.1,
        "{} vs {expected}",
        upper.length_m
    );
    assert_eq!(upper.name_zh, "干流上段");
    let lower = scenario.reach_idx("way_103").unwrap();
    // The lower river carries both inflows.
    assert_eq!(scenario.reaches[lower].discharge_m3_s[0], 20.0);

    let intake = &scenario.points[scenario.point_idx("intake").unwrap()];
    assert_eq!(intake.kind, PointKind::Intake);
    let Location::Reach { reach, chainage_m } = intake.location else {
        panic!("the intake is on a reach");
    };
    assert_eq!(reach, lower);
    // Snapped where it was given: the interpolated position is within 60 m of it.
    let [lon, lat] = scenario.reaches[reach].lon_lat_at(chainage_m);
    assert!(haversine_m(&[[lon, lat], [120.085, 30.4905]]) < 60.0, "{lon} {lat}");

    let path = skeleton.to_str().unwrap();
    let check = tripoint(&["check", path]);
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    let said = String::from_utf8_lossy(&check.stdout);
    assert!(
        said.contains("ok") && said.contains("FILL IN"),
        "check reports the skeleton: {said}"
    );
    let forecast = tripoint(&["forecast", path, "--hours", "24"]);
    assert!(
        forecast.status.success(),
        "{}",
        String::from_utf8_lossy(&forecast.stderr)
    );
    assert!(String::from_utf8_lossy(&forecast.stdout).contains("intake"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bad_geojson_is_refused_with_its_place() {
    let dir = temp("bad");
    let cases: [(&str, &str); 4] = [
        ("{\"type\": \"FeatureCollection\",\n \"features\": [,]}", ":2:"),
        (
            r#"{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,0]]]}}]}"#,
            "features[0]: a Polygon is not imported",
        ),
        (
            r#"{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": [[120.0, 30.5], [220.0, 30.5]]}}]}"#,
            "features[0] vertex 1",
        ),
        (
            r#"{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": [[120.0, 30.5], [120.1, 30.5]]}}, {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [120.05, 30.6]}}]}"#,
            "features[1]: the point is",
        ),
    ];
    for (i, (text, expected)) in cases.iter().enumerate() {
        let file = dir.join(format!("bad{i}.geojson"));
        std::fs::write(&file, text).unwrap();
        let (out, _) = import(&dir, file.to_str().unwrap());
        assert_eq!(out.status.code(), Some(2), "case {i}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expected), "case {i}: {err}");
        assert!(
            err.contains(&format!("bad{i}.geojson")),
            "case {i} names the file: {err}"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}
