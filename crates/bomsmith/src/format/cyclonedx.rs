//! CycloneDX 1.6 JSON: writer and reader for the model.
//!
//! Every model field goes to its native CycloneDX place when there is one and the native form
//! reads back to exactly the same value. Otherwise, and for fields CycloneDX has no place for,
//! the SPDX value is carried verbatim in a `bomsmith:spdx:<field>` property, which the reader
//! prefers to the native form. So model → CycloneDX → model is the identity, and consumers that
//! do not know the properties still see every value CycloneDX can express natively.
//! `docs/conversion.md` tables the mapping.
//!
//! Containment is nesting: an element contained by exactly one other element is written inside
//! it (`components` of the container; the described root is `metadata.component`).
//! `DEPENDS_ON` is the `dependencies` graph. Other relationships are metadata properties.

use super::{Fields, ReadReport};
use crate::error::Result;
use crate::ident::{IdAllocator, format_timestamp, is_uuid, parse_timestamp, uuid_v5_url};
use crate::json::{self, kind_name, pointer_child as child};
use crate::model::{
    Algorithm, Checksum, DOCUMENT_ID, Document, ExternalRef, ExtractedLicense, File, Package,
    Purpose, RefKind, Relationship,
};
use crate::spec::{cyclonedx_license_ids, cyclonedx_schema};
use serde_json::{Map, Value, json};
use sha2::Digest;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// The `specVersion` this module writes.
pub const SPEC_VERSION: &str = "1.6";
/// Prefix of the properties that carry SPDX values with no native CycloneDX place.
pub const PROPERTY_PREFIX: &str = "bomsmith:spdx:";
/// The BSI TR-03183-2 property for the file name of a component's deployable form.
pub const FILENAME_PROPERTY: &str = "bsi:component:filename";
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

/// The document name the reader derives when the BOM carries none: the root's name and version.
fn derived_name(root: Option<&Package>) -> String {
    match root {
        Some(p) => match &p.version {
            Some(v) => format!("{} {v}", p.name),
            None => p.name.clone(),
        },
        None => "CycloneDX BOM".to_owned(),
    }
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

/// `Organization: name (email)` / `Person: name (email)`, as SPDX writes parties.
#[derive(Debug, PartialEq, Eq)]
struct Party<'a> {
    organization: bool,
    name: &'a str,
    email: Option<&'a str>,
}

