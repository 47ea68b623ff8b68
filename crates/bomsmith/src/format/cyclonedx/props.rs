//! What the CycloneDX writer and reader share: the mappings between model values and their
//! CycloneDX forms that must agree in both directions for model → CycloneDX → model to be the
//! identity (parties, hash algorithm names, component types and purposes, CPE kinds, the
//! document name derived from the root component, which license expressions are native).

use crate::model::{Algorithm, Package, Purpose, RefKind};
use serde_json::{Map, Value, json};

/// The document name the reader derives when the BOM carries none: the root's name and version.
pub(super) fn derived_name(root: Option<&Package>) -> String {
    match root {
        Some(p) => match &p.version {
            Some(v) => format!("{} {v}", p.name),
            None => p.name.clone(),
        },
        None => "CycloneDX BOM".to_owned(),
    }
}

/// `Organization: name (email)` / `Person: name (email)`, as SPDX writes parties.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Party<'a> {
    /// `Organization:` rather than `Person:`.
    pub(super) organization: bool,
    /// The name, without the email.
    pub(super) name: &'a str,
    /// The email in the trailing parentheses, when it looks like one.
    pub(super) email: Option<&'a str>,
}

impl<'a> Party<'a> {
    /// Splits an SPDX party; `None` for anything but `Organization:`/`Person:` with a name.
    pub(super) fn parse(s: &'a str) -> Option<Party<'a>> {
        let (organization, rest) = if let Some(r) = s.strip_prefix("Organization: ") {
            (true, r)
        } else {
            (false, s.strip_prefix("Person: ")?)
        };
        let (name, email) = match rest.strip_suffix(')').and_then(|r| r.rsplit_once(" (")) {
            Some((n, e)) if e.contains('@') && !e.contains(char::is_whitespace) => (n, Some(e)),
            _ => (rest, None),
        };
        (!name.trim().is_empty()).then_some(Party {
            organization,
            name,
            email,
        })
    }

    /// The SPDX form of a party, the inverse of [`Party::parse`] for what it accepts.
    pub(super) fn render(organization: bool, name: &str, email: Option<&str>) -> String {
        let kind = if organization {
            "Organization"
        } else {
            "Person"
        };
        match email {
            Some(e) => format!("{kind}: {name} ({e})"),
            None => format!("{kind}: {name}"),
        }
    }

    /// As a CycloneDX `organizationalEntity`.
    pub(super) fn entity(&self) -> Value {
        let mut m = Map::new();
        m.insert("name".into(), json!(self.name));
        if let Some(e) = self.email {
            m.insert("contact".into(), json!([{"email": e}]));
        }
        Value::Object(m)
    }

    /// As a CycloneDX `organizationalContact`.
    pub(super) fn contact(&self) -> Value {
        let mut m = Map::new();
        m.insert("name".into(), json!(self.name));
        if let Some(e) = self.email {
            m.insert("email".into(), json!(e));
        }
        Value::Object(m)
    }
}

/// CycloneDX's name for a checksum algorithm, where it has one.
pub(super) fn hash_alg(a: Algorithm) -> Option<&'static str> {
    Some(match a {
        Algorithm::Md5 => "MD5",
        Algorithm::Sha1 => "SHA-1",
        Algorithm::Sha256 => "SHA-256",
        Algorithm::Sha384 => "SHA-384",
        Algorithm::Sha512 => "SHA-512",
        Algorithm::Sha3_256 => "SHA3-256",
        Algorithm::Sha3_384 => "SHA3-384",
        Algorithm::Sha3_512 => "SHA3-512",
        Algorithm::Blake2b256 => "BLAKE2b-256",
        Algorithm::Blake2b384 => "BLAKE2b-384",
        Algorithm::Blake2b512 => "BLAKE2b-512",
        Algorithm::Blake3 => "BLAKE3",
        _ => return None,
    })
}

/// The algorithm CycloneDX names `name`: the inverse of [`hash_alg`].
pub(super) fn alg_from_cdx(name: &str) -> Option<Algorithm> {
    Algorithm::ALL
        .into_iter()
        .find(|a| hash_alg(*a) == Some(name))
}

/// The component type for a purpose, and whether it reads back as the same purpose.
pub(super) fn component_type(purpose: Option<Purpose>) -> (&'static str, bool) {
    match purpose {
        Some(Purpose::Application) => ("application", true),
        Some(Purpose::Framework) => ("framework", true),
        Some(Purpose::Library) => ("library", true),
        Some(Purpose::Container) => ("container", true),
        Some(Purpose::OperatingSystem) => ("operating-system", true),
        Some(Purpose::Device) => ("device", true),
        Some(Purpose::Firmware) => ("firmware", true),
        // A `file` component reads back as a model file unless told otherwise.
        Some(Purpose::File) => ("file", false),
        Some(Purpose::Source | Purpose::Archive | Purpose::Install | Purpose::Other) | None => {
            ("library", false)
        }
    }
}

