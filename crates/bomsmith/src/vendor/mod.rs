//! `bomsmith vendor`: keep an in-tree SBOM of vendored code true.
//!
//! The configuration (`[[in_tree_sbom]]` with its `component`s or `externals`) says which
//! files belong to which vendored component and where the source states its version; the SBOM
//! itself keeps the fields people edit (version, download location, checksums, identifiers,
//! supplier, license). [`run`] regenerates each document in memory and checks it; `regen`
//! writes the result, `check` compares it with what is committed.

pub mod detect;
pub mod download;
pub mod tree;

use crate::config::{Config, InTreeSbom, Origin, VendorComponent};
use crate::detect::version::{self as versions, Evidence};
use crate::error::{Error, Result};
use crate::format::intree::{FileEntry, InTreeDoc};
use crate::ident::{IdAllocator, parse_cpe23, parse_purl, spdx_id};
use crate::model::{Package, RefKind};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use tree::{Glob, Tree};

pub use crate::rules::{Rule, Severity};

crate::rules! {
    RULES;
    STALE = "V001", "stale-sbom", Error,
        "The committed SBOM differs from what `vendor regen` makes of the tree.";
    VERSION_DRIFT = "V002", "version-drift", Error,
        "A package's declared version disagrees with the version its source states.";
    VERSION_UNVERIFIED = "V003", "version-unverified", Info,
        "The source does not state the component's version, so the declared one is taken on trust.";
    VERSION_NOT_IN_DOWNLOAD = "V004", "version-not-in-download-location", Error,
        "The declared version does not appear in the package's downloadLocation.";
    VERSION_NOT_IN_IDENTIFIER = "V005", "version-not-in-identifier", Error,
        "A CPE or PURL of the package names another version than the declared one.";
    BAD_IDENTIFIER = "V006", "malformed-identifier", Error,
        "A CPE 2.3 string or package URL of the package does not parse.";
    INCLUDE_UNMATCHED = "V007", "include-matches-nothing", Error,
        "An include glob of a component matches no file.";
    EXCLUDE_UNMATCHED = "V008", "exclude-matches-nothing", Error,
        "An exclude glob matches none of the component's files: usually a typo, and the file it meant is attributed to the component.";
    CLAIMED_TWICE = "V009", "file-claimed-twice", Error,
        "A file matches the includes of two components; it is listed under the first.";
    MISSING_FIELD = "V010", "missing-required-field", Error,
        "A package lacks a field the project requires.";
    SPDXID_MISMATCH = "V011", "spdxid-mismatch", Error,
        "A package's SPDXID is not `SPDXRef-PACKAGE-<name>`.";
    PACKAGE_MISMATCH = "V012", "package-not-configured", Error,
        "The SBOM's packages and the configured components (or the externals script) name different sets.";
    LICENSE_CONCLUDED = "V013", "license-concluded", Error,
        "A package's licenseConcluded is not the value the project requires.";
    DOWNLOAD_MISMATCH = "V014", "download-checksum-mismatch", Error,
        "The file at a package's downloadLocation does not have the declared SHA-256.";
    DOWNLOAD_UNAVAILABLE = "V015", "download-unavailable", Error,
        "A package's download could not be verified: not in the cache, or the fetch failed.";
    LINK_SKIPPED = "V016", "symlink-skipped", Warning,
        "An include glob matches a symbolic link; links are never followed or listed.";
    VERSION_FILE_MISSING = "V017", "version-file-missing", Error,
        "The configured version_file is absent, or version_pattern does not match it.";
}

/// The rule with `code` (or short name).
pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code == code || r.name == code)
}

/// Where a finding is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A line and column of a file (configuration, source).
    Line(usize, usize),
    /// A JSON pointer into a document.
    Pointer(String),
    /// The file as a whole.
    File,
}

/// One thing `vendor check` found.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The rule.
    pub rule: &'static Rule,
    /// The file it is about (tree-relative, or the configuration's name).
    pub file: String,
    /// Where in the file.
    pub place: Place,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Supporting lines (evidence, diff).
    pub details: Vec<String>,
}

