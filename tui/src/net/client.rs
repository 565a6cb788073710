//! A client of the exercise server, for tests, bots and `tripoint join`: connects as a
//! seat, keeps the seat's view up to date from the server's updates, and sends actions
//! and clock controls with increasing ids, waiting for each answer. Over plain TCP or
//! TLS ([`Transport`]). The view is kept as JSON by default ([`Client`], what tests, bots
//! and `join` read field by field), or as the simulation's snapshot type
//! (`Client<TypedView>`, what the connected console draws: [`super::typed_view`]).

use super::tls::{HANDSHAKE_WITHIN, Io, Transport};
use super::{Ack, ClientMessage, Control, PROTOCOL_VERSION, ServerMessage, TOKEN_ENV, VIEW_FRAME_BYTES_MAX, codec};
use bytes::Bytes;
use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{Map, Value};
use std::path::Path;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_util::codec::{Framed, LengthDelimitedCodec};
use tripoint_sim::drill;
use tripoint_sim::drill::view::Snapshot;

/// Largest token file read [bytes]: a token is 64 characters.
const TOKEN_FILE_BYTES_MAX: u64 = 4096;

#[derive(Debug)]
pub enum ClientError {
    Io(std::io::Error),
    /// The TLS handshake failed (the server's certificate not trusted or not naming it,
    /// or the server speaks no TLS), or did not finish in time.
    Tls(String),
    /// The server refused the hello.
    Refused(String),
    /// The server sent something this client does not understand.
    Protocol(String),
    /// The connection ended (with the server's reason, if it gave one).
    Closed(Option<String>),
    /// Nothing came in time.
    Timeout,
}

impl std::fmt::Display for ClientError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ClientError::Io(e) => write!(f, "connection: {e}"),
            ClientError::Tls(e) => write!(f, "TLS handshake: {e}"),
            ClientError::Refused(reason) => write!(f, "refused by the server: {reason}"),
            ClientError::Protocol(what) => write!(f, "protocol: {what}"),
            ClientError::Closed(Some(reason)) => write!(f, "the server closed the connection: {reason}"),
            ClientError::Closed(None) => write!(f, "the server closed the connection"),
            ClientError::Timeout => write!(f, "no answer from the server in time"),
        }
    }
}

impl std::error::Error for ClientError {}

impl From<std::io::Error> for ClientError {
    fn from(e: std::io::Error) -> Self {
        ClientError::Io(e)
    }
}

/// A seat's token: from a file if one is given (its first line), else from the
/// environment variable `TRIPOINT_TOKEN`. Never from the command line, where other users
/// of the machine can read it.
pub fn read_token(file: Option<&Path>) -> Result<String, String> {
    let token = match file {
        Some(path) => {
            let bytes =
                crate::input::read_bytes_bounded(path, TOKEN_FILE_BYTES_MAX, "a token file").map_err(|e| match e {
                    crate::input::CliError::Input(m) => m,
                    other => format!("{}: {other:?}", path.display()),
                })?;
            String::from_utf8_lossy(&bytes)
                .lines()
                .next()
                .unwrap_or("")
                .trim()
                .to_string()
        }
        None => std::env::var(TOKEN_ENV)
            .map_err(|_| format!("no token: give --token-file FILE or set {TOKEN_ENV}"))?
            .trim()
            .to_string(),
    };
    if token.is_empty() {
        return Err("the token is empty".to_string());
    }
    Ok(token)
}

/// What a client keeps of its seat's view, and how a frame from the server changes it.
pub trait SeatView: Sized {
    /// What the client reads from a frame.
    type Message;
    /// The view a welcome brings.
    fn welcomed(snapshot: Map<String, Value>) -> Result<Self, ClientError>;
    /// Reads a frame; a publication is applied to the view.
    fn receive(&mut self, frame: &[u8]) -> Result<Self::Message, ClientError>;
    /// A publication's `(seq, time_s, whole)`: `whole` for a snapshot, not an update.
    fn publication(message: &Self::Message) -> Option<(u64, i64, bool)>;
    /// Any other message as the protocol's type.
    fn message(message: &Self::Message) -> Option<&ServerMessage>;
    /// The view as the simulation's snapshot type.
    fn snapshot(&self) -> Result<Snapshot, ClientError>;
    /// The view's `clock` (`Null` if it has none).
    fn clock(&self) -> &Value;
}

