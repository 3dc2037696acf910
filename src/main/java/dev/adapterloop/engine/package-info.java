/**
 * The runtime that training and serving share, neither of which it knows: the engine's settings (device, precision,
 * local folders: {@link dev.adapterloop.engine.EngineConfig}), base models loaded once per process
 * ({@link dev.adapterloop.engine.BaseModels}), the CPU kernel mode ({@link dev.adapterloop.engine.CpuKernels}), the
 * CPU block cache ({@link dev.adapterloop.engine.CpuAllocator}), returning freed heap to the system
 * ({@link dev.adapterloop.engine.NativeHeap}) and the engine's health check.
 *
 * <p>Two runtime pieces live elsewhere, to keep the packages free of cycles: the attention kernels
 * ({@code model.AttentionKernel}, {@code model.FusedAttention}) are operators the model's layers call, and the engine
 * loads models; {@code nativelib} loads the bundled native helpers for both.
 */
package dev.adapterloop.engine;
