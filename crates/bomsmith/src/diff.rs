//! What changed between two SBOMs, compared through the model, so either side may be SPDX or
//! CycloneDX.
//!
//! Components (packages) are paired in passes, each component at most once:
//!
//! 1. same PURL package (type, namespace and name in canonical form, see
//!    [`Purl::package_key`]) and same version, in document order;
//! 2. same PURL package alone, where exactly one component of each side is left for it;
//! 3. same name and version, in document order;
//! 4. same name alone, where exactly one component of each side is left for it.
//!
//! A component's PURL is its first one that parses. Two components that both have one and name
//! different packages are never paired, whatever their names. Names are equal case-insensitively,
//! or by PEP 503 (lower case, runs of `-`, `_`, `.` as one `-`) when either component is a Python
//! package (a `pkg:pypi` PURL, or a download location on PyPI). The version is the component's,
//! else its PURL's.
//!
//! Files are paired by their path relative to the document's root (see [`file_roots`]).
//! Checksums are compared on the algorithms both sides have.

use crate::ident::{Purl, parse_purl, pep503};
use crate::model::{Checksum, Document, File, Package, RefKind};
use std::collections::{BTreeMap, BTreeSet};

/// One field of a component that differs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FieldChange {
    /// `name`, `version`, `purl`, `cpe`, `identifiers`, `hashes`, `supplier`, `license`.
    pub field: &'static str,
    /// The old value, in words (`none` when absent).
    pub old: String,
    /// The new value, in words.
    pub new: String,
}

/// A component in one document only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentRef {
    /// Name.
    pub name: String,
    /// Version, when known.
    pub version: Option<String>,
    /// The first PURL, when it has one: tells apart components of one name.
    pub purl: Option<String>,
}

/// A component in both documents whose fields differ.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ComponentChange {
    /// Name in the old document.
    pub name: String,
    /// What differs.
    pub changes: Vec<FieldChange>,
}

/// A file in both documents whose content differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// Path relative to the documents' roots.
    pub name: String,
    /// Old checksums of the algorithms both sides have.
    pub old: Vec<Checksum>,
    /// New checksums of the same algorithms.
    pub new: Vec<Checksum>,
}

/// Everything that differs between two documents.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diff {
    /// Components only in the new document.
    pub added: Vec<ComponentRef>,
    /// Components only in the old document.
    pub removed: Vec<ComponentRef>,
    /// Components in both, changed.
    pub changed: Vec<ComponentChange>,
    /// Paths (relative to the new document's root) of files only in the new document.
    pub files_added: Vec<String>,
    /// Paths (relative to the old document's root) of files only in the old document.
    pub files_removed: Vec<String>,
    /// Files in both whose checksums differ.
    pub files_changed: Vec<FileChange>,
    /// The root directory (with its `/`) taken off every file path of the old document.
    pub old_root: Option<String>,
    /// The root directory (with its `/`) taken off every file path of the new document.
    pub new_root: Option<String>,
}

impl Diff {
    /// True when nothing differs.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
            && self.files_added.is_empty()
            && self.files_removed.is_empty()
            && self.files_changed.is_empty()
    }
}

fn words(v: Option<&str>) -> String {
    v.unwrap_or("none").to_owned()
}

fn joined(set: &BTreeSet<&str>) -> String {
    if set.is_empty() {
        "none".to_owned()
    } else {
        set.iter().copied().collect::<Vec<_>>().join(", ")
    }
}

fn locators(p: &Package, pick: impl Fn(&RefKind) -> bool) -> BTreeSet<&str> {
    p.external_refs
        .iter()
        .filter(|r| pick(&r.kind))
        .map(|r| r.locator.as_str())
        .collect()
}

