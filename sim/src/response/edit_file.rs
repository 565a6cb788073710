//! Plan-edit files: timed edits of incidents' monitoring plans written outside the
//! console (TOML, `[[edits]]`, see docs/plan-edits.md), applied to a run or a drill at
//! their times. Parse, then validate: every problem is reported at once with file, line
//! and column; an edit that passes is well formed, though it may still be refused when it
//! falls due (the point not in the plan then, say), which the run reports.

use super::edit::{EditRequest, Editor, INTERVAL_MAX, INTERVAL_MIN};
use crate::scenario::{Problem, Scenario, SourceText};
use crate::time::SimTime;
use serde::Deserialize;
use std::fmt;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

/// Most edits one file may hold.
pub const EDITS_MAX: usize = 1_000;

/// One edit of a plan-edit file, checked against the scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct TimedEdit {
    /// When it is made, on the scenario clock.
    pub at: SimTime,
    pub by: Editor,
    /// Index of the incident in the scenario.
    pub incident: usize,
    pub request: EditRequest,
    /// Line of the file where the edit's `[[edits]]` table starts.
    pub line: usize,
}

/// Every problem of a plan-edit file, reported together.
#[derive(Clone, Debug)]
pub struct EditFileError {
    pub problems: Vec<Problem>,
}

