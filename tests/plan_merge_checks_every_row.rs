//! `tripoint plan merge` checks every row of a shard file, not only its header: a row
//! with no teams, a trial twice and another missing, a policy flipped, a trial of zero
//! length, a row without incidents, counts over their totals and an impossible split are
//! refused with the file and the row, exit code 2 — never a panic or a utilisation of
//! 79,883 %.

mod support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use support::tripoint;

fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tripoint-merge-rows-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A whole run of 4 trials under both policies, written as one shard file (0/1).
fn whole_run(dir: &Path) -> Value {
    let out = dir.join("whole.json");
    let run = tripoint(&[
        "plan",
        "evaluate",
        "--trials",
        "4",
        "--hours",
        "6",
        "--seed",
        "5",
        "--pairs",
        "0.5",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap()
}

/// Writes `file` and merges it: the merge must exit 2 and its message say every part of `says`.
fn refused(dir: &Path, name: &str, file: &Value, says: &[&str]) {
    let path = dir.join(name);
    std::fs::write(&path, file.to_string()).unwrap();
    let out = tripoint(&["plan", "merge", path.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
    assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    for part in says {
        assert!(stderr.contains(part), "{name}: expected {part:?} in {stderr}");
    }
}

#[test]
fn tampered_rows_are_refused_with_file_and_row() {
    let dir = temp_dir();
    let good = whole_run(&dir);
    // The untouched file merges: the checks accept what `plan evaluate` writes.
    let path = dir.join("good.json");
    std::fs::write(&path, good.to_string()).unwrap();
    let out = tripoint(&["plan", "merge", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(good["rows"].as_array().unwrap().len(), 8);

    let tamper = |edit: &dyn Fn(&mut Value)| {
        let mut file = good.clone();
        edit(&mut file);
        file
    };
    let no_teams = tamper(&|f| f["rows"][2]["team_busy_s"] = Value::Array(vec![]));
    refused(
        &dir,
        "no-teams.json",
        &no_teams,
        &["no-teams.json", "row 3 of 8", "team_busy_s has 0 teams"],
    );

    let twice = tamper(&|f| f["rows"][2] = f["rows"][0].clone());
    refused(
        &dir,
        "twice.json",
        &twice,
        &["twice.json", "row 3 of 8", "trial 0", "where trial 1"],
    );

    let flipped = tamper(&|f| {
        let (a, b) = (f["rows"][4]["policy"].clone(), f["rows"][5]["policy"].clone());
        f["rows"][4]["policy"] = b;
        f["rows"][5]["policy"] = a;
    });
    refused(
        &dir,
        "flipped.json",
        &flipped,
        &["row 5 of 8", "under \"unified\" where trial 2 under \"county\""],
    );

    let zero_length = tamper(&|f| f["rows"][0]["run_s"] = Value::from(0));
    refused(&dir, "zero-length.json", &zero_length, &["row 1 of 8", "run_s = 0"]);

    let no_incidents = tamper(&|f| f["rows"][7]["incidents"] = Value::Array(vec![]));
    refused(&dir, "no-incidents.json", &no_incidents, &["row 8 of 8", "0 incidents"]);

    let late = tamper(&|f| {
        let done = f["rows"][1]["tasks_done"].as_u64().unwrap();
        f["rows"][1]["tasks_late"] = Value::from(done + 1);
    });
    refused(&dir, "late.json", &late, &["row 2 of 8", "tasks_late"]);

    // Counts and times so large that the summaries' sums would overflow (found by the
    // shard-file fuzzing: a mutated count once panicked the merge).
    let huge_count =
        tamper(&|f| f["rows"][3]["incidents"][0]["intakes_threatened"] = Value::from(9_115_675_358_627_024_151u64));
    refused(
        &dir,
        "huge-count.json",
        &huge_count,
        &["row 4 of 8", "intakes_threatened"],
    );
    let huge_tasks = tamper(&|f| {
        f["rows"][3]["tasks"] = Value::from(u64::MAX / 2);
    });
    refused(&dir, "huge-tasks.json", &huge_tasks, &["row 4 of 8", "tasks = "]);
    let far_time = tamper(&|f| f["rows"][6]["incidents"][0]["start_s"] = Value::from(i64::MIN + 1));
    refused(&dir, "far-time.json", &far_time, &["row 7 of 8", "start_s"]);

    let busy = tamper(&|f| f["rows"][1]["team_busy_s"][0] = Value::from(-5));
    refused(&dir, "busy.json", &busy, &["row 2 of 8", "team_busy_s[0] = -5"]);

    let missing_row = tamper(&|f| {
        f["rows"].as_array_mut().unwrap().pop();
    });
    refused(
        &dir,
        "missing-row.json",
        &missing_row,
        &["7 rows where trials 0..4 under 2 policies make 8"],
    );

    // A split the merge would have to list 2^64 - 1 shards of.
    let huge_split = tamper(&|f| f["shard"] = serde_json::json!([0, u64::MAX]));
    refused(
        &dir,
        "huge-split.json",
        &huge_split,
        &["huge-split.json", "at most 10000"],
    );
    let more_shards_than_trials = tamper(&|f| f["shard"] = serde_json::json!([0, 5]));
    refused(&dir, "five.json", &more_shards_than_trials, &["5 shards of 4 trials"]);

    let unknown_policy = tamper(&|f| f["spec"]["policies"][1] = Value::from("anarchy"));
    refused(&dir, "policy.json", &unknown_policy, &["unknown policy \"anarchy\""]);
    let _ = std::fs::remove_dir_all(&dir);
}