/// Checksums of `a` and `b` restricted to the algorithms both have.
fn common(a: &[Checksum], b: &[Checksum]) -> (Vec<Checksum>, Vec<Checksum>) {
    let algs_b: BTreeSet<_> = b.iter().map(|c| c.algorithm).collect();
    let algs: BTreeSet<_> = a
        .iter()
        .map(|c| c.algorithm)
        .filter(|x| algs_b.contains(x))
        .collect();
    let pick = |list: &[Checksum]| -> Vec<Checksum> {
        let mut v: Vec<Checksum> = list
            .iter()
            .filter(|c| algs.contains(&c.algorithm))
            .cloned()
            .collect();
        v.sort();
        v.dedup();
        v
    };
    (pick(a), pick(b))
}

fn checksum_words(list: &[Checksum]) -> String {
    if list.is_empty() {
        return "none".to_owned();
    }
    list.iter()
        .map(|c| format!("{}:{}", c.algorithm.name(), c.value))
        .collect::<Vec<_>>()
        .join(", ")
}

/// True when the checksums say the content differs: a common algorithm disagrees, or one side
/// has checksums and the other none.
fn checksums_differ(a: &[Checksum], b: &[Checksum]) -> Option<(Vec<Checksum>, Vec<Checksum>)> {
    if a.is_empty() != b.is_empty() {
        let mut a = a.to_vec();
        let mut b = b.to_vec();
        a.sort();
        b.sort();
        return Some((a, b));
    }
    let (ca, cb) = common(a, b);
    (ca != cb).then_some((ca, cb))
}

fn license_words(p: &Package) -> String {
    format!(
        "declared {}, concluded {}",
        words(p.license_declared.as_deref()),
        words(p.license_concluded.as_deref())
    )
}

fn compare(old: &Package, new: &Package) -> Vec<FieldChange> {
    let mut out = Vec::new();
    let mut field = |field: &'static str, o: String, n: String| {
        if o != n {
            out.push(FieldChange {
                field,
                old: o,
                new: n,
            });
        }
    };
    field("name", old.name.clone(), new.name.clone());
    field(
        "version",
        words(old.version.as_deref()),
        words(new.version.as_deref()),
    );
    let is_purl = |k: &RefKind| *k == RefKind::Purl;
    let is_cpe = |k: &RefKind| matches!(k, RefKind::Cpe23 | RefKind::Cpe22);
    let is_other = |k: &RefKind| !is_purl(k) && !is_cpe(k);
    field(
        "purl",
        joined(&locators(old, is_purl)),
        joined(&locators(new, is_purl)),
    );
    field(
        "cpe",
        joined(&locators(old, is_cpe)),
        joined(&locators(new, is_cpe)),
    );
    field(
        "identifiers",
        joined(&locators(old, is_other)),
        joined(&locators(new, is_other)),
    );
    if let Some((o, n)) = checksums_differ(&old.checksums, &new.checksums) {
        field("hashes", checksum_words(&o), checksum_words(&n));
    }
    field(
        "supplier",
        words(old.supplier.as_deref()),
        words(new.supplier.as_deref()),
    );
    field("license", license_words(old), license_words(new));
    out
}

/// What pairing needs to know of a package.
struct Key<'a> {
    package: &'a Package,
    /// [`Purl::package_key`] of the first PURL that parses.
    purl: Option<String>,
    version: Option<String>,
    /// PEP 503 form of the name: equal for every pair of names that may be paired.
    pep503: String,
    /// Lower-cased name.
    folded: String,
    python: bool,
}

impl<'a> Key<'a> {
    fn new(package: &'a Package) -> Self {
        let purls: Vec<Purl> = package
            .external_refs
            .iter()
            .filter(|r| r.kind == RefKind::Purl)
            .filter_map(|r| parse_purl(&r.locator).ok())
            .collect();
        let first = purls.first();
        let on_pypi = package.download_location.as_deref().is_some_and(|d| {
            [
                "://pypi.org/",
                "://files.pythonhosted.org/",
                "://pypi.python.org/",
            ]
            .iter()
            .any(|host| d.contains(host))
        });
        Key {
            package,
            purl: first.map(Purl::package_key),
            version: package
                .version
                .clone()
                .or_else(|| first.and_then(|p| p.version().map(str::to_owned))),
            pep503: pep503(&package.name),
            folded: package.name.to_lowercase(),
            python: on_pypi || purls.iter().any(|p| p.ty() == "pypi"),
        }
    }

