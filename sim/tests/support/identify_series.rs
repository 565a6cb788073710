//! What the tests of the identification's model spread share: a case of the one-release
//! validation series drawn with the truth's transport altered, the request the series
//! weighs it with, and a unit-response store in memory that counts what it is asked.
//! Shared by `identify_weighs_an_unknown_dispersion` and
//! `identify_weighs_an_unknown_discharge`.

use std::collections::BTreeMap;
use std::sync::Mutex;
use tripoint_sim::identify::cases::{self, CaseSettings};
use tripoint_sim::identify::{self, IdentifyRequest};
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

/// Case `seed` of the one-release series drawn with `settings` (the truth's dispersion or
/// discharge altered), and the request the series weighs it with.
pub fn case(scenario: &Scenario, settings: &CaseSettings, seed: u64) -> (cases::Case, IdentifyRequest) {
    let case = cases::draw(scenario, settings, seed)
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

/// Identifies `request` twice through one [`Recording`] store and checks the store: the
/// first time every lattice node's runs are made and saved, each under a key of its own (a
/// key that left a factor out would have one node's runs overwrite another's); the second
/// time every run is read back and the answer is the same, byte for byte. Returns the first.
pub fn identified_twice_through_a_store(scenario: &Scenario, request: &IdentifyRequest) -> identify::Identification {
    let store = Recording::default();
    let first = identify::identify_cached(scenario, request, Some(&store)).unwrap();
    assert!(first.n_transport_runs >= first.n_places * first.dispersion_nodes.len());
    assert_eq!(first.cache.runs, first.n_transport_runs);
    assert_eq!(*store.saves.lock().unwrap(), first.n_transport_runs);
    assert_eq!(store.entries.lock().unwrap().len(), first.n_transport_runs);
    let again = identify::identify_cached(scenario, request, Some(&store)).unwrap();
    assert_eq!(again.cache.hits, first.n_transport_runs);
    assert_eq!(again.cache.runs, 0);
    assert_eq!(
        serde_json::to_string(&again).unwrap(),
        serde_json::to_string(&first).unwrap()
    );
    first
}
