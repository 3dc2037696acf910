package dev.adapterloop.training;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import io.quarkus.logging.Log;
import java.util.Map;

/**
 * Pins the CPU kernels libtorch and MKL pick, so that a training run gives the same adapter bytes on every x86-64
 * host with AVX2, not only on hosts with the same CPU. Left to themselves both choose by the CPU they find: ATen
 * dispatches its element-wise and reduction kernels to AVX-512 where the CPU has it (measured on this project's
 * AMD EPYC build host: the adapter's sha256 changes with {@code ATEN_CPU_CAPABILITY}), and MKL picks its code path
 * by CPU ({@code MKL_CBWR=COMPATIBLE} changes the bytes; {@code AVX2} gives that host's default bytes). Thread count
 * and memory alignment made no difference in the same measurements, and one host gives the same bytes process after
 * process.
 *
 * <p>Both libraries read these variables once, when their first kernel runs: {@link #pin()} must run before the
 * PyTorch engine loads, i.e. first thing in {@code main}. Values already in the environment are left alone.
 */
public final class PortableKernels {

    /** The settings, in the form the libraries read them. */
    public static final Map<String, String> SETTINGS = Map.of("ATEN_CPU_CAPABILITY", "avx2", "MKL_CBWR", "AVX2");

    private PortableKernels() {
    }

    /** Sets each of {@link #SETTINGS} in the process environment unless it is set already. */
    public static void pin() {
        Function setenv = setenv();
        if (setenv == null) {
            return;
        }
        SETTINGS.forEach((name, value) -> {
            if (System.getenv(name) == null) {
                // overwrite = 0: a value set natively since the JVM started (its copy of the environment) wins too.
                setenv.invokeInt(new Object[] {name, value, 0});
            }
        });
    }

    private static Function setenv() {
        try {
            return NativeLibrary.getInstance("c").getFunction("setenv");
        } catch (Throwable e) {
            Log.warnf("cannot set %s (no setenv: %s); adapter bytes may then differ between CPU types", SETTINGS,
                    e.toString());
            return null;
        }
    }
}
