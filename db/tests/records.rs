//! The record of runs, the reference tables, laboratory results, exports, dumps and
//! the named queries, on a SQLite file and (with `TRIPOINT_TEST_POSTGRES`) PostgreSQL.

mod common;

use common::locations;
use std::collections::BTreeSet;
use tripoint_db::records::{self, RunRecord};
use tripoint_db::register::ImportError;
use tripoint_db::{Database, Value, export, queries, readings, reference, results};

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// A small run: one incident, one plan revision with two points, two tasks, three
/// samples (one a laboratory confirmation), a reading, a warning.
fn a_run(seed: u64) -> RunRecord {
    let custody = |team: &str| {
        vec![
            records::Custody {
                at_s: 3600,
                held_by: team.into(),
                event: "taken at jinze_intake".into(),
                place: "jinze_intake".into(),
                handed_to: Some("courier".into()),
                container: String::new(),
                preservation: String::new(),
            },
            records::Custody {
                at_s: 5400,
                held_by: "qingpu_lab".into(),
                event: "received for analysis by icp_ms".into(),
                place: "qingpu_lab".into(),
                handed_to: None,
                container: String::new(),
                preservation: String::new(),
            },
        ]
    };
    let sample = |point: &str, at: i64, value: Option<f64>, confirms: Option<usize>| records::Sample {
        incident_id: "A".into(),
        point_id: point.into(),
        lon: Some(120.9),
        lat: Some(31.0),
        pollutant: "antimony".into(),
        team: Some("qingpu_duty".into()),
        taken_s: at,
        duplicate: false,
        sediment: false,
        confirms,
        method: "icp_ms".into(),
        custody: custody("qingpu_duty"),
        result: Some(records::SampleResult {
            analysed_at: format!("D1 {:02}:00", at / 3600 + 1),
            analysed_s: at + 3600,
            lab: "qingpu_lab".into(),
            value_mg_l: value,
            detection_limit_mg_l: 0.0005,
            method: "icp_ms".into(),
            instrument: "icp_ms".into(),
            qa_flag: String::new(),
        }),
    };
    RunRecord {
        kind: "run".into(),
        name: "two incidents".into(),
        scenario: "two incidents".into(),
        scenario_hash: "abc".into(),
        policy: "unified".into(),
        seed,
        end_s: 48 * 3600,
        stations: vec![records::Station {
            id: "jinze_station".into(),
            name: "Jinze station".into(),
            kind: "station".into(),
            jurisdiction: "qingpu".into(),
            lon: Some(120.9),
            lat: Some(31.0),
            pollutants: "antimony".into(),
        }],
        readings: vec![records::Reading {
            station_id: "jinze_station".into(),
            at_s: 7200,
            pollutant: "antimony".into(),
            value_mg_l: 0.012,
            alarm: true,
            qa_flag: String::new(),
        }],
        incidents: vec![records::Incident {
            id: "A".into(),
            name: "Antimony at Lili".into(),
            jurisdiction: "wujiang".into(),
            pollutant: "antimony".into(),
            start_s: 0,
            discovered_s: Some(1800),
            discovered_by: Some("jinze_station".into()),
            plan_s: Some(2400),
            declared_level: "IV".into(),
            level: "III".into(),
            true_mass_kg: Some(300.0),
            estimated_mass_kg: Some(250.0),
        }],
        plans: vec![records::PlanRevision {
            incident_id: "A".into(),
            revision: 1,
            issued_s: 2400,
            level: "IV".into(),
            method: "sb_voltammetry".into(),
            estimated_mass_kg: 250.0,
            approved_by: Some("command".into()),
            approved_s: Some(2500),
            document: "{\"points\":[]}".into(),
            points: vec![records::PlanPoint {
                point_id: "jinze_intake".into(),
                name: "Jinze intake".into(),
                role: "intake".into(),
                jurisdiction: "qingpu".into(),
                team: Some("qingpu_duty".into()),
                lon: Some(120.9),
                lat: Some(31.0),
                forecast_arrival_s: Some(9000),
                limit_mg_l: 0.005,
                dense_interval_s: 3600,
                sparse_interval_s: 7200,
            }],
        }],
        tasks: vec![
            records::Task {
                incident_id: "A".into(),
                point_id: "jinze_intake".into(),
                role: "intake".into(),
                jurisdiction: "qingpu".into(),
                team: Some("qingpu_duty".into()),
                status: "done".into(),
                due_s: 3600,
                opened_s: Some(2400),
                assigned_s: Some(2500),
                arrived_s: Some(3500),
                requested_by: None,
                sample: Some(0),
            },
            records::Task {
                incident_id: "A".into(),
                point_id: "border".into(),
                role: "border_section".into(),
                jurisdiction: "wujiang".into(),
                team: None,
                status: "open".into(),
                due_s: 7200,
                opened_s: None,
                assigned_s: None,
                arrived_s: None,
                requested_by: None,
                sample: None,
            },
        ],
        samples: vec![
            sample("jinze_intake", 3600, Some(0.004), None),
            sample("jinze_intake", 7200, None, None),
            sample("jinze_intake", 7200, Some(0.009), Some(1)),
        ],
        warnings: vec![records::Warning {
            incident_id: "A".into(),
            intake: "jinze_intake".into(),
            threatened: true,
            forecast_warning_s: Some(2400),
            confirmed_warning_s: Some(7300),
            plume_over_limit_s: Some(9000),
            warned_before_arrival: true,
            margin_s: Some(1700),
        }],
        drill: None,
    }
}

