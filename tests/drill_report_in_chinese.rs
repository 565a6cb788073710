//! `tripoint drill two-incidents --report DIR --lang zh-CN`, run as a user would: the
//! after-action report and its charts are Chinese — the evaluation's sentences too
//! (evidence, strengths, areas for improvement, causes, corrective actions), scanned for
//! any English phrase — the timeline's events, edits' outcomes and refusals too; the
//! English report is the text it was before Chinese was added, byte for byte.

mod support;

use std::path::PathBuf;
use std::process::Command;
use support::{read, svg_texts};
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

/// The lines of a Markdown section: from its heading to the next heading of its level.
fn section<'a>(md: &'a str, heading: &str) -> &'a str {
    let start = md.find(heading).unwrap_or_else(|| panic!("no section {heading:?}"));
    let level = heading.split(' ').next().unwrap_or_default();
    let body = &md[start + heading.len()..];
    let end = body.find(&format!("\n{level} ")).unwrap_or(body.len());
    &body[..end]
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
    // The evaluation's sentences are Chinese: the rating tables' evidence, strengths and
    // areas for improvement, the improvement plan's issue, cause and corrective action.
    for sentence in [
        "首个有效样品",
        "达到目标（",
        "未达到目标（",
        "通报",
        "**路途耗时**：",
        "车程内预置一支队伍",
    ] {
        assert!(md.contains(sentence), "report.md lacks {sentence:?}");
    }
    let capabilities = section(&md, "## 三、能力分析");
    let plan = section(&md, "## 附录 A：改进计划");
    for (name, text) in [("capabilities", capabilities), ("improvement plan", plan)] {
        let english = english_phrases(text);
        assert!(english.is_empty(), "{name}: untranslated {english:?}");
    }
    // The whole report, the timeline's events too, is Chinese: the writer's words, the
    // script's Chinese texts, names by name_zh, the timeline rendered from its data.
    let timeline = section(&md, "## 七、时间线");
    assert!(timeline.lines().count() > 30, "{timeline}");
    let english = english_phrases(timeline);
    assert!(english.is_empty(), "timeline: untranslated {english:?}");
    let english = english_phrases(&md);
    assert!(english.is_empty(), "untranslated: {english:?}");
    let json: serde_json::Value = serde_json::from_str(&read(&dir, "report.json")).expect("JSON");
    // report.json holds the sentences as data, the same in both languages: a message id
    // and its arguments.
    let task = &json["objectives"][0]["targets"][0]["tasks"][0]["evidence"];
    assert!(task["id"].as_str().is_some_and(|id| id.starts_with("task-")), "{task}");
    assert!(task["args"]["evidence"]["kind"] == "text", "{task}");
    let _ = std::fs::remove_dir_all(&dir);
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

/// The timeline of a drill with plan edits — applied and refused — and of one with a team
/// out of service: every outcome and every disruption's reason is Chinese. (The night
/// drill's script has no Chinese texts for its injects, so only its disruptions' lines
/// are scanned there.)
#[test]
fn edits_refusals_and_disruptions_are_chinese_in_the_timeline() {
    let edits = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/plan-edits/two-incidents.toml"
    );
    for (drill, extra, expected) in [
        (
            "two-incidents",
            vec!["--plan-edits", edits],
            vec!["已从方案中撤除", "不在方案中", "已将", "每 30 min 采样一次", "请求支援"],
        ),
        ("night-antimony-station-failure", vec![], vec!["停用（无人值班）"]),
    ] {
        let dir = std::env::temp_dir().join(format!("tripoint-drill-zh-outcomes-{drill}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let out = Command::new(env!("CARGO_BIN_EXE_tripoint"))
            .args(["drill", drill, "--report", dir.to_str().unwrap(), "--lang", "zh-CN"])
            .args(&extra)
            .output()
            .expect("the binary runs");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let md = read(&dir, "report.md");
        let timeline = section(&md, "## 七、时间线");
        for text in expected {
            assert!(
                timeline.contains(text),
                "{drill}: the timeline lacks {text:?}:\n{timeline}"
            );
        }
        let scanned: Vec<&str> = timeline
            .lines()
            .filter(|l| drill == "two-incidents" || l.contains("停用"))
            .collect();
        assert!(!scanned.is_empty(), "{drill}: nothing to scan");
        let english = english_phrases(&scanned.join("\n"));
        assert!(english.is_empty(), "{drill}: timeline: untranslated {english:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// What `tripoint drill` prints in a Chinese session (LANG): the drill by its Chinese
/// title, the score, each intake by its Chinese name, every objective, target and task
/// with its evidence, and no English phrase anywhere; the English summary keeps its form.
#[test]
fn the_drill_s_summary_speaks_the_session_s_language() {
    let (zh, _) = support::tripoint_ok(&["drill", "two-incidents"], &[("LANG", "zh_CN.UTF-8")]);
    let lines: Vec<&str> = zh.lines().collect();
    assert_eq!(
        lines[0],
        "演练：跨界两起县级突发水污染事件同时发生（统一调度，随机种子 0）"
    );
    assert!(
        lines[1].starts_with("得分 ") && lines[1].contains("不适用"),
        "{}",
        lines[1]
    );
    assert!(
        lines.iter().any(|l| l.starts_with("取水口 金泽水库取水口（青浦区）：")),
        "{zh}"
    );
    assert!(lines.iter().any(|l| l.starts_with("O1 跨界通报")), "{zh}");
    for line in &lines {
        let english = english_phrases(line);
        assert!(english.is_empty(), "{line}: {english:?}");
    }
    let (en, _) = support::tripoint_ok(&["drill", "two-incidents"], &[]);
    let first: Vec<&str> = en.lines().take(3).collect();
    assert_eq!(
        first[0],
        "Drill: Two simultaneous county-level incidents across the border (unified policy, seed 0)"
    );
    assert!(
        first[1].starts_with("Score ") && first[1].ends_with("not applicable"),
        "{}",
        first[1]
    );
    assert!(
        first[2].starts_with("Intake ") && first[2].contains(" over the limit from D1 "),
        "{}",
        first[2]
    );
    assert_eq!(en.lines().count(), lines.len(), "one line for one line");
    // The four cells of pooling × ranking side by side.
    let (zh, _) = support::tripoint_ok(
        &["drill", "two-incidents", "--policy", "factorial"],
        &[("LANG", "zh_CN.UTF-8")],
    );
    assert!(
        zh.starts_with("演练：跨界两起县级突发水污染事件同时发生（随机种子 0）"),
        "{zh}"
    );
    assert!(zh.contains("统筹（按应采时间）") && zh.contains("\n得分 "), "{zh}");
    assert!(
        zh.contains("T2.4 首报后 4 小时内外区监测小组在青浦区采样（跨区支援）"),
        "{zh}"
    );
    for line in zh.lines() {
        let english = english_phrases(line);
        assert!(english.is_empty(), "{line}: {english:?}");
    }
}
