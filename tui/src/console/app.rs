//! The console's state: the latest snapshot of the session, what the person has selected,
//! and what the simulation is told. `update` turns an action into commands; drawing reads
//! the state and never changes it.

use super::action::Action;
use crate::i18n::{self, Lang};
use crossterm::event::{KeyCode, KeyEvent};
use fluent_bundle::FluentValue;
use std::sync::Arc;
use tripoint_sim::drill::clock::Speed;
use tripoint_sim::drill::evaluate::TimelineEntry;
use tripoint_sim::drill::offer::{self, OfferReason, RevisionOffer};
use tripoint_sim::drill::source::SourceEstimate;
use tripoint_sim::drill::view::{InboxView, MapGeometry, Snapshot};
use tripoint_sim::drill::{self, Seat, permissions};
use tripoint_sim::plan::Role;
use tripoint_sim::response::dispatch::PolicyKind;
use tripoint_sim::response::edit::NonDetect;
use tripoint_sim::response::edit::{Declaration, INTERVAL_MAX, INTERVAL_MIN, resolve};
use tripoint_sim::result_value::ResultValue;
use tripoint_sim::scenario::Scenario;
use tripoint_sim::time::SimTime;

/// The panels, in tab order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Panel {
    Incidents,
    Plan,
    Teams,
    Results,
    Inbox,
    Log,
    /// The source estimate: what the known results say about where and when the release
    /// was, and what comes next.
    Source,
}

impl Panel {
    pub const ALL: [Panel; 7] = [
        Panel::Incidents,
        Panel::Plan,
        Panel::Teams,
        Panel::Results,
        Panel::Inbox,
        Panel::Log,
        Panel::Source,
    ];

    /// The panel's message id (its title in the person's language).
    pub fn message(self) -> &'static str {
        match self {
            Panel::Incidents => "panel-incidents",
            Panel::Plan => "panel-plan",
            Panel::Teams => "panel-teams",
            Panel::Results => "panel-results",
            Panel::Inbox => "panel-inbox",
            Panel::Log => "panel-log",
            Panel::Source => "panel-source",
        }
    }

    /// The panel's English title (the snapshots' file names).
    pub fn title(self) -> &'static str {
        match self {
            Panel::Incidents => "Incidents",
            Panel::Plan => "Monitoring plan",
            Panel::Teams => "Teams",
            Panel::Results => "Results",
            Panel::Inbox => "Inbox",
            Panel::Log => "Event log",
            Panel::Source => "Source",
        }
    }
}

/// What the console asks of the simulation thread.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Pause,
    Resume,
    Step,
    Speed(Speed),
    Act(Seat, drill::Action),
    /// Which point's chart the snapshots carry, and whether they show the truth.
    View {
        chart_point: Option<String>,
        truth: bool,
    },
    SaveJournal,
    Quit,
}

pub struct App {
    pub geometry: Arc<MapGeometry>,
    pub snapshot: Arc<Snapshot>,
    /// The seat the person plays.
    pub seat: Seat,
    pub paused: bool,
    pub speed: Speed,
    pub focus: Panel,
    /// Highlighted row of each panel.
    pub rows: [usize; 7],
    /// The incident whose plan is shown.
    pub incident: Option<usize>,
    pub chart_point: Option<String>,
    pub truth: bool,
    pub help: bool,
    /// The last message for the person (what an action did, or why not).
    pub status: String,
    pub running: bool,
    /// Replaying a journal: no action changes the exercise.
    pub read_only: bool,
    /// What the status line says when a read-only console is asked to act (a message id).
    pub read_only_note: &'static str,
    /// The team chosen in the teams panel for a hand dispatch (index in the snapshot).
    pub chosen_team: Option<usize>,
    /// The form open over the panels, if any: it takes every key until it is submitted
    /// or cancelled.
    pub form: Option<Form>,
    /// A live incident session rather than a drill.
    pub live: bool,
    /// The scenario, to check a form's places and pollutants before it is sent.
    pub scenario: Option<Arc<Scenario>>,
    /// The drill as it was opened, for its texts in another language: its Chinese title,
    /// the injects' Chinese texts, and the event log's sentences with the script's names.
    pub drill: Option<Arc<tripoint_sim::drill::Drill>>,
    /// What part of the zone the map shows.
    pub map: MapView,
    /// The language the console speaks.
    pub lang: Lang,
    /// The revisions the source estimates offered at the last snapshot (incident, place,
    /// start): a new one is said on the status line once.
    pub offers_noted: Vec<(usize, String, SimTime)>,
}

/// The map's view: a zoom level and the centre, in degrees; zoom 0 is the whole zone.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct MapView {
    /// The view is 2^zoom times narrower than the zone.
    pub zoom: u8,
    /// (lon, lat) of the centre; `None`: the zone's centre.
    pub centre: Option<(f64, f64)>,
}

/// Deepest zoom: 1/16 of the zone.
pub const MAP_ZOOM_MAX: u8 = 4;

impl MapView {
    /// (west, south, east, north) shown, for a zone with these bounds.
    pub fn bounds(&self, zone: (f64, f64, f64, f64)) -> (f64, f64, f64, f64) {
        let (west, south, east, north) = zone;
        let scale = f64::from(1u32 << self.zoom);
        let (half_w, half_h) = ((east - west) / 2.0 / scale, (north - south) / 2.0 / scale);
        let (x, y) = self.centre.unwrap_or(((west + east) / 2.0, (south + north) / 2.0));
        (x - half_w, y - half_h, x + half_w, y + half_h)
    }
}

/// What a form is for.
#[derive(Clone, Debug, PartialEq)]
pub enum FormKind {
    /// Live: a new incident.
    Declare,
    /// Live: a new estimate of an incident.
    Revise { incident: usize },
    /// Live: a sample result.
    Result { incident: usize },
    /// A plan point's sampling interval.
    Interval { incident: usize, point: String },
    /// A point to add to the plan.
    AddPoint { incident: usize },
    /// An evaluator's observation for the after-action report.
    Observe,
}

/// One field of a form.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub label: &'static str,
    pub value: String,
    /// Values ←/→ cycle through; the value may also be typed.
    pub choices: Vec<String>,
    pub hint: String,
    /// Longest value it takes [characters].
    pub max_chars: usize,
}

