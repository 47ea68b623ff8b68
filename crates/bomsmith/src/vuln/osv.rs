//! OSV records (schema 1.x), in JSON or YAML, into [`Advisory`].
//!
//! A file is recognised by content: a record is a mapping with an `id` and at least one of the
//! fields every OSV record carries (`modified`, `affected`, `schema_version`, `published`,
//! `aliases`). Anything else (a licence text, an ID allocator, an index) is not a record and is
//! skipped. A record that does not have the schema's shape is malformed: the error names the
//! JSON pointer of the offending value (and for YAML the line), and the record is left out.

use crate::model::vuln::{
    Advisory, Affected, AffectedPackage, Event, Range, RangeKind, Reference, Severity,
};
use serde::Deserialize;
use serde::de::IgnoredAny;

/// What one file holds.
#[derive(Debug)]
pub enum Parsed {
    /// One record.
    Record(Box<Advisory>),
    /// Many records in one file (an NVD API response or feed).
    Records(Vec<Advisory>),
    /// Not a record (skipped), with why.
    NotARecord(&'static str),
}

/// A record that does not have the OSV schema's shape: where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    /// JSON pointer of the offending value (`""` for the whole record).
    pub pointer: String,
    /// What is wrong (for YAML, with the line).
    pub message: String,
}

#[derive(Deserialize)]
struct RawRecord {
    id: String,
    modified: String,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    withdrawn: Option<String>,
    #[serde(default)]
    aliases: Option<Vec<String>>,
    #[serde(default)]
    upstream: Option<Vec<String>>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    severity: Option<Vec<RawSeverity>>,
    #[serde(default)]
    affected: Option<Vec<RawAffected>>,
    #[serde(default)]
    references: Option<Vec<RawReference>>,
    #[serde(default)]
    database_specific: Option<RawDatabaseSpecific>,
}

#[derive(Deserialize)]
struct RawSeverity {
    #[serde(rename = "type")]
    kind: String,
    score: String,
}

#[derive(Deserialize)]
struct RawReference {
    #[serde(rename = "type")]
    kind: String,
    url: String,
}

/// `database_specific` is free-form; only a qualitative `severity` string is read from it.
#[derive(Deserialize)]
struct RawDatabaseSpecific {
    #[serde(default)]
    severity: Option<Label>,
}

/// A value kept only when it is a string.
#[derive(Deserialize)]
#[serde(untagged)]
enum Label {
    Text(String),
    Other(IgnoredAny),
}

#[derive(Deserialize)]
struct RawAffected {
    #[serde(default)]
    package: Option<RawPackage>,
    #[serde(default)]
    ranges: Option<Vec<RawRange>>,
    #[serde(default)]
    versions: Option<Vec<String>>,
    #[serde(default)]
    severity: Option<Vec<RawSeverity>>,
}

#[derive(Deserialize)]
struct RawPackage {
    ecosystem: String,
    name: String,
    #[serde(default)]
    purl: Option<String>,
}

#[derive(Deserialize)]
struct RawRange {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    repo: Option<String>,
    events: Vec<RawEvent>,
}

#[derive(Deserialize)]
struct RawEvent {
    #[serde(default)]
    introduced: Option<String>,
    #[serde(default)]
    fixed: Option<String>,
    #[serde(default)]
    last_affected: Option<String>,
    #[serde(default)]
    limit: Option<String>,
}

/// Fields at least one of which every OSV record has beside `id` (the schema requires
/// `modified`). Not `published`: NVD's CVE objects have `id` and `published` too (and
/// `lastModified`), and are not broken OSV records.
const RECORD_FIELDS: [&str; 6] = [
    "modified",
    "affected",
    "schema_version",
    "aliases",
    "upstream",
    "withdrawn",
];

