//! In-tree SBOMs and bundled wheels on small archives built in the test.

use crate::util::*;
use std::io::Write;

const CONFIG: &str = r#"
[[in_tree_sbom]]
path = "Misc/sbom.spdx.json"

[[bundled_wheel]]
path = "wheels/tool-*.whl"
vendored = "tool/_vendor/vendor.txt"
"#;

fn in_tree_sbom(file: &str, sha256: &str) -> String {
    format!(
        r#"{{"SPDXID": "SPDXRef-DOCUMENT", "spdxVersion": "SPDX-2.3",
  "files": [{{"SPDXID": "SPDXRef-FILE-lib-x.c", "fileName": "{file}",
              "checksums": [{{"algorithm": "SHA256", "checksumValue": "{sha256}"}}]}}],
  "packages": [{{"SPDXID": "SPDXRef-PACKAGE-lib", "name": "lib", "versionInfo": "1.0",
                 "downloadLocation": "https://example.org/lib-1.0.tgz",
                 "licenseConcluded": "NOASSERTION"}}],
  "relationships": [{{"spdxElementId": "SPDXRef-PACKAGE-lib", "relationshipType": "CONTAINS",
                      "relatedSpdxElement": "SPDXRef-FILE-lib-x.c"}}]}}"#
    )
}

fn wheel(vendor_txt: &str) -> Vec<u8> {
    let mut zw = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    zw.start_file("tool/__init__.py", opts).expect("entry");
    zw.write_all(b"").expect("data");
    zw.start_file("tool/_vendor/vendor.txt", opts)
        .expect("entry");
    zw.write_all(vendor_txt.as_bytes()).expect("data");
    zw.finish().expect("zip").into_inner()
}

/// Writes `p-1.0.tar` with the in-tree SBOM, `lib/x.c` and a wheel; returns (dir, tar, config).
fn project(
    declared_file: &str,
    declared_sha: &str,
    vendor_txt: &str,
) -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let sbom = in_tree_sbom(declared_file, declared_sha);
    let whl = wheel(vendor_txt);
    let t = raw_tar(&[
        file(b"p-1.0/Misc/sbom.spdx.json", sbom.as_bytes()),
        file(b"p-1.0/lib/x.c", b"int x;\n"),
        file(b"p-1.0/main.c", b"int main;\n"),
        file(b"p-1.0/wheels/tool-2.0-py3-none-any.whl", &whl),
    ]);
    let tar = dir.path().join("p-1.0.tar");
    std::fs::write(&tar, t).expect("write");
    let cfg = dir.path().join("cfg.toml");
    std::fs::write(&cfg, CONFIG).expect("write");
    (dir, tar, cfg)
}

#[test]
fn in_tree_packages_own_their_files_and_wheels_bring_their_vendored_projects() {
    let (_d, tar, cfg) = project(
        "lib/x.c",
        &sha256_hex(b"int x;\n"),
        "# comment\nSix==1.16.0  # pinned\n\nTyping_Extensions==4.0\n",
    );
    let out = bomsmith()
        .arg("scan")
        .arg(&tar)
        .arg("--config")
        .arg(&cfg)
        .arg("--sha512")
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let rels: Vec<(String, String, String)> = doc["relationships"]
        .as_array()
        .expect("relationships")
        .iter()
        .map(|r| {
            (
                r["spdxElementId"].as_str().expect("from").to_owned(),
                r["relationshipType"].as_str().expect("type").to_owned(),
                r["relatedSpdxElement"].as_str().expect("to").to_owned(),
            )
        })
        .collect();
    let has = |f: &str, k: &str, t: &str| rels.contains(&(f.into(), k.into(), t.into()));
    assert!(has(
        "SPDXRef-PACKAGE-lib",
        "CONTAINS",
        "SPDXRef-FILE-lib-x.c"
    ));
    assert!(has("SPDXRef-PACKAGE-p", "CONTAINS", "SPDXRef-FILE-main.c"));
    assert!(has(
        "SPDXRef-PACKAGE-p",
        "DEPENDS_ON",
        "SPDXRef-PACKAGE-lib"
    ));
    assert!(has(
        "SPDXRef-PACKAGE-p",
        "DEPENDS_ON",
        "SPDXRef-PACKAGE-tool"
    ));
    assert!(has(
        "SPDXRef-PACKAGE-tool",
        "DEPENDS_ON",
        "SPDXRef-PACKAGE-six"
    ));
    assert!(has(
        "SPDXRef-PACKAGE-tool",
        "DEPENDS_ON",
        "SPDXRef-PACKAGE-typing-extensions"
    ));
    assert!(has("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-PACKAGE-p"));
    let pkgs = doc["packages"].as_array().expect("packages");
    let typing = pkgs
        .iter()
        .find(|p| p["name"] == "typing_extensions")
        .expect("vendored project");
    assert_eq!(
        typing["externalRefs"][0]["referenceLocator"],
        "pkg:pypi/typing-extensions@4.0"
    );
    let lib = pkgs.iter().find(|p| p["name"] == "lib").expect("lib");
    assert_eq!(
        lib["downloadLocation"], "https://example.org/lib-1.0.tgz",
        "declared fields kept"
    );
    assert_eq!(lib["filesAnalyzed"], true);
    let sums = file_checksums(&doc);
    assert_eq!(
        sums["lib/x.c"].len(),
        3,
        "SHA-1, SHA-256 and SHA-512 on request"
    );
    assert!(sums["lib/x.c"]["SHA512"].starts_with(
        &{
            use sha2::Digest;
            sha2::Sha512::digest(b"int x;\n")
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        }[..16]
    ));
}

fn fails(tar: &std::path::Path, cfg: &std::path::Path) -> String {
    let out = bomsmith()
        .arg("scan")
        .arg(tar)
        .arg("--config")
        .arg(cfg)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn declared_checksum_must_match_the_archive() {
    let (_d, tar, cfg) = project("lib/x.c", &sha256_hex(b"something else"), "a==1\n");
    let e = fails(&tar, &cfg);
    assert!(e.contains("p-1.0.tar!lib/x.c: SHA256 is"), "{e}");
    assert!(e.contains("Misc/sbom.spdx.json"), "{e}");
}

#[test]
fn declared_file_must_exist() {
    let (_d, tar, cfg) = project("lib/gone.c", &sha256_hex(b"x"), "a==1\n");
    let e = fails(&tar, &cfg);
    assert!(
        e.contains("p-1.0.tar!lib/gone.c: declared in `Misc/sbom.spdx.json`"),
        "{e}"
    );
}

#[test]
fn vendored_list_errors_name_the_line() {
    let (_d, tar, cfg) = project("lib/x.c", &sha256_hex(b"int x;\n"), "ok==1.0\nbad>=2\n");
    let e = fails(&tar, &cfg);
    assert!(
        e.contains("p-1.0.tar!wheels/tool-2.0-py3-none-any.whl!tool/_vendor/vendor.txt:2"),
        "{e}"
    );
}

#[test]
fn missing_required_in_tree_sbom() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tar = dir.path().join("q-1.tar");
    std::fs::write(&tar, raw_tar(&[file(b"q/a", b"1")])).expect("write");
    let cfg = dir.path().join("cfg.toml");
    std::fs::write(&cfg, CONFIG).expect("write");
    let e = fails(&tar, &cfg);
    assert!(
        e.contains("expects an SBOM at `Misc/sbom.spdx.json`"),
        "{e}"
    );
}
