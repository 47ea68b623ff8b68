//! The CycloneDX writer: model → CycloneDX 1.6 JSON.
//!
//! Each value goes to its native place only when that form reads back as exactly the same
//! model value; everything else also (or only) goes to a `bomsmith:spdx:` property, so the
//! reader in `read.rs` can restore it.

use super::props::{Party, component_type, cpe_kind, derived_name, expressible, hash_alg};
use super::{FILENAME_PROPERTY, PROPERTY_PREFIX, SPEC_VERSION};
use crate::format::spdx2;
use crate::ident::{format_timestamp, is_uuid, parse_timestamp, uuid_v5_url};
use crate::json;
use crate::model::{
    Algorithm, Checksum, DOCUMENT_ID, Document, File, Package, Purpose, RefKind, Relationship,
};
use crate::spec::cyclonedx_license_ids;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Deepest nesting of components written; deeper containment goes to properties.
const MAX_NESTING: usize = 64;

/// Writes `doc` as canonical CycloneDX 1.6 JSON: keys sorted, arrays sorted by the compact
/// form of their elements, Python-compatible formatting.
pub fn write(doc: &Document) -> String {
    let mut v = to_value(doc);
    json::sort_arrays(&mut v);
    json::to_canonical_string(&v)
}

/// The document as a CycloneDX JSON value (keys unsorted until written).
pub fn to_value(doc: &Document) -> Value {
    Writer::new(doc).document()
}

/// `bomsmith:spdx:` properties of one object, in the order added.
#[derive(Default)]
struct Props(Vec<Value>);

impl Props {
    fn add(&mut self, field: &str, value: impl Into<String>) {
        self.0
            .push(json!({"name": format!("{PROPERTY_PREFIX}{field}"), "value": value.into()}));
    }

    fn put_into(self, m: &mut Map<String, Value>) {
        if !self.0.is_empty() {
            m.insert("properties".into(), Value::Array(self.0));
        }
    }
}

/// Good enough to be a CycloneDX `iri-reference`: a scheme, no spaces or control characters.
fn url_ok(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.is_empty()
        && !s.chars().any(|c| {
            c.is_whitespace()
                || c.is_control()
                || matches!(c, '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}')
        })
}