impl Finding {
    fn new(rule: &'static Rule, file: &str, place: Place, message: String) -> Self {
        Finding {
            rule,
            file: file.to_owned(),
            place,
            message,
            details: Vec::new(),
        }
    }

    fn at_config(rule: &'static Rule, origin: &Origin, offset: usize, message: String) -> Self {
        let (line, col) = origin.line_col(offset);
        Finding::new(rule, &origin.name, Place::Line(line, col), message)
    }

    /// `file:line:col` or `file` (the pointer is shown separately).
    pub fn location(&self) -> String {
        match &self.place {
            Place::Line(l, c) => format!("{}:{l}:{c}", self.file),
            Place::Pointer(_) | Place::File => self.file.clone(),
        }
    }
}

/// Options for [`run`].
#[derive(Debug, Clone)]
pub struct Options {
    /// Leave out what git ignores when the tree is a git work tree.
    pub gitignore: bool,
    /// Verify each package's download against a cache (and, if allowed, the network).
    pub verify: Option<download::VerifyOptions>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            gitignore: true,
            verify: None,
        }
    }
}

/// One regenerated document.
#[derive(Debug)]
pub struct Regenerated {
    /// Path from the tree root.
    pub path: String,
    /// Full path on disk.
    pub full_path: PathBuf,
    /// The bytes committed now.
    pub old: Vec<u8>,
    /// The bytes `regen` writes.
    pub new: Vec<u8>,
    /// What changes, one line each.
    pub changes: Vec<String>,
    /// Files listed and package count, for the summary.
    pub files: usize,
    /// Packages in the document.
    pub packages: usize,
}

impl Regenerated {
    /// True when the committed document is out of date.
    pub fn is_stale(&self) -> bool {
        self.old != self.new
    }
}

/// What [`run`] produced.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Every configured document that exists, regenerated.
    pub documents: Vec<Regenerated>,
    /// Findings, in a stable order.
    pub findings: Vec<Finding>,
}

impl Outcome {
    /// True when any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.rule.severity == Severity::Error)
    }
}

/// The package fields CPython requires of every in-tree package.
pub const CPYTHON_REQUIRED_FIELDS: &[&str] = &[
    "SPDXID",
    "name",
    "versionInfo",
    "downloadLocation",
    "checksums",
    "licenseConcluded",
    "externalRefs",
    "primaryPackagePurpose",
];

/// Regenerates and checks every `[[in_tree_sbom]]` of `config` that lists components or
/// externals, for the tree at `root`. Stale documents are reported as [`STALE`] findings;
/// nothing is written.
pub fn run(root: &Path, config: &Config, options: &Options) -> Result<Outcome> {
    let mut out = Outcome::default();
    let managed: Vec<&InTreeSbom> = config
        .in_tree_sbom
        .iter()
        .filter(|s| !s.component.is_empty() || s.externals.is_some())
        .collect();
    if managed.is_empty() {
        return Err(Error::invalid(
            "configuration",
            format!(
                "{} declares no `[[in_tree_sbom]]` with components or externals for `vendor` to maintain",
                config.origin.name
            ),
        ));
    }
    // Start git's listing first: it runs while the documents are read.
    let all_bases: Vec<String> = managed
        .iter()
        .flat_map(|s| component_bases(&s.component))
        .collect();
    let mut git = if options.gitignore && !all_bases.is_empty() {
        tree::GitListing::spawn(root, &all_bases)?
    } else {
        None
    };
    for sbom in managed {
        let rel = sbom.path.get_ref().clone();
        let full = root.join(&rel);
        let old = match std::fs::read(&full) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !sbom.required => continue,
            Err(e) => return Err(Error::io(full.display().to_string(), e)),
        };
        let mut doc = InTreeDoc::parse(&old, &rel)?;
        let before = doc.clone();
        let mut findings = Vec::new();
        let tree = if sbom.externals.is_some() {
            regen_externals(root, sbom, &mut doc, &config.origin, &mut findings)?;
            None
        } else {
            Some(regen_components(
                root,
                sbom,
                &mut doc,
                config,
                git.as_mut(),
                &mut findings,
            )?)
        };
        let new = doc.refresh()?;
        check_packages(sbom, &doc, tree.as_ref(), config, &mut findings);
        let changes = describe_changes(&before, &doc);
        if old != new {
            let mut f = Finding::new(
                &STALE,
                &rel,
                Place::File,
                if changes.is_empty() {
                    format!("{rel} is not in the canonical form `vendor regen` writes")
                } else {
                    format!(
                        "{rel} is out of date ({} change{}); run `bomsmith vendor regen`",
                        changes.len(),
                        if changes.len() == 1 { "" } else { "s" }
                    )
                },
            );
            f.details = changes.clone();
            findings.push(f);
        }
        if let Some(verify) = &options.verify {
            findings.extend(download::verify(&rel, doc.model(), verify));
        }
        out.documents.push(Regenerated {
            path: rel,
            full_path: full,
            old,
            new,
            changes,
            files: doc.model().files.len(),
            packages: doc.model().packages.len(),
        });
        out.findings.extend(findings);
    }
    Ok(out)
}

