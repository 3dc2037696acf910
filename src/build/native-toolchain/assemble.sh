#!/usr/bin/env bash
# Assembles a GraalVM 25.0.2 home able to run `native-image` from Maven Central's builder jars, a JDK 25 with JVMCI
# (Temurin 25) and the GraalVM sources vendored in graal-25.0.2/ (see README.md next to this script).
#
#   assemble.sh [--force] [--check] [DEST]
#
# DEST defaults to ${ADAPTERLOOP_CACHE:-~/.cache/adapterloop}/graalvm-25.0.2. An existing DEST built from the same
# inputs (its .adapterloop-toolchain stamp) is kept unless --force. --check then builds and runs a hello-world
# native image with it. The base JDK is $NATIVE_BASE_JDK, else $JAVA_HOME, else /usr/lib/jvm/temurin-25-jdk-amd64.
# Needs gcc, g++, ar, objdump (binutils), zlib's development files and network access to Maven Central through
# ./mvnw the first time (the builder jars then stay in the local Maven repository).
# Every step prints its name; a failure prints "assemble: FAILED in step '<step>': <reason>" and exits non-zero.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
VERSION=25.0.2
SRC="$HERE/graal-$VERSION/substratevm/src"
FORCE=0
CHECK=0
DEST=""
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    --check) CHECK=1 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    -*) echo "assemble: unknown option $arg" >&2; exit 2 ;;
    *) DEST="$arg" ;;
  esac
done
DEST=${DEST:-${ADAPTERLOOP_CACHE:-$HOME/.cache/adapterloop}/graalvm-$VERSION}
BASE_JDK=${NATIVE_BASE_JDK:-${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}}

STEP="start"
step() { STEP="$1"; echo "assemble: [$STEP] ${2:-}"; }
fail() { echo "assemble: FAILED in step '$STEP': $*" >&2; exit 1; }
trap 'rc=$?; if [ $rc -ne 0 ]; then echo "assemble: FAILED in step '"'"'$STEP'"'"' (exit $rc, see the output above)" >&2; fi' EXIT

# What the home is built from: these files and the base JDK's version. A stamp in DEST records it.
inputs_digest() {
  (cd "$HERE" && find assemble.sh pom.xml compiler-flags.txt driver shims "graal-$VERSION" hello -type f -print0 \
    | LC_ALL=C sort -z | xargs -0 sha256sum; "$BASE_JDK/bin/java" -version 2>&1) | sha256sum | cut -c1-64
}

step "check-tools" "gcc, g++, ar, objdump, zlib, JDK 25 with JVMCI at $BASE_JDK"
for tool in gcc g++ ar objdump; do
  command -v "$tool" >/dev/null 2>&1 \
    || fail "'$tool' not found: install Debian's build-essential and binutils (apt-get install -y build-essential binutils)"
