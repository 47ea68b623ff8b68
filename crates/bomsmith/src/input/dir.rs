//! Directory trees: the one tree walk. Names in order, links never followed, `.git` skipped;
//! optionally only what git lists (tracked, or not ignored), and optionally only some
//! directories of the tree.

use super::git::{GitFiles, GitListing, ignored_by_its_work_tree, in_work_tree};
use super::{EntryKind, EntrySink, TRACKED_FILE_MISSING};
use crate::diag::{Diagnostic, Location};
use crate::error::{Error, Result};
use std::collections::HashSet;
use std::fs;
use std::path::Path;

/// Which files of a directory tree are read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DirOptions {
    /// Directories (from the root) to read; empty for the whole tree.
    pub bases: Vec<String>,
    /// Only the files git lists: [`GitFiles::Tracked`] needs a git work tree; with
    /// [`GitFiles::NotIgnored`] a tree outside git, or in a directory its work tree ignores, is
    /// read whole.
    pub git: Option<GitFiles>,
}

/// `bases` without those inside another (`""` covers everything), sorted.
pub fn outermost(bases: &[String]) -> Vec<&str> {
    if bases.is_empty() {
        return vec![""];
    }
    let mut sorted: Vec<&str> = bases.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    sorted.dedup();
    let mut outer: Vec<&str> = Vec::new();
    for b in sorted {
        let inside = outer
            .iter()
            .any(|o| o.is_empty() || b == *o || b.starts_with(&format!("{o}/")));
        if !inside {
            outer.push(b);
        }
    }
    outer
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

/// What git lists, and every directory that holds something it lists.
struct Listed {
    paths: HashSet<String>,
    dirs: HashSet<String>,
}

impl Listed {
    fn new(paths: HashSet<String>) -> Self {
        let mut dirs = HashSet::new();
        for p in &paths {
            let mut at = p.as_str();
            while let Some((parent, _)) = at.rsplit_once('/') {
                if !dirs.insert(parent.to_owned()) {
                    break;
                }
                at = parent;
            }
        }
        Listed { paths, dirs }
    }
}

/// A file opened on its first read: many sinks list a file without reading it.
struct Lazy<'a> {
    path: &'a Path,
    file: Option<fs::File>,
}

impl std::io::Read for Lazy<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let file = match &mut self.file {
            Some(f) => f,
            None => self.file.insert(fs::File::open(self.path)?),
        };
        file.read(buf)
    }
}

/// Walks the tree at `root` (only `options.bases` of it, when given), handing every entry to
/// `sink` with its path from the root.
pub fn read_dir(root: &Path, options: &DirOptions, sink: &mut dyn EntrySink) -> Result<()> {
    let bases = outermost(&options.bases);
    let listed = match options.git {
        None => None,
        // Outside git, or in a directory its work tree ignores, every file counts.
        Some(GitFiles::NotIgnored) if !in_work_tree(root) || ignored_by_its_work_tree(root) => None,
        Some(which) => {
            let git = GitListing::spawn(root, which, &bases)?;
            Some(Listed::new(git.into_paths()?))
        }
    };
    let mut seen: HashSet<String> = HashSet::new();
    for base in &bases {
        walk_base(root, base, listed.as_ref(), &mut seen, sink)?;
    }
    if options.git == Some(GitFiles::Tracked)
        && let Some(listed) = &listed
    {
        let mut missing: Vec<&String> = listed
            .paths
            .iter()
            .filter(|p| !seen.contains(*p) && !p.split('/').any(|c| c == ".git"))
            .collect();
        missing.sort();
        for p in missing {
            sink.warn(Diagnostic::new(
                &TRACKED_FILE_MISSING,
                Location::file(root.join(p).display().to_string()),
                "tracked by git but missing from the working tree; left out",
            ));
        }
    }
    Ok(())
}

fn walk_base(
    root: &Path,
    base: &str,
    listed: Option<&Listed>,
    seen: &mut HashSet<String>,
    sink: &mut dyn EntrySink,
) -> Result<()> {
    let start = if base.is_empty() {
        root.to_owned()
    } else {
        root.join(base)
    };
    let mut walk = walkdir::WalkDir::new(&start)
        .follow_links(false)
        // A base that is a link is listed as one, never followed out of the tree.
        .follow_root_links(base.is_empty())
        .sort_by_file_name()
        .min_depth(usize::from(base.is_empty()))
        .into_iter();
    while let Some(item) = walk.next() {
        let entry = match item {
            Ok(e) => e,
            // A base that does not exist holds nothing.
            Err(e)
                if e.depth() == 0
                    && e.io_error()
                        .is_some_and(|i| i.kind() == std::io::ErrorKind::NotFound) =>
            {
                return Ok(());
            }
            Err(e) => {
                let path = e
                    .path()
                    .map_or_else(|| start.display().to_string(), |p| p.display().to_string());
                return Err(Error::io(
                    path,
                    e.into_io_error()
                        .unwrap_or_else(|| std::io::Error::other("directory loop")),
                ));
            }
        };
        if entry.depth() > 0 && entry.file_name() == ".git" {
            if entry.file_type().is_dir() {
                walk.skip_current_dir();
            }
            continue;
        }
        let rel = rel_path(root, entry.path())?;
        let ft = entry.file_type();
        if let Some(listed) = listed {
            if ft.is_dir() {
                // A listed directory is a submodule (a gitlink); one that holds nothing listed
                // is not walked.
                if listed.paths.contains(&rel) {
                    seen.insert(rel.clone());
                    sink.other(&rel, EntryKind::Submodule);
                    walk.skip_current_dir();
                } else if !rel.is_empty() && !listed.dirs.contains(&rel) {
                    walk.skip_current_dir();
                }
                continue;
            }
            if !listed.paths.contains(&rel) {
                continue;
            }
            seen.insert(rel.clone());
        }
        if ft.is_symlink() {
            sink.other(&rel, EntryKind::Symlink);
        } else if ft.is_dir() {
            if !rel.is_empty() {
                sink.other(&rel, EntryKind::Directory);
            }
        } else if ft.is_file() {
            let mut body = Lazy {
                path: entry.path(),
                file: None,
            };
            sink.file(&rel, &mut body)
                .map_err(|e| Error::io(entry.path().display().to_string(), e))?;
        } else {
            sink.other(&rel, special_kind(&ft));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bases_inside_others_are_dropped() {
        let b = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(outermost(&b(&["a/b", "a", "ab", "a/c/d"])), ["a", "ab"]);
        assert_eq!(outermost(&b(&["x", ""])), [""]);
        assert_eq!(outermost(&[]), [""]);
    }
}
