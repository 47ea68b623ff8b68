//! Any bytes as a PE version resource (`VS_VERSIONINFO`) and as a certificate table holding
//! Authenticode signatures. Nothing may panic; what is read is bounded.
#![no_main]

use bomsmith::detect::binary::versioninfo::{parse, signed_descriptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut fields = Vec::new();
    parse(data, &mut fields);
    assert!(fields.len() <= 66);
    let mut signed = Vec::new();
    signed_descriptions(data, &mut signed);
    assert!(signed.len() <= 8);
});
