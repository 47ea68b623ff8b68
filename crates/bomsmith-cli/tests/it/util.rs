//! Helpers shared by the integration tests: the binary, the shared corpus, and hand-made
//! archives (hostile ones included, which regular archive writers refuse to produce).

use assert_cmd::Command;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A fixed `SOURCE_DATE_EPOCH` for reproducible output.
pub const EPOCH: &str = "1700000000";

/// The `bomsmith` binary with a fixed creation time.
pub fn bomsmith() -> Command {
    let mut c = Command::cargo_bin("bomsmith").expect("binary is built");
    c.env("SOURCE_DATE_EPOCH", EPOCH);
    c
}

/// `../shared` beside the repository (or `$BOMSMITH_SHARED`).
pub fn shared_dir() -> PathBuf {
    if let Ok(p) = std::env::var("BOMSMITH_SHARED") {
        return PathBuf::from(p);
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

/// What a test does when a real input it needs is absent: under `CI` it fails with `msg`;
/// elsewhere it says `msg` on stderr and the caller skips (`None`).
pub fn missing<T>(msg: &str) -> Option<T> {
    assert!(std::env::var_os("CI").is_none(), "{msg}");
    eprintln!("SKIPPED: {msg}");
    None
}

/// A file from the shared corpus. `None` (with a note on stderr) when absent outside CI;
/// under `CI` its absence fails the test.
pub fn shared_file(rel: &str) -> Option<PathBuf> {
    let p = shared_dir().join(rel);
    if p.exists() {
        return Some(p);
    }
    let msg = format!(
        "shared corpus file missing: {} (expected ../shared beside the repository, or set BOMSMITH_SHARED)",
        p.display()
    );
    missing(&msg)
}

/// The CPython 3.13.5 release tarball from the shared corpus.
pub fn cpython_tarball() -> Option<PathBuf> {
    shared_file("cpython/3.13.5/Python-3.13.5.tar.xz")
}

/// An expensive fixture, made once and kept under `target/tmp/fixtures/NAME-KEY` for every later
/// test process (nextest runs each test in its own process, so nothing in memory is shared).
/// `key` identifies the inputs (the SHA-256 of the file it is made from); `make` fills the
/// directory it is given. Concurrent tests wait on a file lock; a half-made fixture (a test
/// killed while making it) is made again. Returns the fixture's directory.
pub fn fixture(name: &str, key: &str, make: impl FnOnce(&Path)) -> PathBuf {
    let base = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fixtures");
    std::fs::create_dir_all(&base).expect("fixture directory");
    let dir = base.join(format!("{name}-{key}"));
    let done = base.join(format!("{name}-{key}.done"));
    let lock = std::fs::File::create(base.join(format!("{name}-{key}.lock"))).expect("lock file");
    lock.lock().expect("fixture lock");
    if !done.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("fixture directory");
        make(&dir);
        std::fs::write(&done, b"").expect("fixture marker");
    }
    lock.unlock().expect("fixture unlock");
    dir
}

/// SHA-256 of a file, hex.
pub fn file_sha256(path: &Path) -> String {
    sha256_hex(&std::fs::read(path).expect("readable"))
}

/// The CPython 3.13.5 tarball's tree, extracted once by an independent tar implementation (the
/// `tar` crate): `(root of the tree, every regular file's path)`. Paths lose the leading
/// `Python-3.13.5/`. Tests that change files copy what they need first ([`copy_tree`]).
pub fn cpython_tree() -> Option<(PathBuf, Vec<String>)> {
    let tarball = cpython_tarball()?;
    let dir = fixture("cpython-tree", &file_sha256(&tarball), |dir| {
        let file = std::fs::File::open(&tarball).expect("open tarball");
        let mut archive = tar::Archive::new(liblzma::read::XzDecoder::new(file));
        let mut listing = String::new();
        for entry in archive.entries().expect("entries") {
            let mut entry = entry.expect("entry");
            if entry.header().entry_type() != tar::EntryType::Regular {
                continue;
            }
            let name = entry.path().expect("path").to_string_lossy().into_owned();
            let rel = name.split_once('/').expect("rooted").1.to_owned();
            let target = dir.join("tree").join(&rel);
            std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
            let mut data = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut data).expect("member");
            std::fs::write(&target, data).expect("write");
            listing.push_str(&rel);
            listing.push('\n');
        }
        std::fs::write(dir.join("files.txt"), listing).expect("listing");
    });
    let files = std::fs::read_to_string(dir.join("files.txt"))
        .expect("listing")
        .lines()
        .map(str::to_owned)
        .collect();
    Some((dir.join("tree"), files))
}

