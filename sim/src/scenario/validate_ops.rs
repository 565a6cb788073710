//! Validation of the operations sections: risk sources, roads, depots, teams, incidents,
//! the road access and automatic monitoring of named points, and `[operations]`.

use super::raw::PointKindName;
use super::raw_ops::*;
use super::validate::{Checker, Ids, RawScenario, RefContext, SCENARIO_MINUTES_MAX, build_location, check_lon_lat};
use super::*;
use crate::equipment::Catalogue;
use std::collections::BTreeSet;
use toml::Spanned;

/// Id indices built by the main pass that the operations pass refers to.
pub(super) struct ScenarioIds<'a> {
    pub jurisdictions: &'a Ids,
    pub pollutants: &'a Ids,
}

/// The checked operations sections.
pub(super) struct Ops {
    pub operations: Operations,
    pub risk_sources: Vec<RiskSource>,
    pub road_nodes: Vec<RoadNode>,
    pub roads: Vec<Road>,
    pub depots: Vec<Depot>,
    pub candidate_sites: Vec<CandidateSite>,
    pub teams: Vec<Team>,
    pub incidents: Vec<Incident>,
}

/// Largest team size accepted [people].
const TEAM_SIZE_MAX: i64 = 50;

fn minutes(checker: &mut Checker<'_>, value: &Option<Spanned<f64>>, default: SimDuration, what: &str) -> SimDuration {
    match value {
        None => default,
        Some(v) => {
            let m = checker.non_negative(v, what, "[operations]");
            if m > SCENARIO_MINUTES_MAX {
                checker.err(v.span(), format!("[operations]: {what} {m} is beyond one year"));
            }
            SimDuration((m * 60.0).round() as i64)
        }
    }
}

fn build_operations(checker: &mut Checker<'_>, raw: Option<&RawOperations>) -> Operations {
    let default = Operations::default();
    let Some(raw) = raw else { return default };
    let positive_minutes = |checker: &mut Checker<'_>, v: &Option<Spanned<f64>>, d: SimDuration, what: &str| {
        if let Some(value) = v
            && *value.get_ref() < 1.0
        {
            checker.err(
                value.span(),
                format!("[operations]: {what} must be at least 1 min, got {}", value.get_ref()),
            );
        }
        minutes(checker, v, d, what)
    };
    let count = |checker: &mut Checker<'_>, v: &Option<Spanned<i64>>, d: u32, what: &str| match v {
        None => d,
        Some(n) => {
            let value = *n.get_ref();
            if !(1..=100).contains(&value) {
                checker.err(
                    n.span(),
                    format!("[operations]: {what} must be between 1 and 100, got {value}"),
                );
            }
            value.clamp(1, 100) as u32
        }
    };
    let termination_rounds = count(
        checker,
        &raw.termination_rounds,
        default.termination_rounds,
        "termination_rounds",
    );
    let downstream_sections_m = match &raw.downstream_sections_km {
        None => default.downstream_sections_m.clone(),
        Some(list) => {
            let values = list.get_ref();
            if values.len() > 20 || values.iter().any(|d| !(d.is_finite() && *d > 0.0 && *d <= 1000.0)) {
                checker.err(
                    list.span(),
                    "[operations]: downstream_sections_km lists at most 20 distances, each in (0, 1000] km",
                );
            }
            values.iter().map(|d| d * 1000.0).collect()
        }
    };
    Operations {
        plan_preparation: minutes(
            checker,
            &raw.plan_preparation_min,
            default.plan_preparation,
            "plan_preparation_min",
        ),
        mutual_aid_delay: minutes(
            checker,
            &raw.mutual_aid_delay_min,
            default.mutual_aid_delay,
            "mutual_aid_delay_min",
        ),
        termination_rounds,
        dense_interval: positive_minutes(
            checker,
            &raw.dense_interval_min,
            default.dense_interval,
            "dense_interval_min",
        ),
        sparse_interval: positive_minutes(
            checker,
            &raw.sparse_interval_min,
            default.sparse_interval,
            "sparse_interval_min",
        ),
        lead_time: minutes(checker, &raw.lead_time_min, default.lead_time, "lead_time_min"),
        downstream_sections_m,
        default_access: minutes(
            checker,
            &raw.default_access_min,
            default.default_access,
            "default_access_min",
        ),
        extra_bottle: minutes(checker, &raw.extra_bottle_min, default.extra_bottle, "extra_bottle_min"),
        flow_measurement: minutes(
            checker,
            &raw.flow_measurement_min,
            default.flow_measurement,
            "flow_measurement_min",
        ),
        express_report_interval: positive_minutes(
            checker,
            &raw.express_report_interval_min,
            default.express_report_interval,
            "express_report_interval_min",
        ),
        duplicate_every: count(
            checker,
            &raw.duplicate_every,
            default.duplicate_every,
            "duplicate_every",
        ),
        confirm_every: count(checker, &raw.confirm_every, default.confirm_every, "confirm_every"),
    }
}

