//! `bomsmith diff` on the CPython 3.13.5 release SBOM against a copy with one vendored
//! version bumped and one file edited, within and across formats.

use crate::util::{bomsmith, cpython_tarball};
use serde_json::Value;
use std::path::Path;

fn run_diff(old: &Path, new: &Path, extra: &[&str]) -> (Option<i32>, String) {
    let out = bomsmith()
        .arg("diff")
        .arg(old)
        .arg(new)
        .args(extra)
        .output()
        .expect("runs");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        out.status.code(),
        String::from_utf8(out.stdout).expect("utf-8"),
    )
}

#[test]
fn diff_reports_exactly_a_version_bump_and_a_file_edit() {
    let Some(tarball) = cpython_tarball() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let old = dir.path().join("old.spdx.json");
    let run = bomsmith()
        .args(["scan", "--preset", "cpython", "-o"])
        .arg(&old)
        .arg(&tarball)
        .output()
        .expect("runs");
    assert!(run.status.success());

    // The new release: mpdecimal 2.5.1 -> 2.5.2 (version, CPE, download URL), and one of its
    // files edited (new checksums).
    let mut doc: Value = serde_json::from_slice(&std::fs::read(&old).expect("read")).expect("json");
    let edited = "Modules/_decimal/libmpdec/basearith.c";
    for p in doc["packages"].as_array_mut().expect("packages") {
        if p["name"] == "mpdecimal" {
            p["versionInfo"] = "2.5.2".into();
            p["downloadLocation"] =
                "https://www.bytereef.org/software/mpdecimal/releases/mpdecimal-2.5.2.tar.gz"
                    .into();
            p["externalRefs"][0]["referenceLocator"] =
                "cpe:2.3:a:bytereef:mpdecimal:2.5.2:*:*:*:*:*:*:*".into();
        }
    }
    let mut old_sha1 = String::new();
    for f in doc["files"].as_array_mut().expect("files") {
        if f["fileName"] == edited {
            for c in f["checksums"].as_array_mut().expect("checksums") {
                if c["algorithm"] == "SHA1" {
                    old_sha1 = c["checksumValue"].as_str().unwrap_or_default().to_owned();
                    c["checksumValue"] = "1".repeat(40).into();
                } else {
                    c["checksumValue"] = "2".repeat(64).into();
                }
            }
        }
    }
    assert_eq!(old_sha1.len(), 40, "{edited} is in the SBOM");
    let new = dir.path().join("new.spdx.json");
    std::fs::write(&new, serde_json::to_vec_pretty(&doc).expect("json")).expect("write");

    let expected_human = format!(
        "~ mpdecimal: version: 2.5.1 -> 2.5.2\n\
         ~ mpdecimal: cpe: cpe:2.3:a:bytereef:mpdecimal:2.5.1:*:*:*:*:*:*:* -> cpe:2.3:a:bytereef:mpdecimal:2.5.2:*:*:*:*:*:*:*\n\
         ~ file {edited}\n\
         1 component changed, 0 added, 0 removed; 1 file changed, 0 added, 0 removed\n"
    );
    let (code, text) = run_diff(&old, &new, &[]);
    assert_eq!(code, Some(0));
    assert_eq!(text, expected_human);
    let (code, _) = run_diff(&old, &new, &["--fail-on-change"]);
    assert_eq!(code, Some(1));

    // Across formats: the new release as CycloneDX says the same.
    let new_cdx = dir.path().join("new.cdx.json");
    let conv = bomsmith()
        .args(["convert", "--to", "cyclonedx-json", "-q", "-o"])
        .arg(&new_cdx)
        .arg(&new)
        .output()
        .expect("runs");
    assert!(conv.status.success());
    let (_, text) = run_diff(&old, &new_cdx, &[]);
    assert_eq!(text, expected_human);

    let (code, json) = run_diff(&old, &new_cdx, &["--format", "json"]);
    assert_eq!(code, Some(0));
    let v: Value = serde_json::from_str(&json).expect("json");
    assert_eq!(v["summary"]["components_changed"], 1);
    assert_eq!(v["summary"]["files_changed"], 1);
    for key in [
        "components_added",
        "components_removed",
        "files_added",
        "files_removed",
    ] {
        assert_eq!(v["summary"][key], 0, "{key}");
    }
    let change = &v["files"]["changed"][0];
    assert_eq!(change["name"], edited);
    assert_eq!(change["old"]["SHA1"], old_sha1.as_str());
    assert_eq!(change["new"]["SHA1"], "1".repeat(40).as_str());
    let fields: Vec<_> = v["components"]["changed"][0]["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| c["field"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(fields, ["version", "cpe"]);

    // A document against itself, in the other format: no changes, exit 0 even when strict.
    let old_cdx = dir.path().join("old.cdx.json");
    let conv = bomsmith()
        .args(["convert", "--to", "cyclonedx-json", "-q", "-o"])
        .arg(&old_cdx)
        .arg(&old)
        .output()
        .expect("runs");
    assert!(conv.status.success());
    let (code, text) = run_diff(&old, &old_cdx, &["--fail-on-change"]);
    assert_eq!((code, text.as_str()), (Some(0), "no changes\n"));
}

#[test]
fn diff_reports_added_and_removed_components_and_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bom = |components: &str| -> String {
        format!(
            r#"{{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{components}]}}"#
        )
    };
    let a = r#"{"type": "library", "name": "a", "version": "1"}"#;
    let b = r#"{"type": "library", "name": "b", "version": "2"}"#;
    let f = r#"{"type": "file", "name": "src/x.c", "hashes": [{"alg": "SHA-1", "content": "0000000000000000000000000000000000000000"}]}"#;
    let old = dir.path().join("old.json");
    let new = dir.path().join("new.json");
    std::fs::write(&old, bom(&format!("{a}, {f}"))).expect("write");
    std::fs::write(&new, bom(b)).expect("write");
    let (code, text) = run_diff(&old, &new, &[]);
    assert_eq!(code, Some(0));
    assert_eq!(
        text,
        "+ b 2\n- a 1\n- file src/x.c\n0 components changed, 1 added, 1 removed; 0 files changed, 0 added, 1 removed\n"
    );
    let missing = bomsmith()
        .arg("diff")
        .arg(&old)
        .arg(dir.path().join("nope.json"))
        .output()
        .expect("runs");
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("nope.json"));
}
