//! The integration tests: one binary, driving the real `bomsmith` command on archives and trees
//! built in the test and on the real corpora in `../shared`.

mod util;

mod bad_input;
mod convert;
mod cpython;
mod diff;
mod dir;
mod in_tree;
mod output;
mod validate;
mod vendor_cpython;
mod vendor_rules;
