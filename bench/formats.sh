#!/usr/bin/env bash
# Benchmark reading, writing and converting the CPython 3.13.5 release SBOM (27 packages,
# 4,808 files) in SPDX 2.3 JSON, SPDX 2.3 tag-value, SPDX 3.0.1 JSON-LD and CycloneDX 1.6 JSON, side by side with
# pyspdxtools converting the same SPDX document to tag-value (and pyspdxtools3 to its SPDX 3
# prototype) in one run.
# In-process times (no process start-up, no file I/O) come from the `formats` example; the
# command-line rows time whole processes, the way a user runs them.
# Usage: bench/formats.sh [RUNS]   (default 5 rounds; medians reported)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
cargo build --release --quiet --bin bomsmith --example formats
bin="$(pwd)/target/release/bomsmith"
example="$(pwd)/target/release/examples/formats"
shared="${BOMSMITH_SHARED:-$(pwd)/../shared}"
tarball="$shared/cpython/3.13.5/Python-3.13.5.tar.xz"
[ -f "$tarball" ] || { echo "missing $tarball (../shared beside the repository)" >&2; exit 2; }
work="$(pwd)/bench/out/formats"
mkdir -p "$work"
export SOURCE_DATE_EPOCH=1700000000
"$bin" scan --preset cpython -q -o "$work/cpython.spdx.json" "$tarball"
"$bin" convert -q --to cyclonedx-json -o "$work/cpython.cdx.json" "$work/cpython.spdx.json"
"$bin" scan --preset cpython -q -f spdx-tv -o "$work/cpython.spdx" "$tarball"
"$bin" scan --preset cpython -q -f spdx3-json -o "$work/cpython.spdx3.json" "$tarball"
venv="$(pwd)/target/ci-venv"
if [ ! -x "$venv/bin/pyspdxtools" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check spdx-tools
fi

echo "machine: $(nproc) cores, $(uname -m); median of $runs rounds (pyspdxtools: 1 round), max peak RSS"
ls -l "$work"/cpython.*.json "$work"/cpython.spdx | awk '{printf "  %s: %.1f MiB\n", $NF, $5/1048576}'
echo
echo "in process, median of $((runs * 4)) rounds:"
"$example" "$work/cpython.spdx.json" "$((runs * 4))" | tee "$work/inprocess.tsv" |
  awk -F'\t' '{printf "  %-28s %8.1f ms\n", $1, $2 * 1000}'
echo
python3 bench/measure.py "$runs" \
  "bomsmith convert SPDX -> CycloneDX::$bin convert -q --to cyclonedx-json -o $work/out.cdx.json $work/cpython.spdx.json" \
  "bomsmith convert CycloneDX -> SPDX::$bin convert -q --to spdx-json -o $work/out.spdx.json $work/cpython.cdx.json" \
  "bomsmith convert SPDX JSON -> tag-value::$bin convert -q --to spdx-tv -o $work/out.spdx $work/cpython.spdx.json" \
  "bomsmith convert tag-value -> SPDX JSON::$bin convert -q --to spdx-json -o $work/out-tv.spdx.json $work/cpython.spdx" \
  "bomsmith validate tag-value::$bin validate $work/cpython.spdx" \
  "bomsmith convert SPDX 2.3 -> SPDX 3.0.1::$bin convert -q --to spdx3-json -o $work/out.spdx3.json $work/cpython.spdx.json" \
  "bomsmith convert SPDX 3.0.1 -> SPDX 2.3::$bin convert -q --to spdx-json -o $work/out-3.spdx.json $work/cpython.spdx3.json" \
  "bomsmith validate SPDX 3.0.1::$bin validate $work/cpython.spdx3.json" \
  > "$work/formats.tsv"
python3 bench/measure.py 1 \
  "pyspdxtools SPDX JSON -> tag-value::$venv/bin/pyspdxtools -i $work/cpython.spdx.json -o $work/py.spdx" \
  "pyspdxtools --novalidation::$venv/bin/pyspdxtools --novalidation -i $work/cpython.spdx.json -o $work/py-nv.spdx" \
  "pyspdxtools3 SPDX 2.3 -> SPDX 3 prototype::$venv/bin/pyspdxtools3 --novalidation -i $work/cpython.spdx.json -o $work/py3" \
  >> "$work/formats.tsv"

python3 - "$work/formats.tsv" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    label, wall, rss = line.rstrip("\n").split("\t")
    rows[label] = (float(wall), float(rss))
print(f"{'whole process':40} {'wall s':>9} {'peak RSS MiB':>13}")
for label, (wall, rss) in rows.items():
    print(f"{label:40} {wall:9.3f} {rss:13.1f}")
ours = rows["bomsmith convert SPDX -> CycloneDX"][0]
tv = rows["bomsmith convert SPDX JSON -> tag-value"][0]
s3 = rows["bomsmith convert SPDX 2.3 -> SPDX 3.0.1"][0]
print()
for label in ("pyspdxtools SPDX JSON -> tag-value", "pyspdxtools --novalidation"):
    print(f"{label} / bomsmith convert SPDX -> CycloneDX: {rows[label][0] / ours:.0f}x")
    print(f"{label} / bomsmith convert SPDX JSON -> tag-value: {rows[label][0] / tv:.0f}x")
label = "pyspdxtools3 SPDX 2.3 -> SPDX 3 prototype"
print(f"{label} / bomsmith convert SPDX 2.3 -> SPDX 3.0.1: {rows[label][0] / s3:.0f}x")
PY
