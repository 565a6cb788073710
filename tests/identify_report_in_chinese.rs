//! `tripoint identify --report DIR --lang zh-CN` on the results file of docs/identify.md,
//! run as a user would: the table it prints, report.md and every chart are Chinese —
//! the terms of 污染源识别, places by their Chinese names, no English phrase (the scan
//! the drill report's test uses) — and in English the table and report are the text
//! they were before Chinese was added, byte for byte (fixtures).

mod support;

use std::path::{Path, PathBuf};
use support::{read, scratch, svg_texts, tripoint};
use tripoint_tui::i18n::english_phrases;

/// The results file of docs/identify.md, written into `dir`.
fn doc_results(dir: &Path) -> PathBuf {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/identify.md")).unwrap();
    let start = doc.find("```csv\n").expect("a csv example in the doc") + "```csv\n".len();
    let end = start + doc[start..].find("```").expect("the example ends");
    let path = dir.join("results.csv");
    std::fs::write(&path, &doc[start..end]).unwrap();
    path
}

/// Runs identify on the doc's results with a report: (standard output, report folder).
fn identify(dir: &Path, lang: &str) -> (String, PathBuf) {
    let results = doc_results(dir);
    let report = dir.join(format!("report-{lang}"));
    let out = tripoint(&[
        "identify",
        "--results",
        results.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
        "--draws",
        "40",
        "--no-cache",
        "--lang",
        lang,
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    (String::from_utf8(out.stdout).unwrap(), report)
}

#[test]
fn a_chinese_identification_has_its_terms_and_no_english_phrase() {
    let dir = scratch("identify-zh");
    let (table, report) = identify(&dir, "zh-CN");
    let md = read(&report, "report.md");
    for term in [
        "# 污染源识别（溯源）报告",
        "## 候选污染源（一处排放）",
        "后验概率",
        "排放起始时间（5 / 50 / 95%）",
        "排放量 kg",
        "## 取水口与省界断面预测",
        "到达时间 P10 / P50 / P90",
        "未检出结果画在其检出限处",
        // Places by their Chinese names: the intake, a candidate source, a chainage.
        "金泽水库取水口",
        "| 1 | 练塘太浦河大桥(朱枫公路) | 太浦河(金泽—泖河) 13000 m 处 |",
    ] {
        assert!(md.contains(term), "report.md lacks {term:?}:\n{md}");
    }
    assert!(!md.contains("jinze_intake |"), "an id where a name belongs:\n{md}");
    let english = english_phrases(&md);
    assert!(english.is_empty(), "report.md: untranslated {english:?}");
    for term in [
        "污染源识别（溯源）",
        "候选污染源（按后验概率排序；区间为 90% 可信区间）",
        "排放起始时间",
        "取水口与省界断面预测",
        "建议下一采样点位与时间",
        "最可能的排放：",
    ] {
        assert!(table.contains(term), "the table lacks {term:?}:\n{table}");
    }
    let english = english_phrases(&table);
    assert!(english.is_empty(), "the table: untranslated {english:?}");
    // Every chart the report shows: Chinese texts in the CJK font stack.
    let charts: Vec<&str> = md
        .lines()
        .filter_map(|l| l.strip_prefix("![").and_then(|l| l.split_once("](")))
        .map(|(_, f)| f.trim_end_matches(')'))
        .collect();
    assert!(charts.contains(&"posterior.svg") && charts.len() >= 2, "{charts:?}");
    for file in charts {
        let svg = read(&report, file);
        assert!(svg.contains("WenQuanYi Micro Hei"), "{file}: no CJK font");
        let texts = svg_texts(&svg);
        assert!(
            texts
                .iter()
                .any(|t| t.contains("后验概率") || t.contains("时间（情景时钟）")),
            "{file}: {texts:?}"
        );
        let english: Vec<String> = texts.iter().flat_map(|t| english_phrases(t)).collect();
        assert!(english.is_empty(), "{file}: untranslated {english:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_english_identification_is_unchanged() {
    // The fixtures are the table and report written before Chinese was added (the table
    // laid out by `TextTable` since: the same words, columns as wide as their widest cell).
    let dir = scratch("identify-en");
    let (table, report) = identify(&dir, "en");
    assert_eq!(table, include_str!("fixtures/reports/identify-doc-en.txt"));
    assert_eq!(
        read(&report, "report.md"),
        include_str!("fixtures/reports/identify-doc-en.md")
    );
    let svg = read(&report, "posterior.svg");
    assert!(svg.contains("font-family=\"sans-serif\"") && !svg.contains("WenQuanYi"));
    let _ = std::fs::remove_dir_all(&dir);
}
