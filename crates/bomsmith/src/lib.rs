//! bomsmith: Software Bills of Materials for open source release engineering.
//!
//! The library holds all behaviour; the `bomsmith` binary is a thin command-line front end.
//! The modules are stages of one pipeline, each importing only the stages below it:
//!
//! ```text
//! model                      the format-neutral document (a leaf)
//! json error ident glob      foundations: canonical JSON, typed errors, identifiers, patterns
//! spec diag output           bundled specifications, diagnostics, atomic output
//! format                     model <-> SPDX 2.3 / CycloneDX 1.6 (and in-tree SBOM) bytes
//! input digest inventory     entries of a directory or archive, their digests, the inventory
//! detect                     evidence of components in an inventory
//! config                     bomsmith.toml and presets
//! assemble crosscheck scan   configuration + evidence -> document; a binary artifact's
//!                            document against its source; the scan pipeline
//! validate intree diff       checks of documents, the in-tree SBOM, differences
//! vuln                       advisory sources, their SQLite database, matching documents
//! vex                        VEX documents: read, merge, write (OpenVEX, CycloneDX, CSAF)
//! ```
//!
//! `layers.rs` (a test) holds the code to that order.

pub mod model;

pub mod error;
pub mod ident;
pub mod json;
pub mod pyliteral;

pub mod glob;

pub mod diag;
pub mod output;
pub mod spec;

pub mod format;

pub mod digest;
pub mod input;
pub mod inventory;

pub mod detect;

pub mod config;

pub mod assemble;
pub mod crosscheck;
pub mod scan;

pub mod diff;
pub mod intree;
pub mod validate;
pub mod vuln;

pub mod vex;

pub use diff::diff;
pub use error::{Error, Result};
pub use format::{Format, read};
pub use scan::{ScanOptions, ScanOutcome, scan};
pub use validate::validate;
pub use vuln::matcher::match_document as vulns;
pub use vuln::open as open_advisories;

#[cfg(test)]
mod layers;

/// Every rule set of every check: the one registry of diagnostic codes. Codes and names are
/// unique across all of them.
pub fn rule_sets() -> Vec<&'static diag::RuleSet> {
    let mut sets = vec![&input::RULES, &assemble::RULES, &format::RULES];
    sets.extend(validate::RULE_SETS);
    sets.push(&intree::RULES);
    sets
}

/// The rule with this code or name, in any rule set.
pub fn rule(key: &str) -> Option<&'static diag::Rule> {
    rule_sets().into_iter().find_map(|s| s.find(key))
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    #[test]
    fn codes_and_names_are_unique_across_every_rule_set() {
        let mut codes: HashMap<&str, &str> = HashMap::new();
        let mut names: HashMap<&str, &str> = HashMap::new();
        for set in super::rule_sets() {
            assert!(!set.rules.is_empty(), "rule set {} is empty", set.name);
            for r in set.rules {
                if let Some(other) = codes.insert(r.code, set.name) {
                    panic!("code {} is in both {other} and {}", r.code, set.name);
                }
                if let Some(other) = names.insert(r.name, set.name) {
                    panic!("name {} is in both {other} and {}", r.name, set.name);
                }
                assert!(
                    r.code
                        .bytes()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()),
                    "{}",
                    r.code
                );
                assert!(
                    r.name
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                    "{}",
                    r.name
                );
                assert!(
                    r.explanation.ends_with('.'),
                    "{}: {}",
                    r.code,
                    r.explanation
                );
            }
        }
        assert!(super::rule("SCAN001").is_some());
        assert!(super::rule("version-drift").is_some());
    }
}
