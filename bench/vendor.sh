#!/usr/bin/env bash
# Benchmark `bomsmith vendor regen` against CPython's own Tools/build/generate_sbom.py on the
# same CPython 3.13.5 tree, side by side in one run (issue: vendor regen/check/detect).
#   - The tree is extracted from the release tarball and made a git repository, because the
#     reference script refuses to run outside git (bomsmith then applies git's ignore rules
#     too, so both do the same work).
#   - Both regenerate Misc/sbom.spdx.json and Misc/externals.spdx.json; the script runs without
#     CI set, so it makes no network requests. Target: bomsmith at least 10x faster.
#   - A `vendor detect` row on Debian's cmake 3.25.1 source tree (extracted from the pinned
#     .orig.tar.gz, .ci/fetch-srcpkgs.sh), with `find TREE -type f` over the same tree beside
#     it as the floor of listing its files. Target: detect under 0.5 s.
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

srcpkgs="${BOMSMITH_SRCPKGS:-$work/srcpkgs}"
bash .ci/fetch-srcpkgs.sh "$srcpkgs" >/dev/null
rm -rf "$work/cmake-tree" && mkdir -p "$work/cmake-tree"
tar -xzf "$srcpkgs/cmake_3.25.1.orig.tar.gz" -C "$work/cmake-tree"
cmake_tree="$work/cmake-tree/cmake-3.25.1"

echo "machine: $(nproc) cores, $(uname -m); $runs rounds, median wall time, max peak RSS"
python3 bench/measure.py "$runs" \
  "bomsmith vendor regen --preset cpython::$bin vendor regen -q --preset cpython $tree" \
  "python3 Tools/build/generate_sbom.py::python3 $tree/Tools/build/generate_sbom.py" \
  "bomsmith vendor detect (cmake 3.25.1 tree)::$bin vendor detect --no-git $cmake_tree" \
  "find -type f (cmake 3.25.1 tree)::find $cmake_tree -type f" \
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
detect = rows["bomsmith vendor detect (cmake 3.25.1 tree)"][0]
find = rows["find -type f (cmake 3.25.1 tree)"][0]
print(f"vendor detect on cmake 3.25.1: {detect:.3f} s (target < 0.5 s), {detect / find:.1f}x find -type f")
print("Misc/sbom.spdx.json and Misc/externals.spdx.json unchanged by both: yes")
PY
