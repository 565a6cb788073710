//! The discrete-event kernel: a queue ordered by `(time, seq)`, one handler per event kind,
//! a `bevy_ecs` world holding the simulation state, one seeded generator and a journal.
//!
//! Ordering contract: events run in ascending time; events scheduled for the same time run
//! in the order they were scheduled (`seq` is a global counter). Handlers run one at a time
//! and may schedule further events, at the current time or later, never earlier.

use crate::time::SimTime;
use bevy_ecs::prelude::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::fmt;

/// An event type the kernel can dispatch: a closed set of kinds, each with one handler.
pub trait SimEvent: Serialize + 'static {
    /// Names of the kinds, indexed by [`SimEvent::kind_index`]; used in the journal.
    const KINDS: &'static [&'static str];
    /// Index of this event's kind in [`SimEvent::KINDS`].
    fn kind_index(&self) -> usize;
}

/// A handler: reads the event, changes the world, may schedule events and annotate the journal.
pub type Handler<E> = fn(&mut World, &E, &mut Context<'_, E>) -> Result<(), KernelError>;

/// A standard normal draw by Box–Muller from two uniforms of `rng` (the cosine branch
/// only, so every draw consumes exactly two numbers of the stream). The one normal
/// generator of the simulation: driving-time spread, the planner's draws, the fleet model.
pub fn standard_normal<R: rand::Rng + ?Sized>(rng: &mut R) -> f64 {
    // 1 − u is in (0, 1], so the logarithm is finite.
    let radius = (-2.0 * (1.0 - rng.random::<f64>()).ln()).sqrt();
    radius * (std::f64::consts::TAU * rng.random::<f64>()).cos()
}

/// The one random generator of a simulation (ChaCha8: portable and stable across versions).
#[derive(Resource)]
pub struct SimRng(pub ChaCha8Rng);

/// Limits and switches of a kernel.
#[derive(Clone, Debug)]
pub struct KernelConfig {
    /// Seed of the one generator.
    pub seed: u64,
    /// Largest number of events that may wait in the queue at once.
    pub events_pending_max: usize,
    /// Keep a journal of every handled event (off for Monte Carlo trials).
    pub journal: bool,
    /// Largest number of journal lines kept; beyond it the run fails rather than grow unbounded.
    pub journal_lines_max: usize,
}

impl Default for KernelConfig {
    fn default() -> Self {
        KernelConfig {
            seed: 0,
            events_pending_max: 1_000_000,
            journal: true,
            journal_lines_max: 5_000_000,
        }
    }
}

/// What can go wrong while running; each is a bad request or a runaway model, never a crash.
#[derive(Clone, Debug, PartialEq)]
pub enum KernelError {
    /// An event was scheduled before the current time.
    ScheduledInPast {
        now: SimTime,
        requested: SimTime,
        kind: &'static str,
    },
    /// The queue reached `events_pending_max`.
    QueueFull { events_pending_max: usize },
    /// The journal reached `journal_lines_max`.
    JournalFull { journal_lines_max: usize },
    /// A handler rejected its event (e.g. a release into a place that cannot take it).
    Handler {
        kind: &'static str,
        time: SimTime,
        message: String,
    },
}

impl fmt::Display for KernelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KernelError::ScheduledInPast { now, requested, kind } => {
                write!(
                    f,
                    "event {kind} scheduled at {requested} but the clock is already at {now}"
                )
            }
            KernelError::QueueFull { events_pending_max } => {
                write!(f, "event queue full ({events_pending_max} pending events)")
            }
            KernelError::JournalFull { journal_lines_max } => {
                write!(f, "journal full ({journal_lines_max} lines)")
            }
            KernelError::Handler { kind, time, message } => write!(f, "{kind} at {time}: {message}"),
        }
    }
}

impl std::error::Error for KernelError {}

