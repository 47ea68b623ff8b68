//! OpenVEX (0.2.0, and the 0.0.x shape before it: a vulnerability as a plain string, products
//! and subcomponents as plain IRIs) to and from the VEX model.
//!
//! Reading walks the JSON by hand so that every error names its JSON pointer; members the model
//! has no place for are counted in the [`ReadReport`] (never silently dropped). Writing gives
//! OpenVEX 0.2.0 with keys in a fixed order and no member the model does not hold.

use super::ReadReport;
use crate::error::{Error, Result};
use crate::json::kind_name as kind;
use crate::model::vex::{Justification, Product, Statement, Status, VexDocument, Vulnerability};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// The action statement written for an `affected` statement whose source gives none (OpenVEX
/// requires one).
pub const NO_ACTION: &str = "No action statement was given in the source of this statement.";

/// The JSON-LD context of OpenVEX 0.2.0 documents.
pub const CONTEXT: &str = "https://openvex.dev/ns/v0.2.0";

/// Whether a JSON value is an OpenVEX document: an object whose `@context` is OpenVEX's.
pub fn is_openvex(v: &Value) -> bool {
    v.get("@context")
        .and_then(Value::as_str)
        .is_some_and(|c| c.starts_with("https://openvex.dev/ns"))
}

/// The hash algorithms OpenVEX names, in its schema's order.
const HASHES: [&str; 12] = [
    "md5",
    "sha1",
    "sha-256",
    "sha-384",
    "sha-512",
    "sha3-224",
    "sha3-256",
    "sha3-384",
    "sha3-512",
    "blake2s-256",
    "blake2b-256",
    "blake2b-512",
];

struct Reader<'a> {
    file: &'a str,
    report: ReadReport,
}

