//! `tripoint forecast` and `tripoint identify` refusing their flags and a bad results
//! file, run as a user would: in a Chinese session (`LANG=zh_CN.UTF-8` alone) every
//! refusal is Chinese — no English phrase by `i18n::english_phrases`, the scan the help
//! and reports use — with exit code 2 and nothing on standard output; in English each is
//! the sentence it was before. What `identify --report` says it wrote is Chinese too.

mod support;

use std::path::{Path, PathBuf};
use support::{scratch, tripoint_env};
use tripoint_tui::cli_help::without_typed;
use tripoint_tui::i18n::english_phrases;

const ZH: &[(&str, &str)] = &[("LANG", "zh_CN.UTF-8")];

/// The results file of docs/identify.md, written into `dir`.
fn doc_results(dir: &Path) -> PathBuf {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/identify.md")).unwrap();
    let start = doc.find("```csv\n").expect("a csv example in the doc") + "```csv\n".len();
    let end = start + doc[start..].find("```").expect("the example ends");
    let path = dir.join("results.csv");
    std::fs::write(&path, &doc[start..end]).unwrap();
    path
}

/// Runs `args` in `env` and checks the refusal: exit code 2, nothing on standard output,
/// `expected` on standard error; in Chinese no English phrase. Returns standard error.
fn refused(args: &[&str], env: &[(&str, &str)], expected: &str) -> String {
    let out = tripoint_env(args, env);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(out.stdout.is_empty(), "{args:?}: nothing on standard output");
    assert!(stderr.contains(expected), "{args:?}: no {expected:?} in\n{stderr}");
    if !env.is_empty() {
        assert!(stderr.starts_with("错误："), "{args:?}: {stderr}");
        // What is typed as it is (a file's columns) is in backticks, as in the help.
        let phrases = english_phrases(&without_typed(&stderr));
        assert!(phrases.is_empty(), "{args:?}: English phrases {phrases:?} in\n{stderr}");
    }
    stderr
}

/// A release the flags describe whole, for the cases that spoil one flag of it.
const RELEASE: [&str; 7] = [
    "forecast",
    "--release",
    "taipu_wujiang_1@1000",
    "--pollutant",
    "antimony",
    "--mass-kg",
    "300",
];

fn with(base: &[&str], more: &[&str]) -> Vec<String> {
    base.iter().chain(more).map(ToString::to_string).collect()
}

