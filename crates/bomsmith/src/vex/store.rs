//! The in-tree VEX store: one OpenVEX 0.2.0 document in the project's tree (its path in
//! `bomsmith.toml`, `[vex] store`), that `bomsmith vex add|set` edit and `list|show` read.
//!
//! Why OpenVEX and not a format of bomsmith's own: the store is then itself the document a
//! project publishes (and `convert` turns it into CycloneDX or CSAF), reviewers read a format
//! they know, and history needs no extra field. A change to a statement is a new statement for
//! the same vulnerability and product with a later timestamp, exactly as OpenVEX's own history
//! examples do; the newest is current, the older ones are the history. Statements are kept in
//! a fixed order (vulnerability, product, time), so a change shows as a small diff.

use super::{VexFormat, product_key, read, time_key, write};
use crate::error::{Error, Result};
use crate::model::vex::{Product, Statement, VexDocument};
use std::path::{Path, PathBuf};

/// The store: its file and the document in it.
#[derive(Debug, Clone)]
pub struct Store {
    /// The file.
    pub path: PathBuf,
    /// The document (every statement, history included).
    pub document: VexDocument,
}

/// Why an edit was refused.
fn refuse(path: &Path, message: String) -> Error {
    Error::Unsupported {
        path: path.display().to_string(),
        message,
    }
}

impl Store {
    /// Opens the store at `path`; a file that does not exist yet is an empty store. A file that
    /// is not an OpenVEX document is refused (the store is OpenVEX).
    pub fn open(path: &Path) -> Result<Store> {
        let document = match std::fs::read(path) {
            Ok(bytes) => {
                let loaded = read(&bytes, &path.display().to_string())?;
                if loaded.format != VexFormat::OpenVex {
                    return Err(refuse(
                        path,
                        format!(
                            "a {} document; the VEX store is an OpenVEX document (convert it with `convert --to openvex`)",
                            loaded.format.name()
                        ),
                    ));
                }
                loaded.document
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => VexDocument::default(),
            Err(e) => {
                return Err(Error::Io {
                    path: path.display().to_string(),
                    source: e,
                });
            }
        };
        Ok(Store {
            path: path.to_owned(),
            document,
        })
    }

    /// The statements for `vulnerability` (by ID or alias) and `product`, oldest first.
    pub fn history(&self, vulnerability: &str, product: Option<&Product>) -> Vec<&Statement> {
        let mut out: Vec<&Statement> = self
            .document
            .statements
            .iter()
            .filter(|s| s.vulnerability.names().any(|n| n == vulnerability))
            .filter(|s| {
                product.is_none_or(|p| s.products.iter().any(|x| product_key(x) == product_key(p)))
            })
            .collect();
        out.sort_by_key(|s| time_key(s.last_updated.as_deref().or(s.timestamp.as_deref())));
        out
    }

    /// The current statements: per (vulnerability, product), the newest.
    pub fn current(&self) -> Vec<&Statement> {
        let mut best: std::collections::BTreeMap<(String, String), &Statement> =
            std::collections::BTreeMap::new();
        for s in &self.document.statements {
            for p in &s.products {
                let key = (s.vulnerability.name.clone(), product_key(p));
                let newer = best.get(&key).is_none_or(|old| {
                    time_key(s.last_updated.as_deref().or(s.timestamp.as_deref()))
                        >= time_key(old.last_updated.as_deref().or(old.timestamp.as_deref()))
                });
                if newer {
                    best.insert(key, s);
                }
            }
        }
        let mut out: Vec<&Statement> = Vec::new();
        for s in best.into_values() {
            if !out.iter().any(|x| std::ptr::eq(*x, s)) {
                out.push(s);
            }
        }
        out
    }

    /// Adds a statement (`replace`: a new version of an existing one, `vex set`; else a first
    /// one, `vex add`). The statement must keep the status rules; `add` refuses a
    /// (vulnerability, product) the store already has, `set` one it does not. `time` stamps it.
    pub fn edit(&mut self, mut statement: Statement, time: &str, replace: bool) -> Result<()> {
        let breaks = statement.rule_breaks();
        if let Some(first) = breaks.first() {
            return Err(refuse(&self.path, format!("statement refused: {first}")));
        }
        let name = statement.vulnerability.name.clone();
        for p in &statement.products {
            let exists = !self.history(&name, Some(p)).is_empty();
            match (exists, replace) {
                (true, false) => {
                    return Err(refuse(
                        &self.path,
                        format!(
                            "{name} for {} is already stated; `vex set` changes it (its history is kept)",
                            p.id
                        ),
                    ));
                }
                (false, true) => {
                    return Err(refuse(
                        &self.path,
                        format!("{name} for {} is not stated yet; `vex add` states it", p.id),
                    ));
                }
                _ => {}
            }
        }
        statement.timestamp = Some(time.to_owned());
        statement.last_updated = None;
        self.document.statements.push(statement);
        self.document.statements.sort_by_cached_key(|s| {
            (
                s.vulnerability.name.clone(),
                s.products.first().map(product_key).unwrap_or_default(),
                time_key(s.timestamp.as_deref()),
            )
        });
        if self.document.timestamp.is_none() {
            self.document.timestamp = Some(time.to_owned());
        } else {
            self.document.last_updated = Some(time.to_owned());
        }
        let version = self
            .document
            .version
            .as_deref()
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0);
        self.document.version = Some((version + 1).to_string());
        Ok(())
    }

    /// The store as the text written to its file (canonical OpenVEX 0.2.0).
    pub fn text(&self, time: &str) -> Result<String> {
        Ok(write(
            &self.document,
            VexFormat::OpenVex,
            time,
            &self.path.display().to_string(),
        )?
        .text)
    }
}
