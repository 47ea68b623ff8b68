//! `bomsmith convert`: SPDX 2.2/2.3 (JSON or tag-value) or CycloneDX 1.2–1.7 JSON in, SPDX 2.3
//! (JSON or tag-value) or CycloneDX 1.6 (or 1.7, `--spec-version`) JSON out, through the model;
//! and a VEX document of any of OpenVEX, CycloneDX VEX and CSAF VEX into another. Every loss is
//! counted on standard error.

use super::read_document;
use crate::out;
use anyhow::Result;
use bomsmith::diag::Location;
use bomsmith::format::Format;
use bomsmith::vex::VexFormat;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

/// What `convert` writes: an SBOM format or a VEX format.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    /// An SBOM format.
    Sbom(Format),
    /// A VEX format.
    Vex(VexFormat),
}

const VEX_FORMATS: [VexFormat; 3] = [VexFormat::OpenVex, VexFormat::CycloneDx, VexFormat::Csaf];

fn target_parser() -> impl clap::builder::TypedValueParser<Value = Target> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
    let sbom = Format::ALL.map(|f| PossibleValue::new(f.name()).help(super::format_help(f)));
    let vex = VEX_FORMATS.map(|f| {
        PossibleValue::new(f.name()).help(match f {
            VexFormat::OpenVex => "OpenVEX 0.2.0 (from a VEX document)",
            VexFormat::CycloneDx => "CycloneDX 1.6 VEX (from a VEX document)",
            VexFormat::Csaf => "CSAF 2.0, csaf_vex profile (from a VEX document)",
        })
    });
    PossibleValuesParser::new(sbom.into_iter().chain(vex)).try_map(|s| {
        match VEX_FORMATS.into_iter().find(|f| f.name() == s) {
            Some(v) => Ok(Target::Vex(v)),
            None => super::parse_format(&s).map(Target::Sbom),
        }
    })
}

#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// SBOM or VEX document to convert (`-` for standard input): SPDX (JSON or tag-value) or
    /// CycloneDX, or OpenVEX, CycloneDX VEX or CSAF VEX, told by content.
    input: PathBuf,
    /// Output format: an SBOM format for an SBOM, a VEX format for a VEX document.
    #[arg(long, value_name = "FORMAT", value_parser = target_parser())]
    to: Target,
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
    /// For a VEX output: the SBOM the statements speak of. CycloneDX VEX then names each product
    /// by a BOM-Link into it (an SPDX SBOM: `NAMESPACE#SPDXRef-...`) instead of listing
    /// components; CSAF's product tree takes the SBOM components' names, PURLs and CPEs.
    #[arg(long, value_name = "FILE")]
    sbom: Option<PathBuf>,
    /// Exit 1 when anything in the input could not be carried into the output.
    #[arg(long)]
    fail_on_loss: bool,
    /// No summary on standard error (losses are still shown).
    #[arg(short, long)]
    quiet: bool,
}

/// Runs the command: exit 0, or 1 with `--fail-on-loss` when something was lost.
pub fn run(args: ConvertArgs) -> Result<ExitCode> {
    let to = match args.to {
        Target::Sbom(_) if args.sbom.is_some() => {
            anyhow::bail!("--sbom applies to VEX outputs (--to cyclonedx-vex, csaf-vex)")
        }
        Target::Sbom(f) => f,
        Target::Vex(v) => return run_vex(&args, v),
    };
    let write_options = super::write_options(to, args.spec_version.as_deref())?;
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
    let text = to.write_with(&doc, &write_options);
    out::write_output(args.output.as_deref(), &text)?;
    diagnostics.extend(report.recast_note(at.clone()));
    diagnostics.extend(report.diagnostic(at, kind));
    out::say_diagnostics(&diagnostics);
    if !args.quiet {
        out::say(format_args!(
            "{name}: {} → {}: {} packages, {} files, {} relationships{}",
            kind.name(),
            to.name(),
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

/// Converts a VEX document into another VEX format, through the model: what the input had that
/// the model cannot hold, what the output format cannot carry, and the required values bomsmith
/// supplied are all said on standard error.
fn run_vex(args: &ConvertArgs, to: VexFormat) -> Result<ExitCode> {
    if args.spec_version.is_some() {
        anyhow::bail!(
            "--spec-version applies to SBOM formats; {} has one version",
            to.name()
        );
    }
    let mut inputs: Vec<&std::path::Path> = vec![&args.input];
    inputs.extend(args.sbom.as_deref());
    out::check_outputs(&[args.output.as_deref()], &inputs, args.force)?;
    let (name, bytes) = super::read_input(&args.input)?;
    let loaded = bomsmith::vex::read(&bytes, &name).map_err(|e| {
        anyhow::anyhow!(
            "{e}; --to {} converts VEX documents (OpenVEX, CycloneDX VEX, CSAF VEX)",
            to.name()
        )
    })?;
    let links = match &args.sbom {
        None => None,
        Some(path) => {
            let (sbom_name, kind, doc, read) = super::read_document(path)?;
            // A CycloneDX BOM's serial number and version make BOM-Links.
            let serial = match kind {
                bomsmith::format::Kind::CycloneDx => match super::bom_link(path) {
                    Some(link) => Some(link),
                    None => anyhow::bail!(
                        "{sbom_name}: a CycloneDX BOM without a serialNumber cannot be linked to (BOM-Links name it by its serial number)"
                    ),
                },
                bomsmith::format::Kind::Spdx => None,
            };
            let links = bomsmith::vex::link_to_sbom(&loaded.document, &doc, &read.renamed, serial);
            out::say(format_args!(
                "{name}: {} products and subcomponents found in {sbom_name}",
                links.components.len()
            ));
            Some(links)
        }
    };
    if args.sbom.is_some() && to == VexFormat::OpenVex {
        anyhow::bail!(
            "--sbom applies to --to cyclonedx-vex and csaf-vex (OpenVEX names products by their own IRIs)"
        );
    }
    let written = bomsmith::vex::write_for(
        &loaded.document,
        to,
        &super::creation_time()?,
        &name,
        links.as_ref(),
    )?;
    out::write_output(args.output.as_deref(), &written.text)?;
    let mut lost = 0usize;
    for (what, n) in &loaded.report.dropped {
        out::say(format_args!(
            "{name}: not carried ({n}×): {what} (no place in bomsmith's VEX model)"
        ));
        lost += n;
    }
    for (what, n) in &loaded.report.recast {
        out::say(format_args!("{name}: read in another form ({n}×): {what}"));
    }
    for (what, n) in &written.not_carried {
        out::say(format_args!(
            "{name}: not carried ({n}×): {what} ({} has no field for it)",
            to.name()
        ));
        lost += n;
    }
    for s in &written.supplied {
        out::say(format_args!("{name}: supplied (the input has none): {s}"));
    }
    if !args.quiet {
        out::say(format_args!(
            "{name}: {} → {}: {} statements{}",
            loaded.format.name(),
            to.name(),
            loaded.document.statements.len(),
            args.output
                .as_ref()
                .map_or_else(String::new, |p| format!("; wrote {}", p.display())),
        ));
    }
    Ok(if args.fail_on_loss && lost > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
