//! CPE 2.3 formatted strings, and CPE name matching.
//!
//! [`parse_cpe23`] checks the formatted-string binding (NISTIR 7695 §6.2): 13 colon-separated
//! components, `\` escapes. [`CpeName`] unbinds the eleven attributes to their well-formed-name
//! meaning (ANY, NA, or a value whose quoted characters are literal and whose unquoted `*` and `?`
//! at either end are wildcards), and [`CpeName::compare`] is NISTIR 7696's attribute comparison
//! (Table 6-2) and name comparison. The `cpe` crate was considered: it reads the WFN and URI
//! bindings but not the formatted string NVD and SBOMs use, prints to standard error while
//! parsing, and slices input without bounds checks, so this small layer is bomsmith's own.

/// A CPE 2.3 formatted string, split into its 13 colon-separated components (escapes kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cpe23 {
    /// `cpe`, `2.3`, part, vendor, product, version, update, edition, language, sw_edition,
    /// target_sw, target_hw, other.
    pub fields: Vec<String>,
}

impl Cpe23 {
    /// The version component (`*` for any, `-` for not applicable).
    pub fn version(&self) -> &str {
        &self.fields[5]
    }
}

/// Parses a CPE 2.3 formatted string (`cpe:2.3:part:vendor:product:version:...`, 13
/// components, `\` escapes).
pub fn parse_cpe23(s: &str) -> std::result::Result<Cpe23, String> {
    let mut fields = Vec::with_capacity(13);
    let mut cur = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(n) if n.is_ascii_graphic() => {
                    cur.push('\\');
                    cur.push(n);
                }
                _ => return Err("a `\\` must escape a printable character".into()),
            },
            ':' => fields.push(std::mem::take(&mut cur)),
            c if c.is_ascii_graphic() => cur.push(c),
            c => return Err(format!("character {c:?} is not allowed in a CPE")),
        }
    }
    fields.push(cur);
    if fields.len() != 13 {
        return Err(format!(
            "a CPE 2.3 string has 13 colon-separated components, this one has {}",
            fields.len()
        ));
    }
    if fields[0] != "cpe" || fields[1] != "2.3" {
        return Err("a CPE 2.3 string starts with `cpe:2.3:`".into());
    }
    if !["a", "o", "h", "*", "-"].contains(&fields[2].as_str()) {
        return Err(format!(
            "part `{}` is not one of a, o, h, * or -",
            fields[2]
        ));
    }
    if let Some(i) = fields.iter().position(String::is_empty) {
        return Err(format!("component {} is empty (use `*` for any)", i + 1));
    }
    Ok(Cpe23 { fields })
}

/// `cpe` with its version component set to `version`, as CPython's externals tooling edits
/// it (the fifth field after `cpe`); `None` when the string has too few fields.
pub fn cpe_with_version(cpe: &str, version: &str) -> Option<String> {
    let mut parts: Vec<&str> = cpe.splitn(7, ':').collect();
    if parts.len() < 7 || parts[0] != "cpe" || parts[1..6].iter().any(|p| p.is_empty()) {
        return None;
    }
    parts[5] = version;
    Some(parts.join(":"))
}

/// A wildcard at one end of an attribute value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Wild {
    /// None.
    None,
    /// An unquoted `*`: any number of characters.
    Star,
    /// A run of `n` unquoted `?`: up to `n` characters (NISTIR 7696's matching algorithm lets
    /// each match one character or none).
    Ones(usize),
}

/// One attribute of a CPE name, as its well-formed name means it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Attr {
    /// ANY (`*`).
    Any,
    /// NA, not applicable (`-`).
    Na,
    /// A value: literal text (escapes removed, ASCII lower-cased, since matching ignores case),
    /// with the wildcards at its ends.
    Value {
        /// The leading wildcard.
        lead: Wild,
        /// The literal characters.
        text: String,
        /// The trailing wildcard.
        trail: Wild,
    },
}

impl Attr {
    /// A value without wildcards, or ANY/NA.
    pub fn is_literal(&self) -> bool {
        !matches!(self, Attr::Value { lead, trail, .. } if *lead != Wild::None || *trail != Wild::None)
    }

    /// The literal value, when it is one (no wildcards).
    pub fn literal(&self) -> Option<&str> {
        match self {
            Attr::Value {
                lead: Wild::None,
                text,
                trail: Wild::None,
            } => Some(text),
            _ => None,
        }
    }
}

