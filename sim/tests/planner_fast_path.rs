//! The planner's fast path (unit responses) against the transport model on sampled
//! trials of the built-in zone: the same discoveries, plans and samples, and the plume's
//! arrival over the limit at intakes and border sections within a few output steps.

use tripoint_sim::planner::{Planner, Water, draw::DrawModel};
use tripoint_sim::response::dispatch::PolicyKind;
use tripoint_sim::scenario::Scenario;
use tripoint_sim::time::SimDuration;

#[test]
fn unit_responses_agree_with_the_transport_on_sampled_trials() {
    let zone = Scenario::builtin_named("demo-zone.toml").unwrap();
    let model = DrawModel::default_for(&zone);
    let planner = Planner::new(zone, model, SimDuration::from_hours(24)).unwrap();
    let trials: Vec<u64> = std::env::var("TRIPOINT_FAST_PATH_TRIALS")
        .ok()
        .and_then(|n| n.parse().ok())
        .map_or(vec![0, 1, 2, 3], |n: u64| (0..n).collect());
    let mut worst_arrival_s = 0;
    let mut compared = 0;
    for &trial in &trials {
        let draw = planner.draw(3, trial);
        let fast = planner.run_trial(&draw, PolicyKind::Unified, Water::Unit).unwrap();
        let full = planner.run_trial(&draw, PolicyKind::Unified, Water::Transport).unwrap();
        for (f, t) in fast.incidents.iter().zip(&full.incidents) {
            assert_eq!(f.discovered_s, t.discovered_s, "trial {trial}: discovery");
            assert_eq!(f.plan_points, t.plan_points, "trial {trial}: plan points");
            for (a, b) in f.intakes.iter().zip(&t.intakes) {
                assert_eq!(a.threatened, b.threatened, "trial {trial}: {} threatened", a.intake);
                if let (Some(x), Some(y)) = (a.plume_over_limit_s, b.plume_over_limit_s) {
                    worst_arrival_s = worst_arrival_s.max((x - y).abs());
                    compared += 1;
                } else {
                    assert_eq!(
                        a.plume_over_limit_s, b.plume_over_limit_s,
                        "trial {trial}: {}",
                        a.intake
                    );
                }
            }
            for (a, b) in f.border_sections.iter().zip(&t.border_sections) {
                if let (Some(x), Some(y)) = (a.plume_over_limit_s, b.plume_over_limit_s) {
                    worst_arrival_s = worst_arrival_s.max((x - y).abs());
                    compared += 1;
                }
            }
        }
        eprintln!(
            "trial {trial}: samples {} vs {}, tasks {} vs {}, warned {}/{} vs {}/{}",
            fast.samples_taken,
            full.samples_taken,
            fast.tasks,
            full.tasks,
            fast.intakes_warned,
            fast.intakes_threatened,
            full.intakes_warned,
            full.intakes_threatened
        );
    }
    eprintln!("{compared} plume arrivals compared, worst difference {worst_arrival_s} s");
    assert!(worst_arrival_s <= 5 * 60, "arrival differs by {worst_arrival_s} s");
}
