//! `tripoint drill two-incidents --report DIR --lang zh-CN`, run as a user would: the
//! after-action report and its charts are Chinese, except the sentences the simulation
//! library writes (evidence, causes, corrective actions, the timeline's events), which
//! stay English for now (docs/i18n.md); the English report is the text it was before
//! Chinese was added, byte for byte.

use std::path::{Path, PathBuf};
use std::process::Command;
use tripoint_tui::i18n::english_phrases;

fn drill_report(name: &str, lang: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tripoint-drill-zh-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = Command::new(env!("CARGO_BIN_EXE_tripoint"))
        .args([
            "drill",
            "two-incidents",
            "--report",
            dir.to_str().unwrap(),
            "--lang",
            lang,
        ])
        .output()
        .expect("the binary runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    dir
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// Every sentence of report.json that the simulation library wrote in English.
fn simulation_sentences(json: &serde_json::Value) -> Vec<String> {
    let mut texts = Vec::new();
    let mut take = |v: &serde_json::Value| {
        if let Some(s) = v.as_str() {
            texts.push(s.to_string());
        }
    };
    for objective in json["objectives"].as_array().unwrap() {
        for target in objective["targets"].as_array().unwrap() {
            for task in target["tasks"].as_array().unwrap() {
                take(&task["evidence"]);
            }
        }
        for key in ["strengths", "areas_for_improvement"] {
            objective[key].as_array().unwrap().iter().for_each(&mut take);
        }
    }
    for item in json["improvement_plan"].as_array().unwrap() {
        take(&item["issue"]);
        take(&item["cause"]["evidence"]);
        take(&item["corrective_action"]);
    }
    for entry in json["timeline"].as_array().unwrap() {
        take(&entry["what"]);
    }
    // Longest first, so a sentence is removed before a shorter one inside it.
    texts.sort_by_key(|t| std::cmp::Reverse(t.len()));
    texts
}

#[test]
fn a_chinese_report_has_no_english_sentence_of_its_own() {
    let dir = drill_report("md", "zh-CN");
    let md = read(&dir, "report.md");
    for heading in [
        "# 应急演练评估报告与改进计划",
        "## 跨界两起县级突发水污染事件同时发生",
        "## 饮用水水源地取水口受影响情况",
        "## 一、演练概况",
        "## 三、能力分析",
        "## 附录 A：改进计划",
        "| 金泽水库取水口（青浦区） |",
        "**M 存在重大问题**",
        "超标起始时间",
    ] {
        assert!(md.contains(heading), "report.md lacks {heading:?}");
    }
    // What is left once the simulation's sentences are taken out must be Chinese: the
    // writer's words, the script's Chinese texts, names by name_zh.
    let json: serde_json::Value = serde_json::from_str(&read(&dir, "report.json")).expect("JSON");
    let mut rest = md.clone();
    for sentence in simulation_sentences(&json) {
        rest = rest.replace(&sentence.replace('|', "/").replace('\n', " "), "");
    }
    let english = english_phrases(&rest);
    assert!(english.is_empty(), "untranslated: {english:?}");
    // The scan is not empty-handed: the simulation's sentences are English today.
    assert!(!english_phrases(&md).is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

/// The text of every `<text>` element of an SVG.
fn svg_texts(svg: &str) -> Vec<&str> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| Some(&t[t.find('>')? + 1..t.find("</text>")?]))
        .collect()
}

#[test]
fn chinese_charts_have_chinese_titles_and_a_cjk_font() {
    let dir = drill_report("svg", "zh-CN");
    let md = read(&dir, "report.md");
    let charts: Vec<&str> = md
        .lines()
        .filter(|l| l.starts_with("!["))
        .map(|l| &l[l.find("](").unwrap() + 2..l.len() - 1])
        .collect();
    assert!(charts.len() >= 3, "{charts:?}");
    for file in charts {
        let svg = read(&dir, file);
        assert!(svg.contains("WenQuanYi Micro Hei"), "{file}: no CJK font");
        let texts = svg_texts(&svg);
        assert!(
            texts.iter().any(|t| t.contains("情景时钟") || t.contains("分钟")),
            "{file}: {texts:?}"
        );
        let english: Vec<String> = texts.iter().flat_map(|t| english_phrases(t)).collect();
        assert!(english.is_empty(), "{file}: untranslated {english:?}");
    }
    let svg = read(&dir, "concentration-jinze_intake-aniline.svg");
    assert!(svg.contains("金泽水库取水口（取水口，青浦区）：苯胺"), "the title");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_english_report_is_unchanged() {
    // The fixture is the report written before Chinese was added (seed 0, unified).
    let expected = include_str!("fixtures/reports/two-incidents-en.md");
    let dir = drill_report("en", "en");
    assert_eq!(read(&dir, "report.md"), expected);
    let svg = read(&dir, "response-times.svg");
    assert!(svg.contains("font-family=\"sans-serif\"") && !svg.contains("WenQuanYi"));
    let _ = std::fs::remove_dir_all(&dir);
}