/// The directories the components' includes and version files start from.
fn component_bases(components: &[VendorComponent]) -> Vec<String> {
    components
        .iter()
        .flat_map(|c| {
            c.include
                .iter()
                .chain(c.version_file.as_ref())
                .map(|g| tree::glob_base(g.get_ref()))
        })
        .collect()
}

/// A glob and the offset of its text in the configuration.
type Placed = (Glob, usize);

/// A component's files: `(path, component index)` in CPython's order (components by name,
/// each include in sorted order, paths sorted), with the findings about its globs.
fn regen_components(
    root: &Path,
    sbom: &InTreeSbom,
    doc: &mut InTreeDoc,
    config: &Config,
    git: Option<&mut tree::GitListing>,
    findings: &mut Vec<Finding>,
) -> Result<Tree> {
    let origin = &config.origin;
    let mut comps: Vec<&VendorComponent> = sbom.component.iter().collect();
    comps.sort_by(|a, b| a.name.get_ref().cmp(b.name.get_ref()));
    let compiled: Vec<(Vec<Placed>, Vec<Placed>)> = comps
        .iter()
        .map(|c| {
            let globs = |list: &[toml::Spanned<String>]| {
                list.iter()
                    .map(|g| Ok((Glob::new(g.get_ref())?, g.span().start)))
                    .collect::<Result<Vec<_>>>()
            };
            Ok((globs(&c.include)?, globs(&c.exclude)?))
        })
        .collect::<Result<_>>()?;
    let mut tree = Tree::walk_with(root, &component_bases(&sbom.component), None)?;
    // Every file an include matches is hashed while git (if used) finishes its listing; the
    // few it then hides, or an exclude removes, cost less than waiting would.
    let candidates: Vec<String> = tree
        .files
        .iter()
        .filter(|p| {
            compiled
                .iter()
                .any(|(inc, _)| inc.iter().any(|(g, _)| g.matches(p)))
        })
        .cloned()
        .collect();
    let (listed, digests) = std::thread::scope(|s| {
        let hashing = s.spawn(|| hash_files(root, &candidates));
        let visible = git.map_or(Ok(()), |g| tree.retain_visible(g));
        let listed = visible.map(|()| attribute(&comps, &compiled, &tree, origin, findings));
        let digests = hashing
            .join()
            .map_err(|_| Error::invalid("hashing", "a hashing thread panicked"))?;
        Ok::<_, Error>((listed?, digests))
    })?;
    let mut digest_of: HashMap<&str, Result<(String, String)>> =
        candidates.iter().map(String::as_str).zip(digests).collect();
    let mut ids = IdAllocator::default();
    let entries: Vec<FileEntry> = listed
        .iter()
        .map(|(path, ci)| {
            let (sha1, sha256) = digest_of.remove(path.as_str()).unwrap_or_else(|| {
                Err(Error::invalid("hashing", format!("{path} was not hashed")))
            })?;
            Ok(FileEntry {
                name: path.clone(),
                id: ids.allocate(spdx_id("SPDXRef-FILE-", path)),
                sha1,
                sha256,
                owner: spdx_id("SPDXRef-PACKAGE-", comps[*ci].name.get_ref()),
            })
        })
        .collect::<Result<_>>()?;
    doc.set_files(&entries);

    // Configured components and the document's packages must name the same set.
    let declared: Vec<&str> = doc
        .model()
        .packages
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    for c in &comps {
        if !declared.contains(&c.name.get_ref().as_str()) {
            findings.push(Finding::at_config(
                &PACKAGE_MISMATCH,
                origin,
                c.name.span().start,
                format!(
                    "component {} has no package in {}; add one (its files are listed under SPDXRef-PACKAGE-{})",
                    c.name.get_ref(),
                    sbom.path.get_ref(),
                    c.name.get_ref()
                ),
            ));
        }
    }
    for (i, p) in doc.model().packages.iter().enumerate() {
        if !comps.iter().any(|c| c.name.get_ref() == &p.name) {
            findings.push(Finding::new(
                &PACKAGE_MISMATCH,
                sbom.path.get_ref(),
                Place::Pointer(InTreeDoc::package_pointer(i)),
                format!(
                    "package {} is not a configured component, so no files are listed for it",
                    p.name
                ),
            ));
        }
    }
    Ok(tree)
}

