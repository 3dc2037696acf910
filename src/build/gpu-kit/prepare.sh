#!/usr/bin/env bash
# Prepares the GPU device kit (docs/gpu.md) in target/gpu-kit/ of the checkout it runs in, in two folders that
# each fit one `run` call's 64 MiB with the working tree (together they do not: docs/gpu.md, "Two calls"):
#   code/    runtime, app and jni            weights/    model and data
#   runtime.tar.xz   a jlinked Temurin 25 with only the modules the device check needs, stored (zip-0) then xz
#   app.tar.xz       the application's jars that the device check needs, no CPU libtorch, no natives of other OSes
#   jni.tar.xz       DJL's libdjl_torch.so for cu128 (built against libtorch 2.7.1+cu128) from the pytorch-jni jar;
#                    with --dry-run also the cpu one
#   model.tar.xz     the bundled all-MiniLM-L6-v2 as a Hugging Face folder, weights in fp16 (widened on arrival)
#   data.tar.xz      a sample of the bundled corpus: train.jsonl and held-out.jsonl
#   sizes.txt        each part's size in MiB and the total that `run` would carry
# Needs the packaged application (./mvnw -o package -DskipTests: target/quarkus-app). Options:
#   --dry-run        add the CPU JNI, for src/build/gpu-kit/device-run.sh --dry-run on this machine
#   --fast           xz -1 instead of -9e, jars not repacked (the CI's dry run: same content, larger files, faster)
#   --train N --held-out N   sample sizes (default 1600 and 400)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
kit=${GPU_KIT_DIR:-$root/target/gpu-kit}
app=$root/target/quarkus-app
jdk=${GPU_KIT_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
m2=${GPU_KIT_M2:-$HOME/.m2/repository}
dry_run=false
xz_level=-9e
fast=false
train=1600
held_out=400
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) dry_run=true ;;
    --fast) xz_level=-1; fast=true ;;
    --train) train=$2; shift ;;
    --held-out) held_out=$2; shift ;;
    *) echo "prepare.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
[ -f "$app/quarkus-run.jar" ] || { echo "prepare.sh: no $app: run ./mvnw -o package -DskipTests first" >&2; exit 1; }
started=$(date +%s)
rm -rf "$kit"
mkdir -p "$kit/code" "$kit/weights"
stage=$(mktemp -d "${TMPDIR:-/tmp}/gpu-kit.XXXXXX")
trap 'rm -rf "$stage"' EXIT

# ---- the application's jars: what dev.adapterloop.cli.DeviceCheck needs (proven by the dry run), nothing else.
# Excluded on purpose: pytorch-native-cpu (111 MB of CPU libtorch: the device uses its wheel's libtorch), the ONNX
# model jar (the model travels as model.tar.xz), Kafka, S3, Quarkus' server stack.
mkdir -p "$stage/app/lib"
patterns=(
  'ai.djl.api-*.jar' 'ai.djl.pytorch.pytorch-engine-*.jar' 'ai.djl.pytorch.pytorch-jni-*.jar'
  'ai.djl.huggingface.tokenizers-*.jar' 'com.google.code.gson.gson-*.jar' 'org.slf4j.slf4j-api-*.jar'
  'net.java.dev.jna.jna-5*.jar' 'com.fasterxml.jackson.core.jackson-*.jar' 'info.picocli.picocli-*.jar'
  'org.ejml.ejml-*.jar' 'org.jboss.logging.jboss-logging-*.jar' 'org.apache.commons.commons-math3-*.jar'
  'io.smallrye.common.smallrye-common-*.jar' 'io.quarkus.quarkus-core-[0-9]*.jar'
  'org.jboss.logmanager.jboss-logmanager-*.jar' 'org.jboss.slf4j.slf4j-jboss-logmanager-*.jar'
)
for p in "${patterns[@]}"; do
  found=false
  for f in "$app"/lib/main/$p "$app"/lib/boot/$p; do
    [ -f "$f" ] || continue
    found=true
    cp "$f" "$stage/app/lib/"
  done
  $found || { echo "prepare.sh: no jar matches $p in $app/lib" >&2; exit 1; }
