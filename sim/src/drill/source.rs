//! Source identification from what the command knows: the results of a session (samples
//! whose result is known, station alarms) turned into the observations of
//! [`crate::identify`], and the moment the true source of a drill's incident first ranked
//! first above a probability (the critical task `source_identified:INCIDENT`), and the
//! estimate a front end shows while results come in ([`estimate_inputs`], [`estimate`]:
//! the console's and the server's source panel).
//!
//! Only what the command was told counts: a sample's reported value (a non-detect below
//! its method's limit), known from its result time, and an alarm's reading, known when it
//! went off. The truth's unsampled concentrations are never read.

use super::Session;
use crate::identify::{self, Identification, IdentifyRequest, Observation, Responses};
use crate::response::{ResponseRecord, ResponseState, Sample, Task};
use crate::scenario::{Location, PointKind, Scenario};
use crate::time::{SimDuration, SimTime};
use serde::{Deserialize, Serialize};

/// Most moments at which identification is run for one critical task: a drill with more
/// distinct result times is judged on its first this many.
pub const IDENTIFICATIONS_MAX: usize = 120;
/// Releases drawn from the posterior when only the ranking is wanted (the outlook is not).
const DRAWS_FOR_RANKING: usize = 20;

/// An observation and the moment the command knew it.
#[derive(Clone, Debug)]
pub struct KnownObservation {
    pub known_at: SimTime,
    pub observation: Observation,
}

/// What a response has taken and seen: its tasks, samples and station alarms, from the
/// live [`ResponseState`] or the [`ResponseRecord`] of a finished run.
#[derive(Clone, Copy)]
pub struct Results<'a> {
    pub tasks: &'a [Task],
    pub samples: &'a [Sample],
    /// (station point, time, pollutant, mg/L) of every alarm.
    pub alarms: &'a [(usize, SimTime, usize, f64)],
}

impl<'a> From<&'a ResponseState> for Results<'a> {
    fn from(state: &'a ResponseState) -> Self {
        Results {
            tasks: &state.tasks,
            samples: &state.samples,
            alarms: &state.alarms,
        }
    }
}

impl<'a> From<&'a ResponseRecord> for Results<'a> {
    fn from(record: &'a ResponseRecord) -> Self {
        Results {
            tasks: &record.tasks,
            samples: &record.samples,
            alarms: &record.alarms,
        }
    }
}

/// Every result of `pollutant` the command knows by the end of `results`: samples with a
/// known result (of `incident` when given: the command knows which incident it sampled
/// for), then station alarms of that pollutant, in the order they became known. Samples
/// whose place cannot be located are left out (a live result has a task behind it or a
/// point id the scenario reads).
pub fn known_observations(
    scenario: &Scenario,
    results: Results<'_>,
    incident: Option<usize>,
    pollutant: usize,
) -> Vec<KnownObservation> {
    let mut out = Vec::new();
    for sample in results.samples {
        if !sample.result_known || sample.pollutant != pollutant || incident.is_some_and(|i| sample.incident != i) {
            continue;
        }
        let location = match sample.task {
            Some(task) => Some(results.tasks[task].location),
            None => scenario
                .point_idx(&sample.point_id)
                .map(|p| scenario.points[p].location)
                .or_else(|| scenario.parse_location(&sample.point_id).ok()),
        };
        let Some(location) = location else { continue };
        let detected = sample.reported_mg_l > 0.0 && sample.reported_mg_l >= sample.detection_limit_mg_l;
        out.push(KnownObservation {
            known_at: sample.result_at,
            observation: Observation {
                location,
                label: sample.point_id.clone(),
                pollutant,
                taken_at: sample.taken_at,
                value_mg_l: detected.then_some(sample.reported_mg_l),
                detection_limit_mg_l: sample.detection_limit_mg_l,
            },
        });
    }
    for &(point, at, alarmed, mg_l) in results.alarms {
        if alarmed != pollutant {
            continue;
        }
        out.push(KnownObservation {
            known_at: at,
            observation: Observation {
                location: scenario.points[point].location,
                label: scenario.points[point].id.clone(),
                pollutant,
                taken_at: at,
                value_mg_l: Some(mg_l),
                detection_limit_mg_l: scenario.pollutants[pollutant].detection_limit_mg_l,
            },
        });
    }
    out.sort_by_key(|k| (k.known_at, k.observation.taken_at));
    out
}

