//! Journal files: written whole or not at all, and closed by a record that says how many
//! lines came before it and their digest, so that a journal cut short (a run killed while
//! writing, a copy that stopped, lines deleted from the end, down to the header) is told
//! from a complete one. `tripoint replay` then replays what is there and says where the
//! journal stops.
//!
//! The digest is FNV-1a over the lines (`tripoint_sim::kernel::journal_hash`): it catches
//! damage and truncation, not forgery — whoever edits a journal can recompute it. Against
//! edits the replay itself is the check: every line is produced again and compared.

use std::io::Write;
use std::path::Path;
use tripoint_sim::kernel::journal_hash;

/// The closing record of a journal whose `lines` came before it.
pub fn closing_line(lines: &[String]) -> String {
    serde_json::json!({
        "end": {
            "lines": lines.len(),
            "fnv1a64": format!("{:016x}", journal_hash(lines)),
        }
    })
    .to_string()
}

/// Writes `lines` and their closing record to `path`, whole or not at all: into a
/// temporary file beside it, synced, then renamed over `path`. A program killed while
/// writing leaves the old file (or none) and a temporary file, never half a journal.
pub fn write(path: &Path, lines: &[String]) -> std::io::Result<()> {
    let mut text = String::with_capacity(lines.iter().map(|l| l.len() + 1).sum::<usize>() + 80);
    for line in lines {
        text.push_str(line);
        text.push('\n');
    }
    text.push_str(&closing_line(lines));
    text.push('\n');
    write_atomically(path, text.as_bytes())
}

