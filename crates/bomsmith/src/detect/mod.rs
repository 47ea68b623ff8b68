//! Detection: evidence of components in a tree ("`Modules/expat/expat.h` says expat 2.7.1").

pub mod version;
