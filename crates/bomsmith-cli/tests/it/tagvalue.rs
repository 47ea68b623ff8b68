//! SPDX tag-value: the specification's tag-value examples read as their JSON twins, the CPython
//! release SBOM written as tag-value passes pyspdxtools and reads back to the scan's JSON,
//! malformed documents are refused at `file:line`, `validate` judges tag-value by the SPDX rules
//! at lines, and output is deterministic.

use crate::util::{
    EPOCH, as_converted, bomsmith, cpython_tarball, file_sha256, fixture, shared_file,
};
use bomsmith::model::{Document, RefKind};
use std::path::{Path, PathBuf};

fn model(path: &Path) -> Document {
    let bytes = std::fs::read(path).expect("readable");
    let (_, mut doc, _) =
        bomsmith::format::read(&bytes, &path.display().to_string()).expect("reads");
    doc.canonicalize();
    doc
}

/// The JSON twin's model, and the tag-value example's.
fn twins(tv: &str, json: &str) -> Option<(Document, Document)> {
    let tv = shared_file(tv)?;
    let json = shared_file(json)?;
    Some((model(&tv), model(&json)))
}

/// The `OTHER` reference of the examples' glibc package: tag-value names its type
/// `LocationRef-acmeforge`, the JSON the same type qualified by the document's namespace
/// (`…-0305E82C3301#LocationRef-acmeforge`). The examples differ there, not the reader.
fn qualify_location_ref(doc: &mut Document) {
    let namespace = doc.namespace.clone();
    for p in &mut doc.packages {
        for r in &mut p.external_refs {
            if let RefKind::Other { kind, .. } = &mut r.kind
                && kind.starts_with("LocationRef-")
            {
                *kind = format!("{namespace}#{kind}");
            }
        }
    }
}

#[test]
fn spdx_2_3_tag_value_example_is_its_json_twin() {
    let Some((mut tv, json)) = twins(
        "spec/spdx-2.3/SPDXTagExample-v2.3.spdx",
        "spec/spdx-2.3/SPDXJSONExample-v2.3.spdx.json",
    ) else {
        return;
    };
    assert_ne!(tv, json, "the one difference below is real");
    qualify_location_ref(&mut tv);
    assert_eq!(tv, json);
    assert_eq!(tv.packages.len(), 4);
    assert_eq!(tv.files.len(), 5);
}

#[test]
fn spdx_2_2_tag_value_example_is_its_json_twin() {
    let Some((mut tv, json)) = twins(
        "spec/spdx-2.2/examples/SPDXTagExample-v2.2.spdx",
        "spec/spdx-2.2/examples/SPDXJSONExample-v2.2.spdx.json",
    ) else {
        return;
    };
    assert_ne!(tv, json, "the one difference below is real");
    qualify_location_ref(&mut tv);
    // Both 2.2 examples carry the same U+FFFD where their source had a Windows-1252 `©` and
    // quotes: the files are UTF-8, those characters were lost before them.
    assert!(
        tv.extracted_licenses
            .iter()
            .any(|l| l.text.contains("\u{fffd} Copyright 2007"))
    );
    assert_eq!(tv, json);
}

#[test]
fn bytes_that_are_not_utf8_are_counted_and_judged_at_their_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("latin1.spdx");
    let mut body = HEAD.as_bytes().to_vec();
    body.extend_from_slice(b"DocumentComment: caf\xe9\n");
    std::fs::write(&path, body).expect("write");
    let out = bomsmith()
        .args(["convert", "--to", "spdx-json"])
        .arg(&path)
        .output()
        .expect("runs");
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("FMT001") && err.contains("bytes that are not UTF-8 (read as U+FFFD): 1"),
        "{err}"
    );
    let judged = bomsmith()
        .arg("validate")
        .arg(&path)
        .output()
        .expect("runs");
    assert_eq!(judged.status.code(), Some(1));
    let said = String::from_utf8_lossy(&judged.stdout);
    assert!(
        said.contains(&format!("{}:8:1: TV001 error: ", path.display())),
        "{said}"
    );
}

