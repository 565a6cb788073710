//! Drawing the incidents of a trial from the risk-source inventory.
//!
//! Every number here is an assumption of the planner, stated in `docs/planner.md` and
//! changeable through [`DrawModel`]:
//! - the source: by its annual probability of a credible release (the inventory's
//!   weights, conditional on an incident happening);
//! - the pollutant: one of the source's chemicals, equally likely;
//! - the mass: log-uniform between `mass_fraction_min` and 1 of the chemical's largest
//!   credible release;
//! - the first report's mass: the true mass times a lognormal factor (median 1, σ of the
//!   logarithm `reported_sigma`);
//! - the start: uniform over the 24 hours of the first day (night and day shifts alike);
//! - the release duration: by kind of source ([`release_duration`]);
//! - the discovery: a report by the enterprise (plants, stores, treatment works) or by
//!   passers-by (bridges, shipping lanes) after a lognormal delay (median
//!   `report_median`, σ `report_sigma`); stations may discover it earlier;
//! - the flow regime: steady through the trial, drawn with `regime_weights`;
//! - a share `pair_share` of trials are two simultaneous county-level incidents in two
//!   different jurisdictions, the second starting within `pair_gap_max` of the first.

use crate::kernel::standard_normal;
use crate::scenario::{Discovery, Incident, ResponseLevel, RiskSource, RiskSourceKind, Scenario};
use crate::time::{SimDuration, SimTime};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha12Rng;
use serde::{Deserialize, Serialize};

/// The distributions trials are drawn from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DrawModel {
    /// Share of trials with two simultaneous incidents [-].
    pub pair_share: f64,
    /// The second incident of a pair starts within this of the first [s].
    pub pair_gap_max_s: i64,
    /// Weight of each flow regime, in the scenario's order.
    pub regime_weights: Vec<f64>,
    /// Smallest released mass as a share of the largest credible release [-].
    pub mass_fraction_min: f64,
    /// σ of ln(reported mass / true mass) [-].
    pub reported_sigma: f64,
    /// Median delay of the first report [s].
    pub report_median_s: i64,
    /// σ of the logarithm of the report delay [-].
    pub report_sigma: f64,
}

impl DrawModel {
    /// The documented defaults for a scenario: regimes `drought`, `normal`, `flood`
    /// weighted 0.2 / 0.6 / 0.2 when the scenario has them by these names, else equal.
    pub fn default_for(scenario: &Scenario) -> DrawModel {
        let weight = |id: &str| match id {
            "drought" | "flood" => 0.2,
            "normal" => 0.6,
            _ => 1.0,
        };
        let named = scenario
            .regimes
            .iter()
            .all(|r| matches!(r.id.as_str(), "drought" | "normal" | "flood"));
        DrawModel {
            pair_share: 0.3,
            pair_gap_max_s: 3 * 3600,
            regime_weights: scenario
                .regimes
                .iter()
                .map(|r| if named { weight(&r.id) } else { 1.0 })
                .collect(),
            mass_fraction_min: 0.05,
            reported_sigma: 0.5,
            report_median_s: 30 * 60,
            report_sigma: 0.6,
        }
    }

    /// Checks the model against a scenario; the message names the field.
    pub fn validate(&self, scenario: &Scenario) -> Result<(), String> {
        if !(0.0..=1.0).contains(&self.pair_share) {
            return Err(format!("pair share {} is not between 0 and 1", self.pair_share));
        }
        if self.regime_weights.len() != scenario.regimes.len() {
            return Err(format!(
                "{} regime weights for {} regimes",
                self.regime_weights.len(),
                scenario.regimes.len()
            ));
        }
        if self.regime_weights.iter().any(|w| !w.is_finite() || *w < 0.0)
            || self.regime_weights.iter().sum::<f64>() <= 0.0
        {
            return Err("regime weights must be non-negative with a positive sum".into());
        }
        if !(self.mass_fraction_min > 0.0 && self.mass_fraction_min <= 1.0) {
            return Err(format!(
                "smallest mass fraction {} is not in (0, 1]",
                self.mass_fraction_min
            ));
        }
        let sources = usable_sources(scenario);
        if sources.is_empty() {
            return Err(
                "the scenario's risk-source inventory has no source with a chemical and a positive annual probability"
                    .into(),
            );
        }
        if self.pair_share > 0.0 {
            let first = scenario.risk_sources[sources[0]].jurisdiction;
            if sources.iter().all(|&s| scenario.risk_sources[s].jurisdiction == first) {
                return Err("pairs need sources in two jurisdictions; the inventory has one (use --pairs 0)".into());
            }
        }
        Ok(())
    }
}

