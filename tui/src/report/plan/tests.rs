//! The plan files in both languages: English is the simulation library's text, byte for
//! byte; Chinese is an 应急监测方案 with the HJ 589 sections and terms and no English
//! sentence left; the Chinese schedule has the English one's rows and columns.

use super::*;
use crate::i18n::english_phrases;
use std::sync::Arc;

/// Every plan revision of the two-incident exercise run to its end (unified dispatch,
/// seed 0): a river release on the Taipu (antimony) and a tanker spill by an intake
/// (aniline), each revised once.
fn exercise() -> (Arc<Scenario>, Vec<MonitoringPlan>) {
    let drill = Arc::new(crate::commands::drill::load_drill("two-incidents").expect("shipped drill"));
    let config = tripoint_sim::drill::DrillConfig {
        policy: tripoint_sim::response::dispatch::PolicyKind::Unified,
        seed: 0,
        journal: false,
        human_seats: Vec::new(),
    };
    let mut session = tripoint_sim::drill::Session::new(drill.clone(), &config).expect("session");
    session.advance_to(drill.start + drill.duration).expect("runs");
    let state = session.world().resource::<tripoint_sim::response::ResponseState>();
    (drill.scenario.clone(), state.plan_history.clone())
}

#[test]
fn english_plan_files_are_the_simulation_library_s_text() {
    let (scenario, plans) = exercise();
    assert!(plans.len() >= 2, "{} plans", plans.len());
    for plan in &plans {
        assert_eq!(plan_markdown(Lang::En, &scenario, plan), plan.to_markdown(&scenario));
        assert_eq!(schedule_csv(Lang::En, &scenario, plan), plan.to_schedule_csv(&scenario));
    }
}

#[test]
fn a_chinese_plan_is_an_hj589_monitoring_plan_with_no_english_sentence() {
    let (scenario, plans) = exercise();
    for plan in &plans {
        let text = plan_markdown(Lang::ZhCn, &scenario, plan);
        // HJ 589-2021's sections of a plan, in its order.
        let sections = [
            "应急监测方案",
            "事件概况",
            "监测范围",
            "监测断面（点位）布设",
            "监测项目",
            "监测频次",
            "采样时间",
            "分析方法及检出限",
            "评价标准",
            "监测队伍与分工",
            "质量保证和质量控制",
            "报告",
            "方案核查",
        ];
        let mut from = 0;
        for section in sections {
            let at = text[from..]
                .find(section)
                .unwrap_or_else(|| panic!("{section} missing or out of order in\n{text}"));
            from += at + section.len();
        }
        for term in [
            "对照断面",
            "控制断面",
            "饮用水水源地取水口",
            "跨界断面",
            "GB 3838-2002",
            "单因子评价法",
            "超标倍数",
            "水质目标",
            "检出限",
            "平行样",
            "全程序空白",
            "样品流转单",
            "应急监测快报",
            "里程",
        ] {
            assert!(text.contains(term), "{term} missing in\n{text}");
        }
        let english = english_phrases(&text);
        assert!(english.is_empty(), "untranslated: {english:?}\n{text}");
        // Every point is in the layout table, by id.
        for p in &plan.points {
            assert!(text.contains(&format!("| {} |", p.id)), "{} missing", p.id);
        }
    }
    // The antimony plan: names, the standard's table 3, the laboratory confirmation.
    let antimony = plans
        .iter()
        .find(|p| p.incident_id == "wujiang_antimony")
        .expect("plan");
    let text = plan_markdown(Lang::ZhCn, &scenario, antimony);
    for expected in [
        "锑",
        "金泽水库取水口",
        "吴江区",
        "表 3 集中式生活饮用水地表水源地特定",
        "事发点上游对照断面",
    ] {
        assert!(text.contains(expected), "{expected} missing in\n{text}");
    }
    let aniline = plans
        .iter()
        .find(|p| p.incident_id == "jiashan_aniline_tanker")
        .expect("plan");
    let text = plan_markdown(Lang::ZhCn, &scenario, aniline);
    for expected in [
        "苯胺",
        "苯胺快速检测试剂盒",
        "参照 GB 11889-89",
        "事发点下游 10 km 断面",
        "实验室确认",
    ] {
        assert!(text.contains(expected), "{expected} missing in\n{text}");
    }
}

