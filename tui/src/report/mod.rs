//! Reports written to files: the drill's after-action report and the SVG charts.

pub mod charts;
pub mod drill;
pub mod express;
pub mod optimise;
pub mod planner;
