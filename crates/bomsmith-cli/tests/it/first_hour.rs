//! Regression tests for what a new user met in the first hour (issue 14): outputs that destroyed
//! inputs, valid licences rejected, errors said twice or about temporary files, inputs that are
//! not documents named as malformed JSON, option values missing from `--help`, and the
//! progress line (on a terminal only).
#![cfg(unix)]

use crate::util::*;
use std::path::{Path, PathBuf};

/// A small tree and its gzipped tarball (made with Python's `tarfile`, an independent writer),
/// with a top directory as release tarballs have.
fn tree_and_tarball(dir: &Path) -> (PathBuf, PathBuf) {
    let tree = dir.join("demo-1.0");
    for (p, data) in [("src/main.c", "int main;\n"), ("README", "demo\n")] {
        let f = tree.join(p);
        std::fs::create_dir_all(f.parent().expect("parent")).expect("mkdir");
        std::fs::write(f, data).expect("write");
    }
    let tarball = dir.join("demo-1.0.tar.gz");
    let status = std::process::Command::new("python3")
        .args([
            "-c",
            "import sys, tarfile\nwith tarfile.open(sys.argv[1], 'w:gz') as t: t.add(sys.argv[2], arcname='demo-1.0')",
        ])
        .arg(&tarball)
        .arg(&tree)
        .status()
        .expect("python3 runs");
    assert!(status.success());
    (tree, tarball)
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn scan_onto_its_own_input_is_refused_and_the_input_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, tarball) = tree_and_tarball(dir.path());
    let before = file_sha256(&tarball);
    // The same file by its own name, through a symbolic link and through a hard link.
    let symlink = dir.path().join("link.tar.gz");
    std::os::unix::fs::symlink(&tarball, &symlink).expect("symlink");
    let hard = dir.path().join("hard.tar.gz");
    std::fs::hard_link(&tarball, &hard).expect("hard link");
    for output in [&tarball, &symlink, &hard] {
        for force in [false, true] {
            let mut cmd = bomsmith();
            cmd.arg("scan").arg(&tarball).arg("-o").arg(output);
            if force {
                cmd.arg("--force");
            }
            let out = cmd.output().expect("runs");
            assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
            let err = stderr(&out);
            assert!(
                err.contains(&format!(
                    "{}: is the input `{}`: writing there would destroy it; nothing written",
                    output.display(),
                    tarball.display()
                )),
                "{err}"
            );
            assert_eq!(file_sha256(&tarball), before, "the input is untouched");
        }
    }
    // convert -o X X likewise.
    let sbom = dir.path().join("demo.spdx.json");
    bomsmith()
        .arg("scan")
        .arg(&tarball)
        .arg("-o")
        .arg(&sbom)
        .assert()
        .success();
    let kept = std::fs::read(&sbom).expect("read");
    let out = bomsmith()
        .args(["convert", "--to", "cyclonedx-json", "-o"])
        .arg(&sbom)
        .arg(&sbom)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("is the input"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&sbom).expect("read"), kept);
}

#[test]
fn an_unrelated_existing_file_is_replaced_only_with_force() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (tree, tarball) = tree_and_tarball(dir.path());
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "release notes, not an SBOM\n").expect("write");
    let other = dir.path().join("other.tar.gz");
    std::fs::copy(&tarball, &other).expect("copy");
    for victim in [&notes, &other] {
        let before = std::fs::read(victim).expect("read");
        let out = bomsmith()
            .arg("scan")
            .arg(&tree)
            .arg("-o")
            .arg(victim)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains(&format!(
                "{}: exists and is not a document bomsmith wrote",
                victim.display()
            )),
            "{err}"
        );
        assert!(err.contains("hint: pass --force to replace it"), "{err}");
        assert_eq!(std::fs::read(victim).expect("read"), before, "untouched");
    }
    // With --force it is replaced.
    bomsmith()
        .arg("scan")
        .arg(&tree)
        .arg("--force")
        .arg("-o")
        .arg(&notes)
        .assert()
        .success();
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&notes).expect("read")).expect("JSON");
    assert_eq!(doc["spdxVersion"], "SPDX-2.3");
}

