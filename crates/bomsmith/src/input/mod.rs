//! Inputs: a directory, or an archive recognised by its magic bytes (tar, optionally gzip, xz,
//! bzip2 or zstd compressed; zip, including wheels), also when it sits inside another archive.
//! Archives are streamed, never extracted: every entry is handed to an [`EntrySink`] with a
//! reader over exactly its bytes.

mod cpio;
mod dir;
mod git;
mod limit;
mod nested;
mod pbzx;
mod tar;
mod xar;
mod zip;

pub use cpio::{looks_like_cpio, read_cpio};
pub use dir::{DirOptions, outermost, read_dir};
pub use git::{GitFiles, GitListing, in_work_tree};
pub use limit::Limits;
pub use nested::{member, read_nested, read_tar_stream};
pub use pbzx::{Pbzx, looks_like_pbzx};
pub use tar::read_tar;
pub use xar::{looks_like_xar, read_xar};
pub use zip::{RandomAccess, read_zip};

use crate::diag::Diagnostic;
use crate::error::{Error, Result};
use std::fs;
use std::io::{self, BufReader, Read};
use std::path::Path;

crate::rules! {
    RULES, "input", "docs/scan.md";
    TAR_END_MARKER_MISSING = "INPUT001", "tar-end-marker-missing", Warning,
        "A tar archive ends without its end-of-archive marker: it may have been cut short at a member boundary.";
    TAR_UNKNOWN_TYPE = "INPUT002", "tar-unknown-member-type", Warning,
        "A tar member has a type POSIX does not define; it is read as a regular file, as POSIX says.";
    TRACKED_FILE_MISSING = "INPUT003", "tracked-file-missing", Warning,
        "A file git tracks is missing from the working tree; it is left out.";
    NESTED_ARCHIVE_NOT_READ = "INPUT004", "nested-archive-not-read", Warning,
        "An archive inside the input is malformed, or is a zip too large to read into memory; it is listed as one file, its contents are not.";
    CPIO_TRAILER_MISSING = "INPUT005", "cpio-trailer-missing", Warning,
        "A cpio archive ends without its `TRAILER!!!` entry: it may have been cut short at a member boundary.";
}

/// What an archive entry or directory item is, for entries that are not regular files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntryKind {
    /// A directory.
    Directory,
    /// A symbolic link (never followed).
    Symlink,
    /// A character or block device.
    Device,
    /// A named pipe or socket.
    Fifo,
    /// A git submodule (gitlink) in a tracked tree.
    Submodule,
}

impl EntryKind {
    /// Plural noun for summaries.
    pub fn plural(self) -> &'static str {
        match self {
            EntryKind::Directory => "directories",
            EntryKind::Symlink => "symlinks",
            EntryKind::Device => "devices",
            EntryKind::Fifo => "fifos",
            EntryKind::Submodule => "submodules",
        }
    }
}

/// Receives the entries of an input, in input order.
pub trait EntrySink {
    /// A regular file at `path` (normalised, `/`-separated, relative). `body` yields its bytes;
    /// for an archive member the sink must read it to the end and pass read errors on (a
    /// directory's file may be left unread).
    fn file(&mut self, path: &str, body: &mut dyn Read) -> io::Result<()>;
    /// A hard link at `path` to the earlier regular file `target`.
    fn hard_link(&mut self, path: &str, target: &str);
    /// A regular file of a directory at `path`, which is `full` on disk: a sink that hashes
    /// files may have them read and hashed elsewhere, in parallel. By default it is read
    /// through [`EntrySink::file`], opened on its first read.
    fn file_at(&mut self, path: &str, full: &Path) -> io::Result<()> {
        self.file(path, &mut OpenedWhenRead::new(full))
    }
    /// Something that is not a regular file.
    fn other(&mut self, path: &str, kind: EntryKind);
    /// A problem that does not stop the document from being complete and correct.
    fn warn(&mut self, diagnostic: Diagnostic);
    /// Entries already handed on that turn out not to count (a directory read through git
    /// hands files on before git's listing is in): the sink forgets every entry whose path
    /// `unlisted` holds for. A sink that keeps nothing may ignore it.
    fn retract(&mut self, unlisted: &dyn Fn(&str) -> bool) {
        let _ = unlisted;
    }
}

