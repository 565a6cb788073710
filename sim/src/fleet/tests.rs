//! Tests of the fleet model: the closed forms (hypercube, Erlang C), dispatch, input checks.

use super::*;
use crate::queueing::{erlang_c_mean_wait, erlang_c_wait_probability};
use rand::{Rng, SeedableRng};

/// An input on `n_nodes` nodes with every driving time zero, all weight equal.
fn zero_travel_input(
    n_nodes: usize,
    team_nodes: &[usize],
    arrival_rate_per_h: f64,
    service: ServiceTime,
) -> FleetInput {
    FleetInput {
        format: FORMAT.to_string(),
        description: String::new(),
        nodes: (0..n_nodes).map(|i| format!("n{i}")).collect(),
        travel_time_s: vec![vec![0; n_nodes]; n_nodes],
        node_weights: vec![1.0; n_nodes],
        teams: team_nodes
            .iter()
            .enumerate()
            .map(|(i, &depot_node)| TeamInput {
                id: format!("t{i}"),
                depot_node,
            })
            .collect(),
        preference: None,
        arrival_rate_per_h,
        service,
        horizon_s: 3600 * 1000,
        seed: 1,
    }
}

/// The hypercube validation instance: 10 atoms on a line (positions 0–9), 3 servers based at
/// atoms 1, 4 and 8, each atom's preference by distance to the base (ties to the lower
/// server), uneven atom rates summing to λ = 1.5/h, exponential service with μ = 1/h.
fn hypercube_instance() -> (Vec<Vec<usize>>, Vec<f64>) {
    let bases = [1_i64, 4, 8];
    let preference: Vec<Vec<usize>> = (0..10_i64)
        .map(|atom| {
            let mut order = vec![0, 1, 2];
            order.sort_by_key(|&s| (atom - bases[s]).abs());
            order
        })
        .collect();
    let weights = [3.0, 1.0, 2.0, 4.0, 1.0, 2.0, 3.0, 1.0, 2.0, 1.0];
    let total: f64 = weights.iter().sum();
    let rates = weights.iter().map(|w| 1.5 * w / total).collect();
    (preference, rates)
}

fn assert_close(actual: f64, expected: f64, tolerance: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= tolerance,
        "{what}: {actual} is not within {tolerance} of {expected}"
    );
}

#[test]
fn hypercube_with_alike_servers_is_erlang_c() {
    // Any preference order: with equal service rates the busy count is M/M/c.
    let preference = vec![vec![0, 1, 2], vec![2, 0, 1], vec![1, 2, 0]];
    let solution = hypercube_workloads(&preference, &[0.7, 0.4, 0.9], 1.0).unwrap();
    assert_close(
        solution.all_busy_probability,
        erlang_c_wait_probability(2.0, 1.0, 3),
        1e-12,
        "P(all busy) is Erlang C",
    );
    let total: f64 = solution.workloads.iter().sum();
    assert_close(total, 2.0, 1e-12, "workloads sum to λ/μ");
}

#[test]
fn hypercube_single_server_is_m_m_1() {
    let solution = hypercube_workloads(&[vec![0], vec![0]], &[0.2, 0.3], 1.0).unwrap();
    assert_close(solution.workloads[0], 0.5, 1e-12, "ρ");
}

#[test]
fn hypercube_instance_exact_workloads() {
    let (preference, rates) = hypercube_instance();
    let solution = hypercube_workloads(&preference, &rates, 1.0).unwrap();
    let w = &solution.workloads;
    // An independent solution of the same chain with the line explicit (truncated at 120
    // waiting calls; benches/hypercube_check.py) gives these.
    assert_close(w[0], 0.488399, 1e-6, "server 0");
    assert_close(w[1], 0.557939, 1e-6, "server 1");
    assert_close(w[2], 0.453662, 1e-6, "server 2");
    // P(all busy) of M/M/3 with λ/μ = 1.5 (Erlang C): 9/38.
    assert_close(solution.all_busy_probability, 9.0 / 38.0, 1e-12, "P(all busy)");
    assert_close(w.iter().sum(), 1.5, 1e-12, "workloads sum to λ/μ with an infinite line");
}

#[test]
fn hypercube_refuses_bad_input() {
    assert!(hypercube_workloads(&[vec![0, 0]], &[1.0], 1.0).is_err());
    assert!(
        hypercube_workloads(&[vec![0, 1]], &[2.5], 1.0)
            .unwrap_err()
            .starts_with("unstable")
    );
    assert!(hypercube_workloads(&[vec![0, 1]], &[1.0, 1.0], 1.0).is_err());
}

