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

/// A statement's product identifier, read once.
enum Query {
    Purl(Purl),
    Cpe(CpeName),
    /// A BOM-Link's serial number (`urn:uuid:...`) and reference.
    BomLink(String, String),
    /// An SPDX document namespace and element ID.
    SpdxRef(String, String),
    Plain(String),
    /// A PURL or CPE that does not parse: names nothing.
    Nothing,
}

fn query(id: &str) -> Query {
    if id.starts_with("pkg:") {
        return parse_purl(id).map_or(Query::Nothing, Query::Purl);
    }
    if id.starts_with("cpe:2.3:") {
        return CpeName::parse(id).map_or(Query::Nothing, Query::Cpe);
    }
    if let Some(rest) = id.strip_prefix("urn:cdx:") {
        return match rest.split_once('#') {
            Some((serial_version, reference)) => Query::BomLink(
                format!(
                    "urn:uuid:{}",
                    serial_version.split('/').next().unwrap_or("")
                ),
                reference.to_owned(),
            ),
            None => Query::Nothing,
        };
    }
    if let Some((ns, element)) = id.rsplit_once('#')
        && element.starts_with("SPDXRef-")
    {
        return Query::SpdxRef(ns.to_owned(), element.to_owned());
    }
    Query::Plain(id.to_owned())
}

/// Whether a PURL of the statement names a component's PURL: same type, namespace and name; its
/// version, if it has one, equal; each of its qualifiers present with the same value.
fn purl_names(v: &Purl, p: &Purl) -> bool {
    p.ty() == v.ty()
        && p.namespace() == v.namespace()
        && p.name() == v.name()
        && v.version().is_none_or(|ver| p.version() == Some(ver))
        && v.qualifiers()
            .iter()
            .all(|(k, val)| p.qualifier(k) == Some(val.as_str()))
}

/// Whether the query names the component. `namespace` is the SBOM's document namespace, and
/// for a CycloneDX BOM also its serial number (`urn:uuid:...`), after a `|`.
fn names(q: &Query, c: &Names<'_>, namespace: &str) -> bool {
    match q {
        Query::Purl(v) => c.purls.iter().any(|p| purl_names(v, p)),
        Query::Cpe(v) => c
            .cpes
            .iter()
            .any(|p| matches!(v.compare(p), Relation::Superset | Relation::Equal)),
        Query::BomLink(serial, reference) => {
            namespace.split('|').any(|n| n.eq_ignore_ascii_case(serial))
                && c.refs.contains(&reference.as_str())
        }
        Query::SpdxRef(ns, element) => {
            namespace.split('|').any(|n| n == ns) && c.refs.contains(&element.as_str())
        }
        Query::Plain(id) => c.refs.contains(&id.as_str()),
        Query::Nothing => false,
    }
}

/// Which packages of the SBOM each product identifier names, worked out once per identifier
/// (the hub's 15,000 statements name a few thousand products).
struct Resolver<'a> {
    names: Vec<Names<'a>>,
    namespace: &'a str,
    /// Packages by PURL type, namespace and name, so that a PURL is compared with few.
    by_purl: HashMap<(String, Option<String>, String), Vec<usize>>,
    memo: HashMap<String, Vec<usize>>,
}

