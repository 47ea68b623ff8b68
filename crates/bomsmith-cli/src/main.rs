//! The `bomsmith` command: a thin front end over the `bomsmith` library.
//!
//! Data goes to stdout or `-o FILE`; diagnostics to stderr. Exit codes: 0 success, 1 the check
//! found problems, 2 usage or operational error.

use anyhow::{Context, Result, bail};
use bomsmith::config::Config;
use bomsmith::digest::DigestSet;
use bomsmith::format::{Format, write_atomically};
use bomsmith::input::{DirOptions, Limits, ReadOptions};
use bomsmith::scan::{ScanOptions, scan};
use clap::{Args, Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

mod convert;
mod diff;
mod validate;
mod vendor;

#[derive(Debug, Parser)]
#[command(
    name = "bomsmith",
    version,
    about = "Software Bills of Materials for release engineering: offline, deterministic, fast"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write an SBOM for a directory or a release archive (tar, tar.gz/xz/bz2/zst, zip, wheel).
    Scan(ScanArgs),
    /// Keep the in-tree SBOM of vendored code true: regen, check, detect.
    #[command(subcommand)]
    Vendor(vendor::VendorCommand),
    /// Check SPDX 2.3 and CycloneDX 1.6 documents: schema, semantics, NTIA and BSI profiles.
    Validate(validate::ValidateArgs),
    /// Convert an SBOM between SPDX 2.3 JSON and CycloneDX 1.6 JSON; losses go to stderr.
    Convert(convert::ConvertArgs),
    /// Show what changed between two SBOMs (either format): components and files.
    Diff(diff::DiffArgs),
}

#[derive(Debug, Args)]
struct ScanArgs {
    /// Directory or archive to describe. Archives are recognised by content, not by name.
    input: PathBuf,
    /// Project configuration (default: bomsmith.toml at the root of a scanned directory).
    #[arg(long, value_name = "FILE", conflicts_with = "preset")]
    config: Option<PathBuf>,
    /// A bundled configuration: `cpython` (a CPython source release tarball).
    #[arg(long, value_name = "NAME")]
    preset: Option<String>,
    /// Output format.
    #[arg(short = 'f', long, default_value = "spdx-json", value_parser = parse_format)]
    format: Format,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Leave out paths matching GLOB (repeatable). Without `/` it matches a name at any depth.
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    /// Only files tracked by git (`git ls-files`); the input must be a git work tree.
    #[arg(long)]
    git_tracked: bool,
    /// Also record SHA-512 of every file.
    #[arg(long)]
    sha512: bool,
    /// Largest accepted ratio of unpacked to packed bytes (decompression bomb guard).
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_ratio)]
    max_ratio: u64,
    /// Largest accepted unpacked size of one input (bytes; K, M, G, T suffixes).
    #[arg(long, value_name = "SIZE", default_value = "64G", value_parser = parse_size)]
    max_unpacked_size: u64,
    /// No summary on standard error (warnings are still shown).
    #[arg(short, long)]
    quiet: bool,
}

pub(crate) fn parse_format(s: &str) -> Result<Format, String> {
    Format::from_name(s).ok_or_else(|| {
        format!(
            "unknown format `{s}` (known: {})",
            Format::ALL.map(|f| f.name()).join(", ")
        )
    })
}

/// Reads an SBOM file (`-` for standard input) into the model; returns the name to show, its
/// format, the document and what the read could not carry.
pub(crate) fn read_document(
    path: &Path,
) -> Result<(
    String,
    bomsmith::format::Kind,
    bomsmith::model::Document,
    bomsmith::format::ReadReport,
)> {
    let (name, bytes) = if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut buf)
            .context("reading standard input")?;
        ("<stdin>".to_owned(), buf)
    } else {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).with_context(|| format!("reading {name}"))?;
        (name, bytes)
    };
    let (kind, doc, report) = bomsmith::format::read(&bytes, &name)?;
    Ok((name, kind, doc, report))
}

