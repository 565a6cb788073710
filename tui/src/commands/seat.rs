//! `tripoint seat add FILE NAME --role ROLE`: creates a seat of the exercise server in a
//! seats file and prints its token once, on standard output (so it can go straight into
//! a file: `tripoint seat add seats.toml qingpu --role jurisdiction:qingpu > qingpu.token`).
//! The file keeps only the token's digest. `tripoint seat cert --out DIR --name HOST`
//! makes a room's self-signed TLS certificate and key (docs/protocol.md, "TLS").

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
    /// Make a self-signed TLS certificate and key for a room's or an exercise's server:
    /// DIR/cert.pem (the server's --tls-cert, and the clients' --ca) and DIR/key.pem (the
    /// server's --tls-key, readable by its owner only).
    Cert {
        /// The folder to write cert.pem and key.pem into (neither may exist yet).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// A host name or IP address clients connect to (repeat for several).
        #[arg(long = "name", value_name = "HOST", required = true)]
        names: Vec<String>,
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
        SeatCommand::Cert { out, names } => {
            make_certificate(out, names)?;
            eprintln!(
                "wrote {0}/cert.pem and {0}/key.pem for {1}: start the server with --tls-cert {0}/cert.pem \
                 --tls-key {0}/key.pem, and give every seat {0}/cert.pem for --ca (never key.pem)",
                out.display(),
                names.join(", ")
            );
            Ok(())
        }
    }
}

/// A self-signed certificate naming `names` (its subject alternative names: host names or
/// IP addresses, as clients check them) and its ECDSA P-256 key, written as PEM.
fn make_certificate(out: &std::path::Path, names: &[String]) -> CliResult {
    crate::input::check_output_dir(out, "--out")?;
    let (cert_path, key_path) = (out.join("cert.pem"), out.join("key.pem"));
    for path in [&cert_path, &key_path] {
        if path.exists() {
            return Err(CliError::Input(format!(
                "--out {}: {} exists already; give a new folder",
                out.display(),
                path.display()
            )));
        }
    }
    let certified = rcgen::generate_simple_self_signed(names.to_vec())
        .map_err(|e| CliError::Input(format!("--name {}: cannot make a certificate: {e}", names.join(", "))))?;
    write_new(&key_path, certified.signing_key.serialize_pem().as_bytes(), 0o600)?;
    write_new(&cert_path, certified.cert.pem().as_bytes(), 0o644)
}

/// Writes a new file (never over an existing one) with `mode` on Unix.
fn write_new(path: &std::path::Path, bytes: &[u8], mode: u32) -> CliResult {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(mode);
    }
    #[cfg(not(unix))]
    let _ = mode;
    options
        .open(path)
        .and_then(|mut file| file.write_all(bytes).and_then(|()| file.sync_all()))
        .map_err(|e| CliError::Input(format!("{}: cannot be written: {e}", path.display())))
}
