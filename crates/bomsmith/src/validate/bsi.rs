//! BSI TR-03183-2 v2.0.0: the required SBOM and component fields, on either format, and what
//! v2.1.0 no longer accepts.

use super::ntia::components;
use super::{Sink, array_at, str_at};
use crate::format::Kind;
use serde_json::Value;

crate::rules! {
    RULES, "bsi", "docs/validate.md";
    FORMAT_VERSION = "BSI001", "format-version", Warning,
        "TR-03183-2 v2.0.0 accepts CycloneDX 1.5 or later and SPDX 2.2.1 or later; v2.1.0 accepts only CycloneDX 1.6 or later and SPDX 3.0.1 or later.";
    CREATOR_CONTACT = "BSI002", "sbom-creator-contact", Error,
        "The SBOM's creator must be given with an email address or URL (SPDX: a creator `Person: name (email)` or `Organization: name (email)`; CycloneDX: `metadata.authors[].email`, or a `url` or contact email of `metadata.manufacturer` or `metadata.supplier`).";
    TIMESTAMP = "BSI003", "bsi-timestamp", Error,
        "The SBOM must carry its creation timestamp.";
    COMPONENT_CREATOR = "BSI004", "component-creator", Error,
        "Every component's creator must be given with an email address or URL (SPDX `supplier` or `originator` with `(email)`; CycloneDX `manufacturer`, `supplier` or `authors` with a URL or email).";
    COMPONENT_NAME = "BSI005", "bsi-component-name", Error,
        "Every component needs a name.";
    COMPONENT_VERSION = "BSI006", "bsi-component-version", Error,
        "Every component needs a version.";
    FILENAME = "BSI007", "filename", Error,
        "Every component needs the file name of its deployable form (SPDX `packageFileName`; CycloneDX property `bsi:component:filename`).";
    DEPENDENCIES = "BSI008", "dependencies", Error,
        "Every component must appear in the dependency relationships.";
    LICENCE = "BSI009", "licence", Error,
        "Every component needs its licence (SPDX `licenseConcluded` or `licenseDeclared` other than NOASSERTION; CycloneDX `licenses`).";
    HASH = "BSI010", "sha512", Error,
        "Every component needs a SHA-512 hash of its deployable form.";
    PROPERTIES = "BSI011", "component-properties", Error,
        "Every CycloneDX component needs the properties `bsi:component:executable`, `bsi:component:archive` and `bsi:component:structured` (SPDX 2.3 has no place for them, so they are not asked of it).";
}

fn contact(s: &str) -> bool {
    s.contains('@') || s.contains("://")
}

/// Any string under `v` (at any depth) for the keys given, that is a contact.
fn has_contact(v: Option<&Value>, keys: &[&str]) -> bool {
    fn any(v: &Value, keys: &[&str]) -> bool {
        match v {
            Value::Object(m) => m.iter().any(|(k, x)| {
                (keys.contains(&k.as_str()) && x.as_str().is_some_and(contact)) || any(x, keys)
            }),
            Value::Array(a) => a.iter().any(|x| any(x, keys)),
            _ => false,
        }
    }
    v.is_some_and(|v| any(v, keys))
}