impl<'a> Party<'a> {
    fn parse(s: &'a str) -> Option<Party<'a>> {
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

    fn render(organization: bool, name: &str, email: Option<&str>) -> String {
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
    fn entity(&self) -> Value {
        let mut m = Map::new();
        m.insert("name".into(), json!(self.name));
        if let Some(e) = self.email {
            m.insert("contact".into(), json!([{"email": e}]));
        }
        Value::Object(m)
    }

    /// As a CycloneDX `organizationalContact`.
    fn contact(&self) -> Value {
        let mut m = Map::new();
        m.insert("name".into(), json!(self.name));
        if let Some(e) = self.email {
            m.insert("email".into(), json!(e));
        }
        Value::Object(m)
    }
}

/// CycloneDX's name for a checksum algorithm, where it has one.
fn hash_alg(a: Algorithm) -> Option<&'static str> {
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

fn alg_from_cdx(name: &str) -> Option<Algorithm> {
    Algorithm::ALL
        .into_iter()
        .find(|a| hash_alg(*a) == Some(name))
}

/// The component type for a purpose, and whether it reads back as the same purpose.
fn component_type(purpose: Option<Purpose>) -> (&'static str, bool) {
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
fn purpose_of(kind: &str) -> (Purpose, bool) {
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

/// True when `e` can stand in a CycloneDX `expression`: a valid SPDX license expression.
fn expressible(e: &str) -> bool {
    matches!(crate::spec::license_expression(e), Ok(Some(_)))
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
                json::to_compact_string(&super::spdx2::external_document_value(d)),
            );
        }
        for l in &doc.extracted_licenses {
            meta_props.add(
                "extractedLicense",
                json::to_compact_string(&super::spdx2::extracted_license_value(l)),
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
                json::to_compact_string(&super::spdx2::external_ref_value(r)),
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

fn cpe_kind(locator: &str) -> RefKind {
    if locator.starts_with("cpe:2.3:") {
        RefKind::Cpe23
    } else {
        RefKind::Cpe22
    }
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

// ---------------------------------------------------------------------------------------------
// Reading

/// Reads a CycloneDX 1.4–1.6 JSON document. `file` names it in errors.
pub fn read(bytes: &[u8], file: &str) -> Result<(Document, ReadReport)> {
    read_value(&super::spdx2::parse_json(bytes, file)?, file)
}

/// Reads a CycloneDX document already parsed as JSON. `file` names it in errors.
///
/// Element IDs are the components' `bom-ref`s when those are valid SPDX IDs
/// (`SPDXRef-[A-Za-z0-9.-]+`), else derived from them (or from the name) deterministically.
/// A BOM without `metadata.timestamp` or creators leaves `created` empty and `creators`
/// without them; [`super::complete`] fills them in before an SPDX document is written.
pub fn read_value(value: &Value, file: &str) -> Result<(Document, ReadReport)> {
    let mut r = Reader {
        file,
        report: ReadReport::default(),
        ids: Vec::new(),
        next: 0,
        refs: HashMap::new(),
        top: Vec::new(),
        doc: Document::default(),
    };
    r.document(value)?;
    let mut doc = r.doc;
    // Relationships may repeat what nesting already said; keep one of each.
    let mut seen = HashSet::new();
    doc.relationships.retain(|rel| seen.insert(rel.clone()));
    Ok((doc, r.report))
}

/// Our properties on one object, by field, plus the BSI file name.
#[derive(Default)]
struct Carried {
    fields: HashMap<String, Vec<String>>,
    file_name: Option<String>,
}

impl Carried {
    fn one(&self, field: &str) -> Option<String> {
        self.fields.get(field).and_then(|v| v.first()).cloned()
    }

    fn all(&self, field: &str) -> &[String] {
        self.fields.get(field).map_or(&[], Vec::as_slice)
    }

    fn has(&self, field: &str) -> bool {
        self.fields.contains_key(field)
    }
}

struct Reader<'a> {
    file: &'a str,
    report: ReadReport,
    /// Element IDs in depth-first component order, assigned before the components are read.
    ids: Vec<String>,
    next: usize,
    /// `bom-ref` → element ID.
    refs: HashMap<String, String>,
    /// IDs of the top-level components.
    top: Vec<String>,
    doc: Document,
}

/// Field names the CycloneDX 1.6 schema allows on definition `def` (top level for `""`).
fn schema_fields(def: &str) -> Vec<&'static str> {
    let schema = cyclonedx_schema();
    let props = if def.is_empty() {
        schema.get("properties")
    } else {
        schema
            .get("definitions")
            .and_then(|d| d.get(def))
            .and_then(|d| d.get("properties"))
    };
    props
        .and_then(Value::as_object)
        .map(|m| m.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

impl super::Fields for Reader<'_> {
    fn file(&self) -> &str {
        self.file
    }
}

impl Reader<'_> {
    /// Rejects fields CycloneDX 1.6 does not have on `def`; counts those it has but the model
    /// does not hold under `path` (`components[].`).
    fn check_keys(
        &mut self,
        m: &Map<String, Value>,
        pointer: &str,
        def: &str,
        path: &str,
        modeled: &[&str],
    ) -> Result<()> {
        let known = schema_fields(def);
        for key in m.keys() {
            if modeled.contains(&key.as_str()) {
                continue;
            }
            if known.contains(&key.as_str()) {
                self.report.drop(format!("{path}{key}"));
                continue;
            }
            return Err(self.err(
                &child(pointer, key),
                format!("unknown field `{key}` (not part of CycloneDX 1.6)"),
            ));
        }
        Ok(())
    }

    /// Our properties of an object; other properties are counted as dropped.
    fn carried(&mut self, m: &Map<String, Value>, pointer: &str, path: &str) -> Result<Carried> {
        let mut out = Carried::default();
        for (i, p) in self.array(m, "properties", pointer)?.iter().enumerate() {
            let pp = format!("{pointer}/properties/{i}");
            let pm = self.object(p, &pp)?;
            let name = self.req_str(pm, "name", &pp)?;
            let value = self.opt_str(pm, "value", &pp)?.unwrap_or_default();
            if let Some(field) = name.strip_prefix(PROPERTY_PREFIX) {
                out.fields.entry(field.to_owned()).or_default().push(value);
            } else if name == FILENAME_PROPERTY && out.file_name.is_none() {
                out.file_name = Some(value);
            } else {
                self.report.drop(format!("{path}properties"));
            }
        }
        Ok(out)
    }

    fn document(&mut self, v: &Value) -> Result<()> {
        let m = self.object(v, "")?;
        self.check_keys(
            m,
            "",
            "",
            "",
            &[
                "$schema",
                "bomFormat",
                "specVersion",
                "serialNumber",
                "version",
                "metadata",
                "components",
                "dependencies",
            ],
        )?;
        let format = self.req_str(m, "bomFormat", "")?;
        if format != "CycloneDX" {
            return Err(self.err("/bomFormat", format!("`{format}` is not `CycloneDX`")));
        }
        let spec = self.req_str(m, "specVersion", "")?;
        if !matches!(spec.as_str(), "1.4" | "1.5" | "1.6") {
            return Err(self.err(
                "/specVersion",
                format!("CycloneDX `{spec}` is not supported (1.4 to 1.6 are)"),
            ));
        }
        match m.get("version") {
            None | Some(Value::Number(_)) => {
                if m.get("version")
                    .and_then(Value::as_u64)
                    .is_some_and(|n| n != 1)
                {
                    self.report.drop("version");
                }
            }
            Some(other) => {
                return Err(self.err(
                    "/version",
                    format!("expected an integer, found {}", kind_name(other)),
                ));
            }
        }
        let empty = Map::new();
        let meta = match m.get("metadata") {
            Some(v) => self.object(v, "/metadata")?,
            None => &empty,
        };
        self.check_keys(
            meta,
            "/metadata",
            "metadata",
            "metadata.",
            &[
                "timestamp",
                "tools",
                "authors",
                "manufacturer",
                "manufacture",
                "supplier",
                "component",
                "licenses",
                "properties",
            ],
        )?;
        let carried = self.carried(meta, "/metadata", "metadata.")?;

        // IDs first, so that dependencies and properties can name any component.
        let mut order = Vec::new();
        if let Some(c) = meta.get("component") {
            self.collect(c, "/metadata/component", &mut order)?;
        }
        for (i, c) in self.array(m, "components", "")?.iter().enumerate() {
            self.collect(c, &format!("/components/{i}"), &mut order)?;
        }
        self.assign_ids(&order);

        let root = match meta.get("component") {
            Some(c) => Some(self.component(c, "/metadata/component", None)?),
            None => None,
        };
        for (i, c) in self.array(m, "components", "")?.iter().enumerate() {
            let id = self.component(c, &format!("/components/{i}"), None)?;
            self.top.push(id);
        }
        if let Some(root) = &root {
            self.doc
                .relationships
                .push(Relationship::new(DOCUMENT_ID, "DESCRIBES", root.as_str()));
        }
        self.metadata(meta, &carried, root.as_deref())?;
        self.dependencies(m)?;
        self.document_fields(m, &carried, root.as_deref())?;
        Ok(())
    }

    /// Lists components depth-first with their `bom-ref`s, checking the shape on the way.
    fn collect(
        &self,
        v: &Value,
        pointer: &str,
        out: &mut Vec<(Option<String>, String)>,
    ) -> Result<()> {
        let m = self.object(v, pointer)?;
        let bom_ref = self.opt_str(m, "bom-ref", pointer)?;
        let name = self.opt_str(m, "name", pointer)?.unwrap_or_default();
        let version = self.opt_str(m, "version", pointer)?;
        let hint = match version {
            Some(v) => format!("{name}-{v}"),
            None => name,
        };
        out.push((bom_ref, hint));
        for (i, c) in self.array(m, "components", pointer)?.iter().enumerate() {
            self.collect(c, &format!("{pointer}/components/{i}"), out)?;
        }
        Ok(())
    }

    fn assign_ids(&mut self, order: &[(Option<String>, String)]) {
        let mut alloc = IdAllocator::default();
        alloc.reserve(DOCUMENT_ID);
        let mut kept = vec![false; order.len()];
        for (i, (bom_ref, _)) in order.iter().enumerate() {
            if let Some(r) = bom_ref
                && crate::ident::is_element_id(r)
                && alloc.reserve(r)
            {
                kept[i] = true;
            }
        }
        for (i, (bom_ref, hint)) in order.iter().enumerate() {
            let id = if kept[i] {
                bom_ref.clone().unwrap_or_default()
            } else {
                let base = bom_ref.as_deref().unwrap_or(hint);
                let base = base.strip_prefix("SPDXRef-").unwrap_or(base);
                let wanted = crate::ident::spdx_id("SPDXRef-", base);
                let wanted = if wanted == "SPDXRef-" || wanted == DOCUMENT_ID {
                    "SPDXRef-component".to_owned()
                } else {
                    wanted
                };
                if bom_ref.is_some() {
                    self.report.drop("bom-ref (renamed to a valid SPDX ID)");
                }
                alloc.allocate(wanted)
            };
            if let Some(r) = bom_ref {
                self.refs.entry(r.clone()).or_insert_with(|| id.clone());
            }
            self.ids.push(id);
        }
    }

    /// Reads one component (and what it nests); returns its element ID.
    fn component(&mut self, v: &Value, pointer: &str, parent: Option<&str>) -> Result<String> {
        let id = self.ids.get(self.next).cloned().unwrap_or_default();
        self.next += 1;
        let m = self.object(v, pointer)?;
        let path = "components[].";
        self.check_keys(
            m,
            pointer,
            "component",
            path,
            &[
                "type",
                "bom-ref",
                "name",
                "version",
                "supplier",
                "manufacturer",
                "authors",
                "author",
                "description",
                "hashes",
                "licenses",
                "copyright",
                "cpe",
                "purl",
                "swhid",
                "omniborId",
                "externalReferences",
                "components",
                "properties",
            ],
        )?;
        let kind = self.req_str(m, "type", pointer)?;
        let carried = self.carried(m, pointer, path)?;
        const PACKAGE_ONLY: [&str; 10] = [
            "version",
            "supplier",
            "manufacturer",
            "authors",
            "author",
            "description",
            "cpe",
            "purl",
            "swhid",
            "omniborId",
        ];
        let is_file = kind == "file"
            && !carried.has("primaryPackagePurpose")
            && carried.file_name.is_none()
            && !PACKAGE_ONLY.iter().any(|k| m.contains_key(*k))
            && !m.contains_key("externalReferences");
        if is_file {
            let file = self.file(m, pointer, &carried, id.clone())?;
            self.doc.files.push(file);
        } else {
            let package = self.package(m, pointer, &kind, &carried, id.clone())?;
            self.doc.packages.push(package);
        }
        if let Some(p) = parent {
            self.doc
                .relationships
                .push(Relationship::new(p, "CONTAINS", id.as_str()));
        }
        for (i, c) in self.array(m, "components", pointer)?.iter().enumerate() {
            self.component(c, &format!("{pointer}/components/{i}"), Some(&id))?;
        }
        Ok(id)
    }

    fn hashes(
        &mut self,
        m: &Map<String, Value>,
        pointer: &str,
        carried: &Carried,
    ) -> Result<Vec<Checksum>> {
        let mut out = Vec::new();
        for (i, h) in self.array(m, "hashes", pointer)?.iter().enumerate() {
            let p = format!("{pointer}/hashes/{i}");
            let hm = self.object(h, &p)?;
            let alg = self.req_str(hm, "alg", &p)?;
            let algorithm = alg_from_cdx(&alg).ok_or_else(|| {
                self.err(&child(&p, "alg"), format!("unknown hash algorithm `{alg}`"))
            })?;
            let value = self.req_str(hm, "content", &p)?.to_ascii_lowercase();
            out.push(Checksum { algorithm, value });
        }
        for (i, c) in carried.all("checksum").iter().enumerate() {
            let parsed = c.split_once(": ").and_then(|(alg, value)| {
                Algorithm::from_name(alg).map(|algorithm| Checksum {
                    algorithm,
                    value: value.to_owned(),
                })
            });
            match parsed {
                Some(c) => out.push(c),
                None => {
                    return Err(self.err(
                        &format!("{pointer}/properties"),
                        format!(
                            "property {PROPERTY_PREFIX}checksum #{i}: `{c}` is not `ALGORITHM: hex`"
                        ),
                    ));
                }
            }
        }
        Ok(out)
    }

    /// The declared and concluded license expressions of a `licenses` array. Entries without
    /// an acknowledgement count as `default_ack`.
    fn licenses(
        &mut self,
        m: &Map<String, Value>,
        pointer: &str,
        default_ack: &str,
    ) -> Result<(Option<String>, Option<String>)> {
        let mut declared = Vec::new();
        let mut concluded = Vec::new();
        for (i, l) in self.array(m, "licenses", pointer)?.iter().enumerate() {
            let p = format!("{pointer}/licenses/{i}");
            let lm = self.object(l, &p)?;
            let (text, ack) = if let Some(e) = self.opt_str(lm, "expression", &p)? {
                for key in lm.keys() {
                    if !matches!(key.as_str(), "expression" | "acknowledgement") {
                        self.report.drop(format!("licenses[].{key}"));
                    }
                }
                if !expressible(&e) {
                    self.report
                        .drop("licenses[].expression (not a valid SPDX expression)");
                    continue;
                }
                (e, self.opt_str(lm, "acknowledgement", &p)?)
            } else {
                let lp = child(&p, "license");
                let inner = match lm.get("license") {
                    Some(v) => self.object(v, &lp)?,
                    None => return Err(self.err(&p, "neither `license` nor `expression`")),
                };
                for key in inner.keys() {
                    if !matches!(key.as_str(), "id" | "name" | "acknowledgement" | "text") {
                        self.report.drop(format!("licenses[].license.{key}"));
                    }
                }
                let ack = self.opt_str(inner, "acknowledgement", &lp)?;
                if let Some(id) = self.opt_str(inner, "id", &lp)? {
                    if inner.contains_key("text") {
                        self.report.drop("licenses[].license.text");
                    }
                    (id, ack)
                } else {
                    let name = self.req_str(inner, "name", &lp)?;
                    (self.named_license(&name, inner, &lp)?, ack)
                }
            };
            let (text, rewritten) = modern_license_ids(&text);
            if rewritten {
                self.report
                    .drop("licenses (deprecated `-with-` identifier rewritten as `WITH`)");
            }
            match ack.as_deref().unwrap_or(default_ack) {
                "concluded" => concluded.push(text),
                _ => declared.push(text),
            }
        }
        let join = |list: Vec<String>| -> Option<String> {
            match list.len() {
                0 => None,
                1 => list.into_iter().next(),
                _ => Some(
                    list.iter()
                        .map(|e| {
                            if e.contains(' ') {
                                format!("({e})")
                            } else {
                                e.clone()
                            }
                        })
                        .collect::<Vec<_>>()
                        .join(" AND "),
                ),
            }
        };
        Ok((join(declared), join(concluded)))
    }

    /// A license CycloneDX names but SPDX does not list: a `LicenseRef-` with its text.
    fn named_license(
        &mut self,
        name: &str,
        inner: &Map<String, Value>,
        pointer: &str,
    ) -> Result<String> {
        let id = if crate::ident::is_ref_id(name, "LicenseRef-") {
            name.to_owned()
        } else {
            crate::ident::spdx_id("LicenseRef-", name)
        };
        if !self.doc.extracted_licenses.iter().any(|l| l.id == id) {
            let mut text = None;
            if let Some(t) = inner.get("text") {
                let tp = child(pointer, "text");
                let tm = self.object(t, &tp)?;
                if tm.get("encoding").is_some() {
                    self.report.drop("licenses[].license.text (encoded)");
                } else {
                    text = self.opt_str(tm, "content", &tp)?;
                }
            }
            self.doc.extracted_licenses.push(ExtractedLicense {
                id: id.clone(),
                text: text.unwrap_or_else(|| name.to_owned()),
                name: Some(name.to_owned()),
                comment: None,
                see_also: Vec::new(),
            });
        }
        Ok(id)
    }

    fn entity_party(
        &mut self,
        v: &Value,
        pointer: &str,
        organization: bool,
        path: &str,
    ) -> Result<Option<String>> {
        let m = self.object(v, pointer)?;
        for key in m.keys() {
            if !matches!(key.as_str(), "name" | "contact" | "email") {
                self.report.drop(format!("{path}.{key}"));
            }
        }
        let Some(name) = self.opt_str(m, "name", pointer)? else {
            self.report.drop(format!("{path} (no name)"));
            return Ok(None);
        };
        let mut email = self.opt_str(m, "email", pointer)?;
        for (i, c) in self.array(m, "contact", pointer)?.iter().enumerate() {
            let cp = format!("{pointer}/contact/{i}");
            let cm = self.object(c, &cp)?;
            match self.opt_str(cm, "email", &cp)? {
                Some(e) if email.is_none() => email = Some(e),
                _ => self.report.drop(format!("{path}.contact")),
            }
        }
        Ok(Some(Party::render(organization, &name, email.as_deref())))
    }

    fn package(
        &mut self,
        m: &Map<String, Value>,
        pointer: &str,
        kind: &str,
        carried: &Carried,
        id: String,
    ) -> Result<Package> {
        let path = "components[]";
        let name = self.req_str(m, "name", pointer)?;
        let purpose = match carried.one("primaryPackagePurpose") {
            Some(p) if p == "NONE" => None,
            Some(p) => Some(Purpose::from_name(&p).ok_or_else(|| {
                self.err(
                    &format!("{pointer}/properties"),
                    format!(
                        "unknown package purpose `{p}` in {PROPERTY_PREFIX}primaryPackagePurpose"
                    ),
                )
            })?),
            None => {
                let (p, exact) = purpose_of(kind);
                if !exact {
                    self.report
                        .drop(format!("components[].type ({kind}, read as OTHER)"));
                }
                Some(p)
            }
        };
        let supplier = match (carried.one("supplier"), m.get("supplier")) {
            (Some(s), _) => Some(s),
            (None, Some(v)) => self.entity_party(
                v,
                &child(pointer, "supplier"),
                true,
                "components[].supplier",
            )?,
            (None, None) => None,
        };
        let originator = match carried.one("originator") {
            Some(o) => Some(o),
            None => {
                let mut o = None;
                if let Some(v) = m.get("manufacturer") {
                    o = self.entity_party(
                        v,
                        &child(pointer, "manufacturer"),
                        true,
                        "components[].manufacturer",
                    )?;
                }
                for (i, a) in self.array(m, "authors", pointer)?.iter().enumerate() {
                    let ap = format!("{pointer}/authors/{i}");
                    if o.is_none() {
                        o = self.entity_party(a, &ap, false, "components[].authors[]")?;
                    } else {
                        self.report.drop("components[].authors[]");
                    }
                }
                if let Some(a) = self.opt_str(m, "author", pointer)? {
                    if o.is_none() {
                        o = Some(Party::render(false, &a, None));
                    } else {
                        self.report.drop("components[].author");
                    }
                }
                o
            }
        };
        let mut download = None;
        let mut homepage = None;
        for (i, r) in self
            .array(m, "externalReferences", pointer)?
            .iter()
            .enumerate()
        {
            let rp = format!("{pointer}/externalReferences/{i}");
            let rm = self.object(r, &rp)?;
            let t = self.req_str(rm, "type", &rp)?;
            let url = self.req_str(rm, "url", &rp)?;
            let slot = match t.as_str() {
                "distribution" if download.is_none() => &mut download,
                "website" if homepage.is_none() => &mut homepage,
                _ => {
                    self.report
                        .drop(format!("{path}.externalReferences[] ({t})"));
                    continue;
                }
            };
            for key in rm.keys() {
                if !matches!(key.as_str(), "type" | "url") {
                    self.report
                        .drop(format!("{path}.externalReferences[].{key}"));
                }
            }
            *slot = Some(url);
        }
        let (declared, concluded) = self.licenses(m, pointer, "declared")?;
        let mut external_refs = Vec::new();
        if let Some(p) = self.opt_str(m, "purl", pointer)? {
            external_refs.push(ExternalRef::purl(p));
        }
        if let Some(c) = self.opt_str(m, "cpe", pointer)? {
            let kind = cpe_kind(&c);
            external_refs.push(ExternalRef {
                kind,
                locator: c,
                comment: None,
            });
        }
        for (key, kind) in [("swhid", RefKind::Swhid), ("omniborId", RefKind::Gitoid)] {
            for (i, s) in self.array(m, key, pointer)?.iter().enumerate() {
                let s = s.as_str().ok_or_else(|| {
                    self.err(&format!("{pointer}/{key}/{i}"), "expected a string")
                })?;
                external_refs.push(ExternalRef {
                    kind: kind.clone(),
                    locator: s.to_owned(),
                    comment: None,
                });
            }
        }
        for r in carried.all("externalRef") {
            let v = super::spdx2::parse_json(r.as_bytes(), self.file)?;
            external_refs.push(super::spdx2::read_external_ref(
                &v,
                self.file,
                &format!("{pointer}/properties"),
            )?);
        }
        let files_analyzed = match carried.one("filesAnalyzed").as_deref() {
            None | Some("false") => false,
            Some("true") => true,
            Some(other) => {
                return Err(self.err(
                    &format!("{pointer}/properties"),
                    format!("{PROPERTY_PREFIX}filesAnalyzed `{other}` is not `true` or `false`"),
                ));
            }
        };
        Ok(Package {
            id,
            name,
            version: carried
                .one("versionInfo")
                .or(self.opt_str(m, "version", pointer)?),
            file_name: carried.file_name.clone(),
            supplier,
            originator,
            download_location: carried.one("downloadLocation").or(download),
            homepage: carried.one("homepage").or(homepage),
            files_analyzed,
            verification_code: carried.one("packageVerificationCode"),
            checksums: self.hashes(m, pointer, carried)?,
            license_concluded: carried.one("licenseConcluded").or(concluded),
            license_declared: carried.one("licenseDeclared").or(declared),
            copyright_text: carried.one("copyrightText").or(self.opt_str(
                m,
                "copyright",
                pointer,
            )?),
            summary: carried.one("summary"),
            description: self.opt_str(m, "description", pointer)?,
            comment: carried.one("comment"),
            source_info: carried.one("sourceInfo"),
            external_refs,
            purpose,
            release_date: carried.one("releaseDate"),
        })
    }

    fn file(
        &mut self,
        m: &Map<String, Value>,
        pointer: &str,
        carried: &Carried,
        id: String,
    ) -> Result<File> {
        let (declared, concluded) = self.licenses(m, pointer, "concluded")?;
        if declared.is_some() {
            self.report
                .drop("components[].licenses (declared, on a file)");
        }
        Ok(File {
            id,
            name: self.req_str(m, "name", pointer)?,
            checksums: self.hashes(m, pointer, carried)?,
            license_concluded: carried.one("licenseConcluded").or(concluded),
            copyright_text: carried.one("copyrightText").or(self.opt_str(
                m,
                "copyright",
                pointer,
            )?),
            comment: carried.one("comment"),
        })
    }

    fn metadata(
        &mut self,
        meta: &Map<String, Value>,
        carried: &Carried,
        root: Option<&str>,
    ) -> Result<()> {
        let mut creators = Vec::new();
        match meta.get("tools") {
            None => {}
            Some(Value::Array(legacy)) => {
                for (i, t) in legacy.iter().enumerate() {
                    let tp = format!("/metadata/tools/{i}");
                    let tm = self.object(t, &tp)?;
                    for key in tm.keys() {
                        if !matches!(key.as_str(), "name" | "version") {
                            self.report.drop(format!("metadata.tools[].{key}"));
                        }
                    }
                    if let Some(c) = self.tool(tm, &tp)? {
                        creators.push(c);
                    }
                }
            }
            Some(Value::Object(tools)) => {
                for key in ["components", "services"] {
                    for (i, t) in self
                        .array(tools, key, "/metadata/tools")?
                        .iter()
                        .enumerate()
                    {
                        let tp = format!("/metadata/tools/{key}/{i}");
                        let tm = self.object(t, &tp)?;
                        for k in tm.keys() {
                            if !matches!(k.as_str(), "name" | "version" | "type") {
                                self.report.drop(format!("metadata.tools.{key}[].{k}"));
                            }
                        }
                        if let Some(c) = self.tool(tm, &tp)? {
                            creators.push(c);
                        }
                    }
                }
            }
            Some(other) => {
                return Err(self.err(
                    "/metadata/tools",
                    format!("expected an object or an array, found {}", kind_name(other)),
                ));
            }
        }
        for (i, a) in self.array(meta, "authors", "/metadata")?.iter().enumerate() {
            if let Some(c) = self.entity_party(
                a,
                &format!("/metadata/authors/{i}"),
                false,
                "metadata.authors[]",
            )? {
                creators.push(c);
            }
        }
        for key in ["manufacturer", "manufacture"] {
            if let Some(v) = meta.get(key) {
                let p = format!("/metadata/{key}");
                if let Some(c) = self.entity_party(v, &p, true, &format!("metadata.{key}"))? {
                    creators.push(c);
                }
            }
        }
        creators.extend(carried.all("creator").iter().cloned());
        self.doc.creators = creators;

        if let Some(v) = meta.get("supplier") {
            let supplier = self.entity_party(v, "/metadata/supplier", true, "metadata.supplier")?;
            let root_pkg = root.and_then(|r| self.doc.packages.iter_mut().find(|p| p.id == r));
            match (root_pkg, supplier) {
                (Some(p), Some(s)) if p.supplier.is_none() => p.supplier = Some(s),
                (Some(p), Some(s)) if p.supplier.as_deref() == Some(s.as_str()) => {}
                _ => self.report.drop("metadata.supplier"),
            }
        }
        let mut data_license = "CC0-1.0".to_owned();
        for (i, l) in self
            .array(meta, "licenses", "/metadata")?
            .iter()
            .enumerate()
        {
            let cc0 = l
                .get("license")
                .and_then(|x| x.get("id"))
                .and_then(Value::as_str)
                == Some("CC0-1.0")
                || l.get("expression").and_then(Value::as_str) == Some("CC0-1.0");
            if !cc0 {
                self.object(l, &format!("/metadata/licenses/{i}"))?;
                self.report
                    .drop("metadata.licenses (an SPDX document is CC0-1.0)");
            }
        }
        if let Some(d) = carried.one("dataLicense") {
            data_license = d;
        }
        self.doc.data_license = data_license;
        let created = match self.opt_str(meta, "timestamp", "/metadata")? {
            Some(t) => match parse_timestamp(&t) {
                Some((epoch, fraction)) => {
                    if fraction {
                        self.report
                            .drop("metadata.timestamp (fraction of a second)");
                    }
                    format_timestamp(epoch)
                }
                None => {
                    return Err(self.err(
                        "/metadata/timestamp",
                        format!("`{t}` is not an RFC 3339 date-time"),
                    ));
                }
            },
            None => String::new(),
        };
        self.doc.created = carried.one("created").unwrap_or(created);
        Ok(())
    }

    fn tool(&mut self, m: &Map<String, Value>, pointer: &str) -> Result<Option<String>> {
        let Some(name) = self.opt_str(m, "name", pointer)? else {
            self.report.drop("metadata.tools (no name)");
            return Ok(None);
        };
        Ok(Some(match self.opt_str(m, "version", pointer)? {
            Some(v) => format!("Tool: {name}-{v}"),
            None => format!("Tool: {name}"),
        }))
    }

    fn dependencies(&mut self, m: &Map<String, Value>) -> Result<()> {
        for (i, d) in self.array(m, "dependencies", "")?.iter().enumerate() {
            let p = format!("/dependencies/{i}");
            let dm = self.object(d, &p)?;
            if dm.contains_key("provides") {
                self.report.drop("dependencies[].provides");
            }
            let from = self.req_str(dm, "ref", &p)?;
            let Some(from_id) = self.refs.get(&from).cloned() else {
                self.report.drop("dependencies[] (unknown ref)");
                continue;
            };
            let on = self.array(dm, "dependsOn", &p)?;
            if on.is_empty() {
                self.doc
                    .relationships
                    .push(Relationship::new(&from_id, "DEPENDS_ON", "NONE"));
            }
            for (j, t) in on.iter().enumerate() {
                let t = t
                    .as_str()
                    .ok_or_else(|| self.err(&format!("{p}/dependsOn/{j}"), "expected a string"))?;
                match self.refs.get(t) {
                    Some(to) => {
                        let rel = Relationship::new(&from_id, "DEPENDS_ON", to.as_str());
                        self.doc.relationships.push(rel);
                    }
                    None => self.report.drop("dependencies[].dependsOn (unknown ref)"),
                }
            }
        }
        Ok(())
    }

    fn document_fields(
        &mut self,
        m: &Map<String, Value>,
        carried: &Carried,
        root: Option<&str>,
    ) -> Result<()> {
        let root_pkg = root.and_then(|r| self.doc.packages.iter().find(|p| p.id == r));
        self.doc.name = carried
            .one("name")
            .unwrap_or_else(|| derived_name(root_pkg));
        let serial = self.opt_str(m, "serialNumber", "")?;
        self.doc.namespace = match (carried.one("documentNamespace"), serial) {
            (Some(ns), _) => ns,
            (None, Some(s)) => s.to_ascii_lowercase(),
            (None, None) => {
                // No serial number: one derived from the content, so it is the same every time.
                let digest = hex::encode(sha2::Sha256::digest(
                    json::to_compact_string(&Value::Object(m.clone())).as_bytes(),
                ));
                format!("urn:uuid:{}", uuid_v5_url(&format!("urn:sha256:{digest}")))
            }
        };
        self.doc.license_list_version = carried.one("licenseListVersion");
        self.doc.comment = carried.one("comment");
        for (i, r) in carried.all("relationship").iter().enumerate() {
            let v = super::spdx2::parse_json(r.as_bytes(), self.file)?;
            let field = |key: &str| v.get(key).and_then(Value::as_str).map(str::to_owned);
            match (
                field("spdxElementId"),
                field("relationshipType"),
                field("relatedSpdxElement"),
            ) {
                (Some(from), Some(kind), Some(to)) => {
                    self.doc.relationships.push(Relationship { from, kind, to })
                }
                _ => {
                    return Err(self.err(
                        "/metadata/properties",
                        format!("{PROPERTY_PREFIX}relationship #{i}: `{r}` is not an SPDX relationship object"),
                    ));
                }
            }
        }
        for d in carried.all("externalDocumentRef") {
            let v = super::spdx2::parse_json(d.as_bytes(), self.file)?;
            let reference =
                super::spdx2::read_external_document(&v, self.file, "/metadata/properties")?;
            self.doc.external_documents.push(reference);
        }
        // A BOM without a metadata component describes its top-level components (or, with
        // none, nothing), unless the properties say what the SPDX document described.
        let describes = |r: &Relationship| r.from == DOCUMENT_ID && r.kind == "DESCRIBES";
        if !self.doc.relationships.iter().any(describes) && !carried.has("describesNothing") {
            if self.top.is_empty() {
                self.doc
                    .relationships
                    .push(Relationship::new(DOCUMENT_ID, "DESCRIBES", "NONE"));
            }
            for id in std::mem::take(&mut self.top) {
                self.doc
                    .relationships
                    .push(Relationship::new(DOCUMENT_ID, "DESCRIBES", id));
            }
        }
        let mut stated = Vec::new();
        for l in carried.all("extractedLicense") {
            let v = super::spdx2::parse_json(l.as_bytes(), self.file)?;
            stated.push(super::spdx2::read_extracted_license(
                &v,
                self.file,
                "/metadata/properties",
            )?);
        }
        // A property states a license exactly; it replaces one made up from a license name.
        self.doc
            .extracted_licenses
            .retain(|x| !stated.iter().any(|s| s.id == x.id));
        self.doc.extracted_licenses.extend(stated);
        Ok(())
    }
}

/// Deprecated license-list identifiers that name a license with an exception, and the
/// expression that replaced each (SPDX license list 2.0 and later). Several SPDX tools read
/// the old identifiers as exceptions and reject the document, so the reader rewrites them.
const DEPRECATED_WITH: [(&str, &str); 7] = [
    (
        "GPL-2.0-with-autoconf-exception",
        "GPL-2.0-only WITH Autoconf-exception-2.0",
    ),
    (
        "GPL-2.0-with-bison-exception",
        "GPL-2.0-or-later WITH Bison-exception-2.2",
    ),
    (
        "GPL-2.0-with-classpath-exception",
        "GPL-2.0-only WITH Classpath-exception-2.0",
    ),
    (
        "GPL-2.0-with-font-exception",
        "GPL-2.0-only WITH Font-exception-2.0",
    ),
    (
        "GPL-2.0-with-GCC-exception",
        "GPL-2.0-only WITH GCC-exception-2.0",
    ),
    (
        "GPL-3.0-with-autoconf-exception",
        "GPL-3.0-only WITH Autoconf-exception-3.0",
    ),
    (
        "GPL-3.0-with-GCC-exception",
        "GPL-3.0-only WITH GCC-exception-3.1",
    ),
];

/// `expression` with the identifiers of [`DEPRECATED_WITH`] replaced, and whether any was.
fn modern_license_ids(expression: &str) -> (String, bool) {
    let mut out = String::with_capacity(expression.len());
    let mut changed = false;
    let mut token = String::new();
    let flush = |token: &mut String, out: &mut String, changed: &mut bool| {
        match DEPRECATED_WITH
            .iter()
            .find(|(old, _)| *old == token.as_str())
        {
            Some((_, new)) => {
                *changed = true;
                out.push('(');
                out.push_str(new);
                out.push(')');
            }
            None => out.push_str(token),
        }
        token.clear();
    };
    for c in expression.chars() {
        if c.is_whitespace() || c == '(' || c == ')' {
            flush(&mut token, &mut out, &mut changed);
            out.push(c);
        } else {
            token.push(c);
        }
    }
    flush(&mut token, &mut out, &mut changed);
    if !changed {
        return (expression.to_owned(), false);
    }
    // A lone identifier needs no parentheses.
    if let Some(inner) = out.strip_prefix('(').and_then(|o| o.strip_suffix(')'))
        && !inner.contains(['(', ')'])
    {
        return (inner.to_owned(), true);
    }
    (out, true)
}
