//! Debian version ordering (Debian Policy 5.6.12, as `dpkg --compare-versions` applies it), on
//! the `debversion` crate: `[epoch:]upstream[-revision]`, epoch compared as a number (absent =
//! 0), then upstream and revision (absent = `0`) each by alternating non-digit and digit runs;
//! non-digit runs character by character with `~` before everything (even the end of the
//! string), then the end, then letters, then other characters; digit runs by value. So
//! `0:1.0 == 1.0`, `1.0-0 == 1.0`, `1.0~rc1 < 1.0`.
//!
//! Text the crate rejects (characters Debian does not allow, an epoch that is not a number)
//! is not evaluable; there is no lenient layer for Debian.

use std::cmp::Ordering;
use std::str::FromStr;

#[derive(Clone, Debug)]
pub(super) struct Deb(debversion::Version);

pub(super) fn parse(text: &str) -> Option<Deb> {
    if !super::lenient::plausible(text) {
        return None;
    }
    debversion::Version::from_str(text).ok().map(Deb)
}

impl Deb {
    pub(super) fn cmp(&self, other: &Deb) -> Ordering {
        self.0.cmp(&other.0)
    }
}
