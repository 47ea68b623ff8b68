//! Directory trees: the one tree walk. Names in order, links never followed, `.git` skipped;
//! optionally only what git lists (tracked, or not ignored), and optionally only some
//! directories of the tree.

use super::git::{GitFiles, GitListing, ignored_by_its_work_tree, in_work_tree};
use super::{EntryKind, EntrySink, TRACKED_FILE_MISSING};
use crate::diag::{Diagnostic, Location};
use crate::error::{Error, Result};
use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

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

/// One entry met by the walk.
struct Item {
    rel: String,
    path: PathBuf,
    ft: fs::FileType,
}

/// What decides which walked entries count: everything, or git's listing. While git still
/// runs, entries either wait for it in walk order (`Holding`: a release tree's tracked files,
/// where walking and hashing untracked build output would be the larger waste), or go on at
/// once and are retracted if git does not list them (`Speculating`: a developer's tree, whose
/// few ignored files cost less than waiting for git).
enum Gate {
    All,
    Holding {
        git: GitListing,
        held: Vec<Item>,
    },
    Speculating {
        git: GitListing,
        /// Directories met so far (a listed one is a submodule).
        dirs: Vec<String>,
        /// Entries handed on so far.
        handed: Vec<String>,
    },
    Listed(Listed),
}

/// Whether the walk goes into a directory.
#[derive(PartialEq, Eq)]
enum Descend {
    Yes,
    No,
}

impl Gate {
    /// Takes git's listing once it is in (waiting for it with `block`): entries held until then
    /// go on, entries handed on that git does not list are retracted.
    fn settle(
        &mut self,
        root: &Path,
        block: bool,
        seen: &mut HashSet<String>,
        sink: &mut dyn EntrySink,
    ) -> Result<()> {
        let polled = match self {
            Gate::Holding { git, .. } | Gate::Speculating { git, .. } if !block => {
                match git.poll()? {
                    Some(paths) => Some(paths),
                    None => return Ok(()),
                }
            }
            Gate::Holding { .. } | Gate::Speculating { .. } => None,
            Gate::All | Gate::Listed(_) => return Ok(()),
        };
        match std::mem::replace(self, Gate::All) {
            Gate::Holding { git, held } => {
                let paths = match polled {
                    Some(paths) => paths,
                    None => git.wait()?,
                };
                *self = Gate::Listed(Listed::new(paths));
                for item in held {
                    self.offer(item, seen, sink)?;
                }
            }
            Gate::Speculating { git, dirs, handed } => {
                let paths = match polled {
                    Some(paths) => paths,
                    None => git.wait()?,
                };
                // Nothing listed by a work tree that ignores this very directory: its rules
                // are not the tree's own, so every file counts.
                if paths.is_empty() && ignored_by_its_work_tree(root) {
                    return Ok(());
                }
                let listed = Listed::new(paths);
                if handed.iter().any(|p| !listed.paths.contains(p)) {
                    sink.retract(&|p: &str| !listed.paths.contains(p));
                }
                for d in dirs.iter().filter(|d| listed.paths.contains(*d)) {
                    sink.other(d, EntryKind::Submodule);
                }
                *self = Gate::Listed(listed);
            }
            other => *self = other,
        }
        Ok(())
    }

    /// Hands `item` on if it counts; for a directory, says whether to walk into it.
    fn offer(
        &mut self,
        item: Item,
        seen: &mut HashSet<String>,
        sink: &mut dyn EntrySink,
    ) -> Result<Descend> {
        match self {
            Gate::Holding { held, .. } => {
                held.push(item);
                Ok(Descend::Yes)
            }
            Gate::Speculating { dirs, handed, .. } => {
                if item.ft.is_dir() {
                    dirs.push(item.rel);
                } else {
                    handed.push(item.rel.clone());
                    hand_on(item, sink)?;
                }
                Ok(Descend::Yes)
            }
            Gate::All => {
                if !(item.ft.is_dir() && item.rel.is_empty()) {
                    hand_on(item, sink)?;
                }
                Ok(Descend::Yes)
            }
            Gate::Listed(listed) => {
                let rel = &item.rel;
                if item.ft.is_dir() {
                    // A listed directory is a submodule (a gitlink); one that holds nothing
                    // listed is not walked.
                    if listed.paths.contains(rel) {
                        seen.insert(rel.clone());
                        sink.other(rel, EntryKind::Submodule);
                        return Ok(Descend::No);
                    }
                    let holds = rel.is_empty() || listed.dirs.contains(rel);
                    return Ok(if holds { Descend::Yes } else { Descend::No });
                }
                if listed.paths.contains(rel) {
                    seen.insert(rel.clone());
                    hand_on(item, sink)?;
                }
                Ok(Descend::Yes)
            }
        }
    }
}

/// Hands one entry to the sink (a regular file as a reader that opens it when first read).
fn hand_on(item: Item, sink: &mut dyn EntrySink) -> Result<()> {
    let Item { rel, path, ft } = item;
    if ft.is_symlink() {
        sink.other(&rel, EntryKind::Symlink);
    } else if ft.is_dir() {
        sink.other(&rel, EntryKind::Directory);
    } else if ft.is_file() {
        sink.file_at(&rel, &path)
            .map_err(|e| Error::io(path.display().to_string(), e))?;
    } else {
        sink.other(&rel, special_kind(&ft));
    }
    Ok(())
}

/// Walks the tree at `root` (only `options.bases` of it, when given), handing every entry to
/// `sink` with its path from the root. With git, its listing runs while the tree is walked
/// (see [`Gate`]); once it is in, entries are filtered as they come and directories that hold
/// nothing listed are not walked.
pub fn read_dir(root: &Path, options: &DirOptions, sink: &mut dyn EntrySink) -> Result<()> {
    let bases = outermost(&options.bases);
    let mut gate = match options.git {
        None => Gate::All,
        Some(GitFiles::NotIgnored) if !in_work_tree(root) => Gate::All,
        Some(GitFiles::NotIgnored) => Gate::Speculating {
            git: GitListing::spawn(root, GitFiles::NotIgnored, &bases)?,
            dirs: Vec::new(),
            handed: Vec::new(),
        },
        Some(GitFiles::Tracked) => Gate::Holding {
            git: GitListing::spawn(root, GitFiles::Tracked, &bases)?,
            held: Vec::new(),
        },
    };
    let mut seen: HashSet<String> = HashSet::new();
    for base in &bases {
        walk_base(root, base, &mut gate, &mut seen, sink)?;
    }
    gate.settle(root, true, &mut seen, sink)?;
    if options.git == Some(GitFiles::Tracked)
        && let Gate::Listed(listed) = &gate
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
    gate: &mut Gate,
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
        let ft = entry.file_type();
        if ft.is_dir() {
            // A cheap moment to see whether git is done, so the rest can be pruned.
            gate.settle(root, false, seen, sink)?;
        }
        let item = Item {
            rel: rel_path(root, entry.path())?,
            path: entry.into_path(),
            ft,
        };
        if gate.offer(item, seen, sink)? == Descend::No {
            walk.skip_current_dir();
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
