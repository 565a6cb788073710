//! The message files: both languages have every message, with the same arguments; every
//! message the code asks for exists; the environment picks the language in POSIX order.

use super::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Message id → the `$arguments` it uses, read from one Fluent file's text.
fn messages(text: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if !line.starts_with(' ')
            && let Some((id, _)) = line.split_once(" =")
        {
            current = Some(id.trim().to_string());
            out.entry(id.trim().to_string()).or_default();
        }
        let Some(id) = &current else { continue };
        let mut rest = line;
        while let Some(at) = rest.find('$') {
            let name: String = rest[at + 1..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            out.get_mut(id).expect("entry").insert(name);
            rest = &rest[at + 1..];
        }
    }
    out
}

/// The messages of every file but `help.ftl`, which only Chinese fills: the English help
/// is clap's own, from the doc comments, and `cli_help`'s tests check the Chinese against
/// the command itself.
fn all_messages(lang: Lang) -> BTreeMap<String, BTreeSet<String>> {
    lang.files()
        .iter()
        .filter(|(name, _)| *name != "help.ftl")
        .flat_map(|(_, text)| messages(text))
        .collect()
}

#[test]
fn every_file_parses_without_errors() {
    for lang in Lang::ALL {
        for (name, text) in lang.files() {
            if let Err((_, errors)) = FluentResource::try_new(text.to_string()) {
                panic!("{}/{name}: {errors:?}", lang.tag());
            }
        }
    }
}

#[test]
fn every_message_exists_in_both_languages_with_the_same_arguments() {
    let en = all_messages(Lang::En);
    let zh = all_messages(Lang::ZhCn);
    let only_en: Vec<_> = en.keys().filter(|k| !zh.contains_key(*k)).collect();
    let only_zh: Vec<_> = zh.keys().filter(|k| !en.contains_key(*k)).collect();
    assert!(only_en.is_empty(), "messages missing in zh-CN: {only_en:?}");
    assert!(only_zh.is_empty(), "messages missing in en: {only_zh:?}");
    for (id, arguments) in &en {
        assert_eq!(arguments, &zh[id], "{id}: the two languages use different arguments");
    }
    // The parser of this test agrees with Fluent's: every id it read is a message.
    for lang in Lang::ALL {
        for id in en.keys() {
            assert!(lang.has(id), "{}: {id} not found by Fluent", lang.tag());
        }
    }
}