/// A file opened on its first read: many sinks list a file without reading it.
#[derive(Debug)]
pub struct OpenedWhenRead<'a> {
    path: &'a Path,
    file: Option<fs::File>,
}

impl<'a> OpenedWhenRead<'a> {
    /// The file at `path`, not opened yet.
    pub fn new(path: &'a Path) -> Self {
        OpenedWhenRead { path, file: None }
    }
}

impl Read for OpenedWhenRead<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let file = match &mut self.file {
            Some(f) => f,
            None => self.file.insert(fs::File::open(self.path)?),
        };
        file.read(buf)
    }
}

/// Compression of a tar stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// Not compressed.
    None,
    /// gzip (RFC 1952), possibly several members.
    Gzip,
    /// xz, possibly several streams.
    Xz,
    /// bzip2, possibly several streams.
    Bzip2,
    /// Zstandard, possibly several frames.
    Zstd,
    /// pbzx, Apple's chunked xz (installer payloads).
    Pbzx,
}

impl Compression {
    /// Recognises a compression format by the first bytes of a file.
    pub fn from_magic(head: &[u8]) -> Option<Self> {
        if head.starts_with(&[0x1f, 0x8b]) {
            Some(Compression::Gzip)
        } else if head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0]) {
            Some(Compression::Xz)
        } else if head.len() >= 4 && head.starts_with(b"BZh") && (b'1'..=b'9').contains(&head[3]) {
            Some(Compression::Bzip2)
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Some(Compression::Zstd)
        } else if looks_like_pbzx(head) {
            Some(Compression::Pbzx)
        } else {
            None
        }
    }

    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Compression::None => "none",
            Compression::Gzip => "gzip",
            Compression::Xz => "xz",
            Compression::Bzip2 => "bzip2",
            Compression::Zstd => "zstd",
            Compression::Pbzx => "pbzx",
        }
    }
}

/// The kind of an input, as recognised from the file system and magic bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// A directory tree.
    Directory,
    /// A tar archive with the given compression.
    Tar(Compression),
    /// A zip archive (including wheels and jars).
    Zip,
    /// A cpio archive (odc or newc) with the given compression.
    Cpio(Compression),
    /// A xar archive (macOS flat installer packages, `.pkg`).
    Xar,
    /// One native binary (PE, ELF, Mach-O): an input of one file.
    Binary,
}

impl InputKind {
    /// Short description (`tar+xz`, `zip`, `directory`).
    pub fn describe(self) -> String {
        match self {
            InputKind::Directory => "directory".into(),
            InputKind::Tar(Compression::None) => "tar".into(),
            InputKind::Tar(c) => format!("tar+{}", c.name()),
            InputKind::Zip => "zip".into(),
            InputKind::Cpio(Compression::None) => "cpio".into(),
            InputKind::Cpio(c) => format!("cpio+{}", c.name()),
            InputKind::Xar => "xar".into(),
            InputKind::Binary => "binary".into(),
        }
    }
}

/// Facts about the input artifact itself, learnt while reading it.
#[derive(Debug, Clone)]
pub struct Artifact {
    /// What the input is.
    pub kind: InputKind,
    /// SHA-256 of the artifact file (none for directories).
    pub sha256: Option<[u8; 32]>,
    /// Size of the artifact file in bytes (none for directories).
    pub size: Option<u64>,
}

/// True when `block` is a tar header: `ustar` magic, or a valid header checksum.
pub fn looks_like_tar(block: &[u8]) -> bool {
    block.len() >= 512 && (&block[257..262] == b"ustar" || tar::header_checksum_ok(block))
}

/// True when `head` starts a zip archive (a local file header or an empty archive's end record).
pub fn looks_like_zip(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06")
}

