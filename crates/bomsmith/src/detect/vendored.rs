//! Code in a tree that looks copied from elsewhere (`vendor detect`), each candidate with the
//! evidence for it, so that undeclared vendored code does not stay invisible.
//!
//! Signals: marker files of well-known projects (with their version statements, a table in
//! [`versions::DETECTORS`]), Python distributions (wheels and sdists, their METADATA read
//! inside; PKG-INFO, METADATA), package manifests and build files stating a version
//! ([`statement`]), version macros in headers, license files of their own below the root,
//! children of vendor roots, and git submodules.
//!
//! Signals are grouped into one candidate per copy. The copy's root is the child of the
//! deepest vendor root above the signal: a directory named like `third_party`, `vendor`,
//! `_vendor`, `external` or `deps`, or a directory whose children holding well-known projects
//! share a name prefix (CMake's `Utilities/cm*`); outside vendor roots, the nearest directory
//! holding a license file of its own, else the signal's own directory. The project's own code
//! (the tree's root, directories named like the project, license files naming the project's
//! own copyright holders) and test fixtures (anything below a `test`, `tests` or `testdata`
//! directory outside a copy) are never candidates.

use super::statement::{self, Kind};
use super::version::{self as versions, Stated, describe};
use super::{Detector, Evidence};
use crate::error::Result;
use crate::ident::python::wheel_name;
use crate::ident::split_artifact_name;
use crate::input::{self, Limits};
use crate::inventory::{CAPTURE_LIMIT, Inventory};
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};

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
    /// The statements of the version, where the source makes them (first the one taken).
    pub statements: Vec<Stated>,
    /// How sure the evidence is of the name and version.
    pub confidence: Confidence,
    /// NVD's CPE `vendor:product`, from the built-in detector's table.
    pub cpe: Option<&'static str>,
    /// The package's registry, when a manifest or distribution names it there.
    pub registry: Option<Registry>,
    /// Who supplies it, as its own metadata names them (`Person: ...`, `Organization: ...`).
    pub supplier: Option<String>,
}

/// How sure the evidence is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Confidence {
    /// A well-known project identified by its own files, or a package's own metadata.
    High,
    /// A version macro or build file of a project not in the table, named by its prefix or
    /// directory.
    Low,
    /// Only the place says it is vendored (a vendor directory's child, a license file, a
    /// submodule); the name is the directory's.
    Place,
}

impl Confidence {
    /// In words.
    pub fn name(self) -> &'static str {
        match self {
            Confidence::High => "high",
            Confidence::Low => "low",
            Confidence::Place => "place only",
        }
    }

    /// A number between 0 and 1, for formats that want one (CycloneDX evidence).
    pub fn score(self) -> f64 {
        match self {
            Confidence::High => 0.9,
            Confidence::Low => 0.5,
            Confidence::Place => 0.2,
        }
    }
}

/// A registry a vendored package is published in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registry {
    /// PyPI (wheels, sdists, PKG-INFO, METADATA, pyproject.toml).
    PyPi,
    /// npm (package.json).
    Npm,
    /// crates.io (Cargo.toml).
    Cargo,
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
/// streams (marker and version files, metadata, manifests, headers, license files, bundled
/// Python distributions).
#[derive(Debug, Clone)]
pub struct VendoredCodeDetector {
    /// Bounds for reading the distributions bundled in the input.
    pub limits: Limits,
    /// False when the input holds no source code to look for copies in (a binary artifact):
    /// the detector reads nothing and finds nothing.
    pub enabled: bool,
}

impl Default for VendoredCodeDetector {
    fn default() -> Self {
        VendoredCodeDetector {
            limits: Limits::default(),
            enabled: true,
        }
    }
}

/// File names whose bytes the signals read (besides headers, manifests and detector files).
const READ_NAMES: &[&str] = &[".gitmodules", "vendor.txt", "__init__.py"];

/// Names of license files a copy keeps beside its code (compared ignoring ASCII case).
const LICENSE_NAMES: &[&str] = &[
    "LICENSE",
    "LICENCE",
    "COPYING",
    "COPYRIGHT",
    "LICENSE.txt",
    "LICENSE.md",
    "LICENCE.txt",
    "COPYING.txt",
    "COPYING.LIB",
    "COPYRIGHT.txt",
];

