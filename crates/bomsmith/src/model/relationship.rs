//! Relationships between elements.

/// A directed relationship `from kind to`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Relationship {
    /// Source element identifier.
    pub from: String,
    /// Relationship type, upper case with `_` (`CONTAINS`, `DEPENDS_ON`, `DESCRIBES`, ...).
    pub kind: String,
    /// Target element identifier (or `NOASSERTION` / `NONE`).
    pub to: String,
}

impl Relationship {
    /// A relationship of type `kind`.
    pub fn new(from: impl Into<String>, kind: &str, to: impl Into<String>) -> Self {
        Relationship {
            from: from.into(),
            kind: kind.to_owned(),
            to: to.into(),
        }
    }
}

/// Relationship types of SPDX 2.3, the model's vocabulary.
pub const RELATIONSHIP_TYPES: &[&str] = &[
    "AMENDS",
    "ANCESTOR_OF",
    "BUILD_DEPENDENCY_OF",
    "BUILD_TOOL_OF",
    "CONTAINED_BY",
    "CONTAINS",
    "COPY_OF",
    "DATA_FILE_OF",
    "DEPENDENCY_MANIFEST_OF",
    "DEPENDENCY_OF",
    "DEPENDS_ON",
    "DESCENDANT_OF",
    "DESCRIBED_BY",
    "DESCRIBES",
    "DEV_DEPENDENCY_OF",
    "DEV_TOOL_OF",
    "DISTRIBUTION_ARTIFACT",
    "DOCUMENTATION_OF",
    "DYNAMIC_LINK",
    "EXAMPLE_OF",
    "EXPANDED_FROM_ARCHIVE",
    "FILE_ADDED",
    "FILE_DELETED",
    "FILE_MODIFIED",
    "GENERATED_FROM",
    "GENERATES",
    "HAS_PREREQUISITE",
    "METAFILE_OF",
    "OPTIONAL_COMPONENT_OF",
    "OPTIONAL_DEPENDENCY_OF",
    "OTHER",
    "PACKAGE_OF",
    "PATCH_APPLIED",
    "PATCH_FOR",
    "PREREQUISITE_FOR",
    "PROVIDED_DEPENDENCY_OF",
    "REQUIREMENT_DESCRIPTION_FOR",
    "RUNTIME_DEPENDENCY_OF",
    "SPECIFICATION_FOR",
    "STATIC_LINK",
    "TEST_CASE_OF",
    "TEST_DEPENDENCY_OF",
    "TEST_OF",
    "TEST_TOOL_OF",
    "VARIANT_OF",
];
