#!/usr/bin/env bash
# Benchmark `bomsmith scan` on the CPython 3.13.5 release tarball against plain decompression,
# side by side in one run (issue: foundation and scan).
#   - .tar.xz: bomsmith --preset cpython vs `xz -dc` (target ratio <= 1.2)
#   - .tgz of the same tree: bomsmith vs `gzip -dc` (target ratio <= 0.6)
#   - peak RSS of bomsmith (target < 56 MB, the reference script's)
# Usage: bench/scan.sh [RUNS]   (default 5 rounds; medians reported)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
shared="${BOMSMITH_SHARED:-$(pwd)/../shared}"
tarball="$shared/cpython/3.13.5/Python-3.13.5.tar.xz"
[ -f "$tarball" ] || { echo "missing $tarball" >&2; exit 2; }

cargo build --release --quiet
bin="$(pwd)/target/release/bomsmith"
work="$(pwd)/bench/out"
mkdir -p "$work"
tgz="$work/Python-3.13.5.tgz"
[ -f "$tgz" ] || xz -dc "$tarball" | gzip -6 > "$tgz"
export SOURCE_DATE_EPOCH=1700000000

echo "machine: $(nproc) cores, $(uname -m); $runs rounds, median wall time, max peak RSS"
python3 bench/measure.py "$runs" \
  "bomsmith scan --preset cpython (.tar.xz)::$bin scan -q --preset cpython $tarball" \
  "xz -dc (.tar.xz)::xz -dc $tarball" \
  "bomsmith scan (.tgz)::$bin scan -q $tgz" \
  "gzip -dc (.tgz)::gzip -dc $tgz" > "$work/scan.tsv"

python3 - "$work/scan.tsv" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    label, wall, rss = line.rstrip("\n").split("\t")
    rows[label] = (float(wall), float(rss))
print(f"{'command':44} {'wall s':>8} {'peak RSS MiB':>13}")
for label, (wall, rss) in rows.items():
    print(f"{label:44} {wall:8.3f} {rss:13.1f}")
xz_ratio = rows["bomsmith scan --preset cpython (.tar.xz)"][0] / rows["xz -dc (.tar.xz)"][0]
gz_ratio = rows["bomsmith scan (.tgz)"][0] / rows["gzip -dc (.tgz)"][0]
rss = max(rows["bomsmith scan --preset cpython (.tar.xz)"][1], rows["bomsmith scan (.tgz)"][1])
print()
print(f"ratio bomsmith/xz -dc   (.tar.xz): {xz_ratio:.2f}  (target <= 1.2)")
print(f"ratio bomsmith/gzip -dc (.tgz):    {gz_ratio:.2f}  (target <= 0.6)")
print(f"bomsmith peak RSS:                 {rss:.1f} MiB ({rss * 1.048576:.1f} MB; target < 56 MB)")
PY