/// Directory names that hold test fixtures, examples and documentation, none of it shipped
/// as a component (compared ignoring ASCII case).
const TEST_DIRS: &[&str] = &[
    "test",
    "tests",
    "testing",
    "testdata",
    "test_data",
    "testsuite",
    "example",
    "examples",
    "sample",
    "samples",
    "tutorial",
    "tutorials",
    "doc",
    "docs",
];

fn is_license(file_name: &str) -> bool {
    LICENSE_NAMES
        .iter()
        .any(|n| n.eq_ignore_ascii_case(file_name))
}

fn is_python_dist(file_name: &str) -> bool {
    file_name.ends_with(".whl")
        || (file_name.ends_with(".tar.gz") && split_artifact_name(file_name).1.is_some())
}

/// True for a header that may state its library's version, by its path alone (headers are
/// most of a C tree's bytes, and only these are kept in memory while an archive streams): below
/// a vendor directory; named for a version (`curlver.h`, `json/version.h`); or named like a
/// directory above it, as a library's main header is (`deps/hiredis/hiredis.h`,
/// `Utilities/cmzstd/lib/zstd.h`). Marker and version files of the detector table are wanted
/// whatever their place.
fn header_may_state(path: &str) -> bool {
    let alnum = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase()
    };
    let mut parts: Vec<&str> = path.split('/').collect();
    let name = parts.pop().unwrap_or(path);
    let stem = alnum(name.split('.').next().unwrap_or(name));
    parts.iter().any(|p| VENDOR_DIRS.contains(p))
        || stem.contains("version")
        || stem.ends_with("ver")
        || stem.ends_with("vers")
        || (stem.len() >= 3 && parts.iter().any(|d| alnum(d).contains(&stem)))
}

impl Detector for VendoredCodeDetector {
    fn wants(&self, path: &str) -> bool {
        if !self.enabled {
            return false;
        }
        let name = path.rsplit('/').next().unwrap_or(path);
        if is_fixture(parent(path)) && !path.split('/').any(|p| VENDOR_DIRS.contains(&p)) {
            return false;
        }
        READ_NAMES.contains(&name)
            || (statement::reads(name) && (!statement::is_header(name) || header_may_state(path)))
            || is_license(name)
            || is_python_dist(name)
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
        if !self.enabled {
            return Ok(());
        }
        found.extend(
            candidates(inventory, &self.limits)
                .into_iter()
                .map(Evidence::Vendored),
        );
        Ok(())
    }
}

/// Something that says code is vendored, before it is placed in a copy.
#[derive(Debug, Clone)]
struct Signal {
    /// Directory (or file, for a bundled distribution) it was seen in.
    at: String,
    is_file: bool,
    /// Can make a candidate on its own (else it only tells about a copy other signals or the
    /// place make).
    standalone: bool,
    name: Option<String>,
    /// Lower ranks name the candidate first.
    rank: u8,
    confidence: Confidence,
    stated: Vec<Stated>,
    lines: Vec<String>,
    detector: Option<&'static str>,
    registry: Option<Registry>,
    supplier: Option<String>,
}

impl Signal {
    fn new(at: &str, rank: u8, confidence: Confidence, line: String) -> Self {
        Signal {
            at: at.to_owned(),
            is_file: false,
            standalone: true,
            name: None,
            rank,
            confidence,
            stated: Vec::new(),
            lines: vec![line],
            detector: None,
            registry: None,
            supplier: None,
        }
    }
}

/// Where copies start: directories named like vendor directories, and `(parent, prefix)`
/// pairs found by evidence (`Utilities`, `cm`).
struct Roots {
    prefixed: Vec<(String, String)>,
}

/// How a copy's root was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Placed {
    /// A child of a directory named like a vendor directory.
    Vendor,
    /// A child of a vendor root found by evidence (`Utilities/cm*`).
    Prefix,
    /// The nearest directory with a license file of its own.
    License,
    /// The signal's own directory: nothing else says where the copy starts.
    Own,
}

