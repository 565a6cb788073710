//! Source: what the known results say about an incident's release — the candidate
//! sources by posterior probability with their start and mass intervals, the arrival at
//! the intakes and the next sample advised — or why there is nothing to say yet.

use super::block;
use super::fit::{self, Column};
use crate::console::app::App;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Table};
use tripoint_sim::drill::source::{CandidateEstimate, EstimateOutcome, IntakeArrival, SampleAdvice, SourceEstimate};
use tripoint_sim::time::SimTime;

pub fn draw(frame: &mut Frame, app: &App, area: Rect, focused: bool) {
    let l = app.lang;
    let Some(estimate) = app.estimate() else {
        frame.render_widget(block(&l.t("source-none"), focused), area);
        return;
    };
    let title = l.t_args(
        "source-title",
        &[
            ("incident", app.name(&estimate.incident_id).into()),
            ("pollutant", app.name(&estimate.pollutant).into()),
            (
                "index",
                (app.selected_row(crate::console::app::Panel::Source) + 1)
                    .to_string()
                    .into(),
            ),
            ("count", app.snapshot.sources.len().to_string().into()),
        ],
    );
    let outer = block(&title, focused);
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let summary = summary_line(app, estimate);
    match &estimate.outcome {
        EstimateOutcome::Estimated {
            candidates,
            intakes,
            next_sample,
        } => {
            let compact = inner.width < 80;
            let advice = advice_text(app, next_sample.as_ref());
            let offer = offer_lines(app, estimate, inner.width);
            let offer_height = offer.len();
            let [summary_area, offer_area, candidates_area, intakes_area, advice_area] = Layout::vertical([
                Constraint::Length(1),
                Constraint::Length(offer_height as u16),
                Constraint::Length(candidates.len() as u16 + 2),
                Constraint::Length(intakes.len() as u16 + 2),
                Constraint::Min(1),
            ])
            .areas(inner);
            frame.render_widget(Paragraph::new(summary), summary_area);
            frame.render_widget(Paragraph::new(offer), offer_area);
            frame.render_widget(
                candidate_table(app, candidates, compact, candidates_area.width),
                candidates_area,
            );
            frame.render_widget(intake_table(app, intakes, compact, intakes_area.width), intakes_area);
            frame.render_widget(Paragraph::new(super::wrapped(&advice, advice_area.width)), advice_area);
        }
        outcome => {
            let text = match outcome {
                EstimateOutcome::Pending => {
                    l.t_args("source-pending", &[("results", estimate.results.to_string().into())])
                }
                EstimateOutcome::NoResults => l.t_args(
                    "source-no-results",
                    &[("pollutant", app.name(&estimate.pollutant).into())],
                ),
                EstimateOutcome::AllClean => {
                    l.t_args("source-all-clean", &[("results", estimate.results.to_string().into())])
                }
                EstimateOutcome::Failed { reason } => l.t_args("source-failed", &[("reason", reason.as_str().into())]),
                EstimateOutcome::Estimated { .. } => unreachable!("drawn above"),
            };
            let mut lines = Vec::new();
            if !matches!(outcome, EstimateOutcome::NoResults | EstimateOutcome::Pending) {
                lines.push(summary);
                lines.push(Line::raw(""));
            } else if estimate.updating {
                // Results came since: "none yet" is about to be replaced.
                lines.push(Line::styled(l.t("source-updating"), Style::default().fg(Color::Yellow)));
            }
            lines.extend(super::wrapped(&text, inner.width));
            frame.render_widget(Paragraph::new(lines), inner);
        }
    }
}

/// A live incident whose results disagree with its declaration: what they say, and the
/// key that opens the revision they offer (or why this seat may not make it). Nothing
/// when they agree. Wrapped to `width` columns.
fn offer_lines(app: &App, estimate: &SourceEstimate, width: u16) -> Vec<Line<'static>> {
    let Some((offer, may)) = app.offer(estimate) else {
        return Vec::new();
    };
    let l = app.lang;
    let what = (
        app.offer_text(&offer),
        Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD),
    );
    let then = match may {
        Ok(()) => (
            l.t_args(
                "source-offer-key",
                &[
                    ("place", app.name(&offer.place).into()),
                    ("start", offer.start.clock_label().into()),
                    ("mass_kg", offer.mass_kg.to_string().into()),
                ],
            ),
            Style::default().fg(Color::Yellow),
        ),
        Err(reason) => (reason, Style::default()),
    };
    [what, then]
        .into_iter()
        .flat_map(|(text, style)| {
            super::wrapped(&text, width)
                .into_iter()
                .map(move |line| line.style(style))
        })
        .collect()
}

