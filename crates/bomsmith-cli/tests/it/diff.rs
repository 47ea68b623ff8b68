//! `bomsmith diff` on the CPython 3.13.5 release SBOM against a copy with one vendored
//! version bumped and one file edited, within and across formats.

use crate::util::{bomsmith, cpython_tarball, shared_dir, shared_file};
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

/// A CycloneDX 1.6 document of `components` (JSON objects, joined).
fn cdx(components: &[&str]) -> String {
    format!(
        r#"{{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{}]}}"#,
        components.join(", ")
    )
}

/// A CycloneDX library component; `purl` empty for none.
fn lib(name: &str, version: &str, purl: &str) -> String {
    if purl.is_empty() {
        format!(r#"{{"type": "library", "name": "{name}", "version": "{version}"}}"#)
    } else {
        format!(
            r#"{{"type": "library", "name": "{name}", "version": "{version}", "purl": "{purl}"}}"#
        )
    }
}

/// A minimal SPDX 2.3 document listing `files` as (path, SHA-1).
fn spdx_files(files: &[(&str, &str)]) -> String {
    let files: Vec<Value> = files
        .iter()
        .enumerate()
        .map(|(i, (path, sha1))| {
            serde_json::json!({
                "SPDXID": format!("SPDXRef-FILE-{i}"),
                "fileName": path,
                "checksums": [{"algorithm": "SHA1", "checksumValue": sha1.repeat(40)}],
            })
        })
        .collect();
    serde_json::json!({
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": "files",
        "documentNamespace": "https://example.org/spdx/files",
        "creationInfo": {"created": "2024-01-31T12:00:00Z", "creators": ["Tool: test"]},
        "files": files,
    })
    .to_string()
}

/// Writes `old` and `new` into a temporary directory and diffs them.
fn diff_texts(old: &str, new: &str, extra: &[&str]) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (o, n) = (dir.path().join("old.json"), dir.path().join("new.json"));
    std::fs::write(&o, old).expect("write");
    std::fs::write(&n, new).expect("write");
    run_diff(&o, &n, extra)
}

#[test]
fn diff_does_not_pair_two_different_components_of_one_name() {
    // The new document lists setuptools twice: Debian's python3-setuptools (listed first) and
    // the PyPI project. The PyPI one is the upgrade; the Debian one is new.
    let old = cdx(&[&lib("setuptools", "79.0.1", "pkg:pypi/setuptools@79.0.1")]);
    let new = cdx(&[
        &lib(
            "setuptools",
            "70.3.0",
            "pkg:deb/debian/python3-setuptools@70.3.0?arch=all",
        ),
        &lib("setuptools", "80.9.0", "pkg:pypi/setuptools@80.9.0"),
    ]);
    let (code, text) = diff_texts(&old, &new, &[]);
    assert_eq!(code, Some(0));
    assert_eq!(
        text,
        "+ setuptools 70.3.0\n\
         ~ setuptools: version: 79.0.1 -> 80.9.0\n\
         ~ setuptools: purl: pkg:pypi/setuptools@79.0.1 -> pkg:pypi/setuptools@80.9.0\n\
         1 component changed, 1 added, 0 removed; 0 files changed, 0 added, 0 removed\n"
    );

    // Same name, different PURLs, one on each side: two components, not a version change.
    let new = cdx(&[&lib(
        "setuptools",
        "70.3.0",
        "pkg:deb/debian/python3-setuptools@70.3.0",
    )]);
    let (_, text) = diff_texts(&old, &new, &[]);
    assert_eq!(
        text,
        "+ setuptools 70.3.0\n- setuptools 79.0.1\n\
         0 components changed, 1 added, 1 removed; 0 files changed, 0 added, 0 removed\n"
    );
    let (_, json) = diff_texts(&old, &new, &["--format", "json"]);
    let v: Value = serde_json::from_str(&json).expect("json");
    assert_eq!(
        v["components"]["added"][0]["purl"],
        "pkg:deb/debian/python3-setuptools@70.3.0"
    );
    assert_eq!(
        v["components"]["removed"][0]["purl"],
        "pkg:pypi/setuptools@79.0.1"
    );
}

