//! The identity of a scan's root package: the naming conventions of artifact file names
//! (Debian source packages, wheels, sdists, npm tarballs), what an artifact says of itself
//! inside (a wheel's METADATA, an sdist's PKG-INFO, an npm package.json, the top directory),
//! and a document namespace of its own for every different document. The archives are made by
//! Python's `tarfile`, an independent writer; the real wheels, the npm package and the CPython
//! tarball come from the shared corpus.

use crate::util::{bomsmith, cpython_tarball, npm_sqlite3, scan_json, shared_file};
use serde_json::Value;
use std::ffi::OsStr;
use std::path::Path;

/// Writes a tar archive at `path` with Python's `tarfile` (`mode` `w:gz`, `w:xz`), holding
/// `members` (`(name, text)`), every mtime fixed.
fn python_tar(path: &Path, mode: &str, members: &[(&str, &str)]) {
    let spec = serde_json::json!({
        "path": path.to_str().expect("UTF-8 path"),
        "mode": mode,
        "members": members,
    });
    let script = r#"
import io, json, sys, tarfile
spec = json.loads(sys.argv[1])
with tarfile.open(spec["path"], spec["mode"]) as t:
    for name, text in spec["members"]:
        data = text.encode()
        info = tarfile.TarInfo(name)
        info.size = len(data)
        info.mtime = 1700000000
        t.addfile(info, io.BytesIO(data))
"#;
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(spec.to_string())
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "python3 tarfile failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The package the document describes.
fn root(doc: &Value) -> &Value {
    let id = doc["relationships"]
        .as_array()
        .expect("relationships")
        .iter()
        .find(|r| r["spdxElementId"] == "SPDXRef-DOCUMENT" && r["relationshipType"] == "DESCRIBES")
        .expect("a described package")["relatedSpdxElement"]
        .as_str()
        .expect("an ID");
    doc["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .find(|p| p["SPDXID"] == id)
        .expect("the described package")
}

fn purls(package: &Value) -> Vec<&str> {
    package["externalRefs"]
        .as_array()
        .map(|refs| {
            refs.iter()
                .filter(|r| r["referenceType"] == "purl")
                .filter_map(|r| r["referenceLocator"].as_str())
                .collect()
        })
        .unwrap_or_default()
}

fn scan(path: &Path, extra: &[&str]) -> Value {
    let mut args: Vec<&OsStr> = vec![path.as_os_str()];
    args.extend(extra.iter().map(OsStr::new));
    scan_json(&args)
}

/// `bomsmith validate` accepts the document.
fn assert_valid(doc: &Value, dir: &Path) {
    let path = dir.join("out.spdx.json");
    std::fs::write(&path, serde_json::to_vec(doc).expect("JSON")).expect("write");
    let out = bomsmith()
        .arg("validate")
        .arg(&path)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "not valid: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn debian_packaging_tarball_name_was_split_at_the_wrong_dash() {
    // Was: name `curl_7.88.1`, version `10+deb12u15.debian`.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("curl_7.88.1-10+deb12u15.debian.tar.xz");
    python_tar(
        &path,
        "w:xz",
        &[
            (
                "debian/changelog",
                "curl (7.88.1-10+deb12u15) bookworm-security; urgency=medium\n",
            ),
            ("debian/control", "Source: curl\nSection: web\n"),
        ],
    );
    let doc = scan(&path, &[]);
    let r = root(&doc);
    assert_eq!(r["name"], "curl");
    assert_eq!(r["versionInfo"], "7.88.1-10+deb12u15");
    let info = r["sourceInfo"].as_str().expect("the source is recorded");
    assert!(info.contains("Debian packaging tarball"), "{info}");
    assert_valid(&doc, dir.path());
}

#[test]
fn debian_orig_tarball_had_no_version_although_its_top_directory_names_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("curl_7.88.1.orig.tar.gz");
    python_tar(
        &path,
        "w:gz",
        &[
            ("curl-7.88.1/README", "curl\n"),
            (
                "curl-7.88.1/src/tool_main.c",
                "int main(void) { return 0; }\n",
            ),
        ],
    );
    let doc = scan(&path, &[]);
    let r = root(&doc);
    assert_eq!(r["name"], "curl");
    assert_eq!(r["versionInfo"], "7.88.1");
    assert_eq!(
        r["sourceInfo"],
        "name and version from the top directory `curl-7.88.1`"
    );
    assert_eq!(r["packageFileName"], "curl_7.88.1.orig.tar.gz");
}

#[test]
fn cpython_under_its_debian_file_name_had_no_version() {
    let Some(tarball) = cpython_tarball() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let renamed = dir.path().join("python3.13_3.13.5.orig.tar.xz");
    std::os::unix::fs::symlink(&tarball, &renamed).expect("symlink");

    let doc = scan(&renamed, &[]);
    let r = root(&doc);
    assert_eq!(r["name"], "Python");
    assert_eq!(r["versionInfo"], "3.13.5");
    assert_eq!(
        r["sourceInfo"],
        "name and version from the top directory `Python-3.13.5`"
    );
    let comment = r["comment"].as_str().expect("the Debian name is kept");
    assert!(comment.contains("`python3.13`"), "{comment}");

    let doc = scan(&renamed, &["--preset", "cpython"]);
    let r = root(&doc);
    assert_eq!(r["name"], "CPython");
    assert_eq!(r["versionInfo"], "3.13.5");
    let cpe = r["externalRefs"]
        .as_array()
        .expect("refs")
        .iter()
        .find(|x| x["referenceType"] == "cpe23Type")
        .expect("a CPE");
    assert_eq!(
        cpe["referenceLocator"],
        "cpe:2.3:a:python:python:3.13.5:*:*:*:*:*:*:*"
    );
    // Download location and namespace name the file python.org published, not Debian's name
    // for it (no `python3.13_3.13.5.orig.tar.xz` exists there).
    assert_eq!(
        r["downloadLocation"],
        "https://www.python.org/ftp/python/3.13.5/Python-3.13.5.tar.xz"
    );
    assert_eq!(
        doc["documentNamespace"],
        "https://www.python.org/ftp/python/3.13.5/Python-3.13.5.tar.xz.spdx.json"
    );
}

#[test]
fn wheel_root_took_the_escaped_file_name_without_purl_or_licence() {
    // Expected values from the wheels' METADATA as `unzip -p` shows it: `Name: psycopg2-binary`,
    // `Version: 2.9.13`, `License: LGPL with exceptions`; pillow's `License-Expression: MIT-CMU`.
    let names = [
        "psycopg2_binary-2.9.13-cp313-cp313-macosx_11_0_arm64.whl",
        "psycopg2_binary-2.9.13-cp313-cp313-manylinux2014_x86_64.manylinux_2_17_x86_64.whl",
        "psycopg2_binary-2.9.13-cp313-cp313-win_amd64.whl",
    ];
    let dir = tempfile::tempdir().expect("tempdir");
    for name in names {
        let Some(wheel) = shared_file(&format!("binaries/{name}")) else {
            return;
        };
        let doc = scan(&wheel, &[]);
        let r = root(&doc);
        assert_eq!(r["name"], "psycopg2-binary", "{name}");
        assert_eq!(r["versionInfo"], "2.9.13", "{name}");
        assert_eq!(purls(r), ["pkg:pypi/psycopg2-binary@2.9.13"], "{name}");
        let licence = r["licenseDeclared"].as_str().expect("declared licence");
        assert!(licence.starts_with("LicenseRef-"), "{licence}");
        let extracted = doc["hasExtractedLicensingInfos"]
            .as_array()
            .expect("extracted licences")
            .iter()
            .find(|l| l["licenseId"] == licence)
            .expect("the LicenseRef is declared");
        assert_eq!(extracted["extractedText"], "LGPL with exceptions");
        assert_eq!(
            r["supplier"],
            "Person: Daniele Varrazzo (daniele.varrazzo@gmail.com)"
        );
        assert!(
            r["sourceInfo"]
                .as_str()
                .is_some_and(|s| s
                    .ends_with("from `psycopg2_binary-2.9.13.dist-info/METADATA` in the artifact")),
            "{}",
            r["sourceInfo"]
        );
        assert_valid(&doc, dir.path());
    }
    for name in [
        "pillow-13.0.0-cp313-cp313-win_amd64.whl",
        "pillow-13.0.0-cp313-cp313-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl",
    ] {
        let Some(wheel) = shared_file(&format!("binaries/{name}")) else {
            return;
        };
        let doc = scan(&wheel, &[]);
        let r = root(&doc);
        assert_eq!(r["name"], "pillow");
        assert_eq!(r["versionInfo"], "13.0.0");
        assert_eq!(r["licenseDeclared"], "MIT-CMU");
        assert_eq!(purls(r), ["pkg:pypi/pillow@13.0.0"]);
        assert!(doc.get("hasExtractedLicensingInfos").is_none());
    }
}

#[test]
fn sdist_pkg_info_was_ignored() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A PEP 625 name, a folded free-text licence, a Project-URL home page.
    let pkg_info = "Metadata-Version: 2.1\nName: Demo.Pkg\nVersion: 1.0.post2\nSummary: demo\n\
        Author: A. Author\nAuthor-email: a@example.org\nLicense: Demo Public Licence\n        \
        with an exception\nProject-URL: Home page, https://example.org/demo\n\n\
        Description: License: not a header\n";
    let path = dir.path().join("demo_pkg-1.0.post2.tar.gz");
    python_tar(
        &path,
        "w:gz",
        &[
            ("demo_pkg-1.0.post2/PKG-INFO", pkg_info),
            ("demo_pkg-1.0.post2/demo_pkg/__init__.py", ""),
        ],
    );
    let doc = scan(&path, &[]);
    let r = root(&doc);
    assert_eq!(r["name"], "Demo.Pkg");
    assert_eq!(r["versionInfo"], "1.0.post2");
    assert_eq!(purls(r), ["pkg:pypi/demo-pkg@1.0.post2"]);
    assert_eq!(r["homepage"], "https://example.org/demo");
    assert_eq!(r["supplier"], "Person: A. Author (a@example.org)");
    let licence = r["licenseDeclared"].as_str().expect("declared licence");
    let extracted = doc["hasExtractedLicensingInfos"]
        .as_array()
        .expect("extracted licences")
        .iter()
        .find(|l| l["licenseId"] == licence)
        .expect("the LicenseRef is declared");
    assert_eq!(
        extracted["extractedText"],
        "Demo Public Licence\nwith an exception"
    );
    assert_eq!(
        r["sourceInfo"],
        "name, version, declared licence, supplier, home page and PURL from `PKG-INFO` in the artifact"
    );
    assert_valid(&doc, dir.path());

    // A valid SPDX expression in License-Expression is taken as it is, over License.
    let pkg_info = "Metadata-Version: 2.4\nName: other\nVersion: 2\nLicense-Expression: MIT OR Apache-2.0\nLicense: ignored\n";
    let path = dir.path().join("renamed.tar.gz");
    python_tar(&path, "w:gz", &[("other-2/PKG-INFO", pkg_info)]);
    let doc = scan(&path, &[]);
    let r = root(&doc);
    assert_eq!(r["name"], "other");
    assert_eq!(r["licenseDeclared"], "MIT OR Apache-2.0");
    assert!(doc.get("hasExtractedLicensingInfos").is_none());

    // Identifiers match case-insensitively (SPDX 2.3 Annex D): `mit` is the listed MIT, and is
    // written as the list spells it, not as a LicenseRef.
    let pkg_info = "Metadata-Version: 2.1\nName: lower\nVersion: 3\nLicense: mit or apache-2.0\n";
    let path = dir.path().join("lower-3.tar.gz");
    python_tar(&path, "w:gz", &[("lower-3/PKG-INFO", pkg_info)]);
    let doc = scan(&path, &[]);
    assert_eq!(root(&doc)["licenseDeclared"], "MIT or Apache-2.0");
    assert!(doc.get("hasExtractedLicensingInfos").is_none());
    assert_valid(&doc, dir.path());
}

