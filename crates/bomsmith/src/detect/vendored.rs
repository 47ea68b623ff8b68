//! Code in a tree that looks copied from elsewhere (`vendor detect`), each candidate with the
//! evidence for it, so that undeclared vendored code does not stay invisible.
//!
//! Signals: marker files of well-known projects (with their version statements), Python
//! distributions (wheels, PKG-INFO, METADATA), package.json and Cargo.toml below the root,
//! children of directories named like `third_party`, `vendor`, `_vendor`, `external`, `deps`,
//! version macros in headers next to a license file, and git submodules.

use super::version::{self as versions, Stated, describe};
use super::{Detector, Evidence};
use crate::error::Result;
use crate::ident::python::wheel_name;
use crate::inventory::Inventory;
use regex::Regex;
use std::collections::BTreeMap;

/// Directory names that hold vendored code by convention.
pub const VENDOR_DIRS: &[&str] = &[
    "third_party",
    "third-party",
    "thirdparty",
    "3rdparty",
    "vendor",
    "vendored",
    "_vendor",
    "external",
    "externals",
    "extern",
    "deps",
];

/// A piece of code that looks vendored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Project name as far as the evidence tells.
    pub name: String,
    /// Directory (or, for a single file such as a wheel, the file) from the tree root.
    pub path: String,
    /// True when `path` is one file.
    pub is_file: bool,
    /// The version the source states, if it does.
    pub version: Option<String>,
    /// Why this is a candidate, and where the version comes from; never empty.
    pub evidence: Vec<String>,
    /// The configured component whose includes cover it, if any (filled in by the caller,
    /// which knows the configuration).
    pub declared: Option<String>,
    /// The built-in detector that fits, if any.
    pub detector: Option<&'static str>,
}

impl Candidate {
    /// A configuration stanza declaring this candidate.
    pub fn stanza(&self) -> String {
        let include = if self.is_file {
            self.path.clone()
        } else if self.path.is_empty() {
            "**".to_owned()
        } else {
            format!("{}/**", self.path)
        };
        let mut s = format!(
            "[[in_tree_sbom.component]]\nname = {}\ninclude = [{}]\n",
            toml_str(&self.name),
            toml_str(&include)
        );
        match self.detector {
            Some(d) if d != self.name => s.push_str(&format!("detector = {}\n", toml_str(d))),
            Some(_) => {}
            None if self.version.is_none() => s.push_str("detector = \"none\"\n"),
            None => {}
        }
        match &self.version {
            Some(v) => s.push_str(&format!("# the source says version {v}\n")),
            None => s.push_str("# the source does not state a version\n"),
        }
        s
    }
}

fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

fn is_under(path: &str, dir: &str) -> bool {
    dir.is_empty() || path == dir || path.strip_prefix(dir).is_some_and(|r| r.starts_with('/'))
}

/// Agreed version of a set of evidence: the first one's (disagreements stay in the evidence).
fn version_of(evidence: &[Stated]) -> Option<String> {
    evidence.first().map(|e| e.version.clone())
}

/// Finds code that looks vendored in a tree or a release archive. From a directory its files
/// are read as needed; from an archive, the files the signals look at are captured as it
/// streams (marker and version files, metadata, manifests, headers).
#[derive(Debug, Clone, Copy, Default)]
pub struct VendoredCodeDetector;

/// File names whose bytes the signals read (besides headers and detector files).
const READ_NAMES: &[&str] = &[
    "PKG-INFO",
    "METADATA",
    "package.json",
    "Cargo.toml",
    ".gitmodules",
    "vendor.txt",
    "__init__.py",
    "configure.ac",
    "configure.in",
    "CMakeLists.txt",
];

impl Detector for VendoredCodeDetector {
    fn wants(&self, path: &str) -> bool {
        let name = path.rsplit('/').next().unwrap_or(path);
        READ_NAMES.contains(&name)
            || name.ends_with(".h")
            || versions::DETECTORS.iter().any(|d| {
                d.markers
                    .iter()
                    .any(|m| versions::has_suffix(path, m.suffix))
                    || d.probes
                        .iter()
                        .any(|p| versions::has_suffix(path, p.suffix))
            })
    }

    fn detect(&self, inventory: &Inventory, found: &mut Vec<Evidence>) -> Result<()> {
        found.extend(candidates(inventory).into_iter().map(Evidence::Vendored));
        Ok(())
    }
}

