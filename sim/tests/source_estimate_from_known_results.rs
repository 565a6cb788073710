//! The source panel's estimate (`drill::source::estimate`) from the results command
//! knows: a release at the Fenyu Taipu bridge seen by one round of results at the named
//! points ranks that source first with the true start and mass inside its 90 % intervals,
//! carries the identification's own numbers, reuses its transport runs when a result at
//! a named point comes in, and says "no results" and "all clean" when there is nothing
//! to trace back.

use tripoint_sim::drill::source::{self, EstimateCache, EstimateInput, EstimateOutcome};
use tripoint_sim::forecast::{self, Forecast, ForecastRequest};
use tripoint_sim::identify::{self, Observation};
use tripoint_sim::scenario::{Release, Scenario};
use tripoint_sim::time::{SimDuration, SimTime};

const TRUE_MASS_KG: f64 = 2000.0;
const TRUE_START: SimTime = SimTime(2 * 3600);

fn truth(scenario: &Scenario, release: Release) -> Forecast {
    let mut water = scenario.clone();
    water.flow_changes.clear();
    water.releases.clear();
    water.incidents.clear();
    forecast::run(
        &water,
        &ForecastRequest {
            releases: vec![release],
            regime: scenario.settings.default_regime,
            horizon: SimDuration::from_hours(48),
            seed: 0,
            journal: false,
            until_passed: None,
        },
    )
    .unwrap()
}

/// What a sample at `point` at `t` reads: the transport's value, a non-detect below the
/// pollutant's detection limit.
fn read(scenario: &Scenario, truth: &Forecast, point: usize, pollutant: usize, t: SimTime) -> Observation {
    let series = &truth.series[point];
    let k = series
        .times
        .iter()
        .position(|x| *x == t)
        .expect("a time on the output grid");
    let c = series.conc_at(pollutant, k);
    let detection = scenario.pollutants[pollutant].detection_limit_mg_l;
    Observation {
        location: scenario.points[point].location,
        label: scenario.points[point].id.clone(),
        pollutant,
        taken_at: t,
        value_mg_l: (c >= detection).then_some(c),
        detection_limit_mg_l: detection,
    }
}

fn input(pollutant: usize, observations: Vec<Observation>, known_at: SimTime) -> EstimateInput {
    EstimateInput {
        incident: 0,
        pollutant,
        last_known_at: (!observations.is_empty()).then_some(known_at),
        observations,
    }
}

#[test]
fn an_estimate_from_one_round_of_results_finds_the_source_and_reuses_its_runs() {
    let scenario = Scenario::builtin();
    let source_idx = scenario
        .risk_sources
        .iter()
        .position(|s| s.id == "js_fenyu_bridge")
        .unwrap();
    let pollutant = scenario.risk_sources[source_idx].chemicals[0].pollutant;
    let truth = truth(
        &scenario,
        Release {
            pollutant,
            mass_kg: TRUE_MASS_KG,
            location: scenario.risk_sources[source_idx].location,
            start: TRUE_START,
            duration: SimDuration::from_hours(1),
            note: String::new(),
        },
    );
    let detection = scenario.pollutants[pollutant].detection_limit_mg_l;
    let times = &truth.series[0].times;
    let alarm = *times
        .iter()
        .find(|t| {
            (0..scenario.points.len()).any(|p| {
                let k = truth.series[p].times.iter().position(|x| x == *t).unwrap();
                truth.series[p].conc_at(pollutant, k) >= detection
            })
        })
        .expect("the release is seen");
    let round: Vec<Observation> = (0..scenario.points.len())
        .map(|p| read(&scenario, &truth, p, pollutant, alarm))
        .collect();
    let mut cache = EstimateCache::default();
    let first = source::estimate(&scenario, &input(pollutant, round.clone(), alarm), &mut cache);
    assert_eq!(cache.builds(), 1);
    assert_eq!(first.results, scenario.points.len());
    assert!(first.detected >= 1 && first.detected < first.results, "{first:?}");
    let EstimateOutcome::Estimated {
        candidates,
        intakes,
        next_sample,
    } = &first.outcome
    else {
        panic!("an estimate: {first:?}")
    };
    let best = &candidates[0];
    eprintln!("{candidates:#?}\n{intakes:#?}\n{next_sample:#?}");
    assert_eq!(best.place, "js_fenyu_bridge");
    assert!(best.start[0] <= TRUE_START && TRUE_START <= best.start[2], "{best:?}");
    assert!(
        best.mass_kg[0] <= TRUE_MASS_KG && TRUE_MASS_KG <= best.mass_kg[2],
        "{best:?}"
    );
    assert!(candidates.len() <= source::ESTIMATE_CANDIDATES_MAX);
    assert!(candidates.windows(2).all(|w| w[0].probability >= w[1].probability));
    // Every intake of the zone, the threatened one first.
    let n_intakes = scenario
        .points
        .iter()
        .filter(|p| p.kind == tripoint_sim::scenario::PointKind::Intake)
        .count();
    assert_eq!(intakes.len(), n_intakes);
    let advice = next_sample.as_ref().expect("an intake is threatened");
    assert!(intakes[0].threatened && intakes[0].point == advice.target);
    assert!(advice.at > alarm);
    // The panel's numbers are the identification's (same request, the runs built for it).
    let direct = identify::identify(
        &scenario,
        &source::request(&scenario, round.clone(), 200, SimDuration::from_hours(24)),
    )
    .unwrap();
    for (shown, c) in candidates.iter().zip(&direct.candidates) {
        assert_eq!(shown.place, c.place.label);
        assert!((shown.probability - c.probability).abs() < 1e-9);
        assert_eq!(shown.start.map(|t| t.seconds()), c.start_s);
        assert_eq!(shown.mass_kg, c.mass_kg);
    }
    // The advised sample comes in at a named point an hour later: weighed with the same
    // transport runs, and the true source still first.
    let point = scenario.points.iter().position(|p| p.id == advice.point).unwrap();
    let mut more = round;
    more.push(read(&scenario, &truth, point, pollutant, advice.at));
    let second = source::estimate(&scenario, &input(pollutant, more, advice.at), &mut cache);
    assert_eq!(cache.builds(), 1, "the runs are reused");
    let EstimateOutcome::Estimated { candidates, .. } = &second.outcome else {
        panic!("an estimate: {second:?}")
    };
    assert_eq!(candidates[0].place, "js_fenyu_bridge");
}

#[test]
fn no_results_and_all_clean_say_so_without_identifying() {
    let scenario = Scenario::builtin();
    let pollutant = 0;
    let mut cache = EstimateCache::default();
    let none = source::estimate(&scenario, &input(pollutant, Vec::new(), SimTime(0)), &mut cache);
    assert_eq!(none.outcome, EstimateOutcome::NoResults);
    let detection = scenario.pollutants[pollutant].detection_limit_mg_l;
    let clean: Vec<Observation> = scenario
        .points
        .iter()
        .take(3)
        .map(|p| Observation {
            location: p.location,
            label: p.id.clone(),
            pollutant,
            taken_at: SimTime(3600),
            value_mg_l: None,
            detection_limit_mg_l: detection,
        })
        .collect();
    let clean = source::estimate(&scenario, &input(pollutant, clean, SimTime(4000)), &mut cache);
    assert_eq!(clean.outcome, EstimateOutcome::AllClean);
    assert_eq!((clean.detected, clean.results), (0, 3));
    assert_eq!(cache.builds(), 0, "nothing to weigh: no transport run");
}
