#!/usr/bin/env bash
# Compiles one of the project's native helpers (src/main/c, C or C++; each file says why it exists) into the build
# output as a resource. They are optional: without a compiler, or off Linux x86-64, the build goes on without them and
# the engine runs on the libraries' own defaults (CpuKernels, CpuAllocator and FusedAttention log so at start-up).
#   compile-native.sh <source> <destination .so> [linker flags...]
set -euo pipefail
src="$1"; dest="$2"; shift 2
name="$(basename "$src")"
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "compile-native: $(uname -s)-$(uname -m) is not Linux x86-64: $name is not built"; exit 0
fi
case "$src" in
  *.cpp) cc="${CXX:-c++}"; language="C++"; package="g++"; standard="-std=c++17" ;;
  *)     cc="${CC:-cc}"; language="C"; package="gcc"; standard="-std=gnu11" ;;
esac
if ! command -v "$cc" >/dev/null; then
  echo "compile-native: no $language compiler ($cc): $name is not built (apt-get install $package builds it)"
  exit 0
fi
if [ -s "$dest" ] && [ "$dest" -nt "$src" ] && [ "$dest" -nt "$0" ]; then
  exit 0
fi
mkdir -p "$(dirname "$dest")"
"$cc" "$standard" -shared -fPIC -O2 -Wall -Wextra -Werror -fexceptions -s -o "$dest.part" "$src" "$@"
mv "$dest.part" "$dest"
echo "compile-native: built $dest"