/// How a source attribute (or name) relates to a target one (NISTIR 7696 §6.1, Table 6-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Relation {
    /// The source names everything the target does and more.
    Superset,
    /// The source names part of what the target does.
    Subset,
    /// The same.
    Equal,
    /// Nothing in common.
    Disjoint,
    /// Not decidable (the target has wildcards).
    Undefined,
}

/// The attribute names, in formatted-string order.
pub const ATTRIBUTES: [&str; 11] = [
    "part",
    "vendor",
    "product",
    "version",
    "update",
    "edition",
    "language",
    "sw_edition",
    "target_sw",
    "target_hw",
    "other",
];

/// A CPE 2.3 name unbound from its formatted string.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CpeName {
    attrs: Vec<Attr>,
}

impl CpeName {
    /// Parses and unbinds a formatted string (`cpe:2.3:a:libexpat_project:libexpat:2.6.3:*:...`).
    pub fn parse(s: &str) -> std::result::Result<CpeName, String> {
        let cpe = parse_cpe23(s)?;
        let attrs = cpe.fields[2..]
            .iter()
            .zip(ATTRIBUTES)
            .map(|(f, name)| unbind(f).map_err(|e| format!("{name} `{f}`: {e}")))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(CpeName { attrs })
    }

    /// The attribute at `index` of [`ATTRIBUTES`].
    pub fn attr(&self, index: usize) -> &Attr {
        &self.attrs[index]
    }

    /// The vendor attribute.
    pub fn vendor(&self) -> &Attr {
        &self.attrs[1]
    }

    /// The product attribute.
    pub fn product(&self) -> &Attr {
        &self.attrs[2]
    }

    /// The version attribute.
    pub fn version(&self) -> &Attr {
        &self.attrs[3]
    }

    /// The same name with its version attribute replaced.
    pub fn with_version(&self, version: Attr) -> CpeName {
        let mut attrs = self.attrs.clone();
        attrs[3] = version;
        CpeName { attrs }
    }

    /// A plain version value (no wildcards), lower-cased as names hold values.
    pub fn literal_version(version: &str) -> Attr {
        Attr::Value {
            lead: Wild::None,
            text: version.to_ascii_lowercase(),
            trail: Wild::None,
        }
    }

    /// Each attribute of `self` (the source) compared with `target`'s (NISTIR 7696 Table 6-2).
    pub fn compare_attrs(&self, target: &CpeName) -> Vec<Relation> {
        self.attrs
            .iter()
            .zip(&target.attrs)
            .map(|(s, t)| compare_attr(s, t))
            .collect()
    }

    /// The name comparison (NISTIR 7696 §6.2): EQUAL when every attribute is; SUPERSET when
    /// each is SUPERSET or EQUAL; SUBSET likewise; DISJOINT when any is; otherwise UNDEFINED
    /// (some attribute is undefined, or they mix superset and subset).
    pub fn compare(&self, target: &CpeName) -> Relation {
        let rel = self.compare_attrs(target);
        if rel.contains(&Relation::Disjoint) {
            Relation::Disjoint
        } else if rel.iter().all(|r| *r == Relation::Equal) {
            Relation::Equal
        } else if rel
            .iter()
            .all(|r| matches!(r, Relation::Superset | Relation::Equal))
        {
            Relation::Superset
        } else if rel
            .iter()
            .all(|r| matches!(r, Relation::Subset | Relation::Equal))
        {
            Relation::Subset
        } else {
            Relation::Undefined
        }
    }

    /// Whether `self` (a record's CPE, the source) names `target` (a component's CPE): the
    /// source is a superset of the target or equal to it. A target whose update is ANY is not
    /// named by a source with a specific update (`3.13.0:rc1` does not name `3.13.0:*`).
    pub fn names(&self, target: &CpeName) -> bool {
        matches!(self.compare(target), Relation::Superset | Relation::Equal)
    }
}

