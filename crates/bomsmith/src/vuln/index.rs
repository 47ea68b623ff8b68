//! Finding records by package or repository, from raw sources held in memory or from the
//! SQLite database: the matcher asks the same questions of both.

use super::db::Database;
use super::git::normalize_repo;
use super::source::{LoadedSources, Problem, SourceSummary};
use crate::error::Result;
use crate::ident::pep503;
use crate::model::vuln::Advisory;
use std::collections::HashMap;
use std::sync::Arc;

/// The key a package is indexed under: the ecosystem without its release suffix (`Debian:12`
/// is `Debian`) and the name as the ecosystem compares it (PyPI names PEP 503-normalised).
pub fn package_key(ecosystem: &str, name: &str) -> (String, String) {
    let family = ecosystem.split(':').next().unwrap_or(ecosystem).trim();
    let name = match family {
        "PyPI" => pep503(name),
        _ => name.to_owned(),
    };
    (family.to_owned(), name)
}

/// The family CPE-described records are indexed under; the name is `vendor:product`.
pub const CPE_FAMILY: &str = "CPE";

/// The key a CPE's vendor and product are indexed under (both as the CPE name holds them:
/// escapes removed, lower-cased).
pub fn cpe_key(vendor: &str, product: &str) -> (String, String) {
    (CPE_FAMILY.to_owned(), format!("{vendor}:{product}"))
}

/// The family NVD records nobody has analysed yet are indexed under: one key per word of their
/// English description (lower-cased runs of letters, digits, `_`, `+`, `-`), so that a
/// component's CPE product (`libexpat`) finds the records that name it. Never findings: a
/// count of what may concern the component, for a person to read.
pub const UNANALYSED_FAMILY: &str = "NVD-unanalysed";

/// Whether a record is one NVD has not analysed: no CPE configuration, and a status that says
/// so (`Received`, `Awaiting Analysis`, `Undergoing Analysis`, `Deferred`).
pub fn is_unanalysed(a: &Advisory) -> bool {
    a.configurations.is_empty()
        && matches!(
            a.status.as_deref(),
            Some("Received" | "Awaiting Analysis" | "Undergoing Analysis" | "Deferred")
        )
}

/// The words of a text as [`UNANALYSED_FAMILY`] keys them.
pub fn words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '-')))
        .map(|w| w.trim_matches('-').to_ascii_lowercase())
        .filter(|w| w.len() >= 2)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Every key a record is indexed under, sorted, once each: its affected packages, the vendor
/// and product of each vulnerable CPE match of its configurations (where both are plain
/// values: a match with a wildcard vendor or product names no product and is never looked up),
/// the identifiers of its CVE 5 product statements ([`super::cve5::product_keys`]), and for a
/// record NVD has not analysed, the words of its description.
pub fn package_keys(a: &Advisory) -> Vec<(String, String)> {
    let mut keys: Vec<(String, String)> = a
        .affected
        .iter()
        .filter_map(|x| x.package.as_ref())
        .map(|p| package_key(&p.ecosystem, &p.name))
        .collect();
    for m in a
        .configurations
        .iter()
        .flat_map(|c| &c.nodes)
        .flat_map(|n| &n.matches)
        .filter(|m| m.vulnerable)
    {
        if let Ok(name) = crate::ident::CpeName::parse(&m.criteria)
            && let (Some(v), Some(p)) = (name.vendor().literal(), name.product().literal())
        {
            keys.push(cpe_key(v, p));
        }
    }
    for p in &a.products {
        keys.extend(super::cve5::product_keys(p));
    }
    if is_unanalysed(a) {
        for w in words(a.summary.as_deref().unwrap_or_default()) {
            keys.push((UNANALYSED_FAMILY.to_owned(), w));
        }
    }
    keys.sort();
    keys.dedup();
    keys
}

