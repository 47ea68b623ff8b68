//! SPDX 3.0.1 JSON-LD (Core, Software and SimpleLicensing profiles): writer and reader for the
//! model.
//!
//! SPDX 3 is a graph of elements named by IRIs. bomsmith derives every IRI from the document
//! namespace and the model's SPDX 2 style ID (`<namespace>#SPDXRef-PACKAGE-x`), so the same
//! document always gets the same IRIs, and a trip SPDX 2.3 → 3.0.1 → 2.3 gives back the IDs it
//! started with. The writer is in `write.rs`, the reader in `read.rs`; the tables both share
//! (hash algorithms, purposes, relationship types) are here.

mod read;
mod write;

pub use read::{read, read_value};
pub use write::{to_value, write};

use crate::model::{Algorithm, Purpose};

/// The JSON-LD context every SPDX 3.0.1 document names.
pub const CONTEXT: &str = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld";
/// The `specVersion` of the documents this module reads and writes.
pub const SPEC_VERSION: &str = "3.0.1";
/// The blank node of the one creation info the writer emits.
pub const CREATION_INFO_ID: &str = "_:creationinfo";
/// The well-known individual for "no assertion" as a relationship end.
pub const NO_ASSERTION_ELEMENT: &str = "NoAssertionElement";
/// The well-known individual for "none" as a relationship end.
pub const NONE_ELEMENT: &str = "NoneElement";

/// Well-known individuals of SPDX 3.0.1 that may stand where an element's IRI does, in their
/// compact (context) form and full IRI form.
pub const INDIVIDUALS: &[&str] = &[
    "NoAssertionElement",
    "NoneElement",
    "SpdxOrganization",
    "expandedlicensing_NoAssertionLicense",
    "expandedlicensing_NoneLicense",
    "https://spdx.org/rdf/3.0.1/terms/Core/NoAssertionElement",
    "https://spdx.org/rdf/3.0.1/terms/Core/NoneElement",
    "https://spdx.org/rdf/3.0.1/terms/Core/SpdxOrganization",
    "https://spdx.org/rdf/3.0.1/terms/ExpandedLicensing/NoAssertionLicense",
    "https://spdx.org/rdf/3.0.1/terms/ExpandedLicensing/NoneLicense",
];

/// True when `doc` is an SPDX 3 JSON-LD document: its `@context` names `spdx.org/rdf/3`.
pub fn is_spdx3(doc: &serde_json::Value) -> bool {
    match doc.get("@context") {
        Some(serde_json::Value::String(s)) => s.contains("spdx.org/rdf/3"),
        Some(other) => other.to_string().contains("spdx.org/rdf/3"),
        None => false,
    }
}

/// SPDX 3 name of a hash algorithm (`sha256`, `blake2b256`, `sha3_256`).
pub fn algorithm_name(a: Algorithm) -> &'static str {
    match a {
        Algorithm::Sha1 => "sha1",
        Algorithm::Sha224 => "sha224",
        Algorithm::Sha256 => "sha256",
        Algorithm::Sha384 => "sha384",
        Algorithm::Sha512 => "sha512",
        Algorithm::Sha3_256 => "sha3_256",
        Algorithm::Sha3_384 => "sha3_384",
        Algorithm::Sha3_512 => "sha3_512",
        Algorithm::Blake2b256 => "blake2b256",
        Algorithm::Blake2b384 => "blake2b384",
        Algorithm::Blake2b512 => "blake2b512",
        Algorithm::Blake3 => "blake3",
        Algorithm::Md2 => "md2",
        Algorithm::Md4 => "md4",
        Algorithm::Md5 => "md5",
        Algorithm::Md6 => "md6",
        Algorithm::Adler32 => "adler32",
    }
}

/// The model's algorithm for an SPDX 3 name; `None` for those it has no place for
/// (`sha3_224`, the post-quantum signature algorithms, `other`).
pub fn algorithm_from_name(name: &str) -> Option<Algorithm> {
    Algorithm::ALL
        .into_iter()
        .find(|a| algorithm_name(*a) == name)
}

