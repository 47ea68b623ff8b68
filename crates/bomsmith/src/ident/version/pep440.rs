//! PEP 440 ordering (PyPI), on the `pep440_rs` crate. Versions it rejects go to the lenient
//! layer: versions with numbers too large for it ([`super::lenient::big_pep440`]) and
//! legacy versions ([`super::lenient::legacy_pypi`]), which sort before every PEP 440 version.
//!
//! Equality is PEP 440's: `1.0 == 1.0.0`, `1.0a1 == 1.0.a.1`, `1.0-1 == 1.0.post1`; a local
//! version (`1.0+ubuntu1`) is greater than the same version without one.

use super::lenient::{self, BigPep, Legacy};
use std::cmp::Ordering;
use std::str::FromStr;

#[derive(Clone, Debug)]
pub(super) enum Py {
    Strict(pep440_rs::Version),
    Big(BigPep),
    Legacy(Legacy),
}

/// The parsed version and whether the lenient layer decided it.
pub(super) fn parse(text: &str) -> Option<(Py, bool)> {
    if let Ok(v) = pep440_rs::Version::from_str(text) {
        // pep440_rs keeps a local segment of digits too large for a u64 as a string, which
        // would sort it below every number; PEP 440 compares it as a number.
        let big_local = v.local().iter().any(|s| {
            matches!(s, pep440_rs::LocalSegment::String(t) if t.bytes().all(|b| b.is_ascii_digit()))
        });
        if !big_local {
            return Some((Py::Strict(v), false));
        }
    }
    if let Some(b) = lenient::big_pep440(text) {
        return Some((Py::Big(b), true));
    }
    lenient::legacy_pypi(text).map(|l| (Py::Legacy(l), true))
}

impl Py {
    pub(super) fn cmp(&self, other: &Py) -> Ordering {
        match (self, other) {
            (Py::Strict(a), Py::Strict(b)) => a.cmp(b),
            (Py::Strict(a), Py::Big(b)) => BigPep::of_strict(a).cmp(b),
            (Py::Big(a), Py::Strict(b)) => a.cmp(&BigPep::of_strict(b)),
            (Py::Big(a), Py::Big(b)) => a.cmp(b),
            (Py::Legacy(a), Py::Legacy(b)) => a.cmp(b),
            (Py::Legacy(_), _) => Ordering::Less,
            (_, Py::Legacy(_)) => Ordering::Greater,
        }
    }
}