/// The request the session's identifications use: `IdentifyRequest::new`'s settings
/// (the inventory as prior, starts from the scenario's start, releases at once or over
/// 1 or 3 hours, the scenario's flow) with `draws` and `outlook`.
pub fn request(
    scenario: &Scenario,
    observations: Vec<Observation>,
    draws: usize,
    outlook: SimDuration,
) -> IdentifyRequest {
    let mut request = IdentifyRequest::new(scenario, observations);
    request.draws = draws;
    request.outlook = outlook;
    request
}

/// The moment the true source was first identified, and what was found then.
#[derive(Clone, Debug)]
pub struct SourceFinding {
    /// When the true source first ranked first at or above the probability.
    pub identified_at: Option<SimTime>,
    /// Moments (distinct times results became known, with a detection among them)
    /// identification was run at.
    pub moments: usize,
    /// Results known at the last moment judged (detected, all).
    pub results: (usize, usize),
    /// The true source's rank (1 = first) and probability at the moment found, or at the
    /// last moment judged.
    pub rank: Option<usize>,
    pub probability: f64,
    /// The place ranked first then, with its probability.
    pub leader: Option<(String, f64)>,
    /// The moments beyond [`IDENTIFICATIONS_MAX`] were not judged.
    pub truncated: bool,
    /// Why identification could not be run, if it could not.
    pub error: Option<String>,
}

/// Runs identification at every moment a result of the incident's pollutant became known
/// (from the first detection on) until the true source — `source`, an index into the
/// inventory — ranks first with at least `probability`.
pub fn first_identified(
    scenario: &Scenario,
    results: Results<'_>,
    incident: usize,
    source: usize,
    probability: f64,
) -> SourceFinding {
    let pollutant = scenario.incidents[incident].pollutant;
    let known = known_observations(scenario, results, Some(incident), pollutant);
    let mut finding = SourceFinding {
        identified_at: None,
        moments: 0,
        results: (0, 0),
        rank: None,
        probability: 0.0,
        leader: None,
        truncated: false,
        error: None,
    };
    let Some(first_detection) = known.iter().position(|k| k.observation.value_mg_l.is_some()) else {
        finding.results = (0, known.len());
        return finding;
    };
    let mut moments: Vec<SimTime> = known[first_detection..].iter().map(|k| k.known_at).collect();
    moments.dedup();
    if moments.len() > IDENTIFICATIONS_MAX {
        moments.truncate(IDENTIFICATIONS_MAX);
        finding.truncated = true;
    }
    let outlook = SimDuration::from_hours(1);
    let last_taken = known
        .iter()
        .filter(|k| k.known_at <= *moments.last().unwrap_or(&SimTime::ZERO))
        .map(|k| k.observation.taken_at)
        .max()
        .unwrap_or(SimTime::ZERO);
    let locations: Vec<Location> = known.iter().map(|k| k.observation.location).collect();
    let responses = match Responses::build(
        scenario,
        identify::Prior::Inventory,
        &[pollutant],
        &locations,
        scenario.settings.default_regime,
        SimDuration((last_taken + outlook).seconds()),
    ) {
        Ok(r) => r,
        Err(e) => {
            finding.error = Some(e);
            return finding;
        }
    };
    for moment in moments {
        let observations: Vec<Observation> = known
            .iter()
            .filter(|k| k.known_at <= moment)
            .map(|k| k.observation.clone())
            .collect();
        finding.moments += 1;
        finding.results = (
            observations.iter().filter(|o| o.value_mg_l.is_some()).count(),
            observations.len(),
        );
        let request = request(scenario, observations, DRAWS_FOR_RANKING, outlook);
        let identification = match identify::identify_with(scenario, &responses, &request) {
            Ok(i) => i,
            Err(e) => {
                finding.error = Some(e);
                continue;
            }
        };
        finding.error = None;
        let (rank, p) = rank_of(&identification, source);
        finding.rank = rank;
        finding.probability = p;
        finding.leader = identification
            .candidates
            .first()
            .map(|c| (c.place.label.clone(), c.probability));
        if rank == Some(1) && p >= probability {
            finding.identified_at = Some(moment);
            break;
        }
    }
    finding
}

/// The rank (1 = first) and posterior probability of the inventory's `source` among the
/// candidates shown.
pub fn rank_of(identification: &Identification, source: usize) -> (Option<usize>, f64) {
    identification
        .candidates
        .iter()
        .position(|c| c.place.source == Some(source))
        .map_or((None, 0.0), |i| (Some(i + 1), identification.candidates[i].probability))
}

