//! Archives inside archives (a wheel inside a source tarball, the SQLite amalgamation tarball
//! inside an npm package): recognised by their magic bytes like any input, with the same bounds.
//! A tar is streamed through the reader of the member that holds it; a zip needs random access
//! and is read from memory.

use super::{
    Compression, EntryKind, EntrySink, InputKind, Limits, archive_kind, limit, read_compressed_tar,
};
use crate::diag::Diagnostic;
use crate::error::{Error, Result};
use std::io::{self, Read};

/// Reads the archive held in `bytes` (named `name` in messages, e.g. `outer.tar!inner.whl`),
/// handing every entry to `sink`. Returns what kind of archive it was.
pub fn read_nested(
    bytes: &[u8],
    name: &str,
    limits: &Limits,
    sink: &mut dyn EntrySink,
) -> Result<InputKind> {
    let head = &bytes[..bytes.len().min(512)];
    let kind = archive_kind(head).ok_or_else(|| Error::Unsupported {
        path: name.to_owned(),
        message: "not a tar or cpio (plain, gzip, xz, bzip2, zstd, pbzx), zip or xar archive"
            .into(),
    })?;
    match kind {
        InputKind::Zip => super::read_zip(&bytes, name, limits, sink)?,
        InputKind::Xar => super::read_xar(&bytes, name, limits, sink)?,
        InputKind::Tar(compression) | InputKind::Cpio(compression) => {
            let tap = limit::Tap::default();
            read_compressed_tar(
                Box::new(tap.reader(bytes)),
                compression,
                &tap,
                name,
                limits,
                sink,
            )?;
        }
        InputKind::Directory | InputKind::Binary => {
            unreachable!("archive_kind names archives only")
        }
    }
    Ok(kind)
}

/// Streams the tar archive compressed with `compression` whose bytes `raw` yields (the reader of
/// the member that holds it; named `name` in messages, e.g. `outer.tar!inner.tar.gz`) into
/// `sink`, with the bounds of `limits`: the ratio is that of this archive's unpacked bytes to its
/// own packed ones. `raw` is read up to the end of the compressed stream, not necessarily to its
/// own end.
pub fn read_tar_stream(
    raw: &mut dyn Read,
    compression: Compression,
    name: &str,
    limits: &Limits,
    sink: &mut dyn EntrySink,
) -> Result<()> {
    let tap = limit::Tap::default();
    read_compressed_tar(
        Box::new(tap.reader(raw)),
        compression,
        &tap,
        name,
        limits,
        sink,
    )
}

/// The bytes of member `want` of the archive held in `bytes` (named `name` in messages), or
/// `None` when it has no such member. Every other member is read too, so a corrupt archive is
/// an error whichever member is asked for. A member larger than `max` bytes is an error.
pub fn member(
    bytes: &[u8],
    name: &str,
    want: &str,
    limits: &Limits,
    max: usize,
) -> Result<Option<Vec<u8>>> {
    let mut grab = Grab {
        want,
        max,
        found: None,
        too_large: false,
    };
    read_nested(bytes, name, limits, &mut grab)?;
    if grab.too_large {
        return Err(Error::archive(
            name,
            Some(want),
            format!("larger than the {max} bytes bomsmith reads into memory"),
        ));
    }
    Ok(grab.found)
}

/// Keeps the bytes of one member, reading (and so checking) all the others.
struct Grab<'a> {
    want: &'a str,
    max: usize,
    found: Option<Vec<u8>>,
    too_large: bool,
}

impl EntrySink for Grab<'_> {
    fn file(&mut self, path: &str, body: &mut dyn Read) -> io::Result<()> {
        if path == self.want {
            let mut buf = Vec::new();
            body.take((self.max as u64).saturating_add(1))
                .read_to_end(&mut buf)?;
            self.too_large = buf.len() > self.max;
            io::copy(body, &mut io::sink())?;
            self.found = Some(buf);
        } else {
            io::copy(body, &mut io::sink())?;
        }
        Ok(())
    }
    fn hard_link(&mut self, _: &str, _: &str) {}
    fn other(&mut self, _: &str, _: EntryKind) {}
    fn warn(&mut self, _: Diagnostic) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A zip holding `a`, stored: `hi`.
    const ZIP: [u8; 102] = [
        0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x21, 0x00, 0xac,
        0x2a, 0x93, 0xd8, 0x02, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
        0x61, 0x68, 0x69, 0x50, 0x4b, 0x01, 0x02, 0x14, 0x03, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x21, 0x00, 0xac, 0x2a, 0x93, 0xd8, 0x02, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00,
        0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x01,
        0x00, 0x00, 0x00, 0x00, 0x61, 0x50, 0x4b, 0x05, 0x06, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,
        0x01, 0x00, 0x2f, 0x00, 0x00, 0x00, 0x21, 0x00, 0x00, 0x00, 0x00, 0x00,
    ];

    /// Found reading `Grab` while writing the `zip` fuzz target: `max + 1` overflowed for
    /// `max == usize::MAX` (no bound), a panic with overflow checks and, without them, a bound
    /// of 0 that returned every member empty.
    #[test]
    fn member_without_a_bound() {
        let limits = Limits::default();
        for max in [2, usize::MAX] {
            let got = member(&ZIP, "t.zip", "a", &limits, max).expect("reads");
            assert_eq!(got.as_deref(), Some(&b"hi"[..]), "max {max}");
        }
        let e = member(&ZIP, "t.zip", "a", &limits, 1).expect_err("too large");
        assert_eq!(
            e.to_string(),
            "t.zip: member `a`: larger than the 1 bytes bomsmith reads into memory"
        );
        assert_eq!(member(&ZIP, "t.zip", "b", &limits, 1).expect("reads"), None);
    }
}
