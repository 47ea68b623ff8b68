//! `bomsmith convert`: SPDX 2.2/2.3 (JSON or tag-value) or CycloneDX 1.2–1.7 JSON in, SPDX 2.3
//! (JSON or tag-value) or CycloneDX 1.6 (or 1.7, `--spec-version`) JSON out, through the model;
//! every loss counted on standard error.

use super::read_document;
use crate::out;
use anyhow::Result;
use bomsmith::diag::Location;
use bomsmith::format::Format;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// SBOM to convert (`-` for standard input); SPDX (JSON or tag-value) or CycloneDX, told by content.
    input: PathBuf,
    /// Output format.
    #[arg(long, value_name = "FORMAT", value_parser = super::format_parser())]
    to: Format,
    /// Specification version of the output: 1.6 (default) or 1.7 for cyclonedx-json, 2.3 for
    /// spdx-json.
    #[arg(long, value_name = "VERSION")]
    spec_version: Option<String>,
    /// Write to FILE (atomically) instead of standard output. FILE may not be the input, and an
    /// existing FILE is replaced only when bomsmith wrote it (see --force).
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Replace an existing output file even when it is not a document bomsmith wrote.
    #[arg(long)]
    force: bool,
    /// Exit 1 when anything in the input could not be carried into the output.
    #[arg(long)]
    fail_on_loss: bool,
    /// No summary on standard error (losses are still shown).
    #[arg(short, long)]
    quiet: bool,
}

/// Runs the command: exit 0, or 1 with `--fail-on-loss` when something was lost.
pub fn run(args: ConvertArgs) -> Result<ExitCode> {
    let write_options = super::write_options(args.to, args.spec_version.as_deref())?;
    out::check_outputs(&[args.output.as_deref()], &[&args.input], args.force)?;
    let (name, kind, mut doc, report) = read_document(&args.input)?;
    let at = Location::file(&name);
    let mut diagnostics = bomsmith::format::complete(&mut doc, &super::creation_time()?, &at);
    // The converted document is one bomsmith made: it says so among its creators (which also
    // lets a later conversion replace it without --force).
    if !doc
        .creators
        .iter()
        .any(|c| c.as_str() == bomsmith::format::TOOL_CREATOR)
    {
        doc.creators.push(bomsmith::format::TOOL_CREATOR.to_owned());
    }
    let text = args.to.write_with(&doc, &write_options);
    out::write_output(args.output.as_deref(), &text)?;
    diagnostics.extend(report.recast_note(at.clone()));
    diagnostics.extend(report.diagnostic(at, kind));
    out::say_diagnostics(&diagnostics);
    if !args.quiet {
        out::say(format_args!(
            "{name}: {} → {}: {} packages, {} files, {} relationships{}",
            kind.name(),
            args.to.name(),
            doc.packages.len(),
            doc.files.len(),
            doc.relationships.len(),
            args.output
                .as_ref()
                .map_or_else(String::new, |p| format!("; wrote {}", p.display())),
        ));
    }
    Ok(if args.fail_on_loss && report.total() > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
