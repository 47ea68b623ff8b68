//! `scan --source`: the versions the source release of a binary artifact declares (the SBOMs
//! its tree keeps, `[source] sboms`, and its own version, `[source] version_file`), set against
//! what the artifact's bytes state. Every disagreement is a diagnostic located at the
//! declaration (`Python-3.13.5.tar.xz!Misc/externals.spdx.json`, at the package's
//! `versionInfo`) that names the artifact's files where the other version was read.

use crate::assemble::{
    SOURCE_COMPONENT_ABSENT, SOURCE_RELEASE_DIFFERS, SOURCE_VERSION_DIFFERS,
    SOURCE_VERSION_UNSTATED,
};
use crate::config::Config;
use crate::diag::{Diagnostic, Location};
use crate::error::{Error, Result};
use crate::format::spdx2::NOASSERTION;
use crate::input::{self, EntryKind, EntrySink, ReadOptions};
use crate::model::Document;
use std::collections::BTreeMap;
use std::io::{self, Read};
use std::path::Path;

/// Largest file read from the source (an SBOM, a header).
const MAX_FILE: u64 = 32 << 20;

/// What the source says.
#[derive(Debug, Default)]
pub struct SourceFacts {
    /// How messages name the source (`Python-3.13.5.tar.xz`).
    pub shown: String,
    /// True when the source is a directory (its files are named `DIR/PATH`, not `ARCHIVE!PATH`).
    pub is_dir: bool,
    /// The project's own version, and the file it was read from.
    pub version: Option<(String, String)>,
    /// Declared components by the name binary identification gives them (lower case): the
    /// name and version as declared, the SBOM's path and the package's index in it.
    pub declared: BTreeMap<String, Declaration>,
}

impl SourceFacts {
    /// Where the source's file `path` is: in the archive, or in the directory.
    fn location(&self, path: &str) -> Location {
        if self.is_dir {
            Location::file(format!("{}/{path}", self.shown.trim_end_matches('/')))
        } else {
            Location::file(path.to_owned()).in_member(&self.shown)
        }
    }
}

/// One declared component.
#[derive(Debug, Clone)]
pub struct Declaration {
    /// The name as the SBOM gives it.
    pub name: String,
    /// The version as the SBOM gives it.
    pub version: Option<String>,
    /// The SBOM's path in the source (or the SBOM file's name, when given alone).
    pub sbom: String,
    /// The package's index in the SBOM's `packages`.
    pub index: usize,
    /// True when the SBOM is a file of the source (else it was given alone).
    pub in_source: bool,
}

/// Keeps the bytes of the wanted files of a source tree or archive (under its single top
/// directory or not).
struct Wanted<'a> {
    want: &'a [String],
    got: BTreeMap<String, Vec<u8>>,
    too_large: Option<String>,
}

impl Wanted<'_> {
    fn which(&self, path: &str) -> Option<String> {
        let below = path.split_once('/').map(|(_, rest)| rest);
        self.want
            .iter()
            .find(|w| path == w.as_str() || below == Some(w.as_str()))
            .cloned()
    }
}

impl EntrySink for Wanted<'_> {
    fn file(&mut self, path: &str, body: &mut dyn Read) -> io::Result<()> {
        match self.which(path) {
            Some(w) if !self.got.contains_key(&w) => {
                let mut buf = Vec::new();
                (&mut *body).take(MAX_FILE + 1).read_to_end(&mut buf)?;
                if buf.len() as u64 > MAX_FILE {
                    self.too_large = Some(path.to_owned());
                }
                io::copy(body, &mut io::sink())?;
                self.got.insert(w, buf);
            }
            _ => {
                io::copy(body, &mut io::sink())?;
            }
        }
        Ok(())
    }
    fn file_at(&mut self, path: &str, full: &Path) -> io::Result<()> {
        if self.which(path).is_some() {
            self.file(path, &mut std::fs::File::open(full)?)
        } else {
            Ok(())
        }
    }
    fn hard_link(&mut self, _: &str, _: &str) {}
    fn other(&mut self, _: &str, _: EntryKind) {}
    fn warn(&mut self, _: Diagnostic) {}
}

