//! The forecast chart at the selected point: the plan's predicted concentration against
//! time, the limit, the results, and in the controller view the simulated truth.

use super::block;
use crate::console::app::App;
use crate::i18n;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::symbols::Marker;
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Paragraph};
use tripoint_sim::time::SimTime;

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let s = &app.snapshot;
    let l = app.lang;
    let Some(chart) = s.chart.as_ref() else {
        let text = l.t("chart-none");
        // Wrapped: the sentence is wider than a small chart area in either language.
        let outer = block(&l.t("chart-empty-title"), false);
        let width = outer.inner(area).width;
        frame.render_widget(Paragraph::new(super::wrapped(&text, width)).block(outer), area);
        return;
    };
    let hours = |t: i64| t as f64 / 3600.0;
    let (x0, x1) = (hours(s.start.seconds()), hours(s.end.seconds()));
    let in_window = |t: i64| (x0..=x1).contains(&hours(t));
    let forecast: Vec<(f64, f64)> = chart
        .forecast
        .iter()
        .filter(|p| in_window(p.0))
        .map(|p| (hours(p.0), p.1))
        .collect();
    let truth: Vec<(f64, f64)> = chart
        .truth
        .iter()
        .filter(|p| in_window(p.0))
        .map(|p| (hours(p.0), p.1))
        .collect();
    let results: Vec<(f64, f64)> = chart.results.iter().map(|p| (hours(p.0), p.1)).collect();
    let limit = [(x0, chart.limit_mg_l), (x1, chart.limit_mg_l)];
    let now = [
        (hours(s.now.seconds()), 0.0),
        (hours(s.now.seconds()), chart.limit_mg_l * 0.5),
    ];
    let peak = forecast
        .iter()
        .chain(&truth)
        .chain(&results)
        .map(|p| p.1)
        .fold(chart.limit_mg_l, f64::max)
        * 1.15;
    let mut datasets = vec![
        Dataset::default()
            .name(l.t("chart-forecast"))
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(Style::default().fg(Color::Cyan))
            .data(&forecast),
        Dataset::default()
            .name(l.t("chart-limit"))
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(Style::default().fg(Color::Red))
            .data(&limit),
        Dataset::default()
            .name(l.t("chart-results"))
            .marker(Marker::Dot)
            .graph_type(GraphType::Scatter)
            .style(Style::default().fg(Color::Yellow))
            .data(&results),
        Dataset::default()
            .name(l.t("chart-now"))
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(Style::default().fg(Color::DarkGray))
            .data(&now),
    ];
    if !truth.is_empty() {
        datasets.push(
            Dataset::default()
                .name(l.t("chart-truth"))
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(Style::default().fg(Color::Magenta))
                .data(&truth),
        );
    }
    let label = |h: f64| SimTime((h * 3600.0) as i64).clock_label();
    let point = app.name(&chart.point);
    let mut title = l.t_args(
        "chart-title",
        &[
            ("point", point.clone().into()),
            ("pollutant", app.name(&chart.pollutant).into()),
            ("limit", format!("{:.4}", chart.limit_mg_l).into()),
        ],
    );
    // A narrow chart is titled by its point alone, whole where it fits, rather than
    // cut inside the unit; the limit's line is on the chart.
    let room = usize::from(area.width).saturating_sub(4);
    if i18n::width(&title) > room {
        title = if i18n::width(&point) <= room {
            point
        } else {
            format!("{}…", i18n::truncate(&point, room.saturating_sub(1)))
        };
    }
    let widget = Chart::new(datasets)
        .block(block(&title, false))
        .x_axis(Axis::default().bounds([x0, x1]).labels(if area.width < 60 {
            vec![label(x0), label(x1)]
        } else {
            vec![label(x0), label((x0 + x1) / 2.0), label(x1)]
        }))
        .y_axis(Axis::default().bounds([0.0, peak]).labels([
            "0".to_string(),
            format!("{:.3}", peak / 2.0),
            format!("{peak:.3}"),
        ]));
    frame.render_widget(widget, area);
}
