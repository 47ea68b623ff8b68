//! The SPDX 3 writer: model → SPDX 3.0.1 JSON-LD.
//!
//! One `CreationInfo` (`_:creationinfo`) for every element; agents and tools as elements;
//! packages and files with `verifiedUsing` hashes; PURLs as `software_packageUrl` (the first)
//! and `packageUrl` external identifiers (the rest), CPEs as `cpe23`/`cpe22` external
//! identifiers; relationships grouped by `from` and type, with their `to` ends sorted; license
//! expressions as `simplelicensing_LicenseExpression` elements named by
//! `hasDeclaredLicense`/`hasConcludedLicense`. Every IRI is `<namespace>#<SPDX 2 style ID>`.
//! Keys and arrays are sorted (nothing in SPDX 3 JSON-LD is ordered), so the same model gives
//! the same bytes.

use super::{
    CONTEXT, CREATION_INFO_ID, NO_ASSERTION_ELEMENT, NONE_ELEMENT, SPEC_VERSION, algorithm_name,
    purpose_name, relationship_to_spdx3,
};
use crate::ident::spdx_id::spdx_id;
use crate::json;
use crate::model::{Checksum, DOCUMENT_ID, Document, ExternalRef, File, Package, RefKind};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};

/// Marks an external reference whose SPDX 2 category and type have no SPDX 3 form, so that
/// the reader can give them back: the comment of an SPDX 3 `ExternalRef` of type `other`.
pub(super) const SPDX2_REF_MARK: &str = "SPDX 2 external reference ";

/// Writes `doc` as canonical SPDX 3.0.1 JSON-LD.
pub fn write(doc: &Document) -> String {
    let mut v = to_value(doc);
    json::sort_arrays(&mut v);
    json::to_canonical_string(&v)
}

struct Writer<'a> {
    doc: &'a Document,
    base: String,
    graph: Vec<Value>,
    /// Agents by their SPDX 2 actor string (`Person: x`), with their IRIs.
    agents: BTreeMap<String, String>,
    /// License expression elements by expression, with their IRIs.
    licenses: BTreeMap<String, String>,
    /// IRIs of external documents' elements, for `import`.
    imports: BTreeSet<String>,
}

/// The document as a JSON value (arrays unsorted until written).
pub fn to_value(doc: &Document) -> Value {
    let mut w = Writer {
        doc,
        base: format!("{}#", doc.namespace.trim_end_matches('#')),
        graph: Vec::new(),
        agents: BTreeMap::new(),
        licenses: BTreeMap::new(),
        imports: BTreeSet::new(),
    };
    w.write();
    json!({"@context": CONTEXT, "@graph": w.graph})
}

