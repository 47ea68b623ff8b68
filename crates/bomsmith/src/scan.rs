//! `scan`: from an input to a document.
//!
//! Reading and hashing ([`crate::input`], [`crate::digest`]) produce the list of files; the
//! detectors configured for the project (SBOMs kept in the tree, bundled wheels) turn captured
//! files into packages; assembly decides ownership, relationships, IDs and verification codes.

use crate::config::{BundledWheel, Config, InTreeSbom, TemplateVars};
use crate::digest::{Capture, DigestSet, Digests, HashPool, hex};
use crate::error::{Error, Result};
use crate::format::spdx2;
use crate::ident::{IdAllocator, pypi_purl, spdx_id, split_artifact_name};
use crate::input::{self, EntryKind, EntrySink, Excludes, InputKind, ReadOptions};
use crate::model::{
    Algorithm, Checksum, DOCUMENT_ID, Document, ExternalRef, File, Package, Purpose, Relationship,
};
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Read};
use std::path::Path;

/// The `Tool:` creator line of documents bomsmith writes.
pub const TOOL_CREATOR: &str = concat!("Tool: bomsmith-", env!("CARGO_PKG_VERSION"));
/// Version of the SPDX license list that license expressions in written documents refer to.
pub const LICENSE_LIST_VERSION: &str = "3.22";
/// Largest file kept in memory for a detector (an in-tree SBOM, a bundled wheel).
const CAPTURE_LIMIT: usize = 64 << 20;

/// Everything a scan needs besides the input path.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// Project configuration or preset.
    pub config: Config,
    /// How to read the input (bounds, excludes, git-tracked).
    pub read: ReadOptions,
    /// Digests beyond SHA-1 and SHA-256.
    pub digests: DigestSet,
    /// Creation time (`YYYY-MM-DDThh:mm:ssZ`).
    pub created: String,
}

/// Counts of what the input held.
#[derive(Debug, Clone)]
pub struct Summary {
    /// What the input was.
    pub kind: InputKind,
    /// Regular files (hard links included).
    pub files: usize,
    /// Hard links, resolved to their targets' content.
    pub hard_links: usize,
    /// Entries that are not files, by kind.
    pub others: BTreeMap<EntryKind, usize>,
    /// Entries left out by exclude patterns.
    pub excluded: usize,
    /// Bytes of file content hashed.
    pub bytes: u64,
}

/// The result of a scan.
#[derive(Debug, Clone)]
pub struct ScanOutcome {
    /// The assembled document.
    pub document: Document,
    /// What was read.
    pub summary: Summary,
    /// Problems that left the document complete and correct.
    pub warnings: Vec<String>,
}

enum Source {
    Hashed(usize),
    LinkTo(String),
}

struct Collector {
    pool: HashPool,
    records: Vec<(String, Source)>,
    others: Vec<(String, EntryKind)>,
    warnings: Vec<String>,
    captures: GlobSet,
    captured: HashMap<String, Capture>,
    /// Exclude patterns for archive members (a directory walk applies them itself).
    excludes: Option<Excludes>,
    excluded: usize,
    bytes: u64,
}

/// True when `matches` holds for an archive member's path or for that path without its first
/// component (the root directory an archive usually wraps everything in, stripped later).
fn under_root(path: &str, matches: impl Fn(&str) -> bool) -> bool {
    matches(path) || path.split_once('/').is_some_and(|(_, rest)| matches(rest))
}

impl EntrySink for Collector {
    fn file(&mut self, path: &str, body: &mut dyn Read) -> io::Result<()> {
        if let Some(ex) = &self.excludes
            && under_root(path, |p| ex.matches(p))
        {
            self.excluded += 1;
            io::copy(body, &mut io::sink())?;
            return Ok(());
        }
        let (index, n) = if under_root(path, |p| self.captures.is_match(p)) {
            let mut cap = Capture::with_limit(CAPTURE_LIMIT);
            let r = self.pool.hash_reader(body, Some(&mut cap))?;
            self.captured.insert(path.to_owned(), cap);
            r
        } else {
            self.pool.hash_reader(body, None)?
        };
        self.bytes += n;
        self.records.push((path.to_owned(), Source::Hashed(index)));
        Ok(())
    }