#[test]
fn forecast_flags_are_refused_in_chinese_and_in_english_as_before() {
    // (arguments, Chinese, English)
    let cases: Vec<(Vec<String>, &str, &str)> = vec![
        (
            with(
                &[
                    "forecast",
                    "--release",
                    "nowhere",
                    "--pollutant",
                    "antimony",
                    "--mass-kg",
                    "1",
                ],
                &[],
            ),
            "--release：没有名为“nowhere”的节点、河段或点位",
            "--release: no node, reach or point named \"nowhere\"",
        ),
        (
            with(
                &["forecast", "--release", "taipu_wujiang_1@99999999"],
                &["--pollutant", "antimony"],
            ),
            "超出河段“taipu_wujiang_1”的范围",
            "is outside reach \"taipu_wujiang_1\"",
        ),
        (
            with(&["forecast", "--flow", "monsoon"], &[]),
            "--flow：未知的水文情势“monsoon”（已有：drought（枯水期）、normal（平水期）、flood（丰水期））",
            "--flow: unknown regime \"monsoon\" (known: drought, normal, flood)",
        ),
        (
            with(
                &[
                    "forecast",
                    "--release",
                    "taipu_wujiang_1@1000",
                    "--pollutant",
                    "mercury",
                ],
                &[],
            ),
            "--pollutant：未知的污染物“mercury”（已有：antimony（锑）",
            "--pollutant: unknown pollutant \"mercury\" (known: antimony",
        ),
        (
            with(&["forecast", "--release", "taipu_wujiang_1@1000"], &[]),
            "--release 还需要 --pollutant",
            "--release needs --pollutant",
        ),
        (
            with(
                &[
                    "forecast",
                    "--release",
                    "taipu_wujiang_1@1000",
                    "--pollutant",
                    "antimony",
                ],
                &[],
            ),
            "--release 还需要 --mass-kg",
            "--release needs --mass-kg",
        ),
        (
            with(&RELEASE[..5], &["--mass-kg", "-5"]),
            "--mass-kg 必须在 ",
            "--mass-kg must be between ",
        ),
        (
            with(&RELEASE, &["--duration-min", "-1"]),
            "--duration-min 必须在 0（瞬时排放）至 527040（一年）之间，实际为 -1",
            "--duration-min must be from 0 (instantaneous) to 527040 (one year), got -1",
        ),
        (
            with(&RELEASE, &["--at", "25:00"]),
            "--at：时间格式应为 HH:MM 或 `D2 08:00`，实际为“25:00”",
            "--at: expected HH:MM or `D2 08:00`, got \"25:00\"",
        ),
        (
            with(&["forecast", "--hours", "0"], &[]),
            "--hours 必须为正数且不超过 8784，实际为 0",
            "--hours must be positive and at most 8784, got 0",
        ),
        (
            with(&["forecast", "--pollutant", "antimony"], &[]),
            "--pollutant 描述的是排放：请同时给出 --release",
            "--pollutant describes a release: give --release too",
        ),
        (
            with(&["forecast", "--flow-change", "08:00"], &[]),
            "--flow-change：格式应为 HH:MM=水文情势，实际为“08:00”",
            "--flow-change: expected HH:MM=REGIME, got \"08:00\"",
        ),
        (
            with(&["forecast", "--flow-change", "08:00=monsoon"], &[]),
            "--flow-change：未知的水文情势“monsoon”（已有：drought（枯水期）",
            "--flow-change: unknown regime \"monsoon\" (known: drought, normal, flood)",
        ),
        (
            with(&["forecast", "--flow-change", "99:00=flood"], &[]),
            "--flow-change：时间格式应为 HH:MM 或 `D2 08:00`，实际为“99:00”",
            "--flow-change: expected HH:MM or `D2 08:00`, got \"99:00\"",
        ),
        (
            with(&["forecast", "--spread", "--members", "0"], &[]),
            "--members：集合预测的成员数应为 1 至 1000，实际为 0",
            "--members: the ensemble needs from 1 to 1000 members, got 0",
        ),
        (
            with(&["forecast", "nosuch.toml"], &[]),
            "nosuch.toml: 文件或文件夹不存在",
            "nosuch.toml: No such file or directory",
        ),
        (
            with(&["forecast", "--journal", "/nonexistent-folder/x.jsonl"], &[]),
            "--journal /nonexistent-folder/x.jsonl：文件夹 /nonexistent-folder 不存在",
            "--journal /nonexistent-folder/x.jsonl: the folder /nonexistent-folder does not exist",
        ),
        (
            with(&["forecast", "--spread", "--spread-flow", "9"], &[]),
            "--spread-flow：该项的扰动（对数标准差）应为 0 至 3，实际为 9",
            "--spread-flow: the flow spread (a log-standard deviation) must be from 0 to 3, got 9",
        ),
    ];
    for (args, chinese, english) in &cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        refused(&args, ZH, chinese);
        refused(&args, &[], english);
    }
}

