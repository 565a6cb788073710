//! The server's simulation thread: the one authoritative session, driven by the exercise
//! clock ([`Exercise`], as the console drives its own). It takes the seats' requests one
//! at a time between events, answers each (applied or refused, and the same answer again
//! for an id it has seen), and publishes every seat's view: what changed since the last
//! publication, field by field, with the whole view beside it for clients that fell
//! behind. Publishing never waits for a client (a broadcast ring that slow readers fall
//! off), so no client can stall the simulation.

use super::SeatInfo;
use super::connection::{said, told};
use crate::exercise::Exercise;
use crate::i18n::{Lang, said_here};
use crate::journal::Appender;
use crate::net::{Ack, AckStatus, Control, Message, Splice};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};
use tokio::sync::{broadcast, oneshot};
use tripoint_sim::drill::clock::Speed;
use tripoint_sim::drill::engine::DrillLog;
use tripoint_sim::drill::permissions::Request as ActionRequest;
use tripoint_sim::drill::text::Arg;
use tripoint_sim::drill::view::{self, Snapshot};
use tripoint_sim::drill::{Action, Seat};
use tripoint_sim::response::edit::Said;

/// Wall time between publications while something changes.
const PUBLISH_EVERY: Duration = Duration::from_millis(100);
/// Longest wait for a request when the clock does not need the thread sooner.
const IDLE_WAIT: Duration = Duration::from_millis(20);
/// Most requests handled between two advances of the clock (the rest wait their turn).
const REQUESTS_PER_TURN_MAX: usize = 256;
/// Answers remembered per seat, for ids sent again.
pub const ACKS_KEPT_PER_SEAT: usize = 1024;

/// What a connection asks of the simulation thread.
pub enum Request {
    /// A seat connected: its view now.
    Hello {
        seat: usize,
        last_seen_seq: Option<u64>,
        reply: oneshot::Sender<Welcome>,
    },
    /// An action or a clock control of a seat.
    Act {
        seat: usize,
        id: u64,
        what: What,
        /// The language the seat reads: the answer's `detail` comes in it.
        lang: Lang,
        reply: oneshot::Sender<Ack>,
    },
    /// Write the journal and stop.
    Shutdown,
}

pub enum What {
    Action(Action),
    Control(Control),
}

/// The answer to a hello.
pub struct Welcome {
    pub seq: u64,
    pub time_s: i64,
    pub missed: Option<u64>,
    pub view: Arc<Map<String, Value>>,
    pub last_action_id: Option<u64>,
}

/// Which view of the exercise a seat gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ViewKey {
    /// Controllers: the hidden truth (releases, the plume), every inbox, the ad-hoc injects.
    Truth,
    /// A player seat: what the players know, its own inbox.
    Player(Seat),
    /// Evaluators: what the players know, every inbox, the observations.
    Evaluate,
    /// Observers: what the players know, every inbox.
    Watch,
}

impl ViewKey {
    pub fn of(seat: Seat) -> ViewKey {
        match seat {
            Seat::Controller => ViewKey::Truth,
            Seat::Command | Seat::Jurisdiction(_) => ViewKey::Player(seat),
            Seat::Evaluator => ViewKey::Evaluate,
            Seat::Observer => ViewKey::Watch,
        }
    }
}

/// One view in a publication.
pub struct PublishedView {
    /// The fields that changed since the previous publication (empty: none).
    pub changed: Map<String, Value>,
    /// The same change for a client that applies splices, where one of the lists of
    /// [`crate::net::SPLICED_FIELDS`] changed in part: the other fields, and those lists'
    /// splices (`None`: no list to splice; `changed` is sent to every client).
    pub spliced: Option<SplicedChange>,
    /// The whole view, for a client that missed publications.
    pub full: Arc<Map<String, Value>>,
}

