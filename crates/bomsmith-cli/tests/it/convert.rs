//! `bomsmith convert` and the CycloneDX writer and reader: round trips through the model on
//! real documents (the CPython 3.13.5 release SBOM, the SPDX 2.3 example, the CycloneDX 1.6
//! conformance documents), validity of every output, and loss reporting.

use crate::util::{EPOCH, bomsmith, cpython_tarball, shared_dir, shared_file};
use bomsmith::format::{self, Kind, cyclonedx, spdx2};
use bomsmith::model::Document;
use serde_json::Value;
use std::collections::BTreeSet;

const CREATED: &str = "2023-11-14T22:13:20Z";

fn canonical(mut doc: Document) -> Document {
    doc.canonicalize();
    doc
}

/// No errors from `bomsmith validate` (schema and the format's own rules).
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

/// Reads `text` of either format, filling in what SPDX requires as `convert` does.
fn read(text: &str, name: &str) -> (Kind, Document, format::ReadReport) {
    let (kind, mut doc, report) = format::read(text.as_bytes(), name).expect("reads");
    format::complete(&mut doc, CREATED, &bomsmith::diag::Location::file(name));
    (kind, doc, report)
}

/// The full round trips of a document already in the model as `m0`: SPDX → model → CycloneDX
/// → model → SPDX and the other way, asserting model equality at every step and validity of
/// every output. Returns the CycloneDX text.
fn round_trips(name: &str, m0: &Document) -> String {
    // CycloneDX evidence has no place in SPDX 2.3 (docs/conversion.md): a documented loss on
    // the SPDX legs.
    let mut m0 = canonical(m0.clone());
    for p in &mut m0.packages {
        p.evidence = None;
    }
    let spdx = spdx2::write(&m0);
    assert_valid(&format!("{name} as SPDX"), &spdx);
    let cdx = cyclonedx::write(&m0);
    assert_valid(&format!("{name} as CycloneDX"), &cdx);

    // SPDX -> CycloneDX -> SPDX.
    let (_, from_spdx, r) = read(&spdx, "spdx");
    assert!(r.dropped.is_empty(), "{name}: SPDX we wrote lost {r:?}");
    let via_cdx = cyclonedx::write(&from_spdx);
    let (_, m1, r) = read(&via_cdx, "cdx");
    assert!(
        r.dropped.is_empty(),
        "{name}: CycloneDX we wrote lost {r:?}"
    );
    let m1 = canonical(m1);
    assert_eq!(m1, m0, "{name}: SPDX -> CycloneDX -> model differs");
    assert_eq!(
        spdx2::write(&m1),
        spdx,
        "{name}: SPDX -> CycloneDX -> SPDX bytes"
    );

    // CycloneDX -> SPDX -> CycloneDX.
    let (_, from_cdx, _) = read(&cdx, "cdx");
    let via_spdx = spdx2::write(&from_cdx);
    assert_valid(&format!("{name} via SPDX"), &via_spdx);
    let (_, m2, _) = read(&via_spdx, "spdx");
    let m2 = canonical(m2);
    assert_eq!(m2, m0, "{name}: CycloneDX -> SPDX -> model differs");
    assert_eq!(
        cyclonedx::write(&m2),
        cdx,
        "{name}: CycloneDX -> SPDX -> CycloneDX bytes"
    );
    cdx
}

#[test]
fn cpython_release_sbom_round_trips_and_scan_writes_cyclonedx() {
    let Some(tarball) = cpython_tarball() else {
        return;
    };
    let spdx = bomsmith()
        .args(["scan", "--preset", "cpython"])
        .arg(&tarball)
        .output()
        .expect("runs");
    assert!(spdx.status.success());
    let spdx = String::from_utf8(spdx.stdout).expect("utf-8");
    let (_, m0, report) = read(&spdx, "cpython.spdx.json");
    assert!(report.dropped.is_empty(), "{report:?}");
    assert_eq!((m0.packages.len(), m0.files.len()), (27, 4808));
    let cdx = round_trips("CPython 3.13.5", &m0);

    // `scan -f cyclonedx-json` writes the same bytes as converting its SPDX output.
    let direct = bomsmith()
        .args(["scan", "--preset", "cpython", "-f", "cyclonedx-json"])
        .arg(&tarball)
        .output()
        .expect("runs");
    assert!(direct.status.success());
    assert_eq!(String::from_utf8(direct.stdout).expect("utf-8"), cdx);

    // The native CycloneDX view: root, nesting, dependencies, identifiers.
    let v: Value = serde_json::from_str(&cdx).expect("json");
    assert_eq!(v["specVersion"], "1.6");
    let serial = v["serialNumber"].as_str().expect("serial");
    assert!(serial.starts_with("urn:uuid:"), "{serial}");
    let root = &v["metadata"]["component"];
    assert_eq!(root["name"], "CPython");
    assert_eq!(root["version"], "3.13.5");
    assert_eq!(root["cpe"], "cpe:2.3:a:python:python:3.13.5:*:*:*:*:*:*:*");
    assert_eq!(root["supplier"]["name"], "Python Software Foundation");
    assert_eq!(v["metadata"]["timestamp"], CREATED);
    let nested = |c: &Value| c["components"].as_array().map_or(0, Vec::len);
    let top = v["components"].as_array().expect("components");
    let files_under_packages: usize = top.iter().map(nested).sum();
    assert_eq!(nested(root) + files_under_packages, 4808);
    assert_eq!(top.len(), 26);
    let deps = v["dependencies"].as_array().expect("dependencies");
    let cpython = deps
        .iter()
        .find(|d| d["ref"] == "SPDXRef-PACKAGE-cpython")
        .expect("root's dependencies");
    assert_eq!(cpython["dependsOn"].as_array().map(Vec::len), Some(6));
    let pip = top
        .iter()
        .find(|c| c["name"] == "pip")
        .expect("pip component");
    assert_eq!(pip["purl"], "pkg:pypi/pip@25.1.1");
}

