//! SPDX 3.0.1 JSON-LD: the official JSON schema (bundled), and the rules of the SHACL model
//! (`spdx-model.ttl`) and the specification that the schema cannot say: that references
//! resolve, that every element's creation info exists, hash lengths, properties of each type,
//! one document with its root elements, unique IDs.
//!
//! The schema checks every graph node against *any* class, so its own verdict on a bad node is
//! one vague message at the node; each node that fails is checked again against the schema of
//! its own type, which names the property and the reason.

use super::{Sink, str_at};
use crate::format::spdx3::{INDIVIDUALS, hash_hex_len};
use crate::spec::SPDX_301_SCHEMA;
use serde_json::{Map, Value, json};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};

crate::rules! {
    RULES, "spdx3", "docs/validate.md";
    SCHEMA = "SPDX3001", "spdx3-schema", Error,
        "The document breaks the official SPDX 3.0.1 JSON schema.";
    DANGLING = "SPDX3002", "spdx3-dangling-reference", Error,
        "A relationship's `from` or `to`, a `rootElement` or `element`, a creator or tool, a supplier or originator, names an element that is neither in the graph, nor imported (`import` ExternalMap, or a `namespaceMap` prefix), nor a well-known individual (NoAssertionElement, NoneElement, SpdxOrganization, NoAssertionLicense, NoneLicense).";
    CREATION_INFO = "SPDX3003", "spdx3-creation-info", Error,
        "Every element must have a `creationInfo` (SHACL: minCount 1) naming a CreationInfo of the graph (a blank node such as `_:creationinfo`) or holding one.";
    HASH_LENGTH = "SPDX3004", "spdx3-hash-length", Error,
        "A Hash or PackageVerificationCode value must be hexadecimal of its algorithm's length (sha1 40, sha256 64, sha512 128, md5 32, ...).";
    UNKNOWN_PROPERTY = "SPDX3005", "spdx3-unknown-property", Error,
        "A property that the node's type (or its superclasses) does not define in SPDX 3.0.1.";
    NO_DOCUMENT = "SPDX3006", "spdx3-no-document", Error,
        "An SPDX 3 serialisation must hold one SpdxDocument, and it must name at least one `rootElement`.";
    DUPLICATE_ID = "SPDX3007", "spdx3-duplicate-id", Error,
        "Two different nodes of the graph have the same `spdxId` (or `@id`); a node repeated identically is one RDF node said twice, and passes.";
}

/// Checks `doc` (an SPDX 3 JSON-LD document): the semantic rules first, then the schema,
/// leaving out the schema's errors where a precise rule has already spoken.
pub fn check(doc: &Value, sink: &mut Sink) {
    semantic(doc, sink);
    schema(doc, sink);
}

/// Checks `doc` under `profiles`: SPDX 3 has only its own; the others are named as not
/// judging it.
pub fn check_profiles(doc: &Value, profiles: &[super::Profile], sink: &mut Sink) {
    for p in profiles {
        if *p != super::Profile::Spdx {
            sink.report(
                &super::UNKNOWN_FORMAT,
                "",
                format!(
                    "profile `{}` does not judge SPDX 3 documents (yet); bomsmith judges them by the SPDX 3.0.1 schema and model",
                    p.name()
                ),
            );
        }
    }
    check(doc, sink);
}

/// The schema's `$defs`.
fn defs() -> &'static Map<String, Value> {
    static DEFS: OnceLock<Map<String, Value>> = OnceLock::new();
    DEFS.get_or_init(|| {
        serde_json::from_str::<Value>(SPDX_301_SCHEMA)
            .ok()
            .and_then(|v| v.get("$defs").and_then(Value::as_object).cloned())
            .unwrap_or_default()
    })
}

/// The properties type `kind` has, with those of its superclasses (from the schema's
/// `<type>` and `<type>_props` definitions); `None` for a type SPDX 3.0.1 does not define.
fn properties(kind: &str) -> Option<&'static HashSet<String>> {
    static CACHE: OnceLock<HashMap<String, HashSet<String>>> = OnceLock::new();
    let all = CACHE.get_or_init(|| {
        let defs = defs();
        let mut out = HashMap::new();
        for name in defs.keys() {
            if name.ends_with("_props") || name.ends_with("_derived") || name.starts_with("prop_") {
                continue;
            }
            if !defs.contains_key(&format!("{name}_props")) {
                continue;
            }
            let mut props = HashSet::new();
            collect(defs, &defs[name], &mut props);
            out.insert(name.clone(), props);
        }
        out
    });
    all.get(kind)
}

