//! pbzx, the chunked xz stream Apple's installer payloads use (`Payload` files of packages made
//! since macOS 10.10): the magic `pbzx`, a big-endian 64-bit flags word (the chunk size), then
//! chunks, each a big-endian 64-bit uncompressed size, a 64-bit stored size and the stored bytes:
//! an xz stream, or the bytes as they are when compressing did not make them smaller (stored
//! size equal to the uncompressed size). The stream ends after the last chunk.
//!
//! No kept crate reads it as a stream with bounds (the ones there are decode to memory); it is
//! small enough to read here, each chunk checked to give exactly the size it declares.

use super::limit::{XZ_MEMLIMIT, memlimit_error};
use std::io::{self, BufReader, Read};

/// The decoder of one xz chunk, over a buffer of its own so that what it leaves unread of the
/// chunk can be told.
type XzChunk<R> = liblzma::bufread::XzDecoder<BufReader<io::Take<R>>>;

/// The magic at the start of a pbzx stream.
pub const MAGIC: &[u8; 4] = b"pbzx";

/// Largest uncompressed chunk accepted (Apple's writer uses 16 MiB chunks).
const MAX_CHUNK: u64 = 64 << 20;

/// True when `head` starts a pbzx stream.
pub fn looks_like_pbzx(head: &[u8]) -> bool {
    head.starts_with(MAGIC)
}

enum State<R: Read> {
    /// Before the stream's header.
    Start(R),
    /// In a chunk stored as it is.
    Raw(io::Take<R>),
    /// In an xz-compressed chunk: the decoder, the bytes it gave, the bytes it must give.
    Xz(Box<XzChunk<R>>, u64, u64),
    /// After the end, or after an error.
    Done,
}

/// Decodes a pbzx stream read from `R`.
pub struct Pbzx<R: Read> {
    state: State<R>,
    chunk: u64,
}

impl<R: Read> std::fmt::Debug for Pbzx<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pbzx").field("chunk", &self.chunk).finish()
    }
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("pbzx: {message}"))
}