impl Field {
    fn text(label: &'static str, value: String, hint: &str) -> Field {
        Field {
            label,
            value,
            choices: Vec::new(),
            hint: hint.to_string(),
            max_chars: FIELD_CHARS_MAX,
        }
    }

    fn choice(label: &'static str, value: String, choices: Vec<String>, hint: &str) -> Field {
        Field {
            choices,
            ..Field::text(label, value, hint)
        }
    }
}

/// A small text-input form: fields, the one being edited, and why it was not accepted.
#[derive(Clone, Debug, PartialEq)]
pub struct Form {
    pub kind: FormKind,
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// The last submission's problem, shown in the form.
    pub error: Option<String>,
}

/// Longest value a form field takes [characters], unless the field says otherwise (an
/// observation takes what the exercise accepts, `drill::OBSERVATION_CHARS_MAX`).
pub const FIELD_CHARS_MAX: usize = 64;

/// What a key does to a form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormInput {
    Editing,
    Submit,
    Cancel,
}

impl Form {
    fn new(kind: FormKind, title: String, fields: Vec<Field>) -> Form {
        Form {
            kind,
            title,
            fields,
            focus: 0,
            error: None,
        }
    }

    /// Edits the form with a key: characters, backspace, tab and arrows between fields,
    /// ←/→ through a field's choices, enter submits, esc cancels.
    pub fn key(&mut self, key: KeyEvent) -> FormInput {
        let n = self.fields.len();
        let field = &mut self.fields[self.focus];
        match key.code {
            KeyCode::Esc => return FormInput::Cancel,
            KeyCode::Enter => return FormInput::Submit,
            KeyCode::Tab | KeyCode::Down => self.focus = (self.focus + 1) % n,
            KeyCode::BackTab | KeyCode::Up => self.focus = (self.focus + n - 1) % n,
            KeyCode::Left | KeyCode::Right if !field.choices.is_empty() => {
                let len = field.choices.len();
                let at = field.choices.iter().position(|c| *c == field.value);
                let next = match (at, key.code) {
                    (None, _) => 0,
                    (Some(i), KeyCode::Right) => (i + 1) % len,
                    (Some(i), _) => (i + len - 1) % len,
                };
                field.value = field.choices[next].clone();
            }
            KeyCode::Backspace => {
                field.value.pop();
            }
            // Ctrl-U clears the field, as in a shell: prefilled values are often replaced.
            KeyCode::Char('u') if key.modifiers.contains(crossterm::event::KeyModifiers::CONTROL) => {
                field.value.clear();
            }
            KeyCode::Char(c) if field.value.chars().count() < field.max_chars && !c.is_control() => {
                field.value.push(c);
            }
            _ => {}
        }
        FormInput::Editing
    }

    fn value(&self, label: &str) -> &str {
        self.fields
            .iter()
            .find(|f| f.label == label)
            .map_or("", |f| f.value.trim())
    }
}

impl App {
    pub fn new(geometry: Arc<MapGeometry>, snapshot: Arc<Snapshot>, seat: Seat) -> App {
        let live = snapshot.live;
        App {
            geometry,
            snapshot,
            seat,
            paused: true,
            speed: Speed::X60,
            focus: Panel::Incidents,
            rows: [0; 7],
            incident: None,
            chart_point: None,
            truth: false,
            help: false,
            status: i18n::current().t("status-start"),
            running: true,
            read_only: false,
            read_only_note: "status-read-only",
            chosen_team: None,
            form: None,
            live,
            scenario: None,
            drill: None,
            map: MapView::default(),
            lang: i18n::current(),
            offers_noted: Vec::new(),
        }
    }

    /// Sets the language, and says the opening status line in it.
    pub fn with_lang(mut self, lang: Lang) -> App {
        self.lang = lang;
        self.status = lang.t("status-start");
        self
    }

    /// The message `key` in the console's language, with its arguments.
    fn say(&self, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        self.lang.t_args(key, args)
    }

    /// The name a person reads for a scenario id: its Chinese name in Chinese, the id in
    /// English (and wherever the scenario is not known).
    pub fn name(&self, id: &str) -> String {
        match &self.scenario {
            Some(scenario) => i18n::scenario_name(self.lang, scenario, id),
            None => id.to_string(),
        }
    }

    /// A point's name in the list of its own incident's plan, which names the incident
    /// already ([`i18n::plan_point_name`]).
    pub fn plan_point_name(&self, id: &str) -> String {
        match &self.scenario {
            Some(scenario) => i18n::plan_point_name(self.lang, scenario, id),
            None => id.to_string(),
        }
    }

    /// The drill's title for the header: its Chinese title (`drill_zh`) in Chinese where
    /// the script gives one; a live session's by the zone's jurisdictions (a scenario has
    /// no Chinese name); else the title the snapshot carries.
    pub fn drill_title(&self) -> String {
        match &self.drill {
            Some(drill) if self.lang != Lang::En && !drill.name_zh.is_empty() => drill.name_zh.clone(),
            Some(drill) if self.lang != Lang::En && drill.live => {
                let zone: Vec<&str> = drill
                    .scenario
                    .jurisdictions
                    .iter()
                    .map(|j| self.lang.name(&j.id, &j.name_zh))
                    .collect();
                self.say("header-live-title", &[("zone", zone.join("、").into())])
            }
            _ => self.snapshot.drill.clone(),
        }
    }

    /// An event log entry's who and what: in English as the simulation wrote them; in
    /// another language from the entry's sentence as data (`report.ftl`'s `tl-` messages,
    /// names by `name_zh`), where the entry carries one and the drill is known.
    pub fn log_line(&self, entry: &TimelineEntry) -> (String, String) {
        match (&self.drill, &entry.event) {
            (Some(drill), Some(event)) if self.lang != Lang::En => (
                crate::report::drill::who(self.lang, drill, &entry.who),
                crate::report::drill::text(self.lang, drill, event),
            ),
            _ => (self.name(&entry.who), entry.what.clone()),
        }
    }