    /// Whether `self` and `other` may be paired by name: their PURLs do not name different
    /// packages, and their names are equal (by PEP 503 for a Python package).
    fn name_matches(&self, other: &Key) -> bool {
        let purls_agree = match (&self.purl, &other.purl) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        };
        purls_agree
            && self.pep503 == other.pep503
            && (self.folded == other.folded || self.python || other.python)
    }
}

/// Which components of each side are paired so far, and the pairs.
struct Pairing<'k, 'a> {
    old: &'k [Key<'a>],
    new: &'k [Key<'a>],
    old_used: Vec<bool>,
    new_used: Vec<bool>,
    pairs: Vec<(usize, usize)>,
}

impl<'k, 'a> Pairing<'k, 'a> {
    fn join(&mut self, o: usize, n: usize) {
        self.old_used[o] = true;
        self.new_used[n] = true;
        self.pairs.push((o, n));
    }

    /// The unpaired components of each side grouped by `group`, in document order.
    #[allow(clippy::type_complexity)]
    fn groups<G: Ord>(
        &self,
        group: impl Fn(&Key<'a>) -> Option<G>,
    ) -> BTreeMap<G, (Vec<usize>, Vec<usize>)> {
        let mut out: BTreeMap<G, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
        for (i, k) in self.old.iter().enumerate() {
            if let Some(g) = (!self.old_used[i]).then(|| group(k)).flatten() {
                out.entry(g).or_default().0.push(i);
            }
        }
        for (i, k) in self.new.iter().enumerate() {
            if let Some(g) = (!self.new_used[i]).then(|| group(k)).flatten() {
                out.entry(g).or_default().1.push(i);
            }
        }
        out
    }

    /// Within each group, pairs each old component with the first new one `fits` accepts.
    fn in_order<G: Ord>(
        &mut self,
        group: impl Fn(&Key<'a>) -> Option<G>,
        fits: impl Fn(&Key<'a>, &Key<'a>) -> bool,
    ) {
        for (_, (olds, news)) in self.groups(group) {
            for o in olds {
                let found = news
                    .iter()
                    .copied()
                    .find(|&n| !self.new_used[n] && fits(&self.old[o], &self.new[n]));
                if let Some(n) = found {
                    self.join(o, n);
                }
            }
        }
    }

    /// Within each group, pairs an old and a new component when each is the other's only
    /// candidate `fits` accepts: a guess between several is no pairing.
    fn unique<G: Ord>(
        &mut self,
        group: impl Fn(&Key<'a>) -> Option<G>,
        fits: impl Fn(&Key<'a>, &Key<'a>) -> bool,
    ) {
        for (_, (olds, news)) in self.groups(group) {
            let fit = |o: usize, n: usize| fits(&self.old[o], &self.new[n]);
            let mut found = Vec::new();
            for &o in &olds {
                let mut candidates = news.iter().copied().filter(|&n| fit(o, n));
                if let (Some(n), None) = (candidates.next(), candidates.next())
                    && olds.iter().filter(|&&x| fit(x, n)).count() == 1
                {
                    found.push((o, n));
                }
            }
            for (o, n) in found {
                self.join(o, n);
            }
        }
    }
}

/// Pairs the packages of two documents; returns (pairs, only old, only new).
#[allow(clippy::type_complexity)]
fn pair<'a>(
    old: &'a [Package],
    new: &'a [Package],
) -> (
    Vec<(&'a Package, &'a Package)>,
    Vec<&'a Package>,
    Vec<&'a Package>,
) {
    let old: Vec<Key> = old.iter().map(Key::new).collect();
    let new: Vec<Key> = new.iter().map(Key::new).collect();
    let mut p = Pairing {
        old: &old,
        new: &new,
        old_used: vec![false; old.len()],
        new_used: vec![false; new.len()],
        pairs: Vec::new(),
    };
    let purl = |k: &Key| k.purl.clone();
    let purl_version = |k: &Key| k.purl.clone().map(|p| (p, k.version.clone()));
    let name = |k: &Key| Some(k.pep503.clone());
    let name_version = |k: &Key| Some((k.pep503.clone(), k.version.clone()));
    p.in_order(purl_version, |_, _| true);
    p.unique(purl, |_, _| true);
    p.in_order(name_version, Key::name_matches);
    p.unique(name, Key::name_matches);
    let pairs = p
        .pairs
        .iter()
        .map(|&(o, n)| (old[o].package, new[n].package))
        .collect();
    let removed = old
        .iter()
        .zip(&p.old_used)
        .filter(|(_, used)| !**used)
        .map(|(k, _)| k.package)
        .collect();
    let added = new
        .iter()
        .zip(&p.new_used)
        .filter(|(_, used)| !**used)
        .map(|(k, _)| k.package)
        .collect();
    (pairs, removed, added)
}

/// A path without its leading `./` and `/` (any number of them).
fn relative(path: &str) -> &str {
    let mut p = path;
    loop {
        if let Some(rest) = p.strip_prefix("./") {
            p = rest;
        } else if let Some(rest) = p.strip_prefix('/') {
            p = rest;
        } else {
            return p;
        }
    }
}

/// The first segment of a relative path: the directory it starts in, or the file's own name.
fn first_segment(path: &str) -> &str {
    path.split('/').next().unwrap_or(path)
}

/// The directory every path (relative, see [`relative`]) lies in, when there is one.
fn common_dir<'p>(paths: &[&'p str]) -> Option<&'p str> {
    let mut dir = None;
    for path in paths {
        let (first, _) = path.split_once('/')?;
        if first.is_empty() || first == "." || first == ".." || dir.is_some_and(|d| d != first) {
            return None;
        }
        dir = Some(first);
    }
    dir
}

