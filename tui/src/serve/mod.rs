//! `tripoint serve`: the multi-seat exercise server. One authoritative drill session on
//! its own thread ([`simulation`]), driven by the exercise clock as the console's is;
//! seats connect over TCP (protocol v1, `crate::net`, docs/protocol.md) with the token
//! of their seat in the seats file ([`seats`]), each served by one task
//! ([`connection`]) on a tokio runtime. The server enforces what each seat may do
//! (`tripoint_sim::drill::permissions`), journals every action with its seat, id and
//! time, and writes the journal (which `tripoint replay` checks line for line) when the
//! exercise ends and when it is stopped (Ctrl-C or SIGTERM). The same address serves the
//! read-only situation board over HTTP ([`board`]).

pub mod board;
pub mod connection;
pub mod resume;
pub mod seats;
pub mod simulation;
#[cfg(test)]
mod tests;

use crate::exercise::Exercise;
use crate::input::{CliError, CliResult};
use seats::Seats;
use serde::{Deserialize, Serialize};
use simulation::{Published, Request, Simulation};
use std::collections::{BTreeMap, VecDeque};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tokio::sync::{broadcast, oneshot};
use tripoint_sim::drill::Seat;
use tripoint_sim::drill::clock::Speed;

/// Connections served at once; more are refused at the door.
pub const CONNECTIONS_MAX: usize = 64;
/// Publications a connection may fall behind before it is sent a fresh snapshot instead.
const PUBLICATIONS_BUFFERED: usize = 32;

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// A drill script or shipped drill name, or a scenario file (.toml) to run its
    /// incidents (default: the two-incident drill); with `--live`, the scenario file of the
    /// zone (default: the built-in zone).
    #[arg(conflicts_with = "resume")]
    pub target: Option<String>,
    /// A live incident, not a drill: the scenario's network, points and teams with none of
    /// its incidents; the joint command and the jurisdictions declare incidents and type
    /// in results. The clock runs at once, at wall-clock speed unless `--speed` says
    /// otherwise; no controller seat is needed.
    #[arg(long, conflicts_with = "resume")]
    pub live: bool,
    /// Live: the time the clock starts at, HH:MM on day 1 (default: now in China Standard
    /// Time, UTC+8, the zone's time).
    #[arg(long, value_name = "HH:MM", requires = "live")]
    pub clock: Option<String>,
    /// Address and port to listen on. Off loopback, give --tls-cert and --tls-key (or,
    /// on a network you trust, --insecure-plain).
    #[arg(long, default_value = "127.0.0.1:7400", value_name = "ADDR")]
    pub listen: String,
    /// Serve TLS on the port (seats and the board alike) with this certificate chain,
    /// PEM: the server's certificate first, then any intermediates (docs/protocol.md).
    #[arg(long, value_name = "FILE.pem", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The private key of --tls-cert, PEM (PKCS#8, PKCS#1 or SEC1).
    #[arg(long, value_name = "FILE.pem", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Listen off loopback in plain TCP all the same: tokens and the exercise cross the
    /// network unencrypted. For a room's own network only.
    #[arg(long, conflicts_with = "tls_cert")]
    pub insecure_plain: bool,
    /// The seats file (`tripoint seat add` writes it).
    #[arg(long, value_name = "FILE")]
    pub seats: PathBuf,
    /// Where to write the journal, as the exercise goes (a new file).
    #[arg(long, value_name = "FILE", conflicts_with = "resume")]
    pub journal: Option<PathBuf>,
    /// Write the after-action report (report.md, report.json, charts) into this folder
    /// when the server is stopped, with the evaluators' observations.
    #[arg(long, value_name = "DIR")]
    pub report: Option<PathBuf>,
    /// Go on with the exercise a server stopped or killed left in this journal: its
    /// target, policy, seed and seats are the journal's; the server appends to it.
    #[arg(long, value_name = "FILE")]
    pub resume: Option<PathBuf>,
    /// Exercise speed once a controller starts the clock: 1 (real time), 10, 60, 600 or
    /// fastest. Default: 60 for a drill, 1 for a live incident.
    #[arg(long, value_name = "1|10|60|600|fastest")]
    pub speed: Option<String>,
    /// Seed of the simulation's generator.
    #[arg(long, default_value_t = 0, conflicts_with = "resume")]
    pub seed: u64,
    /// Dispatch policy of the simulated players: `county` or `unified`.
    #[arg(
        long,
        default_value = "unified",
        value_name = "county|unified",
        conflicts_with = "resume"
    )]
    pub policy: String,
    /// The database the exercise is written into as it goes (docs/database.md): a SQLite
    /// file or a PostgreSQL connection string. Default: $TRIPOINT_DB, else
    /// tripoint-data/tripoint.sqlite.
    #[arg(long, value_name = "LOCATION", conflicts_with = "no_db")]
    pub db: Option<String>,
    /// Write no database.
    #[arg(long)]
    pub no_db: bool,
}

