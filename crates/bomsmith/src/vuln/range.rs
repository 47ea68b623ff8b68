//! Range evaluation as the OSV schema defines it (`IsVulnerable`): a version is affected when
//! the record lists it in `versions`, or when, within a range's limits, the last event at or
//! below it on the range's timeline (events sorted by the ecosystem's ordering) is an
//! `introduced`. GIT ranges are ordered by commit ancestry instead: see [`super::git`].

use crate::ident::version::{self, Scheme, Version};
use crate::model::vuln::{Affected, Event, Range, RangeKind};
use std::cmp::Ordering;

/// The outcome of evaluating a version against a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Affected, and by which rule.
    Affected(Rule),
    /// Evaluated: not affected.
    NotAffected,
    /// Could not be decided (an unparseable version, a GIT range without a clone): never a
    /// finding.
    NotEvaluable(String),
}

/// Why a version is affected: the range (or list) that says so and the ordering used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// The range as written (`ECOSYSTEM: introduced 0, fixed 2.1`) or `versions` list.
    pub range: String,
    /// How it was decided (`2.0.3 >= 0 and < 2.1 (PEP 440)`).
    pub reason: String,
}

/// A range as one line: `ECOSYSTEM: introduced 0, fixed 2.1`.
pub fn describe(range: &Range) -> String {
    let events: Vec<String> = range
        .events
        .iter()
        .map(|e| format!("{} {}", e.name(), e.value()))
        .collect();
    match &range.repo {
        Some(repo) => format!("{} {repo}: {}", range.kind.name(), events.join(", ")),
        None => format!("{}: {}", range.kind.name(), events.join(", ")),
    }
}

/// Evaluates `version` (already parsed in `scheme`, or not evaluable) against the `versions`
/// list and the ECOSYSTEM and SEMVER ranges of `affected`. GIT and unknown ranges are left to
/// the caller: they are returned in the second value.
pub fn evaluate<'a>(
    affected: &'a Affected,
    text: &str,
    scheme: Scheme,
) -> (Verdict, Vec<&'a Range>) {
    let parsed = version::parse(scheme, text);
    // SEMVER ranges are rare beside ECOSYSTEM ones: the version is read as SemVer only for one.
    let semver = std::cell::OnceCell::new();
    let mut undecided: Option<String> = None;
    let mut other = Vec::new();
    for range in &affected.ranges {
        let (own, v) = match range.kind {
            RangeKind::Ecosystem => (scheme, &parsed),
            RangeKind::Semver => (
                Scheme::Semver,
                semver.get_or_init(|| version::parse(Scheme::Semver, text)),
            ),
            RangeKind::Git | RangeKind::Other(_) => {
                other.push(range);
                continue;
            }
        };
        let v = match v {
            Ok(v) => v,
            Err(e) => {
                undecided.get_or_insert_with(|| e.to_string());
                continue;
            }
        };
        match in_range(range, v, own) {
            Ok(Some(reason)) => {
                return (
                    Verdict::Affected(Rule {
                        range: describe(range),
                        reason,
                    }),
                    other,
                );
            }
            Ok(None) => {}
            Err(why) => {
                undecided.get_or_insert(why);
            }
        }
    }
    // Listed versions: the same text, or equal under the ecosystem's ordering. Looked at after
    // the ranges (which decide most components and give the better explanation), the plain
    // text first so that a long list is parsed only when no entry is the very same string.
    let listed_hit = affected.versions.iter().any(|l| l == text)
        || parsed.as_ref().is_ok_and(|v| {
            affected.versions.iter().any(|listed| {
                version::parse(scheme, listed)
                    .ok()
                    .and_then(|l| v.compare(&l))
                    == Some(Ordering::Equal)
            })
        });
    if listed_hit {
        return (
            Verdict::Affected(Rule {
                range: "versions".into(),
                reason: format!("{text} is listed among the affected versions"),
            }),
            other,
        );
    }
    let verdict = match undecided {
        Some(why) => Verdict::NotEvaluable(why),
        None => Verdict::NotAffected,
    };
    (verdict, other)
}

/// An event's version parsed in `scheme`; `introduced: 0` sorts before everything.
enum Point {
    Zero,
    At(Version),
    Infinity,
}

impl Point {
    fn cmp_version(&self, v: &Version) -> Ordering {
        match self {
            Point::Zero => Ordering::Less,
            Point::Infinity => Ordering::Greater,
            Point::At(p) => p.compare(v).unwrap_or(Ordering::Equal),
        }
    }