/// The root directories of the old and new documents' files, each with its `/`.
///
/// Paths are first taken relative: leading `./` and `/` removed (syft writes `/Lib/a.py`). A
/// document's candidate root is the first path segment that every one of its file paths has as
/// a directory (a release tarball's `Python-3.13.5/`). When both candidates are the same
/// directory, neither is a root: the trees sit at the same place. Otherwise a candidate is the
/// root when the other document has files and none of them, with the other's candidate removed,
/// starts in that directory: a directory both documents use is part of the tree, not a root.
/// Files pair by their relative path with the root, if any, removed.
pub fn file_roots(old: &[File], new: &[File]) -> (Option<String>, Option<String>) {
    let old_paths: Vec<&str> = old.iter().map(|f| relative(&f.name)).collect();
    let new_paths: Vec<&str> = new.iter().map(|f| relative(&f.name)).collect();
    let (old_dir, new_dir) = (common_dir(&old_paths), common_dir(&new_paths));
    if old_dir == new_dir {
        return (None, None);
    }
    let root = |dir: Option<&str>, other: &[&str], other_dir: Option<&str>| -> Option<String> {
        let dir = dir?;
        let used = other.iter().any(|p| {
            let p = other_dir
                .and_then(|d| p.strip_prefix(d)?.strip_prefix('/'))
                .unwrap_or(p);
            first_segment(p) == dir
        });
        (!other.is_empty() && !used).then(|| format!("{dir}/"))
    };
    (
        root(old_dir, &new_paths, new_dir),
        root(new_dir, &old_paths, old_dir),
    )
}

/// Every file of a document by its path relative to `root`, in document order.
fn files_by_path<'f>(files: &'f [File], root: Option<&str>) -> BTreeMap<String, Vec<&'f File>> {
    let mut out: BTreeMap<String, Vec<&File>> = BTreeMap::new();
    for f in files {
        let path = relative(&f.name);
        let path = root.and_then(|r| path.strip_prefix(r)).unwrap_or(path);
        out.entry(path.to_owned()).or_default().push(f);
    }
    out
}

