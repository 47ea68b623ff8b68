//! A zip reader for hostile input (wheels, jars, Windows zips).
//!
//! Reads the central directory, then each member through its local header. Refuses members
//! whose data overlap (the classic zip-bomb construction), whose declared sizes or CRC-32 do not
//! match their data, that are encrypted, or whose names escape the root.

use super::limit::{ratio_error, total_error};
use super::{EntryKind, EntrySink, Limits, escape_bytes, normalize_member_name};
use crate::error::{Error, Result};
use std::collections::HashSet;
use std::io::{self, BufReader, Read};

/// Positioned reads over a whole archive (a file or bytes in memory).
pub trait RandomAccess {
    /// Total length in bytes.
    fn size(&self) -> io::Result<u64>;
    /// Fills `buf` from `offset`; an error if the source ends first.
    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> io::Result<()>;
}

impl RandomAccess for &[u8] {
    fn size(&self) -> io::Result<u64> {
        Ok(self.len() as u64)
    }
    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> io::Result<()> {
        let start = usize::try_from(offset).map_err(|_| eof())?;
        let end = start.checked_add(buf.len()).ok_or_else(eof)?;
        let src = (*self).get(start..end).ok_or_else(eof)?;
        buf.copy_from_slice(src);
        Ok(())
    }
}

impl RandomAccess for std::fs::File {
    fn size(&self) -> io::Result<u64> {
        Ok(self.metadata()?.len())
    }
    #[cfg(unix)]
    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> io::Result<()> {
        std::os::unix::fs::FileExt::read_exact_at(self, buf, offset)
    }
    #[cfg(windows)]
    fn read_exact_at(&self, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
        while !buf.is_empty() {
            let n = std::os::windows::fs::FileExt::seek_read(self, buf, offset)?;
            if n == 0 {
                return Err(eof());
            }
            buf = &mut buf[n..];
            offset += n as u64;
        }
        Ok(())
    }
}

fn eof() -> io::Error {
    io::Error::new(
        io::ErrorKind::UnexpectedEof,
        "read past the end of the archive",
    )
}

fn u16le(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}
fn u32le(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}
fn u64le(b: &[u8], at: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(a)
}

/// Upper half of IBM code page 437, the zip default name encoding.
const CP437_HIGH: &str = "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u{a0}";

fn decode_cp437(raw: &[u8]) -> String {
    raw.iter()
        .map(|&b| {
            if b < 0x80 {
                b as char
            } else {
                CP437_HIGH
                    .chars()
                    .nth(usize::from(b - 0x80))
                    .unwrap_or('\u{fffd}')
            }
        })
        .collect()
}

#[derive(Debug)]
struct CdEntry {
    raw_name: Vec<u8>,
    name: std::result::Result<String, String>,
    flags: u16,
    method: u16,
    crc: u32,
    csize: u64,
    usize: u64,
    offset: u64,
    is_dir: bool,
    is_symlink: bool,
}

struct Eocd {
    entries: u64,
    cd_size: u64,
    cd_offset: u64,
    position: u64,
}

fn find_eocd(src: &dyn RandomAccess, len: u64) -> io::Result<Option<Eocd>> {
    let tail_len = len.min(22 + 65535) as usize;
    let mut tail = vec![0u8; tail_len];
    src.read_exact_at(&mut tail, len - tail_len as u64)?;
    let base = len - tail_len as u64;
    let mut i = tail_len.checked_sub(22);
    while let Some(at) = i {
        if &tail[at..at + 4] == b"PK\x05\x06" {
            let comment = usize::from(u16le(&tail, at + 20));
            if at + 22 + comment <= tail_len {
                let disk = u16le(&tail, at + 4);
                let cd_disk = u16le(&tail, at + 6);
                if disk != 0 || cd_disk != 0 {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        "multi-disk zip archives are not supported",
                    ));
                }
                let mut e = Eocd {
                    entries: u64::from(u16le(&tail, at + 10)),
                    cd_size: u64::from(u32le(&tail, at + 12)),
                    cd_offset: u64::from(u32le(&tail, at + 16)),
                    position: base + at as u64,
                };
                if (e.entries == 0xffff || e.cd_size == 0xffff_ffff || e.cd_offset == 0xffff_ffff)
                    && e.position >= 20
                {
                    zip64_eocd(src, &mut e)?;
                }
                return Ok(Some(e));
            }
        }
        i = at.checked_sub(1);
    }
    Ok(None)
}

