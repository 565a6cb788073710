//! One client connection: the hello (within a time limit, with the seat's token), then
//! one task that reads the client's actions one at a time, forwards each to the
//! simulation thread and sends its answer, and sends the seat's view as it changes. The
//! limits that keep a hostile or slow client from hurting the others live here: the frame
//! length, unreadable messages, actions per second, one action in flight, a write that
//! does not drain, and a lagging reader who gets a fresh snapshot instead of a backlog.

use super::Shared;
use super::Stream;
use super::simulation::{Published, Request, ViewKey, What};
use crate::i18n::Lang;
use crate::net::{
    Ack, AckStatus, ClientMessage, FRAME_BYTES_MAX, Message, PROTOCOL_VERSION, ServerMessage, VIEW_FRAME_BYTES_MAX,
    codec,
};
use bytes::Bytes;
use futures_util::{SinkExt as _, StreamExt as _};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{ReadHalf, WriteHalf};
use tokio::sync::{broadcast, oneshot};
use tokio_util::codec::{FramedRead, FramedWrite, LengthDelimitedCodec};
use tripoint_sim::drill::text::Arg;
use tripoint_sim::response::edit::Said;

/// Time a new connection has to say hello.
const HELLO_WITHIN: Duration = Duration::from_secs(10);
/// Unreadable messages a connection may send before it is closed.
const BAD_MESSAGES_MAX: u32 = 16;
/// Longest a frame may take to be written before the client is taken for gone.
const WRITE_STALL_MAX: Duration = Duration::from_secs(30);
/// Actions and controls a connection may send per second on average, and in a burst.
const ACTIONS_PER_S: f64 = 20.0;
const ACTIONS_BURST: f64 = 50.0;

static NEXT_CONNECTION: AtomicU64 = AtomicU64::new(1);

/// A connection's two directions: the client's frames are held to [`FRAME_BYTES_MAX`],
/// the server's views to [`VIEW_FRAME_BYTES_MAX`].
struct Link {
    read: FramedRead<ReadHalf<Stream>, LengthDelimitedCodec>,
    write: FramedWrite<WriteHalf<Stream>, LengthDelimitedCodec>,
}

impl Link {
    fn new(stream: Stream) -> Link {
        let (read, write) = tokio::io::split(stream);
        Link {
            read: FramedRead::new(read, codec(FRAME_BYTES_MAX)),
            write: FramedWrite::new(write, codec(VIEW_FRAME_BYTES_MAX)),
        }
    }
}

/// Why a connection ended (for the server's log, in the operator's language).
enum End {
    Quiet,
    Said(Said),
}

/// Serves one seat's connection (plain or TLS); `peer` names it in the server's log.
pub async fn serve(stream: Stream, peer: String, shared: Arc<Shared>) {
    let mut link = Link::new(stream);
    match run(&mut link, &shared).await {
        End::Quiet => {}
        End::Said(reason) => eprintln!("{peer}: {}", told(crate::i18n::current(), &reason).0),
    }
}

async fn send(link: &mut Link, message: &ServerMessage) -> Result<(), End> {
    let bytes = Bytes::from(serde_json::to_vec(message).expect("a server message serialises"));
    match tokio::time::timeout(WRITE_STALL_MAX, link.write.send(bytes)).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(End::Said(said(
            format!("closed while writing: {e}"),
            "srv-closed-writing",
            vec![("problem", io_problem(&e))],
        ))),
        Err(_) => {
            let seconds = WRITE_STALL_MAX.as_secs();
            Err(End::Said(said(
                format!("closed: a write did not drain in {seconds} s (the client stopped reading)"),
                "srv-write-stalled",
                vec![("seconds", plain(seconds))],
            )))
        }
    }
}

/// Sends a last word and ends the connection; `log` is what the server's log says.
async fn close(link: &mut Link, message: ServerMessage, log: Said) -> End {
    let _ = send(link, &message).await;
    End::Said(log)
}

/// A sentence of the server's own (the `srv-` messages of `cli.ftl`): its English, for
/// the server's log and English seats, and its message.
pub fn said(english: impl Into<String>, id: &'static str, args: Vec<(&'static str, Arg)>) -> Said {
    Said::new(english, id, args)
}

/// A sentence of the server's own as a seat reading `lang` gets it: the text in its
/// language (English: the English, byte for byte) and the message as data. Its arguments
/// are plain (numbers, ids, the words of an error from below).
pub fn told(lang: Lang, said: &Said) -> (String, Option<Message>) {
    let shown = match lang {
        Lang::En => said.english.clone(),
        _ => crate::messages::text(lang, &said.text),
    };
    (shown, Some(Message::of(&said.text)))
}

