//! An incident's emergency monitoring plan (应急监测方案) as files, in the person's
//! language: what `run --plans` and `drill --plans` write as `plan-*.md` and the field
//! teams' sampling schedule `plan-*.csv`. The plan itself is the simulation library's data
//! (`MonitoringPlan`, its checklist and schedule rows); this module only words it.

use crate::i18n::{Lang, scenario_name};
use fluent_bundle::FluentValue;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use tripoint_sim::drill::text::{Arg, Text};
use tripoint_sim::equipment::{Catalogue, Instrument, Method};
use tripoint_sim::plan::layout::{Layer, Vertical};
use tripoint_sim::plan::{MonitoringPlan, PlanPoint, Role, SampleKind, checklist, lon_lat};
use tripoint_sim::response::level;
use tripoint_sim::scenario::{Location, Scenario};
use tripoint_sim::standards::{Gb3838, WaterClass};

/// The plan document. English is the text the simulation library writes
/// (`MonitoringPlan::to_markdown`, unchanged and checked by a test); Chinese is the
/// 应急监测方案 laid out as HJ 589-2021 asks (`hj589_markdown`).
pub fn plan_markdown(lang: Lang, scenario: &Scenario, plan: &MonitoringPlan) -> String {
    match lang {
        Lang::En => plan.to_markdown(scenario),
        Lang::ZhCn => hj589_markdown(lang, scenario, plan),
    }
}

/// The field teams' sampling schedule. English is the simulation library's CSV
/// (`MonitoringPlan::to_schedule_csv`); Chinese has the same columns and rows with Chinese
/// headers, kinds, names and yes/no (ids, clock labels, seconds and coordinates stay).
pub fn schedule_csv(lang: Lang, scenario: &Scenario, plan: &MonitoringPlan) -> String {
    match lang {
        Lang::En => plan.to_schedule_csv(scenario),
        Lang::ZhCn => translated_schedule_csv(lang, scenario, plan),
    }
}

/// One message with its arguments, each already formatted.
fn msg(lang: Lang, key: &str, args: &[(&str, String)]) -> String {
    let args: Vec<(&str, FluentValue<'_>)> = args.iter().map(|(k, v)| (*k, v.clone().into())).collect();
    lang.t_args(key, &args)
}

/// A plan point's name: a named point's name in the language, a generated point's from
/// its role (`-control`, `-site`, `-down-5km`, a lake cell, an outlet).
fn point_name(lang: Lang, scenario: &Scenario, p: &PlanPoint) -> String {
    if let Some(i) = p.point {
        let point = &scenario.points[i];
        return lang.name(&point.name, &point.name_zh).to_string();
    }
    let node_name = |n: usize| {
        lang.name(&scenario.nodes[n].name, &scenario.nodes[n].name_zh)
            .to_string()
    };
    match (p.role, p.location) {
        (Role::UpstreamControl, _) => lang.t("plandoc-name-control"),
        (Role::ReleaseSite, _) => lang.t("plandoc-name-site"),
        (Role::Downstream, _) => match p.id.rsplit_once("-down-").and_then(|(_, km)| km.strip_suffix("km")) {
            Some(km) => msg(lang, "plandoc-name-down", &[("km", km.to_string())]),
            None => p.name.clone(),
        },
        (Role::LakeFan, Location::LakeCell { node, cell }) => msg(
            lang,
            "plandoc-name-lake-cell",
            &[("lake", node_name(node)), ("cell", (cell + 1).to_string())],
        ),
        (Role::Outlet, Location::Reach { reach, .. }) => {
            let r = &scenario.reaches[reach];
            msg(
                lang,
                "plandoc-name-outlet",
                &[
                    ("lake", node_name(r.from)),
                    ("reach", lang.name(&r.name, &r.name_zh).to_string()),
                ],
            )
        }
        _ => p.name.clone(),
    }
}

/// A place on the network: the reach and its chainage, a node, or a lake's cell.
fn place(lang: Lang, scenario: &Scenario, location: Location) -> String {
    match location {
        Location::Reach { reach, chainage_m } => {
            let r = &scenario.reaches[reach];
            msg(
                lang,
                "plandoc-place-reach",
                &[
                    ("reach", lang.name(&r.name, &r.name_zh).to_string()),
                    ("chainage_m", format!("{chainage_m:.0}")),
                ],
            )
        }
        Location::Node(node) => lang
            .name(&scenario.nodes[node].name, &scenario.nodes[node].name_zh)
            .to_string(),
        Location::LakeCell { node, cell } => msg(
            lang,
            "plandoc-place-lake",
            &[
                (
                    "lake",
                    lang.name(&scenario.nodes[node].name, &scenario.nodes[node].name_zh)
                        .to_string(),
                ),
                ("cell", (cell + 1).to_string()),
            ],
        ),
    }
}

fn role_key(role: Role) -> &'static str {
    match role {
        Role::Intake => "plandoc-role-intake",
        Role::BorderSection => "plandoc-role-border_section",
        Role::ReleaseSite => "plandoc-role-release_site",
        Role::UpstreamControl => "plandoc-role-upstream_control",
        Role::Downstream => "plandoc-role-downstream",
        Role::LakeFan => "plandoc-role-lake_fan",
        Role::Outlet => "plandoc-role-outlet",
        Role::Section => "plandoc-role-section",
    }
}