#[test]
fn simulated_workloads_agree_with_the_exact_hypercube() {
    let (preference, rates) = hypercube_instance();
    let exact = hypercube_workloads(&preference, &rates, 1.0).unwrap();
    let mut input = zero_travel_input(10, &[1, 4, 8], 1.5, ServiceTime::Exponential { mean_s: 3600.0 });
    input.node_weights = rates.clone();
    input.preference = Some(preference);
    // 200 000 h: about 300 000 calls. Seeds 0–9 give |z| ≤ 2.1 except seed 1 (z down to
    // −3.4, a sample with 2.5 σ too few calls); docs/validation.md lists them all.
    input.horizon_s = 3600 * 200_000;
    input.seed = 0;
    let result = simulate(&input.validate().unwrap()).unwrap();
    println!("hypercube instance: {} calls", result.n_customers);
    for (server, estimate) in result.utilisation_batches.iter().enumerate() {
        println!(
            "  server {server}: simulated {:.4} ± {:.4} (standard error), exact {:.4}, z = {:.2}",
            result.utilisation[server],
            estimate.standard_error,
            exact.workloads[server],
            (result.utilisation[server] - exact.workloads[server]) / estimate.standard_error
        );
        // The interval must mean something: a standard error under 0.005.
        assert!(estimate.standard_error < 0.005, "{estimate:?}");
        assert_close(
            result.utilisation[server],
            exact.workloads[server],
            4.0 * estimate.standard_error,
            &format!("workload of server {server}"),
        );
    }
    // Every call is answered at once or waits (PASTA): P(wait) = P(all busy).
    let waited = result.wait_probability_batches;
    println!(
        "  P(wait): simulated {:.4} ± {:.4}, exact {:.4}",
        waited.mean, waited.standard_error, exact.all_busy_probability
    );
    assert_close(
        waited.mean,
        exact.all_busy_probability,
        4.0 * waited.standard_error,
        "P(wait)",
    );
}

#[test]
fn simulated_alike_teams_agree_with_erlang_c() {
    // M/M/3 at ρ = 0.7, mean service 600 s, all teams and calls on one node: about 200 000 calls.
    let mut input = zero_travel_input(1, &[0, 0, 0], 12.6, ServiceTime::Exponential { mean_s: 600.0 });
    input.horizon_s = (200_000.0 / 12.6 * 3600.0) as i64;
    let result = simulate(&input.validate().unwrap()).unwrap();
    let analytic_s = 3600.0 * erlang_c_mean_wait(12.6, 6.0, 3);
    let estimate = result.mean_response_batches_s;
    let waited = result.wait_probability_batches;
    println!(
        "M/M/3 on the fleet model: {} calls; mean wait {:.1} ± {:.1} s, Erlang C {analytic_s:.1} s; \
         P(wait) {:.4} ± {:.4}, Erlang C {:.4}",
        result.n_customers,
        result.mean_response_s,
        estimate.standard_error,
        waited.mean,
        waited.standard_error,
        erlang_c_wait_probability(12.6, 6.0, 3)
    );
    assert!(estimate.standard_error < 0.05 * analytic_s, "{estimate:?}");
    assert_close(
        result.mean_response_s,
        analytic_s,
        4.0 * estimate.standard_error,
        "mean wait",
    );
    assert_close(
        waited.mean,
        erlang_c_wait_probability(12.6, 6.0, 3),
        4.0 * waited.standard_error,
        "P(wait)",
    );
    // Team 0 is tried first, so it is the busiest; the teams' mean is ρ.
    let mean_utilisation = result.utilisation.iter().sum::<f64>() / 3.0;
    let standard_error = result
        .utilisation_batches
        .iter()
        .map(|e| e.standard_error)
        .fold(0.0, f64::max);
    assert_close(mean_utilisation, 0.7, 4.0 * standard_error, "mean utilisation");
    // Alike teams with the lowest index first: team 0 takes the most calls.
    assert!(result.n_dispatched[0] > result.n_dispatched[1]);
    assert!(result.n_dispatched[1] > result.n_dispatched[2]);
    assert_eq!(result.n_events, 2 * result.n_customers);
}

#[test]
fn nearest_base_first_ties_to_the_lower_team() {
    // Nodes 0 – 1 – 2 on a line, 600 s apart; team 0 at node 2, teams 1 and 2 at node 0.
    let mut input = zero_travel_input(3, &[2, 0, 0], 1.0, ServiceTime::Exponential { mean_s: 60.0 });
    input.travel_time_s = vec![vec![0, 600, 1200], vec![600, 0, 600], vec![1200, 600, 0]];
    let model = input.validate().unwrap();
    assert_eq!(model.preference, vec![vec![1, 2, 0], vec![0, 1, 2], vec![0, 1, 2]]);
}