/// Attributes the tree's files to components: each include (in pattern order) adds the files it
/// matches, each exclude removes some, and a file two components claim stays with the first.
/// Returns (path, component index) in listing order.
fn attribute(
    comps: &[&VendorComponent],
    compiled: &[(Vec<Placed>, Vec<Placed>)],
    tree: &Tree,
    origin: &Origin,
    findings: &mut Vec<Finding>,
) -> Vec<(String, usize)> {
    let mut owner_of: HashMap<String, usize> = HashMap::new();
    let mut listed: Vec<(String, usize)> = Vec::new();
    for (ci, (c, (includes, excludes))) in comps.iter().zip(compiled).enumerate() {
        let name = c.name.get_ref();
        let mut sorted_inc: Vec<&(Glob, usize)> = includes.iter().collect();
        sorted_inc.sort_by(|a, b| a.0.pattern.cmp(&b.0.pattern));
        let mut mine: Vec<&str> = Vec::new();
        for (glob, offset) in sorted_inc {
            let hits: Vec<&str> = tree
                .under(glob.base())
                .filter(|p| glob.matches(p))
                .collect();
            for link in tree.links.iter().filter(|l| glob.matches(l)) {
                findings.push(Finding::new(
                    &LINK_SKIPPED,
                    link,
                    Place::File,
                    format!("{link} is a symbolic link; it is not listed under {name}"),
                ));
            }
            if hits.is_empty() {
                findings.push(Finding::at_config(
                    &INCLUDE_UNMATCHED,
                    origin,
                    *offset,
                    format!("include `{}` of {name} matches no file", glob.pattern),
                ));
            }
            for h in hits {
                if !mine.contains(&h) {
                    mine.push(h);
                }
            }
        }
        for (glob, offset) in excludes {
            if !mine.iter().any(|p| glob.matches(p)) {
                findings.push(Finding::at_config(
                    &EXCLUDE_UNMATCHED,
                    origin,
                    *offset,
                    format!(
                        "exclude `{}` of {name} matches none of its files{}",
                        glob.pattern,
                        near_miss(&glob.pattern, &mine)
                    ),
                ));
            }
        }
        for path in mine
            .into_iter()
            .filter(|p| !excludes.iter().any(|(g, _)| g.matches(p)))
        {
            match owner_of.get(path) {
                Some(&first) => findings.push(Finding::at_config(
                    &CLAIMED_TWICE,
                    origin,
                    c.name.span().start,
                    format!(
                        "{path} matches both {} and {name}; it is listed under {}",
                        comps[first].name.get_ref(),
                        comps[first].name.get_ref()
                    ),
                )),
                None => {
                    owner_of.insert(path.to_owned(), ci);
                    listed.push((path.to_owned(), ci));
                }
            }
        }
    }

    listed
}

