//! VEX statements applied to the findings of one SBOM: a statement speaks for a finding when
//! it names one of the finding's vulnerability IDs (or aliases) and a product that is the
//! finding's component, or a product of the SBOM narrowed to a subcomponent that is it.
//!
//! A product names a component by:
//! - a PURL: same type, namespace and name; a version, where the statement's PURL has one,
//!   equal; each of its qualifiers present with the same value;
//! - a CPE 2.3: the statement's CPE is a superset of the component's or equal (NISTIR 7696);
//! - a BOM-Link (`urn:cdx:SERIAL/VERSION#REF`) into this SBOM (its serial number), or an SPDX
//!   element reference `NAMESPACE#SPDXRef-...` of this document;
//! - the component's own reference (`bom-ref`, SPDX ID), written plainly.
//!
//! Among statements that speak for one finding, the newest wins (merging kept one per
//! vulnerability and product already).

use super::Merged;
use crate::ident::cpe::{CpeName, Relation};
use crate::ident::parse_purl;
use crate::ident::purl::Purl;
use crate::model::vex::{Product, VexMark};
use crate::model::{Document, Package, RefKind};
use crate::vuln::matcher::Outcome;
use std::collections::{BTreeMap, HashMap};

/// What applying did, for the report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// Findings a statement speaks for.
    pub marked: usize,
    /// Of those, the ones it settles (`not_affected`, `fixed`).
    pub settled: usize,
    /// Statements (one per vulnerability and product) that spoke for no finding of this SBOM.
    pub unused: usize,
}

/// The identifiers of one component.
struct Names<'a> {
    refs: Vec<&'a str>,
    purls: Vec<Purl>,
    cpes: Vec<CpeName>,
}

fn names_of<'a>(p: &'a Package, shown: &'a str) -> Names<'a> {
    let mut refs = vec![p.id.as_str()];
    if shown != p.id {
        refs.push(shown);
    }
    Names {
        refs,
        purls: p
            .external_refs
            .iter()
            .filter(|r| r.kind == RefKind::Purl)
            .filter_map(|r| parse_purl(&r.locator).ok())
            .collect(),
        cpes: p
            .external_refs
            .iter()
            .filter(|r| r.kind == RefKind::Cpe23)
            .filter_map(|r| CpeName::parse(&r.locator).ok())
            .collect(),
    }
}

/// Whether the statement's identifier `id` names the component.
fn names(id: &str, c: &Names<'_>, namespace: &str) -> bool {
    if id.starts_with("pkg:") {
        let Ok(v) = parse_purl(id) else {
            return false;
        };
        return c.purls.iter().any(|p| {
            p.ty() == v.ty()
                && p.namespace() == v.namespace()
                && p.name() == v.name()
                && v.version().is_none_or(|ver| p.version() == Some(ver))
                && v.qualifiers()
                    .iter()
                    .all(|(k, val)| p.qualifier(k) == Some(val.as_str()))
        });
    }
    if id.starts_with("cpe:2.3:") {
        let Ok(v) = CpeName::parse(id) else {
            return false;
        };
        return c
            .cpes
            .iter()
            .any(|p| matches!(v.compare(p), Relation::Superset | Relation::Equal));
    }
    if let Some(rest) = id.strip_prefix("urn:cdx:") {
        let Some((serial_version, reference)) = rest.split_once('#') else {
            return false;
        };
        let serial = serial_version.split('/').next().unwrap_or("");
        return namespace.eq_ignore_ascii_case(&format!("urn:uuid:{serial}"))
            && c.refs.contains(&reference);
    }
    if let Some((ns, element)) = id.rsplit_once('#')
        && element.starts_with("SPDXRef-")
    {
        return ns == namespace && c.refs.contains(&element);
    }
    c.refs.contains(&id)
}

fn product_names(p: &Product, c: &Names<'_>, namespace: &str) -> bool {
    p.identifiers().any(|id| names(id, c, namespace))
}

/// Applies `statements` to the findings of `outcome` (the matching of `doc`; `renamed` maps
/// element IDs to the references the SBOM's file gives them, as the matcher's components show).
pub fn apply(
    doc: &Document,
    renamed: &BTreeMap<String, String>,
    outcome: &mut Outcome,
    statements: &[Merged],
) -> Applied {
    let mut by_vuln: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, m) in statements.iter().enumerate() {
        for n in m.statement.vulnerability.names() {
            by_vuln.entry(n).or_default().push(i);
        }
    }
    let shown = |p: &Package| renamed.get(&p.id).cloned().unwrap_or_else(|| p.id.clone());
    let packages: HashMap<String, &Package> = doc.packages.iter().map(|p| (shown(p), p)).collect();
    let all_names: Vec<Names<'_>> = doc
        .packages
        .iter()
        .map(|p| names_of(p, renamed.get(&p.id).map_or(p.id.as_str(), String::as_str)))
        .collect();
    let in_sbom = |p: &Product| {
        all_names
            .iter()
            .any(|n| product_names(p, n, &doc.namespace))
    };
    let mut used = vec![false; statements.len()];
    let mut applied = Applied::default();
    for f in &mut outcome.findings {
        let Some(pkg) = packages.get(&f.component.id) else {
            continue;
        };
        let s = renamed.get(&pkg.id).map_or(pkg.id.as_str(), String::as_str);
        let names = names_of(pkg, s);
        let mut candidates: Vec<usize> = f
            .ids
            .iter()
            .flat_map(|id| by_vuln.get(id.as_str()).into_iter().flatten().copied())
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let mut best: Option<(usize, String)> = None;
        for i in candidates {
            let st = &statements[i].statement;
            for p in &st.products {
                let hit = if p.subcomponents.is_empty() {
                    product_names(p, &names, &doc.namespace).then(|| p.id.clone())
                } else {
                    p.subcomponents
                        .iter()
                        .find(|s| product_names(s, &names, &doc.namespace))
                        .filter(|_| in_sbom(p))
                        .map(|s| format!("{} / {}", p.id, s.id))
                };
                if let Some(product) = hit {
                    used[i] = true;
                    let newer = match &best {
                        None => true,
                        Some((b, _)) => time(&statements[i]) >= time(&statements[*b]),
                    };
                    if newer {
                        best = Some((i, product));
                    }
                }
            }
        }
        if let Some((i, product)) = best {
            let m = &statements[i];
            let mark = VexMark {
                status: m.statement.status,
                justification: m.statement.justification,
                impact_statement: m.statement.impact_statement.clone(),
                action_statement: m.statement.action_statement.clone(),
                vulnerability: m.statement.vulnerability.name.clone(),
                product,
                source: m.source.clone(),
            };
            applied.marked += 1;
            if mark.settles() {
                applied.settled += 1;
            }
            f.vex = Some(mark);
        }
    }
    applied.unused = used.iter().filter(|u| !**u).count();
    applied
}

fn time(m: &Merged) -> (i64, u32) {
    super::time_key(
        m.statement
            .last_updated
            .as_deref()
            .or(m.statement.timestamp.as_deref()),
    )
}
