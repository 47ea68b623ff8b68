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
