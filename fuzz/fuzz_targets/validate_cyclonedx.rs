//! Any bytes through the CycloneDX path of `validate` (reader, semantics, schema, profiles,
//! position finder). Nothing may panic or hang.
#![no_main]

use bomsmith::validate::{Profile, validate};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let report = validate(
        "fuzz.cdx.json",
        data,
        &[Profile::CycloneDx, Profile::Ntia, Profile::Bsi, Profile::Bsi21, Profile::Fsct3],
    );
    for d in &report.diagnostics {
        assert!(
            d.location.line.is_some_and(|l| l >= 1) && d.location.column.is_some_and(|c| c >= 1),
            "a diagnostic without a position"
        );
    }
});
