//! The timeline's events in both languages: English from `report.ftl` is the simulation's
//! `what`, byte for byte, for every kind of action, disruption and outcome; Chinese has
//! no English phrase left where the scenario and the script give Chinese names.

use super::*;
use crate::i18n::english_phrases;
use std::sync::Arc;
use tripoint_sim::drill::Seat;
use tripoint_sim::drill::engine::DrillLog;
use tripoint_sim::drill::evaluate::{action_event, action_text, disruption_event, disruption_text, timeline_of};
use tripoint_sim::drill::{Action, DisruptionKind, DrillConfig, OutOfService, Session};
use tripoint_sim::response::ResponseState;
use tripoint_sim::response::dispatch::PolicyKind;
use tripoint_sim::response::edit::{Declaration, NonDetect};
use tripoint_sim::time::SimDuration;

fn drill() -> Arc<Drill> {
    Arc::new(crate::commands::drill::load_drill("two-incidents").expect("shipped drill"))
}

/// One action of every kind, naming what the two-incident exercise has.
fn every_action(drill: &Drill) -> Vec<Action> {
    let s = &drill.scenario;
    let point = |id: &str| s.points.iter().position(|p| p.id == id).expect("point");
    let declaration = Declaration {
        place: "js_fenyu_bridge".into(),
        pollutant: "aniline".into(),
        mass_kg: 2500.0,
        released_at: SimTime(3 * 3600 + 30 * 60),
    };
    vec![
        Action::Acknowledge { inject: 0 },
        Action::Notify { to: 0, incident: None },
        Action::Notify {
            to: 1,
            incident: Some(1),
        },
        Action::RequestSample {
            point: point("border_jinze"),
        },
        Action::MediaStatement,
        Action::IntakeAdvice {
            point: point("jinze_intake"),
            close: true,
            incident: Some(1),
        },
        Action::IntakeAdvice {
            point: point("jinze_intake"),
            close: false,
            incident: None,
        },
        Action::ReleaseInject { inject: 1 },
        Action::Dispatch {
            team: 0,
            point: point("jinze_intake"),
        },
        Action::SetPolicy {
            policy: PolicyKind::PooledDue,
        },
        Action::SetPolicy {
            policy: PolicyKind::Unified,
        },
        Action::ApprovePlan {
            incident: 0,
            revision: Some(2),
        },
        Action::ApprovePlan {
            incident: 1,
            revision: None,
        },
        Action::AddPlanPoint {
            incident: 0,
            point: "border_jinze".into(),
        },
        Action::RemovePlanPoint {
            incident: 0,
            point: "border_jinze".into(),
        },
        Action::SetPlanInterval {
            incident: 1,
            point: "jinze_intake".into(),
            every_min: 30,
        },
        Action::RequestMutualAid {
            incident: 1,
            point: "jinze_intake".into(),
        },
        Action::DeclareIncident {
            declaration: declaration.clone(),
        },
        Action::ReviseIncident {
            incident: 1,
            declaration,
        },
        Action::EnterResult {
            incident: 1,
            point: "jinze_intake".into(),
            taken_at: SimTime(5 * 3600),
            mg_l: 0.25,
            non_detect: None,
        },
    ]
}

#[test]
fn every_action_s_english_is_the_simulation_s_text_and_its_chinese_has_no_english() {
    let drill = drill();
    let actions = every_action(&drill);
    for action in &actions {
        let event = action_event(&drill.scenario, &drill, action);
        assert_eq!(
            text(Lang::En, &drill, &event),
            action_text(&drill.scenario, &drill, action),
            "{action:?}"
        );
        let zh = text(Lang::ZhCn, &drill, &event);
        assert!(english_phrases(&zh).is_empty(), "{action:?}: {zh}");
    }
    // An evaluator's observation is free text: it shows as written.
    let observe = Action::Observe {
        text: "the courier waited at the bridge".into(),
        target: Some("qingpu".into()),
    };
    let event = action_event(&drill.scenario, &drill, &observe);
    assert_eq!(
        text(Lang::En, &drill, &event),
        action_text(&drill.scenario, &drill, &observe)
    );
    assert_eq!(
        text(Lang::ZhCn, &drill, &event),
        "评估记录（qingpu）：the courier waited at the bridge"
    );
}

