//! Glob patterns, in the two dialects bomsmith needs.
//!
//! - [`Glob`]: paths from a tree root matched as Python's `glob.glob(pattern, recursive=True)`
//!   finds files. CPython's SBOM tooling lists vendored files that way, so an in-tree SBOM
//!   regenerated with the same configuration is byte-identical only with these rules (hidden
//!   names are not matched by wildcards; `**` spans directories; no braces).
//! - [`PathGlob`] and [`Excludes`]: the usual shell-style patterns (`globset`, with `*` staying
//!   inside one name and `{a,b}` alternatives) for choosing files of an input: what to leave
//!   out, where a bundled wheel sits.

use crate::error::{Error, Result};
use globset::{GlobBuilder, GlobMatcher, GlobSet, GlobSetBuilder};

/// The directory a glob starts from: its leading components without wildcards.
pub fn glob_base(pattern: &str) -> String {
    let parts: Vec<&str> = pattern.split('/').collect();
    parts[..parts.len() - 1]
        .iter()
        .take_while(|p| !has_magic(p))
        .copied()
        .collect::<Vec<_>>()
        .join("/")
}

/// Python's test for a wildcard: any of `*`, `?`, `[`.
fn has_magic(part: &str) -> bool {
    part.contains(['*', '?', '['])
}

/// An include or exclude glob, matched as Python's `glob.glob(pattern, recursive=True)` (which
/// CPython's generator uses) finds a file: paths from the tree root; `*`, `?` and `[...]`
/// (`[!...]` negated) stay inside one name; a `**` component spans any number of directories,
/// none of them hidden; a wildcard does not match a name starting with `.` unless its pattern
/// does. Braces and backslashes are ordinary characters, as in Python.
#[derive(Debug, Clone)]
pub struct Glob {
    /// The pattern as written.
    pub pattern: String,
    parts: Vec<Part>,
    base: String,
}

#[derive(Debug, Clone)]
enum Part {
    /// `**`.
    Deep,
    /// A name without wildcards.
    Literal(String),
    /// A name pattern; `hidden` when it starts with `.` (and so may match hidden names).
    Wild { tokens: Vec<Token>, hidden: bool },
}

#[derive(Debug, Clone)]
enum Token {
    Char(char),
    One,
    Star,
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
}

impl Glob {
    /// Parses `pattern`. It must be relative and stay inside the tree: no leading `/`, no
    /// empty, `.` or `..` component. The error is a message for the caller to place.
    pub fn parse(pattern: &str) -> std::result::Result<Self, String> {
        if pattern.is_empty() {
            return Err("a glob cannot be empty".into());
        }
        if pattern.starts_with('/') {
            return Err(format!(
                "`{pattern}` is absolute; globs are relative to the tree root"
            ));
        }
        let mut parts = Vec::new();
        for name in pattern.split('/') {
            match name {
                "" => return Err(format!("`{pattern}` has an empty path component")),
                "." | ".." => {
                    return Err(format!(
                        "`{pattern}` has a `{name}` component; globs stay inside the tree"
                    ));
                }
                "**" => parts.push(Part::Deep),
                _ if has_magic(name) => parts.push(Part::Wild {
                    tokens: tokenize(name),
                    hidden: name.starts_with('.'),
                }),
                _ => parts.push(Part::Literal(name.to_owned())),
            }
        }
        Ok(Glob {
            pattern: pattern.to_owned(),
            parts,
            base: glob_base(pattern),
        })
    }

    /// Like [`Glob::parse`], the error naming the glob.
    pub fn new(pattern: &str) -> Result<Self> {
        Glob::parse(pattern).map_err(|e| Error::invalid("glob", e))
    }

    /// The directory the glob starts from (`""` for the root).
    pub fn base(&self) -> &str {
        &self.base
    }

    /// True when the glob matches the file `path`.
    pub fn matches(&self, path: &str) -> bool {
        let names: Vec<&str> = path.split('/').collect();
        match_parts(&self.parts, &names)
    }
}

