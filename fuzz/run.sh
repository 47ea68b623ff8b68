#!/usr/bin/env bash
# Runs the fuzz targets for SECONDS each (default 600), side by side, seeded from the shared
# corpus (copied into fuzz/corpus, which is not committed). Needs the nightly toolchain and
# cargo-fuzz (`cargo install cargo-fuzz`).
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-600}"
shared="${BOMSMITH_SHARED:-$(pwd)/../../shared}"
mkdir -p corpus/validate_spdx corpus/validate_cyclonedx corpus/convert
cp "$shared"/spec/spdx-2.3/*.json corpus/validate_spdx/
cp "$shared"/conformance/cyclonedx-1.6/*.json corpus/validate_cyclonedx/
cp "$shared"/spec/spdx-2.3/*.json "$shared"/conformance/cyclonedx-1.6/valid-*.json corpus/convert/
cargo +nightly fuzz build -O
for t in validate_spdx validate_cyclonedx convert; do
  cargo +nightly fuzz run -O "$t" "corpus/$t" -- -max_total_time="$secs" -max_len=65536 \
    -dict=json.dict > "out-$t.log" 2>&1 &
done
wait
for t in validate_spdx validate_cyclonedx convert; do
  echo "== $t"; grep -E "^(Done|#[0-9]+ +DONE)|stat::number_of_executed_units|SUMMARY|panicked" "out-$t.log" | tail -5
done
