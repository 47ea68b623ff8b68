//! The SPDX 3 reader: SPDX 3.0.1 JSON-LD → model.
//!
//! Packages (`software_Package`, and the AI and dataset packages as packages), files, agents,
//! tools, license expressions, custom licenses and relationships are read into the model; an
//! element IRI becomes the SPDX 2 style ID it carries after `#` (`SPDXRef-…`) or one derived
//! from its last segment, allocated without collisions in graph order. Every property the
//! model has no place for is counted in the [`ReadReport`] as `<type>.<property>`, and every
//! element of a type it has no place for as `@graph[type=<type>]`, so nothing is lost silently.

use super::write::SPDX2_REF_MARK;
use super::{INDIVIDUALS, algorithm_from_name, purpose_from_name, relationship_from_spdx3};
use crate::error::Result;
use crate::format::spdx2::parse_json;
use crate::format::{Fields, ReadReport, is_empty_value};
use crate::ident::spdx_id::{IdAllocator, is_ref_id, spdx_id};
use crate::model::{
    Checksum, DOCUMENT_ID, Document, ExternalDocument, ExternalRef, ExtractedLicense, File,
    Package, RefKind, Relationship,
};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Reads an SPDX 3.0.1 JSON-LD document. `file` names it in errors.
pub fn read(bytes: &[u8], file: &str) -> Result<(Document, ReadReport)> {
    read_value(&parse_json(bytes, file)?, file)
}

/// Reads an SPDX 3 document already parsed as JSON. `file` names it in errors.
pub fn read_value(value: &Value, file: &str) -> Result<(Document, ReadReport)> {
    let mut r = Reader {
        file,
        report: ReadReport::default(),
        ids: HashMap::new(),
        alloc: IdAllocator::default(),
        namespace: String::new(),
        externals: BTreeMap::new(),
    };
    let doc = r.document(value)?;
    Ok((doc, r.report))
}

const PACKAGE_TYPES: &[&str] = &["software_Package", "ai_AIPackage", "dataset_DatasetPackage"];
const AGENT_TYPES: &[&str] = &["Person", "Organization", "SoftwareAgent", "Agent", "Tool"];
const CUSTOM_LICENSE_TYPES: &[&str] = &[
    "expandedlicensing_CustomLicense",
    "simplelicensing_SimpleLicensingText",
];
const RELATIONSHIP_TYPES: &[&str] = &["Relationship", "LifecycleScopedRelationship"];
const COLLECTION_TYPES: &[&str] = &["software_Sbom", "Bundle", "ElementCollection"];

/// Properties every element has that the reader uses (or that carry identity only).
const ELEMENT_MODELED: &[&str] = &["type", "spdxId", "@id", "creationInfo"];
const PACKAGE_MODELED: &[&str] = &[
    "name",
    "software_packageVersion",
    "software_downloadLocation",
    "software_homePage",
    "software_copyrightText",
    "summary",
    "description",
    "comment",
    "software_sourceInfo",
    "releaseTime",
    "suppliedBy",
    "originatedBy",
    "software_primaryPurpose",
    "verifiedUsing",
    "software_packageUrl",
    "externalIdentifier",
    "externalRef",
];
const FILE_MODELED: &[&str] = &["name", "software_copyrightText", "comment", "verifiedUsing"];
const DOCUMENT_MODELED: &[&str] = &[
    "name",
    "comment",
    "dataLicense",
    "rootElement",
    "element",
    "import",
    "profileConformance",
];
const RELATIONSHIP_MODELED: &[&str] = &["from", "to", "relationshipType", "scope"];
const LICENSE_MODELED: &[&str] = &[
    "simplelicensing_licenseExpression",
    "simplelicensing_licenseListVersion",
    "simplelicensing_customIdToUri",
];
const CUSTOM_LICENSE_MODELED: &[&str] = &[
    "simplelicensing_licenseText",
    "name",
    "comment",
    "expandedlicensing_seeAlso",
];
const AGENT_MODELED: &[&str] = &["name"];

struct Reader<'a> {
    file: &'a str,
    report: ReadReport,
    /// SPDX 2 style IDs of element IRIs, as allocated.
    ids: HashMap<String, String>,
    alloc: IdAllocator,
    /// The document namespace (its IRI before `#`).
    namespace: String,
    /// External documents by namespace, from `import`.
    externals: BTreeMap<String, ExternalDocument>,
}

impl Fields for Reader<'_> {
    fn file(&self) -> &str {
        self.file
    }
}

/// One element of the graph, with where it is.
struct Node<'v> {
    pointer: String,
    kind: &'v str,
    m: &'v Map<String, Value>,
}

impl<'v> Reader<'_> {
    /// Counts the properties of `node` outside `modeled` (and the element basics) as dropped.
    fn drop_unmodeled(&mut self, node: &Node<'v>, modeled: &[&str]) {
        for (k, v) in node.m {
            if ELEMENT_MODELED.contains(&k.as_str()) || modeled.contains(&k.as_str()) {
                continue;
            }
            if !is_empty_value(v) {
                self.report.drop(format!("{}.{k}", node.kind));
            }
        }
    }

