/*
 * The rest of the stub libjvm.so that ships next to a native executable built with this toolchain (assemble.sh):
 * Temurin's libjava.so, libnet.so, ... name libjvm.so as NEEDED and call JVM_* and jio_* functions with symbol
 * version SUNWprivate_1.1. The library is GraalVM's JvmFuncs.c and the generated JVM_* fallbacks (the same code
 * GraalVM links into the image as libjvm.a, whose symbols the image keeps local) plus this file.
 *
 * Part of the adapterloop build (src/build/native-toolchain/README.md).
 */

/* JvmFuncs.c asks whether the image is a static binary: these images are dynamically linked. */
int __svm_vm_is_static_binary = 0;