impl<'a> Resolver<'a> {
    fn new(names: Vec<Names<'a>>, namespace: &'a str) -> Self {
        let mut by_purl: HashMap<(String, Option<String>, String), Vec<usize>> = HashMap::new();
        for (i, n) in names.iter().enumerate() {
            for p in &n.purls {
                let list = by_purl
                    .entry((
                        p.ty().to_owned(),
                        p.namespace().map(str::to_owned),
                        p.name().to_owned(),
                    ))
                    .or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
        Resolver {
            names,
            namespace,
            by_purl,
            memo: HashMap::new(),
        }
    }

    /// The packages (indices) `id` names.
    fn packages(&mut self, id: &str) -> &[usize] {
        if !self.memo.contains_key(id) {
            let q = query(id);
            let hits: Vec<usize> = match &q {
                Query::Purl(v) => self
                    .by_purl
                    .get(&(
                        v.ty().to_owned(),
                        v.namespace().map(str::to_owned),
                        v.name().to_owned(),
                    ))
                    .into_iter()
                    .flatten()
                    .copied()
                    .filter(|&i| names(&q, &self.names[i], self.namespace))
                    .collect(),
                _ => self
                    .names
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| names(&q, n, self.namespace))
                    .map(|(i, _)| i)
                    .collect(),
            };
            self.memo.insert(id.to_owned(), hits);
        }
        self.memo.get(id).map_or(&[], Vec::as_slice)
    }

    /// Whether product `p` (any of its identifiers) names package `i`.
    fn names_package(&mut self, p: &Product, i: usize) -> bool {
        p.identifiers()
            .collect::<Vec<_>>()
            .into_iter()
            .any(|id| self.packages(id).contains(&i))
    }

    /// Whether product `p` names any package of the SBOM.
    fn in_sbom(&mut self, p: &Product) -> bool {
        p.identifiers()
            .collect::<Vec<_>>()
            .into_iter()
            .any(|id| !self.packages(id).is_empty())
    }
}

/// The first component of `doc` the product identifier `id` names.
pub fn first_named<'d>(
    doc: &'d Document,
    renamed: &BTreeMap<String, String>,
    id: &str,
) -> Option<&'d Package> {
    let q = query(id);
    doc.packages.iter().find(|p| {
        let shown = renamed.get(&p.id).map_or(p.id.as_str(), String::as_str);
        names(&q, &names_of(p, shown), &doc.namespace)
    })
}

/// Whether the product identifier `id` names some component of `doc` (`vex add --sbom`).
pub fn names_any(doc: &Document, renamed: &BTreeMap<String, String>, id: &str) -> bool {
    first_named(doc, renamed, id).is_some()
}

