//! The CycloneDX writer: model → CycloneDX 1.6 (default) or 1.7 JSON.
//!
//! Each value goes to its native place only when that form reads back as exactly the same
//! model value; everything else also (or only) goes to a `bomsmith:spdx:` property, so the
//! reader in `read.rs` can restore it.

use super::props::{Party, component_type, cpe_kind, derived_name, expressible, hash_alg};
use super::{FILENAME_PROPERTY, PROPERTY_PREFIX, SpecVersion, WriteOptions};
use crate::format::spdx2;
use crate::ident::{format_timestamp, is_uuid, parse_timestamp, uuid_v5_url};
use crate::json;
use crate::model::{
    Algorithm, Checksum, DOCUMENT_ID, Document, File, Package, Purpose, RefKind, Relationship,
};
use crate::spec::cyclonedx_license_ids;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Deepest nesting of components written; deeper containment goes to properties. Each level
/// is two levels of JSON (`components`, then the component), and readers bound the depth they
/// parse (serde_json, which bomsmith's reader uses, to 128): at 48 the deepest component, its
/// properties included, stays near 105 levels, so what is written always reads back.
const MAX_NESTING: usize = 48;

/// Writes `doc` as canonical CycloneDX 1.6 JSON: keys sorted, arrays sorted by the compact
/// form of their elements, Python-compatible formatting.
pub fn write(doc: &Document) -> String {
    write_with(doc, &WriteOptions::default())
}

/// Writes `doc` as canonical CycloneDX JSON as `options` say (the version, extra statements).
pub fn write_with(doc: &Document, options: &WriteOptions) -> String {
    let mut v = to_value_with(doc, options);
    json::sort_arrays(&mut v);
    json::to_canonical_string(&v)
}

/// The document as a CycloneDX 1.6 JSON value (keys unsorted until written).
pub fn to_value(doc: &Document) -> Value {
    to_value_with(doc, &WriteOptions::default())
}

/// The document as a CycloneDX JSON value as `options` say (keys unsorted until written).
pub fn to_value_with(doc: &Document, options: &WriteOptions) -> Value {
    Writer::new(doc, options).document()
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

/// `LicenseRef-` ID → licence name, for the extracted licences that stand for nothing but a
/// name: those a CycloneDX `license.name` without text became. They go back as names, so that a
/// BOM's named licences survive a trip through SPDX.
type Names<'a> = HashMap<&'a str, &'a str>;

fn license_names(doc: &Document) -> Names<'_> {
    doc.extracted_licenses
        .iter()
        .filter_map(|l| match &l.name {
            Some(name) if *name == l.text && l.comment.is_none() && l.see_also.is_empty() => {
                Some((l.id.as_str(), name.as_str()))
            }
            _ => None,
        })
        .collect()
}

/// The `licenses` array for a declared and a concluded license, and which of the two it
/// carries (the rest go to properties).
fn licenses_value(
    declared: Option<&str>,
    concluded: Option<&str>,
    names: &Names<'_>,
    version: SpecVersion,
) -> (Option<Value>, bool, bool) {
    let ids = cyclonedx_license_ids();
    let d = declared.filter(|e| expressible(e));
    let c = concluded.filter(|e| expressible(e));
    let single = |e: &str| ids.contains(e) || names.contains_key(e);
    // A conjunction of licences that each stand alone is a list of licences, as a reader of
    // CycloneDX takes several `license` entries (and as bomsmith reads them back).
    let terms = |e: &'_ str| -> Option<Vec<String>> {
        let parts: Vec<String> = e.split(" AND ").map(str::to_owned).collect();
        (parts.len() > 1 && parts.iter().all(|p| single(p))).then_some(parts)
    };
    let licence = |e: &str, ack: &str| -> Value {
        match names.get(e) {
            Some(name) => json!({"license": {"name": name, "acknowledgement": ack}}),
            None => json!({"license": {"id": e, "acknowledgement": ack}}),
        }
    };
    let entries = |e: &str, ack: &str| -> Vec<Value> {
        if single(e) {
            vec![licence(e, ack)]
        } else if let Some(parts) = terms(e) {
            parts.iter().map(|p| licence(p, ack)).collect()
        } else {
            vec![json!({"expression": e, "acknowledgement": ack})]
        }
    };
    let listed = |e: &str| single(e) || terms(e).is_some();
    match (d, c) {
        (None, None) => (None, false, false),
        (Some(e), None) => (Some(Value::Array(entries(e, "declared"))), true, false),
        (None, Some(e)) => (Some(Value::Array(entries(e, "concluded"))), false, true),
        (Some(a), Some(b)) if (listed(a) && listed(b)) || version.mixes_licence_entries() => {
            let mut all = entries(a, "declared");
            all.extend(entries(b, "concluded"));
            (Some(Value::Array(all)), true, true)
        }
        // CycloneDX 1.6 takes one expression only: the declared one is native, the concluded
        // one a property.
        (Some(a), Some(_)) => (Some(Value::Array(entries(a, "declared"))), true, false),
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
    names: Names<'a>,
    version: SpecVersion,
    options: &'a WriteOptions,
}