pub(super) fn build(
    checker: &mut Checker<'_>,
    raw: &RawScenario,
    ids: &ScenarioIds<'_>,
    ctx: &RefContext<'_>,
    points: &mut [Point],
) -> Option<Ops> {
    let broken = &raw.broken_ids;
    let operations = build_operations(checker, raw.operations.as_ref());
    let road_node_ids = Ids::new(checker, "road node", raw.road_nodes.iter().map(|n| &n.id));
    let depot_ids = Ids::new(checker, "depot", raw.depots.iter().map(|d| &d.id));
    // A candidate site shares the depots' name space: the planner lists both as sites.
    let _ = Ids::new(checker, "candidate site", raw.candidate_sites.iter().map(|c| &c.id));
    for c in &raw.candidate_sites {
        if depot_ids.contains(c.id.get_ref()) {
            checker.err(
                c.id.span(),
                format!("candidate site `{}` has the id of a depot", c.id.get_ref()),
            );
        }
    }
    let _ = Ids::new(checker, "team", raw.teams.iter().map(|t| &t.id));
    let source_ids = Ids::new(checker, "risk source", raw.risk_sources.iter().map(|s| &s.id));
    let _ = Ids::new(checker, "incident", raw.incidents.iter().map(|i| &i.id));

    let road_nodes: Vec<RoadNode> = raw
        .road_nodes
        .iter()
        .map(|n| {
            let owner = format!("road node `{}`", n.id.get_ref());
            check_lon_lat(checker, &n.lon, &n.lat, &owner);
            RoadNode {
                id: n.id.get_ref().clone(),
                name: n.name.clone(),
                name_zh: n.name_zh.clone(),
                jurisdiction: ids
                    .jurisdictions
                    .resolve(checker, &n.jurisdiction, &owner, broken)
                    .unwrap_or(0),
                lon: *n.lon.get_ref(),
                lat: *n.lat.get_ref(),
            }
        })
        .collect();
    let roads: Vec<Option<Road>> = raw
        .roads
        .iter()
        .map(|r| build_road(checker, r, &road_node_ids, broken))
        .collect();
    let depots: Vec<Option<Depot>> = raw
        .depots
        .iter()
        .map(|d| {
            let owner = format!("depot `{}`", d.id.get_ref());
            let jurisdiction = ids.jurisdictions.resolve(checker, &d.jurisdiction, &owner, broken);
            let road_node = road_node_ids.resolve(checker, &d.road_node, &owner, broken);
            Some(Depot {
                id: d.id.get_ref().clone(),
                name: d.name.clone(),
                name_zh: d.name_zh.clone(),
                jurisdiction: jurisdiction?,
                road_node: road_node?,
                laboratory: d.laboratory,
            })
        })
        .collect();
    let candidate_sites: Vec<Option<CandidateSite>> = raw
        .candidate_sites
        .iter()
        .map(|c| {
            let owner = format!("candidate site `{}`", c.id.get_ref());
            let road_node = road_node_ids.resolve(checker, &c.road_node, &owner, broken)?;
            Some(CandidateSite {
                id: c.id.get_ref().clone(),
                name: c.name.clone(),
                name_zh: c.name_zh.clone(),
                road_node,
                jurisdiction: road_nodes[road_node].jurisdiction,
            })
        })
        .collect();
    let teams: Vec<Option<Team>> = raw
        .teams
        .iter()
        .map(|t| build_team(checker, t, &depot_ids, &depots, broken))
        .collect();
    for (point, raw_point) in points.iter_mut().zip(&raw.points) {
        complete_point(
            checker,
            point,
            raw_point,
            &road_node_ids,
            ids.pollutants,
            &operations,
            broken,
        );
    }
    let risk_sources: Vec<Option<RiskSource>> = raw
        .risk_sources
        .iter()
        .map(|s| build_risk_source(checker, s, ids, ctx, &road_node_ids))
        .collect();
    let incidents: Vec<Option<Incident>> = raw
        .incidents
        .iter()
        .map(|i| build_incident(checker, i, ids, ctx, &source_ids, &risk_sources))
        .collect();

    let roads: Vec<Road> = roads.into_iter().collect::<Option<_>>()?;
    let depots: Vec<Depot> = depots.into_iter().collect::<Option<_>>()?;
    let risk_sources: Vec<RiskSource> = risk_sources.into_iter().collect::<Option<_>>()?;
    if raw
        .failed_sections
        .is_disjoint(&BTreeSet::from(["roads".to_string(), "road_nodes".to_string()]))
    {
        check_reachability(checker, raw, &road_nodes, &roads, &depots, points, &risk_sources);
    }
    Some(Ops {
        operations,
        risk_sources,
        road_nodes,
        roads,
        depots,
        candidate_sites: candidate_sites.into_iter().collect::<Option<_>>()?,
        teams: teams.into_iter().collect::<Option<_>>()?,
        incidents: incidents.into_iter().collect::<Option<_>>()?,
    })
}