/// How long a release lasts, by kind of source (assumption: a plant's or store's loss
/// drains over an hour, a treatment works' bypass over two, a tanker empties in 20 min,
/// a ship's cargo in 30).
pub fn release_duration(kind: RiskSourceKind) -> SimDuration {
    SimDuration::from_minutes(match kind {
        RiskSourceKind::Enterprise | RiskSourceKind::ChemicalStorage => 60,
        RiskSourceKind::WastewaterPlant => 120,
        RiskSourceKind::Bridge => 20,
        RiskSourceKind::ShippingLane => 30,
    })
}

/// Sources that can be drawn: a chemical and a positive probability.
pub fn usable_sources(scenario: &Scenario) -> Vec<usize> {
    (0..scenario.risk_sources.len())
        .filter(|&i| usable(&scenario.risk_sources[i]))
        .collect()
}

fn usable(source: &RiskSource) -> bool {
    !source.chemicals.is_empty() && source.annual_probability > 0.0
}

/// The incidents and regime of one trial.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrialDraw {
    pub trial: u64,
    /// The seed of the trial's response run (driving-time spread).
    pub seed: u64,
    pub regime: usize,
    pub incidents: Vec<DrawnIncident>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DrawnIncident {
    pub source: usize,
    pub pollutant: usize,
    pub mass_kg: f64,
    pub reported_mass_kg: f64,
    pub start_s: i64,
    pub discovery_delay_s: i64,
}

/// The generator of trial `trial` of a run seeded `seed`: its own ChaCha stream, so a
/// trial is the same whichever thread, shard or order draws it.
pub fn trial_rng(seed: u64, trial: u64) -> ChaCha12Rng {
    let mut rng = ChaCha12Rng::seed_from_u64(seed);
    rng.set_stream(trial);
    rng
}

/// Draws trial `trial`. The model must have been validated against the scenario.
pub fn draw(scenario: &Scenario, model: &DrawModel, seed: u64, trial: u64) -> TrialDraw {
    let mut rng = trial_rng(seed, trial);
    let sources = usable_sources(scenario);
    let regime = pick(&mut rng, &model.regime_weights);
    let pair = rng.random::<f64>() < model.pair_share;
    let weights: Vec<f64> = sources
        .iter()
        .map(|&s| scenario.risk_sources[s].annual_probability)
        .collect();
    let first = sources[pick(&mut rng, &weights)];
    let first_start = rng.random_range(0..86_400);
    let mut incidents = vec![incident(scenario, model, &mut rng, first, first_start)];
    if pair {
        let jurisdiction = scenario.risk_sources[first].jurisdiction;
        let others: Vec<f64> = sources
            .iter()
            .map(|&s| {
                let s = &scenario.risk_sources[s];
                if s.jurisdiction == jurisdiction {
                    0.0
                } else {
                    s.annual_probability
                }
            })
            .collect();
        let second = sources[pick(&mut rng, &others)];
        let start = first_start + rng.random_range(0..=model.pair_gap_max_s);
        incidents.push(incident(scenario, model, &mut rng, second, start));
    }
    let seed = rng.random();
    TrialDraw {
        trial,
        seed,
        regime,
        incidents,
    }
}

fn incident(
    scenario: &Scenario,
    model: &DrawModel,
    rng: &mut ChaCha12Rng,
    source: usize,
    start_s: i64,
) -> DrawnIncident {
    let s = &scenario.risk_sources[source];
    let chemical = &s.chemicals[rng.random_range(0..s.chemicals.len())];
    let fraction = model.mass_fraction_min.powf(1.0 - rng.random::<f64>());
    let mass_kg = chemical.max_release_kg * fraction;
    let reported_mass_kg = mass_kg * (model.reported_sigma * standard_normal(rng)).exp();
    let delay = model.report_median_s as f64 * (model.report_sigma * standard_normal(rng)).exp();
    DrawnIncident {
        source,
        pollutant: chemical.pollutant,
        mass_kg,
        reported_mass_kg,
        start_s,
        discovery_delay_s: delay.round() as i64,
    }
}

