//! The command line in the session's language: `--help` of every command, and the command
//! that parses the arguments.
//!
//! English is clap's own, written from the doc comments of `cli.rs` and the commands'
//! argument structs: they are the one source of the English text, and the English help
//! is what clap writes from them. In Chinese the same command is walked before clap
//! builds it: each command's and argument's text is replaced with its message in
//! `zh-CN/help.ftl` (ids by the command's path and the argument's id,
//! `help-drill--plan_edits`), and what clap writes in English of its own (the headings,
//! `[default: …]`, the possible values, the help and version flags' lines, `[OPTIONS]` in
//! the usage line) with `cli.ftl`'s `help-` messages. clap counts a Chinese character as
//! one column and breaks lines only at spaces, so the Chinese texts are wrapped here
//! (`i18n::wrap`) to the columns clap leaves them.

use crate::cli::Cli;
use crate::i18n::{self, Lang};
use clap::builder::PossibleValue;
use clap::{Arg, ArgAction, Command, CommandFactory, FromArgMatches};
use std::collections::BTreeMap;
use std::ffi::OsString;

/// The widest the Chinese help is wrapped to [columns]: clap's own width when it cannot
/// ask the terminal, and the most its layout rules assume.
pub const HELP_WIDTH_MAX: usize = 100;

/// Where clap starts an argument's help written on a line of its own [columns].
const NEXT_LINE_COLUMN: usize = 10;

/// The columns between an argument's or subcommand's name and its help on the same line,
/// and before the name [columns] (clap's two tabs of two spaces).
const SAME_LINE_PADDING: usize = 4;

/// The message id of a command's help: `help-` and the path of subcommand names from the
/// program (`help-db-query-experts`); the program itself is `help-tripoint`.
pub fn command_key(path: &[String]) -> String {
    if path.is_empty() {
        "help-tripoint".to_string()
    } else {
        format!("help-{}", path.join("-"))
    }
}

/// The message id of an argument's help: its command's and the argument's id
/// (`help-drill--plan_edits`).
pub fn arg_key(path: &[String], arg_id: &str) -> String {
    format!("{}--{arg_id}", command_key(path))
}

/// The message id of a value name's Chinese (`<FILE>` → `help-valname-FILE`,
/// `<HH:MM=REGIME>` → `help-valname-HH-MM-REGIME`): the name with every character other
/// than an ASCII letter, digit or `_` as `-`.
pub fn value_name_key(name: &str) -> String {
    let slug: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '-' })
        .collect();
    format!("help-valname-{slug}")
}

/// `command` (not built) with the value names of its arguments and of its subcommands'
/// in Chinese (`<FILE>` → `<文件>`), from `help.ftl`; a name without a message is left
/// (the tests name every one). Done before the command is built, so that clap lays the
/// help out by the names it shows.
fn chinese_value_names(command: Command) -> Command {
    command
        .mut_args(|arg| {
            let names: Vec<String> = arg
                .get_value_names()
                .unwrap_or_default()
                .iter()
                .map(ToString::to_string)
                .collect();
            if names.is_empty() {
                return arg;
            }
            let chinese: Vec<String> = names
                .iter()
                .map(|name| zh(&value_name_key(name)).unwrap_or_else(|| name.clone()))
                .collect();
            arg.value_names(chinese)
        })
        .mut_subcommands(chinese_value_names)
}

/// The attribute of an argument's message that holds a possible value's help
/// (`.value-median`).
pub fn value_attribute(value: &str) -> String {
    format!("value-{value}")
}

/// The program's command in `lang`, wrapped to the terminal's width.
pub fn command(lang: Lang) -> Command {
    command_for_width(lang, terminal_width())
}

/// The program's command in `lang`, its Chinese texts wrapped to `width` columns (at most
/// [`HELP_WIDTH_MAX`]); in English clap's own.
pub fn command_for_width(lang: Lang, width: usize) -> Command {
    let command = Cli::command();
    match lang {
        Lang::En => command,
        Lang::ZhCn => {
            let command = chinese_value_names(command);
            let width = width.clamp(NEXT_LINE_COLUMN + 20, HELP_WIDTH_MAX);
            // The built command says what clap adds when it builds: the global arguments
            // copied into every subcommand, the help and version flags, the `help`
            // subcommand. The texts are laid over the command before it is built (clap
            // indexes the arguments when it builds them).
            let mut built = command.clone();
            built.build();
            let mut command = translate(command, &built, &[], &BTreeMap::new(), width);
            command.build();
            finish(command, width)
        }
    }
}

