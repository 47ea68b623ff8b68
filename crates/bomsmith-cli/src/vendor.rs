//! `bomsmith vendor regen | check | detect | rules`.

use anyhow::{Result, bail};
use bomsmith::config::Config;
use bomsmith::vendor::download::VerifyOptions;
use bomsmith::vendor::{self, Finding, Outcome, Place, Severity};
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
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    format: OutputFormat,
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

fn options(tree: &TreeArgs) -> vendor::Options {
    vendor::Options {
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
    let outcome = vendor::run(&args.tree.dir, &config, &options(&args.tree))?;
    let written = vendor::write(&outcome)?;
    for f in outcome
        .findings
        .iter()
        .filter(|f| f.rule.code != vendor::STALE.code)
    {
        if f.rule.severity != Severity::Info || !args.quiet {
            eprintln!("bomsmith: {}", human_line(f));
        }
    }
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
            eprintln!(
                "bomsmith: {}: {state}; {} package{}, {} file{}",
                d.path,
                d.packages,
                plural(d.packages),
                d.files,
                plural(d.files)
            );
        }
        eprintln!(
            "bomsmith: vendor regen in {:.3} s",
            started.elapsed().as_secs_f64()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn human_line(f: &Finding) -> String {
    let pointer = match &f.place {
        Place::Pointer(p) => format!(" ({p})"),
        _ => String::new(),
    };
    format!(
        "{}: {} {}: {}{pointer}",
        f.location(),
        f.rule.code,
        f.rule.severity.name(),
        f.message
    )
}

fn check(args: CheckArgs) -> Result<ExitCode> {
    check_dir(&args.tree.dir)?;
    let Some(config) = load(&args.tree, true)? else {
        unreachable!("load with required=true returns a configuration or an error")
    };
    let mut opts = options(&args.tree);
    if let Some(cache) = &args.verify_downloads {
        let mut v = VerifyOptions::new(cache.clone());
        v.online = args.online;
        v.timeout = Duration::from_secs(args.timeout.max(1));
        v.attempts = args.attempts.max(1);
        opts.verify = Some(v);
    }
    let outcome = vendor::run(&args.tree.dir, &config, &opts)?;
    match args.format {
        OutputFormat::Human => print!("{}", human_report(&outcome)),
        OutputFormat::Json => println!(
            "{}",
            bomsmith::json::to_canonical_string(&json_report(&outcome))
        ),
    }
    Ok(if outcome.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn counts(outcome: &Outcome) -> (usize, usize, usize) {
    let n = |s: Severity| {
        outcome
            .findings
            .iter()
            .filter(|f| f.rule.severity == s)
            .count()
    };
    (n(Severity::Error), n(Severity::Warning), n(Severity::Info))
}

fn human_report(outcome: &Outcome) -> String {
    let mut out = String::new();
    let mut sorted: Vec<&Finding> = outcome.findings.iter().collect();
    sorted.sort_by_key(|f| f.rule.severity);
    for f in sorted {
        out.push_str(&human_line(f));
        out.push('\n');
        for d in &f.details {
            out.push_str("    ");
            out.push_str(d);
            out.push('\n');
        }
    }
    let (e, w, i) = counts(outcome);
    let files: usize = outcome.documents.iter().map(|d| d.files).sum();
    out.push_str(&format!(
        "vendor check: {e} error{}, {w} warning{}, {i} note{} ({} document{}, {files} file{})\n",
        plural(e),
        plural(w),
        plural(i),
        outcome.documents.len(),
        plural(outcome.documents.len()),
        plural(files)
    ));
    out
}

fn json_report(outcome: &Outcome) -> Value {
    let findings: Vec<Value> = outcome
        .findings
        .iter()
        .map(|f| {
            let mut v = json!({
                "code": f.rule.code,
                "rule": f.rule.name,
                "severity": f.rule.severity.name(),
                "file": f.file,
                "message": f.message,
                "details": f.details,
            });
            match &f.place {
                Place::Line(l, c) => {
                    v["line"] = json!(l);
                    v["column"] = json!(c);
                }
                Place::Pointer(p) => v["pointer"] = json!(p),
                Place::File => {}
            }
            v
        })
        .collect();
    let documents: Vec<Value> = outcome
        .documents
        .iter()
        .map(|d| {
            json!({
                "path": d.path,
                "stale": d.is_stale(),
                "packages": d.packages,
                "files": d.files,
                "changes": d.changes,
            })
        })
        .collect();
    let (e, w, i) = counts(outcome);
    json!({
        "findings": findings,
        "documents": documents,
        "summary": {"errors": e, "warnings": w, "notes": i},
    })
}

fn detect(args: DetectArgs) -> Result<ExitCode> {
    check_dir(&args.tree.dir)?;
    let config = load(&args.tree, false)?;
    let found = vendor::detect::detect(&args.tree.dir, config.as_ref(), !args.tree.no_git)?;
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
            println!(
                "{}",
                bomsmith::json::to_canonical_string(&json!({"candidates": list}))
            );
        }
        OutputFormat::Human => {
            let mut out = String::new();
            for c in &found {
                let version = c.version.as_deref().map_or_else(
                    || "version not stated in the source".to_owned(),
                    str::to_owned,
                );
                let declared = c
                    .declared
                    .as_deref()
                    .map_or_else(|| "not declared".to_owned(), |d| format!("declared as {d}"));
                out.push_str(&format!(
                    "{}: {} {version} ({declared})\n",
                    if c.path.is_empty() { "." } else { &c.path },
                    c.name
                ));
                for e in &c.evidence {
                    out.push_str(&format!("    {e}\n"));
                }
            }
            let undeclared: Vec<_> = found.iter().filter(|c| c.declared.is_none()).collect();
            if !undeclared.is_empty() {
                out.push_str("\n# Configuration for what is not declared yet (bomsmith.toml):\n\n");
                for c in &undeclared {
                    out.push_str(&c.stanza());
                    out.push('\n');
                }
            }
            out.push_str(&format!(
                "vendor detect: {} candidate{}, {} not declared\n",
                found.len(),
                plural(found.len()),
                undeclared.len()
            ));
            print!("{out}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn rules(args: RulesArgs) -> Result<ExitCode> {
    match args.explain {
        Some(code) => {
            let Some(r) = vendor::rule(&code) else {
                bail!("no rule `{code}`; `bomsmith vendor rules` lists them");
            };
            println!("{}", r.explained());
        }
        None => {
            for r in vendor::RULES {
                println!("{}", r.row());
            }
            println!();
            println!("Version detectors (`detector = \"...\"`):");
            for d in bomsmith::detect::version::DETECTORS {
                let files: Vec<&str> = d.probes.iter().map(|p| p.suffix).collect();
                println!("  {:10} {}", d.name, files.join(", "));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
