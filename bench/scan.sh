#!/usr/bin/env bash
# Benchmark `bomsmith scan` on the CPython 3.13.5 release tarball against plain decompression,
# side by side in one run (issue: foundation and scan).
#   - .tar.xz: bomsmith --preset cpython vs `xz -dc` (target ratio <= 1.2)
#   - .tgz of the same tree: bomsmith vs `gzip -dc` (target ratio <= 0.6)
#   - peak RSS of bomsmith (target < 56 MB, the reference script's)
#   - the .tgz with the archives inside it read too (default --nested-depth 3): the cost of the
#     995 files of CPython's test-data archives listed and hashed besides the 4,808 (issue 14);
#     the ratio rows use --nested-depth 0, the same work as before nesting existed
#   - with BASELINE_BIN=path/to/an/older/bomsmith, that build's rows side by side, and the ratio
#     new/old of each (issue 14: "unchanged within noise")
# Usage: [BASELINE_BIN=...] bench/scan.sh [RUNS]   (default 5 rounds; medians reported)
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
rows=(
  "bomsmith scan --preset cpython (.tar.xz)::$bin scan -q --preset cpython $tarball"
  "xz -dc (.tar.xz)::xz -dc $tarball"
  "bomsmith scan (.tgz)::$bin scan -q --nested-depth 0 $tgz"
  "gzip -dc (.tgz)::gzip -dc $tgz"
  "bomsmith scan (.tgz, nested archives read)::$bin scan -q $tgz"
)
if [ -n "${BASELINE_BIN:-}" ]; then
  rows+=(
    "baseline scan --preset cpython (.tar.xz)::$BASELINE_BIN scan -q --preset cpython $tarball"
    "baseline scan (.tgz)::$BASELINE_BIN scan -q $tgz"
  )
fi
python3 bench/measure.py "$runs" "${rows[@]}" > "$work/scan.tsv"

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
nested = rows["bomsmith scan (.tgz, nested archives read)"][0] / rows["bomsmith scan (.tgz)"][0]
print(f"nested archives read / not read (.tgz): {nested:.2f}  (995 more files listed and hashed)")
if "baseline scan (.tgz)" in rows:
    for new, old in [("bomsmith scan --preset cpython (.tar.xz)", "baseline scan --preset cpython (.tar.xz)"),
                     ("bomsmith scan (.tgz)", "baseline scan (.tgz)")]:
        print(f"this build / baseline, {new[14:]}: {rows[new][0] / rows[old][0]:.3f}")
PY
