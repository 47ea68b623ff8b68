//! The SPDX reader: SPDX 2.2 and 2.3 JSON → model.
//!
//! A field the schema of the document's own `spdxVersion` does not have is an error with its
//! JSON pointer; a field it has but the model does not hold is counted in the [`ReadReport`]
//! (unless its value is empty, which carries nothing). SPDX 2.2 is 2.3 without a few fields
//! (`$schema`, `primaryPackagePurpose`, `releaseDate`, `builtDate`, `validUntilDate`), fewer
//! hash algorithms, relationship types and reference categories; everything it has reads into
//! the model exactly as 2.3 does.

use super::{NOASSERTION, parse_json};
use crate::error::Result;
use crate::format::{Fields, ReadReport, is_empty_value};
use crate::json::{kind_name as kind_of, pointer_child as child};
use crate::model::{
    Algorithm, Checksum, Document, ExternalDocument, ExternalRef, ExtractedLicense, File, Package,
    Purpose, RefKind, Relationship,
};
use crate::spec::Spec;
use serde_json::{Map, Value};

struct Reader<'a> {
    file: &'a str,
    report: ReadReport,
    /// The version the document states; its schema says which fields exist.
    spec: Spec,
}

impl<'a> Reader<'a> {
    fn new(file: &'a str) -> Self {
        Reader {
            file,
            report: ReadReport::default(),
            spec: Spec::Spdx23,
        }
    }
}

/// Reads an SPDX 2.2 or 2.3 JSON document. `file` names it in errors.
pub fn read(bytes: &[u8], file: &str) -> Result<(Document, ReadReport)> {
    read_value(&parse_json(bytes, file)?, file)
}

/// Reads an SPDX 2.2 or 2.3 document already parsed as JSON. `file` names it in errors.
pub fn read_value(value: &Value, file: &str) -> Result<(Document, ReadReport)> {
    let mut r = Reader::new(file);
    let doc = r.document(value)?;
    Ok((doc, r.report))
}

/// Reads one external reference object, as [`super::external_ref_value`] writes it.
pub fn read_external_ref(v: &Value, file: &str, pointer: &str) -> Result<ExternalRef> {
    Reader::new(file).external_ref(v, pointer)
}

/// Reads one external document reference, as [`super::external_document_value`] writes it.
pub fn read_external_document(v: &Value, file: &str, pointer: &str) -> Result<ExternalDocument> {
    Reader::new(file).external_document(v, pointer)
}

/// Reads one extracted license object, as [`super::extracted_license_value`] writes it.
pub fn read_extracted_license(v: &Value, file: &str, pointer: &str) -> Result<ExtractedLicense> {
    Reader::new(file).extracted_license(v, pointer)
}

/// Fields the model holds, per object kind.
const DOCUMENT_MODELED: &[&str] = &[
    "SPDXID",
    "spdxVersion",
    "name",
    "dataLicense",
    "documentNamespace",
    "comment",
    "creationInfo",
    "packages",
    "files",
    "relationships",
    "documentDescribes",
    "hasExtractedLicensingInfos",
    "externalDocumentRefs",
];
/// A package's fields the model holds.
const PACKAGE_MODELED: &[&str] = &[
    "SPDXID",
    "name",
    "versionInfo",
    "packageFileName",
    "supplier",
    "originator",
    "downloadLocation",
    "homepage",
    "filesAnalyzed",
    "packageVerificationCode",
    "checksums",
    "licenseConcluded",
    "licenseDeclared",
    "copyrightText",
    "summary",
    "description",
    "comment",
    "sourceInfo",
    "externalRefs",
    "primaryPackagePurpose",
    "releaseDate",
    "hasFiles",
];
/// A file's fields the model holds.
const FILE_MODELED: &[&str] = &[
    "SPDXID",
    "fileName",
    "checksums",
    "licenseConcluded",
    "copyrightText",
    "comment",
];

/// Fields valid in SPDX 2.3 that the model does not hold, per object kind. (SPDX 2.2 has a
/// subset of 2.3's fields: none that 2.3 dropped.)
const UNMODELED_DOCUMENT: &[&str] = &["$schema", "annotations", "revieweds", "snippets"];
const UNMODELED_PACKAGE: &[&str] = &[
    "annotations",
    "attributionTexts",
    "builtDate",
    "licenseComments",
    "licenseInfoFromFiles",
    "validUntilDate",
];
const UNMODELED_FILE: &[&str] = &[
    "annotations",
    "artifactOfs",
    "attributionTexts",
    "fileContributors",
    "fileDependencies",
    "fileTypes",
    "licenseComments",
    "licenseInfoInFiles",
    "noticeText",
];

impl Fields for Reader<'_> {
    fn file(&self) -> &str {
        self.file
    }
}