/// Writes `text` to `path` atomically, or to standard output.
pub(crate) fn write_output(path: Option<&Path>, text: &str) -> Result<()> {
    match path {
        Some(p) => Ok(write_atomically(p, text.as_bytes())?),
        None => write_stdout(text),
    }
}

fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (digits, shift) = match s.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => {
            let shift = match c.to_ascii_uppercase() {
                'K' => 10,
                'M' => 20,
                'G' => 30,
                'T' => 40,
                _ => return Err(format!("unknown size suffix `{c}` (use K, M, G or T)")),
            };
            (&s[..i], shift)
        }
        _ => (s, 0),
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("`{s}` is not a size (e.g. 500M, 64G)"))?;
    n.checked_shl(shift)
        .filter(|v| v >> shift == n)
        .ok_or_else(|| format!("`{s}` is too large"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Scan(args) => run_scan(args),
        Command::Vendor(cmd) => vendor::run(cmd),
        Command::Validate(args) => validate::run(args),
        Command::Convert(args) => convert::run(args),
        Command::Diff(args) => diff::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("bomsmith: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn load_config(args: &ScanArgs) -> Result<Config> {
    if let Some(name) = &args.preset {
        return Ok(Config::preset(name)?);
    }
    if let Some(path) = &args.config {
        return Ok(Config::load(path)?);
    }
    let implicit = args.input.join("bomsmith.toml");
    if args.input.is_dir() && implicit.is_file() {
        return Ok(Config::load(&implicit)?);
    }
    Ok(Config::default())
}

fn run_scan(args: ScanArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let config = load_config(&args)?;
    let created =
        bomsmith::ident::creation_time(std::env::var("SOURCE_DATE_EPOCH").ok().as_deref())?;
    let options = ScanOptions {
        config,
        read: ReadOptions {
            limits: Limits {
                max_ratio: args.max_ratio,
                max_unpacked: args.max_unpacked_size,
            },
            dir: DirOptions {
                excludes: args.exclude.clone(),
                git_tracked: args.git_tracked,
            },
        },
        digests: DigestSet {
            sha512: args.sha512,
        },
        created,
    };
    if args.max_ratio == 0 {
        bail!("--max-ratio must be at least 1");
    }
    let outcome = scan(&args.input, &options)?;
    let text = args.format.write(&outcome.document);
    write_output(args.output.as_deref(), &text)?;
    for w in &outcome.warnings {
        eprintln!("bomsmith: warning: {w}");
    }
    if !args.quiet {
        let s = &outcome.summary;
        let mut parts = vec![format!("{} files ({})", s.files, human_bytes(s.bytes))];
        if s.hard_links > 0 {
            parts.push(format!("{} of them hard links", s.hard_links));
        }
        for (kind, n) in &s.others {
            parts.push(format!("{n} {}", kind.plural()));
        }
        if s.excluded > 0 {
            parts.push(format!("{} excluded", s.excluded));
        }
        eprintln!(
            "bomsmith: {} ({}): {}; {}, {}; {}in {:.2} s",
            display_name(&args.input),
            s.kind.describe(),
            parts.join(", "),
            count(outcome.document.packages.len(), "package"),
            count(outcome.document.relationships.len(), "relationship"),
            args.output
                .as_ref()
                .map_or_else(String::new, |p| format!("wrote {} ", p.display())),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn display_name(p: &Path) -> String {
    p.file_name().map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

fn write_stdout(text: &str) -> Result<()> {
    let stdout = std::io::stdout();
    let terminal = stdout.is_terminal();
    let mut lock = stdout.lock();
    lock.write_all(text.as_bytes())
        .and_then(|()| {
            if terminal {
                lock.write_all(b"\n")
            } else {
                Ok(())
            }
        })
        .and_then(|()| lock.flush())
        .context("writing to standard output")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("10"), Ok(10));
        assert_eq!(parse_size("2K"), Ok(2048));
        assert_eq!(parse_size("64G"), Ok(64 << 30));
        assert!(parse_size("1Q").is_err());
        assert!(parse_size("x").is_err());
        assert!(parse_size("99999999999T").is_err());
    }
}