fn hex_ok(alg: Algorithm, value: &str) -> bool {
    alg.hex_len().is_some_and(|n| n == value.len())
        && value
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The `licenses` array for a declared and a concluded license, and which of the two it
/// carries (the rest go to properties).
fn licenses_value(declared: Option<&str>, concluded: Option<&str>) -> (Option<Value>, bool, bool) {
    let ids = cyclonedx_license_ids();
    let d = declared.filter(|e| expressible(e));
    let c = concluded.filter(|e| expressible(e));
    let entry = |e: &str, ack: &str| -> Value {
        if ids.contains(e) {
            json!({"license": {"id": e, "acknowledgement": ack}})
        } else {
            json!({"expression": e, "acknowledgement": ack})
        }
    };
    match (d, c) {
        (None, None) => (None, false, false),
        (Some(e), None) => (Some(json!([entry(e, "declared")])), true, false),
        (None, Some(e)) => (Some(json!([entry(e, "concluded")])), false, true),
        (Some(a), Some(b)) if ids.contains(a) && ids.contains(b) => (
            Some(json!([entry(a, "declared"), entry(b, "concluded")])),
            true,
            true,
        ),
        // One expression only: the declared one is native, the concluded one a property.
        (Some(a), Some(_)) => (Some(json!([entry(a, "declared")])), true, false),
    }
}

enum Element<'a> {
    Package(&'a Package),
    File(&'a File),
}

struct Writer<'a> {
    doc: &'a Document,
    elements: HashMap<&'a str, Element<'a>>,
    root: Option<&'a Package>,
    children: HashMap<&'a str, Vec<&'a str>>,
    nested: HashSet<&'a str>,
}

impl<'a> Writer<'a> {
    fn new(doc: &'a Document) -> Self {
        let mut elements = HashMap::new();
        for p in &doc.packages {
            elements.entry(p.id.as_str()).or_insert(Element::Package(p));
        }
        for f in &doc.files {
            elements.entry(f.id.as_str()).or_insert(Element::File(f));
        }
        let root = doc.described().find_map(|id| match elements.get(id) {
            Some(Element::Package(p)) => Some(*p),
            _ => None,
        });
        let mut w = Writer {
            doc,
            elements,
            root,
            children: HashMap::new(),
            nested: HashSet::new(),
        };
        w.plan_nesting();
        w
    }

    /// Decides which CONTAINS relationships become nesting: the contained element has exactly
    /// one container, is not the root, and the chain of containers ends at a top-level element
    /// within [`MAX_NESTING`] steps (no cycles).
    fn plan_nesting(&mut self) {
        let root_id = self.root.map(|p| p.id.as_str());
        let mut containers: HashMap<&'a str, BTreeSet<&'a str>> = HashMap::new();
        for r in &self.doc.relationships {
            if r.kind == "CONTAINS"
                && r.from != r.to
                && Some(r.to.as_str()) != root_id
                && self.elements.contains_key(r.from.as_str())
                && self.elements.contains_key(r.to.as_str())
            {
                containers
                    .entry(r.to.as_str())
                    .or_default()
                    .insert(r.from.as_str());
            }
        }
        let mut parent: BTreeMap<&'a str, &'a str> = containers
            .into_iter()
            .filter(|(_, c)| c.len() == 1)
            .filter_map(|(child, c)| c.first().map(|p| (child, *p)))
            .collect();
        // Depth of every element. A chain that loops is cut where it meets itself, and one
        // that runs deeper than MAX_NESTING is cut there: cut elements become top-level.
        let mut depth: HashMap<&'a str, usize> = HashMap::new();
        let ids: Vec<&'a str> = parent.keys().copied().collect();
        for id in ids {
            let mut chain = Vec::new();
            let mut on_chain = HashSet::new();
            let mut at = id;
            let mut d = loop {
                if let Some(d) = depth.get(at) {
                    break *d;
                }
                let Some(up) = parent.get(at).copied() else {
                    depth.insert(at, 0);
                    break 0;
                };
                if !on_chain.insert(at) {
                    parent.remove(at);
                    depth.insert(at, 0);
                    break 0;
                }
                chain.push(at);
                at = up;
            };
            for e in chain.iter().rev() {
                if let Some(known) = depth.get(e) {
                    d = *known;
                    continue;
                }
                d += 1;
                if d > MAX_NESTING {
                    parent.remove(e);
                    d = 0;
                }
                depth.insert(e, d);
            }
        }
        for (child, p) in &parent {
            self.children.entry(p).or_default().push(child);
            self.nested.insert(child);
        }
    }

    fn document(&self) -> Value {
        let doc = self.doc;
        let mut meta_props = Props::default();
        let mut m = Map::new();
        m.insert("bomFormat".into(), json!("CycloneDX"));
        m.insert("specVersion".into(), json!(SPEC_VERSION));
        m.insert("version".into(), json!(1));
        m.insert(
            "$schema".into(),
            json!("http://cyclonedx.org/schema/bom-1.6.schema.json"),
        );
        let serial = match doc.namespace.strip_prefix("urn:uuid:") {
            Some(u) if is_uuid(u) => u.to_owned(),
            _ => {
                meta_props.add("documentNamespace", &doc.namespace);
                uuid_v5_url(&doc.namespace)
            }
        };
        m.insert("serialNumber".into(), json!(format!("urn:uuid:{serial}")));

        let mut meta = Map::new();
        if doc.name != derived_name(self.root) {
            meta_props.add("name", &doc.name);
        }
        match parse_timestamp(&doc.created) {
            Some((epoch, _)) => {
                let native = format_timestamp(epoch);
                if native != doc.created {
                    meta_props.add("created", &doc.created);
                }
                meta.insert("timestamp".into(), json!(native));
            }
            None => meta_props.add("created", &doc.created),
        }
        self.creators(&mut meta, &mut meta_props);
        if doc.data_license == "CC0-1.0" {
            meta.insert("licenses".into(), json!([{"license": {"id": "CC0-1.0"}}]));
        } else {
            meta_props.add("dataLicense", &doc.data_license);
        }
        if let Some(v) = &doc.license_list_version {
            meta_props.add("licenseListVersion", v);
        }
        if let Some(c) = &doc.comment {
            meta_props.add("comment", c);
        }
        for d in &doc.external_documents {
            meta_props.add(
                "externalDocumentRef",
                json::to_compact_string(&spdx2::external_document_value(d)),
            );
        }
        for l in &doc.extracted_licenses {
            meta_props.add(
                "extractedLicense",
                json::to_compact_string(&spdx2::extracted_license_value(l)),
            );
        }
        if let Some(root) = self.root {
            meta.insert("component".into(), self.component(&root.id));
        }
        if doc.described().next().is_none() {
            // Not valid SPDX, but kept as is: the reader would otherwise make the top-level
            // components the described ones.
            meta_props.add("describesNothing", "true");
        }
        let dependencies = self.relationships(&mut meta_props);
        meta_props.put_into(&mut meta);
        m.insert("metadata".into(), Value::Object(meta));

        let mut top = Vec::new();
        let root_id = self.root.map(|p| p.id.as_str());
        let mut seen = HashSet::new();
        for id in doc
            .packages
            .iter()
            .map(|p| p.id.as_str())
            .chain(doc.files.iter().map(|f| f.id.as_str()))
        {
            if Some(id) != root_id && !self.nested.contains(id) && seen.insert(id) {
                top.push(self.component(id));
            }
        }
        m.insert("components".into(), Value::Array(top));
        if !dependencies.is_empty() {
            m.insert("dependencies".into(), Value::Array(dependencies));
        }
        Value::Object(m)
    }

    fn creators(&self, meta: &mut Map<String, Value>, props: &mut Props) {
        let mut tools = Vec::new();
        let mut authors = Vec::new();
        let mut manufacturer = None;
        for c in &self.doc.creators {
            if let Some(tool) = c.strip_prefix("Tool: ") {
                let (name, version) = split_tool(tool);
                if name.is_empty() {
                    props.add("creator", c);
                    continue;
                }
                let mut t = Map::new();
                t.insert("type".into(), json!("application"));
                t.insert("name".into(), json!(name));
                if let Some(v) = version {
                    t.insert("version".into(), json!(v));
                }
                tools.push(Value::Object(t));
                continue;
            }
            match Party::parse(c) {
                Some(p) if Party::render(p.organization, p.name, p.email) == *c => {
                    if !p.organization {
                        authors.push(p.contact());
                    } else if manufacturer.is_none() {
                        manufacturer = Some(p.entity());
                    } else {
                        props.add("creator", c);
                    }
                }
                _ => props.add("creator", c),
            }
        }
        if !tools.is_empty() {
            meta.insert("tools".into(), json!({"components": tools}));
        }
        if !authors.is_empty() {
            meta.insert("authors".into(), Value::Array(authors));
        }
        if let Some(m) = manufacturer {
            meta.insert("manufacturer".into(), m);
        }
    }

    /// The `dependencies` graph; relationships with no native form become `props`.
    fn relationships(&self, props: &mut Props) -> Vec<Value> {
        let root_id = self.root.map(|p| p.id.as_str());
        let mut deps: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        let mut none: Vec<&Relationship> = Vec::new();
        let mut other: Vec<&Relationship> = Vec::new();
        for r in &self.doc.relationships {
            let from_element = self.elements.contains_key(r.from.as_str());
            let native = match r.kind.as_str() {
                "DESCRIBES" => r.from == DOCUMENT_ID && Some(r.to.as_str()) == root_id,
                "CONTAINS" => self
                    .children
                    .get(r.from.as_str())
                    .is_some_and(|c| c.contains(&r.to.as_str())),
                "DEPENDS_ON" if from_element && self.elements.contains_key(r.to.as_str()) => {
                    deps.entry(&r.from).or_default().insert(&r.to);
                    true
                }
                "DEPENDS_ON" if from_element && r.to == "NONE" => {
                    none.push(r);
                    true
                }
                _ => false,
            };
            if !native {
                other.push(r);
            }
        }
        // "Depends on nothing" is an entry with no `dependsOn`; it cannot share an entry with
        // real dependencies.
        for r in none {
            match deps.get(r.from.as_str()) {
                Some(set) if !set.is_empty() => other.push(r),
                _ => {
                    deps.entry(&r.from).or_default();
                }
            }
        }
        for r in other {
            props.add(
                "relationship",
                json::to_compact_string(&json!({
                    "spdxElementId": r.from,
                    "relationshipType": r.kind,
                    "relatedSpdxElement": r.to,
                })),
            );
        }
        deps.into_iter()
            .map(|(from, to)| {
                if to.is_empty() {
                    json!({"ref": from})
                } else {
                    json!({"ref": from, "dependsOn": to.into_iter().collect::<Vec<_>>()})
                }
            })
            .collect()
    }

    fn component(&self, id: &str) -> Value {
        let mut m = match self.elements.get(id) {
            Some(Element::Package(p)) => package_fields(p),
            Some(Element::File(f)) => file_fields(f),
            None => Map::new(),
        };
        if let Some(kids) = self.children.get(id) {
            m.insert(
                "components".into(),
                Value::Array(kids.iter().map(|k| self.component(k)).collect()),
            );
        }
        Value::Object(m)
    }
}

/// `name-1.2` → (`name`, `1.2`): the version is what follows the last `-` before a digit.
fn split_tool(tool: &str) -> (&str, Option<&str>) {
    match tool.rfind('-') {
        Some(i) if tool[i + 1..].starts_with(|c: char| c.is_ascii_digit()) => {
            (&tool[..i], Some(&tool[i + 1..]))
        }
        _ => (tool, None),
    }
}

fn hashes(list: &[Checksum], m: &mut Map<String, Value>, props: &mut Props) {
    let mut out = Vec::new();
    for c in list {
        match hash_alg(c.algorithm) {
            Some(alg) if hex_ok(c.algorithm, &c.value) => {
                out.push(json!({"alg": alg, "content": c.value}));
            }
            _ => props.add("checksum", format!("{}: {}", c.algorithm.name(), c.value)),
        }
    }
    if !out.is_empty() {
        m.insert("hashes".into(), Value::Array(out));
    }
}

fn copyright(text: &Option<String>, m: &mut Map<String, Value>, props: &mut Props) {
    match text.as_deref() {
        None => {}
        Some(t @ ("NOASSERTION" | "NONE")) => props.add("copyrightText", t),
        Some(t) => {
            m.insert("copyright".into(), json!(t));
        }
    }
}

fn package_fields(p: &Package) -> Map<String, Value> {
    let mut m = Map::new();
    let mut props = Props::default();
    let (kind, exact) = component_type(p.purpose);
    m.insert("type".into(), json!(kind));
    if !exact {
        props.add(
            "primaryPackagePurpose",
            p.purpose.map_or("NONE", Purpose::name),
        );
    }
    m.insert("bom-ref".into(), json!(p.id));
    m.insert("name".into(), json!(p.name));
    if let Some(v) = &p.version {
        if v.len() <= 1024 {
            m.insert("version".into(), json!(v));
        } else {
            props.add("versionInfo", v);
        }
    }
    if let Some(f) = &p.file_name {
        props.0.push(json!({"name": FILENAME_PROPERTY, "value": f}));
    }
    if let Some(s) = &p.supplier {
        match Party::parse(s) {
            Some(party) => {
                m.insert("supplier".into(), party.entity());
                if !party.organization || Party::render(true, party.name, party.email) != *s {
                    props.add("supplier", s);
                }
            }
            None => props.add("supplier", s),
        }
    }
    if let Some(o) = &p.originator {
        match Party::parse(o) {
            Some(party) => {
                if party.organization {
                    m.insert("manufacturer".into(), party.entity());
                } else {
                    m.insert("authors".into(), json!([party.contact()]));
                }
                if Party::render(party.organization, party.name, party.email) != *o {
                    props.add("originator", o);
                }
            }
            None => props.add("originator", o),
        }
    }
    let mut refs = Vec::new();
    match &p.download_location {
        Some(u) if url_ok(u) => refs.push(json!({"type": "distribution", "url": u})),
        Some(u) => props.add("downloadLocation", u),
        None => {}
    }
    match &p.homepage {
        Some(u) if url_ok(u) => refs.push(json!({"type": "website", "url": u})),
        Some(u) => props.add("homepage", u),
        None => {}
    }
    if !refs.is_empty() {
        m.insert("externalReferences".into(), Value::Array(refs));
    }
    if p.files_analyzed {
        props.add("filesAnalyzed", "true");
    }
    if let Some(code) = &p.verification_code {
        props.add("packageVerificationCode", code);
    }
    hashes(&p.checksums, &mut m, &mut props);
    let (licenses, declared_native, concluded_native) = licenses_value(
        p.license_declared.as_deref(),
        p.license_concluded.as_deref(),
    );
    if let Some(l) = licenses {
        m.insert("licenses".into(), l);
    }
    if let (Some(d), false) = (&p.license_declared, declared_native) {
        props.add("licenseDeclared", d);
    }
    if let (Some(c), false) = (&p.license_concluded, concluded_native) {
        props.add("licenseConcluded", c);
    }
    copyright(&p.copyright_text, &mut m, &mut props);
    if let Some(d) = &p.description {
        m.insert("description".into(), json!(d));
    }
    for (field, value) in [
        ("summary", &p.summary),
        ("comment", &p.comment),
        ("sourceInfo", &p.source_info),
        ("releaseDate", &p.release_date),
    ] {
        if let Some(v) = value {
            props.add(field, v);
        }
    }
    let (mut purl, mut cpe) = (false, false);
    let (mut swhid, mut gitoid) = (Vec::new(), Vec::new());
    for r in &p.external_refs {
        let native = r.comment.is_none()
            && match r.kind {
                RefKind::Purl if !purl && crate::ident::parse_purl(&r.locator).is_ok() => {
                    m.insert("purl".into(), json!(r.locator));
                    purl = true;
                    true
                }
                RefKind::Cpe23 | RefKind::Cpe22 if !cpe && cpe_kind(&r.locator) == r.kind => {
                    m.insert("cpe".into(), json!(r.locator));
                    cpe = true;
                    true
                }
                RefKind::Swhid if r.locator.starts_with("swh:") => {
                    swhid.push(json!(r.locator));
                    true
                }
                RefKind::Gitoid if r.locator.starts_with("gitoid:") => {
                    gitoid.push(json!(r.locator));
                    true
                }
                _ => false,
            };
        if !native {
            props.add(
                "externalRef",
                json::to_compact_string(&spdx2::external_ref_value(r)),
            );
        }
    }
    if !swhid.is_empty() {
        m.insert("swhid".into(), Value::Array(swhid));
    }
    if !gitoid.is_empty() {
        m.insert("omniborId".into(), Value::Array(gitoid));
    }
    props.put_into(&mut m);
    m
}

fn file_fields(f: &File) -> Map<String, Value> {
    let mut m = Map::new();
    let mut props = Props::default();
    m.insert("type".into(), json!("file"));
    m.insert("bom-ref".into(), json!(f.id));
    m.insert("name".into(), json!(f.name));
    hashes(&f.checksums, &mut m, &mut props);
    let (licenses, _, concluded_native) = licenses_value(None, f.license_concluded.as_deref());
    if let Some(l) = licenses {
        m.insert("licenses".into(), l);
    }
    if let (Some(c), false) = (&f.license_concluded, concluded_native) {
        props.add("licenseConcluded", c);
    }
    copyright(&f.copyright_text, &mut m, &mut props);
    if let Some(c) = &f.comment {
        props.add("comment", c);
    }
    props.put_into(&mut m);
    m
}
