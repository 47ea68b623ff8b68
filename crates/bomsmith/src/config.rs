//! Project configuration (`bomsmith.toml`) and bundled presets.
//!
//! Unknown keys are errors, and every error carries the line and column it is about.

use crate::error::{Error, Result};
use serde::Deserialize;
use std::path::Path;
use toml::Spanned;

/// The whole configuration. Every section is optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Document-level settings.
    #[serde(default)]
    pub document: DocumentConfig,
    /// The package that stands for the scanned artifact or tree.
    #[serde(default)]
    pub root: RootConfig,
    /// What to read.
    #[serde(default)]
    pub scan: ScanConfig,
    /// SBOMs inside the scanned tree whose packages and file ownership are taken over.
    #[serde(default)]
    pub in_tree_sbom: Vec<InTreeSbom>,
    /// Python wheels bundled in the tree, each one package (plus what it vendors).
    #[serde(default)]
    pub bundled_wheel: Vec<BundledWheel>,
    /// Values set on every package of the document.
    #[serde(default)]
    pub every_package: EveryPackage,
    /// Values for the packages of one name, over what the input says of them.
    #[serde(default)]
    pub package: Vec<PackageConfig>,
    /// Statements only CycloneDX output has a place for (BSI TR-03183-2's component
    /// properties, the completeness of dependencies).
    #[serde(default)]
    pub cyclonedx: CycloneDxConfig,
    /// The project's VEX statements.
    #[serde(default)]
    pub vex: VexConfig,
    /// How the source a binary artifact was built from (`scan --source`) declares what the
    /// artifact holds, to cross-check.
    #[serde(default)]
    pub source: SourceConfig,
    /// Where the configuration came from, to place findings about it.
    #[serde(skip)]
    pub origin: Origin,
}

/// The name and line starts of a configuration's text.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    /// File path or `preset:NAME`.
    pub name: String,
    line_starts: Vec<usize>,
}

impl Origin {
    fn new(name: &str, text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Origin {
            name: name.to_owned(),
            line_starts,
        }
    }

    /// 1-based line and column of a byte offset (columns count bytes).
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let column = offset - self.line_starts.get(line - 1).copied().unwrap_or(0) + 1;
        (line, column)
    }
}

/// `[document]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentConfig {
    /// Document name (template); default `{name}-{version}`, or `{name}` without a version.
    pub name: Option<Spanned<String>>,
    /// Document namespace URI (template); default derived from the content's SHA-256.
    pub namespace: Option<Spanned<String>>,
    /// Creators besides bomsmith itself (`Person: ...`, `Organization: ...`).
    #[serde(default)]
    pub creators: Vec<String>,
}

/// `[root]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RootConfig {
    /// Package name; default from the artifact's file name (`NAME-VERSION.EXT`) or directory.
    pub name: Option<String>,
    /// SPDX ID; default `SPDXRef-PACKAGE-<name>`.
    pub id: Option<String>,
    /// Version; default from the artifact's file name.
    pub version: Option<String>,
    /// `Organization: X` or `Person: Y`.
    pub supplier: Option<String>,
    /// `Organization: X` or `Person: Y`.
    pub originator: Option<String>,
    /// Concluded license expression.
    pub license_concluded: Option<String>,
    /// Declared license expression.
    pub license_declared: Option<String>,
    /// Copyright text.
    pub copyright_text: Option<String>,
    /// Home page URL.
    pub homepage: Option<String>,
    /// Download location (template).
    pub download_location: Option<Spanned<String>>,
    /// CPE 2.3 (template).
    pub cpe: Option<Spanned<String>>,
    /// Package URL (template).
    pub purl: Option<Spanned<String>>,
    /// Primary purpose (`SOURCE`, `APPLICATION`, ...).
    pub purpose: Option<Spanned<String>>,
    /// The name binary identification gives the project the artifact is a build of (a row of
    /// the signature table, `CPython`): the root takes that component's version, read from the
    /// binary, and stands for it (the component is not listed a second time).
    pub found: Option<String>,
    /// Builds of the project that its files tell apart (free-threaded, debug): each one whose
    /// `file` pattern matches a file of the artifact, or whose `artifact` pattern matches the
    /// artifact's own file name, is named in the root's summary.
    #[serde(default)]
    pub variant: Vec<VariantConfig>,
    /// A regular expression over the artifact's file name whose first group is the version,
    /// for names that do not follow `NAME-VERSION.EXT` (`python-3.13.2-embed-amd64.zip`);
    /// used when no binary states the version (`found`).
    pub version_from_name: Option<Pattern>,
    /// Whether a `download_location` template naming the artifact's file (`{artifact}`,
    /// `{release_file}`) applies to a directory too (default true); false leaves a scanned
    /// directory's download location unknown, as for an installed layout.
    pub directory_download: Option<bool>,
}

