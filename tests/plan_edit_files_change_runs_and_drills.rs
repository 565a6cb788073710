//! A plan-edit file changes a run's plans at its times: the exported revisions, the
//! journal and the report show each edit, applied or refused with its reason, and the
//! run's journal replays; a drill makes the same edits as the command's actions; a
//! malformed file is reported at its line with exit code 2.

mod support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use support::tripoint;

const EDITS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/plan-edits/two-incidents.toml"
);

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tripoint-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn point_ids(plan: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(plan).unwrap_or_else(|e| panic!("{}: {e}", plan.display()));
    let plan: Value = serde_json::from_str(&text).unwrap();
    plan["points"]
        .as_array()
        .expect("points")
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_run_with_a_plan_edit_file_removes_and_adds_points_and_replays() {
    let dir = temp_dir("plan-edits-run");
    let (plans, journal) = (dir.join("plans"), dir.join("run.jsonl"));
    let out = tripoint(&[
        "run",
        "--hours",
        "24",
        "--plan-edits",
        EDITS,
        "--plans",
        plans.to_str().unwrap(),
        "--journal",
        journal.to_str().unwrap(),
        "--json",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();

    // The revisions: r2 is the plan from results, r3 the removal, r4 the addition.
    let r2 = point_ids(&plans.join("plan-wujiang_antimony-r2.json"));
    let r3 = point_ids(&plans.join("plan-wujiang_antimony-r3.json"));
    let r4 = point_ids(&plans.join("plan-wujiang_antimony-r4.json"));
    let removed = "wujiang_antimony-down-10km".to_string();
    let added = "dianshan_buoy".to_string();
    assert!(r2.contains(&removed) && !r2.contains(&added), "{r2:?}");
    assert!(!r3.contains(&removed) && !r3.contains(&added), "{r3:?}");
    assert!(!r4.contains(&removed) && r4.contains(&added), "{r4:?}");
    let r3_doc: Value =
        serde_json::from_str(&std::fs::read_to_string(plans.join("plan-wujiang_antimony-r3.json")).unwrap()).unwrap();
    assert_eq!(r3_doc["approved"][1], "command", "an edit is approved by who made it");

    // The report: every edit of the file, in order, the refused ones with their reason.
    let edits = report["plan_edits"].as_array().expect("plan_edits");
    let verdicts: Vec<(i64, bool)> = edits
        .iter()
        .map(|e| (e["at_s"].as_i64().unwrap(), e["applied"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        verdicts,
        vec![
            (2 * 3600 + 900, false),
            (5 * 3600, true),
            (5 * 3600, true),
            (6 * 3600, true),
            (6 * 3600 + 1800, true),
            (7 * 3600, true),
            (9 * 3600, false),
        ]
    );
    assert!(
        edits[0]["outcome"].as_str().unwrap().contains("not known yet"),
        "{}",
        edits[0]
    );
    assert!(
        edits[6]["outcome"].as_str().unwrap().contains("not in the plan"),
        "{}",
        edits[6]
    );
    assert_eq!(edits[4]["by"], "qingpu");

    // The journal: the file in its first line, each edit as an event with its outcome.
    let text = std::fs::read_to_string(&journal).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].contains("\"plan_edits_hash\""), "{}", lines[0]);
    let edit_lines: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.contains("\"kind\":\"plan_edit\""))
        .collect();
    assert_eq!(edit_lines.len(), 7);
    assert!(
        edit_lines[0].contains("\"refused\":\"wujiang_antimony is not known yet\""),
        "{}",
        edit_lines[0]
    );
    assert!(edit_lines[2].contains("dianshan_buoy added"), "{}", edit_lines[2]);

    // The text output reports them too.
    let out = tripoint(&["run", "--hours", "24", "--plan-edits", EDITS]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Plan edits:"), "{stdout}");
    assert_eq!(stdout.matches("REFUSED").count(), 2, "{stdout}");

    let out = tripoint(&["replay", journal.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("identical"));
}

#[test]
fn a_replay_notices_a_changed_plan_edit_file() {
    let dir = temp_dir("plan-edits-changed");
    let (edits, journal) = (dir.join("edits.toml"), dir.join("run.jsonl"));
    std::fs::copy(EDITS, &edits).unwrap();
    let out = tripoint(&[
        "run",
        "--hours",
        "12",
        "--plan-edits",
        edits.to_str().unwrap(),
        "--journal",
        journal.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let changed = std::fs::read_to_string(&edits)
        .unwrap()
        .replace("every_min = 30", "every_min = 20");
    std::fs::write(&edits, changed).unwrap();
    let out = tripoint(&["replay", journal.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("the plan-edit file has changed"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_drill_makes_the_file_edits_as_seat_actions() {
    let dir = temp_dir("plan-edits-drill");
    let journal = dir.join("drill.jsonl");
    let out = tripoint(&[
        "drill",
        "two-incidents",
        "--plan-edits",
        EDITS,
        "--journal",
        journal.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Plan edits from"), "{stdout}");
    assert!(stdout.contains("dianshan_buoy added to the plan"), "{stdout}");
    assert!(
        stdout.contains("REFUSED: wujiang_antimony-down-10km is not in the plan"),
        "{stdout}"
    );
    let text = std::fs::read_to_string(&journal).unwrap();
    let actions: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("\"kind\":\"action\""))
        .filter(|l| l.contains("remove_plan_point") || l.contains("add_plan_point") || l.contains("set_plan_interval"))
        .collect();
    assert_eq!(actions.len(), 5, "{actions:#?}");
    assert!(
        actions.iter().all(|l| l.contains("\"seat\":\"command\"")),
        "{actions:#?}"
    );
    let aid = text
        .lines()
        .find(|l| l.contains("request_mutual_aid"))
        .expect("the mutual-aid request");
    assert!(aid.contains("\"jurisdiction\""), "{aid}");
}

fn rejected(name: &str, text: &str, args: &[&str]) -> String {
    let dir = temp_dir(&format!("plan-edits-bad-{name}"));
    let file = dir.join("edits.toml");
    std::fs::write(&file, text).unwrap();
    let mut all = args.to_vec();
    all.extend(["--plan-edits", file.to_str().unwrap()]);
    let out = tripoint(&all);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stderr).replace(file.to_str().unwrap(), "edits.toml")
}

#[test]
fn malformed_plan_edit_files_are_located() {
    let run = ["run", "--hours", "24"];
    let text = "[[edits]]\nat = \"D1 05:00\"\nincident = \"wujiang_antimony\"\naction = \"add\"\npoint = \"dianshan_buoy\"\nwho = \"me\"\n";
    let err = rejected("unknown-key", text, &run);
    assert!(
        err.contains("edits.toml:6:1") && err.contains("unknown field `who`"),
        "{err}"
    );

    let text = "[[edits]]\nat = \"D1 5 o'clock\"\nincident = \"nowhere\"\naction = \"remove\"\npoint = \"atlantis\"\n";
    let err = rejected("time-incident", text, &run);
    assert!(
        err.contains("edits.toml:2:6") && err.contains("not a scenario-clock time"),
        "{err}"
    );
    assert!(
        err.contains("edits.toml:3:12") && err.contains("no incident `nowhere`"),
        "{err}"
    );

    let text =
        "[[edits]]\nat = \"D1 05:00\"\nincident = \"wujiang_antimony\"\naction = \"remove\"\npoint = \"atlantis\"\n";
    let err = rejected("point", text, &run);
    assert!(
        err.contains("edits.toml:5:9") && err.contains("`atlantis` is neither"),
        "{err}"
    );

    let text = "[[edits]]\nat = \"D1 05:00\"\nincident = \"wujiang_antimony\"\naction = \"interval\"\npoint = \"border_jinze\"\nevery_min = 2\n";
    let err = rejected("interval", text, &run);
    assert!(
        err.contains("edits.toml:6:13") && err.contains("outside 5 to 1440 min"),
        "{err}"
    );

    let text = "[[edits]]\nat = \"D4 05:00\"\nincident = \"wujiang_antimony\"\naction = \"approve\"\n";
    let err = rejected("after-the-end", text, &run);
    assert!(
        err.contains("edits.toml:2:6") && err.contains("outside the run"),
        "{err}"
    );

    let text = "[[edits]]\nat = \"D1 05:00\"\nincident = \"wujiang_antimony\"\naction = \"close\"\n";
    let err = rejected("action", text, &["drill", "two-incidents"]);
    assert!(
        err.contains("edits.toml:4:10") && err.contains("`close` is not one of"),
        "{err}"
    );

    let text = "[[edits]\nat = \"D1 05:00\"\n";
    let err = rejected("syntax", text, &run);
    assert!(err.contains("edits.toml:1:") && err.contains("syntax"), "{err}");
}
