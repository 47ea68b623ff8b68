//! `validate`: checks SPDX 2.3 and CycloneDX 1.6 JSON documents against the official schemas
//! (bundled), the specifications' semantic rules, and the NTIA, BSI TR-03183-2 (v2.0.0 and
//! v2.1.0) and CISA FSCT3 profiles.
//!
//! Every diagnostic has a stable rule code, a JSON pointer, and a line and column. Documents
//! are parsed once into `serde_json::Value`; positions are found afterwards, and only for what
//! is reported (see [`locate`]), so a clean document costs one parse and linear checks.

pub mod bsi;
pub mod bsi21;
pub mod cdx;
pub mod fsct3;
pub mod locate;
pub mod ntia;
pub mod schema;
pub mod spdx;
pub mod spdx3;
pub mod vex;

use crate::diag::Location;
pub use crate::diag::{Diagnostic, Rule, RuleSet, Severity};
pub use crate::json::pointer_child as child;
use serde_json::Value;

crate::rules! {
    GENERAL_RULES, "json", "docs/validate.md";
    MALFORMED_JSON = "JSON001", "malformed-json", Error,
        "The file is not well-formed JSON (or not UTF-8).";
    UNKNOWN_FORMAT = "JSON002", "unknown-format", Error,
        "The document is neither SPDX (`spdxVersion`) nor CycloneDX (`bomFormat`/`specVersion`), or not the format the chosen profile checks.";
    NOT_JUDGED = "JSON003", "format-not-judged", Error,
        "The document is an SBOM in a form bomsmith does not judge yet: SPDX 3 JSON-LD of a version other than 3.0.1, SPDX RDF/XML or YAML, CycloneDX XML or YAML.";
    MALFORMED_TAG_VALUE = "TV001", "malformed-tag-value", Error,
        "The SPDX tag-value document cannot be read: a line that is not `Tag: value`, an unknown tag, a tag outside its section or given twice, a `<text>` never closed, a malformed checksum, relationship, reference, range or verification code, an annotation on no element, or bytes that are not UTF-8. Named by file and line.";
}

/// The rule sets of `validate`, in the order they are listed.
pub const RULE_SETS: [&RuleSet; 9] = [
    &GENERAL_RULES,
    &spdx::RULES,
    &spdx3::RULES,
    &cdx::RULES,
    &ntia::RULES,
    &bsi::RULES,
    &bsi21::RULES,
    &fsct3::RULES,
    &vex::RULES,
];

/// Every rule of every profile, in code order within each group.
pub fn all_rules() -> impl Iterator<Item = &'static Rule> {
    RULE_SETS.into_iter().flat_map(|s| s.rules.iter())
}

/// The rule with `code` or name (case-insensitive).
pub fn rule(code: &str) -> Option<&'static Rule> {
    all_rules().find(|r| r.is(code))
}

/// A set of rules to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// SPDX 2.3: schema and semantics.
    Spdx,
    /// CycloneDX 1.6: schema and semantics.
    CycloneDx,
    /// NTIA minimum elements, on either format.
    Ntia,
    /// BSI TR-03183-2 v2.0.0 fields, on either format (`bsi-2.0`).
    Bsi,
    /// BSI TR-03183-2 v2.1.0 (August 2025): CycloneDX 1.6 and later only (`bsi-2.1`; `bsi`
    /// names the newest version).
    Bsi21,
    /// CISA Framing Software Component Transparency (2024), minimum expected, as
    /// ntia-conformance-checker's `fsct3-min` judges it, on either format.
    Fsct3,
}

impl Profile {
    /// Every profile.
    pub const ALL: [Profile; 6] = [
        Profile::Spdx,
        Profile::CycloneDx,
        Profile::Ntia,
        Profile::Bsi,
        Profile::Bsi21,
        Profile::Fsct3,
    ];

