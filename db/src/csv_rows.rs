//! The one reader of the CSV files the database imports (the register and its
//! chemicals, methods, experts, a laboratory's results): the header checked against the
//! file's columns, then each row's cells by column name, with every problem located at
//! its file, line and column. Each file's own checks are a closure over a [`Row`].

use crate::register::RowProblem;
use std::collections::BTreeSet;

/// The columns of a kind of file: the header must name known columns, each once, with
/// the required ones present (in any order).
pub(crate) struct Layout<'a> {
    pub(crate) columns: &'a [&'a str],
    pub(crate) required: &'a [&'a str],
    /// Largest file read [bytes].
    pub(crate) bytes_max: usize,
}

/// Reads `text` (the file `file`) as `layout` says, handing every record to `read` as a
/// [`Row`]; returns what `read` made of each. Problems — of the header, of a record
/// that is not one, and those `read` finds — go to `problems`, in file order.
pub(crate) fn read_rows<T>(
    layout: &Layout,
    file: &str,
    text: &str,
    problems: &mut Vec<RowProblem>,
    mut read: impl FnMut(&mut Row) -> T,
) -> Vec<T> {
    let problem = |line: u64, message: String| RowProblem {
        file: file.to_string(),
        line,
        column: None,
        message,
    };
    if text.len() > layout.bytes_max {
        problems.push(problem(0, format!("more than {} bytes", layout.bytes_max)));
        return Vec::new();
    }
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_string()).collect(),
        Err(e) => {
            problems.push(problem(1, format!("the header cannot be read: {e}")));
            return Vec::new();
        }
    };
    let mut header_ok = true;
    for (idx, name) in header.iter().enumerate() {
        if !layout.columns.contains(&name.as_str()) {
            problems.push(problem(
                1,
                format!("unknown column {name:?}; the columns are {}", layout.columns.join(", ")),
            ));
            header_ok = false;
        } else if header[..idx].contains(name) {
            problems.push(problem(1, format!("column {name:?} twice")));
            header_ok = false;
        }
    }
    for name in layout.required {
        if !header.iter().any(|h| h == name) {
            problems.push(problem(1, format!("missing column {name:?}")));
            header_ok = false;
        }
    }
    if !header_ok {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let mut row = Row {
                    file,
                    line: record.position().map_or(0, |p| p.line()),
                    header: &header,
                    record: &record,
                    problems,
                };
                out.push(read(&mut row));
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(problem(
                    line,
                    format!("not a CSV record of {} fields: {e}", header.len()),
                ));
                // A record the reader cannot take ends what it can read (an I/O error)
                // or is skipped (a record of the wrong length): only the latter goes on.
                if !matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. }) {
                    break;
                }
            }
        }
    }
    out
}

/// What was read, or every problem found.
pub(crate) fn all_or_problems<T>(rows: Vec<T>, problems: Vec<RowProblem>) -> Result<Vec<T>, Vec<RowProblem>> {
    if problems.is_empty() { Ok(rows) } else { Err(problems) }
}

/// One record's cells by column name, its problems collected with its line.
pub(crate) struct Row<'a> {
    pub(crate) file: &'a str,
    pub(crate) line: u64,
    header: &'a [String],
    record: &'a csv::StringRecord,
    problems: &'a mut Vec<RowProblem>,
}

impl Row<'_> {
    /// The cell of `column`, trimmed; empty when the file has no such column.
    pub(crate) fn cell(&self, column: &str) -> &str {
        self.header
            .iter()
            .position(|h| h == column)
            .and_then(|idx| self.record.get(idx))
            .map_or("", str::trim)
    }

    pub(crate) fn bad(&mut self, column: &str, message: String) {
        self.problems.push(RowProblem {
            file: self.file.to_string(),
            line: self.line,
            column: Some(column.to_string()),
            message,
        });
    }

    pub(crate) fn required(&mut self, column: &str) -> String {
        let value = self.cell(column).to_string();
        if value.is_empty() {
            self.bad(column, "required".to_string());
        }
        value
    }

    pub(crate) fn known(&mut self, column: &str, known: &BTreeSet<String>, what: &str) -> String {
        let value = self.required(column);
        self.check_known(column, &value, known, what);
        value
    }

    /// An optional id; when given, one of `known`.
    pub(crate) fn opt_known(&mut self, column: &str, known: &BTreeSet<String>, what: &str) -> Option<String> {
        let value = self.cell(column).to_string();
        if value.is_empty() {
            return None;
        }
        self.check_known(column, &value, known, what);
        Some(value)
    }

    fn check_known(&mut self, column: &str, value: &str, known: &BTreeSet<String>, what: &str) {
        if !value.is_empty() && !known.is_empty() && !known.contains(value) {
            let listed: Vec<&str> = known.iter().map(String::as_str).take(12).collect();
            self.bad(
                column,
                format!(
                    "unknown {what} {value:?}; known: {}{}",
                    listed.join(", "),
                    if known.len() > 12 { ", …" } else { "" }
                ),
            );
        }
    }

    /// The factor to mg/L of the concentration unit in `column` (required); `None` with
    /// the row marked bad when it is missing or not one this database converts.
    pub(crate) fn unit_to_mg_l(&mut self, column: &str) -> Option<f64> {
        let unit = self.required(column);
        let factor = crate::results::to_mg_l(&unit);
        if factor.is_none() && !unit.is_empty() {
            self.bad(
                column,
                format!("{unit:?} is not a concentration unit this database converts: mg/L, µg/L or ug/L"),
            );
        }
        factor
    }

    /// A number in `lo..=hi`; `None` when empty and optional.
    pub(crate) fn number(&mut self, column: &str, lo: f64, hi: f64, optional: bool) -> Option<f64> {
        let text = self.cell(column).to_string();
        if text.is_empty() {
            if !optional {
                self.bad(column, "required".to_string());
            }
            return None;
        }
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() && (lo..=hi).contains(&v) => Some(v),
            Ok(_) | Err(_) => {
                let shown: String = text.chars().take(40).collect();
                self.bad(column, format!("{shown:?} is not a number from {lo} to {hi}"));
                None
            }
        }
    }
}
