//! Python distributions: a wheel's own core metadata (who supplies the project), and wheels
//! bundled in an input (CPython's `Lib/ensurepip/_bundled/pip-*.whl`) with the projects they
//! vendor, listed in a `vendor.txt` inside them.

use super::{Detector, Evidence};
use crate::error::{Error, Result};
use crate::glob::PathGlob;
use crate::ident::{parse_pin, split_artifact_name};
use crate::input::{self, Limits};
use crate::inventory::{CAPTURE_LIMIT, Inventory};
use std::collections::HashMap;

/// What a distribution's core metadata (`METADATA`, `PKG-INFO`) says of its project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistMetadata {
    /// The file it was read from.
    pub path: String,
    /// `Name:`.
    pub name: String,
    /// `Version:`, when stated.
    pub version: Option<String>,
    /// The maintainer, or else the author, as `Person: name (email)`.
    pub supplier: Option<String>,
    /// `License-Expression:` (PEP 639), as written.
    pub license_expression: Option<String>,
    /// `License:` (free text or an expression; continuation lines joined by newlines).
    pub license: Option<String>,
    /// `Home-page:`, else the `Project-URL:` labelled `Homepage`.
    pub homepage: Option<String>,
}

/// Reads the header block of core metadata (RFC 822 style; the body after the first blank
/// line is the description and is not read). `None` without a `Name:`.
pub fn parse_metadata(path: &str, bytes: &[u8]) -> Option<DistMetadata> {
    let text = String::from_utf8_lossy(bytes);
    let mut fields: HashMap<String, String> = HashMap::new();
    let mut project_urls: Vec<(String, String)> = Vec::new();
    // The field a continuation line continues, when it is the first of its name.
    let mut continued: Option<String> = None;
    for line in text.lines() {
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            // A folded line: `License:` texts span several (`        |` prefixed in newer
            // metadata, plain indentation in older).
            if let Some(f) = continued.as_ref().and_then(|k| fields.get_mut(k)) {
                let t = line.trim_start();
                f.push('\n');
                f.push_str(t.strip_prefix('|').unwrap_or(t).trim_end());
            }
            continue;
        }
        continued = None;
        if let Some((k, v)) = line.split_once(':') {
            let key = k.trim().to_ascii_lowercase();
            if key == "project-url"
                && let Some((label, url)) = v.split_once(',')
            {
                project_urls.push((label.trim().to_owned(), url.trim().to_owned()));
            }
            if !fields.contains_key(&key) {
                fields.insert(key.clone(), v.trim().to_owned());
                continued = Some(key);
            }
        }
    }
    let person = |who: &str| -> Option<String> {
        let plain = fields.get(who).filter(|v| !v.is_empty() && *v != "UNKNOWN");
        let email = fields
            .get(&format!("{who}-email"))
            .filter(|v| !v.is_empty());
        // `Name <address>, ...`: the first entry.
        let (email_name, address) = match email.and_then(|e| e.split(',').next()) {
            Some(e) => match e.split_once('<') {
                Some((n, a)) => (
                    Some(n.trim().trim_matches('"').to_owned()).filter(|n| !n.is_empty()),
                    Some(a.trim_end_matches(['>', ' ']).trim().to_owned()),
                ),
                None => (None, Some(e.trim().to_owned())),
            },
            None => (None, None),
        };
        let shown = plain.cloned().or(email_name)?;
        Some(match address {
            Some(a) if !a.is_empty() => format!("Person: {shown} ({a})"),
            _ => format!("Person: {shown}"),
        })
    };
    let supplier = person("maintainer").or_else(|| person("author"));
    let stated = |key: &str| {
        fields
            .get(key)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty() && v != "UNKNOWN")
    };
    let homepage = stated("home-page").or_else(|| {
        project_urls
            .iter()
            .find(|(label, _)| {
                let l: String = label.chars().filter(char::is_ascii_alphanumeric).collect();
                l.eq_ignore_ascii_case("homepage")
            })
            .map(|(_, url)| url.clone())
            .filter(|u| !u.is_empty())
    });
    Some(DistMetadata {
        path: path.to_owned(),
        name: stated("name")?,
        version: stated("version"),
        supplier,
        license_expression: stated("license-expression"),
        license: stated("license"),
        homepage,
    })
}

