//! VEX documents in all three formats: every real document in `../shared/conformance/vex`
//! (OpenVEX samples, the CycloneDX and CSAF use cases, 59 OpenVEX documents of a public VEX hub,
//! project-committed OpenVEX, Red Hat's CSAF VEX) is read and converted; the other files there
//! are refused with what they are; a round trip through the three formats keeps what each can
//! carry and says what it cannot. Counts are taken from the documents' own JSON by the test, not
//! from bomsmith's reader; the statement total of the hub is the number the corpus states.

use crate::util::{bomsmith, json_files, shared_file};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn load(p: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(p).expect("read")).expect("JSON")
}

/// What a shared file is, judged by the test from its JSON (not by bomsmith).
#[derive(Debug, PartialEq, Eq)]
enum Is {
    OpenVex(usize),
    Csaf,
    CycloneDxVex,
    Other(&'static str),
}

fn is(v: &Value) -> Is {
    if v["@context"]
        .as_str()
        .is_some_and(|c| c.starts_with("https://openvex.dev/ns"))
    {
        return Is::OpenVex(v["statements"].as_array().map_or(0, Vec::len));
    }
    if v["document"]["csaf_version"].is_string() {
        return Is::Csaf;
    }
    if v["bomFormat"] == "CycloneDX" {
        return if v["vulnerabilities"]
            .as_array()
            .is_some_and(|l| !l.is_empty())
        {
            Is::CycloneDxVex
        } else {
            Is::Other("a CycloneDX BOM without vulnerabilities")
        };
    }
    if v.get("runs").is_some() {
        return Is::Other("a SARIF log");
    }
    if v.get("spdxVersion").is_some() {
        return Is::Other("an SPDX SBOM");
    }
    if v.get("ID").is_some() && v.get("Sources").is_some() {
        return Is::Other("a VEX Hub package manifest");
    }
    if v.get("packages").is_some() && v.get("updated_at").is_some() {
        return Is::Other("a VEX Hub index");
    }
    Is::Other("a VEX repository description")
}

/// Runs `convert FILE --to TO -o OUT`; (success, stderr).
fn convert(file: &Path, to: &str, out: &Path) -> (bool, String) {
    let o = bomsmith()
        .arg("convert")
        .arg(file)
        .args(["--to", to, "-o"])
        .arg(out)
        .output()
        .expect("runs");
    (
        o.status.success(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// The number of statements read, from the summary line (`... → openvex: N statements`).
fn statements_read(stderr: &str) -> usize {
    stderr
        .lines()
        .find_map(|l| {
            let tail = l.rsplit_once(": ")?.1;
            tail.split(' ').next()?.parse().ok()
        })
        .unwrap_or_else(|| panic!("no summary in {stderr}"))
}

#[test]
fn every_shared_vex_document_imports_and_the_other_files_are_refused() {
    let Some(dir) = shared_file("conformance/vex") else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut hub_statements = 0usize;
    let mut hub_documents = 0usize;
    let mut read = 0usize;
    let mut refused = BTreeMap::new();
    for (i, f) in json_files(&dir).iter().enumerate() {
        let v = load(f);
        let out = tmp.path().join(format!("{i}.cdx.json"));
        let (ok, stderr) = convert(f, "cyclonedx-vex", &out);
        match is(&v) {
            Is::Other(what) => {
                assert!(!ok, "{} should be refused", f.display());
                assert!(stderr.contains(what), "{}: {stderr}", f.display());
                assert!(!out.exists(), "nothing is written for {}", f.display());
                *refused.entry(what).or_insert(0) += 1;
            }
            kind => {
                assert!(ok, "{}: {stderr}", f.display());
                read += 1;
                if let Is::OpenVex(n) = kind {
                    assert_eq!(statements_read(&stderr), n, "{}", f.display());
                    if f.to_string_lossy().contains("vexhub") {
                        hub_statements += n;
                        hub_documents += 1;
                    }
                }
            }
        }
    }
    // The hub as the corpus describes it: 59 documents, 15,304 statements.
    assert_eq!((hub_documents, hub_statements), (59, 15_304));
    assert!(read >= 100, "{read} VEX documents read");
    let expect: BTreeMap<&str, usize> = [
        ("a SARIF log", 3),
        ("an SPDX SBOM", 1),
        ("a CycloneDX BOM without vulnerabilities", 14),
        ("a VEX Hub package manifest", 57),
        ("a VEX Hub index", 1),
        ("a VEX repository description", 1),
    ]
    .into_iter()
    .collect();
    assert_eq!(refused, expect);
}

/// Red Hat's CSAF VEX for CVE-2023-20593: every one of its 2,571 fixed and 210 known not
/// affected product IDs (each a package within a product, by relationship) is one CycloneDX
/// `affects` entry of the right state, and one OpenVEX subcomponent.
#[test]
fn red_hat_csaf_product_ids_all_arrive() {
    let Some(f) = shared_file("conformance/vex/wild/csaf-redhat/cve-2023-20593.json") else {
        return;
    };
    let source = load(&f);
    let status = &source["vulnerabilities"][0]["product_status"];
    let fixed = status["fixed"].as_array().expect("fixed").len();
    let not_affected = status["known_not_affected"].as_array().expect("kna").len();
    assert_eq!((fixed, not_affected), (2571, 210));
    let tmp = tempfile::tempdir().expect("tempdir");
    let cdx = tmp.path().join("rh.cdx.json");
    let (ok, stderr) = convert(&f, "cyclonedx-vex", &cdx);
    assert!(ok, "{stderr}");
    let mut by_state: BTreeMap<String, usize> = BTreeMap::new();
    for v in load(&cdx)["vulnerabilities"]
        .as_array()
        .expect("vulnerabilities")
    {
        *by_state
            .entry(v["analysis"]["state"].as_str().expect("state").to_owned())
            .or_default() += v["affects"].as_array().expect("affects").len();
    }
    assert_eq!(by_state["resolved"], fixed);
    assert_eq!(by_state["not_affected"], not_affected);
    let ovx = tmp.path().join("rh.openvex.json");
    let (ok, stderr) = convert(&f, "openvex", &ovx);
    assert!(ok, "{stderr}");
    let mut subs: BTreeMap<String, usize> = BTreeMap::new();
    for s in load(&ovx)["statements"].as_array().expect("statements") {
        for p in s["products"].as_array().expect("products") {
            *subs
                .entry(s["status"].as_str().expect("status").to_owned())
                .or_default() += p["subcomponents"].as_array().map_or(1, Vec::len);
        }
    }
    assert_eq!(subs["fixed"], fixed);
    assert_eq!(subs["not_affected"], not_affected);
    // What OpenVEX has no field for is said, counted.
    assert!(
        stderr.contains("not carried (2856×): product names"),
        "{stderr}"
    );
}

type Fact = (String, String, String, Option<String>);

/// A fact with the statement's justification, impact statement and action statement.
type FullFact = (Fact, Option<String>, Option<String>, Option<String>);

/// (vulnerability, status, product, subcomponent) of every statement of an OpenVEX document,
/// and the same with justification and impact statement.
fn facts(v: &Value) -> (BTreeSet<Fact>, BTreeSet<FullFact>) {
    let mut core = BTreeSet::new();
    let mut full = BTreeSet::new();
    for s in v["statements"].as_array().expect("statements") {
        let name = s["vulnerability"]["name"]
            .as_str()
            .expect("name")
            .to_owned();
        let status = s["status"].as_str().expect("status").to_owned();
        for p in s["products"].as_array().into_iter().flatten() {
            let id = p["@id"].as_str().expect("@id").to_owned();
            let subs: Vec<Option<String>> = match p["subcomponents"].as_array() {
                Some(l) if !l.is_empty() => l
                    .iter()
                    .map(|x| Some(x["@id"].as_str().expect("@id").to_owned()))
                    .collect(),
                _ => vec![None],
            };
            for sub in subs {
                let fact = (name.clone(), status.clone(), id.clone(), sub);
                core.insert(fact.clone());
                full.insert((
                    fact,
                    s["justification"].as_str().map(str::to_owned),
                    s["impact_statement"].as_str().map(str::to_owned),
                    s["action_statement"].as_str().map(str::to_owned),
                ));
            }
        }
    }
    (core, full)
}

/// OpenVEX → CycloneDX → CSAF → OpenVEX of every shared VEX document (a CycloneDX or CSAF one
/// first made OpenVEX, the round trip's start): vulnerability, status and products (with
/// subcomponents) exactly; justifications, impact and action statements too, except where a
/// document says two different things about one product and vulnerability, which CSAF cannot
/// hold and the conversion reports.
#[test]
fn round_trip_through_the_three_formats_keeps_statuses_and_products() {
    let Some(dir) = shared_file("conformance/vex") else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let (mut openvex, mut others, mut empty, mut contradicting) = (0, 0, 0, 0);
    for (i, f) in json_files(&dir).iter().enumerate() {
        let source = load(f);
        let start = match is(&source) {
            Is::Other(_) => continue,
            Is::OpenVex(_) => {
                openvex += 1;
                f.clone()
            }
            _ => {
                let out = tmp.path().join(format!("{i}.start.json"));
                let (ok, stderr) = convert(f, "openvex", &out);
                if !ok {
                    // Red Hat's CSAF template states nothing: no OpenVEX document to start from.
                    assert!(
                        stderr.contains("the input states none"),
                        "{}: {stderr}",
                        f.display()
                    );
                    empty += 1;
                    continue;
                }
                others += 1;
                out
            }
        };
        let step = |from: &Path, to: &str, n: &str| {
            let out = tmp.path().join(format!("{i}.{n}.json"));
            let (ok, stderr) = convert(from, to, &out);
            assert!(ok, "{} → {to}: {stderr}", from.display());
            (out, stderr)
        };
        let (cdx, cdx_err) = step(&start, "cyclonedx-vex", "cdx");
        if facts(&load(&start)).0.is_empty() {
            // Statements naming no product (CycloneDX use case 7's `affects: null`): CSAF
            // states a status per product, so there is nothing it can hold; said, not written.
            let (ok, stderr) = convert(&cdx, "csaf-vex", &tmp.path().join(format!("{i}.x.json")));
            assert!(!ok && stderr.contains("each names no product"), "{stderr}");
            empty += 1;
            continue;
        }
        let (csaf, csaf_err) = step(&cdx, "csaf-vex", "csaf");
        let (back, _) = step(&csaf, "openvex", "back");
        let (core_in, full_in) = facts(&load(&start));
        let (core_out, full_out) = facts(&load(&back));
        if csaf_err.contains("contradict an earlier one") {
            // Two statements about one product and vulnerability (in the hub, or made so when
            // OpenVEX could not carry the CycloneDX versions that told them apart, which that
            // step reported): CSAF keeps the first, and says so. Every vulnerability and
            // product is still there.
            contradicting += 1;
            let names = |c: &BTreeSet<Fact>| -> BTreeSet<(String, String, Option<String>)> {
                c.iter()
                    .map(|(v, _, p, s)| (v.clone(), p.clone(), s.clone()))
                    .collect()
            };
            assert_eq!(names(&core_in), names(&core_out), "{}", f.display());
            assert!(core_out.is_subset(&core_in), "{}", f.display());
        } else {
            assert_eq!(core_in, core_out, "{}", f.display());
            // CycloneDX has no impact statement for statuses other than not_affected (its
            // `detail` is the status notes there); where that was reported, those are left out
            // of the comparison.
            let lost_impact = cdx_err.contains("impact statements of statements not not_affected");
            let keep = |set: BTreeSet<FullFact>| -> BTreeSet<FullFact> {
                set.into_iter()
                    .map(|(fact, j, impact, action)| {
                        let impact = if lost_impact && fact.1 != "not_affected" {
                            None
                        } else {
                            impact
                        };
                        (fact, j, impact, action)
                    })
                    .collect()
            };
            assert_eq!(keep(full_in), keep(full_out), "{}", f.display());
        }
    }
    assert_eq!(openvex, 68);
    assert!(others >= 35, "{others} CycloneDX and CSAF documents");
    assert_eq!(empty, 2, "Red Hat's template and CycloneDX use case 7");
    // The documents of the hub that state two things about one product are few, and said.
    assert!(contradicting < 20, "{contradicting}");
}

/// A CISA justification CycloneDX has no word for is kept in a property and reported; the same
/// input gives the same bytes.
#[test]
fn what_cyclonedx_cannot_say_is_reported_and_output_is_deterministic() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = tmp.path().join("in.openvex.json");
    std::fs::write(
        &input,
        serde_json::json!({
            "@context": "https://openvex.dev/ns/v0.2.0",
            "@id": "https://example.org/vex/1", "author": "A", "version": 1,
            "timestamp": "2024-01-01T00:00:00Z",
            "statements": [{
                "vulnerability": {"name": "CVE-2025-59375"},
                "products": [{"@id": "pkg:generic/cpython@3.13.5",
                              "subcomponents": [{"@id": "pkg:generic/expat@2.7.1"}]}],
                "status": "not_affected",
                "justification": "vulnerable_code_cannot_be_controlled_by_adversary",
                "impact_statement": "the parser is never given untrusted input here",
                "timestamp": "2024-02-01T00:00:00Z"
            }]
        })
        .to_string(),
    )
    .expect("write");
    let a = tmp.path().join("a.json");
    let b = tmp.path().join("b.json");
    let (ok, stderr) = convert(&input, "cyclonedx-vex", &a);
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains(
            "justification vulnerable_code_cannot_be_controlled_by_adversary (no CycloneDX equivalent"
        ),
        "{stderr}"
    );
    let (ok, _) = convert(&input, "cyclonedx-vex", &b);
    assert!(ok);
    assert_eq!(std::fs::read(&a).expect("a"), std::fs::read(&b).expect("b"));
    let cdx = load(&a);
    let v = &cdx["vulnerabilities"][0];
    assert!(v["analysis"].get("justification").is_none());
    assert_eq!(
        v["properties"][0]["value"],
        "vulnerable_code_cannot_be_controlled_by_adversary"
    );
    assert_eq!(
        v["analysis"]["detail"],
        "the parser is never given untrusted input here"
    );
    assert_eq!(v["analysis"]["firstIssued"], "2024-02-01T00:00:00Z");
    // The subcomponent is a component within the product, and the one `affects` names.
    assert_eq!(v["affects"][0]["ref"], "pkg:generic/expat@2.7.1");
    assert_eq!(
        cdx["components"][0]["components"][0]["bom-ref"],
        "pkg:generic/expat@2.7.1"
    );
    // CSAF: the justification is a flag, the impact a threat, the date the flag's; the
    // subcomponent a relationship.
    let c = tmp.path().join("c.json");
    let (ok, stderr) = convert(&input, "csaf-vex", &c);
    assert!(ok, "{stderr}");
    let csaf = load(&c);
    let v = &csaf["vulnerabilities"][0];
    assert_eq!(v["cve"], "CVE-2025-59375");
    let id = "pkg:generic/cpython@3.13.5:pkg:generic/expat@2.7.1";
    assert_eq!(v["product_status"]["known_not_affected"][0], id);
    assert_eq!(
        v["flags"][0]["label"],
        "vulnerable_code_cannot_be_controlled_by_adversary"
    );
    assert_eq!(v["flags"][0]["date"], "2024-02-01T00:00:00Z");
    assert_eq!(v["threats"][0]["category"], "impact");
    assert_eq!(
        csaf["product_tree"]["relationships"][0]["category"],
        "default_component_of"
    );
}

/// Runs `vulns SBOM --db DB [--vex VEX] --format json`; the JSON report and the exit code.
fn vulns_json(sbom: &Path, db: &Path, vex: Option<&Path>, fail_on: Option<&str>) -> (Value, i32) {
    let mut c = bomsmith();
    c.arg("vulns").arg(sbom).arg("--db").arg(db);
    if let Some(v) = vex {
        c.arg("--vex").arg(v);
    }
    if let Some(f) = fail_on {
        c.args(["--fail-on", f]);
    }
    let out = c.args(["--format", "json"]).output().expect("runs");
    let code = out.status.code().expect("exit code");
    assert!(
        code == 0 || code == 1,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        serde_json::from_slice(&out.stdout).expect("JSON report"),
        code,
    )
}

/// (component name, vulnerability ID, VEX status or "-") of every finding.
fn marks(report: &Value) -> BTreeSet<(String, String, String)> {
    report["sboms"][0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["component"]["name"].as_str().expect("name").to_owned(),
                f["id"].as_str().expect("id").to_owned(),
                f["vex"]["status"].as_str().unwrap_or("-").to_owned(),
            )
        })
        .collect()
}