#[test]
fn diff_pairs_components_by_purl_before_name() {
    // One PyPI project under two names: the PURL says it is the same component, so a version
    // change is a change, not a removal and an addition.
    let old = cdx(&[&lib("python-pip", "24.0", "pkg:pypi/pip@24.0")]);
    let new = cdx(&[&lib("pip", "25.1.1", "pkg:pypi/pip@25.1.1")]);
    let (_, text) = diff_texts(&old, &new, &[]);
    assert_eq!(
        text,
        "~ python-pip: name: python-pip -> pip\n\
         ~ python-pip: version: 24.0 -> 25.1.1\n\
         ~ python-pip: purl: pkg:pypi/pip@24.0 -> pkg:pypi/pip@25.1.1\n\
         1 component changed, 0 added, 0 removed; 0 files changed, 0 added, 0 removed\n"
    );
}

#[test]
fn diff_pairs_pypi_names_by_pep503() {
    let old = cdx(&[
        &lib(
            "psycopg2_binary",
            "2.9.10",
            "pkg:pypi/psycopg2_binary@2.9.10",
        ),
        &lib("PyYAML", "6.0.2", "pkg:pypi/PyYAML@6.0.2"),
        // No PURL on this side: the other side's says it is a PyPI project.
        &lib("Typing_Extensions", "4.14.0", ""),
    ]);
    let new = cdx(&[
        &lib(
            "psycopg2-binary",
            "2.9.10",
            "pkg:pypi/psycopg2-binary@2.9.10",
        ),
        &lib("pyyaml", "6.0.2", "pkg:pypi/pyyaml@6.0.2"),
        &lib(
            "typing-extensions",
            "4.14.1",
            "pkg:pypi/typing-extensions@4.14.1",
        ),
    ]);
    let (_, json) = diff_texts(&old, &new, &["--format", "json"]);
    let v: Value = serde_json::from_str(&json).expect("json");
    assert_eq!(v["summary"]["components_added"], 0, "{json}");
    assert_eq!(v["summary"]["components_removed"], 0, "{json}");
    let changed: Vec<(String, Vec<String>)> = v["components"]["changed"]
        .as_array()
        .expect("changed")
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap_or_default().to_owned(),
                c["changes"]
                    .as_array()
                    .expect("changes")
                    .iter()
                    .map(|f| f["field"].as_str().unwrap_or_default().to_owned())
                    .collect(),
            )
        })
        .collect();
    let fields = |f: &[&str]| f.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    assert_eq!(
        changed,
        [
            ("PyYAML".to_owned(), fields(&["name", "purl"])),
            (
                "Typing_Extensions".to_owned(),
                fields(&["name", "version", "purl"])
            ),
            ("psycopg2_binary".to_owned(), fields(&["name", "purl"])),
        ]
    );
}

