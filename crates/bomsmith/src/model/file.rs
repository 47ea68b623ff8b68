//! Files of the described artifact or tree.

use super::{Algorithm, Checksum, find_checksum};

/// A file inside the described artifact or tree.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct File {
    /// Document-unique identifier (`SPDXRef-...`).
    pub id: String,
    /// Path relative to the root of the artifact, `/`-separated.
    pub name: String,
    /// Checksums of the file's bytes.
    pub checksums: Vec<Checksum>,
    /// Concluded license expression; `None` is no assertion.
    pub license_concluded: Option<String>,
    /// Copyright text; `None` is no assertion.
    pub copyright_text: Option<String>,
    /// Free-text comment.
    pub comment: Option<String>,
}

impl File {
    /// Hex value of the checksum with algorithm `alg`, if present.
    pub fn checksum(&self, alg: Algorithm) -> Option<&str> {
        find_checksum(&self.checksums, alg)
    }
}
