//! The bundled specifications: the official JSON schemas (copied into `schemas/`, origin and
//! SHA-256 in `schemas/ORIGIN.md`) and the SPDX license list (the `spdx` crate's), for the
//! readers and writers in `format` and the checks in `validate` alike. Nothing is ever fetched.

use serde_json::Value;
use std::collections::HashSet;
use std::sync::OnceLock;

/// The SPDX 2.2 JSON schema.
pub const SPDX_22_SCHEMA: &str = include_str!("../schemas/spdx-2.2.schema.json");
/// The SPDX 2.3 JSON schema.
pub const SPDX_23_SCHEMA: &str = include_str!("../schemas/spdx-2.3.schema.json");
/// The CycloneDX 1.2 JSON schema (the re-issue `bom-1.2b`).
pub const CYCLONEDX_12_SCHEMA: &str = include_str!("../schemas/bom-1.2.schema.json");
/// The CycloneDX 1.3 JSON schema (the re-issue `bom-1.3a`).
pub const CYCLONEDX_13_SCHEMA: &str = include_str!("../schemas/bom-1.3.schema.json");
/// The CycloneDX 1.4 JSON schema.
pub const CYCLONEDX_14_SCHEMA: &str = include_str!("../schemas/bom-1.4.schema.json");
/// The CycloneDX 1.5 JSON schema.
pub const CYCLONEDX_15_SCHEMA: &str = include_str!("../schemas/bom-1.5.schema.json");
/// The CycloneDX 1.6 JSON schema.
pub const CYCLONEDX_16_SCHEMA: &str = include_str!("../schemas/bom-1.6.schema.json");
/// The CycloneDX 1.7 JSON schema.
pub const CYCLONEDX_17_SCHEMA: &str = include_str!("../schemas/bom-1.7.schema.json");
/// The license identifiers CycloneDX accepts in `license.id` (its `spdx.schema.json`; every
/// CycloneDX version refers to the same file, which only ever grows).
pub const CYCLONEDX_SPDX_SCHEMA: &str = include_str!("../schemas/spdx.schema.json");
/// The JSON signature format schema CycloneDX 1.4 to 1.7 refer to.
pub const CYCLONEDX_JSF_SCHEMA: &str = include_str!("../schemas/jsf-0.82.schema.json");
/// The cryptography definitions CycloneDX 1.7 refers to.
pub const CYCLONEDX_CRYPTO_SCHEMA: &str = include_str!("../schemas/cryptography-defs.schema.json");

/// The SPDX 3.0.1 JSON schema (JSON-LD documents with the 3.0.1 context).
pub const SPDX_301_SCHEMA: &str = include_str!("../schemas/spdx-3.0.1.schema.json");

/// The URIs under which the CycloneDX schemas refer to their companion schemas.
pub const CYCLONEDX_REFERENCED: [(&str, &str); 3] = [
    (
        "http://cyclonedx.org/schema/spdx.schema.json",
        CYCLONEDX_SPDX_SCHEMA,
    ),
    (
        "http://cyclonedx.org/schema/jsf-0.82.schema.json",
        CYCLONEDX_JSF_SCHEMA,
    ),
    (
        "http://cyclonedx.org/schema/cryptography-defs.schema.json",
        CYCLONEDX_CRYPTO_SCHEMA,
    ),
];

/// A specification version whose JSON documents bomsmith reads and judges, each with its own
/// official schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Spec {
    /// SPDX 2.2 (`"spdxVersion": "SPDX-2.2"`).
    Spdx22,
    /// SPDX 2.3.
    Spdx23,
    /// CycloneDX 1.2 (`"specVersion": "1.2"`).
    CycloneDx12,
    /// CycloneDX 1.3.
    CycloneDx13,
    /// CycloneDX 1.4.
    CycloneDx14,
    /// CycloneDX 1.5.
    CycloneDx15,
    /// CycloneDX 1.6.
    CycloneDx16,
    /// CycloneDX 1.7.
    CycloneDx17,
}

impl Spec {
    /// Every version, oldest first, SPDX before CycloneDX.
    pub const ALL: [Spec; 8] = [
        Spec::Spdx22,
        Spec::Spdx23,
        Spec::CycloneDx12,
        Spec::CycloneDx13,
        Spec::CycloneDx14,
        Spec::CycloneDx15,
        Spec::CycloneDx16,
        Spec::CycloneDx17,
    ];

    /// True for the SPDX versions.
    pub fn is_spdx(self) -> bool {
        matches!(self, Spec::Spdx22 | Spec::Spdx23)
    }

