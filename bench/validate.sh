#!/usr/bin/env bash
# Benchmark `bomsmith validate` on generated valid SPDX 2.3 documents of 8k, 100k and 1M files
# (one package, a CONTAINS relationship per file), side by side with pyspdxtools on the 8k one,
# in one run. Targets: 100k files under 1 s, time growing linearly (1M under 10 s).
# Usage: bench/validate.sh [RUNS]   (default 3 rounds; medians reported)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
cargo build --release --quiet
bin="$(pwd)/target/release/bomsmith"
work="$(pwd)/bench/out/validate"
mkdir -p "$work"
for n in 8000 100000 1000000; do
  [ -s "$work/files-$n.spdx.json" ] || python3 bench/gen_spdx.py "$n" "$work/files-$n.spdx.json"
done
venv="$(pwd)/target/ci-venv"
if [ ! -x "$venv/bin/pyspdxtools" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check spdx-tools check-jsonschema
fi
# Each document must be valid to both before anything is timed.
for n in 8000 100000 1000000; do
  "$bin" validate "$work/files-$n.spdx.json" > /dev/null
done
"$venv/bin/pyspdxtools" -i "$work/files-8000.spdx.json" > /dev/null

echo "machine: $(nproc) cores, $(uname -m); median of $runs rounds (pyspdxtools: 1 round), max peak RSS"
ls -l "$work"/files-*.spdx.json | awk '{printf "  %s: %.1f MiB\n", $NF, $5/1048576}'
python3 bench/measure.py "$runs" \
  "bomsmith validate, 8k files::$bin validate $work/files-8000.spdx.json" \
  "bomsmith validate, 100k files::$bin validate $work/files-100000.spdx.json" \
  "bomsmith validate, 1M files::$bin validate $work/files-1000000.spdx.json" \
  > "$work/validate.tsv"
python3 bench/measure.py 1 \
  "pyspdxtools -i, 8k files::$venv/bin/pyspdxtools -i $work/files-8000.spdx.json" \
  >> "$work/validate.tsv"

python3 - "$work/validate.tsv" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    label, wall, rss = line.rstrip("\n").split("\t")
    rows[label] = (float(wall), float(rss))
print(f"{'command':36} {'wall s':>9} {'peak RSS MiB':>13}")
for label, (wall, rss) in rows.items():
    print(f"{label:36} {wall:9.3f} {rss:13.1f}")
k8 = rows["bomsmith validate, 8k files"][0]
k100 = rows["bomsmith validate, 100k files"][0]
m1 = rows["bomsmith validate, 1M files"][0]
py = rows["pyspdxtools -i, 8k files"][0]
print()
print(f"pyspdxtools / bomsmith on 8k files: {py / k8:.0f}x")
print(f"100k files: {k100:.2f} s (target < 1 s); 1M files: {m1:.2f} s (target < 10 s)")
print(f"growth 100k -> 1M: {m1 / k100:.1f}x for 10x the files (linear = 10x)")
PY
