//! xar archives, the container of macOS flat installer packages (`.pkg`): a big-endian header,
//! a zlib-compressed XML table of contents, then the heap that holds each file's bytes at the
//! offset the table gives, stored as they are or compressed (zlib, bzip2, xz, lzma).
//!
//! In a flat package the installed files are in a component's `Payload` (a cpio archive,
//! gzip-compressed or as a pbzx stream), and its install scripts in `Scripts` (a gzip cpio).
//! These two are read as what they hold: their files are listed as `COMPONENT.pkg/Payload/PATH`
//! in place of the one opaque file, as a tarball is listed by its files and not as its gzip
//! layer. Anything else named so that is not a cpio stream is a file like any other.
//!
//! Read here rather than with the `apple-xar` crate: for hostile input, that crate subtracts
//! from the header's size field unchecked, allocates the table's declared uncompressed size up
//! front, inflates the table without bound, and brings X.509 and network code along even with
//! signing turned off. Every offset and size here is checked against the file, the table is
//! bounded, every file's archived and extracted checksums are verified, and file data may not
//! overlap.

use super::cpio::{looks_like_cpio, read_cpio};
use super::limit::{self, Limits, ratio_error, total_error};
use super::pbzx::{Pbzx, looks_like_pbzx};
use super::zip::{RandomAccess, Section};
use super::{EntryKind, EntrySink, escape_bytes, normalize_member_name};
use crate::diag::Diagnostic;
use crate::error::{Error, Result};
use base64::Engine as _;
use quick_xml::events::{BytesStart, Event};
use sha1::Digest as _;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, BufReader, Read};
use std::rc::Rc;

/// The magic at the start of a xar archive.
pub const MAGIC: &[u8; 4] = b"xar!";

/// Largest table of contents accepted, uncompressed (python.org's installer's is under 100 KiB;
/// one entry takes about 500 bytes, so this is over 100,000 files).
const MAX_TOC: u64 = 64 << 20;

/// Deepest nesting of elements accepted in the table of contents.
const MAX_DEPTH: usize = 256;

/// Longest file name accepted (macOS allows 255 bytes).
const MAX_NAME: usize = 1024;

/// Longest path accepted, and most path bytes in all (paths are built from their parents').
const MAX_PATH: usize = 4096;
const MAX_PATH_BYTES: usize = 4 * MAX_TOC as usize;

/// Names of flat-package members read as the cpio archives they hold.
const CPIO_MEMBERS: [&str; 2] = ["Payload", "Scripts"];

/// True when `head` starts a xar archive.
pub fn looks_like_xar(head: &[u8]) -> bool {
    head.starts_with(MAGIC)
}

/// A checksum algorithm the table of contents names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Algorithm {
    Sha1,
    Sha256,
    Sha512,
    Md5,
}

impl Algorithm {
    fn from_style(style: &str) -> Option<Self> {
        match style.to_ascii_lowercase().as_str() {
            "sha1" => Some(Algorithm::Sha1),
            "sha256" => Some(Algorithm::Sha256),
            "sha512" => Some(Algorithm::Sha512),
            "md5" => Some(Algorithm::Md5),
            _ => None,
        }
    }
}

/// A running digest of one algorithm.
#[derive(Clone)]
enum Digester {
    Sha1(sha1::Sha1),
    Sha256(sha2::Sha256),
    Sha512(sha2::Sha512),
    Md5(md5::Md5),
}

impl Digester {
    fn new(algorithm: Algorithm) -> Self {
        match algorithm {
            Algorithm::Sha1 => Digester::Sha1(sha1::Sha1::new()),
            Algorithm::Sha256 => Digester::Sha256(sha2::Sha256::new()),
            Algorithm::Sha512 => Digester::Sha512(sha2::Sha512::new()),
            Algorithm::Md5 => Digester::Md5(md5::Md5::new()),
        }
    }
    fn update(&mut self, data: &[u8]) {
        match self {
            Digester::Sha1(h) => h.update(data),
            Digester::Sha256(h) => h.update(data),
            Digester::Sha512(h) => h.update(data),
            Digester::Md5(h) => h.update(data),
        }
    }
    fn hex(self) -> String {
        match self {
            Digester::Sha1(h) => hex::encode(h.finalize()),
            Digester::Sha256(h) => hex::encode(h.finalize()),
            Digester::Sha512(h) => hex::encode(h.finalize()),
            Digester::Md5(h) => hex::encode(h.finalize()),
        }
    }
}

/// A checksum the table of contents declares: its style as written, and the hex digest.
#[derive(Debug, Clone, Default)]
struct Declared {
    style: String,
    hex: String,
}

/// How a file's bytes are stored in the heap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Stored,
    Zlib,
    Bzip2,
    Xz,
    Lzma,
}

/// The `<data>` of a file.
#[derive(Debug, Clone, Default)]
struct Data {
    offset: Option<u64>,
    length: Option<u64>,
    size: Option<u64>,
    encoding: Option<String>,
    archived: Option<Declared>,
    extracted: Option<Declared>,
}

