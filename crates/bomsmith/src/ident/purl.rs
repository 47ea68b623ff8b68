//! Package URLs (purl-spec, ECMA-427), on the `packageurl` crate.
//!
//! **Why `packageurl`.** Of the PURL crates on crates.io, `packageurl` (scm-rs, 0.7) is the one
//! kept in step with the purl-spec: it parses every component (qualifiers and subpath included),
//! validates the type, qualifier keys and subpath segments, and carries a table of per-type rules
//! transcribed from the spec's type definitions (namespace required or prohibited, case folding,
//! required qualifiers, the `chrome-extension` and `cpan` name forms, `mlflow` on Databricks).
//! `purl` (phylum-dev, 0.1.6) has type rules for seven types only (cargo, gem, golang, maven, npm,
//! nuget, pypi). The crate does the parsing and the rule checks;
//! this module keeps bomsmith's own value type ([`Purl`]) and writes the canonical string itself.
//!
//! **The layer on top** adds what the purl-spec conformance suite (`../shared/conformance/purl/`,
//! run whole by the CLI's `purl_suite` test) requires and the crate does not do:
//!
//! - *Canonical encoding*: every character but `A-Z a-z 0-9 . - _ ~ :` is percent-encoded in each
//!   component, as the suite's canonical strings are (the crate's `Display` leaves `&`, `,`, `!`,
//!   `(` and the like bare in names and versions); qualifiers sorted by key, empty values dropped.
//! - *Malformed escapes* (`%zz`, a lone `%`) are errors; the crate passes them through.
//! - *Scheme*: `pkg:` is matched case-insensitively (`PKG:`), as URL schemes are.
//! - *Case folding the crate lacks*, from the type definitions' `case_sensitive: false`:
//!   names of `alpm`, `apk`, `bitnami`, `brew`, `chrome-extension`, `luarocks`, `oci`, `otp`,
//!   `vscode-extension`; namespaces of `alpm`, `brew`, `luarocks`, `vscode-extension`, `yocto`;
//!   versions of `oci`, `vscode-extension`.
//! - *npm names keep their case*: the npm definition says names are case-sensitive (packages from
//!   before 2015 have capitals, `JSONStream`); the crate lowercases them, so the name is taken
//!   again from the input.
//! - *Namespace rules the crate lacks*: `otp` and `vcpkg` prohibit one, `vscode-extension` and
//!   `swift` require one. The crate requires a `cpan` namespace, which the cpan definition makes
//!   optional (`pkg:cpan/URI-PackageURL`), so a `cpan` PURL is handed to the crate as `generic`
//!   and the cpan rule (a distribution name, never a `::` module name) is checked here.
//! - *`git`*: the namespace is the host alone and the name the path on it
//!   (`pkg:git/codeberg.org/forgejo/forgejo` names `forgejo/forgejo` on `codeberg.org`), its `/`
//!   kept in the canonical string; both are lowercased, as the suite's normalisation does.
//! - *`mlflow`*: a name on a Databricks server is lowercased when built too (the crate does so
//!   only when parsing).
//! - *An empty version* (`pkg:pypi/x@`) is an error rather than "no version".
//! - *Strict qualifier keys* ([`Purl::parse_strict`]): ECMA-427 says a key "shall" be lower-case;
//!   [`parse_purl`] folds it (the suite's 'recommended' normalisation, and what a reader of other
//!   people's SBOMs wants), [`Purl::parse_strict`] refuses it (the suite's 'required' tests).
//!
//! [`Purl::package_key`] stays bomsmith's pairing key: PyPI names PEP 503-normalised (dots folded
//! too, which the purl-spec leaves alone), the names of case-insensitive types lowercased.

use super::python::pep503;

/// Percent-encodes a PURL component (everything but unreserved characters; `:` too).
pub fn purl_encode(s: &str) -> String {
    encode(s, false)
}

