//! SVG charts drawn with plotters: a concentration series with its limit and samples, an
//! ensemble's band over time, a timeline of bars per row, grouped bars. Each returns the SVG text.

use plotters::coord::CoordTranslate;
use plotters::prelude::*;

/// The font of every chart text in English: what the charts have always named.
pub const FONT_LATIN: &str = "sans-serif";

/// The font stack of a Chinese chart: the CJK fonts of Linux (Noto, WenQuanYi), Windows
/// (Microsoft YaHei) and macOS (PingFang), then any sans-serif. A viewer takes the first
/// one it has; plotters writes it into each text's `font-family`.
pub const FONT_CJK: &str =
    "Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Micro Hei, Microsoft YaHei, PingFang SC, sans-serif";

/// The font stack for charts in `lang`.
pub fn font_family(lang: crate::i18n::Lang) -> &'static str {
    match lang {
        crate::i18n::Lang::En => FONT_LATIN,
        crate::i18n::Lang::ZhCn => FONT_CJK,
    }
}

/// Chart size [px].
const WIDTH_PX: u32 = 960;
const HEIGHT_PX: u32 = 440;

fn failed(error: impl std::fmt::Display) -> anyhow::Error {
    anyhow::anyhow!("drawing a chart: {error}")
}

/// The legend, top right on a light box.
fn legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    c: &mut ChartContext<'a, DB, CT>,
    font: &str,
) -> anyhow::Result<()> {
    c.configure_series_labels()
        .label_font((font, 12))
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()
        .map_err(failed)
}

/// Hours on the scenario clock as `D1 06:00`.
pub fn clock_hours(hours: f64) -> String {
    let minutes = (hours * 60.0).round() as i64;
    let day = minutes.div_euclid(24 * 60) + 1;
    let of_day = minutes.rem_euclid(24 * 60);
    format!("D{day} {:02}:{:02}", of_day / 60, of_day % 60)
}

/// A measured point on a concentration chart.
pub struct Marker {
    pub hours: f64,
    pub value: f64,
    pub over_limit: bool,
}

pub struct SeriesChart<'a> {
    pub title: &'a str,
    pub y_label: &'a str,
    pub x_label: &'a str,
    /// (hours on the scenario clock, value).
    pub series: &'a [(f64, f64)],
    pub series_label: &'a str,
    pub limit: f64,
    /// The legend's words for the limit line and the two kinds of sample marker.
    pub limit_label: &'a str,
    pub within_label: &'a str,
    pub over_label: &'a str,
    pub markers: &'a [Marker],
    pub hours: (f64, f64),
    /// The font stack of every text (`font_family`).
    pub font: &'a str,
}

/// Concentration against time: the true series, the limit line, the samples.
pub fn series_chart(chart: &SeriesChart<'_>) -> anyhow::Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH_PX, HEIGHT_PX)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        let peak = chart
            .series
            .iter()
            .map(|p| p.1)
            .chain(chart.markers.iter().map(|m| m.value))
            .fold(chart.limit, f64::max);
        let (x0, x1) = chart.hours;
        let mut c = ChartBuilder::on(&root)
            .caption(chart.title, (chart.font, 18))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(80)
            // Headroom above the peak keeps the legend off the curve.
            .build_cartesian_2d(x0..x1, 0.0..peak * 1.4)
            .map_err(failed)?;
        c.configure_mesh()
            .label_style((chart.font, 12))
            .x_desc(chart.x_label)
            .y_desc(chart.y_label)
            .x_label_formatter(&|h| clock_hours(*h))
            .y_label_formatter(&|v| format!("{v:.3}"))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(failed)?;
        c.draw_series(LineSeries::new(chart.series.iter().copied(), BLUE.stroke_width(2)))
            .map_err(failed)?
            .label(chart.series_label)
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLUE.stroke_width(2)));
        c.draw_series(DashedLineSeries::new(
            vec![(x0, chart.limit), (x1, chart.limit)],
            8,
            6,
            RED.stroke_width(2),
        ))
        .map_err(failed)?
        .label(chart.limit_label)
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], RED.stroke_width(2)));
        let over: Vec<(f64, f64)> = chart
            .markers
            .iter()
            .filter(|m| m.over_limit)
            .map(|m| (m.hours, m.value))
            .collect();
        let under: Vec<(f64, f64)> = chart
            .markers
            .iter()
            .filter(|m| !m.over_limit)
            .map(|m| (m.hours, m.value))
            .collect();
        c.draw_series(under.iter().map(|&p| Circle::new(p, 5, GREEN.filled())))
            .map_err(failed)?
            .label(chart.within_label)
            .legend(|(x, y)| Circle::new((x + 10, y), 5, GREEN.filled()));
        c.draw_series(over.iter().map(|&p| TriangleMarker::new(p, 6, RED.filled())))
            .map_err(failed)?
            .label(chart.over_label)
            .legend(|(x, y)| TriangleMarker::new((x + 10, y), 6, RED.filled()));
        legend(&mut c, chart.font)?;
        root.present().map_err(failed)?;
    }
    Ok(svg)
}

