//! `bomsmith validate`: check SPDX 2.3 and CycloneDX 1.6 documents, report in human, JSON or
//! SARIF form.

use anyhow::{Result, bail};
use bomsmith::validate::{self, Profile, Report, Severity};
use clap::{Args, ValueEnum};
use serde_json::{Value, json};
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Documents to check (`-` for standard input). Their format is told by content.
    #[arg(required_unless_present_any = ["explain", "rules"])]
    files: Vec<PathBuf>,
    /// Rule sets to apply (repeatable): spdx, cyclonedx (the format's own, chosen by content
    /// when neither is given), ntia, bsi.
    #[arg(long, value_name = "PROFILE", value_parser = parse_profile)]
    profile: Vec<Profile>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = Output::Human)]
    format: Output,
    /// Explain one rule (`SPDX013`) and exit.
    #[arg(long, value_name = "CODE", conflicts_with = "rules")]
    explain: Option<String>,
    /// List every rule and exit.
    #[arg(long)]
    rules: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Output {
    Human,
    Json,
    Sarif,
}

fn parse_profile(s: &str) -> std::result::Result<Profile, String> {
    Profile::from_name(s).ok_or_else(|| {
        format!(
            "unknown profile `{s}` (one of: {})",
            Profile::ALL.map(Profile::name).join(", ")
        )
    })
}

/// Runs the command: exit 0 without errors, 1 with errors, 2 when a file cannot be read.
pub fn run(args: ValidateArgs) -> Result<ExitCode> {
    if let Some(code) = &args.explain {
        let Some(r) = validate::rule(code) else {
            bail!("no rule `{code}`; `bomsmith validate --rules` lists them");
        };
        println!("{}", r.explained());
        return Ok(ExitCode::SUCCESS);
    }
    if args.rules {
        for r in validate::all_rules() {
            println!("{}", r.row());
        }
        return Ok(ExitCode::SUCCESS);
    }
    let mut reports = Vec::new();
    let mut unreadable = false;
    for path in &args.files {
        let (name, bytes) = if path.as_os_str() == "-" {
            let mut buf = Vec::new();
            match std::io::stdin().lock().read_to_end(&mut buf) {
                Ok(_) => ("<stdin>".to_owned(), buf),
                Err(e) => {
                    eprintln!("bomsmith: error: <stdin>: {e}");
                    unreadable = true;
                    continue;
                }
            }
        } else {
            let name = path.display().to_string();
            match std::fs::read(path) {
                Ok(b) => (name, b),
                Err(e) => {
                    eprintln!("bomsmith: error: {name}: {e}");
                    unreadable = true;
                    continue;
                }
            }
        };
        reports.push(validate::validate(&name, &bytes, &args.profile));
    }
    let text = match args.format {
        Output::Human => human(&reports),
        Output::Json => pretty(&json_report(&reports)),
        Output::Sarif => pretty(&sarif(&reports)),
    };
    print!("{text}");
    let errors: usize = reports.iter().map(|r| r.count(Severity::Error)).sum();
    Ok(if unreadable {
        ExitCode::from(2)
    } else if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn describe(r: &Report) -> String {
    match (r.kind, &r.version) {
        (Some(k), Some(v)) => format!("{} {v}", k.name()),
        (Some(k), None) => k.name().to_owned(),
        _ => "unknown format".to_owned(),
    }
}

fn human(reports: &[Report]) -> String {
    let mut out = String::new();
    let (mut errors, mut warnings, mut infos, mut failing) = (0, 0, 0, 0);
    for r in reports {
        let (e, w, i) = (
            r.count(Severity::Error),
            r.count(Severity::Warning),
            r.count(Severity::Info),
        );
        errors += e;
        warnings += w;
        infos += i;
        if e > 0 {
            failing += 1;
        }
        for d in &r.diagnostics {
            let pointer = if d.pointer.is_empty() {
                String::new()
            } else {
                format!(" ({})", d.pointer)
            };
            out.push_str(&format!(
                "{}:{}:{}: {} {}: {}{pointer}\n",
                r.file,
                d.line,
                d.column,
                d.rule.code,
                d.rule.severity.name(),
                d.message
            ));
        }
        out.push_str(&format!(
            "{}: {}: {}, {}{}\n",
            r.file,
            describe(r),
            plural(e, "error"),
            plural(w, "warning"),
            if i > 0 {
                format!(", {}", plural(i, "note"))
            } else {
                String::new()
            }
        ));
    }
    out.push_str(&format!(
        "{} checked: {} failed; {}, {}{}\n",
        plural(reports.len(), "document"),
        failing,
        plural(errors, "error"),
        plural(warnings, "warning"),
        if infos > 0 {
            format!(", {}", plural(infos, "note"))
        } else {
            String::new()
        }
    ));
    out
}

fn json_report(reports: &[Report]) -> Value {
    let files: Vec<Value> = reports
        .iter()
        .map(|r| {
            json!({
                "file": r.file,
                "format": r.kind.map(|k| k.name()),
                "version": r.version,
                "errors": r.count(Severity::Error),
                "warnings": r.count(Severity::Warning),
                "diagnostics": r.diagnostics.iter().map(|d| json!({
                    "code": d.rule.code,
                    "rule": d.rule.name,
                    "severity": d.rule.severity.name(),
                    "message": d.message,
                    "pointer": d.pointer,
                    "line": d.line,
                    "column": d.column,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "files": files,
        "errors": reports.iter().map(|r| r.count(Severity::Error)).sum::<usize>(),
        "warnings": reports.iter().map(|r| r.count(Severity::Warning)).sum::<usize>(),
    })
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// SARIF 2.1.0, one run, every rule listed so that indices stay stable.
fn sarif(reports: &[Report]) -> Value {
    let rules: Vec<&validate::Rule> = validate::all_rules().collect();
    let descriptors: Vec<Value> = rules
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.explanation},
                "fullDescription": {"text": r.explanation},
                "defaultConfiguration": {"level": level(r.severity)},
                "helpUri": "https://github.com/bomsmith/bomsmith/blob/main/docs/validate.md",
            })
        })
        .collect();
    let mut results = Vec::new();
    for r in reports {
        for d in &r.diagnostics {
            let index = rules
                .iter()
                .position(|x| x.code == d.rule.code)
                .unwrap_or(0);
            results.push(json!({
                "ruleId": d.rule.code,
                "ruleIndex": index,
                "level": level(d.rule.severity),
                "message": {"text": if d.pointer.is_empty() {
                    d.message.clone()
                } else {
                    format!("{} (at {})", d.message, d.pointer)
                }},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": r.file.replace('\\', "/")},
                        "region": {"startLine": d.line, "startColumn": d.column},
                    },
                    "logicalLocations": [{"fullyQualifiedName": d.pointer, "kind": "member"}],
                }],
            }));
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
                "rules": descriptors,
            }},
            "results": results,
        }],
    })
}
