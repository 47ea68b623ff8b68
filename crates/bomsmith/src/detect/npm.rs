//! npm packages: what an npm tarball's `package/package.json` (an unpacked package's
//! `package.json`) says of the package: name, version, licence, who supplies it, its home page.

use super::{Detector, Evidence};
use crate::error::{Error, Result};
use crate::inventory::Inventory;
use serde_json::Value;

/// The manifest's path once an archive's single top directory (`package/`) is stripped.
pub const MANIFEST: &str = "package.json";

/// What a `package.json` says of its package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NpmPackage {
    /// The file it was read from.
    pub path: String,
    /// `name`, a scope included (`@scope/name`).
    pub name: String,
    /// `version`, when stated.
    pub version: Option<String>,
    /// The licence as declared: `license` (a string, or the `type` of a legacy object), else
    /// the `type`s of a legacy `licenses` array joined with ` OR `.
    pub license: Option<String>,
    /// The first of `maintainers`, else `author`, as `Person: name (email)`.
    pub supplier: Option<String>,
    /// `homepage`, else the web address of `repository`.
    pub homepage: Option<String>,
    /// `"private": true`: never published, so it has no registry identity.
    pub private: bool,
}

/// A person field: `"Name <email> (url)"` or `{"name", "email", "url"}`.
fn person(v: &Value) -> Option<String> {
    let (name, email) = match v {
        Value::String(s) => {
            let before_url = s.split('(').next().unwrap_or(s);
            match before_url.split_once('<') {
                Some((n, rest)) => (
                    n.trim().to_owned(),
                    rest.split('>').next().map(|e| e.trim().to_owned()),
                ),
                None => (before_url.trim().to_owned(), None),
            }
        }
        Value::Object(m) => (
            m.get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .trim()
                .to_owned(),
            m.get("email")
                .and_then(Value::as_str)
                .map(|e| e.trim().to_owned()),
        ),
        _ => return None,
    };
    if name.is_empty() {
        return None;
    }
    Some(match email.filter(|e| !e.is_empty()) {
        Some(e) => format!("Person: {name} ({e})"),
        None => format!("Person: {name}"),
    })
}

/// A licence entry: a string, or a legacy `{"type": ...}` object.
fn license_of(v: &Value) -> Option<String> {
    let text = match v {
        Value::String(s) => s.as_str(),
        Value::Object(m) => m.get("type").and_then(Value::as_str)?,
        _ => return None,
    };
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// A web address from `repository` (`"https://…"`, `{"url": "git+https://….git"}`); `None` for
/// shorthands (`github:user/repo`, `user/repo`), which are not addresses.
fn repository_url(v: &Value) -> Option<String> {
    let url = match v {
        Value::String(s) => s.as_str(),
        Value::Object(m) => m.get("url").and_then(Value::as_str)?,
        _ => return None,
    };
    let url = url.trim();
    let url = url.strip_prefix("git+").unwrap_or(url);
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return None;
    }
    Some(url.strip_suffix(".git").unwrap_or(url).to_owned())
}

/// Reads a `package.json`. `Ok(None)` when it names no package (a workspace root has no
/// `name`); an error naming `place` when it is not a JSON object.
pub fn parse_manifest(path: &str, place: &str, bytes: &[u8]) -> Result<Option<NpmPackage>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let v: Value = serde_json::from_slice(bytes).map_err(|e| Error::Text {
        file: place.to_owned(),
        line: e.line(),
        message: format!("package.json is not valid JSON: {e}"),
    })?;
    let Some(m) = v.as_object() else {
        return Err(Error::Document {
            file: place.to_owned(),
            pointer: String::new(),
            message: "package.json is not a JSON object".into(),
        });
    };
    let text = |key: &str| {
        m.get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let Some(name) = text("name") else {
        return Ok(None);
    };
    let license = m.get("license").and_then(license_of).or_else(|| {
        let types: Vec<String> = m
            .get("licenses")?
            .as_array()?
            .iter()
            .filter_map(license_of)
            .collect();
        match types.len() {
            0 => None,
            1 => types.into_iter().next(),
            _ => Some(format!("({})", types.join(" OR "))),
        }
    });
    let supplier = m
        .get("maintainers")
        .and_then(Value::as_array)
        .and_then(|a| a.iter().find_map(person))
        .or_else(|| m.get("author").and_then(person));
    let homepage = text("homepage").or_else(|| m.get("repository").and_then(repository_url));
    Ok(Some(NpmPackage {
        path: path.to_owned(),
        name,
        version: text("version"),
        license,
        supplier,
        homepage,
        private: m.get("private").and_then(Value::as_bool) == Some(true),
    }))
}