    fn cmp_point(&self, other: &Point) -> Ordering {
        match (self, other) {
            (Point::Zero, Point::Zero) | (Point::Infinity, Point::Infinity) => Ordering::Equal,
            (Point::Zero, _) | (_, Point::Infinity) => Ordering::Less,
            (_, Point::Zero) | (Point::Infinity, _) => Ordering::Greater,
            (Point::At(a), Point::At(b)) => a.compare(b).unwrap_or(Ordering::Equal),
        }
    }
}

/// `Ok(Some(reason))` when `v` is in the range, `Ok(None)` when not, `Err` when an event's
/// version cannot be ordered, or only by convention against `v` (a PEP 440 legacy version
/// against a PEP 440 one).
fn in_range(range: &Range, v: &Version, scheme: Scheme) -> Result<Option<String>, String> {
    let mut points = Vec::with_capacity(range.events.len());
    for e in &range.events {
        let value = e.value();
        let point = match e {
            Event::Introduced(s) if s == "0" => Point::Zero,
            Event::Limit(s) if s.contains('*') => Point::Infinity,
            _ => match version::parse(scheme, value) {
                Ok(p) => Point::At(p),
                Err(err) => {
                    return Err(format!(
                        "the range's {} event {}",
                        e.name(),
                        err.to_string().trim_start_matches(|c| c != '`')
                    ));
                }
            },
        };
        if let Point::At(p) = &point
            && p.is_legacy() != v.is_legacy()
        {
            let (legacy, strict) = if p.is_legacy() {
                (
                    format!("the range's {} event `{value}`", e.name()),
                    format!("`{v}`"),
                )
            } else {
                (
                    format!("`{v}`"),
                    format!("the range's {} event `{value}`", e.name()),
                )
            };
            return Err(format!(
                "{legacy} is not a PEP 440 version and {strict} is: their order would be a \
                 convention (legacy versions first), not evidence"
            ));
        }
        points.push((e, point));
    }
    let limits: Vec<&(&Event, Point)> = points
        .iter()
        .filter(|(e, _)| matches!(e, Event::Limit(_)))
        .collect();
    if !limits.is_empty()
        && !limits
            .iter()
            .any(|(_, p)| p.cmp_version(v) == Ordering::Greater)
    {
        return Ok(None);
    }
    let mut timeline: Vec<&(&Event, Point)> = points
        .iter()
        .filter(|(e, _)| !matches!(e, Event::Limit(_)))
        .collect();
    timeline.sort_by(|a, b| a.1.cmp_point(&b.1));
    let mut cause: Option<&Event> = None;
    for (e, p) in timeline {
        let at_or_above = p.cmp_version(v) != Ordering::Greater;
        match e {
            Event::Introduced(_) if at_or_above => cause = Some(e),
            Event::Fixed(_) if at_or_above => cause = None,
            Event::LastAffected(_) if p.cmp_version(v) == Ordering::Less => cause = None,
            _ => {}
        }
    }
    Ok(cause.map(|introduced| {
        let upper: Vec<String> = range
            .events
            .iter()
            .filter(|e| matches!(e, Event::Fixed(_) | Event::LastAffected(_)))
            .filter_map(|e| {
                let p = version::parse(scheme, e.value()).ok()?;
                let above = p.compare(v) == Some(Ordering::Greater)
                    || (matches!(e, Event::LastAffected(_))
                        && p.compare(v) == Some(Ordering::Equal));
                above.then(|| match e {
                    Event::Fixed(f) => format!("< {f}"),
                    _ => format!("<= {}", e.value()),
                })
            })
            .take(1)
            .collect();
        let mut reason = format!("{} >= {}", v.as_str(), introduced.value());
        if let Some(u) = upper.first() {
            reason.push_str(&format!(" and {u}"));
        } else {
            reason.push_str(" with no fix after it");
        }
        format!("{reason} ({} ordering)", scheme.name())
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(kind: RangeKind, events: &[Event]) -> Affected {
        Affected {
            ranges: vec![Range {
                kind,
                repo: None,
                events: events.to_vec(),
            }],
            ..Affected::default()
        }
    }

    fn affected(a: &Affected, v: &str) -> bool {
        matches!(evaluate(a, v, Scheme::Semver).0, Verdict::Affected(_))
    }

    #[test]
    fn the_osv_schema_examples_evaluate_as_the_schema_says() {
        use Event::*;
        // Multiple range example: [1.0.0, 1.0.2) and [3.0.0, 3.2.5).
        let a = range(
            RangeKind::Semver,
            &[
                Introduced("1.0.0".into()),
                Fixed("1.0.2".into()),
                Introduced("3.0.0".into()),
                Fixed("3.2.5".into()),
            ],
        );
        let got: Vec<bool> = [
            "0.9.0", "1.0.0", "1.0.1", "1.0.2", "2.0.0", "3.0.0", "3.2.4", "3.2.5",
        ]
        .iter()
        .map(|v| affected(&a, v))
        .collect();
        assert_eq!(got, [false, true, true, false, false, true, true, false]);
        // Events out of order are sorted first.
        let b = range(
            RangeKind::Semver,
            &[Fixed("3.2.5".into()), Introduced("3.0.0".into())],
        );
        assert!(affected(&b, "3.1.0") && !affected(&b, "3.2.5") && !affected(&b, "2.9.9"));
        // last_affected is inclusive.
        let c = range(
            RangeKind::Semver,
            &[Introduced("0".into()), LastAffected("2.1.214".into())],
        );
        assert!(affected(&c, "2.1.214") && !affected(&c, "2.1.215") && affected(&c, "0.0.1"));
        // limit bounds the range from above; "*" is infinity.
        let d = range(
            RangeKind::Semver,
            &[Introduced("1.0.0".into()), Limit("2.0.0".into())],
        );
        assert!(affected(&d, "1.5.0") && !affected(&d, "2.0.0"));
        let e = range(
            RangeKind::Semver,
            &[Introduced("0".into()), Limit("*".into())],
        );
        assert!(affected(&e, "99.0.0"));
    }

    #[test]
    fn listed_versions_match_and_unorderable_ones_are_not_evaluable() {
        let a = Affected {
            versions: vec!["1.2.0".into()],
            ..Affected::default()
        };
        assert!(matches!(
            evaluate(&a, "1.2.0", Scheme::Generic).0,
            Verdict::Affected(_)
        ));
        assert_eq!(
            evaluate(&a, "1.3.0", Scheme::Generic).0,
            Verdict::NotAffected
        );
        let b = range(
            RangeKind::Semver,
            &[Event::Introduced("0".into()), Event::Fixed("1.0.0".into())],
        );
        assert!(matches!(
            evaluate(&b, "banana", Scheme::Semver).0,
            Verdict::NotEvaluable(_)
        ));
        let git = Affected {
            ranges: vec![Range {
                kind: RangeKind::Git,
                repo: Some("https://example.org/r".into()),
                events: vec![Event::Introduced("0".into())],
            }],
            ..Affected::default()
        };
        let (verdict, left) = evaluate(&git, "1.0.0", Scheme::Semver);
        assert_eq!(verdict, Verdict::NotAffected);
        assert_eq!(left.len(), 1);
    }

    #[test]
    fn legacy_and_pep440_versions_are_not_ordered_against_each_other_in_a_range() {
        use Event::*;
        // PYSEC-2021-371 (binderhub): fixed in `0.2.0-n653`, which PEP 440 rejects. By the
        // legacy convention it sorts before 0.1.0, which would make 0.1.0 silently "fixed".
        let a = range(
            RangeKind::Ecosystem,
            &[Introduced("0".into()), Fixed("0.2.0-n653".into())],
        );
        match evaluate(&a, "0.1.0", Scheme::Pep440).0 {
            Verdict::NotEvaluable(why) => {
                assert!(
                    why.contains("`0.2.0-n653` is not a PEP 440 version"),
                    "{why}"
                )
            }
            other => panic!("0.1.0: {other:?}"),
        }
        // A legacy component version against PEP 440 events: not evaluable either.
        let b = range(
            RangeKind::Ecosystem,
            &[Introduced("1.0".into()), Fixed("2.0".into())],
        );
        assert!(matches!(
            evaluate(&b, "2019-09-12", Scheme::Pep440).0,
            Verdict::NotEvaluable(_)
        ));
        // `introduced: 0` is below every version, legacy or not.
        let c = range(RangeKind::Ecosystem, &[Introduced("0".into())]);
        assert!(matches!(
            evaluate(&c, "2019-09-12", Scheme::Pep440).0,
            Verdict::Affected(_)
        ));
        // Legacy against legacy is ordered by the legacy rule, and listed versions still match.
        let d = range(
            RangeKind::Ecosystem,
            &[
                Introduced("0.1-bulbasaur".into()),
                Fixed("0.1-squirtle".into()),
            ],
        );
        assert!(matches!(
            evaluate(&d, "0.1-charmander", Scheme::Pep440).0,
            Verdict::Affected(_)
        ));
        assert!(matches!(
            evaluate(&d, "0.1-zubat", Scheme::Pep440).0,
            Verdict::NotAffected
        ));
        let listed = Affected {
            versions: vec!["0.2.0-n653".into()],
            ..a.clone()
        };
        assert!(matches!(
            evaluate(&listed, "0.2.0-n653", Scheme::Pep440).0,
            Verdict::Affected(_)
        ));
    }
}