fn collect(defs: &Map<String, Value>, v: &Value, out: &mut HashSet<String>) {
    if let Some(p) = v.get("properties").and_then(Value::as_object) {
        out.extend(p.keys().cloned());
    }
    for item in v
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        collect(defs, item, out);
    }
    if let Some(r) = v.get("$ref").and_then(Value::as_str)
        && let Some(name) = r.strip_prefix("#/$defs/")
        && (name.ends_with("_props") || name == "SHACLClass")
        && let Some(d) = defs.get(name)
    {
        collect(defs, d, out);
    }
}

/// One node of the graph.
struct Node<'v> {
    pointer: String,
    m: &'v Map<String, Value>,
    kind: &'v str,
}

fn graph(doc: &Value) -> Vec<Node<'_>> {
    doc.get("@graph")
        .and_then(Value::as_array)
        .map(|g| {
            g.iter()
                .enumerate()
                .filter_map(|(i, v)| {
                    let m = v.as_object()?;
                    Some(Node {
                        pointer: format!("/@graph/{i}"),
                        m,
                        kind: m.get("type").and_then(Value::as_str).unwrap_or(""),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

fn semantic(doc: &Value, sink: &mut Sink) {
    let nodes = graph(doc);
    if nodes.is_empty() && doc.get("@graph").is_none() {
        // A document of one node without `@graph` is allowed by the schema; it cannot hold
        // an SpdxDocument and anything it describes.
        sink.report(
            &NO_DOCUMENT,
            "",
            "the document has no `@graph`, so no SpdxDocument".into(),
        );
        return;
    }
    // IDs, once each.
    let mut ids: HashMap<&str, &str> = HashMap::new();
    let mut first_node: HashMap<&str, &Map<String, Value>> = HashMap::new();
    let mut creation_infos: HashSet<&str> = HashSet::new();
    for n in &nodes {
        for key in ["spdxId", "@id"] {
            if let Some(id) = str_at_map(n.m, key) {
                let at = format!("{}/{key}", n.pointer);
                if let Some(first) = ids.get(id) {
                    // A node repeated identically is the same RDF node said twice: no conflict.
                    if first_node.get(id).is_some_and(|m| *m == n.m) {
                        continue;
                    }
                    sink.report(
                        &DUPLICATE_ID,
                        at,
                        format!("`{id}` is already the ID of the node at {first}"),
                    );
                } else {
                    ids.insert(id, n.pointer.as_str());
                    first_node.insert(id, n.m);
                }
                if n.kind == "CreationInfo" {
                    creation_infos.insert(id);
                }
            }
        }
    }
    // What may be named without being in the graph: imported elements and namespace prefixes.
    let mut imported: HashSet<&str> = HashSet::new();
    let mut prefixes: HashSet<&str> = HashSet::new();
    let documents: Vec<&Node> = nodes.iter().filter(|n| n.kind == "SpdxDocument").collect();
    for d in &documents {
        for e in array(d.m, "import") {
            if let Some(id) = str_at(e, "externalSpdxId") {
                imported.insert(id);
            }
        }
        for e in array(d.m, "namespaceMap") {
            if let Some(p) = str_at(e, "prefix") {
                prefixes.insert(p);
            }
        }
    }
    let resolves = |iri: &str| {
        ids.contains_key(iri)
            || imported.contains(iri)
            || INDIVIDUALS.contains(&iri)
            || iri
                .split_once(':')
                .is_some_and(|(p, _)| prefixes.contains(p))
    };
    match documents.as_slice() {
        [] => sink.report(
            &NO_DOCUMENT,
            "/@graph",
            "the graph holds no SpdxDocument".into(),
        ),
        [d, ..] => {
            if array(d.m, "rootElement").is_empty() {
                sink.report(
                    &NO_DOCUMENT,
                    d.pointer.clone(),
                    "the SpdxDocument names no rootElement".into(),
                );
            }
        }
    }
    for n in &nodes {
        let Some(props) = properties(n.kind) else {
            // An unknown type is the schema's to report.
            continue;
        };
        check_properties(n.m, n.kind, &n.pointer, sink);
        // Elements (every type with `creationInfo`) must name an existing creation info.
        if props.contains("creationInfo") {
            match n.m.get("creationInfo") {
                None => sink.report(
                    &CREATION_INFO,
                    n.pointer.clone(),
                    format!(
                        "{} {} has no creationInfo",
                        n.kind,
                        str_at_map(n.m, "spdxId").unwrap_or("(without spdxId)")
                    ),
                ),
                Some(Value::String(ci)) if !creation_infos.contains(ci.as_str()) => sink.report(
                    &CREATION_INFO,
                    format!("{}/creationInfo", n.pointer),
                    format!("creationInfo `{ci}` is not a CreationInfo of the graph"),
                ),
                _ => {}
            }
        }
        // References to elements.
        for key in [
            "from",
            "to",
            "rootElement",
            "element",
            "createdBy",
            "createdUsing",
            "suppliedBy",
            "originatedBy",
            "subject",
        ] {
            let refs: Vec<(String, &str)> = match n.m.get(key) {
                Some(Value::String(s)) => vec![(format!("{}/{key}", n.pointer), s.as_str())],
                Some(Value::Array(a)) => a
                    .iter()
                    .enumerate()
                    .filter_map(|(i, v)| Some((format!("{}/{key}/{i}", n.pointer), v.as_str()?)))
                    .collect(),
                _ => Vec::new(),
            };
            for (at, iri) in refs {
                if !resolves(iri) {
                    sink.report(
                        &DANGLING,
                        at,
                        format!(
                            "{key} names `{iri}`, which is not in the graph, not imported and not a well-known individual"
                        ),
                    );
                }
            }
        }
    }
}

fn str_at_map<'v>(m: &'v Map<String, Value>, key: &str) -> Option<&'v str> {
    m.get(key).and_then(Value::as_str)
}

fn array<'v>(m: &'v Map<String, Value>, key: &str) -> &'v [Value] {
    m.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Unknown properties of the object `m` of type `kind` at `pointer`, and hash lengths, and the
/// same for every typed object inside it.
fn check_properties(m: &Map<String, Value>, kind: &str, pointer: &str, sink: &mut Sink) {
    let Some(props) = properties(kind) else {
        return;
    };
    for (key, value) in m {
        let at = crate::json::pointer_child(pointer, key);
        if !props.contains(key.as_str()) && key != "@id" && key != "spdxId" {
            sink.report(
                &UNKNOWN_PROPERTY,
                at.clone(),
                format!("`{key}` is not a property of {kind} in SPDX 3.0.1"),
            );
            continue;
        }
        let nested: Vec<(String, &Map<String, Value>)> = match value {
            Value::Object(o) => vec![(at.clone(), o)],
            Value::Array(a) => a
                .iter()
                .enumerate()
                .filter_map(|(i, v)| Some((format!("{at}/{i}"), v.as_object()?)))
                .collect(),
            _ => Vec::new(),
        };
        for (p, o) in nested {
            if let Some(k) = o.get("type").and_then(Value::as_str) {
                check_properties(o, k, &p, sink);
            }
        }
    }
    if matches!(kind, "Hash" | "PackageVerificationCode")
        && let (Some(alg), Some(value)) = (str_at_map(m, "algorithm"), str_at_map(m, "hashValue"))
        && let Some(len) = hash_hex_len(alg)
        && (value.len() != len || !value.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        sink.report(
            &HASH_LENGTH,
            format!("{pointer}/hashValue"),
            format!(
                "a {alg} value is {len} hexadecimal digits; `{value}` is {} characters{}",
                value.chars().count(),
                if value.bytes().all(|b| b.is_ascii_hexdigit()) {
                    ""
                } else {
                    ", not all hexadecimal"
                }
            ),
        );
    }
}

type Compiled = Result<Arc<jsonschema::Validator>, String>;

/// The validator of the whole schema, or of one `$defs` entry (as a closed object).
fn validator(def: Option<&str>) -> Compiled {
    static CACHE: OnceLock<Mutex<HashMap<String, Compiled>>> = OnceLock::new();
    let key = def.unwrap_or("").to_owned();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Ok(c) = cache.lock()
        && let Some(v) = c.get(&key)
    {
        return v.clone();
    }
    let compiled = compile(def).map(Arc::new);
    if let Ok(mut c) = cache.lock() {
        c.insert(key, compiled.clone());
    }
    compiled
}

fn compile(def: Option<&str>) -> Result<jsonschema::Validator, String> {
    let mut schema: Value = serde_json::from_str(SPDX_301_SCHEMA).map_err(|e| e.to_string())?;
    if let Some(def) = def {
        let defs = schema.get("$defs").cloned().unwrap_or(Value::Null);
        schema = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "$ref": format!("#/$defs/{def}"),
            "unevaluatedProperties": false,
            "$defs": defs,
        });
    }
    jsonschema::options()
        .offline()
        .should_validate_formats(true)
        .build(&schema)
        .map_err(|e| e.to_string())
}

fn schema(doc: &Value, sink: &mut Sink) {
    let whole = match validator(None) {
        Ok(v) => v,
        Err(e) => {
            sink.report(
                &SCHEMA,
                "",
                format!("the bundled schema does not compile: {e}"),
            );
            return;
        }
    };
    if whole.is_valid(doc) {
        return;
    }
    // Said already, more precisely, at a node or below it.
    let said = |sink: &Sink, p: &str| {
        sink.covers(p)
            || sink
                .pointers
                .iter()
                .any(|q| q.starts_with(p) && q[p.len()..].starts_with('/'))
    };
    let mut placed = false;
    let mut reported = 0;
    for n in graph(doc) {
        let one = Value::Object(n.m.clone());
        let item = match validator(Some("AnyClass")) {
            Ok(v) => v,
            Err(_) => break,
        };
        if item.is_valid(&one) {
            continue;
        }
        placed = true;
        if said(sink, &n.pointer) {
            continue;
        }
        // Against its own type, when it names one the schema knows; else as any class.
        let own = (!n.kind.is_empty() && defs().contains_key(n.kind))
            .then(|| validator(Some(n.kind)).ok())
            .flatten()
            .unwrap_or(item);
        let mut any = false;
        for error in own.iter_errors(&one) {
            any = true;
            let pointer = format!("{}{}", n.pointer, error.instance_path());
            if said(sink, &pointer) {
                continue;
            }
            if reported >= super::schema::MAX_ERRORS {
                break;
            }
            reported += 1;
            sink.report(&SCHEMA, pointer, short(&error.to_string()));
        }
        if !any {
            sink.report(
                &SCHEMA,
                n.pointer.clone(),
                format!(
                    "the node is valid as {} but not as any class of SPDX 3.0.1 in a graph",
                    n.kind
                ),
            );
        }
    }
    if !placed {
        for error in whole.iter_errors(doc) {
            let pointer = error.instance_path().to_string();
            if said(sink, &pointer) {
                continue;
            }
            sink.report(&SCHEMA, pointer, short(&error.to_string()));
        }
    }
}

fn short(message: &str) -> String {
    const MAX: usize = 240;
    if message.chars().count() <= MAX {
        return message.to_owned();
    }
    let mut out: String = message.chars().take(MAX).collect();
    out.push_str(" …");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spdx3_properties_come_from_the_schema() {
        let p = properties("software_Package").expect("known");
        for k in [
            "name",
            "creationInfo",
            "software_packageVersion",
            "verifiedUsing",
            "suppliedBy",
            "type",
        ] {
            assert!(p.contains(k), "{k}");
        }
        assert!(!p.contains("software_fileKind"));
        assert!(properties("Hash").expect("known").contains("hashValue"));
        assert!(
            properties("CreationInfo")
                .expect("known")
                .contains("createdBy")
        );
        assert!(
            !properties("CreationInfo")
                .expect("known")
                .contains("creationInfo")
        );
        assert!(properties("NoSuchType").is_none());
    }
}
