#!/usr/bin/env bash
# Builds the project's container images with podman and smoke-tests them on loopback (docker/README.md, "Built and
# smoke-tested here"). Run as root from anywhere, after `./mvnw package` has written target/quarkus-app:
#
#   docker/build-and-smoke.sh              install podman if missing, make the local base image and stand-ins when
#                                          missing, build and smoke-test the JVM image, build the CUDA image and start
#                                          it (CPU fallback), measure image sizes, time to ready and RSS
#   docker/build-and-smoke.sh --jvm-only   the JVM image only (no CUDA image, no measurements)
#   docker/build-and-smoke.sh --self-test  runs this script with bad settings (a missing base image, a failed install,
#                                          a port in use, a container not ready in time) and checks that each stops
#                                          with a message naming its step and leaves no container or volume behind
#
# Settings (environment): SMOKE_PORT (host port on 127.0.0.1, default 18080; the CUDA image uses +1, the host jar +2),
# JDK_IMAGE / JRE_IMAGE (build arguments of the Dockerfiles; stand-ins are made only for the Dockerfiles' defaults),
# SMOKE_EXTRA_PACKAGES (more Debian packages to require), SMOKE_READY_TIMEOUT (seconds the smoke container may take to
# get ready, default 300).
#
# No registry serves base images here: the base is Debian made with debootstrap from the machine's own Debian mirror
# (read from its apt sources) and imported into podman; the names the Dockerfiles start FROM are local stand-ins built
# on it (Temurin 25 from this machine; a PyTorch layout for the CUDA image). Everything the script starts carries the
# label adapterloop.smoke=<run> and is removed when it exits, whether it succeeded or not.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
# shellcheck source=docker/images.env
. docker/images.env

MODE=all
case "${1:-}" in
  "") ;;
  --jvm-only) MODE=jvm ;;
  --self-test) MODE=self-test ;;
  *) echo "usage: $0 [--jvm-only | --self-test]" >&2; exit 2 ;;
esac

