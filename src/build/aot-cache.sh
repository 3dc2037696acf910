#!/usr/bin/env bash
# Builds a JDK 25 AOT cache (JEP 483/514/515: classes loaded and linked, method profiles) for the JVM jar:
#   bash src/build/aot-cache.sh            # after ./mvnw package; writes target/quarkus-app/app.aot (~130 MB)
# It records one training run: `serve` on the embedded default (Kafka broker, S3 server, the bundled model imported
# into a temporary bucket), stopped a few seconds after its ready line. Then start the jar with the cache:
#   java -XX:AOTCache=target/quarkus-app/app.aot -jar target/quarkus-app/quarkus-run.jar serve
# from the same folder, with the same JDK and the same jar (the JVM checks; on a mismatch it warns and runs without
# the cache). Rebuild the cache after every ./mvnw package. Figures: BENCHMARKS.md, time to ready.
set -euo pipefail
cd "$(dirname "$0")/../.."
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
JAR=target/quarkus-app/quarkus-run.jar
OUT=target/quarkus-app/app.aot
[ -f "$JAR" ] || { echo "aot-cache: no $JAR: build it with ./mvnw package -DskipTests" >&2; exit 1; }
"$JAVA" -XX:+PrintFlagsFinal -version 2>/dev/null | grep -q " AOTCacheOutput " || { echo "aot-cache: $JAVA has no AOT cache (needs JDK 25+)" >&2; exit 1; }
W=$(mktemp -d "${TMPDIR:-/tmp}/adapterloop-aot.XXXXXX")
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$W"; }
trap cleanup EXIT
port=$(( 20000 + RANDOM % 20000 ))
rm -f "$OUT"
echo "aot-cache: training run (serve on the embedded default, data in $W) ..."
"$JAVA" -XX:AOTCacheOutput="$OUT" -Xmx2g -Dadapterloop.embedded.data-dir="$W/data" -Dquarkus.http.port="$port" \
  -jar "$JAR" serve > "$W/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 1800); do
  grep -q "adapterloop: serving" "$W/serve.log" && break
  kill -0 "$pid" 2>/dev/null || { tail -20 "$W/serve.log" >&2; echo "aot-cache: serve exited" >&2; exit 1; }
  sleep 0.1
done
grep -q "adapterloop: serving" "$W/serve.log" || { echo "aot-cache: serve not ready after 180 s" >&2; exit 1; }
sleep 5
kill "$pid"   # the JVM writes the cache as it exits
wait "$pid" 2>/dev/null || true
pid=
[ -s "$OUT" ] || { tail -20 "$W/serve.log" >&2; echo "aot-cache: no $OUT written" >&2; exit 1; }
echo "aot-cache: wrote $OUT ($(du -m "$OUT" | cut -f1) MB); start with: java -XX:AOTCache=$OUT -jar $JAR serve"