/// The arguments read by the command in `lang`: what `Cli::try_parse_from` does, with the
/// translated command in Chinese.
pub fn parse_from(lang: Lang, args: Vec<OsString>) -> Result<Cli, clap::Error> {
    let mut command = command(lang);
    let mut matches = command.try_get_matches_from_mut(args)?;
    Cli::from_arg_matches_mut(&mut matches).map_err(|e| e.format(&mut command))
}

/// The terminal's width for text written on standard output (where clap writes help), or
/// [`HELP_WIDTH_MAX`] when that is not a terminal; at most that.
fn terminal_width() -> usize {
    use std::io::IsTerminal as _;
    let columns = if std::io::stdout().is_terminal() {
        crossterm::terminal::size().map_or(HELP_WIDTH_MAX, |(columns, _)| usize::from(columns))
    } else {
        HELP_WIDTH_MAX
    };
    columns.min(HELP_WIDTH_MAX)
}

/// The Chinese text of message `key`, `None` if `help.ftl` has none (the English stays;
/// the tests name every one missing).
fn zh(key: &str) -> Option<String> {
    Lang::ZhCn.has(key).then(|| Lang::ZhCn.t(key))
}

fn wrapped(text: &str, columns: usize) -> String {
    i18n::wrap(text, columns).join("\n")
}

/// A section's arguments as clap lays them out: each help on the line of its name, from
/// the column after the longest name, or (when the names take more than 40 % of the
/// width, clap's rule) each on a line of its own.
#[derive(Clone, Copy)]
struct Layout {
    /// The columns an argument's help may take.
    columns: usize,
    /// Whether each help has a line of its own.
    next_line: bool,
}

impl Layout {
    fn of(longest: usize, width: usize) -> Layout {
        let taken = longest + SAME_LINE_PADDING;
        if taken * 10 > width * 4 {
            Layout {
                columns: width - NEXT_LINE_COLUMN,
                next_line: true,
            }
        } else {
            Layout {
                columns: width - taken,
                next_line: false,
            }
        }
    }
}

/// The width of an argument's name as clap measures it for alignment: `-s, --long <V>`
/// or `<V>` (clap's `write_args`).
fn arg_name_width(arg: &Arg) -> usize {
    let width = i18n::width(&arg.to_string());
    if arg.get_long().is_some() { width + 4 } else { width }
}

/// The message ids of the arguments of `command` (at `path`): each its own, but a global
/// argument's is the one of the command that declares it (`inherited`, by argument id),
/// as clap copies it into every subcommand.
pub fn arg_keys(command: &Command, path: &[String], inherited: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    command
        .get_arguments()
        .map(|arg| {
            let id = arg.get_id().to_string();
            let key = match inherited.get(&id) {
                Some(key) if arg.is_global_set() => key.clone(),
                _ => arg_key(path, &id),
            };
            (id, key)
        })
        .collect()
}

/// The arguments' section of a command's help (positionals or the others) as clap lays
/// it out at `width`.
fn layout(built: &Command, positional: bool, width: usize) -> Layout {
    let longest = built
        .get_arguments()
        .filter(|a| !a.is_hide_set() && a.is_positional() == positional)
        .map(arg_name_width)
        .max()
        .unwrap_or(0)
        .max(2);
    Layout::of(longest, width)
}

/// The fewest columns an option's help has in `built` and every command under it: the
/// columns a global argument's help is wrapped to, as clap copies it into them all.
fn option_columns_min(built: &Command, width: usize) -> usize {
    built
        .get_subcommands()
        .map(|sub| option_columns_min(sub, width))
        .fold(layout(built, false, width).columns, usize::min)
}

/// The columns the subcommands' texts have in a command's list: after the longest name.
fn list_columns(built: &Command, width: usize) -> usize {
    let longest = built
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .map(|c| i18n::width(c.get_name()))
        .max()
        .unwrap_or(0)
        .max(2);
    width.saturating_sub(longest + SAME_LINE_PADDING).max(20)
}

