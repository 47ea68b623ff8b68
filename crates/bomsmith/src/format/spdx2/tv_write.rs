//! The SPDX tag-value writer: model → SPDX 2.3 tag-value.
//!
//! Deterministic: the document is put in canonical order first (packages, files, relationships
//! by ID), and written in the section order of SPDX 2.3 clause 5: the document creation
//! information, the files that are in no package, each package followed by its files, the
//! licenses outside the SPDX list, then the relationships. A file right after a package is in
//! it (clause 5.2.3), so those CONTAINS relationships are said by position and not repeated;
//! the document's DESCRIBES come first, with the creation information, as the specification's
//! own example has them. Free text (comments, copyright, descriptions, license texts) goes in
//! `<text>…</text>`, and so does any other value that needs it (a line break, or white space
//! at either end, that a plain value would lose).

use super::{NOASSERTION, SPDX_VERSION};
use crate::model::{Checksum, DOCUMENT_ID, Document, ExternalRef, RefKind};
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

/// Writes `doc` as SPDX 2.3 tag-value.
pub fn write_tag_value(doc: &Document) -> String {
    let mut doc = doc.clone();
    doc.canonicalize();
    let mut w = Writer {
        out: String::with_capacity(256 + doc.files.len() * 256),
    };
    w.comment("Document Information");
    w.plain("SPDXVersion", SPDX_VERSION);
    w.plain("DataLicense", &doc.data_license);
    w.plain("SPDXID", DOCUMENT_ID);
    w.plain("DocumentName", &doc.name);
    w.plain("DocumentNamespace", &doc.namespace);
    for d in &doc.external_documents {
        w.plain(
            "ExternalDocumentRef",
            &format!("{} {} {}", d.id, d.namespace, checksum(&d.checksum)),
        );
    }
    w.opt_text("DocumentComment", &doc.comment);
    w.blank();
    w.comment("Creation Information");
    w.opt("LicenseListVersion", &doc.license_list_version);
    for c in &doc.creators {
        w.plain("Creator", c);
    }
    w.plain("Created", &doc.created);

    // Where each file goes: after the first package (in written order) that CONTAINS it.
    let files_by_id: HashMap<&str, usize> = doc
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.id.as_str(), i))
        .collect();
    let package_ids: HashSet<&str> = doc.packages.iter().map(|p| p.id.as_str()).collect();
    let mut owner: Vec<Option<&str>> = vec![None; doc.files.len()];
    for r in &doc.relationships {
        if r.kind == "CONTAINS"
            && package_ids.contains(r.from.as_str())
            && let Some(&f) = files_by_id.get(r.to.as_str())
        {
            match owner[f] {
                Some(o) if o <= r.from.as_str() => {}
                _ => owner[f] = Some(r.from.as_str()),
            }
        }
    }
    let implicit = |from: &str, kind: &str, to: &str| {
        kind == "CONTAINS" && files_by_id.get(to).is_some_and(|&f| owner[f] == Some(from))
    };

    let describes: Vec<_> = doc
        .relationships
        .iter()
        .filter(|r| r.from == DOCUMENT_ID && r.kind == "DESCRIBES")
        .collect();
    if !describes.is_empty() {
        w.blank();
        w.comment("Relationships");
        for r in &describes {
            w.plain("Relationship", &format!("{} {} {}", r.from, r.kind, r.to));
        }
    }

    for (i, f) in doc.files.iter().enumerate() {
        if owner[i].is_none() {
            w.file(f);
        }
    }
    let mut by_owner: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, o) in owner.iter().enumerate() {
        if let Some(o) = o {
            by_owner.entry(o).or_default().push(i);
        }
    }
    for p in &doc.packages {
        w.blank();
        w.comment("Package Information");
        w.plain("PackageName", &p.name);
        w.plain("SPDXID", &p.id);
        // A version stated as unknown is JSON's `"versionInfo": "NOASSERTION"`; tag-value reads
        // NOASSERTION there as a keyword PackageVersion does not take (spdx-tools' grammar is
        // `PKG_VERSION LINE`), so the unknown is said by leaving the tag out.
        if p.version.as_deref() != Some(NOASSERTION) {
            w.opt("PackageVersion", &p.version);
        }
        w.opt("PackageFileName", &p.file_name);
        w.opt("PackageSupplier", &p.supplier);
        w.opt("PackageOriginator", &p.originator);
        w.plain(
            "PackageDownloadLocation",
            p.download_location.as_deref().unwrap_or(NOASSERTION),
        );
        w.plain(
            "FilesAnalyzed",
            if p.files_analyzed { "true" } else { "false" },
        );
        w.opt("PackageVerificationCode", &p.verification_code);
        for c in &p.checksums {
            w.plain("PackageChecksum", &checksum(c));
        }
        w.opt("PackageHomePage", &p.homepage);
        w.opt_text("PackageSourceInfo", &p.source_info);
        w.opt("PackageLicenseConcluded", &p.license_concluded);
        w.opt("PackageLicenseDeclared", &p.license_declared);
        w.opt_text("PackageCopyrightText", &p.copyright_text);
        w.opt_text("PackageSummary", &p.summary);
        w.opt_text("PackageDescription", &p.description);
        w.opt_text("PackageComment", &p.comment);
        for r in &p.external_refs {
            w.plain("ExternalRef", &external_ref(r));
            w.opt_text("ExternalRefComment", &r.comment);
        }
        if let Some(purpose) = p.purpose {
            w.plain("PrimaryPackagePurpose", purpose.name());
        }
        w.opt("ReleaseDate", &p.release_date);
        for &f in by_owner.get(p.id.as_str()).map_or(&[][..], Vec::as_slice) {
            w.file(&doc.files[f]);
        }
    }
    for l in &doc.extracted_licenses {
        w.blank();
        w.comment("License Information");
        w.plain("LicenseID", &l.id);
        w.text("ExtractedText", &l.text);
        w.opt("LicenseName", &l.name);
        for s in &l.see_also {
            w.plain("LicenseCrossReference", s);
        }
        w.opt_text("LicenseComment", &l.comment);
    }
    let rest: Vec<_> = doc
        .relationships
        .iter()
        .filter(|r| !(r.from == DOCUMENT_ID && r.kind == "DESCRIBES"))
        .filter(|r| !implicit(&r.from, &r.kind, &r.to))
        .collect();
    if !rest.is_empty() {
        w.blank();
        w.comment("Relationships");
        for r in rest {
            w.plain("Relationship", &format!("{} {} {}", r.from, r.kind, r.to));
        }
    }
    w.out
}