impl<'a> Writer<'a> {
    fn new(doc: &'a Document, options: &'a WriteOptions) -> Self {
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
            names: license_names(doc),
            version: options.version,
            options,
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
        m.insert("specVersion".into(), json!(self.version.name()));
        m.insert("version".into(), json!(1));
        m.insert("$schema".into(), json!(self.version.schema_url()));
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
        if let Some(aggregate) = &self.options.dependencies_aggregate {
            let mut refs: Vec<&str> = doc.packages.iter().map(|p| p.id.as_str()).collect();
            refs.sort_unstable();
            refs.dedup();
            if !refs.is_empty() {
                m.insert(
                    "compositions".into(),
                    json!([{"aggregate": aggregate, "dependencies": refs}]),
                );
            }
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
            Some(Element::Package(p)) => {
                let mut m = package_fields(p, &self.names, self.version);
                self.extra_properties(&mut m);
                m
            }
            Some(Element::File(f)) => file_fields(f, &self.names, self.version),
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

impl Writer<'_> {
    /// Adds the configured component properties to a package's component.
    fn extra_properties(&self, m: &mut Map<String, Value>) {
        if self.options.component_properties.is_empty() {
            return;
        }
        let extra = self
            .options
            .component_properties
            .iter()
            .map(|(name, value)| json!({"name": name, "value": value}));
        match m.get_mut("properties") {
            Some(Value::Array(list)) => list.extend(extra),
            _ => {
                m.insert("properties".into(), Value::Array(extra.collect()));
            }
        }
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

/// A package's evidence: one identity (its name and version, found by `technique`) and the
/// places that show it.
fn evidence(e: &crate::model::Evidence) -> Value {
    let confidence = f64::from(e.confidence.min(100)) / 100.0;
    let mut out = serde_json::Map::new();
    out.insert(
        "identity".into(),
        json!([{
            "field": "version",
            "confidence": confidence,
            "methods": [{"technique": e.technique, "confidence": confidence}],
        }]),
    );
    if !e.occurrences.is_empty() {
        let list: Vec<Value> = e
            .occurrences
            .iter()
            .map(|o| {
                let mut m = serde_json::Map::new();
                m.insert("location".into(), json!(o.location));
                if let Some(l) = o.line {
                    m.insert("line".into(), json!(l));
                }
                if let Some(t) = &o.text {
                    m.insert("additionalContext".into(), json!(t));
                }
                Value::Object(m)
            })
            .collect();
        out.insert("occurrences".into(), Value::Array(list));
    }
    Value::Object(out)
}

fn package_fields(p: &Package, names: &Names<'_>, version: SpecVersion) -> Map<String, Value> {
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
        names,
        version,
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
    if let Some(e) = &p.evidence {
        m.insert("evidence".into(), evidence(e));
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
    let mut vex_links = Vec::new();
    for r in &p.external_refs {
        // The link to the package's VEX document: CycloneDX's own reference type.
        if r.comment.as_deref() == Some(crate::model::vex::VEX_REFERENCE_COMMENT)
            && matches!(&r.kind, RefKind::Other { category, kind } if category == "SECURITY" && kind == "advisory")
            && url_ok(&r.locator)
        {
            vex_links.push(json!({"type": "exploitability-statement", "url": r.locator,
                                  "comment": crate::model::vex::VEX_REFERENCE_COMMENT}));
            continue;
        }
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
    if !vex_links.is_empty() {
        match m.get_mut("externalReferences") {
            Some(Value::Array(list)) => list.extend(vex_links),
            _ => {
                m.insert("externalReferences".into(), Value::Array(vex_links));
            }
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

fn file_fields(f: &File, names: &Names<'_>, version: SpecVersion) -> Map<String, Value> {
    let mut m = Map::new();
    let mut props = Props::default();
    m.insert("type".into(), json!("file"));
    m.insert("bom-ref".into(), json!(f.id));
    m.insert("name".into(), json!(f.name));
    hashes(&f.checksums, &mut m, &mut props);
    let (licenses, _, concluded_native) =
        licenses_value(None, f.license_concluded.as_deref(), names, version);
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

#[cfg(test)]
mod tests {
    //! Model in, JSON out: each test builds a [`Document`] by hand and checks the CycloneDX
    //! the writer makes of it against values written out by hand (after the canonical sort,
    //! so array orders are those of the output bytes).

    use super::*;
    use crate::model::{ExternalDocument, ExternalRef, ExtractedLicense};

    const SERIAL: &str = "urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e";

    fn package(id: &str, purpose: Option<Purpose>) -> Package {
        Package {
            id: id.into(),
            name: id.trim_start_matches("SPDXRef-").into(),
            purpose,
            ..Package::default()
        }
    }

    /// A document describing one application, `SPDXRef-root` (`root` 1.0), named as the
    /// reader would derive it.
    fn doc() -> Document {
        let mut root = package("SPDXRef-root", Some(Purpose::Application));
        root.version = Some("1.0".into());
        Document {
            name: "root 1.0".into(),
            namespace: SERIAL.into(),
            created: "2024-01-02T03:04:05Z".into(),
            creators: vec!["Tool: bomsmith-0.1.0".into()],
            data_license: "CC0-1.0".into(),
            packages: vec![root],
            relationships: vec![Relationship::new(DOCUMENT_ID, "DESCRIBES", "SPDXRef-root")],
            ..Document::default()
        }
    }

    fn bom(doc: &Document) -> Value {
        serde_json::from_str(&write(doc)).expect("the writer writes JSON")
    }

    /// The properties of an object as (name, value), `bomsmith:spdx:` stripped, in order.
    fn props(v: &Value) -> Vec<(String, String)> {
        let list = v.get("properties").and_then(Value::as_array);
        list.into_iter()
            .flatten()
            .map(|p| {
                let name = p["name"].as_str().expect("a name");
                let name = name.strip_prefix("bomsmith:spdx:").unwrap_or(name);
                (
                    name.to_owned(),
                    p["value"].as_str().expect("a value").to_owned(),
                )
            })
            .collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn find<'v>(v: &'v Value, bom_ref: &str) -> Option<&'v Value> {
        if v.get("bom-ref").and_then(Value::as_str) == Some(bom_ref) {
            return Some(v);
        }
        let nested = v.get("components").and_then(Value::as_array);
        nested.into_iter().flatten().find_map(|c| find(c, bom_ref))
    }

    /// The component with `bom_ref`, wherever it is nested.
    fn component<'v>(bom: &'v Value, bom_ref: &str) -> &'v Value {
        find(&bom["metadata"]["component"], bom_ref)
            .or_else(|| find(bom, bom_ref))
            .unwrap_or_else(|| panic!("no component {bom_ref}"))
    }

    fn refs(components: &Value) -> Vec<&str> {
        let list = components.as_array().expect("components");
        list.iter()
            .map(|c| c["bom-ref"].as_str().expect("a bom-ref"))
            .collect()
    }

    #[test]
    fn minimal_document_is_byte_exact() {
        let expected = r#"{
  "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
  "bomFormat": "CycloneDX",
  "components": [],
  "metadata": {
    "component": {
      "bom-ref": "SPDXRef-root",
      "name": "root",
      "type": "application",
      "version": "1.0"
    },
    "licenses": [
      {
        "license": {
          "id": "CC0-1.0"
        }
      }
    ],
    "timestamp": "2024-01-02T03:04:05Z",
    "tools": {
      "components": [
        {
          "name": "bomsmith",
          "type": "application",
          "version": "0.1.0"
        }
      ]
    }
  },
  "serialNumber": "urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e",
  "specVersion": "1.6",
  "version": 1
}"#;
        assert_eq!(write(&doc()), expected);
    }

    #[test]
    fn document_values_without_a_native_place_are_metadata_properties() {
        let mut d = doc();
        d.name = "Demo SBOM".into();
        d.namespace = "https://example.org/demo".into();
        d.created = "2024-01-02T03:04:05+01:00".into();
        d.data_license = "CC-BY-4.0".into();
        d.license_list_version = Some("3.25".into());
        d.comment = Some("hello".into());
        let v = bom(&d);
        // Python: uuid.uuid5(uuid.NAMESPACE_URL, "https://example.org/demo")
        assert_eq!(
            v["serialNumber"],
            "urn:uuid:3f1d85b5-5830-5494-ac79-c594a38b24c1"
        );
        assert_eq!(v["metadata"]["timestamp"], "2024-01-02T02:04:05Z");
        assert!(v["metadata"].get("licenses").is_none());
        assert_eq!(
            props(&v["metadata"]),
            pairs(&[
                ("comment", "hello"),
                ("created", "2024-01-02T03:04:05+01:00"),
                ("dataLicense", "CC-BY-4.0"),
                ("documentNamespace", "https://example.org/demo"),
                ("licenseListVersion", "3.25"),
                ("name", "Demo SBOM"),
            ])
        );
    }

    #[test]
    fn creators_become_tools_authors_and_manufacturer() {
        let mut d = doc();
        d.creators = [
            "Tool: scanner-2.1",
            "Tool: plain",
            "Person: Jane Doe (jane@example.org)",
            "Person: Bob (no mail)",
            "Organization: ACME (info@acme.example)",
            "Organization: Second",
            "Tool: -1",
        ]
        .map(String::from)
        .to_vec();
        let v = bom(&d);
        let meta = &v["metadata"];
        assert_eq!(
            meta["tools"],
            json!({"components": [
                {"name": "plain", "type": "application"},
                {"name": "scanner", "type": "application", "version": "2.1"},
            ]})
        );
        assert_eq!(
            meta["authors"],
            json!([
                {"email": "jane@example.org", "name": "Jane Doe"},
                {"name": "Bob (no mail)"},
            ])
        );
        assert_eq!(
            meta["manufacturer"],
            json!({"contact": [{"email": "info@acme.example"}], "name": "ACME"})
        );
        // Only one manufacturer, and a tool needs a name.
        assert_eq!(
            props(meta),
            pairs(&[("creator", "Organization: Second"), ("creator", "Tool: -1")])
        );
    }

    #[test]
    fn single_containment_nests_and_a_second_container_is_a_property() {
        let mut d = doc();
        d.packages
            .push(package("SPDXRef-lib", Some(Purpose::Library)));
        for (id, name) in [("SPDXRef-f", "src/a.c"), ("SPDXRef-shared", "shared.h")] {
            d.files.push(File {
                id: id.into(),
                name: name.into(),
                ..File::default()
            });
        }
        for (from, to) in [
            ("SPDXRef-root", "SPDXRef-lib"),
            ("SPDXRef-lib", "SPDXRef-f"),
            ("SPDXRef-root", "SPDXRef-shared"),
            ("SPDXRef-lib", "SPDXRef-shared"),
        ] {
            d.relationships
                .push(Relationship::new(from, "CONTAINS", to));
        }
        let v = bom(&d);
        let root = &v["metadata"]["component"];
        assert_eq!(refs(&root["components"]), ["SPDXRef-lib"]);
        assert_eq!(refs(&root["components"][0]["components"]), ["SPDXRef-f"]);
        assert_eq!(
            root["components"][0]["components"][0],
            json!({"bom-ref": "SPDXRef-f", "name": "src/a.c", "type": "file"})
        );
        assert_eq!(refs(&v["components"]), ["SPDXRef-shared"]);
        assert_eq!(
            props(&v["metadata"]),
            pairs(&[
                (
                    "relationship",
                    r#"{"relatedSpdxElement": "SPDXRef-shared", "relationshipType": "CONTAINS", "spdxElementId": "SPDXRef-lib"}"#
                ),
                (
                    "relationship",
                    r#"{"relatedSpdxElement": "SPDXRef-shared", "relationshipType": "CONTAINS", "spdxElementId": "SPDXRef-root"}"#
                ),
            ])
        );
        assert!(v.get("dependencies").is_none());
    }

    #[test]
    fn a_containment_cycle_is_cut_once_and_the_closing_edge_kept() {
        let mut d = doc();
        d.packages
            .push(package("SPDXRef-a", Some(Purpose::Library)));
        d.packages
            .push(package("SPDXRef-b", Some(Purpose::Library)));
        d.relationships
            .push(Relationship::new("SPDXRef-a", "CONTAINS", "SPDXRef-b"));
        d.relationships
            .push(Relationship::new("SPDXRef-b", "CONTAINS", "SPDXRef-a"));
        let v = bom(&d);
        assert_eq!(refs(&v["components"]), ["SPDXRef-a"]);
        assert_eq!(refs(&v["components"][0]["components"]), ["SPDXRef-b"]);
        assert_eq!(
            props(&v["metadata"]),
            pairs(&[(
                "relationship",
                r#"{"relatedSpdxElement": "SPDXRef-a", "relationshipType": "CONTAINS", "spdxElementId": "SPDXRef-b"}"#
            )])
        );
    }

    #[test]
    fn containment_deeper_than_the_nesting_limit_is_a_property() {
        let mut d = doc();
        let id = |i: usize| format!("SPDXRef-p{i:02}");
        for i in 0..=50 {
            d.packages.push(package(&id(i), Some(Purpose::Library)));
            if i > 0 {
                d.relationships
                    .push(Relationship::new(id(i - 1), "CONTAINS", id(i)));
            }
        }
        let v = to_value(&d);
        assert_eq!(refs(&v["components"]), ["SPDXRef-p00", "SPDXRef-p49"]);
        let mut at = &v["components"][0];
        for i in 1..=48 {
            assert_eq!(refs(&at["components"]), [id(i)]);
            at = &at["components"][0];
        }
        assert!(at.get("components").is_none());
        assert_eq!(refs(&v["components"][1]["components"]), ["SPDXRef-p50"]);
        assert_eq!(
            props(&v["metadata"]),
            pairs(&[(
                "relationship",
                r#"{"relatedSpdxElement": "SPDXRef-p49", "relationshipType": "CONTAINS", "spdxElementId": "SPDXRef-p48"}"#
            )])
        );
        // What is written reads back (a nesting limit of 64 wrote text serde_json refuses).
        let (mut back, report) =
            super::super::read(write(&d).as_bytes(), "deep.cdx.json").expect("reads back");
        assert!(report.dropped.is_empty());
        back.canonicalize();
        let mut want = d.clone();
        want.canonicalize();
        assert_eq!(back.relationships, want.relationships);
    }

    #[test]
    fn identifiers_go_to_purl_cpe_swhid_and_omnibor_else_to_properties() {
        let mut d = doc();
        let mut p = package("SPDXRef-requests", Some(Purpose::Library));
        p.external_refs = vec![
            ExternalRef::purl("pkg:pypi/requests@2.31.0"),
            ExternalRef::purl("pkg:pypi/requests@2.32.0"),
            ExternalRef::cpe23("cpe:2.3:a:python:requests:2.31.0:*:*:*:*:*:*:*"),
            ExternalRef {
                kind: RefKind::Cpe22,
                locator: "cpe:/a:python:requests:2.31.0".into(),
                comment: None,
            },
            ExternalRef {
                kind: RefKind::Swhid,
                locator: "swh:1:cnt:94a9ed024d3859793618152ea559a168bbcbb5e2".into(),
                comment: None,
            },
            ExternalRef {
                kind: RefKind::Gitoid,
                locator: "gitoid:blob:sha1:261eeb9e9f8b2b4b0d119366dda99c6fd7d35c64".into(),
                comment: None,
            },
            ExternalRef {
                kind: RefKind::Other {
                    category: "OTHER".into(),
                    kind: "advisory".into(),
                },
                locator: "https://example.org/adv".into(),
                comment: None,
            },
        ];
        d.packages.push(p);
        let v = bom(&d);
        let c = component(&v, "SPDXRef-requests");
        assert_eq!(c["purl"], "pkg:pypi/requests@2.31.0");
        assert_eq!(c["cpe"], "cpe:2.3:a:python:requests:2.31.0:*:*:*:*:*:*:*");
        assert_eq!(
            c["swhid"],
            json!(["swh:1:cnt:94a9ed024d3859793618152ea559a168bbcbb5e2"])
        );
        assert_eq!(
            c["omniborId"],
            json!(["gitoid:blob:sha1:261eeb9e9f8b2b4b0d119366dda99c6fd7d35c64"])
        );
        // Only one `purl` and one `cpe` exist; the rest keep their SPDX form.
        assert_eq!(
            props(c),
            pairs(&[
                (
                    "externalRef",
                    r#"{"referenceCategory": "OTHER", "referenceLocator": "https://example.org/adv", "referenceType": "advisory"}"#
                ),
                (
                    "externalRef",
                    r#"{"referenceCategory": "PACKAGE_MANAGER", "referenceLocator": "pkg:pypi/requests@2.32.0", "referenceType": "purl"}"#
                ),
                (
                    "externalRef",
                    r#"{"referenceCategory": "SECURITY", "referenceLocator": "cpe:/a:python:requests:2.31.0", "referenceType": "cpe22Type"}"#
                ),
            ])
        );
    }

    #[test]
    fn a_cpe_or_purl_that_would_not_read_back_the_same_is_a_property() {
        let mut d = doc();
        let with = |id: &str, r: ExternalRef| {
            let mut p = package(id, Some(Purpose::Library));
            p.external_refs.push(r);
            p
        };
        let cpe22 = |locator: &str| ExternalRef {
            kind: RefKind::Cpe22,
            locator: locator.into(),
            comment: None,
        };
        d.packages.extend([
            with("SPDXRef-old", cpe22("cpe:/a:x:y:1")),
            // Read back, a `cpe:2.3:` locator is a CPE 2.3, not 2.2.
            with(
                "SPDXRef-mislabelled",
                cpe22("cpe:2.3:a:x:y:1:*:*:*:*:*:*:*"),
            ),
            with(
                "SPDXRef-commented",
                ExternalRef {
                    comment: Some("vendored copy".into()),
                    ..ExternalRef::purl("pkg:generic/y@1")
                },
            ),
        ]);
        let v = bom(&d);
        let old = component(&v, "SPDXRef-old");
        assert_eq!(old["cpe"], "cpe:/a:x:y:1");
        assert!(props(old).is_empty());
        let mislabelled = component(&v, "SPDXRef-mislabelled");
        assert!(mislabelled.get("cpe").is_none());
        assert_eq!(
            props(mislabelled),
            pairs(&[(
                "externalRef",
                r#"{"referenceCategory": "SECURITY", "referenceLocator": "cpe:2.3:a:x:y:1:*:*:*:*:*:*:*", "referenceType": "cpe22Type"}"#
            )])
        );
        let commented = component(&v, "SPDXRef-commented");
        assert!(commented.get("purl").is_none());
        assert_eq!(
            props(commented),
            pairs(&[(
                "externalRef",
                r#"{"comment": "vendored copy", "referenceCategory": "PACKAGE_MANAGER", "referenceLocator": "pkg:generic/y@1", "referenceType": "purl"}"#
            )])
        );
    }

    #[test]
    fn purposes_become_types_with_a_property_when_not_exact() {
        let cases = [
            ("SPDXRef-lib", Some(Purpose::Library), "library", None),
            (
                "SPDXRef-os",
                Some(Purpose::OperatingSystem),
                "operating-system",
                None,
            ),
            (
                "SPDXRef-src",
                Some(Purpose::Source),
                "library",
                Some("SOURCE"),
            ),
            ("SPDXRef-none", None, "library", Some("NONE")),
            ("SPDXRef-filepkg", Some(Purpose::File), "file", Some("FILE")),
        ];
        let mut d = doc();
        for (id, purpose, _, _) in cases {
            d.packages.push(package(id, purpose));
        }
        let v = bom(&d);
        for (id, _, kind, prop) in cases {
            let c = component(&v, id);
            assert_eq!(c["type"], kind, "{id}");
            let expected: Vec<(&str, &str)> = prop
                .map(|p| ("primaryPackagePurpose", p))
                .into_iter()
                .collect();
            assert_eq!(props(c), pairs(&expected), "{id}");
        }
    }

    #[test]
    fn suppliers_and_originators_become_entities_and_contacts() {
        let mut d = doc();
        let party = |id: &str, supplier: Option<&str>, originator: Option<&str>| Package {
            supplier: supplier.map(String::from),
            originator: originator.map(String::from),
            ..package(id, Some(Purpose::Library))
        };
        d.packages.extend([
            party(
                "SPDXRef-org",
                Some("Organization: ACME (sales@acme.example)"),
                None,
            ),
            party("SPDXRef-person", Some("Person: Jane Doe"), None),
            party("SPDXRef-noassertion", Some("NOASSERTION"), None),
            party(
                "SPDXRef-author",
                None,
                Some("Person: Bob (bob@example.org)"),
            ),
            party("SPDXRef-maker", None, Some("Organization: Maker")),
        ]);
        let v = bom(&d);
        let org = component(&v, "SPDXRef-org");
        assert_eq!(
            org["supplier"],
            json!({"contact": [{"email": "sales@acme.example"}], "name": "ACME"})
        );
        assert!(props(org).is_empty());
        // CycloneDX suppliers are organisations: a person is also kept verbatim.
        let person = component(&v, "SPDXRef-person");
        assert_eq!(person["supplier"], json!({"name": "Jane Doe"}));
        assert_eq!(props(person), pairs(&[("supplier", "Person: Jane Doe")]));
        let none = component(&v, "SPDXRef-noassertion");
        assert!(none.get("supplier").is_none());
        assert_eq!(props(none), pairs(&[("supplier", "NOASSERTION")]));
        let author = component(&v, "SPDXRef-author");
        assert_eq!(
            author["authors"],
            json!([{"email": "bob@example.org", "name": "Bob"}])
        );
        assert!(author.get("manufacturer").is_none());
        assert!(props(author).is_empty());
        let maker = component(&v, "SPDXRef-maker");
        assert_eq!(maker["manufacturer"], json!({"name": "Maker"}));
        assert!(maker.get("authors").is_none());
        assert!(props(maker).is_empty());
    }

    #[test]
    fn locations_are_external_references_and_spdx_only_fields_properties() {
        let mut d = doc();
        d.packages.push(Package {
            version: Some("1".into()),
            file_name: Some("loc-1.tar.gz".into()),
            download_location: Some("https://example.org/loc-1.tar.gz".into()),
            homepage: Some("https://example.org".into()),
            files_analyzed: true,
            verification_code: Some("d6a770ba38583ed4bb4525bd96e50461655d2758".into()),
            summary: Some("S".into()),
            description: Some("D".into()),
            comment: Some("C".into()),
            source_info: Some("I".into()),
            release_date: Some("2024-01-01T00:00:00Z".into()),
            ..package("SPDXRef-loc", Some(Purpose::Library))
        });
        d.packages.push(Package {
            version: Some("1".repeat(1025)),
            download_location: Some("NONE".into()),
            homepage: Some("example.org".into()),
            ..package("SPDXRef-odd", Some(Purpose::Library))
        });
        let v = bom(&d);
        let loc = component(&v, "SPDXRef-loc");
        assert_eq!(loc["version"], "1");
        assert_eq!(loc["description"], "D");
        assert_eq!(
            loc["externalReferences"],
            json!([
                {"type": "distribution", "url": "https://example.org/loc-1.tar.gz"},
                {"type": "website", "url": "https://example.org"},
            ])
        );
        assert_eq!(
            props(loc),
            pairs(&[
                ("comment", "C"),
                ("filesAnalyzed", "true"),
                (
                    "packageVerificationCode",
                    "d6a770ba38583ed4bb4525bd96e50461655d2758"
                ),
                ("releaseDate", "2024-01-01T00:00:00Z"),
                ("sourceInfo", "I"),
                ("summary", "S"),
                ("bsi:component:filename", "loc-1.tar.gz"),
            ])
        );
        // `NONE` and a URL without a scheme are no `iri-reference`; CycloneDX caps versions.
        let odd = component(&v, "SPDXRef-odd");
        assert!(odd.get("externalReferences").is_none());
        assert!(odd.get("version").is_none());
        let long = "1".repeat(1025);
        assert_eq!(
            props(odd),
            pairs(&[
                ("downloadLocation", "NONE"),
                ("homepage", "example.org"),
                ("versionInfo", &long),
            ])
        );
    }

    #[test]
    fn hashes_are_native_only_for_named_algorithms_and_well_formed_hex() {
        let mut d = doc();
        let sum = |algorithm, value: String| Checksum { algorithm, value };
        d.packages.push(Package {
            checksums: vec![
                sum(Algorithm::Sha256, "a".repeat(64)),
                sum(Algorithm::Blake2b256, "b".repeat(64)),
                sum(Algorithm::Sha224, "c".repeat(56)),
                sum(Algorithm::Sha1, "D".repeat(40)),
                sum(Algorithm::Md5, "e".repeat(31)),
            ],
            ..package("SPDXRef-h", Some(Purpose::Library))
        });
        let v = bom(&d);
        let c = component(&v, "SPDXRef-h");
        assert_eq!(
            c["hashes"],
            json!([
                {"alg": "BLAKE2b-256", "content": "b".repeat(64)},
                {"alg": "SHA-256", "content": "a".repeat(64)},
            ])
        );
        let (md5, sha1, sha224) = (
            format!("MD5: {}", "e".repeat(31)),
            format!("SHA1: {}", "D".repeat(40)),
            format!("SHA224: {}", "c".repeat(56)),
        );
        assert_eq!(
            props(c),
            pairs(&[
                ("checksum", &md5),
                ("checksum", &sha1),
                ("checksum", &sha224)
            ])
        );
    }

    #[test]
    fn licenses_are_native_when_expressible_and_unambiguous() {
        let mut d = doc();
        let licensed = |id: &str, declared: &str, concluded: &str, copyright: &str| Package {
            license_declared: Some(declared.into()),
            license_concluded: Some(concluded.into()),
            copyright_text: Some(copyright.into()),
            ..package(id, Some(Purpose::Library))
        };
        d.packages.extend([
            licensed("SPDXRef-ids", "MIT", "Apache-2.0", "Copyright ACME"),
            licensed("SPDXRef-expr", "MIT OR Apache-2.0", "MIT", "Copyright ACME"),
            licensed("SPDXRef-noassert", "NOASSERTION", "LicenseRef-foo", "NONE"),
        ]);
        let v = bom(&d);
        let ids = component(&v, "SPDXRef-ids");
        assert_eq!(
            ids["licenses"],
            json!([
                {"license": {"acknowledgement": "concluded", "id": "Apache-2.0"}},
                {"license": {"acknowledgement": "declared", "id": "MIT"}},
            ])
        );
        assert_eq!(ids["copyright"], "Copyright ACME");
        assert!(props(ids).is_empty());
        // CycloneDX allows one `expression` entry: the declared one wins.
        let expr = component(&v, "SPDXRef-expr");
        assert_eq!(
            expr["licenses"],
            json!([{"acknowledgement": "declared", "expression": "MIT OR Apache-2.0"}])
        );
        assert_eq!(props(expr), pairs(&[("licenseConcluded", "MIT")]));
        let noassert = component(&v, "SPDXRef-noassert");
        assert_eq!(
            noassert["licenses"],
            json!([{"acknowledgement": "concluded", "expression": "LicenseRef-foo"}])
        );
        assert!(noassert.get("copyright").is_none());
        assert_eq!(
            props(noassert),
            pairs(&[
                ("copyrightText", "NONE"),
                ("licenseDeclared", "NOASSERTION")
            ])
        );
    }

    #[test]
    fn version_1_7_names_itself_and_holds_a_declared_and_a_concluded_expression() {
        let mut d = doc();
        d.packages.push(Package {
            license_declared: Some("MIT OR Apache-2.0".into()),
            license_concluded: Some("MIT".into()),
            ..package("SPDXRef-expr", Some(Purpose::Library))
        });
        let options = WriteOptions {
            version: SpecVersion::V1_7,
            ..WriteOptions::default()
        };
        let mut v = to_value_with(&d, &options);
        json::sort_arrays(&mut v);
        assert_eq!(v["specVersion"], "1.7");
        assert_eq!(
            v["$schema"],
            "http://cyclonedx.org/schema/bom-1.7.schema.json"
        );
        let expr = component(&v, "SPDXRef-expr");
        assert_eq!(
            expr["licenses"],
            json!([
                {"acknowledgement": "declared", "expression": "MIT OR Apache-2.0"},
                {"license": {"acknowledgement": "concluded", "id": "MIT"}},
            ])
        );
        assert!(props(expr).is_empty());
        // And it reads back to the same model.
        let text = write_with(&d, &options);
        let (back, report) = super::super::read(text.as_bytes(), "x").expect("read");
        assert_eq!(report.total(), 0);
        let p = back
            .packages
            .iter()
            .find(|p| p.id == "SPDXRef-expr")
            .expect("package");
        assert_eq!(p.license_declared.as_deref(), Some("MIT OR Apache-2.0"));
        assert_eq!(p.license_concluded.as_deref(), Some("MIT"));
    }

    #[test]
    fn configured_statements_become_properties_and_compositions() {
        let d = doc();
        let options = WriteOptions {
            component_properties: [("bsi:component:archive".to_owned(), "archive".to_owned())]
                .into(),
            dependencies_aggregate: Some("unknown".into()),
            ..WriteOptions::default()
        };
        let v = to_value_with(&d, &options);
        assert_eq!(
            v["compositions"],
            json!([{"aggregate": "unknown", "dependencies": ["SPDXRef-root"]}])
        );
        let root = component(&v, "SPDXRef-root");
        assert!(
            root["properties"]
                .as_array()
                .expect("properties")
                .contains(&json!({"name": "bsi:component:archive", "value": "archive"}))
        );
        // Without them, nothing of the kind.
        let plain = to_value(&d);
        assert!(plain.get("compositions").is_none());
    }

    #[test]
    fn a_file_is_a_component_of_type_file() {
        let mut d = doc();
        d.files.push(File {
            id: "SPDXRef-f".into(),
            name: "src/a.c".into(),
            checksums: vec![Checksum {
                algorithm: Algorithm::Sha1,
                value: "0123456789abcdef0123456789abcdef01234567".into(),
            }],
            license_concluded: Some("MIT".into()),
            copyright_text: Some("NOASSERTION".into()),
            comment: Some("generated".into()),
        });
        let v = bom(&d);
        assert_eq!(
            v["components"],
            json!([{
                "bom-ref": "SPDXRef-f",
                "hashes": [{"alg": "SHA-1", "content": "0123456789abcdef0123456789abcdef01234567"}],
                "licenses": [{"license": {"acknowledgement": "concluded", "id": "MIT"}}],
                "name": "src/a.c",
                "properties": [
                    {"name": "bomsmith:spdx:comment", "value": "generated"},
                    {"name": "bomsmith:spdx:copyrightText", "value": "NOASSERTION"},
                ],
                "type": "file",
            }])
        );
    }

    #[test]
    fn depends_on_is_the_dependency_graph_and_other_relationships_properties() {
        let mut d = doc();
        d.packages
            .push(package("SPDXRef-a", Some(Purpose::Library)));
        d.packages
            .push(package("SPDXRef-b", Some(Purpose::Library)));
        for (from, kind, to) in [
            ("SPDXRef-root", "DEPENDS_ON", "SPDXRef-b"),
            ("SPDXRef-root", "DEPENDS_ON", "SPDXRef-a"),
            ("SPDXRef-a", "DEPENDS_ON", "NONE"),
            // Depends on nothing and on `a`: only the latter fits the graph.
            ("SPDXRef-b", "DEPENDS_ON", "NONE"),
            ("SPDXRef-b", "DEPENDS_ON", "SPDXRef-a"),
            ("SPDXRef-root", "DEPENDS_ON", "DocumentRef-x:SPDXRef-y"),
            ("SPDXRef-a", "GENERATED_FROM", "SPDXRef-b"),
            (DOCUMENT_ID, "DESCRIBES", "SPDXRef-b"),
        ] {
            d.relationships.push(Relationship::new(from, kind, to));
        }
        let v = bom(&d);
        assert_eq!(
            v["dependencies"],
            json!([
                {"dependsOn": ["SPDXRef-a", "SPDXRef-b"], "ref": "SPDXRef-root"},
                {"dependsOn": ["SPDXRef-a"], "ref": "SPDXRef-b"},
                {"ref": "SPDXRef-a"},
            ])
        );
        let rel = |from: &str, kind: &str, to: &str| {
            format!(
                r#"{{"relatedSpdxElement": "{to}", "relationshipType": "{kind}", "spdxElementId": "{from}"}}"#
            )
        };
        let expected = [
            rel("SPDXRef-root", "DEPENDS_ON", "DocumentRef-x:SPDXRef-y"),
            rel("SPDXRef-b", "DEPENDS_ON", "NONE"),
            rel(DOCUMENT_ID, "DESCRIBES", "SPDXRef-b"),
            rel("SPDXRef-a", "GENERATED_FROM", "SPDXRef-b"),
        ];
        let expected: Vec<(&str, &str)> = expected
            .iter()
            .map(|r| ("relationship", r.as_str()))
            .collect();
        assert_eq!(props(&v["metadata"]), pairs(&expected));
        // The first described package stays the root.
        assert_eq!(v["metadata"]["component"]["bom-ref"], "SPDXRef-root");
    }

    #[test]
    fn a_document_describing_nothing_says_so() {
        let d = Document {
            name: "CycloneDX BOM".into(),
            namespace: SERIAL.into(),
            created: "2024-01-02T03:04:05Z".into(),
            data_license: "CC0-1.0".into(),
            packages: vec![package("SPDXRef-lone", Some(Purpose::Library))],
            ..Document::default()
        };
        let v = bom(&d);
        assert!(v["metadata"].get("component").is_none());
        assert!(v["metadata"].get("tools").is_none());
        assert_eq!(refs(&v["components"]), ["SPDXRef-lone"]);
        assert_eq!(
            props(&v["metadata"]),
            pairs(&[("describesNothing", "true")])
        );
    }

    #[test]
    fn extracted_licenses_and_external_documents_travel_as_spdx_json() {
        let mut d = doc();
        d.extracted_licenses.push(ExtractedLicense {
            id: "LicenseRef-foo".into(),
            text: "Foo license text".into(),
            name: Some("Foo".into()),
            comment: None,
            see_also: vec!["https://example.org/foo".into()],
        });
        d.external_documents.push(ExternalDocument {
            id: "DocumentRef-other".into(),
            namespace: "https://example.org/other".into(),
            checksum: Checksum {
                algorithm: Algorithm::Sha1,
                value: "0123456789abcdef0123456789abcdef01234567".into(),
            },
        });
        let v = bom(&d);
        assert_eq!(
            props(&v["metadata"]),
            pairs(&[
                (
                    "externalDocumentRef",
                    r#"{"checksum": {"algorithm": "SHA1", "checksumValue": "0123456789abcdef0123456789abcdef01234567"}, "externalDocumentId": "DocumentRef-other", "spdxDocument": "https://example.org/other"}"#
                ),
                (
                    "extractedLicense",
                    r#"{"extractedText": "Foo license text", "licenseId": "LicenseRef-foo", "name": "Foo", "seeAlsos": ["https://example.org/foo"]}"#
                ),
            ])
        );
    }
}
