//! `tripoint serve --resume`: a server killed with SIGKILL goes on from its journal. The
//! seats act, the server is killed, a new one resumes the journal, the seats reconnect
//! and act again; the final journal replays identically and is the very journal of an
//! exercise that was never killed, with the same actions at the same times. A journal cut
//! in the middle of a line is resumed; a changed one is refused at its first changed line.
//! The database the exercise is written into holds, after the kill, the results known by
//! then, and at the end the same rows as that of the exercise never killed.

mod support;

use std::time::Duration;
use support::{Server, TIMEOUT, five_seats, journal_lines, replay, runtime, scratch, tripoint};
use tripoint_sim::drill::Action;
use tripoint_sim::drill::clock::Speed;
use tripoint_tui::net::client::Client;
use tripoint_tui::net::{AckStatus, Control};

/// The three seats that act.
struct Seats {
    ctl: Client,
    cmd: Client,
    qingpu: Client,
}

async fn connect(addr: &str, tokens: &std::collections::BTreeMap<String, String>) -> Seats {
    let seat = |name: &'static str| Client::connect(addr, name, &tokens[name]);
    Seats {
        ctl: seat("ctl").await.unwrap(),
        cmd: seat("cmd").await.unwrap(),
        qingpu: seat("qingpu").await.unwrap(),
    }
}

/// The controller runs the clock to `at_s` as fast as it goes; it pauses exactly there.
async fn run_to(seats: &mut Seats, at_s: i64) {
    let ack = seats.ctl.control(Control::PauseAt(at_s)).await.unwrap();
    assert_eq!(ack.status, AckStatus::Applied, "{}", ack.detail);
    seats.ctl.control(Control::Resume).await.unwrap();
    for client in [&mut seats.ctl, &mut seats.cmd, &mut seats.qingpu] {
        client
            .wait_for(TIMEOUT, |view| view["now"] == at_s && view["clock"]["paused"] == true)
            .await
            .unwrap();
    }
}

/// What the command and Qingpu do at a pause: approve the plans, acknowledge the injects.
async fn play_at_pause(seats: &mut Seats) -> usize {
    let mut n_applied = 0;
    for plan in seats.cmd.snapshot().unwrap().plans {
        if plan.approved.is_none() {
            let action = Action::ApprovePlan {
                incident: plan.incident,
                revision: Some(plan.revision),
            };
            n_applied += usize::from(seats.cmd.act(action).await.unwrap().status == AckStatus::Applied);
        }
    }
    for item in seats.qingpu.snapshot().unwrap().inbox {
        if item.acknowledged_at.is_none() {
            let action = Action::Acknowledge { inject: item.inject };
            n_applied += usize::from(seats.qingpu.act(action).await.unwrap().status == AckStatus::Applied);
        }
    }
    n_applied
}