    /// The SPDX 2 style ID of the element `iri`.
    fn id(&mut self, iri: &str) -> String {
        if let Some(id) = self.ids.get(iri) {
            return id.clone();
        }
        let local = iri
            .strip_prefix(&self.namespace)
            .and_then(|r| r.strip_prefix('#'));
        let tail = match local {
            Some(l) => l,
            None => iri
                .rsplit_once('#')
                .or_else(|| iri.trim_end_matches('/').rsplit_once('/'))
                .map_or(iri, |(_, t)| t),
        };
        let wanted = if is_ref_id(tail, "SPDXRef-") && tail != DOCUMENT_ID {
            tail.to_owned()
        } else {
            spdx_id("SPDXRef-", tail)
        };
        let id = self.alloc.allocate(wanted);
        self.ids.insert(iri.to_owned(), id.clone());
        id
    }

    /// The model's name for a relationship end: the document, an individual, an element of
    /// this document, or an element of an imported one (`DocumentRef-…:SPDXRef-…`).
    fn end(&mut self, iri: &str, doc_iri: &str, known: &HashSet<&str>) -> Option<String> {
        if iri == doc_iri {
            return Some(DOCUMENT_ID.to_owned());
        }
        if let Some(i) = INDIVIDUALS.iter().position(|x| *x == iri) {
            return match INDIVIDUALS[i].rsplit('/').next() {
                Some("NoAssertionElement") => Some("NOASSERTION".into()),
                Some("NoneElement") => Some("NONE".into()),
                _ => None,
            };
        }
        if known.contains(iri) {
            return Some(self.id(iri));
        }
        let (ns, local) = iri.split_once('#')?;
        let ext = self.externals.get(ns)?;
        let local = if is_ref_id(local, "SPDXRef-") {
            local.to_owned()
        } else {
            spdx_id("SPDXRef-", local)
        };
        Some(format!("{}:{local}", ext.id))
    }

