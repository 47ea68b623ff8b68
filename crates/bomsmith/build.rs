//! Bundles the official JSON schemas that `validate` checks against. They are read from the
//! shared corpus (`$BOMSMITH_SHARED`, default `../shared` beside the workspace), never fetched,
//! and embedded minified.

use std::path::PathBuf;

const SCHEMAS: &[(&str, &str)] = &[
    ("spdx-2.3.schema.json", "spec/spdx-2.3/spdx-schema.json"),
    ("bom-1.6.schema.json", "spec/cyclonedx/bom-1.6.schema.json"),
    ("spdx.schema.json", "spec/cyclonedx/spdx.schema.json"),
    (
        "jsf-0.82.schema.json",
        "spec/cyclonedx/jsf-0.82.schema.json",
    ),
];

fn main() {
    println!("cargo:rerun-if-env-changed=BOMSMITH_SHARED");
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let shared = std::env::var_os("BOMSMITH_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("../../../shared"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets it"));
    for (name, rel) in SCHEMAS {
        let src = shared.join(rel);
        println!("cargo:rerun-if-changed={}", src.display());
        let text = std::fs::read(&src).unwrap_or_else(|e| {
            panic!(
                "cannot read the schema {} ({e}); set BOMSMITH_SHARED to the shared corpus directory",
                src.display()
            )
        });
        let value: serde_json::Value = serde_json::from_slice(&text)
            .unwrap_or_else(|e| panic!("{} is not JSON: {e}", src.display()));
        let minified = serde_json::to_vec(&value).expect("a JSON value serialises");
        std::fs::write(out.join(name), minified).expect("OUT_DIR is writable");
    }
}
