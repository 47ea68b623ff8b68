//! VEX statements, format-neutral: what a supplier says about whether a vulnerability affects
//! its products. Readers of OpenVEX, CycloneDX VEX and CSAF VEX fill it; their writers, the
//! in-tree store and the matcher's `--vex` read it. The status and justification vocabulary is
//! CISA's (as OpenVEX spells it); the other formats' terms are mapped in `format`.

use serde::{Deserialize, Serialize};

/// A VEX document: who says it, when, and its statements in order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VexDocument {
    /// The document's own identifier (OpenVEX `@id`, CycloneDX `serialNumber`, CSAF
    /// `tracking.id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Who wrote it (a person, an organisation, a tool run).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// The author's role (`Document Creator`, a CSAF publisher category).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// When it was first issued (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// When it was last changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_updated: Option<String>,
    /// Its version (OpenVEX's integer, CycloneDX's `version`, CSAF's `tracking.version`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The tool that wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tooling: Option<String>,
    /// The statements, in the document's order.
    #[serde(default)]
    pub statements: Vec<Statement>,
}

/// One statement: the status of one vulnerability in some products.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    /// An IRI naming the statement (OpenVEX `@id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The vulnerability.
    pub vulnerability: Vulnerability,
    /// The products it speaks of (each possibly narrowed to subcomponents).
    #[serde(default)]
    pub products: Vec<Product>,
    /// The status.
    pub status: Status,
    /// Why a product is not affected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub justification: Option<Justification>,
    /// How the product is (not) affected, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impact_statement: Option<String>,
    /// What to do about an affected product.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_statement: Option<String>,
    /// When the action statement was written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_statement_timestamp: Option<String>,
    /// Notes on the status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_notes: Option<String>,
    /// Who supplies the product.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplier: Option<String>,
    /// When the statement was made (RFC 3339); inherits the document's when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// When it was last changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_updated: Option<String>,
}

/// A vulnerability: its ID and the other names it goes by.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Vulnerability {
    /// Its ID (`CVE-2025-59375`, `GHSA-...`).
    pub name: String,
    /// A URI naming it (OpenVEX `@id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    /// Other IDs of it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl Vulnerability {
    /// Its ID and aliases.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

/// A product (or subcomponent) a statement names: by an IRI (a PURL, a CPE, a BOM-Link to an
/// element of an SBOM), with further identifiers and hashes where given.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Product {
    /// The identifier the statement names it by (OpenVEX `@id`; a CycloneDX `affects.ref`; a
    /// CSAF product's PURL or CPE, else its product ID).
    pub id: String,
    /// A name for people (a CSAF product name, a CycloneDX component name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A PURL for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
    /// A CPE 2.3 formatted string for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpe: Option<String>,
    /// Hashes of it: (algorithm as the format names it, hex value), sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hashes: Vec<(String, String)>,
    /// The versions of it the statement is about, each a version or a `vers:` range (CycloneDX
    /// `affects[].versions`): empty means the product as the ID names it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<String>,
    /// The parts of it the statement is about (OpenVEX `subcomponents`; a CSAF relationship's
    /// component): empty means the product as a whole.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subcomponents: Vec<Product>,
}

impl Product {
    /// A product named by one identifier.
    pub fn named(id: impl Into<String>) -> Product {
        Product {
            id: id.into(),
            ..Product::default()
        }
    }

    /// Every identifier it is named by: its ID, PURL and CPE.
    pub fn identifiers(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.id.as_str())
            .chain(self.purl.as_deref())
            .chain(self.cpe.as_deref())
    }
}

/// A statement's status (CISA's four).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The product is not affected.
    NotAffected,
    /// The product is affected.
    Affected,
    /// The product contains a fix.
    Fixed,
    /// Not yet known.
    #[default]
    UnderInvestigation,
}

impl Status {
    /// Every status, in the order above.
    pub const ALL: [Status; 4] = [
        Status::NotAffected,
        Status::Affected,
        Status::Fixed,
        Status::UnderInvestigation,
    ];

