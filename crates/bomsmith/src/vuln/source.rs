//! Advisory sources: a directory tree of OSV records, a zip of them (OSV's per-ecosystem
//! export), a tar, or one record file. Files are read by the one input reader (links never
//! followed, `.git` skipped, decompression bounded) and parsed in parallel.

use super::osv::{self, Parsed};
use crate::error::{Error, Result};
use crate::input::{self, EntryKind, EntrySink, InputKind, ReadOptions};
use crate::model::vuln::Advisory;
use sha2::{Digest, Sha256};
use std::io::{self, Read};
use std::path::Path;

/// Records larger than this are not read (the largest real OSV records are a few hundred KiB).
pub const MAX_RECORD_BYTES: u64 = 16 << 20;

/// A gzip-compressed file (an NVD feed, `nvdcve-2.0-2024.json.gz`) may be this large...
pub const MAX_COMPRESSED_BYTES: u64 = 128 << 20;

/// ... and decompress to at most this (a year of NVD records is a few hundred MiB).
pub const MAX_DECOMPRESSED_BYTES: u64 = 1 << 30;

fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1f, 0x8b])
}

/// What one source held.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceSummary {
    /// The source as the user named it.
    pub label: String,
    /// `directory`, `zip`, `tar+gzip`, `file`.
    pub kind: String,
    /// SHA-256: of the file, or for a directory of its sorted `path NUL sha256 LF` listing.
    pub sha256: String,
    /// Records loaded (withdrawn ones included).
    pub records: usize,
    /// Records marked withdrawn (loaded, never reported).
    pub withdrawn: usize,
    /// Malformed records, reported and left out.
    pub malformed: usize,
    /// Files that are not records (licences, indexes, allocators).
    pub skipped: usize,
    /// The newest `modified` time of its records (as written).
    pub newest_modified: Option<String>,
}

/// A record that could not be loaded: the file, the JSON pointer, what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Index of the source it belongs to.
    pub source: usize,
    /// The file (`source/path`, or `archive!member`).
    pub file: String,
    /// JSON pointer in the record (`""` for the whole file).
    pub pointer: String,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.pointer.is_empty() {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}: {}: {}", self.file, self.pointer, self.message)
        }
    }
}

/// A loaded record and where it came from.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// Index into [`LoadedSources::sources`].
    pub source: usize,
    /// The file it was read from.
    pub file: String,
    /// The record.
    pub advisory: Advisory,
}

/// Everything read from a set of sources.
#[derive(Debug, Clone, Default)]
pub struct LoadedSources {
    /// One summary per source, in the order given.
    pub sources: Vec<SourceSummary>,
    /// The records, in source order then file order.
    pub records: Vec<Loaded>,
    /// Records left out, with where and why.
    pub problems: Vec<Problem>,
}

/// Collects the files of a source, in input order.
struct Collect<'a> {
    source: usize,
    label: &'a str,
    kind: InputKind,
    files: Vec<(String, Vec<u8>)>,
    problems: Vec<Problem>,
}

impl Collect<'_> {
    fn shown(&self, path: &str) -> String {
        match self.kind {
            InputKind::Directory => format!("{}/{path}", self.label.trim_end_matches('/')),
            _ => format!("{}!{path}", self.label),
        }
    }
}

impl EntrySink for Collect<'_> {
    fn file(&mut self, path: &str, body: &mut dyn Read) -> io::Result<()> {
        let mut bytes = Vec::new();
        body.take(MAX_COMPRESSED_BYTES + 1)
            .read_to_end(&mut bytes)?;
        let limit = if is_gzip(&bytes) {
            MAX_COMPRESSED_BYTES
        } else {
            MAX_RECORD_BYTES
        };
        if bytes.len() as u64 > limit {
            // An archive member must be read to its end.
            io::copy(body, &mut io::sink())?;
            let file = self.shown(path);
            self.problems.push(Problem {
                source: self.source,
                file,
                pointer: String::new(),
                message: format!("larger than {} MiB: not read as a record", limit >> 20),
            });
            return Ok(());
        }
        self.files.push((path.to_owned(), bytes));
        Ok(())
    }

    fn hard_link(&mut self, _path: &str, _target: &str) {}

    fn other(&mut self, _path: &str, _kind: EntryKind) {}

    fn warn(&mut self, _diagnostic: crate::diag::Diagnostic) {}
}

