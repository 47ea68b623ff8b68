//! Digests: SHA-1 and SHA-256 (SHA-512 on request) of every file, in one pass over its bytes;
//! the one hashing engine of bomsmith. On request, text files are digested as if their CRLF
//! line endings were LF (the rule of CPython's in-tree SBOM, so a Windows checkout gives the
//! same digests as a Unix one).
//!
//! [`HashPool`] overlaps reading with hashing. For an archive, the thread that decompresses and
//! parses it fills recycled 64 KiB buffers (a few per worker in flight) and hands them to worker
//! threads (all cores but one), each of which hashes whole files. For a directory, the workers
//! (one per core) read the files themselves, a few paths at a time. Memory is bounded by the
//! buffers in flight, never by file size.

use crate::error::{Error, Result};
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};
use std::thread::JoinHandle;

/// Size of one buffer handed from the reader to a hashing worker.
const CHUNK: usize = 64 * 1024;
/// Buffers a worker may have queued before the reader waits for it.
const QUEUE: usize = 16;

/// Digests of one file's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digests {
    /// SHA-1.
    pub sha1: [u8; 20],
    /// SHA-256.
    pub sha256: [u8; 32],
    /// SHA-512, when requested.
    pub sha512: Option<Box<[u8; 64]>>,
    /// Number of bytes hashed.
    pub size: u64,
}

/// Which digests to compute beyond the always-present SHA-1 and SHA-256, and of what.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DigestSet {
    /// Also compute SHA-512.
    pub sha512: bool,
    /// How line endings count.
    pub line_endings: LineEndings,
}

/// How line endings count in a file's digests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LineEndings {
    /// The bytes as they are.
    #[default]
    AsIs,
    /// A file without NUL bytes (a rough test for text) is digested with every CRLF as LF;
    /// any other file as it is.
    CrlfAsLf,
}

/// The algorithms of one digest pass.
#[derive(Debug, Clone)]
struct Hashers {
    sha1: Sha1,
    sha256: Sha256,
    sha512: Option<Sha512>,
}

impl Hashers {
    fn new(sha512: bool) -> Self {
        Hashers {
            sha1: Sha1::new(),
            sha256: Sha256::new(),
            sha512: sha512.then(Sha512::new),
        }
    }

    fn update(&mut self, data: &[u8]) {
        self.sha1.update(data);
        self.sha256.update(data);
        if let Some(h) = &mut self.sha512 {
            h.update(data);
        }
    }

    fn finish(self, size: u64) -> Digests {
        Digests {
            sha1: self.sha1.finalize().into(),
            sha256: self.sha256.finalize().into(),
            sha512: self.sha512.map(|h| Box::new(h.finalize().into())),
            size,
        }
    }
}

/// The CRLF-as-LF side of a digest pass. Until a file's first CRLF both digests are the same,
/// so bytes are hashed once; at the first CRLF the plain hashers are cloned and from then on the
/// CRLF-as-LF ones skip the CR of each CRLF. Only files with CRLF pay for two digests.
#[derive(Debug, Clone, Default)]
struct CrlfAsLf {
    /// The CRLF-as-LF digests, once a CRLF was seen.
    normalized: Option<Hashers>,
    /// A CR ended the last block and the next byte decides what it is. Before the first CRLF
    /// no hasher has it yet; after, only the CRLF-as-LF one lacks it.
    held_cr: bool,
    saw_nul: bool,
}

/// Hashes a byte stream with all requested algorithms at once.
#[derive(Debug, Clone)]
pub struct MultiHasher {
    plain: Hashers,
    crlf_as_lf: Option<Box<CrlfAsLf>>,
    size: u64,
}

impl MultiHasher {
    /// A fresh hasher for `set`.
    pub fn new(set: DigestSet) -> Self {
        MultiHasher {
            plain: Hashers::new(set.sha512),
            crlf_as_lf: (set.line_endings == LineEndings::CrlfAsLf)
                .then(|| Box::new(CrlfAsLf::default())),
            size: 0,
        }
    }

