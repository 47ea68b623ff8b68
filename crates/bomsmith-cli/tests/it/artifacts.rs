//! CPython's Windows and macOS release artifacts with the `cpython` presets: the official
//! 3.13.2 embeddable package and the python.org 3.12.0 framework files from `../shared`, macOS
//! installer packages built here by independent writers (GNU cpio, gzip, xz and bsdtar's xar
//! writer; the pbzx framing assembled by the test), the NuGet, install manager and installed
//! layouts of the embeddable package's files, and the cross-check against the 3.13.5 source.

use crate::binaries::embeddable_zip;
use crate::util::{
    bomsmith, cpython_tarball, file_sha256, missing, sha1_hex, sha256_hex, shared_file,
};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Scans `input` with `args` (a successful run), returning the SPDX document and stderr.
fn scan(input: &Path, args: &[&str]) -> (Value, String) {
    let out = bomsmith()
        .arg("scan")
        .arg(input)
        .args(args)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "scan {}: {stderr}", input.display());
    (
        serde_json::from_slice(&out.stdout).expect("SPDX JSON"),
        stderr,
    )
}

/// name → version of every package.
fn packages(doc: &Value) -> BTreeMap<String, String> {
    doc["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|p| {
            (
                p["name"].as_str().expect("name").to_owned(),
                p["versionInfo"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

/// The package called `name`.
fn package<'a>(doc: &'a Value, name: &str) -> &'a Value {
    doc["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("no package {name}"))
}

/// (from, type, to) of every relationship, with packages named by name and files by file name.
fn relationships(doc: &Value) -> BTreeSet<(String, String, String)> {
    let mut names = BTreeMap::new();
    for p in doc["packages"].as_array().expect("packages") {
        names.insert(
            p["SPDXID"].as_str().expect("id"),
            p["name"].as_str().expect("n"),
        );
    }
    for f in doc["files"].as_array().expect("files") {
        names.insert(
            f["SPDXID"].as_str().expect("id"),
            f["fileName"].as_str().expect("n"),
        );
    }
    let name = |id: &str| names.get(id).map_or(id.to_owned(), |n| (*n).to_owned());
    doc["relationships"]
        .as_array()
        .expect("relationships")
        .iter()
        .map(|r| {
            (
                name(r["spdxElementId"].as_str().expect("from")),
                r["relationshipType"].as_str().expect("type").to_owned(),
                name(r["relatedSpdxElement"].as_str().expect("to")),
            )
        })
        .collect()
}

/// fileName → (SHA1, SHA256) of an SPDX document; every file must have both.
fn checksums(doc: &Value) -> BTreeMap<String, (String, String)> {
    crate::util::file_checksums(doc)
        .into_iter()
        .map(|(name, sums)| {
            let get = |alg: &str| {
                sums.get(alg)
                    .unwrap_or_else(|| panic!("{name} has no {alg}"))
                    .clone()
            };
            let pair = (get("SHA1"), get("SHA256"));
            (name.trim_start_matches("./").to_owned(), pair)
        })
        .collect()
}

/// The regular members of a zip: name → bytes.
fn zip_members(path: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).expect("zip")).expect("zip");
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut m = zip.by_index(i).expect("member");
        if m.is_dir() {
            continue;
        }
        let name = m.name().expect("name").to_string();
        let mut bytes = Vec::new();
        m.read_to_end(&mut bytes).expect("member bytes");
        out.insert(name, bytes);
    }
    out
}

/// Writes `members` (name → bytes) to a new deflated zip at `path`.
fn write_zip(path: &Path, members: &BTreeMap<String, Vec<u8>>) {
    let mut w = zip::ZipWriter::new(std::fs::File::create(path).expect("zip"));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in members {
        w.start_file(name.as_str(), options).expect("member");
        w.write_all(bytes).expect("member");
    }
    w.finish().expect("zip");
}

/// A tool the test needs (an independent writer); `None`, with a note, when absent outside CI.
fn tool(name: &str, package: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    });
    found.or_else(|| {
        missing(&format!(
            "`{name}` not found: the macOS package tests build packages with it (Debian: {package})"
        ))
    })
}

