//! Unit responses: the concentration per kilogram released, at a set of places, after a
//! release of 1 kg at time zero with the flow regime held steady.
//!
//! With a steady regime, transport with first-order decay is linear in the released mass
//! and invariant under a shift in time, so a release of any mass at any start is one of
//! these series scaled and shifted. The planner (a trial's water without a transport run)
//! and source identification (every hypothesis without a transport run) both stand on
//! them; this module makes the runs, keeps the series in one form, and reads and writes
//! them through a [`UnitStore`] the program provides (the commands' store is a folder on
//! disk, `tui/src/unit_cache.rs`), so a repeated command, or the shards of one planner
//! run, make no transport run twice. The simulation itself does no I/O.
//!
//! The cache is keyed by the program's version, a fingerprint of the simulation's source
//! (`build.rs`: a changed transport never reads series an older one made), and everything
//! the run reads: the checked scenario with the places kept (its full `Debug` text,
//! hashed), the release place, duration, regime, pollutants and horizon. Entries carry a
//! checksum of their contents and are read back bit for bit:
//! a run with the cache gives exactly the numbers of a run without it. An entry that cannot
//! be read (truncated, corrupted, another format) is made again and rewritten.

use crate::forecast::{self, ForecastRequest};
use crate::scenario::{Location, Release, Scenario};
use crate::time::{SimDuration, SimTime};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

/// A unit series at one place: concentration per kilogram released at time zero
/// [mg/L/kg] on the output step, zero outside `first..first + values.len()`, linear
/// between steps; with its running integral for releases that last.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UnitSeries {
    /// Output step of `values[0]`: one step before the first non-zero value (where there
    /// is one), so the interpolant ramps from zero as the sampled series does.
    pub(crate) first: usize,
    pub(crate) values: Vec<f64>,
    /// `cumulative[j]`: integral of the linear interpolant from step `first` to step
    /// `first + j`, in step units.
    cumulative: Vec<f64>,
}

impl UnitSeries {
    /// The part of a sampled series above zero, with one zero kept on either side.
    pub fn of(series: &[f64]) -> UnitSeries {
        let Some(first) = series.iter().position(|c| *c > 0.0) else {
            return UnitSeries::from_parts(0, Vec::new());
        };
        let last = series.iter().rposition(|c| *c > 0.0).unwrap_or(first);
        let first = first.saturating_sub(1);
        UnitSeries::from_parts(first, series[first..(last + 2).min(series.len())].to_vec())
    }

    fn from_parts(first: usize, values: Vec<f64>) -> UnitSeries {
        let mut cumulative = Vec::with_capacity(values.len());
        let mut sum = 0.0;
        cumulative.push(0.0);
        for pair in values.windows(2) {
            sum += 0.5 * (pair[0] + pair[1]);
            cumulative.push(sum);
        }
        UnitSeries {
            first,
            values,
            cumulative,
        }
    }

