//! `bomsmith validate`: the CycloneDX 1.2–1.7 conformance documents, the SPDX 2.2 and 2.3 examples, a
//! crafted corpus with one broken rule per document, profiles, output formats and exit codes.

use crate::util::hex;
use crate::util::{bomsmith, shared_file};
use bomsmith::digest::{sha1, sha256};
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// Runs `validate --format json` over `doc` with extra arguments: (exit code, report).
pub(crate) fn check(doc: &[u8], extra: &[&str]) -> (i32, Value) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("doc.json");
    std::fs::write(&path, doc).expect("write");
    let out = bomsmith()
        .arg("validate")
        .arg(&path)
        .args(["--format", "json"])
        .args(extra)
        .output()
        .expect("run");
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    (out.status.code().expect("exit code"), report)
}

/// The codes reported for a document.
pub(crate) fn codes(report: &Value) -> BTreeSet<String> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().expect("code").to_owned())
        .collect()
}

fn pretty(v: &Value) -> Vec<u8> {
    serde_json::to_vec_pretty(v).expect("serialise")
}

/// The official CycloneDX test documents of every version, each version's in one run: every
/// `valid-*` accepted (no errors) and every `invalid-*` rejected, each error with its pointer.
#[test]
fn cyclonedx_conformance_documents_of_every_version() {
    // (version, valid, invalid) as the directories hold them.
    let versions = [
        ("1.2", 21, 19),
        ("1.3", 26, 22),
        ("1.4", 29, 22),
        ("1.5", 36, 22),
        ("1.6", 45, 25),
        ("1.7", 61, 29),
    ];
    for (version, valid, invalid) in versions {
        let Some(dir) = shared_file(&format!("conformance/cyclonedx-{version}")) else {
            return;
        };
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("read dir")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        let out = bomsmith()
            .arg("validate")
            .args(&files)
            .args(["--format", "json"])
            .output()
            .expect("run");
        let report: Value = serde_json::from_slice(&out.stdout).expect("JSON report");
        let mut seen = (0, 0);
        for input in report["inputs"].as_array().expect("inputs") {
            let file = input["file"].as_str().expect("file");
            let name = file.rsplit('/').next().expect("name");
            assert_eq!(
                input["version"], version,
                "{name}: judged as its own version"
            );
            let errors: Vec<&Value> = report["diagnostics"]
                .as_array()
                .expect("diagnostics")
                .iter()
                .filter(|d| d["file"] == file && d["severity"] == "error")
                .collect();
            if name.starts_with("valid-") {
                seen.0 += 1;
                assert!(errors.is_empty(), "{name} should be accepted: {errors:#?}");
            } else {
                seen.1 += 1;
                assert!(!errors.is_empty(), "{name} should be rejected");
                for e in errors {
                    let pointer = e["pointer"].as_str().expect("pointer");
                    assert!(
                        pointer.is_empty() || pointer.starts_with('/'),
                        "{name}: error without a pointer: {e}"
                    );
                    assert!(e["line"].as_u64().expect("line") >= 1, "{name}: {e}");
                }
            }
        }
        assert_eq!(
            seen,
            (valid, invalid),
            "CycloneDX {version}: documents checked"
        );
        assert_eq!(out.status.code(), Some(1), "some documents are invalid");
    }
}

/// The README of the shared conformance corpus warns that five `valid-*` documents carrying JSF
/// signatures may be rejected by a strict validator: the JSF schema's `algorithm` is a `oneOf`
/// of the algorithm names and a string of format `uri`, and a validator that does not check
/// formats finds `ES256` matching both. bomsmith checks formats (`ES256` is no URI), so exactly
/// one branch matches and the documents are accepted, as their names say.
#[test]
fn jsf_signed_documents_are_accepted_because_formats_are_checked() {
    let names = [
        "cyclonedx-1.4/valid-signatures-1.4.json",
        "cyclonedx-1.5/valid-signatures-1.5.json",
        "cyclonedx-1.7/valid-signatures-1.7.json",
        "cyclonedx-1.7/valid-attestation-1.7.json",
        "cyclonedx-1.7/valid-standard-1.7.json",
    ];
    for name in names {
        let Some(path) = shared_file(&format!("conformance/{name}")) else {
            return;
        };
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains("\"algorithm\""), "{name} carries a signature");
        let (code, report) = check(text.as_bytes(), &[]);
        assert_eq!(code, 0, "{name}: {report:#}");
    }
}