/// Gives each event log entry of a view its sentence as data, `said` (a [`Message`]),
/// beside the English `what`: a console reading another language renders it
/// (docs/protocol.md). `report.json` and the journal keep `what` alone.
fn said_in_log(full: &mut Map<String, Value>, snapshot: &Snapshot) {
    let Some(Value::Array(entries)) = full.get_mut("log") else {
        return;
    };
    for (entry, logged) in entries.iter_mut().zip(&snapshot.log) {
        if let (Value::Object(entry), Some(event)) = (entry, &logged.event) {
            let said = serde_json::to_value(Message::of(event)).expect("a message serialises");
            entry.insert("said".to_string(), said);
        }
    }
}

/// A change for a client that applies splices: the fields sent whole, and the lists'
/// splices.
pub type SplicedChange = (Map<String, Value>, BTreeMap<String, Vec<Splice<Value>>>);

/// `changed` with the lists of [`crate::net::SPLICED_FIELDS`] that changed in part taken
/// out and given as splices from `previous`, if any is.
fn splice(previous: &Map<String, Value>, changed: &Map<String, Value>) -> Option<SplicedChange> {
    let splices: BTreeMap<String, Vec<Splice<Value>>> = crate::net::SPLICED_FIELDS
        .iter()
        .filter_map(|&field| match (previous.get(field), changed.get(field)) {
            (Some(Value::Array(old)), Some(Value::Array(new))) => {
                crate::net::splices_between(old, new).map(|splices| (field.to_string(), splices))
            }
            _ => None,
        })
        .collect();
    if splices.is_empty() {
        return None;
    }
    let rest = changed
        .iter()
        .filter(|(field, _)| !splices.contains_key(*field))
        .map(|(field, value)| (field.clone(), value.clone()))
        .collect();
    Some((rest, splices))
}

/// One publication: every view at one moment.
pub struct Published {
    pub seq: u64,
    pub time_s: i64,
    pub views: BTreeMap<ViewKey, PublishedView>,
}

/// The answers a seat has had, to answer an id sent again without acting again. Ids
/// increase, so the last answer holds the highest id.
#[derive(Default)]
struct Ledger {
    recent: VecDeque<Ack>,
}

impl Ledger {
    fn highest_id(&self) -> Option<u64> {
        self.recent.back().map(|a| a.id)
    }
}

pub struct Simulation {
    pub exercise: Exercise,
    pub seats: Arc<Vec<SeatInfo>>,
    pub requests: Receiver<Request>,
    pub updates: broadcast::Sender<Arc<Published>>,
    /// The journal, written as the exercise goes (`None`: no `--journal`).
    pub journal: Option<Appender>,
    /// The journal's first line (what a replay needs), as the file holds it.
    pub journal_header: String,
    /// Lines of the session's journal already in the file.
    pub journal_written: usize,
    /// Where the after-action report goes when the server stops.
    pub report: Option<std::path::PathBuf>,
    /// The database the exercise is written into as it goes (`None`: `--no-db`).
    pub recorder: Option<crate::commands::db_record::SessionRecorder>,
}

/// The state the thread keeps beside the exercise.
struct Books {
    ledgers: Vec<Ledger>,
    keys: Vec<ViewKey>,
    last: BTreeMap<ViewKey, Arc<Map<String, Value>>>,
    seq: u64,
    /// The source estimates, weighed on their own thread from the results command knows,
    /// as the console's source panel has them (never waited for: a view carries the newest
    /// finished ones).
    estimator: crate::estimator::Estimator,
}

