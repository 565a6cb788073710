//! The console's state: the latest snapshot of the session, what the person has selected,
//! and what the simulation is told. `update` turns an action into commands; drawing reads
//! the state and never changes it.

use super::action::Action;
use crossterm::event::{KeyCode, KeyEvent};
use std::sync::Arc;
use tripoint_sim::drill::clock::Speed;
use tripoint_sim::drill::view::{MapGeometry, Snapshot};
use tripoint_sim::drill::{self, Seat};
use tripoint_sim::plan::Role;
use tripoint_sim::response::dispatch::PolicyKind;
use tripoint_sim::response::edit::{Declaration, INTERVAL_MAX, INTERVAL_MIN, resolve};
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
}

impl Panel {
    pub const ALL: [Panel; 6] = [
        Panel::Incidents,
        Panel::Plan,
        Panel::Teams,
        Panel::Results,
        Panel::Inbox,
        Panel::Log,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Panel::Incidents => "Incidents",
            Panel::Plan => "Monitoring plan",
            Panel::Teams => "Teams",
            Panel::Results => "Results",
            Panel::Inbox => "Inbox",
            Panel::Log => "Event log",
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
    pub rows: [usize; 6],
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
    /// What the status line says when a read-only console is asked to act.
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
    /// What part of the zone the map shows.
    pub map: MapView,
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
}

/// One field of a form.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub label: &'static str,
    pub value: String,
    /// Values ←/→ cycle through; the value may also be typed.
    pub choices: Vec<String>,
    pub hint: String,
}

impl Field {
    fn text(label: &'static str, value: String, hint: &str) -> Field {
        Field {
            label,
            value,
            choices: Vec::new(),
            hint: hint.to_string(),
        }
    }

