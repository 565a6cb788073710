//! A team's line in the view changes only when the team does: a sampling team's `until`
//! is the time its sample will be taken (fixed as it reaches the water), not the clock,
//! and `late` says what the drill's evaluation will say of that sample.

use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;
use tripoint_sim::drill::script::{self, ScenarioLoader};
use tripoint_sim::drill::view;
use tripoint_sim::drill::{Drill, DrillConfig, Session};
use tripoint_sim::response::ResponseState;
use tripoint_sim::response::dispatch::PolicyKind;
use tripoint_sim::scenario::Scenario;
use tripoint_sim::time::SimTime;

fn shipped(name: &str) -> Arc<Drill> {
    let loader: ScenarioLoader =
        Rc::new(|name: &str| Scenario::builtin_named(name).ok_or_else(|| "not built in".to_string()));
    let (file, text) = script::builtin_script(name).expect("shipped");
    Arc::new(script::load(file, text, loader).unwrap_or_else(|e| panic!("{e}")))
}

/// What a team is doing: its activity, place and incident.
type TeamState = (String, String, Option<usize>);

#[test]
fn a_sampling_team_shows_when_its_sample_is_taken_and_holds_still_with_the_clock() {
    let config = DrillConfig {
        policy: PolicyKind::Unified,
        seed: 0,
        journal: true,
        human_seats: Vec::new(),
    };
    let mut session = Session::new(shipped("two-incidents"), &config).unwrap();
    // Every sampling spell seen: (team, point, until) → late.
    let mut spells: BTreeMap<(String, String, SimTime), bool> = BTreeMap::new();
    // Each team's line at the minute before: its state (activity, place, incident) and
    // its time.
    let mut previous: BTreeMap<String, (TeamState, Option<SimTime>, bool)> = BTreeMap::new();
    let (mut n_held, mut n_sampling_past_due) = (0, 0);
    // Minute by minute from D1 02:00 to D1 14:00: a team whose state did not change shows
    // the same time, whatever the clock.
    for minute in 120..=14 * 60 {
        let now = SimTime(minute * 60);
        session.advance_to(now).unwrap();
        let snapshot = view::snapshot(&session, None, false);
        for t in &snapshot.teams {
            let state = (t.activity.clone(), t.place.clone(), t.incident);
            if t.activity == "sampling" {
                let until = t.until.expect("a sampling team's sample has a time");
                spells.insert((t.id.clone(), t.place.clone(), until), t.late);
            }
            // Unless what it was doing ended in the minute (a sample taken, a trip's end),
            // after which it may do the same again with a new time.
            if let Some((before, until, late)) = previous.get(&t.id)
                && *before == state
                && until.is_some_and(|u| u > now)
                && t.activity != "idle"
            {
                assert_eq!((t.until, t.late), (*until, *late), "{} at {}", t.id, now.clock_label());
                n_held += 1;
            }
            previous.insert(t.id.clone(), (state, t.until, t.late));
        }
    }
    let state = session.world().resource::<ResponseState>();
    let end = session.now();
    for ((team, point, until), late) in spells.iter().filter(|((_, _, until), _)| *until <= end) {
        // The sample that team took at that point: taken exactly at the time shown, and
        // late exactly when the evaluation counts it late.
        let task = state
            .tasks
            .iter()
            .find(|t| {
                t.point_id == *point
                    && t.sample.is_some_and(|s| state.samples[s].taken_at == *until)
                    && t.team.is_some_and(|i| session.drill().scenario.teams[i].id == *team)
            })
            .unwrap_or_else(|| panic!("{team} at {point}: no sample taken at {}", until.clock_label()));
        assert_eq!(*late, task.sampled_late(&state.samples), "{team} at {point}");
        if task.arrived_at.is_some_and(|a| a > task.due) {
            n_sampling_past_due += 1;
        }
    }
    // The run shows what it is meant to: many quiet minutes, teams that reached the water
    // after their sample was due (where the clock used to show), and late samples.
    assert!(n_held > 1000, "{n_held} lines held");
    assert!(n_sampling_past_due > 0, "no team sampled past its due time");
    assert!(spells.values().any(|late| *late), "no late sample");
    assert!(spells.values().any(|late| !*late), "no sample on time");
}
