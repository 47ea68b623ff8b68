//! Documents: the whole SBOM, and references to other documents.

use super::{Checksum, ExtractedLicense, File, Package, Relationship};

/// A whole SBOM: metadata, packages, files and the relationships between them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    /// Human-readable name of the document.
    pub name: String,
    /// Unique URI of this document (SPDX namespace; CycloneDX serial number source).
    pub namespace: String,
    /// Creation time, `YYYY-MM-DDThh:mm:ssZ`.
    pub created: String,
    /// Who and what made it: `Tool: x`, `Person: y`, `Organization: z`.
    pub creators: Vec<String>,
    /// Version of the SPDX license list the license expressions refer to (`M.N`).
    pub license_list_version: Option<String>,
    /// License of the document itself (SPDX requires `CC0-1.0`).
    pub data_license: String,
    /// Free-text comment on the document.
    pub comment: Option<String>,
    /// Packages (components).
    pub packages: Vec<Package>,
    /// Files.
    pub files: Vec<File>,
    /// Relationships between the document, packages and files.
    pub relationships: Vec<Relationship>,
    /// Licenses outside the SPDX list that license expressions name as `LicenseRef-...`.
    pub extracted_licenses: Vec<ExtractedLicense>,
    /// Other SPDX documents that relationships name as `DocumentRef-...:SPDXRef-...`.
    pub external_documents: Vec<ExternalDocument>,
}

/// Another SPDX document this one refers to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ExternalDocument {
    /// `DocumentRef-...` identifier used in this document.
    pub id: String,
    /// The other document's namespace URI.
    pub namespace: String,
    /// Checksum of the other document.
    pub checksum: Checksum,
}

impl Document {
    /// Puts every collection whose order carries no meaning into one fixed order, so that two
    /// documents saying the same thing compare equal whatever order their source listed it in.
    pub fn canonicalize(&mut self) {
        self.creators.sort();
        self.creators.dedup();
        for p in &mut self.packages {
            p.checksums.sort();
            p.checksums.dedup();
            p.external_refs.sort();
            p.external_refs.dedup();
        }
        // By ID first (the first field), then by everything else.
        self.packages.sort();
        for f in &mut self.files {
            f.checksums.sort();
            f.checksums.dedup();
        }
        self.files.sort();
        self.relationships.sort();
        self.relationships.dedup();
        for l in &mut self.extracted_licenses {
            l.see_also.sort();
            l.see_also.dedup();
        }
        self.extracted_licenses.sort();
        self.external_documents.sort();
    }

    /// The root packages: those the document describes, in document order.
    pub fn described(&self) -> impl Iterator<Item = &str> {
        self.relationships
            .iter()
            .filter(|r| r.from == DOCUMENT_ID && r.kind == "DESCRIBES")
            .map(|r| r.to.as_str())
    }
}

/// Identifier of the document itself, as a relationship endpoint.
pub const DOCUMENT_ID: &str = "SPDXRef-DOCUMENT";
