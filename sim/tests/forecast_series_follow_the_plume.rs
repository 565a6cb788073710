//! The transport probes and records only the named points the plume can have reached, and
//! steps only the nodes and reaches where there is something to move; everywhere else the
//! water is exactly zero. The recorded series must be the same, bit for bit, as those of
//! the transport that probed and recorded every point and stepped every reach in every
//! substep: the fixture holds their digests, written with the example
//! `forecast_series_digests` at commit `3dc0860`, the last one that did.

#[path = "support/series_digest.rs"]
mod series_digest;

use tripoint_sim::forecast::{self, ForecastRequest};

const FIXTURE: &str = include_str!("fixtures/forecast_series_digests.txt");

#[test]
fn recorded_series_are_the_bits_of_the_transport_that_looked_everywhere() {
    let mut got = Vec::new();
    for (name, scenario) in series_digest::scenarios() {
        for regime in ["normal", "flood"] {
            got.extend(series_digest::digest_lines(&name, &scenario, regime));
        }
    }
    let want: Vec<&str> = FIXTURE.lines().collect();
    assert_eq!(
        got.len(),
        want.len(),
        "lines: got {}, fixture {}",
        got.len(),
        want.len()
    );
    let differing: Vec<(&String, &&str)> = got.iter().zip(&want).filter(|(g, w)| g != w).collect();
    assert!(
        differing.is_empty(),
        "{} of {} lines differ from the fixture; the first:\n  got  {}\n  want {}",
        differing.len(),
        got.len(),
        differing[0].0,
        differing[0].1
    );
}

/// Ten copies of the zone in normal flow: the plume of copy 1 falls to exact zeros (below
/// the concentration floor) before the last copy, whose points keep empty series (their
/// memory is not spent); a series once begun has every sample, and an empty one reads as
/// zeros.
#[test]
fn points_the_plume_never_reached_keep_no_series() {
    let (_, ten) = series_digest::scenarios().pop().expect("two scenarios");
    let mut request = ForecastRequest::from_scenario(&ten);
    request.journal = false;
    request.until_passed = Some(forecast::SETTLE_EXTRA_MAX);
    let f = forecast::run(&ten, &request).expect("the forecast runs");
    let pollutant = request.releases[0].pollutant;
    let n_samples = f.series[0].times.len();
    let recorded: Vec<bool> = f.series.iter().map(|s| !s.conc[pollutant].is_empty()).collect();
    for (point, series) in ten.points.iter().zip(&f.series) {
        assert_eq!(
            series.times.len(),
            n_samples,
            "{}: every point keeps the output times",
            point.id
        );
        let conc = &series.conc[pollutant];
        if conc.is_empty() {
            assert!(series.held[pollutant].is_empty(), "{}", point.id);
        } else {
            assert_eq!(
                conc.len(),
                n_samples,
                "{}: a series once begun is full length",
                point.id
            );
            assert_eq!(series.held[pollutant].len(), n_samples, "{}", point.id);
        }
    }
    let last_copy = |id: &str| id.ends_with("_c10");
    assert!(
        ten.points.iter().zip(&recorded).any(|(p, r)| !last_copy(&p.id) && *r),
        "some points are reached"
    );
    assert!(
        ten.points
            .iter()
            .zip(&recorded)
            .filter(|(p, _)| last_copy(&p.id))
            .all(|(_, r)| !r),
        "the last copy's points are never reached: {} of {} series recorded",
        recorded.iter().filter(|r| **r).count(),
        recorded.len()
    );
    // The readings come out of the empty series as zeros, as they did from full ones.
    let unreached = ten
        .points
        .iter()
        .position(|p| last_copy(&p.id))
        .expect("the last copy has points");
    let (times, values) =
        forecast::held_series(&f.series[unreached], pollutant, tripoint_sim::time::SimTime(f.start_s));
    assert_eq!(times.len(), n_samples);
    assert!(values.iter().all(|v| *v == 0.0));
}