    /// Whether the release never reaches the place within the horizon.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    fn value(&self, i: usize) -> f64 {
        i.checked_sub(self.first)
            .and_then(|j| self.values.get(j))
            .copied()
            .unwrap_or(0.0)
    }

    /// Concentration at a fractional output step, linear between steps, zero outside.
    pub fn at(&self, step: f64) -> f64 {
        if step < self.first as f64 || self.values.is_empty() {
            return 0.0;
        }
        // `step` is at least `first`, so not negative: truncation is the floor, without the
        // library call `floor` is on the baseline x86-64 target (a planner trial calls this
        // for every output step of every point its plans forecast).
        let k = step as usize;
        let frac = step - k as f64;
        self.value(k) * (1.0 - frac) + self.value(k + 1) * frac
    }

    /// Integral from step 0 to a fractional step, in step units.
    pub fn integral(&self, step: f64) -> f64 {
        if step <= self.first as f64 || self.values.is_empty() {
            return 0.0;
        }
        let offset = step - self.first as f64;
        // Positive here, so truncation is the floor (see `at`).
        let j = offset as usize;
        if j + 1 >= self.values.len() {
            return *self.cumulative.last().unwrap_or(&0.0);
        }
        let frac = offset - j as f64;
        let (a, b) = (self.values[j], self.values[j + 1]);
        // The trapezoid from step j to j + frac under the line from a to b.
        self.cumulative[j] + frac * (a + 0.5 * (b - a) * frac)
    }

    /// Concentration `age_s` after the start of a release of 1 kg lasting `duration_s`
    /// spread evenly: the average of the instantaneous series over the release.
    pub fn response(&self, age_s: f64, duration_s: f64, step_s: f64) -> f64 {
        if age_s <= 0.0 {
            return 0.0;
        }
        if duration_s <= 0.0 {
            return self.at(age_s / step_s);
        }
        let upper = self.integral(age_s / step_s);
        let lower = self.integral((age_s - duration_s).max(0.0) / step_s);
        (upper - lower) * step_s / duration_s
    }

    /// Rate of change of [`UnitSeries::response`] with the age [1/(kg·s) of the series'
    /// unit, mg/L per kg per second]. For a lasting release it is exact: the response is
    /// the running integral's difference over the release, so its slope is the
    /// instantaneous series' difference over the release, `(c(age) − c(age − D)) / D`. For
    /// a release at once the linear interpolant's slope jumps at every output step, where
    /// results and start nodes fall, so it is the centred difference over one step,
    /// `(c(age + step/2) − c(age − step/2)) / step`: the mean of the two steps' slopes at a
    /// node.
    pub fn slope(&self, age_s: f64, duration_s: f64, step_s: f64) -> f64 {
        if age_s <= 0.0 {
            return 0.0;
        }
        if duration_s <= 0.0 {
            let at = age_s / step_s;
            return (self.at(at + 0.5) - self.at(at - 0.5)) / step_s;
        }
        (self.at(age_s / step_s) - self.at((age_s - duration_s) / step_s)) / duration_s
    }
}

/// One unit transport run: 1 kg of each pollutant released at `location` from time zero
/// over `duration`, in `regime` held steady.
#[derive(Clone, Debug, PartialEq)]
pub struct UnitRun {
    pub location: Location,
    pub duration: SimDuration,
    pub regime: usize,
    pub pollutants: Vec<usize>,
}

/// Series of one run: `[pollutant position][kept place]`.
pub type RunSeries = Vec<Vec<UnitSeries>>;

/// Where unit responses are kept between runs: entries of bytes by key. A store that
/// loses or damages an entry costs only the run again.
pub trait UnitStore: Sync {
    /// The entry stored under `key` (64 hexadecimal digits), if any.
    fn load(&self, key: &str) -> Option<Vec<u8>>;
    /// Keeps `bytes` under `key`; a failure only costs the next run the transport run.
    fn save(&self, key: &str, bytes: &[u8]);
    /// Called once after a build that saved entries (to bound the store's size).
    fn saved(&self) {}
}

/// What a cache lookup did, for the commands to report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CacheUse {
    /// Runs read from the cache.
    pub hits: usize,
    /// Runs made (and written to the cache when there is one).
    pub runs: usize,
    /// Entries found unreadable and made again.
    pub rejected: usize,
}

const MAGIC: &[u8; 8] = b"TPUNIT01";

fn hex(key: &[u8; 32]) -> String {
    key.iter().map(|b| format!("{b:02x}")).collect()
}

/// The entry for `key` in `store`, if one is there and whole; `Err` when one is there
/// but cannot be read as an entry of this shape.
fn read(store: &dyn UnitStore, key: &[u8; 32], n_pollutants: usize, n_places: usize) -> Result<Option<RunSeries>, ()> {
    match store.load(&hex(key)) {
        None => Ok(None),
        Some(bytes) => decode(&bytes, key, n_pollutants, n_places).map(Some).ok_or(()),
    }
}

