//! The exercise server (`tripoint serve`) on real loopback sockets, as seats and hostile
//! clients would use it: seats and tokens, what each seat may do, an action applied once
//! however often it is sent, malformed, oversized and flooding clients, a client that
//! stops reading, and five scripted seats playing the two-incident drill, whose journal
//! `tripoint replay` reproduces line for line.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read as _, Write as _};
use std::time::{Duration, Instant};
use tripoint_sim::drill::Action;
use tripoint_sim::drill::clock::Speed;
use tripoint_tui::net::client::{Client, ClientError};
use tripoint_tui::net::{AckStatus, Control, ServerMessage};

mod support;

use support::{Server, TIMEOUT, five_seats, journal_lines, replay, requests_of, runtime, scratch, tripoint};

#[test]
fn a_seat_is_created_once_and_a_wrong_token_is_refused() {
    let dir = scratch("tokens");
    let tokens = five_seats(&dir);
    let token = &tokens["qingpu"];
    assert_eq!(token.len(), 64);
    assert!(token.chars().all(|c| c.is_ascii_hexdigit()));
    let seats_text = std::fs::read_to_string(dir.join("seats.toml")).unwrap();
    assert!(!seats_text.contains(token.as_str()), "the file keeps no token in clear");

    // The same name again, a role that does not exist: exit 2, file unchanged.
    let file = dir.join("seats.toml");
    let again = tripoint(&["seat", "add", file.to_str().unwrap(), "qingpu", "--role", "command"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));
    let bad_role = tripoint(&["seat", "add", file.to_str().unwrap(), "x", "--role", "mayor"]);
    assert_eq!(bad_role.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_role.stderr).contains("unknown role \"mayor\""));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), seats_text);

    // A seats file with problems: the server does not start, and says where.
    let broken = dir.join("broken.toml");
    std::fs::write(
        &broken,
        seats_text.replace("role = \"observer\"", "role = \"spectator\""),
    )
    .unwrap();
    let out = tripoint(&["serve", "--listen", "127.0.0.1:0", "--seats", broken.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(
        message.contains("broken.toml:") && message.contains("unknown role \"spectator\""),
        "{message}"
    );
    let unknown = dir.join("unknown.toml");
    std::fs::write(
        &unknown,
        seats_text.replace("jurisdiction:jiashan", "jurisdiction:atlantis"),
    )
    .unwrap();
    let out = tripoint(&["serve", "--listen", "127.0.0.1:0", "--seats", unknown.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no jurisdiction \"atlantis\""));

    let server = Server::start(&dir, &[]);
    runtime().block_on(async {
        for (seat, token) in [
            ("qingpu", tokens["wujiang"].as_str()),
            ("nobody", token.as_str()),
            ("qingpu", ""),
        ] {
            match Client::connect(&server.addr, seat, token).await {
                Err(ClientError::Refused(reason)) => assert_eq!(reason, "unknown seat or wrong token"),
                Err(other) => panic!("{seat}: {other}"),
                Ok(_) => panic!("{seat} was let in with another token"),
            }
        }
        let client = Client::connect(&server.addr, "qingpu", token).await.unwrap();
        assert_eq!(client.role, "jurisdiction:qingpu");
        let snapshot = client.snapshot().unwrap();
        assert!(
            snapshot.plume.is_empty(),
            "a jurisdiction never sees the simulated plume"
        );
    });
    server.stop();
}

#[test]
fn a_jurisdiction_is_refused_another_s_team_and_the_plan_and_the_refusal_is_journaled() {
    let dir = scratch("permissions");
    let tokens = five_seats(&dir);
    let server = Server::start(&dir, &[]);
    runtime().block_on(async {
        let mut qingpu = Client::connect(&server.addr, "qingpu", &tokens["qingpu"])
            .await
            .unwrap();
        let teams = qingpu.snapshot().unwrap().teams;
        let of = |jurisdiction: &str| teams.iter().position(|t| t.jurisdiction == jurisdiction).unwrap();
        let (wujiang_team, qingpu_team) = (of("wujiang"), of("qingpu"));

        let ack = qingpu
            .act(Action::Dispatch {
                team: wujiang_team,
                point: 0,
            })
            .await
            .unwrap();
        assert_eq!(ack.status, AckStatus::Refused);
        assert!(ack.detail.contains("is a team of wujiang"), "{}", ack.detail);
        let ack = qingpu
            .act(Action::ApprovePlan {
                incident: 0,
                revision: None,
            })
            .await
            .unwrap();
        assert_eq!(ack.status, AckStatus::Refused);
        assert!(ack.detail.contains("only the joint command approves"), "{}", ack.detail);
        let ack = qingpu.act(Action::ReleaseInject { inject: 0 }).await.unwrap();
        assert_eq!(ack.status, AckStatus::Refused);
        let ack = qingpu.act(Action::Dispatch { team: 9999, point: 0 }).await.unwrap();
        assert_eq!(ack.status, AckStatus::Refused);
        assert!(ack.detail.contains("no team 9999"), "{}", ack.detail);
        let ack = qingpu
            .act(Action::Dispatch {
                team: qingpu_team,
                point: 0,
            })
            .await
            .unwrap();
        assert!(
            ack.status == AckStatus::Applied || !ack.detail.contains("is a team of"),
            "its own team is not refused as another's: {ack:?}"
        );
        let ack = qingpu.control(Control::Resume).await.unwrap();
        assert_eq!(ack.status, AckStatus::Refused, "only a controller runs the clock");

        let mut watcher = Client::connect(&server.addr, "watcher", &tokens["watcher"])
            .await
            .unwrap();
        let ack = watcher.act(Action::MediaStatement).await.unwrap();
        assert_eq!(
            (ack.status, ack.detail.as_str()),
            (AckStatus::Refused, "the observer's seat is read-only")
        );

        // The command may approve, the controller may not dispatch.
        let mut command = Client::connect(&server.addr, "cmd", &tokens["cmd"]).await.unwrap();
        let ack = command
            .act(Action::Dispatch {
                team: wujiang_team,
                point: 0,
            })
            .await
            .unwrap();
        assert!(!ack.detail.contains("is a team of"), "{ack:?}");
        let mut controller = Client::connect(&server.addr, "ctl", &tokens["ctl"]).await.unwrap();
        let ack = controller
            .act(Action::Dispatch {
                team: wujiang_team,
                point: 0,
            })
            .await
            .unwrap();
        assert_eq!(ack.status, AckStatus::Refused);
        assert!(
            !controller.snapshot().unwrap().adhoc.is_empty(),
            "controllers see the ad-hoc injects"
        );
        assert!(command.snapshot().unwrap().adhoc.is_empty(), "players do not");
    });
    let journal = server.journal();
    server.stop();
    let lines = journal_lines(&journal);
    let refused: Vec<_> = requests_of(&lines, "qingpu")
        .into_iter()
        .filter(|l| l["note"]["refused"].is_string())
        .collect();
    assert_eq!(refused.len(), 4, "each refused action is journaled with its reason");
    for line in &refused {
        assert_eq!(line["event"]["action"]["seat"]["jurisdiction"], 0, "{line}");
        assert!(line["event"]["action"]["request"]["id"].is_u64(), "{line}");
        assert!(line["t_s"].is_i64(), "{line}");
    }
    assert_eq!(requests_of(&lines, "watcher").len(), 1);
    assert!(replay(&journal).contains("identical"));
}

#[test]
fn the_same_action_id_sent_twice_is_applied_once() {
    let dir = scratch("dedupe");
    let tokens = five_seats(&dir);
    let server = Server::start(&dir, &[]);
    runtime().block_on(async {
        let mut command = Client::connect(&server.addr, "cmd", &tokens["cmd"]).await.unwrap();
        let first = command.act_with_id(7, Action::MediaStatement).await.unwrap();
        assert_eq!((first.status, first.duplicate), (AckStatus::Applied, false));
        let again = command.act_with_id(7, Action::MediaStatement).await.unwrap();
        assert!(again.duplicate, "{again:?}");
        assert_eq!((again.status, &again.detail), (first.status, &first.detail));
        let older = command.act_with_id(5, Action::MediaStatement).await.unwrap();
        assert_eq!(older.status, AckStatus::Refused);
        assert!(older.detail.contains("must increase"), "{}", older.detail);
        drop(command);
        // After a reconnect the same id is still the same action.
        let mut command = Client::connect(&server.addr, "cmd", &tokens["cmd"]).await.unwrap();
        assert_eq!(command.next_id(), 8, "the welcome names the last id");
        let resent = command.act_with_id(7, Action::MediaStatement).await.unwrap();
        assert!(resent.duplicate);
    });
    let journal = server.journal();
    server.stop();
    let lines = journal_lines(&journal);
    let statements = requests_of(&lines, "cmd");
    assert_eq!(statements.len(), 1, "applied once: {statements:?}");
    assert_eq!(statements[0]["event"]["action"]["request"]["id"], 7);
}

/// A raw connection, for what no well-behaved client sends.
fn raw_connect(addr: &str) -> std::net::TcpStream {
    let stream = std::net::TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream
}

fn write_frame(stream: &mut std::net::TcpStream, bytes: &[u8]) {
    stream.write_all(&(bytes.len() as u32).to_be_bytes()).unwrap();
    stream.write_all(bytes).unwrap();
}

/// Reads frames until the server closes the connection; their texts.
fn read_until_closed(stream: &mut std::net::TcpStream) -> Vec<String> {
    let mut frames = Vec::new();
    loop {
        let mut length = [0u8; 4];
        if stream.read_exact(&mut length).is_err() {
            return frames;
        }
        let mut frame = vec![0u8; u32::from_be_bytes(length) as usize];
        if stream.read_exact(&mut frame).is_err() {
            return frames;
        }
        frames.push(String::from_utf8_lossy(&frame).into_owned());
    }
}

#[test]
fn malformed_oversized_and_flooding_clients_leave_the_others_served() {
    let dir = scratch("hostile");
    let tokens = five_seats(&dir);
    let mut server = Server::start(&dir, &["--speed", "fastest"]);
    let addr = server.addr.clone();

    // Not a hello, not JSON, a frame over the limit: refused and closed.
    let mut garbage = raw_connect(&addr);
    write_frame(&mut garbage, b"\xff\xfe not json");
    let frames = read_until_closed(&mut garbage);
    assert!(
        frames.len() == 1 && frames[0].contains("refused") && frames[0].contains("not a hello"),
        "{frames:?}"
    );
    // Before a hello is read the seat's language is unknown: Chinese first, then English.
    let refused: serde_json::Value = serde_json::from_str(&frames[0]).unwrap();
    let reason = refused["reason"].as_str().unwrap();
    let (chinese, english) = reason.split_once(" / ").unwrap();
    assert_eq!(chinese, "不是 hello：JSON 语法错误（第 1 行第 1 列）");
    assert!(english.starts_with("not a hello: "), "{reason}");
    assert_eq!(refused["message"]["id"], "srv-not-hello", "{refused}");
    let mut huge = raw_connect(&addr);
    huge.write_all(&(64u32 << 20).to_be_bytes()).unwrap();
    let _ = huge.write_all(&[b'{'; 4096]);
    let frames = read_until_closed(&mut huge);
    assert!(
        frames.len() == 1 && frames[0].contains("frame size too big"),
        "{frames:?}"
    );

    runtime().block_on(async {
        // A seat that sends malformed messages is answered, then closed.
        let mut noisy = Client::connect(&addr, "wujiang", &tokens["wujiang"]).await.unwrap();
        for _ in 0..17 {
            noisy
                .send_frame(b"{\"type\":\"action\",\"id\":\"x\"}".to_vec())
                .await
                .unwrap();
        }
        let mut errors = 0;
        let closed = loop {
            match noisy.next_message().await {
                Ok(ServerMessage::Error { reason, .. }) if reason.starts_with("more than") => break reason,
                Ok(ServerMessage::Error { reason, .. }) if reason.contains("unreadable message") => errors += 1,
                Ok(_) => {}
                Err(e) => panic!("{e}"),
            }
        };
        assert_eq!(errors, 16);
        assert!(closed.contains("more than 16 unreadable messages"), "{closed}");

        // A flood of actions: answered, the excess refused, nothing falls over.
        let mut flood = Client::connect(&addr, "jiashan", &tokens["jiashan"]).await.unwrap();
        let mut refused = 0;
        for _ in 0..300 {
            let ack = flood.act(Action::MediaStatement).await.unwrap();
            if ack.detail.starts_with("too many actions") {
                refused += 1;
            }
        }
        assert!(
            refused >= 200,
            "the flood is held to the rate: {refused} of 300 refused"
        );

        // A seat that stops reading while the clock runs as fast as it goes.
        let mut stalled = raw_connect(&addr);
        let hello = serde_json::json!({"type": "hello", "protocol": 1, "seat": "qingpu", "token": tokens["qingpu"]});
        write_frame(&mut stalled, hello.to_string().as_bytes());

        let mut controller = Client::connect(&addr, "ctl", &tokens["ctl"]).await.unwrap();
        let mut command = Client::connect(&addr, "cmd", &tokens["cmd"]).await.unwrap();
        let start_s = command.time_s();
        assert_eq!(
            controller.control(Control::Resume).await.unwrap().status,
            AckStatus::Applied
        );
        // The others still get answers and see the clock move to the end.
        let ack = command.act(Action::MediaStatement).await.unwrap();
        assert_eq!(ack.status, AckStatus::Applied);
        command
            .wait_for(TIMEOUT, |view| view["clock"]["finished"] == true)
            .await
            .unwrap();
        assert!(
            command.time_s() > start_s + 30 * 3600,
            "{} → {}",
            start_s,
            command.time_s()
        );
        drop(stalled);
    });
    assert!(server.alive(), "the server is still up");
    let journal = server.journal();
    server.stop();
    assert!(replay(&journal).contains("identical"));
}

/// What one scripted seat does each time its view changes: the action it takes, if any.
fn play(seat: &str, view: &serde_json::Map<String, serde_json::Value>, done: &mut BTreeSet<String>) -> Option<Action> {
    let snapshot: tripoint_sim::drill::view::Snapshot =
        serde_json::from_value(serde_json::Value::Object(view.clone())).unwrap();
    let mut once = |key: String, action: Action| done.insert(key).then_some(action);
    match seat {
        "ctl" => {
            // The ad-hoc inject two hours in.
            let (idx, _, _, released) = snapshot.adhoc.first()?;
            if *released || snapshot.now.seconds() < snapshot.start.seconds() + 2 * 3600 {
                return None;
            }
            once(format!("release {idx}"), Action::ReleaseInject { inject: *idx })
        }
        "cmd" => {
            for plan in &snapshot.plans {
                if plan.approved.is_none()
                    && let Some(action) = once(
                        format!("approve {} r{}", plan.incident, plan.revision),
                        Action::ApprovePlan {
                            incident: plan.incident,
                            revision: Some(plan.revision),
                        },
                    )
                {
                    return Some(action);
                }
            }
            if !snapshot.incidents.is_empty() {
                return once("media".into(), Action::MediaStatement);
            }
            None
        }
        jurisdiction => {
            for item in &snapshot.inbox {
                if item.acknowledged_at.is_none()
                    && let Some(action) = once(
                        format!("ack {}", item.inject),
                        Action::Acknowledge { inject: item.inject },
                    )
                {
                    return Some(action);
                }
            }
            for incident in snapshot.incidents.iter().filter(|i| i.jurisdiction == jurisdiction) {
                for (to, _) in &incident.downstream {
                    let action = Action::Notify {
                        to: *to,
                        incident: Some(incident.idx),
                    };
                    if let Some(action) = once(format!("notify {to} of {}", incident.idx), action) {
                        return Some(action);
                    }
                }
            }
            None
        }
    }
}

async fn scripted_seat(
    addr: String,
    seat: &'static str,
    token: String,
    seated: std::sync::Arc<tokio::sync::Barrier>,
) -> (usize, u64) {
    let mut client = Client::connect(&addr, seat, &token).await.unwrap();
    seated.wait().await;
    let mut done = BTreeSet::new();
    let mut applied = 0;
    let deadline = Instant::now() + TIMEOUT;
    // A seat does what its view asks of it, to the end of the exercise and then what is
    // left (an action at the end is still taken, at the end's time).
    loop {
        assert!(Instant::now() < deadline, "{seat}: the drill did not end in time");
        if let Some(action) = play(seat, client.view(), &mut done) {
            let ack = client.act(action.clone()).await.unwrap();
            assert_eq!(ack.status, AckStatus::Applied, "{seat}: {action:?}: {}", ack.detail);
            applied += 1;
            continue;
        }
        if client.view()["clock"]["finished"] == true {
            return (applied, client.n_snapshots);
        }
        client.next_message().await.unwrap();
    }
}

#[test]
fn five_scripted_seats_play_the_two_incident_drill_and_its_journal_replays() {
    let dir = scratch("five-seats");
    let tokens = five_seats(&dir);
    let server = Server::start(&dir, &["two-incidents", "--speed", "600"]);
    let addr = server.addr.clone();
    let started = Instant::now();
    let results = runtime().block_on(async {
        let seats = ["cmd", "qingpu", "wujiang", "jiashan", "ctl"];
        let seated = std::sync::Arc::new(tokio::sync::Barrier::new(seats.len() + 1));
        let mut players = Vec::new();
        for seat in seats {
            let player = scripted_seat(addr.clone(), seat, tokens[seat].clone(), seated.clone());
            players.push(tokio::spawn(player));
        }
        // Everyone is seated: the exercise director starts the clock, then runs it as
        // fast as it goes after the first hours at ×600.
        let mut controller = Client::connect(&addr, "director", &tokens["director"]).await.unwrap();
        seated.wait().await;
        assert_eq!(
            controller.control(Control::Resume).await.unwrap().status,
            AckStatus::Applied
        );
        tokio::time::sleep(Duration::from_secs(3)).await;
        let ack = controller.control(Control::Speed(Speed::Fastest)).await.unwrap();
        assert_eq!(ack.status, AckStatus::Applied);
        let mut results = BTreeMap::new();
        for (seat, player) in seats.into_iter().zip(players) {
            results.insert(seat, player.await.unwrap());
        }
        results
    });
    let wall = started.elapsed();
    let journal = server.journal();
    let log = server.stop();
    let lines = journal_lines(&journal);
    for seat in ["cmd", "qingpu", "wujiang", "jiashan"] {
        assert!(
            !requests_of(&lines, seat).is_empty(),
            "{seat} acted: {results:?}\n{log}"
        );
    }
    let applied: usize = results.values().map(|(n, _)| n).sum();
    let out = replay(&journal);
    assert!(out.contains("identical"), "{out}");
    eprintln!(
        "five seats: {applied} actions applied over {} journal lines in {:.1} s; {out}",
        lines.len(),
        wall.as_secs_f64()
    );
}
