//! The official JSON schemas (bundled, see [`crate::spec`]) compiled once, on first use, with
//! format checks on and every reference resolved from the bundle: nothing is ever fetched.

use super::{Rule, Sink};
use crate::spec::{self, Spec};
use serde_json::Value;
use std::sync::OnceLock;

/// At most this many schema errors are reported per document; one more diagnostic says so.
pub const MAX_ERRORS: usize = 1000;

/// The compiled validator of `spec`'s schema, built once per version.
fn validator(spec: Spec) -> &'static Result<jsonschema::Validator, String> {
    static COMPILED: [OnceLock<Result<jsonschema::Validator, String>>; 8] =
        [const { OnceLock::new() }; 8];
    COMPILED[spec as usize].get_or_init(|| compile(spec).map_err(|e| e.to_string()))
}

fn compile(spec: Spec) -> Result<jsonschema::Validator, Box<dyn std::error::Error>> {
    let schema: Value = serde_json::from_str(spec.schema_text())?;
    let mut registry = jsonschema::Registry::new();
    if !spec.is_spdx() {
        for (uri, text) in spec::CYCLONEDX_REFERENCED {
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

/// Reports where `doc` breaks `schema`, under `rule`, leaving out what a more precise rule has
/// already reported at the same place.
pub fn check(spec: Spec, doc: &Value, rule: &'static Rule, sink: &mut Sink) {
    let validator = match validator(spec) {
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
        if sink.covers(&pointer) || super::spdx::overruled(spec, doc, &pointer) {
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
