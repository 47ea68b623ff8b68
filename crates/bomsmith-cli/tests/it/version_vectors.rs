//! Every version-ordering vector in `../shared/conformance/versions/` (from google/osv-scalibr's
//! `semantic` test data), through `bomsmith::ident::version`: each relation asserted both ways,
//! and the exact list of vectors that needed the lenient layer.

use crate::util::shared_file;
use bomsmith::ident::version::{Scheme, parse};
use std::cmp::Ordering;

const FILES: [(&str, Scheme); 4] = [
    ("pypi-versions.txt", Scheme::Pep440),
    ("pypi-versions-generated.txt", Scheme::Pep440),
    ("semver-versions.txt", Scheme::Semver),
    ("debian-versions.txt", Scheme::Debian),
];

/// The vectors where either side was rejected by the scheme's crate and ordered by the lenient
/// layer, as `FILE:LINE: A OP B`. For the PyPI files this is exactly the vectors where Python's
/// `packaging` 24 (which dropped `LegacyVersion`) raises `InvalidVersion` on a side; for SemVer,
/// the vectors with a leading `v`, with more than three numbers, or with numbers beyond `u64`.
const LENIENT: &[&str] = &[
    "pypi-versions.txt:47: 0.1-bulbasaur < 0.1-charmander",
    "pypi-versions.txt:48: 0.1-charmander < 0.9-doduo",
    "pypi-versions.txt:49: 0.9-doduo < 0.9-eevee",
    "pypi-versions.txt:50: 0.9-eevee < 0.9-fearow",
    "pypi-versions.txt:51: 0.9-fearow < 0.9-gyarados",
    "pypi-versions.txt:52: 0.9-gyarados < 0.9-horsea",
    "pypi-versions.txt:53: 0.9-horsea < 0.9-ivysaur",
    "pypi-versions.txt:54: 0.9-ivysaur < 1.0",
    "pypi-versions.txt:56: -class.-jw.util.version.version-pre < 1.0",
    "pypi-versions.txt:57: -class.-jw.util.version.version-preview < 1.0",
    "pypi-versions.txt:58: -class.-jw.util.version.version-dev < 1.0",
    "pypi-versions-generated.txt:525: 0.1-bulbasaur < 0.1-charmander",
    "pypi-versions-generated.txt:526: 0.1-charmander < 0.9-doduo",
    "pypi-versions-generated.txt:527: 0.9-doduo < 0.9-eevee",
    "pypi-versions-generated.txt:528: 0.9-eevee < 0.9-fearow",
    "pypi-versions-generated.txt:529: 0.9-fearow < 0.9-gyarados",
    "pypi-versions-generated.txt:530: 0.9-gyarados < 0.9-horsea",
    "pypi-versions-generated.txt:531: 0.9-horsea < 0.9-ivysaur",
    "pypi-versions-generated.txt:532: 0.9-ivysaur < 1.0",
    "pypi-versions-generated.txt:1994: 2.0.1rc2-git < 0.8",
    "pypi-versions-generated.txt:4222: 0.7.1.fix1 < 0.7.4.svn.r2010",
    "pypi-versions-generated.txt:4223: 0.7.4.svn.r2010 < 0.6.4",
    "pypi-versions-generated.txt:4909: 2013-01-21T20:33:09+0100 < 2013-01-23T17:11:52+0100",
    "pypi-versions-generated.txt:4910: 2013-01-23T17:11:52+0100 < 2013-02-01T20:50:46+0100",
    "pypi-versions-generated.txt:4911: 2013-02-01T20:50:46+0100 < 2013-02-02T19:59:03+0100",
    "pypi-versions-generated.txt:4912: 2013-02-02T19:59:03+0100 < 2013-02-02T20:23:17+0100",
    "pypi-versions-generated.txt:4913: 2013-02-02T20:23:17+0100 < 2013-02-08T17:40:57+0000",
    "pypi-versions-generated.txt:4914: 2013-02-08T17:40:57+0000 < 2013-03-27T16:32:26+0100",
    "pypi-versions-generated.txt:4915: 2013-03-27T16:32:26+0100 < 2013-05-09T12:47:53+0200",
    "pypi-versions-generated.txt:4916: 2013-05-09T12:47:53+0200 < 2013-05-10T17:55:56+0200",
    "pypi-versions-generated.txt:4917: 2013-05-10T17:55:56+0200 < 2013-05-14T20:16:05+0200",
    "pypi-versions-generated.txt:4918: 2013-05-14T20:16:05+0200 < 2013-06-01T10:32:51+0200",
    "pypi-versions-generated.txt:4919: 2013-06-01T10:32:51+0200 < 2013-07-19T09:11:08+0000",
    "pypi-versions-generated.txt:4920: 2013-07-19T09:11:08+0000 < 2013-08-12T21:48:56+0200",
    "pypi-versions-generated.txt:4921: 2013-08-12T21:48:56+0200 < 2013-09-11T19-27-10",
    "pypi-versions-generated.txt:4922: 2013-09-11T19-27-10 < 2013-12-23T17-51-15",
    "pypi-versions-generated.txt:4923: 2013-12-23T17-51-15 < 2014-01-12T15-52-10",
    "pypi-versions-generated.txt:4924: 2014-01-12T15-52-10 < 0.2016.3.21",
    "pypi-versions-generated.txt:5367: 0.0.1-test1 < 3.0.0a4",
    "pypi-versions-generated.txt:7249: 0.7.10p1 < 0.7.11p1",
    "pypi-versions-generated.txt:7250: 0.7.11p1 < 0.7.11p2",
    "pypi-versions-generated.txt:7251: 0.7.11p2 < 0.7.11p3",
    "pypi-versions-generated.txt:7252: 0.7.11p3 < 0.8.1p1",
    "pypi-versions-generated.txt:7253: 0.8.1p1 < 0.8.3p1",
    "pypi-versions-generated.txt:7254: 0.8.3p1 < 0.8.4p1",
    "pypi-versions-generated.txt:7255: 0.8.4p1 < 0.8.4p2",
    "pypi-versions-generated.txt:7256: 0.8.4p2 < 0.8.6p1",
    "pypi-versions-generated.txt:7257: 0.8.6p1 < 0.8.7p1",
    "pypi-versions-generated.txt:7258: 0.8.7p1 < 0.7.3",
    "pypi-versions-generated.txt:7542: -class.-jw.util.version.Version- < 1.0.dev1",
    "pypi-versions-generated.txt:8716: trunk < 3.2.3",
    "pypi-versions-generated.txt:9328: 0.3m1 < 0.3m2",
    "pypi-versions-generated.txt:9329: 0.3m2 < 0.3m3",
    "pypi-versions-generated.txt:9330: 0.3m3 < 0.3m4",
    "pypi-versions-generated.txt:9331: 0.3m4 < 0.3m5",
    "pypi-versions-generated.txt:9332: 0.3m5 < 0.4m1",
    "pypi-versions-generated.txt:9333: 0.4m1 < 0.4m2",
    "pypi-versions-generated.txt:9334: 0.4m2 < 0.4m3",
    "pypi-versions-generated.txt:9335: 0.4m3 < 0.4m4",
    "pypi-versions-generated.txt:9336: 0.4m4 < 0.4m5",
    "pypi-versions-generated.txt:9337: 0.4m5 < 0.5m1",
    "pypi-versions-generated.txt:9338: 0.5m1 < 0.5m2",
    "pypi-versions-generated.txt:9339: 0.5m2 < 0.5m3",
    "pypi-versions-generated.txt:9340: 0.5m3 < 0.5m4",
    "pypi-versions-generated.txt:9341: 0.5m4 < 0.5m5",
    "pypi-versions-generated.txt:9342: 0.5m5 < 0.6m1",
    "pypi-versions-generated.txt:9343: 0.6m1 < 0.6m2",
    "pypi-versions-generated.txt:9344: 0.6m2 < 0.6m3",
    "pypi-versions-generated.txt:9345: 0.6m3 < 0.6m4",
    "pypi-versions-generated.txt:9346: 0.6m4 < 0.6m5",
    "pypi-versions-generated.txt:9347: 0.6m5 < 0.6m6",
    "pypi-versions-generated.txt:9348: 0.6m6 < 0.2rc0",
    "pypi-versions-generated.txt:11207: 1.3.1-STAGING < 0.0.1",
    "pypi-versions-generated.txt:11234: 4.11-final < 5.0-final",
    "pypi-versions-generated.txt:11235: 5.0-final < 5.1",
    "pypi-versions-generated.txt:11248: a3 < 2.0b1",
    "pypi-versions-generated.txt:11424: 2.0.0-final < 0.10",
    "pypi-versions-generated.txt:11759: 1.0beta6.1 < 1.0b6",
    "pypi-versions-generated.txt:11871: 0.3.1-p1 < 0.4.0-p1",
    "pypi-versions-generated.txt:11872: 0.4.0-p1 < 0.0.1",
    "semver-versions.txt:18: v0.0.0 > 0.0.0-foo",
    "semver-versions.txt:19: v0.0.1 > 0.0.0",
    "semver-versions.txt:20: v1.0.0 > 0.9.9",
    "semver-versions.txt:21: v0.10.0 > 0.9.0",
    "semver-versions.txt:22: v0.99.0 > 0.10.0",
    "semver-versions.txt:23: v2.0.0 > 1.2.3",
    "semver-versions.txt:24: 0.0.0 > v0.0.0-foo",
    "semver-versions.txt:25: 0.0.1 > v0.0.0",
    "semver-versions.txt:26: 1.0.0 > v0.9.9",
    "semver-versions.txt:27: 0.10.0 > v0.9.0",
    "semver-versions.txt:28: 0.99.0 > v0.10.0",
    "semver-versions.txt:29: 2.0.0 > v1.2.3",
    "semver-versions.txt:50: 0.0.0-foo < v0.0.0",
    "semver-versions.txt:51: 0.0.0 < v0.0.1",
    "semver-versions.txt:52: 0.9.9 < v1.0.0",
    "semver-versions.txt:53: 0.9.0 < v0.10.0",
    "semver-versions.txt:54: 0.10.0 < v0.99.0",
    "semver-versions.txt:55: 1.2.3 < v2.0.0",
    "semver-versions.txt:56: v0.0.0-foo < 0.0.0",
    "semver-versions.txt:57: v0.0.0 < 0.0.1",
    "semver-versions.txt:58: v0.9.9 < 1.0.0",
    "semver-versions.txt:59: v0.9.0 < 0.10.0",
    "semver-versions.txt:60: v0.10.0 < 0.99.0",
    "semver-versions.txt:61: v1.2.3 < 2.0.0",
    "semver-versions.txt:76: 1.2.3 = v1.2.3",
    "semver-versions.txt:78: 1.2.3-0 = v1.2.3-0",
    "semver-versions.txt:80: 1.2.3-1 = v1.2.3-1",
    "semver-versions.txt:82: 1.2.3-beta = v1.2.3-beta",
    "semver-versions.txt:86: v1.2.3+build = 1.2.3+otherbuild",
    "semver-versions.txt:87: 999999999999999999999999999991 < 999999999999999999999999999999",
    "semver-versions.txt:88: 999999999999999999999999999991.999999999999999999999999999991.999999999999999999999999999991 < 999999999999999999999999999999.999999999999999999999999999991.999999999999999999999999999991",
    "semver-versions.txt:92: 1.1.3.4.5 = 1.1.3.4.5",
];

