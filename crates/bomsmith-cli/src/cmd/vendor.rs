//! `bomsmith vendor regen | check | detect | rules`.

use crate::out::{self, ReportFormat, SeverityArgs};
use anyhow::{Result, bail};
use bomsmith::config::Config;
use bomsmith::detect::vendored::VendoredCodeDetector;
use bomsmith::detect::{self, Evidence};
use bomsmith::diag::{Severity, Summary};
use bomsmith::input::{DirOptions, GitFiles, ReadOptions};
use bomsmith::intree::download::VerifyOptions;
use bomsmith::intree::{self, Outcome};
use bomsmith::inventory;
use clap::{Args, Subcommand, ValueEnum};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(Debug, Subcommand)]
pub enum VendorCommand {
    /// Rewrite the in-tree SBOM(s) from the tree: files, checksums, relationships, externals.
    Regen(RegenArgs),
    /// Regenerate in memory and compare; report drift. Exit 1 when anything is wrong.
    Check(CheckArgs),
    /// Find vendored code the configuration does not declare, with evidence.
    Detect(DetectArgs),
    /// List the rules `check` applies, or explain one (`--explain V002`).
    Rules(RulesArgs),
}

#[derive(Debug, Args)]
pub struct TreeArgs {
    /// The project's source tree.
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Project configuration (default: DIR/bomsmith.toml).
    #[arg(long, value_name = "FILE", conflicts_with = "preset")]
    config: Option<PathBuf>,
    /// A bundled configuration (`cpython`).
    #[arg(long, value_name = "NAME")]
    preset: Option<String>,
    /// List files without git's ignore rules even in a git work tree.
    #[arg(long)]
    no_git: bool,
}