    fn document(&mut self, root: &'v Value) -> Result<Document> {
        let rm = self.object(root, "")?;
        for (k, v) in rm {
            if k != "@context" && k != "@graph" && !is_empty_value(v) {
                self.report.drop(format!("document.{k}"));
            }
        }
        let graph = self.array(rm, "@graph", "")?;
        let mut nodes = Vec::with_capacity(graph.len());
        for (i, v) in graph.iter().enumerate() {
            let pointer = format!("/@graph/{i}");
            let m = self.object(v, &pointer)?;
            let kind = match m.get("type").or_else(|| m.get("@type")) {
                Some(Value::String(s)) => s.as_str(),
                _ => return Err(self.err(&pointer, "the element has no `type`")),
            };
            nodes.push(Node { pointer, kind, m });
        }
        // The document, and its namespace: everything before `#` in its IRI (the IRI itself
        // when it has no `#`).
        let doc_node = nodes.iter().position(|n| n.kind == "SpdxDocument");
        let mut doc_iri = String::new();
        if let Some(d) = doc_node {
            let n = &nodes[d];
            doc_iri = self.req_str(n.m, "spdxId", &n.pointer)?;
            self.namespace = doc_iri
                .split_once('#')
                .map_or(doc_iri.as_str(), |(ns, _)| ns)
                .to_owned();
        }
        self.alloc.reserve(DOCUMENT_ID);
        // Reserve the IDs the elements carry themselves before deriving any others, so that a
        // derived one never takes an ID an element names itself by.
        let prefix = format!("{}#", self.namespace);
        for n in &nodes {
            if let Some(Value::String(iri)) = n.m.get("spdxId")
                && let Some(local) = iri.strip_prefix(&prefix)
                && is_ref_id(local, "SPDXRef-")
                && local != DOCUMENT_ID
                && self.alloc.reserve(local)
            {
                self.ids.insert(iri.clone(), local.to_owned());
            }
        }
        let by_iri: HashMap<&str, usize> = nodes
            .iter()
            .enumerate()
            .filter_map(|(i, n)| n.m.get("spdxId").and_then(Value::as_str).map(|s| (s, i)))
            .collect();

        let mut doc = Document::default();
        // Agents and tools, as SPDX 2 actor strings.
        let mut agents: HashMap<&str, String> = HashMap::new();
        // License expressions (and custom licenses, by their LicenseRef) by IRI.
        let mut licenses: HashMap<String, String> = HashMap::new();
        let mut list_versions: Vec<String> = Vec::new();
        for n in &nodes {
            let Some(iri) = n.m.get("spdxId").and_then(Value::as_str) else {
                continue;
            };
            if AGENT_TYPES.contains(&n.kind) {
                self.drop_unmodeled(n, AGENT_MODELED);
                let mut name = self.opt_str(n.m, "name", &n.pointer)?.unwrap_or_default();
                if name.trim().is_empty() {
                    // SPDX 2 actors must name someone; an agent without a name is named by
                    // its IRI.
                    self.report
                        .recast("agents without a name: named by their IRI");
                    name = iri.to_owned();
                }
                let label = match n.kind {
                    "Tool" | "SoftwareAgent" => "Tool",
                    "Person" => "Person",
                    _ => "Organization",
                };
                agents.insert(iri, format!("{label}: {name}"));
            } else if CUSTOM_LICENSE_TYPES.contains(&n.kind) {
                self.drop_unmodeled(n, CUSTOM_LICENSE_MODELED);
                let tail = iri.rsplit(['#', '/']).next().unwrap_or(iri);
                let name = self.opt_str(n.m, "name", &n.pointer)?;
                let id = if is_ref_id(tail, "LicenseRef-") {
                    tail.to_owned()
                } else {
                    spdx_id("LicenseRef-", name.as_deref().unwrap_or(tail))
                };
                let see_also = self
                    .array(n.m, "expandedlicensing_seeAlso", &n.pointer)?
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect();
                doc.extracted_licenses.push(ExtractedLicense {
                    id: id.clone(),
                    text: self
                        .opt_str(n.m, "simplelicensing_licenseText", &n.pointer)?
                        .unwrap_or_default(),
                    name,
                    comment: self.opt_str(n.m, "comment", &n.pointer)?,
                    see_also,
                });
                licenses.insert(iri.to_owned(), id);
            }
        }
        for n in &nodes {
            if n.kind != "simplelicensing_LicenseExpression" {
                continue;
            }
            let Some(iri) = n.m.get("spdxId").and_then(Value::as_str) else {
                continue;
            };
            self.drop_unmodeled(n, LICENSE_MODELED);
            let mut expr = self.req_str(n.m, "simplelicensing_licenseExpression", &n.pointer)?;
            if let Some(v) = self.opt_str(n.m, "simplelicensing_licenseListVersion", &n.pointer)? {
                list_versions.push(v);
            }
            // A custom ID maps to a license element; the expression names it by the
            // LicenseRef the model gave that element.
            for e in self.array(n.m, "simplelicensing_customIdToUri", &n.pointer)? {
                if let (Some(k), Some(v)) = (
                    e.get("key").and_then(Value::as_str),
                    e.get("value").and_then(Value::as_str),
                ) && let Some(id) = licenses.get(v)
                    && id != k
                {
                    expr = expr
                        .split(' ')
                        .map(|t| if t == k { id.as_str() } else { t })
                        .collect::<Vec<_>>()
                        .join(" ");
                }
            }
            licenses.insert(iri.to_owned(), expr);
        }
        for x in INDIVIDUALS {
            if x.ends_with("NoAssertionLicense") {
                licenses.insert((*x).to_owned(), "NOASSERTION".into());
            } else if x.ends_with("NoneLicense") {
                licenses.insert((*x).to_owned(), "NONE".into());
            }
        }
        if let Some(v) = list_versions.iter().min() {
            let mut parts = v.split('.');
            if let (Some(a), Some(b)) = (parts.next(), parts.next()) {
                doc.license_list_version = Some(format!("{a}.{b}"));
            }
        }

        // The document itself: name, comment, data license, creation info, imports.
        let mut roots: Vec<String> = Vec::new();
        let mut collections: HashSet<String> = HashSet::new();
        let mut creation_info = None;
        if let Some(d) = doc_node {
            let n = &nodes[d];
            self.drop_unmodeled(n, DOCUMENT_MODELED);
            doc.name = self.opt_str(n.m, "name", &n.pointer)?.unwrap_or_default();
            doc.comment = self.opt_str(n.m, "comment", &n.pointer)?;
            doc.namespace = self.namespace.clone();
            match n.m.get("dataLicense") {
                Some(Value::String(iri)) => match licenses.get(iri) {
                    Some(e) => doc.data_license = e.clone(),
                    None => self.report.drop("SpdxDocument.dataLicense"),
                },
                Some(other) if !is_empty_value(other) => {
                    self.report.drop("SpdxDocument.dataLicense");
                }
                _ => {}
            }
            for (i, e) in self.array(n.m, "import", &n.pointer)?.iter().enumerate() {
                let at = format!("{}/import/{i}", n.pointer);
                let em = self.object(e, &at)?;
                let target = self.req_str(em, "externalSpdxId", &at)?;
                let ns = target.split_once('#').map_or(target.as_str(), |(ns, _)| ns);
                let checksum = self.array(em, "verifiedUsing", &at)?.iter().find_map(|h| {
                    Some(Checksum {
                        algorithm: algorithm_from_name(h.get("algorithm")?.as_str()?)?,
                        value: h.get("hashValue")?.as_str()?.to_ascii_lowercase(),
                    })
                });
                match checksum {
                    Some(checksum) if !self.externals.contains_key(ns) => {
                        let id = spdx_id(
                            "DocumentRef-",
                            ns.rsplit('/').find(|s| !s.is_empty()).unwrap_or("doc"),
                        );
                        let id = self.alloc.allocate(id);
                        self.externals.insert(
                            ns.to_owned(),
                            ExternalDocument {
                                id,
                                namespace: ns.to_owned(),
                                checksum,
                            },
                        );
                    }
                    Some(_) => {}
                    // The model keeps an external document only with its checksum.
                    None => self.report.drop("SpdxDocument.import (without a hash)"),
                }
            }
            for r in self.array(n.m, "rootElement", &n.pointer)? {
                if let Some(r) = r.as_str() {
                    roots.push(r.to_owned());
                }
            }
            creation_info = n.m.get("creationInfo");
        } else {
            self.report.drop("SpdxDocument (none in the graph)");
        }
        // A root that is an SBOM or bundle stands for its own roots.
        let mut expanded = Vec::new();
        for r in roots {
            match by_iri.get(r.as_str()).map(|&i| &nodes[i]) {
                Some(c) if COLLECTION_TYPES.contains(&c.kind) => {
                    collections.insert(r.clone());
                    expanded.extend(
                        self.array(c.m, "rootElement", &c.pointer)?
                            .iter()
                            .filter_map(Value::as_str)
                            .map(str::to_owned),
                    );
                }
                _ => expanded.push(r),
            }
        }
        let roots = expanded;

        // Creation info: the document's, or the first one.
        let ci_node = nodes.iter().find(|n| {
            n.kind == "CreationInfo"
                && match creation_info {
                    Some(Value::String(id)) => n.m.get("@id").and_then(Value::as_str) == Some(id),
                    _ => true,
                }
        });
        if let Some(ci) = ci_node {
            doc.created = self
                .opt_str(ci.m, "created", &ci.pointer)?
                .unwrap_or_default();
            for key in ["createdBy", "createdUsing"] {
                for a in self.array(ci.m, key, &ci.pointer)? {
                    match a.as_str().and_then(|a| agents.get(a)) {
                        Some(s) => doc.creators.push(s.clone()),
                        None => self.report.drop(format!("CreationInfo.{key}")),
                    }
                }
            }
            for (k, v) in ci.m {
                if ![
                    "@id",
                    "type",
                    "specVersion",
                    "created",
                    "createdBy",
                    "createdUsing",
                ]
                .contains(&k.as_str())
                    && !is_empty_value(v)
                {
                    self.report.drop(format!("CreationInfo.{k}"));
                }
            }
        }
        if doc.data_license.is_empty() {
            // SPDX 3.0.1 (Core/Properties/dataLicense): absent, the data license is CC0-1.0.
            doc.data_license = "CC0-1.0".into();
            self.report
                .recast("SpdxDocument without dataLicense: CC0-1.0, SPDX 3's default");
        }

        // Packages and files.
        let mut package_at: HashMap<String, usize> = HashMap::new();
        let mut file_at: HashMap<String, usize> = HashMap::new();
        for n in &nodes {
            let Some(iri) = n.m.get("spdxId").and_then(Value::as_str) else {
                continue;
            };
            if PACKAGE_TYPES.contains(&n.kind) {
                let p = self.package(n, iri, &agents)?;
                package_at.insert(p.id.clone(), doc.packages.len());
                doc.packages.push(p);
            } else if n.kind == "software_File" {
                self.drop_unmodeled(n, FILE_MODELED);
                let (checksums, _) = self.hashes(n)?;
                let f = File {
                    id: self.id(iri),
                    name: self.opt_str(n.m, "name", &n.pointer)?.unwrap_or_default(),
                    checksums,
                    copyright_text: self.opt_str(n.m, "software_copyrightText", &n.pointer)?,
                    comment: self.opt_str(n.m, "comment", &n.pointer)?,
                    license_concluded: None,
                };
                if f.checksum(crate::model::Algorithm::Sha1).is_some() {
                    file_at.insert(f.id.clone(), doc.files.len());
                    doc.files.push(f);
                } else {
                    // An SPDX 2 file must have a SHA-1 (SPDX 2.3, 8.4), which bomsmith cannot
                    // make up; a package may have none: a package of purpose FILE.
                    self.report.recast(
                        "software_File without a sha1 hash (an SPDX 2 file needs one): packages of purpose FILE",
                    );
                    package_at.insert(f.id.clone(), doc.packages.len());
                    doc.packages.push(Package {
                        id: f.id,
                        name: f.name,
                        checksums: f.checksums,
                        copyright_text: f.copyright_text,
                        comment: f.comment,
                        purpose: Some(crate::model::Purpose::File),
                        ..Package::default()
                    });
                }
            } else {
                // Types read elsewhere; a collection counts as read when it stands for the
                // document's roots.
                let read = AGENT_TYPES.contains(&n.kind)
                    || CUSTOM_LICENSE_TYPES.contains(&n.kind)
                    || RELATIONSHIP_TYPES.contains(&n.kind)
                    || ["SpdxDocument", "simplelicensing_LicenseExpression"].contains(&n.kind)
                    || (COLLECTION_TYPES.contains(&n.kind) && collections.contains(iri));
                if !read {
                    self.report.drop(format!("@graph[type={}]", n.kind));
                }
            }
        }
        for n in nodes.iter().filter(|n| n.spdx_less()) {
            if n.kind != "CreationInfo" {
                self.report.drop(format!("@graph[type={}]", n.kind));
            }
        }

        // Relationships, between what was carried: an element of a type the model has no
        // place for (counted above) is no relationship end either, or the model would name an
        // element it does not hold.
        let known: HashSet<&str> = nodes
            .iter()
            .filter(|n| PACKAGE_TYPES.contains(&n.kind) || n.kind == "software_File")
            .filter_map(|n| n.m.get("spdxId").and_then(Value::as_str))
            .collect();
        for root in &roots {
            if let Some(to) = self.end(root, &doc_iri, &known) {
                doc.relationships
                    .push(Relationship::new(DOCUMENT_ID, "DESCRIBES", to));
            } else if !collections.contains(root) {
                self.report
                    .drop("SpdxDocument.rootElement (an element not carried)");
            }
        }
        for n in &nodes {
            if !RELATIONSHIP_TYPES.contains(&n.kind) {
                continue;
            }
            self.drop_unmodeled(n, RELATIONSHIP_MODELED);
            let kind = self.req_str(n.m, "relationshipType", &n.pointer)?;
            let from_iri = self.req_str(n.m, "from", &n.pointer)?;
            let scope = self.opt_str(n.m, "scope", &n.pointer)?;
            let tos: Vec<&str> = self
                .array(n.m, "to", &n.pointer)?
                .iter()
                .filter_map(Value::as_str)
                .collect();
            if kind == "hasDeclaredLicense" || kind == "hasConcludedLicense" {
                let from = self.id(&from_iri);
                for to in tos {
                    let Some(expr) = licenses.get(to).cloned() else {
                        self.report
                            .drop(format!("{}[{kind}] to a license not read", n.kind));
                        continue;
                    };
                    let slot = if let Some(&i) = package_at.get(&from) {
                        let p = &mut doc.packages[i];
                        if kind == "hasDeclaredLicense" {
                            &mut p.license_declared
                        } else {
                            &mut p.license_concluded
                        }
                    } else if let Some(&i) = file_at.get(&from)
                        && kind == "hasConcludedLicense"
                    {
                        &mut doc.files[i].license_concluded
                    } else {
                        self.report
                            .drop(format!("{}[{kind}] from an element not read", n.kind));
                        continue;
                    };
                    match slot {
                        None => *slot = Some(expr),
                        Some(_) => self
                            .report
                            .drop(format!("{}[{kind}] beyond the first", n.kind)),
                    }
                }
                continue;
            }
            let Some(map) = relationship_from_spdx3(&kind, scope.as_deref()) else {
                for _ in &tos {
                    self.report
                        .drop(format!("{}[relationshipType={kind}]", n.kind));
                }
                continue;
            };
            if scope.is_some() && map.scope != scope.as_deref() {
                self.report.recast(format!(
                    "{kind} with scope {} as {} (SPDX 2 has no such type)",
                    scope.as_deref().unwrap_or(""),
                    map.spdx2
                ));
            }
            // A describes from the document, or from an SBOM standing for it, is a DESCRIBES
            // of the document.
            let from = if from_iri == doc_iri || collections.contains(&from_iri) {
                Some(DOCUMENT_ID.to_owned())
            } else {
                self.end(&from_iri, &doc_iri, &known)
            };
            let Some(from) = from else {
                self.report
                    .drop(format!("{} from an element not in the document", n.kind));
                continue;
            };
            for to in tos {
                let Some(to) = self.end(to, &doc_iri, &known) else {
                    self.report
                        .drop(format!("{} to an element not in the document", n.kind));
                    continue;
                };
                // SPDX 2 names no individual as a relationship's source: `NoAssertionElement
                // generates X` reads as `X GENERATED_FROM NOASSERTION`, the inverse type.
                let individual = |e: &str| e == "NOASSERTION" || e == "NONE";
                let map = match super::RELATIONSHIPS.iter().find(|r| {
                    r.spdx3 == map.spdx3 && r.scope == map.scope && r.reversed != map.reversed
                }) {
                    Some(inverse)
                        if individual(if map.reversed { &to } else { &from })
                            && !individual(if map.reversed { &from } else { &to }) =>
                    {
                        inverse
                    }
                    _ => map,
                };
                let (a, b) = if map.reversed {
                    (to, from.clone())
                } else {
                    (from.clone(), to)
                };
                doc.relationships.push(Relationship::new(a, map.spdx2, b));
            }
        }
        // SPDX 3 has no filesAnalyzed: a package's files were analysed when it has a
        // verification code or contains files.
        let contains_files: HashSet<&str> = doc
            .relationships
            .iter()
            .filter(|r| r.kind == "CONTAINS" && file_at.contains_key(&r.to))
            .map(|r| r.from.as_str())
            .collect();
        for p in &mut doc.packages {
            p.files_analyzed =
                p.verification_code.is_some() || contains_files.contains(p.id.as_str());
        }
        self.define_license_refs(&mut doc);
        doc.external_documents = self.externals.values().cloned().collect();
        doc.canonicalize();
        Ok(doc)
    }