fn run(cmd: &mut Command) -> Vec<u8> {
    let out = cmd.output().expect("tool runs");
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// A cpio archive (odc, as Apple's payloads are) of the tree at `root`, by GNU cpio.
fn cpio_odc(root: &Path) -> Vec<u8> {
    let mut names = run(Command::new("find").arg(".").current_dir(root));
    let mut list: Vec<&[u8]> = names
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    list.sort();
    let sorted: Vec<u8> = list.join(&b'\n');
    names = sorted;
    names.push(b'\n');
    let mut child = Command::new("cpio")
        .args(["-o", "-H", "odc", "--quiet"])
        .current_dir(root)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("cpio runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&names)
        .expect("names");
    let out = child.wait_with_output().expect("cpio");
    assert!(out.status.success(), "cpio failed");
    out.stdout
}

/// `data` through a command's standard input.
fn pipe(program: &str, args: &[&str], data: &[u8]) -> Vec<u8> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let data = data.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&data));
    let out = child.wait_with_output().expect("output");
    writer.join().expect("writer").expect("write");
    assert!(out.status.success(), "{program} failed");
    out.stdout
}

/// A pbzx stream of `data`: the `pbzx` magic and chunk size, then each chunk's uncompressed and
/// stored sizes (big-endian) and bytes; the first half compressed by the `xz` tool, the second
/// stored as it is (as Apple's writer stores what does not compress).
fn pbzx(data: &[u8]) -> Vec<u8> {
    let half = data.len() / 2;
    let first = pipe("xz", &["--format=xz", "-c"], &data[..half]);
    let mut out = b"pbzx".to_vec();
    out.extend(0x0100_0000u64.to_be_bytes());
    out.extend((half as u64).to_be_bytes());
    out.extend((first.len() as u64).to_be_bytes());
    out.extend(&first);
    let rest = &data[half..];
    out.extend((rest.len() as u64).to_be_bytes());
    out.extend((rest.len() as u64).to_be_bytes());
    out.extend(rest);
    out
}

/// The regular files of the tree at `root`: path (from `root`) → bytes.
fn tree_files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).expect("dir") {
            let e = e.expect("entry");
            let t = e.file_type().expect("type");
            if t.is_dir() {
                stack.push(e.path());
            } else if t.is_file() {
                let rel = e
                    .path()
                    .strip_prefix(root)
                    .expect("inside")
                    .to_string_lossy()
                    .into_owned();
                out.insert(rel, std::fs::read(e.path()).expect("file"));
            }
        }
    }
    out
}

/// A macOS installer package like python.org's, built in `dir`: `Python_Framework.pkg` whose
/// payload (gzip cpio) holds the shared 3.12.0 framework files under `Versions/3.12/`, with a
/// hard link, a symlink, an empty file and a directory; `Python_Command_Line_Tools.pkg` whose
/// payload is a pbzx stream and whose `Scripts` are a gzip cpio. Returns the package's path and
/// the payload files it must list (path in the SBOM → bytes).
fn python_pkg(dir: &Path) -> Option<(PathBuf, BTreeMap<String, Vec<u8>>)> {
    tool("bsdtar", "libarchive-tools")?;
    tool("cpio", "cpio")?;
    tool("xz", "xz-utils")?;
    let framework = shared_file("macos/python.org-framework-3.12.0")?;
    let fw = dir.join("framework");
    let versions = fw.join("Versions/3.12");
    std::fs::create_dir_all(versions.join("lib/empty-dir")).expect("dirs");
    for e in std::fs::read_dir(&framework).expect("framework") {
        let e = e.expect("entry");
        std::fs::copy(e.path(), versions.join(e.file_name())).expect("copy");
    }
    std::fs::write(versions.join("lib/empty.txt"), b"").expect("empty");
    std::fs::hard_link(
        versions.join("LICENSE.txt"),
        versions.join("LICENSE-copy.txt"),
    )
    .expect("hard link");
    std::os::unix::fs::symlink("3.12", fw.join("Versions/Current")).expect("symlink");

    let tools = dir.join("tools");
    std::fs::create_dir_all(tools.join("bin")).expect("dirs");
    std::fs::write(
        tools.join("bin/idle3.12"),
        b"#!/bin/sh\nexec python3.12 -m idlelib\n",
    )
    .expect("script");
    std::fs::write(tools.join("bin/notes.txt"), "text ".repeat(4000)).expect("text");
    let scripts = dir.join("scripts");
    std::fs::create_dir_all(&scripts).expect("dirs");
    std::fs::write(scripts.join("postinstall"), b"#!/bin/sh\nexit 0\n").expect("script");

    let flat = dir.join("flat");
    for c in [
        "Python_Framework.pkg",
        "Python_Command_Line_Tools.pkg",
        "Resources",
    ] {
        std::fs::create_dir_all(flat.join(c)).expect("dirs");
    }
    let gz = |data: &[u8]| pipe("gzip", &["-n", "-9"], data);
    std::fs::write(
        flat.join("Python_Framework.pkg/Payload"),
        gz(&cpio_odc(&fw)),
    )
    .expect("w");
    std::fs::write(
        flat.join("Python_Command_Line_Tools.pkg/Payload"),
        pbzx(&cpio_odc(&tools)),
    )
    .expect("w");
    std::fs::write(
        flat.join("Python_Command_Line_Tools.pkg/Scripts"),
        gz(&cpio_odc(&scripts)),
    )
    .expect("w");
    for c in ["Python_Framework.pkg", "Python_Command_Line_Tools.pkg"] {
        std::fs::write(
            flat.join(c).join("PackageInfo"),
            format!("<pkg-info identifier=\"org.python.{c}\"/>\n"),
        )
        .expect("w");
    }
    std::fs::write(flat.join("Distribution"), b"<installer-gui-script/>\n").expect("w");
    std::fs::write(flat.join("Resources/Welcome.rtf"), b"{\\rtf1 Welcome}\n").expect("w");
    let pkg = dir.join("python-3.12.0-macos11.pkg");
    run(Command::new("bsdtar")
        .args(["--format", "xar", "-cf"])
        .arg(&pkg)
        .args([
            "Distribution",
            "Resources",
            "Python_Framework.pkg",
            "Python_Command_Line_Tools.pkg",
        ])
        .current_dir(&flat));

    let mut expected = BTreeMap::new();
    for (path, bytes) in tree_files(&fw) {
        expected.insert(format!("Python_Framework.pkg/Payload/{path}"), bytes);
    }
    for (path, bytes) in tree_files(&tools) {
        expected.insert(
            format!("Python_Command_Line_Tools.pkg/Payload/{path}"),
            bytes,
        );
    }
    for (path, bytes) in tree_files(&scripts) {
        expected.insert(
            format!("Python_Command_Line_Tools.pkg/Scripts/{path}"),
            bytes,
        );
    }
    Some((pkg, expected))
}

