//! `tripoint db` as a user runs it: the built-in inventory written into a new database,
//! exported, imported again, a bad register refused with every row named; on a SQLite
//! file and, when `TRIPOINT_TEST_POSTGRES` is set (`.ci/run`), on PostgreSQL.

mod support;

use support::{postgres_database, tripoint_in as tripoint};

/// The default SQLite database (`None`), and a new PostgreSQL database when a server is given.
fn databases(tag: &str) -> Vec<Option<String>> {
    let mut out = vec![None];
    out.extend(postgres_database(&format!("tripoint_cli_{tag}")).map(Some));
    out
}

#[test]
fn the_built_in_inventory_goes_into_the_register_and_comes_back_out() {
    for db in databases("roundtrip") {
        let dir = std::env::temp_dir().join(format!("tripoint-db-cli-{}-{}", std::process::id(), db.is_some()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let with_db = |args: &[&str]| -> Vec<String> {
            let mut all: Vec<String> = Vec::new();
            if let Some(url) = &db {
                all.extend(["db".to_string(), "--db".to_string(), url.clone()]);
            } else {
                all.push("db".to_string());
            }
            all.extend(args.iter().map(|s| s.to_string()));
            all
        };
        let run = |args: &[&str]| {
            let all = with_db(args);
            let refs: Vec<&str> = all.iter().map(String::as_str).collect();
            tripoint(&dir, &refs)
        };
        let (code, out, err) = run(&["import-scenario"]);
        assert_eq!(code, 0, "{err}");
        assert!(out.contains("33 risk sources and 54 chemicals"), "{out}");
        assert!(err.contains("schema upgraded to version 6"), "{err}");
        if db.is_none() {
            assert!(
                dir.join("tripoint-data/tripoint.sqlite").exists(),
                "the default database"
            );
        }
        let (code, out, _) = run(&["status"]);
        assert_eq!(code, 0);
        assert!(
            out.contains("schema version 6") && out.contains("risk sources          33"),
            "{out}"
        );
        let (code, _, err) = run(&["export-sources", "--out", "out"]);
        assert_eq!(code, 0, "{err}");
        let sources = std::fs::read_to_string(dir.join("out/risk_sources.csv")).unwrap();
        assert_eq!(sources.lines().count(), 34, "a header and 33 sources");
        assert!(sources.contains("盛泽涤纶印染一厂"), "Chinese names kept");
        // Imported again: the same register (written over itself).
        let (code, out, err) = run(&[
            "import-sources",
            "out/risk_sources.csv",
            "--chemicals",
            "out/risk_source_chemicals.csv",
        ]);
        assert_eq!(code, 0, "{err}");
        assert!(out.contains("33 risk sources and 54 chemicals written"), "{out}");
        let (_, _, _) = run(&["export-sources", "--out", "again"]);
        assert_eq!(
            sources,
            std::fs::read_to_string(dir.join("again/risk_sources.csv")).unwrap()
        );
        // A register with bad rows: every one named, exit 2, nothing written.
        let broken = sources
            .replacen(",wujiang,", ",zhejiang,", 1)
            .replacen(",0.02,", ",2.5,", 1);
        std::fs::write(dir.join("broken.csv"), broken).unwrap();
        let (code, _, err) = run(&["import-sources", "broken.csv"]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("nothing was imported: 2 problem(s)"), "{err}");
        assert!(
            err.contains("broken.csv:") && err.contains("unknown jurisdiction \"zhejiang\""),
            "{err}"
        );
        assert!(
            err.contains("annual_probability: \"2.5\" is not a number from 0 to 1"),
            "{err}"
        );
        let (_, out, _) = run(&["status"]);
        assert!(out.contains("risk sources          33"), "unchanged: {out}");
        // GeoJSON: the built-in inventory has no surveyed coordinates yet, and says so.
        let (code, _, err) = run(&["export-sources", "--out", "geo", "--format", "geojson"]);
        assert_eq!(code, 0, "{err}");
        assert!(err.contains("33 of 33 sources have no coordinates"), "{err}");
        let geojson: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("geo/risk_sources.geojson")).unwrap()).unwrap();
        assert_eq!(geojson["type"], "FeatureCollection");
        std::fs::remove_dir_all(&dir).ok();
    }
}

#[test]
fn a_database_that_cannot_be_reached_is_named_without_its_password() {
    let dir = std::env::temp_dir();
    let (code, _, err) = tripoint(
        &dir,
        &[
            "db",
            "--db",
            "postgresql://agency:s3cret@127.0.0.1:1/register",
            "status",
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("postgresql://agency@127.0.0.1:1/register: cannot open the database"),
        "{err}"
    );
    assert!(!err.contains("s3cret"), "{err}");
}
