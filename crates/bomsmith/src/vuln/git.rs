//! GIT ranges, evaluated against a local clone the user names (`URL=PATH`). A component's
//! version is mapped to a tag (`v{version}`, then `{version}`: CPython tags releases `v3.13.5`),
//! and git is asked which of the range's commits are its ancestors. Nothing here fetches: a
//! commit missing from the clone makes the range not evaluable.
//!
//! A commit is affected when, among the range's events that are its ancestors (or itself; an
//! `introduced: 0` is an ancestor of everything), the latest ones (those not an ancestor of
//! another such event) include an `introduced` (or a `last_affected` that is the commit itself)
//! and no `fixed` (nor an earlier `last_affected`); and, when the range has `limit` events, the commit is a strict ancestor of one of them. On
//! one line of history that is exactly the schema's timeline walk; across branches, a fix
//! reaches only the branches that contain it (or a cherry-pick listed as another `fixed`).

use super::range::{Rule, describe};
use crate::model::vuln::{Event, Range};
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A repository URL reduced to compare equal however it is spelt: no scheme, `git+`, user,
/// `.git` suffix or trailing slash; host lower-cased (`github.com/python/cpython`).
pub fn normalize_repo(url: &str) -> String {
    let mut s = url.trim();
    s = s.strip_prefix("git+").unwrap_or(s);
    for scheme in ["https://", "http://", "ssh://", "git://"] {
        if let Some(rest) = s.strip_prefix(scheme) {
            s = rest;
            break;
        }
    }
    // `git@github.com:owner/repo` (scp-like syntax).
    let owned;
    if let Some((user_host, path)) = s.split_once(':')
        && !user_host.contains('/')
        && !path.starts_with("//")
        && user_host.contains('@')
    {
        owned = format!("{user_host}/{path}");
        s = &owned;
    }
    let (host, path) = s.split_once('/').unwrap_or((s, ""));
    // A user in the host part goes; a revision (`@v1.2`), query or fragment after the path
    // (SPDX download locations append one) goes too.
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let path = path.split(['@', '#', '?']).next().unwrap_or(path);
    let path = path.trim_end_matches('/');
    let path = path.strip_suffix(".git").unwrap_or(path);
    format!("{}/{}", host.to_ascii_lowercase(), path)
        .trim_end_matches('/')
        .to_owned()
}

/// What git answered: per (clone, ancestor, descendant), whether it is one, or why not known.
type Answers = HashMap<(PathBuf, String, String), Result<bool, String>>;

/// Local clones for repository URLs, and what git has answered so far.
#[derive(Debug, Default)]
pub struct GitRepos {
    clones: HashMap<String, PathBuf>,
    answers: RefCell<Answers>,
    resolved: RefCell<HashMap<(PathBuf, String), Option<String>>>,
}

impl GitRepos {
    /// No clones: every GIT range is not evaluable.
    pub fn new() -> Self {
        Self::default()
    }

    /// Maps the repository `url` to the clone at `path`.
    pub fn add(&mut self, url: &str, path: &Path) {
        self.clones.insert(normalize_repo(url), path.to_path_buf());
    }

    /// True when no clone is mapped.
    pub fn is_empty(&self) -> bool {
        self.clones.is_empty()
    }

    fn clone_for(&self, repo: &str) -> Option<&Path> {
        self.clones.get(&normalize_repo(repo)).map(PathBuf::as_path)
    }