/// Parses one file's bytes: JSON when it starts (after white space) with `{` or `[`, else YAML.
pub fn parse(bytes: &[u8]) -> Result<Parsed, Malformed> {
    if bytes.contains(&0) {
        return Ok(Parsed::NotARecord("binary content"));
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Ok(Parsed::NotARecord("not UTF-8 text"));
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.trim_start().chars().next();
    match first {
        None => Ok(Parsed::NotARecord("empty")),
        Some('[') => Ok(Parsed::NotARecord("a JSON array, not a record")),
        Some('{') => parse_json(text),
        Some(_) => parse_yaml(text),
    }
}

fn parse_json(text: &str) -> Result<Parsed, Malformed> {
    match serde_json::from_str::<RawRecord>(text) {
        Ok(raw) => convert(raw).map(|a| Parsed::Record(Box::new(a))),
        Err(first) => {
            let value: serde_json::Value = match serde_json::from_str(text) {
                Ok(v) => v,
                // Not JSON at all: a record only if it looks like one.
                Err(e) if text.contains("\"id\"") => {
                    return Err(Malformed {
                        pointer: String::new(),
                        message: format!("not valid JSON: {e}"),
                    });
                }
                Err(_) => return Ok(Parsed::NotARecord("not JSON or YAML")),
            };
            locate(&value, first.to_string())
        }
    }
}

fn parse_yaml(text: &str) -> Result<Parsed, Malformed> {
    match serde_saphyr::from_str::<RawRecord>(text) {
        Ok(raw) => convert(raw).map(|a| Parsed::Record(Box::new(a))),
        Err(first) => {
            let message = one_line(&first.to_string());
            match serde_saphyr::from_str::<serde_json::Value>(text) {
                Ok(value) => locate(&value, message),
                Err(_) if looks_like_yaml_record(text) => Err(Malformed {
                    pointer: String::new(),
                    message: format!("not valid YAML: {message}"),
                }),
                Err(_) => Ok(Parsed::NotARecord("not JSON or YAML")),
            }
        }
    }
}

/// A text YAML cannot parse is still taken for a broken record when a line starts with `id:`
/// and another with one of the record fields.
fn looks_like_yaml_record(text: &str) -> bool {
    let key = |k: &str| {
        text.lines()
            .any(|l| l.strip_prefix(k).is_some_and(|r| r.starts_with(':')))
    };
    key("id") && RECORD_FIELDS.iter().any(|f| key(f))
}

pub(super) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The typed parse failed: decide whether `value` is a record at all, and if so find where it
/// departs from the schema.
fn locate(value: &serde_json::Value, message: String) -> Result<Parsed, Malformed> {
    let Some(map) = value.as_object() else {
        return Ok(Parsed::NotARecord("not a mapping"));
    };
    if !map.contains_key("id") || !RECORD_FIELDS.iter().any(|f| map.contains_key(*f)) {
        return Ok(Parsed::NotARecord(
            "a mapping without the fields of an OSV record",
        ));
    }
    match serde_path_to_error::deserialize::<_, RawRecord>(value) {
        Err(e) => Err(Malformed {
            pointer: pointer_of(e.path()),
            message: one_line(&e.inner().to_string()),
        }),
        // Read generically, YAML scalars are typed (`1.10` a number), so the generic value can
        // pass where the text did not; the parser's own message (with its line) is then all.
        Ok(_) => Err(Malformed {
            pointer: String::new(),
            message,
        }),
    }
}

pub(super) fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        out.push('/');
        match segment {
            Segment::Seq { index } => out.push_str(&index.to_string()),
            Segment::Map { key } => out.push_str(&key.replace('~', "~0").replace('/', "~1")),
            Segment::Enum { variant } => out.push_str(variant),
            Segment::Unknown => out.push('?'),
        }
    }
    out
}

fn severities(raw: Option<Vec<RawSeverity>>) -> Vec<Severity> {
    raw.unwrap_or_default()
        .into_iter()
        .map(|s| Severity {
            kind: s.kind,
            score: s.score,
            base_score: None,
        })
        .collect()
}

