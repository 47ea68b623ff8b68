//! CSAF 2.0 VEX (`"category": "csaf_vex"`) to and from the VEX model.
//!
//! Reading: the product tree (branches, full product names, relationships) gives each product
//! ID its product (a relationship's product is the product it relates to, narrowed to the
//! component); each vulnerability's `product_status` lists give statuses, its `flags` the
//! justification, its `threats` of category `impact` the impact statement and its
//! `remediations` the action statement, per product; products sharing all of them make one
//! statement. Writing does the reverse, one vulnerability entry per vulnerability ID (CSAF
//! allows no second), product IDs being the model's product IDs.

use crate::error::{Error, Result};
use crate::format::ReadReport;
use crate::json::kind_name as kind;
use crate::model::vex::{Justification, Product, Statement, Status, VexDocument, Vulnerability};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashMap};

/// Whether a JSON value is a CSAF document (any category; `csaf_vex` is the VEX profile).
pub fn is_csaf(v: &Value) -> bool {
    v.get("document")
        .and_then(|d| d.get("csaf_version"))
        .and_then(Value::as_str)
        .is_some()
}

/// The elements of the array `key` of `v` (none when it is absent or no array).
fn items<'v>(v: &'v Value, key: &str) -> impl Iterator<Item = &'v Value> {
    v.get(key).and_then(Value::as_array).into_iter().flatten()
}

/// The product IDs an entry names (`product_ids`).
fn product_ids(v: &Value) -> impl Iterator<Item = &str> {
    items(v, "product_ids").filter_map(Value::as_str)
}

/// CSAF's hash algorithm names and the model's (OpenVEX's), where they differ.
const HASH_NAMES: [(&str, &str); 3] = [
    ("sha256", "sha-256"),
    ("sha384", "sha-384"),
    ("sha512", "sha-512"),
];

fn text(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str).map(str::to_owned)
}

/// A product of the tree: its name and identification helper.
fn product_of(p: &Value) -> Option<(String, Product)> {
    let id = p.get("product_id")?.as_str()?.to_owned();
    let helper = p.get("product_identification_helper");
    let mut hashes = Vec::new();
    for h in helper.into_iter().flat_map(|h| items(h, "hashes")) {
        for fh in items(h, "file_hashes") {
            if let (Some(alg), Some(value)) = (
                fh.get("algorithm").and_then(Value::as_str),
                fh.get("value").and_then(Value::as_str),
            ) {
                let name = HASH_NAMES
                    .iter()
                    .find(|(c, _)| *c == alg)
                    .map_or(alg, |(_, m)| m);
                hashes.push((name.to_owned(), value.to_owned()));
            }
        }
    }
    hashes.sort();
    hashes.dedup();
    Some((
        id.clone(),
        Product {
            id,
            name: text(p.get("name")),
            purl: text(helper.and_then(|h| h.get("purl"))),
            cpe: text(helper.and_then(|h| h.get("cpe"))),
            hashes,
            ..Product::default()
        },
    ))
}

fn walk_branches(list: &[Value], out: &mut HashMap<String, Product>) {
    for b in list {
        if let Some((id, p)) = b.get("product").and_then(product_of) {
            out.insert(id, p);
        }
        if let Some(children) = b.get("branches").and_then(Value::as_array) {
            walk_branches(children, out);
        }
    }
}

/// The statuses of CSAF's `product_status` lists, and whether the list's nuance is lost.
fn status_of_list(list: &str) -> Option<(Status, bool)> {
    Some(match list {
        "known_not_affected" => (Status::NotAffected, false),
        "known_affected" => (Status::Affected, false),
        "first_affected" | "last_affected" => (Status::Affected, true),
        "fixed" => (Status::Fixed, false),
        "first_fixed" => (Status::Fixed, true),
        "under_investigation" => (Status::UnderInvestigation, false),
        _ => return None,
    })
}

/// What a statement says beyond its status, per product; products sharing it share a
/// statement.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
struct Facts {
    status: Option<Status>,
    justification: Option<Justification>,
    timestamp: Option<String>,
    impact: Option<String>,
    action: Option<String>,
    action_time: Option<String>,
}

