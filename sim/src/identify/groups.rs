//! With the prior anywhere: the weighed places grouped into stretches a commander can act
//! on — "on this reach from this chainage to that one, near this point, with this
//! probability, since about then, about this much" — instead of the single most probable
//! place.
//!
//! A group is a run of places on one reach whose stretches touch (a coarse place's
//! stretch, or a divided stretch's part), each holding at least [`GROUP_FLOOR`] of the
//! posterior (or a tenth of the most probable place's, where that is less), or the places
//! of one lake that do. A place below the floor ends a run: the posterior is not worth
//! acting on there. The group's start and mass intervals are those of the mixture of its
//! places' posteriors, each weighted by its probability: the refined posterior spreads
//! along a reach, each place explaining the results with its own start and mass, and the
//! most probable place's intervals alone leave out the others'.

use super::{Grid, MassAxis, Place, PlaceEvidence, Stretch, mass_interval, start_interval, stretches};
use crate::plan;
use crate::scenario::{Location, NodeKind, Scenario};
use serde::Serialize;

/// A place belongs to a group when it holds at least this share of the posterior (or a
/// tenth of the most probable place's share, where that is less): the candidates list's
/// threshold.
pub const GROUP_FLOOR: f64 = 1e-3;
/// Groups listed, most probable first.
pub const GROUPS_LISTED_MAX: usize = 10;

/// Where a group lies: a reach or a lake (indices into the scenario's reaches and nodes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Water {
    Reach(usize),
    Lake(usize),
}

/// Places near each other that together hold a share of the posterior, with what the
/// results say about a release in them.
#[derive(Clone, Debug, Serialize)]
pub struct Group {
    /// The reach's or the lake's id.
    pub water: String,
    #[serde(skip)]
    pub at: Water,
    /// Chainage on the reach where the group's stretch begins and ends [m] (the stretches
    /// its places stand for); `None` in a lake.
    pub from_m: Option<f64>,
    pub to_m: Option<f64>,
    /// The scenario's named point nearest the group's most probable place, and how far
    /// from it, in a straight line [m]; `None` (JSON null) in a scenario with no named
    /// points.
    pub near_point: Option<String>,
    pub near_point_m: Option<f64>,
    /// Posterior probability that the release was in the group: its places' sum.
    pub probability: f64,
    pub n_places: usize,
    /// The group's most probable place (its label) and its probability.
    pub top_place: String,
    pub top_place_probability: f64,
    /// Start time: 5 %, 50 %, 95 % quantiles of the mixture of the places' posteriors,
    /// each weighted by its probability [s] (widened by the output step as a candidate's).
    pub start_s: [i64; 3],
    /// Mass: 5 %, 50 %, 95 % quantiles of that mixture [kg].
    pub mass_kg: [f64; 3],
}

impl Group {
    /// Whether `location` lies in the group or, on its reach, within `margin_m` of it (a
    /// node at either end of the reach at its chainage there; in a lake: at the lake's node
    /// or one of its cells).
    pub fn holds(&self, scenario: &Scenario, location: Location, margin_m: f64) -> bool {
        let within = |chainage_m: f64| {
            let (from, to) = (self.from_m.unwrap_or(0.0), self.to_m.unwrap_or(0.0));
            from - margin_m <= chainage_m && chainage_m <= to + margin_m
        };
        match (self.at, location) {
            (Water::Reach(reach), Location::Reach { reach: r, chainage_m }) => r == reach && within(chainage_m),
            (Water::Reach(reach), Location::Node(n)) => {
                let r = &scenario.reaches[reach];
                (r.from == n && within(0.0)) || (r.to == n && within(r.length_m))
            }
            (Water::Lake(node), Location::Node(n) | Location::LakeCell { node: n, .. }) => n == node,
            _ => false,
        }
    }

    /// How long the group's stretch is [m]; zero in a lake.
    pub fn length_m(&self) -> f64 {
        self.to_m.unwrap_or(0.0) - self.from_m.unwrap_or(0.0)
    }
}

/// Where one place lies for grouping: its reach and the stretch it stands for, or its lake.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Extent {
    water: Water,
    from_m: f64,
    to_m: f64,
}

