//! Hostile and broken inputs: each gives a clear error naming the archive and the member, exit
//! code 2, and leaves an existing output file untouched with nothing half-written beside it.

use crate::util::*;
use std::path::{Path, PathBuf};

/// Runs a scan of `bytes` (written as `name`) that must fail; returns stderr. Also checks that
/// `-o` kept the previous output and left no temporary file.
fn scan_fails(name: &str, bytes: &[u8], extra: &[&str]) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join(name);
    std::fs::write(&input, bytes).expect("write input");
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).expect("mkdir");
    let output = out_dir.join("sbom.json");
    std::fs::write(&output, b"previous").expect("write old output");
    // `--force`: the old output is not a document bomsmith wrote, and the scan must get as far
    // as the broken input to show that failing there leaves it whole.
    let result = bomsmith()
        .arg("scan")
        .arg(&input)
        .arg("--force")
        .arg("-o")
        .arg(&output)
        .args(extra)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&result.stderr).into_owned();
    assert_eq!(result.status.code(), Some(2), "exit code; stderr: {stderr}");
    assert_eq!(std::fs::read(&output).expect("old output"), b"previous");
    let left: Vec<PathBuf> = std::fs::read_dir(&out_dir)
        .expect("list")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(
        left,
        vec![output.clone()],
        "nothing else may be left behind"
    );
    assert!(
        stderr.contains(&*input.to_string_lossy()),
        "names the archive: {stderr}"
    );
    stderr
}

fn small_tree() -> Vec<u8> {
    let big: Vec<u8> = (0..200_000u32).flat_map(|i| i.to_le_bytes()).collect();
    raw_tar(&[
        file(b"pkg-1.0/README", b"hello\n"),
        file(b"pkg-1.0/data.bin", &big),
        file(b"pkg-1.0/z", b"last\n"),
    ])
}

#[test]
fn truncated_xz() {
    let xzd = xz(&small_tree());
    let e = scan_fails("pkg-1.0.tar.xz", &xzd[..xzd.len() / 2], &[]);
    assert!(e.contains("member"), "{e}");
}

#[test]
fn truncated_gzip() {
    let gz = gzip(&small_tree());
    let e = scan_fails("pkg-1.0.tgz", &gz[..gz.len() - 100], &[]);
    assert!(e.contains("pkg-1.0/"), "names the member: {e}");
}

#[test]
fn corrupt_gzip() {
    let mut gz = gzip(&small_tree());
    let mid = gz.len() / 2;
    for b in &mut gz[mid..mid + 16] {
        *b ^= 0x5a;
    }
    scan_fails("pkg-1.0.tgz", &gz, &[]);
}

#[test]
fn gzip_crc_mismatch_in_trailer() {
    let mut gz = gzip(&small_tree());
    let n = gz.len();
    gz[n - 8] ^= 1;
    scan_fails("pkg-1.0.tgz", &gz, &[]);
}

#[test]
fn truncated_plain_tar() {
    let t = small_tree();
    let e = scan_fails("pkg-1.0.tar", &t[..2000], &[]);
    assert!(e.contains("member `pkg-1.0/data.bin`"), "{e}");
    assert!(e.contains("truncated"), "{e}");
}

#[test]
fn tar_header_checksum() {
    let mut t = small_tree();
    t[10] ^= 1;
    let e = scan_fails("pkg-1.0.tar", &t, &[]);
    assert!(e.contains("checksum"), "{e}");
}

#[test]
fn tar_parent_traversal() {
    let t = raw_tar(&[file(b"pkg/ok", b"1"), file(b"pkg/../../etc/evil", b"2")]);
    let e = scan_fails("evil.tar", &t, &[]);
    assert!(e.contains("member `pkg/../../etc/evil`"), "{e}");
    assert!(e.contains("outside its root"), "{e}");
}

#[test]
fn tar_absolute_name() {
    let t = raw_tar(&[file(b"/etc/passwd", b"x")]);
    let e = scan_fails("evil.tar", &t, &[]);
    assert!(
        e.contains("member `/etc/passwd`") && e.contains("absolute"),
        "{e}"
    );
}

#[test]
fn tar_duplicate_member() {
    let t = raw_tar(&[file(b"a/x", b"1"), file(b"a/y", b"2"), file(b"a/x", b"3")]);
    let e = scan_fails("dup.tar", &t, &[]);
    assert!(e.contains("member `a/x`") && e.contains("duplicate"), "{e}");
}

#[test]
fn tar_non_utf8_name() {
    let t = raw_tar(&[file(b"a/caf\xe9.txt", b"1")]);
    let e = scan_fails("latin1.tar", &t, &[]);
    assert!(e.contains("caf\\xe9.txt") && e.contains("UTF-8"), "{e}");
}