/// Reads a big-endian u64; `None` at a clean end of stream (no byte read).
fn read_u64(r: &mut impl Read, what: &str) -> io::Result<Option<u64>> {
    let mut b = [0u8; 8];
    let mut got = 0;
    while got < 8 {
        match r.read(&mut b[got..]) {
            Ok(0) if got == 0 => return Ok(None),
            Ok(0) => {
                return Err(invalid(format!("the stream ends inside the {what}")));
            }
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(Some(u64::from_be_bytes(b)))
}

impl<R: Read> Pbzx<R> {
    /// A decoder over `inner`, which must start with the magic.
    pub fn new(inner: R) -> Self {
        Pbzx {
            state: State::Start(inner),
            chunk: 0,
        }
    }

    /// Moves to the next state; `Ok(false)` at the end of the stream.
    fn advance(&mut self) -> io::Result<bool> {
        let state = std::mem::replace(&mut self.state, State::Done);
        let mut inner = match state {
            State::Start(mut inner) => {
                let mut magic = [0u8; 4];
                inner
                    .read_exact(&mut magic)
                    .map_err(|_| invalid("shorter than its header".into()))?;
                if &magic != MAGIC {
                    return Err(invalid("no `pbzx` magic".into()));
                }
                read_u64(&mut inner, "header")?
                    .ok_or_else(|| invalid("the stream ends inside the header".into()))?;
                inner
            }
            State::Raw(take) => {
                if take.limit() > 0 {
                    return Err(invalid(format!(
                        "chunk {}: the stream ends {} bytes before the chunk's end",
                        self.chunk,
                        take.limit()
                    )));
                }
                take.into_inner()
            }
            State::Xz(decoder, produced, expected) => {
                if produced != expected {
                    return Err(invalid(format!(
                        "chunk {}: declares {expected} bytes, its xz stream gives {produced}",
                        self.chunk
                    )));
                }
                let buffered = decoder.into_inner();
                let left = buffered.buffer().len() as u64 + buffered.get_ref().limit();
                if left > 0 {
                    return Err(invalid(format!(
                        "chunk {}: {left} bytes after its xz stream",
                        self.chunk
                    )));
                }
                buffered.into_inner().into_inner()
            }
            State::Done => return Ok(false),
        };
        let Some(size) = read_u64(&mut inner, "chunk header")? else {
            return Ok(false);
        };
        self.chunk += 1;
        let stored = read_u64(&mut inner, "chunk header")?
            .ok_or_else(|| invalid("the stream ends inside a chunk header".into()))?;
        if size > MAX_CHUNK {
            return Err(invalid(format!(
                "chunk {}: {size} bytes uncompressed, over the {} MiB accepted",
                self.chunk,
                MAX_CHUNK >> 20
            )));
        }
        if stored == size {
            self.state = State::Raw(inner.take(stored));
        } else if stored > size + (size >> 4) + 4096 {
            // xz never grows data by this much; a stored size like this is a lie.
            return Err(invalid(format!(
                "chunk {}: {stored} bytes stored for {size} uncompressed",
                self.chunk
            )));
        } else {
            let stream = liblzma::stream::Stream::new_stream_decoder(XZ_MEMLIMIT, 0)
                .map_err(|e| invalid(format!("chunk {}: {e}", self.chunk)))?;
            let decoder = liblzma::bufread::XzDecoder::new_stream(
                BufReader::with_capacity(64 * 1024, inner.take(stored)),
                stream,
            );
            self.state = State::Xz(Box::new(decoder), 0, size);
        }
        Ok(true)
    }
}

impl<R: Read> Read for Pbzx<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            let n = match &mut self.state {
                State::Start(_) => 0,
                State::Raw(take) => take.read(buf)?,
                State::Xz(decoder, produced, expected) => {
                    let chunk = self.chunk;
                    let err =
                        |e: io::Error| invalid(format!("chunk {chunk}: {}", memlimit_error(e)));
                    let room = *expected - *produced;
                    if room == 0 {
                        // One byte more than the chunk declares is asked for, so a lie shows.
                        if decoder.read(&mut [0u8; 1]).map_err(err)? > 0 {
                            return Err(invalid(format!(
                                "chunk {chunk}: its xz stream gives more than the {expected} bytes declared"
                            )));
                        }
                        0
                    } else {
                        let want = room.min(buf.len() as u64) as usize;
                        let n = decoder.read(&mut buf[..want]).map_err(err)?;
                        *produced += n as u64;
                        n
                    }
                }
                State::Done => return Ok(0),
            };
            if n > 0 {
                return Ok(n);
            }
            if !self.advance()? {
                self.state = State::Done;
                return Ok(0);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xz(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        liblzma::read::XzEncoder::new(data, 6)
            .read_to_end(&mut out)
            .expect("encodes");
        out
    }

    fn chunk(size: usize, stored: &[u8]) -> Vec<u8> {
        let mut v = (size as u64).to_be_bytes().to_vec();
        v.extend((stored.len() as u64).to_be_bytes());
        v.extend(stored);
        v
    }

    fn stream(chunks: &[Vec<u8>]) -> Vec<u8> {
        let mut v = b"pbzx".to_vec();
        v.extend(0x0100_0000u64.to_be_bytes());
        for c in chunks {
            v.extend(c);
        }
        v
    }

    fn decode(bytes: &[u8]) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        Pbzx::new(bytes).read_to_end(&mut out)?;
        Ok(out)
    }

    #[test]
    fn xz_and_stored_chunks() {
        let a = vec![b'a'; 5000];
        let b = b"incompressible".to_vec();
        let s = stream(&[chunk(a.len(), &xz(&a)), chunk(b.len(), &b)]);
        let mut want = a.clone();
        want.extend(&b);
        assert_eq!(decode(&s).expect("decodes"), want);
        assert_eq!(decode(&stream(&[])).expect("empty"), b"");
    }

    #[test]
    fn lies_are_errors() {
        let a = vec![b'a'; 5000];
        let cases = [
            (
                stream(&[chunk(4999, &xz(&a))]),
                "pbzx: chunk 1: its xz stream gives more than the 4999 bytes declared",
            ),
            (
                stream(&[chunk(5001, &xz(&a))]),
                "pbzx: chunk 1: declares 5001 bytes, its xz stream gives 5000",
            ),
            (
                {
                    let mut s = stream(&[chunk(14, b"incompressible")]);
                    s.truncate(s.len() - 4);
                    s
                },
                "pbzx: chunk 1: the stream ends 4 bytes before the chunk's end",
            ),
            (
                stream(&[chunk(1 << 40, b"x")]),
                "pbzx: chunk 1: 1099511627776 bytes uncompressed, over the 64 MiB accepted",
            ),
            (
                stream(&[chunk(10, &[0u8; 100_000])]),
                "pbzx: chunk 1: 100000 bytes stored for 10 uncompressed",
            ),
            (b"pbzy\0\0\0\0\0\0\0\0".to_vec(), "pbzx: no `pbzx` magic"),
            (
                b"pbzx\0\0\0".to_vec(),
                "pbzx: the stream ends inside the header",
            ),
            (
                {
                    let mut s = stream(&[]);
                    s.extend([0, 0, 0]);
                    s
                },
                "pbzx: the stream ends inside the chunk header",
            ),
        ];
        for (bytes, want) in cases {
            let e = decode(&bytes).expect_err(want);
            assert_eq!(e.to_string(), want);
        }
    }
}
