//! Road travel times between road nodes: the road network as a petgraph graph, shortest
//! driving times precomputed once (Dijkstra from every node), so that dispatch never
//! searches paths inside its loops. Bridges are the only river crossings; closing one
//! (a drill event) rebuilds the matrix without it.

use crate::scenario::Scenario;
use petgraph::algo::dijkstra;
use petgraph::graph::{NodeIndex, UnGraph};
use std::collections::BTreeSet;

/// Shortest driving times between every pair of road nodes [s] at typical road speeds.
#[derive(Clone, Debug)]
pub struct TravelTimes {
    n_nodes: usize,
    /// Row-major `n_nodes × n_nodes`; infinite where no road connects.
    seconds: Vec<f64>,
}

impl TravelTimes {
    /// All roads open.
    pub fn build(scenario: &Scenario) -> TravelTimes {
        Self::build_without(scenario, &BTreeSet::new())
    }

    /// With the roads whose indices are in `closed` taken out (e.g. a bridge closure).
    pub fn build_without(scenario: &Scenario, closed: &BTreeSet<usize>) -> TravelTimes {
        let n_nodes = scenario.road_nodes.len();
        let mut graph = UnGraph::<(), f64>::with_capacity(n_nodes, scenario.roads.len());
        let ids: Vec<NodeIndex> = (0..n_nodes).map(|_| graph.add_node(())).collect();
        for (idx, road) in scenario.roads.iter().enumerate() {
            if !closed.contains(&idx) {
                graph.add_edge(ids[road.from], ids[road.to], road.travel_time_s());
            }
        }
        let mut seconds = vec![f64::INFINITY; n_nodes * n_nodes];
        for (from, &start) in ids.iter().enumerate() {
            // dijkstra returns a HashMap: read it by index only, never iterate it.
            let reached = dijkstra(&graph, start, None, |e| *e.weight());
            for (to, node) in ids.iter().enumerate() {
                if let Some(t) = reached.get(node) {
                    seconds[from * n_nodes + to] = *t;
                }
            }
        }
        TravelTimes { n_nodes, seconds }
    }

    /// Driving time from one road node to another [s]; `None` if no road connects them.
    pub fn between(&self, from: usize, to: usize) -> Option<f64> {
        let t = self.seconds[from * self.n_nodes + to];
        t.is_finite().then_some(t)
    }

    pub fn n_nodes(&self) -> usize {
        self.n_nodes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Road, RoadNode};

    fn scenario_with_roads(roads: &[(usize, usize, f64, f64, bool)], n_nodes: usize) -> Scenario {
        let mut s = Scenario::builtin();
        s.road_nodes = (0..n_nodes)
            .map(|i| RoadNode {
                id: format!("n{i}"),
                name: format!("n{i}"),
                name_zh: String::new(),
                jurisdiction: 0,
                lon: 120.0,
                lat: 31.0,
            })
            .collect();
        s.roads = roads
            .iter()
            .map(|&(from, to, length_km, speed_kmh, bridge)| Road {
                from,
                to,
                name: String::new(),
                name_zh: String::new(),
                length_km,
                speed_kmh,
                bridge,
            })
            .collect();
        s
    }

    #[test]
    fn shortest_time_prefers_the_fast_road() {
        // 0–1 direct 10 km at 30 km/h (1200 s); 0–2–1 20 km at 90 km/h (800 s).
        let s = scenario_with_roads(
            &[
                (0, 1, 10.0, 30.0, false),
                (0, 2, 10.0, 90.0, false),
                (2, 1, 10.0, 90.0, false),
            ],
            3,
        );
        let t = TravelTimes::build(&s);
        assert!((t.between(0, 1).unwrap() - 800.0).abs() < 1e-9);
        assert_eq!(t.between(1, 0), t.between(0, 1), "roads are two-way");
        assert_eq!(t.between(2, 2), Some(0.0));
    }

    #[test]
    fn closing_the_only_bridge_cuts_the_bank_off() {
        let s = scenario_with_roads(&[(0, 1, 2.0, 60.0, true), (1, 2, 5.0, 60.0, false)], 3);
        assert!(TravelTimes::build(&s).between(0, 2).is_some());
        let closed = TravelTimes::build_without(&s, &BTreeSet::from([0]));
        assert_eq!(closed.between(0, 2), None);
        assert!(closed.between(1, 2).is_some());
    }
}

