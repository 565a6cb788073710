//! Synthetic networks K times the zone (`tripoint_sim::synthetic`): the text is a valid
//! scenario, the same for the same settings, and its copies form one river, so that a
//! release in copy 1 reaches copy 2 with its mass accounted for.

use tripoint_sim::forecast::{self, ForecastRequest};
use tripoint_sim::scenario::{NodeKind, Scenario, SourceText};
use tripoint_sim::synthetic::{self, SyntheticZone, copy_id};
use tripoint_sim::time::SimDuration;
use tripoint_sim::transport::Network;

fn synthetic(copies: usize, seed: u64, length_jitter: f64) -> (String, Scenario) {
    let text = synthetic::zone_copies(&SyntheticZone {
        copies,
        seed,
        length_jitter,
    })
    .unwrap();
    let scenario = Scenario::parse(&SourceText::new(format!("synthetic-{copies}.toml"), text.as_str()))
        .unwrap_or_else(|e| panic!("{copies} copies, seed {seed}: the loader refuses the text:\n{e}"));
    (text, scenario)
}

fn discharge(scenario: &Scenario, node: usize, into: bool, regime: usize) -> f64 {
    scenario
        .reaches
        .iter()
        .filter(|r| if into { r.to == node } else { r.from == node })
        .map(|r| r.discharge_m3_s[regime])
        .sum()
}

#[test]
fn the_same_settings_give_the_same_text_and_another_seed_another() {
    let (first, _) = synthetic(3, 7, 0.1);
    let (again, _) = synthetic(3, 7, 0.1);
    let (other_seed, _) = synthetic(3, 8, 0.1);
    assert_eq!(first, again);
    assert_ne!(first, other_seed);
}

#[test]
fn one_copy_without_jitter_is_the_zone() {
    let zone = Scenario::builtin();
    let (_, one) = synthetic(1, 3, 0.0);
    let (_, one_jittered) = synthetic(1, 3, 0.3);
    for s in [&one, &one_jittered] {
        assert_eq!(s.nodes.len(), zone.nodes.len());
        assert_eq!(s.reaches.len(), zone.reaches.len());
        assert_eq!(s.points.len(), zone.points.len());
        assert_eq!(s.teams.len(), zone.teams.len());
        assert_eq!(s.releases, zone.releases);
        for (a, b) in s.reaches.iter().zip(&zone.reaches) {
            assert_eq!(
                (&a.id, a.length_m, &a.discharge_m3_s),
                (&b.id, b.length_m, &b.discharge_m3_s)
            );
        }
    }
}

#[test]
fn two_and_ten_copies_load_validate_and_are_chained() {
    let zone = Scenario::builtin();
    let zone_cells = Network::build(&zone).unwrap().n_cells();
    for copies in [2, 10] {
        let (_, s) = synthetic(copies, 1, 0.1);
        let links = copies - 1;
        assert_eq!(
            s.nodes.len(),
            zone.nodes.len() * copies + links,
            "a spill outlet per link"
        );
        assert_eq!(
            s.reaches.len(),
            zone.reaches.len() * copies + 2 * links,
            "a link and a spill reach per link"
        );
        assert_eq!(s.points.len(), zone.points.len() * copies);
        assert_eq!(s.risk_sources.len(), zone.risk_sources.len() * copies);
        assert_eq!(s.teams.len(), zone.teams.len() * copies);
        assert_eq!(s.jurisdictions.len(), zone.jurisdictions.len() * copies);
        assert_eq!(s.releases.len(), 1, "the zone's release, in copy 1");
        let network = Network::build(&s).unwrap();
        let cells = network.n_cells() as f64;
        let expected = (zone_cells * copies) as f64;
        assert!(
            (cells / expected - 1.0).abs() < 0.1,
            "{copies} copies: {cells} cells, the zone has {zone_cells}"
        );
        let regimes: Vec<usize> = (0..s.regimes.len()).collect();
        network.check_work(&regimes, SimDuration(72 * 3600)).unwrap();
        for copy in 1..copies {
            let outlet = s.node_idx(&copy_id("huangpu", copy)).unwrap();
            let gate = s.node_idx(&copy_id("taipu_gate", copy + 1)).unwrap();
            assert_eq!(s.nodes[outlet].kind, NodeKind::Junction);
            assert_eq!(s.nodes[gate].kind, NodeKind::Junction);
            for regime in 0..s.regimes.len() {
                for node in [outlet, gate] {
                    let (q_in, q_out) = (discharge(&s, node, true, regime), discharge(&s, node, false, regime));
                    assert_eq!(q_in, q_out, "copy {copy}, node {}, regime {regime}", s.nodes[node].id);
                }
                let gate_zone = zone.node_idx("taipu_gate").unwrap();
                assert_eq!(
                    discharge(&s, gate, false, regime),
                    discharge(&zone, gate_zone, false, regime),
                    "every copy carries the zone's own flows"
                );
            }
        }
        let last_outlet = s.node_idx(&copy_id("huangpu", copies)).unwrap();
        assert_eq!(s.nodes[last_outlet].kind, NodeKind::Outlet);
        assert_eq!(s.nodes[s.node_idx("taipu_gate").unwrap()].kind, NodeKind::Inflow);
    }
}

#[test]
fn a_release_in_copy_one_reaches_copy_two_and_its_mass_is_kept() {
    for copies in [2, 10] {
        let (_, s) = synthetic(copies, 1, 0.1);
        let mut request = ForecastRequest::from_scenario(&s);
        request.journal = false;
        let f = forecast::run(&s, &request).unwrap();
        let point = |id: &str| f.points.iter().find(|p| p.point == id);
        // The Taipu Gate station of copy 2 stands 500 m below the link from copy 1.
        let arrival = point(&copy_id("taipu_gate_station", 2))
            .unwrap_or_else(|| panic!("{copies} copies: copy 2 is not downstream of the release"));
        assert!(
            arrival.reached && arrival.peak_mg_l > 0.0,
            "{copies} copies: {arrival:?}"
        );
        let upstream = point("mao_river_section").unwrap();
        assert!(
            arrival.leading_edge_s > upstream.leading_edge_s && arrival.peak_mg_l < upstream.peak_mg_l,
            "copy 2 reads the plume after and below copy 1's last section"
        );
        if copies > 2 {
            // 72 hours of normal flow carry the plume through copy 2 at most.
            let far = point(&copy_id("taipu_gate_station", copies)).unwrap();
            assert!(!far.reached && far.peak_mg_l < 1e-12, "{far:?}");
        }
        assert_eq!(f.mass_balance.len(), 1);
        let ledger = &f.mass_balance[0];
        assert!(ledger.relative_imbalance.abs() < 1e-9, "{copies} copies: {ledger:?}");
        assert!((ledger.released_kg - 300.0).abs() < 1e-9);
    }
}