fn count(db: &mut Database, table: &str) -> i64 {
    db.query(&format!("SELECT COUNT(*) FROM {table}"), &[]).unwrap()[0][0]
        .int()
        .unwrap()
}

/// The chemicals table as versions 1 to 3 had it (before `seq`), in place of the
/// current one: the statement of migration 1 that made it.
fn version_1_chemicals() -> String {
    let migration = tripoint_db::MIGRATIONS[0].2;
    let start = migration.find("CREATE TABLE risk_source_chemicals").unwrap();
    let end = start + migration[start..].find(");").unwrap() + 2;
    format!("DROP TABLE risk_source_chemicals; {}", &migration[start..end])
}

#[test]
fn a_version_1_database_is_upgraded_to_the_current_version_with_its_register_kept() {
    for location in locations() {
        // A database as the first version of the program left it: migration 1 only.
        {
            let mut db = Database::open(&location).unwrap();
            db.batch(
                "DROP TABLE drill_ratings; DROP TABLE drills; DROP TABLE warnings; DROP TABLE results; \
                 DROP TABLE custody_events; DROP TABLE tasks; DROP TABLE samples; DROP TABLE plan_points; \
                 DROP TABLE plan_revisions; DROP TABLE incidents; DROP TABLE readings; DROP TABLE runs; \
                 DROP TABLE station_readings; \
                 DROP TABLE stations; DROP TABLE expert_pollutants; DROP TABLE experts; DROP TABLE methods; \
                 DELETE FROM schema_migrations WHERE version >= 2",
            )
            .unwrap();
            db.batch(&version_1_chemicals()).unwrap();
            db.execute(
                "INSERT INTO risk_sources (id, name, kind, jurisdiction, node, road_node, annual_probability) \
                 VALUES ('depot', 'Fenhu depot', 'enterprise', 'wujiang', 'fenhu', 'fenhu', 0.01)",
                &[],
            )
            .unwrap();
            assert_eq!(db.version().unwrap(), 1);
        }
        let mut db = Database::open(&location).unwrap();
        assert_eq!(db.upgraded, vec![2, 3, 4, 5, 6], "{location}");
        assert_eq!(db.version().unwrap(), 6);
        let (sources, _) = tripoint_db::register::load(&mut db).unwrap();
        assert_eq!(sources.len(), 1, "{location}: the register kept");
        assert_eq!(sources[0].name, "Fenhu depot");
        assert_eq!(count(&mut db, "runs"), 0, "{location}: the new tables are there");
    }
}

/// The pollutants of `source`'s chemicals as the register gives them back.
fn chemicals_of(db: &mut Database, source: &str) -> Vec<String> {
    let (_, chemicals) = tripoint_db::register::load(db).unwrap();
    chemicals
        .into_iter()
        .filter(|c| c.source_id == source)
        .map(|c| c.pollutant)
        .collect()
}

/// Takes a database back to version 5: migration 6 undone.
const UNDO_VERSION_6: &str = "DROP INDEX readings_by_station; DROP TABLE station_readings; \
     ALTER TABLE readings DROP COLUMN qa_flag; ALTER TABLE custody_events DROP COLUMN preservation; \
     DELETE FROM schema_migrations WHERE version >= 6";

#[test]
fn a_version_5_database_is_upgraded_with_its_readings_and_custody_kept() {
    for location in locations() {
        {
            let mut db = Database::open(&location).unwrap();
            records::write(&mut db, &a_run(1)).unwrap();
            db.batch(UNDO_VERSION_6).unwrap();
            assert_eq!(db.version().unwrap(), 5);
        }
        let mut db = Database::open(&location).unwrap();
        assert_eq!(db.upgraded, vec![6], "{location}");
        assert_eq!(db.version().unwrap(), tripoint_db::schema_version());
        let readings = db
            .query("SELECT station_id, at_s, value_mg_l, alarm, qa_flag FROM readings", &[])
            .unwrap();
        assert_eq!(
            readings,
            [vec![
                Value::Text("jinze_station".into()),
                Value::Int(7200),
                Value::Real(0.012),
                Value::Int(1),
                Value::Text(String::new())
            ]],
            "{location}: the reading kept, with an empty QA flag"
        );
        let preservation = db
            .query("SELECT DISTINCT preservation FROM custody_events", &[])
            .unwrap();
        assert_eq!(preservation, [vec![Value::Text(String::new())]], "{location}");
        assert_eq!(count(&mut db, "custody_events"), 6, "{location}");
        assert_eq!(count(&mut db, "station_readings"), 0, "{location}: the new table");
        // A run written after the upgrade has every column.
        records::write(&mut db, &a_run(2)).unwrap();
        assert_eq!(count(&mut db, "readings"), 2, "{location}");
    }
}