    /// The version as documents state it: `SPDX-2.3` (`spdxVersion`), `1.6` (`specVersion`).
    pub fn stated(self) -> &'static str {
        match self {
            Spec::Spdx22 => "SPDX-2.2",
            Spec::Spdx23 => "SPDX-2.3",
            Spec::CycloneDx12 => "1.2",
            Spec::CycloneDx13 => "1.3",
            Spec::CycloneDx14 => "1.4",
            Spec::CycloneDx15 => "1.5",
            Spec::CycloneDx16 => "1.6",
            Spec::CycloneDx17 => "1.7",
        }
    }

    /// Name and version for people: `SPDX 2.3`, `CycloneDX 1.6`.
    pub fn title(self) -> String {
        if self.is_spdx() {
            format!("SPDX {}", &self.stated()[5..])
        } else {
            format!("CycloneDX {}", self.stated())
        }
    }

    /// The SPDX version a document's `spdxVersion` states, if bomsmith reads it.
    pub fn spdx(stated: &str) -> Option<Spec> {
        [Spec::Spdx22, Spec::Spdx23]
            .into_iter()
            .find(|s| s.stated() == stated)
    }

    /// The CycloneDX version a BOM's `specVersion` states, if bomsmith reads it.
    pub fn cyclonedx(stated: &str) -> Option<Spec> {
        Spec::ALL
            .into_iter()
            .find(|s| !s.is_spdx() && s.stated() == stated)
    }

    /// The versions of the same format, oldest first, as `1.2, 1.3, …` for messages.
    pub fn siblings(self) -> String {
        Spec::ALL
            .into_iter()
            .filter(|s| s.is_spdx() == self.is_spdx())
            .map(Spec::stated)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The official JSON schema's text.
    pub fn schema_text(self) -> &'static str {
        match self {
            Spec::Spdx22 => SPDX_22_SCHEMA,
            Spec::Spdx23 => SPDX_23_SCHEMA,
            Spec::CycloneDx12 => CYCLONEDX_12_SCHEMA,
            Spec::CycloneDx13 => CYCLONEDX_13_SCHEMA,
            Spec::CycloneDx14 => CYCLONEDX_14_SCHEMA,
            Spec::CycloneDx15 => CYCLONEDX_15_SCHEMA,
            Spec::CycloneDx16 => CYCLONEDX_16_SCHEMA,
            Spec::CycloneDx17 => CYCLONEDX_17_SCHEMA,
        }
    }

    /// The official JSON schema, parsed once.
    pub fn schema(self) -> &'static Value {
        static PARSED: [OnceLock<Value>; 8] = [const { OnceLock::new() }; 8];
        PARSED[self as usize]
            .get_or_init(|| serde_json::from_str(self.schema_text()).unwrap_or(Value::Null))
    }

    /// The member names the schema allows on its definition `def` (the top level for `""`),
    /// for readers that reject what the version does not have. The SPDX schemas have no
    /// definitions: there `def` is the path of members from the top, dot-separated, through
    /// arrays (`packages`, `packages.externalRefs`, `creationInfo`).
    pub fn fields(self, def: &str) -> Vec<&'static str> {
        self.object_schema(def)
            .and_then(|d| d.get("properties"))
            .and_then(Value::as_object)
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// True when the schema lets `def` (as for [`Spec::fields`]) hold members it does not
    /// name: CycloneDX 1.2 and 1.3 do, later versions and SPDX do not.
    pub fn open(self, def: &str) -> bool {
        self.object_schema(def)
            .is_some_and(|d| d.get("additionalProperties") != Some(&Value::Bool(false)))
    }

    /// The schema of the object `def` names (see [`Spec::fields`]).
    fn object_schema(self, def: &str) -> Option<&'static Value> {
        let schema = self.schema();
        if def.is_empty() {
            return Some(schema);
        }
        if !self.is_spdx() {
            return schema.get("definitions").and_then(|d| d.get(def));
        }
        let mut at = schema;
        for member in def.split('.') {
            at = at.get("properties")?.get(member)?;
            if let Some(items) = at.get("items") {
                at = items;
            }
        }
        Some(at)
    }
}

impl std::fmt::Display for Spec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.title())
    }
}

/// The SARIF 2.1.0 schema, bundled for the tests of the SARIF writer.
#[cfg(test)]
pub(crate) const SARIF_210_SCHEMA: &str = include_str!("../schemas/sarif-2.1.0.schema.json");