/// Recognises `path`: a directory, a (compressed) tar, or a zip.
pub fn detect(path: &Path) -> Result<InputKind> {
    let shown = path.display().to_string();
    let meta = fs::metadata(path).map_err(|e| Error::io(&shown, e))?;
    if meta.is_dir() {
        return Ok(InputKind::Directory);
    }
    let mut head = Vec::with_capacity(512);
    fs::File::open(path)
        .and_then(|f| f.take(512).read_to_end(&mut head))
        .map_err(|e| Error::io(&shown, e))?;
    if let Some(kind) = archive_kind(&head) {
        return Ok(match kind {
            InputKind::Tar(c) if c != Compression::None => {
                let file = fs::File::open(path).map_err(|e| Error::io(&shown, e))?;
                stream_kind(BufReader::new(file), c)
            }
            kind => kind,
        });
    }
    if looks_like_binary(&head) {
        return Ok(InputKind::Binary);
    }
    if head.is_empty() {
        return Err(Error::Unsupported {
            path: shown,
            message: "an empty file, not a directory or an archive".into(),
        });
    }
    Err(Error::Unsupported {
        path: shown,
        message: format!(
            "not a directory, tar or cpio (plain, gzip, xz, bzip2, zstd, pbzx), zip or xar (.pkg) archive, nor a PE, ELF or Mach-O binary (first bytes: {})",
            hex::encode(&head[..head.len().min(8)])
        ),
    })
}

/// Options for reading an input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Decompression bounds.
    pub limits: Limits,
    /// Directory-only options.
    pub dir: DirOptions,
}

/// Most slices a fat Mach-O may have to be taken for one.
pub const MAX_FAT_SLICES: u32 = 8;

/// True when `head` starts like a native binary: PE (`MZ`), ELF, Mach-O, or fat Mach-O.
pub fn looks_like_binary(head: &[u8]) -> bool {
    match head {
        [b'M', b'Z', ..] | [0x7f, b'E', b'L', b'F', ..] => true,
        [0xfe, 0xed, 0xfa, 0xce | 0xcf, ..] | [0xce | 0xcf, 0xfa, 0xed, 0xfe, ..] => true,
        // A Java class file starts the same way as a fat Mach-O; its major version (the second
        // word) is over 40, a fat file's slice count is small.
        [0xca, 0xfe, 0xba, 0xbe, a, b, c, d, ..] => {
            (1..=MAX_FAT_SLICES).contains(&u32::from_be_bytes([*a, *b, *c, *d]))
        }
        _ => false,
    }
}

/// Recognises an archive by its first bytes: zip, xar, cpio, or a (compressed) tar. A
/// compressed stream is named a tar here; what it holds, tar or cpio, is told once it is
/// decompressed ([`stream_kind`]), and read either way.
pub fn archive_kind(head: &[u8]) -> Option<InputKind> {
    // A tar header before a cpio one: a tar whose first member is named `070701...` starts
    // with cpio's magic, and its header checksum tells it apart.
    if looks_like_zip(head) {
        Some(InputKind::Zip)
    } else if looks_like_xar(head) {
        Some(InputKind::Xar)
    } else if let Some(c) = Compression::from_magic(head) {
        Some(InputKind::Tar(c))
    } else if looks_like_tar(head) {
        Some(InputKind::Tar(Compression::None))
    } else if looks_like_cpio(head) {
        Some(InputKind::Cpio(Compression::None))
    } else {
        None
    }
}

/// What the stream `raw`, compressed with `compression`, holds: a cpio archive, or else (what
/// the tar reader will judge) a tar.
fn stream_kind(raw: impl Read, compression: Compression) -> InputKind {
    let mut head = [0u8; 512];
    let got = decoder(Box::new(raw), compression, "")
        .ok()
        .and_then(|mut d| fill_head(&mut *d, &mut head).ok())
        .unwrap_or(0);
    if !looks_like_tar(&head[..got]) && looks_like_cpio(&head[..got]) {
        InputKind::Cpio(compression)
    } else {
        InputKind::Tar(compression)
    }
}