/// An ensemble over time: the P10–P90 band, the median and the limit.
pub struct BandChart<'a> {
    pub title: &'a str,
    pub x_label: &'a str,
    pub y_label: &'a str,
    /// (hours on the scenario clock, [P10, P50, P90]).
    pub points: &'a [(f64, [f64; 3])],
    pub limit: f64,
    pub band_label: &'a str,
    pub median_label: &'a str,
    pub limit_label: &'a str,
    /// The font stack of every text (`font_family`).
    pub font: &'a str,
}

/// Concentration against time as a band between two quantiles with the median inside.
pub fn band_chart(b: &BandChart<'_>) -> anyhow::Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH_PX, HEIGHT_PX)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        let peak = b.points.iter().map(|p| p.1[2]).fold(b.limit, f64::max).max(1e-9);
        let x0 = b.points.first().map_or(0.0, |p| p.0);
        let x1 = b.points.last().map_or(1.0, |p| p.0).max(x0 + 1e-3);
        let mut c = ChartBuilder::on(&root)
            .caption(b.title, (b.font, 18))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(80)
            // Headroom above the peak keeps the legend off the band.
            .build_cartesian_2d(x0..x1, 0.0..peak * 1.4)
            .map_err(failed)?;
        c.configure_mesh()
            .label_style((b.font, 12))
            .x_desc(b.x_label)
            .y_desc(b.y_label)
            .x_label_formatter(&|h| clock_hours(*h))
            .y_label_formatter(&|v| format!("{v:.3}"))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(failed)?;
        let outline: Vec<(f64, f64)> = b
            .points
            .iter()
            .map(|p| (p.0, p.1[2]))
            .chain(b.points.iter().rev().map(|p| (p.0, p.1[0])))
            .collect();
        let fill = BLUE.mix(0.25);
        c.draw_series(std::iter::once(Polygon::new(outline, fill.filled())))
            .map_err(failed)?
            .label(b.band_label)
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 20, y + 5)], fill.filled()));
        c.draw_series(LineSeries::new(
            b.points.iter().map(|p| (p.0, p.1[1])),
            BLUE.stroke_width(2),
        ))
        .map_err(failed)?
        .label(b.median_label)
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLUE.stroke_width(2)));
        c.draw_series(DashedLineSeries::new(
            vec![(x0, b.limit), (x1, b.limit)],
            8,
            6,
            RED.stroke_width(2),
        ))
        .map_err(failed)?
        .label(b.limit_label)
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], RED.stroke_width(2)));
        legend(&mut c, b.font)?;
        root.present().map_err(failed)?;
    }
    Ok(svg)
}

/// A bar on a timeline row.
pub struct Bar {
    pub row: usize,
    pub from_hours: f64,
    pub to_hours: f64,
    /// Index into the legend.
    pub kind: usize,
}

