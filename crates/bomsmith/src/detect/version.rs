//! Built-in version detectors: where well-known projects state their own version.
//!
//! A detector is data: marker files that identify the project, and probes (a file and the
//! statements in it whose values, joined with `.`, are the version). Python distributions
//! get extra evidence from wheel names and `vendor.txt` pins, which need the project's name.
//! [`VersionProbe`] runs one of them (or a configured file and pattern) over a component's
//! directories of an input, so a declared version can be checked against its source.

use crate::glob::glob_base;
use crate::ident::python::{pep503, pin, wheel_name};
use crate::inventory::Inventory;
use regex::Regex;

/// A file that identifies a project: a path suffix (its last component may hold `*`) and a
/// regular expression its text must match.
#[derive(Debug, Clone, Copy)]
pub struct Marker {
    /// Path suffix, e.g. `expat.h` or `macholib/dyld.py`.
    pub suffix: &'static str,
    /// Must match somewhere in the file's text.
    pub contains: &'static str,
}

/// Where a version is stated: a path suffix and the statements that make the version.
#[derive(Debug, Clone, Copy)]
pub struct Probe {
    /// Path suffix of the file.
    pub suffix: &'static str,
    /// Statements, all of which must be present; their values, joined with `.`, give the
    /// version (`XML_MAJOR_VERSION`, `_MINOR_`, `_MICRO_`).
    pub parts: &'static [Statement],
}