#[test]
fn every_disruption_s_english_is_the_simulation_s_text() {
    let drill = drill();
    let s = &drill.scenario;
    let bridge = s
        .roads
        .iter()
        .position(|r| !r.name_zh.is_empty())
        .expect("a road with a Chinese name");
    let kinds = [
        DisruptionKind::TeamOutOfService {
            team: 0,
            reason: OutOfService::Breakdown,
        },
        DisruptionKind::RoadClosed { road: bridge },
        DisruptionKind::StationFailure { point: 0 },
        DisruptionKind::KitFailure {
            team: 1,
            instrument: "aniline_kit".into(),
        },
        DisruptionKind::FlowChange { regime: 0 },
    ];
    for kind in &kinds {
        let event = disruption_event(s, kind);
        assert_eq!(text(Lang::En, &drill, &event), disruption_text(s, kind), "{kind:?}");
    }
    let road = text(Lang::ZhCn, &drill, &disruption_event(s, &kinds[1]));
    assert!(road.starts_with("道路封闭：汾玉太浦河大桥"), "{road}");
    assert!(english_phrases(&road).is_empty(), "{road}");
}

#[test]
fn a_run_s_timeline_renders_as_its_english_and_in_chinese_without_english() {
    let drill = drill();
    let config = DrillConfig {
        policy: PolicyKind::Unified,
        seed: 0,
        journal: false,
        human_seats: Vec::new(),
    };
    let mut session = Session::new(drill.clone(), &config).expect("session");
    session.advance_to(drill.start + drill.duration).expect("runs");
    let world = session.world();
    let timeline = timeline_of(&drill, world.resource::<ResponseState>(), world.resource::<DrillLog>());
    assert!(timeline.len() > 30, "{} entries", timeline.len());
    let w = Words {
        lang: Lang::ZhCn,
        drill: &drill,
    };
    for entry in &timeline {
        let event = entry.event.as_ref().expect("every entry has its event as data");
        assert_eq!(text(Lang::En, &drill, event), entry.what);
        let zh = timeline_event(&w, entry);
        assert!(english_phrases(&zh).is_empty(), "{}: {zh}", entry.what);
    }
    // The outcomes the engine gives as data: a task and an approval.
    let outcomes: Vec<&str> = timeline
        .iter()
        .filter_map(|e| e.event.as_ref()?.find("tl-outcome"))
        .filter_map(|t| match t.arg("outcome") {
            Some(Arg::Text(inner)) => Some(inner.id),
            _ => None,
        })
        .collect();
    assert!(outcomes.contains(&"tl-outcome-task"), "{outcomes:?}");
    assert!(outcomes.contains(&"tl-outcome-approved"), "{outcomes:?}");
}

/// A seat acts now, and the session handles it.
fn act(session: &mut Session, seat: Seat, action: Action) {
    session.submit(seat, action).expect("submitted");
    let now = session.now();
    session.advance_to(now).expect("handled");
}

