//! Names and versions read from artifact file names and from the top directory of an archive.
//!
//! The conventions read, tried in this order:
//!
//! - Debian source packages: `NAME_VERSION.orig.tar.*` (the upstream tarball),
//!   `NAME_VERSION.orig-COMPONENT.tar.*` (an extra upstream tarball) and
//!   `NAME_VERSION-REVISION.debian.tar.*` (the packaging; its version is the Debian one,
//!   revision included). An epoch (`1:`) is part of a Debian version in `.dsc` files and
//!   changelogs but never of these file names, so none is read from them.
//! - Wheels: `NAME-VERSION(-BUILD)?-PYTHON-ABI-PLATFORM.whl`; the name is escaped there (`-` as
//!   `_`), so `_` is read back as `-`, the PEP 503 form.
//! - `NAME-VERSION.EXT`: release tarballs, Python sdists (PEP 625 names use `_`, never `-`, so
//!   the split is unambiguous), npm tarballs (`npm pack` writes `NAME-VERSION.tgz`, a scope
//!   `@s/x` as `s-x`), zips and jars: the version starts after the first `-` that precedes a
//!   digit.
//! - Debian native packages, `NAME_VERSION.tar.*`, when the name is a valid Debian package
//!   name and the version starts with a digit.

/// Archive suffixes recognised when a name and version are read from a file name.
const SUFFIXES: &[&str] = &[
    ".tar.gz",
    ".tar.xz",
    ".tar.bz2",
    ".tar.zst",
    ".tar.lzma",
    ".tgz",
    ".txz",
    ".tbz2",
    ".tbz",
    ".tzst",
    ".tar",
    ".zip",
    ".whl",
    ".jar",
];

/// The tar suffixes a Debian source package's tarballs carry.
const DEBIAN_TAR: &[&str] = &[".tar.gz", ".tar.xz", ".tar.bz2", ".tar.zst", ".tar.lzma"];

/// The naming convention a name and version were read by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Convention {
    /// `NAME-VERSION.EXT` (or a directory named `NAME-VERSION`).
    NameVersion,
    /// A wheel's `NAME-VERSION(-BUILD)?-PY-ABI-PLAT.whl`.
    Wheel,
    /// Debian's upstream tarball, `NAME_VERSION.orig.tar.*`, or one of its extra components,
    /// `NAME_VERSION.orig-COMPONENT.tar.*`.
    DebianOrig {
        /// The component of an `.orig-COMPONENT` tarball.
        component: Option<String>,
    },
    /// Debian's packaging tarball, `NAME_VERSION-REVISION.debian.tar.*`.
    DebianPackaging,
    /// A Debian native package's tarball, `NAME_VERSION.tar.*`.
    DebianNative,
    /// None: the whole name without its suffix, and no version.
    Bare,
}

impl Convention {
    /// How documents describe the convention.
    pub fn describe(&self) -> String {
        match self {
            Convention::NameVersion => "NAME-VERSION".into(),
            Convention::Wheel => "wheel NAME-VERSION-TAGS.whl".into(),
            Convention::DebianOrig { component: None } => {
                "Debian upstream tarball NAME_VERSION.orig.tar.*".into()
            }
            Convention::DebianOrig { component: Some(c) } => {
                format!("Debian upstream component tarball NAME_VERSION.orig-{c}.tar.*")
            }
            Convention::DebianPackaging => {
                "Debian packaging tarball NAME_VERSION-REVISION.debian.tar.*".into()
            }
            Convention::DebianNative => "Debian native tarball NAME_VERSION.tar.*".into(),
            Convention::Bare => "no convention".into(),
        }
    }

    /// True for the conventions of Debian source packages.
    pub fn is_debian(&self) -> bool {
        matches!(
            self,
            Convention::DebianOrig { .. } | Convention::DebianPackaging | Convention::DebianNative
        )
    }
}

/// A name and version read from an artifact's file name (or a directory name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArtifactName {
    /// The project or package name.
    pub name: String,
    /// The version, when the name carries one.
    pub version: Option<String>,
    /// The convention they were read by.
    pub convention: Convention,
}

