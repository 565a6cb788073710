//! The command's hand on the plan (approve, add, remove, change an interval), mutual aid
//! asked for by hand, and a live incident declared and fitted to typed-in results: each
//! as a drill action through a session, checked on the plan, the tasks and the teams.

use std::sync::Arc;
use tripoint_sim::drill::engine::DrillLog;
use tripoint_sim::drill::{Action, Drill, DrillConfig, Seat, Session};
use tripoint_sim::response::dispatch::PolicyKind;
use tripoint_sim::response::edit::{Declaration, least_squares_scale};
use tripoint_sim::response::{ResponseState, TaskStatus, TeamUnit};
use tripoint_sim::scenario::Scenario;
use tripoint_sim::time::{SimDuration, SimTime};

fn two_incidents() -> Scenario {
    Scenario::builtin_named("two-incidents.toml").expect("built-in scenario")
}

fn session(drill: Drill, policy: PolicyKind, human: Vec<Seat>) -> Session {
    let config = DrillConfig {
        policy,
        seed: 0,
        journal: true,
        human_seats: human,
    };
    Session::new(Arc::new(drill), &config).expect("session")
}

/// A session of the two-incident scenario with a person in the command seat.
fn exercise(policy: PolicyKind) -> Session {
    let drill = Drill::from_scenario(two_incidents(), "two-incidents.toml", SimDuration::from_hours(24));
    session(drill, policy, vec![Seat::Command])
}

/// Acts now and returns what the action did (its outcome in the drill log).
fn act(session: &mut Session, seat: Seat, action: Action) -> String {
    session.submit(seat, action).unwrap();
    session.advance_to(session.now()).unwrap();
    let log = session.world().resource::<DrillLog>();
    log.actions.last().expect("the action is recorded").outcome.clone()
}

fn state(session: &Session) -> &ResponseState {
    session.world().resource::<ResponseState>()
}

#[test]
fn the_command_approves_the_current_revision_only() {
    let mut s = exercise(PolicyKind::Unified);
    s.advance_to(SimTime::from_hours(3)).unwrap();
    let revision = state(&s).plans[0].as_ref().expect("a plan by 03:00").revision;
    assert!(
        state(&s).plans[0].as_ref().unwrap().approved.is_none(),
        "proposed until approved"
    );
    let stale = act(
        &mut s,
        Seat::Command,
        Action::ApprovePlan {
            incident: 0,
            revision: Some(revision + 7),
        },
    );
    assert!(stale.contains("no longer current"), "{stale}");
    let by_county = act(
        &mut s,
        Seat::Jurisdiction(0),
        Action::ApprovePlan {
            incident: 0,
            revision: Some(revision),
        },
    );
    assert!(by_county.contains("only the joint command"), "{by_county}");
    let ok = act(
        &mut s,
        Seat::Command,
        Action::ApprovePlan {
            incident: 0,
            revision: Some(revision),
        },
    );
    assert!(ok.contains("approved"), "{ok}");
    let approval = state(&s).plans[0].as_ref().unwrap().approved.clone().unwrap();
    assert_eq!((approval.at, approval.by.as_str()), (s.now(), "command"));
    let again = act(
        &mut s,
        Seat::Command,
        Action::ApprovePlan {
            incident: 0,
            revision: Some(revision),
        },
    );
    assert!(again.contains("already approved"), "{again}");
}

#[test]
fn a_simulated_command_approves_every_plan_it_is_given() {
    let drill = Drill::from_scenario(two_incidents(), "two-incidents.toml", SimDuration::from_hours(12));
    let mut s = session(drill, PolicyKind::Unified, vec![Seat::Controller]);
    s.advance_to(SimTime::from_hours(12)).unwrap();
    let log = s.world().resource::<DrillLog>();
    let approvals: Vec<_> = log
        .actions
        .iter()
        .filter(|a| matches!(a.action, Action::ApprovePlan { .. }))
        .collect();
    assert!(approvals.len() >= 2, "both incidents' plans approved");
    assert!(approvals.iter().all(|a| a.seat == Seat::Command));
    assert!(
        s.journal().iter().any(|l| l.contains("approve_plan")),
        "the approval is in the journal"
    );
}

