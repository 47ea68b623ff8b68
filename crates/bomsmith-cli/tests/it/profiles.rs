//! The BSI TR-03183-2 v2.1.0 and CISA FSCT3 profiles, rule by rule: a document built here that
//! each profile accepts, and for every rule one change that breaks exactly that rule, at the
//! place the test names.

use crate::util::hex;
use bomsmith::validate::{Profile, validate};
use serde_json::{Value, json};
use sha2::Digest;

/// (code, pointer) of the diagnostics of `profile`'s rule set (`prefix`) on `doc`.
fn found(doc: &Value, profile: Profile, prefix: &str) -> Vec<(String, String)> {
    let text = serde_json::to_vec_pretty(doc).expect("serialise");
    let report = validate("doc.json", &text, &[profile]);
    report
        .diagnostics
        .iter()
        .filter(|d| d.rule.code.starts_with(prefix))
        .map(|d| {
            assert!(d.location.line.is_some(), "{d:?} has a line");
            (
                d.rule.code.to_owned(),
                d.location.pointer.clone().unwrap_or_default(),
            )
        })
        .collect()
}

fn sha512(data: &[u8]) -> String {
    hex(&sha2::Sha512::digest(data))
}

/// A component with every field TR-03183-2 v2.1.0 asks for.
fn bsi_component(name: &str, kind: &str) -> Value {
    let file = format!("{name}-1.0.tar.gz");
    json!({
        "type": kind, "bom-ref": name, "name": name, "version": "1.0",
        "manufacturer": {"name": "Maker", "contact": [{"email": "dev@example.org"}]},
        "purl": format!("pkg:generic/{name}@1.0"),
        "licenses": [
            {"license": {"id": "MIT", "acknowledgement": "concluded"}},
            {"license": {"id": "MIT", "acknowledgement": "declared"}},
        ],
        "hashes": [{"alg": "SHA-512", "content": sha512(file.as_bytes())}],
        "externalReferences": [
            {"type": "distribution", "url": format!("https://example.org/{file}"),
             "hashes": [{"alg": "SHA-512", "content": sha512(file.as_bytes())}]},
            {"type": "source-distribution", "url": format!("https://example.org/src/{file}")},
        ],
        "properties": [
            {"name": "bsi:component:filename", "value": file},
            {"name": "bsi:component:executable", "value": "non-executable"},
            {"name": "bsi:component:archive", "value": "archive"},
            {"name": "bsi:component:structured", "value": "structured"},
        ],
    })
}

/// A CycloneDX 1.6 BOM that meets TR-03183-2 v2.1.0: an application and the library it uses.
fn bsi_base() -> Value {
    json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
        "version": 1,
        "metadata": {
            "timestamp": "2025-09-01T12:00:00Z",
            "manufacturer": {"name": "Example GmbH", "url": ["https://example.org"]},
            "component": bsi_component("app", "application"),
        },
        "components": [bsi_component("lib", "library")],
        "dependencies": [{"ref": "app", "dependsOn": ["lib"]}, {"ref": "lib"}],
        "compositions": [{"aggregate": "complete", "dependencies": ["app", "lib"]}],
    })
}

/// The base passes, and `edit` makes exactly `code` at `pointer`.
fn bsi_rule(code: &str, pointer: &str, edit: impl FnOnce(&mut Value)) {
    let base = bsi_base();
    assert_eq!(
        found(&base, Profile::Bsi21, "BSI"),
        vec![],
        "the base is clean"
    );
    let mut doc = base;
    edit(&mut doc);
    assert_eq!(
        found(&doc, Profile::Bsi21, "BSI"),
        vec![(code.to_owned(), pointer.to_owned())]
    );
}

fn lib(doc: &mut Value) -> &mut serde_json::Map<String, Value> {
    doc["components"][0].as_object_mut().expect("lib")
}

fn drop_property(doc: &mut Value, name: &str) {
    lib(doc)["properties"]
        .as_array_mut()
        .expect("properties")
        .retain(|p| p["name"] != name);
}

fn set_property(doc: &mut Value, name: &str, value: &str) {
    for p in lib(doc)["properties"].as_array_mut().expect("properties") {
        if p["name"] == name {
            p["value"] = json!(value);
        }
    }
}

