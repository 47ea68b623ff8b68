#!/usr/bin/env bash
# Benchmark applying VEX (issue 17): the whole VEX hub in ../shared (59 OpenVEX documents,
# 15,304 statements) imported, merged and applied to a result of about 1,000 findings.
# bench/gen_vex_bench.py makes the SBOM and OSV records from the hub's own statements, so that
# its statements speak for the findings. Rows:
#   - vulns alone: the SBOM matched against the records (no VEX);
#   - vulns --vex hub: the same, plus reading the 59 documents, merging and applying them.
# Target: the second under 1 s in total. Printed as a ratio to the target (below 1.00 meets it),
# with each process tree's peak RSS.
# Usage: bench/vex.sh [RUNS]   (default 10 rounds; medians reported)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-10}"
shared="${BOMSMITH_SHARED:-$(pwd)/../shared}"
hub="$shared/conformance/vex/wild/vexhub"
[ -d "$hub/pkg" ] || { echo "missing $hub" >&2; exit 2; }

cargo build --release --quiet
bin="$(pwd)/target/release/bomsmith"
work="$(pwd)/bench/out/vex"
rm -rf "$work"
mkdir -p "$work"
python3 bench/gen_vex_bench.py "$hub" 1000 "$work"
mapfile -t docs < <(find "$hub" -name '*.openvex.json' | sort)
unset CI

echo "machine: $(nproc) cores, $(uname -m); $runs rounds, median wall time, max peak RSS"
"$bin" vulns "$work/sbom.cdx.json" --db "$work/osv" --vex "${docs[@]}" 2>/dev/null | head -1
python3 bench/measure.py "$runs" \
  "vulns alone (1,000 findings)::$bin vulns $work/sbom.cdx.json --db $work/osv -o $work/plain.txt --force" \
  "vulns --vex hub (15,304 statements)::$bin vulns $work/sbom.cdx.json --db $work/osv -o $work/vex.txt --force --vex ${docs[*]}" \
  > "$work/vex.tsv"

printf '%-42s %10s %10s %10s %12s\n' "run" "wall s" "target s" "ratio" "peak RSS MiB"
while IFS=$'\t' read -r label wall rss; do
  case "$label" in
    *"--vex hub"*) target=1.0 ;;
    *) target="" ;;
  esac
  if [ -n "$target" ]; then
    ratio=$(python3 -c "print(f'{$wall / $target:.2f}')")
  else
    target="-"; ratio="-"
  fi
  printf '%-42s %10.3f %10s %10s %12.1f\n' "$label" "$wall" "$target" "$ratio" "$rss"
done < "$work/vex.tsv"
