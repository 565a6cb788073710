//! A river network from GeoJSON into a scenario skeleton: LineStrings become reaches
//! (drawn in the direction of flow, as OpenStreetMap waterways are; length along the great
//! circles), their ends within a tolerance become shared nodes (inflow, junction or
//! outlet by how many reaches enter and leave), Points become named points snapped to the
//! nearest reach with their chainage. What GeoJSON cannot say — widths, depths,
//! roughness, flows, jurisdictions, pollutants — is written as placeholders, each marked
//! `FILL IN`, that balance so that `tripoint check` accepts the skeleton and reports it
//! as one.

use super::{EARTH_RADIUS_M, distance_m, polyline_length_m, vertex_fractions};
use std::fmt::Write as _;

/// How the skeleton is made.
#[derive(Clone, Copy, Debug)]
pub struct ImportOptions {
    /// Line ends closer than this are one node [m].
    pub node_tolerance_m: f64,
    /// A point farther than this from every reach is refused [m].
    pub snap_max_m: f64,
}

/// Largest number of features imported.
pub const FEATURES_MAX: usize = 10_000;

/// Placeholder cross-section and flow written for every reach (FILL IN).
const WIDTH_M: f64 = 30.0;
const DEPTH_M: f64 = 3.0;
const MANNING_N: f64 = 0.03;
/// Placeholder discharge of every inflow [m³/s]; reaches below carry the sum.
const INFLOW_M3_S: f64 = 10.0;

struct ImportedReach {
    id: String,
    name: String,
    name_zh: String,
    from: usize,
    to: usize,
    positions: Vec<[f64; 2]>,
    length_m: f64,
}

struct ImportedPoint {
    id: String,
    name: String,
    name_zh: String,
    kind: String,
    reach: usize,
    chainage_m: f64,
}

/// The scenario skeleton's TOML text from a GeoJSON document; `source` names the file in
/// the skeleton's header. Every problem names the feature (`features[3]`) and what is
/// wrong with it.
pub fn skeleton(document: &serde_json::Value, source: &str, options: ImportOptions) -> Result<String, String> {
    let collection = match geojson::GeoJson::from_json_value(document.clone()) {
        Ok(geojson::GeoJson::FeatureCollection(c)) => c,
        Ok(_) => return Err("expected a FeatureCollection at the top level".to_string()),
        Err(e) => return Err(format!("not GeoJSON: {e}")),
    };
    if collection.features.len() > FEATURES_MAX {
        return Err(format!(
            "{} features; at most {FEATURES_MAX} are imported",
            collection.features.len()
        ));
    }
    let mut nodes: Vec<[f64; 2]> = Vec::new();
    let mut reaches: Vec<ImportedReach> = Vec::new();
    let mut point_features = Vec::new();
    for (i, feature) in collection.features.iter().enumerate() {
        let at = format!("features[{i}]");
        let geometry = feature.geometry.as_ref().ok_or_else(|| format!("{at}: no geometry"))?;
        match &geometry.value {
            geojson::Value::LineString(line) => {
                let positions = positions(line, &at)?;
                add_reach(&mut nodes, &mut reaches, feature, positions, &at, options)?;
            }
            geojson::Value::MultiLineString(lines) => {
                for (part, line) in lines.iter().enumerate() {
                    let at = format!("{at} part {part}");
                    let positions = positions(line, &at)?;
                    add_reach(&mut nodes, &mut reaches, feature, positions, &at, options)?;
                }
            }
            geojson::Value::Point(p) => point_features.push((i, feature, position(p, &at)?)),
            other => {
                return Err(format!(
                    "{at}: a {} is not imported (LineString or MultiLineString for channels, Point for named points)",
                    other.type_name()
                ));
            }
        }
    }
    if reaches.is_empty() {
        return Err("no LineString: a network needs at least one channel".to_string());
    }
    let mut points = Vec::new();
    for (i, feature, xy) in point_features {
        let at = format!("features[{i}]");
        let (reach, chainage_m, off_m) = snap(&reaches, xy);
        if off_m > options.snap_max_m {
            return Err(format!(
                "{at}: the point is {off_m:.0} m from the nearest channel ({}); at most {:.0} m (--snap-max-m)",
                reaches[reach].id, options.snap_max_m
            ));
        }
        let kind = text(feature, &["kind"]).unwrap_or_else(|| "section".to_string());
        const KINDS: [&str; 6] = [
            "intake",
            "section",
            "border_section",
            "station",
            "buoy",
            "micro_station",
        ];
        if !KINDS.contains(&kind.as_str()) {
            return Err(format!("{at}: kind {kind:?} is not one of {}", KINDS.join(", ")));
        }
        points.push(ImportedPoint {
            id: unique_id(
                text(feature, &["id", "ref"]).unwrap_or_else(|| format!("point_{}", points.len() + 1)),
                points.iter().map(|p: &ImportedPoint| p.id.as_str()),
            ),
            name: text(feature, &["name", "name:en"]).unwrap_or_else(|| format!("Point {}", points.len() + 1)),
            name_zh: text(feature, &["name_zh", "name:zh"]).unwrap_or_default(),
            kind,
            reach,
            chainage_m,
        });
    }
    Ok(render(&nodes, &reaches, &points, source, options))
}

