//! From an SBOM's components to findings. Only identifiers the SBOM declares are used, never a
//! name guessed into one: a PURL (its type gives the OSV ecosystem, its name and version the
//! package), or for records that name no package (the PSF's CPython records), a repository: the
//! component's declared VCS location or, through [`REPOSITORY_OF_CPE`], its CPE.
//!
//! Records describing one vulnerability (linked by ID, alias or upstream) make one finding per
//! component. Every finding says which identifier, version, range and rule matched.

use super::cpe_match::{self, CpeVerdict};
use super::cve5;
use super::git::{GitRepos, normalize_repo};
use super::index::{Found, Store, UNANALYSED_FAMILY, cpe_key, package_key};
use super::range::{self, Rule, Verdict};
use crate::error::Result;
use crate::ident::cpe::{Attr, CpeName};
use crate::ident::parse_purl;
use crate::ident::version::Scheme;
use crate::model::vuln::{Advisory, Event, RangeKind};
use crate::model::{Document, Package, RefKind};
use std::collections::{BTreeMap, BTreeSet};

/// The OSV ecosystem of a PURL type (and, for distributions, its namespace).
pub fn ecosystem_of(ty: &str, namespace: Option<&str>) -> Option<&'static str> {
    Some(
        match (ty, namespace.map(str::to_ascii_lowercase).as_deref()) {
            ("pypi", _) => "PyPI",
            ("npm", _) => "npm",
            ("cargo", _) => "crates.io",
            ("golang", _) => "Go",
            ("maven", _) => "Maven",
            ("nuget", _) => "NuGet",
            ("gem", _) => "RubyGems",
            ("composer", _) => "Packagist",
            ("hex", _) => "Hex",
            ("pub", _) => "Pub",
            ("hackage", _) => "Hackage",
            ("cran", _) => "CRAN",
            ("conan", _) => "ConanCenter",
            ("swift", _) => "SwiftURL",
            ("bitnami", _) => "Bitnami",
            ("githubactions" | "github-actions", _) => "GitHub Actions",
            ("deb", Some("debian")) => "Debian",
            ("deb", Some("ubuntu")) => "Ubuntu",
            ("apk", Some("alpine")) => "Alpine",
            ("rpm", Some("almalinux")) => "AlmaLinux",
            ("rpm", Some("rocky" | "rocky-linux")) => "Rocky Linux",
            ("rpm", Some("redhat")) => "Red Hat",
            ("rpm", Some("opensuse")) => "openSUSE",
            ("rpm", Some("suse")) => "SUSE",
            _ => return None,
        },
    )
}

/// The package name an ecosystem's records use for a PURL's namespace and name.
fn record_name(ecosystem: &str, namespace: Option<&str>, name: &str) -> String {
    match (ecosystem, namespace) {
        ("Maven", Some(ns)) => format!("{ns}:{name}"),
        ("npm" | "Go" | "Packagist" | "SwiftURL" | "GitHub Actions", Some(ns)) => {
            format!("{ns}/{name}")
        }
        _ => name.to_owned(),
    }
}

/// Repositories of components known by CPE only: CPE `vendor:product` and the repository the
/// PSF's records name. Documented in `docs/vulns.md`; extended only with a source for each row.
pub const REPOSITORY_OF_CPE: &[(&str, &str, &str, &str)] = &[(
    "python",
    "python",
    "https://github.com/python/cpython",
    "CPython's own records (PSF, OSV) give GIT ranges in this repository",
)];

/// One identifier a component can be matched by.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Key {
    Package {
        ecosystem: &'static str,
        family: String,
        name: String,
        version: Option<String>,
        /// The distribution release the component is built for (`9` for AlmaLinux 9), when
        /// its PURL says so: records of ecosystems with releases (`AlmaLinux:8`) name one.
        release: Option<String>,
        shown: String,
    },
    Repo {
        repo: String,
        version: Option<String>,
        shown: String,
    },
    /// A CPE 2.3 the component declares: looked up by vendor and product, decided by the
    /// records' CPE configurations. `name` carries the version (the CPE's own, else the
    /// component's).
    Cpe {
        key: (String, String),
        name: Box<CpeName>,
        version: Option<String>,
        /// The component's own version, which CVE 5 statements (written in the product's
        /// version strings) are evaluated with.
        component_version: Option<String>,
        shown: String,
    },
}

/// A component as findings name it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ComponentRef {
    /// Its element ID (SPDX ID or CycloneDX `bom-ref`).
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its version, if stated.
    pub version: Option<String>,
}

/// One record behind a finding, and how it matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchedRecord {
    /// The record's ID.
    pub id: String,
    /// Where it was read from.
    pub file: String,
    /// The range (or list) and the rule that matched.
    pub rule: Rule,
    /// Fixed versions its matched entry names.
    pub fixed: Vec<String>,
}

/// Qualitative severity, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// No severity is given.
    Unknown,
    /// CVSS 0.1–3.9, or `LOW`.
    Low,
    /// CVSS 4.0–6.9, or `MEDIUM`/`MODERATE`.
    Medium,
    /// CVSS 7.0–8.9, or `HIGH`.
    High,
    /// CVSS 9.0–10.0, or `CRITICAL`.
    Critical,
}

