//! Version ordering per ecosystem: PEP 440 (PyPI), SemVer, Debian, RPM and a generic fallback.
//!
//! A version is parsed once ([`parse`]) and compared many times ([`Version::compare`]); parsing
//! uses no regular expression of its own. Each scheme has a strict parser (a kept crate:
//! `pep440_rs`, `semver`, `debversion`, `rpm-version`); where it rejects a version, the
//! documented lenient layer (`lenient.rs`; `docs/vulns.md`, "Version ordering") may still
//! order it, and the result says so ([`Version::is_lenient`]). Text that no rule can order
//! (empty, spaces, control or non-ASCII characters, no letter or digit, or outside the scheme's
//! grammar) is [`NotEvaluable`], never guessed.
//!
//! Equality is semantic: PEP 440 `1.0 == 1.0.0`, Debian `0:1.0 == 1.0`, SemVer ignores build
//! metadata, RPM `1.01 == 1.1`.

mod debian;
mod generic;
mod lenient;
mod pep440;
mod rpm;
mod semver;

use std::cmp::Ordering;
use std::fmt;

/// A version-ordering rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// PEP 440, with `packaging`'s legacy rule for versions it rejects.
    Pep440,
    /// SemVer 2.0.0, lenient about a leading `v`, missing minor/patch and large numbers.
    Semver,
    /// Debian Policy (dpkg).
    Debian,
    /// RPM `epoch:version-release` (rpmvercmp).
    Rpm,
    /// Digit and letter runs (see the `generic` rule in `docs/vulns.md`).
    Generic,
}

impl Scheme {
    /// The ordering an OSV `ecosystem` uses: `PyPI` → PEP 440; `npm`, `crates.io`, `Go`, `Hex`,
    /// `Pub`, `NuGet` → SemVer (with the lenient layer: Go's leading `v`; a fourth number, as in
    /// NuGet's `1.2.3.4`, is build metadata and ignored); `Debian`, `Ubuntu` → Debian; `AlmaLinux`, `Rocky Linux`, `Red Hat`,
    /// `openSUSE`, `SUSE`, `Mageia`, `openEuler` → RPM; anything else → generic. A suffix after
    /// `:` (`Debian:11`, `AlmaLinux:8`) is ignored; names match exactly, as OSV spells them.
    pub fn for_ecosystem(ecosystem: &str) -> Scheme {
        let base = ecosystem.split_once(':').map_or(ecosystem, |(b, _)| b);
        match base {
            "PyPI" => Scheme::Pep440,
            "npm" | "crates.io" | "Go" | "Hex" | "Pub" | "NuGet" => Scheme::Semver,
            "Debian" | "Ubuntu" => Scheme::Debian,
            "AlmaLinux" | "Rocky Linux" | "Red Hat" | "openSUSE" | "SUSE" | "Mageia"
            | "openEuler" => Scheme::Rpm,
            _ => Scheme::Generic,
        }
    }

    /// A short name for messages: "PEP 440", "SemVer", "Debian", "RPM", "generic".
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Pep440 => "PEP 440",
            Scheme::Semver => "SemVer",
            Scheme::Debian => "Debian",
            Scheme::Rpm => "RPM",
            Scheme::Generic => "generic",
        }
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Clone, Debug)]
enum Repr {
    Pep440(pep440::Py),
    Semver(semver::Sem),
    Debian(debian::Deb),
    Rpm(rpm::Rpm),
    Generic(generic::Generic),
}

/// A parsed version: its scheme, what orders it, and the text it was parsed from.
#[derive(Clone, Debug)]
pub struct Version {
    scheme: Scheme,
    repr: Repr,
    text: Box<str>,
    lenient: bool,
}

/// A version that no rule of its scheme can order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotEvaluable {
    /// The scheme it was parsed under.
    pub scheme: Scheme,
    /// The text as given.
    pub text: String,
    /// Why no rule orders it.
    pub reason: String,
}

impl fmt::Display for NotEvaluable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "version {:?} is not evaluable as {}: {}",
            self.text,
            self.scheme.name(),
            self.reason
        )
    }
}

impl std::error::Error for NotEvaluable {}