#[test]
fn diff_pairs_files_under_different_root_prefixes() {
    let tree = |root: &str, edited: &str| {
        spdx_files(&[
            (&format!("{root}Lib/a.py"), edited),
            (&format!("{root}Lib/b.py"), "b"),
            (&format!("{root}README.rst"), "c"),
        ])
    };
    let summary = "0 components changed, 0 added, 0 removed; 1 file changed, 0 added, 0 removed\n";
    for (old_root, new_root, header) in [
        // A release tarball's top directory against a tree's SBOM.
        (
            "./Python-3.13.5/",
            "",
            "files under root Python-3.13.5/ (old):\n",
        ),
        (
            "Python-3.13.5/",
            "./",
            "files under root Python-3.13.5/ (old):\n",
        ),
        // Two releases' tarballs.
        (
            "Python-3.13.4/",
            "Python-3.13.5/",
            "files under root Python-3.13.4/ (old), Python-3.13.5/ (new):\n",
        ),
        // syft writes absolute paths.
        ("/", "", ""),
        ("./", "/", ""),
    ] {
        let (_, text) = diff_texts(&tree(old_root, "a"), &tree(new_root, "d"), &[]);
        assert_eq!(
            text,
            format!("{header}~ file Lib/a.py\n{summary}"),
            "{old_root:?} vs {new_root:?}"
        );
        let (_, json) = diff_texts(
            &tree(old_root, "a"),
            &tree(new_root, "d"),
            &["--format", "json"],
        );
        let v: Value = serde_json::from_str(&json).expect("json");
        assert_eq!(v["files"]["changed"][0]["name"], "Lib/a.py");
        assert_eq!(v["summary"]["files_added"], 0);
        assert_eq!(v["summary"]["files_removed"], 0);
    }
    // The roots stripped are reported in JSON too.
    let (_, json) = diff_texts(
        &tree("./Python-3.13.4/", "a"),
        &tree("Python-3.13.5/", "a"),
        &["--format", "json"],
    );
    let v: Value = serde_json::from_str(&json).expect("json");
    assert_eq!(v["files"]["roots"]["old"], "Python-3.13.4/");
    assert_eq!(v["files"]["roots"]["new"], "Python-3.13.5/");
    assert_eq!(v["summary"]["files_changed"], 0);

    // A first segment that both documents use is a directory of the tree, not a root: kept.
    let old = spdx_files(&[("Lib/a.py", "a"), ("Lib/b.py", "b")]);
    let new = spdx_files(&[("Lib/a.py", "a"), ("README.rst", "c")]);
    let (_, text) = diff_texts(&old, &new, &[]);
    assert_eq!(
        text,
        "+ file README.rst\n- file Lib/b.py\n\
         0 components changed, 0 added, 0 removed; 0 files changed, 1 added, 1 removed\n"
    );
}

#[test]
fn diff_pairs_every_component_and_file_of_real_documents() {
    let Some(example) = shared_file("spec/spdx-2.3/SPDXJSONExample-v2.3.spdx.json") else {
        return;
    };
    // The SPDX example against itself with every file moved under a tarball-style root, and
    // against its CycloneDX conversion: nothing differs.
    let mut doc: Value =
        serde_json::from_slice(&std::fs::read(&example).expect("read")).expect("json");
    for f in doc["files"].as_array_mut().expect("files") {
        let name = f["fileName"].as_str().expect("fileName");
        f["fileName"] = format!("./example-2.3/{}", name.trim_start_matches("./")).into();
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let moved = dir.path().join("moved.spdx.json");
    std::fs::write(&moved, doc.to_string()).expect("write");
    let (code, text) = run_diff(&example, &moved, &["--fail-on-change"]);
    assert_eq!((code, text.as_str()), (Some(0), "no changes\n"));
    let cdx = dir.path().join("example.cdx.json");
    let conv = bomsmith()
        .args(["convert", "--to", "cyclonedx-json", "-q", "-o"])
        .arg(&cdx)
        .arg(&example)
        .output()
        .expect("runs");
    assert!(conv.status.success());
    let (code, text) = run_diff(&moved, &cdx, &["--fail-on-change"]);
    assert_eq!((code, text.as_str()), (Some(0), "no changes\n"));

    // Every valid CycloneDX 1.6 conformance document against itself.
    if shared_file("conformance/cyclonedx-1.6/valid-bom-1.6.json").is_none() {
        return;
    }
    let conformance = shared_dir().join("conformance/cyclonedx-1.6");
    let mut names: Vec<_> = std::fs::read_dir(&conformance)
        .expect("conformance dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("valid-") && n.ends_with(".json"))
        })
        .collect();
    names.sort();
    assert!(names.len() >= 40, "only {} valid documents", names.len());
    for path in names {
        let (code, text) = run_diff(&path, &path, &["--fail-on-change"]);
        assert_eq!(
            (code, text.as_str()),
            (Some(0), "no changes\n"),
            "{}",
            path.display()
        );
    }
}
