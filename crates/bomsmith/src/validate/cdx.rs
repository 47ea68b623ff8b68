//! CycloneDX 1.2–1.7 JSON: the semantic rules the schemas do not say.

use super::{Sink, array_at, child, item, str_at};
use crate::model::Algorithm;
use crate::spec::Spec;
use serde_json::Value;
use std::collections::HashMap;

crate::rules! {
    RULES, "cyclonedx", "docs/validate.md";
    SCHEMA = "CDX001", "cyclonedx-schema", Error,
        "The BOM breaks the official CycloneDX JSON schema of the version it states (1.2 to 1.7).";
    SPEC_VERSION = "CDX002", "spec-version", Error,
        "`specVersion` must be a CycloneDX version bomsmith judges: 1.2 to 1.7.";
    DUPLICATE_BOM_REF = "CDX003", "duplicate-bom-ref", Error,
        "Two components or services have the same `bom-ref` (CycloneDX 1.4 and later: it \"MUST be unique within the BOM\"), so a reference to it is ambiguous.";
    DANGLING_DEPENDENCY = "CDX004", "dangling-dependency", Error,
        "A `dependencies` entry names a `bom-ref` that is not in the BOM.";
    SERIAL_NUMBER = "CDX005", "serial-number", Error,
        "`serialNumber` must be `urn:uuid:` followed by an RFC 4122 UUID.";
    PURL = "CDX006", "cyclonedx-purl-malformed", Error,
        "A component's `purl` must be a well-formed package URL (the purl-spec syntax and its registered type's rules, as SPDX018).";
    PURL_VERSION = "CDX007", "purl-version-mismatch", Warning,
        "The version in a component's `purl` differs from its `version`.";
    HASH_LENGTH = "CDX008", "hash-length", Error,
        "A hash's `content` must be hex of the length its `alg` gives.";
    LICENSE_EXPRESSION = "CDX009", "cyclonedx-license-expression", Error,
        "A license `expression` must be a valid SPDX license expression.";
    REPEATED_BOM_REF = "CDX010", "repeated-bom-ref", Warning,
        "A `bom-ref` is used twice where no component or service graph depends on it (as in `formulation`), or in CycloneDX 1.2 and 1.3, whose text says it \"should be unique\".";
}

/// Hex length of a CycloneDX hash algorithm's digest, where fixed: CycloneDX spells the SHA-2
/// family `SHA-256` where SPDX (and [`Algorithm`]) spell it `SHA256`.
pub fn hash_length(alg: &str) -> Option<usize> {
    let name = alg
        .strip_prefix("SHA-")
        .map_or_else(|| alg.to_owned(), |rest| format!("SHA{rest}"));
    Algorithm::from_name(&name).and_then(Algorithm::hex_len)
}

/// Checks `doc` (a CycloneDX BOM) and reports to `sink`.
pub fn check(spec: Spec, doc: &Value, sink: &mut Sink) {
    if let Some(sn) = str_at(doc, "serialNumber")
        && !serial_number(sn)
    {
        sink.report(
            &SERIAL_NUMBER,
            "/serialNumber",
            format!("serialNumber `{sn}` is not `urn:uuid:` and an RFC 4122 UUID"),
        );
    }
    let mut refs: HashMap<&str, String> = HashMap::new();
    let mut path = String::new();
    walk(spec, doc, &mut path, &mut refs, sink);
    for (i, d) in array_at(doc, "dependencies").iter().enumerate() {
        let at = item("/dependencies", i);
        if let Some(r) = str_at(d, "ref")
            && !refs.contains_key(r)
        {
            sink.report(
                &DANGLING_DEPENDENCY,
                child(&at, "ref"),
                format!("dependency entry for `{r}`, which is no bom-ref in the BOM"),
            );
        }
        for key in ["dependsOn", "provides"] {
            for (j, r) in array_at(d, key).iter().enumerate() {
                if let Some(r) = r.as_str()
                    && !refs.contains_key(r)
                {
                    sink.report(
                        &DANGLING_DEPENDENCY,
                        item(&child(&at, key), j),
                        format!("{key} names `{r}`, which is no bom-ref in the BOM"),
                    );
                }
            }
        }
    }
}

