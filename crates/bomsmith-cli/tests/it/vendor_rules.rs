//! `bomsmith vendor`: every rule on small trees built by the test.

use crate::util::{bomsmith, sha1_hex, sha256_hex};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

struct Project {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Project {
    fn new(files: &[(&str, &[u8])], config: &str, packages: Vec<Value>) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().join("proj");
        let p = Project { _dir: dir, root };
        for (path, data) in files {
            p.write(path, data);
        }
        p.write("bomsmith.toml", config.as_bytes());
        p.write(
            "sbom.spdx.json",
            &serde_json::to_vec(&json!({
                "SPDXID": "SPDXRef-DOCUMENT",
                "spdxVersion": "SPDX-2.3",
                "dataLicense": "CC0-1.0",
                "name": "proj vendored code",
                "documentNamespace": "https://example.org/spdx/proj",
                "creationInfo": {"created": "2024-01-01T00:00:00Z", "creators": ["Tool: test"]},
                "documentDescribes": packages.iter().map(|p| p["SPDXID"].clone()).collect::<Vec<_>>(),
                "packages": packages,
                "files": [],
                "relationships": [],
            }))
            .expect("json"),
        );
        p
    }

    fn write(&self, path: &str, data: &[u8]) {
        let full = self.root.join(path);
        std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
        std::fs::write(full, data).expect("write");
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn sbom(&self) -> Value {
        serde_json::from_slice(&std::fs::read(self.path("sbom.spdx.json")).expect("read"))
            .expect("json")
    }

    fn run(&self, args: &[&str]) -> std::process::Output {
        bomsmith()
            .arg("vendor")
            .args(args)
            .arg(&self.root)
            .output()
            .expect("runs")
    }

    fn regen(&self) {
        let out = self.run(&["regen"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Exit code and report of `vendor check --format json`.
    fn check(&self, extra: &[&str]) -> (i32, Value) {
        let mut args = vec!["check", "--format", "json"];
        args.extend(extra);
        let out = self.run(&args);
        let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
        });
        (out.status.code().expect("code"), report)
    }
}

/// The codes of a report's findings, sorted.
fn codes(report: &Value) -> Vec<String> {
    let mut c: Vec<String> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|f| f["code"].as_str().expect("code").to_owned())
        .collect();
    c.sort();
    c
}

fn finding<'a>(report: &'a Value, code: &str) -> &'a Value {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|f| f["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {report:#}"))
}

/// A package as CPython's in-tree SBOM has them.
fn package(name: &str, version: &str) -> Value {
    json!({
        "SPDXID": format!("SPDXRef-PACKAGE-{name}"),
        "name": name,
        "versionInfo": version,
        "downloadLocation": format!("https://example.org/{name}-{version}.tar.gz"),
        "checksums": [{"algorithm": "SHA256", "checksumValue": "00".repeat(32)}],
        "licenseConcluded": "NOASSERTION",
        "externalRefs": [{
            "referenceCategory": "SECURITY",
            "referenceType": "cpe23Type",
            "referenceLocator": format!("cpe:2.3:a:example:{name}:{version}:*:*:*:*:*:*:*"),
        }],
        "primaryPackagePurpose": "SOURCE",
    })
}

const FOO_CONFIG: &str = r#"[[in_tree_sbom]]
path = "sbom.spdx.json"
license_concluded = "NOASSERTION"

[[in_tree_sbom.component]]
name = "foo"
include = ["vendor/foo/**"]
detector = "none"
"#;