/// A way source code states a value. Each is read line by line, without regular expressions,
/// so probing a header costs a scan for a literal. The value is the first word of the stated
/// text (words end at white space or `,`) and must start with a letter or digit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Statement {
    /// `#define NAME VALUE` or `#define NAME "VALUE ..."` (C preprocessor; space after `#`
    /// allowed). With a non-empty lead, the quoted text must start with it, and the value is
    /// the word after it (`"OpenSSL 3.0.16 11 Feb 2025"`).
    Define {
        /// Macro name.
        name: &'static str,
        /// Text before the value inside the quotes.
        lead: &'static str,
    },
    /// `NAME=VALUE` or `NAME="VALUE"` at the start of a line (shell variable).
    Shell(&'static str),
    /// `Name: VALUE` at the start of a line (package metadata header).
    Header(&'static str),
    /// `NAME = 'VALUE'` or with double quotes, at the start of a line (Python).
    Python(&'static str),
    /// `AC_INIT([PACKAGE], [VALUE]` (autoconf).
    AcInit(&'static str),
    /// A line `WORD VALUE` followed (perhaps on the next line) by ` - ` (libffi's banner).
    Banner(&'static str),
    /// The word after a literal anywhere in a line (`linenoise.h -- VERSION 1.0`).
    Text(&'static str),
    /// The file's first line, a version on its own (`VERSION` files). A `git describe`
    /// suffix naming no commit past the tag (`5.2.1-0-g0`) is dropped.
    FirstLine,
}

impl Statement {
    /// The literal every line stating this holds; lines without it are skipped quickly.
    fn needle(&self) -> &'static str {
        match *self {
            Statement::Define { name, .. }
            | Statement::Shell(name)
            | Statement::Header(name)
            | Statement::Python(name)
            | Statement::Banner(name)
            | Statement::Text(name) => name,
            Statement::AcInit(_) => "AC_INIT(",
            Statement::FirstLine => "",
        }
    }

    /// The first statement in `text`: (byte offset of its line, value).
    pub fn find<'t>(&self, text: &'t str) -> Option<(usize, &'t str)> {
        if *self == Statement::FirstLine {
            let line = text.trim_start_matches('\u{feff}').lines().next()?.trim();
            let value = strip_describe(line);
            return is_version(value).then_some((0, value));
        }
        let needle = self.needle();
        let finder = memchr::memmem::Finder::new(needle.as_bytes());
        let mut from = 0;
        while let Some(hit) = finder.find(&text.as_bytes()[from..]) {
            let at = from + hit;
            let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
            if let Some(value) = self.value(&text[start..end], &text[end..]) {
                return Some((start, value));
            }
            from = end.max(at + 1);
            if from >= text.len() {
                break;
            }
        }
        None
    }

    /// The value `line` states, if it states this; `after` is the text after the line.
    fn value<'t>(&self, line: &'t str, after: &'t str) -> Option<&'t str> {
        let value = match *self {
            Statement::Define { name, lead } => {
                let rest = line.trim_start().strip_prefix('#')?;
                let rest = after_word(after_word(rest, "define")?, name)?;
                match rest.strip_prefix('"') {
                    Some(quoted) => quoted.split('"').next()?.strip_prefix(lead)?,
                    None if lead.is_empty() => rest,
                    None => return None,
                }
            }
            Statement::Shell(name) => {
                let rest = line.strip_prefix(name)?.strip_prefix('=')?;
                match rest.strip_prefix('"') {
                    Some(quoted) => quoted.split('"').next()?,
                    None => rest,
                }
            }
            Statement::Header(name) => line.strip_prefix(name)?.strip_prefix(':')?,
            Statement::Python(name) => {
                let rest = line.strip_prefix(name)?.trim_start().strip_prefix('=')?;
                let rest = rest.trim_start();
                let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
                rest[1..].split(quote).next()?
            }
            Statement::AcInit(package) => {
                let rest = line.split_once("AC_INIT(")?.1.trim_start();
                let rest = rest
                    .strip_prefix('[')?
                    .strip_prefix(package)?
                    .strip_prefix(']')?;
                let rest = rest.trim_start().strip_prefix(',')?.trim_start();
                rest.strip_prefix('[')?.split(']').next()?
            }
            Statement::Text(lead) => line.split_once(lead)?.1,
            Statement::FirstLine => return None,
            Statement::Banner(word) => {
                let rest = after_word(line.trim_start(), word)?;
                let value = first_word(rest)?;
                let tail = rest.trim_start()[value.len()..].trim_start();
                let tail = if tail.is_empty() {
                    after.trim_start()
                } else {
                    tail
                };
                return (value.starts_with(|c: char| c.is_ascii_digit()) && tail.starts_with('-'))
                    .then_some(value);
            }
        };
        first_word(value)
    }
}

/// The text after `word` at the start of `s` (after white space), when `word` is followed by
/// white space.
fn after_word<'t>(s: &'t str, word: &str) -> Option<&'t str> {
    let rest = s.trim_start().strip_prefix(word)?;
    rest.starts_with([' ', '\t']).then(|| rest.trim_start())
}

/// `version` without a `git describe` suffix that names no commit past the tag:
/// `5.2.1-0-g0` is `5.2.1`; `5.2.1-3-gabc` (three commits later) stays as it is.
pub fn strip_describe(version: &str) -> &str {
    if let Some((tag, rest)) = version.rsplit_once("-0-g")
        && !tag.is_empty()
        && rest.chars().all(|c| c.is_ascii_hexdigit())
    {
        return tag;
    }
    version
}

/// True for text that reads as a release version: an optional `v`, a digit, then only
/// letters, digits and `.+-~_`, with at least one `.`. Template values (`@VERSION@`,
/// `${PROJECT_VERSION}`, `m4_esyscmd(...)`) never are.
pub fn is_version(s: &str) -> bool {
    let s = s.strip_prefix(['v', 'V']).unwrap_or(s);
    s.starts_with(|c: char| c.is_ascii_digit())
        && s.contains('.')
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-' | '~' | '_'))
}

/// The first word of `s`: up to white space or `,`; it must start with a letter or digit.
fn first_word(s: &str) -> Option<&str> {
    let s = s.trim_start();
    let end = s
        .find(|c: char| c.is_whitespace() || c == ',')
        .unwrap_or(s.len());
    let word = &s[..end];
    word.starts_with(|c: char| c.is_ascii_alphanumeric())
        .then_some(word)
}

/// A built-in detector.
#[derive(Debug, Clone, Copy)]
pub struct Detector {
    /// Name used in configuration (`detector = "expat"`) and as a candidate's name.
    pub name: &'static str,
    /// Files that identify the project (for `vendor detect`).
    pub markers: &'static [Marker],
    /// Where the project states its version.
    pub probes: &'static [Probe],
    /// Also look at Python distribution evidence (PKG-INFO, METADATA, wheels, `vendor.txt`).
    pub python: bool,
    /// NVD's CPE `vendor:product` for the project, where its CVE records name one.
    pub cpe: Option<&'static str>,
}

const PYTHON_PROBES: &[Probe] = &[
    Probe {
        suffix: "PKG-INFO",
        parts: &[Statement::Header("Version")],
    },
    Probe {
        suffix: "METADATA",
        parts: &[Statement::Header("Version")],
    },
    Probe {
        suffix: "__init__.py",
        parts: &[Statement::Python("__version__")],
    },
];

/// `#define NAME VALUE` with no lead.
const fn def(name: &'static str) -> Statement {
    Statement::Define { name, lead: "" }
}

/// A C library identified by `marker` (a file suffix and a pattern its text matches), its
/// version stated in the file `suffix` by `parts` (none: the source states no version).
const fn c_library(
    name: &'static str,
    markers: &'static [Marker],
    probes: &'static [Probe],
    cpe: Option<&'static str>,
) -> Detector {
    Detector {
        name,
        markers,
        probes,
        python: false,
        cpe,
    }
}

const fn mark(suffix: &'static str, contains: &'static str) -> Marker {
    Marker { suffix, contains }
}

const fn probe(suffix: &'static str, parts: &'static [Statement]) -> Probe {
    Probe { suffix, parts }
}

/// Every built-in detector, by name.
pub const DETECTORS: &[Detector] = &[
    Detector {
        name: "bzip2",
        markers: &[Marker {
            suffix: "bzlib.h",
            contains: r"BZ2_bzCompress",
        }],
        probes: &[Probe {
            suffix: "bzlib_private.h",
            parts: &[Statement::Define {
                name: "BZ_VERSION",
                lead: "",
            }],
        }],
        python: false,
        cpe: Some("bzip:bzip2"),
    },
    Detector {
        name: "expat",
        markers: &[Marker {
            suffix: "expat.h",
            contains: r"XML_MAJOR_VERSION",
        }],
        probes: &[
            Probe {
                suffix: "expat.h",
                parts: &[
                    Statement::Define {
                        name: "XML_MAJOR_VERSION",
                        lead: "",
                    },
                    Statement::Define {
                        name: "XML_MINOR_VERSION",
                        lead: "",
                    },
                    Statement::Define {
                        name: "XML_MICRO_VERSION",
                        lead: "",
                    },
                ],
            },
            // CPython's refresh script pins the release it copies the sources from.
            Probe {
                suffix: "refresh.sh",
                parts: &[Statement::Shell("expected_libexpat_version")],
            },
        ],
        python: false,
        cpe: Some("libexpat_project:libexpat"),
    },
    Detector {
        name: "hacl-star",
        markers: &[
            Marker {
                suffix: "Hacl_Streaming_Types.h",
                contains: r"HACL\*|INRIA",
            },
            Marker {
                suffix: "refresh.sh",
                contains: r"expected_hacl_star_rev=",
            },
        ],
        probes: &[Probe {
            suffix: "refresh.sh",
            parts: &[Statement::Shell("expected_hacl_star_rev")],
        }],
        python: false,
        cpe: Some("hacl-star:hacl-star"),
    },
    Detector {
        name: "libb2",
        markers: &[Marker {
            suffix: "blake2.h",
            contains: r"BLAKE2 reference source code package",
        }],
        // Upstream states it only in its build files, which vendored copies leave out.
        probes: &[Probe {
            suffix: "configure.ac",
            parts: &[Statement::AcInit("libb2")],
        }],
        python: false,
        cpe: Some("blake2:libb2"),
    },
    Detector {
        name: "libffi",
        markers: &[
            Marker {
                suffix: "ffi.h",
                contains: r"libffi",
            },
            Marker {
                suffix: "ffi.h.in",
                contains: r"libffi",
            },
        ],
        probes: &[
            Probe {
                suffix: "ffi.h",
                parts: &[Statement::Banner("libffi")],
            },
            Probe {
                suffix: "configure.ac",
                parts: &[Statement::AcInit("libffi")],
            },
            Probe {
                suffix: "fficonfig.h",
                parts: &[Statement::Define {
                    name: "PACKAGE_VERSION",
                    lead: "",
                }],
            },
        ],
        python: false,
        cpe: Some("libffi_project:libffi"),
    },
    Detector {
        name: "macholib",
        markers: &[Marker {
            suffix: "macholib/dyld.py",
            contains: r"dyld",
        }],
        probes: PYTHON_PROBES,
        python: true,
        cpe: Some("ronaldoussoren:macholib"),
    },
    Detector {
        name: "mpdecimal",
        markers: &[Marker {
            suffix: "mpdecimal.h",
            contains: r"MPD_VERSION",
        }],
        probes: &[Probe {
            suffix: "mpdecimal.h",
            parts: &[Statement::Define {
                name: "MPD_VERSION",
                lead: "",
            }],
        }],
        python: false,
        cpe: Some("bytereef:mpdecimal"),
    },
    Detector {
        name: "openssl",
        markers: &[Marker {
            suffix: "opensslv.h",
            contains: r"OPENSSL_VERSION",
        }],
        probes: &[Probe {
            suffix: "opensslv.h",
            parts: &[Statement::Define {
                name: "OPENSSL_VERSION_TEXT",
                lead: "OpenSSL ",
            }],
        }],
        python: false,
        cpe: Some("openssl:openssl"),
    },
    Detector {
        name: "python",
        markers: &[],
        probes: PYTHON_PROBES,
        python: true,
        cpe: None,
    },
    Detector {
        name: "sqlite",
        markers: &[Marker {
            suffix: "sqlite3.h",
            contains: r"SQLITE_VERSION",
        }],
        probes: &[Probe {
            suffix: "sqlite3.h",
            parts: &[Statement::Define {
                name: "SQLITE_VERSION",
                lead: "",
            }],
        }],
        python: false,
        cpe: Some("sqlite:sqlite"),
    },
    Detector {
        name: "xz",
        markers: &[Marker {
            suffix: "lzma/version.h",
            contains: r"LZMA_VERSION_MAJOR",
        }],
        probes: &[Probe {
            suffix: "lzma/version.h",
            parts: &[
                Statement::Define {
                    name: "LZMA_VERSION_MAJOR",
                    lead: "",
                },
                Statement::Define {
                    name: "LZMA_VERSION_MINOR",
                    lead: "",
                },
                Statement::Define {
                    name: "LZMA_VERSION_PATCH",
                    lead: "",
                },
            ],
        }],
        python: false,
        cpe: Some("tukaani:xz"),
    },
    Detector {
        name: "zlib",
        markers: &[Marker {
            suffix: "zlib.h",
            contains: r"ZLIB_VERSION",
        }],
        probes: &[Probe {
            suffix: "zlib.h",
            parts: &[Statement::Define {
                name: "ZLIB_VERSION",
                lead: "",
            }],
        }],
        python: false,
        cpe: Some("zlib:zlib"),
    },
    // Libraries vendored by many projects (cmake's Utilities, node's deps, redis's deps...),
    // each with the statement its own headers or files make of its version. The CPE
    // vendor:product is NVD's, as its CVE records for the library name it.
    c_library(
        "curl",
        &[mark("curl/curlver.h", r"LIBCURL_VERSION")],
        &[probe("curl/curlver.h", &[def("LIBCURL_VERSION")])],
        Some("haxx:curl"),
    ),
    c_library(
        "libarchive",
        &[mark("archive.h", r"ARCHIVE_VERSION_ONLY_STRING")],
        &[probe("archive.h", &[def("ARCHIVE_VERSION_ONLY_STRING")])],
        Some("libarchive:libarchive"),
    ),
    c_library(
        "zstd",
        &[mark("zstd.h", r"ZSTD_VERSION_MAJOR")],
        &[probe(
            "zstd.h",
            &[
                def("ZSTD_VERSION_MAJOR"),
                def("ZSTD_VERSION_MINOR"),
                def("ZSTD_VERSION_RELEASE"),
            ],
        )],
        Some("facebook:zstandard"),
    ),
    c_library(
        "nghttp2",
        &[mark("nghttp2/nghttp2ver.h", r"NGHTTP2_VERSION")],
        &[probe("nghttp2/nghttp2ver.h", &[def("NGHTTP2_VERSION")])],
        Some("nghttp2:nghttp2"),
    ),
    c_library(
        "libuv",
        &[mark("uv/version.h", r"UV_VERSION_MAJOR")],
        &[probe(
            "uv/version.h",
            &[
                def("UV_VERSION_MAJOR"),
                def("UV_VERSION_MINOR"),
                def("UV_VERSION_PATCH"),
            ],
        )],
        Some("libuv:libuv"),
    ),
    c_library(
        "jsoncpp",
        &[mark("json/version.h", r"JSONCPP_VERSION_STRING")],
        &[probe("json/version.h", &[def("JSONCPP_VERSION_STRING")])],
        None,
    ),
    c_library(
        "pdcurses",
        &[mark("curses.h", r"PDC_VER_MAJOR")],
        &[probe("curses.h", &[def("PDC_VERDOT")])],
        None,
    ),
    // RHash states its version only in its command-line tool, which vendored copies leave out.
    c_library("librhash", &[mark("rhash.h", r"rhash_init")], &[], None),
    c_library(
        "hiredis",
        &[mark("hiredis.h", r"HIREDIS_MAJOR")],
        &[probe(
            "hiredis.h",
            &[
                def("HIREDIS_MAJOR"),
                def("HIREDIS_MINOR"),
                def("HIREDIS_PATCH"),
            ],
        )],
        Some("redis:hiredis"),
    ),
    c_library(
        "jemalloc",
        &[
            mark("jemalloc_macros.h.in", r"JEMALLOC_VERSION"),
            mark("jemalloc/jemalloc.h", r"JEMALLOC_VERSION"),
        ],
        &[
            probe("VERSION", &[Statement::FirstLine]),
            probe("jemalloc/jemalloc.h", &[def("JEMALLOC_VERSION")]),
        ],
        None,
    ),
    c_library(
        "lua",
        &[mark("lua.h", r"LUA_RELEASE|LUA_VERSION_RELEASE")],
        &[
            probe(
                "lua.h",
                &[Statement::Define {
                    name: "LUA_RELEASE",
                    lead: "Lua ",
                }],
            ),
            probe(
                "lua.h",
                &[
                    def("LUA_VERSION_MAJOR"),
                    def("LUA_VERSION_MINOR"),
                    def("LUA_VERSION_RELEASE"),
                ],
            ),
        ],
        Some("lua:lua"),
    ),
    c_library(
        "linenoise",
        &[mark("linenoise.h", r"linenoise")],
        &[probe(
            "linenoise.h",
            &[Statement::Text("linenoise.h -- VERSION ")],
        )],
        None,
    ),
    c_library(
        "hdr_histogram",
        &[mark("hdr_histogram.h", r"hdr_histogram")],
        &[],
        None,
    ),
    c_library("tiny_sha3", &[mark("sha3.c", r"Saarinen")], &[], None),
    c_library(
        "libpng",
        &[mark("png.h", r"PNG_LIBPNG_VER_STRING")],
        &[probe("png.h", &[def("PNG_LIBPNG_VER_STRING")])],
        Some("libpng:libpng"),
    ),
    c_library(
        "freetype",
        &[mark("freetype/freetype.h", r"FREETYPE_MAJOR")],
        &[probe(
            "freetype/freetype.h",
            &[
                def("FREETYPE_MAJOR"),
                def("FREETYPE_MINOR"),
                def("FREETYPE_PATCH"),
            ],
        )],
        Some("freetype:freetype"),
    ),
    c_library(
        "harfbuzz",
        &[mark("hb-version.h", r"HB_VERSION_STRING")],
        &[probe("hb-version.h", &[def("HB_VERSION_STRING")])],
        Some("harfbuzz_project:harfbuzz"),
    ),
    c_library(
        "libxml2",
        &[mark("libxml/xmlversion.h", r"LIBXML_DOTTED_VERSION")],
        &[probe(
            "libxml/xmlversion.h",
            &[def("LIBXML_DOTTED_VERSION")],
        )],
        Some("xmlsoft:libxml2"),
    ),
    c_library(
        "pcre2",
        &[mark("pcre2.h", r"PCRE2_MAJOR")],
        &[probe("pcre2.h", &[def("PCRE2_MAJOR"), def("PCRE2_MINOR")])],
        Some("pcre:pcre2"),
    ),
    c_library(
        "c-ares",
        &[mark("ares_version.h", r"ARES_VERSION_STR")],
        &[probe("ares_version.h", &[def("ARES_VERSION_STR")])],
        Some("c-ares:c-ares"),
    ),
    c_library(
        "llhttp",
        &[mark("llhttp.h", r"LLHTTP_VERSION_MAJOR")],
        &[probe(
            "llhttp.h",
            &[
                def("LLHTTP_VERSION_MAJOR"),
                def("LLHTTP_VERSION_MINOR"),
                def("LLHTTP_VERSION_PATCH"),
            ],
        )],
        Some("llhttp:llhttp"),
    ),
    c_library(
        "lz4",
        &[mark("lz4.h", r"LZ4_VERSION_MAJOR")],
        &[probe(
            "lz4.h",
            &[
                def("LZ4_VERSION_MAJOR"),
                def("LZ4_VERSION_MINOR"),
                def("LZ4_VERSION_RELEASE"),
            ],
        )],
        None,
    ),
    c_library(
        "zlib-ng",
        &[mark("zlib-ng.h", r"ZLIBNG_VERSION")],
        &[probe("zlib-ng.h", &[def("ZLIBNG_VERSION")])],
        None,
    ),
    c_library(
        "tcl",
        &[mark("tcl.h", r"TCL_PATCH_LEVEL")],
        &[probe("tcl.h", &[def("TCL_PATCH_LEVEL")])],
        Some("tcl:tcl"),
    ),
    c_library(
        "tk",
        &[mark("tk.h", r"TK_PATCH_LEVEL")],
        &[probe("tk.h", &[def("TK_PATCH_LEVEL")])],
        Some("tcl:tk"),
    ),
    c_library(
        "libssh2",
        &[mark("libssh2.h", r"LIBSSH2_VERSION")],
        &[probe("libssh2.h", &[def("LIBSSH2_VERSION")])],
        Some("libssh2:libssh2"),
    ),
    c_library(
        "libgit2",
        &[mark("git2/version.h", r"LIBGIT2_VERSION")],
        &[probe("git2/version.h", &[def("LIBGIT2_VERSION")])],
        Some("libgit2_project:libgit2"),
    ),
    c_library(
        "mbedtls",
        &[mark("mbedtls/build_info.h", r"MBEDTLS_VERSION_STRING")],
        &[probe(
            "mbedtls/build_info.h",
            &[def("MBEDTLS_VERSION_STRING")],
        )],
        Some("arm:mbed_tls"),
    ),
    c_library(
        "wolfssl",
        &[mark("wolfssl/version.h", r"LIBWOLFSSL_VERSION_STRING")],
        &[probe(
            "wolfssl/version.h",
            &[def("LIBWOLFSSL_VERSION_STRING")],
        )],
        Some("wolfssl:wolfssl"),
    ),
    c_library(
        "icu",
        &[mark("unicode/uvernum.h", r"U_ICU_VERSION")],
        &[probe("unicode/uvernum.h", &[def("U_ICU_VERSION")])],
        Some("icu-project:international_components_for_unicode"),
    ),
    c_library(
        "libjpeg-turbo",
        &[mark("jconfig.h", r"LIBJPEG_TURBO_VERSION")],
        &[probe("jconfig.h", &[def("LIBJPEG_TURBO_VERSION")])],
        Some("libjpeg-turbo:libjpeg-turbo"),
    ),
];

/// The built-in detector called `name`.
pub fn detector(name: &str) -> Option<&'static Detector> {
    DETECTORS.iter().find(|d| d.name == name)
}

