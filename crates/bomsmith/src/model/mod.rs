//! The format-neutral SBOM model. Every reader produces it, every writer consumes it.
//!
//! Nothing here knows a JSON field name. Absent optional values mean "no assertion". The model
//! is a leaf: it imports nothing else of bomsmith.

mod checksum;
mod document;
mod file;
mod license;
mod package;
mod relationship;
pub mod vex;
pub mod vuln;

pub use checksum::{Algorithm, Checksum, find_checksum};
pub use document::{DOCUMENT_ID, Document, ExternalDocument};
pub use file::File;
pub use license::ExtractedLicense;
pub use package::{Evidence, ExternalRef, Occurrence, Package, Purpose, RefKind};
pub use relationship::{RELATIONSHIP_TYPES, Relationship};