/// Reads a CSAF document (already parsed as JSON) from `file`.
pub fn read(v: &Value, file: &str) -> Result<(VexDocument, ReadReport)> {
    let err = |pointer: String, message: String| Error::Document {
        file: file.to_owned(),
        pointer,
        message,
    };
    let mut report = ReadReport::default();
    let document = v
        .get("document")
        .and_then(Value::as_object)
        .ok_or_else(|| {
            err(
                "/document".into(),
                "a CSAF document needs `document`".into(),
            )
        })?;
    let category = document
        .get("category")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if category != "csaf_vex" {
        report.recast(format!(
            "a CSAF document of category `{category}` (not csaf_vex), read for its product statuses"
        ));
    }
    let tracking = document.get("tracking");
    // Products by ID.
    let mut products: HashMap<String, Product> = HashMap::new();
    if let Some(tree) = v.get("product_tree") {
        if let Some(b) = tree.get("branches").and_then(Value::as_array) {
            walk_branches(b, &mut products);
        }
        for p in items(tree, "full_product_names") {
            if let Some((id, p)) = product_of(p) {
                products.insert(id, p);
            }
        }
        for (i, r) in items(tree, "relationships").enumerate() {
            let at = format!("/product_tree/relationships/{i}");
            let (Some(component), Some(product), Some(full)) = (
                r.get("product_reference").and_then(Value::as_str),
                r.get("relates_to_product_reference")
                    .and_then(Value::as_str),
                r.get("full_product_name"),
            ) else {
                return Err(err(
                    at,
                    "a relationship needs `product_reference`, `relates_to_product_reference` and `full_product_name`".into(),
                ));
            };
            let Some((id, named)) = product_of(full) else {
                return Err(err(
                    format!("{at}/full_product_name"),
                    "a full product name needs a `product_id`".into(),
                ));
            };
            let category = r.get("category").and_then(Value::as_str).unwrap_or("");
            if category != "default_component_of" {
                report.recast(format!(
                    "relationship `{category}`, read as the component within the product"
                ));
            }
            let mut top = products
                .get(product)
                .cloned()
                .unwrap_or_else(|| Product::named(product));
            let sub = products
                .get(component)
                .cloned()
                .unwrap_or_else(|| Product::named(component));
            top.subcomponents = vec![sub];
            let _ = named;
            products.insert(id, top);
        }
    }
    let vulns = match v.get("vulnerabilities") {
        None | Some(Value::Null) => &[][..],
        Some(Value::Array(l)) => l.as_slice(),
        Some(other) => {
            return Err(err(
                "/vulnerabilities".into(),
                format!("expected an array, found {}", kind(other)),
            ));
        }
    };
    let mut statements = Vec::new();
    for (i, vuln) in vulns.iter().enumerate() {
        let at = format!("/vulnerabilities/{i}");
        let mut names: Vec<String> = Vec::new();
        if let Some(cve) = vuln.get("cve").and_then(Value::as_str) {
            names.push(cve.to_owned());
        }
        for id in items(vuln, "ids") {
            if let Some(t) = id.get("text").and_then(Value::as_str)
                && !names.iter().any(|n| n == t)
            {
                names.push(t.to_owned());
            }
        }
        let Some(name) = names.first().cloned() else {
            return Err(err(
                at,
                "a vulnerability needs a `cve` or an entry in `ids`".into(),
            ));
        };
        let description = vuln
            .get("notes")
            .and_then(Value::as_array)
            .and_then(|notes| {
                notes
                    .iter()
                    .find(|n| n.get("category").and_then(Value::as_str) == Some("description"))
                    .or_else(|| notes.first())
            })
            .and_then(|n| n.get("text"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        let mut facts: BTreeMap<String, Facts> = BTreeMap::new();
        let mut order: Vec<String> = Vec::new();
        let mut touch = |id: &str, facts: &mut BTreeMap<String, Facts>| {
            if !facts.contains_key(id) {
                order.push(id.to_owned());
            }
            facts.entry(id.to_owned()).or_default();
        };
        if let Some(ps) = vuln.get("product_status").and_then(Value::as_object) {
            for (list, ids) in ps {
                let Some((status, recast)) = status_of_list(list) else {
                    report.drop(format!("vulnerabilities[].product_status.{list}"));
                    continue;
                };
                if recast {
                    report.recast(format!(
                        "product status `{list}`, read as {}",
                        status.name()
                    ));
                }
                for id in ids
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                {
                    touch(id, &mut facts);
                    if let Some(f) = facts.get_mut(id) {
                        f.status = Some(status);
                    }
                }
            }
        }
        for (j, flag) in items(vuln, "flags").enumerate() {
            let label = flag.get("label").and_then(Value::as_str).unwrap_or("");
            let names_products = product_ids(flag).next().is_some();
            let Some(justification) = Justification::parse(label) else {
                // A template's empty flag (Red Hat publishes one) names no product: nothing to
                // read, but said.
                if !names_products {
                    report.drop("vulnerabilities[].flags[] naming no product");
                    continue;
                }
                return Err(err(
                    format!("{at}/flags/{j}/label"),
                    format!("unknown flag label `{label}`"),
                ));
            };
            for id in product_ids(flag) {
                if let Some(f) = facts.get_mut(id) {
                    f.justification = Some(justification);
                    f.timestamp = text(flag.get("date"));
                }
            }
            if flag.get("group_ids").is_some() {
                report.drop("vulnerabilities[].flags[].group_ids");
            }
        }
        for threat in items(vuln, "threats") {
            if threat.get("category").and_then(Value::as_str) != Some("impact") {
                report.drop("vulnerabilities[].threats[] (other than impact)");
                continue;
            }
            for id in product_ids(threat) {
                if let Some(f) = facts.get_mut(id) {
                    f.impact = text(threat.get("details"));
                }
            }
        }
        for rem in items(vuln, "remediations") {
            for id in product_ids(rem) {
                if let Some(f) = facts.get_mut(id) {
                    f.action = text(rem.get("details"));
                    f.action_time = text(rem.get("date"));
                }
            }
        }
        for k in [
            "scores",
            "references",
            "cwe",
            "acknowledgments",
            "involvements",
        ] {
            if vuln.get(k).is_some() {
                report.drop(format!("vulnerabilities[].{k}"));
            }
        }
        // Products sharing every fact share a statement, in the order they first appear.
        let mut groups: Vec<(Facts, Vec<Product>)> = Vec::new();
        for id in &order {
            let Some(f) = facts.get(id) else { continue };
            if f.status.is_none() {
                continue;
            }
            let mut product = products
                .get(id)
                .cloned()
                .unwrap_or_else(|| Product::named(id));
            if !products.contains_key(id) {
                report.recast(
                    "a product ID the product tree does not define, kept as its name".to_owned(),
                );
            }
            if product.name.is_none() {
                product.name = None;
            }
            match groups.iter_mut().find(|(g, _)| g == f) {
                Some((_, list)) => merge(list, product),
                None => groups.push((f.clone(), vec![product])),
            }
        }
        for (f, products) in groups {
            let Some(status) = f.status else { continue };
            statements.push(Statement {
                id: None,
                vulnerability: Vulnerability {
                    name: name.clone(),
                    uri: None,
                    aliases: names[1..].to_vec(),
                    description: description.clone(),
                },
                products,
                status,
                justification: f.justification,
                impact_statement: f.impact,
                action_statement: f.action,
                action_statement_timestamp: f.action_time,
                status_notes: None,
                supplier: None,
                timestamp: f.timestamp,
                last_updated: None,
            });
        }
    }
    let publisher = document.get("publisher");
    Ok((
        VexDocument {
            id: text(tracking.and_then(|t| t.get("id"))),
            author: text(publisher.and_then(|p| p.get("name"))),
            role: text(publisher.and_then(|p| p.get("category"))),
            timestamp: text(tracking.and_then(|t| t.get("initial_release_date"))),
            last_updated: text(tracking.and_then(|t| t.get("current_release_date"))),
            version: text(tracking.and_then(|t| t.get("version"))),
            tooling: tracking
                .and_then(|t| t.get("generator"))
                .and_then(|g| g.get("engine"))
                .and_then(|e| {
                    let name = e.get("name")?.as_str()?;
                    Some(match e.get("version").and_then(Value::as_str) {
                        Some(v) => format!("{name}-{v}"),
                        None => name.to_owned(),
                    })
                }),
            statements,
        },
        report,
    ))
}

/// Adds `p` to `list`, joining the subcomponents of a product already there.
fn merge(list: &mut Vec<Product>, p: Product) {
    if list.contains(&p) {
        return;
    }
    match list.iter_mut().find(|x| {
        x.id == p.id
            && x.versions == p.versions
            && !x.subcomponents.is_empty()
            && !p.subcomponents.is_empty()
    }) {
        Some(x) => {
            for s in p.subcomponents {
                if !x.subcomponents.contains(&s) {
                    x.subcomponents.push(s);
                }
            }
        }
        None => list.push(p),
    }
}

/// What a CSAF writer needs that the model may lack.
#[derive(Debug, Clone)]
pub struct Fallback {
    /// `tracking.id` when the document has no ID.
    pub id: String,
    /// The publisher's name when the document has no author.
    pub publisher: String,
    /// The publisher's namespace (a URI).
    pub namespace: String,
    /// The document's title.
    pub title: String,
    /// Release dates when the document has none (RFC 3339).
    pub timestamp: String,
}

/// The CSAF publisher categories.
const PUBLISHER_CATEGORIES: [&str; 6] = [
    "coordinator",
    "discoverer",
    "other",
    "translator",
    "user",
    "vendor",
];

fn helper(p: &Product) -> Option<Value> {
    let mut h = Map::new();
    let purl = p.purl.clone().or_else(|| {
        (p.id.starts_with("pkg:") && crate::ident::parse_purl(&p.id).is_ok()).then(|| p.id.clone())
    });
    if let Some(purl) = purl {
        h.insert("purl".into(), json!(purl));
    }
    let cpe = p
        .cpe
        .clone()
        .or_else(|| p.id.starts_with("cpe:").then(|| p.id.clone()));
    if let Some(cpe) = cpe {
        h.insert("cpe".into(), json!(cpe));
    }
    if !p.hashes.is_empty() {
        let hashes: Vec<Value> = p
            .hashes
            .iter()
            .map(|(alg, value)| {
                let alg = HASH_NAMES
                    .iter()
                    .find(|(_, m)| m == alg)
                    .map_or(alg.as_str(), |(c, _)| c);
                json!({"algorithm": alg, "value": value})
            })
            .collect();
        h.insert(
            "hashes".into(),
            json!([{"file_hashes": hashes, "filename": p.name.as_deref().unwrap_or(&p.id)}]),
        );
    }
    (!h.is_empty()).then_some(Value::Object(h))
}

fn full_product_name(p: &Product) -> Value {
    let mut m = Map::new();
    m.insert("name".into(), json!(p.name.as_deref().unwrap_or(&p.id)));
    m.insert("product_id".into(), json!(p.id));
    if let Some(h) = helper(p) {
        m.insert("product_identification_helper".into(), h);
    }
    Value::Object(m)
}

/// The document as CSAF 2.0 JSON with the `csaf_vex` profile, and what it could not carry.
pub fn to_json(doc: &VexDocument, fallback: &Fallback) -> (Value, BTreeMap<String, usize>) {
    let mut lost: BTreeMap<String, usize> = BTreeMap::new();
    let mut note = |what: &str| *lost.entry(what.to_owned()).or_default() += 1;
    // The product tree: every product and subcomponent once, and a relationship per
    // (subcomponent, product) pair.
    let mut names: BTreeMap<String, Value> = BTreeMap::new();
    let mut relationships: BTreeMap<String, Value> = BTreeMap::new();
    let mut ids_of = |p: &Product, note: &mut dyn FnMut(&str)| -> Vec<String> {
        if !p.versions.is_empty() {
            note("product versions and ranges");
        }
        names
            .entry(p.id.clone())
            .or_insert_with(|| full_product_name(p));
        if p.subcomponents.is_empty() {
            return vec![p.id.clone()];
        }
        p.subcomponents
            .iter()
            .map(|s| {
                names
                    .entry(s.id.clone())
                    .or_insert_with(|| full_product_name(s));
                let id = format!("{}:{}", p.id, s.id);
                relationships.entry(id.clone()).or_insert_with(|| {
                    json!({
                        "category": "default_component_of",
                        "full_product_name": {"name": format!("{} in {}", s.name.as_deref().unwrap_or(&s.id), p.name.as_deref().unwrap_or(&p.id)), "product_id": id},
                        "product_reference": s.id,
                        "relates_to_product_reference": p.id,
                    })
                });
                id
            })
            .collect()
    };
    // One entry per vulnerability, in first-seen order.
    let mut order: Vec<String> = Vec::new();
    let mut by_vuln: HashMap<String, Vec<&Statement>> = HashMap::new();
    for s in &doc.statements {
        let key = s.vulnerability.name.clone();
        if !by_vuln.contains_key(&key) {
            order.push(key.clone());
        }
        by_vuln.entry(key).or_default().push(s);
    }
    let mut vulnerabilities = Vec::new();
    for name in order {
        let statements = &by_vuln[&name];
        let mut v = Map::new();
        let first = &statements[0].vulnerability;
        let mut ids: Vec<Value> = Vec::new();
        if name.starts_with("CVE-") {
            v.insert("cve".into(), json!(name));
        } else {
            ids.push(json!({"system_name": system_of(&name), "text": name}));
        }
        for a in &first.aliases {
            ids.push(json!({"system_name": system_of(a), "text": a}));
        }
        if !ids.is_empty() {
            v.insert("ids".into(), Value::Array(ids));
        }
        if statements.len() > 1 {
            note(
                "statements of one vulnerability joined in one entry (CSAF allows one per vulnerability)",
            );
        }
        let mut status_lists: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        // Flags, threats and remediations that say the same thing join their product IDs (CSAF
        // wants each once).
        let mut said = HashMap::new();
        let mut flags: Grouped = Grouped::default();
        let mut threats: Grouped = Grouped::default();
        let mut remediations: Grouped = Grouped::default();
        for s in statements {
            if s.products.is_empty() {
                note("statements naming no product (CSAF states a status per product)");
                continue;
            }
            // CSAF says one thing per product per vulnerability: a product a statement before
            // this one already spoke for, differently, keeps the first word.
            let facts = (
                s.status,
                s.justification,
                s.impact_statement.clone(),
                s.action_statement.clone(),
            );
            let all: Vec<String> = s
                .products
                .iter()
                .flat_map(|p| ids_of(p, &mut note))
                .collect();
            let mut ids = Vec::with_capacity(all.len());
            for id in all {
                match said.get(&id) {
                    Some(f) if *f != facts => note(
                        "statements that contradict an earlier one about the same product and vulnerability (CSAF keeps one; the first is kept)",
                    ),
                    _ => {
                        said.insert(id.clone(), facts.clone());
                        ids.push(id);
                    }
                }
            }
            if ids.is_empty() {
                continue;
            }
            let list = match s.status {
                Status::NotAffected => "known_not_affected",
                Status::Affected => "known_affected",
                Status::Fixed => "fixed",
                Status::UnderInvestigation => "under_investigation",
            };
            status_lists
                .entry(list)
                .or_default()
                .extend(ids.iter().cloned());
            if let Some(j) = s.justification {
                let mut f = json!({"label": j.name()});
                if let Some(t) = &s.timestamp {
                    f["date"] = json!(t);
                }
                flags.add(f, &ids);
            } else if s.timestamp.is_some() {
                note("statement timestamps (CSAF dates only flags)");
            }
            if let Some(i) = &s.impact_statement {
                threats.add(json!({"category": "impact", "details": i}), &ids);
            }
            if let Some(a) = &s.action_statement {
                let category = match s.status {
                    Status::Affected => "vendor_fix",
                    _ => "mitigation",
                };
                let mut r = json!({"category": category, "details": a});
                if let Some(t) = &s.action_statement_timestamp {
                    r["date"] = json!(t);
                }
                remediations.add(r, &ids);
            } else if s.action_statement_timestamp.is_some() {
                note("action statement timestamps without an action statement");
            }
            if s.status_notes.is_some() {
                note("status notes");
            }
            if s.last_updated.is_some() {
                note("statement last_updated times");
            }
            if s.supplier.is_some() {
                note("statement suppliers");
            }
            if s.id.is_some() {
                note("statement IDs");
            }
            if s.vulnerability != *first {
                note("differing vulnerability details of statements of one ID");
            }
        }
        if let Some(d) = &first.description {
            v.insert(
                "notes".into(),
                json!([{"category": "description", "text": d, "title": "Vulnerability description"}]),
            );
        } else {
            v.insert(
                "notes".into(),
                json!([{"category": "description", "text": name, "title": "Vulnerability"}]),
            );
        }
        if first.uri.is_some() {
            note("vulnerability URIs (@id)");
        }
        let mut ps = Map::new();
        for (list, mut ids) in status_lists.into_iter().filter(|(_, ids)| !ids.is_empty()) {
            ids.dedup();
            let mut seen = std::collections::HashSet::new();
            ids.retain(|i| seen.insert(i.clone()));
            ps.insert(list.into(), json!(ids));
        }
        let has_status = !ps.is_empty();
        v.insert("product_status".into(), Value::Object(ps));
        for (key, group) in [
            ("flags", flags),
            ("threats", threats),
            ("remediations", remediations),
        ] {
            if !group.0.is_empty() {
                v.insert(key.into(), group.into_json());
            }
        }
        if has_status {
            vulnerabilities.push(Value::Object(v));
        }
    }
    let timestamp = doc
        .timestamp
        .clone()
        .unwrap_or_else(|| fallback.timestamp.clone());
    let current = doc
        .last_updated
        .clone()
        .unwrap_or_else(|| timestamp.clone());
    let version = doc
        .version
        .clone()
        .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
        .unwrap_or_else(|| "1".into());
    let category = doc
        .role
        .as_deref()
        .filter(|r| PUBLISHER_CATEGORIES.contains(r))
        .unwrap_or("vendor");
    if doc
        .role
        .as_deref()
        .is_some_and(|r| !PUBLISHER_CATEGORIES.contains(&r))
    {
        note("the author's role (not a CSAF publisher category)");
    }
    let mut tracking = json!({
        "current_release_date": current,
        "id": doc.id.clone().unwrap_or_else(|| fallback.id.clone()),
        "initial_release_date": timestamp,
        "revision_history": [{"date": current, "number": version, "summary": "Current version."}],
        "status": "final",
        "version": version,
    });
    if let Some(t) = &doc.tooling {
        tracking["generator"] = json!({"engine": {"name": t}});
    }
    let mut tree = Map::new();
    if !names.is_empty() {
        tree.insert(
            "full_product_names".into(),
            Value::Array(names.into_values().collect()),
        );
    }
    if !relationships.is_empty() {
        tree.insert(
            "relationships".into(),
            Value::Array(relationships.into_values().collect()),
        );
    }
    let out = json!({
        "document": {
            "category": "csaf_vex",
            "csaf_version": "2.0",
            "publisher": {
                "category": category,
                "name": doc.author.clone().unwrap_or_else(|| fallback.publisher.clone()),
                "namespace": fallback.namespace,
            },
            "title": fallback.title,
            "tracking": tracking,
        },
        "product_tree": Value::Object(tree),
        "vulnerabilities": vulnerabilities,
    });
    (out, lost)
}

/// Objects that differ only in their product IDs, joined: (the object without `product_ids`,
/// its product IDs in first-seen order), in first-seen order.
#[derive(Default)]
struct Grouped(Vec<(Value, Vec<String>)>);

impl Grouped {
    fn add(&mut self, v: Value, ids: &[String]) {
        let at = match self.0.iter().position(|(x, _)| *x == v) {
            Some(at) => at,
            None => {
                self.0.push((v, Vec::new()));
                self.0.len() - 1
            }
        };
        let list = &mut self.0[at].1;
        for id in ids {
            if !list.contains(id) {
                list.push(id.clone());
            }
        }
    }

    fn into_json(self) -> Value {
        Value::Array(
            self.0
                .into_iter()
                .map(|(mut v, ids)| {
                    v["product_ids"] = json!(ids);
                    v
                })
                .collect(),
        )
    }
}

/// The system a vulnerability ID belongs to, by its prefix.
fn system_of(id: &str) -> String {
    id.split('-').next().unwrap_or(id).to_owned()
}