/// `[[root.variant]]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VariantConfig {
    /// What the build is called (`free-threaded`).
    pub name: String,
    /// Regular expression over file paths (from the artifact's root) that only this build has.
    pub file: Option<Pattern>,
    /// Regular expression over the artifact's own file name, for builds named so.
    pub artifact: Option<Pattern>,
}

/// `[source]`: how to read the source release a binary artifact was built from.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    /// SBOMs in the source tree declaring the components built in, from its root, in order:
    /// a component declared in more than one takes the first declaration (the external
    /// dependencies a build fetches before the copies kept in the tree).
    #[serde(default)]
    pub sboms: Vec<String>,
    /// The file stating the project's own version, from the source's root.
    pub version_file: Option<String>,
    /// Regular expression whose first group is the version, in `version_file`.
    pub version_pattern: Option<Pattern>,
    /// Names the source's SBOMs give components, mapped to the names binary identification
    /// gives them (`tcl-core` = `tcl`).
    #[serde(default)]
    pub aliases: std::collections::BTreeMap<String, String>,
}

/// `[scan]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScanConfig {
    /// Paths to leave out (globs: without `/` a name at any depth, with `/` a path from the
    /// root; a directory left out takes its contents with it).
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Drop the single top-level directory of an archive from file names (default: when every
    /// member is under one).
    pub strip_root_dir: Option<bool>,
    /// Levels of archives inside the input (recognised by content) whose files are listed too,
    /// as `outer!inner/path`; 0 lists them as files only (default 3).
    pub nested_depth: Option<usize>,
    /// Look for copies of libraries kept in the source (default true); a binary artifact
    /// holds none, and a licence file beside its binaries is not a library's copy.
    pub vendored: Option<bool>,
}

/// `[[in_tree_sbom]]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InTreeSbom {
    /// Path of the SPDX 2.3 JSON document inside the scanned tree.
    pub path: Spanned<String>,
    /// Fail when it is absent (default true).
    #[serde(default = "yes")]
    pub required: bool,
    /// Vendored components whose files this document lists (`bomsmith vendor`).
    #[serde(default)]
    pub component: Vec<VendorComponent>,
    /// The document lists build-time dependencies named in a script instead of files in the tree
    /// (CPython's `Misc/externals.spdx.json`); `scan` does not take such a document over.
    pub externals: Option<ExternalsSource>,
    /// Package fields every package must have (SPDX 2.3 JSON names); default CPython's list.
    pub required_fields: Option<Vec<String>>,
    /// The value every package's `licenseConcluded` must have, if set.
    pub license_concluded: Option<String>,
    /// The document is completed by another tool (CPython's release tooling adds the name,
    /// namespace, creation info and data licence): `vendor regen` validates its packages,
    /// files and relationships, not those document fields.
    #[serde(default)]
    pub partial: bool,
    /// Where the tree keeps its own table of component file rules; when present and readable
    /// it replaces the `component` includes and excludes given here.
    pub rules_from: Option<RulesFrom>,
}

/// `[in_tree_sbom.rules_from]`: a table of file rules in the tree's own generator script, a
/// Python literal `{"name": Call(include=[...], exclude=[...]), ...}` (read as data, never
/// run).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesFrom {
    /// The script, from the tree root.
    pub file: Spanned<String>,
    /// The module-level variable holding the table.
    pub variable: Spanned<String>,
}

/// Where the component rules of one in-tree SBOM came from (see [`Config::apply_tree_rules`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RulesSource {
    /// Read from the tree's generator.
    Tree {
        /// The in-tree SBOM they are for.
        sbom: String,
        /// The script.
        file: String,
        /// Its variable.
        variable: String,
        /// How many components it lists.
        components: usize,
    },
    /// The configuration's own table, because the generator is absent or unreadable.
    Bundled {
        /// The in-tree SBOM they are for.
        sbom: String,
        /// The script.
        file: String,
        /// The configuration used instead (`preset:cpython`, a file name).
        config: String,
        /// Why: `None` when the file is absent, else the place and the reason.
        unreadable: Option<String>,
    },
}