#[test]
fn response_is_the_drive_when_a_team_is_free() {
    // One team at node 0, every call at node 1 (600 s away), a call a day, 10 min on scene.
    let mut input = zero_travel_input(
        2,
        &[0],
        1.0 / 24.0,
        ServiceTime::Lognormal {
            median_s: 600.0,
            sigma: 0.3,
        },
    );
    input.travel_time_s = vec![vec![0, 600], vec![600, 0]];
    input.node_weights = vec![0.0, 1.0];
    input.horizon_s = 3600 * 24 * 2000;
    let result = simulate(&input.validate().unwrap()).unwrap();
    assert!(result.n_customers > 1800, "{}", result.n_customers);
    assert!(result.response_s.iter().all(|&r| r >= 600));
    let waited = result.response_s.iter().filter(|&&r| r > 600).count() as u64;
    assert_eq!(
        waited,
        (result.wait_probability * result.n_customers as f64).round() as u64
    );
    assert_eq!(result.p50_response_s, 600);
    // Busy per call: 600 out + ≈ 627 s on scene (lognormal mean) + 600 back.
    let busy_per_call_s = result.utilisation[0] * input.horizon_s as f64 / result.n_customers as f64;
    assert_close(busy_per_call_s, 1827.0, 20.0, "busy time per call");
}

