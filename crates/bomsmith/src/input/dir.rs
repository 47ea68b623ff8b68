//! Directory trees: walked in name order, links never followed, `.git` skipped.

use super::{EntryKind, EntrySink};
use crate::error::{Error, Result};
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Options for directory inputs.
#[derive(Debug, Clone, Default)]
pub struct DirOptions {
    /// Glob patterns of paths to leave out. A pattern without `/` matches a name at any depth;
    /// one with `/` matches the path from the root. A matching directory is left out whole.
    pub excludes: Vec<String>,
    /// Only the files `git ls-files` lists (the tree must be a git work tree).
    pub git_tracked: bool,
}

/// Compiled exclude patterns.
#[derive(Debug)]
pub struct Excludes {
    by_path: GlobSet,
    by_name: GlobSet,
}

impl Excludes {
    /// Compiles `patterns`; `what` names their origin in errors.
    pub fn new(patterns: &[String], what: &str) -> Result<Self> {
        let mut by_path = GlobSetBuilder::new();
        let mut by_name = GlobSetBuilder::new();
        for p in patterns {
            let trimmed = p.trim_start_matches("./").trim_end_matches('/');
            let glob = GlobBuilder::new(trimmed)
                .literal_separator(true)
                .build()
                .map_err(|e| Error::invalid(what, format!("`{p}`: {e}")))?;
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
        })
    }

    /// True when `rel` (a `/`-separated relative path) is excluded.
    pub fn matches(&self, rel: &str) -> bool {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        self.by_path.is_match(rel) || self.by_name.is_match(name)
    }
}

fn rel_path(root: &Path, path: &Path) -> Result<String> {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let mut parts = Vec::new();
    for c in rel.components() {
        let s = c.as_os_str().to_str().ok_or_else(|| Error::Unsupported {
            path: path.display().to_string(),
            message: "file name is not valid UTF-8; SPDX file names must be".into(),
        })?;
        parts.push(s);
    }
    Ok(parts.join("/"))
}

fn special_kind(ft: &fs::FileType) -> EntryKind {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_block_device() || ft.is_char_device() {
            return EntryKind::Device;
        }
    }
    let _ = ft;
    EntryKind::Fifo
}

fn emit(path: &Path, rel: &str, tracked: bool, sink: &mut dyn EntrySink) -> Result<()> {
    let meta = fs::symlink_metadata(path).map_err(|e| Error::io(path.display().to_string(), e))?;
    let ft = meta.file_type();
    if ft.is_symlink() {
        sink.other(rel, EntryKind::Symlink);
    } else if ft.is_dir() {
        // `git ls-files` lists no directories but submodules (gitlinks).
        let kind = if tracked {
            EntryKind::Submodule
        } else {
            EntryKind::Directory
        };
        sink.other(rel, kind);
    } else if ft.is_file() {
        let shown = path.display().to_string();
        let mut f = fs::File::open(path).map_err(|e| Error::io(&shown, e))?;
        sink.file(rel, &mut f).map_err(|e| Error::io(&shown, e))?;
    } else {
        sink.other(rel, special_kind(&ft));
    }
    Ok(())
}

/// Walks the tree at `root`, handing every entry to `sink`.
pub fn read_dir(root: &Path, options: &DirOptions, sink: &mut dyn EntrySink) -> Result<()> {
    let excludes = Excludes::new(&options.excludes, "--exclude")?;
    if options.git_tracked {
        return read_tracked(root, &excludes, sink);
    }
    let mut walk = walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .min_depth(1)
        .into_iter();
    while let Some(item) = walk.next() {
        let entry = item.map_err(|e| {
            let path = e
                .path()
                .map_or_else(|| root.display().to_string(), |p| p.display().to_string());
            Error::io(
                path,
                e.into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("walk failed")),
            )
        })?;
        let rel = rel_path(root, entry.path())?;
        let name = entry.file_name();
        if name == ".git" || excludes.matches(&rel) {
            if entry.file_type().is_dir() {
                walk.skip_current_dir();
            }
            continue;
        }
        emit(entry.path(), &rel, false, sink)?;
    }
    Ok(())
}

fn read_tracked(root: &Path, excludes: &Excludes, sink: &mut dyn EntrySink) -> Result<()> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["ls-files", "-z", "--cached"])
        .output()
        .map_err(|e| Error::invalid("--git-tracked", format!("cannot run git: {e}")))?;
    if !output.status.success() {
        return Err(Error::invalid(
            "--git-tracked",
            format!(
                "{}: git ls-files failed: {}",
                root.display(),
                String::from_utf8_lossy(&output.stderr).trim()
            ),
        ));
    }
    let mut paths: Vec<PathBuf> = Vec::new();
    for raw in output.stdout.split(|&b| b == 0).filter(|p| !p.is_empty()) {
        let s = std::str::from_utf8(raw).map_err(|_| Error::Unsupported {
            path: format!("{}/{}", root.display(), super::escape_bytes(raw)),
            message: "file name is not valid UTF-8; SPDX file names must be".into(),
        })?;
        paths.push(PathBuf::from(s));
    }
    paths.sort();
    paths.dedup();
    for p in paths {
        let rel = rel_path(Path::new(""), &p)?;
        if rel.split('/').any(|c| c == ".git") || excludes.matches(&rel) {
            continue;
        }
        if rel
            .split('/')
            .scan(String::new(), |acc, c| {
                if !acc.is_empty() {
                    acc.push('/');
                }
                acc.push_str(c);
                Some(acc.clone())
            })
            .any(|prefix| excludes.matches(&prefix))
        {
            continue;
        }
        let full = root.join(&p);
        if fs::symlink_metadata(&full).is_err() {
            sink.warn(format!(
                "{}: tracked by git but missing from the working tree; left out",
                full.display()
            ));
            continue;
        }
        emit(&full, &rel, true, sink)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exclude_patterns() {
        let ex = Excludes::new(
            &["*.pyc".into(), "build/".into(), "docs/*.md".into()],
            "test",
        )
        .expect("valid");
        assert!(ex.matches("a/b/c.pyc"));
        assert!(ex.matches("x/build"));
        assert!(ex.matches("docs/a.md"));
        assert!(!ex.matches("docs/sub/a.md"));
        assert!(!ex.matches("src/main.rs"));
        assert!(Excludes::new(&["[".into()], "test").is_err());
    }
}