pub struct Timeline<'a> {
    pub title: &'a str,
    pub x_label: &'a str,
    pub rows: &'a [String],
    pub bars: &'a [Bar],
    pub kinds: &'a [(&'a str, RGBColor)],
    pub hours: (f64, f64),
    /// The font stack of every text (`font_family`).
    pub font: &'a str,
}

/// One row per item (team), bars coloured by kind.
pub fn timeline_chart(t: &Timeline<'_>) -> anyhow::Result<String> {
    let mut svg = String::new();
    {
        let height = (120 + 28 * t.rows.len() as u32).max(240);
        let root = SVGBackend::with_string(&mut svg, (WIDTH_PX, height)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        let n = t.rows.len().max(1) as f64;
        let mut c = ChartBuilder::on(&root)
            .caption(t.title, (t.font, 18))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(210)
            // A fifth more time on the right keeps the legend off the bars.
            .build_cartesian_2d(t.hours.0..t.hours.1 + 0.22 * (t.hours.1 - t.hours.0), 0.0..n)
            .map_err(failed)?;
        let rows = t.rows;
        c.configure_mesh()
            .label_style((t.font, 12))
            .x_desc(t.x_label)
            .x_label_formatter(&|h| clock_hours(*h))
            .y_labels(rows.len() * 2 + 1)
            .y_label_formatter(&|y| {
                // Labels sit at row centres (i + 0.5).
                let i = (y - 0.5).round();
                if (y - 0.5 - i).abs() < 0.01 && i >= 0.0 && (i as usize) < rows.len() {
                    rows[rows.len() - 1 - i as usize].clone()
                } else {
                    String::new()
                }
            })
            .disable_y_mesh()
            .draw()
            .map_err(failed)?;
        for (kind_idx, (name, colour)) in t.kinds.iter().enumerate() {
            let colour = *colour;
            let bars: Vec<&Bar> = t.bars.iter().filter(|b| b.kind == kind_idx).collect();
            c.draw_series(bars.iter().map(|b| {
                let y = (t.rows.len() - 1 - b.row) as f64;
                Rectangle::new([(b.from_hours, y + 0.2), (b.to_hours, y + 0.8)], colour.filled())
            }))
            .map_err(failed)?
            .label(*name)
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 16, y + 5)], colour.filled()));
        }
        legend(&mut c, t.font)?;
        root.present().map_err(failed)?;
    }
    Ok(svg)
}

pub struct GroupedBars<'a> {
    pub title: &'a str,
    pub y_label: &'a str,
    pub groups: &'a [String],
    /// (name, colour, one value per group; `None` leaves a gap).
    pub series: &'a [(&'a str, RGBColor, Vec<Option<f64>>)],
    /// The font stack of every text (`font_family`).
    pub font: &'a str,
}