/// One `<file>` of the table of contents.
#[derive(Debug, Clone, Default)]
struct Entry {
    id: String,
    name: Option<String>,
    name_base64: bool,
    kind: String,
    link: Option<String>,
    data: Option<Data>,
    /// Index of the enclosing directory entry.
    parent: Option<usize>,
}

/// The table of contents, parsed: its entries in document order, and the heap checksum.
#[derive(Debug, Default)]
struct Toc {
    entries: Vec<Entry>,
    checksum: Option<(String, u64, u64)>,
}

/// What text in the table of contents is for, by where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Name,
    Type,
    Offset,
    Length,
    Size,
    Archived,
    Extracted,
    TocOffset,
    TocSize,
    Other,
}

fn attribute(e: &BytesStart<'_>, name: &str) -> std::result::Result<Option<String>, String> {
    match e.try_get_attribute(name) {
        Ok(Some(a)) => a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map(|v| Some(v.into_owned()))
            .map_err(|e| e.to_string()),
        Ok(None) => Ok(None),
        Err(e) => Err(e.to_string()),
    }
}

/// The `<data>` of the innermost open `<file>`.
fn current_data<'t>(toc: &'t mut Toc, files: &[usize]) -> Option<&'t mut Data> {
    files.last().and_then(|&i| toc.entries[i].data.as_mut())
}

/// Parses the table of contents.
fn parse_toc(text: &str) -> std::result::Result<Toc, String> {
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut toc = Toc::default();
    // Element names from the root; entry indexes of the open `<file>` elements.
    let mut stack: Vec<String> = Vec::new();
    let mut files: Vec<usize> = Vec::new();
    let mut text_buf = String::new();
    let mut checksum_style: Option<String> = None;
    let (mut toc_offset, mut toc_size) = (None, None);
    let slot = |stack: &[String]| -> Slot {
        let n = stack.len();
        let tail = |k: usize| stack.get(n.wrapping_sub(k)).map(String::as_str);
        match (tail(3), tail(2), tail(1)) {
            (_, Some("file"), Some("name")) => Slot::Name,
            (_, Some("file"), Some("type")) => Slot::Type,
            (Some("file"), Some("data"), Some("offset")) => Slot::Offset,
            (Some("file"), Some("data"), Some("length")) => Slot::Length,
            (Some("file"), Some("data"), Some("size")) => Slot::Size,
            (Some("file"), Some("data"), Some("archived-checksum")) => Slot::Archived,
            (Some("file"), Some("data"), Some("extracted-checksum")) => Slot::Extracted,
            (Some("toc"), Some("checksum"), Some("offset")) if n == 4 => Slot::TocOffset,
            (Some("toc"), Some("checksum"), Some("size")) if n == 4 => Slot::TocSize,
            _ => Slot::Other,
        }
    };
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("table of contents at byte {}: {e}", reader.error_position()))?;
        match event {
            Event::Start(_) | Event::Empty(_) if stack.len() >= MAX_DEPTH => {
                return Err(format!(
                    "table of contents nests elements deeper than {MAX_DEPTH}"
                ));
            }
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let name = e.local_name().into_inner().to_owned();
                let parent_is_file = stack.last().map(String::as_str) == Some("file");
                let in_data = stack.len() >= 2
                    && stack[stack.len() - 1] == "data"
                    && stack[stack.len() - 2] == "file";
                match name.as_str() {
                    "file" if stack.len() >= 2 && (stack[1] == "toc") => {
                        if stack.last().map(String::as_str) != Some("toc") && !parent_is_file {
                            return Err("a <file> outside <toc> or another <file>".into());
                        }
                        let id = attribute(e, "id")?.unwrap_or_default();
                        toc.entries.push(Entry {
                            id,
                            parent: files.last().copied(),
                            ..Entry::default()
                        });
                        if !empty {
                            files.push(toc.entries.len() - 1);
                        }
                    }
                    "name" if parent_is_file => {
                        if let Some(&i) = files.last() {
                            toc.entries[i].name_base64 =
                                attribute(e, "enctype")?.as_deref() == Some("base64");
                            if empty {
                                toc.entries[i].name = Some(String::new());
                            }
                        }
                    }
                    "type" if parent_is_file => {
                        if let Some(&i) = files.last() {
                            toc.entries[i].link = attribute(e, "link")?;
                        }
                    }
                    "data" if parent_is_file => {
                        if let Some(&i) = files.last() {
                            toc.entries[i].data = Some(Data::default());
                        }
                    }
                    "encoding" if in_data => {
                        let style = attribute(e, "style")?.unwrap_or_default();
                        if let Some(d) = current_data(&mut toc, &files) {
                            d.encoding = Some(style);
                        }
                    }
                    "archived-checksum" | "extracted-checksum" if in_data => {
                        let declared = Declared {
                            style: attribute(e, "style")?.unwrap_or_default(),
                            hex: String::new(),
                        };
                        if let Some(d) = current_data(&mut toc, &files) {
                            if name == "archived-checksum" {
                                d.archived = Some(declared);
                            } else {
                                d.extracted = Some(declared);
                            }
                        }
                    }
                    "checksum" if stack.len() == 2 && stack[1] == "toc" => {
                        checksum_style = attribute(e, "style")?;
                    }
                    _ => {}
                }
                if !empty {
                    stack.push(name);
                    text_buf.clear();
                }
            }
            Event::Text(t) => text_buf.push_str(&t.xml10_content()),
            Event::CData(t) => {
                text_buf.push_str(&t.xml10_content());
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref().map_err(|e| e.to_string())? {
                    Some(c) => c,
                    None => match r.xml10_content().as_ref() {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        other => {
                            return Err(format!(
                                "table of contents refers to an unknown entity `&{other};`"
                            ));
                        }
                    },
                };
                text_buf.push(resolved);
            }
            Event::End(_) => {
                let here = slot(&stack);
                let value = std::mem::take(&mut text_buf);
                let value = value.trim();
                let number = |what: &str| {
                    value
                        .parse::<u64>()
                        .map_err(|_| format!("<{what}> is not a number: `{value}`"))
                };
                let current = files.last().copied();
                match (here, current) {
                    (Slot::Name, Some(i)) => toc.entries[i].name = Some(value.to_owned()),
                    (Slot::Type, Some(i)) => toc.entries[i].kind = value.to_owned(),
                    (Slot::Offset | Slot::Length | Slot::Size, Some(i)) => {
                        let n = number(match here {
                            Slot::Offset => "offset",
                            Slot::Length => "length",
                            _ => "size",
                        })?;
                        if let Some(d) = toc.entries[i].data.as_mut() {
                            match here {
                                Slot::Offset => d.offset = Some(n),
                                Slot::Length => d.length = Some(n),
                                _ => d.size = Some(n),
                            }
                        }
                    }
                    (Slot::Archived | Slot::Extracted, Some(i)) => {
                        if let Some(d) = toc.entries[i].data.as_mut() {
                            let slot = if here == Slot::Archived {
                                &mut d.archived
                            } else {
                                &mut d.extracted
                            };
                            if let Some(c) = slot.as_mut() {
                                c.hex = value.to_ascii_lowercase();
                            }
                        }
                    }
                    (Slot::TocOffset, _) => toc_offset = Some(number("offset")?),
                    (Slot::TocSize, _) => toc_size = Some(number("size")?),
                    _ => {}
                }
                if stack.pop().as_deref() == Some("file") {
                    files.pop();
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err("table of contents ends inside an element".into());
    }
    if let (Some(style), Some(offset), Some(size)) = (checksum_style, toc_offset, toc_size) {
        toc.checksum = Some((style, offset, size));
    }
    Ok(toc)
}