/// `command` (not built) with its texts and those of its arguments and subcommands in
/// Chinese; `built` is the same command built.
fn translate(
    mut command: Command,
    built: &Command,
    path: &[String],
    inherited: &BTreeMap<String, String>,
    width: usize,
) -> Command {
    let key = command_key(path);
    if let Some(about) = zh(&key) {
        let long = built.get_long_about().is_some().then(|| {
            let long = Lang::ZhCn.attribute(&key, "long").unwrap_or_else(|| about.clone());
            wrapped(&long, width)
        });
        command = command.about(wrapped(&about, width));
        if let Some(long) = long {
            command = command.long_about(long);
        }
    }
    let positionals = layout(built, true, width);
    let options = layout(built, false, width);
    let keys = arg_keys(built, path, inherited);
    let globals: BTreeMap<String, String> = built
        .get_arguments()
        .filter(|a| a.is_global_set())
        .map(|a| (a.get_id().to_string(), keys[a.get_id().as_str()].clone()))
        .collect();
    let global_columns = option_columns_min(built, width);
    command = command.mut_args(|arg| {
        let Some(key) = keys.get(arg.get_id().as_str()) else {
            return arg;
        };
        let layout = match (arg.is_positional(), arg.is_global_set()) {
            (true, _) => positionals,
            // Copied into commands of other layouts: wrapped to the narrowest, and leaving
            // each command's layout to its own arguments.
            (false, true) => Layout {
                columns: global_columns,
                next_line: false,
            },
            (false, false) => options,
        };
        match built.get_arguments().find(|a| a.get_id() == arg.get_id()) {
            Some(built_arg) => translate_arg(arg, built_arg, key, layout, width),
            None => arg,
        }
    });
    command = clap_flags(command, built, options, width);
    let columns = list_columns(built, width);
    command = command.mut_subcommands(|sub| {
        let name = sub.get_name().to_string();
        let Some(built_sub) = built.find_subcommand(&name) else {
            return sub;
        };
        let mut sub_path = path.to_vec();
        sub_path.push(name);
        let about = zh(&command_key(&sub_path));
        let sub = translate(sub, built_sub, &sub_path, &globals, width);
        match about {
            // In the list of this command's subcommands, after their names.
            Some(about) => sub.about(wrapped(&about, columns)),
            None => sub,
        }
    });
    let template = template(built);
    command
        .help_template(template)
        .subcommand_value_name(Lang::ZhCn.t("help-value-command"))
        .subcommand_help_heading(Lang::ZhCn.t("help-heading-commands"))
}

/// clap's `-h/--help` (and `-V/--version` where clap adds it) replaced by the same flags
/// with Chinese texts: clap makes its own only when it builds the command.
fn clap_flags(mut command: Command, built: &Command, options: Layout, width: usize) -> Command {
    let columns = if options.next_line {
        width - NEXT_LINE_COLUMN
    } else {
        options.columns
    };
    if let Some(english) = built.get_arguments().find(|a| a.get_id() == "help") {
        let more = english.get_long_help().is_some();
        let short = Lang::ZhCn.t(if more { "help-flag-help-more" } else { "help-flag-help" });
        let mut help = Arg::new("help")
            .short('h')
            .long("help")
            .action(ArgAction::Help)
            .help(wrapped(&short, columns))
            .next_line_help(options.next_line);
        if more {
            help = help.long_help(wrapped(
                &Lang::ZhCn.t("help-flag-help-summary"),
                width - NEXT_LINE_COLUMN,
            ));
        }
        command = command.disable_help_flag(true).arg(help);
    }
    if built.get_arguments().any(|a| a.get_id() == "version") {
        let version = Arg::new("version")
            .short('V')
            .long("version")
            .action(ArgAction::Version)
            .help(wrapped(&Lang::ZhCn.t("help-flag-version"), columns))
            .next_line_help(options.next_line);
        command = command.disable_version_flag(true).arg(version);
    }
    command
}

