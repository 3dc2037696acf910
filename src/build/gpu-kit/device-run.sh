#!/usr/bin/env bash
# The GPU device kit's one script (docs/gpu.md): runs on the lent device, in the repository root, after
# src/build/gpu-kit/prepare.sh put the kit in target/gpu-kit (carried). Everything it learns goes to $OUT:
#   device-run.log      this script's whole log
#   jni-link.json       (b) does DJL's cu128 JNI (built for libtorch 2.7.1) link against the wheel's libtorch?
#   device-check.json   (1) encoder parity, (2) LoRA training fp32/fp16, (3) step times, (5) serving: the Java side
#   peer.json           (3) the PyTorch + transformers + peft LoRA peer on the same model and shapes
#   peft-interop.json   (4) PeftModel.from_pretrained on our PEFT export against our served probabilities
#   load.json           the engine version, GPU count and one product on the device (the probe)
#   summary.json        which steps ran, passed, failed or were skipped, and why
# Options:
#   --dry-run        on the build machine: CPU libtorch 2.7.1 from DJL's cache, CPU JNI, device cpu, tiny sizes
#   --probe          needs only the code part: unpacks what travelled, runs the JNI link check and the engine's load
#                    on the device, and stops. It is the first of the two calls (docs/gpu.md) and answers the JNI
#                    question before the weights are sent. The unpacked kit stays in $GPU_KIT_WORK (default
#                    /tmp/gpu-kit-run) for the second call while the machine stays warm
#   --unpack-only    unpacks the kit parts that travelled in this call, and stops
#   --skip-java / --skip-python
# Exit status: 0 when every step that ran passed, 1 otherwise.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
kit=${GPU_KIT_DIR:-$root/target/gpu-kit}
work=${GPU_KIT_WORK:-/tmp/gpu-kit-run}
out=${OUT:-$root/target/gpu-kit-out}
py=${GPU_KIT_PYTHON:-python3}  # the device's python3 holds PyTorch; on the build machine Debian's /usr/bin/python3
dry_run=false; unpack_only=false; probe=false; skip_java=false; skip_python=false
for a in "$@"; do
  case "$a" in
    --dry-run) dry_run=true ;;
    --unpack-only) unpack_only=true ;;
    --probe) probe=true ;;
    --skip-java) skip_java=true ;;
    --skip-python) skip_python=true ;;
    *) echo "device-run.sh: unknown option $a" >&2; exit 2 ;;
  esac
done
mkdir -p "$out" "$work"
exec > >(tee -a "$out/device-run.log") 2>&1
t_start=$(date +%s)
declare -A status
note() { echo "== $(date -u +%H:%M:%S) $*"; }
step_done() { status[$1]=$2; note "$1: $2"; }