/// The repositories of the GIT ranges of a record's affected entries that name no package
/// (the PSF's CPython records) and of its CVE 5 product statements, normalised.
pub fn unpackaged_repos(a: &Advisory) -> Vec<String> {
    let mut out: Vec<String> = a
        .affected
        .iter()
        .filter(|x| x.package.is_none())
        .flat_map(|x| x.ranges.iter())
        .filter_map(|r| r.repo.as_deref())
        .map(normalize_repo)
        .chain(a.products.iter().filter_map(super::cve5::product_repo))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// A record found for a query, with the file it came from.
#[derive(Debug, Clone)]
pub struct Found {
    /// The file (or source member) the record was read from.
    pub file: String,
    /// The record.
    pub advisory: Arc<Advisory>,
}

/// Records held in memory, indexed.
#[derive(Debug, Default)]
pub struct MemoryIndex {
    records: Vec<Found>,
    by_package: HashMap<(String, String), Vec<usize>>,
    by_repo: HashMap<String, Vec<usize>>,
    sources: Vec<SourceSummary>,
    problems: Vec<Problem>,
}

impl MemoryIndex {
    /// Indexes loaded sources; withdrawn records are counted in the sources, never indexed.
    pub fn new(loaded: LoadedSources) -> Self {
        let mut index = MemoryIndex {
            sources: loaded.sources,
            problems: loaded.problems,
            ..MemoryIndex::default()
        };
        for l in loaded.records {
            if l.advisory.withdrawn.is_some() {
                continue;
            }
            let at = index.records.len();
            for k in package_keys(&l.advisory) {
                index.by_package.entry(k).or_default().push(at);
            }
            for r in unpackaged_repos(&l.advisory) {
                index.by_repo.entry(r).or_default().push(at);
            }
            index.records.push(Found {
                file: l.file,
                advisory: Arc::new(l.advisory),
            });
        }
        index
    }
}

/// The records for a set of package keys and repositories, found in one pass.
#[derive(Debug, Default)]
pub struct Lookup {
    /// Records per package key ([`package_key`]).
    pub packages: HashMap<(String, String), Vec<Found>>,
    /// Records per normalised repository.
    pub repos: HashMap<String, Vec<Found>>,
}

/// Where records come from: raw sources read now, or a database built before.
#[derive(Debug)]
pub enum Store {
    /// Raw sources, loaded and indexed in memory.
    Memory(MemoryIndex),
    /// A database built by `db build`.
    Database(Database),
}

impl Store {
    /// Records naming the package `(family, name)` as [`package_key`] gives it.
    pub fn by_package(&self, family: &str, name: &str) -> Result<Vec<Found>> {
        match self {
            Store::Memory(m) => Ok(m
                .by_package
                .get(&(family.to_owned(), name.to_owned()))
                .map(|ids| ids.iter().map(|&i| m.records[i].clone()).collect())
                .unwrap_or_default()),
            Store::Database(d) => d.by_package(family, name),
        }
    }

    /// Records whose package-less entries have GIT ranges in `repo` (normalised).
    pub fn by_repo(&self, repo: &str) -> Result<Vec<Found>> {
        match self {
            Store::Memory(m) => Ok(m
                .by_repo
                .get(repo)
                .map(|ids| ids.iter().map(|&i| m.records[i].clone()).collect())
                .unwrap_or_default()),
            Store::Database(d) => d.by_repo(repo),
        }
    }

    /// The records of every package key and repository in one pass: for a database one query
    /// each, each record read once however many keys name it.
    pub fn lookup(&self, packages: &[(String, String)], repos: &[String]) -> Result<Lookup> {
        match self {
            Store::Memory(m) => {
                let mut out = Lookup::default();
                for k in packages {
                    if let Some(ids) = m.by_package.get(k) {
                        out.packages.insert(
                            k.clone(),
                            ids.iter().map(|&i| m.records[i].clone()).collect(),
                        );
                    }
                }
                for r in repos {
                    if let Some(ids) = m.by_repo.get(r) {
                        out.repos.insert(
                            r.clone(),
                            ids.iter().map(|&i| m.records[i].clone()).collect(),
                        );
                    }
                }
                Ok(out)
            }
            Store::Database(d) => d.lookup(packages, repos),
        }
    }

    /// The sources the records came from.
    pub fn sources(&self) -> Vec<SourceSummary> {
        match self {
            Store::Memory(m) => m.sources.clone(),
            Store::Database(d) => d.sources().to_vec(),
        }
    }

    /// Records that could not be loaded.
    pub fn problems(&self) -> Vec<Problem> {
        match self {
            Store::Memory(m) => m.problems.clone(),
            Store::Database(d) => d.problems().to_vec(),
        }
    }
}