/// The file name without its archive suffix (case-insensitive), and whether it had one.
fn strip_suffix<'a>(file_name: &'a str, suffixes: &[&str]) -> Option<&'a str> {
    let lower = file_name.to_ascii_lowercase();
    suffixes
        .iter()
        .find(|s| lower.len() > s.len() && lower.ends_with(*s))
        .map(|s| &file_name[..file_name.len() - s.len()])
}

/// `NAME-VERSION`: split at the first `-` that precedes a digit.
fn split_dash(stem: &str) -> Option<(&str, &str)> {
    let bytes = stem.as_bytes();
    bytes.iter().enumerate().find_map(|(i, &b)| {
        (b == b'-' && i > 0 && bytes.get(i + 1).is_some_and(u8::is_ascii_digit))
            .then(|| (&stem[..i], &stem[i + 1..]))
    })
}

/// A Debian source package name: lower-case letters, digits, `+`, `-`, `.`; at least two
/// characters, starting with a letter or digit.
fn is_debian_name(name: &str) -> bool {
    name.len() >= 2
        && name.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '+' | '-' | '.'))
}

/// A Debian version without epoch: starts with a digit; letters, digits, `.+-~`.
fn is_debian_version(version: &str) -> bool {
    version.starts_with(|c: char| c.is_ascii_digit())
        && version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-' | '~'))
}

/// `NAME_VERSION` of a Debian file name, when both parts are well-formed.
fn debian_parts(stem: &str) -> Option<(&str, &str)> {
    let (name, version) = stem.split_once('_')?;
    (is_debian_name(name) && is_debian_version(version)).then_some((name, version))
}

/// Reads the Debian source package conventions.
fn debian(file_name: &str) -> Option<ArtifactName> {
    let stem = strip_suffix(file_name, DEBIAN_TAR)?;
    let found = |name: &str, version: &str, convention| ArtifactName {
        name: name.to_owned(),
        version: Some(version.to_owned()),
        convention,
    };
    if let Some(s) = stem.strip_suffix(".debian") {
        let (name, version) = debian_parts(s)?;
        // The packaging always carries a Debian revision.
        return version
            .contains('-')
            .then(|| found(name, version, Convention::DebianPackaging));
    }
    if let Some(s) = stem.strip_suffix(".orig") {
        let (name, version) = debian_parts(s)?;
        return Some(found(
            name,
            version,
            Convention::DebianOrig { component: None },
        ));
    }
    if let Some((s, component)) = stem.rsplit_once(".orig-") {
        let (name, version) = debian_parts(s)?;
        let valid = !component.is_empty()
            && component
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-');
        return valid.then(|| {
            found(
                name,
                version,
                Convention::DebianOrig {
                    component: Some(component.to_owned()),
                },
            )
        });
    }
    None
}

/// Reads a wheel's file name (`NAME-VERSION(-BUILD)?-PY-ABI-PLAT.whl`).
fn wheel(file_name: &str) -> Option<ArtifactName> {
    let stem = strip_suffix(file_name, &[".whl"])?;
    let parts: Vec<&str> = stem.split('-').collect();
    if !(5..=6).contains(&parts.len()) || parts.iter().any(|p| p.is_empty()) {
        return None;
    }
    Some(ArtifactName {
        name: parts[0].replace('_', "-"),
        version: Some(parts[1].to_owned()),
        convention: Convention::Wheel,
    })
}

/// Reads a name and version from an artifact's file name, or from a directory's name, by the
/// first convention (see the module documentation) that it follows.
pub fn parse_artifact_name(file_name: &str) -> ArtifactName {
    if let Some(found) = debian(file_name).or_else(|| wheel(file_name)) {
        return found;
    }
    let stem = strip_suffix(file_name, SUFFIXES).unwrap_or(file_name);
    if let Some((name, version)) = split_dash(stem) {
        return ArtifactName {
            name: name.to_owned(),
            version: Some(version.to_owned()),
            convention: Convention::NameVersion,
        };
    }
    // A `.debian` or `.orig` tarball that is not well-formed is not a native package either.
    if stem != file_name
        && !stem.ends_with(".debian")
        && !stem.contains(".orig")
        && let Some((name, version)) = debian_parts(stem)
    {
        return ArtifactName {
            name: name.to_owned(),
            version: Some(version.to_owned()),
            convention: Convention::DebianNative,
        };
    }
    ArtifactName {
        name: stem.to_owned(),
        version: None,
        convention: Convention::Bare,
    }
}