/// A file's decoded bytes, counted and digested against what the table declares.
struct Checked<R> {
    inner: R,
    size: u64,
    out: u64,
    digest: Option<(Digester, String, String)>,
}

impl<R: Read> Read for Checked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.out += n as u64;
        if self.out > self.size {
            return Err(invalid(format!(
                "declared size lies: the file unpacks to more than its declared {} bytes",
                self.size
            )));
        }
        if let Some((d, _, _)) = self.digest.as_mut() {
            d.update(&buf[..n]);
        }
        if n == 0 && !buf.is_empty() {
            if self.out != self.size {
                return Err(invalid(format!(
                    "declared size lies: the file unpacks to {} bytes, not its declared {}",
                    self.out, self.size
                )));
            }
            if let Some((d, want, style)) = self.digest.take() {
                let got = d.hex();
                if got != want {
                    return Err(invalid(format!(
                        "extracted {style} checksum mismatch: the data hashes to {got}, the table of contents says {want}"
                    )));
                }
            }
        }
        Ok(n)
    }
}

/// How far the stored bytes of a file were read, and their digest so far against the archived
/// checksum; shared between the reader and [`finish_raw`].
#[derive(Default)]
struct RawProgress {
    read: u64,
    digest: Option<(Digester, String, String)>,
}

/// The stored bytes of a file, digested against the archived checksum as they are read.
struct Archived<R> {
    inner: R,
    progress: Rc<RefCell<RawProgress>>,
}

impl<R: Read> Read for Archived<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut p = self.progress.borrow_mut();
        p.read += n as u64;
        if let Some((d, _, _)) = p.digest.as_mut() {
            d.update(&buf[..n]);
        }
        Ok(n)
    }
}