/// One exercise of the two-incident drill with the same actions at the same times;
/// `kill`: the server is killed (SIGKILL) at 3 h and a new one resumes its journal.
/// The journal's text.
fn exercise(name: &str, kill: bool) -> (String, Vec<String>) {
    let dir = scratch(name);
    let tokens = five_seats(&dir);
    let server = Server::start(&dir, &["two-incidents", "--speed", "fastest"]);
    let journal = server.journal();
    let rt = runtime();
    let (start_s, qingpu_last_id) = rt.block_on(async {
        let mut seats = connect(&server.addr, &tokens).await;
        let start_s = seats.ctl.snapshot().unwrap().start.seconds();
        let ack = seats.cmd.act(Action::MediaStatement).await.unwrap();
        assert_eq!(ack.status, AckStatus::Applied, "{}", ack.detail);
        run_to(&mut seats, start_s + 3 * 3600).await;
        assert!(play_at_pause(&mut seats).await > 0, "something to do at 3 h");
        // Qingpu's last action, answered and therefore on the disk.
        let last = seats.qingpu.act(Action::MediaStatement).await.unwrap();
        assert_eq!(last.status, AckStatus::Applied);
        (start_s, last.id)
    });
    let server = if kill {
        server.kill9();
        let text = std::fs::read_to_string(&journal).unwrap();
        assert!(!text.contains("\"end\""), "a killed server leaves no closing record");
        // The results known by then were written as they came: the kill lost none.
        let mut db = tripoint_db::Database::open(dir.join("tripoint.sqlite").to_str().unwrap()).unwrap();
        let rows = db
            .query("SELECT id, in_progress, (SELECT COUNT(*) FROM results) FROM runs", &[])
            .unwrap();
        assert_eq!(rows.len(), 1, "one run: {rows:?}");
        assert_eq!(rows[0][1].int(), Some(1), "in progress when killed");
        assert!(
            rows[0][2].int().unwrap() > 0,
            "results written before the kill: {rows:?}"
        );
        Server::resume(&dir, &["--speed", "fastest"])
    } else {
        server
    };
    rt.block_on(async {
        let mut seats = connect(&server.addr, &tokens).await;
        assert_eq!(
            seats.ctl.view()["now"],
            start_s + 3 * 3600,
            "the clock resumes where it was"
        );
        assert_eq!(seats.ctl.view()["clock"]["paused"], true, "and waits for a controller");
        // The ids survive: Qingpu goes on above its last, and its last sent again (a lost
        // answer) is that answer, not a second statement.
        assert_eq!(seats.qingpu.next_id(), qingpu_last_id + 1);
        let again = seats
            .qingpu
            .act_with_id(qingpu_last_id, Action::MediaStatement)
            .await
            .unwrap();
        assert!(again.duplicate && again.status == AckStatus::Applied, "{again:?}");
        run_to(&mut seats, start_s + 6 * 3600).await;
        play_at_pause(&mut seats).await;
        let ack = seats.cmd.act(Action::MediaStatement).await.unwrap();
        assert_eq!(ack.status, AckStatus::Applied, "{}", ack.detail);
        seats.ctl.control(Control::Speed(Speed::Fastest)).await.unwrap();
        seats.ctl.control(Control::Resume).await.unwrap();
        seats
            .ctl
            .wait_for(TIMEOUT, |view| view["clock"]["finished"] == true)
            .await
            .unwrap();
    });
    let log = server.stop();
    if kill {
        assert!(log.contains("replayed identically"), "{log}");
    }
    let out = replay(&journal);
    assert!(out.contains("identical"), "{out}");
    (std::fs::read_to_string(&journal).unwrap(), record(&dir))
}

/// The database's record of the exercise: every table but `runs` (whose session names
/// the journal's folder), as dumped, and the run's row without it.
fn record(dir: &std::path::Path) -> Vec<String> {
    let mut db = tripoint_db::Database::open(dir.join("tripoint.sqlite").to_str().unwrap()).unwrap();
    let runs = db
        .query("SELECT id, kind, name, seed, end_s, in_progress FROM runs", &[])
        .unwrap();
    assert_eq!(runs.len(), 1, "one run, resumed or not: {runs:?}");
    assert_eq!(runs[0][5].int(), Some(0), "no longer in progress");
    let mut lines = vec![format!("{runs:?}")];
    let mut in_runs = false;
    tripoint_db::export::dump(&mut db, |line| {
        if line.starts_with('{') {
            let header: serde_json::Value = serde_json::from_str(&line).unwrap();
            in_runs = header["table"] == "runs";
        }
        if !in_runs && !line.contains("\"format\"") {
            lines.push(line);
        }
        Ok(())
    })
    .unwrap();
    lines
}

#[test]
fn a_server_killed_mid_exercise_resumes_from_its_journal_as_if_never_killed() {
    let killed = exercise("resume-killed", true);
    let whole = exercise("resume-whole", false);
    let statements = journal_lines(&support::scratch_path("resume-killed").join("journal.jsonl"))
        .into_iter()
        .filter(|l| l["kind"] == "action" && l["event"]["action"]["request"]["by"] == "qingpu")
        .filter(|l| l["event"]["action"]["action"] == "media_statement")
        .count();
    assert_eq!(statements, 1, "the statement sent again was not taken twice");
    let ((killed, killed_record), (whole, whole_record)) = (killed, whole);
    assert_eq!(killed.lines().count(), whole.lines().count());
    for (n, (a, b)) in killed.lines().zip(whole.lines()).enumerate() {
        assert_eq!(a, b, "line {}", n + 1);
    }
    // The database: the resumed server went on with the same run, and wrote what the
    // killed one had written again without a duplicate: the same rows as the exercise
    // never killed.
    assert!(
        whole_record.iter().filter(|l| l.starts_with('[')).count() > 100,
        "a record: {whole_record:?}"
    );
    assert_eq!(killed_record.len(), whole_record.len());
    for (a, b) in killed_record.iter().zip(&whole_record) {
        assert_eq!(a, b);
    }
}

