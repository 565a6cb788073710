//! The plans the response generates pass the HJ 589-2021 checklist (control, site,
//! downstream sections, every intake and border section the plume reaches, verticals on
//! wide rivers, layers, lake layout, flow, sediment, method, confirmation, QA/QC, owners,
//! express reports), for river and lake releases; and the checklist fails plans that miss
//! any of them.

use std::sync::Arc;
use tripoint_sim::plan::checklist::{self, Check};
use tripoint_sim::plan::layout::Vertical;
use tripoint_sim::plan::{MonitoringPlan, Role};
use tripoint_sim::response::dispatch::PolicyKind;
use tripoint_sim::response::{self, RunConfig};
use tripoint_sim::scenario::{Location, Scenario};
use tripoint_sim::time::SimDuration;

fn two_incidents() -> Scenario {
    Scenario::builtin_named("two-incidents.toml").expect("built in")
}

fn plans(scenario: Scenario, hours: i64) -> (Arc<Scenario>, Vec<MonitoringPlan>) {
    let scenario = Arc::new(scenario);
    let config = RunConfig {
        policy: PolicyKind::Unified,
        seed: 0,
        hours: SimDuration::from_hours(hours),
        journal: false,
        plan_edits: Vec::new(),
    };
    let outcome = response::run(scenario.clone(), &config).expect("runs");
    assert!(!outcome.plan_history.is_empty());
    (scenario, outcome.plan_history)
}

fn failing(checks: &[Check]) -> Vec<String> {
    checks
        .iter()
        .filter(|c| !c.met)
        .map(|c| format!("{}: {}", c.item, c.detail))
        .collect()
}

fn check(scenario: &Scenario, plan: &MonitoringPlan, item: &str) -> Check {
    checklist::check(scenario, plan)
        .into_iter()
        .find(|c| c.item == item)
        .expect("every item is listed")
}

/// A Dianshan Lake fuel spill: the exercise's first incident moved into the lake.
fn lake_spill() -> Scenario {
    let mut scenario = two_incidents();
    let lake = scenario.nodes.iter().position(|n| n.id == "dianshan").unwrap();
    let petroleum = scenario.pollutants.iter().position(|p| p.id == "petroleum").unwrap();
    scenario.incidents.truncate(1);
    let incident = &mut scenario.incidents[0];
    incident.id = "dianshan_spill".into();
    incident.source = None;
    incident.location = Location::LakeCell { node: lake, cell: 1 };
    incident.jurisdiction = scenario.nodes[lake].jurisdiction;
    incident.pollutant = petroleum;
    incident.mass_kg = 40_000.0;
    incident.reported_mass_kg = 20_000.0;
    scenario
}

#[test]
fn every_revision_of_the_exercise_plans_passes_the_checklist() {
    for hours in [12, 48] {
        let (scenario, history) = plans(two_incidents(), hours);
        for plan in &history {
            let failures = failing(&checklist::check(&scenario, plan));
            assert!(
                failures.is_empty(),
                "{} r{} ({hours} h): {failures:?}",
                plan.incident_id,
                plan.revision
            );
        }
        // The antimony plan: the Taipu is 160 m wide (three verticals) and 5 m deep
        // (surface only); the intakes are sampled at their mouths; flow at the border
        // sections; antimony binds to sediment.
        let antimony = history.iter().find(|p| p.incident == 0).unwrap();
        let taozhuang = antimony.points.iter().find(|p| p.id == "border_taozhuang").unwrap();
        assert_eq!(taozhuang.verticals, [Vertical::Left, Vertical::Centre, Vertical::Right]);
        assert!(taozhuang.measure_flow);
        let jinze = antimony.points.iter().find(|p| p.id == "jinze_intake").unwrap();
        assert_eq!(jinze.verticals, [Vertical::Centre]);
        let site = antimony.points.iter().find(|p| p.role == Role::ReleaseSite).unwrap();
        assert!(!site.sediment.is_empty(), "sediment at the site");
        assert!(!site.duplicates.is_empty());
        assert_eq!(antimony.qa.confirmation_method.as_deref(), Some("afs"));
    }
}