/// End to end on a CPython-like tarball made here: its bundled pip wheel vendors urllib3 and
/// requests; OSV records made here affect both; a `not_affected` statement for urllib3's
/// finding, exported as OpenVEX (and converted to CycloneDX and CSAF), marks exactly that
/// finding with its justification, leaves requests' intact, and `--fail-on` counts only it.
#[test]
fn a_not_affected_statement_settles_its_finding_and_no_other() {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut zw = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    zw.start_file("pip/_vendor/vendor.txt", opts)
        .expect("entry");
    zw.write_all(b"urllib3==1.26.0\nrequests==2.25.0\n")
        .expect("data");
    let whl = zw.finish().expect("zip").into_inner();
    let tar = crate::util::raw_tar(&[
        crate::util::file(b"Python-3.99.0/Modules/main.c", b"int main;\n"),
        crate::util::file(
            b"Python-3.99.0/Lib/ensurepip/_bundled/pip-24.0-py3-none-any.whl",
            &whl,
        ),
    ]);
    let tarball = dir.path().join("Python-3.99.0.tar");
    std::fs::write(&tarball, tar).expect("write");
    let cfg = dir.path().join("cfg.toml");
    std::fs::write(
        &cfg,
        "[[bundled_wheel]]\npath = \"Lib/ensurepip/_bundled/pip-*.whl\"\nvendored = \"pip/_vendor/vendor.txt\"\n",
    )
    .expect("write");
    let sbom = dir.path().join("python.spdx.json");
    let out = bomsmith()
        .arg("scan")
        .arg(&tarball)
        .arg("--config")
        .arg(&cfg)
        .arg("-o")
        .arg(&sbom)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let records = dir.path().join("osv");
    std::fs::create_dir(&records).expect("mkdir");
    for (id, alias, name, fixed) in [
        ("PYSEC-9999-1", "CVE-9999-0001", "urllib3", "1.26.5"),
        ("PYSEC-9999-2", "CVE-9999-0002", "requests", "2.31.0"),
    ] {
        std::fs::write(
            records.join(format!("{id}.json")),
            serde_json::json!({
                "id": id, "aliases": [alias], "modified": "2024-01-01T00:00:00Z",
                "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
                "affected": [{"package": {"ecosystem": "PyPI", "name": name},
                              "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}]}]
            })
            .to_string(),
        )
        .expect("write");
    }
    let (before, code) = vulns_json(&sbom, &records, None, Some("high"));
    assert_eq!(code, 1);
    let expect_before: BTreeSet<(String, String, String)> = [
        ("requests", "CVE-9999-0002", "-"),
        ("urllib3", "CVE-9999-0001", "-"),
    ]
    .iter()
    .map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), (*c).to_owned()))
    .collect();
    assert_eq!(marks(&before), expect_before);
    // The statement names the vulnerability by its alias and the component by its PURL.
    let vex = dir.path().join("triage.json");
    std::fs::write(
        &vex,
        serde_json::json!({
            "@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.org/vex/triage",
            "author": "release manager", "timestamp": "2024-02-01T00:00:00Z", "version": 1,
            "statements": [{
                "vulnerability": {"name": "CVE-9999-0001"},
                "products": [{"@id": "pkg:pypi/urllib3@1.26.0"}],
                "status": "not_affected",
                "justification": "vulnerable_code_not_in_execute_path",
                "impact_statement": "pip never calls the affected function"
            }]
        })
        .to_string(),
    )
    .expect("write");
    for to in ["openvex", "cyclonedx-vex", "csaf-vex"] {
        let file = dir.path().join(format!("triage.{to}.json"));
        let (ok, stderr) = convert(&vex, to, &file);
        assert!(ok, "{stderr}");
        let (after, code) = vulns_json(&sbom, &records, Some(&file), Some("high"));
        // Still shown, marked; the other finding untouched; --fail-on counts only that one.
        let expect: BTreeSet<(String, String, String)> = [
            ("requests", "CVE-9999-0002", "-"),
            ("urllib3", "CVE-9999-0001", "not_affected"),
        ]
        .iter()
        .map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), (*c).to_owned()))
        .collect();
        assert_eq!(marks(&after), expect, "{to}");
        assert_eq!(code, 1, "{to}: requests still fails --fail-on high");
        let f = after["sboms"][0]["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .find(|f| f["component"]["name"] == "urllib3")
            .expect("urllib3");
        assert_eq!(
            f["vex"]["justification"], "vulnerable_code_not_in_execute_path",
            "{to}"
        );
        assert_eq!(
            f["vex"]["impact_statement"], "pip never calls the affected function",
            "{to}"
        );
    }
}