fn kind_key(kind: SampleKind) -> &'static str {
    match kind {
        SampleKind::Water => "plandoc-kind-water",
        SampleKind::Sediment => "plandoc-kind-sediment",
        SampleKind::FieldBlank => "plandoc-kind-field_blank",
    }
}

fn verticals(lang: Lang, items: &[Vertical]) -> String {
    let words: Vec<String> = items
        .iter()
        .map(|v| {
            lang.t(match v {
                Vertical::Left => "plandoc-vertical-left",
                Vertical::Centre => "plandoc-vertical-centre",
                Vertical::Right => "plandoc-vertical-right",
            })
        })
        .collect();
    words.join(&lang.t("plandoc-list-separator"))
}

fn layers(lang: Lang, items: &[Layer]) -> String {
    let words: Vec<String> = items
        .iter()
        .map(|l| {
            lang.t(match l {
                Layer::Surface => "plandoc-layer-surface",
                Layer::Middle => "plandoc-layer-middle",
                Layer::Bottom => "plandoc-layer-bottom",
            })
        })
        .collect();
    words.join(&lang.t("plandoc-list-separator"))
}

fn yes_no(lang: Lang, value: bool) -> String {
    lang.t(if value { "plandoc-yes" } else { "plandoc-no" })
}

/// A water-quality class as the standard writes it (Ⅲ, 劣Ⅴ in Chinese).
fn class_label(lang: Lang, class: WaterClass) -> String {
    let roman = match (lang, class) {
        (Lang::ZhCn, WaterClass::I) => "Ⅰ",
        (Lang::ZhCn, WaterClass::II) => "Ⅱ",
        (Lang::ZhCn, WaterClass::III) => "Ⅲ",
        (Lang::ZhCn, WaterClass::IV) => "Ⅳ",
        (Lang::ZhCn, WaterClass::V) => "Ⅴ",
        (Lang::ZhCn, WaterClass::WorseThanV) => "劣Ⅴ",
        (Lang::En, WaterClass::I) => "I",
        (Lang::En, WaterClass::II) => "II",
        (Lang::En, WaterClass::III) => "III",
        (Lang::En, WaterClass::IV) => "IV",
        (Lang::En, WaterClass::V) => "V",
        (Lang::En, WaterClass::WorseThanV) => "worse than V",
    };
    msg(lang, "plandoc-class", &[("class", roman.to_string())])
}

