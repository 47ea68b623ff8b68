//! What the archive fuzz targets share: small decompression bounds and an [`EntrySink`] that
//! reads every body to its end and checks what must hold for any input.

use bomsmith::diag::Diagnostic;
use bomsmith::input::{EntryKind, EntrySink, Limits};
use std::collections::HashSet;
use std::io::{self, Read};

/// Small bounds, so no input can make a target unpack (or hold) more than a few MiB. The
/// ratio bound starts to bite past `Limits::RATIO_GRACE` (1 MiB).
pub fn limits() -> Limits {
    Limits {
        max_ratio: 8,
        max_unpacked: 2 << 20,
    }
}

/// One entry as the sink saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A regular file and every byte of its body.
    File(String, Vec<u8>),
    /// A hard link and its target.
    HardLink(String, String),
    /// Anything else.
    Other(String, EntryKind),
}

/// Records entries and panics when an invariant breaks.
#[derive(Debug)]
pub struct CheckSink {
    /// The entries, in the order they came.
    pub entries: Vec<Entry>,
    /// Warnings handed over.
    pub warnings: usize,
    budget: u64,
    body_bytes: u64,
    paths: HashSet<String>,
    files: HashSet<String>,
    body_failed: bool,
}

impl CheckSink {
    /// A sink that no input may make read more than `budget` body bytes in all.
    pub fn new(budget: u64) -> Self {
        CheckSink {
            entries: Vec::new(),
            warnings: 0,
            budget,
            body_bytes: 0,
            paths: HashSet::new(),
            files: HashSet::new(),
            body_failed: false,
        }
    }

    /// Checks the reader's result against what the sink saw: a body that failed must fail the
    /// read (errors are passed on, never swallowed).
    pub fn finish<T, E: std::fmt::Display>(&self, result: &Result<T, E>) {
        if let Err(e) = result {
            let shown = e.to_string();
            assert!(!shown.is_empty(), "an error with no message");
        } else {
            assert!(
                !self.body_failed,
                "a member body failed but the read succeeded"
            );
        }
    }

    /// Body bytes read so far.
    pub fn body_bytes(&self) -> u64 {
        self.body_bytes
    }

    /// The body of the regular file `path`, if one was seen.
    pub fn file_body(&self, path: &str) -> Option<&[u8]> {
        self.entries.iter().find_map(|e| match e {
            Entry::File(p, body) if p == path => Some(&body[..]),
            _ => None,
        })
    }

    fn new_path(&mut self, path: &str) {
        check_path(path);
        assert!(
            self.paths.insert(path.to_owned()),
            "path `{path}` handed to the sink twice"
        );
    }
}

/// A member path as the readers promise it: relative, `/`-separated, no empty, `.` or `..`
/// components, no NUL.
pub fn check_path(path: &str) {
    assert!(!path.is_empty(), "empty path");
    assert!(!path.contains('\0'), "NUL in path {path:?}");
    assert!(!path.starts_with('/'), "absolute path {path:?}");
    for part in path.split('/') {
        assert!(
            !part.is_empty() && part != "." && part != "..",
            "path {path:?} has an empty, `.` or `..` component"
        );
    }
}

impl EntrySink for CheckSink {
    fn file(&mut self, path: &str, body: &mut dyn Read) -> io::Result<()> {
        self.new_path(path);
        let mut bytes = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            match body.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => {
                    self.body_bytes += n as u64;
                    assert!(
                        self.body_bytes <= self.budget,
                        "bodies yielded {} bytes, more than the {} allowed",
                        self.body_bytes,
                        self.budget
                    );
                    bytes.extend_from_slice(&chunk[..n]);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.body_failed = true;
                    return Err(e);
                }
            }
        }
        self.files.insert(path.to_owned());
        self.entries.push(Entry::File(path.to_owned(), bytes));
        Ok(())
    }

    fn hard_link(&mut self, path: &str, target: &str) {
        self.new_path(path);
        check_path(target);
        assert!(
            self.files.contains(target),
            "hard link `{path}` to `{target}`, which was not an earlier file"
        );
        self.files.insert(path.to_owned());
        self.entries
            .push(Entry::HardLink(path.to_owned(), target.to_owned()));
    }

    fn other(&mut self, path: &str, kind: EntryKind) {
        self.new_path(path);
        assert_ne!(kind, EntryKind::Submodule, "a submodule in an archive");
        self.entries.push(Entry::Other(path.to_owned(), kind));
    }

    fn warn(&mut self, diagnostic: Diagnostic) {
        assert!(!diagnostic.message.is_empty(), "a warning with no message");
        self.warnings += 1;
    }
}