impl Reader<'_> {
    fn err(&self, pointer: &str, message: impl Into<String>) -> Error {
        Error::Document {
            file: self.file.to_owned(),
            pointer: pointer.to_owned(),
            message: message.into(),
        }
    }

    fn object<'v>(&self, v: &'v Value, at: &str) -> Result<&'v Map<String, Value>> {
        v.as_object()
            .ok_or_else(|| self.err(at, format!("expected an object, found {}", kind(v))))
    }

    fn string(&self, m: &Map<String, Value>, key: &str, at: &str) -> Result<Option<String>> {
        match m.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(self.err(
                &crate::json::pointer_child(at, key),
                format!("expected a string, found {}", kind(other)),
            )),
        }
    }

    /// Counts members of `m` not in `known` as dropped, under `path` (`statements[]`).
    fn unknown(&mut self, m: &Map<String, Value>, known: &[&str], path: &str) {
        for k in m.keys().filter(|k| !known.contains(&k.as_str())) {
            self.report.drop(format!("{path}.{k}"));
        }
    }

    fn document(&mut self, v: &Value) -> Result<VexDocument> {
        let m = self.object(v, "")?;
        self.unknown(
            m,
            &[
                "@context",
                "@id",
                "author",
                "role",
                "timestamp",
                "last_updated",
                "version",
                "tooling",
                "statements",
            ],
            "",
        );
        let version = match m.get("version") {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => {
                return Err(self.err(
                    "/version",
                    format!("expected an integer, found {}", kind(other)),
                ));
            }
        };
        let statements = match m.get("statements") {
            Some(Value::Array(list)) => list
                .iter()
                .enumerate()
                .map(|(i, s)| self.statement(s, &format!("/statements/{i}")))
                .collect::<Result<Vec<_>>>()?,
            Some(other) => {
                return Err(self.err(
                    "/statements",
                    format!("expected an array, found {}", kind(other)),
                ));
            }
            None => return Err(self.err("", "an OpenVEX document needs `statements`")),
        };
        Ok(VexDocument {
            id: self.string(m, "@id", "")?,
            author: self.string(m, "author", "")?,
            role: self.string(m, "role", "")?,
            timestamp: self.string(m, "timestamp", "")?,
            last_updated: self.string(m, "last_updated", "")?,
            version,
            tooling: self.string(m, "tooling", "")?,
            statements,
        })
    }

    fn statement(&mut self, v: &Value, at: &str) -> Result<Statement> {
        let m = self.object(v, at)?;
        self.unknown(
            m,
            &[
                "@id",
                "version",
                "vulnerability",
                "timestamp",
                "last_updated",
                "products",
                "status",
                "supplier",
                "status_notes",
                "justification",
                "impact_statement",
                "action_statement",
                "action_statement_timestamp",
            ],
            "statements[]",
        );
        if m.contains_key("version") {
            self.report.drop("statements[].version");
        }
        let vulnerability = match m.get("vulnerability") {
            // OpenVEX 0.0.x: the vulnerability's ID as a string.
            Some(Value::String(s)) => Vulnerability {
                name: s.clone(),
                ..Vulnerability::default()
            },
            Some(v @ Value::Object(_)) => self.vulnerability(v, &format!("{at}/vulnerability"))?,
            Some(other) => {
                return Err(self.err(
                    &format!("{at}/vulnerability"),
                    format!("expected an object, found {}", kind(other)),
                ));
            }
            None => return Err(self.err(at, "a statement needs a `vulnerability`")),
        };
        let status_text = self
            .string(m, "status", at)?
            .ok_or_else(|| self.err(at, "a statement needs a `status`"))?;
        let status = Status::parse(&status_text).ok_or_else(|| {
            self.err(
                &format!("{at}/status"),
                format!(
                    "unknown status `{status_text}` (one of not_affected, affected, fixed, under_investigation)"
                ),
            )
        })?;
        let justification = match self.string(m, "justification", at)? {
            None => None,
            Some(j) => Some(Justification::parse(&j).ok_or_else(|| {
                self.err(
                    &format!("{at}/justification"),
                    format!("unknown justification `{j}`"),
                )
            })?),
        };
        let products = match m.get("products") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(list)) => list
                .iter()
                .enumerate()
                .map(|(i, p)| self.product(p, &format!("{at}/products/{i}"), true))
                .collect::<Result<Vec<_>>>()?,
            Some(other) => {
                return Err(self.err(
                    &format!("{at}/products"),
                    format!("expected an array, found {}", kind(other)),
                ));
            }
        };
        Ok(Statement {
            id: self.string(m, "@id", at)?,
            vulnerability,
            products,
            status,
            justification,
            impact_statement: self.string(m, "impact_statement", at)?,
            action_statement: self.string(m, "action_statement", at)?,
            action_statement_timestamp: self.string(m, "action_statement_timestamp", at)?,
            status_notes: self.string(m, "status_notes", at)?,
            supplier: self.string(m, "supplier", at)?,
            timestamp: self.string(m, "timestamp", at)?,
            last_updated: self.string(m, "last_updated", at)?,
        })
    }

    fn vulnerability(&mut self, v: &Value, at: &str) -> Result<Vulnerability> {
        let m = self.object(v, at)?;
        self.unknown(
            m,
            &["@id", "name", "description", "aliases"],
            "statements[].vulnerability",
        );
        let name = self
            .string(m, "name", at)?
            .ok_or_else(|| self.err(at, "a vulnerability needs a `name`"))?;
        let aliases = match m.get("aliases") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(list)) => list
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    a.as_str().map(str::to_owned).ok_or_else(|| {
                        self.err(
                            &format!("{at}/aliases/{i}"),
                            format!("expected a string, found {}", kind(a)),
                        )
                    })
                })
                .collect::<Result<Vec<_>>>()?,
            Some(other) => {
                return Err(self.err(
                    &format!("{at}/aliases"),
                    format!("expected an array, found {}", kind(other)),
                ));
            }
        };
        Ok(Vulnerability {
            name,
            uri: self.string(m, "@id", at)?,
            aliases,
            description: self.string(m, "description", at)?,
        })
    }

    fn product(&mut self, v: &Value, at: &str, top: bool) -> Result<Product> {
        // OpenVEX 0.0.x: a product as its IRI.
        if let Value::String(s) = v {
            return Ok(Product::named(s.clone()));
        }
        let m = self.object(v, at)?;
        let path = if top {
            "statements[].products[]"
        } else {
            "statements[].products[].subcomponents[]"
        };
        let known: &[&str] = if top {
            &["@id", "identifiers", "hashes", "subcomponents"]
        } else {
            &["@id", "identifiers", "hashes"]
        };
        self.unknown(m, known, path);
        let mut p = Product::default();
        if let Some(ids) = m.get("identifiers") {
            let ids = self.object(ids, &format!("{at}/identifiers"))?;
            self.unknown(
                ids,
                &["purl", "cpe22", "cpe23"],
                &format!("{path}.identifiers"),
            );
            let at = format!("{at}/identifiers");
            p.purl = self.string(ids, "purl", &at)?;
            p.cpe = self.string(ids, "cpe23", &at)?;
            if ids.contains_key("cpe22") {
                self.report.drop(format!("{path}.identifiers.cpe22"));
            }
        }
        if let Some(h) = m.get("hashes") {
            let h = self.object(h, &format!("{at}/hashes"))?;
            for (alg, value) in h {
                match value.as_str() {
                    Some(x) if HASHES.contains(&alg.as_str()) => {
                        p.hashes.push((alg.clone(), x.to_owned()));
                    }
                    Some(_) => self.report.drop(format!("{path}.hashes.{alg}")),
                    None => {
                        return Err(self.err(
                            &crate::json::pointer_child(&format!("{at}/hashes"), alg),
                            format!("expected a string, found {}", kind(value)),
                        ));
                    }
                }
            }
            p.hashes.sort();
        }
        p.id = match self.string(m, "@id", at)? {
            Some(id) => id,
            // A product named only by its identifiers: the PURL, else the CPE, names it.
            None => p.purl.clone().or_else(|| p.cpe.clone()).ok_or_else(|| {
                self.err(
                    at,
                    "a product needs an `@id` or an identifier (purl, cpe23)",
                )
            })?,
        };
        if top && let Some(subs) = m.get("subcomponents") {
            let list = subs.as_array().ok_or_else(|| {
                self.err(
                    &format!("{at}/subcomponents"),
                    format!("expected an array, found {}", kind(subs)),
                )
            })?;
            for (i, s) in list.iter().enumerate() {
                p.subcomponents
                    .push(self.product(s, &format!("{at}/subcomponents/{i}"), false)?);
            }
        }
        Ok(p)
    }
}