/// A pending event. Its order, `(time, seq)`, is kept as one 128-bit key: the time with its
/// sign bit flipped (so the unsigned order is the signed one) above the sequence number.
/// The heap compares keys on every step of a push and a pop; one integer comparison is
/// cheaper than comparing a pair and branching on the first half (docs/benchmarks.md).
struct Scheduled<E> {
    key: u128,
    event: E,
}

impl<E> Scheduled<E> {
    fn new(time: SimTime, seq: u64, event: E) -> Scheduled<E> {
        let time_bits = (time.seconds() as u64) ^ (1 << 63);
        Scheduled {
            key: (u128::from(time_bits) << 64) | u128::from(seq),
            event,
        }
    }

    fn time(&self) -> SimTime {
        SimTime((((self.key >> 64) as u64) ^ (1 << 63)) as i64)
    }

    fn seq(&self) -> u64 {
        self.key as u64
    }
}

impl<E> PartialEq for Scheduled<E> {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl<E> Eq for Scheduled<E> {}
impl<E> PartialOrd for Scheduled<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Scheduled<E> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key.cmp(&other.key)
    }
}

/// The pending events: a min-heap on the key (`BinaryHeap` of `Reverse`), whose root is
/// handled where it lies. A step reads the root's event by reference, the handler's new
/// events wait in the [`Intake`], and only then is the root replaced: by one of the new
/// events, through `peek_mut`, which sifts it down once (most handlers schedule one), or,
/// when there is none, by `pop`. So the handled event is never moved out of the heap, and
/// "pop, then push" costs one sift instead of a sift down to the bottom, a sift up and a
/// second sift up (docs/benchmarks.md, fifth pass). Keys are unique (the sequence number
/// is), so the order of events is the key order whatever the heap's layout.
struct EventQueue<E> {
    heap: BinaryHeap<Reverse<Scheduled<E>>>,
    intake: Intake<E>,
}

/// What a step's handler schedules into, while the event it handles is still the heap's root.
pub struct Intake<E> {
    /// Events scheduled by the handler running now; they enter the heap when it returns.
    staged: Vec<Scheduled<E>>,
    seq_next: u64,
    events_pending_max: usize,
    /// Events pending besides the staged ones: the heap without the root being handled.
    n_held: usize,
}

impl<E: SimEvent> Intake<E> {
    /// Stages `event` at `time` (checked as [`EventQueue::push`] checks).
    fn stage(&mut self, now: SimTime, time: SimTime, event: E) -> Result<(), KernelError> {
        check_not_past(now, time, &event)?;
        if self.n_held + self.staged.len() >= self.events_pending_max {
            return Err(KernelError::QueueFull {
                events_pending_max: self.events_pending_max,
            });
        }
        let seq = self.seq_next;
        self.seq_next += 1;
        self.staged.push(Scheduled::new(time, seq, event));
        Ok(())
    }
}

fn check_not_past<E: SimEvent>(now: SimTime, time: SimTime, event: &E) -> Result<(), KernelError> {
    if time < now {
        return Err(KernelError::ScheduledInPast {
            now,
            requested: time,
            kind: E::KINDS[event.kind_index()],
        });
    }
    Ok(())
}

impl<E: SimEvent> EventQueue<E> {
    fn new(events_pending_max: usize) -> EventQueue<E> {
        EventQueue {
            heap: BinaryHeap::new(),
            intake: Intake {
                staged: Vec::new(),
                seq_next: 0,
                events_pending_max,
                n_held: 0,
            },
        }
    }

    /// Schedules from outside a step.
    fn push(&mut self, now: SimTime, time: SimTime, event: E) -> Result<(), KernelError> {
        check_not_past(now, time, &event)?;
        let intake = &mut self.intake;
        if self.heap.len() >= intake.events_pending_max {
            return Err(KernelError::QueueFull {
                events_pending_max: intake.events_pending_max,
            });
        }
        let seq = intake.seq_next;
        intake.seq_next += 1;
        self.push_scheduled(Scheduled::new(time, seq, event));
        Ok(())
    }