/// `2 of 3 results detected, the newest known at D1 07:10`, and `updating…` while newer
/// results are weighed.
fn summary_line(app: &App, estimate: &SourceEstimate) -> Line<'static> {
    let l = app.lang;
    let mut spans = vec![Span::raw(l.t_args(
        "source-summary",
        &[
            ("detected", estimate.detected.to_string().into()),
            ("results", estimate.results.to_string().into()),
            ("time", super::clock(estimate.as_of).into()),
        ],
    ))];
    if estimate.updating {
        spans.push(Span::styled(
            format!("  {}", l.t("source-updating")),
            Style::default().fg(Color::Yellow),
        ));
    }
    Line::from(spans)
}

fn bold() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}

fn candidate_table(app: &App, candidates: &[CandidateEstimate], compact: bool, width: u16) -> Table<'static> {
    let l = app.lang;
    let (start_title, mass_title) = if compact {
        (l.t("source-col-start-short"), l.t("source-col-mass-short"))
    } else {
        (l.t("source-col-start"), l.t("source-col-mass"))
    };
    let mut place = Column::name(l.t("source-col-place"), 0);
    let mut probability = Column::new(l.t("source-col-probability"), 1).essential();
    let mut start = Column::new(start_title, 2).essential();
    let mut mass = Column::new(mass_title, 3).essential();
    for c in candidates {
        place.push(app.name(&c.place));
        probability.push(percent(c.probability));
        if compact {
            start.push(interval(c.start[0], c.start[2]));
            mass.push(format!("{}–{}", kg(c.mass_kg[0]), kg(c.mass_kg[2])));
        } else {
            start.push(format!(
                "{} ({})",
                clock_of_day(c.start[1]),
                interval(c.start[0], c.start[2])
            ));
            mass.push(format!(
                "{} ({}–{})",
                kg(c.mass_kg[1]),
                kg(c.mass_kg[0]),
                kg(c.mass_kg[2])
            ));
        }
    }
    fit::table_with_header(vec![place, probability, start, mass], width, bold())
}

fn intake_table(app: &App, intakes: &[IntakeArrival], compact: bool, width: u16) -> Table<'static> {
    let l = app.lang;
    let mut name = Column::name(l.t("source-col-intake"), 0);
    let mut reach = Column::new(l.t("source-col-reach"), 1).essential();
    let mut p10 = Column::new(l.t("source-col-p10"), 3).essential();
    let mut p50 = Column::new(l.t("source-col-p50"), 2).essential();
    let mut p90 = Column::new(l.t("source-col-p90"), 4).essential();
    for i in intakes {
        let named = app.name(&i.point);
        // Narrow, the threatened intake is marked and coloured only: its name is the
        // advice's target below.
        let (named, style) = if i.threatened {
            let named = if compact {
                format!("! {named}")
            } else {
                l.t_args("source-threatened", &[("intake", named.into())])
            };
            (named, Style::default().fg(Color::Red))
        } else {
            (named, Style::default())
        };
        name.push_styled(named, style);
        reach.push_styled(percent(i.p_reach), style);
        p10.push_styled(super::clock(i.arrival[0]), style);
        p50.push_styled(super::clock(i.arrival[1]), style);
        p90.push_styled(super::clock(i.arrival[2]), style);
    }
    fit::table_with_header(vec![name, reach, p10, p50, p90], width, bold())
}

fn advice_text(app: &App, advice: Option<&SampleAdvice>) -> String {
    let l = app.lang;
    match advice {
        Some(a) => l.t_args(
            "source-next-sample",
            &[
                ("point", app.name(&a.point).into()),
                ("time", a.at.clock_label().into()),
                ("share", percent(a.p_detect).into()),
                ("target", app.name(&a.target).into()),
            ],
        ),
        None => l.t("source-no-advice"),
    }
}

/// `D1 04:50–05:40`, the day repeated only when it changes.
fn interval(from: SimTime, to: SimTime) -> String {
    if from.seconds().div_euclid(86_400) == to.seconds().div_euclid(86_400) {
        format!("{}–{}", from.clock_label(), clock_of_day(to))
    } else {
        format!("{}–{}", from.clock_label(), to.clock_label())
    }
}

/// `05:40`: the clock without the day.
fn clock_of_day(t: SimTime) -> String {
    let s = t.seconds().rem_euclid(86_400);
    format!("{:02}:{:02}", s / 3600, s % 3600 / 60)
}

/// `62%`, `<1%`.
fn percent(p: f64) -> String {
    if p > 0.0 && p < 0.005 {
        "<1%".to_string()
    } else {
        format!("{:.0}%", p * 100.0)
    }
}

/// A mass with the digits it deserves: `0.42`, `12`, `480`, `12k`.
fn kg(mass_kg: f64) -> String {
    if mass_kg < 1.0 {
        format!("{mass_kg:.2}")
    } else if mass_kg < 10_000.0 {
        format!("{mass_kg:.0}")
    } else {
        format!("{:.0}k", mass_kg / 1000.0)
    }
}