/// The CPython 3.13.5 release SBOM as SPDX JSON and as tag-value, from one scan each, made
/// once.
fn cpython_docs() -> Option<(PathBuf, PathBuf)> {
    let tarball = cpython_tarball()?;
    let dir = fixture("cpython-tagvalue", &file_sha256(&tarball), |dir| {
        for (format, name) in [
            ("spdx-json", "cpython.spdx.json"),
            ("spdx-tv", "cpython.spdx"),
        ] {
            bomsmith()
                .args(["scan", "--preset", "cpython", "-q", "-f", format, "-o"])
                .arg(dir.join(name))
                .arg(&tarball)
                .assert()
                .success();
        }
    });
    Some((dir.join("cpython.spdx.json"), dir.join("cpython.spdx")))
}

#[test]
fn cpython_tag_value_reads_back_to_the_scans_json() {
    let Some((json, tv)) = cpython_docs() else {
        return;
    };
    let text = std::fs::read_to_string(&tv).expect("UTF-8");
    assert!(text.starts_with("## Document Information\nSPDXVersion: SPDX-2.3\n"));
    assert_eq!(text.matches("\nPackageName: ").count(), 27);
    assert_eq!(text.matches("\nFileName: ").count(), 4808);
    // Files are said by position, not by 4,808 CONTAINS lines.
    assert!(!text.contains(" CONTAINS SPDXRef-FILE-"));
    // Nothing is lost from the model to tag-value: back to JSON, byte for byte.
    let out = bomsmith()
        .args(["convert", "--to", "spdx-json"])
        .arg(&tv)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("FMT001"),
        "nothing dropped"
    );
    let expected = std::fs::read(&json).expect("readable");
    assert!(
        out.stdout == expected,
        "tag-value -> JSON differs from the scan's JSON"
    );
    // And `diff` sees no change between them.
    bomsmith()
        .args(["diff", "--fail-on-change"])
        .arg(&json)
        .arg(&tv)
        .assert()
        .success();
    // `validate` judges the tag-value as the JSON: no errors.
    let judged = bomsmith().arg("validate").arg(&tv).output().expect("runs");
    let said = String::from_utf8_lossy(&judged.stdout);
    assert_eq!(judged.status.code(), Some(0), "{said}");
    assert!(said.contains("cpython.spdx: SPDX 2.3: 0 errors"), "{said}");
}

/// pyspdxtools, from `$PYSPDXTOOLS` or the CI venv (`target/ci-venv`); required under `CI`.
fn pyspdxtools() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("PYSPDXTOOLS").map(PathBuf::from),
        Some(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/ci-venv/bin/pyspdxtools"),
        ),
    ];
    if let Some(p) = candidates.into_iter().flatten().find(|p| p.exists()) {
        return Some(p);
    }
    let msg = "pyspdxtools not found (set PYSPDXTOOLS or run .ci/run once to make target/ci-venv)";
    assert!(std::env::var_os("CI").is_none(), "{msg}");
    eprintln!("SKIPPED: {msg}");
    None
}

