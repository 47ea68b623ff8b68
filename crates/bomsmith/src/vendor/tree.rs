//! The files of a source tree that `vendor` looks at: regular files only (links are listed,
//! never followed), `.git` skipped, and in a git work tree whatever git ignores left out.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A listing of (parts of) a tree.
#[derive(Debug)]
pub struct Tree {
    root: PathBuf,
    /// Regular files, as `/`-separated paths from the root, sorted.
    pub files: Vec<String>,
    /// Symbolic links met on the way (never followed), sorted.
    pub links: Vec<String>,
}

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

/// True when `root` is inside a git work tree (a `.git` in it or one of its ancestors).
pub fn in_git_work_tree(root: &Path) -> bool {
    let Ok(abs) = root.canonicalize() else {
        return false;
    };
    abs.ancestors().any(|a| a.join(".git").exists())
}

impl Tree {
    /// Lists the files under each of `bases` (directories from the root; `""` is the whole
    /// tree). With `gitignore`, and when the root is in a git work tree, files git ignores are
    /// left out (tracked files never are), as `git ls-files --cached --others
    /// --exclude-standard` lists them.
    pub fn walk(root: &Path, bases: &[String], gitignore: bool) -> Result<Tree> {
        let mut git = if gitignore {
            GitListing::spawn(root, bases)?
        } else {
            None
        };
        Tree::walk_with(root, bases, git.as_mut())
    }

    /// Like [`Tree::walk`], with git's listing already under way (see [`GitListing::spawn`]).
    pub fn walk_with(root: &Path, bases: &[String], git: Option<&mut GitListing>) -> Result<Tree> {
        let outer = outermost(bases);
        let mut tree = Tree {
            root: root.to_owned(),
            files: Vec::new(),
            links: Vec::new(),
        };
        for base in &outer {
            tree.walk_base(base)?;
        }
        tree.files.sort_unstable();
        tree.links.sort_unstable();
        if let Some(git) = git {
            tree.retain_visible(git)?;
        }
        Ok(tree)
    }

    /// Leaves out what git ignores, waiting for its listing if need be.
    pub fn retain_visible(&mut self, git: &mut GitListing) -> Result<()> {
        let visible = git.visible()?;
        self.files.retain(|f| visible.contains(f.as_str()));
        self.links.retain(|f| visible.contains(f.as_str()));
        Ok(())
    }

    fn walk_base(&mut self, base: &str) -> Result<()> {
        let start = if base.is_empty() {
            self.root.clone()
        } else {
            self.root.join(base)
        };
        match std::fs::symlink_metadata(&start) {
            Ok(m) if m.is_dir() => {}
            Ok(m) if m.file_type().is_symlink() => {
                self.links.push(base.to_owned());
                return Ok(());
            }
            _ => return Ok(()),
        }
        let walker = walkdir::WalkDir::new(&start)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || e.file_name() != ".git");
        for entry in walker {
            let entry = entry.map_err(|e| {
                let path = e
                    .path()
                    .map_or_else(|| start.display().to_string(), |p| p.display().to_string());
                Error::io(
                    path,
                    e.into_io_error()
                        .unwrap_or_else(|| std::io::Error::other("directory loop")),
                )
            })?;
            let ft = entry.file_type();
            if ft.is_dir() {
                continue;
            }
            let rel = entry
                .path()
                .strip_prefix(&self.root)
                .unwrap_or(entry.path());
            let Some(rel) = rel.to_str() else {
                return Err(Error::Unsupported {
                    path: entry.path().display().to_string(),
                    message: "file name is not valid UTF-8".into(),
                });
            };
            let rel = rel.replace(std::path::MAIN_SEPARATOR, "/");
            if ft.is_file() {
                self.files.push(rel);
            } else if ft.is_symlink() {
                self.links.push(rel);
            }
        }
        Ok(())
    }

    /// The root directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The files under directory `dir` (`""` for all), in order.
    pub fn under(&self, dir: &str) -> impl Iterator<Item = &str> + '_ {
        let range = if dir.is_empty() {
            0..self.files.len()
        } else {
            // Paths under `dir/` sort together, before `dir0` (`0` follows `/`).
            let (low, high) = (format!("{dir}/"), format!("{dir}0"));
            let start = self.files.partition_point(|f| f.as_str() < low.as_str());
            let end = self.files.partition_point(|f| f.as_str() < high.as_str());
            start..end.max(start)
        };
        self.files[range].iter().map(String::as_str)
    }

    /// True when `path` is a listed regular file.
    pub fn has(&self, path: &str) -> bool {
        self.files
            .binary_search_by(|f| f.as_str().cmp(path))
            .is_ok()
    }

    /// The bytes of a file (path from the root).
    pub fn read(&self, path: &str) -> Result<Vec<u8>> {
        let mut data = Vec::new();
        self.read_into(path, &mut data)?;
        Ok(data)
    }

    /// Reads a file (path from the root) into `buf`, replacing what it held.
    pub fn read_into(&self, path: &str, buf: &mut Vec<u8>) -> Result<()> {
        read_into(&self.root, path, buf)
    }
}

