//! The inventory of an input: every entry with its final name, every regular file with its
//! digests, hard links resolved, the archive's root directory stripped, exclude patterns
//! applied the same way for every kind of input, and the bytes of the files detectors asked
//! for. Input and digest meet here; every command that looks at files starts from it.

use crate::diag::{Diagnostic, Location};
use crate::digest::{Capture, DigestSet, Digests, HashPool, MultiHasher};
use crate::error::{Error, Result};
use crate::glob::{Excludes, Glob};
use crate::input::{
    self, Artifact, Compression, EntryKind, EntrySink, InputKind, Limits, NESTED_ARCHIVE_NOT_READ,
    OpenedWhenRead, ReadOptions,
};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Largest file kept in memory for a detector (an in-tree SBOM, a bundled wheel).
pub const CAPTURE_LIMIT: usize = 64 << 20;

/// How many levels of archives inside the input `scan` looks into unless told otherwise.
pub const DEFAULT_NESTED_DEPTH: usize = 3;

/// Largest zip inside the input that is read into memory to be looked into (a zip needs random
/// access); a larger one is listed as one file, with a warning.
pub const NESTED_ZIP_LIMIT: usize = 256 << 20;

/// Bytes read from the start of a file to recognise an archive by its magic bytes (a tar
/// header is one 512-byte block).
const SNIFF: usize = 512;

/// Decides what of the input is kept besides its digests, as it streams.
pub trait Keep {
    /// True to keep the bytes of the file that will be named `path`.
    fn by_name(&self, path: &str) -> bool;

    /// True when [`Keep::by_content`] may hold for some file: otherwise files are not sniffed
    /// for it.
    fn looks_at_content(&self) -> bool {
        false
    }

    /// True to look at the whole file whose first bytes are `head` as it streams (`path` as
    /// read, before an archive's root is stripped); its bytes are handed to
    /// [`Keep::look_at`], not kept.
    fn by_content(&self, _path: &str, _head: &[u8]) -> bool {
        false
    }

    /// Looks at a file [`Keep::by_content`] chose: its bytes, or `None` when it is larger
    /// than [`CAPTURE_LIMIT`].
    fn look_at(&self, _path: &str, _bytes: Option<&[u8]>) {}
}

impl<F: Fn(&str) -> bool> Keep for F {
    fn by_name(&self, path: &str) -> bool {
        self(path)
    }
}

/// Bytes read from the start of a file to recognise a native binary by its magic (a fat
/// Mach-O's needs its slice count, the second word).
const BINARY_SNIFF: usize = 8;

/// Reads from `r` until `buf` is full or the file ends; the bytes read.
fn fill<'b>(r: &mut dyn Read, buf: &'b mut [u8]) -> io::Result<&'b [u8]> {
    let n = input::fill_head(r, buf)?;
    Ok(&buf[..n])
}

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
    /// Levels of archives inside the input (recognised by their magic bytes) whose files are
    /// listed too, as `outer!inner/path`: 0 (the default here; `scan` uses
    /// [`DEFAULT_NESTED_DEPTH`]) lists every archive as one file only.
    pub nested_depth: usize,
}

/// A regular file of the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEntry {
    /// Path from the root (after the archive's root directory is stripped), `/`-separated; a
    /// file inside an archive nested in the input is `outer!inner/path`.
    pub path: String,
    /// Its digests, unless the options left it unhashed.
    pub digests: Option<Digests>,
    /// True for a file inside an archive nested in the input: it is listed and hashed, and
    /// detectors do not look at it.
    pub nested: bool,
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
    /// Hashed by the pool: its index there.
    Hashed(usize),
    /// Hashed while it was read (a nested archive streamed through its reader): its index in
    /// the collector's own digests.
    Own(usize),
    Unhashed,
    LinkTo(String),
}

/// One regular file as read: its path, where its digests come from, whether it is nested.
type Record = (String, Source, bool);