/// The text of one argument: its message in `help.ftl`, then the default value and the possible values clap would have added in
/// English.
fn translate_arg(mut arg: Arg, built: &Arg, key: &str, layout: Layout, width: usize) -> Arg {
    let Some(text) = zh(key) else {
        return arg;
    };
    // What clap shows of values it knows once built (a flag takes none).
    let takes_values = built.get_action().takes_values();
    let values: Vec<PossibleValue> = if built.is_hide_possible_values_set() || !takes_values {
        Vec::new()
    } else {
        built
            .get_possible_values()
            .into_iter()
            .filter(|v| !v.is_hide_set())
            .collect()
    };
    let defaults: Vec<String> = if built.is_hide_default_value_set() || !takes_values {
        Vec::new()
    } else {
        built
            .get_default_values()
            .iter()
            .map(|v| v.to_string_lossy().into_owned())
            .collect()
    };
    let default = (!defaults.is_empty()).then(|| {
        Lang::ZhCn.t_args(
            "help-default",
            &[(
                "value",
                defaults.join(Lang::ZhCn.t("help-list-separator").as_str()).into(),
            )],
        )
    });
    let names: Vec<&str> = values.iter().map(PossibleValue::get_name).collect();
    let listed = (!names.is_empty()).then(|| {
        Lang::ZhCn.t_args(
            "help-possible-values",
            &[(
                "values",
                names.join(Lang::ZhCn.t("help-list-separator").as_str()).into(),
            )],
        )
    });
    // Short: the text, then `[默认：…] [可选值：…]` as clap puts them, each kept whole on
    // a line where it fits.
    let short_columns = if layout.next_line {
        width - NEXT_LINE_COLUMN
    } else {
        layout.columns
    };
    let mut lines = i18n::wrap(&text, short_columns);
    for piece in [default.clone(), listed].into_iter().flatten() {
        let last = lines.last().map_or(0, |l| i18n::width(l));
        match lines.last_mut() {
            Some(line) if last + 1 + i18n::width(&piece) <= short_columns => {
                line.push(' ');
                line.push_str(&piece);
            }
            _ => lines.extend(i18n::wrap(&piece, short_columns)),
        }
    }
    let short = lines.join("\n");
    let long_wanted = built.get_long_help().is_some() || values.iter().any(|v| v.get_help().is_some());
    // clap's own `[default: …]` and `[possible values: …]` are said in the text above.
    arg = arg
        .help(short)
        .hide_default_value(default.is_some())
        .hide_possible_values(!values.is_empty())
        .next_line_help(layout.next_line);
    if long_wanted {
        // Long: the text, each possible value with its help, then the default, as clap's
        // `--help` lays them out, every help on a line of its own.
        let long_text = Lang::ZhCn.attribute(key, "long").unwrap_or(text);
        let columns = width - NEXT_LINE_COLUMN;
        let mut long = wrapped(&long_text, columns);
        if values.iter().any(|v| v.get_help().is_some()) {
            long.push_str("\n\n");
            long.push_str(&Lang::ZhCn.t("help-possible-values-heading"));
            let name_width = names.iter().map(|n| i18n::width(n)).max().unwrap_or(0);
            for value in &values {
                let name = value.get_name();
                let help = Lang::ZhCn
                    .attribute(key, &value_attribute(name))
                    .or_else(|| value.get_help().map(ToString::to_string))
                    .unwrap_or_default();
                // As clap aligns them: `- median：  使…`.
                let lead = i18n::pad_right(&format!("- {name}："), name_width + 5);
                let lines = i18n::wrap(&help, columns.saturating_sub(i18n::width(&lead)).max(10));
                let indent = " ".repeat(i18n::width(&lead));
                for (i, line) in lines.iter().enumerate() {
                    long.push('\n');
                    long.push_str(if i == 0 { &lead } else { &indent });
                    long.push_str(line);
                }
            }
        }
        if let Some(default) = default {
            long.push_str("\n\n");
            long.push_str(&default);
        }
        arg = arg.long_help(long);
    }
    arg
}

