//! The seats file (`seats.toml`): who may connect to the exercise server, in which role,
//! and the SHA-256 digest of each seat's token. `tripoint seat add` creates a seat and
//! prints its token once; the file never holds a token in clear, so it can be read by
//! anyone who runs the server without giving a seat away.
//!
//! ```toml
//! [[seats]]
//! name = "qingpu-duty"
//! role = "jurisdiction:qingpu"
//! token_sha256 = "…64 hexadecimal digits…"
//! ```
//!
//! Parse, then validate, as scenarios are: every problem (an unknown key or role, a name
//! used twice, a digest that is not 64 hexadecimal digits) with its line and column.
//!
//! Why a plain SHA-256 and no salt: a salt (and a slow hash) protects secrets that people
//! choose, which are few enough to guess or to look up in a table computed in advance. A
//! token here is 32 bytes from the operating system's random source: 2^256 candidates,
//! so no table and no search can reach it, and two seats never share a digest. A salt
//! would add a field to get wrong and nothing against any attack on such a token.

use crate::input::CliError;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::path::Path;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};
use tripoint_sim::drill::Seat;
use tripoint_sim::scenario::{Problem, Scenario, SourceText};

/// Most seats one file may hold.
pub const SEATS_MAX: usize = 256;
/// Largest seats file read [bytes].
pub const SEATS_FILE_BYTES_MAX: u64 = 1024 * 1024;
/// Random bytes in a token; the token is their hexadecimal text (64 characters).
pub const TOKEN_BYTES: usize = 32;
/// Longest seat name [characters].
pub const NAME_CHARS_MAX: usize = 64;

/// What a seat may do on the server (see `tripoint_sim::drill::permissions`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Role {
    Controller,
    Command,
    /// A jurisdiction, by its id in the scenario (checked when the server starts).
    Jurisdiction(String),
    Evaluator,
    Observer,
}

impl Role {
    /// `controller`, `command`, `jurisdiction:ID`, `evaluator` or `observer`.
    pub fn parse(text: &str) -> Result<Role, String> {
        match text {
            "controller" => Ok(Role::Controller),
            "command" => Ok(Role::Command),
            "evaluator" => Ok(Role::Evaluator),
            "observer" => Ok(Role::Observer),
            _ => match text.strip_prefix("jurisdiction:") {
                Some(id) if is_identifier(id) => Ok(Role::Jurisdiction(id.to_string())),
                Some(id) => Err(format!(
                    "jurisdiction id {id:?}: expected 1 to {NAME_CHARS_MAX} letters, digits, `-` or `_`"
                )),
                None => Err(format!(
                    "unknown role {text:?}: expected controller, command, jurisdiction:ID, evaluator or observer"
                )),
            },
        }
    }

    /// As the seats file writes it.
    pub fn text(&self) -> String {
        match self {
            Role::Controller => "controller".to_string(),
            Role::Command => "command".to_string(),
            Role::Jurisdiction(id) => format!("jurisdiction:{id}"),
            Role::Evaluator => "evaluator".to_string(),
            Role::Observer => "observer".to_string(),
        }
    }

    /// The drill's seat this role acts as; `None`: a jurisdiction the scenario lacks.
    pub fn seat(&self, scenario: &Scenario) -> Option<Seat> {
        match self {
            Role::Controller => Some(Seat::Controller),
            Role::Command => Some(Seat::Command),
            Role::Evaluator => Some(Seat::Evaluator),
            Role::Observer => Some(Seat::Observer),
            Role::Jurisdiction(id) => scenario
                .jurisdictions
                .iter()
                .position(|j| j.id == *id)
                .map(Seat::Jurisdiction),
        }
    }
}

/// A seat of the file, checked.
#[derive(Clone, Debug)]
pub struct SeatEntry {
    pub name: String,
    pub role: Role,
    pub token_sha256: [u8; 32],
    /// Line of the seat's name.
    pub line: usize,
    /// Where the role is written, for problems found later (a jurisdiction the drill's
    /// scenario does not have).
    role_span: std::ops::Range<usize>,
}