/// Receives the input's entries: queues files for hashing, keeps what detectors want, and
/// looks into the archives among them.
struct Collector<'a> {
    pool: HashPool,
    options: &'a Options,
    capture: &'a dyn Keep,
    /// The input as the user named it, and whether it is a directory (for names in messages).
    input: &'a str,
    is_dir: bool,
    /// Directory inputs have final names as they stream; archives only once the root is known.
    final_names: bool,
    records: Vec<Record>,
    others: Vec<(String, EntryKind, bool)>,
    own: Vec<Digests>,
    diagnostics: Vec<Diagnostic>,
    captured: HashMap<String, Capture>,
    excluded: usize,
    /// Bytes unpacked from nested archives so far: together bounded by the unpacked-size limit.
    nested_unpacked: u64,
    /// An error that must end the read (a decompression bound crossed in a nested archive),
    /// kept whole while an `io::Error` travels up through the readers.
    fatal: Option<Error>,
}

/// `path` without its first component, when it has more than one.
fn below_first(path: &str) -> Option<&str> {
    path.split_once('/').map(|(_, rest)| rest)
}

/// True when `excludes` leave out `path` (`nested`: a file inside a nested archive, in whose
/// name `!` separates like `/`).
fn left_out(excludes: &Excludes, path: &str, nested: bool) -> bool {
    if nested {
        excludes.covers_nested(path)
    } else {
        excludes.covers(path)
    }
}

/// Where the collector's place in the records is, to forget what a nested archive added when
/// it turns out unreadable.
struct Marks {
    records: usize,
    others: usize,
    excluded: usize,
}

