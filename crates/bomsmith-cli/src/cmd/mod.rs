//! One module per command.

pub mod convert;
pub mod db;
pub mod diff;
pub mod docs;
pub mod scan;
pub mod validate;
pub mod vendor;
pub mod vex;
pub mod vulns;

use anyhow::{Context, Result};
use bomsmith::format::{Format, Kind, ReadReport};
use bomsmith::model::Document;
use std::path::Path;

/// The `-f`/`--to` parser: the format names, each with what it writes, listed in `--help`.
pub fn format_parser() -> impl clap::builder::TypedValueParser<Value = Format> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
    let values = Format::ALL.map(|f| PossibleValue::new(f.name()).help(format_help(f)));
    PossibleValuesParser::new(values).try_map(|s| parse_format(&s))
}

/// What an SBOM output format is, for `--help`.
pub fn format_help(f: Format) -> &'static str {
    match f {
        Format::SpdxJson => "SPDX 2.3 JSON",
        Format::CycloneDxJson => "CycloneDX JSON (1.6; 1.7 with --spec-version)",
        Format::SpdxTagValue => "SPDX 2.3 tag-value",
        Format::Spdx3Json => "SPDX 3.0.1 JSON-LD",
    }
}

/// The `--preset` parser: the bundled presets, listed in `--help`.
pub fn preset_parser() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(
        bomsmith::config::PRESETS.iter().map(|(name, _)| *name),
    )
}

/// Parses an output format name.
pub fn parse_format(s: &str) -> Result<Format, String> {
    Format::from_name(s).ok_or_else(|| {
        format!(
            "unknown format `{s}` (known: {})",
            Format::ALL.map(|f| f.name()).join(", ")
        )
    })
}

/// The write options for `format` in `version` (`--spec-version`; `None` is the format's
/// default), or a usage error naming the versions the format has.
pub fn write_options(
    format: Format,
    version: Option<&str>,
) -> Result<bomsmith::format::WriteOptions> {
    let Some(version) = version else {
        return Ok(bomsmith::format::WriteOptions::default());
    };
    format.options_for(version).ok_or_else(|| {
        anyhow::anyhow!(
            "--spec-version {version}: bomsmith writes {} as version {}",
            format.name(),
            format.versions().join(" or ")
        )
    })
}

/// Reads an SBOM file (`-` for standard input) into the model; returns the name to show, its
/// format, the document and what the read could not carry.
pub fn read_document(path: &Path) -> Result<(String, Kind, Document, ReadReport)> {
    let (name, bytes) = read_input(path)?;
    let (kind, doc, report) = bomsmith::format::read(&bytes, &name)?;
    Ok((name, kind, doc, report))
}

/// The bytes of an input file (`-`: standard input) and the name it goes by in messages.
pub fn read_input(path: &Path) -> Result<(String, Vec<u8>)> {
    Ok(if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut buf)
            .context("reading standard input")?;
        ("<stdin>".to_owned(), buf)
    } else {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).with_context(|| format!("reading {name}"))?;
        (name, bytes)
    })
}

/// A CycloneDX BOM's `serialNumber` and `version` (default 1): what a BOM-Link names it by.
/// Read from the file itself, since the model keeps the BOM's SPDX namespace, when it carries
/// one, in place of its serial number. `None` for anything else.
pub fn bom_link(path: &Path) -> Option<(String, u64)> {
    let (_, bytes) = read_input(path).ok()?;
    let v: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let serial = v.get("serialNumber")?.as_str()?.to_owned();
    Some((serial, v["version"].as_u64().unwrap_or(1)))
}

/// The creation time to record: `SOURCE_DATE_EPOCH` when set, else now.
pub fn creation_time() -> Result<String> {
    Ok(bomsmith::ident::creation_time(
        std::env::var("SOURCE_DATE_EPOCH").ok().as_deref(),
    )?)
}
