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

/// An SPDX 2.3 SBOM at `path` of one package per row (`SPDXRef-c{i}`), each declaring its
/// CPE; and a database built from `source` beside it.
fn cpe_sbom_and_db(
    dir: &std::path::Path,
    rows: &[(&str, &str, &str, &[&str])],
    source: &std::path::Path,
) -> (std::path::PathBuf, std::path::PathBuf) {
    let packages: Vec<(String, String, String, Value)> = rows
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
    let sbom = dir.join("c.spdx.json");
    std::fs::write(&sbom, spdx23("c-libraries", &packages).to_string()).expect("write");
    let db = dir.join("records.db");
    let built = bomsmith()
        .args(["db", "build"])
        .arg(source)
        .arg("-o")
        .arg(&db)
        .output()
        .expect("runs");
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    (sbom, db)
}

#[test]
fn c_libraries_and_cpython_match_nvd_records_by_their_declared_cpes() {
    let Some(nvd) = shared_file("advisories/nvd") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let (sbom, db) = cpe_sbom_and_db(dir.path(), ROWS, &nvd);
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
        // OpenSSL's EVRs carry epoch 1, which a PURL states as the `epoch` qualifier (or, as
        // some writers do, in the version): 3.5.1-7.el9_7 is before the three 3.5.5 fixes.
        (
            "pkg:rpm/almalinux/openssl@3.5.1-7.el9_7?epoch=1&distro=almalinux-9",
            &["ALSA-2026:19218", "ALSA-2026:22312", "ALSA-2026:25239"],
        ),
        (
            "pkg:rpm/almalinux/openssl@1:3.5.5-4.el9_8?distro=almalinux-9",
            &[],
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

/// Per component ID: the record IDs of its findings, and of its records not evaluable.
fn ids_by_component(s: &Value, list: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in s[list].as_array().expect("list") {
        let id = f["component"]["id"].as_str().expect("id").to_owned();
        let set = out.entry(id).or_default();
        match f.get("records") {
            Some(records) => {
                for r in records.as_array().expect("records") {
                    set.insert(r["id"].as_str().expect("record").to_owned());
                }
            }
            None => {
                set.insert(f["record"].as_str().expect("record").to_owned());
            }
        }
    }
    out
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| (*s).to_owned()).collect()
}

/// CVE JSON 5 records (`../shared/advisories/cve5`: CISA Vulnrichment's CVE List records and
/// osv.dev's test copies): CPython by the PSF's own ranges (versionType python), and the C
/// libraries CPython bundles, linked by CPE only. The expected IDs are read off the records'
/// CNA ranges by hand: for 3.12.4, CVE-2024-3219 and -6923 are `3.12.0 <= v < 3.12.5`, -6232,
/// -7592 and -8088 `< 3.12.6`, -9287 `0 <= v <= 3.13.0`; CVE-2024-4030/4032 end before
/// 3.12.4, -0397 before 3.12.3. The folder's name collisions (node-sqlite3 CVE-2022-43441,
/// Cloudflare's zlib CVE-2023-6992, black CVE-2024-21503, perl-Crypt-OpenSSL-RSA
/// CVE-2024-2467, sqlitedict and sqlite-vec CVE-2024-35515/46488) are never linked to them.
#[test]
fn cpython_and_c_libraries_match_cve5_records_by_their_own_ranges() {
    let (Some(cve5), Some(nvd)) = (
        shared_file("advisories/cve5"),
        shared_file("advisories/nvd"),
    ) else {
        return;
    };
    let rows: &[(&str, &str, &str, &[&str])] = &[
        (
            "CPython",
            "3.12.4",
            "cpe:2.3:a:python:python:3.12.4:*:*:*:*:*:*:*",
            &[
                "CVE-2024-3219",
                "CVE-2024-6232",
                "CVE-2024-6923",
                "CVE-2024-7592",
                "CVE-2024-8088",
                "CVE-2024-9287",
            ],
        ),
        (
            "CPython",
            "3.12.6",
            "cpe:2.3:a:python:python:3.12.6:*:*:*:*:*:*:*",
            &["CVE-2024-9287"],
        ),
        (
            "CPython",
            "3.13.0",
            "cpe:2.3:a:python:python:3.13.0:*:*:*:*:*:*:*",
            &["CVE-2024-9287"],
        ),
        (
            "CPython",
            "3.13.5",
            "cpe:2.3:a:python:python:3.13.5:*:*:*:*:*:*:*",
            &[],
        ),
        // A release candidate is compared by its own version (PEP 440), not the CPE's 3.13.0:
        // inside `3.13.0a1 <= v < 3.13.0rc2`, past CVE-2024-3219's `< 3.13.0rc1`.
        (
            "CPython",
            "3.13.0rc1",
            "cpe:2.3:a:python:python:3.13.0:rc1:*:*:*:*:*:*",
            &[
                "CVE-2024-6232",
                "CVE-2024-6923",
                "CVE-2024-7592",
                "CVE-2024-8088",
                "CVE-2024-9287",
            ],
        ),
        // OpenSSL's CNA ranges (semver): 3.0.13 is before 3.0.14 / 3.0.15 / 3.0.16 fixes.
        (
            "OpenSSL",
            "3.0.13",
            "cpe:2.3:a:openssl:openssl:3.0.13:*:*:*:*:*:*:*",
            &[
                "CVE-2024-2511",
                "CVE-2024-4603",
                "CVE-2024-5535",
                "CVE-2024-6119",
                "CVE-2024-9143",
            ],
        ),
        (
            "OpenSSL",
            "3.0.16",
            "cpe:2.3:a:openssl:openssl:3.0.16:*:*:*:*:*:*:*",
            &[],
        ),
        // The libraries the collisions are named like: no finding from those records.
        (
            "sqlite",
            "3.45.3",
            "cpe:2.3:a:sqlite:sqlite:3.45.3:*:*:*:*:*:*:*",
            &[],
        ),
        (
            "zlib",
            "1.3.1",
            "cpe:2.3:a:zlib:zlib:1.3.1:*:*:*:*:*:*:*",
            &[],
        ),
        (
            "expat",
            "2.6.3",
            "cpe:2.3:a:libexpat_project:libexpat:2.6.3:*:*:*:*:*:*:*",
            &[],
        ),
    ];
    let collisions = set(&[
        "CVE-2022-43441",
        "CVE-2023-6992",
        "CVE-2024-21503",
        "CVE-2024-2467",
        "CVE-2024-35515",
        "CVE-2024-46488",
    ]);
    let dir = tempfile::tempdir().expect("tempdir");
    let (sbom, db) = cpe_sbom_and_db(dir.path(), rows, &cve5);
    let run = |sources: &[&std::path::Path]| {
        let mut args: Vec<&std::ffi::OsStr> = vec!["vulns".as_ref(), sbom.as_os_str()];
        args.push("--db".as_ref());
        args.extend(sources.iter().map(|p| p.as_os_str()));
        args.extend([
            std::ffi::OsStr::new("--format"),
            std::ffi::OsStr::new("json"),
        ]);
        run_json(&args).0
    };
    let raw = run(&[&cve5]);
    // The database answers exactly as the raw records do.
    let mut from_db = run(&[&db]);
    from_db["sboms"][0]["database"] = raw["sboms"][0]["database"].clone();
    assert_eq!(
        raw["sboms"][0]["findings"], from_db["sboms"][0]["findings"],
        "raw and database findings"
    );
    assert_eq!(
        raw["sboms"][0]["not_evaluable"],
        from_db["sboms"][0]["not_evaluable"]
    );
    let s = &raw["sboms"][0];
    let mut got = ids_by_component(s, "findings");
    for (i, (n, v, _, want)) in rows.iter().enumerate() {
        assert_eq!(
            got.remove(&format!("SPDXRef-c{i}")).unwrap_or_default(),
            set(want),
            "{n} {v}"
        );
    }
    assert!(got.is_empty(), "findings for no listed row: {got:?}");
    // What cannot be decided is listed, never a finding: CPython's records all decide; the
    // ADP's `custom` ranges for zlib (CVE-2023-45853) and expat (CVE-2023-52425, -45490) do
    // not, nor OpenSSL's older records, whose versions are prose with no default status.
    let undecided = ids_by_component(s, "not_evaluable");
    for (i, (n, v, ..)) in rows.iter().enumerate() {
        let have = undecided
            .get(&format!("SPDXRef-c{i}"))
            .cloned()
            .unwrap_or_default();
        assert!(have.is_disjoint(&collisions), "{n} {v}: {have:?}");
        match *n {
            "CPython" | "sqlite" => assert!(have.is_empty(), "{n} {v}: {have:?}"),
            "zlib" => assert_eq!(have, set(&["CVE-2023-45853"]), "{n} {v}"),
            "expat" => assert_eq!(have, set(&["CVE-2023-52425", "CVE-2024-45490"]), "{n} {v}"),
            _ => {}
        }
    }
    let reason = s["not_evaluable"]
        .as_array()
        .expect("not_evaluable")
        .iter()
        .find(|n| n["record"] == "CVE-2023-45853")
        .expect("zlib's record")["reason"]
        .as_str()
        .expect("reason")
        .to_owned();
    assert!(reason.contains("versionType `custom`"), "{reason}");
    // The rule names the CNA's range and the PEP 440 comparison; the severity is CVSS v4.0's
    // base score as the record gives it.
    let finding = s["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["component"]["id"] == "SPDXRef-c0" && f["id"] == "CVE-2024-8088")
        .expect("CVE-2024-8088 for 3.12.4");
    assert_eq!(
        finding["records"][0]["range"],
        "CVE 5 cna Python Software Foundation/CPython: affected from 3.12.0 before 3.12.6 (python)"
    );
    assert_eq!(
        finding["records"][0]["rule"],
        "3.12.4 >= 3.12.0 and < 3.12.6 (PEP 440)"
    );
    assert_eq!(finding["fixed"], json!(["3.12.6"]));
    assert_eq!(finding["severity"]["score"], 8.7);
    assert_eq!(finding["severity"]["score_is"], "given");
    assert_eq!(finding["severity"]["level"], "high");

    // With NVD's records too: one finding per CVE, listing both records where both match;
    // a record NVD decided is no open question where the CVE 5 one cannot be decided.
    let both = run(&[&cve5, &nvd]);
    let s = &both["sboms"][0];
    let f = s["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["component"]["id"] == "SPDXRef-c0" && f["id"] == "CVE-2024-6232")
        .collect::<Vec<_>>();
    assert_eq!(f.len(), 1);
    let files: Vec<&str> = f[0]["records"]
        .as_array()
        .expect("records")
        .iter()
        .map(|r| r["file"].as_str().expect("file"))
        .collect();
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(files.iter().any(|p| p.contains("cve5")) && files.iter().any(|p| p.contains("nvd")));
    // NVD's v3.1 vector decides the severity (computed), before CVE 5's v4.0.
    assert_eq!(f[0]["severity"]["score_is"], "computed");
    let undecided = ids_by_component(s, "not_evaluable");
    let expat = undecided.get("SPDXRef-c9").cloned().unwrap_or_default();
    assert!(expat.is_empty(), "NVD decides expat's records: {expat:?}");
    // NVD finds CVE-2023-45853 for zlib <= 1.3 only: 1.3.1 is not affected, and so not open.
    assert!(!undecided.contains_key("SPDXRef-c8"), "{undecided:?}");
    let mut got = ids_by_component(s, "findings");
    assert_eq!(
        got.remove("SPDXRef-c9").unwrap_or_default(),
        set(&["CVE-2025-59375"]),
        "expat 2.6.3 with NVD"
    );
}
