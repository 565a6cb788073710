//! `tripoint serve --live`: a live incident served to seats over real sockets. Wujiang's
//! seat declares an incident in its own water (Qingpu's declaring it there is refused),
//! the seat of the county that samples a plan point types in its result, three times
//! the plan's forecast, and the plan is revised to three times the mass; a county may
//! not type in a result at another county's point. The server is killed (SIGKILL) and
//! resumed from its journal: the incident, its revised plan and the result are back, the
//! clock runs again by itself, the database holds one live run, and the journal replays
//! identically.

mod support;

use std::sync::Arc;
use support::{Server, TIMEOUT, add_seats, replay, runtime, scratch};
use tripoint_sim::drill::{Action, Drill, DrillConfig, Seat, Session};
use tripoint_sim::response::ResponseState;
use tripoint_sim::response::dispatch::PolicyKind;
use tripoint_sim::response::edit::{Declaration, NonDetect};
use tripoint_sim::scenario::Scenario;
use tripoint_sim::time::{SimDuration, SimTime};
use tripoint_tui::net::client::Client;
use tripoint_tui::net::{AckStatus, Control};

/// The live clock starts at 06:00 (`--clock`).
const START_S: i64 = 6 * 3600;

fn declaration() -> Declaration {
    Declaration {
        place: "wj_lili_dyeing_2".into(),
        pollutant: "antimony".into(),
        mass_kg: 100.0,
        released_at: SimTime::from_hours(5),
    }
}

/// Where and when the plan of the declared incident forecasts its highest concentration
/// at a point another county samples (or, failing one, any point), from the same live
/// session run here: (point, owner county, time, forecast mg/L).
fn forecast_peak() -> (String, String, SimTime, f64) {
    let scenario = Scenario::builtin_named("demo-zone.toml").expect("the built-in zone");
    let drill = Drill::live(
        scenario,
        "demo-zone.toml",
        SimTime(START_S),
        SimDuration::from_hours(72),
    );
    let config = DrillConfig {
        policy: PolicyKind::Unified,
        seed: 0,
        journal: false,
        human_seats: vec![Seat::Command],
    };
    let mut session = Session::new(Arc::new(drill), &config).unwrap();
    session.advance_to(SimTime(START_S)).unwrap();
    session
        .submit(
            Seat::Command,
            Action::DeclareIncident {
                declaration: declaration(),
            },
        )
        .unwrap();
    session.advance_to(SimTime(START_S + 3600)).unwrap();
    let state = session.world().resource::<ResponseState>();
    let plan = state.plans[0].as_ref().expect("a plan an hour after the declaration");
    let jurisdictions = &session.drill().scenario.jurisdictions;
    let peak_of = |p: &tripoint_sim::plan::PlanPoint| {
        p.forecast_series
            .iter()
            .copied()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(t, f)| (p.id.clone(), jurisdictions[p.jurisdiction].id.clone(), SimTime(t), f))
    };
    let established = plan.points.iter().filter(|p| p.forecast_peak_mg_l > 0.0);
    let mut candidates: Vec<_> = established.filter_map(peak_of).collect();
    candidates.sort_by_key(|c| (c.1 == "wujiang", c.2));
    candidates.into_iter().next().expect("a point the plume reaches")
}

async fn seat(addr: &str, tokens: &std::collections::BTreeMap<String, String>, name: &str) -> Client {
    Client::connect(addr, name, &tokens[name]).await.unwrap()
}