    /// Feeds bytes.
    pub fn update(&mut self, data: &[u8]) {
        self.size += data.len() as u64;
        let Some(c) = self.crlf_as_lf.as_deref_mut() else {
            self.plain.update(data);
            return;
        };
        if data.is_empty() {
            return;
        }
        c.saw_nul |= memchr::memchr(0, data).is_some();
        let mut rest = data;
        if std::mem::take(&mut c.held_cr) {
            let crlf = rest[0] == b'\n';
            match &mut c.normalized {
                // The first CRLF, across two blocks: the digests part ways before its CR.
                None if crlf => {
                    c.normalized = Some(self.plain.clone());
                    self.plain.update(b"\r");
                }
                None => self.plain.update(b"\r"),
                Some(n) if !crlf => n.update(b"\r"),
                Some(_) => {}
            }
        }
        if c.normalized.is_none() {
            match memchr::memmem::find(rest, b"\r\n") {
                None => {
                    // A final CR may start a CRLF with the next block: hold it back.
                    match rest.split_last() {
                        Some((b'\r', head)) => {
                            self.plain.update(head);
                            c.held_cr = true;
                        }
                        _ => self.plain.update(rest),
                    }
                    return;
                }
                Some(i) => {
                    self.plain.update(&rest[..i]);
                    c.normalized = Some(self.plain.clone());
                    rest = &rest[i..];
                }
            }
        }
        // Two digests: the plain one takes every byte, the other every byte but the CR of
        // each CRLF.
        self.plain.update(rest);
        let Some(n) = c.normalized.as_mut() else {
            return;
        };
        while let Some(i) = memchr::memchr(b'\r', rest) {
            n.update(&rest[..i]);
            match rest.get(i + 1) {
                None => {
                    c.held_cr = true;
                    return;
                }
                Some(b'\n') => {}
                Some(_) => n.update(b"\r"),
            }
            rest = &rest[i + 1..];
        }
        n.update(rest);
    }

    /// The digests of everything fed so far.
    pub fn finish(mut self) -> Digests {
        let Some(c) = self.crlf_as_lf.take() else {
            return self.plain.finish(self.size);
        };
        let CrlfAsLf {
            normalized,
            held_cr,
            saw_nul,
        } = *c;
        match normalized {
            Some(mut n) if !saw_nul => {
                if held_cr {
                    n.update(b"\r");
                }
                n.finish(self.size)
            }
            Some(_) => self.plain.finish(self.size),
            None => {
                if held_cr {
                    self.plain.update(b"\r");
                }
                self.plain.finish(self.size)
            }
        }
    }
}

/// Digests of an in-memory byte string.
pub fn digest_bytes(data: &[u8], set: DigestSet) -> Digests {
    let mut h = MultiHasher::new(set);
    h.update(data);
    h.finish()
}

/// SHA-256 of an in-memory byte string.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

/// SHA-1 of an in-memory byte string.
pub fn sha1(data: &[u8]) -> [u8; 20] {
    Sha1::digest(data).into()
}

/// SPDX package verification code: SHA-1 of the sorted, concatenated hex SHA-1s of the
/// package's files (SPDX 2.3, clause 7.9).
pub fn verification_code(sha1s: &mut [String]) -> String {
    sha1s.sort_unstable();
    hex::encode(sha1(sha1s.concat().as_bytes()))
}

/// A bounded in-memory copy of a file, taken while it is hashed (for detectors that parse it).
#[derive(Debug, Default)]
pub struct Capture {
    /// The bytes captured so far.
    pub bytes: Vec<u8>,
    /// Largest number of bytes kept.
    pub limit: usize,
    /// True when the file was larger than `limit` (and `bytes` was emptied).
    pub overflowed: bool,
}

impl Capture {
    /// A capture of at most `limit` bytes.
    pub fn with_limit(limit: usize) -> Self {
        Capture {
            bytes: Vec::new(),
            limit,
            overflowed: false,
        }
    }