/// Compares the files of two documents into `d`.
fn diff_files(old: &[File], new: &[File], d: &mut Diff) {
    let (old_root, new_root) = file_roots(old, new);
    let mut old_files = files_by_path(old, old_root.as_deref());
    let mut new_files = files_by_path(new, new_root.as_deref());
    for (path, olds) in &mut old_files {
        let news = new_files.remove(path).unwrap_or_default();
        // A path listed more than once on a side: equal content pairs first, then in order.
        let mut news: Vec<Option<&File>> = news.into_iter().map(Some).collect();
        let mut left = Vec::new();
        for o in olds.drain(..) {
            let same = news.iter_mut().find(|n| {
                n.is_some_and(|n| checksums_differ(&o.checksums, &n.checksums).is_none())
            });
            match same {
                Some(slot) => *slot = None,
                None => left.push(o),
            }
        }
        let mut news = news.into_iter().flatten();
        for o in left {
            match news.next() {
                None => d.files_removed.push(path.clone()),
                Some(n) => {
                    if let Some((old_sums, new_sums)) = checksums_differ(&o.checksums, &n.checksums)
                    {
                        d.files_changed.push(FileChange {
                            name: path.clone(),
                            old: old_sums,
                            new: new_sums,
                        });
                    }
                }
            }
        }
        d.files_added.extend(news.map(|_| path.clone()));
    }
    for (path, news) in new_files {
        d.files_added.extend(news.iter().map(|_| path.clone()));
    }
    d.files_added.sort();
    d.files_removed.sort();
    d.files_changed
        .sort_by(|a, b| (&a.name, &a.old, &a.new).cmp(&(&b.name, &b.old, &b.new)));
    d.old_root = old_root;
    d.new_root = new_root;
}

