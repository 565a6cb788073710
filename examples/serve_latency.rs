//! The exercise server under 50 connected seats: the time from a seat sending an action to
//! every seat seeing its effect in its view, while the two-incident drill runs at the
//! fastest speed. Prints each run's median and 99th percentile, for docs/benchmarks.md.
//!
//! ```sh
//! cargo run --release --example serve_latency [-- RUNS]
//! ```
//!
//! One process: the server (`tripoint_tui::serve::run`, as `tripoint serve` runs it) on a
//! loopback port, and 50 clients of the client library, one connection per seat: the
//! controller, the joint command, the three jurisdictions, two evaluators and 43
//! observers. The controller runs the drill to D1 05:00 (both incidents known, the
//! antimony plan issued); Wujiang notifies Qingpu and Jiashan of its incident, so that
//! every seat's view holds that plan; then the clock runs at the fastest speed and the
//! joint command changes the sampling interval of the plan's first point every 60 ms
//! (16 actions a second, under the server's limit of 20 per connection), each to a
//! value not used before (1440, 1439, … min), without waiting for the effects. An
//! action's latency to a seat is the time from just before it is sent to the moment that
//! seat's client has applied a publication showing its interval or a later one's (a later
//! action supersedes it: a publication can carry several). Measured until two hours
//! before the drill's end (where the controller's `pause_at` stops the clock) or
//! `ACTIONS_PER_RUN` actions, then 5 s at most for the last effects; an effect never
//! seen is counted and said, and left out of the figures. The latencies hold the wait for the next publication (at most ten
//! a second) and the simulation's 20-minute steps at the fastest speed, between which
//! the actions are taken.
//!
//! A drill at the fastest speed lasts about a second of wall time after 05:00, a handful
//! of actions: a run plays drill after drill, each on a fresh server with its 50 seats
//! connected again, until it has `ACTIONS_PER_RUN` actions (at most `DRILLS_PER_RUN_MAX`
//! drills), and reports over all of them. The load average is printed before and after
//! each run (`/proc/loadavg`), since the machine is shared.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tripoint_sim::drill::Action;
use tripoint_sim::drill::clock::Speed;
use tripoint_tui::net::client::Client;
use tripoint_tui::net::{AckStatus, Control};

const CLIENTS: usize = 50;
const ACTIONS_PER_RUN: usize = 300;
/// Drills a run plays at most to reach `ACTIONS_PER_RUN`.
const DRILLS_PER_RUN_MAX: usize = 100;
/// Time between two actions: under the server's limit of 20 a second per connection.
const SEND_EVERY: Duration = Duration::from_millis(60);
const EFFECT_WITHIN: Duration = Duration::from_secs(5);
/// D1 05:00 [s].
const SETUP_PAUSE_S: i64 = 5 * 3600;

/// An action measured: the interval it sets, when it was sent, and each client's latency
/// [µs] (`None`: not seen yet).
struct Probe {
    every_min: u32,
    sent: Instant,
    seen: Vec<Option<u64>>,
}

/// The actions sent so far, in order.
#[derive(Default)]
struct Board {
    probes: Vec<Probe>,
}

impl Board {
    /// Client `client` shows `interval`: the action that set it, and every action before
    /// it (which it supersedes), are seen by that client now.
    fn mark(&mut self, client: usize, interval: Option<u64>) {
        let Some(k) = self
            .probes
            .iter()
            .position(|p| Some(u64::from(p.every_min)) == interval)
        else {
            return;
        };
        for probe in &mut self.probes[..=k] {
            if probe.seen[client].is_none() {
                probe.seen[client] = Some(probe.sent.elapsed().as_micros() as u64);
            }
        }
    }

    fn all_seen(&self) -> bool {
        self.probes.iter().all(|p| p.seen.iter().all(Option::is_some))
    }
}

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .map_or(3, |n| n.parse().expect("RUNS: a number"));
    for run in 1..=runs {
        let load_before = load_average();
        let (mut per_seat, mut all_seen, mut n_actions, mut n_drills) = (Vec::new(), Vec::new(), 0, 0);
        while n_actions < ACTIONS_PER_RUN && n_drills < DRILLS_PER_RUN_MAX {
            n_drills += 1;
            let (seat, all, n, _finished) = one_drill(run, n_drills, ACTIONS_PER_RUN - n_actions);
            per_seat.extend(seat);
            all_seen.extend(all);
            n_actions += n;
        }
        println!(
            "run {run}: {n_actions} actions over {n_drills} drills (load average {load_before} before, {} after); \
             action to one seat's view: median {:.1} ms, p99 {:.1} ms, max {:.1} ms \
             ({} samples); to all {CLIENTS} seats: median {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            load_average(),
            percentile(&per_seat, 0.5),
            percentile(&per_seat, 0.99),
            percentile(&per_seat, 1.0),
            per_seat.len(),
            percentile(&all_seen, 0.5),
            percentile(&all_seen, 0.99),
            percentile(&all_seen, 1.0),
        );
    }
}