#[test]
fn a_version_3_database_is_upgraded_with_its_chemicals_in_pollutant_order_and_new_ones_in_theirs() {
    for location in locations() {
        // The register as version 3 left it: the chemicals without their order, written
        // out of pollutant order; runs without the time of their last write.
        {
            let mut db = Database::open(&location).unwrap();
            db.batch(&version_1_chemicals()).unwrap();
            db.batch(UNDO_VERSION_6).unwrap();
            db.batch(
                "ALTER TABLE runs DROP COLUMN updated_utc;
                 DELETE FROM schema_migrations WHERE version >= 4;
                 INSERT INTO risk_sources (id, name, kind, jurisdiction, node, road_node, annual_probability)
                 VALUES ('depot', 'Fenhu depot', 'enterprise', 'wujiang', 'fenhu', 'fenhu', 0.01);
                 INSERT INTO risk_source_chemicals (source_id, pollutant, max_release_kg)
                 VALUES ('depot', 'phenol', 5), ('depot', 'aniline', 5)",
            )
            .unwrap();
            assert_eq!(db.version().unwrap(), 3);
        }
        let mut db = Database::open(&location).unwrap();
        assert_eq!(db.upgraded, vec![4, 5, 6], "{location}");
        assert_eq!(db.version().unwrap(), tripoint_db::schema_version());
        assert_eq!(
            chemicals_of(&mut db, "depot"),
            ["aniline", "phenol"],
            "{location}: kept, by pollutant"
        );

        // Written again: in the order given, which stays.
        let (sources, mut chemicals) = tripoint_db::register::load(&mut db).unwrap();
        chemicals.reverse();
        chemicals.push(tripoint_db::register::Chemical {
            source_id: "depot".into(),
            pollutant: "antimony".into(),
            max_on_site_kg: None,
            max_release_kg: 1.0,
        });
        tripoint_db::register::store(&mut db, &sources, &chemicals).unwrap();
        assert_eq!(
            chemicals_of(&mut db, "depot"),
            ["phenol", "aniline", "antimony"],
            "{location}: the order written"
        );
    }
}

#[test]
fn a_run_recorded_twice_is_two_runs_with_every_record() {
    for location in locations() {
        let mut db = Database::open(&location).unwrap();
        let first = records::write(&mut db, &a_run(7)).unwrap();
        let second = records::write(&mut db, &a_run(7)).unwrap();
        assert_eq!((first, second), (1, 2), "{location}");
        for run in [first, second] {
            let counts = records::counts(&mut db, run).unwrap();
            let expected = [
                ("incidents", 1),
                ("plan_revisions", 1),
                ("plan_points", 1),
                ("tasks", 2),
                ("samples", 3),
                ("custody_events", 6),
                ("results", 3),
                ("readings", 1),
                ("warnings", 1),
                ("drills", 0),
                ("drill_ratings", 0),
            ];
            assert_eq!(counts, expected, "{location}: run {run}");
        }
        // The confirmation names its field sample; the task its sample; custody hands over.
        let rows = db
            .query("SELECT confirms FROM samples WHERE id = 'R2-S3'", &[])
            .unwrap();
        assert_eq!(rows[0][0], Value::Text("R2-S2".into()));
        let rows = db
            .query(
                "SELECT handed_to, place FROM custody_events WHERE sample_id = 'R1-S1' ORDER BY seq",
                &[],
            )
            .unwrap();
        assert_eq!(
            rows[0],
            vec![Value::Text("courier".into()), Value::Text("jinze_intake".into())]
        );
        assert_eq!(rows[1], vec![Value::Null, Value::Text("qingpu_lab".into())]);
        // A non-detect is stored as one, not as zero.
        let rows = db
            .query(
                "SELECT value_mg_l, non_detect FROM results WHERE sample_id = 'R1-S2'",
                &[],
            )
            .unwrap();
        assert_eq!(rows[0], vec![Value::Null, Value::Int(1)]);
    }
}

#[test]
fn concurrent_writers_lose_nothing() {
    for location in locations() {
        drop(Database::open(&location).unwrap());
        let writers: Vec<_> = (0..4)
            .map(|w| {
                let location = location.clone();
                std::thread::spawn(move || {
                    let mut db = Database::open(&location).unwrap();
                    (0..5)
                        .map(|k| records::write(&mut db, &a_run(w * 10 + k)).unwrap())
                        .collect::<Vec<i64>>()
                })
            })
            .collect();
        let mut ids: Vec<i64> = writers.into_iter().flat_map(|w| w.join().unwrap()).collect();
        ids.sort();
        assert_eq!(
            ids,
            (1..=20).collect::<Vec<i64>>(),
            "{location}: every run, each id once"
        );
        let mut db = Database::open(&location).unwrap();
        assert_eq!(count(&mut db, "samples"), 60, "{location}");
        assert_eq!(count(&mut db, "results"), 60, "{location}");
    }
}