#[test]
fn the_spdx_example_is_accepted() {
    let Some(path) = shared_file("spec/spdx-2.3/SPDXJSONExample-v2.3.spdx.json") else {
        return;
    };
    let (code, report) = check(&std::fs::read(path).expect("read"), &[]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["summary"]["errors"], 0);
    // Its CPE names another product's version and its verification code covers files it does
    // not list: both are warnings, not errors.
    assert_eq!(
        codes(&report),
        BTreeSet::from(["SPDX013".to_owned(), "SPDX020".to_owned()])
    );
}

/// A small valid SPDX 2.3 document: one package of two files, described by the document.
fn spdx_base() -> Value {
    let file = |id: &str, name: &str, text: &str| {
        json!({
            "SPDXID": id,
            "fileName": name,
            "checksums": [
                {"algorithm": "SHA1", "checksumValue": hex(&sha1(text.as_bytes()))},
                {"algorithm": "SHA256", "checksumValue": hex(&sha256(text.as_bytes()))},
            ],
            "licenseConcluded": "NOASSERTION",
            "copyrightText": "NOASSERTION",
        })
    };
    let mut doc = json!({
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": "crafted",
        "documentNamespace": "https://example.org/spdx/crafted-1",
        "creationInfo": {
            "created": "2024-01-31T12:00:00Z",
            "creators": ["Tool: crafter-1", "Organization: Example (sbom@example.org)"],
            "licenseListVersion": "3.27",
        },
        "packages": [{
            "SPDXID": "SPDXRef-PACKAGE-lib",
            "name": "lib",
            "versionInfo": "1.2",
            "supplier": "Organization: Example (dev@example.org)",
            "downloadLocation": "https://example.org/lib-1.2.tar.gz",
            "filesAnalyzed": true,
            "licenseConcluded": "MIT",
            "licenseDeclared": "MIT OR Apache-2.0",
            "copyrightText": "NOASSERTION",
            "externalRefs": [
                {"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                 "referenceLocator": "pkg:pypi/lib@1.2"},
                {"referenceCategory": "SECURITY", "referenceType": "cpe23Type",
                 "referenceLocator": "cpe:2.3:a:example:lib:1.2:*:*:*:*:*:*:*"},
            ],
        }],
        "files": [file("SPDXRef-FILE-a", "./a.c", "int a;\n"), file("SPDXRef-FILE-b", "./b.c", "int b;\n")],
        "relationships": [
            {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": "SPDXRef-PACKAGE-lib"},
            {"spdxElementId": "SPDXRef-PACKAGE-lib", "relationshipType": "CONTAINS", "relatedSpdxElement": "SPDXRef-FILE-a"},
            {"spdxElementId": "SPDXRef-PACKAGE-lib", "relationshipType": "CONTAINS", "relatedSpdxElement": "SPDXRef-FILE-b"},
        ],
    });
    set_code(&mut doc, &["int a;\n", "int b;\n"]);
    doc
}

/// Sets the package's verification code to the one of files with `texts`.
fn set_code(doc: &mut Value, texts: &[&str]) {
    let mut sums: Vec<String> = texts.iter().map(|t| hex(&sha1(t.as_bytes()))).collect();
    sums.sort();
    doc["packages"][0]["packageVerificationCode"] =
        json!({"packageVerificationCodeValue": hex(&sha1(sums.concat().as_bytes()))});
}

#[test]
fn the_crafted_spdx_base_is_clean_under_every_profile_but_bsi() {
    let (code, report) = check(&pretty(&spdx_base()), &["--profile", "ntia"]);
    assert_eq!(code, 0, "{report:#}");
    assert!(codes(&report).is_empty(), "{report:#}");
}

#[test]
fn each_crafted_spdx_document_breaks_exactly_its_rule() {
    type Edit = fn(&mut Value);
    let cases: &[(&str, Edit, i32)] = &[
        (
            "SPDX001",
            |d| {
                d["packages"][0]
                    .as_object_mut()
                    .expect("obj")
                    .remove("name");
            },
            1,
        ),
        ("SPDX002", |d| d["spdxVersion"] = json!("SPDX-2.1"), 1),
        ("SPDX003", |d| d["dataLicense"] = json!("CC-BY-4.0"), 1),
        (
            "SPDX004",
            |d| d["documentNamespace"] = json!("https://example.org/spdx#crafted"),
            1,
        ),
        (
            "SPDX005",
            |d| d["creationInfo"]["created"] = json!("2024-01-31 12:00:00"),
            1,
        ),
        (
            "SPDX006",
            |d| d["creationInfo"]["creators"] = json!("Tool: crafter-1"),
            1,
        ),
        (
            "SPDX006",
            |d| d["creationInfo"]["creators"][0] = json!("crafter-1"),
            1,
        ),
        (
            "SPDX007",
            |d| d["creationInfo"]["licenseListVersion"] = json!("3.28.0"),
            1,
        ),
        (
            "SPDX008",
            |d| {
                let mut copy = d["files"][0].clone();
                copy["fileName"] = json!("./a-copy.c");
                d["files"].as_array_mut().expect("files").push(copy);
            },
            1,
        ),
        (
            "SPDX009",
            |d| {
                d["relationships"][2]["relatedSpdxElement"] = json!("SPDXRef-FILE-gone");
                set_code(d, &["int a;\n"]);
            },
            1,
        ),
        (
            "SPDX010",
            |d| {
                d["relationships"].as_array_mut().expect("rels").remove(0);
                let mut other = d["packages"][0].clone();
                other["SPDXID"] = json!("SPDXRef-PACKAGE-other");
                other["filesAnalyzed"] = json!(false);
                other
                    .as_object_mut()
                    .expect("obj")
                    .remove("packageVerificationCode");
                d["packages"].as_array_mut().expect("packages").push(other);
            },
            1,
        ),
        (
            "SPDX011",
            |d| {
                d["files"][0]["checksums"]
                    .as_array_mut()
                    .expect("sums")
                    .remove(0);
                set_code(d, &["int b;\n"]);
            },
            1,
        ),
        (
            "SPDX012",
            |d| {
                d["packages"][0]
                    .as_object_mut()
                    .expect("obj")
                    .remove("packageVerificationCode");
            },
            0,
        ),
        ("SPDX013", |d| set_code(d, &["int a;\n"]), 0),
        (
            "SPDX014",
            |d| {
                d["packages"][0]["filesAnalyzed"] = json!(false);
                d["relationships"].as_array_mut().expect("rels").truncate(1);
            },
            1,
        ),
        (
            "SPDX015",
            |d| d["files"][1]["checksums"][1]["checksumValue"] = json!("ABC123"),
            1,
        ),
        (
            "SPDX016",
            |d| d["packages"][0]["licenseConcluded"] = json!("MIT AND"),
            1,
        ),
        (
            "SPDX016",
            |d| d["packages"][0]["licenseDeclared"] = json!("Made-Up-License"),
            1,
        ),
        (
            "SPDX017",
            |d| d["packages"][0]["licenseConcluded"] = json!("LicenseRef-mine"),
            1,
        ),
        (
            "SPDX018",
            |d| d["packages"][0]["externalRefs"][0]["referenceLocator"] = json!("pypi/lib@1.2"),
            1,
        ),
        (
            "SPDX019",
            |d| {
                d["packages"][0]["externalRefs"][1]["referenceLocator"] =
                    json!("cpe:2.3:a:example:lib")
            },
            1,
        ),
        (
            "SPDX020",
            |d| d["packages"][0]["externalRefs"][0]["referenceLocator"] = json!("pkg:pypi/lib@1.3"),
            0,
        ),
        (
            "SPDX021",
            |d| {
                d["files"][0]["SPDXID"] = json!("SPDXRef-FILE_a");
                d["relationships"][1]["relatedSpdxElement"] = json!("SPDXRef-FILE_a");
            },
            1,
        ),
        (
            "SPDX022",
            |d| {
                d["SPDXID"] = json!("SPDXRef-DOC");
                d["relationships"][0]["spdxElementId"] = json!("SPDXRef-DOC");
            },
            1,
        ),
        (
            "SPDX023",
            |d| {
                d["externalDocumentRefs"] = json!([{
                    "externalDocumentId": "DocumentRef-spdx_tools",
                    "spdxDocument": "https://example.org/spdx/other-1",
                    "checksum": {"algorithm": "SHA1", "checksumValue": "d6a770ba38583ed4bb4525bd96e50461655d2759"},
                }]);
            },
            1,
        ),
        (
            "SPDX024",
            |d| {
                d["packages"][0]["externalRefs"][1]["referenceType"] =
                    json!("http://spdx.org/rdf/references/cpe23Type")
            },
            1,
        ),
        (
            "SPDX025",
            |d| d["packages"][0]["supplier"] = json!("Organization: "),
            1,
        ),
        (
            "SPDX026",
            |d| {
                d["packages"][0]["filesAnalyzed"] = json!(false);
                d["packages"][0]
                    .as_object_mut()
                    .expect("obj")
                    .remove("packageVerificationCode");
            },
            1,
        ),
        ("JSON002", |d| *d = json!({"name": "not an SBOM"}), 1),
    ];
    for (want, edit, exit) in cases {
        let mut doc = spdx_base();
        edit(&mut doc);
        let (code, report) = check(&pretty(&doc), &[]);
        assert_eq!(
            codes(&report),
            BTreeSet::from([(*want).to_owned()]),
            "{want}: {report:#}"
        );
        assert_eq!(code, *exit, "{want}: exit code");
    }
    // Every SPDX rule has a crafted document above.
    let covered: BTreeSet<&str> = cases.iter().map(|c| c.0).collect();
    for r in bomsmith::validate::spdx::RULES.rules {
        assert!(
            covered.contains(r.code),
            "no crafted document for {}",
            r.code
        );
    }
}

#[test]
fn malformed_json_is_a_diagnostic_with_its_position() {
    let (code, report) = check(
        b"{\n  \"spdxVersion\": \"SPDX-2.3\",\n  \"name\": [1, 2\n}\n",
        &[],
    );
    assert_eq!(code, 1);
    let d = &report["diagnostics"][0];
    assert_eq!(d["code"], "JSON001");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(4), Some(1)),
        "{d}"
    );
}