fn build_road(checker: &mut Checker<'_>, r: &RawRoad, road_nodes: &Ids, broken: &BTreeSet<String>) -> Option<Road> {
    let owner = format!("road {} – {}", r.from.get_ref(), r.to.get_ref());
    let length_km = checker.within(&r.length_km, ranges::ROAD_LENGTH_KM, "length_km", &owner);
    let speed_kmh = checker.within(&r.speed_kmh, ranges::ROAD_SPEED_KMH, "speed_kmh", &owner);
    let from = road_nodes.resolve(checker, &r.from, &owner, broken);
    let to = road_nodes.resolve(checker, &r.to, &owner, broken);
    if from.is_some() && from == to {
        checker.err(
            r.to.span(),
            format!("{owner}: a road cannot start and end at the same node"),
        );
    }
    Some(Road {
        from: from?,
        to: to?,
        name: r.name.clone(),
        name_zh: r.name_zh.clone(),
        length_km,
        speed_kmh,
        bridge: r.bridge,
    })
}

fn build_team(
    checker: &mut Checker<'_>,
    t: &RawTeam,
    depot_ids: &Ids,
    depots: &[Option<Depot>],
    broken: &BTreeSet<String>,
) -> Option<Team> {
    let owner = format!("team `{}`", t.id.get_ref());
    let size = *t.size.get_ref();
    if !(1..=TEAM_SIZE_MAX).contains(&size) {
        checker.err(
            t.size.span(),
            format!("{owner}: size must be between 1 and {TEAM_SIZE_MAX}, got {size}"),
        );
    }
    let catalogue = Catalogue::builtin();
    match catalogue.vehicle(t.vehicle.get_ref()) {
        None => {
            let known: Vec<&str> = catalogue.vehicles().iter().map(|v| v.id.as_str()).collect();
            checker.err(
                t.vehicle.span(),
                format!(
                    "{owner}: unknown vehicle `{}` (known: {})",
                    t.vehicle.get_ref(),
                    known.join(", ")
                ),
            );
        }
        Some(vehicle) if (1..=TEAM_SIZE_MAX).contains(&size) && (vehicle.crew_min as i64) > size => {
            checker.err(
                t.size.span(),
                format!(
                    "{owner}: a {} needs a crew of {}, the team has {size}",
                    vehicle.id, vehicle.crew_min
                ),
            );
        }
        Some(_) => {}
    }
    for instrument in &t.instruments {
        if catalogue.instrument(instrument.get_ref()).is_none() {
            let known: Vec<&str> = catalogue.instruments().iter().map(|i| i.id.as_str()).collect();
            checker.err(
                instrument.span(),
                format!(
                    "{owner}: unknown instrument `{}` (known: {})",
                    instrument.get_ref(),
                    known.join(", ")
                ),
            );
        }
    }
    let depot = depot_ids.resolve(checker, &t.depot, &owner, broken)?;
    Some(Team {
        id: t.id.get_ref().clone(),
        name: t.name.clone(),
        name_zh: t.name_zh.clone(),
        depot,
        jurisdiction: depots[depot].as_ref()?.jurisdiction,
        size: size.clamp(1, TEAM_SIZE_MAX) as u32,
        shift: match t.shift {
            ShiftName::Day => Shift::Day,
            ShiftName::RoundTheClock => Shift::RoundTheClock,
        },
        vehicle: t.vehicle.get_ref().clone(),
        instruments: t.instruments.iter().map(|i| i.get_ref().clone()).collect(),
    })
}