#[test]
fn tar_hard_link_to_nothing() {
    let t = raw_tar(&[RawEntry {
        name: b"a/link",
        typeflag: b'1',
        data: b"",
        link: b"a/missing",
    }]);
    let e = scan_fails("links.tar", &t, &[]);
    assert!(
        e.contains("member `a/link`") && e.contains("a/missing"),
        "{e}"
    );
}

#[test]
fn gzip_bomb_by_ratio() {
    let zeros = vec![0u8; 20 << 20];
    let t = raw_tar(&[file(b"b/zeros", &zeros)]);
    let e = scan_fails("bomb.tgz", &gzip(&t), &["--max-ratio", "100"]);
    assert!(
        e.contains("decompression bomb") && e.contains("--max-ratio"),
        "{e}"
    );
}

#[test]
fn bomb_by_total_size() {
    let zeros = vec![0u8; 3 << 20];
    let t = raw_tar(&[file(b"b/zeros", &zeros)]);
    let e = scan_fails("big.tar.xz", &xz(&t), &["--max-unpacked-size", "1M"]);
    assert!(e.contains("--max-unpacked-size"), "{e}");
}

#[test]
fn zip_overlapping_entries() {
    let mut z = raw_zip(&[
        ZipMember {
            name: "a/one",
            data: b"first member data",
        },
        ZipMember {
            name: "a/two",
            data: b"second",
        },
    ]);
    // Point the second record at the first member's local header: two names, one body.
    let second = z.cd_records[1];
    let first_local = z.local_headers[0] as u32;
    z.bytes[second + 42..second + 46].copy_from_slice(&first_local.to_le_bytes());
    let e = scan_fails("overlap.zip", &z.bytes, &[]);
    assert!(
        e.contains("overlap") || e.contains("local header names"),
        "{e}"
    );
}

#[test]
fn zip_overlapping_data_ranges() {
    // A local header placed inside another member's data: the classic overlap construction.
    let inner = raw_zip(&[ZipMember {
        name: "a/inner",
        data: b"payload",
    }]);
    let local_len = inner.cd_records[0]; // local header + data of the inner member
    let mut outer_data = inner.bytes[..local_len].to_vec();
    outer_data.extend_from_slice(b"tail");
    let mut z = raw_zip(&[
        ZipMember {
            name: "a/outer",
            data: &outer_data,
        },
        ZipMember {
            name: "a/inner",
            data: b"payload",
        },
    ]);
    // Aim the second record at the copy of the inner member inside the outer one's data.
    let second = z.cd_records[1];
    let inside = (z.local_headers[0] + 30 + "a/outer".len()) as u32;
    z.bytes[second + 42..second + 46].copy_from_slice(&inside.to_le_bytes());
    let e = scan_fails("overlap.zip", &z.bytes, &[]);
    assert!(
        e.contains("member `a/inner`") && e.contains("overlap"),
        "{e}"
    );
}

#[test]
fn zip_declared_size_lies() {
    let mut z = raw_zip(&[ZipMember {
        name: "a/f",
        data: b"0123456789",
    }]);
    // Central directory: claim 4 bytes unpacked (and packed) for 10 bytes of data.
    let r = z.cd_records[0];
    z.bytes[r + 20..r + 24].copy_from_slice(&4u32.to_le_bytes());
    z.bytes[r + 24..r + 28].copy_from_slice(&4u32.to_le_bytes());
    let e = scan_fails("lies.zip", &z.bytes, &[]);
    assert!(e.contains("member `a/f`"), "{e}");
    assert!(e.contains("CRC") || e.contains("declared size lies"), "{e}");

    let mut z = raw_zip(&[ZipMember {
        name: "a/f",
        data: b"0123456789",
    }]);
    let r = z.cd_records[0];
    z.bytes[r + 24..r + 28].copy_from_slice(&99u32.to_le_bytes());
    let e = scan_fails("lies.zip", &z.bytes, &[]);
    assert!(
        e.contains("member `a/f`") && e.contains("declared size lies"),
        "{e}"
    );
}

#[test]
fn zip_crc_mismatch() {
    let mut z = raw_zip(&[ZipMember {
        name: "a/f",
        data: b"0123456789",
    }]);
    let data_at = z.local_headers[0] + 30 + 3;
    z.bytes[data_at] ^= 1;
    let e = scan_fails("crc.zip", &z.bytes, &[]);
    assert!(
        e.contains("member `a/f`") && e.contains("CRC-32 mismatch"),
        "{e}"
    );
}