fn zip64_eocd(src: &dyn RandomAccess, e: &mut Eocd) -> io::Result<()> {
    let mut loc = [0u8; 20];
    src.read_exact_at(&mut loc, e.position - 20)?;
    if &loc[0..4] != b"PK\x06\x07" {
        return Ok(());
    }
    let at = u64le(&loc, 8);
    let mut rec = [0u8; 56];
    src.read_exact_at(&mut rec, at)?;
    if &rec[0..4] != b"PK\x06\x06" {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "zip64 end record is missing",
        ));
    }
    e.entries = u64le(&rec, 32);
    e.cd_size = u64le(&rec, 40);
    e.cd_offset = u64le(&rec, 48);
    e.position = at;
    Ok(())
}

fn parse_central_directory(cd: &[u8], expected: u64) -> std::result::Result<Vec<CdEntry>, String> {
    let mut out = Vec::new();
    let mut at = 0usize;
    while at + 46 <= cd.len() && &cd[at..at + 4] == b"PK\x01\x02" {
        let made_by_host = cd[at + 5];
        let flags = u16le(cd, at + 8);
        let method = u16le(cd, at + 10);
        let crc = u32le(cd, at + 16);
        let mut csize = u64::from(u32le(cd, at + 20));
        let mut usize_ = u64::from(u32le(cd, at + 24));
        let name_len = usize::from(u16le(cd, at + 28));
        let extra_len = usize::from(u16le(cd, at + 30));
        let comment_len = usize::from(u16le(cd, at + 32));
        let external = u32le(cd, at + 38);
        let mut offset = u64::from(u32le(cd, at + 42));
        let name_end = at + 46 + name_len;
        let extra_end = name_end + extra_len;
        let next = extra_end + comment_len;
        if next > cd.len() {
            return Err(format!(
                "central directory entry {} runs past its end",
                out.len() + 1
            ));
        }
        let raw_name = cd[at + 46..name_end].to_vec();
        let mut unicode_name: Option<Vec<u8>> = None;
        let mut extra = &cd[name_end..extra_end];
        while extra.len() >= 4 {
            let id = u16le(extra, 0);
            let len = usize::from(u16le(extra, 2));
            let data = extra.get(4..4 + len).unwrap_or(&[]);
            match id {
                0x0001 => {
                    let mut d = data;
                    let mut take = |slot: &mut u64| {
                        if *slot == 0xffff_ffff && d.len() >= 8 {
                            *slot = u64le(d, 0);
                            d = &d[8..];
                        }
                    };
                    take(&mut usize_);
                    take(&mut csize);
                    take(&mut offset);
                }
                0x7075 if data.len() > 5 && data[0] == 1 => {
                    unicode_name = Some(data[5..].to_vec());
                }
                _ => {}
            }
            extra = extra.get(4 + len..).unwrap_or(&[]);
        }
        let name = if flags & 0x0800 != 0 || raw_name.is_ascii() {
            normalize_member_name(&raw_name)
        } else if let Some(u) = &unicode_name {
            normalize_member_name(u)
        } else {
            normalize_member_name(decode_cp437(&raw_name).as_bytes())
        };
        let unix_mode = (external >> 16) & 0o170000;
        out.push(CdEntry {
            is_dir: raw_name.ends_with(b"/") || (made_by_host == 3 && unix_mode == 0o040000),
            is_symlink: made_by_host == 3 && unix_mode == 0o120000,
            raw_name,
            name,
            flags,
            method,
            crc,
            csize,
            usize: usize_,
            offset,
        });
        at = next;
    }
    if out.len() as u64 != expected {
        return Err(format!(
            "central directory holds {} entries but the end record declares {expected}",
            out.len()
        ));
    }
    Ok(out)
}

