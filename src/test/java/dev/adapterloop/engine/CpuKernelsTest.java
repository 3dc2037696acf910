package dev.adapterloop.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.adapterloop.nativelib.BundledNativeLibrary;
import dev.adapterloop.nativelib.NativeHelpers;
import dev.adapterloop.nativelib.NativeHelpersBuilt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The kernel modes, and what loading MKL's vendor dispatch library does to the engine of this JVM (set up as the
 * launcher sets up the product's, by {@code TestJvmKernels}).
 */
class CpuKernelsTest {

    @Test
    void theBuildShipsTheDispatchLibraryWhereItCanCompileIt() {
        NativeHelpersBuilt.assume();
        assertThat(getClass().getClassLoader().getResource(CpuKernels.DISPATCH_RESOURCE)).isNotNull();
        assertThat(CpuKernels.apply()).isEqualTo(CpuKernels.FAST);
        assertThat(CpuKernels.vendorDispatchLoaded()).isTrue();
    }

    /** With the helpers switched off (CI's second pass), MKL's own vendor check stands. */
    @Test
    void theSwitchKeepsTheDispatchOut() {
        assumeTrue(NativeHelpers.configured() == NativeHelpers.OFF, "the native helpers are on in this JVM");
        assertThat(CpuKernels.apply()).isEqualTo(CpuKernels.FAST);
        assertThat(CpuKernels.vendorDispatchLoaded()).isFalse();
    }

    /** On AMD, MKL names no code path of its own (AUTO) unless the vendor check is answered. */
    @Test
    void mklPicksItsCodePathByTheInstructionSetsTheCpuHas() throws IOException {
        assumeTrue(BundledNativeLibrary.supportedPlatform() && CpuKernels.vendorDispatchLoaded());
        String flags = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("flags"))
                .findFirst().orElseThrow() + " ";
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            manager.zeros(new Shape(1)); // the engine and its libtorch are loaded
            String path = CpuKernels.mklCodePath().orElseThrow();
            if (flags.contains(" avx512f ") && flags.contains(" avx512bw ")) {
                assertThat(path).startsWith("AVX512");
            } else if (flags.contains(" avx2 ")) {
                assertThat(path).isEqualTo("AVX2");
            }
            assertThat(CpuKernels.describe()).startsWith("fast CPU kernels (MKL code path " + path);
        }
    }

    /** Whatever path MKL took, its GEMM must compute the product: checked against a double-precision one. */
    @Test
    void theChosenGemmKernelsComputeTheRightProduct() {
        int m = 257;
        int k = 384;
        int n = 129;
        Random random = new Random(7);
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) random.nextGaussian();
        }
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            float[] product = manager.create(a, new Shape(m, k)).matMul(manager.create(b, new Shape(k, n)))
                    .toFloatArray();
            double worst = 0;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double exact = 0;
                    for (int p = 0; p < k; p++) {
                        exact += (double) a[i * k + p] * b[p * n + j];
                    }
                    worst = Math.max(worst, Math.abs(exact - product[i * n + j]));
                }
            }
            // fp32 accumulation over 384 terms of size ~1: errors of order sqrt(384) * 2^-24 * 20, far below 1e-3.
            assertThat(worst).isLessThan(1e-3);
        }
    }
}