# ---- unpack whatever parts travelled (the unpacked kit outlives a call while the machine stays warm)
for part in runtime app jni model data; do
  f=$(ls "$kit"/$part.tar.xz "$kit"/*/$part.tar.xz 2>/dev/null | head -1)
  if [ -n "$f" ]; then
    rm -rf "$work/$part"; mkdir -p "$work/$part"
    if command -v xz >/dev/null; then xz -dc "$f" | tar -C "$work/$part" -xf -
    else "$py" -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$f" "$work/$part"; fi \
      && note "unpacked $part ($(du -sm "$work/$part" | cut -f1) MiB)"
  fi
done
if $unpack_only; then note "unpack only: parts now in $work: $(ls "$work" | tr '\n' ' ')"; exit 0; fi
needed="runtime app jni"; $probe || needed="$needed model data"
for part in $needed; do
  [ -d "$work/$part" ] || { echo "device-run.sh: kit part '$part' missing (neither carried now nor unpacked before)"; exit 1; }
done
java=$work/runtime/runtime/bin/java
model=$work/model-fp32
if ! $probe && [ ! -f "$model/model.safetensors" ]; then
  mkdir -p "$model" && cp "$work"/model/model/*.json "$model"/
  "$py" "$here/safetensors_dtype.py" --to f32 "$work/model/model/model.safetensors" "$model/model.safetensors"
fi

# ---- which libtorch: the wheel's on the device, DJL's CPU cache in the dry run
if $dry_run; then
  device=cpu; flavor=cpu; version=2.7.1
  src=${GPU_KIT_LIBTORCH:-$(ls -d "$HOME"/.cache/adapterloop/djl/pytorch/2.7.1-*cpu-linux-x86_64 \
      "$HOME"/.djl.ai/pytorch/2.7.1-*cpu-linux-x86_64 2>/dev/null | head -1)}
  if [ ! -f "$src/libtorch.so" ]; then # no DJL cache yet (a fresh machine): the packaged app's CPU jar has the same
    jar=$(ls "$root"/target/quarkus-app/lib/main/ai.djl.pytorch.pytorch-native-cpu-*.jar 2>/dev/null | head -1)
    [ -n "$jar" ] || { echo "dry run: no CPU libtorch 2.7.1 (set GPU_KIT_LIBTORCH)"; exit 1; }
    src=$work/libtorch-cpu-jar; rm -rf "$src"; mkdir -p "$src"
    unzip -q -j -o "$jar" 'pytorch/cpu/linux-x86_64/*' -d "$src"
  fi
  # a folder like the wheel's torch/lib: the libraries, no JNI beside them
  torch_lib=$work/libtorch-cpu; rm -rf "$torch_lib"; mkdir -p "$torch_lib"
  for f in "$src"/lib*.so*; do ln -s "$f" "$torch_lib/"; done
  jni=$work/jni/jnilib/linux-x86_64/cpu/libdjl_torch.so
  threads=2
  sizes=(--steps 4 --batch 4 --seq 32 --eval-examples 16 --bench-batches 2 --bench-warmup 0 --bench-steps 1
         --serve-steps 1 --interop-texts 8 --no-cpu-reference)
else
  device=gpu; flavor=cu128
  torch_lib=$("$py" -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')
  version=$("$py" -c 'import torch; print(torch.__version__.split("+")[0])')
  jni=$work/jni/jnilib/linux-x86_64/cu128/libdjl_torch.so
  threads=${GPU_KIT_THREADS:-16}
  sizes=()
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
fi
note "libtorch $version in $torch_lib, JNI $jni, flavor $flavor, device $device"

# ---- (b) the JNI link check, first: answers in seconds whether the 2.7.1 JNI can work with this libtorch
if "$py" "$here/jni_link_check.py" "$jni" "$torch_lib" --out "$out/jni-link.json"; then
  step_done jni_link passed
else
  step_done jni_link failed
fi

# DJL finds its JNI in its cache: $DJL_CACHE_DIR/pytorch/<PYTORCH_VERSION>-<PYTORCH_FLAVOR>-linux-x86_64/
# <djl version>-libdjl_torch.so (ai.djl.pytorch.jni.LibUtils.findJniLibrary), and loads libtorch from
# PYTORCH_LIBRARY_PATH; without PYTORCH_FLAVOR it would guess "cu<cuda>-precxx11" on a GPU machine.
# nothing may try the network (there is none on the device: a hub look-up would only wait for its time-out)
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_DATASETS_OFFLINE=1
export DJL_CACHE_DIR=$work/djl-cache PYTORCH_LIBRARY_PATH=$torch_lib PYTORCH_VERSION=$version PYTORCH_FLAVOR=$flavor
djl_version=$(basename "$(ls "$work"/app/lib/ai.djl.api-*.jar)" .jar); djl_version=${djl_version#ai.djl.api-}
jni_dir=$DJL_CACHE_DIR/pytorch/$version-$flavor-linux-x86_64
mkdir -p "$jni_dir" && cp "$jni" "$jni_dir/$djl_version-libdjl_torch.so"
java_opts=(-Xmx16g -XX:+UseParallelGC -Dai.djl.offline=true -Djava.util.logging.manager=org.jboss.logmanager.LogManager -Dai.djl.pytorch.num_threads=$threads
           -Dai.djl.pytorch.num_interop_threads=1 -cp "$(cd "$work/app" && sed "s|lib/|$work/app/lib/|g" classpath)")
check=(dev.adapterloop.cli.DeviceCheck --case run --model "$model" --data "$work/data/data" --device "$device"
       --work "$work/check")

if ! $skip_java; then
  # the actual load, on its own: the engine, the JNI, one tensor on the device
  if timeout 120 "$java" "${java_opts[@]}" "${check[@]}" --checks load --out "$out/load.json"; then
    step_done java_load passed
    if $probe; then
      step_done java_checks "skipped: --probe"
    else
      timeout 420 "$java" "${java_opts[@]}" "${check[@]}" "${sizes[@]}" --out "$out/device-check.json"
      rc=$?
      step_done java_checks "$([ $rc -eq 0 ] && echo passed || echo "failed (exit $rc)")"
    fi
  else
    step_done java_load failed
    step_done java_checks "skipped: the engine did not load"
  fi
fi

if ! $skip_python && ! $probe; then
  if "$py" -c 'import torch, transformers, peft, safetensors' 2>/dev/null; then
    peer_args=(--model "$model" --out "$out/peer.json")
    $dry_run && peer_args+=(--device cpu --batches 4 --seq 32 --warmup 1 --steps 2 --no-compile)
    if timeout 300 "$py" "$here/peer.py" "${peer_args[@]}"; then step_done peer passed; else step_done peer failed; fi
    if [ -f "$work/check/peft-interop.json" ]; then
      if timeout 120 "$py" "$here/peft_interop.py" "$work/check/peft-interop.json" --out "$out/peft-interop.json" \
          $($dry_run && echo --device cpu); then
        step_done peft_interop passed
      else
        step_done peft_interop failed
      fi
    else
      step_done peft_interop "skipped: no export from the Java checks"
    fi
  else
    reason=$("$py" -c 'import torch, transformers, peft, safetensors' 2>&1 | tail -1)
    step_done peer "skipped: $reason"
    step_done peft_interop "skipped: $reason"
  fi
fi

failed=false
{
  echo "{"
  echo "  \"dry_run\": $dry_run, \"device\": \"$device\", \"libtorch\": \"$version\", \"flavor\": \"$flavor\","
  echo "  \"wall_s\": $(( $(date +%s) - t_start )),"
  echo "  \"steps\": {"
  first=true
  for k in jni_link java_load java_checks peer peft_interop; do
    [ -n "${status[$k]+x}" ] || continue
    $first || echo ","
    first=false
    printf '    "%s": "%s"' "$k" "$(printf '%s' "${status[$k]}" | tr '"\n' "' ")"
    case "${status[$k]}" in failed*) failed=true ;; esac
  done
  echo; echo "  }"; echo "}"
} > "$out/summary.json"
cat "$out/summary.json"
$failed && exit 1 || exit 0