#[test]
fn the_chinese_schedule_has_the_english_rows_and_columns_in_chinese() {
    let (scenario, plans) = exercise();
    for plan in &plans {
        let en = schedule_csv(Lang::En, &scenario, plan);
        let zh = schedule_csv(Lang::ZhCn, &scenario, plan);
        assert_eq!(en.lines().count(), zh.lines().count());
        let header: Vec<&str> = zh.lines().next().unwrap().split(',').collect();
        assert_eq!(header.len(), en.lines().next().unwrap().split(',').count());
        assert_eq!(header[..4], ["计划时间_秒", "计划时间", "样品类型", "点位编号"]);
        for (en_row, zh_row) in en.lines().zip(zh.lines()).skip(1) {
            let (en_cells, zh_cells) = (cells(en_row), cells(zh_row));
            assert_eq!(en_cells.len(), zh_cells.len(), "{zh_row}");
            // Seconds, clock, point id, road node and coordinates are the same.
            for column in [0, 1, 3, 9, 10, 11, 14, 15, 18] {
                assert_eq!(en_cells[column], zh_cells[column], "column {column}: {zh_row}");
            }
            let kind = match en_cells[2].as_str() {
                "water" => "水样",
                "sediment" => "沉积物样",
                _ => "现场空白样",
            };
            assert_eq!(zh_cells[2], kind);
            assert!(["是", "否"].contains(&zh_cells[19].as_str()) && ["是", "否"].contains(&zh_cells[20].as_str()));
            // Everything but the English-name column is Chinese or an id.
            let mut rest = zh_cells.clone();
            rest.remove(4);
            let english = english_phrases(&rest.join(","));
            assert!(english.is_empty(), "untranslated: {english:?} in {zh_row}");
        }
    }
}

/// A CSV row's cells (RFC 4180 quotes).
fn cells(row: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut chars = row.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                out.last_mut().expect("a cell").push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(String::new()),
            _ => out.last_mut().expect("a cell").push(c),
        }
    }
    out
}

#[test]
fn method_standards_are_read_from_the_catalogue_s_text() {
    assert_eq!(standard_codes("HJ 700-2014 ICP-MS", "antimony"), ["HJ 700-2014"]);
    assert_eq!(
        standard_codes("HJ/T 399-2007 rapid digestion spectrophotometry", "cod"),
        ["HJ/T 399-2007"]
    );
    assert_eq!(
        standard_codes(
            "HJ 535-2009 Nessler's reagent (NH3-N); GB 7467-87 diphenylcarbazide (Cr(VI)); GB 11889-89 (aniline)",
            "aniline"
        ),
        ["GB 11889-89"]
    );
    assert_eq!(
        standard_codes(
            "HJ 716-2014 GC-MS (nitrobenzenes); HJ 822-2017 GC-MS (anilines)",
            "antimony"
        ),
        ["HJ 716-2014", "HJ 822-2017"]
    );
    assert!(
        standard_codes(
            "portable anodic stripping voltammetry (no national field method; assumption)",
            "antimony"
        )
        .is_empty()
    );
}

/// The exercise's plans and copies that miss what HJ 589 asks in every way the checklist
/// knows: no points at all, a field method seeing nothing below the limits and confirmed
/// by another field kit, no QA/QC, no teams, slow express reports, too few verticals and
/// layers, no flow and no sediment.
fn plans_passing_and_failing() -> (Arc<Scenario>, Vec<MonitoringPlan>) {
    let (scenario, mut plans) = exercise();
    let good = plans
        .iter()
        .find(|p| p.incident_id == "wujiang_antimony")
        .expect("plan")
        .clone();
    // Taken out one by one, the points the plume reaches become what an edit may add.
    let mut bare = good.clone();
    let ids: Vec<String> = bare.points.iter().map(|p| p.id.clone()).collect();
    for id in ids {
        bare.remove_point(&id);
    }
    bare.points.clear();
    plans.push(bare);
    let mut bad = good.clone();
    bad.method = "cod_rapid_kit".into();
    bad.qa.confirmation_method = Some("aniline_kit".into());
    bad.qa.chain_of_custody = false;
    bad.qa.field_blank_per_team_day = 0;
    bad.express_report_every = tripoint_sim::time::SimDuration::from_minutes(600);
    for p in &mut bad.points {
        p.duplicates.clear();
        p.team = None;
        p.measure_flow = false;
        p.sediment.clear();
        p.verticals.truncate(1);
        p.layers.clear();
    }
    plans.push(bad);
    let mut unconfirmed = good;
    unconfirmed.method = "aniline_kit".into();
    unconfirmed.qa.confirmation_method = None;
    plans.push(unconfirmed);
    (scenario, plans)
}

#[test]
fn checklist_findings_in_english_are_the_detail_and_in_chinese_have_no_english() {
    let (scenario, plans) = plans_passing_and_failing();
    let mut ids = std::collections::BTreeSet::new();
    let mut failed = 0;
    for plan in &plans {
        for check in checklist::check(&scenario, plan) {
            assert!(!check.findings.is_empty(), "{}", check.item);
            assert_eq!(findings(Lang::En, &scenario, plan, &check), check.detail);
            let zh = findings(Lang::ZhCn, &scenario, plan, &check);
            assert!(english_phrases(&zh).is_empty(), "{}: {zh}", check.item);
            failed += usize::from(!check.met);
            ids.extend(check.findings.iter().map(|t| t.id));
        }
    }
    assert!(failed >= 12, "only {failed} items fail");
    assert!(ids.len() >= 26, "{} kinds of finding: {ids:?}", ids.len());
    // The Chinese table shows them: a failing plan's missing intake by its name.
    let text = plan_markdown(Lang::ZhCn, &scenario, &plans[plans.len() - 3]);
    assert!(text.contains("| **不符合** | 事发点上游未设对照断面 |"), "{text}");
    assert!(text.contains("污染团可能到达金泽水库取水口，但未布点采样"), "{text}");
}