/// Every outcome of a plan edit and a live session's action — applied or refused, from
/// `response/edit.rs` and the engine — is given as data beside its English, renders in
/// English as that English, byte for byte, and in Chinese without English (but for a
/// place the scenario cannot read: that problem is the scenario's English).
#[test]
fn every_edit_and_live_outcome_renders_as_its_english_and_in_chinese() {
    let scenario = (*drill().scenario).clone();
    let start = SimTime(6 * 3600);
    let live = Arc::new(Drill::live(scenario, "outcomes", start, SimDuration::from_hours(12)));
    let config = DrillConfig {
        policy: PolicyKind::County,
        seed: 0,
        journal: false,
        human_seats: vec![Seat::Command],
    };
    let mut session = Session::new(live.clone(), &config).expect("session");
    session.advance_to(start).expect("runs");
    let declaration = |place: &str, pollutant: &str, mass_kg: f64, released_at: SimTime| Declaration {
        place: place.into(),
        pollutant: pollutant.into(),
        mass_kg,
        released_at,
    };
    let at = SimTime(start.0 - 30 * 60);
    let command = Seat::Command;
    for bad in [
        declaration("", "aniline", 2500.0, at),
        declaration("nowhere", "aniline", 2500.0, at),
        declaration("js_fenyu_bridge", "mercury_vapour", 2500.0, at),
        declaration("js_fenyu_bridge", "aniline", -1.0, at),
        declaration("js_fenyu_bridge", "aniline", 2500.0, start + SimDuration::from_hours(1)),
    ] {
        act(&mut session, command, Action::DeclareIncident { declaration: bad });
    }
    let good = declaration("js_fenyu_bridge", "aniline", 2500.0, at);
    act(
        &mut session,
        command,
        Action::DeclareIncident {
            declaration: good.clone(),
        },
    );
    let approve = |revision| Action::ApprovePlan { incident: 0, revision };
    act(&mut session, command, approve(None));
    act(
        &mut session,
        command,
        Action::ReviseIncident {
            incident: 0,
            declaration: good.clone(),
        },
    );
    // An incident that does not exist is refused before the engine (the index check of
    // `drill::permissions`): nothing comes of it.
    act(
        &mut session,
        command,
        Action::ReviseIncident {
            incident: 7,
            declaration: good.clone(),
        },
    );
    session.advance_to(start + SimDuration::from_hours(2)).expect("runs");
    let (points, others) = {
        let plan = session.world().resource::<ResponseState>().plans[0]
            .clone()
            .expect("a plan by now");
        let points: Vec<String> = plan.points.iter().map(|p| p.id.clone()).collect();
        let others: Vec<String> = plan.others.iter().map(|p| p.id.clone()).collect();
        (points, others)
    };
    let (first, last) = (points[0].clone(), points[points.len() - 1].clone());
    let other = others.first().cloned().expect("a point the plan can add");
    act(&mut session, command, approve(Some(99)));
    act(&mut session, command, approve(None));
    act(&mut session, command, approve(None));
    for action in [
        Action::AddPlanPoint {
            incident: 0,
            point: first.clone(),
        },
        Action::AddPlanPoint {
            incident: 0,
            point: "nowhere".into(),
        },
        Action::AddPlanPoint {
            incident: 0,
            point: other.clone(),
        },
        Action::RemovePlanPoint {
            incident: 0,
            point: other.clone(),
        },
        Action::RemovePlanPoint {
            incident: 0,
            point: other.clone(),
        },
        Action::SetPlanInterval {
            incident: 0,
            point: last.clone(),
            every_min: 1,
        },
        Action::SetPlanInterval {
            incident: 0,
            point: last.clone(),
            every_min: 30,
        },
        Action::RequestMutualAid {
            incident: 0,
            point: last.clone(),
        },
        Action::RequestMutualAid {
            incident: 0,
            point: last.clone(),
        },
        Action::EnterResult {
            incident: 0,
            point: last.clone(),
            taken_at: start + SimDuration::from_minutes(90),
            mg_l: 0.25,
            non_detect: None,
        },
        Action::EnterResult {
            incident: 0,
            point: first.clone(),
            taken_at: start + SimDuration::from_minutes(90),
            mg_l: 0.0,
            non_detect: Some(NonDetect {
                detection_limit_mg_l: Some(0.005),
            }),
        },
        Action::EnterResult {
            incident: 0,
            point: "nowhere".into(),
            taken_at: start,
            mg_l: 0.1,
            non_detect: None,
        },
        Action::EnterResult {
            incident: 0,
            point: last.clone(),
            taken_at: start + SimDuration::from_hours(9),
            mg_l: 0.1,
            non_detect: None,
        },
        Action::EnterResult {
            incident: 0,
            point: last.clone(),
            taken_at: start,
            mg_l: -1.0,
            non_detect: None,
        },
        Action::EnterResult {
            incident: 0,
            point: last.clone(),
            taken_at: start,
            mg_l: 0.1,
            non_detect: Some(NonDetect {
                detection_limit_mg_l: None,
            }),
        },
        Action::ReviseIncident {
            incident: 0,
            declaration: good.clone(),
        },
    ] {
        act(&mut session, command, action);
    }
    // Refusals the engine words itself.
    act(
        &mut session,
        Seat::Controller,
        Action::RemovePlanPoint {
            incident: 0,
            point: last.clone(),
        },
    );
    act(
        &mut session,
        Seat::Evaluator,
        Action::SetPolicy {
            policy: PolicyKind::Unified,
        },
    );
    act(
        &mut session,
        Seat::Observer,
        Action::Observe {
            text: "x".into(),
            target: None,
        },
    );
    act(
        &mut session,
        Seat::Controller,
        Action::EnterResult {
            incident: 0,
            point: last.clone(),
            taken_at: start,
            mg_l: 0.1,
            non_detect: None,
        },
    );
    let log = session.world().resource::<DrillLog>();
    let mut ids = std::collections::BTreeSet::new();
    for record in log.actions.iter().filter(|a| !a.outcome.is_empty()) {
        let event = record
            .outcome_event
            .as_ref()
            .unwrap_or_else(|| panic!("{:?}: no data", record.outcome));
        assert_eq!(text(Lang::En, &live, event), record.outcome, "{}", event.id);
        let zh = text(Lang::ZhCn, &live, event);
        assert!(english_phrases(&zh).is_empty(), "{}: {zh}", record.outcome);
        ids.extend(event.ids());
    }
    for id in [
        "tl-live-place-empty",
        "tl-live-place",
        "tl-live-no-pollutant",
        "tl-live-mass-range",
        "tl-live-released-later",
        "tl-live-declared",
        "tl-edit-no-plan-yet",
        "tl-live-revised-before-plan",
        "tl-edit-not-current",
        "tl-outcome-approved",
        "tl-edit-already-approved",
        "tl-edit-already-in-plan",
        "tl-edit-cannot-add",
        "tl-edit-added",
        "tl-edit-removed",
        "tl-edit-not-in-plan",
        "tl-edit-interval-range",
        "tl-edit-interval",
        "tl-edit-aid",
        "tl-edit-aid-already",
        "tl-live-result",
        "tl-live-value",
        "tl-live-not-detected",
        "tl-live-unknown-point",
        "tl-live-taken-range",
        "tl-live-value-range",
        "tl-live-value-with-non-detect",
        "tl-live-revised",
        "tl-refused-edit",
        "tl-refused-policy",
        "tl-refused-observe",
        "tl-refused-enter-result",
    ] {
        assert!(ids.contains(id), "no outcome {id}: {ids:?}");
    }
}