/// The help's layout as clap's default template has it, with the headings in Chinese and
/// each section only where the command has something in it.
fn template(command: &Command) -> String {
    let styles = command.get_styles();
    let usage = styles.get_usage();
    let header = styles.get_header();
    let heading = |key: &str| format!("\n\n{header}{}{header:#}\n", Lang::ZhCn.t(key));
    let mut template = format!(
        "{{before-help}}{{about-with-newline}}\n{usage}{}{usage:#}{{usage}}",
        Lang::ZhCn.t("help-heading-usage")
    );
    if command.get_subcommands().any(|c| !c.is_hide_set()) {
        template.push_str(&heading("help-heading-commands"));
        template.push_str("{subcommands}");
    }
    let shown = |positional: bool| {
        command
            .get_arguments()
            .any(|a| !a.is_hide_set() && a.is_positional() == positional)
    };
    if shown(true) {
        template.push_str(&heading("help-heading-arguments"));
        template.push_str("{positionals}");
    }
    if shown(false) {
        template.push_str(&heading("help-heading-options"));
        template.push_str("{options}");
    }
    template.push_str("{after-help}");
    template
}

/// The built command's last Chinese words: every help's usage line with clap's
/// `[OPTIONS]` in Chinese (written into the help template: clap's own usage stays for
/// the usage errors, which `cli_error` says), and the text of the `help` subcommand clap
/// added. Neither touches an argument (clap has indexed them).
fn finish(mut command: Command, width: usize) -> Command {
    let usage = chinese_usage(&command.render_usage().to_string());
    let template = template(&command).replace("{usage}", &usage);
    let columns = list_columns(&command, width);
    let names: Vec<String> = command.get_subcommands().map(|c| c.get_name().to_string()).collect();
    let mut command = command.help_template(template);
    for name in names {
        command = command.mut_subcommand(&name, |sub| {
            if name == "help" {
                clap_help_subcommand(sub, columns, width)
            } else {
                finish(sub, width)
            }
        });
    }
    command
}

/// clap's usage line (`Usage: tripoint drill [OPTIONS] <SCRIPT>`) without its heading and
/// with its placeholders in Chinese (`tripoint drill [选项] <SCRIPT>`).
pub fn chinese_usage(usage: &str) -> String {
    let usage = usage.trim_start();
    let usage = usage.strip_prefix("Usage:").unwrap_or(usage).trim();
    usage
        .replace("[OPTIONS]", &Lang::ZhCn.t("help-value-options"))
        .replace("<COMMAND>", &format!("<{}>", Lang::ZhCn.t("help-value-command")))
        .replace("[COMMAND]", &format!("[{}]", Lang::ZhCn.t("help-value-command")))
}

/// The `help` subcommand clap adds (`tripoint help plan locate`): its text in the list
/// of commands (wrapped to `columns`), and its own help (`tripoint help help`), whose list
/// holds the commands it can show, itself too.
fn clap_help_subcommand(mut help: Command, columns: usize, width: usize) -> Command {
    let about = Lang::ZhCn.t("help-subcommand-help");
    let usage = chinese_usage(&help.render_usage().to_string());
    let has_help = help.find_subcommand("help").is_some();
    let inner_columns = list_columns(&help, width);
    let template = template(&help).replace("{usage}", &usage);
    let mut help = help
        .about(wrapped(&about, columns))
        .help_template(template)
        .subcommand_help_heading(Lang::ZhCn.t("help-heading-commands"));
    if has_help {
        help = help.mut_subcommand("help", |inner| inner.about(wrapped(&about, inner_columns)));
    }
    help
}

/// A help text without what a person types as it is, for the scan for English sentences
/// (`i18n::english_phrases`): spans in backticks (`plan locate`, `county_plume`), the
/// values clap lists (`[可选值：median、center]`, `[默认：unified]`) and the value names
/// of the usage and option lines (`<county|unified|…>`).
pub fn without_typed(text: &str) -> String {
    let mut text: String = text.split('`').step_by(2).collect::<Vec<_>>().join(" ");
    for (opening, closing) in [("[可选值：", ']'), ("[默认：", ']'), ("<", '>')] {
        let mut from = 0;
        while let Some(start) = text[from..].find(opening).map(|at| from + at) {
            let Some(end) = text[start..].find(closing).map(|at| start + at + 1) else {
                break;
            };
            text.replace_range(start..end, " ");
            from = start;
        }
    }
    text
}

#[cfg(test)]
mod tests;