    fn hard_link(&mut self, path: &str, target: &str) {
        self.records
            .push((path.to_owned(), Source::LinkTo(target.to_owned())));
    }

    fn other(&mut self, path: &str, kind: EntryKind) {
        self.others.push((path.to_owned(), kind));
    }

    fn warn(&mut self, message: String) {
        self.warnings.push(message);
    }
}

/// A file of the scanned input, with its final name and digests.
struct Scanned<'a> {
    path: String,
    digests: &'a Digests,
}

/// Top-level Python distribution metadata (a wheel's own).
const DIST_METADATA: &str = "*.dist-info/METADATA";

/// The supplier a distribution's core metadata states for project `name`: its maintainer, or
/// else its author, as `Person: name (email)`. Only the header block is read.
fn dist_supplier(metadata: &[u8], name: &str) -> Option<String> {
    let text = String::from_utf8_lossy(metadata);
    let mut fields: HashMap<String, String> = HashMap::new();
    for line in text.lines() {
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':')
            && !k.starts_with([' ', '\t'])
        {
            fields
                .entry(k.trim().to_ascii_lowercase())
                .or_insert_with(|| v.trim().to_owned());
        }
    }
    if fields.get("name").map(|n| crate::ident::pep503(n)) != Some(crate::ident::pep503(name)) {
        return None;
    }
    let person = |who: &str| -> Option<String> {
        let plain = fields.get(who).filter(|v| !v.is_empty() && *v != "UNKNOWN");
        let email = fields
            .get(&format!("{who}-email"))
            .filter(|v| !v.is_empty());
        // `Name <address>, ...`: the first entry.
        let (email_name, address) = match email.and_then(|e| e.split(',').next()) {
            Some(e) => match e.split_once('<') {
                Some((n, a)) => (
                    Some(n.trim().trim_matches('"').to_owned()).filter(|n| !n.is_empty()),
                    Some(a.trim_end_matches(['>', ' ']).trim().to_owned()),
                ),
                None => (None, Some(e.trim().to_owned())),
            },
            None => (None, None),
        };
        let shown = plain.cloned().or(email_name)?;
        Some(match address {
            Some(a) if !a.is_empty() => format!("Person: {shown} ({a})"),
            _ => format!("Person: {shown}"),
        })
    };
    person("maintainer").or_else(|| person("author"))
}

fn capture_globs(config: &Config) -> Result<GlobSet> {
    let mut b = GlobSetBuilder::new();
    let patterns = config
        .in_tree_sbom
        .iter()
        .filter(|s| s.externals.is_none())
        .map(|s| s.path.get_ref().as_str())
        .chain(
            config
                .bundled_wheel
                .iter()
                .map(|w| w.path.get_ref().as_str()),
        )
        // A wheel's own metadata names who supplies it.
        .chain(std::iter::once(DIST_METADATA));
    for p in patterns {
        let glob = GlobBuilder::new(p)
            .literal_separator(true)
            .build()
            .map_err(|e| Error::invalid("configuration", format!("`{p}`: {e}")))?;
        b.add(glob);
    }
    b.build()
        .map_err(|e| Error::invalid("configuration", e.to_string()))
}

/// The single top-level directory every entry is under, if there is one.
fn common_root<'a>(paths: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut root: Option<&str> = None;
    let mut any_nested = false;
    for p in paths {
        let (first, nested) = match p.split_once('/') {
            Some((f, _)) => (f, true),
            None => (p, false),
        };
        any_nested |= nested;
        match root {
            None => root = Some(first),
            Some(r) if r == first => {}
            Some(_) => return None,
        }
    }
    root.filter(|_| any_nested).map(str::to_owned)
}

