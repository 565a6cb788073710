//! The situation map: reaches and lakes, roads, named points (intakes, border sections,
//! stations), incidents, teams, and in the controller view the simulated plume coloured
//! by concentration over the limit.

use super::block;
use crate::console::app::App;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line as TextLine, Span};
use ratatui::widgets::canvas::{Canvas, Line, Points};
use tripoint_sim::scenario::PointKind;

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let g = &app.geometry;
    let s = &app.snapshot;
    let (west, south, east, north) = app.map.bounds(g.bounds);
    let pad_x = (east - west) * 0.04;
    let pad_y = (north - south) * 0.06;
    let selected = app.selected_point();
    let l = app.lang;
    let legend = if app.truth {
        l.t("map-legend-truth")
    } else {
        l.t("map-legend")
    };
    let zoom = (1u32 << app.map.zoom).to_string();
    let mut title = match app.map.zoom {
        0 => l.t_args("map-title", &[("legend", legend.into())]),
        _ => l.t_args(
            "map-title-zoom",
            &[("zoom", zoom.clone().into()), ("legend", legend.into())],
        ),
    };
    // A legend cut at the map's edge says nothing: a narrow map is titled without it (the
    // help overlay, ?, lists it).
    if crate::i18n::width(&title) + 4 > usize::from(area.width) {
        title = match app.map.zoom {
            0 => l.t("map-title-short"),
            _ => l.t_args("map-title-zoom-short", &[("zoom", zoom.into())]),
        };
    }
    let canvas = Canvas::default()
        .block(block(&title, false))
        .marker(Marker::Braille)
        .x_bounds([west - pad_x, east + pad_x])
        .y_bounds([south - pad_y, north + pad_y])
        .paint(|ctx| {
            for &((x1, y1), (x2, y2)) in &g.roads {
                ctx.draw(&Line::new(x1, y1, x2, y2, Color::DarkGray));
            }
            ctx.layer();
            for reach in &g.reaches {
                for w in reach.windows(2) {
                    ctx.draw(&Line::new(w[0].0, w[0].1, w[1].0, w[1].1, Color::Blue));
                }
            }
            for (_, lon, lat) in &g.lakes {
                ctx.draw(&Points {
                    coords: &[(*lon, *lat)],
                    color: Color::LightBlue,
                });
            }
            ctx.layer();
            for (band, colour) in [
                (0.0..0.1, Color::Green),
                (0.1..1.0, Color::Yellow),
                (1.0..f64::MAX, Color::Red),
            ] {
                let coords: Vec<(f64, f64)> = s
                    .plume
                    .iter()
                    .filter(|c| band.contains(&c.2))
                    .map(|c| (c.0, c.1))
                    .collect();
                ctx.draw(&Points {
                    coords: &coords,
                    color: colour,
                });
            }
            ctx.layer();
            for p in &g.points {
                let (mark, colour) = match p.kind {
                    PointKind::Intake => ("I", Color::LightGreen),
                    PointKind::BorderSection => ("B", Color::Magenta),
                    PointKind::Station | PointKind::Buoy | PointKind::MicroStation => {
                        if s.failed_stations.contains(&p.id) {
                            ("S", Color::Red)
                        } else {
                            ("S", Color::Cyan)
                        }
                    }
                    PointKind::Section => ("·", Color::Gray),
                };
                let style = if selected.as_deref() == Some(p.id.as_str()) {
                    Style::default().fg(Color::Black).bg(Color::Yellow)
                } else {
                    Style::default().fg(colour)
                };
                ctx.print(p.lon, p.lat, TextLine::from(Span::styled(mark, style)));
            }
            for i in &s.incidents {
                ctx.print(
                    i.lon,
                    i.lat,
                    TextLine::from(Span::styled("✖", Style::default().fg(Color::Red))),
                );
            }
            for t in &s.teams {
                let initial = t.id.chars().next().unwrap_or('?').to_ascii_uppercase().to_string();
                let colour = match t.activity.as_str() {
                    "driving" => Color::White,
                    "sampling" => Color::LightGreen,
                    "out of service" => Color::Red,
                    _ => Color::DarkGray,
                };
                if t.activity != "idle" {
                    ctx.print(
                        t.lon,
                        t.lat,
                        TextLine::from(Span::styled(initial, Style::default().fg(colour))),
                    );
                }
            }
        });
    frame.render_widget(canvas, area);
}