/// Writes `bytes` to `path` whole or not at all (a temporary file, synced, renamed).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::other(format!("{}: not a file name", path.display())))?;
    let mut temporary_name = std::ffi::OsString::from(".");
    temporary_name.push(name);
    temporary_name.push(format!(".{}.partial", std::process::id()));
    let temporary = path.with_file_name(temporary_name);
    let result = (|| {
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

/// A journal written as it goes (the exercise server's): every line is appended as soon
/// as it exists, so a program killed at any point leaves a file whose complete lines are
/// a prefix of the session (the last line may be cut in the middle). Appends that hold an
/// action are made durable (`fdatasync`) before the action is answered; the others reach
/// the operating system at once and the disk when it writes them back, so a killed
/// process loses nothing and a machine that loses power loses at most events after the
/// last action, which a resumed session computes again. The closing record ends it.
pub struct Appender {
    file: std::fs::File,
}

impl Appender {
    /// Creates the journal with its first line; an existing file is refused (it may be a
    /// journal to resume, not to overwrite).
    pub fn create(path: &Path, header: &str) -> std::io::Result<Appender> {
        let file = std::fs::OpenOptions::new().write(true).create_new(true).open(path)?;
        let mut appender = Appender { file };
        appender.append(std::slice::from_ref(&header.to_string()), true)?;
        sync_folder_of(path);
        Ok(appender)
    }

    /// Opens a journal to go on with it: the file is cut to its first `keep_bytes` bytes
    /// (what was found whole; a line cut in the middle and a closing record go), ended by
    /// a line break if the last line kept lacks one.
    pub fn reopen(path: &Path, keep_bytes: u64, ends_with_newline: bool) -> std::io::Result<Appender> {
        use std::io::Seek as _;
        let mut file = std::fs::OpenOptions::new().write(true).open(path)?;
        file.set_len(keep_bytes)?;
        file.seek(std::io::SeekFrom::End(0))?;
        if !ends_with_newline {
            file.write_all(b"\n")?;
        }
        file.sync_data()?;
        Ok(Appender { file })
    }

    /// Appends lines in one write; `durable`: on the disk before this returns.
    pub fn append(&mut self, lines: &[String], durable: bool) -> std::io::Result<()> {
        if !lines.is_empty() {
            let mut text = String::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
            for line in lines {
                text.push_str(line);
                text.push('\n');
            }
            self.file.write_all(text.as_bytes())?;
        }
        if durable {
            self.file.sync_data()?;
        }
        Ok(())
    }

    /// Ends the journal with the closing record of all its `lines` (header included).
    pub fn close(mut self, lines: &[String]) -> std::io::Result<()> {
        self.append(&[closing_line(lines)], true)
    }
}

/// Makes a new file's name durable: its folder is synced too (Unix; elsewhere the file's
/// own sync is what there is).
fn sync_folder_of(path: &Path) {
    #[cfg(unix)]
    if let Some(folder) = path.parent() {
        let folder = if folder.as_os_str().is_empty() {
            Path::new(".")
        } else {
            folder
        };
        if let Ok(dir) = std::fs::File::open(folder) {
            let _ = dir.sync_all();
        }
    }
}

/// Reads a journal's text. A program killed while writing may have cut its last line
/// inside a character: that line is read with the broken bytes replaced (it is not whole
/// JSON, so [`body`] drops it as cut); bytes that are not UTF-8 anywhere else are refused.
pub fn read_text(path: &Path, bytes_max: u64) -> Result<String, crate::input::CliError> {
    let bytes = crate::input::read_bytes_bounded(path, bytes_max, "a journal")?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => {
            let bytes = e.into_bytes();
            let last_line_start = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            match std::str::from_utf8(&bytes) {
                Err(bad) if bad.valid_up_to() >= last_line_start => Ok(String::from_utf8_lossy(&bytes).into_owned()),
                Err(bad) => Err(crate::input::CliError::Input(format!(
                    "{}: not UTF-8 text (byte {})",
                    path.display(),
                    bad.valid_up_to()
                ))),
                Ok(_) => unreachable!("the bytes were not UTF-8"),
            }
        }
    }
}

/// How a journal read back ends.
#[derive(Debug, PartialEq)]
pub enum Ending {
    /// A closing record that matches the lines before it: they are the whole journal.
    Closed,
    /// No closing record: the journal stops after its first `complete` lines (a last line
    /// cut in the middle is not counted).
    Unclosed { complete: usize, cut_line: bool },
    /// A closing record that does not match the lines before it.
    Damaged { message: String },
}

/// The lines of a journal before its closing record, and how it ends.
pub fn body<'a>(lines: &'a [&'a str]) -> (&'a [&'a str], Ending) {
    let Some((last, before)) = lines.split_last() else {
        return (
            lines,
            Ending::Unclosed {
                complete: 0,
                cut_line: false,
            },
        );
    };
    let closing = serde_json::from_str::<serde_json::Value>(last)
        .ok()
        .and_then(|v| v.get("end").cloned());
    let Some(closing) = closing else {
        // The last line may be cut in the middle: only lines that are whole JSON count.
        let cut_line = serde_json::from_str::<serde_json::Value>(last).is_err();
        let complete = if cut_line { before.len() } else { lines.len() };
        return (&lines[..complete], Ending::Unclosed { complete, cut_line });
    };
    let stated_lines = closing["lines"].as_u64();
    let stated_digest = closing["fnv1a64"].as_str().unwrap_or("");
    let digest = format!("{:016x}", journal_hash(before));
    let ending = if stated_lines != Some(before.len() as u64) {
        Ending::Damaged {
            message: format!(
                "its closing record counts {} lines before it, the file has {}: lines were removed or added",
                stated_lines.map_or_else(|| "no".to_string(), |n| n.to_string()),
                before.len()
            ),
        }
    } else if digest != stated_digest {
        Ending::Damaged {
            message: format!(
                "its closing record's digest is {stated_digest:?}, the lines before it give {digest:?}: a line was changed"
            ),
        }
    } else {
        Ending::Closed
    };
    (before, ending)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn journal() -> Vec<String> {
        vec![
            r#"{"run":{"seed":1}}"#.to_string(),
            r#"{"t_s":0,"kind":"a"}"#.to_string(),
            r#"{"t_s":60,"kind":"b"}"#.to_string(),
            r#"{"report":{}}"#.to_string(),
        ]
    }

    fn written(lines: &[String]) -> Vec<String> {
        let mut all = lines.to_vec();
        all.push(closing_line(lines));
        all
    }

    #[test]
    fn a_whole_journal_is_closed_and_every_cut_is_seen() {
        let lines = written(&journal());
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let (body_lines, ending) = body(&refs);
        assert_eq!(ending, Ending::Closed);
        assert_eq!(body_lines.len(), 4);
        // Cut after every line, down to nothing: never closed.
        for keep in 0..lines.len() {
            let (b, ending) = body(&refs[..keep]);
            assert_eq!(
                ending,
                Ending::Unclosed {
                    complete: keep,
                    cut_line: false
                },
                "{keep}"
            );
            assert_eq!(b.len(), keep);
        }
        // Cut in the middle of a line: that line does not count.
        let cut = &lines[2][..10];
        let refs_cut = [refs[0], refs[1], cut];
        assert_eq!(
            body(&refs_cut).1,
            Ending::Unclosed {
                complete: 2,
                cut_line: true
            }
        );
    }

    #[test]
    fn a_closing_record_that_does_not_match_is_damage() {
        let lines = written(&journal());
        let mut refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        refs.remove(2);
        assert!(matches!(body(&refs).1, Ending::Damaged { message } if message.contains("counts 4 lines")));
        let changed = lines[2].replace("60", "61");
        let mut refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        refs[2] = &changed;
        assert!(matches!(body(&refs).1, Ending::Damaged { message } if message.contains("a line was changed")));
    }

    #[test]
    fn writing_replaces_the_file_whole() {
        let dir = std::env::temp_dir().join(format!("tripoint-journal-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("j.jsonl");
        std::fs::write(&path, "old\n").unwrap();
        write(&path, &journal()).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let refs: Vec<&str> = text.lines().collect();
        assert_eq!(body(&refs).1, Ending::Closed);
        let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file left behind");
        std::fs::remove_dir_all(&dir).ok();
    }
}