#[test]
fn a_live_incident_is_declared_fitted_to_a_typed_result_and_survives_a_kill() {
    let (point, owner, peak_at, forecast_mg_l) = forecast_peak();
    let dir = scratch("serve-live");
    let tokens = add_seats(
        &dir,
        &[
            ("ctl", "controller"),
            ("cmd", "command"),
            ("qingpu", "jurisdiction:qingpu"),
            ("wujiang", "jurisdiction:wujiang"),
            ("jiashan", "jurisdiction:jiashan"),
        ],
    );
    // The seat that types in the result: the county that samples the point, else the
    // joint command.
    let entering = if owner == "wujiang" {
        "cmd".to_string()
    } else {
        owner.clone()
    };
    let other = ["qingpu", "jiashan", "wujiang"]
        .into_iter()
        .find(|j| *j != owner)
        .unwrap();
    let server = Server::start(&dir, &["--live", "--clock", "06:00"]);
    let rt = runtime();
    let (revision, mass_kg) = rt.block_on(async {
        let mut clients = std::collections::BTreeMap::new();
        for name in tokens.keys() {
            clients.insert(name.clone(), seat(&server.addr, &tokens, name).await);
        }
        let mut take = |name: &str| clients.remove(name).unwrap();
        let (mut ctl, mut cmd, mut qingpu, mut wujiang) = (take("ctl"), take("cmd"), take("qingpu"), take("wujiang"));
        assert_eq!(ctl.view()["live"], true, "{:?}", ctl.view()["live"]);
        assert_eq!(ctl.view()["clock"]["paused"], false, "a live clock runs from the start");
        assert_eq!(ctl.view()["clock"]["speed"], "real_time", "at wall-clock speed");
        // Qingpu may not declare an incident in Wujiang's water.
        let refused = qingpu
            .act(Action::DeclareIncident {
                declaration: declaration(),
            })
            .await
            .unwrap();
        assert_eq!(refused.status, AckStatus::Refused, "{refused:?}");
        assert!(
            refused.detail.contains("qingpu declares incidents in its own water"),
            "{}",
            refused.detail
        );
        let declared = wujiang
            .act(Action::DeclareIncident {
                declaration: declaration(),
            })
            .await
            .unwrap();
        assert_eq!(declared.status, AckStatus::Applied, "{declared:?}");
        assert!(declared.detail.starts_with("L1 declared"), "{}", declared.detail);
        // The controller runs the clock past the forecast peak at the point.
        let at_s = peak_at.seconds().max(START_S + 3600) + 60;
        let ack = ctl.control(Control::PauseAt(at_s)).await.unwrap();
        assert_eq!(ack.status, AckStatus::Applied, "{}", ack.detail);
        ctl.control(Control::Speed(tripoint_sim::drill::clock::Speed::Fastest))
            .await
            .unwrap();
        cmd.wait_for(TIMEOUT, |view| view["now"] == at_s && view["plans"][0].is_object())
            .await
            .unwrap();
        let before = cmd.snapshot().unwrap().plans[0].clone();
        assert_eq!(before.estimated_mass_kg, 100.0);
        // Another county may not type in a result at this point.
        let result = Action::EnterResult {
            incident: 0,
            point: point.clone(),
            taken_at: peak_at,
            mg_l: 3.0 * forecast_mg_l,
            non_detect: None,
        };
        // The clients of the counties, again by name (Qingpu's and Wujiang's put back).
        clients.insert("qingpu".into(), qingpu);
        clients.insert("wujiang".into(), wujiang);
        clients.insert("cmd".into(), cmd);
        let refused = clients.get_mut(other).unwrap().act(result.clone()).await.unwrap();
        assert_eq!(refused.status, AckStatus::Refused, "{refused:?}");
        assert!(refused.detail.contains("acts on its own points"), "{}", refused.detail);
        let entered = clients.get_mut(&entering).unwrap().act(result).await.unwrap();
        // A non-detect typed in on a connected console: applied as one, at its limit.
        let below = Action::EnterResult {
            incident: 0,
            point: point.clone(),
            taken_at: peak_at,
            mg_l: 0.0,
            non_detect: Some(NonDetect {
                detection_limit_mg_l: Some(0.0004),
            }),
        };
        let not_detected = clients.get_mut(&entering).unwrap().act(below).await.unwrap();
        assert_eq!(not_detected.status, AckStatus::Applied, "{not_detected:?}");
        assert!(
            not_detected.detail.contains("not detected (below 0.0004 mg/L)"),
            "{}",
            not_detected.detail
        );
        let cmd = clients.get_mut("cmd").unwrap();
        assert_eq!(entered.status, AckStatus::Applied, "{entered:?}");
        assert!(entered.detail.contains("revised 100 → 300 kg"), "{}", entered.detail);
        cmd.wait_for(TIMEOUT, |view| {
            view["plans"][0]["revision"].as_u64() > Some(before.revision.into())
        })
        .await
        .unwrap();
        let after = cmd.snapshot().unwrap().plans[0].clone();
        assert!(
            (after.estimated_mass_kg - 300.0).abs() < 1e-6,
            "{}",
            after.estimated_mass_kg
        );
        assert!(after.approved.is_none(), "a revision from results is proposed");
        (after.revision, after.estimated_mass_kg)
    });
    let journal = server.journal();
    server.kill9();
    let server = Server::resume(&dir, &[]);
    rt.block_on(async {
        let mut cmd = Client::connect(&server.addr, "cmd", &tokens["cmd"]).await.unwrap();
        let view = cmd.snapshot().unwrap();
        assert_eq!(view.incidents.len(), 1, "the declared incident is back");
        assert_eq!(view.plans[0].revision, revision);
        assert_eq!(view.plans[0].estimated_mass_kg, mass_kg);
        assert!(
            view.results.iter().any(|r| r.point == point && r.mg_l > 0.0),
            "the typed-in result is back"
        );
        assert!(
            view.results
                .iter()
                .any(|r| r.point == point && r.mg_l == 0.0 && r.detection_limit_mg_l == 0.0004),
            "the typed-in non-detect is back, at its limit"
        );
        assert_eq!(
            cmd.view()["clock"]["paused"],
            false,
            "a live clock runs again by itself"
        );
        // The command approves the revision after the restart.
        let approved = cmd
            .act(Action::ApprovePlan {
                incident: 0,
                revision: Some(revision),
            })
            .await
            .unwrap();
        assert_eq!(approved.status, AckStatus::Applied, "{approved:?}");
    });
    let log = server.stop();
    assert!(log.contains("replayed identically"), "{log}");
    assert!(log.contains("a live incident: the clock runs from"), "{log}");
    assert!(replay(&journal).contains("identical"));
    let mut db = tripoint_db::Database::open(dir.join("tripoint.sqlite").to_str().unwrap()).unwrap();
    let rows = db
        .query(
            "SELECT kind, (SELECT COUNT(*) FROM results), \
             (SELECT COUNT(*) FROM results WHERE non_detect = 1 AND detection_limit_mg_l = 0.0004) FROM runs",
            &[],
        )
        .unwrap();
    assert_eq!(rows.len(), 1, "one run, gone on with: {rows:?}");
    assert_eq!(rows[0][0].text(), Some("live"), "{rows:?}");
    assert_eq!(
        rows[0][1].int(),
        Some(2),
        "the typed-in result and non-detect: {rows:?}"
    );
    assert_eq!(rows[0][2].int(), Some(1), "the non-detect, at its limit: {rows:?}");
}

