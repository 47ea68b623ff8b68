//! Every version bomsmith reads, through the real binary: each valid CycloneDX 1.2–1.7
//! conformance document and the SPDX 2.2 example converted both ways and read back; versions
//! and formats it does not read named as such; and the conversion defects found on real
//! documents (file components without SHA-1, empty values counted as lost, duplicated
//! `bom-ref`s), each with its regression test.

use crate::util::{as_converted, bomsmith, shared_dir, shared_file};
use bomsmith::format::{self, Kind};
use bomsmith::model::Document;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// No errors from bomsmith's own validation (schema and the format's rules).
fn assert_valid(name: &str, text: &str) {
    let report = bomsmith::validate::validate(name, text.as_bytes(), &[]);
    let errors: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule.severity == bomsmith::diag::Severity::Error)
        .map(|d| {
            let pointer = d.location.pointer.as_deref().unwrap_or("");
            format!("{} {pointer} {}", d.rule.code, d.message)
        })
        .collect();
    assert!(errors.is_empty(), "{name} is invalid: {errors:#?}");
}

/// Runs `bomsmith convert IN --to TO -o OUT`; returns the written text and standard error.
fn convert(input: &Path, to: &str, out: &Path) -> (String, String) {
    let run = bomsmith()
        .args(["convert", "--to", to, "-o"])
        .arg(out)
        .arg(input)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
    assert!(
        run.status.success(),
        "{} --to {to}: {stderr}",
        input.display()
    );
    (std::fs::read_to_string(out).expect("written"), stderr)
}

/// Reads `text` with bomsmith's reader, which must see `kind`, and canonicalises the model.
fn read_as(text: &str, name: &str, kind: Kind) -> Document {
    let (k, mut doc, _) =
        format::read(text.as_bytes(), name).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(k, kind, "{name}");
    doc.canonicalize();
    doc
}

/// Every `LicenseRef-` an SPDX document's license fields use is defined in it (SPDX 2.3,
/// 10.1): otherwise SPDX tools reject it.
fn assert_license_refs_defined(name: &str, spdx: &Value) {
    let defined: Vec<&str> = spdx["hasExtractedLicensingInfos"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l["licenseId"].as_str())
        .collect();
    let elements = spdx["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(spdx["files"].as_array().into_iter().flatten());
    for e in elements {
        for field in ["licenseConcluded", "licenseDeclared"] {
            let Some(expr) = e[field].as_str() else {
                continue;
            };
            for token in expr.split(|c: char| c.is_whitespace() || c == '(' || c == ')') {
                if token.starts_with("LicenseRef-") {
                    assert!(
                        defined.contains(&token),
                        "{name}: {field} `{expr}` uses {token}, which the document does not define"
                    );
                }
            }
        }
    }
}

/// SPDX 2.3 requires a SHA-1 for every file; `checksums: []` is invalid.
fn assert_files_have_sha1(name: &str, spdx: &Value) {
    for f in spdx["files"].as_array().into_iter().flatten() {
        let has_sha1 = f["checksums"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|c| c["algorithm"] == "SHA1");
        assert!(has_sha1, "{name}: file without a SHA1 checksum: {f}");
    }
}

/// The valid conformance documents of CycloneDX `version`, sorted.
fn valid_documents(version: &str) -> Vec<PathBuf> {
    let dir = shared_dir().join(format!("conformance/cyclonedx-{version}"));
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("valid-") && n.ends_with(".json"))
        })
        .collect();
    names.sort();
    names
}

