//! The lenient layer: how versions that a scheme's strict parser (its crate) rejects are still
//! ordered, where a documented rule exists. A version decided here reports
//! [`super::Version::is_lenient`]. Text that no rule below accepts is not evaluable.
//!
//! Every rule first requires the text to be non-empty printable ASCII without spaces, and to hold
//! at least one letter or digit.
//!
//! **SemVer** (`semver` rejects it): an optional leading `v` or `V` (Go module versions, tags);
//! one to three dot-separated numbers of any size (missing minor or patch count as 0); an
//! optional `-` pre-release of dot-separated identifiers of ASCII letters, digits and hyphens
//! (numeric ones of any size, leading zeros allowed); an optional `+` build, ignored. Anything
//! after the third number (`1.1.3.4.5`) is build metadata, as the vectors' source treats it.
//!
//! **PEP 440, numbers too large** (`pep440_rs` keeps numbers in `u64`): a plain final release,
//! optionally `v`-prefixed and with an `N!` epoch, whose numbers do not fit is ordered by PEP 440
//! with the numbers compared by value, against strict versions too.
//!
//! **PEP 440, legacy versions** (`0.1-bulbasaur`, `2004d`, anything else PEP 440 rejects): the
//! rule of `packaging`'s old `LegacyVersion` (setuptools' `parse_version` before PEP 440), which
//! is what the vectors' source applies. Every legacy version sorts before every PEP 440 version.
//! Two legacy versions compare by a key: the lower-cased text is cut into digit runs, letter runs,
//! `.`, `-` and runs of anything else; `.` is dropped; `pre`, `preview` and `rc` become `c`, `dev`
//! becomes `@`, `-` becomes `final-`; a `final` part closes the list. When a non-numeric part
//! sorting before `final` is added, the `final-` parts just before it are dropped; before adding
//! any non-numeric part, trailing zero numbers are dropped. Keys compare part by part: numbers by
//! value, other parts as strings, any other part lower than any number, a key that is a prefix of
//! the other lower. (`LegacyVersion` compared numbers as zero-padded 8-character strings, which
//! misorders numbers of nine or more digits; numbers here compare by value.)

use super::generic::Num;
use super::semver::{Ident, Sem};
use std::cmp::Ordering;

/// Printable ASCII without spaces, with at least one letter or digit.
pub(super) fn plausible(text: &str) -> bool {
    !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_graphic())
        && text.bytes().any(|b| b.is_ascii_alphanumeric())
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// The lenient SemVer rule (see the module documentation).
pub(super) fn semver(text: &str) -> Option<Sem> {
    if !plausible(text) {
        return None;
    }
    let body = text
        .strip_prefix('v')
        .or_else(|| text.strip_prefix('V'))
        .unwrap_or(text);
    let body = body.split_once('+').map_or(body, |(b, _)| b);
    let (core, pre) = match body.split_once('-') {
        Some((c, p)) => (c, Some(p)),
        None => (body, None),
    };
    let parts: Vec<&str> = core.split('.').collect();
    if parts.len() > 3 {
        // `1.1.3.4.5-x`: the fourth number on is build metadata, and with it what follows.
        if !parts[..3].iter().all(|p| all_digits(p)) {
            return None;
        }
    } else if !parts.iter().all(|p| all_digits(p)) {
        return None;
    }
    let num = |i: usize| parts.get(i).map_or(Num::Small(0), |p| Num::from_digits(p));
    let pre: Box<[Ident]> = match pre {
        Some(p) if parts.len() <= 3 => {
            let ids: Vec<&str> = p.split('.').collect();
            if ids
                .iter()
                .any(|i| i.is_empty() || !i.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
            {
                return None;
            }
            ids.into_iter().map(Ident::new).collect()
        }
        _ => Box::default(),
    };
    Some(Sem {
        major: num(0),
        minor: num(1),
        patch: num(2),
        pre,
    })
}

/// A PEP 440 final release whose numbers overflow `pep440_rs`'s `u64`.
#[derive(Clone, Debug)]
pub(super) struct BigRelease {
    epoch: Num,
    release: Box<[Num]>,
}

/// `[v]digits[!]digits(.digits)*` with at least one number too large for a `u64`.
pub(super) fn big_release(text: &str) -> Option<BigRelease> {
    let body = text
        .strip_prefix('v')
        .or_else(|| text.strip_prefix('V'))
        .unwrap_or(text);
    let (epoch, rest) = match body.split_once('!') {
        Some((e, r)) if all_digits(e) => (Num::from_digits(e), r),
        Some(_) => return None,
        None => (Num::Small(0), body),
    };
    let mut release = Vec::new();
    for part in rest.split('.') {
        if !all_digits(part) {
            return None;
        }
        release.push(Num::from_digits(part));
    }
    let big = matches!(epoch, Num::Big(_)) || release.iter().any(|n| matches!(n, Num::Big(_)));
    big.then(|| BigRelease {
        epoch,
        release: release.into(),
    })
}

/// Release numbers compared as PEP 440 does: the shorter padded with zeros.
fn cmp_release<'a>(
    a: impl Iterator<Item = &'a Num> + Clone,
    b: impl Iterator<Item = &'a Num> + Clone,
) -> Ordering {
    let zero = Num::Small(0);
    let (mut a, mut b) = (a, b);
    loop {
        match (a.next(), b.next()) {
            (None, None) => return Ordering::Equal,
            (x, y) => {
                let ord = x.unwrap_or(&zero).cmp(y.unwrap_or(&zero));
                if ord != Ordering::Equal {
                    return ord;
                }
            }
        }
    }
}

