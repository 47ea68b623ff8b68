//! Diagnostics for people (one line each, details indented), for programs (one JSON shape for
//! every command) and for code-scanning tools (SARIF 2.1.0).
//!
//! A [`Help`] is spelt out by the front end: each renderer takes a function that gives the text
//! completing the message (`" or pass --online to fetch it"`), or an empty string.

use super::{Diagnostic, Help, RuleSet, Severity, Summary};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The front end's words for a [`Help`]: text appended to the message, or empty.
pub type HelpText<'a> = &'a dyn Fn(Help) -> String;

/// No help text at all (for callers that have no options to point to).
pub fn no_help(_: Help) -> String {
    String::new()
}

/// The message of `d` completed by its help text.
pub fn message(d: &Diagnostic, help: HelpText<'_>) -> String {
    match d.help {
        Some(h) => format!("{}{}", d.message, help(h)),
        None => d.message.clone(),
    }
}

/// `location: CODE severity: message (pointer)`.
pub fn human_line(d: &Diagnostic, help: HelpText<'_>) -> String {
    let pointer = match &d.location.pointer {
        Some(p) if !p.is_empty() => format!(" ({p})"),
        _ => String::new(),
    };
    format!(
        "{}: {} {}: {}{pointer}",
        d.location,
        d.rule.code,
        d.severity.name(),
        message(d, help)
    )
}

/// Every diagnostic as [`human_line`], each followed by its details indented by four spaces.
pub fn human(diagnostics: &[Diagnostic], help: HelpText<'_>) -> String {
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&human_line(d, help));
        out.push('\n');
        for line in &d.details {
            let _ = writeln!(out, "    {line}");
        }
    }
    out
}

/// One diagnostic in the JSON report.
#[derive(Debug, Serialize)]
struct JsonDiagnostic<'a> {
    code: &'static str,
    rule: &'static str,
    severity: Severity,
    message: String,
    file: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    member: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pointer: Option<&'a str>,
    details: &'a [String],
}

/// The JSON report of every command: what it looked at (`inputs`, in the command's own terms),
/// every diagnostic, and the counts.
#[derive(Debug, Serialize)]
struct JsonReport<'a, I: Serialize> {
    inputs: &'a [I],
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: Summary,
}

/// The JSON report: `{"inputs": [...], "diagnostics": [...], "summary": {...}}`, indented,
/// with a final newline.
pub fn json<I: Serialize>(inputs: &[I], diagnostics: &[Diagnostic], help: HelpText<'_>) -> String {
    let report = JsonReport {
        inputs,
        diagnostics: diagnostics
            .iter()
            .map(|d| JsonDiagnostic {
                code: d.rule.code,
                rule: d.rule.name,
                severity: d.severity,
                message: message(d, help),
                file: &d.location.file,
                member: d.location.member.as_deref(),
                line: d.location.line,
                column: d.location.column,
                pointer: d.location.pointer.as_deref(),
                details: &d.details,
            })
            .collect(),
        summary: Summary::of(diagnostics),
    };
    let mut s = serde_json::to_string_pretty(&report).unwrap_or_else(|e| {
        // Serialising plain structs of strings and numbers cannot fail; say so if it ever does.
        format!("{{\"error\": \"the report could not be serialised: {e}\"}}")
    });
    s.push('\n');
    s
}

