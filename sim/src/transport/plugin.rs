//! Transport in the simulation world: the `Transport` resource, one entity per named point
//! with its sampled series, and the handlers of transport steps, releases and flow changes.

use super::{Network, NetworkError, Transport};
use crate::event::Event;
use crate::kernel::{Context, Kernel, KernelError};
use crate::scenario::{Location, Release, Scenario};
use crate::time::{SimDuration, SimTime};
use bevy_ecs::prelude::*;
use serde_json::json;

/// A named point of the scenario (intake, section, station…) as an entity.
#[derive(Component, Clone, Copy, Debug)]
pub struct NamedPoint {
    pub point_idx: usize,
    pub location: Location,
}

/// Concentrations sampled at a named point at every output step [mg/L], per pollutant.
#[derive(Component, Clone, Debug, Default)]
pub struct PointSeries {
    pub times: Vec<SimTime>,
    /// `conc[pollutant][sample]`. Empty for a pollutant never released, or one that has
    /// not reached the point (zero at every sample), like `held`; a pollutant's series
    /// fills with zeros back to the first sample when it first reaches the point. Read it
    /// with [`PointSeries::conc_at`] or [`PointSeries::samples`] where it may be empty.
    pub conc: Vec<Vec<f64>>,
    /// `held[pollutant][sample]`: the largest concentration the transport held at the
    /// point in any substep since the previous sample, and when. Empty for a pollutant
    /// never released, and where the series was not made by the transport itself (the
    /// planner's unit responses).
    pub held: Vec<Vec<(SimTime, f64)>>,
}

impl PointSeries {
    /// The concentration of `pollutant` at sample `sample` [mg/L]: zero where the series
    /// is empty (the pollutant never reached the point) or shorter.
    pub fn conc_at(&self, pollutant: usize, sample: usize) -> f64 {
        self.conc[pollutant].get(sample).copied().unwrap_or(0.0)
    }

    /// (time, concentration) of `pollutant` at every sample, zeros where the series is
    /// empty.
    pub fn samples(&self, pollutant: usize) -> impl Iterator<Item = (SimTime, f64)> + '_ {
        self.times
            .iter()
            .enumerate()
            .map(move |(k, t)| (*t, self.conc_at(pollutant, k)))
    }
}

/// The named points' entities, in the order of `Scenario::points`, so that recording an
/// output step needs no query of the world.
#[derive(Resource, Clone, Debug)]
pub struct PointEntities(pub Vec<Entity>);

/// Most output steps a point's series has room for from the start (about 69 days of
/// one-minute steps); a longer series grows as it goes.
pub const OUTPUT_STEPS_RESERVED_MAX: usize = 100_000;

/// What the recording of output steps needs to know of the samples so far.
#[derive(Resource, Clone, Debug, Default)]
struct SampleBook {
    /// Output steps recorded so far (every point has the same times).
    n_samples: usize,
    /// Per pollutant, the first sample at which it was in the water.
    first_active_sample: Vec<Option<usize>>,
}

/// The releases the transport handlers may start, by index.
#[derive(Resource, Clone, Debug)]
pub struct ReleaseBook(pub Vec<Release>);

/// Sampling interval of named points and the end of the run.
#[derive(Resource, Clone, Copy, Debug)]
pub struct TransportSchedule {
    pub output_step: SimDuration,
    pub end: SimTime,
}