impl Simulation {
    pub fn run(mut self) {
        let mut keys: Vec<ViewKey> = self.seats.iter().map(|s| ViewKey::of(s.seat)).collect();
        // The web board (`super::board`) shows what the players know, with or without an
        // observer seat.
        keys.push(ViewKey::Watch);
        keys.sort();
        keys.dedup();
        let mut books = Books {
            ledgers: self.ledgers_from_log(),
            keys,
            last: BTreeMap::new(),
            seq: 0,
            estimator: crate::estimator::Estimator::start(),
        };
        self.publish(&mut books);
        let mut last_publish = Instant::now();
        let mut dirty = false;
        loop {
            let running_fastest = !self.exercise.paused() && self.exercise.speed() == Speed::Fastest;
            let mut wait = if running_fastest { Duration::ZERO } else { IDLE_WAIT };
            for _ in 0..REQUESTS_PER_TURN_MAX {
                let request = match self.requests.recv_timeout(wait) {
                    Ok(request) => request,
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => {
                        self.stop();
                        return;
                    }
                };
                wait = Duration::ZERO;
                match request {
                    Request::Shutdown => {
                        self.stop();
                        return;
                    }
                    Request::Hello {
                        seat,
                        last_seen_seq,
                        reply,
                    } => {
                        let _ = reply.send(self.welcome(&books, seat, last_seen_seq));
                    }
                    Request::Act {
                        seat,
                        id,
                        what,
                        lang,
                        reply,
                    } => {
                        let ack = self.act(&mut books, seat, id, what);
                        let _ = reply.send(self.in_language(ack, lang));
                        dirty = true;
                    }
                }
            }
            match self.exercise.advance() {
                Ok(advanced) => {
                    dirty |= advanced.moved;
                    self.append_journal(advanced.ended);
                    if advanced.ended {
                        eprintln!(
                            "{}",
                            said_here("srvlog-ended", &[("clock", &self.exercise.session.now().clock_label())])
                        );
                        self.finish_record();
                        dirty = true;
                    } else {
                        self.checkpoint_record();
                    }
                }
                Err(e) => {
                    eprintln!("{}", said_here("srvlog-simulation-stopped", &[("problem", &e)]));
                    dirty = true;
                }
            }
            dirty |= books.estimator.poll();
            if dirty && last_publish.elapsed() >= PUBLISH_EVERY {
                self.publish(&mut books);
                last_publish = Instant::now();
                dirty = false;
            }
        }
    }

    fn welcome(&self, books: &Books, seat: usize, last_seen_seq: Option<u64>) -> Welcome {
        let key = ViewKey::of(self.seats[seat].seat);
        Welcome {
            seq: books.seq,
            time_s: self.exercise.session.now().seconds(),
            missed: last_seen_seq.map(|s| books.seq.saturating_sub(s)),
            view: books.last[&key].clone(),
            last_action_id: books.ledgers[seat].highest_id(),
        }
    }

    /// An answer as a seat reading `lang` gets it: `detail` rendered from its message
    /// (names by `name_zh`); in English, or without a message this program can read,
    /// the English as the ledger keeps it.
    fn in_language(&self, mut ack: Ack, lang: Lang) -> Ack {
        if lang != Lang::En
            && let Some(text) = ack.message.as_ref().and_then(Message::text)
        {
            ack.detail = crate::report::drill::text(lang, self.exercise.session.drill(), &text);
        }
        ack
    }

    /// Answers an action or control: the same answer again for an id already answered;
    /// ids of a seat must increase. The answer is in English, with its message.
    fn act(&mut self, books: &mut Books, seat: usize, id: u64, what: What) -> Ack {
        let now_s = self.exercise.session.now().seconds();
        let ledger = &books.ledgers[seat];
        if let Some(highest) = ledger.highest_id()
            && id <= highest
        {
            return match ledger.recent.iter().find(|a| a.id == id) {
                Some(first) => Ack {
                    duplicate: true,
                    ..first.clone()
                },
                None => refused(
                    id,
                    now_s,
                    said(
                        format!(
                            "action id {id} is not new and not among the last {ACKS_KEPT_PER_SEAT} answered: \
                             the ids of a seat must increase (the last was {highest})"
                        ),
                        "srv-id-not-new",
                        vec![
                            ("id", plain(id)),
                            ("kept", plain(ACKS_KEPT_PER_SEAT)),
                            ("highest", plain(highest)),
                        ],
                    ),
                ),
            };
        }
        let ack = match what {
            What::Action(action) => {
                let ack = self.apply(seat, id, action);
                // The action is on the disk before its answer leaves: an answered action
                // survives the server.
                self.append_journal(true);
                ack
            }
            What::Control(control) => self.control(seat, id, control),
        };
        let ledger = &mut books.ledgers[seat];
        if ledger.recent.len() == ACKS_KEPT_PER_SEAT {
            ledger.recent.pop_front();
        }
        ledger.recent.push_back(ack.clone());
        ack
    }