/// Reads up to `buf.len()` bytes; fewer only at the end of the stream. Returns how many.
pub(crate) fn fill_head(r: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match r.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

/// Skips `n` bytes of an archive's member data; an error when the stream ends first.
fn skip(r: &mut dyn Read, n: u64) -> io::Result<()> {
    let copied = io::copy(&mut r.take(n), &mut io::sink())?;
    if copied < n {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "truncated: the input ends inside member data",
        ));
    }
    Ok(())
}

/// Reads the input at `path`, already recognised by [`detect`] as `kind`, handing every
/// entry to `sink`.
pub fn read_input(
    path: &Path,
    kind: InputKind,
    options: &ReadOptions,
    sink: &mut dyn EntrySink,
) -> Result<Artifact> {
    let shown = path.display().to_string();
    match kind {
        InputKind::Directory => {
            read_dir(path, &options.dir, sink)?;
            Ok(Artifact {
                kind,
                sha256: None,
                size: None,
            })
        }
        InputKind::Zip | InputKind::Xar => {
            let file = fs::File::open(path).map_err(|e| Error::io(&shown, e))?;
            if kind == InputKind::Zip {
                read_zip(&file, &shown, &options.limits, sink)?;
            } else {
                read_xar(&file, &shown, &options.limits, sink)?;
            }
            let size = file.metadata().map_err(|e| Error::io(&shown, e))?.len();
            // The zip reader seeks; the artifact digest is one more sequential read.
            let sha256 = limit::Tap::default()
                .finish(path, size)
                .map_err(|e| Error::io(&shown, e))?;
            Ok(Artifact {
                kind,
                sha256: Some(sha256),
                size: Some(size),
            })
        }
        InputKind::Binary => {
            let file = fs::File::open(path).map_err(|e| Error::io(&shown, e))?;
            let size = file.metadata().map_err(|e| Error::io(&shown, e))?.len();
            let tap = limit::Tap::default();
            let mut raw = tap.reader(BufReader::with_capacity(256 * 1024, file));
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "binary".into());
            sink.file(&name, &mut raw)
                .map_err(|e| Error::io(&shown, e))?;
            let sha256 = tap.finish(path, size).map_err(|e| Error::io(&shown, e))?;
            Ok(Artifact {
                kind,
                sha256: Some(sha256),
                size: Some(size),
            })
        }
        InputKind::Tar(compression) | InputKind::Cpio(compression) => {
            let file = fs::File::open(path).map_err(|e| Error::io(&shown, e))?;
            let size = file.metadata().map_err(|e| Error::io(&shown, e))?.len();
            let tap = limit::Tap::default();
            let raw = tap.reader(BufReader::with_capacity(256 * 1024, file));
            read_compressed_tar(
                Box::new(raw),
                compression,
                &tap,
                &shown,
                &options.limits,
                sink,
            )?;
            let sha256 = tap.finish(path, size).map_err(|e| Error::io(&shown, e))?;
            Ok(Artifact {
                kind,
                sha256: Some(sha256),
                size: Some(size),
            })
        }
    }
}

/// The decoder of `compression` over `raw` (named `shown` in messages).
fn decoder<'a>(
    raw: Box<dyn Read + 'a>,
    compression: Compression,
    shown: &str,
) -> Result<Box<dyn Read + 'a>> {
    Ok(match compression {
        Compression::None => raw,
        Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(raw)),
        Compression::Xz => Box::new(
            limit::XzBounded::new(raw)
                .map_err(|e| Error::archive(shown, None, format!("xz: {e}")))?,
        ),
        Compression::Bzip2 => Box::new(bzip2::read::MultiBzDecoder::new(raw)),
        Compression::Zstd => {
            let zstd_err = |e: io::Error| Error::archive(shown, None, format!("zstd: {e}"));
            let mut dec = zstd::stream::read::Decoder::new(raw).map_err(zstd_err)?;
            // A 128 MiB window at most: larger windows would let one input claim gigabytes.
            dec.window_log_max(limit::MAX_WINDOW_LOG)
                .map_err(zstd_err)?;
            Box::new(dec)
        }
        Compression::Pbzx => Box::new(Pbzx::new(raw)),
    })
}

