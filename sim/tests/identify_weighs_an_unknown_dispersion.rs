//! The transport's dispersion as an unknown of source identification
//! (`IdentifyRequest::spread`, `tripoint identify --error-dispersion-log-sd`): a factor on
//! the scenario's dispersion shared by every result, weighed on a lattice of factors, each
//! with its own unit responses.

use std::collections::BTreeMap;
use std::sync::Mutex;
use tripoint_sim::identify::cases::{self, CaseSettings};
use tripoint_sim::identify::{self, IdentifyRequest, ModelSpread};
use tripoint_sim::scenario::Scenario;
use tripoint_sim::time::SimDuration;
use tripoint_sim::transport::unit::UnitStore;

/// A unit-response store in memory that counts what it is asked.
#[derive(Default)]
struct Recording {
    entries: Mutex<BTreeMap<String, Vec<u8>>>,
    saves: Mutex<usize>,
}

impl UnitStore for Recording {
    fn load(&self, key: &str) -> Option<Vec<u8>> {
        self.entries.lock().unwrap().get(key).cloned()
    }
    fn save(&self, key: &str, bytes: &[u8]) {
        *self.saves.lock().unwrap() += 1;
        self.entries.lock().unwrap().insert(key.to_string(), bytes.to_vec());
    }
}

/// Case `seed` of the one-release series with the truth's dispersion `factor` times the
/// model's, and the request the series weighs it with.
fn case(scenario: &Scenario, factor: f64, seed: u64) -> (cases::Case, IdentifyRequest) {
    let settings = CaseSettings {
        dispersion_factor: factor,
        ..CaseSettings::for_scenario(scenario)
    };
    let case = cases::draw(scenario, &settings, seed).unwrap().expect("a detectable case");
    let request = IdentifyRequest {
        durations: settings.durations.clone(),
        outlook: SimDuration::from_hours(12),
        draws: 100,
        seed,
        ..IdentifyRequest::new(scenario, case.observations.clone())
    };
    (case, request)
}

#[test]
fn each_dispersion_factor_has_its_own_cached_unit_responses() {
    let scenario = Scenario::builtin();
    let (_, request) = case(&scenario, 1.5, 3);
    let request = IdentifyRequest {
        spread: ModelSpread { dispersion_log_sd: 0.8 },
        ..request
    };
    let store = Recording::default();
    let first = identify::identify_cached(&scenario, &request, Some(&store)).unwrap();
    let nodes = first.dispersion_nodes.len();
    assert!(nodes >= 2, "{nodes} dispersion nodes weighed");
    assert_eq!(first.n_transport_runs, first.n_places * nodes);
    // Every run made and saved under a key of its own: a key that left the factor out
    // would have one node's runs overwrite another's.
    assert_eq!(first.cache.runs, first.n_transport_runs);
    assert_eq!(*store.saves.lock().unwrap(), first.n_transport_runs);
    assert_eq!(store.entries.lock().unwrap().len(), first.n_transport_runs);
    // Again: every node's runs read back, and the same answer.
    let again = identify::identify_cached(&scenario, &request, Some(&store)).unwrap();
    assert_eq!(again.cache.hits, first.n_transport_runs);
    assert_eq!(again.cache.runs, 0);
    assert_eq!(
        serde_json::to_string(&again).unwrap(),
        serde_json::to_string(&first).unwrap()
    );
}
