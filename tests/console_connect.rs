//! `tripoint console --connect`: the console's connection thread (`console/remote.rs`)
//! against a real server, fed the commands the console's keys make and read through the
//! updates the console draws. An action is answered in the status line, a clock key from
//! a seat that is not a controller is refused there, and when the server is killed and
//! resumed at the same address the console connects again by itself and sends the action
//! it had no answer for again, with its id: the server applies it once.

mod support;

use std::sync::mpsc;
use std::time::{Duration, Instant};
use support::{Server, TIMEOUT, five_seats, journal_lines, replay, requests_of, scratch};
use tokio::sync::watch;
use tripoint_sim::drill::{Action, Seat};
use tripoint_tui::console::app::Command;
use tripoint_tui::console::remote::{self, Connection, Remote};
use tripoint_tui::console::runner::Update;

/// A console's connection thread: the commands it takes, the updates it sends.
struct Console {
    commands: mpsc::Sender<Command>,
    updates: watch::Receiver<Update>,
    thread: std::thread::JoinHandle<()>,
}

impl Console {
    fn connect(addr: &str, seat: &str, token: &str) -> Console {
        let connection = Connection {
            addr: addr.to_string(),
            transport: tripoint_tui::net::tls::Transport::Plain,
            seat: seat.to_string(),
            token: token.to_string(),
        };
        let (commands, command_rx) = mpsc::channel();
        let (updates_tx, updates_rx) = mpsc::channel();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let (client, welcomed) = remote::connect(&connection).await.unwrap();
                let (tx, rx) = watch::channel(Update {
                    snapshot: std::sync::Arc::new(welcomed.snapshot),
                    message: None,
                    finished: false,
                    clock: Some(welcomed.clock),
                });
                updates_tx.send(rx).unwrap();
                Remote {
                    connection,
                    commands: command_rx,
                    updates: tx,
                }
                .run(client)
                .await;
            });
        });
        let updates = updates_rx.recv_timeout(TIMEOUT).unwrap();
        Console {
            commands,
            updates,
            thread,
        }
    }

    /// Waits for a status line that `wanted` accepts; the messages seen on the way.
    fn wait_status(&mut self, wanted: impl Fn(&str) -> bool) -> Vec<String> {
        let deadline = Instant::now() + TIMEOUT;
        let mut seen = Vec::new();
        loop {
            if let Some(message) = self.updates.borrow_and_update().message.clone() {
                if wanted(&message) {
                    return seen;
                }
                if seen.last() != Some(&message) {
                    seen.push(message);
                }
            }
            assert!(Instant::now() < deadline, "no such status; seen {seen:?}");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn quit(self) {
        self.commands.send(Command::Quit).unwrap();
        self.thread.join().unwrap();
    }
}

#[test]
fn the_connected_console_acts_is_refused_the_clock_and_reconnects_to_a_resumed_server_sending_its_action_once() {
    let dir = scratch("console-connect");
    let tokens = five_seats(&dir);
    let server = Server::start(&dir, &["two-incidents"]);
    let addr = server.addr.clone();
    let mut console = Console::connect(&addr, "cmd", &tokens["cmd"]);

    console
        .commands
        .send(Command::Act(Seat::Command, Action::MediaStatement))
        .unwrap();
    console.wait_status(|m| m.starts_with("#1 "));
    console.commands.send(Command::Resume).unwrap();
    console.wait_status(|m| m == "#2 refused: only a controller runs the clock");

    // The server dies; an action sent meanwhile has no answer.
    server.kill9();
    console
        .commands
        .send(Command::Act(Seat::Command, Action::MediaStatement))
        .unwrap();
    console.wait_status(|m| m.starts_with("connection lost"));
    // Up again where it was, from its journal: the console finds it by itself.
    let server = Server::resume_at(&dir, &addr, &[]);
    console.wait_status(|m| m.starts_with("#3 "));
    console.quit();

    let journal = server.journal();
    server.stop();
    let lines = journal_lines(&journal);
    let ids: Vec<u64> = requests_of(&lines, "cmd")
        .iter()
        .map(|l| l["event"]["action"]["request"]["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, [1, 3], "each action applied once, the clock control not journaled");
    assert!(replay(&journal).contains("identical"));
}
