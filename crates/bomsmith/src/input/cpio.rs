//! cpio archives, streamed: the portable ASCII format (`070707`, "odc", what Apple's installer
//! payloads and `cpio -H odc` write) and the new ASCII formats (`070701` "newc", `070702` with
//! checksums, what RPM payloads and Linux initramfs images use).
//!
//! Read here rather than with the `cpio-archive` crate, for hostile input: that crate hands a
//! member whose declared size runs past the end of the stream over as a short, silently
//! truncated file, decodes names lossily, and needs a `'static` reader, where a member of a
//! nested stream borrows its outer reader. The format is a fixed ASCII header, a name and the
//! data; every size is checked against what the stream holds.

use super::{EntryKind, EntrySink, escape_bytes, fill_head as fill, normalize_member_name, skip};
use crate::diag::{Diagnostic, Location};
use crate::error::{Error, Result};
use std::collections::HashMap;
use std::io::{self, Read};

/// The magic of the portable ASCII (odc) format.
pub const ODC_MAGIC: &[u8; 6] = b"070707";
/// The magic of the new ASCII (newc) format.
pub const NEWC_MAGIC: &[u8; 6] = b"070701";
/// The magic of the new ASCII format with checksums (crc).
pub const CRC_MAGIC: &[u8; 6] = b"070702";

/// The name of the entry that ends an archive.
const TRAILER: &[u8] = b"TRAILER!!!";

/// Longest member name accepted (odc allows 6 octal digits, 256 KiB; no real path is near).
const MAX_NAME: u64 = 64 * 1024;

/// True when `head` starts a cpio archive of a format read here.
pub fn looks_like_cpio(head: &[u8]) -> bool {
    [ODC_MAGIC, NEWC_MAGIC, CRC_MAGIC]
        .iter()
        .any(|m| head.starts_with(&m[..]))
}

/// The format of one header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Odc,
    Newc { crc: bool },
}

/// One header, decoded.
#[derive(Debug)]
struct Header {
    dev: u64,
    ino: u64,
    mode: u64,
    nlink: u64,
    size: u64,
    name_size: u64,
    check: u64,
}

/// File type bits of `mode` (`S_IFMT`) and their values.
const S_IFMT: u64 = 0o170000;
const S_IFREG: u64 = 0o100000;
const S_IFDIR: u64 = 0o040000;
const S_IFLNK: u64 = 0o120000;
const S_IFIFO: u64 = 0o010000;
const S_IFSOCK: u64 = 0o140000;
const S_IFCHR: u64 = 0o020000;
const S_IFBLK: u64 = 0o060000;

/// Parses the digits of one header field in `radix`; an error names the field.
fn field(raw: &[u8], radix: u32, what: &str) -> std::result::Result<u64, String> {
    let text = std::str::from_utf8(raw)
        .ok()
        .filter(|t| !t.is_empty() && t.bytes().all(|b| (b as char).is_digit(radix)));
    text.and_then(|t| u64::from_str_radix(t, radix).ok())
        .ok_or_else(|| {
            format!(
                "header field {what} is not a number: `{}`",
                escape_bytes(raw)
            )
        })
}

/// Bytes that pad `n` to a multiple of 4 (the new formats' alignment).
fn pad4(n: u64) -> u64 {
    (4 - n % 4) % 4
}

fn read_header(r: &mut dyn Read, format: Format) -> std::result::Result<Header, String> {
    match format {
        Format::Odc => {
            // dev ino mode uid gid nlink rdev (6 octal digits each), mtime (11), namesize (6),
            // filesize (11): 70 bytes after the magic.
            let mut h = [0u8; 70];
            read_all(r, &mut h)?;
            Ok(Header {
                dev: field(&h[0..6], 8, "dev")?,
                ino: field(&h[6..12], 8, "ino")?,
                mode: field(&h[12..18], 8, "mode")?,
                nlink: field(&h[30..36], 8, "nlink")?,
                name_size: field(&h[53..59], 8, "namesize")?,
                size: field(&h[59..70], 8, "filesize")?,
                check: 0,
            })
        }
        Format::Newc { .. } => {
            // 13 fields of 8 hexadecimal digits: ino mode uid gid nlink mtime filesize
            // devmajor devminor rdevmajor rdevminor namesize check.
            let mut h = [0u8; 104];
            read_all(r, &mut h)?;
            let f = |i: usize, what: &str| field(&h[i * 8..i * 8 + 8], 16, what);
            Ok(Header {
                ino: f(0, "ino")?,
                mode: f(1, "mode")?,
                nlink: f(4, "nlink")?,
                size: f(6, "filesize")?,
                dev: (f(7, "devmajor")? << 32) | f(8, "devminor")?,
                name_size: f(11, "namesize")?,
                check: f(12, "check")?,
            })
        }
    }
}

