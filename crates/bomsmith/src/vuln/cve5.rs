//! CVE JSON 5 records (the CVE List's format, as CNAs publish them and as CISA's Vulnrichment
//! enriches them): read into [`Advisory`], and their `affected[]` statements evaluated for one
//! component.
//!
//! A record has one CNA container and any number of ADP containers; each says, per product,
//! which versions have which status. A product is linked to a component only through an
//! identifier the component declares: a CPE (the container's own `cpes`, or the vendor and
//! product through the documented table [`CPE_OF_PRODUCT`]), a package in a registry the
//! table [`ECOSYSTEM_OF_COLLECTION`] names, or a source repository. Names are never compared
//! loosely: a "zlib" of another vendor is another product.
//!
//! The CNA speaks for the record: an ADP's statement about a product is used only when the CNA
//! says nothing about it (records filed with vendor and product `n/a`, which CISA's ADP
//! enriches with a CPE and a range).

use super::git::{GitRepos, normalize_repo};
use super::index::{cpe_key, package_key};
use super::osv::{Malformed, Parsed, one_line, pointer_of};
use super::range::{Rule, Verdict};
use crate::ident::cpe::CpeName;
use crate::ident::version::{self, Scheme, Version};
use crate::model::vuln::{
    Advisory, Event, ProductStatus, Range, RangeKind, Reference, Severity, StatusChange,
    VersionStatus,
};
use serde::Deserialize;
use std::cmp::Ordering;

/// CVE 5 vendor and product names linked to the CPE vendor and product NVD uses for the same
/// software: (vendor, product, CPE vendor, CPE product, where the link is seen). Compared
/// exactly, ignoring ASCII case and surrounding spaces. Extended only with a source per row;
/// listed in `docs/vulns.md`.
pub const CPE_OF_PRODUCT: &[(&str, &str, &str, &str, &str)] = &[
    (
        "Python Software Foundation",
        "CPython",
        "python",
        "python",
        "the PSF's CNA records (CVE-2024-6232) against NVD's python:python",
    ),
    (
        "libexpat",
        "libexpat",
        "libexpat_project",
        "libexpat",
        "libexpat's project name; NVD's libexpat_project:libexpat (CVE-2024-45490)",
    ),
    (
        "libexpat_project",
        "libexpat",
        "libexpat_project",
        "libexpat",
        "CISA's ADP entries for expat (CVE-2023-52425)",
    ),
    (
        "libexpat project",
        "libexpat",
        "libexpat_project",
        "libexpat",
        "MITRE's CNA record CVE-2025-59375, whose cpeApplicability names libexpat_project:libexpat",
    ),
    (
        "OpenSSL",
        "OpenSSL",
        "openssl",
        "openssl",
        "the OpenSSL CNA's records (CVE-2024-5535) against NVD's openssl:openssl",
    ),
    (
        "SQLite",
        "SQLite",
        "sqlite",
        "sqlite",
        "Google's CNA record CVE-2025-6965 against NVD's sqlite:sqlite",
    ),
    (
        "tukaani-project",
        "xz",
        "tukaani",
        "xz",
        "CVE-2024-47611 (CNA tukaani-project/xz, ADP cpe tukaani:xz)",
    ),
];

/// Package registries a CVE 5 `collectionURL` names, and the OSV ecosystem whose names and
/// version ordering their packages use.
pub const ECOSYSTEM_OF_COLLECTION: &[(&str, &str)] = &[
    ("pypi.org", "PyPI"),
    ("pypi.python.org", "PyPI"),
    ("registry.npmjs.org", "npm"),
    ("www.npmjs.com", "npm"),
    ("crates.io", "crates.io"),
    ("rubygems.org", "RubyGems"),
    ("pkg.go.dev", "Go"),
    ("proxy.golang.org", "Go"),
    ("packagist.org", "Packagist"),
    ("www.nuget.org", "NuGet"),
    ("repo.maven.apache.org/maven2", "Maven"),
    ("hex.pm", "Hex"),
];

/// Hosts whose `collectionURL` is a source repository (`https://github.com/owner/repo`).
const REPOSITORY_HOSTS: &[&str] = &["github.com", "gitlab.com", "codeberg.org", "bitbucket.org"];

