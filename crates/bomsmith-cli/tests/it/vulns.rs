//! `bomsmith vulns` and `bomsmith db` on the real advisory corpora in `../shared/advisories`:
//! PyPI findings against an independent evaluation of the same records (`osv_expect.py`, with
//! Python's `packaging`), CPython's GIT ranges against a repository built here whose graph
//! decides the answer, and malformed records.

use crate::util::{bomsmith, shared_file};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The Python that runs `osv_expect.py` (it needs `packaging` and PyYAML): `$BOMSMITH_PYTHON`
/// (`.ci/run` exports its venv's), else `target/ci-venv/bin/python`. `None` outside CI when
/// neither exists; under `CI` that fails the test.
fn python() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("BOMSMITH_PYTHON") {
        return Some(PathBuf::from(p));
    }
    let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/ci-venv/bin/python");
    if venv.exists() {
        return Some(venv);
    }
    let msg = format!(
        "no Python for osv_expect.py: set BOMSMITH_PYTHON to a python with `packaging` and `pyyaml`, \
         or make {} (`.ci/run` does)",
        venv.display()
    );
    assert!(std::env::var_os("CI").is_none(), "{msg}");
    eprintln!("SKIPPED: {msg}");
    None
}

/// Runs bomsmith, wants success, returns standard output as JSON and standard error.
pub(crate) fn run_json(args: &[&std::ffi::OsStr]) -> (Value, String) {
    let out = bomsmith().args(args).output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "bomsmith {args:?} failed: {stderr}");
    (
        serde_json::from_slice(&out.stdout).expect("JSON report"),
        stderr,
    )
}

/// `(name, version)` of a report's component.
fn name_version(component: &Value) -> (String, String) {
    (
        component["name"].as_str().expect("name").to_owned(),
        component["version"].as_str().expect("version").to_owned(),
    )
}

/// Per component `(name, version)`: the IDs of every record behind its findings.
fn records_by_component(sbom: &Value) -> BTreeMap<(String, String), BTreeSet<String>> {
    let mut out: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for f in sbom["findings"].as_array().expect("findings") {
        let set = out.entry(name_version(&f["component"])).or_default();
        for r in f["records"].as_array().expect("records") {
            set.insert(r["id"].as_str().expect("record id").to_owned());
        }
    }
    out
}

/// Every ID any finding names (its records' IDs and every alias).
fn every_id(report: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for s in report["sboms"].as_array().expect("sboms") {
        for f in s["findings"].as_array().expect("findings") {
            for i in f["ids"].as_array().expect("ids") {
                out.insert(i.as_str().expect("id").to_owned());
            }
            for r in f["records"].as_array().expect("records") {
                out.insert(r["id"].as_str().expect("id").to_owned());
            }
        }
    }
    out
}

/// An SPDX 2.3 JSON document with one package per `(SPDXID, name, version, externalRefs)`.
pub(crate) fn spdx23(name: &str, packages: &[(String, String, String, Value)]) -> Value {
    json!({
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": name,
        "documentNamespace": format!("https://example.org/bomsmith-tests/{name}"),
        "creationInfo": {"created": "2024-01-01T00:00:00Z", "creators": ["Tool: bomsmith-tests"]},
        "packages": packages.iter().map(|(id, n, v, refs)| json!({
            "SPDXID": id,
            "name": n,
            "versionInfo": v,
            "downloadLocation": "NOASSERTION",
            "filesAnalyzed": false,
            "externalRefs": refs,
        })).collect::<Vec<_>>(),
        "relationships": packages.iter().map(|(id, ..)| json!({
            "spdxElementId": "SPDXRef-DOCUMENT",
            "relationshipType": "DESCRIBES",
            "relatedSpdxElement": id,
        })).collect::<Vec<_>>(),
    })
}

