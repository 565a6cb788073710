//! `tripoint seat add FILE NAME --role ROLE`: creates a seat of the exercise server in a
//! seats file and prints its token once, on standard output (so it can go straight into
//! a file: `tripoint seat add seats.toml qingpu --role jurisdiction:qingpu > qingpu.token`).
//! The file keeps only the token's digest.

use crate::input::{CliError, CliResult};
use crate::serve::seats::{self, Role};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct SeatArgs {
    #[command(subcommand)]
    pub command: SeatCommand,
}

#[derive(clap::Subcommand, Debug)]
pub enum SeatCommand {
    /// Add a seat to a seats file (created if missing) and print its token once.
    Add {
        /// The seats file.
        file: PathBuf,
        /// The seat's name: lowercase letters, digits, `-` or `_`.
        name: String,
        /// What the seat may do.
        #[arg(long, value_name = "controller|command|jurisdiction:ID|evaluator|observer")]
        role: String,
    },
}

pub fn run(args: &SeatArgs) -> CliResult {
    match &args.command {
        SeatCommand::Add { file, name, role } => {
            let role = Role::parse(role).map_err(|e| CliError::Input(format!("--role: {e}")))?;
            let token = seats::add(file, name, &role)?;
            println!("{token}");
            eprintln!(
                "seat {name} ({}) added to {}. Its token went to standard output, once: give it to the \
                 seat's person (a file only they can read, or {}); the seats file keeps only its digest",
                role.text(),
                file.display(),
                crate::net::TOKEN_ENV
            );
            Ok(())
        }
    }
}
