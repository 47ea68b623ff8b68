//! Serialisations of the model. Only this module knows format field names.

pub mod csaf;
pub mod cyclonedx;
pub mod intree;
pub mod openvex;
pub mod spdx2;
pub mod spdx3;

use crate::diag::{Diagnostic, Location};
use crate::error::{Error, Result};
use crate::model::Document;
use std::collections::BTreeMap;

crate::rules! {
    RULES, "format", "docs/conversion.md";
    NOT_CARRIED = "FMT001", "value-not-carried", Warning,
        "Values of the input document have no place in bomsmith's model (or in the output format), so they are not carried over; docs/conversion.md says which.";
    VALUE_SUPPLIED = "FMT002", "value-supplied", Info,
        "The input lacks a value the output format requires (a creation time, a creator, a document namespace); bomsmith supplies one and says so.";
    VALUE_RECAST = "FMT003", "value-recast", Info,
        "A value of the input is carried in another form than its own, because its own form would be invalid in SPDX (a CycloneDX file without a SHA-1 hash is an SPDX package of purpose FILE); docs/conversion.md says which.";
}

/// The `Tool:` creator line of documents bomsmith writes.
pub const TOOL_CREATOR: &str = concat!("Tool: bomsmith-", env!("CARGO_PKG_VERSION"));

/// What a read could not carry into the model, counted by field path
/// (`packages[].annotations`, `components[].evidence`), so that no loss is silent; and what it
/// carried in another form than the input's own.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadReport {
    /// Dropped fields and how often each occurred.
    pub dropped: BTreeMap<String, usize>,
    /// Values carried in another form (nothing lost), by what happened, and how often.
    pub recast: BTreeMap<String, usize>,
    /// Element ID → the reference the file gives that element, where the two differ (a
    /// CycloneDX `bom-ref` that is not a valid SPDX ID gets another ID). Reports about the file
    /// itself (`vulns`) name elements by the file's own reference.
    pub renamed: BTreeMap<String, String>,
}

impl ReadReport {
    /// Counts one dropped occurrence of `field`.
    pub fn drop(&mut self, field: impl Into<String>) {
        *self.dropped.entry(field.into()).or_default() += 1;
    }

    /// Counts one occurrence of a value carried in another form, described by `what`.
    pub fn recast(&mut self, what: impl Into<String>) {
        *self.recast.entry(what.into()).or_default() += 1;
    }

    /// One [`VALUE_RECAST`] note at `at` listing what was carried in another form; none when
    /// nothing was.
    pub fn recast_note(&self, at: Location) -> Option<Diagnostic> {
        let n: usize = self.recast.values().sum();
        (n > 0).then(|| {
            Diagnostic::new(
                &VALUE_RECAST,
                at,
                format!(
                    "{n} value{} of the input {} carried in another form (see docs/conversion.md)",
                    if n == 1 { "" } else { "s" },
                    if n == 1 { "is" } else { "are" },
                ),
            )
            .with_details(
                self.recast
                    .iter()
                    .map(|(what, n)| format!("{what}: {n}"))
                    .collect(),
            )
        })
    }

    /// Total number of dropped occurrences.
    pub fn total(&self) -> usize {
        self.dropped.values().sum()
    }

    /// One [`NOT_CARRIED`] diagnostic at `at` saying what was dropped from a `kind` document,
    /// field by field in its details; none when nothing was.
    pub fn diagnostic(&self, at: Location, kind: Kind) -> Option<Diagnostic> {
        let lost = self.total();
        (lost > 0).then(|| {
            Diagnostic::new(
                &NOT_CARRIED,
                at,
                format!(
                    "{lost} value{} of the {} input could not be carried (see docs/conversion.md)",
                    if lost == 1 { "" } else { "s" },
                    kind.name()
                ),
            )
            .with_details(
                self.dropped
                    .iter()
                    .map(|(field, n)| format!("{field}: {n}"))
                    .collect(),
            )
        })
    }
}

/// True for a JSON value that carries nothing: `null`, `""`, and arrays and objects holding
/// only such values (`[]`, `{}`, `{"url": []}`). Reading one loses nothing.
pub(crate) fn is_empty_value(v: &serde_json::Value) -> bool {
    use serde_json::Value;
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.iter().all(is_empty_value),
        Value::Object(m) => m.values().all(is_empty_value),
        Value::Bool(_) | Value::Number(_) => false,
    }
}