/// Reads `len` bytes at `offset` through positioned reads.
pub(super) struct Section<'a> {
    pub(super) src: &'a dyn RandomAccess,
    pub(super) pos: u64,
    pub(super) end: u64,
}

impl Read for Section<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = (self.end - self.pos).min(buf.len() as u64) as usize;
        if n == 0 {
            return Ok(0);
        }
        self.src.read_exact_at(&mut buf[..n], self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

/// Checks a member's unpacked bytes against its declared size and CRC-32 while they are read.
struct Checked<R> {
    inner: R,
    expected_size: u64,
    expected_crc: u32,
    crc: crc32fast::Hasher,
    out: u64,
}

impl<R: Read> Read for Checked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.out += n as u64;
        if self.out > self.expected_size {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "declared size lies: the member unpacks to more than its declared {} bytes",
                    self.expected_size
                ),
            ));
        }
        self.crc.update(&buf[..n]);
        if n == 0 {
            if self.out != self.expected_size {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "declared size lies: the member unpacks to {} bytes, not its declared {}",
                        self.out, self.expected_size
                    ),
                ));
            }
            let crc = self.crc.clone().finalize();
            if crc != self.expected_crc {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "CRC-32 mismatch: data {crc:08x}, declared {:08x}",
                        self.expected_crc
                    ),
                ));
            }
        }
        Ok(n)
    }
}

