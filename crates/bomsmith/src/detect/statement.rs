//! Version statements any project may make, read without knowing the project: build files
//! (CMake `project(... VERSION)`, meson `project(version:)`, autoconf `AC_INIT`), package
//! manifests (`package.json`, `Cargo.toml`, `pyproject.toml`, `PKG-INFO`/`METADATA`), `VERSION`
//! files, and C/C++ header macros (`NAME_VERSION "x.y.z"`, or composed from `_MAJOR`, `_MINOR`
//! and `_PATCH`-like macros). Each is data about one file; deciding which project the file
//! belongs to is the caller's business. Template values (`@PACKAGE_VERSION@`, `${VERSION}`)
//! are never versions.

use super::version::{Stated, is_version, strip_describe};
use regex::Regex;
use std::collections::HashMap;
use std::sync::OnceLock;

/// How a file states a version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A package manifest naming the package (`package.json`, `Cargo.toml`, `pyproject.toml`,
    /// `PKG-INFO`, `METADATA`).
    Manifest,
    /// A build file naming the project (CMake, meson, autoconf).
    Build,
    /// A `VERSION` or `version.txt` file.
    VersionFile,
    /// A header macro holding the whole version as a string.
    Macro,
    /// Header macros holding its parts (`_MAJOR`, `_MINOR`, `_PATCH`).
    ComposedMacro,
}

impl Kind {
    /// In words, for evidence.
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Manifest => "package manifest",
            Kind::Build => "build file",
            Kind::VersionFile => "version file",
            Kind::Macro => "version macro",
            Kind::ComposedMacro => "version macros",
        }
    }
}

/// A version a file states, and the name it states it for, if it names one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The project named (a manifest's or build file's name, a macro's prefix in lower case).
    pub name: Option<String>,
    /// Where and what.
    pub stated: Stated,
    /// How.
    pub kind: Kind,
}

/// True for the files [`read`] understands, by name.
pub fn reads(file_name: &str) -> bool {
    matches!(
        file_name,
        "CMakeLists.txt"
            | "meson.build"
            | "configure.ac"
            | "configure.in"
            | "package.json"
            | "Cargo.toml"
            | "pyproject.toml"
            | "PKG-INFO"
            | "METADATA"
            | "VERSION"
            | "VERSION.txt"
            | "version.txt"
    ) || is_header(file_name)
}

/// True for C and C++ header names.
pub fn is_header(file_name: &str) -> bool {
    [".h", ".hpp", ".hh", ".hxx"]
        .iter()
        .any(|e| file_name.ends_with(e))
}

/// The version statements of the file at `path` with text `text`.
pub fn read(path: &str, text: &str) -> Vec<Found> {
    let name = path.rsplit('/').next().unwrap_or(path);
    match name {
        "CMakeLists.txt" => cmake(path, text).into_iter().collect(),
        "meson.build" => meson(path, text).into_iter().collect(),
        "configure.ac" | "configure.in" => autoconf(path, text).into_iter().collect(),
        "package.json" => package_json(path, text).into_iter().collect(),
        "Cargo.toml" => cargo(path, text).into_iter().collect(),
        "pyproject.toml" => pyproject(path, text).into_iter().collect(),
        "PKG-INFO" | "METADATA" => metadata(path, text).into_iter().collect(),
        "VERSION" | "VERSION.txt" | "version.txt" => version_file(path, text).into_iter().collect(),
        n if is_header(n) => macros(path, text),
        _ => Vec::new(),
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    memchr::memchr_iter(b'\n', &text.as_bytes()[..offset]).count() + 1
}

fn excerpt_at(text: &str, offset: usize) -> String {
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[start..].lines().next().unwrap_or("").trim();
    line.chars().take(100).collect()
}

fn found(
    path: &str,
    text: &str,
    offset: usize,
    name: Option<&str>,
    version: &str,
    kind: Kind,
) -> Option<Found> {
    let version = strip_describe(version.trim());
    is_version(version).then(|| Found {
        name: name.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()),
        stated: Stated {
            file: path.to_owned(),
            line: line_of(text, offset),
            version: version.to_owned(),
            excerpt: excerpt_at(text, offset),
        },
        kind,
    })
}