fn complete_point(
    checker: &mut Checker<'_>,
    point: &mut Point,
    raw: &super::raw::RawPoint,
    road_nodes: &Ids,
    pollutants: &Ids,
    operations: &Operations,
    broken: &BTreeSet<String>,
) {
    let owner = format!("point `{}`", point.id);
    if let Some(node) = &raw.road_node {
        point.road_node = road_nodes.resolve(checker, node, &owner, broken);
    }
    point.access = match &raw.access_min {
        Some(a) => SimDuration((checker.minutes_in_year(a, "access_min", &owner) * 60.0).round() as i64),
        None => operations.default_access,
    };
    let is_station = matches!(
        raw.kind,
        PointKindName::Station | PointKindName::Buoy | PointKindName::MicroStation
    );
    let has_station_fields = !raw.parameters.is_empty() || raw.cycle_min.is_some() || raw.emergency_cycle_min.is_some();
    if has_station_fields && !is_station {
        checker.err(
            raw.id.span(),
            format!("{owner}: parameters and cycles apply to stations and buoys only"),
        );
        return;
    }
    if !has_station_fields {
        return;
    }
    let parameters: Vec<usize> = raw
        .parameters
        .iter()
        .filter_map(|p| pollutants.resolve(checker, p, &owner, broken))
        .collect();
    let cycle_min = raw.cycle_min.as_ref().map_or(240.0, |c| {
        checker.positive(c, "cycle_min", &owner);
        checker.minutes_in_year(c, "cycle_min", &owner)
    });
    let emergency_min = raw.emergency_cycle_min.as_ref().map_or(cycle_min, |c| {
        checker.positive(c, "emergency_cycle_min", &owner);
        checker.minutes_in_year(c, "emergency_cycle_min", &owner)
    });
    if emergency_min > cycle_min
        && let Some(c) = &raw.emergency_cycle_min
    {
        checker.err(
            c.span(),
            format!(
                "{owner}: the emergency cycle ({emergency_min} min) is longer than the routine one ({cycle_min} min)"
            ),
        );
    }
    point.station = Some(StationSpec {
        parameters,
        cycle: SimDuration((cycle_min * 60.0).round().max(60.0) as i64),
        emergency_cycle: SimDuration((emergency_min * 60.0).round().max(60.0) as i64),
    });
}