/// `[[in_tree_sbom.component]]`: one vendored component.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VendorComponent {
    /// The package name in the in-tree SBOM.
    pub name: Spanned<String>,
    /// Globs of its files, from the tree root (`**` crosses directories; hidden names need a
    /// pattern that names them).
    pub include: Vec<Spanned<String>>,
    /// Globs of files under the includes that are not the component's own.
    #[serde(default)]
    pub exclude: Vec<Spanned<String>>,
    /// A built-in version detector (`bomsmith vendor detectors`), or `"none"` when the source
    /// does not state its version. Default: the detector named like the component, if any.
    pub detector: Option<Spanned<String>>,
    /// A file (from the tree root) that states the version; needs `version_pattern`.
    pub version_file: Option<Spanned<String>>,
    /// A regular expression run over `version_file`; its capture groups, joined with `.`, are
    /// the version.
    pub version_pattern: Option<Pattern>,
    /// When the name, includes and excludes were read from the tree's generator
    /// (`rules_from`), the text they were read from; their spans are offsets into it.
    #[serde(skip)]
    pub rules_origin: Option<std::sync::Arc<Origin>>,
}

impl VendorComponent {
    /// The text the spans of `name`, `include` and `exclude` point into.
    pub fn rules_origin<'a>(&'a self, config: &'a Origin) -> &'a Origin {
        self.rules_origin.as_deref().unwrap_or(config)
    }
}

/// A regular expression from the configuration, compiled once as it is read (so a bad one is
/// an error at its line and column).
#[derive(Debug, Clone)]
pub struct Pattern {
    /// The expression as written.
    pub source: Spanned<String>,
    /// The compiled expression.
    pub regex: regex::Regex,
}

impl<'de> Deserialize<'de> for Pattern {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let source = Spanned::<String>::deserialize(d)?;
        let regex = regex::Regex::new(source.get_ref())
            .map_err(|e| serde::de::Error::custom(format!("invalid regular expression: {e}")))?;
        Ok(Pattern { source, regex })
    }
}

/// `[in_tree_sbom.externals]`: where the list of external dependencies comes from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExternalsSource {
    /// The script listing them, from the tree root.
    pub file: Spanned<String>,
    /// Regular expression whose first group is one `NAME-VERSION` tag.
    pub pattern: Pattern,
    /// Download URL of a tag (`{tag}`, `{name}`, `{version}` placeholders).
    pub download_location: Spanned<String>,
}

/// `[[bundled_wheel]]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundledWheel {
    /// Glob of the wheel's path inside the scanned tree.
    pub path: Spanned<String>,
    /// Fail when no file matches (default true).
    #[serde(default = "yes")]
    pub required: bool,
    /// Originator of the wheel's project.
    pub originator: Option<String>,
    /// CPE 2.3 of the wheel's project (template; `{version}` is the wheel's).
    pub cpe: Option<Spanned<String>>,
    /// Path, inside the wheel, of a `name==version` list of projects the wheel vendors.
    pub vendored: Option<String>,
}

/// `[every_package]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EveryPackage {
    /// Supplier set on every package (the distributor of the artifact supplies all of them).
    pub supplier: Option<String>,
    /// Every package without a file of its own is delivered inside the scanned archive: it
    /// gets the archive's file name, and the archive's checksums of the algorithms it has none
    /// of (its deployable form, as BSI TR-03183-2 asks).
    #[serde(default)]
    pub in_artifact: bool,
    /// With `supplier`: a package whose supplier identification stated (a library's own
    /// publisher) and that has no originator keeps that publisher as its originator.
    #[serde(default)]
    pub publisher_as_originator: bool,
}

/// `[[package]]`: values for every package called `name`, over what the input says of it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackageConfig {
    /// The package name, as the document has it; some package must have it.
    pub name: Spanned<String>,
    /// `Organization: X (email)` or `Person: Y (email)`.
    pub supplier: Option<String>,
    /// `Organization: X (email)` or `Person: Y (email)`: who made it.
    pub originator: Option<String>,
    /// Concluded license expression.
    pub license_concluded: Option<String>,
    /// Declared license expression.
    pub license_declared: Option<String>,
    /// Copyright text.
    pub copyright_text: Option<String>,
}