/// Most candidate places an estimate shows.
pub const ESTIMATE_CANDIDATES_MAX: usize = 5;
/// Releases drawn from the posterior for an estimate's outlook and next-sample advice
/// (half of `tripoint identify`'s 400: the estimate is redone at every new result).
const ESTIMATE_DRAWS: usize = 200;
/// How far past the last result an estimate's outlook runs.
const ESTIMATE_OUTLOOK: SimDuration = SimDuration(24 * 3600);
/// Extra length the unit responses of an estimate are built with, so that the results of
/// the next hours are weighed with the same transport runs.
const ESTIMATE_RESPONSES_SLACK: SimDuration = SimDuration(12 * 3600);

/// The results of one incident the command knows, ready to be weighed: cheap to build
/// whenever the session moves; [`estimate`] does the work.
#[derive(Clone, Debug)]
pub struct EstimateInput {
    pub incident: usize,
    pub pollutant: usize,
    pub observations: Vec<Observation>,
    /// When the newest of them became known.
    pub last_known_at: Option<SimTime>,
}

impl EstimateInput {
    /// What tells two inputs apart: results only ever come in (a new one raises the count
    /// or the time it became known), and a revision may change the pollutant.
    pub fn key(&self) -> (usize, usize, usize, Option<SimTime>) {
        (
            self.incident,
            self.pollutant,
            self.observations.len(),
            self.last_known_at,
        )
    }
}

/// The input of an estimate for every incident the command knows of (discovered in a
/// drill, declared in a live session), in incident order: the results of the incident's
/// pollutant the command knows ([`known_observations`]), never the hidden truth.
pub fn estimate_inputs(session: &Session) -> Vec<EstimateInput> {
    let scenario = &session.drill().scenario;
    let state = session.world().resource::<ResponseState>();
    scenario
        .incidents
        .iter()
        .zip(&state.incidents)
        .enumerate()
        .filter(|(_, (_, known))| known.discovered_at.is_some())
        .map(|(i, (incident, _))| {
            let known = known_observations(scenario, Results::from(state), Some(i), incident.pollutant);
            EstimateInput {
                incident: i,
                pollutant: incident.pollutant,
                last_known_at: known.last().map(|k| k.known_at),
                observations: known.into_iter().map(|k| k.observation).collect(),
            }
        })
        .collect()
}

/// What the results say about an incident's source, as a front end shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SourceEstimate {
    pub incident: usize,
    pub incident_id: String,
    pub pollutant: String,
    /// Results weighed: detected, and all (non-detects too).
    pub detected: usize,
    pub results: usize,
    /// When the newest result weighed became known.
    pub as_of: Option<SimTime>,
    pub outcome: EstimateOutcome,
    /// Newer results are being weighed (set by the front end that runs the estimates).
    #[serde(default)]
    pub updating: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EstimateOutcome {
    /// The results are being weighed for the first time.
    Pending,
    /// No result of the incident's pollutant is known yet.
    NoResults,
    /// Every result is below its detection limit: nothing to trace back.
    AllClean,
    Estimated {
        /// The most probable places, at most [`ESTIMATE_CANDIDATES_MAX`].
        candidates: Vec<CandidateEstimate>,
        /// Every drinking-water intake of the zone, the threatened one first.
        intakes: Vec<IntakeArrival>,
        next_sample: Option<SampleAdvice>,
    },
    /// Identification could not be run (why, in the library's words).
    Failed { reason: String },
}

/// One candidate place with its posterior probability and 90 % intervals.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CandidateEstimate {
    /// The risk source's id (the inventory is the prior).
    pub place: String,
    pub probability: f64,
    /// Start of the release: 5 %, 50 %, 95 %.
    pub start: [SimTime; 3],
    /// Mass released: 5 %, 50 %, 95 % [kg].
    pub mass_kg: [f64; 3],
}

/// The outlook at one intake, from releases drawn from the posterior.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IntakeArrival {
    pub point: String,
    /// The intake the next-sample advice protects (the one most likely over its limit).
    pub threatened: bool,
    /// Share of the draws that reach it, and that go over its limit.
    pub p_reach: f64,
    pub p_over_limit: f64,
    /// Arrival of the leading edge: P10, P50, P90 (`None`: that quantile does not arrive
    /// within the outlook).
    pub arrival: [Option<SimTime>; 3],
}

/// Where and when one more result would most narrow the arrival at the threatened point.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SampleAdvice {
    pub point: String,
    pub at: SimTime,
    /// Share of the draws that would detect something there.
    pub p_detect: f64,
    /// The point whose arrival it narrows.
    pub target: String,
}

