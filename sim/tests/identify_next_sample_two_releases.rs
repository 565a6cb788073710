//! The next sample `identify --sources 2` advises weighs both releases of a pair: two
//! simultaneous releases, petroleum on the Lanlu Gang (Qingpu; its water reaches no
//! intake) and aniline at the Fenyu Taipu bridge (Jiashan; upstream of the Changbaidang
//! and Jinze intakes), seen by one round of results at every named point. Two releases
//! are the more probable, the petroleum's is the first of the top pair and the aniline's
//! the second; only the second threatens an intake, so advice that read the first
//! release of each pair (or one release only) would have no intake to protect. The advice
//! targets the intake the aniline reaches, at a point the aniline's draws detect, and the
//! advised sample, taken from the transport, narrows the arrival there.

use tripoint_sim::forecast::{self, Forecast, ForecastRequest};
use tripoint_sim::identify::{self, Identification, IdentifyRequest, Observation};
use tripoint_sim::scenario::{PointKind, Release, Scenario};
use tripoint_sim::time::{SimDuration, SimTime};

fn release(scenario: &Scenario, source: &str, mass_kg: f64, start: SimTime) -> Release {
    let s = scenario.risk_sources.iter().find(|s| s.id == source).unwrap();
    Release {
        pollutant: s.chemicals[0].pollutant,
        mass_kg,
        location: s.location,
        start,
        duration: SimDuration::from_hours(1),
        note: String::new(),
    }
}

fn truth(scenario: &Scenario, releases: Vec<Release>) -> Forecast {
    let mut water = scenario.clone();
    water.flow_changes.clear();
    water.releases.clear();
    water.incidents.clear();
    forecast::run(
        &water,
        &ForecastRequest {
            releases,
            regime: scenario.settings.default_regime,
            horizon: SimDuration::from_hours(48),
            seed: 0,
            journal: false,
            until_passed: None,
        },
    )
    .unwrap()
}

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

fn identify_two(scenario: &Scenario, observations: Vec<Observation>) -> Identification {
    identify::identify(
        scenario,
        &IdentifyRequest {
            seed: 3,
            sources: 2,
            ..IdentifyRequest::new(scenario, observations)
        },
    )
    .unwrap()
}

#[test]
fn the_two_release_advice_protects_the_intake_only_the_second_release_threatens() {
    let scenario = Scenario::builtin();
    let petroleum = release(&scenario, "qp_lanlu_lane", 5000.0, SimTime(3600));
    let aniline = release(&scenario, "js_fenyu_bridge", 800.0, SimTime(2 * 3600));
    let pollutants = [petroleum.pollutant, aniline.pollutant];
    assert_ne!(pollutants[0], pollutants[1]);
    let truth = truth(&scenario, vec![petroleum, aniline]);
    let round_at = SimTime(6 * 3600);
    let round: Vec<Observation> = (0..scenario.points.len())
        .flat_map(|p| pollutants.map(|q| (p, q)))
        .map(|(p, q)| read(&scenario, &truth, p, q, round_at))
        .collect();
    let detected = |q: usize| {
        round
            .iter()
            .filter(|o| o.pollutant == q && o.value_mg_l.is_some())
            .count()
    };
    eprintln!(
        "results: petroleum detected at {}, aniline at {}",
        detected(pollutants[0]),
        detected(pollutants[1])
    );
    let before = identify_two(&scenario, round.clone());
    let two = before.two.as_ref().expect("two releases weighed");
    let top = &two.pairs[0];
    eprintln!(
        "p(two) {:.3}; top pair {} + {} p={:.3}",
        two.p_two, top.releases[0].place.label, top.releases[1].place.label, top.probability
    );
    assert!(
        two.p_two > 0.5,
        "two releases are the more probable: p(two) {}",
        two.p_two
    );
    assert_eq!(
        [
            top.releases[0].place.label.as_str(),
            top.releases[1].place.label.as_str()
        ],
        ["qp_lanlu_lane", "js_fenyu_bridge"],
        "the aniline's release is the second of the top pair"
    );
    let advice = before
        .next_sample
        .clone()
        .unwrap_or_else(|| panic!("the aniline threatens an intake: {:#?}", before.outlook));
    eprintln!("{advice:#?}");
    let target = scenario.points.iter().find(|p| p.id == advice.target_point).unwrap();
    assert_eq!(target.kind, PointKind::Intake, "the advice protects an intake");
    assert_eq!(advice.pollutant, scenario.pollutants[pollutants[1]].id);
    let best = advice.samples.first().expect("a sample is advised");
    assert!(best.p_detect > 0.0 && best.arrival_sd_after_s < advice.arrival_sd_s);
    // Take it: the transport's aniline there and then.
    let point = scenario.points.iter().position(|p| p.id == best.point).unwrap();
    let mut more = round;
    more.push(read(&scenario, &truth, point, pollutants[1], SimTime(best.taken_at_s)));
    let after = identify_two(&scenario, more);
    let width = |id: &Identification| {
        let o = id
            .outlook
            .iter()
            .find(|o| o.point == advice.target_point && o.pollutant == advice.pollutant)
            .expect("the target is in the outlook");
        let at = |q: Option<i64>| q.unwrap_or(id.outlook_end_s);
        at(o.arrival_s[2]) - at(o.arrival_s[0])
    };
    eprintln!(
        "10-90 % arrival width at {}: {} s before, {} s after the sample at {} {}",
        advice.target_point,
        width(&before),
        width(&after),
        best.point,
        best.taken_at_s
    );
    assert!(
        width(&after) < width(&before),
        "the arrival did not narrow: {} s before, {} s after",
        width(&before),
        width(&after)
    );
}