done
[ -f /usr/include/zlib.h ] || fail "zlib headers not found: apt-get install -y zlib1g-dev (native images link -lz)"
[ -x "$BASE_JDK/bin/javac" ] || fail "no javac in $BASE_JDK: set NATIVE_BASE_JDK or JAVA_HOME to a JDK 25"
jdk_feature=$("$BASE_JDK/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
[ "$jdk_feature" = "25" ] || fail "$BASE_JDK is Java '$jdk_feature'; GraalVM $VERSION's builder needs Java 25"
"$BASE_JDK/bin/java" --list-modules 2>/dev/null | grep -q '^jdk.internal.vm.ci@' \
  || fail "$BASE_JDK has no jdk.internal.vm.ci module (JVMCI): use Temurin 25"
[ -f "$SRC/com.oracle.svm.driver/src/com/oracle/svm/driver/NativeImage.java" ] \
  || fail "vendored GraalVM sources missing under $SRC"

DIGEST=$(inputs_digest)
if [ "$FORCE" = 0 ] && [ -f "$DEST/.adapterloop-toolchain" ] && grep -q "^inputs=$DIGEST\$" "$DEST/.adapterloop-toolchain" \
   && [ -x "$DEST/bin/native-image" ]; then
  echo "assemble: $DEST is up to date (inputs $DIGEST)"
else
  TMP="$DEST.tmp.$$"
  rm -rf "$TMP"
  mkdir -p "$(dirname "$DEST")"
  WORK="$TMP/.build"
  # Remove the half-built home on any failure.
  trap 'rc=$?; rm -rf "$TMP"; if [ $rc -ne 0 ]; then echo "assemble: FAILED in step '"'"'$STEP'"'"' (exit $rc, see the output above)" >&2; fi' EXIT

  step "copy-jdk" "hard-linked copy of $BASE_JDK (the home must itself be a java.home)"
  mkdir -p "$TMP"
  cp -al "$BASE_JDK/." "$TMP/" 2>/dev/null || { rm -rf "$TMP"; mkdir -p "$TMP"; cp -a "$BASE_JDK/." "$TMP/"; } \
    || fail "cannot copy $BASE_JDK to $TMP"
  mkdir -p "$WORK"

  step "builder-jars" "org.graalvm.nativeimage:svm:$VERSION and its dependencies through Maven"
  mvn_copy() { "$REPO/mvnw" -B -ntp -q "$@" -f "$HERE/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$WORK/jars" -Dmdep.stripVersion=true; }
  mvn_copy -o >/dev/null 2>&1 || mvn_copy || fail "Maven could not fetch org.graalvm.nativeimage:svm:$VERSION"
  J="$WORK/jars"
  mkdir -p "$TMP/lib/jvmci" "$TMP/lib/truffle" "$TMP/lib/svm/builder" "$TMP/lib/svm/driver"
  mv "$J/compiler.jar" "$TMP/lib/jvmci/graal.jar"
  for n in word collections nativeimage nativeimage-libgraal; do mv "$J/$n.jar" "$TMP/lib/jvmci/"; done
  mv "$J/truffle-compiler.jar" "$TMP/lib/truffle/"
  for n in svm pointsto objectfile native-image-base svm-capnproto-runtime svm-configure espresso-svm; do
    mv "$J/$n.jar" "$TMP/lib/svm/builder/"
  done
  [ -z "$(ls -A "$J")" ] || fail "unexpected builder dependencies: $(ls "$J")"

  step "driver" "compile the native-image driver (svm-driver.jar) from the vendored sources"
  MP="$TMP/lib/svm/builder/svm.jar"
  for f in "$TMP"/lib/svm/builder/*.jar "$TMP"/lib/jvmci/*.jar "$TMP"/lib/truffle/*.jar; do
    case "$f" in */graal.jar|*/svm.jar) ;; *) MP="$MP:$f" ;; esac
  done
  D="$WORK/driver"
  mkdir -p "$D/src" "$D/classes"
  cp -r "$SRC/com.oracle.svm.driver/src/." "$SRC/com.oracle.svm.driver.launcher/src/." "$D/src/"
  cp "$HERE/driver/module-info.java" "$D/src/"
  (cd "$D/src" && find . -name '*.java' > "$D/sources.txt")
  (cd "$D/src" && "$BASE_JDK/bin/javac" -nowarn -encoding UTF-8 -d "$D/classes" --module-path "$MP" \
      --upgrade-module-path "$TMP/lib/jvmci/graal.jar" \
      --add-exports java.base/jdk.internal.jimage=org.graalvm.nativeimage.driver \
      --add-exports jdk.jfr/jdk.jfr.internal=org.graalvm.nativeimage.driver @"$D/sources.txt") \
    || fail "javac failed on the driver sources"
  cp -r "$SRC/com.oracle.svm.driver/resources/." "$SRC/com.oracle.svm.driver.launcher/resources/." "$D/classes/"
  # The builder JVM's flags per Java version, as mx's SubstrateCompilerFlagsBuilder writes them.
  printf '21\n25' > "$D/classes/graal-compiler-flags-versions.config"
  grep -v '^#' "$HERE/compiler-flags.txt" | sed '/^$/d' > "$D/flags.txt"
  for v in 21 25; do head -c -1 < <(cat "$D/flags.txt") > "$D/classes/graal-compiler-flags-$v.config"; done
  # The driver JVM reads the builder's modules too: the same exports, also to the driver's module.
  grep '^--add-exports=' "$D/flags.txt" | sed 's/$/,org.graalvm.nativeimage.driver/' > "$TMP/lib/svm/driver/driver-jvm.args"
  "$BASE_JDK/bin/jar" --create --file "$TMP/lib/svm/driver/svm-driver.jar" -C "$D/classes" . \
    || fail "jar failed for the driver"

  step "clibraries" "compile libchelper, libjvm, libsvm_container and libreporterchelper (gcc/g++)"
  C="$TMP/lib/svm/clibraries/linux-amd64"
  mkdir -p "$C/glibc" "$C/include" "$WORK/c"
  cp "$SRC/com.oracle.svm.native.libchelper/include/"*.h "$C/include/"
  CFLAGS_CHELPER="-g -fPIC -O2 -D_LITTLE_ENDIAN -ffunction-sections -fdata-sections -fvisibility=hidden -D_FORTIFY_SOURCE=0"
  objs=()
  for c in "$SRC/com.oracle.svm.native.libchelper/src/"*.c; do
    o="$WORK/c/chelper_$(basename "$c" .c).o"
    # shellcheck disable=SC2086
    gcc $CFLAGS_CHELPER -I"$SRC/com.oracle.svm.native.libchelper/include" -c "$c" -o "$o" || fail "gcc failed on $c"
    objs+=("$o")
  done
  ar rcs "$C/glibc/liblibchelper.a" "${objs[@]}" || fail "ar failed for liblibchelper.a"

  # libjvm: JvmFuncs.c plus stubs for the JVM_* functions the JDK libraries use and JvmFuncs.c lacks (what mx's
  # JvmFuncsFallbacksBuildTask generates from the static libraries' undefined symbols; here the shared ones').
  JVMFUNCS="$SRC/com.oracle.svm.native.jvm.posix/src/JvmFuncs.c"
  JDKLIBS="java nio net zip extnet prefs jaas attach management management_ext management_agent j2pkcs11"
  present=()
  for x in $JDKLIBS; do [ -f "$BASE_JDK/lib/lib$x.so" ] && present+=("$x"); done
  needed=$(for x in "${present[@]}"; do objdump --wide -T "$BASE_JDK/lib/lib$x.so"; done \
    | awk '$0 ~ /\*UND\*/ && $NF ~ /^JVM_/ {print $NF}' | sort -u)
  have=$(grep -o 'JNICALL JVM_[A-Za-z0-9_]*' "$JVMFUNCS" | awk '{print $2}' | sort -u)
  FALLBACKS="$WORK/c/JvmFuncsFallbacks.c"
  {
    echo '/* Fallback implementations generated by assemble.sh (as mx_substratevm.py does) */'
    echo '#include <stdio.h>'; echo '#include <stdlib.h>'; echo '#include <jni.h>'
    for name in $(comm -23 <(echo "$needed") <(echo "$have")); do
      case " JVM_GC JVM_ActiveProcessorCount JVM_GetInterfaceVersion JVM_GetManagement JVM_IsSupportedJNIVersion JVM_MaxObjectInspectionAge JVM_NativePath JVM_ReleaseUTF JVM_SupportsCX8 JVM_BeforeHalt JVM_Halt JVM_LoadLibrary JVM_UnloadLibrary JVM_FindLibraryEntry JVM_FindSignal JVM_RaiseSignal JVM_RegisterSignal JVM_FreeMemory JVM_MaxMemory JVM_TotalMemory JVM_RawMonitorCreate JVM_RawMonitorDestroy JVM_RawMonitorEnter JVM_RawMonitorExit " in
        *" $name "*) printf 'JNIEXPORT void JNICALL %s() {\n    fprintf(stderr, "%s called:  Unimplemented\\n");\n    abort();\n}\n' "$name" "$name" ;;
        *) printf 'JNIEXPORT jobject JNICALL %s(JNIEnv *env) {\n    (*env)->FatalError(env, "%s called:  Unimplemented");\n    return NULL;\n}\n' "$name" "$name" ;;
      esac
    done
  } > "$FALLBACKS"
  CFLAGS_JVM="-g -fPIC -O2 -ffunction-sections -fdata-sections -fvisibility=hidden -D_FORTIFY_SOURCE=0 -D_GNU_SOURCE"
  # shellcheck disable=SC2086
  gcc $CFLAGS_JVM -I"$BASE_JDK/include" -I"$BASE_JDK/include/linux" -c "$JVMFUNCS" -o "$WORK/c/JvmFuncs.o" \
    || fail "gcc failed on JvmFuncs.c"
  # shellcheck disable=SC2086
  gcc $CFLAGS_JVM -w -I"$BASE_JDK/include" -I"$BASE_JDK/include/linux" -c "$FALLBACKS" -o "$WORK/c/JvmFuncsFallbacks.o" \
    || fail "gcc failed on the generated JvmFuncsFallbacks.c"
  ar rcs "$C/glibc/libjvm.a" "$WORK/c/JvmFuncs.o" "$WORK/c/JvmFuncsFallbacks.o" || fail "ar failed for libjvm.a"

  L="$SRC/com.oracle.svm.native.libcontainer/src"
  CXXFLAGS_CONTAINER="-O2 -fno-rtti -fno-exceptions -fvisibility=hidden -fPIC -DNATIVE_IMAGE -DLINUX
    -DINCLUDE_SUFFIX_COMPILER=_gcc -I$L/java.base/share/native/include -I$L/java.base/unix/native/include -I$L/hotspot
    -I$L/hotspot/share -I$L/hotspot/os/linux -I$L/hotspot/os/posix -I$L/hotspot/os/posix/include -I$L/svm
    -I$L/svm/share -std=c++14 -D__STDC_FORMAT_MACROS -D__STDC_LIMIT_MACROS -D__STDC_CONSTANT_MACROS"
  objs=()
  while IFS= read -r cpp; do
    o="$WORK/c/container_$(basename "$cpp" .cpp).o"
    # shellcheck disable=SC2086
    g++ $CXXFLAGS_CONTAINER -w -c "$cpp" -o "$o" || fail "g++ failed on $cpp"
    objs+=("$o")
  done < <(find "$L" -name '*.cpp' | sort)
  ar rcs "$C/glibc/libsvm_container.a" "${objs[@]}" || fail "ar failed for libsvm_container.a"

  # The builder's own helper (terminal width, peak RSS for its closing report), loaded from lib/svm/builder/lib.
  mkdir -p "$TMP/lib/svm/builder/lib"
  gcc -g -O2 -Wall -Werror -fPIC -shared -I"$BASE_JDK/include" -I"$BASE_JDK/include/linux" \
    "$SRC/com.oracle.svm.native.reporterchelper/src/"*.c -o "$TMP/lib/svm/builder/lib/libreporterchelper.so" \
    || fail "gcc failed on reporterchelper"

  step "jdk-static-libs" "lib<x>.a linker scripts over Temurin's lib<x>.so, JNI_OnLoad_<x> shims, a stub libjvm.so"
  S="$TMP/lib/static/linux-amd64/glibc"
  mkdir -p "$S" "$TMP/lib/svm/jdk-shims"
  for x in "${present[@]}"; do
    extra=""
    [ "$x" = java ] && extra="-DWITH_FIND_JAVA_TZ"
    # shellcheck disable=SC2086
    gcc -O2 -fPIC -DLIB="$x" $extra -I"$BASE_JDK/include" -I"$BASE_JDK/include/linux" \
      -c "$HERE/shims/jdk_shims.c" -o "$S/shim_$x.o" || fail "gcc failed on shims/jdk_shims.c for lib$x"
    # Absolute paths: ld reads the linker script wherever -L found it.
    echo "INPUT($DEST/lib/lib$x.so $DEST/lib/static/linux-amd64/glibc/shim_$x.o)" > "$S/lib$x.a"
  done
  # libjava.so and friends name libjvm.so as NEEDED and call JVM_*/jio_* (version SUNWprivate_1.1); the image keeps
  # its own copies local, so a small libjvm.so of the same code ships next to the binary (shims/libjvm_shim.c). The
  # linker finds it through -rpath-link (bin/native-image); it must not sit on the -L path of -ljvm.
  printf 'SUNWprivate_1.1 {\n  global: JVM_*; jio_*;\n  local: *;\n};\n' > "$WORK/c/libjvm.map"
  # Default visibility here (JvmFuncs.c declares jio_vfprintf and jio_vsnprintf without JNIEXPORT): the version
  # script alone decides what the library exports.
  # shellcheck disable=SC2086
  gcc -shared ${CFLAGS_JVM/-fvisibility=hidden/} -w -I"$BASE_JDK/include" -I"$BASE_JDK/include/linux" -Wl,-soname,libjvm.so \
    -Wl,--version-script,"$WORK/c/libjvm.map" -o "$TMP/lib/svm/jdk-shims/libjvm.so" \
    "$JVMFUNCS" "$FALLBACKS" "$HERE/shims/libjvm_shim.c" || fail "gcc failed to make the stub libjvm.so"

  step "launcher" "bin/native-image"
  cat > "$TMP/bin/native-image" <<'LAUNCHER'