    /// A seat's label (`command`, `controller`, a jurisdiction id) as the person reads it.
    pub fn seat_name(&self, label: &str) -> String {
        match &self.drill {
            Some(drill) if self.lang != Lang::En => crate::report::drill::who(self.lang, drill, label),
            _ => self.name(label),
        }
    }

    /// An inbox item's sender, channel and message: the script's Chinese texts (`from_zh`,
    /// `channel_zh`, `message_zh`) in Chinese where it gives them, else its English.
    pub fn inject_texts(&self, item: &InboxView) -> [String; 3] {
        let inject = self
            .drill
            .as_ref()
            .and_then(|d| d.injects.get(item.inject))
            .filter(|i| i.number == item.number);
        match inject {
            Some(i) => [
                self.lang.name(&item.from, &i.from_zh).to_string(),
                self.lang.name(&item.channel, &i.channel_zh).to_string(),
                self.lang.name(&item.message, &i.message_zh).to_string(),
            ],
            None => [item.from.clone(), item.channel.clone(), item.message.clone()],
        }
    }

    fn row(&self, panel: Panel) -> usize {
        self.rows[panel as usize]
    }

    /// Rows the focused panel lists.
    fn n_rows(&self, panel: Panel) -> usize {
        let s = &self.snapshot;
        match panel {
            Panel::Incidents => s.incidents.len(),
            Panel::Plan => self.plan().map_or(0, |p| p.points.len()),
            Panel::Teams => s.teams.len(),
            Panel::Results => s.results.len(),
            Panel::Inbox => self.inbox().len(),
            Panel::Log => s.log.len(),
            Panel::Source => s.sources.len(),
        }
    }

    /// The plan shown: the selected incident's, else the first.
    pub fn plan(&self) -> Option<&tripoint_sim::drill::view::PlanView> {
        let plans = &self.snapshot.plans;
        self.incident
            .and_then(|i| plans.iter().find(|p| p.incident == i))
            .or_else(|| plans.first())
    }

    /// The source estimate shown: the highlighted one of the source panel (one per known
    /// incident).
    pub fn estimate(&self) -> Option<&tripoint_sim::drill::source::SourceEstimate> {
        self.snapshot.sources.get(self.selected_row(Panel::Source))
    }

    /// The inbox of the person's seat (controllers see every seat's).
    pub fn inbox(&self) -> Vec<&tripoint_sim::drill::view::InboxView> {
        self.snapshot
            .inbox
            .iter()
            .filter(|i| {
                matches!(self.seat, Seat::Controller | Seat::Evaluator | Seat::Observer)
                    || i.seat == self.seat
                    || i.seat == Seat::Command && self.seat == Seat::Command
            })
            .collect()
    }

    /// The known results as the results panel lists them: by the time each sample was
    /// taken, newest first. The view holds them in the order the samples were recorded,
    /// and a laboratory's confirmation is recorded when its split leaves, after field
    /// samples taken later; among samples taken at one time the later recorded comes
    /// first (a confirmation above its field result).
    pub fn results(&self) -> Vec<&tripoint_sim::drill::view::ResultView> {
        let mut results: Vec<_> = self.snapshot.results.iter().rev().collect();
        results.sort_by_key(|r| std::cmp::Reverse(r.taken_at));
        results
    }

    pub fn selected_row(&self, panel: Panel) -> usize {
        self.row(panel).min(self.n_rows(panel).saturating_sub(1))
    }

    /// A new snapshot arrived.
    pub fn set_snapshot(&mut self, snapshot: Arc<Snapshot>) {
        self.snapshot = snapshot;
        self.note_offers();
    }

    /// The revision the source estimate `estimate` offers its live incident
    /// (`drill::offer`), and whether this seat may make it: the server's rule for
    /// revisions (`permissions::revision_may`), read-only consoles never.
    pub fn offer(&self, estimate: &SourceEstimate) -> Option<(RevisionOffer, Result<(), String>)> {
        if !self.live {
            return None;
        }
        let scenario = self.scenario.as_ref()?;
        let incident = self.snapshot.incidents.iter().find(|i| i.idx == estimate.incident)?;
        let offer = offer::revision_offer(scenario, incident, estimate, self.snapshot.now)?;
        let may = if self.read_only {
            Err(self.lang.t(self.read_only_note))
        } else {
            let owner = scenario
                .jurisdictions
                .iter()
                .position(|j| j.id == incident.jurisdiction)
                .unwrap_or(usize::MAX);
            permissions::revision_may(scenario, self.seat, &incident.id, owner, &offer.place)
                .map_err(|reason| crate::messages::said(self.lang, scenario, &reason))
        };
        Some((offer, may))
    }

    /// Says a newly offered revision on the status line (once; the source panel keeps
    /// saying it while the offer stands).
    fn note_offers(&mut self) {
        let offers: Vec<(RevisionOffer, bool)> = self
            .snapshot
            .sources
            .iter()
            .filter_map(|e| self.offer(e))
            .map(|(offer, may)| (offer, may.is_ok()))
            .collect();
        let keys: Vec<(usize, String, SimTime)> = offers
            .iter()
            .map(|(o, _)| (o.incident, o.place.clone(), o.start))
            .collect();
        if let Some((offer, may)) = offers
            .iter()
            .zip(&keys)
            .find(|(_, key)| !self.offers_noted.contains(key))
            .map(|(o, _)| o)
        {
            let what = match offer.reason {
                OfferReason::Place => self.say(
                    "status-offer-place",
                    &[
                        ("incident", offer.incident_id.as_str().into()),
                        ("place", self.name(&offer.place).into()),
                        ("probability", format!("{:.2}", offer.probability).into()),
                    ],
                ),
                OfferReason::Start => self.say(
                    "status-offer-start",
                    &[
                        ("incident", offer.incident_id.as_str().into()),
                        ("start", offer.start.clock_label().into()),
                    ],
                ),
            };
            // The key only to a seat that may make the revision; the panel says why not.
            self.status = if *may {
                self.say("status-offer-key", &[("what", what.into())])
            } else {
                what
            };
        }
        self.offers_noted = keys;
    }

