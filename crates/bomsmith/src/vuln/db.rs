//! The vulnerability database: advisory sources compiled into one SQLite file (bundled SQLite,
//! schema in `docs/vulns.md`). Built in memory and written atomically; the same sources give
//! the same bytes. Opened read-only for matching, so a query reads only the records it needs.

use super::index::{Found, Lookup, package_keys, unpackaged_repos};
use super::source::{LoadedSources, Problem, SourceSummary};
use crate::error::{Error, Result};
use crate::model::vuln::Advisory;
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// The schema version this build writes and reads.
pub const SCHEMA_VERSION: u32 = 1;

/// The `application_id` in the SQLite header ("BmVd"): tells a bomsmith database from any other
/// SQLite file without opening tables.
pub const APPLICATION_ID: i32 = 0x426d_5664;

const SCHEMA: &str = "
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources (
    id INTEGER PRIMARY KEY, label TEXT NOT NULL, kind TEXT NOT NULL, sha256 TEXT NOT NULL,
    records INTEGER NOT NULL, withdrawn INTEGER NOT NULL, malformed INTEGER NOT NULL,
    skipped INTEGER NOT NULL, newest_modified TEXT);
CREATE TABLE records (
    id INTEGER PRIMARY KEY, source INTEGER NOT NULL REFERENCES sources(id),
    file TEXT NOT NULL, record_id TEXT NOT NULL, modified TEXT, withdrawn INTEGER NOT NULL,
    body TEXT NOT NULL);
CREATE TABLE names (record INTEGER NOT NULL REFERENCES records(id), name TEXT NOT NULL);
CREATE TABLE packages (
    record INTEGER NOT NULL REFERENCES records(id), ecosystem TEXT NOT NULL, name TEXT NOT NULL);
CREATE TABLE repos (record INTEGER NOT NULL REFERENCES records(id), repo TEXT NOT NULL);
CREATE TABLE problems (
    source INTEGER NOT NULL REFERENCES sources(id), file TEXT NOT NULL, pointer TEXT NOT NULL,
    message TEXT NOT NULL);
";

const INDEXES: &str = "
CREATE INDEX packages_by_key ON packages (ecosystem, name);
CREATE INDEX repos_by_repo ON repos (repo);
CREATE INDEX names_by_name ON names (name);
";

fn sql_error(file: &str, e: rusqlite::Error) -> Error {
    Error::Unsupported {
        path: file.to_owned(),
        message: format!("vulnerability database: {e}"),
    }
}

/// Compiles loaded sources into database bytes (an SQLite file image).
pub fn build(loaded: &LoadedSources, target: &str) -> Result<Vec<u8>> {
    let err = |e| sql_error(target, e);
    let mut conn = Connection::open_in_memory().map_err(err)?;
    conn.execute_batch(&format!(
        "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {SCHEMA_VERSION};
         PRAGMA page_size = 4096; {SCHEMA}"
    ))
    .map_err(err)?;
    let tx = conn.transaction().map_err(err)?;
    tx.execute(
        "INSERT INTO meta VALUES ('schema_version', ?1), ('generator', ?2)",
        params![
            SCHEMA_VERSION.to_string(),
            concat!("bomsmith-", env!("CARGO_PKG_VERSION"))
        ],
    )
    .map_err(err)?;
    for (i, s) in loaded.sources.iter().enumerate() {
        tx.execute(
            "INSERT INTO sources VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                i as i64 + 1,
                s.label,
                s.kind,
                s.sha256,
                s.records as i64,
                s.withdrawn as i64,
                s.malformed as i64,
                s.skipped as i64,
                s.newest_modified
            ],
        )
        .map_err(err)?;
    }
    {
        let mut record = tx
            .prepare("INSERT INTO records VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
            .map_err(err)?;
        let mut name = tx
            .prepare("INSERT INTO names VALUES (?1, ?2)")
            .map_err(err)?;
        let mut package = tx
            .prepare("INSERT INTO packages VALUES (?1, ?2, ?3)")
            .map_err(err)?;
        let mut repo = tx
            .prepare("INSERT INTO repos VALUES (?1, ?2)")
            .map_err(err)?;
        for (n, l) in loaded.records.iter().enumerate() {
            let rowid = n as i64 + 1;
            let a = &l.advisory;
            let body = serde_json::to_string(a).map_err(|e| Error::Unsupported {
                path: l.file.clone(),
                message: format!("cannot store the record: {e}"),
            })?;
            record
                .execute(params![
                    rowid,
                    l.source as i64 + 1,
                    l.file,
                    a.id,
                    a.modified,
                    a.withdrawn.is_some(),
                    body
                ])
                .map_err(err)?;
            let mut names: Vec<&str> = a.names().collect();
            names.sort_unstable();
            names.dedup();
            for n in names {
                name.execute(params![rowid, n]).map_err(err)?;
            }
            for (e, n) in package_keys(a) {
                package.execute(params![rowid, e, n]).map_err(err)?;
            }
            for r in unpackaged_repos(a) {
                repo.execute(params![rowid, r]).map_err(err)?;
            }
        }
        let mut problem = tx
            .prepare("INSERT INTO problems VALUES (?1, ?2, ?3, ?4)")
            .map_err(err)?;
        for p in &loaded.problems {
            problem
                .execute(params![p.source as i64 + 1, p.file, p.pointer, p.message])
                .map_err(err)?;
        }
    }
    tx.execute_batch(INDEXES).map_err(err)?;
    tx.commit().map_err(err)?;
    conn.execute_batch("VACUUM").map_err(err)?;
    let data = conn.serialize(rusqlite::MAIN_DB).map_err(err)?;
    Ok(data.to_vec())
}