/// Distances along the river network between places on it [m], for boats. Reaches are
/// travelled both ways; a lake is crossed for free at its node (its area is not modelled
/// as distance). Node-to-node distances are computed once (Floyd–Warshall on the small
/// river graph).
#[derive(Clone, Debug)]
pub struct RiverDistances {
    n_nodes: usize,
    node_m: Vec<f64>,
    /// (from, to, length) of every reach.
    reaches: Vec<(usize, usize, f64)>,
}

impl RiverDistances {
    pub fn build(scenario: &Scenario) -> RiverDistances {
        let n_nodes = scenario.nodes.len();
        let mut node_m = vec![f64::INFINITY; n_nodes * n_nodes];
        for i in 0..n_nodes {
            node_m[i * n_nodes + i] = 0.0;
        }
        let reaches: Vec<(usize, usize, f64)> = scenario.reaches.iter().map(|r| (r.from, r.to, r.length_m)).collect();
        for &(a, b, length) in &reaches {
            let shorter = node_m[a * n_nodes + b].min(length);
            node_m[a * n_nodes + b] = shorter;
            node_m[b * n_nodes + a] = shorter;
        }
        for k in 0..n_nodes {
            for i in 0..n_nodes {
                for j in 0..n_nodes {
                    let via = node_m[i * n_nodes + k] + node_m[k * n_nodes + j];
                    if via < node_m[i * n_nodes + j] {
                        node_m[i * n_nodes + j] = via;
                    }
                }
            }
        }
        RiverDistances {
            n_nodes,
            node_m,
            reaches,
        }
    }

    /// Ends of a place with the distance to each: a node is its own end.
    fn ends(&self, location: crate::scenario::Location) -> [(usize, f64); 2] {
        match location {
            crate::scenario::Location::Node(node) | crate::scenario::Location::LakeCell { node, .. } => {
                [(node, 0.0), (node, 0.0)]
            }
            crate::scenario::Location::Reach { reach, chainage_m } => {
                let (from, to, length) = self.reaches[reach];
                [(from, chainage_m), (to, (length - chainage_m).max(0.0))]
            }
        }
    }

    /// Distance by water between two places [m]; `None` if no water connects them.
    pub fn between(&self, a: crate::scenario::Location, b: crate::scenario::Location) -> Option<f64> {
        use crate::scenario::Location;
        if let (
            Location::Reach {
                reach: ra,
                chainage_m: ca,
            },
            Location::Reach {
                reach: rb,
                chainage_m: cb,
            },
        ) = (a, b)
            && ra == rb
        {
            return Some((ca - cb).abs());
        }
        let mut best = f64::INFINITY;
        for (na, da) in self.ends(a) {
            for (nb, db) in self.ends(b) {
                best = best.min(da + self.node_m[na * self.n_nodes + nb] + db);
            }
        }
        best.is_finite().then_some(best)
    }
}

#[cfg(test)]
mod river_tests {
    use super::*;
    use crate::scenario::Location;

    #[test]
    fn boats_follow_the_river_both_ways() {
        let s = Scenario::builtin();
        let river = RiverDistances::build(&s);
        let reach = s.reach_idx("taipu_wujiang_2").unwrap();
        let a = Location::Reach {
            reach,
            chainage_m: 1_000.0,
        };
        let b = Location::Reach {
            reach,
            chainage_m: 6_000.0,
        };
        assert_eq!(river.between(a, b), Some(5_000.0));
        // Across a junction: to the end of this reach, then along the next one.
        let next = s
            .reaches
            .iter()
            .position(|r| r.from == s.reaches[reach].to && r.id.starts_with("taipu"))
            .unwrap();
        let c = Location::Reach {
            reach: next,
            chainage_m: 500.0,
        };
        let expected = s.reaches[reach].length_m - 1_000.0 + 500.0;
        assert!((river.between(a, c).unwrap() - expected).abs() < 1e-9);
        assert_eq!(river.between(c, a), river.between(a, c));
    }
}