done
# native libraries out of the jars that carry them, except linux-x86_64's (the JNI travels separately: jni.tar.xz)
drop_entries() { # jar, extended regex of the entries to delete
  local names
  names=$(unzip -Z1 "$1" | grep -E "$2" || true)
  [ -z "$names" ] || printf '%s\n' "$names" | zip -q -d "$1" -@ >/dev/null
}
drop_entries "$(ls "$stage"/app/lib/ai.djl.pytorch.pytorch-jni-*.jar)" '^jnilib/.+/.+'
drop_entries "$(ls "$stage"/app/lib/ai.djl.huggingface.tokenizers-*.jar)" '^native/lib/(osx|win|linux-aarch64)[^/]*/.+'
drop_entries "$(ls "$stage"/app/lib/net.java.dev.jna.jna-5*.jar)" '^com/sun/jna/[^/]+/[^/]*jnidispatch[^/]*$' \
  && (cd "$stage" && rm -rf jna && mkdir -p jna && cd jna \
      && unzip -q "$(ls "$app"/lib/main/net.java.dev.jna.jna-5*.jar)" 'com/sun/jna/linux-x86-64/*' \
      && zip -q -r "$(ls "$stage"/app/lib/net.java.dev.jna.jna-5*.jar)" com)
# DJL's Platform needs native/lib/pytorch.properties on the class path (its djl/classifier/version); the file alone,
# without the 446 MB of CPU libraries of the jar it comes from. PYTORCH_VERSION and PYTORCH_FLAVOR override it.
mkdir -p "$stage/props/native/lib"
unzip -p "$app"/lib/main/ai.djl.pytorch.pytorch-native-cpu-*.jar native/lib/pytorch.properties \
  > "$stage/props/native/lib/pytorch.properties"
(cd "$stage/props" && zip -q -X -9 "$stage/app/lib/device-kit-pytorch-platform.jar" native/lib/pytorch.properties)
# the application jar without the bundled corpus (20 MB; a sample travels as data.tar.xz)
cp "$app"/app/adapterloop-*.jar "$stage/app/lib/"
zip -q -d "$stage"/app/lib/adapterloop-*.jar 'bundled/corpus.tgz' >/dev/null
(cd "$stage/app/lib" && ls *.jar | sed 's|^|lib/|' | paste -sd: > ../classpath)
# jars stored uncompressed inside, so that xz sees the bytes (a deflated jar does not compress further)
$fast || for j in "$stage"/app/lib/*.jar; do
  rm -rf "$stage/x" && mkdir "$stage/x" && (cd "$stage/x" && unzip -q "$j" && rm "$j" && zip -q -0 -X -r "$j" .)
done
rm -rf "$stage/x"
tar -C "$stage/app" -cf - . | xz $xz_level -T1 > "$kit/code/app.tar.xz"

# ---- the Java runtime: jlink of the modules the jars above need
# (jdeps also names java.desktop and java.compiler: java.beans from Jackson, which it only uses where present, and
# annotation processing; the dry run proves the device check runs without them)
modules=java.base,java.logging,java.management,java.naming,java.sql,jdk.unsupported
rm -rf "$stage/runtime"
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress zip-0 \
  --output "$stage/runtime"
# Temurin's libjvm.so keeps its symbol table (29 MB): stripped, the runtime's xz is ~1 MB smaller
find "$stage/runtime" -name '*.so' -exec strip -s {} +
tar -C "$stage" -cf - runtime | xz $xz_level -T1 > "$kit/code/runtime.tar.xz"

# ---- the JNI: DJL's libdjl_torch.so for cu128 (and cpu for the dry run), from Maven Central's pytorch-jni jar
jni_jar=$(ls "$m2"/ai/djl/pytorch/pytorch-jni/*/pytorch-jni-*[0-9].jar | head -1)
mkdir -p "$stage/jni"
(cd "$stage/jni" && unzip -q -o "$jni_jar" 'jnilib/linux-x86_64/cu128/libdjl_torch.so' 'jnilib/pytorch.properties')
if $dry_run; then
  (cd "$stage/jni" && unzip -q -o "$jni_jar" 'jnilib/linux-x86_64/cpu/libdjl_torch.so')