/// The PyPI components: PURL names in PEP 503 spellings other than the records' (case, `_`,
/// `.`), each project at a vulnerable version and at a fixed, recent one, and some pre- and
/// post-releases. `binderhub` and
/// `steam` are the two projects whose records carry a version `packaging` cannot parse.
const PYPI: &[(&str, &str)] = &[
    ("Django", "3.2.0"),
    ("django", "5.2.8"),
    ("Jinja2", "2.10"),
    ("jinja2", "3.1.6"),
    ("PyYAML", "5.3"),
    ("pyyaml", "6.0.2"),
    ("Pillow", "8.0.0"),
    ("pillow", "11.3.0"),
    ("Requests", "2.19.0"),
    ("requests", "2.32.4"),
    ("urllib3", "1.24.1"),
    ("URLLib3", "2.5.0"),
    ("cryptography", "3.2"),
    ("Cryptography", "45.0.0"),
    ("Flask", "0.12"),
    ("flask", "3.1.1"),
    ("Werkzeug", "0.15.0"),
    ("werkzeug", "3.1.3"),
    ("aiohttp", "3.8.0"),
    ("AIOHTTP", "3.12.14"),
    ("ansible", "2.9.0"),
    ("Ansible", "11.0.0"),
    ("redis", "4.5.0"),
    ("Redis", "6.0.0"),
    ("numpy", "1.16.0"),
    ("NumPy", "2.2.0"),
    ("tensorflow", "2.4.0"),
    ("TensorFlow", "2.18.0"),
    ("Flask_Caching", "1.10.0"),
    ("flask.caching", "2.3.1"),
    // Pre-, post- and old releases, where PEP 440 ordering decides.
    ("tensorflow-CPU", "2.4.0"),
    ("TensorFlow", "2.4.0rc2"),
    ("Pillow", "9.0.0.post1"),
    ("Django", "4.0rc1"),
    ("Django", "1.11.29"),
    ("aiohttp", "4.0.0a1"),
    ("binderhub", "0.1.0"),
    ("steam", "1.4.3"),
];

/// Where `packaging` cannot parse a value a record's range needs: (component, version, record,
/// value). The independent evaluation does not decide these, and neither does bomsmith: it
/// reports them not evaluable (a legacy version is ordered against PEP 440 ones only by
/// convention), naming the value.
const LEGACY: &[(&str, &str, &str, &str)] = &[
    ("binderhub", "0.1.0", "PYSEC-2021-371", "0.2.0-n653"),
    ("steam", "1.4.3", "PYSEC-2019-125", "2019-09-12"),
];

/// Withdrawn records that would match components above, were they not withdrawn (so the
/// assertion that no withdrawn ID appears can fail).
const WITHDRAWN_WOULD_MATCH: &[&str] = &[
    "PYSEC-2020-221",
    "PYSEC-2021-125",
    "PYSEC-2021-13",
    "PYSEC-2022-43059",
    "PYSEC-2023-73",
];

