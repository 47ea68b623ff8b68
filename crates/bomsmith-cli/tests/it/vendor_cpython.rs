//! `bomsmith vendor` on the real CPython 3.13.5 source tree (extracted by the test, no git).

use crate::util::{bomsmith, copy_tree, cpython_tree};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Copies the parts of the CPython tree `vendor` looks at (from the cached extraction) into a
/// fresh temporary directory. Returns the directory guard and the tree root.
fn extract_cpython() -> Option<(tempfile::TempDir, PathBuf)> {
    let (tree, files) = cpython_tree()?;
    let dir = tempfile::tempdir().expect("tempdir");
    let wanted = [
        "Misc/",
        "Modules/",
        "Lib/ctypes/",
        "Lib/ensurepip/",
        "Lib/test/",
        "PCbuild/",
        "Tools/build/",
    ];
    copy_tree(&tree, &files, &wanted, dir.path());
    let root = dir.path().to_owned();
    Some((dir, root))
}

fn json_of(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn errors(report: &Value) -> Vec<(String, String)> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| {
            (
                f["code"].as_str().expect("code").to_owned(),
                f["message"].as_str().expect("message").to_owned(),
            )
        })
        .collect()
}

#[test]
fn regen_reproduces_both_in_tree_sboms_byte_for_byte() {
    let Some((_guard, root)) = extract_cpython() else {
        return;
    };
    let sbom = std::fs::read(root.join("Misc/sbom.spdx.json")).expect("sbom");
    let externals = std::fs::read(root.join("Misc/externals.spdx.json")).expect("externals");
    // Start from a damaged copy so that regen has to write both documents.
    std::fs::write(root.join("Misc/sbom.spdx.json"), {
        let mut v: Value = serde_json::from_slice(&sbom).expect("json");
        v["files"] = Value::Array(vec![]);
        v["relationships"] = Value::Array(vec![]);
        serde_json::to_vec(&v).expect("json")
    })
    .expect("write");
    std::fs::write(
        root.join("Misc/externals.spdx.json"),
        String::from_utf8(externals.clone())
            .expect("utf-8")
            .replace("zlib-1.3.1.tar.gz", "zlib-1.2.13.tar.gz")
            .replace("\"versionInfo\": \"1.3.1\"", "\"versionInfo\": \"1.2.13\""),
    )
    .expect("write");
    let out = bomsmith()
        .args(["vendor", "regen", "--preset", "cpython"])
        .arg(&root)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("Misc/sbom.spdx.json: wrote"), "{stderr}");
    assert!(
        stderr.contains("Misc/externals.spdx.json: wrote"),
        "{stderr}"
    );
    assert!(std::fs::read(root.join("Misc/sbom.spdx.json")).expect("read") == sbom);
    // The download URL changed back, so the checksum (of the other file) is gone: that one
    // field cannot be regenerated offline. Everything else is byte for byte.
    let regenerated: Value = serde_json::from_slice(
        &std::fs::read(root.join("Misc/externals.spdx.json")).expect("read"),
    )
    .expect("json");
    let zlib = regenerated["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .find(|p| p["name"] == "zlib")
        .expect("zlib");
    assert_eq!(zlib["versionInfo"], "1.3.1");
    assert!(zlib.get("checksums").is_none());

    // From the pristine documents, regen changes nothing at all.
    std::fs::write(root.join("Misc/externals.spdx.json"), &externals).expect("write");
    let out = bomsmith()
        .args(["vendor", "regen", "--preset", "cpython"])
        .arg(&root)
        .output()
        .expect("runs");
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("Misc/externals.spdx.json: up to date"),
        "{stderr}"
    );
    assert!(std::fs::read(root.join("Misc/sbom.spdx.json")).expect("read") == sbom);
    assert!(std::fs::read(root.join("Misc/externals.spdx.json")).expect("read") == externals);
}

fn check_json(root: &Path, config: &[&str]) -> (i32, Value) {
    let out = bomsmith()
        .args(["vendor", "check", "--format", "json"])
        .args(config)
        .arg(root)
        .output()
        .expect("runs");
    (out.status.code().expect("exit code"), json_of(&out))
}

