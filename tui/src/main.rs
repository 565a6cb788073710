//! The `tripoint` binary: with no arguments the command console on the two-incident
//! drill; subcommands for the headless tools.

use tripoint_tui::i18n::{self, Lang};
use tripoint_tui::{commands, console, input, serve};

/// mimalloc: every planner trial builds and drops a simulation world, and glibc's
/// allocator returned and re-faulted those pages on every trial (about a tenth of a
/// planner run in page faults); see docs/benchmarks.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

unsafe extern "C" {
    /// mimalloc's `mi_option_set` (`mimalloc.h`), linked in through the `mimalloc` crate.
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// `mi_option_purge_delay` in `mimalloc.h`'s `mi_option_e` (the same index in mimalloc 2
/// and 3, the versions `libmimalloc-sys` 0.1 builds).
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

/// How long freed memory stays with the process before mimalloc gives it back [ms].
/// mimalloc's default, 10 ms, is shorter than a planner trial: the pages a trial freed
/// were given back and the next trial faulted them in again, zeroed by the kernel (a
/// fifth of a planner run's samples, `clear_page_erms`). A second keeps them for the run
/// and still returns them to the system when a long-running server or console idles.
const PURGE_DELAY_MS: std::ffi::c_long = 1_000;

use std::process::ExitCode;
use tripoint_tui::cli::{Cli, Command};

fn main() -> ExitCode {
    // Like every Unix filter: when the reader of our output goes away (`| head`), stop
    // quietly instead of panicking on the closed pipe.
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of one signal before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // SAFETY: sets one integer option of the allocator; mimalloc reads options atomically.
    unsafe {
        mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS);
    }
    // Read as clap reads them: an argument need not be Unicode. The language is read
    // before parsing, for the help and the usage errors.
    let args_os: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let args: Vec<String> = args_os
        .iter()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let lang = tripoint_tui::cli_error::language_of_args(&args);
    let cli: Cli = match tripoint_tui::cli_help::parse_from(lang, args_os) {
        Ok(cli) => cli,
        Err(error) => {
            let help = error.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand;
            if lang == Lang::En || !error.use_stderr() || help {
                // Help and version, a command's help when its subcommand is missing, and
                // English errors, as clap writes them.
                error.exit();
            }
            eprint!("{}", tripoint_tui::cli_error::rendered(lang, &error));
            return ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2));
        }
    };
    i18n::set_current(cli.lang.unwrap_or_else(Lang::from_env));
    let lang = i18n::current();
    let result = match cli.command {
        None => console::run(&console::ConsoleArgs {
            policy: "unified".into(),
            seat: "command".into(),
            journal: "tripoint-console.jsonl".into(),
            ..console::ConsoleArgs::default()
        }),
        Some(Command::Console(args)) => console::run(&args),
        Some(Command::Forecast(args)) => commands::forecast::run(&args),
        Some(Command::Identify(args)) => commands::identify::run(&args),
        Some(Command::Run(args)) => commands::run::run(&args),
        Some(Command::Replay(args)) => commands::replay::run(&args),
        Some(Command::Drill(args)) => commands::drill::run(&args),
        Some(Command::Check(args)) => commands::check::run(&args),
        Some(Command::Validate(args)) => commands::validate::run(&args),
        Some(Command::Plan(args)) => commands::plan::run(&args),
        Some(Command::Serve(args)) => serve::run(&args),
        Some(Command::Seat(args)) => commands::seat::run(&args),
        Some(Command::Join(args)) => commands::join::run(&args),
        Some(Command::Db(args)) => commands::db::run(&args),
        Some(Command::Export(args)) => commands::export::run(&args),
        Some(Command::Import(args)) => commands::import::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(input::CliError::Input(message)) => {
            eprintln!(
                "{}",
                lang.t_args("error-prefix", &[("message", message.trim_end().into())])
            );
            ExitCode::from(2)
        }
        Err(input::CliError::Diverged(message)) => {
            eprintln!(
                "{}",
                lang.t_args("error-prefix", &[("message", message.trim_end().into())])
            );
            ExitCode::from(1)
        }
        Err(input::CliError::Internal(error)) => {
            let message = format!("{error:#}");
            eprintln!(
                "{}",
                lang.t_args("internal-error-prefix", &[("message", message.into())])
            );
            ExitCode::from(1)
        }
    }
}