/// Reads what a decoder left of the stored bytes of the file at `at` (a compressed stream ends
/// before its section may) and checks the archived checksum over all of them.
fn finish_raw(
    src: &dyn RandomAccess,
    at: &Located,
    progress: &RefCell<RawProgress>,
) -> io::Result<()> {
    let mut p = progress.borrow_mut();
    let Some((mut d, want, style)) = p.digest.take() else {
        return Ok(());
    };
    let mut pos = at.start + p.read.min(at.length);
    let end = at.start + at.length;
    let mut buf = vec![0u8; 64 * 1024];
    while pos < end {
        let n = (end - pos).min(buf.len() as u64) as usize;
        src.read_exact_at(&mut buf[..n], pos)?;
        d.update(&buf[..n]);
        pos += n as u64;
    }
    let got = d.hex();
    if got != want {
        return Err(invalid(format!(
            "archived {style} checksum mismatch: the stored bytes hash to {got}, the table of contents says {want}"
        )));
    }
    Ok(())
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

/// A digest to check, when the table declares one of an algorithm known here.
fn digest_of(declared: Option<&Declared>) -> Option<(Digester, String, String)> {
    let d = declared?;
    let algorithm = Algorithm::from_style(&d.style)?;
    Some((Digester::new(algorithm), d.hex.clone(), d.style.clone()))
}

/// Where a regular file's bytes are, checked.
#[derive(Debug, Clone)]
struct Located {
    start: u64,
    length: u64,
    size: u64,
    encoding: Encoding,
    archived: Option<Declared>,
    extracted: Option<Declared>,
}

/// A file's decoded bytes, and how far its stored bytes were read.
type Opened<'a> = (Box<dyn Read + 'a>, Rc<RefCell<RawProgress>>);

/// The decoded bytes of the file at `at`, checked as they are read (the extracted checksum at
/// their end; the archived one by [`finish_raw`] with the progress returned). The stored bytes
/// read feed `counter`, when given.
fn open<'a>(
    src: &'a dyn RandomAccess,
    at: &Located,
    counter: Option<&limit::Tap>,
) -> io::Result<Opened<'a>> {
    let progress = Rc::new(RefCell::new(RawProgress {
        read: 0,
        digest: digest_of(at.archived.as_ref()),
    }));
    let section = BufReader::with_capacity(
        64 * 1024,
        Section {
            src,
            pos: at.start,
            end: at.start + at.length,
        },
    );
    let counted: Box<dyn Read + 'a> = match counter {
        Some(tap) => Box::new(tap.reader(section)),
        None => Box::new(section),
    };
    let raw = Archived {
        inner: counted,
        progress: Rc::clone(&progress),
    };
    let decoded: Box<dyn Read + 'a> = match at.encoding {
        Encoding::Stored => Box::new(raw),
        Encoding::Zlib => Box::new(flate2::read::ZlibDecoder::new(raw)),
        Encoding::Bzip2 => Box::new(bzip2::read::MultiBzDecoder::new(raw)),
        Encoding::Xz => Box::new(limit::XzBounded::new(raw)?),
        Encoding::Lzma => Box::new(limit::XzBounded::lzma(raw)?),
    };
    let checked = Box::new(Checked {
        inner: decoded,
        size: at.size,
        out: 0,
        digest: digest_of(at.extracted.as_ref()),
    });
    Ok((checked, progress))
}

/// Hands every entry to `sink` under a prefix.
struct Prefixed<'a> {
    sink: &'a mut dyn EntrySink,
    prefix: String,
}

impl EntrySink for Prefixed<'_> {
    fn file(&mut self, path: &str, body: &mut dyn Read) -> io::Result<()> {
        self.sink.file(&format!("{}{path}", self.prefix), body)
    }
    fn hard_link(&mut self, path: &str, target: &str) {
        self.sink.hard_link(
            &format!("{}{path}", self.prefix),
            &format!("{}{target}", self.prefix),
        );
    }
    fn other(&mut self, path: &str, kind: EntryKind) {
        self.sink.other(&format!("{}{path}", self.prefix), kind);
    }
    fn warn(&mut self, diagnostic: Diagnostic) {
        self.sink.warn(diagnostic);
    }
}

/// How a `Payload` or `Scripts` member is compressed, when it holds a cpio archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Packed {
    Gzip,
    Pbzx,
    Plain,
}

/// Recognises the cpio stream in a member whose decoded bytes start with `head` (the gzip
/// layer is looked through, with a second read of the member).
fn cpio_inside(src: &dyn RandomAccess, at: &Located, head: &[u8]) -> io::Result<Option<Packed>> {
    if looks_like_pbzx(head) {
        return Ok(Some(Packed::Pbzx));
    }
    if looks_like_cpio(head) {
        return Ok(Some(Packed::Plain));
    }
    if head.starts_with(&[0x1f, 0x8b]) {
        let mut inner = [0u8; 6];
        let mut gz = flate2::read::GzDecoder::new(open(src, at, None)?.0);
        let mut got = 0;
        while got < inner.len() {
            match gz.read(&mut inner[got..]) {
                Ok(0) | Err(_) => break,
                Ok(n) => got += n,
            }
        }
        if looks_like_cpio(&inner[..got]) {
            return Ok(Some(Packed::Gzip));
        }
    }
    Ok(None)
}

