//! `bomsmith vex`: a project's VEX statements, kept in its tree (an OpenVEX document whose path
//! `bomsmith.toml` names), edited with validation and read back; and statements for triage
//! made from `vulns` results.

use crate::out;
use anyhow::{Context, Result, bail};
use bomsmith::model::vex::{Justification, Product, Statement, Status, Vulnerability};
use bomsmith::vex::store::Store;
use clap::{Args, Subcommand, ValueEnum};
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum VexCommand {
    /// State a vulnerability's status for a product for the first time.
    Add(EditArgs),
    /// Change what the store says of a vulnerability and product (the older statement stays as
    /// history).
    Set(EditArgs),
    /// The current statements: per vulnerability and product, the newest.
    List(ListArgs),
    /// Every statement about one vulnerability, oldest first.
    Show(ShowArgs),
    /// Statements `under_investigation` for the findings of a `vulns --format json` report, for
    /// triage.
    FromFindings(FromFindingsArgs),
}

/// Statuses as OpenVEX spells them (`not_affected`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "snake_case")]
enum StatusArg {
    NotAffected,
    Affected,
    Fixed,
    UnderInvestigation,
}

impl From<StatusArg> for Status {
    fn from(s: StatusArg) -> Status {
        match s {
            StatusArg::NotAffected => Status::NotAffected,
            StatusArg::Affected => Status::Affected,
            StatusArg::Fixed => Status::Fixed,
            StatusArg::UnderInvestigation => Status::UnderInvestigation,
        }
    }
}

/// Justifications as CISA and OpenVEX spell them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "snake_case")]
enum JustificationArg {
    ComponentNotPresent,
    VulnerableCodeNotPresent,
    VulnerableCodeNotInExecutePath,
    VulnerableCodeCannotBeControlledByAdversary,
    InlineMitigationsAlreadyExist,
}

impl From<JustificationArg> for Justification {
    fn from(j: JustificationArg) -> Justification {
        match j {
            JustificationArg::ComponentNotPresent => Justification::ComponentNotPresent,
            JustificationArg::VulnerableCodeNotPresent => Justification::VulnerableCodeNotPresent,
            JustificationArg::VulnerableCodeNotInExecutePath => {
                Justification::VulnerableCodeNotInExecutePath
            }
            JustificationArg::VulnerableCodeCannotBeControlledByAdversary => {
                Justification::VulnerableCodeCannotBeControlledByAdversary
            }
            JustificationArg::InlineMitigationsAlreadyExist => {
                Justification::InlineMitigationsAlreadyExist
            }
        }
    }
}

/// Where the store is: `--store`, else `[vex] store` of `bomsmith.toml` (`--config`, or the one
/// in the current directory).
#[derive(Debug, Args)]
pub struct StoreArgs {
    /// The store (an OpenVEX document); default: `[vex] store` in bomsmith.toml.
    #[arg(long, value_name = "FILE")]
    store: Option<PathBuf>,
    /// The configuration naming the store (default: ./bomsmith.toml).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

impl StoreArgs {
    fn path(&self) -> Result<PathBuf> {
        if let Some(p) = &self.store {
            return Ok(p.clone());
        }
        let config = self
            .config
            .clone()
            .unwrap_or_else(|| PathBuf::from("bomsmith.toml"));
        if !config.exists() {
            bail!(
                "no VEX store: give --store FILE, or set `[vex] store` in {}",
                config.display()
            );
        }
        let c = bomsmith::config::Config::load(&config)?;
        let Some(store) = c.vex.store else {
            bail!(
                "{}: no `[vex] store`: set it (a path relative to the file), or give --store FILE",
                config.display()
            );
        };
        Ok(config
            .parent()
            .map_or_else(|| PathBuf::from(&store), |d| d.join(&store)))
    }