#!/usr/bin/env bash
# native-image on the JVM: the driver of GraalVM 25.0.2 (lib/svm/driver/svm-driver.jar), assembled by adapterloop's
# src/build/native-toolchain/assemble.sh. The driver starts the builder JVM from this same home. The vendor version
# names the builder (GraalVM CE 25.0.2) where a GraalVM build would: Quarkus reads it from `native-image --version`.
H=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
mp="$H/lib/svm/driver/svm-driver.jar"
for f in "$H"/lib/svm/builder/*.jar "$H"/lib/jvmci/*.jar "$H"/lib/truffle/*.jar; do
  case "$f" in */graal.jar) ;; *) mp="$mp:$f" ;; esac
done
exec "$H/bin/java" -XX:MaxHeapSize=214748365 -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI -XX:-UseJVMCICompiler \
  -Xshare:auto -Dnative-image.root="$H" "-Dorg.graalvm.vendorversion=GraalVM CE 25.0.2+10.1" \
  --upgrade-module-path "$H/lib/jvmci/graal.jar" --module-path "$mp" \
  @"$H/lib/svm/driver/driver-jvm.args" \
  --add-modules=ALL-MODULE-PATH \
  -m org.graalvm.nativeimage.driver/com.oracle.svm.driver.NativeImage \
  -H:+UnlockExperimentalVMOptions '-H:NativeLinkerOption=-Wl,-rpath,$ORIGIN' \
  "-H:NativeLinkerOption=-Wl,-rpath-link,$H/lib/svm/jdk-shims" -H:-UnlockExperimentalVMOptions "$@"
