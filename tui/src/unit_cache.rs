//! The commands' unit-response store: a folder on disk (`--cache DIR`), for the
//! simulation's `UnitStore` (`tripoint_sim::transport::unit`). Entries are written to a
//! temporary file and renamed into place, so shards writing at once cannot mix; the folder
//! is kept under [`CACHE_BYTES_MAX`] by removing the oldest entries after a write.
//!
//! Entries this process read or wrote are never removed by its own pruning: on a network
//! large enough that one run's unit responses pass the bound (about 17 times the built-in
//! zone), removing the oldest would remove the run's own first entries, and the next run
//! would miss them. Such a run keeps all of its entries, removes every older one, and says
//! so ([`UnitCache::over_bound`], shown by the commands' cache line).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tripoint_sim::transport::unit::UnitStore;

/// Most bytes the cache keeps; beyond it the oldest entries are removed after a write.
pub const CACHE_BYTES_MAX: u64 = 2 << 30;

/// Where unit responses are kept between commands.
#[derive(Clone, Debug)]
pub struct UnitCache {
    dir: PathBuf,
    /// What this process did with the cache (shared by clones: the shards' threads).
    books: Arc<Mutex<Books>>,
}

/// The entries this process read or wrote, and what the last pruning left.
#[derive(Debug, Default)]
struct Books {
    own: BTreeSet<String>,
    /// Bytes of this process's own entries when the last pruning found them alone above
    /// the bound.
    over_bound: Option<u64>,
}

/// What a pruning did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pruned {
    pub removed: usize,
    /// Bytes of the entries this process read or wrote, which pruning keeps.
    pub own_bytes: u64,
    /// Bytes the cache holds after pruning.
    pub total_bytes: u64,
}

impl UnitCache {
    /// A cache in `dir`, created on first write.
    pub fn at(dir: impl Into<PathBuf>) -> UnitCache {
        UnitCache {
            dir: dir.into(),
            books: Arc::default(),
        }
    }

    /// The bytes of this process's own entries if, at the last pruning, they alone held
    /// more than the bound (they were kept, every other entry removed).
    pub fn over_bound(&self) -> Option<u64> {
        self.books().over_bound
    }

    fn books(&self) -> std::sync::MutexGuard<'_, Books> {
        // The books are only sets and numbers: a panic elsewhere leaves them usable.
        self.books.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn own(&self, key: &str) {
        self.books().own.insert(key.to_string());
    }

    /// The folder the commands use unless told otherwise: `$TRIPOINT_CACHE`, else
    /// `$XDG_CACHE_HOME/tripoint`, else `$HOME/.cache/tripoint`; none without a home.
    pub fn default_dir() -> Option<PathBuf> {
        let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
        var("TRIPOINT_CACHE")
            .or_else(|| var("XDG_CACHE_HOME").map(|d| d.join("tripoint")))
            .or_else(|| var("HOME").map(|d| d.join(".cache").join("tripoint")))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join("units").join(format!("{key}.bin"))
    }

    /// Removes the oldest entries (by modification time, then name) until the cache holds
    /// at most `bytes_max`, never one this process read or wrote; also removes temporary
    /// files a killed writer left.
    pub fn prune(&self, bytes_max: u64) -> Pruned {
        let Ok(listing) = std::fs::read_dir(self.dir.join("units")) else {
            return Pruned::default();
        };
        let own = self.books().own.clone();
        let is_own = |path: &Path| {
            path.file_stem()
                .and_then(|s| s.to_str())
                .is_some_and(|k| own.contains(k))
        };
        let mut entries = Vec::new();
        for entry in listing.flatten() {
            let Ok(meta) = entry.metadata() else { continue };
            let path = entry.path();
            let stale_temporary = path.extension().is_some_and(|e| e == "tmp")
                && meta
                    .modified()
                    .ok()
                    .and_then(|m| m.elapsed().ok())
                    .is_some_and(|age| age.as_secs() > 3600);
            if stale_temporary {
                let _ = std::fs::remove_file(&path);
            } else if path.extension().is_some_and(|e| e == "bin") {
                entries.push((meta.modified().ok(), path, meta.len()));
            }
        }
        let mut total: u64 = entries.iter().map(|e| e.2).sum();
        let own_bytes: u64 = entries.iter().filter(|e| is_own(&e.1)).map(|e| e.2).sum();
        entries.sort();
        let mut removed = 0;
        for (_, path, len) in entries {
            if total <= bytes_max {
                break;
            }
            if !is_own(&path) && std::fs::remove_file(&path).is_ok() {
                total -= len;
                removed += 1;
            }
        }
        self.books().over_bound = (own_bytes > bytes_max).then_some(own_bytes);
        Pruned {
            removed,
            own_bytes,
            total_bytes: total,
        }
    }
}