impl Level {
    /// Lower-case name (`high`).
    pub fn name(self) -> &'static str {
        match self {
            Level::Unknown => "unknown",
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
            Level::Critical => "critical",
        }
    }

    /// Parses `low`, `medium`, `high`, `critical` (any case; `moderate` is medium).
    pub fn parse(s: &str) -> Option<Level> {
        Some(match s.to_ascii_lowercase().as_str() {
            "low" => Level::Low,
            "medium" | "moderate" => Level::Medium,
            "high" => Level::High,
            "critical" => Level::Critical,
            _ => return None,
        })
    }

    /// CVSS v2's levels (NVD): low 0.0-3.9, medium 4.0-6.9, high 7.0-10.0.
    fn of_v2_score(score: f64) -> Level {
        match score {
            s if s >= 7.0 => Level::High,
            s if s >= 4.0 => Level::Medium,
            s if s > 0.0 => Level::Low,
            _ => Level::Unknown,
        }
    }

    fn of_score(score: f64) -> Level {
        match score {
            s if s >= 9.0 => Level::Critical,
            s if s >= 7.0 => Level::High,
            s if s >= 4.0 => Level::Medium,
            s if s > 0.0 => Level::Low,
            _ => Level::Unknown,
        }
    }
}

/// A finding's severity and where it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct SeverityOf {
    /// The qualitative level.
    pub level: Level,
    /// The CVSS base score.
    pub score: Option<f64>,
    /// The vector or label it was taken from.
    pub source: Option<String>,
    /// How the score was had: `computed` from the vector (CVSS v3, and v4 or v2 vectors whose
    /// source states no score), or `given` by the source beside the vector (CVSS v4 and v2).
    pub how: Option<&'static str>,
}

/// The severity of a group of records: the highest CVSS v3.x base score, computed from the
/// vectors they give; else, when they give no v3 vector, the highest CVSS v4.0 base score,
/// as the source gives it beside the vector (computed from the vector only where no score
/// is given); else likewise CVSS v2 (whose levels stop at high: 7.0-10.0); else the highest
/// qualitative label the database states; else unknown. The level is what `--fail-on`
/// compares.
pub fn severity_of(records: &[&Advisory]) -> SeverityOf {
    for kind in ["CVSS_V3", "CVSS_V4", "CVSS_V2"] {
        let mut best: Option<(f64, String, &'static str)> = None;
        for a in records {
            let scores = a
                .severity
                .iter()
                .chain(a.affected.iter().flat_map(|x| x.severity.iter()));
            for s in scores.filter(|s| s.kind == kind) {
                let given = s
                    .base_score
                    .as_deref()
                    .and_then(|b| b.parse::<f64>().ok())
                    .filter(|b| (0.0..=10.0).contains(b));
                let score = match (kind, given) {
                    ("CVSS_V4" | "CVSS_V2", Some(b)) => Some((b, "given")),
                    _ => cvss_vector(kind, &s.score).map(|c| (c.score(), "computed")),
                };
                if let Some((score, how)) = score
                    && best.as_ref().is_none_or(|(b, ..)| score > *b)
                {
                    best = Some((score, s.score.clone(), how));
                }
            }
        }
        if let Some((score, vector, how)) = best {
            let level = match kind {
                "CVSS_V2" => Level::of_v2_score(score),
                _ => Level::of_score(score),
            };
            return SeverityOf {
                level,
                score: Some(score),
                source: Some(vector),
                how: Some(how),
            };
        }
    }
    let label = records
        .iter()
        .filter_map(|a| a.severity_label.as_deref())
        .filter_map(|l| Level::parse(l).map(|lv| (lv, l)))
        .max_by_key(|(lv, _)| *lv);
    match label {
        Some((level, l)) => SeverityOf {
            level,
            score: None,
            source: Some(l.to_owned()),
            how: None,
        },
        None => SeverityOf {
            level: Level::Unknown,
            score: None,
            source: None,
            how: None,
        },
    }
}

/// A CVSS vector of `kind` parsed by the `cvss` crate (v2 vectors as NVD and OSV write them,
/// with no `CVSS:2.0/` prefix; one is removed if given).
fn cvss_vector(kind: &str, vector: &str) -> Option<cvss::Cvss> {
    let v = vector.trim();
    let v = if kind == "CVSS_V2" {
        v.strip_prefix("CVSS:2.0/").unwrap_or(v)
    } else {
        v
    };
    let parsed = v.parse::<cvss::Cvss>().ok()?;
    let matches_kind = match parsed {
        cvss::Cvss::CvssV30(_) | cvss::Cvss::CvssV31(_) => kind == "CVSS_V3",
        cvss::Cvss::CvssV40(_) => kind == "CVSS_V4",
        cvss::Cvss::CvssV20(_) => kind == "CVSS_V2",
        _ => false,
    };
    matches_kind.then_some(parsed)
}

/// One vulnerability affecting one component.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// The component.
    pub component: ComponentRef,
    /// The identifier that matched (a PURL, or `repository (from CPE ...)`).
    pub identifier: String,
    /// The version evaluated.
    pub version: String,
    /// Every ID the vulnerability goes by (records' IDs, aliases, upstream), sorted.
    pub ids: Vec<String>,
    /// The records that matched, sorted by ID.
    pub records: Vec<MatchedRecord>,
    /// Summary of the first record that gives one.
    pub summary: Option<String>,
    /// Severity.
    pub severity: SeverityOf,
    /// Fixed versions (or commits) the matched ranges name, sorted, deduplicated.
    pub fixed: Vec<String>,
    /// The VEX statement that speaks for this finding, when one was applied.
    pub vex: Option<crate::model::vex::VexMark>,
}