#[test]
fn removing_a_point_cancels_its_tasks_and_releases_the_team_driving_there() {
    let mut s = exercise(PolicyKind::Unified);
    // Find a moment when a team is on the road to a point of the antimony plan.
    let (point, team) = loop {
        s.step().unwrap().expect("a team drives to a plan point within the run");
        let st = state(&s);
        let driving = st.tasks.iter().find(|t| {
            t.incident == 0 && t.status == TaskStatus::Assigned && t.arrived_at.is_none() && st.plans[0].is_some()
        });
        if let Some(t) = driving {
            break (t.point_id.clone(), t.team.unwrap());
        }
    };
    let before = state(&s).plans[0].as_ref().unwrap().revision;
    let outcome = act(
        &mut s,
        Seat::Command,
        Action::RemovePlanPoint {
            incident: 0,
            point: point.clone(),
        },
    );
    assert!(outcome.contains("removed") && outcome.contains("released"), "{outcome}");
    let st = state(&s);
    let plan = st.plans[0].as_ref().unwrap();
    assert!(!plan.points.iter().any(|p| p.id == point));
    assert!(plan.others.iter().any(|p| p.id == point), "it can be added back");
    assert_eq!(plan.revision, before + 1);
    assert!(plan.approved.is_some(), "the command's own edit is approved");
    let waiting = st
        .tasks
        .iter()
        .filter(|t| t.incident == 0 && t.point_id == point)
        .filter(|t| matches!(t.status, TaskStatus::Planned | TaskStatus::Open | TaskStatus::Assigned))
        .count();
    assert_eq!(waiting, 0, "nothing left to do at {point}");
    let unit = s
        .world()
        .iter_entities()
        .filter_map(|e| e.get::<TeamUnit>())
        .find(|u| u.team == team)
        .unwrap();
    let task_point = unit.task.map(|t| st.tasks[t].point_id.clone());
    assert_ne!(task_point.as_deref(), Some(point.as_str()), "the team was released");
    let missing = act(
        &mut s,
        Seat::Command,
        Action::RemovePlanPoint {
            incident: 0,
            point: point.clone(),
        },
    );
    assert!(missing.contains("not in the plan"), "{missing}");
    // Adding it back schedules its samples again from now.
    let added = act(
        &mut s,
        Seat::Command,
        Action::AddPlanPoint {
            incident: 0,
            point: point.clone(),
        },
    );
    assert!(added.contains("added"), "{added}");
    let now = s.now();
    let planned = state(&s)
        .tasks
        .iter()
        .filter(|t| t.incident == 0 && t.point_id == point && t.due >= now)
        .filter(|t| matches!(t.status, TaskStatus::Planned | TaskStatus::Open | TaskStatus::Assigned))
        .count();
    assert!(planned > 0, "{point} has samples due again");
}

