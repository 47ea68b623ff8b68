//! SemVer 2.0.0 ordering, on the `semver` crate; versions it rejects go to the lenient layer
//! ([`super::lenient::semver`]).
//!
//! Both end in the same form (numbers of any size, pre-release identifiers), compared by the
//! SemVer 2.0.0 precedence rules: major, minor, patch by value; a version with a pre-release is
//! lower than the same version without; pre-release identifiers compared in order, numeric ones
//! by value and lower than alphanumeric ones, alphanumeric ones in ASCII order, and a shorter
//! list lower when it is a prefix of the longer one. Build metadata (`+...`) does not count.

use super::generic::Num;
use std::cmp::Ordering;

/// One pre-release identifier. The variant order is the SemVer rule: numeric < alphanumeric.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Ident {
    Num(Num),
    Alpha(Box<str>),
}

impl Ident {
    pub(super) fn new(text: &str) -> Ident {
        if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            Ident::Num(Num::from_digits(text))
        } else {
            Ident::Alpha(text.into())
        }
    }
}

/// A SemVer version reduced to what orders it.
#[derive(Clone, Debug)]
pub(super) struct Sem {
    pub(super) major: Num,
    pub(super) minor: Num,
    pub(super) patch: Num,
    pub(super) pre: Box<[Ident]>,
}

/// Parses by the `semver` crate (strict SemVer 2.0.0); `None` when it rejects the text.
pub(super) fn parse_strict(text: &str) -> Option<Sem> {
    let v = ::semver::Version::parse(text).ok()?;
    let pre = if v.pre.is_empty() {
        Box::default()
    } else {
        v.pre.as_str().split('.').map(Ident::new).collect()
    };
    Some(Sem {
        major: Num::Small(v.major),
        minor: Num::Small(v.minor),
        patch: Num::Small(v.patch),
        pre,
    })
}

impl Sem {
    pub(super) fn cmp(&self, other: &Sem) -> Ordering {
        self.major
            .cmp(&other.major)
            .then_with(|| self.minor.cmp(&other.minor))
            .then_with(|| self.patch.cmp(&other.patch))
            .then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => self.pre.cmp(&other.pre),
            })
    }
}