#[test]
fn cpython_tag_value_passes_pyspdxtools() {
    let Some((_, tv)) = cpython_docs() else {
        return;
    };
    let Some(tool) = pyspdxtools() else {
        return;
    };
    let out = std::process::Command::new(tool)
        .arg("-i")
        .arg(&tv)
        .output()
        .expect("pyspdxtools runs");
    assert!(
        out.status.success(),
        "pyspdxtools rejects it:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn converted_examples_pass_pyspdxtools_and_read_back() {
    let Some(json) = shared_file("spec/spdx-2.3/SPDXJSONExample-v2.3.spdx.json") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let tv = dir.path().join("example.spdx");
    bomsmith()
        .args(["convert", "-q", "--to", "spdx-tv", "-o"])
        .arg(&tv)
        .arg(&json)
        .assert()
        .success();
    let mut direct = as_converted(model(&json));
    let mut back = model(&tv);
    // What the model holds of the example survives tag-value.
    direct.canonicalize();
    back.canonicalize();
    assert_eq!(back, direct);
    if let Some(tool) = pyspdxtools() {
        let out = std::process::Command::new(tool)
            .arg("-i")
            .arg(&tv)
            .output()
            .expect("pyspdxtools runs");
        assert!(
            out.status.success(),
            "pyspdxtools rejects it:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// A small tree to scan.
fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("a.c"), "int a;\n").expect("write");
    std::fs::create_dir(dir.path().join("sub")).expect("mkdir");
    std::fs::write(dir.path().join("sub/b.txt"), "b\r\n").expect("write");
    dir
}

#[test]
fn two_writes_are_byte_identical() {
    let dir = tree();
    let scan = || {
        bomsmith()
            .args(["scan", "-q", "-f", "spdx-tv"])
            .arg(dir.path())
            .output()
            .expect("runs")
            .stdout
    };
    let first = scan();
    assert!(first.starts_with(b"## Document Information\n"));
    assert_eq!(first, scan());
    let out = tempfile::tempdir().expect("temp dir");
    let tv = out.path().join("a.spdx");
    std::fs::write(&tv, &first).expect("write");
    let convert = || {
        bomsmith()
            .args(["convert", "-q", "--to", "spdx-tv"])
            .arg(&tv)
            .output()
            .expect("runs")
            .stdout
    };
    let again = convert();
    assert_eq!(again, convert());
    assert_eq!(
        again, first,
        "tag-value -> model -> tag-value is the same bytes"
    );
    let _ = EPOCH;
}

const HEAD: &str = "SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\n\
DocumentName: d\nDocumentNamespace: https://example.org/d\nCreator: Tool: x\n\
Created: 2024-01-02T03:04:05Z\n";

/// Each malformed document and the line its error is at (HEAD is lines 1-7).
const BAD: &[(&str, &str, usize, &str)] = &[
    ("unknown-tag", "Colour: blue\n", 8, "unknown tag `Colour`"),
    (
        "no-tag",
        "PackageName: p\n  loose words\n",
        9,
        "a value without a tag",
    ),
    (
        "unterminated",
        "PackageName: p\nPackageComment: <text>never\nclosed\n",
        9,
        "never closed by `</text>`",
    ),
    (
        "checksum",
        "FileName: f\nSPDXID: SPDXRef-f\nFileChecksum: SHA1 = 0a\n",
        10,
        "malformed `FileChecksum`",
    ),
    (
        "relationship",
        "Relationship: SPDXRef-DOCUMENT DESCRIBES\n",
        8,
        "malformed `Relationship`",
    ),
    (
        "outside",
        "FileChecksum: SHA1: 0a\n",
        8,
        "belongs to a file",
    ),
    (
        "missing-field",
        "PackageName: p\nSPDXID: SPDXRef-p\n",
        8,
        "required field `PackageDownloadLocation` is missing",
    ),
];

#[test]
fn malformed_tag_value_is_refused_at_its_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, body, line, message) in BAD {
        let path = dir.path().join(format!("{name}.spdx"));
        std::fs::write(&path, format!("{HEAD}{body}")).expect("write");
        let shown = path.display().to_string();
        let out = bomsmith()
            .args(["convert", "--to", "spdx-json"])
            .arg(&path)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!("{shown}:{line}: ")) && err.contains(message),
            "{name}: {err}"
        );
        // validate: the same problem, as a finding at the same line (exit 1).
        let out = bomsmith()
            .arg("validate")
            .arg(&path)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(1), "{name}");
        let said = String::from_utf8_lossy(&out.stdout);
        let rule = if *name == "missing-field" {
            "SPDX001"
        } else {
            "TV001"
        };
        assert!(
            said.contains(&format!("{shown}:{line}:1: {rule} error: ")),
            "{name}: {said}"
        );
    }
    // Bytes that are not text at all: refused, never a panic.
    let path = dir.path().join("binary.spdx");
    std::fs::write(&path, b"SPDXVersion: \xff\xfe\x00\x01\nPackageName: \x80\n").expect("write");
    let out = bomsmith()
        .args(["convert", "--to", "spdx-json"])
        .arg(&path)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn validate_places_spdx_rules_at_lines() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("dangling.spdx");
    let body = "Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-p\n\
PackageName: p\nSPDXID: SPDXRef-p\nPackageDownloadLocation: NONE\nFilesAnalyzed: false\n\
PackageChecksum: SHA1: 0a\n\
Relationship: SPDXRef-p DEPENDS_ON SPDXRef-nowhere\n";
    std::fs::write(&path, format!("{HEAD}{body}")).expect("write");
    let out = bomsmith()
        .args(["validate", "--format", "json"])
        .arg(&path)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let found: Vec<(String, u64)> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_owned(),
                d["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert!(found.contains(&("SPDX009".to_owned(), 14)), "{found:?}");
    assert!(found.contains(&("SPDX015".to_owned(), 13)), "{found:?}");
    assert_eq!(report["inputs"][0]["version"], "SPDX-2.3");
}
