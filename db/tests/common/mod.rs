//! Fresh databases for the tests: a SQLite file always, and a new PostgreSQL database
//! when `TRIPOINT_TEST_POSTGRES` names a server a test may create databases on.

use std::sync::atomic::{AtomicUsize, Ordering};

pub static NEXT: AtomicUsize = AtomicUsize::new(0);

/// A fresh, empty database location on each engine available.
pub fn locations() -> Vec<String> {
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("tripoint-db-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut out = vec![dir.join("data").join("tripoint.sqlite").display().to_string()];
    match std::env::var("TRIPOINT_TEST_POSTGRES") {
        Ok(admin) => {
            let name = format!("tripoint_t_{}_{n}", std::process::id());
            let mut client = postgres::Client::connect(&admin, postgres::NoTls).expect("the test server");
            client
                .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
                .unwrap();
            client.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
            let url = match admin.rsplit_once('/') {
                Some((server, _)) if admin.contains("://") => format!("{server}/{name}"),
                _ => format!("{admin} dbname={name}"),
            };
            out.push(url);
        }
        Err(_) if std::env::var("CI").is_ok() => panic!("CI must set TRIPOINT_TEST_POSTGRES (.ci/run starts a server)"),
        Err(_) => eprintln!("TRIPOINT_TEST_POSTGRES is not set: PostgreSQL not tested here"),
    }
    out
}