    /// What the results say against the declaration, in a sentence.
    pub fn offer_text(&self, offer: &RevisionOffer) -> String {
        match offer.reason {
            OfferReason::Place => self.say(
                "source-offer-place",
                &[
                    ("place", self.name(&offer.place).into()),
                    ("probability", format!("{:.2}", offer.probability).into()),
                    ("declared", self.name(&offer.declared_place).into()),
                ],
            ),
            OfferReason::Start => self.say(
                "source-offer-start",
                &[
                    ("start", offer.start.clock_label().into()),
                    ("from", offer.start_interval[0].clock_label().into()),
                    ("to", offer.start_interval[1].clock_label().into()),
                    ("declared", offer.declared_start.clock_label().into()),
                ],
            ),
        }
    }

    pub fn update(&mut self, action: Action) -> Vec<Command> {
        match action {
            Action::Quit => {
                self.running = false;
                vec![Command::Quit]
            }
            Action::TogglePause => {
                self.paused = !self.paused;
                self.status = self
                    .lang
                    .t(if self.paused { "status-paused" } else { "status-running" });
                vec![if self.paused { Command::Pause } else { Command::Resume }]
            }
            Action::Step => {
                self.paused = true;
                self.status = self.lang.t("status-stepped");
                vec![Command::Step]
            }
            Action::Faster | Action::Slower => {
                let i = Speed::ALL.iter().position(|s| *s == self.speed).unwrap_or(2);
                let j = if action == Action::Faster {
                    (i + 1).min(Speed::ALL.len() - 1)
                } else {
                    i.saturating_sub(1)
                };
                self.speed = Speed::ALL[j];
                self.status = self.say("status-speed", &[("speed", speed_label(self.lang, self.speed).into())]);
                vec![Command::Speed(self.speed)]
            }
            Action::NextPanel => {
                let i = Panel::ALL.iter().position(|p| *p == self.focus).unwrap_or(0);
                self.focus = Panel::ALL[(i + 1) % Panel::ALL.len()];
                Vec::new()
            }
            Action::Panel(n) => {
                if let Some(panel) = Panel::ALL.get(n.wrapping_sub(1)) {
                    self.focus = *panel;
                }
                Vec::new()
            }
            Action::Down | Action::Up => {
                let n = self.n_rows(self.focus);
                let row = &mut self.rows[self.focus as usize];
                *row = if action == Action::Down {
                    (*row + 1).min(n.saturating_sub(1))
                } else {
                    row.saturating_sub(1)
                };
                Vec::new()
            }
            Action::Select => self.select(),
            Action::ZoomIn | Action::ZoomOut | Action::Pan { .. } | Action::ResetMap => {
                self.move_map(action);
                Vec::new()
            }
            Action::ToggleTruth => {
                self.truth = !self.truth;
                self.status = self.lang.t(if self.truth {
                    "status-truth-on"
                } else {
                    "status-truth-off"
                });
                vec![self.view_command()]
            }
            Action::ToggleHelp => {
                self.help = !self.help;
                Vec::new()
            }
            Action::CloseHelp => {
                self.help = false;
                Vec::new()
            }
            Action::SaveJournal => vec![Command::SaveJournal],
            // An evaluator watches, and records what it sees.
            Action::Observe if self.seat == Seat::Evaluator => self.act(action),
            _ if self.read_only => {
                self.status = self.lang.t(self.read_only_note);
                Vec::new()
            }
            _ => self.act(action),
        }
    }

    fn view_command(&self) -> Command {
        Command::View {
            chart_point: self.chart_point.clone(),
            truth: self.truth,
        }
    }

    fn select(&mut self) -> Vec<Command> {
        match self.focus {
            Panel::Incidents => {
                let row = self.selected_row(Panel::Incidents);
                if let Some(incident) = self.snapshot.incidents.get(row) {
                    self.incident = Some(incident.idx);
                    self.focus = Panel::Plan;
                    self.rows[Panel::Plan as usize] = 0;
                    self.status = self.say("status-plan-of", &[("incident", incident.id.as_str().into())]);
                }
                Vec::new()
            }
            Panel::Teams => {
                let row = self.selected_row(Panel::Teams);
                if let Some(team) = self.snapshot.teams.get(row) {
                    self.chosen_team = Some(row);
                    self.status = self.say("status-team-chosen", &[("team", self.name(&team.id).into())]);
                }
                Vec::new()
            }
            Panel::Source if self.live => {
                self.open_offer();
                Vec::new()
            }
            Panel::Plan | Panel::Results => match self.selected_point() {
                Some(point) => {
                    self.status = self.say("status-chart", &[("point", self.name(&point).into())]);
                    self.chart_point = Some(point);
                    vec![self.view_command()]
                }
                None => Vec::new(),
            },
            _ => Vec::new(),
        }
    }

    /// Enter on the source panel: the revision form filled in with what the highlighted
    /// estimate offers, or why there is none. Submitting it is `E`'s revision.
    fn open_offer(&mut self) {
        let offered = self.estimate().and_then(|e| self.offer(e));
        match offered {
            None => self.status = self.lang.t("status-no-offer"),
            Some((_, Err(reason))) => self.status = reason,
            Some((offer, Ok(()))) => {
                let fields = self.declaration_fields(
                    offer.place.clone(),
                    Some(offer.pollutant.clone()),
                    offer.mass_kg.to_string(),
                    offer.start,
                );
                self.form = Some(Form::new(
                    FormKind::Revise {
                        incident: offer.incident,
                    },
                    self.say("form-revise-offer", &[("incident", offer.incident_id.as_str().into())]),
                    fields,
                ));
            }
        }
    }

