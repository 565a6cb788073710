//! Time to draw one console frame of the two-incident drill at D1 06:00 (map, chart,
//! every panel) into an off-screen buffer, at three terminal sizes; and the same for a
//! console connected to an exercise server (`tripoint console --connect`), with the cost
//! of applying the server's publications to its state.
//!
//! The connected case: an exercise server (`tripoint_tui::serve::run`, as `tripoint serve`
//! runs it) on a loopback port plays the two-incident drill at the fastest speed with the
//! controller, the joint command, the three jurisdictions and an evaluator connected and
//! acting (the controller runs the clock to D1 05:00, Wujiang notifies the jurisdictions
//! downstream, then while the clock runs on the command changes a plan interval every
//! 60 ms and the evaluator writes observations), and two more seats, one of the joint
//! command and one of the Qingpu jurisdiction, stand for the connected consoles: every
//! publication they are sent is kept, as the frame the server wrote. The clock pauses at
//! D1 06:00 (the single-process frame's moment) and at the drill's last ten minutes,
//! where the views are largest. Then the server stops and the benchmarks time, on the
//! recorded publications, what a connected console does with each: read the frame,
//! apply it to the seat's view, read the view as a snapshot (the connection thread,
//! `console/remote.rs`) and hand it to the console's state (`App::set_snapshot`, the
//! drawing thread); and the frame drawn from those states. Two ways side by side: `json`,
//! the view kept as JSON (`client::apply_publication`, then `client::snapshot_of` on a
//! copy of the whole view), and `typed`, the view kept as the snapshot type with each
//! changed field read straight into it (`TypedView::receive`, what the console does).
//! Before timing, the setup waits until the server's threads are gone (its source
//! estimator finishes an identification already started) and the process is idle. It
//! prints the load average, the publications' sizes and the bytes of each field, for
//! docs/benchmarks.md.

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::{Map, Value};
use std::hint::black_box;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tripoint_sim::drill::clock::Speed;
use tripoint_sim::drill::view::{self, MapGeometry, Snapshot};
use tripoint_sim::drill::{Action, DrillConfig, Seat, Session};
use tripoint_sim::response::dispatch::PolicyKind;
use tripoint_sim::time::SimTime;
use tripoint_tui::console::app::{App, Panel};
use tripoint_tui::console::{remote, render};
use tripoint_tui::net::client::{self, Client};
use tripoint_tui::net::tls::Transport;
use tripoint_tui::net::typed_view::TypedView;
use tripoint_tui::net::{AckStatus, Control, ServerMessage};

/// D1 05:00 and D1 06:00 [s].
const SETUP_PAUSE_S: i64 = 5 * 3600;
const FRAME_PAUSE_S: i64 = 6 * 3600;
/// Time between two of the command's actions: under the server's 20 a second.
const ACT_EVERY: Duration = Duration::from_millis(60);
/// Longest wait for the clock to reach a pause.
const PAUSE_WITHIN: Duration = Duration::from_secs(120);

fn drill() -> Arc<tripoint_sim::drill::Drill> {
    Arc::new(tripoint_tui::commands::drill::load_drill("two-incidents").unwrap_or_else(|_| panic!("shipped")))
}

fn single_process_app() -> App {
    let drill = drill();
    let config = DrillConfig {
        policy: PolicyKind::Unified,
        seed: 0,
        journal: false,
        human_seats: vec![Seat::Command],
    };
    let mut session = Session::new(drill, &config).unwrap();
    session.advance_to(SimTime(FRAME_PAUSE_S)).unwrap();
    let geometry = Arc::new(MapGeometry::of(&session.drill().scenario));
    // The controller view: the plume is drawn too, the most the map ever draws.
    let snapshot = Arc::new(view::snapshot(&session, Some("jinze_intake"), true));
    let mut app = App::new(geometry, snapshot, Seat::Command);
    app.chart_point = Some("jinze_intake".into());
    app.truth = true;
    app.focus = Panel::Plan;
    app
}

fn frames(c: &mut Criterion) {
    let app = single_process_app();
    let mut group = c.benchmark_group("console_frame");
    for (width, height) in [(80, 24), (160, 48), (200, 60)] {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        group.bench_function(format!("{width}x{height}"), |b| {
            b.iter(|| {
                terminal.draw(|frame| render::draw(frame, black_box(&app))).unwrap();
            })
        });
    }
    group.finish();
}

