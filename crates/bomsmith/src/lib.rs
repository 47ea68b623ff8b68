//! bomsmith: Software Bills of Materials for open source release engineering.
//!
//! The library holds all behaviour; the `bomsmith` binary is a thin command-line front end.
//! Data flows one way: [`input`] → [`digest`] → [`scan`] (detect and assemble) → [`format`].

pub mod digest;
pub mod error;
pub mod input;
pub mod json;
pub mod model;
pub mod rules;

pub use error::{Error, Result};
pub mod config;
pub mod detect;
pub mod diff;
pub mod format;
pub mod ident;
pub mod scan;
pub mod validate;
pub mod vendor;