fn match_parts(parts: &[Part], names: &[&str]) -> bool {
    let Some((part, rest)) = parts.split_first() else {
        return names.is_empty();
    };
    match part {
        Part::Deep => {
            // Zero or more directories (last in the pattern: at least the file itself), none
            // of them hidden.
            let least = usize::from(rest.is_empty());
            (0..=names.len())
                .take_while(|&k| k == 0 || !names[k - 1].starts_with('.'))
                .any(|k| k >= least && match_parts(rest, &names[k..]))
        }
        Part::Literal(lit) => {
            names.first().is_some_and(|n| n == lit) && match_parts(rest, &names[1..])
        }
        Part::Wild { tokens, hidden } => names.first().is_some_and(|n| {
            (*hidden || !n.starts_with('.'))
                && match_name(tokens, n)
                && match_parts(rest, &names[1..])
        }),
    }
}

/// Splits one name pattern into tokens as Python's `fnmatch` reads it: an unclosed `[` is an
/// ordinary character, and a `]` right after `[` or `[!` belongs to the class.
fn tokenize(pattern: &str) -> Vec<Token> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (token, next) = match chars[i] {
            '*' => (Token::Star, i + 1),
            '?' => (Token::One, i + 1),
            '[' => class(&chars, i + 1).unwrap_or((Token::Char('['), i + 1)),
            c => (Token::Char(c), i + 1),
        };
        if !(matches!(token, Token::Star) && matches!(tokens.last(), Some(Token::Star))) {
            tokens.push(token);
        }
        i = next;
    }
    tokens
}

/// The class whose `[` is just before `start`, and the index after its `]`.
fn class(chars: &[char], start: usize) -> Option<(Token, usize)> {
    let negated = chars.get(start) == Some(&'!');
    let first = start + usize::from(negated);
    let mut i = first;
    let mut ranges = Vec::new();
    loop {
        let c = *chars.get(i)?;
        if c == ']' && i > first {
            return Some((Token::Class { negated, ranges }, i + 1));
        }
        if chars.get(i + 1) == Some(&'-') && chars.get(i + 2).is_some_and(|&d| d != ']') {
            ranges.push((c, chars[i + 2]));
            i += 3;
        } else {
            ranges.push((c, c));
            i += 1;
        }
    }
}

/// Matches one name against tokens. On a mismatch only the last star backtracks, which is
/// enough because every other token takes exactly one character.
fn match_name(tokens: &[Token], name: &str) -> bool {
    let chars: Vec<char> = name.chars().collect();
    let (mut t, mut c) = (0, 0);
    let mut resume: Option<(usize, usize)> = None;
    while c < chars.len() {
        let step = match tokens.get(t) {
            Some(Token::Star) => {
                resume = Some((t, c));
                t += 1;
                continue;
            }
            Some(Token::One) => true,
            Some(Token::Char(x)) => *x == chars[c],
            Some(Token::Class { negated, ranges }) => {
                ranges
                    .iter()
                    .any(|&(lo, hi)| lo <= chars[c] && chars[c] <= hi)
                    != *negated
            }
            None => false,
        };
        if step {
            t += 1;
            c += 1;
        } else if let Some((star, at)) = resume {
            resume = Some((star, at + 1));
            t = star + 1;
            c = at + 1;
        } else {
            return false;
        }
    }
    tokens[t..].iter().all(|tok| matches!(tok, Token::Star))
}

/// A shell-style pattern matched against a whole `/`-separated path (`*` and `?` stay inside
/// one name, `**` crosses directories, `{a,b}` alternatives).
#[derive(Debug, Clone)]
pub struct PathGlob {
    matcher: GlobMatcher,
}

impl PathGlob {
    /// Compiles `pattern`; the error is a message for the caller to place.
    pub fn new(pattern: &str) -> std::result::Result<Self, String> {
        GlobBuilder::new(pattern)
            .literal_separator(true)
            .build()
            .map(|g| PathGlob {
                matcher: g.compile_matcher(),
            })
            .map_err(|e| e.kind().to_string())
    }

