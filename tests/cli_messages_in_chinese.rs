//! `check`, `forecast` and `run` in a Chinese session: what they print, and a malformed
//! scenario's problems (exit code 2, each in Chinese with its file, line, column and
//! excerpt), hold no English phrase (`i18n::english_phrases`, the scan the reports use);
//! `LANG=zh_CN.UTF-8` alone chooses Chinese. In English the three commands print what
//! they printed before Chinese was added, byte for byte (fixtures).

mod support;

use support::{tripoint_env, tripoint_ok};
use tripoint_tui::i18n::english_phrases;

fn stdout_of(args: &[&str], env: &[(&str, &str)]) -> String {
    tripoint_ok(args, env).0
}

fn assert_chinese(what: &str, text: &str, terms: &[&str]) {
    let phrases = english_phrases(text);
    assert!(phrases.is_empty(), "{what}: English phrases {phrases:?} in\n{text}");
    for term in terms {
        assert!(text.contains(term), "{what}: no {term:?} in\n{text}");
    }
}

#[test]
fn check_of_the_built_in_zone_is_chinese() {
    let shown = stdout_of(&["check", "--lang", "zh-CN"], &[]);
    assert_chinese(
        "check",
        &shown,
        &[
            "检查通过",
            "青浦区",
            "行政区 8 个",
            "水文情势：枯水期、平水期、丰水期",
            "平水期：稳定时间步长",
            "锑",
            "监测队伍 13 支",
        ],
    );
}

#[test]
fn a_malformed_scenario_is_refused_in_chinese_where_it_is() {
    let zone = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/demo-zone.toml")).unwrap();
    // Three kinds of problem: a negative length, a reference to no node, a missing field.
    let edits = [
        ("length_m = 13000.0", "length_m = -5.0"),
        ("from = \"canal_north\"", "from = \"nowhere\""),
        ("mass_kg = 300.0\n", ""),
    ];
    let mut text = zone.clone();
    for (from, to) in edits {
        assert!(text.contains(from), "{from}");
        text = text.replacen(from, to, 1);
    }
    let dir = support::scratch("cli-zh");
    let path = dir.join("zone.toml");
    std::fs::write(&path, text).unwrap();
    let file = path.to_str().unwrap();
    for (args, env) in [
        (vec!["check", "--lang", "zh-CN", file], &[] as &[(&str, &str)]),
        (vec!["forecast", file], &[("LANG", "zh_CN.UTF-8")][..]),
    ] {
        let out = tripoint_env(&args, env);
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}: nothing on stdout");
        assert_chinese(
            "problems",
            &stderr,
            &[
                "错误：情景文件有 ",
                "河段 `taipu_wujiang_1`：length_m 必须为正数，实际为 -5",
                "河段 `grand_canal_north`：未知的节点 `nowhere`（已有：",
                "缺少字段 `mass_kg`",
                "| length_m = -5.0",
            ],
        );
        // Each problem names its file, line and column.
        let n_problems = stderr.matches(&format!("错误：{file}:")).count();
        assert!(n_problems >= 3, "{stderr}");
        assert_eq!(stderr.matches("错误：").count(), n_problems + 1, "{stderr}");
        assert!(stderr.contains(&format!("情景文件有 {n_problems} 处问题")), "{stderr}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn forecast_and_run_print_chinese() {
    let forecast = stdout_of(&["forecast", "--lang", "zh-CN"], &[]);
    assert_chinese(
        "forecast",
        &forecast,
        &[
            "排放时水文情势：平水期",
            "到达时间",
            "峰值 mg/L",
            "超标历时",
            "取水口",
            "省界断面",
            "金泽水库取水口",
            "质量平衡",
        ],
    );
    assert_eq!(
        forecast,
        stdout_of(&["forecast"], &[("LANG", "zh_CN.UTF-8")]),
        "LANG alone"
    );
    let ensemble = stdout_of(&["forecast", "--spread", "--members", "4", "--lang", "zh-CN"], &[]);
    assert_chinese("forecast --spread", &ensemble, &["集合预测", "到达时间 P10/P50/P90"]);
    let run = stdout_of(&["run", "--lang", "zh-CN"], &[]);
    assert_chinese(
        "run",
        &run,
        &[
            "应急响应模拟",
            "取水口",
            "省界断面",
            "金泽水库取水口",
            "企业报告",
            "监测队伍",
            "吴江区值班采样组",
        ],
    );
}

#[test]
fn english_output_is_unchanged() {
    let fixture = |name: &str| {
        std::fs::read_to_string(format!("{}/tests/fixtures/reports/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    };
    assert_eq!(
        stdout_of(&["check", "--lang", "en"], &[("LANG", "zh_CN.UTF-8")]),
        fixture("check-en.txt")
    );
    assert_eq!(stdout_of(&["forecast"], &[]), fixture("forecast-en.txt"));
    assert_eq!(stdout_of(&["run", "--lang", "en"], &[]), fixture("run-en.txt"));
}

/// A mistyped command line in a Chinese session: clap's usage errors (a value that is not
/// a number, an unknown flag, a missing argument, a misspelt command) in Chinese with the
/// usage line and clap's suggestion, exit code 2, chosen by LANG or by `--lang` even when
/// the rest of the line is wrong; English is clap's own, unchanged.
#[test]
fn usage_errors_are_chinese_in_a_chinese_session() {
    let zh = [("LANG", "zh_CN.UTF-8")];
    let cases: [(&[&str], &[&str]); 4] = [
        (
            &["drill", "two-incidents", "--seed", "x"],
            &["参数 --seed <种子> 的取值“x”无效：不是整数"],
        ),
        (
            &["drill", "two-incidents", "--until", "D1"],
            &["未知参数“--until”", "用法：tripoint drill "],
        ),
        (
            &["drill"],
            &["缺少必需的参数：<演练脚本>", "用法：tripoint drill <演练脚本>"],
        ),
        (&["drilll"], &["未知子命令“drilll”", "提示：是否想用“drill”？"]),
    ];
    for (args, terms) in cases {
        let out = tripoint_env(args, &zh);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with("错误："), "{err}");
        // The usage line is a command line, not a sentence.
        let prose: String = err
            .lines()
            .filter(|l| !l.starts_with("用法："))
            .collect::<Vec<_>>()
            .join("\n");
        assert_chinese(&format!("{args:?}"), &prose, &[]);
        for term in terms {
            assert!(err.contains(term), "{args:?}: no {term:?} in\n{err}");
        }
        assert!(err.contains("更多信息请运行“--help”。"), "{err}");
    }
    // `--lang` asked on the line itself, in an English environment.
    let out = tripoint_env(&["--lang", "zh-CN", "forecast", "--no-such-flag"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("错误：未知参数“--no-such-flag”"));
    // English: clap's own words.
    let out = tripoint_env(&["drill", "two-incidents", "--seed", "x"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .starts_with("error: invalid value 'x' for '--seed <SEED>': invalid digit found in string")
    );
}