/// Scans the input at `path` and assembles its document.
pub fn scan(path: &Path, options: &ScanOptions) -> Result<ScanOutcome> {
    let shown = path.display().to_string();
    let config = &options.config;
    let mut read = options.read.clone();
    read.dir
        .excludes
        .extend(config.scan.exclude.iter().cloned());
    let kind = input::detect(path)?;
    let archive_excludes = match kind {
        InputKind::Directory => None,
        _ => Some(Excludes::new(&read.dir.excludes, "--exclude")?),
    };
    let mut collector = Collector {
        pool: HashPool::new(options.digests),
        records: Vec::new(),
        others: Vec::new(),
        warnings: Vec::new(),
        captures: capture_globs(config)?,
        captured: HashMap::new(),
        excludes: archive_excludes,
        excluded: 0,
        bytes: 0,
    };
    let artifact = input::read_input(path, kind, &read, &mut collector)?;
    let Collector {
        pool,
        records,
        others,
        warnings,
        captured,
        excluded,
        bytes,
        ..
    } = collector;
    let digests = pool.finish().map_err(|e| Error::io(&shown, e))?;

    let mut summary = Summary {
        kind,
        files: records.len(),
        excluded,
        bytes,
        hard_links: 0,
        others: BTreeMap::new(),
    };
    for (_, kind) in &others {
        *summary.others.entry(*kind).or_default() += 1;
    }

    // Hard links take their target's digests; targets were checked when the link was read.
    let by_raw_path: HashMap<&str, usize> = records
        .iter()
        .filter_map(|(p, s)| match s {
            Source::Hashed(i) => Some((p.as_str(), *i)),
            Source::LinkTo(_) => None,
        })
        .collect();
    let links: HashMap<&str, &str> = records
        .iter()
        .filter_map(|(p, s)| match s {
            Source::LinkTo(t) => Some((p.as_str(), t.as_str())),
            Source::Hashed(_) => None,
        })
        .collect();
    let mut resolved: Vec<(&str, usize)> = Vec::with_capacity(records.len());
    for (p, s) in &records {
        let index = match s {
            Source::Hashed(i) => *i,
            Source::LinkTo(target) => {
                summary.hard_links += 1;
                // Links may point at links; each hop goes to an earlier member, so the chain
                // ends. A target left out by an exclude pattern has no content to give.
                let mut t = target.as_str();
                loop {
                    if let Some(i) = by_raw_path.get(t) {
                        break *i;
                    }
                    match links.get(t) {
                        Some(next) if *next != t => t = next,
                        _ => {
                            return Err(Error::archive(
                                &shown,
                                Some(p),
                                format!(
                                    "hard link to `{target}`, whose content is not in the scan (excluded?)"
                                ),
                            ));
                        }
                    }
                }
            }
        };
        resolved.push((p.as_str(), index));
    }

    let is_archive = artifact.kind != InputKind::Directory;
    let strip = match config.scan.strip_root_dir {
        Some(false) => None,
        _ if !is_archive => None,
        _ => common_root(
            resolved
                .iter()
                .map(|(p, _)| *p)
                .chain(others.iter().map(|(p, _)| p.as_str())),
        ),
    };
    let final_name = |p: &str| -> String {
        match &strip {
            Some(root) => p
                .strip_prefix(root.as_str())
                .and_then(|r| r.strip_prefix('/'))
                .unwrap_or(p)
                .to_owned(),
            None => p.to_owned(),
        }
    };
    let mut files: Vec<Scanned<'_>> = resolved
        .iter()
        .map(|(p, i)| Scanned {
            path: final_name(p),
            digests: &digests[*i],
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let captured: HashMap<String, Capture> = captured
        .into_iter()
        .map(|(p, c)| (final_name(&p), c))
        .collect();

    let artifact_name = match artifact.kind {
        InputKind::Directory => std::fs::canonicalize(path)
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "tree".into()),
        _ => path
            .file_name()
            .map_or_else(|| shown.clone(), |n| n.to_string_lossy().into_owned()),
    };
    let sha256 = match artifact.sha256 {
        Some(s) => hex(&s),
        None => content_digest(&files),
    };

    let mut asm = Assembly {
        input: &shown,
        options,
        files: &files,
        captured: &captured,
        ids: IdAllocator::default(),
        packages: Vec::new(),
        owner: HashMap::new(),
        file_ids: HashMap::new(),
        file_fields: HashMap::new(),
        relationships: Vec::new(),
        warnings,
    };
    let document = asm.assemble(&artifact_name, &sha256, is_archive.then_some(artifact))?;
    Ok(ScanOutcome {
        document,
        summary,
        warnings: asm.warnings,
    })
}

/// SHA-256 over a `sha256sum`-style manifest of the files (`HASH  PATH` lines, sorted by path):
/// a stable identity for a tree that has no artifact file.
fn content_digest(files: &[Scanned<'_>]) -> String {
    let mut manifest = String::with_capacity(files.len() * 100);
    for f in files {
        manifest.push_str(&hex(&f.digests.sha256));
        manifest.push_str("  ");
        manifest.push_str(&f.path);
        manifest.push('\n');
    }
    hex(&crate::digest::sha256(manifest.as_bytes()))
}

struct Assembly<'a> {
    input: &'a str,
    options: &'a ScanOptions,
    files: &'a [Scanned<'a>],
    captured: &'a HashMap<String, Capture>,
    ids: IdAllocator,
    packages: Vec<Package>,
    /// File path → owning package ID (when not the root package).
    owner: HashMap<String, String>,
    /// File path → ID taken over from an in-tree SBOM.
    file_ids: HashMap<String, String>,
    /// File path → fields declared for it in an in-tree SBOM.
    file_fields: HashMap<String, File>,
    relationships: Vec<Relationship>,
    warnings: Vec<String>,
}