/// A place in the source that states a version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stated {
    /// Path from the tree root.
    pub file: String,
    /// 1-based line of the statement.
    pub line: usize,
    /// The version stated.
    pub version: String,
    /// The statement, trimmed to one line.
    pub excerpt: String,
}

/// True when `path` ends with `suffix` at a component boundary; `*` in the suffix's last
/// component matches any run of characters other than `/`.
pub fn has_suffix(path: &str, suffix: &str) -> bool {
    let (s_dir, s_name) = match suffix.rsplit_once('/') {
        Some((d, n)) => (Some(d), n),
        None => (None, suffix),
    };
    let (p_dir, p_name) = match path.rsplit_once('/') {
        Some((d, n)) => (d, n),
        None => ("", path),
    };
    if !name_matches(p_name, s_name) {
        return false;
    }
    match s_dir {
        None => true,
        Some(d) => p_dir == d || p_dir.ends_with(&format!("/{d}")),
    }
}

fn name_matches(name: &str, pattern: &str) -> bool {
    match pattern.split_once('*') {
        None => name == pattern,
        Some((head, tail)) => {
            name.len() >= head.len() + tail.len()
                && name.starts_with(head)
                && name_matches_rest(&name[head.len()..], tail)
        }
    }
}

fn name_matches_rest(name: &str, pattern: &str) -> bool {
    match pattern.split_once('*') {
        None => name.ends_with(pattern),
        Some((mid, tail)) => name
            .match_indices(mid)
            .any(|(i, _)| name_matches_rest(&name[i + mid.len()..], tail)),
    }
}

