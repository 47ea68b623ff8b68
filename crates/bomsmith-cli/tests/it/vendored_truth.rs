//! Vendored code found in real source packages, against truth tables established by hand
//! (`tests/data/vendored/*.toml`: each copy's root, its version and the file and line stating
//! it). The packages are Debian's source tarballs, fetched by `.ci/run` into
//! `$BOMSMITH_SRCPKGS` and checked by SHA-256.

use crate::util::{bomsmith, file_sha256};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Deserialize)]
struct Truth {
    source: Source,
    copy: Vec<Copy>,
}

#[derive(Deserialize)]
struct Source {
    file: String,
    sha256: String,
    #[allow(dead_code)]
    url: String,
    #[allow(dead_code)]
    top: String,
}

#[derive(Deserialize)]
struct Copy {
    path: String,
    #[allow(dead_code)]
    project: String,
    version: Option<String>,
    stated: Option<String>,
}

fn truth(name: &str) -> Truth {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/vendored")
        .join(format!("{name}.toml"));
    let text = std::fs::read_to_string(&path).expect("truth table");
    toml::from_str(&text).expect("truth table parses")
}

/// The source package `file`: `$BOMSMITH_SRCPKGS/file`, else `/work/srcpkgs/file`, checked
/// against its SHA-256. `None` (with a note) when absent outside CI; under `CI` its absence
/// fails the test.
fn source_package(source: &Source) -> Option<PathBuf> {
    let dir = std::env::var_os("BOMSMITH_SRCPKGS")
        .map_or_else(|| PathBuf::from("/work/srcpkgs"), PathBuf::from);
    let p = dir.join(&source.file);
    if p.exists() {
        assert_eq!(file_sha256(&p), source.sha256, "{}", p.display());
        return Some(p);
    }
    let msg = format!(
        "source package missing: {} (`.ci/fetch-srcpkgs.sh DIR`, or set BOMSMITH_SRCPKGS)",
        p.display()
    );
    assert!(std::env::var_os("CI").is_none(), "{msg}");
    eprintln!("SKIPPED: {msg}");
    None
}

/// `vendor detect --format json` on the archive: path → (version, evidence lines).
fn detect(archive: &PathBuf) -> BTreeMap<String, (Option<String>, Vec<String>)> {
    let out = bomsmith()
        .args(["vendor", "detect", "--format", "json"])
        .arg(archive)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    v["candidates"]
        .as_array()
        .expect("candidates")
        .iter()
        .map(|c| {
            let path = c["path"].as_str().expect("path").to_owned();
            let version = c["version"].as_str().map(str::to_owned);
            let evidence = c["evidence"]
                .as_array()
                .expect("evidence")
                .iter()
                .map(|e| e.as_str().expect("line").to_owned())
                .collect();
            (path, (version, evidence))
        })
        .collect()
}

/// Recall of at least 95% over the truth table, no wrong version (a copy whose source states
/// none has none), every stated version's file and line among the evidence, and one
/// candidate per copy (no candidate inside a true copy, nothing outside the table).
fn check(name: &str) {
    let t = truth(name);
    let Some(archive) = source_package(&t.source) else {
        return;
    };
    let found = detect(&archive);
    let mut hits = 0;
    for c in &t.copy {
        let Some((version, evidence)) = found.get(&c.path) else {
            eprintln!("{name}: missed {}", c.path);
            continue;
        };
        hits += 1;
        assert_eq!(version, &c.version, "{name}: version of {}", c.path);
        if let Some(at) = &c.stated {
            assert!(
                evidence.iter().any(|e| e.starts_with(&format!("{at}:"))),
                "{name}: {} should be cited for {}: {evidence:?}",
                at,
                c.path
            );
        }
    }
    let recall = hits as f64 / t.copy.len() as f64;
    eprintln!("{name}: {hits} of {} copies found", t.copy.len());
    assert!(recall >= 0.95, "{name}: recall {recall:.2}");
    let known: Vec<&str> = t.copy.iter().map(|c| c.path.as_str()).collect();
    for path in found.keys() {
        assert!(
            known.contains(&path.as_str()),
            "{name}: `{path}` is not a vendored copy of the truth table (one candidate per copy)"
        );
    }
}

