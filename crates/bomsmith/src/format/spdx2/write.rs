//! The SPDX writer: model → SPDX 2.3 JSON. The model is SPDX-shaped, so every value has its
//! native place and nothing is lost.

use super::{NOASSERTION, SPDX_VERSION};
use crate::json;
use crate::model::{
    Checksum, Document, ExternalDocument, ExternalRef, ExtractedLicense, File, Package, RefKind,
};
use serde_json::{Map, Value, json};

/// Writes `doc` as canonical SPDX 2.3 JSON.
pub fn write(doc: &Document) -> String {
    let mut v = to_value(doc);
    json::sort_arrays(&mut v);
    json::to_canonical_string(&v)
}

fn put(map: &mut Map<String, Value>, key: &str, value: &Option<String>) {
    if let Some(v) = value {
        map.insert(key.to_owned(), Value::String(v.clone()));
    }
}

fn checksums_value(list: &[Checksum]) -> Value {
    Value::Array(
        list.iter()
            .map(|c| json!({"algorithm": c.algorithm.name(), "checksumValue": c.value}))
            .collect(),
    )
}

/// An external reference as SPDX 2.3 JSON writes it.
pub fn external_ref_value(r: &ExternalRef) -> Value {
    let (category, kind) = match &r.kind {
        RefKind::Purl => ("PACKAGE_MANAGER", "purl"),
        RefKind::Cpe23 => ("SECURITY", "cpe23Type"),
        RefKind::Cpe22 => ("SECURITY", "cpe22Type"),
        RefKind::Swhid => ("PERSISTENT_ID", "swh"),
        RefKind::Gitoid => ("PERSISTENT_ID", "gitoid"),
        RefKind::Other { category, kind } => (category.as_str(), kind.as_str()),
    };
    let mut m = Map::new();
    m.insert("referenceCategory".into(), json!(category));
    m.insert("referenceType".into(), json!(kind));
    m.insert("referenceLocator".into(), json!(r.locator));
    put(&mut m, "comment", &r.comment);
    Value::Object(m)
}

fn package_value(p: &Package) -> Value {
    let mut m = Map::new();
    m.insert("SPDXID".into(), json!(p.id));
    m.insert("name".into(), json!(p.name));
    put(&mut m, "versionInfo", &p.version);
    put(&mut m, "packageFileName", &p.file_name);
    put(&mut m, "supplier", &p.supplier);
    put(&mut m, "originator", &p.originator);
    m.insert(
        "downloadLocation".into(),
        json!(p.download_location.as_deref().unwrap_or(NOASSERTION)),
    );
    put(&mut m, "homepage", &p.homepage);
    m.insert("filesAnalyzed".into(), json!(p.files_analyzed));
    if let Some(code) = &p.verification_code {
        m.insert(
            "packageVerificationCode".into(),
            json!({"packageVerificationCodeValue": code}),
        );
    }
    if !p.checksums.is_empty() {
        m.insert("checksums".into(), checksums_value(&p.checksums));
    }
    put(&mut m, "licenseConcluded", &p.license_concluded);
    put(&mut m, "licenseDeclared", &p.license_declared);
    put(&mut m, "copyrightText", &p.copyright_text);
    put(&mut m, "summary", &p.summary);
    put(&mut m, "description", &p.description);
    put(&mut m, "comment", &p.comment);
    put(&mut m, "sourceInfo", &p.source_info);
    put(&mut m, "releaseDate", &p.release_date);
    if !p.external_refs.is_empty() {
        m.insert(
            "externalRefs".into(),
            Value::Array(p.external_refs.iter().map(external_ref_value).collect()),
        );
    }
    if let Some(purpose) = p.purpose {
        m.insert("primaryPackagePurpose".into(), json!(purpose.name()));
    }
    Value::Object(m)
}

fn file_value(f: &File) -> Value {
    let mut m = Map::new();
    m.insert("SPDXID".into(), json!(f.id));
    m.insert("fileName".into(), json!(f.name));
    m.insert("checksums".into(), checksums_value(&f.checksums));
    put(&mut m, "licenseConcluded", &f.license_concluded);
    put(&mut m, "copyrightText", &f.copyright_text);
    put(&mut m, "comment", &f.comment);
    Value::Object(m)
}

/// A license outside the SPDX list as SPDX 2.3 JSON writes it.
pub fn extracted_license_value(l: &ExtractedLicense) -> Value {
    let mut m = Map::new();
    m.insert("licenseId".into(), json!(l.id));
    m.insert("extractedText".into(), json!(l.text));
    put(&mut m, "name", &l.name);
    put(&mut m, "comment", &l.comment);
    if !l.see_also.is_empty() {
        m.insert("seeAlsos".into(), json!(l.see_also));
    }
    Value::Object(m)
}

