//! The official JSON schemas, bundled at build time (see `build.rs`) and compiled once, on
//! first use, with format checks on and every reference resolved from the bundle: nothing is
//! ever fetched.

use super::{Rule, Sink};
use serde_json::Value;
use std::sync::OnceLock;

const SPDX_23: &str = include_str!(concat!(env!("OUT_DIR"), "/spdx-2.3.schema.json"));
const CDX_16: &str = include_str!(concat!(env!("OUT_DIR"), "/bom-1.6.schema.json"));
const CDX_SPDX: &str = include_str!(concat!(env!("OUT_DIR"), "/spdx.schema.json"));
const CDX_JSF: &str = include_str!(concat!(env!("OUT_DIR"), "/jsf-0.82.schema.json"));

/// The bundled CycloneDX 1.6 schema, parsed once.
pub fn cyclonedx_schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| serde_json::from_str(CDX_16).unwrap_or(Value::Null))
}

/// The license identifiers a CycloneDX 1.6 `license.id` may hold (the bundled
/// `spdx.schema.json` enumeration).
pub fn cyclonedx_license_ids() -> &'static std::collections::HashSet<String> {
    static IDS: OnceLock<std::collections::HashSet<String>> = OnceLock::new();
    IDS.get_or_init(|| {
        let v: Value = serde_json::from_str(CDX_SPDX).unwrap_or(Value::Null);
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

/// At most this many schema errors are reported per document; one more diagnostic says so.
pub const MAX_ERRORS: usize = 1000;

/// A bundled schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schema {
    /// SPDX 2.3 JSON.
    Spdx23,
    /// CycloneDX 1.6 JSON.
    CycloneDx16,
}

impl Schema {
    /// The schema's own text.
    pub fn text(self) -> &'static str {
        match self {
            Schema::Spdx23 => SPDX_23,
            Schema::CycloneDx16 => CDX_16,
        }
    }

    fn validator(self) -> &'static Result<jsonschema::Validator, String> {
        static SPDX: OnceLock<Result<jsonschema::Validator, String>> = OnceLock::new();
        static CDX: OnceLock<Result<jsonschema::Validator, String>> = OnceLock::new();
        let cell = match self {
            Schema::Spdx23 => &SPDX,
            Schema::CycloneDx16 => &CDX,
        };
        cell.get_or_init(|| self.compile().map_err(|e| e.to_string()))
    }

    fn compile(self) -> Result<jsonschema::Validator, Box<dyn std::error::Error>> {
        let schema: Value = serde_json::from_str(self.text())?;
        let mut registry = jsonschema::Registry::new();
        if self == Schema::CycloneDx16 {
            for (uri, text) in [
                ("http://cyclonedx.org/schema/spdx.schema.json", CDX_SPDX),
                ("http://cyclonedx.org/schema/jsf-0.82.schema.json", CDX_JSF),
            ] {
                registry = registry.add(uri, serde_json::from_str::<Value>(text)?)?;
            }
        }
        let registry = registry.prepare()?;
        Ok(jsonschema::options()
            .offline()
            .should_validate_formats(true)
            .with_registry(&registry)
            .build(&schema)?)
    }
}

/// Reports where `doc` breaks `schema`, under `rule`, leaving out what a more precise rule has
/// already reported at the same place.
pub fn check(schema: Schema, doc: &Value, rule: &'static Rule, sink: &mut Sink) {
    let validator = match schema.validator() {
        Ok(v) => v,
        Err(e) => {
            sink.report(
                rule,
                "",
                format!("the bundled schema does not compile: {e}"),
            );
            return;
        }
    };
    let mut reported = 0;
    for error in validator.iter_errors(doc) {
        let pointer = error.instance_path().to_string();
        if sink.covers(&pointer) {
            continue;
        }
        if reported == MAX_ERRORS {
            sink.report(
                rule,
                "",
                format!("more than {MAX_ERRORS} schema errors; the rest are not listed"),
            );
            break;
        }
        reported += 1;
        sink.report(rule, pointer, shorten(&error.to_string()));
    }
}

/// A schema message cut to a readable length (messages quote the offending value).
fn shorten(message: &str) -> String {
    const MAX: usize = 240;
    if message.chars().count() <= MAX {
        return message.to_owned();
    }
    let mut out: String = message.chars().take(MAX).collect();
    out.push_str(" …");
    out
}
