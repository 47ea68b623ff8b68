#!/usr/bin/env bash
# Builds small seed archives for the `tar`, `zip`, `cpio`, `pbzx` and `xar` fuzz targets into
# corpus/ (not committed), with the system's tar, gzip, xz, bzip2, zstd, zip, unzip, cpio and
# bsdtar, plus the dist-info of a real wheel from the shared corpus when it is there.
set -euo pipefail
cd "$(dirname "$0")"
shared="${BOMSMITH_SHARED:-$(pwd)/../../shared}"
out=$(pwd)/corpus
mkdir -p "$out/tar" "$out/zip"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A small tree: files (one empty), directories (one empty), a symlink, a hard link, a name too
# long for a ustar header and a non-ASCII one.
tree="$work/pkg-1.0"
long=$(printf 'd%.0s' {1..120}).txt
mkdir -p "$tree/src/sub" "$tree/empty"
printf 'hello\n' > "$tree/README"
: > "$tree/src/empty.txt"
seq 1 300 > "$tree/src/numbers.txt"
printf 'long\n' > "$tree/src/sub/$long"
printf 'caf\n' > "$tree/src/café.txt"
ln -s ../README "$tree/src/link"
ln "$tree/README" "$tree/src/hard"
find "$tree" -exec touch -h -d 2000-01-01T00:00:00Z {} +
common=(--owner=0 --group=0 --numeric-owner --mtime=@0 --sort=name)

tar -C "$work" "${common[@]}" --format=gnu -cf "$work/gnu.tar" pkg-1.0
tar -C "$work" "${common[@]}" --format=pax \
  --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime -cf "$work/pax.tar" pkg-1.0
tar -C "$work" "${common[@]}" --format=ustar --exclude="$long" -cf "$work/ustar.tar" pkg-1.0
tar -C "$work" "${common[@]}" --format=v7 --exclude="$long" -cf "$work/v7.tar" pkg-1.0
tar -C "$work" "${common[@]}" --format=ustar -b1 -cf "$work/one.tar" pkg-1.0/README
tar -cf "$work/empty.tar" -T /dev/null
cp "$work"/{gnu,pax,ustar,v7,one,empty}.tar "$out/tar/"
gzip -9nc "$work/gnu.tar" > "$out/tar/gnu.tar.gz"
gzip -9nc "$work/one.tar" > "$out/tar/one.tar.gz"
xz -c "$work/pax.tar" > "$out/tar/pax.tar.xz"
xz -0 -C crc32 -c "$work/one.tar" > "$out/tar/one.tar.xz"
bzip2 -9c "$work/ustar.tar" > "$out/tar/ustar.tar.bz2"
bzip2 -1c "$work/one.tar" > "$out/tar/one.tar.bz2"
zstd -q -19 -c "$work/gnu.tar" > "$out/tar/gnu.tar.zst"
zstd -q -c "$work/one.tar" > "$out/tar/one.tar.zst"
# Several gzip members, and several xz streams, making up one tar.
head -c 2048 "$work/pax.tar" | gzip -nc > "$out/tar/multi.tar.gz"
tail -c +2049 "$work/pax.tar" | gzip -nc >> "$out/tar/multi.tar.gz"
head -c 2048 "$work/gnu.tar" | xz -c > "$out/tar/multi.tar.xz"
tail -c +2049 "$work/gnu.tar" | xz -c >> "$out/tar/multi.tar.xz"
# An empty tar as xz declaring a 4 GiB dictionary (refused: more than 128 MiB).
printf '%b' \
  '\xfd\x37\x7a\x58\x5a\x00\x00\x00\xff\x12\xd9\x41\x02\x00\x21\x01\x28\x00\x00\x00\xe6\xa0'\
  '\x11\xb3\xe0\x03\xff\x00\x0b\x5d\x00\x00\x6f\xfd\xff\xff\xa3\xb7\x7f\x46\x32\x00\x00\x00'\
  '\x00\x01\x1f\x80\x08\x00\x00\x00\xee\xfc\x87\x45\xa8\x00\x0a\xfc\x02\x00\x00\x00\x00\x00'\
  '\x59\x5a' > "$out/tar/xz-4gib-dictionary.tar.xz"