#[test]
fn documents_bomsmith_wrote_are_replaced_without_force() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (tree, tarball) = tree_and_tarball(dir.path());
    for format in ["spdx-json", "cyclonedx-json", "spdx-tv", "spdx3-json"] {
        let path = dir.path().join(format!("sbom.{format}"));
        for _ in 0..2 {
            bomsmith()
                .arg("scan")
                .arg(&tarball)
                .args(["-f", format, "-o"])
                .arg(&path)
                .assert()
                .success();
        }
    }
    // Diagnostics reports too, in each of their formats.
    for format in ["sarif", "json", "human"] {
        let path = dir.path().join(format!("diagnostics.{format}"));
        for _ in 0..2 {
            bomsmith()
                .arg("scan")
                .arg(&tree)
                .args(["-o", "/dev/null", "--diagnostics"])
                .arg(&path)
                .args(["--diagnostics-format", format])
                .assert()
                .success();
        }
    }
    // A conversion of a document another tool wrote is bomsmith's document: converting again
    // onto it needs no --force.
    let foreign = shared_file("spec/spdx-2.3/SPDXJSONExample-v2.3.spdx.json");
    let Some(foreign) = foreign else { return };
    let converted = dir.path().join("converted.cdx.json");
    for _ in 0..2 {
        bomsmith()
            .args(["convert", "-q", "--to", "cyclonedx-json", "-o"])
            .arg(&converted)
            .arg(&foreign)
            .assert()
            .success();
    }
}

#[test]
fn a_second_scan_of_a_tree_does_not_list_its_own_earlier_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (tree, _) = tree_and_tarball(dir.path());
    // `[x].json`: a name glob patterns would misread.
    let output = tree.join("[x].json");
    let mut docs = Vec::new();
    for _ in 0..2 {
        let out = bomsmith()
            .arg("scan")
            .arg(&tree)
            .arg("-o")
            .arg(&output)
            .output()
            .expect("runs");
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("leaving out `[x].json`, the output of this scan"),
            "{}",
            stderr(&out)
        );
        let doc: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&output).expect("read")).expect("JSON");
        docs.push(doc);
    }
    for doc in &docs {
        let names: Vec<&str> = doc["files"]
            .as_array()
            .expect("files")
            .iter()
            .filter_map(|f| f["fileName"].as_str())
            .collect();
        assert_eq!(names, ["README", "src/main.c"]);
    }
    assert_eq!(docs[0], docs[1], "the second scan describes the same tree");
}

#[test]
fn a_missing_output_directory_is_said_once_before_scanning_naming_the_target() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (tree, _) = tree_and_tarball(dir.path());
    let target = dir.path().join("no/such/dir/x.json");
    let out = bomsmith()
        .arg("scan")
        .arg(&tree)
        .arg("-o")
        .arg(&target)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("{}: cannot create a file in", target.display())),
        "{err}"
    );
    assert_eq!(err.matches("No such file or directory").count(), 1, "{err}");
    assert!(
        !err.contains(".bomsmith-"),
        "no temporary file named: {err}"
    );
    assert!(
        !err.contains("SCAN002"),
        "refused before the scan ran: {err}"
    );
    // A missing input: its error once.
    let out = bomsmith()
        .args(["scan", "/nonexistent/input"])
        .output()
        .expect("runs");
    let err = stderr(&out);
    assert_eq!(err.matches("No such file or directory").count(), 1, "{err}");
}

/// A scanned SBOM with licences set on its root package.
fn with_licenses(dir: &Path, declared: &str) -> PathBuf {
    let (tree, _) = tree_and_tarball(dir);
    let out = bomsmith().arg("scan").arg(&tree).output().expect("runs");
    let mut doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    doc["packages"][0]["licenseDeclared"] = declared.into();
    let path = dir.join(format!("lic-{}.json", declared.len()));
    std::fs::write(&path, serde_json::to_vec(&doc).expect("JSON")).expect("write");
    path
}

#[test]
fn deprecated_and_lower_case_license_ids_pass_validate() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Valid by SPDX 2.3 Annex D: deprecated identifiers are on the list (GPL-2.0+, LGPL-2.1+),
    // identifiers match case-insensitively (mit), operators are upper or lower case.
    let doc = with_licenses(
        dir.path(),
        "GPL-2.0+ AND LGPL-2.1+ AND (mit or apache-2.0 WITH llvm-exception)",
    );
    let out = bomsmith().arg("validate").arg(&doc).output().expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // Still invalid: an identifier not on the list, mixed-case operators.
    for bad in ["MIT-NOT-A-LICENSE", "MIT And Zlib"] {
        let doc = with_licenses(dir.path(), bad);
        let out = bomsmith().arg("validate").arg(&doc).output().expect("runs");
        assert_eq!(out.status.code(), Some(1), "{bad}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("SPDX016"),
            "{bad}"
        );
    }
}

