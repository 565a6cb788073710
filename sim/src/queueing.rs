//! An M/M/c queue on the discrete-event kernel: Poisson arrivals, `c` identical servers with
//! exponential service, one FIFO waiting line. It has a closed-form answer (Erlang C), so it
//! validates the kernel's ordering and random stream, and it is the benchmark workload for
//! events per second (see `docs/benchmarks.md`).
//!
//! # Time
//! [`SimTime`] is integer seconds. Rates are given per hour and each exponential draw is
//! rounded to the nearest second. For a draw `X` with rate `r` [1/s],
//! `E[round(X)] = 1 / (2 sinh(r/2)) ≈ 1/r − r/24`: with a mean service of 600 s the bias is
//! 7·10⁻⁵ s and the added variance 1/12 s², far below the statistical error of any run
//! that can be afforded. Keep means at hundreds of seconds or more so this stays true.
//!
//! # Order
//! Customers are served in arrival order; a free server is chosen lowest index first; an
//! arrival and a departure at the same second run in scheduling order (the kernel's
//! contract), so a run is a function of the configuration alone.

use crate::kernel::{BareLoop, Context, Kernel, KernelConfig, KernelError, Schedule, SimEvent, SimRng};
use crate::time::{SimDuration, SimTime};
use bevy_ecs::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use std::collections::VecDeque;
use std::fmt;

/// Largest number of servers of one queue.
pub const N_SERVERS_MAX: usize = 10_000;
/// Largest number of customers of one run (two events each).
pub const N_CUSTOMERS_MAX: u64 = 100_000_000;
/// Number of batches the waits are grouped into, in arrival order, for a batch-means
/// confidence interval of the mean wait.
pub const WAIT_BATCHES: usize = 20;

/// The events of the queue model.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QueueEvent {
    /// A customer arrives; the handler also schedules the next arrival.
    Arrival,
    /// The customer in service at `server` leaves.
    Departure { server: usize },
}

impl SimEvent for QueueEvent {
    const KINDS: &'static [&'static str] = &["arrival", "departure"];

    fn kind_index(&self) -> usize {
        match self {
            QueueEvent::Arrival => 0,
            QueueEvent::Departure { .. } => 1,
        }
    }
}

/// What to simulate.
#[derive(Clone, Debug, PartialEq)]
pub struct MmcConfig {
    /// Mean arrival rate λ of the whole queue [customers/h].
    pub arrival_rate_per_h: f64,
    /// Service rate μ of one server [customers/h]; the mean service time is 1/μ.
    pub service_rate_per_h: f64,
    /// Number of servers c.
    pub n_servers: usize,
    /// Number of customers who arrive; the run ends when the last of them has left.
    pub n_customers: u64,
    /// Largest number of customers waiting (not in service) at once; reaching it is an error,
    /// so a badly chosen configuration cannot take all the memory.
    pub queue_len_max: usize,
    /// Seed of the kernel's generator.
    pub seed: u64,
}

impl MmcConfig {
    /// Every problem with the configuration at once, or none; instability is separate.
    fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let rates = [
            ("arrival_rate_per_h", self.arrival_rate_per_h),
            ("service_rate_per_h", self.service_rate_per_h),
        ];
        for (name, rate) in rates {
            if !(rate.is_finite() && rate > 0.0) {
                problems.push(format!("{name} must be a positive finite rate, got {rate}"));
            }
        }
        if !(1..=N_SERVERS_MAX).contains(&self.n_servers) {
            problems.push(format!(
                "n_servers must be in 1..={N_SERVERS_MAX}, got {}",
                self.n_servers
            ));
        }
        if !(1..=N_CUSTOMERS_MAX).contains(&self.n_customers) {
            problems.push(format!(
                "n_customers must be in 1..={N_CUSTOMERS_MAX}, got {}",
                self.n_customers
            ));
        }
        if self.queue_len_max == 0 {
            problems.push("queue_len_max must be at least 1".to_string());
        }
        problems
    }

    /// Checks the configuration: every invalid field, then stability (λ < cμ).
    pub fn validate(&self) -> Result<(), MmcError> {
        let problems = self.problems();
        if !problems.is_empty() {
            return Err(MmcError::Invalid { problems });
        }
        let capacity_per_h = self.n_servers as f64 * self.service_rate_per_h;
        if self.arrival_rate_per_h >= capacity_per_h {
            return Err(MmcError::Unstable {
                arrival_rate_per_h: self.arrival_rate_per_h,
                capacity_per_h,
            });
        }
        Ok(())
    }

    /// Server utilisation ρ = λ / (cμ).
    pub fn utilisation(&self) -> f64 {
        self.arrival_rate_per_h / (self.n_servers as f64 * self.service_rate_per_h)
    }

    /// The Erlang-C mean wait of this configuration [s].
    pub fn erlang_c_mean_wait_s(&self) -> f64 {
        3600.0 * erlang_c_mean_wait(self.arrival_rate_per_h, self.service_rate_per_h, self.n_servers)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum MmcError {
    /// Fields out of range, one message each.
    Invalid { problems: Vec<String> },
    /// λ ≥ cμ: the line would grow without bound.
    Unstable {
        arrival_rate_per_h: f64,
        capacity_per_h: f64,
    },
    /// The kernel stopped, e.g. the waiting line reached its limit.
    Run(KernelError),
}

impl fmt::Display for MmcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MmcError::Invalid { problems } => write!(f, "invalid queue configuration: {}", problems.join("; ")),
            MmcError::Unstable {
                arrival_rate_per_h,
                capacity_per_h,
            } => write!(
                f,
                "unstable queue: arrivals of {arrival_rate_per_h}/h reach the capacity of {capacity_per_h}/h \
                 (the arrival rate must be below servers × service rate)"
            ),
            MmcError::Run(e) => write!(f, "running: {e}"),
        }
    }
}

