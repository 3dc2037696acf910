/**
 * Loading the project's optional native helpers (src/main/c, built into the jar by src/build/compile-native.sh):
 * the MKL vendor dispatch and the CPU block cache (used by training) and the fused attention (used by the model).
 * Depends on no other package of the product.
 */
package dev.adapterloop.nativelib;