/// A checked seats file.
#[derive(Clone, Debug)]
pub struct Seats {
    pub entries: Vec<SeatEntry>,
    source: SourceText,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSeat {
    name: Spanned<String>,
    role: Spanned<String>,
    token_sha256: Spanned<String>,
}

fn is_identifier(text: &str) -> bool {
    (1..=NAME_CHARS_MAX).contains(&text.chars().count())
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// A seat name: 1 to 64 lowercase letters, digits, `-` or `_`.
pub fn check_name(name: &str) -> Result<(), String> {
    if is_identifier(name) && !name.chars().any(|c| c.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(format!(
            "seat name {name:?}: expected 1 to {NAME_CHARS_MAX} lowercase letters, digits, `-` or `_`"
        ))
    }
}

/// The digest a seats file keeps of a token (surrounding white space is not part of it).
pub fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.trim().as_bytes()).into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn parse_digest(text: &str) -> Option<[u8; 32]> {
    if text.len() != 64 || !text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

/// A new token: 32 bytes from the operating system's random source, as hexadecimal.
pub fn new_token() -> Result<String, CliError> {
    let mut bytes = [0u8; TOKEN_BYTES];
    getrandom::fill(&mut bytes)
        .map_err(|e| CliError::Internal(anyhow::anyhow!("the operating system gave no random bytes: {e}")))?;
    Ok(hex(&bytes))
}

/// Equal digests, compared without stopping at the first difference. The digests are
/// not secret in themselves (the file holds them), but the comparison then tells a
/// timing observer nothing about how close a guess came.
fn same_digest(a: &[u8; 32], b: &[u8; 32]) -> bool {
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl Seats {
    /// Parses and checks a seats file's text; every problem with its place.
    pub fn parse(source: SourceText) -> Result<Seats, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut entries: Vec<SeatEntry> = Vec::new();
        // Every name seen, with its line, whether or not the rest of its seat is right.
        let mut names: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
        for raw in read_tables(&source, &mut problems) {
            let mut ok = true;
            let name = raw.name.get_ref().clone();
            let line = source.problem(Some(raw.name.span()), "").line;
            if let Err(message) = check_name(&name) {
                problems.push(source.problem(Some(raw.name.span()), message));
                ok = false;
            } else if let Some(first) = names.get(&name) {
                let message = format!("seat {name:?} is named twice (first at line {first})");
                problems.push(source.problem(Some(raw.name.span()), message));
                ok = false;
            } else {
                names.insert(name.clone(), line);
            }
            let role = Role::parse(raw.role.get_ref()).map_err(|message| {
                problems.push(source.problem(Some(raw.role.span()), message));
            });
            let token_sha256 = parse_digest(raw.token_sha256.get_ref()).ok_or_else(|| {
                let message = "token_sha256: expected the 64 lowercase hexadecimal digits of a SHA-256 digest";
                problems.push(source.problem(Some(raw.token_sha256.span()), message));
            });
            if let (true, Ok(role), Ok(token_sha256)) = (ok, role, token_sha256) {
                entries.push(SeatEntry {
                    line,
                    name,
                    role,
                    token_sha256,
                    role_span: raw.role.span(),
                });
            }
        }
        if problems.is_empty() {
            Ok(Seats { entries, source })
        } else {
            problems.sort_by_key(|p| p.offset);
            Err(problems)
        }
    }

    /// Reads and checks a seats file (bad input: exit 2 with every problem).
    pub fn read(path: &Path) -> Result<Seats, CliError> {
        let text = crate::input::read_text_file(path, SEATS_FILE_BYTES_MAX, "a seats file")?;
        Seats::parse(SourceText::new(path.display().to_string(), text)).map_err(problems_error)
    }

    /// The seat a name and token open, if the token is the seat's.
    pub fn authenticate(&self, name: &str, token: &str) -> Option<&SeatEntry> {
        let offered = digest(token);
        self.entries
            .iter()
            .find(|e| e.name == name)
            .filter(|e| same_digest(&e.token_sha256, &offered))
    }

    /// Each seat's drill seat on a scenario; a jurisdiction the scenario does not have is
    /// a problem at its line.
    pub fn resolve(&self, scenario: &Scenario) -> Result<Vec<Seat>, CliError> {
        let mut problems = Vec::new();
        let mut seats = Vec::new();
        for entry in &self.entries {
            match entry.role.seat(scenario) {
                Some(seat) => seats.push(seat),
                None => {
                    let known: Vec<&str> = scenario.jurisdictions.iter().map(|j| j.id.as_str()).collect();
                    let message = format!(
                        "the drill's scenario has no jurisdiction {:?} (it has {})",
                        entry.role.text().trim_start_matches("jurisdiction:"),
                        known.join(", ")
                    );
                    problems.push(self.source.problem(Some(entry.role_span.clone()), message));
                }
            }
        }
        if problems.is_empty() {
            Ok(seats)
        } else {
            Err(problems_error(problems))
        }
    }
}

fn problems_error(problems: Vec<Problem>) -> CliError {
    CliError::Input(problems.iter().map(|p| format!("{p}\n")).collect())
}

/// The `[[seats]]` tables, each deserialised on its own so that one bad table does not
/// hide the problems of the others.
fn read_tables(source: &SourceText, problems: &mut Vec<Problem>) -> Vec<RawSeat> {
    let (root, syntax_errors) = DeTable::parse_recoverable(&source.text);
    if !syntax_errors.is_empty() {
        for e in syntax_errors {
            problems.push(source.problem(e.span(), format!("syntax: {}", e.message().trim())));
        }
        return Vec::new();
    }
    let mut tables = Vec::new();
    for (key, value) in root.into_inner() {
        if key.get_ref().as_ref() != "seats" {
            let message = format!("unknown section `{}`, expected `seats` ([[seats]])", key.get_ref());
            problems.push(source.problem(Some(key.span()), message));
            continue;
        }
        let span = value.span();
        let DeValue::Array(items) = value.into_inner() else {
            problems.push(source.problem(Some(span), "`seats` must be a list of tables, written [[seats]]"));
            continue;
        };
        if items.len() > SEATS_MAX {
            let message = format!("{} seats; a file may hold at most {SEATS_MAX}", items.len());
            problems.push(source.problem(Some(span), message));
            continue;
        }
        for item in items {
            let span = item.span();
            match RawSeat::deserialize(ValueDeserializer::from(item)) {
                Ok(raw) => tables.push(raw),
                Err(e) => problems.push(source.problem(Some(e.span().unwrap_or(span)), e.message().trim())),
            }
        }
    }
    tables
}

/// Adds a seat to a seats file (created if missing) and returns its token, which is
/// kept nowhere: the caller prints it once. The file is checked first and left as it
/// was if it has a problem or already has the name; it is written whole or not at all.
pub fn add(path: &Path, name: &str, role: &Role) -> Result<String, CliError> {
    check_name(name).map_err(CliError::Input)?;
    let shown = path.display().to_string();
    let old_text = if path.exists() {
        let seats = Seats::read(path)?;
        if seats.entries.iter().any(|e| e.name == name) {
            return Err(CliError::Input(format!("{shown}: seat {name:?} exists already")));
        }
        if seats.entries.len() >= SEATS_MAX {
            return Err(CliError::Input(format!(
                "{shown}: the file has {SEATS_MAX} seats, the most it may hold"
            )));
        }
        seats.source.text
    } else {
        "# Seats of a Tripoint exercise server (`tripoint seat add`). Each seat's token is kept\n\
         # only as its SHA-256 digest; see docs/protocol.md.\n"
            .to_string()
    };
    let token = new_token()?;
    let mut text = old_text;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(&format!(
        "\n[[seats]]\nname = \"{name}\"\nrole = \"{}\"\ntoken_sha256 = \"{}\"\n",
        role.text(),
        hex(&digest(&token))
    ));
    // What is written must read back: the name and role were checked, so this holds.
    let check = Seats::parse(SourceText::new(shown.clone(), text.clone()));
    assert!(
        check.is_ok_and(|s| s.authenticate(name, &token).is_some()),
        "a seat written reads back"
    );
    crate::journal::write_atomically(path, text.as_bytes())
        .map_err(|e| CliError::Input(format!("{shown}: cannot write the seats file: {e}")))?;
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Seats, Vec<Problem>> {
        Seats::parse(SourceText::new("seats.toml", text))
    }

    fn seat(name: &str, role: &str, digest: &str) -> String {
        format!("[[seats]]\nname = \"{name}\"\nrole = \"{role}\"\ntoken_sha256 = \"{digest}\"\n")
    }

    #[test]
    fn a_token_opens_its_seat_only() {
        let token = new_token().unwrap();
        assert_eq!(token.len(), 2 * TOKEN_BYTES);
        let text = [
            seat("qingpu", "jurisdiction:qingpu", &hex(&digest(&token))),
            seat("cmd", "command", &hex(&digest("another"))),
        ]
        .concat();
        let seats = parse(&text).unwrap();
        assert_eq!(
            seats.authenticate("qingpu", &token).unwrap().role,
            Role::Jurisdiction("qingpu".into())
        );
        assert_eq!(
            seats.authenticate("qingpu", &format!("{token}\n")).unwrap().name,
            "qingpu"
        );
        assert!(seats.authenticate("cmd", &token).is_none());
        assert!(seats.authenticate("nobody", &token).is_none());
        assert!(seats.authenticate("qingpu", "").is_none());
    }

    #[test]
    fn every_problem_of_a_seats_file_is_located() {
        let good = hex(&digest("x"));
        let text = [
            seat("a", "commander", &good),
            seat("a", "observer", &good),
            seat("b", "observer", "not-a-digest"),
            seat("C", "jurisdiction:", &good),
            "[[seats]]\nname = \"d\"\nrole = \"observer\"\ntoken_sha256 = \"00\"\ncolour = \"red\"\n".to_string(),
        ]
        .concat();
        let problems = parse(&text).unwrap_err();
        let lines: Vec<(usize, &str)> = problems.iter().map(|p| (p.line, p.message.as_str())).collect();
        assert!(
            lines[0].0 == 3 && lines[0].1.contains("unknown role \"commander\""),
            "{lines:?}"
        );
        assert!(lines[1].0 == 6 && lines[1].1.contains("named twice"), "{lines:?}");
        assert!(lines[2].0 == 12 && lines[2].1.contains("token_sha256"), "{lines:?}");
        assert!(lines[3].0 == 14 && lines[3].1.contains("seat name \"C\""), "{lines:?}");
        assert!(lines[4].0 == 15 && lines[4].1.contains("jurisdiction id"), "{lines:?}");
        assert!(lines[5].1.contains("colour"), "{lines:?}");
        assert_eq!(problems.len(), 6, "{lines:?}");
        let shown = problems[0].to_string();
        assert!(shown.starts_with("seats.toml:3:8: unknown role"), "{shown}");
    }

    #[test]
    fn roles_read_as_written() {
        for text in ["controller", "command", "jurisdiction:wujiang", "evaluator", "observer"] {
            assert_eq!(Role::parse(text).unwrap().text(), text);
        }
        assert!(Role::parse("jurisdiction:a b").is_err());
        assert!(Role::parse("").is_err());
    }
}