    /// Zooms or pans the map; the centre stays inside the zone.
    fn move_map(&mut self, action: Action) {
        let zone = self.geometry.bounds;
        let (west, south, east, north) = zone;
        let (x, y) = self.map.centre.unwrap_or(((west + east) / 2.0, (south + north) / 2.0));
        match action {
            Action::ZoomIn if self.map.zoom < MAP_ZOOM_MAX => {
                // Zooming in from the whole zone goes to the selected point, if any.
                let on = self
                    .selected_point()
                    .and_then(|id| self.geometry.points.iter().find(|p| p.id == id).map(|p| (p.lon, p.lat)));
                self.map.centre = Some(if self.map.zoom == 0 {
                    on.unwrap_or((x, y))
                } else {
                    (x, y)
                });
                self.map.zoom += 1;
            }
            Action::ZoomOut if self.map.zoom > 0 => {
                self.map.zoom -= 1;
                if self.map.zoom == 0 {
                    self.map.centre = None;
                }
            }
            Action::Pan { east: de, north: dn } => {
                let (w, s, e, n) = self.map.bounds(zone);
                let (dx, dy) = ((e - w) / 4.0 * f64::from(de), (n - s) / 4.0 * f64::from(dn));
                self.map.centre = Some(((x + dx).clamp(west, east), (y + dy).clamp(south, north)));
            }
            Action::ResetMap => self.map = MapView::default(),
            _ => {}
        }
        self.status = if self.map == MapView::default() {
            self.lang.t("status-map-whole")
        } else {
            let (x, y) = self.map.centre.unwrap_or(((west + east) / 2.0, (south + north) / 2.0));
            self.say(
                "status-map-zoom",
                &[
                    ("zoom", (1u32 << self.map.zoom).to_string().into()),
                    ("lon", format!("{x:.3}").into()),
                    ("lat", format!("{y:.3}").into()),
                ],
            )
        };
    }

    /// The named point under the cursor in the plan or results panel.
    pub fn selected_point(&self) -> Option<String> {
        match self.focus {
            Panel::Plan => self
                .plan()
                .and_then(|p| p.points.get(self.selected_row(Panel::Plan)))
                .map(|p| p.id.clone()),
            Panel::Results => self
                .results()
                .get(self.selected_row(Panel::Results))
                .map(|r| r.point.clone()),
            _ => self.chart_point.clone(),
        }
    }

    fn act(&mut self, action: Action) -> Vec<Command> {
        let seat = self.seat;
        let result = match action {
            Action::AcknowledgeInject => {
                let inbox = self.inbox();
                match inbox.get(self.selected_row(Panel::Inbox)) {
                    Some(item) if item.acknowledged_at.is_none() => Ok((
                        item.seat,
                        drill::Action::Acknowledge { inject: item.inject },
                        self.say("status-acknowledged", &[("number", item.number.to_string().into())]),
                    )),
                    Some(item) => Err(self.say(
                        "status-already-acknowledged",
                        &[("number", item.number.to_string().into())],
                    )),
                    None => Err(self.lang.t("status-inbox-empty")),
                }
            }
            Action::RequestSample => match self.point_idx() {
                Some((idx, id)) => Ok((
                    seat,
                    drill::Action::RequestSample { point: idx },
                    self.say("status-sample-asked", &[("point", self.name(&id).into())]),
                )),
                None => Err(self.lang.t("status-select-named-point")),
            },
            Action::AdviseClose | Action::AdviseReopen => match self.intake() {
                Some((idx, id)) => {
                    let close = action == Action::AdviseClose;
                    // The advice is about the incident whose plan is on screen.
                    let incident = self.plan().map(|p| p.incident);
                    Ok((
                        seat,
                        drill::Action::IntakeAdvice {
                            point: idx,
                            close,
                            incident,
                        },
                        self.say(
                            if close {
                                "status-closing-advised"
                            } else {
                                "status-reopening-advised"
                            },
                            &[("point", self.name(&id).into())],
                        ),
                    ))
                }
                None => Err(self.lang.t("status-select-intake")),
            },
            Action::NotifyNeighbours => {
                let incident = self.snapshot.incidents.get(self.selected_row(Panel::Incidents));
                match incident {
                    Some(incident) => {
                        let commands: Vec<Command> = incident
                            .downstream
                            .iter()
                            .map(|(j, _)| {
                                Command::Act(
                                    seat,
                                    drill::Action::Notify {
                                        to: *j,
                                        incident: Some(incident.idx),
                                    },
                                )
                            })
                            .collect();
                        let names: Vec<String> = incident.downstream.iter().map(|(_, id)| self.name(id)).collect();
                        let separator = if self.lang == Lang::ZhCn { "、" } else { ", " };
                        self.status = self.say(
                            "status-notified",
                            &[
                                ("names", names.join(separator).into()),
                                ("incident", incident.id.as_str().into()),
                            ],
                        );
                        return commands;
                    }
                    None => Err(self.lang.t("status-no-incident")),
                }
            }
            Action::MediaStatement => Ok((seat, drill::Action::MediaStatement, self.lang.t("status-media"))),
            Action::Dispatch => match (self.chosen_team, self.point_idx()) {
                (Some(team), Some((point, id))) => Ok((
                    seat,
                    drill::Action::Dispatch { team, point },
                    self.say(
                        "status-sent",
                        &[
                            ("team", self.name(&self.snapshot.teams[team].id).into()),
                            ("point", self.name(&id).into()),
                        ],
                    ),
                )),
                (None, _) => Err(self.lang.t("status-choose-team")),
                (_, None) => Err(self.lang.t("status-select-point")),
            },
            Action::SwitchPolicy => {
                let policy = if self.snapshot.policy == "unified" {
                    PolicyKind::County
                } else {
                    PolicyKind::Unified
                };
                Ok((
                    seat,
                    drill::Action::SetPolicy { policy },
                    self.say(
                        "status-policy",
                        &[(
                            "policy",
                            policy_label(self.lang, &format!("{policy:?}").to_lowercase()).into(),
                        )],
                    ),
                ))
            }
            Action::ApprovePlan => match self.plan() {
                Some(plan) => match &plan.approved {
                    Some((at, by)) => Err(self.say(
                        "status-already-approved",
                        &[
                            ("revision", plan.revision.to_string().into()),
                            ("by", by.as_str().into()),
                            ("at", at.clock_label().into()),
                        ],
                    )),
                    None => Ok((
                        seat,
                        drill::Action::ApprovePlan {
                            incident: plan.incident,
                            revision: Some(plan.revision),
                        },
                        self.say(
                            "status-approved",
                            &[
                                ("revision", plan.revision.to_string().into()),
                                ("incident", self.incident_name(plan.incident).into()),
                            ],
                        ),
                    )),
                },
                None => Err(self.lang.t("status-no-plan-to-approve")),
            },
            Action::RemovePoint => match self.plan_point() {
                Some((incident, point)) => Ok((
                    seat,
                    drill::Action::RemovePlanPoint {
                        incident,
                        point: point.clone(),
                    },
                    self.say("status-removed", &[("point", self.name(&point).into())]),
                )),
                None => Err(self.lang.t("status-select-point")),
            },
            Action::MutualAid => match self.plan_point() {
                Some((incident, point)) => Ok((
                    seat,
                    drill::Action::RequestMutualAid {
                        incident,
                        point: point.clone(),
                    },
                    self.say("status-help-asked", &[("point", self.name(&point).into())]),
                )),
                None => Err(self.lang.t("status-select-point")),
            },
            Action::AddPoint
            | Action::SetInterval
            | Action::DeclareIncident
            | Action::ReviseIncident
            | Action::EnterResult
            | Action::Observe => {
                return match self.open_form(action) {
                    Ok(form) => {
                        self.form = Some(form);
                        Vec::new()
                    }
                    Err(message) => {
                        self.status = message;
                        Vec::new()
                    }
                };
            }
            Action::ReleaseAdhoc => match self.snapshot.adhoc.iter().find(|(_, _, _, released)| !released) {
                Some((idx, number, _, _)) => Ok((
                    Seat::Controller,
                    drill::Action::ReleaseInject { inject: *idx },
                    self.say("status-adhoc-released", &[("number", number.to_string().into())]),
                )),
                None => Err(self.lang.t("status-no-adhoc")),
            },
            _ => Err(String::new()),
        };
        match result {
            Ok((seat, action, message)) => {
                self.status = message;
                vec![Command::Act(seat, action)]
            }
            Err(message) => {
                self.status = message;
                Vec::new()
            }
        }
    }