#[test]
fn a_lake_spill_is_sampled_around_the_release_and_at_every_outlet() {
    let (scenario, history) = plans(lake_spill(), 48);
    let plan = &history[0];
    let failures = failing(&checklist::check(&scenario, plan));
    assert!(failures.is_empty(), "{failures:?}");
    let lake = scenario.nodes.iter().position(|n| n.id == "dianshan").unwrap();
    // The spill is in cell 2: cells 1 and 3 are fanned around it.
    // The buoy, in the release's own cell, is one of the points around the release.
    let buoy = plan.points.iter().find(|p| p.id == "dianshan_buoy").unwrap();
    assert_eq!(buoy.role, Role::LakeFan);
    let mut fan: Vec<usize> = plan
        .points
        .iter()
        .filter(|p| p.role == Role::LakeFan && p.point.is_none())
        .filter_map(|p| match p.location {
            Location::LakeCell { node, cell } if node == lake => Some(cell),
            _ => None,
        })
        .collect();
    fan.sort_unstable();
    assert_eq!(fan, [0, 2]);
    // Both outlets, the Lanlu Gang and the Dianpu River, have their named sections.
    let outlets: Vec<&str> = plan
        .points
        .iter()
        .filter(|p| p.role == Role::Outlet)
        .map(|p| p.id.as_str())
        .collect();
    assert!(outlets.contains(&"lanlu_gang_section"), "{outlets:?}");
    assert!(outlets.contains(&"dianpu_section"), "{outlets:?}");
    // Oil settles: sediment samples in the lake.
    assert!(
        plan.points
            .iter()
            .filter(|p| p.role == Role::LakeFan)
            .all(|p| !p.sediment.is_empty())
    );
}

#[test]
fn the_checklist_fails_a_plan_that_misses_what_hj_589_asks() {
    let (scenario, history) = plans(two_incidents(), 48);
    let good = history.iter().find(|p| p.incident == 0).unwrap();

    // An intake the plume reaches, taken out of the plan.
    let mut plan = good.clone();
    assert!(plan.remove_point("jinze_intake"));
    let c = check(&scenario, &plan, "intakes");
    assert!(!c.met && c.detail.contains("jinze_intake"), "{c:?}");

    // One vertical across the 160 m Taipu.
    let mut plan = good.clone();
    let point = plan.points.iter_mut().find(|p| p.id == "border_taozhuang").unwrap();
    point.verticals = vec![Vertical::Centre];
    assert!(!check(&scenario, &plan, "verticals").met);

    // No flow measured at a border section.
    let mut plan = good.clone();
    plan.points
        .iter_mut()
        .find(|p| p.id == "border_jinze")
        .unwrap()
        .measure_flow = false;
    assert!(!check(&scenario, &plan, "flow").met);

    // A field method nobody confirms.
    let mut plan = good.clone();
    plan.qa.confirmation_method = None;
    assert!(!check(&scenario, &plan, "confirmation").met);

    // A method that cannot see the limit (the field oil meter on antimony's limit).
    let mut plan = good.clone();
    plan.method = "oil_in_water_meter".into();
    assert!(!check(&scenario, &plan, "method").met);

    // No sediment at the site for a pollutant that binds to it.
    let mut plan = good.clone();
    for p in &mut plan.points {
        p.sediment.clear();
    }
    assert!(!check(&scenario, &plan, "sediment").met);

    // A point without a team.
    let mut plan = good.clone();
    plan.points[0].team = None;
    assert!(!check(&scenario, &plan, "owners").met);

    // No duplicates.
    let mut plan = good.clone();
    plan.points[0].duplicates.clear();
    assert!(!check(&scenario, &plan, "qa_qc").met);
}

#[test]
fn a_control_point_in_a_jurisdiction_without_teams_gets_a_team() {
    // Take Wujiang's teams away: its points are still owned, by the nearest team that can
    // drive there.
    let mut scenario = two_incidents();
    let wujiang = scenario.jurisdictions.iter().position(|j| j.id == "wujiang").unwrap();
    let kept: Vec<_> = scenario
        .teams
        .iter()
        .filter(|t| t.jurisdiction != wujiang)
        .cloned()
        .collect();
    scenario.teams = kept;
    let (scenario, history) = plans(scenario, 24);
    let antimony = history.iter().find(|p| p.incident == 0).unwrap();
    let control = antimony
        .points
        .iter()
        .find(|p| p.role == Role::UpstreamControl)
        .unwrap();
    assert_eq!(control.jurisdiction, wujiang);
    let team = control.team.expect("owned");
    assert_ne!(scenario.teams[team].jurisdiction, wujiang);
    assert!(check(&scenario, antimony, "owners").met);
}