/// A sentence of the server's own said before it knows the seat's language (no hello yet,
/// or one that could not be read): Chinese first, then English, in one reason, so that a
/// person reading the raw answer finds their language whichever it is; `message` carries
/// it as data, and `tripoint`'s own clients show only their language (docs/protocol.md).
pub fn told_unknown(said: &Said) -> (String, Option<Message>) {
    let chinese = crate::messages::text(Lang::ZhCn, &said.text);
    (format!("{chinese} / {}", said.english), Some(Message::of(&said.text)))
}

fn plain(value: impl std::fmt::Display) -> Arg {
    Arg::Plain(value.to_string())
}

fn error_message(lang: Lang, said: &Said) -> ServerMessage {
    let (reason, message) = told(lang, said);
    ServerMessage::Error { reason, message }
}

/// Sends an error in the seat's language and closes; the log has the operator's.
async fn close_with_error(link: &mut Link, lang: Lang, said: Said) -> End {
    let message = error_message(lang, &said);
    close(link, message, said).await
}

async fn run(link: &mut Link, shared: &Shared) -> End {
    let hello = match tokio::time::timeout(HELLO_WITHIN, link.read.next()).await {
        Err(_) => {
            let secs = HELLO_WITHIN.as_secs();
            let reason = said(
                format!("no hello within {secs} s"),
                "srv-no-hello",
                vec![("seconds", plain(secs))],
            );
            return refuse_unknown(link, reason).await;
        }
        Ok(None) => return End::Quiet,
        Ok(Some(Err(e))) => {
            return refuse_unknown(link, unreadable_frame(&e)).await;
        }
        Ok(Some(Ok(frame))) => serde_json::from_slice::<ClientMessage>(&frame),
    };
    let (seat_name, token, last_seen_seq, lang, splices) = match hello {
        Ok(ClientMessage::Hello {
            protocol,
            seat,
            token,
            last_seen_seq,
            lang,
            splices,
        }) => {
            // No `lang`: English, as before there was one.
            let lang = match lang.as_deref().map(|tag| (tag, Lang::parse(tag))) {
                None => Lang::En,
                Some((_, Some(lang))) => lang,
                Some((tag, None)) => {
                    let shown: String = tag.chars().take(32).filter(|c| !c.is_control()).collect();
                    let reason = said(
                        format!("language {shown:?} is not spoken here (this server speaks en and zh-CN)"),
                        "srv-unknown-lang",
                        vec![("lang", plain(format!("{shown:?}")))],
                    );
                    return refuse_unknown(link, reason).await;
                }
            };
            if protocol != PROTOCOL_VERSION {
                let reason = said(
                    format!("protocol version {protocol} is not spoken here (this server speaks {PROTOCOL_VERSION})"),
                    "srv-protocol",
                    vec![("protocol", plain(protocol)), ("speaks", plain(PROTOCOL_VERSION))],
                );
                return refuse(link, lang, reason).await;
            }
            (seat, token, last_seen_seq, lang, splices)
        }
        Ok(_) => {
            let reason = said("the first message must be a hello", "srv-hello-first", vec![]);
            return refuse_unknown(link, reason).await;
        }
        Err(e) => {
            let reason = said(
                format!("not a hello: {e}"),
                "srv-not-hello",
                vec![("problem", json_problem(&e))],
            );
            return refuse_unknown(link, reason).await;
        }
    };
    // One answer for an unknown seat and a wrong token: a caller learns nothing of which
    // names exist.
    let Some(seat) = shared.seats.iter().position(|s| s.name == seat_name) else {
        return refuse_token(link, lang, &seat_name).await;
    };
    if shared.seats_file.authenticate(&seat_name, &token).is_none() {
        return refuse_token(link, lang, &seat_name).await;
    }
    // Subscribe before asking for the view, so that no publication falls between them.
    let mut updates = shared.updates.subscribe();
    let (reply, welcome) = oneshot::channel();
    let hello = Request::Hello {
        seat,
        last_seen_seq,
        reply,
    };
    if shared.requests.send(hello).is_err() {
        return shutting_down(link, lang).await;
    }
    let Ok(welcome) = welcome.await else {
        return shutting_down(link, lang).await;
    };
    let info = &shared.seats[seat];
    let message = ServerMessage::Welcome {
        protocol: PROTOCOL_VERSION,
        seat: info.name.clone(),
        role: info.role.clone(),
        seq: welcome.seq,
        missed: welcome.missed,
        last_action_id: welcome.last_action_id,
        time_s: welcome.time_s,
        snapshot: (*welcome.view).clone(),
    };
    if let Err(end) = send(link, &message).await {
        return end;
    }
    let log_lang = crate::i18n::current();
    eprintln!(
        "{}",
        log_lang.t_args(
            "srvlog-connected",
            &[("seat", info.name.clone().into()), ("role", info.role.clone().into())]
        )
    );
    // A seat has one connection: a new one (a reconnect) replaces the old.
    let id = NEXT_CONNECTION.fetch_add(1, Ordering::Relaxed);
    let (kick, mut kicked) = oneshot::channel();
    if let Some((_, old)) = shared.connected.lock().expect("not poisoned").insert(seat, (id, kick)) {
        let _ = old.send(());
    }
    let to = Reader { seat, lang, splices };
    let end = session(link, shared, to, welcome.seq, &mut updates, &mut kicked).await;
    let mut connected = shared.connected.lock().expect("not poisoned");
    if connected.get(&seat).is_some_and(|(current, _)| *current == id) {
        connected.remove(&seat);
    }
    eprintln!(
        "{}",
        log_lang.t_args("srvlog-disconnected", &[("seat", info.name.clone().into())])
    );
    end
}