    /// The hashes of an element's `verifiedUsing`, and its package verification code.
    fn hashes(&mut self, n: &Node<'v>) -> Result<(Vec<Checksum>, Option<String>)> {
        let mut out = Vec::new();
        let mut code = None;
        for (i, h) in self
            .array(n.m, "verifiedUsing", &n.pointer)?
            .iter()
            .enumerate()
        {
            let at = format!("{}/verifiedUsing/{i}", n.pointer);
            let hm = self.object(h, &at)?;
            let kind = self.opt_str(hm, "type", &at)?.unwrap_or_default();
            let alg = self.req_str(hm, "algorithm", &at)?;
            let value = self.req_str(hm, "hashValue", &at)?.to_ascii_lowercase();
            for k in hm.keys() {
                if !["type", "algorithm", "hashValue"].contains(&k.as_str()) {
                    self.report.drop(format!("{kind}.{k}"));
                }
            }
            match (kind.as_str(), algorithm_from_name(&alg)) {
                ("PackageVerificationCode", _) if alg == "sha1" && code.is_none() => {
                    code = Some(value);
                }
                ("Hash", Some(algorithm)) => out.push(Checksum { algorithm, value }),
                _ => self
                    .report
                    .drop(format!("{}.verifiedUsing[{kind} {alg}]", n.kind)),
            }
        }
        Ok((out, code))
    }

