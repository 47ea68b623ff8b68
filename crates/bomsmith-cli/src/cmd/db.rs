//! `bomsmith db`: compile advisory sources into one SQLite database, and describe one.

use crate::out;
use anyhow::Result;
use bomsmith::vuln::{self, db, source::SourceSummary};
use clap::{Args, Subcommand, ValueEnum};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Compile OSV sources (directories of .json/.yaml records, zips of OSV exports, record
    /// files) into one SQLite database.
    Build(BuildArgs),
    /// Print a database's (or raw sources') sources, record counts and newest `modified` time.
    Info(InfoArgs),
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Advisory sources.
    #[arg(required = true)]
    sources: Vec<PathBuf>,
    /// The database to write (replaced atomically).
    #[arg(short, long)]
    output: PathBuf,
    /// Replace an existing file that is not a bomsmith database.
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Args)]
pub struct InfoArgs {
    /// A database built by `db build`, or raw sources.
    #[arg(required = true)]
    sources: Vec<PathBuf>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = InfoFormat::Human)]
    format: InfoFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum InfoFormat {
    Human,
    Json,
}

/// Runs `db build` or `db info`.
pub fn run(command: DbCommand) -> Result<ExitCode> {
    match command {
        DbCommand::Build(args) => build(args),
        DbCommand::Info(args) => info(args),
    }
}

fn build(args: BuildArgs) -> Result<ExitCode> {
    let inputs: Vec<&Path> = args.sources.iter().map(PathBuf::as_path).collect();
    // A database bomsmith built may be replaced like any document it wrote.
    let ours = db::is_database(&args.output);
    bomsmith::output::check_target(&args.output, &inputs, args.force || ours)?;
    if let Some(d) = inputs.iter().find(|p| db::is_database(p)) {
        anyhow::bail!(
            "{}: a vulnerability database, not a source; build from the sources it was built from",
            d.display()
        );
    }
    let loaded = vuln::source::load(&inputs)?;
    say_problems(&loaded.sources, &loaded.problems);
    require_records(&loaded.sources)?;
    let shown = args.output.display().to_string();
    let bytes = db::build(&loaded, &shown)?;
    bomsmith::output::write_atomically(&args.output, &bytes)?;
    let records: usize = loaded.sources.iter().map(|s| s.records).sum();
    out::say(format_args!(
        "wrote {shown}: {} from {} ({} KiB)",
        out::count(records, "record"),
        out::count(loaded.sources.len(), "source"),
        bytes.len() / 1024
    ));
    Ok(ExitCode::SUCCESS)
}

/// Fails when the sources hold no record at all: an empty database, or a report of no
/// vulnerabilities, would look like an answer.
pub fn require_records(sources: &[vuln::source::SourceSummary]) -> Result<()> {
    if sources.iter().all(|s| s.records == 0) {
        let names: Vec<&str> = sources.iter().map(|s| s.label.as_str()).collect();
        anyhow::bail!(
            "{}: no advisory records found ({} read and skipped as not records); nothing to match against",
            names.join(", "),
            out::count(
                sources.iter().map(|s| s.skipped + s.malformed).sum(),
                "file"
            )
        );
    }
    Ok(())
}

/// Warns of each source with no record, and says each record that could not be loaded (the
/// first 20, then how many more).
pub fn say_problems(sources: &[vuln::source::SourceSummary], problems: &[vuln::source::Problem]) {
    // (When no source has a record, `require_records` says so once.)
    let some = sources.iter().any(|s| s.records > 0);
    for s in sources.iter().filter(|s| some && s.records == 0) {
        out::say(format_args!(
            "warning: {}: no advisory records in it ({} skipped as not records, {} malformed)",
            s.label,
            out::count(s.skipped, "file"),
            s.malformed
        ));
    }
    const SHOWN: usize = 20;
    for p in problems.iter().take(SHOWN) {
        out::say(format_args!("skipped record: {p}"));
    }
    if problems.len() > SHOWN {
        out::say(format_args!(
            "… and {} more records skipped (`db info` lists them all)",
            problems.len() - SHOWN
        ));
    }
}

fn info(args: InfoArgs) -> Result<ExitCode> {
    let inputs: Vec<&Path> = args.sources.iter().map(PathBuf::as_path).collect();
    let store = vuln::open(&inputs)?;
    let sources = store.sources();
    let problems = store.problems();
    let newest = newest(&sources);
    match args.format {
        InfoFormat::Json => {
            let v = json!({
                "database": match &store {
                    vuln::index::Store::Database(_) => Some(json!({"schema_version": db::SCHEMA_VERSION})),
                    vuln::index::Store::Memory(_) => None,
                },
                "sources": sources.iter().map(|s| json!({
                    "source": s.label, "kind": s.kind, "sha256": s.sha256,
                    "records": s.records, "withdrawn": s.withdrawn, "malformed": s.malformed,
                    "skipped": s.skipped, "newest_modified": s.newest_modified,
                })).collect::<Vec<_>>(),
                "records": sources.iter().map(|s| s.records).sum::<usize>(),
                "newest_modified": newest,
                "problems": problems.iter().map(|p| json!({
                    "file": p.file, "pointer": p.pointer, "message": p.message,
                })).collect::<Vec<_>>(),
            });
            let mut s = serde_json::to_string_pretty(&v)?;
            s.push('\n');
            out::stdout(&s)?;
        }
        InfoFormat::Human => {
            let mut s = String::new();
            if let vuln::index::Store::Database(_) = &store {
                s.push_str(&format!(
                    "{}: bomsmith vulnerability database, schema version {}\n",
                    inputs[0].display(),
                    db::SCHEMA_VERSION
                ));
            }
            for src in &sources {
                s.push_str(&format!(
                    "{} ({}, sha256 {}): {}, {} withdrawn, {} malformed, {} other files skipped; newest modified {}\n",
                    src.label,
                    src.kind,
                    &src.sha256[..src.sha256.len().min(16)],
                    out::count(src.records, "record"),
                    src.withdrawn,
                    src.malformed,
                    src.skipped,
                    src.newest_modified.as_deref().unwrap_or("-"),
                ));
            }
            let total: usize = sources.iter().map(|s| s.records).sum();
            s.push_str(&format!(
                "total: {} from {}; newest modified {}\n",
                out::count(total, "record"),
                out::count(sources.len(), "source"),
                newest.as_deref().unwrap_or("-")
            ));
            for p in &problems {
                s.push_str(&format!("skipped record: {p}\n"));
            }
            out::stdout(&s)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The newest `modified` time over all sources (compared as instants).
fn newest(sources: &[SourceSummary]) -> Option<String> {
    sources
        .iter()
        .filter_map(|s| s.newest_modified.as_deref())
        .filter_map(|m| bomsmith::ident::parse_timestamp(m).map(|(t, _)| (t, m)))
        .max_by_key(|(t, _)| *t)
        .map(|(_, m)| m.to_owned())
}