/// The 1-, 5- and 15-minute load averages, as `/proc/loadavg` gives them.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| text.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_string())
}

/// Nearest-rank percentile of latencies [µs], in ms.
fn percentile(values: &[u64], p: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1] as f64 / 1000.0
}

fn seats() -> Vec<(String, &'static str)> {
    let mut seats = vec![
        ("ctl".to_string(), "controller"),
        ("cmd".to_string(), "command"),
        ("qingpu".to_string(), "jurisdiction:qingpu"),
        ("wujiang".to_string(), "jurisdiction:wujiang"),
        ("jiashan".to_string(), "jurisdiction:jiashan"),
        ("eva1".to_string(), "evaluator"),
        ("eva2".to_string(), "evaluator"),
    ];
    for n in seats_len_observers(seats.len()) {
        seats.push((format!("obs{n:02}"), "observer"));
    }
    seats
}

fn seats_len_observers(others: usize) -> std::ops::Range<usize> {
    1..CLIENTS - others + 1
}

/// A token per seat (the benchmark's own: fixed, not secret) and the seats file.
fn write_seats(dir: &Path) -> Vec<(String, String)> {
    let mut text = String::new();
    let mut tokens = Vec::new();
    for (i, (name, role)) in seats().into_iter().enumerate() {
        let token = format!("{i:064x}");
        let digest: String = tripoint_tui::serve::seats::digest(&token)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        text.push_str(&format!(
            "[[seats]]\nname = \"{name}\"\nrole = \"{role}\"\ntoken_sha256 = \"{digest}\"\n\n"
        ));
        tokens.push((name, token));
    }
    std::fs::write(dir.join("seats.toml"), text).unwrap();
    tokens
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One server, 50 clients, actions until the drill ends or `actions_max` were sent:
/// (latency of every action to every seat [µs], latency of every action to the last seat
/// [µs], actions, ended).
fn one_drill(run: usize, drill: usize, actions_max: usize) -> (Vec<u64>, Vec<u64>, usize, bool) {
    let dir = std::env::temp_dir().join(format!("tripoint-serve-latency-{}-{run}-{drill}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let tokens = write_seats(&dir);
    let addr = format!("127.0.0.1:{}", free_port());
    let args = tripoint_tui::serve::ServeArgs {
        target: Some("two-incidents".to_string()),
        live: false,
        clock: None,
        listen: addr.clone(),
        tls_cert: None,
        tls_key: None,
        insecure_plain: false,
        seats: dir.join("seats.toml"),
        journal: None,
        report: None,
        resume: None,
        speed: Some("fastest".to_string()),
        seed: 0,
        policy: "unified".to_string(),
        // The latency of the views alone: the database writes of a session are measured
        // with the database (docs/benchmarks.md, tests/serve_db.rs).
        db: None,
        no_db: true,
    };
    let server = std::thread::spawn(move || {
        if let Err(e) = tripoint_tui::serve::run(&args) {
            panic!("the server stopped: {e:?}");
        }
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let result = runtime.block_on(measure(&addr, &tokens, actions_max));
    runtime.shutdown_background();
    // Stopped as an operator stops it, so that the next run has the machine to itself.
    // SAFETY: a signal to this process, whose server catches it.
    unsafe {
        libc::kill(libc::getpid(), libc::SIGTERM);
    }
    server.join().expect("the server stops");
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn connect(addr: &str, name: &str, token: &str) -> Client {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match Client::connect(addr, name, token).await {
            Ok(client) => return client,
            Err(e) if Instant::now() < deadline => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(e) => panic!("{name} cannot connect: {e}"),
        }
    }
}

/// The interval of the antimony plan's point `point`, as this view shows it [min].
fn interval_in(view: &serde_json::Map<String, serde_json::Value>, point: &str) -> Option<u64> {
    view.get("plans")?.as_array()?.iter().find(|p| p["incident"] == 0)?["points"]
        .as_array()?
        .iter()
        .find(|p| p["id"] == point)?["dense_min"]
        .as_u64()
}

async fn measure(addr: &str, tokens: &[(String, String)], actions_max: usize) -> (Vec<u64>, Vec<u64>, usize, bool) {
    let mut clients = Vec::new();
    for (name, token) in tokens {
        clients.push(connect(addr, name, token).await);
    }
    let [ctl, cmd, _qingpu, wujiang, ..] = &mut clients[..] else {
        unreachable!("50 clients")
    };
    // To D1 05:00 at the fastest speed; Wujiang tells the others of its incident.
    for control in [
        Control::PauseAt(SETUP_PAUSE_S),
        Control::Speed(Speed::Fastest),
        Control::Resume,
    ] {
        assert_eq!(ctl.control(control).await.unwrap().status, AckStatus::Applied);
    }
    let paused =
        |v: &serde_json::Map<String, serde_json::Value>| v["clock"]["paused"] == true && v["now"] == SETUP_PAUSE_S;
    ctl.wait_for(Duration::from_secs(120), paused).await.unwrap();
    wujiang.wait_for(Duration::from_secs(10), paused).await.unwrap();
    let incident = &wujiang.snapshot().unwrap().incidents[0];
    for (to, _) in incident.downstream.clone() {
        let ack = wujiang
            .act(Action::Notify {
                to,
                incident: Some(incident.idx),
            })
            .await
            .unwrap();
        assert_eq!(ack.status, AckStatus::Applied, "{}", ack.detail);
    }
    cmd.wait_for(Duration::from_secs(10), paused).await.unwrap();
    let point = cmd
        .snapshot()
        .unwrap()
        .plans
        .iter()
        .find(|p| p.incident == 0)
        .expect("the antimony plan")
        .points[0]
        .id
        .clone();
    let initial = interval_in(cmd.view(), &point).unwrap();
    // Every seat shows the plan before the clock runs again.
    for client in clients.iter_mut() {
        client
            .wait_for(Duration::from_secs(10), |v| interval_in(v, &point).is_some())
            .await
            .unwrap_or_else(|e| panic!("{} never saw the antimony plan: {e}", client.seat));
    }

    assert!(
        initial < u64::from(every_min_of(ACTIONS_PER_RUN)),
        "the values sent are new"
    );
    let board = Arc::new(Mutex::new(Board::default()));
    let mut sender = clients.remove(1);
    let mut controller = clients.remove(0);
    // The measurement stops two hours of exercise time before the drill's end, where the
    // clock pauses by itself: the plans close as the drill ends, and an action's effect
    // on a closing plan may never be shown.
    let stop_s = controller.snapshot().unwrap().end.seconds() - 2 * 3600;
    for control in [Control::PauseAt(stop_s), Control::Resume] {
        assert_eq!(controller.control(control).await.unwrap().status, AckStatus::Applied);
    }
    // Every other client reads its messages and marks the actions whose effect it shows.
    let mut readers = Vec::new();
    for (i, mut client) in std::iter::once(controller).chain(clients).enumerate() {
        let (board, point) = (board.clone(), point.clone());
        readers.push(tokio::spawn(async move {
            while client.next_message().await.is_ok() {
                board.lock().unwrap().mark(i + 1, interval_in(client.view(), &point));
            }
        }));
    }
    let mut finished = false;
    let mut next_send = Instant::now();
    for k in 0..actions_max {
        // Until the next send, the sender reads its own messages like the others.
        while Instant::now() < next_send {
            if let Ok(message) = tokio::time::timeout_at(next_send.into(), sender.next_message()).await {
                message.unwrap();
                board.lock().unwrap().mark(0, interval_in(sender.view(), &point));
            }
        }
        if sender.view()["clock"]["finished"] == true || sender.view()["now"].as_i64() >= Some(stop_s) {
            finished = true;
            break;
        }
        next_send = Instant::now() + SEND_EVERY;
        let every_min = every_min_of(k);
        board.lock().unwrap().probes.push(Probe {
            every_min,
            sent: Instant::now(),
            seen: vec![None; CLIENTS],
        });
        let ack = sender
            .act(Action::SetPlanInterval {
                incident: 0,
                point: point.clone(),
                every_min,
            })
            .await
            .unwrap();
        board.lock().unwrap().mark(0, interval_in(sender.view(), &point));
        if ack.status != AckStatus::Applied {
            panic!("action {k} refused: {}", ack.detail);
        }
    }
    // The last actions' effects arrive.
    let deadline = Instant::now() + EFFECT_WITHIN;
    while !board.lock().unwrap().all_seen() && Instant::now() < deadline {
        if let Ok(message) = tokio::time::timeout(Duration::from_millis(20), sender.next_message()).await {
            message.unwrap();
            board.lock().unwrap().mark(0, interval_in(sender.view(), &point));
        }
    }
    for reader in readers {
        reader.abort();
    }
    let board = board.lock().unwrap();
    let unseen = board
        .probes
        .iter()
        .flat_map(|p| &p.seen)
        .filter(|s| s.is_none())
        .count();
    if unseen > 0 {
        println!("{unseen} effects not seen within {EFFECT_WITHIN:?} (left out of the figures)");
    }
    let per_seat: Vec<u64> = board
        .probes
        .iter()
        .flat_map(|p| p.seen.iter().flatten())
        .copied()
        .collect();
    let all_seen: Vec<u64> = board
        .probes
        .iter()
        .filter(|p| p.seen.iter().all(Option::is_some))
        .map(|p| p.seen.iter().flatten().copied().max().unwrap_or(0))
        .collect();
    (per_seat, all_seen, board.probes.len(), finished)
}

/// The interval the `k`th action sets [min]: 1440, 1439, … (a plan's own are far below).
fn every_min_of(k: usize) -> u32 {
    1440 - k as u32
}