impl Assembly<'_> {
    fn scanned(&self, path: &str) -> Option<&Scanned<'_>> {
        self.files
            .binary_search_by(|f| f.path.as_str().cmp(path))
            .ok()
            .map(|i| &self.files[i])
    }

    fn captured_bytes(&self, path: &str) -> Result<Option<&[u8]>> {
        match self.captured.get(path) {
            None => Ok(None),
            Some(c) if c.overflowed => Err(Error::Unsupported {
                path: format!("{}!{path}", self.input),
                message: format!(
                    "larger than the {CAPTURE_LIMIT} bytes bomsmith reads into memory"
                ),
            }),
            Some(c) => Ok(Some(&c.bytes)),
        }
    }

    fn assemble(
        &mut self,
        artifact_name: &str,
        sha256: &str,
        artifact: Option<input::Artifact>,
    ) -> Result<Document> {
        let config = &self.options.config;
        let (parsed_name, parsed_version) = split_artifact_name(artifact_name);
        let name = config.root.name.clone().unwrap_or(parsed_name);
        let version = config.root.version.clone().or(parsed_version);
        let vars = TemplateVars {
            name: name.clone(),
            version: version.clone().unwrap_or_default(),
            artifact: artifact_name.to_owned(),
            sha256: sha256.to_owned(),
        };
        let root_id = match &config.root.id {
            Some(id) => {
                self.ids.reserve(id);
                id.clone()
            }
            None => self.ids.allocate(spdx_id("SPDXRef-PACKAGE-", &name)),
        };
        let mut root = Package {
            id: root_id.clone(),
            name: name.clone(),
            version: version.clone(),
            supplier: config.root.supplier.clone(),
            originator: config.root.originator.clone(),
            download_location: config
                .root
                .download_location
                .as_ref()
                .map(|t| vars.expand(t.get_ref())),
            homepage: config.root.homepage.clone(),
            license_concluded: config.root.license_concluded.clone(),
            license_declared: config.root.license_declared.clone(),
            copyright_text: config.root.copyright_text.clone(),
            purpose: config
                .root
                .purpose
                .as_ref()
                .and_then(|p| Purpose::from_name(p.get_ref())),
            ..Package::default()
        };
        if root.supplier.is_none() {
            root.supplier = self
                .captured
                .iter()
                .filter(|(path, c)| {
                    !c.overflowed
                        && path.ends_with(".dist-info/METADATA")
                        && path.matches('/').count() == 1
                })
                .filter_map(|(_, c)| dist_supplier(&c.bytes, &name))
                .min();
        }
        let missing: Vec<&str> = [
            ("version", root.version.is_none()),
            ("supplier", root.supplier.is_none()),
        ]
        .into_iter()
        .filter_map(|(field, absent)| absent.then_some(field))
        .collect();
        if !missing.is_empty() {
            self.warnings.push(format!(
                "nothing states the {} of `{name}`, so the SBOM lacks NTIA minimum elements; set them under [root] in bomsmith.toml",
                missing.join(" or ")
            ));
        }
        if let Some(a) = &artifact {
            root.file_name = Some(artifact_name.to_owned());
            if let Some(s) = a.sha256 {
                root.checksums
                    .push(Checksum::from_bytes(Algorithm::Sha256, &s));
            }
        }
        if let Some(t) = &config.root.cpe {
            root.external_refs
                .push(ExternalRef::cpe23(vars.expand(t.get_ref())));
        }
        if let Some(t) = &config.root.purl {
            root.external_refs
                .push(ExternalRef::purl(vars.expand(t.get_ref())));
        }
        self.packages.push(root);

        // An externals document lists what a build fetches, not what the tree holds.
        for sbom in config.in_tree_sbom.iter().filter(|s| s.externals.is_none()) {
            self.take_in_tree_sbom(sbom, &root_id)?;
        }
        for wheel in &config.bundled_wheel {
            self.take_bundled_wheels(wheel, &root_id)?;
        }
        if let Some(s) = &config.every_package.supplier {
            for p in &mut self.packages {
                p.supplier = Some(s.clone());
            }
        }

        // Files: IDs taken over from in-tree SBOMs first, then the rest in path order.
        let mut doc_files = Vec::with_capacity(self.files.len());
        let mut sha1_by_package: HashMap<String, Vec<String>> = HashMap::new();
        for f in self.files {
            let id = match self.file_ids.get(&f.path) {
                Some(id) => id.clone(),
                None => self.ids.allocate(spdx_id("SPDXRef-FILE-", &f.path)),
            };
            let mut checksums = vec![
                Checksum::from_bytes(Algorithm::Sha1, &f.digests.sha1),
                Checksum::from_bytes(Algorithm::Sha256, &f.digests.sha256),
            ];
            if let Some(s) = &f.digests.sha512 {
                checksums.push(Checksum::from_bytes(Algorithm::Sha512, &s[..]));
            }
            let owner = self.owner.get(&f.path).unwrap_or(&root_id).clone();
            sha1_by_package
                .entry(owner.clone())
                .or_default()
                .push(hex(&f.digests.sha1));
            self.relationships
                .push(Relationship::new(owner, "CONTAINS", id.clone()));
            let declared = self.file_fields.remove(&f.path).unwrap_or_default();
            doc_files.push(File {
                id,
                name: f.path.clone(),
                checksums,
                license_concluded: declared.license_concluded,
                copyright_text: declared.copyright_text,
                comment: declared.comment,
            });
        }
        for p in &mut self.packages {
            match sha1_by_package.get_mut(&p.id) {
                Some(list) => {
                    p.files_analyzed = true;
                    p.verification_code = Some(verification_code(list));
                }
                None => {
                    p.files_analyzed = false;
                    p.verification_code = None;
                }
            }
        }
        self.relationships
            .push(Relationship::new(DOCUMENT_ID, "DESCRIBES", root_id));

        let base = match &version {
            Some(v) if !v.is_empty() => format!("{name}-{v}"),
            _ => name.clone(),
        };
        let doc_name = config
            .document
            .name
            .as_ref()
            .map_or_else(|| base.clone(), |t| vars.expand(t.get_ref()));
        let namespace = config.document.namespace.as_ref().map_or_else(
            || {
                format!(
                    "https://spdx.org/spdxdocs/{}-{sha256}",
                    crate::ident::purl_encode(&base)
                )
            },
            |t| vars.expand(t.get_ref()),
        );
        let mut creators = vec![TOOL_CREATOR.to_owned()];
        creators.extend(config.document.creators.iter().cloned());
        Ok(Document {
            name: doc_name,
            namespace,
            created: self.options.created.clone(),
            creators,
            license_list_version: Some(LICENSE_LIST_VERSION.to_owned()),
            data_license: "CC0-1.0".to_owned(),
            comment: None,
            packages: std::mem::take(&mut self.packages),
            files: doc_files,
            relationships: std::mem::take(&mut self.relationships),
            extracted_licenses: Vec::new(),
            external_documents: Vec::new(),
        })
    }

    fn take_in_tree_sbom(&mut self, sbom: &InTreeSbom, root_id: &str) -> Result<()> {
        let path = sbom.path.get_ref();
        let where_ = format!("{}!{path}", self.input);
        let Some(bytes) = self.captured_bytes(path)? else {
            if sbom.required {
                return Err(Error::Mismatch {
                    file: self.input.to_owned(),
                    message: format!(
                        "the configuration expects an SBOM at `{path}`, and the input has none"
                    ),
                });
            }
            return Ok(());
        };
        let (doc, report) = spdx2::read(bytes, &where_)?;
        for (field, n) in &report.dropped {
            self.warnings
                .push(format!("{where_}: {n} × `{field}` not carried over"));
        }
        let mut package_ids = std::collections::HashSet::new();
        for p in doc.packages {
            if !self.ids.reserve(&p.id) {
                return Err(Error::Mismatch {
                    file: where_,
                    message: format!("package ID `{}` clashes with another package", p.id),
                });
            }
            package_ids.insert(p.id.clone());
            self.relationships
                .push(Relationship::new(root_id, "DEPENDS_ON", p.id.clone()));
            self.packages.push(p);
        }
        let owner_of: HashMap<&str, &str> = doc
            .relationships
            .iter()
            .filter(|r| r.kind == "CONTAINS" && package_ids.contains(&r.from))
            .map(|r| (r.to.as_str(), r.from.as_str()))
            .collect();
        let file_ids: std::collections::HashSet<&str> =
            doc.files.iter().map(|f| f.id.as_str()).collect();
        for f in &doc.files {
            let Some(found) = self.scanned(&f.name) else {
                return Err(Error::Mismatch {
                    file: format!("{}!{}", self.input, f.name),
                    message: format!("declared in `{path}` but not present in the input"),
                });
            };
            for (alg, actual) in [
                (Algorithm::Sha256, hex(&found.digests.sha256)),
                (Algorithm::Sha1, hex(&found.digests.sha1)),
            ] {
                if let Some(declared) = f.checksum(alg)
                    && declared != actual
                {
                    return Err(Error::Mismatch {
                        file: format!("{}!{}", self.input, f.name),
                        message: format!(
                            "{alg} is {actual}, but `{path}` declares {declared}: the file was changed after the SBOM was generated"
                        ),
                    });
                }
            }
            if f.checksum(Algorithm::Sha256).is_none() {
                return Err(Error::Mismatch {
                    file: where_.clone(),
                    message: format!("file `{}` has no SHA256 checksum to verify", f.name),
                });
            }
            if !self.ids.reserve(&f.id) {
                return Err(Error::Mismatch {
                    file: where_,
                    message: format!("file ID `{}` is used twice", f.id),
                });
            }
            self.file_ids.insert(f.name.clone(), f.id.clone());
            if let Some(owner) = owner_of.get(f.id.as_str()) {
                self.owner.insert(f.name.clone(), (*owner).to_owned());
            }
            self.file_fields.insert(f.name.clone(), f.clone());
        }
        // Relationships among its own packages and files (other than ownership) stay.
        for r in doc.relationships {
            let known = |id: &str| package_ids.contains(id) || file_ids.contains(id);
            if r.kind != "CONTAINS" && r.kind != "DESCRIBES" && known(&r.from) && known(&r.to) {
                self.relationships.push(r);
            }
        }
        Ok(())
    }

    fn take_bundled_wheels(&mut self, wheel: &BundledWheel, root_id: &str) -> Result<()> {
        let glob = GlobBuilder::new(wheel.path.get_ref())
            .literal_separator(true)
            .build()
            .map_err(|e| Error::invalid("configuration", e.to_string()))?
            .compile_matcher();
        let matches: Vec<&Scanned<'_>> = self
            .files
            .iter()
            .filter(|f| glob.is_match(&f.path))
            .collect();
        if matches.is_empty() && wheel.required {
            return Err(Error::Mismatch {
                file: self.input.to_owned(),
                message: format!(
                    "the configuration expects a wheel at `{}`, and the input has none",
                    wheel.path.get_ref()
                ),
            });
        }
        for found in matches {
            let file_name = found.path.rsplit('/').next().unwrap_or(&found.path);
            let (name, version) = split_artifact_name(file_name);
            let version = version.ok_or_else(|| Error::Mismatch {
                file: format!("{}!{}", self.input, found.path),
                message: "a wheel's file name must be NAME-VERSION-TAGS.whl".into(),
            })?;
            let vars = TemplateVars {
                name: name.clone(),
                version: version.clone(),
                artifact: file_name.to_owned(),
                sha256: hex(&found.digests.sha256),
            };
            let id = self.ids.allocate(spdx_id("SPDXRef-PACKAGE-", &name));
            let mut refs = Vec::new();
            if let Some(t) = &wheel.cpe {
                refs.push(ExternalRef::cpe23(vars.expand(t.get_ref())));
            }
            refs.push(ExternalRef::purl(pypi_purl(&name, &version)));
            self.relationships
                .push(Relationship::new(root_id, "DEPENDS_ON", id.clone()));
            self.packages.push(Package {
                id: id.clone(),
                name,
                version: Some(version),
                originator: wheel.originator.clone(),
                // Offline there is no index to ask for the canonical URL: no assertion.
                download_location: None,
                checksums: vec![Checksum::from_bytes(
                    Algorithm::Sha256,
                    &found.digests.sha256,
                )],
                license_concluded: Some(spdx2::NOASSERTION.into()),
                external_refs: refs,
                purpose: Some(Purpose::Source),
                ..Package::default()
            });
            if let Some(list_path) = &wheel.vendored {
                self.take_vendored(&found.path, list_path, &id)?;
            }
        }
        Ok(())
    }

    fn take_vendored(&mut self, wheel_path: &str, list_path: &str, wheel_id: &str) -> Result<()> {
        let wheel_where = format!("{}!{wheel_path}", self.input);
        let bytes = self
            .captured_bytes(wheel_path)?
            .ok_or_else(|| Error::Mismatch {
                file: wheel_where.clone(),
                message: "wheel content was not captured".into(),
            })?;
        let mut grab = MemberGrab {
            want: list_path,
            found: None,
        };
        input::read_zip(&bytes, &wheel_where, &self.options.read.limits, &mut grab)?;
        let list_where = format!("{wheel_where}!{list_path}");
        let list = grab.found.ok_or_else(|| Error::Mismatch {
            file: wheel_where.clone(),
            message: format!("the wheel has no `{list_path}`"),
        })?;
        let text = String::from_utf8(list).map_err(|_| Error::Mismatch {
            file: list_where.clone(),
            message: "not valid UTF-8".into(),
        })?;
        for (lineno, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let (name, version) = crate::ident::parse_pin(line).ok_or_else(|| Error::Mismatch {
                file: format!("{list_where}:{}", lineno + 1),
                message: format!("expected `name==version`, found `{line}`"),
            })?;
            let name = name.to_ascii_lowercase();
            let id = self.ids.allocate(spdx_id("SPDXRef-PACKAGE-", &name));
            self.relationships
                .push(Relationship::new(wheel_id, "DEPENDS_ON", id.clone()));
            self.packages.push(Package {
                id,
                external_refs: vec![ExternalRef::purl(pypi_purl(&name, version))],
                name,
                version: Some(version.to_owned()),
                download_location: None,
                license_concluded: Some(spdx2::NOASSERTION.into()),
                purpose: Some(Purpose::Source),
                ..Package::default()
            });
        }
        Ok(())
    }
}