/// The view as JSON: the snapshot's fields and `clock`, each as the server sent it.
impl SeatView for Map<String, Value> {
    type Message = ServerMessage;

    fn welcomed(snapshot: Map<String, Value>) -> Result<Self, ClientError> {
        Ok(snapshot)
    }

    fn receive(&mut self, frame: &[u8]) -> Result<ServerMessage, ClientError> {
        let message = decode(frame)?;
        apply_publication(self, &message)?;
        Ok(message)
    }

    fn publication(message: &ServerMessage) -> Option<(u64, i64, bool)> {
        match message {
            ServerMessage::Update { seq, time_s, .. } => Some((*seq, *time_s, false)),
            ServerMessage::Snapshot { seq, time_s, .. } => Some((*seq, *time_s, true)),
            _ => None,
        }
    }

    fn message(message: &ServerMessage) -> Option<&ServerMessage> {
        Some(message)
    }

    fn snapshot(&self) -> Result<Snapshot, ClientError> {
        snapshot_of(self)
    }

    fn clock(&self) -> &Value {
        self.get("clock").unwrap_or(&Value::Null)
    }
}

/// A connected seat, its view kept as `V` (JSON unless said otherwise).
pub struct Client<V = Map<String, Value>> {
    framed: Framed<Box<dyn Io>, LengthDelimitedCodec>,
    pub seat: String,
    pub role: String,
    view: V,
    seq: u64,
    time_s: i64,
    next_id: u64,
    /// Whole snapshots received in place of missed updates (the client was slow).
    pub n_snapshots: u64,
}

impl Client {
    /// Connects and says hello as `seat`.
    pub async fn connect(addr: &str, seat: &str, token: &str) -> Result<Client, ClientError> {
        Client::connect_after(addr, seat, token, None).await
    }

    /// Connects again after a disconnection: `last_seen_seq` is the last update seen.
    pub async fn connect_after(
        addr: &str,
        seat: &str,
        token: &str,
        last_seen_seq: Option<u64>,
    ) -> Result<Client, ClientError> {
        Client::connect_over(&Transport::Plain, addr, seat, token, last_seen_seq).await
    }

    /// Connects over `transport` (plain TCP or TLS) and says hello as `seat`;
    /// `last_seen_seq` is the last update seen before a disconnection, if any.
    pub async fn connect_over(
        transport: &Transport,
        addr: &str,
        seat: &str,
        token: &str,
        last_seen_seq: Option<u64>,
    ) -> Result<Client, ClientError> {
        Client::connect_in(transport, addr, seat, token, last_seen_seq, None).await
    }

    /// [`Client::connect_over`] for a seat that reads `lang` (`en`, `zh-CN`): the server
    /// answers it in that language. `None`: the hello names none, and the answers are
    /// English.
    pub async fn connect_in(
        transport: &Transport,
        addr: &str,
        seat: &str,
        token: &str,
        last_seen_seq: Option<u64>,
        lang: Option<&str>,
    ) -> Result<Client, ClientError> {
        Client::connect_keeping(transport, addr, seat, token, last_seen_seq, lang).await
    }
}

/// A refusal as this client's reader reads it: the server's sentence as data rendered in
/// the language the hello named (English where it named none), or the server's `reason`
/// where the message is unknown here (a newer server) or none came.
fn refusal_in(lang: Option<&str>, reason: String, message: Option<super::Message>) -> String {
    let lang = lang.and_then(crate::i18n::Lang::parse).unwrap_or(crate::i18n::Lang::En);
    match message.as_ref().and_then(super::Message::text) {
        Some(text) => crate::messages::text(lang, &text),
        None => reason,
    }
}

impl<V: SeatView> Client<V> {
    /// [`Client::connect_in`], the view kept as `V`.
    pub async fn connect_keeping(
        transport: &Transport,
        addr: &str,
        seat: &str,
        token: &str,
        last_seen_seq: Option<u64>,
        lang: Option<&str>,
    ) -> Result<Client<V>, ClientError> {
        Client::connect_with(transport, addr, seat, token, last_seen_seq, lang, true).await
    }

