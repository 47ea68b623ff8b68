//! The SPDX tag-value reader: SPDX 2.2 and 2.3 tag-value → the JSON shape → model.
//!
//! Tag-value is parsed into the `serde_json::Value` that the SPDX JSON of the same document
//! would give, with a map from each JSON pointer to the line that said it. The JSON reader then
//! makes the model, and `validate` applies the SPDX rules, of one document shape; every error
//! and diagnostic is placed at `file:line` through the map. What only tag-value can get wrong
//! (a line that is not `Tag: value`, an unknown tag, a `<text>` never closed, a malformed
//! checksum, range, relationship or reference, a tag outside its section, a single-valued tag
//! given twice) is an [`Error::Text`] at its line.
//!
//! The syntax, from SPDX 2.3 clause 5 and each field's tag-value examples: one `Tag: value` per
//! line; a value may instead be `<text>…</text>` over several lines (kept verbatim); lines
//! starting with `#` are comments. Position is significant: `PackageName`, `FileName`,
//! `SnippetSPDXID` and `LicenseID` start sections, and the files after a package are its files
//! (read as the JSON's `hasFiles`, i.e. CONTAINS). `Annotator` and `Reviewer` start an
//! annotation and a review; `SPDXREF` says which element an annotation is on.

use super::read_value;
use crate::error::{Error, Result};
use crate::format::ReadReport;
use serde_json::{Map, Value, json};
use std::collections::HashMap;

/// A tag-value document in the JSON shape, and where each part of it was said.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The document as SPDX JSON would state it.
    pub value: Value,
    /// Line (1-based) of each JSON pointer that was given a value.
    pub lines: Lines,
    /// Lines holding bytes that are not UTF-8 (read as U+FFFD), in order.
    pub not_utf8: Vec<usize>,
}

/// JSON pointer → line of a parsed tag-value document.
#[derive(Debug, Clone, Default)]
pub struct Lines(HashMap<String, usize>);

impl Lines {
    fn set(&mut self, pointer: String, line: usize) {
        self.0.entry(pointer).or_insert(line);
    }

    /// The line of `pointer`, or of its nearest ancestor that has one (line 1 for the
    /// document itself).
    pub fn line(&self, pointer: &str) -> usize {
        let mut p = pointer;
        loop {
            if let Some(&l) = self.0.get(p) {
                return l;
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return 1,
            }
        }
    }
}

/// True when `bytes` look like SPDX tag-value: a line `SPDXVersion: …` near the top, or a first
/// line (past blank lines and comments) that starts with a tag this reader knows.
pub fn sniff(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let text = String::from_utf8_lossy(head);
    let text = text.trim_start_matches('\u{feff}');
    let mut significant = text
        .lines()
        .take(200)
        .map(str::trim_start)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .peekable();
    // YAML SPDX may begin `SPDXID: …` too; its version key is spelled as in JSON.
    if significant
        .clone()
        .any(|l| l.starts_with("spdxVersion:") || l.starts_with("bomFormat:"))
    {
        return false;
    }
    if let Some(first) = significant.peek()
        && let Some((tag, _)) = first.split_once(':')
        && known_tag(tag)
    {
        return true;
    }
    significant.any(|l| l.starts_with("SPDXVersion:"))
}

/// Reads an SPDX 2.2 or 2.3 tag-value document. `file` names it in errors, which carry the
/// line.
pub fn read(bytes: &[u8], file: &str) -> Result<(crate::model::Document, ReadReport)> {
    let parsed = parse(bytes, file)?;
    let (doc, report) = read_value(&parsed.value, file).map_err(|e| relocate(e, &parsed))?;
    let mut out = ReadReport {
        dropped: report
            .dropped
            .into_iter()
            .map(|(field, n)| (with_tag(&field), n))
            .collect(),
        recast: report.recast,
        renamed: report.renamed,
    };
    if !parsed.not_utf8.is_empty() {
        // Each such line lost its bytes to U+FFFD.
        *out.dropped
            .entry("bytes that are not UTF-8 (read as U+FFFD)".to_owned())
            .or_default() += parsed.not_utf8.len();
    }
    Ok((doc, out))
}

/// An error of the JSON reader (at a pointer, in JSON names) placed at its line, in tag names.
fn relocate(e: Error, parsed: &Parsed) -> Error {
    match e {
        Error::Document {
            file,
            pointer,
            message,
        } => Error::Text {
            line: parsed.lines.line(&pointer),
            message: first_at_line(&in_tags(&message, &pointer), &parsed.lines),
            file,
        },
        other => other,
    }
}

/// `(first at /files/0)` of the JSON reader's messages as `(first at line 9)`.
fn first_at_line(message: &str, lines: &Lines) -> String {
    const AT: &str = "(first at /";
    match message.find(AT) {
        Some(i) => {
            let rest = &message[i + AT.len() - 1..];
            let end = rest.find(')').unwrap_or(rest.len());
            format!(
                "{}(first at line {}{}",
                &message[..i],
                lines.line(&rest[..end]),
                &rest[end..]
            )
        }
        None => message.to_owned(),
    }
}

/// The section of a JSON pointer (`/packages/3/name` → `packages`), as in [`TAGS`].
fn section_of(pointer: &str) -> Sec {
    let first = pointer.split('/').nth(1).unwrap_or("");
    match first {
        "packages" if pointer.contains("/externalRefs/") => Sec::ExtRef,
        "packages" => Sec::Package,
        "files" => Sec::File,
        "snippets" => Sec::Snippet,
        "hasExtractedLicensingInfos" => Sec::License,
        "relationships" => Sec::Relationship,
        "creationInfo" => Sec::Creation,
        _ => Sec::Doc,
    }
}