/// A reference to another SPDX document as SPDX 2.3 JSON writes it.
pub fn external_document_value(d: &ExternalDocument) -> Value {
    json!({
        "externalDocumentId": d.id,
        "spdxDocument": d.namespace,
        "checksum": {"algorithm": d.checksum.algorithm.name(), "checksumValue": d.checksum.value},
    })
}

/// The document as a JSON value (keys unsorted until written).
pub fn to_value(doc: &Document) -> Value {
    let mut m = Map::new();
    m.insert("SPDXID".into(), json!(crate::model::DOCUMENT_ID));
    m.insert("spdxVersion".into(), json!(SPDX_VERSION));
    m.insert("name".into(), json!(doc.name));
    m.insert("dataLicense".into(), json!(doc.data_license));
    m.insert("documentNamespace".into(), json!(doc.namespace));
    put(&mut m, "comment", &doc.comment);
    let mut ci = Map::new();
    ci.insert("created".into(), json!(doc.created));
    ci.insert("creators".into(), json!(doc.creators));
    put(&mut ci, "licenseListVersion", &doc.license_list_version);
    m.insert("creationInfo".into(), Value::Object(ci));
    m.insert(
        "packages".into(),
        Value::Array(doc.packages.iter().map(package_value).collect()),
    );
    m.insert(
        "files".into(),
        Value::Array(doc.files.iter().map(file_value).collect()),
    );
    if !doc.external_documents.is_empty() {
        m.insert(
            "externalDocumentRefs".into(),
            Value::Array(
                doc.external_documents
                    .iter()
                    .map(external_document_value)
                    .collect(),
            ),
        );
    }
    if !doc.extracted_licenses.is_empty() {
        m.insert(
            "hasExtractedLicensingInfos".into(),
            Value::Array(
                doc.extracted_licenses
                    .iter()
                    .map(extracted_license_value)
                    .collect(),
            ),
        );
    }
    m.insert(
        "relationships".into(),
        Value::Array(
            doc.relationships
                .iter()
                .map(|r| {
                    json!({
                        "spdxElementId": r.from,
                        "relationshipType": r.kind,
                        "relatedSpdxElement": r.to,
                    })
                })
                .collect(),
        ),
    );
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    //! Model in, JSON out: each test builds a [`Document`] by hand and checks the SPDX the
    //! writer makes of it against values written out by hand.

    use super::*;
    use crate::model::{Algorithm, DOCUMENT_ID, Purpose, Relationship};

    /// A document describing one package, with nothing optional set.
    fn doc() -> Document {
        Document {
            name: "demo".into(),
            namespace: "https://example.org/demo".into(),
            created: "2024-01-02T03:04:05Z".into(),
            creators: vec!["Tool: bomsmith-0.1.0".into()],
            data_license: "CC0-1.0".into(),
            packages: vec![Package {
                id: "SPDXRef-demo".into(),
                name: "demo".into(),
                ..Package::default()
            }],
            relationships: vec![Relationship::new(DOCUMENT_ID, "DESCRIBES", "SPDXRef-demo")],
            ..Document::default()
        }
    }

    fn spdx(doc: &Document) -> Value {
        serde_json::from_str(&write(doc)).expect("the writer writes JSON")
    }

    fn keys(v: &Value) -> Vec<&str> {
        let m = v.as_object().expect("an object");
        m.keys().map(String::as_str).collect()
    }

    fn sha1(hex: &str) -> Checksum {
        Checksum {
            algorithm: Algorithm::Sha1,
            value: hex.into(),
        }
    }

    #[test]
    fn minimal_document_is_byte_exact() {
        let expected = r#"{
  "SPDXID": "SPDXRef-DOCUMENT",
  "creationInfo": {
    "created": "2024-01-02T03:04:05Z",
    "creators": [
      "Tool: bomsmith-0.1.0"
    ]
  },
  "dataLicense": "CC0-1.0",
  "documentNamespace": "https://example.org/demo",
  "files": [],
  "name": "demo",
  "packages": [
    {
      "SPDXID": "SPDXRef-demo",
      "downloadLocation": "NOASSERTION",
      "filesAnalyzed": false,
      "name": "demo"
    }
  ],
  "relationships": [
    {
      "relatedSpdxElement": "SPDXRef-demo",
      "relationshipType": "DESCRIBES",
      "spdxElementId": "SPDXRef-DOCUMENT"
    }
  ],
  "spdxVersion": "SPDX-2.3"
}"#;
        assert_eq!(write(&doc()), expected);
    }

    #[test]
    fn every_package_field_has_its_place() {
        let mut d = doc();
        d.packages[0] = Package {
            id: "SPDXRef-p".into(),
            name: "p".into(),
            version: Some("1.0".into()),
            file_name: Some("p-1.0.tar.gz".into()),
            supplier: Some("Organization: ACME".into()),
            originator: Some("Person: Jane (jane@example.org)".into()),
            download_location: Some("https://example.org/p-1.0.tar.gz".into()),
            homepage: Some("https://example.org".into()),
            files_analyzed: true,
            verification_code: Some("d6a770ba38583ed4bb4525bd96e50461655d2758".into()),
            checksums: vec![Checksum {
                algorithm: Algorithm::Blake2b256,
                value: "a".repeat(64),
            }],
            license_concluded: Some("MIT".into()),
            license_declared: Some("MIT OR Apache-2.0".into()),
            copyright_text: Some("Copyright ACME".into()),
            summary: Some("S".into()),
            description: Some("D".into()),
            comment: Some("C".into()),
            source_info: Some("I".into()),
            external_refs: vec![ExternalRef::purl("pkg:generic/p@1.0")],
            purpose: Some(Purpose::OperatingSystem),
            release_date: Some("2024-01-01T00:00:00Z".into()),
            evidence: None,
        };
        assert_eq!(
            spdx(&d)["packages"][0],
            json!({
                "SPDXID": "SPDXRef-p",
                "name": "p",
                "versionInfo": "1.0",
                "packageFileName": "p-1.0.tar.gz",
                "supplier": "Organization: ACME",
                "originator": "Person: Jane (jane@example.org)",
                "downloadLocation": "https://example.org/p-1.0.tar.gz",
                "homepage": "https://example.org",
                "filesAnalyzed": true,
                "packageVerificationCode": {
                    "packageVerificationCodeValue": "d6a770ba38583ed4bb4525bd96e50461655d2758",
                },
                "checksums": [{"algorithm": "BLAKE2b-256", "checksumValue": "a".repeat(64)}],
                "licenseConcluded": "MIT",
                "licenseDeclared": "MIT OR Apache-2.0",
                "copyrightText": "Copyright ACME",
                "summary": "S",
                "description": "D",
                "comment": "C",
                "sourceInfo": "I",
                "externalRefs": [{
                    "referenceCategory": "PACKAGE_MANAGER",
                    "referenceType": "purl",
                    "referenceLocator": "pkg:generic/p@1.0",
                }],
                "primaryPackagePurpose": "OPERATING_SYSTEM",
                "releaseDate": "2024-01-01T00:00:00Z",
            })
        );
    }

    #[test]
    fn absent_values_are_left_out_but_required_ones_written() {
        let mut d = doc();
        d.files.push(File {
            id: "SPDXRef-f".into(),
            name: "a".into(),
            ..File::default()
        });
        let v = spdx(&d);
        assert_eq!(
            keys(&v),
            [
                "SPDXID",
                "creationInfo",
                "dataLicense",
                "documentNamespace",
                "files",
                "name",
                "packages",
                "relationships",
                "spdxVersion",
            ]
        );
        assert_eq!(keys(&v["creationInfo"]), ["created", "creators"]);
        // SPDX requires `checksums` on a file, even an empty one.
        assert_eq!(
            v["files"],
            json!([{"SPDXID": "SPDXRef-f", "checksums": [], "fileName": "a"}])
        );

        d.comment = Some("hello".into());
        d.license_list_version = Some("3.25".into());
        let v = spdx(&d);
        assert_eq!(v["comment"], "hello");
        assert_eq!(v["creationInfo"]["licenseListVersion"], "3.25");
    }

    #[test]
    fn a_file_writes_every_field() {
        let f = File {
            id: "SPDXRef-f".into(),
            name: "src/a.c".into(),
            checksums: vec![sha1("0123456789abcdef0123456789abcdef01234567")],
            license_concluded: Some("MIT".into()),
            copyright_text: Some("NOASSERTION".into()),
            comment: Some("generated".into()),
        };
        assert_eq!(
            file_value(&f),
            json!({
                "SPDXID": "SPDXRef-f",
                "fileName": "src/a.c",
                "checksums": [{
                    "algorithm": "SHA1",
                    "checksumValue": "0123456789abcdef0123456789abcdef01234567",
                }],
                "licenseConcluded": "MIT",
                "copyrightText": "NOASSERTION",
                "comment": "generated",
            })
        );
    }

    #[test]
    fn external_refs_get_their_spdx_category_and_type() {
        let r = |kind: RefKind| ExternalRef {
            kind,
            locator: "L".into(),
            comment: None,
        };
        let cases = [
            (r(RefKind::Purl), "PACKAGE_MANAGER", "purl"),
            (r(RefKind::Cpe23), "SECURITY", "cpe23Type"),
            (r(RefKind::Cpe22), "SECURITY", "cpe22Type"),
            (r(RefKind::Swhid), "PERSISTENT_ID", "swh"),
            (r(RefKind::Gitoid), "PERSISTENT_ID", "gitoid"),
            (
                r(RefKind::Other {
                    category: "OTHER".into(),
                    kind: "advisory".into(),
                }),
                "OTHER",
                "advisory",
            ),
        ];
        for (reference, category, kind) in cases {
            assert_eq!(
                external_ref_value(&reference),
                json!({"referenceCategory": category, "referenceType": kind, "referenceLocator": "L"})
            );
        }
        let commented = ExternalRef {
            comment: Some("why".into()),
            ..r(RefKind::Purl)
        };
        assert_eq!(external_ref_value(&commented)["comment"], "why");
    }

    #[test]
    fn extracted_licenses_and_external_documents() {
        let mut d = doc();
        d.extracted_licenses.push(ExtractedLicense {
            id: "LicenseRef-foo".into(),
            text: "Foo text".into(),
            name: None,
            comment: Some("c".into()),
            see_also: vec!["https://foo.example".into()],
        });
        d.external_documents.push(ExternalDocument {
            id: "DocumentRef-other".into(),
            namespace: "https://example.org/other".into(),
            checksum: sha1("0123456789abcdef0123456789abcdef01234567"),
        });
        let v = spdx(&d);
        assert_eq!(
            v["hasExtractedLicensingInfos"],
            json!([{
                "licenseId": "LicenseRef-foo",
                "extractedText": "Foo text",
                "comment": "c",
                "seeAlsos": ["https://foo.example"],
            }])
        );
        assert_eq!(
            v["externalDocumentRefs"],
            json!([{
                "externalDocumentId": "DocumentRef-other",
                "spdxDocument": "https://example.org/other",
                "checksum": {
                    "algorithm": "SHA1",
                    "checksumValue": "0123456789abcdef0123456789abcdef01234567",
                },
            }])
        );
    }

    #[test]
    fn arrays_are_sorted_by_their_compact_form_when_written() {
        let mut d = doc();
        d.creators = vec!["Tool: b".into(), "Organization: a".into()];
        d.packages = ["SPDXRef-z", "SPDXRef-a"]
            .map(|id| Package {
                id: id.into(),
                name: "n".into(),
                ..Package::default()
            })
            .to_vec();
        d.files.push(File {
            id: "SPDXRef-f".into(),
            name: "f".into(),
            checksums: vec![
                Checksum {
                    algorithm: Algorithm::Sha256,
                    value: "0".repeat(64),
                },
                sha1(&"0".repeat(40)),
            ],
            ..File::default()
        });
        d.relationships = vec![
            Relationship::new("SPDXRef-a", "CONTAINS", "SPDXRef-z"),
            Relationship::new(DOCUMENT_ID, "DESCRIBES", "SPDXRef-a"),
        ];
        // `to_value` keeps the model's order; only writing sorts.
        assert_eq!(to_value(&d)["packages"][0]["SPDXID"], "SPDXRef-z");
        let v = spdx(&d);
        assert_eq!(
            v["creationInfo"]["creators"],
            json!(["Organization: a", "Tool: b"])
        );
        assert_eq!(v["packages"][0]["SPDXID"], "SPDXRef-a");
        assert_eq!(v["packages"][1]["SPDXID"], "SPDXRef-z");
        assert_eq!(v["files"][0]["checksums"][0]["algorithm"], "SHA1");
        assert_eq!(v["files"][0]["checksums"][1]["algorithm"], "SHA256");
        // Objects compare by their first key in sorted order: `relatedSpdxElement`.
        assert_eq!(
            v["relationships"],
            json!([
                {"relatedSpdxElement": "SPDXRef-a", "relationshipType": "DESCRIBES", "spdxElementId": DOCUMENT_ID},
                {"relatedSpdxElement": "SPDXRef-z", "relationshipType": "CONTAINS", "spdxElementId": "SPDXRef-a"},
            ])
        );
    }
}