/// SPDX package verification code: SHA-1 of the sorted, concatenated file SHA-1s (hex).
pub fn verification_code(sha1s: &mut [String]) -> String {
    sha1s.sort_unstable();
    let mut joined = String::with_capacity(sha1s.len() * 40);
    for s in sha1s.iter() {
        joined.push_str(s);
    }
    hex(&crate::digest::sha1(joined.as_bytes()))
}

/// Keeps the bytes of one member of a nested archive, reading (and so checking) all others.
struct MemberGrab<'a> {
    want: &'a str,
    found: Option<Vec<u8>>,
}

impl EntrySink for MemberGrab<'_> {
    fn file(&mut self, path: &str, body: &mut dyn Read) -> io::Result<()> {
        if path == self.want {
            let mut buf = Vec::new();
            body.take(CAPTURE_LIMIT as u64).read_to_end(&mut buf)?;
            io::copy(body, &mut io::sink())?;
            self.found = Some(buf);
        } else {
            io::copy(body, &mut io::sink())?;
        }
        Ok(())
    }
    fn hard_link(&mut self, _: &str, _: &str) {}
    fn other(&mut self, _: &str, _: EntryKind) {}
    fn warn(&mut self, _: String) {}
}

#[cfg(test)]
mod tests {
    #[test]
    fn wheel_supplier_from_core_metadata() {
        let meta = b"Metadata-Version: 2.4\nName: Pillow\nVersion: 13.0.0\nAuthor-email: Jeffrey 'Alex' Clark <aclark@aclark.net>, Other <o@x.org>\n\nBody: not a header\n";
        assert_eq!(
            super::dist_supplier(meta, "pillow").as_deref(),
            Some("Person: Jeffrey 'Alex' Clark (aclark@aclark.net)")
        );
        let meta = b"Name: x\nAuthor: A\nAuthor-email: a@x.org\nMaintainer: M Team\n";
        assert_eq!(
            super::dist_supplier(meta, "X").as_deref(),
            Some("Person: M Team")
        );
        assert_eq!(super::dist_supplier(meta, "y"), None);
        assert_eq!(
            super::dist_supplier(b"Name: x\nAuthor: UNKNOWN\n", "x"),
            None
        );
    }

