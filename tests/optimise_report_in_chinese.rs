//! `tripoint plan optimise --report DIR --lang zh-CN`, run as a planner would: the report,
//! its charts and the summary printed on the terminal are Chinese — 驻点布设优化, 候选驻点,
//! 帕累托前沿, 响应时间分布, the policies as 属地调度 and 统一调度, teams, sites and field
//! kits by their Chinese names — with no English phrase left (`i18n::english_phrases`);
//! the data files are the English run's; and the English report still writes the search
//! steps exactly as `optimise.json` does.

mod support;

use std::path::Path;
use support::{read, svg_texts, tripoint_ok};
use tripoint_tui::i18n::english_phrases;

const SMALL: [&str; 14] = [
    "--search-trials",
    "8",
    "--verify-trials",
    "8",
    "--max-evaluations",
    "15",
    "--hours",
    "6",
    "--seed",
    "3",
    "--teams",
    "11",
    "--instruments",
    "sb_voltammetry=9,aniline_kit=3",
];

/// Runs `plan optimise` with the report in `dir`, `lang_args` and the environment `env`:
/// (standard output, standard error).
fn optimise(dir: &Path, lang_args: &[&str], env: &[(&str, &str)]) -> (String, String) {
    let mut args = vec!["plan", "optimise"];
    args.extend(SMALL);
    args.extend(["--report", dir.to_str().unwrap()]);
    args.extend(lang_args);
    tripoint_ok(&args, env)
}

#[test]
fn a_chinese_optimise_report_has_the_planners_terms_and_no_english_sentence() {
    let dir = support::scratch("optimise-zh");
    let (stdout, stderr) = optimise(&dir, &["--lang", "zh-CN"], &[]);
    let md = read(&dir, "report.md");
    for term in [
        "# 应急监测队伍驻点布设优化：青浦区、吴江区、嘉善县",
        "## 建议方案",
        "## 在其他试验上按四种调度方式检验",
        "| 指标 | 属地调度 | 属地调度（污染带优先） | 统一调度（按应采时间） | 统一调度 |",
        "**现行方案（11 支队伍）**",
        "**逐次试验配对比较**",
        "## 经典选址模型（按行车时间）",
        "候选驻点",
        "p-中位模型",
        "## 搜索过程",
        "| 贪心构造 | 将",
        "## 帕累托前沿：派出队伍数与取水口及时预警率",
        "![响应时间分布](response_cdf.svg)",
        "吴江区值班采样组",
        "锑",
    ] {
        assert!(md.contains(term), "report.md lacks {term:?}:\n{md}");
    }
    let english = english_phrases(&md);
    assert!(english.is_empty(), "report.md: untranslated {english:?}");
    // The terminal's summary and the closing line are Chinese too, aligned by display width.
    assert!(stdout.contains("建议方案：") && stdout.contains("统一调度"), "{stdout}");
    let english = english_phrases(&stdout);
    assert!(english.is_empty(), "summary: untranslated {english:?}");
    assert!(stderr.contains("报告已写入"), "{stderr}");
    let table: Vec<&str> = stdout.lines().filter(|l| l.starts_with("  现行方案 ")).collect();
    assert!(!table.is_empty(), "{stdout}");
    // Every chart: Chinese texts in the CJK font stack, no English phrase.
    for file in ["sites_map.svg", "tradeoff.svg", "response_cdf.svg"] {
        let svg = read(&dir, file);
        assert!(svg.contains("WenQuanYi Micro Hei"), "{file}: no CJK font");
        let english: Vec<String> = svg_texts(&svg).iter().flat_map(|t| english_phrases(t)).collect();
        assert!(english.is_empty(), "{file}: untranslated {english:?}");
    }
    assert!(read(&dir, "sites_map.svg").contains("建议驻点"), "the map's legend");
    // The data files are the same in both languages.
    let english_dir = support::scratch("optimise-zh-en");
    let (english_stdout, _) = optimise(&english_dir, &["--lang", "en"], &[("LANG", "zh_CN.UTF-8")]);
    for file in ["trials.csv", "optimise.json"] {
        assert_eq!(read(&dir, file), read(&english_dir, file), "{file}");
    }
    // English: the search's steps as optimise.json writes them (`what`), the texts as before.
    let english_md = read(&english_dir, "report.md");
    let json: serde_json::Value = serde_json::from_str(&read(&english_dir, "optimise.json")).unwrap();
    let steps = json["search"]["steps"].as_array().expect("steps");
    assert!(!steps.is_empty());
    for step in steps {
        let row = format!(
            "| {} | {} | ",
            step["phase"].as_str().unwrap(),
            step["what"].as_str().unwrap()
        );
        assert!(english_md.contains(&row), "{row:?} missing:\n{english_md}");
    }
    for line in [
        "# Where to station the teams: Demonstration zone: Taipu River and its three lakes",
        "| team | jurisdiction | today | proposed | field kits today | field kits proposed |",
        "| measure | county | county_plume | pooled_due | unified |",
        "| policy | better | worse | same | sign test p |",
        "## Trade-off: teams fielded against intake warning",
    ] {
        assert!(english_md.lines().any(|l| l == line), "{line:?} missing:\n{english_md}");
    }
    assert!(
        english_stdout.starts_with("Demonstration zone: Taipu River and its three lakes: optimised for intake-warning under unified dispatch on 8 search trials (in-sample): today "),
        "{english_stdout}"
    );
    assert!(
        english_stdout.contains(
            "\n  intake warned [%]          county               county_plume         pooled_due           unified\n"
        ),
        "{english_stdout}"
    );
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&english_dir);
}