/// Fills in what an SPDX document requires and a CycloneDX BOM (or an SPDX 2.2 document) may
/// leave out: the creation time (`created`, e.g. from `SOURCE_DATE_EPOCH`), a creator (this
/// tool) and a document namespace (a `urn:uuid:` derived from the document's content, so the
/// same every time). Returns a [`VALUE_SUPPLIED`] note at `at` for each value supplied.
pub fn complete(doc: &mut Document, created: &str, at: &Location) -> Vec<Diagnostic> {
    let mut notes = Vec::new();
    if doc.namespace.is_empty() {
        use sha2::Digest;
        // Derived before anything else is filled in: from what the input said.
        let digest = hex::encode(sha2::Sha256::digest(spdx2::write(doc).as_bytes()));
        doc.namespace = format!(
            "urn:uuid:{}",
            crate::ident::uuid_v5_url(&format!("urn:sha256:{digest}"))
        );
        notes.push(Diagnostic::new(
            &VALUE_SUPPLIED,
            at.clone(),
            format!(
                "the input gives no document namespace; recorded {}",
                doc.namespace
            ),
        ));
    }
    if doc.created.is_empty() {
        doc.created = created.to_owned();
        notes.push(Diagnostic::new(
            &VALUE_SUPPLIED,
            at.clone(),
            format!("the input gives no creation time; recorded {created}"),
        ));
    }
    if doc.creators.is_empty() {
        notes.push(Diagnostic::new(
            &VALUE_SUPPLIED,
            at.clone(),
            format!("the input names no creator; recorded `{TOOL_CREATOR}`"),
        ));
        doc.creators.push(TOOL_CREATOR.to_owned());
    }
    notes
}

/// Typed access to the fields of a JSON document being read, with errors that name the file
/// and the JSON pointer. Shared by the SPDX and CycloneDX readers.
pub(crate) trait Fields {
    /// The document's name in errors.
    fn file(&self) -> &str;

    fn err(&self, pointer: &str, message: impl Into<String>) -> Error {
        Error::document(self.file(), pointer, message)
    }

    fn object<'v>(
        &self,
        v: &'v serde_json::Value,
        pointer: &str,
    ) -> Result<&'v serde_json::Map<String, serde_json::Value>> {
        v.as_object().ok_or_else(|| {
            self.err(
                pointer,
                format!("expected an object, found {}", crate::json::kind_name(v)),
            )
        })
    }

    fn array<'v>(
        &self,
        m: &'v serde_json::Map<String, serde_json::Value>,
        key: &str,
        pointer: &str,
    ) -> Result<&'v [serde_json::Value]> {
        match m.get(key) {
            None => Ok(&[]),
            Some(serde_json::Value::Array(a)) => Ok(a),
            Some(other) => Err(self.err(
                &crate::json::pointer_child(pointer, key),
                format!("expected an array, found {}", crate::json::kind_name(other)),
            )),
        }
    }

    fn opt_str(
        &self,
        m: &serde_json::Map<String, serde_json::Value>,
        key: &str,
        pointer: &str,
    ) -> Result<Option<String>> {
        match m.get(key) {
            None => Ok(None),
            Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(self.err(
                &crate::json::pointer_child(pointer, key),
                format!("expected a string, found {}", crate::json::kind_name(other)),
            )),
        }
    }

    fn req_str(
        &self,
        m: &serde_json::Map<String, serde_json::Value>,
        key: &str,
        pointer: &str,
    ) -> Result<String> {
        self.opt_str(m, key, pointer)?
            .ok_or_else(|| self.err(pointer, format!("required field `{key}` is missing")))
    }
}

/// Document formats bomsmith reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// SPDX 2.2 and 2.3 (JSON or tag-value), and SPDX 3.0.1 JSON-LD (the family;
    /// [`spdx3::is_spdx3`] tells SPDX 3 apart, and [`Kind::of`] knows only SPDX 2).
    Spdx,
    /// CycloneDX JSON.
    CycloneDx,
}

impl Kind {
    /// Recognises a parsed document by its top-level members.
    pub fn of(doc: &serde_json::Value) -> Option<Kind> {
        let m = doc.as_object()?;
        if m.contains_key("spdxVersion") || m.contains_key("SPDXID") {
            Some(Kind::Spdx)
        } else if m.contains_key("bomFormat") || m.contains_key("specVersion") {
            Some(Kind::CycloneDx)
        } else {
            None
        }
    }

    /// The format's name.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Spdx => "SPDX",
            Kind::CycloneDx => "CycloneDX",
        }
    }
}

/// What bomsmith reads, for messages about what it does not.
const READS: &str = "bomsmith reads SPDX 2.2 and 2.3 JSON and tag-value, SPDX 3.0.1 JSON-LD and CycloneDX 1.2 to 1.7 JSON";

/// `bytes` without a UTF-8 byte-order mark, which some Windows tools put before JSON.
pub fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes)
}