/// True when the file at `path` is a database bomsmith built (its SQLite header carries
/// bomsmith's application ID), which `db build` may replace.
pub fn is_database(path: &Path) -> bool {
    use std::io::Read;
    let mut header = [0u8; 100];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut header))
        .is_ok()
        && header.starts_with(b"SQLite format 3\0")
        && i32::from_be_bytes([header[68], header[69], header[70], header[71]]) == APPLICATION_ID
}

/// An opened database.
#[derive(Debug)]
pub struct Database {
    conn: Connection,
    file: String,
    sources: Vec<SourceSummary>,
    problems: Vec<Problem>,
    records: usize,
}

impl Database {
    /// Opens the database at `path` read-only, checking that bomsmith built it with a schema
    /// this build reads.
    pub fn open(path: &Path) -> Result<Database> {
        let file = path.display().to_string();
        if !path.is_file() {
            return Err(Error::io(
                &file,
                std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
            ));
        }
        if !is_database(path) {
            return Err(Error::Unsupported {
                path: file,
                message: "not a vulnerability database built by `bomsmith db build`".into(),
            });
        }
        let err = |e| sql_error(&file, e);
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(err)?;
        // One read transaction for the whole run (no lock taken and dropped per query), pages
        // mapped rather than copied, and room for the whole index in the page cache.
        conn.execute_batch(
            "PRAGMA mmap_size = 268435456; PRAGMA cache_size = -32768; BEGIN DEFERRED;",
        )
        .map_err(err)?;
        let version: u32 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(err)?;
        if version != SCHEMA_VERSION {
            return Err(Error::Unsupported {
                path: file,
                message: format!(
                    "database schema version {version}; this bomsmith reads version {SCHEMA_VERSION}: rebuild it with `db build`"
                ),
            });
        }
        let sources = {
            let mut st = conn
                .prepare(
                    "SELECT label, kind, sha256, records, withdrawn, malformed, skipped, newest_modified
                     FROM sources ORDER BY id",
                )
                .map_err(err)?;
            st.query_map([], |r| {
                Ok(SourceSummary {
                    label: r.get(0)?,
                    kind: r.get(1)?,
                    sha256: r.get(2)?,
                    records: r.get::<_, i64>(3)? as usize,
                    withdrawn: r.get::<_, i64>(4)? as usize,
                    malformed: r.get::<_, i64>(5)? as usize,
                    skipped: r.get::<_, i64>(6)? as usize,
                    newest_modified: r.get(7)?,
                })
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(err)?
        };
        let problems = {
            let mut st = conn
                .prepare("SELECT source, file, pointer, message FROM problems ORDER BY rowid")
                .map_err(err)?;
            st.query_map([], |r| {
                Ok(Problem {
                    source: (r.get::<_, i64>(0)? - 1).max(0) as usize,
                    file: r.get(1)?,
                    pointer: r.get(2)?,
                    message: r.get(3)?,
                })
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(err)?
        };
        let records: i64 = conn
            .query_row("SELECT count(*) FROM records", [], |r| r.get(0))
            .map_err(err)?;
        Ok(Database {
            conn,
            file,
            sources,
            problems,
            records: records as usize,
        })
    }

    /// The sources it was built from.
    pub fn sources(&self) -> &[SourceSummary] {
        &self.sources
    }

    /// Records that could not be loaded when it was built.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// How many records it holds (withdrawn ones included).
    pub fn records(&self) -> usize {
        self.records
    }

    /// The records of many package keys and repositories: which records each names (one
    /// statement each, the keys passed as one JSON array: a statement run per key would cost
    /// more than the lookup), then each distinct record read once and decoded on every core.
    /// Withdrawn records are left out.
    pub fn lookup(&self, packages: &[(String, String)], repos: &[String]) -> Result<Lookup> {
        let err = |e| sql_error(&self.file, e);
        let json = |what: &str, v: serde_json::Result<String>| {
            v.map_err(|e| Error::Unsupported {
                path: self.file.clone(),
                message: format!("cannot pass the {what}: {e}"),
            })
        };
        let mut package_hits: Vec<((String, String), i64)> = Vec::new();
        if !packages.is_empty() {
            let mut st = self
                .conn
                .prepare_cached(
                    "SELECT j.value ->> 0, j.value ->> 1, r.id
                     FROM json_each(?1) AS j
                     CROSS JOIN packages AS p
                       ON p.ecosystem = j.value ->> 0 AND p.name = j.value ->> 1
                     JOIN records AS r ON r.id = p.record
                     WHERE r.withdrawn = 0 ORDER BY r.id",
                )
                .map_err(err)?;
            let rows = st
                .query_map(
                    [json("package keys", serde_json::to_string(packages))?],
                    |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)),
                )
                .map_err(err)?;
            for row in rows {
                package_hits.push(row.map_err(err)?);
            }
        }
        let mut repo_hits: Vec<(String, i64)> = Vec::new();
        if !repos.is_empty() {
            let mut st = self
                .conn
                .prepare_cached(
                    "SELECT j.value, r.id
                     FROM json_each(?1) AS j
                     CROSS JOIN repos AS p ON p.repo = j.value
                     JOIN records AS r ON r.id = p.record
                     WHERE r.withdrawn = 0 ORDER BY r.id",
                )
                .map_err(err)?;
            let rows = st
                .query_map([json("repositories", serde_json::to_string(repos))?], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .map_err(err)?;
            for row in rows {
                repo_hits.push(row.map_err(err)?);
            }
        }
        let mut ids: Vec<i64> = package_hits
            .iter()
            .map(|(_, id)| *id)
            .chain(repo_hits.iter().map(|(_, id)| *id))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let mut bodies: Vec<(i64, String, String)> = Vec::with_capacity(ids.len());
        if !ids.is_empty() {
            let mut st = self
                .conn
                .prepare_cached(
                    "SELECT id, file, body FROM records
                     WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY id",
                )
                .map_err(err)?;
            let rows = st
                .query_map([json("record ids", serde_json::to_string(&ids))?], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })
                .map_err(err)?;
            for row in rows {
                bodies.push(row.map_err(err)?);
            }
        }
        let decoded = super::par_map(&bodies, |(_, _, body)| {
            serde_json::from_str::<Advisory>(body)
        });
        let mut by_id: HashMap<i64, Found> = HashMap::with_capacity(bodies.len());
        for ((id, file, _), advisory) in bodies.into_iter().zip(decoded) {
            let advisory = advisory.map_err(|e| Error::Unsupported {
                path: self.file.clone(),
                message: format!("the stored record from {file} is unreadable: {e}"),
            })?;
            by_id.insert(
                id,
                Found {
                    file,
                    advisory: Arc::new(advisory),
                },
            );
        }
        let mut out = Lookup::default();
        for (key, id) in package_hits {
            let list = out.packages.entry(key).or_default();
            if let Some(found) = by_id.get(&id)
                && !list
                    .iter()
                    .any(|f| Arc::ptr_eq(&f.advisory, &found.advisory))
            {
                list.push(found.clone());
            }
        }
        for (repo, id) in repo_hits {
            let list = out.repos.entry(repo).or_default();
            if let Some(found) = by_id.get(&id)
                && !list
                    .iter()
                    .any(|f| Arc::ptr_eq(&f.advisory, &found.advisory))
            {
                list.push(found.clone());
            }
        }
        Ok(out)
    }

    /// Records naming the package `(family, name)`; withdrawn ones left out.
    pub fn by_package(&self, family: &str, name: &str) -> Result<Vec<Found>> {
        let key = (family.to_owned(), name.to_owned());
        let mut found = self.lookup(std::slice::from_ref(&key), &[])?;
        Ok(found.packages.remove(&key).unwrap_or_default())
    }

    /// Records with package-less GIT ranges in `repo`; withdrawn ones left out.
    pub fn by_repo(&self, repo: &str) -> Result<Vec<Found>> {
        let key = repo.to_owned();
        let mut found = self.lookup(&[], std::slice::from_ref(&key))?;
        Ok(found.repos.remove(&key).unwrap_or_default())
    }

    /// The record with ID (or alias) `name`, if any.
    pub fn by_name(&self, name: &str) -> Result<Option<Found>> {
        let err = |e| sql_error(&self.file, e);
        let row = self
            .conn
            .query_row(
                "SELECT r.file, r.body FROM names n JOIN records r ON r.id = n.record
                 WHERE n.name = ?1 ORDER BY r.id LIMIT 1",
                [name],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
            )
            .optional()
            .map_err(err)?;
        Ok(match row {
            Some((file, body)) => Some(Found {
                file,
                advisory: Arc::new(serde_json::from_str(&body).map_err(|e| {
                    Error::Unsupported {
                        path: self.file.clone(),
                        message: format!("the stored record is unreadable: {e}"),
                    }
                })?),
            }),
            None => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vuln::source::load;

    #[test]
    fn a_database_reads_back_what_was_built_and_builds_to_the_same_bytes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let src = dir.path().join("src");
        std::fs::create_dir(&src).expect("mkdir");
        std::fs::write(
            src.join("A.yaml"),
            "id: A-1\nmodified: 2024-01-01T00:00:00Z\naliases: [CVE-1]\naffected:\n- package: {ecosystem: PyPI, name: Py_YAML}\n  versions: ['1.0']\n",
        )
        .expect("write");
        std::fs::write(
            src.join("B.json"),
            r#"{"id":"B-1","modified":"2024-01-02T00:00:00Z","withdrawn":"2024-02-01T00:00:00Z","affected":[{"package":{"ecosystem":"PyPI","name":"pyyaml"}}]}"#,
        )
        .expect("write");
        std::fs::write(
            src.join("C.json"),
            r#"{"id":"C-1","modified":"2024-01-03T00:00:00Z","affected":[{"ranges":[{"type":"GIT","repo":"https://github.com/python/cpython.git","events":[{"introduced":"0"}]}]}]}"#,
        )
        .expect("write");
        let loaded = load(&[src.as_path()]).expect("loads");
        let one = build(&loaded, "t.db").expect("builds");
        let two = build(&load(&[src.as_path()]).expect("loads"), "t.db").expect("builds");
        assert_eq!(one, two, "the same sources give the same bytes");
        let path = dir.path().join("t.db");
        std::fs::write(&path, &one).expect("write");
        assert!(is_database(&path));
        assert!(!is_database(&src.join("A.yaml")));
        let db = Database::open(&path).expect("opens");
        assert_eq!(db.records(), 3);
        assert_eq!(db.sources()[0].withdrawn, 1);
        // PEP 503: the record's `Py_YAML` is found as `py-yaml`; the withdrawn one never.
        let found = db.by_package("PyPI", "py-yaml").expect("query");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].advisory.id, "A-1");
        assert!(db.by_package("PyPI", "pyyaml").expect("query").is_empty());
        let by_repo = db.by_repo("github.com/python/cpython").expect("query");
        assert_eq!(by_repo[0].advisory.id, "C-1");
        assert_eq!(
            db.by_name("CVE-1")
                .expect("query")
                .map(|f| f.advisory.id.clone()),
            Some("A-1".into())
        );
        // Any other SQLite file, or garbage, is refused by name.
        let other = dir.path().join("other.db");
        Connection::open(&other)
            .and_then(|c| c.execute_batch("CREATE TABLE t (x)"))
            .expect("sqlite");
        let e = Database::open(&other).expect_err("refused");
        assert!(e.to_string().contains("other.db"), "{e}");
    }
}
