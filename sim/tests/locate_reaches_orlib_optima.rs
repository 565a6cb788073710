//! The facility-location solvers on two OR-Library p-median instances (Beasley 1985):
//! p-median must reach and prove the published optima (pmed1: 5819, pmed5: 1355), its
//! lower bound meeting the value; p-center must reach and prove the optima listed for these
//! instances (pmed1: 127, pmed5: 48; see docs/validation.md for the source).
//!
//! The files are copied into `resources/orlib/` from `../shared/data/orlib/`, so every
//! checkout has them.

use tripoint_sim::locate::{self, LocationProblem, Objective, Solution, SolveLimits};

fn solve(file: &str, objective: Objective) -> Solution {
    let path = format!("{}/../resources/orlib/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let instance = locate::parse_orlib(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert_eq!(instance.n_nodes, 100);
    assert_eq!(instance.n_edge_lines, 200);
    let problem = LocationProblem::on_all_nodes(&instance.shortest_paths());
    let solution = locate::solve(&problem, objective, instance.p, &SolveLimits::default()).unwrap();
    assert_eq!(solution.sites.len(), instance.p);
    let value = match objective {
        Objective::Median => problem.median_value(&solution.sites),
        Objective::Center => problem.center_value(&solution.sites),
        Objective::Covering { radius } => problem.covered_weight(&solution.sites, radius),
    };
    assert_eq!(solution.value, value, "the reported value is that of the sites");
    solution
}

#[test]
fn locate_median_reaches_and_proves_the_pmed1_optimum_5819() {
    let solution = solve("pmed1.txt", Objective::Median);
    assert_eq!((solution.value, solution.bound), (5819.0, 5819.0), "{solution:?}");
}

#[test]
fn locate_median_reaches_and_proves_the_pmed5_optimum_1355() {
    let solution = solve("pmed5.txt", Objective::Median);
    assert_eq!((solution.value, solution.bound), (1355.0, 1355.0), "{solution:?}");
}

#[test]
fn locate_center_reaches_and_proves_the_pmed1_optimum_127() {
    let solution = solve("pmed1.txt", Objective::Center);
    assert_eq!((solution.value, solution.bound), (127.0, 127.0), "{solution:?}");
}

#[test]
fn locate_center_reaches_and_proves_the_pmed5_optimum_48() {
    let solution = solve("pmed5.txt", Objective::Center);
    assert_eq!((solution.value, solution.bound), (48.0, 48.0), "{solution:?}");
}
