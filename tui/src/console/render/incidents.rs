//! Incidents: place, pollutant, response level, elapsed time, plan status.

use super::fit::{self, Column};
use super::{block, clock, highlight};
use crate::console::app::{App, Panel};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::TableState;

pub fn draw(frame: &mut Frame, app: &App, area: Rect, focused: bool) {
    let s = &app.snapshot;
    let l = app.lang;
    // Needs: which incident, its level and plan first (the name gives up its middle
    // letters for them); when it became known, the pollutant and the jurisdiction (both
    // usually in the incident's name) go first when the panel is narrow.
    let mut incident = Column::name(l.t("col-incident"), 0);
    let mut place = Column::new(l.t("col-where"), 5);
    let mut pollutant = Column::new(l.t("col-pollutant"), 4);
    let mut level = Column::new(l.t("col-level"), 1).essential();
    let mut known = Column::new(l.t("col-known-since"), 3);
    let mut plan = Column::new(l.t("col-plan"), 2).essential();
    for i in &s.incidents {
        let elapsed = (s.now - i.known_at).seconds().max(0);
        incident.push(app.name(&i.id));
        place.push(app.name(&i.jurisdiction));
        pollutant.push(app.name(&i.pollutant));
        level.push(i.level.clone());
        known.push(format!(
            "{} (+{}h{:02})",
            clock(Some(i.known_at)),
            elapsed / 3600,
            elapsed % 3600 / 60
        ));
        plan.push(match (i.plan_revision, i.estimated_mass_kg) {
            (Some(rev), Some(kg)) => l.t_args(
                "incidents-plan",
                &[
                    ("revision", rev.to_string().into()),
                    ("mass_kg", format!("{kg:.0}").into()),
                ],
            ),
            _ => l.t("incidents-plan-pending"),
        });
    }
    let empty = s.incidents.is_empty();
    let outer = block(
        &if empty {
            l.t("incidents-none")
        } else {
            l.t("panel-incidents")
        },
        focused,
    );
    let inner = outer.inner(area);
    let table = fit::table(vec![incident, place, pollutant, level, known, plan], inner.width)
        .block(outer)
        .row_highlight_style(highlight());
    let mut state = TableState::default();
    if focused && !empty {
        state.select(Some(app.selected_row(Panel::Incidents)));
    }
    frame.render_stateful_widget(table, area, &mut state);
}
