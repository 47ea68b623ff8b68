//! CPE 2.3 formatted strings.

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
}