/// Every refusal of the seats' permissions (`drill::permissions`) as the exercise server
/// gives it: the English messages render it as the library's English, byte for byte (the
/// journal and English seats keep it), and Chinese has no English phrase left.
#[test]
fn every_permission_refusal_renders_as_its_english_and_in_chinese() {
    use tripoint_sim::drill::permissions::{declaration_may, revision_may};
    use tripoint_sim::drill::{OBSERVATION_CHARS_MAX, OBSERVATION_TARGET_CHARS_MAX};
    let drill = drill();
    let config = DrillConfig {
        policy: PolicyKind::Unified,
        seed: 0,
        journal: false,
        human_seats: vec![Seat::Command],
    };
    let mut session = Session::new(drill.clone(), &config).expect("session");
    session.advance_to(SimTime(6 * 3600)).expect("runs");
    let mut actions = every_action(&drill);
    let n = |len: usize| len + 7;
    actions.extend([
        Action::Acknowledge { inject: 9999 },
        Action::Notify {
            to: n(drill.scenario.jurisdictions.len()),
            incident: None,
        },
        Action::Notify {
            to: 0,
            incident: Some(n(drill.scenario.incidents.len())),
        },
        Action::RequestSample { point: 9999 },
        Action::Dispatch { team: 9999, point: 0 },
        Action::ApprovePlan {
            incident: 99,
            revision: None,
        },
        Action::RequestMutualAid {
            incident: 0,
            point: "no_such_point".into(),
        },
        Action::Observe {
            text: " ".into(),
            target: None,
        },
        Action::Observe {
            text: "x".repeat(OBSERVATION_CHARS_MAX + 1),
            target: None,
        },
        Action::Observe {
            text: "x".into(),
            target: Some("y".repeat(OBSERVATION_TARGET_CHARS_MAX + 1)),
        },
    ]);
    let mut seats = vec![
        Seat::Evaluator,
        Seat::Observer,
        Seat::Controller,
        Seat::Command,
        Seat::Jurisdiction(99),
    ];
    seats.extend((0..drill.scenario.jurisdictions.len()).map(Seat::Jurisdiction));
    let mut refusals = Vec::new();
    for &seat in &seats {
        for action in &actions {
            if let Err(said) = session.permits(seat, action) {
                refusals.push((format!("{seat:?} {action:?}"), said));
            }
        }
    }
    let s = &drill.scenario;
    let place = "js_fenyu_bridge";
    for (what, result) in [
        ("controller revises", revision_may(s, Seat::Controller, "x", 0, place)),
        (
            "revision elsewhere",
            revision_may(s, Seat::Jurisdiction(0), "x", 99, place),
        ),
        (
            "no jurisdiction",
            revision_may(s, Seat::Jurisdiction(99), "x", 0, place),
        ),
        ("a neighbour's", revision_may(s, Seat::Jurisdiction(0), "x", 1, place)),
        (
            "no jurisdiction declares",
            declaration_may(s, Seat::Jurisdiction(99), &Action::MediaStatement),
        ),
    ] {
        refusals.push((what.to_string(), result.expect_err(what)));
    }
    let mut ids = std::collections::BTreeSet::new();
    for (what, said) in &refusals {
        assert_eq!(text(Lang::En, &drill, &said.text), said.english, "{what}");
        let zh = text(Lang::ZhCn, &drill, &said.text);
        assert!(english_phrases(&zh).is_empty(), "{what}: {zh}");
        assert!(!zh.contains('{'), "{what}: an argument missing in {zh}");
        ids.extend(said.text.ids());
    }
    let en = Lang::En.files().iter().map(|(_, text)| *text).collect::<String>();
    let perm_ids: Vec<&str> = en
        .lines()
        .filter_map(|l| l.split_once(" =").map(|(id, _)| id))
        .filter(|id| id.starts_with("perm-") && !id.starts_with("perm-list-"))
        .collect();
    assert!(perm_ids.len() >= 18, "{perm_ids:?}");
    for id in perm_ids {
        assert!(ids.contains(id), "no refusal {id} reached: {ids:?}");
    }
}
