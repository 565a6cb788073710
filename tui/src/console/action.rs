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
    /// Close the help overlay (the key that opened it toggles it too).
    CloseHelp,
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
    /// Evaluator: open the form to record an observation for the after-action report.
    Observe,
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
    /// The message saying what the key does (help overlay), in `tui/locales/*/console.ftl`;
    /// the footer shows its `-short` message.
    pub message: &'static str,
    /// Shown in the footer (the frequent ones).
    pub shown: Shown,
}

const fn bind(key: KeyCode, label: &'static str, action: Action, message: &'static str, footer: bool) -> Binding {
    Binding {
        key,
        label,
        action,
        message,
        shown: if footer { Shown::Footer } else { Shown::Help },
    }
}

const fn live(key: KeyCode, label: &'static str, action: Action, message: &'static str) -> Binding {
    Binding {
        key,
        label,
        action,
        message,
        shown: Shown::LiveFooter,
    }
}

pub const BINDINGS: &[Binding] = &[
    bind(KeyCode::Char(' '), "space", Action::TogglePause, "key-pause", true),
    bind(KeyCode::Char('.'), ".", Action::Step, "key-step", false),
    bind(KeyCode::Char('+'), "+", Action::Faster, "key-faster", true),
    bind(KeyCode::Char('-'), "-", Action::Slower, "key-slower", false),
    bind(KeyCode::Tab, "tab", Action::NextPanel, "key-next-panel", true),
    bind(KeyCode::Char('1'), "1", Action::Panel(1), "key-panel-1", false),
    bind(KeyCode::Char('2'), "2", Action::Panel(2), "key-panel-2", false),
    bind(KeyCode::Char('3'), "3", Action::Panel(3), "key-panel-3", false),
    bind(KeyCode::Char('4'), "4", Action::Panel(4), "key-panel-4", false),
    bind(KeyCode::Char('5'), "5", Action::Panel(5), "key-panel-5", false),
    bind(KeyCode::Char('6'), "6", Action::Panel(6), "key-panel-6", false),
    bind(KeyCode::Char('7'), "7", Action::Panel(7), "key-panel-7", false),
    bind(KeyCode::Down, "↓/j", Action::Down, "key-down", false),
    bind(KeyCode::Char('j'), "j", Action::Down, "key-down", false),
    bind(KeyCode::Up, "↑/k", Action::Up, "key-up", false),
    bind(KeyCode::Char('k'), "k", Action::Up, "key-up", false),
    bind(KeyCode::Enter, "enter", Action::Select, "key-select", true),
    bind(KeyCode::Char('z'), "z", Action::ZoomIn, "key-zoom-in", false),
    bind(KeyCode::Char('Z'), "Z", Action::ZoomOut, "key-zoom-out", false),
    bind(
        KeyCode::Char('H'),
        "H",
        Action::Pan { east: -1, north: 0 },
        "key-pan-west",
        false,
    ),
    bind(
        KeyCode::Char('L'),
        "L",
        Action::Pan { east: 1, north: 0 },
        "key-pan-east",
        false,
    ),
    bind(
        KeyCode::Char('K'),
        "K",
        Action::Pan { east: 0, north: 1 },
        "key-pan-north",
        false,
    ),
    bind(
        KeyCode::Char('J'),
        "J",
        Action::Pan { east: 0, north: -1 },
        "key-pan-south",
        false,
    ),
    bind(KeyCode::Char('0'), "0", Action::ResetMap, "key-reset-map", false),
    bind(
        KeyCode::Char('a'),
        "a",
        Action::AcknowledgeInject,
        "key-acknowledge",
        true,
    ),
    bind(KeyCode::Char('s'), "s", Action::RequestSample, "key-sample", true),
    bind(KeyCode::Char('c'), "c", Action::AdviseClose, "key-close-intake", false),
    bind(
        KeyCode::Char('o'),
        "o",
        Action::AdviseReopen,
        "key-reopen-intake",
        false,
    ),
    bind(KeyCode::Char('n'), "n", Action::NotifyNeighbours, "key-notify", false),
    bind(KeyCode::Char('m'), "m", Action::MediaStatement, "key-media", false),
    bind(
        KeyCode::Char('r'),
        "r",
        Action::ReleaseAdhoc,
        "key-release-adhoc",
        false,
    ),
    bind(KeyCode::Char('d'), "d", Action::Dispatch, "key-dispatch", false),
    bind(
        KeyCode::Char('p'),
        "p",
        Action::SwitchPolicy,
        "key-switch-policy",
        false,
    ),
    bind(KeyCode::Char('A'), "A", Action::ApprovePlan, "key-approve", false),
    bind(KeyCode::Char('i'), "i", Action::AddPoint, "key-add-point", false),
    bind(KeyCode::Char('x'), "x", Action::RemovePoint, "key-remove-point", false),
    bind(KeyCode::Char('f'), "f", Action::SetInterval, "key-interval", false),
    bind(KeyCode::Char('h'), "h", Action::MutualAid, "key-mutual-aid", false),
    live(KeyCode::Char('I'), "I", Action::DeclareIncident, "key-declare"),
    live(KeyCode::Char('E'), "E", Action::ReviseIncident, "key-revise"),
    live(KeyCode::Char('e'), "e", Action::EnterResult, "key-enter-result"),
    bind(KeyCode::Char('O'), "O", Action::Observe, "key-observe", false),
    bind(KeyCode::Char('v'), "v", Action::ToggleTruth, "key-truth", false),
    bind(KeyCode::Char('w'), "w", Action::SaveJournal, "key-save", false),
    bind(KeyCode::Char('?'), "?", Action::ToggleHelp, "key-help", true),
    // Listed with `?` (one message, one line of the help).
    bind(KeyCode::Esc, "esc", Action::CloseHelp, "key-help", false),
    bind(KeyCode::Char('q'), "q", Action::Quit, "key-quit", true),
];

impl Binding {
    /// What the key does, in `lang` (the help overlay).
    pub fn help(&self, lang: crate::i18n::Lang) -> String {
        lang.t(self.message)
    }

    /// The footer's word for the key, in `lang`.
    pub fn short(&self, lang: crate::i18n::Lang) -> String {
        lang.t(&format!("{}-short", self.message))
    }
}

/// The action of a key press, if any.
pub fn action_for(key: KeyEvent) -> Option<Action> {
    if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
        return Some(Action::Quit);
    }
    BINDINGS.iter().find(|b| b.key == key.code).map(|b| b.action)
}