#[test]
fn a_named_point_off_the_path_can_be_added_and_its_interval_changed() {
    let mut s = exercise(PolicyKind::Unified);
    s.advance_to(SimTime::from_hours(4)).unwrap();
    let plan = state(&s).plans[0].as_ref().unwrap();
    let other = plan
        .others
        .iter()
        .find(|p| p.point.is_some() && p.road_node.is_some())
        .unwrap()
        .id
        .clone();
    let unknown = act(
        &mut s,
        Seat::Command,
        Action::AddPlanPoint {
            incident: 0,
            point: "nowhere".into(),
        },
    );
    assert!(unknown.contains("not a point the plan can add"), "{unknown}");
    let outcome = act(
        &mut s,
        Seat::Command,
        Action::AddPlanPoint {
            incident: 0,
            point: other.clone(),
        },
    );
    assert!(outcome.contains("added"), "{outcome}");
    let now = s.now();
    let tasks_at = |s: &Session, id: &str| -> Vec<SimTime> {
        state(s)
            .tasks
            .iter()
            .filter(|t| t.incident == 0 && t.point_id == id)
            .filter(|t| matches!(t.status, TaskStatus::Planned | TaskStatus::Open | TaskStatus::Assigned))
            .map(|t| t.due)
            .collect()
    };
    let dues = tasks_at(&s, &other);
    assert_eq!(dues.first(), Some(&now), "the first sample is due at once");
    // Jinze: every 30 min while the plume passes instead of 60.
    let before = tasks_at(&s, "jinze_intake");
    let outcome = act(
        &mut s,
        Seat::Command,
        Action::SetPlanInterval {
            incident: 0,
            point: "jinze_intake".into(),
            every_min: 30,
        },
    );
    assert!(outcome.contains("every 30 min"), "{outcome}");
    let after = tasks_at(&s, "jinze_intake");
    assert!(
        after.len() > before.len(),
        "denser sampling: {} then {}",
        before.len(),
        after.len()
    );
    assert_eq!(after.first(), before.first(), "the next sample stays when it was due");
    let plan = state(&s).plans[0].as_ref().unwrap();
    let jinze = plan.points.iter().find(|p| p.id == "jinze_intake").unwrap();
    assert_eq!(jinze.dense_interval, SimDuration::from_minutes(30));
    let gaps: Vec<i64> = after.windows(2).map(|w| (w[1] - w[0]).seconds()).collect();
    assert!(gaps.contains(&1800), "{gaps:?}");
    let bad = act(
        &mut s,
        Seat::Command,
        Action::SetPlanInterval {
            incident: 0,
            point: "jinze_intake".into(),
            every_min: 1,
        },
    );
    assert!(bad.contains("expected 5 to 1440 min"), "{bad}");
}

#[test]
fn mutual_aid_asked_by_hand_lets_other_counties_take_the_point() {
    let mut s = exercise(PolicyKind::County);
    s.advance_to(SimTime::from_hours(3)).unwrap();
    let scenario = s.drill().scenario.clone();
    let qingpu = scenario.jurisdictions.iter().position(|j| j.id == "qingpu").unwrap();
    let wujiang = scenario.jurisdictions.iter().position(|j| j.id == "wujiang").unwrap();
    let wrong_seat = act(
        &mut s,
        Seat::Jurisdiction(wujiang),
        Action::RequestMutualAid {
            incident: 0,
            point: "jinze_intake".into(),
        },
    );
    assert!(wrong_seat.contains("asks for help there"), "{wrong_seat}");
    let outcome = act(
        &mut s,
        Seat::Jurisdiction(qingpu),
        Action::RequestMutualAid {
            incident: 0,
            point: "jinze_intake".into(),
        },
    );
    assert!(outcome.contains("teams from outside qingpu"), "{outcome}");
    let again = act(
        &mut s,
        Seat::Command,
        Action::RequestMutualAid {
            incident: 0,
            point: "jinze_intake".into(),
        },
    );
    assert!(again.contains("already asked"), "{again}");
    let asked_at = s.now();
    s.advance_to(asked_at + scenario.operations.mutual_aid_delay).unwrap();
    let st = state(&s);
    let at_jinze: Vec<_> = st
        .tasks
        .iter()
        .filter(|t| t.incident == 0 && t.point_id == "jinze_intake" && t.due >= asked_at)
        .filter(|t| matches!(t.status, TaskStatus::Planned | TaskStatus::Open))
        .collect();
    assert!(!at_jinze.is_empty());
    assert!(at_jinze.iter().all(|t| t.mutual_aid_granted), "granted after the delay");
    s.advance_to(SimTime::from_hours(24)).unwrap();
    let st = state(&s);
    let by_others = st
        .samples
        .iter()
        .filter(|x| x.point_id == "jinze_intake")
        .filter(|x| x.team.is_some_and(|t| scenario.teams[t].jurisdiction != qingpu))
        .count();
    assert!(by_others > 0, "a team from another county sampled the Jinze intake");
}