/// Compares two documents.
pub fn diff(old: &Document, new: &Document) -> Diff {
    let mut d = Diff::default();
    let (pairs, removed, added) = pair(&old.packages, &new.packages);
    let cref = |p: &Package| ComponentRef {
        name: p.name.clone(),
        version: p.version.clone(),
        purl: p.purl().map(str::to_owned),
    };
    d.removed = removed.into_iter().map(cref).collect();
    d.added = added.into_iter().map(cref).collect();
    for (o, n) in pairs {
        let changes = compare(o, n);
        if !changes.is_empty() {
            d.changed.push(ComponentChange {
                name: o.name.clone(),
                changes,
            });
        }
    }
    diff_files(&old.files, &new.files, &mut d);
    let key = |c: &ComponentRef| (c.name.clone(), c.version.clone(), c.purl.clone());
    d.added.sort_by_key(key);
    d.removed.sort_by_key(key);
    d.changed.sort();
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Algorithm, ExternalRef, File};

    fn pkg(name: &str, version: &str) -> Package {
        Package {
            id: format!("SPDXRef-{name}"),
            name: name.into(),
            version: Some(version.into()),
            external_refs: vec![ExternalRef::purl(format!("pkg:generic/{name}@{version}"))],
            ..Package::default()
        }
    }

    fn file(name: &str, sha1: &str, sha256: Option<&str>) -> File {
        let mut checksums = vec![Checksum {
            algorithm: Algorithm::Sha1,
            value: sha1.into(),
        }];
        if let Some(v) = sha256 {
            checksums.push(Checksum {
                algorithm: Algorithm::Sha256,
                value: v.into(),
            });
        }
        File {
            id: format!("SPDXRef-{name}"),
            name: name.into(),
            checksums,
            ..File::default()
        }
    }

    #[test]
    fn reports_added_removed_and_changed() {
        let old = Document {
            packages: vec![
                pkg("a", "1"),
                pkg("b", "1"),
                pkg("dup", "1"),
                pkg("dup", "2"),
            ],
            files: vec![
                file("x", "11", Some("aa")),
                file("y", "22", None),
                file("gone", "0", None),
            ],
            ..Document::default()
        };
        let new = Document {
            packages: vec![
                pkg("a", "2"),
                pkg("c", "1"),
                pkg("dup", "2"),
                pkg("dup", "1"),
            ],
            // `x` keeps its SHA-1 and lost its SHA-256: unchanged on what both sides have.
            files: vec![
                file("x", "11", None),
                file("y", "23", None),
                file("new", "0", None),
            ],
            ..Document::default()
        };
        let d = diff(&old, &new);
        assert_eq!(
            d.added,
            vec![ComponentRef {
                name: "c".into(),
                version: Some("1".into()),
                purl: Some("pkg:generic/c@1".into()),
            }]
        );
        assert_eq!(
            d.removed,
            vec![ComponentRef {
                name: "b".into(),
                version: Some("1".into()),
                purl: Some("pkg:generic/b@1".into()),
            }]
        );
        assert_eq!(d.changed.len(), 1, "{:?}", d.changed);
        assert_eq!(d.changed[0].name, "a");
        let fields: Vec<_> = d.changed[0].changes.iter().map(|c| c.field).collect();
        assert_eq!(fields, ["version", "purl"]);
        assert_eq!(d.files_added, ["new"]);
        assert_eq!(d.files_removed, ["gone"]);
        assert_eq!(d.files_changed.len(), 1);
        assert_eq!(d.files_changed[0].name, "y");
        assert!(diff(&old, &old).is_empty());
    }

    fn bare(name: &str, version: &str) -> Package {
        Package {
            external_refs: Vec::new(),
            ..pkg(name, version)
        }
    }

    fn with_purl(name: &str, version: &str, purl: &str) -> Package {
        Package {
            external_refs: vec![ExternalRef::purl(purl)],
            ..pkg(name, version)
        }
    }

    /// (old name, old version, new name, new version) of every pair, removed, added.
    #[allow(clippy::type_complexity)]
    fn pairing(
        old: &[Package],
        new: &[Package],
    ) -> (Vec<(String, String)>, Vec<String>, Vec<String>) {
        let show = |p: &Package| format!("{} {}", p.name, p.version.as_deref().unwrap_or("-"));
        let (pairs, removed, added) = pair(old, new);
        (
            pairs.iter().map(|(o, n)| (show(o), show(n))).collect(),
            removed.into_iter().map(show).collect(),
            added.into_iter().map(show).collect(),
        )
    }

    #[test]
    fn names_pair_case_insensitively_and_by_pep503_only_for_python() {
        let (pairs, removed, added) = pairing(
            &[bare("OpenSSL", "3.0"), bare("foo_bar", "1")],
            &[bare("openssl", "3.5"), bare("foo-bar", "1")],
        );
        assert_eq!(pairs, [("OpenSSL 3.0".into(), "openssl 3.5".into())]);
        assert_eq!(
            (removed, added),
            (vec!["foo_bar 1".into()], vec!["foo-bar 1".into()])
        );
        // A download location on PyPI makes it a Python package.
        let pypi = Package {
            download_location: Some(
                "https://files.pythonhosted.org/packages/foo_bar-1.tar.gz".into(),
            ),
            ..bare("foo_bar", "1")
        };
        let (pairs, _, _) = pairing(&[pypi], &[bare("foo-bar", "2")]);
        assert_eq!(pairs, [("foo_bar 1".into(), "foo-bar 2".into())]);
    }

    #[test]
    fn ambiguous_names_are_not_guessed() {
        // Two old setuptools without PURLs and one new of another version: which one it
        // replaced is a guess, so none is paired.
        let (pairs, removed, added) = pairing(
            &[bare("setuptools", "79.0.1"), bare("setuptools", "70.3.0")],
            &[bare("setuptools", "80.9.0")],
        );
        assert!(pairs.is_empty(), "{pairs:?}");
        assert_eq!((removed.len(), added.len()), (2, 1));
        // Equal versions pair first; what is left of one name on each side then pairs.
        let (pairs, removed, added) = pairing(
            &[bare("setuptools", "79.0.1"), bare("setuptools", "70.3.0")],
            &[bare("setuptools", "80.9.0"), bare("setuptools", "70.3.0")],
        );
        assert_eq!(
            pairs,
            [
                ("setuptools 70.3.0".into(), "setuptools 70.3.0".into()),
                ("setuptools 79.0.1".into(), "setuptools 80.9.0".into())
            ]
        );
        assert!(removed.is_empty() && added.is_empty());
    }

    #[test]
    fn a_purl_decides_before_a_name() {
        // Without a PURL on one side the name decides; different PURLs never pair.
        let (pairs, removed, added) = pairing(
            &[
                with_purl("setuptools", "79.0.1", "pkg:pypi/setuptools@79.0.1"),
                bare("expat", "2.6.3"),
            ],
            &[
                with_purl(
                    "setuptools",
                    "70.3.0",
                    "pkg:deb/debian/python3-setuptools@70.3.0",
                ),
                with_purl("libexpat", "2.7.1", "pkg:github/libexpat/libexpat@R_2_7_1"),
                with_purl("expat", "2.7.1", "pkg:generic/expat@2.7.1"),
            ],
        );
        assert_eq!(pairs, [("expat 2.6.3".into(), "expat 2.7.1".into())]);
        assert_eq!(removed, ["setuptools 79.0.1"]);
        assert_eq!(added, ["setuptools 70.3.0", "libexpat 2.7.1"]);
        // A version missing from the component is taken from its PURL.
        let unversioned = Package {
            version: None,
            ..with_purl("pip", "0", "pkg:pypi/pip@25.1.1")
        };
        let (pairs, _, _) = pairing(
            &[with_purl("pip", "24.0", "pkg:pypi/pip@24.0"), unversioned],
            &[with_purl("pip", "25.1.1", "pkg:pypi/pip@25.1.1")],
        );
        assert_eq!(pairs, [("pip -".into(), "pip 25.1.1".into())]);
    }

    #[test]
    fn file_roots_are_stripped_only_when_not_shared() {
        let files =
            |paths: &[&str]| -> Vec<File> { paths.iter().map(|p| file(p, "1", None)).collect() };
        let roots = |a: &[&str], b: &[&str]| file_roots(&files(a), &files(b));
        assert_eq!(
            roots(&["./P-1/a", "./P-1/d/b"], &["a", "d/b"]),
            (Some("P-1/".into()), None)
        );
        assert_eq!(
            roots(&["P-1/a", "P-1/d/b"], &["/P-2/a"]),
            (Some("P-1/".into()), Some("P-2/".into()))
        );
        // A tarball's root against a tree whose files all lie in one directory.
        assert_eq!(
            roots(&["P-1/Lib/a", "P-1/Lib/b"], &["Lib/a", "Lib/c"]),
            (Some("P-1/".into()), None)
        );
        // The same directory on both sides, a directory the other side uses, a file at the
        // top, nothing on the other side: no root.
        assert_eq!(roots(&["d/a", "d/b"], &["d/a"]), (None, None));
        assert_eq!(roots(&["d/a", "d/b"], &["d/a", "c"]), (None, None));
        assert_eq!(roots(&["d/a", "top"], &["x/a"]), (None, Some("x/".into())));
        assert_eq!(roots(&["x/a"], &[]), (None, None));
        assert_eq!(roots(&["../a"], &["b"]), (None, None));
        // Duplicate paths: equal content pairs first, the rest is added or removed.
        let old = Document {
            files: vec![file("./a", "1", None), file("a", "2", None)],
            ..Document::default()
        };
        let new = Document {
            files: vec![file("a", "2", None)],
            ..Document::default()
        };
        let d = diff(&old, &new);
        assert_eq!(d.files_removed, ["a"]);
        assert!(d.files_changed.is_empty() && d.files_added.is_empty());
    }
}
