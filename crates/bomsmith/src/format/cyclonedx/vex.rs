//! CycloneDX VEX (a BOM's `vulnerabilities[]` with `analysis` and `affects`) to and from the
//! VEX model. The mapping of CycloneDX's analysis states and justifications to CISA's terms is
//! in `docs/vex.md`; a CISA justification CycloneDX has no word for is kept in a property
//! (`bomsmith:vex:justification`) and reported, so that a round trip keeps it.

use crate::error::{Error, Result};
use crate::format::ReadReport;
use crate::json::kind_name as kind;
use crate::model::vex::{Justification, Product, Statement, Status, VexDocument, Vulnerability};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashMap};

/// The property a CISA justification is kept in when CycloneDX has no equivalent (and always,
/// so that the exact term survives a round trip).
pub const JUSTIFICATION_PROPERTY: &str = "bomsmith:vex:justification";

/// The status a CycloneDX analysis state says, and whether the state was recast (a nuance the
/// CISA status has no room for).
pub fn status_of_state(state: &str) -> Option<(Status, bool)> {
    Some(match state {
        "not_affected" => (Status::NotAffected, false),
        "false_positive" => (Status::NotAffected, true),
        "exploitable" => (Status::Affected, false),
        "resolved" => (Status::Fixed, false),
        "resolved_with_pedigree" => (Status::Fixed, true),
        "in_triage" => (Status::UnderInvestigation, false),
        _ => return None,
    })
}

/// The CycloneDX analysis state of a status.
pub fn state_of_status(s: Status) -> &'static str {
    match s {
        Status::NotAffected => "not_affected",
        Status::Affected => "exploitable",
        Status::Fixed => "resolved",
        Status::UnderInvestigation => "in_triage",
    }
}

/// The CISA justification a CycloneDX justification means.
pub fn justification_of(cdx: &str) -> Option<Justification> {
    Some(match cdx {
        "code_not_present" => Justification::VulnerableCodeNotPresent,
        "code_not_reachable"
        | "requires_configuration"
        | "requires_dependency"
        | "requires_environment" => Justification::VulnerableCodeNotInExecutePath,
        "protected_by_compiler"
        | "protected_at_runtime"
        | "protected_at_perimeter"
        | "protected_by_mitigating_control" => Justification::InlineMitigationsAlreadyExist,
        _ => return None,
    })
}

/// The CycloneDX justification for a CISA one, when CycloneDX has one that says the same:
/// `vulnerable_code_cannot_be_controlled_by_adversary` has none, and `component_not_present`
/// only the broader `code_not_present`.
pub fn cdx_justification(j: Justification) -> Option<&'static str> {
    match j {
        Justification::VulnerableCodeNotPresent => Some("code_not_present"),
        Justification::VulnerableCodeNotInExecutePath => Some("code_not_reachable"),
        Justification::InlineMitigationsAlreadyExist => Some("protected_by_mitigating_control"),
        Justification::ComponentNotPresent
        | Justification::VulnerableCodeCannotBeControlledByAdversary => None,
    }
}

/// Whether a JSON value is a CycloneDX BOM that carries vulnerabilities: it has the
/// `vulnerabilities` member (an empty one is a VEX document with no statement yet, as bomsmith
/// writes for a document that states none).
pub fn is_cyclonedx_vex(v: &Value) -> bool {
    v.get("bomFormat").and_then(Value::as_str) == Some("CycloneDX")
        && v.get("vulnerabilities").is_some_and(Value::is_array)
}

/// A component of the BOM, by `bom-ref`: its PURL and CPE, and the top-level component it is
/// nested in (if any).
struct Known {
    id: String,
    name: Option<String>,
    purl: Option<String>,
    cpe: Option<String>,
    hashes: Vec<(String, String)>,
    parent: Option<String>,
}