PORT=${SMOKE_PORT:-18080}
CUDA_PORT=$((PORT + 1))
HOST_JAR_PORT=$((PORT + 2))
RUN_ID="$$-$(date +%s)"
LABEL="adapterloop.smoke=$RUN_ID"
TEMURIN=${TEMURIN_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
CODENAME=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
BASE_IMAGE="localhost/debian:${CODENAME:-bookworm}"
export CONTAINERS_CONF="$REPO/docker/podman/containers.conf"
# The application's flags for the smoke runs: 2 libtorch threads on the 2-core build machines.
APP_THREADS="-Dai.djl.pytorch.num_threads=2"
# The bundled job, shortened like the tests' run (application.properties, %test): 24 steps on 64-token sequences;
# the offline gate judges it against the majority baseline only.
SHORT_JOB="$APP_THREADS -Dadapterloop.tasks.spam.training.max-steps=24 \
-Dadapterloop.tasks.spam.training.max-sequence-length=64 -Dadapterloop.tasks.spam.training.learning-rate=3e-3 \
-Dadapterloop.tasks.spam.training.warmup-ratio=0.1 -Dadapterloop.tasks.spam.training.checkpoint-every-steps=0 \
-Dadapterloop.tasks.spam.promotion.gate.min-accuracy=0"

STEP="start"
FAILED_REPORTED=0
WORK=""
ROOTFS=""
HOST_PID=""
CONTAINER=""
SECONDS=0

# podman build with its output in $WORK/<log>.log, shown (the end of it) only when the build fails.
build() {
  local log="$WORK/$1.log"
  shift
  podman build "$@" >"$log" 2>&1 || { tail -25 "$log" >&2; return 1; }
}

step() {
  STEP="$1"
  printf '==> [%s +%ss] %s\n' "$(date -u +%H:%M:%S)" "$SECONDS" "$STEP"
}

fail() {
  FAILED_REPORTED=1
  echo "build-and-smoke: FAILED in step '$STEP': $*" >&2
  if [ -n "$CONTAINER" ] && command -v podman >/dev/null 2>&1 && podman container exists "$CONTAINER" 2>/dev/null; then
    echo "---- last lines of $CONTAINER's log ----" >&2
    podman logs --tail 40 "$CONTAINER" >&2 2>&1 || true
  fi
  exit 1
}

cleanup() {
  local rc=$?
  set +e
  if [ "$rc" -ne 0 ] && [ "$FAILED_REPORTED" -eq 0 ]; then
    echo "build-and-smoke: FAILED in step '$STEP' (exit status $rc)" >&2
  fi
  if [ -n "$HOST_PID" ]; then
    kill "$HOST_PID" 2>/dev/null
    wait "$HOST_PID" 2>/dev/null
  fi
  if command -v podman >/dev/null 2>&1; then
    local ids
    ids=$(podman ps -aq --filter "label=$LABEL" 2>/dev/null)
    [ -n "$ids" ] && podman rm -f -t 0 $ids >/dev/null 2>&1
    ids=$(podman volume ls -q --filter "label=$LABEL" 2>/dev/null)
    [ -n "$ids" ] && podman volume rm -f $ids >/dev/null 2>&1
  fi
  if [ -n "$ROOTFS" ] && [ -d "$ROOTFS" ]; then
    umount "$ROOTFS/proc" "$ROOTFS/sys" 2>/dev/null
    rm -rf --one-file-system "$ROOTFS"
  fi
  [ -n "$WORK" ] && rm -rf "$WORK"
  if [ "$rc" -eq 0 ]; then
    echo "build-and-smoke: OK in ${SECONDS} s (nothing left running)"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# ---------------------------------------------------------------------------------------------------------------------
# Bad-input self-test: each case runs this script again and must fail in the named step, leaving nothing behind.
# ---------------------------------------------------------------------------------------------------------------------
expect_failure() {
  local name=$1 want_step=$2 want_text=$3
  shift 3
  step "self-test: $name"
  local out rc=0
  out=$(env "$@" bash "$0" --jvm-only 2>&1) || rc=$?
  if [ "$rc" -eq 0 ]; then
    echo "$out" | tail -20
    fail "the script succeeded with $*"
  fi
  grep -qF "FAILED in step '$want_step" <<<"$out" || { echo "$out" | tail -20; fail "no failure in step '$want_step...'"; }
  grep -qF -- "$want_text" <<<"$out" || { echo "$out" | tail -20; fail "the message does not name '$want_text'"; }
  local left
  left=$(podman ps -aq --filter label=adapterloop.smoke; podman volume ls -q --filter label=adapterloop.smoke)
  [ -z "$left" ] || fail "left behind: $left"
  echo "    ok: $(grep -F "FAILED in step" <<<"$out" | head -1)"
}

if [ "$MODE" = self-test ]; then
  command -v podman >/dev/null 2>&1 || { STEP="self-test"; fail "podman is not installed: run $0 first"; }
  expect_failure "missing base image" "check base images" "localhost/adapterloop-missing-base:0" \
    JRE_IMAGE=localhost/adapterloop-missing-base:0
  expect_failure "failed install" "install packages" "adapterloop-no-such-package" \
    SMOKE_EXTRA_PACKAGES=adapterloop-no-such-package
  step "self-test: a listener of our own on a port"
  WORK=$(mktemp -d)
  busy_port=$((PORT + 10))
  # A listener of our own on the port (the JDK's simple web server), stopped by cleanup.
  "$TEMURIN/bin/jwebserver" -b 127.0.0.1 -p "$busy_port" -d "$WORK" >/dev/null 2>&1 &
  HOST_PID=$!
  for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$busy_port/" && break; sleep 0.2; done
  expect_failure "port in use" "run JVM image" "127.0.0.1:$busy_port is in use" SMOKE_PORT="$busy_port"
  # A failure while a container and its volume exist: both must be gone afterwards.
  expect_failure "not ready in time" "JVM image: wait for /q/health/ready" "did not answer 200 within 2 s" \
    SMOKE_READY_TIMEOUT=2
  step "self-test: done"
  exit 0
fi

# ---------------------------------------------------------------------------------------------------------------------
step "preflight"
[ "$(id -u)" -eq 0 ] || fail "run as root (podman here runs rootful; apt-get installs what is missing)"
[ -f target/quarkus-app/quarkus-run.jar ] || fail "target/quarkus-app is missing: run ./mvnw package first"
[ -x "$TEMURIN/bin/jlink" ] || fail "no Temurin 25 JDK at $TEMURIN (set TEMURIN_HOME): the Temurin stand-ins copy it"
[ -n "$CODENAME" ] || fail "/etc/os-release names no Debian codename"

step "install packages"
PACKAGES="podman runc uidmap slirp4netns fuse-overlayfs debootstrap curl jq unzip gcc libc6-dev patchelf ${SMOKE_EXTRA_PACKAGES:-}"
missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "    installing:$missing"
  apt-get update -q >/dev/null || fail "apt-get update failed"
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing \
    || fail "apt-get could not install:$missing"
fi

WORK=$(mktemp -d /var/tmp/adapterloop-smoke.XXXXXX)

step "podman config"
podman info --format '{{.Host.OCIRuntime.Name}} {{.Host.CgroupManager}}' >/dev/null \
  || fail "podman does not work with $CONTAINERS_CONF"

# The Debian mirror apt uses here: one-line sources (sources.list, *.list) or deb822 (*.sources).
debian_mirror() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    awk -v s="$CODENAME" '$1 == "deb" { sub(/\[[^]]*\] */, ""); if ($3 == s) { print $2; exit } }' "$f"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk -v s="$CODENAME" 'BEGIN { RS = "" } {
        uri = ""; ok = 0; n = split($0, line, "\n")
        for (i = 1; i <= n; i++) {
          m = split(line[i], w, /[ \t]+/)
          if (w[1] == "URIs:") uri = w[2]
          if (w[1] == "Suites:") for (k = 2; k <= m; k++) if (w[k] == s) ok = 1
        }
        if (ok && uri != "") { print uri; exit }
      }' "$f"
  done
}

