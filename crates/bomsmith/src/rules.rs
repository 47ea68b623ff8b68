//! Rules with stable codes, shared by the checks (`vendor check`, `validate`).

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
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
    /// Stable short name (`version-drift`).
    pub name: &'static str,
    /// Severity of its findings.
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
}

/// Declares rules as constants, and `$table`, every one of them in order.
#[macro_export]
#[doc(hidden)]
macro_rules! rules {
    ($table:ident; $($id:ident = $code:literal, $name:literal, $sev:ident, $text:literal;)*) => {
        $(
            #[doc = $text]
            pub const $id: $crate::rules::Rule = $crate::rules::Rule {
                code: $code,
                name: $name,
                severity: $crate::rules::Severity::$sev,
                explanation: $text,
            };
        )*
        /// Every rule, by code.
        pub const $table: &[$crate::rules::Rule] = &[$($id),*];
    };
}
