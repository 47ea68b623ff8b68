//! Severity overrides: a project or a user decides that a rule fails the check, only warns, or
//! is silent (`--deny CODE`, `--warn CODE`, `--allow CODE`).

use super::{Diagnostic, Rule, RuleSet, Severity};
use std::collections::HashMap;

/// What an override makes of a rule's diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Left out.
    Allow,
    /// Shown as warnings.
    Warn,
    /// Shown as errors: the check fails.
    Deny,
}

/// Overrides by rule code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    levels: HashMap<&'static str, Level>,
}

impl Overrides {
    /// Sets `level` for the rule `key` (code or name, any case) of `sets`. A later setting for
    /// the same rule wins. The error names the unknown key.
    pub fn set(&mut self, key: &str, level: Level, sets: &[&RuleSet]) -> Result<(), String> {
        let rule: &Rule = sets.iter().find_map(|s| s.find(key)).ok_or_else(|| {
            format!(
                "no rule `{key}` in the {} rules",
                sets.iter().map(|s| s.name).collect::<Vec<_>>().join(", ")
            )
        })?;
        self.levels.insert(rule.code, level);
        Ok(())
    }

    /// True when nothing is overridden.
    pub fn is_empty(&self) -> bool {
        self.levels.is_empty()
    }

    /// `diagnostics` with the overrides applied: allowed rules left out, the others at their
    /// new severity.
    pub fn apply(&self, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        if self.levels.is_empty() {
            return diagnostics;
        }
        diagnostics
            .into_iter()
            .filter_map(|mut d| {
                match self.levels.get(d.rule.code) {
                    Some(Level::Allow) => return None,
                    Some(Level::Warn) => d.severity = Severity::Warning,
                    Some(Level::Deny) => d.severity = Severity::Error,
                    None => {}
                }
                Some(d)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Location;

    crate::rules! {
        SET, "test", "docs/test.md";
        A = "T001", "first", Warning, "One.";
        B = "T002", "second", Error, "Two.";
        C = "T003", "third", Info, "Three.";
    }

    #[test]
    fn overrides_raise_lower_and_silence() {
        let diags = vec![
            Diagnostic::new(&A, Location::file("x"), "a"),
            Diagnostic::new(&B, Location::file("x"), "b"),
            Diagnostic::new(&C, Location::file("x"), "c"),
        ];
        let mut o = Overrides::default();
        o.set("t001", Level::Deny, &[&SET]).expect("known code");
        o.set("second", Level::Warn, &[&SET]).expect("known name");
        o.set("T003", Level::Allow, &[&SET]).expect("known");
        let out = o.apply(diags);
        let got: Vec<(&str, Severity)> = out.iter().map(|d| (d.rule.code, d.severity)).collect();
        assert_eq!(
            got,
            [("T001", Severity::Error), ("T002", Severity::Warning)]
        );
        let e = o.set("T999", Level::Deny, &[&SET]).expect_err("unknown");
        assert_eq!(e, "no rule `T999` in the test rules");
    }
}
