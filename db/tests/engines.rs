//! The database on both engines: the same tests on a SQLite file and, when
//! `TRIPOINT_TEST_POSTGRES` names a PostgreSQL server a test may create databases on
//! (`.ci/run` starts one), on a fresh PostgreSQL database each.

use std::collections::BTreeSet;
use tripoint_db::register::{self, ImportError, Vocabulary};
use tripoint_db::{Database, DbError, Value};

mod common;
use common::locations;

fn vocabulary() -> Vocabulary {
    let set = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<BTreeSet<String>>();
    Vocabulary {
        jurisdictions: set(&["qingpu", "wujiang", "jiashan"]),
        reaches: set(&["taipu_1", "taipu_2"]),
        nodes: set(&["dianshan", "fenhu"]),
        road_nodes: set(&["lili", "fenhu"]),
        kinds: set(&["enterprise", "wastewater_plant", "transport"]),
        pollutants: set(&["antimony", "aniline"]),
    }
}

const SOURCES: &str = "\
id,name,name_zh,kind,jurisdiction,lon,lat,risk_grade,reach,chainage_m,node,road_node,last_inspection,annual_probability,contact
lili_dyeing,Lili dyeing plant,黎里印染厂,enterprise,wujiang,120.72,30.96,larger,taipu_1,8000,,lili,2026-05-12,0.02,\"Wang, duty officer, 0512-1234\"
fenhu_depot,Fenhu chemical depot,汾湖化工仓库,enterprise,wujiang,,,major,,,fenhu,fenhu,,0.01,
";

const CHEMICALS: &str = "\
source_id,pollutant,max_on_site_kg,max_release_kg
lili_dyeing,antimony,800,300
fenhu_depot,aniline,20000,5000
fenhu_depot,antimony,,50
";

#[test]
fn a_new_database_is_created_at_the_current_version_and_reopened_as_is() {
    for location in locations() {
        let mut db = Database::open(&location).unwrap();
        assert_eq!(db.upgraded, vec![1, 2, 3, 4, 5, 6], "{location}");
        assert_eq!(db.version().unwrap(), tripoint_db::schema_version());
        drop(db);
        let mut db = Database::open(&location).unwrap();
        assert!(db.upgraded.is_empty(), "{location}: nothing to upgrade the second time");
        assert_eq!(db.version().unwrap(), 6);
    }
}

#[test]
fn a_database_of_a_newer_program_is_refused_untouched() {
    for location in locations() {
        let mut db = Database::open(&location).unwrap();
        db.execute(
            "INSERT INTO schema_migrations (version, name, applied_by) VALUES ($1, $2, $3)",
            &[Value::Int(99), "from the future".into(), "tripoint 9.9".into()],
        )
        .unwrap();
        drop(db);
        match Database::open(&location) {
            Err(DbError::TooNew {
                found: 99, known: 6, ..
            }) => {}
            Err(e) => panic!("{location}: {e}"),
            Ok(_) => panic!("{location}: a newer database was opened"),
        }
    }
}

#[test]
fn a_register_is_imported_and_exported_unchanged() {
    for location in locations() {
        let mut db = Database::open(&location).unwrap();
        let written = register::import(
            &mut db,
            ("sources.csv", SOURCES),
            Some(("chemicals.csv", CHEMICALS)),
            &vocabulary(),
        )
        .unwrap();
        assert_eq!(written, (2, 3));
        let (sources, chemicals) = register::load(&mut db).unwrap();
        assert_eq!(sources.len(), 2);
        let lili = sources.iter().find(|s| s.id == "lili_dyeing").unwrap();
        assert_eq!(lili.name_zh, "黎里印染厂");
        assert_eq!((lili.lon, lili.lat), (Some(120.72), Some(30.96)));
        assert_eq!(lili.contact, "Wang, duty officer, 0512-1234");
        assert_eq!(lili.risk_grade.as_deref(), Some("larger"));
        let depot = sources.iter().find(|s| s.id == "fenhu_depot").unwrap();
        assert_eq!((depot.lon, depot.last_inspection.as_deref()), (None, None));
        assert_eq!((depot.reach.as_deref(), depot.node.as_deref()), (None, Some("fenhu")));
        // Exported and imported again into a second database: the same register.
        let (sources_csv, chemicals_csv) = register::to_csv(&sources, &chemicals);
        let again = locations().remove(0);
        let mut other = Database::open(&again).unwrap();
        register::import(
            &mut other,
            ("s.csv", &sources_csv),
            Some(("c.csv", &chemicals_csv)),
            &vocabulary(),
        )
        .unwrap();
        assert_eq!(
            register::load(&mut other).unwrap(),
            (sources.clone(), chemicals.clone())
        );
        // GeoJSON holds the sources that have coordinates.
        let geojson = register::to_geojson(&sources, &chemicals);
        let features = geojson["features"].as_array().unwrap();
        assert_eq!(features.len(), 1);
        assert_eq!(
            features[0]["geometry"]["coordinates"],
            serde_json::json!([120.72, 30.96])
        );
        assert_eq!(features[0]["properties"]["chemicals"][0]["pollutant"], "antimony");
        // Importing a source again replaces it and its chemicals.
        let revised = SOURCES.replace("0.02,", "0.05,");
        register::import(&mut db, ("sources.csv", &revised), None, &vocabulary()).unwrap();
        let (sources, chemicals) = register::load(&mut db).unwrap();
        assert_eq!(
            sources
                .iter()
                .find(|s| s.id == "lili_dyeing")
                .unwrap()
                .annual_probability,
            0.05
        );
        assert!(chemicals.is_empty(), "{location}: chemicals replaced with the source");
    }
}