/// Reads an OpenVEX document (already parsed as JSON) from `file`.
pub fn read(v: &Value, file: &str) -> Result<(VexDocument, ReadReport)> {
    let mut r = Reader {
        file,
        report: ReadReport::default(),
    };
    let doc = r.document(v)?;
    Ok((doc, r.report))
}

/// Whether `s` is an IRI as OpenVEX's `@id`s must be: it starts with a scheme (`pkg:`,
/// `https:`, `urn:`).
pub fn is_iri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    !rest.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !s.chars().any(|c| {
            c.is_whitespace() || matches!(c, '<' | '>' | '"' | '{' | '}' | '|' | '\\' | '^' | '`')
        })
}

/// An `@id` for a product named otherwise (a CSAF product ID, a CycloneDX `bom-ref`):
/// `urn:bomsmith:product:` and the name, percent-encoded, so that two products stay two (their
/// PURL and CPE, which several may share, are written as identifiers).
fn iri_of(p: &Product, lost: &mut BTreeMap<String, usize>) -> String {
    if is_iri(&p.id) {
        return p.id.clone();
    }
    *lost
        .entry("product IDs that are not IRIs (written as urn:bomsmith:product: IRIs)".into())
        .or_default() += 1;
    format!("urn:bomsmith:product:{}", encode(&p.id))
}

/// Percent-encodes what an IRI's path may not hold.
fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~:@!$&'()*+,;=/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn product_json(p: &Product, lost: &mut BTreeMap<String, usize>) -> Value {
    if !p.versions.is_empty() {
        *lost
            .entry("product versions and ranges (OpenVEX names a product by one IRI)".into())
            .or_default() += 1;
    }
    if p.name.is_some() {
        *lost.entry("product names".into()).or_default() += 1;
    }
    let mut m = Map::new();
    m.insert("@id".into(), json!(iri_of(p, lost)));
    let mut ids = Map::new();
    if let Some(purl) = &p.purl {
        ids.insert("purl".into(), json!(purl));
    }
    if let Some(cpe) = &p.cpe {
        ids.insert("cpe23".into(), json!(cpe));
    }
    if !ids.is_empty() {
        m.insert("identifiers".into(), Value::Object(ids));
    }
    if !p.hashes.is_empty() {
        let hashes: Map<String, Value> = p
            .hashes
            .iter()
            .map(|(a, h)| (a.clone(), json!(h)))
            .collect();
        m.insert("hashes".into(), Value::Object(hashes));
    }
    if !p.subcomponents.is_empty() {
        m.insert(
            "subcomponents".into(),
            Value::Array(
                p.subcomponents
                    .iter()
                    .map(|s| product_json(s, lost))
                    .collect(),
            ),
        );
    }
    Value::Object(m)
}