/// Reads the cpio archive packed as `packed` in the member at `at` (named `path`) into `sink`,
/// its files named `path/FILE`; the member is read to its end, so its checksums are checked.
fn read_packed_cpio(
    src: &dyn RandomAccess,
    at: &Located,
    packed: Packed,
    archive: &str,
    path: &str,
    limits: &Limits,
    sink: &mut dyn EntrySink,
) -> Result<u64> {
    let member_err = |e: io::Error| Error::member_io(archive, Some(path), &e);
    // The ratio bound counts the member's stored bytes, so a compressed member holding a
    // compressed payload is bounded as one layer is.
    let counter = limit::Tap::counter();
    let (raw, progress) = open(src, at, Some(&counter)).map_err(member_err)?;
    let decoded: Box<dyn Read + '_> = match packed {
        Packed::Gzip => Box::new(flate2::read::MultiGzDecoder::new(raw)),
        Packed::Pbzx => Box::new(Pbzx::new(raw)),
        Packed::Plain => Box::new(raw),
    };
    let mut bounded = limit::Bounded::new(decoded, counter, limits.clone());
    let name = format!("{archive}!{path}");
    let mut prefixed = Prefixed {
        sink,
        prefix: format!("{path}/"),
    };
    read_cpio(&mut bounded, &name, &mut prefixed)?;
    // Past the trailer: the rest of the stream, so the gzip trailer and the member's checksums
    // are checked too.
    io::copy(&mut bounded, &mut io::sink()).map_err(|e| Error::member_io(&name, None, &e))?;
    finish_raw(src, at, &progress).map_err(member_err)?;
    Ok(bounded.unpacked())
}