/// The real CPython 3.13.5 release SBOM against every advisory tree in `../shared`: expat 2.6.3
/// is affected by CVE-2025-59375; a `not_affected` statement for it (a test statement: its
/// words are ours), in each of the three formats, marks exactly that finding, and `--fail-on
/// high` then passes.
#[test]
fn cpythons_expat_finding_is_settled_by_a_statement_in_each_format() {
    let (Some(tarball), Some(advisories)) =
        (crate::util::cpython_tarball(), shared_file("advisories"))
    else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let sbom = dir.path().join("cpython.spdx.json");
    let out = bomsmith()
        .arg("scan")
        .arg(&tarball)
        .args(["--preset", "cpython", "-o"])
        .arg(&sbom)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (before, code) = vulns_json(&sbom, &advisories, None, Some("high"));
    assert_eq!(code, 1);
    let expat: BTreeSet<(String, String, String)> = [(
        "expat".to_owned(),
        "CVE-2025-59375".to_owned(),
        "-".to_owned(),
    )]
    .into_iter()
    .collect();
    assert_eq!(marks(&before), expat);
    let vex = dir.path().join("cpython-vex.json");
    std::fs::write(
        &vex,
        serde_json::json!({
            "@context": "https://openvex.dev/ns/v0.2.0",
            "@id": "https://example.org/vex/cpython-3.13.5", "author": "bomsmith tests",
            "timestamp": "2025-10-01T00:00:00Z", "version": 1,
            "statements": [{
                "vulnerability": {"name": "CVE-2025-59375"},
                "products": [{"@id": "cpe:2.3:a:python:python:3.13.5:*:*:*:*:*:*:*",
                              "subcomponents": [{"@id": "cpe:2.3:a:libexpat_project:libexpat:2.6.3:*:*:*:*:*:*:*"}]}],
                "status": "not_affected",
                "justification": "vulnerable_code_cannot_be_controlled_by_adversary",
                "impact_statement": "A test statement, not an assessment of CPython."
            }]
        })
        .to_string(),
    )
    .expect("write");
    for to in ["openvex", "cyclonedx-vex", "csaf-vex"] {
        let file = dir.path().join(format!("cpython.{to}.json"));
        let (ok, stderr) = convert(&vex, to, &file);
        assert!(ok, "{stderr}");
        let (after, code) = vulns_json(&sbom, &advisories, Some(&file), Some("high"));
        let settled: BTreeSet<(String, String, String)> = [(
            "expat".to_owned(),
            "CVE-2025-59375".to_owned(),
            "not_affected".to_owned(),
        )]
        .into_iter()
        .collect();
        assert_eq!(marks(&after), settled, "{to}");
        assert_eq!(code, 0, "{to}: nothing left for --fail-on high");
        let f = &after["sboms"][0]["findings"][0];
        assert_eq!(
            f["vex"]["justification"], "vulnerable_code_cannot_be_controlled_by_adversary",
            "{to}"
        );
    }
}

