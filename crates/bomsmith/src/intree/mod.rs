//! The in-tree SBOM of vendored code (`bomsmith vendor`): keep it true.
//!
//! The configuration (`[[in_tree_sbom]]` with its `component`s or `externals`) says which
//! files belong to which vendored component and where the source states its version; the SBOM
//! itself keeps the fields people edit (version, download location, checksums, identifiers,
//! supplier, license). [`run`] regenerates each document in memory from one inventory of the
//! tree and checks it; `regen` writes the result, `check` compares it with what is committed.

pub mod download;

use crate::assemble::version_probe;
use crate::config::{Config, InTreeSbom, Origin, VendorComponent};
use crate::detect::version::{VersionOutcome, describe, drift_message, first_disagreement};
use crate::diag::{Diagnostic, Help, Location};
use crate::digest::{DigestSet, LineEndings};
use crate::error::{Error, Result};
use crate::format::intree::{FileEntry, InTreeDoc};
use crate::glob::{Glob, glob_base};
use crate::ident::{IdAllocator, parse_cpe23, parse_purl, spdx_id};
use crate::input::{DirOptions, EntryKind, GitFiles, ReadOptions};
use crate::inventory::{self, Inventory};
use crate::model::{Package, RefKind};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

crate::rules! {
    RULES, "vendor", "docs/vendor.md";
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
    INVALID_DOCUMENT = "V018", "invalid-document", Error,
        "The document `vendor regen` would write is not valid SPDX 2.3; nothing is written until the fields named are filled in.";
}

/// The rule with `code` (or short name).
pub fn rule(code: &str) -> Option<&'static crate::diag::Rule> {
    RULES.find(code)
}

/// A diagnostic at a byte offset of the configuration.
fn at_config(
    rule: &'static crate::diag::Rule,
    origin: &Origin,
    offset: usize,
    message: String,
) -> Diagnostic {
    let (line, col) = origin.line_col(offset);
    Diagnostic::new(rule, Location::line(&origin.name, line, col), message)
}

/// Options for [`run`].
#[derive(Debug, Clone)]
pub struct Options {
    /// Leave out what git ignores when the tree is a git work tree.
    pub gitignore: bool,
    /// Verify each package's download against a cache (and, if allowed, the network).
    pub verify: Option<download::VerifyOptions>,
    /// Documents given in memory instead of read from the tree: path from the root, bytes
    /// (`vendor init` regenerates the document it is about to write).
    pub documents: Vec<(String, Vec<u8>)>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            gitignore: true,
            verify: None,
            documents: Vec::new(),
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
    /// Diagnostics, in a stable order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Outcome {
    /// True when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        crate::diag::has_errors(&self.diagnostics)
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
/// externals, for the tree at `root`. Stale documents are reported as [`STALE`] diagnostics;
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
    // The tree is taken (git's listing, the walk, the hashing) while the documents are read.
    let (inventory, documents) = std::thread::scope(|s| {
        let inventory = s.spawn(|| take_inventory(root, &managed, options));
        let documents = read_documents(root, &managed, &options.documents);
        let inventory = inventory
            .join()
            .unwrap_or_else(|_| Err(Error::invalid("inventory", "the tree's reader panicked")));
        (inventory, documents)
    });
    let (inventory, documents) = (inventory?, documents?);
    for (sbom, old, mut doc) in documents {
        let rel = sbom.path.get_ref().clone();
        let full = root.join(&rel);
        let before = doc.clone();
        let mut found = Vec::new();
        let tree = match (&sbom.externals, &inventory) {
            (Some(_), _) => {
                regen_externals(root, sbom, &mut doc, &config.origin, &mut found)?;
                None
            }
            (None, Some(inventory)) => {
                regen_components(sbom, &mut doc, config, inventory, &mut found)?;
                Some(inventory)
            }
            (None, None) => None,
        };
        let new = doc.refresh()?;
        check_packages(sbom, &doc, tree, config, &mut found);
        let changes = describe_changes(&before, &doc);
        if old != new {
            let message = if changes.is_empty() {
                format!("{rel} is not in canonical form")
            } else {
                format!(
                    "{rel} is out of date ({} change{})",
                    changes.len(),
                    if changes.len() == 1 { "" } else { "s" }
                )
            };
            found.push(
                Diagnostic::new(&STALE, Location::file(&rel), message)
                    .with_help(Help::Regenerate)
                    .with_details(changes.clone()),
            );
        }
        if let Some(verify) = &options.verify {
            found.extend(download::verify(&rel, doc.model(), verify));
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
        out.diagnostics.extend(found);
    }
    Ok(out)
}

/// The managed documents that exist (an absent one that is not required is skipped): each
/// with its bytes and its parse.
fn read_documents<'c>(
    root: &Path,
    managed: &[&'c InTreeSbom],
    given: &[(String, Vec<u8>)],
) -> Result<Vec<(&'c InTreeSbom, Vec<u8>, InTreeDoc)>> {
    let mut out = Vec::new();
    for sbom in managed {
        let rel = sbom.path.get_ref();
        let full = root.join(rel);
        let read = match given.iter().find(|(p, _)| p == rel) {
            Some((_, b)) => Ok(b.clone()),
            None => std::fs::read(&full),
        };
        let old = match read {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !sbom.required => continue,
            Err(e) => return Err(Error::io(full.display().to_string(), e)),
        };
        let doc = InTreeDoc::parse(&old, rel)?;
        out.push((*sbom, old, doc));
    }
    Ok(out)
}

/// The include globs of every component, compiled (checked when the configuration was read).
fn include_globs<'a>(components: impl Iterator<Item = &'a VendorComponent>) -> Result<Vec<Glob>> {
    components
        .flat_map(|c| c.include.iter())
        .map(|g| Glob::new(g.get_ref()))
        .collect()
}