    /// Applies an action: the engine checks the seat's permissions and journals it,
    /// applied or refused.
    fn apply(&mut self, seat: usize, id: u64, action: Action) -> Ack {
        let info = &self.seats[seat];
        let request = ActionRequest {
            by: info.name.clone(),
            id,
        };
        let now_s = self.exercise.session.now().seconds();
        if let Err(e) = self.exercise.act(info.seat, action, Some(request.clone())) {
            eprintln!(
                "{}",
                said_here("srvlog-action-failed", &[("seat", &info.name), ("problem", &e)])
            );
            let reason = said(
                format!("the simulation failed: {e}"),
                "srv-simulation-failed",
                vec![("problem", plain(&e))],
            );
            return refused(id, now_s, reason);
        }
        let log = self.exercise.session.world().resource::<DrillLog>();
        let outcome = log.requests.last().filter(|r| r.request == request);
        let time_s = self.exercise.session.now().seconds();
        match outcome.map(|r| (r.result.clone(), r.message.as_ref().map(Message::of))) {
            Some((Ok(detail), message)) => Ack {
                id,
                status: AckStatus::Applied,
                detail,
                time_s,
                duplicate: false,
                message,
            },
            Some((Err(detail), message)) => Ack {
                id,
                status: AckStatus::Refused,
                detail,
                time_s,
                duplicate: false,
                message,
            },
            None => {
                // The engine records every action sent to the server when it handles it.
                eprintln!(
                    "{}",
                    said_here("srvlog-not-handled", &[("id", &id), ("seat", &self.seats[seat].name)])
                );
                let reason = said("internal error: the action was not handled", "srv-not-handled", vec![]);
                refused(id, time_s, reason)
            }
        }
    }

    fn control(&mut self, seat: usize, id: u64, control: Control) -> Ack {
        let now_s = self.exercise.session.now().seconds();
        if self.seats[seat].seat != Seat::Controller {
            let reason = said("only a controller runs the clock", "srv-clock-controller", vec![]);
            return refused(id, now_s, reason);
        }
        let detail = match control {
            Control::Pause => {
                self.exercise.pause();
                said("paused", "srv-paused", vec![])
            }
            Control::Resume if self.exercise.finished() => {
                return refused(id, now_s, said("the exercise has ended", "srv-ended", vec![]));
            }
            Control::Resume => {
                self.exercise.resume();
                said("running", "srv-running", vec![])
            }
            Control::Speed(speed) => {
                self.exercise.set_speed(speed);
                said(
                    format!("speed {}", speed.label()),
                    "srv-speed",
                    vec![("speed", plain(speed.label()))],
                )
            }
            Control::PauseAt(at_s) => {
                let now = self.exercise.session.now();
                if at_s <= now.seconds() {
                    let reason = said(
                        format!(
                            "pause_at {at_s}: not ahead of the exercise (it is at {} s, {})",
                            now.seconds(),
                            now.clock_label()
                        ),
                        "srv-pause-at-past",
                        vec![
                            ("at", plain(at_s)),
                            ("now", plain(now.seconds())),
                            ("clock", plain(now.clock_label())),
                        ],
                    );
                    return refused(id, now_s, reason);
                }
                let at = tripoint_sim::time::SimTime(at_s);
                self.exercise.set_pause_at(Some(at));
                said(
                    format!("pauses at {}", at.clock_label()),
                    "srv-pauses-at",
                    vec![("at", plain(at.clock_label()))],
                )
            }
        };
        eprintln!(
            "{}",
            said_here(
                "srvlog-action",
                &[
                    ("seat", &self.seats[seat].name),
                    ("clock", &self.exercise.session.now().clock_label()),
                    ("what", &told(crate::i18n::current(), &detail).0),
                ]
            )
        );
        Ack {
            id,
            status: AckStatus::Applied,
            detail: detail.english,
            time_s: now_s,
            duplicate: false,
            message: Some(Message::of(&detail.text)),
        }
    }