    fn push_scheduled(&mut self, scheduled: Scheduled<E>) {
        self.heap.push(Reverse(scheduled));
    }

    fn peek(&self) -> Option<&Scheduled<E>> {
        self.heap.peek().map(|Reverse(root)| root)
    }

    fn len(&self) -> usize {
        self.heap.len()
    }

    /// Ends the step of the root: the root gives way to a staged event or the last leaf,
    /// then the other staged events go in.
    fn finish_step(&mut self) {
        match self.intake.staged.pop() {
            Some(first) => {
                // The handled event is dropped here, in place; the `PeekMut` sifts the
                // new root down when it goes.
                *self.heap.peek_mut().expect("a step has its root") = Reverse(first);
            }
            None => {
                self.heap.pop().expect("a step has its root");
            }
        }
        while let Some(scheduled) = self.intake.staged.pop() {
            self.push_scheduled(scheduled);
        }
    }
}

/// Where a model's code schedules its next events: a kernel handler's [`Context`], or the
/// [`BareContext`] of a benchmark baseline. Model code written against it runs unchanged on
/// both, so the two loops do the same model work and differ only in what the kernel adds.
pub trait Schedule<E> {
    /// Schedules `event` at `time` (not before now).
    fn schedule(&mut self, time: SimTime, event: E) -> Result<(), KernelError>;
}

impl<E: SimEvent> Schedule<E> for Context<'_, E> {
    fn schedule(&mut self, time: SimTime, event: E) -> Result<(), KernelError> {
        Context::schedule(self, time, event)
    }
}

/// The kernel's queue without the kernel: the same heap on `(time, seq)` with the same two
/// checks (nothing scheduled in the past, a bounded number pending), no world, no handler
/// table, no journal. The benchmark baselines (`fleet::bare::run_bare`,
/// `queueing::simulate_mmc_bare`) step it with a closure that `match`es on the event; the
/// difference in time from a kernel run of the same model is what the kernel costs.
pub struct BareLoop<E> {
    queue: EventQueue<E>,
    now: SimTime,
}

/// What a bare loop's step gives its closure to schedule with.
pub struct BareContext<'a, E> {
    now: SimTime,
    intake: &'a mut Intake<E>,
}

impl<E: SimEvent> Schedule<E> for BareContext<'_, E> {
    fn schedule(&mut self, time: SimTime, event: E) -> Result<(), KernelError> {
        self.intake.stage(self.now, time, event)
    }
}

impl<E: SimEvent> BareLoop<E> {
    /// An empty loop at time zero holding at most `events_pending_max` events.
    pub fn new(events_pending_max: usize) -> BareLoop<E> {
        BareLoop {
            queue: EventQueue::new(events_pending_max),
            now: SimTime::ZERO,
        }
    }

    /// Takes the next event, moves the clock to it and lets `handle` handle it (its time,
    /// the event, where to schedule), as a kernel step does; `None` when nothing is pending.
    pub fn step<H>(&mut self, handle: H) -> Option<Result<(), KernelError>>
    where
        H: FnOnce(SimTime, &E, &mut BareContext<'_, E>) -> Result<(), KernelError>,
    {
        let EventQueue { heap, intake } = &mut self.queue;
        let Reverse(root) = heap.peek()?;
        let time = root.time();
        self.now = time;
        intake.n_held = heap.len() - 1;
        let mut ctx = BareContext { now: time, intake };
        let outcome = handle(time, &root.event, &mut ctx);
        self.queue.finish_step();
        Some(outcome)
    }

    /// The time of the last event taken.
    pub fn now(&self) -> SimTime {
        self.now
    }
}

impl<E: SimEvent> Schedule<E> for BareLoop<E> {
    fn schedule(&mut self, time: SimTime, event: E) -> Result<(), KernelError> {
        self.queue.push(self.now, time, event)
    }
}

/// What a handler may do besides changing the world.
pub struct Context<'a, E: SimEvent> {
    now: SimTime,
    intake: &'a mut Intake<E>,
    note: Option<serde_json::Value>,
    journaling: bool,
}

