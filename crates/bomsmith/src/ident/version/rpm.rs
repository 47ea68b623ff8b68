//! RPM ordering (`epoch:version-release`), on the `rpm-version` crate, whose comparison is
//! rpm's `rpmvercmp`: epoch by value (absent = 0), then version, then release, each cut into
//! runs of digits and runs of letters, everything else separating runs; digit runs by value,
//! letter runs as ASCII strings, a digit run greater than a letter run; `~` sorts before
//! anything, even the end (`1.0~rc1 < 1.0`); `^` sorts after the end but before anything else
//! (`1.0 < 1.0^git1 < 1.0.1`); when one side runs out, the side with runs left is greater.
//!
//! This module splits the text itself: the epoch is the digits before the first `:`, the
//! release what follows the last `-` (as rpm does). Text with a non-numeric epoch, a second
//! `:`, an empty version or release, or no letter or digit is not evaluable.

use rpm_version::Evr;
use std::cmp::Ordering;

#[derive(Clone, Debug)]
pub(super) struct Rpm(Evr<'static>);

pub(super) fn parse(text: &str) -> Option<Rpm> {
    if !super::lenient::plausible(text) {
        return None;
    }
    let (epoch, rest) = match text.split_once(':') {
        Some((e, r)) if !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit()) => (e, r),
        Some(_) => return None,
        None => ("", text),
    };
    if rest.contains(':') {
        return None;
    }
    let (version, release) = match rest.rsplit_once('-') {
        Some((_, "")) => return None,
        Some((v, r)) => (v, r),
        None => (rest, ""),
    };
    if !version.bytes().any(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    Some(Rpm(Evr::new(
        epoch.to_owned(),
        version.to_owned(),
        release.to_owned(),
    )))
}

impl Rpm {
    pub(super) fn cmp(&self, other: &Rpm) -> Ordering {
        self.0.cmp(&other.0)
    }
}
