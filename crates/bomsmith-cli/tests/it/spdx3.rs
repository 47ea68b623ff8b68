//! SPDX 3.0.1 JSON-LD: the official examples read and validated, mutants of them rejected at
//! the right place, the CPython release SBOM through SPDX 3.0.1 and back, determinism.

use crate::util::{
    bomsmith, cpython_tarball, error_pointers, file_sha256, fixture, json_files, shared_file,
};
use crate::validate::check;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn examples() -> Option<PathBuf> {
    shared_file("spec/spdx-3.0.1/examples")
}

#[test]
fn spdx3_official_examples_are_read_and_valid() {
    let Some(dir) = examples() else {
        return;
    };
    let files = json_files(&dir);
    assert_eq!(files.len(), 26, "the 26 examples of the shared corpus");
    for f in &files {
        let bytes = std::fs::read(f).expect("read");
        let (code, report) = check(&bytes, &[]);
        assert_eq!(error_pointers(&report), [], "{}: {report:#}", f.display());
        assert_eq!(code, 0, "{}", f.display());
        // Read into the model and written as SPDX 2.3, which is itself valid.
        let out = bomsmith()
            .arg("convert")
            .arg(f)
            .args(["--to", "spdx-json"])
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{}: {}",
            f.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        let (code, report) = check(&out.stdout, &[]);
        assert_eq!(code, 0, "{} as SPDX 2.3: {report:#}", f.display());
    }
}

/// A mutant of an official example, judged: the errors it gets.
fn judge(doc: &Value) -> Vec<(String, String)> {
    let (code, report) = check(&serde_json::to_vec_pretty(doc).expect("serialise"), &[]);
    assert_eq!(code, 1, "{report:#}");
    error_pointers(&report)
}

/// The index in `@graph` of the first node for which `pick` holds.
fn node(doc: &Value, pick: impl Fn(&Value) -> bool) -> usize {
    doc["@graph"]
        .as_array()
        .expect("graph")
        .iter()
        .position(pick)
        .expect("such a node")
}

#[test]
fn spdx3_mutants_are_rejected_at_their_place() {
    let Some(dir) = examples() else {
        return;
    };
    let read = |rel: &str| -> Value {
        serde_json::from_slice(&std::fs::read(dir.join(rel)).expect("read")).expect("JSON")
    };
    let base = read("spdx-spec/package_sbom.json");

    // A relationship to an element that is nowhere.
    let mut doc = base.clone();
    let r = node(&doc, |n| n["type"] == "Relationship");
    doc["@graph"][r]["to"][0] = json!("http://spdx.example.com/Nowhere");
    assert_eq!(
        judge(&doc),
        [("SPDX3002".to_owned(), format!("/@graph/{r}/to/0"))]
    );
    // ... and from one.
    let mut doc = base.clone();
    doc["@graph"][r]["from"] = json!("http://spdx.example.com/Nowhere");
    assert_eq!(
        judge(&doc),
        [("SPDX3002".to_owned(), format!("/@graph/{r}/from"))]
    );

    // An element without creationInfo (the schema says so too, less precisely: left out).
    let mut doc = base.clone();
    let p = node(&doc, |n| n["type"] == "Person");
    doc["@graph"][p]
        .as_object_mut()
        .expect("object")
        .remove("creationInfo");
    assert_eq!(
        judge(&doc),
        [("SPDX3003".to_owned(), format!("/@graph/{p}"))]
    );
    // An element whose creationInfo names none of the graph.
    let mut doc = base.clone();
    doc["@graph"][p]["creationInfo"] = json!("_:elsewhere");
    assert_eq!(
        judge(&doc),
        [("SPDX3003".to_owned(), format!("/@graph/{p}/creationInfo"))]
    );

    // An unknown property of a package (a file's property).
    let mut doc = base.clone();
    let k = node(&doc, |n| n["type"] == "software_Package");
    doc["@graph"][k]["software_fileKind"] = json!("file");
    assert_eq!(
        judge(&doc),
        [(
            "SPDX3005".to_owned(),
            format!("/@graph/{k}/software_fileKind")
        )]
    );

    // A SHA-256 value of the wrong length, in an example with hashes.
    let mut doc = read("spdx-examples/software/example10/spdx3.0/hello-source.spdx3.json");
    let (i, j) = doc["@graph"]
        .as_array()
        .expect("graph")
        .iter()
        .enumerate()
        .find_map(|(i, n)| {
            n["verifiedUsing"]
                .as_array()?
                .iter()
                .position(|h| h["type"] == "Hash" && h["algorithm"] == "sha256")
                .map(|j| (i, j))
        })
        .expect("a sha256 hash");
    doc["@graph"][i]["verifiedUsing"][j]["hashValue"] = json!("abc123");
    assert_eq!(
        judge(&doc),
        [(
            "SPDX3004".to_owned(),
            format!("/@graph/{i}/verifiedUsing/{j}/hashValue")
        )]
    );

    // Two elements with one spdxId.
    let mut doc = base.clone();
    let f = node(&doc, |n| n["type"] == "software_File");
    doc["@graph"][f]["spdxId"] = doc["@graph"][k]["spdxId"].clone();
    let found = judge(&doc);
    assert!(
        found.contains(&(
            "SPDX3007".to_owned(),
            format!("/@graph/{}/spdxId", k.max(f))
        )),
        "{found:?}"
    );

    // No SpdxDocument.
    let mut doc = base.clone();
    let d = node(&doc, |n| n["type"] == "SpdxDocument");
    doc["@graph"].as_array_mut().expect("graph").remove(d);
    assert_eq!(judge(&doc), [("SPDX3006".to_owned(), "/@graph".to_owned())]);
}