impl Collector<'_> {
    /// True when `test` holds for the path as it will be named: as is for directories; for an
    /// archive either as is or without its first component (the root it may be stripped of).
    fn as_named(&self, path: &str, test: impl Fn(&str) -> bool) -> bool {
        test(path) || (!self.final_names && below_first(path).is_some_and(test))
    }

    /// How messages name the file at `path` (as read, before any root is stripped).
    fn shown(&self, path: &str) -> String {
        if self.is_dir {
            format!("{}/{path}", self.input.trim_end_matches('/'))
        } else {
            format!("{}!{path}", self.input)
        }
    }

    fn location(&self, path: &str) -> Location {
        if self.is_dir {
            Location::file(self.shown(path))
        } else {
            Location::file(path).in_member(self.input)
        }
    }

    /// A regular file: `depth` levels of archives may still be looked into; `nested` when it
    /// is itself inside a nested archive.
    fn entry(
        &mut self,
        path: &str,
        body: &mut dyn Read,
        depth: usize,
        nested: bool,
    ) -> io::Result<()> {
        // Excluded files of a directory are not even read (archives, and archives nested in a
        // directory, exclude once the names are final, at the end).
        if self.final_names && !nested && self.options.excludes.covers(path) {
            self.excluded += 1;
            return Ok(());
        }
        let hash = match &self.options.hash_only {
            None => true,
            Some(globs) => self.as_named(path, |p| globs.iter().any(|g| g.matches(p))),
        };
        let capture = !nested && self.as_named(path, |p| self.capture.by_name(p));
        if !hash {
            if capture {
                let mut cap = Capture::with_limit(CAPTURE_LIMIT);
                cap.read_from(body)?;
                self.captured.insert(path.to_owned(), cap);
            } else if !self.final_names || nested {
                io::copy(body, &mut io::sink())?;
            }
            self.records
                .push((path.to_owned(), Source::Unhashed, nested));
            return Ok(());
        }
        // An archive is known by its first block; a native binary by its first 8 bytes.
        let mut buf = [0u8; SNIFF];
        let want = if depth > 0 {
            SNIFF
        } else if self.capture.looks_at_content() {
            BINARY_SNIFF
        } else {
            0
        };
        let head = fill(body, &mut buf[..want])?;
        if depth > 0 {
            match input::archive_kind(head) {
                Some(kind @ (InputKind::Zip | InputKind::Xar)) => {
                    let head = head.to_vec();
                    return self.nested_zip(path, kind, head, body, depth, capture, nested);
                }
                Some(InputKind::Tar(compression) | InputKind::Cpio(compression)) => {
                    let head = head.to_vec();
                    return self.nested_tar(path, head, body, compression, depth, capture, nested);
                }
                _ => {}
            }
        }
        let look = !nested && !capture && self.capture.by_content(path, head);
        let mut body = head.chain(body);
        if look {
            self.hash_and_look(path, &mut body)
        } else {
            self.hash(path, &mut body, capture, nested)
        }
    }

    /// Queues the file's bytes for hashing and hands them, whole, to the keeper to look at;
    /// they are not kept.
    fn hash_and_look(&mut self, path: &str, body: &mut dyn Read) -> io::Result<()> {
        let mut cap = Capture::with_limit(CAPTURE_LIMIT);
        let (index, _) = self.pool.hash_reader(body, Some(&mut cap))?;
        self.records
            .push((path.to_owned(), Source::Hashed(index), false));
        self.capture
            .look_at(path, (!cap.overflowed).then_some(cap.bytes.as_slice()));
        Ok(())
    }

    /// Queues the file's bytes for hashing (and keeps them, with `capture`).
    fn hash(
        &mut self,
        path: &str,
        body: &mut dyn Read,
        capture: bool,
        nested: bool,
    ) -> io::Result<()> {
        let (index, _) = if capture {
            let mut cap = Capture::with_limit(CAPTURE_LIMIT);
            let r = self.pool.hash_reader(body, Some(&mut cap))?;
            self.captured.insert(path.to_owned(), cap);
            r
        } else {
            self.pool.hash_reader(body, None)?
        };
        self.records
            .push((path.to_owned(), Source::Hashed(index), nested));
        Ok(())
    }

    fn marks(&self) -> Marks {
        Marks {
            records: self.records.len(),
            others: self.others.len(),
            excluded: self.excluded,
        }
    }

    /// Reads the archive at `path` with `read`, its entries named `path!entry`, within what is
    /// left of the unpacked-size bound.
    fn look_into(
        &mut self,
        path: &str,
        depth: usize,
        read: impl FnOnce(&mut dyn EntrySink, &Limits) -> Result<()>,
    ) -> Result<()> {
        let bounds = &self.options.read.limits;
        let limits = Limits {
            max_ratio: bounds.max_ratio,
            max_unpacked: bounds.max_unpacked.saturating_sub(self.nested_unpacked),
        };
        let mut sink = Nested {
            collector: self,
            prefix: format!("{path}!"),
            depth: depth - 1,
        };
        read(&mut sink, &limits)
    }

    /// Settles how reading the nested archive at `path` went: a crossed bound ends the read; a
    /// malformed archive is listed as one file (what it added is forgotten), with a warning.
    fn settle(&mut self, path: &str, marks: Marks, result: Result<()>) -> io::Result<()> {
        let e = match result {
            Ok(()) => return Ok(()),
            Err(e) => e,
        };
        if self.fatal.is_some() {
            return Err(io::Error::other("refused in a nested archive"));
        }
        if let Error::Limit { .. } = e {
            let message = e.to_string();
            self.fatal = Some(e);
            return Err(io::Error::other(message));
        }
        self.records.truncate(marks.records);
        self.others.truncate(marks.others);
        self.excluded = marks.excluded;
        // The location names the archive; the message says what is wrong in it.
        let why = match e {
            Error::Archive {
                member: Some(member),
                message,
                ..
            } => format!("member `{member}`: {message}"),
            Error::Archive { message, .. } | Error::Unsupported { message, .. } => message,
            other => other.to_string(),
        };
        self.diagnostics.push(Diagnostic::new(
            &NESTED_ARCHIVE_NOT_READ,
            self.location(path),
            format!("not looked into, listed as one file: {why}"),
        ));
        Ok(())
    }

    /// A zip or xar inside the input: read into memory (up to [`NESTED_ZIP_LIMIT`]), hashed,
    /// and looked into.
    #[allow(clippy::too_many_arguments)]
    fn nested_zip(
        &mut self,
        path: &str,
        kind: InputKind,
        head: Vec<u8>,
        body: &mut dyn Read,
        depth: usize,
        capture: bool,
        nested: bool,
    ) -> io::Result<()> {
        let mut bytes = head;
        let room = (NESTED_ZIP_LIMIT + 1).saturating_sub(bytes.len());
        (&mut *body).take(room as u64).read_to_end(&mut bytes)?;
        if bytes.len() > NESTED_ZIP_LIMIT {
            self.diagnostics.push(Diagnostic::new(
                &NESTED_ARCHIVE_NOT_READ,
                self.location(path),
                format!(
                    "a {} larger than the {} MiB read into memory to look into, listed as one file",
                    kind.describe(),
                    NESTED_ZIP_LIMIT >> 20
                ),
            ));
            return self.hash(
                path,
                &mut io::Cursor::new(bytes).chain(body),
                capture,
                nested,
            );
        }
        self.hash(path, &mut bytes.as_slice(), capture, nested)?;
        let name = self.shown(path);
        let marks = self.marks();
        let result = self.look_into(path, depth, |sink, limits| {
            if kind == InputKind::Xar {
                input::read_xar(&bytes.as_slice(), &name, limits, sink)
            } else {
                input::read_zip(&bytes.as_slice(), &name, limits, sink)
            }
        });
        self.settle(path, marks, result)
    }

    /// A tar (of any compression) inside the input: streamed through the reader of the member
    /// that holds it, its own bytes hashed as they pass.
    #[allow(clippy::too_many_arguments)]
    fn nested_tar(
        &mut self,
        path: &str,
        head: Vec<u8>,
        body: &mut dyn Read,
        compression: Compression,
        depth: usize,
        capture: bool,
        nested: bool,
    ) -> io::Result<()> {
        let mut tee = Tee {
            inner: io::Cursor::new(head).chain(body),
            hasher: MultiHasher::new(self.options.digests),
            capture: capture.then(|| Capture::with_limit(CAPTURE_LIMIT)),
            failed: None,
        };
        let name = self.shown(path);
        let marks = self.marks();
        let result = self.look_into(path, depth, |sink, limits| {
            input::read_tar_stream(&mut tee, compression, &name, limits, sink)
        });
        // What the member holds past the end of the compressed stream (or past the place it
        // was found malformed) is part of the file all the same.
        let rest = io::copy(&mut tee, &mut io::sink());
        // The member's own reader failed (the input is corrupt): that is the error, not the
        // nested archive.
        if let Some(e) = tee.failed.take() {
            return Err(e);
        }
        rest?;
        // A compressed file that holds no tar (CPython's gzip-compressed `.dia` drawings, an
        // `.svgz`) is a file like any other, not a malformed archive: no warning.
        let result = match result {
            Err(Error::Unsupported { .. }) if compression != Compression::None => Ok(()),
            other => other,
        };
        self.settle(path, marks, result)?;
        let index = self.own.len();
        self.own.push(tee.hasher.finish());
        self.records
            .push((path.to_owned(), Source::Own(index), nested));
        if let Some(cap) = tee.capture {
            self.captured.insert(path.to_owned(), cap);
        }
        Ok(())
    }

    fn other_entry(&mut self, path: &str, kind: EntryKind, nested: bool) {
        if self.final_names && !nested && self.options.excludes.covers(path) {
            self.excluded += 1;
            return;
        }
        self.others.push((path.to_owned(), kind, nested));
    }
}