#[test]
fn zip_traversal_and_duplicates() {
    let z = raw_zip(&[ZipMember {
        name: "../evil",
        data: b"x",
    }]);
    let e = scan_fails("evil.zip", &z.bytes, &[]);
    assert!(e.contains("member `../evil`"), "{e}");
    let z = raw_zip(&[
        ZipMember {
            name: "a/x",
            data: b"1",
        },
        ZipMember {
            name: "a/x",
            data: b"2",
        },
    ]);
    let e = scan_fails("dup.zip", &z.bytes, &[]);
    assert!(e.contains("duplicate"), "{e}");
}

#[test]
fn zip_bomb_by_ratio() {
    use std::io::Write;
    let mut zw = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zw.start_file("a/zeros", zip::write::SimpleFileOptions::default())
        .expect("entry");
    zw.write_all(&vec![0u8; 8 << 20]).expect("data");
    let bytes = zw.finish().expect("zip").into_inner();
    let e = scan_fails("bomb.zip", &bytes, &["--max-ratio", "50"]);
    assert!(
        e.contains("member `a/zeros`") && e.contains("decompression bomb"),
        "{e}"
    );
}

#[test]
fn truncated_zip() {
    let z = raw_zip(&[ZipMember {
        name: "a/f",
        data: b"0123456789",
    }]);
    let e = scan_fails("cut.zip", &z.bytes[..z.bytes.len() - 10], &[]);
    assert!(e.contains("end of central directory"), "{e}");
}

#[test]
fn not_an_archive() {
    let e = scan_fails("notes.txt", b"just some text, not an archive at all\n", &[]);
    assert!(e.contains("not a directory, tar"), "{e}");
}

#[test]
fn missing_input_and_bad_config() {
    let out = bomsmith()
        .args(["scan", "/nonexistent/input.tar"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/input.tar"));

    let dir = tempfile::tempdir().expect("tempdir");
    let cfg = dir.path().join("bomsmith.toml");
    std::fs::write(&cfg, "[root]\nname = \"x\"\nversoin = \"1\"\n").expect("write");
    let out = bomsmith()
        .arg("scan")
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(
        e.contains("bomsmith.toml:3:1: unknown field `versoin`"),
        "{e}"
    );

    std::fs::remove_file(&cfg).expect("rm");
    let out = bomsmith()
        .arg("scan")
        .arg(dir.path())
        .env("SOURCE_DATE_EPOCH", "yesterday")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("SOURCE_DATE_EPOCH"));
}

#[test]
fn links_and_specials_are_not_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let t = raw_tar(&[
        RawEntry {
            name: b"p/",
            typeflag: b'5',
            data: b"",
            link: b"",
        },
        file(b"p/orig", b"content\n"),
        RawEntry {
            name: b"p/hard",
            typeflag: b'1',
            data: b"",
            link: b"p/orig",
        },
        RawEntry {
            name: b"p/soft",
            typeflag: b'2',
            data: b"",
            link: b"/etc/passwd",
        },
        RawEntry {
            name: b"p/dev",
            typeflag: b'3',
            data: b"",
            link: b"",
        },
    ]);
    let input = dir.path().join("p-1.tar");
    std::fs::write(&input, &t).expect("write");
    let out = bomsmith().arg("scan").arg(&input).output().expect("runs");
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("2 files"), "{stderr}");
    assert!(stderr.contains("1 of them hard links"), "{stderr}");
    assert!(
        stderr.contains("1 symlinks") && stderr.contains("1 devices"),
        "{stderr}"
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let sums = file_checksums(&doc);
    assert_eq!(sums.len(), 2);
    assert_eq!(
        sums["hard"], sums["orig"],
        "a hard link has its target's content"
    );
    assert_eq!(sums["orig"]["SHA256"], sha256_hex(b"content\n"));
}

#[test]
fn missing_end_marker_is_a_warning() {
    let mut t = raw_tar(&[file(b"p/a", b"1")]);
    t.truncate(t.len() - 1024);
    let dir = tempfile::tempdir().expect("tempdir");
    let input: &Path = &dir.path().join("p-1.tar");
    std::fs::write(input, &t).expect("write");
    let out = bomsmith().arg("scan").arg(input).output().expect("runs");
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The warning names the archive, its rule and what is missing; the document is still made.
    assert!(
        stderr.contains(&format!(
            "{}: INPUT001 warning: the tar archive ends without its end-of-archive marker\n",
            input.display()
        )),
        "{stderr}"
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["files"][0]["fileName"], "a");
    // A complete archive of the same member has no such warning.
    let whole = raw_tar(&[file(b"p/a", b"1")]);
    std::fs::write(input, &whole).expect("write");
    let out = bomsmith().arg("scan").arg(input).output().expect("runs");
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("INPUT001"));
}
