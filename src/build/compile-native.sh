#!/usr/bin/env bash
# Compiles the project's one native helper, src/main/c/mkl_vendor_dispatch.c, into the build output as a resource
# (see that file for why). It is optional: without a C compiler, or off Linux x86-64, the build goes on without it and
# the engine keeps MKL's own choice of code path (CpuKernels logs so at start-up).
#   compile-native.sh <source> <destination .so>
set -euo pipefail
src="$1"; dest="$2"
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "compile-native: $(uname -s)-$(uname -m) is not Linux x86-64: MKL's vendor dispatch shim is not built"; exit 0
fi
cc="${CC:-cc}"
if ! command -v "$cc" >/dev/null; then
  echo "compile-native: no C compiler ($cc): MKL's vendor dispatch shim is not built (apt-get install gcc builds it)"
  exit 0
fi
if [ -s "$dest" ] && [ "$dest" -nt "$src" ]; then
  exit 0
fi
mkdir -p "$(dirname "$dest")"
# -nostdlib: the function needs nothing from libc, so the library loads wherever the JVM does (glibc, any version).
"$cc" -shared -fPIC -O2 -Wall -Werror -nostdlib -s -o "$dest.part" "$src"
mv "$dest.part" "$dest"
echo "compile-native: built $dest"