impl std::error::Error for MmcError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            MmcError::Run(e) => Some(e),
            _ => None,
        }
    }
}

/// Fixed parameters of the running queue, per second.
#[derive(Clone, Copy, Debug)]
pub struct QueueParams {
    /// λ [1/s].
    pub arrival_rate_per_s: f64,
    /// μ [1/s].
    pub service_rate_per_s: f64,
    pub n_customers: u64,
    pub queue_len_max: usize,
}

/// The customer at a server.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct InService {
    pub arrived: SimTime,
    pub service_start: SimTime,
}

/// Arrival times of the customers waiting, first in line first.
#[derive(Clone, Debug, Default)]
pub struct WaitingLine {
    pub arrivals: VecDeque<SimTime>,
    /// Longest the line has been.
    pub len_peak: usize,
}

/// Running totals; integer seconds, so sums are exact and order-independent.
#[derive(Clone, Debug)]
pub struct QueueStats {
    pub n_arrived: u64,
    /// Customers who have started service (the index of the next one's wait batch).
    pub n_started: u64,
    pub n_served: u64,
    /// Sum of waits from arrival to start of service [s].
    pub wait_total_s: i64,
    /// Sum of times from arrival to departure [s].
    pub system_total_s: i64,
    /// Time each server has been busy, counted at departures [s].
    pub busy_s: Vec<i64>,
    /// Sum of waits per batch, customers in order of service start [s].
    pub wait_batch_total_s: [i64; WAIT_BATCHES],
    pub wait_batch_n: [u64; WAIT_BATCHES],
}

/// The queue in a kernel: parameters, generator, servers, line and totals as one resource,
/// so that a handler looks up one resource per event (a `bevy_ecs` 0.19 resource is a
/// component of its own entity, and each look-up walks the component, entity and table
/// indices). The generator is the kernel's [`SimRng`] stream, moved in by [`install`]:
/// the same numbers in the same order.
#[derive(Resource, Debug)]
pub struct QueueRun {
    pub params: QueueParams,
    pub rng: ChaCha8Rng,
    /// The servers: `None` is free.
    pub servers: Vec<Option<InService>>,
    pub line: WaitingLine,
    pub stats: QueueStats,
}

/// Where the queue's handlers put the events they schedule: the kernel's [`Context`], or
/// the heap of the bare loop ([`simulate_mmc_bare`]).
impl QueueRun {
    fn new(config: &MmcConfig, rng: ChaCha8Rng) -> QueueRun {
        QueueRun {
            params: QueueParams {
                arrival_rate_per_s: config.arrival_rate_per_h / 3600.0,
                service_rate_per_s: config.service_rate_per_h / 3600.0,
                n_customers: config.n_customers,
                queue_len_max: config.queue_len_max,
            },
            rng,
            servers: vec![None; config.n_servers],
            line: WaitingLine::default(),
            stats: QueueStats {
                n_arrived: 0,
                n_started: 0,
                n_served: 0,
                wait_total_s: 0,
                system_total_s: 0,
                busy_s: vec![0; config.n_servers],
                wait_batch_total_s: [0; WAIT_BATCHES],
                wait_batch_n: [0; WAIT_BATCHES],
            },
        }
    }

