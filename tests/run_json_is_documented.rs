//! Every field `tripoint run --json` prints is documented in docs/run-json.md, so the
//! document stays true as fields are added.

use serde_json::Value;
use std::collections::BTreeSet;
use std::process::Command;

/// Collects every object key at every level, and the keys of arrays that were empty
/// everywhere they occurred (their elements' keys could not be checked).
fn walk(value: &Value, keys: &mut BTreeSet<String>, filled: &mut BTreeSet<String>, empty: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                keys.insert(key.clone());
                if let Value::Array(items) = child {
                    if items.is_empty() {
                        empty.insert(key.clone());
                    } else {
                        filled.insert(key.clone());
                    }
                }
                walk(child, keys, filled, empty);
            }
        }
        Value::Array(items) => {
            for item in items {
                walk(item, keys, filled, empty);
            }
        }
        _ => {}
    }
}

/// A plan-edit file, so that `plan_edits[]` is filled and its fields are checked too.
const PLAN_EDITS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/plan-edits/two-incidents.toml"
);

#[test]
fn every_key_of_the_run_report_is_in_the_doc() {
    let out = Command::new(env!("CARGO_BIN_EXE_tripoint"))
        .args(["run", "--hours", "12", "--json", "--plan-edits", PLAN_EDITS])
        .output()
        .expect("the binary runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/run-json.md")).unwrap();

    let (mut keys, mut filled, mut empty) = (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    walk(&report, &mut keys, &mut filled, &mut empty);
    let never_filled: Vec<&String> = empty.difference(&filled).collect();
    assert!(
        never_filled.is_empty(),
        "arrays empty in the whole run, so their fields went unchecked: {never_filled:?}"
    );
    assert!(keys.len() > 20, "suspiciously few keys: {keys:?}");
    let missing: Vec<&String> = keys.iter().filter(|k| !doc.contains(&format!("`{k}`"))).collect();
    assert!(
        missing.is_empty(),
        "fields of `tripoint run --json` not documented as `key` in docs/run-json.md: {missing:?}"
    );
}
