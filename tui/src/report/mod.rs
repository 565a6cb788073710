//! Reports written to files: the drill's after-action report, the monitoring plan and its
//! express reports, the planner's and source identification's reports, and the SVG charts.

pub mod charts;
pub mod drill;
pub mod express;
pub mod identify;
pub mod optimise;
pub mod plan;
pub mod planner;
