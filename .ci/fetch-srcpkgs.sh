#!/usr/bin/env bash
# Fetches the Debian source packages the vendored-code truth tables describe
# (crates/bomsmith-cli/tests/data/vendored/*.toml, [source]) and the samples of
# samples.toml into DIR, each checked against the SHA-256 its table pins. The Debian files are
# the `.orig.tar.gz` files `apt-get source --download-only` fetches for bookworm, taken
# straight from the archive's pool, so no deb-src entry is needed. Nothing fetched is built or
# run.
set -euo pipefail
dir="${1:?usage: fetch-srcpkgs.sh DIR}"
root="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$dir"
python3 - "$root/crates/bomsmith-cli/tests/data/vendored" <<'PY' | while read -r file url sha; do
import sys, tomllib, pathlib
for p in sorted(pathlib.Path(sys.argv[1]).glob("*.toml")):
    t = tomllib.loads(p.read_text())
    for s in ([t["source"]] if "source" in t else []) + t.get("sample", []):
        print(s["file"], s["url"], s["sha256"])
PY
  target="$dir/$file"
  if [ ! -f "$target" ] || ! echo "$sha  $target" | sha256sum -c --quiet >/dev/null 2>&1; then
    curl --fail --silent --show-error --location --max-time 600 -o "$target.part" "$url"
    mv "$target.part" "$target"
  fi
  echo "$sha  $target" | sha256sum -c
done