impl Reader<'_> {
    fn check_keys(
        &mut self,
        m: &Map<String, Value>,
        pointer: &str,
        kind: &str,
        modeled: &[&str],
        unmodeled: &[&str],
    ) -> Result<()> {
        // `packages[].externalRefs[].` is the schema's `packages.externalRefs`.
        let def = kind.replace("[]", "");
        let known = self.spec.fields(def.trim_end_matches('.'));
        for (key, value) in m {
            let key = key.as_str();
            if known.contains(&key) && modeled.contains(&key) {
                continue;
            }
            if known.contains(&key) && unmodeled.contains(&key) {
                if !is_empty_value(value) {
                    self.report.drop(format!("{kind}{key}"));
                }
                continue;
            }
            return Err(self.err(
                &child(pointer, key),
                format!("unknown field `{key}` (not part of {})", self.spec),
            ));
        }
        Ok(())
    }

    fn document(&mut self, v: &Value) -> Result<Document> {
        let m = self.object(v, "")?;
        let version = self.req_str(m, "spdxVersion", "")?;
        self.spec = Spec::spdx(&version).ok_or_else(|| {
            let named = match version.strip_prefix("SPDX-") {
                Some(n) => format!("SPDX {n}"),
                None => format!("SPDX `{version}`"),
            };
            self.err(
                "/spdxVersion",
                format!(
                    "{named} is not a version bomsmith reads ({} are)",
                    Spec::Spdx23.siblings()
                ),
            )
        })?;
        self.check_keys(m, "", "", DOCUMENT_MODELED, UNMODELED_DOCUMENT)?;
        let mut doc = Document {
            name: self.opt_str(m, "name", "")?.unwrap_or_default(),
            namespace: self
                .opt_str(m, "documentNamespace", "")?
                .unwrap_or_default(),
            data_license: self.opt_str(m, "dataLicense", "")?.unwrap_or_default(),
            comment: self.opt_str(m, "comment", "")?,
            ..Document::default()
        };
        if let Some(ci) = m.get("creationInfo") {
            let ci = self.object(ci, "/creationInfo")?;
            self.check_keys(
                ci,
                "/creationInfo",
                "creationInfo.",
                &["created", "creators", "licenseListVersion"],
                &["comment"],
            )?;
            doc.created = self
                .opt_str(ci, "created", "/creationInfo")?
                .unwrap_or_default();
            doc.license_list_version = self.opt_str(ci, "licenseListVersion", "/creationInfo")?;
            for (i, c) in self
                .array(ci, "creators", "/creationInfo")?
                .iter()
                .enumerate()
            {
                let s = c.as_str().ok_or_else(|| {
                    self.err(&format!("/creationInfo/creators/{i}"), "expected a string")
                })?;
                doc.creators.push(s.to_owned());
            }
        }
        let mut has_files = Vec::new();
        for (i, p) in self.array(m, "packages", "")?.iter().enumerate() {
            let pointer = format!("/packages/{i}");
            let pkg = self.package(p, &pointer)?;
            // `hasFiles` is another spelling of CONTAINS relationships.
            let pm = self.object(p, &pointer)?;
            for (j, f) in self.array(pm, "hasFiles", &pointer)?.iter().enumerate() {
                let id = f.as_str().ok_or_else(|| {
                    self.err(&format!("{pointer}/hasFiles/{j}"), "expected a string")
                })?;
                has_files.push(Relationship::new(&pkg.id, "CONTAINS", id));
            }
            doc.packages.push(pkg);
        }
        for (i, d) in self
            .array(m, "externalDocumentRefs", "")?
            .iter()
            .enumerate()
        {
            let reference = self.external_document(d, &format!("/externalDocumentRefs/{i}"))?;
            doc.external_documents.push(reference);
        }
        for (i, l) in self
            .array(m, "hasExtractedLicensingInfos", "")?
            .iter()
            .enumerate()
        {
            let license = self.extracted_license(l, &format!("/hasExtractedLicensingInfos/{i}"))?;
            doc.extracted_licenses.push(license);
        }
        for (i, f) in self.array(m, "files", "")?.iter().enumerate() {
            let file = self.file(f, &format!("/files/{i}"))?;
            doc.files.push(file);
        }
        // An element ID names one element; with two, relationships would be ambiguous.
        let mut seen: std::collections::HashMap<&str, String> = std::collections::HashMap::new();
        let ids = doc
            .packages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.as_str(), format!("/packages/{i}")))
            .chain(
                doc.files
                    .iter()
                    .enumerate()
                    .map(|(i, f)| (f.id.as_str(), format!("/files/{i}"))),
            );
        for (id, pointer) in ids {
            if !crate::ident::is_element_id(id) {
                return Err(self.err(
                    &child(&pointer, "SPDXID"),
                    format!(
                        "`{id}` is not an element ID (`SPDXRef-` then letters, digits, `.` or `-`)"
                    ),
                ));
            }
            if let Some(first) = seen.get(id) {
                return Err(self.err(
                    &child(&pointer, "SPDXID"),
                    format!("duplicate SPDXID `{id}` (first at {first})"),
                ));
            }
            seen.insert(id, pointer);
        }
        for (i, r) in self.array(m, "relationships", "")?.iter().enumerate() {
            let pointer = format!("/relationships/{i}");
            let rm = self.object(r, &pointer)?;
            self.check_keys(
                rm,
                &pointer,
                "relationships[].",
                &["spdxElementId", "relationshipType", "relatedSpdxElement"],
                &["comment"],
            )?;
            doc.relationships.push(Relationship {
                from: self.req_str(rm, "spdxElementId", &pointer)?,
                kind: self.req_str(rm, "relationshipType", &pointer)?,
                to: self.req_str(rm, "relatedSpdxElement", &pointer)?,
            });
        }
        for rel in has_files {
            if !doc.relationships.contains(&rel) {
                doc.relationships.push(rel);
            }
        }
        // `documentDescribes` is the older spelling of DESCRIBES relationships.
        for (i, d) in self.array(m, "documentDescribes", "")?.iter().enumerate() {
            let id = d
                .as_str()
                .ok_or_else(|| self.err(&format!("/documentDescribes/{i}"), "expected a string"))?;
            let rel = Relationship::new(crate::model::DOCUMENT_ID, "DESCRIBES", id);
            if !doc.relationships.contains(&rel) {
                doc.relationships.push(rel);
            }
        }
        Ok(doc)
    }

    fn checksums(&self, m: &Map<String, Value>, pointer: &str) -> Result<Vec<Checksum>> {
        let mut out = Vec::new();
        for (i, c) in self.array(m, "checksums", pointer)?.iter().enumerate() {
            let p = format!("{pointer}/checksums/{i}");
            let cm = self.object(c, &p)?;
            out.push(self.checksum(cm, &p)?);
        }
        Ok(out)
    }

    fn checksum(&self, cm: &Map<String, Value>, p: &str) -> Result<Checksum> {
        let alg = self.req_str(cm, "algorithm", p)?;
        let algorithm = Algorithm::from_name(&alg).ok_or_else(|| {
            self.err(
                &child(p, "algorithm"),
                format!("unknown checksum algorithm `{alg}`"),
            )
        })?;
        let value = self.req_str(cm, "checksumValue", p)?.to_ascii_lowercase();
        Ok(Checksum { algorithm, value })
    }

    fn package(&mut self, v: &Value, pointer: &str) -> Result<Package> {
        let m = self.object(v, pointer)?;
        self.check_keys(
            m,
            pointer,
            "packages[].",
            PACKAGE_MODELED,
            UNMODELED_PACKAGE,
        )?;
        let download = self.req_str(m, "downloadLocation", pointer)?;
        let files_analyzed = match m.get("filesAnalyzed") {
            // SPDX 2.3: absent means true.
            None => true,
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                return Err(self.err(
                    &child(pointer, "filesAnalyzed"),
                    format!("expected a boolean, found {}", kind_of(other)),
                ));
            }
        };
        let verification_code = match m.get("packageVerificationCode") {
            None => None,
            Some(vc) => {
                let p = child(pointer, "packageVerificationCode");
                let vm = self.object(vc, &p)?;
                self.check_keys(
                    vm,
                    &p,
                    "packages[].packageVerificationCode.",
                    &["packageVerificationCodeValue"],
                    &["packageVerificationCodeExcludedFiles"],
                )?;
                Some(self.req_str(vm, "packageVerificationCodeValue", &p)?)
            }
        };
        let purpose = match self.opt_str(m, "primaryPackagePurpose", pointer)? {
            None => None,
            Some(s) => Some(Purpose::from_name(&s).ok_or_else(|| {
                self.err(
                    &child(pointer, "primaryPackagePurpose"),
                    format!("unknown package purpose `{s}`"),
                )
            })?),
        };
        let mut external_refs = Vec::new();
        for (i, r) in self.array(m, "externalRefs", pointer)?.iter().enumerate() {
            external_refs.push(self.external_ref(r, &format!("{pointer}/externalRefs/{i}"))?);
        }
        Ok(Package {
            id: self.req_str(m, "SPDXID", pointer)?,
            name: self.req_str(m, "name", pointer)?,
            version: self.opt_str(m, "versionInfo", pointer)?,
            file_name: self.opt_str(m, "packageFileName", pointer)?,
            supplier: self.opt_str(m, "supplier", pointer)?,
            originator: self.opt_str(m, "originator", pointer)?,
            download_location: (download != NOASSERTION).then_some(download),
            homepage: self.opt_str(m, "homepage", pointer)?,
            files_analyzed,
            verification_code,
            checksums: self.checksums(m, pointer)?,
            license_concluded: self.opt_str(m, "licenseConcluded", pointer)?,
            license_declared: self.opt_str(m, "licenseDeclared", pointer)?,
            copyright_text: self.opt_str(m, "copyrightText", pointer)?,
            summary: self.opt_str(m, "summary", pointer)?,
            description: self.opt_str(m, "description", pointer)?,
            comment: self.opt_str(m, "comment", pointer)?,
            source_info: self.opt_str(m, "sourceInfo", pointer)?,
            external_refs,
            purpose,
            release_date: self.opt_str(m, "releaseDate", pointer)?,
            evidence: None,
        })
    }

    fn external_document(&mut self, v: &Value, pointer: &str) -> Result<ExternalDocument> {
        let m = self.object(v, pointer)?;
        self.check_keys(
            m,
            pointer,
            "externalDocumentRefs[].",
            &["externalDocumentId", "spdxDocument", "checksum"],
            &[],
        )?;
        let cp = child(pointer, "checksum");
        let c = match m.get("checksum") {
            Some(c) => self.object(c, &cp)?,
            None => return Err(self.err(pointer, "required field `checksum` is missing")),
        };
        let checksum = self.checksum(c, &cp)?;
        Ok(ExternalDocument {
            id: self.req_str(m, "externalDocumentId", pointer)?,
            namespace: self.req_str(m, "spdxDocument", pointer)?,
            checksum,
        })
    }

    fn external_ref(&mut self, r: &Value, p: &str) -> Result<ExternalRef> {
        let rm = self.object(r, p)?;
        self.check_keys(
            rm,
            p,
            "packages[].externalRefs[].",
            &[
                "referenceCategory",
                "referenceType",
                "referenceLocator",
                "comment",
            ],
            &[],
        )?;
        let category = self.req_str(rm, "referenceCategory", p)?;
        let kind = self.req_str(rm, "referenceType", p)?;
        let kind = match (category.replace('_', "-").as_str(), kind.as_str()) {
            ("PACKAGE-MANAGER", "purl") => RefKind::Purl,
            ("SECURITY", "cpe23Type") => RefKind::Cpe23,
            ("SECURITY", "cpe22Type") => RefKind::Cpe22,
            ("PERSISTENT-ID", "swh") => RefKind::Swhid,
            ("PERSISTENT-ID", "gitoid") => RefKind::Gitoid,
            _ => RefKind::Other { category, kind },
        };
        Ok(ExternalRef {
            kind,
            locator: self.req_str(rm, "referenceLocator", p)?,
            comment: self.opt_str(rm, "comment", p)?,
        })
    }

    fn extracted_license(&mut self, v: &Value, pointer: &str) -> Result<ExtractedLicense> {
        let m = self.object(v, pointer)?;
        self.check_keys(
            m,
            pointer,
            "hasExtractedLicensingInfos[].",
            &["licenseId", "extractedText", "name", "comment", "seeAlsos"],
            &["crossRefs"],
        )?;
        let mut see_also = Vec::new();
        for (i, s) in self.array(m, "seeAlsos", pointer)?.iter().enumerate() {
            let s = s
                .as_str()
                .ok_or_else(|| self.err(&format!("{pointer}/seeAlsos/{i}"), "expected a string"))?;
            see_also.push(s.to_owned());
        }
        Ok(ExtractedLicense {
            id: self.req_str(m, "licenseId", pointer)?,
            text: self.req_str(m, "extractedText", pointer)?,
            name: self.opt_str(m, "name", pointer)?,
            comment: self.opt_str(m, "comment", pointer)?,
            see_also,
        })
    }

    fn file(&mut self, v: &Value, pointer: &str) -> Result<File> {
        let m = self.object(v, pointer)?;
        self.check_keys(m, pointer, "files[].", FILE_MODELED, UNMODELED_FILE)?;
        Ok(File {
            id: self.req_str(m, "SPDXID", pointer)?,
            name: self.req_str(m, "fileName", pointer)?,
            checksums: self.checksums(m, pointer)?,
            license_concluded: self.opt_str(m, "licenseConcluded", pointer)?,
            copyright_text: self.opt_str(m, "copyrightText", pointer)?,
            comment: self.opt_str(m, "comment", pointer)?,
        })
    }
}