/// Installs transport into a kernel: resources, point entities, handlers, and the first
/// output step (at `start`: the named points' series begin there), the releases and the
/// flow changes as scheduled events. The work check covers `start` to `end`; before
/// the first release nothing is in the water and the transport costs nothing.
pub fn install(
    kernel: &mut Kernel<Event>,
    scenario: &Scenario,
    releases: &[Release],
    regime: usize,
    start: SimTime,
    end: SimTime,
) -> Result<(), InstallError> {
    let network = Network::build(scenario).map_err(InstallError::Network)?;
    let regimes_used: Vec<usize> = std::iter::once(regime)
        .chain(scenario.flow_changes.iter().map(|c| c.regime))
        .collect();
    network
        .check_work(&regimes_used, end - start)
        .map_err(InstallError::Network)?;
    let mut transport = Transport::new(scenario, network);
    transport.set_regime(regime);
    transport.set_probes(scenario.points.iter().map(|p| p.location).collect());
    let world = kernel.world_mut();
    world.insert_resource(transport);
    world.insert_resource(ReleaseBook(releases.to_vec()));
    world.insert_resource(TransportSchedule {
        output_step: scenario.settings.output_step,
        end,
    });
    let n_species = scenario.pollutants.len();
    // Room for every output step up to `end` at once: growing by doubling copies the
    // series and touches twice the memory, and fresh memory costs the kernel a page
    // clearing (it was most of a forecast's time once the transport got fast).
    let n_steps = ((end - start).seconds() / scenario.settings.output_step.seconds().max(1)).max(0) as usize + 1;
    let n_steps = n_steps.min(OUTPUT_STEPS_RESERVED_MAX);
    let mut released = vec![false; n_species];
    for release in releases {
        released[release.pollutant] = true;
    }
    let entities = scenario
        .points
        .iter()
        .enumerate()
        .map(|(point_idx, point)| {
            world
                .spawn((
                    NamedPoint {
                        point_idx,
                        location: point.location,
                    },
                    PointSeries {
                        times: Vec::with_capacity(n_steps),
                        // Room only for the pollutants this run releases: the memory of
                        // the others would be zeros, and its first touch (the kernel
                        // clearing fresh pages) was half a forecast's time.
                        conc: (0..n_species)
                            .map(|p| {
                                if released[p] {
                                    Vec::with_capacity(n_steps)
                                } else {
                                    Vec::new()
                                }
                            })
                            .collect(),
                        held: vec![Vec::new(); n_species],
                    },
                ))
                .id()
        })
        .collect();
    world.insert_resource(PointEntities(entities));
    world.insert_resource(SampleBook {
        n_samples: 0,
        first_active_sample: vec![None; n_species],
    });
    kernel.on("transport_step", on_transport_step);
    kernel.on("release_start", on_release_start);
    kernel.on("flow_change", on_flow_change);
    for (idx, release) in releases.iter().enumerate() {
        let event = Event::ReleaseStart {
            release: idx,
            pollutant: scenario.pollutants[release.pollutant].id.clone(),
            mass_kg: release.mass_kg,
            location: scenario.location_label(release.location),
            duration_s: release.duration.seconds(),
        };
        kernel.schedule(release.start, event).map_err(InstallError::Kernel)?;
    }
    for change in &scenario.flow_changes {
        let event = Event::FlowChange {
            regime: change.regime,
            regime_id: scenario.regimes[change.regime].id.clone(),
        };
        kernel.schedule(change.at, event).map_err(InstallError::Kernel)?;
    }
    kernel
        .schedule(start, Event::TransportStep)
        .map_err(InstallError::Kernel)?;
    Ok(())
}

#[derive(Debug)]
pub enum InstallError {
    Network(NetworkError),
    Kernel(KernelError),
}

impl std::fmt::Display for InstallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InstallError::Network(e) => write!(f, "network: {e}"),
            InstallError::Kernel(e) => write!(f, "scheduling: {e}"),
        }
    }
}

impl std::error::Error for InstallError {}

fn on_transport_step(world: &mut World, _: &Event, ctx: &mut Context<'_, Event>) -> Result<(), KernelError> {
    let now = ctx.now();
    world.resource_mut::<Transport>().advance_to(now);
    world.resource_scope(|world, mut transport: Mut<Transport>| {
        let book = {
            let mut book = world.resource_mut::<SampleBook>();
            let sample = book.n_samples;
            for (species_idx, first) in book.first_active_sample.iter_mut().enumerate() {
                if first.is_none() && transport.is_active(species_idx) {
                    *first = Some(sample);
                }
            }
            book.n_samples += 1;
            book.clone()
        };
        world.resource_scope(|world, entities: Mut<PointEntities>| {
            for &entity in &entities.0 {
                record_point(world, entity, &mut transport, now, &book.first_active_sample);
            }
        });
        // The stored mass is only a note in the journal: not summed when there is none.
        if ctx.journaling() {
            let stored_g: Vec<f64> = (0..transport.n_species())
                .filter(|&s| transport.is_active(s))
                .map(|s| transport.ledger(s).stored_g)
                .collect();
            ctx.note(json!({ "stored_g": stored_g }));
        }
    });
    let schedule = *world.resource::<TransportSchedule>();
    let next = now + schedule.output_step;
    if next <= schedule.end {
        ctx.schedule(next, Event::TransportStep)?;
    }
    Ok(())
}