#[test]
fn embeddable_zip_is_described_from_its_bytes() {
    let Some(zip) = embeddable_zip() else { return };
    let (doc, stderr) = scan(&zip, &["--preset", "cpython"]);
    assert!(
        stderr.contains("preset cpython-windows (it holds a python3NN.dll)"),
        "{stderr}"
    );
    let want: BTreeMap<String, String> = [
        ("CPython", "3.13.2"),
        ("openssl", "3.0.15"),
        ("sqlite", "3.45.3"),
        ("expat", "2.6.4"),
        ("libffi", "3.4.4"),
        ("bzip2", "1.0.8"),
        ("mpdecimal", "4.0.0"),
        ("zlib", "1.3.1"),
        ("msvc-runtime", "14.42.34226.3"),
        ("xz", "NOASSERTION"),
    ]
    .into_iter()
    .map(|(n, v)| (n.to_owned(), v.to_owned()))
    .collect();
    // Exactly these: no Tcl/Tk (not in the embeddable package), no macholib, no libb2, no pip.
    assert_eq!(packages(&doc), want);

    let root = package(&doc, "CPython");
    assert_eq!(root["packageFileName"], "python-3.13.2-embed-amd64.zip");
    assert_eq!(root["supplier"], "Organization: Python Software Foundation");
    assert_eq!(
        root["checksums"][0],
        serde_json::json!({"algorithm": "SHA256", "checksumValue": file_sha256(&zip)})
    );
    assert_eq!(
        root["externalRefs"][0]["referenceLocator"],
        "cpe:2.3:a:python:python:3.13.2:*:*:*:*:*:*:*"
    );
    assert_eq!(
        doc["documentNamespace"],
        "https://www.python.org/ftp/python/3.13.2/python-3.13.2-embed-amd64.zip.spdx.json"
    );
    // Each library's own publisher is its originator; the PSF, which ships it, its supplier.
    let openssl = package(&doc, "openssl");
    assert_eq!(
        openssl["supplier"],
        "Organization: Python Software Foundation"
    );
    assert_eq!(
        openssl["originator"],
        "Organization: OpenSSL Software Foundation"
    );

    let rels = relationships(&doc);
    let has = |from: &str, kind: &str, to: &str| {
        assert!(
            rels.contains(&(from.to_owned(), kind.to_owned(), to.to_owned())),
            "missing {from} {kind} {to}"
        );
    };
    has("SPDXRef-DOCUMENT", "DESCRIBES", "CPython");
    for (lib, file) in [
        ("openssl", "libcrypto-3.dll"),
        ("openssl", "libssl-3.dll"),
        ("sqlite", "sqlite3.dll"),
        ("libffi", "libffi-8.dll"),
        ("msvc-runtime", "vcruntime140.dll"),
        ("msvc-runtime", "vcruntime140_1.dll"),
        ("CPython", "python313.dll"),
        ("CPython", "python313.zip"),
        ("CPython", "pyexpat.pyd"),
    ] {
        has(lib, "CONTAINS", file);
    }
    for (file, lib) in [
        ("pyexpat.pyd", "expat"),
        ("_bz2.pyd", "bzip2"),
        ("_decimal.pyd", "mpdecimal"),
        ("_lzma.pyd", "xz"),
        ("python313.dll", "zlib"),
    ] {
        has(file, "STATIC_LINK", lib);
        has("CPython", "DEPENDS_ON", lib);
    }

    // Every member, with both checksums as the test computes them; the standard library's zip
    // is one file.
    let members = zip_members(&zip);
    let sums = checksums(&doc);
    assert_eq!(
        sums.keys().collect::<Vec<_>>(),
        members.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &members {
        assert_eq!(sums[name], (sha1_hex(bytes), sha256_hex(bytes)), "{name}");
    }

    // Asked for, the standard library's zip is looked into.
    let (nested, _) = scan(&zip, &["--preset", "cpython", "--nested-depth", "1", "-q"]);
    let names = checksums(&nested);
    assert!(
        names.keys().any(|n| n.starts_with("python313.zip!")),
        "no nested names"
    );
    assert!(names.len() > members.len() + 100);

    // CycloneDX: the same components.
    let out = bomsmith()
        .arg("scan")
        .arg(&zip)
        .args(["--preset", "cpython", "-q", "-f", "cyclonedx-json"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let cdx: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(cdx["metadata"]["component"]["name"], "CPython");
    let mut names: Vec<&str> = cdx["components"]
        .as_array()
        .expect("components")
        .iter()
        .filter(|c| c["type"] == "library")
        .filter_map(|c| c["name"].as_str())
        .collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "bzip2",
            "expat",
            "libffi",
            "mpdecimal",
            "msvc-runtime",
            "openssl",
            "sqlite",
            "xz",
            "zlib"
        ]
    );
}

#[test]
fn vulns_on_the_embeddable_zip() {
    let Some(zip) = embeddable_zip() else { return };
    let Some(advisories) = shared_file("advisories") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let sbom = dir.path().join("embed.spdx.json");
    bomsmith()
        .arg("scan")
        .arg(&zip)
        .args(["--preset", "cpython", "-q", "-o"])
        .arg(&sbom)
        .assert()
        .success();
    let out = bomsmith()
        .arg("vulns")
        .arg(&sbom)
        .arg("--db")
        .arg(&advisories)
        .output()
        .expect("runs");
    let report = String::from_utf8_lossy(&out.stdout);
    for (id, component) in [("CVE-2025-6965", "sqlite"), ("CVE-2025-59375", "expat")] {
        assert!(
            report
                .lines()
                .any(|l| l.starts_with(component) && l.contains(id)),
            "{id} for {component}: {report}"
        );
    }
    // Fixed in expat 2.6.3: the 2.6.4 of the embeddable package is not affected.
    assert!(!report.contains("CVE-2024-45490"), "{report}");
}

#[test]
fn macos_framework_files() {
    let Some(framework) = shared_file("macos/python.org-framework-3.12.0") else {
        return;
    };
    let (doc, stderr) = scan(&framework, &["--preset", "cpython"]);
    assert!(stderr.contains("preset cpython-macos"), "{stderr}");
    let want: BTreeMap<String, String> = [
        ("CPython", "3.12.0"),
        ("sqlite", "3.42.0"),
        ("expat", "2.5.0"),
        ("xz", "5.2.3"),
        ("mpdecimal", "2.5.1"),
        ("ncurses", "5.9.20120616"),
        // libssl states no version, and libcrypto is not among the files.
        ("openssl", "NOASSERTION"),
    ]
    .into_iter()
    .map(|(n, v)| (n.to_owned(), v.to_owned()))
    .collect();
    // No libffi, zlib or bzip2 (macOS provides them), no Tcl/Tk (only referenced).
    assert_eq!(packages(&doc), want);
    // A directory was not downloaded as a file.
    assert_eq!(package(&doc, "CPython")["downloadLocation"], "NOASSERTION");
}

#[test]
fn macos_installer_package_round_trips() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some((pkg, expected)) = python_pkg(dir.path()) else {
        return;
    };
    let (doc, stderr) = scan(&pkg, &["--preset", "cpython"]);
    assert!(
        stderr.contains("preset cpython-macos (a macOS installer package)"),
        "{stderr}"
    );
    let sums = checksums(&doc);
    for (path, bytes) in &expected {
        assert_eq!(
            sums.get(path),
            Some(&(sha1_hex(bytes), sha256_hex(bytes))),
            "{path}"
        );
    }
    // Besides the payloads: the package's own files, and nothing else.
    let rest: BTreeSet<&str> = sums
        .keys()
        .map(String::as_str)
        .filter(|p| !expected.contains_key(*p))
        .collect();
    assert_eq!(
        rest,
        BTreeSet::from([
            "Distribution",
            "Python_Command_Line_Tools.pkg/PackageInfo",
            "Python_Framework.pkg/PackageInfo",
            "Resources/Welcome.rtf",
        ])
    );
    // The libraries in the payload's binaries, as in the framework itself.
    let found = packages(&doc);
    assert_eq!(found["CPython"], "3.12.0");
    assert_eq!(found["sqlite"], "3.42.0");
    assert_eq!(found["expat"], "2.5.0");
    assert_eq!(
        package(&doc, "CPython")["packageFileName"],
        "python-3.12.0-macos11.pkg"
    );
}