/// Whether a JSON text may be a CVE 5 record: it has the record's metadata member. Confirmed
/// by [`parse`], which says "not a record" otherwise.
pub fn looks_like_cve5(text: &str) -> bool {
    text.contains("\"cveMetadata\"")
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawRecord {
    cve_metadata: Metadata,
    containers: Containers,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Metadata {
    cve_id: String,
    state: String,
    #[serde(default)]
    date_published: Option<String>,
    #[serde(default)]
    date_updated: Option<String>,
    #[serde(default)]
    date_rejected: Option<String>,
}

#[derive(Deserialize)]
struct Containers {
    cna: Container,
    #[serde(default)]
    adp: Vec<Container>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Container {
    #[serde(default)]
    provider_metadata: Option<ProviderMetadata>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    descriptions: Vec<Description>,
    #[serde(default)]
    affected: Vec<RawAffected>,
    #[serde(default)]
    metrics: Vec<RawMetric>,
    #[serde(default)]
    references: Vec<RawReference>,
    /// CPE configurations in NVD's shape (CVE 5.1.1).
    #[serde(default)]
    cpe_applicability: Vec<super::nvd::RawConfig>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ProviderMetadata {
    #[serde(default)]
    short_name: Option<String>,
}

#[derive(Deserialize)]
struct Description {
    lang: String,
    value: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawAffected {
    #[serde(default)]
    vendor: Option<String>,
    #[serde(default)]
    product: Option<String>,
    #[serde(default)]
    package_name: Option<String>,
    #[serde(default, rename = "collectionURL")]
    collection_url: Option<String>,
    #[serde(default)]
    repo: Option<String>,
    #[serde(default)]
    cpes: Vec<String>,
    #[serde(default)]
    default_status: Option<String>,
    #[serde(default)]
    versions: Vec<RawVersion>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawVersion {
    status: String,
    version: String,
    #[serde(default)]
    less_than: Option<String>,
    #[serde(default)]
    less_than_or_equal: Option<String>,
    #[serde(default)]
    version_type: Option<String>,
    #[serde(default)]
    changes: Vec<RawChange>,
}

#[derive(Deserialize)]
struct RawChange {
    at: String,
    status: String,
}

#[derive(Deserialize)]
struct RawMetric {
    #[serde(default, rename = "cvssV4_0")]
    v40: Option<RawCvss>,
    #[serde(default, rename = "cvssV3_1")]
    v31: Option<RawCvss>,
    #[serde(default, rename = "cvssV3_0")]
    v30: Option<RawCvss>,
    #[serde(default, rename = "cvssV2_0")]
    v20: Option<RawCvss>,
    #[serde(default)]
    other: Option<RawOther>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawCvss {
    vector_string: String,
    #[serde(default)]
    base_score: Option<f64>,
}

#[derive(Deserialize)]
struct RawOther {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    content: serde_json::Value,
}

#[derive(Deserialize)]
struct RawReference {
    url: String,
    #[serde(default)]
    tags: Vec<String>,
}

/// Parses a CVE JSON 5 record. A JSON text without `cveMetadata` at its top is not a record;
/// one with it that does not have the format's shape is malformed, located by JSON pointer.
pub fn parse(text: &str) -> Result<Parsed, Malformed> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| Malformed {
        pointer: String::new(),
        message: format!("not valid JSON: {e}"),
    })?;
    if value.get("cveMetadata").is_none() {
        return Ok(Parsed::NotARecord("a JSON object that is no CVE 5 record"));
    }
    let raw: RawRecord = serde_path_to_error::deserialize(&value).map_err(|e| Malformed {
        pointer: pointer_of(e.path()),
        message: one_line(&e.inner().to_string()),
    })?;
    Ok(Parsed::Record(Box::new(convert(raw))))
}

fn convert(raw: RawRecord) -> Advisory {
    let m = raw.cve_metadata;
    let modified = super::nvd::utc(m.date_updated.or(m.date_published.clone()));
    let rejected = m.state.eq_ignore_ascii_case("REJECTED");
    let containers: Vec<(String, Container)> =
        std::iter::once(("cna".to_owned(), raw.containers.cna))
            .chain(raw.containers.adp.into_iter().enumerate().map(|(i, c)| {
                let name = c
                    .provider_metadata
                    .as_ref()
                    .and_then(|p| p.short_name.clone())
                    .unwrap_or_else(|| format!("adp{}", i + 1));
                (name, c)
            }))
            .collect();
    let summary = containers.iter().find_map(|(_, c)| {
        c.descriptions
            .iter()
            .find(|d| d.lang.to_ascii_lowercase().starts_with("en"))
            .map(|d| d.value.trim().to_owned())
            .or_else(|| c.title.clone())
    });
    let mut severity: Vec<Severity> = Vec::new();
    let mut severity_label = None;
    let mut references: Vec<Reference> = Vec::new();
    let mut products = Vec::new();
    let mut configurations = Vec::new();
    for (name, c) in containers {
        // The CNA's CPE configurations; an ADP's only where the CNA gives none.
        if configurations.is_empty() {
            configurations = super::nvd::configurations(c.cpe_applicability);
        }
        for metric in c.metrics {
            for (kind, cvss) in [
                ("CVSS_V3", metric.v31),
                ("CVSS_V3", metric.v30),
                ("CVSS_V4", metric.v40),
                ("CVSS_V2", metric.v20),
            ] {
                if let Some(cvss) = cvss {
                    let s = Severity {
                        kind: kind.into(),
                        score: cvss.vector_string,
                        base_score: cvss.base_score.map(|b| format!("{b:.1}")),
                    };
                    if !severity.contains(&s) {
                        severity.push(s);
                    }
                }
            }
            if let Some(other) = metric.other {
                match other.kind.as_str() {
                    "ssvc" => {
                        if let Some(s) = ssvc(&other.content) {
                            severity.push(s);
                        }
                    }
                    // A CNA's own qualitative rating (OpenSSL's `Low`, `Moderate`, `High`,
                    // as `text` or `value`).
                    _ => {
                        let label = ["text", "value"]
                            .iter()
                            .find_map(|k| other.content.get(*k).and_then(|v| v.as_str()));
                        if let Some(l) = label.filter(|l| {
                            matches!(
                                l.to_ascii_lowercase().as_str(),
                                "low" | "moderate" | "medium" | "high" | "critical"
                            )
                        }) {
                            severity_label.get_or_insert_with(|| l.to_owned());
                        }
                    }
                }
            }
        }
        for r in c.references {
            if !references.iter().any(|x| x.url == r.url) {
                references.push(Reference {
                    kind: reference_kind(&r.tags).into(),
                    url: r.url,
                });
            }
        }
        for a in c.affected {
            products.push(ProductStatus {
                container: name.clone(),
                vendor: a.vendor,
                product: a.product,
                package_name: a.package_name,
                collection_url: a.collection_url,
                repo: a.repo,
                cpes: a.cpes,
                default_status: a.default_status,
                versions: a
                    .versions
                    .into_iter()
                    .map(|v| VersionStatus {
                        status: v.status,
                        version: v.version,
                        less_than: v.less_than,
                        less_than_or_equal: v.less_than_or_equal,
                        version_type: v.version_type,
                        changes: v
                            .changes
                            .into_iter()
                            .map(|c| StatusChange {
                                at: c.at,
                                status: c.status,
                            })
                            .collect(),
                    })
                    .collect(),
            });
        }
    }
    Advisory {
        id: m.cve_id,
        withdrawn: if rejected {
            super::nvd::utc(m.date_rejected)
                .or_else(|| modified.clone())
                .or_else(|| Some(String::new()))
        } else {
            None
        },
        modified,
        published: super::nvd::utc(m.date_published),
        summary,
        severity,
        severity_label,
        references,
        status: Some(m.state),
        products,
        configurations,
        ..Advisory::default()
    }
}

/// An SSVC decision (CISA's `Exploitation`, `Automatable`, `Technical Impact`) as one line:
/// `Exploitation:none/Automatable:no/Technical Impact:partial`.
fn ssvc(content: &serde_json::Value) -> Option<Severity> {
    let options = content.get("options")?.as_array()?;
    let parts: Vec<String> = options
        .iter()
        .filter_map(|o| o.as_object())
        .flat_map(|o| o.iter())
        .filter_map(|(k, v)| v.as_str().map(|v| format!("{k}:{v}")))
        .collect();
    (!parts.is_empty()).then(|| Severity {
        kind: "SSVC".into(),
        score: parts.join("/"),
        base_score: None,
    })
}

/// The OSV reference kind of CVE 5 reference tags.
fn reference_kind(tags: &[String]) -> &'static str {
    let has = |t: &str| tags.iter().any(|x| x == t);
    if has("patch") {
        "FIX"
    } else if has("vendor-advisory") || has("third-party-advisory") {
        "ADVISORY"
    } else if has("issue-tracking") {
        "REPORT"
    } else {
        "WEB"
    }
}

fn same_name(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// The vendor and product of a CPE a container gives: a 2.3 formatted string, or a 2.2 URI
/// (`cpe:/o:redhat:enterprise_linux:8`, percent-escapes decoded), lower-cased. `None` when
/// neither has a plain vendor and product.
fn cpe_vendor_product(cpe: &str) -> Option<(String, String)> {
    if let Ok(name) = CpeName::parse(cpe) {
        return Some((
            name.vendor().literal()?.to_owned(),
            name.product().literal()?.to_owned(),
        ));
    }
    let rest = cpe
        .strip_prefix("cpe:/")
        .or_else(|| cpe.strip_prefix("CPE:/"))?;
    let mut parts = rest.split(':');
    let _part = parts.next()?;
    let decode = |s: &str| -> Option<String> {
        let text = crate::ident::purl::percent_decode(s)?.to_ascii_lowercase();
        (!text.is_empty() && !text.contains(['*', '?'])).then_some(text)
    };
    Some((decode(parts.next()?)?, decode(parts.next()?)?))
}

/// Every index key a product statement is found by: CPE keys (its vendor and product through
/// [`CPE_OF_PRODUCT`], and its own `cpes` when it names no package) and a package key (a
/// registry of [`ECOSYSTEM_OF_COLLECTION`] and a package name). A statement with a
/// `packageName` speaks of that package's versions; its `cpes` then name the platform that
/// ships it (Red Hat's `cpe:/o:redhat:enterprise_linux:9` beside package `expat`), whose own
/// versions the statement does not give.
pub fn product_keys(p: &ProductStatus) -> Vec<(String, String)> {
    let mut keys = Vec::new();
    if let (Some(vendor), Some(product)) = (&p.vendor, &p.product) {
        for (v, pr, cv, cp, _) in CPE_OF_PRODUCT {
            if same_name(vendor, v) && same_name(product, pr) {
                keys.push(cpe_key(cv, cp));
            }
        }
    }
    if p.package_name.is_none() {
        for cpe in &p.cpes {
            if let Some((v, pr)) = cpe_vendor_product(cpe) {
                keys.push(cpe_key(&v, &pr));
            }
        }
    }
    if let (Some(url), Some(name)) = (&p.collection_url, &p.package_name) {
        let url = url.trim().trim_end_matches('/');
        let host = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .unwrap_or(url);
        if let Some((_, ecosystem)) = ECOSYSTEM_OF_COLLECTION
            .iter()
            .find(|(h, _)| host.eq_ignore_ascii_case(h))
        {
            keys.push(package_key(ecosystem, name.trim()));
        }
    }
    keys.sort();
    keys.dedup();
    keys
}

/// The source repository of a product statement, normalised: its `repo`, else a
/// `collectionURL` that is a repository on a known forge.
pub fn product_repo(p: &ProductStatus) -> Option<String> {
    if let Some(r) = &p.repo {
        return Some(normalize_repo(r));
    }
    let url = p.collection_url.as_deref()?;
    let repo = normalize_repo(url);
    let (host, path) = repo.split_once('/')?;
    (REPOSITORY_HOSTS.contains(&host) && path.split('/').filter(|s| !s.is_empty()).count() == 2)
        .then_some(repo)
}

/// Who a product statement is: `cna Python Software Foundation/CPython`.
fn who(p: &ProductStatus) -> String {
    let name = match (&p.vendor, &p.product, &p.package_name) {
        (Some(v), Some(pr), _) => format!("{v}/{pr}"),
        (_, _, Some(n)) => n.clone(),
        (_, Some(pr), None) => pr.clone(),
        _ => p
            .cpes
            .first()
            .cloned()
            .unwrap_or_else(|| "a product".into()),
    };
    format!("{} {name}", p.container)
}

/// Evaluates `version` against what `a`'s containers say of the products `describes` accepts
/// (the statements linked to the component's identifier). `None` when the record says nothing
/// of such a product. Otherwise affected when a statement of the deciding container (the CNA
/// when it has one, else the ADPs) says so, with the fixed versions it names; not evaluable
/// when one cannot be decided; else not affected.
pub fn evaluate(
    a: &Advisory,
    describes: impl Fn(&ProductStatus) -> bool,
    version: &str,
    git: &GitRepos,
) -> Option<(Verdict, Vec<String>)> {
    let linked: Vec<&ProductStatus> = a.products.iter().filter(|p| describes(p)).collect();
    if linked.is_empty() {
        return None;
    }
    let cna: Vec<&ProductStatus> = linked
        .iter()
        .copied()
        .filter(|p| p.container == "cna")
        .collect();
    let deciding = if cna.is_empty() { linked } else { cna };
    let mut undecided = None;
    for p in deciding {
        match evaluate_product(p, version, git) {
            (Verdict::Affected(rule), fixed) => return Some((Verdict::Affected(rule), fixed)),
            (Verdict::NotEvaluable(why), _) => {
                undecided.get_or_insert(why);
            }
            (Verdict::NotAffected, _) => {}
        }
    }
    Some((
        undecided.map_or(Verdict::NotAffected, Verdict::NotEvaluable),
        Vec::new(),
    ))
}

/// What a statement's own `versionType` orders by.
enum Ordering5 {
    Scheme(Scheme),
    Git,
    /// Not stated or not known: ranges cannot be decided.
    Unknown(String),
}

fn ordering_of(kind: Option<&str>) -> Ordering5 {
    match kind {
        Some("python") => Ordering5::Scheme(Scheme::Pep440),
        Some("semver") => Ordering5::Scheme(Scheme::Semver),
        Some("rpm") => Ordering5::Scheme(Scheme::Rpm),
        Some("git") => Ordering5::Git,
        Some(other) => Ordering5::Unknown(format!(
            "versionType `{other}`, an ordering bomsmith does not know"
        )),
        None => Ordering5::Unknown("no versionType, so the range's ordering is not stated".into()),
    }
}

/// One statement's `versions` entry as a line: `affected from 3.12.0 before 3.12.5 (python)`.
fn describe(v: &VersionStatus) -> String {
    let mut s = match (&v.less_than, &v.less_than_or_equal) {
        (Some(lt), _) => format!("{} from {} before {lt}", v.status, v.version),
        (None, Some(le)) => format!("{} from {} to {le}", v.status, v.version),
        (None, None) => format!("{} {}", v.status, v.version),
    };
    for c in &v.changes {
        s.push_str(&format!(", {} from {}", c.status, c.at));
    }
    if let Some(t) = &v.version_type {
        s.push_str(&format!(" ({t})"));
    }
    s
}

enum Item {
    /// The entry covers the version, with this status.
    Covers(String, Rule, Vec<String>),
    Outside,
    NotEvaluable(String),
}

fn evaluate_product(p: &ProductStatus, version: &str, git: &GitRepos) -> (Verdict, Vec<String>) {
    let who = who(p);
    let mut affected: Option<(Rule, Vec<String>)> = None;
    let mut undecided: Option<String> = None;
    let mut unaffected = false;
    for item in &p.versions {
        match evaluate_item(p, item, version, git) {
            Item::Covers(status, rule, fixed) => match status.as_str() {
                "affected" => {
                    let rule = Rule {
                        range: format!("CVE 5 {who}: {}", rule.range),
                        reason: rule.reason,
                    };
                    affected.get_or_insert((rule, fixed));
                }
                "unaffected" => unaffected = true,
                other => {
                    undecided.get_or_insert_with(|| {
                        format!(
                            "{who} gives {version} the status `{other}` ({})",
                            describe(item)
                        )
                    });
                }
            },
            Item::Outside => {}
            Item::NotEvaluable(why) => {
                undecided.get_or_insert_with(|| {
                    format!("{who}: {} cannot be decided: {why}", describe(item))
                });
            }
        }
    }
    if let Some((rule, fixed)) = affected {
        return (Verdict::Affected(rule), fixed);
    }
    if let Some(why) = undecided {
        return (Verdict::NotEvaluable(why), Vec::new());
    }
    if unaffected {
        return (Verdict::NotAffected, Vec::new());
    }
    match p.default_status.as_deref() {
        Some("affected") => (
            Verdict::Affected(Rule {
                range: format!("CVE 5 {who}: defaultStatus affected"),
                reason: format!("no entry covers {version}, and the default status is affected"),
            }),
            Vec::new(),
        ),
        Some("unaffected") => (Verdict::NotAffected, Vec::new()),
        other => {
            let entries = match p.versions.first() {
                Some(first) if p.versions.len() > 1 => {
                    format!(
                        "its entries (`{}`, ...) do not cover {version}",
                        describe(first)
                    )
                }
                Some(first) => {
                    format!("its entry (`{}`) does not cover {version}", describe(first))
                }
                None => "it lists no version".to_owned(),
            };
            (
                Verdict::NotEvaluable(format!(
                    "{who}: {entries}, and the default status is {}",
                    other.map_or("not given (unknown)".to_owned(), |s| format!("`{s}`"))
                )),
                Vec::new(),
            )
        }
    }
}

/// Parses a bound; `None` for the start `0` (from the first version).
fn bound(scheme: Scheme, text: &str) -> Result<Option<Version>, String> {
    if text == "0" {
        return Ok(None);
    }
    version::parse(scheme, text)
        .map(Some)
        .map_err(|e| e.to_string())
}

fn evaluate_item(p: &ProductStatus, item: &VersionStatus, version: &str, git: &GitRepos) -> Item {
    let ordering = ordering_of(item.version_type.as_deref());
    let is_range = item.less_than.is_some() || item.less_than_or_equal.is_some();
    if !is_range {
        // One version: the same text, or equal under the stated ordering.
        let equal = item.version == version
            || match &ordering {
                Ordering5::Scheme(s) => match (
                    version::parse(*s, version),
                    version::parse(*s, &item.version),
                ) {
                    (Ok(a), Ok(b)) => a.compare(&b) == Some(Ordering::Equal),
                    _ => false,
                },
                _ => false,
            };
        return if equal {
            Item::Covers(
                item.status.clone(),
                Rule {
                    range: describe(item),
                    reason: format!("{version} is the version the entry names"),
                },
                Vec::new(),
            )
        } else {
            Item::Outside
        };
    }
    let scheme = match ordering {
        Ordering5::Scheme(s) => s,
        Ordering5::Unknown(why) => return Item::NotEvaluable(why),
        Ordering5::Git => {
            if !item.changes.is_empty() {
                return Item::NotEvaluable("status changes within a git range".into());
            }
            let Some(repo) = product_repo(p) else {
                return Item::NotEvaluable(
                    "a git range, and the record names no repository".into(),
                );
            };
            let mut events = vec![Event::Introduced(item.version.clone())];
            match (&item.less_than, &item.less_than_or_equal) {
                (Some(lt), _) if lt != "*" => events.push(Event::Fixed(lt.clone())),
                (None, Some(le)) => events.push(Event::LastAffected(le.clone())),
                _ => {}
            }
            let range = Range {
                kind: RangeKind::Git,
                repo: Some(repo),
                events,
            };
            return match git.evaluate(&range, version) {
                Ok(Some(rule)) => Item::Covers(
                    item.status.clone(),
                    Rule {
                        range: describe(item),
                        reason: rule.reason,
                    },
                    item.less_than
                        .iter()
                        .filter(|l| *l != "*")
                        .cloned()
                        .collect(),
                ),
                Ok(None) => Item::Outside,
                Err(why) => Item::NotEvaluable(why),
            };
        }
    };
    let v = match version::parse(scheme, version) {
        Ok(v) => v,
        Err(e) => return Item::NotEvaluable(e.to_string()),
    };
    let start = match bound(scheme, &item.version) {
        Ok(s) => s,
        Err(e) => return Item::NotEvaluable(e),
    };
    let cmp = |a: &Version, b: &Version| {
        a.compare(b).ok_or_else(|| {
            format!(
                "{} and {} cannot be ordered by one rule of {}",
                a.as_str(),
                b.as_str(),
                scheme.name()
            )
        })
    };
    if let Some(s) = &start {
        match cmp(&v, s) {
            Ok(Ordering::Less) => return Item::Outside,
            Ok(_) => {}
            Err(e) => return Item::NotEvaluable(e),
        }
    }
    let (end, inclusive) = match (&item.less_than, &item.less_than_or_equal) {
        (Some(lt), _) => (lt, false),
        (None, Some(le)) => (le, true),
        (None, None) => return Item::Outside,
    };
    let mut reason = match &start {
        Some(s) => format!("{version} >= {}", s.as_str()),
        None => format!("{version} >= the first version"),
    };
    if end != "*" {
        let e = match version::parse(scheme, end) {
            Ok(e) => e,
            Err(e) => return Item::NotEvaluable(e.to_string()),
        };
        match (cmp(&v, &e), inclusive) {
            (Err(e), _) => return Item::NotEvaluable(e),
            (Ok(Ordering::Less), _) | (Ok(Ordering::Equal), true) => {}
            (Ok(_), _) => return Item::Outside,
        }
        reason.push_str(&format!(
            " and {} {end}",
            if inclusive { "<=" } else { "<" }
        ));
    }
    // The status at the version: the entry's, changed by the last change at or below it.
    let mut status = item.status.clone();
    let mut changes = Vec::new();
    for c in &item.changes {
        match version::parse(scheme, &c.at) {
            Ok(at) => changes.push((at, c)),
            Err(e) => return Item::NotEvaluable(e.to_string()),
        }
    }
    let mut last: Option<&Version> = None;
    for (at, c) in &changes {
        match cmp(&v, at) {
            Err(e) => return Item::NotEvaluable(e),
            Ok(Ordering::Less) => {}
            Ok(_) => {
                let later = match last {
                    None => true,
                    Some(l) => match cmp(at, l) {
                        Ok(o) => o != Ordering::Less,
                        Err(e) => return Item::NotEvaluable(e),
                    },
                };
                if later {
                    last = Some(at);
                    status = c.status.clone();
                    reason = format!("{reason}; {} from {}", c.status, c.at);
                }
            }
        }
    }
    let mut fixed: Vec<String> = Vec::new();
    if !inclusive && end != "*" {
        fixed.push(end.clone());
    }
    fixed.extend(
        item.changes
            .iter()
            .filter(|c| c.status == "unaffected")
            .map(|c| c.at.clone()),
    );
    Item::Covers(
        status,
        Rule {
            range: describe(item),
            reason: format!("{reason} ({})", scheme.name()),
        },
        fixed,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record with the given CNA `affected[]` and ADP containers (JSON texts).
    fn record(cna_affected: &str, adp: &str) -> Advisory {
        let text = format!(
            r#"{{"dataType":"CVE_RECORD","dataVersion":"5.1",
                "cveMetadata":{{"cveId":"CVE-2099-0001","state":"PUBLISHED",
                  "datePublished":"2024-03-10T00:00:00","dateUpdated":"2024-08-01T18:04:49.775Z"}},
                "containers":{{"cna":{{"providerMetadata":{{"orgId":"x","shortName":"PSF"}},
                  "descriptions":[{{"lang":"en-US","value":"A flaw."}}],
                  "metrics":[{{"other":{{"type":"https://example.org/policy","content":{{"text":"Moderate"}}}}}}],
                  "references":[{{"url":"https://example.org/fix","tags":["patch"]}}],
                  "affected":{cna_affected}}},
                  "adp":{adp}}}}}"#
        );
        match parse(&text).expect("parses") {
            Parsed::Record(a) => *a,
            _ => panic!("a record"),
        }
    }

    fn verdict(a: &Advisory, key: (&str, &str), version: &str) -> Option<Verdict> {
        let key = (key.0.to_owned(), key.1.to_owned());
        evaluate(
            a,
            |p| product_keys(p).contains(&key),
            version,
            &GitRepos::new(),
        )
        .map(|(v, _)| v)
    }

    fn affected(v: Option<Verdict>) -> bool {
        matches!(v, Some(Verdict::Affected(_)))
    }

    const CPYTHON: (&str, &str) = ("CPE", "python:python");

    #[test]
    fn metadata_severity_and_references_are_read() {
        let a = record("[]", "[]");
        assert_eq!(a.id, "CVE-2099-0001");
        // Times without an offset are UTC.
        assert_eq!(a.published.as_deref(), Some("2024-03-10T00:00:00Z"));
        assert_eq!(a.modified.as_deref(), Some("2024-08-01T18:04:49.775Z"));
        assert_eq!(a.summary.as_deref(), Some("A flaw."));
        assert_eq!(a.severity_label.as_deref(), Some("Moderate"));
        assert_eq!(a.references[0].kind, "FIX");
        assert_eq!(a.withdrawn, None);
    }

    #[test]
    fn python_ranges_changes_and_default_status_decide() {
        let a = record(
            r#"[{"vendor":"Python Software Foundation","product":"CPython","defaultStatus":"unaffected",
                 "versions":[
                   {"status":"affected","version":"0","lessThan":"3.8.20","versionType":"python"},
                   {"status":"affected","version":"3.12.0","lessThanOrEqual":"3.12.5","versionType":"python"},
                   {"status":"affected","version":"3.13.0a1","lessThan":"*","versionType":"python",
                    "changes":[{"at":"3.13.0rc2","status":"unaffected"},{"at":"3.13.1","status":"affected"}]}]}]"#,
            "[]",
        );
        assert!(affected(verdict(&a, CPYTHON, "3.8.19")));
        assert!(affected(verdict(&a, CPYTHON, "2.7.18")));
        assert_eq!(verdict(&a, CPYTHON, "3.8.20"), Some(Verdict::NotAffected));
        // lessThanOrEqual is inclusive.
        assert!(affected(verdict(&a, CPYTHON, "3.12.5")));
        assert_eq!(verdict(&a, CPYTHON, "3.12.6"), Some(Verdict::NotAffected));
        // PEP 440: 3.13.0rc1 < 3.13.0rc2 <= 3.13.0 < 3.13.1; `*` has no end.
        assert!(affected(verdict(&a, CPYTHON, "3.13.0rc1")));
        assert_eq!(verdict(&a, CPYTHON, "3.13.0"), Some(Verdict::NotAffected));
        assert!(affected(verdict(&a, CPYTHON, "3.13.1")));
        assert!(affected(verdict(&a, CPYTHON, "3.14.0")));
        // Not covered: the default status (unaffected).
        assert_eq!(verdict(&a, CPYTHON, "3.10.0"), Some(Verdict::NotAffected));
        // Another product: the record says nothing of it.
        assert_eq!(verdict(&a, ("CPE", "openssl:openssl"), "3.0.0"), None);
        let Some(Verdict::Affected(rule)) = verdict(&a, CPYTHON, "3.12.4") else {
            panic!("affected");
        };
        assert_eq!(
            rule.range,
            "CVE 5 cna Python Software Foundation/CPython: affected from 3.12.0 to 3.12.5 (python)"
        );
        assert_eq!(rule.reason, "3.12.4 >= 3.12.0 and <= 3.12.5 (PEP 440)");
    }

    #[test]
    fn custom_and_unstated_orderings_and_unknown_defaults_are_not_evaluable() {
        let a = record(
            r#"[{"vendor":"OpenSSL","product":"OpenSSL",
                 "versions":[
                   {"status":"affected","version":"3.0.0","lessThan":"3.0.14","versionType":"semver"},
                   {"status":"affected","version":"1.1.1","lessThan":"1.1.1y","versionType":"custom"},
                   {"status":"affected","version":"Fixed in OpenSSL 1.0.2t (Affected 1.0.2-1.0.2s)"}]}]"#,
            "[]",
        );
        let openssl = ("CPE", "openssl:openssl");
        // A SemVer range decides even beside a custom one.
        assert!(affected(verdict(&a, openssl, "3.0.13")));
        // Outside the SemVer range, the custom one cannot be decided.
        let Some(Verdict::NotEvaluable(why)) = verdict(&a, openssl, "3.0.14") else {
            panic!("not evaluable");
        };
        assert!(why.contains("versionType `custom`"), "{why}");
        // No default status: what no entry covers is unknown.
        let b = record(
            r#"[{"vendor":"OpenSSL","product":"OpenSSL",
                 "versions":[{"status":"affected","version":"Fixed in OpenSSL 1.1.1d (Affected 1.1.1-1.1.1c)"}]}]"#,
            "[]",
        );
        let Some(Verdict::NotEvaluable(why)) = verdict(&b, openssl, "3.0.13") else {
            panic!("not evaluable");
        };
        assert!(why.contains("default status is not given"), "{why}");
        // The very text a single entry names is that version.
        let c = record(
            r#"[{"vendor":"OpenSSL","product":"OpenSSL","defaultStatus":"unaffected",
                 "versions":[{"status":"affected","version":"1.0.2zk"}]}]"#,
            "[]",
        );
        assert!(affected(verdict(&c, openssl, "1.0.2zk")));
        assert_eq!(verdict(&c, openssl, "1.0.2zj"), Some(Verdict::NotAffected));
        // A range with no versionType states no ordering.
        let d = record(
            r#"[{"vendor":"OpenSSL","product":"OpenSSL","defaultStatus":"unaffected",
                 "versions":[{"status":"affected","version":"1.0","lessThan":"2.0"}]}]"#,
            "[]",
        );
        assert!(matches!(
            verdict(&d, openssl, "1.5"),
            Some(Verdict::NotEvaluable(_))
        ));
        // defaultStatus affected: every version not listed otherwise.
        let e = record(
            r#"[{"vendor":"OpenSSL","product":"OpenSSL","defaultStatus":"affected",
                 "versions":[{"status":"unaffected","version":"3.4.0","lessThan":"*","versionType":"semver"}]}]"#,
            "[]",
        );
        assert!(affected(verdict(&e, openssl, "3.3.9")));
        assert_eq!(verdict(&e, openssl, "3.4.1"), Some(Verdict::NotAffected));
    }

    #[test]
    fn git_ranges_need_a_clone_of_the_named_repository() {
        let a = record(
            r#"[{"vendor":"Cloudflare","product":"zlib","repo":"https://github.com/cloudflare/zlib","defaultStatus":"unaffected",
                 "versions":[{"status":"affected","version":"0","lessThan":"8352d10","versionType":"git"}]}]"#,
            "[]",
        );
        assert_eq!(
            product_repo(&a.products[0]).as_deref(),
            Some("github.com/cloudflare/zlib")
        );
        // Not linked to zlib's CPE: another vendor's zlib is another product.
        assert!(product_keys(&a.products[0]).is_empty());
        let got = evaluate(
            &a,
            |p| product_repo(p).as_deref() == Some("github.com/cloudflare/zlib"),
            "1.0",
            &GitRepos::new(),
        );
        let Some((Verdict::NotEvaluable(why), _)) = got else {
            panic!("not evaluable: {got:?}");
        };
        assert!(why.contains("no local clone"), "{why}");
    }

    #[test]
    fn the_cna_speaks_for_the_record_and_adps_fill_gaps() {
        // The CNA's range says 3.13.0 is fixed; CISA's ADP range (custom) would be undecided.
        let a = record(
            r#"[{"vendor":"Python Software Foundation","product":"CPython","defaultStatus":"unaffected",
                 "versions":[{"status":"affected","version":"3.12.0","lessThan":"3.12.6","versionType":"python"}]}]"#,
            r#"[{"providerMetadata":{"orgId":"y","shortName":"CISA-ADP"},
                 "metrics":[{"other":{"type":"ssvc","content":{"options":[{"Exploitation":"none"},{"Automatable":"no"}]}}}],
                 "affected":[{"vendor":"python","product":"python","cpes":["cpe:2.3:a:python:python:*:*:*:*:*:*:*:*"],
                   "defaultStatus":"unknown",
                   "versions":[{"status":"affected","version":"0","lessThanOrEqual":"3.13.0","versionType":"custom"}]}]}]"#,
        );
        assert_eq!(a.products.len(), 2);
        assert_eq!(a.products[1].container, "CISA-ADP");
        assert_eq!(verdict(&a, CPYTHON, "3.13.0"), Some(Verdict::NotAffected));
        assert_eq!(a.severity[0].kind, "SSVC");
        assert_eq!(a.severity[0].score, "Exploitation:none/Automatable:no");
        // A record whose CNA names no product (`n/a`): the ADP's statement decides.
        let b = record(
            r#"[{"vendor":"n/a","product":"n/a","versions":[{"status":"affected","version":"n/a"}]}]"#,
            r#"[{"providerMetadata":{"shortName":"CISA-ADP"},
                 "affected":[{"vendor":"libexpat_project","product":"libexpat",
                   "cpes":["cpe:2.3:a:libexpat_project:libexpat:*:*:*:*:*:*:*:*"],"defaultStatus":"unknown",
                   "versions":[{"status":"affected","version":"0","lessThan":"2.6.3","versionType":"semver"}]}]}]"#,
        );
        let expat = ("CPE", "libexpat_project:libexpat");
        assert!(affected(verdict(&b, expat, "2.6.2")));
        assert!(matches!(
            verdict(&b, expat, "2.6.3"),
            Some(Verdict::NotEvaluable(_))
        ));
    }

    #[test]
    fn products_are_keyed_by_table_cpes_and_registries_never_by_loose_names() {
        let p =
            |json: &str| -> ProductStatus { record(&format!("[{json}]"), "[]").products.remove(0) };
        let keys = |json: &str| product_keys(&p(json));
        let cpe = |s: &str| ("CPE".to_owned(), s.to_owned());
        assert_eq!(
            keys(r#"{"vendor":" python software foundation ","product":"cpython"}"#),
            [cpe("python:python")]
        );
        // A CPE 2.2 URI, escapes decoded.
        assert_eq!(
            keys(
                r#"{"vendor":"Red Hat","product":"RHEL 8","cpes":["cpe:/o:redhat:enterprise_linux:8"]}"#
            ),
            [cpe("redhat:enterprise_linux")]
        );
        assert_eq!(
            keys(r#"{"vendor":"x","product":"y","cpes":["cpe:/a:at%26t:x%2dy"]}"#),
            [cpe("at&t:x-y")]
        );
        // A registry gives a package key; a forge URL is a repository, not a package.
        assert_eq!(
            keys(r#"{"collectionURL":"https://pypi.org/","packageName":"Jinja2"}"#),
            [("PyPI".to_owned(), "jinja2".to_owned())]
        );
        let xz =
            p(r#"{"collectionURL":"https://github.com/tukaani-project/xz","packageName":"xz"}"#);
        assert!(product_keys(&xz).is_empty());
        assert_eq!(
            product_repo(&xz).as_deref(),
            Some("github.com/tukaani-project/xz")
        );
        // Names of other products stay unlinked: node-sqlite3, black, perl-Crypt-OpenSSL.
        for json in [
            r#"{"vendor":"Ghost Foundation","product":"node-sqlite3"}"#,
            r#"{"vendor":"n/a","product":"black"}"#,
            r#"{"vendor":"Python Software Foundation","product":"CPython Docs"}"#,
            r#"{"collectionURL":"https://github.com/toddr/Crypt-OpenSSL-RSA","packageName":"perl-Crypt-OpenSSL-RSA"}"#,
        ] {
            assert!(keys(json).is_empty(), "{json}");
        }
    }

    #[test]
    fn malformed_records_are_located_and_other_json_is_no_record() {
        let bad = r#"{"cveMetadata":{"cveId":"CVE-1","state":"PUBLISHED"},
            "containers":{"cna":{"affected":[{"versions":[{"status":"affected"}]}]}}}"#;
        let Err(err) = parse(bad) else {
            panic!("malformed");
        };
        assert_eq!(err.pointer, "/containers/cna/affected/0/versions/0");
        assert!(err.message.contains("version"), "{}", err.message);
        assert!(matches!(
            parse(r#"{"id":"OSV-1","modified":"x"}"#),
            Ok(Parsed::NotARecord(_))
        ));
        // Rejected: withdrawn at its rejection time.
        let rejected = r#"{"cveMetadata":{"cveId":"CVE-2","state":"REJECTED","dateRejected":"2024-01-02T00:00:00"},
            "containers":{"cna":{"rejectedReasons":[{"lang":"en","value":"duplicate"}]}}}"#;
        let Ok(Parsed::Record(a)) = parse(rejected) else {
            panic!("a record");
        };
        assert_eq!(a.withdrawn.as_deref(), Some("2024-01-02T00:00:00Z"));
    }
}