/// Runs `pattern` over `text` (from `file`): the first match, its groups joined with `.`.
pub fn probe_text(file: &str, text: &str, pattern: &Regex) -> Option<Stated> {
    let caps = pattern.captures(text)?;
    let version = caps
        .iter()
        .skip(1)
        .flatten()
        .map(|m| m.as_str())
        .collect::<Vec<_>>()
        .join(".");
    if version.is_empty() {
        return None;
    }
    let whole = caps.get(0)?;
    let line = text[..whole.start()].matches('\n').count() + 1;
    let first_line = whole.as_str().lines().next().unwrap_or("").trim();
    let mut excerpt: String = first_line.chars().take(100).collect();
    if whole.as_str().trim_end().contains('\n') {
        excerpt.push_str(" …");
    }
    Some(Stated {
        file: file.to_owned(),
        line,
        version,
        excerpt,
    })
}

/// Looks for each of `parts` in `text` (from `file`): the values they state joined with `.`;
/// the place and excerpt are the first part's. `None` unless every part is stated.
pub fn probe_parts(file: &str, text: &str, parts: &[Statement]) -> Option<Stated> {
    let mut first = None;
    let mut version = Vec::with_capacity(parts.len());
    for part in parts {
        let (start, value) = part.find(text)?;
        version.push(value);
        first.get_or_insert(start);
    }
    let start = first?;
    let line_text = text[start..].lines().next().unwrap_or("").trim();
    let mut excerpt: String = line_text.chars().take(100).collect();
    if parts.len() > 1 {
        excerpt.push_str(" …");
    }
    Some(Stated {
        file: file.to_owned(),
        line: memchr::memchr_iter(b'\n', &text.as_bytes()[..start]).count() + 1,
        version: strip_describe(&version.join(".")).to_owned(),
        excerpt,
    })
}

