//! `tripoint export geojson`: every file parses as GeoJSON (the `geojson` crate), and its
//! features, geometry types and properties are the scenario's: one LineString per reach
//! with its length and flow, one Point per named point where the scenario puts it, the
//! plume's cells, the arrival at the points downstream, a plan's points and schedule.

mod support;

use geojson::{FeatureCollection, GeoJson, Value as Geometry};
use std::path::Path;
use support::tripoint;
use tripoint_sim::scenario::{NodeKind, Scenario};

fn layer(dir: &Path, name: &str) -> FeatureCollection {
    let text = std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    match text
        .parse::<GeoJson>()
        .unwrap_or_else(|e| panic!("{name} is not GeoJSON: {e}"))
    {
        GeoJson::FeatureCollection(c) => c,
        other => panic!("{name}: a FeatureCollection expected, got {other:?}"),
    }
}

fn text<'a>(f: &'a geojson::Feature, key: &str) -> &'a str {
    f.property(key)
        .and_then(|v| v.as_str())
        .unwrap_or_else(|| panic!("no text {key}"))
}

fn number(f: &geojson::Feature, key: &str) -> f64 {
    f.property(key)
        .and_then(|v| v.as_f64())
        .unwrap_or_else(|| panic!("no number {key}"))
}

#[test]
fn the_built_in_zone_exports_every_layer_as_valid_geojson() {
    let dir = tempfile_dir("export-zone");
    let out = tripoint(&["export", "geojson", "--out", dir.to_str().unwrap(), "--at", "D1 14:00"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let scenario = Scenario::builtin();

    let reaches = layer(&dir, "reaches.geojson");
    assert_eq!(reaches.features.len(), scenario.reaches.len());
    for (f, reach) in reaches.features.iter().zip(&scenario.reaches) {
        let Some(Geometry::LineString(line)) = f.geometry.as_ref().map(|g| &g.value) else {
            panic!("{}: not a LineString", reach.id);
        };
        assert_eq!(line.len(), reach.path.len(), "{}", reach.id);
        assert_eq!(text(f, "id"), reach.id);
        assert_eq!(text(f, "name_zh"), reach.name_zh);
        assert_eq!(number(f, "length_m"), reach.length_m);
        let q = reach.discharge_m3_s[scenario.settings.default_regime];
        assert_eq!(number(f, "discharge_m3_s"), q);
        assert!((number(f, "velocity_m_s") - q / reach.area_m2()).abs() < 1e-12);
        assert_eq!(
            number(f, "discharge_m3_s_flood"),
            reach.discharge_m3_s[scenario.regime_idx("flood").unwrap()]
        );
        assert_eq!(text(f, "jurisdiction"), scenario.jurisdictions[reach.jurisdiction].id);
    }

    let lakes = layer(&dir, "lakes.geojson");
    let n_lakes = scenario
        .nodes
        .iter()
        .filter(|n| matches!(n.kind, NodeKind::Lake { .. }))
        .count();
    assert_eq!(lakes.features.len(), n_lakes);
    for f in &lakes.features {
        let Some(Geometry::Polygon(rings)) = f.geometry.as_ref().map(|g| &g.value) else {
            panic!("a lake is not a Polygon");
        };
        assert_eq!(rings[0].first(), rings[0].last(), "the ring is closed");
    }

    let points = layer(&dir, "points.geojson");
    assert_eq!(points.features.len(), scenario.points.len());
    for (f, p) in points.features.iter().zip(&scenario.points) {
        let Some(Geometry::Point(xy)) = f.geometry.as_ref().map(|g| &g.value) else {
            panic!("{}: not a Point", p.id);
        };
        // To 1e-9° (0.1 mm): a decimal text read back may differ in the last bit.
        assert!((xy[0] - p.lon).abs() < 1e-9 && (xy[1] - p.lat).abs() < 1e-9, "{}", p.id);
        assert_eq!(text(f, "id"), p.id);
    }

    for (name, count) in [
        ("nodes.geojson", scenario.nodes.len()),
        ("risk_sources.geojson", scenario.risk_sources.len()),
        ("depots.geojson", scenario.depots.len()),
        ("teams.geojson", scenario.teams.len()),
        ("road_nodes.geojson", scenario.road_nodes.len()),
        ("roads.geojson", scenario.roads.len()),
    ] {
        assert_eq!(layer(&dir, name).features.len(), count, "{name}");
    }

    // The plume at D1 14:00, twelve hours after the release at 02:00: one feature per cell,
    // the largest concentration below the release on its reach.
    let plume = layer(&dir, "plume.geojson");
    let cells: usize = scenario
        .reaches
        .iter()
        .map(|r| (r.length_m / scenario.settings.cell_length_m).round().max(1.0) as usize)
        .sum();
    assert!(
        plume.features.len().abs_diff(cells) <= scenario.reaches.len(),
        "{} vs {cells}",
        plume.features.len()
    );
    let highest = plume
        .features
        .iter()
        .max_by(|a, b| number(a, "concentration_mg_l").total_cmp(&number(b, "concentration_mg_l")))
        .unwrap();
    assert_eq!(text(highest, "reach"), "taipu_wujiang_2");
    assert!(
        number(highest, "from_m") > 8000.0,
        "the peak has moved below the release"
    );
    assert_eq!(text(highest, "at"), "D1 14:00");

    // Arrival: the Jinze intake is reached, after the release.
    let arrival = layer(&dir, "arrival.geojson");
    let jinze = arrival
        .features
        .iter()
        .find(|f| text(f, "point") == "jinze_intake")
        .expect("the intake is downstream");
    assert!(number(jinze, "arrival_h_after_release") > 0.0);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_plan_document_becomes_points_with_their_schedule() {
    let dir = tempfile_dir("export-plan");
    let plans = dir.join("plans");
    let out = tripoint(&["run", "--hours", "24", "--plans", plans.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let plan_file = std::fs::read_dir(&plans)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            name.starts_with("plan-") && name.ends_with(".json") && !name.contains("-r")
        })
        .expect("a plan document");
    let document: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&plan_file).unwrap()).unwrap();
    let geo = dir.join("geo");
    let out = tripoint(&[
        "export",
        "geojson",
        "--out",
        geo.to_str().unwrap(),
        "--plan",
        plan_file.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let plan = layer(&geo, "plan.geojson");
    let points = document["points"].as_array().unwrap();
    assert_eq!(plan.features.len(), points.len());
    for (f, p) in plan.features.iter().zip(points) {
        assert_eq!(text(f, "id"), p["id"].as_str().unwrap());
        let Some(Geometry::Point(xy)) = f.geometry.as_ref().map(|g| &g.value) else {
            panic!("not a Point");
        };
        assert!((xy[0] - p["lon"].as_f64().unwrap()).abs() < 1e-9);
        assert!((xy[1] - p["lat"].as_f64().unwrap()).abs() < 1e-9);
        let schedule = p["schedule"].as_array().unwrap();
        assert_eq!(number(f, "samples") as usize, schedule.len());
        if let Some(first) = schedule.first() {
            assert_eq!(text(f, "first_sample"), first["at"].as_str().unwrap());
        }
    }

    // Not a plan document: exit 2, the field named.
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"{"format": "tripoint-plan/1", "points": [{"lon": "east"}]}"#).unwrap();
    let out = tripoint(&[
        "export",
        "geojson",
        "--out",
        geo.to_str().unwrap(),
        "--plan",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("points[0].lon"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_moment_before_the_release_is_refused() {
    let dir = tempfile_dir("export-early");
    let out = tripoint(&["export", "geojson", "--out", dir.to_str().unwrap(), "--at", "01:00"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("before the first release"));
    std::fs::remove_dir_all(&dir).ok();
}

fn tempfile_dir(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("tripoint-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
