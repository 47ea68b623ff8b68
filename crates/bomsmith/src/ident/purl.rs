//! Package URLs (purl-spec).

use super::python::pep503;

/// Percent-encodes a PURL component (everything but unreserved characters).
pub fn purl_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The canonical PURL of a PyPI project release.
pub fn pypi_purl(name: &str, version: &str) -> String {
    format!(
        "pkg:pypi/{}@{}",
        purl_encode(&pep503(name)),
        purl_encode(version)
    )
}

/// The PURL of an npm package release: a scope (`@scope/name`) is the namespace, its `@`
/// percent-encoded (`pkg:npm/%40scope/name@1.0`).
pub fn npm_purl(name: &str, version: &str) -> String {
    let path = match name.split_once('/') {
        Some((scope, rest)) if scope.starts_with('@') => {
            format!("{}/{}", purl_encode(scope), purl_encode(rest))
        }
        _ => purl_encode(name),
    };
    format!("pkg:npm/{path}@{}", purl_encode(version))
}

/// A parsed package URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purl {
    /// Type, lower-cased (`pypi`, `npm`, `generic`, ...).
    pub ty: String,
    /// Namespace segments, decoded, joined with `/`.
    pub namespace: Option<String>,
    /// Name, decoded.
    pub name: String,
    /// Version, decoded.
    pub version: Option<String>,
}

/// Types whose names (and namespaces) the purl-spec declares case-insensitive, to be lowercased.
const CASE_INSENSITIVE_TYPES: &[&str] = &["bitbucket", "composer", "github", "hex"];

impl Purl {
    /// The package this PURL names, without version, qualifiers or subpath, in canonical form:
    /// `pkg:type/namespace/name`, the type lowercased, PyPI names PEP 503-normalised, the names
    /// of types the purl-spec calls case-insensitive lowercased (`deb` and `apk` names too), and
    /// each segment percent-encoded once. Two PURLs of one package, whatever their version or
    /// spelling, have the same key.
    pub fn package_key(&self) -> String {
        let lower_ns = CASE_INSENSITIVE_TYPES.contains(&self.ty.as_str());
        let name = match self.ty.as_str() {
            "pypi" => pep503(&self.name),
            "deb" | "apk" => self.name.to_lowercase(),
            _ if lower_ns => self.name.to_lowercase(),
            _ => self.name.clone(),
        };
        let mut key = format!("pkg:{}/", self.ty);
        if let Some(ns) = &self.namespace {
            for seg in ns.split('/') {
                let seg = if lower_ns {
                    seg.to_lowercase()
                } else {
                    seg.to_owned()
                };
                key.push_str(&purl_encode(&seg));
                key.push('/');
            }
        }
        key.push_str(&purl_encode(&name));
        key
    }
}

fn percent_decode(s: &str) -> std::result::Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| format!("bad percent-encoding in `{s}`"))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| format!("`{s}` does not decode to UTF-8"))
}

/// Parses a package URL (`pkg:type/namespace/name@version?qualifiers#subpath`).
pub fn parse_purl(s: &str) -> std::result::Result<Purl, String> {
    let Some((scheme, rest)) = s.split_once(':') else {
        return Err("a package URL starts with `pkg:`".into());
    };
    if !scheme.eq_ignore_ascii_case("pkg") {
        return Err("a package URL starts with `pkg:`".into());
    }
    let rest = rest.split('#').next().unwrap_or("");
    let (rest, qualifiers) = match rest.split_once('?') {
        Some((r, q)) => (r, Some(q)),
        None => (rest, None),
    };
    if let Some(q) = qualifiers {
        for pair in q.split('&').filter(|p| !p.is_empty()) {
            let Some((k, _)) = pair.split_once('=') else {
                return Err(format!("qualifier `{pair}` has no `=`"));
            };
            if k.is_empty()
                || !k
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
            {
                return Err(format!("qualifier key `{k}` is not valid"));
            }
        }
    }
    let rest = rest.trim_start_matches('/');
    let (rest, version) = match rest.rsplit_once('@') {
        Some((r, v)) if !r.contains('@') || !v.contains('/') => (r, Some(percent_decode(v)?)),
        _ => (rest, None),
    };
    let Some((ty, path)) = rest.split_once('/') else {
        return Err("a package URL needs a type and a name (`pkg:type/name`)".into());
    };
    let valid_type = ty
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '.' || c == '+' || c == '-')
        && ty
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-'));
    if !valid_type {
        return Err(format!("`{ty}` is not a valid package URL type"));
    }
    let segments: Vec<&str> = path
        .trim_end_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let Some((name, namespace)) = segments.split_last() else {
        return Err("the package URL has no name".into());
    };
    let name = percent_decode(name)?;
    if name.is_empty() {
        return Err("the package URL has no name".into());
    }
    let namespace = if namespace.is_empty() {
        None
    } else {
        Some(
            namespace
                .iter()
                .map(|s| percent_decode(s))
                .collect::<std::result::Result<Vec<_>, _>>()?
                .join("/"),
        )
    };
    if version.as_deref() == Some("") {
        return Err("the version after `@` is empty".into());
    }
    Ok(Purl {
        ty: ty.to_ascii_lowercase(),
        namespace,
        name,
        version,
    })
}

