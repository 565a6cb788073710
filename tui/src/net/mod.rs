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
    /// The hello was refused; the connection closes.
    Refused {
        reason: String,
    },
    Ack(Ack),
    /// What changed in the seat's view since the previous update: each changed field whole.
    Update {
        seq: u64,
        time_s: i64,
        changed: serde_json::Map<String, serde_json::Value>,
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
    },
    /// The server closes the connection (shut down, or the seat connected again).
    Closing {
        reason: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The examples of docs/protocol.md read as the messages they show.
    #[test]
    fn the_documented_messages_read() {
        let docs = include_str!("../../../docs/protocol.md");
        let mut n = 0;
        for line in docs.lines().filter(|l| l.starts_with("{\"type\":")) {
            serde_json::from_str::<ClientMessage>(line).unwrap_or_else(|e| panic!("{line}: {e}"));
            n += 1;
        }
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

    #[test]
    fn server_messages_carry_their_type() {
        let ack = ServerMessage::Ack(Ack {
            id: 3,
            status: AckStatus::Refused,
            detail: "no".into(),
            time_s: 60,
            duplicate: false,
        });
        let text = serde_json::to_string(&ack).unwrap();
        assert_eq!(
            text,
            r#"{"type":"ack","id":3,"status":"refused","detail":"no","time_s":60,"duplicate":false}"#
        );
        assert_eq!(serde_json::from_str::<ServerMessage>(&text).unwrap(), ack);
    }
}