/// Reads files for detectors; `None` when a file cannot be read as text.
pub trait Source {
    /// The text of `path` (from the tree root).
    fn text(&self, path: &str) -> Option<String>;
}

impl Source for Inventory {
    fn text(&self, path: &str) -> Option<String> {
        Inventory::text(self, path)
    }
}

/// What `det` finds among `files` (paths from the tree root) for a project called `name`.
pub fn detect(det: &Detector, name: &str, files: &[&str], source: &dyn Source) -> Vec<Stated> {
    let mut found = Vec::new();
    for probe in det.probes {
        for path in files.iter().filter(|p| has_suffix(p, probe.suffix)) {
            if let Some(e) = source
                .text(path)
                .and_then(|text| probe_parts(path, &text, probe.parts))
            {
                found.push(e);
            }
        }
    }
    if det.python {
        found.extend(python_evidence(name, files, source));
    }
    found.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    found.dedup();
    found
}

/// Statements in wheel file names and `vendor.txt` pins naming the project `name`.
pub fn python_evidence(name: &str, files: &[&str], source: &dyn Source) -> Vec<Stated> {
    let wanted = pep503(name);
    let mut found = Vec::new();
    for path in files {
        let file_name = path.rsplit('/').next().unwrap_or(path);
        if let Some((project, version)) = wheel_name(file_name)
            && pep503(project) == wanted
        {
            found.push(Stated {
                file: (*path).to_owned(),
                line: 0,
                version: version.to_owned(),
                excerpt: format!("wheel {file_name}"),
            });
        }
        if file_name == "vendor.txt"
            && let Some(text) = source.text(path)
        {
            for (i, line) in text.lines().enumerate() {
                if let Some((project, version)) = pin(line)
                    && pep503(project) == wanted
                {
                    found.push(Stated {
                        file: (*path).to_owned(),
                        line: i + 1,
                        version: version.to_owned(),
                        excerpt: line.trim().to_owned(),
                    });
                }
            }
        }
    }
    found
}

