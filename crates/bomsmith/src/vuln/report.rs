//! Findings rendered for people (a table), for programs (JSON) and for code-scanning services
//! (SARIF 2.1.0).

use super::matcher::{Finding, NotEvaluated, Outcome};
use super::source::SourceSummary;
use serde_json::{Value, json};
use std::fmt::Write as _;

/// The findings for one SBOM, with the file they are about.
#[derive(Debug, Clone)]
pub struct SbomOutcome {
    /// The SBOM as the user named it.
    pub file: String,
    /// What matching found.
    pub outcome: Outcome,
}

fn ids_shown(f: &Finding) -> String {
    let primary = f.primary_id();
    let others: Vec<&str> = f
        .ids
        .iter()
        .map(String::as_str)
        .filter(|i| *i != primary)
        .collect();
    if others.is_empty() {
        primary.to_owned()
    } else {
        format!("{primary} ({})", others.join(", "))
    }
}

fn severity_shown(f: &Finding) -> String {
    match f.severity.score {
        Some(s) => format!("{} {s:.1}", f.severity.level.name()),
        None if f.severity.source.is_some() => f.severity.level.name().to_owned(),
        None => "-".to_owned(),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The human report: per SBOM a summary line and a table; with `explain`, under each finding
/// the records, ranges and rules that matched, and every record that could not be decided.
pub fn human(results: &[SbomOutcome], sources: &[SourceSummary], explain: bool) -> String {
    let mut out = String::new();
    for r in results {
        let o = &r.outcome;
        let affected: std::collections::BTreeSet<_> =
            o.findings.iter().map(|f| &f.component).collect();
        let marked = o.findings.iter().filter(|f| f.vex.is_some()).count();
        let settled = o
            .findings
            .iter()
            .filter(|f| f.vex.as_ref().is_some_and(|m| m.settles()))
            .count();
        let _ = writeln!(
            out,
            "{}: {} in {} of {}{}",
            r.file,
            plural(o.findings.len(), "vulnerability", "vulnerabilities"),
            affected.len(),
            plural(o.components, "component", "components"),
            if marked > 0 {
                format!(
                    "; VEX statements speak for {marked}, {settled} of them not_affected or fixed"
                )
            } else {
                String::new()
            }
        );
        if !o.findings.is_empty() {
            let rows: Vec<[String; 6]> = o
                .findings
                .iter()
                .map(|f| {
                    [
                        f.component.name.clone(),
                        f.version.clone(),
                        ids_shown(f),
                        severity_shown(f),
                        if f.fixed.is_empty() {
                            "-".into()
                        } else {
                            f.fixed.join(", ")
                        },
                        f.vex
                            .as_ref()
                            .map_or_else(|| "-".to_owned(), |m| m.status.name().to_owned()),
                    ]
                })
                .collect();
            let head = [
                "COMPONENT",
                "VERSION",
                "VULNERABILITY",
                "SEVERITY",
                "FIXED IN",
                "VEX",
            ];
            let mut width = head.map(str::len);
            for row in &rows {
                for (w, c) in width.iter_mut().zip(row) {
                    *w = (*w).max(c.chars().count());
                }
            }
            let line = |cells: &[String]| {
                let mut l = String::new();
                for (i, c) in cells.iter().enumerate() {
                    if i + 1 == cells.len() {
                        l.push_str(c);
                    } else {
                        let _ = write!(l, "{c:<w$}  ", w = width[i]);
                    }
                }
                l
            };
            // The VEX column only when a statement speaks for some finding.
            let cols = if marked > 0 { 6 } else { 5 };
            let _ = writeln!(out, "{}", line(&head.map(str::to_owned)[..cols]));
            for (row, f) in rows.iter().zip(&o.findings) {
                let _ = writeln!(out, "{}", line(&row[..cols]));
                if explain {
                    let _ = writeln!(out, "    matched {} at version {}", f.identifier, f.version);
                    for m in &f.records {
                        let _ = writeln!(out, "    {} ({})", m.id, m.file);
                        let _ = writeln!(out, "      range: {}", m.rule.range);
                        let _ = writeln!(out, "      rule:  {}", m.rule.reason);
                    }
                    match (&f.severity.source, f.severity.score, f.severity.how) {
                        (Some(src), Some(score), Some(how)) => {
                            let _ = writeln!(
                                out,
                                "    severity from {src} (base score {score:.1}, {how})"
                            );
                        }
                        (Some(src), ..) => {
                            let _ = writeln!(out, "    severity from {src}");
                        }
                        _ => {}
                    }
                }
            }
        }
        if marked > 0 {
            let _ = writeln!(
                out,
                "{}: what the VEX statements say (not_affected and fixed do not count for --fail-on):",
                r.file
            );
            for f in o.findings.iter() {
                if let Some(m) = &f.vex {
                    let _ = writeln!(out, "{}", vex_line(f, m));
                }
            }
        }
        if !o.not_evaluable.is_empty() {
            let _ = writeln!(
                out,
                "{}: {} could not be evaluated (never counted as findings){}",
                r.file,
                plural(o.not_evaluable.len(), "record", "records"),
                if explain {
                    ":"
                } else {
                    "; --explain lists them"
                }
            );
            if explain {
                for n in &o.not_evaluable {
                    let _ = writeln!(out, "{}", undecided_line(n, true));
                }
            }
        }
        if !o.not_analysed.is_empty() {
            let _ = writeln!(
                out,
                "{}: {} NVD has not analysed name a product of its components (never counted as findings; read them):",
                r.file,
                plural(o.not_analysed.len(), "record", "records"),
            );
            for n in &o.not_analysed {
                let _ = writeln!(out, "{}", undecided_line(n, explain));
            }
        }
        if !o.unidentified.is_empty() {
            let names: Vec<&str> = o.unidentified.iter().map(|c| c.name.as_str()).collect();
            let _ = writeln!(
                out,
                "{}: {} without a PURL of a known ecosystem, a CPE or a repository, not checked: {}",
                r.file,
                plural(o.unidentified.len(), "component", "components"),
                names.join(", ")
            );
        }
    }
    // What the answers were drawn from, last: a report without it could not be judged later.
    let records: usize = sources.iter().map(|s| s.records).sum();
    let newest = sources
        .iter()
        .filter_map(|s| s.newest_modified.as_deref())
        .filter_map(|m| crate::ident::parse_timestamp(m).map(|(t, _)| (t, m)))
        .max_by_key(|(t, _)| *t)
        .map_or("-", |(_, m)| m);
    let _ = writeln!(
        out,
        "{}: {} from {}, newest modified {newest}",
        crate::format::TOOL_CREATOR
            .trim_start_matches("Tool: ")
            .replacen('-', " ", 1),
        plural(records, "record", "records"),
        plural(sources.len(), "source", "sources"),
    );
    out
}

fn sources_json(sources: &[SourceSummary]) -> Value {
    Value::Array(
        sources
            .iter()
            .map(|s| {
                json!({
                    "source": s.label, "kind": s.kind, "sha256": s.sha256,
                    "records": s.records, "withdrawn": s.withdrawn,
                    "malformed": s.malformed, "skipped": s.skipped,
                    "newest_modified": s.newest_modified,
                })
            })
            .collect(),
    )
}

fn finding_json(f: &Finding) -> Value {
    json!({
        "component": {"id": f.component.id, "name": f.component.name, "version": f.component.version},
        "identifier": f.identifier,
        "version": f.version,
        "id": f.primary_id(),
        "ids": f.ids,
        "summary": f.summary,
        "severity": {
            "level": f.severity.level.name(),
            "score": f.severity.score,
            "from": f.severity.source,
            "score_is": f.severity.how,
        },
        "fixed": f.fixed,
        "records": f.records.iter().map(|m| json!({
            "id": m.id, "file": m.file, "range": m.rule.range, "rule": m.rule.reason,
            "fixed": m.fixed,
        })).collect::<Vec<_>>(),
        "vex": f.vex.as_ref().map(vex_json),
    })
}

/// A finding's VEX statement as a line: status, justification, the statement's words, source.
fn vex_line(f: &Finding, m: &crate::model::vex::VexMark) -> String {
    let mut line = format!(
        "    {} for {} {}: {}",
        f.primary_id(),
        f.component.name,
        f.version,
        m.status.name()
    );
    if let Some(j) = m.justification {
        line.push_str(&format!(" ({})", j.name()));
    }
    if let Some(t) = m.impact_statement.as_ref().or(m.action_statement.as_ref()) {
        line.push_str(&format!(": {t}"));
    }
    line.push_str(&format!(
        " [{} for {}, in {}]",
        m.vulnerability, m.product, m.source
    ));
    line
}

fn vex_json(m: &crate::model::vex::VexMark) -> Value {
    json!({
        "status": m.status.name(),
        "justification": m.justification.map(|j| j.name()),
        "impact_statement": m.impact_statement,
        "action_statement": m.action_statement,
        "vulnerability": m.vulnerability,
        "product": m.product,
        "source": m.source,
    })
}

/// A record not decided for a component (not evaluable, or not analysed), as JSON.
fn undecided_json(n: &NotEvaluated) -> Value {
    json!({
        "component": {"id": n.component.id, "name": n.component.name, "version": n.component.version},
        "record": n.record, "identifier": n.identifier, "reason": n.reason,
    })
}

/// A record not decided for a component, as a line of the human report.
fn undecided_line(n: &NotEvaluated, with_reason: bool) -> String {
    let mut line = format!(
        "    {} for {} {}",
        n.record,
        n.component.name,
        n.component.version.as_deref().unwrap_or("(no version)")
    );
    if with_reason {
        line.push_str(": ");
        line.push_str(&n.reason);
    }
    line
}

/// The JSON report.
pub fn json(results: &[SbomOutcome], sources: &[SourceSummary]) -> Value {
    json!({
        "bomsmith_vulns": 1,
        "sources": sources_json(sources),
        "sboms": results.iter().map(|r| json!({
            "file": r.file,
            "components": r.outcome.components,
            "findings": r.outcome.findings.iter().map(finding_json).collect::<Vec<_>>(),
            "not_evaluable": r.outcome.not_evaluable.iter().map(undecided_json).collect::<Vec<_>>(),
            "not_analysed": r.outcome.not_analysed.iter().map(undecided_json).collect::<Vec<_>>(),
            "unidentified": r.outcome.unidentified.iter().map(|c| json!({
                "id": c.id, "name": c.name, "version": c.version,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

/// The SARIF 2.1.0 report: one rule per vulnerability, one result per finding, located at the
/// SBOM file with the component as a logical location.
pub fn sarif(results: &[SbomOutcome]) -> Value {
    let mut rules: std::collections::BTreeMap<String, Value> = std::collections::BTreeMap::new();
    let mut out = Vec::new();
    for r in results {
        for f in &r.outcome.findings {
            let id = f.primary_id().to_owned();
            rules.entry(id.clone()).or_insert_with(|| {
                json!({
                    "id": id,
                    "shortDescription": {"text": f.summary.clone().unwrap_or_else(|| id.clone())},
                    "properties": {"aliases": f.ids, "security-severity": f.severity.score.map(|s| format!("{s:.1}"))},
                })
            });
            let level = match f.severity.level {
                super::matcher::Level::Critical | super::matcher::Level::High => "error",
                super::matcher::Level::Low => "note",
                _ => "warning",
            };
            let component = match &f.component.version {
                Some(v) => format!("{}@{v}", f.component.name),
                None => f.component.name.clone(),
            };
            let mut result = json!({
                "ruleId": id,
                "level": level,
                "message": {"text": format!(
                    "{component} is affected by {} ({}); fixed in: {}",
                    ids_shown(f),
                    f.records.iter().map(|m| m.rule.reason.as_str()).collect::<Vec<_>>().join("; "),
                    if f.fixed.is_empty() { "no fixed version given".to_owned() } else { f.fixed.join(", ") },
                )},
                "locations": [{
                    "physicalLocation": {"artifactLocation": {"uri": r.file}},
                    "logicalLocations": [{"name": component, "fullyQualifiedName": f.identifier, "kind": "module"}],
                }],
            });
            // A VEX statement that settles the finding is a suppression the SBOM's supplier
            // made: kept in the log, marked as such.
            if let Some(m) = f.vex.as_ref().filter(|m| m.settles()) {
                let mut why = m.status.name().to_owned();
                if let Some(j) = m.justification {
                    why.push_str(&format!(" ({})", j.name()));
                }
                if let Some(t) = &m.impact_statement {
                    why.push_str(&format!(": {t}"));
                }
                result["suppressions"] = json!([{
                    "kind": "external", "status": "accepted",
                    "justification": format!("{why} [VEX statement in {}]", m.source),
                }]);
            }
            out.push(result);
        }
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "bomsmith",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/bomsmith/bomsmith",
                "rules": rules.into_values().collect::<Vec<_>>(),
            }},
            "results": out,
        }],
    })
}