#[test]
fn positions_point_at_the_offending_value() {
    let mut doc = spdx_base();
    doc["dataLicense"] = json!("CC-BY-4.0");
    let text = pretty(&doc);
    let line = String::from_utf8_lossy(&text)
        .lines()
        .position(|l| l.contains("\"dataLicense\""))
        .expect("line")
        + 1;
    let (_, report) = check(&text, &[]);
    let d = &report["diagnostics"][0];
    assert_eq!(d["pointer"], "/dataLicense");
    assert_eq!(d["line"].as_u64(), Some(line as u64));
    assert_eq!(d["column"].as_u64(), Some(18), "{d}");
}

fn cdx_base() -> Value {
    json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
        "version": 1,
        "metadata": {
            "timestamp": "2024-01-31T12:00:00Z",
            "authors": [{"name": "Example", "email": "sbom@example.org"}],
            "component": {"type": "application", "bom-ref": "app", "name": "app", "version": "1.0",
                          "supplier": {"name": "Example"}, "purl": "pkg:generic/app@1.0"},
        },
        "components": [
            {"type": "library", "bom-ref": "lib", "name": "lib", "version": "1.2",
             "supplier": {"name": "Example"}, "purl": "pkg:pypi/lib@1.2",
             "hashes": [{"alg": "SHA-256", "content": hex(&sha256(b"lib"))}],
             "licenses": [{"expression": "MIT OR Apache-2.0"}]},
        ],
        "dependencies": [{"ref": "app", "dependsOn": ["lib"]}, {"ref": "lib"}],
    })
}