    /// The first arrival (the first draw of a run).
    fn first_arrival(&mut self) -> SimTime {
        SimTime::ZERO + exponential_draw(&mut self.rng, self.params.arrival_rate_per_s)
    }

    /// A customer arrives at `now`: the next arrival is drawn and scheduled (until the last
    /// customer), then the customer takes the lowest free server or joins the line.
    fn arrival(&mut self, now: SimTime, queue: &mut impl Schedule<QueueEvent>) -> Result<(), KernelError> {
        self.stats.n_arrived += 1;
        if self.stats.n_arrived < self.params.n_customers {
            let gap = exponential_draw(&mut self.rng, self.params.arrival_rate_per_s);
            queue.schedule(now + gap, QueueEvent::Arrival)?;
        }
        if let Some(server) = self.servers.iter().position(Option::is_none) {
            return self.start_service(now, server, now, queue);
        }
        let line = &mut self.line;
        if line.arrivals.len() >= self.params.queue_len_max {
            let message = format!("waiting line full ({} customers)", self.params.queue_len_max);
            return Err(KernelError::Handler {
                kind: "arrival",
                time: now,
                message,
            });
        }
        line.arrivals.push_back(now);
        line.len_peak = line.len_peak.max(line.arrivals.len());
        Ok(())
    }

    /// The customer at `server` leaves at `now`; the first in line, if any, takes the server.
    fn departure(
        &mut self,
        now: SimTime,
        server: usize,
        queue: &mut impl Schedule<QueueEvent>,
    ) -> Result<(), KernelError> {
        let leaving = self.servers[server].take().expect("a departure from a busy server");
        let stats = &mut self.stats;
        stats.n_served += 1;
        stats.system_total_s += (now - leaving.arrived).seconds();
        stats.busy_s[server] += (now - leaving.service_start).seconds();
        match self.line.arrivals.pop_front() {
            Some(arrived) => self.start_service(now, server, arrived, queue),
            None => Ok(()),
        }
    }

    /// Puts the customer who arrived at `arrived` on the free `server` at `now` and
    /// schedules the departure.
    fn start_service(
        &mut self,
        now: SimTime,
        server: usize,
        arrived: SimTime,
        queue: &mut impl Schedule<QueueEvent>,
    ) -> Result<(), KernelError> {
        let wait_s = (now - arrived).seconds();
        let stats = &mut self.stats;
        let batch = (stats.n_started as u128 * WAIT_BATCHES as u128 / self.params.n_customers as u128) as usize;
        stats.n_started += 1;
        stats.wait_total_s += wait_s;
        stats.wait_batch_total_s[batch] += wait_s;
        stats.wait_batch_n[batch] += 1;
        let slot = &mut self.servers[server];
        assert!(slot.is_none(), "server {server} given a second customer");
        *slot = Some(InService {
            arrived,
            service_start: now,
        });
        let service = exponential_draw(&mut self.rng, self.params.service_rate_per_s);
        queue.schedule(now + service, QueueEvent::Departure { server })
    }
}

/// Puts the queue into a kernel: the [`QueueRun`] resource (with the kernel's generator
/// moved into it), the two handlers, and the first arrival.
pub fn install(kernel: &mut Kernel<QueueEvent>, config: &MmcConfig) -> Result<(), MmcError> {
    config.validate()?;
    let world = kernel.world_mut();
    let SimRng(rng) = world
        .remove_resource::<SimRng>()
        .expect("a new kernel has its generator");
    let mut run = QueueRun::new(config, rng);
    let first = run.first_arrival();
    world.insert_resource(run);
    kernel.on("arrival", on_arrival);
    kernel.on("departure", on_departure);
    kernel.schedule(first, QueueEvent::Arrival).map_err(MmcError::Run)
}

/// An exponential duration of rate `rate_per_s` by inverse transform, rounded to the second.
fn exponential_draw(rng: &mut ChaCha8Rng, rate_per_s: f64) -> SimDuration {
    // u is in [0, 1), so 1 − u is in (0, 1] and the logarithm is finite.
    let u: f64 = rng.random::<f64>();
    SimDuration::from_secs_rounded(-(1.0 - u).ln() / rate_per_s)
}

fn on_arrival(world: &mut World, _: &QueueEvent, ctx: &mut Context<'_, QueueEvent>) -> Result<(), KernelError> {
    let now = ctx.now();
    world.resource_mut::<QueueRun>().into_inner().arrival(now, ctx)
}