/// The stretch a place of the prior anywhere stands for: its coarse stretch, or its part
/// of a divided one (`divided`); a lake's node or cell stands for the lake.
fn extent(scenario: &Scenario, spacing_m: f64, divided: &[Stretch], location: Location) -> Option<Extent> {
    match location {
        Location::Reach { reach, chainage_m } => {
            let stretch = Stretch::at(scenario, spacing_m, location)?;
            let (_, length_m) = stretches(scenario, reach, spacing_m);
            let from_m = length_m * stretch.k as f64;
            if !divided.contains(&stretch) {
                return Some(Extent {
                    water: Water::Reach(reach),
                    from_m,
                    to_m: from_m + length_m,
                });
            }
            let parts = stretch.parts(scenario, spacing_m);
            let part_m = length_m / parts as f64;
            let j = (((chainage_m - from_m) / part_m).floor().max(0.0) as usize).min(parts - 1);
            Some(Extent {
                water: Water::Reach(reach),
                from_m: from_m + part_m * j as f64,
                to_m: from_m + part_m * (j + 1) as f64,
            })
        }
        Location::Node(node) | Location::LakeCell { node, .. } => {
            matches!(scenario.nodes[node].kind, NodeKind::Lake { .. }).then_some(Extent {
                water: Water::Lake(node),
                from_m: 0.0,
                to_m: 0.0,
            })
        }
    }
}

/// The posterior's groups, most probable first (at most [`GROUPS_LISTED_MAX`]): `places`
/// with their `evidence` and `probability`, `divided` the stretches weighed again divided.
pub(super) fn groups(
    scenario: &Scenario,
    spacing_m: f64,
    divided: &[Stretch],
    places: &[Place],
    evidence: &[PlaceEvidence],
    probability: &[f64],
    grid: &Grid,
) -> Vec<Group> {
    let top = probability.iter().copied().fold(0.0, f64::max);
    let floor = GROUP_FLOOR.min(0.1 * top);
    let mut held: Vec<(Extent, usize)> = (0..places.len())
        .filter(|&p| probability[p] >= floor && probability[p] > 0.0)
        .filter_map(|p| extent(scenario, spacing_m, divided, places[p].location).map(|e| (e, p)))
        .collect();
    held.sort_by(|(a, i), (b, j)| a.water.cmp(&b.water).then(a.from_m.total_cmp(&b.from_m)).then(i.cmp(j)));
    // Runs of touching stretches on a reach; a lake's places together.
    let mut runs: Vec<(Extent, Vec<usize>)> = Vec::new();
    for (e, p) in held {
        match runs.last_mut() {
            Some((run, members))
                if run.water == e.water && (matches!(e.water, Water::Lake(_)) || e.from_m <= run.to_m + 1.0) =>
            {
                run.to_m = run.to_m.max(e.to_m);
                members.push(p);
            }
            _ => runs.push((e, vec![p])),
        }
    }
    let mut out: Vec<(usize, Group)> = runs
        .into_iter()
        .map(|(extent, members)| {
            let first = members.iter().copied().min().unwrap_or(0);
            (
                first,
                summarise(scenario, extent, &members, places, evidence, probability, grid),
            )
        })
        .collect();
    out.sort_by(|(a, g), (b, h)| h.probability.total_cmp(&g.probability).then(a.cmp(b)));
    out.truncate(GROUPS_LISTED_MAX);
    out.into_iter().map(|(_, g)| g).collect()
}

/// What the results say about a release among `members` (indices into `places`), which
/// lie within `extent`: their total probability, and the intervals of the mixture of their
/// posteriors.
fn summarise(
    scenario: &Scenario,
    extent: Extent,
    members: &[usize],
    places: &[Place],
    evidence: &[PlaceEvidence],
    probability: &[f64],
    grid: &Grid,
) -> Group {
    let total: f64 = members.iter().map(|&p| probability[p]).sum();
    let top = members
        .iter()
        .copied()
        .max_by(|&a, &b| probability[a].total_cmp(&probability[b]).then(b.cmp(&a)))
        .expect("a group has a place");
    let weighted: Vec<(f64, &PlaceEvidence)> = members.iter().map(|&p| (probability[p], &evidence[p])).collect();
    let mass_range_kg = places[top].mass_range_kg;
    assert!(
        members.iter().all(|&p| places[p].mass_range_kg == mass_range_kg),
        "the places of a group share a mass axis"
    );
    let (start_s, mass_kg) = mixture_intervals(grid, &MassAxis::of(mass_range_kg), &weighted);
    let near = nearest_point(scenario, places[top].location);
    let (water, from_m, to_m) = match extent.water {
        Water::Reach(reach) => (
            scenario.reaches[reach].id.clone(),
            Some(extent.from_m.round()),
            Some(extent.to_m.round()),
        ),
        Water::Lake(node) => (scenario.nodes[node].id.clone(), None, None),
    };
    Group {
        water,
        at: extent.water,
        from_m,
        to_m,
        near_point: near.map(|(i, _)| scenario.points[i].id.clone()),
        near_point_m: near.map(|(_, metres)| metres),
        probability: total,
        n_places: members.len(),
        top_place: places[top].label.clone(),
        top_place_probability: probability[top],
        start_s,
        mass_kg,
    }
}