/// The xar header's table-of-contents fields and the table, inflated.
fn toc_of(pkg: &[u8]) -> (usize, usize, String) {
    let header = usize::from(u16::from_be_bytes([pkg[4], pkg[5]]));
    let packed = u64::from_be_bytes(pkg[8..16].try_into().expect("8 bytes")) as usize;
    let mut toc = String::new();
    flate2::read::ZlibDecoder::new(&pkg[header..header + packed])
        .read_to_string(&mut toc)
        .expect("table of contents");
    (header, packed, toc)
}

/// The package with its table of contents edited by `edit`, recompressed, the header's sizes
/// and the table's SHA-1 in the heap (at offset 0, as bsdtar writes it) made right again.
fn edit_toc(pkg: &[u8], edit: impl Fn(&str) -> String) -> Vec<u8> {
    use sha1::Digest;
    let (header, packed, toc) = toc_of(pkg);
    let new_toc = edit(&toc);
    assert_ne!(new_toc, toc, "the edit changes the table");
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(new_toc.as_bytes()).expect("compress");
    let compressed = z.finish().expect("compress");
    let mut out = pkg[..header].to_vec();
    out[8..16].copy_from_slice(&(compressed.len() as u64).to_be_bytes());
    out[16..24].copy_from_slice(&(new_toc.len() as u64).to_be_bytes());
    out.extend(&compressed);
    let mut heap = pkg[header + packed..].to_vec();
    heap[..20].copy_from_slice(&sha1::Sha1::digest(&compressed));
    out.extend(heap);
    out
}