/// The string literals passed to `.t(` and `.t_args(` in a source file.
fn keys_used(source: &str) -> Vec<String> {
    let mut keys = Vec::new();
    for call in [".t(", ".t_args("] {
        let mut rest = source;
        while let Some(at) = rest.find(call) {
            rest = &rest[at + call.len()..];
            let literal = rest.trim_start();
            if let Some(literal) = literal.strip_prefix('"') {
                keys.push(literal.split('"').next().unwrap_or_default().to_string());
            }
        }
    }
    keys
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("source folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// String literals shaped like message ids (`status-paused`): the keys chosen in a `match`
/// before the lookup, which the call scan cannot see.
fn id_literals(source: &str) -> Vec<String> {
    source
        .split('"')
        .skip(1)
        .step_by(2)
        .filter(|text| {
            text.contains('-')
                && text.split('-').all(|part| {
                    !part.is_empty()
                        && part
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                })
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn every_message_the_code_asks_for_exists() {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tui/src"), &mut files);
    let mut missing = Vec::new();
    let mut n_keys = 0;
    let chinese_help = messages(
        ZH_CN_FILES
            .iter()
            .find(|(name, _)| *name == "help.ftl")
            .expect("help.ftl")
            .1,
    );
    // This file's own examples of ids are not lookups.
    for file in files.iter().filter(|f| !f.ends_with("i18n/tests.rs")) {
        let source = std::fs::read_to_string(file).expect("source file");
        // A literal shaped like an id whose first word begins message ids (`status-…`,
        // `role-…`) is taken for one.
        let prefixes: BTreeSet<String> = all_messages(Lang::En)
            .keys()
            .filter_map(|k| k.split('-').next().map(str::to_string))
            .collect();
        let looks_up = !keys_used(&source).is_empty();
        let literals = id_literals(&source)
            .into_iter()
            .filter(|_| looks_up)
            .filter(|l| prefixes.contains(l.split('-').next().unwrap_or_default()));
        for key in keys_used(&source).into_iter().chain(literals) {
            n_keys += 1;
            for lang in Lang::ALL {
                // help.ftl's messages are Chinese only: the English help is clap's own.
                if lang == Lang::En && chinese_help.contains_key(&key) {
                    continue;
                }
                if !lang.has(&key) {
                    missing.push(format!("{}: {key} ({})", file.display(), lang.tag()));
                }
            }
        }
    }
    assert!(n_keys > 100, "the scan found only {n_keys} lookups");
    assert!(
        missing.is_empty(),
        "messages the code uses but the files lack:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_key_binding_has_its_help_and_footer_word() {
    use crate::console::action::{BINDINGS, Shown};
    for lang in Lang::ALL {
        for b in BINDINGS {
            assert!(lang.has(b.message), "{}: {}", lang.tag(), b.message);
            if b.shown != Shown::Help {
                let short = format!("{}-short", b.message);
                assert!(lang.has(&short), "{}: {short}", lang.tag());
            }
        }
    }
}

#[test]
fn a_missing_message_shows_its_key() {
    assert_eq!(Lang::ZhCn.t("no-such-message"), "no-such-message");
    // A missing argument is visible, not a panic.
    assert!(Lang::En.t("status-chart").contains("point"));
}

#[test]
fn arguments_are_placed_without_isolation_marks() {
    let text = Lang::ZhCn.t_args("status-chart", &[("point", "jinze_intake".into())]);
    assert_eq!(text, "曲线：jinze_intake");
    assert_eq!(width(&text), 3 * 2 + 12);
}

#[test]
fn the_environment_chooses_the_language_in_posix_order() {
    assert_eq!(Lang::from_env_values(None, None, None), Lang::En);
    assert_eq!(Lang::from_env_values(None, None, Some("zh_CN.UTF-8")), Lang::ZhCn);
    assert_eq!(
        Lang::from_env_values(None, Some("zh_CN.UTF-8"), Some("en_US.UTF-8")),
        Lang::ZhCn
    );
    assert_eq!(Lang::from_env_values(Some("C"), None, Some("zh_CN.UTF-8")), Lang::En);
    assert_eq!(Lang::from_env_values(Some(""), None, Some("zh_TW.UTF-8")), Lang::ZhCn);
    assert_eq!(
        Lang::from_env_values(Some("en_GB.UTF-8"), Some("zh_CN"), None),
        Lang::En
    );
}

#[test]
fn lang_flag_values_are_read() {
    assert_eq!(Lang::parse("zh-CN"), Some(Lang::ZhCn));
    assert_eq!(Lang::parse("zh_CN"), Some(Lang::ZhCn));
    assert_eq!(Lang::parse("en"), Some(Lang::En));
    assert_eq!(Lang::parse("fr"), None);
}

#[test]
fn widths_count_chinese_characters_as_two_columns() {
    assert_eq!(width("取水口"), 6);
    assert_eq!(pad_left("取水口", 8), "  取水口");
    assert_eq!(pad_right("ab", 4), "ab  ");
    assert_eq!(truncate("金泽水库取水口", 7), "金泽水");
    assert_eq!(truncate("abc", 7), "abc");
}

#[test]
fn english_phrases_are_found_and_ids_units_and_numbers_are_not() {
    assert_eq!(
        english_phrases("金泽水库取水口：0.0123 mg/L，D1 06:00，HJ 589"),
        Vec::<String>::new()
    );
    assert_eq!(
        english_phrases("wujiang_antimony-down-1km 超标 2.5 倍（II 级）"),
        Vec::<String>::new()
    );
    assert_eq!(
        english_phrases("- Intake 金泽: no conclusive result yet."),
        vec!["no conclusive result yet"]
    );
    assert_eq!(
        english_phrases("方案 — Two simultaneous incidents"),
        vec!["Two simultaneous incidents"]
    );
}

/// The evaluation's sentences, the timeline's events and the HJ 589 checklist's findings
/// are message ids in the simulation library (`drill::text::Text`): every id it names
/// exists in both languages.
#[test]
fn every_message_the_simulation_library_names_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sim/src");
    let prefixes = [
        "ev", "ref", "rel", "task", "timing", "verdict", "cause", "fix", "tl", "hj589", "sc", "perm",
    ];
    let mut n_ids = 0;
    let mut missing = Vec::new();
    for file in [
        "drill/evaluate.rs",
        "drill/causes.rs",
        "drill/engine.rs",
        "drill/mod.rs",
        "drill/permissions.rs",
        "response/edit.rs",
        "response/mod.rs",
        "plan/checklist.rs",
        "scenario/validate.rs",
        "scenario/mod.rs",
    ] {
        let source = std::fs::read_to_string(root.join(file)).expect("source file");
        for id in id_literals(&source)
            .into_iter()
            .filter(|l| prefixes.contains(&l.split('-').next().unwrap_or_default()))
        {
            n_ids += 1;
            for lang in Lang::ALL {
                if !lang.has(&id) {
                    missing.push(format!("{file}: {id} ({})", lang.tag()));
                }
            }
        }
    }
    assert!(n_ids > 150, "the scan found only {n_ids} message ids");
    assert!(
        missing.is_empty(),
        "messages the simulation library names but the files lack:\n{}",
        missing.join("\n")
    );
}

/// The points a monitoring plan generates are named by their role in Chinese, as the plan
/// document names them; in English, and for ids of no such pattern, the id.
#[test]
fn generated_plan_points_are_named_by_their_role() {
    let s = tripoint_sim::scenario::Scenario::builtin();
    let zh = |id: &str| scenario_name(Lang::ZhCn, &s, id);
    assert_eq!(zh("wujiang_antimony-site"), "事发点");
    assert_eq!(zh("wujiang_antimony-control"), "事发点上游对照断面");
    assert_eq!(zh("wujiang_antimony-down-5km"), "事发点下游 5 km 断面");
    let outlet = s
        .reaches
        .iter()
        .find(|r| matches!(s.nodes[r.from].kind, tripoint_sim::scenario::NodeKind::Lake { .. }))
        .expect("a reach out of a lake");
    let named = zh(&format!("x-outlet-{}", outlet.id));
    assert!(named.contains("出湖口") && !named.contains('_'), "{named}");
    assert_eq!(zh("wujiang_antimony-down-fivekm"), "wujiang_antimony-down-fivekm");
    assert_eq!(zh("wujiang_antimony-somewhere"), "wujiang_antimony-somewhere");
    assert_eq!(
        scenario_name(Lang::En, &s, "wujiang_antimony-site"),
        "wujiang_antimony-site"
    );
}

/// With two incidents at once a generated point's name says whose it is, as its id does,
/// except in its own plan's list (`plan_point_name`), which names the incident already.
#[test]
fn generated_points_of_two_incidents_name_their_incident() {
    let s = tripoint_sim::scenario::Scenario::builtin_named("two-incidents.toml").expect("built in");
    assert!(s.incidents.len() > 1);
    assert_eq!(
        scenario_name(Lang::ZhCn, &s, "wujiang_antimony-down-5km"),
        "黎里印染二厂锑泄漏·事发点下游 5 km 断面"
    );
    assert_eq!(
        scenario_name(Lang::ZhCn, &s, "jiashan_aniline_tanker-site"),
        "汾玉大桥苯胺槽罐车泄漏·事发点"
    );
    assert_eq!(
        plan_point_name(Lang::ZhCn, &s, "wujiang_antimony-down-5km"),
        "事发点下游 5 km 断面"
    );
    assert_eq!(
        plan_point_name(Lang::ZhCn, &s, "border_jinze"),
        scenario_name(Lang::ZhCn, &s, "border_jinze")
    );
    assert_eq!(
        plan_point_name(Lang::En, &s, "wujiang_antimony-site"),
        "wujiang_antimony-site"
    );
    // A generated id whose incident the scenario lacks is named by its role alone.
    assert_eq!(scenario_name(Lang::ZhCn, &s, "nobody-site"), "事发点");
    // An incident's id may hold a hyphen.
    let mut s = s;
    s.incidents[0].id = "wujiang-antimony".into();
    assert_eq!(
        scenario_name(Lang::ZhCn, &s, "wujiang-antimony-down-5km"),
        "黎里印染二厂锑泄漏·事发点下游 5 km 断面"
    );
    assert_eq!(plan_point_name(Lang::ZhCn, &s, "wujiang-antimony-site"), "事发点");
}

/// Chinese breaks between characters, English between words; closing punctuation stays
/// with what it closes, and no line is wider than asked.
#[test]
fn wrapping_breaks_chinese_between_characters_and_english_between_words() {
    // The console's "next sample" advice at 51 columns: ratatui's word wrapper broke it
    // after "100%" and left most of the line empty, since the Chinese after it has no space.
    let advice = "建议下一采样：太浦河苏浙交界断面(陶庄)，D1 12:00（100% 的抽样可检出），以缩小金泽水库取水口到达时间的不确定性。";
    let lines = wrap(advice, 51);
    assert_eq!(
        lines,
        [
            "建议下一采样：太浦河苏浙交界断面(陶庄)，D1 12:00",
            "（100% 的抽样可检出），以缩小金泽水库取水口到达时间",
            "的不确定性。",
        ]
    );
    for line in &lines {
        assert!(width(line) <= 51, "{line:?}");
    }
    // No line ends with opening punctuation: "（" went with "100%" above. No line starts
    // with closing punctuation: "，" goes with the character before it.
    let lines = wrap("金泽水库取水口，以缩小", 14);
    assert_eq!(lines, ["金泽水库取水", "口，以缩小"]);
    assert_eq!(
        wrap("Next sample: jinze_border at D1 12:00", 20),
        ["Next sample:", "jinze_border at D1", "12:00"]
    );
    assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
    assert_eq!(wrap("one\ntwo", 40), ["one", "two"]);
    assert_eq!(wrap("", 10), [""]);
}

/// A place typed in a form that the scenario does not have: the `tl-place-` messages say
/// in English what `LocationError`'s `Display` says (the library's own English, which the
/// English console and server show), and in Chinese hold no English sentence.
#[test]
fn unknown_places_are_said_in_both_languages() {
    let s = tripoint_sim::scenario::Scenario::builtin();
    let typed = [
        "nowhere#2",
        "pingwang#1",
        "fenhu#x",
        "nowhere@100",
        "taipu_wujiang_1@ten",
        "taipu_wujiang_1@99999999",
        "taipu_wujiang_1",
        "nowhere",
    ];
    let mut ids = BTreeSet::new();
    for text in typed {
        let error = s.parse_location(text).expect_err(text);
        let said = error.text();
        ids.insert(said.id);
        assert_eq!(crate::messages::text(Lang::En, &said), error.to_string(), "{text}");
        let zh = crate::messages::text(Lang::ZhCn, &said);
        assert!(english_phrases(&zh).is_empty(), "{text}: {zh}");
        assert!(!zh.contains("tl-place"), "{text}: {zh}");
    }
    assert_eq!(ids.len(), typed.len(), "every kind of problem once: {ids:?}");
}

/// A text table lines up by display columns: a heading wider than its cells (后验概率,
/// eight columns over "0.123"), a Chinese name longer than the others, and a right-aligned
/// number column all start each column at the same display column on every line.
#[test]
fn text_tables_line_up_by_display_width() {
    let mut table = TextTable::new(
        2,
        vec![
            ("点位".to_string(), Align::Left),
            ("后验概率".to_string(), Align::Right),
            ("污染物".to_string(), Align::Left),
        ],
    );
    table.row(vec!["太浦河苏浙交界断面(陶庄)".into(), "1.000".into(), "石油类".into()]);
    table.row(vec!["练塘".into(), "0.123".into(), "antimony".into()]);
    table.row(vec!["x".into()]);
    let text = table.render();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    // Where each column's text ends or starts, in display columns.
    let column_of = |line: &str, cell: &str| width(&line[..line.find(cell).expect(cell)]);
    let p_end: Vec<usize> = [("后验概率", 0), ("1.000", 1), ("0.123", 2)]
        .iter()
        .map(|(cell, i)| column_of(lines[*i], cell) + width(cell))
        .collect();
    assert!(p_end.iter().all(|&e| e == p_end[0]), "{p_end:?}\n{text}");
    let pollutant_start: Vec<usize> = [("污染物", 0), ("石油类", 1), ("antimony", 2)]
        .iter()
        .map(|(cell, i)| column_of(lines[*i], cell))
        .collect();
    assert!(
        pollutant_start.iter().all(|&s| s == pollutant_start[0]),
        "{pollutant_start:?}\n{text}"
    );
    assert_eq!(pollutant_start[0], 2 + 24 + 2 + 8 + 2, "{text}");
    assert!(
        text.lines().all(|l| l.starts_with("  ") && !l.ends_with(' ')),
        "{text:?}"
    );
    assert_eq!(lines[3], "  x", "missing cells are blank and trailing spaces cut");
}