    /// An incident by the name a person reads (its Chinese name in Chinese), for a form's
    /// title or a status line.
    fn incident_name(&self, incident: usize) -> String {
        self.snapshot.incidents.iter().find(|i| i.idx == incident).map_or_else(
            || self.say("incident-number", &[("number", incident.to_string().into())]),
            |i| self.name(&i.id),
        )
    }

    /// (incident, point id) of the point under the cursor in the plan panel.
    fn plan_point(&self) -> Option<(usize, String)> {
        if self.focus != Panel::Plan {
            return None;
        }
        let plan = self.plan()?;
        let point = plan.points.get(self.selected_row(Panel::Plan))?;
        Some((plan.incident, point.id.clone()))
    }

    /// The form an action opens, prefilled, or why it cannot open.
    fn open_form(&self, action: Action) -> Result<Form, String> {
        let live_only = self.lang.t("status-live-only");
        let now = self.snapshot.now;
        match action {
            Action::AddPoint => {
                let plan = self.plan().ok_or_else(|| self.lang.t("status-no-plan-to-add"))?;
                let first = plan
                    .addable
                    .first()
                    .ok_or_else(|| self.lang.t("status-all-points-in"))?;
                Ok(Form::new(
                    FormKind::AddPoint {
                        incident: plan.incident,
                    },
                    self.say(
                        "form-add-point",
                        &[("incident", self.incident_name(plan.incident).into())],
                    ),
                    vec![Field::choice(
                        "point",
                        first.clone(),
                        plan.addable.clone(),
                        &self.lang.t("hint-add-point"),
                    )],
                ))
            }
            Action::SetInterval => {
                let (incident, point) = self.plan_point().ok_or_else(|| self.lang.t("status-select-point"))?;
                let every = self
                    .plan()
                    .and_then(|p| p.points.iter().find(|x| x.id == point))
                    .map_or(60, |p| p.dense_min);
                let choices = ["15", "30", "60", "120", "240"].map(String::from).to_vec();
                Ok(Form::new(
                    FormKind::Interval {
                        incident,
                        point: point.clone(),
                    },
                    self.say("form-interval", &[("point", self.name(&point).into())]),
                    vec![Field::choice(
                        "every (min)",
                        every.to_string(),
                        choices,
                        &self.lang.t("hint-every"),
                    )],
                ))
            }
            Action::DeclareIncident => {
                if !self.live {
                    return Err(live_only);
                }
                Ok(Form::new(
                    FormKind::Declare,
                    self.lang.t("form-declare"),
                    self.declaration_fields(String::new(), None, String::new(), now),
                ))
            }
            Action::ReviseIncident => {
                if !self.live {
                    return Err(live_only);
                }
                let row = self.selected_row(Panel::Incidents);
                let incident = match self.focus {
                    Panel::Incidents => self.snapshot.incidents.get(row),
                    _ => self
                        .plan()
                        .and_then(|p| self.snapshot.incidents.iter().find(|i| i.idx == p.incident)),
                }
                .ok_or_else(|| self.lang.t("status-no-incident-declared"))?;
                let mass = incident.estimated_mass_kg.or(incident.declared_mass_kg).unwrap_or(0.0);
                Ok(Form::new(
                    FormKind::Revise { incident: incident.idx },
                    self.say("form-revise", &[("incident", self.name(&incident.id).into())]),
                    self.declaration_fields(
                        incident.place.clone(),
                        Some(incident.pollutant.clone()),
                        format!("{mass:.0}"),
                        incident.released_at.unwrap_or(now),
                    ),
                ))
            }
            Action::EnterResult => {
                if !self.live {
                    return Err(live_only);
                }
                let plan = self.plan().ok_or_else(|| self.lang.t("status-no-plan-for-results"))?;
                let points: Vec<String> = plan.points.iter().map(|p| p.id.clone()).collect();
                let selected = self
                    .plan_point()
                    .map(|(_, p)| p)
                    .or_else(|| self.chart_point.clone().filter(|p| points.contains(p)))
                    .unwrap_or_else(|| points[0].clone());
                Ok(Form::new(
                    FormKind::Result {
                        incident: plan.incident,
                    },
                    self.say("form-result", &[("incident", self.incident_name(plan.incident).into())]),
                    vec![
                        Field::choice("point", selected, points, &self.lang.t("hint-result-point")),
                        Field::text("taken at", now.clock_label(), &self.lang.t("hint-clock")),
                        Field::text("mg/L", String::new(), &self.lang.t("hint-mg-l")),
                    ],
                ))
            }
            Action::Observe => {
                if self.seat != Seat::Evaluator {
                    return Err(self.lang.t("status-evaluator-only"));
                }
                Ok(Form::new(
                    FormKind::Observe,
                    self.lang.t("form-observe"),
                    vec![
                        Field::choice(
                            "about",
                            self.plan_point().map(|(_, p)| p).unwrap_or_default(),
                            self.observation_subjects(),
                            &self.lang.t("hint-about"),
                        ),
                        Field {
                            max_chars: drill::OBSERVATION_CHARS_MAX,
                            ..Field::text("observation", String::new(), &self.lang.t("hint-observation"))
                        },
                    ],
                ))
            }
            _ => Err(String::new()),
        }
    }