/// Hashes (and optionally keeps) the bytes read through it; an error of the reader it wraps is
/// kept, so it is told apart from the errors of what is read.
struct Tee<R> {
    inner: R,
    hasher: MultiHasher,
    capture: Option<Capture>,
    failed: Option<io::Error>,
}

impl<R: Read> Read for Tee<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.inner.read(buf) {
            Ok(n) => {
                self.hasher.update(&buf[..n]);
                if let Some(c) = &mut self.capture {
                    c.push(&buf[..n]);
                }
                Ok(n)
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Err(e),
            Err(e) => {
                let message = e.to_string();
                self.failed = Some(e);
                Err(io::Error::other(message))
            }
        }
    }
}

/// Counts the bytes read through it.
struct Counted<'r> {
    inner: &'r mut dyn Read,
    count: u64,
}

impl Read for Counted<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        Ok(n)
    }
}

/// The entries of an archive nested in the input, named `outer!entry`.
struct Nested<'c, 'a> {
    collector: &'c mut Collector<'a>,
    prefix: String,
    depth: usize,
}

impl EntrySink for Nested<'_, '_> {
    fn file(&mut self, path: &str, body: &mut dyn Read) -> io::Result<()> {
        let mut counted = Counted {
            inner: body,
            count: 0,
        };
        let name = format!("{}{path}", self.prefix);
        let read = self
            .collector
            .entry(&name, &mut counted, self.depth, true)
            .and_then(|()| io::copy(&mut counted, &mut io::sink()).map(drop));
        self.collector.nested_unpacked += counted.count;
        read
    }

