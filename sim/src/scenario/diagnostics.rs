//! Located problems in input files: file, line, column, message and a caret excerpt.

use crate::drill::text::Text;
use std::fmt;
use std::ops::Range;

/// One input text, kept so that problems can quote it. It may be several files joined
/// (a scenario that extends a base): each part keeps its own name and line numbers.
#[derive(Clone, Debug)]
pub struct SourceText {
    /// Name shown to the user (a path, or `<built-in>/…`) of the first part.
    pub name: String,
    pub text: String,
    /// Byte offset in `text` where each part starts, with the part's name; sorted.
    parts: Vec<(usize, String)>,
}

/// One problem found in an input, with where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    /// 1-based line; 0 when the problem has no single place (e.g. a missing section).
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
    /// The problem in English, as `Display` writes it.
    pub message: String,
    /// The same problem as data (a message id and its arguments, the `sc-` messages of
    /// the binary's `check.ftl`), for the other languages; `None` where it has none yet
    /// and the English shows.
    pub text: Option<Text>,
    /// The offending line, for display.
    pub excerpt: String,
    /// Number of characters to underline from `column`.
    pub width: usize,
    /// Byte offset in the (joined) text, to list problems in file order.
    pub offset: usize,
}

impl SourceText {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let name = name.into();
        SourceText {
            parts: vec![(0, name.clone())],
            name,
            text: text.into(),
        }
    }

    /// Joins files into one text; problems still name the file and line they come from.
    pub fn concat(parts: &[(String, String)]) -> Self {
        let mut text = String::new();
        let mut starts = Vec::new();
        for (name, part) in parts {
            starts.push((text.len(), name.clone()));
            text.push_str(part);
            if !part.ends_with('\n') {
                text.push('\n');
            }
        }
        let name = parts.last().map(|(n, _)| n.clone()).unwrap_or_default();
        SourceText {
            name,
            text,
            parts: starts,
        }
    }

    /// A problem at a byte span of this text (clamped to the text).
    pub fn problem(&self, span: Option<Range<usize>>, message: impl Into<String>) -> Problem {
        let message = message.into();
        let Some(span) = span else {
            return Problem {
                file: self.name.clone(),
                line: 0,
                column: 0,
                message,
                text: None,
                excerpt: String::new(),
                width: 0,
                offset: usize::MAX,
            };
        };
        let start = floor_char_boundary(&self.text, span.start.min(self.text.len()));
        let end = floor_char_boundary(&self.text, span.end.clamp(start, self.text.len()));
        let (part_start, file) = self
            .parts
            .iter()
            .rev()
            .find(|(offset, _)| *offset <= start)
            .map_or((0, self.name.clone()), |(offset, name)| (*offset, name.clone()));
        let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1).max(part_start);
        let line_end = self.text[start..].find('\n').map_or(self.text.len(), |i| start + i);
        let line = self.text[part_start..start].matches('\n').count() + 1;
        let column = self.text[line_start..start].chars().count() + 1;
        let excerpt: String = self.text[line_start..line_end]
            .trim_end_matches('\r')
            .chars()
            .take(160)
            .map(printable)
            .collect();
        let width = self.text[start..end.min(line_end)].chars().count().max(1);
        Problem {
            file,
            line,
            column,
            message,
            text: None,
            excerpt,
            width,
            offset: start,
        }
    }
}

/// A character as it may reach a terminal: a tab as one space (the carets count
/// characters), any other control character (NUL, an escape that would start a terminal
/// sequence) as U+FFFD, so a hostile file cannot drive the terminal that shows its error.
fn printable(c: char) -> char {
    match c {
        '\t' => ' ',
        c if c.is_control() => '\u{FFFD}',
        c => c,
    }
}

/// A message for the terminal: line breaks kept, other control characters replaced.
fn printable_message(message: &str) -> String {
    message
        .chars()
        .map(|c| if c == '\n' { c } else { printable(c) })
        .collect()
}