    fn package(
        &mut self,
        n: &Node<'v>,
        iri: &str,
        agents: &HashMap<&str, String>,
    ) -> Result<Package> {
        self.drop_unmodeled(n, PACKAGE_MODELED);
        let (checksums, verification_code) = self.hashes(n)?;
        let s = |r: &Self, k: &str| r.opt_str(n.m, k, &n.pointer);
        let mut p = Package {
            id: self.id(iri),
            name: s(self, "name")?.unwrap_or_default(),
            version: s(self, "software_packageVersion")?,
            download_location: s(self, "software_downloadLocation")?.filter(|d| d != "NOASSERTION"),
            homepage: s(self, "software_homePage")?,
            copyright_text: s(self, "software_copyrightText")?,
            summary: s(self, "summary")?,
            description: s(self, "description")?,
            comment: s(self, "comment")?,
            source_info: s(self, "software_sourceInfo")?,
            release_date: s(self, "releaseTime")?,
            checksums,
            verification_code,
            ..Package::default()
        };
        if let Some(purpose) = s(self, "software_primaryPurpose")? {
            match purpose_from_name(&purpose) {
                Some(x) => p.purpose = Some(x),
                None => self
                    .report
                    .drop(format!("{}.software_primaryPurpose={purpose}", n.kind)),
            }
        }
        if let Some(a) = s(self, "suppliedBy")? {
            match agents.get(a.as_str()) {
                Some(a) => p.supplier = Some(a.clone()),
                None => self
                    .report
                    .drop(format!("{}.suppliedBy (not an agent read)", n.kind)),
            }
        }
        for (i, a) in self
            .array(n.m, "originatedBy", &n.pointer)?
            .iter()
            .enumerate()
        {
            match a.as_str().and_then(|a| agents.get(a)) {
                Some(a) if i == 0 => p.originator = Some(a.clone()),
                _ => self.report.drop(format!("{}.originatedBy", n.kind)),
            }
        }
        if let Some(purl) = s(self, "software_packageUrl")? {
            p.external_refs.push(ExternalRef::purl(purl));
        }
        for (i, e) in self
            .array(n.m, "externalIdentifier", &n.pointer)?
            .iter()
            .enumerate()
        {
            let at = format!("{}/externalIdentifier/{i}", n.pointer);
            let em = self.object(e, &at)?;
            let t = self.req_str(em, "externalIdentifierType", &at)?;
            let locator = self.req_str(em, "identifier", &at)?;
            for k in em.keys() {
                if !["type", "externalIdentifierType", "identifier", "comment"]
                    .contains(&k.as_str())
                {
                    self.report.drop(format!("ExternalIdentifier.{k}"));
                }
            }
            let kind = match t.as_str() {
                "packageUrl" => RefKind::Purl,
                "cpe23" => RefKind::Cpe23,
                "cpe22" => RefKind::Cpe22,
                "swhid" => RefKind::Swhid,
                "gitoid" => RefKind::Gitoid,
                "swid" => RefKind::Other {
                    category: "SECURITY".into(),
                    kind: "swid".into(),
                },
                other => {
                    self.report.drop(format!(
                        "ExternalIdentifier[externalIdentifierType={other}]"
                    ));
                    continue;
                }
            };
            p.external_refs.push(ExternalRef {
                kind,
                locator,
                comment: self.opt_str(em, "comment", &at)?,
            });
        }
        for (i, e) in self
            .array(n.m, "externalRef", &n.pointer)?
            .iter()
            .enumerate()
        {
            let at = format!("{}/externalRef/{i}", n.pointer);
            let em = self.object(e, &at)?;
            let comment = self.opt_str(em, "comment", &at)?.unwrap_or_default();
            let locators = self.array(em, "locator", &at)?;
            let marked = comment.strip_prefix(SPDX2_REF_MARK).and_then(|rest| {
                let (head, own) = match rest.split_once(": ") {
                    Some((h, c)) => (h, Some(c.to_owned())),
                    None => (rest, None),
                };
                let (category, kind) = head.split_once(' ')?;
                Some((category.to_owned(), kind.to_owned(), own))
            });
            match (marked, locators) {
                (Some((category, kind, own)), [Value::String(locator)]) => {
                    p.external_refs.push(ExternalRef {
                        kind: RefKind::Other { category, kind },
                        locator: locator.clone(),
                        comment: own,
                    });
                }
                _ => self.report.drop(format!("{}.externalRef", n.kind)),
            }
        }
        Ok(p)
    }
}