/// `message` with each backquoted JSON member name of the pointer's section replaced by its tag.
fn in_tags(message: &str, pointer: &str) -> String {
    let sec = section_of(pointer);
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(open) = rest.find('`') {
        out.push_str(&rest[..=open]);
        rest = &rest[open + 1..];
        let Some(close) = rest.find('`') else { break };
        let word = &rest[..close];
        let secs: &[Sec] = if word == "spdxVersion" || word == "SPDXID" {
            &[Sec::Doc]
        } else {
            std::slice::from_ref(&sec)
        };
        let tag = TAGS
            .iter()
            .find(|t| t.key == word && secs.contains(&t.sec))
            .map_or(word, |t| t.tag);
        out.push_str(tag);
        out.push('`');
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// A dropped field's JSON path with the tag that says it in tag-value:
/// `packages[].attributionTexts (PackageAttributionText)`.
fn with_tag(field: &str) -> String {
    let (sec, key) = match field.rsplit_once('.') {
        Some(("packages[]", k)) => (Sec::Package, k),
        Some(("files[]", k)) => (Sec::File, k),
        Some(("creationInfo", k)) => (Sec::Creation, k),
        Some(("relationships[]", k)) => (Sec::Relationship, k),
        Some(("hasExtractedLicensingInfos[]", k)) => (Sec::License, k),
        Some(("packages[].packageVerificationCode", _)) => {
            return format!("{field} (PackageVerificationCode excludes)");
        }
        Some(_) => return field.to_owned(),
        None => (Sec::Doc, field),
    };
    let tag = match key {
        "annotations" => Some("Annotator"),
        "snippets" => Some("SnippetSPDXID"),
        "revieweds" => Some("Reviewer"),
        "artifactOfs" => Some("ArtifactOfProjectName"),
        _ => TAGS
            .iter()
            .find(|t| t.key == key && t.sec == sec)
            .map(|t| t.tag),
    };
    match tag {
        Some(tag) => format!("{field} ({tag})"),
        None => field.to_owned(),
    }
}

/// Which part of the document a tag belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sec {
    /// The document itself.
    Doc,
    /// Its `creationInfo`.
    Creation,
    Package,
    File,
    Snippet,
    /// An extracted license (`LicenseID`).
    License,
    Annotation,
    Review,
    /// The last `Relationship`.
    Relationship,
    /// The last `ExternalRef` of the current package.
    ExtRef,
    /// The last `ArtifactOfProjectName` of the current file.
    ArtifactOf,
}

impl Sec {
    fn name(self) -> &'static str {
        match self {
            Sec::Doc | Sec::Creation => "document",
            Sec::Package => "package",
            Sec::File => "file",
            Sec::Snippet => "snippet",
            Sec::License => "license (`LicenseID`)",
            Sec::Annotation => "annotation (`Annotator`)",
            Sec::Review => "review (`Reviewer`)",
            Sec::Relationship => "relationship",
            Sec::ExtRef => "external reference (`ExternalRef`)",
            Sec::ArtifactOf => "`ArtifactOfProjectName`",
        }
    }

    /// The tag that starts a section of this kind.
    fn starter(self) -> &'static str {
        match self {
            Sec::Doc | Sec::Creation => "SPDXVersion",
            Sec::Package => "PackageName",
            Sec::File => "FileName",
            Sec::Snippet => "SnippetSPDXID",
            Sec::License => "LicenseID",
            Sec::Annotation => "Annotator",
            Sec::Review => "Reviewer",
            Sec::Relationship => "Relationship",
            Sec::ExtRef => "ExternalRef",
            Sec::ArtifactOf => "ArtifactOfProjectName",
        }
    }
}

/// How a tag's value becomes JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum How {
    /// A string, said once.
    Str,
    /// One string of an array, one per line.
    List,
    /// `true` or `false`.
    Bool,
    /// `ALGORITHM: hex`, one of the `checksums` array.
    Checksum,
    /// A comma-separated list of strings (`LicenseCrossReference`).
    Commas,
    /// Handled on its own: it starts a section, or its value has parts.
    Special,
}

/// A tag and its place in the JSON shape.
struct Tag {
    tag: &'static str,
    sec: Sec,
    key: &'static str,
    how: How,
}

const fn t(tag: &'static str, sec: Sec, key: &'static str, how: How) -> Tag {
    Tag { tag, sec, key, how }
}

/// Every tag of SPDX 2.2 and 2.3 tag-value (2.3 added `PrimaryPackagePurpose`, `ReleaseDate`,
/// `BuiltDate` and `ValidUntilDate`; the JSON reader rejects them in a 2.2 document).
const TAGS: &[Tag] = &[
    t("SPDXVersion", Sec::Doc, "spdxVersion", How::Str),
    t("DataLicense", Sec::Doc, "dataLicense", How::Str),
    t("SPDXID", Sec::Doc, "SPDXID", How::Special),
    t("DocumentName", Sec::Doc, "name", How::Str),
    t("DocumentNamespace", Sec::Doc, "documentNamespace", How::Str),
    t(
        "ExternalDocumentRef",
        Sec::Doc,
        "externalDocumentRefs",
        How::Special,
    ),
    t("DocumentComment", Sec::Doc, "comment", How::Str),
    t(
        "LicenseListVersion",
        Sec::Creation,
        "licenseListVersion",
        How::Str,
    ),
    t("Creator", Sec::Creation, "creators", How::List),
    t("Created", Sec::Creation, "created", How::Str),
    t("CreatorComment", Sec::Creation, "comment", How::Str),
    t("PackageName", Sec::Package, "name", How::Special),
    t("PackageVersion", Sec::Package, "versionInfo", How::Str),
    t("PackageFileName", Sec::Package, "packageFileName", How::Str),
    t("PackageSupplier", Sec::Package, "supplier", How::Str),
    t("PackageOriginator", Sec::Package, "originator", How::Str),
    t(
        "PackageDownloadLocation",
        Sec::Package,
        "downloadLocation",
        How::Str,
    ),
    t("FilesAnalyzed", Sec::Package, "filesAnalyzed", How::Bool),
    t(
        "PackageVerificationCode",
        Sec::Package,
        "packageVerificationCode",
        How::Special,
    ),
    t("PackageChecksum", Sec::Package, "checksums", How::Checksum),
    t("PackageHomePage", Sec::Package, "homepage", How::Str),
    t("PackageSourceInfo", Sec::Package, "sourceInfo", How::Str),
    t(
        "PackageLicenseConcluded",
        Sec::Package,
        "licenseConcluded",
        How::Str,
    ),
    t(
        "PackageLicenseInfoFromFiles",
        Sec::Package,
        "licenseInfoFromFiles",
        How::List,
    ),
    t(
        "PackageLicenseDeclared",
        Sec::Package,
        "licenseDeclared",
        How::Str,
    ),
    t(
        "PackageLicenseComments",
        Sec::Package,
        "licenseComments",
        How::Str,
    ),
    t(
        "PackageCopyrightText",
        Sec::Package,
        "copyrightText",
        How::Str,
    ),
    t("PackageSummary", Sec::Package, "summary", How::Str),
    t("PackageDescription", Sec::Package, "description", How::Str),
    t("PackageComment", Sec::Package, "comment", How::Str),
    t("ExternalRef", Sec::Package, "externalRefs", How::Special),
    t("ExternalRefComment", Sec::ExtRef, "comment", How::Str),
    t(
        "PackageAttributionText",
        Sec::Package,
        "attributionTexts",
        How::List,
    ),
    t(
        "PrimaryPackagePurpose",
        Sec::Package,
        "primaryPackagePurpose",
        How::Str,
    ),
    t("ReleaseDate", Sec::Package, "releaseDate", How::Str),
    t("BuiltDate", Sec::Package, "builtDate", How::Str),
    t("ValidUntilDate", Sec::Package, "validUntilDate", How::Str),
    t("FileName", Sec::File, "fileName", How::Special),
    t("FileType", Sec::File, "fileTypes", How::List),
    t("FileChecksum", Sec::File, "checksums", How::Checksum),
    t("LicenseConcluded", Sec::File, "licenseConcluded", How::Str),
    t(
        "LicenseInfoInFile",
        Sec::File,
        "licenseInfoInFiles",
        How::List,
    ),
    t("LicenseComments", Sec::File, "licenseComments", How::Str),
    t("FileCopyrightText", Sec::File, "copyrightText", How::Str),
    t("FileComment", Sec::File, "comment", How::Str),
    t("FileNotice", Sec::File, "noticeText", How::Str),
    t("FileContributor", Sec::File, "fileContributors", How::List),
    t(
        "FileAttributionText",
        Sec::File,
        "attributionTexts",
        How::List,
    ),
    t("FileDependency", Sec::File, "fileDependencies", How::List),
    t(
        "ArtifactOfProjectName",
        Sec::File,
        "artifactOfs",
        How::Special,
    ),
    t(
        "ArtifactOfProjectHomePage",
        Sec::ArtifactOf,
        "homePage",
        How::Str,
    ),
    t(
        "ArtifactOfProjectURI",
        Sec::ArtifactOf,
        "projectUri",
        How::Str,
    ),
    t("SnippetSPDXID", Sec::Snippet, "SPDXID", How::Special),
    t(
        "SnippetFromFileSPDXID",
        Sec::Snippet,
        "snippetFromFile",
        How::Str,
    ),
    t("SnippetByteRange", Sec::Snippet, "ranges", How::Special),
    t("SnippetLineRange", Sec::Snippet, "ranges", How::Special),
    t(
        "SnippetLicenseConcluded",
        Sec::Snippet,
        "licenseConcluded",
        How::Str,
    ),
    t(
        "LicenseInfoInSnippet",
        Sec::Snippet,
        "licenseInfoInSnippets",
        How::List,
    ),
    t(
        "SnippetLicenseComments",
        Sec::Snippet,
        "licenseComments",
        How::Str,
    ),
    t(
        "SnippetCopyrightText",
        Sec::Snippet,
        "copyrightText",
        How::Str,
    ),
    t("SnippetComment", Sec::Snippet, "comment", How::Str),
    t("SnippetName", Sec::Snippet, "name", How::Str),
    t(
        "SnippetAttributionText",
        Sec::Snippet,
        "attributionTexts",
        How::List,
    ),
    t("LicenseID", Sec::License, "licenseId", How::Special),
    t("ExtractedText", Sec::License, "extractedText", How::Str),
    t("LicenseName", Sec::License, "name", How::Str),
    t(
        "LicenseCrossReference",
        Sec::License,
        "seeAlsos",
        How::Commas,
    ),
    t("LicenseComment", Sec::License, "comment", How::Str),
    t(
        "Relationship",
        Sec::Relationship,
        "relationshipType",
        How::Special,
    ),
    t(
        "RelationshipComment",
        Sec::Relationship,
        "comment",
        How::Str,
    ),
    t("Annotator", Sec::Annotation, "annotator", How::Special),
    t(
        "AnnotationDate",
        Sec::Annotation,
        "annotationDate",
        How::Str,
    ),
    t(
        "AnnotationType",
        Sec::Annotation,
        "annotationType",
        How::Str,
    ),
    t("AnnotationComment", Sec::Annotation, "comment", How::Str),
    t("SPDXREF", Sec::Annotation, "SPDXREF", How::Special),
    t("Reviewer", Sec::Review, "reviewer", How::Special),
    t("ReviewDate", Sec::Review, "reviewDate", How::Str),
    t("ReviewComment", Sec::Review, "comment", How::Str),
];