/// Scans `bytes` written as `name` and expects a clean failure whose message holds each of
/// `want`; no output is written.
fn refused(dir: &Path, name: &str, bytes: &[u8], want: &[&str]) {
    let input = dir.join(name);
    std::fs::write(&input, bytes).expect("write");
    let output = dir.join(format!("{name}.spdx.json"));
    let out = bomsmith()
        .arg("scan")
        .arg(&input)
        .args(["--preset", "cpython", "-o"])
        .arg(&output)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{name}: accepted");
    assert!(!stderr.contains("panicked"), "{stderr}");
    for w in want {
        assert!(stderr.contains(w), "{name}: `{w}` not in: {stderr}");
    }
    assert!(!output.exists(), "{name}: output written");
}

#[test]
fn hostile_installer_packages_fail_cleanly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some((pkg, _)) = python_pkg(dir.path()) else {
        return;
    };
    let good = std::fs::read(&pkg).expect("package");
    let (header, packed, toc) = toc_of(&good);

    // A corrupt table of contents: one byte of its compressed stream changed.
    let mut bad = good.clone();
    bad[header + packed / 2] ^= 0x55;
    refused(
        dir.path(),
        "bad-toc.pkg",
        &bad,
        &["bad-toc.pkg", "table of contents"],
    );

    // A table whose checksum is not the heap's.
    let mut bad = good.clone();
    bad[header + packed] ^= 1;
    refused(
        dir.path(),
        "bad-toc-sum.pkg",
        &bad,
        &["table of contents checksum mismatch"],
    );

    // Lying sizes: the Distribution file's length runs past the heap; its size, past its data.
    let heap = good.len() - header - packed;
    let at = toc.find("<name>Distribution</name>").expect("Distribution");
    let length_at = at + toc[at..].find("<length>").expect("length");
    let lying = edit_toc(&good, |t| {
        let end = length_at + t[length_at..].find("</length>").expect("end");
        format!("{}<length>{}{}", &t[..length_at], heap * 2, &t[end..])
    });
    refused(
        dir.path(),
        "lying-length.pkg",
        &lying,
        &[
            "lying-length.pkg",
            "member `Distribution`",
            "declared size lies",
        ],
    );
    let size_at = at + toc[at..].find("<size>").expect("size");
    let lying = edit_toc(&good, |t| {
        let end = size_at + t[size_at..].find("</size>").expect("end");
        format!("{}<size>99999{}", &t[..size_at], &t[end..])
    });
    refused(
        dir.path(),
        "lying-size.pkg",
        &lying,
        &["member `Distribution`"],
    );

    // A name that climbs out of the archive.
    let climbing = edit_toc(&good, |t| {
        t.replacen("<name>Distribution</name>", "<name>..</name>", 1)
    });
    refused(
        dir.path(),
        "climbing.pkg",
        &climbing,
        &["climbing.pkg", "`..`"],
    );

    // Path traversal in a payload, written by GNU cpio as it was given.
    let Some(_) = tool("cpio", "cpio") else {
        return;
    };
    let inner = dir.path().join("t/a/b");
    std::fs::create_dir_all(&inner).expect("dirs");
    std::fs::write(dir.path().join("t/evil"), b"outside").expect("w");
    let mut child = Command::new("cpio")
        .args(["-o", "-H", "odc", "--quiet"])
        .current_dir(&inner)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("cpio");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"../../evil\n")
        .expect("names");
    let traversal = child.wait_with_output().expect("cpio").stdout;
    assert!(
        traversal.windows(10).any(|w| w == b"../../evil"),
        "cpio kept the name"
    );
    let flat = dir.path().join("flat-evil/Evil.pkg");
    std::fs::create_dir_all(&flat).expect("dirs");
    std::fs::write(flat.join("Payload"), pipe("gzip", &["-n"], &traversal)).expect("w");
    let evil = dir.path().join("evil.pkg");
    run(Command::new("bsdtar")
        .args(["--format", "xar", "-cf"])
        .arg(&evil)
        .arg("Evil.pkg")
        .current_dir(dir.path().join("flat-evil")));
    let bytes = std::fs::read(&evil).expect("package");
    refused(
        dir.path(),
        "evil.pkg",
        &bytes,
        &[
            "evil.pkg!Evil.pkg/Payload",
            "../../evil",
            "outside its root",
        ],
    );

    // A payload cut short inside a file's data.
    let mut cut = cpio_odc(&dir.path().join("tools"));
    cut.truncate(cut.len() / 2);
    std::fs::write(flat.join("Payload"), pipe("gzip", &["-n"], &cut)).expect("w");
    std::fs::remove_file(&evil).expect("rm");
    run(Command::new("bsdtar")
        .args(["--format", "xar", "-cf"])
        .arg(&evil)
        .arg("Evil.pkg")
        .current_dir(dir.path().join("flat-evil")));
    let bytes = std::fs::read(&evil).expect("package");
    refused(
        dir.path(),
        "cut.pkg",
        &bytes,
        &["cut.pkg!Evil.pkg/Payload", "truncated"],
    );
}