const POLLUTANTS: [&str; 2] = ["antimony", "aniline"];

#[test]
fn a_laboratory_file_is_imported_with_units_converted_and_non_detects_kept() {
    for location in locations() {
        let mut db = Database::open(&location).unwrap();
        records::write(&mut db, &a_run(1)).unwrap();
        let file = "\
sample_id,pollutant,value,unit,method,detection_limit,analysed_at,lab,qa_flag
R1-S1,antimony,4.5,µg/L,HJ 700-2014,0.15,2026-06-01 10:30,Qingpu lab,
R1-S1,aniline,0.02,mg/L,HJ 822-2017,0.03,2026-06-01T11:00:00+08:00,Qingpu lab,
R1-S2,antimony,ND,ug/L,HJ 700-2014,0.15,2026-06-01 10:45,Qingpu lab,blank ok
";
        let written = results::import(&mut db, "lab.csv", file.as_bytes(), &set(&POLLUTANTS)).unwrap();
        assert_eq!(written, 3, "{location}");
        let rows = db
            .query(
                "SELECT pollutant, value_mg_l, non_detect, detection_limit_mg_l, source FROM results \
                 WHERE sample_id = 'R1-S1' AND lab = 'Qingpu lab' ORDER BY pollutant",
                &[],
            )
            .unwrap();
        // 0.02 mg/L is below the 0.03 mg/L detection limit: a non-detect.
        assert_eq!(rows[0][0], Value::Text("aniline".into()));
        assert_eq!((rows[0][1].clone(), rows[0][2].clone()), (Value::Null, Value::Int(1)));
        let sb = rows[1][1].real().unwrap();
        assert!((sb - 0.0045).abs() < 1e-12, "{location}: µg/L to mg/L: {sb}");
        assert!((rows[1][3].real().unwrap() - 0.00015).abs() < 1e-15);
        assert_eq!(rows[1][4], Value::Text("import lab.csv".into()));
        // The same file again replaces, it does not duplicate.
        results::import(&mut db, "lab.csv", file.as_bytes(), &set(&POLLUTANTS)).unwrap();
        assert_eq!(count(&mut db, "results"), 6, "{location}");
    }
}

#[test]
fn results_the_database_refuses_leave_nothing_and_a_corrected_result_replaces_the_old() {
    for location in locations() {
        let mut db = Database::open(&location).unwrap();
        records::write(&mut db, &a_run(1)).unwrap();
        let result = |sample: &str, value: f64| results::LabResult {
            sample_id: sample.into(),
            pollutant: "antimony".into(),
            value_mg_l: Some(value),
            detection_limit_mg_l: Some(0.0001),
            method: "HJ 700-2014".into(),
            analysed_at: "2026-06-02 09:00".into(),
            lab: "Qingpu lab".into(),
            qa_flag: String::new(),
        };
        let before = export::to_csv(&mut db, export::table("results").unwrap()).unwrap();
        // A sample the database does not hold, after a good row: the database refuses
        // it (a foreign key) and the good row is not written either.
        let refused = results::store(
            &mut db,
            &[result("R1-S1", 0.004), result("R9-S9", 0.004)],
            "import x.csv",
        );
        assert!(
            matches!(refused, Err(tripoint_db::DbError::Sql { .. })),
            "{location}: {refused:?}"
        );
        let after = export::to_csv(&mut db, export::table("results").unwrap()).unwrap();
        assert_eq!(after, before, "{location}: nothing written");
        // The connection goes on; the result, then its correction, which replaces it.
        for value in [0.004, 0.0025] {
            results::store(&mut db, &[result("R1-S1", value)], "import x.csv").unwrap();
            let rows = db
                .query(
                    "SELECT value_mg_l FROM results WHERE sample_id = 'R1-S1' AND analysed_at = '2026-06-02 09:00'",
                    &[],
                )
                .unwrap();
            assert_eq!(rows, vec![vec![Value::Real(value)]], "{location}");
        }
        assert_eq!(
            count(&mut db, "results"),
            before.lines().count() as i64,
            "{location}: one row added"
        );
    }
}

