//! The report of `tripoint identify --report DIR`: `report.md` with its SVG plots — the
//! posterior over places, the fit at the sampled points (observed against predicted over
//! time, non-detects marked) and the forecast ensemble at the intakes (P10–P90 band) —
//! and `identification.json`, the document `--json` prints.

use super::charts::{self, BandChart, GroupedBars, Marker, SeriesChart};
use crate::commands::identify::{
    Names, any_not_seen, best_pair_lines, candidate_place, clock, factor_list, group_extent, group_near, mass,
    not_seen_bound, one_or_two_args, release_args, say,
};
use anyhow::Context as _;
use plotters::style::RGBColor;
use std::fmt::Write as _;
use std::path::Path;
use tripoint_sim::identify::{self, FactorNode, Fit, Identification};
use tripoint_sim::scenario::PointKind;

/// Places on the posterior chart.
const PLACES_PLOTTED_MAX: usize = 12;
/// Sampled points with a fit chart (those with the most detections).
const FIT_CHARTS_MAX: usize = 6;

fn hours(s: i64) -> f64 {
    s as f64 / 3600.0
}

/// A file-name-safe form of an id.
fn slug(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Reads one factor (dispersion or discharge) from a node of the model's lattice.
type FactorOf = fn(&FactorNode) -> f64;

/// Writes the report's files into `dir` (which exists), in the language of `names`.
pub fn write(dir: &Path, names: &Names<'_>, id: &Identification) -> anyhow::Result<()> {
    let lang = names.lang;
    let font = charts::font_family(lang);
    let put = |name: &str, text: &str| -> anyhow::Result<()> {
        let path = dir.join(name);
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))
    };
    let mut md = String::new();
    let _ = writeln!(md, "# {}\n", lang.t("idr-title"));
    let first = id.fits.iter().map(|f| f.taken_at_s).min().unwrap_or(id.last_result_s);
    let _ = writeln!(
        md,
        "{}\n",
        say(
            lang,
            "idr-intro",
            &[
                ("from", clock(first)),
                ("to", clock(id.last_result_s)),
                ("since", clock(id.since_s)),
                ("places", id.n_places.to_string()),
                ("draws", id.draws.to_string()),
                ("end", clock(id.outlook_end_s)),
            ]
        )
    );

    // One release or two.
    if let Some(two) = &id.two {
        let _ = writeln!(md, "## {}\n", lang.t("idr-two-heading"));
        let _ = writeln!(md, "{}\n", say(lang, "idr-two-text", &one_or_two_args(lang, two)));
    }

    // The posterior over places.
    put("posterior.svg", &posterior_chart(names, id)?)?;
    let _ = writeln!(md, "## {}\n", lang.t("idr-candidates-heading"));
    let _ = writeln!(md, "![{}](posterior.svg)\n", lang.t("idr-posterior-alt"));
    // Places of the anywhere prior hold no risk source: named by the point nearest them.
    let anywhere = id.candidates.iter().all(|c| c.place.source.is_none());
    let header = if anywhere {
        "idr-candidates-header-anywhere"
    } else {
        "idr-candidates-header"
    };
    let _ = writeln!(md, "{}", lang.t(header));
    let _ = writeln!(md, "|---|---|---|---|---|---|---|");
    for (rank, c) in id.candidates.iter().enumerate() {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {:.3} | {} | {} / {} / {} | {} / {} / {} |",
            rank + 1,
            candidate_place(names, &c.place),
            names.location(&c.place.location_label),
            c.probability,
            names.id(&c.pollutant),
            clock(c.start_s[0]),
            clock(c.start_s[1]),
            clock(c.start_s[2]),
            mass(c.mass_kg[0]),
            mass(c.mass_kg[1]),
            mass(c.mass_kg[2])
        );
    }
    if !id.groups.is_empty() {
        let _ = writeln!(md, "\n## {}\n", lang.t("idr-groups-heading"));
        let floor = format!("{}", tripoint_sim::identify::GROUP_FLOOR * 100.0);
        let _ = writeln!(md, "{}\n", say(lang, "idr-groups-text", &[("floor", floor)]));
        let _ = writeln!(md, "{}", lang.t("idr-groups-header"));
        let _ = writeln!(md, "|---|---|---|---|---|---|---|---|");
        for (rank, g) in id.groups.iter().enumerate() {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {:.3} | {} | {} | {} / {} / {} | {} / {} / {} |",
                rank + 1,
                names.id(&g.water),
                group_extent(lang, g),
                g.probability,
                g.n_places,
                group_near(names, g),
                clock(g.start_s[0]),
                clock(g.start_s[1]),
                clock(g.start_s[2]),
                mass(g.mass_kg[0]),
                mass(g.mass_kg[1]),
                mass(g.mass_kg[2])
            );
        }
    }
    // The model's factors weighed as unknowns, each's posterior over its values.
    let dispersion_of: FactorOf = |n| n.factor;
    let discharge_of: FactorOf = |n| n.discharge_factor.unwrap_or(1.0);
    let factors = [
        ("idr-factor-dispersion", id.spread.dispersion_log_sd, dispersion_of),
        ("idr-factor-discharge", id.spread.discharge_log_sd, discharge_of),
    ];
    for (key, sd, factor) in factors {
        if sd > 0.0 && !id.dispersion_nodes.is_empty() {
            let values = factor_list(lang, identify::factor_marginal(&id.dispersion_nodes, factor));
            let _ = writeln!(
                md,
                "\n{}",
                say(lang, key, &[("sd", sd.to_string()), ("factors", values)])
            );
        }
    }
    let b = &id.best;
    let _ = writeln!(
        md,
        "\n{}\n",
        say(
            lang,
            "idr-best",
            &release_args(names, b.mass_kg, &b.pollutant, &b.place, b.start_s, b.duration_s)
        )
    );
    if let Some(two) = &id.two {
        let _ = writeln!(md, "## {}\n", lang.t("idr-pairs-heading"));
        let _ = writeln!(md, "{}", lang.t("idr-pairs-header"));
        let _ = writeln!(md, "|---|---|---|---|---|---|");
        for (rank, pair) in two.pairs.iter().enumerate() {
            for (i, r) in pair.releases.iter().enumerate() {
                let (start, kg) = match not_seen_bound(r) {
                    Some(upper_kg) => (
                        lang.t("id-unseen-start"),
                        say(lang, "id-unseen-mass", &[("mass", mass(upper_kg))]),
                    ),
                    None => (
                        format!(
                            "{} / {} / {}",
                            clock(r.start_s[0]),
                            clock(r.start_s[1]),
                            clock(r.start_s[2])
                        ),
                        format!(
                            "{} / {} / {}",
                            mass(r.mass_kg[0]),
                            mass(r.mass_kg[1]),
                            mass(r.mass_kg[2])
                        ),
                    ),
                };
                let _ = writeln!(
                    md,
                    "| {} | {} | {} | {} | {start} | {kg} |",
                    if i == 0 { (rank + 1).to_string() } else { String::new() },
                    if i == 0 {
                        format!("{:.3}", pair.probability)
                    } else {
                        String::new()
                    },
                    names.location(&r.place.label),
                    names.id(&r.pollutant),
                );
            }
        }
        if any_not_seen(two) {
            let _ = writeln!(md, "\n{}", lang.t("id-unseen-note"));
        }
        let _ = writeln!(md, "\n{}", lang.t("idr-best-pair"));
        for line in best_pair_lines(names, two) {
            let _ = writeln!(md, "- {line}");
        }
        let _ = writeln!(md);
    }

    // The fit at the sampled points, of the more probable model.
    let (fits, model) = match &id.two {
        Some(two) if two.p_two >= 0.5 => (&two.fits, lang.t("idr-model-pair")),
        _ => (&id.fits, lang.t("idr-model-one")),
    };
    let _ = writeln!(md, "## {}\n", lang.t("idr-fit-heading"));
    let _ = writeln!(md, "{}\n", say(lang, "idr-fit-text", &[("model", model.clone())]));
    for (name, title) in fit_charts(dir, names, fits, &model)? {
        let _ = writeln!(md, "![{title}]({name})\n");
    }

    // The forecast ensemble.
    let _ = writeln!(md, "## {}\n", lang.t("idr-outlook-heading"));
    for band in &id.bands {
        let is_intake = id
            .outlook
            .iter()
            .any(|o| o.point == band.point && o.kind == PointKind::Intake);
        if !is_intake || band.conc_mg_l.iter().all(|q| q[2] <= 0.0) {
            continue;
        }
        let name = format!("outlook_{}_{}.svg", slug(&band.point), slug(&band.pollutant));
        let points: Vec<(f64, [f64; 3])> = band
            .times_s
            .iter()
            .zip(&band.conc_mg_l)
            .map(|(t, q)| (hours(*t), *q))
            .collect();
        let point_name = match lang {
            crate::i18n::Lang::En => band.name.clone(),
            crate::i18n::Lang::ZhCn => names.id(&band.point),
        };
        let title = say(
            lang,
            "idr-chart-outlook-title",
            &[
                ("name", point_name),
                ("point", band.point.clone()),
                ("pollutant", names.id(&band.pollutant)),
            ],
        );
        put(
            &name,
            &charts::band_chart(&BandChart {
                title: &title,
                x_label: &lang.t("idr-chart-time"),
                y_label: &lang.t("idr-chart-concentration"),
                points: &points,
                limit: band.limit_mg_l,
                band_label: &lang.t("idr-chart-band"),
                median_label: &lang.t("idr-chart-median"),
                limit_label: &lang.t("idr-chart-limit"),
                font,
            })?,
        )?;
        let _ = writeln!(md, "![{title}]({name})\n");
    }
    let _ = writeln!(md, "{}", lang.t("idr-outlook-header"));
    let _ = writeln!(md, "|---|---|---|---|---|---|---|");
    for o in &id.outlook {
        let arrival = o.arrival_s.map(|a| a.map_or("—".to_string(), clock));
        let _ = writeln!(
            md,
            "| {} | {} | {:.2} | {:.2} | {:.2} | {} | {} |",
            names.id(&o.point),
            names.id(&o.pollutant),
            o.share,
            o.p_reach,
            o.p_over_limit,
            arrival.join(" / "),
            o.peak_mg_l.map(|p| format!("{p:.3}")).join(" / ")
        );
    }
    let _ = writeln!(md, "\n{}", lang.t("idr-closing"));
    put("report.md", &md)?;
    let mut json = serde_json::to_string_pretty(id).context("serialising the identification")?;
    json.push('\n');
    put("identification.json", &json)?;
    Ok(())
}

