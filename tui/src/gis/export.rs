//! A scenario as GeoJSON layers, one FeatureCollection per kind of thing, each with flat
//! properties (strings and numbers, as QGIS's attribute table shows them): the network,
//! the lakes, the named points, risk sources, depots, teams, road nodes and roads; a
//! plan's points with their schedule; the plume along the reaches at a moment and the
//! forecast arrival at each point. Written through `tripoint_db::geojson`, the one writer.

use serde_json::{Value, json};
use tripoint_db::geojson::{collection, feature, line_string, point, polygon};
use tripoint_sim::forecast::{Forecast, ReachProfile};
use tripoint_sim::hydraulics::ReachHydraulics;
use tripoint_sim::plan::lon_lat;
use tripoint_sim::scenario::{NodeKind, Reach, Scenario};
use tripoint_sim::time::SimTime;

/// Vertices of the circle drawn for a lake without an outline.
const LAKE_CIRCLE_VERTICES: usize = 48;

/// One layer: its file name and its FeatureCollection.
pub struct Layer {
    pub file_name: &'static str,
    pub collection: Value,
}

fn jurisdiction_id(scenario: &Scenario, j: usize) -> &str {
    &scenario.jurisdictions[j].id
}

/// The layers every scenario has: network, nodes, lakes, points, risk sources, depots,
/// teams, road nodes and roads.
pub fn scenario_layers(scenario: &Scenario) -> Vec<Layer> {
    vec![
        Layer {
            file_name: "reaches.geojson",
            collection: reaches(scenario),
        },
        Layer {
            file_name: "nodes.geojson",
            collection: nodes(scenario),
        },
        Layer {
            file_name: "lakes.geojson",
            collection: lakes(scenario),
        },
        Layer {
            file_name: "points.geojson",
            collection: points(scenario),
        },
        Layer {
            file_name: "risk_sources.geojson",
            collection: risk_sources(scenario),
        },
        Layer {
            file_name: "depots.geojson",
            collection: depots(scenario),
        },
        Layer {
            file_name: "teams.geojson",
            collection: teams(scenario),
        },
        Layer {
            file_name: "road_nodes.geojson",
            collection: road_nodes(scenario),
        },
        Layer {
            file_name: "roads.geojson",
            collection: roads(scenario),
        },
    ]
}

/// Every reach as a LineString along its drawing path, with its geometry, its discharge
/// and mean velocity in the default regime and in each regime (`discharge_m3_s_flood`…).
pub fn reaches(scenario: &Scenario) -> Value {
    let default = scenario.settings.default_regime;
    let features = scenario
        .reaches
        .iter()
        .map(|reach| {
            let settings = &scenario.settings;
            let hydraulics =
                |q: f64| ReachHydraulics::of(reach, q, settings.dispersion_method, settings.dispersion_factor);
            let in_default = hydraulics(reach.discharge_m3_s[default]);
            let mut properties = json!({
                "id": reach.id,
                "name": reach.name,
                "name_zh": reach.name_zh,
                "from": scenario.nodes[reach.from].id,
                "to": scenario.nodes[reach.to].id,
                "jurisdiction": jurisdiction_id(scenario, reach.jurisdiction),
                "length_m": reach.length_m,
                "width_m": reach.width_m,
                "depth_m": reach.depth_m,
                "manning_n": reach.manning_n,
                "regime": scenario.regimes[default].id,
                "discharge_m3_s": reach.discharge_m3_s[default],
                "velocity_m_s": in_default.velocity_m_s,
                "dispersion_m2_s": in_default.dispersion_m2_s,
            });
            for (r, regime) in scenario.regimes.iter().enumerate() {
                let q = reach.discharge_m3_s[r];
                properties[format!("discharge_m3_s_{}", regime.id)] = q.into();
                properties[format!("velocity_m_s_{}", regime.id)] = hydraulics(q).velocity_m_s.into();
            }
            feature(line_string(&reach.path), properties)
        })
        .collect();
    collection(features)
}

fn node_kind(kind: &NodeKind) -> &'static str {
    match kind {
        NodeKind::Inflow => "inflow",
        NodeKind::Junction => "junction",
        NodeKind::Lake { .. } => "lake",
        NodeKind::Outlet => "outlet",
    }
}

/// Every node as a Point.
pub fn nodes(scenario: &Scenario) -> Value {
    let features = scenario
        .nodes
        .iter()
        .map(|node| {
            feature(
                point(node.lon, node.lat),
                json!({
                    "id": node.id,
                    "name": node.name,
                    "name_zh": node.name_zh,
                    "kind": node_kind(&node.kind),
                    "jurisdiction": jurisdiction_id(scenario, node.jurisdiction),
                    "note": node.note,
                }),
            )
        })
        .collect();
    collection(features)
}