    /// [`Client::connect_keeping`]; `splices`: whether the hello says the client applies
    /// splices (every client of this library does; `false` is a client from before them,
    /// sent every changed list whole, for tests and measurements).
    pub async fn connect_with(
        transport: &Transport,
        addr: &str,
        seat: &str,
        token: &str,
        last_seen_seq: Option<u64>,
        lang: Option<&str>,
        splices: bool,
    ) -> Result<Client<V>, ClientError> {
        let stream = open(transport, addr).await?;
        let mut framed = Framed::new(stream, codec(VIEW_FRAME_BYTES_MAX));
        let hello = ClientMessage::Hello {
            protocol: PROTOCOL_VERSION,
            seat: seat.to_string(),
            token: token.to_string(),
            last_seen_seq,
            lang: lang.map(str::to_string),
            splices,
        };
        framed.send(encode(&hello)).await?;
        let reply = match framed.next().await {
            Some(frame) => decode(&frame?)?,
            None => return Err(ClientError::Closed(None)),
        };
        match reply {
            ServerMessage::Welcome {
                seat,
                role,
                seq,
                last_action_id,
                time_s,
                snapshot,
                ..
            } => Ok(Client {
                framed,
                seat,
                role,
                view: V::welcomed(snapshot)?,
                seq,
                time_s,
                next_id: last_action_id.map_or(1, |id| id + 1),
                n_snapshots: 0,
            }),
            ServerMessage::Refused { reason, message } => Err(ClientError::Refused(refusal_in(lang, reason, message))),
            other => Err(ClientError::Protocol(format!("expected a welcome, got {other:?}"))),
        }
    }

    /// The seat's view (as JSON: the snapshot's fields and `clock`).
    pub fn view(&self) -> &V {
        &self.view
    }

    /// The seat's view as the simulation's snapshot type.
    pub fn snapshot(&self) -> Result<Snapshot, ClientError> {
        self.view.snapshot()
    }

    /// The last update applied.
    pub fn seq(&self) -> u64 {
        self.seq
    }

    /// Exercise time of the last update [s on the scenario clock].
    pub fn time_s(&self) -> i64 {
        self.time_s
    }

    /// The id the next action will carry.
    pub fn next_id(&self) -> u64 {
        self.next_id
    }

    /// Sends an action with the next id and waits for its answer (updates that come
    /// meanwhile are applied).
    pub async fn act(&mut self, action: drill::Action) -> Result<Ack, ClientError> {
        let id = self.take_id();
        self.act_with_id(id, action).await
    }

    /// Sends an action with a given id (a resend after a lost answer uses the same id).
    pub async fn act_with_id(&mut self, id: u64, action: drill::Action) -> Result<Ack, ClientError> {
        self.next_id = self.next_id.max(id + 1);
        self.request(ClientMessage::Action { id, action }, id).await
    }

    /// Changes the exercise clock (controllers) and waits for the answer.
    pub async fn control(&mut self, control: Control) -> Result<Ack, ClientError> {
        let id = self.take_id();
        self.request(ClientMessage::Control { id, control }, id).await
    }

    /// Changes the clock with a given id (a resend after a lost answer uses the same id).
    pub async fn control_with_id(&mut self, id: u64, control: Control) -> Result<Ack, ClientError> {
        self.next_id = self.next_id.max(id + 1);
        self.request(ClientMessage::Control { id, control }, id).await
    }

    /// Continues the ids at `next` at least (a client that connected again goes on above
    /// every id it used before, controls included, which a resumed server does not know).
    pub fn continue_ids_from(&mut self, next: u64) {
        self.next_id = self.next_id.max(next);
    }

    /// Takes the next id, for a request sent later (and perhaps again) with it.
    pub fn take_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    async fn request(&mut self, message: ClientMessage, id: u64) -> Result<Ack, ClientError> {
        self.framed.send(encode(&message)).await?;
        loop {
            if let Some(ServerMessage::Ack(ack)) = V::message(&self.next_message().await?)
                && ack.id == id
            {
                return Ok(ack.clone());
            }
        }
    }

    /// Sends bytes as one frame, whatever they are (tests of a hostile client).
    pub async fn send_frame(&mut self, bytes: Vec<u8>) -> Result<(), ClientError> {
        self.framed.send(Bytes::from(bytes)).await?;
        Ok(())
    }