/// Appends the output step at `now` to one named point's series. A pollutant that has
/// not reached the point reads exactly zero there ([`Transport::is_probe_reached`]): its
/// series stays empty until it does, then fills with the zeros it would have recorded.
fn record_point(
    world: &mut World,
    entity: Entity,
    transport: &mut Transport,
    now: SimTime,
    first_active_sample: &[Option<usize>],
) {
    let mut entity = world.entity_mut(entity);
    let point = *entity
        .get::<NamedPoint>()
        .expect("a named point's entity has its point");
    let mut series = entity
        .get_mut::<PointSeries>()
        .expect("a named point's entity has its series");
    let series = &mut *series;
    series.times.push(now);
    let times = &series.times;
    let n_times = times.len();
    for (species_idx, (conc, held)) in series.conc.iter_mut().zip(&mut series.held).enumerate() {
        // A species never released is zero everywhere: no need to look, nor to keep held
        // values that would all be zero.
        if !transport.is_active(species_idx) {
            // Zeros are kept once the pollutant has a series (released, then gone).
            if !conc.is_empty() {
                conc.push(0.0);
            }
            continue;
        }
        // Nor is there a need where the plume has not been: the point reads exactly zero.
        if !transport.is_probe_reached(point.point_idx, species_idx) {
            continue;
        }
        let max = transport.take_probe_max(point.point_idx, species_idx);
        let c = transport.concentration_at(species_idx, point.location);
        // Zeros before the pollutant first reached the point.
        if conc.len() + 1 < n_times {
            conc.resize(n_times - 1, 0.0);
        }
        conc.push(c);
        if held.is_empty() {
            held.reserve_exact(conc.capacity());
        }
        // Held values before the pollutant was released are zeros at no time; after it,
        // until it reached the point, each sample held its own zero at its own time (as
        // a sample with nothing held since the one before does, below).
        let active_from = first_active_sample[species_idx].expect("an active pollutant has a first sample");
        let unreached = held.len()..conc.len() - 1;
        for (k, &t) in times.iter().enumerate().take(unreached.end).skip(unreached.start) {
            held.push(if k < active_from {
                (SimTime::ZERO, 0.0)
            } else {
                (t, 0.0)
            });
        }
        // The sample itself is the last substep's value, so `max` is at least `c` unless
        // nothing was held since the previous sample.
        held.push(if max.conc_mg_l > c {
            (SimTime(max.at_s.round() as i64), max.conc_mg_l)
        } else {
            (now, c)
        });
    }
}

fn on_release_start(world: &mut World, event: &Event, ctx: &mut Context<'_, Event>) -> Result<(), KernelError> {
    let Event::ReleaseStart { release, .. } = event else {
        unreachable!("dispatched by kind")
    };
    let release = world.resource::<ReleaseBook>().0[*release].clone();
    let mut transport = world.resource_mut::<Transport>();
    transport.advance_to(ctx.now());
    transport.start_release(&release);
    Ok(())
}

fn on_flow_change(world: &mut World, event: &Event, ctx: &mut Context<'_, Event>) -> Result<(), KernelError> {
    let Event::FlowChange { regime, .. } = event else {
        unreachable!("dispatched by kind")
    };
    let mut transport = world.resource_mut::<Transport>();
    transport.advance_to(ctx.now());
    transport.set_regime(*regime);
    Ok(())
}