/// The start [s] and mass [kg] intervals (5 %, 50 %, 95 %) of the mixture of places'
/// posteriors, each given with its weight (its probability): the sum of their marginals
/// over the fine start and mass bins, weighted, the quantiles read as a candidate's.
fn mixture_intervals(grid: &Grid, axis: &MassAxis, weighted: &[(f64, &PlaceEvidence)]) -> ([i64; 3], [f64; 3]) {
    let mix = |of: &dyn Fn(&PlaceEvidence) -> &[f64]| -> Vec<f64> {
        let mut out = vec![0.0; weighted.first().map_or(0, |(_, e)| of(e).len())];
        for (w, e) in weighted {
            for (o, x) in out.iter_mut().zip(of(e)) {
                *o += w * x;
            }
        }
        out
    };
    let start = mix(&|e| &e.start);
    let mass = mix(&|e| &e.mass);
    (start_interval(grid, &start), mass_interval(axis, &mass))
}

/// The named point nearest `location` (index into `scenario.points`) and how far it is in
/// a straight line, rounded [m]; `None` in a scenario without named points.
pub fn nearest_point(scenario: &Scenario, location: Location) -> Option<(usize, f64)> {
    let [lon, lat] = plan::lon_lat(scenario, location);
    let near = plan::nearest_position(scenario.points.iter().map(|p| [p.lon, p.lat]), lon, lat)?;
    let p = &scenario.points[near];
    Some((near, straight_line_m([lon, lat], [p.lon, p.lat]).round()))
}

/// Distance between two positions `[lon, lat]` [m] (equirectangular, as
/// `plan::nearest_position` compares them; the zone is small).
fn straight_line_m(a: [f64; 2], b: [f64; 2]) -> f64 {
    const EARTH_RADIUS_M: f64 = 6_371_000.0;
    let scale = (0.5 * (a[1] + b[1])).to_radians().cos();
    let dx = (a[0] - b[0]).to_radians() * scale;
    let dy = (a[1] - b[1]).to_radians();
    EARTH_RADIUS_M * (dx * dx + dy * dy).sqrt()
}

#[cfg(test)]
mod tests {
    use super::super::{Best, SimDuration};
    use super::*;

    /// A place's posterior with all its weight on one fine start bin and one fine mass bin.
    fn concentrated(grid: &Grid, axis: &MassAxis, start_bin: usize, mass_bin: usize) -> PlaceEvidence {
        let mut start = vec![0.0; grid.n_coarse * grid.refine];
        start[start_bin] = 1.0;
        let mut mass = vec![0.0; super::super::MASS_GRID * super::super::MASS_REFINE];
        mass[mass_bin] = 1.0;
        let _ = axis;
        PlaceEvidence {
            ln_evidence: 0.0,
            ln_seen_share: 0.0,
            p_seen: 1.0,
            pollutant: vec![1.0],
            duration: vec![1.0],
            start,
            mass,
            best: Best::default(),
            n_nodes: 1,
        }
    }

    /// Starts every 10 min over 12 h, in 5 min fine bins, one duration; the anywhere
    /// prior's mass axis.
    fn twelve_hours() -> (Grid, MassAxis) {
        let grid = Grid {
            since_s: 0.0,
            refine: 2,
            fine_s: 300.0,
            n_coarse: 72,
            durations: vec![SimDuration::ZERO],
        };
        (grid, MassAxis::of(super::super::ANYWHERE_MASS_KG))
    }