#[test]
fn a_server_killed_while_running_resumes_even_from_a_line_cut_in_the_middle() {
    let dir = scratch("resume-cut");
    let tokens = five_seats(&dir);
    let server = Server::start(&dir, &["two-incidents", "--speed", "600"]);
    let journal = server.journal();
    let rt = runtime();
    rt.block_on(async {
        let mut seats = connect(&server.addr, &tokens).await;
        seats.ctl.control(Control::Resume).await.unwrap();
        seats.cmd.act(Action::MediaStatement).await.unwrap();
        // Killed while the clock runs, at whatever point it has reached.
        tokio::time::sleep(Duration::from_millis(1500)).await;
        seats.qingpu.act(Action::MediaStatement).await.unwrap();
    });
    server.kill9();
    // As if the kill had come in the middle of writing a line.
    let whole_lines = std::fs::read_to_string(&journal).unwrap().lines().count();
    {
        use std::io::Write as _;
        let mut file = std::fs::OpenOptions::new().append(true).open(&journal).unwrap();
        file.write_all(br#"{"t_s":99999,"kind":"cut-by-the-k"#).unwrap();
    }
    let cut = tripoint(&["replay", journal.to_str().unwrap()]);
    assert_eq!(cut.status.code(), Some(2), "a cut journal is not a whole one");
    assert!(
        String::from_utf8_lossy(&cut.stderr).contains(&format!("line {} is cut in the middle", whole_lines + 1)),
        "{}",
        String::from_utf8_lossy(&cut.stderr)
    );

    let server = Server::resume(&dir, &["--speed", "fastest"]);
    rt.block_on(async {
        let mut seats = connect(&server.addr, &tokens).await;
        seats.ctl.control(Control::Resume).await.unwrap();
        seats
            .ctl
            .wait_for(TIMEOUT, |view| view["clock"]["finished"] == true)
            .await
            .unwrap();
    });
    let log = server.stop();
    assert!(log.contains("is cut in the middle"), "{log}");
    let text = std::fs::read_to_string(&journal).unwrap();
    assert!(!text.contains("cut-by-the-k"), "the cut line is gone");
    let out = replay(&journal);
    assert!(out.contains("identical"), "{out}");
}

#[test]
fn a_journal_changed_since_is_refused_at_its_first_changed_line() {
    let dir = scratch("resume-changed");
    let tokens = five_seats(&dir);
    let server = Server::start(&dir, &["two-incidents"]);
    let journal = server.journal();
    runtime().block_on(async {
        let mut seats = connect(&server.addr, &tokens).await;
        seats.cmd.act(Action::MediaStatement).await.unwrap();
    });
    server.kill9();
    // An event line with a value changed (the replay produces every line again).
    let text = std::fs::read_to_string(&journal).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let n = lines.len() / 2;
    assert!(!lines[n].contains("\"action\""), "{}", lines[n]);
    lines[n] = lines[n].replacen("\"t_s\":", "\"t_s\": ", 1);
    let changed = lines.join("\n") + "\n";
    std::fs::write(&journal, &changed).unwrap();

    let out = Command::new(env!("CARGO_BIN_EXE_tripoint"))
        .args(["serve", "--listen", "127.0.0.1:0", "--seats"])
        .arg(dir.join("seats.toml"))
        .arg("--resume")
        .arg(&journal)
        .env("TRIPOINT_DB", dir.join("tripoint.sqlite"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("journal.jsonl:{}: the replay differs", n + 1)),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(&journal).unwrap(),
        changed,
        "the journal is left as it was"
    );

    // And a journal to start is never one to overwrite.
    let out = tripoint(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--seats",
        dir.join("seats.toml").to_str().unwrap(),
        "--journal",
        journal.to_str().unwrap(),
        "--no-db",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--resume"));
}

use std::process::Command;