async fn refuse_token(link: &mut Link, lang: Lang, seat_name: &str) -> End {
    let (reason, message) = told(lang, &said("unknown seat or wrong token", "srv-unknown-seat", vec![]));
    let shown: String = seat_name.chars().take(64).filter(|c| !c.is_control()).collect();
    close(
        link,
        ServerMessage::Refused { reason, message },
        said(
            format!("refused seat {shown:?}: unknown seat or wrong token"),
            "srvlog-refused-seat",
            vec![("seat", plain(format!("{shown:?}")))],
        ),
    )
    .await
}

/// Refuses the hello with `reason`, to the client in `lang` and in the server's log in
/// the operator's language.
async fn refuse(link: &mut Link, lang: Lang, reason: Said) -> End {
    let (shown, message) = told(lang, &reason);
    close(link, ServerMessage::Refused { reason: shown, message }, reason).await
}

/// [`refuse`] before the seat's language is known: both languages ([`told_unknown`]).
async fn refuse_unknown(link: &mut Link, reason: Said) -> End {
    let (shown, message) = told_unknown(&reason);
    close(link, ServerMessage::Refused { reason: shown, message }, reason).await
}

fn unreadable_frame(e: &std::io::Error) -> Said {
    said(
        format!("unreadable frame: {e}"),
        "srv-unreadable-frame",
        vec![("problem", io_problem(e))],
    )
}

/// What the JSON reader found wrong with a message: its own English words (kept as they
/// are in English, and in the log), and in Chinese the kind of problem at its line and
/// column, with the field or value it names where serde names one.
fn json_problem(e: &serde_json::Error) -> Arg {
    use serde_json::error::Category;
    let english = e.to_string();
    let at = [
        ("line", e.line().to_string().into()),
        ("column", e.column().to_string().into()),
    ];
    // serde's message without its ` at line L column C`, to find the name it quotes.
    let quoted = english.split('`').nth(1).filter(|_| english.matches('`').count() >= 2);
    let zh = match (e.classify(), quoted) {
        (Category::Syntax, _) => Lang::ZhCn.t_args("srv-json-syntax", &at),
        (Category::Eof, _) => Lang::ZhCn.t_args("srv-json-eof", &at),
        (Category::Io, _) => Lang::ZhCn.t("srv-json-io"),
        (Category::Data, Some(name)) if english.starts_with("missing field") => Lang::ZhCn.t_args(
            "srv-json-missing-field",
            &[("field", name.to_string().into()), at[0].clone(), at[1].clone()],
        ),
        (Category::Data, Some(name)) if english.starts_with("unknown field") => Lang::ZhCn.t_args(
            "srv-json-unknown-field",
            &[("field", name.to_string().into()), at[0].clone(), at[1].clone()],
        ),
        (Category::Data, Some(name)) if english.starts_with("unknown variant") => Lang::ZhCn.t_args(
            "srv-json-unknown-variant",
            &[("value", name.to_string().into()), at[0].clone(), at[1].clone()],
        ),
        (Category::Data, _) => Lang::ZhCn.t_args("srv-json-data", &at),
    };
    Arg::Authored { text: english, zh }
}

