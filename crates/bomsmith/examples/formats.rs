//! Times reading and writing one SBOM in each format, in process (no start-up or file I/O):
//! the median of N rounds per step, as `label<TAB>seconds` lines. Used by `bench/formats.sh`.
//!
//! Usage: cargo run --release --example formats -- SBOM.json [ROUNDS]

use bomsmith::format::{cyclonedx, spdx2, spdx3};
use std::io::Write;
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn time<T>(rounds: usize, mut f: impl FnMut() -> T) -> f64 {
    median(
        (0..rounds)
            .map(|_| {
                let start = Instant::now();
                std::hint::black_box(f());
                start.elapsed().as_secs_f64()
            })
            .collect(),
    )
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: formats SBOM.json [ROUNDS]")?;
    let rounds: usize = args.next().map_or(Ok(10), |r| r.parse())?;
    let bytes = std::fs::read(&path)?;
    let (_, doc, _) = bomsmith::format::read(&bytes, &path)?;
    let spdx = spdx2::write(&doc);
    let cdx = cyclonedx::write(&doc);
    let tv = spdx2::write_tag_value(&doc);
    let s3 = spdx3::write(&doc);
    let rows = [
        (
            "read SPDX 2.3 JSON",
            time(rounds, || {
                spdx2::read(spdx.as_bytes(), "spdx").map(|r| r.0.files.len())
            }),
        ),
        (
            "write SPDX 2.3 JSON",
            time(rounds, || spdx2::write(&doc).len()),
        ),
        (
            "read CycloneDX 1.6 JSON",
            time(rounds, || {
                cyclonedx::read(cdx.as_bytes(), "cdx").map(|r| r.0.files.len())
            }),
        ),
        (
            "write CycloneDX 1.6 JSON",
            time(rounds, || cyclonedx::write(&doc).len()),
        ),
        (
            "read SPDX 2.3 tag-value",
            time(rounds, || {
                spdx2::tv_read::read(tv.as_bytes(), "tv").map(|r| r.0.files.len())
            }),
        ),
        (
            "write SPDX 2.3 tag-value",
            time(rounds, || spdx2::write_tag_value(&doc).len()),
        ),
        (
            "convert SPDX JSON -> tag-value",
            time(rounds, || {
                spdx2::read(spdx.as_bytes(), "spdx").map(|(d, _)| spdx2::write_tag_value(&d).len())
            }),
        ),
        (
            "convert tag-value -> SPDX JSON",
            time(rounds, || {
                spdx2::tv_read::read(tv.as_bytes(), "tv").map(|(d, _)| spdx2::write(&d).len())
            }),
        ),
        (
            "read SPDX 3.0.1 JSON-LD",
            time(rounds, || {
                spdx3::read(s3.as_bytes(), "spdx3").map(|r| r.0.files.len())
            }),
        ),
        (
            "write SPDX 3.0.1 JSON-LD",
            time(rounds, || spdx3::write(&doc).len()),
        ),
        (
            "convert SPDX 2.3 -> SPDX 3.0.1",
            time(rounds, || {
                spdx2::read(spdx.as_bytes(), "spdx").map(|(d, _)| spdx3::write(&d).len())
            }),
        ),
        (
            "convert SPDX 3.0.1 -> SPDX 2.3",
            time(rounds, || {
                spdx3::read(s3.as_bytes(), "spdx3").map(|(d, _)| spdx2::write(&d).len())
            }),
        ),
        (
            "convert SPDX -> CycloneDX",
            time(rounds, || {
                spdx2::read(spdx.as_bytes(), "spdx").map(|(d, _)| cyclonedx::write(&d).len())
            }),
        ),
        (
            "convert CycloneDX -> SPDX",
            time(rounds, || {
                cyclonedx::read(cdx.as_bytes(), "cdx").map(|(d, _)| spdx2::write(&d).len())
            }),
        ),
    ];
    let mut out = std::io::stdout().lock();
    for (label, secs) in rows {
        writeln!(out, "{label}\t{secs:.5}")?;
    }
    Ok(())
}