/// Unit responses kept between estimates, one set per pollutant, so that a new result at
/// a place already weighed costs only the quadrature.
#[derive(Default)]
pub struct EstimateCache {
    responses: Vec<(usize, Responses)>,
    builds: usize,
}

impl EstimateCache {
    /// How many sets of unit responses were built (transport runs made) so far.
    pub fn builds(&self) -> usize {
        self.builds
    }
}

/// Weighs an incident's results ([`identify::identify_with`] with the request of
/// [`request`], 200 draws, a 24-hour outlook) and keeps what a panel shows. Reuses the
/// cached unit responses when they cover the results, else builds them (the expensive
/// part: one transport run per candidate place).
pub fn estimate(scenario: &Scenario, input: &EstimateInput, cache: &mut EstimateCache) -> SourceEstimate {
    let detected = input.observations.iter().filter(|o| o.value_mg_l.is_some()).count();
    let outcome = if input.observations.is_empty() {
        EstimateOutcome::NoResults
    } else if detected == 0 {
        EstimateOutcome::AllClean
    } else {
        match identify_cached(scenario, input, cache) {
            Ok(identification) => estimated(scenario, &identification),
            Err(reason) => EstimateOutcome::Failed { reason },
        }
    };
    SourceEstimate {
        incident: input.incident,
        incident_id: scenario
            .incidents
            .get(input.incident)
            .map_or_else(String::new, |i| i.id.clone()),
        pollutant: scenario.pollutants[input.pollutant].id.clone(),
        detected,
        results: input.observations.len(),
        as_of: input.last_known_at,
        outcome,
        updating: false,
    }
}

fn identify_cached(
    scenario: &Scenario,
    input: &EstimateInput,
    cache: &mut EstimateCache,
) -> Result<Identification, String> {
    let request = request(scenario, input.observations.clone(), ESTIMATE_DRAWS, ESTIMATE_OUTLOOK);
    let last = input
        .observations
        .iter()
        .map(|o| o.taken_at)
        .max()
        .unwrap_or(SimTime::ZERO);
    let needed = SimDuration((last + ESTIMATE_OUTLOOK).seconds() - request.since.seconds());
    let locations: Vec<Location> = input.observations.iter().map(|o| o.location).collect();
    let position = cache
        .responses
        .iter()
        .position(|(p, r)| *p == input.pollutant && r.covers(&locations, request.regime, needed));
    let position = match position {
        Some(position) => position,
        None => {
            let responses = Responses::build(
                scenario,
                request.prior,
                &[input.pollutant],
                &locations,
                request.regime,
                needed + ESTIMATE_RESPONSES_SLACK,
            )?;
            // One set per pollutant: the new one replaces what it outgrew.
            cache.responses.retain(|(p, _)| *p != input.pollutant);
            cache.responses.push((input.pollutant, responses));
            cache.builds += 1;
            cache.responses.len() - 1
        }
    };
    identify::identify_with(scenario, &cache.responses[position].1, &request)
}

/// The panel's part of an identification.
fn estimated(scenario: &Scenario, identification: &Identification) -> EstimateOutcome {
    let candidates = identification
        .candidates
        .iter()
        .take(ESTIMATE_CANDIDATES_MAX)
        .map(|c| CandidateEstimate {
            place: c.place.label.clone(),
            probability: c.probability,
            start: c.start_s.map(SimTime),
            mass_kg: c.mass_kg,
        })
        .collect();
    let threatened = identification.next_sample.as_ref().map(|a| a.target_point.as_str());
    let mut intakes: Vec<IntakeArrival> = identification
        .outlook
        .iter()
        .filter(|o| o.kind == PointKind::Intake)
        .map(|o| IntakeArrival {
            point: o.point.clone(),
            threatened: threatened == Some(o.point.as_str()),
            p_reach: o.p_reach,
            p_over_limit: o.p_over_limit,
            arrival: o.arrival_s.map(|a| a.map(SimTime)),
        })
        .collect();
    // The threatened intake first, then the scenario's order.
    intakes.sort_by_key(|i| !i.threatened);
    let next_sample = identification.next_sample.as_ref().and_then(|advice| {
        advice.samples.first().map(|s| SampleAdvice {
            point: s.point.clone(),
            at: SimTime(s.taken_at_s),
            p_detect: s.p_detect,
            target: advice.target_point.clone(),
        })
    });
    debug_assert!(intakes.iter().all(|i| scenario.point_idx(&i.point).is_some()));
    EstimateOutcome::Estimated {
        candidates,
        intakes,
        next_sample,
    }
}