/// Index drawn with the given non-negative weights (positive sum).
fn pick(rng: &mut ChaCha12Rng, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut u = rng.random::<f64>() * total;
    for (i, w) in weights.iter().enumerate() {
        if u < *w {
            return i;
        }
        u -= w;
    }
    weights.iter().rposition(|w| *w > 0.0).expect("a positive weight")
}

/// The scenario of a trial: the base zone with the drawn incidents, its regime held
/// steady, no scripted releases or flow changes.
pub fn trial_scenario(base: &Scenario, draw: &TrialDraw) -> Scenario {
    let mut scenario = base.clone();
    scenario.flow_changes.clear();
    scenario.releases.clear();
    scenario.settings.default_regime = draw.regime;
    scenario.incidents = draw
        .incidents
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let source = &base.risk_sources[d.source];
            Incident {
                id: format!("t{}-{}{}", draw.trial, source.id, if i > 0 { "-b" } else { "" }),
                name: format!("{} ({})", source.name, base.pollutants[d.pollutant].id),
                name_zh: String::new(),
                source: Some(d.source),
                location: source.location,
                jurisdiction: source.jurisdiction,
                pollutant: d.pollutant,
                mass_kg: d.mass_kg,
                reported_mass_kg: d.reported_mass_kg,
                start: SimTime(d.start_s),
                duration: release_duration(source.kind),
                response_level: ResponseLevel::IV,
                discovery: match source.kind {
                    RiskSourceKind::Bridge | RiskSourceKind::ShippingLane => Discovery::PublicReport,
                    _ => Discovery::EnterpriseReport,
                },
                discovery_delay: SimDuration(d.discovery_delay_s),
                note: "drawn by the planner".into(),
            }
        })
        .collect();
    scenario
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone() -> Scenario {
        Scenario::builtin_named("demo-zone.toml").unwrap()
    }

    #[test]
    fn a_trial_is_the_same_whatever_else_is_drawn() {
        let scenario = zone();
        let model = DrawModel::default_for(&scenario);
        let alone = draw(&scenario, &model, 7, 41);
        for t in 0..41 {
            draw(&scenario, &model, 7, t);
        }
        assert_eq!(draw(&scenario, &model, 7, 41), alone);
        assert_ne!(draw(&scenario, &model, 8, 41), alone);
    }

    #[test]
    fn draws_follow_the_model() {
        let scenario = zone();
        let model = DrawModel::default_for(&scenario);
        model.validate(&scenario).unwrap();
        let n = 4000;
        let draws: Vec<TrialDraw> = (0..n).map(|t| draw(&scenario, &model, 1, t)).collect();
        let pairs = draws.iter().filter(|d| d.incidents.len() == 2).count() as f64 / n as f64;
        // Binomial standard error at 0.3 with 4000 draws is 0.007.
        assert!((pairs - 0.3).abs() < 0.03, "pair share {pairs}");
        for d in draws.iter().filter(|d| d.incidents.len() == 2) {
            let (a, b) = (&d.incidents[0], &d.incidents[1]);
            assert_ne!(
                scenario.risk_sources[a.source].jurisdiction,
                scenario.risk_sources[b.source].jurisdiction
            );
            assert!(b.start_s >= a.start_s && b.start_s - a.start_s <= model.pair_gap_max_s);
        }
        for i in draws.iter().flat_map(|d| &d.incidents) {
            let s = &scenario.risk_sources[i.source];
            let max = s
                .chemicals
                .iter()
                .find(|c| c.pollutant == i.pollutant)
                .unwrap()
                .max_release_kg;
            assert!(i.mass_kg <= max && i.mass_kg >= 0.05 * max - 1e-9);
            assert!((0..86_400 + model.pair_gap_max_s).contains(&i.start_s));
        }
        let normal = scenario.regimes.iter().position(|r| r.id == "normal").unwrap();
        let share = draws.iter().filter(|d| d.regime == normal).count() as f64 / n as f64;
        assert!((share - 0.6).abs() < 0.03, "normal regime share {share}");
    }

    #[test]
    fn an_inventory_in_one_jurisdiction_cannot_make_pairs() {
        let mut scenario = zone();
        let j = scenario.risk_sources[0].jurisdiction;
        scenario.risk_sources.retain(|s| s.jurisdiction == j);
        let model = DrawModel::default_for(&scenario);
        let err = model.validate(&scenario).unwrap_err();
        assert!(err.contains("two jurisdictions"), "{err}");
        let single = DrawModel {
            pair_share: 0.0,
            ..model
        };
        single.validate(&scenario).unwrap();
    }
}