    /// Other names a profile goes by: `bsi` is the newest BSI TR-03183-2 version.
    pub const ALIASES: [(&'static str, Profile); 1] = [("bsi", Profile::Bsi21)];

    /// Name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Spdx => "spdx",
            Profile::CycloneDx => "cyclonedx",
            Profile::Ntia => "ntia",
            Profile::Bsi => "bsi-2.0",
            Profile::Bsi21 => "bsi-2.1",
            Profile::Fsct3 => "fsct3",
        }
    }

    /// The profile called `name`, or by one of [`Profile::ALIASES`].
    pub fn from_name(name: &str) -> Option<Profile> {
        Profile::ALL
            .into_iter()
            .find(|p| p.name() == name)
            .or_else(|| {
                Profile::ALIASES
                    .into_iter()
                    .find_map(|(alias, p)| (alias == name).then_some(p))
            })
    }
}

use crate::format::Kind;
use crate::spec::Spec;

/// Collects diagnostics while a document is checked; positions come later.
#[derive(Debug, Default)]
pub struct Sink {
    diagnostics: Vec<(&'static Rule, String, String)>,
    pointers: std::collections::HashSet<String>,
}

impl Sink {
    /// Records a problem at `pointer`.
    pub fn report(&mut self, rule: &'static Rule, pointer: impl Into<String>, message: String) {
        let pointer = pointer.into();
        // A note is no problem: it must not hide a schema error at the same place (a package
        // without `downloadLocation` and without a verification code was judged valid).
        if rule.severity != Severity::Info {
            self.pointers.insert(pointer.clone());
        }
        self.diagnostics.push((rule, pointer, message));
    }

