//! `tripoint plan evaluate --report DIR --lang zh-CN`, run as a planner would: the
//! report, its charts and the summary printed on the terminal are Chinese — the measures,
//! the policies as 属地调度 and 统一调度, places, teams and sources by their Chinese names —
//! with no English phrase left (the scan the drill's report uses,
//! `i18n::english_phrases`); `LANG=zh_CN.UTF-8` alone chooses Chinese too.

mod support;

use std::path::{Path, PathBuf};
use support::{read, svg_texts, tripoint_ok};
use tripoint_tui::i18n::english_phrases;

const SMALL: [&str; 8] = ["--trials", "12", "--hours", "6", "--seed", "5", "--pairs", "0.5"];

/// Runs `plan evaluate` with the report in `dir`, `lang_args` and the environment `env`:
/// (standard output, standard error).
fn evaluate(dir: &Path, lang_args: &[&str], env: &[(&str, &str)]) -> (String, String) {
    let mut args = vec!["plan", "evaluate"];
    args.extend(SMALL);
    args.extend(["--report", dir.to_str().unwrap()]);
    args.extend(lang_args);
    tripoint_ok(&args, env)
}

fn charts_of(md: &str) -> Vec<String> {
    md.lines()
        .filter(|l| l.starts_with("!["))
        .map(|l| l[l.find("](").unwrap() + 2..l.len() - 1].to_string())
        .collect()
}

#[test]
fn a_chinese_planner_report_has_the_planners_terms_and_no_english_sentence() {
    let dir: PathBuf = support::scratch("planner-zh");
    let (stdout, stderr) = evaluate(&dir, &["--lang", "zh-CN"], &[]);
    let md = read(&dir, "report.md");
    for term in [
        "# 应急监测队伍驻点布设评估：青浦区、吴江区、嘉善县",
        "## 评估的驻点布设方案",
        "## 各项指标（95 % 置信区间）",
        "| 指标 | 属地调度 | 统一调度 |",
        "事发点响应时间 P90 [min]",
        "取水口及时预警率 [%]",
        "省界断面覆盖率 [%]",
        "预警提前量 P50 [min]",
        "| 试验次数 | 12 | 12 |",
        "## 按风险源统计的取水口预警",
        "## 试验的抽样方法",
        "各情势的权重：枯水期 0.2、平水期 0.6、丰水期 0.2",
        "吴江区",
    ] {
        assert!(md.contains(term), "report.md lacks {term:?}:\n{md}");
    }
    let english = english_phrases(&md);
    assert!(english.is_empty(), "report.md: untranslated {english:?}");
    // The terminal's table and the closing line are Chinese too.
    assert!(stdout.contains("试验次数") && stdout.contains("属地调度"), "{stdout}");
    let english = english_phrases(&stdout);
    assert!(english.is_empty(), "summary: untranslated {english:?}");
    assert!(stderr.contains("报告已写入"), "{stderr}");
    // Every chart: Chinese texts in the CJK font stack, no English phrase.
    let charts = charts_of(&md);
    assert!(charts.len() >= 4, "{charts:?}");
    for file in &charts {
        let svg = read(&dir, file);
        assert!(svg.contains("WenQuanYi Micro Hei"), "{file}: no CJK font");
        let texts = svg_texts(&svg);
        let english: Vec<String> = texts.iter().flat_map(|t| english_phrases(t)).collect();
        assert!(english.is_empty(), "{file}: untranslated {english:?}");
    }
    let map = read(&dir, "warning_map_unified.svg");
    assert!(
        map.contains("统一调度") && map.contains("经度"),
        "the map's title and axis"
    );
    // The data files are the same in both languages.
    let english_dir = support::scratch("planner-zh-en");
    evaluate(&english_dir, &["--lang", "en"], &[("LANG", "zh_CN.UTF-8")]);
    for file in ["trials.csv", "summary.json"] {
        assert_eq!(read(&dir, file), read(&english_dir, file), "{file}");
    }
    let english_md = read(&english_dir, "report.md");
    assert!(english_md.contains("| measure | county | unified |"), "{english_md}");
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&english_dir);
}

#[test]
fn the_environment_alone_chooses_chinese() {
    let dir = support::scratch("planner-zh-env");
    let (stdout, _) = evaluate(&dir, &[], &[("LANG", "zh_CN.UTF-8")]);
    assert!(stdout.contains("括号内为 95 % 置信区间"), "{stdout}");
    assert!(read(&dir, "report.md").starts_with("# 应急监测队伍驻点布设评估"));
    let _ = std::fs::remove_dir_all(&dir);
}