    /// What an observation may be about, for ←/→: nothing in particular, the joint
    /// command, each jurisdiction, each team, each point of the plan shown.
    fn observation_subjects(&self) -> Vec<String> {
        let mut subjects = vec![String::new(), "command".to_string()];
        if let Some(scenario) = &self.scenario {
            subjects.extend(scenario.jurisdictions.iter().map(|j| j.id.clone()));
        }
        subjects.extend(self.snapshot.teams.iter().map(|t| t.jurisdiction.clone()));
        subjects.extend(self.snapshot.teams.iter().map(|t| t.id.clone()));
        if let Some(plan) = self.plan() {
            subjects.extend(plan.points.iter().map(|p| p.id.clone()));
        }
        let mut seen = std::collections::HashSet::new();
        subjects.retain(|s| seen.insert(s.clone()));
        subjects
    }

    fn declaration_fields(
        &self,
        place: String,
        pollutant: Option<String>,
        mass: String,
        released: SimTime,
    ) -> Vec<Field> {
        let pollutants: Vec<String> = self
            .scenario
            .as_ref()
            .map(|s| s.pollutants.iter().map(|p| p.id.clone()).collect())
            .unwrap_or_default();
        let pollutant = pollutant.or_else(|| pollutants.first().cloned()).unwrap_or_default();
        vec![
            Field::text("place", place, &self.lang.t("hint-place")),
            Field::choice("pollutant", pollutant, pollutants, &self.lang.t("hint-pollutant")),
            Field::text("mass (kg)", mass, &self.lang.t("hint-mass")),
            Field::text("released at", released.clock_label(), &self.lang.t("hint-released-at")),
        ]
    }

    /// A key while a form is open.
    pub fn form_key(&mut self, key: KeyEvent) -> Vec<Command> {
        let Some(form) = self.form.as_mut() else {
            return Vec::new();
        };
        match form.key(key) {
            FormInput::Editing => Vec::new(),
            FormInput::Cancel => {
                self.form = None;
                self.status = self.lang.t("status-cancelled");
                Vec::new()
            }
            FormInput::Submit => {
                let form = form.clone();
                match self.form_action(&form) {
                    Ok((action, message)) => {
                        self.form = None;
                        self.status = message;
                        vec![Command::Act(self.seat, action)]
                    }
                    Err(problem) => {
                        if let Some(open) = self.form.as_mut() {
                            open.error = Some(problem);
                        }
                        Vec::new()
                    }
                }
            }
        }
    }

    /// The action a filled-in form asks for, or its first problem (naming the field).
    fn form_action(&self, form: &Form) -> Result<(drill::Action, String), String> {
        let now = self.snapshot.now;
        match &form.kind {
            FormKind::Declare | FormKind::Revise { .. } => {
                let declaration = self.declaration(form)?;
                let message = self.say(
                    if form.kind == FormKind::Declare {
                        "status-declared"
                    } else {
                        "status-revised"
                    },
                    &[
                        ("mass_kg", declaration.mass_kg.to_string().into()),
                        ("pollutant", self.name(&declaration.pollutant).into()),
                        ("place", self.name(&declaration.place).into()),
                    ],
                );
                let action = match form.kind {
                    FormKind::Revise { incident } => drill::Action::ReviseIncident { incident, declaration },
                    _ => drill::Action::DeclareIncident { declaration },
                };
                Ok((action, message))
            }
            FormKind::Result { incident } => {
                let point = form.value("point");
                let known = self
                    .snapshot
                    .plans
                    .iter()
                    .find(|p| p.incident == *incident)
                    .is_some_and(|p| p.points.iter().any(|x| x.id == point))
                    || self.geometry.points.iter().any(|p| p.id == point);
                if !known {
                    return Err(self.say("error-unknown-point", &[("point", format!("{point:?}").into())]));
                }
                let taken_at = parse_time(self.lang, "taken at", form.value("taken at"))?;
                if taken_at > now {
                    return Err(self.say("error-later-than-now", &[("at", taken_at.clock_label().into())]));
                }
                let (mg_l, non_detect) = parse_result(self.lang, form.value("mg/L"))?;
                let (key, value) = match non_detect.and_then(|n| n.detection_limit_mg_l) {
                    None if non_detect.is_some() => ("status-result-non-detect", String::new()),
                    None => ("status-result-entered", mg_l.to_string()),
                    Some(limit) => ("status-result-below", limit.to_string()),
                };
                let message = self.say(
                    key,
                    &[
                        ("mg_l", value.into()),
                        ("point", self.name(point).into()),
                        ("at", taken_at.clock_label().into()),
                    ],
                );
                let action = drill::Action::EnterResult {
                    incident: *incident,
                    point: point.to_string(),
                    taken_at,
                    mg_l,
                    non_detect,
                };
                Ok((action, message))
            }
            FormKind::Interval { incident, point } => {
                let text = form.value("every (min)");
                let every: u32 = text
                    .parse()
                    .map_err(|_| self.say("error-not-minutes", &[("text", format!("{text:?}").into())]))?;
                let (lo, hi) = (INTERVAL_MIN.seconds() / 60, INTERVAL_MAX.seconds() / 60);
                if !(lo..=hi).contains(&i64::from(every)) {
                    return Err(self.say(
                        "error-interval-range",
                        &[("min", lo.to_string().into()), ("max", hi.to_string().into())],
                    ));
                }
                Ok((
                    drill::Action::SetPlanInterval {
                        incident: *incident,
                        point: point.clone(),
                        every_min: every,
                    },
                    self.say(
                        "status-interval-set",
                        &[
                            ("point", self.name(point).into()),
                            ("minutes", every.to_string().into()),
                        ],
                    ),
                ))
            }
            FormKind::AddPoint { incident } => {
                let point = form.value("point");
                let addable = self
                    .snapshot
                    .plans
                    .iter()
                    .find(|p| p.incident == *incident)
                    .is_some_and(|p| p.addable.iter().any(|x| x == point));
                if !addable {
                    return Err(self.say("error-not-addable", &[("point", format!("{point:?}").into())]));
                }
                Ok((
                    drill::Action::AddPlanPoint {
                        incident: *incident,
                        point: point.to_string(),
                    },
                    self.say("status-point-added", &[("point", self.name(point).into())]),
                ))
            }
            FormKind::Observe => {
                let text = form.value("observation");
                if text.is_empty() {
                    return Err(self.lang.t("error-observation-empty"));
                }
                let about = form.value("about");
                let target = (!about.is_empty()).then(|| about.to_string());
                if about.chars().count() > drill::OBSERVATION_TARGET_CHARS_MAX {
                    return Err(self.say(
                        "error-about-too-long",
                        &[("max", drill::OBSERVATION_TARGET_CHARS_MAX.to_string().into())],
                    ));
                }
                let message = match &target {
                    Some(about) => self.say("status-observed-about", &[("about", self.name(about).into())]),
                    None => self.lang.t("status-observed"),
                };
                Ok((
                    drill::Action::Observe {
                        text: text.to_string(),
                        target,
                    },
                    message,
                ))
            }
        }
    }

