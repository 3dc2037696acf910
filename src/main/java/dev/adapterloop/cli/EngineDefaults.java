package dev.adapterloop.cli;

import dev.adapterloop.engine.CpuAllocator;
import dev.adapterloop.engine.CpuKernels;
import java.nio.file.Path;

/**
 * Settings that must be in place before the engine loads: how libtorch and MKL choose their CPU kernels
 * ({@link CpuKernels}) and where CPU tensors get their memory ({@link CpuAllocator}), DJL offline (no telemetry, no downloads: the native libraries ship in Maven jars)
 * and a cache for the extracted native libraries outside the working directory.
 */
final class EngineDefaults {

    private EngineDefaults() {
    }

    static void apply() {
        if ("runtime".equals(System.getProperty("org.graalvm.nativeimage.imagecode"))) {
            // The native executable (docs/native.md): JNA has no native-image metadata here, and its dispatch library
            // fails to initialise, so what needs JNA stays off unless configured: the libraries' own CPU kernels,
            // the system allocator, no native helpers.
            setIfAbsent(CpuKernels.PROPERTY, "library-default");
            setIfAbsent(CpuAllocator.PROPERTY, "system");
            setIfAbsent(dev.adapterloop.nativelib.NativeHelpers.PROPERTY, "off");
            // DJL's CUDA probe (CudaUtils, run when PyTorch picks its native library) loads JNA too. Loading JNA's
            // dispatch library fails inside its JNI_OnLoad and leaves that error pending, and the engine then failed
            // to load with it ("Failed to load PyTorch native library": NoClassDefFoundError: java/lang/Class).
            // Without the library on the classpath JNA fails cleanly (UnsatisfiedLinkError), which DJL reads as no CUDA.
            setIfAbsent("jna.noclasspath", "true");
        }
        CpuKernels.apply();
        CpuAllocator.install();
        setIfAbsent("ai.djl.offline", "true");
        if (System.getenv("DJL_CACHE_DIR") == null) {
            setIfAbsent("DJL_CACHE_DIR",
                    Path.of(System.getProperty("user.home"), ".cache", "adapterloop", "djl").toString());
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
