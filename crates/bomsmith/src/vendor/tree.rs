//! The files of a source tree that `vendor` looks at: regular files only (links are listed,
//! never followed), `.git` skipped, and in a git work tree whatever git ignores left out.

use crate::error::{Error, Result};
use globset::{GlobBuilder, GlobMatcher};
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

/// A glob as `vendor` uses it: from the tree root, `*` stays within a directory, `**` crosses
/// directories.
pub fn compile_glob(pattern: &str) -> std::result::Result<GlobMatcher, globset::Error> {
    Ok(GlobBuilder::new(pattern)
        .literal_separator(true)
        .backslash_escape(true)
        .build()?
        .compile_matcher())
}

/// The directory a glob starts from: its leading components without wildcards.
pub fn glob_base(pattern: &str) -> String {
    let mut base = Vec::new();
    let parts: Vec<&str> = pattern.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        if i + 1 == parts.len() || part.contains(['*', '?', '[', '{', '\\']) {
            break;
        }
        base.push(*part);
    }
    base.join("/")
}

/// An include or exclude glob with Python's `glob` rule for hidden names: a wildcard does not
/// match a name starting with `.` unless the pattern itself spells a leading `.` there.
#[derive(Debug, Clone)]
pub struct Glob {
    /// The pattern as written.
    pub pattern: String,
    matcher: GlobMatcher,
    base: String,
    hidden_ok: bool,
}

impl Glob {
    /// Compiles `pattern` (already checked when the configuration was read).
    pub fn new(pattern: &str) -> Result<Self> {
        let matcher = compile_glob(pattern)
            .map_err(|e| Error::invalid("glob", format!("`{pattern}`: {e}")))?;
        let base = glob_base(pattern);
        let hidden_ok = pattern.starts_with('.') || pattern.contains("/.");
        Ok(Glob {
            pattern: pattern.to_owned(),
            matcher,
            base,
            hidden_ok,
        })
    }

    /// The directory the glob starts from (`""` for the root).
    pub fn base(&self) -> &str {
        &self.base
    }

    /// True when the glob matches `path`.
    pub fn matches(&self, path: &str) -> bool {
        if !self.matcher.is_match(path) {
            return false;
        }
        if self.hidden_ok {
            return true;
        }
        let below = if self.base.is_empty() {
            path
        } else {
            path.strip_prefix(&self.base)
                .and_then(|r| r.strip_prefix('/'))
                .unwrap_or(path)
        };
        !below.split('/').any(|c| c.starts_with('.'))
    }
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
        if let Some(git) = git {
            let visible = git.visible()?;
            tree.files.retain(|f| visible.contains(f.as_str()));
            tree.links.retain(|f| visible.contains(f.as_str()));
        }
        tree.files.sort_unstable();
        tree.links.sort_unstable();
        Ok(tree)
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
        let full = self.root.join(path);
        std::fs::read(&full).map_err(|e| Error::io(full.display().to_string(), e))
    }
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
    }
}
