//! Tripoint's simulation library: a deterministic discrete-event kernel on a `bevy_ecs`
//! world, the scenario format, GB 3838 reference data, and river-network pollutant
//! transport with a forecast on top.
//!
//! # Contracts
//! - **Ordering**: events run in ascending time; events at the same time run in the order
//!   they were scheduled (see [`kernel`]). Each event kind has exactly one handler.
//! - **Determinism**: the same scenario, seed and version give the same journal, byte for
//!   byte. Time is integer seconds ([`time::SimTime`]); all randomness comes from the one
//!   seeded ChaCha generator in the world; no hash-map iteration on simulation paths.
//! - **No I/O**: this crate reads no files, no clock and no terminal; reference data and the
//!   built-in scenario are embedded at compile time.

pub mod analytic;
pub mod drill;
pub mod equipment;
pub mod event;
pub mod fleet;
pub mod forecast;
pub mod hydraulics;
pub mod identify;
pub mod kernel;
pub mod locate;
pub mod plan;
pub mod planner;
pub mod queueing;
pub mod response;
pub mod result_value;
pub mod roads;
pub mod scenario;
pub mod standards;
pub mod synthetic;
pub mod time;
pub mod transport;
pub mod validation;