step "base image $BASE_IMAGE"
if podman image exists "$BASE_IMAGE"; then
  echo "    present"
else
  mirror=$(debian_mirror | head -n 1)
  [ -n "$mirror" ] || fail "no Debian mirror for '$CODENAME' in /etc/apt/sources.list{,.d}"
  ROOTFS=$(mktemp -d /var/tmp/adapterloop-rootfs.XXXXXX)
  echo "    debootstrap --variant=minbase $CODENAME from the machine's mirror"
  debootstrap --variant=minbase "$CODENAME" "$ROOTFS" "$mirror" >"$ROOTFS.log" 2>&1 \
    || { tail -5 "$ROOTFS.log"; fail "debootstrap failed (log: $ROOTFS.log)"; }
  umount "$ROOTFS/proc" "$ROOTFS/sys" 2>/dev/null || true
  rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/cache/apt/*.bin "$ROOTFS"/var/cache/apt/archives/*.deb
  tar --numeric-owner -C "$ROOTFS" -c . | podman import -q --change 'CMD ["/bin/bash"]' - "$BASE_IMAGE" >/dev/null \
    || fail "podman import of the debootstrapped root failed"
  rm -rf --one-file-system "$ROOTFS" "$ROOTFS.log"
  ROOTFS=""
fi

# The default of a Dockerfile's ARG (the name of an image it starts FROM).
dockerfile_arg() { sed -n "s/^ARG $2=//p" "docker/$1" | head -n 1; }
JDK_DEFAULT=$(dockerfile_arg Dockerfile.jvm JDK_IMAGE)
JRE_DEFAULT=$(dockerfile_arg Dockerfile.jvm JRE_IMAGE)
TORCH_DEFAULT=$(dockerfile_arg Dockerfile.cuda TORCH_IMAGE)
[ "$(dockerfile_arg Dockerfile.cuda JDK_IMAGE)" = "$JDK_DEFAULT" ] && [ "$(dockerfile_arg Dockerfile.cuda JRE_IMAGE)" = "$JRE_DEFAULT" ] \
  || fail "Dockerfile.jvm and Dockerfile.cuda name different Temurin images: make stand-ins for both"
JDK_IMAGE=${JDK_IMAGE:-$JDK_DEFAULT}
JRE_IMAGE=${JRE_IMAGE:-$JRE_DEFAULT}
# Short names (eclipse-temurin:...) resolve to localhost/<name> without a pull; others get that exact name.
local_name() { case "$1" in */*.*/* | localhost/*) echo "$1" ;; *) echo "localhost/$1" ;; esac; }

step "stand-in $JDK_DEFAULT"
if podman image exists "$(local_name "$JDK_DEFAULT")"; then
  echo "    present"
else
  build standin-jdk --build-arg BASE="$BASE_IMAGE" -f docker/standins/Containerfile.temurin \
    -t "$(local_name "$JDK_DEFAULT")" "$TEMURIN" || fail "building the JDK stand-in failed"
fi

step "stand-in $JRE_DEFAULT"
if podman image exists "$(local_name "$JRE_DEFAULT")"; then
  echo "    present"
else
  # A JRE like Temurin's own: jlink of the Java SE and JDK run-time modules (no compiler, tools or debug symbols).
  modules=$("$TEMURIN/bin/java" --list-modules | sed 's/@.*//' \
    | grep -Ev '^jdk\.(jshell|javadoc|jlink|jpackage|compiler|jdeps|jartool|jconsole|hotspot\.agent|editpad|internal\.ed|internal\.opt|internal\.le|jdi|jdwp\.agent|jstatd|jcmd)$' \
    | paste -sd, -)
  "$TEMURIN/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
    --output "$WORK/jre" >/dev/null 2>&1 || fail "jlink of the JRE stand-in failed"
  build standin-jre --build-arg BASE="$BASE_IMAGE" -f docker/standins/Containerfile.temurin \
    -t "$(local_name "$JRE_DEFAULT")" "$WORK/jre" || fail "building the JRE stand-in failed"
