//! Vulnerability matching: advisory sources (OSV records today), the SQLite database they
//! compile into, range evaluation and the matcher that turns an SBOM into findings.

pub mod cpe_match;
pub mod cve5;
pub mod db;
pub mod git;
pub mod index;
pub mod matcher;
pub mod nvd;
pub mod osv;
pub mod range;
pub mod report;
pub mod source;

use crate::error::{Error, Result};
use std::path::Path;

/// Opens what `paths` name: one database built by `db build`, or raw advisory sources
/// (directories, zips, tars, record files), loaded and indexed in memory.
pub fn open(paths: &[&Path]) -> Result<index::Store> {
    let databases = paths.iter().filter(|p| db::is_database(p)).count();
    match (databases, paths.len()) {
        (0, _) => Ok(index::Store::Memory(index::MemoryIndex::new(source::load(
            paths,
        )?))),
        (1, 1) => Ok(index::Store::Database(db::Database::open(paths[0])?)),
        _ => Err(Error::Unsupported {
            path: paths
                .iter()
                .find(|p| db::is_database(p))
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            message: "a vulnerability database is used alone: give one database, or raw sources (build them into one database with `db build`)".into(),
        }),
    }
}

/// `f` applied to every item on every core, results in the items' order. Records are
/// independent, and parsing them is most of the time of loading sources or a database query.
pub(crate) fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len() / 16 + 1);
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().map(f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| match h.join() {
                Ok(v) => v,
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    })
}
