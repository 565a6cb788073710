//! `run --db`, `drill --db` and the `tripoint db` commands on the record, as a user runs
//! them: on a SQLite file and, with `TRIPOINT_TEST_POSTGRES`, on PostgreSQL; and a
//! writer killed mid-import (SQLite and PostgreSQL) leaving the database whole and without any
//! of its rows.

mod support;

use std::process::Command;
use support::{postgres_database, tripoint_in as tripoint};
use tripoint_db::Database;

/// A new SQLite file under `dir`, and a new PostgreSQL database when a server is given.
fn databases(dir: &std::path::Path, tag: &str) -> Vec<String> {
    let mut out = vec![dir.join(format!("{tag}.sqlite")).display().to_string()];
    out.extend(postgres_database(&format!("tripoint_rec_{tag}")));
    out
}

fn fresh_dir(tag: &str) -> std::path::PathBuf {
    support::scratch(&format!("rec-{tag}"))
}

fn count(location: &str, table: &str) -> i64 {
    let mut db = Database::open(location).unwrap();
    db.query(&format!("SELECT COUNT(*) FROM {table}"), &[]).unwrap()[0][0]
        .int()
        .unwrap()
}

/// The line of `tripoint db runs` for run `id`, split into its cells (two spaces or more
/// apart).
fn runs_line(dir: &std::path::Path, db: &str, id: i64) -> Vec<String> {
    let (code, out, err) = tripoint(dir, &["db", "--db", db, "runs"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("run "), "{out}");
    let header = out.lines().next().unwrap();
    assert!(
        header.contains("  state  ") && header.ends_with("  last written (UTC)"),
        "{out}"
    );
    let line = out
        .lines()
        .find(|l| l.split_whitespace().next() == Some(&id.to_string()))
        .unwrap_or_else(|| panic!("run {id} in {out}"));
    line.split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn a_run_still_being_written_is_listed_in_progress_with_its_last_write() {
    use tripoint_db::records::{self, RunRecord};
    let dir = fresh_dir("in-progress");
    for db in databases(&dir, "progress") {
        let (code, _, err) = tripoint(&dir, &["run", "--hours", "6", "--db", &db]);
        assert_eq!(code, 0, "{err}");
        // A session begun as the server and the live console begin theirs, not ended.
        let mut database = Database::open(&db).unwrap();
        let record = RunRecord {
            kind: "live".into(),
            name: "live incident".into(),
            scenario: "demo-zone".into(),
            ..RunRecord::default()
        };
        let before = records::now_utc();
        let (run_id, resumed) = records::begin(&mut database, &record, Some("live-session"), false).unwrap();
        let after = records::now_utc();
        assert_eq!((run_id, resumed), (2, false));

        let ended = runs_line(&dir, &db, 1);
        assert_eq!(ended[ended.len() - 2], "ended", "{db}: {ended:?}");
        let live = runs_line(&dir, &db, 2);
        assert_eq!(live[1], "live", "{db}: {live:?}");
        assert_eq!(live[live.len() - 2], "in progress", "{db}: {live:?}");
        let written = &live[live.len() - 1];
        assert_eq!(written.len(), "2026-12-02 08:00:00".len(), "{written}");
        assert!(
            before <= *written && *written <= after,
            "{before} <= {written} <= {after}"
        );

        // Its end: no longer in progress.
        let mut rows = records::Written::default();
        records::update(&mut database, run_id, &record, true, &mut rows).unwrap();
        let live = runs_line(&dir, &db, 2);
        assert_eq!(live[live.len() - 2], "ended", "{db}: {live:?}");
        assert!(live[live.len() - 1] >= after, "{live:?}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// The rows of a query, as text cells.
fn rows(location: &str, sql: &str) -> Vec<Vec<String>> {
    let mut db = Database::open(location).unwrap();
    db.query(sql, &[])
        .unwrap()
        .iter()
        .map(|r| r.iter().map(tripoint_db::export::cell).collect())
        .collect()
}

#[test]
fn station_readings_and_custody_containers_are_recorded_imported_queried_and_exported() {
    let dir = fresh_dir("readings");
    for db in databases(&dir, "readings") {
        let (code, _, err) = tripoint(&dir, &["run", "--hours", "12", "--db", &db]);
        assert_eq!(code, 0, "{err}");
        // Every reading the stations took, not only the alarms.
        let alarms = count(&db, "readings WHERE alarm = 1");
        let quiet = count(&db, "readings WHERE alarm = 0");
        assert!(
            alarms > 0 && quiet > alarms,
            "{db}: {alarms} alarms, {quiet} other readings"
        );

        // The methods of the run's samples, with their containers: a second run's
        // custody takes them.
        let used = rows(
            &db,
            "SELECT DISTINCT r.method, s.pollutant FROM results r JOIN samples s ON s.id = r.sample_id \
             ORDER BY r.method, s.pollutant",
        );
        assert!(!used.is_empty());
        let mut methods = String::from("id,pollutant,setting,container,preservation\n");
        for r in &used {
            methods.push_str(&format!("{},{},field,bottle for {},cool to 4 °C\n", r[0], r[1], r[0]));
        }
        std::fs::write(dir.join("methods.csv"), methods).unwrap();
        let (code, _, err) = tripoint(&dir, &["db", "--db", &db, "import-methods", "methods.csv"]);
        assert_eq!(code, 0, "{err}");
        let (code, _, err) = tripoint(&dir, &["run", "--hours", "12", "--db", &db]);
        assert_eq!(code, 0, "{err}");
        let empty = count(
            &db,
            "custody_events WHERE sample_id IN (SELECT sample_id FROM results WHERE sample_id LIKE 'R2-%') \
             AND (container = '' OR preservation <> 'cool to 4 °C')",
        );
        assert_eq!(
            empty, 0,
            "{db}: every hand of run 2's analysed samples has its method's container"
        );
        assert!(
            count(
                &db,
                "custody_events WHERE sample_id LIKE 'R2-%' AND container LIKE 'bottle for %'"
            ) > 0
        );
        let (code, out, err) = tripoint(
            &dir,
            &[
                "db",
                "--db",
                &db,
                "query",
                "team-actions",
                "2",
                "wujiang_antimony",
                "--json",
            ],
        );
        assert_eq!(code, 0, "{err}");
        assert!(out.contains("\"container\": \"bottle for"), "{out}");

        // A station's own readings from a file, beside the runs'.
        let station = rows(&db, "SELECT id, pollutants FROM stations ORDER BY id");
        let (id, pollutant) = (&station[0][0], station[0][1].split(',').next().unwrap());
        std::fs::write(
            dir.join("station.csv"),
            format!(
                "station_id,pollutant,value,unit,measured_at,qa_flag\n\
                 {id},{pollutant},2.5,µg/L,2026-06-01 09:00,\n\
                 {id},{pollutant},0.003,mg/L,2026-06-01 10:00,calibrated\n"
            ),
        )
        .unwrap();
        let (code, out, err) = tripoint(&dir, &["db", "--db", &db, "import-readings", "station.csv"]);
        assert_eq!(code, 0, "{err}");
        assert!(out.contains("2 readings written"), "{out}");
        std::fs::write(
            dir.join("bad-station.csv"),
            format!(
                "station_id,pollutant,value,unit,measured_at\n\
                 {id},{pollutant},1,mg/L,2026-06-02 09:00\n\
                 nowhere,{pollutant},1,mg/L,2026-06-02 09:00\n"
            ),
        )
        .unwrap();
        let (code, _, err) = tripoint(&dir, &["db", "--db", &db, "import-readings", "bad-station.csv"]);
        assert_eq!(code, 2, "{err}");
        assert!(
            err.contains("bad-station.csv:3: station_id: unknown station \"nowhere\""),
            "{err}"
        );
        assert_eq!(count(&db, "station_readings"), 2, "{db}: nothing of the bad file");

        let (code, out, err) = tripoint(
            &dir,
            &["db", "--db", &db, "query", "station-readings", id, pollutant, "--json"],
        );
        assert_eq!(code, 0, "{err}");
        let series: serde_json::Value = serde_json::from_str(&out).unwrap();
        let series = series.as_array().unwrap();
        let of_runs = count(
            &db,
            &format!("readings WHERE station_id = '{id}' AND pollutant = '{pollutant}'"),
        );
        assert_eq!(series.len() as i64, of_runs + 2, "{db}: {out}");
        assert_eq!(series[series.len() - 1]["qa_flag"], "calibrated");
        assert_eq!(series[series.len() - 2]["value_mg_l"], 0.0025);
        let (code, out, err) = tripoint(&dir, &["db", "--db", &db, "export", "station_readings", "--geojson"]);
        assert_eq!(code, 0, "{err}");
        let geojson: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(geojson["features"].as_array().unwrap().len(), 2, "{out}");
        assert_eq!(geojson["features"][0]["properties"]["station_id"], id.as_str());
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn runs_and_drills_are_recorded_and_queried() {
    let dir = fresh_dir("runs");
    for db in databases(&dir, "runs") {
        let (code, _, err) = tripoint(&dir, &["run", "--hours", "12", "--db", &db]);
        assert_eq!(code, 0, "{err}");
        assert!(err.contains("recorded as run 1"), "{err}");
        // The same seed again: a second run, not a mix.
        let (code, _, err) = tripoint(&dir, &["run", "--hours", "12", "--db", &db]);
        assert_eq!(code, 0, "{err}");
        assert!(err.contains("recorded as run 2"), "{err}");
        let samples_1 = {
            let mut d = Database::open(&db).unwrap();
            tripoint_db::records::counts(&mut d, 1).unwrap()
        };
        let samples_2 = {
            let mut d = Database::open(&db).unwrap();
            tripoint_db::records::counts(&mut d, 2).unwrap()
        };
        assert_eq!(samples_1, samples_2, "{db}: the same seed records the same");
        assert!(
            samples_1.iter().all(|(t, n)| *n > 0 || t.starts_with("drill")),
            "{samples_1:?}"
        );
        let (code, _, err) = tripoint(&dir, &["drill", "two-incidents", "--db", &db]);
        assert_eq!(code, 0, "{err}");
        assert!(err.contains("recorded as run 3"), "{err}");
        assert_eq!(count(&db, "drills"), 1, "{db}");
        assert!(count(&db, "drill_ratings") > 0, "{db}");
        // The named queries, as JSON.
        let (code, out, err) = tripoint(
            &dir,
            &[
                "db",
                "--db",
                &db,
                "query",
                "point-series",
                "jinze_intake",
                "antimony",
                "--run",
                "1",
                "--json",
            ],
        );
        assert_eq!(code, 0, "{err}");
        let series: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert!(!series.as_array().unwrap().is_empty(), "{out}");
        let (code, out, _) = tripoint(
            &dir,
            &["db", "--db", &db, "query", "team-actions", "1", "wujiang_antimony"],
        );
        assert_eq!(code, 0);
        assert!(out.contains("qingpu_duty") || out.contains("wujiang"), "{out}");
        let (_, out, _) = tripoint(
            &dir,
            &["db", "--db", &db, "query", "incidents-at-intake", "jinze_intake"],
        );
        assert!(out.contains("wujiang_antimony"), "{out}");
        let (code, _, err) = tripoint(&dir, &["db", "--db", &db, "import-scenario"]);
        assert_eq!(code, 0, "{err}");
        let (_, out, _) = tripoint(&dir, &["db", "--db", &db, "query", "upstream-sources", "jinze_intake"]);
        assert!(out.contains("wj_lili_dyeing") || out.contains("antimony"), "{out}");
        let (code, _, err) = tripoint(&dir, &["db", "--db", &db, "query", "upstream-sources", "nowhere"]);
        assert_eq!(code, 2);
        assert!(err.contains("unknown point \"nowhere\""), "{err}");
        // A laboratory file: a result for a recorded sample, and a hostile one refused.
        std::fs::write(
            dir.join("lab.csv"),
            "sample_id,pollutant,value,unit,method,detection_limit,analysed_at,lab,qa_flag\n\
             R1-S1,antimony,3.2,µg/L,HJ 700-2014,0.15,2026-06-01 10:30,Qingpu lab,\n",
        )
        .unwrap();
        let before = count(&db, "results");
        let (code, out, err) = tripoint(&dir, &["db", "--db", &db, "import-results", "lab.csv"]);
        assert_eq!(code, 0, "{err}");
        assert!(out.contains("1 results written"), "{out}");
        std::fs::write(
            dir.join("bad.csv"),
            "sample_id,pollutant,value,unit,method,detection_limit,analysed_at,lab,qa_flag\n\
             R1-S1,antimony,3.2,µg/L,HJ 700-2014,0.15,2026-06-01 11:30,Qingpu lab,\n\
             R77-S1,antimony,3.2,ppb,HJ 700-2014,0.15,2026-06-01 10:30,Qingpu lab,\n",
        )
        .unwrap();
        let (code, _, err) = tripoint(&dir, &["db", "--db", &db, "import-results", "bad.csv"]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("bad.csv:3: sample_id: unknown sample \"R77-S1\""), "{err}");
        assert!(err.contains("bad.csv:3: unit: \"ppb\""), "{err}");
        assert_eq!(count(&db, "results"), before + 1, "{db}: nothing of the bad file");
        // Export: every table as CSV; GeoJSON where there are places, refused elsewhere.
        let (code, out, _) = tripoint(&dir, &["db", "--db", &db, "export", "custody_events"]);
        assert_eq!(code, 0);
        assert!(out.starts_with("sample_id,seq,at_s,held_by,event,place,handed_to,container,preservation\n"));
        let (code, out, _) = tripoint(&dir, &["db", "--db", &db, "export", "stations", "--geojson"]);
        assert_eq!(code, 0);
        let geojson: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert!(!geojson["features"].as_array().unwrap().is_empty());
        let (code, _, err) = tripoint(&dir, &["db", "--db", &db, "export", "results", "--geojson"]);
        assert_eq!(code, 2);
        assert!(err.contains("results has no coordinates"), "{err}");
        let (code, _, err) = tripoint(&dir, &["db", "--db", &db, "export", "nothing"]);
        assert_eq!(code, 2);
        assert!(err.contains("unknown table \"nothing\""), "{err}");
        // Backup, and restore into a new database of the other engine when there is one.
        let (code, _, err) = tripoint(&dir, &["db", "--db", &db, "backup", "backup.bin"]);
        assert_eq!(code, 0, "{err}");
        let (code, _, err) = tripoint(&dir, &["db", "--db", &db, "backup", "backup.bin"]);
        assert_eq!(code, 2, "an existing file is not overwritten: {err}");
        for target in databases(&dir, "restored") {
            let (code, out, err) = tripoint(&dir, &["db", "--db", &target, "restore", "backup.bin"]);
            assert_eq!(code, 0, "{db} → {target}: {err}");
            assert!(out.contains("rows restored"), "{out}");
            for table in [
                "runs",
                "samples",
                "custody_events",
                "results",
                "drill_ratings",
                "risk_sources",
            ] {
                assert_eq!(count(&target, table), count(&db, table), "{db} → {target}: {table}");
            }
            let (code, _, err) = tripoint(&dir, &["db", "--db", &target, "restore", "backup.bin"]);
            assert_eq!(code, 2);
            assert!(err.contains("not empty"), "{err}");
            if target.ends_with(".sqlite") {
                std::fs::remove_file(&target).unwrap();
                let _ = std::fs::remove_file(format!("{target}-wal"));
                let _ = std::fs::remove_file(format!("{target}-shm"));
            }
        }
        std::fs::remove_file(dir.join("backup.bin")).unwrap();
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// `dir/big.csv`: a laboratory file of 600 000 analyses of sample R1-S1 at distinct times.
fn write_big_results(dir: &std::path::Path) {
    let mut text = String::from("sample_id,pollutant,value,unit,method,detection_limit,analysed_at,lab,qa_flag\n");
    for i in 0..600_000u32 {
        let (day, rest) = (i / 86_400 + 1, i % 86_400);
        text.push_str(&format!(
            "R1-S1,antimony,{}.5,µg/L,HJ 700-2014,0.15,2026-01-{day:02} {:02}:{:02}:{:02},Qingpu lab,\n",
            i % 50,
            rest / 3600,
            rest / 60 % 60,
            rest % 60
        ));
    }
    std::fs::write(dir.join("big.csv"), &text).unwrap();
}

/// `tripoint db import-results big.csv` into `db`, started and left running.
fn start_import(dir: &std::path::Path, db: &str) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_tripoint"))
        .args(["db", "--db", db, "import-results", "big.csv"])
        .current_dir(dir)
        .env_remove("TRIPOINT_DB")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn a_writer_killed_mid_import_leaves_the_database_whole_and_without_its_rows() {
    let dir = fresh_dir("kill");
    let db = dir.join("kill.sqlite").display().to_string();
    let (code, _, err) = tripoint(&dir, &["run", "--hours", "6", "--db", &db]);
    assert_eq!(code, 0, "{err}");
    let results_before = count(&db, "results");
    write_big_results(&dir);
    let wal = format!("{db}-wal");
    let wal_before = std::fs::metadata(&wal).map_or(0, |m| m.len());
    let mut child = start_import(&dir, &db);
    // The transaction is under way once its pages spill into the write-ahead log.
    let started = std::time::Instant::now();
    loop {
        let grown = std::fs::metadata(&wal).map_or(0, |m| m.len()) > wal_before + 4 * 1024 * 1024;
        if grown {
            break;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the import finished before it could be killed: make the file bigger"
        );
        assert!(started.elapsed().as_secs() < 120, "the import never started writing");
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    child.kill().unwrap(); // SIGKILL: no destructor, no rollback by the program.
    child.wait().unwrap();
    let mut reopened = Database::open(&db).unwrap();
    let check = reopened.query("PRAGMA integrity_check", &[]).unwrap();
    assert_eq!(check[0][0].text(), Some("ok"), "{check:?}");
    drop(reopened);
    assert_eq!(count(&db, "results"), results_before, "nothing of the killed import");
    // The same file imports whole afterwards.
    let (code, out, err) = tripoint(&dir, &["db", "--db", &db, "import-results", "big.csv"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("600000 results written"), "{out}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_writer_killed_mid_import_on_postgres_leaves_none_of_its_rows() {
    let Ok(admin) = std::env::var("TRIPOINT_TEST_POSTGRES") else {
        eprintln!("TRIPOINT_TEST_POSTGRES is not set: the PostgreSQL kill was not tested");
        return;
    };
    let dir = fresh_dir("pgkill");
    let db = databases(&dir, "pgkill").pop().unwrap();
    let name = db.rsplit('/').next().unwrap().to_string();
    let (code, _, err) = tripoint(&dir, &["run", "--hours", "6", "--db", &db]);
    assert_eq!(code, 0, "{err}");
    let results_before = count(&db, "results");
    write_big_results(&dir);
    let mut child = start_import(&dir, &db);
    // The import's transaction, as the server sees it: writing results for a second.
    let mut watcher = postgres::Client::connect(&admin, postgres::NoTls).unwrap();
    let started = std::time::Instant::now();
    loop {
        let writing: i64 = watcher
            .query_one(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'INSERT INTO results%' \
                 AND now() - xact_start > interval '1 second'",
                &[&name],
            )
            .unwrap()
            .get(0);
        if writing > 0 {
            break;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the import finished before it could be killed: make the file bigger"
        );
        assert!(started.elapsed().as_secs() < 120, "the import never started writing");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL: the connection drops mid-transaction.
    child.wait().unwrap();
    // The server rolls the transaction back when it sees the connection gone.
    let started = std::time::Instant::now();
    loop {
        let open: i64 = watcher
            .query_one(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'INSERT INTO results%' \
                 AND xact_start IS NOT NULL",
                &[&name],
            )
            .unwrap()
            .get(0);
        if open == 0 {
            break;
        }
        assert!(
            started.elapsed().as_secs() < 30,
            "the killed import's transaction stays open"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(count(&db, "results"), results_before, "nothing of the killed import");
    let (code, out, err) = tripoint(&dir, &["db", "--db", &db, "import-results", "big.csv"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("600000 results written"), "{out}");
    assert_eq!(count(&db, "results"), results_before + 600_000);
    std::fs::remove_dir_all(&dir).ok();
}

/// In a Chinese session (LANG) the lines the database's recorder writes for the person are
/// Chinese: the schema's upgrade on a new file, and the drill recorded as a run.
#[test]
fn the_recorder_speaks_the_session_s_language() {
    let dir = fresh_dir("zh");
    let db = dir.join("zh.sqlite").display().to_string();
    let (_, err) = support::tripoint_ok(
        &["drill", "two-incidents", "--db", &db, "--seed", "7"],
        &[("LANG", "zh_CN.UTF-8")],
    );
    assert!(err.contains("数据库结构已升级到版本 6（SQLite 数据库）"), "{err}");
    assert!(err.contains("中的运行 1（样品 "), "{err}");
    for line in err.lines().filter(|l| l.contains("数据库")) {
        let english = tripoint_tui::i18n::english_phrases(line);
        assert!(english.is_empty(), "{line}: {english:?}");
    }
    // English is unchanged.
    let (_, err) = support::tripoint_ok(&["drill", "two-incidents", "--db", &db, "--seed", "7"], &[]);
    assert!(err.contains("recorded as run 2 in "), "{err}");
}
