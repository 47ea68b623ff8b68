//! Acceptance on the real CPython 3.13.5 release tarball from `../shared`.

use crate::util::*;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::ffi::OsStr;
use std::path::Path;

/// Every regular file of the tarball, read by an independent tar implementation (the `tar`
/// crate, once, into a cached fixture), with the leading `Python-3.13.5/` removed.
fn tarball_files(_tarball: &Path) -> Vec<(String, Vec<u8>)> {
    cpython_files().expect("the tarball is there")
}

fn relationship_counts(doc: &Value) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for r in doc["relationships"].as_array().expect("relationships") {
        *counts
            .entry(r["relationshipType"].as_str().expect("type").to_owned())
            .or_default() += 1;
    }
    counts
}

#[test]
fn preset_describes_the_release_tarball() {
    let Some(tarball) = cpython_tarball() else {
        return;
    };
    let doc = scan_json(&[
        tarball.as_os_str(),
        OsStr::new("--preset"),
        OsStr::new("cpython"),
    ]);

    let packages = doc["packages"].as_array().expect("packages");
    assert_eq!(
        packages.len(),
        27,
        "5 in-tree + CPython + pip + 20 vendored"
    );
    assert_eq!(doc["files"].as_array().expect("files").len(), 4808);
    let counts = relationship_counts(&doc);
    assert_eq!(counts.get("CONTAINS"), Some(&4808));
    assert_eq!(counts.get("DEPENDS_ON"), Some(&26));
    assert_eq!(counts.get("DESCRIBES"), Some(&1));
    assert_eq!(counts.len(), 3);

    // Every checksum agrees with an independent reading of the archive.
    let sums = file_checksums(&doc);
    let files = tarball_files(&tarball);
    assert_eq!(files.len(), 4808);
    for (name, data) in &files {
        let got = sums.get(name).unwrap_or_else(|| panic!("{name} missing"));
        assert_eq!(got["SHA1"], sha1_hex(data), "{name}");
        assert_eq!(got["SHA256"], sha256_hex(data), "{name}");
    }

    // The 111 files declared in Misc/sbom.spdx.json keep their owners.
    let in_tree_bytes = &files
        .iter()
        .find(|(n, _)| n == "Misc/sbom.spdx.json")
        .expect("in-tree SBOM")
        .1;
    let in_tree: Value = serde_json::from_slice(in_tree_bytes).expect("in-tree JSON");
    let owner: HashMap<&str, &str> = doc["relationships"]
        .as_array()
        .expect("relationships")
        .iter()
        .filter(|r| r["relationshipType"] == "CONTAINS")
        .map(|r| {
            (
                r["relatedSpdxElement"].as_str().expect("to"),
                r["spdxElementId"].as_str().expect("from"),
            )
        })
        .collect();
    let declared = in_tree["relationships"].as_array().expect("relationships");
    assert_eq!(declared.len(), 111);
    for r in declared {
        let file = r["relatedSpdxElement"].as_str().expect("file");
        assert_eq!(
            owner.get(file).copied(),
            r["spdxElementId"].as_str(),
            "{file}"
        );
    }
    let cpython_files = owner
        .values()
        .filter(|o| **o == "SPDXRef-PACKAGE-cpython")
        .count();
    assert_eq!(cpython_files, 4808 - 111);

    // The top-level package, as CPython's release tooling describes it.
    let by_id: HashMap<&str, &Value> = packages
        .iter()
        .map(|p| (p["SPDXID"].as_str().expect("id"), p))
        .collect();
    let cpython = by_id["SPDXRef-PACKAGE-cpython"];
    assert_eq!(cpython["name"], "CPython");
    assert_eq!(cpython["versionInfo"], "3.13.5");
    assert_eq!(cpython["packageFileName"], "Python-3.13.5.tar.xz");
    assert_eq!(cpython["licenseConcluded"], "PSF-2.0");
    assert_eq!(
        cpython["supplier"],
        "Organization: Python Software Foundation"
    );
    assert_eq!(
        cpython["originator"],
        "Organization: Python Software Foundation"
    );
    assert_eq!(
        cpython["downloadLocation"],
        "https://www.python.org/ftp/python/3.13.5/Python-3.13.5.tar.xz"
    );
    assert_eq!(
        cpython["externalRefs"][0]["referenceLocator"],
        "cpe:2.3:a:python:python:3.13.5:*:*:*:*:*:*:*"
    );
    let artifact = std::fs::read(&tarball).expect("read tarball");
    assert_eq!(
        cpython["checksums"][0]["checksumValue"],
        sha256_hex(&artifact)
    );
    assert_eq!(cpython["filesAnalyzed"], true);

    // pip and what it vendors: offline, so no invented download URLs.
    let pip = by_id["SPDXRef-PACKAGE-pip"];
    assert_eq!(pip["versionInfo"], "25.1.1");
    assert_eq!(pip["downloadLocation"], "NOASSERTION");
    assert_eq!(pip["filesAnalyzed"], false);
    assert!(pip.get("packageVerificationCode").is_none());
    let wheel = &files
        .iter()
        .find(|(n, _)| n == "Lib/ensurepip/_bundled/pip-25.1.1-py3-none-any.whl")
        .expect("wheel")
        .1;
    assert_eq!(pip["checksums"][0]["checksumValue"], sha256_hex(wheel));
    let locators: Vec<&str> = pip["externalRefs"]
        .as_array()
        .expect("refs")
        .iter()
        .map(|r| r["referenceLocator"].as_str().expect("locator"))
        .collect();
    assert!(locators.contains(&"pkg:pypi/pip@25.1.1"));
    assert!(locators.contains(&"cpe:2.3:a:pypa:pip:25.1.1:*:*:*:*:*:*:*"));
    let pip_deps: Vec<&str> = doc["relationships"]
        .as_array()
        .expect("relationships")
        .iter()
        .filter(|r| r["spdxElementId"] == "SPDXRef-PACKAGE-pip")
        .map(|r| r["relatedSpdxElement"].as_str().expect("to"))
        .collect();
    assert_eq!(pip_deps.len(), 20);
    let typing = by_id["SPDXRef-PACKAGE-typing-extensions"];
    assert_eq!(
        typing["externalRefs"][0]["referenceLocator"], "pkg:pypi/typing-extensions@4.13.2",
        "PURL names are PEP 503-normalised"
    );
    assert_eq!(typing["downloadLocation"], "NOASSERTION");

    // The in-tree packages keep their declared fields (the expat drift is issue material).
    let expat = by_id["SPDXRef-PACKAGE-expat"];
    assert_eq!(expat["versionInfo"], "2.6.3");
    assert_eq!(expat["originator"], "Organization: Expat development team");
    assert_eq!(expat["filesAnalyzed"], true);

    assert_eq!(
        doc["documentNamespace"],
        "https://www.python.org/ftp/python/3.13.5/Python-3.13.5.tar.xz.spdx.json"
    );
    assert_eq!(doc["creationInfo"]["created"], "2023-11-14T22:13:20Z");
}