// TEMPORARY accessors (the `purl` branch provides these).
impl Purl {
    /// Type.
    pub fn ty(&self) -> &str {
        &self.ty
    }
    /// Namespace.
    pub fn namespace(&self) -> Option<&str> {
        self.namespace.as_deref()
    }
    /// Name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Version.
    pub fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npm_purls_encode_the_scope() {
        assert_eq!(npm_purl("sqlite3", "5.1.7"), "pkg:npm/sqlite3@5.1.7");
        assert_eq!(
            npm_purl("@angular/core", "16.0.0-rc.1+b"),
            "pkg:npm/%40angular/core@16.0.0-rc.1%2Bb"
        );
        let p = parse_purl(&npm_purl("@scope/x", "1.0")).expect("valid");
        assert_eq!(p.namespace.as_deref(), Some("@scope"));
        assert_eq!(p.name, "x");
    }

    #[test]
    fn purls() {
        let p = parse_purl("pkg:pypi/macholib@1.0").expect("valid");
        assert_eq!((p.ty.as_str(), p.name.as_str()), ("pypi", "macholib"));
        assert_eq!(p.version.as_deref(), Some("1.0"));
        let p = parse_purl("pkg:npm/%40angular/core@16.0.0?x=y#sub").expect("valid");
        assert_eq!(p.namespace.as_deref(), Some("@angular"));
        assert_eq!(p.version.as_deref(), Some("16.0.0"));
        assert!(parse_purl("pypi/macholib@1.0").is_err());
        assert!(parse_purl("pkg:pypi").is_err());
        assert!(parse_purl("pkg:1py/x").is_err());
        assert!(parse_purl("pkg:pypi/x@").is_err());
        assert!(parse_purl("pkg:pypi/x%zz").is_err());
    }

    #[test]
    fn package_keys_ignore_version_qualifiers_and_spelling() {
        let key = |s: &str| parse_purl(s).expect("valid").package_key();
        assert_eq!(key("pkg:pypi/PyYAML@6.0.2"), "pkg:pypi/pyyaml");
        assert_eq!(
            key("pkg:PyPI/psycopg2_binary@2.9.10?extension=whl#sub"),
            key("pkg:pypi/psycopg2-binary")
        );
        assert_eq!(
            key("pkg:deb/debian/Python3-Setuptools@70.3.0?arch=all"),
            "pkg:deb/debian/python3-setuptools"
        );
        assert_eq!(
            key("pkg:github/Python/CPython@v3.13.5"),
            "pkg:github/python/cpython"
        );
        assert_eq!(
            key("pkg:npm/%40angular/core@16.0.0"),
            "pkg:npm/%40angular/core"
        );
        // Case matters where the purl-spec does not say otherwise.
        assert_ne!(key("pkg:generic/Foo"), key("pkg:generic/foo"));
        assert_ne!(
            key("pkg:pypi/setuptools"),
            key("pkg:deb/debian/python3-setuptools")
        );
    }
}