fn floor_char_boundary(text: &str, mut idx: usize) -> usize {
    while idx > 0 && !text.is_char_boundary(idx) {
        idx -= 1;
    }
    idx
}

impl Problem {
    /// The problem with its message as data beside the English.
    pub fn with_text(mut self, text: Text) -> Problem {
        self.text = Some(text);
        self
    }

    /// The same problem and place with another message (the message in another
    /// language, written by `Display` with the same location and excerpt).
    pub fn with_message(&self, message: String) -> Problem {
        Problem {
            message,
            ..self.clone()
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            return write!(f, "{}: {}", self.file, printable_message(&self.message));
        }
        writeln!(
            f,
            "{}:{}:{}: {}",
            self.file,
            self.line,
            self.column,
            printable_message(&self.message)
        )?;
        let gutter = self.line.to_string().len();
        writeln!(f, "{:gutter$} |", "")?;
        writeln!(f, "{} | {}", self.line, self.excerpt)?;
        let pad = self.column.saturating_sub(1);
        let carets = self.width.min(self.excerpt.chars().count().saturating_sub(pad).max(1));
        write!(f, "{:gutter$} | {:pad$}{}", "", "", "^".repeat(carets))
    }
}

/// Every problem found in a scenario, reported together.
#[derive(Clone, Debug)]
pub struct ScenarioError {
    pub problems: Vec<Problem>,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        writeln!(f, "scenario has {} problem{}", n, if n == 1 { "" } else { "s" })?;
        for problem in &self.problems {
            writeln!(f, "\nerror: {problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_reports_line_column_and_caret() {
        let src = SourceText::new("zone.toml", "[a]\nlength_m = -5\n");
        let start = src.text.find("-5").unwrap();
        let p = src.problem(Some(start..start + 2), "length_m must be positive");
        assert_eq!((p.line, p.column, p.width), (2, 12, 2));
        assert_eq!(
            p.to_string(),
            "zone.toml:2:12: length_m must be positive\n  |\n2 | length_m = -5\n  |            ^^"
        );
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let src = SourceText::new("z.toml", "name = \"太浦河\" x\n");
        let start = src.text.find('x').unwrap();
        assert_eq!(src.problem(Some(start..start + 1), "m").column, 14);
    }

    #[test]
    fn joined_files_keep_their_own_names_and_lines() {
        let src = SourceText::concat(&[
            ("base.toml".into(), "a = 1\nb = 2".into()),
            ("child.toml".into(), "c = 3\nd = x\n".into()),
        ]);
        let start = src.text.find('x').unwrap();
        let p = src.problem(Some(start..start + 1), "m");
        assert_eq!((p.file.as_str(), p.line, p.column), ("child.toml", 2, 5));
        let p = src.problem(Some(6..7), "m");
        assert_eq!((p.file.as_str(), p.line), ("base.toml", 2));
    }

    #[test]
    fn out_of_range_spans_are_clamped() {
        let src = SourceText::new("z.toml", "a = 1");
        let p = src.problem(Some(100..200), "m");
        assert_eq!(p.line, 1);
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let src = SourceText::new("z.toml", "from = \"a\u{0}b\u{1b}[31m\"\tx\n");
        let start = src.text.find('x').unwrap();
        let shown = src
            .problem(Some(start..start + 1), "unknown node `a\u{0}b\u{1b}[31m`")
            .to_string();
        assert!(!shown.chars().any(|c| c.is_control() && c != '\n'), "{shown:?}");
        assert!(shown.contains("from = \"a\u{FFFD}b\u{FFFD}[31m\" x"), "{shown}");
        assert!(shown.contains("unknown node `a\u{FFFD}b\u{FFFD}[31m`"), "{shown}");
        // The caret stays under the `x`: one column per replaced character.
        let lines: Vec<&str> = shown.lines().collect();
        let caret = lines[3].find('^').unwrap();
        assert_eq!(lines[2][..].chars().nth(caret), Some('x'), "{shown}");
    }
}
