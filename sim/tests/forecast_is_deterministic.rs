//! Same scenario and seed give the same journal, byte for byte.

use tripoint_sim::forecast::{self, ForecastRequest};
use tripoint_sim::kernel::journal_hash;
use tripoint_sim::scenario::Scenario;
use tripoint_sim::time::SimDuration;

#[test]
fn two_runs_give_identical_journals() {
    let scenario = Scenario::builtin();
    let mut request = ForecastRequest::from_scenario(&scenario);
    request.horizon = SimDuration::from_hours(24);
    let first = forecast::run(&scenario, &request).unwrap();
    let second = forecast::run(&scenario, &request).unwrap();
    assert!(first.journal.len() > 1000, "journal too short: {}", first.journal.len());
    assert_eq!(first.journal, second.journal);
    assert_eq!(journal_hash(&first.journal), journal_hash(&second.journal));
    assert!(first.journal.iter().any(|l| l.contains("\"kind\":\"release_start\"")));
}

#[test]
fn a_different_release_changes_the_journal() {
    let scenario = Scenario::builtin();
    let mut request = ForecastRequest::from_scenario(&scenario);
    request.horizon = SimDuration::from_hours(6);
    let first = forecast::run(&scenario, &request).unwrap();
    request.releases[0].mass_kg *= 2.0;
    let second = forecast::run(&scenario, &request).unwrap();
    assert_ne!(journal_hash(&first.journal), journal_hash(&second.journal));
}
