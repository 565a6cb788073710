//! The connection task against a stand-in simulation, on a real loopback socket: what a
//! client that falls behind gets.

use super::simulation::{Published, PublishedView, Request, ViewKey, Welcome};
use super::{SeatInfo, Seats, Shared};
use crate::net::client::Client;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use tokio::sync::broadcast;
use tripoint_sim::drill::Seat;
use tripoint_sim::scenario::SourceText;

fn view(seq: u64, bytes: usize) -> Map<String, Value> {
    let mut view = Map::new();
    view.insert("seq".into(), json!(seq));
    view.insert("log".into(), json!("x".repeat(bytes)));
    view
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_that_falls_behind_gets_a_fresh_snapshot_not_the_backlog() {
    let token = "a".repeat(64);
    let digest: String = super::seats::digest(&token)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let text = format!("[[seats]]\nname = \"watcher\"\nrole = \"observer\"\ntoken_sha256 = \"{digest}\"\n");
    let seats_file = Seats::parse(SourceText::new("seats.toml", text)).unwrap();
    let (requests, request_rx) = std::sync::mpsc::channel();
    let (updates, _) = broadcast::channel(super::PUBLICATIONS_BUFFERED);
    let shared = Arc::new(Shared {
        seats: Arc::new(vec![SeatInfo {
            name: "watcher".into(),
            role: "observer".into(),
            seat: Seat::Observer,
        }]),
        seats_file,
        requests,
        updates: updates.clone(),
        connected: Mutex::new(BTreeMap::new()),
    });
    // The stand-in simulation: welcomes with an empty view at publication 0.
    std::thread::spawn(move || {
        while let Ok(request) = request_rx.recv() {
            if let Request::Hello { reply, .. } = request {
                let _ = reply.send(Welcome {
                    seq: 0,
                    time_s: 0,
                    missed: None,
                    view: Arc::new(view(0, 0)),
                    last_action_id: None,
                });
            }
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let stream = super::Stream::new(Box::new(stream));
        super::connection::serve(stream, "test".to_string(), shared).await;
    });
    let mut client = Client::connect(&addr, "watcher", &token).await.unwrap();
    // Publications far beyond what the ring and the socket hold, while the client does
    // not read: publishing never waits for it.
    let n_publications = 100u64;
    for seq in 1..=n_publications {
        let full = Arc::new(view(seq, 64 * 1024));
        let mut views = BTreeMap::new();
        let changed = (*full).clone();
        views.insert(
            ViewKey::Watch,
            PublishedView {
                changed,
                spliced: None,
                full,
            },
        );
        let sent = updates.send(Arc::new(Published {
            seq,
            time_s: seq as i64,
            views,
        }));
        assert!(sent.is_ok(), "the connection is subscribed");
    }
    let mut n_updates = 0;
    while client.seq() < n_publications {
        if let crate::net::ServerMessage::Update { .. } = client.next_message().await.unwrap() {
            n_updates += 1;
        }
    }
    assert!(client.n_snapshots >= 1, "a fresh snapshot replaced what was missed");
    assert!(
        n_updates + client.n_snapshots < n_publications,
        "not the backlog: {n_updates} updates and {} snapshots for {n_publications} publications",
        client.n_snapshots
    );
    assert_eq!(client.view()["seq"], json!(n_publications), "the view is the latest");
}
