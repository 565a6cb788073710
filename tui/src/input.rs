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
    let bytes = read_bytes_bounded(path, bytes_max, what)?;
    String::from_utf8(bytes).map_err(|e| {
        let byte = e.utf8_error().valid_up_to();
        CliError::Input(crate::i18n::said_here(
            "input-not-utf8",
            &[("path", &shown), ("byte", &byte)],
        ))
    })
}

/// Reads a whole file through [`BoundedReader`]: at most `bytes_max` bytes, or an error
/// naming the file and the limit.
pub fn read_bytes_bounded(path: &Path, bytes_max: u64, what: &str) -> Result<Vec<u8>, CliError> {
    use std::io::Read as _;
    let mut reader = BoundedReader::open(path, bytes_max, what)?;
    let mut bytes = Vec::new();
    reader
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::Input(format!("{}: {}", path.display(), crate::i18n::io_error(&e))))?;
    Ok(bytes)
}

/// The one reader every input file goes through: it reads at most `bytes_max + 1` bytes
/// and fails with the limit named as soon as it has seen one byte more than `bytes_max`.
/// The file's metadata is not trusted for the size: a device such as `/dev/zero`, a pipe
/// or a file that grows while it is read reports a length that says nothing of what a
/// read returns.
pub struct BoundedReader {
    file: std::fs::File,
    bytes_max: u64,
    bytes_read: u64,
    what: String,
}

impl BoundedReader {
    /// Opens `path` for reading at most `bytes_max` bytes; `what` says what the file should
    /// be ("a scenario", "a shard file") in the messages.
    pub fn open(path: &Path, bytes_max: u64, what: &str) -> Result<BoundedReader, CliError> {
        let shown = path.display().to_string();
        let file = std::fs::File::open(path)
            .map_err(|e| CliError::Input(format!("{shown}: {}", crate::i18n::io_error(&e))))?;
        if file.metadata().is_ok_and(|m| m.is_dir()) {
            return Err(CliError::Input(crate::i18n::said_here(
                "input-folder",
                &[("path", &shown), ("what", &input_kind(what))],
            )));
        }
        Ok(BoundedReader {
            file,
            bytes_max,
            bytes_read: 0,
            what: what.to_string(),
        })
    }

    fn too_large(&self) -> std::io::Error {
        std::io::Error::other(crate::i18n::said_here(
            "input-too-large",
            &[("max", &self.bytes_max), ("what", &input_kind(&self.what))],
        ))
    }
}

impl std::io::Read for BoundedReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        // One byte beyond the limit is enough to know the file is too large.
        let left = self.bytes_max.saturating_add(1).saturating_sub(self.bytes_read);
        if left == 0 {
            return Err(self.too_large());
        }
        let len = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = self.file.read(&mut buf[..len])?;
        self.bytes_read += n as u64;
        if self.bytes_read > self.bytes_max {
            return Err(self.too_large());
        }
        Ok(n)
    }
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
    let scenario = Scenario::parse(&source)
        .map_err(|e| CliError::Input(crate::messages::scenario_error(crate::i18n::current(), &e)))?;
    Ok((scenario, hash))
}

/// Loads a scenario from a path, or the built-in zone when none is given.
pub fn load_scenario(path: Option<&Path>) -> Result<Scenario, CliError> {
    load_scenario_or(path, "demo-zone.toml")
}

/// What an input file should be, as its readers name it in English, and the message of
/// its name in other languages.
const INPUT_KINDS: [(&str, &str); 14] = [
    ("a scenario", "input-what-scenario"),
    ("a results file", "input-what-results"),
    ("a drill script", "input-what-drill-script"),
    ("a plan-edit file", "input-what-plan-edits"),
    ("a journal", "input-what-journal"),
    ("a CSV file", "input-what-csv"),
    ("a GeoJSON file", "input-what-geojson"),
    ("a shard file", "input-what-shard"),
    ("a seats file", "input-what-seats"),
    ("a token file", "input-what-token"),
    ("a PEM file", "input-what-pem"),
    ("a plan document", "input-what-plan-document"),
    ("an OR-Library file", "input-what-orlib"),
    ("a dump", "input-what-dump"),
];

/// What an input file should be (`what`, "a scenario"), in the session's language.
fn input_kind(what: &str) -> String {
    match INPUT_KINDS.iter().find(|(english, _)| *english == what) {
        Some((_, key)) if crate::i18n::current() != crate::i18n::Lang::En => crate::i18n::current().t(key),
        _ => what.to_string(),
    }
}