impl Roots {
    /// The root of the copy `dir` belongs to, and how it was found.
    fn place(&self, dir: &str, licensed: &BTreeSet<&str>) -> (String, Placed) {
        let parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
        let mut best: Option<(usize, Placed)> = None;
        for (i, part) in parts.iter().enumerate().take(parts.len().saturating_sub(1)) {
            if VENDOR_DIRS.contains(part) {
                best = Some((i + 1, Placed::Vendor));
            }
        }
        for (parent, prefix) in &self.prefixed {
            let depth = if parent.is_empty() {
                0
            } else {
                parent.split('/').count()
            };
            if depth < parts.len()
                && is_under(dir, parent)
                && parts[depth].starts_with(prefix.as_str())
                && best.is_none_or(|(b, _)| depth > b)
            {
                best = Some((depth, Placed::Prefix));
            }
        }
        if let Some((i, how)) = best {
            return (parts[..=i].join("/"), how);
        }
        let mut at = dir;
        while !at.is_empty() {
            if licensed.contains(at) {
                return (at.to_owned(), Placed::License);
            }
            at = parent(at);
        }
        (dir.to_owned(), Placed::Own)
    }
}

/// The candidates of a tree, one per copy, in path order.
fn candidates(tree: &Inventory, limits: &Limits) -> Vec<Candidate> {
    let files: Vec<&str> = tree.under("").collect();
    let own = own_names(tree);
    let licensed: BTreeSet<&str> = files
        .iter()
        .filter(|p| p.contains('/') && is_license(p.rsplit('/').next().unwrap_or(p)))
        .map(|p| parent(p))
        .collect();

    let mut signals = Vec::new();
    let known = known_projects(tree, &files, &mut signals);
    let roots = Roots {
        prefixed: prefix_roots(&known),
    };
    python_distributions(tree, &files, limits, &mut signals);
    stated_versions(tree, &files, &mut signals);
    license_files(&files, &licensed, &mut signals);
    vendor_children(&files, &roots, &mut signals);
    submodules(tree, &mut signals);

    // Each signal into its copy.
    let mut copies: BTreeMap<String, Vec<(Signal, Placed)>> = BTreeMap::new();
    for s in signals {
        let (root, placed) = if s.is_file {
            (s.at.clone(), Placed::Vendor)
        } else {
            roots.place(&s.at, &licensed)
        };
        if root.is_empty() || is_fixture(&root) {
            continue;
        }
        copies.entry(root).or_default().push((s, placed));
    }
    let holders = own_holders(tree, &files);
    let mut out = Vec::new();
    for (root, signals) in copies {
        if let Some(c) = candidate(tree, &files, &root, signals, &own, &holders) {
            out.push(c);
        }
    }
    out
}

/// True when `path` lies in a test directory (fixtures, examples, documentation) or in a
/// Python distribution's metadata directory (its `licenses/` are the distribution's own).
pub(crate) fn is_fixture(path: &str) -> bool {
    path.split('/').any(|p| {
        TEST_DIRS.iter().any(|t| t.eq_ignore_ascii_case(p))
            || p.ends_with(".dist-info")
            || p.ends_with(".egg-info")
    })
}

