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
//! **PEP 440, numbers too large** (`pep440_rs` keeps numbers in `u64`, Python's `packaging` does
//! not): a version in PEP 440's grammar (its accepted spellings included) with a number that does
//! not fit is ordered by PEP 440's key with numbers compared by value, against strict versions
//! too.
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

/// A pre-release, or where a version without one sorts. Variant order is PEP 440's.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum PreKey {
    /// A bare dev release (`1.0.dev1`): before every pre-release.
    DevOnly,
    /// `a` (0), `b` (1), `rc` (2) and the number.
    Pre(u8, Num),
    /// No pre-release.
    None,
}

/// A local version segment: strings before numbers, as PEP 440 orders them.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum LocalSeg {
    Str(Box<str>),
    Num(Num),
}

/// PEP 440's comparison key (`packaging`'s `_cmpkey`) with numbers of any size, for versions
/// whose numbers overflow `pep440_rs`'s `u64`. Field order is comparison order.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct BigPep {
    epoch: Num,
    /// Without trailing zeros, so `1.0 == 1`.
    release: Box<[Num]>,
    pre: PreKey,
    /// `None` (no post release) sorts first.
    post: Option<Num>,
    /// `None` (no dev release) must sort last, hence the inversion.
    dev: (bool, Option<Num>),
    /// `None` (no local version) sorts first.
    local: Option<Box<[LocalSeg]>>,
}

fn trim_release(mut release: Vec<Num>) -> Box<[Num]> {
    while release.last().is_some_and(Num::is_zero) {
        release.pop();
    }
    release.into()
}

fn pre_key(pre: Option<(u8, Num)>, post: bool, dev: bool) -> PreKey {
    match pre {
        Some((k, n)) => PreKey::Pre(k, n),
        None if dev && !post => PreKey::DevOnly,
        None => PreKey::None,
    }
}

fn dev_key(dev: Option<Num>) -> (bool, Option<Num>) {
    match dev {
        Some(n) => (false, Some(n)),
        None => (true, None),
    }
}

impl BigPep {
    /// The key of a version `pep440_rs` parsed.
    pub(super) fn of_strict(v: &pep440_rs::Version) -> BigPep {
        use pep440_rs::{LocalSegment, PrereleaseKind};
        let pre = v.pre().map(|p| {
            let kind = match p.kind {
                PrereleaseKind::Alpha => 0,
                PrereleaseKind::Beta => 1,
                PrereleaseKind::Rc => 2,
            };
            (kind, Num::Small(p.number))
        });
        let local = (!v.local().is_empty()).then(|| {
            v.local()
                .iter()
                .map(|s| match s {
                    LocalSegment::String(t) => LocalSeg::Str(t.to_ascii_lowercase().into()),
                    LocalSegment::Number(n) => LocalSeg::Num(Num::Small(*n)),
                })
                .collect()
        });
        BigPep {
            epoch: Num::Small(v.epoch()),
            release: trim_release(v.release().iter().map(|n| Num::Small(*n)).collect()),
            pre: pre_key(pre, v.post().is_some(), v.dev().is_some()),
            post: v.post().map(Num::Small),
            dev: dev_key(v.dev().map(Num::Small)),
            local,
        }
    }
}

/// A small cursor over lower-cased ASCII text.
struct Cursor<'a> {
    s: &'a str,
    big: bool,
}