fn checksum(c: &Checksum) -> String {
    format!("{}: {}", c.algorithm.name(), c.value)
}

/// `CATEGORY TYPE LOCATOR`, with the categories spelled as SPDX 2.3's tag-value examples do.
fn external_ref(r: &ExternalRef) -> String {
    let (category, kind) = match &r.kind {
        RefKind::Purl => ("PACKAGE-MANAGER", "purl"),
        RefKind::Cpe23 => ("SECURITY", "cpe23Type"),
        RefKind::Cpe22 => ("SECURITY", "cpe22Type"),
        RefKind::Swhid => ("PERSISTENT-ID", "swh"),
        RefKind::Gitoid => ("PERSISTENT-ID", "gitoid"),
        RefKind::Other { category, kind } => (category.as_str(), kind.as_str()),
    };
    format!("{category} {kind} {}", r.locator)
}

struct Writer {
    out: String,
}

impl Writer {
    fn blank(&mut self) {
        self.out.push('\n');
    }

    fn comment(&mut self, what: &str) {
        let _ = writeln!(self.out, "## {what}");
    }

    /// A value on its line, unless it needs `<text>`.
    fn plain(&mut self, tag: &str, value: &str) {
        if needs_text(value) {
            self.text(tag, value);
        } else {
            let _ = writeln!(self.out, "{tag}: {value}");
        }
    }

    fn opt(&mut self, tag: &str, value: &Option<String>) {
        if let Some(v) = value {
            self.plain(tag, v);
        }
    }

    /// Free text: in `<text>` unless it is `NOASSERTION` or `NONE`.
    fn opt_text(&mut self, tag: &str, value: &Option<String>) {
        match value.as_deref() {
            None => {}
            Some(v @ ("NOASSERTION" | "NONE")) => self.plain(tag, v),
            Some(v) => self.text(tag, v),
        }
    }

    fn text(&mut self, tag: &str, value: &str) {
        // A value cannot hold `</text>` in tag-value: its `<` is written as `&lt;` (see
        // docs/conversion.md).
        let value = value.replace("</text>", "&lt;/text>");
        let _ = writeln!(self.out, "{tag}: <text>{value}</text>");
    }

