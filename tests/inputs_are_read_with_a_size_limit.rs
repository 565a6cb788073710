//! Every input file is read through one bounded reader: a file without end (`/dev/zero`)
//! as a scenario, journal, OR-Library file, shard file, drill script or a journal's
//! scenario is refused with the limit named, exit code 2, within seconds — the limit does
//! not trust the file's metadata.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs the binary with a deadline; a run past it is killed and fails the test.
fn refused_in_time(args: &[&str], says: &str) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tripoint"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let started = Instant::now();
    let deadline = Duration::from_secs(60);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut stderr = String::new();
            std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
            assert_eq!(status.code(), Some(2), "args {args:?}: {stderr}");
            assert!(stderr.contains(says), "args {args:?}: expected {says:?} in {stderr}");
            return;
        }
        if started.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("args {args:?}: still reading after {deadline:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
#[cfg(unix)]
fn a_file_without_end_is_refused_at_the_limit() {
    refused_in_time(
        &["check", "/dev/zero"],
        "/dev/zero: more than 16777216 bytes, the most a scenario may be",
    );
    refused_in_time(&["run", "/dev/zero"], "more than 16777216 bytes");
    refused_in_time(
        &["plan", "locate", "--orlib", "/dev/zero"],
        "the most an OR-Library file may be",
    );
    refused_in_time(&["replay", "/dev/zero"], "the most a journal may be");
    // A shard file is parsed as it is read: refused at its first byte.
    refused_in_time(&["plan", "merge", "/dev/zero"], "/dev/zero:1:1: not a shard file");
}

#[test]
#[cfg(unix)]
fn a_journal_naming_a_file_without_end_as_its_scenario_is_refused() {
    let dir = std::env::temp_dir().join(format!("tripoint-bounded-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let journal = dir.join("zero.jsonl");
    let header = serde_json::json!({ "run": {
        "scenario": "/dev/zero", "scenario_hash": "0", "policy": "unified", "seed": 0,
        "hours": 24.0, "version": env!("CARGO_PKG_VERSION"),
    }});
    std::fs::write(&journal, format!("{header}\n")).unwrap();
    refused_in_time(&["replay", journal.to_str().unwrap()], "more than 16777216 bytes");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_folder_is_not_read_as_a_file() {
    let dir = std::env::temp_dir();
    refused_in_time(&["check", dir.to_str().unwrap()], "a folder, not a scenario");
}
