//! Diagnostics: one type for every problem any check finds, and one way to show it.
//!
//! A check declares its rules beside its logic (`crate::rules!`), each with a stable code and
//! name, and reports [`Diagnostic`]s: a rule, a [`Location`] (file, archive member, line and
//! column, JSON pointer), a message and supporting details. [`Overrides`] raise, lower or
//! silence rules by code or name; [`render`] writes diagnostics for people (one line each), for
//! programs (one JSON shape for every command) and for code-scanning tools (SARIF 2.1.0).
//! `crate::rule_sets` gathers every rule set into the one registry.

mod overrides;
pub mod render;

pub use overrides::{Level, Overrides};

use std::fmt;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The check fails.
    Error,
    /// Worth a look; the check passes.
    Warning,
    /// For the record.
    Info,
}

impl Severity {
    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A rule a check applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable code (`V002`, `SPDX003`).
    pub code: &'static str,
    /// Stable short name (`version-drift`), unique across every rule set.
    pub name: &'static str,
    /// Default severity of its diagnostics.
    pub severity: Severity,
    /// One line on what it means.
    pub explanation: &'static str,
}

impl Rule {
    /// `CODE name (severity): explanation`, as `--explain` prints it.
    pub fn explained(&self) -> String {
        format!(
            "{} {} ({}): {}",
            self.code,
            self.name,
            self.severity.name(),
            self.explanation
        )
    }

    /// One aligned row of a rule listing.
    pub fn row(&self) -> String {
        format!(
            "{:8} {:34} {:7} {}",
            self.code,
            self.name,
            self.severity.name(),
            self.explanation
        )
    }

    /// True when `key` is this rule's code or name (case-insensitive).
    pub fn is(&self, key: &str) -> bool {
        self.code.eq_ignore_ascii_case(key) || self.name.eq_ignore_ascii_case(key)
    }
}

/// The rules of one check, with the guide that documents them.
#[derive(Debug, Clone, Copy)]
pub struct RuleSet {
    /// Short name (`spdx`, `vendor`).
    pub name: &'static str,
    /// The documentation page that explains the rules (relative to the repository).
    pub doc: &'static str,
    /// The rules, in code order.
    pub rules: &'static [Rule],
}

impl RuleSet {
    /// The rule with this code or name.
    pub fn find(&self, key: &str) -> Option<&'static Rule> {
        self.rules.iter().find(|r| r.is(key))
    }
}

/// Declares rules as constants, and `$set`, a [`RuleSet`] of every one of them in order.
#[macro_export]
#[doc(hidden)]
macro_rules! rules {
    ($set:ident, $set_name:literal, $doc:literal;
     $($id:ident = $code:literal, $name:literal, $sev:ident, $text:literal;)*) => {
        $(
            #[doc = $text]
            pub const $id: $crate::diag::Rule = $crate::diag::Rule {
                code: $code,
                name: $name,
                severity: $crate::diag::Severity::$sev,
                explanation: $text,
            };
        )*
        /// Every rule of this check, in order.
        pub const $set: $crate::diag::RuleSet = $crate::diag::RuleSet {
            name: $set_name,
            doc: $doc,
            rules: &[$($id),*],
        };
    };
}

/// Where a diagnostic is: a file, perhaps a member of it (an archive's), and within it a line
/// and column or a JSON pointer (or both).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// The file, as the user named it (or a path from the tree root, or `preset:NAME`).
    pub file: String,
    /// A member of `file` when it is an archive (nested members joined with `!`).
    pub member: Option<String>,
    /// 1-based line.
    pub line: Option<usize>,
    /// 1-based column (with a line).
    pub column: Option<usize>,
    /// JSON pointer into the document.
    pub pointer: Option<String>,
}

impl Location {
    /// The file as a whole.
    pub fn file(file: impl Into<String>) -> Self {
        Location {
            file: file.into(),
            ..Location::default()
        }
    }

    /// A line and column of a file.
    pub fn line(file: impl Into<String>, line: usize, column: usize) -> Self {
        Location {
            file: file.into(),
            line: Some(line),
            column: Some(column),
            ..Location::default()
        }
    }

    /// A JSON pointer into a document.
    pub fn pointer(file: impl Into<String>, pointer: impl Into<String>) -> Self {
        Location {
            file: file.into(),
            pointer: Some(pointer.into()),
            ..Location::default()
        }
    }

    /// The same place inside member `member` of the archive `archive`.
    pub fn in_member(mut self, archive: impl Into<String>) -> Self {
        let member = std::mem::replace(&mut self.file, archive.into());
        self.member = Some(match self.member.take() {
            Some(inner) => format!("{member}!{inner}"),
            None => member,
        });
        self
    }
}

impl fmt::Display for Location {
    /// `file[!member][:line[:column]]`; the pointer is shown apart, after the message.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(m) = &self.member {
            write!(f, "!{m}")?;
        }
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
            if let Some(c) = self.column {
                write!(f, ":{c}")?;
            }
        }
        Ok(())
    }
}

/// A remedy that depends on how bomsmith is run (a command-line option, a setting): the
/// library names it, the front end says it in its own words and completes the message with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Help {
    /// Downloads could be fetched over the network if that were allowed.
    FetchOnline,
    /// The in-tree SBOM can be rewritten from the tree.
    Regenerate,
}

/// One problem found by a check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule broken.
    pub rule: &'static Rule,
    /// Its severity here: the rule's own unless overridden.
    pub severity: Severity,
    /// Where.
    pub location: Location,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Supporting lines (evidence, a list of changes).
    pub details: Vec<String>,
    /// A remedy for the front end to spell out.
    pub help: Option<Help>,
}

impl Diagnostic {
    /// A diagnostic of `rule` at its default severity.
    pub fn new(rule: &'static Rule, location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            severity: rule.severity,
            location,
            message: message.into(),
            details: Vec::new(),
            help: None,
        }
    }

    /// With supporting lines.
    pub fn with_details(mut self, details: Vec<String>) -> Self {
        self.details = details;
        self
    }

    /// With a remedy.
    pub fn with_help(mut self, help: Help) -> Self {
        self.help = Some(help);
        self
    }
}

/// Counts of diagnostics by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Errors.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// Notes.
    pub notes: usize,
}

impl Summary {
    /// The counts of `diagnostics`.
    pub fn of<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>) -> Self {
        let mut s = Summary::default();
        for d in diagnostics {
            match d.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.notes += 1,
            }
        }
        s
    }
}

/// True when any diagnostic is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_read_as_file_member_line_column() {
        assert_eq!(Location::line("b.toml", 3, 1).to_string(), "b.toml:3:1");
        let l = Location::line("Modules/expat/expat.h", 1069, 1).in_member("Python.tar.xz");
        assert_eq!(l.to_string(), "Python.tar.xz!Modules/expat/expat.h:1069:1");
        let nested = Location::file("vendor.txt")
            .in_member("pip.whl")
            .in_member("Python.tgz");
        assert_eq!(nested.to_string(), "Python.tgz!pip.whl!vendor.txt");
        assert_eq!(Location::pointer("a.json", "/x").to_string(), "a.json");
    }
}
