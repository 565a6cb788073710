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

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Emergency-response coordination and drill simulator for cross-border water pollution
/// in the Qingpu–Wujiang–Jiashan demonstration zone.
#[derive(Parser, Debug)]
#[command(name = "tripoint", version, about)]
struct Cli {
    /// The language of screens, messages and reports: `zh-CN` or `en` (default: from
    /// LC_ALL, LC_MESSAGES or LANG; `zh_*` is Chinese, anything else English).
    #[arg(long, global = true, value_name = "zh-CN|en", value_parser = parse_lang)]
    lang: Option<Lang>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Forecast a release: arrival, peak and time over the limit at every point downstream.
    Forecast(Box<commands::forecast::ForecastArgs>),
    /// Identify the source of a pollution from the results so far: which source, since when,
    /// how much, and what follows at the intakes and border sections.
    Identify(Box<commands::identify::IdentifyArgs>),
    /// Run the incidents of a scenario: discovery, plan, dispatch, samples, and the key measures.
    Run(commands::run::RunArgs),
    /// Run a recorded response journal again and check every event and the report.
    Replay(commands::replay::ReplayArgs),
    /// Open the command console on a drill or scenario (default: the two-incident drill).
    Console(console::ConsoleArgs),
    /// Run a drill script headless and write its after-action report.
    Drill(commands::drill::DrillArgs),
    /// Check a scenario file and summarise it; every problem is reported with its place.
    Check(commands::check::CheckArgs),
    /// Compare the transport model with analytical solutions and print the figures.
    Validate(commands::validate::ValidateArgs),
    /// Planning tools: where to put sites (`plan locate`).
    Plan(commands::plan::PlanArgs),
    /// Serve an exercise to several seats over TCP (protocol v1, docs/protocol.md).
    Serve(serve::ServeArgs),
    /// Seats of the exercise server: `seat add` creates one and prints its token once.
    Seat(commands::seat::SeatArgs),
    /// Take a seat of an exercise server on a plain terminal: see what changes, type actions.
    Join(commands::join::JoinArgs),
    /// GIS files out: the scenario, its plume and a plan as GeoJSON layers (docs/gis.md).
    Export(commands::export::ExportArgs),
    /// GIS files in: a river network drawn as GeoJSON into a scenario skeleton (docs/gis.md).
    Import(commands::import::ImportArgs),
    /// The emergency monitoring database: the risk-source register (SQLite or PostgreSQL).
    Db(commands::db::DbArgs),
}

fn parse_lang(text: &str) -> Result<Lang, String> {
    Lang::parse(text).ok_or_else(|| format!("{text:?}: expected zh-CN or en"))
}

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
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // Read as clap reads them: an argument need not be Unicode.
            let args: Vec<String> = std::env::args_os()
                .skip(1)
                .map(|a| a.to_string_lossy().into_owned())
                .collect();
            let lang = tripoint_tui::cli_error::language_of_args(&args);
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
