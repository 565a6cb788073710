//! A response run's journal runs again to the same events and the same final report;
//! a tampered journal is caught at the line that differs.

mod support;

use support::tripoint;

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
    assert!(lines[0].starts_with("{\"run\":") && lines[lines.len() - 2].starts_with("{\"report\":"));
    assert!(lines.last().unwrap().starts_with("{\"end\":"), "the closing record");
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
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a run, console or server journal"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_journal_cut_short_replays_to_where_it_stops() {
    let dir = std::env::temp_dir().join(format!("tripoint-replay-cut-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let journal = dir.join("run.jsonl");
    let out = tripoint(&[
        "run",
        "--policy",
        "unified",
        "--hours",
        "6",
        "--journal",
        journal.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&journal).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let n = lines.len();
    assert!(lines[n - 1].starts_with("{\"end\":") && lines[n - 2].starts_with("{\"report\":"));
    let cut = dir.join("cut.jsonl");
    let replay = |content: String| {
        std::fs::write(&cut, content).unwrap();
        let out = tripoint(&["replay", cut.to_str().unwrap()]);
        (out.status.code(), String::from_utf8_lossy(&out.stderr).to_string())
    };
    // Cut after whole lines, down to the header alone: exit 2, where it stops, and the
    // lines it holds checked.
    for keep in [n - 1, n - 2, n / 2, 1] {
        let (code, stderr) = replay(lines[..keep].join("\n") + "\n");
        assert_eq!(code, Some(2), "{keep}: {stderr}");
        assert!(
            stderr.contains(&format!("stops after line {keep}:")),
            "{keep}: {stderr}"
        );
        assert!(
            stderr.contains(&format!("The {keep} lines it holds are identical")),
            "{stderr}"
        );
    }
    // Cut in the middle of a line, as a killed copy leaves it.
    let partial = lines[..100].join("\n") + "\n" + &lines[100][..lines[100].len() / 2];
    let (code, stderr) = replay(partial);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("stops after line 100 (line 101 is cut in the middle)"),
        "{stderr}"
    );
    // A line removed before the closing record: the record's count says so.
    let mut without_report: Vec<&str> = lines.clone();
    without_report.remove(n - 2);
    let (code, stderr) = replay(without_report.join("\n") + "\n");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("closing record counts"), "{stderr}");
    // A line removed in the middle: the replay differs there.
    let mut holed: Vec<&str> = lines.clone();
    holed.remove(50);
    let (code, stderr) = replay(holed.join("\n") + "\n");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("cut.jsonl:51: the replay differs"), "{stderr}");
    // The untouched journal is whole.
    let (code, stderr) = replay(text.clone());
    assert_eq!(code, Some(0), "{stderr}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_console_journal_naming_a_team_the_drill_lacks_is_refused_at_its_line() {
    // A journal comes from someone else: an action with an index past the drill's lists
    // once reached the engine and panicked; it is refused where it is written, exit 2.
    let dir = std::env::temp_dir().join(format!("tripoint-replay-index-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let journal = dir.join("console.jsonl");
    let header = r#"{"console":{"target":null,"policy":"unified","seed":0,"seat":"command","version":"0.1.0"}}"#;
    for (action, expected) in [
        (r#"{"dispatch":{"team":999,"point":0}}"#, "no team 999"),
        (r#"{"request_sample":{"point":100000}}"#, "no point 100000"),
        (r#"{"acknowledge":{"inject":77}}"#, "no inject 77"),
    ] {
        let line = format!(
            r#"{{"t_s":30000,"seq":1,"kind":"action","event":{{"action":{{"seat":"command","action":{action},"after_events":5}}}}}}"#
        );
        std::fs::write(&journal, format!("{header}\n{line}\n")).unwrap();
        let out = tripoint(&["replay", journal.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{action}: {err}");
        assert!(
            err.contains("console.jsonl:2: an action the drill cannot take") && err.contains(expected),
            "{err}"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}
