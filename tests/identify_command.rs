//! `tripoint identify` as a user runs it: a results file written from a synthetic release
//! (the transport's concentrations at the zone's points after an alarm, with 10 % noise),
//! the binary run on it, and the true source read back from its output; bad files are
//! refused with every bad row named.

mod support;

use std::path::PathBuf;
use support::tripoint;
use tripoint_sim::identify::cases::{self, CaseSettings};
use tripoint_sim::scenario::Scenario;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tripoint-identify-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Case `seed` of the synthetic series, as a laboratory's results file.
fn results_file(dir: &std::path::Path, seed: u64) -> (PathBuf, cases::Case) {
    let scenario = Scenario::builtin();
    let case = cases::draw(&scenario, &CaseSettings::for_scenario(&scenario), seed)
        .unwrap()
        .expect("a detectable case");
    let mut csv = String::from("point,pollutant,taken_at,value_mg_l,detection_limit_mg_l\n");
    for o in &case.observations {
        let value = o.value_mg_l.map_or("nd".to_string(), |v| format!("{v:.6}"));
        csv.push_str(&format!(
            "{},{},{},{value},{}\n",
            o.label,
            scenario.pollutants[o.pollutant].id,
            o.taken_at.clock_label(),
            o.detection_limit_mg_l
        ));
    }
    let path = dir.join(format!("results-{seed}.csv"));
    std::fs::write(&path, csv).unwrap();
    (path, case)
}

/// Asserts that `group` (the JSON of a group by stretch) lies on the reach of `case`'s
/// source and holds its chainage; its from–to chainage.
fn stretch_holding_the_source(scenario: &Scenario, case: &cases::Case, group: &serde_json::Value) -> (f64, f64) {
    let tripoint_sim::scenario::Location::Reach { reach, chainage_m } =
        scenario.risk_sources[case.truth.source].location
    else {
        panic!("the case's source is on a reach");
    };
    assert_eq!(group["water"], scenario.reaches[reach].id.as_str(), "{group}");
    let (from, to) = (group["from_m"].as_f64().unwrap(), group["to_m"].as_f64().unwrap());
    assert!(from <= chainage_m && chainage_m <= to, "{group}");
    (from, to)
}