    /// The next message from the server; an update or snapshot is applied to the view
    /// first. A closing message or the end of the stream is [`ClientError::Closed`].
    pub async fn next_message(&mut self) -> Result<V::Message, ClientError> {
        let message = match self.framed.next().await {
            Some(frame) => self.view.receive(&frame?)?,
            None => return Err(ClientError::Closed(None)),
        };
        if let Some(ServerMessage::Closing { reason, .. }) = V::message(&message) {
            return Err(ClientError::Closed(Some(reason.clone())));
        }
        if let Some((seq, time_s, whole)) = V::publication(&message) {
            (self.seq, self.time_s) = (seq, time_s);
            self.n_snapshots += u64::from(whole);
        }
        Ok(message)
    }

    /// Reads messages until the view satisfies `done`, or `timeout` passes.
    pub async fn wait_for(&mut self, timeout: Duration, done: impl Fn(&V) -> bool) -> Result<(), ClientError> {
        let wait = async {
            while !done(&self.view) {
                self.next_message().await?;
            }
            Ok(())
        };
        tokio::time::timeout(timeout, wait)
            .await
            .unwrap_or(Err(ClientError::Timeout))
    }
}

/// A connection to `addr` over `transport`: with TLS, once the handshake has finished
/// (within [`HANDSHAKE_WITHIN`]).
pub async fn open(transport: &Transport, addr: &str) -> Result<Box<dyn Io>, ClientError> {
    let stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    match transport {
        Transport::Plain => Ok(Box::new(stream)),
        Transport::Tls { config, server_name } => {
            let connector = tokio_rustls::TlsConnector::from(config.clone());
            match tokio::time::timeout(HANDSHAKE_WITHIN, connector.connect(server_name.clone(), stream)).await {
                Ok(Ok(stream)) => Ok(Box::new(stream)),
                Ok(Err(e)) => Err(ClientError::Tls(e.to_string())),
                Err(_) => Err(ClientError::Tls(format!(
                    "not finished within {} s",
                    HANDSHAKE_WITHIN.as_secs()
                ))),
            }
        }
    }
}

fn encode(message: &ClientMessage) -> Bytes {
    Bytes::from(serde_json::to_vec(message).expect("a client message serialises"))
}

/// Applies a publication to a seat's view as JSON: an update's changed fields replace
/// the view's and its splices change the view's lists, a snapshot replaces it whole.
/// Returns the publication's `(seq, time_s)`, or `None` for a message that is not a
/// publication. What a client does with every update it reads (the console's benchmark
/// times it, `benches/console_frame.rs`). An update whose splice does not fit the view's
/// list is refused whole, the view left as it was.
pub fn apply_publication(
    view: &mut Map<String, Value>,
    message: &ServerMessage,
) -> Result<Option<(u64, i64)>, ClientError> {
    match message {
        ServerMessage::Update {
            seq,
            time_s,
            changed,
            spliced,
        } => {
            for (field, splices) in spliced {
                let len = view.get(field).and_then(Value::as_array).map(Vec::len);
                let fits = len.ok_or_else(|| format!("a splice of `{field}`, which is not a list of the view"));
                fits.and_then(|len| super::check_splices(splices, len))
                    .map_err(|e| ClientError::Protocol(format!("an update this view cannot apply: {e}")))?;
            }
            for (field, splices) in spliced {
                if let Some(Value::Array(list)) = view.get_mut(field) {
                    super::apply_splices(splices.clone(), list).expect("checked above");
                }
            }
            for (field, value) in changed {
                view.insert(field.clone(), value.clone());
            }
            Ok(Some((*seq, *time_s)))
        }
        ServerMessage::Snapshot { seq, time_s, snapshot } => {
            *view = snapshot.clone();
            Ok(Some((*seq, *time_s)))
        }
        _ => Ok(None),
    }
}

/// A seat's view as JSON read as the simulation's snapshot type.
pub fn snapshot_of(view: &Map<String, Value>) -> Result<Snapshot, ClientError> {
    serde_json::from_value(Value::Object(view.clone()))
        .map_err(|e| ClientError::Protocol(format!("a snapshot this client cannot read: {e}")))
}

/// A frame from the server read as its message.
pub fn decode(frame: &[u8]) -> Result<ServerMessage, ClientError> {
    serde_json::from_slice(frame).map_err(|e| ClientError::Protocol(format!("a message this client cannot read: {e}")))
}