impl Writer<'_> {
    fn iri(&mut self, id: &str) -> String {
        match id {
            "NOASSERTION" => return NO_ASSERTION_ELEMENT.to_owned(),
            "NONE" => return NONE_ELEMENT.to_owned(),
            _ => {}
        }
        if let Some((docref, element)) = id.split_once(':')
            && let Some(ext) = self.doc.external_documents.iter().find(|d| d.id == docref)
        {
            let iri = format!("{}#{element}", ext.namespace.trim_end_matches('#'));
            self.imports.insert(iri.clone());
            return iri;
        }
        format!("{}{id}", self.base)
    }

    fn element(&self, kind: &str, iri: &str) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("type".into(), json!(kind));
        m.insert("spdxId".into(), json!(iri));
        m.insert("creationInfo".into(), json!(CREATION_INFO_ID));
        m
    }

    /// The IRI of the agent an SPDX 2 actor string names, written once.
    fn agent(&mut self, actor: &str) -> String {
        if let Some(iri) = self.agents.get(actor) {
            return iri.clone();
        }
        let (kind, name, prefix) = match actor.split_once(':') {
            Some(("Person", n)) => ("Person", n.trim(), "SPDXRef-Person-"),
            Some(("Organization", n)) => ("Organization", n.trim(), "SPDXRef-Organization-"),
            Some(("Tool", n)) => ("Tool", n.trim(), "SPDXRef-Tool-"),
            Some(("SoftwareAgent", n)) => ("SoftwareAgent", n.trim(), "SPDXRef-SoftwareAgent-"),
            _ => ("Agent", actor.trim(), "SPDXRef-Agent-"),
        };
        let mut id = spdx_id(prefix, name);
        let taken: BTreeSet<&String> = self.agents.values().collect();
        let mut n = 2;
        let stem = id.clone();
        while taken.contains(&format!("{}{id}", self.base)) {
            id = format!("{stem}-{n}");
            n += 1;
        }
        let iri = format!("{}{id}", self.base);
        let mut m = self.element(kind, &iri);
        m.insert("name".into(), json!(name));
        self.graph.push(Value::Object(m));
        self.agents.insert(actor.to_owned(), iri.clone());
        iri
    }

    /// The IRI of the license expression element for `expr`, written once.
    fn license(&mut self, expr: &str) -> String {
        if let Some(iri) = self.licenses.get(expr) {
            return iri.clone();
        }
        let stem = spdx_id("SPDXRef-License-", expr);
        let mut id = stem.clone();
        let mut n = 2;
        while self
            .licenses
            .values()
            .any(|v| v == &format!("{}{id}", self.base))
        {
            id = format!("{stem}-{n}");
            n += 1;
        }
        let iri = format!("{}{id}", self.base);
        let mut m = self.element("simplelicensing_LicenseExpression", &iri);
        m.insert("simplelicensing_licenseExpression".into(), json!(expr));
        if let Some(v) = &self.doc.license_list_version {
            m.insert(
                "simplelicensing_licenseListVersion".into(),
                json!(semver(v)),
            );
        }
        let refs: BTreeSet<&str> = expr
            .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
            .filter(|t| t.starts_with("LicenseRef-") || t.starts_with("DocumentRef-"))
            .collect();
        let custom: Vec<Value> = refs
            .into_iter()
            .filter(|r| {
                self.doc
                    .extracted_licenses
                    .iter()
                    .any(|l| l.id.as_str() == *r)
            })
            .map(|r| json!({"type": "DictionaryEntry", "key": r, "value": format!("{}{r}", self.base)}))
            .collect();
        if !custom.is_empty() {
            m.insert("simplelicensing_customIdToUri".into(), Value::Array(custom));
        }
        self.graph.push(Value::Object(m));
        self.licenses.insert(expr.to_owned(), iri.clone());
        iri
    }

    fn write(&mut self) {
        let doc = self.doc;
        // Creators: people and organisations make the document, tools are used to make it.
        // SPDX 3 requires at least one agent; a document made by tools alone names each tool
        // as a SoftwareAgent too (the reader folds the two back into one `Tool:` creator).
        let mut created_by = Vec::new();
        let mut created_using = Vec::new();
        for c in &doc.creators {
            if c.starts_with("Tool:") {
                created_using.push(self.agent(c));
            } else {
                created_by.push(self.agent(c));
            }
        }
        if created_by.is_empty() {
            for c in doc.creators.iter().filter(|c| c.starts_with("Tool:")) {
                let name = c["Tool:".len()..].trim();
                created_by.push(self.agent(&format!("SoftwareAgent: {name}")));
            }
        }
        let mut ci = Map::new();
        ci.insert("@id".into(), json!(CREATION_INFO_ID));
        ci.insert("type".into(), json!("CreationInfo"));
        ci.insert("specVersion".into(), json!(SPEC_VERSION));
        ci.insert("created".into(), json!(doc.created));
        ci.insert("createdBy".into(), json!(created_by));
        if !created_using.is_empty() {
            ci.insert("createdUsing".into(), json!(created_using));
        }
        self.graph.push(Value::Object(ci));

        for p in &doc.packages {
            let v = self.package(p);
            self.graph.push(v);
        }
        for f in &doc.files {
            let v = self.file(f);
            self.graph.push(v);
        }
        for l in &doc.extracted_licenses {
            let iri = format!("{}{}", self.base, l.id);
            let mut m = self.element("expandedlicensing_CustomLicense", &iri);
            m.insert("simplelicensing_licenseText".into(), json!(l.text));
            put(&mut m, "name", &l.name);
            put(&mut m, "comment", &l.comment);
            if !l.see_also.is_empty() {
                m.insert("expandedlicensing_seeAlso".into(), json!(l.see_also));
            }
            self.graph.push(Value::Object(m));
        }

        // Relationships, grouped by (from, type, scope); the `to` ends of a group in one array.
        let mut groups: BTreeMap<(String, &str, Option<&str>), BTreeSet<String>> = BTreeMap::new();
        let mut roots = BTreeSet::new();
        for r in &doc.relationships {
            let Some(map) = relationship_to_spdx3(&r.kind) else {
                continue;
            };
            let (from, to) = if map.reversed {
                (&r.to, &r.from)
            } else {
                (&r.from, &r.to)
            };
            let (from, to) = (self.iri(from), self.iri(to));
            if r.kind == "DESCRIBES" && r.from == DOCUMENT_ID {
                roots.insert(to.clone());
            }
            groups
                .entry((from, map.spdx3, map.scope))
                .or_default()
                .insert(to);
        }
        for p in &doc.packages {
            let from = self.iri(&p.id);
            self.license_relationships(
                &mut groups,
                from,
                &p.license_declared,
                &p.license_concluded,
            );
        }
        for f in &doc.files {
            let from = self.iri(&f.id);
            self.license_relationships(&mut groups, from, &None, &f.license_concluded);
        }
        for ((from, kind, scope), to) in groups {
            let tag = format!("{from} {kind} {}", scope.unwrap_or(""));
            let iri = format!(
                "{}SPDXRef-Relationship-{}",
                self.base,
                &short_hash(&tag)[..16]
            );
            let mut m = self.element(
                if scope.is_some() {
                    "LifecycleScopedRelationship"
                } else {
                    "Relationship"
                },
                &iri,
            );
            m.insert("from".into(), json!(from));
            m.insert("relationshipType".into(), json!(kind));
            m.insert("to".into(), json!(to));
            if let Some(s) = scope {
                m.insert("scope".into(), json!(s));
            }
            self.graph.push(Value::Object(m));
        }

        let doc_iri = format!("{}{DOCUMENT_ID}", self.base);
        let mut m = self.element("SpdxDocument", &doc_iri);
        m.insert("name".into(), json!(doc.name));
        put(&mut m, "comment", &doc.comment);
        if !doc.data_license.is_empty() {
            let iri = self.license(&doc.data_license);
            m.insert("dataLicense".into(), json!(iri));
        }
        m.insert("rootElement".into(), json!(roots));
        m.insert(
            "profileConformance".into(),
            json!(["core", "simpleLicensing", "software"]),
        );
        // Every external document the model names is imported, also one no element of which
        // is referenced here (its own namespace then stands for it), so none is lost.
        for d in &doc.external_documents {
            let ns = d.namespace.trim_end_matches('#');
            let named = self
                .imports
                .iter()
                .any(|iri| iri.split_once('#').map_or(iri.as_str(), |(n, _)| n) == ns);
            if !named {
                self.imports.insert(ns.to_owned());
            }
        }
        let mut imports = Vec::new();
        for iri in &self.imports {
            let ns = iri.split_once('#').map_or(iri.as_str(), |(ns, _)| ns);
            let mut e = Map::new();
            e.insert("type".into(), json!("ExternalMap"));
            e.insert("externalSpdxId".into(), json!(iri));
            if let Some(d) = doc
                .external_documents
                .iter()
                .find(|d| d.namespace.trim_end_matches('#') == ns)
            {
                e.insert("locationHint".into(), json!(d.namespace));
                e.insert("verifiedUsing".into(), json!([hash_value(&d.checksum)]));
            }
            imports.push(Value::Object(e));
        }
        if !imports.is_empty() {
            m.insert("import".into(), Value::Array(imports));
        }
        self.graph.push(Value::Object(m));
    }

    fn license_relationships(
        &mut self,
        groups: &mut BTreeMap<(String, &str, Option<&str>), BTreeSet<String>>,
        from: String,
        declared: &Option<String>,
        concluded: &Option<String>,
    ) {
        for (kind, expr) in [
            ("hasDeclaredLicense", declared),
            ("hasConcludedLicense", concluded),
        ] {
            if let Some(expr) = expr {
                let to = self.license(expr);
                groups
                    .entry((from.clone(), kind, None))
                    .or_default()
                    .insert(to);
            }
        }
    }

    fn package(&mut self, p: &Package) -> Value {
        let iri = self.iri(&p.id);
        let mut m = self.element("software_Package", &iri);
        m.insert("name".into(), json!(p.name));
        put(&mut m, "software_packageVersion", &p.version);
        put(&mut m, "software_downloadLocation", &p.download_location);
        put(&mut m, "software_homePage", &p.homepage);
        put(&mut m, "software_copyrightText", &p.copyright_text);
        put(&mut m, "summary", &p.summary);
        put(&mut m, "description", &p.description);
        put(&mut m, "comment", &p.comment);
        put(&mut m, "software_sourceInfo", &p.source_info);
        put(&mut m, "releaseTime", &p.release_date);
        if let Some(s) = &p.supplier {
            let a = self.agent(s);
            m.insert("suppliedBy".into(), json!(a));
        }
        if let Some(o) = &p.originator {
            let a = self.agent(o);
            m.insert("originatedBy".into(), json!([a]));
        }
        if let Some(purpose) = p.purpose {
            m.insert(
                "software_primaryPurpose".into(),
                json!(purpose_name(purpose)),
            );
        }
        let mut verified: Vec<Value> = p.checksums.iter().map(hash_value).collect();
        if let Some(code) = &p.verification_code {
            verified.push(
                json!({"type": "PackageVerificationCode", "algorithm": "sha1", "hashValue": code}),
            );
        }
        if !verified.is_empty() {
            m.insert("verifiedUsing".into(), Value::Array(verified));
        }
        let mut identifiers = Vec::new();
        let mut refs = Vec::new();
        let mut first_purl = true;
        for r in &p.external_refs {
            if r.kind == RefKind::Purl && first_purl && r.comment.is_none() {
                first_purl = false;
                m.insert("software_packageUrl".into(), json!(r.locator));
                continue;
            }
            match identifier_type(&r.kind) {
                Some(t) => identifiers.push(identifier_value(t, r)),
                None => refs.push(external_ref_value(r)),
            }
        }
        if !identifiers.is_empty() {
            m.insert("externalIdentifier".into(), Value::Array(identifiers));
        }
        if !refs.is_empty() {
            m.insert("externalRef".into(), Value::Array(refs));
        }
        Value::Object(m)
    }

    fn file(&mut self, f: &File) -> Value {
        let iri = self.iri(&f.id);
        let mut m = self.element("software_File", &iri);
        m.insert("name".into(), json!(f.name));
        put(&mut m, "software_copyrightText", &f.copyright_text);
        put(&mut m, "comment", &f.comment);
        if !f.checksums.is_empty() {
            m.insert(
                "verifiedUsing".into(),
                Value::Array(f.checksums.iter().map(hash_value).collect()),
            );
        }
        Value::Object(m)
    }
}