/// Every lake as a Polygon. The scenario format has no outlines: the polygon is a circle
/// of the lake's modelled area (volume over mean depth) around its node, marked
/// `outline = "schematic circle"`, so that the layer shows where and how large the lake
/// is, not its shore.
pub fn lakes(scenario: &Scenario) -> Value {
    let features = scenario
        .nodes
        .iter()
        .filter_map(|node| {
            let NodeKind::Lake {
                volume_m3,
                n_cells,
                mean_depth_m,
            } = node.kind
            else {
                return None;
            };
            let area_m2 = volume_m3 / mean_depth_m;
            let ring = circle([node.lon, node.lat], (area_m2 / std::f64::consts::PI).sqrt());
            Some(feature(
                polygon(&ring),
                json!({
                    "id": node.id,
                    "name": node.name,
                    "name_zh": node.name_zh,
                    "jurisdiction": jurisdiction_id(scenario, node.jurisdiction),
                    "area_km2": area_m2 / 1e6,
                    "mean_depth_m": mean_depth_m,
                    "volume_m3": volume_m3,
                    "cells": n_cells,
                    "outline": "schematic circle",
                }),
            ))
        })
        .collect();
    collection(features)
}

/// A ring of positions at `radius_m` around `centre` (a local equirectangular offset: the
/// lakes are a few kilometres across).
fn circle(centre: [f64; 2], radius_m: f64) -> Vec<[f64; 2]> {
    let m_per_deg_lat = super::EARTH_RADIUS_M.to_radians();
    let m_per_deg_lon = m_per_deg_lat * centre[1].to_radians().cos();
    (0..LAKE_CIRCLE_VERTICES)
        .map(|i| {
            // Counter-clockwise from east, as RFC 7946 asks of an outer ring.
            let angle = 2.0 * std::f64::consts::PI * i as f64 / LAKE_CIRCLE_VERTICES as f64;
            [
                centre[0] + radius_m * angle.cos() / m_per_deg_lon,
                centre[1] + radius_m * angle.sin() / m_per_deg_lat,
            ]
        })
        .collect()
}

/// The place of a location as the layers describe it: reach and chainage, or node.
fn place_properties(scenario: &Scenario, location: tripoint_sim::scenario::Location, properties: &mut Value) {
    use tripoint_sim::scenario::Location;
    match location {
        Location::Reach { reach, chainage_m } => {
            properties["reach"] = scenario.reaches[reach].id.clone().into();
            properties["chainage_m"] = chainage_m.into();
        }
        Location::Node(node) => properties["node"] = scenario.nodes[node].id.clone().into(),
        Location::LakeCell { node, cell } => {
            properties["node"] = scenario.nodes[node].id.clone().into();
            properties["lake_cell"] = (cell + 1).into();
        }
    }
}

/// Every named point (intakes, sections, border sections, stations, buoys) as a Point.
pub fn points(scenario: &Scenario) -> Value {
    let features = scenario
        .points
        .iter()
        .map(|p| {
            let kind = serde_json::to_value(p.kind).unwrap_or(Value::Null);
            let mut properties = json!({
                "id": p.id,
                "name": p.name,
                "name_zh": p.name_zh,
                "kind": kind,
                "jurisdiction": jurisdiction_id(scenario, p.jurisdiction),
                "target_class": serde_json::to_value(p.target_class).unwrap_or(Value::Null),
                "road_node": p.road_node.map(|n| scenario.road_nodes[n].id.clone()),
                "access_min": p.access.seconds() / 60,
                "note": p.note,
            });
            if let Some((up, down)) = p.borders {
                properties["border_from"] = jurisdiction_id(scenario, up).into();
                properties["border_to"] = jurisdiction_id(scenario, down).into();
            }
            place_properties(scenario, p.location, &mut properties);
            feature(point(p.lon, p.lat), properties)
        })
        .collect();
    collection(features)
}

/// Every risk source of the inventory as a Point where it reaches the water, with its
/// chemicals as one text (`antimony 300 kg; aniline 5000 kg`).
pub fn risk_sources(scenario: &Scenario) -> Value {
    let features = scenario
        .risk_sources
        .iter()
        .map(|s| {
            let [lon, lat] = lon_lat(scenario, s.location);
            let chemicals: Vec<String> = s
                .chemicals
                .iter()
                .map(|c| format!("{} {} kg", scenario.pollutants[c.pollutant].id, c.max_release_kg))
                .collect();
            let mut properties = json!({
                "id": s.id,
                "name": s.name,
                "name_zh": s.name_zh,
                "kind": s.kind.name(),
                "sector": s.sector,
                "jurisdiction": jurisdiction_id(scenario, s.jurisdiction),
                "road_node": scenario.road_nodes[s.road_node].id,
                "annual_probability": s.annual_probability,
                "chemicals": chemicals.join("; "),
                "note": s.note,
            });
            place_properties(scenario, s.location, &mut properties);
            feature(point(lon, lat), properties)
        })
        .collect();
    collection(features)
}

