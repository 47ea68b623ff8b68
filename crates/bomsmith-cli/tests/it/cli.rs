//! The habits of the command line: quiet exits on closed pipes, SARIF that validates, severity
//! overrides, hints in the command line's own words, and the drift warning of a plain scan.

use crate::util::{bomsmith, copy_tree, cpython_tarball, cpython_tree, file, raw_tar};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// The SARIF 2.1.0 schema bundled with the library (a byte-exact copy of OASIS's).
pub(crate) fn sarif_schema() -> jsonschema::Validator {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../bomsmith/schemas/sarif-2.1.0.schema.json");
    let schema: Value =
        serde_json::from_slice(&std::fs::read(path).expect("bundled schema")).expect("json");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

/// Asserts that `text` is a SARIF 2.1.0 log the schema accepts; returns it.
pub(crate) fn assert_sarif(text: &[u8]) -> Value {
    let log: Value = serde_json::from_slice(text).expect("SARIF is JSON");
    let validator = sarif_schema();
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF: {errors:#?}\n{log:#}");
    assert_eq!(log["version"], "2.1.0");
    log
}

/// Runs `bomsmith ARGS 2>err | head ARGS >/dev/null` in bash and returns bomsmith's own exit
/// status (`PIPESTATUS`) and what it wrote to standard error.
fn into_closed_pipe(args: &[&str], head: &str, cwd: &Path) -> (i32, String) {
    let bin = assert_cmd::cargo::cargo_bin("bomsmith");
    let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    let script = format!(
        "'{}' {} 2>err.txt | head {head} >/dev/null; exit ${{PIPESTATUS[0]}}",
        bin.display(),
        quoted.join(" ")
    );
    let status = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .current_dir(cwd)
        .env("SOURCE_DATE_EPOCH", crate::util::EPOCH)
        .status()
        .expect("bash runs");
    let stderr = std::fs::read_to_string(cwd.join("err.txt")).expect("stderr captured");
    (status.code().unwrap_or(-1), stderr)
}

#[test]
fn a_closed_standard_output_ends_quietly_with_zero() {
    let Some(tarball) = cpython_tarball() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let t = tarball.to_str().expect("utf-8 path");
    // Megabytes of output, so the writes outlive `head`.
    let (code, err) = into_closed_pipe(
        &["scan", t, "--preset", "cpython", "-q", "--allow", "SCAN001"],
        "-c 10",
        dir.path(),
    );
    assert_eq!((code, err.as_str()), (0, ""), "scan | head -c 10");

    let spdx = dir.path().join("a.spdx.json");
    let out = bomsmith()
        .args(["scan", t, "-q", "-o"])
        .arg(&spdx)
        .output()
        .expect("runs");
    assert!(out.status.success());
    let tiny = dir.path().join("b.spdx.json");
    let t2 = raw_tar(&[file(b"p/one", b"1")]);
    let tar = dir.path().join("p-1.tar");
    std::fs::write(&tar, t2).expect("write");
    let out = bomsmith()
        .arg("scan")
        .arg(&tar)
        .arg("-q")
        .arg("-o")
        .arg(&tiny)
        .output()
        .expect("runs");
    assert!(out.status.success());
    let (code, err) = into_closed_pipe(
        &[
            "diff",
            spdx.to_str().expect("utf-8"),
            tiny.to_str().expect("utf-8"),
        ],
        "-1",
        dir.path(),
    );
    assert_eq!((code, err.as_str()), (0, ""), "diff | head -1");

    // A document with thousands of diagnostics makes a large SARIF log.
    let mut doc: Value =
        serde_json::from_slice(&std::fs::read(&spdx).expect("read")).expect("json");
    for f in doc["files"].as_array_mut().expect("files") {
        f["checksums"][0]["checksumValue"] = Value::from("XYZ");
    }
    let bad = dir.path().join("bad.spdx.json");
    std::fs::write(&bad, serde_json::to_vec(&doc).expect("json")).expect("write");
    let (code, err) = into_closed_pipe(
        &[
            "validate",
            "--format",
            "sarif",
            bad.to_str().expect("utf-8"),
        ],
        "-1",
        dir.path(),
    );
    assert_eq!(
        (code, err.as_str()),
        (0, ""),
        "validate --format sarif | head -1"
    );
}

#[test]
fn a_plain_scan_warns_of_declared_version_drift_and_deny_fails_it() {
    let Some(tarball) = cpython_tarball() else {
        return;
    };
    let out = bomsmith()
        .args(["scan", "--preset", "cpython", "-q"])
        .arg(&tarball)
        .output()
        .expect("runs");
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let warning = format!(
        "bomsmith: {}!Misc/sbom.spdx.json: SCAN001 warning: expat is declared as 2.6.3, but Modules/expat/expat.h:1069 says 2.7.1 (/packages/",
        tarball.display()
    );
    assert!(stderr.contains(&warning), "{stderr}");
    // The statements behind it, one per line.
    assert!(
        stderr.contains("Modules/expat/refresh.sh:16: expected_libexpat_version=\"2.7.1\" (2.7.1)"),
        "{stderr}"
    );
    assert_eq!(
        stderr.matches("SCAN001").count(),
        1,
        "only expat drifts: {stderr}"
    );
    assert!(!out.stdout.is_empty());

    // Denied, the drift fails the scan and nothing is written.
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("out.spdx.json");
    let sarif = dir.path().join("scan.sarif");
    let out = bomsmith()
        .args([
            "scan",
            "--preset",
            "cpython",
            "--deny",
            "declared-version-drift",
            "-o",
        ])
        .arg(&target)
        .arg("--diagnostics")
        .arg(&sarif)
        .arg(&tarball)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        !target.exists(),
        "nothing is written when a diagnostic is denied"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("SCAN001 error"));
    let log = assert_sarif(&std::fs::read(&sarif).expect("diagnostics written"));
    let result = &log["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "SCAN001");
    assert_eq!(result["level"], "error");
    let artifacts = &log["runs"][0]["artifacts"];
    assert_eq!(artifacts[1]["location"]["uri"], "Misc/sbom.spdx.json");
    assert_eq!(artifacts[1]["parentIndex"], 0);

    // Allowed, it is not shown at all; an unknown code is a usage error.
    let out = bomsmith()
        .args(["scan", "--preset", "cpython", "-q", "--allow", "SCAN001"])
        .arg(&tarball)
        .output()
        .expect("runs");
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("SCAN001"));
    let out = bomsmith()
        .args(["scan", "--preset", "cpython", "--deny", "NOPE42"])
        .arg(&tarball)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no rule `NOPE42`"));
}

#[test]
fn vendor_check_writes_valid_sarif() {
    let Some((tree, files)) = cpython_tree() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(
        &tree,
        &files,
        &["Misc/", "Modules/", "Lib/ctypes/", "PCbuild/"],
        dir.path(),
    );
    let out = bomsmith()
        .args([
            "vendor", "check", "--preset", "cpython", "--format", "sarif",
        ])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(1),
        "the known defects fail the check"
    );
    let log = assert_sarif(&out.stdout);
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), bomsmith::intree::RULES.rules.len());
    let mut ids: Vec<&str> = run["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["ruleId"].as_str().expect("id"))
        .collect();
    ids.sort_unstable();
    assert_eq!(ids, ["V002", "V003", "V008", "V008"]);
    for r in run["results"].as_array().expect("results") {
        let i = r["ruleIndex"].as_u64().expect("index") as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
    }
    // The excludes that match nothing point at their line in the preset.
    let v008 = run["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["ruleId"] == "V008")
        .expect("V008");
    let location = &v008["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "preset:cpython");
    assert!(location["region"]["startLine"].as_u64().expect("line") > 1);

    // Overrides apply to vendor check too: the drift denied is still an error, allowed it
    // goes, and the excludes as warnings no longer fail the check.
    let out = bomsmith()
        .args([
            "vendor",
            "check",
            "--preset",
            "cpython",
            "--format",
            "json",
            "--allow",
            "V002",
            "--warn",
            "exclude-matches-nothing",
        ])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["summary"]["errors"], 0);
    assert_eq!(report["summary"]["warnings"], 2);
}

#[test]
fn validate_sarif_is_valid_and_json_has_the_one_shape() {
    let Some(example) = crate::util::shared_file("spec/spdx-2.3/SPDXJSONExample-v2.3.spdx.json")
    else {
        return;
    };
    let out = bomsmith()
        .args(["validate", "--format", "sarif", "--profile", "ntia"])
        .arg(&example)
        .output()
        .expect("runs");
    let log = assert_sarif(&out.stdout);
    assert!(
        !log["runs"][0]["results"]
            .as_array()
            .expect("results")
            .is_empty()
    );
    let out = bomsmith()
        .args(["validate", "--format", "json", "--profile", "ntia"])
        .arg(&example)
        .output()
        .expect("runs");
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    let keys: Vec<&str> = report
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["diagnostics", "inputs", "summary"]);
    assert_eq!(report["inputs"][0]["format"], "SPDX");
    let d = &report["diagnostics"][0];
    for key in [
        "code", "rule", "severity", "message", "file", "line", "column", "pointer",
    ] {
        assert!(d.get(key).is_some(), "{key} missing from {d}");
    }
}