/// The in-tree store: `vex add|set|list|show` with the store's path in bomsmith.toml. Invalid
/// statements (a `not_affected` without justification or impact, an `affected` without action,
/// an unknown status, a product the SBOM does not have, a second `add`) are refused with what
/// is wrong and where, and leave the store byte for byte as it was; a change keeps the older
/// statement as history, and `vulns --vex` applies the current one without calling the
/// history a conflict.
#[test]
fn the_store_takes_valid_edits_only_and_keeps_history() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("bomsmith.toml"),
        "[vex]\nstore = \"Misc/vex.openvex.json\"\nauthor = \"release team\"\n",
    )
    .expect("write");
    std::fs::create_dir(dir.path().join("Misc")).expect("mkdir");
    let store = dir.path().join("Misc/vex.openvex.json");
    // An SBOM with a product and its component, by PURL.
    let sbom = dir.path().join("app.cdx.json");
    std::fs::write(
        &sbom,
        serde_json::json!({"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
            "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
            "metadata": {"component": {"type": "application", "bom-ref": "app", "name": "app",
                                       "version": "1.0", "purl": "pkg:generic/app@1.0"}},
            "components": [{"type": "library", "bom-ref": "lib", "name": "lib", "version": "2.0",
                            "purl": "pkg:pypi/lib@2.0"}]})
        .to_string(),
    )
    .expect("write");
    let vex = |args: &[&str], epoch: &str| {
        let out = bomsmith()
            .current_dir(dir.path())
            .env("SOURCE_DATE_EPOCH", epoch)
            .arg("vex")
            .args(args)
            .output()
            .expect("runs");
        (
            out.status.code().expect("code"),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let base = [
        "--vuln",
        "CVE-2024-1",
        "--product",
        "pkg:generic/app@1.0",
        "--subcomponent",
        "pkg:pypi/lib@2.0",
        "--sbom",
        "app.cdx.json",
    ];
    let with = |extra: &[&'static str]| -> Vec<&str> {
        base.iter().copied().chain(extra.iter().copied()).collect()
    };
    // Refused before the store exists: nothing is created.
    let mut args = vec!["add"];
    args.extend(with(&["--status", "not_affected"]));
    let (code, _, err) = vex(&args, "1700000000");
    assert_eq!(code, 2);
    assert!(
        err.contains("needs a justification or an impact statement"),
        "{err}"
    );
    assert!(!store.exists());
    let mut args = vec!["add"];
    args.extend(with(&["--status", "under_investigation"]));
    let (code, _, err) = vex(&args, "1700000000");
    assert_eq!(code, 0, "{err}");
    let before = std::fs::read(&store).expect("store");
    // Each refusal leaves the store as it was.
    let refusals: &[(&[&str], &str)] = &[
        (&["add", "--status", "fixed"], "already stated"),
        (
            &["set", "--status", "affected"],
            "needs an action statement",
        ),
        (
            &["set", "--status", "maybe"],
            "invalid value 'maybe' for '--status",
        ),
        (
            &["set", "--status", "fixed", "--justification", "it_is_fine"],
            "invalid value 'it_is_fine' for '--justification",
        ),
    ];
    for (extra, message) in refusals {
        let mut args = vec![extra[0]];
        args.extend(with(&extra[1..]));
        let (code, _, err) = vex(&args, "1700000100");
        assert_eq!(code, 2, "{extra:?}: {err}");
        assert!(err.contains(message), "{extra:?}: {err}");
        assert_eq!(std::fs::read(&store).expect("store"), before, "{extra:?}");
    }
    let (code, _, err) = vex(
        &[
            "set",
            "--vuln",
            "CVE-2024-1",
            "--product",
            "pkg:pypi/other@1",
            "--status",
            "fixed",
            "--sbom",
            "app.cdx.json",
        ],
        "1700000100",
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("--product pkg:pypi/other@1: no component of app.cdx.json"),
        "{err}"
    );
    assert_eq!(std::fs::read(&store).expect("store"), before);
    // A valid change: the older statement stays as history.
    let mut args = vec!["set"];
    args.extend(with(&[
        "--status",
        "not_affected",
        "--justification",
        "vulnerable_code_not_present",
    ]));
    let (code, _, err) = vex(&args, "1700000200");
    assert_eq!(code, 0, "{err}");
    let (_, listed, _) = vex(&["list", "--format", "json"], "1700000300");
    let listed: Value = serde_json::from_str(&listed).expect("JSON");
    assert_eq!(listed["statements"].as_array().expect("list").len(), 1);
    assert_eq!(listed["statements"][0]["status"], "not_affected");
    let (_, history, _) = vex(&["show", "CVE-2024-1"], "1700000300");
    let lines: Vec<&str> = history.lines().collect();
    assert_eq!(lines.len(), 2, "{history}");
    assert!(lines[0].contains("under_investigation") && lines[1].contains("not_affected"));
    // The store is an OpenVEX document: the author from bomsmith.toml, version 2.
    let doc = load(&store);
    assert_eq!(doc["author"], "release team");
    assert_eq!(doc["version"], 2);
    assert_eq!(doc["statements"].as_array().expect("statements").len(), 2);
    // Applied: the newest statement, and no conflict with its own history.
    let records = dir.path().join("osv");
    std::fs::create_dir(&records).expect("mkdir");
    std::fs::write(
        records.join("PYSEC-1.json"),
        serde_json::json!({"id": "PYSEC-1", "aliases": ["CVE-2024-1"],
            "modified": "2024-01-01T00:00:00Z",
            "affected": [{"package": {"ecosystem": "PyPI", "name": "lib"}, "versions": ["2.0"]}]})
        .to_string(),
    )
    .expect("write");
    let out = bomsmith()
        .arg("vulns")
        .arg(&sbom)
        .arg("--db")
        .arg(&records)
        .arg("--vex")
        .arg(&store)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("conflict"), "{err}");
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(
        report["sboms"][0]["findings"][0]["vex"]["status"],
        "not_affected"
    );
}