/// The CPython 3.13.5 release SBOM (SPDX 2.3), made once.
fn cpython_spdx2() -> Option<PathBuf> {
    let tarball = cpython_tarball()?;
    let dir = fixture("cpython-spdx23", &file_sha256(&tarball), |dir| {
        let out = bomsmith()
            .arg("scan")
            .arg(&tarball)
            .args(["--preset", "cpython", "-o"])
            .arg(dir.join("sbom.spdx.json"))
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    });
    Some(dir.join("sbom.spdx.json"))
}

fn convert(input: &Path, to: &str) -> Vec<u8> {
    let out = bomsmith()
        .arg("convert")
        .arg(input)
        .args(["--to", to])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// What a package says, by name, as SPDX 2.3 JSON says it (arrays as sets).
fn packages(doc: &Value) -> BTreeMap<String, Value> {
    doc["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|p| {
            let mut keep = serde_json::Map::new();
            for k in [
                "SPDXID",
                "versionInfo",
                "supplier",
                "originator",
                "downloadLocation",
                "licenseDeclared",
                "licenseConcluded",
                "copyrightText",
            ] {
                keep.insert(k.into(), p[k].clone());
            }
            for k in ["checksums", "externalRefs"] {
                let set: BTreeSet<String> = p[k]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(Value::to_string)
                    .collect();
                keep.insert(k.into(), json!(set));
            }
            (
                p["name"].as_str().expect("name").to_owned(),
                Value::Object(keep),
            )
        })
        .collect()
}

fn files(doc: &Value) -> BTreeMap<String, BTreeSet<String>> {
    doc["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| {
            (
                f["fileName"].as_str().expect("name").to_owned(),
                f["checksums"]
                    .as_array()
                    .expect("checksums")
                    .iter()
                    .map(Value::to_string)
                    .collect(),
            )
        })
        .collect()
}

fn relationships(doc: &Value) -> BTreeSet<(String, String, String)> {
    doc["relationships"]
        .as_array()
        .expect("relationships")
        .iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().expect("string").to_owned();
            (
                s("spdxElementId"),
                s("relationshipType"),
                s("relatedSpdxElement"),
            )
        })
        .collect()
}