/// What went wrong reading a frame: the operating system's or the codec's English words,
/// and in Chinese the kind of problem.
fn io_problem(e: &std::io::Error) -> Arg {
    use std::io::ErrorKind;
    let key = match e.kind() {
        ErrorKind::InvalidData => "srv-io-invalid-data",
        ErrorKind::UnexpectedEof => "srv-io-eof",
        ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted | ErrorKind::BrokenPipe => "srv-io-reset",
        ErrorKind::TimedOut => "srv-io-timeout",
        _ => "srv-io-other",
    };
    Arg::Authored {
        text: e.to_string(),
        zh: Lang::ZhCn.t(key),
    }
}

/// Tells the client the server is going away.
async fn shutting_down(link: &mut Link, lang: Lang) -> End {
    let reason = said("the server is shutting down", "srv-shutting-down", vec![]);
    close(link, closing(lang, &reason), reason).await
}

fn closing(lang: Lang, said: &Said) -> ServerMessage {
    let (reason, message) = told(lang, said);
    ServerMessage::Closing { reason, message }
}

/// Refills at [`ACTIONS_PER_S`] up to [`ACTIONS_BURST`].
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    fn take(&mut self) -> bool {
        let now = Instant::now();
        self.tokens = (self.tokens + now.duration_since(self.at).as_secs_f64() * ACTIONS_PER_S).min(ACTIONS_BURST);
        self.at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// Who a welcomed connection is: its seat, the language it reads, and whether it applies
/// splices (its hello's `splices`).
struct Reader {
    seat: usize,
    lang: Lang,
    splices: bool,
}

/// After the welcome: actions in, answers and updates out.
async fn session(
    link: &mut Link,
    shared: &Shared,
    to: Reader,
    mut seq: u64,
    updates: &mut broadcast::Receiver<Arc<Published>>,
    kicked: &mut oneshot::Receiver<()>,
) -> End {
    let Reader { seat, lang, splices } = to;
    let key = ViewKey::of(shared.seats[seat].seat);
    let mut pending: Option<oneshot::Receiver<Ack>> = None;
    let mut bad_messages = 0u32;
    let mut lagged = false;
    let mut bucket = Bucket {
        tokens: ACTIONS_BURST,
        at: Instant::now(),
    };
    loop {
        tokio::select! {
            frame = link.read.next(), if pending.is_none() => {
                let frame = match frame {
                    None => return End::Quiet,
                    // A TLS client that closes its socket without TLS's close_notify: an
                    // end like any other (frames carry their length, so nothing cut short
                    // is taken for whole).
                    Some(Err(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => return End::Quiet,
                    Some(Err(e)) => return close_with_error(link, lang, unreadable_frame(&e)).await,
                    Some(Ok(frame)) => frame,
                };
                let (id, what) = match serde_json::from_slice::<ClientMessage>(&frame) {
                    Ok(ClientMessage::Action { id, action }) => (id, What::Action(action)),
                    Ok(ClientMessage::Control { id, control }) => (id, What::Control(control)),
                    Ok(ClientMessage::Hello { .. }) => {
                        bad_messages += 1;
                        let reason = said(
                            "hello again: this connection is already welcomed",
                            "srv-hello-again",
                            vec![],
                        );
                        if let Err(end) = send(link, &error_message(lang, &reason)).await {
                            return end;
                        }
                        continue;
                    }
                    Err(e) => {
                        bad_messages += 1;
                        if bad_messages > BAD_MESSAGES_MAX {
                            let reason = said(
                                format!("more than {BAD_MESSAGES_MAX} unreadable messages"),
                                "srv-too-many-unreadable",
                                vec![("max", plain(BAD_MESSAGES_MAX))],
                            );
                            return close_with_error(link, lang, reason).await;
                        }
                        let reason = said(
                            format!("unreadable message: {e}"),
                            "srv-unreadable-message",
                            vec![("problem", json_problem(&e))],
                        );
                        if let Err(end) = send(link, &error_message(lang, &reason)).await {
                            return end;
                        }
                        continue;
                    }
                };
                if !bucket.take() {
                    let reason = said(
                        format!("too many actions: at most {ACTIONS_PER_S} a second ({ACTIONS_BURST} at once)"),
                        "srv-too-many-actions",
                        vec![("rate", plain(ACTIONS_PER_S)), ("burst", plain(ACTIONS_BURST))],
                    );
                    let (detail, message) = told(lang, &reason);
                    let ack = Ack {
                        id,
                        status: AckStatus::Refused,
                        detail,
                        time_s: 0,
                        duplicate: false,
                        message,
                    };
                    if let Err(end) = send(link, &ServerMessage::Ack(ack)).await {
                        return end;
                    }
                    continue;
                }
                let (reply, answer) = oneshot::channel();
                if shared.requests.send(Request::Act { seat, id, what, lang, reply }).is_err() {
                    return shutting_down(link, lang).await;
                }
                pending = Some(answer);
            }
            answer = async { pending.as_mut().expect("guarded").await }, if pending.is_some() => {
                pending = None;
                let Ok(ack) = answer else {
                    return shutting_down(link, lang).await;
                };
                if let Err(end) = send(link, &ServerMessage::Ack(ack)).await {
                    return end;
                }
            }
            published = updates.recv() => {
                let published = match published {
                    Ok(published) => published,
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        lagged = true;
                        continue;
                    }
                    Err(broadcast::error::RecvError::Closed) => {
                        return shutting_down(link, lang).await;
                    }
                };
                if published.seq <= seq {
                    continue;
                }
                seq = published.seq;
                let Some(view) = published.views.get(&key) else { continue };
                let message = if lagged {
                    lagged = false;
                    ServerMessage::Snapshot {
                        seq,
                        time_s: published.time_s,
                        snapshot: (*view.full).clone(),
                    }
                } else if view.changed.is_empty() {
                    continue;
                } else {
                    let (changed, spliced) = match &view.spliced {
                        Some((rest, spliced)) if splices => (rest.clone(), spliced.clone()),
                        _ => (view.changed.clone(), std::collections::BTreeMap::new()),
                    };
                    ServerMessage::Update {
                        seq,
                        time_s: published.time_s,
                        changed,
                        spliced,
                    }
                };
                if let Err(end) = send(link, &message).await {
                    return end;
                }
            }
            _ = &mut *kicked => {
                let reason = said("the seat connected again elsewhere", "srv-connected-elsewhere", vec![]);
                return close(link, closing(lang, &reason), reason).await;
            }
        }
    }
}

/// A connection beyond [`super::CONNECTIONS_MAX`]: told so, and closed.
pub async fn refuse_full(stream: Stream) {
    let mut link = Link::new(stream);
    // No hello was read: both languages, with the message for a client to say in its own.
    let full = said(
        format!("the server is full ({} connections)", super::CONNECTIONS_MAX),
        "srv-full",
        vec![("max", plain(super::CONNECTIONS_MAX))],
    );
    let (reason, message) = told_unknown(&full);
    let _ = tokio::time::timeout(
        Duration::from_secs(1),
        send(&mut link, &ServerMessage::Refused { reason, message }),
    )
    .await;
}

#[cfg(test)]
mod problem_tests {
    use super::*;
    use crate::i18n::english_phrases;
    use tripoint_sim::drill::text::Text;

    fn shown(lang: Lang, arg: &Arg) -> String {
        crate::messages::text(lang, &Text::new("srv-not-hello", vec![("problem", arg.clone())]))
    }

    /// serde's and the operating system's words stay the English of a refusal, byte for
    /// byte; in Chinese the kind of problem, the field or value it names and where.
    #[test]
    fn json_and_frame_problems_are_english_as_serde_says_them_and_chinese_without_english() {
        let cases = [
            (&b"\xff\xfe not json"[..], "JSON 语法错误（第 1 行第 1 列）"),
            (&b"{\"type\":\"hello\""[..], "JSON 不完整"),
            (
                &b"{\"type\":\"hello\",\"protocol\":1,\"seat\":\"a\"}"[..],
                "缺少字段 `token`",
            ),
            (&b"{\"type\":\"greet\"}"[..], "未知的取值 `greet`"),
            (
                &b"{\"type\":\"hello\",\"protocol\":\"one\",\"seat\":\"a\",\"token\":\"t\"}"[..],
                "字段或取值与协议不符",
            ),
        ];
        for (bytes, chinese) in cases {
            let e = serde_json::from_slice::<ClientMessage>(bytes).unwrap_err();
            let arg = json_problem(&e);
            assert_eq!(shown(Lang::En, &arg), format!("not a hello: {e}"));
            let zh = shown(Lang::ZhCn, &arg);
            assert!(zh.contains(chinese), "{e}: {zh}");
            assert!(english_phrases(&zh).is_empty(), "{e}: {zh}");
        }
        let e = std::io::Error::new(std::io::ErrorKind::InvalidData, "frame size too big");
        let said = unreadable_frame(&e);
        assert_eq!(crate::messages::text(Lang::En, &said.text), said.english);
        let (reason, _) = told_unknown(&said);
        assert_eq!(
            reason,
            "无法读取的数据帧：数据帧超过长度上限或格式无效 / unreadable frame: frame size too big"
        );
    }
}