#[cfg(test)]
mod tests {
    //! JSON in, model out: hand-written SPDX documents and the model, [`ReadReport`] or error
    //! (with its JSON pointer) the reader gives for each.

    use super::*;
    use crate::error::Error;
    use crate::format::spdx2::{tests::sample, write};
    use crate::model::DOCUMENT_ID;
    use serde_json::json;
    use std::collections::BTreeMap;

    const HEX40: &str = "0123456789abcdef0123456789abcdef01234567";

    /// A valid document with one package and nothing else.
    fn minimal() -> Value {
        json!({
            "SPDXID": "SPDXRef-DOCUMENT",
            "spdxVersion": "SPDX-2.3",
            "name": "d",
            "dataLicense": "CC0-1.0",
            "documentNamespace": "https://example.org/d",
            "creationInfo": {"created": "2024-01-02T03:04:05Z", "creators": ["Tool: x"]},
            "packages": [{"SPDXID": "SPDXRef-p", "name": "p", "downloadLocation": "NOASSERTION"}],
        })
    }

    fn read_ok(v: &Value) -> (Document, ReadReport) {
        read_value(v, "t.json").expect("reads")
    }

    /// The JSON pointer and message of a document error.
    fn pointer_and_message<T: std::fmt::Debug>(r: Result<T>) -> (String, String) {
        match r {
            Err(Error::Document {
                pointer, message, ..
            }) => (pointer, message),
            other => panic!("expected a document error, got {other:?}"),
        }
    }

