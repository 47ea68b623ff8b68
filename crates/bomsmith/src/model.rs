//! The format-neutral SBOM model. Every reader produces it, every writer consumes it.
//!
//! Nothing here knows a JSON field name. Absent optional values mean "no assertion".

use std::fmt;

/// A whole SBOM: metadata, packages, files and the relationships between them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    /// Human-readable name of the document.
    pub name: String,
    /// Unique URI of this document (SPDX namespace; CycloneDX serial number source).
    pub namespace: String,
    /// Creation time, `YYYY-MM-DDThh:mm:ssZ`.
    pub created: String,
    /// Who and what made it: `Tool: x`, `Person: y`, `Organization: z`.
    pub creators: Vec<String>,
    /// Version of the SPDX license list the license expressions refer to (`M.N`).
    pub license_list_version: Option<String>,
    /// License of the document itself (SPDX requires `CC0-1.0`).
    pub data_license: String,
    /// Free-text comment on the document.
    pub comment: Option<String>,
    /// Packages (components).
    pub packages: Vec<Package>,
    /// Files.
    pub files: Vec<File>,
    /// Relationships between the document, packages and files.
    pub relationships: Vec<Relationship>,
    /// Licenses outside the SPDX list that license expressions name as `LicenseRef-...`.
    pub extracted_licenses: Vec<ExtractedLicense>,
    /// Other SPDX documents that relationships name as `DocumentRef-...:SPDXRef-...`.
    pub external_documents: Vec<ExternalDocument>,
}

/// Another SPDX document this one refers to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ExternalDocument {
    /// `DocumentRef-...` identifier used in this document.
    pub id: String,
    /// The other document's namespace URI.
    pub namespace: String,
    /// Checksum of the other document.
    pub checksum: Checksum,
}

impl Document {
    /// Puts every collection whose order carries no meaning into one fixed order, so that two
    /// documents saying the same thing compare equal whatever order their source listed it in.
    pub fn canonicalize(&mut self) {
        self.creators.sort();
        self.creators.dedup();
        for p in &mut self.packages {
            p.checksums.sort();
            p.checksums.dedup();
            p.external_refs.sort();
            p.external_refs.dedup();
        }
        // By ID first (the first field), then by everything else.
        self.packages.sort();
        for f in &mut self.files {
            f.checksums.sort();
            f.checksums.dedup();
        }
        self.files.sort();
        self.relationships.sort();
        self.relationships.dedup();
        for l in &mut self.extracted_licenses {
            l.see_also.sort();
            l.see_also.dedup();
        }
        self.extracted_licenses.sort();
        self.external_documents.sort();
    }

    /// The root packages: those the document describes, in document order.
    pub fn described(&self) -> impl Iterator<Item = &str> {
        self.relationships
            .iter()
            .filter(|r| r.from == DOCUMENT_ID && r.kind == "DESCRIBES")
            .map(|r| r.to.as_str())
    }
}

/// A license that is not on the SPDX license list, declared once and named by its
/// `LicenseRef-` identifier in license expressions.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct ExtractedLicense {
    /// `LicenseRef-...` identifier.
    pub id: String,
    /// The license text as found.
    pub text: String,
    /// A human-readable name.
    pub name: Option<String>,
    /// Free-text comment.
    pub comment: Option<String>,
    /// URLs where the license can be read.
    pub see_also: Vec<String>,
}

/// Identifier of the document itself, as a relationship endpoint.
pub const DOCUMENT_ID: &str = "SPDXRef-DOCUMENT";

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

/// A file inside the described artifact or tree.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct File {
    /// Document-unique identifier (`SPDXRef-...`).
    pub id: String,
    /// Path relative to the root of the artifact, `/`-separated.
    pub name: String,
    /// Checksums of the file's bytes.
    pub checksums: Vec<Checksum>,
    /// Concluded license expression; `None` is no assertion.
    pub license_concluded: Option<String>,
    /// Copyright text; `None` is no assertion.
    pub copyright_text: Option<String>,
    /// Free-text comment.
    pub comment: Option<String>,
}

impl File {
    /// Hex value of the checksum with algorithm `alg`, if present.
    pub fn checksum(&self, alg: Algorithm) -> Option<&str> {
        find_checksum(&self.checksums, alg)
    }
}

/// Hex value of the checksum with algorithm `alg` in `list`, if present.
pub fn find_checksum(list: &[Checksum], alg: Algorithm) -> Option<&str> {
    list.iter()
        .find(|c| c.algorithm == alg)
        .map(|c| c.value.as_str())
}

/// A checksum: algorithm and lowercase hex value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Checksum {
    /// The algorithm.
    pub algorithm: Algorithm,
    /// Lowercase hexadecimal digest.
    pub value: String,
}

impl Checksum {
    /// A checksum from raw digest bytes.
    pub fn from_bytes(algorithm: Algorithm, bytes: &[u8]) -> Self {
        Checksum {
            algorithm,
            value: crate::digest::hex(bytes),
        }
    }
}

