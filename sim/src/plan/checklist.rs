//! The HJ 589-2021 checklist of a monitoring plan: what the standard asks a plan to hold,
//! checked against the plan itself and the scenario, independently of how the plan was
//! generated (so an edited plan, or one from another tool, is checked the same way).

use super::layout::{self, Layer, Vertical};
use super::{MonitoringPlan, Role, lake_of};
use crate::equipment::{Catalogue, Method};
use crate::scenario::{Location, NodeKind, PointKind, Scenario};
use serde::Serialize;
use std::fmt::Write as _;

/// One requirement of the checklist and whether the plan meets it.
#[derive(Clone, Debug, Serialize)]
pub struct Check {
    /// Short name: `control`, `site`, `downstream`, `intakes`, `border_sections`,
    /// `verticals`, `layers`, `lake`, `flow`, `sediment`, `method`, `confirmation`, `qa_qc`,
    /// `owners`, `express_reports`.
    pub item: &'static str,
    /// What HJ 589 (or HJ/T 91, which it refers to) asks.
    pub requirement: &'static str,
    pub met: bool,
    /// What was found: the points that fail, or what makes it pass.
    pub detail: String,
}

impl Check {
    fn new(item: &'static str, requirement: &'static str, failures: Vec<String>, passing: String) -> Check {
        Check {
            item,
            requirement,
            met: failures.is_empty(),
            detail: if failures.is_empty() {
                passing
            } else {
                failures.join("; ")
            },
        }
    }
}