#[test]
fn npm_package_json_was_ignored() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A scoped package with a legacy licence object, packed as `npm pack` names it.
    let manifest = r#"{"name": "@demo/left-pad", "version": "1.3.0",
        "license": {"type": "WTFPL", "url": "http://www.wtfpl.net/"},
        "author": "Jane Doe <jane@example.org> (https://example.org)",
        "repository": {"type": "git", "url": "git+https://github.com/demo/left-pad.git"}}"#;
    let path = dir.path().join("demo-left-pad-1.3.0.tgz");
    python_tar(
        &path,
        "w:gz",
        &[
            ("package/package.json", manifest),
            ("package/index.js", "module.exports = 1;\n"),
        ],
    );
    let doc = scan(&path, &[]);
    let r = root(&doc);
    assert_eq!(r["name"], "@demo/left-pad");
    assert_eq!(r["versionInfo"], "1.3.0");
    assert_eq!(purls(r), ["pkg:npm/%40demo/left-pad@1.3.0"]);
    assert_eq!(r["licenseDeclared"], "WTFPL");
    assert_eq!(r["supplier"], "Person: Jane Doe (jane@example.org)");
    assert_eq!(r["homepage"], "https://github.com/demo/left-pad");
    assert_valid(&doc, dir.path());

    let Some(sqlite3) = npm_sqlite3() else {
        return;
    };
    let doc = scan(&sqlite3, &[]);
    let r = root(&doc);
    assert_eq!(r["name"], "sqlite3");
    assert_eq!(r["versionInfo"], "5.1.7");
    assert_eq!(purls(r), ["pkg:npm/sqlite3@5.1.7"]);
    assert_eq!(r["licenseDeclared"], "BSD-3-Clause");
    assert_eq!(r["homepage"], "https://github.com/TryGhost/node-sqlite3");
    assert_valid(&doc, dir.path());
}

