//! CycloneDX JSON: writer (1.6, the default, or 1.7) and reader (1.2 to 1.7) for the model.
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
pub mod vex;
mod write;

pub use read::{read, read_value};
pub use write::{to_value, to_value_with, write, write_with};

/// The `specVersion` this module writes by default.
pub const SPEC_VERSION: &str = "1.6";

/// A CycloneDX version the writer can produce.
///
/// 1.6 and 1.7 only: bomsmith's mapping relies on what 1.6 introduced (licence
/// `acknowledgement` for declared versus concluded, `metadata.manufacturer`, component
/// `authors` and `manufacturer`, `omniborId`), so 1.5 or 1.4 output would lose values or need a
/// second mapping.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum SpecVersion {
    /// CycloneDX 1.6 (the default).
    #[default]
    V1_6,
    /// CycloneDX 1.7.
    V1_7,
}

impl SpecVersion {
    /// Every version the writer produces, oldest first.
    pub const ALL: [SpecVersion; 2] = [SpecVersion::V1_6, SpecVersion::V1_7];

    /// The `specVersion` string (`1.7`).
    pub fn name(self) -> &'static str {
        match self {
            SpecVersion::V1_6 => "1.6",
            SpecVersion::V1_7 => "1.7",
        }
    }

    /// The version called `name` (`1.6`, `1.7`).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.name() == name)
    }

    /// The `$schema` the written BOM names.
    pub fn schema_url(self) -> &'static str {
        match self {
            SpecVersion::V1_6 => "http://cyclonedx.org/schema/bom-1.6.schema.json",
            SpecVersion::V1_7 => "http://cyclonedx.org/schema/bom-1.7.schema.json",
        }
    }

    /// True when a `licenses` array may hold licences and expressions together (1.7: each
    /// entry is a licence or an expression; 1.6 wants licences only or one expression).
    pub fn mixes_licence_entries(self) -> bool {
        self == SpecVersion::V1_7
    }
}
/// Prefix of the properties that carry SPDX values with no native CycloneDX place.
pub const PROPERTY_PREFIX: &str = "bomsmith:spdx:";
/// The namespace of BSI TR-03183-2's CycloneDX component properties.
pub const BSI_PROPERTY_PREFIX: &str = "bsi:component:";
/// The BSI TR-03183-2 property for the file name of a component's deployable form.
pub const FILENAME_PROPERTY: &str = "bsi:component:filename";

/// How the writer writes: the version, and statements a configuration makes that only
/// CycloneDX has a place for (they are not in the model, so a conversion does not carry them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// The CycloneDX version.
    pub version: SpecVersion,
    /// Properties given to every component that is not a file (BSI TR-03183-2's
    /// `bsi:component:executable`, `…:archive`, `…:structured`), by name.
    pub component_properties: std::collections::BTreeMap<String, String>,
    /// The `compositions` aggregate stated for the dependencies of every component
    /// (`complete`, `unknown`, ...), if any.
    pub dependencies_aggregate: Option<String>,
}