#[test]
fn check_reports_exactly_the_known_defects_and_passes_once_fixed() {
    let Some((_guard, root)) = extract_cpython() else {
        return;
    };
    let sbom_before = std::fs::read(root.join("Misc/sbom.spdx.json")).expect("sbom");
    let (code, report) = check_json(&root, &["--preset", "cpython"]);
    assert_eq!(code, 1);
    let mut errs = errors(&report);
    errs.sort();
    assert_eq!(errs.len(), 3, "{errs:#?}");
    assert_eq!(errs[0].0, "V002");
    assert!(
        errs[0].1.contains("expat is declared as 2.6.3")
            && errs[0].1.contains("Modules/expat/expat.h:1069 says 2.7.1"),
        "{}",
        errs[0].1
    );
    assert_eq!(errs[1].0, "V008");
    assert_eq!(errs[2].0, "V008");
    assert!(
        errs[1]
            .1
            .contains("`Modules/_hacl/python_hacl_namespace.h` of hacl-star")
    );
    assert!(errs[2].1.contains("`Modules/_hacl/refresh.sh` of expat"));
    // libb2 does not state its version: a note, not a failure.
    let notes: Vec<&Value> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|f| f["severity"] == "info")
        .collect();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0]["code"], "V003");
    assert!(notes[0]["message"].as_str().expect("msg").contains("libb2"));
    assert_eq!(report["inputs"][0]["stale"], false);
    // check never writes.
    assert!(std::fs::read(root.join("Misc/sbom.spdx.json")).expect("sbom") == sbom_before);

    // Fix the three defects in the copy: the excludes (in the tree's own generator, whose
    // rules the preset reads, and in a project configuration's fallback table) ...
    let generator = root.join(GENERATOR);
    let text = std::fs::read_to_string(&generator).expect("generator");
    let fixed = text
        .replacen(
            "\"Modules/_hacl/refresh.sh\"",
            "\"Modules/expat/refresh.sh\"",
            1,
        )
        .replace("python_hacl_namespace.h", "python_hacl_namespaces.h");
    assert_ne!(fixed, text);
    std::fs::write(&generator, fixed).expect("write generator");
    let preset = include_str!("../../../bomsmith/src/presets/cpython.toml");
    let fixed = preset
        .replace(
            "    \"Modules/_hacl/refresh.sh\",\n]\n\n[[in_tree_sbom.component]]\nname = \"macholib\"",
            "    \"Modules/expat/refresh.sh\",\n]\n\n[[in_tree_sbom.component]]\nname = \"macholib\"",
        )
        .replace("python_hacl_namespace.h", "python_hacl_namespaces.h");
    assert_ne!(fixed, preset);
    std::fs::write(root.join("bomsmith.toml"), &fixed).expect("write config");
    // ... and expat's declared version, with its download location, CPE and checksum.
    let text = String::from_utf8(sbom_before).expect("utf-8");
    let text = text
        .replace("R_2_6_3/expat-2.6.3", "R_2_7_1/expat-2.7.1")
        .replace("libexpat:2.6.3", "libexpat:2.7.1")
        .replace("\"versionInfo\": \"2.6.3\"", "\"versionInfo\": \"2.7.1\"")
        .replace(
            "17aa6cfc5c4c219c09287abfc10bc13f0c06f30bb654b28bfe6f567ca646eb79",
            "0cce2e6e69b327fc607b8ff264f4b66bdf71ead55a87ffd5f3143f535f15cfa2",
        );
    std::fs::write(root.join("Misc/sbom.spdx.json"), text).expect("write sbom");

    // The corrected excludes drop two files, so the committed SBOM is stale until regenerated.
    let (code, report) = check_json(&root, &[]);
    assert_eq!(code, 1);
    let errs = errors(&report);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert_eq!(errs[0].0, "V001");
    let changes = &report["inputs"][0]["changes"];
    assert_eq!(
        changes,
        &serde_json::json!([
            "- file Modules/_hacl/python_hacl_namespaces.h (hacl-star)",
            "- file Modules/expat/refresh.sh (expat)"
        ])
    );
    let out = bomsmith()
        .args(["vendor", "regen"])
        .arg(&root)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (code, report) = check_json(&root, &[]);
    assert_eq!(code, 0, "{report:#}");
    assert!(errors(&report).is_empty());
    let regenerated: Value =
        serde_json::from_slice(&std::fs::read(root.join("Misc/sbom.spdx.json")).expect("read"))
            .expect("json");
    assert_eq!(regenerated["files"].as_array().expect("files").len(), 109);
}

