//! The closed set of simulation events. Each kind has exactly one handler, registered by
//! the module that owns it (see `Kernel::on`).

use crate::kernel::SimEvent;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// Advance transport to now and sample the named points (transport module).
    TransportStep,
    /// A release begins (transport module). Carries its description for the journal.
    ReleaseStart {
        release: usize,
        pollutant: String,
        mass_kg: f64,
        location: String,
        duration_s: i64,
    },
    /// The flow regime changes, e.g. the Taipu Gate raises its discharge (transport module).
    FlowChange { regime: usize, regime_id: String },
}

impl SimEvent for Event {
    const KINDS: &'static [&'static str] = &["transport_step", "release_start", "flow_change"];

    fn kind_index(&self) -> usize {
        match self {
            Event::TransportStep => 0,
            Event::ReleaseStart { .. } => 1,
            Event::FlowChange { .. } => 2,
        }
    }
}
