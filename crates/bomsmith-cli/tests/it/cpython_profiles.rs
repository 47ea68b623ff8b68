//! The CPython 3.13.5 release SBOM as CycloneDX 1.7, and under BSI TR-03183-2 v2.1.0 with and
//! without the configuration that supplies what the guideline asks for.

use crate::util::*;
use bomsmith::validate::{Profile, Severity, validate};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// `bomsmith scan TARBALL ARGS... -o OUT` (with a fixed creation time); the output bytes.
fn scan_to(tarball: &Path, args: &[&str], out: &Path) -> Vec<u8> {
    let run = bomsmith()
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .arg("scan")
        .arg(tarball)
        .args(args)
        .arg("-o")
        .arg(out)
        .output()
        .expect("run");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    std::fs::read(out).expect("output")
}

/// Errors per code under `profile`.
fn errors(name: &str, bytes: &[u8], profile: Profile) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for d in validate(name, bytes, &[profile]).diagnostics {
        if d.severity == Severity::Error {
            *counts.entry(d.rule.code.to_owned()).or_default() += 1;
        }
    }
    counts
}

#[test]
fn cpython_as_cyclonedx_1_7_is_valid_deterministic_and_converts_back() {
    let Some(tarball) = cpython_tarball() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let args = [
        "--preset",
        "cpython",
        "-f",
        "cyclonedx-json",
        "--spec-version",
        "1.7",
    ];
    let first = scan_to(&tarball, &args, &dir.path().join("a.cdx.json"));
    let again = scan_to(&tarball, &args, &dir.path().join("b.cdx.json"));
    assert!(first == again, "the same input gives the same bytes");
    let bom: Value = serde_json::from_slice(&first).expect("JSON");
    assert_eq!(bom["specVersion"], "1.7");
    assert_eq!(
        bom["$schema"],
        "http://cyclonedx.org/schema/bom-1.7.schema.json"
    );
    // bomsmith's own validator, by the 1.7 schema and rules: no error.
    let report = validate("cpython.cdx.json", &first, &[]);
    assert_eq!(report.version.as_deref(), Some("1.7"));
    assert_eq!(
        report.count(Severity::Error),
        0,
        "{:#?}",
        report.diagnostics
    );

    // 1.7 → SPDX → 1.7 keeps every fact: the same bytes.
    let spdx = dir.path().join("c.spdx.json");
    let back = dir.path().join("c.cdx.json");
    for (input, to, out, extra) in [
        (dir.path().join("a.cdx.json"), "spdx-json", &spdx, &[][..]),
        (
            spdx.clone(),
            "cyclonedx-json",
            &back,
            &["--spec-version", "1.7"][..],
        ),
    ] {
        let run = bomsmith()
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .args(["convert", "-q", "--fail-on-loss", "--to", to])
            .args(extra)
            .arg("-o")
            .arg(out)
            .arg(&input)
            .output()
            .expect("run");
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
    }
    let round: Value = serde_json::from_slice(&std::fs::read(&back).expect("read")).expect("JSON");
    assert!(round == bom, "1.7 → SPDX → 1.7 is the identity");

    // 1.6 stays the default and differs only in the version and schema.
    let v16 = scan_to(
        &tarball,
        &["--preset", "cpython", "-f", "cyclonedx-json"],
        &dir.path().join("d.cdx.json"),
    );
    let mut v16: Value = serde_json::from_slice(&v16).expect("JSON");
    assert_eq!(v16["specVersion"], "1.6");
    v16["specVersion"] = bom["specVersion"].clone();
    v16["$schema"] = bom["$schema"].clone();
    assert!(
        v16 == bom,
        "CPython's values have the same form in 1.6 and 1.7"
    );
}

#[test]
fn spec_version_is_checked_against_the_format() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("a.txt"), "a\n").expect("write");
    let out = bomsmith()
        .arg("scan")
        .arg(dir.path())
        .args(["-f", "cyclonedx-json", "--spec-version", "1.5"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("1.6 or 1.7"), "{stderr}");
    let out = bomsmith()
        .arg("scan")
        .arg(dir.path())
        .args(["--spec-version", "1.7"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2), "SPDX is written as 2.3 only");
}