/// Names what a file holds when it is no text document at all: an empty file, UTF-16 text, or
/// binary data (an archive given where an SBOM was expected). `None` for UTF-8 text.
pub fn not_a_document(bytes: &[u8]) -> Option<String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Some(if bytes.is_empty() {
            "an empty file".into()
        } else {
            "a file of nothing but white space".into()
        });
    }
    if bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff") {
        return Some("UTF-16 text (SBOM documents are UTF-8)".into());
    }
    // Text in another encoding (Latin-1 tag-value) is still text: binary data has NUL bytes,
    // or mostly bytes that are neither printable nor UTF-8.
    let head = &bytes[..bytes.len().min(8192)];
    let text = String::from_utf8_lossy(head);
    let odd = text
        .chars()
        .filter(|c| *c == '\u{fffd}' || (c.is_control() && !c.is_whitespace()))
        .count();
    if head.contains(&0) || odd * 10 > text.chars().count() {
        return Some(format!(
            "binary data (first bytes: {})",
            hex::encode(&bytes[..bytes.len().min(8)])
        ));
    }
    None
}

/// Names a document bomsmith does not read (yet) by its first bytes: XML (CycloneDX, SPDX
/// RDF/XML) or YAML. `None` when it does not look like one of them.
pub fn not_read(bytes: &[u8]) -> Option<&'static str> {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let text = String::from_utf8_lossy(head);
    let text = text.trim_start_matches('\u{feff}').trim_start();
    let has = |needle: &str| text.contains(needle);
    if text.starts_with('<') {
        return Some(if has("cyclonedx.org/schema/bom") {
            "a CycloneDX XML document"
        } else if has("spdx.org/rdf") {
            "an SPDX RDF/XML document"
        } else {
            "an XML document, not an SBOM bomsmith knows"
        });
    }
    // YAML states the version on a line of its own, near the top.
    let first_lines = || text.lines().take(200).map(str::trim_start);
    if first_lines().any(|l| l.starts_with("spdxVersion:")) {
        return Some("an SPDX YAML document");
    }
    if first_lines().any(|l| l.starts_with("bomFormat:")) {
        return Some("a CycloneDX YAML document");
    }
    None
}

/// Names a JSON document of a format bomsmith does not read (yet): JSON-LD other than SPDX
/// 3.0.1.
pub fn not_read_json(doc: &serde_json::Value) -> Option<&'static str> {
    let m = doc.as_object()?;
    let context = m.get("@context")?;
    if context.as_str() == Some(spdx3::CONTEXT) {
        return None;
    }
    Some(if spdx3::is_spdx3(doc) {
        "an SPDX 3 JSON-LD document of a version other than 3.0.1"
    } else {
        "a JSON-LD document, not an SBOM bomsmith knows"
    })
}

/// Reads an SPDX 2.2/2.3 JSON or tag-value or CycloneDX 1.2–1.7 JSON document, recognised by
/// content, into the model. `file` names it in errors; a document of a format or version
/// bomsmith does not read (XML, YAML, SPDX 3, SPDX 2.1, CycloneDX 1.1) is named as such, not
/// called malformed. Tag-value is read as [`Kind::Spdx`].
pub fn read(bytes: &[u8], file: &str) -> Result<(Kind, Document, ReadReport)> {
    let bytes = strip_bom(bytes);
    if let Some(what) = not_a_document(bytes) {
        return Err(Error::Unsupported {
            path: file.to_owned(),
            message: format!("{what}; {READS}"),
        });
    }
    if spdx2::tv_read::sniff(bytes) {
        return spdx2::tv_read::read(bytes, file).map(|(d, r)| (Kind::Spdx, d, r));
    }
    let unsupported = |what: &str| Error::Unsupported {
        path: file.to_owned(),
        message: format!("{what}; {READS}"),
    };
    let value = match spdx2::parse_json(bytes, file) {
        Ok(v) => v,
        Err(e) => return Err(not_read(bytes).map_or(e, unsupported)),
    };
    if let Some(what) = not_read_json(&value) {
        return Err(unsupported(what));
    }
    if spdx3::is_spdx3(&value) {
        return spdx3::read_value(&value, file).map(|(d, r)| (Kind::Spdx, d, r));
    }
    match Kind::of(&value) {
        Some(Kind::Spdx) => spdx2::read_value(&value, file).map(|(d, r)| (Kind::Spdx, d, r)),
        Some(Kind::CycloneDx) => {
            cyclonedx::read_value(&value, file).map(|(d, r)| (Kind::CycloneDx, d, r))
        }
        None => Err(Error::document(
            file,
            "",
            "neither SPDX (no `spdxVersion`) nor CycloneDX (no `bomFormat`)",
        )),
    }
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// SPDX 2.3 JSON.
    SpdxJson,
    /// CycloneDX 1.6 JSON.
    CycloneDxJson,
    /// SPDX 2.3 tag-value.
    SpdxTagValue,
    /// SPDX 3.0.1 JSON-LD.
    Spdx3Json,
}