/// Every regular file of the CPython tarball with its bytes, in archive order.
pub fn cpython_files() -> Option<Vec<(String, Vec<u8>)>> {
    let (root, files) = cpython_tree()?;
    Some(
        files
            .into_iter()
            .map(|f| {
                let data = std::fs::read(root.join(&f)).expect("fixture file");
                (f, data)
            })
            .collect(),
    )
}

/// Copies the parts `prefixes` of the tree at `from` (files listed in `files`) to `to`.
pub fn copy_tree(from: &Path, files: &[String], prefixes: &[&str], to: &Path) {
    for f in files
        .iter()
        .filter(|f| prefixes.iter().any(|p| f.starts_with(p)))
    {
        let target = to.join(f);
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        std::fs::copy(from.join(f), target).expect("copy");
    }
}

/// fileName → {algorithm → value} of an SPDX document.
pub fn file_checksums(doc: &Value) -> BTreeMap<String, BTreeMap<String, String>> {
    doc["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| {
            let sums = f["checksums"]
                .as_array()
                .expect("checksums")
                .iter()
                .map(|c| {
                    (
                        c["algorithm"].as_str().expect("alg").to_owned(),
                        c["checksumValue"].as_str().expect("value").to_owned(),
                    )
                })
                .collect();
            (f["fileName"].as_str().expect("name").to_owned(), sums)
        })
        .collect()
}

/// Runs `bomsmith scan ARGS` successfully and parses its output.
pub fn scan_json(args: &[&std::ffi::OsStr]) -> Value {
    let out = bomsmith().arg("scan").args(args).output().expect("runs");
    assert!(
        out.status.success(),
        "scan failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

/// Hex digests of bytes.
pub fn sha1_hex(data: &[u8]) -> String {
    use sha1::Digest;
    hex(&sha1::Sha1::digest(data))
}

/// Hex SHA-256 of bytes.
pub fn sha256_hex(data: &[u8]) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(data))
}

/// Lower-case hex of bytes.
pub fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// One member of a hand-made tar archive.
pub struct RawEntry<'a> {
    pub name: &'a [u8],
    pub typeflag: u8,
    pub data: &'a [u8],
    pub link: &'a [u8],
}

/// A regular file member.
pub fn file<'a>(name: &'a [u8], data: &'a [u8]) -> RawEntry<'a> {
    RawEntry {
        name,
        typeflag: b'0',
        data,
        link: b"",
    }
}

/// Writes a ustar archive byte by byte, with whatever names it is given.
pub fn raw_tar(entries: &[RawEntry<'_>]) -> Vec<u8> {
    let mut out = Vec::new();
    for e in entries {
        let mut h = [0u8; 512];
        h[..e.name.len()].copy_from_slice(e.name);
        h[100..108].copy_from_slice(b"0000644\0");
        h[108..116].copy_from_slice(b"0000000\0");
        h[116..124].copy_from_slice(b"0000000\0");
        h[124..136].copy_from_slice(format!("{:011o}\0", e.data.len()).as_bytes());
        h[136..148].copy_from_slice(b"00000000000\0");
        h[156] = e.typeflag;
        h[157..157 + e.link.len()].copy_from_slice(e.link);
        h[257..263].copy_from_slice(b"ustar\0");
        h[263..265].copy_from_slice(b"00");
        h[148..156].copy_from_slice(b"        ");
        let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
        h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
        out.extend_from_slice(&h);
        out.extend_from_slice(e.data);
        out.resize(out.len().div_ceil(512) * 512, 0);
    }
    out.resize(out.len() + 1024, 0);
    out
}

/// One member of a hand-made zip archive (stored, no compression).
pub struct ZipMember<'a> {
    pub name: &'a str,
    pub data: &'a [u8],
}