impl<E: SimEvent> Context<'_, E> {
    /// The time of the event being handled.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Schedules an event at `time` (not before now).
    pub fn schedule(&mut self, time: SimTime, event: E) -> Result<(), KernelError> {
        self.intake.stage(self.now, time, event)
    }

    /// Whether the kernel keeps a journal, i.e. whether a [`Context::note`] is read at
    /// all: a handler may skip the work of a note nobody keeps.
    pub fn journaling(&self) -> bool {
        self.journaling
    }

    /// Attaches a summary of what the handler did to this event's journal line. Several
    /// notes of one handler are merged (object keys; a later key wins).
    pub fn note(&mut self, note: serde_json::Value) {
        match (&mut self.note, note) {
            (Some(serde_json::Value::Object(existing)), serde_json::Value::Object(more)) => existing.extend(more),
            (slot, note) => *slot = Some(note),
        }
    }

    /// [`Context::note`] of what `make` builds, built only when the kernel keeps a journal
    /// (the planner's trials keep none and skip the work).
    pub fn note_with(&mut self, make: impl FnOnce() -> serde_json::Value) {
        if self.journaling {
            self.note(make());
        }
    }
}

#[derive(Serialize)]
struct JournalLine<'a, E> {
    seq: u64,
    t_s: i64,
    kind: &'static str,
    event: &'a E,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<serde_json::Value>,
}

/// The discrete-event simulation: world, queue, handlers, clock and journal.
pub struct Kernel<E: SimEvent> {
    world: World,
    queue: EventQueue<E>,
    handlers: Vec<Option<Handler<E>>>,
    now: SimTime,
    n_handled: u64,
    journal: Vec<String>,
    config: KernelConfig,
}

impl<E: SimEvent> Kernel<E> {
    pub fn new(config: KernelConfig) -> Self {
        let mut world = World::new();
        world.insert_resource(SimRng(ChaCha8Rng::seed_from_u64(config.seed)));
        Kernel {
            world,
            queue: EventQueue::new(config.events_pending_max),
            handlers: vec![None; E::KINDS.len()],
            now: SimTime::ZERO,
            n_handled: 0,
            journal: Vec::new(),
            config,
        }
    }

    /// Registers the one handler of an event kind. Registering a kind twice, or a kind the
    /// event type does not have, is a programmer error and panics.
    pub fn on(&mut self, kind: &str, handler: Handler<E>) {
        let Some(kind_idx) = E::KINDS.iter().position(|k| *k == kind) else {
            panic!("no event kind named {kind:?}");
        };
        assert!(
            self.handlers[kind_idx].is_none(),
            "event kind {kind:?} already has a handler"
        );
        self.handlers[kind_idx] = Some(handler);
    }

    pub fn world(&self) -> &World {
        &self.world
    }

    pub fn world_mut(&mut self) -> &mut World {
        &mut self.world
    }

    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Number of events handled so far.
    pub fn n_handled(&self) -> u64 {
        self.n_handled
    }

    pub fn n_pending(&self) -> usize {
        self.queue.len()
    }

    /// Time of the next pending event, if any.
    pub fn next_time(&self) -> Option<SimTime> {
        self.queue.peek().map(Scheduled::time)
    }

    /// The journal so far, one JSON object per handled event.
    pub fn journal(&self) -> &[String] {
        &self.journal
    }

    /// Schedules an event from outside a handler (scenario loading, user commands).
    pub fn schedule(&mut self, time: SimTime, event: E) -> Result<(), KernelError> {
        self.queue.push(self.now, time, event)
    }

    /// Handles the next event; returns its time, or `None` when the queue is empty.
    pub fn step(&mut self) -> Result<Option<SimTime>, KernelError> {
        self.step_by(|world, handlers, event, ctx| {
            let kind_idx = event.kind_index();
            let Some(handler) = handlers[kind_idx] else {
                panic!("event kind {:?} has no handler", E::KINDS[kind_idx]);
            };
            handler(world, event, ctx)
        })
    }