/// The 3.13.5 tarball's `Misc/externals.spdx.json`, written into `dir`.
fn externals(dir: &Path) -> Option<PathBuf> {
    let tarball = cpython_tarball()?;
    let bytes = run(Command::new("tar")
        .arg("-xOf")
        .arg(&tarball)
        .arg("Python-3.13.5/Misc/externals.spdx.json"));
    let path = dir.join("externals.spdx.json");
    std::fs::write(&path, bytes).expect("w");
    Some(path)
}

/// `haystack` with every `from` replaced by `to` (of the same length), as ASCII and UTF-16LE.
fn restate(haystack: &[u8], from: &str, to: &str) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let mut out = haystack.to_vec();
    let utf16 = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    let mut n = 0;
    for (f, t) in [
        (from.as_bytes().to_vec(), to.as_bytes().to_vec()),
        (utf16(from), utf16(to)),
    ] {
        let mut i = 0;
        while i + f.len() <= out.len() {
            if out[i..i + f.len()] == f[..] {
                out[i..i + f.len()].copy_from_slice(&t);
                n += 1;
                i += f.len();
            } else {
                i += 1;
            }
        }
    }
    assert!(n > 0, "`{from}` not found");
    out
}

#[test]
fn source_cross_check_names_both_versions() {
    let Some(zip) = embeddable_zip() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(externals) = externals(dir.path()) else {
        return;
    };
    // The embeddable package with its SQLite restated as 3.49.1 (the source declares
    // 3.49.1.0, which is the same version written otherwise); its OpenSSL is 3.0.15, the
    // source declares 3.0.16.
    let mut members = zip_members(&zip);
    let sqlite = members.get_mut("sqlite3.dll").expect("sqlite3.dll");
    *sqlite = restate(sqlite, "3.45.3", "3.49.1");
    let artifact = dir.path().join("python-3.13.2-embed-amd64.zip");
    write_zip(&artifact, &members);

    let (doc, stderr) = scan(
        &artifact,
        &[
            "--preset",
            "cpython",
            "--source",
            externals.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(packages(&doc)["sqlite"], "3.49.1");
    let warning = stderr
        .lines()
        .find(|l| l.contains("SCAN005"))
        .unwrap_or_else(|| panic!("no SCAN005: {stderr}"));
    assert!(
        warning.contains("externals.spdx.json")
            && warning.contains("openssl: the source declares 3.0.16")
            && warning.contains("the artifact holds 3.0.15 (`libcrypto-3.dll`, `libssl-3.dll`)")
            && warning.contains("/packages/3/versionInfo"),
        "{warning}"
    );
    assert_eq!(stderr.matches("SCAN005").count(), 1, "{stderr}");
    assert!(!stderr.contains("sqlite:"), "{stderr}");
    // What the source declares that the artifact lacks, or states no version of, is noted.
    assert!(
        stderr.contains("SCAN007 info: xz: the source declares 5.2.5"),
        "{stderr}"
    );
    assert!(stderr.contains("SCAN008 info: tk 8.6.15.0"), "{stderr}");
    assert!(!stderr.contains("SCAN006"), "{stderr}");

    // The whole source release: its own version is another one.
    let Some(tarball) = cpython_tarball() else {
        return;
    };
    let (_, stderr) = scan(
        &artifact,
        &[
            "--preset",
            "cpython",
            "--source",
            tarball.to_str().expect("utf-8"),
        ],
    );
    assert!(
        stderr.lines().any(|l| l.contains("SCAN006")
            && l.contains("Python-3.13.5.tar.xz!Include/patchlevel.h")
            && l.contains("CPython 3.13.5")
            && l.contains("CPython 3.13.2")),
        "{stderr}"
    );
    // The source is never written over, with --force or without.
    let before = std::fs::read(&externals).expect("source");
    for force in [false, true] {
        let mut cmd = bomsmith();
        cmd.arg("scan")
            .arg(&artifact)
            .args(["--preset", "cpython", "-q", "--source"])
            .arg(&externals)
            .arg("-o")
            .arg(&externals);
        if force {
            cmd.arg("--force");
        }
        let out = cmd.output().expect("runs");
        assert!(!out.status.success(), "force {force}");
        assert_eq!(std::fs::read(&externals).expect("source"), before);
    }
    // A source without the files `[source]` names is an error, not a silent pass.
    let out = bomsmith()
        .arg("scan")
        .arg(&artifact)
        .args(["--preset", "cpython", "--source"])
        .arg(&zip)
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("holds none of the files"));
}

/// The embeddable package's files under `prefix`, plus `extra` (name → bytes).
fn layout(zip: &Path, prefix: &str, extra: &[(&str, Vec<u8>)]) -> BTreeMap<String, Vec<u8>> {
    let mut out: BTreeMap<String, Vec<u8>> = zip_members(zip)
        .into_iter()
        .map(|(n, b)| (format!("{prefix}{n}"), b))
        .collect();
    for (n, b) in extra {
        out.insert((*n).to_owned(), b.clone());
    }
    out
}

/// pip's wheel as CPython 3.13.5 bundles it for ensurepip.
fn pip_wheel() -> Option<(String, Vec<u8>)> {
    let tarball = cpython_tarball()?;
    let names = run(Command::new("tar").arg("-tJf").arg(&tarball));
    let name = String::from_utf8_lossy(&names)
        .lines()
        .find(|l| l.contains("ensurepip/_bundled/pip-") && l.ends_with(".whl"))
        .expect("pip wheel in the tarball")
        .to_owned();
    let bytes = run(Command::new("tar").arg("-xOJf").arg(&tarball).arg(&name));
    let file = name.rsplit('/').next().expect("name").to_owned();
    Some((file, bytes))
}

#[test]
fn windows_repackagings_and_builds() {
    let Some(zip) = embeddable_zip() else { return };
    let Some((wheel, wheel_bytes)) = pip_wheel() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let pip_version = wheel
        .strip_prefix("pip-")
        .and_then(|w| w.split('-').next())
        .expect("pip version")
        .to_owned();

    // NuGet: the layout under tools/, beside the package's own files; pip ships.
    let nuget = dir.path().join("python.3.13.2.nupkg");
    write_zip(
        &nuget,
        &layout(
            &zip,
            "tools/",
            &[
                ("python.nuspec", b"<package/>".to_vec()),
                ("[Content_Types].xml", b"<Types/>".to_vec()),
                (
                    &format!("tools/Lib/ensurepip/_bundled/{wheel}"),
                    wheel_bytes.clone(),
                ),
            ],
        ),
    );
    let (doc, stderr) = scan(&nuget, &["--preset", "cpython"]);
    assert!(stderr.contains("preset cpython-windows"), "{stderr}");
    let found = packages(&doc);
    assert_eq!(found["CPython"], "3.13.2");
    assert_eq!(found["pip"], pip_version);
    assert_eq!(found["openssl"], "3.0.15");

    // The install manager's package: the layout at the root, with __install__.json.
    let pymanager = dir.path().join("python-3.13.2-amd64.zip");
    write_zip(
        &pymanager,
        &layout(
            &zip,
            "",
            &[(
                "__install__.json",
                b"{\"id\": \"pythoncore-3.13-64\"}".to_vec(),
            )],
        ),
    );
    let (doc, _) = scan(&pymanager, &["--preset", "cpython", "-q"]);
    assert_eq!(packages(&doc)["CPython"], "3.13.2");

    // An installed layout (a directory).
    let installed = dir.path().join("Python313");
    std::fs::create_dir_all(&installed).expect("dir");
    for (name, bytes) in layout(&zip, "", &[]) {
        std::fs::write(installed.join(&name), bytes).expect("w");
    }
    let (doc, stderr) = scan(&installed, &["--preset", "cpython"]);
    assert!(stderr.contains("preset cpython-windows"), "{stderr}");
    assert_eq!(packages(&doc)["sqlite"], "3.45.3");
    assert_eq!(package(&doc, "CPython")["downloadLocation"], "NOASSERTION");

    // Free-threaded and debug builds, by their file names.
    for (from, to, build) in [
        ("python313.dll", "python313t.dll", "free-threaded build"),
        ("python313.dll", "python313_d.dll", "debug build"),
    ] {
        let mut members = zip_members(&zip);
        let dll = members.remove(from).expect("dll");
        members.insert(to.to_owned(), dll);
        let artifact = dir.path().join(format!("{to}.zip"));
        write_zip(&artifact, &members);
        let (doc, _) = scan(&artifact, &["--preset", "cpython", "-q"]);
        assert_eq!(package(&doc, "CPython")["summary"], build, "{to}");
    }
    let (doc, _) = scan(&zip, &["--preset", "cpython", "-q"]);
    assert!(package(&doc, "CPython").get("summary").is_none());
}

#[test]
fn an_artifact_without_its_python_dll_takes_the_version_from_its_name() {
    let Some(zip) = embeddable_zip() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let members: BTreeMap<String, Vec<u8>> = zip_members(&zip)
        .into_iter()
        .filter(|(n, _)| !n.ends_with(".dll") && !n.ends_with(".pyd") && !n.ends_with(".exe"))
        .collect();
    let artifact = dir.path().join("python-3.13.2t-embed-arm64.zip");
    write_zip(&artifact, &members);
    let (doc, stderr) = scan(&artifact, &["--preset", "cpython-windows"]);
    assert_eq!(package(&doc, "CPython")["versionInfo"], "3.13.2");
    assert_eq!(package(&doc, "CPython")["summary"], "free-threaded build");
    assert!(stderr.contains("SCAN009"), "{stderr}");
}

#[test]
fn installer_names_are_recognised() {
    let Some(zip) = embeddable_zip() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    // python.org's free-threaded installer name on a PE binary (the launcher, standing in for
    // the WiX bundle, which is not read yet): the Windows preset, the free-threaded build.
    let exe = dir.path().join("python-3.13.2t-amd64.exe");
    std::fs::write(&exe, &zip_members(&zip)["python.exe"]).expect("w");
    let (doc, stderr) = scan(&exe, &["--preset", "cpython"]);
    assert!(
        stderr.contains("preset cpython-windows (a Windows (PE) binary)"),
        "{stderr}"
    );
    let root = package(&doc, "CPython");
    assert_eq!(root["versionInfo"], "3.13.2");
    assert_eq!(root["summary"], "free-threaded build");
    assert_eq!(root["packageFileName"], "python-3.13.2t-amd64.exe");
}