#[test]
fn spdx_example_round_trips_and_reports_what_the_model_drops() {
    let Some(example) = shared_file("spec/spdx-2.3/SPDXJSONExample-v2.3.spdx.json") else {
        return;
    };
    let text = std::fs::read_to_string(&example).expect("reads");
    let (kind, m0, report) = read(&text, "example");
    assert_eq!(kind, Kind::Spdx);
    // What the example has that the model does not hold, exactly (docs/conversion.md).
    let dropped: BTreeSet<&str> = report.dropped.keys().map(String::as_str).collect();
    let expected: BTreeSet<&str> = [
        "annotations",
        "creationInfo.comment",
        "files[].annotations",
        "files[].fileContributors",
        "files[].fileTypes",
        "files[].licenseComments",
        "files[].licenseInfoInFiles",
        "files[].noticeText",
        "packages[].annotations",
        "packages[].attributionTexts",
        "packages[].builtDate",
        "packages[].licenseComments",
        "packages[].licenseInfoFromFiles",
        "packages[].packageVerificationCode.packageVerificationCodeExcludedFiles",
        "packages[].validUntilDate",
        "snippets",
    ]
    .into();
    assert_eq!(dropped, expected);
    // What it has that the model holds: spot checks against the source.
    assert_eq!(m0.extracted_licenses.len(), 5);
    assert_eq!(m0.external_documents.len(), 1);
    assert!(m0.relationships.iter().any(|r| r.kind == "COPY_OF"));
    let glibc = m0
        .packages
        .iter()
        .find(|p| p.name == "glibc")
        .expect("glibc");
    assert_eq!(glibc.checksums.len(), 4);
    assert_eq!(
        glibc.supplier.as_deref(),
        Some("Person: Jane Doe (jane.doe@example.com)")
    );
    let cdx = round_trips("SPDX 2.3 example", &m0);
    let v: Value = serde_json::from_str(&cdx).expect("json");
    assert_eq!(v["metadata"]["component"]["name"], "glibc");
    assert_eq!(
        v["metadata"]["component"]["supplier"]["contact"][0]["email"],
        "jane.doe@example.com"
    );
}

/// Every component of a CycloneDX document, depth first.
fn components(v: &Value, out: &mut Vec<Value>) {
    for c in v["components"].as_array().into_iter().flatten() {
        out.push(c.clone());
        components(c, out);
    }
}

#[test]
fn cyclonedx_conformance_documents_round_trip() {
    let dir = shared_dir().join("conformance/cyclonedx-1.6");
    if shared_file("conformance/cyclonedx-1.6/valid-bom-1.6.json").is_none() {
        return;
    }
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("conformance dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("valid-") && n.ends_with(".json"))
        })
        .collect();
    names.sort();
    assert!(names.len() >= 40, "only {} valid documents", names.len());
    for path in names {
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(&path).expect("reads");
        let (kind, m0, _) = read(&text, &name);
        assert_eq!(kind, Kind::CycloneDx, "{name}");
        round_trips(&name, &m0);

        // The first read keeps the fields docs/conversion.md lists as preserved.
        let source: Value = serde_json::from_str(&text).expect("json");
        let mut all = Vec::new();
        if source["metadata"]["component"].is_object() {
            all.push(source["metadata"]["component"].clone());
            components(&source["metadata"]["component"], &mut all);
        }
        components(&source, &mut all);
        for c in &all {
            let cname = c["name"].as_str().unwrap_or_default();
            let version = c["version"].as_str();
            let purl = c["purl"].as_str();
            let found = m0.packages.iter().any(|p| {
                p.name == cname
                    && p.version.as_deref() == version
                    && purl.is_none_or(|u| p.purl() == Some(u))
                    && c["cpe"]
                        .as_str()
                        .is_none_or(|e| p.external_refs.iter().any(|r| r.locator == e))
            }) || m0.files.iter().any(|f| f.name == cname);
            assert!(
                found,
                "{name}: component {cname} {version:?} not in the model"
            );
            for h in c["hashes"].as_array().into_iter().flatten() {
                let content = h["content"]
                    .as_str()
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                let held = m0
                    .packages
                    .iter()
                    .flat_map(|p| &p.checksums)
                    .chain(m0.files.iter().flat_map(|f| &f.checksums))
                    .any(|s| s.value == content);
                assert!(held, "{name}: hash {content} of {cname} lost");
            }
        }
        if let Some(ts) = source["metadata"]["timestamp"].as_str() {
            assert_eq!(&m0.created[..16], &ts[..16], "{name}: timestamp");
        }
    }
}