fn on_departure(world: &mut World, event: &QueueEvent, ctx: &mut Context<'_, QueueEvent>) -> Result<(), KernelError> {
    let QueueEvent::Departure { server } = *event else {
        unreachable!("departure handler got {event:?}")
    };
    let now = ctx.now();
    world
        .resource_mut::<QueueRun>()
        .into_inner()
        .departure(now, server, ctx)
}

/// The outcome of a run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MmcResult {
    pub n_served: u64,
    /// Mean time from arrival to start of service [s].
    pub mean_wait_s: f64,
    /// Mean time from arrival to departure [s].
    pub mean_system_s: f64,
    /// Busy time of all servers over servers × run length [-].
    pub utilisation: f64,
    /// Events handled (two per customer).
    pub n_events: u64,
    /// Time of the last departure [s].
    pub end_s: i64,
    /// Longest the waiting line has been [customers].
    pub queue_len_peak: usize,
    /// Mean wait of each of [`WAIT_BATCHES`] consecutive batches of customers [s]; empty
    /// batches (fewer customers than batches) are left out.
    pub wait_batch_means_s: Vec<f64>,
}

impl MmcResult {
    /// Standard error of the mean wait from the batch means [s], treating batches as
    /// independent (true when a batch is much longer than the queue's memory).
    pub fn mean_wait_standard_error_s(&self) -> f64 {
        let means = &self.wait_batch_means_s;
        let n = means.len() as f64;
        let grand = means.iter().sum::<f64>() / n;
        let variance = means.iter().map(|m| (m - grand).powi(2)).sum::<f64>() / (n - 1.0);
        (variance / n).sqrt()
    }
}

/// Simulates the queue until every customer has left.
pub fn simulate_mmc(config: &MmcConfig) -> Result<MmcResult, MmcError> {
    let mut kernel = Kernel::<QueueEvent>::new(KernelConfig {
        seed: config.seed,
        // At most one pending arrival and one departure per server.
        events_pending_max: config.n_servers.saturating_add(1),
        journal: false,
        ..KernelConfig::default()
    });
    install(&mut kernel, config)?;
    let n_events_max = 2 * config.n_customers;
    while kernel.step().map_err(MmcError::Run)?.is_some() {
        assert!(kernel.n_handled() <= n_events_max, "more than two events per customer");
    }
    let run = kernel
        .world_mut()
        .remove_resource::<QueueRun>()
        .expect("the queue's resource stays in the world");
    Ok(mmc_result(config, &run, kernel.n_handled(), kernel.now()))
}

/// The same queue on a bare event loop — the kernel's heap on `(time, seq)`, the state in a
/// local, a `match` on the event, no kernel or world — as the benchmark baseline of the
/// kernel (`sim/benches/kernel.rs`, `docs/benchmarks.md`). Same model code, same generator
/// and seed, same ordering: its result equals [`simulate_mmc`]'s (tested).
pub fn simulate_mmc_bare(config: &MmcConfig) -> Result<MmcResult, MmcError> {
    config.validate()?;
    let mut run = QueueRun::new(config, ChaCha8Rng::seed_from_u64(config.seed));
    let mut queue = BareLoop::new(config.n_servers.saturating_add(1));
    let first = run.first_arrival();
    queue.schedule(first, QueueEvent::Arrival).map_err(MmcError::Run)?;
    let mut n_events = 0_u64;
    while let Some(outcome) = queue.step(|time, event, ctx| match *event {
        QueueEvent::Arrival => run.arrival(time, ctx),
        QueueEvent::Departure { server } => run.departure(time, server, ctx),
    }) {
        outcome.map_err(MmcError::Run)?;
        n_events += 1;
    }
    Ok(mmc_result(config, &run, n_events, queue.now()))
}

/// The result of a finished run: `n_events` handled, the last at `end`.
fn mmc_result(config: &MmcConfig, run: &QueueRun, n_events: u64, end: SimTime) -> MmcResult {
    let stats = &run.stats;
    assert_eq!(
        stats.n_served, config.n_customers,
        "the queue drained before every customer left"
    );
    assert!(
        run.servers.iter().all(Option::is_none),
        "a server still busy at the end"
    );
    let end_s = end.seconds();
    let n_served = stats.n_served as f64;
    let busy_total_s: i64 = stats.busy_s.iter().sum();
    MmcResult {
        n_served: stats.n_served,
        mean_wait_s: stats.wait_total_s as f64 / n_served,
        mean_system_s: stats.system_total_s as f64 / n_served,
        // A run that ends at 0 s had only zero-length services.
        utilisation: if end_s > 0 {
            busy_total_s as f64 / (config.n_servers as f64 * end_s as f64)
        } else {
            0.0
        },
        n_events,
        end_s,
        queue_len_peak: run.line.len_peak,
        wait_batch_means_s: (0..WAIT_BATCHES)
            .filter(|&b| stats.wait_batch_n[b] > 0)
            .map(|b| stats.wait_batch_total_s[b] as f64 / stats.wait_batch_n[b] as f64)
            .collect(),
    }
}