#[test]
fn every_bad_row_is_named_and_nothing_is_written() {
    let bad_sources = "\
id,name,kind,jurisdiction,lon,lat,risk_grade,reach,chainage_m,node,road_node,last_inspection,annual_probability
ok_site,A good site,enterprise,wujiang,120.7,30.9,general,taipu_1,100,,lili,2026-02-28,0.01
lili_dyeing,Lili,enterprise,zhejiang,120.7,30.9,grave,taipu_9,-5,,nowhere,2026-02-30,1.5
lili_dyeing,,factory,wujiang,200,,general,taipu_1,x,,lili,,
both,Both places,enterprise,wujiang,,,,taipu_1,5,dianshan,lili,,0.1
";
    let bad_chemicals = "\
source_id,pollutant,max_on_site_kg,max_release_kg
ok_site,antimony,10,20
ghost,antimony,,1
ok_site,arsenic,,1
";
    for location in locations() {
        let mut db = Database::open(&location).unwrap();
        let problems = match register::import(
            &mut db,
            ("s.csv", bad_sources),
            Some(("c.csv", bad_chemicals)),
            &vocabulary(),
        ) {
            Err(ImportError::Rows(problems)) => problems,
            other => panic!("{location}: {other:?}"),
        };
        let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
        for expected in [
            "s.csv:3: jurisdiction: unknown jurisdiction \"zhejiang\"",
            "s.csv:3: risk_grade: \"grave\": expected general (一般), larger (较大) or major (重大)",
            "s.csv:3: reach: unknown reach \"taipu_9\"",
            "s.csv:3: chainage_m: \"-5\" is not a number",
            "s.csv:3: road_node: unknown road node \"nowhere\"",
            "s.csv:3: last_inspection: \"2026-02-30\": expected YYYY-MM-DD",
            "s.csv:3: annual_probability: \"1.5\" is not a number from 0 to 1",
            "s.csv:4: id: \"lili_dyeing\" appears twice in the file",
            "s.csv:4: name: required",
            "s.csv:4: kind: unknown kind \"factory\"",
            "s.csv:4: lon: \"200\" is not a number from -180 to 180",
            "s.csv:4: annual_probability: required",
            "s.csv:5: node: where it discharges: a reach with its chainage_m, or a node",
            "c.csv:2: max_release_kg: 20 kg is more than the 10 kg held on site",
            "c.csv:3: source_id: \"ghost\" is not a source of the register file",
            "c.csv:4: pollutant: unknown pollutant \"arsenic\"",
        ] {
            assert!(
                shown.iter().any(|s| s.starts_with(expected)),
                "{location}: missing {expected:?} in {shown:#?}"
            );
        }
        assert_eq!(register::load(&mut db).unwrap(), (Vec::new(), Vec::new()), "{location}");
    }
}

#[test]
fn a_statement_refused_by_the_database_rolls_the_whole_import_back() {
    for location in locations() {
        let mut db = Database::open(&location).unwrap();
        let (sources, mut chemicals) =
            register::parse(("s.csv", SOURCES), Some(("c.csv", CHEMICALS)), &vocabulary()).unwrap();
        // A chemical of a source that is in neither the file nor the database passes no
        // file check here (it is built by hand): the foreign key refuses it, last.
        chemicals.push(register::Chemical {
            source_id: "not_there".into(),
            pollutant: "antimony".into(),
            max_on_site_kg: None,
            max_release_kg: 1.0,
        });
        let error = register::store(&mut db, &sources, &chemicals).unwrap_err();
        assert!(matches!(error, DbError::Sql { .. }), "{location}: {error}");
        assert_eq!(
            register::load(&mut db).unwrap(),
            (Vec::new(), Vec::new()),
            "{location}: rolled back"
        );
        // The connection is usable after the rollback.
        register::store(&mut db, &sources, &chemicals[..3]).unwrap();
        assert_eq!(register::load(&mut db).unwrap().0.len(), 2);
    }
}

#[test]
fn a_header_that_is_not_the_register_is_refused_at_line_1() {
    for location in locations() {
        let mut db = Database::open(&location).unwrap();
        let text = "identifier,name\nx,y\n";
        match register::import(&mut db, ("s.csv", text), None, &vocabulary()) {
            Err(ImportError::Rows(problems)) => {
                let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
                assert!(
                    shown
                        .iter()
                        .any(|s| s.starts_with("s.csv:1: unknown column \"identifier\"")),
                    "{shown:?}"
                );
                assert!(
                    shown.iter().any(|s| s.starts_with("s.csv:1: missing column \"id\"")),
                    "{shown:?}"
                );
            }
            other => panic!("{location}: {other:?}"),
        }
    }
}
