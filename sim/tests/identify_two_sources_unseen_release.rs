//! A release of a pair that no result reads above its detection limit is reported by an
//! upper bound of its mass, not by an interval (`Candidate::sighting`): petroleum on the
//! Lanlu Gang (Qingpu), seen at several named points, and aniline at the Fenyu Taipu
//! bridge (Jiashan), a quarter of the smallest mass any result would read above its limit,
//! so every aniline result is a non-detect. Rounds of results at every named point every
//! 2 h, noise-free, from the transport. The aniline's release is reported as not seen; its
//! 90 % upper bound lies above the truth and below the smallest mass the results would
//! have read (the pair's evidence weighs only releases seen, so an interval taken from it
//! would start above that mass, above the truth).

use tripoint_sim::forecast::{self, Forecast, ForecastRequest};
use tripoint_sim::identify::{self, IdentifyRequest, Observation};
use tripoint_sim::scenario::{Release, Scenario};
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

fn run(scenario: &Scenario, releases: Vec<Release>) -> Forecast {
    let mut water = scenario.clone();
    water.flow_changes.clear();
    water.releases.clear();
    water.incidents.clear();
    forecast::run(
        &water,
        &ForecastRequest {
            releases,
            regime: scenario.settings.default_regime,
            horizon: SimDuration::from_hours(24),
            seed: 0,
            journal: false,
            until_passed: None,
        },
    )
    .unwrap()
}

/// The concentration `forecast` carries at `point` at `t` [mg/L].
fn concentration(forecast: &Forecast, point: usize, pollutant: usize, t: SimTime) -> f64 {
    let series = &forecast.series[point];
    let k = series
        .times
        .iter()
        .position(|x| *x == t)
        .expect("a time on the output grid");
    series.conc_at(pollutant, k)
}

#[test]
fn a_release_no_result_reads_is_bounded_above_not_given_an_interval() {
    let scenario = Scenario::builtin();
    let petroleum = release(&scenario, "qp_lanlu_lane", 5000.0, SimTime(3600));
    let one_kg = release(&scenario, "js_fenyu_bridge", 1.0, SimTime(2 * 3600));
    let pollutants = [petroleum.pollutant, one_kg.pollutant];
    assert_ne!(pollutants[0], pollutants[1]);
    let times: Vec<SimTime> = (2..=8).map(|k| SimTime(k * 2 * 3600)).collect();
    let mut results: Vec<(usize, usize, SimTime)> = Vec::new();
    for p in 0..scenario.points.len() {
        for q in pollutants {
            results.extend(times.iter().map(|&t| (p, q, t)));
        }
    }
    // The smallest aniline mass some result would read above its limit.
    let unit = run(&scenario, vec![one_kg.clone()]);
    let aniline_limit = scenario.pollutants[pollutants[1]].detection_limit_mg_l;
    let detected_from_kg = results
        .iter()
        .filter(|(_, q, _)| *q == pollutants[1])
        .map(|&(p, q, t)| concentration(&unit, p, q, t))
        .filter(|c| *c > 0.0)
        .map(|c| aniline_limit / c)
        .fold(f64::INFINITY, f64::min);
    assert!(detected_from_kg.is_finite(), "some result is reached by the aniline");
    let aniline_kg = detected_from_kg / 4.0;
    let source = scenario
        .risk_sources
        .iter()
        .find(|s| s.id == "js_fenyu_bridge")
        .unwrap();
    let max_kg = source.chemicals[0].max_release_kg;
    assert!(
        aniline_kg > max_kg * identify::SOURCE_MASS_LOW_SHARE,
        "the aniline's {aniline_kg:.2} kg is within the prior"
    );
    let truth = run(
        &scenario,
        vec![
            petroleum,
            Release {
                mass_kg: aniline_kg,
                ..one_kg
            },
        ],
    );
    let observations: Vec<Observation> = results
        .iter()
        .map(|&(p, q, t)| {
            let c = concentration(&truth, p, q, t);
            let limit = scenario.pollutants[q].detection_limit_mg_l;
            Observation {
                location: scenario.points[p].location,
                label: scenario.points[p].id.clone(),
                pollutant: q,
                taken_at: t,
                value_mg_l: (c >= limit).then_some(c),
                detection_limit_mg_l: limit,
            }
        })
        .collect();
    let detected = |q: usize| {
        observations
            .iter()
            .filter(|o| o.pollutant == q && o.value_mg_l.is_some())
            .count()
    };
    assert!(detected(pollutants[0]) >= 3, "the petroleum is read at several results");
    assert_eq!(detected(pollutants[1]), 0, "no result reads the aniline");
    let id = identify::identify(
        &scenario,
        &IdentifyRequest {
            seed: 5,
            sources: 2,
            ..IdentifyRequest::new(&scenario, observations)
        },
    )
    .unwrap();
    let two = id.two.expect("two releases weighed");
    let pair = two
        .pairs
        .iter()
        .find(|p| {
            let labels = [p.releases[0].place.label.as_str(), p.releases[1].place.label.as_str()];
            labels.contains(&"qp_lanlu_lane") && labels.contains(&"js_fenyu_bridge")
        })
        .expect("the true pair is listed");
    let of = |label: &str| {
        pair.releases
            .iter()
            .find(|r| r.place.label == label)
            .and_then(|r| r.sighting)
            .expect("a release of a pair says whether it is seen")
    };
    let (seen, unseen) = (of("qp_lanlu_lane"), of("js_fenyu_bridge"));
    eprintln!(
        "aniline {aniline_kg:.2} kg (read from {detected_from_kg:.2} kg); petroleum {seen:?}; aniline {unseen:?}; \
         pair p = {:.3}, p(two) {:.3}",
        pair.probability, two.p_two
    );
    assert!(seen.seen, "the petroleum's release is seen: {seen:?}");
    assert!(!unseen.seen, "the aniline's release is not seen: {unseen:?}");
    assert!(
        aniline_kg < unseen.mass_upper_kg && unseen.mass_upper_kg < detected_from_kg,
        "the bound {:.2} kg lies between the truth {aniline_kg:.2} kg and the smallest mass read, \
         {detected_from_kg:.2} kg",
        unseen.mass_upper_kg
    );
    // The JSON says it.
    let json = serde_json::to_value(pair).unwrap();
    let aniline = json["releases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["place"]["label"] == "js_fenyu_bridge")
        .unwrap();
    assert_eq!(aniline["seen"], false);
    assert!(aniline["mass_upper_kg"].as_f64().is_some());
}