#[test]
fn pypi_findings_are_exactly_the_records_packaging_says_affect_each_component() {
    let Some(pypa) = shared_file("advisories/pypa") else {
        return;
    };
    let Some(python) = python() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");

    // The independent answer.
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/osv_expect.py");
    let mut child = Command::new(&python)
        .arg(&script)
        .arg(&pypa)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {} (BOMSMITH_PYTHON, else target/ci-venv/bin/python): {e}",
                python.display()
            )
        });
    let wanted = serde_json::to_vec(&PYPI).expect("JSON");
    std::io::Write::write_all(child.stdin.as_mut().expect("stdin"), &wanted).expect("write");
    drop(child.stdin.take());
    let out = child.wait_with_output().expect("python ends");
    assert!(
        out.status.success(),
        "osv_expect.py failed (needs packaging and pyyaml): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let expect: Value = serde_json::from_slice(&out.stdout).expect("script output");
    assert_eq!(expect["records"], 2661, "records osv_expect.py read");
    let withdrawn: BTreeSet<String> = expect["withdrawn"]
        .as_array()
        .expect("withdrawn")
        .iter()
        .map(|v| v.as_str().expect("id").to_owned())
        .collect();
    assert_eq!(withdrawn.len(), 10, "{withdrawn:?}");
    let results = expect["results"].as_array().expect("results");
    assert_eq!(results.len(), PYPI.len());

    // Per component (its index in PYPI): expected records, and the undecided cases.
    let mut expected: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
    let mut legacy = Vec::new();
    let mut would_match = BTreeSet::new();
    for (i, r) in results.iter().enumerate() {
        let ids = |k: &str| -> BTreeSet<String> {
            r[k].as_array()
                .expect(k)
                .iter()
                .map(|v| v.as_str().expect("id").to_owned())
                .collect()
        };
        expected.insert(i, ids("ids"));
        would_match.extend(ids("withdrawn_ids"));
        assert_eq!(r["git_only"], json!([]), "{}: GIT-only entries", PYPI[i].0);
        for u in r["unparseable"].as_array().expect("unparseable") {
            legacy.push((
                PYPI[i].0,
                PYPI[i].1,
                u[0].as_str().expect("id").to_owned(),
                u[1].as_str().expect("value").to_owned(),
            ));
        }
    }
    let legacy_listed: Vec<_> = LEGACY
        .iter()
        .map(|&(n, v, id, value)| (n, v, id.to_owned(), value.to_owned()))
        .collect();
    assert_eq!(legacy, legacy_listed, "values packaging cannot parse");
    assert_eq!(
        would_match,
        WITHDRAWN_WOULD_MATCH
            .iter()
            .map(|s| (*s).to_owned())
            .collect::<BTreeSet<_>>()
    );

    // The same components as CycloneDX 1.6 JSON and as SPDX 2.3 JSON.
    let purl = |(n, v): &(&str, &str)| format!("pkg:pypi/{n}@{v}");
    let cdx = json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
        "version": 1,
        "metadata": {"timestamp": "2024-01-01T00:00:00Z"},
        "components": PYPI.iter().enumerate().map(|(i, c)| json!({
            "type": "library", "bom-ref": format!("c{i}"), "name": c.0, "version": c.1,
            "purl": purl(c),
        })).collect::<Vec<_>>(),
    });
    let packages: Vec<_> = PYPI
        .iter()
        .enumerate()
        .map(|(i, c)| {
            (
                format!("SPDXRef-c{i}"),
                c.0.to_owned(),
                c.1.to_owned(),
                json!([{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                        "referenceLocator": purl(c)}]),
            )
        })
        .collect();
    let cdx_path = tmp.path().join("pypi.cdx.json");
    let spdx_path = tmp.path().join("pypi.spdx.json");
    std::fs::write(&cdx_path, cdx.to_string()).expect("write");
    std::fs::write(&spdx_path, spdx23("pypi", &packages).to_string()).expect("write");

    let db = tmp.path().join("pypa.db");
    let built = bomsmith()
        .args(["db", "build"])
        .arg(&pypa)
        .arg("-o")
        .arg(&db)
        .output()
        .expect("runs");
    assert!(
        built.status.success(),
        "db build: {}",
        String::from_utf8_lossy(&built.stderr)
    );

    for (what, source) in [("raw records", pypa.as_path()), ("database", db.as_path())] {
        let (report, _) = run_json(&[
            "vulns".as_ref(),
            cdx_path.as_os_str(),
            spdx_path.as_os_str(),
            "--db".as_ref(),
            source.as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
        ]);
        let ids = every_id(&report);
        let leaked: Vec<_> = ids.intersection(&withdrawn).collect();
        assert!(
            leaked.is_empty(),
            "{what}: withdrawn records found: {leaked:?}"
        );
        let sboms = report["sboms"].as_array().expect("sboms");
        assert_eq!(sboms.len(), 2);
        for (sbom, first) in sboms.iter().zip([true, false]) {
            assert_eq!(sbom["components"], PYPI.len());
            assert_eq!(sbom["unidentified"], json!([]));
            // Components are named as the reader's own file names them: the CycloneDX
            // `bom-ref` (`c3`, not a valid SPDX ID), the SPDX ID.
            for f in sbom["findings"].as_array().expect("findings") {
                let id = f["component"]["id"].as_str().expect("component id");
                let i = PYPI
                    .iter()
                    .position(|c| (c.0.to_owned(), c.1.to_owned()) == name_version(&f["component"]))
                    .expect("a listed component");
                let want = if first {
                    format!("c{i}")
                } else {
                    format!("SPDXRef-c{i}")
                };
                assert_eq!(id, want, "{what}: the component's reference");
            }
            let got = records_by_component(sbom);
            let not_evaluable: BTreeSet<((String, String), String)> = sbom["not_evaluable"]
                .as_array()
                .expect("not_evaluable")
                .iter()
                .map(|n| {
                    (
                        name_version(&n["component"]),
                        n["record"].as_str().expect("record").to_owned(),
                    )
                })
                .collect();
            let mut wrong = Vec::new();
            for (i, (name, version)) in PYPI.iter().enumerate() {
                let key = ((*name).to_owned(), (*version).to_owned());
                let got = got.get(&key).cloned().unwrap_or_default();
                let want = &expected[&i];
                // The legacy cases are not decided by packaging; they are checked below.
                let undecided: BTreeSet<&str> = LEGACY
                    .iter()
                    .filter(|l| l.0 == *name && l.1 == *version)
                    .map(|l| l.2)
                    .collect();
                let got_decided: BTreeSet<String> = got
                    .iter()
                    .filter(|r| !undecided.contains(r.as_str()))
                    .cloned()
                    .collect();
                if &got_decided != want {
                    wrong.push(format!(
                        "{name} {version}: missing {:?}, unexpected {:?}",
                        want.difference(&got_decided).collect::<Vec<_>>(),
                        got_decided.difference(want).collect::<Vec<_>>()
                    ));
                }
                // A legacy value against a PEP 440 version is not ordered (packaging's old
                // `LegacyVersion` would put it first, making the fix come before 0.1.0): never
                // a finding, never silently "not affected", but not evaluable.
                for r in &undecided {
                    assert!(
                        !got.contains(*r)
                            && not_evaluable.contains(&(key.clone(), (*r).to_owned())),
                        "{what}: {name} {version} and {r}: expected not evaluable, not a finding"
                    );
                }
                if what == "raw records" && first {
                    println!(
                        "{name} {version}: {} records (expected {})",
                        got.len(),
                        want.len()
                    );
                }
            }
            assert!(
                wrong.is_empty(),
                "{what}, {}: findings differ from packaging's evaluation:\n{}",
                sbom["file"],
                wrong.join("\n")
            );
        }
    }
}