#[test]
fn identify_flags_and_results_are_refused_in_chinese_and_in_english_as_before() {
    let dir = scratch("identify-args-zh");
    let results = doc_results(&dir);
    let results = results.to_str().unwrap();
    let a_file = dir.join("a-file");
    std::fs::write(&a_file, "").unwrap();
    let base = ["identify", "--results", results, "--no-cache"];
    let cases: Vec<(Vec<String>, &str, &str)> = vec![
        (
            with(&base, &["--flow", "monsoon"]),
            "--flow 的取值“monsoon”：没有该水文情势（情景中有：drought（枯水期）",
            "--flow \"monsoon\": no such regime (the scenario has drought, normal, flood)",
        ),
        (
            with(&base, &["--error-relative", "20"]),
            "--error-relative 20：请填写 0 至 10 之间的数",
            "--error-relative 20: give a number from 0 to 10",
        ),
        (
            with(&base, &["--error-absolute", "0"]),
            "--error-absolute 0：请填写大于 0、不超过 1e6 的数（mg/L）",
            "--error-absolute 0: give a number above 0, up to 1e6 mg/L",
        ),
        (
            with(&base, &["--error-timing-min", "-1"]),
            "--error-timing-min -1：请填写 0 至 1440 分钟",
            "--error-timing-min -1: give minutes from 0 to 1440",
        ),
        (
            with(&base, &["--error-dispersion-log-sd", "5"]),
            "--error-dispersion-log-sd 5：请填写 0 至 1.5 之间的数",
            "--error-dispersion-log-sd 5: give a number from 0 to 1.5",
        ),
        (
            with(&base, &["--prior", "anywhere", "--spacing-m", "1"]),
            "--spacing-m 1：请填写 100 至 100000 之间的数",
            "--spacing-m 1: give a number from 100 to 100000",
        ),
        (
            with(&base, &["--start-step-min", "0"]),
            "--start-step-min 0：请填写 1 至 1440 分钟",
            "--start-step-min 0: give 1 to 1440 minutes",
        ),
        (
            with(&base, &["--durations-min", "0,99999"]),
            "--durations-min：请填写 0 至 10080 分钟，以逗号分隔",
            "--durations-min: give minutes from 0 to 10080, comma-separated",
        ),
        (
            with(&base, &["--outlook-hours", "0"]),
            "--outlook-hours 0：请填写 1 至 720",
            "--outlook-hours 0: give 1 to 720",
        ),
        (
            with(&base, &["--sources", "3"]),
            "--sources 3：请填写 1 或 2",
            "--sources 3: give 1 or 2",
        ),
        (
            with(&base, &["--refine-places", "99"]),
            "--refine-places 99：请填写 0 至 10",
            "--refine-places 99: give 0 to 10",
        ),
        (
            with(&base, &["--draws", "0"]),
            "--draws 0：请填写 1 至 100000",
            "--draws 0: give 1 to 100000",
        ),
        (
            with(&base, &["--since", "noon"]),
            "--since 的取值“noon”：请填写 HH:MM 或 `D2 08:00`",
            "--since \"noon\": give HH:MM or `D2 08:00`",
        ),
        (
            with(&base, &["--since", "D3 00:00"]),
            "--since D3 00:00：晚于首次检出（D1 05:18）；排放必须在被检出之前开始",
            "--since D3 00:00: after the first detection (D1 05:18); a release must start before it is seen",
        ),
        (
            with(&["identify", "--results", "nosuch.csv"], &[]),
            "nosuch.csv: 文件或文件夹不存在",
            "nosuch.csv: No such file or directory",
        ),
        (
            with(&["identify", "--results", dir.to_str().unwrap()], &[]),
            "：这是文件夹，不是监测结果文件",
            ": a folder, not a results file",
        ),
        (
            with(
                &base,
                &[
                    "--prior",
                    "anywhere",
                    "--spacing-m",
                    "100",
                    "--error-dispersion-log-sd",
                    "1.5",
                ],
            ),
            "--error-dispersion-log-sd 1.5：弥散系数作为未知量时，每个候选位置需权衡至多 21 组倍数，\
             共 1285 个候选位置、26985 次输移计算，超过上限 10000 次：请调小 --error-dispersion-log-sd \
             或加大 --spacing-m",
            "transport runs, more than the 10000 allowed: lower --error-dispersion-log-sd or take a coarser --spacing-m",
        ),
        (
            with(
                &base,
                &[
                    "--prior",
                    "anywhere",
                    "--spacing-m",
                    "100",
                    "--error-discharge-log-sd",
                    "0.5",
                ],
            ),
            "--error-discharge-log-sd 0.5：流量作为未知量时，每个候选位置需权衡至多 21 组倍数，\
             共 1285 个候选位置、26985 次输移计算，超过上限 10000 次：请调小 --error-discharge-log-sd \
             或加大 --spacing-m",
            "the discharge taken as unknown (log-sd 0.5) weighs up to 21 factors for each of 1285 candidate \
             places, 26985 transport runs, more than the 10000 allowed: lower --error-discharge-log-sd or take \
             a coarser --spacing-m",
        ),
        (
            with(
                &base,
                &[
                    "--prior",
                    "anywhere",
                    "--spacing-m",
                    "500",
                    "--error-dispersion-log-sd",
                    "0.8",
                    "--error-discharge-log-sd",
                    "0.5",
                ],
            ),
            "--error-dispersion-log-sd 0.8 与 --error-discharge-log-sd 0.5：弥散系数与流量均作为未知量时，\
             每个候选位置需权衡至多 273 组倍数，共 263 个候选位置、71799 次输移计算，超过上限 10000 次：\
             请调小 --error-dispersion-log-sd 或 --error-discharge-log-sd 或加大 --spacing-m",
            "lower --error-dispersion-log-sd or --error-discharge-log-sd or take a coarser --spacing-m",
        ),
        (
            with(&base, &["--error-discharge-log-sd", "0.6"]),
            "--error-discharge-log-sd 0.6：请填写 0 至 0.5 之间的数",
            "--error-discharge-log-sd 0.6: give a number from 0 to 0.5",
        ),
        (
            with(&base, &["--report", a_file.to_str().unwrap()]),
            "：这是文件，不是文件夹",
            ": a file, not a folder",
        ),
    ];
    for (args, chinese, english) in &cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        refused(&args, ZH, chinese);
        refused(&args, &[], english);
    }
}