fn reason(scheme: Scheme, text: &str) -> String {
    if text.is_empty() {
        return "it is empty".into();
    }
    if let Some(c) = text.chars().find(|c| !c.is_ascii_graphic()) {
        return format!("it contains {c:?}, which no version rule allows");
    }
    if !text.bytes().any(|b| b.is_ascii_alphanumeric()) {
        return "it has no letter or digit".into();
    }
    match scheme {
        Scheme::Pep440 => "neither PEP 440 nor the legacy rule accepts it".into(),
        Scheme::Semver => "neither SemVer nor the lenient SemVer rule accepts it".into(),
        Scheme::Debian => "it is not a Debian version ([epoch:]upstream[-revision])".into(),
        Scheme::Rpm => "it is not an RPM [epoch:]version[-release]".into(),
        Scheme::Generic => "it has no letter or digit".into(),
    }
}

/// Parses `text` under `scheme`.
pub fn parse(scheme: Scheme, text: &str) -> Result<Version, NotEvaluable> {
    let parsed = match scheme {
        Scheme::Pep440 => pep440::parse(text).map(|(p, lenient)| (Repr::Pep440(p), lenient)),
        Scheme::Semver => match semver::parse_strict(text) {
            Some(s) => Some((Repr::Semver(s), false)),
            None => lenient::semver(text).map(|s| (Repr::Semver(s), true)),
        },
        Scheme::Debian => debian::parse(text).map(|d| (Repr::Debian(d), false)),
        Scheme::Rpm => rpm::parse(text).map(|r| (Repr::Rpm(r), false)),
        Scheme::Generic => {
            if lenient::plausible(text) {
                generic::parse(text).map(|g| (Repr::Generic(g), false))
            } else {
                None
            }
        }
    };
    match parsed {
        Some((repr, lenient)) => Ok(Version {
            scheme,
            repr,
            text: text.into(),
            lenient,
        }),
        None => Err(NotEvaluable {
            scheme,
            text: text.to_owned(),
            reason: reason(scheme, text),
        }),
    }
}

impl Version {
    /// The scheme it was parsed under.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The text it was parsed from.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// True when the strict parser (crate) rejected it and the documented lenient layer decided.
    pub fn is_lenient(&self) -> bool {
        self.lenient
    }

    /// True for a PEP 440 legacy version (`0.2.0-n653`, `2019-09-12`), ordered by
    /// `LegacyVersion`'s rule. Against a PEP 440 version its order is a convention (every legacy
    /// version first), not a reading of the text, so range evaluation does not decide on it.
    pub fn is_legacy(&self) -> bool {
        matches!(self.repr, Repr::Pep440(pep440::Py::Legacy(_)))
    }