/// Where a component's version may be stated.
#[derive(Debug, Clone)]
pub enum VersionSource {
    /// A built-in detector.
    Builtin(&'static Detector),
    /// A file (from the root) and a pattern whose groups, joined with `.`, are the version.
    File {
        /// The file.
        path: String,
        /// The pattern.
        pattern: Regex,
    },
    /// The source is known not to state it.
    NotStated,
    /// No built-in detector fits and none is configured.
    Unknown,
}

/// Looks for what a component's source says of its version: in the files under the
/// directories its include globs start from, or in its configured version file.
#[derive(Debug, Clone)]
pub struct VersionProbe {
    /// The component's name (Python evidence looks for it).
    pub component: String,
    /// Directories (from the root) that hold the component's files.
    pub bases: Vec<String>,
    /// Where the version is stated.
    pub source: VersionSource,
}

/// What the source says of a component's version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentVersion {
    /// The component.
    pub component: String,
    /// What was found.
    pub outcome: VersionOutcome,
}

/// The outcome of looking for a component's version in its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionOutcome {
    /// Statements of the version.
    Found(Vec<Stated>),
    /// The detector found no statement, or the component is known not to state it.
    NotStated,
    /// No built-in detector fits and none is configured.
    NoDetector,
    /// The configured version file is absent or its pattern does not match it.
    FileMissing(String),
}

impl VersionProbe {
    /// A probe over the directories `includes` (globs from the root) start from.
    pub fn new(component: &str, includes: &[&str], source: VersionSource) -> Self {
        VersionProbe {
            component: component.to_owned(),
            bases: includes.iter().map(|g| glob_base(g)).collect(),
            source,
        }
    }

    fn under_bases(&self, path: &str) -> bool {
        self.bases.iter().any(|b| {
            b.is_empty()
                || path
                    .strip_prefix(b.as_str())
                    .is_some_and(|r| r.starts_with('/'))
        })
    }

