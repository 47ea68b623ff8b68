//! Any bytes through the cpio reader (odc, newc and crc formats), directly and as a nested
//! archive recognised by its magic bytes (so a gzip- or pbzx-compressed cpio gets here too).
//! Nothing may panic, hang or allocate without bound; every entry must keep the sink's
//! invariants (`bomsmith_fuzz::CheckSink`).
#![no_main]

use bomsmith::input::{read_cpio, read_nested};
use bomsmith_fuzz::{CheckSink, limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Straight on the bytes: no body can be longer than the input.
    let mut direct = CheckSink::new(data.len() as u64);
    let read = read_cpio(&mut &data[..], "fuzz.cpio", &mut direct);
    direct.finish(&read);

    let limits = limits();
    let mut nested = CheckSink::new(limits.max_unpacked);
    let kind = read_nested(data, "fuzz.cpio", &limits, &mut nested);
    nested.finish(&kind);
});