const ONE: RGBColor = RGBColor(31, 119, 180);
const TWO: RGBColor = RGBColor(255, 127, 14);

/// Bars of each place's posterior probability: as the one release, and (with two
/// weighed) as one of the two.
fn posterior_chart(names: &Names<'_>, id: &Identification) -> anyhow::Result<String> {
    let lang = names.lang;
    let mut labels: Vec<String> = id
        .candidates
        .iter()
        .take(PLACES_PLOTTED_MAX)
        .map(|c| c.place.label.clone())
        .collect();
    if let Some(two) = &id.two {
        for r in two.pairs.iter().flat_map(|p| p.releases.iter()) {
            if labels.len() < PLACES_PLOTTED_MAX + 4 && !labels.contains(&r.place.label) {
                labels.push(r.place.label.clone());
            }
        }
    }
    let one: Vec<Option<f64>> = labels
        .iter()
        .map(|l| {
            id.candidates
                .iter()
                .find(|c| c.place.label == *l)
                .map(|c| c.probability)
        })
        .collect();
    let (one_label, two_label) = (lang.t("idr-chart-one"), lang.t("idr-chart-one-of-two"));
    let mut series = vec![(one_label.as_str(), ONE, one)];
    if let Some(two) = &id.two {
        let share: Vec<Option<f64>> = labels
            .iter()
            .map(|l| {
                two.pairs
                    .iter()
                    .flat_map(|p| p.releases.iter())
                    .find(|r| r.place.label == *l)
                    .map(|r| r.probability)
            })
            .collect();
        series.push((two_label.as_str(), TWO, share));
    }
    let groups: Vec<String> = labels.iter().map(|l| names.location(l)).collect();
    charts::grouped_bars(&GroupedBars {
        title: &lang.t("idr-chart-posterior-title"),
        y_label: &lang.t("idr-chart-probability"),
        groups: &groups,
        series: &series,
        font: charts::font_family(lang),
    })
}