impl BigRelease {
    pub(super) fn cmp(&self, other: &BigRelease) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| cmp_release(self.release.iter(), other.release.iter()))
    }

    /// PEP 440 order of a strict version against this plain final release.
    pub(super) fn cmp_strict(&self, v: &pep440_rs::Version) -> Ordering {
        let epoch = Num::Small(v.epoch());
        let release: Vec<Num> = v.release().iter().map(|n| Num::Small(*n)).collect();
        let ord = epoch
            .cmp(&self.epoch)
            .then_with(|| cmp_release(release.iter(), self.release.iter()));
        if ord != Ordering::Equal {
            return ord;
        }
        // Same release: pre-releases and bare dev releases are lower, post releases and
        // local versions higher.
        if v.is_pre() || (v.is_dev() && !v.is_post()) {
            Ordering::Less
        } else if v.is_post() || v.is_local() {
            Ordering::Greater
        } else {
            Ordering::Equal
        }
    }
}

/// One part of a legacy key. The variant order is the rule: any non-number < any number.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum LegacyPart {
    Text(Box<str>),
    Num(Num),
}

/// The `LegacyVersion` key of a PyPI version that PEP 440 rejects.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Legacy {
    parts: Box<[LegacyPart]>,
}

/// Adds a non-numeric part to a legacy key, as `_legacy_cmpkey` does.
fn push_text(parts: &mut Vec<LegacyPart>, t: &str) {
    if t < "final" {
        while matches!(parts.last(), Some(LegacyPart::Text(p)) if &**p == "final-") {
            parts.pop();
        }
    }
    while matches!(parts.last(), Some(LegacyPart::Num(n)) if n.is_zero()) {
        parts.pop();
    }
    parts.push(LegacyPart::Text(t.into()));
}

/// The legacy rule (see the module documentation); `None` for implausible text.
pub(super) fn legacy_pypi(text: &str) -> Option<Legacy> {
    if !plausible(text) {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut parts: Vec<LegacyPart> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let b = bytes[i];
        if b.is_ascii_digit() {
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            parts.push(LegacyPart::Num(Num::from_digits(&lower[start..i])));
            continue;
        }
        if b.is_ascii_lowercase() {
            while i < bytes.len() && bytes[i].is_ascii_lowercase() {
                i += 1;
            }
        } else if b == b'.' || b == b'-' {
            i += 1;
        } else {
            while i < bytes.len()
                && !(bytes[i].is_ascii_alphanumeric() || bytes[i] == b'.' || bytes[i] == b'-')
            {
                i += 1;
            }
        }
        let t = match &lower[start..i] {
            "." => continue,
            "pre" | "preview" | "rc" => "c",
            "dev" => "@",
            "-" => "final-",
            t => t,
        };
        push_text(&mut parts, t);
    }
    push_text(&mut parts, "final");
    Some(Legacy {
        parts: parts.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> Vec<String> {
        let Some(l) = legacy_pypi(text) else {
            panic!("{text} rejected");
        };
        l.parts
            .iter()
            .map(|p| match p {
                LegacyPart::Text(t) => format!("*{t}"),
                LegacyPart::Num(Num::Small(n)) => format!("{n:08}"),
                LegacyPart::Num(Num::Big(d)) => d.to_string(),
            })
            .collect()
    }

    /// Keys as `packaging.version._legacy_cmpkey` (packaging 21.3) gives them.
    #[test]
    fn legacy_key_matches_packaging_legacy_cmpkey() {
        assert_eq!(
            key("0.1-bulbasaur"),
            ["00000000", "00000001", "*bulbasaur", "*final"]
        );
        assert_eq!(key("1.0-1"), ["00000001", "*final-", "00000001", "*final"]);
        assert_eq!(key("2004d"), ["00002004", "*d", "*final"]);
        assert_eq!(
            key("1.0.dev1_x"),
            ["00000001", "*@", "00000001", "*_", "*x", "*final"]
        );
        assert_eq!(key("1.0RC1"), ["00000001", "*c", "00000001", "*final"]);
        assert_eq!(key("1.0-pre2"), ["00000001", "*c", "00000002", "*final"]);
    }

    #[test]
    fn legacy_rejects_implausible_text() {
        for bad in ["", " ", "1 0", "...", "é1", "1\u{0}"] {
            assert!(legacy_pypi(bad).is_none(), "{bad:?} accepted");
        }
    }

    #[test]
    fn lenient_semver_accepts_v_and_large_numbers_rejects_garbage() {
        assert!(semver("v1.2.3").is_some());
        assert!(semver("V1.2.3-rc.1+build").is_some());
        assert!(semver("999999999999999999999999999999").is_some());
        assert!(semver("1.1.3.4.5").is_some());
        assert!(semver("0.0.0-00").is_some());
        for bad in [
            "",
            "v",
            "abc",
            "1.x.3",
            "1..2",
            "1.2.3-",
            "1.2.3-a..b",
            "1.2.3 ",
            "vv1",
        ] {
            assert!(semver(bad).is_none(), "{bad:?} accepted");
        }
    }
}