impl Cursor<'_> {
    fn eat(&mut self, prefix: &str) -> bool {
        match self.s.strip_prefix(prefix) {
            Some(rest) => {
                self.s = rest;
                true
            }
            None => false,
        }
    }

    fn eat_sep(&mut self) -> bool {
        self.eat(".") || self.eat("-") || self.eat("_")
    }

    fn number(&mut self) -> Option<Num> {
        let end = self
            .s
            .bytes()
            .position(|b| !b.is_ascii_digit())
            .unwrap_or(self.s.len());
        if end == 0 {
            return None;
        }
        let n = Num::from_digits(&self.s[..end]);
        self.big |= matches!(n, Num::Big(_));
        self.s = &self.s[end..];
        Some(n)
    }

    /// `[sep]word[sep]N` for the first word that matches; the number may be absent (0).
    fn labelled(&mut self, words: &[&str]) -> Option<(usize, Num)> {
        let save = self.s;
        self.eat_sep();
        for (i, w) in words.iter().enumerate() {
            if self.eat(w) {
                let before_sep = self.s;
                self.eat_sep();
                return match self.number() {
                    Some(n) => Some((i, n)),
                    None => {
                        self.s = before_sep;
                        Some((i, Num::Small(0)))
                    }
                };
            }
        }
        self.s = save;
        None
    }
}

/// PEP 440's grammar (with its accepted spellings) for a version with a number too large for a
/// `u64`; `None` for anything else, including versions with no large number.
pub(super) fn big_pep440(text: &str) -> Option<BigPep> {
    if !plausible(text) {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    let mut c = Cursor {
        s: &lower,
        big: false,
    };
    c.eat("v");
    let first = c.number()?;
    let (epoch, mut release) = if c.eat("!") {
        (first, vec![c.number()?])
    } else {
        (Num::Small(0), vec![first])
    };
    while c.s.starts_with('.') && c.s[1..].starts_with(|ch: char| ch.is_ascii_digit()) {
        c.eat(".");
        release.push(c.number()?);
    }
    // Longest spellings first, so `alpha` is not read as `a`.
    const PRE: [&str; 8] = ["alpha", "beta", "preview", "pre", "rc", "a", "b", "c"];
    let pre = c.labelled(&PRE).map(|(i, n)| {
        let kind = match PRE[i] {
            "alpha" | "a" => 0,
            "beta" | "b" => 1,
            _ => 2,
        };
        (kind, n)
    });
    let post = match c.labelled(&["post", "rev", "r"]) {
        Some((_, n)) => Some(n),
        None if c.s.starts_with('-') && c.s[1..].starts_with(|ch: char| ch.is_ascii_digit()) => {
            c.eat("-");
            Some(c.number()?)
        }
        None => None,
    };
    let dev = c.labelled(&["dev"]).map(|(_, n)| n);
    let local = if c.eat("+") {
        let mut segs = Vec::new();
        for seg in c.s.split(['.', '-', '_']) {
            if seg.is_empty() || !seg.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return None;
            }
            segs.push(if seg.bytes().all(|b| b.is_ascii_digit()) {
                let n = Num::from_digits(seg);
                c.big |= matches!(n, Num::Big(_));
                LocalSeg::Num(n)
            } else {
                LocalSeg::Str(seg.into())
            });
        }
        c.s = "";
        Some(segs.into_boxed_slice())
    } else {
        None
    };
    if !c.s.is_empty() || !c.big {
        return None;
    }
    Some(BigPep {
        epoch,
        release: trim_release(release),
        pre: pre_key(pre, post.is_some(), dev.is_some()),
        post,
        dev: dev_key(dev),
        local,
    })
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

    #[test]
    fn big_pep440_takes_only_pep440_text_with_a_large_number() {
        let b = "99999999999999999999999";
        for good in [
            b.to_string(),
            format!("v{b}.0rc1.post2.dev3+abc.{b}"),
            format!("1!{b}-alpha-1"),
            format!("1.0+{b}"),
            format!("{b}!1.0"),
        ] {
            assert!(big_pep440(&good).is_some(), "{good} rejected");
        }
        for bad in [
            "1.0".to_string(),
            "1.0rc1+local".to_string(),
            format!("{b}-foo"),
            format!("{b}.."),
            format!("{b}+"),
            format!("{b}+a..b"),
            format!("{b}rc1rc2"),
            format!("x{b}"),
        ] {
            assert!(big_pep440(&bad).is_none(), "{bad} accepted");
        }
    }
}
