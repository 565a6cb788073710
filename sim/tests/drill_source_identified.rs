//! The critical task `source_identified:INCIDENT`: the drill that starts from an alarm
//! with no report is rated on when the true source first ranked first, from the results
//! the command knew then and nothing else; scripts that ask for it wrongly are refused.

use std::rc::Rc;
use std::sync::Arc;
use tripoint_sim::drill::script::{self, ScenarioLoader};
use tripoint_sim::drill::source::{self, Results};
use tripoint_sim::drill::text::Arg;
use tripoint_sim::drill::{self, Drill, DrillConfig, Measure};
use tripoint_sim::identify;
use tripoint_sim::response::dispatch::PolicyKind;
use tripoint_sim::scenario::Scenario;
use tripoint_sim::time::SimTime;

fn loader() -> ScenarioLoader {
    Rc::new(|name: &str| Scenario::builtin_named(name).ok_or_else(|| "not built in".to_string()))
}

fn alarm_drill() -> Arc<Drill> {
    let (file, text) = script::builtin_script("alarm-unknown-source").expect("shipped");
    Arc::new(script::load(file, text, loader()).unwrap_or_else(|e| panic!("{e}")))
}

#[test]
fn the_alarm_drill_is_rated_on_the_moment_the_true_source_first_ranked_first() {
    let drill = alarm_drill();
    let config = DrillConfig {
        policy: PolicyKind::Unified,
        seed: 0,
        journal: false,
        human_seats: Vec::new(),
    };
    let outcome = drill::run(drill.clone(), &config).unwrap();
    let scenario = &drill.scenario;
    let incident = scenario
        .incidents
        .iter()
        .position(|i| i.id == "lili_antimony_alarm")
        .unwrap();
    let truth = &scenario.incidents[incident];
    let source = truth.source.expect("at a risk source");
    assert_eq!(scenario.risk_sources[source].id, "wj_lili_dyeing_2");
    // Nobody reported it: the incident became known by a station's alarm.
    let discovered_by = outcome.record.incidents[incident]
        .discovered_by
        .clone()
        .unwrap_or_default();
    assert!(discovered_by.starts_with("alarm at "), "{discovered_by}");

    let task = outcome
        .report
        .objectives
        .iter()
        .flat_map(|o| &o.targets)
        .find(|t| t.id == "T1.1")
        .map(|t| &t.tasks[0])
        .expect("T1.1");
    let identified_s = task
        .performed_s
        .unwrap_or_else(|| panic!("never identified: {:?}", task.evidence));
    let identified = task.evidence.find("ev-source-identified").expect("identified");
    let rank = identified.find("ev-source-rank").expect("the source's standing");
    assert!(rank.names("wj_lili_dyeing_2"), "{rank:?}");
    assert_eq!(rank.arg("rank"), Some(&Arg::plain("1")), "{rank:?}");

    // The observations are the command's results: each sample's reported value (a
    // non-detect below its method's limit), known from its result time.
    let results = Results::from(&outcome.record);
    let known = source::known_observations(scenario, results, Some(incident), truth.pollutant);
    let known_samples: Vec<_> = outcome
        .record
        .samples
        .iter()
        .filter(|s| s.result_known && s.incident == incident)
        .collect();
    assert!(known.len() >= known_samples.len());
    for sample in &known_samples {
        let reported = (sample.reported_mg_l > 0.0).then_some(sample.reported_mg_l);
        assert!(
            known.iter().any(|k| k.known_at == sample.result_at
                && k.observation.taken_at == sample.taken_at
                && k.observation.value_mg_l == reported),
            "sample at {} {} missing or not as reported",
            sample.point_id,
            sample.taken_at.clock_label()
        );
    }
    assert!(
        known.iter().all(|k| k.known_at.seconds() <= outcome.report.end_s),
        "a result known after the end"
    );

    // Checked afresh with `identify`: at the moment rated, the true source ranks first at
    // p ≥ 0.8; on the results known just before it, it did not.
    let probability = match drill.targets.iter().find(|t| t.id == "T1.1").unwrap().tasks[0].measure {
        Measure::SourceIdentified { probability, .. } => probability,
        ref other => panic!("{other:?}"),
    };
    assert_eq!(probability, 0.8);
    let at = |moment: SimTime| -> (Option<usize>, f64) {
        let observations: Vec<_> = known
            .iter()
            .filter(|k| k.known_at <= moment)
            .map(|k| k.observation.clone())
            .collect();
        let request = source::request(
            scenario,
            observations,
            20,
            tripoint_sim::time::SimDuration::from_hours(1),
        );
        let id = identify::identify(scenario, &request).expect("identify");
        source::rank_of(&id, source)
    };
    let (rank, p) = at(SimTime(identified_s));
    assert_eq!(rank, Some(1));
    assert!(p >= probability, "p = {p}");
    let before = known
        .iter()
        .map(|k| k.known_at)
        .filter(|t| t.seconds() < identified_s)
        .max();
    if let Some(before) = before
        && known
            .iter()
            .any(|k| k.known_at <= before && k.observation.value_mg_l.is_some())
    {
        let (rank, p) = at(before);
        assert!(
            rank != Some(1) || p < probability,
            "already identified at {}",
            before.clock_label()
        );
    }
}

const HEAD: &str = r#"drill("t");
scenario("demo-zone.toml");
start_at("D1 00:00");
duration_hours(12);
incident(#{ id: "a", name: "A", source: "wj_lili_dyeing_2", pollutant: "antimony", mass_kg: 100.0, at: "1:00", discovery: "station_alarm" });
incident(#{ id: "b", name: "B", location: "taipu_wujiang_2@5000", jurisdiction: "wujiang", pollutant: "antimony", mass_kg: 100.0, at: "1:00" });
objective(#{ id: "O1", title: "o", capability: "c" });
"#;

fn refused(task: &str) -> String {
    let text = format!(
        "{HEAD}target(#{{ id: \"T\", objective: \"O1\", title: \"t\", corrective: \"c\", tasks: [ {task} ] }});\n"
    );
    script::load("t.rhai", &text, loader())
        .map(|_| ())
        .expect_err("refused")
        .to_string()
}

#[test]
fn a_source_identified_task_needs_a_risk_source_and_a_probability_in_range() {
    let message = refused(r#"#{ title: "x", measure: "source_identified:b", after: "release:b", within: 60 }"#);
    assert!(message.contains("not at a risk source"), "{message}");
    let message =
        refused(r#"#{ title: "x", measure: "source_identified:a", probability: 1.5, after: "release:a", within: 60 }"#);
    assert!(message.contains("probability 1.5"), "{message}");
    let message = refused(r#"#{ title: "x", measure: "plan:a", probability: 0.5, after: "release:a", within: 60 }"#);
    assert!(message.contains("source_identified measure only"), "{message}");
    let message = refused(r#"#{ title: "x", measure: "source_identified:zz", after: "release:a", within: 60 }"#);
    assert!(message.contains("no incident \"zz\""), "{message}");
}