    #[test]
    fn a_groups_intervals_are_those_of_the_mixture_of_its_places() {
        let (grid, axis) = twelve_hours();
        // Place A (p = 0.7): started in the bin at 2 h, 10 kg's bin; place B (p = 0.3):
        // at 5 h, 1 t's bin.
        let mass_bin = |kg: f64| ((kg.ln() - axis.lo) / axis.fine()).floor() as usize;
        let a = concentrated(&grid, &axis, 24, mass_bin(10.0));
        let b = concentrated(&grid, &axis, 60, mass_bin(1000.0));
        let (start, mass) = mixture_intervals(&grid, &axis, &[(0.7, &a), (0.3, &b)]);
        // The mixture's 5 % lies in A's bin and its 95 % in B's, each widened by one step
        // (the bins are 300 s wide, centred on their nodes).
        let bin_edges = |bin: f64| {
            (
                grid.first_edge() + bin * grid.fine_s,
                grid.first_edge() + (bin + 1.0) * grid.fine_s,
            )
        };
        let (a_lo, _) = bin_edges(24.0);
        let (_, b_hi) = bin_edges(60.0);
        assert!(
            (start[0] as f64) >= a_lo - grid.fine_s - 1.0 && (start[0] as f64) < 7200.0,
            "{start:?}"
        );
        assert!(
            (start[2] as f64) > 18_000.0 && (start[2] as f64) <= b_hi + grid.fine_s + 1.0,
            "{start:?}"
        );
        // The median is A's: it holds 70 % of the weight.
        assert!((start[1] - 7200).abs() <= 150, "{start:?}");
        assert!(mass[0] < 10.5 && mass[0] > 9.5, "{mass:?}");
        assert!(mass[2] < 1050.0 && mass[2] > 950.0, "{mass:?}");
        // The best place's interval alone would leave B's start and mass out.
        let (alone_start, alone_mass) = mixture_intervals(&grid, &axis, &[(0.7, &a)]);
        assert!(
            alone_start[2] < 18_000 && alone_mass[2] < 11.0,
            "{alone_start:?} {alone_mass:?}"
        );
        // With B below 5 % of the weight, its start falls out of the 90 % interval.
        let (start, _) = mixture_intervals(&grid, &axis, &[(0.97, &a), (0.03, &b)]);
        assert!(start[2] < 18_000, "{start:?}");
    }

    #[test]
    fn a_group_of_two_neighbouring_places_gives_their_mixtures_intervals_not_the_best_ones() {
        let scenario = Scenario::builtin();
        let spacing_m = 2000.0;
        let reach = 0;
        let (_, length_m) = stretches(&scenario, reach, spacing_m);
        let places: Vec<Place> = [0.5, 1.5]
            .map(|k| Location::Reach {
                reach,
                chainage_m: (length_m * k).round(),
            })
            .iter()
            .map(|&l| Place::anywhere(&scenario, l, &[0]))
            .collect();
        let (grid, axis) = twelve_hours();
        let mass_bin = |kg: f64| ((kg.ln() - axis.lo) / axis.fine()).floor() as usize;
        // The upstream place (p = 0.6) started at 2 h with 10 kg, the next (p = 0.4) at 5 h
        // with 1 t.
        let evidence = [
            concentrated(&grid, &axis, 24, mass_bin(10.0)),
            concentrated(&grid, &axis, 60, mass_bin(1000.0)),
        ];
        let got = groups(&scenario, spacing_m, &[], &places, &evidence, &[0.6, 0.4], &grid);
        assert_eq!(got.len(), 1, "{got:?}");
        let g = &got[0];
        assert_eq!(
            (g.n_places, g.from_m, g.to_m),
            (2, Some(0.0), Some((2.0 * length_m).round()))
        );
        assert!((g.probability - 1.0).abs() < 1e-12);
        let (start, mass) = mixture_intervals(&grid, &axis, &[(0.6, &evidence[0]), (0.4, &evidence[1])]);
        assert_eq!((g.start_s, g.mass_kg), (start, mass));
        // The best place's own interval ends before the other's start and mass; the
        // group's reaches them.
        let (best_start, best_mass) = mixture_intervals(&grid, &axis, &[(0.6, &evidence[0])]);
        assert!(
            best_start[2] < 18_000 && g.start_s[2] > 18_000,
            "{best_start:?} {:?}",
            g.start_s
        );
        assert!(
            best_mass[2] < 11.0 && g.mass_kg[2] > 950.0,
            "{best_mass:?} {:?}",
            g.mass_kg
        );
        assert_eq!(g.top_place, places[0].label);
        let near = g.near_point.as_deref().expect("the zone has named points");
        assert!(scenario.point_idx(near).is_some(), "{near}");
        assert!(g.near_point_m.is_some_and(|m| m.is_finite() && m >= 0.0), "{g:?}");

        // With no named point in the scenario the group has no nearest one: absent, not a
        // distance of NaN.
        let mut bare = scenario.clone();
        bare.points.clear();
        let got = groups(&bare, spacing_m, &[], &places, &evidence, &[0.6, 0.4], &grid);
        assert_eq!((got[0].near_point.as_deref(), got[0].near_point_m), (None, None));
        let json = serde_json::to_value(&got[0]).unwrap();
        assert!(json["near_point"].is_null() && json["near_point_m"].is_null(), "{json}");
    }