/// Loads every source in `paths`, in order. A source that cannot be read at all (missing, not a
/// directory, archive or record) is an error; a record that cannot be read is a [`Problem`].
pub fn load(paths: &[&Path]) -> Result<LoadedSources> {
    let mut out = LoadedSources::default();
    for (index, path) in paths.iter().enumerate() {
        let label = path.display().to_string();
        let meta = std::fs::metadata(path).map_err(|e| Error::io(&label, e))?;
        let (kind_name, sha256, files, problems) =
            if meta.is_file() && (input::detect(path).is_err() || gzip_of_json(path)) {
                // One record file (or a compressed feed).
                if meta.len() > MAX_COMPRESSED_BYTES {
                    return Err(Error::Unsupported {
                        path: label,
                        message: format!(
                            "larger than {} MiB: not read as advisory records",
                            MAX_COMPRESSED_BYTES >> 20
                        ),
                    });
                }
                let bytes = std::fs::read(path).map_err(|e| Error::io(&label, e))?;
                let sha = hex::encode(Sha256::digest(&bytes));
                (
                    "file".to_owned(),
                    sha,
                    vec![(String::new(), bytes)],
                    Vec::new(),
                )
            } else {
                let kind = input::detect(path)?;
                let mut sink = Collect {
                    source: index,
                    label: &label,
                    kind,
                    files: Vec::new(),
                    problems: Vec::new(),
                };
                let artifact = input::read_input(path, kind, &ReadOptions::default(), &mut sink)?;
                let sha = match artifact.sha256 {
                    Some(d) => hex::encode(d),
                    None => listing_digest(&sink.files),
                };
                (kind.describe(), sha, sink.files, sink.problems)
            };
        let mut summary = SourceSummary {
            label: label.clone(),
            kind: kind_name,
            sha256,
            ..SourceSummary::default()
        };
        summary.malformed = problems.len();
        out.problems.extend(problems);
        let parsed = parse_all(&files);
        let mut newest: Option<(i64, String)> = None;
        for ((path, _), result) in files.iter().zip(parsed) {
            let file = if path.is_empty() {
                label.clone()
            } else if meta.is_dir() {
                format!("{}/{path}", label.trim_end_matches('/'))
            } else {
                format!("{label}!{path}")
            };
            let advisories = match result {
                Ok(Parsed::Record(advisory)) => vec![*advisory],
                Ok(Parsed::Records(list)) => list,
                Ok(Parsed::NotARecord(_)) => {
                    summary.skipped += 1;
                    continue;
                }
                Err(m) => {
                    summary.malformed += 1;
                    out.problems.push(Problem {
                        source: index,
                        file,
                        pointer: m.pointer,
                        message: m.message,
                    });
                    continue;
                }
            };
            for advisory in advisories {
                {
                    summary.records += 1;
                    if advisory.withdrawn.is_some() {
                        summary.withdrawn += 1;
                    }
                    if let Some(m) = &advisory.modified {
                        match crate::ident::parse_timestamp(m) {
                            Some((at, _)) => {
                                if newest.as_ref().is_none_or(|(n, _)| at > *n) {
                                    newest = Some((at, m.clone()));
                                }
                            }
                            None => out.problems.push(Problem {
                                source: index,
                                file: file.clone(),
                                pointer: "/modified".into(),
                                message: format!(
                                    "`{m}` is not an RFC 3339 time; the record is loaded"
                                ),
                            }),
                        }
                    }
                    out.records.push(Loaded {
                        source: index,
                        file: file.clone(),
                        advisory,
                    });
                }
            }
        }
        summary.newest_modified = newest.map(|(_, m)| m);
        out.sources.push(summary);
    }
    Ok(out)
}

/// A directory's digest: SHA-256 over its files' sorted `path NUL sha256-hex LF` lines.
fn listing_digest(files: &[(String, Vec<u8>)]) -> String {
    let mut lines: Vec<(&str, String)> = files
        .iter()
        .map(|(p, b)| (p.as_str(), hex::encode(Sha256::digest(b))))
        .collect();
    lines.sort();
    let mut h = Sha256::new();
    for (p, d) in lines {
        h.update(p.as_bytes());
        h.update([0]);
        h.update(d.as_bytes());
        h.update([b'\n']);
    }
    hex::encode(h.finalize())
}

/// Parses the files on every core, keeping their order.
fn parse_all(files: &[(String, Vec<u8>)]) -> Vec<Result<Parsed, osv::Malformed>> {
    super::par_map(files, |(_, b)| parse_file(b))
}

/// Whether `path` is a gzip-compressed JSON text (an NVD feed file), not a compressed tar.
fn gzip_of_json(path: &Path) -> bool {
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let mut head = Vec::new();
    let mut gz = flate2::read::GzDecoder::new(file);
    if (&mut gz).take(512).read_to_end(&mut head).is_err() {
        return false;
    }
    matches!(
        head.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'{' | b'[')
    )
}