/// Streams the zip archive `src` (named `archive` in messages) into `sink`.
pub fn read_zip(
    src: &dyn RandomAccess,
    archive: &str,
    limits: &Limits,
    sink: &mut dyn EntrySink,
) -> Result<()> {
    let err = |member: Option<&str>, msg: String| Error::archive(archive, member, msg);
    let io_err = |e: io::Error| err(None, e.to_string());
    let len = src.size().map_err(io_err)?;
    let eocd = find_eocd(src, len).map_err(io_err)?.ok_or_else(|| {
        err(
            None,
            "not a zip archive: no end of central directory record (truncated?)".into(),
        )
    })?;
    // Data prepended to the archive (self-extractors) shifts every offset by the same amount.
    let cd_start = eocd
        .position
        .checked_sub(eocd.cd_size)
        .ok_or_else(|| err(None, "central directory is larger than the archive".into()))?;
    let shift = cd_start.checked_sub(eocd.cd_offset).ok_or_else(|| {
        err(
            None,
            "central directory offset points past its end record".into(),
        )
    })?;
    if eocd.cd_size > 256 << 20 {
        return Err(err(
            None,
            format!(
                "central directory of {} bytes is implausibly large",
                eocd.cd_size
            ),
        ));
    }
    let mut cd = vec![0u8; eocd.cd_size as usize];
    src.read_exact_at(&mut cd, cd_start).map_err(io_err)?;
    let mut entries = parse_central_directory(&cd, eocd.entries).map_err(|m| err(None, m))?;

    // Members are read in the order of their data; each must start after the previous ends.
    entries.sort_by_key(|e| e.offset);
    let mut names = HashSet::new();
    let mut previous_end = 0u64;
    let mut previous_name = String::new();
    let mut total = 0u64;
    for e in &entries {
        let shown = escape_bytes(&e.raw_name);
        let name = e.name.clone().map_err(|m| err(Some(&shown), m))?;
        let member = if name.is_empty() {
            shown.clone()
        } else {
            name.clone()
        };
        let local_at = e
            .offset
            .checked_add(shift)
            .ok_or_else(|| err(Some(&member), "offset overflows".into()))?;
        if local_at < previous_end {
            return Err(err(
                Some(&member),
                format!(
                    "entries overlap: its data overlaps that of `{previous_name}` (a zip-bomb construction)"
                ),
            ));
        }
        let mut local = [0u8; 30];
        src.read_exact_at(&mut local, local_at)
            .map_err(|e| err(Some(&member), format!("local header: {e}")))?;
        if &local[0..4] != b"PK\x03\x04" {
            return Err(err(
                Some(&member),
                "local header signature missing: the archive is corrupt".into(),
            ));
        }
        let name_len = u64::from(u16le(&local, 26));
        let extra_len = u64::from(u16le(&local, 28));
        let mut local_name = vec![0u8; name_len as usize];
        src.read_exact_at(&mut local_name, local_at + 30)
            .map_err(|e| err(Some(&member), format!("local header: {e}")))?;
        if local_name != e.raw_name {
            return Err(err(
                Some(&member),
                format!(
                    "local header names `{}`, the central directory `{shown}`",
                    escape_bytes(&local_name)
                ),
            ));
        }
        let data_at = local_at + 30 + name_len + extra_len;
        let data_end = data_at
            .checked_add(e.csize)
            .ok_or_else(|| err(Some(&member), "size overflows".into()))?;
        if data_end > cd_start {
            return Err(err(
                Some(&member),
                "declared size lies: the member's data runs into the central directory".into(),
            ));
        }
        previous_end = data_end;
        previous_name.clone_from(&member);

        if name.is_empty() {
            if e.is_dir {
                continue;
            }
            return Err(err(Some(&shown), "member has an empty name".into()));
        }
        if !names.insert(name.clone()) {
            return Err(err(
                Some(&name),
                "duplicate member name: the archive holds this path more than once".into(),
            ));
        }
        if e.is_dir {
            sink.other(&name, EntryKind::Directory);
            continue;
        }
        if e.is_symlink {
            sink.other(&name, EntryKind::Symlink);
            continue;
        }
        if e.flags & 1 != 0 {
            return Err(err(
                Some(&name),
                "encrypted members are not supported".into(),
            ));
        }
        if e.usize > Limits::RATIO_GRACE
            && u128::from(e.usize) > u128::from(e.csize.max(1)) * u128::from(limits.max_ratio)
        {
            return Err(Error::member_io(
                archive,
                Some(&name),
                &ratio_error(e.usize, e.csize, limits.max_ratio),
            ));
        }
        total = total.saturating_add(e.usize);
        if total > limits.max_unpacked {
            return Err(Error::member_io(
                archive,
                Some(&name),
                &total_error(limits.max_unpacked),
            ));
        }
        let raw = BufReader::with_capacity(
            64 * 1024,
            Section {
                src,
                pos: data_at,
                end: data_end,
            },
        );
        let decoder: Box<dyn Read + '_> = match e.method {
            0 => {
                if e.csize != e.usize {
                    return Err(err(
                        Some(&name),
                        format!(
                            "declared size lies: stored member with {} packed and {} unpacked bytes",
                            e.csize, e.usize
                        ),
                    ));
                }
                Box::new(raw)
            }
            8 => Box::new(flate2::read::DeflateDecoder::new(raw)),
            12 => Box::new(bzip2::read::BzDecoder::new(raw)),
            93 => Box::new(
                zstd::stream::read::Decoder::with_buffer(raw)
                    .map_err(|e| err(Some(&name), format!("zstd: {e}")))?,
            ),
            m => {
                return Err(err(
                    Some(&name),
                    format!("unsupported compression method {m}"),
                ));
            }
        };
        let mut checked = Checked {
            inner: decoder,
            expected_size: e.usize,
            expected_crc: e.crc,
            crc: crc32fast::Hasher::new(),
            out: 0,
        };
        sink.file(&name, &mut checked)
            .map_err(|e| Error::member_io(archive, Some(&name), &e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cp437_table_is_complete() {
        assert_eq!(CP437_HIGH.chars().count(), 128);
        assert_eq!(decode_cp437(&[b'a', 0x81, 0xe1]), "aüß");
    }
}