/// One inventory of the tree for every managed document: the directories its components'
/// globs and version files start from, without what git ignores (in a git work tree), every
/// file an include matches hashed as CPython hashes in-tree files (CRLF as LF). `None` when
/// no document lists components.
fn take_inventory(
    root: &Path,
    managed: &[&InTreeSbom],
    options: &Options,
) -> Result<Option<Inventory>> {
    let components: Vec<&VendorComponent> = managed.iter().flat_map(|s| &s.component).collect();
    if components.is_empty() {
        return Ok(None);
    }
    let bases: Vec<String> = components
        .iter()
        .flat_map(|c| {
            c.include
                .iter()
                .chain(c.version_file.as_ref())
                .map(|g| glob_base(g.get_ref()))
        })
        .collect();
    let options = inventory::Options {
        read: ReadOptions {
            dir: DirOptions {
                bases,
                git: options.gitignore.then_some(GitFiles::NotIgnored),
            },
            ..ReadOptions::default()
        },
        digests: DigestSet {
            sha512: false,
            line_endings: LineEndings::CrlfAsLf,
        },
        hash_only: Some(include_globs(components.iter().copied())?),
        ..inventory::Options::default()
    };
    Inventory::take(root, &options, &|_: &str| false).map(Some)
}

/// A glob and the offset of its text in the configuration.
type Placed = (Glob, usize);