/// What a served exercise was: enough to replay its journal. The journal's first line.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct ServeSpec {
    /// The drill or scenario as given; `None` for the shipped two-incident drill.
    pub target: Option<String>,
    pub policy: String,
    pub seed: u64,
    /// The seats people took (the drill's seats, as `tripoint console --seat` names them):
    /// simulated players play the others.
    pub seats: Vec<String>,
    pub version: String,
    /// A live incident: where its clock started [s on the scenario clock].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live_start_s: Option<i64>,
    /// A live incident: the wall-clock moment its clock started [s since 1970, UTC], so
    /// that a resumed server's clock catches up with the wall clock. Not part of the
    /// simulation: a replay ignores it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live_started_unix_s: Option<i64>,
}

/// A seat of the seats file, resolved against the drill.
#[derive(Clone, Debug)]
pub struct SeatInfo {
    pub name: String,
    /// As the seats file writes it.
    pub role: String,
    pub seat: Seat,
}

/// What every connection task shares.
pub struct Shared {
    pub seats: Arc<Vec<SeatInfo>>,
    pub seats_file: Seats,
    /// Requests to the simulation thread. Unbounded, and bounded all the same: a
    /// connection has one request in flight at most, and there are at most
    /// [`CONNECTIONS_MAX`] connections.
    pub requests: std::sync::mpsc::Sender<Request>,
    pub updates: broadcast::Sender<Arc<Published>>,
    /// The connection of each seat (by index): its id, and how to close it when the seat
    /// connects again.
    pub connected: Mutex<BTreeMap<usize, (u64, oneshot::Sender<()>)>>,
}

/// `--speed`: 1, 10, 60, 600 or fastest.
pub fn parse_speed(text: &str) -> Option<Speed> {
    match text {
        "1" => Some(Speed::RealTime),
        "10" => Some(Speed::X10),
        "60" => Some(Speed::X60),
        "600" => Some(Speed::X600),
        "fastest" => Some(Speed::Fastest),
        _ => None,
    }
}

