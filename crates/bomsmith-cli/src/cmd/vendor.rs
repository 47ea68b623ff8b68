//! `bomsmith vendor init | regen | check | detect | rules`.

use crate::out::{self, ReportFormat, SeverityArgs};
use anyhow::{Result, bail};
use bomsmith::config::{Config, RulesSource};
use bomsmith::detect::vendored::{Candidate, VendoredCodeDetector};
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
    /// Write a starting bomsmith.toml and in-tree SBOM from what `vendor detect` finds.
    Init(InitArgs),
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
    #[arg(long, value_name = "NAME", value_parser = super::preset_parser())]
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
pub struct InitArgs {
    /// The project's source tree.
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Where the in-tree SBOM goes, from DIR.
    #[arg(long, value_name = "PATH", default_value = "sbom.spdx.json")]
    sbom: String,
    /// Replace a bomsmith.toml and in-tree SBOM that bomsmith wrote before (never other files).
    #[arg(long)]
    force: bool,
    /// List files without git's ignore rules even in a git work tree.
    #[arg(long)]
    no_git: bool,
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

/// `check`, `regen` and `init` work on a source tree they may write to.
fn check_dir(dir: &Path, command: &str) -> Result<()> {
    if dir.is_file() {
        bail!(
            "{}: not a directory; `vendor {command}` works on a source tree (extract the archive first; `vendor detect` reads archives)",
            dir.display()
        );
    }
    if !dir.is_dir() {
        bail!("{}: not a directory", dir.display());
    }
    Ok(())
}

/// Loads the configuration a tree command needs and, where it names the tree's own generator
/// (`rules_from`), takes the component rules from it, saying which table is used.
fn load_for_tree(tree: &TreeArgs, quiet: bool) -> Result<Config> {
    let Some(mut config) = load(tree, true)? else {
        bail!(
            "{} has no bomsmith.toml; pass --config FILE or --preset NAME",
            tree.dir.display()
        )
    };
    say_rules(&mut config, &tree.dir, quiet);
    Ok(config)
}

/// Takes the component rules from the tree's generator where the configuration says so, and
/// says on stderr which table is used.
pub(crate) fn say_rules(config: &mut Config, dir: &Path, quiet: bool) {
    // Read at most one byte more than the reader takes (a device or a huge file costs nothing).
    let read = |rel: &str| {
        let limit = bomsmith::pyliteral::MAX_TEXT as u64 + 1;
        let read = std::fs::File::open(dir.join(rel)).and_then(|f| {
            let mut data = Vec::new();
            std::io::Read::read_to_end(&mut std::io::Read::take(f, limit), &mut data)?;
            Ok(data)
        });
        match read {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            other => Some(other),
        }
    };
    for said in config.apply_tree_rules(&read) {
        match said {
            RulesSource::Tree {
                sbom,
                file,
                variable,
                components,
            } => {
                if !quiet {
                    out::say(format_args!(
                        "note: the file rules of {sbom} are {file}'s {variable} ({components} component{})",
                        plural(components)
                    ));
                }
            }
            RulesSource::Bundled {
                sbom,
                file,
                config,
                unreadable: None,
            } => {
                if !quiet {
                    out::say(format_args!(
                        "note: {file} is absent; the file rules of {sbom} are {config}'s table"
                    ));
                }
            }
            RulesSource::Bundled {
                sbom,
                file: _,
                config,
                unreadable: Some(why),
            } => out::say(format_args!(
                "warning: {why}: not read (bomsmith reads it as data and never runs it); the file rules of {sbom} are {config}'s table"
            )),
        }
    }
}

pub fn run(cmd: VendorCommand) -> Result<ExitCode> {
    match cmd {
        VendorCommand::Init(a) => init(a),
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
        documents: Vec::new(),
    }
}

fn regen(args: RegenArgs) -> Result<ExitCode> {
    let started = Instant::now();
    check_dir(&args.tree.dir, "regen")?;
    let config = load_for_tree(&args.tree, args.quiet)?;
    let outcome = intree::run(&args.tree.dir, &config, &options(&args.tree))?;
    // Nothing is written that would not be a valid document.
    let invalid = intree::validate_new(&outcome, &config);
    if !invalid.is_empty() {
        let mut shown: Vec<_> = outcome
            .diagnostics
            .iter()
            .filter(|d| d.rule.code == intree::MISSING_FIELD.code)
            .cloned()
            .collect();
        shown.extend(invalid);
        out::say_diagnostics(&shown);
        out::say(format_args!(
            "vendor regen: nothing written; fill in what is named above, then run it again"
        ));
        return Ok(ExitCode::from(1));
    }
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
    check_dir(&args.tree.dir, "check")?;
    let config = load_for_tree(&args.tree, false)?;
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

/// The candidates `vendor detect` finds in a tree or a release archive (read through the same
/// inventory as `scan`), marked with the configured components that declare them.
fn candidates(path: &Path, no_git: bool, config: Option<&Config>) -> Result<Vec<Candidate>> {
    if !path.exists() {
        bail!("{}: no such file or directory", path.display());
    }
    let options = inventory::Options {
        read: ReadOptions {
            dir: DirOptions {
                bases: Vec::new(),
                git: (!no_git).then_some(GitFiles::NotIgnored),
            },
            ..ReadOptions::default()
        },
        hash_only: Some(Vec::new()),
        ..inventory::Options::default()
    };
    let (inventory, evidence) = detect::run(path, &options, &[&VendoredCodeDetector::default()])?;
    let mut found: Vec<_> = evidence
        .into_iter()
        .flatten()
        .filter_map(|e| match e {
            Evidence::Vendored(c) => Some(c),
            _ => None,
        })
        .collect();
    if let Some(config) = config {
        intree::mark_declared(config, &inventory, &mut found);
    }
    Ok(found)
}

fn detect(args: DetectArgs) -> Result<ExitCode> {
    let mut config = load(&args.tree, false)?;
    if let Some(config) = &mut config
        && args.tree.dir.is_dir()
    {
        say_rules(config, &args.tree.dir, true);
    }
    let found = candidates(&args.tree.dir, args.tree.no_git, config.as_ref())?;
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

/// Whether bomsmith wrote the file at `path` (a configuration starting with
/// [`intree::INIT_HEADER`], an SPDX document whose creators name bomsmith).
fn written_by_bomsmith(path: &Path, is_config: bool) -> bool {
    if is_config {
        return std::fs::read(path).is_ok_and(|b| b.starts_with(intree::INIT_HEADER.as_bytes()));
    }
    bomsmith::output::written_by_us(path)
}

fn init(args: InitArgs) -> Result<ExitCode> {
    check_dir(&args.dir, "init")?;
    let rel = args.sbom.trim_start_matches("./").to_owned();
    if rel.is_empty() || rel.starts_with('/') || rel.split('/').any(|p| p == "..") {
        bail!(
            "--sbom {}: a path inside the tree (no leading `/`, no `..`)",
            args.sbom
        );
    }
    let config_path = args.dir.join("bomsmith.toml");
    let sbom_path = args.dir.join(&rel);
    let mut refused = Vec::new();
    for (path, is_config) in [(&config_path, true), (&sbom_path, false)] {
        if path.exists() || path.is_symlink() {
            if !args.force {
                refused.push(format!("{} exists", path.display()));
            } else if !written_by_bomsmith(path, is_config) {
                refused.push(format!(
                    "{} exists and bomsmith did not write it",
                    path.display()
                ));
            }
        }
    }
    if !refused.is_empty() {
        bail!(
            "vendor init writes nothing: {}{}",
            refused.join("; "),
            if args.force {
                ""
            } else {
                " (--force replaces files bomsmith wrote)"
            }
        );
    }
    let found = candidates(&args.dir, args.no_git, None)?;
    if found.iter().all(|c| c.path.is_empty()) {
        bail!(
            "{}: `vendor detect` finds no vendored code, so there is nothing to declare",
            args.dir.display()
        );
    }
    let title = std::fs::canonicalize(&args.dir)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "project".to_owned());
    let created =
        bomsmith::ident::creation_time(std::env::var("SOURCE_DATE_EPOCH").ok().as_deref())?;
    let (config_text, skeleton) =
        intree::starting_point(&found, &rel, &format!("{title} vendored code"), &created);
    let config = Config::parse(&config_text, &config_path.display().to_string())?;
    let mut opts = intree::Options {
        gitignore: !args.no_git,
        ..intree::Options::default()
    };
    opts.documents.push((rel.clone(), skeleton));
    let outcome = intree::run(&args.dir, &config, &opts)?;
    let invalid = intree::validate_new(&outcome, &config);
    if !invalid.is_empty() {
        out::say_diagnostics(&invalid);
        bail!("vendor init writes nothing: the starting document would not be valid");
    }
    let Some(doc) = outcome.documents.first() else {
        bail!("vendor init: no document was made");
    };
    bomsmith::output::write_atomically(&config_path, config_text.as_bytes())?;
    bomsmith::output::write_atomically(&sbom_path, &doc.new)?;
    let shown: Vec<_> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.rule.code != intree::STALE.code)
        .cloned()
        .collect();
    out::say_diagnostics(&shown);
    out::say(format_args!(
        "wrote {} ({} component{}) and {} ({} package{}, {} file{}); review them, fill in the package fields, then `bomsmith vendor check`",
        config_path.display(),
        doc.packages,
        plural(doc.packages),
        sbom_path.display(),
        doc.packages,
        plural(doc.packages),
        doc.files,
        plural(doc.files)
    ));
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
