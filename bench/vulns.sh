#!/usr/bin/env bash
# Benchmark `bomsmith vulns` and `bomsmith db` on the real PyPA (2,661 records, YAML), PSF
# (132 records, JSON) and NVD (13 CVE records, API 2.0 JSON) advisory trees, in one run
# (issues 15 and 16):
#   - load: the records read raw (`db info` on the three trees: read, parse, count);
#   - build: `db build` of the three trees into one SQLite database;
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
[ -d "$pypa/vulns" ] && [ -d "$psf" ] && [ -d "$nvd" ] || { echo "missing $pypa, $psf or $nvd" >&2; exit 2; }

cargo build --release --quiet
bin="$(pwd)/target/release/bomsmith"
work="$(pwd)/bench/out"
mkdir -p "$work"
sbom="$work/vulns-1000.cdx.json"
db="$work/vulns.db"
python3 bench/gen_vulns_sbom.py "$pypa/vulns" 1000 "$sbom"
rm -f "$db" "$work/vulns-raw.txt" "$work/vulns-db.txt"
"$bin" db build "$pypa" "$psf" "$nvd" -o "$db" 2>/dev/null
unset CI

echo "machine: $(nproc) cores, $(uname -m); $runs rounds, median wall time, max peak RSS"
"$bin" vulns "$sbom" --db "$db" | head -1
python3 bench/measure.py "$runs" \
  "load raw (db info pypa psf nvd)::$bin db info $pypa $psf $nvd" \
  "db build pypa psf nvd::$bin db build $pypa $psf $nvd -o $db" \
  "vulns 1000 components, raw sources::$bin vulns $sbom --db $pypa $psf $nvd -o $work/vulns-raw.txt" \
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
