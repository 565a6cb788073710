//! Digests of a forecast's recorded series, point by point, for comparing two versions of
//! the transport bit for bit without storing the series themselves. Shared by the test
//! `forecast_series_follow_the_plume` and the example `forecast_series_digests` that
//! wrote its fixture with the code before the change.
//!
//! A released pollutant's series may be empty where the plume never reached the point (it
//! is zero at every sample there); the digest reads it as it reads the full series of
//! zeros the transport recorded before: a value of 0.0 and a held (time, value) of
//! (sample time, 0.0) at every sample, which is what a sample with nothing held was.

use std::fmt::Write as _;
use tripoint_sim::forecast::{self, ForecastRequest};
use tripoint_sim::scenario::{Scenario, SourceText};
use tripoint_sim::synthetic::{self, SyntheticZone};

/// FNV-1a over 64-bit words: a change of any bit of any word changes the digest.
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn word(&mut self, w: u64) {
        for byte in w.to_le_bytes() {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

/// The scenarios compared: the built-in zone, and the synthetic network ten times the zone.
pub fn scenarios() -> Vec<(String, Scenario)> {
    let text = synthetic::zone_copies(&SyntheticZone {
        copies: 10,
        seed: 1,
        length_jitter: 0.1,
    })
    .expect("ten copies are a valid size");
    let ten = Scenario::parse(&SourceText::new("synthetic-10.toml".to_string(), text.as_str()))
        .expect("the synthetic network loads");
    vec![("zone".to_string(), Scenario::builtin()), ("zone10".to_string(), ten)]
}

/// One line per released pollutant per named point (sample count and digest of times,
/// values and held values), then the run's end, whether the plume passed, the counted
/// cell updates and the mass ledger's bits: the forecast of `scenario` in `regime`, run on
/// until the plume has passed, as `tripoint forecast` does.
pub fn digest_lines(name: &str, scenario: &Scenario, regime: &str) -> Vec<String> {
    let mut request = ForecastRequest::from_scenario(scenario);
    request.regime = scenario.regime_idx(regime).expect("the regime exists");
    request.journal = false;
    request.until_passed = Some(forecast::SETTLE_EXTRA_MAX);
    let f = forecast::run(scenario, &request).expect("the forecast runs");
    let mut released: Vec<usize> = request.releases.iter().map(|r| r.pollutant).collect();
    released.sort_unstable();
    released.dedup();
    let mut lines = Vec::new();
    for (point_idx, series) in f.series.iter().enumerate() {
        for &p in &released {
            let mut h = Fnv::new();
            let conc = &series.conc[p];
            let held = &series.held[p];
            for (k, t) in series.times.iter().enumerate() {
                h.word(t.seconds() as u64);
                h.word(conc.get(k).copied().unwrap_or(0.0).to_bits());
                let (held_t, held_c) = held.get(k).copied().unwrap_or((*t, 0.0));
                h.word(held_t.seconds() as u64);
                h.word(held_c.to_bits());
            }
            let peak = conc.iter().copied().fold(0.0, f64::max);
            lines.push(format!(
                "{name} {regime} {} {} samples={} peak={peak:e} digest={:016x}",
                scenario.points[point_idx].id,
                scenario.pollutants[p].id,
                series.times.len(),
                h.0
            ));
        }
    }
    let mut tail = format!(
        "{name} {regime} end_s={} passed={} n_cell_updates={}",
        f.end_s, f.passed, f.n_cell_updates
    );
    for b in &f.mass_balance {
        let _ = write!(
            tail,
            " {}: released={:016x} stored={:016x} out={:016x} decayed={:016x} below_floor={:016x}",
            b.pollutant,
            b.released_kg.to_bits(),
            b.stored_kg.to_bits(),
            b.out_kg.to_bits(),
            b.decayed_kg.to_bits(),
            b.below_floor_kg.to_bits()
        );
    }
    lines.push(tail);
    lines
}
