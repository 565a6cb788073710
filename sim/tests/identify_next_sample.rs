//! The next sample `identify` advises is worth taking: a release upstream of the zone's
//! intakes, seen first by one round of results at the named points; the advised sample's
//! true value (from the transport) added to the results narrows the arrival at the
//! threatened point, as the advice said it would.

use tripoint_sim::forecast::{self, Forecast, ForecastRequest};
use tripoint_sim::identify::{self, Identification, IdentifyRequest, Observation};
use tripoint_sim::scenario::{Release, Scenario};
use tripoint_sim::time::{SimDuration, SimTime};

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

fn identify(scenario: &Scenario, observations: Vec<Observation>) -> Identification {
    identify::identify(
        scenario,
        &IdentifyRequest {
            seed: 3,
            ..IdentifyRequest::new(scenario, observations)
        },
    )
    .unwrap()
}

#[test]
fn the_advised_sample_narrows_the_arrival_at_the_threatened_point() {
    let scenario = Scenario::builtin();
    let source = scenario
        .risk_sources
        .iter()
        .find(|s| s.id == "js_fenyu_bridge")
        .unwrap();
    let pollutant = source.chemicals[0].pollutant;
    let truth = truth(
        &scenario,
        Release {
            pollutant,
            mass_kg: 2000.0,
            location: source.location,
            start: SimTime(2 * 3600),
            duration: SimDuration::from_hours(1),
            note: String::new(),
        },
    );
    let detection = scenario.pollutants[pollutant].detection_limit_mg_l;
    // The alarm: the first output step at which any named point reads over the limit of
    // detection; one round of results at every named point then.
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
    let before = identify(&scenario, round.clone());
    let advice = before
        .next_sample
        .clone()
        .unwrap_or_else(|| panic!("a point downstream is threatened: {:#?}", before.outlook));
    eprintln!("{advice:#?}");
    let best = advice.samples.first().expect("a sample is advised");
    assert!(
        best.arrival_sd_after_s < advice.arrival_sd_s,
        "the advice expects the sample to narrow the arrival"
    );
    assert!(best.taken_at_s > alarm.seconds());
    assert!(best.p_detect > 0.0 && best.p_detect <= 1.0);
    // Take it: the transport's value there and then.
    let point = scenario.points.iter().position(|p| p.id == best.point).unwrap();
    let mut more = round;
    more.push(read(&scenario, &truth, point, pollutant, SimTime(best.taken_at_s)));
    let after = identify(&scenario, more);
    // The arrival's 10–90 % width at the target, a draw that does not arrive counted as
    // arriving at the outlook's end.
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