fn known_tag(tag: &str) -> bool {
    TAGS.iter().any(|t| t.tag == tag)
}

/// Where the parser is: the element whose fields come next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cur {
    Doc,
    Package(usize),
    File(usize),
    Snippet(usize),
    License(usize),
}

/// A snippet range waiting for its file (`SnippetFromFileSPDXID` may come after it).
struct Range {
    snippet: usize,
    unit: &'static str,
    start: u64,
    end: u64,
    line: usize,
}

/// An annotation waiting for the element it is on.
struct Annotation {
    body: Map<String, Value>,
    /// Line of each member, by member name.
    lines: Vec<(String, usize)>,
    start: usize,
    target: Option<(String, usize)>,
}

#[derive(Default)]
struct Builder<'a> {
    file: &'a str,
    doc: Map<String, Value>,
    creation: Map<String, Value>,
    packages: Vec<Map<String, Value>>,
    files: Vec<Map<String, Value>>,
    /// The package each file follows, if any.
    file_owner: Vec<Option<usize>>,
    file_lines: Vec<usize>,
    snippets: Vec<Map<String, Value>>,
    ranges: Vec<Range>,
    licenses: Vec<Map<String, Value>>,
    relationships: Vec<Map<String, Value>>,
    external_documents: Vec<Value>,
    annotations: Vec<Annotation>,
    reviews: Vec<Map<String, Value>>,
    lines: Lines,
    cur: Option<Cur>,
    /// The last package with an `ExternalRef`, and the index of that reference.
    last_ref: Option<(usize, usize)>,
    last_artifact: Option<(usize, usize)>,
}

/// Parses tag-value `bytes` into the JSON shape. `file` names the document in errors.
pub fn parse(bytes: &[u8], file: &str) -> Result<Parsed> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut b = Builder {
        file,
        ..Builder::default()
    };
    let mut not_utf8 = Vec::new();
    let mut lines = bytes.split(|&c| c == b'\n').enumerate().map(|(i, raw)| {
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let text = String::from_utf8_lossy(raw);
        if matches!(text, std::borrow::Cow::Owned(_)) {
            not_utf8.push(i + 1);
        }
        (i + 1, text)
    });
    while let Some((n, line)) = lines.next() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let Some((tag, rest)) = line.split_once(':').filter(|(tag, _)| is_tag(tag.trim())) else {
            return Err(b.err(
                n,
                format!(
                    "expected `Tag: value`, found `{}` (a value without a tag)",
                    excerpt(trimmed)
                ),
            ));
        };
        let tag = tag.trim();
        let rest = rest.trim_start();
        let value = if let Some(after) = rest.strip_prefix("<text>") {
            match after.find("</text>") {
                Some(end) => {
                    b.after_text(n, &after[end + 7..])?;
                    after[..end].to_owned()
                }
                None => {
                    let mut value = after.to_owned();
                    loop {
                        let Some((m, more)) = lines.next() else {
                            return Err(b.err(
                                n,
                                format!("`<text>` of `{tag}` is never closed by `</text>`"),
                            ));
                        };
                        value.push('\n');
                        if let Some(end) = more.find("</text>") {
                            b.after_text(m, &more[end + 7..])?;
                            value.push_str(&more[..end]);
                            break;
                        }
                        value.push_str(&more);
                    }
                    value
                }
            }
        } else {
            rest.trim_end().to_owned()
        };
        b.field(n, tag, value)?;
    }
    let value = b.finish()?;
    Ok(Parsed {
        value,
        lines: b.lines,
        not_utf8,
    })
}

