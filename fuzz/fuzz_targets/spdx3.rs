//! Any bytes through the SPDX 3.0.1 JSON-LD reader and through `validate`: nothing may panic or
//! hang, and what reads must read back from the SPDX 3.0.1 bomsmith writes of it, to the same
//! model.
#![no_main]

use bomsmith::format::spdx3;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok((mut doc, _)) = spdx3::read(data, "fuzz.spdx3.json") {
        doc.canonicalize();
        let text = spdx3::write(&doc);
        let (mut back, _) = spdx3::read(text.as_bytes(), "back.spdx3.json")
            .unwrap_or_else(|e| panic!("our SPDX 3 does not read back: {e}\n{text}"));
        back.canonicalize();
        assert_eq!(back, doc, "model -> SPDX 3 -> model differs\n{text}");
    }
    let _ = bomsmith::validate::validate("fuzz.spdx3.json", data, &[]);
});
