#!/usr/bin/env bash
# Benchmark `bomsmith vulns` and `bomsmith db` on every real advisory tree in ../shared:
# PyPA (2,661 records, YAML), PSF (132, JSON), NVD (13 CVE records, API 2.0 JSON), CVE 5 (41
# CVE JSON 5 records), OSS-Fuzz (13, YAML) and AlmaLinux (172, JSON), in one run (issues 15
# and 16):
#   - load NVD, load CVE 5: each of those trees read raw (`db info`: read, parse, count);
#   - load all: the six trees read raw;
#   - build: `db build` of the six trees into one SQLite database;
#   - raw: `vulns` of a 1,000-component SBOM against the raw trees (load + match);
#   - db: the same SBOM against the database.
# Targets: raw load + match under 1 s; from the database under 50 ms. Printed as ratios to the
# target (below 1.00 meets it), with each process tree's peak RSS.
# Usage: bench/vulns.sh [RUNS]   (default 10 rounds; medians reported)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-10}"
shared="${BOMSMITH_SHARED:-$(pwd)/../shared}"
pypa="$shared/advisories/pypa"
psf="$shared/advisories/psf"
nvd="$shared/advisories/nvd"
cve5="$shared/advisories/cve5"
fuzz="$shared/advisories/osv-oss-fuzz"
alma="$shared/advisories/osv-almalinux"
for d in "$pypa/vulns" "$psf" "$nvd" "$cve5" "$fuzz" "$alma"; do
  [ -d "$d" ] || { echo "missing $d" >&2; exit 2; }
done
all="$pypa $psf $nvd $cve5 $fuzz $alma"

cargo build --release --quiet
bin="$(pwd)/target/release/bomsmith"
work="$(pwd)/bench/out"
mkdir -p "$work"
sbom="$work/vulns-1000.cdx.json"
db="$work/vulns.db"
python3 bench/gen_vulns_sbom.py "$pypa/vulns" 1000 "$sbom"
rm -f "$db" "$work/vulns-raw.txt" "$work/vulns-db.txt"
# shellcheck disable=SC2086
"$bin" db build $all -o "$db" 2>/dev/null
unset CI

echo "machine: $(nproc) cores, $(uname -m); $runs rounds, median wall time, max peak RSS"
"$bin" vulns "$sbom" --db "$db" | head -1
python3 bench/measure.py "$runs" \
  "load raw NVD (db info nvd)::$bin db info $nvd" \
  "load raw CVE 5 (db info cve5)::$bin db info $cve5" \
  "load raw, all six trees (db info)::$bin db info $all" \
  "db build, all six trees::$bin db build $all -o $db" \
  "vulns 1000 components, raw sources::$bin vulns $sbom --db $all -o $work/vulns-raw.txt" \
  "vulns 1000 components, database::$bin vulns $sbom --db $db -o $work/vulns-db.txt" \
  > "$work/vulns.tsv"

cmp -s "$work/vulns-raw.txt" "$work/vulns-db.txt" \
  || { echo "raw and database reports differ" >&2; diff "$work/vulns-raw.txt" "$work/vulns-db.txt" | head >&2; exit 1; }

printf '%-42s %10s %10s %10s %12s\n' "run" "wall s" "target s" "ratio" "peak RSS MiB"
while IFS=$'\t' read -r label wall rss; do
  case "$label" in
    *"raw sources") target=1.0 ;;
    *database) target=0.05 ;;
    *) target="" ;;
  esac
  if [ -n "$target" ]; then
    ratio=$(python3 -c "print(f'{$wall / $target:.2f}')")
  else
    target="-"; ratio="-"
  fi
  printf '%-42s %10.3f %10s %10s %12.1f\n' "$label" "$wall" "$target" "$ratio" "$rss"
done < "$work/vulns.tsv"
