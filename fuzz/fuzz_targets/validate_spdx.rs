//! Any bytes through the SPDX path of `validate`: the JSON reader, the semantic rules, the
//! schema, NTIA and BSI, and the position finder. Nothing may panic or hang.
#![no_main]

use bomsmith::validate::{Profile, validate};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let report = validate("fuzz.spdx.json", data, &[Profile::Spdx, Profile::Ntia, Profile::Bsi, Profile::Bsi21, Profile::Fsct3]);
    for d in &report.diagnostics {
        assert!(
            d.location.line.is_some_and(|l| l >= 1) && d.location.column.is_some_and(|c| c >= 1),
            "a diagnostic without a position"
        );
    }
    // The position finder on its own, with pointers that may or may not exist.
    let _ = bomsmith::validate::locate::locate(data, &["/packages/0/name", "/a~1b/3", ""]);
});