/// A hint when an exclude names a file that does not exist but something close does.
fn near_miss(pattern: &str, files: &[&str]) -> String {
    files
        .iter()
        .map(|f| (edit_distance(pattern, f, 3), *f))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map_or(String::new(), |(_, f)| {
            format!(" (did you mean `{f}`? it is attributed to the component now)")
        })
}

/// Levenshtein distance of two strings (by byte), or `limit + 1` once it exceeds `limit`.
fn edit_distance(a: &str, b: &str, limit: usize) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len().abs_diff(b.len()) > limit {
        return limit + 1;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, &x) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, &y) in b.iter().enumerate() {
            let subst = prev[j] + usize::from(x != y);
            cur[j + 1] = subst.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        if cur.iter().min().is_some_and(|&m| m > limit) {
            return limit + 1;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()].min(limit + 1)
}

/// SHA-1 and SHA-256 of each file, line endings normalised as CPython does: a file without NUL
/// bytes has every CRLF replaced by LF first, so Windows checkouts give the same digests.
fn hash_files(root: &Path, paths: &[String]) -> Vec<Result<(String, String)>> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    // Workers take the next file from a shared counter, so one large file does not leave the
    // other workers idle; each reuses its buffers from file to file.
    let next = AtomicUsize::new(0);
    let work = || {
        let (mut data, mut scratch) = (Vec::new(), Vec::new());
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(path) = paths.get(i) else {
                return done;
            };
            let digests = tree::read_into(root, path, &mut data).map(|()| {
                let text = normalize_line_endings(&data, &mut scratch);
                (
                    crate::digest::hex(&crate::digest::sha1(text)),
                    crate::digest::hex(&crate::digest::sha256(text)),
                )
            });
            done.push((i, digests));
        }
    };
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let results = if workers < 2 || paths.len() < 16 {
        work()
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..workers).map(|_| s.spawn(work)).collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .collect()
        })
    };
    let mut ordered: Vec<Option<Result<(String, String)>>> =
        (0..paths.len()).map(|_| None).collect();
    for (i, r) in results {
        ordered[i] = Some(r);
    }
    ordered
        .into_iter()
        .zip(paths)
        .map(|(r, path)| {
            r.unwrap_or_else(|| {
                Err(Error::invalid(
                    "hashing",
                    format!("{path} was not hashed (a hashing thread failed)"),
                ))
            })
        })
        .collect()
}

/// `data` with CRLF turned into LF (in `scratch`), unless it holds none or holds a NUL byte
/// (a rough test for binary files).
pub fn normalize_line_endings<'a>(data: &'a [u8], scratch: &'a mut Vec<u8>) -> &'a [u8] {
    let has_crlf = memchr::memmem::find(data, b"\r\n").is_some();
    if !has_crlf || memchr::memchr(0, data).is_some() {
        return data;
    }
    scratch.clear();
    let mut rest = data;
    while let Some(at) = memchr::memmem::find(rest, b"\r\n") {
        scratch.extend_from_slice(&rest[..at]);
        rest = &rest[at + 1..];
    }
    scratch.extend_from_slice(rest);
    scratch
}

