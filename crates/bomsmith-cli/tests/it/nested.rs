//! Archives inside the input: listed under `outer!inner/path`, each file hashed, to a
//! configurable depth, with the outer input's bounds; and excludes, one rule for every kind of
//! input. The archives are written by Python's `tarfile`/`zipfile` and the expected digests
//! computed by its `hashlib`, independently of bomsmith's readers.

use crate::util::{bomsmith, file_checksums, npm_sqlite3, scan_json};
use serde_json::Value;
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs a Python script (on standard input) with `args`; its standard output.
fn python(script: &str, args: &[&OsStr]) -> String {
    use std::io::Write;
    let mut child = Command::new("python3")
        .arg("-")
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(script.as_bytes())
        .expect("script written");
    let out = child.wait_with_output().expect("python3 ends");
    assert!(
        out.status.success(),
        "python3 failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// Python helpers: `tar(entries, mode)` and `zipb(entries)` write an archive of
/// `(name, bytes)` entries; `build(kind, mode, entries, prefix, out)` writes one whose entries
/// may be archives themselves (`("file", bytes)`, `("tar", mode, entries)`,
/// `("zip", None, entries)`), recording in `out` the SHA-256 of every file at any depth under
/// its `outer!inner` path.
const PY_ARCHIVES: &str = r#"
import hashlib, io, json, sys, tarfile, zipfile

def tar(entries, mode):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode=mode) as t:
        for name, data in entries:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 1700000000
            info.mode = 0o644
            t.addfile(info, io.BytesIO(data))
    return buf.getvalue()

def zipb(entries):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in entries:
            z.writestr(zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0)), data,
                       compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()

def build(kind, mode, entries, prefix, out):
    members = []
    for name, node in entries:
        path = prefix + name
        if node[0] == "file":
            data = node[1]
        else:
            data = build(node[0], node[1], node[2], path + "!", out)
        out[path] = hashlib.sha256(data).hexdigest()
        members.append((name, data))
    return tar(members, mode) if kind == "tar" else zipb(members)
"#;

/// SHA-256 of every file of a scan's document, by name.
fn sha256s(doc: &Value) -> BTreeMap<String, String> {
    file_checksums(doc)
        .into_iter()
        .map(|(path, sums)| (path, sums["SHA256"].clone()))
        .collect()
}

