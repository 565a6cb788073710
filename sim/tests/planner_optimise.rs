//! The planner's search finds a planted improvement: every team of the built-in zone
//! stationed at the Shanghai centre, far from the lakes. Searching on the time to the
//! first site sample, it must bring the county teams back into their counties (the only
//! other sites they may use) and the gain must hold on trials the search did not see.

use tripoint_sim::planner::optimise::{self, Goal, SearchSpec, score};
use tripoint_sim::planner::{Planner, draw::DrawModel};
use tripoint_sim::response::dispatch::PolicyKind;
use tripoint_sim::scenario::Scenario;
use tripoint_sim::time::SimDuration;

#[test]
fn search_brings_far_stationed_teams_back_and_the_gain_holds_out_of_sample() {
    let mut zone = Scenario::builtin_named("demo-zone.toml").unwrap();
    let far = zone.depots.iter().position(|d| d.id == "shanghai_centre").unwrap();
    for team in &mut zone.teams {
        team.depot = far;
    }
    let model = DrawModel::default_for(&zone);
    let planner = Planner::new(zone, model, SimDuration::from_hours(8)).unwrap();
    let spec = SearchSpec {
        goal: Goal::P90Response,
        policy: PolicyKind::Unified,
        teams: planner.base.teams.len(),
        kits: vec![],
        across_borders: false,
        seed: 9,
        search_trials: 12,
        max_evaluations: 20,
    };
    let found = optimise::optimise(&planner, &spec, &|_, _| {}).unwrap();
    assert!(
        found.proposed_score.better_than(&found.today_score),
        "{:?} vs {:?}",
        found.proposed_score,
        found.today_score
    );
    // The county teams on round-the-clock duty left Shanghai for a site of their own
    // county, and so did most of the others (a day team called out from home at night
    // may tie between sites on a dozen trials).
    let county = ["wujiang", "jiashan", "qingpu"];
    let mut moved = 0;
    let mut county_teams = 0;
    for (t, team) in planner.base.teams.iter().enumerate() {
        let j = &planner.base.jurisdictions[team.jurisdiction].id;
        let site = &found.sites[found.proposed.station[t].unwrap()];
        eprintln!("{} @ {}", team.id, site.id);
        if county.contains(&j.as_str()) {
            county_teams += 1;
            moved += usize::from(site.jurisdiction == team.jurisdiction);
            if team.id.ends_with("_duty") {
                assert_eq!(site.jurisdiction, team.jurisdiction, "{} stays at {}", team.id, site.id);
            }
        }
    }
    assert!(
        moved * 4 >= county_teams * 3,
        "{moved} of {county_teams} county teams moved home"
    );
    // Out of sample: the mean time to the site sample falls on 40 other trials.
    let sites = &found.sites;
    let check = |a: &optimise::Allocation| {
        let rows = planner
            .evaluate_allocation(a, sites, 9, 12..52, &[PolicyKind::Unified])
            .unwrap();
        score(Goal::P90Response, &rows, 8.0 * 60.0)
    };
    let (today, proposed) = (check(&found.today), check(&found.proposed));
    assert!(
        -proposed.secondary < -today.secondary - 10.0,
        "mean site sample {:.1} min proposed vs {:.1} min today",
        -proposed.secondary,
        -today.secondary
    );
}