/// Visits every object: collects bom-refs, checks hashes, PURLs and license expressions.
fn walk<'v>(
    spec: Spec,
    v: &'v Value,
    path: &mut String,
    refs: &mut HashMap<&'v str, String>,
    sink: &mut Sink,
) {
    match v {
        Value::Object(m) => {
            if let Some(r) = m.get("bom-ref").and_then(Value::as_str) {
                let at = child(path, "bom-ref");
                match refs.get(r) {
                    Some(first) => {
                        let graph = |p: &str| {
                            ["/components/", "/services/", "/metadata/component"]
                                .iter()
                                .any(|g| p.starts_with(g))
                        };
                        let rule = if spec >= Spec::CycloneDx14 && graph(first) && graph(path) {
                            &DUPLICATE_BOM_REF
                        } else {
                            &REPEATED_BOM_REF
                        };
                        sink.report(
                            rule,
                            at,
                            format!("bom-ref `{r}` is already used at {first}"),
                        );
                    }
                    None => {
                        refs.insert(r, path.clone());
                    }
                }
            }
            if let Some(Value::Array(hashes)) = m.get("hashes") {
                check_hashes(hashes, path, sink);
            }
            if let Some(purl) = m.get("purl").and_then(Value::as_str) {
                check_purl(purl, m.get("version").and_then(Value::as_str), path, sink);
            }
            if let Some(e) = m.get("expression").and_then(Value::as_str)
                && path.contains("/licenses/")
                && let Err(why) = crate::spec::license_expression(e).map(drop)
            {
                sink.report(
                    &LICENSE_EXPRESSION,
                    child(path, "expression"),
                    format!("license expression `{e}` is not valid: {why}"),
                );
            }
            for (k, child_value) in m {
                if matches!(child_value, Value::Object(_) | Value::Array(_)) {
                    let len = path.len();
                    crate::json::push_pointer_token(path, k);
                    walk(spec, child_value, path, refs, sink);
                    path.truncate(len);
                }
            }
        }
        Value::Array(list) => {
            for (i, e) in list.iter().enumerate() {
                if matches!(e, Value::Object(_) | Value::Array(_)) {
                    let len = path.len();
                    path.push('/');
                    path.push_str(&i.to_string());
                    walk(spec, e, path, refs, sink);
                    path.truncate(len);
                }
            }
        }
        _ => {}
    }
}

fn check_hashes(hashes: &[Value], at: &str, sink: &mut Sink) {
    for (i, h) in hashes.iter().enumerate() {
        let (Some(alg), Some(content)) = (str_at(h, "alg"), str_at(h, "content")) else {
            continue;
        };
        let Some(len) = hash_length(alg) else {
            continue;
        };
        if content.len() != len || !content.bytes().all(|b| b.is_ascii_hexdigit()) {
            sink.report(
                &HASH_LENGTH,
                child(&item(&child(at, "hashes"), i), "content"),
                format!(
                    "{alg} hash `{content}` is {} characters, {alg} gives {len} hex digits",
                    content.len()
                ),
            );
        }
    }
}

fn check_purl(purl: &str, version: Option<&str>, at: &str, sink: &mut Sink) {
    match crate::ident::parse_purl(purl) {
        Err(why) => sink.report(
            &PURL,
            child(at, "purl"),
            format!("purl `{purl}` is malformed: {why}"),
        ),
        Ok(p) => {
            if let (Some(found), Some(v)) = (p.version(), version)
                && found != v
            {
                sink.report(
                    &PURL_VERSION,
                    child(at, "purl"),
                    format!("purl `{purl}` names version {found}, the component is {v}"),
                );
            }
        }
    }
}

/// `urn:uuid:` and 8-4-4-4-12 hex digits (either case).
pub fn serial_number(s: &str) -> bool {
    s.strip_prefix("urn:uuid:")
        .is_some_and(|u| crate::ident::is_uuid(&u.to_ascii_lowercase()))
}
