//! clap's usage errors (an unknown flag, a bad value, a missing argument) in the session's
//! language. clap writes its own in English only; in Chinese the same parts — what is
//! wrong, clap's suggestion, the usage line and the pointer to `--help` — are written from
//! the error's context with the `cli-usage-` messages of `cli.ftl`. The exit code is
//! clap's (2 for a usage error).

use crate::i18n::Lang;
use clap::error::{ContextKind, ContextValue, ErrorKind};

/// The language asked for on the command line (`--lang X` or `--lang=X`), read before clap
/// parses it, else the environment's: a usage error is written before the arguments are
/// known.
pub fn language_of_args(args: &[String]) -> Lang {
    let mut asked = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        if arg == "--" {
            break;
        }
        let value = match arg.strip_prefix("--lang") {
            Some("") => it.next().map(String::as_str),
            Some(rest) => rest.strip_prefix('='),
            None => None,
        };
        if let Some(lang) = value.and_then(Lang::parse) {
            asked = Some(lang);
        }
    }
    asked.unwrap_or_else(Lang::from_env)
}

fn text(value: &ContextValue) -> String {
    match value {
        ContextValue::String(s) => s.clone(),
        ContextValue::Strings(v) => v.join("、"),
        ContextValue::StyledStr(s) => s.to_string(),
        ContextValue::StyledStrs(v) => v.iter().map(|s| s.to_string()).collect::<Vec<_>>().join("、"),
        ContextValue::Number(n) => n.to_string(),
        ContextValue::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

/// The error as `lang` writes it: clap's own rendering in English, ours in Chinese.
pub fn rendered(lang: Lang, error: &clap::Error) -> String {
    if lang == Lang::En {
        return error.render().to_string();
    }
    let get = |kind: ContextKind| error.get(kind).map(text).unwrap_or_default();
    let t = |key: &str, args: &[(&str, String)]| {
        let args: Vec<(&str, fluent_bundle::FluentValue<'_>)> =
            args.iter().map(|(k, v)| (*k, v.clone().into())).collect();
        lang.t_args(key, &args)
    };
    let arg = || ("arg", get(ContextKind::InvalidArg));
    let value = || ("value", get(ContextKind::InvalidValue));
    let mut what = match error.kind() {
        ErrorKind::InvalidValue => {
            let mut what = t("cli-usage-invalid-value", &[arg(), value()]);
            let valid = get(ContextKind::ValidValue);
            if !valid.is_empty() {
                what.push_str(&t("cli-usage-valid-values", &[("values", valid)]));
            }
            what
        }
        ErrorKind::ValueValidation => {
            // The standard library's words for a number that is not one, and the program's
            // own parsers' (`--lang`), in the language.
            let problem = match std::error::Error::source(error) {
                Some(e) if e.is::<std::num::ParseIntError>() => t("cli-usage-not-integer", &[]),
                Some(e) if e.is::<std::num::ParseFloatError>() => t("cli-usage-not-number", &[]),
                Some(e) => match e.downcast_ref::<crate::i18n::UnknownLanguage>() {
                    Some(unknown) => t("cli-usage-unknown-language", &[("value", unknown.0.clone())]),
                    None => e.to_string(),
                },
                None => String::new(),
            };
            t("cli-usage-value-problem", &[arg(), value(), ("problem", problem)])
        }
        ErrorKind::UnknownArgument => t("cli-usage-unknown-argument", &[arg()]),
        ErrorKind::InvalidSubcommand => t(
            "cli-usage-unknown-subcommand",
            &[("subcommand", get(ContextKind::InvalidSubcommand))],
        ),
        ErrorKind::MissingRequiredArgument => t("cli-usage-missing", &[("args", get(ContextKind::InvalidArg))]),
        ErrorKind::MissingSubcommand => t("cli-usage-missing-subcommand", &[]),
        ErrorKind::ArgumentConflict => t("cli-usage-conflict", &[arg(), ("other", get(ContextKind::PriorArg))]),
        ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => t(
            "cli-usage-value-count",
            &[arg(), ("actual", get(ContextKind::ActualNumValues))],
        ),
        ErrorKind::NoEquals => t("cli-usage-no-equals", &[arg()]),
        _ => {
            // Whatever else clap says, said in its own words, without its prefix.
            let english = error.render().to_string();
            let english = english.lines().next().unwrap_or_default();
            let english = english.strip_prefix("error: ").unwrap_or(english);
            t("cli-usage-other", &[("english", english.to_string())])
        }
    };
    what = t("error-prefix", &[("message", what)]);
    for kind in [
        ContextKind::SuggestedArg,
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedValue,
    ] {
        let suggested = get(kind);
        if !suggested.is_empty() {
            what.push_str("\n\n  ");
            what.push_str(&t("cli-usage-suggest", &[("suggested", suggested)]));
        }
    }
    let usage = get(ContextKind::Usage);
    if !usage.is_empty() {
        what.push_str("\n\n");
        what.push_str(&t(
            "cli-usage-usage",
            &[("usage", crate::cli_help::chinese_usage(&usage))],
        ));
    }
    what.push_str("\n\n");
    what.push_str(&t("cli-usage-more", &[]));
    what.push('\n');
    what
}