/// `vex from-findings`: a `vulns` JSON report becomes `under_investigation` statements, one per
/// (vulnerability, component), naming the component by the identifier that matched.
#[test]
fn findings_become_statements_for_triage() {
    let dir = tempfile::tempdir().expect("tempdir");
    let report = dir.path().join("report.json");
    std::fs::write(
        &report,
        serde_json::json!({"bomsmith_vulns": 1, "sources": [], "sboms": [{"file": "a.cdx.json",
            "components": 1, "findings": [
                {"component": {"id": "lib", "name": "lib", "version": "2.0"},
                 "identifier": "pkg:pypi/lib@2.0", "version": "2.0", "id": "CVE-2024-1",
                 "ids": ["CVE-2024-1", "PYSEC-1"], "summary": "A flaw."},
                {"component": {"id": "expat", "name": "expat", "version": "2.6.3"},
                 "identifier": "cpe:2.3:a:libexpat_project:libexpat:2.6.3:*:*:*:*:*:*:*",
                 "version": "2.6.3", "id": "CVE-2025-59375", "ids": ["CVE-2025-59375"]}]}]})
        .to_string(),
    )
    .expect("write");
    let out_file = dir.path().join("triage.openvex.json");
    let out = bomsmith()
        .args(["vex", "from-findings"])
        .arg(&report)
        .arg("-o")
        .arg(&out_file)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc = load(&out_file);
    let st = doc["statements"].as_array().expect("statements");
    assert_eq!(st.len(), 2);
    assert!(st.iter().all(|s| s["status"] == "under_investigation"));
    let products: BTreeSet<&str> = st
        .iter()
        .map(|s| s["products"][0]["@id"].as_str().expect("@id"))
        .collect();
    assert_eq!(
        products,
        BTreeSet::from([
            "pkg:pypi/lib@2.0",
            "cpe:2.3:a:libexpat_project:libexpat:2.6.3:*:*:*:*:*:*:*"
        ])
    );
    // Not a report: refused.
    let out = bomsmith()
        .args(["vex", "from-findings"])
        .arg(&out_file)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

/// `validate` judges VEX documents by their own schemas and the status rules: the real
/// documents of `../shared/conformance/vex` pass or fail where a person reading them would say
/// so, and a statement breaking a rule is named by its JSON pointer.
#[test]
fn validate_judges_vex_documents_by_schema_and_status_rules() {
    let Some(dir) = shared_file("conformance/vex") else {
        return;
    };
    let check = |path: &Path| -> (i32, String) {
        let out = bomsmith().arg("validate").arg(path).output().expect("runs");
        (
            out.status.code().expect("code"),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    // Valid: the CISA CSAF use cases and an OpenVEX hub document.
    for rel in [
        "csaf/2022-evd-uc-07-001.json",
        "csaf/sec-vex-2022-0001.json",
        "wild/vexhub/pkg/golang/github.com/rancher/rke2/scan.openvex.json",
    ] {
        let (code, out) = check(&dir.join(rel));
        assert_eq!(code, 0, "{rel}: {out}");
        assert!(out.contains("0 errors"), "{rel}: {out}");
    }
    // Real defects, each named where it is (a CycloneDX BOM stays valid: a warning).
    let cases: &[(&str, i32, &str)] = &[
        (
            "openvex/sample-1statement.openvex.json",
            1,
            "VEX001 error: Additional properties are not allowed ('statement' was unexpected) (/statements/0)",
        ),
        (
            "wild/vexhub/pkg/golang/github.com/aquasecurity/trivy/trivy.openvex.json",
            1,
            "is not a \"iri\" (/@id)",
        ),
        (
            "cyclonedx/Use-Cases/Case-5/vex.json",
            0,
            "VEX004 warning: CVE-2020-25649: an `affected` statement needs an action statement",
        ),
    ];
    for (rel, want, message) in cases {
        let (code, out) = check(&dir.join(rel));
        assert_eq!(code, *want, "{rel}: {out}");
        assert!(out.contains(message), "{rel}: {out}");
    }
    // Made here: a not_affected without reason, an unknown status.
    let tmp = tempfile::tempdir().expect("tempdir");
    let f = tmp.path().join("bad.openvex.json");
    let doc = |statement: Value| {
        serde_json::json!({"@context": "https://openvex.dev/ns/v0.2.0",
            "@id": "https://example.org/vex/1", "author": "a", "version": 1,
            "timestamp": "2024-01-01T00:00:00Z", "statements": [
                {"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:npm/a@1"}],
                 "status": "fixed"}, statement]})
        .to_string()
    };
    std::fs::write(
        &f,
        doc(serde_json::json!({"vulnerability": {"name": "CVE-2"},
            "products": [{"@id": "pkg:npm/a@1"}], "status": "not_affected"})),
    )
    .expect("write");
    let (code, out) = check(&f);
    assert_eq!(code, 1);
    assert!(
        out.contains("VEX002 error: CVE-2: a `not_affected` statement needs a justification or an impact statement (/statements/1)"),
        "{out}"
    );
    std::fs::write(
        &f,
        doc(serde_json::json!({"vulnerability": {"name": "CVE-2"},
            "products": [{"@id": "pkg:npm/a@1"}], "status": "maybe"})),
    )
    .expect("write");
    let (code, out) = check(&f);
    assert_eq!(code, 1);
    assert!(out.contains("(/statements/1/status)"), "{out}");
    assert!(out.contains("VEX003"), "{out}");
}

/// `scan` names the published VEX document in the root package when `[vex] published` says
/// where it is: an SPDX `SECURITY`/`advisory` reference marked as VEX, a CycloneDX
/// `exploitability-statement` external reference, and each converts into the other.
#[test]
fn scan_links_the_published_vex_document_from_the_sbom() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tree = dir.path().join("app-1.0");
    std::fs::create_dir(&tree).expect("mkdir");
    std::fs::write(tree.join("main.c"), "int main;\n").expect("write");
    let cfg = dir.path().join("cfg.toml");
    std::fs::write(
        &cfg,
        "[root]\nname = \"app\"\nversion = \"1.0\"\n\n[vex]\npublished = \"https://example.org/app-{version}.openvex.json\"\n",
    )
    .expect("write");
    let url = "https://example.org/app-1.0.openvex.json";
    let scan = |format: &str, out: &Path| {
        let o = bomsmith()
            .arg("scan")
            .arg(&tree)
            .arg("--config")
            .arg(&cfg)
            .args(["-f", format, "-o"])
            .arg(out)
            .output()
            .expect("runs");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        load(out)
    };
    let spdx = scan("spdx-json", &dir.path().join("a.spdx.json"));
    let root = spdx["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .find(|p| p["name"] == "app")
        .expect("root");
    let vex_ref = root["externalRefs"]
        .as_array()
        .expect("refs")
        .iter()
        .find(|r| r["referenceLocator"] == url)
        .expect("the VEX reference");
    assert_eq!(vex_ref["referenceCategory"], "SECURITY");
    assert_eq!(vex_ref["referenceType"], "advisory");
    let cdx_path = dir.path().join("a.cdx.json");
    let cdx = scan("cyclonedx-json", &cdx_path);
    let refs = cdx["metadata"]["component"]["externalReferences"]
        .as_array()
        .expect("externalReferences");
    assert!(
        refs.iter()
            .any(|r| r["type"] == "exploitability-statement" && r["url"] == url),
        "{refs:?}"
    );
    // CycloneDX → SPDX keeps it as SPDX's reference.
    let back = dir.path().join("b.spdx.json");
    let o = bomsmith()
        .arg("convert")
        .arg(&cdx_path)
        .args(["--to", "spdx-json", "-o"])
        .arg(&back)
        .output()
        .expect("runs");
    assert!(o.status.success());
    let text = std::fs::read_to_string(&back).expect("read");
    assert!(text.contains(url) && text.contains("\"referenceType\": \"advisory\""));
}

/// `convert --to cyclonedx-vex --sbom SBOM`: products become BOM-Links into the SBOM (its
/// serial number and version, the component's `bom-ref`), no components are listed, and
/// `vulns --vex` applies them to that SBOM; `--to csaf-vex --sbom` names the product tree's
/// products as the SBOM does.
#[test]
fn vex_for_an_sbom_names_products_by_bom_links() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sbom = dir.path().join("app.cdx.json");
    std::fs::write(
        &sbom,
        serde_json::json!({"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 3,
            "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
            "components": [{"type": "library", "bom-ref": "lib-ref", "name": "lib",
                            "version": "2.0", "purl": "pkg:pypi/lib@2.0"}]})
        .to_string(),
    )
    .expect("write");
    let vex = dir.path().join("in.json");
    std::fs::write(
        &vex,
        serde_json::json!({"@context": "https://openvex.dev/ns/v0.2.0",
            "@id": "https://example.org/vex/2", "author": "a", "version": 1,
            "timestamp": "2024-01-01T00:00:00Z",
            "statements": [{"vulnerability": {"name": "CVE-2024-1"},
                "products": [{"@id": "pkg:pypi/lib@2.0"}], "status": "not_affected",
                "justification": "vulnerable_code_not_present"}]})
        .to_string(),
    )
    .expect("write");
    let out = dir.path().join("linked.cdx.json");
    let o = bomsmith()
        .arg("convert")
        .arg(&vex)
        .args(["--to", "cyclonedx-vex", "--sbom"])
        .arg(&sbom)
        .arg("-o")
        .arg(&out)
        .output()
        .expect("runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let linked = load(&out);
    assert_eq!(
        linked["vulnerabilities"][0]["affects"][0]["ref"],
        "urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/3#lib-ref"
    );
    assert!(linked.get("components").is_none());
    let records = dir.path().join("osv");
    std::fs::create_dir(&records).expect("mkdir");
    std::fs::write(
        records.join("PYSEC-1.json"),
        serde_json::json!({"id": "PYSEC-1", "aliases": ["CVE-2024-1"],
            "modified": "2024-01-01T00:00:00Z",
            "affected": [{"package": {"ecosystem": "PyPI", "name": "lib"}, "versions": ["2.0"]}]})
        .to_string(),
    )
    .expect("write");
    let (report, code) = vulns_json(&sbom, &records, Some(&out), Some("any"));
    assert_eq!(code, 0, "the only finding is settled");
    assert_eq!(
        report["sboms"][0]["findings"][0]["vex"]["product"],
        "urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/3#lib-ref"
    );
    let csaf = dir.path().join("linked.csaf.json");
    let o = bomsmith()
        .arg("convert")
        .arg(&vex)
        .args(["--to", "csaf-vex", "--sbom"])
        .arg(&sbom)
        .arg("-o")
        .arg(&csaf)
        .output()
        .expect("runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let c = load(&csaf);
    assert_eq!(
        c["product_tree"]["full_product_names"][0]["name"],
        "lib 2.0"
    );
    // --sbom is for VEX outputs only.
    let o = bomsmith()
        .arg("convert")
        .arg(&sbom)
        .args(["--to", "spdx-json", "--sbom"])
        .arg(&sbom)
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(2));
}