    fn declaration(&self, form: &Form) -> Result<Declaration, String> {
        let declaration = Declaration {
            place: form.value("place").to_string(),
            pollutant: form.value("pollutant").to_string(),
            mass_kg: parse_number(self.lang, "mass (kg)", form.value("mass (kg)"))?,
            released_at: parse_time(self.lang, "released at", form.value("released at"))?,
        };
        if let Some(scenario) = &self.scenario {
            // The scenario's problem with the declaration, in English (docs/i18n.md).
            resolve(scenario, &declaration, self.snapshot.now).map_err(|problem| problem.english)?;
        }
        Ok(declaration)
    }

    /// (scenario index, id) of the selected named point.
    fn point_idx(&self) -> Option<(usize, String)> {
        let id = self.selected_point()?;
        let idx = self.geometry.points.iter().position(|p| p.id == id)?;
        Some((idx, id))
    }

    fn intake(&self) -> Option<(usize, String)> {
        let (idx, id) = self.point_idx()?;
        let is_intake = self
            .plan()
            .and_then(|p| p.points.iter().find(|x| x.id == id))
            .is_some_and(|p| p.role == Role::Intake)
            || self.geometry.points[idx].kind == tripoint_sim::scenario::PointKind::Intake;
        is_intake.then_some((idx, id))
    }
}

/// A form field's label in the person's language (fields are known by their English
/// label, which is also their message's key after `field-`).
pub fn field_label(lang: Lang, label: &str) -> String {
    let key = match label {
        "point" => "field-point",
        "every (min)" => "field-every",
        "taken at" => "field-taken-at",
        "mg/L" => "field-mg-l",
        "place" => "field-place",
        "pollutant" => "field-pollutant",
        "mass (kg)" => "field-mass",
        "released at" => "field-released-at",
        "about" => "field-about",
        "observation" => "field-observation",
        _ => return label.to_string(),
    };
    lang.t(key)
}

/// A speed as the header and status line say it.
pub fn speed_label(lang: Lang, speed: Speed) -> String {
    match speed {
        Speed::RealTime => lang.t("speed-real-time"),
        Speed::Fastest => lang.t("speed-fastest"),
        other => other.label().to_string(),
    }
}

/// A dispatch policy's name (`unified`, `county`; others as they are).
pub fn policy_label(lang: Lang, policy: &str) -> String {
    match policy {
        "unified" => lang.t("policy-unified"),
        "county" => lang.t("policy-county"),
        other => other.to_string(),
    }
}

fn parse_number(lang: Lang, field: &str, text: &str) -> Result<f64, String> {
    let field = field_label(lang, field);
    match text.parse::<f64>() {
        Ok(value) if value.is_finite() => Ok(value),
        _ if text.is_empty() => Err(lang.t_args("error-required", &[("field", field.into())])),
        _ => Err(lang.t_args(
            "error-not-a-number",
            &[("field", field.into()), ("text", format!("{text:?}").into())],
        )),
    }
}

/// A result as typed: a concentration [mg/L] (`mg_l`, no non-detect), or a non-detect
/// (`ND`, `<DL`, 未检出, `<0.005`, `0.005L`: `mg_l` 0), read as `tripoint identify`
/// reads its results file (`ResultValue`).
fn parse_result(lang: Lang, text: &str) -> Result<(f64, Option<NonDetect>), String> {
    match ResultValue::parse(text) {
        Some(ResultValue::Value(mg_l)) if mg_l < 0.0 => Err(lang.t("error-negative")),
        Some(ResultValue::Value(mg_l)) => Ok((mg_l, None)),
        Some(ResultValue::NonDetect { detection_limit }) => Ok((
            0.0,
            Some(NonDetect {
                detection_limit_mg_l: detection_limit,
            }),
        )),
        None if text.trim().is_empty() => {
            Err(lang.t_args("error-required", &[("field", field_label(lang, "mg/L").into())]))
        }
        None => Err(lang.t_args("error-not-a-result", &[("text", format!("{text:?}").into())])),
    }
}

fn parse_time(lang: Lang, field: &str, text: &str) -> Result<SimTime, String> {
    SimTime::parse_clock(text).ok_or_else(|| {
        lang.t_args(
            "error-not-a-time",
            &[
                ("field", field_label(lang, field).into()),
                ("text", format!("{text:?}").into()),
            ],
        )
    })
}