    /// Handles the next event with `handle`, given `state` in place of the world; returns
    /// its time, or `None` when the queue is empty. For a model whose whole state is one
    /// value with no entities (the fleet model, `fleet.rs`): the kernel keeps the clock,
    /// the queue, its limits, the count and the journal as [`Kernel::step`] does, and the
    /// handler reaches its state directly instead of looking a resource up in the world on
    /// every event (a type-id hash and an entity look-up in bevy_ecs 0.19, about a tenth
    /// of the fleet model's time; docs/benchmarks.md). The handlers registered with
    /// [`Kernel::on`] are not used.
    /// `handle` is a type parameter rather than a function pointer, so a model's handler is
    /// compiled into the step and inlined there, as the bare loop's `match` is.
    pub fn step_with<S, H>(&mut self, state: &mut S, handle: H) -> Result<Option<SimTime>, KernelError>
    where
        H: FnOnce(&mut S, &E, &mut Context<'_, E>) -> Result<(), KernelError>,
    {
        self.step_by(|_, _, event, ctx| handle(state, event, ctx))
    }

    /// Takes the next event, sets the clock, lets `handle` handle it, counts and journals it.
    /// The event stays the heap's root while it is handled ([`EventQueue`]); what the
    /// handler scheduled enters the heap afterwards, whether it succeeded or not.
    fn step_by(
        &mut self,
        handle: impl FnOnce(&mut World, &[Option<Handler<E>>], &E, &mut Context<'_, E>) -> Result<(), KernelError>,
    ) -> Result<Option<SimTime>, KernelError> {
        let EventQueue { heap, intake } = &mut self.queue;
        let Some(Reverse(root)) = heap.peek() else {
            return Ok(None);
        };
        let time = root.time();
        debug_assert!(time >= self.now, "time went backwards");
        self.now = time;
        intake.n_held = heap.len() - 1;
        let mut ctx = Context {
            now: time,
            intake,
            note: None,
            journaling: self.config.journal,
        };
        let mut outcome = handle(&mut self.world, &self.handlers, &root.event, &mut ctx);
        let note = ctx.note.take();
        if outcome.is_ok() {
            self.n_handled += 1;
            if self.config.journal {
                outcome = append_journal(&mut self.journal, self.config.journal_lines_max, root, note);
            }
        }
        self.queue.finish_step();
        outcome.map(|()| Some(time))
    }

    /// Handles every event up to and including `until`, then sets the clock to `until`.
    pub fn run_until(&mut self, until: SimTime) -> Result<(), KernelError> {
        while self.next_time().is_some_and(|t| t <= until) {
            self.step()?;
        }
        self.now = self.now.max(until);
        Ok(())
    }
}

/// Appends the journal line of a handled event, or fails when the journal is full.
fn append_journal<E: SimEvent>(
    journal: &mut Vec<String>,
    journal_lines_max: usize,
    scheduled: &Scheduled<E>,
    note: Option<serde_json::Value>,
) -> Result<(), KernelError> {
    if journal.len() >= journal_lines_max {
        return Err(KernelError::JournalFull { journal_lines_max });
    }
    let line = JournalLine {
        seq: scheduled.seq(),
        t_s: scheduled.time().seconds(),
        kind: E::KINDS[scheduled.event.kind_index()],
        event: &scheduled.event,
        note,
    };
    // Serialising plain data with string keys cannot fail.
    journal.push(serde_json::to_string(&line).expect("journal line serialises"));
    Ok(())
}

/// FNV-1a 64-bit hash of the journal lines, a compact fingerprint for determinism checks.
pub fn journal_hash<S: AsRef<str>>(lines: &[S]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for line in lines {
        for byte in line.as_ref().bytes().chain(std::iter::once(b'\n')) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Clone, Debug)]
    enum Ev {
        Tick(u32),
        Spawn(u32),
    }

    impl SimEvent for Ev {
        const KINDS: &'static [&'static str] = &["tick", "spawn"];
        fn kind_index(&self) -> usize {
            match self {
                Ev::Tick(_) => 0,
                Ev::Spawn(_) => 1,
            }
        }
    }

