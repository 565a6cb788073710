//! A seat's view kept as the simulation's own type, for the connected console: an
//! update's changed fields are read straight into the fields of a [`Snapshot`], without
//! a JSON tree of the frame, a copy of the whole view, or the view read again on every
//! publication (issue 19; docs/benchmarks.md). The protocol is unchanged: an update's
//! fields replace the view's whole, a snapshot replaces the view (docs/protocol.md),
//! exactly as the JSON view of [`super::client`] applies them; a test applies recorded
//! publications both ways and compares (`tests/console_applies_publications_typed.rs`).

use super::client::{ClientError, SeatView, decode};
use super::{Message, ServerMessage, Splice};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};
use tripoint_sim::drill::evaluate::{Observation, TimelineEntry};
use tripoint_sim::drill::source::SourceEstimate;
use tripoint_sim::drill::view::{
    ChartView, InboxView, IncidentView, IntakeView, PlanView, ResultView, Snapshot, TeamView,
};
use tripoint_sim::time::SimTime;

/// A seat's view: the snapshot the console draws and the server's clock as it was sent
/// (`{paused, speed, finished, pause_at}`, a few bytes, kept as JSON so that the console
/// reads it as it always did).
#[derive(Clone, Debug)]
pub struct TypedView {
    pub snapshot: Snapshot,
    pub clock: Value,
}

/// A publication applied to the view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Publication {
    pub seq: u64,
    /// Exercise time [s on the scenario clock].
    pub time_s: i64,
    /// A whole snapshot (sent for the updates a slow client missed), not an update.
    pub whole: bool,
}

/// What a [`TypedView`] client reads: a publication, applied, or any other message.
#[derive(Clone, Debug)]
pub enum Received {
    Published(Publication),
    Message(ServerMessage),
}

/// Deserialises a field that is present (even `null`) as `Some`, so that an update
/// setting `chart` to `null` is told from one that leaves it alone.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
    T::deserialize(deserializer).map(Some)
}

