//! `vulns` for C libraries and CPython: against the real NVD records in
//! `../shared/advisories/nvd` (CVE API 2.0: per-CVE files and one API response), components
//! found by the CPEs they declare and decided by the records' configurations; and against
//! AlmaLinux's OSV records, RPM components of the records' release. The expected IDs are read
//! off the records by hand (listed beside each row), not computed by bomsmith's ordering.

use super::vulns::{run_json, spdx23};
use crate::util::{bomsmith, shared_file};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

/// (component, version, CPE, the NVD records that affect it, and why).
const ROWS: &[(&str, &str, &str, &[&str])] = &[
    // CPython 3.13.5's release SBOM declares expat 2.6.3: only CVE-2025-59375 (< 2.7.2);
    // CVE-2024-45490 is < 2.6.3, CVE-2024-28757 < 2.6.2, CVE-2023-52425/52426 <= 2.5.0.
    (
        "expat",
        "2.6.3",
        "cpe:2.3:a:libexpat_project:libexpat:2.6.3:*:*:*:*:*:*:*",
        &["CVE-2025-59375"],
    ),
    (
        "expat",
        "2.5.0",
        "cpe:2.3:a:libexpat_project:libexpat:2.5.0:*:*:*:*:*:*:*",
        &[
            "CVE-2023-52425",
            "CVE-2023-52426",
            "CVE-2024-28757",
            "CVE-2024-45490",
            "CVE-2025-59375",
        ],
    ),
    (
        "expat",
        "2.7.2",
        "cpe:2.3:a:libexpat_project:libexpat:2.7.2:*:*:*:*:*:*:*",
        &[],
    ),
    // CVE-2024-6232: <= 3.12.5, and 3.13.0 alpha0..rc1 by the update field, not 3.13.0 final.
    (
        "CPython",
        "3.12.4",
        "cpe:2.3:a:python:python:3.12.4:*:*:*:*:*:*:*",
        &["CVE-2024-6232"],
    ),
    (
        "CPython",
        "3.12.6",
        "cpe:2.3:a:python:python:3.12.6:*:*:*:*:*:*:*",
        &[],
    ),
    (
        "CPython",
        "3.13.0a1",
        "cpe:2.3:a:python:python:3.13.0:alpha1:*:*:*:*:*:*",
        &["CVE-2024-6232"],
    ),
    (
        "CPython",
        "3.13.0",
        "cpe:2.3:a:python:python:3.13.0:*:*:*:*:*:*:*",
        &[],
    ),
    (
        "CPython",
        "3.13.5",
        "cpe:2.3:a:python:python:3.13.5:*:*:*:*:*:*:*",
        &[],
    ),
    // zlib <= 1.3 (CVE-2023-45853); sqlite < 3.50.2 (CVE-2025-6965); libffi < 3.2
    // (CVE-2017-1000376); xz 5.6.0 and 5.6.1 exactly (CVE-2024-3094, from the API response).
    (
        "zlib",
        "1.3",
        "cpe:2.3:a:zlib:zlib:1.3:*:*:*:*:*:*:*",
        &["CVE-2023-45853"],
    ),
    (
        "zlib",
        "1.3.1",
        "cpe:2.3:a:zlib:zlib:1.3.1:*:*:*:*:*:*:*",
        &[],
    ),
    (
        "sqlite",
        "3.50.1",
        "cpe:2.3:a:sqlite:sqlite:3.50.1:*:*:*:*:*:*:*",
        &["CVE-2025-6965"],
    ),
    (
        "sqlite",
        "3.50.2",
        "cpe:2.3:a:sqlite:sqlite:3.50.2:*:*:*:*:*:*:*",
        &[],
    ),
    (
        "libffi",
        "3.1",
        "cpe:2.3:a:libffi_project:libffi:3.1:*:*:*:*:*:*:*",
        &["CVE-2017-1000376"],
    ),
    (
        "libffi",
        "3.4.6",
        "cpe:2.3:a:libffi_project:libffi:3.4.6:*:*:*:*:*:*:*",
        &[],
    ),
    (
        "xz",
        "5.6.1",
        "cpe:2.3:a:tukaani:xz:5.6.1:*:*:*:*:*:*:*",
        &["CVE-2024-3094"],
    ),
    (
        "xz",
        "5.4.6",
        "cpe:2.3:a:tukaani:xz:5.4.6:*:*:*:*:*:*:*",
        &[],
    ),
    // A CPE with ANY version takes the component's version.
    (
        "expat",
        "2.6.1",
        "cpe:2.3:a:libexpat_project:libexpat:*:*:*:*:*:*:*:*",
        &["CVE-2024-28757", "CVE-2024-45490", "CVE-2025-59375"],
    ),
];

