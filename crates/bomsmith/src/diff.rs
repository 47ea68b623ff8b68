//! What changed between two SBOMs, compared through the model, so either side may be SPDX or
//! CycloneDX.
//!
//! Components (packages) are matched by name; where a name occurs more than once on a side,
//! equal versions are paired first, then the rest in document order. Files are matched by
//! path. Checksums are compared on the algorithms both sides have.

use crate::model::{Checksum, Document, Package, RefKind};
use std::collections::{BTreeMap, BTreeSet};

/// One field of a component that differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    /// `version`, `purl`, `cpe`, `identifiers`, `hashes`, `supplier`, `license`.
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
}

/// A component in both documents whose fields differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentChange {
    /// Name.
    pub name: String,
    /// What differs.
    pub changes: Vec<FieldChange>,
}

/// A file in both documents whose content differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// Path.
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
    /// Paths of files only in the new document.
    pub files_added: Vec<String>,
    /// Paths of files only in the old document.
    pub files_removed: Vec<String>,
    /// Files in both whose checksums differ.
    pub files_changed: Vec<FileChange>,
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
    let mut by_name: BTreeMap<&str, (Vec<&Package>, Vec<&Package>)> = BTreeMap::new();
    for p in old {
        by_name.entry(&p.name).or_default().0.push(p);
    }
    for p in new {
        by_name.entry(&p.name).or_default().1.push(p);
    }
    let (mut pairs, mut removed, mut added) = (Vec::new(), Vec::new(), Vec::new());
    for (_, (mut o, mut n)) in by_name {
        // Equal versions first.
        let mut i = 0;
        while i < o.len() {
            match n.iter().position(|x| x.version == o[i].version) {
                Some(j) => {
                    pairs.push((o.remove(i), n.remove(j)));
                }
                None => i += 1,
            }
        }
        let k = o.len().min(n.len());
        pairs.extend(o.drain(..k).zip(n.drain(..k)));
        removed.extend(o);
        added.extend(n);
    }
    (pairs, removed, added)
}

/// Compares two documents.
pub fn diff(old: &Document, new: &Document) -> Diff {
    let mut d = Diff::default();
    let (pairs, removed, added) = pair(&old.packages, &new.packages);
    let cref = |p: &Package| ComponentRef {
        name: p.name.clone(),
        version: p.version.clone(),
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
    let old_files: BTreeMap<&str, &[Checksum]> = old
        .files
        .iter()
        .map(|f| (f.name.as_str(), f.checksums.as_slice()))
        .collect();
    let new_files: BTreeMap<&str, &[Checksum]> = new
        .files
        .iter()
        .map(|f| (f.name.as_str(), f.checksums.as_slice()))
        .collect();
    for (name, sums) in &old_files {
        match new_files.get(name) {
            None => d.files_removed.push((*name).to_owned()),
            Some(new_sums) => {
                if let Some((o, n)) = checksums_differ(sums, new_sums) {
                    d.files_changed.push(FileChange {
                        name: (*name).to_owned(),
                        old: o,
                        new: n,
                    });
                }
            }
        }
    }
    d.files_added = new_files
        .keys()
        .filter(|n| !old_files.contains_key(*n))
        .map(|n| (*n).to_owned())
        .collect();
    let key = |c: &ComponentRef| (c.name.clone(), c.version.clone());
    d.added.sort_by_key(key);
    d.removed.sort_by_key(key);
    d.changed.sort_by(|a, b| a.name.cmp(&b.name));
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
                version: Some("1".into())
            }]
        );
        assert_eq!(
            d.removed,
            vec![ComponentRef {
                name: "b".into(),
                version: Some("1".into())
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
}