    #[test]
    fn touching_stretches_on_a_reach_form_one_group_and_a_gap_splits_them() {
        let scenario = Scenario::builtin();
        let spacing_m = 2000.0;
        let reach = scenario
            .reaches
            .iter()
            .position(|r| r.length_m > 6.0 * spacing_m)
            .expect("a reach of more than three spacings");
        let (_, length_m) = stretches(&scenario, reach, spacing_m);
        let at = |k: usize| Location::Reach {
            reach,
            chainage_m: (length_m * (k as f64 + 0.5)).round(),
        };
        // Stretch 1 divided, stretches 0, 2 and 4 whole.
        let divided = [Stretch { reach, k: 1 }];
        let fine = divided[0].divided(&scenario, spacing_m, &[0]);
        let mut locations = vec![at(0), at(2), at(4)];
        locations.extend(fine.iter().map(|p| p.location));
        let places: Vec<Place> = locations.iter().map(|&l| Place::anywhere(&scenario, l, &[0])).collect();
        let grid = Grid {
            since_s: 0.0,
            refine: 1,
            fine_s: 600.0,
            n_coarse: 10,
            durations: vec![SimDuration::ZERO],
        };
        let axis = MassAxis::of(super::super::ANYWHERE_MASS_KG);
        let evidence: Vec<PlaceEvidence> = (0..places.len())
            .map(|i| concentrated(&grid, &axis, i % 10, 100))
            .collect();
        // Stretch 4 is apart from the run 0–1–2; the second of the divided parts is below
        // the floor, which leaves the first part and stretch 0 on one side of the gap.
        let n_fine = fine.len();
        let mut probability = vec![0.2, 0.2, 0.1];
        probability.extend((0..n_fine).map(|j| if j == 1 { 1e-5 } else { 0.5 / (n_fine - 1) as f64 }));
        let got = groups(&scenario, spacing_m, &divided, &places, &evidence, &probability, &grid);
        let part_m = length_m / n_fine as f64;
        let spans: Vec<(f64, f64, usize)> = got
            .iter()
            .map(|g| (g.from_m.unwrap(), g.to_m.unwrap(), g.n_places))
            .collect();
        let expect = |from: f64, to: f64, n: usize| {
            assert!(
                spans
                    .iter()
                    .any(|&(f, t, m)| (f - from.round()).abs() <= 1.0 && (t - to.round()).abs() <= 1.0 && m == n),
                "no group {from}–{to} of {n} in {spans:?}"
            );
        };
        expect(0.0, length_m + part_m, 2);
        expect(length_m + 2.0 * part_m, 3.0 * length_m, n_fine - 2 + 1);
        expect(4.0 * length_m, 5.0 * length_m, 1);
        assert_eq!(got.len(), 3);
        let total: f64 = got.iter().map(|g| g.probability).sum();
        // Every place but the one below the floor.
        assert!(
            (total - (probability.iter().sum::<f64>() - 1e-5)).abs() < 1e-9,
            "{total}"
        );
        assert!(got.windows(2).all(|w| w[0].probability >= w[1].probability));
        assert!(got[0].holds(&scenario, at(2), 0.0));
        assert!(!got[0].holds(&scenario, at(4), 0.0));
        // The node at the reach's start lies at chainage zero: in the run from stretch 0.
        let start = Location::Node(scenario.reaches[reach].from);
        let from_zero = got.iter().find(|g| g.from_m == Some(0.0)).unwrap();
        assert!(from_zero.holds(&scenario, start, 0.0));
        assert!(
            !got.iter()
                .find(|g| g.n_places == 1)
                .unwrap()
                .holds(&scenario, start, 0.0)
        );
    }
}