#[test]
fn a_hostile_results_file_names_every_bad_row_and_writes_nothing() {
    for location in locations() {
        let mut db = Database::open(&location).unwrap();
        records::write(&mut db, &a_run(1)).unwrap();
        let before = count(&mut db, "results");
        let file = "\
sample_id,pollutant,value,unit,method,detection_limit,analysed_at,lab,qa_flag
R1-S1,antimony,4.5,µg/L,HJ 700-2014,0.15,2026-06-01 10:30,Qingpu lab,
R9-S9,antimony,4.5,µg/L,HJ 700-2014,0.15,2026-06-01 10:30,Qingpu lab,
R1-S2,antimony,4.5,ppm,HJ 700-2014,0.15,2026-06-01 10:30,Qingpu lab,
R1-S2,arsenic,-1,mg/L,HJ 700-2014,,yesterday,Qingpu lab,
R1-S3,antimony,ND,mg/L,HJ 700-2014,,2026-06-01 10:30,,
R1-S1,antimony,4.6,µg/L,HJ 700-2014,0.15,2026-06-01 10:30,Qingpu lab,
R1-S1,antimony,1,mg/L
";
        let problems = match results::import(&mut db, "lab.csv", file.as_bytes(), &set(&POLLUTANTS)) {
            Err(ImportError::Rows(problems)) => problems,
            other => panic!("{location}: {other:?}"),
        };
        let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
        for expected in [
            "lab.csv:3: sample_id: unknown sample \"R9-S9\"",
            "lab.csv:4: unit: \"ppm\" is not a concentration unit this database converts",
            "lab.csv:5: pollutant: unknown pollutant \"arsenic\"",
            "lab.csv:5: value: \"-1\" is not a number",
            "lab.csv:5: analysed_at: \"yesterday\": expected YYYY-MM-DD HH:MM",
            "lab.csv:6: detection_limit: required with a value of \"ND\"",
            "lab.csv:6: lab: required",
            "lab.csv:7: analysed_at: \"R1-S1\" \"antimony\" analysed at \"2026-06-01 10:30\" appears twice",
            "lab.csv:8: not a CSV record of 9 fields",
        ] {
            assert!(
                shown.iter().any(|s| s.starts_with(expected)),
                "{location}: missing {expected:?} in {shown:#?}"
            );
        }
        assert_eq!(count(&mut db, "results"), before, "{location}: nothing written");
        // A wrong header: named at line 1.
        let header = "sample,pollutant,value\nR1-S1,antimony,1\n";
        let Err(ImportError::Rows(problems)) = results::import(&mut db, "h.csv", header.as_bytes(), &set(&POLLUTANTS))
        else {
            panic!("{location}: a wrong header imported");
        };
        assert!(
            problems[0]
                .to_string()
                .starts_with("h.csv:1: unknown column \"sample\"")
        );
        // A GBK file (a Chinese spreadsheet's export): named with the byte where UTF-8 stops.
        let mut gbk = b"sample_id,pollutant,value,unit,method,detection_limit,analysed_at,lab,qa_flag\n".to_vec();
        gbk.extend_from_slice(b"R1-S1,antimony,1,mg/L,HJ 700-2014,0.1,2026-06-01 10:30,");
        gbk.extend_from_slice(&[0xC7, 0xE0, 0xC6, 0xD6]); // 青浦 in GBK
        gbk.extend_from_slice(b",\n");
        let Err(ImportError::Rows(problems)) = results::import(&mut db, "gbk.csv", &gbk, &set(&POLLUTANTS)) else {
            panic!("{location}: a GBK file imported");
        };
        let message = problems[0].to_string();
        assert!(message.starts_with("gbk.csv:2: not UTF-8 at byte 133"), "{message}");
        assert!(message.contains("GBK"), "{message}");
        assert_eq!(count(&mut db, "results"), before, "{location}: nothing written");
    }
}

#[test]
fn methods_and_experts_are_imported_all_or_nothing_and_found_by_pollutant() {
    for location in locations() {
        let mut db = Database::open(&location).unwrap();
        let methods = "\
id,pollutant,standard,setting,instrument,detection_limit_mg_l,holding_time_h,container,preservation,qa_qc
icp_ms,antimony,HJ 700-2014,laboratory,ICP-MS,0.00015,336,polyethylene,\"HNO3 to pH < 2\",one blank per batch
";
        assert_eq!(
            reference::import_methods(&mut db, "m.csv", methods, &set(&POLLUTANTS)).unwrap(),
            1
        );
        let bad_methods = "id,pollutant,setting\nx,antimony,office\ny,lead,field\n";
        let Err(ImportError::Rows(problems)) =
            reference::import_methods(&mut db, "m2.csv", bad_methods, &set(&POLLUTANTS))
        else {
            panic!("{location}: bad methods imported");
        };
        let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert!(shown[0].starts_with("m2.csv:2: setting: \"office\""), "{shown:?}");
        assert!(
            shown[1].starts_with("m2.csv:3: pollutant: unknown pollutant \"lead\""),
            "{shown:?}"
        );
        assert_eq!(count(&mut db, "methods"), 1, "{location}");
        let experts = "\
id,name,name_zh,expertise,jurisdiction,organisation,contact,availability,pollutants
wang,Wang Li,王力,analytical chemistry,qingpu,Qingpu monitoring station,021-0000,24h,antimony; aniline
zhou,Zhou Min,周敏,toxicology,jiashan,Jiashan CDC,0573-0000,office hours,aniline
";
        let jurisdictions = set(&["qingpu", "wujiang", "jiashan"]);
        assert_eq!(
            reference::import_experts(&mut db, "e.csv", experts, &jurisdictions, &set(&POLLUTANTS)).unwrap(),
            2
        );
        let answer = queries::experts_for(&mut db, "aniline").unwrap();
        let ids: Vec<&str> = answer.rows.iter().map(|r| r[0].text().unwrap()).collect();
        assert_eq!(ids, ["zhou", "wang"], "{location}: by jurisdiction (jiashan, qingpu)");
        let bad = "id,name,expertise,jurisdiction,pollutants\nli,Li,hydrology,zhejiang,mercury\n";
        let Err(ImportError::Rows(problems)) =
            reference::import_experts(&mut db, "e2.csv", bad, &jurisdictions, &set(&POLLUTANTS))
        else {
            panic!("{location}: bad experts imported");
        };
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(count(&mut db, "experts"), 2, "{location}");
    }
}