impl UnitStore for UnitCache {
    fn load(&self, key: &str) -> Option<Vec<u8>> {
        let bytes = std::fs::read(self.path(key)).ok()?;
        self.own(key);
        Some(bytes)
    }

    fn save(&self, key: &str, bytes: &[u8]) {
        let path = self.path(key);
        let Some(folder) = path.parent() else { return };
        if std::fs::create_dir_all(folder).is_err() {
            return;
        }
        let temporary = folder.join(format!(".{key}.{}.tmp", std::process::id()));
        if std::fs::write(&temporary, bytes).is_err() || std::fs::rename(&temporary, &path).is_err() {
            let _ = std::fs::remove_file(&temporary);
        } else {
            self.own(key);
        }
    }

    fn saved(&self) {
        self.prune(CACHE_BYTES_MAX);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pruning_removes_the_oldest_entries_first() {
        let dir = std::env::temp_dir().join(format!("tripoint-unit-prune-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let cache = UnitCache::at(&dir);
        let key = |k: u8| format!("{k:064x}");
        for k in 0..4u8 {
            cache.save(&key(k), &[k; 100]);
            // Modification times a clear second apart on every file system.
            let file = std::fs::File::options().write(true).open(cache.path(&key(k))).unwrap();
            let when = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000 + u64::from(k));
            file.set_modified(when).unwrap();
        }
        // Another process's cache over the same folder: none of the entries is its own.
        let other = UnitCache::at(&dir);
        let pruned = other.prune(200);
        let kept: Vec<bool> = (0..4u8).map(|k| cache.path(&key(k)).exists()).collect();
        assert_eq!(kept, [false, false, true, true]);
        assert_eq!((pruned.removed, pruned.own_bytes, pruned.total_bytes), (2, 0, 200));
        assert_eq!(other.over_bound(), None);
        assert_eq!(cache.load(&key(3)), Some(vec![3; 100]));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A run whose own entries pass the bound keeps them all (the oldest of them
    /// included), removes every older entry, and says it is over the bound.
    #[test]
    fn a_run_never_removes_its_own_entries() {
        let dir = std::env::temp_dir().join(format!("tripoint-unit-own-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let key = |k: u8| format!("{k:064x}");
        let stamp = |cache: &UnitCache, k: u8| {
            let file = std::fs::File::options().write(true).open(cache.path(&key(k))).unwrap();
            let when = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000 + u64::from(k));
            file.set_modified(when).unwrap();
        };
        // An earlier run left entries 0 and 1.
        let earlier = UnitCache::at(&dir);
        for k in 0..2u8 {
            earlier.save(&key(k), &[k; 100]);
            stamp(&earlier, k);
        }
        // This run reads entry 1 and writes 2, 3 and 4: 400 bytes of its own.
        let run = UnitCache::at(&dir);
        assert!(run.load(&key(1)).is_some());
        for k in 2..5u8 {
            run.save(&key(k), &[k; 100]);
            stamp(&run, k);
        }
        let pruned = run.prune(250);
        let kept: Vec<bool> = (0..5u8).map(|k| run.path(&key(k)).exists()).collect();
        assert_eq!(kept, [false, true, true, true, true]);
        assert_eq!((pruned.removed, pruned.own_bytes, pruned.total_bytes), (1, 400, 400));
        assert_eq!(run.over_bound(), Some(400));
        // Under a bound that holds them, the run is not over it.
        assert_eq!(run.prune(1000).removed, 0);
        assert_eq!(run.over_bound(), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