fn live_session() -> Session {
    let drill = Drill::live(
        two_incidents(),
        "two-incidents.toml",
        SimTime::from_hours(6),
        SimDuration::from_hours(48),
    );
    let mut s = session(drill, PolicyKind::Unified, vec![Seat::Command]);
    s.advance_to(SimTime::from_hours(6)).unwrap();
    s
}

fn declaration(mass_kg: f64) -> Declaration {
    Declaration {
        place: "wj_lili_dyeing_2".into(),
        pollutant: "antimony".into(),
        mass_kg,
        released_at: SimTime::from_hours(5),
    }
}

#[test]
fn a_live_session_has_no_incident_until_one_is_declared() {
    let mut s = live_session();
    assert!(s.drill().scenario.incidents.is_empty());
    assert!(state(&s).incidents.is_empty());
    let bad = [
        (
            Declaration {
                place: "atlantis".into(),
                ..declaration(100.0)
            },
            "place:",
        ),
        (
            Declaration {
                pollutant: "kryptonite".into(),
                ..declaration(100.0)
            },
            "pollutant:",
        ),
        (declaration(-3.0), "mass:"),
        (
            Declaration {
                released_at: SimTime::from_hours(9),
                ..declaration(100.0)
            },
            "released at:",
        ),
    ];
    for (d, field) in bad {
        let outcome = act(&mut s, Seat::Command, Action::DeclareIncident { declaration: d });
        assert!(outcome.starts_with(field), "{outcome}");
    }
    assert!(s.drill().scenario.incidents.is_empty(), "nothing declared by bad input");
    let outcome = act(
        &mut s,
        Seat::Command,
        Action::DeclareIncident {
            declaration: declaration(150.0),
        },
    );
    assert!(outcome.starts_with("L1 declared"), "{outcome}");
    assert_eq!(s.drill().scenario.incidents.len(), 1);
    s.advance_to(SimTime::from_hours(7)).unwrap();
    let plan = state(&s).plans[0].as_ref().expect("a plan after the preparation time");
    assert_eq!(plan.estimated_mass_kg, 150.0);
    assert!(plan.points.iter().any(|p| p.id == "jinze_intake"));
    // A team's sample waits for its result to be typed in: nothing is simulated.
    s.advance_to(SimTime::from_hours(10)).unwrap();
    let st = state(&s);
    assert!(!st.samples.is_empty(), "teams take samples");
    assert!(st.samples.iter().all(|x| !x.result_known), "no result until typed in");
    // Not in a drill.
    let mut drill = exercise(PolicyKind::Unified);
    let refused = act(
        &mut drill,
        Seat::Command,
        Action::DeclareIncident {
            declaration: declaration(1.0),
        },
    );
    assert!(refused.contains("only in a live session"), "{refused}");
}