/// Percent-encodes `s`, keeping `A-Z a-z 0-9 . - _ ~` and, when `keep_colon`, `:`.
fn encode(s: &str, keep_colon: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~')
            || (keep_colon && b == b':')
        {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The canonical PURL of a PyPI project release (the name PEP 503-normalised first).
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

/// A parsed package URL, every component decoded and normalised by its type's rules.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Purl {
    ty: String,
    namespace: Option<String>,
    name: String,
    version: Option<String>,
    /// Sorted by key; keys unique and lower-case; no empty values.
    qualifiers: Vec<(String, String)>,
    subpath: Option<String>,
}

/// Name and namespace case folding, and namespace rules, the crate does not apply (see the
/// module documentation).
const LOWER_NAME: &[&str] = &[
    "alpm",
    "apk",
    "bitnami",
    "brew",
    "chrome-extension",
    "luarocks",
    "oci",
    "otp",
    "vscode-extension",
];
const LOWER_NAMESPACE: &[&str] = &["alpm", "brew", "luarocks", "vscode-extension", "yocto"];
const LOWER_VERSION: &[&str] = &["oci", "vscode-extension"];
const NAMESPACE_PROHIBITED: &[&str] = &["otp", "vcpkg"];
const NAMESPACE_REQUIRED: &[&str] = &["swift", "vscode-extension"];

/// Types whose names (and namespaces) the purl-spec declares case-insensitive, to be lowercased
/// in [`Purl::package_key`].
const CASE_INSENSITIVE_TYPES: &[&str] = &["bitbucket", "composer", "github", "hex"];

impl Purl {
    /// Parses a package URL (`pkg:type/namespace/name@version?qualifiers#subpath`), normalising
    /// what the purl-spec lets a reader normalise (upper-case qualifier keys included).
    pub fn parse(s: &str) -> Result<Purl, String> {
        parse_purl(s)
    }

    /// Parses like [`Purl::parse`] but refuses qualifier keys that are not lower-case, which
    /// ECMA-427 requires ("shall").
    pub fn parse_strict(s: &str) -> Result<Purl, String> {
        let purl = parse_purl(s)?;
        let before_subpath = s.rsplit_once('#').map_or(s, |(head, _)| head);
        if let Some((_, query)) = before_subpath.rsplit_once('?') {
            for pair in query.split('&') {
                let key = pair.split_once('=').map_or(pair, |(k, _)| k);
                if key.bytes().any(|b| b.is_ascii_uppercase()) {
                    return Err(format!("qualifier key `{key}` is not lower-case"));
                }
            }
        }
        Ok(purl)
    }

    /// Builds a PURL from decoded components, normalised by the type's rules, as the purl-spec's
    /// "build" describes. `qualifiers` with an empty value are dropped.
    pub fn from_parts(
        ty: &str,
        namespace: Option<&str>,
        name: &str,
        version: Option<&str>,
        qualifiers: &[(&str, &str)],
        subpath: Option<&str>,
    ) -> Result<Purl, String> {
        let as_generic = ty.eq_ignore_ascii_case("cpan");
        let crate_ty = if as_generic { "generic" } else { ty };
        let mut p = packageurl::PackageUrl::new(crate_ty.to_owned(), name.to_owned())
            .map_err(|e| crate_error(&e))?;
        if let Some(ns) = namespace {
            let ns = ns.trim_matches('/');
            if !ns.is_empty() {
                if ns.split('/').any(str::is_empty) {
                    return Err(format!("namespace `{ns}` has an empty segment"));
                }
                p.with_namespace(ns.to_owned())
                    .map_err(|e| crate_error(&e))?;
            }
        }
        if let Some(v) = version {
            if v.is_empty() {
                return Err("the version is empty".into());
            }
            p.with_version(v.to_owned()).map_err(|e| crate_error(&e))?;
        }
        for (k, v) in qualifiers {
            if !v.is_empty() {
                p.add_qualifier((*k).to_owned(), (*v).to_owned())
                    .map_err(|e| crate_error(&e))?;
            }
        }
        if let Some(sp) = subpath {
            let segments: Vec<&str> = sp
                .split('/')
                .filter(|s| !s.is_empty() && *s != "." && *s != "..")
                .collect();
            if !segments.is_empty() {
                p.with_subpath(segments.join("/"))
                    .map_err(|e| crate_error(&e))?;
            }
        }
        p.validate().map_err(|e| crate_error(&e))?;
        Purl::from_crate(&p, Some(name), as_generic.then_some("cpan"))
    }

    /// Takes the crate's value and applies this module's layer (see the module documentation).
    /// `raw_name` is the decoded name as given, before the crate folded its case; `ty` the type
    /// when the crate was handed `generic` in its place (`cpan`).
    fn from_crate(
        p: &packageurl::PackageUrl<'_>,
        raw_name: Option<&str>,
        ty: Option<&str>,
    ) -> Result<Purl, String> {
        let ty = ty.unwrap_or(p.ty()).to_owned();
        let t = ty.as_str();
        let mut name = p.name().to_owned();
        // The crate drops `.` and `..` namespace segments and may leave an empty namespace
        // (`pkg:x/./y`): no namespace.
        let mut namespace = p.namespace().filter(|n| !n.is_empty()).map(str::to_owned);
        if t == "cpan" && name.contains("::") {
            return Err(format!(
                "`{name}` is a Perl module name; a `cpan` package URL names a distribution"
            ));
        }
        if t == "git" {
            // The namespace is the host alone; the name is the path on it (`owner/repo`).
            let path = match &namespace {
                Some(ns) => format!("{ns}/{name}"),
                None => return Err("a `git` package URL needs a namespace (the host)".into()),
            };
            let (host, rest) = path.split_once('/').unwrap_or((path.as_str(), ""));
            // An escaped `/` at the edge of a segment (`forgejo/%2Fx`) would leave an empty
            // segment in the path, which the canonical string cannot carry.
            if rest.split('/').any(str::is_empty) {
                return Err(format!("the git path `{rest}` has an empty segment"));
            }
            namespace = Some(host.to_lowercase());
            name = rest.to_lowercase();
        }
        if t == "npm"
            && let Some(raw) = raw_name
        {
            name = raw.to_owned();
        }
        if LOWER_NAME.contains(&t) {
            name = name.to_lowercase();
        }
        if LOWER_NAMESPACE.contains(&t) {
            namespace = namespace.map(|n| n.to_lowercase());
        }
        let mut version = p.version().map(str::to_owned);
        if LOWER_VERSION.contains(&t) {
            version = version.map(|v| v.to_lowercase());
        }
        if version.as_deref() == Some("") {
            return Err("the version after `@` is empty".into());
        }
        if namespace.is_some() && NAMESPACE_PROHIBITED.contains(&t) {
            return Err(format!("a `{t}` package URL has no namespace"));
        }
        if namespace.is_none() && NAMESPACE_REQUIRED.contains(&t) {
            return Err(format!("a `{t}` package URL needs a namespace"));
        }
        let mut qualifiers: Vec<(String, String)> = p
            .qualifiers()
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        qualifiers.sort();
        // The crate folds an mlflow name on Databricks when it parses, not when it builds.
        if t == "mlflow"
            && qualifiers
                .iter()
                .any(|(k, v)| k == "repository_url" && v.contains("databricks"))
        {
            name = name.to_lowercase();
        }
        Ok(Purl {
            ty,
            namespace,
            name,
            version,
            qualifiers,
            subpath: p.subpath().map(str::to_owned),
        })
    }

    /// The type, lower-case (`pypi`, `npm`, `generic`, ...).
    pub fn ty(&self) -> &str {
        &self.ty
    }

    /// The namespace, decoded, its segments joined with `/`.
    pub fn namespace(&self) -> Option<&str> {
        self.namespace.as_deref()
    }

    /// The name, decoded.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The version, decoded.
    pub fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }

    /// The qualifiers, decoded, sorted by (lower-case, unique) key.
    pub fn qualifiers(&self) -> &[(String, String)] {
        &self.qualifiers
    }

    /// The value of one qualifier.
    pub fn qualifier(&self, key: &str) -> Option<&str> {
        self.qualifiers
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The subpath, decoded, its segments joined with `/`.
    pub fn subpath(&self) -> Option<&str> {
        self.subpath.as_deref()
    }

    /// The canonical string: lower-case type, each component percent-encoded (all but
    /// `A-Z a-z 0-9 . - _ ~ :`), qualifiers sorted by key. Parsing it gives this PURL back.
    pub fn to_canonical_string(&self) -> String {
        let mut out = format!("pkg:{}/", self.ty);
        if let Some(ns) = &self.namespace {
            for seg in ns.split('/') {
                out.push_str(&encode(seg, true));
                out.push('/');
            }
        }
        if self.ty == "git" {
            let segments: Vec<String> = self.name.split('/').map(|s| encode(s, true)).collect();
            out.push_str(&segments.join("/"));
        } else {
            out.push_str(&encode(&self.name, true));
        }
        if let Some(v) = &self.version {
            out.push('@');
            out.push_str(&encode(v, true));
        }
        for (i, (k, v)) in self.qualifiers.iter().enumerate() {
            out.push(if i == 0 { '?' } else { '&' });
            out.push_str(k);
            out.push('=');
            out.push_str(&encode(v, true));
        }
        if let Some(sp) = &self.subpath {
            out.push('#');
            let segments: Vec<String> = sp.split('/').map(|s| encode(s, true)).collect();
            out.push_str(&segments.join("/"));
        }
        out
    }

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

impl std::fmt::Display for Purl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_canonical_string())
    }
}