/// `[cyclonedx]`: what CycloneDX output says of every component (not of files) and of its
/// dependencies. The model has no place for these, so SPDX output and conversions leave them
/// out.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CycloneDxConfig {
    /// `bsi:component:executable`: `executable` or `non-executable`.
    pub executable: Option<Spanned<String>>,
    /// `bsi:component:archive`: `archive` or `no archive`.
    pub archive: Option<Spanned<String>>,
    /// `bsi:component:structured`: `structured` or `unstructured`.
    pub structured: Option<Spanned<String>>,
    /// The `compositions` aggregate for every component's dependencies: `complete`,
    /// `incomplete`, `unknown`, ... (CycloneDX's `aggregateType`).
    pub dependencies: Option<Spanned<String>>,
}

/// `[vex]`: where the project keeps its VEX statements, and who states them.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VexConfig {
    /// The store: an OpenVEX document, its path relative to the configuration file.
    pub store: Option<String>,
    /// The author written into the store when it is created.
    pub author: Option<String>,
    /// Where the VEX document is published (a URL; `{version}` and the other root variables
    /// expand): `scan` names it in the root package (SPDX: a `SECURITY`/`advisory` reference;
    /// CycloneDX: an `exploitability-statement` external reference).
    pub published: Option<String>,
}

/// The values of `[cyclonedx]` keys: the BSI taxonomy's, and CycloneDX 1.6's `aggregateType`.
pub const CYCLONEDX_VALUES: [(&str, &[&str]); 4] = [
    ("executable", &["executable", "non-executable"]),
    ("archive", &["archive", "no archive"]),
    ("structured", &["structured", "unstructured"]),
    (
        "dependencies",
        &[
            "complete",
            "incomplete",
            "incomplete_first_party_only",
            "incomplete_first_party_proprietary_only",
            "incomplete_first_party_opensource_only",
            "incomplete_third_party_only",
            "incomplete_third_party_proprietary_only",
            "incomplete_third_party_opensource_only",
            "unknown",
            "not_specified",
        ],
    ),
];

impl CycloneDxConfig {
    /// The keys that are set, with their values, in [`CYCLONEDX_VALUES`] order.
    pub fn set(&self) -> Vec<(&'static str, &Spanned<String>)> {
        [
            ("executable", &self.executable),
            ("archive", &self.archive),
            ("structured", &self.structured),
            ("dependencies", &self.dependencies),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| (k, v)))
        .collect()
    }
}

fn yes() -> bool {
    true
}

/// Placeholders a template may use.
pub const PLACEHOLDERS: &[&str] = &[
    "name",
    "version",
    "version_base",
    "artifact",
    "release_file",
    "sha256",
];

/// Values for template placeholders.
#[derive(Debug, Clone, Default)]
pub struct TemplateVars {
    /// Root package name.
    pub name: String,
    /// Root package version (may be empty).
    pub version: String,
    /// Artifact file name (or directory name).
    pub artifact: String,
    /// The upstream release's file name: for a Debian `NAME_VERSION.orig.tar.EXT` whose single
    /// top directory is `PROJECT-VERSION`, `PROJECT-VERSION.tar.EXT` (what upstream published
    /// and Debian renamed); otherwise the artifact's file name.
    pub release_file: String,
    /// Hex SHA-256 of the artifact (or of the content, for trees).
    pub sha256: String,
}

impl TemplateVars {
    /// The leading numeric part of the version (`3.14.0` of `3.14.0rc1`).
    pub fn version_base(&self) -> &str {
        let end = self
            .version
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(self.version.len());
        self.version[..end].trim_end_matches('.')
    }

