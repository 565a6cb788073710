//! The connected console keeps its seat's view as the simulation's snapshot type and
//! reads each update's changed fields straight into it (`TypedView`, issue 19). Every
//! publication a real server sent three seats (the controller's truth, an observer's and
//! a jurisdiction's view) while the two-incident drill ran with seats acting is applied
//! both ways, the new one and the view kept as JSON (`apply_publication`, then
//! `snapshot_of`, as before): after each publication the two snapshots serialise to the
//! same bytes and the clocks are equal. So are the welcomes, and a whole snapshot of the
//! last view.

mod support;

use std::sync::{Arc, Mutex};
use support::{Server, five_seats, runtime, scratch};
use tripoint_sim::drill::Action;
use tripoint_sim::drill::clock::Speed;
use tripoint_tui::net::client::{self, Client};
use tripoint_tui::net::typed_view::{Publication, Received, TypedView};
use tripoint_tui::net::{AckStatus, Control, ServerMessage};

/// The clock runs at the fastest speed to here, where Wujiang notifies downstream [s]:
/// D1 05:00.
const NOTIFY_AT_S: i64 = 5 * 3600;
/// Then at 600× (a publication every few exercise seconds, not every batch of
/// steps) to here [s]: D1 07:00, the first plan in.
const RECORD_UNTIL_S: i64 = 7 * 3600;

/// The serialised snapshot: equal bytes, equal snapshots.
fn bytes_of(snapshot: &tripoint_sim::drill::view::Snapshot) -> Vec<u8> {
    serde_json::to_vec(snapshot).unwrap()
}

/// Applies `frames` from `welcome` both ways, comparing after each; the number of
/// updates and of whole snapshots applied.
fn compare(label: &str, welcome: &serde_json::Map<String, serde_json::Value>, frames: &[Vec<u8>]) -> (usize, usize) {
    let mut json = welcome.clone();
    let mut typed = TypedView::of_json(welcome.clone()).unwrap();
    assert_eq!(
        bytes_of(&typed.snapshot),
        bytes_of(&client::snapshot_of(&json).unwrap()),
        "{label}: the welcome"
    );
    let (mut n_updates, mut n_whole) = (0, 0);
    for (i, frame) in frames.iter().enumerate() {
        let message = client::decode(frame).unwrap();
        let (seq, time_s) = client::apply_publication(&mut json, &message).expect("a publication");
        let Received::Published(publication) = typed.receive(frame).unwrap() else {
            panic!("{label}: publication {i} read as another message")
        };
        let whole = matches!(message, ServerMessage::Snapshot { .. });
        assert_eq!(
            publication,
            Publication { seq, time_s, whole },
            "{label}: publication {i}"
        );
        n_updates += usize::from(!whole);
        n_whole += usize::from(whole);
        assert_eq!(
            bytes_of(&typed.snapshot),
            bytes_of(&client::snapshot_of(&json).unwrap()),
            "{label}: the snapshots differ after publication {i} (seq {seq})"
        );
        assert_eq!(
            &typed.clock, &json["clock"],
            "{label}: the clocks differ after publication {i}"
        );
    }
    (n_updates, n_whole)
}

#[test]
fn a_typed_view_applies_every_publication_of_a_drill_as_the_json_view_does() {
    let dir = scratch("console-typed-view");
    let tokens = five_seats(&dir);
    let server = Server::start(&dir, &["two-incidents"]);
    runtime().block_on(async {
        let connect = |name: &'static str| Client::connect(&server.addr, name, &tokens[name]);
        // The recorded seats: every frame they are sent, as the server wrote it.
        let mut recordings = Vec::new();
        let mut readers = Vec::new();
        for name in ["director", "watcher", "qingpu"] {
            let mut recorder = connect(name).await.unwrap();
            let frames = Arc::new(Mutex::new(Vec::new()));
            recordings.push((name, recorder.view().clone(), frames.clone()));
            readers.push(tokio::spawn(async move {
                while let Ok(message) = recorder.next_message().await {
                    if matches!(message, ServerMessage::Update { .. } | ServerMessage::Snapshot { .. }) {
                        frames.lock().unwrap().push(serde_json::to_vec(&message).unwrap());
                    }
                }
            }));
        }
        let (mut ctl, mut cmd, mut wujiang) = (
            connect("ctl").await.unwrap(),
            connect("cmd").await.unwrap(),
            connect("wujiang").await.unwrap(),
        );
        let paused_at = |at_s: i64| move |v: &serde_json::Map<_, _>| v["clock"]["paused"] == true && v["now"] == at_s;
        for (until_s, speed) in [(NOTIFY_AT_S, Speed::Fastest), (RECORD_UNTIL_S, Speed::X600)] {
            for control in [Control::PauseAt(until_s), Control::Speed(speed), Control::Resume] {
                assert_eq!(ctl.control(control).await.unwrap().status, AckStatus::Applied);
            }
            ctl.wait_for(support::TIMEOUT, paused_at(until_s)).await.unwrap();
            if until_s == NOTIFY_AT_S {
                // Wujiang tells the jurisdictions downstream; the command speaks to the press.
                wujiang.wait_for(support::TIMEOUT, paused_at(until_s)).await.unwrap();
                let incident = wujiang.snapshot().unwrap().incidents[0].clone();
                for (to, _) in incident.downstream {
                    let ack = wujiang
                        .act(Action::Notify {
                            to,
                            incident: Some(incident.idx),
                        })
                        .await
                        .unwrap();
                    assert_eq!(ack.status, AckStatus::Applied, "{}", ack.detail);
                }
                assert_eq!(
                    cmd.act(Action::MediaStatement).await.unwrap().status,
                    AckStatus::Applied
                );
            }
        }
        // The recorders read what is left: the last publication is the pause.
        for (name, _, frames) in &recordings {
            let deadline = std::time::Instant::now() + support::TIMEOUT;
            while !frames.lock().unwrap().last().is_some_and(|frame| {
                let message: serde_json::Value = serde_json::from_slice(frame).unwrap();
                message["time_s"] == RECORD_UNTIL_S
            }) {
                assert!(std::time::Instant::now() < deadline, "{name} has not read the pause");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        for reader in readers {
            reader.abort();
        }
        for (name, welcome, frames) in recordings {
            let frames = std::mem::take(&mut *frames.lock().unwrap());
            let (n_updates, n_whole) = compare(name, &welcome, &frames);
            assert!(n_updates > 20, "{name}: {n_updates} updates recorded");
            eprintln!("{name}: {n_updates} updates and {n_whole} whole snapshots applied alike");
            // The last view sent whole, as to a console that fell behind.
            let mut last = welcome.clone();
            for frame in &frames {
                client::apply_publication(&mut last, &client::decode(frame).unwrap());
            }
            assert!(
                last.get("plans")
                    .and_then(|p| p.as_array())
                    .is_some_and(|p| !p.is_empty()),
                "{name}: the plans are in the view by D1 07:00"
            );
            let whole = ServerMessage::Snapshot {
                seq: frames.len() as u64 + 1,
                time_s: RECORD_UNTIL_S,
                snapshot: last,
            };
            let (_, n_whole) = compare(name, &welcome, &[serde_json::to_vec(&whole).unwrap()]);
            assert_eq!(n_whole, 1);
        }
    });
    server.stop();
}