#[test]
fn typed_results_three_times_the_forecast_triple_the_estimated_mass() {
    let mut s = live_session();
    act(
        &mut s,
        Seat::Command,
        Action::DeclareIncident {
            declaration: declaration(100.0),
        },
    );
    s.advance_to(SimTime::from_hours(7)).unwrap();
    let plan = state(&s).plans[0].clone().unwrap();
    // Results at two points where the forecast plume is established, three times it.
    let mut entered = Vec::new();
    for point in plan.points.iter().filter(|p| p.forecast_peak_mg_l > 0.0).take(2) {
        let (t, f) = point
            .forecast_series
            .iter()
            .copied()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap();
        entered.push((point.id.clone(), SimTime(t), 3.0 * f));
    }
    let latest = entered.iter().map(|e| e.1).max().unwrap();
    s.advance_to(latest.max(s.now())).unwrap();
    let early = act(
        &mut s,
        Seat::Command,
        Action::EnterResult {
            incident: 0,
            point: "jinze_intake".into(),
            taken_at: SimTime::from_hours(400),
            mg_l: 1.0,
            non_detect: None,
        },
    );
    assert!(early.starts_with("taken at:"), "{early}");
    let now = s.now();
    let negative = act(
        &mut s,
        Seat::Command,
        Action::EnterResult {
            incident: 0,
            point: "jinze_intake".into(),
            taken_at: now,
            mg_l: -1.0,
            non_detect: None,
        },
    );
    assert!(negative.starts_with("value:"), "{negative}");
    let outcomes: Vec<String> = entered
        .iter()
        .map(|(point, t, mg_l)| {
            act(
                &mut s,
                Seat::Command,
                Action::EnterResult {
                    incident: 0,
                    point: point.clone(),
                    taken_at: *t,
                    mg_l: *mg_l,
                    non_detect: None,
                },
            )
        })
        .collect();
    assert!(
        outcomes[0].contains("revised 100 → 300 kg (least-squares ×3.00 over 1 results)"),
        "{outcomes:?}"
    );
    assert!(
        outcomes[1].contains("the results fit the estimate (scale 1.00 over 2)"),
        "{outcomes:?}"
    );
    let revised = state(&s).plans[0].as_ref().unwrap();
    assert!((revised.estimated_mass_kg - 300.0).abs() < 1e-6);
    assert!(revised.revision > plan.revision);
    assert!(revised.approved.is_none(), "a revision from results is proposed");
    assert_eq!(state(&s).samples.iter().filter(|x| x.result_known).count(), 2);
    // The person's own estimate: the plan follows it.
    let outcome = act(
        &mut s,
        Seat::Command,
        Action::ReviseIncident {
            incident: 0,
            declaration: declaration(500.0),
        },
    );
    assert!(outcome.contains("from 500 kg"), "{outcome}");
    assert_eq!(state(&s).plans[0].as_ref().unwrap().estimated_mass_kg, 500.0);
}

#[test]
fn the_least_squares_scale_is_exact_for_proportional_results() {
    assert_eq!(least_squares_scale(&[]), None);
    let pairs = [(0.001, 0.002), (0.004, 0.008), (0.0005, 0.001)];
    assert!((least_squares_scale(&pairs).unwrap() - 2.0).abs() < 1e-12);
    // Noisy results: the scale minimises the squared residuals.
    let noisy = [(1.0, 2.2), (2.0, 3.8)];
    let k = least_squares_scale(&noisy).unwrap();
    assert!((k - (2.2 + 7.6) / 5.0).abs() < 1e-12);
}

#[test]
fn a_plan_edit_is_the_same_action_whoever_asks_and_every_one_is_logged() {
    use tripoint_sim::response::edit::{EditRequest, Editor};
    let requests = [
        EditRequest::Add { point: "p".into() },
        EditRequest::Remove { point: "p".into() },
        EditRequest::Interval {
            point: "p".into(),
            every_min: 30,
        },
        EditRequest::MutualAid { point: "p".into() },
        EditRequest::Approve { revision: None },
        EditRequest::Approve { revision: Some(2) },
    ];
    for request in &requests {
        for by in [Editor::Command, Editor::Jurisdiction(1)] {
            let (seat, action) = Action::of_plan_edit(by, 1, request);
            assert_eq!(action.plan_edit(), Some((1, request.clone())));
            let expected = match by {
                Editor::Command => Seat::Command,
                Editor::Jurisdiction(j) => Seat::Jurisdiction(j),
            };
            assert_eq!(seat, expected);
        }
    }
    // Approving "the current revision" approves whichever is current; a county may not.
    let mut s = exercise(PolicyKind::Unified);
    s.advance_to(SimTime::from_hours(3)).unwrap();
    let approve = Action::ApprovePlan {
        incident: 0,
        revision: None,
    };
    let by_county = act(&mut s, Seat::Jurisdiction(0), approve.clone());
    assert!(by_county.contains("only the joint command approves"), "{by_county}");
    let ok = act(&mut s, Seat::Command, approve);
    assert!(ok.contains("approved"), "{ok}");
    let log = &state(&s).edit_log;
    let verdicts: Vec<bool> = log.iter().map(|r| r.applied).collect();
    assert_eq!(verdicts, vec![false, true], "{log:#?}");
    assert_eq!(log[0].by, Editor::Jurisdiction(0));
}