/// A git repository built commit by commit with fixed identities and dates.
struct Repo {
    dir: PathBuf,
    tick: u64,
    commits: BTreeMap<&'static str, String>,
}

impl Repo {
    fn git(&self, args: &[&str]) -> String {
        let date = format!("{} +0000", 1_600_000_000 + self.tick * 3600);
        let out = Command::new("git")
            .arg("-C")
            .arg(&self.dir)
            .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
            .args(["-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"])
            .args(args)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date)
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout)
            .expect("utf-8")
            .trim()
            .to_owned()
    }

    /// A commit on the current branch, remembered by `label`.
    fn commit(&mut self, label: &'static str) {
        self.tick += 1;
        std::fs::write(self.dir.join("history.txt"), format!("{label}\n")).expect("write");
        self.git(&["add", "history.txt"]);
        self.git(&["commit", "-q", "-m", label]);
        let id = self.git(&["rev-parse", "HEAD"]);
        self.commits.insert(label, id);
    }
}

/// The five real PSF records the graph below is built for, and where each of their commits
/// goes: (record, real commit, label of the test commit that stands for it).
const REWRITE: &[(&str, &str, &str)] = &[
    (
        "PSF-2016-3",
        "2e1b7fc998e1744eeb3bb31b131eba0145b88a2f",
        "fix-2016-3 (main)",
    ),
    (
        "PSF-2016-3",
        "3625f7fd11679ecb390ffa58ef36d487acc8159b",
        "fix-2016-3 (3.11)",
    ),
    (
        "PSF-2016-3",
        "46b32f307c48bcb999b22eebf65ffe8ed5cca544",
        "fix-2016-3 (3.12)",
    ),
    (
        "PSF-2023-3",
        "1ef61cf71a218c71860ff6aecf0fd51edb8b65dc",
        "introduce-2023-3",
    ),
    (
        "PSF-2023-3",
        "d5a97074d24cd14cb2a35a2b1ad3074863cde264",
        "fix-2023-3 (main)",
    ),
    (
        "PSF-2023-7",
        "a474e04388c2ef6aca75c26cb70a1b6200235feb",
        "introduce-2023-7",
    ),
    (
        "PSF-2023-7",
        "d2cbb6e918d9ea39f0dd44acb53270f2dac07454",
        "fix-2023-7 (main)",
    ),
    (
        "PSF-2023-7",
        "9e6f8d46150c1a0af09d68ce63c603cf321994aa",
        "fix-2023-7 (3.12)",
    ),
    (
        "PSF-2023-9",
        "7c12e4835ebe52287acd200a2e76b533413b15d0",
        "introduce-2023-9",
    ),
    (
        "PSF-2023-9",
        "09322724319d4c23195300b222a1c0ea720af56b",
        "fix-2023-9 (main)",
    ),
    (
        "PSF-2023-9",
        "ede98958810b76694cf756d305b564cd6adc1a48",
        "fix-2023-9 (3.11)",
    ),
    (
        "PSF-2023-9",
        "ccf81e1088c25a9f4464e478dc3b5c03ed7ee63b",
        "fix-2023-9 (3.12)",
    ),
    (
        "PSF-2023-12",
        "124af17b6e49f0f22fbe646fb57800393235d704",
        "introduce-2023-12",
    ),
    (
        "PSF-2023-12",
        "9fe7655c6ce0b8e9adc229daf681b6d30e6b1610",
        "fix-2023-12 (main)",
    ),
    (
        "PSF-2023-12",
        "10e9bb13b8dcaa414645b9bd10718d8f7179e82b",
        "fix-2023-12 (3.11)",
    ),
    (
        "PSF-2023-12",
        "85bbfa8a4bbdbb61a3a84fbd7cb29a4096ab8a06",
        "fix-2023-12 (3.12)",
    ),
];

