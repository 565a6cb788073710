//! A response run's journal runs again to the same events and the same final report;
//! a tampered journal is caught at the line that differs.

use std::process::Command;

fn tripoint(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tripoint"))
        .args(args)
        .output()
        .expect("the binary runs")
}

#[test]
fn a_run_replays_from_its_journal_and_tampering_is_caught() {
    let dir = std::env::temp_dir().join(format!("tripoint-replay-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let journal = dir.join("run.jsonl");
    let path = journal.to_str().unwrap();
    let out = tripoint(&[
        "run",
        "--policy",
        "county",
        "--seed",
        "5",
        "--hours",
        "12",
        "--journal",
        path,
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let out = tripoint(&["replay", path]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("identical"));

    let text = std::fs::read_to_string(&journal).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("{\"run\":") && lines.last().unwrap().starts_with("{\"report\":"));
    let target = lines
        .iter()
        .position(|l| l.contains("\"kind\":\"sample_taken\""))
        .expect("a sample");
    let tampered: Vec<String> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if i == target {
                l.replace("\"kind\":\"sample_taken\"", "\"kind\":\"sample_lost\"")
            } else {
                l.to_string()
            }
        })
        .collect();
    std::fs::write(&journal, tampered.join("\n") + "\n").unwrap();
    let out = tripoint(&["replay", path]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("run.jsonl:{}: the replay differs", target + 1)),
        "{stderr}"
    );

    std::fs::write(&journal, "not a journal\n").unwrap();
    let out = tripoint(&["replay", path]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a run or console journal"));
    std::fs::remove_dir_all(&dir).ok();
}
