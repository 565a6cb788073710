//! The fleet model on a bare event loop: a `BinaryHeap` ordered by `(time, seq)`, the run's
//! state in a local variable, a `match` on the event — no kernel, no world, no handler
//! table, no journal. It is the benchmark baseline the kernel is measured against
//! (`sim/benches/fleet.rs`, `docs/benchmarks.md`): the same model code
//! (`FleetRun::incident`, `FleetRun::team_back`), the same generator seeded the same way
//! and the same ordering rule, so its result equals [`super::simulate`]'s for every input
//! (tested), and the difference in time is what the kernel costs.

use super::{
    FleetError, FleetEvent, FleetModel, FleetResult, FleetRun, FleetState, Schedule, events_pending_max,
    first_incident, summarise,
};
use crate::kernel::KernelError;
use crate::time::SimTime;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

/// An event waiting in the heap; ordered by time, then by the order it was scheduled in.
struct Pending {
    time: SimTime,
    seq: u64,
    event: FleetEvent,
}

impl PartialEq for Pending {
    fn eq(&self, other: &Self) -> bool {
        (self.time, self.seq) == (other.time, other.seq)
    }
}
impl Eq for Pending {}
impl PartialOrd for Pending {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Pending {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.time, self.seq).cmp(&(other.time, other.seq))
    }
}

/// The heap and the clock. It keeps the kernel's two checks (nothing scheduled in the past,
/// a bounded number pending) so that both loops do the same work per event.
struct BareQueue {
    heap: BinaryHeap<Reverse<Pending>>,
    seq_next: u64,
    now: SimTime,
    events_pending_max: usize,
}

impl Schedule for BareQueue {
    fn schedule(&mut self, time: SimTime, event: FleetEvent) -> Result<(), KernelError> {
        if time < self.now {
            return Err(KernelError::ScheduledInPast {
                now: self.now,
                requested: time,
                kind: match event {
                    FleetEvent::Incident => "incident",
                    FleetEvent::Return { .. } => "return",
                },
            });
        }
        if self.heap.len() >= self.events_pending_max {
            return Err(KernelError::QueueFull {
                events_pending_max: self.events_pending_max,
            });
        }
        self.heap.push(Reverse(Pending {
            time,
            seq: self.seq_next,
            event,
        }));
        self.seq_next += 1;
        Ok(())
    }
}

/// Simulates the model on the bare loop until every incident of the horizon has been served.
pub fn simulate_bare(model: &FleetModel) -> Result<FleetResult, FleetError> {
    let mut rng = ChaCha8Rng::seed_from_u64(model.seed);
    let mut queue = BareQueue {
        heap: BinaryHeap::with_capacity(events_pending_max(model)),
        seq_next: 0,
        now: SimTime::ZERO,
        events_pending_max: events_pending_max(model),
    };
    if let Some(first) = first_incident(model, &mut rng) {
        queue.schedule(first, FleetEvent::Incident).map_err(FleetError::Run)?;
    }
    let mut run = FleetRun {
        model: model.clone(),
        rng,
        state: FleetState::new(model),
    };
    let mut n_events = 0_u64;
    while let Some(Reverse(Pending { time, event, .. })) = queue.heap.pop() {
        queue.now = time;
        match event {
            FleetEvent::Incident => run.incident(time, &mut queue),
            FleetEvent::Return { team } => run.team_back(time, team, &mut queue),
        }
        .map_err(FleetError::Run)?;
        n_events += 1;
    }
    Ok(summarise(&run.state, model, n_events, queue.now))
}