impl Finding {
    /// The ID shown first: a CVE alias when there is one, else the first record's ID.
    pub fn primary_id(&self) -> &str {
        self.ids
            .iter()
            .find(|i| i.starts_with("CVE-"))
            .or_else(|| self.records.first().map(|r| &r.id))
            .map_or("", String::as_str)
    }
}

/// A record that could not be decided for a component: never a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotEvaluated {
    /// The component.
    pub component: ComponentRef,
    /// The record's ID.
    pub record: String,
    /// The identifier it was found by.
    pub identifier: String,
    /// Why it could not be decided.
    pub reason: String,
}

/// The outcome for one SBOM.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    /// Findings, sorted by component (name case-insensitively, version, reference) then
    /// primary ID.
    pub findings: Vec<Finding>,
    /// Records that could not be decided, sorted.
    pub not_evaluable: Vec<NotEvaluated>,
    /// Records NVD has not analysed (no CPE configuration) whose description names the
    /// product of a component's CPE, sorted: never findings, listed so that a person can look.
    pub not_analysed: Vec<NotEvaluated>,
    /// Components in the SBOM.
    pub components: usize,
    /// Components with no identifier bomsmith matches by (no PURL of a known ecosystem, no
    /// repository): listed by name so that nothing is silently unchecked.
    pub unidentified: Vec<ComponentRef>,
}

fn component_ref(p: &Package, renamed: &BTreeMap<String, String>) -> ComponentRef {
    ComponentRef {
        // The reference the user's own file gives it (a CycloneDX bom-ref), else its ID.
        id: renamed.get(&p.id).unwrap_or(&p.id).clone(),
        name: p.name.clone(),
        version: p.version.clone(),
    }
}

/// The identifiers of a component that records can be looked up by.
fn keys_of(p: &Package) -> Vec<Key> {
    let mut keys = Vec::new();
    for r in p.external_refs.iter().filter(|r| r.kind == RefKind::Purl) {
        let Ok(purl) = parse_purl(&r.locator) else {
            continue;
        };
        let Some(ecosystem) = ecosystem_of(purl.ty(), purl.namespace()) else {
            continue;
        };
        let name = record_name(ecosystem, purl.namespace(), purl.name());
        let (family, name) = package_key(ecosystem, &name);
        let version = purl
            .version()
            .map(str::to_owned)
            .or_else(|| p.version.clone());
        // An RPM's epoch is the PURL's `epoch` qualifier (the version never carries it there):
        // records write EVRs (`1:3.0.7-27.el9`), and a missing epoch is 0.
        let version = match (purl.ty(), purl.qualifier("epoch"), version) {
            ("rpm", Some(e), Some(v)) if !v.contains(':') && !e.is_empty() => {
                Some(format!("{e}:{v}"))
            }
            (_, _, v) => v,
        };
        keys.push(Key::Package {
            ecosystem,
            family,
            name,
            release: release_of(purl.ty(), purl.qualifier("distro"), version.as_deref()),
            version,
            shown: r.locator.clone(),
        });
    }
    // A declared VCS location.
    let vcs = p
        .download_location
        .iter()
        .filter(|d| d.starts_with("git+") || d.starts_with("git://"))
        .cloned()
        .chain(
            p.external_refs
                .iter()
                .filter(|r| matches!(&r.kind, RefKind::Other { kind, .. } if kind.eq_ignore_ascii_case("vcs")))
                .map(|r| r.locator.clone()),
        );
    for url in vcs {
        keys.push(Key::Repo {
            repo: normalize_repo(&url),
            version: p.version.clone(),
            shown: url,
        });
    }
    for r in p.external_refs.iter().filter(|r| r.kind == RefKind::Cpe23) {
        if let Some(key) = cpe_key_of(&r.locator, p.version.as_deref()) {
            keys.push(key);
        }
        let Ok(cpe) = crate::ident::parse_cpe23(&r.locator) else {
            continue;
        };
        for (vendor, product, repo, _) in REPOSITORY_OF_CPE {
            if cpe.fields[3] == *vendor && cpe.fields[4] == *product {
                let version = Some(cpe.version().to_owned())
                    .filter(|v| !matches!(v.as_str(), "*" | "-" | ""))
                    .or_else(|| p.version.clone());
                keys.push(Key::Repo {
                    repo: normalize_repo(repo),
                    version,
                    shown: format!("{} (repository {repo})", r.locator),
                });
            }
        }
    }
    keys
}

/// The distribution release a PURL's component is built for: the `distro` qualifier's
/// release (`almalinux-9` and `el9` are `9`, `debian-12` is `12`, `ubuntu-22.04` is `22.04`);
/// else, for RPMs, the `.elN` dist tag of the release (`2.5.0-3.el9_5.1` is `9`). `None` when
/// neither says.
fn release_of(ty: &str, distro: Option<&str>, version: Option<&str>) -> Option<String> {
    if let Some(d) = distro {
        let tail = d.rsplit(['-', ':']).next().unwrap_or(d);
        let tail = tail.strip_prefix("el").unwrap_or(tail);
        if !tail.is_empty() && tail.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            return Some(tail.to_owned());
        }
        return None;
    }
    if ty == "rpm" {
        let release = version?.rsplit_once('-')?.1;
        let at = release.find(".el")?;
        let digits: String = release[at + 3..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        return (!digits.is_empty()).then_some(digits);
    }
    None
}

