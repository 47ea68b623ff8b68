//! SPDX 2.3 JSON: writer and reader for the model.
//!
//! The writer's output is canonical: keys sorted, every array sorted by the compact JSON form of
//! its elements (as CPython's tooling normalises its SBOMs), Python-compatible formatting.
//!
//! The writer is in `write.rs`, the reader in `read.rs`; SPDX tag-value (read 2.2 and 2.3,
//! write 2.3) in `tv_read.rs` and `tv_write.rs`, through the same JSON shape and model. The
//! single-object helpers ([`external_ref_value`] and [`read_external_ref`], and the like for
//! extracted licenses and external documents) are public because the CycloneDX module carries
//! those SPDX objects verbatim in its `bomsmith:spdx:` properties.

mod read;
pub mod tv_read;
mod tv_write;
mod write;

pub use super::ReadReport;
pub use read::{
    read, read_external_document, read_external_ref, read_extracted_license, read_value,
};
pub use tv_write::write_tag_value;
pub use write::{
    external_document_value, external_ref_value, extracted_license_value, to_value, write,
};

use crate::error::{Error, Result};
use serde_json::Value;

/// The `spdxVersion` this module reads and writes.
pub const SPDX_VERSION: &str = "SPDX-2.3";
/// Value of fields that make no assertion.
pub const NOASSERTION: &str = "NOASSERTION";

/// Parses JSON text; a syntax error names `file`, the line and the column.
pub fn parse_json(bytes: &[u8], file: &str) -> Result<Value> {
    serde_json::from_slice(bytes).map_err(|e| {
        Error::document(
            file,
            "",
            format!(
                "malformed JSON at line {}, column {}: {e}",
                e.line(),
                e.column()
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        Algorithm, Checksum, Document, ExternalRef, File, Package, Purpose, Relationship,
    };

    /// A small document with one package, one file and a CONTAINS between them.
    pub(super) fn sample() -> Document {
        Document {
            name: "demo".into(),
            namespace: "https://example.org/demo".into(),
            created: "2024-01-01T00:00:00Z".into(),
            creators: vec!["Tool: bomsmith-0".into()],
            license_list_version: Some("3.22".into()),
            data_license: "CC0-1.0".into(),
            packages: vec![Package {
                id: "SPDXRef-PACKAGE-demo".into(),
                name: "demo".into(),
                version: Some("1.0".into()),
                files_analyzed: true,
                verification_code: Some("a".repeat(40)),
                external_refs: vec![ExternalRef::purl("pkg:generic/demo@1.0")],
                purpose: Some(Purpose::Source),
                license_concluded: Some(NOASSERTION.into()),
                ..Package::default()
            }],
            files: vec![File {
                id: "SPDXRef-FILE-a".into(),
                name: "a".into(),
                checksums: vec![Checksum {
                    algorithm: Algorithm::Sha1,
                    value: "b".repeat(40),
                }],
                ..File::default()
            }],
            relationships: vec![Relationship::new(
                "SPDXRef-PACKAGE-demo",
                "CONTAINS",
                "SPDXRef-FILE-a",
            )],
            ..Document::default()
        }
    }

    #[test]
    fn round_trip_through_the_model() {
        let doc = sample();
        let text = write(&doc);
        let (back, report) = read(text.as_bytes(), "mem").expect("reads back");
        assert_eq!(back, doc);
        assert!(report.dropped.is_empty());
        assert!(text.contains("\"downloadLocation\": \"NOASSERTION\""));
    }
}