pub fn run(args: &ServeArgs) -> CliResult {
    // `main` restores SIGPIPE's default so that a filter stops quietly when its reader
    // goes; a server must not die when a client does: writing to a closed socket is an
    // error of that connection alone.
    #[cfg(unix)]
    // SAFETY: changing one signal's disposition before the server starts any thread.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    }
    let resumed_journal = args.resume.as_deref().map(resume::read).transpose()?;
    let live = resumed_journal
        .as_ref()
        .map_or(args.live, |read| read.spec.live_start_s.is_some());
    let speed_text = args.speed.as_deref().unwrap_or(if live { "1" } else { "60" });
    let speed = parse_speed(speed_text)
        .ok_or_else(|| CliError::Input(format!("--speed {speed_text:?}: expected 1, 10, 60, 600 or fastest")))?;
    let listen: std::net::SocketAddr = args.listen.parse().map_err(|_| {
        CliError::Input(format!(
            "--listen {:?}: expected IP:PORT, e.g. 127.0.0.1:7400",
            args.listen
        ))
    })?;
    // TLS settings are read, and a plain listener off loopback refused, before anything
    // is written.
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Some(tokio_rustls::TlsAcceptor::from(
            crate::net::tls::server_config(cert, key).map_err(CliError::Input)?,
        )),
        _ => None,
    };
    if tls.is_none() && !listen.ip().is_loopback() && !args.insecure_plain {
        return Err(CliError::Input(format!(
            "--listen {listen}: off loopback, seats' tokens and the exercise would cross the network \
             unencrypted: give --tls-cert FILE.pem and --tls-key FILE.pem (docs/protocol.md, \"TLS\"), \
             or --insecure-plain on a network you trust"
        )));
    }
    if let Some(path) = &args.journal {
        crate::input::check_output_file(path, "--journal")?;
        if path.exists() {
            return Err(CliError::Input(format!(
                "--journal {}: exists already; a server writes its journal as the exercise goes:                  go on with that exercise with --resume {0}, or give another file",
                path.display()
            )));
        }
    }
    if let Some(dir) = &args.report {
        crate::input::check_output_dir(dir, "--report")?;
    }
    let (target, policy, seed, live_start_s, live_started_unix_s) = match &resumed_journal {
        Some(read) => (
            read.spec.target.clone(),
            read.spec.policy.clone(),
            read.spec.seed,
            read.spec.live_start_s,
            read.spec.live_started_unix_s,
        ),
        None if args.live => (
            args.target.clone(),
            args.policy.clone(),
            args.seed,
            Some(crate::console::live_start_s(args.clock.as_deref())?),
            Some(unix_now_s()),
        ),
        None => (args.target.clone(), args.policy.clone(), args.seed, None, None),
    };
    let seats_file = Seats::read(&args.seats)?;
    if seats_file.entries.is_empty() {
        return Err(CliError::Input(format!("{}: no seats", args.seats.display())));
    }
    let drill = crate::console::load_spec_drill(target.as_deref(), live_start_s)?;
    let resolved = seats_file.resolve(&drill.scenario)?;
    if live
        && !resolved
            .iter()
            .any(|s| matches!(s, Seat::Command | Seat::Jurisdiction(_)))
    {
        return Err(CliError::Input(format!(
            "{}: no command or jurisdiction seat: nobody could declare the live incident",
            args.seats.display()
        )));
    }
    if !live && !resolved.contains(&Seat::Controller) {
        return Err(CliError::Input(format!(
            "{}: no controller seat: nobody could start the exercise's clock",
            args.seats.display()
        )));
    }
    let seats: Vec<SeatInfo> = seats_file
        .entries
        .iter()
        .zip(&resolved)
        .map(|(entry, &seat)| SeatInfo {
            name: entry.name.clone(),
            role: entry.role.text(),
            seat,
        })
        .collect();
    // The seats that act: simulated players leave them to people.
    let mut human_seats: Vec<Seat> = resolved
        .iter()
        .copied()
        .filter(|s| matches!(s, Seat::Controller | Seat::Command | Seat::Jurisdiction(_)))
        .collect();
    human_seats.sort();
    human_seats.dedup();
    let spec = ServeSpec {
        target,
        policy,
        seed,
        seats: human_seats.iter().map(|s| s.label(&drill.scenario)).collect(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        live_start_s,
        live_started_unix_s,
    };
    // The database is opened (created, upgraded, or refused) before the journal is
    // written or the server listens.
    let database = if args.no_db {
        None
    } else {
        let location = crate::commands::db::serving_location(args.db.as_deref());
        Some(crate::commands::db::open_location(&location)?)
    };
    let session = crate::console::open_session(drill.clone(), &spec.policy, spec.seed, human_seats)?;
    // The journal: a new one, or the one resumed, replayed to where it stops.
    let (session, journal, journal_header, journal_written) = match (&resumed_journal, &args.resume) {
        (Some(read), Some(path)) => {
            if read.spec.seats != spec.seats {
                return Err(CliError::Input(format!(
                    "{}: people take the seats {:?}, the exercise in {} was played with {:?} (simulated \
                     players took the others): resume it with the seats file it started with",
                    args.seats.display(),
                    spec.seats,
                    read.shown,
                    read.spec.seats
                )));
            }
            let mut resumed = resume::replay(path, read, session)?;
            if let Some(started_unix_s) = spec.live_started_unix_s {
                catch_up_with_wall_clock(&mut resumed.session, started_unix_s)?;
            }
            (
                resumed.session,
                Some(resumed.appender),
                read.header.clone(),
                resumed.written,
            )
        }
        _ => {
            let header = serde_json::json!({ "serve": spec }).to_string();
            let appender =
                match &args.journal {
                    Some(path) => Some(crate::journal::Appender::create(path, &header).map_err(|e| {
                        CliError::Input(format!("--journal {}: cannot be written: {e}", path.display()))
                    })?),
                    None => None,
                };
            (session, appender, header, 0)
        }
    };
    // The exercise's run in the database: begun, or found again when it is resumed.
    let recorder = if let Some(db) = database {
        let key = session_key(args.resume.as_deref().or(args.journal.as_deref()))?;
        let recorder = crate::commands::db_record::SessionRecorder::begin(
            db,
            &session,
            if live { "live" } else { "drill" },
            &spec.policy,
            spec.seed,
            key.as_deref(),
            args.resume.is_some(),
        )
        .map_err(|e| CliError::Input(e.to_string()))?;
        eprintln!(
            "{}",
            crate::i18n::said_here(
                "srvlog-recording",
                &[("db", &recorder.shown()), ("run", &recorder.run_id())]
            )
        );
        Some(recorder)
    } else {
        None
    };
    let start_label = session.now().clock_label();
    let mut exercise = Exercise::new(session, VecDeque::new());
    exercise.set_speed(speed);
    if live {
        // A real incident's clock is the wall clock: it runs from the start (and again at
        // once when resumed); a controller seat, if there is one, may still pause it.
        exercise.resume();
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| CliError::Internal(e.into()))?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(listen))
        .map_err(|e| CliError::Input(format!("--listen {listen}: cannot listen there: {e}")))?;
    let bound = listener.local_addr().map_err(|e| CliError::Internal(e.into()))?;

    let (requests, request_rx) = std::sync::mpsc::channel();
    let (updates, _) = broadcast::channel(PUBLICATIONS_BUFFERED);
    let seats = Arc::new(seats);
    let simulation = Simulation {
        exercise,
        seats: seats.clone(),
        requests: request_rx,
        updates: updates.clone(),
        journal,
        journal_header,
        journal_written,
        report: args.report.clone(),
        recorder,
    };
    let shared = Arc::new(Shared {
        seats,
        seats_file,
        requests: requests.clone(),
        updates,
        connected: Mutex::new(BTreeMap::new()),
    });
    // The board follows the publications from the first, made when the thread starts.
    let board = Arc::new(board::Board::new(&drill.scenario));
    runtime.spawn(board.clone().follow(shared.updates.subscribe()));
    let simulation = std::thread::spawn(move || simulation.run());
    // The address on standard output (the port, when asked for port 0), the log on
    // standard error. Whoever reads the address may close the pipe after it.
    {
        use std::io::Write as _;
        let mut stdout = std::io::stdout();
        let _ = writeln!(stdout, "listening on {bound}").and_then(|()| stdout.flush());
    }
    if tls.is_none() && !bound.ip().is_loopback() {
        eprintln!("{}", crate::i18n::said_here("srvlog-insecure", &[("addr", &bound)]));
    }
    let board_url = format!("{}://{bound}/board", if tls.is_some() { "https" } else { "http" });
    // The operator's log speaks the operator's language (`--lang`, LANG); English as before.
    let lang = crate::i18n::current();
    let banner = [
        ("drill", lang.name(&drill.name, &drill.name_zh).to_string().into()),
        ("seats", shared.seats.len().to_string().into()),
        ("start", start_label.clone().into()),
        ("speed", crate::console::app::speed_label(lang, speed).into()),
        ("url", board_url.clone().into()),
    ];
    let banner_key = if live { "srvlog-live" } else { "srvlog-waiting" };
    eprintln!("{}", lang.t_args(banner_key, &banner));
    runtime.block_on(async {
        let slots = Arc::new(tokio::sync::Semaphore::new(CONNECTIONS_MAX));
        let accept = async {
            loop {
                let stream = match listener.accept().await {
                    Ok((stream, _)) => stream,
                    Err(e) => {
                        // Out of file descriptors, say: wait rather than spin.
                        eprintln!("{}", crate::i18n::said_here("srvlog-accept-failed", &[("problem", &e)]));
                        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                        continue;
                    }
                };
                let (shared, board, tls) = (shared.clone(), board.clone(), tls.clone());
                match slots.clone().try_acquire_owned() {
                    Ok(slot) => {
                        tokio::spawn(async move {
                            let peer = peer_name(&stream);
                            if let Some(stream) = open(stream, tls.as_ref(), &peer, HANDSHAKE_WITHIN).await {
                                board::serve_connection(stream, peer, shared, board).await;
                            }
                            drop(slot);
                        });
                    }
                    Err(_) => {
                        tokio::spawn(async move {
                            let peer = peer_name(&stream);
                            if let Some(stream) = open(stream, tls.as_ref(), &peer, FULL_HANDSHAKE_WITHIN).await {
                                board::refuse_full(stream).await;
                            }
                        });
                    }
                }
            }
        };
        tokio::select! {
            () = accept => {}
            () = stop_signal() => eprintln!("{}", crate::i18n::current().t("srvlog-stopping")),
        }
    });
    let _ = requests.send(Request::Shutdown);
    let _ = simulation.join();
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    Ok(())
}

