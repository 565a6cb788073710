//! `tripoint serve --resume FILE`: a server stopped at any point (killed, the machine
//! lost, or stopped on purpose) goes on from its journal. The journal's first line says
//! what the exercise was (target, policy, seed, the people's seats); the session is run
//! again with every action the seats sent, each where it was taken, to the time of the
//! journal's last whole line; every line must come out the same (else the journal is
//! refused, exit 2, at the first line that differs). The file is then cut to its whole
//! lines (a line cut in the middle by the kill, or the closing record, goes), the lines
//! the replay produced beyond them are appended, and the server appends from there. The
//! clock waits, paused, at that time for a controller.

use super::ServeSpec;
use crate::input::CliError;
use crate::journal::{self, Appender, Ending};
use std::path::Path;
use tripoint_sim::drill::Session;

/// A served exercise's journal read back.
pub struct ServeJournal {
    pub shown: String,
    pub text: String,
    /// Its first line, as written (the closing record's digest covers it).
    pub header: String,
    pub spec: ServeSpec,
}

/// Reads a journal to resume: it must be a server's.
pub fn read(path: &Path) -> Result<ServeJournal, CliError> {
    let shown = path.display().to_string();
    let text = journal::read_text(path, crate::commands::replay::JOURNAL_BYTES_MAX)?;
    let header = text.lines().next().unwrap_or("").to_string();
    let spec = serde_json::from_str::<serde_json::Value>(&header)
        .ok()
        .and_then(|v| serde_json::from_value::<ServeSpec>(v.get("serve")?.clone()).ok())
        .ok_or_else(|| {
            CliError::Input(format!(
                "{shown}:1: not a served exercise's journal (its first line must be {{\"serve\": …}}, as \
                 `tripoint serve --journal` writes it)"
            ))
        })?;
    if let Some(target) = &spec.target {
        crate::console::check_journal_target(target)
            .map_err(|message| CliError::Input(format!("{shown}:1: target {target:?}: {message}")))?;
    }
    if spec.version != env!("CARGO_PKG_VERSION") {
        eprintln!(
            "{}",
            crate::i18n::said_here(
                "srvlog-resume-version",
                &[
                    ("journal", &shown),
                    ("version", &spec.version),
                    ("this", &env!("CARGO_PKG_VERSION"))
                ]
            )
        );
    }
    Ok(ServeJournal {
        shown,
        text,
        header,
        spec,
    })
}

/// What a resumed server starts from.
pub struct Resumed {
    pub session: Session,
    pub appender: Appender,
    /// Lines of the session's journal now in the file.
    pub written: usize,
}

/// Runs `session` (opened as the journal's header says, at the exercise start) with the
/// journal's actions to its last whole line, checks every line, and reopens the file to
/// go on with it.
pub fn replay(path: &Path, read: &ServeJournal, mut session: Session) -> Result<Resumed, CliError> {
    let shown = &read.shown;
    // Each line with its bytes in the file (line break included), to cut the file where
    // the whole lines end.
    let segments: Vec<&str> = read.text.split_inclusive('\n').collect();
    let all: Vec<&str> = segments
        .iter()
        .map(|s| {
            let line = s.strip_suffix('\n').unwrap_or(s);
            line.strip_suffix('\r').unwrap_or(line)
        })
        .collect();
    let (lines, ending) = journal::body(&all);
    match &ending {
        Ending::Damaged { message } => {
            return Err(CliError::Input(format!(
                "{shown}:{}: {message}; a journal to resume may be cut short, not changed",
                lines.len() + 1
            )));
        }
        Ending::Unclosed {
            complete,
            cut_line: true,
        } => eprintln!(
            "{}",
            crate::i18n::said_here("srvlog-resume-cut", &[("journal", &shown), ("line", &(complete + 1))])
        ),
        Ending::Unclosed { .. } => {}
        Ending::Closed => eprintln!(
            "{}",
            crate::i18n::said_here("srvlog-resume-closed", &[("journal", &shown)])
        ),
    }
    if lines.is_empty() {
        return Err(CliError::Input(format!("{shown}: empty journal")));
    }
    let (recorded, last) = crate::console::read_recorded(shown, lines, &session, |r| r.request.is_some())?;
    let n_actions = recorded.len();
    let mut recorded = recorded;
    crate::exercise::advance_with(&mut session, &mut recorded, last)
        .map_err(|e| CliError::Internal(anyhow::anyhow!("the replay of {shown} failed: {e}")))?;
    if let Some(difference) = crate::console::first_difference(shown, lines, session.journal()) {
        return Err(CliError::Input(format!(
            "{difference}\ncannot resume: the journal is not what this program makes of its actions \
             (another version, another scenario or drill file, or an edited journal)"
        )));
    }
    let keep_bytes: usize = segments[..lines.len()].iter().map(|s| s.len()).sum();
    let ends_with_newline = segments[lines.len() - 1].ends_with('\n');
    let mut appender = Appender::reopen(path, keep_bytes as u64, ends_with_newline)
        .map_err(|e| CliError::Input(format!("{shown}: cannot be written: {e}")))?;
    let again = &session.journal()[lines.len() - 1..];
    appender
        .append(again, true)
        .map_err(|e| CliError::Input(format!("{shown}: cannot be written: {e}")))?;
    let clock = session.now().clock_label();
    let n_again = again.len();
    let replayed: [(&str, &dyn std::fmt::Display); 4] = [
        ("journal", &shown),
        ("lines", &lines.len()),
        ("actions", &n_actions),
        ("clock", &clock),
    ];
    eprintln!(
        "{}",
        if again.is_empty() {
            crate::i18n::said_here("srvlog-resumed", &replayed)
        } else {
            let mut args = replayed.to_vec();
            args.push(("again", &n_again));
            crate::i18n::said_here("srvlog-resumed-again", &args)
        }
    );
    Ok(Resumed {
        written: session.journal().len(),
        session,
        appender,
    })
}