/// Erlang C: the probability that an arrival has to wait in an M/M/c queue with arrival
/// rate λ, service rate μ per server and `n_servers` servers (rates in any one unit).
/// It is 1 when λ ≥ cμ (the limit as the queue saturates).
///
/// Computed through the Erlang-B recursion, which stays finite for thousands of servers.
///
/// # Panics
/// When a rate is not positive and finite or there is no server: callers validate first.
pub fn erlang_c_wait_probability(arrival_rate: f64, service_rate: f64, n_servers: usize) -> f64 {
    assert!(
        arrival_rate.is_finite() && arrival_rate > 0.0,
        "arrival rate {arrival_rate} is not positive"
    );
    assert!(
        service_rate.is_finite() && service_rate > 0.0,
        "service rate {service_rate} is not positive"
    );
    assert!(n_servers > 0, "an M/M/c queue needs a server");
    let offered_load = arrival_rate / service_rate;
    let c = n_servers as f64;
    if offered_load >= c {
        return 1.0;
    }
    let mut erlang_b = 1.0;
    for k in 1..=n_servers {
        erlang_b = offered_load * erlang_b / (k as f64 + offered_load * erlang_b);
    }
    c * erlang_b / (c - offered_load * (1.0 - erlang_b))
}

/// Erlang C: the mean wait before service, P(wait) / (cμ − λ), in the reciprocal of the
/// rates' time unit (rates per hour give hours). Infinite when λ ≥ cμ.
///
/// # Panics
/// As [`erlang_c_wait_probability`].
pub fn erlang_c_mean_wait(arrival_rate: f64, service_rate: f64, n_servers: usize) -> f64 {
    let spare_rate = n_servers as f64 * service_rate - arrival_rate;
    let p_wait = erlang_c_wait_probability(arrival_rate, service_rate, n_servers);
    if spare_rate <= 0.0 {
        f64::INFINITY
    } else {
        p_wait / spare_rate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// M/M/3 at ρ = 0.7 with a mean service of 600 s (μ = 6/h, λ = 12.6/h).
    fn mm3(n_customers: u64, seed: u64) -> MmcConfig {
        MmcConfig {
            arrival_rate_per_h: 12.6,
            service_rate_per_h: 6.0,
            n_servers: 3,
            n_customers,
            queue_len_max: 10_000,
            seed,
        }
    }

    fn assert_close(actual: f64, expected: f64, tolerance: f64) {
        assert!(
            (actual - expected).abs() <= tolerance,
            "{actual} is not within {tolerance} of {expected}"
        );
    }

    #[test]
    fn erlang_c_matches_the_textbook_m_m_3() {
        // c = 3, λ = 2, μ = 1: P(wait) = (8/6 · 3) / (1 + 2 + 2 + 4) = 4/9; Wq = P / (cμ − λ).
        assert_close(erlang_c_wait_probability(2.0, 1.0, 3), 4.0 / 9.0, 1e-12);
        assert_close(erlang_c_mean_wait(2.0, 1.0, 3), 4.0 / 9.0, 1e-12);
        // Units follow the rates: the same queue in minutes (λ = 2/min, μ = 1/min) waits 4/9 min.
        assert_close(erlang_c_mean_wait(120.0, 60.0, 3) * 60.0, 4.0 / 9.0, 1e-12);
    }

    #[test]
    fn erlang_c_with_one_server_is_m_m_1() {
        for (lambda, mu) in [(0.5, 1.0), (3.0, 4.0), (9.9, 10.0)] {
            assert_close(erlang_c_wait_probability(lambda, mu, 1), lambda / mu, 1e-12);
            assert_close(erlang_c_mean_wait(lambda, mu, 1), (lambda / mu) / (mu - lambda), 1e-9);
        }
    }

    #[test]
    fn erlang_c_saturates_and_stays_finite_for_many_servers() {
        assert_eq!(erlang_c_wait_probability(3.0, 1.0, 3), 1.0);
        assert_eq!(erlang_c_mean_wait(3.0, 1.0, 3), f64::INFINITY);
        // 1000 servers at ρ = 0.99: a direct a^c / c! would overflow.
        let p = erlang_c_wait_probability(990.0, 1.0, 1000);
        assert!(p.is_finite() && p > 0.0 && p < 1.0, "{p}");
    }

    #[test]
    fn simulated_m_m_3_wait_agrees_with_erlang_c() {
        let config = mm3(200_000, 1);
        let result = simulate_mmc(&config).unwrap();
        let analytic_s = config.erlang_c_mean_wait_s();
        let standard_error_s = result.mean_wait_standard_error_s();
        assert_eq!(result.wait_batch_means_s.len(), WAIT_BATCHES);
        // The interval must be narrow enough to mean something: under 5 % of the wait.
        assert!(
            standard_error_s < 0.05 * analytic_s,
            "standard error {standard_error_s} s of {analytic_s} s"
        );
        assert_close(result.mean_wait_s, analytic_s, 4.0 * standard_error_s);
        // Service takes 1/μ = 600 s on average (standard error 600 / √200 000 ≈ 1.3 s).
        assert_close(result.mean_system_s - result.mean_wait_s, 600.0, 6.0);
        assert_close(result.utilisation, config.utilisation(), 0.01);
        assert_eq!(result.n_served, 200_000);
        assert_eq!(result.n_events, 400_000);
    }

    #[test]
    fn same_seed_same_run_other_seed_other_run() {
        let first = simulate_mmc(&mm3(20_000, 7)).unwrap();
        assert_eq!(first, simulate_mmc(&mm3(20_000, 7)).unwrap());
        let other = simulate_mmc(&mm3(20_000, 8)).unwrap();
        assert_ne!(first.mean_wait_s, other.mean_wait_s);
        assert_ne!(first.end_s, other.end_s);
    }

    #[test]
    fn bare_loop_gives_the_kernel_result() {
        for config in [mm3(20_000, 7), mm3(20_000, 8)] {
            assert_eq!(simulate_mmc(&config).unwrap(), simulate_mmc_bare(&config).unwrap());
        }
        // A line that fills: both stop with the same error at the same customer.
        let full = MmcConfig {
            arrival_rate_per_h: 17.9,
            queue_len_max: 3,
            ..mm3(100_000, 0)
        };
        assert_eq!(simulate_mmc(&full).unwrap_err(), simulate_mmc_bare(&full).unwrap_err());
    }

    #[test]
    fn run_is_unchanged_by_the_faster_kernel_model() {
        // Figures of the queue before it moved into one resource (2026-12-02).
        let result = simulate_mmc(&mm3(20_000, 7)).unwrap();
        assert_eq!((result.end_s, result.queue_len_peak), (5_685_008, 18));
        assert_eq!(result.mean_wait_s, 298.5553);
        assert_eq!(result.mean_system_s, 889.7233);
        assert_eq!(result.wait_batch_means_s[2], 535.019);
    }

    #[test]
    fn unstable_queue_is_an_error() {
        let config = MmcConfig {
            arrival_rate_per_h: 18.0,
            ..mm3(1000, 0)
        };
        let err = simulate_mmc(&config).unwrap_err();
        assert_eq!(
            err,
            MmcError::Unstable {
                arrival_rate_per_h: 18.0,
                capacity_per_h: 18.0
            }
        );
        assert!(err.to_string().starts_with("unstable queue"), "{err}");
    }

    #[test]
    fn a_full_waiting_line_stops_the_run_with_an_error() {
        let config = MmcConfig {
            arrival_rate_per_h: 17.9,
            queue_len_max: 3,
            ..mm3(100_000, 0)
        };
        let err = simulate_mmc(&config).unwrap_err();
        assert!(
            matches!(err, MmcError::Run(KernelError::Handler { kind: "arrival", .. })),
            "{err}"
        );
        assert!(err.to_string().contains("waiting line full (3 customers)"), "{err}");
    }

    #[test]
    fn invalid_configuration_reports_every_problem() {
        let config = MmcConfig {
            arrival_rate_per_h: f64::NAN,
            service_rate_per_h: -1.0,
            n_servers: 0,
            n_customers: 0,
            queue_len_max: 0,
            seed: 0,
        };
        let Err(MmcError::Invalid { problems }) = simulate_mmc(&config) else {
            panic!("accepted {config:?}")
        };
        assert_eq!(problems.len(), 5, "{problems:?}");
    }
}