    fn author(&self) -> Result<Option<String>> {
        if self.store.is_some() && self.config.is_none() {
            return Ok(None);
        }
        let config = self
            .config
            .clone()
            .unwrap_or_else(|| PathBuf::from("bomsmith.toml"));
        if !config.exists() {
            return Ok(None);
        }
        Ok(bomsmith::config::Config::load(&config)?.vex.author)
    }
}

#[derive(Debug, Args)]
pub struct EditArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// The vulnerability (`CVE-2025-59375`).
    #[arg(long = "vuln", value_name = "ID")]
    vulnerability: String,
    /// Another ID of the same vulnerability (repeatable).
    #[arg(long = "alias", value_name = "ID")]
    aliases: Vec<String>,
    /// The product: a PURL, a CPE 2.3, a BOM-Link, or an SBOM element's reference.
    #[arg(long, value_name = "IRI")]
    product: String,
    /// A part of the product the statement is about (repeatable).
    #[arg(long = "subcomponent", value_name = "IRI")]
    subcomponents: Vec<String>,
    /// The status.
    #[arg(long, value_enum)]
    status: StatusArg,
    /// Why the product is not affected (with `not_affected`; or give --impact).
    #[arg(long, value_enum)]
    justification: Option<JustificationArg>,
    /// How the product is (not) affected, in words.
    #[arg(long, value_name = "TEXT")]
    impact: Option<String>,
    /// What users should do (needed with `affected`).
    #[arg(long, value_name = "TEXT")]
    action: Option<String>,
    /// Notes on the status.
    #[arg(long, value_name = "TEXT")]
    notes: Option<String>,
    /// An SBOM the product (and subcomponents) must be in.
    #[arg(long, value_name = "FILE")]
    sbom: Option<PathBuf>,
    /// The author, when the store has none yet (default: `[vex] author` in bomsmith.toml).
    #[arg(long, value_name = "NAME")]
    author: Option<String>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    format: ListFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ListFormat {
    Human,
    Json,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// The vulnerability (ID or alias).
    vulnerability: String,
}

#[derive(Debug, Args)]
pub struct FromFindingsArgs {
    /// A `bomsmith vulns --format json` report.
    report: PathBuf,
    /// Write the OpenVEX document to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Replace an existing output file bomsmith did not write.
    #[arg(long)]
    force: bool,
}

/// Runs a `vex` subcommand.
pub fn run(command: VexCommand) -> Result<ExitCode> {
    match command {
        VexCommand::Add(args) => edit(args, false),
        VexCommand::Set(args) => edit(args, true),
        VexCommand::List(args) => list(&args),
        VexCommand::Show(args) => show(&args),
        VexCommand::FromFindings(args) => from_findings(&args),
    }
}

fn product_of(args: &EditArgs) -> Product {
    let mut p = Product::named(args.product.clone());
    p.subcomponents = args
        .subcomponents
        .iter()
        .map(|s| Product::named(s.clone()))
        .collect();
    p
}

fn edit(args: EditArgs, replace: bool) -> Result<ExitCode> {
    let path = args.store.path()?;
    let mut store = Store::open(&path)?;
    let statement = Statement {
        vulnerability: Vulnerability {
            name: args.vulnerability.clone(),
            aliases: args.aliases.clone(),
            ..Vulnerability::default()
        },
        products: vec![product_of(&args)],
        status: args.status.into(),
        justification: args.justification.map(Into::into),
        impact_statement: args.impact.clone(),
        action_statement: args.action.clone(),
        status_notes: args.notes.clone(),
        ..Statement::default()
    };
    if let Some(sbom) = &args.sbom {
        let (name, _, doc, read) = super::read_document(sbom)?;
        for p in &statement.products {
            for (what, id) in std::iter::once(("--product", &p.id))
                .chain(p.subcomponents.iter().map(|s| ("--subcomponent", &s.id)))
            {
                if !bomsmith::vex::apply::names_any(&doc, &read.renamed, id) {
                    bail!(
                        "{what} {id}: no component of {name} is named by it (by PURL, CPE, BOM-Link or reference); nothing written"
                    );
                }
            }
        }
    }
    if store.document.author.is_none() {
        store.document.author = args.author.clone().or(args.store.author()?);
    }
    let time = super::creation_time()?;
    store
        .edit(statement, &time, replace)
        .context("nothing written")?;
    let text = store.text(&time)?;
    bomsmith::output::write_atomically(&path, text.as_bytes())?;
    out::say(format_args!(
        "{}: {} {} for {}: {} (store version {})",
        path.display(),
        if replace { "changed" } else { "added" },
        args.vulnerability,
        args.product,
        Status::from(args.status).name(),
        store.document.version.as_deref().unwrap_or("1"),
    ));
    Ok(ExitCode::SUCCESS)
}

fn statement_json(s: &Statement) -> serde_json::Value {
    json!({
        "vulnerability": s.vulnerability.name,
        "aliases": s.vulnerability.aliases,
        "products": s.products.iter().map(|p| json!({
            "id": p.id,
            "subcomponents": p.subcomponents.iter().map(|x| &x.id).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "status": s.status.name(),
        "justification": s.justification.map(|j| j.name()),
        "impact_statement": s.impact_statement,
        "action_statement": s.action_statement,
        "status_notes": s.status_notes,
        "timestamp": s.timestamp,
    })
}

fn statement_line(s: &Statement) -> String {
    let products: Vec<String> = s
        .products
        .iter()
        .map(|p| {
            if p.subcomponents.is_empty() {
                p.id.clone()
            } else {
                let subs: Vec<&str> = p.subcomponents.iter().map(|x| x.id.as_str()).collect();
                format!("{} / {}", p.id, subs.join(", "))
            }
        })
        .collect();
    let mut line = format!(
        "{}  {}  {}",
        s.vulnerability.name,
        s.status.name(),
        products.join("; ")
    );
    if let Some(j) = s.justification {
        line.push_str(&format!("  ({})", j.name()));
    }
    if let Some(t) = s.impact_statement.as_ref().or(s.action_statement.as_ref()) {
        line.push_str(&format!(": {t}"));
    }
    if let Some(t) = &s.timestamp {
        line.push_str(&format!("  [{t}]"));
    }
    line
}

fn list(args: &ListArgs) -> Result<ExitCode> {
    let path = args.store.path()?;
    if !path.exists() {
        bail!(
            "{}: no such VEX store (`vex add` creates it)",
            path.display()
        );
    }
    let store = Store::open(&path)?;
    let current = store.current();
    match args.format {
        ListFormat::Human => {
            let mut text = String::new();
            for s in &current {
                text.push_str(&statement_line(s));
                text.push('\n');
            }
            out::write_output(None, &text)?;
            out::say(format_args!(
                "{}: {} current statements ({} in its history)",
                path.display(),
                current.len(),
                store.document.statements.len()
            ));
        }
        ListFormat::Json => {
            let v = json!({
                "store": path.display().to_string(),
                "statements": current.iter().map(|s| statement_json(s)).collect::<Vec<_>>(),
            });
            out::write_output(None, &(serde_json::to_string_pretty(&v)? + "\n"))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn show(args: &ShowArgs) -> Result<ExitCode> {
    let path = args.store.path()?;
    let store = Store::open(&path)?;
    let history = store.history(&args.vulnerability, None);
    if history.is_empty() {
        bail!(
            "{}: no statement about {}",
            path.display(),
            args.vulnerability
        );
    }
    let mut text = String::new();
    for s in history {
        text.push_str(&statement_line(s));
        text.push('\n');
    }
    out::write_output(None, &text)?;
    Ok(ExitCode::SUCCESS)
}

/// The identifier a statement names a finding's component by: the identifier the finding
/// matched (a PURL or CPE), else the component's reference.
fn product_of_finding(f: &serde_json::Value) -> Option<String> {
    let identifier = f["identifier"].as_str().unwrap_or("");
    let first = identifier.split(' ').next().unwrap_or("");
    if first.starts_with("pkg:") || first.starts_with("cpe:2.3:") {
        return Some(first.to_owned());
    }
    f["component"]["id"].as_str().map(str::to_owned)
}

fn from_findings(args: &FromFindingsArgs) -> Result<ExitCode> {
    out::check_outputs(&[args.output.as_deref()], &[&args.report], args.force)?;
    let (name, bytes) = super::read_input(&args.report)?;
    let report: serde_json::Value =
        serde_json::from_slice(&bytes).with_context(|| format!("{name}: not a JSON report"))?;
    if report.get("bomsmith_vulns").is_none() {
        bail!("{name}: not a `bomsmith vulns --format json` report (no `bomsmith_vulns`)");
    }
    let mut doc = bomsmith::model::vex::VexDocument::default();
    let mut seen = std::collections::BTreeSet::new();
    for (i, sbom) in report["sboms"].as_array().into_iter().flatten().enumerate() {
        for (j, f) in sbom["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            let Some(product) = product_of_finding(f) else {
                bail!("{name}: /sboms/{i}/findings/{j}: a finding without a component");
            };
            let id = f["id"].as_str().unwrap_or_default().to_owned();
            if id.is_empty() || !seen.insert((id.clone(), product.clone())) {
                continue;
            }
            let aliases: Vec<String> = f["ids"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|x| x.as_str())
                .filter(|x| *x != id)
                .map(str::to_owned)
                .collect();
            doc.statements.push(Statement {
                vulnerability: Vulnerability {
                    name: id,
                    aliases,
                    description: f["summary"].as_str().map(str::to_owned),
                    ..Vulnerability::default()
                },
                products: vec![Product::named(product)],
                status: Status::UnderInvestigation,
                status_notes: Some(format!(
                    "found by bomsmith vulns in {}",
                    sbom["file"].as_str().unwrap_or("an SBOM")
                )),
                ..Statement::default()
            });
        }
    }
    if doc.statements.is_empty() {
        bail!("{name}: no finding to triage; nothing written");
    }
    let time = super::creation_time()?;
    doc.timestamp = Some(time.clone());
    let written = bomsmith::vex::write(&doc, bomsmith::vex::VexFormat::OpenVex, &time, &name)?;
    out::write_output(args.output.as_deref(), &written.text)?;
    out::say(format_args!(
        "{name}: {} statements under_investigation",
        doc.statements.len()
    ));
    Ok(ExitCode::SUCCESS)
}
