//! The command line's messages that the simulation library gives as data: a scenario's
//! problems (`Problem::text`, the `sc-` messages of `check.ftl`) and the river network's
//! findings (`NetworkError`). English is the library's own text, unchanged; another
//! language renders the data through its message files, with the same places and
//! excerpts. A problem the library gives no data for shows its English.

use crate::i18n::Lang;
use fluent_bundle::FluentValue;
use tripoint_sim::drill::text::{Arg, Text};
use tripoint_sim::response::edit::Said;
use tripoint_sim::scenario::{Scenario, ScenarioError};
use tripoint_sim::transport::{CELLS_MAX, NetworkError, SUBSTEPS_MAX};

/// A sentence of a scenario problem in `lang`: its arguments are shown as they are (ids
/// and numbers as the file has them; a scenario that failed to load has no names).
pub fn text(lang: Lang, text: &Text) -> String {
    let args: Vec<(&str, FluentValue<'_>)> = text
        .args
        .iter()
        .map(|(name, arg)| {
            let value = match arg {
                Arg::Plain(shown) => shown.clone(),
                Arg::Text(inner) => self::text(lang, inner),
                Arg::Authored { text, zh } => lang.name(text, zh).to_string(),
                Arg::Empty => String::new(),
                other => format!("{other:?}"),
            };
            (*name, FluentValue::from(value))
        })
        .collect();
    lang.t_args(text.id, &args)
}

/// What the simulation said (a refusal of the seats' permissions, an outcome) in `lang`:
/// its English as the library wrote it, or its sentence through the message files with
/// names by `name_zh` from `scenario`. For a front end without the drill at hand (the
/// console's offer of a revision); with the drill, `report::drill::text` says more (an
/// incident by its script's Chinese name).
pub fn said(lang: Lang, scenario: &Scenario, said: &Said) -> String {
    match lang {
        Lang::En => said.english.clone(),
        _ => text_named(lang, scenario, &said.text),
    }
}

/// A sentence in `lang`, scenario ids by their names.
pub fn text_named(lang: Lang, scenario: &Scenario, text: &Text) -> String {
    let separator = if lang == Lang::En { ", " } else { "、" };
    let args: Vec<(&str, FluentValue<'_>)> = text
        .args
        .iter()
        .map(|(name, arg)| {
            let value = match arg {
                Arg::Plain(shown) => shown.clone(),
                Arg::Name(id) | Arg::Team(Some(id)) => crate::i18n::scenario_name(lang, scenario, id),
                Arg::Seat(seat) => seat_label(lang, scenario, seat),
                Arg::Incident(id) | Arg::IncidentName(id) => id.clone(),
                Arg::Names(ids) => ids
                    .iter()
                    .map(|id| crate::i18n::scenario_name(lang, scenario, id))
                    .collect::<Vec<_>>()
                    .join(separator),
                Arg::Seats(seats) => seats
                    .iter()
                    .map(|seat| seat_label(lang, scenario, seat))
                    .collect::<Vec<_>>()
                    .join(separator),
                Arg::Authored { text, zh } => lang.name(text, zh).to_string(),
                Arg::Text(inner) => text_named(lang, scenario, inner),
                Arg::Empty => String::new(),
                other => format!("{other:?}"),
            };
            (*name, FluentValue::from(value))
        })
        .collect();
    lang.t_args(text.id, &args)
}

/// A seat's label (`command`, `controller`, a jurisdiction id) as `lang` names it.
fn seat_label(lang: Lang, scenario: &Scenario, seat: &str) -> String {
    match (lang, seat) {
        (Lang::En, _) => seat.to_string(),
        (_, "command") => lang.t("seat-command"),
        (_, "controller") => lang.t("seat-controller"),
        _ => crate::i18n::scenario_name(lang, scenario, seat),
    }
}

/// Every problem of a scenario, as `ScenarioError`'s `Display` lays them out, in `lang`.
pub fn scenario_error(lang: Lang, error: &ScenarioError) -> String {
    match lang {
        Lang::En => error.to_string(),
        _ => scenario_error_in(lang, error),
    }
}

/// The problems through the message files, in any language (English too, for the test
/// that the English messages are the library's text).
fn scenario_error_in(lang: Lang, error: &ScenarioError) -> String {
    let mut out = lang.t_args("sc-header", &[("count", error.problems.len().into())]);
    out.push('\n');
    for problem in &error.problems {
        let message = problem
            .text
            .as_ref()
            .map_or_else(|| problem.message.clone(), |t| text(lang, t));
        let shown = problem.with_message(message).to_string();
        out.push('\n');
        out.push_str(&lang.t_args("sc-problem", &[("problem", shown.into())]));
        out.push('\n');
    }
    out
}

/// Why the river network cannot be simulated, in `lang`.
pub fn network_error(lang: Lang, error: &NetworkError) -> String {
    match lang {
        Lang::En => error.to_string(),
        _ => network_error_in(lang, error),
    }
}

fn network_error_in(lang: Lang, error: &NetworkError) -> String {
    match error {
        NetworkError::TooManyCells { n_cells } => lang.t_args(
            "net-too-many-cells",
            &[
                ("cells", n_cells.to_string().into()),
                ("max", CELLS_MAX.to_string().into()),
            ],
        ),
        NetworkError::Cycle => lang.t("net-cycle"),
        NetworkError::TooMuchWork {
            regime,
            reach,
            dt_s,
            velocity_m_s,
            dispersion_m2_s,
            dx_m,
            hours,
            substeps,
        } => lang.t_args(
            "net-too-much-work",
            &[
                ("regime", regime.clone().into()),
                ("reach", reach.clone().into()),
                ("dt", format!("{dt_s:.3e}").into()),
                ("velocity", format!("{velocity_m_s:.3}").into()),
                ("dispersion", format!("{dispersion_m2_s:.4}").into()),
                ("dx", format!("{dx_m:.1}").into()),
                ("hours", format!("{hours:.0}").into()),
                ("steps", format!("{substeps:.2e}").into()),
                ("max", format!("{SUBSTEPS_MAX:.0e}").into()),
            ],
        ),
    }
}

#[cfg(test)]
mod tests;
