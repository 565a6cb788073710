//! The `tripoint` program as a library: the subcommands, the console, input loading and
//! report writing. `main.rs` is the thin entry point; benchmarks and tests reach the
//! console's drawing through here.

pub mod cli;
pub mod cli_error;
pub mod cli_help;
pub mod commands;
pub mod console;
pub mod estimator;
pub mod exercise;
pub mod gis;
pub mod i18n;
pub mod input;
pub mod journal;
pub mod messages;
pub mod net;
pub mod report;
pub mod serve;
pub mod unit_cache;
