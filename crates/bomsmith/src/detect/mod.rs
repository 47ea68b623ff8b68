//! Detection: evidence of components in an input ("`Modules/expat/expat.h` says expat 2.7.1",
//! "this wheel's METADATA says pillow 13.0.0, maintained by …", "this package.json says
//! sqlite3 5.1.7").
//!
//! Every detector works the same way. While the input streams, it says which files it needs
//! the bytes of ([`Detector::wants`], asked of every file as it goes by), and the inventory
//! keeps those; once the input is read, it examines the inventory (final names, digests and
//! the bytes it asked for) and reports [`Evidence`], each piece saying what was seen, where and
//! why. Detectors know nothing of configuration: `assemble` builds them from it and decides
//! what the evidence means for the document.

pub mod binary;
pub mod in_tree;
pub mod npm;
pub mod python;
pub mod statement;
pub mod vendored;
pub mod version;

use crate::error::Result;
use crate::inventory::{self, Inventory};
use std::path::Path;

/// Finds evidence of components in an input.
pub trait Detector {
    /// True when the detector needs the bytes of the file that will be named `path` (asked of
    /// every regular file as the input streams).
    fn wants(&self, path: &str) -> bool;

    /// True when [`Detector::wants_content`] may hold for some file (files are sniffed only
    /// then).
    fn looks_at_content(&self) -> bool {
        false
    }

    /// True when the detector wants to look at the whole file whose first bytes are `head`
    /// as it streams (`path` as read, before an archive's root is stripped), keeping what it
    /// finds rather than the bytes (a native binary, recognised by its magic).
    fn wants_content(&self, _path: &str, _head: &[u8]) -> bool {
        false
    }

    /// Looks at a file [`Detector::wants_content`] asked for, as it streams: its bytes, or
    /// `None` when it is larger than the inventory keeps in memory.
    fn look_at(&self, _path: &str, _bytes: Option<&[u8]>) {}

    /// Examines the read input and reports what it found. An error is a contradiction the
    /// input cannot be described with (a kept SBOM whose files do not match, say).
    fn detect(&self, inventory: &Inventory, found: &mut Vec<Evidence>) -> Result<()>;
}

/// One piece of evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Evidence {
    /// An SBOM kept in the input, its declared files checked against the input's.
    Sbom(Box<in_tree::KeptSbom>),
    /// A wheel bundled in the input, with the projects it vendors.
    Wheel(python::BundledWheel),
    /// Python distribution metadata: a project and who supplies it.
    Metadata(python::DistMetadata),
    /// An npm package's manifest.
    Npm(npm::NpmPackage),
    /// What the source states of a component's version.
    Version(version::ComponentVersion),
    /// Code that looks copied from elsewhere.
    Vendored(vendored::Candidate),
    /// A native binary and the libraries found in it.
    Binary(binary::Examined),
}

/// Reads the input at `path` once, keeping what `detectors` want, and runs each of them.
/// Returns the inventory and, for each detector in order, its evidence.
pub fn run(
    path: &Path,
    options: &inventory::Options,
    detectors: &[&dyn Detector],
) -> Result<(Inventory, Vec<Vec<Evidence>>)> {
    let inventory = Inventory::take(path, options, &Wanted(detectors))?;
    let evidence = examine(&inventory, detectors)?;
    Ok((inventory, evidence))
}

/// What the detectors want of the input as it streams.
struct Wanted<'a>(&'a [&'a dyn Detector]);

impl inventory::Keep for Wanted<'_> {
    fn by_name(&self, path: &str) -> bool {
        self.0.iter().any(|d| d.wants(path))
    }

    fn looks_at_content(&self) -> bool {
        self.0.iter().any(|d| d.looks_at_content())
    }

    fn by_content(&self, path: &str, head: &[u8]) -> bool {
        self.0.iter().any(|d| d.wants_content(path, head))
    }

    fn look_at(&self, path: &str, bytes: Option<&[u8]>) {
        for d in self.0 {
            d.look_at(path, bytes);
        }
    }
}

/// Runs `detectors` on an inventory already taken: for each, in order, its evidence.
pub fn examine(inventory: &Inventory, detectors: &[&dyn Detector]) -> Result<Vec<Vec<Evidence>>> {
    detectors
        .iter()
        .map(|d| {
            let mut found = Vec::new();
            d.detect(inventory, &mut found)?;
            Ok(found)
        })
        .collect()
}