/// What one connected console was sent: its role, the view it was welcomed with, and
/// every publication after it as the server's frame, with the frame's exercise time.
struct Recording {
    label: &'static str,
    role: String,
    welcome: Map<String, Value>,
    frames: Vec<(i64, Vec<u8>)>,
}

impl Recording {
    /// The view after every publication up to and including time `until_s`.
    fn view_at(&self, until_s: i64) -> Map<String, Value> {
        let mut view = self.welcome.clone();
        for (_, frame) in self.frames.iter().take_while(|(time_s, _)| *time_s <= until_s) {
            client::apply_publication(&mut view, &client::decode(frame).unwrap()).unwrap();
        }
        view
    }

    /// [`Recording::view_at`] kept as the console keeps it.
    fn typed_view_at(&self, until_s: i64) -> TypedView {
        let mut view = TypedView::of_json(self.welcome.clone()).unwrap();
        for (_, frame) in self.frames.iter().take_while(|(time_s, _)| *time_s <= until_s) {
            view.receive(frame).unwrap();
        }
        view
    }
}

/// The console's state as `tripoint console --connect` builds it for `role`.
fn connected_app(role: &str, view: &Map<String, Value>) -> App {
    let drill = drill();
    let seat = remote::seat_of_role(role, &drill.scenario).expect("a seat of the drill");
    let snapshot = Arc::new(client::snapshot_of(view).unwrap());
    let mut app = App::new(Arc::new(MapGeometry::of(&drill.scenario)), snapshot, seat);
    app.scenario = Some(drill.scenario.clone());
    app.chart_point = Some("jinze_intake".into());
    app.focus = Panel::Plan;
    app
}

/// The seats: the six acting ones, then the two consoles'.
const SEATS: [(&str, &str); 8] = [
    ("ctl", "controller"),
    ("cmd", "command"),
    ("qingpu", "jurisdiction:qingpu"),
    ("wujiang", "jurisdiction:wujiang"),
    ("jiashan", "jurisdiction:jiashan"),
    ("eva", "evaluator"),
    ("console-cmd", "command"),
    ("console-qingpu", "jurisdiction:qingpu"),
];

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| text.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_string())
}