/// Builds the repository:
///
/// ```text
/// main:  root - introduce-2023-9 - introduce-2023-3 - branch-3.11 - introduce-2023-12
///        - branch-3.12 - introduce-2023-7 [v3.13.0a1] - fix-2023-9 - fix-2023-12 - fix-2023-7
///        - fix-2016-3 - fix-2023-3 - release-3.13.0 [v3.13.0]
/// 3.11 (from branch-3.11):  3.11.4 [v3.11.4] - fix-2023-9 - 3.11.5 [v3.11.5]
///        - fix-2023-12 - fix-2016-3 - 3.11.6 [v3.11.6]
/// 3.12 (from branch-3.12):  3.12.0 [v3.12.0] - fix-2023-9 - fix-2023-7 - 3.12.1 [v3.12.1, annotated]
///        - fix-2023-12 - fix-2016-3 [v3.12.2: the tag is on a fix]
/// ```
///
/// PSF-2016-3 is introduced at `0`; PSF-2023-3's only fix is on main; PSF-2023-7 is introduced
/// after both branch points; PSF-2023-12 after 3.11's.
fn cpython_like_repo(dir: &Path) -> Repo {
    std::fs::create_dir_all(dir).expect("mkdir");
    let mut r = Repo {
        dir: dir.to_path_buf(),
        tick: 0,
        commits: BTreeMap::new(),
    };
    r.git(&["init", "-q"]);
    r.git(&["symbolic-ref", "HEAD", "refs/heads/main"]);
    for c in [
        "root",
        "introduce-2023-9",
        "introduce-2023-3",
        "branch-3.11",
    ] {
        r.commit(c);
    }
    r.git(&["branch", "3.11"]);
    r.commit("introduce-2023-12");
    r.commit("branch-3.12");
    r.git(&["branch", "3.12"]);
    r.commit("introduce-2023-7");
    r.git(&["tag", "v3.13.0a1"]);
    for c in [
        "fix-2023-9 (main)",
        "fix-2023-12 (main)",
        "fix-2023-7 (main)",
        "fix-2016-3 (main)",
        "fix-2023-3 (main)",
        "release-3.13.0",
    ] {
        r.commit(c);
    }
    r.git(&["tag", "v3.13.0"]);
    r.git(&["checkout", "-q", "3.11"]);
    r.commit("3.11.4");
    r.git(&["tag", "v3.11.4"]);
    r.commit("fix-2023-9 (3.11)");
    r.commit("3.11.5");
    r.git(&["tag", "v3.11.5"]);
    r.commit("fix-2023-12 (3.11)");
    r.commit("fix-2016-3 (3.11)");
    r.commit("3.11.6");
    r.git(&["tag", "v3.11.6"]);
    r.git(&["checkout", "-q", "3.12"]);
    r.commit("3.12.0");
    r.git(&["tag", "v3.12.0"]);
    r.commit("fix-2023-9 (3.12)");
    r.commit("fix-2023-7 (3.12)");
    r.commit("3.12.1");
    r.git(&["tag", "-a", "-m", "Python 3.12.1", "v3.12.1"]);
    r.commit("fix-2023-12 (3.12)");
    r.commit("fix-2016-3 (3.12)");
    r.git(&["tag", "v3.12.2"]);
    r
}

