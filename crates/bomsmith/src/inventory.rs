//! The inventory of an input: every entry with its final name, every regular file with its
//! digests, hard links resolved, the archive's root directory stripped, exclude patterns
//! applied the same way for every kind of input, and the bytes of the files detectors asked
//! for. Input and digest meet here; every command that looks at files starts from it.

use crate::diag::Diagnostic;
use crate::digest::{Capture, DigestSet, Digests, HashPool};
use crate::error::{Error, Result};
use crate::glob::{Excludes, Glob};
use crate::input::{self, Artifact, EntryKind, EntrySink, InputKind, OpenedWhenRead, ReadOptions};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Largest file kept in memory for a detector (an in-tree SBOM, a bundled wheel).
pub const CAPTURE_LIMIT: usize = 64 << 20;

/// What to take from an input.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// How to read it (bounds; for a directory, which parts and whether through git).
    pub read: ReadOptions,
    /// Paths to leave out (of the final names, whatever the input).
    pub excludes: Excludes,
    /// Which digests, and how line endings count.
    pub digests: DigestSet,
    /// Drop the single top-level directory of an archive from the names: `None` when every
    /// member is under one; never for directories.
    pub strip_root: Option<bool>,
    /// Hash only the files some of these globs match (the others are listed without digests);
    /// `None` hashes every file.
    pub hash_only: Option<Vec<Glob>>,
    /// Counters a progress display reads while the input is read.
    pub progress: Option<std::sync::Arc<crate::digest::Progress>>,
}

/// A regular file of the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEntry {
    /// Path from the root (after the archive's root directory is stripped), `/`-separated.
    pub path: String,
    /// Its digests, unless the options left it unhashed.
    pub digests: Option<Digests>,
}

/// Counts of what the input held.
#[derive(Debug, Clone, PartialEq, Eq)]
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

/// Everything an input holds, named as the document will name it.
#[derive(Debug)]
pub struct Inventory {
    /// The input as the user named it (for messages).
    pub input: String,
    /// The directory read, for directory inputs (to read files detectors ask for later).
    pub root: Option<PathBuf>,
    /// The artifact: its kind, and for archives its size and SHA-256.
    pub artifact: Artifact,
    /// Regular files, sorted by path.
    pub files: Vec<FileEntry>,
    /// Entries that are not regular files (directories, links, devices), sorted by path.
    pub others: Vec<(String, EntryKind)>,
    /// The directory stripped from every archive member's name, if any.
    pub stripped_root: Option<String>,
    /// What was read.
    pub summary: Summary,
    /// Problems that leave the inventory complete and correct.
    pub diagnostics: Vec<Diagnostic>,
    captured: HashMap<String, Capture>,
}

enum Source {
    Hashed(usize),
    Unhashed,
    LinkTo(String),
}

/// Receives the input's entries: queues files for hashing, keeps what detectors want.
struct Collector<'a> {
    pool: HashPool,
    options: &'a Options,
    capture: &'a dyn Fn(&str) -> bool,
    /// Directory inputs have final names as they stream; archives only once the root is known.
    final_names: bool,
    records: Vec<(String, Source)>,
    others: Vec<(String, EntryKind)>,
    diagnostics: Vec<Diagnostic>,
    captured: HashMap<String, Capture>,
    excluded: usize,
}

/// `path` without its first component, when it has more than one.
fn below_first(path: &str) -> Option<&str> {
    path.split_once('/').map(|(_, rest)| rest)
}

impl Collector<'_> {
    /// True when `test` holds for the path as it will be named: as is for directories; for an
    /// archive either as is or without its first component (the root it may be stripped of).
    fn as_named(&self, path: &str, test: impl Fn(&str) -> bool) -> bool {
        test(path) || (!self.final_names && below_first(path).is_some_and(test))
    }
}