/// Plays the drill on a server with the seats acting and returns the two consoles'
/// recordings and the drill's end [s].
fn record() -> (Vec<Recording>, i64) {
    let dir = std::env::temp_dir().join(format!("tripoint-console-connected-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut seats_toml = String::new();
    for (i, (name, role)) in SEATS.iter().enumerate() {
        let digest: String = tripoint_tui::serve::seats::digest(&format!("{i:064x}"))
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        seats_toml.push_str(&format!(
            "[[seats]]\nname = \"{name}\"\nrole = \"{role}\"\ntoken_sha256 = \"{digest}\"\n\n"
        ));
    }
    std::fs::write(dir.join("seats.toml"), seats_toml).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
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
    let recorded = runtime.block_on(play(&addr));
    runtime.shutdown_background();
    // The server stops on SIGTERM as `tripoint serve` does.
    unsafe {
        libc::kill(libc::getpid(), libc::SIGTERM);
    }
    server.join().expect("the server stops");
    let _ = std::fs::remove_dir_all(&dir);
    recorded
}

async fn connect(addr: &str, i: usize) -> Client {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match Client::connect_over(&Transport::Plain, addr, SEATS[i].0, &format!("{i:064x}"), None).await {
            Ok(client) => return client,
            Err(_) if Instant::now() < deadline => tokio::time::sleep(Duration::from_millis(50)).await,
            Err(e) => panic!("{} cannot connect: {e}", SEATS[i].0),
        }
    }
}

fn paused_at(time_s: i64) -> impl Fn(&Map<String, Value>) -> bool {
    move |v| v["clock"]["paused"] == true && v["now"] == time_s
}

async fn applied(client: &mut Client, action: Action) {
    let ack = client.act(action).await.unwrap();
    assert_eq!(ack.status, AckStatus::Applied, "{}: {}", client.seat, ack.detail);
}

async fn control(client: &mut Client, controls: &[Control]) {
    for control in controls {
        assert_eq!(client.control(*control).await.unwrap().status, AckStatus::Applied);
    }
}

/// Runs the clock to `until_s` while the command changes the interval of `point` every
/// [`ACT_EVERY`] (from `*every_min` down) and the evaluator notes each change.
async fn run_to(clients: &mut [Client], until_s: i64, point: &str, every_min: &mut u32) {
    let [ctl, cmd, _, _, _, eva, ..] = clients else {
        unreachable!("the seats")
    };
    control(ctl, &[Control::PauseAt(until_s), Control::Resume]).await;
    while !paused_at(until_s)(cmd.view()) {
        let next = Instant::now() + ACT_EVERY;
        applied(
            cmd,
            Action::SetPlanInterval {
                incident: 0,
                point: point.to_string(),
                every_min: *every_min,
            },
        )
        .await;
        applied(
            eva,
            Action::Observe {
                text: format!("the command sets {point} to every {every_min} min"),
                target: Some("command".into()),
            },
        )
        .await;
        *every_min -= 1;
        while Instant::now() < next {
            let _ = tokio::time::timeout_at(next.into(), cmd.next_message()).await;
        }
    }
    ctl.wait_for(PAUSE_WITHIN, paused_at(until_s)).await.unwrap();
}

async fn play(addr: &str) -> (Vec<Recording>, i64) {
    let mut clients = Vec::new();
    for i in 0..SEATS.len() {
        clients.push(connect(addr, i).await);
    }
    let consoles = clients.split_off(6);
    let mut recordings = Vec::new();
    let mut readers = Vec::new();
    for (mut console, label) in consoles.into_iter().zip(["command", "qingpu"]) {
        let frames = Arc::new(Mutex::new(Vec::new()));
        recordings.push((label, console.role.clone(), console.view().clone(), frames.clone()));
        readers.push(tokio::spawn(async move {
            while let Ok(message) = console.next_message().await {
                if let ServerMessage::Update { time_s, .. } | ServerMessage::Snapshot { time_s, .. } = &message {
                    // The frame as the server wrote it (`serve/connection.rs`).
                    frames
                        .lock()
                        .unwrap()
                        .push((*time_s, serde_json::to_vec(&message).unwrap()));
                }
            }
        }));
    }
    control(
        &mut clients[0],
        &[
            Control::PauseAt(SETUP_PAUSE_S),
            Control::Speed(Speed::Fastest),
            Control::Resume,
        ],
    )
    .await;
    clients[0]
        .wait_for(PAUSE_WITHIN, paused_at(SETUP_PAUSE_S))
        .await
        .unwrap();
    let wujiang = &mut clients[3];
    wujiang.wait_for(PAUSE_WITHIN, paused_at(SETUP_PAUSE_S)).await.unwrap();
    let snapshot = wujiang.snapshot().unwrap();
    let incident = &snapshot.incidents[0];
    for (to, _) in incident.downstream.clone() {
        applied(
            wujiang,
            Action::Notify {
                to,
                incident: Some(incident.idx),
            },
        )
        .await;
    }
    applied(&mut clients[2], Action::MediaStatement).await;
    let cmd = &mut clients[1];
    cmd.wait_for(PAUSE_WITHIN, |v| v["plans"].as_array().is_some_and(|p| !p.is_empty()))
        .await
        .unwrap();
    let plan = cmd.snapshot().unwrap();
    let point = plan
        .plans
        .iter()
        .find(|p| p.incident == 0)
        .expect("the first plan")
        .points[0]
        .id
        .clone();
    let end_s = plan.end.seconds();
    let mut every_min = 1440;
    run_to(&mut clients, FRAME_PAUSE_S, &point, &mut every_min).await;
    run_to(&mut clients, end_s - 600, &point, &mut every_min).await;
    // The consoles read what is left.
    tokio::time::sleep(Duration::from_millis(500)).await;
    for reader in readers {
        reader.abort();
    }
    let recordings = recordings
        .into_iter()
        .map(|(label, role, welcome, frames)| Recording {
            label,
            role,
            welcome,
            frames: std::mem::take(&mut *frames.lock().unwrap()),
        })
        .collect();
    (recordings, end_s)
}

/// CPU time this process has used [clock ticks]: user and system, every thread.
fn cpu_ticks() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command's closing parenthesis; utime and stime are 14 and 15.
    let rest = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    fields
        .get(11..13)
        .map_or(0, |f| f.iter().filter_map(|t| t.parse::<u64>().ok()).sum())
}