fi

step "check base images"
for image in "$JDK_IMAGE" "$JRE_IMAGE"; do
  podman image exists "$(local_name "$image")" || fail "base image $image is missing: no registry is reachable" \
    "here, and stand-ins are made only for the Dockerfiles' own defaults ($JDK_DEFAULT, $JRE_DEFAULT)"
done

step "build JVM image $JVM_IMAGE"
t0=$(now)
build jvm -f docker/Dockerfile.jvm --ignorefile docker/Dockerfile.jvm.dockerignore \
  --build-arg JDK_IMAGE="$JDK_IMAGE" --build-arg JRE_IMAGE="$JRE_IMAGE" -t "$JVM_IMAGE" . \
  || fail "podman build of docker/Dockerfile.jvm failed"
echo "    built in $(elapsed "$t0" "$(now)") s"

# Fails unless nothing listens on 127.0.0.1:$1 (podman would refuse to publish it too, less clearly).
require_free_port() {
  if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
    fail "port 127.0.0.1:$1 is in use (set SMOKE_PORT to a free port)"
  fi
}

# Waits until GET /q/health/ready answers 200 on 127.0.0.1:$1; fails if the container $2 (optional) stops first.
wait_ready() {
  local port=$1 container=${2:-} limit=${3:-300} deadline=$((SECONDS + ${3:-300}))
  until curl -fs -o /dev/null "http://127.0.0.1:$port/q/health/ready"; do
    if [ -n "$container" ] && [ "$(podman inspect -f '{{.State.Running}}' "$container")" != true ]; then
      fail "the container stopped before it was ready"
    fi
    if [ -n "$HOST_PID" ] && [ -z "$container" ] && ! kill -0 "$HOST_PID" 2>/dev/null; then
      tail -20 "$WORK/host.log" >&2
      fail "the host jar stopped before it was ready"
    fi
    [ "$SECONDS" -lt "$deadline" ] || fail "/q/health/ready did not answer 200 within $limit s"
    sleep 0.5
  done
}

# The admin API key the service in $CONTAINER generated at its last start: on the embedded default, with no key
# configured, it prints one on stdout (docs/security.md); a restart prints a new one.
dev_key() {
  local key
  key=$(podman logs "$CONTAINER" 2>/dev/null | sed -n 's/^    \(al_[A-Za-z0-9_-]*\)$/\1/p' | tail -n 1)
  [ -n "$key" ] || fail "the container printed no generated API key"
  echo "$key"
}

