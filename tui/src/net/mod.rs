//! Protocol v1 of the exercise server (docs/protocol.md): JSON messages in
//! length-delimited frames over TCP (a 4-byte big-endian length, then that many bytes of
//! UTF-8 JSON; at most [`FRAME_BYTES_MAX`]). The message types here are the protocol:
//! the server (`crate::serve`) and the client library ([`client`]) both use them, so the
//! two cannot drift apart.

pub mod client;
pub mod tls;
pub mod typed_view;

use serde::{Deserialize, Serialize};
use tokio_util::codec::LengthDelimitedCodec;
use tripoint_sim::drill::text::{Arg, Text};
use tripoint_sim::drill::{self, clock::Speed};

/// The protocol version a hello must name.
pub const PROTOCOL_VERSION: u32 = 1;
/// Largest frame a client may send [bytes]; a larger one is refused and the connection
/// closed (a stream cannot be read past a frame it did not read). A client's messages
/// are a few hundred bytes; the limit is what keeps a hostile client from making the
/// server buffer without end.
pub const FRAME_BYTES_MAX: usize = 1024 * 1024;
/// Largest frame the server sends [bytes]: a whole view grows with the exercise (the
/// controller's view of the two-incident drill is about 250 KB at its end, most of it
/// the log and the plume), so the server may send more than it accepts. A client reads
/// frames up to this size from the server it chose to trust.
pub const VIEW_FRAME_BYTES_MAX: usize = 16 * 1024 * 1024;
/// Where a client reads its token when it is given no file.
pub const TOKEN_ENV: &str = "TRIPOINT_TOKEN";

/// The codec of both ends: 4-byte big-endian length prefix, frames of at most
/// `frame_bytes_max` ([`FRAME_BYTES_MAX`] from clients, [`VIEW_FRAME_BYTES_MAX`] from
/// the server).
pub fn codec(frame_bytes_max: usize) -> LengthDelimitedCodec {
    LengthDelimitedCodec::builder()
        .max_frame_length(frame_bytes_max)
        .new_codec()
}

/// What a client sends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientMessage {
    /// The first message: who the client is. Anything else first closes the connection.
    Hello {
        protocol: u32,
        seat: String,
        token: String,
        /// The `seq` of the last update the client saw (a reconnect), if any.
        #[serde(default)]
        last_seen_seq: Option<u64>,
        /// The language the seat reads (`en`, `zh-CN`; `zh` and `zh_CN` too): the server's
        /// answers (a refusal's `detail`, a refused hello's `reason`) come in it. Without
        /// it, English, as before.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lang: Option<String>,
        /// The client applies an update's `spliced` fields ([`Splice`]): the server may
        /// then send a long list's change instead of the whole list. Without it, every
        /// changed field whole, as before there were splices.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        splices: bool,
    },
    /// A seat's action. `id`: the client's id, increasing for each new action of the seat;
    /// the same id sent again is answered with the first answer and not applied again.
    Action { id: u64, action: drill::Action },
    /// A change of the exercise clock (controllers only); ids as for actions.
    Control { id: u64, control: Control },
}

/// The controller's hand on the clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Control {
    Pause,
    Resume,
    /// `real_time`, `x10`, `x60`, `x600` or `fastest`.
    Speed(Speed),
    /// Pause by itself when exercise time reaches this [s on the scenario clock]: the
    /// simulation stops exactly there, whatever the speed. It does not start the clock.
    PauseAt(i64),
}

/// Applied or refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AckStatus {
    Applied,
    Refused,
}

/// The answer to an action or a control.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ack {
    pub id: u64,
    pub status: AckStatus,
    /// What the action did (applied; may be empty) or why it was refused.
    pub detail: String,
    /// Exercise time when it was handled [s on the scenario clock].
    pub time_s: i64,
    /// This id had been answered before: this is that answer, and nothing was done again.
    #[serde(default)]
    pub duplicate: bool,
    /// `detail` as data, where the server has it (every refusal, and outcomes the engine
    /// words): a client renders it in its own language. Older servers send none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<Message>,
}