/// True for the core metadata of an sdist (or an unpacked source tree): `PKG-INFO` at the top
/// of the input, once an archive's single top directory is stripped.
pub fn is_sdist_metadata(path: &str) -> bool {
    path == "PKG-INFO"
}

/// True for the core metadata of a wheel's own distribution: `NAME-VERSION.dist-info/METADATA`
/// at the top of the input.
fn is_top_level_metadata(path: &str) -> bool {
    path.ends_with(".dist-info/METADATA") && path.matches('/').count() == 1
}

/// Reads the core metadata of the distribution the input is: a wheel's own
/// `NAME-VERSION.dist-info/METADATA`, an sdist's `PKG-INFO`.
#[derive(Debug, Clone, Copy, Default)]
pub struct DistMetadataDetector;

impl Detector for DistMetadataDetector {
    fn wants(&self, path: &str) -> bool {
        is_top_level_metadata(path) || is_sdist_metadata(path)
    }

    fn detect(&self, inventory: &Inventory, found: &mut Vec<Evidence>) -> Result<()> {
        for path in inventory.under("").filter(|p| self.wants(p)) {
            // Too large to be core metadata: not evidence of anything.
            let Ok(Some(bytes)) = inventory.bytes(path) else {
                continue;
            };
            if let Some(m) = parse_metadata(path, &bytes) {
                found.push(Evidence::Metadata(m));
            }
        }
        Ok(())
    }
}

/// A wheel bundled in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundledWheel {
    /// Its path in the input.
    pub path: String,
    /// The project, from the file name.
    pub name: String,
    /// Its version, from the file name.
    pub version: String,
    /// Hex SHA-256 of the wheel file.
    pub sha256: String,
    /// The projects it vendors, `(name, version)` in list order.
    pub vendored: Vec<(String, String)>,
}

/// Finds the wheels a pattern matches, and what each vendors.
#[derive(Debug, Clone)]
pub struct BundledWheelDetector {
    /// Where the wheels sit (a path pattern).
    pub pattern: PathGlob,
    /// The pattern as written, for messages.
    pub pattern_text: String,
    /// No match is an error.
    pub required: bool,
    /// Path, inside each wheel, of its `name==version` list of vendored projects.
    pub vendored: Option<String>,
    /// Bounds for reading the wheels.
    pub limits: Limits,
}

impl Detector for BundledWheelDetector {
    fn wants(&self, path: &str) -> bool {
        self.vendored.is_some() && self.pattern.is_match(path)
    }

    fn detect(&self, inventory: &Inventory, found: &mut Vec<Evidence>) -> Result<()> {
        let matches: Vec<&str> = inventory
            .under("")
            .filter(|p| self.pattern.is_match(p))
            .collect();
        if matches.is_empty() && self.required {
            return Err(Error::Mismatch {
                file: inventory.input.clone(),
                message: format!(
                    "the configuration expects a wheel at `{}`, and the input has none",
                    self.pattern_text
                ),
            });
        }
        for path in matches {
            let file_name = path.rsplit('/').next().unwrap_or(path);
            let (name, version) = split_artifact_name(file_name);
            let version = version.ok_or_else(|| Error::Mismatch {
                file: inventory.place(path),
                message: "a wheel's file name must be NAME-VERSION-TAGS.whl".into(),
            })?;
            let sha256 = inventory
                .file(path)
                .and_then(|f| f.digests.as_ref())
                .map(|d| hex::encode(d.sha256))
                .unwrap_or_default();
            let vendored = match &self.vendored {
                Some(list) => self.vendored_projects(inventory, path, list)?,
                None => Vec::new(),
            };
            found.push(Evidence::Wheel(BundledWheel {
                path: path.to_owned(),
                name,
                version,
                sha256,
                vendored,
            }));
        }
        Ok(())
    }
}