    use super::*;

    #[test]
    fn pins() {
        assert_eq!(
            crate::ident::parse_pin("CacheControl==0.14.2"),
            Some(("CacheControl", "0.14.2"))
        );
        assert_eq!(crate::ident::parse_pin("a == 1.0"), Some(("a", "1.0")));
        assert_eq!(crate::ident::parse_pin("a>=1.0"), None);
        assert_eq!(crate::ident::parse_pin("a==1.0; python_version<'3'"), None);
    }

    #[test]
    fn verification_code_of_known_files() {
        // SHA-1("a") sorts before SHA-1("b"); the code is SHA-1 of both hex strings joined.
        let a = "86f7e437faa5a7fce15d1ddcb9eaeaea377667b8";
        let b = "e9d71f5ee7c92d6dc9e92ffdad17b8bd49418f98";
        let mut list = vec![b.to_owned(), a.to_owned()];
        let expected = hex(&crate::digest::sha1(format!("{a}{b}").as_bytes()));
        assert_eq!(verification_code(&mut list), expected);
    }

    #[test]
    fn roots() {
        assert_eq!(
            common_root(["a/b", "a/c/d", "a"].into_iter()),
            Some("a".into())
        );
        assert_eq!(common_root(["a/b", "b/c"].into_iter()), None);
        assert_eq!(common_root(["a", "b"].into_iter()), None);
        assert_eq!(common_root(["only"].into_iter()), None);
    }
}
