//! `-o FILE`: atomic replacement of regular files, and never replacing what is not one
//! (writing through `rename` once turned this machine's `/dev/null` into a regular file).
#![cfg(unix)]

use crate::util::*;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::Path;

fn tree(dir: &Path) -> std::path::PathBuf {
    let root = dir.join("proj");
    std::fs::create_dir_all(&root).expect("mkdir");
    std::fs::write(root.join("a"), "a\n").expect("write");
    root
}

/// A scan onto `output`; `--force`, since the outputs these tests replace are files bomsmith
/// did not write.
fn scan_to(input: &Path, output: &Path) -> std::process::Output {
    bomsmith()
        .arg("scan")
        .arg("--force")
        .arg(input)
        .arg("-o")
        .arg(output)
        .output()
        .expect("runs")
}

#[test]
fn a_fifo_is_written_into_not_replaced() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = tree(dir.path());
    let fifo = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).expect("read fifo"))
    };
    let out = scan_to(&input, &fifo);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Checked before joining: had the FIFO been renamed over, its reader would wait forever.
    let ft = std::fs::symlink_metadata(&fifo)
        .expect("still there")
        .file_type();
    assert!(ft.is_fifo(), "the FIFO must still be a FIFO");
    let received = reader.join().expect("reader");
    let doc: serde_json::Value = serde_json::from_slice(&received).expect("JSON through the FIFO");
    assert_eq!(doc["spdxVersion"], "SPDX-2.3");
}

#[test]
fn new_files_are_0644_and_existing_files_keep_their_mode() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = tree(dir.path());
    let fresh = dir.path().join("new.json");
    assert!(scan_to(&input, &fresh).status.success());
    let mode = std::fs::metadata(&fresh)
        .expect("meta")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o644);

    let kept = dir.path().join("kept.json");
    std::fs::write(&kept, "old").expect("write");
    std::fs::set_permissions(&kept, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    assert!(scan_to(&input, &kept).status.success());
    let mode = std::fs::metadata(&kept).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    assert_ne!(std::fs::read(&kept).expect("read"), b"old");
}

#[test]
fn a_symlink_keeps_pointing_at_the_new_content() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = tree(dir.path());
    let real = dir.path().join("real.json");
    std::fs::write(&real, "old").expect("write");
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink(&real, &link).expect("symlink");
    assert!(scan_to(&input, &link).status.success());
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("meta")
            .file_type()
            .is_symlink()
    );
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&real).expect("read")).expect("json");
    assert_eq!(doc["spdxVersion"], "SPDX-2.3");
}

#[test]
fn a_directory_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = tree(dir.path());
    let out = scan_to(&input, dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is a directory"));
    assert!(dir.path().join("proj/a").exists());
}