/// One formatted-string component as its WFN attribute.
fn unbind(field: &str) -> std::result::Result<Attr, String> {
    match field {
        "*" => return Ok(Attr::Any),
        "-" => return Ok(Attr::Na),
        _ => {}
    }
    // Characters with whether they were quoted.
    let mut chars: Vec<(char, bool)> = Vec::with_capacity(field.len());
    let mut it = field.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some(n) => chars.push((n, true)),
                None => return Err("it ends in a lone `\\`".into()),
            }
        } else {
            chars.push((c, false));
        }
    }
    let mut start = 0;
    let mut end = chars.len();
    let lead = match chars.first() {
        Some(('*', false)) => {
            start = 1;
            Wild::Star
        }
        _ => {
            while start < end && chars[start] == ('?', false) {
                start += 1;
            }
            if start > 0 {
                Wild::Ones(start)
            } else {
                Wild::None
            }
        }
    };
    let trail = if end > start && chars[end - 1] == ('*', false) {
        end -= 1;
        Wild::Star
    } else {
        let before = end;
        while end > start && chars[end - 1] == ('?', false) {
            end -= 1;
        }
        if end < before {
            Wild::Ones(before - end)
        } else {
            Wild::None
        }
    };
    let mut text = String::with_capacity(end - start);
    for &(c, quoted) in &chars[start..end] {
        if !quoted && (c == '*' || c == '?') {
            return Err(format!(
                "an unquoted `{c}` may only stand at the start or the end of a value"
            ));
        }
        text.push(c.to_ascii_lowercase());
    }
    Ok(Attr::Value { lead, text, trail })
}

/// Whether the pattern `lead text trail` matches the literal `target` (NISTIR 7696's
/// algorithm: the text found in the target with no more characters before and after it than
/// the wildcards allow).
fn pattern_matches(lead: Wild, text: &str, trail: Wild, target: &str) -> bool {
    let allowed = |w: Wild, n: usize| match w {
        Wild::None => n == 0,
        Wild::Star => true,
        Wild::Ones(k) => n <= k,
    };
    if target.len() < text.len() {
        return false;
    }
    (0..=target.len() - text.len()).any(|at| {
        target.is_char_boundary(at)
            && target[at..].starts_with(text)
            && allowed(lead, target[..at].chars().count())
            && allowed(trail, target[at + text.len()..].chars().count())
    })
}

