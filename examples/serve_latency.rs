//! The exercise server under 50 connected seats: the time from a seat sending an action to
//! every seat seeing its effect in its view, while the two-incident drill runs at the
//! fastest speed. Prints each run's median and 99th percentile, for docs/benchmarks.md.
//!
//! ```sh
//! cargo run --release --example serve_latency [-- RUNS] [--tls] [--actions N]
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
//! before the drill's end (where the controller's `pause_at` stops the clock) or the
//! run's last action (`--actions`, default `ACTIONS_PER_RUN`); then every seat is waited
//! for until it shows the last action's interval (at most `EFFECT_WITHIN`), so that a seat that had fallen behind is
//! counted with its latency instead of being left out. An effect still not seen then is
//! counted and said, with what that seat's client had applied, and left out of the
//! figures. The latencies hold the wait for the next publication (at most ten a second)
//! and the simulation's 20-minute steps at the fastest speed, between which the actions
//! are taken.
//!
//! A drill at the fastest speed lasts about a second of wall time after 05:00, a handful
//! of actions: a run plays drill after drill, each on a fresh server with its 50 seats
//! connected again, until it has its actions (at most `DRILLS_PER_RUN_MAX` drills), and reports over all of them. The load average is printed before and after
//! each run (`/proc/loadavg`), since the machine is shared, and the process's CPU time
//! (server and clients together, `getrusage`).
//!
//! `--tls`: every run is played twice, over plain TCP and then over TLS (the server with
//! the self-signed certificate `tripoint seat cert` makes, the clients trusting it through
//! `Transport::tls`), so that the two are measured side by side under the same load; a
//! line after each pair gives TLS's figures over plain TCP's.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tripoint_sim::drill::Action;
use tripoint_sim::drill::clock::Speed;
use tripoint_tui::net::client::Client;
use tripoint_tui::net::tls::Transport;
use tripoint_tui::net::{AckStatus, Control};

const CLIENTS: usize = 50;
/// Actions a run sends by default.
const ACTIONS_PER_RUN: usize = 300;
/// Most actions a run may ask for: each sets an interval of its own, from 1440 min down,
/// all above the plan's own.
const ACTIONS_PER_RUN_MAX: usize = 1000;
/// Drills a run plays at most to reach its actions.
const DRILLS_PER_RUN_MAX: usize = 100;
/// Time between two actions: under the server's limit of 20 a second per connection.
const SEND_EVERY: Duration = Duration::from_millis(60);
/// Longest wait, after a drill's last action, for every seat to show it.
const EFFECT_WITHIN: Duration = Duration::from_secs(60);
/// The window the figures of 2026-12-02 waited after a drill's last action: effects seen
/// later are counted apart, to compare.
const EFFECT_WITHIN_BEFORE: Duration = Duration::from_secs(5);
/// D1 05:00 [s].
const SETUP_PAUSE_S: i64 = 5 * 3600;

/// An action measured: the interval it sets, when it was sent, and each client's latency
/// [µs] (`None`: not seen yet).
struct Probe {
    every_min: u32,
    sent: Instant,
    seen: Vec<Option<u64>>,
}

/// What a client had applied when it last read a message.
#[derive(Clone, Copy, Default)]
struct Applied {
    seq: u64,
    snapshots: u64,
    interval: Option<u64>,
}

/// The actions sent so far, in order, and what each client has applied.
#[derive(Default)]
struct Board {
    probes: Vec<Probe>,
    applied: Vec<Applied>,
}