/// The document as OpenVEX 0.2.0 JSON, and what it could not carry (what, how often). The
/// schema requires `@id`, `author`, `timestamp` and an integer `version`: where the model lacks
/// one, `fallback` supplies it (an ID derived from the content, the writer's author and time).
pub fn to_json(doc: &VexDocument, fallback: &Fallback) -> (Value, BTreeMap<String, usize>) {
    let mut lost = BTreeMap::new();
    let mut m = Map::new();
    m.insert("@context".into(), json!(CONTEXT));
    let id = match &doc.id {
        Some(id) if is_iri(id) => id.clone(),
        Some(id) => {
            *lost
                .entry(
                    "a document ID that is not an IRI (written as urn:bomsmith:document:...)"
                        .into(),
                )
                .or_default() += 1;
            format!("urn:bomsmith:document:{}", encode(id))
        }
        None => fallback.id.clone(),
    };
    m.insert("@id".into(), json!(id));
    m.insert(
        "author".into(),
        json!(
            doc.author
                .clone()
                .unwrap_or_else(|| fallback.author.clone())
        ),
    );
    if let Some(r) = &doc.role {
        m.insert("role".into(), json!(r));
    }
    m.insert(
        "timestamp".into(),
        json!(
            doc.timestamp
                .clone()
                .unwrap_or_else(|| fallback.timestamp.clone())
        ),
    );
    if let Some(t) = &doc.last_updated {
        m.insert("last_updated".into(), json!(t));
    }
    let version = doc
        .version
        .as_deref()
        .and_then(|v| v.parse::<u64>().ok())
        .filter(|v| *v >= 1)
        .unwrap_or(1);
    m.insert("version".into(), json!(version));
    if let Some(t) = &doc.tooling {
        m.insert("tooling".into(), json!(t));
    }
    let statements: Vec<Value> = doc
        .statements
        .iter()
        .map(|s| {
            let mut o = Map::new();
            if let Some(id) = &s.id {
                o.insert("@id".into(), json!(id));
            }
            let mut v = Map::new();
            if let Some(u) = &s.vulnerability.uri {
                v.insert("@id".into(), json!(u));
            }
            v.insert("name".into(), json!(s.vulnerability.name));
            if let Some(d) = &s.vulnerability.description {
                v.insert("description".into(), json!(d));
            }
            if !s.vulnerability.aliases.is_empty() {
                v.insert("aliases".into(), json!(s.vulnerability.aliases));
            }
            o.insert("vulnerability".into(), Value::Object(v));
            for (k, val) in [
                ("timestamp", &s.timestamp),
                ("last_updated", &s.last_updated),
            ] {
                if let Some(x) = val {
                    o.insert(k.into(), json!(x));
                }
            }
            o.insert(
                "products".into(),
                Value::Array(
                    s.products
                        .iter()
                        .map(|p| product_json(p, &mut lost))
                        .collect(),
                ),
            );
            o.insert("status".into(), json!(s.status.name()));
            for (k, val) in [("supplier", &s.supplier), ("status_notes", &s.status_notes)] {
                if let Some(x) = val {
                    o.insert(k.into(), json!(x));
                }
            }
            if let Some(j) = s.justification {
                o.insert("justification".into(), json!(j.name()));
            }
            for (k, val) in [
                ("impact_statement", &s.impact_statement),
                ("action_statement", &s.action_statement),
                ("action_statement_timestamp", &s.action_statement_timestamp),
            ] {
                if let Some(x) = val {
                    o.insert(k.into(), json!(x));
                }
            }
            // OpenVEX requires an action statement for `affected`; a source without one gets
            // this text, which says so, and the writer reports it.
            if s.status == Status::Affected && s.action_statement.is_none() {
                o.insert("action_statement".into(), json!(NO_ACTION));
                *lost
                    .entry(format!(
                        "affected statements with no action statement (given \"{NO_ACTION}\")"
                    ))
                    .or_default() += 1;
            }
            Value::Object(o)
        })
        .collect();
    // The schema wants statements, and products within one, unique.
    let mut statements: Vec<Value> = {
        let mut seen = std::collections::HashSet::new();
        let mut kept = Vec::new();
        for st in statements {
            if seen.insert(crate::json::to_compact_string(&st)) {
                kept.push(st);
            } else {
                *lost
                    .entry("statements that repeat another word for word (written once)".into())
                    .or_default() += 1;
            }
        }
        kept
    };
    for st in &mut statements {
        if let Some(Value::Array(products)) = st.get_mut("products") {
            let mut unique: Vec<Value> = Vec::new();
            for p in products.drain(..) {
                if !unique.contains(&p) {
                    unique.push(p);
                }
            }
            *products = unique;
        }
    }
    m.insert("statements".into(), Value::Array(statements));
    (Value::Object(m), lost)
}