/// Reads what `config`'s `[source]` asks for from the source at `path`: a source release
/// (archive or directory), or one SBOM file given alone (`Misc/externals.spdx.json`).
pub fn read_source(path: &Path, config: &Config, read: &ReadOptions) -> Result<SourceFacts> {
    let shown = path.display().to_string();
    let source = &config.source;
    if source.sboms.is_empty() && source.version_file.is_none() {
        return Err(Error::Unsupported {
            path: shown,
            message: "the configuration has no `[source]` section saying what to read from a source (the cpython presets have one)".into(),
        });
    }
    let mut facts = SourceFacts {
        shown: shown.clone(),
        is_dir: path.is_dir(),
        ..SourceFacts::default()
    };
    let is_file = path.is_file();
    let mut head = [0u8; 1];
    if is_file {
        let mut f = std::fs::File::open(path).map_err(|e| Error::io(&shown, e))?;
        let n = f.read(&mut head).map_err(|e| Error::io(&shown, e))?;
        if n == 1 && (head[0].is_ascii_whitespace() || head[0] == b'{') {
            // One SBOM, given alone.
            let bytes = std::fs::read(path).map_err(|e| Error::io(&shown, e))?;
            let name = path
                .file_name()
                .map_or_else(|| shown.clone(), |n| n.to_string_lossy().into_owned());
            add_declarations(&mut facts, &name, &shown, &bytes, config, false)?;
            return Ok(facts);
        }
    }
    let mut want: Vec<String> = source.sboms.clone();
    want.extend(source.version_file.iter().cloned());
    let mut sink = Wanted {
        want: &want,
        got: BTreeMap::new(),
        too_large: None,
    };
    let kind = input::detect(path)?;
    input::read_input(path, kind, read, &mut sink)?;
    if let Some(large) = sink.too_large {
        return Err(Error::archive(
            &shown,
            Some(&large),
            format!("larger than the {} MiB read from a source", MAX_FILE >> 20),
        ));
    }
    for sbom in &source.sboms {
        if let Some(bytes) = sink.got.get(sbom) {
            let place = if facts.is_dir {
                format!("{}/{sbom}", shown.trim_end_matches('/'))
            } else {
                format!("{shown}!{sbom}")
            };
            add_declarations(&mut facts, sbom, &place, bytes, config, true)?;
        }
    }
    if let (Some(file), Some(pattern)) = (&source.version_file, &source.version_pattern)
        && let Some(bytes) = sink.got.get(file)
    {
        let text = String::from_utf8_lossy(bytes);
        if let Some(v) = pattern.regex.captures(&text).and_then(|c| c.get(1)) {
            facts.version = Some((v.as_str().to_owned(), file.clone()));
        }
    }
    if facts.declared.is_empty() && facts.version.is_none() {
        return Err(Error::Unsupported {
            path: shown,
            message: format!(
                "holds none of the files `[source]` names ({}): not the source release of this artifact",
                want.join(", ")
            ),
        });
    }
    Ok(facts)
}

/// Adds the packages the SBOM `bytes` (at `sbom`, shown as `place`) declares.
fn add_declarations(
    facts: &mut SourceFacts,
    sbom: &str,
    place: &str,
    bytes: &[u8],
    config: &Config,
    in_source: bool,
) -> Result<()> {
    let (_, doc, _) = crate::format::read(bytes, place)?;
    for (index, p) in doc.packages.iter().enumerate() {
        let key = p.name.to_ascii_lowercase();
        let key = config
            .source
            .aliases
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(&key))
            .map_or(key, |(_, v)| v.to_ascii_lowercase());
        facts.declared.entry(key).or_insert(Declaration {
            name: p.name.clone(),
            version: p.version.clone().filter(|v| v != NOASSERTION),
            sbom: sbom.to_owned(),
            index,
            in_source,
        });
    }
    Ok(())
}