/// Streams the xar archive `src` (named `archive` in messages) into `sink`.
pub fn read_xar(
    src: &dyn RandomAccess,
    archive: &str,
    limits: &Limits,
    sink: &mut dyn EntrySink,
) -> Result<()> {
    let err = |member: Option<&str>, msg: String| Error::archive(archive, member, msg);
    let io_err = |e: io::Error| err(None, e.to_string());
    let len = src.size().map_err(io_err)?;
    let mut header = [0u8; 28];
    src.read_exact_at(&mut header, 0)
        .map_err(|_| err(None, "truncated: shorter than a xar header".into()))?;
    if &header[0..4] != MAGIC {
        return Err(Error::Unsupported {
            path: archive.to_owned(),
            message: "not a xar archive (no `xar!` magic)".into(),
        });
    }
    let be16 = |i: usize| u64::from(u16::from_be_bytes([header[i], header[i + 1]]));
    let be64 = |i: usize| {
        let mut b = [0u8; 8];
        b.copy_from_slice(&header[i..i + 8]);
        u64::from_be_bytes(b)
    };
    let header_size = be16(4);
    let version = be16(6);
    let toc_packed = be64(8);
    let toc_size = be64(16);
    if header_size < 28 {
        return Err(err(
            None,
            format!("header size {header_size} is smaller than the 28 bytes of a xar header"),
        ));
    }
    if version != 1 {
        return Err(err(
            None,
            format!("xar version {version}; only version 1 exists"),
        ));
    }
    let heap_start = header_size
        .checked_add(toc_packed)
        .filter(|&end| end <= len)
        .ok_or_else(|| {
            err(
                None,
                format!(
                    "table of contents of {toc_packed} bytes runs past the end of the {len}-byte file"
                ),
            )
        })?;
    if toc_size > MAX_TOC || toc_packed > MAX_TOC {
        return Err(err(
            None,
            format!(
                "table of contents of {toc_packed} bytes ({toc_size} uncompressed) is over the {} MiB accepted",
                MAX_TOC >> 20
            ),
        ));
    }
    let mut packed_toc = vec![0u8; toc_packed as usize];
    src.read_exact_at(&mut packed_toc, header_size)
        .map_err(io_err)?;
    let mut toc_bytes = Vec::new();
    flate2::read::ZlibDecoder::new(packed_toc.as_slice())
        .take(toc_size + 1)
        .read_to_end(&mut toc_bytes)
        .map_err(|e| err(None, format!("table of contents: zlib: {e}")))?;
    if toc_bytes.len() as u64 != toc_size {
        return Err(err(
            None,
            format!(
                "the header declares a table of contents of {toc_size} bytes; it inflates to {}",
                if toc_bytes.len() as u64 > toc_size {
                    "more".to_owned()
                } else {
                    toc_bytes.len().to_string()
                }
            ),
        ));
    }
    let toc_text = std::str::from_utf8(&toc_bytes)
        .map_err(|e| err(None, format!("table of contents is not UTF-8: {e}")))?;
    let toc = parse_toc(toc_text).map_err(|m| err(None, m))?;
    let heap_len = len - heap_start;
    // Heap ranges in use: the table's checksum, then every file's data; none may overlap.
    let mut ranges: Vec<(u64, u64, String)> = Vec::new();
    if let Some((style, offset, size)) = &toc.checksum {
        let end = offset.checked_add(*size).filter(|&e| e <= heap_len);
        let Some(end) = end else {
            return Err(err(
                None,
                "the table of contents' checksum lies past the end of the heap".into(),
            ));
        };
        if let Some(algorithm) = Algorithm::from_style(style) {
            // A digest is 64 bytes at most (SHA-512).
            if *size > 64 {
                return Err(err(
                    None,
                    format!("the table of contents' {style} checksum is {size} bytes long"),
                ));
            }
            let mut stored = vec![0u8; *size as usize];
            src.read_exact_at(&mut stored, heap_start + offset)
                .map_err(io_err)?;
            let mut d = Digester::new(algorithm);
            d.update(&packed_toc);
            if d.hex() != hex::encode(&stored) {
                return Err(err(
                    None,
                    format!(
                        "table of contents checksum mismatch: its {style} is not the one the heap holds (the table or the heap is corrupt)"
                    ),
                ));
            }
        }
        ranges.push((*offset, end, "the table of contents' checksum".into()));
    }

    // Paths, from each entry's name and its enclosing directories.
    let mut paths: Vec<String> = Vec::with_capacity(toc.entries.len());
    let mut path_bytes = 0usize;
    for (i, e) in toc.entries.iter().enumerate() {
        let at = format!("#{}", i + 1);
        let raw = e
            .name
            .as_deref()
            .ok_or_else(|| err(Some(&at), "a file without a name".into()))?;
        let name = if e.name_base64 {
            base64::engine::general_purpose::STANDARD
                .decode(raw)
                .map_err(|x| err(Some(&at), format!("name `{raw}` is not base64: {x}")))?
        } else {
            raw.as_bytes().to_vec()
        };
        if name.len() > MAX_NAME {
            return Err(err(
                Some(&at),
                format!(
                    "a file name of {} bytes, over the {MAX_NAME} accepted",
                    name.len()
                ),
            ));
        }
        if name.is_empty() || name.contains(&b'/') || name == b"." || name == b".." {
            return Err(err(
                Some(&escape_bytes(&name)),
                "a file name that is empty, `.`, `..` or holds `/`: the archive would write outside its place".into(),
            ));
        }
        let parent = match e.parent {
            // Only a directory holds files.
            Some(p) if p < i && toc.entries[p].kind == "directory" => format!("{}/", paths[p]),
            Some(p) if p < i => {
                return Err(err(
                    Some(&paths[p]),
                    format!(
                        "a {} holds files, as only a directory may",
                        toc.entries[p].kind
                    ),
                ));
            }
            Some(_) => return Err(err(Some(&at), "a file inside a later one".into())),
            None => String::new(),
        };
        let mut joined = parent.into_bytes();
        joined.extend_from_slice(&name);
        if joined.len() > MAX_PATH {
            return Err(err(
                Some(&at),
                format!(
                    "a path of {} bytes, over the {MAX_PATH} accepted",
                    joined.len()
                ),
            ));
        }
        path_bytes += joined.len();
        if path_bytes > MAX_PATH_BYTES {
            return Err(err(
                None,
                format!("its paths take over {MAX_PATH_BYTES} bytes in all"),
            ));
        }
        let path =
            normalize_member_name(&joined).map_err(|m| err(Some(&escape_bytes(&joined)), m))?;
        paths.push(path);
    }

    let mut seen = HashSet::new();
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    let mut located: BTreeMap<usize, Located> = BTreeMap::new();
    let mut total = 0u64;
    for (i, e) in toc.entries.iter().enumerate() {
        let path = &paths[i];
        if !seen.insert(path.clone()) {
            return Err(err(
                Some(path),
                "duplicate file name: the archive holds this path more than once, so what it unpacks to is ambiguous".into(),
            ));
        }
        if !e.id.is_empty() {
            by_id.insert(e.id.as_str(), i);
        }
        let regular =
            e.kind == "file" || (e.kind == "hardlink" && e.link.as_deref() == Some("original"));
        if !regular {
            continue;
        }
        let Some(data) = &e.data else {
            // An empty file has no data.
            located.insert(
                i,
                Located {
                    start: heap_start,
                    length: 0,
                    size: 0,
                    encoding: Encoding::Stored,
                    archived: None,
                    extracted: None,
                },
            );
            continue;
        };
        let (Some(offset), Some(length), Some(size)) = (data.offset, data.length, data.size) else {
            return Err(err(
                Some(path),
                "its <data> lacks the offset, length or size".into(),
            ));
        };
        let end = offset
            .checked_add(length)
            .filter(|&end| end <= heap_len)
            .ok_or_else(|| {
                err(
                    Some(path),
                    format!(
                        "declared size lies: {length} bytes at heap offset {offset} run past the end of the {heap_len}-byte heap"
                    ),
                )
            })?;
        let encoding = match data.encoding.as_deref() {
            None | Some("application/octet-stream") => Encoding::Stored,
            Some("application/x-gzip") => Encoding::Zlib,
            Some("application/x-bzip2") => Encoding::Bzip2,
            Some("application/x-xz") => Encoding::Xz,
            Some("application/x-lzma") => Encoding::Lzma,
            Some(other) => {
                return Err(err(Some(path), format!("unsupported encoding `{other}`")));
            }
        };
        if encoding == Encoding::Stored && length != size {
            return Err(err(
                Some(path),
                format!(
                    "declared size lies: stored as it is, with {length} bytes stored and {size} unpacked"
                ),
            ));
        }
        if size > Limits::RATIO_GRACE
            && u128::from(size) > u128::from(length.max(1)) * u128::from(limits.max_ratio)
        {
            return Err(Error::member_io(
                archive,
                Some(path),
                &ratio_error(size, length, limits.max_ratio),
            ));
        }
        total = total.saturating_add(size);
        if total > limits.max_unpacked {
            return Err(Error::member_io(
                archive,
                Some(path),
                &total_error(limits.max_unpacked),
            ));
        }
        if length > 0 {
            ranges.push((offset, end, path.clone()));
        }
        located.insert(
            i,
            Located {
                start: heap_start + offset,
                length,
                size,
                encoding,
                archived: data.archived.clone(),
                extracted: data.extracted.clone(),
            },
        );
    }
    ranges.sort();
    for pair in ranges.windows(2) {
        if pair[1].0 < pair[0].1 {
            return Err(err(
                Some(&pair[1].2),
                format!(
                    "its data overlaps that of {} (a zip-bomb construction)",
                    if pair[0].2.starts_with("the table") {
                        pair[0].2.clone()
                    } else {
                        format!("`{}`", pair[0].2)
                    }
                ),
            ));
        }
    }

    // Hard links' targets: a Payload or Scripts another entry links to is listed as the file
    // it is, not read as the archive it holds (the link must name a file that was listed).
    let link_targets: HashSet<usize> = toc
        .entries
        .iter()
        .filter(|e| e.kind == "hardlink" && e.link.as_deref() != Some("original"))
        .filter_map(|e| e.link.as_deref().and_then(|id| by_id.get(id)).copied())
        .collect();

    // Directories and other entries, then regular files, then the links to them.
    let mut links = Vec::new();
    for (i, e) in toc.entries.iter().enumerate() {
        let path = &paths[i];
        if let Some(at) = located.get(&i) {
            let member_err = |e: io::Error| Error::member_io(archive, Some(path), &e);
            let last = path.rsplit('/').next().unwrap_or(path);
            if CPIO_MEMBERS.contains(&last) && at.size >= 6 && !link_targets.contains(&i) {
                let mut head = [0u8; 6];
                let (mut body, _) = open(src, at, None).map_err(member_err)?;
                body.read_exact(&mut head).map_err(member_err)?;
                drop(body);
                if let Some(packed) = cpio_inside(src, at, &head).map_err(member_err)? {
                    // What the payloads unpack to counts toward the input's bound too.
                    let left = Limits {
                        max_ratio: limits.max_ratio,
                        max_unpacked: limits.max_unpacked.saturating_sub(total),
                    };
                    let unpacked = read_packed_cpio(src, at, packed, archive, path, &left, sink)?;
                    total = total.saturating_add(unpacked);
                    continue;
                }
            }
            let (mut body, progress) = open(src, at, None).map_err(member_err)?;
            sink.file(path, &mut body).map_err(member_err)?;
            io::copy(&mut body, &mut io::sink()).map_err(member_err)?;
            finish_raw(src, at, &progress).map_err(member_err)?;
            continue;
        }
        match e.kind.as_str() {
            "directory" => sink.other(path, EntryKind::Directory),
            "symlink" => sink.other(path, EntryKind::Symlink),
            "fifo" | "socket" => sink.other(path, EntryKind::Fifo),
            "character special" | "block special" => sink.other(path, EntryKind::Device),
            "hardlink" => links.push(i),
            other => {
                return Err(err(Some(path), format!("unknown file type `{other}`")));
            }
        }
    }
    for i in links {
        let path = &paths[i];
        let target = toc.entries[i]
            .link
            .as_deref()
            .and_then(|id| by_id.get(id))
            .filter(|t| located.contains_key(t))
            .ok_or_else(|| {
                err(
                    Some(path),
                    "a hard link to no regular file of the archive".into(),
                )
            })?;
        sink.hard_link(path, &paths[*target]);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Listing;
    use std::io::Write;

    /// A xar archive of the table `toc` (no table checksum) and the heap `heap`.
    fn xar(toc: &str, heap: &[u8]) -> Vec<u8> {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(toc.as_bytes()).expect("compress");
        let packed = z.finish().expect("compress");
        let mut out = b"xar!\x00\x1c\x00\x01".to_vec();
        out.extend((packed.len() as u64).to_be_bytes());
        out.extend((toc.len() as u64).to_be_bytes());
        out.extend(0u32.to_be_bytes());
        out.extend(packed);
        out.extend(heap);
        out
    }

    fn data(offset: usize, bytes: &[u8]) -> String {
        use sha1::Digest;
        let sum = hex::encode(sha1::Sha1::digest(bytes));
        format!(
            "<data><offset>{offset}</offset><length>{n}</length><size>{n}</size>\
             <encoding style=\"application/octet-stream\"/>\
             <extracted-checksum style=\"SHA1\">{sum}</extracted-checksum></data>",
            n = bytes.len()
        )
    }

    #[test]
    fn directories_links_encoded_names_and_entities() {
        let toc = format!(
            "<?xml version=\"1.0\"?><xar><toc>\
             <file id=\"1\"><name>dir</name><type>directory</type>\
               <file id=\"2\"><name>a&amp;b.txt</name><type link=\"original\">hardlink</type>{}</file>\
               <file id=\"3\"><name enctype=\"base64\">Y2Fmw6k=</name><type>file</type>{}</file>\
               <file id=\"4\"><name>alias</name><type link=\"2\">hardlink</type></file>\
               <file id=\"5\"><name>sym</name><type>symlink</type><link type=\"file\">x</link></file>\
               <file id=\"6\"><name>empty</name><type>file</type></file>\
             </file></toc></xar>",
            data(0, b"hello"),
            data(5, b"world!")
        );
        let archive = xar(&toc, b"helloworld!");
        let mut l = Listing::default();
        read_xar(&archive.as_slice(), "t.pkg", &Limits::default(), &mut l).expect("reads");
        assert_eq!(l.files["dir/a&b.txt"], b"hello");
        assert_eq!(l.files["dir/café"], b"world!");
        assert_eq!(l.files["dir/empty"], b"");
        assert_eq!(
            l.links,
            [("dir/alias".to_owned(), "dir/a&b.txt".to_owned())]
        );
        assert_eq!(
            l.others,
            [
                ("dir".to_owned(), EntryKind::Directory),
                ("dir/sym".to_owned(), EntryKind::Symlink)
            ]
        );
    }

    #[test]
    fn hostile_tables_fail_with_the_place_named() {
        let one = |name: &str, d: &str| {
            format!(
                "<xar><toc><file id=\"1\"><name>{name}</name><type>file</type>{d}</file></toc></xar>"
            )
        };
        let cases = [
            (
                xar(&one("a", &data(0, b"hello")), b"hellO"),
                "t.pkg: member `a`: extracted SHA1 checksum mismatch: the data hashes to 568a752b7f6b5007e86d5b38be599931dfe87d50, the table of contents says aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d",
            ),
            (
                xar(&one("a", &data(3, b"hello")), b"hello"),
                "t.pkg: member `a`: declared size lies: 5 bytes at heap offset 3 run past the end of the 5-byte heap",
            ),
            (
                xar(
                    &format!(
                        "<xar><toc><file id=\"1\"><name>a</name><type>file</type>{}</file>\
                         <file id=\"2\"><name>b</name><type>file</type>{}</file></toc></xar>",
                        data(0, b"hello"),
                        data(2, b"llo")
                    ),
                    b"hello",
                ),
                "t.pkg: member `b`: its data overlaps that of `a` (a zip-bomb construction)",
            ),
            (
                xar(&one("..", &data(0, b"hello")), b"hello"),
                "t.pkg: member `..`: a file name that is empty, `.`, `..` or holds `/`: the archive would write outside its place",
            ),
            (
                xar(&one("a/b", &data(0, b"hello")), b"hello"),
                "t.pkg: member `a/b`: a file name that is empty, `.`, `..` or holds `/`: the archive would write outside its place",
            ),
            (
                xar("<xar><toc><file id=\"1\"><name>a</name></toc></xar>", b""),
                "t.pkg: table of contents at byte 37: ill-formed document: expected `</file>`, but `</toc>` was found",
            ),
            (
                b"xar!\x00\x10\x00\x01".to_vec(),
                "t.pkg: truncated: shorter than a xar header",
            ),
            (
                xar(
                    &format!(
                        "<xar><toc><file id=\"1\"><name>Payload</name><type>file</type>{}\
                         <file id=\"2\"><name>x</name><type>file</type></file></file></toc></xar>",
                        data(0, b"hello")
                    ),
                    b"hello",
                ),
                "t.pkg: member `Payload`: a file holds files, as only a directory may",
            ),
            (
                xar(&one(&"n".repeat(2000), ""), b""),
                "t.pkg: member `#1`: a file name of 2000 bytes, over the 1024 accepted",
            ),
            (
                xar(
                    "<xar><toc><checksum style=\"sha1\"><offset>0</offset><size>100</size></checksum></toc></xar>",
                    &[0u8; 100],
                ),
                "t.pkg: the table of contents' sha1 checksum is 100 bytes long",
            ),
        ];
        for (bytes, want) in cases {
            let e = read_xar(
                &bytes.as_slice(),
                "t.pkg",
                &Limits::default(),
                &mut Listing::default(),
            )
            .expect_err(want);
            assert_eq!(e.to_string(), want);
        }
        // A header whose size field is under its own 28 bytes, and a table declared larger than
        // the file.
        let mut small = xar(&one("a", ""), b"");
        small[5] = 8;
        let e = read_xar(
            &small.as_slice(),
            "t.pkg",
            &Limits::default(),
            &mut Listing::default(),
        )
        .expect_err("small header");
        assert!(e.to_string().contains("header size 8 is smaller"), "{e}");
        let mut long = xar(&one("a", ""), b"");
        long[8..16].copy_from_slice(&u64::MAX.to_be_bytes());
        let e = read_xar(
            &long.as_slice(),
            "t.pkg",
            &Limits::default(),
            &mut Listing::default(),
        )
        .expect_err("long table");
        assert!(e.to_string().contains("runs past the end"), "{e}");
    }
}