#[derive(Debug, Args)]
pub struct RegenArgs {
    #[command(flatten)]
    tree: TreeArgs,
    /// Print nothing but warnings and errors.
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OutputFormat {
    Human,
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    tree: TreeArgs,
    /// Report format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    format: ReportFormat,
    #[command(flatten)]
    severity: SeverityArgs,
    /// Check each package's download against its SHA-256, using files in CACHE (named by the
    /// URL's last path segment).
    #[arg(long, value_name = "CACHE")]
    verify_downloads: Option<PathBuf>,
    /// With --verify-downloads: fetch what the cache lacks over the network, into the cache.
    #[arg(long, requires = "verify_downloads")]
    online: bool,
    /// Seconds allowed for each download attempt.
    #[arg(long, value_name = "SECS", default_value_t = 30, requires = "online")]
    timeout: u64,
    /// Attempts per download (waits 1 s, 2 s, 4 s, ... between them).
    #[arg(long, value_name = "N", default_value_t = 3, requires = "online")]
    attempts: u32,
}

#[derive(Debug, Args)]
pub struct DetectArgs {
    #[command(flatten)]
    tree: TreeArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Explain one rule (code or name).
    #[arg(long, value_name = "CODE")]
    explain: Option<String>,
}

fn load(tree: &TreeArgs, required: bool) -> Result<Option<Config>> {
    if let Some(name) = &tree.preset {
        return Ok(Some(Config::preset(name)?));
    }
    if let Some(path) = &tree.config {
        return Ok(Some(Config::load(path)?));
    }
    let implicit = tree.dir.join("bomsmith.toml");
    if implicit.is_file() {
        return Ok(Some(Config::load(&implicit)?));
    }
    if required {
        bail!(
            "{} has no bomsmith.toml; pass --config FILE or --preset NAME",
            tree.dir.display()
        );
    }
    Ok(None)
}

fn check_dir(dir: &Path) -> Result<()> {
    if !dir.is_dir() {
        bail!("{}: not a directory", dir.display());
    }
    Ok(())
}

pub fn run(cmd: VendorCommand) -> Result<ExitCode> {
    match cmd {
        VendorCommand::Regen(a) => regen(a),
        VendorCommand::Check(a) => check(a),
        VendorCommand::Detect(a) => detect(a),
        VendorCommand::Rules(a) => rules(a),
    }
}

fn options(tree: &TreeArgs) -> intree::Options {
    intree::Options {
        gitignore: !tree.no_git,
        verify: None,
    }
}

fn regen(args: RegenArgs) -> Result<ExitCode> {
    let started = Instant::now();
    check_dir(&args.tree.dir)?;
    let Some(config) = load(&args.tree, true)? else {
        unreachable!("load with required=true returns a configuration or an error")
    };
    let outcome = intree::run(&args.tree.dir, &config, &options(&args.tree))?;
    let written = intree::write(&outcome)?;
    let shown: Vec<_> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.rule.code != intree::STALE.code)
        .filter(|d| d.severity != Severity::Info || !args.quiet)
        .map(|d| {
            let mut d = d.clone();
            d.details.clear();
            d
        })
        .collect();
    out::say_diagnostics(&shown);
    if !args.quiet {
        for d in &outcome.documents {
            let state = if written.contains(&d.path) {
                format!(
                    "wrote ({} change{})",
                    d.changes.len(),
                    plural(d.changes.len())
                )
            } else {
                "up to date".to_owned()
            };
            out::say(format_args!(
                "{}: {state}; {} package{}, {} file{}",
                d.path,
                d.packages,
                plural(d.packages),
                d.files,
                plural(d.files)
            ));
        }
        out::say(format_args!(
            "vendor regen in {:.3} s",
            started.elapsed().as_secs_f64()
        ));
    }
    Ok(ExitCode::SUCCESS)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn check(args: CheckArgs) -> Result<ExitCode> {
    check_dir(&args.tree.dir)?;
    let Some(config) = load(&args.tree, true)? else {
        unreachable!("load with required=true returns a configuration or an error")
    };
    let overrides = args.severity.overrides(&[&intree::RULES])?;
    let mut opts = options(&args.tree);
    if let Some(cache) = &args.verify_downloads {
        let mut v = VerifyOptions::new(cache.clone());
        v.online = args.online;
        v.timeout = Duration::from_secs(args.timeout.max(1));
        v.attempts = args.attempts.max(1);
        opts.verify = Some(v);
    }
    let mut outcome = intree::run(&args.tree.dir, &config, &opts)?;
    outcome.diagnostics = overrides.apply(std::mem::take(&mut outcome.diagnostics));
    let inputs: Vec<Input<'_>> = outcome.documents.iter().map(Input::of).collect();
    let text = out::machine_report(
        args.format,
        &[&intree::RULES],
        &inputs,
        &outcome.diagnostics,
    )
    .unwrap_or_else(|| human_report(&outcome));
    out::stdout(&text)?;
    Ok(if outcome.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn human_report(outcome: &Outcome) -> String {
    let mut sorted = outcome.diagnostics.clone();
    sorted.sort_by_key(|d| d.severity);
    let mut text = bomsmith::diag::render::human(&sorted, &out::help_text);
    let s = Summary::of(&outcome.diagnostics);
    let files: usize = outcome.documents.iter().map(|d| d.files).sum();
    text.push_str(&format!(
        "vendor check: {} error{}, {} warning{}, {} note{} ({} document{}, {files} file{})\n",
        s.errors,
        plural(s.errors),
        s.warnings,
        plural(s.warnings),
        s.notes,
        plural(s.notes),
        outcome.documents.len(),
        plural(outcome.documents.len()),
        plural(files)
    ));
    text
}

/// What the JSON report says of each in-tree document.
#[derive(Debug, serde::Serialize)]
struct Input<'a> {
    file: &'a str,
    stale: bool,
    packages: usize,
    files: usize,
    changes: &'a [String],
}

impl<'a> Input<'a> {
    fn of(d: &'a intree::Regenerated) -> Self {
        Input {
            file: &d.path,
            stale: d.is_stale(),
            packages: d.packages,
            files: d.files,
            changes: &d.changes,
        }
    }
}

fn detect(args: DetectArgs) -> Result<ExitCode> {
    check_dir(&args.tree.dir)?;
    let config = load(&args.tree, false)?;
    let options = inventory::Options {
        read: ReadOptions {
            dir: DirOptions {
                bases: Vec::new(),
                git: (!args.tree.no_git).then_some(GitFiles::NotIgnored),
            },
            ..ReadOptions::default()
        },
        hash_only: Some(Vec::new()),
        ..inventory::Options::default()
    };
    let (inventory, evidence) = detect::run(&args.tree.dir, &options, &[&VendoredCodeDetector])?;
    let mut found: Vec<_> = evidence
        .into_iter()
        .flatten()
        .filter_map(|e| match e {
            Evidence::Vendored(c) => Some(c),
            _ => None,
        })
        .collect();
    if let Some(config) = &config {
        intree::mark_declared(config, &inventory, &mut found);
    }
    match args.format {
        OutputFormat::Json => {
            let list: Vec<Value> = found
                .iter()
                .map(|c| {
                    json!({
                        "name": c.name,
                        "path": c.path,
                        "version": c.version,
                        "evidence": c.evidence,
                        "declared_as": c.declared,
                        "stanza": if c.declared.is_none() { Some(c.stanza()) } else { None },
                    })
                })
                .collect();
            out::stdout(&format!(
                "{}\n",
                bomsmith::json::to_canonical_string(&json!({"candidates": list}))
            ))?;
        }
        OutputFormat::Human => {
            let mut text = String::new();
            for c in &found {
                let version = c.version.as_deref().map_or_else(
                    || "version not stated in the source".to_owned(),
                    str::to_owned,
                );
                let declared = c
                    .declared
                    .as_deref()
                    .map_or_else(|| "not declared".to_owned(), |d| format!("declared as {d}"));
                text.push_str(&format!(
                    "{}: {} {version} ({declared})\n",
                    if c.path.is_empty() { "." } else { &c.path },
                    c.name
                ));
                for e in &c.evidence {
                    text.push_str(&format!("    {e}\n"));
                }
            }
            let undeclared: Vec<_> = found.iter().filter(|c| c.declared.is_none()).collect();
            if !undeclared.is_empty() {
                text.push_str(
                    "\n# Configuration for what is not declared yet (bomsmith.toml):\n\n",
                );
                for c in &undeclared {
                    text.push_str(&c.stanza());
                    text.push('\n');
                }
            }
            text.push_str(&format!(
                "vendor detect: {} candidate{}, {} not declared\n",
                found.len(),
                plural(found.len()),
                undeclared.len()
            ));
            out::stdout(&text)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn rules(args: RulesArgs) -> Result<ExitCode> {
    let text = match args.explain {
        Some(code) => {
            let Some(r) = intree::rule(&code) else {
                bail!("no rule `{code}`; `bomsmith vendor rules` lists them");
            };
            format!("{}\n", r.explained())
        }
        None => {
            let mut text: String = intree::RULES.rules.iter().map(|r| r.row() + "\n").collect();
            text.push_str("\nVersion detectors (`detector = \"...\"`):\n");
            for d in bomsmith::detect::version::DETECTORS {
                let files: Vec<&str> = d.probes.iter().map(|p| p.suffix).collect();
                text.push_str(&format!("  {:10} {}\n", d.name, files.join(", ")));
            }
            text
        }
    };
    out::stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}