/// Updates an externals document from its script: versions, CPE versions, download URLs.
fn regen_externals(
    root: &Path,
    sbom: &InTreeSbom,
    doc: &mut InTreeDoc,
    origin: &Origin,
    findings: &mut Vec<Finding>,
) -> Result<()> {
    let Some(x) = &sbom.externals else {
        return Ok(());
    };
    let script = x.file.get_ref();
    let full = root.join(script);
    let text = std::fs::read(&full).map_err(|e| Error::io(full.display().to_string(), e))?;
    let text = String::from_utf8_lossy(&text);
    let re = &x.pattern.regex;
    let mut tags: BTreeMap<String, (String, String)> = BTreeMap::new();
    for caps in re.captures_iter(&text) {
        let Some(tag) = caps.get(1) else { continue };
        let tag = tag.as_str();
        let (name, version) = tag.rsplit_once('-').unwrap_or(("", tag));
        tags.insert(name.to_owned(), (version.to_owned(), tag.to_owned()));
    }
    if tags.is_empty() {
        findings.push(Finding::at_config(
            &PACKAGE_MISMATCH,
            origin,
            x.pattern.source.span().start,
            format!("the externals pattern matches nothing in {script}"),
        ));
    }
    let names: Vec<String> = doc
        .model()
        .packages
        .iter()
        .map(|p| p.name.clone())
        .collect();
    for (i, name) in names.iter().enumerate() {
        match tags.get(name) {
            Some((version, tag)) => {
                let url = x
                    .download_location
                    .get_ref()
                    .replace("{tag}", tag)
                    .replace("{name}", name)
                    .replace("{version}", version);
                doc.set_external(i, version, &url);
            }
            None => findings.push(Finding::new(
                &PACKAGE_MISMATCH,
                sbom.path.get_ref(),
                Place::Pointer(InTreeDoc::package_pointer(i)),
                format!("package {name} is not fetched by {script}"),
            )),
        }
    }
    for (name, (_, tag)) in &tags {
        if !names.contains(name) {
            findings.push(Finding::new(
                &PACKAGE_MISMATCH,
                script,
                Place::File,
                format!(
                    "{script} fetches {tag}, but {} has no package {name}; add one",
                    sbom.path.get_ref()
                ),
            ));
        }
    }
    Ok(())
}

/// The per-package rules: required fields, ID form, license, identifiers, version evidence.
fn check_packages(
    sbom: &InTreeSbom,
    doc: &InTreeDoc,
    tree: Option<&Tree>,
    config: &Config,
    findings: &mut Vec<Finding>,
) {
    let file = sbom.path.get_ref().as_str();
    let required: Vec<String> = sbom.required_fields.clone().unwrap_or_else(|| {
        CPYTHON_REQUIRED_FIELDS
            .iter()
            .map(|s| (*s).to_owned())
            .collect()
    });
    for (i, p) in doc.model().packages.iter().enumerate() {
        let at = |field: &str| Place::Pointer(format!("{}/{field}", InTreeDoc::package_pointer(i)));
        let missing = doc.missing_fields(i, &required);
        if !missing.is_empty() {
            findings.push(Finding::new(
                &MISSING_FIELD,
                file,
                Place::Pointer(InTreeDoc::package_pointer(i)),
                format!("package {} lacks {}", p.name, missing.join(", ")),
            ));
        }
        let want_id = spdx_id("SPDXRef-PACKAGE-", &p.name);
        if p.id != want_id {
            findings.push(Finding::new(
                &SPDXID_MISMATCH,
                file,
                at("SPDXID"),
                format!("package {} has SPDXID {}, expected {want_id}", p.name, p.id),
            ));
        }
        if let Some(want) = &sbom.license_concluded
            && p.license_concluded.as_deref() != Some(want.as_str())
        {
            findings.push(Finding::new(
                &LICENSE_CONCLUDED,
                file,
                at("licenseConcluded"),
                format!(
                    "package {} has licenseConcluded {}, the project requires {want}",
                    p.name,
                    p.license_concluded.as_deref().unwrap_or("(none)")
                ),
            ));
        }
        check_identifiers(file, i, p, findings);
        if let Some(tree) = tree
            && let Some(c) = sbom.component.iter().find(|c| c.name.get_ref() == &p.name)
        {
            check_version(file, i, p, c, tree, config, findings);
        }
    }
}