    /// True when the pattern matches `path`.
    pub fn is_match(&self, path: &str) -> bool {
        self.matcher.is_match(path)
    }
}

/// Patterns of paths to leave out of an input. A pattern without `/` matches a name at any
/// depth; one with `/` matches the path from the root. A path is left out when it, or any
/// directory it is in, matches.
#[derive(Debug, Clone)]
pub struct Excludes {
    by_path: GlobSet,
    by_name: GlobSet,
    /// Paths left out exactly as they are, whatever characters they hold.
    exact: Vec<String>,
    empty: bool,
}

impl Default for Excludes {
    fn default() -> Self {
        Excludes {
            by_path: GlobSet::empty(),
            by_name: GlobSet::empty(),
            exact: Vec::new(),
            empty: true,
        }
    }
}

impl Excludes {
    /// Compiles `patterns`; `what` names their origin in errors (`exclude pattern`).
    pub fn new(patterns: &[String], what: &str) -> Result<Self> {
        let mut by_path = GlobSetBuilder::new();
        let mut by_name = GlobSetBuilder::new();
        for p in patterns {
            let trimmed = p.trim_start_matches("./").trim_end_matches('/');
            let glob = GlobBuilder::new(trimmed)
                .literal_separator(true)
                .build()
                .map_err(|e| Error::invalid(what, format!("`{p}`: {}", e.kind())))?;
            if trimmed.contains('/') {
                by_path.add(glob);
            } else {
                by_name.add(glob);
            }
        }
        let build = |b: GlobSetBuilder| b.build().map_err(|e| Error::invalid(what, e.to_string()));
        Ok(Excludes {
            by_path: build(by_path)?,
            by_name: build(by_name)?,
            exact: Vec::new(),
            empty: patterns.is_empty(),
        })
    }

    /// Also leaves out exactly the path `rel` (no pattern characters: a file named `[x].json`
    /// is that file).
    pub fn leave_out(&mut self, rel: impl Into<String>) {
        self.exact.push(rel.into());
        self.empty = false;
    }

    /// True when no pattern was given.
    pub fn is_empty(&self) -> bool {
        self.empty
    }

    /// True when `rel` itself (a `/`-separated relative path) matches a pattern.
    pub fn matches(&self, rel: &str) -> bool {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        self.by_path.is_match(rel)
            || self.by_name.is_match(name)
            || self.exact.iter().any(|e| e == rel)
    }

    /// True when `rel` or a directory it is in matches a pattern.
    pub fn covers(&self, rel: &str) -> bool {
        self.covers_at(rel, &['/'])
    }

    /// Like [`Excludes::covers`] for a file inside an archive nested in the input, named
    /// `outer!inner/path`: `!` separates like `/`, so the nested archive is a directory that
    /// takes its contents along, and a name pattern also matches names inside it.
    pub fn covers_nested(&self, rel: &str) -> bool {
        self.covers_at(rel, &['/', '!'])
    }

