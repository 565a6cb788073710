//! The console connected to an exercise server (`tripoint console --connect ADDR --seat
//! NAME`): this thread stands where the console's own simulation thread stands
//! (`runner.rs`), with the same commands in and the same updates out, but the session
//! is the server's. Actions go to the server and its answer is the status line; clock
//! keys become clock controls (the server refuses them from a seat that is not a
//! controller, and says so); the view is the seat's view from the server. A dropped
//! connection is reconnected by itself (with the last update seen), and an action whose
//! answer was lost is sent again with the same id, so the server applies it once. The
//! view is kept as the simulation's snapshot type, each update read straight into it
//! ([`TypedView`]).
//!
//! The hello names the console's language, so the server's answers come in it; an answer
//! that carries its sentence as data (`Ack::message`) is rendered here, names by the
//! drill's Chinese names, and the English `detail` shows where there is none.

use super::app::Command;
use super::runner::Update;
use crate::i18n::Lang;
use crate::net::client::{Client, ClientError};
use crate::net::typed_view::{Received, TypedView};
use crate::net::{Ack, AckStatus, Control, Message};
use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::Duration;
use tokio::sync::watch;
use tripoint_sim::drill::clock::Speed;
use tripoint_sim::drill::view::Snapshot;
use tripoint_sim::drill::{Action, Drill, Seat};

/// How often queued commands are looked at while waiting for the server [ms].
const COMMAND_POLL: Duration = Duration::from_millis(20);
/// First wait before connecting again; doubled up to [`RECONNECT_WAIT_MAX`].
const RECONNECT_WAIT: Duration = Duration::from_millis(250);
const RECONNECT_WAIT_MAX: Duration = Duration::from_secs(5);

/// Where and as whom to connect.
#[derive(Clone)]
pub struct Connection {
    pub addr: String,
    /// Plain TCP or TLS.
    pub transport: crate::net::tls::Transport,
    pub seat: String,
    pub token: String,
    /// The language the console speaks, named in the hello.
    pub lang: Lang,
}

/// What the server said when the seat connected.
pub struct Welcomed {
    pub role: String,
    pub snapshot: Snapshot,
    /// The server's clock: paused, speed.
    pub clock: (bool, Speed),
}

/// A request sent and not yet answered: sent again, with its id, after a reconnect.
#[derive(Clone)]
enum Pending {
    Action(u64, Action),
    Control(u64, Control),
}

/// The connected console's stand-in for the simulation thread.
pub struct Remote {
    pub connection: Connection,
    pub commands: Receiver<Command>,
    pub updates: watch::Sender<Update>,
    /// The drill the server runs, as this console loaded it: names for the answers.
    pub drill: Arc<Drill>,
}

/// Connects once (the first connection: a refusal is final), for the console to know
/// the seat and the first view before it draws.
pub async fn connect(connection: &Connection) -> Result<(Client<TypedView>, Welcomed), ClientError> {
    let client = Client::connect_keeping(
        &connection.transport,
        &connection.addr,
        &connection.seat,
        &connection.token,
        None,
        Some(connection.lang.tag()),
    )
    .await?;
    let snapshot = client.snapshot()?;
    let role = client.role.clone();
    let clock = clock_of(&client);
    Ok((client, Welcomed { role, snapshot, clock }))
}

/// The server's clock as a view shows it: paused, speed.
fn clock_of(client: &Client<TypedView>) -> (bool, Speed) {
    let clock = &client.view().clock;
    (
        clock["paused"] != false,
        serde_json::from_value(clock["speed"].clone()).unwrap_or(Speed::X60),
    )
}

/// The drill seat a role of the seats file stands for.
pub fn seat_of_role(role: &str, scenario: &tripoint_sim::scenario::Scenario) -> Option<Seat> {
    match role {
        "controller" => Some(Seat::Controller),
        "command" => Some(Seat::Command),
        "evaluator" => Some(Seat::Evaluator),
        "observer" => Some(Seat::Observer),
        other => Seat::parse(other.strip_prefix("jurisdiction:")?, scenario),
    }
}

impl Remote {
    /// Serves the console until it quits: `client` is the first connection.
    pub async fn run(self, mut client: Client<TypedView>) {
        let mut pending: Option<Pending> = None;
        // Commands read while reconnecting, in order.
        let mut backlog: VecDeque<Command> = VecDeque::new();
        let mut tick = tokio::time::interval(COMMAND_POLL);
        self.publish(&client, None);
        loop {
            // A request left unanswered by a lost connection goes first, with its id.
            if let Some(request) = pending.clone() {
                match send(&mut client, &request).await {
                    Ok(ack) => {
                        pending = None;
                        self.publish(&client, Some(self.describe(&ack)));
                    }
                    Err(e) => match self.reconnect(&client, e, &mut backlog).await {
                        Some(again) => client = again,
                        None => return,
                    },
                }
                continue;
            }
            let command = match backlog.pop_front().map_or_else(|| self.commands.try_recv(), Ok) {
                Ok(command) => Some(command),
                Err(TryRecvError::Empty) => None,
                Err(TryRecvError::Disconnected) => return,
            };
            if let Some(command) = command {
                match self.request_for(&mut client, command) {
                    Ok(Some(request)) => pending = Some(request),
                    Ok(None) => {}
                    Err(Quit) => return,
                }
                continue;
            }
            tokio::select! {
                received = client.next_message() => match received {
                    Ok(Received::Published(_)) => {
                        self.publish(&client, None);
                    }
                    Ok(_) => {}
                    Err(e) => match self.reconnect(&client, e, &mut backlog).await {
                        Some(again) => client = again,
                        None => return,
                    },
                },
                _ = tick.tick() => {}
            }
        }
    }