/// Checks what serde cannot (exactly one key per event, a repository for GIT ranges, a
/// non-empty ID) and builds the model.
fn convert(raw: RawRecord) -> Result<Advisory, Malformed> {
    let bad = |pointer: String, message: &str| Malformed {
        pointer,
        message: message.to_owned(),
    };
    if raw.id.trim().is_empty() {
        return Err(bad("/id".into(), "the record's ID is empty"));
    }
    let mut affected = Vec::new();
    for (i, a) in raw.affected.unwrap_or_default().into_iter().enumerate() {
        let mut ranges = Vec::new();
        for (j, r) in a.ranges.unwrap_or_default().into_iter().enumerate() {
            let at = format!("/affected/{i}/ranges/{j}");
            let kind = match r.kind.as_str() {
                "ECOSYSTEM" => RangeKind::Ecosystem,
                "SEMVER" => RangeKind::Semver,
                "GIT" => RangeKind::Git,
                _ => RangeKind::Other(r.kind.clone()),
            };
            if kind == RangeKind::Git && r.repo.as_deref().is_none_or(str::is_empty) {
                return Err(bad(format!("{at}/repo"), "a GIT range needs a `repo`"));
            }
            if r.events.is_empty() {
                return Err(bad(
                    format!("{at}/events"),
                    "a range needs at least one event",
                ));
            }
            let mut events = Vec::with_capacity(r.events.len());
            for (k, e) in r.events.into_iter().enumerate() {
                let mut found: Vec<Event> = Vec::with_capacity(1);
                found.extend(e.introduced.map(Event::Introduced));
                found.extend(e.fixed.map(Event::Fixed));
                found.extend(e.last_affected.map(Event::LastAffected));
                found.extend(e.limit.map(Event::Limit));
                if found.len() != 1 {
                    return Err(bad(
                        format!("{at}/events/{k}"),
                        "an event has exactly one of `introduced`, `fixed`, `last_affected`, `limit`",
                    ));
                }
                events.extend(found);
            }
            ranges.push(Range {
                kind,
                repo: r.repo,
                events,
            });
        }
        affected.push(Affected {
            package: a.package.map(|p| AffectedPackage {
                ecosystem: p.ecosystem,
                name: p.name,
                purl: p.purl,
            }),
            ranges,
            versions: a.versions.unwrap_or_default(),
            severity: severities(a.severity),
        });
    }
    Ok(Advisory {
        id: raw.id,
        aliases: raw.aliases.unwrap_or_default(),
        upstream: raw.upstream.unwrap_or_default(),
        modified: Some(raw.modified),
        published: raw.published,
        withdrawn: raw.withdrawn,
        summary: raw.summary,
        severity: severities(raw.severity),
        severity_label: raw
            .database_specific
            .and_then(|d| d.severity)
            .and_then(|l| match l {
                Label::Text(s) => Some(s),
                Label::Other(_) => None,
            }),
        affected,
        references: raw
            .references
            .unwrap_or_default()
            .into_iter()
            .map(|r| Reference {
                kind: r.kind,
                url: r.url,
            })
            .collect(),
        configurations: Vec::new(),
        status: None,
        products: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(text: &str) -> Advisory {
        match parse(text.as_bytes()) {
            Ok(Parsed::Record(a)) => *a,
            other => panic!("not a record: {other:?}"),
        }
    }

    #[test]
    fn yaml_scalars_that_look_like_numbers_stay_versions() {
        let a = record(
            "id: X-1\nmodified: 2024-01-01T00:00:00Z\naffected:\n- package: {ecosystem: PyPI, name: a}\n  versions:\n  - 1.10\n  - 2\n  ranges:\n  - type: ECOSYSTEM\n    events:\n    - introduced: 0\n    - fixed: 1.20\n",
        );
        assert_eq!(a.affected[0].versions, ["1.10", "2"]);
        assert_eq!(
            a.affected[0].ranges[0].events,
            [Event::Introduced("0".into()), Event::Fixed("1.20".into())]
        );
    }

    #[test]
    fn non_records_are_skipped_by_content() {
        for text in [
            "49801abb7dd135683c714fa03f354c02c95849f38ba3483a8f8894e1ca1f43ad10\n",
            "MIT License\n\nPermission is hereby granted, free of charge, to any person\n",
            "[\"PYSEC-1\", \"PYSEC-2\"]",
            "{\"name\": \"an index\", \"count\": 3}",
            // An NVD CVE object (API 2.0), as fkie-cad's mirror stores them: not OSV.
            "{\"id\": \"CVE-2024-6232\", \"published\": \"2024-09-03T13:15:05.363\", \"lastModified\": \"2024-09-04T21:15:14.643\", \"references\": [{\"url\": \"https://example.org\"}]}",
            "",
        ] {
            assert!(
                matches!(parse(text.as_bytes()), Ok(Parsed::NotARecord(_))),
                "{text:?}"
            );
        }
        assert!(matches!(parse(b"\x00\x01id:"), Ok(Parsed::NotARecord(_))));
    }

    #[test]
    fn malformed_records_are_located_by_json_pointer() {
        let json = r#"{"id":"X","modified":"2024-01-01T00:00:00Z","affected":[{"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":3}]}]}]}"#;
        let e = parse(json.as_bytes()).expect_err("malformed");
        assert_eq!(e.pointer, "/affected/0/ranges/0/events/1/fixed");
        let two = r#"{"id":"X","modified":"2024-01-01T00:00:00Z","affected":[{"ranges":[{"type":"SEMVER","events":[{"introduced":"0","fixed":"1"}]}]}]}"#;
        assert_eq!(
            parse(two.as_bytes()).expect_err("malformed").pointer,
            "/affected/0/ranges/0/events/0"
        );
        let git = "id: X\nmodified: 2024-01-01T00:00:00Z\naffected:\n- ranges:\n  - type: GIT\n    events:\n    - introduced: '0'\n";
        assert_eq!(
            parse(git.as_bytes()).expect_err("malformed").pointer,
            "/affected/0/ranges/0/repo"
        );
        let yaml = "id: X\nmodified: 2024-01-01T00:00:00Z\naffected:\n- package:\n    ecosystem: PyPI\n  versions: {a: b}\n";
        // A missing field is named in the message, at the mapping that lacks it.
        let e = parse(yaml.as_bytes()).expect_err("malformed");
        assert_eq!(e.pointer, "/affected/0/package");
        assert!(e.message.contains("`name`"), "{e:?}");
        let broken = "id: X\nmodified: [unclosed\n";
        assert_eq!(parse(broken.as_bytes()).expect_err("malformed").pointer, "");
        let no_modified = r#"{"id":"X","affected":[]}"#;
        let e = parse(no_modified.as_bytes()).expect_err("malformed");
        assert!(e.message.contains("modified"), "{e:?}");
    }

    #[test]
    fn severity_label_and_withdrawn_are_read() {
        let a = record(
            r#"{"id":"GHSA-x","modified":"2024-01-01T00:00:00Z","withdrawn":"2024-02-01T00:00:00Z","database_specific":{"severity":"HIGH"},"severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}]}"#,
        );
        assert_eq!(a.severity_label.as_deref(), Some("HIGH"));
        assert_eq!(a.withdrawn.as_deref(), Some("2024-02-01T00:00:00Z"));
        assert_eq!(a.severity[0].kind, "CVSS_V3");
        let b = record(
            r#"{"id":"X","modified":"2024-01-01T00:00:00Z","database_specific":{"severity":{"n":1}}}"#,
        );
        assert_eq!(b.severity_label, None);
    }
}