/// An output path refused, in the session's language (the operating system's own words,
/// `cause`, as they come).
fn output_problem(key: &str, flag: &str, shown: &str, more: &[(&str, &dyn std::fmt::Display)]) -> CliError {
    let mut args: Vec<(&str, &dyn std::fmt::Display)> = vec![("flag", &flag), ("path", &shown)];
    args.extend_from_slice(more);
    CliError::Input(crate::i18n::said_here(key, &args))
}

/// Checks, before any work, that `path` can be written as a file: not a folder, in a
/// folder that exists, writable. `flag` names the option in the message (`--out`). A file
/// that did not exist is not left behind.
pub fn check_output_file(path: &Path, flag: &str) -> CliResult {
    let shown = path.display().to_string();
    if path.is_dir() {
        return Err(output_problem("arg-output-folder-not-file", flag, &shown, &[]));
    }
    let parent = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    if !parent.is_dir() {
        return Err(output_problem(
            "arg-output-no-folder",
            flag,
            &shown,
            &[("folder", &parent.display())],
        ));
    }
    let existed = path.exists();
    // Appending truncates nothing: an existing file is only replaced after the work.
    match std::fs::OpenOptions::new().append(true).create(true).open(path) {
        Ok(_) => {
            if !existed {
                let _ = std::fs::remove_file(path);
            }
            Ok(())
        }
        Err(e) => Err(output_problem(
            "arg-output-cannot-write",
            flag,
            &shown,
            &[("cause", &crate::i18n::io_error(&e))],
        )),
    }
}

/// Checks, before any work, that `dir` can take the files of a report: a folder (created
/// if missing) in which a file can be made. `flag` names the option in the message.
pub fn check_output_dir(dir: &Path, flag: &str) -> CliResult {
    let shown = dir.display().to_string();
    if dir.exists() && !dir.is_dir() {
        return Err(output_problem("arg-output-file-not-folder", flag, &shown, &[]));
    }
    std::fs::create_dir_all(dir).map_err(|e| {
        output_problem(
            "arg-output-cannot-create",
            flag,
            &shown,
            &[("cause", &crate::i18n::io_error(&e))],
        )
    })?;
    let probe = dir.join(format!(".tripoint-write-check-{}", std::process::id()));
    match std::fs::OpenOptions::new().write(true).create_new(true).open(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            Ok(())
        }
        Err(e) => Err(output_problem(
            "arg-output-cannot-write",
            flag,
            &shown,
            &[("cause", &crate::i18n::io_error(&e))],
        )),
    }
}

/// Where unit responses are kept between commands: shared by the planner's commands and
/// `identify` (see `tripoint_sim::transport::unit`).
#[derive(clap::Args, Debug, Clone, Default)]
pub struct CacheArgs {
    /// Folder of the unit-response cache (default: $TRIPOINT_CACHE, else
    /// $XDG_CACHE_HOME/tripoint, else ~/.cache/tripoint). Cached series are the same bit
    /// for bit as series run again.
    #[arg(long, value_name = "DIR", conflicts_with = "no_cache")]
    pub cache: Option<std::path::PathBuf>,
    /// Run every unit response again and keep none on disk.
    #[arg(long)]
    pub no_cache: bool,
}

impl CacheArgs {
    /// The cache to use, if any.
    pub fn cache(&self) -> Option<crate::unit_cache::UnitCache> {
        if self.no_cache {
            return None;
        }
        self.cache
            .clone()
            .or_else(crate::unit_cache::UnitCache::default_dir)
            .map(crate::unit_cache::UnitCache::at)
    }
}

/// One line on what the cache gave, for the standard error.
pub fn cache_line(
    cache: Option<&crate::unit_cache::UnitCache>,
    used: tripoint_sim::transport::unit::CacheUse,
) -> String {
    let lang = crate::i18n::current();
    match cache {
        None => lang.t("progress-no-cache"),
        Some(cache) => {
            let mut line = lang.t_args(
                "progress-cache-read",
                &[
                    ("hits", used.hits.to_string().into()),
                    ("dir", cache.dir().display().to_string().into()),
                ],
            );
            if used.rejected > 0 {
                line.push_str(&lang.t_args(
                    "progress-cache-rejected",
                    &[("count", used.rejected.to_string().into())],
                ));
            }
            if let Some(bytes) = cache.over_bound() {
                line.push_str(
                    &lang.t_args(
                        "progress-cache-over-bound",
                        &[
                            ("own", format!("{:.1}", bytes as f64 / f64::from(1u32 << 30)).into()),
                            (
                                "max",
                                format!(
                                    "{:.0}",
                                    crate::unit_cache::CACHE_BYTES_MAX as f64 / f64::from(1u32 << 30)
                                )
                                .into(),
                            ),
                        ],
                    ),
                );
            }
            line
        }
    }
}