#[test]
fn regen_lists_files_with_line_endings_normalised() {
    let p = Project::new(
        &[
            ("vendor/foo/a.c", b"int a;\nint b;\n"),
            ("vendor/foo/sub/b.c", b"int a;\r\nint b;\r\n"),
            ("vendor/foo/blob.bin", b"\0\r\n"),
            ("vendor/foo/.hidden", b"not listed"),
            ("src/main.c", b"not vendored"),
        ],
        FOO_CONFIG,
        vec![package("foo", "1.0")],
    );
    p.regen();
    let doc = p.sbom();
    let files = doc["files"].as_array().expect("files");
    let names: Vec<&str> = files
        .iter()
        .map(|f| f["fileName"].as_str().expect("name"))
        .collect();
    assert_eq!(
        names,
        [
            "vendor/foo/a.c",
            "vendor/foo/blob.bin",
            "vendor/foo/sub/b.c"
        ]
    );
    let lf = b"int a;\nint b;\n";
    for i in [0, 2] {
        assert_eq!(
            files[i]["checksums"][0],
            json!({"algorithm": "SHA1", "checksumValue": sha1_hex(lf)})
        );
        assert_eq!(
            files[i]["checksums"][1],
            json!({"algorithm": "SHA256", "checksumValue": sha256_hex(lf)})
        );
    }
    // A NUL byte marks a binary file: its CRLF stays.
    assert_eq!(
        files[1]["checksums"][0]["checksumValue"],
        sha1_hex(b"\0\r\n")
    );
    assert_eq!(files[2]["SPDXID"], "SPDXRef-FILE-vendor-foo-sub-b.c");
    assert_eq!(
        doc["relationships"][2],
        json!({"spdxElementId": "SPDXRef-PACKAGE-foo", "relatedSpdxElement": "SPDXRef-FILE-vendor-foo-sub-b.c", "relationshipType": "CONTAINS"})
    );
    let text = std::fs::read_to_string(p.path("sbom.spdx.json")).expect("read");
    assert!(text.starts_with(
        "{\n  \"SPDXID\": \"SPDXRef-DOCUMENT\",\n  \"creationInfo\": {\n    \"created\": "
    ));
    assert!(!text.ends_with('\n'));
    // Fresh from regen, check passes; the version is only noted as unverified.
    let (code, report) = p.check(&[]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(codes(&report), ["V003"]);
}

#[test]
fn renamed_deleted_added_and_edited_files_make_the_sbom_stale() {
    let p = Project::new(
        &[
            ("vendor/foo/a.c", b"a\n"),
            ("vendor/foo/b.c", b"b\n"),
            ("vendor/foo/c.c", b"c\n"),
            ("vendor/foo/d.c", b"d\n"),
        ],
        FOO_CONFIG,
        vec![package("foo", "1.0")],
    );
    p.regen();
    let committed = std::fs::read(p.path("sbom.spdx.json")).expect("read");
    std::fs::rename(p.path("vendor/foo/a.c"), p.path("vendor/foo/a2.c")).expect("rename");
    std::fs::remove_file(p.path("vendor/foo/b.c")).expect("delete");
    p.write("vendor/foo/e.c", b"e\n");
    p.write("vendor/foo/c.c", b"c changed\n");
    // A CRLF checkout of an unchanged file is not a change.
    p.write("vendor/foo/d.c", b"d\r\n");
    let (code, report) = p.check(&[]);
    assert_eq!(code, 1);
    assert_eq!(codes(&report), ["V001", "V003"]);
    assert_eq!(
        report["inputs"][0]["changes"],
        json!([
            "+ file vendor/foo/a2.c (foo)",
            "~ file vendor/foo/c.c: content changed",
            "+ file vendor/foo/e.c (foo)",
            "- file vendor/foo/a.c (foo)",
            "- file vendor/foo/b.c (foo)",
        ])
    );
    assert_eq!(
        std::fs::read(p.path("sbom.spdx.json")).expect("read"),
        committed,
        "check wrote"
    );
    let human = p.run(&["check"]);
    assert_eq!(human.status.code(), Some(1));
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains("sbom.spdx.json: V001 error: sbom.spdx.json is out of date (5 changes); run `bomsmith vendor regen`"), "{text}");
    assert!(text.contains("    - file vendor/foo/b.c (foo)"), "{text}");
    p.regen();
    assert_eq!(p.check(&[]).0, 0);
}

#[test]
fn glob_rules_name_the_configuration_line() {
    let config = r#"[[in_tree_sbom]]
path = "sbom.spdx.json"

[[in_tree_sbom.component]]
name = "foo"
include = ["vendor/foo/**", "vendor/nothing/*.c"]
exclude = ["vendor/foo/README.md", "vendor/foo/READNE.txt"]
detector = "none"

[[in_tree_sbom.component]]
name = "bar"
include = ["vendor/foo/shared.h"]
detector = "none"
"#;
    let p = Project::new(
        &[
            ("vendor/foo/a.c", b"a"),
            ("vendor/foo/README.md", b"r"),
            ("vendor/foo/README.txt", b"r"),
            ("vendor/foo/shared.h", b"s"),
        ],
        config,
        vec![package("foo", "1"), package("bar", "1")],
    );
    p.regen();
    let (code, report) = p.check(&[]);
    assert_eq!(code, 1);
    assert_eq!(codes(&report), ["V003", "V003", "V007", "V008", "V009"]);
    let v7 = finding(&report, "V007");
    assert!(
        v7["file"]
            .as_str()
            .expect("file")
            .ends_with("proj/bomsmith.toml"),
        "{v7}"
    );
    // Line 6, at the opening quote of the second glob.
    assert_eq!(
        (v7["line"].as_u64(), v7["column"].as_u64()),
        (Some(6), Some(29))
    );
    assert!(
        v7["message"]
            .as_str()
            .expect("m")
            .contains("`vendor/nothing/*.c` of foo matches no file")
    );
    let v8 = finding(&report, "V008");
    assert_eq!(v8["line"], 7);
    assert!(
        v8["message"]
            .as_str()
            .expect("m")
            .contains("did you mean `vendor/foo/README.txt`?"),
        "{v8}"
    );
    let v9 = finding(&report, "V009");
    assert!(
        v9["message"]
            .as_str()
            .expect("m")
            .contains("vendor/foo/shared.h matches both bar and foo; it is listed under bar"),
        "{v9}"
    );
    // Listed once, under the first component in name order.
    let doc = p.sbom();
    let owners: Vec<(&str, &str)> = doc["relationships"]
        .as_array()
        .expect("rels")
        .iter()
        .map(|r| {
            (
                r["relatedSpdxElement"].as_str().expect("id"),
                r["spdxElementId"].as_str().expect("id"),
            )
        })
        .collect();
    assert_eq!(
        owners,
        [
            ("SPDXRef-FILE-vendor-foo-shared.h", "SPDXRef-PACKAGE-bar"),
            ("SPDXRef-FILE-vendor-foo-README.txt", "SPDXRef-PACKAGE-foo"),
            ("SPDXRef-FILE-vendor-foo-a.c", "SPDXRef-PACKAGE-foo"),
        ]
    );
}