/// Checks `doc` against TR-03183-2 v2.0.0.
pub fn check(kind: Kind, doc: &Value, sink: &mut Sink) {
    match kind {
        Kind::Spdx => {
            let v = str_at(doc, "spdxVersion").unwrap_or("");
            sink.report(
                &FORMAT_VERSION,
                "/spdxVersion",
                format!("{v} is accepted by TR-03183-2 v2.0.0 but not by v2.1.0, which asks for SPDX 3.0.1 or later (or CycloneDX 1.6)"),
            );
            let creators = doc.pointer("/creationInfo/creators");
            let ok = creators.and_then(Value::as_array).is_some_and(|cs| {
                cs.iter().filter_map(Value::as_str).any(|c| {
                    (c.starts_with("Person:") || c.starts_with("Organization:"))
                        && c.split_once('(').is_some_and(|(_, e)| contact(e))
                })
            });
            if !ok {
                sink.report(
                    &CREATOR_CONTACT,
                    "/creationInfo/creators",
                    "no creator is a person or organization with an email address".into(),
                );
            }
            if doc.pointer("/creationInfo/created").is_none() {
                sink.report(&TIMESTAMP, "/creationInfo", "no creation timestamp".into());
            }
        }
        Kind::CycloneDx => {
            let v = str_at(doc, "specVersion").unwrap_or("");
            let minor = v.strip_prefix("1.").and_then(|m| m.parse::<u32>().ok());
            if minor.is_some_and(|m| m < 5) {
                sink.report(
                    &FORMAT_VERSION,
                    "/specVersion",
                    format!("CycloneDX {v} is older than TR-03183-2 v2.0.0 accepts (1.5 or later)"),
                );
            }
            let meta = doc.get("metadata");
            let m = |k: &str| meta.and_then(|m| m.get(k));
            let ok = has_contact(m("authors"), &["email"])
                || has_contact(m("manufacturer"), &["url", "email"])
                || has_contact(m("supplier"), &["url", "email"]);
            if !ok {
                sink.report(
                    &CREATOR_CONTACT,
                    "/metadata",
                    "no author email, nor a manufacturer or supplier URL or email".into(),
                );
            }
            if m("timestamp").is_none() {
                sink.report(&TIMESTAMP, "/metadata", "no metadata.timestamp".into());
            }
        }
    }
    for c in components(kind, doc) {
        let v = c.value;
        let at = || c.pointer.clone();
        let label = c.label();
        let creator = match kind {
            Kind::Spdx => ["supplier", "originator"]
                .iter()
                .filter_map(|k| str_at(v, k))
                .any(|s| s.split_once('(').is_some_and(|(_, e)| contact(e))),
            Kind::CycloneDx => ["manufacturer", "supplier", "authors"]
                .iter()
                .any(|k| has_contact(v.get(*k), &["url", "email"])),
        };
        if !creator {
            sink.report(
                &COMPONENT_CREATOR,
                at(),
                format!("component {label} has no creator with an email address or URL"),
            );
        }
        if c.name.is_none() {
            sink.report(
                &COMPONENT_NAME,
                at(),
                format!("component {label} has no name"),
            );
        }
        let (version_key, file, hash, licence) = match kind {
            Kind::Spdx => (
                "versionInfo",
                str_at(v, "packageFileName").is_some(),
                array_at(v, "checksums")
                    .iter()
                    .any(|h| str_at(h, "algorithm") == Some("SHA512")),
                ["licenseConcluded", "licenseDeclared"]
                    .iter()
                    .filter_map(|k| str_at(v, k))
                    .any(|l| l != "NOASSERTION"),
            ),
            Kind::CycloneDx => (
                "version",
                property(v, "bsi:component:filename"),
                array_at(v, "hashes")
                    .iter()
                    .any(|h| str_at(h, "alg") == Some("SHA-512")),
                !array_at(v, "licenses").is_empty(),
            ),
        };
        if str_at(v, version_key).is_none() {
            sink.report(
                &COMPONENT_VERSION,
                at(),
                format!("component {label} has no version"),
            );
        }
        if !file {
            sink.report(
                &FILENAME,
                at(),
                format!("component {label} has no file name"),
            );
        }
        if !c.related {
            sink.report(
                &DEPENDENCIES,
                at(),
                format!("component {label} is not in the dependency relationships"),
            );
        }
        if !licence {
            sink.report(&LICENCE, at(), format!("component {label} has no licence"));
        }
        if !hash {
            sink.report(
                &HASH,
                at(),
                format!("component {label} has no SHA-512 hash"),
            );
        }
        if kind == Kind::CycloneDx {
            let missing: Vec<&str> = ["executable", "archive", "structured"]
                .into_iter()
                .filter(|p| !property(v, &format!("bsi:component:{p}")))
                .collect();
            if !missing.is_empty() {
                sink.report(
                    &PROPERTIES,
                    at(),
                    format!(
                        "component {label} lacks the propert{} bsi:component:{}",
                        if missing.len() == 1 { "y" } else { "ies" },
                        missing.join(", bsi:component:")
                    ),
                );
            }
        }
    }
}

fn property(v: &Value, name: &str) -> bool {
    array_at(v, "properties")
        .iter()
        .any(|p| str_at(p, "name") == Some(name))
}