# Zips: stored, deflated, bzip2, symlinks kept, zip64 records forced, an empty archive and one
# with a prefix (a self-extractor's stub, offsets not adjusted).
# (zip adds to an existing archive: start afresh.)
rm -f "$out"/zip/{stored,deflated,bzip2,zip64,one,wheel-dist-info}.zip
(cd "$work" && zip -q -X -r -0 "$out/zip/stored.zip" pkg-1.0)
(cd "$work" && zip -q -X -r -9 -y "$out/zip/deflated.zip" pkg-1.0)
(cd "$work" && zip -q -X -r -Z bzip2 "$out/zip/bzip2.zip" pkg-1.0/src)
(cd "$work" && zip -q -X -fz "$out/zip/zip64.zip" pkg-1.0/README pkg-1.0/src/numbers.txt)
(cd "$work" && zip -q -X -D "$out/zip/one.zip" pkg-1.0/README)
printf 'PK\005\006\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000' \
  > "$out/zip/empty.zip"
{ printf '#!/bin/sh\nexit 0\n'; cat "$out/zip/one.zip"; } > "$out/zip/prefixed.zip"
wheel=$(ls "$shared"/binaries/psycopg2_binary-*-win_amd64.whl 2>/dev/null | head -1 || true)
if [ -n "$wheel" ]; then
  unzip -q "$wheel" '*.dist-info/*' -d "$work/wheel"
  find "$work/wheel" -exec touch -h -d 2000-01-01T00:00:00Z {} +
  (cd "$work/wheel" && zip -q -X -r -9 "$out/zip/wheel-dist-info.zip" .)
fi
# cpio (odc, newc, crc), xar and pbzx seeds, for the macOS installer package readers: GNU cpio,
# bsdtar (libarchive-tools) and xz; skipped with a note when they are missing.
mkdir -p "$out/cpio" "$out/xar" "$out/pbzx"
if command -v cpio >/dev/null && command -v bsdtar >/dev/null; then
  for f in odc newc crc; do
    (cd "$work" && find pkg-1.0 -path '*sub*' -prune -o -print | sort | cpio -o -H "$f" --quiet) \
      > "$out/cpio/$f.cpio"
  done
  gzip -9nc "$out/cpio/odc.cpio" > "$out/cpio/odc.cpio.gz"
  # pbzx: the magic, the chunk size, then (uncompressed size, stored size, bytes) per chunk,
  # one xz-compressed and one stored.
  python3 - "$out/cpio/odc.cpio" "$out/pbzx/odc.pbzx" <<'PY'
import lzma, struct, sys
data = open(sys.argv[1], "rb").read()
half = len(data) // 2
first = lzma.compress(data[:half], format=lzma.FORMAT_XZ)
out = b"pbzx" + struct.pack(">Q", 1 << 24)
out += struct.pack(">QQ", half, len(first)) + first
out += struct.pack(">QQ", len(data) - half, len(data) - half) + data[half:]
open(sys.argv[2], "wb").write(out)
PY
  cp "$out/pbzx/odc.pbzx" "$out/cpio/"
  flat="$work/flat"
  mkdir -p "$flat/Tool.pkg" "$flat/Resources"
  cp "$out/cpio/odc.cpio.gz" "$flat/Tool.pkg/Payload"
  cp "$out/pbzx/odc.pbzx" "$flat/Tool.pkg/Scripts"
  printf '<pkg-info identifier="org.example.tool"/>\n' > "$flat/Tool.pkg/PackageInfo"
  printf '<installer-gui-script/>\n' > "$flat/Distribution"
  printf 'hello\n' > "$flat/Resources/Welcome.txt"
  for c in none gzip bzip2 xz; do
    (cd "$flat" && bsdtar --format xar --options "xar:compression=$c" -cf "$out/xar/$c.pkg" \
      Distribution Resources Tool.pkg)
  done
  (cd "$flat" && bsdtar --format xar --options xar:toc-checksum=md5,xar:checksum=md5 \
    -cf "$out/xar/md5.pkg" Distribution)
  # For the target's second reading (a table of contents as text, a NUL, the heap): the tables
  # of two packages, without the checksum of the compressed table, which the target recomputes
  # no more than the fuzzer does.
  for c in gzip none; do
    python3 - "$out/xar/$c.pkg" "$out/xar/toc-$c" <<'PY'
import re, struct, sys, zlib
d = open(sys.argv[1], "rb").read()
size = struct.unpack(">H", d[4:6])[0]
packed = struct.unpack(">Q", d[8:16])[0]
toc = zlib.decompress(d[size:size + packed])
toc = re.sub(rb"<checksum .*?</checksum>", b"", toc, flags=re.S)
open(sys.argv[2], "wb").write(toc + b"\0" + d[size + packed:])
PY
  done
else
  echo "seed-archives.sh: no cpio or bsdtar (Debian: cpio, libarchive-tools): cpio, xar and pbzx seeds skipped" >&2
fi

# Each target reads the other's seeds too (a zip is an archive inside an archive as well).
cp "$out/zip/one.zip" "$out/tar/"
echo "corpus/tar holds $(ls "$out/tar" | wc -l) inputs, corpus/zip $(ls "$out/zip" | wc -l), corpus/xar $(ls "$out/xar" | wc -l)"