#[test]
fn c_libraries_and_cpython_match_nvd_records_by_their_declared_cpes() {
    let Some(nvd) = shared_file("advisories/nvd") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let packages: Vec<(String, String, String, Value)> = ROWS
        .iter()
        .enumerate()
        .map(|(i, (n, v, cpe, _))| {
            (
                format!("SPDXRef-c{i}"),
                (*n).to_owned(),
                (*v).to_owned(),
                json!([{"referenceCategory": "SECURITY", "referenceType": "cpe23Type",
                        "referenceLocator": cpe}]),
            )
        })
        .collect();
    let sbom = dir.path().join("c.spdx.json");
    std::fs::write(&sbom, spdx23("c-libraries", &packages).to_string()).expect("write");
    let db = dir.path().join("nvd.db");
    let built = bomsmith()
        .args(["db", "build"])
        .arg(&nvd)
        .arg("-o")
        .arg(&db)
        .output()
        .expect("runs");
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    for (what, source) in [("raw records", nvd.as_path()), ("database", db.as_path())] {
        let (report, _) = run_json(&[
            "vulns".as_ref(),
            sbom.as_os_str(),
            "--db".as_ref(),
            source.as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
        ]);
        let s = &report["sboms"][0];
        let mut got: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for f in s["findings"].as_array().expect("findings") {
            let id = f["component"]["id"].as_str().expect("id").to_owned();
            for r in f["records"].as_array().expect("records") {
                got.entry(id.clone())
                    .or_default()
                    .insert(r["id"].as_str().expect("record").to_owned());
            }
        }
        for (i, (n, v, _, want)) in ROWS.iter().enumerate() {
            let want: BTreeSet<String> = want.iter().map(|s| (*s).to_owned()).collect();
            let have = got.remove(&format!("SPDXRef-c{i}")).unwrap_or_default();
            assert_eq!(have, want, "{what}: {n} {v}");
        }
        assert!(
            got.is_empty(),
            "{what}: findings for no listed row: {got:?}"
        );
        // Every component declares a CPE: none is "not checked".
        assert_eq!(s["unidentified"], json!([]), "{what}");
        // The records NVD never analysed (no configurations) that name libexpat are listed for
        // each expat component, never as findings: CVE-2024-50602 really affects 2.6.3.
        let mut unanalysed: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for n in s["not_analysed"].as_array().expect("not_analysed") {
            unanalysed
                .entry(n["component"]["id"].as_str().expect("id").to_owned())
                .or_default()
                .insert(n["record"].as_str().expect("record").to_owned());
        }
        let libexpat: BTreeSet<String> = ["CVE-2024-45491", "CVE-2024-50602"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        for (i, (n, v, ..)) in ROWS.iter().enumerate() {
            let have = unanalysed
                .remove(&format!("SPDXRef-c{i}"))
                .unwrap_or_default();
            if *n == "expat" {
                assert_eq!(have, libexpat, "{what}: {n} {v}");
            } else {
                assert!(have.is_empty(), "{what}: {n} {v}: {have:?}");
            }
        }
        // The rule names the CPE match and its bound.
        let expat = s["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .find(|f| f["component"]["id"] == "SPDXRef-c0")
            .expect("expat 2.6.3 finding");
        let rec = &expat["records"][0];
        assert_eq!(
            rec["range"],
            "cpe:2.3:a:libexpat_project:libexpat:*:*:*:*:*:*:*:* versionEndExcluding 2.7.2"
        );
        assert_eq!(rec["rule"], "2.6.3 < 2.7.2 (generic ordering)");
        assert_eq!(expat["fixed"], json!(["2.7.2"]));
        assert_eq!(expat["severity"]["level"], "high");
    }
}

/// AlmaLinux's OSV records (`../shared/advisories/osv-almalinux`): RPM EVR ranges per release
/// (`AlmaLinux:8`, `:9`, `:10`), matched only to `pkg:rpm/almalinux/...` components built for
/// that release. The expected advisories are read off the records' `fixed` EVRs by hand
/// (rpmvercmp: `2.5.0-1.el9_3 < 2.5.0-1.el9_3.1`; `fixed` is exclusive).
#[test]
fn almalinux_records_match_rpm_components_of_their_release_by_evr() {
    let Some(alma) = shared_file("advisories/osv-almalinux") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let rows: &[(&str, &[&str])] = &[
        // AlmaLinux 9, before every 2.5.0 fix: the seven AlmaLinux:9 advisories fixed later.
        (
            "pkg:rpm/almalinux/expat@2.5.0-1.el9_3?arch=x86_64&distro=almalinux-9",
            &[
                "ALSA-2024:1530",
                "ALSA-2024:6754",
                "ALSA-2024:9541",
                "ALSA-2025:22175",
                "ALSA-2025:3531",
                "ALSA-2025:7444",
                "ALSA-2026:23230",
            ],
        ),
        // At ALSA-2025:7444's fix: only the two fixed after it.
        (
            "pkg:rpm/almalinux/expat@2.5.0-5.el9_6?distro=almalinux-9.6",
            &["ALSA-2025:22175", "ALSA-2026:23230"],
        ),
        // At the newest AlmaLinux 9 fix: none.
        (
            "pkg:rpm/almalinux/expat@2.5.0-6.el9_8.1?distro=almalinux-9",
            &[],
        ),
        // AlmaLinux 8 told by the release's dist tag (no distro qualifier).
        (
            "pkg:rpm/almalinux/expat@2.2.5-16.el8_10",
            &["ALSA-2025:21776", "ALSA-2025:3913", "ALSA-2026:22721"],
        ),
        // Another distribution's expat, and a PyPI project of that name: never these records.
        ("pkg:rpm/fedora/expat@2.5.0-1.fc39", &[]),
        ("pkg:pypi/expat@2.5.0", &[]),
    ];
    let components: Vec<Value> = rows
        .iter()
        .enumerate()
        .map(|(i, (purl, _))| {
            json!({"type": "library", "bom-ref": format!("r{i}"), "name": "expat",
                   "version": "x", "purl": purl})
        })
        .chain(std::iter::once(json!({
            // No release known: every expat record is not evaluable, none a finding.
            "type": "library", "bom-ref": "norelease", "name": "expat", "version": "2.5.0",
            "purl": "pkg:rpm/almalinux/expat@2.5.0"
        })))
        .collect();
    let sbom = dir.path().join("alma.cdx.json");
    let doc = json!({"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
                     "components": components});
    std::fs::write(&sbom, doc.to_string()).expect("write");
    let (report, _) = run_json(&[
        "vulns".as_ref(),
        sbom.as_os_str(),
        "--db".as_ref(),
        alma.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    let s = &report["sboms"][0];
    let mut got: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in s["findings"].as_array().expect("findings") {
        let id = f["component"]["id"].as_str().expect("id").to_owned();
        for r in f["records"].as_array().expect("records") {
            got.entry(id.clone())
                .or_default()
                .insert(r["id"].as_str().expect("record").to_owned());
        }
    }
    for (i, (purl, want)) in rows.iter().enumerate() {
        let want: BTreeSet<String> = want.iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(
            got.remove(&format!("r{i}")).unwrap_or_default(),
            want,
            "{purl}"
        );
    }
    assert!(got.is_empty(), "unexpected findings: {got:?}");
    let undecided: Vec<&Value> = s["not_evaluable"]
        .as_array()
        .expect("not_evaluable")
        .iter()
        .filter(|n| n["component"]["id"] == "norelease")
        .collect();
    assert!(
        undecided.len() >= 25,
        "every expat record: {}",
        undecided.len()
    );
    assert!(
        undecided[0]["reason"]
            .as_str()
            .expect("reason")
            .contains("does not say which release"),
        "{}",
        undecided[0]
    );
}