    fn file(&mut self, f: &crate::model::File) {
        self.blank();
        self.comment("File Information");
        self.plain("FileName", &f.name);
        self.plain("SPDXID", &f.id);
        for c in &f.checksums {
            self.plain("FileChecksum", &checksum(c));
        }
        self.opt("LicenseConcluded", &f.license_concluded);
        self.opt_text("FileCopyrightText", &f.copyright_text);
        self.opt_text("FileComment", &f.comment);
    }
}

/// True when a plain `Tag: value` line would not read back as `value`.
fn needs_text(value: &str) -> bool {
    value.is_empty()
        || value.contains(['\n', '\r'])
        || value.starts_with(char::is_whitespace)
        || value.ends_with(char::is_whitespace)
        || value.starts_with("<text>")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::spdx2::tests::sample;
    use crate::model::{ExtractedLicense, File, Package, Relationship};

    #[test]
    fn an_unknown_version_is_no_package_version_line() {
        let mut doc = sample();
        doc.packages.push(Package {
            id: "SPDXRef-PACKAGE-xz".into(),
            name: "xz".into(),
            version: Some(NOASSERTION.into()),
            ..Package::default()
        });
        let tv = write_tag_value(&doc);
        let xz = &tv[tv.find("PackageName: xz").expect("xz")..];
        let xz = &xz[..xz.find("\n\n").unwrap_or(xz.len())];
        assert!(!xz.contains("PackageVersion"), "{xz}");
        assert!(!tv.contains("PackageVersion: NOASSERTION"), "{tv}");
    }

    #[test]
    fn sections_come_in_the_specification_order_and_read_back() {
        let mut doc = sample();
        doc.comment = Some("line one\nline two".into());
        doc.files.push(File {
            id: "SPDXRef-FILE-loose".into(),
            name: "loose".into(),
            ..File::default()
        });
        doc.packages.push(Package {
            id: "SPDXRef-PACKAGE-b".into(),
            name: " spaced ".into(),
            copyright_text: Some("NOASSERTION".into()),
            description: Some("has </text> inside".into()),
            ..Package::default()
        });
        doc.relationships.push(Relationship::new(
            DOCUMENT_ID,
            "DESCRIBES",
            "SPDXRef-PACKAGE-demo",
        ));
        doc.relationships.push(Relationship::new(
            "SPDXRef-PACKAGE-b",
            "CONTAINS",
            "SPDXRef-FILE-a",
        ));
        doc.extracted_licenses.push(ExtractedLicense {
            id: "LicenseRef-x".into(),
            text: "text".into(),
            see_also: vec!["https://x.example".into()],
            ..ExtractedLicense::default()
        });
        let tv = write_tag_value(&doc);
        let at = |needle: &str| {
            tv.find(needle)
                .unwrap_or_else(|| panic!("no {needle:?} in\n{tv}"))
        };
        assert!(tv.starts_with("## Document Information\nSPDXVersion: SPDX-2.3\n"));
        assert!(at("Created:") < at("Relationship: SPDXRef-DOCUMENT DESCRIBES"));
        assert!(
            at("FileName: loose") < at("PackageName: demo"),
            "loose files first"
        );
        // demo's file after the package; b (written first) owns it by position.
        assert!(at("PackageName: <text> spaced </text>") < at("FileName: a"));
        assert!(at("FileName: a") < at("PackageName: demo"));
        assert!(tv.contains("Relationship: SPDXRef-PACKAGE-demo CONTAINS SPDXRef-FILE-a\n"));
        assert!(
            !tv.contains("Relationship: SPDXRef-PACKAGE-b CONTAINS"),
            "said by position"
        );
        assert!(tv.contains("DocumentComment: <text>line one\nline two</text>\n"));
        assert!(tv.contains("PackageCopyrightText: NOASSERTION\n"));
        assert!(tv.contains("ExternalRef: PACKAGE-MANAGER purl pkg:generic/demo@1.0\n"));
        assert!(at("LicenseID: LicenseRef-x") > at("PackageName: demo"));

        let (mut back, report) =
            super::super::tv_read::read(tv.as_bytes(), "t.spdx").expect("reads back");
        assert_eq!(report.total(), 0, "{report:?}");
        let mut expected = doc.clone();
        expected.packages[1].description = Some("has &lt;/text> inside".into());
        expected.canonicalize();
        back.canonicalize();
        assert_eq!(back, expected);
        assert_eq!(write_tag_value(&doc), tv, "deterministic");
    }
}
