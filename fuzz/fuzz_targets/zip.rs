//! Any bytes through the zip reader, and through `member` (which recognises the archive by its
//! magic bytes and reads every member, keeping one). Nothing may panic, hang or allocate
//! without bound; every entry must keep the sink's invariants (`bomsmith_fuzz::CheckSink`),
//! and `member` must agree with `read_zip`.
#![no_main]

use bomsmith::input::{InputKind, archive_kind, member, read_zip};
use bomsmith_fuzz::{CheckSink, Entry, limits};
use libfuzzer_sys::fuzz_target;

/// Largest member `member` is asked to keep.
const MAX: usize = 4096;

fuzz_target!(|data: &[u8]| {
    let limits = limits();
    let mut sink = CheckSink::new(limits.max_unpacked);
    let read = read_zip(&data, "fuzz.zip", &limits, &mut sink);
    sink.finish(&read);

    // Ask for the first regular file read_zip saw (or a name it did not see).
    let want = sink
        .entries
        .iter()
        .find_map(|e| match e {
            Entry::File(path, _) => Some(path.as_str()),
            _ => None,
        })
        .unwrap_or("absent");
    let got = member(data, "fuzz.zip", want, &limits, MAX);
    if let Ok(Some(bytes)) = &got {
        assert!(bytes.len() <= MAX, "member returned {} bytes", bytes.len());
    }
    if archive_kind(&data[..data.len().min(512)]) != Some(InputKind::Zip) {
        return;
    }
    match (&read, &got) {
        (Ok(()), Ok(found)) => {
            assert_eq!(
                found.as_deref(),
                sink.file_body(want),
                "member and read_zip differ"
            );
        }
        (Ok(()), Err(e)) => {
            let len = sink.file_body(want).map_or(0, <[u8]>::len);
            assert!(len > MAX, "read_zip read it, member refused it: {e}");
        }
        (Err(e), Ok(_)) => panic!("member read an archive read_zip refuses: {e}"),
        (Err(_), Err(_)) => {}
    }
});
