//! Packages (components) and their external identifiers.

use super::Checksum;

/// A package: the artifact itself, a vendored component, a dependency.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Package {
    /// Document-unique identifier (`SPDXRef-...`).
    pub id: String,
    /// Package name.
    pub name: String,
    /// Version, when known.
    pub version: Option<String>,
    /// File name of the artifact this package was distributed as.
    pub file_name: Option<String>,
    /// Who distributes it (`Organization: X` / `Person: Y`); `None` is no assertion.
    pub supplier: Option<String>,
    /// Who originally made it.
    pub originator: Option<String>,
    /// Where it can be downloaded; `None` is no assertion.
    pub download_location: Option<String>,
    /// Project home page.
    pub homepage: Option<String>,
    /// Whether the files of the package were examined and are listed.
    pub files_analyzed: bool,
    /// SPDX package verification code (hex SHA-1), when files were analysed.
    pub verification_code: Option<String>,
    /// Checksums of the package artifact.
    pub checksums: Vec<Checksum>,
    /// Concluded license expression; `None` is no assertion.
    pub license_concluded: Option<String>,
    /// Declared license expression; `None` is no assertion.
    pub license_declared: Option<String>,
    /// Copyright text; `None` is no assertion.
    pub copyright_text: Option<String>,
    /// Short summary.
    pub summary: Option<String>,
    /// Longer description.
    pub description: Option<String>,
    /// Free-text comment.
    pub comment: Option<String>,
    /// Where the package came from, in words.
    pub source_info: Option<String>,
    /// PURL, CPE and other external identifiers.
    pub external_refs: Vec<ExternalRef>,
    /// What the package is for.
    pub purpose: Option<Purpose>,
    /// Release date (`YYYY-MM-DDThh:mm:ssZ`).
    pub release_date: Option<String>,
    /// What in the input shows the package is there, when it was found rather than declared.
    pub evidence: Option<Evidence>,
}

/// Evidence of a package's identity: how it was found, how sure that is, and where.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Evidence {
    /// How it was found (CycloneDX technique names: `source-code-analysis`, `filename`...).
    pub technique: String,
    /// Confidence in per cent (0 to 100).
    pub confidence: u8,
    /// The places that show it, the statement of the version first.
    pub occurrences: Vec<Occurrence>,
}

/// A place in the input that shows a package is there.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Occurrence {
    /// The file, from the input's root.
    pub location: String,
    /// 1-based line, when the place is a line.
    pub line: Option<u64>,
    /// What is there, in words.
    pub text: Option<String>,
}

impl Package {
    /// The first PURL of this package, if any.
    pub fn purl(&self) -> Option<&str> {
        self.external_refs
            .iter()
            .find(|r| r.kind == RefKind::Purl)
            .map(|r| r.locator.as_str())
    }

    /// The first CPE 2.3 of this package, if any.
    pub fn cpe(&self) -> Option<&str> {
        self.external_refs
            .iter()
            .find(|r| r.kind == RefKind::Cpe23)
            .map(|r| r.locator.as_str())
    }
}

/// An external identifier of a package.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ExternalRef {
    /// What kind of identifier.
    pub kind: RefKind,
    /// The identifier itself.
    pub locator: String,
    /// Free-text comment.
    pub comment: Option<String>,
}

impl ExternalRef {
    /// A PURL reference.
    pub fn purl(locator: impl Into<String>) -> Self {
        ExternalRef {
            kind: RefKind::Purl,
            locator: locator.into(),
            comment: None,
        }
    }

    /// A CPE 2.3 reference.
    pub fn cpe23(locator: impl Into<String>) -> Self {
        ExternalRef {
            kind: RefKind::Cpe23,
            locator: locator.into(),
            comment: None,
        }
    }
}

/// Kinds of external identifiers.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum RefKind {
    /// Package URL.
    Purl,
    /// CPE 2.3 formatted string.
    Cpe23,
    /// CPE 2.2 URI.
    Cpe22,
    /// SWHID (Software Heritage).
    Swhid,
    /// Gitoid.
    Gitoid,
    /// Any other reference: its category and type as the source format names them.
    Other {
        /// Category (`SECURITY`, `PACKAGE-MANAGER`, `PERSISTENT-ID`, `OTHER`).
        category: String,
        /// Type name.
        kind: String,
    },
}

/// What a package is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[allow(missing_docs)]
pub enum Purpose {
    Application,
    Framework,
    Library,
    Container,
    OperatingSystem,
    Device,
    Firmware,
    Source,
    Archive,
    File,
    Install,
    Other,
}

impl Purpose {
    /// Every purpose, in a fixed order.
    pub const ALL: [Purpose; 12] = [
        Purpose::Application,
        Purpose::Framework,
        Purpose::Library,
        Purpose::Container,
        Purpose::OperatingSystem,
        Purpose::Device,
        Purpose::Firmware,
        Purpose::Source,
        Purpose::Archive,
        Purpose::File,
        Purpose::Install,
        Purpose::Other,
    ];

    /// Upper-case name with `_` (`OPERATING_SYSTEM`).
    pub fn name(self) -> &'static str {
        match self {
            Purpose::Application => "APPLICATION",
            Purpose::Framework => "FRAMEWORK",
            Purpose::Library => "LIBRARY",
            Purpose::Container => "CONTAINER",
            Purpose::OperatingSystem => "OPERATING_SYSTEM",
            Purpose::Device => "DEVICE",
            Purpose::Firmware => "FIRMWARE",
            Purpose::Source => "SOURCE",
            Purpose::Archive => "ARCHIVE",
            Purpose::File => "FILE",
            Purpose::Install => "INSTALL",
            Purpose::Other => "OTHER",
        }
    }

    /// Parses [`Purpose::name`]'s form.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name() == name)
    }
}