#[test]
fn conformance_documents_of_every_cyclonedx_version_convert_both_ways() {
    if shared_file("conformance/cyclonedx-1.2/valid-bom-1.2.json").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut counts = Vec::new();
    for version in ["1.2", "1.3", "1.4", "1.5", "1.6", "1.7"] {
        let docs = valid_documents(version);
        assert!(docs.len() >= 20, "CycloneDX {version}: only {}", docs.len());
        for path in &docs {
            let stem = path.file_stem().unwrap_or_default().to_string_lossy();
            let name = format!("{version}/{stem}");
            let spdx_path = tmp.path().join(format!("{version}-{stem}.spdx.json"));
            let (spdx, _) = convert(path, "spdx-json", &spdx_path);
            assert_valid(&format!("{name} as SPDX"), &spdx);
            let v: Value = serde_json::from_str(&spdx).expect("json");
            assert_eq!(v["spdxVersion"], "SPDX-2.3", "{name}");
            assert_license_refs_defined(&name, &v);
            assert_files_have_sha1(&name, &v);
            let m_spdx = read_as(&spdx, &name, Kind::Spdx);

            let cdx_path = tmp.path().join(format!("{version}-{stem}.cdx.json"));
            let (cdx, _) = convert(&spdx_path, "cyclonedx-json", &cdx_path);
            assert_valid(&format!("{name} back as CycloneDX"), &cdx);
            let v: Value = serde_json::from_str(&cdx).expect("json");
            assert_eq!(
                v["specVersion"], "1.6",
                "{name}: CycloneDX output stays 1.6"
            );
            // Nothing is lost on the way back: the model is the same.
            assert_eq!(read_as(&cdx, &name, Kind::CycloneDx), m_spdx, "{name}");
        }
        counts.push(format!("{version}: {}", docs.len()));
    }
    eprintln!("converted both ways: {}", counts.join(", "));
}

#[test]
fn spdx_2_2_example_converts_both_ways() {
    let Some(example) = shared_file("spec/spdx-2.2/examples/SPDXJSONExample-v2.2.spdx.json") else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let source = std::fs::read_to_string(&example).expect("reads");
    let m0 = read_as(&source, "example 2.2", Kind::Spdx);
    assert_eq!(m0.packages.len(), 4);
    assert!(m0.packages.iter().all(|p| p.purpose.is_none()));
    // 2.2 spells the purl category `PACKAGE_MANAGER`; it is read as a purl.
    let jena = m0.packages.iter().find(|p| p.name == "Jena").expect("Jena");
    assert_eq!(
        jena.purl(),
        Some("pkg:maven/org.apache.jena/apache-jena@3.12.0")
    );

    let cdx_path = tmp.path().join("example.cdx.json");
    let (cdx, stderr) = convert(&example, "cyclonedx-json", &cdx_path);
    assert!(
        stderr.contains("SPDX input could not be carried"),
        "{stderr}"
    );
    assert_valid("2.2 example as CycloneDX", &cdx);
    let m1 = read_as(&cdx, "example.cdx.json", Kind::CycloneDx);
    let m0 = as_converted(m0);
    assert_eq!(m1, m0, "SPDX 2.2 -> CycloneDX -> model");

    let spdx_path = tmp.path().join("example.spdx.json");
    let (spdx, _) = convert(&cdx_path, "spdx-json", &spdx_path);
    assert_valid("2.2 example back as SPDX 2.3", &spdx);
    let v: Value = serde_json::from_str(&spdx).expect("json");
    assert_eq!(v["spdxVersion"], "SPDX-2.3");
    assert_eq!(read_as(&spdx, "example.spdx.json", Kind::Spdx), m0);

    // Straight to SPDX 2.3 as well.
    let (direct, _) = convert(&example, "spdx-json", &tmp.path().join("direct.spdx.json"));
    assert_valid("2.2 example as SPDX 2.3", &direct);
}

