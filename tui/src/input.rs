//! Reading what the user gives: scenario files (or the built-in ones) and the error kinds
//! that decide the exit code (2 for bad input, 1 for a failure of ours).

use std::path::Path;
use tripoint_sim::scenario::{self, Scenario, SourceText};

#[derive(Debug)]
pub enum CliError {
    /// Bad input: a malformed scenario, an unknown name, an impossible request. Exit 2.
    Input(String),
    /// Something that should not happen. Exit 1.
    Internal(anyhow::Error),
    /// A replay did not reproduce its journal. Exit 1.
    Diverged(String),
}

impl From<anyhow::Error> for CliError {
    fn from(error: anyhow::Error) -> Self {
        CliError::Internal(error)
    }
}

pub type CliResult = Result<(), CliError>;

/// Largest scenario file read [bytes]; the loader has the same limit.
const SCENARIO_FILE_BYTES_MAX: u64 = 16 * 1024 * 1024;

fn read_text(path: &Path) -> Result<String, CliError> {
    read_text_file(path, SCENARIO_FILE_BYTES_MAX, "a scenario")
}

/// Reads a UTF-8 text file of at most `bytes_max` bytes; every failure is bad input that
/// names the file. `what` says what the file should be, e.g. "a drill script".
pub fn read_text_file(path: &Path, bytes_max: u64, what: &str) -> Result<String, CliError> {
    let shown = path.display().to_string();
    let metadata = std::fs::metadata(path).map_err(|e| CliError::Input(format!("{shown}: {e}")))?;
    if metadata.len() > bytes_max {
        return Err(CliError::Input(format!(
            "{shown}: {} bytes is more than {what} may be ({bytes_max})",
            metadata.len()
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| CliError::Input(format!("{shown}: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        CliError::Input(format!(
            "{shown}: not UTF-8 text (byte {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// The text of a file, joined with the base it extends (`[extends] base = "…"`): the base
/// is looked for beside the file, then among the built-in scenarios.
fn source_of(path: &Path) -> Result<SourceText, CliError> {
    let shown = path.display().to_string();
    let text = read_text(path)?;
    let Some(base) = scenario::extends_base(&text) else {
        return Ok(SourceText::new(shown, text));
    };
    let beside = path.parent().unwrap_or(Path::new(".")).join(&base);
    let (base_name, base_text) = if beside.is_file() {
        (beside.display().to_string(), read_text(&beside)?)
    } else if let Some(text) = scenario::builtin_text(&base) {
        (format!("<built-in>/{base}"), text.to_string())
    } else {
        let quoted = format!("\"{base}\"");
        let span = text.find(&quoted).map(|start| start..start + quoted.len());
        let source = SourceText::new(shown, text);
        let problem = source.problem(
            span,
            format!("extends {base:?}, which is neither beside this file nor built in"),
        );
        return Err(CliError::Input(problem.to_string()));
    };
    if scenario::extends_base(&base_text).is_some() {
        return Err(CliError::Input(format!(
            "{base_name}: a base scenario cannot itself extend another"
        )));
    }
    Ok(SourceText::concat(&[(base_name, base_text), (shown, text)]))
}

/// Loads a scenario from a path, or the named built-in one when none is given.
pub fn load_scenario_or(path: Option<&Path>, builtin: &str) -> Result<Scenario, CliError> {
    load_scenario_hashed(path, builtin).map(|(scenario, _)| scenario)
}

/// Like [`load_scenario_or`], with a fingerprint of the text read (base included), so a
/// journal can tell whether its scenario has changed since.
pub fn load_scenario_hashed(path: Option<&Path>, builtin: &str) -> Result<(Scenario, u64), CliError> {
    let source = match path {
        None => scenario::builtin_source(builtin).expect("the built-in scenario exists"),
        Some(path) => source_of(path)?,
    };
    let hash = tripoint_sim::kernel::journal_hash(std::slice::from_ref(&source.text));
    let scenario = Scenario::parse(&source).map_err(|e| CliError::Input(e.to_string()))?;
    Ok((scenario, hash))
}

/// Loads a scenario from a path, or the built-in zone when none is given.
pub fn load_scenario(path: Option<&Path>) -> Result<Scenario, CliError> {
    load_scenario_or(path, "demo-zone.toml")
}