/// The candidates of a tree, one per path, in path order.
fn candidates(tree: &Inventory) -> Vec<Candidate> {
    let mut found: Vec<Candidate> = Vec::new();
    known_projects(tree, &mut found);
    python_distributions(tree, &mut found);
    manifests(tree, &mut found);
    vendor_directories(tree, &mut found);
    version_macros(tree, &mut found);
    submodules(tree, &mut found);

    // One candidate per path: the first signal names it, the others add evidence.
    let mut merged: BTreeMap<String, Candidate> = BTreeMap::new();
    for c in found {
        match merged.get_mut(&c.path) {
            Some(m) => {
                for e in c.evidence {
                    if !m.evidence.contains(&e) {
                        m.evidence.push(e);
                    }
                }
                if m.version.is_none() {
                    m.version = c.version;
                }
                if m.detector.is_none() {
                    m.detector = c.detector;
                }
            }
            None => {
                merged.insert(c.path.clone(), c);
            }
        }
    }
    let own = own_names(tree);
    merged
        .into_values()
        .filter(|c| !is_own_code(c, &own))
        .collect()
}

/// A project name compared loosely: lower case, `_` and `.` as `-`.
fn loose(name: &str) -> String {
    name.trim().to_ascii_lowercase().replace(['_', '.'], "-")
}