fn check_identifiers(file: &str, index: usize, p: &Package, findings: &mut Vec<Finding>) {
    let Some(version) = p.version.as_deref() else {
        return;
    };
    let pointer = InTreeDoc::package_pointer(index);
    if let Some(dl) = p.download_location.as_deref()
        && !matches!(dl, "NOASSERTION" | "NONE")
        && !dl.contains(version)
    {
        findings.push(Finding::new(
            &VERSION_NOT_IN_DOWNLOAD,
            file,
            Place::Pointer(format!("{pointer}/downloadLocation")),
            format!(
                "package {} is version {version}, but its downloadLocation is {dl}",
                p.name
            ),
        ));
    }
    for (ri, r) in p.external_refs.iter().enumerate() {
        let at = Place::Pointer(format!("{pointer}/externalRefs/{ri}/referenceLocator"));
        let (kind, parsed) = match r.kind {
            RefKind::Cpe23 => (
                "CPE",
                parse_cpe23(&r.locator).map(|c| Some(c.version().to_owned())),
            ),
            RefKind::Purl => ("PURL", parse_purl(&r.locator).map(|p| p.version)),
            _ => continue,
        };
        match parsed {
            Err(why) => findings.push(Finding::new(
                &BAD_IDENTIFIER,
                file,
                at,
                format!(
                    "{kind} `{}` of package {} does not parse: {why}",
                    r.locator, p.name
                ),
            )),
            Ok(found) if found.as_deref() != Some(version) => findings.push(Finding::new(
                &VERSION_NOT_IN_IDENTIFIER,
                file,
                at,
                format!(
                    "{kind} `{}` of package {} names version {}, the package is {version}",
                    r.locator,
                    p.name,
                    found.as_deref().unwrap_or("(none)")
                ),
            )),
            Ok(_) => {}
        }
    }
}

/// What the source says of component `c`'s version.
pub fn version_evidence(c: &VendorComponent, tree: &Tree) -> VersionEvidence {
    if let (Some(f), Some(p)) = (&c.version_file, &c.version_pattern) {
        let path = f.get_ref();
        let found = tree
            .has(path)
            .then(|| crate::detect::version::Source::text(tree, path))
            .flatten()
            .and_then(|text| versions::probe_text(path, &text, &p.regex));
        return match found {
            Some(e) => VersionEvidence::Found(vec![e]),
            None => VersionEvidence::FileMissing(path.clone()),
        };
    }
    let det = match &c.detector {
        Some(d) if d.get_ref() == "none" => return VersionEvidence::NotStated,
        Some(d) => versions::detector(d.get_ref()),
        None => versions::detector(c.name.get_ref()),
    };
    let Some(det) = det else {
        return VersionEvidence::NoDetector;
    };
    let mut files: Vec<&str> = Vec::new();
    for inc in &c.include {
        let base = tree::glob_base(inc.get_ref());
        files.extend(tree.under(&base));
    }
    files.sort_unstable();
    files.dedup();
    let found = versions::detect(det, c.name.get_ref(), &files, tree);
    if found.is_empty() {
        VersionEvidence::NotStated
    } else {
        VersionEvidence::Found(found)
    }
}

/// The outcome of looking for a component's version in its source.
#[derive(Debug, Clone)]
pub enum VersionEvidence {
    /// Statements of the version.
    Found(Vec<Evidence>),
    /// The detector found no statement.
    NotStated,
    /// No built-in detector fits and none is configured.
    NoDetector,
    /// The configured version file is absent or its pattern does not match.
    FileMissing(String),
}

/// Versions compare equal when they differ only by a leading `v`.
fn same_version(a: &str, b: &str) -> bool {
    a.trim_start_matches(['v', 'V']) == b.trim_start_matches(['v', 'V'])
}

