//! Bounds on decompression, and the tap that digests the raw artifact while it is decoded.

use crate::error::LimitExceeded;
use sha2::{Digest, Sha256};
use std::cell::RefCell;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;
use std::rc::Rc;

/// Bounds that protect against decompression bombs. Both are configurable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted ratio of unpacked to packed bytes (checked past [`Limits::RATIO_GRACE`]).
    pub max_ratio: u64,
    /// Largest accepted number of unpacked bytes in one input.
    pub max_unpacked: u64,
}

impl Limits {
    /// Unpacked bytes below which no ratio is enforced (tiny inputs compress absurdly well).
    pub const RATIO_GRACE: u64 = 1 << 20;
}

/// Log2 of the largest zstd window or xz dictionary accepted (128 MiB; `xz -9` uses 64 MiB).
/// A stream may declare up to 4 GiB, which the decoder allocates before unpacking a byte.
pub(crate) const MAX_WINDOW_LOG: u32 = 27;

/// Memory an xz decoder may use: the largest dictionary, and room for the decoder's own state.
pub(crate) const XZ_MEMLIMIT: u64 = (1 << MAX_WINDOW_LOG) + (1 << 20);

/// An xz decoder bounded by [`XZ_MEMLIMIT`], which says so when a stream needs more.
pub(crate) struct XzBounded<R: Read>(liblzma::read::XzDecoder<R>);

impl<R: Read> XzBounded<R> {
    /// Decodes the concatenated xz streams in `inner`.
    pub(crate) fn new(inner: R) -> io::Result<Self> {
        let stream = liblzma::stream::Stream::new_stream_decoder(
            XZ_MEMLIMIT,
            liblzma::stream::CONCATENATED,
        )?;
        Ok(XzBounded(liblzma::read::XzDecoder::new_stream(
            inner, stream,
        )))
    }

    /// Decodes the legacy `.lzma` (LZMA-alone) stream in `inner`.
    pub(crate) fn lzma(inner: R) -> io::Result<Self> {
        let stream = liblzma::stream::Stream::new_lzma_decoder(XZ_MEMLIMIT)?;
        Ok(XzBounded(liblzma::read::XzDecoder::new_stream(
            inner, stream,
        )))
    }
}

impl<R: Read> Read for XzBounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf).map_err(memlimit_error)
    }
}

/// An xz decoder's error, said plainly when it is the memory bound [`XZ_MEMLIMIT`].
pub(crate) fn memlimit_error(e: io::Error) -> io::Error {
    match e
        .get_ref()
        .and_then(|i| i.downcast_ref::<liblzma::stream::Error>())
    {
        Some(liblzma::stream::Error::MemLimit) => io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "xz: the stream's dictionary is larger than the {} MiB accepted",
                (1u64 << MAX_WINDOW_LOG) >> 20
            ),
        ),
        _ => e,
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_ratio: 1000,
            max_unpacked: 64 << 30,
        }
    }
}

/// The error for too many unpacked bytes per packed byte, as an `io::Error` so it travels
/// through decoders.
pub(crate) fn ratio_error(unpacked: u64, packed: u64, max_ratio: u64) -> io::Error {
    LimitExceeded::Ratio {
        unpacked,
        packed,
        max_ratio,
    }
    .into_io()
}

/// The error for too many unpacked bytes in all.
pub(crate) fn total_error(max_unpacked: u64) -> io::Error {
    LimitExceeded::Total { max_unpacked }.into_io()
}

#[derive(Debug)]
struct TapState {
    /// `None` for a tap that only counts.
    hasher: Option<Sha256>,
    count: u64,
}

/// Digests and counts the raw bytes of an artifact as the decompressor pulls them.
#[derive(Debug, Clone)]
pub struct Tap(Rc<RefCell<TapState>>);

impl Default for Tap {
    fn default() -> Self {
        Tap(Rc::new(RefCell::new(TapState {
            hasher: Some(Sha256::new()),
            count: 0,
        })))
    }
}

impl Tap {
    /// A tap that counts the bytes pulled and digests none (for the ratio bound of a stream
    /// inside an archive); [`Tap::finish`] is not for it.
    pub fn counter() -> Self {
        Tap(Rc::new(RefCell::new(TapState {
            hasher: None,
            count: 0,
        })))
    }

    /// A reader over `inner` that feeds this tap.
    pub fn reader<R: Read>(&self, inner: R) -> TapReader<R> {
        TapReader {
            inner,
            tap: self.clone(),
        }
    }

    /// Raw bytes pulled so far.
    pub fn count(&self) -> u64 {
        self.0.borrow().count
    }

    /// The SHA-256 of the whole file at `path` (`size` bytes): what was tapped, plus whatever
    /// the decompressor did not need to read.
    pub fn finish(self, path: &Path, size: u64) -> io::Result<[u8; 32]> {
        let mut state = self.0.borrow_mut();
        if state.hasher.is_none() {
            return Err(io::Error::other("a counting tap has no digest"));
        }
        if state.count < size {
            let mut f = std::fs::File::open(path)?;
            f.seek(SeekFrom::Start(state.count))?;
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                let n = f.read(&mut buf)?;
                if n == 0 {
                    break;
                }
                if let Some(h) = state.hasher.as_mut() {
                    h.update(&buf[..n]);
                }
                state.count += n as u64;
            }
        }
        Ok(state.hasher.clone().unwrap_or_default().finalize().into())
    }
}

/// See [`Tap::reader`].
#[derive(Debug)]
pub struct TapReader<R> {
    inner: R,
    tap: Tap,
}

impl<R: Read> Read for TapReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut s = self.tap.0.borrow_mut();
        if let Some(h) = s.hasher.as_mut() {
            h.update(&buf[..n]);
        }
        s.count += n as u64;
        Ok(n)
    }
}

/// A decompressed stream whose size is checked against [`Limits`] as it is read.
pub struct Bounded<'a> {
    inner: Box<dyn Read + 'a>,
    tap: Tap,
    limits: Limits,
    out: u64,
}

impl std::fmt::Debug for Bounded<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bounded").field("out", &self.out).finish()
    }
}

impl<'a> Bounded<'a> {
    /// Bounds `inner`, whose raw input flows through `tap`.
    pub fn new(inner: Box<dyn Read + 'a>, tap: Tap, limits: Limits) -> Self {
        Bounded {
            inner,
            tap,
            limits,
            out: 0,
        }
    }
}

impl Bounded<'_> {
    /// Bytes unpacked so far.
    pub fn unpacked(&self) -> u64 {
        self.out
    }
}

impl Read for Bounded<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.out += n as u64;
        if self.out > self.limits.max_unpacked {
            return Err(total_error(self.limits.max_unpacked));
        }
        let packed = self.tap.count().max(1);
        if self.out > Limits::RATIO_GRACE
            && u128::from(self.out) > u128::from(packed) * u128::from(self.limits.max_ratio)
        {
            return Err(ratio_error(self.out, packed, self.limits.max_ratio));
        }
        Ok(n)
    }
}