#[test]
fn cmake_3_25_1_vendored_copies_match_the_truth_table() {
    check("cmake-3.25.1");
}

#[test]
fn redis_7_0_15_vendored_copies_match_the_truth_table() {
    check("redis-7.0.15");
}

#[test]
fn python_3_11_2_vendored_copies_match_the_truth_table() {
    check("python3.11-3.11.2");
}

/// A plain `scan` of a CPython release that keeps no SBOM of its own lists expat, mpdecimal,
/// macholib and the bundled pip and setuptools wheels as packages with the versions their
/// sources state, each owning its files and carrying its evidence.
#[test]
fn plain_scan_of_python_3_11_lists_vendored_packages_with_evidence() {
    let t = truth("python3.11-3.11.2");
    let Some(archive) = source_package(&t.source) else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let cdx = dir.path().join("out.cdx.json");
    let spdx = dir.path().join("out.spdx.json");
    for (format, out) in [("cyclonedx-json", &cdx), ("spdx-json", &spdx)] {
        let run = bomsmith()
            .arg("scan")
            .arg(&archive)
            .args(["-f", format, "-o"])
            .arg(out)
            .output()
            .expect("runs");
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
    }
    let v: Value = serde_json::from_slice(&std::fs::read(&cdx).expect("cdx")).expect("JSON");
    let by_name = |n: &str| -> Value {
        v["components"]
            .as_array()
            .expect("components")
            .iter()
            .find(|c| c["name"] == n && c["type"] != "file")
            .cloned()
            .unwrap_or_else(|| panic!("no package {n}"))
    };
    for (name, version, cpe_or_purl) in [
        (
            "expat",
            "2.5.0",
            "cpe:2.3:a:libexpat_project:libexpat:2.5.0:*:*:*:*:*:*:*",
        ),
        (
            "mpdecimal",
            "2.5.1",
            "cpe:2.3:a:bytereef:mpdecimal:2.5.1:*:*:*:*:*:*:*",
        ),
        ("macholib", "1.0", "pkg:pypi/macholib@1.0"),
        ("pip", "22.3.1", "pkg:pypi/pip@22.3.1"),
        ("setuptools", "65.5.0", "pkg:pypi/setuptools@65.5.0"),
    ] {
        let c = by_name(name);
        assert_eq!(c["version"], version, "{name}");
        assert!(
            c["cpe"] == cpe_or_purl || c["purl"] == cpe_or_purl,
            "{name}: {c}"
        );
        let occ = &c["evidence"]["occurrences"];
        assert!(
            occ.as_array().is_some_and(|a| !a.is_empty()),
            "{name}: evidence occurrences: {c}"
        );
    }
    // The expat copy owns its files (SPDX: CONTAINS from its package).
    let s: Value = serde_json::from_slice(&std::fs::read(&spdx).expect("spdx")).expect("JSON");
    let expat = s["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .find(|p| p["name"] == "expat")
        .expect("expat package");
    let expat_id = expat["SPDXID"].as_str().expect("id");
    assert!(
        expat["comment"]
            .as_str()
            .is_some_and(|c| c.contains("Modules/expat/expat.h:1056")),
        "{expat}"
    );
    let files: BTreeMap<&str, &str> = s["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| {
            (
                f["SPDXID"].as_str().expect("id"),
                f["fileName"].as_str().expect("name"),
            )
        })
        .collect();
    let owned: Vec<&str> = s["relationships"]
        .as_array()
        .expect("relationships")
        .iter()
        .filter(|r| r["spdxElementId"] == expat_id && r["relationshipType"] == "CONTAINS")
        .filter_map(|r| files.get(r["relatedSpdxElement"].as_str()?).copied())
        .collect();
    assert!(owned.contains(&"Modules/expat/xmlparse.c"), "{owned:?}");
    assert!(
        owned.iter().all(|f| f.starts_with("Modules/expat/")),
        "{owned:?}"
    );
}
