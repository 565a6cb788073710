//! Response runs on the built-in two-incident exercise: determinism, invariants over a
//! seeded sweep (the failing seed is printed), the plan's contents, and what pooling the
//! teams gains.

use std::collections::BTreeMap;
use std::sync::Arc;
use tripoint_sim::plan::Role;
use tripoint_sim::response::dispatch::PolicyKind;
use tripoint_sim::response::{self, RunConfig, RunOutcome};
use tripoint_sim::scenario::Scenario;
use tripoint_sim::time::SimDuration;

fn two_incidents() -> Arc<Scenario> {
    Arc::new(Scenario::builtin_named("two-incidents.toml").expect("built in"))
}

fn run(scenario: &Arc<Scenario>, policy: PolicyKind, seed: u64, hours: i64) -> RunOutcome {
    let config = RunConfig {
        policy,
        seed,
        hours: SimDuration::from_hours(hours),
        journal: true,
        plan_edits: Vec::new(),
    };
    response::run(scenario.clone(), &config).unwrap_or_else(|e| panic!("seed {seed}: {e}"))
}

#[test]
fn the_same_seed_gives_the_same_journal_and_another_seed_does_not() {
    let scenario = two_incidents();
    let a = run(&scenario, PolicyKind::Unified, 7, 12);
    let b = run(&scenario, PolicyKind::Unified, 7, 12);
    let c = run(&scenario, PolicyKind::Unified, 8, 12);
    assert!(a.journal.len() > 500);
    assert_eq!(a.journal, b.journal);
    assert_ne!(a.journal, c.journal, "drive times are drawn from the seeded generator");
}

/// Checks the journal of a run: every team alternates arriving and sampling at the same
/// task, samples come at or after arrival, results at or after their samples.
fn check_invariants(journal: &[String]) -> Result<(), String> {
    let mut holding: BTreeMap<u64, (u64, i64)> = BTreeMap::new();
    let mut results_due: BTreeMap<u64, i64> = BTreeMap::new();
    let mut n_samples = 0;
    for line in journal {
        let v: serde_json::Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
        let t = v["t_s"].as_i64().ok_or("t_s")?;
        match v["kind"].as_str().ok_or("kind")? {
            "team_arrives" => {
                let e = &v["event"]["team_arrives"];
                let (team, task) = (e["team"].as_u64().ok_or("team")?, e["task"].as_u64().ok_or("task")?);
                if let Some((held, _)) = holding.insert(team, (task, t)) {
                    return Err(format!(
                        "team {team} arrives for task {task} while holding task {held} at t={t}"
                    ));
                }
            }
            "sample_taken" => {
                let e = &v["event"]["sample_taken"];
                let (team, task) = (e["team"].as_u64().ok_or("team")?, e["task"].as_u64().ok_or("task")?);
                match holding.remove(&team) {
                    Some((held, arrived)) if held == task && arrived <= t => {}
                    other => return Err(format!("team {team} samples task {task} at t={t} but held {other:?}")),
                }
                let sample = v["note"]["sample"].as_u64().ok_or("note.sample")?;
                let result_s = v["note"]["result_s"].as_i64().ok_or("note.result_s")?;
                if result_s < t {
                    return Err(format!(
                        "sample {sample}: result at {result_s} before the sample at {t}"
                    ));
                }
                results_due.insert(sample, result_s);
                n_samples += 1;
            }
            "result_ready" => {
                let sample = v["event"]["result_ready"]["sample"].as_u64().ok_or("sample")?;
                match results_due.remove(&sample) {
                    Some(due) if due == t => {}
                    other => return Err(format!("result of sample {sample} at t={t}, expected {other:?}")),
                }
                // A field result may send its split to a laboratory: that result comes later.
                if let Some(confirmation) = v["note"]["confirmation"].as_u64() {
                    let result_s = v["note"]["confirmation_result_s"]
                        .as_i64()
                        .ok_or("confirmation_result_s")?;
                    if result_s < t {
                        return Err(format!(
                            "confirmation {confirmation} at {result_s} before its field result at {t}"
                        ));
                    }
                    results_due.insert(confirmation, result_s);
                }
            }
            _ => {}
        }
    }
    if n_samples == 0 {
        return Err("no sample was taken".into());
    }
    Ok(())
}

