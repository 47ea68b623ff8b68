//! `bomsmith scan`: an SBOM for a directory or a release archive.

use crate::out::{self, ReportFormat, SeverityArgs, count};
use crate::progress::Activity;
use anyhow::{Result, bail};
use bomsmith::config::Config;
use bomsmith::diag::{RuleSet, Summary};
use bomsmith::digest::DigestSet;
use bomsmith::digest::Progress;
use bomsmith::format::Format;
use bomsmith::input::{DirOptions, GitFiles, Limits, ReadOptions};
use bomsmith::scan::{ScanOptions, scan};
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Directory or archive to describe. Archives are recognised by content, not by name.
    input: PathBuf,
    /// Project configuration (default: bomsmith.toml at the root of a scanned directory).
    #[arg(long, value_name = "FILE", conflicts_with = "preset")]
    config: Option<PathBuf>,
    /// A bundled configuration: `cpython` picks, by the input's content, `cpython` itself (a
    /// CPython source release), `cpython-windows` (an embeddable, NuGet or install manager
    /// package, an installed layout) or `cpython-macos` (an installer package, a framework).
    #[arg(long, value_name = "NAME", value_parser = super::preset_parser())]
    preset: Option<String>,
    /// The source release the input was built from (Python-X.Y.Z.tar.xz, its tree, or one SBOM
    /// of it such as Misc/externals.spdx.json): the versions it declares are cross-checked
    /// against what the input's bytes state, each disagreement a warning. The configuration's
    /// `[source]` says what to read (the cpython presets have one).
    #[arg(long, value_name = "PATH")]
    source: Option<PathBuf>,
    /// Output format.
    #[arg(short = 'f', long, default_value = "spdx-json", value_parser = super::format_parser())]
    format: Format,
    /// Specification version of the output: 1.6 (default) or 1.7 for cyclonedx-json, 2.3 for
    /// spdx-json.
    #[arg(long, value_name = "VERSION")]
    spec_version: Option<String>,
    /// Write to FILE (atomically) instead of standard output. FILE may not be the input, and an
    /// existing FILE is replaced only when bomsmith wrote it (see --force); inside a scanned
    /// directory, FILE itself is left out of the scan.
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Replace an existing output file even when it is not a document bomsmith wrote.
    #[arg(long)]
    force: bool,
    /// Leave out paths matching GLOB (repeatable), from the artifact's root (an archive's single
    /// top directory). Without `/` it matches a name at any depth; a directory left out takes
    /// everything in it along; `!` in nested archives' names separates like `/`.
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    /// Look into archives inside the input (tar of any compression, zip, wheel) to N levels,
    /// listing their files as `ARCHIVE!PATH`; 0 lists them as files only [default: `[scan]
    /// nested_depth` of the configuration, else 3].
    #[arg(long, value_name = "N")]
    nested_depth: Option<usize>,
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
    /// Also write the diagnostics (warnings, drift) to FILE.
    #[arg(long, value_name = "FILE")]
    diagnostics: Option<PathBuf>,
    /// Format of --diagnostics.
    #[arg(long, value_enum, default_value_t = ReportFormat::Sarif, requires = "diagnostics")]
    diagnostics_format: ReportFormat,
    #[command(flatten)]
    severity: SeverityArgs,
    /// No summary on standard error (warnings are still shown).
    #[arg(short, long)]
    quiet: bool,
}