#[test]
fn the_named_queries_answer_from_the_record() {
    for location in locations() {
        let mut db = Database::open(&location).unwrap();
        records::write(&mut db, &a_run(1)).unwrap();
        records::write(&mut db, &a_run(2)).unwrap();
        let series = queries::point_series(&mut db, "jinze_intake", "antimony", None).unwrap();
        assert_eq!(series.rows.len(), 6, "{location}: three samples in each of two runs");
        let taken: Vec<i64> = series.rows.iter().map(|r| r[2].int().unwrap()).collect();
        assert_eq!(taken, [3600, 7200, 7200, 3600, 7200, 7200]);
        let one = queries::point_series(&mut db, "jinze_intake", "antimony", Some(2)).unwrap();
        assert_eq!(one.rows.len(), 3);
        let touched = queries::incidents_at_intake(&mut db, "jinze_intake").unwrap();
        assert_eq!(touched.rows.len(), 2, "{location}");
        assert!(
            queries::incidents_at_intake(&mut db, "elsewhere")
                .unwrap()
                .rows
                .is_empty()
        );
        let teams = queries::team_actions(&mut db, 1, "A").unwrap();
        let rows: Vec<(String, String)> = teams
            .rows
            .iter()
            .map(|r| (r[0].text().unwrap().to_string(), r[4].text().unwrap().to_string()))
            .collect();
        assert_eq!(
            rows,
            [
                ("".to_string(), "open".to_string()),
                ("qingpu_duty".into(), "done".into())
            ],
            "{location}: the unassigned task first, then the team's"
        );
        assert_eq!(teams.rows[1][8], Value::Text("R1-S1".into()));
    }
}

fn dump_text(db: &mut Database) -> String {
    let mut text = String::new();
    export::dump(db, |line| {
        text.push_str(&line);
        text.push('\n');
        Ok(())
    })
    .unwrap();
    text
}

#[test]
fn a_dump_restores_into_an_empty_database_of_either_engine_unchanged() {
    let sources = locations();
    let targets = locations();
    for source in &sources {
        let mut db = Database::open(source).unwrap();
        records::write(&mut db, &a_run(3)).unwrap();
        reference::import_methods(
            &mut db,
            "m.csv",
            "id,pollutant,setting,detection_limit_mg_l\nicp_ms,antimony,laboratory,0.00015\n",
            &BTreeSet::new(),
        )
        .unwrap();
        let text = dump_text(&mut db);
        for target in &targets {
            let mut restored = Database::open(target).unwrap();
            let rows = export::restore(&mut restored, text.lines()).unwrap();
            assert!(rows > 20, "{source} → {target}: {rows}");
            assert_eq!(
                dump_text(&mut restored).lines().skip(1).collect::<Vec<_>>(),
                text.lines().skip(1).collect::<Vec<_>>(),
                "{source} → {target}"
            );
            // Not into a database that holds data.
            assert!(matches!(
                export::restore(&mut restored, text.lines()),
                Err(export::DumpError::NotEmpty { .. })
            ));
            // Empty it again for the next source.
            restored
                .batch(
                    "DELETE FROM results; DELETE FROM custody_events; DELETE FROM tasks; DELETE FROM samples; \
                     DELETE FROM warnings; DELETE FROM plan_points; DELETE FROM plan_revisions; \
                     DELETE FROM incidents; DELETE FROM readings; DELETE FROM runs; DELETE FROM stations; \
                     DELETE FROM methods",
                )
                .unwrap();
        }
        // A damaged dump: named at its line, nothing written.
        let broken = text.replacen("\"jinze_station\"", "[[1]]", 1);
        let mut empty = Database::open(&targets[0]).unwrap();
        match export::restore(&mut empty, broken.lines()) {
            Err(export::DumpError::Format { line, .. }) => assert!(line > 1),
            Err(export::DumpError::Db(_)) => {}
            other => panic!("{other:?}"),
        }
        assert_eq!(count(&mut empty, "runs"), 0, "nothing of a failed restore");
    }
}