/// The method standards (`HJ 700-2014`, `HJ/T 399-2007`, `GB 11889-89`) a catalogue
/// entry's `standard` text names for a pollutant: those of the `;`-separated parts that
/// mention it, else all of them.
pub fn standard_codes(standard: &str, pollutant_id: &str) -> Vec<String> {
    let codes_in = |part: &str| -> Vec<String> {
        let words: Vec<&str> = part.split_whitespace().collect();
        words
            .windows(2)
            .filter(|w| ["HJ", "HJ/T", "GB", "GB/T"].contains(&w[0]) && w[1].starts_with(|c: char| c.is_ascii_digit()))
            .map(|w| format!("{} {}", w[0], w[1].trim_end_matches([',', ';', ')'])))
            .collect()
    };
    let parts: Vec<&str> = standard.split(';').collect();
    let mentioning: Vec<String> = parts
        .iter()
        .filter(|part| part.to_lowercase().contains(&pollutant_id.to_lowercase()))
        .flat_map(|part| codes_in(part))
        .collect();
    if mentioning.is_empty() {
        parts.iter().flat_map(|part| codes_in(part)).collect()
    } else {
        mentioning
    }
}

/// What a method rests on, in the language: its standards, or that it is a field
/// instrument after a standard, or one with no national method (the catalogue marks its
/// assumptions).
fn method_basis(lang: Lang, instrument: &Instrument, pollutant_id: &str) -> String {
    let codes = standard_codes(&instrument.standard, pollutant_id);
    let separator = lang.t("plandoc-list-separator");
    if codes.is_empty() {
        lang.t("plandoc-method-basis-none")
    } else if instrument.standard.contains("assumption") {
        msg(
            lang,
            "plandoc-method-basis-after",
            &[("standard", codes.join(&separator))],
        )
    } else {
        codes.join(&separator)
    }
}