    /// The full commit ID `rev` names in `clone`, if it names a commit there.
    fn resolve(&self, clone: &Path, rev: &str) -> Option<String> {
        let key = (clone.to_path_buf(), rev.to_owned());
        if let Some(hit) = self.resolved.borrow().get(&key) {
            return hit.clone();
        }
        // `--end-of-options` keeps a record's value from being read as an option.
        let out = Command::new("git")
            .arg("-C")
            .arg(clone)
            .args(["rev-parse", "--verify", "--quiet", "--end-of-options"])
            .arg(format!("{rev}^{{commit}}"))
            .output()
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty());
        self.resolved.borrow_mut().insert(key, out.clone());
        out
    }

    /// Whether commit `a` is an ancestor of (or equal to) commit `b`.
    fn is_ancestor(&self, clone: &Path, a: &str, b: &str) -> Result<bool, String> {
        if a == b {
            return Ok(true);
        }
        let key = (clone.to_path_buf(), a.to_owned(), b.to_owned());
        if let Some(hit) = self.answers.borrow().get(&key) {
            return hit.clone();
        }
        let answer = match Command::new("git")
            .arg("-C")
            .arg(clone)
            .args(["merge-base", "--is-ancestor", a, b])
            .output()
        {
            Ok(o) => match o.status.code() {
                Some(0) => Ok(true),
                Some(1) => Ok(false),
                _ => Err(format!(
                    "git merge-base failed in {}: {}",
                    clone.display(),
                    String::from_utf8_lossy(&o.stderr).trim()
                )),
            },
            Err(e) => Err(format!("cannot run git: {e}")),
        };
        self.answers.borrow_mut().insert(key, answer.clone());
        answer
    }

    /// Evaluates `version` against the GIT `range`: `Ok(Some(rule))` affected, `Ok(None)` not,
    /// `Err(why)` not evaluable.
    pub fn evaluate(&self, range: &Range, version: &str) -> Result<Option<Rule>, String> {
        let repo = range.repo.as_deref().unwrap_or("");
        let Some(clone) = self.clone_for(repo) else {
            return Err(format!(
                "a GIT range of {repo}, and no local clone of it was given"
            ));
        };
        let tags = [format!("v{version}"), version.to_owned()];
        let Some((tag, commit)) = tags.iter().find_map(|t| {
            self.resolve(clone, &format!("refs/tags/{t}"))
                .map(|c| (t.clone(), c))
        }) else {
            return Err(format!(
                "no tag v{version} or {version} in {}",
                clone.display()
            ));
        };
        let mut events = Vec::with_capacity(range.events.len());
        for e in &range.events {
            if matches!(e, Event::Introduced(v) if v == "0") {
                events.push((e, None));
                continue;
            }
            let Some(full) = self.resolve(clone, e.value()) else {
                return Err(format!(
                    "the {} commit {} is not in {}",
                    e.name(),
                    e.value(),
                    clone.display()
                ));
            };
            events.push((e, Some(full)));
        }
        // Limits: the commit must be a strict ancestor of one of them.
        let limits: Vec<&String> = events
            .iter()
            .filter(|(e, _)| matches!(e, Event::Limit(_)))
            .filter_map(|(_, c)| c.as_ref())
            .collect();
        if !limits.is_empty() {
            let mut inside = false;
            for l in limits {
                if *l != commit && self.is_ancestor(clone, &commit, l)? {
                    inside = true;
                    break;
                }
            }
            if !inside {
                return Ok(None);
            }
        }
        // The events at or below the commit.
        let mut below: Vec<(&Event, Option<&String>)> = Vec::new();
        for (e, c) in &events {
            if matches!(e, Event::Limit(_)) {
                continue;
            }
            let reached = match c {
                None => true,
                Some(c) => self.is_ancestor(clone, c, &commit)?,
            };
            if reached {
                below.push((e, c.as_ref()));
            }
        }
        // The latest of them: those no other one descends from.
        let mut latest: Vec<(&Event, Option<&String>)> = Vec::new();
        for (i, (e, c)) in below.iter().enumerate() {
            let mut superseded = false;
            for (j, (_, d)) in below.iter().enumerate() {
                if i == j {
                    continue;
                }
                let later = match (c, d) {
                    // `introduced: 0` precedes every commit event.
                    (None, Some(_)) => true,
                    (Some(_), None) | (None, None) => false,
                    (Some(c), Some(d)) => c != d && self.is_ancestor(clone, c, d)?,
                };
                if later {
                    superseded = true;
                    break;
                }
            }
            if !superseded {
                latest.push((*e, *c));
            }
        }
        let fixed_here = latest.iter().any(|(e, c)| {
            matches!(e, Event::Fixed(_))
                || (matches!(e, Event::LastAffected(_)) && c.is_some_and(|c| *c != commit))
        });
        let cause = latest.iter().find(|(e, c)| {
            matches!(e, Event::Introduced(_))
                || (matches!(e, Event::LastAffected(_)) && c.is_some_and(|c| *c == commit))
        });
        match cause {
            Some((e, _)) if !fixed_here => Ok(Some(Rule {
                range: describe(range),
                reason: format!(
                    "tag {tag} ({}) descends from {} {} and from none of the range's fixes (git ancestry in {})",
                    &commit[..commit.len().min(12)],
                    e.name(),
                    e.value(),
                    clone.display()
                ),
            })),
            _ => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_urls_compare_however_they_are_spelt() {
        for url in [
            "https://github.com/python/cpython",
            "https://github.com/python/cpython.git",
            "git+https://github.com/python/cpython@v3.13.5",
            "http://GitHub.com/python/cpython/",
            "git@github.com:python/cpython.git",
            "ssh://git@github.com/python/cpython",
        ] {
            assert_eq!(normalize_repo(url), "github.com/python/cpython", "{url}");
        }
        assert_ne!(
            normalize_repo("https://github.com/python/cpython-docs"),
            "github.com/python/cpython"
        );
    }
}