/// A tag is letters and digits.
fn is_tag(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|c| c.is_ascii_alphanumeric())
}

/// The start of a line, for messages.
fn excerpt(s: &str) -> String {
    let mut out: String = s.chars().take(60).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

impl Builder<'_> {
    fn err(&self, line: usize, message: impl Into<String>) -> Error {
        Error::Text {
            file: self.file.to_owned(),
            line,
            message: message.into(),
        }
    }

    fn after_text(&self, line: usize, tail: &str) -> Result<()> {
        if tail.trim().is_empty() {
            Ok(())
        } else {
            Err(self.err(
                line,
                format!("unexpected `{}` after `</text>`", excerpt(tail.trim())),
            ))
        }
    }

    /// The JSON object of the current element of kind `sec`, and its pointer.
    fn target(
        &mut self,
        n: usize,
        tag: &str,
        sec: Sec,
    ) -> Result<(&mut Map<String, Value>, String)> {
        let file = self.file;
        let cur = self.cur.unwrap_or(Cur::Doc);
        let found = match (sec, cur) {
            (Sec::Doc, _) => Some((&mut self.doc, String::new())),
            (Sec::Creation, _) => Some((&mut self.creation, "/creationInfo".to_owned())),
            (Sec::Package, Cur::Package(i)) => {
                Some((&mut self.packages[i], format!("/packages/{i}")))
            }
            (Sec::File, Cur::File(i)) => Some((&mut self.files[i], format!("/files/{i}"))),
            (Sec::Snippet, Cur::Snippet(i)) => {
                Some((&mut self.snippets[i], format!("/snippets/{i}")))
            }
            (Sec::License, Cur::License(i)) => Some((
                &mut self.licenses[i],
                format!("/hasExtractedLicensingInfos/{i}"),
            )),
            (Sec::Relationship, _) => {
                let i = self.relationships.len().saturating_sub(1);
                self.relationships
                    .last_mut()
                    .map(|m| (m, format!("/relationships/{i}")))
            }
            (Sec::ExtRef, Cur::Package(i)) => match self.last_ref {
                Some((p, r)) if p == i => Some((
                    object_at(&mut self.packages[i], "externalRefs", r),
                    format!("/packages/{i}/externalRefs/{r}"),
                )),
                _ => None,
            },
            (Sec::ArtifactOf, Cur::File(i)) => match self.last_artifact {
                Some((f, a)) if f == i => Some((
                    object_at(&mut self.files[i], "artifactOfs", a),
                    format!("/files/{i}/artifactOfs/{a}"),
                )),
                _ => None,
            },
            _ => None,
        };
        found.ok_or_else(|| {
            let here = match cur {
                Cur::Doc => "before any package, file, snippet or license",
                Cur::Package(_) => "in a package section",
                Cur::File(_) => "in a file section",
                Cur::Snippet(_) => "in a snippet section",
                Cur::License(_) => "in a license (`LicenseID`) section",
            };
            Error::Text {
                file: file.to_owned(),
                line: n,
                message: format!(
                    "`{tag}` belongs to a {} (after `{}`), but it is {here}",
                    sec.name(),
                    sec.starter()
                ),
            }
        })
    }

    fn field(&mut self, n: usize, tag: &str, value: String) -> Result<()> {
        let Some(spec) = TAGS.iter().find(|t| t.tag == tag) else {
            return Err(self.err(
                n,
                format!("unknown tag `{tag}` (not a tag of SPDX 2.2 or 2.3 tag-value)"),
            ));
        };
        match (spec.how, tag) {
            (How::Special, _) => self.special(n, tag, value),
            (_, _) if spec.sec == Sec::Annotation || spec.sec == Sec::Review => {
                let list_is_empty = if spec.sec == Sec::Annotation {
                    self.annotations.is_empty()
                } else {
                    self.reviews.is_empty()
                };
                if list_is_empty {
                    return Err(self.err(
                        n,
                        format!(
                            "`{tag}` belongs to an {} but none was started",
                            spec.sec.name()
                        ),
                    ));
                }
                if spec.sec == Sec::Annotation {
                    let a = self.annotations.last_mut().map(|a| {
                        let first = a.lines.iter().find(|(k, _)| k == spec.key).map(|x| x.1);
                        (a, first)
                    });
                    if let Some((a, first)) = a {
                        if let Some(first) = first {
                            let msg = format!("`{tag}` given twice (first at line {first})");
                            return Err(self.err(n, msg));
                        }
                        a.body.insert(spec.key.to_owned(), Value::String(value));
                        a.lines.push((spec.key.to_owned(), n));
                    }
                } else {
                    let i = self.reviews.len() - 1;
                    let pointer = format!("/revieweds/{i}/{}", spec.key);
                    self.lines.set(pointer, n);
                    if let Some(r) = self.reviews.last_mut() {
                        r.insert(spec.key.to_owned(), Value::String(value));
                    }
                }
                Ok(())
            }
            _ => {
                let value = match spec.how {
                    How::Bool => match value.as_str() {
                        "true" => Value::Bool(true),
                        "false" => Value::Bool(false),
                        other => {
                            return Err(self.err(
                                n,
                                format!(
                                    "`{tag}` must be `true` or `false`, not `{}`",
                                    excerpt(other)
                                ),
                            ));
                        }
                    },
                    How::Checksum => self.checksum(n, tag, &value)?,
                    _ => Value::String(value),
                };
                let (map, pointer) = self.target(n, tag, spec.sec)?;
                let pointer = crate::json::pointer_child(&pointer, spec.key);
                let mut set = Vec::new();
                let twice = match spec.how {
                    How::List | How::Checksum => {
                        let list = array_entry(map, spec.key);
                        set.push(format!("{pointer}/{}", list.len()));
                        list.push(value);
                        false
                    }
                    How::Commas => {
                        let list = array_entry(map, spec.key);
                        for part in value.as_str().unwrap_or_default().split(',') {
                            let part = part.trim();
                            if !part.is_empty() {
                                set.push(format!("{pointer}/{}", list.len()));
                                list.push(Value::String(part.to_owned()));
                            }
                        }
                        false
                    }
                    _ if map.contains_key(spec.key) => true,
                    _ => {
                        map.insert(spec.key.to_owned(), value);
                        false
                    }
                };
                if twice {
                    let first = self.lines.line(&pointer);
                    return Err(self.err(n, format!("`{tag}` given twice (first at line {first})")));
                }
                self.lines.set(pointer, n);
                for p in set {
                    self.lines.set(p, n);
                }
                Ok(())
            }
        }
    }

    fn checksum(&self, n: usize, tag: &str, value: &str) -> Result<Value> {
        let parsed = value.split_once(':').and_then(|(alg, hex)| {
            let (alg, hex) = (alg.trim(), hex.trim());
            let ok = !alg.is_empty()
                && !alg.contains(char::is_whitespace)
                && !hex.is_empty()
                && hex.bytes().all(|c| c.is_ascii_hexdigit());
            ok.then(|| json!({"algorithm": alg, "checksumValue": hex}))
        });
        parsed.ok_or_else(|| {
            self.err(
                n,
                format!(
                    "malformed `{tag}` `{}`: expected `ALGORITHM: hexdigits`",
                    excerpt(value)
                ),
            )
        })
    }

    /// Tags that start a section or whose values have parts.
    fn special(&mut self, n: usize, tag: &str, value: String) -> Result<()> {
        match tag {
            "PackageName" => {
                let i = self.packages.len();
                let mut m = Map::new();
                m.insert("name".into(), Value::String(value));
                self.packages.push(m);
                self.cur = Some(Cur::Package(i));
                self.lines.set(format!("/packages/{i}"), n);
                self.lines.set(format!("/packages/{i}/name"), n);
            }
            "FileName" => {
                let i = self.files.len();
                let owner = match self.cur {
                    Some(Cur::Package(p)) => Some(p),
                    Some(Cur::File(f)) => self.file_owner[f],
                    // Snippets belong to the file before them, which may belong to a package.
                    Some(Cur::Snippet(_)) => self.file_owner.last().copied().flatten(),
                    _ => None,
                };
                let mut m = Map::new();
                m.insert("fileName".into(), Value::String(value));
                self.files.push(m);
                self.file_owner.push(owner);
                self.file_lines.push(n);
                self.cur = Some(Cur::File(i));
                self.lines.set(format!("/files/{i}"), n);
                self.lines.set(format!("/files/{i}/fileName"), n);
            }
            "SnippetSPDXID" => {
                let i = self.snippets.len();
                let mut m = Map::new();
                m.insert("SPDXID".into(), Value::String(value));
                self.snippets.push(m);
                self.cur = Some(Cur::Snippet(i));
                self.lines.set(format!("/snippets/{i}"), n);
                self.lines.set(format!("/snippets/{i}/SPDXID"), n);
            }
            "LicenseID" => {
                let i = self.licenses.len();
                let mut m = Map::new();
                m.insert("licenseId".into(), Value::String(value));
                self.licenses.push(m);
                self.cur = Some(Cur::License(i));
                let p = format!("/hasExtractedLicensingInfos/{i}");
                self.lines.set(format!("{p}/licenseId"), n);
                self.lines.set(p, n);
            }
            "SPDXID" => {
                let (map, pointer) = match self.cur.unwrap_or(Cur::Doc) {
                    Cur::Doc => (&mut self.doc, String::new()),
                    Cur::Package(i) => (&mut self.packages[i], format!("/packages/{i}")),
                    Cur::File(i) => (&mut self.files[i], format!("/files/{i}")),
                    Cur::Snippet(_) | Cur::License(_) => {
                        return Err(self.err(
                            n,
                            "`SPDXID` belongs to the document, a package or a file, not here \
                             (a snippet's is `SnippetSPDXID`; a license has none)",
                        ));
                    }
                };
                if map.contains_key("SPDXID") {
                    let first = self.lines.line(&format!("{pointer}/SPDXID"));
                    return Err(
                        self.err(n, format!("`SPDXID` given twice (first at line {first})"))
                    );
                }
                map.insert("SPDXID".into(), Value::String(value));
                self.lines.set(format!("{pointer}/SPDXID"), n);
            }
            "ExternalDocumentRef" => {
                let mut parts = value.splitn(3, char::is_whitespace);
                let (id, uri, sum) = (parts.next(), parts.next(), parts.next());
                let (Some(id), Some(uri), Some(sum)) = (id, uri, sum) else {
                    return Err(self.err(
                        n,
                        format!(
                            "malformed `ExternalDocumentRef` `{}`: expected `DocumentRef-ID URI ALGORITHM: hexdigits`",
                            excerpt(&value)
                        ),
                    ));
                };
                let checksum = self.checksum(n, tag, sum.trim())?;
                let i = self.external_documents.len();
                self.external_documents.push(json!({
                    "externalDocumentId": id,
                    "spdxDocument": uri.trim(),
                    "checksum": checksum,
                }));
                self.lines.set(format!("/externalDocumentRefs/{i}"), n);
            }
            "ExternalRef" => {
                let parts: Vec<&str> = value.split_whitespace().collect();
                let [category, kind, locator] = parts[..] else {
                    return Err(self.err(
                        n,
                        format!(
                            "malformed `ExternalRef` `{}`: expected `CATEGORY TYPE LOCATOR` (no spaces in any)",
                            excerpt(&value)
                        ),
                    ));
                };
                let r = json!({
                    "referenceCategory": category,
                    "referenceType": kind,
                    "referenceLocator": locator,
                });
                let (map, pointer) = self.target(n, tag, Sec::Package)?;
                let list = array_entry(map, "externalRefs");
                let j = list.len();
                list.push(r);
                if let Some(i) = pointer.rsplit('/').next().and_then(|s| s.parse().ok()) {
                    self.last_ref = Some((i, j));
                }
                self.lines.set(format!("{pointer}/externalRefs/{j}"), n);
            }
            "ArtifactOfProjectName" => {
                let (map, pointer) = self.target(n, tag, Sec::File)?;
                let list = array_entry(map, "artifactOfs");
                let j = list.len();
                list.push(json!({"name": value}));
                if let Some(i) = pointer.rsplit('/').next().and_then(|s| s.parse().ok()) {
                    self.last_artifact = Some((i, j));
                }
                self.lines.set(format!("{pointer}/artifactOfs/{j}"), n);
            }
            "PackageVerificationCode" => {
                let (code, excluded) = match value.split_once('(') {
                    None => (value.trim(), None),
                    Some((code, rest)) => {
                        let Some(inner) = rest.trim_end().strip_suffix(')') else {
                            return Err(
                                self.err(n, "malformed `PackageVerificationCode`: `(` without `)`")
                            );
                        };
                        let inner = inner.trim();
                        let inner = inner.strip_prefix("excludes:").unwrap_or(inner);
                        let files: Vec<Value> = inner
                            .split(',')
                            .map(str::trim)
                            .filter(|s| !s.is_empty())
                            .map(|s| Value::String(s.to_owned()))
                            .collect();
                        (code.trim(), Some(files))
                    }
                };
                if code.is_empty() || code.contains(char::is_whitespace) {
                    return Err(self.err(
                        n,
                        format!(
                            "malformed `PackageVerificationCode` `{}`: expected hexdigits and optionally `(excludes: FILE, …)`",
                            excerpt(&value)
                        ),
                    ));
                }
                let mut vc = Map::new();
                vc.insert("packageVerificationCodeValue".into(), json!(code));
                if let Some(files) = excluded.filter(|f| !f.is_empty()) {
                    vc.insert(
                        "packageVerificationCodeExcludedFiles".into(),
                        Value::Array(files),
                    );
                }
                let file = self.file.to_owned();
                let (map, pointer) = self.target(n, tag, Sec::Package)?;
                if map.contains_key("packageVerificationCode") {
                    return Err(Error::Text {
                        file,
                        line: n,
                        message: "`PackageVerificationCode` given twice".into(),
                    });
                }
                map.insert("packageVerificationCode".into(), Value::Object(vc));
                self.lines
                    .set(format!("{pointer}/packageVerificationCode"), n);
            }
            "SnippetByteRange" | "SnippetLineRange" => {
                let bounds = value.split_once(':').and_then(|(a, b)| {
                    Some((a.trim().parse::<u64>().ok()?, b.trim().parse::<u64>().ok()?))
                });
                let Some((start, end)) = bounds else {
                    return Err(self.err(
                        n,
                        format!(
                            "malformed `{tag}` `{}`: expected `START:END`",
                            excerpt(&value)
                        ),
                    ));
                };
                let (_, pointer) = self.target(n, tag, Sec::Snippet)?;
                let snippet = pointer
                    .rsplit('/')
                    .next()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0);
                let unit = if tag == "SnippetByteRange" {
                    "offset"
                } else {
                    "lineNumber"
                };
                self.ranges.push(Range {
                    snippet,
                    unit,
                    start,
                    end,
                    line: n,
                });
            }
            "Relationship" => {
                let parts: Vec<&str> = value.split_whitespace().collect();
                let [from, kind, to] = parts[..] else {
                    return Err(self.err(
                        n,
                        format!(
                            "malformed `Relationship` `{}`: expected `ELEMENT TYPE ELEMENT`",
                            excerpt(&value)
                        ),
                    ));
                };
                let i = self.relationships.len();
                let mut m = Map::new();
                m.insert("spdxElementId".into(), json!(from));
                m.insert("relationshipType".into(), json!(kind));
                m.insert("relatedSpdxElement".into(), json!(to));
                self.relationships.push(m);
                self.lines.set(format!("/relationships/{i}"), n);
            }
            "Annotator" => {
                let mut body = Map::new();
                body.insert("annotator".into(), Value::String(value));
                self.annotations.push(Annotation {
                    body,
                    lines: vec![("annotator".into(), n)],
                    start: n,
                    target: None,
                });
            }
            "SPDXREF" => {
                let Some(a) = self.annotations.last_mut() else {
                    return Err(self.err(
                        n,
                        "`SPDXREF` belongs to an annotation, but none was started (`Annotator`)",
                    ));
                };
                if let Some((_, first)) = &a.target {
                    let msg = format!("`SPDXREF` given twice (first at line {first})");
                    return Err(self.err(n, msg));
                }
                a.target = Some((value, n));
            }
            "Reviewer" => {
                let i = self.reviews.len();
                let mut m = Map::new();
                m.insert("reviewer".into(), Value::String(value));
                self.reviews.push(m);
                self.lines.set(format!("/revieweds/{i}"), n);
            }
            _ => return Err(self.err(n, format!("unknown tag `{tag}`"))),
        }
        Ok(())
    }

    /// Puts the parts together: files into their packages, ranges into their snippets,
    /// annotations onto their elements.
    fn finish(&mut self) -> Result<Value> {
        // The files after a package are its files: `hasFiles` in JSON.
        for (f, owner) in self.file_owner.iter().enumerate() {
            let Some(p) = *owner else { continue };
            let Some(id) = self.files[f].get("SPDXID").cloned() else {
                continue;
            };
            let list = array_entry(&mut self.packages[p], "hasFiles");
            self.lines.set(
                format!("/packages/{p}/hasFiles/{}", list.len()),
                self.file_lines[f],
            );
            list.push(id);
        }
        for r in &self.ranges {
            let Some(s) = self.snippets.get_mut(r.snippet) else {
                continue;
            };
            let from = s.get("snippetFromFile").cloned().unwrap_or(json!(""));
            let list = array_entry(s, "ranges");
            self.lines.set(
                format!("/snippets/{}/ranges/{}", r.snippet, list.len()),
                r.line,
            );
            list.push(json!({
                "startPointer": {r.unit: r.start, "reference": from},
                "endPointer": {r.unit: r.end, "reference": from},
            }));
        }
        let mut ids: HashMap<String, String> = HashMap::new();
        let doc_id = self
            .doc
            .get("SPDXID")
            .and_then(Value::as_str)
            .unwrap_or(crate::model::DOCUMENT_ID)
            .to_owned();
        ids.insert(doc_id, String::new());
        for (kind, list) in [
            ("packages", &self.packages),
            ("files", &self.files),
            ("snippets", &self.snippets),
        ] {
            for (i, m) in list.iter().enumerate() {
                if let Some(id) = m.get("SPDXID").and_then(Value::as_str) {
                    ids.entry(id.to_owned()).or_insert(format!("/{kind}/{i}"));
                }
            }
        }
        for a in std::mem::take(&mut self.annotations) {
            let Some((target, line)) = a.target else {
                return Err(self.err(
                    a.start,
                    "this annotation has no `SPDXREF` naming the element it is on",
                ));
            };
            let Some(pointer) = ids.get(&target).cloned() else {
                return Err(self.err(
                    line,
                    format!("`SPDXREF` names `{target}`, which is not an element of this document"),
                ));
            };
            let map = match section_of(&pointer) {
                Sec::Package => index_of(&pointer).and_then(|i| self.packages.get_mut(i)),
                Sec::File => index_of(&pointer).and_then(|i| self.files.get_mut(i)),
                Sec::Snippet => index_of(&pointer).and_then(|i| self.snippets.get_mut(i)),
                _ => Some(&mut self.doc),
            };
            let Some(map) = map else { continue };
            let list = array_entry(map, "annotations");
            let at = format!("{pointer}/annotations/{}", list.len());
            list.push(Value::Object(a.body));
            self.lines.set(at.clone(), a.start);
            for (key, l) in a.lines {
                self.lines.set(format!("{at}/{key}"), l);
            }
        }
        let mut doc = std::mem::take(&mut self.doc);
        if !self.creation.is_empty() {
            self.lines.set(
                "/creationInfo".to_owned(),
                first_line(&self.lines, "/creationInfo/"),
            );
            doc.insert(
                "creationInfo".into(),
                Value::Object(std::mem::take(&mut self.creation)),
            );
        }
        let arrays: [(&str, Vec<Value>); 7] = [
            (
                "externalDocumentRefs",
                std::mem::take(&mut self.external_documents),
            ),
            ("packages", objects(&mut self.packages)),
            ("files", objects(&mut self.files)),
            ("snippets", objects(&mut self.snippets)),
            ("hasExtractedLicensingInfos", objects(&mut self.licenses)),
            ("relationships", objects(&mut self.relationships)),
            ("revieweds", objects(&mut self.reviews)),
        ];
        for (key, list) in arrays {
            if !list.is_empty() {
                doc.insert(key.into(), Value::Array(list));
            }
        }
        Ok(Value::Object(doc))
    }
}

