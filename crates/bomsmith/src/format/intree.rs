//! In-tree SPDX 2.3 documents kept in a project's repository (CPython's `Misc/sbom.spdx.json`).
//!
//! Their package entries are edited by people, so they are never re-serialised from the model:
//! the document is kept as JSON, only the parts a tool owns are replaced (files and
//! relationships; versions and download locations of externals), and it is written back in
//! CPython's compatibility style (`json.dumps(indent=2, sort_keys=True)`, arrays in the order
//! they were built). The model view is for reading.

use crate::error::{Error, Result};
use crate::format::spdx2;
use crate::json;
use crate::model::{Algorithm, Document};
use serde_json::{Map, Value, json};

/// A file entry to write: path, SPDX ID, SHA-1 and SHA-256 (hex), owning package's SPDX ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEntry {
    /// Path from the tree root.
    pub name: String,
    /// SPDX ID.
    pub id: String,
    /// Hex SHA-1.
    pub sha1: String,
    /// Hex SHA-256.
    pub sha256: String,
    /// SPDX ID of the package that contains it.
    pub owner: String,
}

/// An in-tree document: its JSON and its model.
#[derive(Debug, Clone)]
pub struct InTreeDoc {
    file: String,
    value: Map<String, Value>,
    model: Document,
}

impl InTreeDoc {
    /// Parses a document; `file` names it in errors.
    pub fn parse(bytes: &[u8], file: &str) -> Result<Self> {
        let value = spdx2::parse_json(bytes, file)?;
        let (model, _) = spdx2::read_value(&value, file)?;
        let Value::Object(value) = value else {
            return Err(Error::document(file, "", "expected an object"));
        };
        Ok(InTreeDoc {
            file: file.to_owned(),
            value,
            model,
        })
    }

    /// The document as the model sees it.
    pub fn model(&self) -> &Document {
        &self.model
    }

    /// The path it was read from.
    pub fn file(&self) -> &str {
        &self.file
    }

    fn package_map(&self, index: usize) -> Option<&Map<String, Value>> {
        self.value
            .get("packages")?
            .as_array()?
            .get(index)?
            .as_object()
    }

    /// The SPDX 2.3 field names among `required` that package `index` lacks.
    pub fn missing_fields(&self, index: usize, required: &[String]) -> Vec<String> {
        let Some(m) = self.package_map(index) else {
            return required.to_vec();
        };
        required
            .iter()
            .filter(|k| !m.contains_key(k.as_str()))
            .cloned()
            .collect()
    }

    /// JSON pointer of package `index` (for messages).
    pub fn package_pointer(index: usize) -> String {
        format!("/packages/{index}")
    }

    /// The file entries with their owners, as the document has them (order kept).
    pub fn file_entries(&self) -> Vec<FileEntry> {
        let owner: std::collections::HashMap<&str, &str> = self
            .model
            .relationships
            .iter()
            .filter(|r| r.kind == "CONTAINS")
            .map(|r| (r.to.as_str(), r.from.as_str()))
            .collect();
        self.model
            .files
            .iter()
            .map(|f| FileEntry {
                name: f.name.clone(),
                id: f.id.clone(),
                sha1: f.checksum(Algorithm::Sha1).unwrap_or("").to_owned(),
                sha256: f.checksum(Algorithm::Sha256).unwrap_or("").to_owned(),
                owner: owner.get(f.id.as_str()).copied().unwrap_or("").to_owned(),
            })
            .collect()
    }

    /// Replaces the files and relationships: one entry and one `CONTAINS` per file, in order.
    pub fn set_files(&mut self, files: &[FileEntry]) {
        let entries = files
            .iter()
            .map(|f| {
                json!({
                    "SPDXID": f.id,
                    "fileName": f.name,
                    "checksums": [
                        {"algorithm": "SHA1", "checksumValue": f.sha1},
                        {"algorithm": "SHA256", "checksumValue": f.sha256},
                    ],
                })
            })
            .collect();
        let relationships = files
            .iter()
            .map(|f| {
                json!({
                    "spdxElementId": f.owner,
                    "relatedSpdxElement": f.id,
                    "relationshipType": "CONTAINS",
                })
            })
            .collect();
        self.value.insert("files".into(), Value::Array(entries));
        self.value
            .insert("relationships".into(), Value::Array(relationships));
    }

    /// Sets an external package's version (also in its CPE 2.3 references) and download
    /// location. When the download location changes its checksums go, since they were of the
    /// old file. Returns true when checksums were dropped.
    pub fn set_external(&mut self, index: usize, version: &str, download: &str) -> bool {
        let Some(Value::Object(m)) = self
            .value
            .get_mut("packages")
            .and_then(Value::as_array_mut)
            .and_then(|a| a.get_mut(index))
        else {
            return false;
        };
        m.insert("versionInfo".into(), json!(version));
        if let Some(Value::Array(refs)) = m.get_mut("externalRefs") {
            for r in refs.iter_mut().filter_map(Value::as_object_mut) {
                if r.get("referenceType").and_then(Value::as_str) != Some("cpe23Type") {
                    continue;
                }
                if let Some(loc) = r.get("referenceLocator").and_then(Value::as_str)
                    && let Some(new) = crate::ident::cpe_with_version(loc, version)
                {
                    r.insert("referenceLocator".into(), json!(new));
                }
            }
        }
        let changed = m.get("downloadLocation").and_then(Value::as_str) != Some(download);
        m.insert("downloadLocation".into(), json!(download));
        changed && m.remove("checksums").is_some()
    }

    /// Re-reads the model after edits (so checks see what will be written), and returns the
    /// bytes to write, in CPython's compatibility style.
    pub fn refresh(&mut self) -> Result<Vec<u8>> {
        let value = Value::Object(std::mem::take(&mut self.value));
        let result = spdx2::read_value(&value, &self.file);
        let bytes = json::to_canonical_string(&value).into_bytes();
        let Value::Object(map) = value else {
            unreachable!("built from an object above")
        };
        self.value = map;
        self.model = result?.0;
        Ok(bytes)
    }
}