/// One file: a CVE JSON 5 record, or NVD's CVE records, when a JSON text has their fields;
/// else OSV. A gzip-compressed
/// file (an NVD feed) is decompressed first, within [`MAX_DECOMPRESSED_BYTES`].
pub fn parse_file(bytes: &[u8]) -> Result<Parsed, osv::Malformed> {
    if is_gzip(bytes) {
        let mut text = Vec::new();
        let read = flate2::read::MultiGzDecoder::new(bytes)
            .take(MAX_DECOMPRESSED_BYTES + 1)
            .read_to_end(&mut text);
        return match read {
            Err(e) => Err(osv::Malformed {
                pointer: String::new(),
                message: format!("a gzip stream that does not decompress: {e}"),
            }),
            Ok(n) if n as u64 > MAX_DECOMPRESSED_BYTES => Err(osv::Malformed {
                pointer: String::new(),
                message: format!(
                    "decompresses to more than {} MiB: not read",
                    MAX_DECOMPRESSED_BYTES >> 20
                ),
            }),
            // Compressed twice is no feed.
            Ok(_) if is_gzip(&text) => Ok(Parsed::NotARecord("gzip inside gzip")),
            Ok(_) => parse_file(&text),
        };
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim_start().starts_with('{') {
            // A CVE 5 record is told by its metadata member; the NVD's by its fields.
            if super::cve5::looks_like_cve5(text) {
                match super::cve5::parse(text)? {
                    Parsed::NotARecord(_) => {}
                    parsed => return Ok(parsed),
                }
            }
            if super::nvd::looks_like_nvd(text) {
                return super::nvd::parse(text);
            }
        }
    }
    osv::parse(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const RECORD: &str = r#"{"id":"OSV-1","modified":"2024-03-01T00:00:00Z","affected":[{"package":{"ecosystem":"PyPI","name":"a"},"versions":["1.0"]}]}"#;
    const OLDER: &str =
        "id: OSV-2\nmodified: 2023-01-01T00:00:00Z\nwithdrawn: 2023-02-01T00:00:00Z\n";
    const BROKEN: &str =
        r#"{"id":"OSV-3","modified":"2024-01-01T00:00:00Z","affected":[{"versions":"1.0"}]}"#;

    #[test]
    fn a_zip_export_loads_records_and_skips_the_rest_by_content() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("all.zip");
        let mut z = zip::ZipWriter::new(std::fs::File::create(&path).expect("create"));
        let opts = zip::write::SimpleFileOptions::default();
        for (name, body) in [
            ("OSV-1.json", RECORD),
            ("OSV-2.json", OLDER),
            ("OSV-3.json", BROKEN),
            ("LICENSE", "Permission is hereby granted, free of charge"),
            ("ids.json", "[\"OSV-1\"]"),
        ] {
            z.start_file(name, opts).expect("member");
            z.write_all(body.as_bytes()).expect("write");
        }
        z.finish().expect("finish");
        let loaded = load(&[path.as_path()]).expect("loads");
        let s = &loaded.sources[0];
        assert_eq!(
            (
                s.kind.as_str(),
                s.records,
                s.withdrawn,
                s.malformed,
                s.skipped
            ),
            ("zip", 2, 1, 1, 2)
        );
        assert_eq!(s.newest_modified.as_deref(), Some("2024-03-01T00:00:00Z"));
        let p = &loaded.problems[0];
        assert!(p.file.ends_with("all.zip!OSV-3.json"), "{p}");
        assert_eq!(p.pointer, "/affected/0/versions");
        assert_eq!(
            s.sha256,
            hex::encode(Sha256::digest(std::fs::read(&path).expect("read")))
        );
    }

    #[test]
    fn a_directory_digest_follows_its_content_not_its_location() {
        let make = |body: &str| {
            let dir = tempfile::tempdir().expect("tempdir");
            std::fs::create_dir(dir.path().join("a")).expect("mkdir");
            std::fs::write(dir.path().join("a/OSV-1.json"), body).expect("write");
            let loaded = load(&[dir.path()]).expect("loads");
            (dir, loaded.sources[0].sha256.clone())
        };
        let (_a, one) = make(RECORD);
        let (_b, two) = make(RECORD);
        let (_c, three) = make(BROKEN);
        assert_eq!(one, two);
        assert_ne!(one, three);
        let missing = load(&[Path::new("/nonexistent/osv")]).expect_err("missing");
        assert!(
            missing.to_string().contains("/nonexistent/osv"),
            "{missing}"
        );
    }

    #[test]
    fn a_gzip_feed_is_read_and_broken_or_nested_gzip_is_not() {
        use std::io::Write;
        let response = r#"{"format": "NVD_CVE", "version": "2.0", "vulnerabilities": [{"cve": {"id": "CVE-2024-3094", "vulnStatus": "Modified", "lastModified": "2025-01-01T00:00:00.000", "descriptions": [{"lang": "en", "value": "xz"}]}}]}"#;
        let gz = |b: &[u8]| {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(b).expect("gzip");
            e.finish().expect("gzip")
        };
        let once = gz(response.as_bytes());
        match parse_file(&once) {
            Ok(Parsed::Records(list)) => assert_eq!(list[0].id, "CVE-2024-3094"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(parse_file(&gz(&once)), Ok(Parsed::NotARecord(_))));
        let err = parse_file(&once[..once.len() / 2]).expect_err("truncated");
        assert!(
            err.message.contains("does not decompress"),
            "{}",
            err.message
        );
        // A compressed feed given as the source itself is one record file, not a tar.
        let dir = tempfile::tempdir().expect("tempdir");
        let feed = dir.path().join("nvdcve-2.0-2024.json.gz");
        std::fs::write(&feed, &once).expect("write");
        let loaded = load(&[feed.as_path()]).expect("loads");
        assert_eq!(loaded.sources[0].kind, "file");
        assert_eq!(loaded.sources[0].records, 1);
    }
}