    fn covers_at(&self, rel: &str, separators: &[char]) -> bool {
        if self.empty {
            return false;
        }
        rel.match_indices(separators)
            .map(|(i, _)| &rel[..i])
            .chain(std::iter::once(rel))
            .any(|prefix| {
                let name = prefix.rsplit(separators).next().unwrap_or(prefix);
                self.by_path.is_match(prefix)
                    || self.by_name.is_match(name)
                    || self.exact.iter().any(|e| e == prefix)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_names_separate_at_the_bang() {
        let ex = Excludes::new(
            &["tests".into(), "vendor/*.tar.gz".into(), "*.txt".into()],
            "test",
        )
        .expect("valid");
        assert!(ex.covers_nested("a.tgz!pkg/tests/t.c"), "a name inside");
        assert!(
            ex.covers_nested("a.tgz!tests/t.c"),
            "the nested root's first name"
        );
        assert!(
            ex.covers_nested("vendor/dep.tar.gz!dep/src/n.c"),
            "the archive's contents"
        );
        assert!(ex.covers_nested("x.zip!n.txt"));
        assert!(!ex.covers_nested("x.zip!src/n.c"));
        // Outside nested names, `!` is an ordinary character.
        assert!(!ex.covers("tests!odd/file.c"));
        assert!(ex.covers_nested("tests!odd/file.c"));
    }

    #[test]
    fn exclude_patterns() {
        let ex = Excludes::new(
            &["*.pyc".into(), "build/".into(), "docs/*.md".into()],
            "test",
        )
        .expect("valid");
        assert!(ex.covers("a/b/c.pyc"));
        assert!(ex.covers("x/build"));
        assert!(
            ex.covers("x/build/deep/file.c"),
            "inside an excluded directory"
        );
        assert!(ex.covers("docs/a.md"));
        assert!(!ex.covers("docs/sub/a.md"));
        assert!(!ex.covers("src/main.rs"));
        assert!(!Excludes::default().covers("anything"));
        assert!(Excludes::new(&["[".into()], "test").is_err());
        let g = PathGlob::new("Lib/ensurepip/_bundled/pip-*.whl").expect("valid");
        assert!(g.is_match("Lib/ensurepip/_bundled/pip-25.1.1-py3-none-any.whl"));
        assert!(!g.is_match("Lib/ensurepip/_bundled/x/pip-1.whl"));
    }

    #[test]
    fn globs_follow_python_rules() {
        let g = Glob::new("Modules/expat/**").expect("glob");
        assert_eq!(g.base(), "Modules/expat");
        assert!(g.matches("Modules/expat/expat.h"));
        assert!(g.matches("Modules/expat/sub/x.c"));
        assert!(!g.matches("Modules/expat/.gitignore"));
        assert!(!g.matches("Modules/expat/.hidden/x.c"));
        assert!(!g.matches("Modules/expatx/a.h"));
        let star = Glob::new("src/*.c").expect("glob");
        assert!(star.matches("src/a.c"));
        assert!(!star.matches("src/b/a.c"));
        let dot = Glob::new("lib/.config/*").expect("glob");
        assert!(dot.matches("lib/.config/x"));
        assert_eq!(glob_base("a/b/*.c"), "a/b");
        assert_eq!(glob_base("**"), "");
        assert_eq!(glob_base("a/exact.h"), "a");
        assert_eq!(glob_base("a/[bc]/x/*.h"), "a");
    }

    /// Cases checked against Python 3.11's `glob.glob(recursive=True)` / `fnmatch`.
    #[test]
    fn globs_match_as_python_does() {
        let cases: &[(&str, &str, bool)] = &[
            ("a/**/x.c", "a/x.c", true),
            ("a/**/x.c", "a/b/c/x.c", true),
            ("a/**/x.c", "a/.b/x.c", false),
            ("a/**", "a", false),
            ("a/**/*", "a/b", true),
            ("**/*.h", "x.h", true),
            ("**/*.h", "d/e/x.h", true),
            ("a/*", "a/.x", false),
            ("a/.*", "a/.x", true),
            ("a/.x", "a/.x", true),
            ("a/x?.c", "a/x1.c", true),
            ("a/x?.c", "a/x.c", false),
            ("a/[ab].c", "a/b.c", true),
            ("a/[!ab].c", "a/b.c", false),
            ("a/[!ab].c", "a/c.c", true),
            ("a/[a-c]*", "a/cat", true),
            ("a/[a-c]*", "a/dog", false),
            ("a/[]x].c", "a/].c", true),
            ("a/[x.c", "a/[x.c", true),
            ("a/{b,c}.c", "a/b.c", false),
            ("a/{b,c}.c", "a/{b,c}.c", true),
            ("a/*x*y", "a/xxyxy", true),
            ("a/*x*y", "a/xxyx", false),
            ("a/**/b/*.c", "a/b/b/z.c", true),
            ("a/*.c", "a/b/z.c", false),
        ];
        for (pattern, path, want) in cases {
            let g = Glob::new(pattern).expect("glob");
            assert_eq!(g.matches(path), *want, "{pattern} vs {path}");
        }
        for bad in ["", "/abs/*", "a/../b", "a//b", "./a"] {
            assert!(Glob::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }
}
