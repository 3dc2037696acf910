package dev.adapterloop.testing;

import dev.adapterloop.engine.CpuAllocator;
import dev.adapterloop.engine.CpuKernels;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Sets up a test JVM's CPU kernels and allocator as the launcher sets up the product's ({@link CpuKernels#apply()},
 * {@link CpuAllocator#install()}), before any test loads the engine: the tests then run the kernels and the memory
 * management production runs, and at production speed.
 */
public final class TestJvmKernels implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        CpuKernels.apply();
        CpuAllocator.install();
    }
}
