//! Output files: written atomically (a temporary file beside the target, then renamed), so a
//! failure leaves the old file whole and nothing half-written; devices and pipes in place.
//!
//! Before a command writes, [`check_target`] makes sure the output is not one of its inputs and
//! does not replace a file bomsmith did not write: one typo in `-o` must never cost a release
//! tarball.

use crate::error::{Error, OutputRefusal, Result};
use serde_json::Value;
use std::path::Path;

/// Largest existing file read to tell whether bomsmith wrote it; a larger one counts as foreign.
const SNIFF_LIMIT: u64 = 256 << 20;

/// The name bomsmith signs its documents with (SPDX `Tool: bomsmith-…`, CycloneDX tool name,
/// SARIF driver name).
const NAME: &str = env!("CARGO_PKG_NAME");

/// Checks that `path` may receive a command's output: it must not be any of `inputs` (the same
/// file, however named: hard and symbolic links count), and an existing regular file must be
/// empty or a document bomsmith wrote (an SBOM, a SARIF or JSON report) unless `replace_any`.
/// Devices and pipes (`/dev/null`, `/dev/stdout`, a FIFO) are always fine. Nothing is written.
pub fn check_target(path: &Path, inputs: &[&Path], replace_any: bool) -> Result<()> {
    let shown = path.display().to_string();
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // Said now rather than after a long scan: the directory must be there.
            let dir = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            return match std::fs::metadata(dir) {
                Ok(m) if m.is_dir() => Ok(()),
                Ok(_) => Err(Error::io(
                    &shown,
                    std::io::Error::new(
                        std::io::ErrorKind::NotADirectory,
                        format!("cannot create a file in {}: not a directory", dir.display()),
                    ),
                )),
                Err(e) => Err(Error::io(&shown, in_directory(dir, e))),
            };
        }
        Err(e) => return Err(Error::io(&shown, e)),
    };
    if !meta.is_file() {
        return Ok(());
    }
    for input in inputs {
        if same_file(path, &meta, input) {
            return Err(Error::Output {
                path: shown,
                refusal: OutputRefusal::IsInput {
                    input: input.display().to_string(),
                },
            });
        }
    }
    if replace_any || meta.len() == 0 {
        return Ok(());
    }
    match written_by_bomsmith(path, meta.len()) {
        Ok(()) => Ok(()),
        Err(found) => Err(Error::Output {
            path: shown,
            refusal: OutputRefusal::Foreign { found },
        }),
    }
}

/// True when the file at `path` is a document bomsmith wrote (see [`check_target`]).
pub fn written_by_us(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && written_by_bomsmith(path, m.len()).is_ok())
}

/// True when `path` (whose metadata is `meta`) and `other` are the same file.
fn same_file(path: &Path, meta: &std::fs::Metadata, other: &Path) -> bool {
    let Ok(theirs) = std::fs::metadata(other) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let _ = path;
        meta.dev() == theirs.dev() && meta.ino() == theirs.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (meta, theirs);
        match (std::fs::canonicalize(path), std::fs::canonicalize(other)) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
    }
}

/// `Ok` when the file at `path` (of `len` bytes) is a document bomsmith wrote; otherwise what
/// it looks like instead.
fn written_by_bomsmith(path: &Path, len: u64) -> std::result::Result<(), String> {
    if len > SNIFF_LIMIT {
        return Err(format!("{len} bytes, more than bomsmith reads to tell"));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("unreadable: {e}"))?;
    // An archive or any other binary file: NUL bytes or invalid UTF-8.
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) if !t.contains('\0') => t,
        _ => return Err("binary data".into()),
    };
    if let Ok(value) = serde_json::from_str::<Value>(text) {
        return if json_by_bomsmith(&value) {
            Ok(())
        } else {
            Err("JSON of another origin".into())
        };
    }
    let creator = format!("Creator: Tool: {NAME}-");
    let tag_value = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .is_some_and(|l| l.starts_with("SPDXVersion:"));
    if tag_value && text.lines().any(|l| l.trim().starts_with(&creator)) {
        return Ok(());
    }
    if !text.trim().is_empty() && text.lines().all(is_report_line) {
        return Ok(());
    }
    if text
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .is_some_and(is_vulns_signature)
    {
        return Ok(());
    }
    Err("text of another origin".into())
}