#[test]
fn invariants_hold_over_a_seeded_sweep() {
    let scenario = two_incidents();
    for seed in 0..200 {
        // Even seeds county, odd seeds unified: both policies over a hundred seeds each.
        let policy = if seed % 2 == 0 {
            PolicyKind::County
        } else {
            PolicyKind::Unified
        };
        let outcome = run(&scenario, policy, seed, 6);
        if let Err(problem) = check_invariants(&outcome.journal) {
            panic!("seed {seed}, policy {policy:?}: {problem}");
        }
    }
}

#[test]
fn each_plan_names_control_site_borders_and_intakes_with_owners_and_frequencies() {
    let scenario = two_incidents();
    let outcome = run(&scenario, PolicyKind::Unified, 0, 24);
    let plan = outcome.plans[0].as_ref().expect("the antimony incident has a plan");
    let roles = |role: Role| {
        plan.points
            .iter()
            .filter(|p| p.role == role)
            .map(|p| p.id.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(roles(Role::UpstreamControl).len(), 1);
    assert_eq!(roles(Role::ReleaseSite).len(), 1);
    assert_eq!(roles(Role::Downstream).len(), 3, "1, 5 and 10 km below the release");
    for border in ["border_taozhuang", "border_jinze"] {
        assert!(
            roles(Role::BorderSection).contains(&border),
            "{border} missing: {:?}",
            roles(Role::BorderSection)
        );
    }
    for intake in ["changbaidang_intake", "jinze_intake"] {
        assert!(roles(Role::Intake).contains(&intake), "{intake} missing");
    }
    for point in &plan.points {
        assert!(point.team.is_some(), "{} has no team", point.id);
        assert!(
            !point.schedule.is_empty() && point.schedule.windows(2).all(|w| w[0] < w[1]),
            "{}",
            point.id
        );
        assert!(point.dense_interval < point.sparse_interval);
    }
    // Dense while the plume passes the intake, sparse before: the gaps shrink there.
    let jinze = plan.points.iter().find(|p| p.id == "jinze_intake").unwrap();
    let gaps: Vec<i64> = jinze.schedule.windows(2).map(|w| (w[1] - w[0]).seconds()).collect();
    assert!(gaps.contains(&3600) && gaps.contains(&(4 * 3600)), "{gaps:?}");
    let markdown = plan.to_markdown(&scenario);
    for id in [
        "border_taozhuang",
        "jinze_intake",
        "wujiang_antimony-control",
        "wujiang_antimony-site",
    ] {
        assert!(markdown.contains(id), "{id} not in the printed plan");
    }
}

/// The exercise with the city centres foreign to every county (no `backs`).
fn without_backing() -> Arc<Scenario> {
    let mut scenario = (*two_incidents()).clone();
    for j in &mut scenario.jurisdictions {
        j.backs.clear();
    }
    Arc::new(scenario)
}

#[test]
fn with_the_city_centres_foreign_pooling_serves_more_of_the_plan_than_county_by_county() {
    let scenario = without_backing();
    for seed in 0..3 {
        let county = run(&scenario, PolicyKind::County, seed, 48).report;
        let unified = run(&scenario, PolicyKind::Unified, seed, 48).report;
        assert!(
            unified.tasks_missed * 3 < county.tasks_missed * 2,
            "seed {seed}: missed {} vs {}",
            unified.tasks_missed,
            county.tasks_missed
        );
        assert!(unified.samples_taken > county.samples_taken, "seed {seed}");
        assert!(
            unified.tasks_late < county.tasks_late,
            "seed {seed}: late {} vs {}",
            unified.tasks_late,
            county.tasks_late
        );
        assert!(unified.intakes_warned >= county.intakes_warned, "seed {seed}");
        // The pooled teams confirm the antimony plume on its way to Jinze hours sooner.
        let margin = |r: &tripoint_sim::response::report::RunReport| {
            r.incidents[0]
                .intakes
                .iter()
                .find(|w| w.intake == "jinze_intake")
                .and_then(|w| w.margin_s)
                .unwrap()
        };
        assert!(
            margin(&unified) > margin(&county) + 3600,
            "seed {seed}: {} vs {}",
            margin(&unified),
            margin(&county)
        );
        assert!(
            unified.border_sections_covered >= county.border_sections_covered,
            "seed {seed}"
        );
        // The city centres' teams stand idle county by county and work when pooled.
        let city_samples = |r: &tripoint_sim::response::report::RunReport| -> u32 {
            r.teams
                .iter()
                .filter(|t| ["suzhou", "jiaxing", "shanghai_city"].contains(&t.jurisdiction.as_str()))
                .map(|t| t.samples)
                .sum()
        };
        assert!(city_samples(&unified) > 5 * city_samples(&county).max(1), "seed {seed}");
    }
}

#[test]
fn with_the_city_centres_backing_their_districts_pooling_serves_more_and_the_plume_ranking_costs_coverage() {
    // docs/response.md: pooling alone (county → pooled_due) takes more samples and misses
    // fewer tasks, at the price of more late ones; the plume ranking on top (unified)
    // serves fewer tasks than pooled_due but is late less often than county dispatch.
    let scenario = two_incidents();
    for seed in 0..3 {
        let county = run(&scenario, PolicyKind::County, seed, 48).report;
        let pooled = run(&scenario, PolicyKind::PooledDue, seed, 48).report;
        let unified = run(&scenario, PolicyKind::Unified, seed, 48).report;
        assert!(pooled.samples_taken > county.samples_taken, "seed {seed}");
        assert!(pooled.tasks_missed < county.tasks_missed, "seed {seed}");
        assert!(
            unified.tasks_missed > pooled.tasks_missed,
            "seed {seed}: unified missed {}, pooled_due {}",
            unified.tasks_missed,
            pooled.tasks_missed
        );
        assert!(unified.tasks_late < county.tasks_late, "seed {seed}");
    }
}

#[test]
fn a_plan_can_be_edited_and_every_edit_raises_its_revision() {
    let scenario = two_incidents();
    let outcome = run(&scenario, PolicyKind::Unified, 0, 24);
    let mut plan = outcome.plans[0].clone().expect("a plan");
    let lead = scenario.operations.lead_time;
    let first = plan.revision;
    let n = plan.points.len();
    assert!(plan.remove_point("lili_section"));
    assert!(!plan.remove_point("no_such_point"));
    assert_eq!((plan.points.len(), plan.revision), (n - 1, first + 1));
    let jinze = plan.points.iter().find(|p| p.id == "jinze_intake").unwrap().clone();
    let from = jinze.schedule[3];
    assert!(plan.set_interval("jinze_intake", SimDuration::from_minutes(30), from, lead));
    let edited = plan.points.iter().find(|p| p.id == "jinze_intake").unwrap();
    assert_eq!(
        edited.schedule[..3],
        jinze.schedule[..3],
        "due times before the edit stay"
    );
    assert!(
        edited.schedule.len() > jinze.schedule.len(),
        "denser sampling adds due times"
    );
    assert_eq!(plan.revision, first + 2);
    let mut extra = jinze.clone();
    extra.id = "jinze_intake_bis".to_string();
    plan.add_point(extra, lead);
    assert_eq!((plan.points.len(), plan.revision), (n, first + 3));
    let json = serde_json::to_string(&plan).unwrap();
    assert!(json.contains("jinze_intake_bis") && json.contains(&format!("\"revision\":{}", first + 3)));
}

#[test]
fn results_revise_an_under_reported_mass_towards_the_truth() {
    let scenario = two_incidents();
    let outcome = run(&scenario, PolicyKind::Unified, 0, 24);
    for (incident, report) in scenario.incidents.iter().zip(&outcome.report.incidents) {
        assert!(
            incident.reported_mass_kg < incident.mass_kg,
            "the exercise under-reports {}",
            incident.id
        );
        assert!(report.plan_revision >= 2, "{}: never revised", incident.id);
        let estimate = report.estimated_mass_kg.unwrap();
        assert!(
            (estimate / incident.mass_kg - 1.0).abs() < 0.1,
            "{}: {estimate} kg vs {} kg",
            incident.id,
            incident.mass_kg
        );
    }
    assert!(outcome.journal.iter().any(|l| l.contains("\"revised_by_ratio\"")));
}

#[test]
fn a_short_run_still_plans_for_every_intake_the_plume_will_reach() {
    // The antimony plume reaches the Jinze intake about 14 h after the release: a 12-hour
    // run must still have the intake in its plan (HJ 589: every intake in the affected
    // reach), because the plan's forecast goes on until the plume has passed.
    let scenario = two_incidents();
    let outcome = run(&scenario, PolicyKind::Unified, 0, 12);
    let antimony = outcome.plans[0].as_ref().expect("the antimony plan");
    let jinze = antimony
        .points
        .iter()
        .find(|p| p.id == "jinze_intake")
        .expect("the Jinze intake in a 12-hour run's plan");
    assert_eq!(jinze.role, Role::Intake);
    let arrival = jinze.forecast_arrival.expect("the plume reaches the intake");
    assert!(
        arrival.seconds() > outcome.report.end_s,
        "arrives after the run: {arrival:?}"
    );
}

#[test]
fn a_mobile_laboratory_analyses_on_board_with_what_it_carries() {
    use tripoint_sim::equipment::{Catalogue, Method};
    let scenario = two_incidents();
    let catalogue = Catalogue::builtin();
    let mut on_board = 0;
    for seed in 0..3 {
        let outcome = run(&scenario, PolicyKind::Unified, seed, 48);
        for line in &outcome.journal {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let note = &v["note"];
            let (Some(team_id), Some(method)) = (note["team"].as_str(), note["method"].as_str()) else {
                continue;
            };
            let team = scenario.teams.iter().find(|t| t.id == team_id).unwrap();
            if !catalogue.vehicle(&team.vehicle).unwrap().laboratory {
                continue;
            }
            let instrument = catalogue.instrument(method).expect("a catalogue method");
            if instrument.method == Method::Laboratory && team.instruments.iter().any(|i| i == method) {
                // On board: the result comes after the instrument's run, no courier.
                let taken_s = v["t_s"].as_i64().unwrap();
                let result_s = note["result_s"].as_i64().unwrap();
                assert_eq!(
                    result_s - taken_s,
                    (instrument.analysis_min * 60.0).round() as i64,
                    "{line}"
                );
                on_board += 1;
            } else if instrument.method == Method::Laboratory {
                // Sent to a fixed laboratory: only when it carries nothing for the pollutant.
                let item = &instrument.parameters;
                let carries = team
                    .instruments
                    .iter()
                    .filter_map(|i| catalogue.instrument(i))
                    .any(|i| i.method == Method::Laboratory && item.iter().any(|p| i.measures(p)));
                assert!(
                    !carries,
                    "{team_id} sent away a sample it could analyse on board: {line}"
                );
            }
        }
    }
    assert!(on_board > 10, "only {on_board} samples analysed on board");
}

#[test]
fn a_drone_never_samples_beyond_its_range_from_the_bank() {
    use tripoint_sim::equipment::Catalogue;
    // Give the Jinze intake a road node 10 km and more away: the drone (3 km from where it
    // is launched) cannot take it, while other teams still drive there.
    let mut scenario = (*two_incidents()).clone();
    let jinze = scenario.point_idx("jinze_intake").unwrap();
    let [lon, lat] = [scenario.points[jinze].lon, scenario.points[jinze].lat];
    let far = (0..scenario.road_nodes.len())
        .max_by(|&a, &b| {
            let d = |n: usize| (scenario.road_nodes[n].lon - lon).hypot(scenario.road_nodes[n].lat - lat);
            d(a).total_cmp(&d(b))
        })
        .unwrap();
    scenario.points[jinze].road_node = Some(far);
    let scenario = Arc::new(scenario);
    let range_km = Catalogue::builtin().vehicle("drone").unwrap().range_km.unwrap();
    assert!(range_km < 10.0);
    let mut team_of = BTreeMap::new();
    let mut drone_points = Vec::new();
    let mut sampled_jinze = 0;
    for seed in 0..2 {
        let outcome = run(&scenario, PolicyKind::Unified, seed, 48);
        team_of.clear();
        for line in &outcome.journal {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let note = &v["note"];
            if let (Some(sample), Some(team)) = (note["sample"].as_u64(), note["team"].as_str()) {
                team_of.insert(sample, team.to_string());
            }
            // A laboratory confirmation belongs to the team that took the field sample.
            if let (Some(confirmation), Some(field)) = (note["confirmation"].as_u64(), note["confirms"].as_u64()) {
                let team = team_of[&field].clone();
                team_of.insert(confirmation, team);
            }
            if let (Some(sample), Some(point)) = (note["sample"].as_u64(), note["point"].as_str()) {
                let team = &team_of[&sample];
                if point == "jinze_intake" {
                    sampled_jinze += 1;
                }
                if team == "shanghai_drone" {
                    drone_points.push(point.to_string());
                }
            }
        }
    }
    assert!(!drone_points.is_empty(), "the drone worked elsewhere");
    assert!(sampled_jinze > 0, "other teams reached the intake");
    assert!(
        !drone_points.iter().any(|p| p == "jinze_intake"),
        "the drone sampled beyond its range"
    );
}

#[test]
fn the_response_level_rises_when_the_plan_forecasts_an_intake_over_its_limit() {
    // Both incidents of the exercise are declared at level IV (the county's); both plans
    // forecast the Changbaidang intake over its limit, which is level II.
    let scenario = two_incidents();
    let outcome = run(&scenario, PolicyKind::Unified, 0, 24);
    for report in &outcome.report.incidents {
        assert_eq!(report.declared_level, "IV");
        assert_eq!(report.level, "II", "{}", report.id);
        let first = &report.level_changes[0];
        assert_eq!(
            Some(first.at_s),
            report.plan_s,
            "{}: raised when the plan came",
            report.id
        );
        assert!(first.reason.contains("intake"), "{}", first.reason);
    }
    let raised = outcome
        .journal
        .iter()
        .filter(|l| l.contains("\"level\":\"II\"") && l.contains("\"from_level\":\"IV\""))
        .count();
    assert_eq!(raised, 2);
}

#[test]
fn a_conclusive_result_over_the_limit_raises_the_level_the_first_forecast_did_not() {
    // The antimony incident reported at a hundredth of its mass: the first plan forecasts
    // nothing over a limit, so it stays at IV; the results tell otherwise.
    let mut scenario = (*two_incidents()).clone();
    scenario.incidents.truncate(1);
    scenario.incidents[0].reported_mass_kg = scenario.incidents[0].mass_kg / 100.0;
    let scenario = Arc::new(scenario);
    let outcome = run(&scenario, PolicyKind::Unified, 0, 48);
    let report = &outcome.report.incidents[0];
    assert_eq!(report.level, "II");
    let first = &report.level_changes[0];
    assert!(
        first.at_s > report.plan_s.unwrap(),
        "the first plan raised it: {}",
        first.reason
    );
    // Raised by a result itself, or by the plan that result revised.
    assert!(
        first.reason.starts_with("a result") || !first.reason.starts_with("plan revision 1 "),
        "{}",
        first.reason
    );
}

#[test]
fn every_station_reading_is_kept_and_the_alarms_are_those_over_the_limit() {
    let scenario = two_incidents();
    let outcome = run(&scenario, PolicyKind::Unified, 3, 48);
    let record = &outcome.record;
    assert!(!record.alarms.is_empty(), "a station alarm discovers an incident");
    assert!(
        record.readings.len() > 3 * record.alarms.len(),
        "{}",
        record.readings.len()
    );
    // The alarms are exactly the readings over the point's limit, in the same order.
    let over: Vec<(usize, i64, usize, f64)> = record
        .readings
        .iter()
        .filter(|r| r.alarm)
        .map(|r| (r.point, r.at.seconds(), r.pollutant, r.mg_l))
        .collect();
    let alarms: Vec<(usize, i64, usize, f64)> = record
        .alarms
        .iter()
        .map(|&(p, at, pollutant, mg_l)| (p, at.seconds(), pollutant, mg_l))
        .collect();
    assert_eq!(over, alarms);
    let mut last_at: BTreeMap<(usize, usize), i64> = BTreeMap::new();
    for r in &record.readings {
        let point = &scenario.points[r.point];
        let station = point.station.as_ref().expect("a reading is a station's");
        assert!(station.parameters.contains(&r.pollutant), "{} measures it", point.id);
        let limit = scenario.limit_mg_l(r.pollutant, point.target_class);
        assert_eq!(
            r.alarm,
            r.mg_l > limit,
            "{} at {}: {} against {limit}",
            point.id,
            r.at,
            r.mg_l
        );
        assert!(r.mg_l >= 0.0 && r.mg_l.is_finite());
        // One reading per pollutant per cycle: the normal cycle, or the emergency one.
        if let Some(before) = last_at.insert((r.point, r.pollutant), r.at.seconds()) {
            let step = r.at.seconds() - before;
            assert!(
                step == station.cycle.0 || step == station.emergency_cycle.0,
                "{}: {step} s between readings",
                point.id
            );
        } else {
            assert_eq!(r.at.seconds(), 0, "{}: the first reading at the start", point.id);
        }
    }
    // Something was read where the plume passed: a reading over zero that raised no alarm.
    assert!(record.readings.iter().any(|r| r.mg_l > 0.0 && !r.alarm));
}