#[test]
fn the_license_list_version_written_is_the_one_checked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (tree, _) = tree_and_tarball(dir.path());
    let doc = scan_json(&[tree.as_os_str()]);
    // The list the `spdx` crate carries (its identifiers.rs names v3.29.0): the one checked.
    assert_eq!(doc["creationInfo"]["licenseListVersion"], "3.29");
    assert_eq!(
        doc["creationInfo"]["licenseListVersion"],
        bomsmith::spec::license_list_version()
    );
}

#[test]
fn sha512_reaches_the_package_checksum() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, tarball) = tree_and_tarball(dir.path());
    let doc = scan_json(&[tarball.as_os_str(), "--sha512".as_ref()]);
    let expected = {
        let out = std::process::Command::new("sha512sum")
            .arg(&tarball)
            .output()
            .expect("sha512sum runs");
        String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .next()
            .expect("digest")
            .to_owned()
    };
    let root = &doc["packages"][0];
    let sha512: Vec<&str> = root["checksums"]
        .as_array()
        .expect("checksums")
        .iter()
        .filter(|c| c["algorithm"] == "SHA512")
        .filter_map(|c| c["checksumValue"].as_str())
        .collect();
    assert_eq!(sha512, [expected.as_str()]);
}

#[test]
fn inputs_that_are_not_documents_are_named_for_what_they_are() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, tarball) = tree_and_tarball(dir.path());
    let empty = dir.path().join("empty.json");
    std::fs::write(&empty, b"").expect("write");
    let yaml = dir.path().join("bom.yaml");
    std::fs::write(&yaml, "bomFormat: CycloneDX\nspecVersion: \"1.5\"\n").expect("write");
    let utf16 = dir.path().join("utf16.json");
    std::fs::write(&utf16, b"\xff\xfe{\x00}\x00").expect("write");
    for (file, said) in [
        (&empty, "an empty file"),
        (&tarball, "binary data (first bytes: 1f8b"),
        (&yaml, "a CycloneDX YAML document"),
        (&utf16, "UTF-16 text"),
    ] {
        let out = bomsmith()
            .args(["convert", "--to", "spdx-json"])
            .arg(file)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2));
        let err = stderr(&out);
        assert!(err.contains(said), "{err}");
        assert!(!err.contains("malformed JSON"), "{err}");
        let out = bomsmith().arg("validate").arg(file).output().expect("runs");
        assert_eq!(out.status.code(), Some(1));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(said), "{text}");
        assert!(!text.contains("JSON001"), "{text}");
    }
    let out = bomsmith().arg("scan").arg(&empty).output().expect("runs");
    assert!(
        stderr(&out).contains("an empty file, not a directory or an archive"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("first bytes: )"));
}

#[test]
fn a_utf8_byte_order_mark_is_skipped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (tree, _) = tree_and_tarball(dir.path());
    let out = bomsmith().arg("scan").arg(&tree).output().expect("runs");
    let mut with_bom = b"\xef\xbb\xbf".to_vec();
    with_bom.extend_from_slice(&out.stdout);
    let path = dir.path().join("bom.spdx.json");
    std::fs::write(&path, &with_bom).expect("write");
    bomsmith().arg("validate").arg(&path).assert().success();
    bomsmith()
        .args(["convert", "-q", "--to", "cyclonedx-json"])
        .arg(&path)
        .assert()
        .success();
}