/// Declares the view's fields once: the patch an update or a snapshot is read into,
/// how a patch applies, and how a whole view is built from one. The struct literal of
/// [`Snapshot`] in `into_whole` names every field, so a field added to `Snapshot` and
/// not here does not compile. `required`: fields a whole view must have; `defaulted`:
/// fields `Snapshot` reads as their default when absent (`#[serde(default)]`, and an
/// `Option`, which serde reads as `None`).
macro_rules! view_fields {
    (required { $($required:ident: $required_type:ty,)* } defaulted { $($defaulted:ident: $defaulted_type:ty,)* }) => {
        /// The fields of a view that a message carries, each read into its type; a field
        /// the view does not know is skipped, as `Snapshot` skips it.
        #[derive(Deserialize)]
        struct ViewPatch {
            $(#[serde(default, deserialize_with = "present")] $required: Option<$required_type>,)*
            $(#[serde(default, deserialize_with = "present")] $defaulted: Option<$defaulted_type>,)*
            #[serde(default, deserialize_with = "present")]
            clock: Option<Value>,
        }

        impl ViewPatch {
            /// Each field the patch carries replaces the view's.
            fn apply_to(self, view: &mut TypedView) {
                $(if let Some(value) = self.$required { view.snapshot.$required = value.into(); })*
                $(if let Some(value) = self.$defaulted { view.snapshot.$defaulted = value.into(); })*
                if let Some(clock) = self.clock {
                    view.clock = clock;
                }
            }

            /// The patch as a whole view (a welcome's, a snapshot's).
            fn into_whole(self) -> Result<TypedView, ClientError> {
                let snapshot = Snapshot {
                    $($required: self.$required.ok_or_else(|| unreadable(concat!("missing field `", stringify!($required), "`")))?.into(),)*
                    $($defaulted: self.$defaulted.map(Into::into).unwrap_or_default(),)*
                };
                Ok(TypedView { snapshot, clock: self.clock.unwrap_or(Value::Null) })
            }
        }
    };
}

view_fields! {
    required {
        drill: String,
        policy: String,
        now: SimTime,
        start: SimTime,
        end: SimTime,
        incidents: Vec<IncidentView>,
        plans: Vec<PlanView>,
        teams: Vec<TeamView>,
        results: Vec<ResultView>,
        inbox: Vec<InboxView>,
        adhoc: Vec<(usize, String, String, bool)>,
        log: Log,
        plume: Vec<(f64, f64, f64)>,
        failed_stations: Vec<String>,
        live: bool,
    }
    defaulted {
        chart: Option<ChartView>,
        observations: Vec<Observation>,
        intakes: Vec<IntakeView>,
        sources: Vec<SourceEstimate>,
    }
}

/// An event log entry as a view sends it: the English `what`, and `said`, its sentence
/// as data, taken where it is a message this program has (as an answer's `message` is).
#[derive(Deserialize)]
struct LogEntry {
    at_s: i64,
    who: String,
    what: String,
    #[serde(default)]
    said: Option<Message>,
}

impl From<LogEntry> for TimelineEntry {
    fn from(entry: LogEntry) -> TimelineEntry {
        TimelineEntry {
            at_s: entry.at_s,
            who: entry.who,
            what: entry.what,
            event: entry.said.as_ref().and_then(Message::text),
        }
    }
}

/// A view's event log, each entry with its sentence where the server sent one.
#[derive(Deserialize)]
#[serde(transparent)]
struct Log(Vec<LogEntry>);

impl From<Log> for Vec<TimelineEntry> {
    fn from(log: Log) -> Vec<TimelineEntry> {
        log.0.into_iter().map(TimelineEntry::from).collect()
    }
}

fn unreadable(what: impl std::fmt::Display) -> ClientError {
    ClientError::Protocol(format!("a snapshot this client cannot read: {what}"))
}

/// The kinds of message a publication is; the others are read as [`ServerMessage`].
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum Kind {
    Update,
    Snapshot,
    #[serde(other)]
    Other,
}

/// A frame from the server read in one pass, a publication's view fields straight into
/// their types: `changed` and `spliced` of an update, `snapshot` of a snapshot.
#[derive(Deserialize)]
struct Envelope {
    #[serde(rename = "type")]
    kind: Kind,
    seq: Option<u64>,
    time_s: Option<i64>,
    changed: Option<ViewPatch>,
    #[serde(default)]
    spliced: Splices,
    snapshot: Option<ViewPatch>,
}

/// An update's splices ([`super::SPLICED_FIELDS`]), each read into its list's type; a
/// splice of any other field makes the frame unreadable (the view cannot apply it).
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Splices {
    results: Option<Vec<Splice<ResultView>>>,
    log: Option<Vec<Splice<LogEntry>>>,
    inbox: Option<Vec<Splice<InboxView>>>,
    teams: Option<Vec<Splice<TeamView>>>,
    plans: Option<Vec<Splice<PlanView>>>,
    plume: Option<Vec<Splice<(f64, f64, f64)>>>,
}

impl Splices {
    /// Applies every splice, or none if one does not fit its list.
    fn apply_to(self, view: &mut Snapshot) -> Result<(), ClientError> {
        fn fits<T>(splices: Option<&Vec<Splice<T>>>, len: usize, field: &str) -> Result<(), ClientError> {
            splices.map_or(Ok(()), |s| {
                super::check_splices(s, len)
                    .map_err(|e| ClientError::Protocol(format!("an update this view cannot apply: `{field}`: {e}")))
            })
        }
        fits(self.results.as_ref(), view.results.len(), "results")?;
        fits(self.log.as_ref(), view.log.len(), "log")?;
        fits(self.inbox.as_ref(), view.inbox.len(), "inbox")?;
        fits(self.teams.as_ref(), view.teams.len(), "teams")?;
        fits(self.plans.as_ref(), view.plans.len(), "plans")?;
        fits(self.plume.as_ref(), view.plume.len(), "plume")?;
        // Every splice fits: apply them, each list's items read into its type.
        fn apply<T, U: Into<T>>(splices: Option<Vec<Splice<U>>>, list: &mut Vec<T>) {
            for splice in splices.into_iter().flatten() {
                list.splice(
                    splice.at..splice.at + splice.remove,
                    splice.insert.into_iter().map(Into::into),
                );
            }
        }
        apply(self.results, &mut view.results);
        apply(self.log, &mut view.log);
        apply(self.inbox, &mut view.inbox);
        apply(self.teams, &mut view.teams);
        apply(self.plans, &mut view.plans);
        apply(self.plume, &mut view.plume);
        Ok(())
    }
}

impl TypedView {
    /// Reads a frame from the server; a publication is applied to the view (whole or not
    /// at all: a frame that cannot be read leaves the view as it was).
    pub fn receive(&mut self, frame: &[u8]) -> Result<Received, ClientError> {
        let envelope: Envelope = match serde_json::from_slice(frame) {
            Ok(envelope) => envelope,
            // Not a publication this view can read: what is it?
            Err(typed) => {
                return match decode(frame)? {
                    ServerMessage::Update { .. } | ServerMessage::Snapshot { .. } => Err(unreadable(typed)),
                    other => Ok(Received::Message(other)),
                };
            }
        };
        let (seq, time_s) = match (&envelope.kind, envelope.seq, envelope.time_s) {
            (Kind::Other, _, _) => return decode(frame).map(Received::Message),
            (_, Some(seq), Some(time_s)) => (seq, time_s),
            _ => return Err(ClientError::Protocol("a publication without `seq` or `time_s`".into())),
        };
        let whole = match (envelope.kind, envelope.changed, envelope.snapshot) {
            (Kind::Update, Some(changed), _) => {
                envelope.spliced.apply_to(&mut self.snapshot)?;
                changed.apply_to(self);
                false
            }
            (Kind::Snapshot, _, Some(snapshot)) => {
                *self = snapshot.into_whole()?;
                true
            }
            _ => return Err(ClientError::Protocol("a publication without its view".into())),
        };
        Ok(Received::Published(Publication { seq, time_s, whole }))
    }

    /// A view as JSON (a welcome's) read as a typed view.
    pub fn of_json(view: Map<String, Value>) -> Result<TypedView, ClientError> {
        serde_json::from_value::<ViewPatch>(Value::Object(view))
            .map_err(unreadable)?
            .into_whole()
    }
}

impl SeatView for TypedView {
    type Message = Received;

    fn welcomed(snapshot: Map<String, Value>) -> Result<Self, ClientError> {
        TypedView::of_json(snapshot)
    }

    fn receive(&mut self, frame: &[u8]) -> Result<Received, ClientError> {
        TypedView::receive(self, frame)
    }

    fn publication(message: &Received) -> Option<(u64, i64, bool)> {
        match message {
            Received::Published(p) => Some((p.seq, p.time_s, p.whole)),
            Received::Message(_) => None,
        }
    }

    fn message(message: &Received) -> Option<&ServerMessage> {
        match message {
            Received::Published(_) => None,
            Received::Message(message) => Some(message),
        }
    }

    fn snapshot(&self) -> Result<Snapshot, ClientError> {
        Ok(self.snapshot.clone())
    }

    fn clock(&self) -> &Value {
        &self.clock
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::client::{apply_publication, snapshot_of};
    use serde_json::json;
    use std::sync::Arc;
    use tripoint_sim::drill::{DrillConfig, Seat, Session};

    /// The two-incident drill's controller view at D1 06:00 as JSON, with a chart and a
    /// clock: a welcome.
    fn welcome() -> Map<String, Value> {
        let drill = Arc::new(crate::commands::drill::load_drill("two-incidents").unwrap());
        let config = DrillConfig {
            policy: tripoint_sim::response::dispatch::PolicyKind::Unified,
            seed: 0,
            journal: false,
            human_seats: vec![Seat::Command],
        };
        let mut session = Session::new(drill, &config).unwrap();
        session.advance_to(SimTime(6 * 3600)).unwrap();
        let snapshot = tripoint_sim::drill::view::snapshot(&session, Some("jinze_intake"), true);
        let Value::Object(mut view) = serde_json::to_value(&snapshot).unwrap() else {
            unreachable!("a snapshot is an object")
        };
        view.insert(
            "clock".into(),
            json!({"paused": true, "speed": "fastest", "finished": false, "pause_at": null}),
        );
        view
    }

    /// Applies `message` to both views and checks they read as the same snapshot.
    fn both(json_view: &mut Map<String, Value>, typed: &mut TypedView, message: &Value) -> Received {
        let frame = serde_json::to_vec(message).unwrap();
        apply_publication(json_view, &decode(&frame).unwrap()).unwrap();
        let received = typed.receive(&frame).unwrap();
        assert_eq!(
            serde_json::to_vec(&typed.snapshot).unwrap(),
            serde_json::to_vec(&snapshot_of(json_view).unwrap()).unwrap()
        );
        assert_eq!(&typed.clock, json_view.get("clock").unwrap_or(&Value::Null));
        received
    }

    #[test]
    fn an_update_replaces_the_fields_it_carries_and_null_clears_an_option() {
        let mut json_view = welcome();
        let mut typed = TypedView::of_json(json_view.clone()).unwrap();
        assert!(typed.snapshot.chart.is_some(), "the welcome has a chart");
        let n_log = typed.snapshot.log.len();
        // `now` and `chart` (to null) change; an unknown field is skipped, as before.
        let update = json!({"type": "update", "seq": 7, "time_s": 21660, "changed": {
            "now": 21660, "chart": null, "a_later_field": [1, 2, 3],
            "clock": {"paused": false, "speed": "x60", "finished": false, "pause_at": 30000}}});
        let received = both(&mut json_view, &mut typed, &update);
        assert!(matches!(
            received,
            Received::Published(Publication {
                seq: 7,
                time_s: 21660,
                whole: false
            })
        ));
        assert_eq!(typed.snapshot.now, SimTime(21660));
        assert!(typed.snapshot.chart.is_none(), "null replaces the chart");
        assert_eq!(typed.snapshot.log.len(), n_log, "fields not carried stay");
        assert_eq!(typed.clock["pause_at"], 30000);
    }

    #[test]
    fn a_snapshot_replaces_the_view_and_absent_defaulted_fields_are_empty() {
        let mut json_view = welcome();
        let mut typed = TypedView::of_json(json_view.clone()).unwrap();
        let mut whole = welcome();
        for field in ["chart", "observations", "intakes", "sources", "clock"] {
            whole.remove(field);
        }
        let snapshot = json!({"type": "snapshot", "seq": 9, "time_s": 21600, "snapshot": whole});
        let received = both(&mut json_view, &mut typed, &snapshot);
        assert!(matches!(received, Received::Published(Publication { whole: true, .. })));
        assert!(typed.snapshot.chart.is_none() && typed.snapshot.intakes.is_empty());
        assert_eq!(typed.clock, Value::Null, "no clock sent, none kept");
    }

    #[test]
    fn an_unreadable_publication_is_an_error_and_leaves_the_view_as_it_was() {
        let mut typed = TypedView::of_json(welcome()).unwrap();
        let before = serde_json::to_vec(&typed.snapshot).unwrap();
        for frame in [
            json!({"type": "update", "seq": 8, "time_s": 21600, "changed": {"now": 60, "teams": "none"}}),
            json!({"type": "update", "seq": 8, "changed": {"now": 60}}),
            json!({"type": "snapshot", "seq": 8, "time_s": 60, "snapshot": {"now": 60}}),
        ] {
            let result = typed.receive(&serde_json::to_vec(&frame).unwrap());
            assert!(matches!(result, Err(ClientError::Protocol(_))), "{frame}: {result:?}");
            assert_eq!(serde_json::to_vec(&typed.snapshot).unwrap(), before, "{frame}");
        }
        assert!(typed.receive(b"not json").is_err());
    }

    #[test]
    fn other_messages_come_back_as_the_protocol_s_messages() {
        let mut typed = TypedView::of_json(welcome()).unwrap();
        let ack = json!({"type": "ack", "id": 3, "status": "applied", "detail": "", "time_s": 60, "duplicate": false});
        let Received::Message(ServerMessage::Ack(ack)) = typed.receive(&serde_json::to_vec(&ack).unwrap()).unwrap()
        else {
            panic!("an ack")
        };
        assert_eq!(ack.id, 3);
        let closing = json!({"type": "closing", "reason": "shut down"});
        assert!(matches!(
            typed.receive(&serde_json::to_vec(&closing).unwrap()).unwrap(),
            Received::Message(ServerMessage::Closing { .. })
        ));
    }
}