fn build_risk_source(
    checker: &mut Checker<'_>,
    s: &RawRiskSource,
    ids: &ScenarioIds<'_>,
    ctx: &RefContext<'_>,
    road_nodes: &Ids,
) -> Option<RiskSource> {
    let owner = format!("risk source `{}`", s.id.get_ref());
    let broken = &ctx.broken;
    let location = build_location(checker, ctx, &s.node, &s.reach, &s.chainage_m, &owner, s.id.span());
    let probability = *s.annual_probability.get_ref();
    if !(probability > 0.0 && probability <= 1.0) {
        checker.err(
            s.annual_probability.span(),
            format!("{owner}: annual_probability must be in (0, 1], got {probability}"),
        );
    }
    if s.chemicals.is_empty() {
        checker.err(
            s.id.span(),
            format!("{owner}: list the chemicals it holds ([[risk_sources.chemicals]])"),
        );
    }
    let chemicals: Vec<Option<Chemical>> = s
        .chemicals
        .iter()
        .map(|c| {
            let max_release_kg = checker.within(&c.max_release_kg, ranges::MASS_KG, "max_release_kg", &owner);
            Some(Chemical {
                pollutant: ids.pollutants.resolve(checker, &c.pollutant, &owner, broken)?,
                max_release_kg,
            })
        })
        .collect();
    let jurisdiction = ids.jurisdictions.resolve(checker, &s.jurisdiction, &owner, broken);
    let road_node = road_nodes.resolve(checker, &s.road_node, &owner, broken);
    Some(RiskSource {
        id: s.id.get_ref().clone(),
        name: s.name.clone(),
        name_zh: s.name_zh.clone(),
        kind: match s.kind {
            RiskSourceKindName::Enterprise => RiskSourceKind::Enterprise,
            RiskSourceKindName::ChemicalStorage => RiskSourceKind::ChemicalStorage,
            RiskSourceKindName::WastewaterPlant => RiskSourceKind::WastewaterPlant,
            RiskSourceKindName::Bridge => RiskSourceKind::Bridge,
            RiskSourceKindName::ShippingLane => RiskSourceKind::ShippingLane,
        },
        sector: s.sector.clone(),
        jurisdiction: jurisdiction?,
        location: location?,
        road_node: road_node?,
        annual_probability: probability,
        chemicals: chemicals.into_iter().collect::<Option<_>>()?,
        note: s.note.clone(),
    })
}

fn parse_level(checker: &mut Checker<'_>, text: &Option<Spanned<String>>, owner: &str) -> ResponseLevel {
    let Some(text) = text else { return ResponseLevel::IV };
    match text.get_ref().trim() {
        "I" | "1" => ResponseLevel::I,
        "II" | "2" => ResponseLevel::II,
        "III" | "3" => ResponseLevel::III,
        "IV" | "4" => ResponseLevel::IV,
        other => {
            checker.err(
                text.span(),
                format!("{owner}: unknown response level {other:?}, expected I, II, III or IV"),
            );
            ResponseLevel::IV
        }
    }
}

