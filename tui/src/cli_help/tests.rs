//! The Chinese help covers the whole command: every command and every argument a person
//! can see has its text in `zh-CN/help.ftl`, and every text there belongs to one; no
//! English sentence is left; the lines fit the width.

use super::*;
use std::collections::{BTreeMap, BTreeSet};

/// Every command of the tree with its path of subcommand names, the program first, and
/// the message ids of its arguments (clap's own `help` subcommand, which clap makes, left
/// out).
fn commands(
    command: &Command,
    path: &[String],
    inherited: &BTreeMap<String, String>,
    out: &mut Vec<(Vec<String>, Command, BTreeMap<String, String>)>,
) {
    let keys = arg_keys(command, path, inherited);
    let globals: BTreeMap<String, String> = command
        .get_arguments()
        .filter(|a| a.is_global_set())
        .map(|a| (a.get_id().to_string(), keys[a.get_id().as_str()].clone()))
        .collect();
    out.push((path.to_vec(), command.clone(), keys));
    for sub in command
        .get_subcommands()
        .filter(|c| !c.is_hide_set() && c.get_name() != "help")
    {
        let mut sub_path = path.to_vec();
        sub_path.push(sub.get_name().to_string());
        commands(sub, &sub_path, &globals, out);
    }
}

fn english_tree() -> Vec<(Vec<String>, Command, BTreeMap<String, String>)> {
    let mut command = Cli::command();
    command.build();
    let mut out = Vec::new();
    commands(&command, &[], &BTreeMap::new(), &mut out);
    out
}

/// The arguments clap adds to every command, whose texts are `cli.ftl`'s.
fn clap_own(arg: &Arg) -> bool {
    ["help", "version"].contains(&arg.get_id().as_str())
}

#[test]
fn every_command_and_argument_has_its_chinese_help() {
    let mut missing = Vec::new();
    let mut n_texts = 0;
    let mut seen = BTreeSet::new();
    for (path, command, keys) in english_tree() {
        let key = command_key(&path);
        n_texts += 1;
        if !Lang::ZhCn.has(&key) {
            missing.push(format!("{key} (the command `{}`)", path.join(" ")));
        }
        for arg in command.get_arguments().filter(|a| !a.is_hide_set() && !clap_own(a)) {
            // A global argument is translated once, where it is declared.
            let key = keys[arg.get_id().as_str()].clone();
            if !seen.insert(key.clone()) {
                continue;
            }
            n_texts += 1;
            if !Lang::ZhCn.has(&key) {
                missing.push(format!("{key} (`{}` {arg})", path.join(" ")));
                continue;
            }
            for value in arg.get_possible_values().iter().filter(|v| v.get_help().is_some()) {
                let attribute = value_attribute(value.get_name());
                if Lang::ZhCn.attribute(&key, &attribute).is_none() {
                    missing.push(format!("{key}.{attribute}"));
                }
            }
            if arg.get_long_help().is_some() && Lang::ZhCn.attribute(&key, "long").is_none() {
                missing.push(format!("{key}.long"));
            }
        }
    }
    assert!(n_texts > 200, "the walk found only {n_texts} texts");
    assert!(missing.is_empty(), "no Chinese help for:\n{}", missing.join("\n"));
}

#[test]
fn every_chinese_help_belongs_to_a_command_or_argument() {
    let mut known = BTreeSet::new();
    for (path, _, keys) in english_tree() {
        known.insert(command_key(&path));
        known.extend(keys.into_values());
    }
    known.extend(value_names().iter().map(|name| value_name_key(name)));
    let (_, help) = Lang::ZhCn
        .files()
        .iter()
        .find(|(name, _)| *name == "help.ftl")
        .expect("zh-CN/help.ftl");
    let mut orphans = Vec::new();
    let mut n_messages = 0;
    // A message starts at the beginning of a line (`id = …`); attributes and continued
    // lines are indented.
    for line in help
        .lines()
        .filter(|l| !l.starts_with(['#', ' ']) && !l.trim().is_empty())
    {
        let id = line.split_once(" =").map_or(line, |(id, _)| id).trim();
        n_messages += 1;
        if !known.contains(id) {
            orphans.push(id.to_string());
        }
    }
    assert!(n_messages > 200, "help.ftl has only {n_messages} messages");
    assert!(
        orphans.is_empty(),
        "help.ftl messages of no command or argument: {orphans:?}"
    );
}

/// Every text of the Chinese command, as clap would write it: each command's and
/// argument's, with the names of the possible values.
fn chinese_texts(command: &Command, out: &mut Vec<String>) {
    out.extend(command.get_about().map(ToString::to_string));
    out.extend(command.get_long_about().map(ToString::to_string));
    for arg in command.get_arguments().filter(|a| !a.is_hide_set()) {
        out.extend(arg.get_help().map(ToString::to_string));
        out.extend(arg.get_long_help().map(ToString::to_string));
    }
    for sub in command.get_subcommands() {
        chinese_texts(sub, out);
    }
}