#[test]
fn bsi21_format_spdx2_is_one_finding() {
    let spdx = json!({
        "spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT",
        "name": "d", "documentNamespace": "https://example.org/d",
        "creationInfo": {"created": "2025-01-01T00:00:00Z", "creators": ["Tool: x"]},
        "packages": [{"SPDXID": "SPDXRef-a", "name": "a", "downloadLocation": "NOASSERTION"}],
        "documentDescribes": ["SPDXRef-a"],
    });
    let text = serde_json::to_vec_pretty(&spdx).expect("serialise");
    let report = validate("d.spdx.json", &text, &[Profile::Bsi21]);
    let bsi: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule.code.starts_with("BSI"))
        .collect();
    assert_eq!(bsi.len(), 1, "{bsi:?}");
    assert_eq!(bsi[0].rule.code, "BSI101");
    assert_eq!(bsi[0].location.pointer.as_deref(), Some("/spdxVersion"));
    assert!(
        bsi[0].message.contains("does not accept SPDX-2.3"),
        "{}",
        bsi[0].message
    );
}

#[test]
fn bsi21_format_cyclonedx_before_1_6() {
    bsi_rule("BSI101", "/specVersion", |d| {
        d["specVersion"] = json!("1.5")
    });
}

#[test]
fn bsi21_sbom_creator() {
    bsi_rule("BSI102", "/metadata", |d| {
        d["metadata"]["manufacturer"] = json!({"name": "Example GmbH"});
    });
    // An author's email is a creator too.
    let mut doc = bsi_base();
    doc["metadata"]
        .as_object_mut()
        .expect("metadata")
        .remove("manufacturer");
    doc["metadata"]["authors"] = json!([{"name": "Jane", "email": "jane@example.org"}]);
    assert_eq!(found(&doc, Profile::Bsi21, "BSI"), vec![]);
}

#[test]
fn bsi21_timestamp() {
    bsi_rule("BSI103", "/metadata", |d| {
        d["metadata"]
            .as_object_mut()
            .expect("metadata")
            .remove("timestamp");
    });
}

#[test]
fn bsi21_component_creator() {
    bsi_rule("BSI104", "/components/0", |d| {
        lib(d).insert("manufacturer".into(), json!({"name": "Maker"}));
    });
}

#[test]
fn bsi21_component_name() {
    bsi_rule("BSI105", "/components/0", |d| {
        lib(d).insert("name".into(), json!(" "));
    });
}

#[test]
fn bsi21_component_version() {
    bsi_rule("BSI106", "/components/0", |d| {
        lib(d).remove("version");
    });
}

#[test]
fn bsi21_filename() {
    bsi_rule("BSI107", "/components/0", |d| {
        drop_property(d, "bsi:component:filename")
    });
}

#[test]
fn bsi21_dependencies() {
    bsi_rule("BSI108", "/components/0", |d| {
        d["dependencies"] = json!([{"ref": "app"}]);
    });
    // Nested in another component is placed too.
    let mut doc = bsi_base();
    let inner = doc["components"][0].clone();
    doc["metadata"]["component"]["components"] = json!([inner]);
    doc["components"] = json!([]);
    doc["dependencies"] = json!([{"ref": "app"}]);
    assert_eq!(found(&doc, Profile::Bsi21, "BSI"), vec![]);
}

#[test]
fn bsi21_dependency_completeness() {
    bsi_rule("BSI109", "/components/0", |d| {
        d["compositions"] = json!([
            {"aggregate": "complete", "dependencies": ["app"]},
            {"aggregate": "not_specified", "dependencies": ["lib"]},
        ]);
    });
}

#[test]
fn bsi21_distribution_licence() {
    bsi_rule("BSI110", "/components/0", |d| {
        lib(d).insert(
            "licenses".into(),
            json!([{"license": {"id": "MIT", "acknowledgement": "declared"}}]),
        );
    });
}

#[test]
fn bsi21_deployable_hash() {
    bsi_rule("BSI111", "/components/0", |d| {
        lib(d).remove("hashes");
        lib(d)["externalReferences"][0]
            .as_object_mut()
            .expect("reference")
            .remove("hashes");
    });
    // On the distribution reference alone it counts (the TR's mapping).
    let mut doc = bsi_base();
    lib(&mut doc).remove("hashes");
    assert_eq!(found(&doc, Profile::Bsi21, "BSI"), vec![]);
}

#[test]
fn bsi21_executable() {
    bsi_rule("BSI112", "/components/0", |d| {
        set_property(d, "bsi:component:executable", "yes")
    });
}

#[test]
fn bsi21_archive() {
    bsi_rule("BSI113", "/components/0", |d| {
        drop_property(d, "bsi:component:archive")
    });
}

#[test]
fn bsi21_structured() {
    bsi_rule("BSI114", "/components/0", |d| {
        let props = lib(d)["properties"].as_array_mut().expect("properties");
        props.push(json!({"name": "bsi:component:structured", "value": "unstructured"}));
    });
}

