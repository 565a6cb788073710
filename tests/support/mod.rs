//! What the integration tests share: the binary run as a user runs it, scratch folders,
//! fresh databases on the test PostgreSQL server, and for the exercise server seats, a
//! server process and its journal.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub const TIMEOUT: Duration = Duration::from_secs(60);

pub fn tripoint(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tripoint"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// The binary with `args` in a clean language environment: `LC_ALL`, `LC_MESSAGES` and
/// `LANG` taken away, then the variables of `env` set (`[("LANG", "zh_CN.UTF-8")]` to
/// choose Chinese as a user's locale would).
pub fn tripoint_env(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tripoint"));
    command
        .args(args)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("the binary runs")
}

/// `tripoint_env` that must succeed: (standard output, standard error), the test failing
/// with the standard error otherwise.
pub fn tripoint_ok(args: &[&str], env: &[(&str, &str)]) -> (String, String) {
    let out = tripoint_env(args, env);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "tripoint {}: {stderr}", args.join(" "));
    (String::from_utf8(out.stdout).expect("standard output is UTF-8"), stderr)
}

/// A file the binary wrote in `dir`, or the test fails naming it.
pub fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(file).display()))
}

/// Runs the binary in `dir` with the environment's database (`TRIPOINT_DB`) taken away:
/// (exit code, standard output, standard error).
pub fn tripoint_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tripoint"))
        .args(args)
        .current_dir(dir)
        .env_remove("TRIPOINT_DB")
        .output()
        .expect("the binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

/// A new, empty database `name_PID` on the test PostgreSQL server (`TRIPOINT_TEST_POSTGRES`,
/// set by `.ci/run`), as a `postgresql://` URL; `None`, said on standard error, without one.
pub fn postgres_database(name: &str) -> Option<String> {
    let Ok(admin) = std::env::var("TRIPOINT_TEST_POSTGRES") else {
        eprintln!("TRIPOINT_TEST_POSTGRES is not set: PostgreSQL was not tested");
        return None;
    };
    let name = format!("{name}_{}", std::process::id());
    let mut client = postgres::Client::connect(&admin, postgres::NoTls).expect("the test server");
    client
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
        .unwrap();
    client.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    let (server, _) = admin.rsplit_once('/').expect("a postgresql:// URL");
    Some(format!("{server}/{name}"))
}

/// Where `scratch(name)` makes its folder.
pub fn scratch_path(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("tripoint-test-{name}-{}", std::process::id()))
}

/// A new, empty folder for a test (what was there is removed).
pub fn scratch(name: &str) -> PathBuf {
    let dir = scratch_path(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Adds seats to `dir/seats.toml`; their tokens by name.
pub fn add_seats(dir: &Path, seats: &[(&str, &str)]) -> BTreeMap<String, String> {
    let file = dir.join("seats.toml");
    let mut tokens = BTreeMap::new();
    for (name, role) in seats {
        let out = tripoint(&["seat", "add", file.to_str().unwrap(), name, "--role", role]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
        tokens.insert(name.to_string(), token);
    }
    tokens
}

/// A running server, stopped (SIGTERM) when dropped.
pub struct Server {
    pub child: Child,
    pub addr: String,
    pub dir: PathBuf,
}

impl Server {
    /// A server of `dir/seats.toml` writing `dir/journal.jsonl`.
    pub fn start(dir: &Path, extra: &[&str]) -> Server {
        Server::spawn(dir, "127.0.0.1:0", "--journal", extra, &[])
    }

    /// [`Server::start`] with the variables of `env` set (`[("LANG", "zh_CN.UTF-8")]`).
    pub fn start_in(dir: &Path, extra: &[&str], env: &[(&str, &str)]) -> Server {
        Server::spawn(dir, "127.0.0.1:0", "--journal", extra, env)
    }

    /// A server going on with the exercise of `dir/journal.jsonl` (`serve --resume`).
    pub fn resume(dir: &Path, extra: &[&str]) -> Server {
        Server::spawn(dir, "127.0.0.1:0", "--resume", extra, &[])
    }

    /// [`Server::resume`] listening at `addr` (where the killed one was).
    pub fn resume_at(dir: &Path, addr: &str, extra: &[&str]) -> Server {
        Server::spawn(dir, addr, "--resume", extra, &[])
    }

    fn spawn(dir: &Path, listen: &str, journal_flag: &str, extra: &[&str], env: &[(&str, &str)]) -> Server {
        let seats = dir.join("seats.toml");
        let journal = dir.join("journal.jsonl");
        // Appended to: a resumed server's log follows the first one's.
        let stderr = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join("server.log"))
            .unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_tripoint"))
            .args(["serve", "--listen", listen, "--seats"])
            .arg(&seats)
            .arg(journal_flag)
            .arg(&journal)
            .args(extra)
            // The exercise is written into the test's own database (`--db` in `extra`
            // says otherwise).
            .env("TRIPOINT_DB", dir.join("tripoint.sqlite"))
            // The operator's log speaks the environment's language: English unless told.
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("LANG")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("the server starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_string();
        Server {
            child,
            addr,
            dir: dir.to_path_buf(),
        }
    }

    /// Stops the server as an operator would (SIGTERM) and returns its log.
    pub fn stop(mut self) -> String {
        terminate(&mut self.child);
        let status = self.child.wait().unwrap();
        let log = std::fs::read_to_string(self.dir.join("server.log")).unwrap();
        assert!(
            status.success(),
            "the server ends cleanly when stopped: {status}\n{log}"
        );
        log
    }

    /// Kills the server at once (SIGKILL): nothing of it runs after this.
    pub fn kill9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default()
    }

    pub fn journal(&self) -> PathBuf {
        self.dir.join("journal.jsonl")
    }

    pub fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            terminate(&mut self.child);
            let _ = self.child.wait();
        }
    }
}

pub fn terminate(child: &mut Child) {
    // SAFETY: sending a signal to our own child process, which has not been reaped.
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGTERM);
    }
}

pub fn five_seats(dir: &Path) -> BTreeMap<String, String> {
    add_seats(
        dir,
        &[
            ("ctl", "controller"),
            ("cmd", "command"),
            ("qingpu", "jurisdiction:qingpu"),
            ("wujiang", "jurisdiction:wujiang"),
            ("jiashan", "jurisdiction:jiashan"),
            ("watcher", "observer"),
            ("director", "controller"),
        ],
    )
}

pub fn journal_lines(path: &Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// The journal's action lines sent by a seat (by name).
pub fn requests_of<'a>(lines: &'a [serde_json::Value], by: &str) -> Vec<&'a serde_json::Value> {
    lines
        .iter()
        .filter(|l| l["kind"] == "action" && l["event"]["action"]["request"]["by"] == by)
        .collect()
}

pub fn replay(path: &Path) -> String {
    let out = tripoint(&["replay", path.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "replay: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// The text of every `<text>` element of an SVG (what a Chinese chart's scan reads).
pub fn svg_texts(svg: &str) -> Vec<&str> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| Some(&t[t.find('>')? + 1..t.find("</text>")?]))
        .collect()
}

/// The built-in two-incident drill, loaded as `tripoint drill two-incidents` loads it.
pub fn two_incidents_drill() -> std::sync::Arc<tripoint_sim::drill::Drill> {
    let drill = tripoint_tui::commands::drill::load_drill("two-incidents").unwrap_or_else(|_| panic!("shipped"));
    std::sync::Arc::new(drill)
}