impl Format {
    /// Every format, in a fixed order.
    pub const ALL: [Format; 4] = [
        Format::SpdxJson,
        Format::CycloneDxJson,
        Format::SpdxTagValue,
        Format::Spdx3Json,
    ];

    /// The command-line name (`spdx-json`).
    pub fn name(self) -> &'static str {
        match self {
            Format::SpdxJson => "spdx-json",
            Format::CycloneDxJson => "cyclonedx-json",
            Format::SpdxTagValue => "spdx-tv",
            Format::Spdx3Json => "spdx3-json",
        }
    }

    /// Parses [`Format::name`]'s form.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Serialises `doc` in this format, each format in its default version.
    pub fn write(self, doc: &Document) -> String {
        self.write_with(doc, &WriteOptions::default())
    }

    /// Serialises `doc` in this format with `options` (the version to write).
    pub fn write_with(self, doc: &Document, options: &WriteOptions) -> String {
        match self {
            Format::SpdxJson => spdx2::write(doc),
            Format::CycloneDxJson => cyclonedx::write_with(doc, &options.cyclonedx),
            Format::SpdxTagValue => spdx2::write_tag_value(doc),
            Format::Spdx3Json => spdx3::write(doc),
        }
    }

    /// The specification versions this format can be written in, the default first
    /// (`--spec-version`).
    pub fn versions(self) -> &'static [&'static str] {
        match self {
            Format::SpdxJson | Format::SpdxTagValue => &["2.3"],
            Format::CycloneDxJson => &["1.6", "1.7"],
            Format::Spdx3Json => &["3.0.1"],
        }
    }

    /// The options that write this format in `version` (one of [`Format::versions`]).
    pub fn options_for(self, version: &str) -> Option<WriteOptions> {
        if !self.versions().contains(&version) {
            return None;
        }
        let mut options = WriteOptions::default();
        if self == Format::CycloneDxJson {
            options.cyclonedx.version = cyclonedx::SpecVersion::from_name(version)?;
        }
        Some(options)
    }
}

/// How a [`Format`] is written: the specification version where a format has several, and
/// what only that format can say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// CycloneDX: the version (default 1.6) and the configured extra statements.
    pub cyclonedx: cyclonedx::WriteOptions,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn empty_values_are_those_that_carry_nothing() {
        for v in [
            json!(null),
            json!(""),
            json!([]),
            json!({}),
            json!({"a": [""], "b": {}}),
        ] {
            assert!(is_empty_value(&v), "{v}");
        }
        for v in [json!(false), json!(0), json!("x"), json!([{"a": 1}])] {
            assert!(!is_empty_value(&v), "{v}");
        }
    }

    #[test]
    fn documents_bomsmith_does_not_read_are_named() {
        let cases: [(&[u8], &str); 5] = [
            (b"\xef\xbb\xbf<?xml version=\"1.0\"?><bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\"/>", "a CycloneDX XML document"),
            (b"<rdf:RDF xmlns:spdx=\"http://spdx.org/rdf/terms#\"/>", "an SPDX RDF/XML document"),
            (b"spdxVersion: SPDX-2.3\n", "an SPDX YAML document"),
            (b"{\"@context\": [\"https://spdx.org/rdf/3.0.0/spdx-context.jsonld\"], \"@graph\": []}", "an SPDX 3 JSON-LD document of a version other than 3.0.1"),
            (b"<html></html>", "an XML document, not an SBOM bomsmith knows"),
        ];
        for (bytes, what) in cases {
            match read(bytes, "x") {
                Err(Error::Unsupported { path, message }) => {
                    assert_eq!(path, "x");
                    assert_eq!(message, format!("{what}; {READS}"));
                }
                other => panic!("{what}: {other:?}"),
            }
        }
        // Broken JSON is still called malformed.
        let e = read(b"{\"spdxVersion\": ", "x").expect_err("malformed");
        assert!(e.to_string().contains("malformed JSON"), "{e}");
    }

    #[test]
    fn complete_supplies_a_namespace_derived_from_the_content() {
        let mut doc = Document {
            name: "d".into(),
            created: "2024-01-01T00:00:00Z".into(),
            creators: vec!["Tool: x".into()],
            ..Document::default()
        };
        let mut again = doc.clone();
        let notes = complete(&mut doc, "ignored", &Location::file("d.json"));
        assert_eq!(notes.len(), 1);
        assert!(doc.namespace.starts_with("urn:uuid:"), "{}", doc.namespace);
        complete(&mut again, "ignored", &Location::file("d.json"));
        assert_eq!(again.namespace, doc.namespace, "the same every time");
        assert!(complete(&mut doc, "ignored", &Location::file("d.json")).is_empty());
    }
}