/// Runs `bomsmith scan` with `args`: (exit code, document if written, standard error).
fn scan(args: &[&OsStr]) -> (i32, Option<Value>, String) {
    let out = bomsmith().arg("scan").args(args).output().expect("runs");
    let doc = serde_json::from_slice(&out.stdout).ok();
    (
        out.status.code().expect("exit code"),
        doc,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A release tarball (top directory `proj-2.0/`) holding a `.tar.gz`, a `.zip`, a gzip'd tar
/// whose name says nothing (`data.bin`), a text file named like a zip, and three levels of
/// nesting: a `.tar.bz2` holding a plain tar holding a zip. Returns the tarball and what
/// Python says every file at any depth is, by final name (`!` counts the levels).
fn nested_release(dir: &Path) -> (PathBuf, BTreeMap<String, String>) {
    let tarball = dir.join("proj-2.0.tar.gz");
    let script = format!(
        r#"{PY_ARCHIVES}
lib = [("lib-1.0/a.c", ("file", b"int a;\n")),
       ("lib-1.0/sub/b.h", ("file", b"int b; /* crlf */\r\n"))]
z = [("x.txt", ("file", b"x" * 5000)), ("d/y.bin", ("file", bytes(range(256)) * 40))]
deep = [("z.txt", ("file", b"deepest\n"))]
mid = [("m.txt", ("file", b"middle\n")), ("deep.zip", ("zip", None, deep))]
bundle = [("bundle/mid.tar", ("tar", "w", mid)), ("bundle/top.txt", ("file", b"top\n"))]
data = [("inside.txt", ("file", b"found by its magic bytes\n"))]
outer = [
    ("proj-2.0/README", ("file", b"readme\n")),
    ("proj-2.0/deps/lib-1.0.tar.gz", ("tar", "w:gz", lib)),
    ("proj-2.0/deps/z.zip", ("zip", None, z)),
    ("proj-2.0/vendor/bundle.tar.bz2", ("tar", "w:bz2", bundle)),
    ("proj-2.0/data.bin", ("tar", "w:xz", data)),
    ("proj-2.0/notes.zip", ("file", b"not a zip at all\n")),
]
out = {{}}
open(sys.argv[1], "wb").write(build("tar", "w:gz", outer, "", out))
print(json.dumps({{k[len("proj-2.0/"):]: v for k, v in out.items()}}))
"#
    );
    let expected: BTreeMap<String, String> =
        serde_json::from_str(&python(&script, &[tarball.as_os_str()])).expect("listing");
    (tarball, expected)
}

#[test]
fn nested_archives_are_listed_under_their_member_paths() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (tarball, expected) = nested_release(dir.path());
    assert!(expected.contains_key("vendor/bundle.tar.bz2!bundle/mid.tar!deep.zip!z.txt"));
    assert!(expected.contains_key("deps/lib-1.0.tar.gz!lib-1.0/sub/b.h"));

    // Default depth (3): every file at every level, each with Python's SHA-256; the nested
    // archives themselves are files too.
    let (code, doc, stderr) = scan(&[tarball.as_os_str()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("INPUT004"), "{stderr}");
    assert_eq!(sha256s(&doc.expect("document")), expected);

    // Each depth lists the files of that many levels of archives (`!` counts them).
    for depth in 0..=3 {
        let n = depth.to_string();
        let (code, doc, stderr) = scan(&[
            tarball.as_os_str(),
            OsStr::new("--nested-depth"),
            OsStr::new(&n),
        ]);
        assert_eq!(code, 0, "{stderr}");
        let want: BTreeMap<String, String> = expected
            .iter()
            .filter(|(p, _)| p.matches('!').count() <= depth)
            .map(|(p, s)| (p.clone(), s.clone()))
            .collect();
        assert_eq!(sha256s(&doc.expect("document")), want, "depth {depth}");
    }
}

#[test]
fn nested_depth_is_configurable_in_bomsmith_toml() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (tarball, expected) = nested_release(dir.path());
    let config = dir.path().join("bomsmith.toml");
    std::fs::write(&config, "[scan]\nnested_depth = 1\n").expect("config");
    let doc = scan_json(&[
        tarball.as_os_str(),
        OsStr::new("--config"),
        config.as_os_str(),
    ]);
    let names: Vec<String> = sha256s(&doc).into_keys().collect();
    let want: Vec<String> = expected
        .keys()
        .filter(|p| p.matches('!').count() <= 1)
        .cloned()
        .collect();
    assert_eq!(names, want);
    // The command line wins over the configuration.
    let doc = scan_json(&[
        tarball.as_os_str(),
        OsStr::new("--config"),
        config.as_os_str(),
        OsStr::new("--nested-depth"),
        OsStr::new("0"),
    ]);
    assert!(sha256s(&doc).keys().all(|p| !p.contains('!')));
}

#[test]
fn nested_archives_of_a_directory_are_listed_as_in_the_tarball() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (tarball, expected) = nested_release(dir.path());
    let tree = dir.path().join("tree");
    python(
        "import sys, tarfile\ntarfile.open(sys.argv[1]).extractall(sys.argv[2], filter='data')\n",
        &[tarball.as_os_str(), tree.as_os_str()],
    );
    let doc = scan_json(&[tree.join("proj-2.0").as_os_str()]);
    assert_eq!(sha256s(&doc), expected);
}