    /// Reads `r` to its end into the capture (what passes the limit is read and dropped).
    pub fn read_from(&mut self, r: &mut dyn Read) -> io::Result<u64> {
        let mut buf = vec![0u8; 64 * 1024];
        let mut total = 0u64;
        loop {
            match r.read(&mut buf) {
                Ok(0) => return Ok(total),
                Ok(n) => {
                    self.push(&buf[..n]);
                    total += n as u64;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    pub(crate) fn push(&mut self, data: &[u8]) {
        if self.overflowed {
            return;
        }
        if self.bytes.len() + data.len() > self.limit {
            self.overflowed = true;
            self.bytes = Vec::new();
        } else {
            self.bytes.extend_from_slice(data);
        }
    }
}

/// A buffer of `CHUNK` bytes of which the first `len` are data. Buffers keep their full length
/// while recycled, so they are zeroed once when allocated and never again.
struct Chunk {
    index: usize,
    buf: Vec<u8>,
    len: usize,
    last: bool,
}

/// Work for a hashing thread.
enum Job {
    /// Bytes the calling thread read (from an archive member, say).
    Chunk(Chunk),
    /// Files on disk the worker reads itself, so files of a directory are read in parallel;
    /// sent a few at a time, so a worker is not woken for each small file.
    Files(Vec<(usize, PathBuf)>),
}

/// Files handed to a worker at once.
const FILE_BATCH: usize = 8;

/// What a hashing thread reports for one file.
type Outcome = (usize, std::result::Result<Digests, (PathBuf, io::Error)>);

/// Counters of hashing done so far, for a progress display on another thread: files finished
/// and bytes hashed (an archive member's as they pass, a file on disk's once it is done).
#[derive(Debug, Default)]
pub struct Progress {
    files: std::sync::atomic::AtomicU64,
    bytes: std::sync::atomic::AtomicU64,
}

impl Progress {
    /// Files hashed so far.
    pub fn files(&self) -> u64 {
        self.files.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Bytes hashed so far.
    pub fn bytes(&self) -> u64 {
        self.bytes.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn add(&self, files: u64, bytes: u64) {
        use std::sync::atomic::Ordering::Relaxed;
        self.files.fetch_add(files, Relaxed);
        self.bytes.fetch_add(bytes, Relaxed);
    }
}

/// Hashes files on worker threads: bytes the calling thread reads (it decompresses an archive
/// meanwhile), or files of a directory the workers read themselves.
#[derive(Debug)]
pub struct HashPool {
    senders: Vec<SyncSender<Job>>,
    handles: Vec<JoinHandle<()>>,
    spare_rx: Receiver<Vec<u8>>,
    results_rx: Receiver<Outcome>,
    next_worker: usize,
    next_index: usize,
    /// Buffers made so far; past [`HashPool::max_buffers`] the reader waits for a spare one.
    buffers: usize,
    /// Files queued by path, not yet handed to a worker.
    batch: Vec<(usize, PathBuf)>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Job::Chunk(c) => write!(f, "Chunk({}, {} bytes)", c.index, c.len),
            Job::Files(files) => write!(f, "Files({})", files.len()),
        }
    }
}

/// Reads the file at `path` and digests it, reusing `buf`.
fn hash_file(path: &Path, set: DigestSet, buf: &mut Vec<u8>) -> io::Result<Digests> {
    let mut file = std::fs::File::open(path)?;
    buf.resize(CHUNK, 0);
    let mut h = MultiHasher::new(set);
    loop {
        match file.read(buf) {
            Ok(0) => return Ok(h.finish()),
            Ok(n) => h.update(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

impl HashPool {
    /// A pool computing `set`: with `busy_reader` (the reading thread decompresses, the
    /// critical path), one worker per core but one; otherwise one per core.
    pub fn new(set: DigestSet, busy_reader: bool) -> Self {
        Self::counted(set, busy_reader, None)
    }

    /// As [`HashPool::new`], adding what it hashes to `progress`.
    pub fn counted(set: DigestSet, busy_reader: bool, progress: Option<Arc<Progress>>) -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let workers = if busy_reader {
            cores.saturating_sub(1)
        } else {
            cores
        };
        Self::with_workers(workers.max(1), set, progress)
    }

    /// A pool with exactly `workers` hashing threads, adding what it hashes to `progress`.
    pub fn with_workers(workers: usize, set: DigestSet, progress: Option<Arc<Progress>>) -> Self {
        let (spare_tx, spare_rx) = channel::<Vec<u8>>();
        let (results_tx, results_rx) = channel::<Outcome>();
        let mut senders = Vec::new();
        let mut handles = Vec::new();
        for _ in 0..workers.max(1) {
            let (tx, rx) = sync_channel::<Job>(QUEUE);
            let spare_tx: Sender<Vec<u8>> = spare_tx.clone();
            let results_tx = results_tx.clone();
            let progress = progress.clone();
            handles.push(std::thread::spawn(move || {
                let mut current: Option<MultiHasher> = None;
                let mut own = Vec::new();
                for job in rx {
                    match job {
                        Job::Chunk(chunk) => {
                            let h = current.get_or_insert_with(|| MultiHasher::new(set));
                            h.update(&chunk.buf[..chunk.len]);
                            if let Some(p) = &progress {
                                p.add(u64::from(chunk.last), chunk.len as u64);
                            }
                            let done = chunk.last.then(|| current.take()).flatten();
                            // The pool may be gone at shutdown; the buffer is then just freed.
                            let _ = spare_tx.send(chunk.buf);
                            if let Some(h) = done
                                && results_tx.send((chunk.index, Ok(h.finish()))).is_err()
                            {
                                return;
                            }
                        }
                        Job::Files(files) => {
                            for (index, path) in files {
                                let r = hash_file(&path, set, &mut own).map_err(|e| (path, e));
                                if let (Some(p), Ok(d)) = (&progress, &r) {
                                    p.add(1, d.size);
                                }
                                if results_tx.send((index, r)).is_err() {
                                    return;
                                }
                            }
                        }
                    }
                }
            }));
            senders.push(tx);
        }
        HashPool {
            senders,
            handles,
            spare_rx,
            results_rx,
            next_worker: 0,
            next_index: 0,
            buffers: 0,
            batch: Vec::new(),
        }
    }

    /// Buffers in flight at most: a few per worker keep every worker busy; more would only
    /// cost fresh (zeroed) memory for each small file while the workers catch up.
    fn max_buffers(&self) -> usize {
        4 * self.senders.len() + 2
    }

    fn buffer(&mut self) -> Vec<u8> {
        if let Ok(b) = self.spare_rx.try_recv() {
            return b;
        }
        if self.buffers >= self.max_buffers()
            && let Ok(b) = self.spare_rx.recv()
        {
            return b;
        }
        self.buffers += 1;
        vec![0; CHUNK]
    }

    /// The next file's index and worker.
    fn next(&mut self) -> (usize, usize) {
        let index = self.next_index;
        self.next_index += 1;
        let worker = self.next_worker;
        self.next_worker = (self.next_worker + 1) % self.senders.len();
        (index, worker)
    }

    /// Queues the file at `path` for a worker to read and hash. Returns its index in the
    /// result of [`HashPool::finish`].
    pub fn hash_file(&mut self, path: PathBuf) -> io::Result<usize> {
        let index = self.next_index;
        self.next_index += 1;
        self.batch.push((index, path));
        if self.batch.len() >= FILE_BATCH {
            self.flush()?;
        }
        Ok(index)
    }

    /// Hands the queued files to the next worker.
    fn flush(&mut self) -> io::Result<()> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let worker = self.next_worker;
        self.next_worker = (self.next_worker + 1) % self.senders.len();
        let files = std::mem::take(&mut self.batch);
        self.send(worker, Job::Files(files))
    }

    /// Reads `reader` to its end and queues its bytes for hashing. Returns the file's index in
    /// the result of [`HashPool::finish`] and the number of bytes read. When `capture` is given,
    /// the bytes are also kept there.
    pub fn hash_reader(
        &mut self,
        reader: &mut dyn Read,
        mut capture: Option<&mut Capture>,
    ) -> io::Result<(usize, u64)> {
        let (index, worker) = self.next();
        let mut total = 0u64;
        loop {
            let mut buf = self.buffer();
            let mut filled = 0;
            let mut eof = false;
            while filled < CHUNK {
                match reader.read(&mut buf[filled..]) {
                    Ok(0) => {
                        eof = true;
                        break;
                    }
                    Ok(n) => filled += n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        // End the file on its worker, so the next file there starts afresh (the
                        // caller may go on: a malformed archive nested in the input is listed
                        // as one file, what was read of it forgotten).
                        self.send(
                            worker,
                            Job::Chunk(Chunk {
                                index,
                                buf,
                                len: 0,
                                last: true,
                            }),
                        )?;
                        return Err(e);
                    }
                }
            }
            total += filled as u64;
            if let Some(c) = capture.as_deref_mut() {
                c.push(&buf[..filled]);
            }
            self.send(
                worker,
                Job::Chunk(Chunk {
                    index,
                    buf,
                    len: filled,
                    last: eof,
                }),
            )?;
            if eof {
                return Ok((index, total));
            }
        }
    }

    fn send(&self, worker: usize, job: Job) -> io::Result<()> {
        self.senders[worker]
            .send(job)
            .map_err(|_| io::Error::other("a hashing thread stopped unexpectedly"))
    }

    /// Waits for all queued files and returns their digests, by index. A file a worker could
    /// not read is an error naming it.
    pub fn finish(mut self) -> Result<Vec<Digests>> {
        self.flush().map_err(|e| Error::io("hashing", e))?;
        let HashPool {
            senders,
            handles,
            results_rx,
            next_index,
            ..
        } = self;
        drop(senders);
        let internal = |m: &str| Error::io("hashing", io::Error::other(m.to_owned()));
        for h in handles {
            h.join()
                .map_err(|_| internal("a hashing thread panicked"))?;
        }
        let mut out: Vec<Option<Digests>> = vec![None; next_index];
        for (i, d) in results_rx.try_iter() {
            match d {
                Ok(d) => out[i] = Some(d),
                Err((path, e)) => return Err(Error::io(path.display().to_string(), e)),
            }
        }
        out.into_iter()
            .map(|d| d.ok_or_else(|| internal("a file was queued but never hashed")))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_vectors() {
        let d = digest_bytes(
            b"abc",
            DigestSet {
                sha512: true,
                ..DigestSet::default()
            },
        );
        assert_eq!(
            hex::encode(d.sha1),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            hex::encode(d.sha256),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(
            hex::encode(d.sha512.as_deref().expect("requested"))
                .starts_with("ddaf35a193617abacc417349ae204131")
        );
        assert_eq!(d.size, 3);
    }

    /// The rule of CPython's `Tools/build/generate_sbom.py`, written out independently: a file
    /// without NUL bytes has each CRLF replaced by LF before it is hashed.
    fn cpython_rule(data: &[u8]) -> Vec<u8> {
        if data.contains(&0) {
            return data.to_vec();
        }
        let mut out = Vec::new();
        let mut i = 0;
        while i < data.len() {
            if data[i] == b'\r' && data.get(i + 1) == Some(&b'\n') {
                i += 1;
                continue;
            }
            out.push(data[i]);
            i += 1;
        }
        out
    }

    #[test]
    fn crlf_as_lf_matches_the_rule_whatever_the_block_boundaries() {
        let set = DigestSet {
            line_endings: LineEndings::CrlfAsLf,
            ..DigestSet::default()
        };
        let samples: [&[u8]; 11] = [
            b"a\r\nb\r\n",
            b"lone\rcr\r\r\nx\r",
            b"no line endings",
            b"binary\0\r\n",
            b"\r\n\r\n\r",
            b"",
            b"\r",
            b"\r\n",
            b"x\r\ny\r",
            b"\r\r\n\r\r\n",
            b"a\rb\r\nc\r\0",
        ];
        for data in samples {
            let want = digest_bytes(&cpython_rule(data), DigestSet::default());
            // Every way of cutting it into three blocks.
            for i in 0..=data.len() {
                for j in i..=data.len() {
                    let mut h = MultiHasher::new(set);
                    h.update(&data[..i]);
                    h.update(&data[i..j]);
                    h.update(&data[j..]);
                    let got = h.finish();
                    assert_eq!(
                        (got.sha1, got.sha256),
                        (want.sha1, want.sha256),
                        "{data:?} cut at {i} and {j}"
                    );
                    assert_eq!(got.size, data.len() as u64);
                }
            }
        }
        // Known answer: SHA-1 of "a\nb\n", from `printf 'a\nb\n' | sha1sum`.
        let d = digest_bytes(b"a\r\nb\r\n", set);
        assert_eq!(
            hex::encode(d.sha1),
            "05dec960e24d918b8a73a1c53bcbbaac2ee5c2e0"
        );
    }

    /// Known answers computed outside bomsmith, with coreutils:
    /// `printf '%s' 86f7…67b8e9d7…8f98 | sha1sum` (the SHA-1s of the files `a` and `b`, sorted
    /// and joined, as SPDX 2.3 clause 7.9 says) gives `54635044…0e24`.
    #[test]
    fn verification_code_of_known_files() {
        let mut list = vec![
            "e9d71f5ee7c92d6dc9e92ffdad17b8bd49418f98".to_owned(), // SHA-1 of "b"
            "86f7e437faa5a7fce15d1ddcb9eaeaea377667b8".to_owned(), // SHA-1 of "a"
        ];
        assert_eq!(
            verification_code(&mut list),
            "5463504435e4dbf2b93a3a8a00ca78e36ea40e24"
        );
        // With a third file, `int x;\n`: Python's hashlib over the same rule.
        let mut list = vec![
            hex::encode(sha1(b"int x;\n")),
            hex::encode(sha1(b"b")),
            hex::encode(sha1(b"a")),
        ];
        assert_eq!(
            verification_code(&mut list),
            "1c8b45dc5440dbd8699ac0088b7763e9f8a1d50b"
        );
    }

    #[test]
    fn capture_is_bounded() {
        let mut pool = HashPool::with_workers(1, DigestSet::default(), None);
        let mut cap = Capture::with_limit(10);
        pool.hash_reader(&mut &[7u8; 11][..], Some(&mut cap))
            .expect("hash");
        assert!(cap.overflowed && cap.bytes.is_empty());
        pool.finish().expect("finish");
    }

    /// Found by the nested-archive tests: a member that failed mid-read (a truncated tar.gz
    /// inside a tarball, which the scan then lists as one file) left its worker's hasher
    /// half-fed, so the next file on that worker was digested with its bytes in front, and
    /// `finish` reported a file queued but never hashed.
    #[test]
    fn a_read_error_does_not_spill_into_the_next_file() {
        struct Failing(usize);
        impl Read for Failing {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                if self.0 == 0 {
                    return Err(io::Error::other("cut short"));
                }
                let n = self.0.min(buf.len()).min(1000);
                buf[..n].fill(b'x');
                self.0 -= n;
                Ok(n)
            }
        }
        let mut pool = HashPool::with_workers(1, DigestSet::default(), None);
        let e = pool
            .hash_reader(&mut Failing(3 * CHUNK + 5), None)
            .expect_err("fails");
        assert_eq!(e.to_string(), "cut short");
        let (index, _) = pool.hash_reader(&mut &b"abc"[..], None).expect("hash");
        let out = pool.finish().expect("every file ended");
        assert_eq!(out[index], digest_bytes(b"abc", DigestSet::default()));
    }

    #[test]
    fn pool_matches_direct_hashing_for_every_size() {
        let sizes = [0usize, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 17];
        let data: Vec<Vec<u8>> = sizes
            .iter()
            .map(|&n| (0..n).map(|i| (i * 31 % 251) as u8).collect())
            .collect();
        for workers in [1, 3] {
            let mut pool = HashPool::with_workers(workers, DigestSet::default(), None);
            let mut captured = Capture::with_limit(usize::MAX);
            for (i, d) in data.iter().enumerate() {
                let mut r = d.as_slice();
                let cap = (i == 4).then_some(&mut captured);
                let (idx, n) = pool.hash_reader(&mut r, cap).expect("hash");
                assert_eq!(idx, i);
                assert_eq!(n as usize, d.len());
            }
            let out = pool.finish().expect("finish");
            for (d, got) in data.iter().zip(&out) {
                assert_eq!(got, &digest_bytes(d, DigestSet::default()));
            }
            assert_eq!(captured.bytes, data[4]);
        }
    }
}