/// The CPython preset, with what TR-03183-2 v2.1.0 asks for and the tarball does not say.
/// The licences are those the projects state; the contacts of the projects that name none in
/// the tarball are placeholders (`example.org`): the test is about the mechanism.
fn bsi_config() -> String {
    let preset = include_str!("../../../bomsmith/src/presets/cpython.toml");
    let mut text = preset
        .replace(
            r#"creators = ["Person: Python Release Managers"]"#,
            r#"creators = ["Person: Python Release Managers", "Organization: Python Software Foundation (psf@python.org)"]"#,
        )
        .replace(
            r#"originator = "Organization: Python Software Foundation""#,
            r#"originator = "Organization: Python Software Foundation (psf@python.org)""#,
        );
    text = text.replace("[every_package]\n", "[every_package]\nin_artifact = true\n");
    text.push_str(
        r#"
[cyclonedx]
executable = "non-executable"
archive = "archive"
structured = "structured"
dependencies = "unknown"
"#,
    );
    let licences = [
        ("expat", "MIT"),
        ("hacl-star", "MIT OR Apache-2.0"),
        ("libb2", "CC0-1.0"),
        ("macholib", "MIT"),
        ("mpdecimal", "BSD-2-Clause"),
        ("pip", "MIT"),
        ("cachecontrol", "Apache-2.0"),
        ("certifi", "MPL-2.0"),
        ("dependency-groups", "MIT"),
        ("distlib", "PSF-2.0"),
        ("distro", "Apache-2.0"),
        ("idna", "BSD-3-Clause"),
        ("msgpack", "Apache-2.0"),
        ("packaging", "Apache-2.0 OR BSD-2-Clause"),
        ("platformdirs", "MIT"),
        ("pygments", "BSD-2-Clause"),
        ("pyproject-hooks", "MIT"),
        ("requests", "Apache-2.0"),
        ("resolvelib", "ISC"),
        ("rich", "MIT"),
        ("setuptools", "MIT"),
        ("tomli", "MIT"),
        ("tomli-w", "MIT"),
        ("truststore", "MIT"),
        ("typing_extensions", "PSF-2.0"),
        ("urllib3", "MIT"),
    ];
    for (name, licence) in licences {
        text.push_str(&format!(
            "\n[[package]]\nname = \"{name}\"\nlicense_concluded = \"{licence}\"\n"
        ));
        if name != "macholib" {
            text.push_str(&format!(
                "originator = \"Organization: {name} developers ({name}@example.org)\"\n"
            ));
        }
    }
    text
}

#[test]
fn cpython_meets_bsi_2_1_with_the_configuration_that_supplies_its_fields() {
    let Some(tarball) = cpython_tarball() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    // Without it, the missing fields are named.
    let plain = scan_to(
        &tarball,
        &["--preset", "cpython", "-f", "cyclonedx-json"],
        &dir.path().join("plain.cdx.json"),
    );
    let before = errors("plain.cdx.json", &plain, Profile::Bsi21);
    let want: BTreeMap<String, usize> = [
        ("BSI102", 1),
        ("BSI104", 26),
        ("BSI107", 26),
        ("BSI109", 27),
        ("BSI110", 26),
        ("BSI111", 27),
        ("BSI112", 27),
        ("BSI113", 27),
        ("BSI114", 27),
    ]
    .into_iter()
    .map(|(c, n)| (c.to_owned(), n))
    .collect();
    assert_eq!(before, want);

    let config = dir.path().join("bomsmith.toml");
    std::fs::write(&config, bsi_config()).expect("write");
    let configured = scan_to(
        &tarball,
        &[
            "--config",
            config.to_str().expect("utf-8"),
            "--sha512",
            "-f",
            "cyclonedx-json",
        ],
        &dir.path().join("bsi.cdx.json"),
    );
    let after = errors("bsi.cdx.json", &configured, Profile::Bsi21);
    assert_eq!(after, BTreeMap::new(), "no BSI v2.1.0 error");
    // Nor any error of the format's own rules.
    let report = validate("bsi.cdx.json", &configured, &[]);
    assert_eq!(
        report.count(Severity::Error),
        0,
        "{:#?}",
        report.diagnostics
    );
}

#[test]
fn a_package_table_naming_no_package_is_an_error_at_its_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("a.txt"), "a\n").expect("write");
    let config = dir.path().join("c.toml");
    std::fs::write(
        &config,
        "[root]\nname = \"x\"\n\n[[package]]\nname = \"nosuch\"\nlicense_concluded = \"MIT\"\n",
    )
    .expect("write");
    let out = bomsmith()
        .arg("scan")
        .arg(dir.path())
        .arg("--config")
        .arg(&config)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(":5:"), "{stderr}");
    assert!(stderr.contains("nosuch"), "{stderr}");
    // A [cyclonedx] value outside the taxonomy, and an unknown key, are errors at their line.
    std::fs::write(&config, "[cyclonedx]\narchive = \"zip\"\n").expect("write");
    let out = bomsmith()
        .arg("scan")
        .arg(dir.path())
        .arg("--config")
        .arg(&config)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(":2:") && stderr.contains("no archive"),
        "{stderr}"
    );
    std::fs::write(&config, "[cyclonedx]\narchived = \"archive\"\n").expect("write");
    let out = bomsmith()
        .arg("scan")
        .arg(dir.path())
        .arg("--config")
        .arg(&config)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(":2:"));
}