    /// Builds every view, and sends what changed to every connection.
    fn publish(&mut self, books: &mut Books) {
        let session = &self.exercise.session;
        books.estimator.observe(session);
        let sources = books.estimator.estimates();
        let mut player = view::snapshot(session, None, false);
        player.sources = sources.clone();
        let truth = books.keys.contains(&ViewKey::Truth).then(|| {
            let mut truth = view::snapshot(session, None, true);
            truth.sources = sources;
            truth
        });
        let clock = serde_json::json!({
            "paused": self.exercise.paused(),
            "speed": self.exercise.speed(),
            "finished": self.exercise.finished(),
            "pause_at": self.exercise.pause_at().map(|t| t.seconds()),
        });
        let mut views = BTreeMap::new();
        for &key in &books.keys {
            let mut snapshot = match (key, &truth) {
                (ViewKey::Truth, Some(truth)) => truth.clone(),
                _ => player.clone(),
            };
            restrict(&mut snapshot, key, session);
            let Value::Object(mut full) = serde_json::to_value(&snapshot).expect("a snapshot serialises") else {
                unreachable!("a snapshot is an object")
            };
            full.insert("clock".to_string(), clock.clone());
            said_in_log(&mut full, &snapshot);
            let (changed, spliced) = match books.last.get(&key) {
                Some(previous) => {
                    let changed: Map<String, Value> = full
                        .iter()
                        .filter(|(field, value)| previous.get(*field) != Some(value))
                        .map(|(field, value)| (field.clone(), value.clone()))
                        .collect();
                    let spliced = splice(previous, &changed);
                    (changed, spliced)
                }
                None => (full.clone(), None),
            };
            let full = Arc::new(full);
            books.last.insert(key, full.clone());
            views.insert(key, PublishedView { changed, spliced, full });
        }
        if books.seq > 0 && views.values().all(|v| v.changed.is_empty()) {
            return;
        }
        books.seq += 1;
        // No receiver (nobody connected) is not an error: the views are kept for hellos.
        let _ = self.updates.send(Arc::new(Published {
            seq: books.seq,
            time_s: session.now().seconds(),
            views,
        }));
    }

    /// The answers the session's log holds (a resumed session's, read from its journal):
    /// each seat's ids go on from there.
    fn ledgers_from_log(&self) -> Vec<Ledger> {
        let mut ledgers: Vec<Ledger> = self.seats.iter().map(|_| Ledger::default()).collect();
        let log = self.exercise.session.world().resource::<DrillLog>();
        for outcome in &log.requests {
            let Some(seat) = self.seats.iter().position(|s| s.name == outcome.request.by) else {
                // A seat since removed from the seats file: nobody can send its ids again.
                continue;
            };
            let (status, detail) = match &outcome.result {
                Ok(detail) => (AckStatus::Applied, detail.clone()),
                Err(reason) => (AckStatus::Refused, reason.clone()),
            };
            let message = outcome.message.as_ref().map(Message::of);
            let ledger = &mut ledgers[seat];
            if ledger.recent.len() == ACKS_KEPT_PER_SEAT {
                ledger.recent.pop_front();
            }
            ledger.recent.push_back(Ack {
                id: outcome.request.id,
                status,
                detail,
                time_s: outcome.at.seconds(),
                duplicate: false,
                message,
            });
        }
        ledgers
    }

    /// Appends the session's new journal lines; `durable`: synced to the disk. A journal
    /// that cannot be written is given up, loudly; the exercise goes on.
    fn append_journal(&mut self, durable: bool) {
        let Some(appender) = &mut self.journal else {
            return;
        };
        let lines = &self.exercise.session.journal()[self.journal_written..];
        match appender.append(lines, durable) {
            Ok(()) => self.journal_written += lines.len(),
            Err(e) => {
                eprintln!("{}", said_here("srvlog-journal-failed", &[("problem", &e)]));
                self.journal = None;
            }
        }
    }