impl Board {
    /// Client `client` has applied publication `seq` (with `snapshots` whole snapshots so
    /// far) and shows `interval`: the action that set it, and every action before it
    /// (which it supersedes), are seen by that client now.
    fn mark(&mut self, client: usize, interval: Option<u64>, seq: u64, snapshots: u64) {
        self.applied[client] = Applied {
            seq,
            snapshots,
            interval,
        };
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

/// Plain TCP, or TLS with the certificate and key the server is given (the clients trust
/// the certificate).
#[derive(Clone)]
enum Mode {
    Plain,
    Tls { cert: PathBuf, key: PathBuf },
}

impl Mode {
    fn label(&self) -> &'static str {
        match self {
            Mode::Plain => "plain TCP",
            Mode::Tls { .. } => "TLS",
        }
    }
}

/// A run's figures over one transport.
struct Figures {
    per_seat: Vec<u64>,
    all_seen: Vec<u64>,
    n_actions: usize,
    n_drills: usize,
    unseen: usize,
    late: usize,
    cpu_s: f64,
    wall_s: f64,
    load_before: String,
    load_after: String,
}

fn main() {
    let mut runs = 3;
    let mut tls = false;
    let mut actions = ACTIONS_PER_RUN;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let number = |text: Option<String>, what: &str| match text.as_deref().map(str::parse::<usize>) {
            Some(Ok(n)) if (1..=ACTIONS_PER_RUN_MAX).contains(&n) => n,
            _ => {
                eprintln!("serve_latency: {what}: expected a number from 1 to {ACTIONS_PER_RUN_MAX}, got {text:?}");
                std::process::exit(2);
            }
        };
        match arg.as_str() {
            "--tls" => tls = true,
            "--actions" => actions = number(args.next(), "--actions"),
            _ => runs = number(Some(arg), "RUNS"),
        }
    }
    let certificate = tls.then(make_certificate);
    for run in 1..=runs {
        let plain = series(run, &Mode::Plain, actions);
        report(run, Mode::Plain.label(), &plain);
        if let Some((cert, key)) = &certificate {
            let mode = Mode::Tls {
                cert: cert.clone(),
                key: key.clone(),
            };
            let over_tls = series(run, &mode, actions);
            report(run, mode.label(), &over_tls);
            println!(
                "run {run}: TLS / plain TCP: one seat median ×{:.2}, P99 ×{:.2}; all seats median ×{:.2}, P99 ×{:.2}; \
                 CPU per action ×{:.2}",
                percentile(&over_tls.per_seat, 0.5) / percentile(&plain.per_seat, 0.5),
                percentile(&over_tls.per_seat, 0.99) / percentile(&plain.per_seat, 0.99),
                percentile(&over_tls.all_seen, 0.5) / percentile(&plain.all_seen, 0.5),
                percentile(&over_tls.all_seen, 0.99) / percentile(&plain.all_seen, 0.99),
                (over_tls.cpu_s / over_tls.n_actions as f64) / (plain.cpu_s / plain.n_actions as f64),
            );
        }
    }
    if let Some((cert, _)) = &certificate
        && let Some(dir) = cert.parent()
    {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// The room's certificate and key, as `tripoint seat cert --out DIR --name 127.0.0.1`
/// makes them.
fn make_certificate() -> (PathBuf, PathBuf) {
    use tripoint_tui::commands::seat::{SeatArgs, SeatCommand, run};
    let dir = std::env::temp_dir().join(format!("tripoint-serve-latency-tls-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let args = SeatArgs {
        command: SeatCommand::Cert {
            out: dir.clone(),
            names: vec!["127.0.0.1".to_string()],
        },
    };
    if let Err(e) = run(&args) {
        panic!("seat cert: {e:?}");
    }
    (dir.join("cert.pem"), dir.join("key.pem"))
}

/// Drill after drill over `mode` until `actions` actions.
fn series(run: usize, mode: &Mode, actions: usize) -> Figures {
    let load_before = load_average();
    let (cpu_before, wall_before) = (cpu_time_s(), Instant::now());
    let mut figures = Figures {
        per_seat: Vec::new(),
        all_seen: Vec::new(),
        n_actions: 0,
        n_drills: 0,
        unseen: 0,
        late: 0,
        cpu_s: 0.0,
        wall_s: 0.0,
        load_before,
        load_after: String::new(),
    };
    while figures.n_actions < actions && figures.n_drills < DRILLS_PER_RUN_MAX {
        figures.n_drills += 1;
        let drill = one_drill(run, figures.n_drills, actions - figures.n_actions, mode);
        figures.per_seat.extend(drill.per_seat);
        figures.all_seen.extend(drill.all_seen);
        figures.n_actions += drill.n_actions;
        figures.unseen += drill.unseen;
        figures.late += drill.late;
    }
    figures.cpu_s = cpu_time_s() - cpu_before;
    figures.wall_s = wall_before.elapsed().as_secs_f64();
    figures.load_after = load_average();
    figures
}

fn report(run: usize, label: &str, f: &Figures) {
    println!(
        "run {run}, {label}: {} actions over {} drills in {:.0} s, {:.1} s CPU ({:.1} ms per action; load average \
         {} before, {} after); action to one seat's view: median {:.1} ms, p99 {:.1} ms, max {:.1} ms ({} samples); \
         to all {CLIENTS} seats: median {:.1} ms, p99 {:.1} ms, max {:.1} ms; {} effects seen more than {:?} after \
         a drill's last action, {} never seen",
        f.n_actions,
        f.n_drills,
        f.wall_s,
        f.cpu_s,
        1000.0 * f.cpu_s / f.n_actions as f64,
        f.load_before,
        f.load_after,
        percentile(&f.per_seat, 0.5),
        percentile(&f.per_seat, 0.99),
        percentile(&f.per_seat, 1.0),
        f.per_seat.len(),
        percentile(&f.all_seen, 0.5),
        percentile(&f.all_seen, 0.99),
        percentile(&f.all_seen, 1.0),
        f.late,
        EFFECT_WITHIN_BEFORE,
        f.unseen,
    );
}

/// The 1-, 5- and 15-minute load averages, as `/proc/loadavg` gives them.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| text.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_string())
}

/// CPU time of this process so far, user and system [s].
fn cpu_time_s() -> f64 {
    // SAFETY: getrusage writes into the struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
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

/// A drill's figures: latency of every action to every seat [µs], of every action to
/// its last seat [µs], actions sent, effects never seen, effects seen more than
/// `EFFECT_WITHIN_BEFORE` after the last action.
struct DrillFigures {
    per_seat: Vec<u64>,
    all_seen: Vec<u64>,
    n_actions: usize,
    unseen: usize,
    late: usize,
}

/// One server, 50 clients, actions until the drill ends or `actions_max` were sent.
fn one_drill(run: usize, drill: usize, actions_max: usize, mode: &Mode) -> DrillFigures {
    let dir = std::env::temp_dir().join(format!("tripoint-serve-latency-{}-{run}-{drill}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let tokens = write_seats(&dir);
    let addr = format!("127.0.0.1:{}", free_port());
    let (tls_cert, tls_key, transport) = match mode {
        Mode::Plain => (None, None, Transport::Plain),
        Mode::Tls { cert, key } => (
            Some(cert.clone()),
            Some(key.clone()),
            Transport::tls(&addr, cert, None).expect("the certificate made for 127.0.0.1"),
        ),
    };
    let args = tripoint_tui::serve::ServeArgs {
        target: Some("two-incidents".to_string()),
        live: false,
        clock: None,
        listen: addr.clone(),
        tls_cert,
        tls_key,
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
    let result = runtime.block_on(measure(&transport, &addr, &tokens, actions_max));
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

async fn connect(transport: &Transport, addr: &str, name: &str, token: &str) -> Client {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match Client::connect_over(transport, addr, name, token, None).await {
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

async fn measure(transport: &Transport, addr: &str, tokens: &[(String, String)], actions_max: usize) -> DrillFigures {
    let mut clients = Vec::new();
    for (name, token) in tokens {
        clients.push(connect(transport, addr, name, token).await);
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
        initial < u64::from(every_min_of(actions_max)),
        "the values sent are new"
    );
    let board = Arc::new(Mutex::new(Board {
        probes: Vec::new(),
        applied: vec![Applied::default(); CLIENTS],
    }));
    let names: Vec<String> = clients.iter().map(|c| c.seat.clone()).collect();
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
                let interval = interval_in(client.view(), &point);
                board
                    .lock()
                    .unwrap()
                    .mark(i + 1, interval, client.seq(), client.n_snapshots);
            }
        }));
    }
    let mut next_send = Instant::now();
    for k in 0..actions_max {
        // Until the next send, the sender reads its own messages like the others.
        while Instant::now() < next_send {
            if let Ok(message) = tokio::time::timeout_at(next_send.into(), sender.next_message()).await {
                message.unwrap();
                mark(&board, &sender, &point);
            }
        }
        if sender.view()["clock"]["finished"] == true || sender.view()["now"].as_i64() >= Some(stop_s) {
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
        mark(&board, &sender, &point);
        if ack.status != AckStatus::Applied {
            panic!("action {k} refused: {}", ack.detail);
        }
    }
    // The last actions' effects arrive: every seat is waited for, however far behind.
    let measured_until = Instant::now();
    let deadline = measured_until + EFFECT_WITHIN;
    while !board.lock().unwrap().all_seen() && Instant::now() < deadline {
        if let Ok(message) = tokio::time::timeout(Duration::from_millis(20), sender.next_message()).await {
            message.unwrap();
            mark(&board, &sender, &point);
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
        let newest = board.applied.iter().map(|a| a.seq).max().unwrap_or(0);
        println!(
            "{unseen} effects not seen within {EFFECT_WITHIN:?} of the last action (left out of the figures); \
             the newest publication a client applied: {newest}"
        );
        for (client, applied) in board.applied.iter().enumerate() {
            let missed = board.probes.iter().filter(|p| p.seen[client].is_none()).count();
            if missed > 0 {
                let name = if client == 0 { &sender.seat } else { &names[client - 1] };
                println!(
                    "  {name}: {missed} unseen; it applied publication {} ({} snapshots) showing interval {:?}",
                    applied.seq, applied.snapshots, applied.interval
                );
            }
        }
    }
    let late_after = measured_until + EFFECT_WITHIN_BEFORE;
    let late = board
        .probes
        .iter()
        .flat_map(|p| p.seen.iter().flatten().map(|&us| p.sent + Duration::from_micros(us)))
        .filter(|&seen_at| seen_at > late_after)
        .count();
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
    DrillFigures {
        per_seat,
        all_seen,
        n_actions: board.probes.len(),
        unseen,
        late,
    }
}

/// The sender's client has read a message: marks what its view shows.
fn mark(board: &Mutex<Board>, client: &Client, point: &str) {
    board
        .lock()
        .unwrap()
        .mark(0, interval_in(client.view(), point), client.seq(), client.n_snapshots);
}

/// The interval the `k`th action sets [min]: 1440, 1439, … (a plan's own are far below).
fn every_min_of(k: usize) -> u32 {
    1440 - k as u32
}
