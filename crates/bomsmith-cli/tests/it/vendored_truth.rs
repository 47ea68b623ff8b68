//! Vendored code found in real source packages, against truth tables established by hand
//! (`tests/data/vendored/*.toml`: each copy's root, its version and the file and line stating
//! it). The packages are Debian's source tarballs, fetched by `.ci/run` into
//! `$BOMSMITH_SRCPKGS` and checked by SHA-256.

use crate::util::{bomsmith, file_sha256, missing, npm_sqlite3};
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
    top: Option<String>,
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
    missing(&msg)
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
    // A copy whose source states no version says so, and has no CPE without one.
    for name in ["libb2", "tiny_sha3"] {
        let c = by_name(name);
        assert_eq!(c["version"], "NOASSERTION", "{name}: {c}");
        assert!(c["cpe"].is_null(), "{name}: {c}");
    }
    // pip names its maintainers in the METADATA inside the wheel.
    assert_eq!(
        by_name("pip")["supplier"]["name"],
        "The pip developers",
        "{}",
        by_name("pip")
    );
    // Both documents are valid (bomsmith's own validator; CI adds pyspdxtools and
    // cyclonedx-python-lib on the same scans).
    let check = bomsmith()
        .arg("validate")
        .arg(&cdx)
        .arg(&spdx)
        .output()
        .expect("runs");
    assert!(
        check.status.success(),
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
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

/// A sample file of `samples.toml`, checked against its SHA-256, as [`source_package`] finds
/// the source packages.
fn sample(file: &str) -> Option<PathBuf> {
    #[derive(Deserialize)]
    struct Samples {
        sample: Vec<Source>,
    }
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/vendored/samples.toml");
    let samples: Samples =
        toml::from_str(&std::fs::read_to_string(path).expect("samples")).expect("samples parse");
    let s = samples
        .sample
        .into_iter()
        .find(|s| s.file == file)
        .expect("listed sample");
    source_package(&s)
}

/// The member `name` of the gzip-compressed tar `bytes`, read by the test itself.
fn tar_gz_member(bytes: &[u8], name: &str) -> Vec<u8> {
    use std::io::Read;
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes));
    for entry in archive.entries().expect("tar") {
        let mut entry = entry.expect("entry");
        if entry.path().expect("path").to_string_lossy() == name {
            let mut out = Vec::new();
            entry.read_to_end(&mut out).expect("read");
            return out;
        }
    }
    panic!("no member {name}");
}

/// A crate's directory in Cargo's registry sources (the dependencies of this workspace, at
/// the versions Cargo.lock pins; present wherever the workspace was built).
fn registry_crate(name: &str) -> PathBuf {
    let lock: toml::Table = toml::from_str(
        &std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.lock"),
        )
        .expect("Cargo.lock"),
    )
    .expect("lock parses");
    let version = lock["package"]
        .as_array()
        .expect("packages")
        .iter()
        .find(|p| p["name"].as_str() == Some(name))
        .and_then(|p| p["version"].as_str())
        .unwrap_or_else(|| panic!("{name} is not in Cargo.lock"))
        .to_owned();
    let home = std::env::var_os("CARGO_HOME").map_or_else(
        || PathBuf::from(std::env::var_os("HOME").expect("HOME")).join(".cargo"),
        PathBuf::from,
    );
    let src = home.join("registry/src");
    std::fs::read_dir(&src)
        .expect("registry sources")
        .filter_map(|d| Some(d.ok()?.path().join(format!("{name}-{version}"))))
        .find(|p| p.is_dir())
        .unwrap_or_else(|| panic!("{name}-{version} not under {}", src.display()))
}

fn read_statement(path: &str, bytes: &[u8]) -> Vec<(Option<String>, String, usize)> {
    bomsmith::detect::statement::read(path, &String::from_utf8_lossy(bytes))
        .into_iter()
        .map(|f| (f.name, f.stated.version, f.stated.line))
        .collect()
}