/// The plan as an 应急监测方案 (HJ 589-2021): the incident, the extent, the sections and
/// points, parameters, frequency, sampling times, methods and detection limits, the
/// evaluation standard (GB 3838-2002), teams, QA/QC, reporting and the checklist.
pub fn hj589_markdown(lang: Lang, scenario: &Scenario, plan: &MonitoringPlan) -> String {
    let mut out = String::new();
    let incident = &scenario.incidents[plan.incident];
    let pollutant = &scenario.pollutants[plan.pollutant];
    let pollutant_name = match lang {
        Lang::En => pollutant.name.clone(),
        Lang::ZhCn => scenario_name(lang, scenario, &pollutant.id),
    };
    let jurisdiction_name = |j: usize| {
        let x = &scenario.jurisdictions[j];
        lang.name(&x.name, &x.name_zh).to_string()
    };
    let title = msg(
        lang,
        "plandoc-incident",
        &[
            ("jurisdiction", jurisdiction_name(incident.jurisdiction)),
            ("pollutant", pollutant_name.clone()),
        ],
    );
    let names: Vec<String> = plan.points.iter().map(|p| point_name(lang, scenario, p)).collect();
    let separator = lang.t("plandoc-list-separator");

    let _ = writeln!(
        out,
        "{}\n",
        msg(
            lang,
            "plandoc-title",
            &[("incident", title.clone()), ("revision", plan.revision.to_string())]
        )
    );
    let _ = writeln!(
        out,
        "{}",
        msg(
            lang,
            "plandoc-issued",
            &[("issued", plan.issued_at.to_string()), ("ends", plan.end.to_string())]
        )
    );
    let approval = match &plan.approved {
        Some(a) => {
            // The seat that approves is the command's (`command`); another seat's id stays.
            let by = if a.by == "command" {
                lang.t("plandoc-seat-command")
            } else {
                a.by.clone()
            };
            msg(lang, "plandoc-approved", &[("by", by), ("at", a.at.to_string())])
        }
        None => lang.t("plandoc-proposed"),
    };
    let _ = writeln!(out, "{approval}\n");

    // 一、事件概况
    let [lon, lat] = lon_lat(scenario, incident.location);
    let _ = writeln!(out, "{}\n", lang.t("plandoc-overview"));
    let _ = writeln!(
        out,
        "{}",
        msg(
            lang,
            "plandoc-overview-event",
            &[
                ("incident", title.clone()),
                ("id", incident.id.clone()),
                ("place", place(lang, scenario, incident.location)),
                ("lon", format!("{lon:.5}")),
                ("lat", format!("{lat:.5}")),
                ("jurisdiction", jurisdiction_name(incident.jurisdiction)),
                ("start", incident.start.to_string()),
            ]
        )
    );
    let _ = writeln!(
        out,
        "{}",
        msg(
            lang,
            "plandoc-overview-pollutant",
            &[
                ("pollutant", pollutant_name.clone()),
                ("mass_kg", format!("{:.1}", plan.estimated_mass_kg)),
            ]
        )
    );
    let _ = writeln!(
        out,
        "{}\n",
        msg(
            lang,
            "plandoc-overview-level",
            &[("level", level::label(plan.response_level).to_string())]
        )
    );

    // 二、监测范围: from the control section (or the site) to the last point the plume
    // reaches, the jurisdictions of every point, and the forecast passage.
    let _ = writeln!(out, "{}\n", lang.t("plandoc-scope"));
    let first_idx = plan
        .points
        .iter()
        .position(|p| p.role == Role::UpstreamControl)
        .or_else(|| plan.points.iter().position(|p| p.role == Role::ReleaseSite))
        .unwrap_or(0);
    let last_idx = (0..plan.points.len())
        .filter(|&i| plan.points[i].forecast_arrival.is_some())
        .max_by_key(|&i| plan.points[i].forecast_arrival)
        .unwrap_or(first_idx);
    let mut jurisdictions: Vec<usize> = Vec::new();
    for p in &plan.points {
        if !jurisdictions.contains(&p.jurisdiction) {
            jurisdictions.push(p.jurisdiction);
        }
    }
    if !plan.points.is_empty() {
        let listed: Vec<String> = jurisdictions.iter().map(|&j| jurisdiction_name(j)).collect();
        let _ = writeln!(
            out,
            "{}",
            msg(
                lang,
                "plandoc-scope-reach",
                &[
                    ("from", names[first_idx].clone()),
                    ("to", names[last_idx].clone()),
                    ("jurisdictions", listed.join(&separator)),
                ]
            )
        );
    }
    let first = plan.points.iter().filter_map(|p| p.forecast_arrival).min();
    let last = plan.points.iter().filter_map(|p| p.forecast_passed).max();
    let passage = match (first, last) {
        (Some(first), Some(last)) => msg(
            lang,
            "plandoc-scope-time",
            &[("first", first.to_string()), ("last", last.to_string())],
        ),
        _ => lang.t("plandoc-scope-time-none"),
    };
    let _ = writeln!(out, "{passage}");
    let count = |role: Role| plan.points.iter().filter(|p| p.role == role).count();
    let _ = writeln!(
        out,
        "{}\n",
        msg(
            lang,
            "plandoc-scope-receptors",
            &[
                ("intakes", count(Role::Intake).to_string()),
                ("borders", count(Role::BorderSection).to_string()),
            ]
        )
    );

    // 三、监测断面（点位）布设
    let _ = writeln!(out, "{}\n", lang.t("plandoc-layout"));
    let _ = writeln!(out, "{}\n", lang.t("plandoc-layout-rules"));
    table_header(&mut out, &lang.t("plandoc-layout-header"));
    for (i, p) in plan.points.iter().enumerate() {
        let [lon, lat] = lon_lat(scenario, p.location);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {lon:.5} | {lat:.5} | {} | {} | {} | {} |",
            i + 1,
            names[i],
            p.id,
            lang.t(role_key(p.role)),
            place(lang, scenario, p.location),
            jurisdiction_name(p.jurisdiction),
            verticals(lang, &p.verticals),
            layers(lang, &p.layers),
            yes_no(lang, p.measure_flow),
        );
    }
    out.push('\n');

    // 四、监测项目
    let _ = writeln!(out, "{}\n", lang.t("plandoc-items"));
    let _ = writeln!(
        out,
        "{}",
        msg(
            lang,
            "plandoc-items-pollutant",
            &[("pollutant", pollutant_name.clone())]
        )
    );
    let gb = Gb3838::builtin();
    let routine: Vec<String> = plan
        .routine_parameters
        .iter()
        .map(|id| match (lang, gb.get(id)) {
            (Lang::ZhCn, Some(item)) => item.name_zh.clone(),
            (Lang::En, Some(item)) => item.name.clone(),
            (_, None) => id.clone(),
        })
        .collect();
    let _ = writeln!(
        out,
        "{}",
        msg(lang, "plandoc-items-routine", &[("items", routine.join(&separator))])
    );
    let sediment_key = if pollutant.sediment {
        "plandoc-items-sediment"
    } else {
        "plandoc-items-no-sediment"
    };
    let _ = writeln!(
        out,
        "{}\n",
        msg(lang, sediment_key, &[("pollutant", pollutant_name.clone())])
    );

    // 五、监测频次
    let _ = writeln!(out, "{}\n", lang.t("plandoc-frequency"));
    let _ = writeln!(
        out,
        "{}\n",
        msg(
            lang,
            "plandoc-frequency-rule",
            &[("rounds", plan.termination_rounds.to_string())]
        )
    );
    table_header(&mut out, &lang.t("plandoc-frequency-header"));
    let every = |minutes: i64| msg(lang, "plandoc-every", &[("minutes", minutes.to_string())]);
    let time = |t: Option<tripoint_sim::time::SimTime>| t.map_or("—".to_string(), |t| t.to_string());
    for (i, p) in plan.points.iter().enumerate() {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {:.4} | {} | {} |",
            names[i],
            time(p.forecast_arrival),
            time(p.forecast_passed),
            p.forecast_peak_mg_l,
            every(p.dense_interval.seconds() / 60),
            every(p.sparse_interval.seconds() / 60),
        );
    }
    out.push('\n');

    // 六、采样时间
    let _ = writeln!(out, "{}\n", lang.t("plandoc-times"));
    let _ = writeln!(out, "{}\n", lang.t("plandoc-times-note"));
    table_header(&mut out, &lang.t("plandoc-times-header"));
    for (i, p) in plan.points.iter().enumerate() {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            names[i],
            time(p.schedule.first().copied()),
            time(p.schedule.last().copied()),
            p.schedule.len(),
            p.duplicates.len(),
            p.sediment.len(),
        );
    }
    out.push('\n');

    // 七、分析方法及检出限
    let catalogue = Catalogue::builtin();
    let _ = writeln!(out, "{}\n", lang.t("plandoc-methods"));
    table_header(&mut out, &lang.t("plandoc-methods-header"));
    let method = catalogue.instrument(&plan.method);
    let confirmation = plan
        .qa
        .confirmation_method
        .as_deref()
        .and_then(|m| catalogue.instrument(m));
    let method_row = |out: &mut String, instrument: &Instrument, use_key: &str| {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            pollutant_name,
            lang.name(&instrument.name, &instrument.name_zh),
            method_basis(lang, instrument, &pollutant.id),
            instrument.detection_limit_mg_l,
            lang.t(use_key),
        );
    };
    if let Some(m) = method {
        let use_key = if m.method == Method::Field {
            "plandoc-method-field"
        } else {
            "plandoc-method-laboratory"
        };
        method_row(&mut out, m, use_key);
    }
    if let Some(c) = confirmation {
        method_row(&mut out, c, "plandoc-method-confirmation");
    }
    let detection_limit = method.map_or(f64::INFINITY, |m| m.detection_limit_mg_l);
    let sensitive = plan.points.iter().all(|p| detection_limit < p.limit_mg_l);
    let _ = writeln!(
        out,
        "\n{}\n",
        lang.t(if sensitive {
            "plandoc-methods-dl"
        } else {
            "plandoc-methods-dl-not"
        })
    );

    // 八、评价标准
    let _ = writeln!(out, "{}\n", lang.t("plandoc-standard"));
    let basis = match (pollutant.limit_override_mg_l, gb.get(&pollutant.standard_item)) {
        (None, Some(item)) => msg(
            lang,
            "plandoc-standard-gb",
            &[
                ("pollutant", pollutant_name.clone()),
                ("table", lang.t(&format!("plandoc-table-{}", item.table.clamp(1, 3)))),
            ],
        ),
        (limit, _) => msg(
            lang,
            "plandoc-standard-override",
            &[
                ("pollutant", pollutant_name.clone()),
                ("limit", limit.map_or("—".to_string(), |l| l.to_string())),
            ],
        ),
    };
    let _ = writeln!(out, "{basis}\n");
    table_header(&mut out, &lang.t("plandoc-standard-header"));
    for (i, p) in plan.points.iter().enumerate() {
        let class = p
            .point
            .map_or(scenario.settings.target_class, |i| scenario.points[i].target_class);
        let ratio = if p.limit_mg_l > 0.0 {
            msg(
                lang,
                "plandoc-times-limit",
                &[("times", format!("{:.1}", p.forecast_peak_mg_l / p.limit_mg_l))],
            )
        } else {
            "—".to_string()
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            names[i],
            class_label(lang, class),
            p.limit_mg_l,
            ratio
        );
    }
    out.push('\n');

    // 九、监测队伍与分工: by responsible jurisdiction and team, in the order they first
    // appear in the plan.
    let _ = writeln!(out, "{}\n", lang.t("plandoc-teams"));
    let _ = writeln!(out, "{}\n", lang.t("plandoc-teams-rule"));
    table_header(&mut out, &lang.t("plandoc-teams-header"));
    let mut owners: BTreeMap<(usize, Option<usize>), (usize, Vec<usize>)> = BTreeMap::new();
    for (i, p) in plan.points.iter().enumerate() {
        let first_seen = owners.len();
        owners
            .entry((p.jurisdiction, p.team))
            .or_insert((first_seen, Vec::new()))
            .1
            .push(i);
    }
    let mut owners: Vec<_> = owners.into_iter().collect();
    owners.sort_by_key(|(_, (order, _))| *order);
    for ((jurisdiction, team), (_, points)) in owners {
        let team = team.map_or(lang.t("plandoc-team-none"), |t| {
            lang.name(&scenario.teams[t].name, &scenario.teams[t].name_zh)
                .to_string()
        });
        let listed: Vec<String> = points.iter().map(|&i| names[i].clone()).collect();
        let samples: usize = points.iter().map(|&i| plan.points[i].schedule.len()).sum();
        let _ = writeln!(
            out,
            "| {} | {team} | {} | {samples} |",
            jurisdiction_name(jurisdiction),
            listed.join(&separator)
        );
    }
    out.push('\n');

    // 十、质量保证和质量控制
    let _ = writeln!(out, "{}\n", lang.t("plandoc-qa"));
    let _ = writeln!(
        out,
        "{}",
        msg(
            lang,
            "plandoc-qa-duplicates",
            &[("every", plan.qa.duplicate_every.to_string())]
        )
    );
    let _ = writeln!(
        out,
        "{}",
        msg(
            lang,
            "plandoc-qa-blanks",
            &[("count", plan.qa.field_blank_per_team_day.to_string())]
        )
    );
    if plan.qa.chain_of_custody {
        let _ = writeln!(out, "{}", lang.t("plandoc-qa-custody"));
    }
    let confirm = match confirmation {
        Some(c) => msg(
            lang,
            "plandoc-qa-confirm",
            &[
                ("every", plan.qa.confirm_every.to_string()),
                ("method", lang.name(&c.name, &c.name_zh).to_string()),
                ("standard", method_basis(lang, c, &pollutant.id)),
            ],
        ),
        None => lang.t("plandoc-qa-lab"),
    };
    let _ = writeln!(out, "{confirm}");
    let _ = writeln!(out, "{}\n", lang.t("plandoc-qa-basis"));

    // 十一、报告
    let _ = writeln!(out, "{}\n", lang.t("plandoc-report"));
    let _ = writeln!(
        out,
        "{}",
        msg(
            lang,
            "plandoc-report-express",
            &[
                ("minutes", (plan.express_report_every.seconds() / 60).to_string()),
                ("first", (plan.issued_at + plan.express_report_every).to_string()),
            ]
        )
    );
    let _ = writeln!(out, "{}\n", lang.t("plandoc-report-revision"));

    // 附：HJ 589-2021 方案核查
    let _ = writeln!(out, "{}\n", lang.t("plandoc-checklist"));
    table_header(&mut out, &lang.t("plandoc-checklist-header"));
    for check in checklist::check(scenario, plan) {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            lang.t(&format!("plandoc-check-{}", check.item)),
            lang.t(&format!("plandoc-check-{}-req", check.item)),
            lang.t(if check.met { "plandoc-met" } else { "plandoc-not-met" }),
            findings(lang, scenario, plan, &check).replace('|', "/"),
        );
    }
    let _ = writeln!(out, "\n{}", lang.t("plandoc-checklist-note"));
    out
}