fn read_all(r: &mut dyn Read, buf: &mut [u8]) -> std::result::Result<(), String> {
    match fill(r, buf) {
        Ok(n) if n == buf.len() => Ok(()),
        Ok(_) => Err("truncated: the input ends inside a cpio header".into()),
        Err(e) => Err(e.to_string()),
    }
}

/// A member's data, counted, and summed for the `070702` format's checksum.
struct Body<R> {
    inner: io::Take<R>,
    sum: u32,
}

impl<R: Read> Read for Body<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        for &b in &buf[..n] {
            self.sum = self.sum.wrapping_add(u32::from(b));
        }
        Ok(n)
    }
}

/// Reads what follows the trailer: only the zero bytes that pad an archive to its block size
/// may. Another archive there (initramfs images concatenate them) is refused rather than left
/// out unseen.
fn after_trailer(r: &mut dyn Read, archive: &str) -> Result<()> {
    let mut buf = [0u8; 8192];
    let mut offset = 0u64;
    loop {
        let n = r
            .read(&mut buf)
            .map_err(|e| Error::member_io(archive, None, &e))?;
        if n == 0 {
            return Ok(());
        }
        if let Some(i) = buf[..n].iter().position(|&b| b != 0) {
            let what = if looks_like_cpio(&buf[i..n]) {
                "another cpio archive follows its trailer (concatenated archives are not read)"
            } else {
                "data follows its trailer"
            };
            return Err(Error::archive(
                archive,
                None,
                format!("{what}, {} bytes after it", offset + i as u64),
            ));
        }
        offset += n as u64;
    }
}

