//! `scan`: from an input to a document, along the pipeline: the inventory (input and digests),
//! the detectors the configuration calls for, and assembly.

use crate::assemble::{self, Detectors};
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::digest::DigestSet;
use crate::error::Result;
use crate::glob::Excludes;
use crate::input::ReadOptions;
use crate::inventory::{self, Summary};
use crate::model::Document;
use std::path::Path;

/// Everything a scan needs besides the input path.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// Project configuration or preset.
    pub config: Config,
    /// How to read the input (bounds; for a directory, whether through git).
    pub read: ReadOptions,
    /// Paths to leave out, besides the configuration's `[scan] exclude`.
    pub excludes: Vec<String>,
    /// Digests beyond SHA-1 and SHA-256.
    pub digests: DigestSet,
    /// Creation time (`YYYY-MM-DDThh:mm:ssZ`).
    pub created: String,
}

/// The result of a scan.
#[derive(Debug, Clone)]
pub struct ScanOutcome {
    /// The assembled document.
    pub document: Document,
    /// What was read.
    pub summary: Summary,
    /// Problems that left the document complete and correct, and contradictions worth a look.
    pub diagnostics: Vec<Diagnostic>,
}

/// Scans the input at `path` and assembles its document.
pub fn scan(path: &Path, options: &ScanOptions) -> Result<ScanOutcome> {
    let config = &options.config;
    let mut patterns = options.excludes.clone();
    patterns.extend(config.scan.exclude.iter().cloned());
    let inventory_options = inventory::Options {
        read: options.read.clone(),
        excludes: Excludes::new(&patterns, "exclude pattern")?,
        digests: options.digests,
        strip_root: config.scan.strip_root_dir,
        hash_only: None,
    };
    let detectors = Detectors::new(config, &options.read.limits)?;
    let (inventory, evidence) = crate::detect::run(path, &inventory_options, &detectors.all())?;
    let assembled = assemble::assemble(config, &inventory, &detectors, evidence, &options.created)?;
    let mut diagnostics = inventory.diagnostics.clone();
    diagnostics.extend(assembled.diagnostics);
    Ok(ScanOutcome {
        document: assembled.document,
        summary: inventory.summary,
        diagnostics,
    })
}