/// Groups along x (jurisdictions), one bar per series in each.
pub fn grouped_bars(g: &GroupedBars<'_>) -> anyhow::Result<String> {
    let mut svg = String::new();
    {
        // Room for each group's label: ~7 px per terminal column of the longest (a Chinese
        // character is two columns, about 12 px at 12 px).
        let longest = g.groups.iter().map(|l| crate::i18n::width(l)).max().unwrap_or(0) as u32;
        let width = WIDTH_PX.max(100 + g.groups.len() as u32 * (longest * 7 + 12));
        let root = SVGBackend::with_string(&mut svg, (width, HEIGHT_PX)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        let peak = g
            .series
            .iter()
            .flat_map(|(_, _, v)| v.iter().flatten())
            .fold(1.0_f64, |a, b| a.max(*b));
        let n = g.groups.len().max(1) as f64;
        let groups = g.groups;
        let mut c = ChartBuilder::on(&root)
            .caption(g.title, (g.font, 18))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(70)
            .build_cartesian_2d(0.0..n, 0.0..peak * 1.15)
            .map_err(failed)?;
        c.configure_mesh()
            .label_style((g.font, 12))
            .y_desc(g.y_label)
            .x_labels(groups.len() * 2 + 1)
            .x_label_formatter(&|x| {
                let i = (x - 0.5).round();
                if (x - 0.5 - i).abs() < 0.01 && i >= 0.0 && (i as usize) < groups.len() {
                    groups[i as usize].clone()
                } else {
                    String::new()
                }
            })
            .disable_x_mesh()
            .draw()
            .map_err(failed)?;
        let width = 0.8 / g.series.len().max(1) as f64;
        for (s_idx, (name, colour, values)) in g.series.iter().enumerate() {
            let colour = *colour;
            c.draw_series(values.iter().enumerate().filter_map(|(i, v)| {
                let x = i as f64 + 0.1 + s_idx as f64 * width;
                v.map(|v| Rectangle::new([(x, 0.0), (x + width * 0.9, v)], colour.filled()))
            }))
            .map_err(failed)?
            .label(*name)
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 16, y + 5)], colour.filled()));
        }
        legend(&mut c, g.font)?;
        root.present().map_err(failed)?;
    }
    Ok(svg)
}

/// A named, coloured line: its points in x order.
pub type Line<'a> = (&'a str, RGBColor, Vec<(f64, f64)>);

pub struct Lines<'a> {
    pub title: &'a str,
    pub x_label: &'a str,
    pub y_label: &'a str,
    /// (name, colour, points in x order).
    pub series: &'a [Line<'a>],
    pub x_range: (f64, f64),
    pub y_range: (f64, f64),
    /// The font stack of every text (`font_family`).
    pub font: &'a str,
}

/// Lines (with their points marked when there are few), e.g. distribution functions or a
/// trade-off curve.
pub fn lines(l: &Lines<'_>) -> anyhow::Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH_PX, HEIGHT_PX)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        let mut c = ChartBuilder::on(&root)
            .caption(l.title, (l.font, 18))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(70)
            .build_cartesian_2d(l.x_range.0..l.x_range.1, l.y_range.0..l.y_range.1)
            .map_err(failed)?;
        c.configure_mesh()
            .x_desc(l.x_label)
            .y_desc(l.y_label)
            .label_style((l.font, (12).percent().max(12)))
            .x_label_formatter(&|x| tick(*x))
            .y_label_formatter(&|y| tick(*y))
            .draw()
            .map_err(failed)?;
        for (name, colour, points) in l.series {
            let colour = *colour;
            c.draw_series(LineSeries::new(points.iter().copied(), colour.stroke_width(2)))
                .map_err(failed)?
                .label(*name)
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], colour.stroke_width(2)));
            if points.len() <= 30 {
                c.draw_series(points.iter().map(|p| Circle::new(*p, 4, colour.filled())))
                    .map_err(failed)?;
            }
        }
        legend(&mut c, l.font)?;
        root.present().map_err(failed)?;
    }
    Ok(svg)
}

/// An axis tick: whole numbers without decimals, others with as few as they need (up to 2).
fn tick(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round())
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').to_string()
    }
}

/// A map of the zone: river reaches as lines, then labelled markers.
pub struct MapChart<'a> {
    pub title: &'a str,
    /// Reach paths as (lon, lat) points.
    pub reaches: &'a [Vec<(f64, f64)>],
    pub markers: &'a [MapMarker],
    /// Legend entries: (text, colour).
    pub legend: &'a [(String, RGBColor)],
    /// The axes' descriptions: longitude and latitude in the report's language.
    pub x_label: &'a str,
    pub y_label: &'a str,
    /// The font stack of every text (`font_family`).
    pub font: &'a str,
}