/// The rule sets whose diagnostics `scan` reports.
fn rule_sets() -> [&'static RuleSet; 3] {
    [
        &bomsmith::input::RULES,
        &bomsmith::assemble::RULES,
        &bomsmith::format::RULES,
    ]
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

fn load_config(args: &ScanArgs, read: &ReadOptions) -> Result<Config> {
    let mut config = read_config(args, read)?;
    // A tree's own generator gives the component rules (`rules_from`); an archive's are the
    // configuration's own.
    if args.input.is_dir() {
        super::vendor::say_rules(&mut config, &args.input, args.quiet);
    }
    Ok(config)
}

fn read_config(args: &ScanArgs, read: &ReadOptions) -> Result<Config> {
    if let Some(name) = &args.preset {
        let (picked, why) = bomsmith::scan::pick_preset(name, &args.input, read)?;
        if picked != *name && !args.quiet {
            out::say(format_args!(
                "{}: preset {picked} ({why})",
                display_name(&args.input)
            ));
        }
        return Ok(Config::preset(&picked)?);
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

/// Runs the command: exit 0, or 1 when a diagnostic is an error (`--deny`); then nothing is
/// written.
pub fn run(args: ScanArgs) -> Result<ExitCode> {
    let started = Instant::now();
    if args.max_ratio == 0 {
        bail!("--max-ratio must be at least 1");
    }
    let mut write_options = super::write_options(args.format, args.spec_version.as_deref())?;
    let sets = rule_sets();
    let overrides = args.severity.overrides(&sets)?;
    // Neither the input nor the source it is cross-checked against is ever written over.
    let mut inputs: Vec<&Path> = vec![&args.input];
    inputs.extend(args.source.as_deref());
    out::check_outputs(
        &[args.output.as_deref(), args.diagnostics.as_deref()],
        &inputs,
        args.force,
    )?;
    // An output inside the scanned directory is not part of what is described: leave exactly
    // that path out, so a second scan does not list the first one's SBOM.
    let mut leave_out = Vec::new();
    if args.input.is_dir() {
        for path in [&args.output, &args.diagnostics].into_iter().flatten() {
            if let Some(rel) = out::inside(&args.input, path) {
                if !args.quiet {
                    out::say(format_args!(
                        "{}: leaving out `{rel}`, the output of this scan",
                        args.input.display()
                    ));
                }
                leave_out.push(rel);
            }
        }
    }
    let read = ReadOptions {
        limits: Limits {
            max_ratio: args.max_ratio,
            max_unpacked: args.max_unpacked_size,
        },
        dir: DirOptions {
            bases: Vec::new(),
            git: args.git_tracked.then_some(GitFiles::Tracked),
        },
    };
    let config = load_config(&args, &read)?;
    let counted = Arc::new(Progress::default());
    bomsmith::scan::cyclonedx_statements(&config, &mut write_options.cyclonedx);
    let options = ScanOptions {
        config,
        read,
        excludes: args.exclude.clone(),
        leave_out,
        digests: DigestSet {
            sha512: args.sha512,
            ..DigestSet::default()
        },
        created: super::creation_time()?,
        progress: Some(Arc::clone(&counted)),
        nested_depth: args.nested_depth,
        source: args.source.clone(),
    };
    let activity = Activity::start(
        display_name(&args.input),
        "files",
        args.quiet,
        Box::new(move || (counted.files(), counted.bytes())),
    );
    let outcome = scan(&args.input, &options);
    activity.done();
    let outcome = outcome?;
    let diagnostics = overrides.apply(outcome.diagnostics);
    out::say_diagnostics(&diagnostics);
    if let Some(path) = &args.diagnostics {
        let inputs = [args.input.display().to_string()];
        let text = out::machine_report(args.diagnostics_format, &sets, &inputs, &diagnostics)
            .unwrap_or_else(|| bomsmith::diag::render::human(&diagnostics, &out::help_text));
        out::write_output(Some(path), &text)?;
    }
    let failed = Summary::of(&diagnostics).errors;
    if failed > 0 {
        out::say(format_args!(
            "{}: {} denied; no SBOM written",
            display_name(&args.input),
            count(failed, "diagnostic")
        ));
        return Ok(ExitCode::from(1));
    }
    let text = args.format.write_with(&outcome.document, &write_options);
    out::write_output(args.output.as_deref(), &text)?;
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
        out::say(format_args!(
            "{} ({}): {}; {}, {}; {}in {:.2} s",
            display_name(&args.input),
            s.kind.describe(),
            parts.join(", "),
            count(outcome.document.packages.len(), "package"),
            count(outcome.document.relationships.len(), "relationship"),
            args.output
                .as_ref()
                .map_or_else(String::new, |p| format!("wrote {} ", p.display())),
            started.elapsed().as_secs_f64()
        ));
    }
    Ok(ExitCode::SUCCESS)
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