/// Who may declare: the joint command anywhere, a county in its own water (Lili's dyeing
/// plant is Wujiang's), for the server's seats (the permissions) and the console's person
/// alike; a county revises its own incidents only, and never moves one to a neighbour.
#[test]
fn a_county_declares_and_revises_incidents_in_its_own_water_only() {
    use tripoint_sim::drill::permissions::Request;
    let mut s = live_session();
    let scenario = s.drill().scenario.clone();
    let county = |id: &str| Seat::Jurisdiction(scenario.jurisdictions.iter().position(|j| j.id == id).unwrap());
    let (wujiang, qingpu) = (county("wujiang"), county("qingpu"));
    let declare = Action::DeclareIncident {
        declaration: declaration(100.0),
    };
    let mut id = 0;
    let mut served = |s: &mut Session, seat: Seat, action: Action| {
        id += 1;
        let request = Request { by: "seat".into(), id };
        s.submit_action(seat, action, Some(request)).unwrap();
        s.advance_to(s.now()).unwrap();
        let log = s.world().resource::<DrillLog>();
        log.requests.last().expect("the request is recorded").result.clone()
    };
    let refused = served(&mut s, qingpu, declare.clone());
    assert_eq!(
        refused,
        Err(
            "wj_lili_dyeing_2 is in wujiang: qingpu declares incidents in its own water, the joint command anywhere"
                .to_string()
        )
    );
    // The console's person in Qingpu's seat is refused the same.
    let outcome = act(&mut s, qingpu, declare.clone());
    assert!(
        outcome.contains("qingpu declares incidents in its own water"),
        "{outcome}"
    );
    assert!(s.drill().scenario.incidents.is_empty());
    let applied = served(&mut s, wujiang, declare);
    assert!(
        applied.as_ref().is_ok_and(|d| d.starts_with("L1 declared")),
        "{applied:?}"
    );
    // Qingpu may not revise it; Wujiang may, in its own water, not into Qingpu's.
    let revise = |place: &str| Action::ReviseIncident {
        incident: 0,
        declaration: Declaration {
            place: place.into(),
            ..declaration(200.0)
        },
    };
    let refused = served(&mut s, qingpu, revise("wj_lili_dyeing_2"));
    assert!(
        refused
            .as_ref()
            .is_err_and(|r| r.contains("qingpu revises its own incidents")),
        "{refused:?}"
    );
    let qingpu_source = scenario
        .risk_sources
        .iter()
        .find(|r| r.jurisdiction == scenario.jurisdictions.iter().position(|j| j.id == "qingpu").unwrap())
        .expect("a Qingpu risk source")
        .id
        .clone();
    let refused = served(&mut s, wujiang, revise(&qingpu_source));
    assert!(
        refused.as_ref().is_err_and(|r| r.contains("is in qingpu")),
        "{refused:?}"
    );
    let applied = served(&mut s, wujiang, revise("wj_lili_dyeing_2"));
    assert!(
        applied.as_ref().is_ok_and(|d| d.starts_with("L1 revised")),
        "{applied:?}"
    );
    assert_eq!(s.drill().scenario.incidents[0].mass_kg, 200.0);
}

/// A typed-in result or a revised mass goes into the journal as JSON and comes back from it
/// in a replay: the float read back must be the float written, to the last bit, or the
/// replay drifts (the value 0.09689788228990857, from a bot's full-precision result, once
/// came back as …856).
#[test]
fn action_floats_come_back_from_the_journal_bit_for_bit() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
    let mut values = vec![
        0.096_897_882_289_908_57,
        1e-300,
        5e-324,
        f64::MAX,
        0.1 + 0.2,
        123_456.789_012_345_68,
    ];
    for _ in 0..20_000 {
        let mantissa: f64 = rng.random();
        values.push(mantissa * 10f64.powi(rng.random_range(-12..12)));
    }
    for mg_l in values {
        let action = tripoint_sim::drill::Action::EnterResult {
            incident: 0,
            point: "jinze_intake".into(),
            taken_at: tripoint_sim::time::SimTime(3600),
            mg_l,
            non_detect: None,
        };
        let text = serde_json::to_string(&action).unwrap();
        let back: tripoint_sim::drill::Action = serde_json::from_str(&text).unwrap();
        let tripoint_sim::drill::Action::EnterResult { mg_l: read, .. } = back else {
            panic!("{text}")
        };
        assert_eq!(read.to_bits(), mg_l.to_bits(), "{text}");
    }
}

