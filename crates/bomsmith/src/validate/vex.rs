//! VEX documents judged: OpenVEX against the OpenVEX 0.2.0 schema, CSAF against the CSAF 2.0
//! schema (with the FIRST CVSS schemas it references), both bundled; then every statement of an
//! OpenVEX, CSAF or CycloneDX VEX document against the status rules (CISA's minimum
//! requirements: `not_affected` needs a justification or an impact statement, `affected` an
//! action statement).

use super::Sink;
use crate::format::{ReadReport, csaf, cyclonedx, openvex};
use crate::model::vex::VexDocument;
use crate::spec;
use serde_json::Value;
use std::sync::OnceLock;

crate::rules! {
    RULES, "vex", "docs/validate.md";
    SCHEMA = "VEX001", "vex-schema", Error,
        "The VEX document breaks its format's official JSON schema (OpenVEX 0.2.0, or CSAF 2.0 with the FIRST CVSS schemas it references).";
    STATUS_RULE = "VEX002", "vex-status-rule", Error,
        "A statement breaks a status rule: `not_affected` needs a justification or an impact statement, `affected` an action statement (CISA's minimum requirements for VEX), and every statement names a vulnerability and a product.";
    UNREADABLE = "VEX003", "vex-unreadable", Error,
        "The document has a VEX format's shape but cannot be read as one: an unknown status or justification, a statement without a vulnerability, a product without an identifier.";
    CYCLONEDX_STATUS_RULE = "VEX004", "cyclonedx-vex-status-rule", Warning,
        "A CycloneDX vulnerability with an `analysis` breaks a CISA status rule (as VEX002); CycloneDX itself does not require it, so the BOM stays valid.";
}

/// Which VEX format a JSON value is, when it is one `validate` judges by its own schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VexKind {
    /// OpenVEX.
    OpenVex,
    /// CSAF.
    Csaf,
}

impl VexKind {
    /// Tells a parsed document's VEX format.
    pub fn of(doc: &Value) -> Option<VexKind> {
        if openvex::is_openvex(doc) {
            Some(VexKind::OpenVex)
        } else if csaf::is_csaf(doc) {
            Some(VexKind::Csaf)
        } else {
            None
        }
    }

    /// The format and version judged by (`OpenVEX 0.2.0`, `CSAF 2.0`).
    pub fn title(self) -> &'static str {
        match self {
            VexKind::OpenVex => "OpenVEX 0.2.0",
            VexKind::Csaf => "CSAF 2.0",
        }
    }
}

fn compile(kind: VexKind) -> Result<jsonschema::Validator, Box<dyn std::error::Error>> {
    let text = match kind {
        VexKind::OpenVex => spec::OPENVEX_020_SCHEMA,
        VexKind::Csaf => spec::CSAF_20_SCHEMA,
    };
    let schema: Value = serde_json::from_str(text)?;
    let mut registry = jsonschema::Registry::new();
    if kind == VexKind::Csaf {
        for (uri, text) in spec::CSAF_REFERENCED {
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

fn validator(kind: VexKind) -> &'static Result<jsonschema::Validator, String> {
    static COMPILED: [OnceLock<Result<jsonschema::Validator, String>>; 2] =
        [const { OnceLock::new() }; 2];
    COMPILED[kind as usize].get_or_init(|| compile(kind).map_err(|e| e.to_string()))
}

/// Judges an OpenVEX or CSAF document: its schema, then its statements.
pub fn check(kind: VexKind, doc: &Value, sink: &mut Sink) {
    match validator(kind) {
        Ok(v) => {
            for (n, error) in v.iter_errors(doc).enumerate() {
                if n == super::schema::MAX_ERRORS {
                    sink.report(
                        &SCHEMA,
                        "",
                        format!(
                            "more than {} schema errors; the rest are not listed",
                            super::schema::MAX_ERRORS
                        ),
                    );
                    break;
                }
                sink.report(
                    &SCHEMA,
                    error.instance_path().to_string(),
                    error.to_string(),
                );
            }
        }
        Err(e) => sink.report(
            &SCHEMA,
            "",
            format!("the bundled schema does not compile: {e}"),
        ),
    }
    let read = match kind {
        VexKind::OpenVex => openvex::read(doc, ""),
        VexKind::Csaf => csaf::read(doc, ""),
    };
    statements(read, kind == VexKind::OpenVex, &STATUS_RULE, sink);
}

/// Judges the VEX statements of a CycloneDX BOM: its vulnerabilities that have an `analysis`
/// (one without is a scanner's finding, not a statement). Its schema is judged as a BOM's.
pub fn check_cyclonedx(doc: &Value, sink: &mut Sink) {
    let Some(list) = doc.get("vulnerabilities").and_then(Value::as_array) else {
        return;
    };
    let analysed: Vec<Value> = list
        .iter()
        .filter(|v| v.get("analysis").is_some())
        .cloned()
        .collect();
    if analysed.is_empty() {
        return;
    }
    let mut only = doc.clone();
    only["vulnerabilities"] = Value::Array(analysed);
    statements(
        cyclonedx::vex::read(&only, ""),
        false,
        &CYCLONEDX_STATUS_RULE,
        sink,
    );
}

fn statements(
    read: crate::Result<(VexDocument, ReadReport)>,
    indexed: bool,
    rule: &'static crate::diag::Rule,
    sink: &mut Sink,
) {
    match read {
        Ok((d, _)) => {
            for (i, s) in d.statements.iter().enumerate() {
                // OpenVEX statements are the document's own, one for one; the other formats'
                // are gathered from several places, named by their vulnerability.
                let at = if indexed {
                    format!("/statements/{i}")
                } else {
                    "/vulnerabilities".to_owned()
                };
                for b in s.rule_breaks() {
                    sink.report(rule, at.clone(), format!("{}: {b}", s.vulnerability.name));
                }
            }
        }
        Err(crate::Error::Document {
            pointer, message, ..
        }) => sink.report(&UNREADABLE, pointer, message),
        Err(e) => sink.report(&UNREADABLE, "", e.to_string()),
    }
}