    fn hard_link(&mut self, path: &str, target: &str) {
        self.collector.records.push((
            format!("{}{path}", self.prefix),
            Source::LinkTo(format!("{}{target}", self.prefix)),
            true,
        ));
    }

    fn other(&mut self, path: &str, kind: EntryKind) {
        let name = format!("{}{path}", self.prefix);
        self.collector.other_entry(&name, kind, true);
    }

    fn warn(&mut self, diagnostic: Diagnostic) {
        self.collector.diagnostics.push(diagnostic);
    }
}

/// The first bytes of the file at `full`, to recognise it by.
fn head_of(full: &Path) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(SNIFF);
    std::fs::File::open(full)?
        .take(SNIFF as u64)
        .read_to_end(&mut head)?;
    Ok(head)
}

impl EntrySink for Collector<'_> {
    fn file(&mut self, path: &str, body: &mut dyn Read) -> io::Result<()> {
        self.entry(path, body, self.options.nested_depth, false)
    }

    fn file_at(&mut self, path: &str, full: &Path) -> io::Result<()> {
        // A file a worker can read and hash itself, when nothing else is wanted of it.
        let plain = !self.options.excludes.covers(path)
            && !self.capture.by_name(path)
            && self
                .options
                .hash_only
                .as_ref()
                .is_none_or(|globs| globs.iter().any(|g| g.matches(path)))
            && {
                // Only opened ahead when an archive or a kept file's content may be in it.
                let archives = self.options.nested_depth > 0;
                if archives || self.capture.looks_at_content() {
                    let head = head_of(full)?;
                    let archive = archives && input::archive_kind(&head).is_some();
                    !archive && !self.capture.by_content(path, &head)
                } else {
                    true
                }
            };
        if !plain {
            return self.file(path, &mut OpenedWhenRead::new(full));
        }
        let index = self.pool.hash_file(full.to_owned())?;
        self.records
            .push((path.to_owned(), Source::Hashed(index), false));
        Ok(())
    }

    fn hard_link(&mut self, path: &str, target: &str) {
        self.records
            .push((path.to_owned(), Source::LinkTo(target.to_owned()), false));
    }

    fn other(&mut self, path: &str, kind: EntryKind) {
        self.other_entry(path, kind, false);
    }

    fn warn(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn retract(&mut self, unlisted: &dyn Fn(&str) -> bool) {
        // A nested entry goes with the input's file it is in: one of its `!`-ended prefixes.
        let gone = |p: &str, nested: bool| {
            if nested {
                !p.match_indices('!').any(|(i, _)| !unlisted(&p[..i]))
            } else {
                unlisted(p)
            }
        };
        self.records.retain(|(p, _, n)| !gone(p, *n));
        self.others.retain(|(p, _, n)| !gone(p, *n));
        self.captured.retain(|p, _| !unlisted(p));
    }
}