/// CycloneDX hash algorithm names and OpenVEX's (the model keeps OpenVEX's).
const HASH_NAMES: [(&str, &str); 10] = [
    ("MD5", "md5"),
    ("SHA-1", "sha1"),
    ("SHA-256", "sha-256"),
    ("SHA-384", "sha-384"),
    ("SHA-512", "sha-512"),
    ("SHA3-256", "sha3-256"),
    ("SHA3-384", "sha3-384"),
    ("SHA3-512", "sha3-512"),
    ("BLAKE2b-256", "blake2b-256"),
    ("BLAKE2b-512", "blake2b-512"),
];

fn collect_components(list: &[Value], parent: Option<&str>, out: &mut HashMap<String, Known>) {
    for c in list {
        let Some(r) = c.get("bom-ref").and_then(Value::as_str) else {
            continue;
        };
        out.insert(
            r.to_owned(),
            Known {
                id: c
                    .get("properties")
                    .and_then(Value::as_array)
                    .and_then(|l| {
                        l.iter()
                            .find(|p| p.get("name").and_then(Value::as_str) == Some(ID_PROPERTY))
                    })
                    .and_then(|p| p.get("value"))
                    .and_then(Value::as_str)
                    .unwrap_or(r)
                    .to_owned(),
                name: c
                    .get("name")
                    .and_then(Value::as_str)
                    .filter(|n| *n != r)
                    .map(str::to_owned),
                purl: c.get("purl").and_then(Value::as_str).map(str::to_owned),
                cpe: c.get("cpe").and_then(Value::as_str).map(str::to_owned),
                hashes: {
                    let mut h: Vec<(String, String)> = c
                        .get("hashes")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(|h| {
                            let alg = h.get("alg")?.as_str()?;
                            let (_, name) = HASH_NAMES.iter().find(|(c, _)| *c == alg)?;
                            Some(((*name).to_owned(), h.get("content")?.as_str()?.to_owned()))
                        })
                        .collect();
                    h.sort();
                    h
                },
                parent: parent.map(str::to_owned),
            },
        );
        if let Some(children) = c.get("components").and_then(Value::as_array) {
            collect_components(children, Some(parent.unwrap_or(r)), out);
        }
    }
}

/// The bom-ref a BOM-Link (`urn:cdx:SERIAL/VERSION#REF`) points at, percent-escapes decoded;
/// a plain reference as it is.
fn local_ref(r: &str) -> String {
    match r
        .strip_prefix("urn:cdx:")
        .and_then(|rest| rest.split_once('#'))
    {
        // A broken escape is kept as written: it names no bom-ref, so nothing.
        Some((_, frag)) => {
            crate::ident::purl::percent_decode(frag).unwrap_or_else(|| frag.to_owned())
        }
        None => r.to_owned(),
    }
}

