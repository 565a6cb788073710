//! The connected console keeps its seat's view as the simulation's snapshot type and
//! reads each update's changed fields straight into it (`TypedView`, issue 19). Every
//! publication a real server sent three seats (the controller's truth, an observer's and
//! a jurisdiction's view) while the two-incident drill ran with seats acting is applied
//! both ways, the new one and the view kept as JSON (`apply_publication`, then
//! `snapshot_of`, as before): after each publication the two snapshots serialise to the
//! same bytes and the clocks are equal. So are the welcomes, and a whole snapshot of the
//! last view.
//!
//! The recorded seats apply splices (docs/protocol.md); a second observer seat says no
//! `splices` in its hello, as a client from before them: it is sent every changed list
//! whole, and its view must equal the splicing observer's after the same publication.
//! The test also counts what splices saved.

mod support;

use std::sync::{Arc, Mutex};
use support::{Server, add_seats, runtime, scratch};
use tripoint_sim::drill::Action;
use tripoint_sim::drill::clock::Speed;
use tripoint_tui::i18n::Lang;
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
        let (seq, time_s) = client::apply_publication(&mut json, &message)
            .unwrap()
            .expect("a publication");
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
    let tokens = add_seats(
        &dir,
        &[
            ("ctl", "controller"),
            ("cmd", "command"),
            ("qingpu", "jurisdiction:qingpu"),
            ("wujiang", "jurisdiction:wujiang"),
            ("watcher", "observer"),
            ("wall", "observer"),
            ("director", "controller"),
        ],
    );
    let server = Server::start(&dir, &["two-incidents"]);
    let drill = support::two_incidents_drill();
    runtime().block_on(async {
        let connect = |name: &'static str| Client::connect(&server.addr, name, &tokens[name]);
        // The recorded seats: every frame they are sent, as the server wrote it.
        let mut recordings = Vec::new();
        let mut readers = Vec::new();
        for (name, splices) in [("director", true), ("watcher", true), ("qingpu", true), ("wall", false)] {
            let mut recorder: Client = Client::connect_with(
                &tripoint_tui::net::tls::Transport::Plain,
                &server.addr,
                name,
                &tokens[name],
                None,
                None,
                splices,
            )
            .await
            .unwrap();
            let frames = Arc::new(Mutex::new(Vec::new()));
            recordings.push((name, recorder.view().clone(), frames.clone()));
            readers.push(tokio::spawn(async move {
                loop {
                    match recorder.next_message().await {
                        Ok(message) => {
                            if matches!(message, ServerMessage::Update { .. } | ServerMessage::Snapshot { .. }) {
                                frames.lock().unwrap().push(serde_json::to_vec(&message).unwrap());
                            }
                        }
                        Err(e) => {
                            eprintln!("{name}: {e:?}");
                            break;
                        }
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
        let mut ends = std::collections::BTreeMap::new();
        for (name, welcome, frames) in recordings {
            let frames = std::mem::take(&mut *frames.lock().unwrap());
            let n_bytes: usize = frames.iter().map(Vec::len).sum();
            let n_spliced = frames
                .iter()
                .filter(|f| {
                    client::decode(f)
                        .is_ok_and(|m| matches!(m, ServerMessage::Update { spliced, .. } if !spliced.is_empty()))
                })
                .count();
            // What the teams take of it: their list whole or its splices, in how many
            // publications.
            let (mut teams_bytes, mut n_with_teams) = (0, 0);
            for f in &frames {
                if let Ok(ServerMessage::Update { changed, spliced, .. }) = client::decode(f) {
                    let whole = changed.get("teams").map(|v| v.to_string().len());
                    let splices = spliced.get("teams").map(|v| serde_json::to_string(v).unwrap().len());
                    if whole.is_some() || splices.is_some() {
                        n_with_teams += 1;
                    }
                    teams_bytes += whole.unwrap_or(0) + splices.unwrap_or(0);
                }
            }
            eprintln!(
                "{name}: {} publications, {n_bytes} bytes, {n_spliced} with splices; teams {teams_bytes} bytes in {n_with_teams} publications",
                frames.len()
            );
            // Each view after each publication, by seq, to compare the two Qingpu connections.
            let mut view = welcome.clone();
            let mut by_seq = std::collections::BTreeMap::new();
            for frame in &frames {
                let (seq, _) = client::apply_publication(&mut view, &client::decode(frame).unwrap())
                    .unwrap()
                    .unwrap();
                by_seq.insert(seq, view.clone());
            }
            ends.insert(name, (n_bytes, n_spliced, by_seq));
            let (n_updates, n_whole) = compare(name, &welcome, &frames);
            // The event log's sentences as data: every entry has one, and it says in English
            // exactly what the entry's `what` says (a console in Chinese renders it).
            let mut typed = TypedView::of_json(welcome.clone()).unwrap();
            for frame in &frames {
                typed.receive(frame).unwrap();
            }
            let log = &typed.snapshot.log;
            assert!(log.len() > 5, "{name}: {} log entries", log.len());
            for entry in log {
                let event = entry
                    .event
                    .as_ref()
                    .unwrap_or_else(|| panic!("{name}: no sentence for {:?}", entry.what));
                assert_eq!(
                    tripoint_tui::report::drill::text(Lang::En, &drill, event),
                    entry.what,
                    "{name}"
                );
                let chinese = tripoint_tui::report::drill::text(Lang::ZhCn, &drill, event);
                assert!(chinese != entry.what && !chinese.is_empty(), "{name}: {chinese}");
            }
            assert!(n_updates > 20, "{name}: {n_updates} updates recorded");
            eprintln!("{name}: {n_updates} updates and {n_whole} whole snapshots applied alike");
            // The last view sent whole, as to a console that fell behind.
            let mut last = welcome.clone();
            for frame in &frames {
                client::apply_publication(&mut last, &client::decode(frame).unwrap()).unwrap();
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
        // The splicing and the whole-list observers hold the same view after every
        // publication both were sent; only the splicing one is sent splices, and the
        // splices send fewer bytes.
        let (spliced_bytes, n_spliced, spliced_views) = &ends["watcher"];
        let (whole_bytes, n_spliced_whole, whole_views) = &ends["wall"];
        assert_eq!(*n_spliced_whole, 0, "a client without `splices` is sent no splice");
        assert!(*n_spliced > 10, "{n_spliced} publications with splices");
        let mut n_compared = 0;
        for (seq, view) in spliced_views {
            if let Some(whole) = whole_views.get(seq) {
                assert_eq!(view, whole, "the observers' views differ after publication {seq}");
                n_compared += 1;
            }
        }
        assert!(n_compared > 20, "{n_compared} publications compared");
        assert!(
            spliced_bytes < whole_bytes,
            "{spliced_bytes} bytes spliced, {whole_bytes} whole"
        );
        eprintln!(
            "observers: {spliced_bytes} bytes with splices, {whole_bytes} without ({:.1} %), {n_compared} views equal",
            100.0 * *spliced_bytes as f64 / *whole_bytes as f64
        );
    });
    server.stop();
}