#[test]
fn detect_finds_every_declared_component_with_its_stated_version() {
    let Some((_guard, root)) = extract_cpython() else {
        return;
    };
    let out = bomsmith()
        .args([
            "vendor", "detect", "--format", "json", "--preset", "cpython",
        ])
        .arg(&root)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json_of(&out);
    let candidates = report["candidates"].as_array().expect("candidates");
    for c in candidates {
        assert!(
            !c["evidence"].as_array().expect("evidence").is_empty(),
            "candidate without evidence: {c}"
        );
    }
    let find = |path: &str| {
        candidates
            .iter()
            .find(|c| c["path"] == path)
            .unwrap_or_else(|| panic!("no candidate at {path}: {candidates:#?}"))
    };
    for (path, name, version) in [
        ("Modules/expat", "expat", Some("2.7.1")),
        ("Modules/_decimal/libmpdec", "mpdecimal", Some("2.5.1")),
        ("Lib/ctypes/macholib", "macholib", Some("1.0")),
        (
            "Modules/_hacl",
            "hacl-star",
            Some("bb3d0dc8d9d15a5cd51094d5b69e70aa09005ff0"),
        ),
        ("Modules/_blake2/impl", "libb2", None),
    ] {
        let c = find(path);
        assert_eq!(c["name"], name);
        assert_eq!(c["declared_as"], name);
        assert_eq!(c["version"].as_str(), version, "{c}");
        assert_eq!(c["stanza"], Value::Null);
    }
    let libb2 = find("Modules/_blake2/impl");
    assert!(
        libb2["evidence"]
            .as_array()
            .expect("evidence")
            .iter()
            .any(|e| e.as_str().expect("str").contains("does not state")),
        "{libb2}"
    );
    // Beyond the declared ones: the bundled pip wheel, with a stanza to paste.
    let pip = find("Lib/ensurepip/_bundled/pip-25.1.1-py3-none-any.whl");
    assert_eq!(pip["version"], "25.1.1");
    assert_eq!(pip["declared_as"], Value::Null);
    assert!(
        pip["stanza"]
            .as_str()
            .expect("stanza")
            .contains("include = [\"Lib/ensurepip/_bundled/pip-25.1.1-py3-none-any.whl\"]")
    );
}

const GENERATOR: &str = "Tools/build/generate_sbom.py";