/// Whether a component's release is the record's (`AlmaLinux:9` is release `9`; Ubuntu's
/// `22.04:LTS` is `22.04`): the same, or the component's names a minor release of it (`9.4`).
fn same_release(component: &str, record: &str) -> bool {
    let record = record.split(':').next().unwrap_or(record);
    component == record
        || component
            .strip_prefix(record)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// The CPE key of a declared CPE: its name with a plain version (the CPE's own; where that is
/// ANY, the component's), indexed by vendor and product. `None` for a CPE that does not parse
/// or has no plain vendor and product.
fn cpe_key_of(locator: &str, component_version: Option<&str>) -> Option<Key> {
    let name = CpeName::parse(locator).ok()?;
    let key = cpe_key(name.vendor().literal()?, name.product().literal()?);
    let (name, version) = match name.version() {
        Attr::Any => match component_version {
            Some(v) => (
                name.with_version(CpeName::literal_version(v)),
                Some(v.to_owned()),
            ),
            None => (name, None),
        },
        attr => {
            let v = attr.literal().map(str::to_owned);
            (name.clone(), v)
        }
    };
    Some(Key::Cpe {
        key,
        name: Box::new(name),
        version,
        component_version: component_version.map(str::to_owned),
        shown: locator.to_owned(),
    })
}

/// The CPE names of every component of `doc`, versions filled in as [`cpe_key_of`] does: the
/// platforms and other parts a configuration may need.
fn document_cpes(doc: &Document) -> Vec<CpeName> {
    doc.packages
        .iter()
        .flat_map(|p| {
            p.external_refs
                .iter()
                .filter(|r| r.kind == RefKind::Cpe23)
                .filter_map(|r| match cpe_key_of(&r.locator, p.version.as_deref()) {
                    Some(Key::Cpe { name, .. }) => Some(*name),
                    _ => CpeName::parse(&r.locator).ok(),
                })
        })
        .collect()
}

/// Matches every component of `doc` against `store`. GIT ranges are decided only through
/// `git` (a clone for their repository); otherwise they are not evaluable. Components are named
/// by their element ID, or by the reference their file gives them where `renamed` (the read's
/// [`crate::format::ReadReport::renamed`]) has one.
pub fn match_document(
    doc: &Document,
    renamed: &BTreeMap<String, String>,
    store: &Store,
    git: &GitRepos,
) -> Result<Outcome> {
    let mut out = Outcome {
        components: doc.packages.len(),
        ..Outcome::default()
    };
    let all_keys: Vec<Vec<Key>> = doc.packages.iter().map(keys_of).collect();
    let mut packages: Vec<(String, String)> = Vec::new();
    let mut repos: Vec<String> = Vec::new();
    for key in all_keys.iter().flatten() {
        match key {
            Key::Package { family, name, .. } => packages.push((family.clone(), name.clone())),
            Key::Repo { repo, .. } => repos.push(repo.clone()),
            Key::Cpe { key, name, .. } => {
                packages.push(key.clone());
                if let Some(product) = name.product().literal() {
                    packages.push((UNANALYSED_FAMILY.to_owned(), product.to_owned()));
                }
            }
        }
    }
    packages.sort();
    packages.dedup();
    repos.sort();
    repos.dedup();
    let lookup = store.lookup(&packages, &repos)?;
    let cpes = document_cpes(doc);
    for (p, keys) in doc.packages.iter().zip(all_keys) {
        let component = component_ref(p, renamed);
        if keys.is_empty() {
            out.unidentified.push(component);
            continue;
        }
        // Per record (ID and file): the first match (a record found by two identifiers counts
        // once). Records of one ID from several sources (NVD's and the CVE List's CVE-2024-6232)
        // are decided each, and a finding lists every one that matched.
        let mut hits: BTreeMap<(String, String), Hit> = BTreeMap::new();
        let mut undecided: BTreeMap<String, NotEvaluated> = BTreeMap::new();
        // IDs some record decided (affected or not) for this component: a record of the same
        // ID that cannot be decided is then no open question.
        let mut decided: BTreeSet<String> = BTreeSet::new();
        for key in &keys {
            let (found, shown, version) = match key {
                Key::Package {
                    family,
                    name,
                    version,
                    shown,
                    ..
                } => (
                    lookup
                        .packages
                        .get(&(family.clone(), name.clone()))
                        .cloned()
                        .unwrap_or_default(),
                    shown,
                    version,
                ),
                Key::Repo {
                    repo,
                    version,
                    shown,
                } => (
                    lookup.repos.get(repo).cloned().unwrap_or_default(),
                    shown,
                    version,
                ),
                Key::Cpe {
                    key,
                    version,
                    shown,
                    ..
                } => (
                    lookup.packages.get(key).cloned().unwrap_or_default(),
                    shown,
                    version,
                ),
            };
            for f in found {
                let hit_key = (f.advisory.id.clone(), f.file.clone());
                if hits.contains_key(&hit_key) {
                    continue;
                }
                // CVE 5 statements are written in the product's own version strings: a CPE
                // component is evaluated with its own version there.
                let version = match key {
                    Key::Cpe {
                        component_version: Some(v),
                        ..
                    } if !f.advisory.products.is_empty() => Some(v),
                    _ => version.as_ref(),
                };
                let Some(version) = version else {
                    undecided
                        .entry(f.advisory.id.clone())
                        .or_insert(NotEvaluated {
                            component: component.clone(),
                            record: f.advisory.id.clone(),
                            identifier: shown.clone(),
                            reason: "the component states no version".into(),
                        });
                    continue;
                };
                match decide(&f.advisory, key, version, git, &cpes) {
                    Decision::Affected(rule, fixed) => {
                        decided.insert(f.advisory.id.clone());
                        hits.insert(hit_key, (f, shown.clone(), version.clone(), rule, fixed));
                    }
                    Decision::NotAffected => {
                        decided.insert(f.advisory.id.clone());
                    }
                    Decision::NotEvaluable(reason) => {
                        undecided
                            .entry(f.advisory.id.clone())
                            .or_insert(NotEvaluated {
                                component: component.clone(),
                                record: f.advisory.id.clone(),
                                identifier: shown.clone(),
                                reason,
                            });
                    }
                }
            }
        }
        // Records NVD has not analysed that name a product this component declares by CPE.
        let mut unanalysed: BTreeMap<String, NotEvaluated> = BTreeMap::new();
        for key in &keys {
            let Key::Cpe { name, shown, .. } = key else {
                continue;
            };
            let Some(product) = name.product().literal() else {
                continue;
            };
            let found = lookup
                .packages
                .get(&(UNANALYSED_FAMILY.to_owned(), product.to_owned()));
            for f in found.into_iter().flatten() {
                unanalysed
                    .entry(f.advisory.id.clone())
                    .or_insert_with(|| NotEvaluated {
                        component: component.clone(),
                        record: f.advisory.id.clone(),
                        identifier: shown.clone(),
                        reason: format!(
                            "NVD has not analysed it ({}): no CPE configuration says what it affects; its description names `{product}`",
                            f.advisory.status.as_deref().unwrap_or("no status")
                        ),
                    });
            }
        }
        undecided.retain(|id, _| !decided.contains(id));
        out.findings.extend(group(&component, hits));
        out.not_evaluable.extend(undecided.into_values());
        out.not_analysed.extend(unanalysed.into_values());
    }
    // By component name as a reader looks for it (case-insensitively), then version and
    // reference; then by vulnerability.
    let order = |c: &ComponentRef| {
        (
            c.name.to_lowercase(),
            c.name.clone(),
            c.version.clone(),
            c.id.clone(),
        )
    };
    out.findings
        .sort_by_cached_key(|f| (order(&f.component), f.primary_id().to_owned()));
    out.not_evaluable
        .sort_by_cached_key(|n| (order(&n.component), n.record.clone()));
    out.not_analysed
        .sort_by_cached_key(|n| (order(&n.component), n.record.clone()));
    Ok(out)
}

/// A record that matched a component: the record, the identifier shown, the version
/// evaluated, the rule and the fixed versions.
type Hit = (Found, String, String, Rule, Vec<String>);

enum Decision {
    Affected(Rule, Vec<String>),
    NotAffected,
    NotEvaluable(String),
}

/// Decides one record for one identifier of a component (`cpes`: every CPE of the SBOM).
fn decide(a: &Advisory, key: &Key, version: &str, git: &GitRepos, cpes: &[CpeName]) -> Decision {
    // A CVE 5 record: its product statements linked to the identifier decide; where none is,
    // its CPE configurations (`cpeApplicability`) do, as NVD's.
    if !a.products.is_empty()
        && let Some(decision) = decide_cve5(a, key, version, git)
    {
        return decision;
    }
    if let Key::Cpe { name, .. } = key {
        let others: Vec<CpeName> = cpes.iter().filter(|c| **c != **name).cloned().collect();
        return match cpe_match::evaluate(&a.configurations, name, &others) {
            CpeVerdict::Affected(rule) => Decision::Affected(rule, cpe_fixed(a, name)),
            CpeVerdict::NotAffected => Decision::NotAffected,
            CpeVerdict::NotEvaluable(why) => Decision::NotEvaluable(why),
        };
    }
    let mut undecided: Option<String> = None;
    for entry in &a.affected {
        match (key, &entry.package) {
            (
                Key::Package {
                    ecosystem,
                    family,
                    name,
                    release,
                    ..
                },
                Some(pkg),
            ) => {
                if package_key(&pkg.ecosystem, &pkg.name) != (family.clone(), name.clone()) {
                    continue;
                }
                // An entry for one release of a distribution (`AlmaLinux:8`) speaks of that
                // release's builds only.
                if let Some((_, record_release)) = pkg.ecosystem.split_once(':') {
                    match release {
                        Some(r) if same_release(r, record_release) => {}
                        Some(_) => continue,
                        None => {
                            undecided.get_or_insert_with(|| {
                                format!(
                                    "the record is for {}, and the component's PURL does not say which release it is built for (a `distro` qualifier)",
                                    pkg.ecosystem
                                )
                            });
                            continue;
                        }
                    }
                }
                let scheme = Scheme::for_ecosystem(ecosystem);
                let (verdict, left) = range::evaluate(entry, version, scheme);
                match verdict {
                    Verdict::Affected(rule) => return Decision::Affected(rule, fixed_of(entry)),
                    Verdict::NotEvaluable(why) => {
                        undecided.get_or_insert(why);
                    }
                    Verdict::NotAffected => {
                        // GIT ranges beside version ranges describe the same set in commits:
                        // the version ranges decide. Alone, they need a clone.
                        let versioned = !entry.versions.is_empty()
                            || entry.ranges.iter().any(|r| {
                                matches!(r.kind, RangeKind::Ecosystem | RangeKind::Semver)
                            });
                        if !versioned {
                            match git_ranges(&left, version, git) {
                                Ok(Some(rule)) => {
                                    return Decision::Affected(rule, fixed_of(entry));
                                }
                                Ok(None) => {}
                                Err(why) => {
                                    undecided.get_or_insert(why);
                                }
                            }
                        }
                    }
                }
            }
            (Key::Repo { repo, .. }, None) => {
                let ranges: Vec<_> = entry
                    .ranges
                    .iter()
                    .filter(|r| {
                        r.kind == RangeKind::Git
                            && r.repo
                                .as_deref()
                                .is_some_and(|u| normalize_repo(u) == *repo)
                    })
                    .collect();
                match git_ranges(&ranges, version, git) {
                    Ok(Some(rule)) => return Decision::Affected(rule, fixed_of(entry)),
                    Ok(None) => {}
                    Err(why) => {
                        undecided.get_or_insert(why);
                    }
                }
            }
            _ => {}
        }
    }
    match undecided {
        Some(why) => Decision::NotEvaluable(why),
        None => Decision::NotAffected,
    }
}

/// Decides a CVE 5 record for one identifier: the product statements linked to it, evaluated
/// with `version` (for a CPE, the component's own version; else the CPE's, unless the CPE
/// names an update such as `rc1`, which no CVE 5 version carries). `None` when no statement
/// is linked to the identifier.
fn decide_cve5(a: &Advisory, key: &Key, version: &str, git: &GitRepos) -> Option<Decision> {
    let verdict = match key {
        Key::Cpe {
            key: k,
            name,
            component_version,
            ..
        } => {
            if component_version.is_none()
                && !matches!(name.attr(4), Attr::Any | Attr::Na)
                && a.products.iter().any(|p| cve5::product_keys(p).contains(k))
            {
                return Some(Decision::NotEvaluable(
                    "the CPE names an update and the component states no version to compare with the record's"
                        .into(),
                ));
            }
            cve5::evaluate(a, |p| cve5::product_keys(p).contains(k), version, git)
        }
        Key::Package { family, name, .. } => cve5::evaluate(
            a,
            |p| {
                cve5::product_keys(p)
                    .iter()
                    .any(|(f, n)| f == family && n == name)
            },
            version,
            git,
        ),
        Key::Repo { repo, .. } => cve5::evaluate(
            a,
            |p| cve5::product_repo(p).as_deref() == Some(repo.as_str()),
            version,
            git,
        ),
    };
    Some(match verdict? {
        (Verdict::Affected(rule), fixed) => Decision::Affected(rule, fixed),
        (Verdict::NotEvaluable(why), _) => Decision::NotEvaluable(why),
        (Verdict::NotAffected, _) => Decision::NotAffected,
    })
}

/// The versions a record's CPE matches for the component's product say are fixed: their
/// exclusive upper bounds (`versionEndExcluding`).
fn cpe_fixed(a: &Advisory, name: &CpeName) -> Vec<String> {
    let mut out: Vec<String> = a
        .configurations
        .iter()
        .flat_map(|c| &c.nodes)
        .flat_map(|n| &n.matches)
        .filter(|m| m.vulnerable)
        .filter(|m| {
            CpeName::parse(&m.criteria)
                .is_ok_and(|c| c.vendor() == name.vendor() && c.product() == name.product())
        })
        .filter_map(|m| m.end_excluding.clone())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Evaluates GIT ranges (others in `ranges` are of unknown kinds: not evaluable).
fn git_ranges(
    ranges: &[&crate::model::vuln::Range],
    version: &str,
    git: &GitRepos,
) -> std::result::Result<Option<Rule>, String> {
    let mut undecided = None;
    for r in ranges {
        if r.kind != RangeKind::Git {
            undecided.get_or_insert(format!(
                "a range of kind {}, which bomsmith does not evaluate",
                r.kind.name()
            ));
            continue;
        }
        match git.evaluate(r, version) {
            Ok(Some(rule)) => return Ok(Some(rule)),
            Ok(None) => {}
            Err(why) => {
                undecided.get_or_insert(why);
            }
        }
    }
    match undecided {
        Some(why) => Err(why),
        None => Ok(None),
    }
}

fn fixed_of(entry: &crate::model::vuln::Affected) -> Vec<String> {
    let mut out: Vec<String> = entry
        .ranges
        .iter()
        .filter(|r| r.kind != RangeKind::Git)
        .flat_map(|r| r.events.iter())
        .filter_map(|e| match e {
            Event::Fixed(v) => Some(v.clone()),
            _ => None,
        })
        .collect();
    out.dedup();
    out
}

/// Groups a component's matched records into findings: records sharing an ID, alias or
/// upstream ID describe one vulnerability.
fn group(component: &ComponentRef, hits: BTreeMap<(String, String), Hit>) -> Vec<Finding> {
    let hits: Vec<_> = hits.into_values().collect();
    // Union-find over records, joined by any shared name.
    let mut parent: Vec<usize> = (0..hits.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut owner: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, h) in hits.iter().enumerate() {
        for n in h.0.advisory.names() {
            match owner.get(n) {
                Some(&j) => {
                    let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                    parent[a] = b;
                }
                None => {
                    owner.insert(n, i);
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..hits.len() {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    groups
        .into_values()
        .map(|members| {
            let advisories: Vec<&Advisory> = members
                .iter()
                .map(|&i| hits[i].0.advisory.as_ref())
                .collect();
            let ids: BTreeSet<String> = advisories
                .iter()
                .flat_map(|a| a.names())
                .map(str::to_owned)
                .collect();
            let mut fixed: Vec<String> = members.iter().flat_map(|&i| hits[i].4.clone()).collect();
            fixed.sort();
            fixed.dedup();
            let first = &hits[members[0]];
            Finding {
                component: component.clone(),
                identifier: first.1.clone(),
                version: first.2.clone(),
                ids: ids.into_iter().collect(),
                records: members
                    .iter()
                    .map(|&i| MatchedRecord {
                        id: hits[i].0.advisory.id.clone(),
                        file: hits[i].0.file.clone(),
                        rule: hits[i].3.clone(),
                        fixed: hits[i].4.clone(),
                    })
                    .collect(),
                summary: advisories.iter().find_map(|a| a.summary.clone()),
                severity: severity_of(&advisories),
                fixed,
                vex: None,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ExternalRef;
    use crate::model::vuln::{Affected, AffectedPackage, Range, Severity};
    use crate::vuln::index::MemoryIndex;
    use crate::vuln::source::{Loaded, LoadedSources};

    fn record(id: &str, aliases: &[&str], name: &str, fixed: &str) -> Loaded {
        Loaded {
            source: 0,
            file: format!("{id}.json"),
            advisory: Advisory {
                id: id.into(),
                aliases: aliases.iter().map(|s| (*s).to_owned()).collect(),
                modified: Some("2024-01-01T00:00:00Z".into()),
                affected: vec![Affected {
                    package: Some(AffectedPackage {
                        ecosystem: "PyPI".into(),
                        name: name.into(),
                        purl: None,
                    }),
                    ranges: vec![Range {
                        kind: RangeKind::Ecosystem,
                        repo: None,
                        events: vec![Event::Introduced("0".into()), Event::Fixed(fixed.into())],
                    }],
                    ..Affected::default()
                }],
                ..Advisory::default()
            },
        }
    }

    fn package(id: &str, name: &str, purl: Option<&str>) -> Package {
        Package {
            id: id.into(),
            name: name.into(),
            version: Some("1.0".into()),
            external_refs: purl.map(ExternalRef::purl).into_iter().collect(),
            ..Package::default()
        }
    }

    #[test]
    fn aliases_make_one_finding_and_unidentified_components_are_listed() {
        let mut ghsa = record("GHSA-1", &["CVE-2024-1"], "PyYAML", "2.0");
        ghsa.advisory.severity = vec![Severity {
            kind: "CVSS_V3".into(),
            score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H".into(),
            base_score: None,
        }];
        let store = Store::Memory(MemoryIndex::new(LoadedSources {
            records: vec![
                record("PYSEC-1", &["CVE-2024-1"], "pyyaml", "1.5"),
                ghsa,
                record("PYSEC-2", &[], "pyyaml", "0.9"),
            ],
            ..LoadedSources::default()
        }));
        let doc = Document {
            packages: vec![
                package("p", "PyYAML", Some("pkg:pypi/PyYAML@1.0")),
                package("q", "mystery", None),
                package("r", "leftpad", Some("pkg:generic/leftpad@1.0")),
            ],
            ..Document::default()
        };
        let out =
            match_document(&doc, &BTreeMap::new(), &store, &GitRepos::new()).expect("matches");
        assert_eq!(out.findings.len(), 1, "{:#?}", out.findings);
        let f = &out.findings[0];
        assert_eq!(f.primary_id(), "CVE-2024-1");
        assert_eq!(f.ids, ["CVE-2024-1", "GHSA-1", "PYSEC-1"]);
        assert_eq!(f.fixed, ["1.5", "2.0"]);
        assert_eq!(
            (f.severity.level, f.severity.score),
            (Level::Critical, Some(9.8))
        );
        let unchecked: Vec<&str> = out.unidentified.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(unchecked, ["mystery", "leftpad"]);
    }

    #[test]
    fn severity_prefers_v3_computed_then_v4_and_v2_as_given() {
        let sev = |kind: &str, score: &str, base: Option<&str>| Severity {
            kind: kind.into(),
            score: score.into(),
            base_score: base.map(str::to_owned),
        };
        let with = |s: Vec<Severity>, label: Option<&str>| Advisory {
            id: "X".into(),
            severity: s,
            severity_label: label.map(str::to_owned),
            ..Advisory::default()
        };
        // NVD's v3.1 vector for CVE-2017-1000376 (9.8, computed) beats its v2 (given 7.5).
        let v3 = sev(
            "CVSS_V3",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            None,
        );
        let v2 = sev("CVSS_V2", "AV:N/AC:L/Au:N/C:P/I:P/A:P", Some("7.5"));
        let a = with(vec![v2.clone(), v3], Some("LOW"));
        let s = severity_of(&[&a]);
        assert_eq!(
            (s.level, s.score, s.how),
            (Level::Critical, Some(9.8), Some("computed"))
        );
        // CVE-2024-8088's v4.0 vector with the score the record gives (8.7), not recomputed.
        let v4 = sev(
            "CVSS_V4",
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N/S:N/AU:N/R:U/RE:L",
            Some("8.7"),
        );
        let s = severity_of(&[&with(vec![v2.clone(), v4.clone()], None)]);
        assert_eq!(
            (s.level, s.score, s.how),
            (Level::High, Some(8.7), Some("given"))
        );
        // The same vector with no score given: computed by the cvss crate.
        let bare = Severity {
            base_score: None,
            ..v4
        };
        let s = severity_of(&[&with(vec![bare], None)]);
        assert_eq!((s.level, s.how), (Level::High, Some("computed")));
        // v2 alone: as given, and 10.0 is high (CVSS v2 has no critical).
        let s = severity_of(&[&with(
            vec![sev("CVSS_V2", "AV:N/AC:L/Au:N/C:C/I:C/A:C", Some("10.0"))],
            None,
        )]);
        assert_eq!((s.level, s.score), (Level::High, Some(10.0)));
        // v2 with no score: computed from the vector as NVD writes it (no prefix).
        let s = severity_of(&[&with(
            vec![sev("CVSS_V2", "AV:N/AC:L/Au:N/C:P/I:P/A:P", None)],
            None,
        )]);
        assert_eq!((s.level, s.score), (Level::High, Some(7.5)));
        // No vector: the label; SSVC rates nothing.
        let ssvc = sev("SSVC", "Exploitation:none/Automatable:no", None);
        let s = severity_of(&[&with(vec![ssvc.clone()], Some("Moderate"))]);
        assert_eq!((s.level, s.score, s.how), (Level::Medium, None, None));
        assert_eq!(
            severity_of(&[&with(vec![ssvc], None)]).level,
            Level::Unknown
        );
    }

    /// A CVE 5 record decides by its linked product statements; with none linked (a vendor
    /// name no table links), by its CPE configurations (`cpeApplicability`), as NVD's; and a
    /// Red Hat-style statement (package `expat` on a RHEL CPE) never speaks for the RHEL CPE.
    #[test]
    fn cve5_records_fall_back_to_their_cpe_applicability() {
        let text = r#"{"cveMetadata":{"cveId":"CVE-2099-7","state":"PUBLISHED"},
          "containers":{"cna":{"affected":[
              {"vendor":"Example Org","product":"libfoo","defaultStatus":"unaffected",
               "versions":[{"status":"affected","version":"0","lessThan":"9.0","versionType":"semver"}]},
              {"vendor":"Red Hat","product":"Red Hat Enterprise Linux 9","packageName":"expat",
               "cpes":["cpe:/o:redhat:enterprise_linux:9::baseos"],"defaultStatus":"affected",
               "versions":[{"status":"unaffected","version":"0:2.5.0-3.el9_5.3","lessThan":"*","versionType":"rpm"}]}],
            "cpeApplicability":[{"nodes":[{"operator":"OR","negate":false,"cpeMatch":[
              {"vulnerable":true,"criteria":"cpe:2.3:a:example:libfoo:*:*:*:*:*:*:*:*","versionEndExcluding":"2.0"}]}]}]}}}"#;
        let Ok(crate::vuln::osv::Parsed::Record(a)) = crate::vuln::cve5::parse(text) else {
            panic!("a CVE 5 record");
        };
        let store = Store::Memory(MemoryIndex::new(LoadedSources {
            records: vec![Loaded {
                source: 0,
                file: "CVE-2099-7.json".into(),
                advisory: *a,
            }],
            ..LoadedSources::default()
        }));
        let cpe = |id: &str, version: &str, cpe: &str| Package {
            id: id.into(),
            name: id.into(),
            version: Some(version.into()),
            external_refs: vec![ExternalRef {
                kind: RefKind::Cpe23,
                locator: cpe.into(),
                comment: None,
            }],
            ..Package::default()
        };
        let doc = Document {
            packages: vec![
                cpe("old", "1.5", "cpe:2.3:a:example:libfoo:1.5:*:*:*:*:*:*:*"),
                cpe("new", "2.0", "cpe:2.3:a:example:libfoo:2.0:*:*:*:*:*:*:*"),
                cpe(
                    "rhel",
                    "9",
                    "cpe:2.3:o:redhat:enterprise_linux:9:*:*:*:*:*:*:*",
                ),
            ],
            ..Document::default()
        };
        let out =
            match_document(&doc, &BTreeMap::new(), &store, &GitRepos::new()).expect("matches");
        let hit: Vec<(&str, &str)> = out
            .findings
            .iter()
            .map(|f| (f.component.id.as_str(), f.records[0].rule.range.as_str()))
            .collect();
        assert_eq!(
            hit,
            [(
                "old",
                "cpe:2.3:a:example:libfoo:*:*:*:*:*:*:*:* versionEndExcluding 2.0"
            )]
        );
        assert!(out.not_evaluable.is_empty(), "{:?}", out.not_evaluable);
    }

    #[test]
    fn purl_types_map_to_osv_ecosystems_and_their_names() {
        assert_eq!(ecosystem_of("deb", Some("Debian")), Some("Debian"));
        assert_eq!(ecosystem_of("rpm", Some("almalinux")), Some("AlmaLinux"));
        assert_eq!(ecosystem_of("deb", None), None);
        assert_eq!(
            record_name("Maven", Some("org.apache"), "log4j"),
            "org.apache:log4j"
        );
        assert_eq!(record_name("npm", Some("@types"), "node"), "@types/node");
        assert_eq!(record_name("PyPI", None, "x"), "x");
    }
}