#[test]
fn a_bad_results_file_is_refused_in_chinese_row_by_row() {
    let dir = scratch("identify-results-zh");
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_string()
    };
    let header = "point,pollutant,taken_at,value_mg_l,detection_limit_mg_l\n";
    let bad_rows = write(
        "bad-rows.csv",
        &format!(
            "{header}nowhere,petroleum,D1 05:18,0.1,\nliantang_section,mercury,D1 05:18,0.1,\n\
             liantang_section,petroleum,noon,0.1,\nliantang_section,petroleum,D1 05:18,lots,\n\
             liantang_section,petroleum,D1 05:18,-1,\nliantang_section,petroleum,D1 05:18,0.1,x\n\
             liantang_section,petroleum\ntaipu_qingpu@99999999,petroleum,D1 06:00,0.1,\n"
        ),
    );
    let cases = [
        (
            bad_rows.clone(),
            vec![
                "有 8 行无效，未使用任何结果：",
                "第 2 行：点位“nowhere”：没有名为“nowhere”的节点、河段或点位",
                "第 3 行：情景中没有污染物“mercury”",
                "第 4 行：taken_at“noon”：请填写第 1 天的 HH:MM 或 `D2 08:00`",
                "第 5 行：value_mg_l“lots”不是以 mg/L 计的浓度（0 至 1e6），也不是未检出",
                "第 6 行：value_mg_l“-1”不是以 mg/L 计的浓度（0 至 1e6）",
                "第 7 行：detection_limit_mg_l“x”不是以 mg/L 计的浓度（0 至 1e6）",
                "第 8 行：有 2 个字段；应为 5 个",
                "第 9 行：点位“taipu_qingpu@99999999”：里程 99999999 m 超出河段",
            ],
            vec![
                "8 bad rows, nothing used:",
                "line 2: point \"nowhere\": no node, reach or point named \"nowhere\"",
                "line 3: no pollutant \"mercury\" in the scenario",
                "line 8: 2 fields; expected 5",
            ],
        ),
        (
            write("columns.csv", "point,when,value\nliantang_section,D1 05:18,0.1\n"),
            vec!["第 1 行：列名为 `point,when,value`；应为 `point,pollutant,taken_at,value_mg_l,detection_limit_mg_l`"],
            vec!["line 1: the columns are \"point,when,value\"; expected point,pollutant,taken_at"],
        ),
        (
            write("empty.csv", "# nothing yet\n"),
            vec!["文件为空：第一行应为列名"],
            vec!["empty: expected a header line with the columns"],
        ),
        (
            write("header-only.csv", header),
            vec!["列名行之下没有结果"],
            vec!["no results under the header"],
        ),
        (
            write(
                "clean.csv",
                &format!("{header}liantang_section,petroleum,D1 05:18,nd,0.01\n"),
            ),
            vec!["所有结果均低于检出限：没有检出，无从溯源"],
            vec!["every result is below its detection limit: nothing was detected to trace back"],
        ),
    ];
    for (file, chinese, english) in cases {
        let args = ["identify", "--results", file.as_str(), "--no-cache"];
        for expected in chinese {
            refused(&args, ZH, expected);
        }
        for expected in english {
            refused(&args, &[], expected);
        }
    }
}

