//! Serialisations of the model. Only this module knows format field names.

pub mod cyclonedx;
pub mod intree;
pub mod spdx2;

use crate::error::{Error, Result};
use crate::model::Document;
use std::collections::BTreeMap;
use std::path::Path;

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
}

/// Fills in what an SPDX document requires and a CycloneDX BOM may leave out: the creation
/// time (`created`, e.g. from `SOURCE_DATE_EPOCH`) and a creator (this tool). Returns a note
/// for each value supplied.
pub fn complete(doc: &mut Document, created: &str) -> Vec<String> {
    let mut notes = Vec::new();
    if doc.created.is_empty() {
        doc.created = created.to_owned();
        notes.push(format!(
            "the input gives no creation time; recorded {created}"
        ));
    }
    if doc.creators.is_empty() {
        let tool = crate::scan::TOOL_CREATOR;
        notes.push(format!("the input names no creator; recorded `{tool}`"));
        doc.creators.push(tool.to_owned());
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

/// Writes `contents` to `path`. A regular file (new or existing) is replaced atomically: a
/// temporary file in the same directory, flushed, then renamed over it, so on any error the old
/// file is untouched and nothing is left behind; an existing file keeps its permissions, a new
/// one is made readable by all (0644), and a symbolic link keeps pointing where it did, at the
/// new content. Anything else that exists (a device such as `/dev/null`, a FIFO) is written in
/// place: renaming over it would replace it.
pub fn write_atomically(path: &Path, contents: &[u8]) -> Result<()> {
    use std::io::Write;
    let shown = path.display().to_string();
    let existing = match std::fs::metadata(path) {
        Ok(m) => Some(m),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::io(&shown, e)),
    };
    let target = match &existing {
        Some(m) if m.is_dir() => {
            return Err(Error::io(
                &shown,
                std::io::Error::new(std::io::ErrorKind::IsADirectory, "is a directory"),
            ));
        }
        Some(m) if !m.is_file() => {
            return std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .and_then(|mut f| f.write_all(contents).and_then(|()| f.flush()))
                .map_err(|e| Error::io(&shown, e));
        }
        // Through a symbolic link: replace what it points at, not the link.
        Some(_) => std::fs::canonicalize(path).map_err(|e| Error::io(&shown, e))?,
        None => path.to_path_buf(),
    };
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".bomsmith-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| Error::io(&shown, e))?;
    let permissions = match &existing {
        Some(m) => m.permissions(),
        None => new_file_permissions(tmp.as_file()).map_err(|e| Error::io(&shown, e))?,
    };
    tmp.write_all(contents)
        .and_then(|()| tmp.as_file().set_permissions(permissions))
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| Error::io(&shown, e))?;
    tmp.persist(&target)
        .map_err(|e| Error::io(&shown, e.error))?;
    Ok(())
}

/// Permissions for a newly created output: 0644 on Unix (temporary files start as 0600).
fn new_file_permissions(file: &std::fs::File) -> std::io::Result<std::fs::Permissions> {
    #[allow(unused_mut)]
    let mut p = file.metadata()?.permissions();
    #[cfg(unix)]
    std::os::unix::fs::PermissionsExt::set_mode(&mut p, 0o644);
    Ok(p)
}