# POSTs a prediction to 127.0.0.1:$1 until it answers 200 (503 while no champion is loaded); prints the answer.
predict_when_served() {
  local port=$1 limit=$2 deadline=$((SECONDS + $2)) code key
  key=$(dev_key)
  while :; do
    code=$(curl -s -o "$WORK/prediction.json" -w '%{http_code}' -H 'Content-Type: application/json' \
      -H "Authorization: Bearer $key" \
      -d '{"text": "Congratulations! You have WON a FREE prize. Click here to claim your cash now", "key": "smoke"}' \
      "http://127.0.0.1:$port/api/tasks/spam/predictions") || code=000
    [ "$code" = 200 ] && break
    [ "$code" = 503 ] || [ "$code" = 000 ] || { cat "$WORK/prediction.json" >&2; fail "prediction answered HTTP $code"; }
    [ "$(podman inspect -f '{{.State.Running}}' "$CONTAINER")" = true ] || fail "the container stopped"
    [ "$SECONDS" -lt "$deadline" ] || { cat "$WORK/prediction.json" >&2; fail "no champion served within $limit s"; }
    sleep 2
  done
  cat "$WORK/prediction.json"
}

# Every file of the image's DJL cache must be readable by the service's user (DJL makes its folders owner-only; an
# unreadable library is extracted again at run time, into a folder the user cannot write).
require_readable_cache() {
  local unreadable
  podman exec "$CONTAINER" test -d /opt/adapterloop/djl || fail "no /opt/adapterloop/djl in the container"
  unreadable=$(podman exec "$CONTAINER" find /opt/adapterloop/djl ! -readable 2>/dev/null || true)
  [ -z "$unreadable" ] || fail "uid 10001 cannot read: $unreadable"
  echo "    uid 10001 reads every file of the DJL cache"
}

# A volume for /deployments/data, labelled like everything this run starts (removed when the script exits). A new
# volume takes the image's folder (owned by uid 10001) when first mounted.
new_volume() { podman volume create --label "$LABEL" "$1-$RUN_ID" >/dev/null || fail "podman volume create failed"; echo "$1-$RUN_ID"; }

# Resident memory (MiB) of a host process (a container's PID 1 is one too).
rss_mib() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

# ---------------------------------------------------------------------------------------------------------------------
step "run JVM image (bundled job, short) on 127.0.0.1:$PORT"
require_free_port "$PORT"
CONTAINER="adapterloop-smoke-jvm-$RUN_ID"
volume=$(new_volume adapterloop-smoke-data)
t0=$(now)
# Read-only root file system: everything the service writes must go to the volume (or /tmp, a tmpfs).
podman run -d --name "$CONTAINER" --label "$LABEL" --read-only -p "127.0.0.1:$PORT:8080" \
  -v "$volume:/deployments/data" -e JAVA_TOOL_OPTIONS="$SHORT_JOB" \
  "localhost/$JVM_IMAGE" quickstart --serve --timeout PT20M >/dev/null || fail "podman run failed"

step "JVM image: wait for /q/health/ready"
wait_ready "$PORT" "$CONTAINER" "${SMOKE_READY_TIMEOUT:-300}"
SMOKE_READY=$(elapsed "$t0" "$(now)")
echo "    ready after $SMOKE_READY s"

step "JVM image: runs as non-root"
uid=$(podman exec "$CONTAINER" awk '/^Uid:/ { print $2 }' /proc/1/status)
[ "$uid" = 10001 ] || fail "the service runs as uid $uid, not 10001"
echo "    PID 1 runs as uid $uid"
require_readable_cache

step "JVM image: the API refuses a request without credentials"
code=$(curl -s -o "$WORK/refused.json" -w '%{http_code}' "http://127.0.0.1:$PORT/api/tasks")
[ "$code" = 401 ] && jq -e '.type | endswith("/authentication-required")' "$WORK/refused.json" >/dev/null \
  || fail "GET /api/tasks without credentials answered $code: $(cat "$WORK/refused.json")"
echo "    401 authentication-required; the generated key is used from here on"

step "JVM image: prediction from the bundled job's first champion"
answer=$(predict_when_served "$PORT" 900)
echo "    $answer"
jq -e '.task == "spam" and (.label == "ham" or .label == "spam") and .variant == "champion"
       and (.version | startswith("v-")) and ((.scores.ham + .scores.spam) - 1 | fabs < 1e-3)' \
  <<<"$answer" >/dev/null || fail "unexpected prediction: $answer"