impl Reader<'_> {
    /// SPDX 2 requires every `LicenseRef-` an expression uses to be defined (SPDX 2.3, 10.1);
    /// SPDX 3 license expressions may use one with no license element. Such an identifier is
    /// defined with the text `NOASSERTION`, and the read says so.
    fn define_license_refs(&mut self, doc: &mut Document) {
        let mut missing: Vec<String> = Vec::new();
        let expressions = doc
            .packages
            .iter()
            .flat_map(|p| [&p.license_declared, &p.license_concluded])
            .chain(doc.files.iter().map(|f| &f.license_concluded))
            .flatten();
        for e in expressions {
            for token in e.split(|c: char| c.is_whitespace() || c == '(' || c == ')') {
                if is_ref_id(token, "LicenseRef-")
                    && !doc.extracted_licenses.iter().any(|l| l.id == token)
                    && !missing.iter().any(|m| m == token)
                {
                    missing.push(token.to_owned());
                }
            }
        }
        for id in missing {
            self.report.recast(
                "LicenseRef- identifiers without a license element: defined with extracted text NOASSERTION",
            );
            doc.extracted_licenses.push(ExtractedLicense {
                id,
                text: "NOASSERTION".to_owned(),
                ..ExtractedLicense::default()
            });
        }
    }
}