/// The names the project itself goes by, from the root of the tree: the projects its root
/// files identify (`zlib.h` at the root of zlib), `AC_INIT` of a root `configure.ac`,
/// `project()` of a root `CMakeLists.txt`, the name of a root `package.json`, `Cargo.toml` or
/// `PKG-INFO`, and the root directory's name without its version (`zlib-1.3.1`).
fn own_names(tree: &Inventory) -> Vec<String> {
    let mut names = Vec::new();
    let dir_name = tree
        .stripped_root
        .clone()
        .or_else(|| {
            tree.root
                .as_ref()
                .and_then(|r| std::fs::canonicalize(r).ok())
                .and_then(|r| r.file_name().map(|n| n.to_string_lossy().into_owned()))
        })
        .unwrap_or_default();
    let base = match dir_name
        .char_indices()
        .find(|&(i, c)| c == '-' && dir_name[i + 1..].starts_with(|d: char| d.is_ascii_digit()))
    {
        Some((i, _)) => &dir_name[..i],
        None => dir_name.as_str(),
    };
    if !base.is_empty() {
        names.push(loose(base));
    }
    for det in versions::DETECTORS {
        for m in det.markers {
            let Ok(re) = Regex::new(m.contains) else {
                continue;
            };
            let at_root = tree
                .under("")
                .filter(|p| !p.contains('/') && versions::has_suffix(p, m.suffix));
            for path in at_root {
                if tree.text(path).is_some_and(|t| re.is_match(&t)) {
                    names.push(loose(det.name));
                }
            }
        }
    }
    let first = |path: &str, re: &str| -> Option<String> {
        let text = tree.text(path)?;
        let re = Regex::new(re).ok()?;
        Some(loose(re.captures(&text)?.get(1)?.as_str()))
    };
    for (path, re) in [
        ("configure.ac", r"AC_INIT\(\s*\[?\s*([A-Za-z0-9_.+-]+)"),
        ("configure.in", r"AC_INIT\(\s*\[?\s*([A-Za-z0-9_.+-]+)"),
        ("CMakeLists.txt", r"(?i)\bproject\s*\(\s*([A-Za-z0-9_.+-]+)"),
        ("package.json", r#""name"\s*:\s*"([^"]+)""#),
        ("Cargo.toml", r#"(?m)^name\s*=\s*"([^"]+)""#),
        ("PKG-INFO", r"(?m)^Name:\s*(\S+)"),
    ] {
        if tree.has(path)
            && let Some(n) = first(path, re)
        {
            names.push(n);
        }
    }
    names.sort();
    names.dedup();
    names
}

/// True for the project's own code: the root of the tree, or a candidate named like the
/// project itself outside any vendor directory.
fn is_own_code(c: &Candidate, own: &[String]) -> bool {
    if c.path.is_empty() {
        return true;
    }
    let in_vendor_dir = c.path.split('/').any(|p| VENDOR_DIRS.contains(&p));
    !in_vendor_dir && own.contains(&loose(&c.name))
}

fn known_projects(tree: &Inventory, found: &mut Vec<Candidate>) {
    let mut at: BTreeMap<(&'static str, String), Vec<String>> = BTreeMap::new();
    for det in versions::DETECTORS {
        for m in det.markers {
            let Ok(re) = Regex::new(m.contains) else {
                continue;
            };
            for path in tree.under("").filter(|p| versions::has_suffix(p, m.suffix)) {
                if let Some(text) = tree.text(path)
                    && re.is_match(&text)
                {
                    at.entry((det.name, parent(path).to_owned()))
                        .or_default()
                        .push(format!("{path}: identifies {}", det.name));
                }
            }
        }
    }
    // A project found in a directory and again below it is one copy.
    let keys: Vec<(&'static str, String)> = at.keys().cloned().collect();
    for (name, dir) in &keys {
        let nested = keys
            .iter()
            .any(|(n, d)| n == name && d != dir && is_under(dir, d));
        if nested {
            continue;
        }
        let Some(det) = versions::detector(name) else {
            continue;
        };
        let files: Vec<&str> = tree.under(dir).collect();
        let evidence = versions::detect(det, name, &files, tree);
        let mut lines: Vec<String> = keys
            .iter()
            .filter(|(n, d)| n == name && is_under(d, dir))
            .flat_map(|k| at[k].clone())
            .collect();
        lines.dedup();
        if evidence.is_empty() {
            lines.push(format!("the source does not state {name}'s version"));
        }
        lines.extend(evidence.iter().map(describe));
        found.push(Candidate {
            name: (*name).to_owned(),
            path: dir.clone(),
            is_file: false,
            version: version_of(&evidence),
            evidence: lines,
            declared: None,
            detector: Some(det.name),
        });
    }
}

fn python_distributions(tree: &Inventory, found: &mut Vec<Candidate>) {
    let field = |text: &str, key: &str| -> Option<String> {
        text.lines()
            .take_while(|l| !l.is_empty())
            .find_map(|l| l.strip_prefix(key).map(|v| v.trim().to_owned()))
    };
    for path in tree.under("") {
        let file_name = path.rsplit('/').next().unwrap_or(path);
        if let Some((project, version)) = wheel_name(file_name) {
            found.push(Candidate {
                name: crate::ident::pep503(project),
                path: path.to_owned(),
                is_file: true,
                version: Some(version.to_owned()),
                evidence: vec![format!("{path}: wheel of {project} {version}")],
                declared: None,
                detector: Some("python"),
            });
            continue;
        }
        let dist_dir = parent(path);
        let (is_meta, dir) = match file_name {
            "PKG-INFO" if dist_dir.ends_with(".egg-info") => (true, parent(dist_dir)),
            "PKG-INFO" => (true, dist_dir),
            "METADATA" if dist_dir.ends_with(".dist-info") => (true, parent(dist_dir)),
            _ => (false, ""),
        };
        if !is_meta || dir.is_empty() {
            continue;
        }
        let Some(text) = tree.text(path) else {
            continue;
        };
        let (Some(name), Some(version)) = (field(&text, "Name:"), field(&text, "Version:")) else {
            continue;
        };
        found.push(Candidate {
            name: crate::ident::pep503(&name),
            path: dir.to_owned(),
            is_file: false,
            version: Some(version.clone()),
            evidence: vec![format!("{path}: Python distribution {name} {version}")],
            declared: None,
            detector: Some("python"),
        });
    }
}

fn manifests(tree: &Inventory, found: &mut Vec<Candidate>) {
    for path in tree.under("") {
        let file_name = path.rsplit('/').next().unwrap_or(path);
        let dir = parent(path);
        if dir.is_empty() || path.contains("/node_modules/") && file_name != "package.json" {
            continue;
        }
        let parsed = match file_name {
            "package.json" => tree
                .text(path)
                .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
                .and_then(|v| {
                    let name = v.get("name")?.as_str()?.to_owned();
                    let version = v.get("version").and_then(|x| x.as_str()).map(str::to_owned);
                    Some(("npm package", name, version))
                }),
            "Cargo.toml" => tree
                .text(path)
                .and_then(|t| toml::from_str::<toml::Table>(&t).ok())
                .and_then(|t| {
                    let pkg = t.get("package")?.as_table()?;
                    let name = pkg.get("name")?.as_str()?.to_owned();
                    let version = pkg
                        .get("version")
                        .and_then(|x| x.as_str())
                        .map(str::to_owned);
                    Some(("Rust crate", name, version))
                }),
            _ => None,
        };
        if let Some((what, name, version)) = parsed {
            found.push(Candidate {
                evidence: vec![format!(
                    "{path}: {what} {name}{}",
                    version
                        .as_deref()
                        .map(|v| format!(" {v}"))
                        .unwrap_or_default()
                )],
                name,
                path: dir.to_owned(),
                is_file: false,
                version,
                declared: None,
                detector: None,
            });
        }
    }
}

fn vendor_directories(tree: &Inventory, found: &mut Vec<Candidate>) {
    let mut children: BTreeMap<String, &str> = BTreeMap::new();
    for path in tree.under("") {
        let parts: Vec<&str> = path.split('/').collect();
        for (i, part) in parts.iter().enumerate().take(parts.len().saturating_sub(2)) {
            if VENDOR_DIRS.contains(part) {
                let child = parts[..i + 2].join("/");
                children.entry(child).or_insert(part);
            }
        }
    }
    let python = versions::detector("python");
    for (dir, vendor_dir) in children {
        let name = dir.rsplit('/').next().unwrap_or(&dir).to_owned();
        let mut files: Vec<&str> = tree.under(&dir).collect();
        let pins = format!("{}/vendor.txt", parent(&dir));
        if tree.has(&pins) {
            files.push(&pins);
        }
        let evidence = python
            .map(|d| versions::detect(d, &name, &files, tree))
            .unwrap_or_default();
        let mut lines = vec![format!("{dir}: inside a `{vendor_dir}` directory")];
        lines.extend(evidence.iter().map(describe));
        found.push(Candidate {
            name,
            path: dir.clone(),
            is_file: false,
            version: version_of(&evidence),
            evidence: lines,
            declared: None,
            detector: (!evidence.is_empty()).then_some("python"),
        });
    }
}

fn version_macros(tree: &Inventory, found: &mut Vec<Candidate>) {
    let Ok(re) = Regex::new(
        r#"(?m)^#\s*define\s+([A-Z][A-Z0-9_]*?)_VERSION(?:_STRING|_STR)?\s+"([0-9]+\.[0-9][0-9A-Za-z.\-]*)""#,
    ) else {
        return;
    };
    let licensed = |dir: &str| {
        tree.under(dir).any(|f| {
            parent(f) == dir && {
                let n = f.rsplit('/').next().unwrap_or(f).to_ascii_uppercase();
                n.starts_with("COPYING") || n.starts_with("LICENSE") || n.starts_with("LICENCE")
            }
        })
    };
    for path in tree.under("").filter(|p| p.ends_with(".h")) {
        let dir = parent(path);
        if dir.is_empty() || !licensed(dir) {
            continue;
        }
        let Some(text) = tree.text(path) else {
            continue;
        };
        if let Some(e) = versions::probe_text(path, &text, &re) {
            // probe_text joins the groups; split the prefix back off.
            let (prefix, version) = e.version.split_once('.').unwrap_or(("", &e.version));
            found.push(Candidate {
                name: prefix.to_ascii_lowercase(),
                path: dir.to_owned(),
                is_file: false,
                version: Some(version.to_owned()),
                evidence: vec![format!(
                    "{path}:{}: {} (a version macro beside a license file)",
                    e.line, e.excerpt
                )],
                declared: None,
                detector: None,
            });
        }
    }
}

fn submodules(tree: &Inventory, found: &mut Vec<Candidate>) {
    if !tree.has(".gitmodules") {
        return;
    }
    let Some(text) = tree.text(".gitmodules") else {
        return;
    };
    let mut path: Option<String> = None;
    let mut url: Option<String> = None;
    let mut flush = |path: &mut Option<String>, url: &mut Option<String>| {
        if let Some(p) = path.take() {
            let u = url.take().unwrap_or_else(|| "(no url)".into());
            found.push(Candidate {
                name: p.rsplit('/').next().unwrap_or(&p).to_owned(),
                path: p.clone(),
                is_file: false,
                version: None,
                evidence: vec![format!(".gitmodules: submodule at {p} from {u}")],
                declared: None,
                detector: None,
            });
        }
        *url = None;
    };
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            flush(&mut path, &mut url);
        } else if let Some((k, v)) = line.split_once('=') {
            match k.trim() {
                "path" => path = Some(v.trim().trim_end_matches('/').to_owned()),
                "url" => url = Some(v.trim().to_owned()),
                _ => {}
            }
        }
    }
    flush(&mut path, &mut url);
}