/// Reads the file `path` (from `root`) into `buf`, replacing what it held.
pub fn read_into(root: &Path, path: &str, buf: &mut Vec<u8>) -> Result<()> {
    use std::io::Read;
    let full = root.join(path);
    buf.clear();
    std::fs::File::open(&full)
        .and_then(|mut f| f.read_to_end(buf))
        .map(drop)
        .map_err(|e| Error::io(full.display().to_string(), e))
}

impl crate::detect::version::Source for Tree {
    fn text(&self, path: &str) -> Option<String> {
        let bytes = self.read(path).ok()?;
        String::from_utf8(bytes)
            .or_else(|e| Ok::<_, ()>(String::from_utf8_lossy(e.as_bytes()).into_owned()))
            .ok()
    }
}

/// `bases` without those inside another.
fn outermost(bases: &[String]) -> Vec<&str> {
    let mut bases: Vec<&str> = bases.iter().map(String::as_str).collect();
    bases.sort_unstable();
    bases.dedup();
    let mut outer: Vec<&str> = Vec::new();
    for b in bases {
        if !outer
            .iter()
            .any(|o| o.is_empty() || b == *o || b.starts_with(&format!("{o}/")))
        {
            outer.push(b);
        }
    }
    outer
}

/// `git ls-files` of the paths git does not ignore, started early so that it runs while the
/// caller does other work.
#[derive(Debug)]
pub struct GitListing {
    root: PathBuf,
    child: Option<std::process::Child>,
    visible: std::collections::HashSet<String>,
}

impl GitListing {
    /// Starts listing `bases` when `root` is in a git work tree; `None` otherwise.
    pub fn spawn(root: &Path, bases: &[String]) -> Result<Option<GitListing>> {
        if !in_git_work_tree(root) {
            return Ok(None);
        }
        let outer = outermost(bases);
        let mut cmd = git_command(root, &outer);
        let child = cmd
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .map_err(|e| git_missing(root, &e))?;
        Ok(Some(GitListing {
            root: root.to_owned(),
            child: Some(child),
            visible: Default::default(),
        }))
    }

    /// The paths git does not ignore (waits for git the first time).
    pub fn visible(&mut self) -> Result<&std::collections::HashSet<String>> {
        if let Some(child) = self.child.take() {
            let out = child
                .wait_with_output()
                .map_err(|e| git_missing(&self.root, &e))?;
            self.visible = parse_listing(&self.root, &out)?;
        }
        Ok(&self.visible)
    }
}

fn git_missing(root: &Path, e: &std::io::Error) -> Error {
    Error::invalid(
        "git",
        format!(
            "{} is in a git work tree, but `git ls-files` could not run ({e}); pass --no-git to list the files without git's ignore rules",
            root.display()
        ),
    )
}

fn git_command(root: &Path, bases: &[&str]) -> Command {
    let mut cmd = Command::new("git");
    cmd.arg("-C").arg(root).args([
        "ls-files",
        "-z",
        "--cached",
        "--others",
        "--exclude-standard",
        "--",
    ]);
    for b in bases {
        cmd.arg(if b.is_empty() { "." } else { b });
    }
    cmd
}

fn parse_listing(
    root: &Path,
    out: &std::process::Output,
) -> Result<std::collections::HashSet<String>> {
    if !out.status.success() {
        return Err(Error::invalid(
            "git",
            format!(
                "`git ls-files` failed in {}: {}",
                root.display(),
                String::from_utf8_lossy(&out.stderr).trim()
            ),
        ));
    }
    Ok(out
        .stdout
        .split(|&b| b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

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
