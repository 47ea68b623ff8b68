//! The bytes bomsmith writes, pinned: with `SOURCE_DATE_EPOCH` fixed, each output below must
//! keep its SHA-256. The hashes were taken from bomsmith before the pipeline redesign (main at
//! 290182c), so a refactoring that changes no behaviour keeps them. A change that alters an
//! output on purpose updates the hash here, with the reviewed diff of the output in its note.

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
        "70a365b0e2d35c63836abd480c09d159083a994466730afaa690cc0a57354432",
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
        "b9818c785b4fe185fb915a760e593c26833cd9e2b403778b16dd8812be727922",
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
        "85c775f6ab08e601e88b0c381c115363b8efda450a05dee7981f5f891584c2af"
    );
    assert_eq!(
        sha256_hex(&output_of(&[os("scan"), w, os("-f"), os("cyclonedx-json")])),
        "7dbf02cd85481ba6144b17086974ec2fb075e040bdd1392a745ae4edd7282eaf"
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
        "722ed4b2335dbe2808315417a083b8ce24444e5ea02ff42c0918ed54d10cdaa9",
        "the SPDX 2.3 example as CycloneDX"
    );
    assert_eq!(
        sha256_hex(&convert(&bom, "spdx-json")),
        "1577af611bc9562352305b8b926d5c18bec9a9de7a321eee6e31208b9f85fce4",
        "a CycloneDX 1.6 conformance document as SPDX"
    );
    assert_eq!(
        sha256_hex(&convert(&bom, "cyclonedx-json")),
        // Changed once, reviewed: its `{"license": {"name": "Some random license"}}` used to
        // come back as the expression `LicenseRef-Some-random-license`; now as the name it was.
        "984b51d2e294766fc6497936b1e6a02a9625facdaff085f9346197ae42d3f0df",
        "a CycloneDX 1.6 conformance document, canonicalised"
    );
}
