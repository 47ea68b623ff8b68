//! Output files: written atomically (a temporary file beside the target, then renamed), so a
//! failure leaves the old file whole and nothing half-written; devices and pipes in place.

use crate::error::{Error, Result};
use std::path::Path;

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
        .map_err(|e| Error::io(&shown, e))?;
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

/// Permissions for a newly created output: 0644 on Unix (temporary files start as 0600).
fn new_file_permissions(file: &std::fs::File) -> std::io::Result<std::fs::Permissions> {
    #[allow(unused_mut)]
    let mut p = file.metadata()?.permissions();
    #[cfg(unix)]
    std::os::unix::fs::PermissionsExt::set_mode(&mut p, 0o644);
    Ok(p)
}