/// Reads an archive's single top directory as `NAME-VERSION` (`Python-3.13.5`); `None` when it
/// does not name a version (`package`, `debian`, `src`).
pub fn parse_top_directory(dir: &str) -> Option<ArtifactName> {
    let (name, version) = split_dash(dir)?;
    Some(ArtifactName {
        name: name.to_owned(),
        version: Some(version.to_owned()),
        convention: Convention::NameVersion,
    })
}

/// The name, and the version when there is one, of [`parse_artifact_name`].
pub fn split_artifact_name(file_name: &str) -> (String, Option<String>) {
    let a = parse_artifact_name(file_name);
    (a.name, a.version)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(file_name: &str) -> (String, Option<String>, Convention) {
        let a = parse_artifact_name(file_name);
        (a.name, a.version, a.convention)
    }

    fn nv(
        name: &str,
        version: &str,
        convention: Convention,
    ) -> (String, Option<String>, Convention) {
        (name.into(), Some(version.into()), convention)
    }

    #[test]
    fn name_version_with_every_archive_suffix() {
        for suffix in [
            "tar.gz", "tar.xz", "tar.bz2", "tar.zst", "tar.lzma", "tgz", "txz", "tbz2", "tbz",
            "tzst", "tar", "zip", "jar", "TAR.GZ",
        ] {
            assert_eq!(
                parsed(&format!("Python-3.13.5.{suffix}")),
                nv("Python", "3.13.5", Convention::NameVersion),
                "{suffix}"
            );
        }
        assert_eq!(
            parsed("foo-bar-1.2.tgz"),
            nv("foo-bar", "1.2", Convention::NameVersion)
        );
        assert_eq!(
            parsed("curl-7.88.1.tar.xz"),
            nv("curl", "7.88.1", Convention::NameVersion)
        );
        assert_eq!(
            parsed("sqlite-autoconf-3440200.tar.gz"),
            nv("sqlite-autoconf", "3440200", Convention::NameVersion)
        );
        assert_eq!(
            parsed("libxml2-2.9.14.tar.xz"),
            nv("libxml2", "2.9.14", Convention::NameVersion)
        );
        assert_eq!(
            parsed("Python-3.14.0rc1.tgz"),
            nv("Python", "3.14.0rc1", Convention::NameVersion)
        );
        assert_eq!(parsed("tree"), ("tree".into(), None, Convention::Bare));
        assert_eq!(
            parsed("notes.tar.gz"),
            ("notes".into(), None, Convention::Bare)
        );
    }

    #[test]
    fn debian_source_package_names() {
        assert_eq!(
            parsed("curl_7.88.1-10+deb12u15.debian.tar.xz"),
            nv("curl", "7.88.1-10+deb12u15", Convention::DebianPackaging)
        );
        assert_eq!(
            parsed("curl_7.88.1.orig.tar.gz"),
            nv("curl", "7.88.1", Convention::DebianOrig { component: None })
        );
        assert_eq!(
            parsed("python3.13_3.13.5.orig.tar.xz"),
            nv(
                "python3.13",
                "3.13.5",
                Convention::DebianOrig { component: None }
            )
        );
        assert_eq!(
            parsed("cmake_3.25.1.orig.tar.gz"),
            nv(
                "cmake",
                "3.25.1",
                Convention::DebianOrig { component: None }
            )
        );
        assert_eq!(
            parsed("libxml2_2.9.14+dfsg.orig.tar.xz"),
            nv(
                "libxml2",
                "2.9.14+dfsg",
                Convention::DebianOrig { component: None }
            )
        );
        assert_eq!(
            parsed("sqlite3_3.40.1-2+deb12u1.debian.tar.xz"),
            nv("sqlite3", "3.40.1-2+deb12u1", Convention::DebianPackaging)
        );
        assert_eq!(
            parsed("sqlite3_3.40.1.orig-www.tar.xz"),
            nv(
                "sqlite3",
                "3.40.1",
                Convention::DebianOrig {
                    component: Some("www".into())
                }
            )
        );
        assert_eq!(
            parsed("gcc-12_12.2.0.orig.tar.gz"),
            nv(
                "gcc-12",
                "12.2.0",
                Convention::DebianOrig { component: None }
            )
        );
        assert_eq!(
            parsed("debhelper_13.11.4.tar.xz"),
            nv("debhelper", "13.11.4", Convention::DebianNative)
        );
        assert_eq!(
            parsed("vim_9.0.1378~rc1.orig.tar.gz"),
            nv(
                "vim",
                "9.0.1378~rc1",
                Convention::DebianOrig { component: None }
            )
        );
        // A packaging tarball without a revision is not one.
        assert_eq!(parsed("curl_7.88.1.debian.tar.xz").2, Convention::Bare);
        // Upper case is not a Debian name, and nothing else is read from this one.
        assert_eq!(
            parsed("Foo_1.0.orig.tar.gz"),
            ("Foo_1.0.orig".into(), None, Convention::Bare)
        );
    }

    #[test]
    fn wheel_names() {
        assert_eq!(
            parsed("pip-25.1.1-py3-none-any.whl"),
            nv("pip", "25.1.1", Convention::Wheel)
        );
        assert_eq!(
            parsed(
                "psycopg2_binary-2.9.13-cp313-cp313-manylinux2014_x86_64.manylinux_2_17_x86_64.whl"
            ),
            nv("psycopg2-binary", "2.9.13", Convention::Wheel)
        );
        assert_eq!(
            parsed("pillow-13.0.0-cp313-cp313-win_amd64.whl"),
            nv("pillow", "13.0.0", Convention::Wheel)
        );
        assert_eq!(
            parsed("typing_extensions-4.12.2-1-py3-none-any.whl"),
            nv("typing-extensions", "4.12.2", Convention::Wheel)
        );
        // Not five or six parts: read as NAME-VERSION.
        assert_eq!(
            parsed("odd-1.0.whl"),
            nv("odd", "1.0", Convention::NameVersion)
        );
    }

    #[test]
    fn sdist_and_npm_names() {
        assert_eq!(
            parsed("requests-2.32.3.tar.gz"),
            nv("requests", "2.32.3", Convention::NameVersion)
        );
        assert_eq!(
            parsed("psycopg2_binary-2.9.13.tar.gz"),
            nv("psycopg2_binary", "2.9.13", Convention::NameVersion)
        );
        assert_eq!(
            parsed("zope_interface-7.2.tar.gz"),
            nv("zope_interface", "7.2", Convention::NameVersion)
        );
        assert_eq!(
            parsed("sqlite3-5.1.7.tgz"),
            nv("sqlite3", "5.1.7", Convention::NameVersion)
        );
        assert_eq!(
            parsed("types-node-22.10.1.tgz"),
            nv("types-node", "22.10.1", Convention::NameVersion)
        );
    }

    #[test]
    fn top_directories() {
        let top = parse_top_directory("Python-3.13.5").expect("versioned");
        assert_eq!(
            (top.name.as_str(), top.version.as_deref()),
            ("Python", Some("3.13.5"))
        );
        assert!(parse_top_directory("package").is_none());
        assert!(parse_top_directory("debian").is_none());
        assert!(parse_top_directory("curl-7.88.1").is_some());
    }

    #[test]
    fn split_keeps_its_meaning() {
        assert_eq!(
            split_artifact_name("Python-3.13.5.tar.xz"),
            ("Python".into(), Some("3.13.5".into()))
        );
        assert_eq!(split_artifact_name("tree"), ("tree".into(), None));
    }
}