#[test]
fn chinese_texts_hold_no_english_sentence() {
    let mut texts = Vec::new();
    chinese_texts(&command_for_width(Lang::ZhCn, HELP_WIDTH_MAX), &mut texts);
    assert!(texts.len() > 200, "only {} texts", texts.len());
    let mut english = Vec::new();
    for text in &texts {
        let phrases = i18n::english_phrases(&without_typed(text));
        if !phrases.is_empty() {
            english.push(format!("{phrases:?} in {text:?}"));
        }
    }
    assert!(
        english.is_empty(),
        "English in the Chinese help:\n{}",
        english.join("\n")
    );
}

#[test]
fn chinese_lines_fit_the_width() {
    for width in [60, 80, HELP_WIDTH_MAX] {
        let mut command = command_for_width(Lang::ZhCn, width);
        for (path, _, _) in english_tree() {
            let mut sub = &mut command;
            for name in &path {
                sub = sub.find_subcommand_mut(name).expect("the same tree");
            }
            for help in [sub.render_help(), sub.render_long_help()] {
                for line in help.to_string().lines() {
                    // A word (an id, a path, a long flag's name) longer than the line is
                    // left whole; Chinese always fits.
                    let chinese = line.chars().any(|c| i18n::width(&c.to_string()) > 1);
                    // An option's name and value name alone on their line, its help below.
                    let name_alone = line.trim_start().starts_with(['-', '<', '[']) && !line.trim().contains("  ");
                    if chinese && !line.contains("用法") && !name_alone {
                        assert!(
                            i18n::width(line) <= width,
                            "`{}` at {width} columns: {line:?} is {} wide",
                            path.join(" "),
                            i18n::width(line)
                        );
                    }
                }
            }
        }
    }
}

/// Every value name the help shows (`<FILE>`, `<HH:MM=REGIME>`, a positional's
/// `[SCENARIO]`), with the message ids of the English tree.
fn value_names() -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for (_, command, _) in english_tree() {
        for arg in command.get_arguments().filter(|a| !a.is_hide_set() && !clap_own(a)) {
            if arg.get_action().takes_values() {
                for name in arg.get_value_names().unwrap_or_default() {
                    names.insert(name.to_string());
                }
            }
        }
    }
    names
}

#[test]
fn every_value_name_has_its_chinese_and_english_keeps_its_own() {
    let names = value_names();
    assert!(names.len() > 30, "only {} value names", names.len());
    let missing: Vec<String> = names
        .iter()
        .filter(|name| !Lang::ZhCn.has(&value_name_key(name)))
        .map(|name| format!("{} = <{name}>", value_name_key(name)))
        .collect();
    assert!(missing.is_empty(), "no Chinese value name for:\n{}", missing.join("\n"));
    // A placeholder (capitals) is said in Chinese; what is typed as it is (`zh-CN|en`,
    // `1|2`, `county|unified`, `HH:MM`) stays.
    for name in &names {
        let chinese = Lang::ZhCn.t(&value_name_key(name));
        let placeholder = name
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .any(|word| word.chars().any(|c| c.is_ascii_uppercase()) && !["HH", "MM", "CN"].contains(&word));
        assert_eq!(placeholder, chinese != *name, "<{name}> is said <{chinese}>");
    }
    // The help shows them: the usage line and the argument's line.
    let mut command = command_for_width(Lang::ZhCn, HELP_WIDTH_MAX);
    let identify = command
        .find_subcommand_mut("identify")
        .expect("identify")
        .render_help()
        .to_string();
    for shown in ["--results <文件.csv>", "--report <目录>", "[情景文件]"] {
        assert!(identify.contains(shown), "no {shown} in\n{identify}");
    }
    let mut english = Cli::command();
    let english = english
        .find_subcommand_mut("identify")
        .expect("identify")
        .render_help()
        .to_string();
    assert!(english.contains("--report <DIR>"), "{english}");
}

/// Every argument a person can see says what it is in English too (its doc comment):
/// clap shows a bare `<RUN>` otherwise, as `db query`'s positionals were.
#[test]
fn every_argument_has_its_english_help() {
    let mut bare = Vec::new();
    for (path, command, _) in english_tree() {
        for arg in command.get_arguments().filter(|a| !a.is_hide_set() && !clap_own(a)) {
            if arg.get_help().is_none_or(|h| h.to_string().trim().is_empty()) {
                bare.push(format!("`{}` {arg}", path.join(" ")));
            }
        }
    }
    assert!(bare.is_empty(), "no English help for:\n{}", bare.join("\n"));
}