/// Every depot as a Point at its road node, with how many teams it holds.
pub fn depots(scenario: &Scenario) -> Value {
    let features = scenario
        .depots
        .iter()
        .enumerate()
        .map(|(d, depot)| {
            let node = &scenario.road_nodes[depot.road_node];
            feature(
                point(node.lon, node.lat),
                json!({
                    "id": depot.id,
                    "name": depot.name,
                    "name_zh": depot.name_zh,
                    "jurisdiction": jurisdiction_id(scenario, depot.jurisdiction),
                    "road_node": node.id,
                    "laboratory": depot.laboratory,
                    "teams": scenario.teams.iter().filter(|t| t.depot == d).count(),
                }),
            )
        })
        .collect();
    collection(features)
}

/// Every team as a Point at its depot (where it waits), with its crew, shift, vehicle and
/// instruments.
pub fn teams(scenario: &Scenario) -> Value {
    let features = scenario
        .teams
        .iter()
        .map(|team| {
            let depot = &scenario.depots[team.depot];
            let node = &scenario.road_nodes[depot.road_node];
            let shift = serde_json::to_value(team.shift).unwrap_or(Value::Null);
            feature(
                point(node.lon, node.lat),
                json!({
                    "id": team.id,
                    "name": team.name,
                    "name_zh": team.name_zh,
                    "depot": depot.id,
                    "jurisdiction": jurisdiction_id(scenario, team.jurisdiction),
                    "size": team.size,
                    "shift": shift,
                    "vehicle": team.vehicle,
                    "instruments": team.instruments.join("; "),
                }),
            )
        })
        .collect();
    collection(features)
}

/// Every road node as a Point.
pub fn road_nodes(scenario: &Scenario) -> Value {
    let features = scenario
        .road_nodes
        .iter()
        .map(|n| {
            feature(
                point(n.lon, n.lat),
                json!({ "id": n.id, "name": n.name, "name_zh": n.name_zh, "jurisdiction": jurisdiction_id(scenario, n.jurisdiction) }),
            )
        })
        .collect();
    collection(features)
}

/// Every road as a straight LineString between its road nodes.
pub fn roads(scenario: &Scenario) -> Value {
    let features = scenario
        .roads
        .iter()
        .map(|road| {
            let (a, b) = (&scenario.road_nodes[road.from], &scenario.road_nodes[road.to]);
            feature(
                line_string(&[[a.lon, a.lat], [b.lon, b.lat]]),
                json!({
                    "from": a.id,
                    "to": b.id,
                    "name": road.name,
                    "length_km": road.length_km,
                    "speed_kmh": road.speed_kmh,
                    "travel_min": road.travel_time_s() / 60.0,
                    "bridge": road.bridge,
                }),
            )
        })
        .collect();
    collection(features)
}

/// The drawing path of a reach between two chainages [m], as positions: the ends
/// interpolated as `Reach::lon_lat_at` does, the path's vertices between them kept.
pub fn sub_path(reach: &Reach, from_m: f64, to_m: f64) -> Vec<[f64; 2]> {
    let (f0, f1) = (from_m / reach.length_m, to_m / reach.length_m);
    let mut out = vec![reach.lon_lat_at(from_m)];
    for (vertex, fraction) in reach.path.iter().zip(super::vertex_fractions(&reach.path)) {
        if fraction > f0 && fraction < f1 {
            out.push(*vertex);
        }
    }
    out.push(reach.lon_lat_at(to_m));
    out
}

/// The plume at one moment: every cell of every reach as a LineString with its
/// concentration, the limit at the scenario's target class and their ratio.
pub fn plume(scenario: &Scenario, profiles: &[ReachProfile], at: SimTime) -> Value {
    let class = scenario.settings.target_class;
    let mut features = Vec::new();
    for profile in profiles {
        let reach = &scenario.reaches[profile.reach];
        let limit_mg_l = scenario.limit_mg_l(profile.pollutant, class);
        let dx_m = reach.length_m / profile.cells_mg_l.len().max(1) as f64;
        for (i, &c) in profile.cells_mg_l.iter().enumerate() {
            let (from_m, to_m) = (i as f64 * dx_m, (i + 1) as f64 * dx_m);
            features.push(feature(
                line_string(&sub_path(reach, from_m, to_m)),
                json!({
                    "reach": reach.id,
                    "pollutant": scenario.pollutants[profile.pollutant].id,
                    "cell": i + 1,
                    "from_m": from_m,
                    "to_m": to_m,
                    "concentration_mg_l": c,
                    "limit_mg_l": limit_mg_l,
                    "ratio_to_limit": c / limit_mg_l,
                    "at": at.to_string(),
                    "at_s": at.seconds(),
                }),
            ));
        }
    }
    collection(features)
}