#[test]
fn crafted_cyclonedx_documents() {
    let (code, report) = check(&pretty(&cdx_base()), &["--profile", "ntia"]);
    assert_eq!(code, 0, "{report:#}");
    assert!(codes(&report).is_empty(), "{report:#}");
    type Edit = fn(&mut Value);
    let cases: &[(&[&str], Edit)] = &[
        (&["CDX001"], |d| {
            d["components"][0]["type"] = json!("gadget")
        }),
        (&["CDX002"], |d| d["specVersion"] = json!("1.1")),
        (&["CDX003"], |d| {
            let mut copy = d["components"][0].clone();
            copy["name"] = json!("lib-copy");
            d["components"]
                .as_array_mut()
                .expect("components")
                .push(copy);
        }),
        (&["CDX004"], |d| {
            d["dependencies"][0]["dependsOn"][0] = json!("gone")
        }),
        (&["CDX005"], |d| {
            d["serialNumber"] = json!("urn:uuid:3e671687")
        }),
        (&["CDX006"], |d| {
            d["components"][0]["purl"] = json!("pypi/lib@1.2")
        }),
        (&["CDX007"], |d| {
            d["components"][0]["purl"] = json!("pkg:pypi/lib@1.3")
        }),
        (&["CDX008"], |d| {
            d["components"][0]["hashes"][0]["content"] = json!(hex(&sha1(b"lib")))
        }),
        (&["CDX009"], |d| {
            d["components"][0]["licenses"][0]["expression"] = json!("MIT OR")
        }),
    ];
    for (want, edit) in cases {
        let mut doc = cdx_base();
        edit(&mut doc);
        let (_, report) = check(&pretty(&doc), &[]);
        let want: BTreeSet<String> = want.iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(codes(&report), want, "{report:#}");
    }
}