    /// What the probe finds in the files of `source` (`files`: every file of the input, as
    /// paths from the root, sorted).
    pub fn outcome(&self, files: &[&str], source: &dyn Source) -> VersionOutcome {
        let det = match &self.source {
            VersionSource::File { path, pattern } => {
                let found = files
                    .binary_search(&path.as_str())
                    .ok()
                    .and_then(|_| source.text(path))
                    .and_then(|text| probe_text(path, &text, pattern));
                return match found {
                    Some(e) => VersionOutcome::Found(vec![e]),
                    None => VersionOutcome::FileMissing(path.clone()),
                };
            }
            VersionSource::NotStated => return VersionOutcome::NotStated,
            VersionSource::Unknown => return VersionOutcome::NoDetector,
            VersionSource::Builtin(det) => det,
        };
        let mut mine: Vec<&str> = files
            .iter()
            .copied()
            .filter(|p| self.under_bases(p))
            .collect();
        mine.dedup();
        let found = detect(det, &self.component, &mine, source);
        if found.is_empty() {
            VersionOutcome::NotStated
        } else {
            VersionOutcome::Found(found)
        }
    }
}

impl super::Detector for VersionProbe {
    fn wants(&self, path: &str) -> bool {
        match &self.source {
            VersionSource::File { path: file, .. } => path == file,
            VersionSource::Builtin(det) => {
                self.under_bases(path)
                    && (det.probes.iter().any(|p| has_suffix(path, p.suffix))
                        || (det.python && path.rsplit('/').next() == Some("vendor.txt")))
            }
            VersionSource::NotStated | VersionSource::Unknown => false,
        }
    }

    fn detect(&self, inventory: &Inventory, found: &mut Vec<super::Evidence>) -> crate::Result<()> {
        let files: Vec<&str> = inventory.under("").collect();
        found.push(super::Evidence::Version(ComponentVersion {
            component: self.component.clone(),
            outcome: self.outcome(&files, inventory),
        }));
        Ok(())
    }
}

/// Versions compare equal when they differ only by a leading `v`.
pub fn same_version(a: &str, b: &str) -> bool {
    a.trim_start_matches(['v', 'V']) == b.trim_start_matches(['v', 'V'])
}

/// `NAME is declared as X, but FILE:LINE says Y`.
pub fn drift_message(name: &str, declared: &str, stated: &Stated) -> String {
    format!(
        "{name} is declared as {declared}, but {}{} says {}",
        stated.file,
        if stated.line > 0 {
            format!(":{}", stated.line)
        } else {
            String::new()
        },
        stated.version
    )
}

/// The first statement that disagrees with `declared`, if any.
pub fn first_disagreement<'a>(declared: &str, stated: &'a [Stated]) -> Option<&'a Stated> {
    stated.iter().find(|e| !same_version(&e.version, declared))
}