    #[derive(Resource, Default)]
    struct Seen(Vec<(i64, u32)>);

    fn on_tick(world: &mut World, ev: &Ev, ctx: &mut Context<'_, Ev>) -> Result<(), KernelError> {
        let Ev::Tick(id) = ev else { unreachable!() };
        world.resource_mut::<Seen>().0.push((ctx.now().seconds(), *id));
        Ok(())
    }

    fn on_spawn(world: &mut World, ev: &Ev, ctx: &mut Context<'_, Ev>) -> Result<(), KernelError> {
        let Ev::Spawn(id) = ev else { unreachable!() };
        world.resource_mut::<Seen>().0.push((ctx.now().seconds(), *id));
        // Same-time events scheduled from a handler run after those already queued.
        ctx.schedule(ctx.now(), Ev::Tick(id + 100))
    }

    #[test]
    fn the_one_key_orders_as_time_then_sequence() {
        let times = [i64::MIN, -86_400, -1, 0, 1, 3_600, i64::MAX];
        let seqs = [0, 1, 7, u64::MAX];
        let mut pairs = Vec::new();
        for &t in &times {
            for &q in &seqs {
                let s = Scheduled::new(SimTime(t), q, ());
                assert_eq!((s.time(), s.seq()), (SimTime(t), q), "round trip");
                pairs.push(((t, q), s));
            }
        }
        for (a, sa) in &pairs {
            for (b, sb) in &pairs {
                assert_eq!(sa.cmp(sb), a.cmp(b), "{a:?} against {b:?}");
            }
        }
    }

    #[test]
    fn the_root_handled_in_place_leaves_events_in_binary_heap_order() {
        // 300 random schedules: each step stages 0 to 3 events at now or later (many at one
        // time, so the sequence number decides); a `BinaryHeap` on `(time, seq)` fed the
        // same events is the reference for every event taken.
        use rand::Rng;
        use std::cmp::Reverse;
        use std::collections::BinaryHeap;
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        for _ in 0..300 {
            let mut queue = BareLoop::<Ev>::new(64);
            let mut reference = BinaryHeap::new();
            let mut seq = 0_u32;
            for _ in 0..rng.random_range(1..5) {
                let time = SimTime(rng.random_range(0..4));
                queue.schedule(time, Ev::Tick(seq)).unwrap();
                reference.push(Reverse((time, seq)));
                seq += 1;
            }
            let mut n_steps = 0;
            while n_steps < 400 {
                let mut staged = Vec::new();
                let stage_n = rng.random_range(0..4_usize);
                let outcome = queue.step(|now, event, ctx| {
                    let Ev::Tick(id) = *event else { unreachable!() };
                    let Some(Reverse(expected)) = reference.pop() else {
                        panic!("the reference is empty")
                    };
                    assert_eq!((now, id), expected);
                    for _ in 0..stage_n {
                        let time = SimTime(now.seconds() + rng.random_range(0..3));
                        if reference.len() + staged.len() < 64 {
                            ctx.schedule(time, Ev::Tick(seq + staged.len() as u32))?;
                            staged.push(Reverse((time, seq + staged.len() as u32)));
                        }
                    }
                    Ok(())
                });
                let Some(outcome) = outcome else { break };
                outcome.unwrap();
                seq += staged.len() as u32;
                reference.extend(staged);
                n_steps += 1;
            }
            assert!(reference.is_empty() || n_steps == 400);
        }
    }

