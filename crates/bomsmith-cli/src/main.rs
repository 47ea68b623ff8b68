//! The `bomsmith` command: a thin front end over the `bomsmith` library.
//!
//! Data goes to stdout or `-o FILE`; diagnostics to stderr. Exit codes: 0 success, 1 the check
//! found problems, 2 usage or operational error. A closed standard output (`… | head -1`) ends
//! the command quietly with 0.

use anyhow::Result;
use clap::{CommandFactory, Parser, Subcommand};
use std::process::ExitCode;

mod cmd;
mod out;
mod progress;

/// mimalloc rather than the system allocator: decoding advisory records and SBOMs is mostly
/// small allocations, and glibc's allocator spends more time in them (and in per-thread arenas)
/// than the parsing itself. Measured by `bench/vulns.sh`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    Scan(cmd::scan::ScanArgs),
    /// Keep the in-tree SBOM of vendored code true: regen, check, detect.
    #[command(subcommand)]
    Vendor(cmd::vendor::VendorCommand),
    /// Check SPDX 2.2/2.3 (JSON, tag-value), SPDX 3.0.1 and CycloneDX 1.2–1.7 documents, each by its own version's schema and rules, and the NTIA, BSI and FSCT profiles.
    Validate(cmd::validate::ValidateArgs),
    /// Convert an SBOM between SPDX 2.3 (JSON, tag-value), SPDX 3.0.1 JSON-LD and CycloneDX 1.6/1.7 JSON; losses go to stderr.
    Convert(cmd::convert::ConvertArgs),
    /// Show what changed between two SBOMs (either format): components and files.
    Diff(cmd::diff::DiffArgs),
    /// Which known vulnerabilities affect the components of SBOMs: offline, from OSV records or a database, each finding explained.
    Vulns(cmd::vulns::VulnsArgs),
    /// Build a vulnerability database from advisory sources, or describe one.
    #[command(subcommand)]
    Db(cmd::db::DbCommand),
    /// A project's VEX statements: add, change, list and show them (an OpenVEX document in the
    /// tree), and make statements for triage from `vulns` findings.
    #[command(subcommand)]
    Vex(cmd::vex::VexCommand),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(cmd::docs::CompletionsArgs),
    /// Write the manual pages, generated from this command line.
    Man(cmd::docs::ManArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let hint_for = match &cli.command {
        Command::Scan(_) => out::HintFor::Scan,
        Command::Vendor(_) => out::HintFor::Vendor,
        _ => out::HintFor::Other,
    };
    let result: Result<ExitCode> = match cli.command {
        Command::Scan(args) => cmd::scan::run(args),
        Command::Vendor(command) => cmd::vendor::run(command),
        Command::Validate(args) => cmd::validate::run(args),
        Command::Convert(args) => cmd::convert::run(args),
        Command::Diff(args) => cmd::diff::run(args),
        Command::Vulns(args) => cmd::vulns::run(args),
        Command::Db(command) => cmd::db::run(command),
        Command::Vex(command) => cmd::vex::run(command),
        Command::Completions(args) => cmd::docs::completions(&args, Cli::command()),
        Command::Man(args) => cmd::docs::man(&args, Cli::command()),
    };
    match result {
        Ok(code) => code,
        // Whoever read standard output has stopped reading: nothing is wrong.
        Err(e) if out::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            out::say(format_args!("error: {}", out::describe(&e)));
            for hint in out::hints(&e, hint_for) {
                out::say(format_args!("hint: {hint}"));
            }
            ExitCode::from(2)
        }
    }
}
