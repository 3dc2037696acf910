package dev.adapterloop.benchmark;

import dev.adapterloop.engine.CpuAllocator;
import dev.adapterloop.engine.CpuKernels;
import dev.adapterloop.model.AttentionKernel;
import java.util.ArrayList;
import java.util.List;

/** The per-process engine choices a worker runs under, passed as system properties; the product's defaults first. */
record EngineSettings(CpuKernels kernels, CpuAllocator allocator, AttentionKernel attention) {

    static final EngineSettings DEFAULT = new EngineSettings(CpuKernels.FAST, CpuAllocator.CACHING,
            AttentionKernel.UNFUSED);

    EngineSettings with(CpuKernels other) {
        return new EngineSettings(other, allocator, attention);
    }

    EngineSettings with(CpuAllocator other) {
        return new EngineSettings(kernels, other, attention);
    }

    EngineSettings with(AttentionKernel other) {
        return new EngineSettings(kernels, allocator, other);
    }

    List<String> systemProperties() {
        return List.of("-D" + CpuKernels.PROPERTY + "=" + kernels.name(),
                "-D" + CpuAllocator.PROPERTY + "=" + allocator.name(),
                "-D" + AttentionKernel.PROPERTY + "=" + attention.name());
    }

    /** What differs from {@link #DEFAULT}, as {@code allocator=SYSTEM}; empty for the defaults. */
    String difference() {
        List<String> parts = new ArrayList<>();
        if (kernels != DEFAULT.kernels) {
            parts.add("kernels=" + kernels);
        }
        if (allocator != DEFAULT.allocator) {
            parts.add("allocator=" + allocator);
        }
        if (attention != DEFAULT.attention) {
            parts.add("attention=" + attention);
        }
        return String.join(" ", parts);
    }
}
