//! The console's state: the latest snapshot of the session, what the person has selected,
//! and what the simulation is told. `update` turns an action into commands; drawing reads
//! the state and never changes it.

use super::action::Action;
use std::sync::Arc;
use tripoint_sim::drill::clock::Speed;
use tripoint_sim::drill::view::{MapGeometry, Snapshot};
use tripoint_sim::drill::{self, Seat};
use tripoint_sim::plan::Role;
use tripoint_sim::response::dispatch::PolicyKind;

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
    /// The team chosen in the teams panel for a hand dispatch (index in the snapshot).
    pub chosen_team: Option<usize>,
}

impl App {
    pub fn new(geometry: Arc<MapGeometry>, snapshot: Arc<Snapshot>, seat: Seat) -> App {
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
            chosen_team: None,
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
                self.seat == Seat::Controller
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
                self.status = "replay: read-only".to_string();
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
                    Ok((
                        seat,
                        drill::Action::IntakeAdvice { point: idx, close },
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