    /// The order of `self` against `other`; `None` only when their schemes differ.
    pub fn compare(&self, other: &Version) -> Option<Ordering> {
        match (&self.repr, &other.repr) {
            (Repr::Pep440(a), Repr::Pep440(b)) => Some(a.cmp(b)),
            (Repr::Semver(a), Repr::Semver(b)) => Some(a.cmp(b)),
            (Repr::Debian(a), Repr::Debian(b)) => Some(a.cmp(b)),
            (Repr::Rpm(a), Repr::Rpm(b)) => Some(a.cmp(b)),
            (Repr::Generic(a), Repr::Generic(b)) => Some(a.cmp(b)),
            _ => None,
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Convenience: parses both and compares; `Err` if either is not evaluable.
pub fn compare(scheme: Scheme, a: &str, b: &str) -> Result<Ordering, NotEvaluable> {
    let a = parse(scheme, a)?;
    let b = parse(scheme, b)?;
    // Both parsed under one scheme, so they compare.
    Ok(a.compare(&b).unwrap_or(Ordering::Equal))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Ordering::*;

    #[test]
    fn ecosystem_map_follows_osv_names_and_ignores_suffixes() {
        let cases = [
            ("PyPI", Scheme::Pep440),
            ("npm", Scheme::Semver),
            ("crates.io", Scheme::Semver),
            ("Go", Scheme::Semver),
            ("Hex", Scheme::Semver),
            ("Pub", Scheme::Semver),
            ("NuGet", Scheme::Semver),
            ("Debian", Scheme::Debian),
            ("Debian:11", Scheme::Debian),
            ("Ubuntu:22.04:LTS", Scheme::Debian),
            ("AlmaLinux:8", Scheme::Rpm),
            ("Rocky Linux:9", Scheme::Rpm),
            ("Red Hat:enterprise_linux:9::appstream", Scheme::Rpm),
            ("openSUSE:Leap 15.5", Scheme::Rpm),
            ("SUSE:Linux Enterprise Server 15 SP5", Scheme::Rpm),
            ("Mageia:9", Scheme::Rpm),
            ("openEuler:22.03-LTS", Scheme::Rpm),
            ("Maven", Scheme::Generic),
            ("RubyGems", Scheme::Generic),
            ("pypi", Scheme::Generic),
            ("", Scheme::Generic),
        ];
        for (eco, want) in cases {
            assert_eq!(Scheme::for_ecosystem(eco), want, "{eco}");
        }
        assert_eq!(Scheme::Pep440.name(), "PEP 440");
        assert_eq!(Scheme::Semver.name(), "SemVer");
        assert_eq!(Scheme::Debian.name(), "Debian");
        assert_eq!(Scheme::Rpm.name(), "RPM");
        assert_eq!(Scheme::Generic.name(), "generic");
    }

    #[test]
    fn equality_is_semantic() {
        let cases = [
            (Scheme::Pep440, "1.0", "1.0.0"),
            (Scheme::Pep440, "1.0a1", "1.0.alpha.1"),
            (Scheme::Pep440, "1.0-1", "1.0.post1"),
            (Scheme::Pep440, "v1.0", "1.0"),
            (Scheme::Debian, "0:1.0", "1.0"),
            (Scheme::Debian, "1.0-0", "1.0"),
            (Scheme::Semver, "1.2.3+a", "1.2.3+b"),
            (Scheme::Semver, "v1.2.3", "1.2.3"),
            (Scheme::Rpm, "0:1.01-1", "1.1-1"),
            (Scheme::Generic, "1.0", "1.0.0"),
        ];
        for (scheme, a, b) in cases {
            assert_eq!(compare(scheme, a, b), Ok(Equal), "{scheme} {a} = {b}");
        }
    }

    /// Known answers from Python's `packaging` 24.2 (`Version` comparisons), which keeps numbers
    /// of any size.
    #[test]
    fn pep440_numbers_beyond_u64_order_as_packaging() {
        let b = "99999999999999999999999";
        let cases = [
            (b.to_string(), "1.0".to_string(), Greater),
            (b.to_string(), format!("{b}.0"), Equal),
            (format!("{b}.1"), format!("{b}.0.0.2"), Greater),
            ("1!1.0".into(), format!("1!{b}"), Less),
            ("2!1.0".into(), format!("1!{b}"), Greater),
            (format!("v{b}"), b.to_string(), Equal),
            (
                "18446744073709551616".into(),
                "18446744073709551615".into(),
                Greater,
            ),
            ("1.0.post1".into(), "1.0".into(), Greater),
        ];
        for (x, y, want) in cases {
            assert_eq!(compare(Scheme::Pep440, &x, &y), Ok(want), "{x} vs {y}");
            assert_eq!(
                compare(Scheme::Pep440, &y, &x),
                Ok(want.reverse()),
                "{y} vs {x}"
            );
        }
        // Pre, post, dev and local parts with large numbers, in PEP 440's spellings: decided by
        // the lenient PEP 440 key, never by the legacy rule (which would put them first).
        let cases: &[(&str, &str, Ordering)] = &[
            (
                "99999999999999999999999rc1",
                "99999999999999999999999",
                Less,
            ),
            (
                "99999999999999999999999.post1",
                "99999999999999999999999",
                Greater,
            ),
            ("99999999999999999999999.post1", "1.0", Greater),
            (
                "99999999999999999999999+local",
                "99999999999999999999999",
                Greater,
            ),
            (
                "99999999999999999999999.dev1",
                "99999999999999999999999",
                Less,
            ),
            (
                "99999999999999999999999-alpha-2",
                "99999999999999999999999a2",
                Equal,
            ),
            (
                "99999999999999999999999-1",
                "99999999999999999999999.post1",
                Equal,
            ),
            (
                "99999999999999999999999+ubuntu.1",
                "99999999999999999999999+ubuntu.2",
                Less,
            ),
            (
                "99999999999999999999999+1",
                "99999999999999999999999+a",
                Greater,
            ),
            ("1.0+99999999999999999999999", "1.0+1", Greater),
            ("1.0+99999999999999999999999", "1.0", Greater),
            (
                "99999999999999999999999.dev1",
                "99999999999999999999999a1",
                Less,
            ),
            (
                "99999999999999999999999a1.dev1",
                "99999999999999999999999a1",
                Less,
            ),
            (
                "99999999999999999999999.post1.dev1",
                "99999999999999999999999.post1",
                Less,
            ),
            (
                "99999999999999999999999.post1.dev1",
                "99999999999999999999999",
                Greater,
            ),
            ("1.0.dev99999999999999999999999", "1.0.dev1", Greater),
            ("1.0.dev99999999999999999999999", "1.0a1", Less),
            ("1.0rc99999999999999999999999", "1.0", Less),
            ("1.0.post99999999999999999999999", "1.0.post2", Greater),
            (
                "99999999999999999999999.0.0",
                "99999999999999999999999",
                Equal,
            ),
            (
                "V99999999999999999999999RC1",
                "99999999999999999999999rc1",
                Equal,
            ),
            (
                "99999999999999999999999preview3",
                "99999999999999999999999c3",
                Equal,
            ),
        ];
        for &(x, y, want) in cases {
            let (vx, vy) = (parse(Scheme::Pep440, x), parse(Scheme::Pep440, y));
            let (Ok(vx), Ok(vy)) = (vx, vy) else {
                panic!("{x} or {y} did not parse");
            };
            assert!(vx.is_lenient() || vy.is_lenient(), "{x} {y}");
            assert_eq!(vx.compare(&vy), Some(want), "{x} vs {y}");
            assert_eq!(vy.compare(&vx), Some(want.reverse()), "{y} vs {x}");
        }
        // Not PEP 440 even with large numbers: the legacy rule, before every PEP 440 version.
        let legacy = parse(Scheme::Pep440, "99999999999999999999999-foo").expect("legacy");
        let one = parse(Scheme::Pep440, "0.1").expect("parses");
        assert_eq!(legacy.compare(&one), Some(Less));
    }

    #[test]
    fn unorderable_text_is_not_evaluable_in_every_scheme() {
        let schemes = [
            Scheme::Pep440,
            Scheme::Semver,
            Scheme::Debian,
            Scheme::Rpm,
            Scheme::Generic,
        ];
        for scheme in schemes {
            for bad in ["", " ", "1.0 beta", "...", "1.0\u{0}", "\u{1}1", "1.0é"] {
                let err = parse(scheme, bad).expect_err(bad);
                assert_eq!(err.scheme, scheme);
                assert_eq!(err.text, bad);
                assert!(err.to_string().contains(scheme.name()), "{err}");
            }
        }
        assert_eq!(
            parse(Scheme::Semver, "1.x").expect_err("1.x").reason,
            "neither SemVer nor the lenient SemVer rule accepts it"
        );
        assert_eq!(
            parse(Scheme::Debian, "").expect_err("empty").reason,
            "it is empty"
        );
        assert!(compare(Scheme::Rpm, "1.0", "").is_err());
    }

    #[test]
    fn versions_of_different_schemes_do_not_compare() {
        let a = parse(Scheme::Pep440, "1.0").expect("parses");
        let b = parse(Scheme::Semver, "1.0.0").expect("parses");
        assert_eq!(a.compare(&b), None);
        assert_eq!(a.compare(&a), Some(Equal));
        assert_eq!(a.as_str(), "1.0");
        assert_eq!(b.scheme(), Scheme::Semver);
        assert!(!b.is_lenient());
    }

    #[test]
    fn debian_tilde_sorts_before_everything() {
        let cases = [
            ("1.0~rc1", "1.0", Less),
            ("1.0~~", "1.0~", Less),
            ("1.0~", "1.0", Less),
            ("1.0", "1.0+b1", Less),
            ("1:0.1", "2.0", Greater),
            ("1.0-1~bpo1", "1.0-1", Less),
        ];
        for (a, b, want) in cases {
            assert_eq!(compare(Scheme::Debian, a, b), Ok(want), "{a} vs {b}");
        }
    }
}
