//! The integration tests: one binary, driving the real `bomsmith` command on archives and trees
//! built in the test and on the real corpora in `../shared`.

// A test's own notes on standard error (what it skipped) are the test harness's business.
#![allow(clippy::disallowed_macros)]

mod util;

mod artifacts;
mod bad_input;
mod binaries;
mod cli;
mod convert;
mod cpython;
mod cpython_profiles;
mod diff;
mod dir;
mod first_hour;
mod identity;
mod in_tree;
mod judge;
mod nested;
mod output;
mod outputs;
mod profiles;
mod purl_suite;
mod spdx3;
mod tagvalue;
mod validate;
mod vendor_cpython;
mod vendor_rules;
mod vendored_truth;
mod version_vectors;
mod versions;
mod vex;
mod vulns;
mod vulns_cli;
mod vulns_nvd;