/// Streams the tar or cpio archive compressed with `compression` from `raw` (whose bytes flow
/// through `tap`, which counts them for the ratio bound) into `sink`; which of the two it is,
/// the first decompressed bytes tell.
fn read_compressed_tar<'a>(
    raw: Box<dyn Read + 'a>,
    compression: Compression,
    tap: &limit::Tap,
    shown: &str,
    limits: &Limits,
    sink: &mut dyn EntrySink,
) -> Result<()> {
    let decoder = decoder(raw, compression, shown)?;
    let mut bounded = limit::Bounded::new(decoder, tap.clone(), limits.clone());
    let mut head = [0u8; 512];
    let got = fill_head(&mut bounded, &mut head).map_err(|e| Error::member_io(shown, None, &e))?;
    let mut stream = (&head[..got]).chain(&mut bounded);
    let what = if !looks_like_tar(&head[..got]) && looks_like_cpio(&head[..got]) {
        read_cpio(&mut stream, shown, sink)?;
        "cpio"
    } else {
        read_tar(&mut stream, shown, sink)?;
        "tar"
    };
    // Read past the archive's end to the end of the compressed stream, so its trailing
    // checksum is verified and the artifact digest covers every byte.
    io::copy(&mut stream, &mut io::sink()).map_err(|e| {
        match Error::member_io(shown, None, &e) {
            Error::Archive { .. } => Error::archive(
                shown,
                None,
                format!("after the end of the {what} archive: {e}"),
            ),
            limit => limit,
        }
    })?;
    Ok(())
}

/// Normalises an archive member name: UTF-8, relative, no `..`, no empty or `.` components.
/// Returns the `/`-joined name (empty for the archive root itself).
pub fn normalize_member_name(raw: &[u8]) -> std::result::Result<String, String> {
    let name = std::str::from_utf8(raw)
        .map_err(|_| format!("name is not valid UTF-8: {}", escape_bytes(raw)))?;
    if name.contains('\0') {
        return Err(format!("name contains a NUL byte: {}", escape_bytes(raw)));
    }
    if name.starts_with('/') {
        return Err("absolute member name: the archive would write outside its root".into());
    }
    let mut parts = Vec::new();
    for part in name.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                return Err(
                    "member name contains `..`: the archive would write outside its root".into(),
                );
            }
            p => parts.push(p),
        }
    }
    Ok(parts.join("/"))
}

/// Shows arbitrary bytes readably: ASCII as is, everything else as `\xNN`.
pub fn escape_bytes(raw: &[u8]) -> String {
    let mut s = String::new();
    for &b in raw {
        if b.is_ascii_graphic() || b == b' ' {
            s.push(b as char);
        } else {
            s.push_str(&format!("\\x{b:02x}"));
        }
    }
    s
}

/// A sink that reads every body to its end and keeps nothing, for the readers' tests.
#[cfg(test)]
#[derive(Debug, Default)]
pub(crate) struct Discard;

#[cfg(test)]
impl EntrySink for Discard {
    fn file(&mut self, _: &str, body: &mut dyn Read) -> io::Result<()> {
        io::copy(body, &mut io::sink()).map(drop)
    }
    fn hard_link(&mut self, _: &str, _: &str) {}
    fn other(&mut self, _: &str, _: EntryKind) {}
    fn warn(&mut self, _: Diagnostic) {}
}

/// A sink that keeps every entry, for the readers' tests: file bodies, hard links, others.
#[cfg(test)]
#[derive(Debug, Default)]
pub(crate) struct Listing {
    pub(crate) files: std::collections::BTreeMap<String, Vec<u8>>,
    pub(crate) links: Vec<(String, String)>,
    pub(crate) others: Vec<(String, EntryKind)>,
}

