//! Python package identifiers: PEP 503 names, pinned requirements, wheel file names.

/// PEP 503 normalised project name: lower case, runs of `-`, `_`, `.` as one `-`.
pub fn pep503(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for c in name.chars() {
        if c == '-' || c == '_' || c == '.' {
            sep = true;
        } else {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Parses `name==version` (a pinned requirement without markers or extras).
pub fn parse_pin(line: &str) -> Option<(&str, &str)> {
    let (name, version) = line.split_once("==")?;
    pin_parts(name, version)
}

/// The trimmed name and version of a pin, if both are well-formed.
pub fn pin_parts<'a>(name: &'a str, version: &'a str) -> Option<(&'a str, &'a str)> {
    let (name, version) = (name.trim(), version.trim());
    let name_ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    let version_ok = !version.is_empty()
        && version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '!' | '-' | '_'));
    (name_ok && version_ok).then_some((name, version))
}

/// `(project, version)` of a wheel file name (`name-version(-build)?-py-abi-platform.whl`).
pub fn wheel_name(file_name: &str) -> Option<(&str, &str)> {
    let stem = file_name.strip_suffix(".whl")?;
    let parts: Vec<&str> = stem.split('-').collect();
    if !(5..=6).contains(&parts.len()) || parts[0].is_empty() || parts[1].is_empty() {
        return None;
    }
    Some((parts[0], parts[1]))
}

/// `(project, version)` of a `name==version` line, with comments, environment markers and
/// extras ignored.
pub fn pin(line: &str) -> Option<(&str, &str)> {
    let line = line.split('#').next()?.split(';').next()?.trim();
    let (project, version) = line.split_once("==")?;
    pin_parts(project.split('[').next()?, version)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ident::purl::pypi_purl;

    #[test]
    fn python_names() {
        assert_eq!(pep503("Typing_Extensions"), "typing-extensions");
        assert_eq!(pep503("zope.interface"), "zope-interface");
        assert_eq!(
            pypi_purl("tomli_w", "1.0+local"),
            "pkg:pypi/tomli-w@1.0%2Blocal"
        );
    }

    #[test]
    fn wheels_and_pins() {
        assert_eq!(
            wheel_name("pip-25.1.1-py3-none-any.whl"),
            Some(("pip", "25.1.1"))
        );
        assert_eq!(wheel_name("notawheel.whl"), None);
        assert_eq!(pin("Foo_Bar[x]==1.0  # c"), Some(("Foo_Bar", "1.0")));
        assert_eq!(pin("foo>=1"), None);
    }

    #[test]
    fn pins() {
        assert_eq!(
            parse_pin("CacheControl==0.14.2"),
            Some(("CacheControl", "0.14.2"))
        );
        assert_eq!(parse_pin("a == 1.0"), Some(("a", "1.0")));
        assert_eq!(parse_pin("a>=1.0"), None);
        assert_eq!(parse_pin("a==1.0; python_version<'3'"), None);
    }
}