/// Names of this process's threads other than the caller's.
fn thread_names() -> Vec<String> {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return Vec::new();
    };
    tasks
        .filter_map(|task| std::fs::read_to_string(task.ok()?.path().join("comm")).ok())
        .map(|name| name.trim().to_string())
        .collect()
}

/// Waits (at most two minutes) until the process has used under 2 % of a core in each of
/// three seconds running: the server's threads, its source estimator's identifications
/// included, have finished what they were doing, so the timings below do not share the
/// machine with what the recording started. (The estimator's idle worker threads outlive
/// the server's stop; they are named in the message, and use no CPU.)
fn wait_until_quiet() {
    let deadline = Instant::now() + Duration::from_secs(120);
    let started = Instant::now();
    let mut n_quiet_s = 0;
    while n_quiet_s < 3 {
        let before = cpu_ticks();
        std::thread::sleep(Duration::from_secs(1));
        let used = cpu_ticks() - before;
        n_quiet_s = if used <= 2 { n_quiet_s + 1 } else { 0 };
        assert!(
            Instant::now() < deadline,
            "the process is still busy: {used} ticks in a second, threads {:?}",
            thread_names()
        );
    }
    eprintln!(
        "quiet after {:.1} s (three seconds under 2 % of a core); threads {:?}",
        started.elapsed().as_secs_f64(),
        thread_names()
    );
}

/// The bytes of each field of the view in a publication (`changed` of an update,
/// `snapshot` of a snapshot), as the server wrote them.
fn field_bytes(frame: &[u8]) -> Vec<(String, usize)> {
    let message: Value = serde_json::from_slice(frame).unwrap();
    let fields = message
        .get("changed")
        .or_else(|| message.get("snapshot"))
        .and_then(Value::as_object)
        .expect("a publication");
    fields
        .iter()
        .map(|(field, value)| (field.clone(), serde_json::to_vec(value).unwrap().len()))
        .collect()
}

/// Prints the fields of the largest publication by size, and every field's bytes summed
/// over all publications (what a delta of one field would save).
fn print_field_sizes(recording: &Recording, largest: usize) {
    let mut in_largest = field_bytes(&recording.frames[largest].1);
    in_largest.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    eprintln!(
        "{}: the largest publication ({} bytes at {} s) by field: {:?}",
        recording.label,
        recording.frames[largest].1.len(),
        recording.frames[largest].0,
        in_largest
    );
    let mut total: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    for (_, frame) in &recording.frames {
        for (field, bytes) in field_bytes(frame) {
            let entry = total.entry(field).or_default();
            entry.0 += bytes;
            entry.1 += 1;
        }
    }
    let mut total: Vec<(String, (usize, usize))> = total.into_iter().collect();
    total.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(&b.0)));
    let all: usize = recording.frames.iter().map(|(_, f)| f.len()).sum();
    eprintln!(
        "{}: all {} publications, {all} bytes; by field (bytes, publications carrying it): {total:?}",
        recording.label,
        recording.frames.len()
    );
}

/// Bytes at rank `p` (0 to 1) of the frames' sizes.
fn bytes_at(frames: &[(i64, Vec<u8>)], p: f64) -> usize {
    let mut sizes: Vec<usize> = frames.iter().map(|(_, f)| f.len()).collect();
    sizes.sort_unstable();
    sizes[((p * sizes.len() as f64) as usize).min(sizes.len() - 1)]
}

