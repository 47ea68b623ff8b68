//! The SPDX reader: SPDX 2.3 JSON → model.
//!
//! A field SPDX 2.3 does not have is an error with its JSON pointer; a field it has but the
//! model does not hold is counted in the [`ReadReport`].

use super::{NOASSERTION, SPDX_VERSION, parse_json};
use crate::error::Result;
use crate::format::{Fields, ReadReport};
use crate::json::{kind_name as kind_of, pointer_child as child};
use crate::model::{
    Algorithm, Checksum, Document, ExternalDocument, ExternalRef, ExtractedLicense, File, Package,
    Purpose, RefKind, Relationship,
};
use serde_json::{Map, Value};

struct Reader<'a> {
    file: &'a str,
    report: ReadReport,
}

/// Reads an SPDX 2.3 JSON document. `file` names it in errors.
pub fn read(bytes: &[u8], file: &str) -> Result<(Document, ReadReport)> {
    read_value(&parse_json(bytes, file)?, file)
}

/// Reads an SPDX 2.3 document already parsed as JSON. `file` names it in errors.
pub fn read_value(value: &Value, file: &str) -> Result<(Document, ReadReport)> {
    let mut r = Reader {
        file,
        report: ReadReport::default(),
    };
    let doc = r.document(value)?;
    Ok((doc, r.report))
}

/// Reads one external reference object, as [`super::external_ref_value`] writes it.
pub fn read_external_ref(v: &Value, file: &str, pointer: &str) -> Result<ExternalRef> {
    Reader {
        file,
        report: ReadReport::default(),
    }
    .external_ref(v, pointer)
}

/// Reads one external document reference, as [`super::external_document_value`] writes it.
pub fn read_external_document(v: &Value, file: &str, pointer: &str) -> Result<ExternalDocument> {
    Reader {
        file,
        report: ReadReport::default(),
    }
    .external_document(v, pointer)
}

/// Reads one extracted license object, as [`super::extracted_license_value`] writes it.
pub fn read_extracted_license(v: &Value, file: &str, pointer: &str) -> Result<ExtractedLicense> {
    Reader {
        file,
        report: ReadReport::default(),
    }
    .extracted_license(v, pointer)
}

/// Fields valid in SPDX 2.3 that the model does not hold, per object kind.
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
        for key in m.keys() {
            if modeled.contains(&key.as_str()) {
                continue;
            }
            if unmodeled.contains(&key.as_str()) {
                self.report.drop(format!("{kind}{key}"));
                continue;
            }
            return Err(self.err(
                &child(pointer, key),
                format!("unknown field `{key}` (not part of SPDX 2.3)"),
            ));
        }
        Ok(())
    }

    fn document(&mut self, v: &Value) -> Result<Document> {
        let m = self.object(v, "")?;
        self.check_keys(
            m,
            "",
            "",
            &[
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
            ],
            UNMODELED_DOCUMENT,
        )?;
        let version = self.req_str(m, "spdxVersion", "")?;
        if version != SPDX_VERSION {
            return Err(self.err(
                "/spdxVersion",
                format!("`{version}` is not supported (expected `{SPDX_VERSION}`)"),
            ));
        }
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
            &[
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
            ],
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
        self.check_keys(
            m,
            pointer,
            "files[].",
            &[
                "SPDXID",
                "fileName",
                "checksums",
                "licenseConcluded",
                "copyrightText",
                "comment",
            ],
            UNMODELED_FILE,
        )?;
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
    use super::*;
    use crate::format::spdx2::{tests::sample, write};

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
}