#[test]
fn hints_name_the_options_the_library_does_not_know() {
    // A member that unpacks 2000:1 past the first MiB.
    let zeros = vec![0u8; 3 << 20];
    let t = raw_tar(&[file(b"p/zeros", &zeros)]);
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("bomb.tgz");
    std::fs::write(&input, crate::util::gzip(&t)).expect("write");
    let out = bomsmith()
        .arg("scan")
        .arg(&input)
        .args(["--max-ratio", "100"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error: ") && stderr.contains("decompression bomb"),
        "{stderr}"
    );
    assert!(
        stderr.contains("\nbomsmith: hint: raise --max-ratio to allow\n"),
        "{stderr}"
    );
    // The library's own message names no flag.
    let e = bomsmith::input::read_nested(
        &crate::util::gzip(&t),
        "bomb.tgz",
        &bomsmith::input::Limits {
            max_ratio: 100,
            ..Default::default()
        },
        &mut Discard,
    )
    .expect_err("a bomb");
    assert!(!e.to_string().contains("--"), "{e}");
}

/// A sink that reads and forgets.
struct Discard;

impl bomsmith::input::EntrySink for Discard {
    fn file(&mut self, _: &str, body: &mut dyn std::io::Read) -> std::io::Result<()> {
        std::io::copy(body, &mut std::io::sink()).map(drop)
    }
    fn hard_link(&mut self, _: &str, _: &str) {}
    fn other(&mut self, _: &str, _: bomsmith::input::EntryKind) {}
    fn warn(&mut self, _: bomsmith::diag::Diagnostic) {}
}