fn clock(seconds: Option<i64>) -> Value {
    seconds.map_or(Value::Null, |s| SimTime(s).to_string().into())
}

/// The forecast at every named point downstream: a Point per point and pollutant with the
/// time of arrival (first above the detection limit), the peak and the time over the
/// limit, as scenario-clock labels and seconds.
pub fn arrival(scenario: &Scenario, forecast: &Forecast) -> Value {
    let features = forecast
        .points
        .iter()
        .filter_map(|f| {
            let p = &scenario.points[scenario.point_idx(&f.point)?];
            Some(feature(
                point(p.lon, p.lat),
                json!({
                    "point": f.point,
                    "name": p.name,
                    "name_zh": p.name_zh,
                    "kind": serde_json::to_value(p.kind).unwrap_or(Value::Null),
                    "jurisdiction": f.jurisdiction,
                    "pollutant": f.pollutant,
                    "reached": f.reached,
                    "arrival": clock(f.leading_edge_s),
                    "arrival_s": f.leading_edge_s,
                    "arrival_h_after_release": f.leading_edge_s.map(|s| (s - forecast.start_s) as f64 / 3600.0),
                    "peak_mg_l": f.peak_mg_l,
                    "peak_at": clock(f.peak_s),
                    "limit_mg_l": f.limit_mg_l,
                    "over_limit_from": clock(f.over_limit_from_s),
                    "over_limit_until": clock(f.over_limit_until_s),
                    "over_limit_h": f.over_limit_duration_s as f64 / 3600.0,
                }),
            ))
        })
        .collect();
    collection(features)
}

/// Largest plan document read [bytes].
pub const PLAN_FILE_BYTES_MAX: u64 = 16 * 1024 * 1024;

/// A plan document (`plan-INCIDENT.json` of `tripoint run --plans`, format
/// `tripoint-plan/1`) as Points with the schedule: each point's role, team, forecast and
/// sampling times (count, first, last, and every time in one text). A document that is
/// not one names the field that is wrong.
pub fn plan(document: &Value) -> Result<Value, String> {
    let format = document.get("format").and_then(Value::as_str);
    if format != Some(tripoint_sim::plan::export::PLAN_DOCUMENT_FORMAT) {
        return Err(format!(
            "format: expected {:?}, got {}",
            tripoint_sim::plan::export::PLAN_DOCUMENT_FORMAT,
            format.map_or("none".to_string(), |f| format!("{f:?}"))
        ));
    }
    let incident = document
        .pointer("/incident/id")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let revision = document.get("revision").and_then(Value::as_u64).unwrap_or(0);
    let points = document
        .get("points")
        .and_then(Value::as_array)
        .ok_or("points: expected an array")?;
    let mut features = Vec::new();
    for (i, p) in points.iter().enumerate() {
        let number = |field: &str| -> Result<f64, String> {
            p.get(field)
                .and_then(Value::as_f64)
                .filter(|v| v.is_finite())
                .ok_or_else(|| format!("points[{i}].{field}: expected a number"))
        };
        let (lon, lat) = (number("lon")?, number("lat")?);
        if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
            return Err(format!("points[{i}]: lon {lon}, lat {lat} is not a WGS84 position"));
        }
        let text = |pointer: &str| p.pointer(pointer).cloned().unwrap_or(Value::Null);
        let times = |field: &str| -> Vec<String> {
            p.get(field)
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|w| w.get("at").and_then(Value::as_str).map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        let schedule = times("schedule");
        features.push(feature(
            point(lon, lat),
            json!({
                "incident": incident,
                "revision": revision,
                "id": text("/id"),
                "name": text("/name"),
                "name_zh": text("/name_zh"),
                "role": text("/role"),
                "place": text("/place"),
                "jurisdiction": text("/jurisdiction/id"),
                "team": text("/team/id"),
                "road_node": text("/road_node"),
                "forecast_arrival": text("/forecast_arrival/at"),
                "forecast_peak_mg_l": text("/forecast_peak_mg_l"),
                "limit_mg_l": text("/limit_mg_l"),
                "dense_interval_min": text("/dense_interval_min"),
                "sparse_interval_min": text("/sparse_interval_min"),
                "samples": schedule.len(),
                "first_sample": schedule.first(),
                "last_sample": schedule.last(),
                "schedule": schedule.join("; "),
            }),
        ));
    }
    Ok(collection(features))
}