fn check_version(
    file: &str,
    index: usize,
    p: &Package,
    c: &VendorComponent,
    tree: &Tree,
    config: &Config,
    findings: &mut Vec<Finding>,
) {
    let declared = p.version.as_deref().unwrap_or("");
    let at = Place::Pointer(format!("{}/versionInfo", InTreeDoc::package_pointer(index)));
    match version_evidence(c, tree) {
        VersionEvidence::Found(evidence) => {
            let wrong: Vec<&Evidence> = evidence
                .iter()
                .filter(|e| !same_version(&e.version, declared))
                .collect();
            if let Some(first) = wrong.first() {
                let mut f = Finding::new(
                    &VERSION_DRIFT,
                    file,
                    at,
                    format!(
                        "{} is declared as {declared}, but {}{} says {}",
                        p.name,
                        first.file,
                        if first.line > 0 {
                            format!(":{}", first.line)
                        } else {
                            String::new()
                        },
                        first.version
                    ),
                );
                f.details = evidence.iter().map(describe_evidence).collect();
                findings.push(f);
            }
        }
        VersionEvidence::FileMissing(path) => {
            let offset = c.version_file.as_ref().map_or(0, |f| f.span().start);
            findings.push(Finding::at_config(
                &VERSION_FILE_MISSING,
                &config.origin,
                offset,
                format!(
                    "version_file {path} of {} is absent or version_pattern does not match it",
                    p.name
                ),
            ));
        }
        VersionEvidence::NotStated | VersionEvidence::NoDetector => {
            findings.push(Finding::new(
                &VERSION_UNVERIFIED,
                file,
                at,
                format!(
                    "the source of {} does not state its version; {declared} is unverified",
                    p.name
                ),
            ));
        }
    }
}

/// `path:line: excerpt (version)`.
pub fn describe_evidence(e: &Evidence) -> String {
    if e.line > 0 {
        format!("{}:{}: {} ({})", e.file, e.line, e.excerpt, e.version)
    } else {
        format!("{}: {} ({})", e.file, e.excerpt, e.version)
    }
}

/// What differs between two versions of a document, one line each.
fn describe_changes(old: &InTreeDoc, new: &InTreeDoc) -> Vec<String> {
    let mut out = Vec::new();
    let old_files: BTreeMap<String, FileEntry> = old
        .file_entries()
        .into_iter()
        .map(|f| (f.name.clone(), f))
        .collect();
    let new_files: BTreeMap<String, FileEntry> = new
        .file_entries()
        .into_iter()
        .map(|f| (f.name.clone(), f))
        .collect();
    let short = |id: &str| id.trim_start_matches("SPDXRef-PACKAGE-").to_owned();
    for (name, f) in &new_files {
        match old_files.get(name) {
            None => out.push(format!("+ file {name} ({})", short(&f.owner))),
            Some(o) if o.sha1 != f.sha1 || o.sha256 != f.sha256 => {
                out.push(format!("~ file {name}: content changed"))
            }
            Some(o) if o.owner != f.owner => out.push(format!(
                "~ file {name}: moves from {} to {}",
                short(&o.owner),
                short(&f.owner)
            )),
            Some(o) if o.id != f.id => {
                out.push(format!("~ file {name}: SPDXID {} becomes {}", o.id, f.id))
            }
            Some(_) => {}
        }
    }
    for (name, f) in &old_files {
        if !new_files.contains_key(name) {
            out.push(format!("- file {name} ({})", short(&f.owner)));
        }
    }
    for (o, n) in old.model().packages.iter().zip(&new.model().packages) {
        let field = |what: &str, a: Option<&str>, b: Option<&str>, out: &mut Vec<String>| {
            if a != b {
                out.push(format!(
                    "~ package {}: {what} {} becomes {}",
                    n.name,
                    a.unwrap_or("(none)"),
                    b.unwrap_or("(none)")
                ));
            }
        };
        field(
            "version",
            o.version.as_deref(),
            n.version.as_deref(),
            &mut out,
        );
        field(
            "downloadLocation",
            o.download_location.as_deref(),
            n.download_location.as_deref(),
            &mut out,
        );
        field("CPE", o.cpe(), n.cpe(), &mut out);
        if !o.checksums.is_empty() && n.checksums.is_empty() {
            out.push(format!(
                "~ package {}: checksums dropped (the download location changed; fill them in from the new download)",
                n.name
            ));
        }
    }
    out
}

/// Writes every stale document. Returns the paths written.
pub fn write(outcome: &Outcome) -> Result<Vec<String>> {
    let mut written = Vec::new();
    for d in outcome.documents.iter().filter(|d| d.is_stale()) {
        crate::format::write_atomically(&d.full_path, &d.new)?;
        written.push(d.path.clone());
    }
    Ok(written)
}
