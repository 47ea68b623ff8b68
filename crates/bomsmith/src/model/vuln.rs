//! Vulnerability records, as the advisory sources state them (OSV's shape, which NVD and CVE 5
//! records are later mapped onto). Format-neutral: readers in `vuln` fill it; the matcher and
//! the database read it. Serialisable so that the database can keep each record whole.

use serde::{Deserialize, Serialize};

/// One advisory record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Advisory {
    /// The record's own ID (`PYSEC-2023-121`, `PSF-2024-3`, `GHSA-...`).
    pub id: String,
    /// IDs of the same vulnerability in other databases (`CVE-2022-4899`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// IDs of records this one is derived from (OSV `upstream`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub upstream: Vec<String>,
    /// When the record was last changed (RFC 3339, as given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    /// When the record was published (RFC 3339, as given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// When the record was withdrawn; a withdrawn record is never reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<String>,
    /// One-line summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Severity scores given for the whole record.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub severity: Vec<Severity>,
    /// A qualitative severity the database states (`HIGH`), when it gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity_label: Option<String>,
    /// What the record says is affected.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub affected: Vec<Affected>,
    /// Reference URLs with their kind (`ADVISORY`, `FIX`, `WEB`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Reference>,
    /// What is vulnerable as CPE configurations (NVD's `configurations`): each configuration
    /// is a tree of CPE matches; a component is affected when one configuration holds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub configurations: Vec<CpeConfig>,
    /// The analysis state the source gives (NVD's `vulnStatus`: `Analyzed`, `Modified`,
    /// `Awaiting Analysis`, ...); `None` for sources that have none (OSV).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// What a CVE JSON 5 record's containers say of each product (`affected[]`), in the
    /// record's order: the CNA's first, then each ADP's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub products: Vec<ProductStatus>,
}

impl Advisory {
    /// The record's ID, aliases and upstream IDs: every name it goes by.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.id.as_str())
            .chain(self.aliases.iter().map(String::as_str))
            .chain(self.upstream.iter().map(String::as_str))
    }
}

/// A severity score: its kind (`CVSS_V3`, `CVSS_V4`, `CVSS_V2`, `SSVC`, `Ubuntu`) and value (a
/// vector or a label).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Severity {
    /// The scoring system.
    pub kind: String,
    /// The score as given (a CVSS vector string, or a label).
    pub score: String,
    /// The base score the source states beside the vector (`7.5`), as written; OSV states
    /// none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_score: Option<String>,
}

/// What one container of a CVE JSON 5 record says of one product: the product's names, and
/// the status of its versions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductStatus {
    /// Who says it: `cna`, or an ADP's short name (`CISA-ADP`).
    pub container: String,
    /// The vendor as written (`Python Software Foundation`; `n/a` when the CNA gives none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    /// The product as written (`CPython`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    /// A package name in `collection_url`'s registry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package_name: Option<String>,
    /// The registry the package name belongs to (`https://pypi.org`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection_url: Option<String>,
    /// The product's source repository.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repo: Option<String>,
    /// CPEs (2.3 formatted strings or 2.2 URIs) the container gives the product.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cpes: Vec<String>,
    /// The status of versions no entry covers (`affected`, `unaffected`, `unknown`); absent
    /// means `unknown`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_status: Option<String>,
    /// The versions and ranges, in the record's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<VersionStatus>,
}

/// One CVE JSON 5 `versions[]` entry: a version, or a range from `version` up to `less_than`
/// (exclusive) or `less_than_or_equal`, with a status and the status changes within it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionStatus {
    /// `affected`, `unaffected` or `unknown`.
    pub status: String,
    /// The version, or the start of the range (`0`: from the first version).
    pub version: String,
    /// The exclusive end of the range (`*`: no end).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub less_than: Option<String>,
    /// The inclusive end of the range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub less_than_or_equal: Option<String>,
    /// The ordering of the versions (`python`, `semver`, `git`, `rpm`, `custom`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_type: Option<String>,
    /// Points in the range where the status changes, in the record's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<StatusChange>,
}