#[test]
fn ntia_and_bsi_profiles() {
    let mut doc = cdx_base();
    let lib = doc["components"][0].as_object_mut().expect("obj");
    lib.remove("supplier");
    lib.remove("version");
    lib.remove("purl");
    lib.remove("bom-ref");
    doc["dependencies"] = json!([]);
    doc["metadata"]
        .as_object_mut()
        .expect("obj")
        .remove("authors");
    doc["metadata"]
        .as_object_mut()
        .expect("obj")
        .remove("timestamp");
    let (code, report) = check(&pretty(&doc), &["--profile", "ntia"]);
    assert_eq!(code, 1);
    assert_eq!(
        codes(&report),
        [
            "NTIA001", "NTIA003", "NTIA004", "NTIA005", "NTIA006", "NTIA007"
        ]
        .map(str::to_owned)
        .into()
    );
    // BSI on a clean CycloneDX BOM asks for what TR-03183-2 adds; on SPDX 2.3 it also says
    // v2.1.0 no longer takes the format.
    let (code, report) = check(&pretty(&cdx_base()), &["--profile", "bsi-2.0"]);
    assert_eq!(code, 1);
    assert_eq!(
        codes(&report),
        ["BSI004", "BSI007", "BSI009", "BSI010", "BSI011"]
            .map(str::to_owned)
            .into()
    );
    let (_, report) = check(&pretty(&spdx_base()), &["--profile", "bsi-2.0"]);
    assert!(codes(&report).contains("BSI001"), "{report:#}");
    assert!(!codes(&report).contains("BSI002"), "{report:#}");
    // A profile for the other format is a clear error.
    let (code, report) = check(&pretty(&cdx_base()), &["--profile", "spdx"]);
    assert_eq!(code, 1);
    assert!(codes(&report).contains("JSON002"));
}

#[test]
fn what_bomsmith_writes_validates_clean() {
    let Some(tarball) = shared_file("cpython/3.13.5/Python-3.13.5.tar.xz") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("python.spdx.json");
    bomsmith()
        .args(["scan", "-q", "--preset", "cpython"])
        .arg(&tarball)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let (code, report) = check(&std::fs::read(&out).expect("read"), &["--profile", "ntia"]);
    assert_eq!(code, 0, "{report:#}");
    assert!(codes(&report).is_empty(), "{report:#}");
    // A directory scan, too. NTIA asks for a supplier and a version, which a bare directory
    // does not state; its bomsmith.toml does.
    let src = dir.path().join("src");
    std::fs::create_dir_all(src.join("lib")).expect("mkdir");
    std::fs::write(src.join("lib/a.c"), "int a;\r\n").expect("write");
    std::fs::write(src.join("README"), "hello\n").expect("write");
    std::fs::write(
        src.join("bomsmith.toml"),
        "[root]\nversion = \"1.0\"\nsupplier = \"Organization: Example\"\n",
    )
    .expect("write");
    let out = bomsmith().arg("scan").arg(&src).output().expect("scan");
    assert!(out.status.success());
    let (code, report) = check(&out.stdout, &["--profile", "ntia"]);
    assert_eq!(code, 0, "{report:#}");
    assert!(codes(&report).is_empty(), "{report:#}");
    // Without that configuration the scan says what NTIA will miss rather than invent it.
    std::fs::remove_file(src.join("bomsmith.toml")).expect("rm");
    let out = bomsmith().arg("scan").arg(&src).output().expect("scan");
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(
            "warning: nothing states the version or supplier of `src`, so the SBOM lacks NTIA minimum elements"
        ),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (code, report) = check(&out.stdout, &["--profile", "ntia"]);
    assert_eq!(code, 1);
    assert_eq!(
        codes(&report),
        ["NTIA001", "NTIA003"].map(str::to_owned).into()
    );
    // Every shared wheel: its own METADATA names the supplier.
    let Some(bin_dir) = shared_file("binaries") else {
        return;
    };
    let mut wheels = 0;
    for entry in std::fs::read_dir(bin_dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "whl") {
            continue;
        }
        wheels += 1;
        let out = bomsmith().arg("scan").arg(&path).output().expect("scan");
        assert!(out.status.success(), "{}", path.display());
        let (code, report) = check(&out.stdout, &["--profile", "ntia"]);
        assert_eq!(code, 0, "{}: {report:#}", path.display());
        // A library found in a binary whose bytes state no version says so (NOASSERTION): a
        // warning, the explicit known unknown, and nothing else.
        let mut found = codes(&report);
        found.remove("NTIA008");
        assert!(found.is_empty(), "{}: {report:#}", path.display());
    }
    assert!(wheels >= 6, "{wheels} wheels");
}

