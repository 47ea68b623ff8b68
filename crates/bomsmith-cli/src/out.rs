//! Where the command's words go: data to standard output, diagnostics and progress to standard
//! error, and the command line's own words for what the library leaves open (hints).
//!
//! Nothing here panics on a closed pipe: writes return errors, and `main` ends quietly with
//! exit 0 when standard output is gone (as `… | head -1` does to it).

use anyhow::{Context, Result};
use bomsmith::diag::{self, Diagnostic, Help, Level, Overrides, RuleSet};
use bomsmith::error::{Error, GitFailure, LimitExceeded, OutputRefusal};
use clap::{Args, ValueEnum};
use std::io::{self, IsTerminal, Write};
use std::path::Path;

/// Writes `text` to standard output (a final newline added on a terminal).
pub fn stdout(text: &str) -> Result<()> {
    let out = io::stdout();
    let terminal = out.is_terminal();
    let mut lock = out.lock();
    lock.write_all(text.as_bytes())
        .and_then(|()| {
            if terminal && !text.ends_with('\n') {
                lock.write_all(b"\n")
            } else {
                Ok(())
            }
        })
        .and_then(|()| lock.flush())
        .context("writing to standard output")
}

/// Writes one line to standard error, `bomsmith: ` first. A closed standard error is ignored:
/// there is nowhere left to say anything.
pub fn say(line: impl std::fmt::Display) {
    let _ = writeln!(io::stderr().lock(), "bomsmith: {line}");
}

/// Checks, before any work is done, that each of `outputs` may be written: not one of
/// `inputs`, and not an existing file bomsmith did not write unless `force`.
pub fn check_outputs(outputs: &[Option<&Path>], inputs: &[&Path], force: bool) -> Result<()> {
    for path in outputs.iter().flatten() {
        bomsmith::output::check_target(path, inputs, force)?;
    }
    // Two outputs of one command on one path would leave only the last.
    if let [Some(a), Some(b)] = outputs
        && (a == b
            || std::fs::canonicalize(a)
                .is_ok_and(|c| std::fs::canonicalize(b).is_ok_and(|d| c == d)))
    {
        anyhow::bail!("{}: given as two outputs of one command", a.display());
    }
    Ok(())
}

/// `output`'s path relative to the directory `dir`, when it lies inside it (however either is
/// spelt: both are resolved through the file system).
pub fn inside(dir: &Path, output: &Path) -> Option<String> {
    let dir = std::fs::canonicalize(dir).ok()?;
    let name = output.file_name()?;
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let full = std::fs::canonicalize(parent).ok()?.join(name);
    let rel = full.strip_prefix(&dir).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// Writes `text` to `path` atomically, or to standard output.
pub fn write_output(path: Option<&Path>, text: &str) -> Result<()> {
    match path {
        Some(p) => Ok(bomsmith::output::write_atomically(p, text.as_bytes())?),
        None => stdout(text),
    }
}

/// The command line's words completing a diagnostic's message.
pub fn help_text(help: Help) -> String {
    match help {
        Help::FetchOnline => " or pass --online to fetch it".into(),
        Help::Regenerate => "; run `bomsmith vendor regen`".into(),
        _ => String::new(),
    }
}

/// Writes diagnostics to standard error, one line each (`bomsmith: ` first), details indented.
pub fn say_diagnostics(diagnostics: &[Diagnostic]) {
    let text = diag::render::human(diagnostics, &help_text);
    let mut err = io::stderr().lock();
    for line in text.lines() {
        let _ = if line.starts_with("    ") {
            writeln!(err, "  {line}")
        } else {
            writeln!(err, "bomsmith: {line}")
        };
    }
}

/// Report formats of the checking commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// One line per diagnostic, for people.
    Human,
    /// One JSON document (the same shape for every command).
    Json,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
}

/// The report of a checking command in `format`: `human` is written by the caller, who knows
/// its summary line; JSON and SARIF come from the library.
pub fn machine_report<I: serde::Serialize>(
    format: ReportFormat,
    sets: &[&RuleSet],
    inputs: &[I],
    diagnostics: &[Diagnostic],
) -> Option<String> {
    match format {
        ReportFormat::Human => None,
        ReportFormat::Json => Some(diag::render::json(inputs, diagnostics, &help_text)),
        ReportFormat::Sarif => Some(diag::render::sarif(sets, diagnostics, &help_text)),
    }
}

/// `--deny`, `--warn` and `--allow`: severity overrides for a check's rules.
#[derive(Debug, Clone, Default, Args)]
pub struct SeverityArgs {
    /// Make the rule CODE (or name) an error: the check fails when it fires (repeatable).
    #[arg(long, value_name = "CODE")]
    deny: Vec<String>,
    /// Make the rule CODE (or name) a warning (repeatable).
    #[arg(long, value_name = "CODE")]
    warn: Vec<String>,
    /// Leave the rule CODE (or name) out of the report (repeatable).
    #[arg(long, value_name = "CODE")]
    allow: Vec<String>,
}

impl SeverityArgs {
    /// The overrides, checked against `sets`.
    pub fn overrides(&self, sets: &[&RuleSet]) -> Result<Overrides> {
        let mut o = Overrides::default();
        for (keys, level) in [
            (&self.allow, Level::Allow),
            (&self.warn, Level::Warn),
            (&self.deny, Level::Deny),
        ] {
            for k in keys {
                o.set(k, level, sets).map_err(anyhow::Error::msg)?;
            }
        }
        Ok(o)
    }
}

/// The command that failed, for hints that name its options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HintFor {
    /// `scan`.
    Scan,
    /// `vendor ...`.
    Vendor,
    /// Anything else.
    Other,
}

/// What the user can do about `e`, in the command line's terms.
pub fn hints(e: &anyhow::Error, context: HintFor) -> Vec<String> {
    let mut out = Vec::new();
    for cause in e.chain() {
        let Some(err) = cause.downcast_ref::<Error>() else {
            continue;
        };
        match err {
            Error::Output {
                refusal: OutputRefusal::Foreign { .. },
                ..
            } => out.push("pass --force to replace it, or choose another output path".into()),
            Error::Limit { limit, .. } => out.push(match limit {
                LimitExceeded::Ratio { .. } => "raise --max-ratio to allow".to_owned(),
                _ => "raise --max-unpacked-size to allow".to_owned(),
            }),
            Error::Git { failure, .. } => match (context, failure) {
                (HintFor::Vendor, _) => out
                    .push("pass --no-git to list the files without git's ignore rules".to_owned()),
                (HintFor::Scan, GitFailure::NotRun) => {
                    out.push("--git-tracked needs git; leave it out to read every file".into())
                }
                (HintFor::Scan, _) => out.push(
                    "--git-tracked needs a git work tree; leave it out to read every file".into(),
                ),
                _ => {}
            },
            Error::Invalid { what, .. } if what == "exclude pattern" => {
                out.push("check the patterns given to --exclude".into());
            }
            _ => {}
        }
    }
    out
}

/// The whole message of `e`, each cause once: a cause whose text its outer error already
/// shows (an I/O error quoted in its file's message) is not repeated.
pub fn describe(e: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in e.chain() {
        let part = cause.to_string();
        if text.contains(&part) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&part);
    }
    text
}

/// True when `e` comes from writing to a closed pipe.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
            || matches!(
                cause.downcast_ref::<Error>(),
                Some(Error::Io { source, .. }) if source.kind() == io::ErrorKind::BrokenPipe
            )
    })
}

/// `n word` or `n words`.
pub fn count(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}