/// Where each member of a hand-made zip went, so tests can tamper with it.
pub struct ZipLayout {
    pub bytes: Vec<u8>,
    /// Offset of each member's central directory record.
    pub cd_records: Vec<usize>,
    /// Offset of each member's local header.
    pub local_headers: Vec<usize>,
}

/// Writes a zip archive with stored members.
pub fn raw_zip(members: &[ZipMember<'_>]) -> ZipLayout {
    let mut out = Vec::new();
    let mut locals = Vec::new();
    for m in members {
        locals.push(out.len());
        let crc = crc32(m.data);
        out.extend_from_slice(b"PK\x03\x04");
        out.extend_from_slice(&20u16.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // flags
        out.extend_from_slice(&0u16.to_le_bytes()); // stored
        out.extend_from_slice(&[0, 0, 0x21, 0]); // time, date
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&(m.data.len() as u32).to_le_bytes());
        out.extend_from_slice(&(m.data.len() as u32).to_le_bytes());
        out.extend_from_slice(&(m.name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(m.name.as_bytes());
        out.extend_from_slice(m.data);
    }
    let cd_start = out.len();
    let mut records = Vec::new();
    for (m, &local) in members.iter().zip(&locals) {
        records.push(out.len());
        out.extend_from_slice(b"PK\x01\x02");
        out.extend_from_slice(&20u16.to_le_bytes());
        out.extend_from_slice(&20u16.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&[0, 0, 0x21, 0]);
        out.extend_from_slice(&crc32(m.data).to_le_bytes());
        out.extend_from_slice(&(m.data.len() as u32).to_le_bytes());
        out.extend_from_slice(&(m.data.len() as u32).to_le_bytes());
        out.extend_from_slice(&(m.name.len() as u16).to_le_bytes());
        out.extend_from_slice(&[0; 8]); // extra, comment, disk, internal attributes
        out.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        out.extend_from_slice(&(local as u32).to_le_bytes());
        out.extend_from_slice(m.name.as_bytes());
    }
    let cd_size = out.len() - cd_start;
    out.extend_from_slice(b"PK\x05\x06");
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(members.len() as u16).to_le_bytes());
    out.extend_from_slice(&(members.len() as u16).to_le_bytes());
    out.extend_from_slice(&(cd_size as u32).to_le_bytes());
    out.extend_from_slice(&(cd_start as u32).to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    ZipLayout {
        bytes: out,
        cd_records: records,
        local_headers: locals,
    }
}

/// CRC-32 (IEEE), bit by bit: independent of the code under test.
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// gzip-compresses bytes.
pub fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).expect("in memory");
    e.finish().expect("in memory")
}

/// xz-compresses bytes.
pub fn xz(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = liblzma::write::XzEncoder::new(Vec::new(), 1);
    e.write_all(data).expect("in memory");
    e.finish().expect("in memory")
}

/// The (code, pointer) of every error of a `validate --format json` report.
pub fn error_pointers(report: &serde_json::Value) -> Vec<(String, String)> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            (
                d["code"].as_str().expect("code").to_owned(),
                d["pointer"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

/// `doc` as `bomsmith convert` writes it: bomsmith named among its creators (last), since the
/// converted document is one bomsmith made.
pub fn as_converted(mut doc: bomsmith::model::Document) -> bomsmith::model::Document {
    let tool = bomsmith::format::TOOL_CREATOR;
    if !doc.creators.iter().any(|c| c == tool) {
        doc.creators.push(tool.to_owned());
    }
    doc
}

/// Every `.json` file under `dir` (recursively), sorted.
pub fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "json") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The real npm package `sqlite3` 5.1.7 (`npm pack sqlite3@5.1.7`): `$BOMSMITH_NPM_SQLITE3`,
/// else `/work/fixtures`. `None` (with a note) when absent outside CI; under `CI` its absence
/// fails the test.
pub fn npm_sqlite3() -> Option<PathBuf> {
    let p = std::env::var_os("BOMSMITH_NPM_SQLITE3").map_or_else(
        || PathBuf::from("/work/fixtures/sqlite3-5.1.7.tgz"),
        PathBuf::from,
    );
    if p.exists() {
        return Some(p);
    }
    let msg = format!(
        "npm sqlite3 package missing: {} (`npm pack sqlite3@5.1.7`, or set BOMSMITH_NPM_SQLITE3)",
        p.display()
    );
    missing(&msg)
}