/// Applies `statements` to the findings of `outcome` (the matching of `doc`; `renamed` maps
/// element IDs to the references the SBOM's file gives them, as the matcher's components show).
pub fn apply(
    doc: &Document,
    renamed: &BTreeMap<String, String>,
    serial: Option<&str>,
    outcome: &mut Outcome,
    statements: &[Merged],
) -> Applied {
    // BOM-Links name a CycloneDX BOM by its serial number, which the model keeps as the
    // namespace only when the BOM carries no SPDX namespace of its own.
    let namespace = match serial {
        Some(s) => format!("{}|{s}", doc.namespace),
        None => doc.namespace.clone(),
    };
    let mut by_vuln: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, m) in statements.iter().enumerate() {
        for n in m.statement.vulnerability.names() {
            by_vuln.entry(n).or_default().push(i);
        }
    }
    fn shown<'p>(renamed: &'p BTreeMap<String, String>, p: &'p Package) -> &'p str {
        renamed.get(&p.id).map_or(p.id.as_str(), String::as_str)
    }
    let index: HashMap<&str, usize> = doc
        .packages
        .iter()
        .enumerate()
        .map(|(i, p)| (shown(renamed, p), i))
        .collect();
    let mut resolver = Resolver::new(
        doc.packages
            .iter()
            .map(|p| names_of(p, shown(renamed, p)))
            .collect(),
        &namespace,
    );
    let mut used = vec![false; statements.len()];
    let mut applied = Applied::default();
    for f in &mut outcome.findings {
        let Some(&pkg) = index.get(f.component.id.as_str()) else {
            continue;
        };
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
                    resolver.names_package(p, pkg).then(|| p.id.clone())
                } else {
                    match p
                        .subcomponents
                        .iter()
                        .find(|s| resolver.names_package(s, pkg))
                    {
                        Some(s) if resolver.in_sbom(p) => Some(format!("{} / {}", p.id, s.id)),
                        _ => None,
                    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ExternalRef;
    use crate::model::vex::{Statement, Status, Vulnerability};
    use crate::vuln::matcher::{ComponentRef, Finding, Level, SeverityOf};

    fn package(id: &str, refs: &[(RefKind, &str)]) -> Package {
        Package {
            id: id.into(),
            name: id.into(),
            version: Some("1".into()),
            external_refs: refs
                .iter()
                .map(|(kind, l)| ExternalRef {
                    kind: kind.clone(),
                    locator: (*l).to_owned(),
                    comment: None,
                })
                .collect(),
            ..Package::default()
        }
    }

    fn finding(component: &str, ids: &[&str]) -> Finding {
        Finding {
            component: ComponentRef {
                id: component.into(),
                name: component.into(),
                version: Some("1".into()),
            },
            identifier: String::new(),
            version: "1".into(),
            ids: ids.iter().map(|s| (*s).to_owned()).collect(),
            records: Vec::new(),
            summary: None,
            severity: SeverityOf {
                level: Level::High,
                score: None,
                source: None,
                how: None,
            },
            fixed: Vec::new(),
            vex: None,
        }
    }

    fn statement(vuln: &str, product: Product) -> Merged {
        Merged {
            statement: Statement {
                vulnerability: Vulnerability {
                    name: vuln.into(),
                    ..Vulnerability::default()
                },
                products: vec![product],
                status: Status::NotAffected,
                ..Statement::default()
            },
            source: "v.json".into(),
        }
    }

    /// Which findings (component, ID) a statement with `product` marks.
    fn marked(product: Product) -> Vec<String> {
        let doc = Document {
            namespace: "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79".into(),
            packages: vec![
                package(
                    "app",
                    &[(
                        RefKind::Cpe23,
                        "cpe:2.3:a:python:python:3.13.5:*:*:*:*:*:*:*",
                    )],
                ),
                package(
                    "expat",
                    &[(
                        RefKind::Cpe23,
                        "cpe:2.3:a:libexpat_project:libexpat:2.6.3:*:*:*:*:*:*:*",
                    )],
                ),
                package(
                    "net",
                    &[(
                        RefKind::Purl,
                        "pkg:golang/golang.org/x/net@v0.23.0?goos=linux",
                    )],
                ),
            ],
            ..Document::default()
        };
        let mut outcome = Outcome {
            findings: vec![
                finding("expat", &["CVE-1"]),
                finding("net", &["GO-1", "CVE-1"]),
            ],
            ..Outcome::default()
        };
        apply(
            &doc,
            &BTreeMap::new(),
            None,
            &mut outcome,
            &[statement("CVE-1", product)],
        );
        outcome
            .findings
            .iter()
            .filter(|f| f.vex.is_some())
            .map(|f| f.component.id.clone())
            .collect()
    }

    #[test]
    fn products_name_components_by_purl_cpe_bom_link_or_reference() {
        let p = Product::named;
        // A PURL without a version names every version; qualifiers must agree.
        assert_eq!(marked(p("pkg:golang/golang.org/x/net")), ["net"]);
        assert_eq!(
            marked(p("pkg:golang/golang.org/x/net@v0.23.0?goos=linux")),
            ["net"]
        );
        assert!(marked(p("pkg:golang/golang.org/x/net@v0.24.0")).is_empty());
        assert!(marked(p("pkg:golang/golang.org/x/net?goos=darwin")).is_empty());
        // A CPE with ANY version is a superset of expat 2.6.3's; another version is not.
        assert_eq!(
            marked(p("cpe:2.3:a:libexpat_project:libexpat:*:*:*:*:*:*:*:*")),
            ["expat"]
        );
        assert!(marked(p("cpe:2.3:a:libexpat_project:libexpat:2.7.1:*:*:*:*:*:*:*")).is_empty());
        // A BOM-Link into this SBOM, and not into another; a plain reference.
        assert_eq!(
            marked(p("urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#expat")),
            ["expat"]
        );
        assert!(marked(p("urn:cdx:00000000-395b-41f5-a30f-a58921a69b79/1#expat")).is_empty());
        assert_eq!(marked(p("expat")), ["expat"]);
        // A subcomponent counts within a product of this SBOM only.
        let mut app = p("cpe:2.3:a:python:python:3.13.5:*:*:*:*:*:*:*");
        app.subcomponents = vec![p("cpe:2.3:a:libexpat_project:libexpat:2.6.3:*:*:*:*:*:*:*")];
        assert_eq!(marked(app.clone()), ["expat"]);
        app.id = "pkg:oci/another-image".into();
        assert!(marked(app).is_empty());
    }
}