#[test]
fn bsi21_sbom_uri() {
    bsi_rule("BSI115", "", |d| {
        d.as_object_mut().expect("bom").remove("serialNumber");
    });
}

#[test]
fn bsi21_source_uri() {
    bsi_rule("BSI116", "/components/0", |d| {
        lib(d)["externalReferences"]
            .as_array_mut()
            .expect("references")
            .retain(|r| r["type"] != "source-distribution");
    });
}

#[test]
fn bsi21_deployable_uri() {
    bsi_rule("BSI117", "/components/0", |d| {
        lib(d)["externalReferences"]
            .as_array_mut()
            .expect("references")
            .retain(|r| r["type"] != "distribution");
    });
}

#[test]
fn bsi21_other_identifiers() {
    bsi_rule("BSI118", "/components/0", |d| {
        lib(d).remove("purl");
    });
}

#[test]
fn bsi21_original_licence() {
    bsi_rule("BSI119", "/components/0", |d| {
        lib(d).insert(
            "licenses".into(),
            json!([{"license": {"id": "MIT", "acknowledgement": "concluded"}}]),
        );
    });
}

#[test]
fn bsi_names_the_newest_version_and_bsi_2_0_stays() {
    assert_eq!(Profile::from_name("bsi"), Some(Profile::Bsi21));
    assert_eq!(Profile::from_name("bsi-2.1"), Some(Profile::Bsi21));
    assert_eq!(Profile::from_name("bsi-2.0"), Some(Profile::Bsi));
    // The v2.0.0 rules do not run under 2.1, nor the other way round.
    let codes: Vec<String> = found(&bsi_base(), Profile::Bsi, "BSI")
        .into_iter()
        .map(|(c, _)| c)
        .collect();
    assert!(
        codes.iter().all(|c| c.len() == 6 && c.starts_with("BSI0")),
        "{codes:?}"
    );
}

/// A CycloneDX 1.6 BOM meeting FSCT3's minimum expected attributes.
fn fsct_cdx() -> Value {
    let component = |name: &str, kind: &str| {
        json!({"type": kind, "bom-ref": name, "name": name, "version": "1.0",
               "supplier": {"name": "Supplier Inc."}, "copyright": "Copyright 2024 Supplier Inc.",
               "licenses": [{"license": {"id": "MIT"}}]})
    };
    json!({
        "bomFormat": "CycloneDX", "specVersion": "1.6",
        "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79", "version": 1,
        "metadata": {
            "timestamp": "2025-09-01T12:00:00Z",
            "authors": [{"name": "Jane"}],
            "lifecycles": [{"phase": "build"}],
            "component": component("app", "application"),
        },
        "components": [component("lib", "library"), component("floating", "library")],
        "dependencies": [{"ref": "app", "dependsOn": ["lib"]}],
    })
}

/// An SPDX 2.3 document meeting every FSCT3 attribute SPDX 2 can state.
fn fsct_spdx() -> Value {
    let package = |id: &str| {
        json!({"SPDXID": format!("SPDXRef-{id}"), "name": id, "versionInfo": "1.0",
               "downloadLocation": "NOASSERTION", "filesAnalyzed": false,
               "supplier": "Organization: Supplier Inc.", "licenseConcluded": "MIT",
               "copyrightText": "Copyright 2024 Supplier Inc."})
    };
    json!({
        "spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT",
        "name": "d", "documentNamespace": "https://example.org/d",
        "creationInfo": {"created": "2025-01-01T00:00:00Z", "creators": ["Person: Jane"]},
        "packages": [package("app"), package("lib"), package("floating")],
        "relationships": [
            {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": "SPDXRef-app"},
            {"spdxElementId": "SPDXRef-app", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "SPDXRef-lib"},
        ],
    })
}

/// Only FSCT003 on SPDX 2 (it has no field for the SBOM type), nothing on CycloneDX.
const SPDX_ALWAYS: (&str, &str) = ("FSCT003", "/spdxVersion");

/// A change to a document, and the pointer where the rule it breaks reports.
type Case<'a> = Option<(&'a str, fn(&mut Value))>;