#[test]
fn nested_gzip_bomb_in_a_tar_is_refused_naming_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let outer = dir.path().join("release.tar");
    // 200 MB of zeros in a tar, gzip'd (about 1,030 : 1), inside a plain tar.
    let script = format!(
        r#"{PY_ARCHIVES}
import gzip
inner = tar([("zeros", bytes(200_000_000))], "w")
bomb = gzip.compress(inner, 9)
open(sys.argv[1], "wb").write(tar([("pkg/README", b"hi\n"), ("pkg/zeros.tar.gz", bomb)], "w"))
"#
    );
    python(&script, &[outer.as_os_str()]);
    let (code, doc, stderr) = scan(&[outer.as_os_str()]);
    assert_eq!(code, 2, "{stderr}");
    assert!(doc.is_none());
    let named = format!("{}!pkg/zeros.tar.gz", outer.display());
    assert!(
        stderr.contains(&format!(
            "error: {named}: member `zeros`: decompression bomb:"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("more than 1000:1"), "{stderr}");
    assert!(stderr.contains("--max-ratio"), "{stderr}");
    // Not looked into, it is one file like any other.
    let (code, _, stderr) = scan(&[
        outer.as_os_str(),
        OsStr::new("--nested-depth"),
        OsStr::new("0"),
    ]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn malformed_nested_archives_are_listed_as_files_with_a_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    let outer = dir.path().join("t.tar");
    // A zip's magic and then nothing a zip has; and a tar.gz cut in the middle of its third
    // member (the two before it read fine, and must not be listed either).
    let script = format!(
        r#"{PY_ARCHIVES}
bad_zip = b"PK\x03\x04" + b"\x00" * 100
whole = tar([("a.txt", b"a" * 3000), ("b.txt", b"b" * 3000), ("c.bin", bytes(range(256)) * 400)],
            "w:gz")
cut = whole[: len(whole) - 200]
good = [("ok/fine.txt", ("file", b"fine\n"))]
out = {{}}
entries = [("t/bad.zip", ("file", bad_zip)), ("t/cut.tar.gz", ("file", cut)),
           ("t/good.zip", ("zip", None, good))]
open(sys.argv[1], "wb").write(build("tar", "w", entries, "", out))
print(json.dumps({{k[len("t/"):]: v for k, v in out.items()}}))
"#
    );
    let expected: BTreeMap<String, String> =
        serde_json::from_str(&python(&script, &[outer.as_os_str()])).expect("listing");
    let (code, doc, stderr) = scan(&[outer.as_os_str()]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(sha256s(&doc.expect("document")), expected);
    assert!(expected.contains_key("good.zip!ok/fine.txt"));
    let shown = outer.display();
    for name in ["bad.zip", "cut.tar.gz"] {
        let line = stderr
            .lines()
            .find(|l| l.starts_with(&format!("bomsmith: {shown}!t/{name}: INPUT004 warning:")))
            .unwrap_or_else(|| panic!("no warning for {name}: {stderr}"));
        assert!(
            line.contains("not looked into, listed as one file"),
            "{line}"
        );
    }
    assert_eq!(stderr.matches("INPUT004").count(), 2, "{stderr}");
}

#[test]
fn npm_package_lists_the_sqlite_amalgamation_inside_it() {
    let Some(tgz) = npm_sqlite3() else {
        return;
    };
    assert_eq!(
        crate::util::file_sha256(&tgz),
        "44cc9bdee02705a7b636f76968d745e21c1d0b2f1c62810c678bc3b0ececab1b"
    );
    // What Python's tarfile finds in the tarball inside the package, with hashlib's SHA-256.
    let script = r#"
import hashlib, io, json, sys, tarfile
outer = tarfile.open(sys.argv[1])
name = "deps/sqlite-autoconf-3440200.tar.gz"
inner_bytes = outer.extractfile("package/" + name).read()
out = {name: hashlib.sha256(inner_bytes).hexdigest()}
with tarfile.open(fileobj=io.BytesIO(inner_bytes)) as inner:
    for m in inner.getmembers():
        if m.isfile():
            out[name + "!" + m.name] = hashlib.sha256(inner.extractfile(m).read()).hexdigest()
print(json.dumps(out))
"#;
    let expected: BTreeMap<String, String> =
        serde_json::from_str(&python(script, &[tgz.as_os_str()])).expect("listing");
    assert!(
        expected
            .contains_key("deps/sqlite-autoconf-3440200.tar.gz!sqlite-autoconf-3440200/sqlite3.c")
    );
    assert!(expected.len() > 30, "{expected:?}");
    let got = sha256s(&scan_json(&[tgz.as_os_str()]));
    for (path, sha256) in &expected {
        assert_eq!(got.get(path), Some(sha256), "{path}");
    }
    // Nothing else is nested: the package's own files, and the amalgamation's.
    let nested = got.keys().filter(|p| p.contains('!')).count();
    assert_eq!(nested, expected.len() - 1);
}

#[test]
fn exclude_gives_the_same_files_on_a_tarball_and_its_extracted_tree() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tarball = dir.path().join("curl-7.88.1.tar.gz");
    let tree = dir.path().join("tree");
    // Directories named `tests` at several depths, a file named `tests`, and an archive whose
    // files the patterns reach as well.
    let script = format!(
        r#"{PY_ARCHIVES}
dep = [("dep/tests/t.c", ("file", b"t\n")), ("dep/src/n.c", ("file", b"n\n")),
       ("dep/n.txt", ("file", b"n\n"))]
files = ["README.txt", "docs/tests", "docs/guide.txt", "src/main.c", "src/tests/unit.c",
         "src/lib/deep/y.c", "src/lib/tests.c", "tests/a.c", "tests/data/test1.txt",
         "lib/tests/unit/z.h"]
entries = [("curl-7.88.1/" + f, ("file", f.encode() + b"\n")) for f in files]
entries.append(("curl-7.88.1/vendor/dep.tar.gz", ("tar", "w:gz", dep)))
out = {{}}
open(sys.argv[1], "wb").write(build("tar", "w:gz", entries, "", out))
tarfile.open(sys.argv[1]).extractall(sys.argv[2], filter="data")
"#
    );
    python(&script, &[tarball.as_os_str(), tree.as_os_str()]);
    let extracted = tree.join("curl-7.88.1");
    let all = [
        "README.txt",
        "docs/guide.txt",
        "docs/tests",
        "lib/tests/unit/z.h",
        "src/lib/deep/y.c",
        "src/lib/tests.c",
        "src/main.c",
        "src/tests/unit.c",
        "tests/a.c",
        "tests/data/test1.txt",
        "vendor/dep.tar.gz",
        "vendor/dep.tar.gz!dep/n.txt",
        "vendor/dep.tar.gz!dep/src/n.c",
        "vendor/dep.tar.gz!dep/tests/t.c",
    ];
    let without = |gone: &[&str]| -> Vec<String> {
        all.iter()
            .filter(|p| !gone.contains(p))
            .map(|p| (*p).to_owned())
            .collect()
    };
    let cases: [(&[&str], Vec<String>); 7] = [
        (&[], without(&[])),
        (
            &["tests"],
            without(&[
                "docs/tests",
                "lib/tests/unit/z.h",
                "src/tests/unit.c",
                "tests/a.c",
                "tests/data/test1.txt",
                "vendor/dep.tar.gz!dep/tests/t.c",
            ]),
        ),
        (
            &["tests/*"],
            without(&["tests/a.c", "tests/data/test1.txt"]),
        ),
        (
            &["src/**/*.c"],
            without(&[
                "src/lib/deep/y.c",
                "src/lib/tests.c",
                "src/main.c",
                "src/tests/unit.c",
            ]),
        ),
        (
            &["*.txt"],
            without(&[
                "README.txt",
                "docs/guide.txt",
                "tests/data/test1.txt",
                "vendor/dep.tar.gz!dep/n.txt",
            ]),
        ),
        (
            &["vendor/*.tar.gz", "docs"],
            without(&[
                "docs/guide.txt",
                "docs/tests",
                "vendor/dep.tar.gz",
                "vendor/dep.tar.gz!dep/n.txt",
                "vendor/dep.tar.gz!dep/src/n.c",
                "vendor/dep.tar.gz!dep/tests/t.c",
            ]),
        ),
        (
            &["vendor/dep.tar.gz!dep/tests"],
            without(&["vendor/dep.tar.gz!dep/tests/t.c"]),
        ),
    ];
    for (patterns, want) in cases {
        let names = |input: &Path| -> Vec<String> {
            let mut args = vec![input.as_os_str().to_owned()];
            for p in patterns {
                args.push("--exclude".into());
                args.push(p.into());
            }
            let args: Vec<&OsStr> = args.iter().map(|a| a.as_os_str()).collect();
            sha256s(&scan_json(&args)).into_keys().collect()
        };
        assert_eq!(names(&tarball), want, "tarball, --exclude {patterns:?}");
        assert_eq!(names(&extracted), want, "tree, --exclude {patterns:?}");
    }
}

#[test]
fn metadata_inside_a_nested_wheel_is_not_taken_for_the_inputs_own() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Named like the project in the wheel, whose METADATA would otherwise give the root its
    // supplier.
    let zip = dir.path().join("thing-1.0.zip");
    // A zip with no top directory, holding a wheel: its METADATA sits one `/` deep in the
    // nested name (`thing-9.9-py3-none-any.whl!thing-9.9.dist-info/METADATA`), as a wheel's own
    // would at the top of the input.
    let script = format!(
        r#"{PY_ARCHIVES}
meta = b"Metadata-Version: 2.1\nName: thing\nVersion: 9.9\nAuthor: Someone Else\n"
wheel = [("thing/__init__.py", ("file", b"")), ("thing-9.9.dist-info/METADATA", ("file", meta))]
out = {{}}
entries = [("README", ("file", b"readme\n")),
           ("thing-9.9-py3-none-any.whl", ("zip", None, wheel))]
open(sys.argv[1], "wb").write(build("zip", None, entries, "", out))
"#
    );
    python(&script, &[zip.as_os_str()]);
    let doc = scan_json(&[zip.as_os_str()]);
    assert!(sha256s(&doc).contains_key("thing-9.9-py3-none-any.whl!thing-9.9.dist-info/METADATA"));
    let described = doc["relationships"]
        .as_array()
        .expect("relationships")
        .iter()
        .find(|r| r["relationshipType"] == "DESCRIBES")
        .and_then(|r| r["relatedSpdxElement"].as_str())
        .expect("described");
    let root = doc["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .find(|p| p["SPDXID"] == described)
        .expect("root package");
    assert_eq!(root["name"], "thing", "{root}");
    assert_eq!(root["versionInfo"], "1.0", "{root}");
    assert!(
        root.get("supplier")
            .is_none_or(|s| s != "Person: Someone Else"),
        "{root}"
    );
}

/// A scan of CPython's tarball warned that `Doc/library/tulip_coro.dia` (a gzip-compressed
/// drawing) was a corrupt tar: a compressed file that holds no tar is a file like any other,
/// listed and hashed, with no warning; so are a tiny `.gz` and an `.svgz`.
#[test]
fn compressed_files_that_hold_no_tar_are_files_not_malformed_archives() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tarball = dir.path().join("proj-1.0.tar.gz");
    let expected = python(
        r#"
import gzip, hashlib, io, json, sys, tarfile
members = {
    "proj-1.0/doc/drawing.dia": gzip.compress(b"<?xml version='1.0'?><dia:diagram>" + b"x" * 4000 + b"</dia:diagram>", mtime=0),
    "proj-1.0/tiny.gz": gzip.compress(b"hello", mtime=0),
    "proj-1.0/icon.svgz": gzip.compress(b"<svg xmlns='http://www.w3.org/2000/svg'/>", mtime=0),
}
with tarfile.open(sys.argv[1], "w:gz") as t:
    for name, data in members.items():
        info = tarfile.TarInfo(name)
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
print(json.dumps({n.split("/", 1)[1]: hashlib.sha256(d).hexdigest() for n, d in members.items()}))
"#,
        &[tarball.as_os_str()],
    );
    let expected: BTreeMap<String, String> = serde_json::from_str(&expected).expect("JSON");
    let (code, doc, stderr) = scan(&[tarball.as_os_str()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("INPUT004"), "{stderr}");
    assert_eq!(sha256s(&doc.expect("document")), expected);
}