fn objects(list: &mut Vec<Map<String, Value>>) -> Vec<Value> {
    std::mem::take(list)
        .into_iter()
        .map(Value::Object)
        .collect()
}

/// The smallest line recorded below `prefix`.
fn first_line(lines: &Lines, prefix: &str) -> usize {
    lines
        .0
        .iter()
        .filter(|(p, _)| p.starts_with(prefix))
        .map(|(_, l)| *l)
        .min()
        .unwrap_or(1)
}

fn index_of(pointer: &str) -> Option<usize> {
    pointer.rsplit('/').next()?.parse().ok()
}

/// The array member `key` of `map`, made when absent (or replaced when not an array, which
/// this parser never makes).
fn array_entry<'m>(map: &'m mut Map<String, Value>, key: &str) -> &'m mut Vec<Value> {
    let slot = map
        .entry(key.to_owned())
        .or_insert_with(|| Value::Array(Vec::new()));
    if !slot.is_array() {
        *slot = Value::Array(Vec::new());
    }
    match slot {
        Value::Array(a) => a,
        _ => unreachable_array(),
    }
}

/// The object at `index` of the array member `key` (made when absent).
fn object_at<'m>(
    map: &'m mut Map<String, Value>,
    key: &str,
    index: usize,
) -> &'m mut Map<String, Value> {
    let list = array_entry(map, key);
    if list.len() <= index {
        list.resize(index + 1, Value::Object(Map::new()));
    }
    if !list[index].is_object() {
        list[index] = Value::Object(Map::new());
    }
    match &mut list[index] {
        Value::Object(m) => m,
        _ => unreachable_array(),
    }
}

