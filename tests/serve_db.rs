//! The exercise server writes the exercise into the database: a database that cannot be
//! opened stops it at the start (exit 2, the reason); a served exercise is recorded as a
//! drill run is, on SQLite and (with `TRIPOINT_TEST_POSTGRES`) PostgreSQL, while a
//! laboratory's results are imported into the same database at the same time: both
//! finish and every row of both is there.

mod support;

use std::process::{Command, Stdio};
use support::{Server, TIMEOUT, add_seats, postgres_database, runtime, scratch, tripoint_in as tripoint};
use tripoint_db::Database;
use tripoint_tui::net::Control;
use tripoint_tui::net::client::Client;

/// A new SQLite file under `dir`, and a new PostgreSQL database when a server is given.
fn databases(dir: &std::path::Path, tag: &str) -> Vec<String> {
    let mut out = vec![dir.join(format!("{tag}.sqlite")).display().to_string()];
    out.extend(postgres_database(&format!("tripoint_serve_{tag}")));
    out
}

fn count(db: &mut Database, sql: &str) -> i64 {
    db.query(sql, &[]).unwrap()[0][0].int().unwrap()
}

#[test]
fn a_database_that_cannot_be_opened_stops_the_server_at_the_start() {
    let dir = scratch("db-refused");
    add_seats(&dir, &[("ctl", "controller")]);
    // A SQLite file whose folder is a file; and a database of a newer program.
    std::fs::write(dir.join("not-a-folder"), "").unwrap();
    let newer = dir.join("newer.sqlite").display().to_string();
    {
        let mut db = Database::open(&newer).unwrap();
        db.execute(
            "INSERT INTO schema_migrations (version, name, applied_by) VALUES (99, 'later', 'tripoint 9')",
            &[],
        )
        .unwrap();
    }
    let unreachable = dir.join("not-a-folder/x.sqlite").display().to_string();
    for (location, reason) in [
        (unreachable.as_str(), "cannot open the database"),
        (newer.as_str(), "newer than this program"),
    ] {
        let (code, out, err) = tripoint(
            &dir,
            &[
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--seats",
                "seats.toml",
                "--db",
                location,
            ],
        );
        assert_eq!(code, 2, "{err}");
        assert!(err.contains(reason), "{err}");
        assert!(!out.contains("listening"), "refused before it listens: {out}");
    }
    // `--no-db` writes none, not even the default file.
    let (code, _, err) = tripoint(&dir, &["serve", "--no-db", "--db", "x.sqlite", "--seats", "seats.toml"]);
    assert_eq!(code, 2, "--db and --no-db together: {err}");
}

#[test]
fn a_served_exercise_and_an_import_write_the_same_database_at_once_and_lose_nothing() {
    let dir = scratch("db-concurrent");
    let tokens = add_seats(&dir, &[("ctl", "controller")]);
    for location in databases(&dir, "concurrent") {
        let _ = std::fs::remove_file(dir.join("journal.jsonl"));
        // The drill headless first: run 1, what the served exercise must come to, and
        // the samples the laboratory's file names.
        let (code, _, err) = tripoint(&dir, &["drill", "two-incidents", "--db", &location]);
        assert_eq!(code, 0, "{err}");
        let mut db = Database::open(&location).unwrap();
        let expected = tripoint_db::records::counts(&mut db, 1).unwrap();
        assert!(expected.iter().any(|&(t, n)| t == "results" && n > 0), "{expected:?}");
        drop(db);
        // A laboratory's file: 60 000 analyses of the first sample at distinct times.
        let rows = 60_000u32;
        let mut text = String::from("sample_id,pollutant,value,unit,method,detection_limit,analysed_at,lab,qa_flag\n");
        for i in 0..rows {
            let (day, rest) = (i / 86_400 + 1, i % 86_400);
            text.push_str(&format!(
                "R1-S1,antimony,{}.5,µg/L,HJ 700-2014,0.15,2026-02-{day:02} {:02}:{:02}:{:02},Qingpu lab,\n",
                i % 50,
                rest / 3600,
                rest / 60 % 60,
                rest % 60
            ));
        }
        std::fs::write(dir.join("lab.csv"), &text).unwrap();

        let server = Server::start(&dir, &["two-incidents", "--speed", "fastest", "--db", &location]);
        let import = Command::new(env!("CARGO_BIN_EXE_tripoint"))
            .args(["db", "--db", &location, "import-results", "lab.csv"])
            .current_dir(&dir)
            .env_remove("TRIPOINT_DB")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        runtime().block_on(async {
            let mut ctl = Client::connect(&server.addr, "ctl", &tokens["ctl"]).await.unwrap();
            ctl.control(Control::Resume).await.unwrap();
            ctl.wait_for(TIMEOUT, |view| view["clock"]["finished"] == true)
                .await
                .unwrap();
        });
        let log = server.stop();
        let import = import.wait_with_output().unwrap();
        assert!(import.status.success(), "{}", String::from_utf8_lossy(&import.stderr));
        assert!(log.contains("as run 2"), "{log}");
        assert!(!log.contains("cannot write"), "{log}");

        let mut db = Database::open(&location).unwrap();
        // The served exercise, with simulated players in every seat but the controller's,
        // is the drill: the same rows in every table.
        let served = tripoint_db::records::counts(&mut db, 2).unwrap();
        assert_eq!(served, expected, "{location}");
        let in_progress = count(&mut db, "SELECT in_progress FROM runs WHERE id = 2");
        assert_eq!(in_progress, 0);
        // And every row of the import.
        let imported = count(&mut db, "SELECT COUNT(*) FROM results WHERE source LIKE 'import%'");
        assert_eq!(imported, i64::from(rows), "{location}");
    }
}