    fn choice(label: &'static str, value: String, choices: Vec<String>, hint: &str) -> Field {
        Field {
            label,
            value,
            choices,
            hint: hint.to_string(),
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

/// Longest value a form field takes [characters].
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
            KeyCode::Char(c) if field.value.chars().count() < FIELD_CHARS_MAX && !c.is_control() => {
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
            rows: [0; 6],
            incident: None,
            chart_point: None,
            truth: false,
            help: false,
            status: "paused — space to start".to_string(),
            running: true,
            read_only: false,
            read_only_note: "replay: read-only",
            chosen_team: None,
            form: None,
            live,
            scenario: None,
            map: MapView::default(),
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
        }
    }

    /// The plan shown: the selected incident's, else the first.
    pub fn plan(&self) -> Option<&tripoint_sim::drill::view::PlanView> {
        let plans = &self.snapshot.plans;
        self.incident
            .and_then(|i| plans.iter().find(|p| p.incident == i))
            .or_else(|| plans.first())
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

    pub fn selected_row(&self, panel: Panel) -> usize {
        self.row(panel).min(self.n_rows(panel).saturating_sub(1))
    }

    /// A new snapshot arrived.
    pub fn set_snapshot(&mut self, snapshot: Arc<Snapshot>) {
        self.snapshot = snapshot;
    }

    pub fn update(&mut self, action: Action) -> Vec<Command> {
        match action {
            Action::Quit => {
                self.running = false;
                vec![Command::Quit]
            }
            Action::TogglePause => {
                self.paused = !self.paused;
                self.status = if self.paused { "paused" } else { "running" }.to_string();
                vec![if self.paused { Command::Pause } else { Command::Resume }]
            }
            Action::Step => {
                self.paused = true;
                self.status = "stepped one event".to_string();
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
                self.status = format!("speed {}", self.speed.label());
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
                self.status = if self.truth {
                    "controller view: simulated truth shown"
                } else {
                    "player view: only what the players know"
                }
                .to_string();
                vec![self.view_command()]
            }
            Action::ToggleHelp => {
                self.help = !self.help;
                Vec::new()
            }
            Action::SaveJournal => vec![Command::SaveJournal],
            _ if self.read_only => {
                self.status = self.read_only_note.to_string();
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
                    self.status = format!("plan of {}", incident.id);
                }
                Vec::new()
            }
            Panel::Teams => {
                let row = self.selected_row(Panel::Teams);
                if let Some(team) = self.snapshot.teams.get(row) {
                    self.chosen_team = Some(row);
                    self.status = format!("{} chosen: select a point in the plan (2) and press d", team.id);
                }
                Vec::new()
            }
            Panel::Plan | Panel::Results => match self.selected_point() {
                Some(point) => {
                    self.status = format!("chart: {point}");
                    self.chart_point = Some(point);
                    vec![self.view_command()]
                }
                None => Vec::new(),
            },
            _ => Vec::new(),
        }
    }

    /// The named point under the cursor in the plan or results panel.
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
            "map: the whole zone".to_string()
        } else {
            let (x, y) = self.map.centre.unwrap_or(((west + east) / 2.0, (south + north) / 2.0));
            format!(
                "map: ×{} around {x:.3}°E {y:.3}°N (0: whole zone)",
                1u32 << self.map.zoom
            )
        };
    }

    pub fn selected_point(&self) -> Option<String> {
        match self.focus {
            Panel::Plan => self
                .plan()
                .and_then(|p| p.points.get(self.selected_row(Panel::Plan)))
                .map(|p| p.id.clone()),
            // Results are listed newest first.
            Panel::Results => {
                let results = &self.snapshot.results;
                let row = self.selected_row(Panel::Results);
                results
                    .get(results.len().checked_sub(row + 1)?)
                    .map(|r| r.point.clone())
            }
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
                        format!("inject {} acknowledged", item.number),
                    )),
                    Some(item) => Err(format!("inject {} is already acknowledged", item.number)),
                    None => Err("the inbox is empty (5 shows it)".to_string()),
                }
            }
            Action::RequestSample => match self.point_idx() {
                Some((idx, id)) => Ok((
                    seat,
                    drill::Action::RequestSample { point: idx },
                    format!("sample asked for at {id}"),
                )),
                None => Err("select a named point in the plan (2) first".to_string()),
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
                        format!("{} {id} advised", if close { "closing" } else { "reopening" }),
                    ))
                }
                None => Err("select an intake in the plan (2) first".to_string()),
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
                        let names: Vec<&str> = incident.downstream.iter().map(|(_, id)| id.as_str()).collect();
                        self.status = format!("{} notified of {}", names.join(", "), incident.id);
                        return commands;
                    }
                    None => Err("no incident is known yet".to_string()),
                }
            }
            Action::MediaStatement => Ok((
                seat,
                drill::Action::MediaStatement,
                "media statement issued".to_string(),
            )),
            Action::Dispatch => match (self.chosen_team, self.point_idx()) {
                (Some(team), Some((point, id))) => Ok((
                    seat,
                    drill::Action::Dispatch { team, point },
                    format!("{} sent to {id}", self.snapshot.teams[team].id),
                )),
                (None, _) => Err("choose a team first: 3, then enter on it".to_string()),
                (_, None) => Err("select a point in the plan (2) first".to_string()),
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
                    format!("dispatch policy: {}", format!("{policy:?}").to_lowercase()),
                ))
            }
            Action::ApprovePlan => match self.plan() {
                Some(plan) => match &plan.approved {
                    Some((at, by)) => Err(format!(
                        "r{} is already approved ({by} at {})",
                        plan.revision,
                        at.clock_label()
                    )),
                    None => Ok((
                        seat,
                        drill::Action::ApprovePlan {
                            incident: plan.incident,
                            revision: Some(plan.revision),
                        },
                        format!(
                            "plan r{} of {} approved",
                            plan.revision,
                            self.incident_id(plan.incident)
                        ),
                    )),
                },
                None => Err("no plan to approve yet".to_string()),
            },
            Action::RemovePoint => match self.plan_point() {
                Some((incident, point)) => Ok((
                    seat,
                    drill::Action::RemovePlanPoint {
                        incident,
                        point: point.clone(),
                    },
                    format!("{point} removed from the plan (i adds it back)"),
                )),
                None => Err("select a point in the plan (2) first".to_string()),
            },
            Action::MutualAid => match self.plan_point() {
                Some((incident, point)) => Ok((
                    seat,
                    drill::Action::RequestMutualAid {
                        incident,
                        point: point.clone(),
                    },
                    format!("help asked for at {point}"),
                )),
                None => Err("select a point in the plan (2) first".to_string()),
            },
            Action::AddPoint
            | Action::SetInterval
            | Action::DeclareIncident
            | Action::ReviseIncident
            | Action::EnterResult => {
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
                    format!("ad-hoc inject {number} released"),
                )),
                None => Err("no ad-hoc inject left to release".to_string()),
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

    fn incident_id(&self, incident: usize) -> String {
        self.snapshot
            .incidents
            .iter()
            .find(|i| i.idx == incident)
            .map_or_else(|| format!("incident {incident}"), |i| i.id.clone())
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
        let live_only = "live sessions only: tripoint console SCENARIO.toml --live";
        let now = self.snapshot.now;
        match action {
            Action::AddPoint => {
                let plan = self.plan().ok_or("no plan to add a point to yet")?;
                let first = plan.addable.first().ok_or("every point is in the plan already")?;
                Ok(Form::new(
                    FormKind::AddPoint {
                        incident: plan.incident,
                    },
                    format!("Add a point to the plan of {}", self.incident_id(plan.incident)),
                    vec![Field::choice(
                        "point",
                        first.clone(),
                        plan.addable.clone(),
                        "←/→ through the points the plan does not sample",
                    )],
                ))
            }
            Action::SetInterval => {
                let (incident, point) = self.plan_point().ok_or("select a point in the plan (2) first")?;
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
                    format!("Sampling interval at {point}"),
                    vec![Field::choice(
                        "every (min)",
                        every.to_string(),
                        choices,
                        "while the plume passes; ←/→ or type 5 to 1440",
                    )],
                ))
            }
            Action::DeclareIncident => {
                if !self.live {
                    return Err(live_only.to_string());
                }
                Ok(Form::new(
                    FormKind::Declare,
                    "Declare an incident".to_string(),
                    self.declaration_fields(String::new(), None, String::new(), now),
                ))
            }
            Action::ReviseIncident => {
                if !self.live {
                    return Err(live_only.to_string());
                }
                let row = self.selected_row(Panel::Incidents);
                let incident = match self.focus {
                    Panel::Incidents => self.snapshot.incidents.get(row),
                    _ => self
                        .plan()
                        .and_then(|p| self.snapshot.incidents.iter().find(|i| i.idx == p.incident)),
                }
                .ok_or("no incident declared yet: I declares one")?;
                let mass = incident.estimated_mass_kg.or(incident.declared_mass_kg).unwrap_or(0.0);
                Ok(Form::new(
                    FormKind::Revise { incident: incident.idx },
                    format!("Revise {}", incident.id),
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
                    return Err(live_only.to_string());
                }
                let plan = self.plan().ok_or("no plan yet: results go to a plan's points")?;
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
                    format!("Result for {}", self.incident_id(plan.incident)),
                    vec![
                        Field::choice(
                            "point",
                            selected,
                            points,
                            "←/→ through the plan's points, or type an id",
                        ),
                        Field::text("taken at", now.clock_label(), "HH:MM or D2 HH:MM"),
                        Field::text("mg/L", String::new(), "the measured concentration"),
                    ],
                ))
            }
            _ => Err(String::new()),
        }
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
            Field::text("place", place, "risk source, point or node id, or REACH@CHAINAGE_M"),
            Field::choice(
                "pollutant",
                pollutant,
                pollutants,
                "←/→ through the scenario's pollutants",
            ),
            Field::text("mass (kg)", mass, "estimated released mass"),
            Field::text(
                "released at",
                released.clock_label(),
                "estimated time: HH:MM or D2 HH:MM",
            ),
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
                self.status = "cancelled".to_string();
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
                let message = format!(
                    "{} kg of {} at {} {}",
                    declaration.mass_kg,
                    declaration.pollutant,
                    declaration.place,
                    if form.kind == FormKind::Declare {
                        "declared"
                    } else {
                        "revised"
                    }
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
                    return Err(format!("point: {point:?} is neither in the plan nor a named point"));
                }
                let taken_at = parse_time("taken at", form.value("taken at"))?;
                if taken_at > now {
                    return Err(format!("taken at: {} is later than now", taken_at.clock_label()));
                }
                let mg_l = parse_number("mg/L", form.value("mg/L"))?;
                if mg_l < 0.0 {
                    return Err("mg/L: a concentration is not negative".to_string());
                }
                Ok((
                    drill::Action::EnterResult {
                        incident: *incident,
                        point: point.to_string(),
                        taken_at,
                        mg_l,
                    },
                    format!("{mg_l} mg/L at {point} ({}) entered", taken_at.clock_label()),
                ))
            }
            FormKind::Interval { incident, point } => {
                let text = form.value("every (min)");
                let every: u32 = text
                    .parse()
                    .map_err(|_| format!("every (min): {text:?} is not a whole number of minutes"))?;
                let (lo, hi) = (INTERVAL_MIN.seconds() / 60, INTERVAL_MAX.seconds() / 60);
                if !(lo..=hi).contains(&i64::from(every)) {
                    return Err(format!("every (min): expected {lo} to {hi}"));
                }
                Ok((
                    drill::Action::SetPlanInterval {
                        incident: *incident,
                        point: point.clone(),
                        every_min: every,
                    },
                    format!("{point}: every {every} min while the plume passes"),
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
                    return Err(format!("point: {point:?} is not a point the plan can add"));
                }
                Ok((
                    drill::Action::AddPlanPoint {
                        incident: *incident,
                        point: point.to_string(),
                    },
                    format!("{point} added to the plan"),
                ))
            }
        }
    }

    fn declaration(&self, form: &Form) -> Result<Declaration, String> {
        let declaration = Declaration {
            place: form.value("place").to_string(),
            pollutant: form.value("pollutant").to_string(),
            mass_kg: parse_number("mass (kg)", form.value("mass (kg)"))?,
            released_at: parse_time("released at", form.value("released at"))?,
        };
        if let Some(scenario) = &self.scenario {
            resolve(scenario, &declaration, self.snapshot.now)?;
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

fn parse_number(field: &str, text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(value) if value.is_finite() => Ok(value),
        _ if text.is_empty() => Err(format!("{field}: required")),
        _ => Err(format!("{field}: {text:?} is not a number")),
    }
}

fn parse_time(field: &str, text: &str) -> Result<SimTime, String> {
    SimTime::parse_clock(text).ok_or_else(|| format!("{field}: {text:?}: expected HH:MM or D2 HH:MM"))
}
