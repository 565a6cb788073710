//! Throughput of the simulation, reported in `docs/benchmarks.md`: the kernel alone on a
//! trivial event, the kernel carrying a small model (the M/M/3 queue) beside the same queue
//! on a bare binary-heap loop (its baseline), and the river transport (a 72-hour forecast of the built-in scenario under each flow regime).
//!
//! The machine is shared, so read the figures of one run against each other (the ratios)
//! rather than on their own. Run with `cargo bench -p tripoint-sim --bench kernel`.

use criterion::{BatchSize, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use serde::Serialize;
use std::hint::black_box;
use std::time::Duration;
use tripoint_sim::forecast::{self, ForecastRequest};
use tripoint_sim::kernel::{Context, Kernel, KernelConfig, KernelError, SimEvent};
use tripoint_sim::queueing::{MmcConfig, simulate_mmc, simulate_mmc_bare};
use tripoint_sim::scenario::Scenario;
use tripoint_sim::time::{SimDuration, SimTime};

/// Events handled per timed run of the trivial benchmark.
const N_TICKS: u64 = 1_000_000;

/// An event that does nothing but come back one second later.
#[derive(Serialize)]
struct Tick;

impl SimEvent for Tick {
    const KINDS: &'static [&'static str] = &["tick"];
    fn kind_index(&self) -> usize {
        0
    }
}

fn on_tick(_: &mut bevy_ecs::world::World, _: &Tick, ctx: &mut Context<'_, Tick>) -> Result<(), KernelError> {
    ctx.schedule(ctx.now() + SimDuration(1), Tick)
}

fn tick_kernel() -> Kernel<Tick> {
    let mut kernel = Kernel::new(KernelConfig {
        journal: false,
        ..KernelConfig::default()
    });
    kernel.on("tick", on_tick);
    kernel
        .schedule(SimTime::ZERO, Tick)
        .expect("an empty queue takes an event");
    kernel
}

fn trivial_events(c: &mut Criterion) {
    let mut group = c.benchmark_group("kernel");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    group.throughput(Throughput::Elements(N_TICKS));
    group.bench_function("trivial_event", |b| {
        b.iter_batched(
            tick_kernel,
            |mut kernel| {
                // Ticks at 0, 1, …, N − 1 s: exactly N events.
                kernel.run_until(SimTime(N_TICKS as i64 - 1)).expect("ticks run");
                assert_eq!(kernel.n_handled(), N_TICKS);
                kernel
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

/// M/M/3 at ρ = 0.7, mean service 600 s: 200 000 customers, 400 000 events.
fn mm3() -> MmcConfig {
    MmcConfig {
        arrival_rate_per_h: 12.6,
        service_rate_per_h: 6.0,
        n_servers: 3,
        n_customers: 200_000,
        queue_len_max: 10_000,
        seed: 1,
    }
}

fn queue_events(c: &mut Criterion) {
    let config = mm3();
    // Check the model once, outside the timed loop: a fast wrong answer is not a result.
    let result = simulate_mmc(&config).expect("the M/M/3 queue is stable");
    let analytic_s = config.erlang_c_mean_wait_s();
    let standard_error_s = result.mean_wait_standard_error_s();
    let z = (result.mean_wait_s - analytic_s) / standard_error_s;
    println!(
        "M/M/3 rho={:.2}: mean wait simulated {:.1} s (batch-means standard error {:.1} s), \
         Erlang C {:.1} s, z = {z:.2}; utilisation {:.4}; {} events",
        config.utilisation(),
        result.mean_wait_s,
        standard_error_s,
        analytic_s,
        result.utilisation,
        result.n_events,
    );
    assert!(z.abs() < 4.0, "simulated M/M/3 wait disagrees with Erlang C");
    // The baseline must run the same model: the same result, draw for draw.
    assert_eq!(simulate_mmc_bare(&config).expect("the bare loop runs"), result);

    let mut group = c.benchmark_group("mmc");
    // Flat sampling (the same number of runs in every sample) suits runs of 0.1 s and more.
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    group.throughput(Throughput::Elements(result.n_events));
    group.bench_function("m_m_3", |b| {
        b.iter(|| simulate_mmc(black_box(&config)).expect("the queue runs"))
    });
    group.bench_function("m_m_3_bare_heap", |b| {
        b.iter(|| simulate_mmc_bare(black_box(&config)).expect("the bare loop runs"))
    });
    group.finish();
}

fn forecast_regimes(c: &mut Criterion) {
    let scenario = Scenario::builtin();
    let mut group = c.benchmark_group("forecast_72h");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(8));
    for regime_id in ["drought", "normal", "flood"] {
        let mut request = ForecastRequest::from_scenario(&scenario);
        request.journal = false;
        request.horizon = SimDuration::from_hours(72);
        request.regime = scenario
            .regime_idx(regime_id)
            .expect("the built-in scenario has the regime");
        let forecast = forecast::run(&scenario, &request).expect("the built-in forecast runs");
        println!(
            "forecast {regime_id}: {} cells, {} cell updates, {} events",
            forecast.n_cells, forecast.n_cell_updates, forecast.n_events
        );
        // Elements are cell updates, so criterion's rate is cell updates per second.
        group.throughput(Throughput::Elements(forecast.n_cell_updates));
        group.bench_function(regime_id, |b| {
            b.iter(|| forecast::run(black_box(&scenario), black_box(&request)).expect("forecast runs"))
        });
    }
    group.finish();
}

criterion_group!(benches, trivial_events, queue_events, forecast_regimes);
criterion_main!(benches);
