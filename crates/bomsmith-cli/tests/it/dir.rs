//! Directory inputs: `.git` skipped, excludes, `--git-tracked`, verification codes.

use crate::util::*;
use std::path::Path;
use std::process::Command as Std;

fn tree(root: &Path) {
    for (p, c) in [
        ("src/main.c", "int main(void) { return 0; }\n"),
        ("src/util.c", "/* util */\n"),
        ("build/out.o", "object"),
        ("docs/a.md", "# a\n"),
        (".git/config", "[core]\n"),
        ("README", "readme\n"),
    ] {
        let f = root.join(p);
        std::fs::create_dir_all(f.parent().expect("parent")).expect("mkdir");
        std::fs::write(f, c).expect("write");
    }
}

fn names(doc: &serde_json::Value) -> Vec<String> {
    file_checksums(doc).into_keys().collect()
}

#[test]
fn directory_scan_skips_git_and_honours_excludes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("proj");
    tree(&root);
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc/passwd", root.join("link")).expect("symlink");

    let doc = scan_json(&[root.as_os_str()]);
    assert_eq!(
        names(&doc),
        [
            "README",
            "build/out.o",
            "docs/a.md",
            "src/main.c",
            "src/util.c"
        ]
    );
    let pkg = &doc["packages"][0];
    assert_eq!(pkg["name"], "proj");
    assert_eq!(pkg["filesAnalyzed"], true);
    assert!(pkg.get("packageFileName").is_none(), "a tree is no file");
    // Verification code: SHA-1 over the sorted hex SHA-1s, computed here independently.
    let mut sha1s: Vec<String> = file_checksums(&doc)
        .values()
        .map(|s| s["SHA1"].clone())
        .collect();
    sha1s.sort();
    assert_eq!(
        pkg["packageVerificationCode"]["packageVerificationCodeValue"],
        sha1_hex(sha1s.concat().as_bytes())
    );
    assert!(
        doc["documentNamespace"]
            .as_str()
            .expect("namespace")
            .starts_with("https://spdx.org/spdxdocs/proj-")
    );

    let e = ["--exclude", "build", "--exclude", "docs/*.md"].map(std::ffi::OsStr::new);
    let doc = scan_json(&[root.as_os_str(), e[0], e[1], e[2], e[3]]);
    assert_eq!(names(&doc), ["README", "src/main.c", "src/util.c"]);
}

#[test]
fn git_tracked_lists_only_tracked_files() {
    if Std::new("git").arg("--version").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "git is required under CI");
        eprintln!("SKIPPED: git is not installed");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("proj");
    tree(&root);
    std::fs::remove_dir_all(root.join(".git")).expect("rm");
    let git = |args: &[&str]| {
        let ok = Std::new("git")
            .arg("-C")
            .arg(&root)
            .args(["-c", "user.name=t", "-c", "user.email=t@t"])
            .args(args)
            .output()
            .expect("git runs")
            .status
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "src", "README"]);
    let doc = scan_json(&[root.as_os_str(), std::ffi::OsStr::new("--git-tracked")]);
    assert_eq!(names(&doc), ["README", "src/main.c", "src/util.c"]);

    let plain = tempfile::tempdir().expect("tempdir");
    let out = bomsmith()
        .arg("scan")
        .arg(plain.path())
        .arg("--git-tracked")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("git ls-files failed"));
}

#[test]
fn config_file_sets_root_package() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("proj");
    tree(&root);
    std::fs::write(
        root.join("bomsmith.toml"),
        "[root]\nname = \"demo\"\nversion = \"2.0\"\nsupplier = \"Organization: Demo\"\n\
         purl = \"pkg:generic/{name}@{version}\"\n\n[document]\n\
         namespace = \"https://example.org/sbom/{name}-{version}\"\n",
    )
    .expect("write");
    let doc = scan_json(&[root.as_os_str()]);
    let pkg = &doc["packages"][0];
    assert_eq!(pkg["name"], "demo");
    assert_eq!(pkg["versionInfo"], "2.0");
    assert_eq!(pkg["SPDXID"], "SPDXRef-PACKAGE-demo");
    assert_eq!(
        pkg["externalRefs"][0]["referenceLocator"],
        "pkg:generic/demo@2.0"
    );
    assert_eq!(
        doc["documentNamespace"],
        "https://example.org/sbom/demo-2.0"
    );
    assert_eq!(doc["name"], "demo-2.0");
}

#[test]
fn colliding_spdx_ids_are_made_unique() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("proj");
    std::fs::create_dir_all(&root).expect("mkdir");
    for n in ["a b", "a_b", "a-b"] {
        std::fs::write(root.join(n), n).expect("write");
    }
    let doc = scan_json(&[root.as_os_str()]);
    let mut ids: Vec<&str> = doc["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["SPDXID"].as_str().expect("id"))
        .collect();
    ids.sort();
    assert_eq!(
        ids,
        [
            "SPDXRef-FILE-a-b",
            "SPDXRef-FILE-a-b-2",
            "SPDXRef-FILE-a-b-3"
        ]
    );
}

#[test]
fn path_patterns_match_from_the_tree_root_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("proj");
    for p in ["src/x.c", "vendor/src/y.c"] {
        let f = root.join(p);
        std::fs::create_dir_all(f.parent().expect("parent")).expect("mkdir");
        std::fs::write(f, p).expect("write");
    }
    let e = ["--exclude", "src/*.c"].map(std::ffi::OsStr::new);
    let doc = scan_json(&[root.as_os_str(), e[0], e[1]]);
    assert_eq!(names(&doc), ["vendor/src/y.c"]);
}

#[test]
fn excludes_mean_the_same_for_an_archive_and_its_tree() {
    // The tree inside one top-level directory, as release tarballs wrap it.
    let members = [
        ("proj-1.0/src/main.c", "int main;\n"),
        ("proj-1.0/tests/t1.c", "t1\n"),
        ("proj-1.0/tests/data/x.bin", "x"),
        ("proj-1.0/docs/tests.md", "# about tests\n"),
        ("proj-1.0/README", "readme\n"),
    ];
    let dir = tempfile::tempdir().expect("tempdir");
    let tar = dir.path().join("proj-1.0.tar");
    let entries: Vec<RawEntry<'_>> = members
        .iter()
        .map(|(p, c)| file(p.as_bytes(), c.as_bytes()))
        .collect();
    std::fs::write(&tar, raw_tar(&entries)).expect("write");
    for (p, c) in members {
        let f = dir.path().join("tree").join(p);
        std::fs::create_dir_all(f.parent().expect("parent")).expect("mkdir");
        std::fs::write(f, c).expect("write");
    }
    let tree = dir.path().join("tree/proj-1.0");
    let want = ["README", "docs/tests.md", "src/main.c"];
    for excludes in [&["tests"][..], &["tests/"][..], &["tests/**", "tests"][..]] {
        let mut args: Vec<&std::ffi::OsStr> = Vec::new();
        for e in excludes {
            args.push("--exclude".as_ref());
            args.push(e.as_ref());
        }
        for input in [&tar, &tree] {
            let mut all = vec![input.as_os_str()];
            all.extend(&args);
            assert_eq!(
                names(&scan_json(&all)),
                want,
                "{excludes:?} on {}",
                input.display()
            );
        }
    }
    // The summary says how many entries were left out (the directory, and the files in it).
    let out = bomsmith()
        .arg("scan")
        .arg(&tar)
        .args(["--exclude", "tests"])
        .output()
        .expect("runs");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("2 excluded"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
