#!/usr/bin/env bash
# Benchmark `bomsmith validate` on generated valid SPDX 2.3 documents of 8k, 100k and 1M files
# (one package, a CONTAINS relationship per file), side by side with pyspdxtools on the 8k one,
# and on CycloneDX 1.4 and 1.7 BOMs of 8k and 100k components side by side with
# cyclonedx-python-lib's strict validator (the official one for each version), in one run.
# Targets: 100k files under 1 s, time growing linearly (1M under 10 s).
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
for v in 1.4 1.7; do
  for n in 8000 100000; do
    [ -s "$work/components-$v-$n.cdx.json" ] || python3 bench/gen_cdx.py "$v" "$n" "$work/components-$v-$n.cdx.json"
  done
done
venv="$(pwd)/target/ci-venv"
if [ ! -x "$venv/bin/pyspdxtools" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check spdx-tools check-jsonschema
fi
if ! "$venv/bin/python" -c "import cyclonedx.validation.json" 2>/dev/null; then
  "$venv/bin/pip" install --quiet --disable-pip-version-check "cyclonedx-python-lib[json-validation]"
fi
# Each document must be valid to both before anything is timed.
for n in 8000 100000 1000000; do
  "$bin" validate "$work/files-$n.spdx.json" > /dev/null
done
"$venv/bin/pyspdxtools" -i "$work/files-8000.spdx.json" > /dev/null
for v in 1.4 1.7; do
  "$bin" validate "$work/components-$v-100000.cdx.json" > /dev/null
  "$venv/bin/python" bench/cdx_strict.py "$work/components-$v-8000.cdx.json"
done

echo "machine: $(nproc) cores, $(uname -m); median of $runs rounds (pyspdxtools: 1 round), max peak RSS"
ls -l "$work"/files-*.spdx.json | awk '{printf "  %s: %.1f MiB\n", $NF, $5/1048576}'
python3 bench/measure.py "$runs" \
  "bomsmith validate, 8k files::$bin validate $work/files-8000.spdx.json" \
  "bomsmith validate, 100k files::$bin validate $work/files-100000.spdx.json" \
  "bomsmith validate, 1M files::$bin validate $work/files-1000000.spdx.json" \
  "bomsmith validate, CDX 1.4 8k::$bin validate $work/components-1.4-8000.cdx.json" \
  "bomsmith validate, CDX 1.4 100k::$bin validate $work/components-1.4-100000.cdx.json" \
  "bomsmith validate, CDX 1.7 8k::$bin validate $work/components-1.7-8000.cdx.json" \
  "bomsmith validate, CDX 1.7 100k::$bin validate $work/components-1.7-100000.cdx.json" \
  > "$work/validate.tsv"
python3 bench/measure.py 1 \
  "pyspdxtools -i, 8k files::$venv/bin/pyspdxtools -i $work/files-8000.spdx.json" \
  "cyclonedx strict, CDX 1.4 8k::$venv/bin/python bench/cdx_strict.py $work/components-1.4-8000.cdx.json" \
  "cyclonedx strict, CDX 1.7 8k::$venv/bin/python bench/cdx_strict.py $work/components-1.7-8000.cdx.json" \
  >> "$work/validate.tsv"

python3 - "$work/validate.tsv" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    label, wall, rss = line.rstrip("\n").split("\t")
    rows[label] = (float(wall), float(rss))
print(f"{'command':40} {'wall s':>9} {'peak RSS MiB':>13}")
for label, (wall, rss) in rows.items():
    print(f"{label:40} {wall:9.3f} {rss:13.1f}")
k8 = rows["bomsmith validate, 8k files"][0]
k100 = rows["bomsmith validate, 100k files"][0]
m1 = rows["bomsmith validate, 1M files"][0]
py = rows["pyspdxtools -i, 8k files"][0]
print()
print(f"pyspdxtools / bomsmith on 8k files: {py / k8:.0f}x")
print(f"100k files: {k100:.2f} s (target < 1 s); 1M files: {m1:.2f} s (target < 10 s)")
print(f"growth 100k -> 1M: {m1 / k100:.1f}x for 10x the files (linear = 10x)")
for v in ("1.4", "1.7"):
    ours = rows[f"bomsmith validate, CDX {v} 8k"][0]
    base = rows[f"cyclonedx strict, CDX {v} 8k"][0]
    big = rows[f"bomsmith validate, CDX {v} 100k"][0]
    print(f"CycloneDX {v}: cyclonedx-python-lib strict / bomsmith on 8k components: "
          f"{base / ours:.0f}x; 100k components: {big:.2f} s (target < 1 s)")
PY