    /// The journal written, the report and the database's record.
    fn stop(&mut self) {
        self.close_journal();
        self.write_report();
        self.finish_record();
    }

    /// Writes into the database what the exercise recorded since the last write (a
    /// result, a plan revision or approval, a discovery). The journal is on the disk
    /// first: a resumed server replays at least as far as the database holds.
    fn checkpoint_record(&mut self) {
        let Some(recorder) = &mut self.recorder else {
            return;
        };
        if recorder.needs_write(&self.exercise.session) {
            self.append_journal(true);
            if let Some(recorder) = &mut self.recorder
                && let Some(message) = recorder.checkpoint(&mut self.exercise.session)
            {
                eprintln!("{message}");
            }
        }
    }

    /// Writes the whole record, with the after-action report as far as the exercise went.
    fn finish_record(&mut self) {
        let Some(recorder) = &mut self.recorder else {
            return;
        };
        let report_path = self.report.as_ref().map(|dir| dir.join("report.md"));
        if let Some(message) = recorder.finish(&mut self.exercise.session, report_path.as_deref()) {
            eprintln!("{message}");
        }
    }

    /// Writes the after-action report of the exercise as far as it went.
    fn write_report(&mut self) {
        let Some(dir) = &self.report else {
            return;
        };
        let report = self.exercise.session.report_now();
        let lang = crate::i18n::current();
        match crate::report::drill::write(dir, lang, self.exercise.session.drill(), &report) {
            Ok(files) => eprintln!(
                "{}",
                lang.t_args(
                    "srvlog-report-written",
                    &[
                        ("dir", dir.display().to_string().into()),
                        ("files", files.len().to_string().into()),
                        ("observations", report.observations.len().to_string().into()),
                    ]
                )
            ),
            Err(e) => eprintln!(
                "{}",
                said_here(
                    "srvlog-report-failed",
                    &[("dir", &dir.display()), ("problem", &format!("{e:#}"))]
                )
            ),
        }
    }

    /// Writes what is left of the journal and its closing record.
    fn close_journal(&mut self) {
        self.append_journal(false);
        let Some(appender) = self.journal.take() else {
            return;
        };
        let lines: Vec<String> = std::iter::once(self.journal_header.clone())
            .chain(self.exercise.session.journal().iter().cloned())
            .collect();
        match appender.close(&lines) {
            Ok(()) => eprintln!(
                "{}",
                crate::i18n::current().t_args(
                    "srvlog-journal-closed",
                    &[("lines", (lines.len() + 1).to_string().into())]
                )
            ),
            Err(e) => eprintln!("{}", said_here("srvlog-journal-close-failed", &[("problem", &e)])),
        }
    }
}

/// What a view leaves out: a player seat's inbox holds its own injects only; a
/// jurisdiction sees the incidents discovered in it or notified to it, not every known
/// one (`view::restrict_to_jurisdiction`); nobody but the controllers sees the ad-hoc
/// injects held back; only controllers and evaluators see the evaluators' observations.
fn restrict(snapshot: &mut Snapshot, key: ViewKey, session: &tripoint_sim::drill::Session) {
    match key {
        ViewKey::Truth => {}
        ViewKey::Player(seat) => {
            if let Seat::Jurisdiction(jurisdiction) = seat {
                view::restrict_to_jurisdiction(snapshot, session, jurisdiction);
            }
            snapshot.inbox.retain(|item| item.seat == seat);
            snapshot.adhoc.clear();
            snapshot.observations.clear();
        }
        ViewKey::Evaluate => snapshot.adhoc.clear(),
        ViewKey::Watch => {
            snapshot.adhoc.clear();
            snapshot.observations.clear();
        }
    }
}

/// A refusal of the server's own: its English, with its message.
fn refused(id: u64, time_s: i64, reason: Said) -> Ack {
    Ack {
        id,
        status: AckStatus::Refused,
        detail: reason.english,
        time_s,
        duplicate: false,
        message: Some(Message::of(&reason.text)),
    }
}

fn plain(value: impl std::fmt::Display) -> Arg {
    Arg::Plain(value.to_string())
}