    /// True when a diagnostic is already at `pointer` or at one of its ancestors (the
    /// document root aside): a schema error there is the same problem, said less precisely.
    fn covers(&self, pointer: &str) -> bool {
        let mut p = pointer;
        while !p.is_empty() {
            if self.pointers.contains(p) {
                return true;
            }
            p = p.rfind('/').map_or("", |i| &p[..i]);
        }
        false
    }
}

/// What `validate` judges, for messages about what it does not.
const JUDGES: &str = "bomsmith judges SPDX 2.2 and 2.3 JSON and tag-value, SPDX 3.0.1 JSON-LD and CycloneDX 1.2 to 1.7 JSON, and OpenVEX 0.2.0 and CSAF 2.0 VEX documents";

/// What checking one document found.
#[derive(Debug, Clone)]
pub struct Report {
    /// The file, as named by the caller.
    pub file: String,
    /// Its format, when it could be told.
    pub kind: Option<Kind>,
    /// Its format version as stated (`SPDX-2.3`, `1.6`), when stated.
    pub version: Option<String>,
    /// The specification version it was judged by, when bomsmith knows the one it states.
    pub spec: Option<Spec>,
    /// For a VEX document (OpenVEX, CSAF), its format.
    pub vex: Option<vex::VexKind>,
    /// The problems, in document order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    /// Number of diagnostics of `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// Checks the document `text` (named `file`) under `profiles`. With no format profile among
/// them, the format's own is chosen by content; NTIA and BSI add to it.
pub fn validate(file: &str, text: &[u8], profiles: &[Profile]) -> Report {
    let mut report = Report {
        file: file.to_owned(),
        kind: None,
        version: None,
        spec: None,
        vex: None,
        diagnostics: Vec::new(),
    };
    let text = crate::format::strip_bom(text);
    if let Some(what) = crate::format::not_a_document(text) {
        let mut at = Location::line(file, 1, 1);
        at.pointer = Some(String::new());
        report.diagnostics.push(Diagnostic::new(
            &UNKNOWN_FORMAT,
            at,
            format!("{what}, not an SBOM; {JUDGES}"),
        ));
        return report;
    }
    // SPDX tag-value is parsed into the JSON shape, so the same rules judge it; its
    // diagnostics are placed at the lines that said each value.
    let mut tag_value = None;
    let parsed = if crate::format::spdx2::tv_read::sniff(text) {
        match crate::format::spdx2::tv_read::parse(text, file) {
            Ok(p) => {
                tag_value = Some((p.lines, p.not_utf8));
                Ok(p.value)
            }
            Err(e) => {
                let (line, message) = match e {
                    crate::Error::Text { line, message, .. } => (line, message),
                    other => (1, other.to_string()),
                };
                report.diagnostics.push(Diagnostic::new(
                    &MALFORMED_TAG_VALUE,
                    Location::line(file, line, 1),
                    message,
                ));
                return report;
            }
        }
    } else {
        serde_json::from_slice(text)
    };
    let doc: Value = match parsed {
        Ok(v) => v,
        Err(_) if crate::format::not_read(text).is_some() => {
            let what = crate::format::not_read(text).unwrap_or_default();
            let mut at = Location::line(file, 1, 1);
            at.pointer = Some(String::new());
            report.diagnostics.push(Diagnostic::new(
                &NOT_JUDGED,
                at,
                format!("this is {what}; {JUDGES}"),
            ));
            return report;
        }
        Err(e) => {
            let mut at = Location::line(file, e.line().max(1), e.column().max(1));
            at.pointer = Some(String::new());
            report.diagnostics.push(Diagnostic::new(
                &MALFORMED_JSON,
                at,
                format!("malformed JSON: {e}"),
            ));
            return report;
        }
    };
    let mut sink = Sink::default();
    let kind = Kind::of(&doc);
    report.kind = kind;
    let wants = |p: Profile| profiles.contains(&p);
    match kind {
        None if vex::VexKind::of(&doc).is_some() => {
            if let Some(v) = vex::VexKind::of(&doc) {
                report.vex = Some(v);
                vex::check(v, &doc, &mut sink);
            }
        }
        None if crate::format::spdx3::is_spdx3(&doc)
            && crate::format::not_read_json(&doc).is_none() =>
        {
            report.kind = Some(Kind::Spdx);
            report.version = Some(crate::format::spdx3::SPEC_VERSION.to_owned());
            spdx3::check_profiles(&doc, profiles, &mut sink);
        }
        None => match crate::format::not_read_json(&doc) {
            Some(what) => sink.report(&NOT_JUDGED, "", format!("this is {what}; {JUDGES}")),
            None => sink.report(
                &UNKNOWN_FORMAT,
                "",
                "neither an SPDX document (no `spdxVersion`) nor a CycloneDX BOM (no `bomFormat`)"
                    .into(),
            ),
        },
        Some(kind) => {
            let asked = [
                (Profile::Spdx, Kind::Spdx),
                (Profile::CycloneDx, Kind::CycloneDx),
            ]
            .into_iter()
            .find(|(p, k)| wants(*p) && *k != kind);
            if let Some((p, _)) = asked {
                sink.report(
                    &UNKNOWN_FORMAT,
                    "",
                    format!(
                        "profile `{}` checks {} documents, and this is a {} document",
                        p.name(),
                        if p == Profile::Spdx {
                            "SPDX"
                        } else {
                            "CycloneDX"
                        },
                        kind.name()
                    ),
                );
            }
            let stated = match kind {
                Kind::Spdx => doc.get("spdxVersion"),
                Kind::CycloneDx => doc.get("specVersion"),
            };
            report.version = stated.and_then(Value::as_str).map(str::to_owned);
            let spec = match (kind, report.version.as_deref()) {
                (Kind::Spdx, Some(v)) => Spec::spdx(v).ok_or(v),
                (Kind::CycloneDx, Some(v)) => Spec::cyclonedx(v).ok_or(v),
                // Without a stated version, the newest version's schema says what is missing.
                (Kind::Spdx, None) => Ok(Spec::Spdx23),
                (Kind::CycloneDx, None) => Ok(Spec::CycloneDx17),
            };
            // Only a stated version is reported as the one judged by.
            report.spec = spec.ok().filter(|_| report.version.is_some());
            match (kind, spec) {
                (Kind::Spdx, Ok(spec)) => {
                    spdx::check(spec, &doc, &mut sink);
                    schema::check(spec, &doc, &spdx::SCHEMA, &mut sink);
                }
                (Kind::CycloneDx, Ok(spec)) => {
                    cdx::check(spec, &doc, &mut sink);
                    schema::check(spec, &doc, &cdx::SCHEMA, &mut sink);
                    vex::check_cyclonedx(&doc, &mut sink);
                }
                (Kind::Spdx, Err(stated)) => sink.report(
                    &spdx::SPDX_VERSION,
                    "/spdxVersion",
                    format!(
                        "spdxVersion is `{stated}`: bomsmith judges {} (SPDX 3 is JSON-LD, with no spdxVersion)",
                        Spec::Spdx23.siblings()
                    ),
                ),
                (Kind::CycloneDx, Err(stated)) => sink.report(
                    &cdx::SPEC_VERSION,
                    "/specVersion",
                    format!(
                        "specVersion is `{stated}`: bomsmith judges CycloneDX {}",
                        Spec::CycloneDx17.siblings()
                    ),
                ),
            }
            if wants(Profile::Ntia) {
                ntia::check(kind, &doc, &mut sink);
            }
            if wants(Profile::Bsi) {
                bsi::check(kind, &doc, &mut sink);
            }
            if wants(Profile::Bsi21) {
                bsi21::check(kind, &doc, &mut sink);
            }
            if wants(Profile::Fsct3) {
                fsct3::check(kind, &doc, &mut sink);
            }
        }
    }
    // Freeing a large document's tree takes a good part of the time; another thread does it
    // while the diagnostics are placed and printed.
    if text.len() > 1 << 20 {
        std::thread::spawn(move || drop(doc));
    } else {
        drop(doc);
    }
    let mut found = sink.diagnostics;
    if let Some(&line) = tag_value.as_ref().and_then(|(_, bad)| bad.first()) {
        found.push((
            &MALFORMED_TAG_VALUE,
            format!("#line{line}"),
            "this line holds bytes that are not UTF-8 (SPDX documents are UTF-8)".to_owned(),
        ));
    }
    if !found.is_empty() {
        let pointers: Vec<&str> = found.iter().map(|(_, p, _)| p.as_str()).collect();
        let places = match &tag_value {
            Some((lines, bad)) => tag_value_places(lines, bad, &pointers),
            None => locate::locate(text, &pointers),
        };
        let mut diagnostics: Vec<Diagnostic> = found
            .into_iter()
            .map(|(rule, pointer, message)| {
                let (line, column) = places.get(&pointer).copied().unwrap_or((1, 1));
                let mut at = Location::line(file, line, column);
                at.pointer = (!pointer.starts_with("#line")).then_some(pointer);
                Diagnostic::new(rule, at, message)
            })
            .collect();
        diagnostics.sort_by(|a, b| {
            (a.location.line, a.location.column, a.rule.code, &a.message).cmp(&(
                b.location.line,
                b.location.column,
                b.rule.code,
                &b.message,
            ))
        });
        report.diagnostics = diagnostics;
    }
    report
}

/// The line of each pointer of a tag-value document (column 1: a line says one value), and
/// of the `#lineN` marks of lines that are not UTF-8.
fn tag_value_places(
    lines: &crate::format::spdx2::tv_read::Lines,
    bad: &[usize],
    pointers: &[&str],
) -> std::collections::HashMap<String, (usize, usize)> {
    pointers
        .iter()
        .map(|p| {
            let line = match p.strip_prefix("#line").and_then(|n| n.parse().ok()) {
                Some(n) if bad.contains(&n) => n,
                _ => lines.line(p),
            };
            ((*p).to_owned(), (line, 1))
        })
        .collect()
}

/// `/a/b` + 3 → `/a/b/3`.
pub fn item(pointer: &str, index: usize) -> String {
    format!("{pointer}/{index}")
}

/// The string members of an object, or nothing.
pub(crate) fn str_at<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key).and_then(Value::as_str)
}

/// The elements of an array member, or none.
pub(crate) fn array_at<'v>(v: &'v Value, key: &str) -> &'v [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}