fi
tar -C "$stage/jni" -cf - jnilib | xz $xz_level -T1 > "$kit/code/jni.tar.xz"

# ---- the model and the data sample, written by the application itself (device-check --case prepare)
model_src=$root/target/gpu-kit-model/all-minilm-l6-v2
mkdir -p "$(dirname "$model_src")"
cp_full="$app/app/$(cd "$app/app" && ls adapterloop-*.jar):$(ls "$app"/lib/boot/*.jar "$app"/lib/main/*.jar | paste -sd:)"
data_src=$root/target/gpu-kit-model/data-$train-$held_out
if [ ! -f "$data_src/held-out.jsonl" ] || [ ! -f "$model_src/config.json" ]; then
  rm -rf "$data_src"
  "$jdk/bin/java" -Dai.djl.offline=true -cp "$cp_full" dev.adapterloop.cli.DeviceCheck --case prepare \
    --model "$model_src" --data "$data_src" --train-examples "$train" --held-out-examples "$held_out"
fi
rm -rf "$stage/data" && cp -r "$data_src" "$stage/data"
mkdir -p "$stage/model"
cp "$model_src/config.json" "$model_src/tokenizer.json" "$stage/model/"
for f in "$model_src"/*; do
  case "$(basename "$f")" in config.json|tokenizer.json|model.safetensors) ;; *) cp "$f" "$stage/model/" ;; esac
done
python3 "$here/safetensors_dtype.py" --to f16 "$model_src/model.safetensors" "$stage/model/model.safetensors"
tar -C "$stage" -cf - model | xz $xz_level -T1 > "$kit/weights/model.tar.xz"
tar -C "$stage" -cf - data | xz $xz_level -T1 > "$kit/weights/data.tar.xz"

# ---- the size budget: what travels is the working tree (tracked + untracked-not-ignored) plus the carried kit
mib() { awk -v b="$1" 'BEGIN { printf "%.2f", b / 1048576 }'; }
tree_bytes=$(cd "$root" && git ls-files -co --exclude-standard -z | xargs -0 -r stat -c %s 2>/dev/null \
  | awk '{ s += $1 } END { print s + 0 }')
{
  echo "part MiB"
  for part in code/runtime code/app code/jni weights/model weights/data; do
    echo "$part.tar.xz $(mib "$(stat -c %s "$kit/$part.tar.xz")")"
  done
  code=$(cat "$kit"/code/*.tar.xz | wc -c)
  weights=$(cat "$kit"/weights/*.tar.xz | wc -c)
  echo "kit_code $(mib "$code")"
  echo "kit_weights $(mib "$weights")"
  echo "working_tree $(mib "$tree_bytes")"
  echo "one_call_total $(mib $((code + weights + tree_bytes)))"
  echo "call_weights_total $(mib $((weights + tree_bytes)))"
  echo "call_code_total $(mib $((code + tree_bytes)))"
  echo "limit 64.00"
  echo "unpacked_runtime $(mib "$(du -sb "$stage/runtime" | cut -f1)")"
  echo "unpacked_app $(mib "$(du -sb "$stage/app" | cut -f1)")"
  echo "unpacked_model_fp16 $(mib "$(du -sb "$stage/model" | cut -f1)")"
  echo "prepare_s $(( $(date +%s) - started ))"
} > "$kit/sizes.txt"
cat "$kit/sizes.txt"