/// A checklist item's findings in the language, joined as `detail` joins them (English is
/// `detail`'s text: a test compares them).
pub fn findings(lang: Lang, scenario: &Scenario, plan: &MonitoringPlan, check: &checklist::Check) -> String {
    let said: Vec<String> = check
        .findings
        .iter()
        .map(|text| finding(lang, scenario, plan, text))
        .collect();
    said.join(match lang {
        Lang::En => "; ",
        Lang::ZhCn => "；",
    })
}

/// One finding: points by their name in the plan, methods by the catalogue's name,
/// reaches, lakes and pollutants by the scenario's.
fn finding(lang: Lang, scenario: &Scenario, plan: &MonitoringPlan, text: &Text) -> String {
    let arg = |arg: &Arg| -> String {
        match arg {
            Arg::Name(id) if lang == Lang::En => id.clone(),
            Arg::Name(id) => {
                if let Some(p) = plan.points.iter().chain(&plan.others).find(|p| &p.id == id) {
                    point_name(lang, scenario, p)
                } else if let Some(instrument) = Catalogue::builtin().instrument(id) {
                    lang.name(&instrument.name, &instrument.name_zh).to_string()
                } else {
                    scenario_name(lang, scenario, id)
                }
            }
            Arg::Plain(text) => text.clone(),
            Arg::Text(inner) => finding(lang, scenario, plan, inner),
            other => format!("{other:?}"),
        }
    };
    let args: Vec<(&str, FluentValue<'_>)> = text
        .args
        .iter()
        .map(|(name, value)| (*name, FluentValue::from(arg(value))))
        .collect();
    lang.t_args(text.id, &args)
}

/// A table's header row (a message) and its separator row.
fn table_header(out: &mut String, header: &str) {
    let columns = header.matches('|').count().saturating_sub(1);
    let _ = writeln!(out, "{header}\n|{}", "---|".repeat(columns));
}

/// The sampling schedule with the language's header and words: the rows and columns of
/// `MonitoringPlan::to_schedule_csv`.
fn translated_schedule_csv(lang: Lang, scenario: &Scenario, plan: &MonitoringPlan) -> String {
    let catalogue = Catalogue::builtin();
    let pollutant = scenario_name(lang, scenario, &scenario.pollutants[plan.pollutant].id);
    let method = catalogue
        .instrument(&plan.method)
        .map_or(plan.method.clone(), |m| lang.name(&m.name, &m.name_zh).to_string());
    let mut out = lang.t("plandoc-csv-header");
    out.push('\n');
    for row in plan.schedule_rows() {
        let p = row.point;
        let [lon, lat] = lon_lat(scenario, p.location);
        let fields = [
            row.due.seconds().to_string(),
            row.due.to_string(),
            lang.t(kind_key(row.kind)),
            p.id.clone(),
            p.name.clone(),
            point_name(lang, scenario, p),
            lang.t(role_key(p.role)),
            scenario_name(lang, scenario, &scenario.jurisdictions[p.jurisdiction].id),
            p.team
                .map_or(String::new(), |t| scenario_name(lang, scenario, &scenario.teams[t].id)),
            p.road_node.map_or(String::new(), |n| scenario.road_nodes[n].id.clone()),
            format!("{lon:.5}"),
            format!("{lat:.5}"),
            pollutant.clone(),
            method.clone(),
            p.limit_mg_l.to_string(),
            p.forecast_arrival.map_or(String::new(), |t| t.seconds().to_string()),
            verticals(lang, &p.verticals),
            layers(lang, &p.layers),
            row.bottles.to_string(),
            yes_no(lang, row.measure_flow),
            yes_no(lang, row.duplicate),
        ];
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}

/// One CSV field, quoted where it holds a comma, a quote or a line break (RFC 4180).
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests;
