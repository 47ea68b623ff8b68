//! The generic fallback ordering, for ecosystems with no rule of their own, and the
//! arbitrary-size number every scheme here compares numerically.
//!
//! A version is cut into runs of ASCII digits and runs of ASCII letters; everything else
//! separates runs and is otherwise ignored. Runs are compared in order:
//! - number with number: by value (any length; leading zeros do not count);
//! - letters with letters: ASCII case-insensitively;
//! - number with letters: the number is greater (`1.0.1 > 1.0a`).
//!
//! When one version runs out, the missing runs count as the number 0 against a number
//! (`1.0 = 1.0.0`, `1.0 < 1.0.1`), and as greater than letters (`1.0rc1 < 1.0`,
//! `2.1-beta < 2.1`). A text with no letter or digit at all is not evaluable.

use std::cmp::Ordering;

/// A non-negative integer of any size: `u64` when it fits, else its decimal digits without
/// leading zeros. Compared by value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) enum Num {
    Small(u64),
    Big(Box<str>),
}

impl Num {
    /// `digits` is a non-empty run of ASCII digits.
    pub(super) fn from_digits(digits: &str) -> Num {
        let trimmed = digits.trim_start_matches('0');
        if trimmed.is_empty() {
            return Num::Small(0);
        }
        match trimmed.parse::<u64>() {
            Ok(n) => Num::Small(n),
            Err(_) => Num::Big(trimmed.into()),
        }
    }

    pub(super) fn is_zero(&self) -> bool {
        matches!(self, Num::Small(0))
    }
}

impl Ord for Num {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Num::Small(a), Num::Small(b)) => a.cmp(b),
            // A `Big` never fits in a u64, so it is the greater.
            (Num::Small(_), Num::Big(_)) => Ordering::Less,
            (Num::Big(_), Num::Small(_)) => Ordering::Greater,
            (Num::Big(a), Num::Big(b)) => a.len().cmp(&b.len()).then_with(|| a.cmp(b)),
        }
    }
}

impl PartialOrd for Num {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Run {
    Num(Num),
    /// Lower-cased letters.
    Alpha(Box<str>),
}

/// A version parsed by the generic rule.
#[derive(Clone, Debug)]
pub(super) struct Generic {
    runs: Box<[Run]>,
}

/// Splits `text` into digit and letter runs; `None` when there is none.
pub(super) fn parse(text: &str) -> Option<Generic> {
    let bytes = text.as_bytes();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        if bytes[i].is_ascii_digit() {
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            runs.push(Run::Num(Num::from_digits(&text[start..i])));
        } else if bytes[i].is_ascii_alphabetic() {
            while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                i += 1;
            }
            runs.push(Run::Alpha(text[start..i].to_ascii_lowercase().into()));
        } else {
            i += 1;
        }
    }
    if runs.is_empty() {
        None
    } else {
        Some(Generic { runs: runs.into() })
    }
}

impl Generic {
    pub(super) fn cmp(&self, other: &Generic) -> Ordering {
        let zero = Num::Small(0);
        let n = self.runs.len().max(other.runs.len());
        for i in 0..n {
            let ord = match (self.runs.get(i), other.runs.get(i)) {
                (Some(Run::Num(a)), Some(Run::Num(b))) => a.cmp(b),
                (Some(Run::Alpha(a)), Some(Run::Alpha(b))) => a.cmp(b),
                (Some(Run::Num(_)), Some(Run::Alpha(_))) => Ordering::Greater,
                (Some(Run::Alpha(_)), Some(Run::Num(_))) => Ordering::Less,
                (Some(Run::Num(a)), None) => a.cmp(&zero),
                (None, Some(Run::Num(b))) => zero.cmp(b),
                (Some(Run::Alpha(_)), None) => Ordering::Less,
                (None, Some(Run::Alpha(_))) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            };
            if ord != Ordering::Equal {
                return ord;
            }
        }
        Ordering::Equal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        let (Some(x), Some(y)) = (parse(a), parse(b)) else {
            panic!("{a} or {b} did not parse");
        };
        let ord = x.cmp(&y);
        assert_eq!(y.cmp(&x), ord.reverse(), "{a} vs {b} is not antisymmetric");
        ord
    }

    #[test]
    fn generic_orders_numbers_by_value_and_letters_before_numbers() {
        use Ordering::*;
        let cases = [
            ("1.0", "1.0.0", Equal),
            ("1.0", "1.0.1", Less),
            ("1.9", "1.10", Less),
            ("1.01", "1.1", Equal),
            ("1.0rc1", "1.0", Less),
            ("2.1-beta", "2.1", Less),
            ("1.0a", "1.0.1", Less),
            ("1.0alpha", "1.0beta", Less),
            ("1.0ALPHA", "1.0alpha", Equal),
            ("2024-01-05", "2024-01-10", Less),
            ("r100", "r99", Greater),
            ("1_2_3", "1.2.3", Equal),
            (
                "999999999999999999999999999991",
                "999999999999999999999999999999",
                Less,
            ),
            ("18446744073709551616", "18446744073709551615", Greater),
            ("0.0.0", "0", Equal),
        ];
        for (a, b, want) in cases {
            assert_eq!(cmp(a, b), want, "{a} vs {b}");
        }
    }

    #[test]
    fn generic_rejects_text_without_letters_or_digits() {
        for bad in ["", "...", "-", " ", "~^+"] {
            assert!(parse(bad).is_none(), "{bad:?} parsed");
        }
    }

    #[test]
    fn num_compares_by_value_beyond_u64() {
        assert_eq!(Num::from_digits("007"), Num::Small(7));
        assert_eq!(Num::from_digits("000"), Num::Small(0));
        assert!(
            Num::from_digits("18446744073709551615") < Num::from_digits("18446744073709551616")
        );
        assert!(
            Num::from_digits("99999999999999999999") < Num::from_digits("100000000000000000000")
        );
        assert_eq!(
            Num::from_digits("0100000000000000000000"),
            Num::from_digits("100000000000000000000")
        );
    }
}
