//! `bomsmith vulns`: which known vulnerabilities affect the components of SBOMs, from a
//! database or raw advisory sources, offline; every finding says why.

use super::read_document;
use crate::out;
use anyhow::{Context, Result};
use bomsmith::vuln::{self, git::GitRepos, matcher, report};
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct VulnsArgs {
    /// SBOMs (SPDX 2.2/2.3 JSON or tag-value, SPDX 3.0.1, CycloneDX 1.2–1.7), from any tool.
    #[arg(required = true)]
    sboms: Vec<PathBuf>,
    /// A database built by `db build`, or raw sources (directories of OSV records, OSV zips).
    #[arg(long = "db", required = true, num_args = 1.., value_name = "DB|SOURCE")]
    db: Vec<PathBuf>,
    /// Evaluate GIT ranges of the repository URL in the local clone PATH (`URL=PATH`);
    /// versions map to tags `vX.Y.Z` (then `X.Y.Z`). Without it GIT ranges are not evaluable.
    #[arg(long = "git-repo", value_name = "URL=PATH", value_parser = parse_git_repo)]
    git_repo: Vec<(String, PathBuf)>,
    /// VEX documents (OpenVEX, CycloneDX VEX, CSAF VEX) whose statements mark the findings they
    /// speak for: shown and counted, never dropped; `not_affected` and `fixed` ones do not count
    /// for --fail-on. Statements are merged first: per vulnerability and product the newest.
    #[arg(long = "vex", num_args = 1.., value_name = "FILE")]
    vex: Vec<PathBuf>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = Output::Human)]
    format: Output,
    /// Under each finding, the records, ranges and rules that matched; and every record that
    /// could not be evaluated, with why.
    #[arg(long)]
    explain: bool,
    /// Exit 1 when a finding is at or above this severity (`any`: every finding, including
    /// those without a severity).
    #[arg(long, value_name = "SEVERITY", value_parser = parse_fail_on)]
    fail_on: Option<matcher::Level>,
    /// Write the report to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Replace an existing output file bomsmith did not write.
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Output {
    Human,
    Json,
    Sarif,
}

fn parse_git_repo(s: &str) -> Result<(String, PathBuf), String> {
    let (url, path) = s
        .rsplit_once('=')
        .filter(|(u, p)| !u.is_empty() && !p.is_empty())
        .ok_or_else(|| format!("`{s}` is not URL=PATH"))?;
    Ok((url.to_owned(), PathBuf::from(path)))
}

fn parse_fail_on(s: &str) -> Result<matcher::Level, String> {
    if s.eq_ignore_ascii_case("any") {
        return Ok(matcher::Level::Unknown);
    }
    matcher::Level::parse(s)
        .ok_or_else(|| format!("`{s}` is not a severity (any, low, medium, high, critical)"))
}

/// Runs the command: exit 0, or 1 when `--fail-on` is given and a finding reaches it.
pub fn run(args: VulnsArgs) -> Result<ExitCode> {
    let mut inputs: Vec<&Path> = args.sboms.iter().map(PathBuf::as_path).collect();
    inputs.extend(args.db.iter().map(PathBuf::as_path));
    inputs.extend(args.vex.iter().map(PathBuf::as_path));
    out::check_outputs(&[args.output.as_deref()], &inputs, args.force)?;
    let mut git = GitRepos::new();
    for (url, path) in &args.git_repo {
        if !path.join(".git").exists() && !path.join("HEAD").is_file() {
            anyhow::bail!("{}: not a git repository (given for {url})", path.display());
        }
        git.add(url, path);
    }
    let sources: Vec<&Path> = args.db.iter().map(PathBuf::as_path).collect();
    let store = vuln::open(&sources)?;
    if let vuln::index::Store::Memory(_) = &store {
        super::db::say_problems(&store.sources(), &store.problems());
    }
    super::db::require_records(&store.sources())?;
    let statements = read_vex(&args.vex)?;
    let mut results = Vec::with_capacity(args.sboms.len());
    for path in &args.sboms {
        let (name, kind, doc, read) = read_document(path)?;
        let mut outcome = matcher::match_document(&doc, &read.renamed, &store, &git)
            .with_context(|| format!("matching {name}"))?;
        if !args.vex.is_empty() {
            let serial = match kind {
                bomsmith::format::Kind::CycloneDx => super::bom_link(path).map(|(s, _)| s),
                bomsmith::format::Kind::Spdx => None,
            };
            let applied = bomsmith::vex::apply::apply(
                &doc,
                &read.renamed,
                serial.as_deref(),
                &mut outcome,
                &statements,
            );
            if applied.unused > 0 {
                out::say(format_args!(
                    "{name}: {} of {} VEX statements (per vulnerability and product) spoke for no finding",
                    applied.unused,
                    statements.len()
                ));
            }
        }
        results.push(report::SbomOutcome {
            file: name,
            outcome,
        });
    }
    let text = match args.format {
        Output::Human => report::human(&results, &store.sources(), args.explain),
        Output::Json => {
            let mut s = serde_json::to_string_pretty(&report::json(&results, &store.sources()))?;
            s.push('\n');
            s
        }
        Output::Sarif => {
            let mut s = serde_json::to_string_pretty(&report::sarif(&results))?;
            s.push('\n');
            s
        }
    };
    out::write_output(args.output.as_deref(), &text)?;
    let failing = args.fail_on.is_some_and(|threshold| {
        results
            .iter()
            .flat_map(|r| &r.outcome.findings)
            .filter(|f| !f.vex.as_ref().is_some_and(|m| m.settles()))
            .any(|f| f.severity.level >= threshold)
    });
    Ok(if failing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Reads and merges the VEX documents: conflicts (two statements about one vulnerability and
/// product that disagree) are said on standard error with both sources; the newest is kept.
fn read_vex(paths: &[PathBuf]) -> Result<Vec<bomsmith::vex::Merged>> {
    let mut docs = Vec::with_capacity(paths.len());
    for p in paths {
        let (name, bytes) = super::read_input(p)?;
        docs.push(bomsmith::vex::read(&bytes, &name)?);
    }
    let (merged, conflicts) = bomsmith::vex::merge(&docs);
    // The first few in full, then a count: a hub of documents can disagree with itself often.
    const SHOWN: usize = 10;
    for c in conflicts.iter().take(SHOWN) {
        out::say(format_args!(
            "VEX conflict on {} for {}: {} ({}) kept over {} ({}), the newer",
            c.vulnerability,
            c.product,
            c.kept.0.name(),
            c.kept.1,
            c.dropped.0.name(),
            c.dropped.1
        ));
    }
    if conflicts.len() > SHOWN {
        out::say(format_args!(
            "VEX: {} more conflicts like these (statements about one vulnerability and product that disagree; the newer kept)",
            conflicts.len() - SHOWN
        ));
    }
    Ok(merged)
}
