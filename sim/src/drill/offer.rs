//! The plan revision a source estimate offers a live incident: when the results point to
//! another place than the declared one, or to another start, the front end offers to
//! revise the incident with the estimate's place, median start and median mass. It is
//! only an offer: a person confirms it, and the revision is then the same
//! `Action::ReviseIncident` a typed-in revision is (journaled, replayed, checked by the
//! same permissions).
//!
//! The rule reads the session view (the incident as declared, the estimate as shown), so
//! the console on its own session and a console connected to a server decide alike from
//! what they draw.

use super::source::{EstimateOutcome, SourceEstimate};
use super::view::IncidentView;
use crate::response::edit::{DECLARED_MASS_MAX_KG, place_of};
use crate::scenario::{Location, Scenario};
use crate::time::SimTime;
use serde::{Deserialize, Serialize};

/// Posterior probability at or above which the estimate's most probable place, when it is
/// not the declared place, is offered. Identification's probabilities are relative to the
/// inventory: with one place at 0.8 the other places together hold 0.2, four to one
/// against them. Below that the results have not settled where the release was, and
/// moving the plan (its points, its teams' trips) on a guess costs more than it saves.
pub const OFFER_PLACE_PROBABILITY_MIN: f64 = 0.8;

/// Why a revision is offered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OfferReason {
    /// The most probable place is another one, with a probability of at least
    /// [`OFFER_PLACE_PROBABILITY_MIN`].
    Place,
    /// The place agrees, but the declared start lies outside its 5–95 % interval (widened
    /// to whole minutes, the resolution a declaration is typed with).
    Start,
}

/// The revision offered: the estimate's place, its median start (its seconds dropped, no
/// later than now) and its median mass (three significant figures), the pollutant estimated.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RevisionOffer {
    pub incident: usize,
    pub incident_id: String,
    pub reason: OfferReason,
    /// The place as declared (as the view names it), and when the release began.
    pub declared_place: String,
    pub declared_start: SimTime,
    /// The estimate's place (a risk source id) and its posterior probability.
    pub place: String,
    pub probability: f64,
    pub start: SimTime,
    /// The start's 5 % and 95 % quantiles, as estimated.
    pub start_interval: [SimTime; 2],
    pub mass_kg: f64,
    pub pollutant: String,
}

/// The revision the estimate offers for a declared incident, if its results disagree with
/// the declaration (see [`OfferReason`]); `None` when they agree, when there is no
/// estimate yet, or when the estimate is of another incident.
pub fn revision_offer(
    scenario: &Scenario,
    incident: &IncidentView,
    estimate: &SourceEstimate,
    now: SimTime,
) -> Option<RevisionOffer> {
    let declared_start = incident.released_at?;
    if estimate.incident != incident.idx {
        return None;
    }
    let EstimateOutcome::Estimated { candidates, .. } = &estimate.outcome else {
        return None;
    };
    let best = candidates.first()?;
    let reason = if !same_place(scenario, &incident.place, &best.place) {
        if best.probability < OFFER_PLACE_PROBABILITY_MIN {
            return None;
        }
        OfferReason::Place
    } else {
        let from = SimTime(best.start[0].seconds().div_euclid(60) * 60);
        let to = SimTime((best.start[2].seconds() + 59).div_euclid(60) * 60);
        if (from..=to).contains(&declared_start) {
            return None;
        }
        OfferReason::Start
    };
    // To the minute as the panel's clock shows it (its seconds dropped).
    let start_s = best.start[1].seconds().div_euclid(60) * 60;
    Some(RevisionOffer {
        incident: incident.idx,
        incident_id: incident.id.clone(),
        reason,
        declared_place: incident.place.clone(),
        declared_start,
        place: best.place.clone(),
        probability: best.probability,
        start: SimTime(start_s.clamp(0, now.seconds().max(0))),
        start_interval: [best.start[0], best.start[2]],
        mass_kg: significant(best.mass_kg[1], 3).min(DECLARED_MASS_MAX_KG),
        pollutant: estimate.pollutant.clone(),
    })
}

/// Whether a declared place and an estimated risk source are one place: the same id, or
/// the same node or lake cell, or the same reach within one cell of the transport grid
/// (which tells no two releases closer than that apart). A place the scenario does not
/// read is another place.
fn same_place(scenario: &Scenario, declared: &str, source_id: &str) -> bool {
    if declared.trim() == source_id {
        return true;
    }
    let (Ok((_, a, _)), Ok((_, b, _))) = (place_of(scenario, declared), place_of(scenario, source_id)) else {
        return false;
    };
    match (a, b) {
        (
            Location::Reach {
                reach: ra,
                chainage_m: ca,
            },
            Location::Reach {
                reach: rb,
                chainage_m: cb,
            },
        ) => ra == rb && (ca - cb).abs() <= scenario.settings.cell_length_m,
        (a, b) => a == b,
    }
}