#[cold]
fn unreachable_array() -> ! {
    unreachable!("the slot was just made an array or object")
}

#[cfg(test)]
mod tests {
    //! Tag-value in, JSON shape and model out; and every error class with its line.

    use super::*;
    use crate::model::{Algorithm, DOCUMENT_ID, RefKind, Relationship};

    const HEX40: &str = "0123456789abcdef0123456789abcdef01234567";

    fn head() -> String {
        "SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\n\
         DocumentName: d\nDocumentNamespace: https://example.org/d\n\
         Creator: Tool: x\nCreated: 2024-01-02T03:04:05Z\n"
            .to_owned()
    }

    fn text_error(bytes: &[u8]) -> (usize, String) {
        match read(bytes, "t.spdx") {
            Err(Error::Text {
                file,
                line,
                message,
            }) => {
                assert_eq!(file, "t.spdx");
                (line, message)
            }
            other => panic!("expected a line error, got {other:?}"),
        }
    }

    #[test]
    fn sections_text_and_position_give_the_json_shape() {
        let tv = format!(
            "{}# a comment\n\
             DocumentComment: <text>two\nlines</text>\n\
             Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-p\n\
             \n\
             FileName: ./loose.c\n\
             SPDXID: SPDXRef-loose\n\
             FileChecksum: SHA1: {HEX40}\n\
             PackageName: p\n\
             SPDXID: SPDXRef-p\n\
             PackageDownloadLocation: NOASSERTION\n\
             PackageVerificationCode: {HEX40} (excludes: ./p.spdx, ./q)\n\
             PackageChecksum: SHA256: {}\n\
             ExternalRef: PACKAGE-MANAGER purl pkg:generic/p@1\n\
             ExternalRefComment: <text>why</text>\n\
             FilesAnalyzed: true\n\
             Annotator: Person: A\n\
             AnnotationDate: 2024-01-01T00:00:00Z\n\
             AnnotationType: OTHER\n\
             SPDXREF: SPDXRef-p\n\
             AnnotationComment: c\n\
             FileName: ./a.c\n\
             SPDXID: SPDXRef-a\n\
             FileChecksum: SHA1: {HEX40}\n\
             FileType: SOURCE\n\
             LicenseID: LicenseRef-x\n\
             ExtractedText: <text>\n  indented\n</text>\n\
             LicenseCrossReference: https://a.example, https://b.example\n",
            head(),
            "ab".repeat(32)
        );
        let parsed = parse(tv.as_bytes(), "t.spdx").expect("parses");
        let v = &parsed.value;
        assert_eq!(v["comment"], "two\nlines");
        assert_eq!(v["creationInfo"]["creators"], json!(["Tool: x"]));
        let p = &v["packages"][0];
        assert_eq!(
            p["hasFiles"],
            json!(["SPDXRef-a"]),
            "the file after the package"
        );
        assert_eq!(
            p["packageVerificationCode"],
            json!({"packageVerificationCodeValue": HEX40,
                   "packageVerificationCodeExcludedFiles": ["./p.spdx", "./q"]})
        );
        assert_eq!(p["externalRefs"][0]["comment"], "why");
        assert_eq!(p["filesAnalyzed"], true);
        assert_eq!(p["annotations"][0]["annotator"], "Person: A");
        assert_eq!(v["files"][1]["fileTypes"], json!(["SOURCE"]));
        let l = &v["hasExtractedLicensingInfos"][0];
        assert_eq!(l["extractedText"], "\n  indented\n");
        assert_eq!(
            l["seeAlsos"],
            json!(["https://a.example", "https://b.example"])
        );
        // Lines of what was said, and of the nearest ancestor for what was not.
        assert_eq!(parsed.lines.line("/packages/0"), 16);
        assert_eq!(parsed.lines.line("/packages/0/checksums/0"), 20);
        assert_eq!(parsed.lines.line("/packages/0/hasFiles/0"), 29);
        assert_eq!(parsed.lines.line("/files/1/checksums/0/algorithm"), 31);
        assert_eq!(parsed.lines.line("/nothing"), 1);

        let (doc, report) = read(tv.as_bytes(), "t.spdx").expect("reads");
        assert_eq!(doc.packages[0].checksums[0].algorithm, Algorithm::Sha256);
        assert_eq!(doc.packages[0].external_refs[0].kind, RefKind::Purl);
        assert!(doc.relationships.contains(&Relationship::new(
            "SPDXRef-p",
            "CONTAINS",
            "SPDXRef-a"
        )));
        assert!(
            !doc.relationships
                .iter()
                .any(|r| r.to == "SPDXRef-loose" && r.kind == "CONTAINS"),
            "a file before any package is in none"
        );
        assert!(doc.relationships.contains(&Relationship::new(
            DOCUMENT_ID,
            "DESCRIBES",
            "SPDXRef-p"
        )));
        let dropped: Vec<&str> = report.dropped.keys().map(String::as_str).collect();
        assert_eq!(
            dropped,
            [
                "files[].fileTypes (FileType)",
                "packages[].annotations (Annotator)",
                "packages[].packageVerificationCode.packageVerificationCodeExcludedFiles (PackageVerificationCode excludes)",
            ]
        );
    }