#[test]
fn outputs_explain_and_exit_codes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = dir.path().join("good.json");
    let bad = dir.path().join("bad.json");
    std::fs::write(&good, pretty(&spdx_base())).expect("write");
    let mut doc = spdx_base();
    doc["dataLicense"] = json!("MIT");
    std::fs::write(&bad, pretty(&doc)).expect("write");

    // Human: one line per diagnostic, a line per file, a summary.
    let out = bomsmith()
        .arg("validate")
        .arg(&good)
        .arg(&bad)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    let bad_name = bad.display().to_string();
    let line = String::from_utf8_lossy(&pretty(&doc))
        .lines()
        .position(|l| l.contains("\"dataLicense\""))
        .expect("line")
        + 1;
    assert!(
        text.contains(&format!("{bad_name}:{line}:18: SPDX003 error: dataLicense is `MIT`, it must be `CC0-1.0` (/dataLicense)")),
        "{text}"
    );
    assert!(
        text.ends_with("2 documents checked: 1 failed; 1 error, 0 warnings\n"),
        "{text}"
    );

    // SARIF 2.1.0 with the rule table and a region.
    let out = bomsmith()
        .arg("validate")
        .arg(&bad)
        .args(["--format", "sarif"])
        .output()
        .expect("run");
    let sarif: Value = serde_json::from_slice(&out.stdout).expect("SARIF is JSON");
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "SPDX003");
    let index = result["ruleIndex"].as_u64().expect("index") as usize;
    assert_eq!(run["tool"]["driver"]["rules"][index]["id"], "SPDX003");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        line
    );

    // --explain and --rules.
    let out = bomsmith()
        .args(["validate", "--explain", "spdx013"])
        .output()
        .expect("run");
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .starts_with("SPDX013 verification-code-mismatch (warning): ")
    );
    let out = bomsmith()
        .args(["validate", "--rules"])
        .output()
        .expect("run");
    let listed = String::from_utf8_lossy(&out.stdout).lines().count();
    assert_eq!(listed, bomsmith::validate::all_rules().count());
    let out = bomsmith()
        .args(["validate", "--explain", "NOPE1"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));

    // A missing file is an operational error; the others are still checked.
    let out = bomsmith()
        .arg("validate")
        .arg(&good)
        .arg(dir.path().join("missing.json"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.json: No such file"));
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 document checked: 0 failed"));
}

/// docs/validate.md lists every rule of `validate` exactly as the registry states it.
#[test]
fn the_rule_table_in_the_docs_is_the_registry() {
    let doc = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/validate.md"),
    )
    .expect("docs/validate.md");
    for rule in bomsmith::validate::all_rules() {
        let row = format!(
            "| {} | {} | {} | {} |",
            rule.code,
            rule.name,
            rule.severity.name(),
            rule.explanation
        );
        assert!(
            doc.lines().any(|l| l == row),
            "docs/validate.md lacks:\n{row}"
        );
    }
}
