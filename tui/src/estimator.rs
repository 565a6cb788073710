//! The source panel's estimates, weighed on a worker thread: the simulation thread (the
//! console's, the server's) hands over the results the command knows whenever they
//! change and picks up the estimates when they are ready, so neither a frame nor an
//! event ever waits for an identification (about a second each, more when new transport
//! runs are needed).
//!
//! Newer results supersede older ones: the worker always takes the newest set it was
//! sent, and between two incidents it looks for a newer set and starts over from it. An
//! identification already running is finished (the library has no way to stop one) and
//! shown, marked as being updated, until the newer one is ready.

use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use tripoint_sim::drill::Session;
use tripoint_sim::drill::source::{self, EstimateCache, EstimateInput, EstimateOutcome, SourceEstimate};
use tripoint_sim::scenario::Scenario;

/// What identifies the results an estimate weighed ([`EstimateInput::key`]).
type Key = (usize, usize, usize, Option<tripoint_sim::time::SimTime>);

/// One set of inputs: every known incident's results at one moment.
struct Job {
    scenario: Arc<Scenario>,
    inputs: Vec<EstimateInput>,
}

/// The simulation thread's end of the worker.
pub struct Estimator {
    jobs: Sender<Job>,
    done: Receiver<Vec<(Key, SourceEstimate)>>,
    /// The keys of the inputs last handed over, in incident order.
    asked: Vec<Key>,
    /// The newest estimates received, with the keys of the inputs they weighed.
    shown: Vec<(Key, SourceEstimate)>,
}

impl Estimator {
    /// Starts the worker thread; it ends when the estimator is dropped.
    pub fn start() -> Estimator {
        let (jobs, job_rx) = mpsc::channel::<Job>();
        let (done_tx, done) = mpsc::channel();
        std::thread::Builder::new()
            .name("source estimates".into())
            .spawn(move || work(&job_rx, &done_tx))
            .expect("the operating system starts a thread");
        Estimator {
            jobs,
            done,
            asked: Vec::new(),
            shown: Vec::new(),
        }
    }

    /// Hands the session's known results to the worker if they changed since last time
    /// (cheap: a pass over the samples). Returns whether they changed.
    pub fn observe(&mut self, session: &Session) -> bool {
        let inputs = source::estimate_inputs(session);
        let keys: Vec<Key> = inputs.iter().map(EstimateInput::key).collect();
        if keys == self.asked {
            return false;
        }
        self.asked = keys;
        let job = Job {
            scenario: session.drill().scenario.clone(),
            inputs,
        };
        // The worker is gone only if it panicked; the panel then keeps what it had.
        let _ = self.jobs.send(job);
        true
    }

    /// Takes the estimates the worker finished since the last call. Returns whether there
    /// were any.
    pub fn poll(&mut self) -> bool {
        let mut received = false;
        loop {
            match self.done.try_recv() {
                Ok(estimates) => {
                    received = true;
                    self.take(estimates);
                }
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => return received,
            }
        }
    }

    /// Blocks until the worker finishes its next set of estimates and takes it (for tests
    /// and programs with nothing else to do; the simulation threads use [`Self::poll`]).
    pub fn wait(&mut self) {
        if let Ok(estimates) = self.done.recv() {
            self.take(estimates);
        }
        self.poll();
    }

    fn take(&mut self, estimates: Vec<(Key, SourceEstimate)>) {
        for (key, estimate) in estimates {
            match self.shown.iter_mut().find(|(_, e)| e.incident == estimate.incident) {
                Some(slot) => *slot = (key, estimate),
                None => self.shown.push((key, estimate)),
            }
        }
    }

    /// What the panel shows for every incident last handed over, in incident order: the
    /// newest estimate, marked `updating` when newer results are being weighed, or
    /// `Pending` before the first one is ready.
    pub fn estimates(&self) -> Vec<SourceEstimate> {
        self.asked
            .iter()
            .map(|key| {
                let incident = key.0;
                match self.shown.iter().find(|(_, e)| e.incident == incident) {
                    Some((shown_key, estimate)) => SourceEstimate {
                        updating: shown_key != key,
                        ..estimate.clone()
                    },
                    None => SourceEstimate {
                        incident,
                        incident_id: String::new(),
                        pollutant: String::new(),
                        detected: 0,
                        results: key.2,
                        as_of: key.3,
                        outcome: EstimateOutcome::Pending,
                        updating: true,
                    },
                }
            })
            .collect()
    }
}

/// The worker: the newest job first; each incident's estimate made once per set of
/// results; a newer job interrupts between incidents.
fn work(jobs: &Receiver<Job>, done: &Sender<Vec<(Key, SourceEstimate)>>) {
    let mut cache = EstimateCache::default();
    let mut made: Vec<(Key, SourceEstimate)> = Vec::new();
    let Ok(mut job) = jobs.recv() else { return };
    'jobs: loop {
        while let Ok(newer) = jobs.try_recv() {
            job = newer;
        }
        let mut finished = Vec::new();
        for input in &job.inputs {
            let key = input.key();
            if let Some(found) = made.iter().find(|(k, _)| *k == key) {
                finished.push(found.clone());
                continue;
            }
            if let Ok(newer) = jobs.try_recv() {
                job = newer;
                continue 'jobs;
            }
            let estimate = source::estimate(&job.scenario, input, &mut cache);
            made.retain(|(k, _)| k.0 != key.0);
            made.push((key, estimate.clone()));
            finished.push((key, estimate));
        }
        if done.send(finished).is_err() {
            return;
        }
        match jobs.recv() {
            Ok(next) => job = next,
            Err(_) => return,
        }
    }
}