/// The name of the entry read as `p` once the archive's `root` directory, if any, is stripped.
fn final_name(root: Option<&str>, p: &str) -> String {
    match root {
        Some(root) => p
            .strip_prefix(root)
            .and_then(|r| r.strip_prefix('/'))
            .unwrap_or(p)
            .to_owned(),
        None => p.to_owned(),
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
    pub fn take(path: &Path, options: &Options, capture: &dyn Keep) -> Result<Self> {
        let shown = path.display().to_string();
        let kind = input::detect(path)?;
        let is_dir = kind == InputKind::Directory;
        let mut collector = Collector {
            pool: HashPool::counted(options.digests, !is_dir, options.progress.clone()),
            options,
            capture,
            input: &shown,
            is_dir,
            final_names: is_dir,
            records: Vec::new(),
            others: Vec::new(),
            own: Vec::new(),
            diagnostics: Vec::new(),
            captured: HashMap::new(),
            excluded: 0,
            nested_unpacked: 0,
            fatal: None,
        };
        let read = input::read_input(path, kind, &options.read, &mut collector);
        // A bound crossed in a nested archive reached the outer reader as an I/O error.
        if let Some(e) = collector.fatal.take() {
            return Err(e);
        }
        let artifact = read?;
        let Collector {
            pool,
            mut records,
            mut others,
            own,
            diagnostics,
            captured,
            mut excluded,
            ..
        } = collector;
        let mut digests = pool.finish()?;
        // Digests taken while reading come after the pool's.
        let base = digests.len();
        digests.extend(own);
        for (_, s, _) in &mut records {
            if let Source::Own(k) = s {
                *s = Source::Hashed(base + *k);
            }
        }
        let mut digests: Vec<Option<Digests>> = digests.into_iter().map(Some).collect();

        // Hard links take their target's digests; targets were checked when the link was
        // read, and links may point at links, each to an earlier member, so chains end.
        let index_of: HashMap<&str, usize> = records
            .iter()
            .filter_map(|(p, s, _)| match s {
                Source::Hashed(i) => Some((p.as_str(), *i)),
                _ => None,
            })
            .collect();
        let links: HashMap<&str, &str> = records
            .iter()
            .filter_map(|(p, s, _)| match s {
                Source::LinkTo(t) => Some((p.as_str(), t.as_str())),
                _ => None,
            })
            .collect();
        let mut hard_links = 0;
        // (path, digests index, whether it is a hard link, whether it is nested)
        let mut resolved: Vec<(&str, Option<usize>, bool, bool)> =
            Vec::with_capacity(records.len());
        for (p, s, nested) in &records {
            let index = match s {
                Source::Hashed(i) => Some(*i),
                Source::Own(_) => unreachable!("own digests were given pool indices"),
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
            resolved.push((p.as_str(), index, matches!(s, Source::LinkTo(_)), *nested));
        }

        let stripped_root = match options.strip_root {
            Some(false) => None,
            _ if is_dir => None,
            _ => common_root(
                resolved
                    .iter()
                    .map(|(p, _, _, _)| *p)
                    .chain(others.iter().map(|(p, _, _)| p.as_str())),
            ),
        };
        let final_name = |p: &str| final_name(stripped_root.as_deref(), p);
        let mut files: Vec<FileEntry> = Vec::with_capacity(resolved.len());
        let mut bytes = 0u64;
        for (p, index, link, nested) in &resolved {
            let path = final_name(p);
            if (!is_dir || *nested) && left_out(&options.excludes, &path, *nested) {
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
            files.push(FileEntry {
                path,
                digests,
                nested: *nested,
            });
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        if !is_dir {
            others = others
                .into_iter()
                .map(|(p, k, n)| (final_name(&p), k, n))
                .filter(|(p, _, _)| !p.is_empty())
                .collect();
        }
        let before = others.len();
        others.retain(|(p, _, nested)| {
            !((!is_dir || *nested) && left_out(&options.excludes, p, *nested))
        });
        excluded += before - others.len();
        let mut others: Vec<(String, EntryKind)> =
            others.into_iter().map(|(p, k, _)| (p, k)).collect();
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

    /// The final name of the file read as `as_read` (an archive's root stripped).
    pub fn named(&self, as_read: &str) -> String {
        final_name(self.stripped_root.as_deref(), as_read)
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

    /// The files under directory `dir` (`""` for all), in order: the input's own, not those
    /// inside archives nested in it (detectors look at what the input itself holds).
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
        self.files[range]
            .iter()
            .filter(|f| !f.nested)
            .map(|f| f.path.as_str())
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
            Some(root) if self.file(path).is_some_and(|f| !f.nested) => {
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
        let inv = Inventory::take(dir.path(), &options, &|_: &str| false).expect("reads");
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