impl Node<'_> {
    /// True for a graph node without an `spdxId`: not an element.
    fn spdx_less(&self) -> bool {
        !self.m.contains_key("spdxId")
    }
}

#[cfg(test)]
mod tests {
    use super::super::write;
    use super::*;
    use crate::model::{Algorithm, Purpose};

    fn sample() -> Document {
        let mut d = Document {
            name: "demo".into(),
            namespace: "https://example.org/demo".into(),
            created: "2024-01-01T00:00:00Z".into(),
            creators: vec![
                "Tool: bomsmith-0".into(),
                "Organization: Example (a@example.org)".into(),
            ],
            license_list_version: Some("3.22".into()),
            data_license: "CC0-1.0".into(),
            comment: Some("c".into()),
            packages: vec![
                Package {
                    id: "SPDXRef-PACKAGE-demo".into(),
                    name: "demo".into(),
                    version: Some("1.0".into()),
                    supplier: Some("Organization: Example".into()),
                    originator: Some("Person: Jane".into()),
                    download_location: Some("https://example.org/demo-1.0.tar.gz".into()),
                    files_analyzed: true,
                    verification_code: Some("a".repeat(40)),
                    checksums: vec![Checksum {
                        algorithm: Algorithm::Sha256,
                        value: "c".repeat(64),
                    }],
                    external_refs: vec![
                        ExternalRef::purl("pkg:generic/demo@1.0"),
                        ExternalRef::cpe23("cpe:2.3:a:example:demo:1.0:*:*:*:*:*:*:*"),
                        ExternalRef {
                            kind: RefKind::Other {
                                category: "SECURITY".into(),
                                kind: "advisory".into(),
                            },
                            locator: "https://example.org/adv".into(),
                            comment: Some("see".into()),
                        },
                    ],
                    purpose: Some(Purpose::Source),
                    license_concluded: Some("NOASSERTION".into()),
                    license_declared: Some("MIT OR LicenseRef-x".into()),
                    copyright_text: Some("NOASSERTION".into()),
                    ..Package::default()
                },
                Package {
                    id: "SPDXRef-PACKAGE-dep".into(),
                    name: "dep".into(),
                    ..Package::default()
                },
            ],
            files: vec![File {
                id: "SPDXRef-FILE-a".into(),
                name: "a".into(),
                checksums: vec![Checksum {
                    algorithm: Algorithm::Sha1,
                    value: "b".repeat(40),
                }],
                license_concluded: Some("MIT".into()),
                ..File::default()
            }],
            relationships: vec![
                Relationship::new(DOCUMENT_ID, "DESCRIBES", "SPDXRef-PACKAGE-demo"),
                Relationship::new("SPDXRef-PACKAGE-demo", "CONTAINS", "SPDXRef-FILE-a"),
                Relationship::new("SPDXRef-PACKAGE-demo", "DEPENDS_ON", "SPDXRef-PACKAGE-dep"),
                Relationship::new(
                    "SPDXRef-PACKAGE-dep",
                    "BUILD_TOOL_OF",
                    "SPDXRef-PACKAGE-demo",
                ),
                Relationship::new("SPDXRef-PACKAGE-dep", "OTHER", "NOASSERTION"),
                // Said in SPDX 3 as `NoAssertionElement generates dep`, read back as it was.
                Relationship::new("SPDXRef-PACKAGE-dep", "GENERATED_FROM", "NOASSERTION"),
            ],
            extracted_licenses: vec![ExtractedLicense {
                id: "LicenseRef-x".into(),
                text: "x text".into(),
                name: Some("X".into()),
                comment: None,
                see_also: vec!["https://example.org/x".into()],
            }],
            ..Document::default()
        };
        d.canonicalize();
        d
    }

    #[test]
    fn spdx3_round_trip_through_the_model() {
        let doc = sample();
        let text = write::write(&doc);
        let (back, report) = read(text.as_bytes(), "mem").expect("reads back");
        assert_eq!(back, doc);
        assert!(report.dropped.is_empty(), "{:?}", report.dropped);
        assert!(report.recast.is_empty(), "{:?}", report.recast);
        assert_eq!(text, write::write(&back), "byte-identical a second time");
        assert!(text.contains("\"spdxId\": \"https://example.org/demo#SPDXRef-PACKAGE-demo\""));
        assert!(text.contains("\"software_packageUrl\": \"pkg:generic/demo@1.0\""));
        assert!(text.contains("\"simplelicensing_licenseListVersion\": \"3.22.0\""));
    }