fn positions(line: &[Vec<f64>], at: &str) -> Result<Vec<[f64; 2]>, String> {
    let positions: Vec<[f64; 2]> = line
        .iter()
        .enumerate()
        .map(|(v, p)| position(p, &format!("{at} vertex {v}")))
        .collect::<Result<_, _>>()?;
    if positions.len() < 2 {
        return Err(format!("{at}: a LineString needs two positions"));
    }
    Ok(positions)
}

fn position(p: &[f64], at: &str) -> Result<[f64; 2], String> {
    match p {
        [lon, lat, ..] if (-180.0..=180.0).contains(lon) && (-90.0..=90.0).contains(lat) => Ok([*lon, *lat]),
        _ => Err(format!("{at}: {p:?} is not a WGS84 [lon, lat] position")),
    }
}

fn text(feature: &geojson::Feature, keys: &[&str]) -> Option<String> {
    keys.iter()
        .find_map(|k| feature.property(k))
        .and_then(|v| match v {
            serde_json::Value::String(s) => Some(s.trim().to_string()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
        .filter(|s| !s.is_empty())
}

/// An id a scenario accepts: lowercase letters, digits and `_`, unique among `taken`.
fn unique_id<'a>(raw: String, taken: impl Iterator<Item = &'a str> + Clone) -> String {
    let mut base: String = raw
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    base = base.trim_matches('_').to_string();
    if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
        base = format!("x_{base}");
    }
    let mut id = base.clone();
    let mut n = 2;
    while taken.clone().any(|t| t == id) {
        id = format!("{base}_{n}");
        n += 1;
    }
    id
}

fn node_at(nodes: &mut Vec<[f64; 2]>, xy: [f64; 2], tolerance_m: f64) -> usize {
    match nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (i, distance_m(*n, xy)))
        .filter(|(_, d)| *d <= tolerance_m)
        .min_by(|a, b| a.1.total_cmp(&b.1))
    {
        Some((i, _)) => i,
        None => {
            nodes.push(xy);
            nodes.len() - 1
        }
    }
}

fn add_reach(
    nodes: &mut Vec<[f64; 2]>,
    reaches: &mut Vec<ImportedReach>,
    feature: &geojson::Feature,
    positions: Vec<[f64; 2]>,
    at: &str,
    options: ImportOptions,
) -> Result<(), String> {
    let from = node_at(nodes, positions[0], options.node_tolerance_m);
    let to = node_at(
        nodes,
        *positions.last().expect("two positions"),
        options.node_tolerance_m,
    );
    if from == to {
        return Err(format!(
            "{at}: both ends lie within {} m of one node: a loop is not a channel",
            options.node_tolerance_m
        ));
    }
    let length_m = polyline_length_m(&positions);
    let n = reaches.len() + 1;
    reaches.push(ImportedReach {
        id: unique_id(
            text(feature, &["id", "ref"]).unwrap_or_else(|| format!("reach_{n}")),
            reaches.iter().map(|r| r.id.as_str()),
        ),
        name: text(feature, &["name", "name:en"]).unwrap_or_else(|| format!("Reach {n}")),
        name_zh: text(feature, &["name_zh", "name:zh"]).unwrap_or_default(),
        from,
        to,
        positions,
        length_m,
    });
    Ok(())
}

