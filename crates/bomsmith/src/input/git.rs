//! The one way bomsmith asks git which files of a work tree count: `git ls-files`, started
//! early so it runs while the caller does other work, its output read once.

use crate::error::{Error, GitFailure, Result};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

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

/// A `git ls-files` under way, or finished.
#[derive(Debug)]
pub struct GitListing {
    dir: PathBuf,
    child: Option<Child>,
    paths: HashSet<String>,
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
        Ok(GitListing {
            dir: dir.to_owned(),
            child: Some(child),
            paths: HashSet::new(),
        })
    }

    /// The listed paths (waits for git). Names that are not UTF-8 are refused: SBOM file names
    /// must be.
    pub fn into_paths(mut self) -> Result<HashSet<String>> {
        self.paths()?;
        Ok(self.paths)
    }

    /// The listed paths (waits for git the first time).
    pub fn paths(&mut self) -> Result<&HashSet<String>> {
        if let Some(child) = self.child.take() {
            let shown = self.dir.display().to_string();
            let out = child.wait_with_output().map_err(|e| Error::Git {
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
            for raw in out.stdout.split(|&b| b == 0).filter(|p| !p.is_empty()) {
                let path = std::str::from_utf8(raw).map_err(|_| Error::Unsupported {
                    path: format!("{shown}/{}", super::escape_bytes(raw)),
                    message: "file name is not valid UTF-8; SPDX file names must be".into(),
                })?;
                self.paths.insert(path.to_owned());
            }
        }
        Ok(&self.paths)
    }
}
