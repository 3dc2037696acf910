#!/usr/bin/env bash
# The native build in CI, gated on a digest of its inputs (docs/native.md, "CI"):
#   bash src/build/native-ci.sh           CI: builds and smoke-tests the native executable when the inputs differ
#                                         from the recorded verified build, else says clearly that it skipped
#   bash src/build/native-ci.sh --digest  prints the digest of the inputs now
#   bash src/build/native-ci.sh --record  after a native build and smoke test passed here on these inputs (this
#                                         script, or ./mvnw package -Dnative then native-smoke.sh, which leaves
#                                         target/native-smoke-passed.sha256), writes src/build/native-verified.sha256
# NATIVE_CI=always runs the build whatever the digest; NATIVE_CI=skip skips it (and says so).
# Re-recording (e.g. after merging a branch that changes src/main/**, which every merge into main does): on a build
# machine with the merged tree, `NATIVE_CI=always bash src/build/native-ci.sh` (15-30 minutes), and when it passed,
# `bash src/build/native-ci.sh --record` and commit src/build/native-verified.sha256 with the merge. Until then CI
# runs the native build and smoke test itself (it says so, RUNNING), never skips them.
# The inputs: pom.xml, the Maven wrapper, src/main/**, src/build/native-toolchain/**, this script, native-smoke.sh
# and native-reflect-config.sh (tracked files, as in the work tree). Needs target/quarkus-app from `./mvnw verify` or
# package (the smoke test's JVM side), gcc, g++, binutils, zlib1g-dev (the toolchain), jq and curl (the smoke test).
set -euo pipefail
cd "$(dirname "$0")/../.."
RECORD=src/build/native-verified.sha256
PASSED=target/native-smoke-passed.sha256

digest() {
  git ls-files -z -- pom.xml mvnw .mvn src/main src/build/native-toolchain src/build/native-ci.sh src/build/native-smoke.sh \
    src/build/native-reflect-config.sh \
    | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-64
}

case "${1:-}" in
  --digest) digest; exit 0 ;;
  --record)
    now=$(digest)
    if [ ! -f "$PASSED" ] || [ "$(cat "$PASSED")" != "$now" ]; then
      echo "native-ci: nothing to record: no native build and smoke test passed here on the current inputs ($now)" >&2
      exit 1
    fi
    printf '%s  commit=%s date=%s\n' "$now" "$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . || echo '+changes')" \
      "$(date -u +%F)" > "$RECORD"
    echo "native-ci: recorded $(cat "$RECORD") in $RECORD: commit it"
    exit 0 ;;
  "") ;;
  *) echo "native-ci: unknown option $1" >&2; exit 2 ;;
esac

now=$(digest)
recorded=""
[ -f "$RECORD" ] && recorded=$(cut -d' ' -f1 "$RECORD")
mode=${NATIVE_CI:-auto}
if [ "$mode" = skip ]; then
  echo "native-ci: SKIPPED the native build and smoke test because NATIVE_CI=skip (inputs $now)"
  exit 0
fi
if [ "$mode" = auto ] && [ "$now" = "$recorded" ]; then
  echo "native-ci: SKIPPED the native build and smoke test: its inputs ($now) equal those of the native build" \
    "verified at $(cut -d' ' -f2- "$RECORD") ($RECORD). NATIVE_CI=always runs it anyway."
  exit 0
fi
echo "native-ci: RUNNING the native build and smoke test, expect 15-30 minutes on 2 cores and a ~5 GiB builder:" \
  "inputs $now differ from the recorded ${recorded:-none} (NATIVE_CI=$mode). Record a passing run with" \
  "'bash src/build/native-ci.sh --record' to skip it next time (docs/native.md, CI)"
start=$(date +%s)
./mvnw package -Dnative -DskipTests
built=$(date +%s)
echo "native-ci: native build took $((built - start)) s"
bash src/build/native-smoke.sh
echo "native-ci: native build and smoke test passed in $(( $(date +%s) - start )) s; record them with" \
  "'bash src/build/native-ci.sh --record' and commit $RECORD"
