//! A console journal names the drill it replays; it comes from someone else, so it may
//! name only a shipped drill, or a drill script or scenario under the current folder by a
//! relative path without `..`. Anything else is refused before the file is read: its
//! content is never quoted back.

use std::process::Command;
use tripoint_tui::console::check_journal_target;

fn journal_naming(dir: &std::path::Path, target: &str) -> std::path::PathBuf {
    let header = serde_json::json!({ "console": {
        "target": target, "policy": "unified", "seed": 0, "seat": "command",
        "version": env!("CARGO_PKG_VERSION"),
    }});
    let path = dir.join("session.jsonl");
    std::fs::write(&path, format!("{header}\n")).unwrap();
    path
}

#[test]
fn a_journal_cannot_run_any_file_as_a_drill() {
    let dir = std::env::temp_dir().join(format!("tripoint-console-target-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let secret = dir.join("secret.txt");
    std::fs::write(&secret, "the secret line of a private file\n").unwrap();
    for target in [secret.to_str().unwrap(), "../secret.rhai", "/etc/hostname"] {
        let journal = journal_naming(&dir, target);
        let out = Command::new(env!("CARGO_BIN_EXE_tripoint"))
            .arg("replay")
            .arg(&journal)
            .output()
            .expect("the binary runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{target}: {stderr}");
        assert!(stderr.contains("session.jsonl:1: target"), "{target}: {stderr}");
        assert!(!stderr.contains("secret line"), "{target}: the file was read: {stderr}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn shipped_drills_and_relative_scripts_are_accepted() {
    for ok in [
        "two-incidents",
        "dianshan-lake.rhai",
        "scripts/drills/two-incidents.rhai",
        "my-drill.rhai",
        "./zone.toml",
    ] {
        assert!(check_journal_target(ok).is_ok(), "{ok}");
    }
    for bad in [
        "/etc/passwd",
        "../x.rhai",
        "a/../../x.toml",
        "notes.txt",
        "",
        "/dev/zero",
    ] {
        assert!(check_journal_target(bad).is_err(), "{bad}");
    }
}

#[test]
fn a_live_journal_cannot_start_the_clock_years_in() {
    // `live_start_s: 1000000000` once made replay grow by about 100 MB a second.
    let dir = std::env::temp_dir().join(format!("tripoint-console-live-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let header = serde_json::json!({ "console": {
        "target": null, "policy": "unified", "seed": 0, "seat": "command",
        "version": env!("CARGO_PKG_VERSION"), "live_start_s": 1_000_000_000_i64,
    }});
    let journal = dir.join("live.jsonl");
    std::fs::write(&journal, format!("{header}\n")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tripoint"))
        .arg("replay")
        .arg(&journal)
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("live_start_s 1000000000"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}
