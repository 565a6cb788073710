//! The command line's shape: the `tripoint` command and its subcommands, as clap derives
//! them from the argument structs' doc comments (the one source of the English help). The
//! Chinese help is laid over it by `cli_help`.

use crate::i18n::Lang;
use crate::{commands, console, serve};
use clap::{Parser, Subcommand};

/// Emergency-response coordination and drill simulator for cross-border water pollution
/// in the Qingpu–Wujiang–Jiashan demonstration zone.
#[derive(Parser, Debug)]
#[command(name = "tripoint", version, about)]
pub struct Cli {
    /// The language of screens, messages and reports: `zh-CN` or `en` (default: from
    /// LC_ALL, LC_MESSAGES or LANG; `zh_*` is Chinese, anything else English).
    #[arg(long, global = true, value_name = "zh-CN|en", value_parser = parse_lang)]
    pub lang: Option<Lang>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
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

/// `--lang`'s value parser.
fn parse_lang(text: &str) -> Result<Lang, crate::i18n::UnknownLanguage> {
    Lang::parse(text).ok_or_else(|| crate::i18n::UnknownLanguage(text.to_string()))
}