#[test]
fn tables_with_places_export_as_geojson() {
    for location in locations() {
        let mut db = Database::open(&location).unwrap();
        records::write(&mut db, &a_run(1)).unwrap();
        let table = export::table("samples").unwrap();
        let (geojson, without) = export::to_geojson(&mut db, table).unwrap();
        assert_eq!(without, 0);
        assert_eq!(geojson["features"].as_array().unwrap().len(), 3);
        assert_eq!(geojson["features"][0]["geometry"]["coordinates"][0], 120.9);
        assert_eq!(geojson["features"][0]["properties"]["id"], "R1-S1");
        let csv = export::to_csv(&mut db, export::table("custody_events").unwrap()).unwrap();
        assert_eq!(csv.lines().count(), 7, "{location}: a header and six hand-overs");
        assert!(csv.starts_with("sample_id,seq,at_s,held_by,event,place,handed_to,container,preservation\n"));
    }
}

/// The stations a readings file may name: the run's, measuring antimony, and one
/// measuring aniline only.
fn readings_stations() -> Vec<records::Station> {
    let mut stations = a_run(1).stations;
    stations.push(records::Station {
        id: "fenhu_buoy".into(),
        name: "Fenhu buoy".into(),
        kind: "buoy".into(),
        jurisdiction: "wujiang".into(),
        lon: None,
        lat: None,
        pollutants: "aniline".into(),
    });
    stations
}

#[test]
fn a_stations_readings_file_is_imported_with_units_converted_and_found_beside_the_runs() {
    for location in locations() {
        let mut db = Database::open(&location).unwrap();
        records::write(&mut db, &a_run(1)).unwrap();
        let file = "\
station_id,pollutant,value,unit,measured_at,qa_flag
jinze_station,antimony,3.5,µg/L,2026-06-01 10:00,
jinze_station,antimony,0.006,mg/L,2026-06-01 09:00,
fenhu_buoy,aniline,0.2,mg/L,2026-06-01T09:00:00+08:00,drift checked
";
        let written = readings::import(&mut db, "station.csv", file.as_bytes(), &readings_stations()).unwrap();
        assert_eq!(written, 3, "{location}");
        let rows = db
            .query(
                "SELECT measured_at, value_mg_l, source FROM station_readings \
                 WHERE station_id = 'jinze_station' ORDER BY measured_at",
                &[],
            )
            .unwrap();
        assert_eq!(rows[0][1], Value::Real(0.006));
        assert!(
            (rows[1][1].real().unwrap() - 0.0035).abs() < 1e-15,
            "{location}: µg/L to mg/L"
        );
        assert_eq!(rows[1][2], Value::Text("import station.csv".into()));
        // The buoy named by the file is a station of the database now (no coordinates).
        assert_eq!(count(&mut db, "stations"), 2, "{location}");
        // Imported again, corrected: replaced, not duplicated.
        let corrected = file.replace("0.2,mg/L", "0.25,mg/L");
        readings::import(&mut db, "station.csv", corrected.as_bytes(), &readings_stations()).unwrap();
        assert_eq!(count(&mut db, "station_readings"), 3, "{location}");

        // The station's series: the run's reading, then its own by time.
        let series = queries::station_readings(&mut db, "jinze_station", "antimony", None).unwrap();
        let shown: Vec<(Value, Value, Value)> = series
            .rows
            .iter()
            .map(|r| (r[0].clone(), r[2].clone(), r[3].clone()))
            .collect();
        assert_eq!(
            shown[..2],
            [
                (Value::Int(1), Value::Text(String::new()), Value::Real(0.012)),
                (Value::Null, Value::Text("2026-06-01 09:00".into()), Value::Real(0.006)),
            ],
            "{location}"
        );
        assert_eq!(series.rows.len(), 3, "{location}");
        let one_run = queries::station_readings(&mut db, "jinze_station", "antimony", Some(1)).unwrap();
        assert_eq!(one_run.rows.len(), 1, "{location}: a run's only");
        let buoy = queries::station_readings(&mut db, "fenhu_buoy", "aniline", None).unwrap();
        assert_eq!(buoy.rows[0][3], Value::Real(0.25), "{location}");

        // GeoJSON by the station's place: the buoy has none.
        let (geojson, without) = export::to_geojson(&mut db, export::table("station_readings").unwrap()).unwrap();
        assert_eq!(without, 1, "{location}");
        let features = geojson["features"].as_array().unwrap();
        assert_eq!(features.len(), 2);
        assert_eq!(features[0]["geometry"]["coordinates"][0], 120.9);
        assert_eq!(features[0]["properties"]["station_id"], "jinze_station");
        let (run_geojson, _) = export::to_geojson(&mut db, export::table("readings").unwrap()).unwrap();
        assert_eq!(run_geojson["features"][0]["properties"]["alarm"], 1);
        let csv = export::to_csv(&mut db, export::table("readings").unwrap()).unwrap();
        assert!(
            csv.starts_with("run_id,station_id,at_s,pollutant,value_mg_l,alarm,qa_flag\n"),
            "{csv}"
        );
    }
}