/// Lists each component's files in the document, in CPython's order (components by name,
/// each include in sorted order, paths sorted), with the diagnostics about its globs.
fn regen_components(
    sbom: &InTreeSbom,
    doc: &mut InTreeDoc,
    config: &Config,
    inventory: &Inventory,
    found: &mut Vec<Diagnostic>,
) -> Result<()> {
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
    let listed = attribute(&comps, &compiled, inventory, origin, found);
    let mut ids = IdAllocator::default();
    let entries: Vec<FileEntry> = listed
        .iter()
        .map(|(path, ci)| {
            let digests = inventory
                .file(path)
                .and_then(|f| f.digests.as_ref())
                .ok_or_else(|| Error::invalid("hashing", format!("{path} was not hashed")))?;
            Ok(FileEntry {
                name: path.clone(),
                id: ids.allocate(spdx_id("SPDXRef-FILE-", path)),
                sha1: hex::encode(digests.sha1),
                sha256: hex::encode(digests.sha256),
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
            found.push(at_config(
                &PACKAGE_MISMATCH,
                c.rules_origin(origin),
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
            found.push(Diagnostic::new(
                &PACKAGE_MISMATCH,
                Location::pointer(sbom.path.get_ref(), InTreeDoc::package_pointer(i)),
                format!(
                    "package {} is not a configured component, so no files are listed for it",
                    p.name
                ),
            ));
        }
    }
    Ok(())
}

/// Attributes the tree's files to components: each include (in pattern order) adds the files it
/// matches, each exclude removes some, and a file two components claim stays with the first.
/// Returns (path, component index) in listing order.
fn attribute(
    comps: &[&VendorComponent],
    compiled: &[(Vec<Placed>, Vec<Placed>)],
    tree: &Inventory,
    origin: &Origin,
    found: &mut Vec<Diagnostic>,
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
            for link in tree
                .others_of(EntryKind::Symlink)
                .filter(|l| glob.matches(l))
            {
                found.push(Diagnostic::new(
                    &LINK_SKIPPED,
                    Location::file(link),
                    format!("{link} is a symbolic link; it is not listed under {name}"),
                ));
            }
            if hits.is_empty() {
                found.push(at_config(
                    &INCLUDE_UNMATCHED,
                    c.rules_origin(origin),
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
                found.push(at_config(
                    &EXCLUDE_UNMATCHED,
                    c.rules_origin(origin),
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
                Some(&first) => found.push(at_config(
                    &CLAIMED_TWICE,
                    c.rules_origin(origin),
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

/// Updates an externals document from its script: versions, CPE versions, download URLs.
fn regen_externals(
    root: &Path,
    sbom: &InTreeSbom,
    doc: &mut InTreeDoc,
    origin: &Origin,
    found: &mut Vec<Diagnostic>,
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
        found.push(at_config(
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
            None => found.push(Diagnostic::new(
                &PACKAGE_MISMATCH,
                Location::pointer(sbom.path.get_ref(), InTreeDoc::package_pointer(i)),
                format!("package {name} is not fetched by {script}"),
            )),
        }
    }
    for (name, (_, tag)) in &tags {
        if !names.contains(name) {
            found.push(Diagnostic::new(
                &PACKAGE_MISMATCH,
                Location::file(script),
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
    tree: Option<&Inventory>,
    config: &Config,
    found: &mut Vec<Diagnostic>,
) {
    let file = sbom.path.get_ref().as_str();
    let required: Vec<String> = sbom.required_fields.clone().unwrap_or_else(|| {
        CPYTHON_REQUIRED_FIELDS
            .iter()
            .map(|s| (*s).to_owned())
            .collect()
    });
    for (i, p) in doc.model().packages.iter().enumerate() {
        let at = |field: &str| {
            Location::pointer(file, format!("{}/{field}", InTreeDoc::package_pointer(i)))
        };
        let missing = doc.missing_fields(i, &required);
        if !missing.is_empty() {
            found.push(Diagnostic::new(
                &MISSING_FIELD,
                Location::pointer(file, InTreeDoc::package_pointer(i)),
                format!("package {} lacks {}", p.name, missing.join(", ")),
            ));
        }
        let want_id = spdx_id("SPDXRef-PACKAGE-", &p.name);
        if p.id != want_id {
            found.push(Diagnostic::new(
                &SPDXID_MISMATCH,
                at("SPDXID"),
                format!("package {} has SPDXID {}, expected {want_id}", p.name, p.id),
            ));
        }
        if let Some(want) = &sbom.license_concluded
            && p.license_concluded.as_deref() != Some(want.as_str())
        {
            found.push(Diagnostic::new(
                &LICENSE_CONCLUDED,
                at("licenseConcluded"),
                format!(
                    "package {} has licenseConcluded {}, the project requires {want}",
                    p.name,
                    p.license_concluded.as_deref().unwrap_or("(none)")
                ),
            ));
        }
        check_identifiers(file, i, p, found);
        if let Some(tree) = tree
            && let Some(c) = sbom.component.iter().find(|c| c.name.get_ref() == &p.name)
        {
            check_version(file, i, p, c, tree, config, found);
        }
    }
}

fn check_identifiers(file: &str, index: usize, p: &Package, found: &mut Vec<Diagnostic>) {
    let Some(version) = p.version.as_deref() else {
        return;
    };
    let pointer = InTreeDoc::package_pointer(index);
    if let Some(dl) = p.download_location.as_deref()
        && !matches!(dl, "NOASSERTION" | "NONE")
        && !dl.contains(version)
    {
        found.push(Diagnostic::new(
            &VERSION_NOT_IN_DOWNLOAD,
            Location::pointer(file, format!("{pointer}/downloadLocation")),
            format!(
                "package {} is version {version}, but its downloadLocation is {dl}",
                p.name
            ),
        ));
    }
    for (ri, r) in p.external_refs.iter().enumerate() {
        let at = Location::pointer(
            file,
            format!("{pointer}/externalRefs/{ri}/referenceLocator"),
        );
        let (kind, parsed) = match r.kind {
            RefKind::Cpe23 => (
                "CPE",
                parse_cpe23(&r.locator).map(|c| Some(c.version().to_owned())),
            ),
            RefKind::Purl => (
                "PURL",
                parse_purl(&r.locator).map(|p| p.version().map(str::to_owned)),
            ),
            _ => continue,
        };
        match parsed {
            Err(why) => found.push(Diagnostic::new(
                &BAD_IDENTIFIER,
                at,
                format!(
                    "{kind} `{}` of package {} does not parse: {why}",
                    r.locator, p.name
                ),
            )),
            Ok(stated) if stated.as_deref() != Some(version) => found.push(Diagnostic::new(
                &VERSION_NOT_IN_IDENTIFIER,
                at,
                format!(
                    "{kind} `{}` of package {} names version {}, the package is {version}",
                    r.locator,
                    p.name,
                    stated.as_deref().unwrap_or("(none)")
                ),
            )),
            Ok(_) => {}
        }
    }
}

fn check_version(
    file: &str,
    index: usize,
    p: &Package,
    c: &VendorComponent,
    inventory: &Inventory,
    config: &Config,
    found: &mut Vec<Diagnostic>,
) {
    let declared = p.version.as_deref().unwrap_or("");
    let at = Location::pointer(
        file,
        format!("{}/versionInfo", InTreeDoc::package_pointer(index)),
    );
    let files: Vec<&str> = inventory.under("").collect();
    match version_probe(c).outcome(&files, inventory) {
        VersionOutcome::Found(evidence) => {
            if let Some(first) = first_disagreement(declared, &evidence) {
                found.push(
                    Diagnostic::new(&VERSION_DRIFT, at, drift_message(&p.name, declared, first))
                        .with_details(evidence.iter().map(describe).collect()),
                );
            }
        }
        VersionOutcome::FileMissing(path) => {
            let offset = c.version_file.as_ref().map_or(0, |f| f.span().start);
            found.push(at_config(
                &VERSION_FILE_MISSING,
                &config.origin,
                offset,
                format!(
                    "version_file {path} of {} is absent or version_pattern does not match it",
                    p.name
                ),
            ));
        }
        VersionOutcome::NotStated | VersionOutcome::NoDetector => {
            found.push(Diagnostic::new(
                &VERSION_UNVERIFIED,
                at,
                format!(
                    "the source of {} does not state its version; {declared} is unverified",
                    p.name
                ),
            ));
        }
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

/// What `regen` is about to write, validated as SPDX 2.3: one [`INVALID_DOCUMENT`] diagnostic
/// per document that fails, listing what to fill in (document fields, and each package's
/// missing fields with the component it is configured as) and the validator's errors. A
/// `partial` document is judged as completed by its other tool (the document fields it adds
/// are not asked for).
pub fn validate_new(outcome: &Outcome, config: &Config) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for d in &outcome.documents {
        let Some(sbom) = config
            .in_tree_sbom
            .iter()
            .find(|s| s.path.get_ref() == &d.path)
        else {
            continue;
        };
        let Ok(serde_json::Value::Object(mut doc)) = serde_json::from_slice(&d.new) else {
            continue;
        };
        let mut fill: Vec<String> = Vec::new();
        let ids: Vec<serde_json::Value> = doc
            .get("packages")
            .and_then(|p| p.as_array())
            .map(|a| a.iter().filter_map(|p| p.get("SPDXID").cloned()).collect())
            .unwrap_or_default();
        let describes = doc.contains_key("documentDescribes");
        if sbom.partial {
            // What the other tool adds, so that only what this document owns is judged.
            let placeholders = [
                ("name", serde_json::json!("partial")),
                ("dataLicense", serde_json::json!("CC0-1.0")),
                (
                    "documentNamespace",
                    serde_json::json!("https://example.invalid/partial"),
                ),
                (
                    "creationInfo",
                    serde_json::json!({"created": "2000-01-01T00:00:00Z", "creators": ["Tool: bomsmith"]}),
                ),
            ];
            for (k, v) in placeholders {
                doc.entry(k).or_insert(v);
            }
            if !describes {
                doc.insert("documentDescribes".into(), serde_json::Value::Array(ids));
            }
        } else {
            for k in ["name", "dataLicense", "documentNamespace"] {
                if !doc.contains_key(k) {
                    fill.push(format!("the document's `{k}`"));
                }
            }
            let info = doc.get("creationInfo");
            for k in ["created", "creators"] {
                if info.and_then(|i| i.get(k)).is_none() {
                    fill.push(format!("the document's `creationInfo.{k}`"));
                }
            }
            if !describes && !ids.is_empty() {
                fill.push(
                    "the document's `documentDescribes` (the SPDXIDs of the packages it is about)"
                        .to_owned(),
                );
            }
        }
        if let Some(packages) = doc.get("packages").and_then(|p| p.as_array()) {
            for (i, p) in packages.iter().enumerate() {
                let name = p.get("name").and_then(|n| n.as_str()).unwrap_or("?");
                let lacking: Vec<&str> = ["SPDXID", "name", "downloadLocation"]
                    .into_iter()
                    .filter(|k| p.get(k).is_none())
                    .collect();
                if lacking.is_empty() {
                    continue;
                }
                let configured = sbom
                    .component
                    .iter()
                    .find(|c| c.name.get_ref() == name)
                    .map(|c| {
                        let o = c.rules_origin(&config.origin);
                        let (line, col) = o.line_col(c.name.span().start);
                        format!(", component `{name}` at {}:{line}:{col}", o.name)
                    })
                    .unwrap_or_default();
                fill.push(format!(
                    "package {name} ({}{configured}): {}",
                    InTreeDoc::package_pointer(i),
                    lacking.join(", ")
                ));
            }
        }
        let bytes = serde_json::to_vec(&doc).unwrap_or_default();
        let report = crate::validate::validate(&d.path, &bytes, &[]);
        let errors: Vec<String> = report
            .diagnostics
            .iter()
            .filter(|x| x.severity == crate::diag::Severity::Error)
            .map(|x| match &x.location.pointer {
                Some(p) if !p.is_empty() => format!("{} ({p})", x.message),
                _ => x.message.clone(),
            })
            .collect();
        if errors.is_empty() {
            continue;
        }
        let mut details: Vec<String> = fill.iter().map(|f| format!("fill in {f}")).collect();
        details.extend(errors.iter().map(|e| format!("{}: {e}", d.path)));
        let what = if fill.is_empty() {
            ""
        } else {
            "; fill in what is listed"
        };
        out.push(
            Diagnostic::new(
                &INVALID_DOCUMENT,
                Location::file(&d.path),
                format!(
                    "{} would not be valid SPDX 2.3 ({} error{}), so it is not written{what}",
                    d.path,
                    errors.len(),
                    if errors.len() == 1 { "" } else { "s" }
                ),
            )
            .with_details(details),
        );
    }
    out
}

/// Writes every stale document. Returns the paths written.
pub fn write(outcome: &Outcome) -> Result<Vec<String>> {
    let mut written = Vec::new();
    for d in outcome.documents.iter().filter(|d| d.is_stale()) {
        crate::output::write_atomically(&d.full_path, &d.new)?;
        written.push(d.path.clone());
    }
    Ok(written)
}

/// Marks each candidate found by `vendor detect` with the configured component whose includes
/// cover it.
pub fn mark_declared(
    config: &Config,
    inventory: &Inventory,
    candidates: &mut [crate::detect::vendored::Candidate],
) {
    let mut comps: Vec<(String, Vec<Glob>)> = Vec::new();
    for sbom in &config.in_tree_sbom {
        for c in &sbom.component {
            let globs = c
                .include
                .iter()
                .filter_map(|g| Glob::new(g.get_ref()).ok())
                .collect();
            comps.push((c.name.get_ref().clone(), globs));
        }
    }
    for cand in candidates.iter_mut() {
        let files: Vec<&str> = if cand.is_file {
            vec![cand.path.as_str()]
        } else {
            inventory.under(&cand.path).collect()
        };
        cand.declared = comps
            .iter()
            .find(|(_, globs)| files.iter().any(|f| globs.iter().any(|g| g.matches(f))))
            .map(|(n, _)| n.clone());
    }
}

/// The first line of a configuration `vendor init` writes (how `--force` knows it may replace
/// the file).
pub const INIT_HEADER: &str = "# Written by `bomsmith vendor init`";

/// A starting configuration and in-tree SBOM (`vendor init`) for the vendored code `found`:
/// one component per candidate (an outermost directory, or a file outside every directory
/// found), named uniquely, with its include glob and version detector; one package each in the
/// document, with the version the source states. The document's files are not listed yet
/// (regen lists them). `title` names the document; `created` is its creation time.
pub fn starting_point(
    found: &[crate::detect::vendored::Candidate],
    sbom_path: &str,
    title: &str,
    created: &str,
) -> (String, Vec<u8>) {
    let within = |inner: &crate::detect::vendored::Candidate,
                  outer: &crate::detect::vendored::Candidate| {
        !outer.is_file
            && inner.path != outer.path
            && (outer.path.is_empty() || inner.path.starts_with(&format!("{}/", outer.path)))
    };
    let mut chosen: Vec<crate::detect::vendored::Candidate> = Vec::new();
    for c in found {
        if c.path.is_empty() || found.iter().any(|o| within(c, o)) {
            continue;
        }
        let mut c = c.clone();
        let base = c.name.clone();
        let mut n = 1;
        while chosen
            .iter()
            .any(|o| spdx_id("", &o.name) == spdx_id("", &c.name))
        {
            n += 1;
            c.name = format!("{base}-{n}");
        }
        chosen.push(c);
    }
    let all_versioned = chosen.iter().all(|c| c.version.is_some());
    let mut config = format!(
        "{INIT_HEADER}: the vendored code `bomsmith vendor detect` found.\n\
         # Check each component's files and version, fill in the package fields in {sbom_path}\n\
         # (downloadLocation, checksums, licenses, CPE/PURL), then `bomsmith vendor check`.\n\n\
         [[in_tree_sbom]]\npath = {}\n",
        toml_string(sbom_path)
    );
    if all_versioned {
        config.push_str(
            "# Fields every package must have; CPython's list adds \"checksums\" and \"externalRefs\".\n\
             required_fields = [\"SPDXID\", \"name\", \"versionInfo\", \"downloadLocation\", \"licenseConcluded\", \"primaryPackagePurpose\"]\n",
        );
    } else {
        config.push_str(
            "# Fields every package must have (add \"versionInfo\" once every package states one;\n\
             # CPython's list also has \"checksums\" and \"externalRefs\").\n\
             required_fields = [\"SPDXID\", \"name\", \"downloadLocation\", \"licenseConcluded\", \"primaryPackagePurpose\"]\n",
        );
    }
    for c in &chosen {
        config.push('\n');
        config.push_str(&c.stanza());
    }
    let packages: Vec<serde_json::Value> = chosen
        .iter()
        .map(|c| {
            let mut p = serde_json::json!({
                "SPDXID": spdx_id("SPDXRef-PACKAGE-", &c.name),
                "name": c.name,
                "downloadLocation": "NOASSERTION",
                "licenseConcluded": "NOASSERTION",
                "primaryPackagePurpose": "SOURCE",
                "comment": format!("Found by bomsmith vendor detect: {}", c.evidence.join("; ")),
            });
            if let Some(v) = &c.version {
                p["versionInfo"] = serde_json::json!(v);
            }
            p
        })
        .collect();
    let ids: Vec<serde_json::Value> = packages.iter().map(|p| p["SPDXID"].clone()).collect();
    let seed = format!("{title}\n{created}\n{config}");
    let doc = serde_json::json!({
        "SPDXID": "SPDXRef-DOCUMENT",
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "name": title,
        "documentNamespace": format!(
            "https://spdx.org/spdxdocs/{}-{}",
            spdx_id("", title),
            crate::ident::uuid_v5_url(&seed)
        ),
        "creationInfo": {
            "created": created,
            "creators": [format!("Tool: bomsmith-{}", env!("CARGO_PKG_VERSION"))],
        },
        "documentDescribes": ids,
        "packages": packages,
        "files": [],
        "relationships": [],
    });
    (config, crate::json::to_canonical_string(&doc).into_bytes())
}

fn toml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
}