#[test]
fn every_version_vector_holds_both_ways() {
    let mut failures = Vec::new();
    let mut lenient = Vec::new();
    let mut checked = 0usize;
    for (name, scheme) in FILES {
        let Some(path) = shared_file(&format!("conformance/versions/{name}")) else {
            return;
        };
        let text = std::fs::read_to_string(&path).expect("vector file reads");
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with("//") {
                continue;
            }
            let at = format!("{name}:{}", i + 1);
            let fields: Vec<&str> = line.split_whitespace().collect();
            let [a, op, b] = fields[..] else {
                panic!("{at}: not `A OP B`: {line}");
            };
            let want = match op {
                "<" => Ordering::Less,
                ">" => Ordering::Greater,
                "=" => Ordering::Equal,
                _ => panic!("{at}: unknown relation {op:?}"),
            };
            let (va, vb) = match (parse(scheme, a), parse(scheme, b)) {
                (Ok(va), Ok(vb)) => (va, vb),
                (Err(e), _) | (_, Err(e)) => {
                    failures.push(format!("{at}: {line}: {e}"));
                    continue;
                }
            };
            checked += 1;
            if va.is_lenient() || vb.is_lenient() {
                lenient.push(format!("{at}: {line}"));
            }
            let ab = va.compare(&vb);
            let ba = vb.compare(&va);
            if ab != Some(want) || ba != Some(want.reverse()) {
                failures.push(format!(
                    "{at}: {line}: got a?b {ab:?}, b?a {ba:?}, want {want:?}"
                ));
            }
            // Each side equals itself.
            if va.compare(&va) != Some(Ordering::Equal) || vb.compare(&vb) != Some(Ordering::Equal)
            {
                failures.push(format!("{at}: {line}: not reflexive"));
            }
        }
    }
    eprintln!(
        "{checked} vectors checked; {} needed the lenient layer:",
        lenient.len()
    );
    for l in &lenient {
        eprintln!("  {l}");
    }
    assert!(
        failures.is_empty(),
        "{} of the vectors fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Counted independently: `grep -v` of blank and `//` lines over the four files.
    assert_eq!(checked, 12_528, "vector count");
    assert_eq!(
        lenient, LENIENT,
        "the vectors that needed the lenient layer"
    );
}
