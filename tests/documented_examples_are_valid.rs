//! The examples in the documentation are real: the minimal scenario in
//! docs/scenario-format.md loads and forecasts.

use std::process::Command;

#[test]
fn the_minimal_scenario_in_the_format_doc_is_valid() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/scenario-format.md")).unwrap();
    let start = doc.find("```toml\n").expect("a toml example in the doc") + "```toml\n".len();
    let end = start + doc[start..].find("```").expect("the example ends");
    let dir = std::env::temp_dir().join(format!("tripoint-doc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("minimal.toml");
    std::fs::write(&path, &doc[start..end]).unwrap();
    for args in [vec!["check"], vec!["forecast", "--hours", "12"]] {
        let out = Command::new(env!("CARGO_BIN_EXE_tripoint"))
            .args(&args)
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}
