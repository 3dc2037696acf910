#!/usr/bin/env bash
# Called by the Maven profile `native` (pom.xml):
#   maven-step.sh assemble SOURCES_ONLY SKIP HOME         assembles the GraalVM home unless up to date (assemble.sh)
#   maven-step.sh ship     SOURCES_ONLY SKIP HOME RUNNER  copies the shared libraries RUNNER needs next to it
# Both do nothing when SOURCES_ONLY (-Dquarkus.native.sources-only=true) or SKIP
# (-Dadapterloop.native.skip-toolchain=true, e.g. on GraalVM's or Mandrel's own builder image) is true.
set -euo pipefail
action=$1 sources_only=$2 skip=$3 home=$4
if [ "$sources_only" = true ] || [ "$skip" = true ]; then
  echo "native-toolchain: $action skipped (sources-only=$sources_only, skip-toolchain=$skip)"
  exit 0
fi
case "$action" in
  assemble)
    exec bash "$(dirname "$0")/assemble.sh" "$home" ;;
  ship)
    runner=$5
    [ -x "$runner" ] || { echo "native-toolchain: FAILED in step 'ship-libs': no executable $runner" >&2; exit 1; }
    libs=$("$home/bin/native-image-ship-libs" "$runner") \
      || { echo "native-toolchain: FAILED in step 'ship-libs' for $runner" >&2; exit 1; }
    echo "native-toolchain: next to $(basename "$runner"): $(echo $libs)" ;;
  *) echo "maven-step.sh: unknown action $action" >&2; exit 2 ;;
esac