/// A connection's stream, plain or TLS, as the board and the seats' protocol read it.
/// Buffered so that the first byte can be looked at (HTTP or a frame) and read again.
pub type Stream = tokio::io::BufReader<Box<dyn crate::net::tls::Io>>;

/// Time a TLS handshake has to finish, as a plain connection has to send its first byte.
const HANDSHAKE_WITHIN: std::time::Duration = crate::net::tls::HANDSHAKE_WITHIN;
/// Time the handshake of a connection refused because the server is full has: it is
/// only told so.
const FULL_HANDSHAKE_WITHIN: std::time::Duration = std::time::Duration::from_secs(1);

/// The client's address, for the server's log.
fn peer_name(stream: &tokio::net::TcpStream) -> String {
    stream.peer_addr().map_or_else(|_| "?".to_string(), |a| a.to_string())
}

/// A new connection as a [`Stream`]: with TLS, once its handshake has finished within
/// `within` (a handshake that fails or does not finish is logged and the connection
/// dropped; the server goes on).
async fn open(
    stream: tokio::net::TcpStream,
    tls: Option<&tokio_rustls::TlsAcceptor>,
    peer: &str,
    within: std::time::Duration,
) -> Option<Stream> {
    // Frames are small and answered at once: no Nagle delay.
    let _ = stream.set_nodelay(true);
    let Some(acceptor) = tls else {
        return Some(Stream::new(Box::new(stream)));
    };
    match tokio::time::timeout(within, acceptor.accept(stream)).await {
        Ok(Ok(stream)) => Some(Stream::new(Box::new(stream))),
        Ok(Err(e)) => {
            eprintln!(
                "{peer}: {}",
                crate::i18n::said_here("srvlog-tls-failed", &[("problem", &e)])
            );
            None
        }
        Err(_) => {
            eprintln!(
                "{peer}: {}",
                crate::i18n::said_here("srvlog-tls-timeout", &[("seconds", &within.as_secs())])
            );
            None
        }
    }
}

