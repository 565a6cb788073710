//! What each seat of the exercise server sees of the incidents, on real loopback sockets:
//! a jurisdiction sees an incident once it was discovered there or notified to it, the
//! joint command and the board every known incident, never the hidden truth; the
//! controller the truth as well.

mod support;

use serde_json::{Map, Value};
use std::io::{Read as _, Write as _};
use support::{Server, add_seats, journal_lines, replay, requests_of, runtime, scratch};
use tripoint_sim::drill::Action;
use tripoint_tui::net::client::Client;
use tripoint_tui::net::{AckStatus, Control};

const WUJIANG: &str = "wujiang_antimony";
const JIASHAN: &str = "jiashan_aniline_tanker";

fn incident_ids(view: &Map<String, Value>) -> Vec<String> {
    view["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

/// Whether any text of the view's log names the incident.
fn log_mentions(view: &Map<String, Value>, id: &str) -> bool {
    view["log"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["what"].as_str().unwrap().contains(id))
}

/// `GET /board/view` on the server's address: the board's view.
fn board_view(addr: &str) -> Value {
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream
        .write_all(b"GET /board/view HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    serde_json::from_str::<Value>(body).unwrap()["view"].clone()
}

#[test]
fn an_incident_in_jiashan_reaches_qingpu_s_view_only_when_jiashan_notifies_qingpu() {
    let dir = scratch("views");
    let tokens = add_seats(
        &dir,
        &[
            ("ctl", "controller"),
            ("cmd", "command"),
            ("qingpu", "jurisdiction:qingpu"),
            ("jiashan", "jurisdiction:jiashan"),
        ],
    );
    let server = Server::start(&dir, &["two-incidents"]);
    let timeout = support::TIMEOUT;
    runtime().block_on(async {
        let connect = |name: &'static str| Client::connect(&server.addr, name, &tokens[name]);
        let (mut ctl, mut cmd, mut qingpu, mut jiashan) = (
            connect("ctl").await.unwrap(),
            connect("cmd").await.unwrap(),
            connect("qingpu").await.unwrap(),
            connect("jiashan").await.unwrap(),
        );
        // The tanker spills at 03:30 and is reported in Jiashan at 04:10; people play
        // Jiashan, so nobody notifies Qingpu of it. Wujiang's incident (02:00, reported
        // 02:30) is notified to Qingpu by the simulated Wujiang.
        let pause_s = 4 * 3600 + 20 * 60;
        for control in [
            Control::PauseAt(pause_s),
            Control::Speed(tripoint_sim::drill::clock::Speed::Fastest),
            Control::Resume,
        ] {
            let ack = ctl.control(control).await.unwrap();
            assert_eq!(ack.status, AckStatus::Applied, "{}", ack.detail);
        }
        let paused_there = |v: &Map<String, Value>| v["clock"]["paused"] == true && v["now"] == pause_s;
        for client in [&mut ctl, &mut cmd, &mut qingpu, &mut jiashan] {
            client.wait_for(timeout, paused_there).await.unwrap();
        }

        assert_eq!(
            incident_ids(cmd.view()),
            [WUJIANG, JIASHAN],
            "the command sees every known incident"
        );
        assert_eq!(
            incident_ids(jiashan.view()),
            [WUJIANG, JIASHAN],
            "Jiashan sees its own, and Wujiang's, which the simulated Wujiang notified downstream"
        );
        assert_eq!(
            incident_ids(qingpu.view()),
            [WUJIANG],
            "Qingpu was notified of Wujiang's only"
        );
        // The source estimates, weighed on the server's own thread from the results command
        // knows: once settled, one per incident the seat knows, and only those.
        let settled = |v: &Map<String, Value>| {
            v["sources"]
                .as_array()
                .is_some_and(|s| !s.is_empty() && s.iter().all(|e| e["outcome"] != "pending" && e["updating"] == false))
        };
        let estimated = |v: &Map<String, Value>| -> Vec<String> {
            v["sources"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["incident_id"].as_str().unwrap().to_string())
                .collect()
        };
        cmd.wait_for(timeout, settled).await.unwrap();
        assert_eq!(estimated(cmd.view()), [WUJIANG, JIASHAN], "{:?}", cmd.view()["sources"]);
        qingpu.wait_for(timeout, settled).await.unwrap();
        assert_eq!(
            estimated(qingpu.view()),
            [WUJIANG],
            "Qingpu sees the estimate of the incident it knows only"
        );
        let qingpu_view = qingpu.snapshot().unwrap();
        assert!(
            qingpu_view.plans.iter().all(|p| p.incident == 0),
            "no plan of the tanker"
        );
        assert!(!log_mentions(qingpu.view(), JIASHAN), "{:?}", qingpu.view()["log"]);
        assert!(
            qingpu_view
                .intakes
                .iter()
                .all(|i| !i.threatened_by.contains(&JIASHAN.to_string())),
            "no intake is threatened by an incident Qingpu does not know"
        );
        for view in [cmd.view(), qingpu.view(), jiashan.view()] {
            assert_eq!(
                view["plume"],
                serde_json::json!([]),
                "no player sees the simulated plume"
            );
            for incident in view["incidents"].as_array().unwrap() {
                assert_eq!(incident["released_at"], Value::Null, "no player sees the true release");
            }
        }
        // The controller sees the truth: both releases from their start, and the plume.
        let truth = ctl.snapshot().unwrap();
        assert_eq!(truth.incidents.len(), 2);
        assert!(truth.incidents.iter().all(|i| i.released_at.is_some()));
        assert!(!truth.plume.is_empty());
        // The board is the command room's wall: every known incident, never the truth.
        let board = board_view(&server.addr);
        let board_ids: Vec<&str> = board["incidents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap())
            .collect();
        assert_eq!(board_ids, [WUJIANG, JIASHAN]);
        assert_eq!(board["plume"], serde_json::json!([]));

        // Jiashan notifies Qingpu of the tanker: from then on Qingpu sees it.
        let snapshot = jiashan.snapshot().unwrap();
        let tanker = snapshot.incidents.iter().find(|i| i.id == JIASHAN).unwrap();
        let (to, _) = tanker
            .downstream
            .iter()
            .find(|(_, id)| id == "qingpu")
            .expect("Qingpu is downstream of the tanker")
            .clone();
        let ack = jiashan
            .act(Action::Notify {
                to,
                incident: Some(tanker.idx),
            })
            .await
            .unwrap();
        assert_eq!(ack.status, AckStatus::Applied, "{}", ack.detail);
        qingpu
            .wait_for(timeout, |v| incident_ids(v) == [WUJIANG, JIASHAN])
            .await
            .unwrap();
        assert!(
            log_mentions(qingpu.view(), JIASHAN),
            "the notification is in Qingpu's log"
        );
        assert_eq!(qingpu.view()["plume"], serde_json::json!([]));
    });
    let journal = server.journal();
    server.stop();
    let lines = journal_lines(&journal);
    let notified = requests_of(&lines, "jiashan");
    assert_eq!(notified.len(), 1);
    assert_eq!(notified[0]["event"]["action"]["action"]["notify"]["incident"], 1);
    assert!(
        notified[0]["event"]["action"]["action"]["notify"]["to"].is_u64(),
        "the addressee is journaled"
    );
    assert!(replay(&journal).contains("identical"));
}