impl fmt::Display for EditFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        writeln!(f, "plan-edit file has {} problem{}", n, if n == 1 { "" } else { "s" })?;
        for problem in &self.problems {
            writeln!(f, "\nerror: {problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for EditFileError {}

/// An `[[edits]]` table as written.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct RawEdit {
    /// Scenario-clock time, `D1 05:00` or `05:00` (day 1).
    at: Spanned<String>,
    /// Incident id.
    incident: Spanned<String>,
    /// `add`, `remove`, `interval`, `mutual_aid` or `approve`.
    action: Spanned<String>,
    /// Plan point id (every action but `approve`).
    point: Option<Spanned<String>>,
    /// Sampling interval while the plume passes [min] (`interval` only).
    every_min: Option<Spanned<i64>>,
    /// `command` (default) or a jurisdiction id.
    by: Option<Spanned<String>>,
}

/// The actions a file may give, as written.
pub const ACTIONS: [&str; 5] = ["add", "remove", "interval", "mutual_aid", "approve"];

/// Reads and checks a plan-edit file against a scenario. `window`: the first and last
/// time an edit may be made (the run's or the exercise's span). Edits are returned in
/// file order; the caller schedules them in that order, so edits at the same time apply
/// as written.
pub fn parse(
    source: &SourceText,
    scenario: &Scenario,
    window: (SimTime, SimTime),
) -> Result<Vec<TimedEdit>, EditFileError> {
    let mut problems = Vec::new();
    let mut edits = Vec::new();
    for (span, raw) in read_tables(source, &mut problems) {
        let line = source.problem(Some(span.clone()), "").line;
        if let Some(edit) = check(source, scenario, window, raw, line, &mut problems) {
            edits.push(edit);
        }
    }
    if problems.is_empty() {
        Ok(edits)
    } else {
        problems.sort_by_key(|p| p.offset);
        Err(EditFileError { problems })
    }
}

/// The `[[edits]]` tables, each deserialised on its own so that one bad table does not
/// hide the problems of the others.
fn read_tables(source: &SourceText, problems: &mut Vec<Problem>) -> Vec<(std::ops::Range<usize>, RawEdit)> {
    let (root, syntax_errors) = DeTable::parse_recoverable(&source.text);
    if !syntax_errors.is_empty() {
        for e in syntax_errors {
            problems.push(source.problem(
                e.span(),
                format!(
                    "syntax: {}",
                    crate::scenario::ranges::shorten_numbers(e.message().trim())
                ),
            ));
        }
        return Vec::new();
    }
    let mut tables = Vec::new();
    for (key, value) in root.into_inner() {
        if key.get_ref().as_ref() != "edits" {
            let message = format!("unknown section `{}`, expected `edits` ([[edits]])", key.get_ref());
            problems.push(source.problem(Some(key.span()), message));
            continue;
        }
        let span = value.span();
        let DeValue::Array(items) = value.into_inner() else {
            problems.push(source.problem(Some(span), "`edits` must be a list of tables, written [[edits]]"));
            continue;
        };
        if items.len() > EDITS_MAX {
            let message = format!("{} edits; a file may hold at most {EDITS_MAX}", items.len());
            problems.push(source.problem(Some(span), message));
            continue;
        }
        for item in items {
            let span = item.span();
            match RawEdit::deserialize(ValueDeserializer::from(item)) {
                Ok(raw) => tables.push((span, raw)),
                Err(e) => problems.push(source.problem(
                    Some(e.span().unwrap_or(span)),
                    crate::scenario::ranges::shorten_numbers(e.message().trim()),
                )),
            }
        }
    }
    tables
}

/// Checks one edit; every problem found goes into `problems`.
fn check(
    source: &SourceText,
    scenario: &Scenario,
    (first, last): (SimTime, SimTime),
    raw: RawEdit,
    line: usize,
    problems: &mut Vec<Problem>,
) -> Option<TimedEdit> {
    let n_before = problems.len();
    let mut problem =
        |span: std::ops::Range<usize>, message: String| problems.push(source.problem(Some(span), message));
    let at = match SimTime::parse_clock(raw.at.get_ref()) {
        None => {
            let message = format!(
                "at: {:?} is not a scenario-clock time (write \"D1 05:00\", or \"05:00\" on day 1)",
                raw.at.get_ref()
            );
            problem(raw.at.span(), message);
            None
        }
        Some(at) if at < first || at > last => {
            let message = format!(
                "at: {} is outside the run, which lasts from {} to {}",
                at.clock_label(),
                first.clock_label(),
                last.clock_label()
            );
            problem(raw.at.span(), message);
            None
        }
        Some(at) => Some(at),
    };
    let incident_id = raw.incident.get_ref().trim();
    let incident = scenario.incidents.iter().position(|i| i.id == incident_id);
    if incident.is_none() {
        let known: Vec<&str> = scenario.incidents.iter().map(|i| i.id.as_str()).collect();
        let message = format!("incident: no incident `{incident_id}` (known: {})", known.join(", "));
        problem(raw.incident.span(), message);
    }
    let by = match &raw.by {
        None => Some(Editor::Command),
        Some(by) if by.get_ref() == "command" => Some(Editor::Command),
        Some(by) => match scenario.jurisdictions.iter().position(|j| &j.id == by.get_ref()) {
            Some(j) => Some(Editor::Jurisdiction(j)),
            None => {
                let known: Vec<&str> = scenario.jurisdictions.iter().map(|j| j.id.as_str()).collect();
                let message = format!(
                    "by: `{}` is neither `command` nor a jurisdiction ({})",
                    by.get_ref(),
                    known.join(", ")
                );
                problem(by.span(), message);
                None
            }
        },
    };
    let action = raw.action.get_ref().as_str();
    if !ACTIONS.contains(&action) {
        let message = format!("action: `{action}` is not one of {}", ACTIONS.join(", "));
        problem(raw.action.span(), message);
        return None;
    }
    let point = match (&raw.point, action) {
        (Some(point), "approve") => {
            problem(
                point.span(),
                "point: `approve` approves the whole plan and takes no point".to_string(),
            );
            None
        }
        (None, "approve") => None,
        (None, _) => {
            problem(raw.action.span(), format!("`{action}` needs a `point`"));
            None
        }
        (Some(point), _) => {
            let id = point.get_ref().trim();
            let named = scenario.point_idx(id).is_some();
            let own = incident.is_some_and(|i| id.starts_with(&format!("{}-", scenario.incidents[i].id)));
            if named || own || incident.is_none() {
                Some(id.to_string())
            } else {
                let message = format!(
                    "point: `{id}` is neither a named point of the scenario nor one of {incident_id}'s own plan \
                     points ({incident_id}-site, {incident_id}-down-5km, …)"
                );
                problem(point.span(), message);
                None
            }
        }
    };
    let every_min = match (&raw.every_min, action) {
        (None, "interval") => {
            problem(raw.action.span(), "`interval` needs `every_min`".to_string());
            None
        }
        (Some(every), "interval") => {
            let (min, max) = (INTERVAL_MIN.seconds() / 60, INTERVAL_MAX.seconds() / 60);
            let minutes = *every.get_ref();
            if (min..=max).contains(&minutes) {
                u32::try_from(minutes).ok()
            } else {
                problem(
                    every.span(),
                    format!("every_min: {minutes} min is outside {min} to {max} min"),
                );
                None
            }
        }
        (Some(every), _) => {
            problem(
                every.span(),
                format!("every_min: only `interval` takes it, not `{action}`"),
            );
            None
        }
        (None, _) => None,
    };
    let request = match action {
        "add" => EditRequest::Add { point: point? },
        "remove" => EditRequest::Remove { point: point? },
        "mutual_aid" => EditRequest::MutualAid { point: point? },
        "interval" => EditRequest::Interval {
            point: point?,
            every_min: every_min?,
        },
        _ => EditRequest::Approve { revision: None },
    };
    if let Some(by) = by
        && let Err(reason) = request.allowed(by)
    {
        let span = raw.by.as_ref().map_or(raw.action.span(), Spanned::span);
        problem(span, format!("by: {}", reason.english));
    }
    if problems.len() > n_before {
        return None;
    }
    Some(TimedEdit {
        at: at?,
        by: by?,
        incident: incident?,
        request,
        line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario() -> Scenario {
        Scenario::builtin_named("two-incidents.toml").expect("built in")
    }

    fn parse_text(text: &str) -> Result<Vec<TimedEdit>, EditFileError> {
        let window = (SimTime::ZERO, SimTime::from_hours(72));
        parse(&SourceText::new("edits.toml", text), &scenario(), window)
    }

    #[test]
    fn a_well_formed_file_gives_its_edits_in_order() {
        let s = scenario();
        let (incident, point) = (&s.incidents[0].id, &s.points[0].id);
        let text = format!(
            "[[edits]]\nat = \"D1 05:00\"\nincident = \"{incident}\"\naction = \"remove\"\npoint = \"{point}\"\n\n\
             [[edits]]\nat = \"06:30\"\nincident = \"{incident}\"\naction = \"approve\"\n"
        );
        let edits = parse_text(&text).unwrap();
        assert_eq!(edits.len(), 2);
        assert_eq!(edits[0].at, SimTime(5 * 3600));
        assert_eq!(edits[0].line, 1);
        assert_eq!(edits[0].request, EditRequest::Remove { point: point.clone() });
        assert_eq!(edits[1].request, EditRequest::Approve { revision: None });
        assert_eq!((edits[1].by, edits[1].line), (Editor::Command, 7));
    }

    #[test]
    fn every_problem_is_located() {
        let text = "[[edits]]\nat = \"D1 25:00\"\nincident = \"nope\"\naction = \"interval\"\npoint = \"x\"\nevery_min = 1\n\n\
                    [[edits]]\nat = \"05:00\"\nincident = \"I1\"\naction = \"add\"\ncolour = \"red\"\n";
        let e = parse_text(text).unwrap_err();
        let lines: Vec<usize> = e.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![2, 3, 6, 12], "{e}");
        assert!(e.to_string().contains("unknown field `colour`"), "{e}");
    }

    #[test]
    fn only_the_command_edits_and_a_jurisdiction_asks_for_help() {
        let s = scenario();
        let (incident, point, j) = (&s.incidents[0].id, &s.points[0].id, &s.jurisdictions[0].id);
        let edit = |action: &str| {
            format!(
                "[[edits]]\nat = \"05:00\"\nincident = \"{incident}\"\naction = \"{action}\"\npoint = \"{point}\"\nby = \"{j}\"\n"
            )
        };
        assert!(parse_text(&edit("mutual_aid")).is_ok());
        let e = parse_text(&edit("remove")).unwrap_err();
        assert!(e.to_string().contains("only the joint command"), "{e}");
        assert_eq!(e.problems[0].line, 6);
    }
}