/// `path:line: excerpt (version)`.
pub fn describe(e: &Stated) -> String {
    if e.line > 0 {
        format!("{}:{}: {} ({})", e.file, e.line, e.excerpt, e.version)
    } else {
        format!("{}: {} ({})", e.file, e.excerpt, e.version)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Files(HashMap<&'static str, &'static str>);
    impl Source for Files {
        fn text(&self, path: &str) -> Option<String> {
            self.0.get(path).map(|s| (*s).to_owned())
        }
    }

    fn run(name: &str, files: &[(&'static str, &'static str)]) -> Vec<(String, String)> {
        run_for(name, name, files)
    }

    fn run_for(
        detector_name: &str,
        project: &str,
        files: &[(&'static str, &'static str)],
    ) -> Vec<(String, String)> {
        let source = Files(files.iter().copied().collect());
        let paths: Vec<&str> = files.iter().map(|(p, _)| *p).collect();
        let det = detector(detector_name).expect("known detector");
        detect(det, project, &paths, &source)
            .into_iter()
            .map(|e| (format!("{}:{}", e.file, e.line), e.version))
            .collect()
    }

    fn one(name: &str, path: &'static str, text: &'static str) -> String {
        let got = run(name, &[(path, text)]);
        assert_eq!(got.len(), 1, "{name}: {got:?}");
        got[0].1.clone()
    }

    // The statements below are laid out as the projects' own headers lay them out.
    #[test]
    fn c_libraries() {
        assert_eq!(
            one(
                "expat",
                "lib/expat.h",
                "/* x */\n#define XML_MAJOR_VERSION 2\n#define XML_MINOR_VERSION 7\n#define XML_MICRO_VERSION 1\n"
            ),
            "2.7.1"
        );
        assert_eq!(
            one(
                "zlib",
                "zlib/zlib.h",
                "#define ZLIB_VERSION \"1.3.1\"\n#define ZLIB_VERNUM 0x1310\n"
            ),
            "1.3.1"
        );
        assert_eq!(
            one(
                "sqlite",
                "sqlite3.h",
                "#define SQLITE_VERSION        \"3.49.1\"\n#define SQLITE_VERSION_NUMBER 3049001\n"
            ),
            "3.49.1"
        );
        assert_eq!(
            one(
                "openssl",
                "include/openssl/opensslv.h",
                "# define OPENSSL_VERSION_STR \"3.0.16\"\n# define OPENSSL_VERSION_TEXT \"OpenSSL 3.0.16 11 Feb 2025\"\n"
            ),
            "3.0.16"
        );
        assert_eq!(
            one(
                "openssl",
                "include/openssl/opensslv.h",
                "# define OPENSSL_VERSION_TEXT    \"OpenSSL 1.1.1w  11 Sep 2023\"\n"
            ),
            "1.1.1w"
        );
        assert_eq!(
            one(
                "libffi",
                "include/ffi.h",
                "/* -----------------------------------------------------------------*-C-*-\n   libffi 3.4.4\n    - Copyright (c) 2011, 2014, 2019, 2021, 2022 Anthony Green\n"
            ),
            "3.4.4"
        );
        assert_eq!(
            one(
                "xz",
                "src/liblzma/api/lzma/version.h",
                "#define LZMA_VERSION_MAJOR 5\n#define LZMA_VERSION_MINOR 2\n#define LZMA_VERSION_PATCH 5\n#define LZMA_VERSION_STABILITY LZMA_VERSION_STABILITY_STABLE\n"
            ),
            "5.2.5"
        );
        assert_eq!(
            one(
                "bzip2",
                "bzlib_private.h",
                "#define BZ_VERSION  \"1.0.8, 13-Jul-2019\"\n"
            ),
            "1.0.8"
        );
        assert_eq!(
            one(
                "mpdecimal",
                "libmpdec/mpdecimal.h",
                "#define MPD_MAJOR_VERSION 2\n#define MPD_VERSION \"2.5.1\"\n"
            ),
            "2.5.1"
        );
        assert_eq!(
            one(
                "hacl-star",
                "_hacl/refresh.sh",
                "# x\nexpected_hacl_star_rev=bb3d0dc8d9d15a5cd51094d5b69e70aa09005ff0\n"
            ),
            "bb3d0dc8d9d15a5cd51094d5b69e70aa09005ff0"
        );
        // A suffix must end at a component boundary, and the wrong file is not read.
        assert!(run("zlib", &[("myzlib.h", "#define ZLIB_VERSION \"9\"\n")]).is_empty());
        assert!(run("xz", &[("version.h", "#define LZMA_VERSION_MAJOR 5\n")]).is_empty());
    }

    #[test]
    fn python_distributions() {
        let got = run_for(
            "python",
            "IDNA",
            &[
                (
                    "v/PKG-INFO",
                    "Metadata-Version: 2.1\nName: idna\nVersion: 3.10\n",
                ),
                (
                    "v/idna-3.10.dist-info/METADATA",
                    "Name: idna\nVersion: 3.10\n",
                ),
                ("v/pip-25.1.1-py3-none-any.whl", ""),
                ("v/idna-3.10-py3-none-any.whl", ""),
                (
                    "v/vendor.txt",
                    "# pins\nrequests==2.32.3\nidna==3.10 ; python_version > '3'\n",
                ),
                ("v/idna/__init__.py", "__version__ = '3.10'\n"),
            ],
        );
        assert_eq!(
            got,
            [
                ("v/PKG-INFO:3", "3.10"),
                ("v/idna-3.10-py3-none-any.whl:0", "3.10"),
                ("v/idna-3.10.dist-info/METADATA:2", "3.10"),
                ("v/idna/__init__.py:1", "3.10"),
                ("v/vendor.txt:3", "3.10"),
            ]
            .map(|(a, b)| (a.to_owned(), b.to_owned()))
        );
    }

    #[test]
    fn statements_are_read_strictly() {
        let define = Statement::Define {
            name: "V",
            lead: "",
        };
        assert_eq!(define.find("#define V 2\n"), Some((0, "2")));
        assert_eq!(define.find("x\n#  define\tV \"1.2\"\n"), Some((2, "1.2")));
        assert_eq!(define.find("#define VV 2\n#define V_X 3\n"), None);
        assert_eq!(define.find("// #define V 2\n"), None);
        assert_eq!(define.find("#define V \"\"\n"), None);
        let shell = Statement::Shell("rev");
        assert_eq!(shell.find("rev=abc\n"), Some((0, "abc")));
        assert_eq!(shell.find("  rev=abc\nprev=x\n"), None);
        assert_eq!(shell.find("rev=\"2.7.1\"\n"), Some((0, "2.7.1")));
        let ac = Statement::AcInit("libb2");
        assert_eq!(
            ac.find("AC_INIT([libb2], [0.98.1], [x])\n"),
            Some((0, "0.98.1"))
        );
        assert_eq!(ac.find("AC_INIT([libb2x], [0.98.1])\n"), None);
        let py = Statement::Python("__version__");
        assert_eq!(py.find("__version__ = \"1.0\"\n"), Some((0, "1.0")));
        assert_eq!(py.find("__version__ = VERSION\n"), None);
        let banner = Statement::Banner("libffi");
        assert_eq!(banner.find("   libffi 3.4.4 - x\n"), Some((0, "3.4.4")));
        assert_eq!(banner.find("libffi 3.4.4 is\n"), None);
        assert_eq!(Statement::Header("Version").find("Version:\n"), None);
    }

    #[test]
    fn every_marker_compiles() {
        for d in DETECTORS {
            for m in d.markers {
                Regex::new(m.contains).expect("marker pattern");
            }
        }
        assert!(has_suffix("a/b/lzma/version.h", "lzma/version.h"));
        assert!(!has_suffix("a/b/xlzma/version.h", "lzma/version.h"));
        assert!(has_suffix("Modules/_hacl/Hacl_Hash_MD5.c", "Hacl_*.c"));
        assert!(!has_suffix("Modules/_hacl/Hacl_Hash_MD5.h", "Hacl_*.c"));
    }
}