    #[test]
    fn a_full_queue_counts_the_events_staged_in_a_step() {
        // The limit is on events pending: the one being handled no longer counts, those
        // its handler staged do.
        let mut queue = BareLoop::<Ev>::new(2);
        queue.schedule(SimTime(1), Ev::Tick(0)).unwrap();
        queue.schedule(SimTime(2), Ev::Tick(1)).unwrap();
        let outcome = queue.step(|now, _, ctx| {
            ctx.schedule(now, Ev::Tick(2))?;
            ctx.schedule(now, Ev::Tick(3))
        });
        assert_eq!(outcome, Some(Err(KernelError::QueueFull { events_pending_max: 2 })));
        // What was staged before the error is pending, as it would be after a push.
        let mut seen = Vec::new();
        while let Some(outcome) = queue.step(|now, event, _| {
            let Ev::Tick(id) = *event else { unreachable!() };
            seen.push((now.seconds(), id));
            Ok(())
        }) {
            outcome.unwrap();
        }
        assert_eq!(seen, [(1, 2), (2, 1)]);
    }

    fn kernel() -> Kernel<Ev> {
        let mut k = Kernel::new(KernelConfig::default());
        k.world_mut().init_resource::<Seen>();
        k.on("tick", on_tick);
        k.on("spawn", on_spawn);
        k
    }

    #[test]
    fn same_time_events_run_in_scheduling_order() {
        let mut k = kernel();
        k.schedule(SimTime(10), Ev::Tick(1)).unwrap();
        k.schedule(SimTime(5), Ev::Spawn(2)).unwrap();
        k.schedule(SimTime(10), Ev::Tick(3)).unwrap();
        k.schedule(SimTime(5), Ev::Tick(4)).unwrap();
        k.run_until(SimTime(100)).unwrap();
        let seen = &k.world().resource::<Seen>().0;
        assert_eq!(seen, &vec![(5, 2), (5, 4), (5, 102), (10, 1), (10, 3)]);
        assert_eq!(k.now(), SimTime(100));
    }

    #[test]
    fn scheduling_in_the_past_is_an_error() {
        let mut k = kernel();
        k.schedule(SimTime(10), Ev::Tick(1)).unwrap();
        k.run_until(SimTime(20)).unwrap();
        let err = k.schedule(SimTime(19), Ev::Tick(2)).unwrap_err();
        assert!(matches!(err, KernelError::ScheduledInPast { .. }), "{err}");
    }

    #[test]
    fn full_queue_is_an_error_not_a_panic() {
        let mut k = Kernel::<Ev>::new(KernelConfig {
            events_pending_max: 2,
            ..KernelConfig::default()
        });
        k.schedule(SimTime(1), Ev::Tick(1)).unwrap();
        k.schedule(SimTime(1), Ev::Tick(2)).unwrap();
        assert_eq!(
            k.schedule(SimTime(1), Ev::Tick(3)),
            Err(KernelError::QueueFull { events_pending_max: 2 })
        );
    }

    #[test]
    fn run_until_stops_at_the_horizon() {
        let mut k = kernel();
        k.schedule(SimTime(10), Ev::Tick(1)).unwrap();
        k.schedule(SimTime(30), Ev::Tick(2)).unwrap();
        k.run_until(SimTime(20)).unwrap();
        assert_eq!(k.world().resource::<Seen>().0, vec![(10, 1)]);
        assert_eq!(k.n_pending(), 1);
    }

    #[test]
    fn journal_records_every_event_with_time_and_seq() {
        let mut k = kernel();
        k.schedule(SimTime(7), Ev::Spawn(1)).unwrap();
        k.run_until(SimTime(10)).unwrap();
        assert_eq!(
            k.journal(),
            &[
                r#"{"seq":0,"t_s":7,"kind":"spawn","event":{"Spawn":1}}"#,
                r#"{"seq":1,"t_s":7,"kind":"tick","event":{"Tick":101}}"#
            ]
        );
        assert_ne!(journal_hash(k.journal()), journal_hash(&k.journal()[..1]));
    }

    #[test]
    #[should_panic(expected = "already has a handler")]
    fn a_second_handler_for_a_kind_is_refused() {
        let mut k = kernel();
        k.on("tick", on_tick);
    }
}
