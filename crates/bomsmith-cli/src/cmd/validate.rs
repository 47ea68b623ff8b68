//! `bomsmith validate`: check SPDX 2.2/2.3 and CycloneDX 1.2–1.7 documents, report in human, JSON or
//! SARIF form.

use crate::out::{self, ReportFormat, SeverityArgs, count as plural};
use crate::progress::Activity;
use anyhow::{Result, bail};
use bomsmith::validate::{self, Profile, Report, Severity};
use clap::Args;
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Documents to check (`-` for standard input). Their format is told by content.
    #[arg(required_unless_present_any = ["explain", "rules"])]
    files: Vec<PathBuf>,
    /// Rule sets to apply (repeatable): spdx, cyclonedx (the format's own, chosen by content
    /// when neither is given), ntia, bsi-2.0, bsi-2.1 (`bsi` is the newest BSI TR-03183-2),
    /// fsct3.
    #[arg(long, value_name = "PROFILE", value_parser = profile_parser())]
    profile: Vec<Profile>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    format: ReportFormat,
    #[command(flatten)]
    severity: SeverityArgs,
    /// Explain one rule (`SPDX013`) and exit.
    #[arg(long, value_name = "CODE", conflicts_with = "rules")]
    explain: Option<String>,
    /// List every rule and exit.
    #[arg(long)]
    rules: bool,
    /// No progress line on standard error.
    #[arg(short, long)]
    quiet: bool,
}

/// The `--profile` parser: every profile and alias, each with what it checks, listed in
/// `--help`.
fn profile_parser() -> impl clap::builder::TypedValueParser<Value = Profile> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
    let help = |p: Profile| match p {
        Profile::Spdx => "SPDX 2.2/2.3/3.0.1: schema and the specification's rules",
        Profile::CycloneDx => "CycloneDX 1.2–1.7: schema and the specification's rules",
        Profile::Ntia => "NTIA minimum elements",
        Profile::Bsi => "BSI TR-03183-2 v2.0.0",
        Profile::Bsi21 => "BSI TR-03183-2 v2.1.0 (CycloneDX 1.6 and later)",
        Profile::Fsct3 => "CISA Framing Software Component Transparency (2024), minimum",
    };
    let values = Profile::ALL
        .into_iter()
        .map(|p| PossibleValue::new(p.name()).help(help(p)))
        .chain(Profile::ALIASES.into_iter().map(|(alias, p)| {
            PossibleValue::new(alias).help(format!("the newest BSI version: {}", p.name()))
        }));
    PossibleValuesParser::new(values).try_map(|s| parse_profile(&s))
}

fn parse_profile(s: &str) -> std::result::Result<Profile, String> {
    Profile::from_name(s).ok_or_else(|| {
        format!(
            "unknown profile `{s}` (one of: {}; `bsi` is {})",
            Profile::ALL.map(Profile::name).join(", "),
            Profile::Bsi21.name()
        )
    })
}

/// Runs the command: exit 0 without errors, 1 with errors, 2 when a file cannot be read.
pub fn run(args: ValidateArgs) -> Result<ExitCode> {
    if let Some(code) = &args.explain {
        let Some(r) = validate::rule(code) else {
            bail!("no rule `{code}`; `bomsmith validate --rules` lists them");
        };
        out::stdout(&format!("{}\n", r.explained()))?;
        return Ok(ExitCode::SUCCESS);
    }
    if args.rules {
        let rows: String = validate::all_rules().map(|r| r.row() + "\n").collect();
        out::stdout(&rows)?;
        return Ok(ExitCode::SUCCESS);
    }
    let overrides = args.severity.overrides(&validate::RULE_SETS)?;
    let mut reports = Vec::new();
    let mut unreadable = false;
    let done = Arc::new((AtomicU64::new(0), AtomicU64::new(0)));
    let shown = match args.files.as_slice() {
        [one] => one.display().to_string(),
        many => format!("{} documents", many.len()),
    };
    let activity = {
        let done = Arc::clone(&done);
        Activity::start(
            shown,
            "documents",
            args.quiet,
            Box::new(move || {
                (
                    done.0.load(Ordering::Relaxed),
                    done.1.load(Ordering::Relaxed),
                )
            }),
        )
    };
    for path in &args.files {
        let (name, bytes) = if path.as_os_str() == "-" {
            let mut buf = Vec::new();
            match std::io::stdin().lock().read_to_end(&mut buf) {
                Ok(_) => ("<stdin>".to_owned(), buf),
                Err(e) => {
                    out::say(format_args!("error: <stdin>: {e}"));
                    unreadable = true;
                    continue;
                }
            }
        } else {
            let name = path.display().to_string();
            match std::fs::read(path) {
                Ok(b) => (name, b),
                Err(e) => {
                    out::say(format_args!("error: {name}: {e}"));
                    unreadable = true;
                    continue;
                }
            }
        };
        let mut report = validate::validate(&name, &bytes, &args.profile);
        report.diagnostics = overrides.apply(report.diagnostics);
        reports.push(report);
        done.0.fetch_add(1, Ordering::Relaxed);
        done.1.fetch_add(bytes.len() as u64, Ordering::Relaxed);
    }
    activity.done();
    let inputs: Vec<Input<'_>> = reports.iter().map(Input::of).collect();
    let diagnostics: Vec<_> = reports
        .iter()
        .flat_map(|r| r.diagnostics.iter().cloned())
        .collect();
    let text = out::machine_report(args.format, &validate::RULE_SETS, &inputs, &diagnostics)
        .unwrap_or_else(|| human(&reports));
    out::stdout(&text)?;
    let errors: usize = reports.iter().map(|r| r.count(Severity::Error)).sum();
    Ok(if unreadable {
        ExitCode::from(2)
    } else if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn describe(r: &Report) -> String {
    if let Some(v) = r.vex {
        return v.title().to_owned();
    }
    match (r.spec, r.kind, &r.version) {
        (Some(spec), _, _) => spec.title(),
        (None, Some(k), Some(v)) if v == bomsmith::format::spdx3::SPEC_VERSION => {
            format!("{} {v}", k.name())
        }
        (None, Some(k), Some(v)) => format!("{} {v} (a version bomsmith does not judge)", k.name()),
        (None, Some(k), None) => k.name().to_owned(),
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
        out.push_str(&bomsmith::diag::render::human(
            &r.diagnostics,
            &crate::out::help_text,
        ));
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

/// What the JSON report says of each document checked.
#[derive(Debug, serde::Serialize)]
struct Input<'a> {
    file: &'a str,
    format: Option<&'static str>,
    version: Option<&'a str>,
    errors: usize,
    warnings: usize,
}

impl<'a> Input<'a> {
    fn of(r: &'a Report) -> Self {
        Input {
            file: &r.file,
            format: r.kind.map(|k| k.name()).or(r.vex.map(|v| match v {
                bomsmith::validate::vex::VexKind::OpenVex => "OpenVEX",
                bomsmith::validate::vex::VexKind::Csaf => "CSAF",
            })),
            version: r.version.as_deref(),
            errors: r.count(Severity::Error),
            warnings: r.count(Severity::Warning),
        }
    }
}
