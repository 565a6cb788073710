//! What a person can ask of the console: the closed `Action` enum, and the key bindings
//! as data (one table, shown by the footer and the help overlay).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Quit,
    TogglePause,
    /// Handle the next simulation event and pause.
    Step,
    Faster,
    Slower,
    NextPanel,
    /// Show panel N (1-based) in the main area.
    Panel(usize),
    Down,
    Up,
    /// Select the highlighted incident or plan point (its chart).
    Select,
    AcknowledgeInject,
    RequestSample,
    AdviseClose,
    AdviseReopen,
    NotifyNeighbours,
    MediaStatement,
    ReleaseAdhoc,
    /// Send the chosen team to the selected point.
    Dispatch,
    SwitchPolicy,
    ToggleTruth,
    SaveJournal,
    ToggleHelp,
    /// Approve the plan shown (its current revision).
    ApprovePlan,
    /// Open the form to add a point to the plan shown.
    AddPoint,
    /// Remove the selected point from the plan.
    RemovePoint,
    /// Open the form to change the selected point's sampling interval.
    SetInterval,
    /// Ask the other jurisdictions for help at the selected point.
    MutualAid,
    /// Live: open the form to declare an incident.
    DeclareIncident,
    /// Live: open the form to revise the selected incident.
    ReviseIncident,
    /// Live: open the form to type in a sample result.
    EnterResult,
    /// Zoom the map in (on the selected point when there is one) or out.
    ZoomIn,
    ZoomOut,
    /// Move the map's view by a quarter of its width or height.
    Pan {
        east: i8,
        north: i8,
    },
    /// Show the whole zone again.
    ResetMap,
}

/// Where a binding is listed besides the help overlay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    /// Only in the help overlay.
    Help,
    /// In the footer too.
    Footer,
    /// In the footer of a live session.
    LiveFooter,
}

/// A key, its action, and what the footer and help say.
pub struct Binding {
    pub key: KeyCode,
    pub label: &'static str,
    pub action: Action,
    pub help: &'static str,
    /// Shown in the footer (the frequent ones).
    pub shown: Shown,
}

const fn bind(key: KeyCode, label: &'static str, action: Action, help: &'static str, footer: bool) -> Binding {
    Binding {
        key,
        label,
        action,
        help,
        shown: if footer { Shown::Footer } else { Shown::Help },
    }
}

const fn live(key: KeyCode, label: &'static str, action: Action, help: &'static str) -> Binding {
    Binding {
        key,
        label,
        action,
        help,
        shown: Shown::LiveFooter,
    }
}