version=$(jq -r .version <<<"$answer")
champion=$(curl -fsS -H "Authorization: Bearer $(dev_key)" "http://127.0.0.1:$PORT/api/tasks/spam/aliases" | jq -r '.. | objects | select(has("champion")) | .champion | if type == "object" then .version else . end' | head -n 1)
[ "$champion" = "$version" ] || fail "the prediction's version $version is not the champion alias ($champion)"
echo "    champion $version answered after $SECONDS s of this script"

step "JVM image: data kept in the volume across podman restart"
mountpoint=$(podman volume inspect -f '{{.Mountpoint}}' "$volume")
[ -d "$mountpoint" ] && find "$mountpoint" -path "*adapters/spam/$version*" | grep -q . \
  || fail "adapters/spam/$version is not in the volume $volume"
podman restart -t 10 "$CONTAINER" >/dev/null || fail "podman restart failed"
wait_ready "$PORT" "$CONTAINER" 300
answer=$(predict_when_served "$PORT" 120)
[ "$(jq -r .version <<<"$answer")" = "$version" ] || fail "after the restart it serves $answer, not $version"
deadline=$((SECONDS + 120))
until podman logs "$CONTAINER" 2>&1 | grep -qF "was taken in before for task 'spam'"; do
  [ "$SECONDS" -lt "$deadline" ] || fail "the restarted bundled job did not say it had taken its data in before"
  sleep 2
done
echo "    after the restart: the same champion $version, and the bundled job found its data taken in already"
podman rm -f -t 10 "$CONTAINER" >/dev/null
CONTAINER=""

if [ "$MODE" = jvm ]; then
  exit 0
fi

# ---------------------------------------------------------------------------------------------------------------------
step "measure: JVM image vs the jar on the host (serve, fresh data, one after the other)"
CONTAINER="adapterloop-measure-jvm-$RUN_ID"
require_free_port "$PORT"
t0=$(now)
podman run -d --name "$CONTAINER" --label "$LABEL" --read-only -p "127.0.0.1:$PORT:8080" \
  -v "$(new_volume adapterloop-measure-data):/deployments/data" -e JAVA_TOOL_OPTIONS="$APP_THREADS" \
  "localhost/$JVM_IMAGE" serve >/dev/null || fail "podman run failed"
wait_ready "$PORT" "$CONTAINER" 300
image_ready=$(elapsed "$t0" "$(now)")
sleep 5
image_rss=$(rss_mib "$(podman inspect -f '{{.State.Pid}}' "$CONTAINER")")
podman rm -f -t 10 "$CONTAINER" >/dev/null
CONTAINER=""

# The host jar with the image's flags, its own data folder and a DJL cache extracted beforehand, as in the image.
require_free_port "$HOST_JAR_PORT"
mkdir -p "$WORK/host" "$WORK/prefetch"
export DJL_CACHE_DIR="$WORK/djl"
"$TEMURIN/bin/javac" -d "$WORK/prefetch" -cp 'target/quarkus-app/lib/main/*' docker/PrefetchNatives.java
"$TEMURIN/bin/java" -Dai.djl.offline=true --enable-native-access=ALL-UNNAMED -cp "$WORK/prefetch:target/quarkus-app/lib/main/*" \
  PrefetchNatives pytorch tokenizers >/dev/null || fail "PrefetchNatives on the host failed"
