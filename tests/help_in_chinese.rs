//! Every command's help as a Chinese user reads it (`--lang zh-CN` or `LANG=zh_CN.UTF-8`,
//! `-h` and `--help`): exit code 0, no English sentence (`i18n::english_phrases`, the scan
//! the reports use; the command's own path, spans in backticks and listed values, which
//! are typed as they are, left out), the headings in Chinese. The English help is what it was before the
//! Chinese was added (snapshots made from the earlier binary), and `drill --plan-edits`'s
//! table and a bad `--lang` value are said in Chinese too.

mod support;

use clap::CommandFactory as _;
use support::tripoint_env;
use tripoint_tui::i18n::english_phrases;

/// Every command's path of subcommand names (clap's `help` subcommands left out).
fn command_paths() -> Vec<Vec<String>> {
    fn walk(command: &clap::Command, path: &[String], out: &mut Vec<Vec<String>>) {
        out.push(path.to_vec());
        for sub in command
            .get_subcommands()
            .filter(|c| c.get_name() != "help" && !c.is_hide_set())
        {
            let mut sub_path = path.to_vec();
            sub_path.push(sub.get_name().to_string());
            walk(sub, &sub_path, out);
        }
    }
    let mut out = Vec::new();
    walk(&tripoint_tui::cli::Cli::command(), &[], &mut out);
    out
}

fn help(path: &[String], flag: &str, env: &[(&str, &str)]) -> String {
    let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
    args.push(flag);
    let out = tripoint_env(&args, env);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "tripoint {}: {stderr}", args.join(" "));
    assert!(stderr.is_empty(), "tripoint {}: {stderr}", args.join(" "));
    String::from_utf8(out.stdout).expect("UTF-8 help")
}

#[test]
fn every_command_s_help_is_chinese() {
    let paths = command_paths();
    assert!(paths.len() > 40, "only {} commands", paths.len());
    for path in &paths {
        for flag in ["-h", "--help"] {
            let text = help(path, flag, &[("LANG", "zh_CN.UTF-8")]);
            let command = std::iter::once("tripoint")
                .chain(path.iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join(" ");
            let scanned = tripoint_tui::cli_help::without_typed(&text.replace(&command, " "));
            let phrases = english_phrases(&scanned);
            assert!(phrases.is_empty(), "`{command} {flag}`: English {phrases:?} in\n{text}");
            assert!(text.contains("用法："), "`{command} {flag}`:\n{text}");
            assert!(text.contains("选项："), "`{command} {flag}`:\n{text}");
            for english in [
                "Usage:",
                "Options:",
                "Arguments:",
                "Commands:",
                "[default:",
                "Print help",
            ] {
                assert!(!text.contains(english), "`{command} {flag}`: {english:?} in\n{text}");
            }
        }
    }
}

#[test]
fn the_lang_flag_chooses_chinese_help_and_wraps_it_by_character() {
    let text = help(&["drill".to_string()], "--help", &[("LANG", "C")]);
    assert!(text.starts_with("Run a drill script"), "{text}");
    let out = tripoint_env(&["--lang", "zh-CN", "drill", "--help"], &[]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("无界面运行演练脚本，并写出演练评估报告\n"), "{text}");
    assert!(text.contains("用法：tripoint drill [选项] <演练脚本>"), "{text}");
    // Not a terminal: wrapped to 100 columns, each help's lines under its first.
    let lines: Vec<&str> = text.lines().collect();
    let db = lines
        .iter()
        .position(|l| l.trim_start().starts_with("--db"))
        .expect("--db");
    assert!(lines[db + 1].starts_with("          将演练记录到此数据库"), "{text}");
    assert!(
        lines[db + 2].starts_with("          ") && !lines[db + 2].trim().is_empty(),
        "{text}"
    );
    for line in &lines {
        assert!(tripoint_tui::i18n::width(line) <= 100, "{line:?}");
    }
}

#[test]
fn english_help_is_unchanged() {
    let no_lang: &[(&str, &str)] = &[];
    insta::assert_snapshot!("english_program_help", help(&[], "--help", no_lang));
    insta::assert_snapshot!("english_drill_help", help(&["drill".to_string()], "--help", no_lang));
    let locate = ["plan".to_string(), "locate".to_string()];
    insta::assert_snapshot!("english_plan_locate_long_help", help(&locate, "--help", no_lang));
}

#[test]
fn a_bad_lang_value_is_refused_in_chinese() {
    let out = tripoint_env(&["check", "--lang", "fr"], &[("LANG", "zh_CN.UTF-8")]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("参数 --lang <zh-CN|en> 的取值“fr”无效：“fr”：应为 zh-CN 或 en"),
        "{stderr}"
    );
    let out = tripoint_env(&["check", "--lang", "fr"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("\"fr\": expected zh-CN or en"), "{stderr}");
}

const EDITS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/plan-edits/two-incidents.toml"
);

#[test]
fn the_plan_edits_table_is_chinese() {
    let out = tripoint_env(
        &["drill", "two-incidents", "--plan-edits", EDITS],
        &[("LANG", "zh_CN.UTF-8")],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let table = &stdout[stdout.find("方案调整文件").expect("the table's heading")..];
    let phrases = english_phrases(table);
    assert!(phrases.is_empty(), "English {phrases:?} in\n{table}");
    for expected in [
        "第 5 行",
        "被拒绝：",
        "已执行：",
        "批准现行版本",
        "每 30 min 采样一次",
        "请求支援",
    ] {
        assert!(table.contains(expected), "no {expected:?} in\n{table}");
    }
    assert_eq!(table.lines().count(), 8, "{table}");
}