/// What names a served exercise's run in the database: its journal, by its full path (a
/// resumed server appends to the same file, so it finds the same run). None without a
/// journal: such an exercise cannot be resumed.
fn session_key(journal: Option<&std::path::Path>) -> Result<Option<String>, CliError> {
    let Some(path) = journal else {
        return Ok(None);
    };
    // A new journal does not exist yet: its folder does.
    let folder = match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(folder) => folder.to_path_buf(),
        None => PathBuf::from("."),
    };
    let folder = folder
        .canonicalize()
        .map_err(|e| CliError::Input(format!("{}: cannot be resolved: {e}", folder.display())))?;
    let name = path.file_name().unwrap_or_default();
    Ok(Some(format!("serve {}", folder.join(name).display())))
}

/// The wall clock now [s since 1970, UTC]. The binary reads the wall clock; `sim` never.
fn unix_now_s() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// A resumed live incident: the time the server was down passed in the world too, so the
/// session is advanced, with no action, to where the wall clock says its clock would be
/// (the live clock started at `started_unix_s`; never past the session's end). Nothing
/// is lost for a replay: time with no action in it gives the same events however it
/// passes. A clock that was ahead of the wall clock (a controller ran it faster) stays.
fn catch_up_with_wall_clock(session: &mut tripoint_sim::drill::Session, started_unix_s: i64) -> Result<(), CliError> {
    let elapsed_s = (unix_now_s() - started_unix_s).max(0);
    let wall = (session.drill().start + tripoint_sim::time::SimDuration(elapsed_s)).min(session.end());
    if wall > session.now() {
        eprintln!(
            "{}",
            crate::i18n::said_here(
                "srvlog-catch-up",
                &[("from", &session.now().clock_label()), ("to", &wall.clock_label())]
            )
        );
        session
            .advance_to(wall)
            .map_err(|e| CliError::Internal(anyhow::anyhow!("{e}")))?;
    }
    Ok(())
}

