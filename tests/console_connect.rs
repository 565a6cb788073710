//! `tripoint console --connect`: the console's connection thread (`console/remote.rs`)
//! against a real server, fed the commands the console's keys make and read through the
//! updates the console draws. An action is answered in the status line, a clock key from
//! a seat that is not a controller is refused there, and when the server is killed and
//! resumed at the same address the console connects again by itself and sends the action
//! it had no answer for again, with its id: the server applies it once. A console in
//! Chinese gets its answers in Chinese, another jurisdiction's team refused by the teams'
//! and counties' Chinese names.

mod support;

use std::sync::mpsc;
use std::time::{Duration, Instant};
use support::{Server, TIMEOUT, five_seats, journal_lines, replay, requests_of, scratch};
use tokio::sync::watch;
use tripoint_sim::drill::{Action, Seat};
use tripoint_tui::console::app::Command;
use tripoint_tui::console::remote::{self, Connection, Remote};
use tripoint_tui::console::runner::Update;
use tripoint_tui::i18n::Lang;

/// A console's connection thread: the commands it takes, the updates it sends.
struct Console {
    commands: mpsc::Sender<Command>,
    updates: watch::Receiver<Update>,
    thread: std::thread::JoinHandle<()>,
}

impl Console {
    fn connect(addr: &str, seat: &str, token: &str) -> Console {
        Console::connect_in(addr, seat, token, Lang::En)
    }

    fn connect_in(addr: &str, seat: &str, token: &str, lang: Lang) -> Console {
        let connection = Connection {
            addr: addr.to_string(),
            transport: tripoint_tui::net::tls::Transport::Plain,
            seat: seat.to_string(),
            token: token.to_string(),
            lang,
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
                    drill: support::two_incidents_drill(),
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

#[test]
fn a_console_in_chinese_is_answered_in_chinese() {
    let dir = scratch("console-connect-zh");
    let tokens = five_seats(&dir);
    let server = Server::start(&dir, &["two-incidents"]);
    let drill = support::two_incidents_drill();
    let s = &drill.scenario;
    let wujiang = s.jurisdictions.iter().position(|j| j.id == "wujiang").unwrap();
    let team = s.teams.iter().position(|t| t.jurisdiction == wujiang).unwrap();
    let name = |id: &str| tripoint_tui::i18n::scenario_name(Lang::ZhCn, s, id);
    let mut console = Console::connect_in(&server.addr, "qingpu", &tokens["qingpu"], Lang::ZhCn);
    let qingpu = Seat::Jurisdiction(s.jurisdictions.iter().position(|j| j.id == "qingpu").unwrap());
    console
        .commands
        .send(Command::Act(qingpu, Action::Dispatch { team, point: 0 }))
        .unwrap();
    let expected = format!(
        "#1 被拒绝：{}是{}的监测队伍：{}只能调派本区县的队伍，联合指挥部可调派任何队伍",
        name(&s.teams[team].id),
        name("wujiang"),
        name("qingpu")
    );
    console.wait_status(|m| m == expected);
    console.commands.send(Command::Resume).unwrap();
    console.wait_status(|m| m == "#2 被拒绝：只有导调人员可以控制演练时钟");
    console.commands.send(Command::Step).unwrap();
    console.wait_status(|m| m == "单步运行只用于控制台自己的演练：本演练由服务器的时钟运行");
    console.quit();
    let journal = server.journal();
    server.stop();
    let lines = journal_lines(&journal);
    let refused: Vec<&str> = requests_of(&lines, "qingpu")
        .iter()
        .filter_map(|l| l["note"]["refused"].as_str())
        .collect();
    assert_eq!(
        refused,
        [format!(
            "{} is a team of wujiang: qingpu dispatches its own teams, the joint command any",
            s.teams[team].id
        )],
        "journaled in English, as always"
    );
    assert!(replay(&journal).contains("identical"));
}
