//! Any bytes through the xar reader (macOS flat packages; the `Payload` and `Scripts` members
//! read as the cpio archives they hold), directly and as a nested archive recognised by its
//! magic bytes; and, since a table of contents is zlib-compressed (which mutations of whole
//! archives seldom get through), the bytes up to the first NUL as a table of contents and the
//! rest as the heap, put into a well-formed header. Nothing may panic, hang or allocate without
//! bound; every entry must keep the sink's invariants (`bomsmith_fuzz::CheckSink`).
#![no_main]

use bomsmith::input::{read_nested, read_xar};
use bomsmith_fuzz::{CheckSink, limits};
use libfuzzer_sys::fuzz_target;
use std::io::Write;

fuzz_target!(|data: &[u8]| {
    let limits = limits();
    let mut direct = CheckSink::new(limits.max_unpacked);
    let read = read_xar(&data, "fuzz.pkg", &limits, &mut direct);
    direct.finish(&read);

    let mut nested = CheckSink::new(limits.max_unpacked);
    let kind = read_nested(data, "fuzz.pkg", &limits, &mut nested);
    nested.finish(&kind);

    let (toc, heap) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    if z.write_all(toc).is_err() {
        return;
    }
    let Ok(packed) = z.finish() else { return };
    let mut built = b"xar!\x00\x1c\x00\x01".to_vec();
    built.extend((packed.len() as u64).to_be_bytes());
    built.extend((toc.len() as u64).to_be_bytes());
    built.extend(0u32.to_be_bytes());
    built.extend(&packed);
    built.extend(heap);
    let mut sink = CheckSink::new(limits.max_unpacked);
    let read = read_xar(&built.as_slice(), "fuzz-toc.pkg", &limits, &mut sink);
    sink.finish(&read);
});