#[test]
fn help_lists_every_value_an_option_takes() {
    let help = |args: &[&str]| {
        let out = bomsmith().args(args).output().expect("runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let scan = help(&["scan", "--help"]);
    let convert = help(&["convert", "--help"]);
    for format in ["spdx-json", "cyclonedx-json", "spdx-tv", "spdx3-json"] {
        assert!(scan.contains(&format!("- {format}:")), "{scan}");
        assert!(convert.contains(&format!("- {format}:")), "{convert}");
    }
    for format in ["openvex", "cyclonedx-vex", "csaf-vex"] {
        assert!(convert.contains(&format!("- {format}:")), "{convert}");
    }
    assert!(
        scan.contains("[possible values: cpython, cpython-windows, cpython-macos]"),
        "{scan}"
    );
    let validate = help(&["validate", "--help"]);
    for profile in [
        "spdx",
        "cyclonedx",
        "ntia",
        "bsi-2.0",
        "bsi-2.1",
        "bsi",
        "fsct3",
    ] {
        assert!(validate.contains(&format!("- {profile}:")), "{validate}");
    }
    // A wrong value is refused with the list.
    let out = bomsmith()
        .args(["scan", ".", "-f", "spdx"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("spdx3-json"), "{}", stderr(&out));
}

#[test]
fn completions_and_manual_pages_come_from_the_command_line() {
    let out = bomsmith()
        .args(["completions", "bash"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let script = String::from_utf8_lossy(&out.stdout);
    for word in ["_bomsmith", "scan", "vendor", "--preset", "spdx3-json"] {
        assert!(script.contains(word), "{word}");
    }
    // bash itself accepts the script.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bomsmith.bash");
    std::fs::write(&path, script.as_bytes()).expect("write");
    let status = std::process::Command::new("bash")
        .arg("-n")
        .arg(&path)
        .status()
        .expect("bash runs");
    assert!(status.success());
    let pages = dir.path().join("man");
    bomsmith()
        .arg("man")
        .arg("-o")
        .arg(&pages)
        .assert()
        .success();
    for page in ["bomsmith.1", "bomsmith-scan.1", "bomsmith-vendor-check.1"] {
        let text = std::fs::read_to_string(pages.join(page)).expect(page);
        assert!(text.starts_with(".ie") || text.contains(".TH"), "{page}");
    }
    let scan = std::fs::read_to_string(pages.join("bomsmith-scan.1")).expect("page");
    assert!(scan.contains("\\-\\-exclude"), "options are documented");
}

/// Runs `bomsmith ARGS` with standard error on a pseudo-terminal (Python's `pty`, an
/// independent one) and returns everything it wrote there.
fn on_a_terminal(args: &[&std::ffi::OsStr]) -> String {
    let script = "import os, pty, sys\n\
        out = []\n\
        def read(fd):\n    data = os.read(fd, 65536)\n    out.append(data)\n    return data\n\
        pid, fd = pty.fork()\n\
        if pid == 0:\n    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)\n    os.execv(sys.argv[1], sys.argv[1:])\n\
        while True:\n    try:\n        data = os.read(fd, 65536)\n    except OSError:\n        break\n    if not data:\n        break\n    out.append(data)\n\
        os.waitpid(pid, 0)\n\
        sys.stdout.buffer.write(b''.join(out))\n";
    let bin = assert_cmd::cargo::cargo_bin("bomsmith");
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&bin)
        .args(args)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .env("BOMSMITH_PROGRESS_DELAY", "0")
        .output()
        .expect("python3 runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn progress_shows_on_a_terminal_and_never_in_piped_output() {
    let Some(tarball) = cpython_tarball() else {
        return;
    };
    let scan: [&std::ffi::OsStr; 4] = [
        "scan".as_ref(),
        tarball.as_os_str(),
        "-o".as_ref(),
        "/dev/null".as_ref(),
    ];
    let shown = on_a_terminal(&scan);
    assert!(
        shown.contains("Python-3.13.5.tar.xz: ") && shown.contains(" files/s)"),
        "{shown}"
    );
    // Cleared when done: the last line is the summary, not the progress line.
    assert!(shown.trim_end().ends_with("s"), "{shown}");
    // --quiet: none.
    let mut quiet = scan.to_vec();
    quiet.push("--quiet".as_ref());
    assert!(!on_a_terminal(&quiet).contains("files/s"));
    // Piped: none, whatever the delay.
    let out = bomsmith()
        .env("BOMSMITH_PROGRESS_DELAY", "0")
        .args(scan)
        .output()
        .expect("runs");
    assert!(out.status.success());
    let err = stderr(&out);
    assert!(!err.contains("files/s") && !err.contains('\r'), "{err}");
    // validate likewise, counting documents.
    let shown = on_a_terminal(&["validate".as_ref(), tarball.as_os_str()]);
    assert!(shown.contains("documents"), "{shown}");
}
