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

#[cfg(test)]
mod tests {
    use super::*;
    use Ordering::*;

    /// Known answers from rpm 4.18's own comparison: Debian's `python3-rpm`,
    /// `rpm.labelCompare((epoch, version, release), ...)` with the text split at the first `:`
    /// and the last `-` (cases include rpm's `rpmvercmp` test list, tilde and caret ones, and
    /// real el7/el8 releases).
    const RPM_4_18: &[(&str, &str, Ordering)] = &[
        ("1.0", "1.0", Equal),
        ("1.0", "2.0", Less),
        ("2.0", "1.0", Greater),
        ("2.0.1", "2.0.1", Equal),
        ("2.0", "2.0.1", Less),
        ("2.0.1a", "2.0.1a", Equal),
        ("2.0.1a", "2.0.1", Greater),
        ("5.5p1", "5.5p1", Equal),
        ("5.5p1", "5.5p2", Less),
        ("5.5p10", "5.5p10", Equal),
        ("5.5p1", "5.5p10", Less),
        ("10xyz", "10.1xyz", Less),
        ("xyz10", "xyz10.1", Less),
        ("xyz.4", "xyz.4", Equal),
        ("xyz.4", "8", Less),
        ("8", "xyz.4", Greater),
        ("xyz.4", "2", Less),
        ("5.5p2", "5.6p1", Less),
        ("5.6p1", "6.5p1", Less),
        ("6.0.rc1", "6.0", Greater),
        ("10b2", "10a1", Greater),
        ("10a2", "10b2", Less),
        ("1.0aa", "1.0aa", Equal),
        ("1.0a", "1.0aa", Less),
        ("10.0001", "10.0001", Equal),
        ("10.0001", "10.1", Equal),
        ("10.0001", "10.0039", Less),
        ("4.999.9", "5.0", Less),
        ("20101121", "20101121", Equal),
        ("20101121", "20101122", Less),
        ("2_0", "2_0", Equal),
        ("2.0", "2_0", Equal),
        ("a", "a", Equal),
        ("a+", "a+", Equal),
        ("a+", "a_", Equal),
        ("+a", "+a", Equal),
        ("+a", "_a", Equal),
        ("1.0.", "1.0", Equal),
        ("1.0~rc1", "1.0~rc1", Equal),
        ("1.0~rc1", "1.0", Less),
        ("1.0~rc1", "1.0~rc2", Less),
        ("1.0~rc1~git123", "1.0~rc1~git123", Equal),
        ("1.0~rc1~git123", "1.0~rc1", Less),
        ("1.0^", "1.0^", Equal),
        ("1.0^", "1.0", Greater),
        ("1.0^git1", "1.0", Greater),
        ("1.0^git1", "1.0.1", Less),
        ("1.0^git1", "1.0^git2", Less),
        ("1.0^git1", "1.01", Less),
        ("1.0^20160101", "1.0.1", Less),
        ("1.0^20160101^git1", "1.0^20160101", Greater),
        ("1.0~rc1^git1", "1.0~rc1", Greater),
        ("1.0~rc1^git1", "1.0", Less),
        ("1.0^git1~pre", "1.0^git1", Less),
        ("1:1.0-1", "1.0-1", Greater),
        ("0:1.0-1", "1.0-1", Equal),
        ("2:1.0-1", "10:0.1-1", Less),
        ("1.0-1", "1.0-2", Less),
        ("1.0-1.el8", "1.0-1.el8_2", Less),
        ("1.0-10", "1.0-9", Greater),
        ("3.6.8-51.el8_8.2", "3.6.8-56.el8_9", Less),
        ("1.1.1k-12.el8_9", "1.1.1k-9.el8_7", Greater),
        ("2.4.6-2.el7", "2.4.6-2.el7_9.1", Less),
        ("1.0-1", "1.0", Greater),
    ];

    #[test]
    fn rpm_orders_as_rpm_label_compare() {
        assert!(RPM_4_18.len() >= 30);
        for &(a, b, want) in RPM_4_18 {
            let (Some(x), Some(y)) = (parse(a), parse(b)) else {
                panic!("{a} or {b} did not parse");
            };
            assert_eq!(x.cmp(&y), want, "{a} vs {b}");
            assert_eq!(y.cmp(&x), want.reverse(), "{b} vs {a}");
        }
    }

    #[test]
    fn rpm_rejects_what_is_no_evr() {
        for bad in [
            "",
            "abc:1.0",
            ":1.0",
            "1:2:3",
            "1.0-",
            "-1",
            "1:-1",
            "~^",
            "1.0 -1",
            "1.0\u{e9}",
        ] {
            assert!(parse(bad).is_none(), "{bad:?} parsed");
        }
    }
}