/// The candidate a copy's signals make, if they make one.
fn candidate(
    tree: &Inventory,
    files: &[&str],
    root: &str,
    mut signals: Vec<(Signal, Placed)>,
    own: &[String],
    own_holders: &[String],
) -> Option<Candidate> {
    let is_file = signals.iter().any(|(s, _)| s.is_file && s.at == root);
    // Headers below an `include` directory, and nothing else, are an interface to build
    // against (lxml's `includes/libxml`), not a copy of the library's code.
    let in_include = root
        .split('/')
        .any(|p| p.eq_ignore_ascii_case("include") || p.eq_ignore_ascii_case("includes"));
    if !is_file
        && in_include
        && files.iter().filter(|f| is_under(f, root)).all(|f| {
            let name = f.rsplit('/').next().unwrap_or(f);
            statement::is_header(name) || name == "__init__.py" || name.ends_with(".pxd")
        })
    {
        return None;
    }
    let placed_by_vendor = signals.iter().any(|(_, p)| *p == Placed::Vendor);
    let placed_by_prefix = signals.iter().any(|(_, p)| *p == Placed::Prefix);
    // A copy needs a signal that stands on its own, or a place that says it is one.
    let stands = signals
        .iter()
        .any(|(s, p)| s.standalone || *p != Placed::Own);
    if !stands {
        return None;
    }
    signals.sort_by(|(a, _), (b, _)| (a.rank, &a.at).cmp(&(b.rank, &b.at)));
    let dir_name = root.rsplit('/').next().unwrap_or(root);
    // Of several well-known projects in one copy, the one the directory is named after.
    let best = signals
        .iter()
        .filter(|(s, _)| s.rank == signals[0].0.rank && s.name.is_some())
        .max_by_key(|(s, _)| {
            let n = loose(s.name.as_deref().unwrap_or(""));
            let d = loose(dir_name);
            (
                d.contains(&n) as usize,
                n.len() * usize::from(d.contains(&n)),
            )
        })
        .map(|(s, _)| s.clone())
        .unwrap_or_else(|| signals[0].0.clone());
    // Without a well-known project or a package's metadata, a license or a header notice
    // of the project's own makes it the project's own code.
    let sure = signals
        .iter()
        .any(|(s, _)| s.confidence == Confidence::High);
    if !sure && !placed_by_vendor && license_is_own(tree, files, root, own, own_holders) {
        return None;
    }

    let mut lines: Vec<String> = Vec::new();
    for (s, _) in &signals {
        for l in &s.lines {
            if !lines.contains(l) {
                lines.push(l.clone());
            }
        }
    }
    // The version: the known project's own statements over the whole copy, else the best
    // signal's, else a statement whose name fits the copy.
    let mut stated: Vec<Stated> = Vec::new();
    let detector = best.detector.and_then(versions::detector);
    if let Some(det) = detector
        && !is_file
    {
        let mine: Vec<&str> = files
            .iter()
            .copied()
            .filter(|f| is_under(f, root))
            .collect();
        let name = best.name.clone().unwrap_or_default();
        stated = versions::detect(det, &name, &mine, tree);
        if !det.probes.is_empty() || det.python {
            if stated.is_empty() {
                lines.push(format!("the source does not state {name}'s version"));
            }
        } else {
            lines.push(format!(
                "{name} states its version in no file vendored copies keep"
            ));
        }
    }
    if stated.is_empty() {
        stated = best.stated.clone();
    }
    if stated.is_empty() && detector.is_none() {
        let fits = |s: &Signal| {
            s.name.as_deref().is_some_and(|n| {
                loose(dir_name).contains(&loose(n)) || loose(n).contains(&loose(dir_name))
            })
        };
        let pick = signals
            .iter()
            .filter(|(s, _)| !s.stated.is_empty())
            .find(|(s, _)| fits(s))
            .or_else(|| {
                signals
                    .iter()
                    .filter(|(s, _)| !s.stated.is_empty() && s.confidence != Confidence::Low)
                    .min_by_key(|(s, _)| s.at.matches('/').count())
            })
            .or_else(|| {
                signals
                    .iter()
                    .filter(|(s, _)| !s.stated.is_empty())
                    .min_by_key(|(s, _)| (s.at.matches('/').count(), s.rank))
            });
        if let Some((s, _)) = pick {
            stated = s.stated.clone();
        }
    }
    for e in &stated {
        let d = describe(e);
        if !lines.contains(&d) {
            lines.push(d);
        }
    }
    let name = best
        .name
        .clone()
        .or_else(|| signals.iter().find_map(|(s, _)| s.name.clone()))
        .unwrap_or_else(|| {
            // A directory named like a version (`mimalloc/v2`) is named for its parent.
            let versioned = dir_name
                .strip_prefix(['v', 'V'])
                .unwrap_or(dir_name)
                .split('.')
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
            match parent(root).rsplit('/').next() {
                Some(up) if versioned && !up.is_empty() => up.to_owned(),
                _ => dir_name.to_owned(),
            }
        });
    let confidence = if detector.is_some() || best.confidence == Confidence::High {
        Confidence::High
    } else if signals.iter().any(|(s, _)| s.confidence == Confidence::Low) || !stated.is_empty() {
        Confidence::Low
    } else {
        Confidence::Place
    };
    let in_vendor_dir =
        root.split('/').any(|p| VENDOR_DIRS.contains(&p)) || placed_by_vendor || placed_by_prefix;
    if !in_vendor_dir && own.contains(&loose(&name)) {
        return None;
    }
    Some(Candidate {
        name,
        path: root.to_owned(),
        is_file,
        version: version_of(&stated),
        evidence: lines,
        declared: None,
        detector: detector.map(|d| d.name),
        statements: stated,
        confidence,
        cpe: detector.and_then(|d| d.cpe),
        registry: best.registry,
        supplier: best.supplier.clone(),
    })
}

/// The copyright holders the root's own license file names.
fn own_holders(tree: &Inventory, files: &[&str]) -> Vec<String> {
    files
        .iter()
        .filter(|p| !p.contains('/') && (is_license(p) || p.eq_ignore_ascii_case("Copyright.txt")))
        .filter_map(|p| tree.text(p))
        .flat_map(|t| holders(&t))
        .collect()
}

