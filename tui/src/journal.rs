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