impl EntrySink for Collector<'_> {
    fn file(&mut self, path: &str, body: &mut dyn Read) -> io::Result<()> {
        // Excluded files of a directory are not even read (archives exclude once the names
        // are final, at the end).
        if self.final_names && self.options.excludes.covers(path) {
            self.excluded += 1;
            return Ok(());
        }
        let hash = match &self.options.hash_only {
            None => true,
            Some(globs) => self.as_named(path, |p| globs.iter().any(|g| g.matches(p))),
        };
        let capture = self.as_named(path, self.capture);
        if !hash {
            if capture {
                let mut cap = Capture::with_limit(CAPTURE_LIMIT);
                cap.read_from(body)?;
                self.captured.insert(path.to_owned(), cap);
            } else if !self.final_names {
                io::copy(body, &mut io::sink())?;
            }
            self.records.push((path.to_owned(), Source::Unhashed));
            return Ok(());
        }
        let (index, _) = if capture {
            let mut cap = Capture::with_limit(CAPTURE_LIMIT);
            let r = self.pool.hash_reader(body, Some(&mut cap))?;
            self.captured.insert(path.to_owned(), cap);
            r
        } else {
            self.pool.hash_reader(body, None)?
        };
        self.records.push((path.to_owned(), Source::Hashed(index)));
        Ok(())
    }

    fn file_at(&mut self, path: &str, full: &Path) -> io::Result<()> {
        // A file a worker can read and hash itself, when nothing else is wanted of it.
        let plain = !self.options.excludes.covers(path)
            && !(self.capture)(path)
            && self
                .options
                .hash_only
                .as_ref()
                .is_none_or(|globs| globs.iter().any(|g| g.matches(path)));
        if !plain {
            return self.file(path, &mut OpenedWhenRead::new(full));
        }
        let index = self.pool.hash_file(full.to_owned())?;
        self.records.push((path.to_owned(), Source::Hashed(index)));
        Ok(())
    }

    fn hard_link(&mut self, path: &str, target: &str) {
        self.records
            .push((path.to_owned(), Source::LinkTo(target.to_owned())));
    }

    fn other(&mut self, path: &str, kind: EntryKind) {
        if self.final_names && self.options.excludes.covers(path) {
            self.excluded += 1;
            return;
        }
        self.others.push((path.to_owned(), kind));
    }

    fn warn(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn retract(&mut self, unlisted: &dyn Fn(&str) -> bool) {
        self.records.retain(|(p, _)| !unlisted(p));
        self.others.retain(|(p, _)| !unlisted(p));
        self.captured.retain(|p, _| !unlisted(p));
    }
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

impl Inventory {
    /// Reads the input at `path` (a directory or an archive, recognised by content). Files for
    /// which `capture` holds (as they will be named) are also kept in memory, up to
    /// [`CAPTURE_LIMIT`] bytes each.
    pub fn take(path: &Path, options: &Options, capture: &dyn Fn(&str) -> bool) -> Result<Self> {
        let shown = path.display().to_string();
        let kind = input::detect(path)?;
        let is_dir = kind == InputKind::Directory;
        let mut collector = Collector {
            pool: HashPool::counted(options.digests, !is_dir, options.progress.clone()),
            options,
            capture,
            final_names: is_dir,
            records: Vec::new(),
            others: Vec::new(),
            diagnostics: Vec::new(),
            captured: HashMap::new(),
            excluded: 0,
        };
        let artifact = input::read_input(path, kind, &options.read, &mut collector)?;
        let Collector {
            pool,
            records,
            mut others,
            diagnostics,
            captured,
            mut excluded,
            ..
        } = collector;
        let digests = pool.finish()?;
        let mut digests: Vec<Option<Digests>> = digests.into_iter().map(Some).collect();

        // Hard links take their target's digests; targets were checked when the link was
        // read, and links may point at links, each to an earlier member, so chains end.
        let index_of: HashMap<&str, usize> = records
            .iter()
            .filter_map(|(p, s)| match s {
                Source::Hashed(i) => Some((p.as_str(), *i)),
                _ => None,
            })
            .collect();
        let links: HashMap<&str, &str> = records
            .iter()
            .filter_map(|(p, s)| match s {
                Source::LinkTo(t) => Some((p.as_str(), t.as_str())),
                _ => None,
            })
            .collect();
        let mut hard_links = 0;
        // (path, digests index, whether it is a hard link)
        let mut resolved: Vec<(&str, Option<usize>, bool)> = Vec::with_capacity(records.len());
        for (p, s) in &records {
            let index = match s {
                Source::Hashed(i) => Some(*i),
                Source::Unhashed => None,
                Source::LinkTo(target) => {
                    hard_links += 1;
                    let mut t = target.as_str();
                    let mut hops = 0;
                    loop {
                        if let Some(i) = index_of.get(t) {
                            break Some(*i);
                        }
                        match links.get(t) {
                            Some(next) if *next != t && hops < links.len() => {
                                t = next;
                                hops += 1;
                            }
                            _ => {
                                return Err(Error::archive(
                                    &shown,
                                    Some(p),
                                    format!(
                                        "hard link to `{target}`, whose content is not in the input"
                                    ),
                                ));
                            }
                        }
                    }
                }
            };
            resolved.push((p.as_str(), index, matches!(s, Source::LinkTo(_))));
        }

        let stripped_root = match options.strip_root {
            Some(false) => None,
            _ if is_dir => None,
            _ => common_root(
                resolved
                    .iter()
                    .map(|(p, _, _)| *p)
                    .chain(others.iter().map(|(p, _)| p.as_str())),
            ),
        };
        let final_name = |p: &str| -> String {
            match &stripped_root {
                Some(root) => p
                    .strip_prefix(root.as_str())
                    .and_then(|r| r.strip_prefix('/'))
                    .unwrap_or(p)
                    .to_owned(),
                None => p.to_owned(),
            }
        };
        let mut files: Vec<FileEntry> = Vec::with_capacity(resolved.len());
        let mut bytes = 0u64;
        for (p, index, link) in &resolved {
            let path = final_name(p);
            if !is_dir && options.excludes.covers(&path) {
                excluded += 1;
                continue;
            }
            if let (Some(i), false) = (index, link) {
                bytes += digests[*i].as_ref().map_or(0, |d| d.size);
            }
            // A file linked to keeps its digests for the links; clone only for links.
            let digests = index.and_then(|i| {
                if links.is_empty() {
                    digests[i].take()
                } else {
                    digests[i].clone()
                }
            });
            files.push(FileEntry { path, digests });
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        if !is_dir {
            others = others
                .into_iter()
                .map(|(p, k)| (final_name(&p), k))
                .filter(|(p, _)| !p.is_empty())
                .collect();
            let before = others.len();
            others.retain(|(p, _)| !options.excludes.covers(p));
            excluded += before - others.len();
        }
        others.sort();
        let mut summary = Summary {
            kind,
            files: files.len(),
            hard_links,
            others: BTreeMap::new(),
            excluded,
            bytes,
        };
        for (_, k) in &others {
            *summary.others.entry(*k).or_default() += 1;
        }
        let captured = captured
            .into_iter()
            .map(|(p, c)| (final_name(&p), c))
            .collect();
        Ok(Inventory {
            input: shown,
            root: is_dir.then(|| path.to_owned()),
            artifact,
            files,
            others,
            stripped_root,
            summary,
            diagnostics,
            captured,
        })
    }

    /// The file at `path`, if the input has it.
    pub fn file(&self, path: &str) -> Option<&FileEntry> {
        self.files
            .binary_search_by(|f| f.path.as_str().cmp(path))
            .ok()
            .map(|i| &self.files[i])
    }

    /// True when the input has a regular file at `path`.
    pub fn has(&self, path: &str) -> bool {
        self.file(path).is_some()
    }

    /// The files under directory `dir` (`""` for all), in order.
    pub fn under(&self, dir: &str) -> impl Iterator<Item = &str> + '_ {
        let range = if dir.is_empty() {
            0..self.files.len()
        } else {
            // Paths under `dir/` sort together, before `dir0` (`0` follows `/`).
            let (low, high) = (format!("{dir}/"), format!("{dir}0"));
            let start = self
                .files
                .partition_point(|f| f.path.as_str() < low.as_str());
            let end = self
                .files
                .partition_point(|f| f.path.as_str() < high.as_str());
            start..end.max(start)
        };
        self.files[range].iter().map(|f| f.path.as_str())
    }

    /// The entries of kind `kind`, by path.
    pub fn others_of(&self, kind: EntryKind) -> impl Iterator<Item = &str> + '_ {
        self.others
            .iter()
            .filter(move |(_, k)| *k == kind)
            .map(|(p, _)| p.as_str())
    }

    /// The bytes of the file at `path`: what was captured while the input streamed, or, for a
    /// directory, what the file holds now. `Ok(None)` when the input has no such file or it was
    /// not captured; an error when it was larger than [`CAPTURE_LIMIT`] or cannot be read.
    pub fn bytes(&self, path: &str) -> Result<Option<Cow<'_, [u8]>>> {
        if let Some(c) = self.captured.get(path) {
            if c.overflowed {
                return Err(Error::Unsupported {
                    path: self.place(path),
                    message: format!(
                        "larger than the {CAPTURE_LIMIT} bytes bomsmith reads into memory"
                    ),
                });
            }
            return Ok(Some(Cow::Borrowed(&c.bytes)));
        }
        match &self.root {
            Some(root) if self.has(path) => {
                let full = root.join(path);
                let mut data = Vec::new();
                std::fs::File::open(&full)
                    .and_then(|f| f.take(CAPTURE_LIMIT as u64 + 1).read_to_end(&mut data))
                    .map_err(|e| Error::io(full.display().to_string(), e))?;
                if data.len() > CAPTURE_LIMIT {
                    return Err(Error::Unsupported {
                        path: full.display().to_string(),
                        message: format!(
                            "larger than the {CAPTURE_LIMIT} bytes bomsmith reads into memory"
                        ),
                    });
                }
                Ok(Some(Cow::Owned(data)))
            }
            _ => Ok(None),
        }
    }

    /// The text of the file at `path` (invalid UTF-8 replaced), when it can be had at all.
    pub fn text(&self, path: &str) -> Option<String> {
        let bytes = self.bytes(path).ok()??;
        Some(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// How messages name the file at `path`: `input!path` for archives, the full path for
    /// directories.
    pub fn place(&self, path: &str) -> String {
        match &self.root {
            Some(root) => root.join(path).display().to_string(),
            None => format!("{}!{path}", self.input),
        }
    }

    /// SHA-256 of the artifact; for a directory, over a `sha256sum`-style manifest of its
    /// files (`HASH  PATH` lines, sorted by path): a stable identity for a tree that has no
    /// artifact file.
    pub fn sha256(&self) -> String {
        if let Some(s) = self.artifact.sha256 {
            return hex::encode(s);
        }
        let mut manifest = String::with_capacity(self.files.len() * 100);
        for f in &self.files {
            if let Some(d) = &f.digests {
                manifest.push_str(&hex::encode(d.sha256));
                manifest.push_str("  ");
                manifest.push_str(&f.path);
                manifest.push('\n');
            }
        }
        hex::encode(crate::digest::sha256(manifest.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn a_directory_is_listed_hashed_and_read_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        for (p, data) in [("a.txt", "a\r\n"), ("sub/b.c", "b"), ("build/x.o", "x")] {
            let f = dir.path().join(p);
            std::fs::create_dir_all(f.parent().expect("parent")).expect("mkdir");
            std::fs::write(f, data).expect("write");
        }
        let options = Options {
            excludes: Excludes::new(&["build".into()], "test").expect("valid"),
            hash_only: Some(vec![Glob::new("sub/*.c").expect("glob")]),
            ..Options::default()
        };
        let inv = Inventory::take(dir.path(), &options, &|_| false).expect("reads");
        let paths: Vec<&str> = inv.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["a.txt", "sub/b.c"]);
        assert!(inv.file("a.txt").expect("listed").digests.is_none());
        let b = inv
            .file("sub/b.c")
            .expect("listed")
            .digests
            .as_ref()
            .expect("hashed");
        assert_eq!(
            hex::encode(b.sha1),
            "e9d71f5ee7c92d6dc9e92ffdad17b8bd49418f98"
        );
        assert_eq!(inv.summary.excluded, 2, "the directory and the file in it");
        assert_eq!(inv.text("a.txt").as_deref(), Some("a\r\n"));
        assert_eq!(inv.under("sub").collect::<Vec<_>>(), ["sub/b.c"]);
    }
}
