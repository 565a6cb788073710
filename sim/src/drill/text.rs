//! The sentences of a drill's evaluation as data: a message id and its named arguments,
//! which the binary renders in the person's language (`tui/locales/*/report.ftl`). The
//! library holds no words of any language here: it names things by id and gives numbers
//! already formatted, durations in seconds and clock times as labels (`D1 06:30`).

use serde::Serialize;
use serde::ser::SerializeMap as _;

/// A sentence: the id of its message and the arguments the message places.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    pub id: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

/// An argument of a [`Text`], typed so that the binary can show it in a language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Arg {
    /// Shown as it is: a number with its decimals, a clock label, an inject's number, a
    /// method's name, a sample's index.
    Plain(String),
    /// A scenario id shown by its name: a jurisdiction, point, team or pollutant.
    Name(String),
    /// An incident's id (its script's Chinese name where there is one).
    Incident(String),
    /// An incident's descriptive name, by the incident's id.
    IncidentName(String),
    /// A seat's label (`command`, `controller`, a jurisdiction id).
    Seat(String),
    /// The team that took a sample; `None`: a result typed in by hand.
    Team(Option<String>),
    /// How an incident became known, as the response names it (`enterprise report`).
    KnownBy(String),
    /// A means of sampling (`boat`, `mobile_laboratory`).
    Means(&'static str),
    /// A duration [s].
    Span(i64),
    /// A script's or scenario's own text and its Chinese variant (empty: none, so the
    /// text shows): an inject's sender, channel and message, a road's name.
    Authored { text: String, zh: String },
    /// Seats' labels (`qingpu`, `command`), as a list.
    Seats(Vec<String>),
    /// Scenario ids shown by their names, as a list (`a, b` in English).
    Names(Vec<String>),
    /// A dispatch policy's name (`unified`, `county`, `pooled_due`, `county_plume`).
    Policy(String),
    /// A sentence inside the sentence.
    Text(Box<Text>),
    /// Nothing: an optional part left out.
    Empty,
}

impl Text {
    pub fn new(id: &'static str, args: Vec<(&'static str, Arg)>) -> Text {
        Text { id, args }
    }

    /// An argument by name.
    pub fn arg(&self, name: &str) -> Option<&Arg> {
        self.args.iter().find(|(n, _)| *n == name).map(|(_, a)| a)
    }

    /// Whether any argument, at any depth, names the scenario id `id`.
    pub fn names(&self, id: &str) -> bool {
        self.args.iter().any(|(_, arg)| match arg {
            Arg::Name(n) | Arg::Incident(n) | Arg::IncidentName(n) | Arg::Seat(n) => n == id,
            Arg::Seats(seats) | Arg::Names(seats) => seats.iter().any(|s| s == id),
            Arg::Team(t) => t.as_deref() == Some(id),
            Arg::Text(inner) => inner.names(id),
            _ => false,
        })
    }

    /// The first sentence with message `id`, this one or one inside it (depth first).
    pub fn find(&self, id: &str) -> Option<&Text> {
        if self.id == id {
            return Some(self);
        }
        self.args.iter().find_map(|(_, arg)| match arg {
            Arg::Text(inner) => inner.find(id),
            _ => None,
        })
    }

    /// Every message id used, this one's and its inner sentences' (for tests).
    pub fn ids(&self) -> Vec<&'static str> {
        let mut ids = vec![self.id];
        for (_, arg) in &self.args {
            if let Arg::Text(inner) = arg {
                ids.extend(inner.ids());
            }
        }
        ids
    }
}

impl Arg {
    pub fn plain(text: impl Into<String>) -> Arg {
        Arg::Plain(text.into())
    }

    pub fn name(id: &str) -> Arg {
        Arg::Name(id.to_string())
    }

    pub fn text(text: Text) -> Arg {
        Arg::Text(Box::new(text))
    }

    /// An optional part: its sentence, or nothing.
    pub fn optional(text: Option<Text>) -> Arg {
        text.map_or(Arg::Empty, Arg::text)
    }

    /// A concentration or limit [mg/L] with four decimals, as the report has always shown it.
    pub fn mg_l(value: f64) -> Arg {
        Arg::Plain(format!("{value:.4}"))
    }

    /// A moment as a clock label (`D1 06:30`).
    pub fn at(t: crate::time::SimTime) -> Arg {
        Arg::Plain(t.clock_label())
    }
}

/// `{"id": "…", "args": {"name": {"kind": "…", "value": …}}}`: the arguments by name,
/// in the message's order.
impl Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Args<'a>(&'a [(&'static str, Arg)]);
        impl Serialize for Args<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(Some(self.0.len()))?;
                for (name, arg) in self.0 {
                    map.serialize_entry(name, arg)?;
                }
                map.end()
            }
        }
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("id", self.id)?;
        map.serialize_entry("args", &Args(&self.args))?;
        map.end()
    }
}