/// A live session driven by `steps` (the time to run to, then the command's action), each
/// action read back from its JSON as a journal's replay reads it.
fn live_run(steps: &[(SimTime, Action)]) -> (Session, Vec<String>) {
    let mut s = live_session();
    let mut outcomes = Vec::new();
    for (at, action) in steps {
        s.advance_to(*at).unwrap();
        let text = serde_json::to_string(action).unwrap();
        let read: Action = serde_json::from_str(&text).unwrap();
        assert_eq!(&read, action, "{text}");
        outcomes.push(act(&mut s, Seat::Command, read));
    }
    (s, outcomes)
}

#[test]
fn a_non_detect_typed_in_is_kept_at_its_limit_weighed_censored_and_replayed() {
    use tripoint_sim::response::edit::NonDetect;
    let at = SimTime::from_hours(7);
    let non_detect = |point: &str, limit: Option<f64>, mg_l: f64| Action::EnterResult {
        incident: 0,
        point: point.into(),
        taken_at: at,
        mg_l,
        non_detect: Some(NonDetect {
            detection_limit_mg_l: limit,
        }),
    };
    let steps = vec![
        (
            SimTime::from_hours(6),
            Action::DeclareIncident {
                declaration: declaration(100.0),
            },
        ),
        (at, non_detect("jinze_intake", Some(0.0004), 0.0)),
        (at, non_detect("pingwang_bridge", None, 0.0)),
        // Refused: a non-detect with a value, a limit of zero.
        (at, non_detect("jinze_intake", Some(0.0004), 0.2)),
        (at, non_detect("jinze_intake", Some(0.0), 0.0)),
    ];
    let (s, outcomes) = live_run(&steps);
    assert!(
        outcomes[1].starts_with("not detected (below 0.0004 mg/L) at jinze_intake taken D1 07:00"),
        "{outcomes:?}"
    );
    assert!(outcomes[3].starts_with("value:"), "{outcomes:?}");
    assert!(outcomes[4].starts_with("detection limit:"), "{outcomes:?}");
    let known: Vec<_> = state(&s).samples.iter().filter(|x| x.result_known).collect();
    assert_eq!(known.len(), 2, "the two refused are not recorded");
    let jinze = known.iter().find(|x| x.point_id == "jinze_intake").unwrap();
    assert_eq!(jinze.reported_mg_l, 0.0);
    assert_eq!(jinze.detection_limit_mg_l, 0.0004);
    assert!(jinze.conclusive, "0.0004 mg/L is below antimony's 0.005 mg/L limit");
    assert!(!jinze.over_limit);
    // Without a limit typed: the plan method's (or the pollutant's), never zero.
    let pingwang = known.iter().find(|x| x.point_id == "pingwang_bridge").unwrap();
    assert_eq!(pingwang.reported_mg_l, 0.0);
    assert!(pingwang.detection_limit_mg_l > 0.0);
    // The source estimate weighs them as non-detects at those limits (censored).
    let inputs = tripoint_sim::drill::source::estimate_inputs(&s);
    let observed: Vec<_> = inputs[0]
        .observations
        .iter()
        .filter(|o| o.label == "jinze_intake" || o.label == "pingwang_bridge")
        .collect();
    assert_eq!(observed.len(), 2, "{observed:?}");
    assert!(observed.iter().all(|o| o.value_mg_l.is_none()));
    assert!(
        observed
            .iter()
            .any(|o| o.label == "jinze_intake" && o.detection_limit_mg_l == 0.0004)
    );
    // The journal replays to the same bytes.
    let (again, _) = live_run(&steps);
    assert_eq!(again.journal(), s.journal());
    assert!(
        s.journal()
            .iter()
            .any(|l| l.contains("\"non_detect_below_mg_l\":0.0004"))
    );
}
