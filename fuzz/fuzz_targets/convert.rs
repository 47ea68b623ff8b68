//! Any bytes through `format::read` and, when they read, both writers: what bomsmith writes it
//! must read back, to the same model. Nothing may panic or hang.
#![no_main]

use bomsmith::format::{cyclonedx, read, spdx2};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok((_, mut doc, _)) = read(data, "fuzz.json") else {
        return;
    };
    doc.canonicalize();
    let cdx = cyclonedx::write(&doc);
    let (mut back, report) = cyclonedx::read(cdx.as_bytes(), "fuzz.cdx.json")
        .unwrap_or_else(|e| panic!("our CycloneDX does not read back: {e}\n{cdx}"));
    assert!(report.dropped.is_empty(), "our CycloneDX lost {report:?}");
    back.canonicalize();
    assert_eq!(back, doc, "model -> CycloneDX -> model differs");
    let spdx = spdx2::write(&doc);
    let (mut back, _) = spdx2::read(spdx.as_bytes(), "fuzz.spdx.json")
        .unwrap_or_else(|e| panic!("our SPDX does not read back: {e}\n{spdx}"));
    back.canonicalize();
    assert_eq!(back, doc, "model -> SPDX -> model differs");
});