    /// Found by the spdx3 fuzz target on the official example7-bin: an imported document none
    /// of whose elements is referenced any more was not written back.
    #[test]
    fn spdx3_external_documents_nothing_refers_to_are_kept() {
        let mut doc = sample();
        doc.external_documents.push(ExternalDocument {
            id: "DocumentRef-other".into(),
            namespace: "urn:uuid:4918b993-36f8-4e75-bf94-2f017575eae5".into(),
            checksum: Checksum {
                algorithm: Algorithm::Sha256,
                value: "0e3532e0773d24d1a3a0a58592effd67daf22ac89282dc18805e1eef23f68dfe".into(),
            },
        });
        let text = write::write(&doc);
        assert!(
            text.contains("\"externalSpdxId\": \"urn:uuid:4918b993-36f8-4e75-bf94-2f017575eae5\""),
            "{text}"
        );
        let (back, _) = read(text.as_bytes(), "mem").expect("reads back");
        assert_eq!(back.external_documents.len(), 1);
        assert_eq!(
            back.external_documents[0].namespace,
            doc.external_documents[0].namespace
        );
        assert_eq!(
            back.external_documents[0].checksum,
            doc.external_documents[0].checksum
        );
    }

    /// Found by the spdx3 fuzz target: a relationship to an element of a type the model has
    /// no place for (here a misspelt `software_Fiel`) named an element the model does not hold,
    /// so SPDX 3 → model → SPDX 3 → model lost it on the second trip instead of the first.
    #[test]
    fn spdx3_relationships_to_elements_not_carried_are_counted_not_kept() {
        let text = r#"{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": [
          {"type": "CreationInfo", "@id": "_:c", "specVersion": "3.0.1", "created": "2024-01-01T00:00:00Z", "createdBy": ["urn:x#p"]},
          {"type": "Person", "spdxId": "urn:x#p", "creationInfo": "_:c", "name": "P"},
          {"type": "SpdxDocument", "spdxId": "urn:x#doc", "creationInfo": "_:c", "rootElement": ["urn:x#pkg"]},
          {"type": "software_Package", "spdxId": "urn:x#pkg", "creationInfo": "_:c", "name": "p"},
          {"type": "software_Fiel", "spdxId": "urn:x#f", "creationInfo": "_:c", "name": "f"},
          {"type": "Relationship", "spdxId": "urn:x#r", "creationInfo": "_:c", "from": "urn:x#pkg", "relationshipType": "contains", "to": ["urn:x#f"]}
        ]}"#;
        let (doc, report) = read(text.as_bytes(), "mem").expect("reads");
        assert_eq!(
            doc.relationships,
            [Relationship::new(DOCUMENT_ID, "DESCRIBES", "SPDXRef-pkg")]
        );
        assert_eq!(report.dropped.get("@graph[type=software_Fiel]"), Some(&1));
        assert_eq!(
            report
                .dropped
                .get("Relationship to an element not in the document"),
            Some(&1)
        );
        let (mut back, _) = read(write::write(&doc).as_bytes(), "back").expect("reads back");
        let mut doc = doc;
        doc.canonicalize();
        back.canonicalize();
        assert_eq!(back, doc);
    }

    #[test]
    fn spdx3_reader_counts_what_it_drops() {
        let text = r#"{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": [
          {"type": "CreationInfo", "@id": "_:c", "specVersion": "3.0.1", "created": "2024-01-01T00:00:00Z", "createdBy": ["urn:x#p"]},
          {"type": "Person", "spdxId": "urn:x#p", "creationInfo": "_:c", "name": "P"},
          {"type": "SpdxDocument", "spdxId": "urn:x#doc", "creationInfo": "_:c", "rootElement": ["urn:x#pkg"]},
          {"type": "software_Package", "spdxId": "urn:x#pkg", "creationInfo": "_:c", "name": "p", "builtTime": "2024-01-01T00:00:00Z"},
          {"type": "Annotation", "spdxId": "urn:x#a", "creationInfo": "_:c", "annotationType": "other", "subject": "urn:x#pkg", "statement": "s"},
          {"type": "Relationship", "spdxId": "urn:x#r", "creationInfo": "_:c", "from": "urn:x#pkg", "relationshipType": "hasHost", "to": ["urn:x#p"]}
        ]}"#;
        let (doc, report) = read(text.as_bytes(), "mem").expect("reads");
        assert_eq!(doc.namespace, "urn:x");
        assert_eq!(doc.creators, ["Person: P"]);
        assert_eq!(doc.packages[0].id, "SPDXRef-pkg");
        assert_eq!(
            doc.relationships,
            [Relationship::new(DOCUMENT_ID, "DESCRIBES", "SPDXRef-pkg")]
        );
        let dropped: Vec<&str> = report.dropped.keys().map(String::as_str).collect();
        assert_eq!(
            dropped,
            [
                "@graph[type=Annotation]",
                "Relationship[relationshipType=hasHost]",
                "software_Package.builtTime"
            ]
        );
        assert_eq!(report.recast.len(), 1, "data license supplied");
    }

    #[test]
    fn spdx3_reader_errors_name_the_place() {
        let text = r#"{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": [
          {"type": "software_Package", "spdxId": "urn:x#pkg", "name": 3}]}"#;
        let e = read(text.as_bytes(), "f.json").expect_err("a number is no name");
        assert!(e.to_string().contains("/@graph/0/name"), "{e}");
        let e = read(b"{\"@graph\": [1]}", "f.json").expect_err("not an object");
        assert!(e.to_string().contains("/@graph/0"), "{e}");
    }
}