/// Length of an SPDX 3 hash algorithm's hex value, where the algorithm fixes it.
pub fn hash_hex_len(name: &str) -> Option<usize> {
    match name {
        "sha3_224" => Some(56),
        other => algorithm_from_name(other).and_then(Algorithm::hex_len),
    }
}

/// SPDX 3 `software_primaryPurpose` of a model purpose.
pub fn purpose_name(p: Purpose) -> &'static str {
    match p {
        Purpose::Application => "application",
        Purpose::Framework => "framework",
        Purpose::Library => "library",
        Purpose::Container => "container",
        Purpose::OperatingSystem => "operatingSystem",
        Purpose::Device => "device",
        Purpose::Firmware => "firmware",
        Purpose::Source => "source",
        Purpose::Archive => "archive",
        Purpose::File => "file",
        Purpose::Install => "install",
        Purpose::Other => "other",
    }
}

/// The model's purpose for an SPDX 3 name, if it has one.
pub fn purpose_from_name(name: &str) -> Option<Purpose> {
    Purpose::ALL.into_iter().find(|p| purpose_name(*p) == name)
}

/// How an SPDX 2.3 relationship type (the model's vocabulary) is said in SPDX 3.0.1: the
/// type, whether `from` and `to` swap (SPDX 3 dropped the inverse types), and the lifecycle
/// scope (a `LifecycleScopedRelationship`) where the SPDX 2 type names one.
#[derive(Debug)]
pub struct RelationshipMapping {
    /// SPDX 2.3 type, as the model holds it.
    pub spdx2: &'static str,
    /// SPDX 3 `relationshipType`.
    pub spdx3: &'static str,
    /// True when SPDX 3 says it the other way round.
    pub reversed: bool,
    /// The lifecycle scope, if any.
    pub scope: Option<&'static str>,
}

const fn m(
    spdx2: &'static str,
    spdx3: &'static str,
    reversed: bool,
    scope: Option<&'static str>,
) -> RelationshipMapping {
    RelationshipMapping {
        spdx2,
        spdx3,
        reversed,
        scope,
    }
}

/// Every SPDX 2.3 relationship type and its SPDX 3.0.1 form (after the SPDX 3.0 migration
/// guide's table). Reading goes through the same table backwards; where two SPDX 2 types
/// share an SPDX 3 form, the first listed is the one read back.
pub const RELATIONSHIPS: &[RelationshipMapping] = &[
    m("DESCRIBES", "describes", false, None),
    m("DESCRIBED_BY", "describes", true, None),
    m("CONTAINS", "contains", false, None),
    m("CONTAINED_BY", "contains", true, None),
    m("DEPENDS_ON", "dependsOn", false, None),
    m("DEPENDENCY_OF", "dependsOn", true, None),
    m("BUILD_DEPENDENCY_OF", "dependsOn", true, Some("build")),
    m("DEV_DEPENDENCY_OF", "dependsOn", true, Some("development")),
    m("RUNTIME_DEPENDENCY_OF", "dependsOn", true, Some("runtime")),
    m("TEST_DEPENDENCY_OF", "dependsOn", true, Some("test")),
    m(
        "OPTIONAL_DEPENDENCY_OF",
        "hasOptionalDependency",
        true,
        None,
    ),
    m(
        "PROVIDED_DEPENDENCY_OF",
        "hasProvidedDependency",
        true,
        None,
    ),
    m(
        "DEPENDENCY_MANIFEST_OF",
        "hasDependencyManifest",
        true,
        None,
    ),
    m("BUILD_TOOL_OF", "usesTool", true, Some("build")),
    m("DEV_TOOL_OF", "usesTool", true, Some("development")),
    m("TEST_TOOL_OF", "usesTool", true, Some("test")),
    m("AMENDS", "amendedBy", true, None),
    m("ANCESTOR_OF", "ancestorOf", false, None),
    m("DESCENDANT_OF", "descendantOf", false, None),
    m("COPY_OF", "copiedTo", true, None),
    m("DATA_FILE_OF", "hasDataFile", true, None),
    m(
        "DISTRIBUTION_ARTIFACT",
        "hasDistributionArtifact",
        false,
        None,
    ),
    m("DOCUMENTATION_OF", "hasDocumentation", true, None),
    m("DYNAMIC_LINK", "hasDynamicLink", false, None),
    m("STATIC_LINK", "hasStaticLink", false, None),
    m("EXAMPLE_OF", "hasExample", true, None),
    m("EXPANDED_FROM_ARCHIVE", "expandsTo", true, None),
    m("FILE_ADDED", "hasAddedFile", true, None),
    m("FILE_DELETED", "hasDeletedFile", true, None),
    m("FILE_MODIFIED", "modifiedBy", true, None),
    m("GENERATES", "generates", false, None),
    m("GENERATED_FROM", "generates", true, None),
    m("HAS_PREREQUISITE", "hasPrerequisite", false, None),
    m("PREREQUISITE_FOR", "hasPrerequisite", true, None),
    m("METAFILE_OF", "hasMetadata", true, None),
    m("OPTIONAL_COMPONENT_OF", "hasOptionalComponent", true, None),
    m("PACKAGE_OF", "packagedBy", false, None),
    m("PATCH_FOR", "patchedBy", true, None),
    m("PATCH_APPLIED", "patchedBy", true, None),
    m("REQUIREMENT_DESCRIPTION_FOR", "hasRequirement", true, None),
    m("SPECIFICATION_FOR", "hasSpecification", true, None),
    m("TEST_CASE_OF", "hasTestCase", true, None),
    m("TEST_OF", "hasTest", true, None),
    m("VARIANT_OF", "hasVariant", true, None),
    m("OTHER", "other", false, None),
];