/// The purpose a component type reads as, and whether that is exact.
pub(super) fn purpose_of(kind: &str) -> (Purpose, bool) {
    match kind {
        "application" => (Purpose::Application, true),
        "framework" => (Purpose::Framework, true),
        "library" => (Purpose::Library, true),
        "container" => (Purpose::Container, true),
        "operating-system" => (Purpose::OperatingSystem, true),
        "device" => (Purpose::Device, true),
        "firmware" => (Purpose::Firmware, true),
        "file" => (Purpose::File, true),
        _ => (Purpose::Other, false),
    }
}

/// True when `e` can stand in a CycloneDX `expression`: a valid SPDX license expression.
pub(super) fn expressible(e: &str) -> bool {
    matches!(crate::spec::license_expression(e), Ok(Some(_)))
}

/// The kind of a CPE by its form: `cpe:2.3:` is CPE 2.3, anything else the 2.2 URI form.
pub(super) fn cpe_kind(locator: &str) -> RefKind {
    if locator.starts_with("cpe:2.3:") {
        RefKind::Cpe23
    } else {
        RefKind::Cpe22
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parties_parse_and_render() {
        assert_eq!(
            Party::parse("Organization: ACME (info@acme.example)"),
            Some(Party {
                organization: true,
                name: "ACME",
                email: Some("info@acme.example"),
            })
        );
        // Parentheses without an email are part of the name.
        assert_eq!(
            Party::parse("Person: Bob (no mail)"),
            Some(Party {
                organization: false,
                name: "Bob (no mail)",
                email: None,
            })
        );
        for not_a_party in ["Person:  ", "Tool: x", "NOASSERTION", "Organization:ACME"] {
            assert_eq!(Party::parse(not_a_party), None, "{not_a_party}");
        }
        assert_eq!(
            Party::render(true, "ACME", Some("a@acme.example")),
            "Organization: ACME (a@acme.example)"
        );
        assert_eq!(Party::render(false, "Jane", None), "Person: Jane");
    }

    #[test]
    fn hash_algorithm_names_go_both_ways() {
        let names = [
            (Algorithm::Sha1, Some("SHA-1")),
            (Algorithm::Sha224, None),
            (Algorithm::Sha256, Some("SHA-256")),
            (Algorithm::Sha384, Some("SHA-384")),
            (Algorithm::Sha512, Some("SHA-512")),
            (Algorithm::Sha3_256, Some("SHA3-256")),
            (Algorithm::Sha3_384, Some("SHA3-384")),
            (Algorithm::Sha3_512, Some("SHA3-512")),
            (Algorithm::Blake2b256, Some("BLAKE2b-256")),
            (Algorithm::Blake2b384, Some("BLAKE2b-384")),
            (Algorithm::Blake2b512, Some("BLAKE2b-512")),
            (Algorithm::Blake3, Some("BLAKE3")),
            (Algorithm::Md2, None),
            (Algorithm::Md4, None),
            (Algorithm::Md5, Some("MD5")),
            (Algorithm::Md6, None),
            (Algorithm::Adler32, None),
        ];
        for (alg, name) in names {
            assert_eq!(hash_alg(alg), name, "{alg}");
            if let Some(name) = name {
                assert_eq!(alg_from_cdx(name), Some(alg));
            }
        }
        // SPDX spells it SHA256; CycloneDX does not.
        assert_eq!(alg_from_cdx("SHA256"), None);
    }

    #[test]
    fn component_types_claimed_exact_read_back_as_the_same_purpose() {
        assert_eq!(
            component_type(Some(Purpose::OperatingSystem)),
            ("operating-system", true)
        );
        assert_eq!(component_type(Some(Purpose::Source)), ("library", false));
        assert_eq!(component_type(None), ("library", false));
        assert_eq!(purpose_of("platform"), (Purpose::Other, false));
        for p in Purpose::ALL {
            let (kind, exact) = component_type(Some(p));
            if exact {
                assert_eq!(purpose_of(kind), (p, true), "{kind}");
            }
        }
    }

    #[test]
    fn the_derived_name_is_the_root_name_and_version() {
        let root = Package {
            name: "demo".into(),
            version: Some("1.0".into()),
            ..Package::default()
        };
        assert_eq!(derived_name(Some(&root)), "demo 1.0");
        let unversioned = Package {
            version: None,
            ..root
        };
        assert_eq!(derived_name(Some(&unversioned)), "demo");
        assert_eq!(derived_name(None), "CycloneDX BOM");
        assert_eq!(cpe_kind("cpe:2.3:a:x:y:1:*:*:*:*:*:*:*"), RefKind::Cpe23);
        assert_eq!(cpe_kind("cpe:/a:x:y:1"), RefKind::Cpe22);
    }
}
