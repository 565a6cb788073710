//! `tripoint run --plans DIR`, run as a user would: with `--lang zh-CN`, or a Chinese
//! locale and no flag, the plan documents are 应急监测方案 with no English phrase and the
//! field teams' schedules have Chinese headers; the JSON is data, the same in both; with
//! `--lang en` the files are the English ones, whatever the locale says.

mod support;

use std::path::PathBuf;
use support::{read, tripoint_ok};
use tripoint_tui::i18n::english_phrases;

/// Runs `tripoint run --hours 12 --plans DIR` with extra arguments and environment.
fn plans(name: &str, args: &[&str], env: &[(&str, &str)]) -> PathBuf {
    let dir = support::scratch_path(&format!("plans-zh-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    let mut all = vec!["run", "--hours", "12", "--plans", dir.to_str().unwrap()];
    all.extend(args);
    tripoint_ok(&all, env);
    dir
}

#[test]
fn plans_are_written_in_chinese_by_flag_or_locale_and_in_english_otherwise() {
    let flag = plans("flag", &["--lang", "zh-CN"], &[]);
    let locale = plans("locale", &[], &[("LANG", "zh_CN.UTF-8")]);
    let english = plans("en", &["--lang", "en"], &[("LANG", "zh_CN.UTF-8")]);
    for incident in ["wujiang_antimony", "jiashan_aniline_tanker"] {
        let md = read(&flag, &format!("plan-{incident}.md"));
        assert!(md.starts_with("# ") && md.contains("应急监测方案"), "{md}");
        for term in [
            "监测断面（点位）布设",
            "评价标准",
            "GB 3838-2002",
            "质量保证和质量控制",
            "快报",
        ] {
            assert!(md.contains(term), "{term} missing in\n{md}");
        }
        let found = english_phrases(&md);
        assert!(found.is_empty(), "untranslated: {found:?}\n{md}");
        let csv = read(&flag, &format!("plan-{incident}.csv"));
        assert!(csv.starts_with("计划时间_秒,计划时间,样品类型,点位编号,"), "{csv}");
        // The locale chooses the same files as the flag; the JSON is the same in both.
        for file in [
            format!("plan-{incident}.md"),
            format!("plan-{incident}.csv"),
            format!("plan-{incident}-r1.md"),
        ] {
            assert_eq!(read(&flag, &file), read(&locale, &file), "{file}");
        }
        let json = format!("plan-{incident}.json");
        assert_eq!(read(&flag, &json), read(&english, &json));
        // English, whatever the locale says, when the flag asks for it.
        let md = read(&english, &format!("plan-{incident}.md"));
        assert!(md.starts_with("# Unified emergency-monitoring plan"), "{md}");
        assert!(read(&english, &format!("plan-{incident}.csv")).starts_with("due_s,due,kind,point,"));
    }
    for dir in [flag, locale, english] {
        let _ = std::fs::remove_dir_all(dir);
    }
}