#[test]
fn a_hostile_readings_file_names_every_bad_row_and_writes_nothing() {
    for location in locations() {
        let mut db = Database::open(&location).unwrap();
        let file = "\
station_id,pollutant,value,unit,measured_at
jinze_station,antimony,0.004,mg/L,2026-06-01 09:00
nowhere,antimony,0.004,mg/L,2026-06-01 09:00
fenhu_buoy,antimony,0.004,mg/L,2026-06-01 09:00
jinze_station,antimony,4,ppm,2026-06-01 10:00
jinze_station,antimony,-1,mg/L,2026-06-01 11:00
jinze_station,antimony,0.004,mg/L,June 1st
jinze_station,antimony,0.005,mg/L,2026-06-01 09:00
jinze_station,antimony,0.004
";
        let Err(ImportError::Rows(problems)) =
            readings::import(&mut db, "bad.csv", file.as_bytes(), &readings_stations())
        else {
            panic!("{location}: a bad file imported");
        };
        let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
        let expected = [
            "bad.csv:3: station_id: unknown station \"nowhere\"",
            "bad.csv:4: pollutant: station \"fenhu_buoy\" does not measure \"antimony\"; it measures aniline",
            "bad.csv:5: unit: \"ppm\" is not a concentration unit",
            "bad.csv:6: value: \"-1\" is not a number",
            "bad.csv:7: measured_at: \"June 1st\": expected YYYY-MM-DD",
            "bad.csv:8: measured_at: \"jinze_station\" \"antimony\" at \"2026-06-01 09:00\" appears twice",
            "bad.csv:9: not a CSV record of 5 fields",
        ];
        assert_eq!(shown.len(), expected.len(), "{shown:#?}");
        for (got, want) in shown.iter().zip(expected) {
            assert!(got.starts_with(want), "{got:?} should start with {want:?}");
        }
        assert_eq!(count(&mut db, "station_readings"), 0, "{location}: nothing written");
        assert_eq!(count(&mut db, "stations"), 0, "{location}");
        // A file in another encoding is named at its line.
        let gbk = b"station_id,pollutant,value,unit,measured_at,qa_flag\njinze_station,antimony,1,mg/L,2026-06-01 09:00,\xd5\xfd\xb3\xa3\n";
        let Err(ImportError::Rows(problems)) = readings::import(&mut db, "gbk.csv", gbk, &readings_stations()) else {
            panic!("{location}: a GBK file imported");
        };
        assert!(
            problems[0].to_string().starts_with("gbk.csv:2: not UTF-8"),
            "{problems:?}"
        );
    }
}

#[test]
fn custody_takes_the_container_and_preservation_of_the_samples_method() {
    for location in locations() {
        let mut db = Database::open(&location).unwrap();
        let methods = "\
id,pollutant,setting,container,preservation
icp_ms,antimony,laboratory,polyethylene 500 mL,\"HNO3 to pH < 2, 4 °C\"
icp_ms,aniline,laboratory,brown glass,4 °C
";
        reference::import_methods(&mut db, "m.csv", methods, &set(&POLLUTANTS)).unwrap();
        let mut run = a_run(1);
        // A hand the record gives its own container keeps it.
        run.samples[0].custody[1].container = "glass".into();
        records::write(&mut db, &run).unwrap();
        let rows = db
            .query(
                "SELECT sample_id, seq, container, preservation FROM custody_events ORDER BY sample_id, seq",
                &[],
            )
            .unwrap();
        assert_eq!(rows.len(), 6, "{location}");
        let text = |r: &Vec<Value>, i: usize| r[i].text().unwrap().to_string();
        assert_eq!(
            (text(&rows[0], 2), text(&rows[0], 3)),
            ("polyethylene 500 mL".to_string(), "HNO3 to pH < 2, 4 °C".to_string()),
            "{location}"
        );
        assert_eq!(text(&rows[1], 2), "glass", "{location}: the record's own");
        // In the team's actions: the first hand's container and preservation.
        let teams = queries::team_actions(&mut db, 1, "A").unwrap();
        assert_eq!(teams.columns[10..12], ["container", "preservation"]);
        assert_eq!(
            teams.rows[1][10],
            Value::Text("polyethylene 500 mL".into()),
            "{location}"
        );
        assert_eq!(teams.rows[1][11], Value::Text("HNO3 to pH < 2, 4 °C".into()));
        // A method the table does not hold leaves them empty.
        let mut other = a_run(2);
        for s in &mut other.samples {
            s.method = "sb_voltammetry".into();
        }
        let run_id = records::write(&mut db, &other).unwrap();
        let rows = db
            .query(
                "SELECT DISTINCT container, preservation FROM custody_events WHERE sample_id LIKE $1",
                &[format!("R{run_id}-%").into()],
            )
            .unwrap();
        assert_eq!(rows, [vec![Value::Text(String::new()), Value::Text(String::new())]]);
    }
}
