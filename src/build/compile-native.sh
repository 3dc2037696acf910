#!/usr/bin/env bash
# Compiles one of the project's native helpers (src/main/c; each file says why it exists) into the build output as a
# resource. They are optional: without a C compiler, or off Linux x86-64, the build goes on without them and the
# engine runs on the libraries' own defaults (CpuKernels and CpuAllocator log so at start-up).
#   compile-native.sh <source> <destination .so> [linker flags...]
set -euo pipefail
src="$1"; dest="$2"; shift 2
name="$(basename "$src")"
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "compile-native: $(uname -s)-$(uname -m) is not Linux x86-64: $name is not built"; exit 0
fi
cc="${CC:-cc}"
if ! command -v "$cc" >/dev/null; then
  echo "compile-native: no C compiler ($cc): $name is not built (apt-get install gcc builds it)"
  exit 0
fi
if [ -s "$dest" ] && [ "$dest" -nt "$src" ] && [ "$dest" -nt "$0" ]; then
  exit 0
fi
mkdir -p "$(dirname "$dest")"
"$cc" -shared -fPIC -O2 -Wall -Wextra -Werror -fexceptions -s -o "$dest.part" "$src" "$@"
mv "$dest.part" "$dest"
echo "compile-native: built $dest"
