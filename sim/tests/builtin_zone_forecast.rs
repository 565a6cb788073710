//! The built-in demonstration zone: what a commander relies on.

use tripoint_sim::forecast::{self, ForecastRequest};
use tripoint_sim::scenario::{NodeKind, PointKind, Scenario};

fn arrival_at(scenario: &Scenario, regime: &str, point: &str) -> Option<i64> {
    let mut request = ForecastRequest::from_scenario(scenario);
    request.regime = scenario.regime_idx(regime).unwrap();
    request.journal = false;
    let f = forecast::run(scenario, &request).unwrap();
    f.points
        .iter()
        .find(|p| p.point == point)
        .and_then(|p| p.leading_edge_s)
}

#[test]
fn the_zone_has_the_receptors_the_plan_names() {
    let s = Scenario::builtin();
    assert!(s.point_idx("jinze_intake").is_some());
    let borders = s.points.iter().filter(|p| p.kind == PointKind::BorderSection).count();
    assert!(borders >= 3, "only {borders} border sections");
    let lakes = s
        .nodes
        .iter()
        .filter(|n| matches!(n.kind, NodeKind::Lake { .. }))
        .count();
    assert_eq!(lakes, 3, "Fenhu, Yuandang and Dianshan Lake");
    for regime in ["drought", "normal", "flood"] {
        assert!(s.regime_idx(regime).is_some(), "missing regime {regime}");
    }
    let jurisdictions: Vec<&str> = s.jurisdictions.iter().map(|j| j.id.as_str()).collect();
    for id in ["qingpu", "wujiang", "jiashan"] {
        assert!(jurisdictions.contains(&id), "missing {id}");
    }
}

#[test]
fn the_gate_discharges_the_documented_flows() {
    let s = Scenario::builtin();
    let gate = s
        .nodes
        .iter()
        .position(|n| n.kind == NodeKind::Inflow && n.id.contains("gate"))
        .expect("a gate inflow");
    let q = |regime: &str| -> f64 {
        let r = s.regime_idx(regime).unwrap();
        s.reaches
            .iter()
            .filter(|x| x.from == gate)
            .map(|x| x.discharge_m3_s[r])
            .sum()
    };
    assert_eq!(q("drought"), 60.0);
    assert_eq!(q("flood"), 603.0);
}

#[test]
fn the_default_release_reaches_the_jinze_intake_sooner_in_flood_than_in_drought() {
    let s = Scenario::builtin();
    let normal = arrival_at(&s, "normal", "jinze_intake").expect("reaches Jinze within 72 h at normal flow");
    let flood = arrival_at(&s, "flood", "jinze_intake").expect("reaches Jinze in flood");
    assert!(flood < normal, "flood {flood} s, normal {normal} s");
    if let Some(drought) = arrival_at(&s, "drought", "jinze_intake") {
        assert!(drought > normal, "drought {drought} s, normal {normal} s");
    }
}

#[test]
fn the_forecast_lists_the_intake_and_border_sections_with_times() {
    let s = Scenario::builtin();
    let f = forecast::run(&s, &ForecastRequest::from_scenario(&s)).unwrap();
    let jinze = f
        .points
        .iter()
        .find(|p| p.point == "jinze_intake")
        .expect("Jinze is downstream");
    assert!(jinze.reached && jinze.peak_s.unwrap() > jinze.leading_edge_s.unwrap());
    assert!(
        jinze.peak_mg_l > jinze.limit_mg_l,
        "the default release is meant to threaten the intake"
    );
    assert!(jinze.over_limit_from_s.is_some() && jinze.over_limit_duration_s > 0);
    assert!(f.points.iter().any(|p| p.kind == PointKind::BorderSection && p.reached));
    // Downstream points are listed by arrival.
    let edges: Vec<i64> = f.points.iter().filter_map(|p| p.leading_edge_s).collect();
    assert!(edges.windows(2).all(|w| w[0] <= w[1]));
    for m in &f.mass_balance {
        assert!(m.relative_imbalance.abs() < 1e-9);
    }
}

#[test]
fn raising_the_gate_mid_incident_brings_the_plume_sooner() {
    let s = Scenario::builtin();
    let normal = arrival_at(&s, "normal", "jinze_intake").unwrap();
    let flood = arrival_at(&s, "flood", "jinze_intake").unwrap();
    let mut raised = s.clone();
    raised.flow_changes.push(tripoint_sim::scenario::FlowChange {
        at: tripoint_sim::time::SimTime::from_hours(8),
        regime: s.regime_idx("flood").unwrap(),
        note: "Taipu Gate opened for flood release".to_string(),
    });
    let mut request = ForecastRequest::from_scenario(&raised);
    request.journal = true;
    let f = forecast::run(&raised, &request).unwrap();
    let changed = f
        .points
        .iter()
        .find(|p| p.point == "jinze_intake")
        .and_then(|p| p.leading_edge_s)
        .unwrap();
    assert!(
        flood < changed && changed < normal,
        "flood {flood}, changed {changed}, normal {normal}"
    );
    assert!(
        f.journal
            .iter()
            .any(|l| l.contains("\"kind\":\"flow_change\"") && l.contains("\"t_s\":28800"))
    );
    assert!(f.mass_balance.iter().all(|m| m.relative_imbalance.abs() < 1e-9));
}