/// Which records affect each version, read off the graph above: a tag is affected when it
/// descends from the record's `introduced` (or that is `0`) and from none of its fixes.
const GIT_EXPECTED: &[(&str, &[&str])] = &[
    ("3.11.4", &["PSF-2016-3", "PSF-2023-3", "PSF-2023-9"]),
    ("3.11.5", &["PSF-2016-3", "PSF-2023-3"]),
    ("3.11.6", &["PSF-2023-3"]),
    (
        "3.12.0",
        &["PSF-2016-3", "PSF-2023-12", "PSF-2023-3", "PSF-2023-9"],
    ),
    ("3.12.1", &["PSF-2016-3", "PSF-2023-12", "PSF-2023-3"]),
    ("3.12.2", &["PSF-2023-3"]),
    (
        "3.13.0a1",
        &[
            "PSF-2016-3",
            "PSF-2023-12",
            "PSF-2023-3",
            "PSF-2023-7",
            "PSF-2023-9",
        ],
    ),
    ("3.13.0", &[]),
];

/// CPython components known by CPE only (as the CPython release SBOM describes CPython).
fn cpython_sbom(path: &Path, versions: &[&str]) {
    let packages: Vec<_> = versions
        .iter()
        .enumerate()
        .map(|(i, v)| {
            (
                format!("SPDXRef-cpython-{i}"),
                "CPython".to_owned(),
                (*v).to_owned(),
                json!([{"referenceCategory": "SECURITY", "referenceType": "cpe23Type",
                        "referenceLocator": format!("cpe:2.3:a:python:python:{v}:*:*:*:*:*:*:*")}]),
            )
        })
        .collect();
    std::fs::write(path, spdx23("cpython", &packages).to_string()).expect("write");
}

/// Component version → IDs of the records behind its findings.
fn findings_by_version(sbom: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in sbom["findings"].as_array().expect("findings") {
        let v = f["component"]["version"].as_str().expect("version");
        for r in f["records"].as_array().expect("records") {
            out.entry(v.to_owned())
                .or_default()
                .insert(r["id"].as_str().expect("id").to_owned());
        }
    }
    out
}

#[test]
fn cpython_git_ranges_follow_the_commit_graph_of_the_named_clone() {
    let Some(psf) = shared_file("advisories/psf/advisories/python") else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = cpython_like_repo(&tmp.path().join("cpython"));

    // The real records, their commits rewritten to the test repository's.
    let db = tmp.path().join("records");
    std::fs::create_dir_all(&db).expect("mkdir");
    let records: BTreeSet<&str> = REWRITE.iter().map(|r| r.0).collect();
    for id in &records {
        let text = std::fs::read_to_string(psf.join(format!("{id}.json"))).expect("record");
        let mut rec: Value = serde_json::from_str(&text).expect("JSON record");
        let mut rewritten = 0;
        for affected in rec["affected"].as_array_mut().expect("affected") {
            for range in affected["ranges"].as_array_mut().expect("ranges") {
                assert_eq!(range["type"], "GIT");
                for event in range["events"].as_array_mut().expect("events") {
                    for (_, value) in event.as_object_mut().expect("event").iter_mut() {
                        if value == "0" {
                            continue;
                        }
                        let real = value.as_str().expect("commit");
                        let (_, _, label) = REWRITE
                            .iter()
                            .find(|r| r.0 == *id && r.1 == real)
                            .unwrap_or_else(|| panic!("{id}: commit {real} not in REWRITE"));
                        *value = json!(repo.commits[label]);
                        rewritten += 1;
                    }
                }
            }
        }
        assert_eq!(
            rewritten,
            REWRITE.iter().filter(|r| r.0 == *id).count(),
            "{id}: every commit of the table rewritten"
        );
        std::fs::write(db.join(format!("{id}.json")), rec.to_string()).expect("write");
    }

    // Every tagged version, and one with no tag in the clone.
    let mut versions: Vec<&str> = GIT_EXPECTED.iter().map(|e| e.0).collect();
    versions.push("3.10.99");
    let sbom = tmp.path().join("cpython.spdx.json");
    cpython_sbom(&sbom, &versions);
    let mapping = format!("https://github.com/python/cpython={}", repo.dir.display());
    let built = tmp.path().join("psf.db");
    let out = bomsmith()
        .args(["db", "build"])
        .arg(&db)
        .arg("-o")
        .arg(&built)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "db build: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (what, source) in [("raw records", &db), ("database", &built)] {
        let (report, _) = run_json(&[
            "vulns".as_ref(),
            sbom.as_os_str(),
            "--db".as_ref(),
            source.as_os_str(),
            "--git-repo".as_ref(),
            mapping.as_ref(),
            "--format".as_ref(),
            "json".as_ref(),
        ]);
        let sbom_report = &report["sboms"][0];
        let got = findings_by_version(sbom_report);
        let want: BTreeMap<String, BTreeSet<String>> = GIT_EXPECTED
            .iter()
            .filter(|e| !e.1.is_empty())
            .map(|(v, ids)| {
                (
                    (*v).to_owned(),
                    ids.iter().map(|s| (*s).to_owned()).collect(),
                )
            })
            .collect();
        assert_eq!(got, want, "{what}: (version, record) findings");
        // The version with no tag: every record not evaluable, and only those.
        let undecided: BTreeSet<(String, String)> = sbom_report["not_evaluable"]
            .as_array()
            .expect("not_evaluable")
            .iter()
            .map(|n| {
                (
                    n["component"]["version"]
                        .as_str()
                        .expect("version")
                        .to_owned(),
                    n["record"].as_str().expect("record").to_owned(),
                )
            })
            .collect();
        let want_undecided: BTreeSet<(String, String)> = records
            .iter()
            .map(|id| ("3.10.99".to_owned(), (*id).to_owned()))
            .collect();
        assert_eq!(undecided, want_undecided, "{what}");
    }
}