#[test]
fn package_rules() {
    let config = r#"[[in_tree_sbom]]
path = "sbom.spdx.json"
license_concluded = "NOASSERTION"

[[in_tree_sbom.component]]
name = "foo"
include = ["vendor/foo/**"]
detector = "none"

[[in_tree_sbom.component]]
name = "gone"
include = ["vendor/foo/x.c"]
detector = "none"
"#;
    let mut foo = package("foo", "1.2");
    foo.as_object_mut().expect("obj").remove("checksums");
    foo["SPDXID"] = json!("SPDXRef-PACKAGE-Foo");
    foo["licenseConcluded"] = json!("MIT");
    foo["downloadLocation"] = json!("https://example.org/foo-latest.tar.gz");
    foo["externalRefs"] = json!([
        {"referenceCategory": "PACKAGE_MANAGER", "referenceType": "purl", "referenceLocator": "pkg:pypi/foo@1.1"},
        {"referenceCategory": "SECURITY", "referenceType": "cpe23Type", "referenceLocator": "cpe:2.3:a:foo:1.2"},
    ]);
    let p = Project::new(
        &[("vendor/foo/a.c", b"a"), ("vendor/foo/x.c", b"x")],
        config,
        vec![foo, package("extra", "2.0")],
    );
    // regen refuses to write what would not be valid SPDX: the malformed CPE, and files
    // contained by an SPDXID no package has.
    let before = std::fs::read(p.path("sbom.spdx.json")).expect("read");
    let out = p.run(&["regen"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("V018 error: sbom.spdx.json would not be valid SPDX 2.3")
            && stderr.contains("`cpe:2.3:a:foo:1.2` of package foo is malformed")
            && stderr.contains(
                "CONTAINS relationship from SPDXRef-PACKAGE-foo, which is not in the document"
            ),
        "{stderr}"
    );
    assert!(std::fs::read(p.path("sbom.spdx.json")).expect("read") == before);
    // check reports every rule, the document being stale among them.
    let (code, report) = p.check(&[]);
    assert_eq!(code, 1);
    assert_eq!(
        codes(&report),
        [
            "V001", "V003", "V004", "V005", "V006", "V009", "V010", "V011", "V012", "V012", "V013"
        ]
    );
    let msg = |code: &str| {
        finding(&report, code)["message"]
            .as_str()
            .expect("m")
            .to_owned()
    };
    assert_eq!(msg("V010"), "package foo lacks checksums");
    assert_eq!(
        msg("V011"),
        "package foo has SPDXID SPDXRef-PACKAGE-Foo, expected SPDXRef-PACKAGE-foo"
    );
    assert!(msg("V004").contains(
        "version 1.2, but its downloadLocation is https://example.org/foo-latest.tar.gz"
    ));
    assert!(msg("V005").contains("PURL `pkg:pypi/foo@1.1` of package foo names version 1.1"));
    assert!(msg("V006").contains("CPE `cpe:2.3:a:foo:1.2` of package foo does not parse"));
    assert_eq!(
        finding(&report, "V013")["pointer"],
        "/packages/0/licenseConcluded"
    );
    let v12: Vec<&str> = report["diagnostics"]
        .as_array()
        .expect("f")
        .iter()
        .filter(|f| f["code"] == "V012")
        .map(|f| f["message"].as_str().expect("m"))
        .collect();
    assert!(
        v12.iter()
            .any(|m| m.starts_with("component gone has no package")),
        "{v12:?}"
    );
    assert!(
        v12.iter()
            .any(|m| m.starts_with("package extra is not a configured component")),
        "{v12:?}"
    );
}

#[test]
fn version_rules() {
    let config = r#"[[in_tree_sbom]]
path = "sbom.spdx.json"

[[in_tree_sbom.component]]
name = "zlib"
include = ["third_party/zlib/**"]

[[in_tree_sbom.component]]
name = "tool"
include = ["third_party/tool/**"]
version_file = "third_party/tool/VERSION.txt"
version_pattern = 'release (\d+)\.(\d+)'

[[in_tree_sbom.component]]
name = "lost"
include = ["third_party/lost/**"]
version_file = "third_party/lost/VERSION"
version_pattern = '(.*)'

[[in_tree_sbom.component]]
name = "mystery"
include = ["third_party/mystery/**"]
"#;
    let p = Project::new(
        &[
            (
                "third_party/zlib/zlib.h",
                b"/* zlib.h */\n#define ZLIB_VERSION \"1.3.1\"\n#define ZLIB_VERNUM 0x1310\n",
            ),
            ("third_party/tool/VERSION.txt", b"tool release 4.2\n"),
            ("third_party/lost/x.c", b"x"),
            ("third_party/mystery/m.c", b"m"),
        ],
        config,
        vec![
            package("zlib", "1.2.13"),
            package("tool", "4.2"),
            package("lost", "1"),
            package("mystery", "0.1"),
        ],
    );
    p.regen();
    let (code, report) = p.check(&[]);
    assert_eq!(code, 1);
    assert_eq!(codes(&report), ["V002", "V003", "V017"]);
    let v2 = finding(&report, "V002");
    assert_eq!(
        v2["message"],
        "zlib is declared as 1.2.13, but third_party/zlib/zlib.h:2 says 1.3.1"
    );
    assert_eq!(v2["pointer"], "/packages/0/versionInfo");
    assert_eq!(
        v2["details"],
        json!(["third_party/zlib/zlib.h:2: #define ZLIB_VERSION \"1.3.1\" (1.3.1)"])
    );
    assert!(
        finding(&report, "V003")["message"]
            .as_str()
            .expect("m")
            .contains("mystery")
    );
    assert_eq!(finding(&report, "V017")["line"], 17);
}

#[cfg(unix)]
#[test]
fn symlinks_are_reported_not_followed() {
    let p = Project::new(
        &[("vendor/foo/a.c", b"a"), ("secret", b"outside")],
        FOO_CONFIG,
        vec![package("foo", "1.0")],
    );
    std::os::unix::fs::symlink("../../secret", p.path("vendor/foo/link.c")).expect("symlink");
    p.regen();
    let names: Vec<String> = p.sbom()["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["fileName"].as_str().expect("n").to_owned())
        .collect();
    assert_eq!(names, ["vendor/foo/a.c"]);
    let (code, report) = p.check(&[]);
    assert_eq!(code, 0);
    assert_eq!(codes(&report), ["V003", "V016"]);
    assert_eq!(finding(&report, "V016")["severity"], "warning");
}

#[test]
fn externals_follow_their_script() {
    let config = r#"[[in_tree_sbom]]
path = "sbom.spdx.json"

[in_tree_sbom.externals]
file = "build/get_deps.bat"
pattern = 'set\s+libraries\s*=\s*%libraries%\s+([a-zA-Z0-9.-]+)\s'
download_location = "https://example.org/deps/{tag}.tar.gz"
"#;
    let script = "set libraries=\r\nset libraries=%libraries%   foo-2.0.1\r\nif x set libraries=%libraries% tcl-core-8.6.15.0\r\nset libraries=%libraries%   new-1.0\r\n";
    let mut foo = package("foo", "1.9");
    foo["downloadLocation"] = json!("https://example.org/deps/foo-1.9.tar.gz");
    let mut tcl = package("tcl-core", "8.6.15.0");
    tcl["downloadLocation"] = json!("https://example.org/deps/tcl-core-8.6.15.0.tar.gz");
    let p = Project::new(
        &[("build/get_deps.bat", script.as_bytes())],
        config,
        vec![foo, tcl],
    );
    let (code, report) = p.check(&[]);
    assert_eq!(code, 1);
    assert_eq!(codes(&report), ["V001", "V010", "V012"]);
    assert_eq!(
        report["inputs"][0]["changes"],
        json!([
            "~ package foo: version 1.9 becomes 2.0.1",
            "~ package foo: downloadLocation https://example.org/deps/foo-1.9.tar.gz becomes https://example.org/deps/foo-2.0.1.tar.gz",
            "~ package foo: CPE cpe:2.3:a:example:foo:1.9:*:*:*:*:*:*:* becomes cpe:2.3:a:example:foo:2.0.1:*:*:*:*:*:*:*",
            "~ package foo: checksums dropped (the download location changed; fill them in from the new download)",
        ])
    );
    assert!(
        finding(&report, "V012")["message"]
            .as_str()
            .expect("m")
            .contains("fetches new-1.0, but sbom.spdx.json has no package new")
    );
    p.regen();
    let doc = p.sbom();
    assert_eq!(doc["packages"][0]["versionInfo"], "2.0.1");
    assert!(doc["packages"][0].get("checksums").is_none());
    assert!(
        doc["packages"][1]["checksums"].is_array(),
        "unchanged URL keeps its checksum"
    );
    assert!(
        doc.get("files").is_some_and(|f| f == &json!([])),
        "externals leave files alone"
    );
}

fn git(dir: &Path, args: &[&str]) {
    let ok = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs")
        .status
        .success();
    assert!(ok, "git {args:?}");
}

#[test]
fn git_ignore_rules_apply_in_a_work_tree() {
    let p = Project::new(
        &[
            ("vendor/foo/a.c", b"a"),
            ("vendor/foo/a.o", b"object"),
            ("vendor/foo/keep.o", b"tracked anyway"),
            (".gitignore", b"*.o\n"),
        ],
        FOO_CONFIG,
        vec![package("foo", "1.0")],
    );
    git(&p.root, &["init", "-q"]);
    git(&p.root, &["add", "-f", "vendor/foo/keep.o"]);
    let listed = |p: &Project| -> Vec<String> {
        p.sbom()["files"]
            .as_array()
            .expect("files")
            .iter()
            .map(|f| f["fileName"].as_str().expect("n").to_owned())
            .collect()
    };
    p.regen();
    assert_eq!(listed(&p), ["vendor/foo/a.c", "vendor/foo/keep.o"]);
    let out = p.run(&["regen", "--no-git"]);
    assert!(out.status.success());
    assert_eq!(
        listed(&p),
        ["vendor/foo/a.c", "vendor/foo/a.o", "vendor/foo/keep.o"]
    );
}

#[test]
fn a_tree_in_a_directory_its_work_tree_ignores_is_read_whole() {
    // A source tree unpacked into another project's ignored build directory: that project's
    // ignore rules would hide every file, so they do not apply.
    let outer = tempfile::tempdir().expect("tempdir");
    std::fs::write(outer.path().join(".gitignore"), "build/\n").expect("write");
    git(outer.path(), &["init", "-q"]);
    let p = Project::new(
        &[("vendor/foo/a.c", b"a"), ("vendor/foo/b.o", b"o")],
        FOO_CONFIG,
        vec![package("foo", "1.0")],
    );
    let inner = outer.path().join("build/proj");
    std::fs::create_dir_all(outer.path().join("build")).expect("mkdir");
    let copy = std::process::Command::new("cp")
        .arg("-r")
        .arg(&p.root)
        .arg(&inner)
        .status()
        .expect("cp runs");
    assert!(copy.success());
    let out = bomsmith()
        .args(["vendor", "regen"])
        .arg(&inner)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sbom: Value =
        serde_json::from_slice(&std::fs::read(inner.join("sbom.spdx.json")).expect("read"))
            .expect("json");
    let names: Vec<&str> = sbom["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["fileName"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["vendor/foo/a.c", "vendor/foo/b.o"]);
}

#[test]
fn bad_configuration_and_documents_are_operational_errors() {
    let p = Project::new(
        &[("vendor/foo/a.c", b"a")],
        &format!("{FOO_CONFIG}inclde = [\"x\"]\n"),
        vec![package("foo", "1")],
    );
    let out = p.run(&["check"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bomsmith.toml:9:1: unknown field `inclde`"),
        "{err}"
    );

    let p = Project::new(
        &[],
        &FOO_CONFIG.replace("detector = \"none\"", "detector = \"zlibb\""),
        vec![],
    );
    let err = String::from_utf8_lossy(&p.run(&["check"]).stderr).into_owned();
    assert!(
        err.contains("bomsmith.toml:8:12: unknown detector `zlibb`"),
        "{err}"
    );

    // Globs stay inside the tree; a bad version pattern is placed at its value.
    for (edit, want) in [
        (
            "include = [\"vendor/../../etc/*\"]",
            "bomsmith.toml:7:12: invalid glob: `vendor/../../etc/*` has a `..` component",
        ),
        (
            "include = [\"/etc/*\"]",
            "bomsmith.toml:7:12: invalid glob: `/etc/*` is absolute",
        ),
    ] {
        let p = Project::new(
            &[],
            &FOO_CONFIG.replace("include = [\"vendor/foo/**\"]", edit),
            vec![],
        );
        let out = p.run(&["check"]);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(want), "{err}");
    }
    let p = Project::new(
        &[],
        &FOO_CONFIG.replace(
            "detector = \"none\"",
            "version_file = \"v.h\"\nversion_pattern = \"v(\"",
        ),
        vec![],
    );
    let err = String::from_utf8_lossy(&p.run(&["check"]).stderr).into_owned();
    assert!(
        err.contains("bomsmith.toml:9:19: invalid regular expression"),
        "{err}"
    );

    let p = Project::new(
        &[("vendor/foo/a.c", b"a")],
        FOO_CONFIG,
        vec![package("foo", "1")],
    );
    p.write("sbom.spdx.json", b"{\"packages\": [");
    let before = std::fs::read(p.path("sbom.spdx.json")).expect("read");
    let out = p.run(&["regen"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("sbom.spdx.json: /: malformed JSON"), "{err}");
    assert_eq!(
        std::fs::read(p.path("sbom.spdx.json")).expect("read"),
        before
    );

    std::fs::remove_file(p.path("sbom.spdx.json")).expect("rm");
    let err = String::from_utf8_lossy(&p.run(&["check"]).stderr).into_owned();
    assert!(err.contains("sbom.spdx.json: No such file"), "{err}");

    std::fs::remove_file(p.path("bomsmith.toml")).expect("rm");
    let out = p.run(&["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("has no bomsmith.toml; pass --config FILE or --preset NAME")
    );
}

#[test]
fn rules_are_listed_and_explained() {
    let out = bomsmith()
        .args(["vendor", "rules", "--explain", "V008"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("V008 exclude-matches-nothing (error): ")
    );
    let out = bomsmith().args(["vendor", "rules"]).output().expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    for code in ["V001", "V017", "expat", "openssl", "xz"] {
        assert!(text.contains(code), "{code} missing from {text}");
    }
    assert_eq!(
        bomsmith()
            .args(["vendor", "rules", "--explain", "V999"])
            .output()
            .expect("runs")
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn detect_finds_candidates_only_with_evidence() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let files: &[(&str, &str)] = &[
        ("src/main.c", "int main(void) { return 0; }\n"),
        ("src/version.h", "#define APP_VERSION \"9.9.9\"\n"),
        (
            "third_party/zlib/zlib.h",
            "#define ZLIB_VERSION \"1.3.1\"\n",
        ),
        ("third_party/zlib/adler32.c", "/* adler */\n"),
        (
            "web/vendor/left-pad/package.json",
            "{\"name\": \"left-pad\", \"version\": \"1.3.0\"}\n",
        ),
        ("web/vendor/left-pad/index.js", "module.exports = 1;\n"),
        ("libs/tiny/COPYING", "license\n"),
        ("libs/tiny/tiny.h", "#define TINY_VERSION \"0.4.2\"\n"),
        (
            ".gitmodules",
            "[submodule \"ext/sub\"]\n\tpath = ext/sub\n\turl = https://example.org/sub.git\n",
        ),
        (
            "Cargo.toml",
            "[package]\nname = \"root-project\"\nversion = \"1.0.0\"\n",
        ),
    ];
    for (path, text) in files {
        let full = root.join(path);
        std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
        std::fs::write(full, text).expect("write");
    }
    let out = bomsmith()
        .args(["vendor", "detect", "--format", "json"])
        .arg(root)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    let got: Vec<(String, String, Option<String>)> = report["candidates"]
        .as_array()
        .expect("candidates")
        .iter()
        .map(|c| {
            assert!(!c["evidence"].as_array().expect("ev").is_empty());
            (
                c["path"].as_str().expect("p").to_owned(),
                c["name"].as_str().expect("n").to_owned(),
                c["version"].as_str().map(str::to_owned),
            )
        })
        .collect();
    let want = [
        ("ext/sub", "sub", None),
        ("libs/tiny", "tiny", Some("0.4.2")),
        ("third_party/zlib", "zlib", Some("1.3.1")),
        ("web/vendor/left-pad", "left-pad", Some("1.3.0")),
    ]
    .map(|(p, n, v)| (p.to_owned(), n.to_owned(), v.map(str::to_owned)));
    assert_eq!(got, want);
    let human = bomsmith()
        .args(["vendor", "detect"])
        .arg(root)
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains("[[in_tree_sbom.component]]\nname = \"zlib\"\ninclude = [\"third_party/zlib/**\"]\n# the source says version 1.3.1\n"), "{text}");
    assert!(
        text.contains("vendor detect: 4 candidates, 4 not declared"),
        "{text}"
    );
}

/// A one-connection-at-a-time HTTP server on localhost answering with `responses` in turn.
fn serve(responses: Vec<(u16, Vec<u8>)>) -> (String, std::thread::JoinHandle<usize>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let handle = std::thread::spawn(move || {
        let mut served = 0;
        for (status, body) in responses {
            let (stream, _) = listener.accept().expect("accept");
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut line = String::new();
            while reader.read_line(&mut line).expect("read") > 2 {
                line.clear();
            }
            let mut stream = stream;
            let head = format!(
                "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes()).expect("write");
            stream.write_all(&body).expect("write");
            served += 1;
        }
        served
    });
    (base, handle)
}

#[test]
fn downloads_are_verified_from_the_cache_and_fetched_only_when_online() {
    let body = b"pretend this is foo-1.0.tar.gz".to_vec();
    let (base, server) = serve(vec![(503, b"busy".to_vec()), (200, body.clone())]);
    let mut foo = package("foo", "1.0");
    foo["downloadLocation"] = json!(format!("{base}/dist/foo-1.0.tar.gz"));
    foo["checksums"] = json!([{"algorithm": "SHA256", "checksumValue": sha256_hex(&body)}]);
    let p = Project::new(&[("vendor/foo/a.c", b"a")], FOO_CONFIG, vec![foo]);
    p.regen();
    let cache = p.path("cache");
    let cache_arg = cache.to_str().expect("utf-8");

    // Offline, an empty cache cannot verify anything, and says how to fix that.
    let (code, report) = p.check(&["--verify-downloads", cache_arg]);
    assert_eq!(code, 1);
    assert_eq!(codes(&report), ["V003", "V015"]);
    assert!(
        finding(&report, "V015")["message"]
            .as_str()
            .expect("m")
            .contains("is not in the cache; put the file there or pass --online")
    );

    // Online: the first attempt gets a 503, the retry the file, which lands in the cache.
    let (code, report) = p.check(&["--verify-downloads", cache_arg, "--online"]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(server.join().expect("server"), 2);
    assert_eq!(
        std::fs::read(cache.join("foo-1.0.tar.gz")).expect("cached"),
        body
    );

    // A cached file with other content is a mismatch (no network needed).
    std::fs::write(cache.join("foo-1.0.tar.gz"), b"tampered").expect("write");
    let (code, report) = p.check(&["--verify-downloads", cache_arg]);
    assert_eq!(code, 1);
    assert_eq!(codes(&report), ["V003", "V014"]);
    assert!(
        finding(&report, "V014")["message"]
            .as_str()
            .expect("m")
            .contains(&sha256_hex(b"tampered"))
    );
}

#[test]
fn a_failing_fetch_is_reported_not_hidden() {
    // A port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let mut foo = package("foo", "1.0");
    foo["downloadLocation"] = json!(format!("http://127.0.0.1:{port}/foo-1.0.tar.gz"));
    let p = Project::new(&[("vendor/foo/a.c", b"a")], FOO_CONFIG, vec![foo]);
    p.regen();
    let cache = p.path("cache");
    let started = std::time::Instant::now();
    let (code, report) = p.check(&[
        "--verify-downloads",
        cache.to_str().expect("utf-8"),
        "--online",
        "--attempts",
        "1",
        "--timeout",
        "5",
    ]);
    assert_eq!(code, 1);
    assert_eq!(codes(&report), ["V003", "V015"]);
    let m = finding(&report, "V015")["message"]
        .as_str()
        .expect("m")
        .to_owned();
    assert!(m.contains("gave up after 1 attempt"), "{m}");
    assert!(started.elapsed().as_secs() < 5);
    assert!(!cache.join("foo-1.0.tar.gz").exists());
}

/// Writes `files` under a fresh directory; returns the guard and the tree root.
fn tree(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("proj");
    for (path, text) in files {
        let full = root.join(path);
        std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
        std::fs::write(full, text).expect("write");
    }
    (dir, root)
}

/// (path, name, version) of every candidate `vendor detect --format json INPUT` reports.
fn detected(input: &Path) -> Vec<(String, String, Option<String>)> {
    let out = bomsmith()
        .args(["vendor", "detect", "--format", "json"])
        .arg(input)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    report["candidates"]
        .as_array()
        .expect("candidates")
        .iter()
        .map(|c| {
            (
                c["path"].as_str().expect("p").to_owned(),
                c["name"].as_str().expect("n").to_owned(),
                c["version"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

const ZLIB_H: &str = "/* zlib.h */\n#define ZLIB_VERSION \"1.3.1\"\n";

#[test]
fn vendor_regen_cannot_start_a_new_in_tree_sbom_so_init_writes_a_valid_one() {
    let (_dir, root) = tree(&[
        ("third_party/zlib/zlib.h", ZLIB_H),
        ("third_party/zlib/adler32.c", "/* adler */\n"),
        ("src/main.c", "int main(void) { return 0; }\n"),
    ]);
    let out = bomsmith()
        .args(["vendor", "init"])
        .arg(&root)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let config = std::fs::read_to_string(root.join("bomsmith.toml")).expect("config");
    assert!(
        config.contains(
            "[[in_tree_sbom.component]]\nname = \"zlib\"\ninclude = [\"third_party/zlib/**\"]\n"
        ),
        "{config}"
    );
    let sbom: Value =
        serde_json::from_slice(&std::fs::read(root.join("sbom.spdx.json")).expect("sbom"))
            .expect("json");
    let packages = sbom["packages"].as_array().expect("packages");
    assert_eq!(packages.len(), 1);
    assert_eq!(packages[0]["name"], "zlib");
    assert_eq!(packages[0]["versionInfo"], "1.3.1");
    let mut listed: Vec<(&str, &str)> = sbom["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| {
            (
                f["fileName"].as_str().expect("name"),
                f["checksums"][1]["checksumValue"].as_str().expect("sha256"),
            )
        })
        .collect();
    listed.sort();
    let zlib_sha = sha256_hex(ZLIB_H.as_bytes());
    let adler_sha = sha256_hex(b"/* adler */\n");
    assert_eq!(
        listed,
        [
            ("third_party/zlib/adler32.c", adler_sha.as_str()),
            ("third_party/zlib/zlib.h", zlib_sha.as_str())
        ]
    );
    // check passes on what init wrote, and the document is valid SPDX 2.3.
    let out = bomsmith()
        .args(["vendor", "check"])
        .arg(&root)
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = bomsmith()
        .arg("validate")
        .arg(root.join("sbom.spdx.json"))
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // A second init refuses to overwrite, naming both files; --force replaces what bomsmith
    // wrote, never a file of the user's.
    let out = bomsmith()
        .args(["vendor", "init"])
        .arg(&root)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bomsmith.toml exists") && stderr.contains("sbom.spdx.json exists"),
        "{stderr}"
    );
    let out = bomsmith()
        .args(["vendor", "init", "--force"])
        .arg(&root)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::write(root.join("bomsmith.toml"), "# mine\n").expect("write");
    let out = bomsmith()
        .args(["vendor", "init", "--force"])
        .arg(&root)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("bomsmith.toml exists and bomsmith did not write it"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(root.join("bomsmith.toml")).expect("read"),
        "# mine\n"
    );
}

#[test]
fn vendor_regen_from_a_skeleton_wrote_an_invalid_document_and_exited_0() {
    let (_dir, root) = tree(&[
        ("third_party/zlib/zlib.h", ZLIB_H),
        (
            "bomsmith.toml",
            "[[in_tree_sbom]]\npath = \"sbom.spdx.json\"\n\n[[in_tree_sbom.component]]\nname = \"zlib\"\ninclude = [\"third_party/zlib/**\"]\n",
        ),
    ]);
    let skeleton = serde_json::to_vec(&json!({
        "SPDXID": "SPDXRef-DOCUMENT",
        "spdxVersion": "SPDX-2.3",
        "packages": [{"SPDXID": "SPDXRef-PACKAGE-zlib", "name": "zlib", "downloadLocation": "NOASSERTION"}],
    }))
    .expect("json");
    std::fs::write(root.join("sbom.spdx.json"), &skeleton).expect("write");
    let out = bomsmith()
        .args(["vendor", "regen"])
        .arg(&root)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        std::fs::read(root.join("sbom.spdx.json")).expect("read") == skeleton,
        "nothing is written"
    );
    for what in [
        "V018 error: sbom.spdx.json would not be valid SPDX 2.3",
        "fill in the document's `name`",
        "fill in the document's `dataLicense`",
        "fill in the document's `documentNamespace`",
        "fill in the document's `creationInfo.created`",
        "fill in the document's `creationInfo.creators`",
        "fill in the document's `documentDescribes`",
        "V010 error: package zlib lacks versionInfo, checksums, licenseConcluded, externalRefs, primaryPackagePurpose",
        "nothing written",
    ] {
        assert!(stderr.contains(what), "{what}: {stderr}");
    }
}

#[test]
fn vendor_detect_flagged_the_project_itself_as_vendored_code() {
    // zlib's own tree: its root is zlib, not a copy of it.
    let (_a, zlib) = tree(&[
        ("zlib.h", ZLIB_H),
        ("CMakeLists.txt", "project(zlib C)\n"),
        ("adler32.c", "/* adler */\n"),
    ]);
    assert_eq!(detected(&zlib), []);
    // A project whose own headers state its version beside a license, with a copy of zlib.
    let (_b, own) = tree(&[
        (
            "CMakeLists.txt",
            "cmake_minimum_required(VERSION 3.10)\nproject(MyProj VERSION 2.0.1 LANGUAGES C)\n",
        ),
        ("include/LICENSE", "MIT\n"),
        ("include/myproj.h", "#define MYPROJ_VERSION \"2.0.1\"\n"),
        ("src/main.c", "int main(void) { return 0; }\n"),
        ("third_party/zlib/zlib.h", ZLIB_H),
    ]);
    assert_eq!(
        detected(&own),
        [(
            "third_party/zlib".to_owned(),
            "zlib".to_owned(),
            Some("1.3.1".to_owned())
        )]
    );
}

#[test]
fn vendor_detect_refused_release_archives() {
    let dir = tempfile::tempdir().expect("tempdir");
    let archive = dir.path().join("myproj-2.0.1.tar.gz");
    let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(
        std::fs::File::create(&archive).expect("create"),
        flate2::Compression::default(),
    ));
    for (path, text) in [
        ("myproj-2.0.1/CMakeLists.txt", "project(myproj C)\n"),
        ("myproj-2.0.1/src/main.c", "int main(void) { return 0; }\n"),
        ("myproj-2.0.1/third_party/zlib/zlib.h", ZLIB_H),
        ("myproj-2.0.1/third_party/zlib/adler32.c", "/* adler */\n"),
    ] {
        let mut header = tar::Header::new_gnu();
        header.set_size(text.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        builder
            .append_data(&mut header, path, text.as_bytes())
            .expect("append");
    }
    builder.into_inner().expect("tar").finish().expect("gzip");
    assert_eq!(
        detected(&archive),
        [(
            "third_party/zlib".to_owned(),
            "zlib".to_owned(),
            Some("1.3.1".to_owned())
        )]
    );
    // check and regen need a writable tree, and say so.
    for command in ["check", "regen"] {
        let out = bomsmith()
            .args(["vendor", command])
            .arg(&archive)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!(
                "not a directory; `vendor {command}` works on a source tree"
            )),
            "{stderr}"
        );
    }
}
