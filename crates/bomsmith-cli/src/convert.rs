//! `bomsmith convert`: SPDX 2.3 JSON ⇄ CycloneDX 1.6 JSON through the model, every loss
//! counted on standard error.

use crate::{read_document, write_output};
use anyhow::Result;
use bomsmith::format::Format;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// SBOM to convert (`-` for standard input); SPDX or CycloneDX, told by content.
    input: PathBuf,
    /// Output format.
    #[arg(long, value_name = "FORMAT", value_parser = crate::parse_format)]
    to: Format,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Exit 1 when anything in the input could not be carried into the output.
    #[arg(long)]
    fail_on_loss: bool,
    /// No summary on standard error (losses are still shown).
    #[arg(short, long)]
    quiet: bool,
}

/// Runs the command: exit 0, or 1 with `--fail-on-loss` when something was lost.
pub fn run(args: ConvertArgs) -> Result<ExitCode> {
    let (name, kind, mut doc, report) = read_document(&args.input)?;
    let created =
        bomsmith::ident::creation_time(std::env::var("SOURCE_DATE_EPOCH").ok().as_deref())?;
    let notes = bomsmith::format::complete(&mut doc, &created);
    let text = args.to.write(&doc);
    write_output(args.output.as_deref(), &text)?;
    for n in &notes {
        eprintln!("bomsmith: note: {name}: {n}");
    }
    let lost = report.total();
    if lost > 0 {
        eprintln!(
            "bomsmith: warning: {name}: {lost} value{} of the {} input could not be carried (see docs/conversion.md):",
            if lost == 1 { "" } else { "s" },
            kind.name()
        );
        for (field, n) in &report.dropped {
            eprintln!("  {field}: {n}");
        }
    }
    if !args.quiet {
        eprintln!(
            "bomsmith: {name}: {} → {}: {} packages, {} files, {} relationships{}",
            kind.name(),
            args.to.name(),
            doc.packages.len(),
            doc.files.len(),
            doc.relationships.len(),
            args.output
                .as_ref()
                .map_or_else(String::new, |p| format!("; wrote {}", p.display())),
        );
    }
    Ok(if args.fail_on_loss && lost > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