LAUNCHER
  # Copies the shared libraries a binary built here needs (its NEEDED entries found in this home) next to it.
  cat > "$TMP/bin/native-image-ship-libs" <<'SHIP'
#!/usr/bin/env bash
# native-image-ship-libs BINARY: copies the JDK shared libraries BINARY needs, and the stub libjvm.so, next to it
# (the binary's rpath is $ORIGIN). Prints the names copied.
set -euo pipefail
H=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
bin=$1; dir=$(dirname "$bin")
todo=$(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
done=""
while [ -n "$todo" ]; do
  next=""
  for lib in $todo; do
    case " $done " in *" $lib "*) continue ;; esac
    done="$done $lib"
    if [ "$lib" = libjvm.so ]; then src="$H/lib/svm/jdk-shims/libjvm.so"
    elif [ -f "$H/lib/$lib" ]; then src="$H/lib/$lib"
    else continue
    fi
    cp -f "$src" "$dir/$lib"; echo "$lib"
    next="$next $(readelf -d "$src" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')"
  done
  todo=$next
done
SHIP
  chmod +x "$TMP/bin/native-image-ship-libs"
  chmod +x "$TMP/bin/native-image"

  step "install" "$DEST"
  rm -rf "$WORK"
  echo "inputs=$DIGEST" > "$TMP/.adapterloop-toolchain"
  echo "graalvm=$VERSION base_jdk=$BASE_JDK date=$(date -u +%FT%TZ)" >> "$TMP/.adapterloop-toolchain"
  rm -rf "$DEST"
  mv "$TMP" "$DEST"
  trap 'rc=$?; if [ $rc -ne 0 ]; then echo "assemble: FAILED in step '"'"'$STEP'"'"' (exit $rc, see the output above)" >&2; fi' EXIT
  step "version" "native-image --version"
  "$DEST/bin/native-image" --version || fail "the assembled native-image does not start"
fi

if [ "$CHECK" = 1 ]; then
  step "hello-check" "build and run a hello-world native image"
  HW="${TMPDIR:-/tmp}/adapterloop-native-hello.$$"
  rm -rf "$HW"; mkdir -p "$HW"
  "$BASE_JDK/bin/javac" -d "$HW" "$HERE/hello/Hello.java" || fail "javac failed on hello/Hello.java"
  (cd "$HW" && "$DEST/bin/native-image" -J-Xmx2g -cp . Hello hello) || fail "native-image failed on hello world"
  "$DEST/bin/native-image-ship-libs" "$HW/hello" >/dev/null || fail "native-image-ship-libs failed"
  out=$("$HW/hello" from-native) || fail "the hello-world binary exited non-zero"
  [ "$out" = "Hello from-native" ] || fail "the hello-world binary printed '$out'"
  echo "assemble: hello-world native image OK: $(du -h "$HW/hello" | cut -f1), printed '$out'"
  rm -rf "$HW"
fi
STEP="done"
echo "assemble: GraalVM $VERSION home ready at $DEST"