/// A sentence as data: the id of a message of the message files (`tui/locales/*/*.ftl`)
/// and its arguments, each `{"kind": …, "value": …}` as `tripoint_sim::drill::text::Arg`
/// serialises (names are scenario ids, shown by their names in a language).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Message {
    pub id: String,
    #[serde(default)]
    pub args: serde_json::Map<String, serde_json::Value>,
}

/// Deepest nesting of sentences a [`Message`] read from the network may have.
const MESSAGE_DEPTH_MAX: usize = 8;

impl Message {
    pub fn of(text: &Text) -> Message {
        let serde_json::Value::Object(mut object) = serde_json::to_value(text).expect("a text serialises") else {
            unreachable!("a text serialises as an object")
        };
        let args = match object.remove("args") {
            Some(serde_json::Value::Object(args)) => args,
            _ => serde_json::Map::new(),
        };
        Message {
            id: text.id.to_string(),
            args,
        }
    }

    /// The sentence, if this program has its message and every argument reads (an unknown
    /// message, from a newer server, shows as the English `detail` instead).
    pub fn text(&self) -> Option<Text> {
        text_of(&self.id, &self.args, 0)
    }
}

fn text_of(id: &str, args: &serde_json::Map<String, serde_json::Value>, depth: usize) -> Option<Text> {
    if depth > MESSAGE_DEPTH_MAX {
        return None;
    }
    let id = crate::i18n::known_identifier(id)?;
    let args = args
        .iter()
        .map(|(name, value)| Some((crate::i18n::known_identifier(name)?, arg_of(value, depth)?)))
        .collect::<Option<Vec<_>>>()?;
    Some(Text::new(id, args))
}

/// An argument as `Arg` serialises it.
fn arg_of(value: &serde_json::Value, depth: usize) -> Option<Arg> {
    let string = |v: &serde_json::Value| v.as_str().map(str::to_string);
    let strings = |v: &serde_json::Value| -> Option<Vec<String>> { v.as_array()?.iter().map(string).collect() };
    let kind = value.get("kind")?.as_str()?;
    let inner = value.get("value").unwrap_or(&serde_json::Value::Null);
    Some(match kind {
        "plain" => Arg::Plain(string(inner)?),
        "name" => Arg::Name(string(inner)?),
        "incident" => Arg::Incident(string(inner)?),
        "incident_name" => Arg::IncidentName(string(inner)?),
        "seat" => Arg::Seat(string(inner)?),
        "team" => Arg::Team(if inner.is_null() { None } else { Some(string(inner)?) }),
        "known_by" => Arg::KnownBy(string(inner)?),
        "means" => Arg::Means(match inner.as_str()? {
            "boat" => "boat",
            "drone" => "drone",
            "road" => "road",
            "mobile_laboratory" => "mobile_laboratory",
            _ => return None,
        }),
        "span" => Arg::Span(inner.as_i64()?),
        "authored" => Arg::Authored {
            text: string(inner.get("text")?)?,
            zh: string(inner.get("zh")?)?,
        },
        "seats" => Arg::Seats(strings(inner)?),
        "names" => Arg::Names(strings(inner)?),
        "policy" => Arg::Policy(string(inner)?),
        "text" => {
            let id = inner.get("id")?.as_str()?;
            let empty = serde_json::Map::new();
            let args = match inner.get("args") {
                Some(args) => args.as_object()?,
                None => &empty,
            };
            Arg::text(text_of(id, args, depth + 1)?)
        }
        "empty" => Arg::Empty,
        _ => return None,
    })
}

