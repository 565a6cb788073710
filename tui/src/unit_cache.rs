//! The commands' unit-response store: a folder on disk (`--cache DIR`), for the
//! simulation's `UnitStore` (`tripoint_sim::transport::unit`). Entries are written to a
//! temporary file and renamed into place, so shards writing at once cannot mix; the folder
//! is kept under [`CACHE_BYTES_MAX`] by removing the oldest entries after a write.

use std::path::{Path, PathBuf};
use tripoint_sim::transport::unit::UnitStore;

/// Most bytes the cache keeps; beyond it the oldest entries are removed after a write.
pub const CACHE_BYTES_MAX: u64 = 2 << 30;

/// Where unit responses are kept between commands.
#[derive(Clone, Debug)]
pub struct UnitCache {
    dir: PathBuf,
}

impl UnitCache {
    /// A cache in `dir`, created on first write.
    pub fn at(dir: impl Into<PathBuf>) -> UnitCache {
        UnitCache { dir: dir.into() }
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
    /// at most `bytes_max`; also removes temporary files a killed writer left.
    pub fn prune(&self, bytes_max: u64) {
        let Ok(listing) = std::fs::read_dir(self.dir.join("units")) else {
            return;
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
        entries.sort();
        for (_, path, len) in entries {
            if total <= bytes_max {
                break;
            }
            if std::fs::remove_file(&path).is_ok() {
                total -= len;
            }
        }
    }
}

impl UnitStore for UnitCache {
    fn load(&self, key: &str) -> Option<Vec<u8>> {
        std::fs::read(self.path(key)).ok()
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
        cache.prune(200);
        let kept: Vec<bool> = (0..4u8).map(|k| cache.path(&key(k)).exists()).collect();
        assert_eq!(kept, [false, false, true, true]);
        assert_eq!(cache.load(&key(3)), Some(vec![3; 100]));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
