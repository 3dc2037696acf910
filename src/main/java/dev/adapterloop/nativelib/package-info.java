/**
 * Loading the project's optional native helpers (src/main/c, built into the jar by src/build/compile-native.sh):
 * the MKL vendor dispatch and the CPU block cache (used by training) and the fused attention (used by the model).
 * Each is written for one libtorch ({@link dev.adapterloop.nativelib.LibtorchVersion}) and stays off with any other
 * or when {@link dev.adapterloop.nativelib.NativeHelpers} turns them all off. Depends on no other package of the
 * product.
 */
package dev.adapterloop.nativelib;
