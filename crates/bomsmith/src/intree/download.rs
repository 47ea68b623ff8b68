//! Download verification: does the file at each package's `downloadLocation` have the declared
//! SHA-256? Files come from a local cache directory; the network is used only when the caller
//! allows it ([`VerifyOptions::online`]), with timeouts, bounded retries and a size limit, and
//! what is fetched is stored in the cache for the next run.

use super::{DOWNLOAD_MISMATCH, DOWNLOAD_UNAVAILABLE};
use crate::diag::{Diagnostic, Help, Location};
use crate::digest::sha256;
use crate::model::{Algorithm, Document};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How to verify downloads.
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// Where downloaded files are looked up (by their URL's last path segment) and stored.
    pub cache: PathBuf,
    /// Fetch what the cache lacks.
    pub online: bool,
    /// Timeout for each attempt (connect plus transfer).
    pub timeout: Duration,
    /// Attempts per URL (at least 1); waits 1 s, 2 s, 4 s, ... between them.
    pub attempts: u32,
    /// Largest download accepted, in bytes.
    pub max_bytes: u64,
}

impl VerifyOptions {
    /// Defaults: offline, 30 s per attempt, 3 attempts, 2 GiB.
    pub fn new(cache: PathBuf) -> Self {
        VerifyOptions {
            cache,
            online: false,
            timeout: Duration::from_secs(30),
            attempts: 3,
            max_bytes: 2 << 30,
        }
    }
}

/// The cache file name of a URL: its last path segment, made safe; empty when it has none.
pub fn cache_name(url: &str) -> String {
    let path = url
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .split_once("://")
        .map_or("", |(_, rest)| rest.split_once('/').map_or("", |(_, p)| p));
    let last = path.rsplit('/').next().unwrap_or("");
    last.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '+') {
                c
            } else {
                '_'
            }
        })
        .collect::<String>()
        .trim_start_matches('.')
        .to_owned()
}

/// Verifies every package of `doc` (from `file`) that has an http(s) download location and a
/// SHA-256. Returns the diagnostics.
pub fn verify(file: &str, doc: &Document, options: &VerifyOptions) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    for (i, p) in doc.packages.iter().enumerate() {
        let Some(url) = p.download_location.as_deref() else {
            continue;
        };
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            continue;
        }
        let Some(want) = crate::model::find_checksum(&p.checksums, Algorithm::Sha256) else {
            continue;
        };
        let place = Location::pointer(file, format!("/packages/{i}/downloadLocation"));
        let name = cache_name(url);
        if name.is_empty() {
            findings.push(Diagnostic::new(
                &DOWNLOAD_UNAVAILABLE,
                place,
                format!("{url} has no file name to look up in the cache"),
            ));
            continue;
        }
        let cached = options.cache.join(&name);
        let bytes = match std::fs::read(&cached) {
            Ok(b) => Ok(b),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && options.online => {
                fetch(url, options).and_then(|b| store(&cached, &b).map(|()| b))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                findings.push(
                    Diagnostic::new(
                        &DOWNLOAD_UNAVAILABLE,
                        place,
                        format!(
                            "cannot verify {} ({url}): {} is not in the cache; put the file there",
                            p.name,
                            cached.display()
                        ),
                    )
                    .with_help(Help::FetchOnline),
                );
                continue;
            }
            Err(e) => Err(format!("{}: {e}", cached.display())),
        };
        match bytes {
            Err(why) => findings.push(Diagnostic::new(
                &DOWNLOAD_UNAVAILABLE,
                place,
                format!("cannot verify {} ({url}): {why}", p.name),
            )),
            Ok(bytes) => {
                let got = hex::encode(sha256(&bytes));
                if got != want {
                    findings.push(Diagnostic::new(
                        &DOWNLOAD_MISMATCH,
                        place,
                        format!(
                            "{} declares SHA-256 {want}, but {url} ({}) has {got}",
                            p.name,
                            cached.display()
                        ),
                    ));
                }
            }
        }
    }
    findings
}

fn store(path: &Path, bytes: &[u8]) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    crate::output::write_atomically(path, bytes).map_err(|e| e.to_string())
}

/// GETs `url`, retrying failures that may pass (connection errors, timeouts, 5xx, 429).
pub fn fetch(url: &str, options: &VerifyOptions) -> Result<Vec<u8>, String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(options.timeout))
        .http_status_as_error(false)
        .max_redirects(5)
        .user_agent(concat!("bomsmith/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let attempts = options.attempts.max(1);
    let mut last = String::new();
    for attempt in 0..attempts {
        if attempt > 0 {
            std::thread::sleep(Duration::from_secs(1 << (attempt - 1).min(5)));
        }
        match agent.get(url).call() {
            Ok(resp) => {
                let status = resp.status().as_u16();
                if status == 200 {
                    let mut body = Vec::new();
                    let read = resp
                        .into_body()
                        .into_reader()
                        .take(options.max_bytes + 1)
                        .read_to_end(&mut body);
                    match read {
                        Ok(_) if body.len() as u64 > options.max_bytes => {
                            return Err(format!(
                                "the download is larger than {} bytes",
                                options.max_bytes
                            ));
                        }
                        Ok(_) => return Ok(body),
                        Err(e) => last = format!("reading the body failed: {e}"),
                    }
                } else if status == 429 || status >= 500 {
                    last = format!("HTTP status {status}");
                } else {
                    return Err(format!("HTTP status {status}"));
                }
            }
            Err(e) => last = e.to_string(),
        }
    }
    Err(format!(
        "{last} (gave up after {attempts} attempt{})",
        if attempts == 1 { "" } else { "s" }
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_names() {
        assert_eq!(
            cache_name(
                "https://github.com/libexpat/libexpat/releases/download/R_2_6_3/expat-2.6.3.tar.gz"
            ),
            "expat-2.6.3.tar.gz"
        );
        assert_eq!(cache_name("https://x.org/a/b.zip?x=1#y"), "b.zip");
        assert_eq!(cache_name("https://x.org/"), "");
        assert_eq!(cache_name("https://x.org/..%2f.."), "_2f..");
    }
}