#[test]
fn the_true_source_comes_first_with_its_start_and_mass_in_the_intervals() {
    let dir = scratch("ok");
    let scenario = Scenario::builtin();
    let (path, case) = results_file(&dir, 28);
    let out = tripoint(&[
        "identify",
        "--results",
        path.to_str().unwrap(),
        "--json",
        "--draws",
        "100",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let top = &doc["candidates"][0];
    let truth = &scenario.risk_sources[case.truth.source];
    assert_eq!(top["place"]["label"], truth.id.as_str());
    let start = case.truth.start.seconds();
    assert!(top["start_s"][0].as_i64().unwrap() <= start && start <= top["start_s"][2].as_i64().unwrap());
    let mass = case.truth.mass_kg;
    assert!(top["mass_kg"][0].as_f64().unwrap() <= mass && mass <= top["mass_kg"][2].as_f64().unwrap());
    // With the inventory there are no groups by stretch.
    assert!(doc.get("groups").is_none(), "{doc}");
    // The outlook covers the zone's intakes and border sections.
    let outlook = doc["outlook"].as_array().unwrap();
    assert!(outlook.iter().any(|o| o["point"] == "jinze_intake"));

    // The table a person reads names the source first and the release it found.
    let out = tripoint(&["identify", "--results", path.to_str().unwrap(), "--draws", "50"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let first_row = text.lines().find(|l| l.trim_start().starts_with("1 ")).unwrap();
    assert!(first_row.contains(&truth.id), "{text}");
    assert!(text.contains("Most probable release:"), "{text}");
    assert!(text.contains("jinze_intake"), "{text}");
}

#[test]
fn bad_results_files_are_refused_with_every_bad_row_named() {
    let dir = scratch("bad");
    let bad = dir.join("bad.csv");
    std::fs::write(
        &bad,
        "point,pollutant,taken_at,value_mg_l,detection_limit_mg_l\n\
         jinze_intake,petroleum,D1 08:00,0.2,\n\
         nowhere,petroleum,D1 08:00,0.2,\n\
         jinze_intake,mercury-x,D1 08:00,0.2,\n\
         jinze_intake,petroleum,25:00,0.2,\n\
         jinze_intake,petroleum,D1 09:00,-1,\n\
         jinze_intake,petroleum,D1 09:00\n\
         taipu_qingpu_1@999999,petroleum,D1 09:00,0.1,\n",
    )
    .unwrap();
    let out = tripoint(&["identify", "--results", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    for line in ["line 3:", "line 4:", "line 5:", "line 6:", "line 7:", "line 8:"] {
        assert!(err.contains(line), "{line} not named in: {err}");
    }
    assert!(!err.contains("line 2:"), "{err}");
    assert!(err.contains("6 bad rows"), "{err}");

    let header = dir.join("header.csv");
    std::fs::write(&header, "where,what,when,value\n").unwrap();
    let out = tripoint(&["identify", "--results", header.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 1: the columns are"));

    let clean = dir.join("clean.csv");
    std::fs::write(
        &clean,
        "point,pollutant,taken_at,value_mg_l,detection_limit_mg_l\njinze_intake,petroleum,D1 08:00,nd,\n",
    )
    .unwrap();
    let out = tripoint(&["identify", "--results", clean.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing was detected"));

    let (good, _) = results_file(&dir, 28);
    for flags in [
        &["--since", "D9 00:00"][..],
        &["--durations-min", "-5"],
        &["--error-relative", "NaN"],
        &["--error-absolute", "0"],
        &["--error-absolute", "-0.001"],
        &["--error-timing-min", "-1"],
        &["--error-timing-min", "inf"],
        &["--draws", "0"],
        &["--flow", "drought-x"],
        &["--prior", "anywhere", "--spacing-m", "1"],
    ] {
        let mut args = vec!["identify", "--results", good.to_str().unwrap()];
        args.extend_from_slice(flags);
        let out = tripoint(&args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{flags:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The results file shown in docs/identify.md is read and identified as it stands.
#[test]
fn the_results_file_in_the_doc_is_valid() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/identify.md")).unwrap();
    let start = doc.find("```csv\n").expect("a csv example in the doc") + "```csv\n".len();
    let end = start + doc[start..].find("```").expect("the example ends");
    let dir = scratch("doc");
    let path = dir.join("results.csv");
    std::fs::write(&path, &doc[start..end]).unwrap();
    let out = tripoint(&["identify", "--results", path.to_str().unwrap(), "--draws", "20"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Most probable release:"));
}

#[test]
fn the_unit_response_cache_gives_the_same_answer_and_survives_a_damaged_entry() {
    let dir = scratch("cache");
    let cache = dir.join("cache");
    let (path, _) = results_file(&dir, 28);
    let run = |extra: &[&str]| {
        let mut args = vec![
            "identify",
            "--results",
            path.to_str().unwrap(),
            "--json",
            "--draws",
            "50",
        ];
        args.extend_from_slice(extra);
        let out = tripoint(&args);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        (out.stdout, String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let cache_flag = ["--cache", cache.to_str().unwrap()];
    let (uncached, said) = run(&["--no-cache"]);
    assert!(said.contains("no cache"), "{said}");
    let (first, said) = run(&cache_flag);
    assert!(said.contains(" 0 read from the cache"), "{said}");
    let entries: Vec<PathBuf> = std::fs::read_dir(cache.join("units"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(!entries.is_empty());
    let (second, said) = run(&cache_flag);
    assert!(
        said.contains(&format!(" {} read from the cache", entries.len())),
        "{said}"
    );
    // One entry cut short and another with a flipped byte: made again, same answer.
    let bytes = std::fs::read(&entries[0]).unwrap();
    std::fs::write(&entries[0], &bytes[..bytes.len() / 2]).unwrap();
    if let Some(other) = entries.get(1) {
        let mut bytes = std::fs::read(other).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x40;
        std::fs::write(other, bytes).unwrap();
    }
    let (third, said) = run(&cache_flag);
    assert!(said.contains("unreadable entries made again"), "{said}");
    assert_eq!(first, uncached, "the cache changes nothing in the answer");
    assert_eq!(second, uncached);
    assert_eq!(third, uncached);
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--sources 2 --report DIR`: the report is written with its plots, and its numbers are
/// the JSON's.
#[test]
fn the_report_is_written_with_its_plots_and_the_numbers_of_the_json() {
    let dir = scratch("report");
    let scenario = Scenario::builtin();
    let case = cases::draw_two(&scenario, &CaseSettings::for_scenario(&scenario), 1_000_002)
        .unwrap()
        .expect("a detectable case");
    let mut csv = String::from("point,pollutant,taken_at,value_mg_l,detection_limit_mg_l\n");
    for o in &case.observations {
        let value = o.value_mg_l.map_or("nd".to_string(), |v| format!("{v:.6}"));
        csv.push_str(&format!(
            "{},{},{},{value},{}\n",
            o.label,
            scenario.pollutants[o.pollutant].id,
            o.taken_at.clock_label(),
            o.detection_limit_mg_l
        ));
    }
    let path = dir.join("results-two.csv");
    std::fs::write(&path, csv).unwrap();
    let report = dir.join("report");
    let out = tripoint(&[
        "identify",
        "--results",
        path.to_str().unwrap(),
        "--sources",
        "2",
        "--report",
        report.to_str().unwrap(),
        "--json",
        "--draws",
        "60",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let md = std::fs::read_to_string(report.join("report.md")).unwrap();
    // The numbers of the report are the JSON's.
    let p_two = doc["two"]["p_two"].as_f64().unwrap();
    assert!(md.contains(&format!("**{p_two:.3}**")), "{md}");
    let top = &doc["candidates"][0];
    assert!(
        md.contains(&format!("| 1 | {} |", top["place"]["label"].as_str().unwrap())),
        "{md}"
    );
    assert!(
        md.contains(&format!("| {:.3} |", top["probability"].as_f64().unwrap())),
        "{md}"
    );
    let pair = &doc["two"]["pairs"][0];
    assert!(
        md.contains(&format!(
            "| 1 | {:.3} | {} |",
            pair["probability"].as_f64().unwrap(),
            pair["releases"][0]["place"]["label"].as_str().unwrap()
        )),
        "{md}"
    );
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(report.join("identification.json")).unwrap()).unwrap();
    assert_eq!(written, doc);
    // Every plot the report shows is there and is an SVG drawing.
    let plots: Vec<&str> = md
        .lines()
        .filter_map(|l| {
            l.strip_prefix("![")
                .and_then(|l| l.split_once("]("))
                .map(|(_, f)| f.trim_end_matches(')'))
        })
        .collect();
    assert!(plots.contains(&"posterior.svg"), "{md}");
    assert!(plots.iter().any(|p| p.starts_with("fit_")), "{md}");
    // An outlook plot for every intake the draws reach, and only for those.
    let intakes: Vec<&str> = doc["outlook"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["kind"] == "intake")
        .map(|o| o["point"].as_str().unwrap())
        .collect();
    let reached = doc["bands"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| intakes.contains(&b["point"].as_str().unwrap()))
        .filter(|b| {
            b["conc_mg_l"]
                .as_array()
                .unwrap()
                .iter()
                .any(|q| q[2].as_f64().unwrap() > 0.0)
        })
        .count();
    assert!(reached > 0, "the case reaches no intake: choose another");
    assert_eq!(
        plots.iter().filter(|p| p.starts_with("outlook_")).count(),
        reached,
        "{md}"
    );
    for plot in plots {
        let svg = std::fs::read_to_string(report.join(plot)).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("</svg>"), "{plot}");
    }
    // Bad --sources is refused as bad input.
    let out = tripoint(&["identify", "--results", path.to_str().unwrap(), "--sources", "3"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--sources 3"));
}

/// With `--prior anywhere` the places are grouped into stretches: the table, the report and
/// the JSON give the most probable group, which holds the true source (case 28: petroleum
/// at 13 km on the Taipu in Qingpu) with its start and mass in the group's intervals.
#[test]
fn the_prior_anywhere_gives_the_stretch_that_holds_the_source() {
    let dir = scratch("groups");
    let scenario = Scenario::builtin();
    let (path, case) = results_file(&dir, 28);
    let report = dir.join("report");
    let out = tripoint(&[
        "identify",
        "--results",
        path.to_str().unwrap(),
        "--prior",
        "anywhere",
        "--spacing-m",
        "2000",
        "--json",
        "--draws",
        "50",
        "--report",
        report.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let group = &doc["groups"][0];
    let (from, to) = stretch_holding_the_source(&scenario, &case, group);
    assert!(group["probability"].as_f64().unwrap() > 0.5, "{group}");
    let start = case.truth.start.seconds();
    assert!(group["start_s"][0].as_i64().unwrap() <= start && start <= group["start_s"][2].as_i64().unwrap());
    let mass = case.truth.mass_kg;
    assert!(group["mass_kg"][0].as_f64().unwrap() <= mass && mass <= group["mass_kg"][2].as_f64().unwrap());
    assert!(
        group["near_point"]
            .as_str()
            .is_some_and(|p| scenario.point_idx(p).is_some())
    );
    // The report's table has the JSON's first group.
    let md = std::fs::read_to_string(report.join("report.md")).unwrap();
    let row = format!(
        "| 1 | {} | {from:.0}–{to:.0} | {:.3} | {} |",
        group["water"].as_str().unwrap(),
        group["probability"].as_f64().unwrap(),
        group["n_places"]
    );
    assert!(md.contains(&row), "{row} not in {md}");

    // The table a person reads lists the groups.
    let out = tripoint(&[
        "identify",
        "--results",
        path.to_str().unwrap(),
        "--prior",
        "anywhere",
        "--spacing-m",
        "2000",
        "--draws",
        "50",
    ]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let at = text.find("Where, by stretch").expect("the groups' table");
    let first_row = text[at..].lines().find(|l| l.trim_start().starts_with("1 ")).unwrap();
    assert!(first_row.contains(&format!("{from:.0}–{to:.0}")), "{text}");
}

/// With the dispersion unknown as well, the anywhere prior's groups mix each place over the
/// dispersion's nodes: the most probable group still holds case 28's source, and the JSON
/// says which factors were weighed.
#[test]
fn the_prior_anywhere_with_the_dispersion_unknown_gives_the_stretch() {
    let dir = scratch("groups-spread");
    let scenario = Scenario::builtin();
    let (path, case) = results_file(&dir, 28);
    let out = tripoint(&[
        "identify",
        "--results",
        path.to_str().unwrap(),
        "--prior",
        "anywhere",
        "--spacing-m",
        "2000",
        "--error-dispersion-log-sd",
        "0.8",
        "--json",
        "--draws",
        "50",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let nodes = doc["dispersion_nodes"].as_array().expect("the nodes weighed");
    // More than one factor kept, so each place stands in as many blocks as nodes.
    assert!(nodes.len() >= 2, "{nodes:?}");
    let p_nodes: f64 = nodes.iter().map(|n| n["probability"].as_f64().unwrap()).sum();
    assert!(
        (p_nodes - 1.0).abs() < 1e-9,
        "the nodes' probabilities sum to {p_nodes}"
    );
    // Each place once among the candidates, its probability summed over the nodes.
    let labels: Vec<&str> = doc["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["place"]["label"].as_str().unwrap())
        .collect();
    let unique: std::collections::BTreeSet<&str> = labels.iter().copied().collect();
    assert_eq!(unique.len(), labels.len(), "{labels:?}");
    stretch_holding_the_source(&scenario, &case, &doc["groups"][0]);
    let total: f64 = doc["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["probability"].as_f64().unwrap())
        .sum();
    assert!(total <= 1.0 + 1e-9, "the groups' probabilities sum to {total}");
}

/// Every spelling of a non-detect a laboratory writes is read, the limit written with it
/// taken as the result's detection limit; a value that is neither is refused with its line.
#[test]
fn non_detects_in_every_spelling_are_read_with_their_limits() {
    let dir = scratch("non-detects");
    let path = dir.join("results.csv");
    std::fs::write(
        &path,
        "point,pollutant,taken_at,value_mg_l,detection_limit_mg_l\n\
         liantang_section,petroleum,D1 05:18,0.178,0.01\n\
         liantang_section,petroleum,D1 07:18,3.41,\n\
         pingwang_bridge,petroleum,D1 05:18,未检出,0.01\n\
         pingwang_bridge,petroleum,D1 06:18,ND,0.02\n\
         pingwang_bridge,petroleum,D1 07:18,0.03L,\n\
         taipu_qingpu@8000,petroleum,D1 06:00,<0.05,\n",
    )
    .unwrap();
    let out = tripoint(&[
        "identify",
        "--results",
        path.to_str().unwrap(),
        "--json",
        "--draws",
        "20",
        "--no-cache",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let non_detects: Vec<(String, f64)> = doc["fits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["value_mg_l"].is_null())
        .map(|f| {
            (
                f["label"].as_str().unwrap().to_string(),
                f["detection_limit_mg_l"].as_f64().unwrap(),
            )
        })
        .collect();
    let mut limits: Vec<f64> = non_detects.iter().map(|n| n.1).collect();
    limits.sort_by(f64::total_cmp);
    assert_eq!(limits, vec![0.01, 0.02, 0.03, 0.05], "{non_detects:?}");
    let bad = dir.join("bad.csv");
    std::fs::write(
        &bad,
        "point,pollutant,taken_at,value_mg_l,detection_limit_mg_l\n\
         liantang_section,petroleum,D1 05:18,0.178,0.01\n\
         liantang_section,petroleum,D1 07:18,high,\n\
         liantang_section,petroleum,D1 07:18,<0,\n",
    )
    .unwrap();
    let out = tripoint(&["identify", "--results", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 3:") && err.contains("line 4:"), "{err}");
    assert!(err.contains("nor a non-detect"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A dispersion spread outside 0 to 1.5 or a discharge spread outside 0 to 0.5 (negative,
/// too wide, not a number) is bad input: exit code 2 with the flag and the range named,
/// never a panic or a run.
#[test]
fn a_model_spread_out_of_range_is_refused_as_bad_input() {
    let dir = scratch("model-spread");
    let (path, _) = results_file(&dir, 2);
    for (flag, range, values) in [
        (
            "--error-dispersion-log-sd",
            "from 0 to 1.5",
            ["-0.1", "1.6", "nan", "inf"],
        ),
        (
            "--error-discharge-log-sd",
            "from 0 to 0.5",
            ["-0.1", "0.6", "nan", "inf"],
        ),
    ] {
        for value in values {
            let out = tripoint(&["identify", "--results", path.to_str().unwrap(), flag, value]);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{flag} {value}: {stderr}");
            assert!(
                stderr.contains(flag) && stderr.contains(range),
                "{flag} {value}: {stderr}"
            );
            assert!(out.stdout.is_empty(), "{flag} {value}: nothing is identified");
        }
    }
}

/// A lattice of dispersion factors too large for the candidate places (every 100 m of the
/// network, the widest spread) is refused before any transport run, with exit code 2 and
/// what to change; the same spread over the inventory is not.
#[test]
fn a_dispersion_lattice_over_too_many_places_is_refused_before_running() {
    let dir = scratch("dispersion-lattice");
    let (path, _) = results_file(&dir, 2);
    let started = std::time::Instant::now();
    let out = tripoint(&[
        "identify",
        "--results",
        path.to_str().unwrap(),
        "--prior",
        "anywhere",
        "--spacing-m",
        "100",
        "--error-dispersion-log-sd",
        "1.5",
        "--no-cache",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("transport runs, more than the 10000 allowed") && stderr.contains("--spacing-m"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
    eprintln!("refused in {:?}", started.elapsed());
}

/// With the prior anywhere a place is its location: the candidates table (printed and in
/// report.md) names the point nearest each place in its first column and the reach and
/// chainage once, in its second — in Chinese and in English — rather than the same
/// location twice.
#[test]
fn anywhere_candidates_name_the_nearest_point_and_their_location_once() {
    let dir = scratch("identify-anywhere-columns");
    let (path, _) = results_file(&dir, 28);
    for (lang, heading, nearest, location_mark) in [
        ("zh-CN", "候选污染源", ["（", " m）"], " m 处"),
        ("en", "Candidates", [" (", " m)"], "@"),
    ] {
        let report = dir.join(format!("report-{lang}"));
        let out = tripoint(&[
            "identify",
            "--results",
            path.to_str().unwrap(),
            "--prior",
            "anywhere",
            "--spacing-m",
            "2000",
            "--draws",
            "50",
            "--report",
            report.to_str().unwrap(),
            "--lang",
            lang,
        ]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8(out.stdout).unwrap();
        let at = text.find(heading).expect("the candidates' table");
        let rows: Vec<&str> = text[at..]
            .lines()
            .skip(2)
            .take_while(|l| !l.trim().is_empty())
            .collect();
        assert!(!rows.is_empty(), "{text}");
        let md = std::fs::read_to_string(report.join("report.md")).unwrap();
        let md_at = md.find("posterior.svg").expect("the report's candidates");
        let md_rows: Vec<&str> = md[md_at..]
            .lines()
            .filter(|l| l.starts_with("| ") && l.contains(" | 0."))
            .take(rows.len())
            .collect();
        for row in rows.iter().chain(&md_rows) {
            assert_eq!(row.matches(location_mark).count(), 1, "{lang}: {row}");
            assert!(nearest.iter().all(|part| row.contains(part)), "{lang}: {row}");
        }
    }
}

/// With the discharge unknown the JSON lists every node with both its factors, their
/// probabilities summing to 1, and the table and the report say each factor's posterior.
#[test]
fn the_discharge_unknown_is_shown_in_json_table_and_report() {
    let dir = scratch("discharge-shown");
    let (path, _) = results_file(&dir, 28);
    let cache = dir.join("cache");
    let args = |extra: &[&str]| -> Vec<String> {
        let mut all: Vec<String> = [
            "identify",
            "--results",
            path.to_str().unwrap(),
            "--error-discharge-log-sd",
            "0.2",
            "--draws",
            "50",
            "--cache",
            cache.to_str().unwrap(),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        all.extend(extra.iter().map(|s| s.to_string()));
        all
    };
    let run = |extra: &[&str]| {
        let owned = args(extra);
        let out = tripoint(&owned.iter().map(String::as_str).collect::<Vec<_>>());
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        out
    };
    let out = run(&["--json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["spread"]["discharge_log_sd"].as_f64(), Some(0.2));
    let nodes = doc["dispersion_nodes"].as_array().expect("the nodes weighed");
    assert!(nodes.len() >= 2, "{nodes:?}");
    for n in nodes {
        assert_eq!(n["factor"].as_f64(), Some(1.0), "the dispersion is the scenario's: {n}");
        assert!(n["discharge_factor"].as_f64().is_some(), "{n}");
    }
    let p_nodes: f64 = nodes.iter().map(|n| n["probability"].as_f64().unwrap()).sum();
    assert!((p_nodes - 1.0).abs() < 1e-9, "{p_nodes}");
    let report = dir.join("report");
    let out = run(&["--report", report.to_str().unwrap()]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Dispersion and discharge unknown (log-sd 0 and 0.2)"),
        "{text}"
    );
    let md = std::fs::read_to_string(report.join("report.md")).unwrap();
    assert!(md.contains("Discharge taken as unknown (log-sd 0.2)"), "{md}");
    assert!(!md.contains("Dispersion taken as unknown"), "{md}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A results file of two releases: 5000 kg of petroleum on the Lanlu Gang at 01:00, read at
/// several named points, and aniline at the Fenyu Taipu bridge at 02:00, a quarter of the
/// smallest mass any result would read (so every aniline result is a non-detect); every
/// named point every 2 h from 04:00 to 16:00, noise-free, from the transport. The smallest
/// aniline mass read, and the aniline's mass.
fn results_with_an_unseen_release(dir: &std::path::Path) -> (PathBuf, f64, f64) {
    use tripoint_sim::forecast::{self, ForecastRequest};
    use tripoint_sim::scenario::Release;
    use tripoint_sim::time::{SimDuration, SimTime};
    let scenario = Scenario::builtin();
    let release = |source: &str, mass_kg: f64, start_h: i64| {
        let s = scenario.risk_sources.iter().find(|s| s.id == source).unwrap();
        Release {
            pollutant: s.chemicals[0].pollutant,
            mass_kg,
            location: s.location,
            start: SimTime(start_h * 3600),
            duration: SimDuration::from_hours(1),
            note: String::new(),
        }
    };
    let mut water = scenario.clone();
    water.flow_changes.clear();
    water.releases.clear();
    water.incidents.clear();
    let run = |releases: Vec<Release>| {
        forecast::run(
            &water,
            &ForecastRequest {
                releases,
                regime: scenario.settings.default_regime,
                horizon: SimDuration::from_hours(24),
                seed: 0,
                journal: false,
                until_passed: None,
            },
        )
        .unwrap()
    };
    let (petroleum, one_kg) = (release("qp_lanlu_lane", 5000.0, 1), release("js_fenyu_bridge", 1.0, 2));
    let pollutants = [petroleum.pollutant, one_kg.pollutant];
    let mut results = Vec::new();
    for p in 0..scenario.points.len() {
        for q in pollutants {
            results.extend((2..=8).map(|k| (p, q, SimTime(k * 2 * 3600))));
        }
    }
    let at = |f: &forecast::Forecast, (p, q, t): (usize, usize, SimTime)| {
        let series = &f.series[p];
        series.conc_at(q, series.times.iter().position(|x| *x == t).unwrap())
    };
    let unit = run(vec![one_kg.clone()]);
    let limit = |q: usize| scenario.pollutants[q].detection_limit_mg_l;
    let read_from_kg = results
        .iter()
        .filter(|r| r.1 == pollutants[1])
        .map(|&r| at(&unit, r))
        .filter(|c| *c > 0.0)
        .map(|c| limit(pollutants[1]) / c)
        .fold(f64::INFINITY, f64::min);
    let aniline_kg = read_from_kg / 4.0;
    let truth = run(vec![
        petroleum,
        Release {
            mass_kg: aniline_kg,
            ..one_kg
        },
    ]);
    let mut csv = String::from("point,pollutant,taken_at,value_mg_l,detection_limit_mg_l\n");
    for &(p, q, t) in &results {
        let c = at(&truth, (p, q, t));
        let value = if c >= limit(q) { format!("{c:.6}") } else { "nd".into() };
        csv.push_str(&format!(
            "{},{},{},{value},{}\n",
            scenario.points[p].id,
            scenario.pollutants[q].id,
            t.clock_label(),
            limit(q)
        ));
    }
    let path = dir.join("results-unseen.csv");
    std::fs::write(&path, csv).unwrap();
    (path, read_from_kg, aniline_kg)
}

/// A release of a pair no result reads is shown as "not detected", with the upper bound of
/// its mass and no start, in the JSON, the table and report.md, in English and Chinese.
#[test]
fn a_release_no_result_reads_is_shown_as_not_detected_with_a_mass_bound() {
    let dir = scratch("unseen");
    let (path, read_from_kg, aniline_kg) = results_with_an_unseen_release(&dir);
    let run = |lang: &str| {
        let report = dir.join(format!("report-{lang}"));
        let out = tripoint(&[
            "identify",
            "--results",
            path.to_str().unwrap(),
            "--sources",
            "2",
            "--draws",
            "40",
            "--no-cache",
            "--lang",
            lang,
            "--report",
            report.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let md = std::fs::read_to_string(report.join("report.md")).unwrap();
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(report.join("identification.json")).unwrap()).unwrap();
        (String::from_utf8(out.stdout).unwrap(), md, doc)
    };
    let (table, md, doc) = run("en");
    let pairs = doc["two"]["pairs"].as_array().unwrap();
    let release = |label: &str| {
        pairs
            .iter()
            .flat_map(|p| p["releases"].as_array().unwrap())
            .find(|r| r["place"]["label"] == label)
            .unwrap_or_else(|| panic!("{label} is in a pair listed"))
            .clone()
    };
    let aniline = release("js_fenyu_bridge");
    assert_eq!(aniline["seen"], false, "{aniline}");
    let upper_kg = aniline["mass_upper_kg"].as_f64().unwrap();
    assert!(
        aniline_kg < upper_kg && upper_kg < read_from_kg,
        "bound {upper_kg} kg, truth {aniline_kg} kg, read from {read_from_kg} kg"
    );
    assert_eq!(release("qp_lanlu_lane")["seen"], true);
    // One-release candidates say nothing of it.
    assert!(doc["candidates"][0].get("seen").is_none());
    let row = |text: &str| {
        text.lines()
            .find(|l| l.contains("js_fenyu_bridge") && (l.contains("not told") || l.contains("无法判定")))
            .map(str::to_string)
    };
    let line = row(&table).unwrap_or_else(|| panic!("no not-detected row:\n{table}"));
    assert!(line.contains("below ") && line.contains("(90 % bound)"), "{line}");
    assert!(table.contains("A release marked \"not detected\""), "{table}");
    let line = row(&md).unwrap_or_else(|| panic!("no not-detected row:\n{md}"));
    assert!(line.starts_with('|') && line.contains("(90 % bound)"), "{line}");
    let (table, md, _) = run("zh-CN");
    for text in [&table, &md] {
        assert!(
            text.contains("无法判定（未检出）") && text.contains("（90% 上限）") && text.contains("标为“未检出”的排放"),
            "{text}"
        );
        let english = tripoint_tui::i18n::english_phrases(text);
        assert!(english.is_empty(), "untranslated {english:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