    fn sha1(hex: &str) -> Checksum {
        Checksum {
            algorithm: Algorithm::Sha1,
            value: hex.into(),
        }
    }

    #[test]
    fn errors_name_the_pointer() {
        let text = write(&sample()).replace("\"fileName\"", "\"fileNme\"");
        let e = read(text.as_bytes(), "x.json").expect_err("unknown field");
        assert_eq!(
            e.to_string(),
            "x.json: /files/0/fileNme: unknown field `fileNme` (not part of SPDX 2.3)"
        );
        let e = read(b"{\"spdxVersion\": 3}", "y.json").expect_err("wrong type");
        assert!(
            e.to_string()
                .starts_with("y.json: /spdxVersion: expected a string"),
            "{e}"
        );
        let mut doc = sample();
        doc.files.push(doc.files[0].clone());
        let e = read(write(&doc).as_bytes(), "d.json").expect_err("duplicate");
        assert_eq!(
            e.to_string(),
            "d.json: /files/1/SPDXID: duplicate SPDXID `SPDXRef-FILE-a` (first at /files/0)"
        );
        let e = read(b"{", "z.json").expect_err("malformed");
        assert!(e.to_string().contains("malformed JSON at line 1"), "{e}");
    }

    #[test]
    fn every_field_reaches_the_model() {
        let v = json!({
            "SPDXID": "SPDXRef-DOCUMENT",
            "spdxVersion": "SPDX-2.3",
            "name": "demo",
            "dataLicense": "CC0-1.0",
            "documentNamespace": "https://example.org/demo",
            "comment": "hello",
            "creationInfo": {
                "created": "2024-01-02T03:04:05Z",
                "creators": ["Tool: x-1", "Person: Jane"],
                "licenseListVersion": "3.25",
            },
            "packages": [{
                "SPDXID": "SPDXRef-p",
                "name": "p",
                "versionInfo": "1.0",
                "packageFileName": "p-1.0.tar.gz",
                "supplier": "Organization: ACME",
                "originator": "Person: Jane (jane@example.org)",
                "downloadLocation": "https://example.org/p-1.0.tar.gz",
                "homepage": "https://example.org",
                "filesAnalyzed": true,
                "packageVerificationCode": {"packageVerificationCodeValue": HEX40},
                "checksums": [{"algorithm": "SHA256", "checksumValue": "AB".repeat(32)}],
                "licenseConcluded": "MIT",
                "licenseDeclared": "MIT OR Apache-2.0",
                "copyrightText": "Copyright ACME",
                "summary": "S",
                "description": "D",
                "comment": "C",
                "sourceInfo": "I",
                "externalRefs": [{
                    "referenceCategory": "PACKAGE-MANAGER",
                    "referenceType": "purl",
                    "referenceLocator": "pkg:generic/p@1.0",
                    "comment": "why",
                }],
                "primaryPackagePurpose": "LIBRARY",
                "releaseDate": "2024-01-01T00:00:00Z",
            }],
            "files": [{
                "SPDXID": "SPDXRef-f",
                "fileName": "src/a.c",
                "checksums": [{"algorithm": "SHA1", "checksumValue": HEX40}],
                "licenseConcluded": "NOASSERTION",
                "copyrightText": "NONE",
                "comment": "generated",
            }],
            "hasExtractedLicensingInfos": [{
                "licenseId": "LicenseRef-foo",
                "extractedText": "Foo text",
                "name": "Foo",
                "comment": "c",
                "seeAlsos": ["https://foo.example"],
            }],
            "externalDocumentRefs": [{
                "externalDocumentId": "DocumentRef-other",
                "spdxDocument": "https://example.org/other",
                "checksum": {"algorithm": "SHA1", "checksumValue": HEX40},
            }],
            "relationships": [
                {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": "SPDXRef-p"},
                {"spdxElementId": "SPDXRef-p", "relationshipType": "CONTAINS", "relatedSpdxElement": "SPDXRef-f"},
            ],
        });
        let (doc, report) = read_ok(&v);
        let expected = Document {
            name: "demo".into(),
            namespace: "https://example.org/demo".into(),
            created: "2024-01-02T03:04:05Z".into(),
            creators: vec!["Tool: x-1".into(), "Person: Jane".into()],
            license_list_version: Some("3.25".into()),
            data_license: "CC0-1.0".into(),
            comment: Some("hello".into()),
            packages: vec![Package {
                id: "SPDXRef-p".into(),
                name: "p".into(),
                version: Some("1.0".into()),
                file_name: Some("p-1.0.tar.gz".into()),
                supplier: Some("Organization: ACME".into()),
                originator: Some("Person: Jane (jane@example.org)".into()),
                download_location: Some("https://example.org/p-1.0.tar.gz".into()),
                homepage: Some("https://example.org".into()),
                files_analyzed: true,
                verification_code: Some(HEX40.into()),
                // Checksums are held in lower case.
                checksums: vec![Checksum {
                    algorithm: Algorithm::Sha256,
                    value: "ab".repeat(32),
                }],
                license_concluded: Some("MIT".into()),
                license_declared: Some("MIT OR Apache-2.0".into()),
                copyright_text: Some("Copyright ACME".into()),
                summary: Some("S".into()),
                description: Some("D".into()),
                comment: Some("C".into()),
                source_info: Some("I".into()),
                external_refs: vec![ExternalRef {
                    comment: Some("why".into()),
                    ..ExternalRef::purl("pkg:generic/p@1.0")
                }],
                purpose: Some(Purpose::Library),
                release_date: Some("2024-01-01T00:00:00Z".into()),
                evidence: None,
            }],
            files: vec![File {
                id: "SPDXRef-f".into(),
                name: "src/a.c".into(),
                checksums: vec![sha1(HEX40)],
                license_concluded: Some("NOASSERTION".into()),
                copyright_text: Some("NONE".into()),
                comment: Some("generated".into()),
            }],
            relationships: vec![
                Relationship::new(DOCUMENT_ID, "DESCRIBES", "SPDXRef-p"),
                Relationship::new("SPDXRef-p", "CONTAINS", "SPDXRef-f"),
            ],
            extracted_licenses: vec![ExtractedLicense {
                id: "LicenseRef-foo".into(),
                text: "Foo text".into(),
                name: Some("Foo".into()),
                comment: Some("c".into()),
                see_also: vec!["https://foo.example".into()],
            }],
            external_documents: vec![ExternalDocument {
                id: "DocumentRef-other".into(),
                namespace: "https://example.org/other".into(),
                checksum: sha1(HEX40),
            }],
        };
        assert_eq!(doc, expected);
        assert_eq!(report, ReadReport::default());
    }

    #[test]
    fn absent_files_analyzed_is_true_and_noassertion_download_is_none() {
        let (doc, _) = read_ok(&minimal());
        let p = &doc.packages[0];
        // SPDX 2.3, 7.8: filesAnalyzed defaults to true.
        assert!(p.files_analyzed);
        assert_eq!(p.download_location, None);
        assert_eq!(p.purpose, None);

        let mut v = minimal();
        v["packages"][0]["downloadLocation"] = json!("NONE");
        v["packages"][0]["filesAnalyzed"] = json!(false);
        let (doc, _) = read_ok(&v);
        assert_eq!(doc.packages[0].download_location.as_deref(), Some("NONE"));
        assert!(!doc.packages[0].files_analyzed);
    }

    #[test]
    fn has_files_and_document_describes_are_relationships_read_once() {
        let mut v = minimal();
        v["packages"][0]["hasFiles"] = json!(["SPDXRef-f", "SPDXRef-g"]);
        v["files"] = json!([
            {"SPDXID": "SPDXRef-f", "fileName": "f", "checksums": []},
            {"SPDXID": "SPDXRef-g", "fileName": "g", "checksums": []},
        ]);
        v["relationships"] = json!([
            {"spdxElementId": "SPDXRef-p", "relationshipType": "CONTAINS", "relatedSpdxElement": "SPDXRef-f"},
            {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": "SPDXRef-p"},
        ]);
        v["documentDescribes"] = json!(["SPDXRef-p", "SPDXRef-g"]);
        let (doc, report) = read_ok(&v);
        assert_eq!(
            doc.relationships,
            [
                Relationship::new("SPDXRef-p", "CONTAINS", "SPDXRef-f"),
                Relationship::new(DOCUMENT_ID, "DESCRIBES", "SPDXRef-p"),
                Relationship::new("SPDXRef-p", "CONTAINS", "SPDXRef-g"),
                Relationship::new(DOCUMENT_ID, "DESCRIBES", "SPDXRef-g"),
            ]
        );
        assert_eq!(report, ReadReport::default());
    }

    #[test]
    fn fields_the_model_does_not_hold_are_counted() {
        let mut v = minimal();
        v["$schema"] = json!("https://spdx.org/schema/spdx-2.3.json");
        v["annotations"] = json!([{"comment": "a"}]);
        v["snippets"] = json!([{"SPDXID": "SPDXRef-s"}]);
        v["creationInfo"]["comment"] = json!("c");
        let p = &mut v["packages"][0];
        // Empty values carry nothing: not counted.
        p["annotations"] = json!([]);
        p["licenseComments"] = json!("");
        p["attributionTexts"] = json!(["t"]);
        p["licenseInfoFromFiles"] = json!(["MIT"]);
        p["packageVerificationCode"] = json!({
            "packageVerificationCodeValue": HEX40,
            "packageVerificationCodeExcludedFiles": ["./x"],
        });
        v["files"] = json!([
            {"SPDXID": "SPDXRef-f", "fileName": "f", "checksums": [], "fileTypes": ["SOURCE"]},
            {"SPDXID": "SPDXRef-g", "fileName": "g", "checksums": [], "fileTypes": ["TEXT"]},
        ]);
        v["relationships"] = json!([{
            "spdxElementId": "SPDXRef-p", "relationshipType": "CONTAINS",
            "relatedSpdxElement": "SPDXRef-f", "comment": "why",
        }]);
        v["hasExtractedLicensingInfos"] = json!([{
            "licenseId": "LicenseRef-a", "extractedText": "t", "crossRefs": [{"url": "https://a.example"}],
        }]);
        let (doc, report) = read_ok(&v);
        let expected: BTreeMap<String, usize> = [
            ("$schema", 1),
            ("annotations", 1),
            ("creationInfo.comment", 1),
            ("files[].fileTypes", 2),
            ("hasExtractedLicensingInfos[].crossRefs", 1),
            ("packages[].attributionTexts", 1),
            ("packages[].licenseInfoFromFiles", 1),
            (
                "packages[].packageVerificationCode.packageVerificationCodeExcludedFiles",
                1,
            ),
            ("relationships[].comment", 1),
            ("snippets", 1),
        ]
        .into_iter()
        .map(|(k, n)| (k.to_owned(), n))
        .collect();
        assert_eq!(report.dropped, expected);
        // What is held is still read.
        assert_eq!(doc.packages[0].verification_code.as_deref(), Some(HEX40));
        assert_eq!(doc.relationships.len(), 1);
    }

    #[test]
    fn external_ref_categories_are_read_in_either_spelling() {
        let other = |category: &str, kind: &str| RefKind::Other {
            category: category.into(),
            kind: kind.into(),
        };
        let cases = [
            ("PACKAGE_MANAGER", "purl", RefKind::Purl),
            ("PACKAGE-MANAGER", "purl", RefKind::Purl),
            ("SECURITY", "cpe23Type", RefKind::Cpe23),
            ("SECURITY", "cpe22Type", RefKind::Cpe22),
            ("PERSISTENT_ID", "swh", RefKind::Swhid),
            ("PERSISTENT-ID", "gitoid", RefKind::Gitoid),
            // Known types under another category, and other types, are kept verbatim.
            ("OTHER", "purl", other("OTHER", "purl")),
            ("SECURITY", "advisory", other("SECURITY", "advisory")),
            ("PACKAGE_MANAGER", "npm", other("PACKAGE_MANAGER", "npm")),
        ];
        for (category, kind, expected) in cases {
            let v = json!({
                "referenceCategory": category,
                "referenceType": kind,
                "referenceLocator": "L",
            });
            let r = read_external_ref(&v, "t.json", "/x").expect("reads");
            assert_eq!(
                r,
                ExternalRef {
                    kind: expected,
                    locator: "L".into(),
                    comment: None,
                },
                "{category} {kind}"
            );
        }
    }

    #[test]
    fn wrong_types_and_missing_values_name_the_pointer() {
        let with = |edit: &dyn Fn(&mut Value)| {
            let mut v = minimal();
            edit(&mut v);
            v
        };
        let cases: [(Value, &str, &str); 14] = [
            (json!([]), "", "expected an object, found an array"),
            (
                with(&|v| v["spdxVersion"] = json!("SPDX-2.1")),
                "/spdxVersion",
                "SPDX 2.1 is not a version bomsmith reads (SPDX-2.2, SPDX-2.3 are)",
            ),
            (
                with(&|v| v["creationInfo"]["creators"] = json!([1])),
                "/creationInfo/creators/0",
                "expected a string",
            ),
            (
                with(&|v| v["packages"][0]["filesAnalyzed"] = json!("yes")),
                "/packages/0/filesAnalyzed",
                "expected a boolean, found a string",
            ),
            (
                with(&|v| {
                    if let Some(p) = v["packages"][0].as_object_mut() {
                        p.remove("downloadLocation");
                    }
                }),
                "/packages/0",
                "required field `downloadLocation` is missing",
            ),
            (
                with(&|v| {
                    v["packages"][0]["checksums"] =
                        json!([{"algorithm": "SHA999", "checksumValue": "00"}]);
                }),
                "/packages/0/checksums/0/algorithm",
                "unknown checksum algorithm `SHA999`",
            ),
            (
                with(&|v| v["packages"][0]["primaryPackagePurpose"] = json!("TOY")),
                "/packages/0/primaryPackagePurpose",
                "unknown package purpose `TOY`",
            ),
            (
                with(&|v| v["packages"][0]["packageVerificationCode"] = json!("abc")),
                "/packages/0/packageVerificationCode",
                "expected an object, found a string",
            ),
            (
                with(&|v| v["packages"][0]["hasFiles"] = json!([1])),
                "/packages/0/hasFiles/0",
                "expected a string",
            ),
            (
                with(&|v| {
                    v["packages"][0]["externalRefs"] = json!([{
                        "referenceCategory": "SECURITY", "referenceType": "cpe23Type",
                        "referenceLocator": "x", "url": "y",
                    }]);
                }),
                "/packages/0/externalRefs/0/url",
                "unknown field `url` (not part of SPDX 2.3)",
            ),
            (
                with(&|v| v["packages"][0]["SPDXID"] = json!("SPDXRef-a b")),
                "/packages/0/SPDXID",
                "`SPDXRef-a b` is not an element ID (`SPDXRef-` then letters, digits, `.` or `-`)",
            ),
            (
                with(&|v| {
                    v["files"] = json!([{"SPDXID": "SPDXRef-p", "fileName": "f", "checksums": []}]);
                }),
                "/files/0/SPDXID",
                "duplicate SPDXID `SPDXRef-p` (first at /packages/0)",
            ),
            (
                with(&|v| {
                    v["relationships"] =
                        json!([{"spdxElementId": "SPDXRef-p", "relationshipType": "CONTAINS"}]);
                }),
                "/relationships/0",
                "required field `relatedSpdxElement` is missing",
            ),
            (
                with(&|v| v["documentDescribes"] = json!("SPDXRef-p")),
                "/documentDescribes",
                "expected an array, found a string",
            ),
        ];
        for (v, pointer, message) in cases {
            assert_eq!(
                pointer_and_message(read_value(&v, "t.json")),
                (pointer.to_owned(), message.to_owned()),
                "{v}"
            );
        }
    }

    #[test]
    fn single_object_readers_report_below_the_given_pointer() {
        let r = json!({
            "referenceCategory": "SECURITY", "referenceType": "cpe23Type",
            "referenceLocator": "x", "url": "y",
        });
        assert_eq!(
            pointer_and_message(read_external_ref(&r, "t.json", "/metadata/properties")),
            (
                "/metadata/properties/url".to_owned(),
                "unknown field `url` (not part of SPDX 2.3)".to_owned()
            )
        );
        let d = json!({"externalDocumentId": "DocumentRef-x", "spdxDocument": "https://x.example"});
        assert_eq!(
            pointer_and_message(read_external_document(&d, "t.json", "/p")),
            (
                "/p".to_owned(),
                "required field `checksum` is missing".to_owned()
            )
        );
        let l = json!({"licenseId": "LicenseRef-a", "extractedText": "t", "seeAlsos": [1]});
        assert_eq!(
            pointer_and_message(read_extracted_license(&l, "t.json", "/p")),
            ("/p/seeAlsos/0".to_owned(), "expected a string".to_owned())
        );
        let l = json!({"licenseId": "LicenseRef-a", "extractedText": "t"});
        assert_eq!(
            read_extracted_license(&l, "t.json", "/p").expect("reads"),
            ExtractedLicense {
                id: "LicenseRef-a".into(),
                text: "t".into(),
                ..ExtractedLicense::default()
            }
        );
    }

    #[test]
    fn spdx_2_2_reads_with_its_own_schema() {
        let mut v = minimal();
        v["spdxVersion"] = json!("SPDX-2.2");
        // SPDX 2.2 requires these, 2.3 does not; the schema's spelling of the category.
        v["packages"][0]["licenseConcluded"] = json!("MIT");
        v["packages"][0]["licenseDeclared"] = json!("MIT");
        v["packages"][0]["copyrightText"] = json!("NOASSERTION");
        v["packages"][0]["externalRefs"] = json!([{
            "referenceCategory": "PACKAGE_MANAGER", "referenceType": "purl",
            "referenceLocator": "pkg:generic/p@1",
        }]);
        let (doc, report) = read_ok(&v);
        assert_eq!(report, ReadReport::default());
        let p = &doc.packages[0];
        assert_eq!(p.purl(), Some("pkg:generic/p@1"));
        assert_eq!(p.purpose, None);
        assert_eq!(p.license_declared.as_deref(), Some("MIT"));
        // Fields 2.3 added are not part of 2.2.
        for (field, value) in [
            ("primaryPackagePurpose", json!("LIBRARY")),
            ("releaseDate", json!("2024-01-01T00:00:00Z")),
            ("builtDate", json!("2024-01-01T00:00:00Z")),
            ("validUntilDate", json!("2024-01-01T00:00:00Z")),
        ] {
            let mut w = v.clone();
            w["packages"][0][field] = value;
            assert_eq!(
                pointer_and_message(read_value(&w, "t.json")),
                (
                    format!("/packages/0/{field}"),
                    format!("unknown field `{field}` (not part of SPDX 2.2)")
                )
            );
        }
        let mut w = v.clone();
        w["$schema"] = json!("https://spdx.org/schema/spdx-2.2.json");
        assert_eq!(pointer_and_message(read_value(&w, "t.json")).0, "/$schema");
        // A 2.2 document may leave out its namespace; reading leaves it empty for
        // `format::complete` to supply.
        let mut w = v;
        w.as_object_mut().map(|m| m.remove("documentNamespace"));
        assert_eq!(read_ok(&w).0.namespace, "");
    }

    #[test]
    fn the_field_lists_are_the_spdx_2_3_schema() {
        let kinds: [(&str, &[&str], &[&str]); 3] = [
            ("", DOCUMENT_MODELED, UNMODELED_DOCUMENT),
            ("packages", PACKAGE_MODELED, UNMODELED_PACKAGE),
            ("files", FILE_MODELED, UNMODELED_FILE),
        ];
        for (def, modeled, unmodeled) in kinds {
            let mut ours: Vec<&str> = modeled.iter().chain(unmodeled).copied().collect();
            let mut schema = Spec::Spdx23.fields(def);
            ours.sort_unstable();
            schema.sort_unstable();
            assert_eq!(ours, schema, "{def:?}");
        }
    }
}
