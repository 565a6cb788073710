//! Reading what the user gives: scenario files (or the built-in one) and the error kinds
//! that decide the exit code (2 for bad input, 1 for a failure of ours).

use std::path::Path;
use tripoint_sim::scenario::{BUILTIN_NAME, BUILTIN_TEXT, Scenario, SourceText};

pub enum CliError {
    /// Bad input: a malformed scenario, an unknown name, an impossible request. Exit 2.
    Input(String),
    /// Something that should not happen. Exit 1.
    Internal(anyhow::Error),
}

impl From<anyhow::Error> for CliError {
    fn from(error: anyhow::Error) -> Self {
        CliError::Internal(error)
    }
}

pub type CliResult = Result<(), CliError>;

/// Largest scenario file read [bytes]; the loader has the same limit.
const SCENARIO_FILE_BYTES_MAX: u64 = 16 * 1024 * 1024;

/// Loads a scenario from a path, or the built-in one when none is given.
pub fn load_scenario(path: Option<&Path>) -> Result<Scenario, CliError> {
    let source = match path {
        None => SourceText::new(BUILTIN_NAME, BUILTIN_TEXT),
        Some(path) => {
            let shown = path.display().to_string();
            let metadata = std::fs::metadata(path).map_err(|e| CliError::Input(format!("{shown}: {e}")))?;
            if metadata.len() > SCENARIO_FILE_BYTES_MAX {
                return Err(CliError::Input(format!(
                    "{shown}: {} bytes is more than a scenario may be ({SCENARIO_FILE_BYTES_MAX})",
                    metadata.len()
                )));
            }
            let bytes = std::fs::read(path).map_err(|e| CliError::Input(format!("{shown}: {e}")))?;
            let text = String::from_utf8(bytes).map_err(|e| {
                CliError::Input(format!(
                    "{shown}: not UTF-8 text (byte {})",
                    e.utf8_error().valid_up_to()
                ))
            })?;
            SourceText::new(shown, text)
        }
    };
    Scenario::parse(&source).map_err(|e| CliError::Input(e.to_string()))
}
