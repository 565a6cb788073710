//! Writes the digests of the recorded forecast series of the built-in zone and of the
//! synthetic network ten times the zone, in normal and flood flow (one line per point and
//! pollutant): the fixture `sim/tests/fixtures/forecast_series_digests.txt` that the test
//! `forecast_series_follow_the_plume` compares the current transport with.
//!
//! ```sh
//! cargo run --release -p tripoint-sim --example forecast_series_digests > sim/tests/fixtures/forecast_series_digests.txt
//! ```
//!
//! The fixture was written with this example at commit `3dc0860` (before the transport
//! recorded only the points the plume can have reached); rerun it there to check it.

#[path = "../tests/support/series_digest.rs"]
mod series_digest;

fn main() {
    for (name, scenario) in series_digest::scenarios() {
        for regime in ["normal", "flood"] {
            for line in series_digest::digest_lines(&name, &scenario, regime) {
                println!("{line}");
            }
        }
    }
}
