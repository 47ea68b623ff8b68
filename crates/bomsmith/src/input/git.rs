//! The one way bomsmith asks git which files of a work tree count: `git ls-files`, started
//! early so it runs while the tree is walked, its output read by a thread of its own (so git
//! never waits on a full pipe) and parsed once.

use crate::error::{Error, GitFailure, Result};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc::{Receiver, TryRecvError, channel};

/// Which files git is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GitFiles {
    /// The files git tracks (`--cached`): a release made from a clean checkout. Submodules
    /// appear as their directory's path.
    Tracked,
    /// The files git does not ignore (`--cached --others --exclude-standard`): what a
    /// developer's tree holds, build output and ignored files left out.
    NotIgnored,
}

/// A `git ls-files` under way.
#[derive(Debug)]
pub struct GitListing {
    dir: PathBuf,
    done: Receiver<std::io::Result<Output>>,
}

/// True when `dir` is inside a git work tree (a `.git` in it or one of its ancestors).
pub fn in_work_tree(dir: &Path) -> bool {
    let Ok(abs) = dir.canonicalize() else {
        return false;
    };
    abs.ancestors().any(|a| a.join(".git").exists())
}

/// True when the git work tree `dir` is in ignores `dir` itself (a source tree unpacked into
/// another project's ignored build directory): that repository's rules are not the tree's own.
pub fn ignored_by_its_work_tree(dir: &Path) -> bool {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["check-ignore", "-q", "."])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

impl GitListing {
    /// Starts listing `which` files under `bases` (directories from `dir`; none or `""` for the
    /// whole tree), with paths relative to `dir`.
    pub fn spawn(dir: &Path, which: GitFiles, bases: &[&str]) -> Result<GitListing> {
        let mut cmd = Command::new("git");
        cmd.arg("-C").arg(dir).args(["ls-files", "-z", "--cached"]);
        if which == GitFiles::NotIgnored {
            cmd.args(["--others", "--exclude-standard"]);
        }
        let bases: Vec<&str> = bases.iter().copied().filter(|b| !b.is_empty()).collect();
        if !bases.is_empty() {
            cmd.arg("--").args(bases);
        }
        let child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| Error::Git {
                dir: dir.display().to_string(),
                failure: GitFailure::NotRun,
                message: format!("cannot run git: {e}"),
            })?;
        let (tx, done) = channel();
        std::thread::spawn(move || {
            // The receiver may be gone (an error elsewhere ended the walk): nothing to tell.
            let _ = tx.send(child.wait_with_output());
        });
        Ok(GitListing {
            dir: dir.to_owned(),
            done,
        })
    }

    /// The listed paths if git has finished, without waiting.
    pub fn poll(&self) -> Result<Option<HashSet<String>>> {
        match self.done.try_recv() {
            Ok(out) => self.parse(out).map(Some),
            Err(TryRecvError::Empty) => Ok(None),
            Err(TryRecvError::Disconnected) => Err(self.lost()),
        }
    }

    /// The listed paths (waits for git). Names that are not UTF-8 are refused: SBOM file names
    /// must be.
    pub fn wait(self) -> Result<HashSet<String>> {
        match self.done.recv() {
            Ok(out) => self.parse(out),
            Err(_) => Err(self.lost()),
        }
    }

    fn lost(&self) -> Error {
        Error::Git {
            dir: self.dir.display().to_string(),
            failure: GitFailure::NotRun,
            message: "git's output was lost".into(),
        }
    }

    fn parse(&self, out: std::io::Result<Output>) -> Result<HashSet<String>> {
        let shown = self.dir.display().to_string();
        let out = out.map_err(|e| Error::Git {
            dir: shown.clone(),
            failure: GitFailure::NotRun,
            message: format!("cannot run git: {e}"),
        })?;
        if !out.status.success() {
            return Err(Error::Git {
                dir: shown,
                failure: GitFailure::Failed,
                message: format!(
                    "git ls-files failed: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                ),
            });
        }
        let mut paths = HashSet::new();
        for raw in out.stdout.split(|&b| b == 0).filter(|p| !p.is_empty()) {
            let path = std::str::from_utf8(raw).map_err(|_| Error::Unsupported {
                path: format!("{shown}/{}", super::escape_bytes(raw)),
                message: "file name is not valid UTF-8; SPDX file names must be".into(),
            })?;
            paths.insert(path.to_owned());
        }
        Ok(paths)
    }
}