fn encode(key: &[u8; 32], series: &RunSeries) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(key);
    out.extend_from_slice(&(series.len() as u64).to_le_bytes());
    for by_place in series {
        out.extend_from_slice(&(by_place.len() as u64).to_le_bytes());
        for s in by_place {
            out.extend_from_slice(&(s.first as u64).to_le_bytes());
            out.extend_from_slice(&(s.values.len() as u64).to_le_bytes());
            for v in &s.values {
                out.extend_from_slice(&v.to_bits().to_le_bytes());
            }
        }
    }
    let check = Sha256::digest(&out);
    out.extend_from_slice(&check);
    out
}

fn decode(bytes: &[u8], key: &[u8; 32], n_pollutants: usize, n_places: usize) -> Option<RunSeries> {
    let (body, check) = bytes.split_at_checked(bytes.len().checked_sub(32)?)?;
    if Sha256::digest(body).as_slice() != check {
        return None;
    }
    let mut rest = body.strip_prefix(MAGIC.as_slice())?.strip_prefix(key.as_slice())?;
    let mut word = || -> Option<u64> {
        let (head, tail) = rest.split_at_checked(8)?;
        rest = tail;
        Some(u64::from_le_bytes(head.try_into().ok()?))
    };
    if word()? != n_pollutants as u64 {
        return None;
    }
    let mut series = Vec::with_capacity(n_pollutants);
    for _ in 0..n_pollutants {
        if word()? != n_places as u64 {
            return None;
        }
        let mut by_place = Vec::with_capacity(n_places);
        for _ in 0..n_places {
            let first = usize::try_from(word()?).ok()?;
            let len = usize::try_from(word()?).ok()?;
            // A length beyond what is left is a damaged entry, not an allocation to try.
            if len > body.len() / 8 {
                return None;
            }
            let values = (0..len)
                .map(|_| word().map(f64::from_bits))
                .collect::<Option<Vec<f64>>>()?;
            by_place.push(UnitSeries::from_parts(first, values));
        }
        series.push(by_place);
    }
    rest.is_empty().then_some(series)
}

/// Makes the unit runs on `scenario` (its own points are the places kept, in order; its
/// releases, incidents and flow changes are ignored), reading what it can from `store` and
/// saving there what it makes. The runs are spread over the rayon pool and collected in order,
/// so the series do not depend on the number of threads or on the cache.
pub fn run_all(
    scenario: &Scenario,
    runs: &[UnitRun],
    horizon: SimDuration,
    store: Option<&dyn UnitStore>,
) -> Result<(Vec<RunSeries>, CacheUse), String> {
    let mut steady = scenario.clone();
    steady.flow_changes.clear();
    steady.releases.clear();
    steady.incidents.clear();
    let n_places = steady.points.len();
    // Everything a run reads, once: the version and the checked scenario with its places.
    let digest = store.map(|_| {
        let mut hasher = Sha256::new();
        hasher.update(b"tripoint unit responses\n");
        hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
        hasher.update(env!("TRIPOINT_SIM_SOURCE").as_bytes());
        hasher.update(format!("\n{steady:?}\n{}\n", horizon.seconds()).as_bytes());
        hasher
    });
    let outcomes: Vec<Result<(RunSeries, CacheUse), String>> = runs
        .par_iter()
        .map(|run| {
            let key: Option<[u8; 32]> = digest.as_ref().map(|d| {
                let mut hasher = d.clone();
                hasher.update(format!("{run:?}").as_bytes());
                hasher.finalize().into()
            });
            let mut used = CacheUse::default();
            if let (Some(store), Some(key)) = (store, &key) {
                match read(store, key, run.pollutants.len(), n_places) {
                    Ok(Some(series)) => {
                        used.hits = 1;
                        return Ok((series, used));
                    }
                    Ok(None) => {}
                    Err(()) => used.rejected = 1,
                }
            }
            let series = transport(&steady, run, horizon)?;
            used.runs = 1;
            if let (Some(store), Some(key)) = (store, &key) {
                store.save(&hex(key), &encode(key, &series));
            }
            Ok((series, used))
        })
        .collect();
    if let Some(store) = store.filter(|_| outcomes.iter().any(|o| o.as_ref().is_ok_and(|(_, u)| u.runs > 0))) {
        store.saved();
    }
    let mut total = CacheUse::default();
    let mut all = Vec::with_capacity(runs.len());
    for outcome in outcomes {
        let (series, used) = outcome?;
        total.hits += used.hits;
        total.runs += used.runs;
        total.rejected += used.rejected;
        all.push(series);
    }
    Ok((all, total))
}