/// Streams the cpio archive `r` (named `archive` in messages) into `sink`. Entries of any of
/// the three ASCII formats may follow each other; the archive ends at its trailer entry, after
/// which only zero padding may follow, or, without one (a warning), at the end of the stream.
pub fn read_cpio(r: &mut dyn Read, archive: &str, sink: &mut dyn EntrySink) -> Result<()> {
    let err = |member: Option<&str>, msg: String| Error::archive(archive, member, msg);
    // Regular files by (dev, ino), for hard links: the odc format repeats the data of every
    // link, the new formats give it once, with the last link of the set.
    let mut inodes: HashMap<(u64, u64), String> = HashMap::new();
    let mut waiting: HashMap<(u64, u64), Vec<String>> = HashMap::new();
    let mut seen: HashMap<String, bool> = HashMap::new();
    let mut position = 0u64;
    loop {
        position += 1;
        let at = format!("#{position}");
        let mut magic = [0u8; 6];
        let got = fill(r, &mut magic).map_err(|e| Error::member_io(archive, Some(&at), &e))?;
        if got == 0 && position > 1 {
            sink.warn(Diagnostic::new(
                &super::CPIO_TRAILER_MISSING,
                Location::file(archive),
                "the cpio archive ends without its trailer entry",
            ));
            break;
        }
        let format = match &magic[..got] {
            m if m == ODC_MAGIC => Format::Odc,
            m if m == NEWC_MAGIC => Format::Newc { crc: false },
            m if m == CRC_MAGIC => Format::Newc { crc: true },
            _ if position == 1 => {
                return Err(Error::Unsupported {
                    path: archive.to_owned(),
                    message: "not a cpio archive (no 070707, 070701 or 070702 magic)".into(),
                });
            }
            m => {
                return Err(err(
                    Some(&at),
                    format!(
                        "no cpio header where one must start (found `{}`): the archive is corrupt or a size lies",
                        escape_bytes(m)
                    ),
                ));
            }
        };
        let header = read_header(r, format).map_err(|m| err(Some(&at), m))?;
        if header.name_size == 0 || header.name_size > MAX_NAME {
            return Err(err(
                Some(&at),
                format!("name size {} is out of bounds", header.name_size),
            ));
        }
        let mut raw = vec![0u8; header.name_size as usize];
        read_all(r, &mut raw).map_err(|m| err(Some(&at), m))?;
        if raw.pop() != Some(0) {
            return Err(err(
                Some(&at),
                "the member's name does not end with NUL as its size says".into(),
            ));
        }
        if let Format::Newc { .. } = format {
            let padding = pad4(110 + header.name_size);
            skip(r, padding).map_err(|e| Error::member_io(archive, Some(&at), &e))?;
        }
        let data_padding = match format {
            Format::Odc => 0,
            Format::Newc { .. } => pad4(header.size),
        };
        if raw == TRAILER {
            skip(r, header.size + data_padding)
                .map_err(|e| Error::member_io(archive, Some("TRAILER!!!"), &e))?;
            after_trailer(r, archive)?;
            break;
        }
        let shown = escape_bytes(&raw);
        let path = normalize_member_name(&raw).map_err(|m| err(Some(&shown), m))?;
        let file_type = header.mode & S_IFMT;
        if path.is_empty() {
            // The archive's root (`.`) is the directory it unpacks into.
            if file_type != S_IFDIR {
                return Err(err(Some(&shown), "member has an empty name".into()));
            }
            skip(r, header.size + data_padding)
                .map_err(|e| Error::member_io(archive, Some(&shown), &e))?;
            continue;
        }
        match seen.get(&path) {
            // A directory listed again (as `find` lists a tree given twice) is the same one.
            Some(true) if file_type == S_IFDIR => {
                skip(r, header.size + data_padding)
                    .map_err(|e| Error::member_io(archive, Some(&path), &e))?;
                continue;
            }
            Some(_) => {
                return Err(err(
                    Some(&path),
                    "duplicate member name: the archive holds this path more than once, so what it unpacks to is ambiguous".into(),
                ));
            }
            None => {}
        }
        seen.insert(path.clone(), file_type == S_IFDIR);
        let inode = (header.dev, header.ino);
        match file_type {
            S_IFREG => {
                let linked = header.nlink > 1;
                if linked && header.size == 0 && format != Format::Odc {
                    // A new-format hard link: to the file of its set already read, or else
                    // waiting for the data a later link of its set brings (if none does, all
                    // of them are empty files).
                    match inodes.get(&inode) {
                        Some(target) => sink.hard_link(&path, target),
                        None => waiting.entry(inode).or_default().push(path),
                    }
                    continue;
                }
                if linked
                    && format == Format::Odc
                    && let Some(target) = inodes.get(&inode)
                {
                    // The data is repeated; the link is reported once, as a link.
                    skip(r, header.size).map_err(|e| Error::member_io(archive, Some(&path), &e))?;
                    sink.hard_link(&path, target);
                    continue;
                }
                let mut body = Body {
                    inner: (&mut *r).take(header.size),
                    sum: 0,
                };
                sink.file(&path, &mut body)
                    .map_err(|e| Error::member_io(archive, Some(&path), &e))?;
                io::copy(&mut body, &mut io::sink())
                    .map_err(|e| Error::member_io(archive, Some(&path), &e))?;
                let left = body.inner.limit();
                if left > 0 {
                    return Err(err(
                        Some(&path),
                        format!(
                            "truncated: the input ends after {} of the member's {} bytes",
                            header.size - left,
                            header.size
                        ),
                    ));
                }
                if format == (Format::Newc { crc: true }) && u64::from(body.sum) != header.check {
                    return Err(err(
                        Some(&path),
                        format!(
                            "checksum mismatch: the header says {:08x}, the data sums to {:08x}",
                            header.check, body.sum
                        ),
                    ));
                }
                skip(r, data_padding).map_err(|e| Error::member_io(archive, Some(&path), &e))?;
                if linked {
                    for earlier in waiting.remove(&inode).unwrap_or_default() {
                        sink.hard_link(&earlier, &path);
                    }
                    inodes.insert(inode, path);
                }
            }
            other => {
                let kind = match other {
                    S_IFDIR => EntryKind::Directory,
                    S_IFLNK => EntryKind::Symlink,
                    S_IFIFO | S_IFSOCK => EntryKind::Fifo,
                    S_IFCHR | S_IFBLK => EntryKind::Device,
                    _ => {
                        return Err(err(
                            Some(&path),
                            format!("unknown file type in mode {:o}", header.mode),
                        ));
                    }
                };
                skip(r, header.size + data_padding)
                    .map_err(|e| Error::member_io(archive, Some(&path), &e))?;
                sink.other(&path, kind);
            }
        }
    }
    // New-format links whose set never brought data: empty files.
    let mut rest: Vec<Vec<String>> = waiting.into_values().collect();
    rest.sort();
    for names in rest {
        let mut names = names.into_iter();
        if let Some(first) = names.next() {
            sink.file(&first, &mut io::empty())
                .map_err(|e| Error::member_io(archive, Some(&first), &e))?;
            for other in names {
                sink.hard_link(&other, &first);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Listing;

    fn odc(name: &str, mode: u64, ino: u64, nlink: u64, data: &[u8]) -> Vec<u8> {
        let mut v = format!(
            "070707{:06o}{:06o}{:06o}{:06o}{:06o}{:06o}{:06o}{:011o}{:06o}{:011o}",
            1,
            ino,
            mode,
            0,
            0,
            nlink,
            0,
            0,
            name.len() + 1,
            data.len()
        )
        .into_bytes();
        v.extend_from_slice(name.as_bytes());
        v.push(0);
        v.extend_from_slice(data);
        v
    }

    fn newc(name: &str, mode: u64, ino: u64, nlink: u64, data: &[u8], crc: bool) -> Vec<u8> {
        let sum: u32 = data
            .iter()
            .map(|&b| u32::from(b))
            .fold(0, u32::wrapping_add);
        let mut v = format!(
            "{}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}",
            if crc { "070702" } else { "070701" },
            ino,
            mode,
            0,
            0,
            nlink,
            0,
            data.len(),
            0,
            1,
            0,
            0,
            name.len() + 1,
            if crc { sum } else { 0 }
        )
        .into_bytes();
        v.extend_from_slice(name.as_bytes());
        v.push(0);
        while v.len() % 4 != 0 {
            v.push(0);
        }
        v.extend_from_slice(data);
        while v.len() % 4 != 0 {
            v.push(0);
        }
        v
    }

    #[test]
    fn odc_members_links_and_trailer() {
        let mut a = odc(".", 0o40755, 1, 2, b"");
        a.extend(odc("./bin", 0o40755, 2, 2, b""));
        a.extend(odc("./bin/tool", 0o100755, 3, 2, b"#!x\n"));
        a.extend(odc("./bin/alias", 0o100755, 3, 2, b"#!x\n"));
        a.extend(odc("./lib", 0o120777, 4, 1, b"bin"));
        a.extend(odc("TRAILER!!!", 0, 0, 1, b""));
        a.extend([0u8; 100]);
        let mut l = Listing::default();
        read_cpio(&mut a.as_slice(), "p.cpio", &mut l).expect("reads");
        assert_eq!(l.files.len(), 1);
        assert_eq!(l.files["bin/tool"], b"#!x\n");
        assert_eq!(l.links, [("bin/alias".to_owned(), "bin/tool".to_owned())]);
        assert_eq!(
            l.others,
            [
                ("bin".to_owned(), EntryKind::Directory),
                ("lib".to_owned(), EntryKind::Symlink)
            ]
        );
    }

    /// Found in review: a new-format link without data after its set's file became an empty file.
    #[test]
    fn a_newc_link_after_its_data_is_a_link() {
        let mut a = newc("a", 0o100644, 7, 2, b"data", false);
        a.extend(newc("b", 0o100644, 7, 2, b"", false));
        let mut l = Listing::default();
        read_cpio(&mut a.as_slice(), "n.cpio", &mut l).expect("reads");
        assert_eq!(l.files.len(), 1);
        assert_eq!(l.links, [("b".to_owned(), "a".to_owned())]);
    }

    /// Found by the `cpio` fuzz target: a directory listed twice was handed to the sink twice.
    #[test]
    fn a_directory_listed_twice_is_one() {
        let mut a = odc("d", 0o40755, 1, 2, b"");
        a.extend(odc("d", 0o40755, 1, 2, b""));
        a.extend(odc("d/f", 0o100644, 2, 1, b"x"));
        let mut l = Listing::default();
        read_cpio(&mut a.as_slice(), "t.cpio", &mut l).expect("reads");
        assert_eq!(l.others, [("d".to_owned(), EntryKind::Directory)]);
        assert_eq!(l.files["d/f"], b"x");
    }

    #[test]
    fn newc_links_take_the_data_of_the_last() {
        let mut a = newc("a", 0o100644, 7, 2, b"", false);
        a.extend(newc("b", 0o100644, 7, 2, b"hello", true));
        a.extend(newc("c", 0o100644, 8, 1, b"xyz", true));
        a.extend(newc("TRAILER!!!", 0, 0, 1, b"", false));
        let mut l = Listing::default();
        read_cpio(&mut a.as_slice(), "n.cpio", &mut l).expect("reads");
        assert_eq!(l.files["b"], b"hello");
        assert_eq!(l.files["c"], b"xyz");
        assert_eq!(l.links, [("a".to_owned(), "b".to_owned())]);
    }

    #[test]
    fn hostile_archives_fail_with_the_member_named() {
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (
                {
                    let mut a = odc("x", 0o100644, 1, 1, b"abc");
                    // The size field says 9 bytes; 3 follow.
                    a[65..76].copy_from_slice(b"00000000011");
                    a
                },
                "t.cpio: member `x`: truncated: the input ends after 3 of the member's 9 bytes",
            ),
            (
                odc("../../etc/passwd", 0o100644, 1, 1, b"root"),
                "t.cpio: member `../../etc/passwd`: member name contains `..`: the archive would write outside its root",
            ),
            (
                odc("/etc/passwd", 0o100644, 1, 1, b"root"),
                "t.cpio: member `/etc/passwd`: absolute member name: the archive would write outside its root",
            ),
            (
                {
                    let mut a = odc("x", 0o100644, 1, 1, b"abc");
                    a[6] = b'9';
                    a
                },
                "t.cpio: member `#1`: header field dev is not a number: `900001`",
            ),
            (
                {
                    let mut a = odc("x", 0o100644, 1, 1, b"abc");
                    a.extend(odc("x", 0o100644, 2, 1, b"abc"));
                    a
                },
                "t.cpio: member `x`: duplicate member name: the archive holds this path more than once, so what it unpacks to is ambiguous",
            ),
            (
                {
                    let mut a = odc("x", 0o100644, 1, 1, b"abc");
                    // A size one byte short of the data: the next header is off by one.
                    a[65..76].copy_from_slice(b"00000000002");
                    a.extend(odc("y", 0o100644, 2, 1, b""));
                    a
                },
                "t.cpio: member `#2`: no cpio header where one must start (found `c07070`): the archive is corrupt or a size lies",
            ),
            (
                {
                    let mut a = newc("x", 0o100644, 1, 1, b"abc", true);
                    a[110 + 4] = b'z';
                    a
                },
                "t.cpio: member `x`: checksum mismatch: the header says 00000126, the data sums to 0000013d",
            ),
            (
                b"07070".to_vec(),
                "t.cpio: not a cpio archive (no 070707, 070701 or 070702 magic)",
            ),
        ];
        for (bytes, want) in cases {
            let e = read_cpio(&mut bytes.as_slice(), "t.cpio", &mut Listing::default())
                .expect_err(want);
            assert_eq!(e.to_string(), want);
        }
    }
}