#[test]
fn versions_and_formats_bomsmith_does_not_read_are_named_not_malformed() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let cases: [(&str, String, &str); 7] = [
        (
            "spdx21.json",
            json!({"spdxVersion": "SPDX-2.1", "SPDXID": "SPDXRef-DOCUMENT", "name": "d"})
                .to_string(),
            "SPDX 2.1 is not a version bomsmith reads",
        ),
        (
            "spdx3.json",
            json!({
                "@context": "https://spdx.org/rdf/3.0.0/spdx-context.jsonld",
                "@graph": [{"type": "CreationInfo", "specVersion": "3.0.1"}],
            })
            .to_string(),
            "SPDX 3 JSON-LD",
        ),
        (
            "cdx11.json",
            json!({"bomFormat": "CycloneDX", "specVersion": "1.1", "version": 1}).to_string(),
            "CycloneDX 1.1 is not a version bomsmith reads",
        ),
        (
            "cdx10.json",
            json!({"bomFormat": "CycloneDX", "specVersion": "1.0"}).to_string(),
            "CycloneDX 1.0 is not a version bomsmith reads",
        ),
        (
            "bom.xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\" version=\"1\"><components/></bom>\n".to_owned(),
            "CycloneDX XML",
        ),
        (
            "doc.rdf.xml",
            "<?xml version=\"1.0\"?>\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns:spdx=\"http://spdx.org/rdf/terms#\"><spdx:SpdxDocument/></rdf:RDF>\n".to_owned(),
            "SPDX RDF/XML",
        ),
        (
            "doc.spdx.yaml",
            "spdxVersion: SPDX-2.3\ndataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\n".to_owned(),
            "SPDX YAML",
        ),
    ];
    for (file, body, want) in cases {
        let path = tmp.path().join(file);
        std::fs::write(&path, body).expect("write");
        let out = tmp.path().join(format!("{file}.out"));
        let run = bomsmith()
            .args(["convert", "--to", "spdx-json", "-o"])
            .arg(&out)
            .arg(&path)
            .output()
            .expect("runs");
        assert_eq!(run.status.code(), Some(2), "{file}");
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(
            stderr.contains(file) && stderr.contains(want),
            "{file}: wanted `{want}`: {stderr}"
        );
        assert!(!stderr.contains("malformed"), "{file}: {stderr}");
        assert!(!out.exists(), "{file}: output written");
    }
}

/// A directory scan as syft writes it: file components with no hashes, one with SHA-256 only.
fn syft_like_bom() -> Value {
    json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": "urn:uuid:1b671687-395b-41f5-a30f-a58921a69b79",
        "version": 1,
        "metadata": {
            "timestamp": "2025-01-02T03:04:05Z",
            "tools": {"components": [{"type": "application", "name": "syft", "version": "1.20.0"}]},
            "component": {"bom-ref": "af63bd4c8601b7f1", "type": "file", "name": "/src"},
        },
        "components": [
            {"bom-ref": "pkg:pypi/idna@3.7?package-id=1", "type": "library", "name": "idna", "version": "3.7",
             "purl": "pkg:pypi/idna@3.7"},
            {"bom-ref": "file:1", "type": "file", "name": "/src/requirements.txt"},
            {"bom-ref": "file:2", "type": "file", "name": "/src/setup.py",
             "hashes": [{"alg": "SHA-256", "content": "ab".repeat(32)}]},
            {"bom-ref": "file:3", "type": "file", "name": "/src/a.py",
             "hashes": [{"alg": "SHA-1", "content": "cd".repeat(20)}]},
        ],
    })
}

#[test]
fn file_components_without_sha1_do_not_become_spdx_files_with_empty_checksums() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("syft.cdx.json");
    std::fs::write(&input, syft_like_bom().to_string()).expect("write");
    let (spdx, stderr) = convert(&input, "spdx-json", &tmp.path().join("out.spdx.json"));
    assert!(!spdx.contains("\"checksums\": []"), "{spdx}");
    let v: Value = serde_json::from_str(&spdx).expect("json");
    assert_files_have_sha1("syft", &v);
    assert_valid("syft as SPDX", &spdx);
    // Nothing is dropped: the hashless files are packages of purpose FILE, and `convert` says so.
    let names = |key: &str| -> Vec<String> {
        v[key]
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| e[if key == "files" { "fileName" } else { "name" }].to_string())
            .collect()
    };
    assert_eq!(names("files"), ["\"/src/a.py\""]);
    for name in ["/src", "/src/requirements.txt", "/src/setup.py"] {
        let p = v["packages"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{name} is not a package: {spdx}"));
        assert_eq!(p["primaryPackagePurpose"], "FILE", "{name}");
    }
    assert!(stderr.contains("FMT003"), "{stderr}");
    assert!(stderr.contains("without a SHA-1 hash"), "{stderr}");
    // And back: the same model.
    let spdx_path = tmp.path().join("out.spdx.json");
    let (cdx, _) = convert(
        &spdx_path,
        "cyclonedx-json",
        &tmp.path().join("back.cdx.json"),
    );
    assert_eq!(
        read_as(&cdx, "back", Kind::CycloneDx),
        read_as(&spdx, "out", Kind::Spdx)
    );
}