    #[test]
    fn crlf_bom_and_verification_code_without_excludes_word() {
        let tv = format!(
            "\u{feff}{}PackageName: p\nSPDXID: SPDXRef-p\nPackageDownloadLocation: NONE\n\
             PackageVerificationCode: {HEX40}(./package.spdx)\n",
            head()
        )
        .replace('\n', "\r\n");
        let (doc, _) = read(tv.as_bytes(), "t.spdx").expect("reads");
        assert_eq!(doc.name, "d");
        assert_eq!(doc.packages[0].download_location.as_deref(), Some("NONE"));
        assert_eq!(doc.packages[0].verification_code.as_deref(), Some(HEX40));
    }

    #[test]
    fn each_error_names_its_line() {
        let h = head();
        let base = h.lines().count();
        let cases: Vec<(String, usize, &str)> = vec![
            (format!("{h}Bogus: 1\n"), base + 1, "unknown tag `Bogus`"),
            (
                format!("{h}just words\n"),
                base + 1,
                "a value without a tag",
            ),
            (
                format!("{h}\nDocumentComment: <text>never\nclosed\n"),
                base + 2,
                "never closed",
            ),
            (
                format!("{h}DocumentComment: <text>x</text> y\n"),
                base + 1,
                "after `</text>`",
            ),
            (
                format!("{h}FileName: f\nSPDXID: SPDXRef-f\nFileChecksum: SHA1 {HEX40}\n"),
                base + 3,
                "malformed `FileChecksum`",
            ),
            (
                format!("{h}FileName: f\nFileChecksum: SHA1: xyz\n"),
                base + 2,
                "expected `ALGORITHM: hexdigits`",
            ),
            (
                format!("{h}Relationship: SPDXRef-a CONTAINS\n"),
                base + 1,
                "malformed `Relationship`",
            ),
            (
                format!("{h}PackageVersion: 1\n"),
                base + 1,
                "belongs to a package",
            ),
            (
                format!("{h}PackageName: p\nPackageVersion: 1\nPackageVersion: 2\n"),
                base + 3,
                "`PackageVersion` given twice (first at line 9)",
            ),
            (
                format!("{h}PackageName: p\nFilesAnalyzed: yes\n"),
                base + 2,
                "`true` or `false`",
            ),
            (
                format!("{h}PackageName: p\nExternalRef: SECURITY cpe23Type\n"),
                base + 2,
                "malformed `ExternalRef`",
            ),
            (
                format!("{h}SnippetSPDXID: SPDXRef-s\nSnippetByteRange: 1-2\n"),
                base + 2,
                "`START:END`",
            ),
            (
                format!("{h}Annotator: Person: a\nSPDXREF: SPDXRef-nowhere\n"),
                base + 2,
                "not an element of this document",
            ),
            (
                format!("{h}AnnotationDate: 2024-01-01T00:00:00Z\n"),
                base + 1,
                "none was started",
            ),
            (
                format!("{h}ExternalDocumentRef: DocumentRef-x https://x.example\n"),
                base + 1,
                "malformed `ExternalDocumentRef`",
            ),
            // From the JSON reader, placed at the line and said in tags.
            (
                format!("{h}PackageName: p\nSPDXID: SPDXRef-p\n"),
                base + 1,
                "required field `PackageDownloadLocation` is missing",
            ),
            (
                format!(
                    "{h}PackageName: p\nSPDXID: SPDXRef-p\nPackageDownloadLocation: NONE\nPrimaryPackagePurpose: TOY\n"
                ),
                base + 4,
                "unknown package purpose `TOY`",
            ),
            (
                format!("{h}FileName: f\nSPDXID: SPDXRef-f\nFileChecksum: SHA999: 00\n"),
                base + 3,
                "unknown checksum algorithm `SHA999`",
            ),
            (
                format!("{h}FileName: f\nSPDXID: SPDXRef-f\nFileName: g\nSPDXID: SPDXRef-f\n"),
                base + 4,
                "duplicate SPDXID `SPDXRef-f` (first at line 8)",
            ),
            (
                h.replace("SPDX-2.3", "SPDX-2.2")
                    + "PackageName: p\nSPDXID: SPDXRef-p\nPackageDownloadLocation: NONE\nReleaseDate: 2024-01-01T00:00:00Z\n",
                base + 4,
                "unknown field `ReleaseDate` (not part of SPDX 2.2)",
            ),
        ];
        for (tv, line, needle) in cases {
            let (l, message) = text_error(tv.as_bytes());
            assert!(
                message.contains(needle),
                "{message:?} lacks {needle:?}\n{tv}"
            );
            assert_eq!(l, line, "{message}\n{tv}");
        }
    }