/// Where the SARIF rules of a run live, so that `ruleIndex` is stable for a command.
const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The repository that documents the rules.
const REPOSITORY: &str = "https://github.com/bomsmith/bomsmith";

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLog {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<SarifRun>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRun {
    tool: SarifTool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    artifacts: Vec<SarifArtifact>,
    results: Vec<SarifResult>,
}

#[derive(Debug, Serialize)]
struct SarifTool {
    driver: SarifDriver,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifDriver {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<SarifRule>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRule {
    id: &'static str,
    name: &'static str,
    short_description: SarifText,
    full_description: SarifText,
    default_configuration: SarifConfiguration,
    help_uri: String,
}

#[derive(Debug, Serialize)]
struct SarifText {
    text: String,
}

#[derive(Debug, Serialize)]
struct SarifConfiguration {
    level: &'static str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifArtifact {
    location: SarifArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_index: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
struct SarifArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    index: Option<usize>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: SarifText,
    locations: Vec<SarifLocation>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    physical_location: SarifPhysical,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<SarifLogical>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifPhysical {
    artifact_location: SarifArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<SarifRegion>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRegion {
    start_line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<usize>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLogical {
    fully_qualified_name: String,
    kind: &'static str,
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A path as a URI reference: `/`-separated, everything outside the unreserved and
/// sub-delimiter characters percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// A SARIF 2.1.0 log of one run: every rule of `sets` as a descriptor (so `ruleIndex` depends
/// only on the command), every diagnostic as a result. Files inside archives are artifacts
/// nested in their archive's.
pub fn sarif(sets: &[&RuleSet], diagnostics: &[Diagnostic], help: HelpText<'_>) -> String {
    let mut rules = Vec::new();
    let mut index_of: BTreeMap<&str, usize> = BTreeMap::new();
    for set in sets {
        for r in set.rules {
            index_of.entry(r.code).or_insert_with(|| {
                rules.push(SarifRule {
                    id: r.code,
                    name: r.name,
                    short_description: SarifText {
                        text: r.explanation.to_owned(),
                    },
                    full_description: SarifText {
                        text: r.explanation.to_owned(),
                    },
                    default_configuration: SarifConfiguration {
                        level: sarif_level(r.severity),
                    },
                    help_uri: format!("{REPOSITORY}/blob/main/{}", set.doc),
                });
                rules.len() - 1
            });
        }
    }
    let mut artifacts: Vec<SarifArtifact> = Vec::new();
    let mut artifact_index: BTreeMap<(String, Option<usize>), usize> = BTreeMap::new();
    let mut artifact = |path: &str, parent: Option<usize>| -> SarifArtifactLocation {
        let location = SarifArtifactLocation {
            uri: uri(path),
            index: None,
        };
        let i = *artifact_index
            .entry((path.to_owned(), parent))
            .or_insert_with(|| {
                artifacts.push(SarifArtifact {
                    location: location.clone(),
                    parent_index: parent,
                });
                artifacts.len() - 1
            });
        SarifArtifactLocation {
            index: Some(i),
            ..location
        }
    };
    let mut results = Vec::new();
    for d in diagnostics {
        let file = artifact(&d.location.file, None);
        let target = match &d.location.member {
            Some(m) => {
                let mut parent = file.index;
                let mut last = file;
                for part in m.split('!') {
                    last = artifact(part, parent);
                    parent = last.index;
                }
                last
            }
            None => file,
        };
        let region = d.location.line.map(|l| SarifRegion {
            start_line: l,
            start_column: d.location.column,
        });
        let logical_locations = match &d.location.pointer {
            Some(p) if !p.is_empty() => vec![SarifLogical {
                fully_qualified_name: p.clone(),
                kind: "member",
            }],
            _ => Vec::new(),
        };
        let text = match &d.location.pointer {
            Some(p) if !p.is_empty() => format!("{} (at {p})", message(d, help)),
            _ => message(d, help),
        };
        results.push(SarifResult {
            rule_id: d.rule.code,
            rule_index: index_of.get(d.rule.code).copied().unwrap_or_else(|| {
                // A rule outside the command's sets: describe it too.
                rules.push(SarifRule {
                    id: d.rule.code,
                    name: d.rule.name,
                    short_description: SarifText {
                        text: d.rule.explanation.to_owned(),
                    },
                    full_description: SarifText {
                        text: d.rule.explanation.to_owned(),
                    },
                    default_configuration: SarifConfiguration {
                        level: sarif_level(d.rule.severity),
                    },
                    help_uri: REPOSITORY.to_owned(),
                });
                index_of.insert(d.rule.code, rules.len() - 1);
                rules.len() - 1
            }),
            level: sarif_level(d.severity),
            message: SarifText { text },
            locations: vec![SarifLocation {
                physical_location: SarifPhysical {
                    artifact_location: target,
                    region,
                },
                logical_locations,
            }],
        });
    }
    let log = SarifLog {
        schema: SARIF_SCHEMA,
        version: "2.1.0",
        runs: vec![SarifRun {
            tool: SarifTool {
                driver: SarifDriver {
                    name: "bomsmith",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: REPOSITORY,
                    rules,
                },
            },
            artifacts,
            results,
        }],
    };
    let mut s = serde_json::to_string_pretty(&log)
        .unwrap_or_else(|e| format!("{{\"error\": \"the log could not be serialised: {e}\"}}"));
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Location;

    crate::rules! {
        SET, "test", "docs/test.md";
        A = "T001", "first", Warning, "One.";
        B = "T002", "second", Error, "Two.";
    }

    fn sample() -> Vec<Diagnostic> {
        vec![
            Diagnostic::new(
                &A,
                Location::line("Modules/expat/expat.h", 1069, 1).in_member("Py thon.tar.xz"),
                "drift",
            ),
            Diagnostic::new(&B, Location::pointer("sbom.json", "/packages/0"), "stale")
                .with_details(vec!["- file a".into()])
                .with_help(Help::Regenerate),
        ]
    }

    fn help(h: Help) -> String {
        match h {
            Help::Regenerate => "; regenerate it".into(),
            _ => String::new(),
        }
    }

    #[test]
    fn human_lines_name_the_place_and_complete_the_message() {
        let text = human(&sample(), &help);
        assert_eq!(
            text,
            "Py thon.tar.xz!Modules/expat/expat.h:1069:1: T001 warning: drift\n\
             sbom.json: T002 error: stale; regenerate it (/packages/0)\n    - file a\n"
        );
    }

    #[test]
    fn json_has_one_shape() {
        let v: serde_json::Value =
            serde_json::from_str(&json(&["x"], &sample(), &help)).expect("json");
        assert_eq!(v["summary"]["errors"], 1);
        assert_eq!(v["summary"]["warnings"], 1);
        assert_eq!(v["diagnostics"][0]["member"], "Modules/expat/expat.h");
        assert_eq!(v["diagnostics"][0]["line"], 1069);
        assert_eq!(v["diagnostics"][1]["pointer"], "/packages/0");
        assert_eq!(v["diagnostics"][1]["message"], "stale; regenerate it");
        assert!(v["diagnostics"][1].get("line").is_none());
        assert_eq!(v["inputs"][0], "x");
    }

    #[test]
    fn sarif_nests_members_in_their_archive() {
        let v: serde_json::Value =
            serde_json::from_str(&sarif(&[&SET], &sample(), &help)).expect("json");
        let run = &v["runs"][0];
        assert_eq!(run["tool"]["driver"]["rules"][1]["id"], "T002");
        assert_eq!(run["artifacts"][0]["location"]["uri"], "Py%20thon.tar.xz");
        assert_eq!(run["artifacts"][1]["parentIndex"], 0);
        let first = &run["results"][0]["locations"][0]["physicalLocation"];
        assert_eq!(first["artifactLocation"]["index"], 1);
        assert_eq!(first["region"]["startLine"], 1069);
        assert_eq!(run["results"][1]["level"], "error");
        assert_eq!(run["results"][1]["ruleIndex"], 1);
    }
}
