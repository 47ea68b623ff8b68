//! CycloneDX 1.6 JSON: writer and reader for the model.
//!
//! Every model field goes to its native CycloneDX place when there is one and the native form
//! reads back to exactly the same value. Otherwise, and for fields CycloneDX has no place for,
//! the SPDX value is carried verbatim in a `bomsmith:spdx:<field>` property, which the reader
//! prefers to the native form. So model → CycloneDX → model is the identity, and consumers that
//! do not know the properties still see every value CycloneDX can express natively.
//! `docs/conversion.md` tables the mapping.
//!
//! Containment is nesting: an element contained by exactly one other element is written inside
//! it (`components` of the container; the described root is `metadata.component`).
//! `DEPENDS_ON` is the `dependencies` graph. Other relationships are metadata properties.
//!
//! The writer is in `write.rs`, the reader in `read.rs`. What both directions must agree on
//! (parties, hash algorithm names, component types, the derived document name) is in
//! `props.rs`, once, so that a change to one direction cannot silently miss the other.

mod props;
mod read;
mod write;

pub use read::{read, read_value};
pub use write::{to_value, write};

/// The `specVersion` this module writes.
pub const SPEC_VERSION: &str = "1.6";
/// Prefix of the properties that carry SPDX values with no native CycloneDX place.
pub const PROPERTY_PREFIX: &str = "bomsmith:spdx:";
/// The BSI TR-03183-2 property for the file name of a component's deployable form.
pub const FILENAME_PROPERTY: &str = "bsi:component:filename";