#[test]
fn a_live_server_needs_a_seat_that_can_declare() {
    let dir = scratch("serve-live-no-declarer");
    add_seats(&dir, &[("ctl", "controller"), ("watcher", "observer")]);
    let (code, _, stderr) = support::tripoint_in(
        &dir,
        &[
            "serve",
            "--live",
            "--listen",
            "127.0.0.1:0",
            "--seats",
            "seats.toml",
            "--no-db",
        ],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("nobody could declare the live incident"), "{stderr}");
}

/// The wall clock now [s since 1970, UTC].
fn unix_now_s() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Where a live clock started at `--clock 06:00` should be at wall time `unix_s`, the
/// journal's header saying it started at `started_unix_s` [s on the scenario clock].
fn wall_clock_s(started_unix_s: i64, unix_s: i64) -> i64 {
    START_S + (unix_s - started_unix_s)
}

#[test]
fn a_live_server_resumed_later_catches_up_with_the_wall_clock() {
    // Long enough for a resumed clock that did not catch up to stand out from the margins.
    const DOWN: std::time::Duration = std::time::Duration::from_secs(12);
    // Whole seconds of the wall clock on both sides, and the time a check takes.
    const MARGIN_S: i64 = 3;
    let dir = scratch("serve-live-catch-up");
    let tokens = add_seats(&dir, &[("cmd", "command"), ("wujiang", "jurisdiction:wujiang")]);
    let server = Server::start(&dir, &["--live", "--clock", "06:00", "--no-db"]);
    let header = &support::journal_lines(&server.journal())[0]["serve"];
    assert_eq!(header["live_start_s"], START_S, "{header}");
    let started_unix_s = header["live_started_unix_s"]
        .as_i64()
        .expect("the wall-clock start recorded");
    let rt = runtime();
    let before_kill_s = rt.block_on(async {
        let mut wujiang = seat(&server.addr, &tokens, "wujiang").await;
        let declared = wujiang
            .act(Action::DeclareIncident {
                declaration: declaration(),
            })
            .await
            .unwrap();
        assert_eq!(declared.status, AckStatus::Applied, "{declared:?}");
        // The clock runs at wall-clock speed: two seconds of it.
        wujiang
            .wait_for(TIMEOUT, |view| view["now"].as_i64() >= Some(START_S + 2))
            .await
            .unwrap();
        let now_s = wujiang.view()["now"].as_i64().unwrap();
        assert!(
            now_s <= wall_clock_s(started_unix_s, unix_now_s()) + MARGIN_S,
            "the live clock at {now_s} s is not ahead of the wall clock"
        );
        now_s
    });
    server.kill9();
    std::thread::sleep(DOWN);
    let resumed_at_unix_s = unix_now_s();
    let server = Server::resume(&dir, &["--no-db"]);
    let (now_s, welcomed_unix_s) = rt.block_on(async {
        let mut cmd = seat(&server.addr, &tokens, "cmd").await;
        let welcomed_unix_s = unix_now_s();
        let now_s = cmd.view()["now"].as_i64().unwrap();
        assert_eq!(
            cmd.snapshot().unwrap().incidents.len(),
            1,
            "the declared incident is back"
        );
        assert_eq!(
            cmd.view()["clock"]["paused"],
            false,
            "a live clock runs again by itself"
        );
        // And it goes on from there at wall-clock speed.
        cmd.wait_for(TIMEOUT, |view| view["now"].as_i64() >= Some(now_s + 2))
            .await
            .unwrap();
        (now_s, welcomed_unix_s)
    });
    // The server was down for DOWN: the resumed clock is where the wall clock is, not
    // where the journal stopped (about DOWN behind), and never ahead of it.
    let lowest_s = wall_clock_s(started_unix_s, resumed_at_unix_s) - MARGIN_S;
    let highest_s = wall_clock_s(started_unix_s, welcomed_unix_s) + MARGIN_S;
    assert!(
        (lowest_s..=highest_s).contains(&now_s),
        "resumed at {now_s} s on the scenario clock: expected {lowest_s}..={highest_s} from the wall clock \
         (the clock stood at {before_kill_s} s shortly before the kill)"
    );
    assert!(
        now_s >= before_kill_s + DOWN.as_secs() as i64 - MARGIN_S,
        "the time the server was down passed on the scenario clock too: {before_kill_s} s → {now_s} s"
    );
    let journal = server.journal();
    let log = server.stop();
    assert!(log.contains("the live clock catches up with the wall clock"), "{log}");
    assert!(replay(&journal).contains("identical"));
}