/// What the server sends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    /// The hello was accepted: the seat's view of the exercise now.
    Welcome {
        protocol: u32,
        seat: String,
        /// As the seats file writes it: `controller`, `jurisdiction:qingpu`, …
        role: String,
        /// The last update published; the next one the client gets is `seq + 1` or later.
        seq: u64,
        /// Updates published since the client's `last_seen_seq` (a reconnect), which this
        /// snapshot replaces.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        missed: Option<u64>,
        /// The highest action or control id the server has from this seat: a client that
        /// restarts continues above it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        last_action_id: Option<u64>,
        time_s: i64,
        /// The seat's view: the fields of `tripoint_sim::drill::view::Snapshot` and `clock`.
        snapshot: serde_json::Map<String, serde_json::Value>,
    },
    /// The hello was refused; the connection closes. `reason` is in the hello's `lang`
    /// where the hello was read; `message` is the same as data.
    Refused {
        reason: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<Message>,
    },
    Ack(Ack),
    /// What changed in the seat's view since the previous update: each changed field whole
    /// in `changed`, or, to a client that said it applies them, a list's change as a
    /// [`Splice`] in `spliced` (a field is in one of the two, never both).
    Update {
        seq: u64,
        time_s: i64,
        changed: serde_json::Map<String, serde_json::Value>,
        #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
        spliced: std::collections::BTreeMap<String, Vec<Splice<serde_json::Value>>>,
    },
    /// The seat's whole view: sent instead of the updates a slow client missed.
    Snapshot {
        seq: u64,
        time_s: i64,
        snapshot: serde_json::Map<String, serde_json::Value>,
    },
    /// A frame the server could not read, or a message out of place. Too many of them, or
    /// a frame over the limit, close the connection.
    Error {
        reason: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<Message>,
    },
    /// The server closes the connection (shut down, or the seat connected again).
    Closing {
        reason: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<Message>,
    },
}

/// The view's lists the server may send as a [`Splice`]: the long ones of which a
/// publication mostly changes a few items (results and log grow; a team or a plan
/// changes; the plume moves at its ends).
pub const SPLICED_FIELDS: [&str; 6] = ["results", "log", "inbox", "teams", "plans", "plume"];

/// A list's change: the items `at..at + remove` of the view's list are replaced by
/// `insert` (an append is `remove` 0 at the old length; one item added in the middle,
/// `remove` 0 there; one item changed, `remove` 1 and that item).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Splice<T> {
    pub at: usize,
    pub remove: usize,
    pub insert: Vec<T>,
}

impl<T: PartialEq + Clone> Splice<T> {
    /// The change from `old` to `new`: the items between their longest common beginning
    /// and their longest common end (which do not overlap). `None` when it saves nothing
    /// over sending `new` whole (no item in common).
    pub fn between(old: &[T], new: &[T]) -> Option<Splice<T>> {
        let head = old.iter().zip(new).take_while(|(a, b)| a == b).count();
        let room = old.len().min(new.len()) - head;
        let tail = old
            .iter()
            .rev()
            .zip(new.iter().rev())
            .take(room)
            .take_while(|(a, b)| a == b)
            .count();
        if head + tail == 0 {
            return None;
        }
        Some(Splice {
            at: head,
            remove: old.len() - head - tail,
            insert: new[head..new.len() - tail].to_vec(),
        })
    }
}

impl<T> Splice<T> {
    /// Applies the change to `list`, or says why it cannot (the list is not the one the
    /// change was made from) and leaves it alone.
    pub fn apply(self, list: &mut Vec<T>) -> Result<(), String> {
        self.check(list.len())?;
        list.splice(self.at..self.at + self.remove, self.insert);
        Ok(())
    }

    /// Whether the change fits a list of `len` items.
    pub fn check(&self, len: usize) -> Result<(), String> {
        match self.at.checked_add(self.remove) {
            Some(end) if end <= len => Ok(()),
            _ => Err(format!(
                "a splice of items {}..{}+{} of a list of {len}",
                self.at, self.at, self.remove
            )),
        }
    }
}