#[test]
fn what_identify_wrote_is_said_in_the_session_s_language() {
    let dir = scratch("identify-wrote-zh");
    let results = doc_results(&dir);
    for (env, lang, expected) in [
        (ZH, "zh", "报告已写入 "),
        (&[] as &[(&str, &str)], "en", "report written to "),
    ] {
        let report = dir.join(format!("report-{lang}"));
        let args = [
            "identify",
            "--results",
            results.to_str().unwrap(),
            "--report",
            report.to_str().unwrap(),
            "--draws",
            "40",
            "--no-cache",
        ];
        let out = tripoint_env(&args, env);
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(out.status.success(), "{stderr}");
        let line = format!("{expected}{}", report.join("report.md").display());
        assert!(stderr.lines().any(|l| l == line), "no {line:?} in\n{stderr}");
        if lang == "zh" {
            assert!(english_phrases(&stderr).is_empty(), "{stderr}");
        }
    }
}

/// Results of a pollutant no risk source of the inventory holds (a scenario whose
/// nitrobenzene sources hold aniline instead): the refusal names the pollutant in Chinese
/// and says where else to look, and is the library's English in English; exit code 2.
#[test]
fn a_pollutant_no_source_holds_is_refused_in_chinese_and_in_english() {
    let dir = scratch("identify-no-candidate");
    let zone = tripoint_sim::scenario::builtin_text("demo-zone.toml")
        .unwrap()
        .replace("pollutant = \"nitrobenzene\"", "pollutant = \"aniline\"");
    let scenario = dir.join("no-nitrobenzene.toml");
    std::fs::write(&scenario, zone).unwrap();
    let results = dir.join("results.csv");
    std::fs::write(
        &results,
        "point,pollutant,taken_at,value_mg_l,detection_limit_mg_l\n\
         liantang_section,nitrobenzene,D1 05:00,0.05,0.0002\n",
    )
    .unwrap();
    let args = [
        "identify",
        scenario.to_str().unwrap(),
        "--results",
        results.to_str().unwrap(),
        "--no-cache",
    ];
    refused(
        &args,
        ZH,
        "没有候选位置存有所测污染物（硝基苯）：风险源清单中没有存有这些污染物的风险源，可改用 `--prior anywhere`",
    );
    refused(
        &args,
        &[],
        "no candidate place holds any of the measured pollutants (nitrobenzene)",
    );
    let _ = std::fs::remove_dir_all(&dir);
}
