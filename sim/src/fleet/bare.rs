//! The fleet model on a bare event loop: the kernel's queue alone ([`BareLoop`]), the run's
//! state in a local variable, a `match` on the event — no world, no handler table, no
//! journal. It is the benchmark baseline the kernel is measured against
//! (`sim/benches/fleet.rs`, `docs/benchmarks.md`): the same model code
//! (`FleetRun::incident`, `FleetRun::team_back`), the same generator seeded the same way
//! and the same ordering rule, so its result equals [`super::simulate`]'s for every input
//! (tested), and the difference in time is what the kernel costs.

use super::{
    FleetError, FleetEvent, FleetModel, FleetResult, FleetRun, FleetRunEnd, events_pending_max, first_incident,
};
use crate::kernel::{BareLoop, Schedule};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// Simulates the model on the bare loop until every incident of the horizon has been served.
pub fn simulate_bare(model: &FleetModel) -> Result<FleetResult, FleetError> {
    Ok(run_bare(model)?.summarise())
}

/// The run of [`simulate_bare`] before its summary (as [`super::run`] is [`super::simulate`]'s).
pub fn run_bare(model: &FleetModel) -> Result<FleetRunEnd, FleetError> {
    let mut rng = ChaCha8Rng::seed_from_u64(model.seed);
    let mut queue = BareLoop::new(events_pending_max(model));
    if let Some(first) = first_incident(model, &mut rng) {
        queue.schedule(first, FleetEvent::Incident).map_err(FleetError::Run)?;
    }
    let mut run = FleetRun::new(model, rng);
    let mut n_events = 0_u64;
    while let Some(outcome) = queue.step(|time, event, ctx| match *event {
        FleetEvent::Incident => run.incident(time, ctx),
        FleetEvent::Return { team } => run.team_back(time, team, ctx),
    }) {
        outcome.map_err(FleetError::Run)?;
        n_events += 1;
    }
    Ok(FleetRunEnd::new(run.state, run.model, n_events, queue.now()))
}
