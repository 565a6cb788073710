//! The timeline's events in both languages: English from `report.ftl` is the simulation's
//! `what`, byte for byte, for every kind of action, disruption and outcome; Chinese has
//! no English phrase left where the scenario and the script give Chinese names.

use super::*;
use crate::i18n::english_phrases;
use std::sync::Arc;
use tripoint_sim::drill::engine::DrillLog;
use tripoint_sim::drill::evaluate::{action_event, action_text, disruption_event, disruption_text, timeline_of};
use tripoint_sim::drill::{Action, DisruptionKind, DrillConfig, Session};
use tripoint_sim::response::ResponseState;
use tripoint_sim::response::dispatch::PolicyKind;
use tripoint_sim::response::edit::Declaration;

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
            reason: "vehicle breakdown".into(),
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
