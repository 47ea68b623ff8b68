#!/usr/bin/env bash
# Fetches the real binary packages the bundled-native-library tests read into DIR, each
# checked against the SHA-256 pinned below. The wheel stays as downloaded (bomsmith reads the
# zip itself; its pygit2.libs/ holds the libgit2 and libssh2 .so files auditwheel grafted).
# From each Debian bookworm .deb the one shared library it ships is extracted as DIR/NAME.
# Nothing fetched is built or run.
set -euo pipefail

# file | url | sha256 | path of the library inside the .deb | name in DIR   (- for wheels)
pins='
pygit2-1.21.0-cp313-cp313-manylinux_2_26_x86_64.manylinux_2_28_x86_64.whl|https://files.pythonhosted.org/packages/bf/4a/184796aaa388cd3dd9122d1c60ee7654f30aae013a18388face876a54e40/pygit2-1.21.0-cp313-cp313-manylinux_2_26_x86_64.manylinux_2_28_x86_64.whl|464028f2240302b4f98fcf93b9e5c70efa88fc85cd7d0d857019e243d208f07f|-|-
libtcl8.6_8.6.13+dfsg-2_amd64.deb|https://deb.debian.org/debian/pool/main/t/tcl8.6/libtcl8.6_8.6.13+dfsg-2_amd64.deb|976c4235b816635e1756016f3adbabb634e8b97a9f6b97cf901be099e4fd2487|./usr/lib/x86_64-linux-gnu/libtcl8.6.so|libtcl8.6.so
libtk8.6_8.6.13-2_amd64.deb|https://deb.debian.org/debian/pool/main/t/tk8.6/libtk8.6_8.6.13-2_amd64.deb|b1c4042e5357d37170f210a106f3910c3eac21ae3ad9304d685d1f42dfd18d2e|./usr/lib/x86_64-linux-gnu/libtk8.6.so|libtk8.6.so
libpcre2-8-0_10.42-1_amd64.deb|https://deb.debian.org/debian/pool/main/p/pcre2/libpcre2-8-0_10.42-1_amd64.deb|030db54f4d76cdfe2bf0e8eb5f9efea0233ab3c7aa942d672c7b63b52dbaf935|./usr/lib/x86_64-linux-gnu/libpcre2-8.so.0.11.2|libpcre2-8.so.0.11.2
'
dir="${1:?usage: fetch-binpkgs.sh DIR}"
mkdir -p "$dir"
fsys_tar() {
  if command -v dpkg-deb >/dev/null 2>&1; then
    dpkg-deb --fsys-tarfile "$1"
  else
    ar p "$1" data.tar.xz | xz -dc
  fi
}
while IFS='|' read -r file url sha member name; do
  [ -n "$file" ] || continue
  target="$dir/$file"
  if [ ! -f "$target" ] || ! echo "$sha  $target" | sha256sum -c --quiet >/dev/null 2>&1; then
    curl --fail --silent --show-error --location --max-time 600 -o "$target.part" "$url"
    mv "$target.part" "$target"
  fi
  echo "$sha  $target" | sha256sum -c
  if [ "$member" != "-" ]; then
    fsys_tar "$target" | tar -x -O "$member" > "$dir/$name.part"
    mv "$dir/$name.part" "$dir/$name"
  fi
done <<<"$pins"