/// Reads the VEX statements of a CycloneDX BOM (already parsed as JSON) from `file`: one
/// statement per vulnerability entry and affected status (an entry whose `affects` versions
/// say `unaffected` beside an `exploitable` analysis makes two statements).
pub fn read(v: &Value, file: &str) -> Result<(VexDocument, ReadReport)> {
    let err = |pointer: String, message: String| Error::Document {
        file: file.to_owned(),
        pointer,
        message,
    };
    let mut report = ReadReport::default();
    let mut known = HashMap::new();
    if let Some(list) = v.get("components").and_then(Value::as_array) {
        collect_components(list, None, &mut known);
    }
    let meta = v.get("metadata");
    let timestamp = meta
        .and_then(|m| m.get("timestamp"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let author = meta.and_then(|m| {
        m.get("authors")
            .and_then(Value::as_array)
            .and_then(|a| a.first())
            .and_then(|a| a.get("name").or_else(|| a.get("email")))
            .and_then(Value::as_str)
            .map(str::to_owned)
            .or_else(|| {
                m.get("manufacturer")
                    .or_else(|| m.get("supplier"))
                    .and_then(|s| s.get("name"))
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            })
    });
    let tooling = meta.and_then(|m| m.get("tools")).and_then(|t| {
        let list = t
            .get("components")
            .and_then(Value::as_array)
            .or_else(|| t.as_array())?;
        let names: Vec<String> = list
            .iter()
            .filter_map(|x| {
                let name = x.get("name")?.as_str()?;
                Some(match x.get("version").and_then(Value::as_str) {
                    Some(ver) => format!("{name}-{ver}"),
                    None => name.to_owned(),
                })
            })
            .collect();
        (!names.is_empty()).then(|| names.join(", "))
    });
    let vulns = match v.get("vulnerabilities") {
        Some(Value::Array(l)) => l.as_slice(),
        Some(other) => {
            return Err(err(
                "/vulnerabilities".into(),
                format!("expected an array, found {}", kind(other)),
            ));
        }
        None => &[],
    };
    let mut statements = Vec::new();
    for (i, vuln) in vulns.iter().enumerate() {
        let at = format!("/vulnerabilities/{i}");
        let Some(vm) = vuln.as_object() else {
            return Err(err(at, format!("expected an object, found {}", kind(vuln))));
        };
        let name = vm
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| err(at.clone(), "a vulnerability needs an `id`".into()))?
            .to_owned();
        for k in vm.keys() {
            if !matches!(
                k.as_str(),
                "bom-ref"
                    | "id"
                    | "source"
                    | "references"
                    | "description"
                    | "detail"
                    | "recommendation"
                    | "workaround"
                    | "analysis"
                    | "affects"
                    | "properties"
                    | "published"
                    | "updated"
            ) {
                report.drop(format!("vulnerabilities[].{k}"));
            }
        }
        let aliases: Vec<String> = vm
            .get("references")
            .and_then(Value::as_array)
            .map(|l| {
                l.iter()
                    .filter_map(|r| r.get("id").and_then(Value::as_str).map(str::to_owned))
                    .filter(|id| *id != name)
                    .collect()
            })
            .unwrap_or_default();
        let analysis = vm.get("analysis").and_then(Value::as_object);
        let state = analysis
            .and_then(|a| a.get("state"))
            .and_then(Value::as_str);
        let (status, recast) = match state {
            Some(s) => status_of_state(s).ok_or_else(|| {
                err(
                    format!("{at}/analysis/state"),
                    format!("unknown analysis state `{s}`"),
                )
            })?,
            None => {
                // A vulnerability with no analysis (a scanner's finding) says nothing settled.
                report.recast(
                    "a vulnerability without an analysis state, read as under_investigation",
                );
                (Status::UnderInvestigation, false)
            }
        };
        if recast && let Some(s) = state {
            report.recast(format!("analysis state `{s}`, read as {}", status.name()));
        }
        let property = vm
            .get("properties")
            .and_then(Value::as_array)
            .and_then(|l| {
                l.iter()
                    .find(|p| p.get("name").and_then(Value::as_str) == Some(JUSTIFICATION_PROPERTY))
            })
            .and_then(|p| p.get("value"))
            .and_then(Value::as_str)
            .and_then(Justification::parse);
        let cdx_just = analysis
            .and_then(|a| a.get("justification"))
            .and_then(Value::as_str);
        let justification = match (property, cdx_just) {
            (Some(j), _) => Some(j),
            (None, Some(c)) => Some(justification_of(c).ok_or_else(|| {
                err(
                    format!("{at}/analysis/justification"),
                    format!("unknown justification `{c}`"),
                )
            })?),
            (None, None) => None,
        };
        if let Some(c) = cdx_just
            && property.is_none()
            && !matches!(
                c,
                "code_not_present" | "code_not_reachable" | "protected_by_mitigating_control"
            )
        {
            report.recast(format!(
                "justification `{c}`, read as {}",
                justification.map_or("", |j| j.name())
            ));
        }
        let detail = analysis
            .and_then(|a| a.get("detail"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        let recommendation = vm
            .get("recommendation")
            .or_else(|| vm.get("workaround"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        if analysis.and_then(|a| a.get("response")).is_some() {
            report.drop("vulnerabilities[].analysis.response");
        }
        let (impact, action, notes) = match status {
            Status::NotAffected => (detail, recommendation, None),
            Status::Affected => match recommendation {
                Some(r) => (None, Some(r), detail),
                None => (None, detail, None),
            },
            _ => (None, recommendation, detail),
        };
        let base = Statement {
            id: vm.get("bom-ref").and_then(Value::as_str).map(str::to_owned),
            vulnerability: Vulnerability {
                name,
                uri: None,
                aliases,
                description: vm
                    .get("description")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            },
            products: Vec::new(),
            status,
            justification,
            impact_statement: impact,
            action_statement: action,
            action_statement_timestamp: None,
            status_notes: notes,
            supplier: None,
            timestamp: analysis
                .and_then(|a| a.get("firstIssued"))
                .and_then(Value::as_str)
                .map(str::to_owned),
            last_updated: analysis
                .and_then(|a| a.get("lastUpdated"))
                .and_then(Value::as_str)
                .map(str::to_owned),
        };
        // Products, split by the status their versions state where it differs.
        let mut by_status: BTreeMap<Status, Vec<Product>> = BTreeMap::new();
        let affects = match vm.get("affects") {
            None | Some(Value::Null) => &[][..],
            Some(Value::Array(l)) => l.as_slice(),
            Some(other) => {
                return Err(err(
                    format!("{at}/affects"),
                    format!("expected an array, found {}", kind(other)),
                ));
            }
        };
        for (j, a) in affects.iter().enumerate() {
            let r = a.get("ref").and_then(Value::as_str).ok_or_else(|| {
                err(
                    format!("{at}/affects/{j}"),
                    "an `affects` entry needs a `ref`".into(),
                )
            })?;
            let local = local_ref(r);
            let product_of = |bom_ref: &str| {
                let k = known.get(bom_ref);
                Product {
                    id: k.map_or_else(|| bom_ref.to_owned(), |k| k.id.clone()),
                    name: k.and_then(|k| k.name.clone()),
                    purl: k.and_then(|k| k.purl.clone()),
                    cpe: k.and_then(|k| k.cpe.clone()),
                    hashes: k.map(|k| k.hashes.clone()).unwrap_or_default(),
                    ..Product::default()
                }
            };
            // A component nested in another is that product's subcomponent.
            let (mut product, sub) = match known.get(&local).and_then(|k| k.parent.clone()) {
                Some(parent) => (product_of(&parent), Some(product_of(&local))),
                None if known.contains_key(&local) => (product_of(&local), None),
                None => (Product::named(r), None),
            };
            product.subcomponents.extend(sub);
            let versions = a.get("versions").and_then(Value::as_array);
            match versions {
                None => by_status.entry(status).or_default().push(product),
                Some(list) => {
                    for (k, ver) in list.iter().enumerate() {
                        let text = ver
                            .get("version")
                            .or_else(|| ver.get("range"))
                            .and_then(Value::as_str)
                            .ok_or_else(|| {
                                err(
                                    format!("{at}/affects/{j}/versions/{k}"),
                                    "a version entry needs a `version` or a `range`".into(),
                                )
                            })?;
                        let own = match ver.get("status").and_then(Value::as_str) {
                            None => status,
                            Some("affected") if status == Status::Affected => status,
                            Some("affected") => Status::Affected,
                            Some("unaffected") if status == Status::Affected => Status::NotAffected,
                            Some("unaffected") => status,
                            Some("unknown") => Status::UnderInvestigation,
                            Some(other) => {
                                return Err(err(
                                    format!("{at}/affects/{j}/versions/{k}/status"),
                                    format!("unknown version status `{other}`"),
                                ));
                            }
                        };
                        let list = by_status.entry(own).or_default();
                        match list.iter_mut().find(|p| {
                            p.id == product.id && p.subcomponents == product.subcomponents
                        }) {
                            Some(p) => p.versions.push(text.to_owned()),
                            None => {
                                let mut p = product.clone();
                                p.versions.push(text.to_owned());
                                list.push(p);
                            }
                        }
                    }
                }
            }
        }
        if by_status.is_empty() {
            statements.push(base);
            continue;
        }
        for (own, products) in by_status {
            let mut s = base.clone();
            if own != status {
                report.recast(format!(
                    "versions stated {} beside the analysis state {}, made a statement of their own",
                    own.name(),
                    state_of_status(status)
                ));
                s.status = own;
                if own != Status::NotAffected {
                    s.justification = None;
                }
            }
            s.products = products;
            statements.push(s);
        }
    }
    Ok((
        VexDocument {
            id: v
                .get("serialNumber")
                .and_then(Value::as_str)
                .map(str::to_owned),
            author,
            role: None,
            timestamp,
            last_updated: None,
            version: v.get("version").map(|x| match x {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            }),
            tooling,
            statements,
        },
        report,
    ))
}

/// How a CycloneDX VEX document names the products: plain `bom-ref`s of components it lists
/// itself, or BOM-Links into the SBOM whose serial number and version are given.
#[derive(Debug, Clone, Default)]
pub struct Target {
    /// The SBOM's serial number (`urn:uuid:...`) and version, for BOM-Links.
    pub sbom: Option<(String, u64)>,
    /// Per product ID, the reference to the SBOM element it names: the `bom-ref` a BOM-Link
    /// points at, or (for an SPDX SBOM, with `sbom` unset) `NAMESPACE#SPDXRef-...`.
    pub refs: HashMap<String, String>,
}

/// The document as a standalone CycloneDX 1.6 VEX BOM, and what it could not carry. `serial`
/// and `timestamp` are the BOM's own (derived from content and `SOURCE_DATE_EPOCH` by the
/// caller when the model has none).
pub fn to_json(
    doc: &VexDocument,
    serial: &str,
    timestamp: &str,
    target: &Target,
) -> (Value, BTreeMap<String, usize>) {
    let mut lost: BTreeMap<String, usize> = BTreeMap::new();
    let mut note = |what: &str| *lost.entry(what.to_owned()).or_default() += 1;
    // Components: every product and subcomponent, once, by its ID (without an SBOM to point
    // into, the VEX lists what it speaks of).
    let mut components: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    // Into an SBOM: each product as the element of the SBOM it names (a BOM-Link, or an SPDX
    // element reference); without one, the components this VEX lists itself.
    let into_sbom = target.sbom.is_some() || !target.refs.is_empty();
    let reference = |id: &str, own: &str| match (&target.sbom, target.refs.get(id)) {
        (Some((serial, version)), r) => format!(
            "urn:cdx:{}/{version}#{}",
            serial.strip_prefix("urn:uuid:").unwrap_or(serial),
            r.map_or(id, String::as_str)
                .replace('%', "%25")
                .replace('#', "%23")
        ),
        (None, Some(r)) => r.clone(),
        (None, None) if into_sbom => id.to_owned(),
        (None, None) => own.to_owned(),
    };
    let mut vulns = Vec::new();
    let mut refs = Refs::default();
    let mut seen = std::collections::HashSet::new();
    for s in &doc.statements {
        let mut v = Map::new();
        if let Some(id) = &s.id {
            v.insert("bom-ref".into(), json!(id));
        }
        v.insert("id".into(), json!(s.vulnerability.name));
        if s.vulnerability.uri.is_some() {
            note("vulnerability URIs (@id)");
        }
        if !s.vulnerability.aliases.is_empty() {
            v.insert(
                "references".into(),
                Value::Array(
                    s.vulnerability
                        .aliases
                        .iter()
                        .map(|a| json!({"id": a, "source": {"name": source_of(a)}}))
                        .collect(),
                ),
            );
        }
        if let Some(d) = &s.vulnerability.description {
            v.insert("description".into(), json!(d));
        }
        if s.status == Status::Affected
            && let Some(a) = &s.action_statement
        {
            v.insert("recommendation".into(), json!(a));
        }
        let mut analysis = Map::new();
        analysis.insert("state".into(), json!(state_of_status(s.status)));
        if let Some(j) = s.justification {
            match cdx_justification(j) {
                Some(c) => {
                    analysis.insert("justification".into(), json!(c));
                }
                None => note(&format!(
                    "justification {} (no CycloneDX equivalent; kept in property {JUSTIFICATION_PROPERTY})",
                    j.name()
                )),
            }
        }
        let detail = match s.status {
            Status::NotAffected => {
                if s.status_notes.is_some() {
                    note("status notes of not_affected statements");
                }
                s.impact_statement.clone()
            }
            Status::Affected => s.status_notes.clone(),
            _ => {
                if s.impact_statement.is_some() {
                    note("impact statements of statements not not_affected");
                }
                s.status_notes.clone()
            }
        };
        if let Some(d) = detail {
            analysis.insert("detail".into(), json!(d));
        }
        if s.status != Status::Affected && s.action_statement.is_some() {
            v.insert("recommendation".into(), json!(s.action_statement));
        }
        if s.action_statement_timestamp.is_some() {
            note("action statement timestamps");
        }
        if s.supplier.is_some() {
            note("statement suppliers");
        }
        if let Some(t) = &s.timestamp {
            analysis.insert("firstIssued".into(), json!(t));
        }
        if let Some(t) = &s.last_updated {
            analysis.insert("lastUpdated".into(), json!(t));
        }
        v.insert("analysis".into(), Value::Object(analysis));
        let mut affects = Vec::new();
        for p in &s.products {
            let targets: Vec<&Product> = if p.subcomponents.is_empty() {
                vec![p]
            } else {
                p.subcomponents.iter().collect()
            };
            // bom-refs are unique in a BOM: a subcomponent named within several products is a
            // component in each, with its own bom-ref.
            let top_ref = refs.assign(None, &p.id);
            if !components.contains_key(&top_ref) {
                components.insert(top_ref.clone(), component(p, &top_ref));
            }
            let mut sub_refs = Vec::new();
            for sub in &p.subcomponents {
                let sub_ref = refs.assign(Some(&p.id), &sub.id);
                sub_refs.push(sub_ref.clone());
                if let Some(top) = components.get_mut(&top_ref) {
                    let children = top
                        .entry("components")
                        .or_insert_with(|| Value::Array(Vec::new()));
                    if let Value::Array(list) = children
                        && !list.iter().any(|c| c["bom-ref"] == json!(sub_ref))
                    {
                        list.push(Value::Object(component(sub, &sub_ref)));
                    }
                }
            }
            if !p.subcomponents.is_empty() && !p.versions.is_empty() {
                note("versions of a product whose statement names subcomponents");
            }
            let target_refs: Vec<String> = if p.subcomponents.is_empty() {
                vec![top_ref.clone()]
            } else {
                sub_refs
            };
            for (t, bom_ref) in targets.into_iter().zip(target_refs) {
                let mut a = Map::new();
                if into_sbom && !target.refs.contains_key(&t.id) {
                    note("products the SBOM has no component for (named by their own ID)");
                }
                a.insert("ref".into(), json!(reference(&t.id, &bom_ref)));
                if !t.versions.is_empty() {
                    let status = match s.status {
                        Status::NotAffected | Status::Fixed => "unaffected",
                        Status::Affected => "affected",
                        Status::UnderInvestigation => "unknown",
                    };
                    a.insert(
                        "versions".into(),
                        Value::Array(
                            t.versions
                                .iter()
                                .map(|x| {
                                    if x.starts_with("vers:") {
                                        json!({"range": x, "status": status})
                                    } else {
                                        json!({"version": x, "status": status})
                                    }
                                })
                                .collect(),
                        ),
                    );
                }
                let a = Value::Object(a);
                if !affects.contains(&a) {
                    affects.push(a);
                }
            }
        }
        v.insert("affects".into(), Value::Array(affects));
        if let Some(j) = s.justification {
            v.insert(
                "properties".into(),
                json!([{"name": JUSTIFICATION_PROPERTY, "value": j.name()}]),
            );
        }
        let v = Value::Object(v);
        if seen.insert(crate::json::to_compact_string(&v)) {
            vulns.push(v);
        } else {
            note("statements that repeat another word for word (written once)");
        }
    }
    let mut bom = Map::new();
    bom.insert("bomFormat".into(), json!("CycloneDX"));
    bom.insert("specVersion".into(), json!("1.6"));
    bom.insert("serialNumber".into(), json!(serial));
    let version = doc
        .version
        .as_deref()
        .and_then(|v| v.parse::<u64>().ok())
        .filter(|v| *v >= 1)
        .unwrap_or(1);
    bom.insert("version".into(), json!(version));
    let mut meta = Map::new();
    meta.insert(
        "timestamp".into(),
        json!(doc.timestamp.as_deref().unwrap_or(timestamp)),
    );
    if let Some(a) = &doc.author {
        meta.insert("authors".into(), json!([{"name": a}]));
    }
    if doc.role.is_some() {
        note("the author's role");
    }
    if doc.last_updated.is_some() {
        note("the document's last_updated time");
    }
    if let Some(t) = &doc.tooling {
        // `name-version` entries, comma-separated, as the model joins them.
        let tools: Vec<Value> = t
            .split(", ")
            .map(|one| match one.rsplit_once('-') {
                Some((name, version)) if version.starts_with(|c: char| c.is_ascii_digit()) => {
                    json!({"type": "application", "name": name, "version": version})
                }
                _ => json!({"type": "application", "name": one}),
            })
            .collect();
        meta.insert("tools".into(), json!({ "components": tools }));
    }
    bom.insert("metadata".into(), Value::Object(meta));
    if !into_sbom && !components.is_empty() {
        bom.insert(
            "components".into(),
            Value::Array(components.into_values().map(Value::Object).collect()),
        );
    }
    bom.insert("vulnerabilities".into(), Value::Array(vulns));
    (Value::Object(bom), lost)
}

/// The property holding a product's ID where its component's `bom-ref` cannot be the ID (it is
/// taken by the same ID within another product).
pub const ID_PROPERTY: &str = "bomsmith:vex:product-id";

/// bom-refs handed out: per (parent product, product ID) one, unique in the BOM.
#[derive(Default)]
struct Refs {
    by_key: HashMap<(Option<String>, String), String>,
    used: std::collections::HashSet<String>,
}

impl Refs {
    fn assign(&mut self, parent: Option<&str>, id: &str) -> String {
        let key = (parent.map(str::to_owned), id.to_owned());
        if let Some(r) = self.by_key.get(&key) {
            return r.clone();
        }
        let mut candidate = id.to_owned();
        let mut n = 1;
        while self.used.contains(&candidate) {
            n += 1;
            candidate = format!("{id}#{n}");
        }
        self.used.insert(candidate.clone());
        self.by_key.insert(key, candidate.clone());
        candidate
    }
}

fn component(p: &Product, bom_ref: &str) -> Map<String, Value> {
    let mut c = Map::new();
    c.insert("type".into(), json!("library"));
    c.insert("bom-ref".into(), json!(bom_ref));
    if bom_ref != p.id {
        c.insert(
            "properties".into(),
            json!([{"name": ID_PROPERTY, "value": p.id}]),
        );
    }
    c.insert("name".into(), json!(p.name.as_deref().unwrap_or(&p.id)));
    if let Some(cpe) = &p.cpe {
        c.insert("cpe".into(), json!(cpe));
    }
    let purl = p.purl.clone().or_else(|| {
        p.id.starts_with("pkg:")
            .then(|| p.id.clone())
            .filter(|x| crate::ident::parse_purl(x).is_ok())
    });
    if let Some(purl) = purl {
        c.insert("purl".into(), json!(purl));
    }
    if !p.hashes.is_empty() {
        let hashes: Vec<Value> = p
            .hashes
            .iter()
            .filter_map(|(alg, h)| {
                let (cdx, _) = HASH_NAMES.iter().find(|(_, o)| o == alg)?;
                Some(json!({"alg": cdx, "content": h}))
            })
            .collect();
        if !hashes.is_empty() {
            c.insert("hashes".into(), Value::Array(hashes));
        }
    }
    c
}

/// The source a vulnerability ID comes from, by its prefix (`GHSA-` GitHub, `CVE-` NVD).
fn source_of(id: &str) -> &'static str {
    let prefix = id.split('-').next().unwrap_or("");
    match prefix {
        "CVE" => "NVD",
        "GHSA" => "GitHub",
        "PYSEC" => "PyPA",
        "PSF" => "PSF",
        "OSV" => "OSV",
        "GO" => "Go",
        "RUSTSEC" => "RustSec",
        _ => "other",
    }
}
