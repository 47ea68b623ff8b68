//! The bytes bomsmith writes, pinned: with `SOURCE_DATE_EPOCH` fixed, each output below must
//! keep its SHA-256. The hashes were taken from bomsmith before the pipeline redesign (main at
//! 290182c), so a refactoring that changes no behaviour keeps them. A change that alters an
//! output on purpose updates the hash here, with the reviewed diff of the output in its note.
//!
//! Changed on purpose in issue 14, each diff reviewed against main at 52daa31 (JSON diff of old
//! and new): every scan writes `licenseListVersion` 3.29, the list its licences are checked
//! against (was 3.22); every conversion names bomsmith among the creators (SPDX) or tools
//! (CycloneDX) of what it wrote; the pillow wheel's root package takes from its METADATA the
//! PURL `pkg:pypi/pillow@13.0.0`, the declared licence `MIT-CMU`, the home page and a
//! `sourceInfo` saying so, and its default namespace (so the CycloneDX serial number) is
//! derived from the document's content. Nothing else in these outputs changed.

use crate::util::{bomsmith, cpython_tarball, sha256_hex, shared_file};
use std::ffi::OsStr;
use std::path::Path;

/// Runs `bomsmith ARGS` successfully and returns its standard output.
fn output_of(args: &[&OsStr]) -> Vec<u8> {
    let out = bomsmith().args(args).output().expect("runs");
    assert!(
        out.status.success(),
        "bomsmith {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn os(s: &str) -> &OsStr {
    OsStr::new(s)
}

#[test]
fn cpython_release_sboms_keep_their_bytes() {
    let Some(tarball) = cpython_tarball() else {
        return;
    };
    let t = tarball.as_os_str();
    let spdx = output_of(&[os("scan"), t, os("--preset"), os("cpython")]);
    assert_eq!(
        sha256_hex(&spdx),
        "acad5fbd8a7407fe3710eefbb38201faa1d9422cae566ea8aae8d69d0faab90d",
        "scan --preset cpython (SPDX)"
    );
    let cdx = output_of(&[
        os("scan"),
        t,
        os("--preset"),
        os("cpython"),
        os("-f"),
        os("cyclonedx-json"),
    ]);
    assert_eq!(
        sha256_hex(&cdx),
        "3c721d5b7cd954dda998cd510b4ee8dfa5170bd0f17113dccbabae8800b4a3a0",
        "scan --preset cpython (CycloneDX)"
    );
    // Conversion of either reproduces the other, byte for byte.
    let dir = tempfile::tempdir().expect("tempdir");
    let spdx_path = dir.path().join("cpython.spdx.json");
    std::fs::write(&spdx_path, &spdx).expect("write");
    let converted = output_of(&[
        os("convert"),
        os("-q"),
        spdx_path.as_os_str(),
        os("--to"),
        os("cyclonedx-json"),
    ]);
    assert!(
        converted == cdx,
        "convert SPDX → CycloneDX differs from the scan"
    );
    let cdx_path = dir.path().join("cpython.cdx.json");
    std::fs::write(&cdx_path, &cdx).expect("write");
    let back = output_of(&[
        os("convert"),
        os("-q"),
        cdx_path.as_os_str(),
        os("--to"),
        os("spdx-json"),
    ]);
    assert!(
        back == spdx,
        "convert CycloneDX → SPDX differs from the scan"
    );
}

#[test]
fn wheel_sboms_keep_their_bytes() {
    let Some(wheel) = shared_file("binaries/pillow-13.0.0-cp313-cp313-win_amd64.whl") else {
        return;
    };
    let w = wheel.as_os_str();
    assert_eq!(
        sha256_hex(&output_of(&[os("scan"), w])),
        "b1993df615a60413194f13ba1c76a7901f72545e6306a762b87462fefa43b301"
    );
    assert_eq!(
        sha256_hex(&output_of(&[os("scan"), w, os("-f"), os("cyclonedx-json")])),
        "d23b5eef818ebb986a0045e6eea02b98a8d1359b661cb018f87bd7aebd1d0fa4"
    );
}

#[test]
fn conversions_keep_their_bytes() {
    let (Some(example), Some(bom)) = (
        shared_file("spec/spdx-2.3/SPDXJSONExample-v2.3.spdx.json"),
        shared_file("conformance/cyclonedx-1.6/valid-bom-1.6.json"),
    ) else {
        return;
    };
    let convert = |input: &Path, to: &str| {
        output_of(&[
            os("convert"),
            os("-q"),
            input.as_os_str(),
            os("--to"),
            os(to),
        ])
    };
    assert_eq!(
        sha256_hex(&convert(&example, "cyclonedx-json")),
        "192dc03de5bbf27e6626c4b5f0d04dbeac2a086b8d2e58c6e4fbd6719bb56844",
        "the SPDX 2.3 example as CycloneDX"
    );
    assert_eq!(
        sha256_hex(&convert(&bom, "spdx-json")),
        "98e66d48245462cbef233a8dff21859349760f7b1fe2704b325565d6527a570c",
        "a CycloneDX 1.6 conformance document as SPDX"
    );
    assert_eq!(
        sha256_hex(&convert(&bom, "cyclonedx-json")),
        // Changed once, reviewed: its `{"license": {"name": "Some random license"}}` used to
        // come back as the expression `LicenseRef-Some-random-license`; now as the name it was.
        "5e7bf909114b402f0e24ca80ffc815e90eff3194d25644ba349cd866f934f940",
        "a CycloneDX 1.6 conformance document, canonicalised"
    );
}