pub const BINDINGS: &[Binding] = &[
    bind(
        KeyCode::Char(' '),
        "space",
        Action::TogglePause,
        "pause / resume the exercise",
        true,
    ),
    bind(KeyCode::Char('.'), ".", Action::Step, "step one event (pauses)", false),
    bind(
        KeyCode::Char('+'),
        "+",
        Action::Faster,
        "faster: real time, ×10, ×60, ×600, fastest",
        true,
    ),
    bind(KeyCode::Char('-'), "-", Action::Slower, "slower", false),
    bind(KeyCode::Tab, "tab", Action::NextPanel, "next panel", true),
    bind(KeyCode::Char('1'), "1", Action::Panel(1), "incidents", false),
    bind(KeyCode::Char('2'), "2", Action::Panel(2), "monitoring plan", false),
    bind(KeyCode::Char('3'), "3", Action::Panel(3), "teams", false),
    bind(KeyCode::Char('4'), "4", Action::Panel(4), "results", false),
    bind(KeyCode::Char('5'), "5", Action::Panel(5), "inject inbox", false),
    bind(KeyCode::Char('6'), "6", Action::Panel(6), "event log", false),
    bind(KeyCode::Down, "↓/j", Action::Down, "move down in the panel", false),
    bind(KeyCode::Char('j'), "j", Action::Down, "move down", false),
    bind(KeyCode::Up, "↑/k", Action::Up, "move up in the panel", false),
    bind(KeyCode::Char('k'), "k", Action::Up, "move up", false),
    bind(
        KeyCode::Enter,
        "enter",
        Action::Select,
        "select: incident → its plan; point → its chart",
        true,
    ),
    bind(
        KeyCode::Char('z'),
        "z",
        Action::ZoomIn,
        "zoom the map in (on the selected point)",
        false,
    ),
    bind(KeyCode::Char('Z'), "Z", Action::ZoomOut, "zoom the map out", false),
    bind(
        KeyCode::Char('H'),
        "H",
        Action::Pan { east: -1, north: 0 },
        "pan the map west",
        false,
    ),
    bind(
        KeyCode::Char('L'),
        "L",
        Action::Pan { east: 1, north: 0 },
        "pan the map east",
        false,
    ),
    bind(
        KeyCode::Char('K'),
        "K",
        Action::Pan { east: 0, north: 1 },
        "pan the map north",
        false,
    ),
    bind(
        KeyCode::Char('J'),
        "J",
        Action::Pan { east: 0, north: -1 },
        "pan the map south",
        false,
    ),
    bind(
        KeyCode::Char('0'),
        "0",
        Action::ResetMap,
        "show the whole zone on the map",
        false,
    ),
    bind(
        KeyCode::Char('a'),
        "a",
        Action::AcknowledgeInject,
        "acknowledge the selected inject",
        true,
    ),
    bind(
        KeyCode::Char('s'),
        "s",
        Action::RequestSample,
        "ask for a sample now at the selected point",
        true,
    ),
    bind(
        KeyCode::Char('c'),
        "c",
        Action::AdviseClose,
        "advise closing the selected intake",
        false,
    ),
    bind(
        KeyCode::Char('o'),
        "o",
        Action::AdviseReopen,
        "advise reopening the selected intake",
        false,
    ),
    bind(
        KeyCode::Char('n'),
        "n",
        Action::NotifyNeighbours,
        "notify jurisdictions downstream of the incident",
        false,
    ),
    bind(
        KeyCode::Char('m'),
        "m",
        Action::MediaStatement,
        "issue a media statement",
        false,
    ),
    bind(
        KeyCode::Char('r'),
        "r",
        Action::ReleaseAdhoc,
        "release the next ad-hoc inject (controller)",
        false,
    ),
    bind(
        KeyCode::Char('d'),
        "d",
        Action::Dispatch,
        "send the chosen team (enter in 3) to the point",
        false,
    ),
    bind(
        KeyCode::Char('p'),
        "p",
        Action::SwitchPolicy,
        "switch dispatch policy (county ↔ unified)",
        false,
    ),
    bind(
        KeyCode::Char('A'),
        "A",
        Action::ApprovePlan,
        "approve the plan shown (its current revision)",
        false,
    ),
    bind(
        KeyCode::Char('i'),
        "i",
        Action::AddPoint,
        "add a point the plan does not sample yet",
        false,
    ),
    bind(
        KeyCode::Char('x'),
        "x",
        Action::RemovePoint,
        "remove the selected point from the plan",
        false,
    ),
    bind(
        KeyCode::Char('f'),
        "f",
        Action::SetInterval,
        "change the selected point's sampling interval",
        false,
    ),
    bind(
        KeyCode::Char('h'),
        "h",
        Action::MutualAid,
        "ask other jurisdictions for help at the point",
        false,
    ),
    live(
        KeyCode::Char('I'),
        "I",
        Action::DeclareIncident,
        "live: declare an incident",
    ),
    live(
        KeyCode::Char('E'),
        "E",
        Action::ReviseIncident,
        "live: revise the incident (place, mass, time…)",
    ),
    live(
        KeyCode::Char('e'),
        "e",
        Action::EnterResult,
        "live: enter a sample result",
    ),
    bind(
        KeyCode::Char('v'),
        "v",
        Action::ToggleTruth,
        "controller view: simulated plume and truth",
        false,
    ),
    bind(KeyCode::Char('w'), "w", Action::SaveJournal, "save the journal", false),
    bind(KeyCode::Char('?'), "?", Action::ToggleHelp, "help", true),
    bind(KeyCode::Char('q'), "q", Action::Quit, "quit", true),
];

/// The action of a key press, if any.
pub fn action_for(key: KeyEvent) -> Option<Action> {
    if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
        return Some(Action::Quit);
    }
    BINDINGS.iter().find(|b| b.key == key.code).map(|b| b.action)
}
