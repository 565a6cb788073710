//! The scenario's risk-source inventory from the register (`tripoint db export-inventory`),
//! on SQLite and, with `TRIPOINT_TEST_POSTGRES`, PostgreSQL: the built-in zone's inventory
//! into the register and back out is the zone's inventory (the scenario rebuilt with it
//! parses to the same sources, each one's chemicals in the scenario's order), and the text
//! is the same after a second round; one
//! jurisdiction alone; a register the scenario format cannot take is refused with every
//! source named, nothing written.

mod support;

use std::path::Path;
use support::{postgres_database, tripoint_in as tripoint};
use tripoint_sim::scenario::{Scenario, SourceText};

/// Two new SQLite files under `dir`, and two new PostgreSQL databases when a server is given.
fn databases(dir: &Path, tag: &str) -> Vec<String> {
    let mut out = vec![
        dir.join(format!("{tag}-1.sqlite")).display().to_string(),
        dir.join(format!("{tag}-2.sqlite")).display().to_string(),
    ];
    for n in 1..=2 {
        out.extend(postgres_database(&format!("tripoint_inv_{tag}_{n}")));
    }
    out
}

fn fresh_dir(tag: &str) -> std::path::PathBuf {
    support::scratch(&format!("inv-{tag}"))
}

/// The built-in zone's text with its inventory taken out (every `[[risk_sources]]` and
/// `[[risk_sources.chemicals]]` table) and `inventory` put in its place at the end.
fn zone_with(inventory: &str) -> String {
    let base = tripoint_sim::scenario::builtin_text("demo-zone.toml").unwrap();
    let mut out = String::new();
    let mut in_inventory = false;
    for line in base.lines() {
        if line.starts_with('[') {
            in_inventory = line.starts_with("[[risk_sources");
        }
        if !in_inventory {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push('\n');
    out.push_str(inventory);
    out
}

/// The sources as the scenario holds them, in id order, every field, each source's
/// chemicals in the scenario's order.
fn sources_of(scenario: &Scenario) -> Vec<String> {
    let mut sources: Vec<String> = scenario
        .risk_sources
        .iter()
        .map(|s| serde_json::to_string(s).unwrap())
        .collect();
    sources.sort();
    sources
}

/// The sources whose chemicals the scenario lists out of pollutant order, by id.
fn out_of_pollutant_order(scenario: &Scenario) -> Vec<String> {
    let mut ids: Vec<String> = scenario
        .risk_sources
        .iter()
        .filter(|s| {
            let ids: Vec<&str> = s
                .chemicals
                .iter()
                .map(|c| scenario.pollutants[c.pollutant].id.as_str())
                .collect();
            ids.windows(2).any(|w| w[0] > w[1])
        })
        .map(|s| s.id.clone())
        .collect();
    ids.sort();
    ids
}

#[test]
fn the_zone_s_inventory_through_the_register_is_the_zone_s_inventory() {
    let dir = fresh_dir("round-trip");
    let zone = Scenario::builtin();
    assert!(zone.risk_sources.len() > 30);
    // The zone lists some sources' chemicals out of pollutant order: their order must
    // come back from the register as it went in.
    let unordered = out_of_pollutant_order(&zone);
    assert!(
        !unordered.is_empty(),
        "the zone has a source with chemicals out of pollutant order"
    );
    let locations = databases(&dir, "round");
    for pair in locations.chunks(2) {
        let (first, second) = (&pair[0], &pair[1]);
        let (code, _, err) = tripoint(&dir, &["db", "--db", first, "import-scenario"]);
        assert_eq!(code, 0, "{err}");
        let (code, inventory, err) = tripoint(&dir, &["db", "--db", first, "export-inventory"]);
        assert_eq!(code, 0, "{err}");
        assert!(inventory.contains("[[risk_sources.chemicals]]"), "{inventory}");

        // The zone rebuilt with the register's inventory: the same sources, field by field.
        let rebuilt_text = zone_with(&inventory);
        let rebuilt_path = dir.join("rebuilt.toml");
        std::fs::write(&rebuilt_path, &rebuilt_text).unwrap();
        let rebuilt = Scenario::parse(&SourceText::new("rebuilt.toml", rebuilt_text.clone()))
            .unwrap_or_else(|e| panic!("{first}: the rebuilt zone parses: {e}"));
        assert_eq!(sources_of(&rebuilt), sources_of(&zone), "{first}");
        assert_eq!(out_of_pollutant_order(&rebuilt), unordered, "{first}");

        // Round two: the rebuilt zone into another database and out: the same text.
        let (code, _, err) = tripoint(
            &dir,
            &["db", "--db", second, "import-scenario", rebuilt_path.to_str().unwrap()],
        );
        assert_eq!(code, 0, "{err}");
        let (code, again, err) = tripoint(&dir, &["db", "--db", second, "export-inventory"]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(again, inventory, "{second}: the same text");

        // One jurisdiction: its sources only, to a file.
        let (code, _, err) = tripoint(
            &dir,
            &[
                "db",
                "--db",
                first,
                "export-inventory",
                "--jurisdiction",
                "qingpu",
                "-o",
                "qingpu.toml",
            ],
        );
        assert_eq!(code, 0, "{err}");
        let qingpu = std::fs::read_to_string(dir.join("qingpu.toml")).unwrap();
        let n_qingpu = zone
            .risk_sources
            .iter()
            .filter(|s| zone.jurisdictions[s.jurisdiction].id == "qingpu")
            .count();
        assert!(n_qingpu > 0);
        assert_eq!(qingpu.matches("\n[[risk_sources]]\n").count(), n_qingpu);
        assert_eq!(
            qingpu.matches("jurisdiction = \"qingpu\"").count(),
            n_qingpu,
            "{qingpu}"
        );
        let (code, _, err) = tripoint(
            &dir,
            &["db", "--db", first, "export-inventory", "--jurisdiction", "zhejiang"],
        );
        assert_eq!(code, 2);
        assert!(err.contains("--jurisdiction \"zhejiang\""), "{err}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_register_the_scenario_format_cannot_take_is_refused_with_every_source_named() {
    let dir = fresh_dir("refused");
    let db = dir.join("refused.sqlite").display().to_string();
    // Two sources without chemicals, one of them with a probability of 0.
    std::fs::write(
        dir.join("sources.csv"),
        "id,name,kind,jurisdiction,node,road_node,annual_probability\n\
         depot,Fenhu depot,chemical_storage,wujiang,fenhu,fenhu_north_shore,0.01\n\
         idle,Idle works,enterprise,wujiang,fenhu,fenhu_north_shore,0\n",
    )
    .unwrap();
    let (code, _, err) = tripoint(&dir, &["db", "--db", &db, "import-sources", "sources.csv"]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = tripoint(&dir, &["db", "--db", &db, "export-inventory", "-o", "inv.toml"]);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert!(err.contains("3 problem(s)"), "{err}");
    assert!(err.contains("risk source \"depot\": no chemical"), "{err}");
    assert!(err.contains("risk source \"idle\": annual_probability 0"), "{err}");
    assert!(!dir.join("inv.toml").exists(), "nothing written");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_register_file_s_chemicals_keep_their_order_through_the_register() {
    let dir = fresh_dir("order");
    std::fs::write(
        dir.join("sources.csv"),
        "id,name,kind,jurisdiction,node,road_node,annual_probability\n\
         depot,Fenhu depot,chemical_storage,wujiang,fenhu,fenhu_north_shore,0.01\n",
    )
    .unwrap();
    // Out of pollutant order, then the same source imported again in another order.
    let orders = [
        ["nitrobenzene", "aniline", "antimony"],
        ["antimony", "nitrobenzene", "aniline"],
    ];
    for db in databases(&dir, "order").into_iter().step_by(2) {
        for order in orders {
            let chemicals: String = order.iter().map(|p| format!("depot,{p},,10\n")).collect();
            std::fs::write(
                dir.join("chemicals.csv"),
                format!("source_id,pollutant,max_on_site_kg,max_release_kg\n{chemicals}"),
            )
            .unwrap();
            let (code, _, err) = tripoint(
                &dir,
                &[
                    "db",
                    "--db",
                    &db,
                    "import-sources",
                    "sources.csv",
                    "--chemicals",
                    "chemicals.csv",
                ],
            );
            assert_eq!(code, 0, "{err}");
            let (code, inventory, err) = tripoint(&dir, &["db", "--db", &db, "export-inventory"]);
            assert_eq!(code, 0, "{err}");
            let listed: Vec<&str> = inventory
                .lines()
                .filter_map(|l| l.strip_prefix("pollutant = \""))
                .map(|l| l.trim_end_matches('"'))
                .collect();
            assert_eq!(listed, order, "{db}: {inventory}");
            let (code, _, err) = tripoint(&dir, &["db", "--db", &db, "export-sources", "--out", "out"]);
            assert_eq!(code, 0, "{err}");
            let exported = std::fs::read_to_string(dir.join("out/risk_source_chemicals.csv")).unwrap();
            assert_eq!(
                exported,
                std::fs::read_to_string(dir.join("chemicals.csv")).unwrap(),
                "{db}: the file as imported"
            );
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}