fn transport(steady: &Scenario, run: &UnitRun, horizon: SimDuration) -> Result<RunSeries, String> {
    let request = ForecastRequest {
        releases: run
            .pollutants
            .iter()
            .map(|&pollutant| Release {
                pollutant,
                mass_kg: 1.0,
                location: run.location,
                start: SimTime::ZERO,
                duration: run.duration,
                note: "unit response".into(),
            })
            .collect(),
        regime: run.regime,
        horizon,
        seed: 0,
        journal: false,
        until_passed: None,
    };
    let forecast = forecast::run(steady, &request).map_err(|e| {
        format!(
            "unit response at {} (regime {}): {e}",
            steady.location_label(run.location),
            steady.regimes[run.regime].id
        )
    })?;
    Ok(run
        .pollutants
        .iter()
        .map(|&p| forecast.series.iter().map(|s| UnitSeries::of(&s.conc[p])).collect())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> RunSeries {
        vec![
            vec![
                UnitSeries::of(&[0.0, 0.0, 1.5, 2.25, 0.1, 0.0, 0.0]),
                UnitSeries::of(&[0.0; 4]),
            ],
            vec![
                UnitSeries::of(&[3.0, 1e-300, 0.0]),
                UnitSeries::of(&[0.0, f64::MIN_POSITIVE]),
            ],
        ]
    }

    #[test]
    fn an_entry_reads_back_bit_for_bit() {
        let key = [7u8; 32];
        let series = sample();
        assert_eq!(decode(&encode(&key, &series), &key, 2, 2), Some(series));
    }

    #[test]
    fn a_damaged_or_foreign_entry_is_refused() {
        let key = [7u8; 32];
        let bytes = encode(&key, &sample());
        for cut in [0, 1, 8, 40, bytes.len() / 2, bytes.len() - 1] {
            assert_eq!(decode(&bytes[..cut], &key, 2, 2), None, "cut at {cut}");
        }
        let mut flipped = bytes.clone();
        flipped[50] ^= 1;
        assert_eq!(decode(&flipped, &key, 2, 2), None, "one bit flipped");
        assert_eq!(decode(&bytes, &[8u8; 32], 2, 2), None, "another key");
        assert_eq!(decode(&bytes, &key, 2, 3), None, "another number of places");
        assert_eq!(decode(&bytes, &key, 1, 2), None, "another number of pollutants");
    }

    #[test]
    fn the_interpolant_ramps_from_and_to_zero_and_integrates_to_the_trapezoids() {
        let s = UnitSeries::of(&[0.0, 0.0, 2.0, 4.0, 0.0, 0.0]);
        assert_eq!(s.first, 1);
        assert_eq!(s.at(1.5), 1.0);
        assert_eq!(s.at(2.5), 3.0);
        assert_eq!(s.at(3.75), 1.0);
        assert_eq!(s.at(0.5), 0.0);
        assert_eq!(s.at(9.0), 0.0);
        // Trapezoids: 1 (step 1→2) + 3 (2→3) + 2 (3→4).
        assert_eq!(s.integral(10.0), 6.0);
        assert_eq!(s.integral(2.0), 1.0);
        assert_eq!(s.integral(1.5), 0.25);
    }
}