/// Holders named on `Copyright` lines, without years and marks, in lower case.
fn holders(text: &str) -> Vec<String> {
    text.lines()
        .take(200)
        .filter_map(|l| {
            let at = l.find("Copyright")?;
            let rest = &l[at + "Copyright".len()..];
            let cleaned: String = rest
                .replace("(c)", " ")
                .replace("(C)", " ")
                .replace('©', " ")
                .chars()
                .skip_while(|c| !c.is_alphabetic())
                .collect();
            let cleaned = cleaned.trim().trim_end_matches('.').to_ascii_lowercase();
            (cleaned.len() >= 4).then_some(cleaned)
        })
        .collect()
}

/// True when the copy at `root` is the project's own: its license file names the project's
/// own copyright holders, or its headers open with a notice naming the project.
fn license_is_own(
    tree: &Inventory,
    files: &[&str],
    root: &str,
    own: &[String],
    own_holders: &[String],
) -> bool {
    let mine = files.iter().filter(|f| is_under(f, root));
    for f in mine {
        let name = f.rsplit('/').next().unwrap_or(f);
        if parent(f) == root && is_license(name) {
            let same = |a: &String, b: &String| a.contains(b.as_str()) || b.contains(a.as_str());
            if let Some(t) = tree.text(f)
                && holders(&t)
                    .iter()
                    .any(|h| own_holders.iter().any(|o| same(h, o)))
            {
                return true;
            }
        } else if statement::is_header(name)
            && let Some(t) = tree.text(f)
        {
            let opening: String = t.chars().take(600).collect::<String>().to_ascii_lowercase();
            if own
                .iter()
                .any(|o| o.len() >= 3 && opening.contains(o.as_str()))
            {
                return true;
            }
        }
    }
    false
}

