//! The whole purl-spec conformance suite (`../shared/conformance/purl/`:
//! `specification-test.json` and every `types/*-test.json`) through `bomsmith::ident::purl`.
//!
//! - `parse`: the input string gives exactly the expected decoded components, or fails.
//! - `build`: the decoded components give exactly the expected canonical string, or fail.
//! - `validate` (and `roundtrip`, its older name): the input string gives exactly the expected
//!   canonical string, or fails.
//!
//! The suite's 'required' tests hold ECMA-427's "shall" rules, so they run through
//! [`Purl::parse_strict`] (qualifier keys must be lower-case); its 'recommended' tests show how a
//! reader should normalise what it is given, so they run through [`Purl::parse`]. Building has no
//! strict form: it normalises the components it is handed.

use crate::util::shared_dir;
use bomsmith::ident::purl::Purl;
use serde_json::Value;

/// Cases the suite gets wrong, each asserted to give the opposite of its expectation, so the list
/// fails the day the suite is fixed. There is one: a 'required' maven `parse` test accepts the
/// upper-case qualifier key `repositorY_url`, while the 'required' gem and rpm tests reject
/// `Platform` and `Arch` for being upper-case (ECMA-427: a key "shall" be lower-case). No parser
/// can pass all three; upstream already changed the gem test the same way (purl-spec PR #951,
/// "a required parse test accepted a PURL with a qualifier key not in lowercase").
const SUITE_DEFECTS: &[(&str, &str)] = &[(
    "types/maven-test.json",
    "pkg:Maven/org.apache.xmlgraphics/batik-anim@1.9.1?type=pom&repositorY_url=repo.spring.io/release",
)];

fn opt_str(v: &Value) -> Option<&str> {
    v.as_str()
}

/// The components of a parsed PURL as the suite writes them.
fn components(p: &Purl) -> Value {
    let qualifiers = if p.qualifiers().is_empty() {
        Value::Null
    } else {
        Value::Object(
            p.qualifiers()
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect(),
        )
    };
    serde_json::json!({
        "type": p.ty(),
        "namespace": p.namespace(),
        "name": p.name(),
        "version": p.version(),
        "qualifiers": qualifiers,
        "subpath": p.subpath(),
    })
}

/// Runs one case: `Ok(())` when bomsmith does what the case expects, else why not.
fn run_case(case: &Value) -> Result<(), String> {
    let test_type = case["test_type"].as_str().ok_or("no test_type")?;
    let strict = case["test_group"].as_str() == Some("required");
    let expect_failure = case["expected_failure"].as_bool().unwrap_or(false);
    let expected = &case["expected_output"];
    let input = &case["input"];
    let parse = |s: &str| {
        if strict {
            Purl::parse_strict(s)
        } else {
            Purl::parse(s)
        }
    };
    let outcome: Result<Value, String> = match test_type {
        "parse" => parse(input.as_str().ok_or("input is not a string")?).map(|p| components(&p)),
        "validate" | "roundtrip" => parse(input.as_str().ok_or("input is not a string")?)
            .map(|p| Value::String(p.to_canonical_string())),
        "build" => {
            let ty = opt_str(&input["type"]);
            let name = opt_str(&input["name"]);
            match (ty, name) {
                (None, _) => Err("no type".to_owned()),
                (_, None) => Err("no name".to_owned()),
                (Some(ty), Some(name)) => {
                    let qualifiers: Vec<(&str, &str)> = input["qualifiers"]
                        .as_object()
                        .map(|m| {
                            m.iter()
                                .map(|(k, v)| (k.as_str(), v.as_str().unwrap_or("")))
                                .collect()
                        })
                        .unwrap_or_default();
                    Purl::from_parts(
                        ty,
                        opt_str(&input["namespace"]),
                        name,
                        opt_str(&input["version"]),
                        &qualifiers,
                        opt_str(&input["subpath"]),
                    )
                    .map(|p| Value::String(p.to_canonical_string()))
                }
            }
        }
        other => return Err(format!("unknown test_type `{other}`")),
    };
    match (outcome, expect_failure) {
        (Err(_), true) => Ok(()),
        (Ok(got), true) => Err(format!("expected a failure, got {got}")),
        (Err(why), false) => Err(format!("expected {expected}, failed: {why}")),
        (Ok(got), false) if &got == expected => Ok(()),
        (Ok(got), false) => Err(format!("expected {expected}, got {got}")),
    }
}

#[test]
fn every_purl_spec_conformance_case_passes() {
    let dir = shared_dir().join("conformance/purl");
    if !dir.is_dir() {
        let msg = format!("PURL conformance suite missing: {}", dir.display());
        assert!(std::env::var_os("CI").is_none(), "{msg}");
        eprintln!("SKIPPED: {msg}");
        return;
    }
    let mut files = vec!["specification-test.json".to_owned()];
    let mut types: Vec<String> = std::fs::read_dir(dir.join("types"))
        .expect("types/ is readable")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with("-test.json"))
        .map(|n| format!("types/{n}"))
        .collect();
    types.sort();
    files.extend(types);

    let (mut cases, mut failures, mut defects_seen) = (0, Vec::new(), Vec::new());
    for rel in &files {
        let text = std::fs::read_to_string(dir.join(rel)).expect("suite file is readable");
        let doc: Value = serde_json::from_str(&text).expect("suite file is JSON");
        for case in doc["tests"].as_array().expect("a `tests` array") {
            cases += 1;
            let input = case["input"].as_str().unwrap_or("");
            let listed = SUITE_DEFECTS
                .iter()
                .any(|(f, i)| f == rel && *i == input && case["test_type"] == "parse");
            match (run_case(case), listed) {
                (Ok(()), false) => {}
                (Err(_), true) => defects_seen.push((rel.clone(), input.to_owned())),
                (Ok(()), true) => failures.push(format!(
                    "{rel}: listed as a suite defect but now passes: {input}"
                )),
                (Err(why), false) => failures.push(format!(
                    "{rel}: {} `{}` ({}): {why}",
                    case["test_type"], case["input"], case["description"]
                )),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {cases} cases fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let listed: Vec<(String, String)> = SUITE_DEFECTS
        .iter()
        .map(|(f, i)| ((*f).to_owned(), (*i).to_owned()))
        .collect();
    assert_eq!(
        defects_seen, listed,
        "the listed suite defects, each seen once"
    );
    // 43 files (the specification and 42 types), 586 cases: the suite as pinned in ../shared.
    assert_eq!((files.len(), cases), (43, 586));
}