/// Reads the manifest of the npm package the input is: `package.json` at its top.
#[derive(Debug, Clone, Copy, Default)]
pub struct NpmManifestDetector;

impl Detector for NpmManifestDetector {
    fn wants(&self, path: &str) -> bool {
        path == MANIFEST
    }

    fn detect(&self, inventory: &Inventory, found: &mut Vec<Evidence>) -> Result<()> {
        if !inventory.has(MANIFEST) {
            return Ok(());
        }
        // Too large to be a manifest: not evidence of anything.
        let Ok(Some(bytes)) = inventory.bytes(MANIFEST) else {
            return Ok(());
        };
        if let Some(p) = parse_manifest(MANIFEST, &inventory.place(MANIFEST), &bytes)? {
            found.push(Evidence::Npm(p));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> NpmPackage {
        parse_manifest("package.json", "x.tgz!package.json", json.as_bytes())
            .expect("valid")
            .expect("named")
    }

    #[test]
    fn manifest_fields() {
        let p = parse(
            r#"{"name": "sqlite3", "version": "5.1.7", "license": "BSD-3-Clause",
                "author": {"name": "Mapbox", "url": "https://mapbox.com/"},
                "repository": {"type": "git", "url": "https://github.com/TryGhost/node-sqlite3.git"}}"#,
        );
        assert_eq!(p.name, "sqlite3");
        assert_eq!(p.version.as_deref(), Some("5.1.7"));
        assert_eq!(p.license.as_deref(), Some("BSD-3-Clause"));
        assert_eq!(p.supplier.as_deref(), Some("Person: Mapbox"));
        assert_eq!(
            p.homepage.as_deref(),
            Some("https://github.com/TryGhost/node-sqlite3")
        );
        assert!(!p.private);
    }

    #[test]
    fn legacy_licence_forms_and_people() {
        let p = parse(
            r#"{"name": "@scope/x", "license": {"type": "MIT", "url": "u"},
                "author": "Jane Doe <jane@example.org> (https://example.org)",
                "homepage": "https://example.org/x", "private": true}"#,
        );
        assert_eq!(p.license.as_deref(), Some("MIT"));
        assert_eq!(
            p.supplier.as_deref(),
            Some("Person: Jane Doe (jane@example.org)")
        );
        assert_eq!(p.homepage.as_deref(), Some("https://example.org/x"));
        assert!(p.private);
        assert_eq!(p.version, None);
        let p = parse(
            r#"{"name": "y", "licenses": [{"type": "MIT"}, {"type": "Apache-2.0"}],
                "maintainers": [{"name": "M", "email": "m@x.org"}], "author": "A",
                "repository": "github:user/y"}"#,
        );
        assert_eq!(p.license.as_deref(), Some("(MIT OR Apache-2.0)"));
        assert_eq!(p.supplier.as_deref(), Some("Person: M (m@x.org)"));
        assert_eq!(p.homepage, None);
        let p = parse(r#"{"name": "z", "licenses": ["ISC"]}"#);
        assert_eq!(p.license.as_deref(), Some("ISC"));
    }

    #[test]
    fn unnamed_and_malformed_manifests() {
        assert_eq!(
            parse_manifest("package.json", "p", br#"{"private": true}"#).expect("valid"),
            None
        );
        let e = parse_manifest("package.json", "a.tgz!package.json", b"{\n  \"name\": }")
            .expect_err("malformed");
        let text = e.to_string();
        assert!(text.contains("a.tgz!package.json:2:"), "{text}");
        let e = parse_manifest("package.json", "a.tgz!package.json", b"[1]").expect_err("array");
        assert!(e.to_string().contains("not a JSON object"), "{e}");
    }
}