#[test]
fn convert_reports_losses_and_can_fail_on_them() {
    let Some(example) = shared_file("spec/spdx-2.3/SPDXJSONExample-v2.3.spdx.json") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("example.cdx.json");
    let run = bomsmith()
        .args(["convert", "--to", "cyclonedx-json", "-o"])
        .arg(&out)
        .arg(&example)
        .output()
        .expect("runs");
    assert!(run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("29 values of the SPDX input could not be carried"),
        "{stderr}"
    );
    assert!(stderr.contains("  snippets: 1\n"), "{stderr}");
    assert!(stderr.contains("  files[].fileTypes: 5\n"), "{stderr}");
    let written = std::fs::read_to_string(&out).expect("written");
    assert_valid("example.cdx.json", &written);

    let strict = bomsmith()
        .args(["convert", "--to", "spdx-json", "--fail-on-loss", "-o"])
        .arg(dir.path().join("again.spdx.json"))
        .arg(&example)
        .output()
        .expect("runs");
    assert_eq!(strict.status.code(), Some(1));
    // Converting our own CycloneDX back loses nothing.
    let back = bomsmith()
        .args(["convert", "--to", "spdx-json", "--fail-on-loss"])
        .arg(&out)
        .output()
        .expect("runs");
    assert_eq!(
        back.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&back.stderr)
    );
}

#[test]
fn convert_fills_in_what_spdx_requires_from_source_date_epoch() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bom = dir.path().join("min.cdx.json");
    std::fs::write(
        &bom,
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
            "components": [{"type": "library", "name": "left-pad", "version": "1.3.0",
                            "purl": "pkg:npm/left-pad@1.3.0", "bom-ref": "pkg:npm/left-pad@1.3.0"}]}"#,
    )
    .expect("write");
    let run = bomsmith()
        .args(["convert", "--to", "spdx-json"])
        .arg(&bom)
        .output()
        .expect("runs");
    assert!(run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("recorded 2023-11-14T22:13:20Z"), "{stderr}");
    let text = String::from_utf8(run.stdout).expect("utf-8");
    assert_valid("min.spdx.json", &text);
    let v: Value = serde_json::from_str(&text).expect("json");
    assert_eq!(v["creationInfo"]["created"], CREATED);
    assert_eq!(v["packages"][0]["SPDXID"], "SPDXRef-pkg-npm-left-pad-1.3.0");
    // No serial number: the namespace is derived from the content, the same every run.
    let again = bomsmith()
        .args(["convert", "--to", "spdx-json"])
        .arg(&bom)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .expect("runs");
    assert_eq!(again.stdout, text.as_bytes());
    assert!(
        v["documentNamespace"]
            .as_str()
            .unwrap_or("")
            .starts_with("urn:uuid:")
    );
}

#[test]
fn convert_rejects_bad_input_with_file_and_place() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases = [
        (
            "trunc.json",
            "{\"bomFormat\": \"CycloneDX\",",
            "malformed JSON at line 1",
        ),
        (
            "unknown.json",
            r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"type": "library", "name": "x", "colour": "red"}]}"#,
            "/components/0/colour: unknown field `colour` (not part of CycloneDX 1.6)",
        ),
        (
            "spec.json",
            r#"{"bomFormat": "CycloneDX", "specVersion": "2.0"}"#,
            "/specVersion: CycloneDX `2.0` is not a version bomsmith reads",
        ),
        (
            "type.json",
            r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"type": "library", "name": 7}]}"#,
            "/components/0/name: expected a string, found a number",
        ),
        ("neither.json", "{\"hello\": 1}", "neither SPDX"),
    ];
    for (file, body, want) in cases {
        let path = dir.path().join(file);
        std::fs::write(&path, body).expect("write");
        let out = dir.path().join(format!("{file}.out"));
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
            "{file}: {stderr}"
        );
        assert!(!out.exists(), "{file}: output written despite the error");
    }
}