fn regex(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}")))
}

/// `project(NAME ... VERSION x.y.z ...)`, the first `project` call only.
fn cmake(path: &str, text: &str) -> Option<Found> {
    static CALL: OnceLock<Regex> = OnceLock::new();
    static VERSION: OnceLock<Regex> = OnceLock::new();
    let call = regex(
        &CALL,
        r"(?im)^[ \t]*project\s*\(\s*([A-Za-z0-9_.+-]+)([^)]*)\)",
    );
    let caps = call.captures(text)?;
    let args = caps.get(2)?.as_str();
    let v = regex(&VERSION, r"\bVERSION\s+([^\s)]+)").captures(args)?;
    found(
        path,
        text,
        caps.get(0)?.start(),
        Some(caps.get(1)?.as_str()),
        v.get(1)?.as_str().trim_matches('"'),
        Kind::Build,
    )
}

/// `project('name', ..., version : 'x.y.z', ...)`.
fn meson(path: &str, text: &str) -> Option<Found> {
    static CALL: OnceLock<Regex> = OnceLock::new();
    static VERSION: OnceLock<Regex> = OnceLock::new();
    let call = regex(&CALL, r#"(?m)^[ \t]*project\s*\(\s*['"]([^'"]+)['"]"#);
    let caps = call.captures(text)?;
    let start = caps.get(0)?.start();
    // The call's arguments: up to its closing parenthesis at depth zero.
    let rest = &text[caps.get(0)?.end()..];
    let mut depth = 1usize;
    let end = rest
        .char_indices()
        .find(|&(_, c)| {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ => {}
            }
            depth == 0
        })
        .map_or(rest.len(), |(i, _)| i);
    let v = regex(&VERSION, r#"\bversion\s*:\s*['"]([^'"]+)['"]"#).captures(&rest[..end])?;
    found(
        path,
        text,
        start,
        Some(caps.get(1)?.as_str()),
        v.get(1)?.as_str(),
        Kind::Build,
    )
}

/// `AC_INIT([name], [x.y.z], ...)` or without brackets.
fn autoconf(path: &str, text: &str) -> Option<Found> {
    static CALL: OnceLock<Regex> = OnceLock::new();
    let call = regex(
        &CALL,
        r"(?m)^[ \t]*AC_INIT\(\s*\[?\s*([^,\]\)\[]+?)\s*\]?\s*,\s*\[?\s*([^,\]\)\[]+?)\s*\]?\s*[,)]",
    );
    let caps = call.captures(text)?;
    found(
        path,
        text,
        caps.get(0)?.start(),
        Some(caps.get(1)?.as_str()),
        caps.get(2)?.as_str(),
        Kind::Build,
    )
}

fn package_json(path: &str, text: &str) -> Option<Found> {
    let v: serde_json::Value = serde_json::from_str(text).ok()?;
    let name = v.get("name")?.as_str()?;
    let version = v.get("version")?.as_str()?;
    found(
        path,
        text,
        text.find("\"version\"").unwrap_or(0),
        Some(name),
        version,
        Kind::Manifest,
    )
}

fn cargo(path: &str, text: &str) -> Option<Found> {
    let t: toml::Table = toml::from_str(text).ok()?;
    let pkg = t.get("package")?.as_table()?;
    let version = pkg.get("version")?.as_str()?;
    let offset = text.find("\nversion").map_or(0, |i| i + 1);
    found(
        path,
        text,
        offset,
        Some(pkg.get("name")?.as_str()?),
        version,
        Kind::Manifest,
    )
}

fn pyproject(path: &str, text: &str) -> Option<Found> {
    let t: toml::Table = toml::from_str(text).ok()?;
    let table = t.get("project").and_then(|p| p.as_table()).or_else(|| {
        t.get("tool")?
            .as_table()?
            .get("poetry")
            .and_then(|p| p.as_table())
    })?;
    let version = table.get("version")?.as_str()?;
    let offset = text.find("\nversion").map_or(0, |i| i + 1);
    found(
        path,
        text,
        offset,
        Some(table.get("name")?.as_str()?),
        version,
        Kind::Manifest,
    )
}

fn metadata(path: &str, text: &str) -> Option<Found> {
    let header = |key: &str| -> Option<(usize, &str)> {
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            if line.trim().is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix(key).and_then(|r| r.strip_prefix(':')) {
                return Some((offset, v.trim()));
            }
            offset += line.len();
        }
        None
    };
    let (_, name) = header("Name")?;
    let (at, version) = header("Version")?;
    found(path, text, at, Some(name), version, Kind::Manifest)
}

