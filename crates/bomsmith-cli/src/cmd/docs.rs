//! `bomsmith completions SHELL` and `bomsmith man`: shell completion scripts and manual pages,
//! generated from the command-line definition itself, so they never drift from it.

use crate::out;
use anyhow::{Context, Result};
use clap::Args;
use clap_complete::Shell;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    shell: Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write one page per command (`bomsmith.1`, `bomsmith-scan.1`, `bomsmith-vendor-check.1`,
    /// …) into DIR, made if missing; without it, `bomsmith.1` goes to standard output.
    #[arg(short = 'o', long, value_name = "DIR")]
    output: Option<PathBuf>,
}

/// Prints the completion script for `args.shell` to standard output.
pub fn completions(args: &CompletionsArgs, mut command: clap::Command) -> Result<ExitCode> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "bomsmith", &mut script);
    out::stdout(&String::from_utf8_lossy(&script))?;
    Ok(ExitCode::SUCCESS)
}

/// Writes the manual pages.
pub fn man(args: &ManArgs, command: clap::Command) -> Result<ExitCode> {
    let Some(dir) = &args.output else {
        let mut page = Vec::new();
        clap_mangen::Man::new(command)
            .render(&mut page)
            .context("rendering the manual page")?;
        out::stdout(&String::from_utf8_lossy(&page))?;
        return Ok(ExitCode::SUCCESS);
    };
    std::fs::create_dir_all(dir).with_context(|| format!("making {}", dir.display()))?;
    let mut written = 0;
    let mut pending = vec![(String::from("bomsmith"), command)];
    while let Some((name, command)) = pending.pop() {
        let command = command.name(name.clone());
        for sub in command.get_subcommands() {
            if sub.get_name() != "help" {
                pending.push((format!("{name}-{}", sub.get_name()), sub.clone()));
            }
        }
        let mut page = Vec::new();
        clap_mangen::Man::new(command)
            .render(&mut page)
            .with_context(|| format!("rendering the manual page of {name}"))?;
        bomsmith::output::write_atomically(&dir.join(format!("{name}.1")), &page)?;
        written += 1;
    }
    out::say(format_args!(
        "wrote {written} manual pages into {}",
        dir.display()
    ));
    Ok(ExitCode::SUCCESS)
}