/// `value` rounded to `digits` significant figures (a mass as a person types it).
fn significant(value: f64, digits: i32) -> f64 {
    if !(value.is_finite() && value > 0.0) {
        return value;
    }
    let scale = digits - 1 - value.log10().floor() as i32;
    if scale >= 0 {
        let k = 10f64.powi(scale);
        (value * k).round() / k
    } else {
        let k = 10f64.powi(-scale);
        (value / k).round() * k
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drill::source::CandidateEstimate;

    fn incident(place: &str, start: SimTime) -> IncidentView {
        IncidentView {
            idx: 0,
            id: "L1".into(),
            name: String::new(),
            jurisdiction: "wujiang".into(),
            pollutant: "antimony".into(),
            place: place.into(),
            lon: 0.0,
            lat: 0.0,
            level: String::new(),
            known_at: SimTime(6 * 3600),
            known_by: String::new(),
            plan_revision: Some(1),
            estimated_mass_kg: Some(150.0),
            released_at: Some(start),
            declared_mass_kg: Some(150.0),
            downstream: Vec::new(),
        }
    }

    fn estimate(place: &str, probability: f64, start: [i64; 3]) -> SourceEstimate {
        SourceEstimate {
            incident: 0,
            incident_id: "L1".into(),
            pollutant: "antimony".into(),
            detected: 3,
            results: 4,
            as_of: Some(SimTime(8 * 3600)),
            outcome: EstimateOutcome::Estimated {
                candidates: vec![CandidateEstimate {
                    place: place.into(),
                    probability,
                    start: start.map(SimTime),
                    mass_kg: [180.0, 283.456, 420.0],
                }],
                intakes: Vec::new(),
                next_sample: None,
            },
            updating: false,
        }
    }

    const NOW: SimTime = SimTime(9 * 3600);

    #[test]
    fn another_place_is_offered_from_the_threshold_up() {
        let scenario = Scenario::builtin();
        let declared = incident("wj_lili_dyeing_2", SimTime(5 * 3600));
        let start = [3600, 2 * 3600 + 10 * 60 + 29, 3 * 3600];
        let below = estimate("js_fenyu_bridge", OFFER_PLACE_PROBABILITY_MIN - 0.01, start);
        assert_eq!(revision_offer(&scenario, &declared, &below, NOW), None);
        let at = estimate("js_fenyu_bridge", OFFER_PLACE_PROBABILITY_MIN, start);
        let offer = revision_offer(&scenario, &declared, &at, NOW).expect("offered");
        assert_eq!(offer.reason, OfferReason::Place);
        assert_eq!(offer.place, "js_fenyu_bridge");
        assert_eq!(offer.start, SimTime(2 * 3600 + 10 * 60), "the median to the minute");
        assert_eq!(offer.mass_kg, 283.0, "three significant figures");
        assert_eq!(offer.pollutant, "antimony");
    }

    #[test]
    fn the_same_place_is_offered_only_when_the_declared_start_is_outside_the_interval() {
        let scenario = Scenario::builtin();
        let estimated = estimate(
            "wj_lili_dyeing_2",
            0.99,
            [4 * 3600 + 30, 4 * 3600 + 1800, 5 * 3600 + 10],
        );
        // 04:00 and 05:01 are inside once the interval is widened to whole minutes.
        for inside in [4 * 3600, 5 * 3600 + 60] {
            let declared = incident("wj_lili_dyeing_2", SimTime(inside));
            assert_eq!(revision_offer(&scenario, &declared, &estimated, NOW), None, "{inside}");
        }
        for outside in [4 * 3600 - 60, 5 * 3600 + 120] {
            let declared = incident("wj_lili_dyeing_2", SimTime(outside));
            let offer = revision_offer(&scenario, &declared, &estimated, NOW).expect("offered");
            assert_eq!(offer.reason, OfferReason::Start);
            assert_eq!(offer.start, SimTime(4 * 3600 + 1800));
        }
        // Not the incident's estimate, or no declared start: nothing.
        let mut other = estimated.clone();
        other.incident = 1;
        let late = incident("wj_lili_dyeing_2", SimTime(7 * 3600));
        assert_eq!(revision_offer(&scenario, &late, &other, NOW), None);
        let undeclared = IncidentView {
            released_at: None,
            ..late
        };
        assert_eq!(revision_offer(&scenario, &undeclared, &estimated, NOW), None);
    }

    #[test]
    fn a_declared_place_within_a_cell_of_the_source_is_the_same_place() {
        let scenario = Scenario::builtin();
        let source = scenario
            .risk_sources
            .iter()
            .find(|s| s.id == "js_fenyu_bridge")
            .unwrap();
        let Location::Reach { reach, chainage_m } = source.location else {
            panic!("a source on a reach")
        };
        let reach_id = &scenario.reaches[reach].id;
        let cell = scenario.settings.cell_length_m;
        assert!(same_place(
            &scenario,
            &format!("{reach_id} @ {:.0} m", chainage_m),
            "js_fenyu_bridge"
        ));
        let near = (chainage_m + cell * 0.9).min(scenario.reaches[reach].length_m);
        assert!(same_place(&scenario, &format!("{reach_id}@{near}"), "js_fenyu_bridge"));
        let far = if chainage_m > 3.0 * cell {
            chainage_m - 3.0 * cell
        } else {
            chainage_m + 3.0 * cell
        };
        assert!(!same_place(&scenario, &format!("{reach_id}@{far}"), "js_fenyu_bridge"));
        assert!(!same_place(&scenario, "wj_lili_dyeing_2", "js_fenyu_bridge"));
        assert!(!same_place(&scenario, "atlantis", "js_fenyu_bridge"));
    }
}