    /// The name OpenVEX and CISA give it (`not_affected`).
    pub fn name(self) -> &'static str {
        match self {
            Status::NotAffected => "not_affected",
            Status::Affected => "affected",
            Status::Fixed => "fixed",
            Status::UnderInvestigation => "under_investigation",
        }
    }

    /// Parses a name as [`Status::name`] gives it.
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.name() == s)
    }
}

/// Why a product is not affected (CISA's five justifications).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Justification {
    /// The vulnerable component is not in the product.
    ComponentNotPresent,
    /// The component is there, the vulnerable code is not.
    VulnerableCodeNotPresent,
    /// The vulnerable code is there and never runs.
    VulnerableCodeNotInExecutePath,
    /// The vulnerable code runs, and an attacker cannot reach it with their input.
    VulnerableCodeCannotBeControlledByAdversary,
    /// The product has mitigations that stop the exploit.
    InlineMitigationsAlreadyExist,
}

impl Justification {
    /// Every justification, in the order above.
    pub const ALL: [Justification; 5] = [
        Justification::ComponentNotPresent,
        Justification::VulnerableCodeNotPresent,
        Justification::VulnerableCodeNotInExecutePath,
        Justification::VulnerableCodeCannotBeControlledByAdversary,
        Justification::InlineMitigationsAlreadyExist,
    ];

    /// The name OpenVEX, CISA and CSAF's flags give it (`vulnerable_code_not_present`).
    pub fn name(self) -> &'static str {
        match self {
            Justification::ComponentNotPresent => "component_not_present",
            Justification::VulnerableCodeNotPresent => "vulnerable_code_not_present",
            Justification::VulnerableCodeNotInExecutePath => "vulnerable_code_not_in_execute_path",
            Justification::VulnerableCodeCannotBeControlledByAdversary => {
                "vulnerable_code_cannot_be_controlled_by_adversary"
            }
            Justification::InlineMitigationsAlreadyExist => "inline_mitigations_already_exist",
        }
    }

    /// Parses a name as [`Justification::name`] gives it.
    pub fn parse(s: &str) -> Option<Justification> {
        Justification::ALL.into_iter().find(|x| x.name() == s)
    }
}

impl Statement {
    /// The status rules: `not_affected` needs a justification or an impact statement;
    /// `affected` needs an action statement; a statement names a vulnerability and at least
    /// one product. Empty when it keeps them.
    pub fn rule_breaks(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.vulnerability.name.trim().is_empty() {
            out.push("the statement names no vulnerability".to_owned());
        }
        if self.products.is_empty() {
            out.push("the statement names no product".to_owned());
        }
        let blank = |s: &Option<String>| s.as_deref().is_none_or(|t| t.trim().is_empty());
        match self.status {
            Status::NotAffected
                if self.justification.is_none() && blank(&self.impact_statement) =>
            {
                out.push(
                    "a `not_affected` statement needs a justification or an impact statement"
                        .to_owned(),
                );
            }
            Status::Affected if blank(&self.action_statement) => {
                out.push("an `affected` statement needs an action statement".to_owned());
            }
            _ => {}
        }
        out
    }
}

/// The comment that marks a package's `SECURITY`/`advisory` reference as the link to its VEX
/// document (CycloneDX writes it as an `exploitability-statement` external reference).
pub const VEX_REFERENCE_COMMENT: &str = "VEX: exploitability statements for this package";

/// A VEX statement applied to a finding: what it says and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VexMark {
    /// The status the statement gives.
    pub status: Status,
    /// Its justification.
    pub justification: Option<Justification>,
    /// Its impact statement.
    pub impact_statement: Option<String>,
    /// Its action statement.
    pub action_statement: Option<String>,
    /// The vulnerability ID the statement names.
    pub vulnerability: String,
    /// The product (and subcomponent) it names, as written.
    pub product: String,
    /// The file it was read from.
    pub source: String,
}

impl VexMark {
    /// Whether the finding is settled by it (`not_affected` or `fixed`): shown and counted, but
    /// not what `--fail-on` counts.
    pub fn settles(&self) -> bool {
        matches!(self.status, Status::NotAffected | Status::Fixed)
    }
}