/// Every kind of version statement read from real files: the source packages, the samples,
/// the npm sqlite3 package, and crates in Cargo's registry. Accepted statements give the
/// name, version and line the file states; templates give nothing.
#[test]
fn every_statement_kind_on_real_bytes() {
    let (Some(cmake), Some(redis), Some(pixman), Some(tomli)) = (
        source_package(&truth("cmake-3.25.1").source),
        source_package(&truth("redis-7.0.15").source),
        sample("pixman_0.42.2.orig.tar.gz"),
        sample("tomli-2.0.1.tar.gz"),
    ) else {
        return;
    };
    let read = |p: &PathBuf| std::fs::read(p).expect("reads");
    let (cmake, redis, pixman, tomli) = (read(&cmake), read(&redis), read(&pixman), read(&tomli));
    let one = |path: &str, bytes: &[u8]| {
        let got = read_statement(path, bytes);
        assert_eq!(got.len(), 1, "{path}: {got:?}");
        let (n, v, l) = got.into_iter().next().expect("one");
        (n.unwrap_or_default(), v, l)
    };
    let s = |a: &str, b: &str, l: usize| (a.to_owned(), b.to_owned(), l);

    // CMake project(... VERSION ...), and a template that is none.
    let f = "cmake-3.25.1/Help/guide/tutorial/Complete/CMakeLists.txt";
    assert_eq!(one(f, &tar_gz_member(&cmake, f)), s("Tutorial", "1.0", 4));
    let xz = registry_crate("liblzma-sys").join("xz/CMakeLists.txt");
    assert!(read_statement("xz/CMakeLists.txt", &read(&xz)).is_empty());
    // meson project(version:), autoconf AC_INIT (literal, and macros that are not versions).
    let f = "pixman-0.42.2/meson.build";
    assert_eq!(
        one(f, &tar_gz_member(&pixman, f)),
        s("pixman", "0.42.2", 21)
    );
    let f = "pixman-0.42.2/configure.ac";
    assert!(read_statement(f, &tar_gz_member(&pixman, f)).is_empty());
    let f = "redis-7.0.15/deps/jemalloc/configure.ac";
    assert!(read_statement(f, &tar_gz_member(&redis, f)).is_empty());
    if let Some(npm) = npm_sqlite3() {
        let npm = read(&npm);
        let inner = tar_gz_member(&npm, "package/deps/sqlite-autoconf-3440200.tar.gz");
        let f = "sqlite-autoconf-3440200/configure.ac";
        assert_eq!(one(f, &tar_gz_member(&inner, f)), s("sqlite", "3.44.2", 13));
        // package.json.
        let f = "package/package.json";
        let (name, version, _) = one(f, &tar_gz_member(&npm, f));
        assert_eq!((name.as_str(), version.as_str()), ("sqlite3", "5.1.7"));
    }
    // Cargo.toml; pyproject.toml (literal, and dynamic); PKG-INFO.
    let (name, version, _) = one(
        "Cargo.toml",
        &read(&registry_crate("zstd-sys").join("Cargo.toml")),
    );
    assert_eq!(name, "zstd-sys");
    assert!(
        version.starts_with("2.") && version.contains("+zstd."),
        "{version}"
    );
    let f = "tomli-2.0.1/pyproject.toml";
    assert_eq!(one(f, &tar_gz_member(&tomli, f)), s("tomli", "2.0.1", 7));
    let f = "tomli-2.0.1/PKG-INFO";
    assert_eq!(one(f, &tar_gz_member(&tomli, f)), s("tomli", "2.0.1", 3));
    // VERSION files (a `git describe` suffix naming no commit past the tag dropped).
    let f = "redis-7.0.15/deps/jemalloc/VERSION";
    assert_eq!(one(f, &tar_gz_member(&redis, f)), s("", "5.2.1", 1));
    // Header macros: whole, composed from parts, and a library not in the table (xxHash
    // inside zstd, lower confidence: named by its prefix).
    let f = "cmake-3.25.1/Utilities/cmcurl/include/curl/curlver.h";
    assert_eq!(
        one(f, &tar_gz_member(&cmake, f)),
        s("libcurl", "7.86.0", 35)
    );
    let f = "redis-7.0.15/deps/hiredis/hiredis.h";
    assert_eq!(one(f, &tar_gz_member(&redis, f)), s("hiredis", "1.0.3", 48));
    let f = "cmake-3.25.1/Utilities/cmzstd/lib/common/xxhash.h";
    assert_eq!(one(f, &tar_gz_member(&cmake, f)), s("xxh", "0.6.2", 130));
}

/// Git submodules (the zstd crate's real `.gitmodules`) and sdists bundled in a tree (the
/// real tomli sdist, named and versioned by the PKG-INFO inside) are candidates.
#[test]
fn submodules_and_bundled_sdists_are_candidates() {
    let Some(tomli) = sample("tomli-2.0.1.tar.gz") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("vendor")).expect("mkdir");
    // A name that says nothing: the version comes from inside.
    std::fs::copy(&tomli, dir.path().join("vendor/tomli-2.0.1.tar.gz")).expect("copy");
    std::fs::copy(
        registry_crate("zstd").join(".gitmodules"),
        dir.path().join(".gitmodules"),
    )
    .expect("copy");
    let found = detect(&dir.path().to_path_buf());
    let (version, evidence) = &found["vendor/tomli-2.0.1.tar.gz"];
    assert_eq!(version.as_deref(), Some("2.0.1"));
    assert!(
        evidence
            .iter()
            .any(|e| e.starts_with("vendor/tomli-2.0.1.tar.gz!tomli-2.0.1/PKG-INFO:3:")),
        "{evidence:?}"
    );
    let (version, evidence) = &found["zstd-safe/zstd-sys/zstd"];
    assert_eq!(version, &None);
    assert!(
        evidence
            .iter()
            .any(|e| e.contains("https://github.com/facebook/zstd")),
        "{evidence:?}"
    );
}

/// A tree and its tarball give the same candidates, evidence and all (the same headers are
/// read from both): redis's source package, and the tree the test extracts from it.
#[test]
fn a_tree_and_its_tarball_give_the_same_candidates() {
    let t = truth("redis-7.0.15");
    let Some(archive) = source_package(&t.source) else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let bytes = std::fs::read(&archive).expect("reads");
    tar::Archive::new(flate2::read::GzDecoder::new(bytes.as_slice()))
        .unpack(dir.path())
        .expect("unpacks");
    let tree = dir.path().join(t.source.top.as_deref().expect("top"));
    let from_tree = bomsmith()
        .args(["vendor", "detect", "--no-git", "--format", "json"])
        .arg(&tree)
        .output()
        .expect("runs");
    let from_archive = bomsmith()
        .args(["vendor", "detect", "--format", "json"])
        .arg(&archive)
        .output()
        .expect("runs");
    assert!(from_tree.status.success() && from_archive.status.success());
    assert_eq!(
        String::from_utf8_lossy(&from_tree.stdout),
        String::from_utf8_lossy(&from_archive.stdout)
    );
}