t0=$(now)
(cd "$WORK/host" && exec "$TEMURIN/bin/java" $APP_THREADS -XX:MaxRAMPercentage=40 -XX:+ExitOnOutOfMemoryError \
  --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$HOST_JAR_PORT" -jar "$REPO/target/quarkus-app/quarkus-run.jar" serve) \
  >"$WORK/host.log" 2>&1 &
HOST_PID=$!
wait_ready "$HOST_JAR_PORT" "" 300
host_ready=$(elapsed "$t0" "$(now)")
sleep 5
host_rss=$(rss_mib "$HOST_PID")
kill "$HOST_PID"; wait "$HOST_PID" 2>/dev/null || true
HOST_PID=""
unset DJL_CACHE_DIR

# ---------------------------------------------------------------------------------------------------------------------
step "stand-in $TORCH_DEFAULT (layout of PyTorch's image, CPU libtorch, no CUDA)"
if podman image exists "$(local_name "$TORCH_DEFAULT")"; then
  echo "    present"
else
  mkdir -p "$WORK/torch"
  cp -r docker/standins/torch "$WORK/torch/"
  mkdir -p "$WORK/torch/torch/lib"
  # libtorch 2.7.1 for the CPU from the application's own jar, plus empty stand-ins for its CUDA libraries.
  (cd "$WORK/torch/torch/lib" && unzip -q -j "$REPO"/target/quarkus-app/lib/main/ai.djl.pytorch.pytorch-native-cpu-*.jar \
    'pytorch/cpu/linux-x86_64/*') || fail "cannot unpack libtorch from the pytorch-native-cpu jar"
  for stub in libc10_cuda.so libtorch_cuda.so; do
    cc -shared -fPIC -o "$WORK/torch/torch/lib/$stub" docker/standins/cuda-stubs.c || fail "cc of $stub failed"
  done
  # As in PyTorch's CUDA build, libtorch.so needs libtorch_cuda.so and libc10_cuda.so (found through its RUNPATH
  # $ORIGIN): DJL loads libtorch.so by path, and its cu128 JNI library then finds the CUDA libraries loaded.
  patchelf --add-needed libtorch_cuda.so --add-needed libc10_cuda.so "$WORK/torch/torch/lib/libtorch.so" \
    || fail "patchelf of the stand-in's libtorch.so failed"
  build standin-pytorch --build-arg BASE="$BASE_IMAGE" -f docker/standins/Containerfile.pytorch \
    -t "$(local_name "$TORCH_DEFAULT")" "$WORK/torch" || fail "building the PyTorch stand-in failed"
fi

step "build CUDA image $CUDA_IMAGE"
t0=$(now)
build cuda -f docker/Dockerfile.cuda --ignorefile docker/Dockerfile.cuda.dockerignore \
  --build-arg JDK_IMAGE="$JDK_IMAGE" --build-arg JRE_IMAGE="$JRE_IMAGE" -t "$CUDA_IMAGE" . \
  || fail "podman build of docker/Dockerfile.cuda failed"
echo "    built in $(elapsed "$t0" "$(now)") s"

step "CUDA image: starts without a GPU and falls back to the CPU"
require_free_port "$CUDA_PORT"
CONTAINER="adapterloop-smoke-cuda-$RUN_ID"
podman run -d --name "$CONTAINER" --label "$LABEL" --read-only -p "127.0.0.1:$CUDA_PORT:8080" \
  -v "$(new_volume adapterloop-cuda-data):/deployments/data" -e JAVA_TOOL_OPTIONS="$APP_THREADS" \
  "localhost/$CUDA_IMAGE" serve >/dev/null || fail "podman run failed"
wait_ready "$CUDA_PORT" "$CONTAINER" 300
require_readable_cache
health=$(curl -fsS "http://127.0.0.1:$CUDA_PORT/q/health/ready")
jq -e '.checks[] | select(.name == "training-engine") | .data.device == "cpu()" and .data.gpus == 0' <<<"$health" >/dev/null \
  || fail "the engine check does not report the CPU: $health"
podman logs "$CONTAINER" 2>&1 | grep -F "sees no GPU: adapterloop.engine.device=auto falls back to the CPU" || fail "no log line says that the engine fell back to the CPU"
podman rm -f -t 10 "$CONTAINER" >/dev/null
CONTAINER=""

step "native image"
echo "    SKIPPED: docker/Dockerfile.native is not built: it needs the native executable (its issue has not landed)"

step "summary"
size() { podman image inspect -f '{{.Size}}' "$1" | awk '{ printf "%.0f MB", $1 / 1e6 }'; }
echo "    image sizes: JVM $(size "$JVM_IMAGE"), CUDA (stand-in base) $(size "$CUDA_IMAGE"), JRE stand-in $(size "$(local_name "$JRE_DEFAULT")")"
echo "    time to ready (serve, fresh data): JVM image ${image_ready} s, host jar ${host_ready} s"
echo "    RSS 5 s after ready: JVM image ${image_rss} MiB, host jar ${host_rss} MiB"
echo "    smoke: bundled job's container ready after ${SMOKE_READY} s"
