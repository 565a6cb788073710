//! Source identification from what the command knows: the results of a session (samples
//! whose result is known, station alarms) turned into the observations of
//! [`crate::identify`], and the moment the true source of a drill's incident first ranked
//! first above a probability (the critical task `source_identified:INCIDENT`).
//!
//! Only what the command was told counts: a sample's reported value (a non-detect below
//! its method's limit), known from its result time, and an alarm's reading, known when it
//! went off. The truth's unsampled concentrations are never read.

use crate::identify::{self, Identification, IdentifyRequest, Observation, Responses};
use crate::response::{ResponseRecord, ResponseState, Sample, Task};
use crate::scenario::{Location, Scenario};
use crate::time::{SimDuration, SimTime};

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
