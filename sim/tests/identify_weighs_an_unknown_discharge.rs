//! The river's discharge as an unknown of source identification
//! (`ModelSpread::discharge_log_sd`, `tripoint identify --error-discharge-log-sd`): a factor
//! on every reach's discharge in every regime shared by every result, weighed beside the
//! dispersion's on one lattice of (dispersion, discharge) nodes.

use sha2::{Digest, Sha256};
use tripoint_sim::identify::cases::{self, CaseSettings};
use tripoint_sim::identify::{self, IdentifyRequest, ModelSpread};
use tripoint_sim::scenario::Scenario;
use tripoint_sim::time::SimDuration;

/// Case `seed` of the one-release series with the truth's discharge `flow` times the
/// model's, and the request the series weighs it with.
fn case(scenario: &Scenario, flow: f64, seed: u64) -> (cases::Case, IdentifyRequest) {
    let settings = CaseSettings {
        flow_factor: flow,
        ..CaseSettings::for_scenario(scenario)
    };
    let case = cases::draw(scenario, &settings, seed)
        .unwrap()
        .expect("a detectable case");
    let request = IdentifyRequest {
        durations: settings.durations.clone(),
        outlook: SimDuration::from_hours(12),
        draws: 100,
        seed,
        ..IdentifyRequest::new(scenario, case.observations.clone())
    };
    (case, request)
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn record() {
    let scenario = Scenario::builtin();
    let (_, request) = case(&scenario, 1.0, 28);
    for sd in [0.0, 0.8] {
        let request = IdentifyRequest {
            spread: ModelSpread::dispersion(sd),
            ..request.clone()
        };
        let id = identify::identify(&scenario, &request).unwrap();
        let json = serde_json::to_string(&id).unwrap();
        std::fs::write(format!("/tmp/iflow/before-{sd}.json"), &json).unwrap();
        eprintln!("{sd}: {} {}", json.len(), sha256_hex(&json));
    }
}