/// What a writer supplies where the model lacks a value the format requires.
#[derive(Debug, Clone)]
pub struct Fallback {
    /// The document's IRI.
    pub id: String,
    /// Its author.
    pub author: String,
    /// Its time (RFC 3339).
    pub timestamp: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fallback() -> Fallback {
        Fallback {
            id: "https://example.org/vex/1".into(),
            author: "bomsmith".into(),
            timestamp: "2024-01-01T00:00:00Z".into(),
        }
    }

    #[test]
    fn a_020_document_reads_and_writes_back_the_same_members() {
        let text = r#"{
          "@context": "https://openvex.dev/ns/v0.2.0",
          "@id": "https://openvex.dev/docs/example/vex-9fb3463de1b57",
          "author": "Wolfi J Inkinson", "role": "Document Creator",
          "timestamp": "2023-01-08T18:02:03.647787998-06:00", "version": 1,
          "statements": [{
            "vulnerability": {"name": "CVE-2014-123456", "aliases": ["GHSA-x"]},
            "timestamp": "2023-12-04T21:55:19Z",
            "products": [{"@id": "pkg:apk/distro/git@2.39.0-r1?arch=armv7",
                          "identifiers": {"purl": "pkg:apk/distro/git@2.39.0-r1?arch=armv7"},
                          "hashes": {"sha-256": "ab"},
                          "subcomponents": [{"@id": "pkg:generic/libgit@1"}]}],
            "status": "not_affected", "justification": "vulnerable_code_not_present",
            "impact_statement": "the function is not compiled in"
          }]}"#;
        let v: Value = serde_json::from_str(text).expect("JSON");
        assert!(is_openvex(&v));
        let (doc, report) = read(&v, "x.json").expect("reads");
        assert!(report.dropped.is_empty(), "{:?}", report.dropped);
        let s = &doc.statements[0];
        assert_eq!(s.status, Status::NotAffected);
        assert_eq!(
            s.justification,
            Some(Justification::VulnerableCodeNotPresent)
        );
        assert_eq!(s.products[0].subcomponents[0].id, "pkg:generic/libgit@1");
        let (back, lost) = to_json(&doc, &fallback());
        assert_eq!(back, v);
        assert!(lost.is_empty());
    }

    #[test]
    fn the_00x_shape_and_unknown_members_are_read_and_counted() {
        let v = json!({
            "@context": "https://openvex.dev/ns",
            "@id": "x", "author": "a", "timestamp": "2023-01-01T00:00:00Z", "version": "1",
            "statements": [{"vulnerability": "CVE-2023-1", "products": ["pkg:npm/a@1"],
                            "status": "fixed", "statement": "old name of a note"}]
        });
        let (doc, report) = read(&v, "x.json").expect("reads");
        assert_eq!(doc.statements[0].vulnerability.name, "CVE-2023-1");
        assert_eq!(doc.statements[0].products[0].id, "pkg:npm/a@1");
        assert_eq!(report.dropped.get("statements[].statement"), Some(&1));
    }

    #[test]
    fn errors_name_the_pointer() {
        let bad = |statement: Value| {
            let v = json!({"@context": CONTEXT, "@id": "x", "author": "a",
                           "timestamp": "t", "version": 1, "statements": [statement]});
            match read(&v, "f.json") {
                Err(Error::Document {
                    pointer, message, ..
                }) => (pointer, message),
                other => panic!("{other:?}"),
            }
        };
        let (p, m) = bad(json!({"vulnerability": {"name": "CVE-1"}, "status": "maybe"}));
        assert_eq!(p, "/statements/0/status");
        assert!(m.contains("unknown status `maybe`"), "{m}");
        let (p, _) = bad(
            json!({"vulnerability": {"name": "CVE-1"}, "status": "fixed",
                                 "products": [{"hashes": {"sha1": "x"}}]}),
        );
        assert_eq!(p, "/statements/0/products/0");
        let (p, _) = bad(json!({"vulnerability": {}, "status": "fixed"}));
        assert_eq!(p, "/statements/0/vulnerability");
        let (p, _) = bad(
            json!({"vulnerability": {"name": "CVE-1"}, "status": "not_affected",
                                 "justification": "it_is_fine"}),
        );
        assert_eq!(p, "/statements/0/justification");
    }
}
