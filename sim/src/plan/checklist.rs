//! The HJ 589-2021 checklist of a monitoring plan: what the standard asks a plan to hold,
//! checked against the plan itself and the scenario, independently of how the plan was
//! generated (so an edited plan, or one from another tool, is checked the same way).

use super::layout::{self, Layer, Vertical};
use super::{MonitoringPlan, Role, lake_of};
use crate::drill::text::{Arg, Text};
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
    /// What was found, in English: the points that fail, or what makes it pass (the
    /// findings' English, joined by `; `).
    pub detail: String,
    /// The same findings as data, for a document in another language: a message id and
    /// its arguments (`tui/locales/*/plan.ftl`, the `hj589-` messages; points, reaches,
    /// lakes and pollutants by id, methods by the catalogue's id). Not in the plan's JSON,
    /// which keeps `detail` only.
    #[serde(skip)]
    pub findings: Vec<Text>,
}

/// One finding: its English, as `detail` has always written it, and the same as data.
struct Found {
    english: String,
    text: Text,
}

fn found(english: String, id: &'static str, args: Vec<(&'static str, Arg)>) -> Found {
    Found {
        english,
        text: Text::new(id, args),
    }
}

/// A number as `detail` writes it (`{}` of the value).
fn number(value: impl std::fmt::Display) -> Arg {
    Arg::Plain(value.to_string())
}