    /// Expands `{placeholder}`s in a template (validated at load time).
    pub fn expand(&self, template: &str) -> String {
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match after.find('}') {
                Some(close) => {
                    out.push_str(match &after[..close] {
                        "name" => &self.name,
                        "version" => &self.version,
                        "version_base" => self.version_base(),
                        "artifact" => &self.artifact,
                        "release_file" => &self.release_file,
                        "sha256" => &self.sha256,
                        other => other,
                    });
                    rest = &after[close + 1..];
                }
                None => {
                    out.push_str(&rest[open..]);
                    rest = "";
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// Where configuration text came from, for messages.
#[derive(Debug, Clone)]
struct Source<'a> {
    name: &'a str,
    text: &'a str,
}

impl Source<'_> {
    fn error_at(&self, offset: usize, message: impl Into<String>) -> Error {
        let before = &self.text[..offset.min(self.text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
        Error::Config {
            file: self.name.to_owned(),
            line,
            column,
            message: message.into(),
        }
    }

    fn check_template(&self, t: &Spanned<String>) -> Result<()> {
        self.check_placeholders(t, PLACEHOLDERS)
    }

    /// Every `{name}` in `t` must be one of `known`.
    fn check_placeholders(&self, t: &Spanned<String>, known: &[&str]) -> Result<()> {
        let mut rest = t.get_ref().as_str();
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let close = after.find('}').ok_or_else(|| {
                self.error_at(t.span().start, "template has a `{` without a closing `}`")
            })?;
            let name = &after[..close];
            if !known.contains(&name) {
                return Err(self.error_at(
                    t.span().start,
                    format!(
                        "unknown placeholder `{{{name}}}` (known: {})",
                        known
                            .iter()
                            .map(|p| format!("{{{p}}}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
            rest = &after[close + 1..];
        }
        Ok(())
    }
}

impl Config {
    /// Parses configuration text; `name` identifies it in errors.
    pub fn parse(text: &str, name: &str) -> Result<Self> {
        let src = Source { name, text };
        let config: Config = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            src.error_at(offset, e.message().trim().to_owned())
        })?;
        let templates = [
            &config.document.name,
            &config.document.namespace,
            &config.root.download_location,
            &config.root.cpe,
            &config.root.purl,
        ];
        for t in templates.into_iter().flatten() {
            src.check_template(t)?;
        }
        for w in &config.bundled_wheel {
            if let Some(t) = &w.cpe {
                src.check_template(t)?;
            }
            crate::glob::PathGlob::new(w.path.get_ref())
                .map_err(|e| src.error_at(w.path.span().start, format!("invalid glob: {e}")))?;
        }
        if let Some(p) = &config.root.purpose
            && crate::model::Purpose::from_name(p.get_ref()).is_none()
        {
            return Err(src.error_at(
                p.span().start,
                format!(
                    "unknown purpose `{}` (one of: {})",
                    p.get_ref(),
                    crate::model::Purpose::ALL.map(|p| p.name()).join(", ")
                ),
            ));
        }
        crate::glob::Excludes::new(&config.scan.exclude, &format!("{name}: [scan] exclude"))?;
        for (key, value) in config.cyclonedx.set() {
            let allowed = CYCLONEDX_VALUES
                .iter()
                .find(|(k, _)| *k == key)
                .map_or(&[][..], |(_, a)| *a);
            if !allowed.contains(&value.get_ref().as_str()) {
                return Err(src.error_at(
                    value.span().start,
                    format!(
                        "[cyclonedx] {key} = `{}`: one of {}",
                        value.get_ref(),
                        allowed.join(", ")
                    ),
                ));
            }
        }
        let mut seen = std::collections::HashSet::new();
        for p in &config.package {
            if !seen.insert(p.name.get_ref()) {
                return Err(src.error_at(
                    p.name.span().start,
                    format!("[[package]] `{}` is given twice", p.name.get_ref()),
                ));
            }
        }
        let mut config = config;
        config.origin = Origin::new(name, text);
        config.check_vendor(&src)?;
        Ok(config)
    }

    fn check_vendor(&self, src: &Source<'_>) -> Result<()> {
        let glob = |p: &Spanned<String>| {
            crate::glob::Glob::parse(p.get_ref())
                .map(drop)
                .map_err(|e| src.error_at(p.span().start, format!("invalid glob: {e}")))
        };
        for sbom in &self.in_tree_sbom {
            let mut names = std::collections::HashSet::new();
            for c in &sbom.component {
                if !names.insert(c.name.get_ref()) {
                    return Err(src.error_at(
                        c.name.span().start,
                        format!("component `{}` is declared twice", c.name.get_ref()),
                    ));
                }
                if c.include.is_empty() {
                    return Err(src.error_at(
                        c.name.span().start,
                        format!("component `{}` has no `include` globs", c.name.get_ref()),
                    ));
                }
                c.include.iter().chain(&c.exclude).try_for_each(glob)?;
                if let Some(d) = &c.detector
                    && d.get_ref() != "none"
                    && crate::detect::version::detector(d.get_ref()).is_none()
                {
                    return Err(src.error_at(
                        d.span().start,
                        format!(
                            "unknown detector `{}` (known: none, {})",
                            d.get_ref(),
                            crate::detect::version::DETECTORS
                                .iter()
                                .map(|d| d.name)
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ));
                }
                let lone = match (&c.version_file, &c.version_pattern) {
                    (Some(f), None) => Some(f.span().start),
                    (None, Some(p)) => Some(p.source.span().start),
                    _ => None,
                };
                if let Some(at) = lone {
                    return Err(
                        src.error_at(at, "`version_file` and `version_pattern` go together")
                    );
                }
                if let (Some(d), Some(_)) = (&c.detector, &c.version_file) {
                    return Err(src.error_at(
                        d.span().start,
                        "give either `detector` or `version_file`, not both",
                    ));
                }
            }
            if let Some(r) = &sbom.rules_from {
                let f = r.file.get_ref();
                if f.is_empty() || f.starts_with('/') || f.split('/').any(|p| p == "..") {
                    return Err(src.error_at(
                        r.file.span().start,
                        "`rules_from.file` is a path inside the tree (no leading `/`, no `..`)",
                    ));
                }
                if sbom.externals.is_some() {
                    return Err(src.error_at(
                        r.file.span().start,
                        "`rules_from` is for a document of components, not of externals",
                    ));
                }
            }
            if let Some(x) = &sbom.externals {
                src.check_placeholders(&x.download_location, &["tag", "name", "version"])?;
                if !sbom.component.is_empty() {
                    return Err(src.error_at(
                        sbom.path.span().start,
                        "a document lists either `component`s or `externals`, not both",
                    ));
                }
            }
        }
        Ok(())
    }

    /// Replaces the component rules of every `[[in_tree_sbom]]` with `rules_from` by the table
    /// in the tree's own generator, when `read` (given a path from the tree root; `None` when
    /// the file is absent) yields it and it is readable; otherwise keeps this configuration's
    /// table. A component the generator lists keeps its configured `detector` and
    /// `version_file`; one it does not list is dropped; one only it lists gets the default
    /// detector. Says, for each such document, which table is used.
    pub fn apply_tree_rules(
        &mut self,
        read: &dyn Fn(&str) -> Option<std::io::Result<Vec<u8>>>,
    ) -> Vec<RulesSource> {
        let mut said = Vec::new();
        let config_name = self.origin.name.clone();
        for sbom in &mut self.in_tree_sbom {
            let Some(r) = &sbom.rules_from else { continue };
            let file = r.file.get_ref().clone();
            let variable = r.variable.get_ref().clone();
            let bundled = |unreadable: Option<String>| RulesSource::Bundled {
                sbom: sbom.path.get_ref().clone(),
                file: file.clone(),
                config: config_name.clone(),
                unreadable,
            };
            let bytes = match read(&file) {
                None => {
                    said.push(bundled(None));
                    continue;
                }
                Some(Err(e)) => {
                    said.push(bundled(Some(format!("{file}: {e}"))));
                    continue;
                }
                Some(Ok(b)) => b,
            };
            match tree_rules(&file, &variable, &bytes) {
                Err(why) => said.push(bundled(Some(why))),
                Ok(rules) => {
                    let n = rules.len();
                    let old = std::mem::take(&mut sbom.component);
                    sbom.component = rules
                        .into_iter()
                        .map(|mut c| {
                            if let Some(o) =
                                old.iter().find(|o| o.name.get_ref() == c.name.get_ref())
                            {
                                c.detector = o.detector.clone();
                                c.version_file = o.version_file.clone();
                                c.version_pattern = o.version_pattern.clone();
                            }
                            c
                        })
                        .collect();
                    said.push(RulesSource::Tree {
                        sbom: sbom.path.get_ref().clone(),
                        file,
                        variable,
                        components: n,
                    });
                }
            }
        }
        said
    }

    /// Reads a configuration file.
    pub fn load(path: &Path) -> Result<Self> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(&shown, e))?;
        Self::parse(&text, &shown)
    }

    /// A bundled preset by name.
    pub fn preset(name: &str) -> Result<Self> {
        let (_, text) =
            PRESETS
                .iter()
                .find(|(n, _)| *n == name)
                .ok_or_else(|| Error::UnknownPreset {
                    name: name.to_owned(),
                    known: PRESETS.iter().map(|(n, _)| *n).collect(),
                })?;
        Self::parse(text, &format!("preset:{name}"))
    }
}

/// The components of a generator's table `variable` in `bytes` (the script `file`), or why it
/// cannot be read (`file:line:column: reason`).
fn tree_rules(
    file: &str,
    variable: &str,
    bytes: &[u8],
) -> std::result::Result<Vec<VendorComponent>, String> {
    use crate::pyliteral::{self, Node, Value};
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = pyliteral::line_col(
            &String::from_utf8_lossy(&bytes[..e.valid_up_to()]),
            e.valid_up_to(),
        );
        format!("{file}:{line}:{column}: not UTF-8")
    })?;
    let at = |offset: usize, why: String| {
        let (line, column) = pyliteral::line_col(text, offset);
        format!("{file}:{line}:{column}: {why}")
    };
    let node = pyliteral::assignment(text, variable)
        .map_err(|e| format!("{file}:{}:{}: {}", e.line, e.column, e.message))?
        .ok_or_else(|| format!("{file}: no module-level `{variable} = ...`"))?;
    let Value::Dict(items) = &node.value else {
        return Err(at(node.offset, format!("{variable} is not a dict literal")));
    };
    let origin = std::sync::Arc::new(Origin::new(file, text));
    let spanned = |n: &Node, s: &str| Spanned::new(n.offset..n.offset + 1, s.to_owned());
    let globs = |n: Option<&Node>,
                 what: &str,
                 name: &str|
     -> std::result::Result<Vec<Spanned<String>>, String> {
        let Some(n) = n else { return Ok(Vec::new()) };
        match &n.value {
            Value::None => Ok(Vec::new()),
            Value::List(items) | Value::Tuple(items) => items
                .iter()
                .map(|i| match &i.value {
                    Value::Str(s) => {
                        crate::glob::Glob::parse(s).map_err(|e| {
                            at(i.offset, format!("{what} of {name}: invalid glob: {e}"))
                        })?;
                        Ok(spanned(i, s))
                    }
                    _ => Err(at(i.offset, format!("{what} of {name}: not a string"))),
                })
                .collect(),
            _ => Err(at(
                n.offset,
                format!("{what} of {name}: not a list of strings"),
            )),
        }
    };
    let mut out: Vec<VendorComponent> = Vec::new();
    for (key, value) in items {
        let Value::Str(name) = &key.value else {
            return Err(at(key.offset, "a key that is not a string".into()));
        };
        if out.iter().any(|c| c.name.get_ref() == name) {
            return Err(at(key.offset, format!("`{name}` is listed twice")));
        }
        let Value::Call { args, kwargs, .. } = &value.value else {
            return Err(at(
                value.offset,
                format!("the rules of {name} are not a call with include= and exclude="),
            ));
        };
        if args.len() > 2 {
            return Err(at(
                args[2].offset,
                format!("{name}: more than two arguments (include, exclude)"),
            ));
        }
        let mut include = args.first();
        let mut exclude = args.get(1);
        for (k, v) in kwargs {
            let slot = match k.as_str() {
                "include" => &mut include,
                "exclude" => &mut exclude,
                other => return Err(at(v.offset, format!("{name}: unknown argument `{other}`"))),
            };
            if slot.is_some() {
                return Err(at(v.offset, format!("{name}: `{k}` given twice")));
            }
            *slot = Some(v);
        }
        let include = globs(include, "include", name)?;
        if include.is_empty() {
            return Err(at(value.offset, format!("{name} has no include globs")));
        }
        out.push(VendorComponent {
            name: spanned(key, name),
            include,
            exclude: globs(exclude, "exclude", name)?,
            detector: None,
            version_file: None,
            version_pattern: None,
            rules_origin: Some(origin.clone()),
        });
    }
    if out.is_empty() {
        return Err(at(node.offset, format!("{variable} lists no components")));
    }
    Ok(out)
}

/// Presets bundled into the binary: name and configuration text.
pub const PRESETS: &[(&str, &str)] = &[
    ("cpython", include_str!("presets/cpython.toml")),
    (
        "cpython-windows",
        include_str!("presets/cpython-windows.toml"),
    ),
    ("cpython-macos", include_str!("presets/cpython-macos.toml")),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_parse() {
        for (name, _) in PRESETS {
            Config::preset(name).expect("bundled preset is valid");
        }
        assert!(Config::preset("nope").is_err());
    }

    #[test]
    fn tree_rules_replace_the_table_and_keep_detectors() {
        let text = "[[in_tree_sbom]]\npath = \"s.json\"\n[in_tree_sbom.rules_from]\nfile = \"gen.py\"\nvariable = \"T\"\n\n[[in_tree_sbom.component]]\nname = \"a\"\ninclude = [\"old/**\"]\ndetector = \"none\"\n\n[[in_tree_sbom.component]]\nname = \"gone\"\ninclude = [\"gone/**\"]\n";
        let script = "T = {\n    'a': P(['new/**'], exclude=None),\n    \"b\": P(include=(\"b/\" \"**\",), exclude=['b/x'],),  # c\n}\n";
        let mut config = Config::parse(text, "c.toml").expect("valid");
        let said = config.apply_tree_rules(&|p| {
            assert_eq!(p, "gen.py");
            Some(Ok(script.as_bytes().to_vec()))
        });
        assert!(matches!(
            &said[..],
            [RulesSource::Tree { components: 2, .. }]
        ));
        let comps = &config.in_tree_sbom[0].component;
        let names: Vec<&str> = comps.iter().map(|c| c.name.get_ref().as_str()).collect();
        assert_eq!(names, ["a", "b"]);
        assert_eq!(comps[0].include[0].get_ref(), "new/**");
        assert!(comps[0].exclude.is_empty());
        assert_eq!(
            comps[0].detector.as_ref().map(|d| d.get_ref().as_str()),
            Some("none")
        );
        assert_eq!(comps[1].include[0].get_ref(), "b/**");
        assert_eq!(comps[1].exclude[0].get_ref(), "b/x");
        let origin = comps[1].rules_origin(&config.origin);
        assert_eq!(origin.name, "gen.py");
        assert_eq!(origin.line_col(comps[1].exclude[0].span().start), (3, 43));

        for (script, why) in [
            (
                "T = {'a': P(['x'], frobnicate=[])}\n",
                "gen.py:1:31: a: unknown argument `frobnicate`",
            ),
            (
                "T = {'a': P(None)}\n",
                "gen.py:1:11: a has no include globs",
            ),
            ("T = [1]\n", "gen.py:1:5: T is not a dict literal"),
            ("U = {}\n", "gen.py: no module-level `T = ...`"),
        ] {
            let mut config = Config::parse(text, "c.toml").expect("valid");
            let said = config.apply_tree_rules(&|_| Some(Ok(script.as_bytes().to_vec())));
            match &said[..] {
                [
                    RulesSource::Bundled {
                        unreadable: Some(u),
                        ..
                    },
                ] => assert_eq!(u, why),
                other => panic!("{script}: {other:?}"),
            }
            assert_eq!(
                config.in_tree_sbom[0].component.len(),
                2,
                "the table is kept"
            );
        }
        let mut config = Config::parse(text, "c.toml").expect("valid");
        let said = config.apply_tree_rules(&|_| None);
        assert!(matches!(
            &said[..],
            [RulesSource::Bundled {
                unreadable: None,
                ..
            }]
        ));
    }

    #[test]
    fn unknown_keys_have_line_numbers() {
        let e = Config::parse("[root]\nname = \"x\"\nnmae = \"y\"\n", "b.toml").expect_err("typo");
        let s = e.to_string();
        assert!(s.starts_with("b.toml:3:1: unknown field `nmae`"), "{s}");
    }

    #[test]
    fn templates_are_checked() {
        let e = Config::parse("[root]\ncpe = \"cpe:{verson}\"\n", "c.toml").expect_err("typo");
        assert!(
            e.to_string()
                .starts_with("c.toml:2:7: unknown placeholder `{verson}`"),
            "{e}"
        );
        let vars = TemplateVars {
            name: "Python".into(),
            version: "3.14.0rc1".into(),
            artifact: "python3.14_3.14.0~rc1.orig.tar.xz".into(),
            release_file: "Python-3.14.0rc1.tar.xz".into(),
            sha256: "ab".into(),
        };
        assert_eq!(
            vars.expand("https://x/{version_base}/{release_file}#{sha256}"),
            "https://x/3.14.0/Python-3.14.0rc1.tar.xz#ab"
        );
    }
}