/// The OpenVEX 0.2.0 JSON schema.
pub const OPENVEX_020_SCHEMA: &str = include_str!("../schemas/openvex-0.2.0.schema.json");
/// The CSAF 2.0 JSON schema.
pub const CSAF_20_SCHEMA: &str = include_str!("../schemas/csaf-2.0.schema.json");
/// The FIRST CVSS schemas the CSAF schema refers to, under the URIs it uses.
pub const CSAF_REFERENCED: [(&str, &str); 3] = [
    (
        "https://www.first.org/cvss/cvss-v2.0.json",
        include_str!("../schemas/cvss-v2.0.json"),
    ),
    (
        "https://www.first.org/cvss/cvss-v3.0.json",
        include_str!("../schemas/cvss-v3.0.json"),
    ),
    (
        "https://www.first.org/cvss/cvss-v3.1.json",
        include_str!("../schemas/cvss-v3.1.json"),
    ),
];

/// Version (`MAJOR.MINOR`) of the SPDX license list bomsmith checks license expressions
/// against, and so the one its documents name in `licenseListVersion`: the list of the `spdx`
/// crate, whatever release of it is built in.
pub fn license_list_version() -> &'static str {
    static VERSION: OnceLock<String> = OnceLock::new();
    VERSION.get_or_init(|| {
        let full = spdx::license_version();
        let mut parts = full.split('.');
        match (parts.next(), parts.next()) {
            (Some(major), Some(minor)) => format!("{major}.{minor}"),
            _ => full.to_owned(),
        }
    })
}

/// The license identifiers a CycloneDX `license.id` may hold (the bundled
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

/// The SPDX specification's expression syntax (Annex D of SPDX 2.3): deprecated identifiers are
/// still on the license list, so they are valid, and so is `+` after any license, the GNU ones
/// included (`GPL-2.0+` is itself a deprecated identifier of the list).
const PARSE_MODE: spdx::ParseMode = spdx::ParseMode {
    allow_deprecated: true,
    allow_postfix_plus_on_gpl: true,
    ..spdx::ParseMode::STRICT
};

/// Parses an SPDX license expression against the license list; `None` for NONE and
/// NOASSERTION. License and exception identifiers match case-insensitively, as Annex D of
/// SPDX 2.3 says (`mit` is `MIT`); the operators are `AND`, `OR`, `WITH` in upper or lower
/// case.
pub fn license_expression(text: &str) -> Result<Option<spdx::Expression>, String> {
    if matches!(text, "NONE" | "NOASSERTION") {
        return Ok(None);
    }
    spdx::Expression::parse_mode(&canonical_case(text), PARSE_MODE)
        .map(Some)
        .map_err(|e| e.reason.to_string())
}