/// The change from `old` to `new` as splices applied in order: for lists of one length,
/// one splice per run of changed items (a team that moved, another far from it);
/// otherwise [`Splice::between`]. `None` when it saves nothing over `new` whole.
pub fn splices_between<T: PartialEq + Clone>(old: &[T], new: &[T]) -> Option<Vec<Splice<T>>> {
    if old.len() != new.len() {
        return Splice::between(old, new).map(|splice| vec![splice]);
    }
    let mut splices: Vec<Splice<T>> = Vec::new();
    for (i, (a, b)) in old.iter().zip(new).enumerate() {
        if a == b {
            continue;
        }
        match splices.last_mut() {
            Some(run) if run.at + run.remove == i => {
                run.remove += 1;
                run.insert.push(b.clone());
            }
            _ => splices.push(Splice {
                at: i,
                remove: 1,
                insert: vec![b.clone()],
            }),
        }
    }
    let n_sent: usize = splices.iter().map(|s| s.insert.len()).sum();
    (n_sent < new.len()).then_some(splices)
}

/// Applies `splices` in order to `list` (each `at` counts in the list as the splices
/// before it left it), or none of them if one does not fit.
pub fn apply_splices<T>(splices: Vec<Splice<T>>, list: &mut Vec<T>) -> Result<(), String> {
    check_splices(&splices, list.len())?;
    for splice in splices {
        splice.apply(list)?;
    }
    Ok(())
}

