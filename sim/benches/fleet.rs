//! Customers per second of the fleet dispatch model (`tripoint_sim::fleet`) on the built-in
//! zone: the load of `benches/fleet_baseline.sh` (13 teams at their depots, incidents at
//! the risk sources' road nodes, λ = 1.5/h, lognormal on-scene time with median 3 h and
//! σ = 0.6), 100 000 expected customers per run, on the kernel (`fleet::simulate`) and on
//! the bare binary-heap loop that is its baseline (`fleet::bare::simulate_bare`: the same
//! model code without the kernel). Reported in `docs/benchmarks.md`.
//!
//! Run with `cargo bench -p tripoint-sim --bench fleet`.

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;
use tripoint_sim::fleet::{self, ExportOptions, FleetInput, NodeWeights, ServiceTime};
use tripoint_sim::scenario::Scenario;

/// Expected customers per timed run.
const N_CUSTOMERS: f64 = 100_000.0;
const ARRIVAL_RATE_PER_H: f64 = 1.5;

fn builtin_zone_load() -> FleetInput {
    let options = ExportOptions {
        weights: NodeWeights::RiskSources,
        arrival_rate_per_h: ARRIVAL_RATE_PER_H,
        service: ServiceTime::Lognormal {
            median_s: 10_800.0,
            sigma: 0.6,
        },
        horizon_s: (N_CUSTOMERS / ARRIVAL_RATE_PER_H * 3600.0).round() as i64,
        seed: 1,
    };
    FleetInput::from_scenario(&Scenario::builtin(), &options).expect("the built-in zone exports")
}

fn fleet_customers(c: &mut Criterion) {
    let model = builtin_zone_load().validate().expect("the built-in load is valid");
    // Check the run once, outside the timed loop: every call served, two events each, and
    // the teams' busy time equal to what the calls brought (within the clipped tail).
    let result = fleet::simulate(&model).expect("the built-in load runs");
    assert_eq!(result.n_events, 2 * result.n_customers);
    let mean_utilisation = result.utilisation.iter().sum::<f64>() / result.utilisation.len() as f64;
    println!(
        "fleet on the built-in zone: {} customers, mean response {:.0} s (P50 {} / P90 {} / P95 {}), \
         P(wait) {:.3}, mean utilisation {:.3}",
        result.n_customers,
        result.mean_response_s,
        result.p50_response_s,
        result.p90_response_s,
        result.p95_response_s,
        result.wait_probability,
        mean_utilisation
    );
    assert!(mean_utilisation > 0.1 && mean_utilisation < 1.0, "{mean_utilisation}");
    // The baseline must run the same model: the same result, draw for draw.
    assert_eq!(fleet::bare::simulate_bare(&model).expect("the bare loop runs"), result);

    let mut group = c.benchmark_group("fleet");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    // Elements are customers, so criterion's rate is customers per second.
    group.throughput(Throughput::Elements(result.n_customers));
    group.bench_function("builtin_zone_100k", |b| {
        b.iter(|| fleet::simulate(black_box(&model)).expect("the fleet runs"))
    });
    group.bench_function("bare_heap_builtin_zone_100k", |b| {
        b.iter(|| fleet::bare::simulate_bare(black_box(&model)).expect("the bare loop runs"))
    });
    group.finish();
}

criterion_group!(benches, fleet_customers);
criterion_main!(benches);