fn version_file(path: &str, text: &str) -> Option<Found> {
    let first = text.trim_start_matches('\u{feff}').lines().next()?.trim();
    found(path, text, 0, None, first, Kind::VersionFile)
}

/// Header macros: `PREFIX_VERSION "x.y.z"` (and `_VERSION_STRING`, `_RELEASE`,
/// `_DOTTED_VERSION`...), and versions composed from integer part macros.
fn macros(path: &str, text: &str) -> Vec<Found> {
    static STRING: OnceLock<Regex> = OnceLock::new();
    static NUMBER: OnceLock<Regex> = OnceLock::new();
    let string = regex(
        &STRING,
        r#"(?m)^[ \t]*#[ \t]*define[ \t]+([A-Z][A-Z0-9_]*?)_(?:DOTTED_VERSION|VERSION_STRING|VERSION_STR|VERSION_TEXT|VER_STRING|VERSION|RELEASE|VERDOT)[ \t]+"([^"\n]*)""#,
    );
    let mut out = Vec::new();
    for caps in string.captures_iter(text) {
        let (Some(all), Some(prefix), Some(value)) = (caps.get(0), caps.get(1), caps.get(2)) else {
            continue;
        };
        // "Lua 5.1.5", "OpenSSL 3.0.16 11 Feb 2025": the first word that is a version.
        let Some(version) = value
            .as_str()
            .split(|c: char| c.is_whitespace() || c == ',')
            .find(|w| is_version(strip_describe(w)))
        else {
            continue;
        };
        let Some(f) = found(
            path,
            text,
            all.start(),
            Some(&prefix.as_str().to_ascii_lowercase()),
            version,
            Kind::Macro,
        ) else {
            continue;
        };
        // Of one prefix's strings, the most precise ("Lua 5.1.5" over "Lua 5.1").
        let parts = |f: &Found| f.stated.version.matches('.').count();
        match out.iter_mut().find(|o: &&mut Found| o.name == f.name) {
            Some(o) if parts(&f) > parts(o) => *o = f,
            Some(_) => {}
            None => out.push(f),
        }
    }
    let number = regex(
        &NUMBER,
        r"(?m)^[ \t]*#[ \t]*define[ \t]+([A-Z][A-Z0-9_]*)[ \t]+\(?([0-9]{1,6})\)?[ \t]*(?:$|/[/*])",
    );
    let mut values: HashMap<&str, (&str, usize)> = HashMap::new();
    for caps in number.captures_iter(text) {
        if let (Some(all), Some(n), Some(v)) = (caps.get(0), caps.get(1), caps.get(2)) {
            values
                .entry(n.as_str())
                .or_insert((v.as_str(), all.start()));
        }
    }
    // (major, minor, the last part's possible names), as suffixes of one prefix.
    const SHAPES: &[(&str, &str, &[&str])] = &[
        (
            "_VERSION_MAJOR",
            "_VERSION_MINOR",
            &[
                "_VERSION_PATCH",
                "_VERSION_MICRO",
                "_VERSION_RELEASE",
                "_VERSION_REVISION",
                "_VERSION_PATCHLEVEL",
                "_VERSION_BUILD_NUMBER",
            ],
        ),
        (
            "_VER_MAJOR",
            "_VER_MINOR",
            &["_VER_PATCH", "_VER_REVISION", "_VER_MICRO", "_VER_RELEASE"],
        ),
        (
            "_MAJOR_VERSION",
            "_MINOR_VERSION",
            &["_MICRO_VERSION", "_PATCH_VERSION", "_RELEASE_VERSION"],
        ),
        (
            "_MAJOR",
            "_MINOR",
            &[
                "_PATCH",
                "_MICRO",
                "_RELEASE",
                "_PATCHLEVEL",
                "_PATCH_LEVEL",
                "_REVISION",
                "_BUILD_NUMBER",
            ],
        ),
    ];
    let mut composed: Vec<(usize, Found)> = Vec::new();
    for (&name, &(major, at)) in &values {
        for (major_suffix, minor_suffix, last) in SHAPES {
            let Some(prefix) = name.strip_suffix(major_suffix) else {
                continue;
            };
            if prefix.is_empty() {
                continue;
            }
            let Some((minor, _)) = values.get(format!("{prefix}{minor_suffix}").as_str()) else {
                continue;
            };
            let patch = last
                .iter()
                .find_map(|s| values.get(format!("{prefix}{s}").as_str()));
            let version = match patch {
                Some((p, _)) => format!("{major}.{minor}.{p}"),
                None => format!("{major}.{minor}"),
            };
            let name = prefix.to_ascii_lowercase();
            if let Some(mut f) = found(path, text, at, Some(&name), &version, Kind::ComposedMacro) {
                f.stated.excerpt.push_str(" …");
                composed.push((at, f));
            }
            break;
        }
    }
    composed.sort_by_key(|(at, _)| *at);
    // A string macro of the same prefix says it whole; the parts add nothing.
    for (_, f) in composed {
        if !out.iter().any(|o| o.name == f.name) {
            out.push(f);
        }
    }
    out.sort_by_key(|f| f.stated.line);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(path: &str, text: &str) -> (Option<String>, String, usize) {
        let got = read(path, text);
        assert_eq!(got.len(), 1, "{path}: {got:?}");
        let f = &got[0];
        (f.name.clone(), f.stated.version.clone(), f.stated.line)
    }

    #[test]
    fn build_files() {
        let cmake = "cmake_minimum_required(VERSION 3.13)\nproject(LibYAML\n  VERSION 0.2.5\n  LANGUAGES C)\n";
        assert_eq!(
            one("x/CMakeLists.txt", cmake),
            (Some("LibYAML".into()), "0.2.5".into(), 2)
        );
        // The minimum CMake version is not the project's; a template never is a version.
        assert!(
            read(
                "CMakeLists.txt",
                "cmake_minimum_required(VERSION 3.4.0)\nproject(hiredis)\n"
            )
            .is_empty()
        );
        assert!(read("CMakeLists.txt", "project(x VERSION ${X_VERSION})\n").is_empty());
        let meson =
            "project('pixman', ['c'],\n  version : '0.42.2',\n  meson_version : '>= 0.52.0',\n)\n";
        assert_eq!(
            one("meson.build", meson),
            (Some("pixman".into()), "0.42.2".into(), 1)
        );
        assert_eq!(
            one(
                "configure.ac",
                "AC_PREREQ(2.69)\nAC_INIT([libffi], [3.4.4], [http://github.com/libffi/libffi/issues])\n"
            ),
            (Some("libffi".into()), "3.4.4".into(), 2)
        );
        assert_eq!(
            one("configure.in", "AC_INIT(zsh, 5.9)\n"),
            (Some("zsh".into()), "5.9".into(), 1)
        );
        assert!(
            read(
                "configure.ac",
                "AC_INIT([jemalloc], [m4_esyscmd(./VERSION)])\n"
            )
            .is_empty()
        );
        assert!(read("configure.ac", "AC_INIT([x], [@VERSION@])\n").is_empty());
    }

    #[test]
    fn manifests_and_version_files() {
        assert_eq!(
            one(
                "n/package.json",
                "{\n  \"name\": \"acorn\",\n  \"version\": \"8.10.0\"\n}\n"
            ),
            (Some("acorn".into()), "8.10.0".into(), 3)
        );
        assert_eq!(
            one(
                "c/Cargo.toml",
                "[package]\nname = \"memchr\"\nversion = \"2.7.4\"\n"
            )
            .1,
            "2.7.4"
        );
        assert!(
            read(
                "c/Cargo.toml",
                "[package]\nname = \"m\"\nversion.workspace = true\n"
            )
            .is_empty()
        );
        assert_eq!(
            one(
                "p/pyproject.toml",
                "[project]\nname = \"idna\"\nversion = \"3.10\"\n"
            ),
            (Some("idna".into()), "3.10".into(), 3)
        );
        assert!(
            read(
                "p/pyproject.toml",
                "[project]\nname = \"x\"\ndynamic = [\"version\"]\n"
            )
            .is_empty()
        );
        assert_eq!(
            one(
                "d/PKG-INFO",
                "Metadata-Version: 2.1\nName: six\nVersion: 1.16.0\n\nVersion: 9.9\n"
            ),
            (Some("six".into()), "1.16.0".into(), 3)
        );
        assert_eq!(
            one("jemalloc/VERSION", "5.2.1-0-g0\n"),
            (None, "5.2.1".into(), 1)
        );
        assert_eq!(one("x/VERSION", "5.2.1-7-gabc123\n").1, "5.2.1-7-gabc123");
        assert!(read("x/VERSION", "see the tags\n").is_empty());
    }

    #[test]
    fn header_macros() {
        let curl = "#define LIBCURL_COPYRIGHT \"Daniel Stenberg\"\n#define LIBCURL_VERSION \"7.86.0\"\n#define LIBCURL_VERSION_MAJOR 7\n#define LIBCURL_VERSION_MINOR 86\n#define LIBCURL_VERSION_PATCH 0\n";
        assert_eq!(
            one("curlver.h", curl),
            (Some("libcurl".into()), "7.86.0".into(), 2)
        );
        let hiredis = "#define HIREDIS_MAJOR 1\n#define HIREDIS_MINOR 0\n#define HIREDIS_PATCH 3\n#define HIREDIS_SONAME 1.0.3-dev\n";
        assert_eq!(
            one("hiredis.h", hiredis),
            (Some("hiredis".into()), "1.0.3".into(), 1)
        );
        let expat = "#define XML_MAJOR_VERSION 2\n#define XML_MINOR_VERSION 4\n#define XML_MICRO_VERSION 6\n";
        assert_eq!(one("expat.h", expat).1, "2.4.6");
        let lua = "#define LUA_VERSION\t\"Lua 5.1\"\n#define LUA_RELEASE\t\"Lua 5.1.5\"\n";
        assert_eq!(one("lua.h", lua), (Some("lua".into()), "5.1.5".into(), 2));
        let pdc =
            "#define PDC_VER_MAJOR   3\n#define PDC_VER_MINOR   9\n#define PDC_VERDOT   \"3.9\"\n";
        assert_eq!(one("curses.h", pdc), (Some("pdc".into()), "3.9".into(), 3));
        // Not versions: templates, numbers that are not parts, a compiler check.
        assert!(read("v.h", "#define FOO_VERSION \"@PACKAGE_VERSION@\"\n").is_empty());
        assert!(
            read(
                "v.h",
                "#define NCURSES_MOUSE_VERSION 2\n#define ZDICT_GCC_VERSION (__GNUC__ * 100)\n"
            )
            .is_empty()
        );
    }
}