#[test]
fn recompressed_archives_give_the_same_files() {
    use std::io::Write;
    let Some(tarball) = cpython_tarball() else {
        return;
    };
    // One plain tar of the tree, then each compression of it; and a zip. Made once (a cached
    // fixture), with names that say nothing: the content decides how each is read.
    let dir = fixture("cpython-recompressed", &file_sha256(&tarball), |dir| {
        let files = tarball_files(&tarball);
        let mut builder = tar::Builder::new(Vec::new());
        for (name, data) in &files {
            let mut h = tar::Header::new_gnu();
            h.set_size(data.len() as u64);
            h.set_mode(0o644);
            h.set_entry_type(tar::EntryType::Regular);
            builder
                .append_data(&mut h, format!("Python-3.13.5/{name}"), data.as_slice())
                .expect("append");
        }
        let plain = builder.into_inner().expect("tar");
        let write = |name: &str, bytes: &[u8]| {
            std::fs::write(dir.join(name), bytes).expect("write");
        };
        write("tgz.bin", &gzip(&plain));
        let mut bz = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
        bz.write_all(&plain).expect("bzip2");
        write("tbz2.bin", &bz.finish().expect("bzip2"));
        write(
            "tzst.bin",
            &zstd::encode_all(plain.as_slice(), 1).expect("zstd"),
        );
        let mut zw = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(1));
        for (name, data) in &files {
            zw.start_file(format!("Python-3.13.5/{name}"), opts)
                .expect("zip entry");
            zw.write_all(data).expect("zip data");
        }
        write("zip.bin", &zw.finish().expect("zip").into_inner());
        write("tar.bin", &plain);
    });

    // The tree's 4,808 files, and those of the archives it holds (read whatever the outer
    // compression, so they are compared too).
    let reference = file_checksums(&scan_json(&[tarball.as_os_str()]));
    assert_eq!(reference.keys().filter(|p| !p.contains('!')).count(), 4808);
    assert!(reference.keys().any(|p| p.contains(".whl!pip/")));
    for name in ["tgz.bin", "tbz2.bin", "tzst.bin", "zip.bin", "tar.bin"] {
        let p = dir.join(name);
        let got = file_checksums(&scan_json(&[p.as_os_str()]));
        assert!(got == reference, "{} differs from the .tar.xz", p.display());
    }
}

#[test]
fn output_is_reproducible() {
    let Some(tarball) = cpython_tarball() else {
        return;
    };
    let a = tempfile::tempdir().expect("tempdir");
    let b = tempfile::tempdir().expect("tempdir");
    let run = |cwd: &Path, epoch: Option<&str>| -> Vec<u8> {
        let mut c = bomsmith();
        c.current_dir(cwd)
            .args(["scan", "--preset", "cpython"])
            .arg(&tarball);
        match epoch {
            Some(e) => c.env("SOURCE_DATE_EPOCH", e),
            None => c.env_remove("SOURCE_DATE_EPOCH"),
        };
        let out = c.output().expect("runs");
        assert!(out.status.success());
        out.stdout
    };
    let first = run(a.path(), Some(EPOCH));
    let second = run(b.path(), Some(EPOCH));
    assert!(
        first == second,
        "same input and epoch must give the same bytes"
    );
    let text = String::from_utf8(first.clone()).expect("utf-8");
    assert!(
        !text.contains(&*a.path().to_string_lossy()),
        "no host paths"
    );
    assert!(!text.contains(&*tarball.to_string_lossy()), "no host paths");

    let mut without: Value = serde_json::from_slice(&run(a.path(), None)).expect("json");
    let mut with: Value = serde_json::from_slice(&first).expect("json");
    assert_ne!(
        without["creationInfo"]["created"],
        with["creationInfo"]["created"]
    );
    without["creationInfo"]["created"] = Value::Null;
    with["creationInfo"]["created"] = Value::Null;
    assert!(
        without == with,
        "only `created` may differ without SOURCE_DATE_EPOCH"
    );
}