/// `vendor check --preset cpython` in human form: exit code, standard output, standard error.
fn check_human(root: &Path) -> (i32, String, String) {
    let out = bomsmith()
        .args(["vendor", "check", "--preset", "cpython"])
        .arg(root)
        .output()
        .expect("runs");
    (
        out.status.code().expect("exit code"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The codes and messages of the errors of `vendor check --preset cpython --format json`,
/// sorted, with the report.
fn preset_errors(root: &Path) -> (i32, Vec<(String, String)>, Value) {
    let (code, report) = check_json(root, &["--preset", "cpython"]);
    let mut errs = errors(&report);
    errs.sort();
    (code, errs, report)
}

#[test]
fn preset_reads_the_file_rules_of_the_trees_own_generator() {
    let Some((_guard, root)) = extract_cpython() else {
        return;
    };
    // 3.13.5 as released: its generator's rules are the bundled ones, so the findings are
    // today's, now placed at the generator's lines.
    let (code, stdout, stderr) = check_human(&root);
    assert_eq!(code, 1);
    assert!(
        stderr.contains(
            "note: the file rules of Misc/sbom.spdx.json are Tools/build/generate_sbom.py's PACKAGE_TO_FILES (5 components)"
        ),
        "{stderr}"
    );
    assert!(
        stdout.contains("Tools/build/generate_sbom.py:63:13: V008 error: exclude `Modules/_hacl/refresh.sh` of expat matches none of its files"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Tools/build/generate_sbom.py:82:13: V008 error: exclude `Modules/_hacl/python_hacl_namespace.h` of hacl-star"),
        "{stdout}"
    );
    assert!(
        stdout.contains("vendor check: 3 errors, 0 warnings, 1 note"),
        "{stdout}"
    );
}

#[test]
fn preset_ignores_the_expat_exclude_the_trees_generator_corrected() {
    let Some((_guard, root)) = extract_cpython() else {
        return;
    };
    // A later 3.13 patch release corrected expat's exclude in its generator.
    let generator = root.join(GENERATOR);
    let text = std::fs::read_to_string(&generator).expect("generator");
    let typo = "            \"Modules/_hacl/refresh.sh\",\n        ]\n    ),\n    \"macholib\"";
    assert!(text.contains(typo), "3.13.5's generator has expat's typo");
    std::fs::write(
        &generator,
        text.replace(
            typo,
            &typo.replace("Modules/_hacl/refresh.sh", "Modules/expat/refresh.sh"),
        ),
    )
    .expect("write");
    // With 3.13.5's committed SBOM, which lists refresh.sh under expat (the typo let it in),
    // the tree's own rules drop it: that one change, and no dead exclude for expat.
    let (code, errs, report) = preset_errors(&root);
    assert_eq!(code, 1);
    let codes: Vec<&str> = errs.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(codes, ["V001", "V002", "V008"], "{errs:#?}");
    assert!(
        errs[1].1.contains("expat is declared as 2.6.3"),
        "{errs:#?}"
    );
    assert!(
        errs[2]
            .1
            .contains("`Modules/_hacl/python_hacl_namespace.h` of hacl-star"),
        "{errs:#?}"
    );
    assert_eq!(
        report["inputs"][0]["changes"],
        serde_json::json!(["- file Modules/expat/refresh.sh (expat)"])
    );

    // The release's SBOM, made by that generator, does not list refresh.sh: no drift at all
    // for expat's files (today's bundled table reported `+ file Modules/expat/refresh.sh`).
    let sbom_path = root.join("Misc/sbom.spdx.json");
    let mut sbom: Value =
        serde_json::from_slice(&std::fs::read(&sbom_path).expect("read")).expect("json");
    let id = "SPDXRef-FILE-Modules-expat-refresh.sh";
    let files = sbom["files"].as_array_mut().expect("files");
    let before = files.len();
    files.retain(|f| f["SPDXID"] != id);
    assert_eq!(files.len(), before - 1);
    let rels = sbom["relationships"].as_array_mut().expect("relationships");
    rels.retain(|r| r["relatedSpdxElement"] != id);
    std::fs::write(&sbom_path, serde_json::to_vec(&sbom).expect("json")).expect("write");
    let out = bomsmith()
        .args(["vendor", "regen", "--preset", "cpython"])
        .arg(&root)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (code, errs, report) = preset_errors(&root);
    assert_eq!(code, 1);
    let codes: Vec<&str> = errs.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(codes, ["V002", "V008"], "{errs:#?}");
    assert!(errs[1].1.contains("of hacl-star"), "{errs:#?}");
    assert_eq!(report["inputs"][0]["stale"], false);
    assert_eq!(report["inputs"][0]["changes"], serde_json::json!([]));
}

#[test]
fn preset_without_the_generator_uses_the_bundled_table_and_says_so() {
    let Some((_guard, root)) = extract_cpython() else {
        return;
    };
    std::fs::remove_file(root.join(GENERATOR)).expect("remove");
    let (code, stdout, stderr) = check_human(&root);
    assert_eq!(code, 1);
    assert!(
        stderr.contains(
            "note: Tools/build/generate_sbom.py is absent; the file rules of Misc/sbom.spdx.json are preset:cpython's table"
        ),
        "{stderr}"
    );
    assert!(
        stdout.contains(
            "preset:cpython:53:5: V008 error: exclude `Modules/_hacl/refresh.sh` of expat"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("vendor check: 3 errors"), "{stdout}");
}

#[test]
fn preset_with_an_unreadable_generator_uses_the_bundled_table_and_names_the_line() {
    let Some((_guard, root)) = extract_cpython() else {
        return;
    };
    let generator = root.join(GENERATOR);
    let text = std::fs::read_to_string(&generator).expect("generator");
    // Code instead of a literal: read as data, this is refused, never run.
    let edited = text.replacen(
        "\"Modules/expat/pyexpatns.h\",",
        "\"Modules/expat/pyexpatns.h\" + __import__(\"os\").sep,",
        1,
    );
    assert_ne!(edited, text);
    std::fs::write(&generator, edited).expect("write");
    let (code, stdout, stderr) = check_human(&root);
    assert_eq!(code, 1);
    assert!(
        stderr.contains(
            "warning: Tools/build/generate_sbom.py:62:41: expected `,` or `]` (found `+`): not read"
        ) && stderr.contains("the file rules of Misc/sbom.spdx.json are preset:cpython's table"),
        "{stderr}"
    );
    assert!(
        stdout.contains("preset:cpython:53:5: V008 error"),
        "{stdout}"
    );
    assert!(stdout.contains("vendor check: 3 errors"), "{stdout}");
}