#[test]
fn empty_values_are_not_counted_as_lost() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let bom = syft_like_bom();
    // bom-refs that are SPDX IDs, which are not renamed (a renaming is counted).
    let text = bom
        .to_string()
        .replace("\"af63bd4c8601b7f1\"", "\"SPDXRef-root\"")
        .replace("pkg:pypi/idna@3.7?package-id=1\"", "SPDXRef-idna\"")
        .replace("\"file:", "\"SPDXRef-file-");
    let mut bom: Value = serde_json::from_str(&text).expect("json");
    bom["vulnerabilities"] = json!([]);
    bom["services"] = json!([]);
    bom["compositions"] = json!([]);
    bom["externalReferences"] = json!([]);
    bom["annotations"] = json!([]);
    bom["metadata"]["lifecycles"] = json!([]);
    bom["metadata"]["supplier"] = json!({});
    bom["metadata"]["properties"] = json!([]);
    bom["components"][0]["group"] = json!("");
    bom["components"][0]["publisher"] = json!("");
    bom["components"][0]["tags"] = json!([]);
    bom["components"][0]["evidence"] = json!({});
    bom["components"][0]["supplier"] = json!({"name": "PyPA", "url": [], "contact": []});
    bom["components"][0]["licenses"] = json!([{"license": {"id": "BSD-3-Clause", "url": ""}}]);
    bom["components"][3]["properties"] = json!([]);
    bom["components"][3]["externalReferences"] = json!([]);
    bom["components"][3]["version"] = json!("");
    bom["dependencies"] = json!([{"ref": "SPDXRef-file-1", "dependsOn": [], "provides": []}]);
    let input = tmp.path().join("empty.cdx.json");
    std::fs::write(&input, bom.to_string()).expect("write");
    let run = bomsmith()
        .args(["convert", "--to", "spdx-json", "--fail-on-loss"])
        .arg(&input)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("FMT001"), "{stderr}");
    // The SHA-1 file with empty package-only fields is still a file.
    let v: Value = serde_json::from_slice(&run.stdout).expect("json");
    assert_eq!(v["files"][0]["fileName"], "/src/a.py");

    // A value that is not empty still counts.
    bom["components"][0]["group"] = json!("org.python");
    std::fs::write(&input, bom.to_string()).expect("write");
    let run = bomsmith()
        .args(["convert", "--to", "spdx-json", "--fail-on-loss"])
        .arg(&input)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("components[].group: 1"), "{stderr}");
}

#[test]
fn duplicate_bom_ref_is_an_error_naming_both_pointers() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut bom = syft_like_bom();
    bom["metadata"]["component"]["components"] =
        json!([{"bom-ref": "file:2", "type": "library", "name": "again"}]);
    let input = tmp.path().join("dup.cdx.json");
    std::fs::write(&input, bom.to_string()).expect("write");
    let out = tmp.path().join("dup.spdx.json");
    let run = bomsmith()
        .args(["convert", "--to", "spdx-json", "-o"])
        .arg(&out)
        .arg(&input)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("dup.cdx.json"), "{stderr}");
    assert!(
        stderr.contains("/components/2/bom-ref")
            && stderr.contains("/metadata/component/components/0/bom-ref")
            && stderr.contains("duplicate bom-ref `file:2`"),
        "{stderr}"
    );
    assert!(!out.exists(), "output written despite the error");
}