/// `text` with every license and exception identifier spelt as the license list spells it
/// (same length, so error positions still hold); everything else as it was.
pub fn canonical_case(text: &str) -> std::borrow::Cow<'_, str> {
    static BY_LOWER: OnceLock<std::collections::HashMap<String, &'static str>> = OnceLock::new();
    let by_lower = BY_LOWER.get_or_init(|| {
        let licenses = spdx::identifiers::LICENSES.iter().map(|l| l.name);
        let exceptions = spdx::identifiers::EXCEPTIONS.iter().map(|e| e.name);
        licenses
            .chain(exceptions)
            .map(|name| (name.to_ascii_lowercase(), name))
            .collect()
    });
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    let mut start = 0;
    let ends = text
        .char_indices()
        .filter(|(_, c)| c.is_whitespace() || matches!(c, '(' | ')' | '+'))
        .map(|(i, c)| (i, Some(c)))
        .chain(std::iter::once((text.len(), None)));
    for (i, separator) in ends {
        let word = &text[start..i];
        match by_lower.get(&word.to_ascii_lowercase()) {
            Some(canonical) if *canonical != word => {
                out.push_str(canonical);
                changed = true;
            }
            _ => out.push_str(word),
        }
        if let Some(c) = separator {
            out.push(c);
            start = i + c.len_utf8();
        }
    }
    if changed {
        std::borrow::Cow::Owned(out)
    } else {
        std::borrow::Cow::Borrowed(text)
    }
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
                "spdx-2.2.schema.json",
                SPDX_22_SCHEMA,
                "spec/spdx-2.2/schemas/spdx-schema.json",
            ),
            (
                "bom-1.2.schema.json",
                CYCLONEDX_12_SCHEMA,
                "spec/cyclonedx/bom-1.2.schema.json",
            ),
            (
                "bom-1.3.schema.json",
                CYCLONEDX_13_SCHEMA,
                "spec/cyclonedx/bom-1.3.schema.json",
            ),
            (
                "bom-1.4.schema.json",
                CYCLONEDX_14_SCHEMA,
                "spec/cyclonedx/bom-1.4.schema.json",
            ),
            (
                "bom-1.5.schema.json",
                CYCLONEDX_15_SCHEMA,
                "spec/cyclonedx/bom-1.5.schema.json",
            ),
            (
                "bom-1.6.schema.json",
                CYCLONEDX_16_SCHEMA,
                "spec/cyclonedx/bom-1.6.schema.json",
            ),
            (
                "bom-1.7.schema.json",
                CYCLONEDX_17_SCHEMA,
                "spec/cyclonedx/bom-1.7.schema.json",
            ),
            (
                "cryptography-defs.schema.json",
                CYCLONEDX_CRYPTO_SCHEMA,
                "spec/cyclonedx/cryptography-defs.schema.json",
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
                "spdx-3.0.1.schema.json",
                SPDX_301_SCHEMA,
                "spec/spdx-3.0.1/rdf/schema.json",
            ),
            (
                "sarif-2.1.0.schema.json",
                SARIF_210_SCHEMA,
                "spec/sarif/sarif-schema-2.1.0.json",
            ),
            (
                "openvex-0.2.0.schema.json",
                OPENVEX_020_SCHEMA,
                "spec/openvex/openvex_json_schema.json",
            ),
            (
                "csaf-2.0.schema.json",
                CSAF_20_SCHEMA,
                "spec/csaf/csaf_json_schema.json",
            ),
            (
                "cvss-v2.0.json",
                CSAF_REFERENCED[0].1,
                "spec/csaf/referenced/cvss-v2.0.json",
            ),
            (
                "cvss-v3.0.json",
                CSAF_REFERENCED[1].1,
                "spec/csaf/referenced/cvss-v3.0.json",
            ),
            (
                "cvss-v3.1.json",
                CSAF_REFERENCED[2].1,
                "spec/csaf/referenced/cvss-v3.1.json",
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
        for spec in Spec::ALL {
            assert!(spec.schema().is_object(), "{spec}");
            assert!(!spec.fields("").is_empty(), "{spec}");
        }
        assert!(
            Spec::Spdx23
                .fields("packages")
                .contains(&"primaryPackagePurpose")
        );
        assert!(
            !Spec::Spdx22
                .fields("packages")
                .contains(&"primaryPackagePurpose")
        );
        assert!(
            Spec::Spdx22
                .fields("packages.externalRefs")
                .contains(&"referenceLocator")
        );
        assert!(
            Spec::Spdx22
                .fields("creationInfo")
                .contains(&"licenseListVersion")
        );
        assert!(Spec::Spdx23.fields("nothing.here").is_empty());
        assert!(Spec::CycloneDx12.open("component") && Spec::CycloneDx13.open(""));
        assert!(!Spec::CycloneDx14.open("component") && !Spec::Spdx22.open("packages"));
        assert_eq!(Spec::cyclonedx("1.7"), Some(Spec::CycloneDx17));
        assert_eq!(Spec::spdx("SPDX-2.2"), Some(Spec::Spdx22));
        assert_eq!(Spec::spdx("SPDX-2.1"), None);
        assert_eq!(Spec::cyclonedx("SPDX-2.3"), None);
        assert_eq!(Spec::CycloneDx12.siblings(), "1.2, 1.3, 1.4, 1.5, 1.6, 1.7");
        assert_eq!(Spec::Spdx22.title(), "SPDX 2.2");
        assert!(
            license_expression("MIT OR Apache-2.0")
                .expect("valid")
                .is_some()
        );
        assert!(license_expression("NOASSERTION").expect("valid").is_none());
        assert!(license_expression("MIT AND").is_err());
        assert_eq!(license_list_version(), "3.29");
    }

    /// `validate` rejected valid expressions: the deprecated (still listed) `GPL-2.0+` and
    /// `LGPL-2.1+`, and identifiers in another case (`mit`), which SPDX 2.3 Annex D says match
    /// case-insensitively.
    #[test]
    fn deprecated_plus_and_lower_case_license_ids_are_valid() {
        for text in [
            "GPL-2.0+",
            "LGPL-2.1+",
            "mit",
            "apache-2.0 OR mit",
            "(gpl-2.0-only with classpath-exception-2.0) and bsd-3-clause",
            "GPL-2.0-or-later WITH Classpath-exception-2.0",
            "LicenseRef-mine AND Zlib",
        ] {
            assert!(license_expression(text).is_ok(), "{text}");
        }
        for text in [
            "MIT-NOT-A-LICENSE",
            "MIT And Zlib",
            "GPL-2.0 +",
            "mit WITH nothing",
        ] {
            assert!(license_expression(text).is_err(), "{text}");
        }
        // Case is canonicalised without moving anything.
        assert_eq!(canonical_case("mit OR (gpl-2.0+)"), "MIT OR (GPL-2.0+)");
        assert_eq!(canonical_case("LicenseRef-x"), "LicenseRef-x");
    }
}
