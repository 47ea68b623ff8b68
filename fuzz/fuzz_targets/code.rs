//! Any bytes as the first instructions of a tiny exported function, for x86-64 and arm64, at
//! any address (the first 8 bytes). Nothing may panic or overflow.
#![no_main]

use bomsmith::detect::binary::code::returned;
use bomsmith::detect::binary::read::Machine;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 8 {
        return;
    }
    let address = u64::from_le_bytes(data[..8].try_into().unwrap_or([0; 8]));
    for m in [Machine::X86_64, Machine::Aarch64, Machine::Other] {
        let _ = returned(m, &data[8..], address);
    }
});