#[test]
fn real_psf_records_without_a_clone_are_all_not_evaluable_and_never_findings() {
    let Some(psf) = shared_file("advisories/psf") else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    // The record IDs, read here from the files.
    let mut ids = BTreeSet::new();
    for e in std::fs::read_dir(psf.join("advisories/python")).expect("dir") {
        let path = e.expect("entry").path();
        if path.extension().is_some_and(|x| x == "json") {
            let rec: Value =
                serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("JSON");
            ids.insert(rec["id"].as_str().expect("id").to_owned());
        }
    }
    assert_eq!(ids.len(), 132);
    let sbom = tmp.path().join("cpython.spdx.json");
    cpython_sbom(&sbom, &["3.12.1"]);
    let (report, _) = run_json(&[
        "vulns".as_ref(),
        sbom.as_os_str(),
        "--db".as_ref(),
        psf.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    let s = &report["sboms"][0];
    assert_eq!(s["findings"], json!([]));
    let undecided: BTreeSet<String> = s["not_evaluable"]
        .as_array()
        .expect("not_evaluable")
        .iter()
        .map(|n| n["record"].as_str().expect("record").to_owned())
        .collect();
    assert_eq!(undecided, ids);
}

/// Every advisory tree in `../shared/advisories` loads whole, raw and through a database: the
/// record counts are those the corpus's own manifests state (PyPA 2,661 files, 10 withdrawn;
/// PSF 132; NVD 12 per-CVE files and a one-record API response; CVE 5 39 Vulnrichment records
/// and osv.dev's two copies of CVE-2024-3094; OSS-Fuzz 13; AlmaLinux 172), with no problem.
#[test]
fn db_info_counts_every_real_advisory_tree() {
    let trees: &[(&str, u64, u64)] = &[
        ("advisories/pypa", 2661, 10),
        ("advisories/psf", 132, 0),
        ("advisories/nvd", 13, 0),
        ("advisories/cve5", 41, 0),
        ("advisories/osv-oss-fuzz", 13, 0),
        ("advisories/osv-almalinux", 172, 0),
    ];
    let mut dirs = Vec::new();
    for (rel, ..) in trees {
        let Some(dir) = shared_file(rel) else {
            return;
        };
        dirs.push(dir);
    }
    let info_of = |paths: &[&std::ffi::OsStr]| {
        let mut args: Vec<&std::ffi::OsStr> = vec!["db".as_ref(), "info".as_ref()];
        args.extend_from_slice(paths);
        args.extend([
            std::ffi::OsStr::new("--format"),
            std::ffi::OsStr::new("json"),
        ]);
        run_json(&args).0
    };
    let withdrawn_of = |info: &Value| -> u64 {
        info["sources"]
            .as_array()
            .expect("sources")
            .iter()
            .map(|s| s["withdrawn"].as_u64().expect("withdrawn"))
            .sum()
    };
    for ((rel, records, withdrawn), dir) in trees.iter().zip(&dirs) {
        let info = info_of(&[dir.as_os_str()]);
        assert_eq!(info["records"], *records, "{rel}");
        assert_eq!(withdrawn_of(&info), *withdrawn, "{rel}");
        assert_eq!(info["problems"], json!([]), "{rel}");
        assert_eq!(info["sources"][0]["malformed"], 0, "{rel}");
    }
    // All six in one database: the same counts, per source and in total.
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = tmp.path().join("all.db");
    let mut build = bomsmith();
    build.args(["db", "build"]).args(&dirs).arg("-o").arg(&db);
    let out = build.output().expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let info = info_of(&[db.as_os_str()]);
    let total: u64 = trees.iter().map(|t| t.1).sum();
    assert_eq!(info["records"], total);
    let per_source: Vec<u64> = info["sources"]
        .as_array()
        .expect("sources")
        .iter()
        .map(|s| s["records"].as_u64().expect("records"))
        .collect();
    assert_eq!(per_source, trees.iter().map(|t| t.1).collect::<Vec<_>>());
    assert_eq!(withdrawn_of(&info), 10);
}

#[test]
fn malformed_records_are_named_by_file_and_pointer_and_the_others_still_load() {
    let Some(psf) = shared_file("advisories/psf/advisories/python") else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("records");
    std::fs::create_dir_all(&dir).expect("mkdir");
    for id in ["PSF-2023-3", "PSF-2023-9"] {
        std::fs::copy(
            psf.join(format!("{id}.json")),
            dir.join(format!("{id}.json")),
        )
        .expect("copy");
    }
    // A JSON record whose `aliases` is a string, not a list.
    let mut bad: Value =
        serde_json::from_slice(&std::fs::read(psf.join("PSF-2023-7.json")).expect("read"))
            .expect("JSON");
    bad["aliases"] = json!("CVE-2023-38898");
    std::fs::write(dir.join("PSF-2023-7.json"), bad.to_string()).expect("write");
    // A YAML record whose second event is a mapping, not a version.
    std::fs::write(
        dir.join("PYSEC-0000-1.yaml"),
        "id: PYSEC-0000-1\nmodified: '2024-01-01T00:00:00Z'\naffected:\n- package:\n    name: demo\n    ecosystem: PyPI\n  ranges:\n  - type: ECOSYSTEM\n    events:\n    - introduced: '0'\n    - fixed: {version: '1.0'}\n",
    )
    .expect("write");
    let (info, _) = run_json(&[
        "db".as_ref(),
        "info".as_ref(),
        dir.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(info["records"], 2);
    assert_eq!(info["sources"][0]["malformed"], 2);
    let problems: BTreeSet<(String, String)> = info["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|p| {
            (
                p["file"].as_str().expect("file").to_owned(),
                p["pointer"].as_str().expect("pointer").to_owned(),
            )
        })
        .collect();
    let files: BTreeSet<(String, String)> = problems
        .iter()
        .map(|(f, p)| {
            (
                Path::new(f)
                    .file_name()
                    .expect("file name")
                    .to_string_lossy()
                    .into_owned(),
                p.clone(),
            )
        })
        .collect();
    assert_eq!(
        files,
        BTreeSet::from([
            ("PSF-2023-7.json".to_owned(), "/aliases".to_owned()),
            (
                "PYSEC-0000-1.yaml".to_owned(),
                "/affected/0/ranges/0/events/1/fixed".to_owned()
            ),
        ])
    );
    // `vulns` on the same directory says each on standard error, and still matches the rest.
    let sbom = tmp.path().join("cpython.spdx.json");
    cpython_sbom(&sbom, &["3.12.1"]);
    let (report, stderr) = run_json(&[
        "vulns".as_ref(),
        sbom.as_os_str(),
        "--db".as_ref(),
        dir.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    for (file, pointer) in &problems {
        assert!(
            stderr.contains(&format!("{file}: {pointer}: ")),
            "{file} {pointer} not reported: {stderr}"
        );
    }
    let undecided: BTreeSet<&str> = report["sboms"][0]["not_evaluable"]
        .as_array()
        .expect("not_evaluable")
        .iter()
        .map(|n| n["record"].as_str().expect("record"))
        .collect();
    assert_eq!(undecided, BTreeSet::from(["PSF-2023-3", "PSF-2023-9"]));
}