#[test]
fn malformed_package_json_is_named_with_its_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("broken-1.0.0.tgz");
    python_tar(
        &path,
        "w:gz",
        &[(
            "package/package.json",
            "{\n  \"name\": \"broken\",\n  \"version\": \n}",
        )],
    );
    let out = bomsmith().arg("scan").arg(&path).output().expect("runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("broken-1.0.0.tgz!package.json:4:"), "{err}");
}

#[test]
fn two_different_sboms_of_one_artifact_shared_one_namespace() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("tool-2.1.tar.gz");
    python_tar(
        &path,
        "w:gz",
        &[
            ("tool-2.1/src/main.c", "int main(void) { return 0; }\n"),
            ("tool-2.1/tests/t.c", "int t;\n"),
        ],
    );
    let namespace = |args: &[&str]| -> String {
        scan(&path, args)["documentNamespace"]
            .as_str()
            .expect("a namespace")
            .to_owned()
    };
    let plain = namespace(&[]);
    assert!(
        plain.starts_with("https://spdx.org/spdxdocs/tool-2.1-"),
        "{plain}"
    );
    // The same input and options give the same namespace.
    assert_eq!(plain, namespace(&[]));
    let excluded = namespace(&["--exclude", "tests/**"]);
    let sha512 = namespace(&["--sha512"]);
    assert_ne!(plain, excluded);
    assert_ne!(plain, sha512);
    assert_ne!(excluded, sha512);
    // A different creation time is a different document.
    let later = bomsmith()
        .env("SOURCE_DATE_EPOCH", "1700000001")
        .arg("scan")
        .arg(&path)
        .output()
        .expect("runs");
    let later: Value = serde_json::from_slice(&later.stdout).expect("JSON");
    assert_ne!(later["documentNamespace"].as_str(), Some(plain.as_str()));
    // The CycloneDX serial number follows the namespace.
    let serial = |args: &[&str]| -> String {
        let mut all = vec!["-f", "cyclonedx-json"];
        all.extend_from_slice(args);
        scan(&path, &all)["serialNumber"]
            .as_str()
            .expect("a serial number")
            .to_owned()
    };
    assert_eq!(serial(&[]), serial(&[]));
    assert_ne!(serial(&[]), serial(&["--exclude", "tests/**"]));
}
