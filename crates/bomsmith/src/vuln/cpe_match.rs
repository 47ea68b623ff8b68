//! NVD configurations evaluated for one component: does a configuration hold, with the
//! component as one of its vulnerable CPE matches?
//!
//! A CPE match holds for a CPE name when its criteria name it (NISTIR 7696: superset or equal,
//! see [`crate::ident::cpe`]) and, when the match gives version bounds, the name's version lies
//! within them (generic ordering, `docs/vulns.md`). Nodes and configurations combine their
//! parts with AND or OR, negated where `negate` says, in three values: true, false, unknown.
//! A vulnerable match that does not name the component holds if it names another CPE of the
//! SBOM, else it is false; a platform match (`vulnerable: false`, what the software must run on)
//! holds if it names a CPE of the SBOM, else it is unknown: an SBOM that does not list a
//! platform is no evidence that the software does not run on it. A configuration makes a
//! finding only when it holds and one of its vulnerable matches names the component; one that
//! names the component but is unknown makes the record not evaluable, with why.

use super::range::Rule;
use crate::ident::cpe::{Attr, CpeName};
use crate::ident::version::{self, Scheme};
use crate::model::vuln::{CpeConfig, CpeMatch, Operator};
use std::cmp::Ordering;

/// The result for one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CpeVerdict {
    /// A configuration holds with the component vulnerable in it: which match, and why.
    Affected(Rule),
    /// No configuration names the component, or none that does holds.
    NotAffected,
    /// A configuration names the component but cannot be decided.
    NotEvaluable(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Truth {
    True,
    False,
    Unknown(String),
}

impl Truth {
    fn negate(self, negate: bool) -> Truth {
        match (self, negate) {
            (Truth::True, true) => Truth::False,
            (Truth::False, true) => Truth::True,
            (t, _) => t,
        }
    }
}

fn combine(op: Operator, parts: Vec<Truth>) -> Truth {
    let unknown = parts.iter().find_map(|t| match t {
        Truth::Unknown(why) => Some(why.clone()),
        _ => None,
    });
    match op {
        Operator::Or if parts.contains(&Truth::True) => Truth::True,
        Operator::And if parts.contains(&Truth::False) => Truth::False,
        _ => match unknown {
            Some(why) => Truth::Unknown(why),
            None if op == Operator::And => Truth::True,
            None => Truth::False,
        },
    }
}

/// A match's version bounds as one line (`versionEndExcluding 2.7.2`), empty when none.
fn bounds(m: &CpeMatch) -> String {
    [
        ("versionStartIncluding", &m.start_including),
        ("versionStartExcluding", &m.start_excluding),
        ("versionEndIncluding", &m.end_including),
        ("versionEndExcluding", &m.end_excluding),
    ]
    .iter()
    .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k} {v}")))
    .collect::<Vec<_>>()
    .join(", ")
}

/// One version bound of a match: its value, its operator as shown, and the orders it admits.
type Bound<'a> = (&'a Option<String>, &'static str, fn(Ordering) -> bool);

/// Whether match `m` holds for `target` (a name with a plain version): `Ok(Some(reason))`,
/// `Ok(None)` when it does not, `Err` when it cannot be told.
fn match_holds(m: &CpeMatch, target: &CpeName) -> Result<Option<String>, String> {
    let criteria = CpeName::parse(&m.criteria)
        .map_err(|e| format!("the record's CPE `{}` is unreadable: {e}", m.criteria))?;
    let has_bounds = m.start_including.is_some()
        || m.start_excluding.is_some()
        || m.end_including.is_some()
        || m.end_excluding.is_some();
    // With bounds, the criteria's version is ANY and the bounds decide it.
    let (criteria, target_cmp) = if has_bounds {
        (
            criteria.with_version(Attr::Any),
            target.with_version(Attr::Any),
        )
    } else {
        (criteria, target.clone())
    };
    match criteria.compare(&target_cmp) {
        crate::ident::cpe::Relation::Superset | crate::ident::cpe::Relation::Equal => {}
        crate::ident::cpe::Relation::Undefined => {
            return Err(format!(
                "the component's CPE has wildcards; `{}` cannot be decided against it",
                m.criteria
            ));
        }
        _ => return Ok(None),
    }
    if !has_bounds {
        return Ok(Some(format!("{} names it", m.criteria)));
    }
    let Some(v) = target.version().literal() else {
        return Err("the component's CPE states no plain version".into());
    };
    let scheme = Scheme::Generic;
    let parsed = version::parse(scheme, v).map_err(|e| e.to_string())?;
    let mut why = Vec::new();
    let checks: [Bound<'_>; 4] = [
        (&m.start_including, ">=", |o| o != Ordering::Less),
        (&m.start_excluding, ">", |o| o == Ordering::Greater),
        (&m.end_including, "<=", |o| o != Ordering::Greater),
        (&m.end_excluding, "<", |o| o == Ordering::Less),
    ];
    for (bound, op, ok) in checks {
        let Some(b) = bound else { continue };
        let bv = version::parse(scheme, b).map_err(|e| format!("the record's bound: {e}"))?;
        let o = parsed.compare(&bv).unwrap_or(Ordering::Equal);
        if !ok(o) {
            return Ok(None);
        }
        why.push(format!("{op} {b}"));
    }
    Ok(Some(format!(
        "{v} {} ({} ordering)",
        why.join(" and "),
        scheme.name()
    )))
}