#[test]
fn lognormal_draws_have_the_given_median_and_sigma() {
    let service = ServiceTime::Lognormal {
        median_s: 5400.0,
        sigma: 0.5,
    };
    let mut rng = <ChaCha8Rng as rand::SeedableRng>::seed_from_u64(3);
    let n = 100_000;
    let logs: Vec<f64> = (0..n).map(|_| (service.draw(&mut rng).as_secs_f64()).ln()).collect();
    let mean = logs.iter().sum::<f64>() / n as f64;
    let sd = (logs.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
    // Standard errors: 0.5/√n ≈ 0.0016 for the mean of the logs, ≈ 0.0011 for their sd.
    assert_close(mean, 5400.0_f64.ln(), 0.0064, "mean of ln");
    assert_close(sd, 0.5, 0.0045, "sd of ln");
}

#[test]
fn same_seed_same_run_other_seed_other_run() {
    let mut input = zero_travel_input(
        3,
        &[0, 2],
        2.0,
        ServiceTime::Lognormal {
            median_s: 1200.0,
            sigma: 0.8,
        },
    );
    input.travel_time_s = vec![vec![0, 300, 900], vec![300, 0, 600], vec![900, 600, 0]];
    let first = simulate(&input.validate().unwrap()).unwrap();
    assert_eq!(first, simulate(&input.validate().unwrap()).unwrap());
    input.seed = 2;
    let other = simulate(&input.validate().unwrap()).unwrap();
    assert_ne!(first.response_s, other.response_s);
}

#[test]
fn zero_weight_nodes_get_no_calls() {
    let mut input = zero_travel_input(3, &[0], 1.0, ServiceTime::Exponential { mean_s: 60.0 });
    input.travel_time_s = vec![vec![0, 100, 200], vec![100, 0, 100], vec![200, 100, 0]];
    input.node_weights = vec![0.0, 0.0, 2.0];
    let result = simulate(&input.validate().unwrap()).unwrap();
    assert!(result.n_customers > 500);
    assert!(result.response_s.iter().all(|&r| r >= 200), "every call at node 2");
}

#[test]
fn validation_names_every_problem_by_its_place() {
    let mut input = zero_travel_input(
        2,
        &[0, 5],
        -1.0,
        ServiceTime::Lognormal {
            median_s: 0.0,
            sigma: 9.0,
        },
    );
    input.format = "other".to_string();
    input.travel_time_s = vec![vec![0, -3], vec![0]];
    input.node_weights = vec![1.0, f64::NAN];
    input.preference = Some(vec![vec![0, 1], vec![1, 1]]);
    input.horizon_s = 0;
    let Err(FleetError::Invalid { problems }) = input.validate() else {
        panic!("accepted a bad input")
    };
    let expected = [
        "format:",
        "travel_time_s[0][1]:",
        "travel_time_s[1]: 1 columns",
        "node_weights[1]:",
        "teams[1].depot_node:",
        "preference[1]:",
        "arrival_rate_per_h:",
        "service.median_s:",
        "service.sigma:",
        "horizon_s:",
    ];
    for prefix in expected {
        assert!(
            problems.iter().any(|p| p.starts_with(prefix)),
            "no {prefix:?} in {problems:#?}"
        );
    }
    assert_eq!(problems.len(), expected.len(), "{problems:#?}");
}

#[test]
fn too_many_expected_calls_is_refused() {
    let mut input = zero_travel_input(1, &[0], 1000.0, ServiceTime::Exponential { mean_s: 1.0 });
    input.horizon_s = HORIZON_S_MAX;
    let err = input.validate().unwrap_err();
    assert!(err.to_string().contains("incidents expected"), "{err}");
}

#[test]
fn json_round_trip_and_located_parse_errors() {
    let input = zero_travel_input(
        2,
        &[1],
        0.5,
        ServiceTime::Lognormal {
            median_s: 5400.0,
            sigma: 0.6,
        },
    );
    let text = serde_json::to_string_pretty(&input).unwrap();
    assert_eq!(FleetInput::from_json_str(&text).unwrap(), input);
    assert!(text.contains(r#""distribution": "lognormal""#), "{text}");
    let bad = text.replace(r#""seed": 1"#, r#""seed": 1, "sead": 2"#);
    let err = FleetInput::from_json_str(&bad).unwrap_err();
    let FleetError::Parse { line, .. } = err else {
        panic!("{err:?}")
    };
    assert!(line > 1, "{err:?}");
    assert!(err.to_string().contains("unknown field `sead`"), "{err}");
    let fractional = text.replace(r#""horizon_s": 3600000"#, r#""horizon_s": 1.5"#);
    assert!(FleetInput::from_json_str(&fractional).is_err());
    let unknown_service = text.replace("lognormal", "weibull");
    assert!(
        FleetInput::from_json_str(&unknown_service)
            .unwrap_err()
            .to_string()
            .contains("weibull")
    );
}

#[test]
fn builtin_zone_exports_a_connected_symmetric_matrix() {
    let scenario = Scenario::builtin();
    let options = ExportOptions {
        weights: NodeWeights::RiskSources,
        arrival_rate_per_h: 1.0,
        service: ServiceTime::Lognormal {
            median_s: 10_800.0,
            sigma: 0.6,
        },
        horizon_s: 3600 * 1000,
        seed: 0,
    };
    let input = FleetInput::from_scenario(&scenario, &options).unwrap();
    let n = scenario.road_nodes.len();
    assert_eq!(input.nodes.len(), n);
    assert_eq!(input.teams.len(), scenario.teams.len());
    for i in 0..n {
        assert_eq!(input.travel_time_s[i][i], 0);
        for j in 0..n {
            assert_eq!(input.travel_time_s[i][j], input.travel_time_s[j][i]);
        }
    }
    let total: f64 = input.node_weights.iter().sum();
    let expected: f64 = scenario.risk_sources.iter().map(|s| s.annual_probability).sum();
    assert_close(total, expected, 1e-12, "risk weights");
    let result = simulate(&input.validate().unwrap()).unwrap();
    assert!(result.n_customers > 900);
    assert!(result.p50_response_s <= result.p90_response_s && result.p90_response_s <= result.p95_response_s);
}

/// The built-in zone under the load of `benches/fleet_baseline.sh`, `customers` expected.
fn builtin_zone_input(customers: f64, seed: u64) -> FleetInput {
    let options = ExportOptions {
        weights: NodeWeights::RiskSources,
        arrival_rate_per_h: 1.5,
        service: ServiceTime::Lognormal {
            median_s: 10_800.0,
            sigma: 0.6,
        },
        horizon_s: (customers / 1.5 * 3600.0).round() as i64,
        seed,
    };
    FleetInput::from_scenario(&crate::scenario::Scenario::builtin(), &options).unwrap()
}

#[test]
fn bare_loop_gives_the_kernel_result() {
    // The built-in zone (few waits), a heavily loaded one (a long line: the FIFO and the
    // same-second ordering matter), and the hypercube instance (exponential service).
    let mut loaded = builtin_zone_input(5_000.0, 3);
    loaded.arrival_rate_per_h = 2.8;
    let (preference, rates) = hypercube_instance();
    let mut hypercube = zero_travel_input(10, &[1, 4, 8], 2.5, ServiceTime::Exponential { mean_s: 3600.0 });
    hypercube.node_weights = rates;
    hypercube.preference = Some(preference);
    hypercube.horizon_s = 3600 * 5_000;
    for input in [
        builtin_zone_input(5_000.0, 1),
        builtin_zone_input(5_000.0, 2),
        loaded,
        hypercube,
    ] {
        let model = input.validate().unwrap();
        let kernel = simulate(&model).unwrap();
        let bare = bare::simulate_bare(&model).unwrap();
        assert!(kernel.n_customers > 1_000, "{}", kernel.n_customers);
        assert_eq!(kernel, bare, "seed {}", input.seed);
    }
}

#[test]
fn bare_loop_stops_at_a_full_line_as_the_kernel_does() {
    // λ above the capacity of one team: the line grows until its limit.
    let input = zero_travel_input(1, &[0], 10.0, ServiceTime::Exponential { mean_s: 3600.0 });
    let mut model = input.validate().unwrap();
    model.queue_len_max = 50;
    let kernel = simulate(&model).unwrap_err();
    assert!(kernel.to_string().contains("waiting line full (50 calls)"), "{kernel}");
    assert_eq!(kernel, bare::simulate_bare(&model).unwrap_err());
}

#[test]
fn builtin_zone_run_is_pinned() {
    // Figures of the model since it draws by ziggurat and alias table (2026-12-02; before,
    // by inversion and Box–Muller: 19,707 customers, P95 3,350 s). A kernel or model change
    // meant to leave the results alone must leave these exactly; any change to the stream,
    // the draws or the event order shows here.
    let result = simulate(&builtin_zone_input(20_000.0, 1).validate().unwrap()).unwrap();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &r in &result.response_s {
        hash ^= r as u64;
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    assert_eq!(
        (result.n_customers, result.n_events, result.end_s),
        (20_122, 40_244, 48_021_364)
    );
    assert_eq!(result.response_s.iter().sum::<i64>(), 40_486_335);
    assert_eq!(hash, 0x3a34_bea7_cabc_3fc8);
    assert_eq!((result.p95_response_s, result.queue_len_peak), (3500, 7));
    assert_eq!(
        result.n_dispatched,
        [2147, 1901, 1622, 2091, 1814, 2214, 1896, 1605, 961, 661, 1872, 847, 491]
    );
}

#[test]
fn selected_quantiles_are_the_sorted_ones() {
    let shares = [0.0, 0.01, 0.5, 0.9, 0.95, 0.999, 1.0];
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    for n in [1_usize, 2, 3, 10, 101, 4_000] {
        // Many ties, as in whole-second response times.
        let values: Vec<i64> = (0..n).map(|_| rng.random_range(0..50_i64)).collect();
        let mut sorted = values.clone();
        sorted.sort_unstable();
        let expected: Vec<i64> = shares
            .iter()
            .map(|&q| sorted[((q * n as f64).ceil() as usize).clamp(1, n) - 1])
            .collect();
        let mut reordered = values.clone();
        assert_eq!(quantiles_nearest_rank(&mut reordered, &shares), expected, "n = {n}");
    }
}

#[test]
fn busy_books_give_each_batch_its_overlap() {
    // Busy intervals one after another, as one team's, on horizons that 20 batches divide
    // and do not; many start or end exactly on a batch boundary, some pass the horizon.
    // Each batch must get the interval overlap computed directly.
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    for horizon_s in [20_i64, 1_000, 1_013, 48_000_000, 99_999_999_989] {
        let boundaries: [i64; BATCHES + 1] = std::array::from_fn(|idx| batch_start(idx, SimTime(horizon_s)));
        for _ in 0..50 {
            let mut book = BusyBook::new();
            let mut intervals = Vec::new();
            let mut t = 0_i64;
            while t < horizon_s + horizon_s / 10 {
                let start = if rng.random_bool(0.3) {
                    // Next boundary at or after t, when there is one.
                    boundaries.iter().copied().find(|&b| b >= t).unwrap_or(t)
                } else {
                    t + rng.random_range(0..=horizon_s / 15 + 1)
                };
                let end = if rng.random_bool(0.3) {
                    boundaries.iter().copied().find(|&b| b > start).unwrap_or(start + 1)
                } else {
                    start + rng.random_range(0..=horizon_s / 12 + 1)
                };
                book.book(start, end, &boundaries);
                intervals.push((start, end));
                t = end;
            }
            book.close();
            let overlap =
                |lo: i64, hi: i64| -> i64 { intervals.iter().map(|&(s, e)| (e.min(hi) - s.max(lo)).max(0)).sum() };
            for batch in 0..BATCHES {
                assert_eq!(
                    book.batch_s(batch),
                    overlap(boundaries[batch], boundaries[batch + 1]),
                    "horizon {horizon_s}, batch {batch}"
                );
            }
            assert_eq!(book.inside_horizon_s(), overlap(0, horizon_s), "horizon {horizon_s}");
        }
    }
}