impl BundledWheelDetector {
    /// The pins of `list` inside the wheel at `path`.
    fn vendored_projects(
        &self,
        inventory: &Inventory,
        path: &str,
        list: &str,
    ) -> Result<Vec<(String, String)>> {
        let wheel_where = inventory.place(path);
        let bytes = inventory.bytes(path)?.ok_or_else(|| Error::Mismatch {
            file: wheel_where.clone(),
            message: "wheel content was not captured".into(),
        })?;
        let list_where = format!("{wheel_where}!{list}");
        let found = input::member(&bytes, &wheel_where, list, &self.limits, CAPTURE_LIMIT)?;
        let list_bytes = found.ok_or_else(|| Error::Mismatch {
            file: wheel_where.clone(),
            message: format!("the wheel has no `{list}`"),
        })?;
        let text = String::from_utf8(list_bytes).map_err(|_| Error::Mismatch {
            file: list_where.clone(),
            message: "not valid UTF-8".into(),
        })?;
        let mut out = Vec::new();
        for (lineno, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let (name, version) = parse_pin(line).ok_or_else(|| Error::Mismatch {
                file: format!("{list_where}:{}", lineno + 1),
                message: format!("expected `name==version`, found `{line}`"),
            })?;
            out.push((name.to_owned(), version.to_owned()));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn supplier_from_core_metadata() {
        let meta = b"Metadata-Version: 2.4\nName: Pillow\nVersion: 13.0.0\nAuthor-email: Jeffrey 'Alex' Clark <aclark@aclark.net>, Other <o@x.org>\n\nBody: not a header\n";
        let m = parse_metadata("p.dist-info/METADATA", meta).expect("has a name");
        assert_eq!(m.name, "Pillow");
        assert_eq!(m.version.as_deref(), Some("13.0.0"));
        assert_eq!(
            m.supplier.as_deref(),
            Some("Person: Jeffrey 'Alex' Clark (aclark@aclark.net)")
        );
        let meta = b"Name: x\nAuthor: A\nAuthor-email: a@x.org\nMaintainer: M Team\n";
        let m = parse_metadata("x", meta).expect("has a name");
        assert_eq!(m.supplier.as_deref(), Some("Person: M Team"));
        let m = parse_metadata("x", b"Name: x\nAuthor: UNKNOWN\n").expect("has a name");
        assert_eq!(m.supplier, None);
        assert_eq!(parse_metadata("x", b"Version: 1\n"), None);
    }

    #[test]
    fn licence_and_home_page_from_core_metadata() {
        let meta = b"Name: a\nLicense-Expression: MIT-CMU\nLicense: ignored here\nHome-page: UNKNOWN\nProject-URL: Source, https://s.example\nProject-URL: Home-Page, https://h.example\n";
        let m = parse_metadata("a.dist-info/METADATA", meta).expect("has a name");
        assert_eq!(m.license_expression.as_deref(), Some("MIT-CMU"));
        assert_eq!(m.license.as_deref(), Some("ignored here"));
        assert_eq!(m.homepage.as_deref(), Some("https://h.example"));
        // Folded licence text, in both the old and the `|` style; a folded line of another
        // field is not taken for the licence's.
        let meta = b"Name: b\nClassifier: x\n  y\nLicense: First line\n        second line\n       |third line\nHome-page: https://b.example\n";
        let m = parse_metadata("PKG-INFO", meta).expect("has a name");
        assert_eq!(
            m.license.as_deref(),
            Some("First line\nsecond line\nthird line")
        );
        assert_eq!(m.homepage.as_deref(), Some("https://b.example"));
        assert_eq!(m.license_expression, None);
    }
}