/// Checksum algorithms the model knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[allow(missing_docs)]
pub enum Algorithm {
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
    Sha3_256,
    Sha3_384,
    Sha3_512,
    Blake2b256,
    Blake2b384,
    Blake2b512,
    Blake3,
    Md2,
    Md4,
    Md5,
    Md6,
    Adler32,
}

impl Algorithm {
    /// Every algorithm, in a fixed order.
    pub const ALL: [Algorithm; 17] = [
        Algorithm::Sha1,
        Algorithm::Sha224,
        Algorithm::Sha256,
        Algorithm::Sha384,
        Algorithm::Sha512,
        Algorithm::Sha3_256,
        Algorithm::Sha3_384,
        Algorithm::Sha3_512,
        Algorithm::Blake2b256,
        Algorithm::Blake2b384,
        Algorithm::Blake2b512,
        Algorithm::Blake3,
        Algorithm::Md2,
        Algorithm::Md4,
        Algorithm::Md5,
        Algorithm::Md6,
        Algorithm::Adler32,
    ];

    /// The conventional upper-case name (`SHA256`, `BLAKE2b-256`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha224 => "SHA224",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha384 => "SHA384",
            Algorithm::Sha512 => "SHA512",
            Algorithm::Sha3_256 => "SHA3-256",
            Algorithm::Sha3_384 => "SHA3-384",
            Algorithm::Sha3_512 => "SHA3-512",
            Algorithm::Blake2b256 => "BLAKE2b-256",
            Algorithm::Blake2b384 => "BLAKE2b-384",
            Algorithm::Blake2b512 => "BLAKE2b-512",
            Algorithm::Blake3 => "BLAKE3",
            Algorithm::Md2 => "MD2",
            Algorithm::Md4 => "MD4",
            Algorithm::Md5 => "MD5",
            Algorithm::Md6 => "MD6",
            Algorithm::Adler32 => "ADLER32",
        }
    }

    /// Parses the conventional name, as [`Algorithm::name`] writes it.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }

    /// Length of the hex digest, where fixed.
    pub fn hex_len(self) -> Option<usize> {
        Some(match self {
            Algorithm::Sha1 => 40,
            Algorithm::Sha224 => 56,
            Algorithm::Sha256 | Algorithm::Sha3_256 | Algorithm::Blake2b256 | Algorithm::Blake3 => {
                64
            }
            Algorithm::Sha384 | Algorithm::Sha3_384 | Algorithm::Blake2b384 => 96,
            Algorithm::Sha512 | Algorithm::Sha3_512 | Algorithm::Blake2b512 => 128,
            Algorithm::Md2 | Algorithm::Md4 | Algorithm::Md5 => 32,
            Algorithm::Adler32 => 8,
            Algorithm::Md6 => return None,
        })
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
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

/// A directed relationship `from kind to`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Relationship {
    /// Source element identifier.
    pub from: String,
    /// Relationship type, upper case with `_` (`CONTAINS`, `DEPENDS_ON`, `DESCRIBES`, ...).
    pub kind: String,
    /// Target element identifier (or `NOASSERTION` / `NONE`).
    pub to: String,
}

impl Relationship {
    /// A relationship of type `kind`.
    pub fn new(from: impl Into<String>, kind: &str, to: impl Into<String>) -> Self {
        Relationship {
            from: from.into(),
            kind: kind.to_owned(),
            to: to.into(),
        }
    }
}

/// Relationship types of SPDX 2.3, the model's vocabulary.
pub const RELATIONSHIP_TYPES: &[&str] = &[
    "AMENDS",
    "ANCESTOR_OF",
    "BUILD_DEPENDENCY_OF",
    "BUILD_TOOL_OF",
    "CONTAINED_BY",
    "CONTAINS",
    "COPY_OF",
    "DATA_FILE_OF",
    "DEPENDENCY_MANIFEST_OF",
    "DEPENDENCY_OF",
    "DEPENDS_ON",
    "DESCENDANT_OF",
    "DESCRIBED_BY",
    "DESCRIBES",
    "DEV_DEPENDENCY_OF",
    "DEV_TOOL_OF",
    "DISTRIBUTION_ARTIFACT",
    "DOCUMENTATION_OF",
    "DYNAMIC_LINK",
    "EXAMPLE_OF",
    "EXPANDED_FROM_ARCHIVE",
    "FILE_ADDED",
    "FILE_DELETED",
    "FILE_MODIFIED",
    "GENERATED_FROM",
    "GENERATES",
    "HAS_PREREQUISITE",
    "METAFILE_OF",
    "OPTIONAL_COMPONENT_OF",
    "OPTIONAL_DEPENDENCY_OF",
    "OTHER",
    "PACKAGE_OF",
    "PATCH_APPLIED",
    "PATCH_FOR",
    "PREREQUISITE_FOR",
    "PROVIDED_DEPENDENCY_OF",
    "REQUIREMENT_DESCRIPTION_FOR",
    "RUNTIME_DEPENDENCY_OF",
    "SPECIFICATION_FOR",
    "STATIC_LINK",
    "TEST_CASE_OF",
    "TEST_DEPENDENCY_OF",
    "TEST_OF",
    "TEST_TOOL_OF",
    "VARIANT_OF",
];