/// The reach nearest to a position, the chainage there, and how far off it lies [m].
/// The chainage is the fraction of the drawing path (measured as `Reach::lon_lat_at`
/// measures it) times the reach's length, so the point is drawn where it was given.
fn snap(reaches: &[ImportedReach], xy: [f64; 2]) -> (usize, f64, f64) {
    let m_per_deg = EARTH_RADIUS_M.to_radians();
    let cos_lat = xy[1].to_radians().cos();
    let mut best = (0, 0.0, f64::INFINITY);
    for (r, reach) in reaches.iter().enumerate() {
        let fractions = vertex_fractions(&reach.positions);
        for (v, w) in reach.positions.windows(2).enumerate() {
            // Project in local metres (equirectangular about the point).
            let to_m = |p: [f64; 2]| [(p[0] - xy[0]) * m_per_deg * cos_lat, (p[1] - xy[1]) * m_per_deg];
            let (a, b) = (to_m(w[0]), to_m(w[1]));
            let d = [b[0] - a[0], b[1] - a[1]];
            let len2 = d[0] * d[0] + d[1] * d[1];
            let t = if len2 > 0.0 {
                (-(a[0] * d[0] + a[1] * d[1]) / len2).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let off_m = (a[0] + t * d[0]).hypot(a[1] + t * d[1]);
            if off_m < best.2 {
                let fraction = fractions[v] + t * (fractions[v + 1] - fractions[v]);
                best = (r, fraction * reach.length_m, off_m);
            }
        }
    }
    best
}

/// A TOML basic string: quoted, with backslashes, quotes and control characters escaped.
fn toml_text(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn render(
    nodes: &[[f64; 2]],
    reaches: &[ImportedReach],
    points: &[ImportedPoint],
    source: &str,
    options: ImportOptions,
) -> String {
    let n_in = |n: usize| reaches.iter().filter(|r| r.to == n).count();
    let n_out = |n: usize| reaches.iter().filter(|r| r.from == n).count();
    let node_ids: Vec<String> = (0..nodes.len())
        .map(|n| match (n_in(n), n_out(n)) {
            (0, _) => format!("inflow_{}", n + 1),
            (_, 0) => format!("outlet_{}", n + 1),
            _ => format!("junction_{}", n + 1),
        })
        .collect();
    let discharge = flows(nodes.len(), reaches);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Scenario skeleton imported from {source} by `tripoint import geojson`.\n\
         # Reaches: the file's lines, in their drawn direction (taken as the direction of flow),\n\
         # length along the great circles; nodes where line ends lie within {} m of each other;\n\
         # named points snapped to the nearest reach. Every value marked FILL IN is a\n\
         # placeholder that only makes the file check: widths, depths, roughness, flows (each\n\
         # inflow {INFLOW_M3_S} m³/s, summed downstream, split evenly where a channel divides),\n\
         # the jurisdiction, the pollutant and the release. Replace them before trusting a\n\
         # forecast. Format: docs/scenario-format.md; import and its limits: docs/gis.md.\n",
        options.node_tolerance_m
    );
    let _ = writeln!(
        out,
        "[scenario]\nname = {}\ndescription = \"FILL IN: every width, depth, roughness and flow is a placeholder\"\ndefault_regime = \"normal\"\n",
        toml_text(&format!("Imported skeleton of {source} (FILL IN placeholders)"))
    );
    let _ = writeln!(
        out,
        "[[jurisdictions]]\nid = \"imported\"\nname = \"FILL IN: jurisdiction\"\n"
    );
    let _ = writeln!(
        out,
        "[[regimes]]\nid = \"normal\"\ndescription = \"FILL IN: placeholder flows\"\n"
    );
    let _ = writeln!(
        out,
        "# FILL IN: the pollutants of the basin's risk sources.\n[[pollutants]]\nid = \"antimony\"\nname = \"Antimony\"\nstandard_item = \"antimony\"\ndetection_limit_mg_l = 0.0005\n"
    );
    for (n, xy) in nodes.iter().enumerate() {
        let kind = match (n_in(n), n_out(n)) {
            (0, _) => "inflow",
            (_, 0) => "outlet",
            _ => "junction",
        };
        let _ = writeln!(
            out,
            "[[nodes]]\nid = \"{}\"\nname = \"{}\"\nkind = \"{kind}\"\njurisdiction = \"imported\"\nlon = {:.6}\nlat = {:.6}\n",
            node_ids[n], node_ids[n], xy[0], xy[1]
        );
    }
    for (r, reach) in reaches.iter().enumerate() {
        let inner: Vec<String> = reach.positions[1..reach.positions.len() - 1]
            .iter()
            .map(|p| format!("[{:.6}, {:.6}]", p[0], p[1]))
            .collect();
        let _ = writeln!(
            out,
            "[[reaches]]\nid = \"{}\"\nname = {}\n{}from = \"{}\"\nto = \"{}\"\njurisdiction = \"imported\"\nlength_m = {:.1}\n# FILL IN: cross-section, roughness and flow.\nwidth_m = {WIDTH_M:.1}\ndepth_m = {DEPTH_M:.1}\nmanning_n = {MANNING_N}\ndischarge_m3_s = {{ normal = {} }}\npath = [{}]\n",
            reach.id,
            toml_text(&reach.name),
            if reach.name_zh.is_empty() {
                String::new()
            } else {
                format!("name_zh = {}\n", toml_text(&reach.name_zh))
            },
            node_ids[reach.from],
            node_ids[reach.to],
            reach.length_m,
            number(discharge[r]),
            inner.join(", ")
        );
    }
    for p in points {
        let _ = writeln!(
            out,
            "[[points]]\nid = \"{}\"\nname = {}\n{}kind = \"{}\"\njurisdiction = \"imported\"\nreach = \"{}\"\nchainage_m = {:.1}\n",
            p.id,
            toml_text(&p.name),
            if p.name_zh.is_empty() {
                String::new()
            } else {
                format!("name_zh = {}\n", toml_text(&p.name_zh))
            },
            p.kind,
            reaches[p.reach].id,
            p.chainage_m.clamp(0.0, reaches[p.reach].length_m),
        );
    }
    let first = &reaches[0];
    let _ = writeln!(
        out,
        "# FILL IN: a placeholder release in the middle of the first reach, so that\n# `tripoint forecast` runs; give yours with --release or replace it.\n[[releases]]\npollutant = \"antimony\"\nmass_kg = 100.0\nreach = \"{}\"\nchainage_m = {:.1}\nstart_min = 60.0\nnote = \"FILL IN: placeholder release\"",
        first.id,
        first.length_m / 2.0
    );
    out
}

/// A discharge written so that it reads back as the same number.
fn number(v: f64) -> String {
    let text = format!("{v}");
    if text.contains('.') || text.contains('e') {
        text
    } else {
        format!("{text}.0")
    }
}

/// Placeholder flows that balance: every inflow brings [`INFLOW_M3_S`], a node passes on
/// what enters it, split evenly among the reaches leaving it. Nodes are taken in flow
/// order; a cycle leaves its reaches at zero, which `tripoint check` reports.
fn flows(n_nodes: usize, reaches: &[ImportedReach]) -> Vec<f64> {
    let mut inflow = vec![0.0; n_nodes];
    let mut pending: Vec<usize> = (0..n_nodes)
        .map(|n| reaches.iter().filter(|r| r.to == n).count())
        .collect();
    let mut ready: Vec<usize> = (0..n_nodes).filter(|&n| pending[n] == 0).collect();
    for &n in &ready {
        inflow[n] = INFLOW_M3_S;
    }
    let mut discharge = vec![0.0; reaches.len()];
    while let Some(n) = ready.pop() {
        let leaving: Vec<usize> = (0..reaches.len()).filter(|&r| reaches[r].from == n).collect();
        for &r in &leaving {
            discharge[r] = inflow[n] / leaving.len() as f64;
            let to = reaches[r].to;
            inflow[to] += discharge[r];
            pending[to] -= 1;
            if pending[to] == 0 {
                ready.push(to);
            }
        }
    }
    discharge
}