#[test]
fn spdx3_cpython_release_sbom_round_trip() {
    let Some(spdx2) = cpython_spdx2() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let started = std::time::Instant::now();
    let v3 = convert(&spdx2, "spdx3-json");
    eprintln!(
        "CPython 3.13.5 as SPDX 3.0.1: {} bytes in {:.2?}",
        v3.len(),
        started.elapsed()
    );
    let v3_path = tmp.path().join("sbom.spdx3.json");
    std::fs::write(&v3_path, &v3).expect("write");
    assert_eq!(convert(&spdx2, "spdx3-json"), v3, "byte-identical again");

    // Valid against the official schema, checked here with the schema from ../shared.
    if let Some(schema) = shared_file("spec/spdx-3.0.1/rdf/schema.json") {
        let schema: Value =
            serde_json::from_slice(&std::fs::read(schema).expect("read")).expect("JSON");
        let validator = jsonschema::validator_for(&schema).expect("schema compiles");
        let doc: Value = serde_json::from_slice(&v3).expect("JSON");
        let errs: Vec<String> = validator
            .iter_errors(&doc)
            .take(5)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        assert!(errs.is_empty(), "{errs:#?}");
    }
    let (code, report) = check(&v3, &[]);
    assert_eq!(code, 0, "{report:#}");

    // Back to SPDX 2.3: the same packages, files and relationships.
    let back: Value = serde_json::from_slice(&convert(&v3_path, "spdx-json")).expect("JSON");
    let orig: Value = serde_json::from_slice(&std::fs::read(&spdx2).expect("read")).expect("JSON");
    assert_eq!(orig["packages"].as_array().map(Vec::len), Some(27));
    assert_eq!(packages(&back), packages(&orig));
    assert_eq!(files(&orig).len(), 4808);
    assert_eq!(files(&back), files(&orig));
    let rels = relationships(&orig);
    for kind in ["DESCRIBES", "CONTAINS", "DEPENDS_ON"] {
        assert!(rels.iter().any(|r| r.1 == kind), "{kind}");
    }
    assert_eq!(relationships(&back), rels);
    for k in [
        "name",
        "documentNamespace",
        "dataLicense",
        "spdxVersion",
        "creationInfo",
    ] {
        assert_eq!(back[k], orig[k], "{k}");
    }
    // Nothing else changes either, but `packageFileName`: SPDX 3.0.1 has no place for it
    // (docs/conversion.md). The CPython package is the one that has one.
    let mut orig = orig;
    let mut named = 0;
    for p in orig["packages"].as_array_mut().expect("packages") {
        named += usize::from(
            p.as_object_mut()
                .expect("package")
                .remove("packageFileName")
                .is_some(),
        );
    }
    assert_eq!(named, 1);
    assert_eq!(back, orig, "the whole document survives the trip");
}

#[test]
fn spdx3_scan_output_is_deterministic_and_valid() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let tree = tmp.path().join("demo-1.0");
    std::fs::create_dir_all(tree.join("src")).expect("mkdir");
    std::fs::write(tree.join("src/a.c"), "int a;\n").expect("write");
    std::fs::write(tree.join("README"), "demo\n").expect("write");
    let run = || {
        let out = bomsmith()
            .arg("scan")
            .arg(&tree)
            .args(["-f", "spdx3-json"])
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let first = run();
    assert_eq!(first, run(), "two scans, the same bytes");
    let doc: Value = serde_json::from_slice(&first).expect("JSON");
    assert_eq!(
        doc["@context"],
        "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
    );
    let (code, report) = check(&first, &[]);
    assert_eq!(code, 0, "{report:#}");
    // No random IRIs: every element is named under the document's namespace.
    let graph = doc["@graph"].as_array().expect("graph");
    let document = graph
        .iter()
        .find(|n| n["type"] == "SpdxDocument")
        .expect("document");
    let ns = document["spdxId"]
        .as_str()
        .expect("iri")
        .trim_end_matches("SPDXRef-DOCUMENT");
    for n in graph {
        if let Some(id) = n["spdxId"].as_str() {
            assert!(id.starts_with(ns), "{id} outside {ns}");
        }
    }
    // And through CycloneDX as well.
    let path = tmp.path().join("d.spdx3.json");
    std::fs::write(&path, &first).expect("write");
    let cdx = convert(&path, "cyclonedx-json");
    let (code, report) = check(&cdx, &[]);
    assert_eq!(code, 0, "{report:#}");
}
