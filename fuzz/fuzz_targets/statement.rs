//! Any bytes as every kind of file a version statement is read from (build files, manifests,
//! version files, headers), and as the statements of the built-in detectors. Nothing may
//! panic; every statement read is a version (a digit first, a dot, no template characters),
//! on a line the text has.
#![no_main]

use bomsmith::detect::statement;
use bomsmith::detect::version::{DETECTORS, is_version, probe_parts};
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 13] = [
    "CMakeLists.txt",
    "meson.build",
    "configure.ac",
    "package.json",
    "Cargo.toml",
    "pyproject.toml",
    "PKG-INFO",
    "METADATA",
    "VERSION",
    "version.txt",
    "x.h",
    "x.hpp",
    "x.c",
];

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let lines = text.matches('\n').count() + 1;
    for name in NAMES {
        for f in statement::read(name, &text) {
            assert!(is_version(&f.stated.version), "{name}: {:?}", f.stated.version);
            assert!(f.stated.line >= 1 && f.stated.line <= lines, "{name}: line {}", f.stated.line);
        }
    }
    for d in DETECTORS {
        for p in d.probes {
            let _ = probe_parts(p.suffix, &text, p.parts);
        }
    }
});