/// Checks a plan against HJ 589-2021. Every item is always listed.
pub fn check(scenario: &Scenario, plan: &MonitoringPlan) -> Vec<Check> {
    let incident = &scenario.incidents[plan.incident];
    let count = |role: Role| plan.points.iter().filter(|p| p.role == role).count();
    let mut out = Vec::new();

    // Control section upstream: unless nothing flows into the release's place.
    let has_upstream = match incident.location {
        Location::Reach { .. } => true,
        Location::Node(n) | Location::LakeCell { node: n, .. } => scenario.reaches.iter().any(|r| r.to == n),
    };
    out.push(Check::new(
        "control",
        "a control (background) section upstream of the release",
        if has_upstream && count(Role::UpstreamControl) == 0 {
            vec!["no upstream control section".into()]
        } else {
            vec![]
        },
        if has_upstream {
            format!("{} control section(s)", count(Role::UpstreamControl))
        } else {
            "nothing flows into the release's place: no control section possible".into()
        },
    ));
    out.push(Check::new(
        "site",
        "a point at the release site",
        if count(Role::ReleaseSite) == 0 {
            vec!["no point at the release site".into()]
        } else {
            vec![]
        },
        "release site sampled".into(),
    ));
    // Downstream sections: the plan's distances, one of them at least 10 km below.
    let farthest_km = scenario
        .operations
        .downstream_sections_m
        .iter()
        .fold(0.0_f64, |a, b| a.max(*b))
        / 1000.0;
    out.push(Check::new(
        "downstream",
        "sections at set distances downstream, one at least 10 km below (HJ/T 91)",
        if count(Role::Downstream) == 0 && !matches!(incident.location, Location::LakeCell { .. }) {
            vec!["no downstream section".into()]
        } else if farthest_km < 10.0 {
            vec![format!(
                "the farthest downstream section is {farthest_km} km below the release"
            )]
        } else {
            vec![]
        },
        format!(
            "{} downstream section(s), the farthest {farthest_km} km below",
            count(Role::Downstream)
        ),
    ));
    // Every intake and border section the forecast plume reaches is in the plan.
    for (item, kind, requirement) in [
        (
            "intakes",
            PointKind::Intake,
            "every drinking-water intake the plume reaches (mandatory)",
        ),
        (
            "border_sections",
            PointKind::BorderSection,
            "every border section the plume reaches",
        ),
    ] {
        let missed: Vec<String> = plan
            .others
            .iter()
            .filter(|p| p.point.is_some_and(|i| scenario.points[i].kind == kind))
            .filter(|p| p.forecast_arrival.is_some())
            .map(|p| format!("{} is reached but not sampled", p.id))
            .collect();
        let covered = plan
            .points
            .iter()
            .filter(|p| p.point.is_some_and(|i| scenario.points[i].kind == kind))
            .count();
        out.push(Check::new(item, requirement, missed, format!("{covered} in the plan")));
    }
    // Verticals across wide rivers, layers in deep water (HJ/T 91-2002).
    let mut wrong_verticals = Vec::new();
    let mut wrong_layers = Vec::new();
    for p in &plan.points {
        let (width, depth) = layout::section_at(scenario, p.location);
        let needed = layout::verticals_for(layout::lateral_width(p.role, width)).len();
        if p.verticals.len() < needed {
            wrong_verticals.push(format!(
                "{}: {} vertical(s) across {:.0} m",
                p.id,
                p.verticals.len(),
                width.unwrap_or(0.0)
            ));
        }
        let needed = layout::layers_for(depth).len();
        if p.layers.len() < needed || !p.layers.contains(&Layer::Surface) {
            wrong_layers.push(format!("{}: {} layer(s) in {depth:.1} m", p.id, p.layers.len()));
        }
    }
    let three = plan
        .points
        .iter()
        .filter(|p| p.verticals.contains(&Vertical::Centre) && p.verticals.len() == 3)
        .count();
    out.push(Check::new(
        "verticals",
        "left/centre/right verticals by river width: one ≤ 50 m, two ≤ 100 m, three above (an intake: at its mouth)",
        wrong_verticals,
        format!("{three} point(s) with three verticals"),
    ));
    out.push(Check::new(
        "layers",
        "layers by depth: surface ≤ 5 m, surface and bottom ≤ 10 m, three above",
        wrong_layers,
        "every point's layers fit its depth".into(),
    ));
    // Lakes: points around the release and at every outlet.
    let mut lake_failures = Vec::new();
    let mut lake_detail = "not a lake release".to_string();
    if let Some(lake) = lake_of(scenario, incident.location)
        && let NodeKind::Lake { n_cells, .. } = scenario.nodes[lake].kind
    {
        for cell in 0..n_cells {
            let covered = plan.points.iter().any(|p| match p.location {
                Location::LakeCell { node, cell: c } => node == lake && c == cell,
                Location::Node(node) => node == lake && n_cells == 1,
                _ => false,
            });
            if !covered {
                lake_failures.push(format!("no point in cell {} of {}", cell + 1, scenario.nodes[lake].id));
            }
        }
        for (r, reach) in scenario.reaches.iter().enumerate().filter(|(_, r)| r.from == lake) {
            let covered = plan.points.iter().any(|p| {
                    matches!(p.location, Location::Reach { reach, chainage_m } if reach == r && chainage_m <= super::OUTLET_NEAR_M)
                });
            if !covered {
                lake_failures.push(format!("no point at the outlet into {}", reach.id));
            }
        }
        lake_detail = format!("{n_cells} cell(s) and every outlet sampled");
    }
    out.push(Check::new(
        "lake",
        "a lake release: points around the release along the flow and at the lake's outlets",
        lake_failures,
        lake_detail,
    ));
    out.push(Check::new(
        "flow",
        "flow measured at the control and border sections",
        plan.points
            .iter()
            .filter(|p| layout::measures_flow(p.role) && !p.measure_flow)
            .map(|p| format!("{}: no flow measurement", p.id))
            .collect(),
        format!(
            "flow at {} section(s)",
            plan.points.iter().filter(|p| p.measure_flow).count()
        ),
    ));
    let pollutant = &scenario.pollutants[plan.pollutant];
    out.push(Check::new(
        "sediment",
        "sediment samples where the pollutant binds to sediment",
        if pollutant.sediment {
            plan.points
                .iter()
                .filter(|p| matches!(p.role, Role::ReleaseSite | Role::Downstream) && p.sediment.is_empty())
                .map(|p| format!("{}: no sediment sample", p.id))
                .collect()
        } else {
            vec![]
        },
        if pollutant.sediment {
            format!(
                "{} sediment sample(s)",
                plan.points.iter().map(|p| p.sediment.len()).sum::<usize>()
            )
        } else {
            format!("{} does not bind to sediment", pollutant.id)
        },
    ));
    // The method sees below every limit it is judged against.
    let catalogue = Catalogue::builtin();
    let method = catalogue.instrument(&plan.method);
    let dl = method.map_or(f64::INFINITY, |m| m.detection_limit_mg_l);
    out.push(Check::new(
        "method",
        "a method whose detection limit is below the limit at every point",
        plan.points
            .iter()
            .filter(|p| dl >= p.limit_mg_l)
            .map(|p| format!("{}: detection limit {dl} mg/L, limit {} mg/L", p.id, p.limit_mg_l))
            .collect(),
        format!("`{}`, detection limit {dl} mg/L", plan.method),
    ));
    let confirmation = plan
        .qa
        .confirmation_method
        .as_deref()
        .and_then(|m| catalogue.instrument(m));
    let field = method.is_some_and(|m| m.method == Method::Field);
    out.push(Check::new(
        "confirmation",
        "field results confirmed by a laboratory method",
        match (field, confirmation) {
            (false, _) => vec![],
            (true, None) => vec!["a field method without laboratory confirmation".into()],
            (true, Some(c)) if c.method != Method::Laboratory => vec![format!("{} is not a laboratory method", c.id)],
            (true, Some(_)) => vec![],
        },
        match confirmation {
            Some(c) => format!(
                "`{}` confirms over-limit, inconclusive and first results and one in {}",
                c.id, plan.qa.confirm_every
            ),
            None => "a laboratory method: no confirmation needed".into(),
        },
    ));
    let mut qa_failures: Vec<String> = plan
        .points
        .iter()
        .filter(|p| !p.schedule.is_empty() && p.duplicates.is_empty())
        .map(|p| format!("{}: no duplicate", p.id))
        .collect();
    if !plan.qa.chain_of_custody {
        qa_failures.push("no chain of custody".into());
    }
    if plan.qa.field_blank_per_team_day == 0 {
        qa_failures.push("no field blanks".into());
    }
    out.push(Check::new(
        "qa_qc",
        "QA/QC: duplicates, field blanks, chain of custody",
        qa_failures,
        format!(
            "a duplicate in every {} samples at each point, {} field blank per team and day, chain of custody",
            plan.qa.duplicate_every, plan.qa.field_blank_per_team_day
        ),
    ));
    out.push(Check::new(
        "owners",
        "an owner (jurisdiction and team) for every point",
        plan.points
            .iter()
            .filter(|p| p.team.is_none() && p.road_node.is_some())
            .map(|p| format!("{}: no team", p.id))
            .collect(),
        "every point reachable by road has a team".into(),
    ));
    out.push(Check::new(
        "express_reports",
        "an express report (快报) after each sampling round",
        if plan.express_report_every > scenario.operations.dense_interval {
            vec![format!(
                "express reports every {} min, rounds every {} min",
                plan.express_report_every.seconds() / 60,
                scenario.operations.dense_interval.seconds() / 60
            )]
        } else {
            vec![]
        },
        format!("every {} min", plan.express_report_every.seconds() / 60),
    ));
    out
}

/// The checklist as a Markdown table.
pub fn to_markdown(checks: &[Check]) -> String {
    let mut out = String::from("| HJ 589 item | requirement | met | detail |\n|---|---|---|---|\n");
    for c in checks {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            c.item,
            c.requirement,
            if c.met { "yes" } else { "**no**" },
            c.detail.replace('|', "/")
        );
    }
    out
}
