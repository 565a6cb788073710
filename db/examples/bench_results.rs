//! Benchmark of the record (docs/benchmarks.md): a laboratory file of 1 000 000 results
//! imported (read, checked row by row, written in one transaction), then one point's
//! time series for one pollutant read back, on SQLite and, when
//! `TRIPOINT_TEST_POSTGRES` names a server, on PostgreSQL twice — written with `COPY`
//! (the import's way) and 500 rows to a statement (its way before) — in one run:
//!
//! ```text
//! TRIPOINT_TEST_POSTGRES=postgresql://postgres@127.0.0.1:55433/postgres \
//!     cargo run --release -p tripoint-db --example bench_results
//! ```

use std::collections::BTreeSet;
use std::time::Instant;
use tripoint_db::{Database, Value, queries, records, results};

/// Samples in the run, spread over this many points; each sample has one result per
/// pollutant.
const SAMPLES: usize = 100_000;
const POINTS: usize = 100;
const POLLUTANTS: [&str; 10] = [
    "antimony",
    "aniline",
    "nitrobenzene",
    "petroleum",
    "ammonia_nitrogen",
    "cod",
    "chromium_hexavalent",
    "arsenic",
    "benzene",
    "toluene",
];

/// How an import writes its rows.
#[derive(Clone, Copy)]
enum Write {
    /// `results::store`: on PostgreSQL one `COPY`, on SQLite 500 rows to a statement.
    Store,
    /// `results::store_by_statements`: 500 rows to a statement on either engine (what
    /// PostgreSQL imports did before `COPY`).
    Statements,
}

fn main() {
    let dir = std::env::temp_dir().join(format!("tripoint-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut runs = vec![(dir.join("bench.sqlite").display().to_string(), Write::Store)];
    if let Ok(admin) = std::env::var("TRIPOINT_TEST_POSTGRES") {
        // Two fresh databases on the same server: the import by statements, then by COPY.
        let mut client = postgres::Client::connect(&admin, postgres::NoTls).expect("the server");
        let (server, _) = admin.rsplit_once('/').expect("a postgresql:// URL");
        for (tag, write) in [("statements", Write::Statements), ("copy", Write::Store)] {
            let name = format!("tripoint_bench_{tag}_{}", std::process::id());
            client.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
            runs.push((format!("{server}/{name}"), write));
        }
    } else {
        eprintln!("TRIPOINT_TEST_POSTGRES is not set: SQLite only");
    }
    let csv = results_file();
    println!(
        "results file: {} rows, {:.1} MB",
        SAMPLES * POLLUTANTS.len(),
        csv.len() as f64 / 1e6
    );
    let pollutants: BTreeSet<String> = POLLUTANTS.iter().map(|p| p.to_string()).collect();
    for (location, write) in &runs {
        let mut db = Database::open(location).unwrap();
        let engine = match (db.is_sqlite(), write) {
            (true, _) => "SQLite",
            (false, Write::Statements) => "PostgreSQL, statements",
            (false, Write::Store) => "PostgreSQL, COPY",
        };
        let t = Instant::now();
        write_samples(&mut db);
        println!(
            "{engine}: {SAMPLES} samples written in {:.2} s",
            t.elapsed().as_secs_f64()
        );
        // The import as `tripoint db import-results` does it, timed in its two halves:
        // reading and checking every row, then writing them in one transaction.
        let t = Instant::now();
        let text = results::utf8_text("bench.csv", csv.as_bytes()).unwrap();
        let samples = results::sample_ids(&mut db).unwrap();
        let parsed = results::parse("bench.csv", text, &samples, &pollutants).unwrap();
        let check_s = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let n = match write {
            Write::Store => results::store(&mut db, &parsed, "import bench.csv"),
            Write::Statements => results::store_by_statements(&mut db, &parsed, "import bench.csv"),
        }
        .unwrap();
        db.batch("ANALYZE samples; ANALYZE results").unwrap(); // as `import` does after a large file
        let write_s = t.elapsed().as_secs_f64();
        println!(
            "{engine}: import of {n} results: {:.2} s (read and check {check_s:.2} s, write and analyze {write_s:.2} s; {:.0} results/s)",
            check_s + write_s,
            n as f64 / (check_s + write_s)
        );
        // One point's series for one pollutant, five times (the first may read from disk).
        for k in 0..5 {
            let t = Instant::now();
            let answer = queries::point_series(&mut db, "point_042", "antimony", None).unwrap();
            println!(
                "{engine}: point series #{k}: {} results in {:.1} ms",
                answer.rows.len(),
                t.elapsed().as_secs_f64() * 1e3
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// One run of `SAMPLES` samples, point `k % POINTS`, every 10 minutes.
fn write_samples(db: &mut Database) {
    let record = records::RunRecord {
        kind: "run".into(),
        name: "benchmark".into(),
        scenario: "benchmark".into(),
        seed: 0,
        end_s: (SAMPLES as i64) * 600,
        incidents: vec![records::Incident {
            id: "B".into(),
            name: "benchmark".into(),
            jurisdiction: "qingpu".into(),
            pollutant: "antimony".into(),
            start_s: 0,
            discovered_s: None,
            discovered_by: None,
            plan_s: None,
            declared_level: "IV".into(),
            level: "IV".into(),
            true_mass_kg: None,
            estimated_mass_kg: None,
        }],
        ..records::RunRecord::default()
    };
    let run = records::write(db, &record).unwrap();
    db.transaction(|db| {
        for chunk in (0..SAMPLES).collect::<Vec<_>>().chunks(500) {
            let mut sql = String::from(
                "INSERT INTO samples (id, run_id, incident_id, point_id, pollutant, taken_s, duplicate, sediment) VALUES ",
            );
            let mut params = Vec::new();
            for (i, &k) in chunk.iter().enumerate() {
                let n = i * 4;
                if i > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!(
                    "(${}, {run}, 'B', ${}, ${}, ${}, 0, 0)",
                    n + 1,
                    n + 2,
                    n + 3,
                    n + 4
                ));
                params.extend([
                    Value::Text(records::sample_id(run, k)),
                    Value::Text(format!("point_{:03}", k % POINTS)),
                    Value::Text("antimony".into()),
                    Value::Int(k as i64 * 600),
                ]);
            }
            db.execute(&sql, &params)?;
        }
        Ok::<(), tripoint_db::DbError>(())
    })
    .unwrap();
}

/// Every sample analysed for every pollutant: 1 000 000 rows, a tenth of them below
/// the detection limit, values in µg/L.
fn results_file() -> String {
    let mut text = String::from("sample_id,pollutant,value,unit,method,detection_limit,analysed_at,lab,qa_flag\n");
    for k in 0..SAMPLES {
        for (p, pollutant) in POLLUTANTS.iter().enumerate() {
            let minutes = k * 10 + 90;
            let (day, minute) = (minutes / 1440, minutes % 1440);
            let (month, day) = (day / 28 % 12 + 1, day % 28 + 1);
            text.push_str(&format!(
                "R1-S{},{pollutant},{}.{},µg/L,HJ 700-2014,0.15,2026-{month:02}-{day:02} {:02}:{:02},Qingpu lab,\n",
                k + 1,
                (k + p) % 40,
                k % 10,
                minute / 60,
                minute % 60
            ));
        }
    }
    text
}
