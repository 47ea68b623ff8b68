//! The bundled specifications: the official JSON schemas (copied into `schemas/`, origin and
//! SHA-256 in `schemas/ORIGIN.md`) and the SPDX license list (the `spdx` crate's), for the
//! readers and writers in `format` and the checks in `validate` alike. Nothing is ever fetched.

use serde_json::Value;
use std::collections::HashSet;
use std::sync::OnceLock;

/// The SPDX 2.3 JSON schema.
pub const SPDX_23_SCHEMA: &str = include_str!("../schemas/spdx-2.3.schema.json");
/// The CycloneDX 1.6 JSON schema.
pub const CYCLONEDX_16_SCHEMA: &str = include_str!("../schemas/bom-1.6.schema.json");
/// The license identifiers CycloneDX accepts in `license.id` (its `spdx.schema.json`).
pub const CYCLONEDX_SPDX_SCHEMA: &str = include_str!("../schemas/spdx.schema.json");
/// The JSON signature format schema CycloneDX 1.6 refers to.
pub const CYCLONEDX_JSF_SCHEMA: &str = include_str!("../schemas/jsf-0.82.schema.json");

/// The URIs under which the CycloneDX 1.6 schema refers to its companion schemas.
pub const CYCLONEDX_REFERENCED: [(&str, &str); 2] = [
    (
        "http://cyclonedx.org/schema/spdx.schema.json",
        CYCLONEDX_SPDX_SCHEMA,
    ),
    (
        "http://cyclonedx.org/schema/jsf-0.82.schema.json",
        CYCLONEDX_JSF_SCHEMA,
    ),
];

/// The SARIF 2.1.0 schema, bundled for the tests of the SARIF writer.
#[cfg(test)]
pub(crate) const SARIF_210_SCHEMA: &str = include_str!("../schemas/sarif-2.1.0.schema.json");

/// Version of the SPDX license list that license expressions in written documents refer to.
pub const LICENSE_LIST_VERSION: &str = "3.22";

/// The bundled CycloneDX 1.6 schema, parsed once.
pub fn cyclonedx_schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| serde_json::from_str(CYCLONEDX_16_SCHEMA).unwrap_or(Value::Null))
}

/// The license identifiers a CycloneDX 1.6 `license.id` may hold (the bundled
/// `spdx.schema.json` enumeration).
pub fn cyclonedx_license_ids() -> &'static HashSet<String> {
    static IDS: OnceLock<HashSet<String>> = OnceLock::new();
    IDS.get_or_init(|| {
        let v: Value = serde_json::from_str(CYCLONEDX_SPDX_SCHEMA).unwrap_or(Value::Null);
        v.get("enum")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    })
}

/// The SPDX specification's expression syntax, exactly; deprecated identifiers are still on
/// the license list, so they are valid.
const PARSE_MODE: spdx::ParseMode = spdx::ParseMode {
    allow_deprecated: true,
    ..spdx::ParseMode::STRICT
};

/// Parses an SPDX license expression against the license list; `None` for NONE and
/// NOASSERTION.
pub fn license_expression(text: &str) -> Result<Option<spdx::Expression>, String> {
    if matches!(text, "NONE" | "NOASSERTION") {
        return Ok(None);
    }
    spdx::Expression::parse_mode(text, PARSE_MODE)
        .map(Some)
        .map_err(|e| e.reason.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::Digest;

    const ORIGIN: &str = include_str!("../schemas/ORIGIN.md");

    #[test]
    fn bundled_files_are_the_recorded_ones() {
        let files = [
            (
                "spdx-2.3.schema.json",
                SPDX_23_SCHEMA,
                "spec/spdx-2.3/spdx-schema.json",
            ),
            (
                "bom-1.6.schema.json",
                CYCLONEDX_16_SCHEMA,
                "spec/cyclonedx/bom-1.6.schema.json",
            ),
            (
                "spdx.schema.json",
                CYCLONEDX_SPDX_SCHEMA,
                "spec/cyclonedx/spdx.schema.json",
            ),
            (
                "jsf-0.82.schema.json",
                CYCLONEDX_JSF_SCHEMA,
                "spec/cyclonedx/jsf-0.82.schema.json",
            ),
            (
                "sarif-2.1.0.schema.json",
                SARIF_210_SCHEMA,
                "spec/sarif/sarif-schema-2.1.0.json",
            ),
        ];
        let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
        for (name, text, shared_path) in files {
            let row = ORIGIN
                .lines()
                .find(|l| l.starts_with(&format!("| `{name}`")))
                .unwrap_or_else(|| panic!("{name} has no row in ORIGIN.md"));
            let recorded = row
                .trim_end_matches([' ', '|'])
                .rsplit('`')
                .nth(1)
                .expect("hash");
            let actual = hex::encode(sha2::Sha256::digest(text.as_bytes()));
            assert_eq!(
                recorded, actual,
                "{name}: ORIGIN.md records another SHA-256"
            );
            serde_json::from_str::<Value>(text).expect("a bundled schema is JSON");
            // Where the shared corpus is present, the copy is byte for byte its file.
            if let Ok(original) = std::fs::read(shared.join(shared_path)) {
                assert!(
                    original == text.as_bytes(),
                    "{name} differs from {shared_path}"
                );
            }
        }
    }

    #[test]
    fn license_list_and_expressions() {
        assert!(cyclonedx_license_ids().contains("Apache-2.0"));
        assert!(cyclonedx_schema().get("definitions").is_some());
        assert!(
            license_expression("MIT OR Apache-2.0")
                .expect("valid")
                .is_some()
        );
        assert!(license_expression("NOASSERTION").expect("valid").is_none());
        assert!(license_expression("MIT AND").is_err());
    }
}