/// The crate's error, worded as bomsmith words errors.
fn crate_error(e: &packageurl::Error) -> String {
    use packageurl::Error as E;
    match e {
        E::MissingScheme | E::InvalidScheme(_) => "a package URL starts with `pkg:`".into(),
        E::MissingType => "a package URL needs a type and a name (`pkg:type/name`)".into(),
        E::InvalidType(t) => format!("`{t}` is not a valid package URL type"),
        E::MissingName => "the package URL has no name".into(),
        E::InvalidKey(k) => format!("qualifier key `{k}` is not valid"),
        E::DecodingError(_) => "a component does not decode to UTF-8".into(),
        other => other.to_string(),
    }
}

/// Checks that every `%` starts a two-hex-digit escape.
fn check_escapes(s: &str) -> Result<(), String> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let ok = b
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit));
            if !ok {
                return Err(format!("bad percent-encoding in `{s}`"));
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    Ok(())
}

/// The decoded name as written in `rest` (the part after `pkg:`), found as the crate finds it:
/// subpath and qualifiers cut at their last separator, the version at the last `@` with no `/`
/// after it, then the last segment.
fn raw_name(rest: &str) -> Option<String> {
    let rest = rest.rsplit_once('#').map_or(rest, |(h, _)| h);
    let rest = rest.rsplit_once('?').map_or(rest, |(h, _)| h);
    let rest = match rest.rsplit_once('@') {
        Some((h, v)) if !v.contains('/') => h,
        _ => rest,
    };
    let seg = rest.trim_matches('/').rsplit('/').next()?;
    percent_decode(seg)
}

