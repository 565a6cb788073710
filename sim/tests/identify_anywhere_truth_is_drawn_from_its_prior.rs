//! A case of the anywhere-truths series (`identify::cases::draw_anywhere`, docs/validation.md
//! "The prior anywhere on truths drawn from its own prior") says where its release was, and
//! that release is one the prior anywhere weighs: on the network within the stretch of one
//! of that prior's places, a pollutant the inventory holds, a mass on the anywhere mass
//! axis, a start and duration as the series draws them; and its results are the
//! transport's concentrations of that release at that place, with the series' noise.

use tripoint_sim::forecast::{self, ForecastRequest};
use tripoint_sim::identify::cases::{self, CaseSettings, NO_SOURCE, Truths};
use tripoint_sim::identify::{self, Prior};
use tripoint_sim::scenario::{Location, Release, Scenario};
use tripoint_sim::time::{SimDuration, SimTime};

const SPACING_M: f64 = 2000.0;
/// Seeds tried for a detectable case (most releases anywhere are too small or too far from
/// every named point; seed 1 is detectable today).
const SEEDS_TRIED_MAX: u64 = 12;

#[test]
fn a_truth_of_the_prior_anywhere_is_a_release_that_prior_weighs_and_its_results_are_the_transports() {
    let scenario = Scenario::builtin();
    let prior = Prior::Anywhere { spacing_m: SPACING_M };
    let settings = CaseSettings {
        prior,
        truths: Truths::Anywhere,
        ..CaseSettings::for_scenario(&scenario)
    };
    let (seed, case) = (1..=SEEDS_TRIED_MAX)
        .find_map(|seed| {
            cases::draw_anywhere(&scenario, &settings, seed)
                .unwrap()
                .map(|case| (seed, case))
        })
        .expect("a detectable case among the first seeds");
    let truth = &case.truth;
    eprintln!(
        "seed {seed}: {truth:?}, alarm {:?}, seen at {}",
        case.alarm, case.n_seen
    );

    // Where: at no risk source, on the network, within the stretch of a place of the prior.
    assert_eq!(truth.source, NO_SOURCE);
    let location = truth.location.expect("a truth of the prior anywhere says where it was");
    assert_eq!(truth.location_in(&scenario), location);
    let (places, _) = identify::places(&scenario, prior, &[truth.pollutant]);
    match location {
        Location::Reach { reach, chainage_m } => {
            let length_m = scenario.reaches[reach].length_m;
            assert!((0.0..=length_m).contains(&chainage_m), "{chainage_m} m of {length_m} m");
            // The reach's places stand at the middles of equal stretches at most a spacing
            // long: one lies within half a stretch (and the metre the chainage is rounded to).
            let on_reach: Vec<f64> = places
                .iter()
                .filter_map(|p| match p.location {
                    Location::Reach { reach: r, chainage_m } if r == reach => Some(chainage_m),
                    _ => None,
                })
                .collect();
            let stretch_m = length_m / on_reach.len() as f64;
            assert!(stretch_m <= SPACING_M + 1e-9);
            assert!(
                on_reach.iter().any(|c| (c - chainage_m).abs() <= stretch_m / 2.0 + 1.0),
                "{chainage_m} m, places at {on_reach:?}"
            );
        }
        lake => assert!(
            places.iter().any(|p| p.location == lake),
            "{lake:?} is no place of the prior"
        ),
    }
    // What and how much: a pollutant of the inventory, a mass on the anywhere axis.
    assert!(
        scenario
            .risk_sources
            .iter()
            .any(|s| s.chemicals.iter().any(|c| c.pollutant == truth.pollutant))
    );
    let (low_kg, high_kg) = identify::ANYWHERE_MASS_KG;
    assert!((low_kg..=high_kg).contains(&truth.mass_kg), "{} kg", truth.mass_kg);
    assert!(truth.start < SimTime::ZERO + settings.start_window);
    assert!(settings.durations.contains(&truth.duration));

    // The results: the transport's concentrations of that release, at its place, plus the
    // series' noise (10 % and a third of the limit, in quadrature).
    let mut water = scenario.clone();
    water.flow_changes.clear();
    water.releases.clear();
    water.incidents.clear();
    let run = forecast::run(
        &water,
        &ForecastRequest {
            releases: vec![Release {
                pollutant: truth.pollutant,
                mass_kg: truth.mass_kg,
                location,
                start: truth.start,
                duration: truth.duration,
                note: "the drawn truth".into(),
            }],
            regime: settings.regime,
            horizon: settings.alarm_within + settings.sampling_for,
            seed,
            journal: false,
            until_passed: None,
        },
    )
    .unwrap();
    let step_s = run.output_step_s.max(1);
    let at = |point: usize, t: SimTime| -> f64 {
        let series = &run.series[point];
        let k = (t - series.times[0]).seconds().div_euclid(step_s);
        usize::try_from(k)
            .ok()
            .and_then(|k| series.conc[truth.pollutant].get(k))
            .copied()
            .unwrap_or(0.0)
    };
    let point_of = |location: Location| scenario.points.iter().position(|p| p.location == location).unwrap();
    let limit = scenario.pollutants[truth.pollutant].detection_limit_mg_l;
    // The alarm: the first output step at which a named point holds the release above the
    // limit.
    assert!((0..scenario.points.len()).any(|p| at(p, case.alarm) > limit));
    let before = case.alarm + SimDuration(-step_s);
    assert!((0..scenario.points.len()).all(|p| at(p, before) <= limit));
    // Every named point every two hours for twelve from the alarm, for the one pollutant.
    assert_eq!(case.observations.len(), 7 * scenario.points.len());
    let mut n_seen = 0;
    for o in &case.observations {
        assert_eq!(o.pollutant, truth.pollutant);
        let c = at(point_of(o.location), o.taken_at);
        n_seen += usize::from(c >= limit);
        let sigma = ((0.1 * c).powi(2) + (limit / 3.0).powi(2)).sqrt();
        match o.value_mg_l {
            Some(v) => assert!(
                (v - c).abs() <= 6.0 * sigma,
                "{} read {v} mg/L, transport {c} mg/L",
                o.label
            ),
            None => assert!(c < limit + 6.0 * sigma, "{} not detected, transport {c} mg/L", o.label),
        }
    }
    assert_eq!(case.n_seen, n_seen);
    assert!(n_seen >= 1, "the alarm's round reads the release somewhere");
}