/// True for a JSON document bomsmith signs: an SPDX 2 document created by its tool, a
/// CycloneDX BOM listing it among the tools, an SPDX 3 graph with its `Tool` element, a SARIF
/// log of its runs, or its JSON report.
fn json_by_bomsmith(v: &Value) -> bool {
    let is_name = |t: &Value| t.get("name").and_then(Value::as_str) == Some(NAME);
    let spdx2 = v
        .pointer("/creationInfo/creators")
        .and_then(Value::as_array)
        .is_some_and(|c| {
            c.iter()
                .filter_map(Value::as_str)
                .any(|s| s.starts_with(&format!("Tool: {NAME}-")))
        });
    let tools = v.pointer("/metadata/tools");
    let cyclonedx = tools
        .and_then(Value::as_array)
        .is_some_and(|a| a.iter().any(is_name))
        || tools
            .and_then(|t| t.get("components"))
            .and_then(Value::as_array)
            .is_some_and(|a| a.iter().any(is_name));
    // SPDX 3 names the tool with its version: `bomsmith-0.1.0`.
    let versioned = |e: &Value| {
        e.get("name")
            .and_then(Value::as_str)
            .and_then(|n| n.strip_prefix(NAME))
            .is_some_and(|rest| rest.starts_with('-'))
    };
    let spdx3 = v.get("@graph").and_then(Value::as_array).is_some_and(|g| {
        g.iter()
            .any(|e| e.get("type").and_then(Value::as_str) == Some("Tool") && versioned(e))
    });
    let sarif = v.get("runs").and_then(Value::as_array).is_some_and(|runs| {
        !runs.is_empty()
            && runs
                .iter()
                .all(|r| r.pointer("/tool/driver").is_some_and(is_name))
    });
    let report = v.as_object().is_some_and(|o| {
        (o.len() == 3
            && ["inputs", "diagnostics", "summary"]
                .iter()
                .all(|k| o.contains_key(*k)))
            || (o.len() == 3
                && ["bomsmith_vulns", "sources", "sboms"]
                    .iter()
                    .all(|k| o.contains_key(*k)))
    });
    // VEX: OpenVEX's `tooling` and CSAF's generator name it first (`bomsmith-0.1.0, ...`).
    let first_is_us = |t: Option<&Value>| {
        t.and_then(Value::as_str)
            .and_then(|s| s.strip_prefix(NAME))
            .is_some_and(|rest| rest.starts_with('-'))
    };
    let openvex = v.get("@context").is_some() && first_is_us(v.get("tooling"));
    let csaf = first_is_us(v.pointer("/document/tracking/generator/engine/name"));
    spdx2 || cyclonedx || spdx3 || sarif || report || openvex || csaf
}

/// True for the last line of `bomsmith vulns`' human report: `bomsmith 0.1.0: 2793 records
/// from 2 sources, newest modified ...`.
fn is_vulns_signature(line: &str) -> bool {
    static LINE: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    LINE.get_or_init(|| {
        regex::Regex::new(
            r"^bomsmith [0-9][^ ]*: [0-9]+ records? from [0-9]+ sources?, newest modified ",
        )
        .ok()
    })
    .as_ref()
    .is_some_and(|re| re.is_match(line))
}

/// True for a line of bomsmith's human report: `PLACE: CODE severity: message`, or a detail
/// indented under one.
fn is_report_line(line: &str) -> bool {
    static LINE: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    LINE.get_or_init(|| regex::Regex::new(r"(^    )|: [A-Z]+[0-9]{3} (error|warning|info): ").ok())
        .as_ref()
        .is_some_and(|re| re.is_match(line))
}

/// Writes `contents` to `path`. A regular file (new or existing) is replaced atomically: a
/// temporary file in the same directory, flushed, then renamed over it, so on any error the old
/// file is untouched and nothing is left behind; an existing file keeps its permissions, a new
/// one is made readable by all (0644), and a symbolic link keeps pointing where it did, at the
/// new content. Anything else that exists (a device such as `/dev/null`, a FIFO) is written in
/// place: renaming over it would replace it.
pub fn write_atomically(path: &Path, contents: &[u8]) -> Result<()> {
    use std::io::Write;
    let shown = path.display().to_string();
    let existing = match std::fs::metadata(path) {
        Ok(m) => Some(m),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::io(&shown, e)),
    };
    let target = match &existing {
        Some(m) if m.is_dir() => {
            return Err(Error::io(
                &shown,
                std::io::Error::new(std::io::ErrorKind::IsADirectory, "is a directory"),
            ));
        }
        Some(m) if !m.is_file() => {
            return std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .and_then(|mut f| f.write_all(contents).and_then(|()| f.flush()))
                .map_err(|e| Error::io(&shown, e));
        }
        // Through a symbolic link: replace what it points at, not the link.
        Some(_) => std::fs::canonicalize(path).map_err(|e| Error::io(&shown, e))?,
        None => path.to_path_buf(),
    };
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".bomsmith-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| Error::io(&shown, in_directory(dir, e)))?;
    let permissions = match &existing {
        Some(m) => m.permissions(),
        None => new_file_permissions(tmp.as_file()).map_err(|e| Error::io(&shown, e))?,
    };
    tmp.write_all(contents)
        .and_then(|()| tmp.as_file().set_permissions(permissions))
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| Error::io(&shown, e))?;
    tmp.persist(&target)
        .map_err(|e| Error::io(&shown, e.error))?;
    Ok(())
}

/// The error of making a temporary file in `dir`, in terms of the directory: the temporary
/// file's own name means nothing to the user and is not shown.
fn in_directory(dir: &Path, e: std::io::Error) -> std::io::Error {
    // tempfile words its error as `SYSTEM'S MESSAGE at path "TEMPORARY PATH"`.
    let text = e.to_string();
    let cause = text.split(" at path \"").next().unwrap_or(&text);
    std::io::Error::new(
        e.kind(),
        format!("cannot create a file in {}: {cause}", dir.display()),
    )
}

/// Permissions for a newly created output: 0644 on Unix (temporary files start as 0600).
fn new_file_permissions(file: &std::fs::File) -> std::io::Result<std::fs::Permissions> {
    #[allow(unused_mut)]
    let mut p = file.metadata()?.permissions();
    #[cfg(unix)]
    std::os::unix::fs::PermissionsExt::set_mode(&mut p, 0o644);
    Ok(p)
}
