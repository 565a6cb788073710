//! Time to draw one console frame of the two-incident drill at D1 06:00 (map, chart,
//! every panel) into an off-screen buffer, at three terminal sizes.

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;
use std::sync::Arc;
use tripoint_sim::drill::view::{self, MapGeometry};
use tripoint_sim::drill::{DrillConfig, Seat, Session};
use tripoint_sim::response::dispatch::PolicyKind;
use tripoint_sim::time::SimTime;
use tripoint_tui::console::app::{App, Panel};
use tripoint_tui::console::render;

fn app() -> App {
    let drill =
        Arc::new(tripoint_tui::commands::drill::load_drill("two-incidents").unwrap_or_else(|_| panic!("shipped")));
    let config = DrillConfig {
        policy: PolicyKind::Unified,
        seed: 0,
        journal: false,
        human_seats: vec![Seat::Command],
    };
    let mut session = Session::new(drill, &config).unwrap();
    session.advance_to(SimTime(6 * 3600)).unwrap();
    let geometry = Arc::new(MapGeometry::of(&session.drill().scenario));
    // The controller view: the plume is drawn too, the most the map ever draws.
    let snapshot = Arc::new(view::snapshot(&session, Some("jinze_intake"), true));
    let mut app = App::new(geometry, snapshot, Seat::Command);
    app.chart_point = Some("jinze_intake".into());
    app.truth = true;
    app.focus = Panel::Plan;
    app
}

fn frames(c: &mut Criterion) {
    let app = app();
    let mut group = c.benchmark_group("console_frame");
    for (width, height) in [(80, 24), (160, 48), (200, 60)] {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        group.bench_function(format!("{width}x{height}"), |b| {
            b.iter(|| {
                terminal.draw(|frame| render::draw(frame, black_box(&app))).unwrap();
            })
        });
    }
    group.finish();
}

criterion_group!(benches, frames);
criterion_main!(benches);
