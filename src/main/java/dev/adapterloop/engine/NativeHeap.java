package dev.adapterloop.engine;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import io.quarkus.logging.Log;

/**
 * Hands freed native memory back to the operating system. libtorch allocates and frees hundreds of megabytes of
 * activations per training step; glibc raises its mmap threshold after the first large frees, so later blocks come
 * from heaps that fragment and the process grows by tens of MB per step (5 GB after 300 steps of the bundled job).
 * {@code malloc_trim(0)} every few steps keeps it flat for about 100 ms each time. Elsewhere (musl, macOS, a native
 * image without JNA) this is a no-op.
 */
public final class NativeHeap {

    private static final Function MALLOC_TRIM = lookup();

    private NativeHeap() {
    }

    public static void trim() {
        if (MALLOC_TRIM != null) {
            MALLOC_TRIM.invokeInt(new Object[] {0});
        }
    }

    private static Function lookup() {
        try {
            return NativeLibrary.getInstance("c").getFunction("malloc_trim");
        } catch (Throwable e) {
            Log.debugf("malloc_trim is not available (%s): native memory is left to the allocator", e.toString());
            return null;
        }
    }
}