/// One chart per sampled point and pollutant with a detection (those with the most
/// first): the file names and titles.
fn fit_charts(dir: &Path, names: &Names<'_>, fits: &[Fit], model: &str) -> anyhow::Result<Vec<(String, String)>> {
    let lang = names.lang;
    let mut keys: Vec<(String, String)> = Vec::new();
    for f in fits.iter().filter(|f| f.value_mg_l.is_some()) {
        let key = (f.label.clone(), f.pollutant.clone());
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    let detections = |k: &(String, String)| {
        fits.iter()
            .filter(|f| f.label == k.0 && f.pollutant == k.1 && f.value_mg_l.is_some())
            .count()
    };
    keys.sort_by_key(|k| std::cmp::Reverse(detections(k)));
    keys.truncate(FIT_CHARTS_MAX);
    let mut out = Vec::new();
    for (point, pollutant) in keys {
        let mut rows: Vec<&Fit> = fits
            .iter()
            .filter(|f| f.label == point && f.pollutant == pollutant)
            .collect();
        rows.sort_by_key(|f| f.taken_at_s);
        let predicted: Vec<(f64, f64)> = rows.iter().map(|f| (hours(f.taken_at_s), f.predicted_mg_l)).collect();
        let markers: Vec<Marker> = rows
            .iter()
            .map(|f| Marker {
                hours: hours(f.taken_at_s),
                value: f.value_mg_l.unwrap_or(f.detection_limit_mg_l),
                over_limit: f.value_mg_l.is_none(),
            })
            .collect();
        let detection = rows
            .iter()
            .map(|f| f.detection_limit_mg_l)
            .fold(f64::INFINITY, f64::min);
        let first = rows.first().map_or(0.0, |f| hours(f.taken_at_s));
        let last = rows.last().map_or(1.0, |f| hours(f.taken_at_s));
        let pad = ((last - first) * 0.05).max(0.25);
        let title = say(
            lang,
            "idr-chart-fit-title",
            &[("point", names.location(&point)), ("pollutant", names.id(&pollutant))],
        );
        let svg = charts::series_chart(&SeriesChart {
            title: &title,
            y_label: &lang.t("idr-chart-concentration"),
            x_label: &lang.t("idr-chart-time"),
            series: &predicted,
            series_label: &say(lang, "idr-chart-predicted", &[("model", model.to_string())]),
            limit: if detection.is_finite() { detection } else { 0.0 },
            limit_label: &lang.t("idr-chart-detection-limit"),
            within_label: &lang.t("idr-chart-measured"),
            over_label: &lang.t("idr-chart-below"),
            markers: &markers,
            hours: (first - pad, last + pad),
            font: charts::font_family(lang),
        })?;
        let name = format!("fit_{}_{}.svg", slug(&point), slug(&pollutant));
        let path = dir.join(&name);
        std::fs::write(&path, svg).with_context(|| format!("writing {}", path.display()))?;
        out.push((name, title));
    }
    Ok(out)
}