/// Well-known projects identified by their marker files. Returns each (directory, project).
fn known_projects(
    tree: &Inventory,
    files: &[&str],
    signals: &mut Vec<Signal>,
) -> Vec<(String, &'static str)> {
    let mut at: BTreeMap<(String, &'static str), Vec<String>> = BTreeMap::new();
    for det in versions::DETECTORS {
        for m in det.markers {
            let Ok(re) = Regex::new(m.contains) else {
                continue;
            };
            for path in files.iter().filter(|p| versions::has_suffix(p, m.suffix)) {
                if let Some(text) = tree.text(path)
                    && re.is_match(&text)
                {
                    at.entry((parent(path).to_owned(), det.name))
                        .or_default()
                        .push(format!("{path}: identifies {}", det.name));
                }
            }
        }
    }
    let mut found = Vec::new();
    for ((dir, name), lines) in at {
        found.push((dir.clone(), name));
        let mut s = Signal::new(&dir, 0, Confidence::High, String::new());
        s.lines = lines;
        s.name = Some(name.to_owned());
        s.detector = Some(name);
        s.registry = versions::detector(name)
            .filter(|d| d.python)
            .map(|_| Registry::PyPi);
        signals.push(s);
    }
    found
}

/// Directories whose children holding well-known projects share a name prefix of two or more
/// characters (CMake's `Utilities/cmzlib`, `Utilities/cmcurl`): `(parent, prefix)`.
fn prefix_roots(known: &[(String, &'static str)]) -> Vec<(String, String)> {
    let mut children: BTreeMap<String, BTreeMap<String, BTreeSet<&str>>> = BTreeMap::new();
    for (dir, name) in known {
        let mut at = dir.as_str();
        while !at.is_empty() {
            let up = parent(at);
            let child = at.rsplit('/').next().unwrap_or(at);
            children
                .entry(up.to_owned())
                .or_default()
                .entry(child.to_owned())
                .or_default()
                .insert(name);
            at = up;
        }
    }
    let mut out = Vec::new();
    for (parent_dir, kids) in children {
        let projects: BTreeSet<&str> = kids.values().flatten().copied().collect();
        if kids.len() < 2 || projects.len() < 2 {
            continue;
        }
        let names: Vec<&str> = kids.keys().map(String::as_str).collect();
        let mut prefix = names[0].to_owned();
        for n in &names[1..] {
            let common = prefix
                .chars()
                .zip(n.chars())
                .take_while(|(a, b)| a == b)
                .count();
            prefix = prefix.chars().take(common).collect();
        }
        let shortest = names.iter().map(|n| n.chars().count()).min().unwrap_or(0);
        if prefix.chars().count() >= 2
            && prefix.chars().count() < shortest
            && prefix.chars().all(|c| c.is_ascii_alphanumeric())
        {
            out.push((parent_dir, prefix));
        }
    }
    out
}

/// Bundled wheels and sdists (name and version from the metadata inside, else the file
/// name), and unpacked distributions (PKG-INFO, METADATA).
fn python_distributions(
    tree: &Inventory,
    files: &[&str],
    limits: &Limits,
    signals: &mut Vec<Signal>,
) {
    for path in files {
        let file_name = path.rsplit('/').next().unwrap_or(path);
        if is_python_dist(file_name) {
            let from_name = if file_name.ends_with(".whl") {
                wheel_name(file_name).map(|(n, v)| (n.to_owned(), v.to_owned()))
            } else {
                let (n, v) = split_artifact_name(file_name.trim_end_matches(".tar.gz"));
                v.map(|v| (n, v))
            };
            let Some((project, version)) = from_name else {
                continue;
            };
            let inside = inner_metadata(tree, path, &project, &version, limits);
            let mut s = Signal::new(path, 1, Confidence::High, String::new());
            s.supplier = inside.as_ref().and_then(|(_, supplier)| supplier.clone());
            let inside = inside.map(|(f, _)| f);
            s.is_file = true;
            s.registry = Some(Registry::PyPi);
            s.detector = Some("python");
            match inside {
                Some(f) => {
                    s.name = f.name.as_deref().map(crate::ident::pep503);
                    s.lines = vec![format!(
                        "{}:{}: {} (metadata inside the distribution)",
                        f.stated.file, f.stated.line, f.stated.excerpt
                    )];
                    s.stated = vec![f.stated];
                }
                None => {
                    s.name = Some(crate::ident::pep503(&project));
                    s.lines = vec![format!("{path}: distribution of {project} {version}")];
                    s.stated = vec![Stated {
                        file: (*path).to_owned(),
                        line: 0,
                        version: version.clone(),
                        excerpt: format!("file name {file_name}"),
                    }];
                }
            }
            signals.push(s);
            continue;
        }
        let dist_dir = parent(path);
        let dir = match file_name {
            "PKG-INFO" if dist_dir.ends_with(".egg-info") => parent(dist_dir),
            "PKG-INFO" => dist_dir,
            "METADATA" if dist_dir.ends_with(".dist-info") => parent(dist_dir),
            _ => continue,
        };
        if dir.is_empty() {
            continue;
        }
        let Some(text) = tree.text(path) else {
            continue;
        };
        let Some(f) = statement::read(path, &text).into_iter().next() else {
            continue;
        };
        let name = f.name.clone().unwrap_or_default();
        let mut s = Signal::new(
            dir,
            1,
            Confidence::High,
            format!("{path}: Python distribution {name} {}", f.stated.version),
        );
        s.name = Some(crate::ident::pep503(&name));
        s.stated = vec![f.stated];
        s.registry = Some(Registry::PyPi);
        s.detector = Some("python");
        s.supplier = super::python::parse_metadata(path, text.as_bytes()).and_then(|m| m.supplier);
        signals.push(s);
    }
}

/// The `METADATA` (wheel) or `PKG-INFO` (sdist) inside the distribution at `path`: its
/// version statement, and the supplier it names.
fn inner_metadata(
    tree: &Inventory,
    path: &str,
    project: &str,
    version: &str,
    limits: &Limits,
) -> Option<(statement::Found, Option<String>)> {
    let bytes = tree.bytes(path).ok()??;
    let member = if path.ends_with(".whl") {
        format!("{project}-{version}.dist-info/METADATA")
    } else {
        let base = path.rsplit('/').next()?.trim_end_matches(".tar.gz");
        format!("{base}/PKG-INFO")
    };
    let place = format!("{}!{member}", path);
    let inner = input::member(&bytes, path, &member, limits, CAPTURE_LIMIT.min(1 << 20)).ok()??;
    let text = String::from_utf8_lossy(&inner);
    let mut f = statement::read(&member, &text).into_iter().next()?;
    f.stated.file = place;
    let supplier = super::python::parse_metadata(&member, &inner).and_then(|m| m.supplier);
    Some((f, supplier))
}

/// Versions stated by manifests, build files, version files and header macros.
fn stated_versions(tree: &Inventory, files: &[&str], signals: &mut Vec<Signal>) {
    for path in files {
        let file_name = path.rsplit('/').next().unwrap_or(path);
        if !statement::reads(file_name)
            || (statement::is_header(file_name) && !header_may_state(path))
            || matches!(file_name, "PKG-INFO" | "METADATA")
            || !path.contains('/')
            || path.contains("/node_modules/") && file_name != "package.json"
        {
            continue;
        }
        let Some(text) = tree.text(path) else {
            continue;
        };
        for f in statement::read(path, &text) {
            let (rank, confidence, standalone, registry) = match (f.kind, file_name) {
                // A manifest alone is a package of the project's own (a workspace member, a fuzz
                // crate) unless it sits under a vendor root or beside a license of its own.
                (Kind::Manifest, "package.json") => {
                    (2, Confidence::High, false, Some(Registry::Npm))
                }
                (Kind::Manifest, "Cargo.toml") => {
                    (2, Confidence::High, false, Some(Registry::Cargo))
                }
                (Kind::Manifest, _) => (2, Confidence::High, false, Some(Registry::PyPi)),
                (Kind::Build, _) => (3, Confidence::Low, false, None),
                (Kind::VersionFile, _) => (4, Confidence::Low, false, None),
                (Kind::Macro | Kind::ComposedMacro, _) => (5, Confidence::Low, false, None),
            };
            let mut s = Signal::new(
                parent(path),
                rank,
                confidence,
                format!("{} ({})", describe(&f.stated), f.kind.describe()),
            );
            s.standalone = standalone;
            s.name = f.name.clone();
            s.registry = registry;
            s.stated = vec![f.stated];
            signals.push(s);
        }
    }
}

/// Directories below the root with a license file of their own.
fn license_files(files: &[&str], licensed: &BTreeSet<&str>, signals: &mut Vec<Signal>) {
    for dir in licensed {
        let file = files
            .iter()
            .find(|f| parent(f) == *dir && is_license(f.rsplit('/').next().unwrap_or(f)))
            .copied()
            .unwrap_or(dir);
        let mut s = Signal::new(
            dir,
            7,
            Confidence::Place,
            format!("{file}: a license file of its own"),
        );
        s.standalone = false;
        signals.push(s);
    }
}

/// The children of vendor roots, each a copy by its place.
fn vendor_children(files: &[&str], roots: &Roots, signals: &mut Vec<Signal>) {
    let mut children: BTreeMap<String, String> = BTreeMap::new();
    for path in files {
        let parts: Vec<&str> = path.split('/').collect();
        for (i, part) in parts.iter().enumerate().take(parts.len().saturating_sub(2)) {
            if VENDOR_DIRS.contains(part) {
                children
                    .entry(parts[..i + 2].join("/"))
                    .or_insert_with(|| format!("inside a `{part}` directory"));
            }
        }
        for (parent_dir, prefix) in &roots.prefixed {
            let depth = if parent_dir.is_empty() {
                0
            } else {
                parent_dir.split('/').count()
            };
            if parts.len() > depth + 1
                && is_under(path, parent_dir)
                && parts[depth].starts_with(prefix.as_str())
            {
                children
                    .entry(parts[..=depth].join("/"))
                    .or_insert_with(|| {
                        format!(
                            "beside other copies named `{prefix}*` in `{}`",
                            if parent_dir.is_empty() {
                                "."
                            } else {
                                parent_dir
                            }
                        )
                    });
            }
        }
    }
    for (dir, why) in children {
        let mut s = Signal::new(&dir, 8, Confidence::Place, format!("{dir}: {why}"));
        let name = dir.rsplit('/').next().unwrap_or(&dir);
        let prefixed = roots
            .prefixed
            .iter()
            .find(|(p, _)| parent(&dir) == p)
            .map(|(_, prefix)| prefix.as_str());
        s.name = Some(match prefixed {
            Some(prefix) => name.strip_prefix(prefix).unwrap_or(name).to_owned(),
            None => name.to_owned(),
        });
        signals.push(s);
    }
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

fn submodules(tree: &Inventory, signals: &mut Vec<Signal>) {
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
            let mut s = Signal::new(
                &p,
                6,
                Confidence::Place,
                format!(".gitmodules: submodule at {p} from {u}"),
            );
            s.name = Some(p.rsplit('/').next().unwrap_or(&p).to_owned());
            signals.push(s);
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