#[test]
fn license_refs_in_cyclonedx_expressions_are_defined_in_spdx() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let bom = json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.7",
        "version": 1,
        "components": [
            {"type": "library", "name": "a", "version": "1",
             "licenses": [{"expression": "LicenseRef-Acme AND MIT"}]},
            {"type": "library", "name": "b", "version": "1",
             "licenses": [{
                 "expression": "LicenseRef-custom OR Apache-2.0",
                 "expressionDetails": [
                     {"licenseIdentifier": "LicenseRef-custom", "text": {"content": "Custom terms"},
                      "url": "https://example.org/custom"},
                     {"licenseIdentifier": "Apache-2.0", "text": {"content": "Apache text"}},
                 ],
             }]},
        ],
    });
    let input = tmp.path().join("refs.cdx.json");
    std::fs::write(&input, bom.to_string()).expect("write");
    let (spdx, stderr) = convert(&input, "spdx-json", &tmp.path().join("refs.spdx.json"));
    let v: Value = serde_json::from_str(&spdx).expect("json");
    assert_license_refs_defined("refs", &v);
    assert_valid("refs as SPDX", &spdx);
    let extracted = v["hasExtractedLicensingInfos"].as_array().expect("defined");
    let custom = extracted
        .iter()
        .find(|l| l["licenseId"] == "LicenseRef-custom")
        .expect("LicenseRef-custom");
    assert_eq!(custom["extractedText"], "Custom terms");
    assert_eq!(custom["seeAlsos"], json!(["https://example.org/custom"]));
    // The text of a listed license has no place in SPDX 2.3: counted.
    assert!(
        stderr.contains("licenses[].expressionDetails[] (listed license): 1"),
        "{stderr}"
    );
}

/// cyclonedx-py and trivy name licences (`{"license": {"name": "…"}}`); through SPDX they become
/// `LicenseRef-`s, and they must come back as the names they were, alone or beside an id.
#[test]
fn named_licences_come_back_as_names_after_a_trip_through_spdx() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let named = |name: &str| json!({"license": {"name": name, "acknowledgement": "declared"}});
    let licences = [
        json!([named("License :: OSI Approved :: BSD License")]),
        json!([
            {"license": {"id": "Apache-2.0", "acknowledgement": "declared"}},
            named("License :: OSI Approved :: Apache Software License"),
        ]),
        json!([named("Apache-2.0")]),
    ];
    let components: Vec<Value> = licences
        .iter()
        .enumerate()
        .map(|(i, l)| {
            json!({"type": "library", "name": format!("lib{i}"), "version": "1", "licenses": l})
        })
        .collect();
    let bom = json!({"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": components});
    let input = tmp.path().join("named.cdx.json");
    std::fs::write(&input, bom.to_string()).expect("write");
    let (spdx, _) = convert(&input, "spdx-json", &tmp.path().join("named.spdx.json"));
    assert_valid("named.spdx.json", &spdx);
    let (back, _) = convert(
        &tmp.path().join("named.spdx.json"),
        "cyclonedx-json",
        &tmp.path().join("named.back.cdx.json"),
    );
    assert_valid("named.back.cdx.json", &back);
    let back: Value = serde_json::from_str(&back).expect("JSON");
    // The components wherever the writer put them (one may be the metadata component).
    let mut all: Vec<&Value> = back["components"]
        .as_array()
        .expect("components")
        .iter()
        .collect();
    all.extend(back["metadata"].get("component"));
    for (i, want) in licences.iter().enumerate() {
        let got = all
            .iter()
            .find(|c| c["name"] == format!("lib{i}"))
            .unwrap_or_else(|| panic!("lib{i} in {back:#}"));
        assert_eq!(&got["licenses"], want, "lib{i}");
    }
}

/// cyclonedx-py writes the wheel it read as a `distribution` reference with a `file:` URL: a
/// place on its writer's machine, not an SPDX download location (pyspdxtools rejects it).
#[test]
fn a_local_file_url_is_not_taken_as_a_download_location() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let bom = json!({
        "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
        "components": [{
            "type": "library", "name": "requests", "version": "2.32.3",
            "externalReferences": [
                {"type": "distribution", "url": "file:///home/me/dl/requests-2.32.3-py3-none-any.whl"},
            ],
        }],
    });
    let input = tmp.path().join("local.cdx.json");
    std::fs::write(&input, bom.to_string()).expect("write");
    let (spdx, stderr) = convert(&input, "spdx-json", &tmp.path().join("local.spdx.json"));
    let spdx: Value = serde_json::from_str(&spdx).expect("JSON");
    assert_eq!(spdx["packages"][0]["downloadLocation"], "NOASSERTION");
    assert!(
        stderr.contains("distribution, a local file URL): 1"),
        "the value is counted as not carried: {stderr}"
    );
}