/// NISTIR 7696 Table 6-2: source attribute against target attribute.
fn compare_attr(source: &Attr, target: &Attr) -> Relation {
    use Relation::*;
    if !target.is_literal() {
        // The target has wildcards (rows 4, 8, 12, 16).
        return Undefined;
    }
    match (source, target) {
        (Attr::Any, Attr::Any) | (Attr::Na, Attr::Na) => Equal,
        (Attr::Any, _) => Superset,
        (Attr::Na, Attr::Any) => Subset,
        (Attr::Na, _) | (Attr::Value { .. }, Attr::Na) => Disjoint,
        (Attr::Value { .. }, Attr::Any) => Subset,
        (Attr::Value { lead, text, trail }, Attr::Value { text: t, .. }) => {
            if *lead == Wild::None && *trail == Wild::None {
                if text == t { Equal } else { Disjoint }
            } else if pattern_matches(*lead, text, *trail, t) {
                Superset
            } else {
                Disjoint
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpes() {
        let c =
            parse_cpe23("cpe:2.3:a:libexpat_project:libexpat:2.6.3:*:*:*:*:*:*:*").expect("valid");
        assert_eq!(c.version(), "2.6.3");
        assert!(parse_cpe23("cpe:2.3:a:x:y:1").is_err());
        assert!(parse_cpe23("cpe:/a:x:y:1").is_err());
        assert!(parse_cpe23("cpe:2.3:q:x:y:1:*:*:*:*:*:*:*").is_err());
        assert!(parse_cpe23("cpe:2.3:a:x::1:*:*:*:*:*:*:*").is_err());
        assert!(parse_cpe23(r"cpe:2.3:a:x:y\:z:1:*:*:*:*:*:*:*").is_ok());
        assert_eq!(
            cpe_with_version("cpe:2.3:a:bzip:bzip2:1.0.6:*:*:*:*:*:*:*", "1.0.8").as_deref(),
            Some("cpe:2.3:a:bzip:bzip2:1.0.8:*:*:*:*:*:*:*")
        );
        assert_eq!(cpe_with_version("cpe:2.3:a", "1"), None);
    }

    fn name(s: &str) -> CpeName {
        CpeName::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn attr(s: &str) -> Attr {
        unbind(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    /// NISTIR 7696 Table 6-2, row by row (source, target, relation). `i` is a literal value,
    /// `m + wild cards` a value with wildcards.
    #[test]
    fn attribute_comparison_is_table_6_2() {
        use Relation::*;
        let rows: [(&str, &str, Relation); 16] = [
            ("*", "*", Equal),       // 1 ANY, ANY
            ("*", "-", Superset),    // 2 ANY, NA
            ("*", "xp", Superset),   // 3 ANY, i
            ("*", "x*", Undefined),  // 4 ANY, m + wild cards
            ("-", "*", Subset),      // 5 NA, ANY
            ("-", "-", Equal),       // 6 NA, NA
            ("-", "xp", Disjoint),   // 7 NA, i
            ("-", "x*", Undefined),  // 8 NA, m + wild cards
            ("xp", "*", Subset),     // 9 i, ANY
            ("xp", "-", Disjoint),   // 10 i, NA
            ("xp", "XP", Equal),     // 11 i, i (case ignored)
            ("xp", "x*", Undefined), // 12 i, m + wild cards
            ("x*", "*", Subset),     // 13 m + wild cards, ANY
            ("x*", "-", Disjoint),   // 14 m + wild cards, NA
            ("x*", "xp", Superset),  // 15 m + wild cards, i
            ("x*", "x?", Undefined), // 16 m1 + wild cards, m2 + wild cards
        ];
        for (i, (s, t, want)) in rows.iter().enumerate() {
            assert_eq!(
                compare_attr(&attr(s), &attr(t)),
                *want,
                "row {}: {s} {t}",
                i + 1
            );
        }
        assert_eq!(compare_attr(&attr("xp"), &attr("vista")), Disjoint);
        assert_eq!(compare_attr(&attr("y*"), &attr("xp")), Disjoint);
    }

    #[test]
    fn wildcards_quoting_and_escapes() {
        // `?` matches one character or none at its end; `*` any number.
        let m = |s: &str, t: &str| compare_attr(&attr(s), &attr(t)) == Relation::Superset;
        assert!(m("2.6.?", "2.6.3"));
        assert!(m("2.6.?", "2.6."));
        assert!(!m("2.6.?", "2.6.33"));
        assert!(m("2.6.??", "2.6.33"));
        assert!(m("?.6.3", "2.6.3"));
        assert!(m("*6.3", "2.6.3"));
        assert!(m("*.6.*", "2.6.3"));
        assert!(!m("*.7.*", "2.6.3"));
        // A quoted wildcard is a literal character; it matches only itself.
        assert_eq!(
            attr(r"1\*"),
            Attr::Value {
                lead: Wild::None,
                text: "1*".into(),
                trail: Wild::None
            }
        );
        assert!(!m(r"1\*", "12"));
        assert_eq!(compare_attr(&attr(r"1\*"), &attr(r"1\*")), Relation::Equal);
        // Escaped punctuation is the character itself: `big\$money` is the value `big$money`.
        assert_eq!(attr(r"big\$money").literal(), Some("big$money"));
        assert_eq!(
            name(r"cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:-:*:*:online:win2003:x64:*").attr(4),
            &Attr::Na
        );
        // An unquoted wildcard inside a value is no CPE.
        assert!(unbind("1*2").is_err());
        assert!(unbind("1?2").is_err());
        assert!(CpeName::parse("cpe:2.3:a:x:y:1*2:*:*:*:*:*:*:*").is_err());
    }

    #[test]
    fn names_compare_attribute_by_attribute() {
        let cpython = name("cpe:2.3:a:python:python:3.13.0:*:*:*:*:*:*:*");
        // A record's CPE for a release candidate does not name the final release.
        let rc = name("cpe:2.3:a:python:python:3.13.0:rc1:*:*:*:*:*:*");
        assert_eq!(rc.compare(&cpython), Relation::Subset);
        assert!(!rc.names(&cpython));
        // A version-less record CPE names every version; the same CPE is equal.
        let any = name("cpe:2.3:a:python:python:*:*:*:*:*:*:*:*");
        assert!(any.names(&cpython));
        assert_eq!(cpython.compare(&cpython), Relation::Equal);
        // Another product is disjoint.
        let expat = name("cpe:2.3:a:libexpat_project:libexpat:*:*:*:*:*:*:*:*");
        assert_eq!(expat.compare(&cpython), Relation::Disjoint);
        // A target_sw the component does not state: the record names less than the component.
        let node = name("cpe:2.3:a:python:python:*:*:*:*:*:node.js:*:*");
        assert!(!node.names(&cpython));
        // A component CPE with wildcards is undefined against a specific record CPE.
        let vague = name("cpe:2.3:a:python:python:3.13.*:*:*:*:*:*:*:*");
        assert_eq!(rc.compare(&vague), Relation::Undefined);
    }
}
