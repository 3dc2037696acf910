#!/usr/bin/env bash
# Smoke test of the native executable against the JVM jar (docs/native.md):
#   bash src/build/native-smoke.sh [RUNNER]
# RUNNER defaults to target/*-runner (./mvnw package -Dnative, with its .so files next to it); the JVM side is
# target/quarkus-app (./mvnw package). Both run on the same embedded Kafka broker and S3 server, started in a
# separate JVM (dev.adapterloop.embedded.EmbeddedServersMain), each in its own bucket:
#   1. the native binary without endpoints refuses (exit 2, names the endpoints to configure);
#   2. import-model --bundled (JVM, both buckets);
#   3. train --epochs 20 --max-steps 20 --seed 7 on the same files, JVM and native: same version id, steps, final loss
#      and metrics; LoRA step time of each;
#   4. evaluate that version, JVM and native: same metrics;
#   5. promote (native), serve (JVM, then native): ready line, a prediction answers with that version;
#      time to ready (the ready line, before the engine starts), time until the champion is loaded (engine, base
#      model, adapter) and idle RSS (VmRSS 10 s after that; medians of SERVE_RUNS starts, default 1) of each,
#      printed as "figure:" lines.
# Each step prints its name; a failure prints "native-smoke: FAILED in step '<step>': <reason>" and exits 1.
# Everything it starts is stopped on exit; its files are under a temporary folder (kept with KEEP=1).
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$(pwd)
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
RUNNER=${1:-$(ls target/*-runner 2>/dev/null | head -1)}
JAR=target/quarkus-app/quarkus-run.jar
W=$(mktemp -d "${TMPDIR:-/tmp}/adapterloop-native-smoke.XXXXXX")
STEP=start
PIDS=()

step() { STEP=$1; echo "native-smoke: [$STEP] ${2:-}"; }
fail() {
  echo "native-smoke: FAILED in step '$STEP': $*" >&2
  exit 1
}
cleanup() {
  local rc=$?
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ $rc -ne 0 ]; then
    for f in "$W"/*.log; do [ -f "$f" ] && { echo "--- $f (end)"; tail -n 30 "$f"; }; done
  fi
  [ "${KEEP:-0}" = 1 ] && echo "native-smoke: files kept in $W" || rm -rf "$W"
}
trap cleanup EXIT

step "inputs" "runner ${RUNNER:-?}, jar $JAR"
[ -n "$RUNNER" ] && [ -x "$RUNNER" ] || fail "no native executable: build it with ./mvnw package -Dnative"
[ -f "$JAR" ] || fail "no $JAR: build the JVM jar with ./mvnw package -DskipTests"
[ -f "$(dirname "$RUNNER")/libjvm.so" ] || fail "no libjvm.so next to $RUNNER (the native build ships it)"
command -v jq >/dev/null && command -v curl >/dev/null || fail "needs jq and curl (apt-get install -y jq curl)"
RUNNER=$(cd "$(dirname "$RUNNER")" && pwd)/$(basename "$RUNNER")

# Deterministic data: 48 training and 16 held-out examples of the task spam (labels ham, spam).
for i in $(seq 1 32); do
  if [ $((i % 2)) = 0 ]; then
    echo "{\"text\": \"WIN a FREE prize now!!! Claim your cash reward $i, click this link before midnight\", \"label\": \"spam\"}"
  else
    echo "{\"text\": \"Hi team, the minutes of meeting $i are attached; the review moves to Thursday at 10\", \"label\": \"ham\"}"
  fi
done > "$W/train.jsonl"
for i in $(seq 33 48); do
  if [ $((i % 2)) = 0 ]; then
    echo "{\"text\": \"Cheap pills and FREE money $i, limited offer, reply now to win\", \"label\": \"spam\"}"
  else
    echo "{\"text\": \"Could you send me the draft of report $i before the call tomorrow? Thanks\", \"label\": \"ham\"}"
  fi
done > "$W/heldout.jsonl"

step "embedded-servers" "Kafka and S3 in their own JVM (EmbeddedServersMain)"
"$JAVA" -Xmx1g -Dadapterloop.embedded.data-dir="$W/infra" -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "target/quarkus-app/app/*:target/quarkus-app/lib/boot/*:target/quarkus-app/lib/main/*" dev.adapterloop.embedded.EmbeddedServersMain \
  "$W/endpoints.properties" > "$W/embedded-servers.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 600); do
  [ -f "$W/endpoints.properties" ] && break
  kill -0 "${PIDS[0]}" 2>/dev/null || fail "the embedded servers exited (log above)"
  sleep 0.2
done
[ -f "$W/endpoints.properties" ] || fail "the embedded servers were not ready after 120 s"
prop() { sed -n "s/^$1=//p" "$W/endpoints.properties" | sed 's/\\:/:/g'; }
KAFKA=$(prop 'kafka\.bootstrap\.servers')
S3=$(prop 'adapterloop\.s3\.endpoint')
S3_ACCESS=$(prop 'adapterloop\.s3\.access-key')
S3_SECRET=$(prop 'adapterloop\.s3\.secret-key')
echo "    Kafka $KAFKA, S3 $S3"

# Settings shared by both sides; BUCKET is set per side. Engine pinned to 1 thread, and the JVM on the settings the
# native executable runs with (no JNA there: library-default CPU kernels, system allocator, native helpers off), so
# that both do the same arithmetic.
common() {
  echo -Dkafka.bootstrap.servers="$KAFKA" -Dadapterloop.s3.endpoint="$S3" -Dadapterloop.s3.access-key="$S3_ACCESS" \
    -Dadapterloop.s3.secret-key="$S3_SECRET" -Dadapterloop.s3.bucket="$1" -Dai.djl.pytorch.num_threads=1 \
    -Dadapterloop.cpu-kernels=library-default -Dadapterloop.cpu-allocator=system -Dadapterloop.native-helpers=off \
    -Dai.djl.pytorch.num_interop_threads=1 -Dadapterloop.embedded.data-dir="$W/data-$1"
}
jvm() { local b=$1; shift; "$JAVA" -Xmx2g $(common "$b") -jar "$JAR" "$@"; }
native() { local b=$1; shift; "$RUNNER" $(common "$b") "$@"; }

step "refusal" "the native binary asked for the embedded servers"
set +e
env -i PATH="$PATH" HOME="$HOME" "$RUNNER" train --data "$W/train.jsonl" > "$W/refusal.log" 2>&1
rc=$?
set -e
[ $rc = 2 ] || fail "expected exit 2 without endpoints, got $rc: $(tail -3 "$W/refusal.log")"
grep -q "no embedded Kafka broker or S3 server" "$W/refusal.log" || fail "no clear message: $(cat "$W/refusal.log")"
echo "    exit 2: $(head -1 "$W/refusal.log" | cut -c1-150)..."

step "import-model" "the bundled base model into buckets jvm and native (JVM jar)"
for b in jvm native; do
  jvm "$b" import-model --id all-minilm-l6-v2 --bundled > "$W/import-$b.log" 2>&1 \
    || fail "import-model into $b failed: $(tail -5 "$W/import-$b.log")"
done

step "train" "--epochs 20 --max-steps 20 --seed 7, JVM then native"
TRAIN=(train --task spam --data "$W/train.jsonl" --held-out "$W/heldout.jsonl" --epochs 20 --max-steps 20 --seed 7 --json)
start=$(date +%s.%N)
jvm jvm "${TRAIN[@]}" > "$W/train-jvm.json" 2> "$W/train-jvm.log" || fail "JVM train failed: $(tail -5 "$W/train-jvm.log")"
mid=$(date +%s.%N)
native native "${TRAIN[@]}" > "$W/train-native.json" 2> "$W/train-native.log" \
  || fail "native train failed: $(tail -5 "$W/train-native.log")"
end=$(date +%s.%N)
echo "figure: train --max-steps 20 wall time (process start to exit): JVM $(awk "BEGIN {print $mid - $start}") s, native $(awk "BEGIN {print $end - $mid}") s"
# LoRA step time: from the job's "training lora" log line to its "step 20/20" line, over 20 steps.
step_ms() {
  local a b
  a=$(grep -m1 ': training lora' "$1" | awk '{print $2}')
  b=$(grep -m1 'step 20/20' "$1" | awk '{print $2}')
  [ -n "$a" ] && [ -n "$b" ] || { echo "?"; return; }
  awk -v a="$a" -v b="$b" 'function s(t, p) { split(t, p, /[:,]/); return p[1]*3600 + p[2]*60 + p[3] + p[4]/1000 }
    BEGIN { printf "%.0f", (s(b) - s(a)) * 1000 / 20 }'
}
echo "figure: LoRA training step (batch 16, 1 engine thread, includes the first steps' warm-up): JVM $(step_ms "$W/train-jvm.log") ms, native $(step_ms "$W/train-native.log") ms"
pick() { tail -1 "$1" | jq -S "$2"; }
for f in train-jvm train-native; do tail -1 "$W/$f.json" | jq -e .version > /dev/null || fail "$f printed no JSON: $(cat "$W/$f.json")"; done
VERSION=$(tail -1 "$W/train-jvm.json" | jq -r .version)
[ "$(pick "$W/train-jvm.json" '{version, steps, metrics}')" = "$(pick "$W/train-native.json" '{version, steps, metrics}')" ] \
  || fail "train differs: JVM $(pick "$W/train-jvm.json" '{version, steps, finalLoss, metrics}') native $(pick "$W/train-native.json" '{version, steps, finalLoss, metrics}')"
# The final loss may differ in its last digits where the two processes run different MKL kernels (docs/native.md).
LOSS_JVM=$(tail -1 "$W/train-jvm.json" | jq .finalLoss)
LOSS_NATIVE=$(tail -1 "$W/train-native.json" | jq .finalLoss)
awk -v a="$LOSS_JVM" -v b="$LOSS_NATIVE" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 1e-4 * (a < 0 ? -a : a) + 1e-6) }' \
  || fail "final loss differs: JVM $LOSS_JVM, native $LOSS_NATIVE"
echo "    same version $VERSION, steps and metrics $(tail -1 "$W/train-native.json" | jq -c '.metrics | {accuracy, macroF1}'); final loss JVM $LOSS_JVM, native $LOSS_NATIVE"

step "evaluate" "$VERSION on the held-out file, JVM and native"
jvm jvm evaluate --task spam --version "$VERSION" --data "$W/heldout.jsonl" --json > "$W/eval-jvm.json" 2> "$W/eval-jvm.log" \
  || fail "JVM evaluate failed: $(tail -5 "$W/eval-jvm.log")"
native native evaluate --task spam --version "$VERSION" --data "$W/heldout.jsonl" --json > "$W/eval-native.json" \
  2> "$W/eval-native.log" || fail "native evaluate failed: $(tail -5 "$W/eval-native.log")"
[ "$(pick "$W/eval-jvm.json" .metrics)" = "$(pick "$W/eval-native.json" .metrics)" ] \
  || fail "evaluate differs: JVM $(pick "$W/eval-jvm.json" -c .metrics) native $(pick "$W/eval-native.json" -c .metrics)"
echo "    same metrics: $(tail -1 "$W/eval-native.json" | jq -c '.metrics | {examples, accuracy, macroF1}')"

step "promote" "champion -> $VERSION in both buckets (native)"
for b in jvm native; do
  native "$b" promote --task spam --alias champion --version "$VERSION" --reason "native smoke" > "$W/promote-$b.log" 2>&1 \
    || fail "promote in $b failed: $(tail -5 "$W/promote-$b.log")"
done

KEY=al_native-smoke-0a1b2c3d4e5f60718293
KEY_SHA=$(printf '%s' "$KEY" | sha256sum | cut -c1-64)
median() { tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
serve() { # serve SIDE: SERVE_RUNS starts (default 1), each timed to its ready line with its idle RSS; the last one
          # answers a prediction with the trained version. Prints the figures (medians over the starts).
  local side=$1 port log pid t0 t1 t2 rss answer run readies="" loads="" rsses=""
  local args=(-Dadapterloop.security.api-keys.smoke.key-sha256="$KEY_SHA" -Dadapterloop.security.api-keys.smoke.roles=admin
    -Dadapterloop.serving.prediction-id-key=native-smoke-key)
  for run in $(seq 1 "${SERVE_RUNS:-1}"); do
    port=$(( 20000 + RANDOM % 20000 ))
    log="$W/serve-$side-$run.log"
    t0=$(date +%s%N)
    if [ "$side" = jvm ]; then
      "$JAVA" -Xmx2g $(common jvm) "${args[@]}" -Dquarkus.http.port="$port" -jar "$JAR" serve > "$log" 2>&1 &
    else
      "$RUNNER" $(common native) "${args[@]}" -Dquarkus.http.port="$port" serve > "$log" 2>&1 &
    fi
    pid=$!
    PIDS+=("$pid")
    for _ in $(seq 1 6000); do
      grep -q "adapterloop: serving" "$log" && break
      kill -0 "$pid" 2>/dev/null || fail "$side serve exited before it was ready"
      sleep 0.01
    done
    grep -q "adapterloop: serving" "$log" || fail "$side serve not ready after 60 s"
    t1=$(date +%s%N)
    # The ready line comes before the engine starts: the champion (engine, base model, adapter) loads on the
    # serving loader thread, which logs "serving: loaded ... in N ms" when it is in place.
    for _ in $(seq 1 12000); do
      grep -q "serving: loaded" "$log" && break
      kill -0 "$pid" 2>/dev/null || fail "$side serve exited while loading the champion"
      sleep 0.01
    done
    grep -q "serving: loaded" "$log" || fail "$side serve did not load the champion within 120 s of being ready"
    t2=$(date +%s%N)
    sleep 10
    rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
    readies="$readies $(( (t1 - t0) / 1000000 ))"
    loads="$loads $(( (t2 - t0) / 1000000 ))"
    rsses="$rsses $(( rss / 1024 ))"
    [ "$run" = "${SERVE_RUNS:-1}" ] && break
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
  echo "figure: serve $side: ready after $(echo "$readies" | median) ms (engine not loaded yet), champion loaded after" \
    "$(echo "$loads" | median) ms, idle RSS $(echo "$rsses" | median) MB (median of ${SERVE_RUNS:-1} starts: ready" \
    "$readies ms, loaded$loads ms,$rsses MB; RSS 10 s after the champion loaded, before any prediction)"
  answer=$(curl -sS -m 120 -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
    -d '{"text": "WIN a FREE prize now!!! Claim your cash reward, click this link"}' \
    "http://127.0.0.1:$port/api/tasks/spam/predictions") || fail "$side: the prediction request failed"
  echo "$answer" | jq -e ".version == \"$VERSION\" and (.label | type == \"string\")" > /dev/null \
    || fail "$side: unexpected prediction answer: $answer"
  echo "    $side prediction: $(echo "$answer" | jq -c '{label: .label, scores, version}')"
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
  echo "figure: serve $side: RSS $(( rss / 1024 )) MB after the first prediction (engine and adapter loaded)"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}
step "serve" "JVM, then native: ready line, one prediction"
serve jvm
serve native

STEP=done
# For 'native-ci.sh --record': the inputs this smoke test passed on (the executable must be built from this tree).
bash src/build/native-ci.sh --digest > target/native-smoke-passed.sha256
echo "native-smoke: OK (refusal, train, evaluate, promote, serve on the native executable; train and evaluate equal to the JVM jar's)"