#[cfg(test)]
impl EntrySink for Listing {
    fn file(&mut self, path: &str, body: &mut dyn Read) -> io::Result<()> {
        let mut v = Vec::new();
        body.read_to_end(&mut v)?;
        self.files.insert(path.to_owned(), v);
        Ok(())
    }
    fn hard_link(&mut self, path: &str, target: &str) {
        self.links.push((path.to_owned(), target.to_owned()));
    }
    fn other(&mut self, path: &str, kind: EntryKind) {
        self.others.push((path.to_owned(), kind));
    }
    fn warn(&mut self, _: Diagnostic) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_normalised_or_refused() {
        assert_eq!(normalize_member_name(b"./a//b/./c").as_deref(), Ok("a/b/c"));
        assert_eq!(normalize_member_name(b"dir/").as_deref(), Ok("dir"));
        assert_eq!(normalize_member_name(b"./").as_deref(), Ok(""));
        assert!(normalize_member_name(b"/etc/passwd").is_err());
        assert!(normalize_member_name(b"a/../../b").is_err());
        let e = normalize_member_name(b"caf\xe9").expect_err("latin-1");
        assert!(e.contains("caf\\xe9"), "{e}");
    }

    #[test]
    fn magic_bytes() {
        assert_eq!(
            Compression::from_magic(&[0x1f, 0x8b, 8]),
            Some(Compression::Gzip)
        );
        assert_eq!(Compression::from_magic(b"BZh9"), Some(Compression::Bzip2));
        assert_eq!(Compression::from_magic(b"BZhx"), None);
        assert_eq!(
            Compression::from_magic(&[0x28, 0xb5, 0x2f, 0xfd, 0]),
            Some(Compression::Zstd)
        );
        assert!(looks_like_zip(b"PK\x03\x04rest"));
    }

    /// An empty tar (its two end-of-archive blocks) as xz whose LZMA2 filter declares a
    /// dictionary of 4 GiB (property byte 40, at offset 16), which liblzma allocated in full
    /// before unpacking a byte. Found by reading the decoder set-up while writing the `tar`
    /// fuzz target (the block header's CRC-32 keeps the fuzzer from it), and confirmed with
    /// that target's binary: libFuzzer out-of-memory, malloc of 4 GiB in liblzma.
    const XZ_4GIB_DICTIONARY: [u8; 68] = [
        0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x00, 0xff, 0x12, 0xd9, 0x41, 0x02, 0x00, 0x21,
        0x01, 0x28, 0x00, 0x00, 0x00, 0xe6, 0xa0, 0x11, 0xb3, 0xe0, 0x03, 0xff, 0x00, 0x0b, 0x5d,
        0x00, 0x00, 0x6f, 0xfd, 0xff, 0xff, 0xa3, 0xb7, 0x7f, 0x46, 0x32, 0x00, 0x00, 0x00, 0x00,
        0x01, 0x1f, 0x80, 0x08, 0x00, 0x00, 0x00, 0xee, 0xfc, 0x87, 0x45, 0xa8, 0x00, 0x0a, 0xfc,
        0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x59, 0x5a,
    ];

    #[test]
    fn xz_dictionary_is_bounded() {
        let e = read_nested(
            &XZ_4GIB_DICTIONARY,
            "bomb.tar.xz",
            &Limits::default(),
            &mut Discard,
        )
        .expect_err("refused");
        assert_eq!(
            e.to_string(),
            "bomb.tar.xz: xz: the stream's dictionary is larger than the 128 MiB accepted"
        );
        // The same stream with another dictionary size (and its block header's CRC-32 redone):
        // xz -9's 64 MiB and the bound's 128 MiB read, 192 MiB does not.
        for (property, ok) in [(28, true), (30, true), (31, false)] {
            let mut xz = XZ_4GIB_DICTIONARY.to_vec();
            xz[16] = property;
            let crc = crc32fast::hash(&xz[12..20]);
            xz[20..24].copy_from_slice(&crc.to_le_bytes());
            let read = read_nested(&xz, "t.tar.xz", &Limits::default(), &mut Discard);
            assert_eq!(read.is_ok(), ok, "property {property}: {read:?}");
        }
    }
}