/// Both bases pass (SPDX but for FSCT003); each edit makes exactly `code` at its pointer.
fn fsct_rule(code: &str, cdx: Case<'_>, spdx: Case<'_>) {
    let always = vec![(SPDX_ALWAYS.0.to_owned(), SPDX_ALWAYS.1.to_owned())];
    assert_eq!(found(&fsct_cdx(), Profile::Fsct3, "FSCT"), vec![]);
    assert_eq!(found(&fsct_spdx(), Profile::Fsct3, "FSCT"), always);
    if let Some((pointer, edit)) = cdx {
        let mut doc = fsct_cdx();
        edit(&mut doc);
        assert_eq!(
            found(&doc, Profile::Fsct3, "FSCT"),
            vec![(code.to_owned(), pointer.to_owned())],
            "CycloneDX"
        );
    }
    if let Some((pointer, edit)) = spdx {
        let mut doc = fsct_spdx();
        edit(&mut doc);
        let mut want = vec![(code.to_owned(), pointer.to_owned())];
        if code != SPDX_ALWAYS.0 {
            want.extend(always);
        }
        let mut got = found(&doc, Profile::Fsct3, "FSCT");
        got.sort();
        want.sort();
        assert_eq!(got, want, "SPDX");
    }
}

#[test]
fn fsct3_sbom_author() {
    fsct_rule(
        "FSCT001",
        Some(("/metadata", |d| {
            d["metadata"].as_object_mut().expect("m").remove("authors");
        })),
        Some(("/creationInfo", |d| {
            d["creationInfo"]["creators"] = json!([])
        })),
    );
}

#[test]
fn fsct3_timestamp() {
    fsct_rule(
        "FSCT002",
        Some(("/metadata", |d| {
            d["metadata"]
                .as_object_mut()
                .expect("m")
                .remove("timestamp");
        })),
        Some(("/creationInfo", |d| {
            d["creationInfo"]
                .as_object_mut()
                .expect("c")
                .remove("created");
        })),
    );
}

#[test]
fn fsct3_sbom_type() {
    fsct_rule(
        "FSCT003",
        Some(("/metadata", |d| {
            d["metadata"]
                .as_object_mut()
                .expect("m")
                .remove("lifecycles");
        })),
        Some(("/spdxVersion", |_| {})),
    );
}

#[test]
fn fsct3_primary_component() {
    fsct_rule(
        "FSCT004",
        Some(("/metadata", |d| {
            d["metadata"]
                .as_object_mut()
                .expect("m")
                .remove("component");
        })),
        Some(("", |d| {
            d["relationships"]
                .as_array_mut()
                .expect("r")
                .retain(|r| r["relationshipType"] != "DESCRIBES");
        })),
    );
}

#[test]
fn fsct3_component_name() {
    fsct_rule(
        "FSCT005",
        Some(("/components/0", |d| d["components"][0]["name"] = json!(""))),
        Some(("/packages/1", |d| d["packages"][1]["name"] = json!(" "))),
    );
}

#[test]
fn fsct3_component_version() {
    fsct_rule(
        "FSCT006",
        Some(("/components/0", |d| {
            d["components"][0]
                .as_object_mut()
                .expect("c")
                .remove("version");
        })),
        Some(("/packages/1", |d| {
            d["packages"][1]
                .as_object_mut()
                .expect("p")
                .remove("versionInfo");
        })),
    );
}

#[test]
fn fsct3_supplier() {
    fsct_rule(
        "FSCT007",
        Some(("/components/0", |d| {
            d["components"][0]
                .as_object_mut()
                .expect("c")
                .remove("supplier");
        })),
        Some(("/packages/1", |d| {
            d["packages"][1]["supplier"] = json!("NOASSERTION")
        })),
    );
}

#[test]
fn fsct3_unique_identifier() {
    fsct_rule(
        "FSCT008",
        Some(("/metadata/component/components/0", |d| {
            // A component without any identifier cannot be reached through the graph; nested
            // in the primary component it is.
            let mut anonymous = d["components"][0].clone();
            anonymous.as_object_mut().expect("c").remove("bom-ref");
            d["metadata"]["component"]["components"] = json!([anonymous]);
        })),
        None,
    );
}

#[test]
fn fsct3_license() {
    fsct_rule(
        "FSCT009",
        Some(("/components/0", |d| {
            d["components"][0]["licenses"] =
                json!([{"license": {"id": "MIT", "acknowledgement": "declared"}}]);
        })),
        Some(("/packages/1", |d| {
            d["packages"][1]["licenseConcluded"] = json!("NOASSERTION")
        })),
    );
}

#[test]
fn fsct3_copyright() {
    fsct_rule(
        "FSCT010",
        Some(("/components/0", |d| {
            d["components"][0]
                .as_object_mut()
                .expect("c")
                .remove("copyright");
        })),
        Some(("/packages/1", |d| {
            d["packages"][1]["copyrightText"] = json!("NOASSERTION")
        })),
    );
}