    /// What a console command asks of the server (`None`: nothing, the status line
    /// says why).
    fn request_for(&self, client: &mut Client<TypedView>, command: Command) -> Result<Option<Pending>, Quit> {
        let control = |client: &mut Client<TypedView>, control| Ok(Some(Pending::Control(client.take_id(), control)));
        match command {
            Command::Quit => Err(Quit),
            Command::Pause => control(client, Control::Pause),
            Command::Resume => control(client, Control::Resume),
            Command::Speed(speed) => control(client, Control::Speed(speed)),
            Command::Act(_, action) => Ok(Some(Pending::Action(client.take_id(), action))),
            Command::Step => {
                self.publish(client, Some(self.connection.lang.t("remote-no-step")));
                Ok(None)
            }
            Command::SaveJournal => {
                self.publish(client, Some(self.connection.lang.t("remote-server-journal")));
                Ok(None)
            }
            // The server decides what the seat sees.
            Command::View { .. } => Ok(None),
        }
    }

    /// Connects again until it works, waiting longer each time; `None`: the console quit
    /// meanwhile, or the server refused the seat.
    async fn reconnect(
        &self,
        lost: &Client<TypedView>,
        error: ClientError,
        backlog: &mut VecDeque<Command>,
    ) -> Option<Client<TypedView>> {
        let last_seen_seq = lost.seq();
        let mut wait = RECONNECT_WAIT;
        let mut why = error.to_string();
        let lang = self.connection.lang;
        loop {
            self.status(lang.t_args(
                "remote-lost",
                &[
                    ("why", why.as_str().into()),
                    ("addr", self.connection.addr.as_str().into()),
                ],
            ));
            tokio::time::sleep(wait).await;
            if self.quit_asked(backlog) {
                return None;
            }
            match Client::connect_keeping(
                &self.connection.transport,
                &self.connection.addr,
                &self.connection.seat,
                &self.connection.token,
                Some(last_seen_seq),
                Some(lang.tag()),
            )
            .await
            {
                Ok(mut client) => {
                    client.continue_ids_from(lost.next_id());
                    let again = lang.t_args(
                        "remote-connected-again",
                        &[("addr", self.connection.addr.as_str().into())],
                    );
                    self.publish(&client, Some(again));
                    return Some(client);
                }
                Err(ClientError::Refused(reason)) => {
                    self.status(lang.t_args("remote-seat-refused", &[("reason", reason.into())]));
                    return None;
                }
                Err(e) => why = e.to_string(),
            }
            wait = (wait * 2).min(RECONNECT_WAIT_MAX);
        }
    }

    /// Whether the console has quit; the other commands queued meanwhile are kept in
    /// `backlog`, to be carried out once connected again.
    fn quit_asked(&self, backlog: &mut VecDeque<Command>) -> bool {
        loop {
            match self.commands.try_recv() {
                Ok(Command::Quit) | Err(TryRecvError::Disconnected) => return true,
                Ok(command) => backlog.push_back(command),
                Err(TryRecvError::Empty) => return false,
            }
        }
    }

    /// Sends the seat's view; `message`, if any, for the status line. The last message
    /// stays in the update until another replaces it, so a view that follows at once
    /// cannot hide it from the console (it shows each message once).
    fn publish(&self, client: &Client<TypedView>, message: Option<String>) {
        let snapshot = match client.snapshot() {
            Ok(snapshot) => snapshot,
            Err(e) => {
                let problem = e.to_string();
                self.status(
                    self.connection
                        .lang
                        .t_args("remote-unreadable-view", &[("problem", problem.into())]),
                );
                return;
            }
        };
        self.updates.send_modify(|update| {
            update.snapshot = Arc::new(snapshot);
            update.finished = client.view().clock["finished"] == true;
            update.clock = Some(clock_of(client));
            if message.is_some() {
                update.message = message;
            }
        });
    }

    /// The status line for an answer, in the console's language.
    fn describe(&self, ack: &Ack) -> String {
        describe(self.connection.lang, &self.drill, ack)
    }

    /// A message for the status line, with the view as it was.
    fn status(&self, message: String) {
        self.updates.send_modify(|update| update.message = Some(message));
    }
}

/// The console quit.
struct Quit;

async fn send(client: &mut Client<TypedView>, request: &Pending) -> Result<Ack, ClientError> {
    match request {
        Pending::Action(id, action) => client.act_with_id(*id, action.clone()).await,
        Pending::Control(id, control) => client.control_with_id(*id, *control).await,
    }
}

/// The status line for an answer in `lang`: its sentence rendered from the answer's
/// message where this program reads it (the English messages render the server's
/// English, byte for byte), else the server's `detail` (English from a server that sends
/// no message).
pub fn describe(lang: Lang, drill: &Drill, ack: &Ack) -> String {
    let detail = match ack.message.as_ref().and_then(Message::text) {
        Some(text) => crate::report::drill::text(lang, drill, &text),
        None => ack.detail.clone(),
    };
    let again = if ack.duplicate {
        lang.t("remote-answered-before")
    } else {
        String::new()
    };
    let id = ack.id.to_string();
    let key = match (ack.status, detail.is_empty()) {
        (AckStatus::Applied, true) => "remote-done",
        (AckStatus::Applied, false) => "remote-applied",
        (AckStatus::Refused, _) => "remote-refused",
    };
    lang.t_args(
        key,
        &[("id", id.into()), ("detail", detail.into()), ("again", again.into())],
    )
}