fn build_incident(
    checker: &mut Checker<'_>,
    i: &RawIncident,
    ids: &ScenarioIds<'_>,
    ctx: &RefContext<'_>,
    source_ids: &Ids,
    sources: &[Option<RiskSource>],
) -> Option<Incident> {
    let owner = format!("incident `{}`", i.id.get_ref());
    let broken = &ctx.broken;
    let mass_kg = checker.within(&i.mass_kg, ranges::MASS_KG, "mass_kg", &owner);
    let reported_mass_kg = i.reported_mass_kg.as_ref().map_or(mass_kg, |m| {
        checker.within(m, ranges::MASS_KG, "reported_mass_kg", &owner)
    });
    let start_min = checker.non_negative(&i.start_min, "start_min", &owner);
    if start_min > SCENARIO_MINUTES_MAX {
        checker.err(
            i.start_min.span(),
            format!("{owner}: start_min {start_min} is beyond one year"),
        );
    }
    let duration_min = i
        .duration_min
        .as_ref()
        .map_or(0.0, |d| checker.minutes_in_year(d, "duration_min", &owner));
    let delay_min = i
        .discovery_delay_min
        .as_ref()
        .map_or(0.0, |d| checker.minutes_in_year(d, "discovery_delay_min", &owner));
    let discovery = match i.discovery {
        DiscoveryName::EnterpriseReport => Discovery::EnterpriseReport,
        DiscoveryName::StationAlarm => Discovery::StationAlarm,
        DiscoveryName::PublicReport => Discovery::PublicReport,
    };
    if discovery != Discovery::StationAlarm && i.discovery_delay_min.is_none() {
        checker.err(i.id.span(), format!("{owner}: a report needs discovery_delay_min"));
    }
    let response_level = parse_level(checker, &i.response_level, &owner);
    let pollutant = ids.pollutants.resolve(checker, &i.pollutant, &owner, broken);
    let (location, jurisdiction, source) = match (&i.source, i.node.is_some() || i.reach.is_some()) {
        (Some(source_ref), false) => {
            let source_idx = source_ids.resolve(checker, source_ref, &owner, broken)?;
            let source = sources[source_idx].as_ref()?;
            if let Some(p) = pollutant
                && !source.chemicals.iter().any(|c| c.pollutant == p)
            {
                checker.err(
                    i.pollutant.span(),
                    format!(
                        "{owner}: risk source `{}` does not hold `{}`",
                        source.id,
                        i.pollutant.get_ref()
                    ),
                );
            }
            if let Some(j) = &i.jurisdiction {
                checker.err(
                    j.span(),
                    format!("{owner}: the jurisdiction comes from the risk source; remove it"),
                );
            }
            (Some(source.location), Some(source.jurisdiction), Some(source_idx))
        }
        (None, true) => {
            let location = build_location(checker, ctx, &i.node, &i.reach, &i.chainage_m, &owner, i.id.span());
            let jurisdiction = match &i.jurisdiction {
                Some(j) => ids.jurisdictions.resolve(checker, j, &owner, broken),
                None => {
                    checker.err(
                        i.id.span(),
                        format!("{owner}: an incident without a risk source needs a jurisdiction"),
                    );
                    None
                }
            };
            (location, jurisdiction, None)
        }
        _ => {
            checker.err(
                i.id.span(),
                format!("{owner}: give either `source` or a place (`node`, or `reach` with `chainage_m`)"),
            );
            (None, None, None)
        }
    };
    Some(Incident {
        id: i.id.get_ref().clone(),
        name: if i.name.is_empty() {
            i.id.get_ref().clone()
        } else {
            i.name.clone()
        },
        name_zh: i.name_zh.clone(),
        source,
        location: location?,
        jurisdiction: jurisdiction?,
        pollutant: pollutant?,
        mass_kg,
        reported_mass_kg,
        start: SimTime((start_min * 60.0).round() as i64),
        duration: SimDuration((duration_min * 60.0).round() as i64),
        response_level,
        discovery,
        discovery_delay: SimDuration((delay_min * 60.0).round() as i64),
        note: i.note.clone(),
    })
}

/// Every road node a team must reach (points, risk sources) is connected to some depot.
fn check_reachability(
    checker: &mut Checker<'_>,
    raw: &RawScenario,
    road_nodes: &[RoadNode],
    roads: &[Road],
    depots: &[Depot],
    points: &[Point],
    sources: &[RiskSource],
) {
    if road_nodes.is_empty() {
        return;
    }
    let mut adjacent = vec![Vec::new(); road_nodes.len()];
    for road in roads {
        adjacent[road.from].push(road.to);
        adjacent[road.to].push(road.from);
    }
    let mut reached = vec![false; road_nodes.len()];
    let mut stack: Vec<usize> = depots.iter().map(|d| d.road_node).collect();
    while let Some(node) = stack.pop() {
        if std::mem::replace(&mut reached[node], true) {
            continue;
        }
        stack.extend(adjacent[node].iter().copied());
    }
    for (point, raw_point) in points.iter().zip(&raw.points) {
        if let (Some(node), Some(span)) = (point.road_node, raw_point.road_node.as_ref())
            && !reached[node]
        {
            checker.err(
                span.span(),
                format!(
                    "point `{}`: road node `{}` cannot be reached by road from any depot",
                    point.id, road_nodes[node].id
                ),
            );
        }
    }
    for (source, raw_source) in sources.iter().zip(&raw.risk_sources) {
        if !reached[source.road_node] {
            checker.err(
                raw_source.road_node.span(),
                format!(
                    "risk source `{}`: road node `{}` cannot be reached by road from any depot",
                    source.id, road_nodes[source.road_node].id
                ),
            );
        }
    }
}
