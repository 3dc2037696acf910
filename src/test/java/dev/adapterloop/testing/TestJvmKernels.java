package dev.adapterloop.testing;

import dev.adapterloop.training.CpuKernels;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Sets up a test JVM's CPU kernels as the launcher sets up the product's ({@link CpuKernels#apply()}), before any test
 * loads the engine: the tests then run the kernels production runs, and at production speed.
 */
public final class TestJvmKernels implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        CpuKernels.apply();
    }
}
