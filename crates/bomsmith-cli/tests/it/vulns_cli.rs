//! `bomsmith vulns` and `bomsmith db` as a command: exit statuses by severity, SARIF the schema
//! accepts, one call for many SBOMs, the same answers from raw sources and from a database, and
//! outputs that never replace what they should not.

use crate::cli::assert_sarif;
use crate::util::bomsmith;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

const CRITICAL: &str = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";

/// A source directory: `demo` < 2.0 affected (CVE-1, critical by its vector), `other` < 1.5
/// affected with no severity, and a withdrawn record for `demo`.
fn sources(dir: &Path) -> PathBuf {
    let src = dir.join("osv");
    std::fs::create_dir_all(src.join("demo")).expect("mkdir");
    let rec = |id: &str, name: &str, fixed: &str, extra: Value| {
        let mut v = json!({
            "id": id, "modified": "2024-05-01T00:00:00Z", "summary": format!("{id} summary"),
            "affected": [{"package": {"ecosystem": "PyPI", "name": name},
                          "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}]}],
        });
        if let (Some(o), Some(e)) = (v.as_object_mut(), extra.as_object()) {
            o.extend(e.clone());
        }
        serde_json::to_vec_pretty(&v).expect("json")
    };
    let write = |name: &str, bytes: Vec<u8>| std::fs::write(src.join(name), bytes).expect("write");
    write(
        "demo/OSV-DEMO-1.json",
        rec(
            "OSV-DEMO-1",
            "Demo",
            "2.0",
            json!({"aliases": ["CVE-1"], "severity": [{"type": "CVSS_V3", "score": CRITICAL}]}),
        ),
    );
    write(
        "demo/OSV-OTHER-1.json",
        rec("OSV-OTHER-1", "other", "1.5", json!({})),
    );
    write(
        "demo/OSV-GONE-1.json",
        rec(
            "OSV-GONE-1",
            "demo",
            "9.0",
            json!({"withdrawn": "2024-06-01T00:00:00Z"}),
        ),
    );
    std::fs::write(src.join("LICENSE"), "Public domain.\n").expect("write");
    src
}

fn sbom(dir: &Path, name: &str, components: &[(&str, &str)]) -> PathBuf {
    let comps: Vec<Value> = components
        .iter()
        .enumerate()
        .map(|(i, (n, v))| {
            json!({"type": "library", "bom-ref": format!("c{i}"), "name": n, "version": v,
                   "purl": format!("pkg:pypi/{n}@{v}")})
        })
        .collect();
    let path = dir.join(name);
    let doc =
        json!({"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": comps});
    std::fs::write(&path, serde_json::to_vec(&doc).expect("json")).expect("write");
    path
}

fn status(args: &[&std::ffi::OsStr]) -> (i32, String, String) {
    let out = bomsmith().args(args).output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn fail_on_sets_the_exit_status_by_the_findings_severity() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = sources(dir.path());
    let critical = sbom(dir.path(), "a.cdx.json", &[("demo", "1.0")]);
    let unknown = sbom(
        dir.path(),
        "b.cdx.json",
        &[("other", "1.0"), ("demo", "2.0")],
    );
    let run = |s: &Path, fail_on: Option<&str>| {
        let mut args = vec![
            "vulns".as_ref(),
            s.as_os_str(),
            "--db".as_ref(),
            src.as_os_str(),
        ];
        if let Some(f) = fail_on {
            args.push("--fail-on".as_ref());
            args.push(std::ffi::OsStr::new(f));
        }
        status(&args).0
    };
    assert_eq!(run(&critical, None), 0, "findings alone do not fail");
    assert_eq!(run(&critical, Some("critical")), 1);
    assert_eq!(run(&critical, Some("HIGH")), 1);
    // A finding without a severity fails only `any`; `demo` 2.0 is fixed.
    assert_eq!(run(&unknown, Some("low")), 0);
    assert_eq!(run(&unknown, Some("any")), 1);
    let (code, _, err) = status(&[
        "vulns".as_ref(),
        critical.as_os_str(),
        "--db".as_ref(),
        src.as_os_str(),
        "--fail-on".as_ref(),
        "severe".as_ref(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("not a severity"), "{err}");
}

#[test]
fn many_sboms_one_call_the_same_answers_from_raw_sources_and_a_database() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = sources(dir.path());
    let a = sbom(
        dir.path(),
        "a.cdx.json",
        &[("Demo", "1.9"), ("other", "1.4")],
    );
    let b = sbom(
        dir.path(),
        "b.cdx.json",
        &[("DEMO", "2.0.0"), ("unknown-project", "1.0")],
    );
    let db = dir.path().join("v.db");
    let (code, _, err) = status(&[
        "db".as_ref(),
        "build".as_ref(),
        src.as_os_str(),
        "-o".as_ref(),
        db.as_os_str(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("3 records from 1 source"), "{err}");
    let report = |from: &Path| -> Value {
        let (code, out, err) = status(&[
            "vulns".as_ref(),
            a.as_os_str(),
            b.as_os_str(),
            "--db".as_ref(),
            from.as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
        ]);
        assert_eq!(code, 0, "{err}");
        serde_json::from_str(&out).expect("json")
    };
    let raw = report(&src);
    let from_db = report(&db);
    assert_eq!(raw["sboms"], from_db["sboms"]);
    assert_eq!(raw["sources"], from_db["sources"]);
    let ids = |i: usize| -> Vec<(String, String)> {
        raw["sboms"][i]["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| {
                (
                    f["component"]["name"].as_str().unwrap_or("").to_owned(),
                    f["id"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect()
    };
    assert_eq!(
        ids(0),
        [
            ("Demo".to_owned(), "CVE-1".to_owned()),
            ("other".to_owned(), "OSV-OTHER-1".to_owned())
        ]
    );
    assert!(
        ids(1).is_empty(),
        "2.0.0 is the fix; the withdrawn record never counts"
    );
    let source = &raw["sources"][0];
    assert_eq!(
        (
            source["records"].as_u64(),
            source["withdrawn"].as_u64(),
            source["skipped"].as_u64()
        ),
        (Some(3), Some(1), Some(1))
    );
    let finding = &raw["sboms"][0]["findings"][0];
    assert_eq!(finding["severity"]["level"], "critical");
    assert_eq!(
        finding["records"][0]["rule"],
        "1.9 >= 0 and < 2.0 (PEP 440 ordering)"
    );
}

#[test]
fn the_sarif_report_is_valid_sarif() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = sources(dir.path());
    let a = sbom(
        dir.path(),
        "a.cdx.json",
        &[("demo", "1.0"), ("other", "1.0")],
    );
    let (code, out, err) = status(&[
        "vulns".as_ref(),
        a.as_os_str(),
        "--db".as_ref(),
        src.as_os_str(),
        "--format".as_ref(),
        "sarif".as_ref(),
    ]);
    assert_eq!(code, 0, "{err}");
    let log = assert_sarif(out.as_bytes());
    let results = log["runs"][0]["results"].as_array().expect("results");
    let rules: Vec<&str> = results
        .iter()
        .filter_map(|r| r["ruleId"].as_str())
        .collect();
    assert_eq!(rules, ["CVE-1", "OSV-OTHER-1"]);
    assert_eq!(results[0]["level"], "error");
    assert_eq!(results[1]["level"], "warning");
}

#[test]
fn db_build_never_replaces_a_source_or_a_file_it_did_not_write() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = sources(dir.path());
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "mine\n").expect("write");
    let build = |out: &Path, force: bool| {
        let mut args = vec![
            "db".as_ref(),
            "build".as_ref(),
            src.as_os_str(),
            "-o".as_ref(),
            out.as_os_str(),
        ];
        if force {
            args.push("--force".as_ref());
        }
        status(&args)
    };
    let (code, _, err) = build(&notes, false);
    assert_eq!(code, 2);
    assert!(err.contains("notes.txt"), "{err}");
    assert_eq!(std::fs::read_to_string(&notes).expect("read"), "mine\n");
    // Its own database is replaced without asking.
    let db = dir.path().join("v.db");
    assert_eq!(build(&db, false).0, 0);
    assert_eq!(build(&db, false).0, 0);
    // A record file given as the output and as a source is refused, even with --force.
    let record = src.join("demo/OSV-OTHER-1.json");
    let before = std::fs::read(&record).expect("read");
    let (code, _, err) = status(&[
        "db".as_ref(),
        "build".as_ref(),
        record.as_os_str(),
        "-o".as_ref(),
        record.as_os_str(),
        "--force".as_ref(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(std::fs::read(&record).expect("read"), before);
    // A database and raw sources together, and a clone that is not a repository, are refused.
    let a = sbom(dir.path(), "a.cdx.json", &[("demo", "1.0")]);
    let (code, _, err) = status(&[
        "vulns".as_ref(),
        a.as_os_str(),
        "--db".as_ref(),
        db.as_os_str(),
        src.as_os_str(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("v.db") && err.contains("alone"), "{err}");
    let (code, _, err) = status(&[
        "vulns".as_ref(),
        a.as_os_str(),
        "--db".as_ref(),
        src.as_os_str(),
        "--git-repo".as_ref(),
        format!("https://github.com/python/cpython={}", src.display()).as_ref(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("not a git repository"), "{err}");
    // Its own reports (human, JSON, SARIF) are replaced on the next run; a foreign file is not.
    for format in ["human", "json", "sarif"] {
        let report = dir.path().join(format!("report.{format}"));
        for _ in 0..2 {
            let (code, _, err) = status(&[
                "vulns".as_ref(),
                a.as_os_str(),
                "--db".as_ref(),
                src.as_os_str(),
                "--format".as_ref(),
                format.as_ref(),
                "-o".as_ref(),
                report.as_os_str(),
            ]);
            assert_eq!(code, 0, "{format}: {err}");
        }
        let text = std::fs::read_to_string(&report).expect("report");
        if format == "human" {
            let last = text.lines().last().unwrap_or("");
            assert!(
                last.starts_with("bomsmith ")
                    && last
                        .ends_with("3 records from 1 source, newest modified 2024-05-01T00:00:00Z"),
                "{last}"
            );
        }
    }
    let (code, _, _) = status(&[
        "vulns".as_ref(),
        a.as_os_str(),
        "--db".as_ref(),
        src.as_os_str(),
        "-o".as_ref(),
        notes.as_os_str(),
    ]);
    assert_eq!(code, 2);
    assert_eq!(std::fs::read_to_string(&notes).expect("read"), "mine\n");
    // A missing source is named.
    let (code, _, err) = status(&[
        "db".as_ref(),
        "info".as_ref(),
        dir.path().join("nowhere").as_os_str(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("nowhere"), "{err}");
}

#[test]
fn sources_without_records_are_named_and_alone_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = sources(dir.path());
    // A folder of what advisory trees hold beside records: a licence, an index, an allocator.
    let empty = dir.path().join("empty");
    std::fs::create_dir_all(&empty).expect("mkdir");
    std::fs::write(empty.join("LICENSE"), "CC0 1.0 Universal\n").expect("write");
    std::fs::write(empty.join("index.json"), r#"["OSV-1", "OSV-2"]"#).expect("write");
    std::fs::write(empty.join("next-id.json"), r#"{"next": 42}"#).expect("write");
    let a = sbom(dir.path(), "a.cdx.json", &[("demo", "1.0")]);
    let out = dir.path().join("empty.db");
    let (code, _, err) = status(&[
        "db".as_ref(),
        "build".as_ref(),
        empty.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no advisory records found"), "{err}");
    assert!(!out.exists(), "no empty database is written");
    let (code, _, err) = status(&[
        "vulns".as_ref(),
        a.as_os_str(),
        "--db".as_ref(),
        empty.as_os_str(),
    ]);
    assert_eq!(
        code, 2,
        "an empty answer would look like no vulnerabilities: {err}"
    );
    // Beside a source with records: matched, and the empty one named in a warning.
    let (code, stdout, err) = status(&[
        "vulns".as_ref(),
        a.as_os_str(),
        "--db".as_ref(),
        src.as_os_str(),
        empty.as_os_str(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(stdout.contains("CVE-1"), "{stdout}");
    assert!(
        err.contains("warning:")
            && err.contains("no advisory records in it")
            && err.contains("empty"),
        "{err}"
    );
    assert!(
        !err.contains("skipped record"),
        "non-records are not malformed: {err}"
    );
}