/// A status change inside a CVE JSON 5 range: from `at` on, the status is `status`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    /// The version where it changes.
    pub at: String,
    /// The status from there on.
    pub status: String,
}

/// A reference URL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// Its kind (`ADVISORY`, `FIX`, `REPORT`, `WEB`, ...).
    pub kind: String,
    /// The URL.
    pub url: String,
}

/// One affected package (or, with no package, a repository given by its ranges).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Affected {
    /// The package, when the record names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<AffectedPackage>,
    /// Version ranges.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ranges: Vec<Range>,
    /// Versions listed one by one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<String>,
    /// Severity scores for this package only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub severity: Vec<Severity>,
}

/// A package as an advisory names it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AffectedPackage {
    /// The ecosystem (`PyPI`, `npm`, `Debian:12`).
    pub ecosystem: String,
    /// The name, as the ecosystem spells it.
    pub name: String,
    /// The package URL the record gives, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
}

/// The ordering a range's events are compared by.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RangeKind {
    /// The package ecosystem's own version ordering.
    Ecosystem,
    /// Semantic Versioning 2.0.0.
    Semver,
    /// Commits of a git repository, ordered by ancestry.
    Git,
    /// A kind this version of bomsmith does not know; never evaluated.
    Other(String),
}

impl RangeKind {
    /// The name OSV gives the kind.
    pub fn name(&self) -> &str {
        match self {
            RangeKind::Ecosystem => "ECOSYSTEM",
            RangeKind::Semver => "SEMVER",
            RangeKind::Git => "GIT",
            RangeKind::Other(s) => s,
        }
    }
}

/// A range: events on one timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Range {
    /// How the events are ordered.
    pub kind: RangeKind,
    /// The repository (GIT ranges).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repo: Option<String>,
    /// The events, in the record's order.
    pub events: Vec<Event>,
}

/// A point on a range's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    /// Versions from here on are affected (`0`: from the beginning).
    Introduced(String),
    /// Versions from here on are not affected.
    Fixed(String),
    /// The last affected version; later ones are not.
    LastAffected(String),
    /// Versions from here on are outside the range (an upper bound on what it covers).
    Limit(String),
}

impl Event {
    /// The event's version or commit.
    pub fn value(&self) -> &str {
        match self {
            Event::Introduced(v) | Event::Fixed(v) | Event::LastAffected(v) | Event::Limit(v) => v,
        }
    }

    /// The name OSV gives the event.
    pub fn name(&self) -> &'static str {
        match self {
            Event::Introduced(_) => "introduced",
            Event::Fixed(_) => "fixed",
            Event::LastAffected(_) => "last_affected",
            Event::Limit(_) => "limit",
        }
    }
}

/// How a configuration or node combines its parts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Operator {
    /// Any part holds.
    #[default]
    Or,
    /// Every part holds.
    And,
}

/// One CPE configuration: its nodes combined by `operator`, the result negated if `negate`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CpeConfig {
    /// How the nodes combine.
    #[serde(default)]
    pub operator: Operator,
    /// Whether the result is negated.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub negate: bool,
    /// The nodes.
    pub nodes: Vec<CpeNode>,
}

/// A node: its CPE matches combined by `operator`, the result negated if `negate`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CpeNode {
    /// How the matches combine.
    #[serde(default)]
    pub operator: Operator,
    /// Whether the result is negated.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub negate: bool,
    /// The CPE matches.
    pub matches: Vec<CpeMatch>,
}

/// One CPE match: a CPE (with ANY version where a range is given) and the version range.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CpeMatch {
    /// Whether what it names is vulnerable (`false`: a platform it must run on).
    pub vulnerable: bool,
    /// The CPE 2.3 formatted string.
    pub criteria: String,
    /// Lowest affected version, inclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_including: Option<String>,
    /// Lowest affected version, exclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_excluding: Option<String>,
    /// Highest affected version, inclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_including: Option<String>,
    /// Highest affected version, exclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_excluding: Option<String>,
}