/// Evaluates `configs` for the component named `target` (its version plain), with the other
/// CPEs of the SBOM in `others` (for platforms and further vulnerable parts).
pub fn evaluate(configs: &[CpeConfig], target: &CpeName, others: &[CpeName]) -> CpeVerdict {
    let mut undecided: Option<String> = None;
    for config in configs {
        // The first vulnerable match that names the component, with its rule.
        let mut hit: Option<Rule> = None;
        let mut nodes = Vec::with_capacity(config.nodes.len());
        for node in &config.nodes {
            let mut parts = Vec::with_capacity(node.matches.len());
            for m in &node.matches {
                let on_target = match match_holds(m, target) {
                    Ok(Some(reason)) => {
                        if m.vulnerable && hit.is_none() {
                            let b = bounds(m);
                            hit = Some(Rule {
                                range: if b.is_empty() {
                                    m.criteria.clone()
                                } else {
                                    format!("{} {b}", m.criteria)
                                },
                                reason,
                            });
                        }
                        Truth::True
                    }
                    Ok(None) => Truth::False,
                    Err(why) => Truth::Unknown(why),
                };
                let t = match on_target {
                    Truth::True => Truth::True,
                    other_truth => {
                        if others
                            .iter()
                            .any(|o| matches!(match_holds(m, o), Ok(Some(_))))
                        {
                            Truth::True
                        } else if m.vulnerable {
                            other_truth
                        } else {
                            Truth::Unknown(format!(
                                "the record's configuration needs the platform {}, which the SBOM does not list",
                                m.criteria
                            ))
                        }
                    }
                };
                parts.push(t);
            }
            nodes.push(combine(node.operator, parts).negate(node.negate));
        }
        let holds = combine(config.operator, nodes).negate(config.negate);
        match (holds, hit) {
            (Truth::True, Some(rule)) => return CpeVerdict::Affected(rule),
            (Truth::Unknown(why), Some(_)) => {
                undecided.get_or_insert(why);
            }
            _ => {}
        }
    }
    match undecided {
        Some(why) => CpeVerdict::NotEvaluable(why),
        None => CpeVerdict::NotAffected,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::vuln::CpeNode;

    fn name(s: &str) -> CpeName {
        CpeName::parse(s).expect("a CPE")
    }

    fn m(vulnerable: bool, criteria: &str, bounds: [Option<&str>; 4]) -> CpeMatch {
        let own = |b: Option<&str>| b.map(str::to_owned);
        CpeMatch {
            vulnerable,
            criteria: criteria.into(),
            start_including: own(bounds[0]),
            start_excluding: own(bounds[1]),
            end_including: own(bounds[2]),
            end_excluding: own(bounds[3]),
        }
    }

    fn config(op: Operator, nodes: Vec<(Operator, bool, Vec<CpeMatch>)>) -> CpeConfig {
        CpeConfig {
            operator: op,
            negate: false,
            nodes: nodes
                .into_iter()
                .map(|(operator, negate, matches)| CpeNode {
                    operator,
                    negate,
                    matches,
                })
                .collect(),
        }
    }

    const EXPAT: &str = "cpe:2.3:a:libexpat_project:libexpat:*:*:*:*:*:*:*:*";

    fn expat(v: &str) -> CpeName {
        name(&format!(
            "cpe:2.3:a:libexpat_project:libexpat:{v}:*:*:*:*:*:*:*"
        ))
    }

    fn affected(c: &[CpeConfig], t: &CpeName, others: &[CpeName]) -> bool {
        matches!(evaluate(c, t, others), CpeVerdict::Affected(_))
    }

    /// Every shape of cpeMatch, one row each: (bounds, version, affected).
    #[test]
    fn version_bounds_are_inclusive_or_exclusive_as_named() {
        use Operator::Or;
        let rows: &[([Option<&str>; 4], &str, bool)] = &[
            ([None, None, None, Some("2.7.2")], "2.6.3", true),
            ([None, None, None, Some("2.7.2")], "2.7.2", false),
            ([None, None, Some("2.5.0"), None], "2.5.0", true),
            ([None, None, Some("2.5.0"), None], "2.6.3", false),
            ([Some("2.0.0"), None, None, Some("2.6.2")], "2.0.0", true),
            ([Some("2.0.0"), None, None, Some("2.6.2")], "1.95.8", false),
            ([None, Some("2.0.0"), None, Some("2.6.2")], "2.0.0", false),
            ([None, Some("2.0.0"), None, Some("2.6.2")], "2.0.1", true),
            ([None, Some("2.0.0"), Some("2.6.2"), None], "2.6.2", true),
        ];
        for (b, v, want) in rows {
            let c = [config(Or, vec![(Or, false, vec![m(true, EXPAT, *b)])])];
            assert_eq!(affected(&c, &expat(v), &[]), *want, "{b:?} {v}");
        }
        // A plain CPE with a version: that version only; the update field counts.
        let c = [config(
            Or,
            vec![(
                Or,
                false,
                vec![m(
                    true,
                    "cpe:2.3:a:python:python:3.13.0:rc1:*:*:*:*:*:*",
                    [None; 4],
                )],
            )],
        )];
        assert!(!affected(
            &c,
            &name("cpe:2.3:a:python:python:3.13.0:*:*:*:*:*:*:*"),
            &[]
        ));
        assert!(affected(
            &c,
            &name("cpe:2.3:a:python:python:3.13.0:rc1:*:*:*:*:*:*"),
            &[]
        ));
        // Another product is never named.
        let c = [config(
            Or,
            vec![(
                Or,
                false,
                vec![m(true, EXPAT, [None, None, None, Some("9")])],
            )],
        )];
        assert!(!affected(
            &c,
            &name("cpe:2.3:a:zlib:zlib:1.3:*:*:*:*:*:*:*"),
            &[]
        ));
    }

    #[test]
    fn platforms_and_negation() {
        use Operator::{And, Or};
        let platform = "cpe:2.3:h:netapp:h300s:-:*:*:*:*:*:*:*";
        // libexpat AND running on a NetApp box: only when the SBOM lists the box.
        let c = [config(
            And,
            vec![
                (
                    Or,
                    false,
                    vec![m(true, EXPAT, [None, None, None, Some("2.6.2")])],
                ),
                (Or, false, vec![m(false, platform, [None; 4])]),
            ],
        )];
        match evaluate(&c, &expat("2.6.0"), &[]) {
            CpeVerdict::NotEvaluable(why) => assert!(why.contains("h300s"), "{why}"),
            other => panic!("{other:?}"),
        }
        assert!(affected(&c, &expat("2.6.0"), &[name(platform)]));
        // Not vulnerable by version: not affected, whatever the platform.
        assert_eq!(evaluate(&c, &expat("2.6.2"), &[]), CpeVerdict::NotAffected);
        // A negated node: not affected when the SBOM lists the excluded platform.
        let c = [config(
            And,
            vec![
                (
                    Or,
                    false,
                    vec![m(true, EXPAT, [None, None, None, Some("2.6.2")])],
                ),
                (Or, true, vec![m(false, platform, [None; 4])]),
            ],
        )];
        // (Unlisted, the platform is unknown, and so is its negation.)
        assert!(matches!(
            evaluate(&c, &expat("2.6.0"), &[]),
            CpeVerdict::NotEvaluable(_)
        ));
        assert_eq!(
            evaluate(&c, &expat("2.6.0"), &[name(platform)]),
            CpeVerdict::NotAffected
        );
        // The component only as a platform of another product's configuration: no finding.
        let c = [config(
            And,
            vec![
                (
                    Or,
                    false,
                    vec![m(true, "cpe:2.3:a:zlib:zlib:*:*:*:*:*:*:*:*", [None; 4])],
                ),
                (Or, false, vec![m(false, EXPAT, [None; 4])]),
            ],
        )];
        assert_eq!(
            evaluate(
                &c,
                &expat("2.6.0"),
                &[name("cpe:2.3:a:zlib:zlib:1.3:*:*:*:*:*:*:*")]
            ),
            CpeVerdict::NotAffected
        );
    }
}