/// Ctrl-C, or SIGTERM on Unix.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// `tripoint replay` of a served exercise's journal: the session is re-run with every
/// action the seats sent (applied or refused), each at the place it was taken, and every
/// line is compared.
pub fn replay(shown: &str, lines: &[&str], spec: ServeSpec, ending: &crate::journal::Ending) -> CliResult {
    if let Some(target) = &spec.target {
        crate::console::check_journal_target(target)
            .map_err(|message| CliError::Input(format!("{shown}:1: target {target:?}: {message}")))?;
    }
    if spec.version != env!("CARGO_PKG_VERSION") {
        eprintln!(
            "{}",
            crate::i18n::said_here(
                "srvlog-version",
                &[("journal", &spec.version), ("this", &env!("CARGO_PKG_VERSION"))]
            )
        );
    }
    let drill = crate::console::load_spec_drill(spec.target.as_deref(), spec.live_start_s)?;
    let mut human_seats = Vec::new();
    for label in &spec.seats {
        match Seat::parse(label, &drill.scenario) {
            Some(seat) => human_seats.push(seat),
            None => {
                return Err(CliError::Input(format!(
                    "{shown}:1: seat {label:?}: expected command, controller or a jurisdiction id of the drill"
                )));
            }
        }
    }
    let session = crate::console::open_session(drill, &spec.policy, spec.seed, human_seats)?;
    let (recorded, last) = crate::console::read_recorded(shown, lines, &session, |r| r.request.is_some())?;
    let n_actions = recorded.len();
    crate::console::check_replay(shown, lines, session, recorded, last, ending)?;
    println!(
        "replayed {} events of the served exercise ({n_actions} action{} sent by its seats): identical",
        lines.len() - 1,
        if n_actions == 1 { "" } else { "s" }
    );
    Ok(())
}