fn connected(c: &mut Criterion) {
    eprintln!("load average before recording: {}", load_average());
    let (recordings, end_s) = record();
    eprintln!("load average after recording: {}", load_average());
    wait_until_quiet();
    eprintln!("load average when quiet: {}", load_average());
    let moments = [("d1_0600", FRAME_PAUSE_S), ("end", end_s - 600)];
    let mut group = c.benchmark_group("console_connected_frame");
    for recording in &recordings {
        let n_snapshots = recording
            .frames
            .iter()
            .filter(|(_, f)| f.starts_with(br#"{"type":"snapshot""#))
            .count();
        eprintln!(
            "{}: {} publications ({} whole snapshots); frame bytes median {}, P90 {}, max {}",
            recording.label,
            recording.frames.len(),
            n_snapshots,
            bytes_at(&recording.frames, 0.5),
            bytes_at(&recording.frames, 0.9),
            bytes_at(&recording.frames, 1.0),
        );
        for (moment, time_s) in moments {
            let view = recording.view_at(time_s);
            assert_eq!(view["now"], time_s, "{} recorded to {moment}", recording.label);
            let app = connected_app(&recording.role, &view);
            for (width, height) in [(80, 24), (200, 60)] {
                let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
                group.bench_function(format!("frame_{}_{moment}_{width}x{height}", recording.label), |b| {
                    b.iter(|| {
                        terminal.draw(|frame| render::draw(frame, black_box(&app))).unwrap();
                    })
                });
            }
        }
    }
    group.finish();
    let mut group = c.benchmark_group("console_connected_apply");
    for recording in &recordings {
        let mut app = connected_app(&recording.role, &recording.welcome);
        let largest = (0..recording.frames.len())
            .max_by_key(|&i| recording.frames[i].1.len())
            .unwrap();
        print_field_sizes(recording, largest);
        let label = recording.label;
        // Every publication in order, from the view the console was welcomed with.
        group.throughput(Throughput::Elements(recording.frames.len() as u64));
        let welcome_typed = TypedView::of_json(recording.welcome.clone()).unwrap();
        group.bench_function(format!("json_{label}_every_publication"), |b| {
            b.iter_batched_ref(
                || recording.welcome.clone(),
                |view| {
                    for (_, frame) in &recording.frames {
                        apply_json(view, frame, &mut app);
                    }
                },
                BatchSize::LargeInput,
            )
        });
        group.bench_function(format!("typed_{label}_every_publication"), |b| {
            b.iter_batched_ref(
                || welcome_typed.clone(),
                |view| {
                    for (_, frame) in &recording.frames {
                        apply_typed(view, frame, &mut app);
                    }
                },
                BatchSize::LargeInput,
            )
        });
        // The largest publication alone, on the view just before it.
        let before_s = recording.frames[largest].0 - 1;
        let (before, before_typed) = (recording.view_at(before_s), recording.typed_view_at(before_s));
        let frame = &recording.frames[largest].1;
        group.throughput(Throughput::Elements(1));
        group.bench_function(format!("json_{label}_largest_publication"), |b| {
            b.iter_batched_ref(
                || before.clone(),
                |view| apply_json(view, frame, &mut app),
                BatchSize::LargeInput,
            )
        });
        group.bench_function(format!("typed_{label}_largest_publication"), |b| {
            b.iter_batched_ref(
                || before_typed.clone(),
                |view| apply_typed(view, frame, &mut app),
                BatchSize::LargeInput,
            )
        });
        // The whole view at the drill's end as one snapshot (a console that fell behind).
        let whole = ServerMessage::Snapshot {
            seq: 0,
            time_s: end_s - 600,
            snapshot: recording.view_at(end_s - 600),
        };
        let whole = serde_json::to_vec(&whole).unwrap();
        eprintln!("{label}: the whole view at the end, {} bytes", whole.len());
        group.bench_function(format!("json_{label}_whole_view_at_end"), |b| {
            b.iter_batched_ref(
                || recording.welcome.clone(),
                |view| apply_json(view, &whole, &mut app),
                BatchSize::LargeInput,
            )
        });
        group.bench_function(format!("typed_{label}_whole_view_at_end"), |b| {
            b.iter_batched_ref(
                || welcome_typed.clone(),
                |view| apply_typed(view, &whole, &mut app),
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
    eprintln!("load average after timing: {}", load_average());
}

/// What a connected console did with a frame from the server before issue 19, the view
/// kept as JSON: read the frame, apply it, read a copy of the whole view as a snapshot;
/// the drawing thread takes the snapshot (`App::set_snapshot`).
fn apply_json(view: &mut Map<String, Value>, frame: &[u8], app: &mut App) {
    let message = client::decode(frame).unwrap();
    client::apply_publication(view, &message)
        .unwrap()
        .expect("a publication");
    let snapshot: Snapshot = client::snapshot_of(view).unwrap();
    app.set_snapshot(Arc::new(snapshot));
}

/// What a connected console does with a frame now (`Client<TypedView>::next_message`,
/// `Remote::publish`): each changed field read into the typed view, the snapshot copied
/// for the drawing thread.
fn apply_typed(view: &mut TypedView, frame: &[u8], app: &mut App) {
    view.receive(frame).unwrap();
    app.set_snapshot(Arc::new(view.snapshot.clone()));
}

criterion_group!(benches, frames, connected);
criterion_main!(benches);