/// True when `a` and `b` are the same version once written alike: numeric parts compared as
/// numbers, trailing `.0` parts dropped (SQLite's `3.49.1.0` is `3.49.1`, Tcl's `8.6.15.0` is
/// `8.6.15`); anything else compared as text, ignoring case.
pub fn same_version(a: &str, b: &str) -> bool {
    fn parts(v: &str) -> Option<Vec<u64>> {
        let mut p: Vec<u64> = v
            .trim()
            .split('.')
            .map(|x| x.parse().ok())
            .collect::<Option<_>>()?;
        while p.len() > 1 && p.last() == Some(&0) {
            p.pop();
        }
        Some(p)
    }
    match (parts(a), parts(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a.trim().eq_ignore_ascii_case(b.trim()),
    }
}

/// The files of the artifact the packages called `name` (at `version`, when given) were
/// found in (their evidence).
fn read_from(doc: &Document, name: &str, version: Option<&str>) -> Vec<String> {
    let mut files: Vec<String> = doc
        .packages
        .iter()
        .filter(|p| p.name.eq_ignore_ascii_case(name))
        .filter(|p| version.is_none() || p.version.as_deref() == version)
        .flat_map(|p| p.evidence.iter().flat_map(|e| &e.occurrences))
        .map(|o| o.location.clone())
        .collect();
    files.sort();
    files.dedup();
    files
}

fn shown_files(files: &[String]) -> String {
    match files.len() {
        0 => "the artifact".into(),
        1..=3 => files
            .iter()
            .map(|f| format!("`{f}`"))
            .collect::<Vec<_>>()
            .join(", "),
        n => format!("`{}`, `{}` and {} more", files[0], files[1], n - 2),
    }
}

/// Sets the artifact's document against what its source declares.
pub fn cross_check(doc: &Document, facts: &SourceFacts) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let root = doc
        .described()
        .next()
        .and_then(|id| doc.packages.iter().find(|p| p.id == id));
    if let (Some((declared, file)), Some(root)) = (&facts.version, root)
        && let Some(built) = root.version.as_deref().filter(|v| *v != NOASSERTION)
        && !same_version(declared, built)
    {
        out.push(Diagnostic::new(
            &SOURCE_RELEASE_DIFFERS,
            facts.location(file),
            format!(
                "the source is {} {declared} (`{file}`), the artifact {} {built}: the source's declarations are of another release",
                root.name, root.name
            ),
        ));
    }
    let root_id = root.map(|r| r.id.as_str());
    for (key, d) in &facts.declared {
        let mut at = if d.in_source {
            facts.location(&d.sbom)
        } else {
            Location::file(facts.shown.clone())
        };
        at.pointer = Some(format!("/packages/{}/versionInfo", d.index));
        let held: Vec<_> = doc
            .packages
            .iter()
            .filter(|p| Some(p.id.as_str()) != root_id && p.name.eq_ignore_ascii_case(key))
            .collect();
        let declared = d.version.as_deref().unwrap_or("no version");
        if held.is_empty() {
            out.push(Diagnostic::new(
                &SOURCE_COMPONENT_ABSENT,
                at,
                format!(
                    "{} {declared}: declared by the source (`{}`), not in this artifact",
                    d.name, d.sbom
                ),
            ));
            continue;
        }
        let files = read_from(doc, key, None);
        let stated: Vec<&str> = held
            .iter()
            .filter_map(|p| p.version.as_deref())
            .filter(|v| *v != NOASSERTION)
            .collect();
        let Some(want) = d.version.as_deref() else {
            continue;
        };
        if stated.is_empty() {
            out.push(Diagnostic::new(
                &SOURCE_VERSION_UNSTATED,
                at,
                format!(
                    "{}: the source declares {want} (`{}`); the artifact's bytes ({}) state no version",
                    d.name,
                    d.sbom,
                    shown_files(&files)
                ),
            ));
            continue;
        }
        for v in stated {
            if !same_version(want, v) {
                out.push(Diagnostic::new(
                    &SOURCE_VERSION_DIFFERS,
                    at.clone(),
                    format!(
                        "{}: the source declares {want} (`{}`), the artifact holds {v} ({})",
                        d.name,
                        d.sbom,
                        shown_files(&read_from(doc, key, Some(v)))
                    ),
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_written_alike() {
        assert!(same_version("3.49.1.0", "3.49.1"));
        assert!(same_version("8.6.15.0", "8.6.15"));
        assert!(same_version("1", "1.0.0"));
        assert!(same_version("1.1.1W", "1.1.1w"));
        assert!(!same_version("3.0.16", "3.0.15"));
        assert!(!same_version("3.49.1", "3.49.10"));
        assert!(!same_version("2.5.1", "4.0.0"));
        assert!(!same_version("1.1.1w", "1.1.1v"));
    }
}
