//! Digests: SHA-1 and SHA-256 (SHA-512 on request) of every file, in one pass over its bytes;
//! the one hashing engine of bomsmith. On request, text files are digested as if their CRLF
//! line endings were LF (the rule of CPython's in-tree SBOM, so a Windows checkout gives the
//! same digests as a Unix one).
//!
//! [`HashPool`] overlaps reading with hashing: the thread that decompresses and parses the input
//! fills pooled buffers and hands them to worker threads (all cores but one), each of which
//! hashes whole files. Memory is bounded by the buffers in flight, never by file size.

use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};
use std::io::{self, Read};
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};
use std::thread::JoinHandle;

/// Size of one buffer handed from the reader to a hashing worker.
const CHUNK: usize = 256 * 1024;
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

/// The CRLF-as-LF digests of a stream, kept beside the plain ones until the end says which
/// apply.
#[derive(Debug, Clone)]
struct CrlfAsLf {
    hashers: Hashers,
    /// The previous block ended with a CR whose fate depends on the next byte.
    pending_cr: bool,
    saw_crlf: bool,
    saw_nul: bool,
}

impl CrlfAsLf {
    fn update(&mut self, data: &[u8]) {
        if data.is_empty() {
            return;
        }
        self.saw_nul |= memchr::memchr(0, data).is_some();
        let mut rest = data;
        if std::mem::take(&mut self.pending_cr) {
            if rest[0] == b'\n' {
                self.saw_crlf = true;
            } else {
                self.hashers.update(b"\r");
            }
        }
        while let Some(i) = memchr::memchr(b'\r', rest) {
            self.hashers.update(&rest[..i]);
            match rest.get(i + 1) {
                None => {
                    self.pending_cr = true;
                    return;
                }
                Some(b'\n') => self.saw_crlf = true,
                Some(_) => self.hashers.update(b"\r"),
            }
            rest = &rest[i + 1..];
        }
        self.hashers.update(rest);
    }
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
            crlf_as_lf: (set.line_endings == LineEndings::CrlfAsLf).then(|| {
                Box::new(CrlfAsLf {
                    hashers: Hashers::new(set.sha512),
                    pending_cr: false,
                    saw_crlf: false,
                    saw_nul: false,
                })
            }),
            size: 0,
        }
    }

    /// Feeds bytes.
    pub fn update(&mut self, data: &[u8]) {
        self.plain.update(data);
        if let Some(n) = &mut self.crlf_as_lf {
            n.update(data);
        }
        self.size += data.len() as u64;
    }

    /// The digests of everything fed so far.
    pub fn finish(self) -> Digests {
        match self.crlf_as_lf {
            Some(mut n) if n.saw_crlf && !n.saw_nul => {
                if n.pending_cr {
                    n.hashers.update(b"\r");
                }
                n.hashers.finish(self.size)
            }
            _ => self.plain.finish(self.size),
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

    fn push(&mut self, data: &[u8]) {
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

/// Hashes files on worker threads while the calling thread reads them.
#[derive(Debug)]
pub struct HashPool {
    senders: Vec<SyncSender<Chunk>>,
    handles: Vec<JoinHandle<()>>,
    spare_rx: Receiver<Vec<u8>>,
    results_rx: Receiver<(usize, Digests)>,
    next_worker: usize,
    next_index: usize,
}

impl HashPool {
    /// A pool with one worker per core but one (at least one), computing `set`.
    pub fn new(set: DigestSet) -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Self::with_workers(cores.saturating_sub(1).max(1), set)
    }

    /// A pool with exactly `workers` hashing threads.
    pub fn with_workers(workers: usize, set: DigestSet) -> Self {
        let (spare_tx, spare_rx) = channel::<Vec<u8>>();
        let (results_tx, results_rx) = channel();
        let mut senders = Vec::new();
        let mut handles = Vec::new();
        for _ in 0..workers.max(1) {
            let (tx, rx) = sync_channel::<Chunk>(QUEUE);
            let spare_tx: Sender<Vec<u8>> = spare_tx.clone();
            let results_tx = results_tx.clone();
            handles.push(std::thread::spawn(move || {
                let mut current: Option<MultiHasher> = None;
                for chunk in rx {
                    let h = current.get_or_insert_with(|| MultiHasher::new(set));
                    h.update(&chunk.buf[..chunk.len]);
                    if chunk.last
                        && let Some(h) = current.take()
                        && results_tx.send((chunk.index, h.finish())).is_err()
                    {
                        return;
                    }
                    // The pool may already be gone at shutdown; the buffer is then just freed.
                    let _ = spare_tx.send(chunk.buf);
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
        }
    }

    fn buffer(&self) -> Vec<u8> {
        self.spare_rx.try_recv().unwrap_or_else(|_| vec![0; CHUNK])
    }

    /// Reads `reader` to its end and queues its bytes for hashing. Returns the file's index in
    /// the result of [`HashPool::finish`] and the number of bytes read. When `capture` is given,
    /// the bytes are also kept there.
    pub fn hash_reader(
        &mut self,
        reader: &mut dyn Read,
        mut capture: Option<&mut Capture>,
    ) -> io::Result<(usize, u64)> {
        let index = self.next_index;
        self.next_index += 1;
        let worker = self.next_worker;
        self.next_worker = (self.next_worker + 1) % self.senders.len();
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
                    Err(e) => return Err(e),
                }
            }
            total += filled as u64;
            if let Some(c) = capture.as_deref_mut() {
                c.push(&buf[..filled]);
            }
            self.send(
                worker,
                Chunk {
                    index,
                    buf,
                    len: filled,
                    last: eof,
                },
            )?;
            if eof {
                return Ok((index, total));
            }
        }
    }

    fn send(&self, worker: usize, chunk: Chunk) -> io::Result<()> {
        self.senders[worker]
            .send(chunk)
            .map_err(|_| io::Error::other("a hashing thread stopped unexpectedly"))
    }

    /// Waits for all queued files and returns their digests, by index.
    pub fn finish(self) -> io::Result<Vec<Digests>> {
        let HashPool {
            senders,
            handles,
            results_rx,
            next_index,
            ..
        } = self;
        drop(senders);
        for h in handles {
            h.join()
                .map_err(|_| io::Error::other("a hashing thread panicked"))?;
        }
        let mut out: Vec<Option<Digests>> = vec![None; next_index];
        for (i, d) in results_rx.try_iter() {
            out[i] = Some(d);
        }
        out.into_iter()
            .map(|d| d.ok_or_else(|| io::Error::other("a file was queued but never hashed")))
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
        let samples: [&[u8]; 7] = [
            b"a\r\nb\r\n",
            b"lone\rcr\r\r\nx\r",
            b"no line endings",
            b"binary\0\r\n",
            b"\r\n\r\n\r",
            b"",
            b"\r",
        ];
        for data in samples {
            let want = digest_bytes(&cpython_rule(data), DigestSet::default());
            for split in 0..=data.len() {
                let mut h = MultiHasher::new(set);
                h.update(&data[..split]);
                h.update(&data[split..]);
                let got = h.finish();
                assert_eq!(
                    (got.sha1, got.sha256),
                    (want.sha1, want.sha256),
                    "{data:?} split at {split}"
                );
                assert_eq!(got.size, data.len() as u64);
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
        let mut pool = HashPool::with_workers(1, DigestSet::default());
        let mut cap = Capture::with_limit(10);
        pool.hash_reader(&mut &[7u8; 11][..], Some(&mut cap))
            .expect("hash");
        assert!(cap.overflowed && cap.bytes.is_empty());
        pool.finish().expect("finish");
    }

    #[test]
    fn pool_matches_direct_hashing_for_every_size() {
        let sizes = [0usize, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 17];
        let data: Vec<Vec<u8>> = sizes
            .iter()
            .map(|&n| (0..n).map(|i| (i * 31 % 251) as u8).collect())
            .collect();
        for workers in [1, 3] {
            let mut pool = HashPool::with_workers(workers, DigestSet::default());
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