pub struct MapMarker {
    pub lon: f64,
    pub lat: f64,
    pub colour: RGBColor,
    pub shape: MarkerShape,
    /// Radius [px].
    pub size: i32,
    pub label: String,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum MarkerShape {
    Circle,
    Square,
    Triangle,
}

pub fn map(m: &MapChart<'_>) -> anyhow::Result<String> {
    let points = m
        .reaches
        .iter()
        .flatten()
        .copied()
        .chain(m.markers.iter().map(|k| (k.lon, k.lat)));
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for (x, y) in points {
        (x0, x1, y0, y1) = (x0.min(x), x1.max(x), y0.min(y), y1.max(y));
    }
    if x0 > x1 {
        (x0, x1, y0, y1) = (0.0, 1.0, 0.0, 1.0);
    }
    let (dx, dy) = (((x1 - x0) * 0.05).max(1e-3), ((y1 - y0) * 0.05).max(1e-3));
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH_PX, 720)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        let mut c = ChartBuilder::on(&root)
            .caption(m.title, (m.font, 18))
            .margin(12)
            .x_label_area_size(30)
            .y_label_area_size(50)
            // Room on the right for the labels of the easternmost markers.
            .build_cartesian_2d(x0 - dx..x1 + 6.0 * dx, y0 - dy..y1 + dy)
            .map_err(failed)?;
        c.configure_mesh()
            .x_desc(m.x_label)
            .y_desc(m.y_label)
            .label_style((m.font, (12).percent().max(12)))
            .light_line_style(WHITE)
            .draw()
            .map_err(failed)?;
        let river = RGBColor(120, 160, 210);
        for path in m.reaches {
            c.draw_series(std::iter::once(PathElement::new(path.clone(), river.stroke_width(2))))
                .map_err(failed)?;
        }
        for k in m.markers {
            let at = (k.lon, k.lat);
            let style = k.colour.filled();
            match k.shape {
                MarkerShape::Circle => {
                    c.draw_series(std::iter::once(Circle::new(at, k.size, style)))
                        .map_err(failed)?;
                    c.draw_series(std::iter::once(Circle::new(at, k.size, BLACK.stroke_width(1))))
                        .map_err(failed)?;
                }
                MarkerShape::Square => {
                    c.draw_series(std::iter::once(
                        EmptyElement::at(at) + Rectangle::new([(-k.size, -k.size), (k.size, k.size)], style),
                    ))
                    .map_err(failed)?;
                }
                MarkerShape::Triangle => {
                    c.draw_series(std::iter::once(TriangleMarker::new(at, k.size, style)))
                        .map_err(failed)?;
                }
            }
            if !k.label.is_empty() {
                c.draw_series(std::iter::once(
                    EmptyElement::at(at) + Text::new(k.label.clone(), (k.size + 3, -6), (m.font, 12)),
                ))
                .map_err(failed)?;
            }
        }
        // The legend, top right, drawn on the canvas in pixels.
        // Wide enough for the longest entry (about 7 px a terminal column at 13 px: a
        // Chinese character is two columns wide).
        let longest = m.legend.iter().map(|(t, _)| crate::i18n::width(t)).max().unwrap_or(0) as i32;
        let x = WIDTH_PX as i32 - (7 * longest + 44).max(250);
        if !m.legend.is_empty() {
            let height = 12 + 20 * m.legend.len() as i32;
            root.draw(&Rectangle::new(
                [(x - 12, 40), (WIDTH_PX as i32 - 16, 40 + height)],
                WHITE.mix(0.9).filled(),
            ))
            .map_err(failed)?;
            root.draw(&Rectangle::new(
                [(x - 12, 40), (WIDTH_PX as i32 - 16, 40 + height)],
                BLACK,
            ))
            .map_err(failed)?;
        }
        for (i, (text, colour)) in m.legend.iter().enumerate() {
            let y = 56 + 20 * i as i32;
            root.draw(&Circle::new((x, y), 6, colour.filled())).map_err(failed)?;
            root.draw(&Text::new(text.clone(), (x + 14, y - 7), (m.font, 13)))
                .map_err(failed)?;
        }
        root.present().map_err(failed)?;
    }
    Ok(svg)
}
