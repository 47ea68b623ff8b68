//! Any bytes through the tar reader, directly, as an in-memory archive recognised by its magic
//! bytes (so plain, gzip, xz, bzip2 and zstd tars, and zips, all get here), and streamed as a
//! tar nested in another input is (`read_tar_stream`, through the reader of the member that
//! holds it). Nothing may
//! panic, hang or allocate without bound; every entry must keep the sink's invariants
//! (`bomsmith_fuzz::CheckSink`).
#![no_main]

use bomsmith::input::{Compression, InputKind, read_nested, read_tar, read_tar_stream};
use bomsmith_fuzz::{CheckSink, limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Straight on the bytes: no body can be longer than the input.
    let mut direct = CheckSink::new(data.len() as u64);
    let plain = read_tar(&mut &data[..], "fuzz.tar", &mut direct);
    direct.finish(&plain);

    // As an archive inside another, with small decompression bounds.
    let limits = limits();
    let mut nested = CheckSink::new(limits.max_unpacked);
    let kind = read_nested(data, "fuzz.tar", &limits, &mut nested);
    nested.finish(&kind);

    // Streamed as a nested tar is: the same entries and outcome as from memory.
    if let Ok(InputKind::Tar(compression)) = kind {
        let mut streamed = CheckSink::new(limits.max_unpacked);
        let read = read_tar_stream(
            &mut &data[..],
            compression,
            "fuzz.tar",
            &limits,
            &mut streamed,
        );
        streamed.finish(&read);
        assert!(
            read.is_ok(),
            "read_nested read it, read_tar_stream refused it"
        );
        assert_eq!(
            streamed.entries, nested.entries,
            "read_tar_stream and read_nested differ"
        );
    }

    // A plain tar the nested reader accepts reads the same either way.
    if let Ok(InputKind::Tar(Compression::None)) = kind {
        if let Err(e) = &plain {
            panic!("read_nested accepted a plain tar that read_tar refuses: {e}");
        }
        assert_eq!(
            direct.entries, nested.entries,
            "read_tar and read_nested differ"
        );
        assert_eq!(
            direct.warnings, nested.warnings,
            "read_tar and read_nested warn differently"
        );
    }
});
