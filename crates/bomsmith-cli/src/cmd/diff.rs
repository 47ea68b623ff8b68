//! `bomsmith diff`: what changed between two SBOMs, in either format.

use super::read_document;
use crate::out;
use anyhow::Result;
use bomsmith::diff::{Diff, diff};
use clap::{Args, ValueEnum};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The older SBOM (SPDX or CycloneDX; `-` for standard input).
    old: PathBuf,
    /// The newer SBOM.
    new: PathBuf,
    /// Report format.
    #[arg(long, value_enum, default_value_t = Output::Human)]
    format: Output,
    /// Exit 1 when anything changed.
    #[arg(long)]
    fail_on_change: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Output {
    Human,
    Json,
}

/// Runs the command: exit 0, or 1 with `--fail-on-change` when the documents differ.
pub fn run(args: DiffArgs) -> Result<ExitCode> {
    if args.old.as_os_str() == "-" && args.new.as_os_str() == "-" {
        anyhow::bail!("only one of OLD and NEW can be standard input");
    }
    let (_, _, old, _) = read_document(&args.old)?;
    let (_, _, new, _) = read_document(&args.new)?;
    let d = diff(&old, &new);
    match args.format {
        Output::Human => out::stdout(&human(&d))?,
        Output::Json => {
            let mut s = serde_json::to_string_pretty(&to_json(&d))?;
            s.push('\n');
            out::stdout(&s)?;
        }
    }
    Ok(if args.fail_on_change && !d.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn summary(d: &Diff) -> String {
    format!(
        "{} changed, {} added, {} removed; {} changed, {} added, {} removed",
        plural(d.changed.len(), "component"),
        d.added.len(),
        d.removed.len(),
        plural(d.files_changed.len(), "file"),
        d.files_added.len(),
        d.files_removed.len()
    )
}

fn versioned(name: &str, version: &Option<String>) -> String {
    match version {
        Some(v) => format!("{name} {v}"),
        None => name.to_owned(),
    }
}

/// The roots taken off the file paths, in words (`A/ (old), B/ (new)`), if any.
fn roots(d: &Diff) -> Option<String> {
    let roots: Vec<String> = [(&d.old_root, "old"), (&d.new_root, "new")]
        .into_iter()
        .filter_map(|(root, side)| root.as_ref().map(|r| format!("{r} ({side})")))
        .collect();
    (!roots.is_empty()).then(|| roots.join(", "))
}

fn human(d: &Diff) -> String {
    let mut out = String::new();
    for c in &d.added {
        out.push_str(&format!("+ {}\n", versioned(&c.name, &c.version)));
    }
    for c in &d.removed {
        out.push_str(&format!("- {}\n", versioned(&c.name, &c.version)));
    }
    for c in &d.changed {
        for f in &c.changes {
            out.push_str(&format!(
                "~ {}: {}: {} -> {}\n",
                c.name, f.field, f.old, f.new
            ));
        }
    }
    let any_file =
        !(d.files_added.is_empty() && d.files_removed.is_empty() && d.files_changed.is_empty());
    if let (true, Some(roots)) = (any_file, roots(d)) {
        out.push_str(&format!("files under root {roots}:\n"));
    }
    for f in &d.files_added {
        out.push_str(&format!("+ file {f}\n"));
    }
    for f in &d.files_removed {
        out.push_str(&format!("- file {f}\n"));
    }
    for f in &d.files_changed {
        out.push_str(&format!("~ file {}\n", f.name));
    }
    if d.is_empty() {
        out.push_str("no changes\n");
    } else {
        out.push_str(&format!("{}\n", summary(d)));
    }
    out
}

fn to_json(d: &Diff) -> Value {
    let cref = |c: &bomsmith::diff::ComponentRef| json!({"name": c.name, "version": c.version, "purl": c.purl});
    let sums = |list: &[bomsmith::model::Checksum]| -> Value {
        list.iter()
            .map(|c| (c.algorithm.name().to_owned(), json!(c.value)))
            .collect::<serde_json::Map<_, _>>()
            .into()
    };
    json!({
        "components": {
            "added": d.added.iter().map(cref).collect::<Vec<_>>(),
            "removed": d.removed.iter().map(cref).collect::<Vec<_>>(),
            "changed": d.changed.iter().map(|c| json!({
                "name": c.name,
                "changes": c.changes.iter().map(|f| json!({
                    "field": f.field, "old": f.old, "new": f.new,
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        },
        "files": {
            "roots": {"old": d.old_root, "new": d.new_root},
            "added": d.files_added,
            "removed": d.files_removed,
            "changed": d.files_changed.iter().map(|f| json!({
                "name": f.name, "old": sums(&f.old), "new": sums(&f.new),
            })).collect::<Vec<_>>(),
        },
        "summary": {
            "components_changed": d.changed.len(),
            "components_added": d.added.len(),
            "components_removed": d.removed.len(),
            "files_changed": d.files_changed.len(),
            "files_added": d.files_added.len(),
            "files_removed": d.files_removed.len(),
        },
    })
}
