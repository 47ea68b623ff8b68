#!/usr/bin/env bash
# Benchmark `bomsmith vendor regen` against CPython's own Tools/build/generate_sbom.py on the
# same CPython 3.13.5 tree, side by side in one run (issue: vendor regen/check/detect).
#   - The tree is extracted from the release tarball and made a git repository, because the
#     reference script refuses to run outside git (bomsmith then applies git's ignore rules
#     too, so both do the same work).
#   - Both regenerate Misc/sbom.spdx.json and Misc/externals.spdx.json; the script runs without
#     CI set, so it makes no network requests. Target: bomsmith at least 10x faster.
# Usage: bench/vendor.sh [RUNS]   (default 20 rounds; medians reported)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-20}"
shared="${BOMSMITH_SHARED:-$(pwd)/../shared}"
tarball="$shared/cpython/3.13.5/Python-3.13.5.tar.xz"
[ -f "$tarball" ] || { echo "missing $tarball" >&2; exit 2; }

cargo build --release --quiet
bin="$(pwd)/target/release/bomsmith"
work="$(pwd)/bench/out"
tree="$work/vendor-tree/Python-3.13.5"
rm -rf "$work/vendor-tree"
mkdir -p "$work/vendor-tree"
tar -xJf "$tarball" -C "$work/vendor-tree"
git -C "$tree" init -q
git -C "$tree" add -A
git -C "$tree" -c user.name=bench -c user.email=bench@localhost commit -qm tree
unset CI

echo "machine: $(nproc) cores, $(uname -m); $runs rounds, median wall time, max peak RSS"
python3 bench/measure.py "$runs" \
  "bomsmith vendor regen --preset cpython::$bin vendor regen -q --preset cpython $tree" \
  "python3 Tools/build/generate_sbom.py::python3 $tree/Tools/build/generate_sbom.py" \
  > "$work/vendor.tsv"

# Both must have left the committed documents exactly as they were.
if ! git -C "$tree" diff --quiet -- Misc; then
  echo "a regenerator changed Misc/ (it should reproduce it byte for byte):" >&2
  git -C "$tree" diff --stat -- Misc >&2
  exit 1
fi

python3 - "$work/vendor.tsv" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    label, wall, rss = line.rstrip("\n").split("\t")
    rows[label] = (float(wall), float(rss))
print(f"{'command':52} {'wall s':>8} {'peak RSS MiB':>13}")
for label, (wall, rss) in rows.items():
    print(f"{label:52} {wall:8.4f} {rss:13.1f}")
ours = rows["bomsmith vendor regen --preset cpython"][0]
theirs = rows["python3 Tools/build/generate_sbom.py"][0]
print()
print(f"speed-up generate_sbom.py / bomsmith: {theirs / ours:.1f}x  (target >= 10x)")
print("Misc/sbom.spdx.json and Misc/externals.spdx.json unchanged by both: yes")
PY
