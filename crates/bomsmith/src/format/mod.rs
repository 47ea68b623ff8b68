//! Serialisations of the model. Only this module knows format field names.

pub mod cyclonedx;
pub mod intree;
pub mod spdx2;

use crate::diag::{Diagnostic, Location};
use crate::error::{Error, Result};
use crate::model::Document;
use std::collections::BTreeMap;

crate::rules! {
    RULES, "format", "docs/conversion.md";
    NOT_CARRIED = "FMT001", "value-not-carried", Warning,
        "Values of the input document have no place in bomsmith's model (or in the output format), so they are not carried over; docs/conversion.md says which.";
    VALUE_SUPPLIED = "FMT002", "value-supplied", Info,
        "The input lacks a value the output format requires (a creation time, a creator); bomsmith supplies one and says so.";
}

/// The `Tool:` creator line of documents bomsmith writes.
pub const TOOL_CREATOR: &str = concat!("Tool: bomsmith-", env!("CARGO_PKG_VERSION"));

/// What a read could not carry into the model, counted by field path
/// (`packages[].annotations`, `components[].evidence`), so that no loss is silent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadReport {
    /// Dropped fields and how often each occurred.
    pub dropped: BTreeMap<String, usize>,
}

impl ReadReport {
    /// Counts one dropped occurrence of `field`.
    pub fn drop(&mut self, field: impl Into<String>) {
        *self.dropped.entry(field.into()).or_default() += 1;
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

/// Fills in what an SPDX document requires and a CycloneDX BOM may leave out: the creation
/// time (`created`, e.g. from `SOURCE_DATE_EPOCH`) and a creator (this tool). Returns a
/// [`VALUE_SUPPLIED`] note at `at` for each value supplied.
pub fn complete(doc: &mut Document, created: &str, at: &Location) -> Vec<Diagnostic> {
    let mut notes = Vec::new();
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
    /// SPDX 2.3 JSON.
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

/// Reads an SPDX 2.3 or CycloneDX 1.6 JSON document, recognised by content, into the model.
/// `file` names it in errors.
pub fn read(bytes: &[u8], file: &str) -> Result<(Kind, Document, ReadReport)> {
    let value = spdx2::parse_json(bytes, file)?;
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
}

impl Format {
    /// Every format, in a fixed order.
    pub const ALL: [Format; 2] = [Format::SpdxJson, Format::CycloneDxJson];

    /// The command-line name (`spdx-json`).
    pub fn name(self) -> &'static str {
        match self {
            Format::SpdxJson => "spdx-json",
            Format::CycloneDxJson => "cyclonedx-json",
        }
    }

    /// Parses [`Format::name`]'s form.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Serialises `doc` in this format.
    pub fn write(self, doc: &Document) -> String {
        match self {
            Format::SpdxJson => spdx2::write(doc),
            Format::CycloneDxJson => cyclonedx::write(doc),
        }
    }
}