    #[test]
    fn bad_bytes_never_panic_and_are_counted() {
        let mut tv = head().into_bytes();
        tv.extend_from_slice(b"DocumentComment: caf\xe9\n");
        let parsed = parse(&tv, "t.spdx").expect("parses");
        assert_eq!(parsed.not_utf8, [8]);
        let (doc, report) = read(&tv, "t.spdx").expect("reads");
        assert_eq!(doc.comment.as_deref(), Some("caf\u{fffd}"));
        assert_eq!(report.total(), 1);
        for junk in [
            &b"SPDXVersion:"[..],
            b"SPDXVersion: <text>",
            b"\xff\xfe\x00:\x00",
            b"PackageName:\nSPDXID:\nExternalRefComment: x",
            b"FileName: f\nArtifactOfProjectHomePage: h",
            b"SnippetSPDXID: s\nSnippetLineRange: 99999999999999999999999:1",
            b"Relationship: a b c\nRelationshipComment: x\nRelationshipComment: y",
        ] {
            let _ = read(junk, "junk");
        }
        let long = format!("{}DocumentComment: {}\n", head(), "x".repeat(1 << 20));
        assert!(read(long.as_bytes(), "long").is_ok());
    }

    #[test]
    fn sniffing() {
        assert!(sniff(b"## c\n\nSPDXVersion: SPDX-2.3\n"));
        assert!(sniff(b"PackageName: x\n"));
        assert!(!sniff(b"{\"spdxVersion\": \"SPDX-2.3\"}"));
        assert!(!sniff(b"spdxVersion: SPDX-2.3\n"));
        assert!(!sniff(b"SPDXID: SPDXRef-DOCUMENT\nspdxVersion: SPDX-2.3\n"));
        assert!(!sniff(b"bomFormat: CycloneDX\n"));
        assert!(!sniff(b""));
    }
}