/// The SPDX 3 form of an SPDX 2.3 relationship type.
pub fn relationship_to_spdx3(spdx2: &str) -> Option<&'static RelationshipMapping> {
    RELATIONSHIPS.iter().find(|r| r.spdx2 == spdx2)
}

/// The SPDX 2.3 form of an SPDX 3 relationship type with a scope (`None` for a plain
/// `Relationship`). A scoped type without its own SPDX 2 form reads as the unscoped one.
pub fn relationship_from_spdx3(
    spdx3: &str,
    scope: Option<&str>,
) -> Option<&'static RelationshipMapping> {
    RELATIONSHIPS
        .iter()
        .find(|r| r.spdx3 == spdx3 && r.scope == scope)
        .or_else(|| {
            RELATIONSHIPS
                .iter()
                .find(|r| r.spdx3 == spdx3 && r.scope.is_none())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spdx3_tables_cover_the_model() {
        for a in Algorithm::ALL {
            assert_eq!(algorithm_from_name(algorithm_name(a)), Some(a));
            assert_eq!(hash_hex_len(algorithm_name(a)), a.hex_len());
        }
        for p in Purpose::ALL {
            assert_eq!(purpose_from_name(purpose_name(p)), Some(p));
        }
        for t in crate::model::RELATIONSHIP_TYPES {
            assert!(relationship_to_spdx3(t).is_some(), "{t} has no SPDX 3 form");
        }
        let schema: serde_json::Value =
            serde_json::from_str(crate::spec::SPDX_301_SCHEMA).expect("schema");
        let types = schema["$defs"]["prop_Relationship_relationshipType"]["enum"]
            .as_array()
            .expect("enum");
        for r in RELATIONSHIPS {
            assert!(types.contains(&serde_json::json!(r.spdx3)), "{}", r.spdx3);
        }
        let dep = relationship_from_spdx3("dependsOn", Some("build")).expect("mapped");
        assert_eq!(dep.spdx2, "BUILD_DEPENDENCY_OF");
        let dep = relationship_from_spdx3("dependsOn", Some("design")).expect("mapped");
        assert_eq!(dep.spdx2, "DEPENDS_ON");
    }
}
