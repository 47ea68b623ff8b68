//! PEP 440 ordering (PyPI), on the `pep440_rs` crate. Versions it rejects go to the lenient
//! layer: plain releases with numbers too large for it ([`super::lenient::big_release`]) and
//! legacy versions ([`super::lenient::legacy_pypi`]), which sort before every PEP 440 version.
//!
//! Equality is PEP 440's: `1.0 == 1.0.0`, `1.0a1 == 1.0.a.1`, `1.0-1 == 1.0.post1`; a local
//! version (`1.0+ubuntu1`) is greater than the same version without one.

use super::lenient::{self, BigRelease, Legacy};
use std::cmp::Ordering;
use std::str::FromStr;

#[derive(Clone, Debug)]
pub(super) enum Py {
    Strict(pep440_rs::Version),
    Big(BigRelease),
    Legacy(Legacy),
}

/// The parsed version and whether the lenient layer decided it.
pub(super) fn parse(text: &str) -> Option<(Py, bool)> {
    if let Ok(v) = pep440_rs::Version::from_str(text) {
        return Some((Py::Strict(v), false));
    }
    if let Some(b) = lenient::big_release(text) {
        return Some((Py::Big(b), true));
    }
    lenient::legacy_pypi(text).map(|l| (Py::Legacy(l), true))
}

impl Py {
    pub(super) fn cmp(&self, other: &Py) -> Ordering {
        match (self, other) {
            (Py::Strict(a), Py::Strict(b)) => a.cmp(b),
            (Py::Strict(a), Py::Big(b)) => b.cmp_strict(a),
            (Py::Big(a), Py::Strict(b)) => a.cmp_strict(b).reverse(),
            (Py::Big(a), Py::Big(b)) => a.cmp(b),
            (Py::Legacy(a), Py::Legacy(b)) => a.cmp(b),
            (Py::Legacy(_), _) => Ordering::Less,
            (_, Py::Legacy(_)) => Ordering::Greater,
        }
    }
}
