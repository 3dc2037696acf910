/*
 * Lets MKL choose its code path by the instruction sets the CPU has, not by who made it.
 *
 * libtorch's CPU build links Intel oneMKL statically, and MKL asks mkl_serv_intel_cpu_true() whether the CPU is
 * genuine Intel before it considers its AVX-512 (and tuned AVX2) GEMM kernels. On AMD it answers no, and MKL runs a
 * generic AVX2 path: on this project's AMD EPYC (Zen 5) build host, fp32 GEMM at 1 thread reaches ~100 GFLOP/s that
 * way against ~225 GFLOP/s once the answer is yes, and a LoRA training step of the bundled encoder takes 1.2 s
 * instead of 0.6 s (BENCHMARKS.md).
 *
 * libtorch_cpu.so exports that function and calls it through its PLT, so a definition that is in the process's global
 * symbol scope before libtorch's first MKL call wins: dev.adapterloop.engine.CpuKernels loads this library with
 * RTLD_GLOBAL before the PyTorch engine loads. Answering yes is safe because MKL still checks the CPU's feature bits
 * (CPUID) before it dispatches to a kernel: a CPU without AVX-512 gets the AVX2 kernels, one without AVX2 the SSE ones.
 * The project's numeric tests (finite differences, ONNX Runtime references, the method properties) run with it loaded.
 *
 * Built by src/build/compile-native.sh when a C compiler is present; without it the engine runs as before.
 */
int mkl_serv_intel_cpu_true(void) {
    return 1;
}