/// Whether `splices` applied in order fit a list of `len` items.
pub fn check_splices<T>(splices: &[Splice<T>], len: usize) -> Result<(), String> {
    let mut len = len;
    for splice in splices {
        splice.check(len)?;
        len = len - splice.remove + splice.insert.len();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Splices between lists of one length send the runs of changed items only; applied
    /// in order, any splices made turn the old list into the new.
    #[test]
    fn splices_send_the_changed_runs_of_a_list_of_one_length() {
        let old = [1, 2, 3, 4, 5, 6];
        let new = [1, 9, 3, 4, 8, 7];
        let splices = splices_between(&old, &new).unwrap();
        assert_eq!(
            splices,
            [
                Splice {
                    at: 1,
                    remove: 1,
                    insert: vec![9]
                },
                Splice {
                    at: 4,
                    remove: 2,
                    insert: vec![8, 7]
                }
            ]
        );
        let mut list = old.to_vec();
        apply_splices(splices, &mut list).unwrap();
        assert_eq!(list, new);
        assert_eq!(splices_between(&old, &old), Some(vec![]));
        assert_eq!(
            splices_between(&[1, 2], &[3, 4]),
            None,
            "every item changed: sent whole"
        );
        // In order: the second splice counts in the list the first left.
        let mut list = vec![1, 2, 3];
        let grow = vec![
            Splice {
                at: 0,
                remove: 0,
                insert: vec![0, 0],
            },
            Splice {
                at: 4,
                remove: 1,
                insert: vec![5],
            },
        ];
        apply_splices(grow, &mut list).unwrap();
        assert_eq!(list, [0, 0, 1, 2, 5]);
        // One splice that does not fit: none is applied.
        let mut list = vec![1, 2, 3];
        let bad = vec![
            Splice {
                at: 0,
                remove: 1,
                insert: vec![],
            },
            Splice {
                at: 2,
                remove: 1,
                insert: vec![7],
            },
        ];
        assert!(apply_splices(bad, &mut list).is_err());
        assert_eq!(list, [1, 2, 3]);
    }

    /// A splice between two lists turns the first into the second, for every way two
    /// short lists can differ; it holds only what differs.
    #[test]
    fn a_splice_turns_the_old_list_into_the_new() {
        let lists: Vec<Vec<u8>> = vec![
            vec![],
            vec![1],
            vec![1, 2],
            vec![2, 1],
            vec![1, 2, 3],
            vec![1, 3],
            vec![1, 1, 1],
            vec![1, 1],
            vec![3, 2, 1, 2, 3],
            vec![1, 2, 4, 3],
        ];
        let mut n_spliced = 0;
        for old in &lists {
            for new in &lists {
                let Some(splice) = Splice::between(old, new) else {
                    // Nothing in common at either end.
                    assert!(
                        old.first() != new.first() || old.is_empty() || new.is_empty(),
                        "{old:?} {new:?}"
                    );
                    assert!(
                        old.last() != new.last() || old.is_empty() || new.is_empty(),
                        "{old:?} {new:?}"
                    );
                    continue;
                };
                n_spliced += 1;
                assert!(
                    splice.insert.len() < new.len() || splice.insert.is_empty(),
                    "{old:?} → {new:?}: {splice:?}"
                );
                let mut list = old.clone();
                splice.apply(&mut list).unwrap();
                assert_eq!(&list, new, "{old:?} → {new:?}");
            }
        }
        assert!(n_spliced > 40, "{n_spliced}");
        // An append, an insertion in the middle, a change of one item.
        assert_eq!(
            Splice::between(&[1, 2], &[1, 2, 3]),
            Some(Splice {
                at: 2,
                remove: 0,
                insert: vec![3]
            })
        );
        assert_eq!(
            Splice::between(&[1, 3], &[1, 2, 3]),
            Some(Splice {
                at: 1,
                remove: 0,
                insert: vec![2]
            })
        );
        assert_eq!(
            Splice::between(&[1, 2, 3], &[1, 5, 3]),
            Some(Splice {
                at: 1,
                remove: 1,
                insert: vec![5]
            })
        );
        // A splice that does not fit the list is refused, and the list left alone.
        let mut short = vec![1];
        let wrong = Splice {
            at: 1,
            remove: 1,
            insert: vec![2],
        };
        assert!(wrong.apply(&mut short).is_err());
        assert_eq!(short, [1]);
        assert!(
            Splice::<u8> {
                at: usize::MAX,
                remove: 2,
                insert: vec![]
            }
            .check(3)
            .is_err()
        );
    }

    /// The examples of docs/protocol.md read as the messages they show.
    #[test]
    fn the_documented_messages_read() {
        let docs = include_str!("../../../docs/protocol.md");
        let mut n = 0;
        let mut n_server = 0;
        for line in docs.lines().filter(|l| l.starts_with("{\"type\":")) {
            // The server's examples (an answer) read as what the server sends.
            if line.starts_with("{\"type\":\"ack\"") {
                let ack = serde_json::from_str::<ServerMessage>(line).unwrap_or_else(|e| panic!("{line}: {e}"));
                let ServerMessage::Ack(Ack {
                    message: Some(message), ..
                }) = ack
                else {
                    panic!("{line}: an answer with its message")
                };
                assert!(message.text().is_some(), "{line}: a message this program has");
                n_server += 1;
                continue;
            }
            serde_json::from_str::<ClientMessage>(line).unwrap_or_else(|e| panic!("{line}: {e}"));
            n += 1;
        }
        assert!(n_server >= 1, "{n_server} answers");
        assert!(n >= 5, "{n} examples");
        // The table of actions: every JSON cell of its rows.
        let table = docs.split("| Action | JSON |").nth(1).expect("the table of actions");
        let mut n_actions = 0;
        for line in table.lines().skip(2).take_while(|l| l.starts_with('|')) {
            for json in line.split('`').filter(|p| p.starts_with('{') || p.starts_with('"')) {
                serde_json::from_str::<drill::Action>(json).unwrap_or_else(|e| panic!("{json}: {e}"));
                n_actions += 1;
            }
        }
        assert!(n_actions >= 12, "{n_actions} actions");
    }

    #[test]
    fn unknown_fields_and_types_are_refused() {
        for text in [
            r#"{"type":"hello","protocol":1,"seat":"a","token":"t","admin":true}"#,
            r#"{"type":"action","id":-1,"action":"media_statement"}"#,
            r#"{"type":"action","id":1,"action":{"dispatch":{"team":1}}}"#,
            r#"{"type":"shutdown"}"#,
            r#"{"type":"control","id":1,"control":{"speed":"x7"}}"#,
        ] {
            assert!(serde_json::from_str::<ClientMessage>(text).is_err(), "{text}");
        }
    }

    /// A sentence goes over the wire and back as itself; a message this program does not
    /// have, an argument it does not know, or nesting past the limit read as none.
    #[test]
    fn a_message_reads_back_as_its_sentence_and_unknown_ones_as_none() {
        let text = Text::new(
            "perm-no-index",
            vec![
                ("what", Arg::text(Text::new("perm-list-team", vec![]))),
                ("index", Arg::plain("9999")),
                ("count", Arg::plain("13")),
            ],
        );
        // Every kind of argument, under argument names the message files use.
        let kinds = [
            Arg::name("jinze_intake"),
            Arg::Incident("i".into()),
            Arg::IncidentName("i".into()),
            Arg::Seat("command".into()),
            Arg::Team(None),
            Arg::Team(Some("t".into())),
            Arg::KnownBy("enterprise report".into()),
            Arg::Means("boat"),
            Arg::Span(-60),
            Arg::Authored {
                text: "x".into(),
                zh: "叉".into(),
            },
            Arg::Seats(vec!["qingpu".into()]),
            Arg::Names(vec!["a".into(), "b".into()]),
            Arg::Policy("county".into()),
            Arg::Empty,
        ];
        let names = [
            "point", "incident", "seat", "team", "at", "policy", "index", "count", "what", "max", "own", "owner",
            "place", "problem",
        ];
        let every_kind = Text::new("perm-team-of", names.into_iter().zip(kinds).collect());
        for text in [text, every_kind] {
            let wire = serde_json::to_string(&Message::of(&text)).unwrap();
            let read: Message = serde_json::from_str(&wire).unwrap();
            let mut back = read.text().unwrap_or_else(|| panic!("{wire}"));
            let mut args = text.args.clone();
            // The wire keeps arguments by name: compare them in one order.
            back.args.sort_by_key(|(name, _)| *name);
            args.sort_by_key(|(name, _)| *name);
            assert_eq!((back.id, back.args), (text.id, args), "{wire}");
        }
        let ack: Ack = serde_json::from_str(
            r#"{"id":1,"status":"refused","detail":"x","time_s":0,"message":{"id":"no-such-message","args":{}}}"#,
        )
        .unwrap();
        assert_eq!(ack.message.as_ref().and_then(Message::text), None);
        let unknown_arg = Message {
            id: "perm-no-jurisdiction".into(),
            args: serde_json::from_str(r#"{"not_an_argument_anywhere":{"kind":"plain","value":"1"}}"#).unwrap(),
        };
        assert_eq!(unknown_arg.text(), None);
        let mut deep = Text::new("perm-list-team", vec![]);
        for _ in 0..=MESSAGE_DEPTH_MAX {
            deep = Text::new("perm-no-index", vec![("what", Arg::text(deep))]);
        }
        assert_eq!(Message::of(&deep).text(), None);
        // An answer from an older server, without a message, still reads.
        let old: Ack = serde_json::from_str(r#"{"id":1,"status":"applied","detail":"","time_s":0}"#).unwrap();
        assert_eq!(old.message, None);
    }

    #[test]
    fn server_messages_carry_their_type() {
        let ack = ServerMessage::Ack(Ack {
            id: 3,
            status: AckStatus::Refused,
            detail: "no".into(),
            time_s: 60,
            duplicate: false,
            message: None,
        });
        let text = serde_json::to_string(&ack).unwrap();
        assert_eq!(
            text,
            r#"{"type":"ack","id":3,"status":"refused","detail":"no","time_s":60,"duplicate":false}"#
        );
        assert_eq!(serde_json::from_str::<ServerMessage>(&text).unwrap(), ack);
    }
}
