//! SBOMs kept in the input (CPython's `Misc/sbom.spdx.json`): the packages they declare, and
//! the files they say are those packages', each checked against the file the input holds.

use super::{Detector, Evidence};
use crate::error::{Error, Result};
use crate::format::{ReadReport, spdx2};
use crate::inventory::Inventory;
use crate::model::{Algorithm, Document};

/// An SBOM found in the input whose every declared file is present with the declared digests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptSbom {
    /// Its path in the input.
    pub path: String,
    /// What it declares.
    pub document: Document,
    /// What of it the model could not hold.
    pub report: ReadReport,
}

/// Looks for an SPDX 2.3 JSON document at a path of the input.
#[derive(Debug, Clone)]
pub struct KeptSbomDetector {
    /// Where the document is expected.
    pub path: String,
    /// Its absence is an error (else it is simply not there).
    pub required: bool,
}

impl Detector for KeptSbomDetector {
    fn wants(&self, path: &str) -> bool {
        path == self.path
    }

    fn detect(&self, inventory: &Inventory, found: &mut Vec<Evidence>) -> Result<()> {
        let path = &self.path;
        let Some(bytes) = inventory.bytes(path)? else {
            if self.required {
                return Err(Error::Mismatch {
                    file: inventory.input.clone(),
                    message: format!(
                        "the configuration expects an SBOM at `{path}`, and the input has none"
                    ),
                });
            }
            return Ok(());
        };
        let where_ = inventory.place(path);
        let (document, report) = spdx2::read(&bytes, &where_)?;
        for f in &document.files {
            let Some(entry) = inventory.file(&f.name) else {
                return Err(Error::Mismatch {
                    file: inventory.place(&f.name),
                    message: format!("declared in `{path}` but not present in the input"),
                });
            };
            if let Some(digests) = &entry.digests {
                for (alg, actual) in [
                    (Algorithm::Sha256, hex::encode(digests.sha256)),
                    (Algorithm::Sha1, hex::encode(digests.sha1)),
                ] {
                    if let Some(declared) = f.checksum(alg)
                        && declared != actual
                    {
                        return Err(Error::Mismatch {
                            file: inventory.place(&f.name),
                            message: format!(
                                "{alg} is {actual}, but `{path}` declares {declared}: the file was changed after the SBOM was generated"
                            ),
                        });
                    }
                }
            }
            if f.checksum(Algorithm::Sha256).is_none() {
                return Err(Error::Mismatch {
                    file: where_,
                    message: format!("file `{}` has no SHA256 checksum to verify", f.name),
                });
            }
        }
        found.push(Evidence::Sbom(Box::new(KeptSbom {
            path: path.clone(),
            document,
            report,
        })));
        Ok(())
    }
}