impl Check {
    fn new(item: &'static str, requirement: &'static str, failures: Vec<Found>, passing: Found) -> Check {
        let met = failures.is_empty();
        let findings = if met { vec![passing] } else { failures };
        Check {
            item,
            requirement,
            met,
            detail: findings
                .iter()
                .map(|f| f.english.as_str())
                .collect::<Vec<_>>()
                .join("; "),
            findings: findings.into_iter().map(|f| f.text).collect(),
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
            vec![found(
                "no upstream control section".into(),
                "hj589-control-missing",
                vec![],
            )]
        } else {
            vec![]
        },
        if has_upstream {
            let n = count(Role::UpstreamControl);
            found(
                format!("{n} control section(s)"),
                "hj589-control-count",
                vec![("count", number(n))],
            )
        } else {
            found(
                "nothing flows into the release's place: no control section possible".into(),
                "hj589-control-impossible",
                vec![],
            )
        },
    ));
    out.push(Check::new(
        "site",
        "a point at the release site",
        if count(Role::ReleaseSite) == 0 {
            vec![found(
                "no point at the release site".into(),
                "hj589-site-missing",
                vec![],
            )]
        } else {
            vec![]
        },
        found("release site sampled".into(), "hj589-site-sampled", vec![]),
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
            vec![found(
                "no downstream section".into(),
                "hj589-downstream-missing",
                vec![],
            )]
        } else if farthest_km < 10.0 {
            vec![found(
                format!("the farthest downstream section is {farthest_km} km below the release"),
                "hj589-downstream-near",
                vec![("km", number(farthest_km))],
            )]
        } else {
            vec![]
        },
        found(
            format!(
                "{} downstream section(s), the farthest {farthest_km} km below",
                count(Role::Downstream)
            ),
            "hj589-downstream-count",
            vec![("count", number(count(Role::Downstream))), ("km", number(farthest_km))],
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
        let missed: Vec<Found> = plan
            .others
            .iter()
            .filter(|p| p.point.is_some_and(|i| scenario.points[i].kind == kind))
            .filter(|p| p.forecast_arrival.is_some())
            .map(|p| {
                found(
                    format!("{} is reached but not sampled", p.id),
                    "hj589-reached-not-sampled",
                    vec![("point", Arg::name(&p.id))],
                )
            })
            .collect();
        let covered = plan
            .points
            .iter()
            .filter(|p| p.point.is_some_and(|i| scenario.points[i].kind == kind))
            .count();
        out.push(Check::new(
            item,
            requirement,
            missed,
            found(
                format!("{covered} in the plan"),
                "hj589-in-plan",
                vec![("count", number(covered))],
            ),
        ));
    }
    // Verticals across wide rivers, layers in deep water (HJ/T 91-2002).
    let mut wrong_verticals = Vec::new();
    let mut wrong_layers = Vec::new();
    for p in &plan.points {
        let (width, depth) = layout::section_at(scenario, p.location);
        let needed = layout::verticals_for(layout::lateral_width(p.role, width)).len();
        if p.verticals.len() < needed {
            let width_m = format!("{:.0}", width.unwrap_or(0.0));
            wrong_verticals.push(found(
                format!("{}: {} vertical(s) across {width_m} m", p.id, p.verticals.len()),
                "hj589-verticals-few",
                vec![
                    ("point", Arg::name(&p.id)),
                    ("count", number(p.verticals.len())),
                    ("width_m", Arg::Plain(width_m)),
                ],
            ));
        }
        let needed = layout::layers_for(depth).len();
        if p.layers.len() < needed || !p.layers.contains(&Layer::Surface) {
            wrong_layers.push(found(
                format!("{}: {} layer(s) in {depth:.1} m", p.id, p.layers.len()),
                "hj589-layers-few",
                vec![
                    ("point", Arg::name(&p.id)),
                    ("count", number(p.layers.len())),
                    ("depth_m", Arg::Plain(format!("{depth:.1}"))),
                ],
            ));
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
        found(
            format!("{three} point(s) with three verticals"),
            "hj589-verticals-three",
            vec![("count", number(three))],
        ),
    ));
    out.push(Check::new(
        "layers",
        "layers by depth: surface ≤ 5 m, surface and bottom ≤ 10 m, three above",
        wrong_layers,
        found("every point's layers fit its depth".into(), "hj589-layers-fit", vec![]),
    ));
    // Lakes: points around the release and at every outlet.
    let mut lake_failures = Vec::new();
    let mut lake_detail = found("not a lake release".into(), "hj589-lake-not", vec![]);
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
                let lake_id = &scenario.nodes[lake].id;
                lake_failures.push(found(
                    format!("no point in cell {} of {lake_id}", cell + 1),
                    "hj589-lake-cell-missing",
                    vec![("cell", number(cell + 1)), ("lake", Arg::name(lake_id))],
                ));
            }
        }
        for (r, reach) in scenario.reaches.iter().enumerate().filter(|(_, r)| r.from == lake) {
            let covered = plan.points.iter().any(|p| {
                    matches!(p.location, Location::Reach { reach, chainage_m } if reach == r && chainage_m <= super::OUTLET_NEAR_M)
                });
            if !covered {
                lake_failures.push(found(
                    format!("no point at the outlet into {}", reach.id),
                    "hj589-lake-outlet-missing",
                    vec![("reach", Arg::name(&reach.id))],
                ));
            }
        }
        lake_detail = found(
            format!("{n_cells} cell(s) and every outlet sampled"),
            "hj589-lake-covered",
            vec![("count", number(n_cells))],
        );
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
            .map(|p| {
                found(
                    format!("{}: no flow measurement", p.id),
                    "hj589-flow-missing",
                    vec![("point", Arg::name(&p.id))],
                )
            })
            .collect(),
        {
            let n = plan.points.iter().filter(|p| p.measure_flow).count();
            found(
                format!("flow at {n} section(s)"),
                "hj589-flow-count",
                vec![("count", number(n))],
            )
        },
    ));
    let pollutant = &scenario.pollutants[plan.pollutant];
    out.push(Check::new(
        "sediment",
        "sediment samples where the pollutant binds to sediment",
        if pollutant.sediment {
            plan.points
                .iter()
                .filter(|p| matches!(p.role, Role::ReleaseSite | Role::Downstream) && p.sediment.is_empty())
                .map(|p| {
                    found(
                        format!("{}: no sediment sample", p.id),
                        "hj589-sediment-missing",
                        vec![("point", Arg::name(&p.id))],
                    )
                })
                .collect()
        } else {
            vec![]
        },
        if pollutant.sediment {
            let n = plan.points.iter().map(|p| p.sediment.len()).sum::<usize>();
            found(
                format!("{n} sediment sample(s)"),
                "hj589-sediment-count",
                vec![("count", number(n))],
            )
        } else {
            found(
                format!("{} does not bind to sediment", pollutant.id),
                "hj589-sediment-not-binding",
                vec![("pollutant", Arg::name(&pollutant.id))],
            )
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
            .map(|p| {
                found(
                    format!("{}: detection limit {dl} mg/L, limit {} mg/L", p.id, p.limit_mg_l),
                    "hj589-method-above-limit",
                    vec![
                        ("point", Arg::name(&p.id)),
                        ("detection_limit", number(dl)),
                        ("limit", number(p.limit_mg_l)),
                    ],
                )
            })
            .collect(),
        found(
            format!("`{}`, detection limit {dl} mg/L", plan.method),
            "hj589-method-ok",
            vec![("method", Arg::name(&plan.method)), ("detection_limit", number(dl))],
        ),
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
            (true, None) => vec![found(
                "a field method without laboratory confirmation".into(),
                "hj589-confirmation-missing",
                vec![],
            )],
            (true, Some(c)) if c.method != Method::Laboratory => vec![found(
                format!("{} is not a laboratory method", c.id),
                "hj589-confirmation-not-laboratory",
                vec![("method", Arg::name(&c.id))],
            )],
            (true, Some(_)) => vec![],
        },
        match confirmation {
            Some(c) => found(
                format!(
                    "`{}` confirms over-limit, inconclusive and first results and one in {}",
                    c.id, plan.qa.confirm_every
                ),
                "hj589-confirmation-ok",
                vec![("method", Arg::name(&c.id)), ("every", number(plan.qa.confirm_every))],
            ),
            None => found(
                "a laboratory method: no confirmation needed".into(),
                "hj589-confirmation-not-needed",
                vec![],
            ),
        },
    ));
    let mut qa_failures: Vec<Found> = plan
        .points
        .iter()
        .filter(|p| !p.schedule.is_empty() && p.duplicates.is_empty())
        .map(|p| {
            found(
                format!("{}: no duplicate", p.id),
                "hj589-qa-no-duplicate",
                vec![("point", Arg::name(&p.id))],
            )
        })
        .collect();
    if !plan.qa.chain_of_custody {
        qa_failures.push(found("no chain of custody".into(), "hj589-qa-no-custody", vec![]));
    }
    if plan.qa.field_blank_per_team_day == 0 {
        qa_failures.push(found("no field blanks".into(), "hj589-qa-no-blanks", vec![]));
    }
    out.push(Check::new(
        "qa_qc",
        "QA/QC: duplicates, field blanks, chain of custody",
        qa_failures,
        found(
            format!(
                "a duplicate in every {} samples at each point, {} field blank per team and day, chain of custody",
                plan.qa.duplicate_every, plan.qa.field_blank_per_team_day
            ),
            "hj589-qa-ok",
            vec![
                ("every", number(plan.qa.duplicate_every)),
                ("blanks", number(plan.qa.field_blank_per_team_day)),
            ],
        ),
    ));
    out.push(Check::new(
        "owners",
        "an owner (jurisdiction and team) for every point",
        plan.points
            .iter()
            .filter(|p| p.team.is_none() && p.road_node.is_some())
            .map(|p| {
                found(
                    format!("{}: no team", p.id),
                    "hj589-owners-no-team",
                    vec![("point", Arg::name(&p.id))],
                )
            })
            .collect(),
        found(
            "every point reachable by road has a team".into(),
            "hj589-owners-ok",
            vec![],
        ),
    ));
    out.push(Check::new(
        "express_reports",
        "an express report (快报) after each sampling round",
        if plan.express_report_every > scenario.operations.dense_interval {
            let (report_min, round_min) = (
                plan.express_report_every.seconds() / 60,
                scenario.operations.dense_interval.seconds() / 60,
            );
            vec![found(
                format!("express reports every {report_min} min, rounds every {round_min} min"),
                "hj589-express-slower",
                vec![("report_min", number(report_min)), ("round_min", number(round_min))],
            )]
        } else {
            vec![]
        },
        {
            let minutes = plan.express_report_every.seconds() / 60;
            found(
                format!("every {minutes} min"),
                "hj589-express-every",
                vec![("minutes", number(minutes))],
            )
        },
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
