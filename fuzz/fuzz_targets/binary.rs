//! Any bytes as a native binary (PE, ELF, Mach-O, fat Mach-O), through everything bomsmith
//! reads of one: headers, sections, symbols, the version resource, the signature, the tiny
//! functions decoded and the strings matched against the signature table. Nothing may panic;
//! every version reported reads as a version.
#![no_main]

use bomsmith::detect::binary::examine;
use bomsmith::detect::version::is_version;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for name in ["libcrypto-3.dll", "x.so"] {
        let e = examine(name, data);
        for f in &e.found {
            if let Some(v) = &f.version {
                assert!(is_version(v), "{v:?}");
            }
        }
    }
});