fn put(m: &mut Map<String, Value>, key: &str, value: &Option<String>) {
    if let Some(v) = value {
        m.insert(key.to_owned(), json!(v));
    }
}

fn hash_value(c: &Checksum) -> Value {
    json!({"type": "Hash", "algorithm": algorithm_name(c.algorithm), "hashValue": c.value})
}

/// The SPDX 3 external identifier type of a model reference kind, if SPDX 3 has one.
pub(super) fn identifier_type(kind: &RefKind) -> Option<&'static str> {
    Some(match kind {
        RefKind::Purl => "packageUrl",
        RefKind::Cpe23 => "cpe23",
        RefKind::Cpe22 => "cpe22",
        RefKind::Swhid => "swhid",
        RefKind::Gitoid => "gitoid",
        RefKind::Other { kind, .. } if kind == "swid" => "swid",
        RefKind::Other { .. } => return None,
    })
}

fn identifier_value(t: &str, r: &ExternalRef) -> Value {
    let mut m = Map::new();
    m.insert("type".into(), json!("ExternalIdentifier"));
    m.insert("externalIdentifierType".into(), json!(t));
    m.insert("identifier".into(), json!(r.locator));
    put(&mut m, "comment", &r.comment);
    Value::Object(m)
}

/// An SPDX 2 reference with no SPDX 3 identifier type: an `ExternalRef` of type `other`, its
/// SPDX 2 category and type in the comment (before the reference's own comment, if any).
fn external_ref_value(r: &ExternalRef) -> Value {
    let (category, kind) = match &r.kind {
        RefKind::Other { category, kind } => (category.as_str(), kind.as_str()),
        _ => ("OTHER", "other"),
    };
    let mut comment = format!("{SPDX2_REF_MARK}{category} {kind}");
    if let Some(c) = &r.comment {
        comment.push_str(": ");
        comment.push_str(c);
    }
    json!({"type": "ExternalRef", "externalRefType": "other", "locator": [r.locator], "comment": comment})
}

/// SPDX 2's `M.N` license list version as SPDX 3's SemVer `M.N.0`.
fn semver(v: &str) -> String {
    if v.matches('.').count() == 1 {
        format!("{v}.0")
    } else {
        v.to_owned()
    }
}

fn short_hash(s: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(s.as_bytes()))
}