/// `s` with its `%XX` escapes decoded; `None` for a broken escape or bytes that are not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let h = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(h, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Parses a package URL (`pkg:type/namespace/name@version?qualifiers#subpath`); see
/// [`Purl::parse`].
pub fn parse_purl(s: &str) -> Result<Purl, String> {
    let Some((scheme, rest)) = s.split_once(':') else {
        return Err("a package URL starts with `pkg:`".into());
    };
    if !scheme.eq_ignore_ascii_case("pkg") {
        return Err("a package URL starts with `pkg:`".into());
    }
    check_escapes(rest)?;
    let body = rest.trim_start_matches('/');
    let (ty, path) = body.split_once('/').unwrap_or((body, ""));
    let as_generic = ty.eq_ignore_ascii_case("cpan");
    let text = if as_generic {
        format!("pkg:generic/{path}")
    } else {
        format!("pkg:{rest}")
    };
    let p: packageurl::PackageUrl<'static> = text.parse().map_err(|e| crate_error(&e))?;
    Purl::from_crate(&p, raw_name(rest).as_deref(), as_generic.then_some("cpan"))
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
        assert_eq!(p.namespace(), Some("@scope"));
        assert_eq!(p.name(), "x");
    }

    #[test]
    fn purls() {
        let p = parse_purl("pkg:pypi/macholib@1.0").expect("valid");
        assert_eq!((p.ty(), p.name()), ("pypi", "macholib"));
        assert_eq!(p.version(), Some("1.0"));
        let p = parse_purl("pkg:npm/%40angular/core@16.0.0?x=y#sub").expect("valid");
        assert_eq!(p.namespace(), Some("@angular"));
        assert_eq!(p.version(), Some("16.0.0"));
        assert!(parse_purl("pypi/macholib@1.0").is_err());
        assert!(parse_purl("pkg:pypi").is_err());
        assert!(parse_purl("pkg:1py/x").is_err());
        assert!(parse_purl("pkg:pypi/x@").is_err());
        assert!(parse_purl("pkg:pypi/x%zz").is_err());
    }

    #[test]
    fn hand_written_parser_dropped_qualifiers_and_subpath() {
        let p = parse_purl("PKG:Maven/org.apache/batik@1.9?Type=pom&classifier=dist#a/./b/")
            .expect("valid");
        assert_eq!(p.ty(), "maven");
        assert_eq!(
            p.qualifiers(),
            &[
                ("classifier".to_owned(), "dist".to_owned()),
                ("type".to_owned(), "pom".to_owned())
            ]
        );
        assert_eq!(p.qualifier("type"), Some("pom"));
        assert_eq!(p.subpath(), Some("a/b"));
        assert_eq!(
            p.to_canonical_string(),
            "pkg:maven/org.apache/batik@1.9?classifier=dist&type=pom#a/b"
        );
        assert!(Purl::parse_strict("pkg:maven/a/b?Type=pom").is_err());
        assert!(Purl::parse_strict("pkg:maven/a/b?type=pom").is_ok());
    }

    #[test]
    fn npm_names_keep_their_case() {
        let p = parse_purl("pkg:npm/JSONStream@1.3.5").expect("valid");
        assert_eq!(p.name(), "JSONStream");
        assert_eq!(p.to_canonical_string(), "pkg:npm/JSONStream@1.3.5");
        let built =
            Purl::from_parts("npm", None, "JSONStream", Some("1.3.5"), &[], None).expect("valid");
        assert_eq!(built, p);
    }

    #[test]
    fn mlflow_names_on_databricks_fold_when_built_too() {
        let url = "https://adb-1.azuredatabricks.net/api/2.0/mlflow";
        let built = Purl::from_parts(
            "mlflow",
            None,
            "CreditFraud",
            Some("3"),
            &[("repository_url", url)],
            None,
        )
        .expect("valid");
        assert_eq!(built.name(), "creditfraud");
        let elsewhere =
            Purl::from_parts("mlflow", None, "CreditFraud", Some("3"), &[], None).expect("valid");
        assert_eq!(elsewhere.name(), "CreditFraud");
    }

    #[test]
    fn cpan_and_git_follow_their_type_definitions() {
        let p = parse_purl("pkg:cpan/URI-PackageURL@2.0").expect("no namespace is fine");
        assert_eq!((p.namespace(), p.name()), (None, "URI-PackageURL"));
        assert!(parse_purl("pkg:cpan/GDT/URI::PackageURL").is_err());
        let g = parse_purl("pkg:git/codeberg.org/forgejo/forgejo@a72d#x/y").expect("valid");
        assert_eq!(
            (g.namespace(), g.name()),
            (Some("codeberg.org"), "forgejo/forgejo")
        );
        assert_eq!(
            g.to_canonical_string(),
            "pkg:git/codeberg.org/forgejo/forgejo@a72d#x/y"
        );
    }

    /// Found by the purl fuzz target: `%2F` at the start of a git name segment made a path with
    /// an empty segment, whose canonical string parsed back to another PURL.
    #[test]
    fn git_path_with_an_escaped_slash_at_a_segment_edge_is_refused() {
        assert!(parse_purl("pkg:git/codeberg.org/forgejo/%2Fx@1").is_err());
        assert!(parse_purl("pkg:git/codeberg.org/forgejo%2F/x@1").is_err());
        let p = parse_purl("pkg:git/codeberg.org/forgejo/a%2Fb@1").expect("valid");
        assert_eq!(p.name(), "forgejo/a/b");
        assert_eq!(parse_purl(&p.to_canonical_string()), Ok(p));
    }

    /// Found by the purl fuzz target: `pkg:x/./y` left an empty namespace, written as
    /// `pkg:x//y`, which parses back without one.
    #[test]
    fn a_namespace_of_dot_segments_is_no_namespace() {
        let p = parse_purl("pkg:PYQ/./I.11.1.dv=1").expect("valid");
        assert_eq!(p.namespace(), None);
        assert_eq!(p.to_canonical_string(), "pkg:pyq/I.11.1.dv%3D1");
        assert_eq!(parse_purl(&p.to_canonical_string()), Ok(p));
    }

    #[test]
    fn canonical_strings_parse_back() {
        for s in [
            "pkg:PYPI/Django_package@1.11.1.dev1",
            "pkg:generic/openssl@1.1.10g?download_url=https://openssl.org/x.tgz&checksum=sha256:de4d",
            "pkg:npm/@babel/core#/googleapis/api/annotations/",
            "pkg:swid/Acme/example.com/Enterprise+Server@1.0.0?tag_id=75b8c285",
        ] {
            let p = parse_purl(s).expect(s);
            let c = p.to_canonical_string();
            assert_eq!(parse_purl(&c).expect(&c), p, "{s}");
            assert_eq!(p.to_string(), c);
        }
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
        assert_ne!(key("pkg:npm/JSONStream"), key("pkg:npm/jsonstream"));
        assert_ne!(
            key("pkg:pypi/setuptools"),
            key("pkg:deb/debian/python3-setuptools")
        );
    }
}
