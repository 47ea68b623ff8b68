//! Serialisations of the model. Only this module knows format field names.

pub mod spdx2;

use crate::error::{Error, Result};
use std::path::Path;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// SPDX 2.3 JSON.
    SpdxJson,
}

impl Format {
    /// Every format, in a fixed order.
    pub const ALL: [Format; 1] = [Format::SpdxJson];

    /// The command-line name (`spdx-json`).
    pub fn name(self) -> &'static str {
        match self {
            Format::SpdxJson => "spdx-json",
        }
    }

    /// Parses [`Format::name`]'s form.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Serialises `doc` in this format.
    pub fn write(self, doc: &crate::model::Document) -> String {
        match self {
            Format::SpdxJson => spdx2::write(doc),
        }
    }
}

/// Writes `contents` to `path` atomically: a temporary file in the same directory, flushed,
/// then renamed over the target. On any error the old file is untouched and nothing is left.
pub fn write_atomically(path: &Path, contents: &[u8]) -> Result<()> {
    use std::io::Write;
    let shown = path.display().to_string();
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".bomsmith-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| Error::io(&shown, e))?;
    tmp.write_all(contents)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| Error::io(&shown, e))?;
    tmp.persist(path).map_err(|e| Error::io(&shown, e.error))?;
    Ok(())
}
